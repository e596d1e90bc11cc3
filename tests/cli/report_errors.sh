#!/bin/sh
# narrate report on bad and thin input (docs/report.md):
#   - a folder without measures.json, a corrupt measures.json, a CSV with a
#     bad number or a short row, a JSON file that is not an object: exit 3
#     and a message naming the file;
#   - a run with one city, with no tone lexicon, with no ranking: a report
#     all the same, each empty section explaining itself;
#   - 340 cities: still under 2 MB and quick, heatmaps and panels cut to
#     the top 40 with a note that the CSV files hold all;
#   - report-check.py catches an external resource (negative control).
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHECK=$ROOT/tests/golden/report-check.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# expect_error NAME FILE-IN-MESSAGE ARGS...: exit 3, message names the file
expect_error() {
	name=$1
	what=$2
	shift 2
	"$NARRATE" report "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 3 ] || bad "$name: exit $rc, want 3"
	grep -q "$what" "$tmp/err" || { bad "$name: the message does not name $what"; cat "$tmp/err"; }
}

cd "$ROOT" || exit 1
"$NARRATE" analyze -q --no-progress --no-report corpora/sample -o "$tmp/good" 2>/dev/null ||
	{ bad "narrate analyze failed"; exit 1; }
[ -f "$tmp/good/report.html" ] && bad "--no-report still wrote report.html"

mkdir -p "$tmp/empty"
expect_error "no measures.json" "$tmp/empty/measures.json" "$tmp/empty"
expect_error "no folder" "$tmp/nowhere/measures.json" "$tmp/nowhere"

cp -R "$tmp/good" "$tmp/trunc"
head -c 5000 "$tmp/good/measures.json" >"$tmp/trunc/measures.json"
expect_error "truncated measures.json" "$tmp/trunc/measures.json" "$tmp/trunc"
grep -q "line [0-9]" "$tmp/err" || bad "truncated measures.json: no line number"

cp -R "$tmp/good" "$tmp/schema"
echo '{"schema": "something.else", "groups": []}' >"$tmp/schema/measures.json"
expect_error "wrong schema" "$tmp/schema/measures.json" "$tmp/schema"

cp -R "$tmp/good" "$tmp/keyterms"
sed '2s/,[0-9.]*,\([0-9.]*\)$/,abc,\1/' "$tmp/good/keyterms.csv" >"$tmp/keyterms/keyterms.csv"
expect_error "keyterms.csv bad number" "$tmp/keyterms/keyterms.csv" "$tmp/keyterms"
grep -q "'abc' is not a number" "$tmp/err" || bad "keyterms.csv: the message does not quote 'abc'"

cp -R "$tmp/good" "$tmp/short"
printf '110000,120000\n' >>"$tmp/short/similarity.csv"
expect_error "similarity.csv short row" "$tmp/short/similarity.csv" "$tmp/short"

cp -R "$tmp/good" "$tmp/conc"
echo '[1, 2]' >"$tmp/conc/concentration.json"
expect_error "concentration.json not an object" "$tmp/conc/concentration.json" "$tmp/conc"

cp -R "$tmp/good" "$tmp/rank"
printf 'rank,city_id,score\n1,110000,0.5\n' >"$tmp/rank/ranking.csv"
expect_error "ranking.csv without rank_median" "$tmp/rank/ranking.csv" "$tmp/rank"

# missing optional files: a report, with the notes
cp -R "$tmp/good" "$tmp/thin"
rm "$tmp/thin/keyterms.csv" "$tmp/thin/similarity.csv"
"$NARRATE" report "$tmp/thin" 2>"$tmp/err" || bad "a folder without keyterms.csv failed"
grep -q "no keyterms.csv" "$tmp/err" || bad "no warning naming keyterms.csv"
grep -q "No keyterms.csv in this folder" "$tmp/thin/report.html" ||
	bad "the tags section does not explain the missing keyterms.csv"
grep -q "No similarity.csv in this folder" "$tmp/thin/report.html" ||
	bad "the similarity section does not explain the missing similarity.csv"

# one city, no tone lexicon, no ranking
mkdir -p "$tmp/one"
cat >"$tmp/one/posts.jsonl" <<'JSONL'
{"id": "1", "city": "Hangzhou", "text": "West Lake is beautiful in spring, and the tea is wonderful."}
{"id": "2", "city": "Hangzhou", "text": "The Hangzhou Asian Games brought crowds to the new stadium."}
{"id": "3", "city": "Hangzhou", "text": "杭州西湖的春天很美，龙井茶也很好喝。"}
JSONL
"$NARRATE" analyze -q --no-progress --tone none "$tmp/one" -o "$tmp/oneout" 2>"$tmp/err" ||
	{ bad "one city: analyze failed"; cat "$tmp/err"; }
