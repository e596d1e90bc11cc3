#!/bin/sh
# Golden tests of `narrate match` and `narrate lexicon check|import` on the
# small hand-written fixtures in tests/golden/match/ (see its README.md):
# each command's stdout (and, where it matters, stderr and exit status) is
# diffed against match/<case>.out.  Regenerate after a deliberate change,
# then READ every changed line before committing:
#   NR_REGEN=1 NARRATE=build/narrate sh tests/golden/match.sh
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
D=$(cd "$(dirname "$0")/match" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
cd "$D" || exit 1
# NAME lexicons resolve in the fixture folder
NARRATE_DATA=$D
export NARRATE_DATA

# golden CASE EXPECTED-STATUS COMMAND-ARGS... : stdout, then "--- stderr",
# stderr, then "--- exit N", compared with $D/CASE.out
golden() {
	name=$1
	want=$2
	shift 2
	"$NARRATE" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	got=$?
	{
		sed -e 's/by narrate [0-9][0-9.]*/by narrate VERSION/' "$tmp/out"
		echo "--- stderr"
		sed -e "s|$D|DATA_DIR|g" "$tmp/err"
		echo "--- exit $got"
	} >"$tmp/$name.out"
	if [ "$got" != "$want" ]; then
		echo "FAIL: $name: exit $got, expected $want"
		cat "$tmp/err"
		fail=1
	fi
	if [ "${NR_REGEN:-}" = 1 ]; then
		cp "$tmp/$name.out" "$D/$name.out"
	elif ! diff -u "$D/$name.out" "$tmp/$name.out"; then
		echo "FAIL: $name: output differs from $D/$name.out (- expected, + got)"
		fail=1
	fi
}

golden match-tsv 0 match --lexicon demo.nlex --lexicon tone.nlex --details text.txt
golden match-by-name 0 match --lexicon demo text.txt
golden match-lang-en 0 match --lexicon demo.nlex --lexicon tone.nlex --lang en text.txt
golden match-kwic 0 match --lexicon demo.nlex --kwic 5 text.txt
golden check 0 lexicon check demo.nlex tone.nlex
golden check-bad 1 lexicon check bad.nlex demo.nlex
golden import-dic 0 lexicon import liwc-sample.dic -o -
golden import-yaml 0 lexicon import --name econ --lang en quanteda-sample.yml -o -
golden match-bad-lexicon 3 match --lexicon bad.nlex text.txt
golden match-no-lexicon 2 match text.txt
golden match-missing-name 3 match --lexicon no-such-lexicon-name text.txt
golden import-not-dic 3 lexicon import --format dic text.txt -o -

# Every hit's surface is the input bytes at its offset and length.
"$NARRATE" match --lexicon demo.nlex --lexicon tone.nlex text.txt >"$tmp/hits" 2>&1 || fail=1
python3 - "$tmp/hits" text.txt <<'PY' || { echo "FAIL: surfaces differ from the input bytes"; fail=1; }
import sys
text = open(sys.argv[2], "rb").read()
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    off, length, lex, cat, eid, surface = line.rstrip("\n").split("\t")
    s = surface.replace("\\n", "\n").replace("\\t", "\t").encode()
    assert text[int(off):int(off) + int(length)] == s, line
    n += 1
assert n >= 10, n
PY

# Standard input, and invalid UTF-8 in the input.
printf 'Hangzhou\n' | "$NARRATE" match --lexicon demo.nlex - >"$tmp/stdin" 2>&1
grep -q '^0	8	demo	place/city	330100	Hangzhou$' "$tmp/stdin" || { echo "FAIL: stdin"; cat "$tmp/stdin"; fail=1; }
printf 'Hang\377zhou\n' >"$tmp/bad.txt"
"$NARRATE" match --lexicon demo.nlex "$tmp/bad.txt" >/dev/null 2>"$tmp/err"
[ $? = 3 ] && grep -q 'offset 4' "$tmp/err" || { echo "FAIL: bad UTF-8 input"; cat "$tmp/err"; fail=1; }

# An imported dictionary matches like a native one.
"$NARRATE" lexicon import liwc-sample.dic -o "$tmp/liwc.nlex" 2>/dev/null || fail=1
printf 'Happy tourists, a good trip with a travel\nagent.\n' >"$tmp/t.txt"
"$NARRATE" match --lexicon "$tmp/liwc.nlex" "$tmp/t.txt" | cut -f4,5 | tr '\t\n' ':,' >"$tmp/liwc.hits"
want='posemo:happ*,affect:happ*,travel:tourist*,posemo:good,affect:good,travel:trip,travel:travel agent,'
[ "$(cat "$tmp/liwc.hits")" = "$want" ] || { echo "FAIL: imported .dic: $(cat "$tmp/liwc.hits")"; fail=1; }

# --help for each command
for c in match lexicon; do
	"$NARRATE" $c --help | grep -q "^usage: narrate $c" || { echo "FAIL: $c --help"; fail=1; }
done
exit $fail
