#!/bin/sh
# Bad input to `narrate score`: each case's exit code and exact stderr are
# golden files in tests/cli/score_errors/<case>.err (first line: the exit
# code).  Inputs are written at test time into a temporary folder, which is
# the working directory so that file names in messages are stable.
#   NARRATE=build/narrate sh tests/cli/score_errors.sh
# NR_REGEN=1 rewrites the golden files (read them before committing).
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
G=$HERE/score_errors
M=$HERE/../golden/score/measures.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1
fail=0
cp "$M" measures.json

bad() {
	echo "FAIL: $*"
	fail=1
}

# expect CASE ARGS... : run narrate score ARGS; "exit N" + stderr must equal
# CASE.err; nothing may be written to a ranking unless the case succeeds.
expect() {
	name=$1
	shift
	rm -f out/*
	mkdir -p out
	"$NARRATE" score "$@" >"$name.stdout" 2>"$name.stderr"
	rc=$?
	{ echo "exit $rc"; cat "$name.stderr"; } >"$name.got"
	if [ "${NR_REGEN:-}" = 1 ]; then
		mkdir -p "$G"
		cp "$name.got" "$G/$name.err"
	elif ! diff -u "$G/$name.err" "$name.got"; then
		bad "$name: exit code or message differs"
	fi
	if [ $rc -ne 0 ] && ls out/ 2>/dev/null | grep -q .; then
		bad "$name: failed but left files in out/"
	fi
}

cat >good.yaml <<'Y'
index: good
uncertainty: {runs: 20}
children:
  - {id: ttr, measure: ttr}
  - {id: cos, measure: cosine_mean, direction: cost}
Y

# an indicator naming a measure that measures.json does not have
cat >unknown.yaml <<'Y'
index: t
children:
  - id: div
    children:
      - {id: ttr, measure: ttr}
      - {id: typo, measure: tttr}
Y
expect unknown_measure measures.json --index unknown.yaml -o out/r.csv

# YAML aliases could make the tree a cycle: refused at the anchor
cat >cycle.yaml <<'Y'
index: t
children: &dims
  - id: d
    children: *dims
Y
expect cycle measures.json --index cycle.yaml -o out/r.csv

# weights that do not sum to 1: rescaled, and the warning says so
cat >weights.yaml <<'Y'
index: t
uncertainty: {runs: 10}
children:
  - {id: ttr, measure: ttr, weight: 0.5}
  - {id: cos, measure: cosine_mean, direction: cost, weight: 0.3}
Y
expect weights_sum measures.json --index weights.yaml -o out/r.csv -q

# a fixed weighting with a weight missing
cat >noweight.yaml <<'Y'
index: t
children:
  - {id: ttr, measure: ttr, weight: 0.5}
  - {id: cos, measure: cosine_mean}
Y
expect weight_missing measures.json --index noweight.yaml -o out/r.csv

# an unknown key (a typo) is an error at its line
printf 'index: t\nchildren:\n  - {id: a, measure: ttr, normalization: minmax, wieght: 1}\n' >typo.yaml
expect unknown_key measures.json --index typo.yaml -o out/r.csv

# external indicators: a city the measures do not have is listed ...
printf 'index: t\nuncertainty: {runs: 10}\nchildren:\n  - {id: v, external: visitors, transform: log}\n  - {id: ttr, measure: ttr}\n' >ext.yaml
printf 'city,visitors\nHangzhou,10\nBeijing,20\nChengdu,30\nWuhan,5\nXi'"'"'an,8\nShenyang,2\nShenzhen,40\nZhengzhou,3\nAtlantis,1\n' >unknown_city.csv
expect csv_unknown_city measures.json --index ext.yaml --indicators unknown_city.csv -o out/r.csv -q
# ... a non-numeric value in a used column is an error at its line
printf 'city_id,visitors\n330100,10\n110000,many\n' >nonnum.csv
expect csv_non_numeric measures.json --index ext.yaml --indicators nonnum.csv -o out/r.csv
# ... and a city without a row is a missing value (missing: error)
printf 'city_id,visitors\n330100,10\n110000,20\n' >short.csv
expect csv_missing_city measures.json --index ext.yaml --indicators short.csv -o out/r.csv
# ... a row with too many fields
printf 'city_id,visitors\n330100,10,3\n' >fields.csv
expect csv_fields measures.json --index ext.yaml --indicators fields.csv -o out/r.csv

# a null measure under the shipped content_quality (missing: error)
sed 's/"mtld": 71.5/"mtld": null/' measures.json >nullmtld.json
cp "$HERE/../../lexicons/indices/content_quality.yaml" .
expect missing_value nullmtld.json --index content_quality.yaml -o out/r.csv

# measures that are not a measures file
printf '{"schema": "narrate.measures", "version": 1, "groups": [\n  {"id": "a",}\n]}\n' >broken.json
expect bad_json broken.json --index good.yaml -o out/r.csv
printf '{"schema": "narrate.measures", "version": 7, "groups": []}\n' >future.json
expect future_version future.json --index good.yaml -o out/r.csv
expect no_file nothere.json --index good.yaml -o out/r.csv

# usage errors
expect no_index measures.json -o out/r.csv
expect bad_runs measures.json --index good.yaml --runs lots -o out/r.csv

# a bare index name loads the shipped definition from the data folder
"$NARRATE" score measures.json --index content_quality --runs 5 -q -o shipped/r.csv \
	2>shipped.err || bad "--index content_quality (shipped) failed: $(cat shipped.err)"
[ -s shipped/r.csv ] && [ -s shipped/regions.csv ] && [ -s shipped/sensitivity.csv ] ||
	bad "--index content_quality wrote no ranking, regions or sensitivity"

# --help works and says what the columns are
"$NARRATE" score --help >help.out 2>&1 || bad "--help failed"
grep -q 'rank,city_id,city_name,score' help.out || bad "--help does not show the columns"

[ $fail -eq 0 ] && echo "score errors: ok"
exit $fail