R=$tmp/oneout/report.html
[ -f "$R" ] || bad "one city: no report.html"
xmllint --noout "$R" || bad "one city: not well-formed"
python3 "$CHECK" "$R" --sections overview,attention,ranking,topics,diversity,tags,similarity,homogeneity,gaps,quadrant,method >/dev/null ||
	bad "one city: report-check.py"
for msg in "One city only" "No ranking.csv in this folder" "No tone data" \
	"Similarity compares cities" "Key terms compare a city with the others"; do
	grep -q "$msg" "$R" || bad "one city: no '$msg' explanation"
done

# 340 cities (a synthetic measures.json): usable and small
python3 - "$tmp/big" <<'PY'
import json, math, os, sys
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
regions = ["east", "central", "west", "northeast"]
groups = []
for i in range(340):
    docs = int(2000 / (i + 1)) + 1
    groups.append({
        "id": "%06d" % (100000 + i), "name": "City %d" % i, "name_zh": "城市%d" % i,
        "region": regions[i % 4], "north_south": "north" if i % 3 else "south",
        "tags": ["t%d" % i],
        "measures": {"documents": docs, "tokens": docs * 30, "tone_net": math.sin(i) / 20,
                     "frame_hill1": 3 + (i % 7), "mattr": 0.6 + (i % 10) / 40,
                     "distinct_share": (i % 13) / 40, "cosine_mean": (i % 11) / 30},
        "topics": {"topic/a": (i % 5) / 5, "topic/b": (i % 3) / 3, "topic/c": 0.1},
        "frames": {"frame/x": (i % 4) / 4, "frame/y": 0.2},
        "languages": {"zh": docs}, "platforms": {"weibo": docs}})
json.dump({"schema": "narrate.measures", "version": 1, "groups": groups,
           "corpus": {"documents": sum(g["measures"]["documents"] for g in groups)}},
          open(os.path.join(d, "measures.json"), "w"), ensure_ascii=False)
with open(os.path.join(d, "similarity.csv"), "w") as f:
    f.write("city_a,city_b,cosine\n")
    for a in range(340):
        for b in range(340):
            if a != b:
                f.write("%06d,%06d,%.4f\n" % (100000 + a, 100000 + b, 1 / (1 + abs(a % 17 - b % 17))))
PY
start=$(date +%s%N)
"$NARRATE" report -q "$tmp/big" || bad "340 cities: narrate report failed"
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -lt 3000 ] || bad "340 cities: took $ms ms"
R=$tmp/big/report.html
python3 "$CHECK" "$R" --max-bytes 2000000 >/dev/null || bad "340 cities: report-check.py"
grep -q "The 40 cities with most documents of 340" "$R" || bad "340 cities: no top-N note"
grep -q "Rows: the cities with most documents" "$R" || bad "340 cities: the heatmap is not cut"
[ "$(grep -o '<rect [^>]*class="cell"' "$R" | wc -l)" -le $((40 * 40 + 40 * 3 + 40 * 2)) ] ||
	bad "340 cities: more heatmap cells than 40 cities"

# negative control: the checker must see an external resource
sed 's|</main>|<img src="http://example.org/x.png" alt=""/></main>|' "$tmp/oneout/report.html" \
	>"$tmp/leak.html"
python3 "$CHECK" "$tmp/leak.html" >/dev/null && bad "report-check.py missed an <img src>"

# the Gini is read from concentration.json (concentration.documents.gini),
# not only from measures.json's copy: with the copy gone it is still there
cp -r "$tmp/good" "$tmp/nogini"
/usr/bin/python3 -c 'import json, sys
p = sys.argv[1]; m = json.load(open(p))
del m["corpus"]["concentration"]["documents"]["gini"]
json.dump(m, open(p, "w"))' "$tmp/nogini/measures.json" || bad "could not edit measures.json"
g=$(/usr/bin/python3 -c 'import json, sys
print("%.2f" % json.load(open(sys.argv[1]))["concentration"]["documents"]["gini"])' \
	"$tmp/good/concentration.json")
"$NARRATE" report "$tmp/nogini" -o "$tmp/nogini.html" >/dev/null 2>&1 || bad "report without measures.json's Gini failed"
grep -q "Gini $g" "$tmp/nogini.html" || bad "without measures.json's Gini the page shows no Gini $g"

# usage errors
"$NARRATE" report >/dev/null 2>&1
[ $? = 2 ] || bad "no folder: want exit 2"
"$NARRATE" report --names fr "$tmp/good" >/dev/null 2>&1
[ $? = 2 ] || bad "--names fr: want exit 2"
exit $fail
