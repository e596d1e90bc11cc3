#!/bin/sh
# Golden test of report.html (docs/report.md).  The golden is drawn from a
# committed report folder, tests/golden/report/in/ (analyze + score of
# corpora/sample) and in-homog/ (narrate homogeneity of it), and diffed
# against tests/golden/report/sample.html: a change of the page shows there,
# and a lexicon or analysis change elsewhere does not break it.  The same
# run on the live sample corpus (analyze, score with content_quality,
# homogeneity) is checked without a byte comparison:
#   - the report.html that analyze writes is the same bytes as what
#     'narrate report' draws from the same folder;
#   - drawing twice gives the same bytes; --timestamp adds only the footer;
#   - report-check.py: every <svg> is well-formed XML (xmllint), has
#     role="img", <title> and <desc>; CSP default-src 'none'; no external
#     resource; CJK labels carry lang; C-locale coordinates; all sections;
#   - the whole page is well-formed XML (xmllint), under 2 MB, drawn in
#     under a second;
#   - --names zh puts Chinese city names with lang="zh-Hans" in the charts.
# NARRATE_BLESS=1 copies the live run into in/ and in-homog/ (lexicon
# changes move the numbers) and redraws the golden; READ the diff before
# committing:
#   NARRATE_BLESS=1 NARRATE=build/narrate sh tests/golden/report.sh
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
GOLD=$HERE/report/sample.html
IN=$HERE/report/in
INH=$HERE/report/in-homog
SECTIONS=overview,attention,ranking,topics,diversity,tags,similarity,homogeneity,gaps,quadrant,method
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

cd "$ROOT" || exit 1
"$NARRATE" analyze -q --no-progress -j 2 corpora/sample -o "$tmp/out" 2>"$tmp/err" ||
	{ bad "narrate analyze failed"; cat "$tmp/err"; exit 1; }
[ -f "$tmp/out/report.html" ] || { bad "narrate analyze wrote no report.html"; exit 1; }
"$NARRATE" report -q -o "$tmp/again.html" "$tmp/out" || bad "narrate report failed"
cmp -s "$tmp/out/report.html" "$tmp/again.html" ||
	bad "analyze's report.html differs from what 'narrate report' draws"
"$NARRATE" score "$tmp/out/measures.json" --index content_quality -q \
	-o "$tmp/out/ranking.csv" 2>"$tmp/err" || { bad "narrate score failed"; cat "$tmp/err"; }
"$NARRATE" homogeneity -q --no-progress corpora/sample -o "$tmp/homog" 2>"$tmp/err" ||
	{ bad "narrate homogeneity failed"; cat "$tmp/err"; }

start=$(date +%s%N)
"$NARRATE" report -q --homogeneity "$tmp/homog" "$tmp/out" || bad "narrate report failed"
end=$(date +%s%N)
ms=$(((end - start) / 1000000))
[ "$ms" -lt 1000 ] || bad "narrate report took ${ms} ms (over a second)"
R=$tmp/out/report.html

"$NARRATE" report -q --homogeneity "$tmp/homog" -o "$tmp/twice.html" "$tmp/out"
cmp -s "$R" "$tmp/twice.html" || bad "two runs give different bytes"
"$NARRATE" report -q --homogeneity "$tmp/homog" --timestamp=2026-01-02T03:04:05Z \
	-o "$tmp/ts.html" "$tmp/out"
grep -q 'Generated 2026-01-02T03:04:05Z' "$tmp/ts.html" || bad "--timestamp is not in the footer"
[ "$(diff "$R" "$tmp/ts.html" | grep -c '^[<>]')" = 2 ] ||
	bad "--timestamp changes more than the footer line"
grep -q 'Generated' "$R" && bad "a timestamp without --timestamp"

xmllint --noout "$R" || bad "report.html is not well-formed XML"
python3 "$HERE/report-check.py" "$R" --sections "$SECTIONS" --max-bytes 2000000 ||
	bad "report-check.py"
# each chart the issue asks for, by its id
for id in lorenz docbars rankchart topics-map frames-map framediv lexdiv key-0 simmap mdsmap \
	homogdots crossmat gapns gapreg quadchart; do
	grep -q "<svg [^>]*id=\"$id\"" "$R" || bad "no chart '$id'"
done
grep -q 'id="clichemat"' "$R" || bad "no cliche dot matrix"

"$NARRATE" report -q --names zh --homogeneity "$tmp/homog" -o "$tmp/zh.html" "$tmp/out" ||
	bad "narrate report --names zh failed"
python3 "$HERE/report-check.py" "$tmp/zh.html" --sections "$SECTIONS" >/dev/null ||
	bad "report-check.py on --names zh"
grep -q '<text [^>]*lang="zh-Hans"[^>]*>北京市</text>' "$tmp/zh.html" ||
	bad "--names zh: no chart label 北京市 with lang=\"zh-Hans\""

if [ "${NARRATE_BLESS:-}" = 1 ]; then
	rm -rf "$IN" "$INH"
	mkdir -p "$IN" "$INH"
	for f in measures.json concentration.json keyterms.csv similarity.csv ranking.csv \
		regions.csv; do
		cp "$tmp/out/$f" "$IN/"
	done
	# the manifest without this machine's paths
	sed -e "s|\"path\": \"[^\"]*/\([^/\"]*\)\"|\"path\": \"lexicons/\1\"|" \
		-e "s|\"command\": \"[^\"]*\"|\"command\": \"narrate analyze corpora/sample\"|" \
		"$tmp/out/manifest.json" >"$IN/manifest.json"
	for f in homogeneity.csv cliches.csv cross_clusters.csv; do
		cp "$tmp/homog/$f" "$INH/"
	done
fi
"$NARRATE" report -q --homogeneity "$INH" -o "$tmp/fixed.html" "$IN" ||
	bad "narrate report on $IN failed"
if [ "${NARRATE_BLESS:-}" = 1 ]; then
	cp "$tmp/fixed.html" "$GOLD"
	echo "blessed $GOLD"
elif ! cmp -s "$tmp/fixed.html" "$GOLD"; then
	bad "report.html of $IN differs from $GOLD (NARRATE_BLESS=1 regenerates after a deliberate change)"
	diff "$GOLD" "$tmp/fixed.html" | head -40
fi
exit $fail
