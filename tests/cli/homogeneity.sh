#!/bin/sh
# narrate homogeneity (issue 5), end to end:
#   - generated corpora (bench/gen-corpus) with template reuse planted at known
#     rates per city, English and Chinese: the homogeneity index ranks the
#     cities in the planted order (Spearman >= 0.9) and the planted slogans
#     are the top rows of cliches.csv, each with the cities using it;
#   - the same bytes with 1 and 3 threads;
#   - edge cases: empty documents, documents shorter than a shingle, one city
#     only, 50,000 identical short posts (one cluster, in seconds);
#   - analyze carries the same columns in cities.csv and measures.json;
#   - bad options are usage errors.
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
cd "$ROOT" || exit 1

# ---- planted template rates ------------------------------------------------
RATES=0,0.05,0.1,0.15,0.2,0.3,0.4,0.55
for lang in en zh; do
	$PY bench/gen-corpus --lang $lang --docs 3000 --cities 8 --skew 0 --dup-rate 0.02 \
		--template-rates $RATES --seed 21 -o "$tmp/$lang.jsonl" 2>/dev/null ||
		{ bad "gen-corpus $lang failed"; continue; }
	for j in 1 3; do
		"$NARRATE" homogeneity -j $j -q --no-progress -o "$tmp/$lang-$j" "$tmp/$lang.jsonl" \
			>/dev/null 2>"$tmp/err" || { bad "homogeneity $lang -j $j failed"; cat "$tmp/err"; }
	done
	for f in homogeneity.csv clusters.csv cross_clusters.csv cliches.csv similarity.csv; do
		cmp -s "$tmp/$lang-1/$f" "$tmp/$lang-3/$f" ||
			bad "$lang: $f differs between 1 and 3 threads"
	done
	$PY - "$tmp/$lang-1" "$tmp/$lang.jsonl" "$RATES" "$lang" <<'PY' || fail=1
import csv, json, sys
out, corpus, rates, lang = sys.argv[1], sys.argv[2], [float(x) for x in sys.argv[3].split(",")], sys.argv[4]
bad = []
order = []  # gen-corpus's city order = the order of --template-rates
for l in open(corpus, encoding="utf-8"):
    c = json.loads(l)["city"]
    if c not in order:
        order.append(c)
# gen-corpus draws cities uniformly (--skew 0); its city list is fixed, so
# recover the planted rate of each city from its documents' templates
slogans = {"en": ["perfect blend of tradition and modernity", "must visit destination",
                  "beautiful city with a long history"],
           "zh": ["传统与现代完美融合", "美食众多", "千年古城的独特魅力"]}[lang]
planted = {}
for l in open(corpus, encoding="utf-8"):
    d = json.loads(l)
    t = d["text"].lower().replace(",", "").replace("，", "")
    k = planted.setdefault(d["city"], [0, 0])
    k[1] += 1
    k[0] += any(s.replace(",", "") in t for s in slogans)
rows = list(csv.DictReader(open(out + "/homogeneity.csv", encoding="utf-8")))
if len(rows) != 8:
    bad.append("%d rows in homogeneity.csv, want 8" % len(rows))
h = {r["city_id"]: float(r["homogeneity"]) for r in rows}
p = {c: v[0] / v[1] for c, v in planted.items()}
def ranks(x):
    s = sorted(x, key=lambda c: x[c])
    return {c: i for i, c in enumerate(s)}
rh, rp = ranks(h), ranks(p)
n = len(h)
rho = 1 - 6 * sum((rh[c] - rp[c]) ** 2 for c in h) / (n * (n * n - 1))
print("%s: Spearman(homogeneity, planted template share) = %.3f" % (lang, rho))
if rho < 0.9:
    bad.append("%s: Spearman %.3f < 0.9; homogeneity %r planted %r" % (lang, rho, h, p))
for r in rows:
    if abs(float(r["homogeneity"]) + float(r["distinctiveness"]) - 1) > 1e-9:
        bad.append("homogeneity + distinctiveness != 1 for " + r["city_id"])
    if not r["tags"]:
        bad.append("no tags for " + r["city_id"])
# rows come most homogeneous first
hs = [float(r["homogeneity"]) for r in rows]
if hs != sorted(hs, reverse=True):
    bad.append("homogeneity.csv not sorted by homogeneity")
