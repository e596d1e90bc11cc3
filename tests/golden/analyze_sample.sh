#!/bin/sh
# Golden test of `narrate analyze corpora/sample` (issue 4), the sample corpus
# that `make demo` analyses (corpora/README.md says what it plants).
#   - corpora/sample is what corpora/sample/make-sample.py writes;
#   - --threads 1 and --threads 4 give byte-identical reports (every file but
#     manifest.json, which records the thread count), and the same stdout;
#   - cities.csv, topics.csv, keyterms.csv and rejects.jsonl equal the
#     expected files in tests/golden/analyze_sample/;
#   - the accounting (read = analysed + rejected, one rejects line each, the
#     four planted bad records and their reasons) and the planted structure
#     (template cities more alike than cities with personal tags; Chengdu's
#     pandas, Hangzhou's West Lake and Longjing as key terms; Paris a group).
# The expected files depend on the lexicons (cities, topics, frames, tone).
# After a deliberate change to a lexicon, the corpus or the measures,
# regenerate them, then READ the diff before committing:
#   NARRATE_BLESS=1 NARRATE=build/narrate sh tests/golden/analyze_sample.sh
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
E=$HERE/analyze_sample
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# Relative corpus path, so that rejects' sources do not depend on the tree.
cd "$ROOT" || exit 1

/usr/bin/python3 corpora/sample/make-sample.py --check >"$tmp/check" 2>&1 ||
	{ bad "corpora/sample differs from make-sample.py's output"; cat "$tmp/check"; }

for n in 1 4; do
	if ! "$NARRATE" analyze --threads $n --no-progress -o "$tmp/t$n" corpora/sample \
		>"$tmp/stdout$n" 2>"$tmp/stderr$n"; then
		bad "narrate analyze --threads $n failed"
		cat "$tmp/stderr$n"
		exit 1
	fi
	sed "s|$tmp/t$n|OUT|g" "$tmp/stdout$n" >"$tmp/stdout$n.norm"
done

# The same report whatever the thread count.
files=$(cd "$tmp/t1" && ls)
[ "$files" = "$(cd "$tmp/t4" && ls)" ] || bad "the two reports hold different files"
for f in $files; do
	[ "$f" = manifest.json ] && continue
	cmp -s "$tmp/t1/$f" "$tmp/t4/$f" || bad "$f differs between --threads 1 and --threads 4"
done
cmp -s "$tmp/stdout1.norm" "$tmp/stdout4.norm" || bad "stdout differs between 1 and 4 threads"
for f in cities.csv topics.csv frames.csv keyterms.csv similarity.csv measures.json \
	concentration.json rejects.jsonl manifest.json; do
	[ -f "$tmp/t1/$f" ] || bad "$f is missing from the report"
done

# Rejects' sources with any leading path normalised.
sed 's|"source":"[^"]*corpora/sample/|"source":"corpora/sample/|' "$tmp/t1/rejects.jsonl" \
	>"$tmp/rejects.jsonl"
cp "$tmp/t1/cities.csv" "$tmp/t1/topics.csv" "$tmp/t1/keyterms.csv" "$tmp/"
for f in cities.csv topics.csv keyterms.csv rejects.jsonl; do
	if [ "${NARRATE_BLESS:-}" = 1 ]; then
		mkdir -p "$E"
		cp "$tmp/$f" "$E/$f"
		echo "wrote $E/$f"
	elif ! diff -u "$E/$f" "$tmp/$f" >"$tmp/diff" 2>&1; then
		bad "$f differs from tests/golden/analyze_sample/$f (NARRATE_BLESS=1 regenerates after a deliberate change)"
		head -n 60 "$tmp/diff"
	fi
done

# Accounting and planted structure: checks that survive a regeneration.
/usr/bin/python3 - "$tmp/t1" <<'PY' || fail=1
import csv, json, statistics, sys
out = sys.argv[1]
bad = []
m = json.load(open(out + "/manifest.json", encoding="utf-8"))
d = m["documents"]
rejects = [json.loads(l) for l in open(out + "/rejects.jsonl", encoding="utf-8")]
if d["read"] != d["analysed"] + d["rejected"]:
    bad.append("read %d != analysed %d + rejected %d" % (d["read"], d["analysed"], d["rejected"]))
if d["rejected"] != len(rejects):
    bad.append("manifest says %d rejected, rejects.jsonl has %d" % (d["rejected"], len(rejects)))
if (d["read"], d["rejected"], d["unattributed"]) != (450, 4, 3):
    bad.append("read/rejected/unattributed %r, planted 450/4/3" % ((d["read"], d["rejected"], d["unattributed"]),))
