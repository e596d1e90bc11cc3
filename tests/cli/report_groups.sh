#!/bin/sh
# report.html of a folder grouped by other keys than the city
# (docs/report.md, "Any grouping"): the page names the unit it shows.
#   - analyze corpora/sample with -g city,month (plus score and homogeneity
#     with the same keys, so that the ranking and cliche sections are drawn)
#     and with -g platform; each page is well-formed XML (xmllint) and
#     passes report-check.py;
#   - report-groups-check.py: "city" / "cities" appear only where they mean
#     cities (its ALLOWED list), data (group names, terms, phrases) aside;
#   - the sentences that were false for such groups now say what is
#     computed: regional means over the groups, counts of city-months,
#     documents per group, a platform page's gaps section saying why it is
#     empty;
#   - the grouping is read from measures.json's group_by, else from
#     manifest.json's options (array or "city,month"), else it is city:
#     the golden folder without group_by still draws
#     tests/golden/report/sample.html byte for byte, and so does the default
#     grouping (the same check as tests/golden/report.sh).
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHECK=$ROOT/tests/golden/report-check.py
WORDS=$HERE/report-groups-check.py
GOLD=$ROOT/tests/golden/report
SECTIONS=overview,attention,ranking,topics,diversity,tags,similarity,homogeneity,gaps,quadrant,method
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# has FILE TEXT: the page holds TEXT (fixed string, as written in the HTML)
has() {
	grep -qF -- "$2" "$1" || bad "$(basename "$(dirname "$1")"): no '$2'"
}

# hasnt FILE TEXT
hasnt() {
	grep -qF -- "$2" "$1" && bad "$(basename "$(dirname "$1")"): still '$2'"
}

cd "$ROOT" || exit 1
for g in city,month platform; do
	o=$tmp/$(echo "$g" | tr , -)
	"$NARRATE" analyze -q --no-progress -j 2 -g "$g" corpora/sample -o "$o" 2>"$tmp/err" ||
		{ bad "narrate analyze -g $g failed"; cat "$tmp/err"; exit 1; }
done
CM=$tmp/city-month
PF=$tmp/platform
# city-months too small for a measure: filled with the mean, so that there
# is a ranking to draw
sed 's/^\( *missing:\) error/\1 mean/' lexicons/indices/content_quality.yaml >"$tmp/cq.yaml"
"$NARRATE" score "$CM/measures.json" --index "$tmp/cq.yaml" -q -o "$CM/ranking.csv" \
	2>"$tmp/err" || { bad "narrate score failed"; cat "$tmp/err"; }
"$NARRATE" homogeneity -q --no-progress -g city,month corpora/sample -o "$tmp/homog" \
	2>"$tmp/err" || { bad "narrate homogeneity failed"; cat "$tmp/err"; }
"$NARRATE" report -q --homogeneity "$tmp/homog" "$CM" || bad "narrate report failed"

for o in "$CM" "$PF"; do
	R=$o/report.html
	xmllint --noout "$R" || bad "$R is not well-formed XML"
	python3 "$CHECK" "$R" --sections "$SECTIONS" --max-bytes 2000000 >/dev/null ||
		bad "report-check.py $R"
done
python3 "$WORDS" "$CM/report.html" "$CM" "$tmp/homog" || bad "-g city,month: stray 'city'"
python3 "$WORDS" "$PF/report.html" "$PF" || bad "-g platform: stray 'city'"

# the statements that were false, now true; the noun in every kind of place
R=$CM/report.html
has "$R" '<title>narrate report: how cities are talked about, by city and month</title>'
has "$R" '<span>city-months</span>'
has "$R" 'Means of the city-months in each region (a city-month counts once, whatever its size, so a city counts once for each city-month it has).'
hasnt "$R" 'a city counts once, whatever its size'
has "$R" ' southern city-months have '
has "$R" ' documents per city-month, '
has "$R" 'city-months shown (the measure is undefined for some)'
has "$R" '>Lorenz curve of documents over city-months</title>'
has "$R" 'No key terms for this city-month'
has "$R" 'Attention is concentrated: the top 3 city-months have ('
has "$R" '<th scope="col" tabindex="0">city-month</th>'
has "$R" 'south, documents per city-month: '
has "$R" 'Dot plot of median rank with 5-95% whiskers for 40 city-months'
has "$R" '<label>City-month: <select'
has "$R" 'Near-duplicate posts across city-months'
R=$PF/report.html
has "$R" '<span>platforms</span>'
has "$R" 'these platforms have no city'
has "$R" 'Groups (--group-by platform): each document is in one group'
hasnt "$R" 'id="gapns"'
has "$R" 'Each document counts once, in its own group.'

# where the grouping is read from
"$NARRATE" report -q --homogeneity "$GOLD/in-homog" -o "$tmp/gold.html" "$GOLD/in" ||
	bad "narrate report on the golden folder failed"
cmp -s "$tmp/gold.html" "$GOLD/sample.html" || bad "--group-by city: the page changed"
mkdir -p "$tmp/old"
cp "$GOLD"/in/* "$tmp/old/"
python3 - "$tmp/old/measures.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
del m['group_by']
json.dump(m, open(sys.argv[1], 'w'), ensure_ascii=False, indent=2)
PY
"$NARRATE" report -q --homogeneity "$GOLD/in-homog" -o "$tmp/old.html" "$tmp/old" ||
	bad "narrate report without group_by failed"
cmp -s "$tmp/old.html" "$GOLD/sample.html" ||
	bad "measures.json without group_by: not drawn as cities"
for how in '"city,month"' '["city", "month"]'; do
	rm -rf "$tmp/man"
	mkdir -p "$tmp/man"
	cp "$CM"/*.json "$CM"/*.csv "$tmp/man/"
	python3 - "$tmp/man" "$how" <<'PY'
import json, sys
d, how = sys.argv[1], json.loads(sys.argv[2])
m = json.load(open(d + '/measures.json'))
del m['group_by']
json.dump(m, open(d + '/measures.json', 'w'), ensure_ascii=False, indent=2)
f = json.load(open(d + '/manifest.json'))
f['options']['group_by'] = how
json.dump(f, open(d + '/manifest.json', 'w'), ensure_ascii=False, indent=2)
PY
	"$NARRATE" report -q --homogeneity "$tmp/homog" "$tmp/man" ||
		bad "narrate report with manifest group_by $how failed"
	cmp -s "$tmp/man/report.html" "$CM/report.html" ||
		bad "manifest.json options group_by $how: not read"
done
exit $fail