cl = list(csv.DictReader(open(out + "/cliches.csv", encoding="utf-8")))
# city_ids: every city using the cliche, byte order of the id, as many as
# 'cities', the example among them (the report's phrase x city matrix)
for r in cl:
    ids = r["city_ids"].split(";")
    if len(ids) != int(r["cities"]) or len(set(ids)) != len(ids) or \
            [i.encode() for i in ids] != sorted(i.encode() for i in ids) or \
            r["example_city"] not in ids or not set(ids) <= set(h):
        bad.append("%s: bad city_ids %r for %r" % (lang, r["city_ids"], r["ngram"]))
        break
top = " | ".join(r["ngram"] for r in cl[:3])
print("%s: top cliches: %s" % (lang, top))
norm = lambda s: s.replace(" ", "").replace("-", "").replace("{city}", "")
if lang == "en":
    # English templates share no 4-gram: each comes out whole, the top 3
    for s in slogans:
        if not any(norm(s) in norm(r["ngram"]) for r in cl[:3]):
            bad.append("en: planted slogan %r not in the top 3 of cliches.csv: %s" % (s, top))
    if "{city}" not in " ".join(r["ngram"] for r in cl[:3]):
        bad.append("en: the masked city placeholder is in none of the top cliches")
else:
    # the Chinese templates share phrases (传统与现代, 千年古城, 历史悠久),
    # each a cliche of its own, more frequent than either template; the
    # phrase walk passes through them, so every template comes out whole in
    # the top 10, beside the shared phrases
    tpl = ["欢迎来到这里是传统与现代完美融合的千年古城历史悠久文化底蕴深厚",
           "是一座历史悠久的城市山清水秀美食众多热情好客值得一去再去",
           "走进感受千年古城的独特魅力品味地道美食体验传统与现代的交融"]
    top10 = [norm(r["ngram"]) for r in cl[:10]]
    for t in tpl:
        if t not in top10:
            bad.append("zh: template %s not whole in the top 10: %r" % (t, top10))
    pieces = sum(any(x in t for t in tpl) for x in top10)
    print("zh: %d of the top 10 cliches are planted templates or pieces of them" % pieces)
    if pieces < 6:
        bad.append("zh: only %d of the top 10 cliches are template pieces: %r" % (pieces, top10))
    if not any("{city}" in r["ngram"] for r in cl[:15]):
        bad.append("zh: the masked city placeholder is in none of the top cliches")
cross = list(csv.DictReader(open(out + "/cross_clusters.csv", encoding="utf-8")))
if not cross or int(cross[0]["cities"]) < 6:
    bad.append("%s: no template cluster across most cities in cross_clusters.csv" % lang)
clusters = list(csv.DictReader(open(out + "/clusters.csv", encoding="utf-8")))
if not clusters or any(not (0 < float(r["similarity"]) <= 1) for r in clusters):
    bad.append("%s: clusters.csv empty or similarity out of (0, 1]" % lang)
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
done

# ---- edge cases ---------------------------------------------------------------
$PY - "$tmp/edge.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    w = lambda **d: f.write(json.dumps(d, ensure_ascii=False) + "\n")
    w(id="e1", city="110000", text="")
    w(id="e2", city="110000", text="   ")
    w(id="e3", city="110000", text="!!! ...")
    w(id="s1", city="110000", text="Hi")
    w(id="s2", city="110000", text="Hi")
    w(id="s3", city="110000", text="好")
    w(id="s4", city="110000", text="Hi there")
    w(id="c1", city="110000", text="Beijing")
    w(id="c2", city="110000", text="Beijing!")
    w(id="l1", city="110000", text="A perfect blend of tradition and modernity in the old town")
    w(id="l2", city="110000", text="A perfect blend of tradition and modernity in the old town")
PY
"$NARRATE" homogeneity -q --no-progress -o "$tmp/edge" "$tmp/edge.jsonl" >/dev/null 2>"$tmp/err" ||
	{ bad "edge corpus failed"; cat "$tmp/err"; }
$PY - "$tmp/edge" <<'PY' || fail=1
import csv, sys
out = sys.argv[1]
bad = []
rows = list(csv.DictReader(open(out + "/homogeneity.csv", encoding="utf-8")))
if len(rows) != 1:
    bad.append("one city only: %d rows" % len(rows))
