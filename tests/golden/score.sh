#!/bin/sh
# Golden tests of `narrate score` on a hand-made measures.json
# (tests/golden/score/README.md): the shipped content_quality index and the
# city_influence index with an external-indicators CSV.  ranking.csv,
# regions.csv, sensitivity.csv, stdout and stderr are diffed against
# tests/golden/score/expected/<case>.*; besides the goldens:
#   - the same seed gives byte-identical files (run twice, cmp);
#   - rank_p05 <= rank_median <= rank_p95 and ranks ascend;
#   - the content_quality scores are recomputed independently in Python
#     (score-check.py) and must agree to 1e-6.
# Regenerate after a deliberate change, then READ the diff before committing:
#   NR_REGEN=1 NARRATE=build/narrate sh tests/golden/score.sh
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
D=$HERE/score
E=$D/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# Run in the temporary folder with local copies, so that the file names in
# warnings do not depend on where the tree is.
cp "$D/measures.json" "$D/indicators.csv" "$ROOT/lexicons/indices/content_quality.yaml" \
	"$ROOT/lexicons/indices/city_influence.yaml" "$tmp/"
cd "$tmp" || exit 1

# case NAME ARGS... : run into NAME/, compare with the goldens
case_() {
	name=$1
	shift
	mkdir -p "$name"
	if ! "$NARRATE" score "$@" -o "$name/ranking.csv" >"$name/stdout" 2>"$name/stderr"; then
		bad "$name: narrate score $* failed"
		cat "$name/stderr"
		return
	fi
	for f in ranking.csv regions.csv sensitivity.csv stdout stderr; do
		if [ "${NR_REGEN:-}" = 1 ]; then
			mkdir -p "$E"
			cp "$name/$f" "$E/$name.$f"
		elif ! diff -u "$E/$name.$f" "$name/$f"; then
			bad "$name: $f differs from the golden file"
		fi
	done
	# rank statistics in order, ranks ascending
	awk -F, 'NR > 1 {
		n = NF; med = $(n-2); lo = $(n-1); hi = $n
		if (!(lo <= med && med <= hi)) { print "row " NR ": p05 " lo " median " med " p95 " hi; bad = 1 }
		if ($1 < prev) { print "row " NR ": rank " $1 " after " prev; bad = 1 }
		prev = $1
	} END { exit bad }' "$name/ranking.csv" || bad "$name: rank statistics out of order"
}

case_ content_quality measures.json --index content_quality.yaml --runs 300 --seed 7
case_ city_influence measures.json --index city_influence.yaml \
	--indicators indicators.csv --runs 200 --seed 3

# the same seed twice: byte-identical
mkdir -p again
"$NARRATE" score measures.json --index content_quality.yaml --runs 300 --seed 7 \
	-o again/ranking.csv >again/stdout 2>again/stderr || bad "second run failed"
for f in ranking.csv regions.csv sensitivity.csv stdout; do
	cmp -s "content_quality/$f" "again/$f" || bad "same seed, different $f"
done

# an independent recomputation of the base scores
/usr/bin/python3 "$HERE/score-check.py" measures.json content_quality/ranking.csv ||
	bad "content_quality scores differ from the Python recomputation"

[ $fail -eq 0 ] && echo "score golden: ok"
exit $fail