want = {
    "news/news-2024.csv:24": ("nw-bad-1", "'likes' is not a number"),
    "social/global.jsonl:18": (None, "malformed JSON"),
    "social/global.jsonl:59": ("gl-bad-2", "missing required field 'text'"),
    "social/weibo-douyin.jsonl:42": ("cn-bad-1", "'likes' is not a number"),
}
got = {r["source"].split("corpora/sample/", 1)[-1]: r for r in rejects}
for src, (rid, reason) in want.items():
    r = got.get(src)
    if r is None:
        bad.append("no reject for " + src)
    elif r["id"] != rid or reason not in r["reason"]:
        bad.append("reject %s: %r" % (src, r))
rows = {r["city_id"]: r for r in csv.DictReader(open(out + "/cities.csv", encoding="utf-8"))}
homog = ["420100", "320100", "320500", "350200", "530100", "450300", "540100"]
distinct = ["510100", "500000", "230100", "330100", "610100", "370300"]
for c in homog + distinct + ["110000", "310000", "Paris", "Osaka"]:
    if c not in rows:
        bad.append("no group " + c)
if not bad:
    h = statistics.mean(float(rows[c]["cosine_mean"]) for c in homog)
    t = statistics.mean(float(rows[c]["cosine_mean"]) for c in distinct)
    if not h > 1.5 * t:
        bad.append("template cities' cosine_mean %.3f not well above distinctive cities' %.3f" % (h, t))
    hd = statistics.mean(float(rows[c]["distinct_share"]) for c in homog)
    td = statistics.mean(float(rows[c]["distinct_share"]) for c in distinct)
    if not td > hd:
        bad.append("distinct_share: distinctive %.3f <= template %.3f" % (td, hd))
    keys = {}
    for r in csv.DictReader(open(out + "/keyterms.csv", encoding="utf-8")):
        keys.setdefault(r["city_id"], set()).add(r["term"])
    for c, terms in {"510100": ["pandas", "熊猫"], "330100": ["longjing", "龙井"],
                     "610100": ["biangbiang"], "370300": ["烧烤"]}.items():
        for t in terms:
            if t not in keys.get(c, ()):
                bad.append("%s has no key term %s" % (c, t))
    if int(rows["510100"]["documents"]) <= int(rows["420100"]["documents"]) * 3:
        bad.append("no head effect: Chengdu %s documents, Wuhan %s" %
                   (rows["510100"]["documents"], rows["420100"]["documents"]))
# The printed figures recomputed here, independently of the C code, from
# the other columns and files they derive from (docs/measures.md).
import math
def close(x, y, tol=1e-8):
    return abs(x - y) <= tol * max(1.0, abs(y))
def gini(v):
    v = sorted(v); n = len(v); s = sum(v)
    return sum((2 * (i + 1) - n - 1) * x for i, x in enumerate(v)) / (n * s)
def hhi(v):
    s = sum(v); return sum((x / s) ** 2 for x in v)
def top(v, k):
    return sum(sorted(v)[-k:]) / sum(v)
conc = json.load(open(out + "/concentration.json", encoding="utf-8"))["concentration"]
docs = [float(r["documents"]) for r in rows.values()]
eng = [float(r["likes"]) + float(r["shares"]) + float(r["comments"]) for r in rows.values()]
for name, v in (("documents", docs), ("engagement", eng)):
    for k, f in (("gini", gini), ("hhi", hhi), ("top10_share", lambda x: top(x, 10))):
        if not close(conc[name][k], f(v)):
            bad.append("concentration %s %s %.12g, recomputed %.12g" % (name, k, conc[name][k], f(v)))
sims = {}
for r in csv.DictReader(open(out + "/similarity.csv", encoding="utf-8")):
    sims.setdefault(r["city_a"], {})[r["city_b"]] = float(r["cosine"])
for c, r in rows.items():
    f = {k: float(v) for k, v in r.items() if k not in ("city_id", "city_name", "nearest_city",
         "name_zh", "region", "north_south", "tags") and v != ""}
    checks = [("ttr", f["types"] / f["tokens"]),
              ("tone_net", f["tone_pos"] - f["tone_neg"]),
              ("engagement_per_doc", (f["likes"] + f["shares"] + f["comments"]) / f["documents"])]
    if c in sims and sims[c]:
        checks.append(("cosine_mean", sum(sims[c].values()) / len(sims[c])))
        checks.append(("cosine_max", max(sims[c].values())))
        if r["nearest_city"] != max(sorted(sims[c]), key=lambda b: sims[c][b]):
            bad.append("%s nearest_city %s is not the highest cosine" % (c, r["nearest_city"]))
    if "frame_hill1" in f:
        checks.append(("frame_hill1", math.exp(f["frame_shannon"])))
    for name, want in checks:
        # CSV cells carry 10 significant digits
        if name in f and not close(f[name], want, 1e-9 * 10):
            bad.append("%s %s %.12g, recomputed %.12g" % (c, name, f[name], want))
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY

[ $fail -eq 0 ] && echo "analyze sample golden: ok"
exit $fail