else:
    r = rows[0]
    if r["documents"] != "11":
        bad.append("documents %s, want 11" % r["documents"])
    # clustered: s1+s2 (short, one shingle each, equal) and l1+l2; empty ones
    # and the city-name-only ones alone
    if abs(float(r["dup_within"]) - 4 / 11) > 1e-9:
        bad.append("dup_within %s, want 4/11" % r["dup_within"])
    if float(r["dup_across"]) != 0:
        bad.append("dup_across %s with one city" % r["dup_across"])
    if r["cliche_rate"] != "":
        bad.append("cliche_rate %r with one city: want empty (undefined)" % r["cliche_rate"])
    if float(r["homogeneity"]) != 0.5:
        bad.append("homogeneity %s with one city: want 0.5" % r["homogeneity"])
ids = sorted(r["doc_id"] for r in csv.DictReader(open(out + "/clusters.csv", encoding="utf-8")))
if ids != ["l1", "l2", "s1", "s2"]:
    bad.append("clustered documents %r" % ids)
for b in bad:
    print("FAIL: edge: " + b)
sys.exit(1 if bad else 0)
PY

# 50,000 identical short posts in 5 cities: one cluster, linear time
$PY - "$tmp/same.jsonl" <<'PY'
import json, sys
cities = ["110000", "310000", "440100", "440300", "330100"]
with open(sys.argv[1], "w") as f:
    for i in range(50000):
        f.write(json.dumps({"id": "d%d" % i, "city": cities[i % 5],
                            "text": "Visit us today for the best food"}) + "\n")
PY
start=$(date +%s)
"$NARRATE" homogeneity -q --no-progress -o "$tmp/same" "$tmp/same.jsonl" >/dev/null 2>"$tmp/err" ||
	{ bad "identical posts failed"; cat "$tmp/err"; }
secs=$(($(date +%s) - start))
[ "$secs" -le 30 ] || bad "50,000 identical posts took ${secs}s"
n=$(cut -d, -f1 "$tmp/same/clusters.csv" | sed 1d | sort -u | wc -l)
[ "$n" = 1 ] || bad "50,000 identical posts: $n clusters, want 1"
grep -q '^1,50000,5,' "$tmp/same/cross_clusters.csv" ||
	bad "cross_clusters.csv does not list the one cluster of 50000 posts in 5 cities"

# ---- analyze carries the columns -------------------------------------------------
"$NARRATE" analyze -q --no-progress -o "$tmp/an" "$tmp/en.jsonl" >/dev/null 2>&1 ||
	bad "analyze failed"
$PY - "$tmp/an" "$tmp/en-1" <<'PY' || fail=1
import csv, json, sys
an, ho = sys.argv[1], sys.argv[2]
bad = []
cols = ["dup_within", "dup_across", "cliche_rate", "homogeneity", "distinctiveness"]
rows = {r["city_id"]: r for r in csv.DictReader(open(an + "/cities.csv", encoding="utf-8"))}
m = {g["id"]: g["measures"] for g in json.load(open(an + "/measures.json", encoding="utf-8"))["groups"]}
h = {r["city_id"]: r for r in csv.DictReader(open(ho + "/homogeneity.csv", encoding="utf-8"))}
for c, r in rows.items():
    for k in cols:
        if k not in r or k not in m[c]:
            bad.append("analyze lacks %s" % k)
            break
        if abs(float(r[k]) - m[c][k]) > 1e-9:
            bad.append("%s %s: cities.csv %s, measures.json %s" % (c, k, r[k], m[c][k]))
        # the same corpus through homogeneity (other lexicons off) gives the same
        if k != "cliche_rate" and abs(float(r[k]) - float(h[c][k])) > 1e-9 and k in ("dup_within", "dup_across"):
            bad.append("%s %s: analyze %s, homogeneity %s" % (c, k, r[k], h[c][k]))
for b in bad[:10]:
    print("FAIL: analyze: " + b)
sys.exit(1 if bad else 0)
PY

# ---- usage errors ---------------------------------------------------------------------
for args in "--threshold 0" "--threshold 1.5" "--bands 10" "--perm 0" "--shingle-words 99" \
	"--cliche-share 2"; do
	"$NARRATE" homogeneity $args -o "$tmp/x" "$tmp/edge.jsonl" >/dev/null 2>&1
	[ $? -eq 2 ] || bad "'$args' is not a usage error"
done
"$NARRATE" homogeneity --bands 64 --rows 4 -o "$tmp/x" "$tmp/edge.jsonl" >/dev/null 2>&1
[ $? -eq 2 ] || bad "bands x rows > permutations is not a usage error"
"$NARRATE" homogeneity --help | grep -q "shingle-words" || bad "--help lacks the options"

[ $fail -eq 0 ] && echo "homogeneity: ok"
exit $fail
