#!/bin/sh
# Golden tests of `narrate tokenize`: every tests/golden/tokenize/<case>.txt
# is tokenized and the output diffed against <case>.tsv (or .jsonl).  Besides
# the goldens, every output is checked on its own terms by
# tokenize-check.py: the input bytes at offset/length equal the surface
# column, and the JSONL output holds the same tokens as the TSV output.
#
# Regenerate the expected files after a deliberate change, then READ every
# changed line before committing:
#   NR_REGEN=1 NARRATE=build/narrate sh tests/golden/tokenize.sh
set -u
NARRATE=${NARRATE:-build/narrate}
HERE=$(dirname "$0")
D=$HERE/tokenize
CHECK="python3 $HERE/tokenize-check.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# golden CASE EXPECTED-EXT ARGS... : run on $D/CASE.txt, diff with $D/CASE.EXT
golden() {
	name=$1
	ext=$2
	shift 2
	out=$tmp/$name.$ext
	if ! "$NARRATE" tokenize "$@" "$D/$name.txt" >"$out" 2>"$tmp/err"; then
		bad "$name: narrate tokenize $* exited non-zero"
		cat "$tmp/err"
		return
	fi
	if [ -s "$tmp/err" ]; then
		bad "$name: unexpected stderr"
		cat "$tmp/err"
	fi
	if [ ! -s "$out" ]; then
		bad "$name: no tokens"
	fi
	if [ "${NR_REGEN:-}" = 1 ]; then
		cp "$out" "$D/$name.$ext"
	elif ! diff -u "$D/$name.$ext" "$out"; then
		bad "$name: output differs from $D/$name.$ext (diff above: - expected, + got)"
	fi
	if [ "$ext" = tsv ] && ! $CHECK offsets "$D/$name.txt" "$out"; then
		bad "$name: surface columns do not match the input bytes at their offsets"
	fi
}

golden en tsv --lang en
golden zh-Hans tsv --lang zh
golden zh-Hant tsv --lang zh
golden ja tsv --lang ja
golden ko tsv --lang ko
golden ru tsv --lang ru
golden ar tsv --lang ar
golden fr tsv --lang fr
golden mixed tsv --lang en
golden mixed jsonl --lang en --format jsonl

# JSONL and TSV carry the same tokens.
if ! $CHECK same "$tmp/mixed.jsonl" "$tmp/mixed.tsv"; then
	bad "mixed: JSONL and TSV outputs disagree"
fi

# Quotes and backslashes survive both escapings (TSV's and JSON's).
printf 'She said "West Lake" \\ C:\\path 5\\6\n' >"$tmp/esc.txt"
"$NARRATE" tokenize --lang en "$tmp/esc.txt" >"$tmp/esc.tsv" || bad "esc: tsv failed"
"$NARRATE" tokenize --lang en --format jsonl "$tmp/esc.txt" >"$tmp/esc.jsonl" || bad "esc: jsonl failed"
grep -q '	"	' "$tmp/esc.tsv" || bad "esc: no token for the quote"
grep -q '	\\\\	' "$tmp/esc.tsv" || bad "esc: backslash token not written as \\\\"
$CHECK offsets "$tmp/esc.txt" "$tmp/esc.tsv" || bad "esc: TSV surfaces do not match the input"
$CHECK same "$tmp/esc.jsonl" "$tmp/esc.tsv" || bad "esc: JSONL and TSV disagree"

# Without --lang the language is identified: the output must be the same as
# with the right --lang (so the stemmer and stopwords were chosen right).
for c in fr ru ja zh-Hans; do
	"$NARRATE" tokenize "$D/$c.txt" >"$tmp/auto-$c.tsv" 2>"$tmp/err" ||
		bad "$c without --lang exited non-zero: $(cat "$tmp/err")"
	if ! diff -u "$tmp/$c.tsv" "$tmp/auto-$c.tsv"; then
		bad "$c: language identification chose differently from --lang (diff above)"
	fi
done

# Standard input gives the same tokens as the file.
"$NARRATE" tokenize --lang en - <"$D/en.txt" >"$tmp/stdin.tsv" || bad "stdin: non-zero exit"
cmp -s "$tmp/stdin.tsv" "$tmp/en.tsv" || bad "stdin: output differs from the file's"

# Small pieces: lines are cut at spaces, offsets shifted back; for spaced
# scripts the tokens must not change.
for c in en ru fr; do
	"$NARRATE" tokenize --lang "$c" --piece-size 64 "$D/$c.txt" >"$tmp/piece-$c.tsv" ||
		bad "$c --piece-size 64: non-zero exit"
	if ! diff -u "$tmp/$c.tsv" "$tmp/piece-$c.tsv"; then
		bad "$c: --piece-size 64 changed the tokens (diff above)"
	fi
done

# Scripts without spaces are cut at character boundaries in small pieces:
# tokens may differ there, offsets must still index the file.
for c in zh-Hans ja mixed; do
	"$NARRATE" tokenize --lang zh --piece-size 64 "$D/$c.txt" >"$tmp/piece-$c.tsv" ||
		bad "$c --piece-size 64: non-zero exit"
	$CHECK offsets "$D/$c.txt" "$tmp/piece-$c.tsv" || bad "$c --piece-size 64: offsets"
done

# A first piece with no basis for a language guess (numbers, emoji) leaves
# the guess to the next piece: the English line gets English stems.
{
	echo '2026 10 01 123 456 789 1000 2000 3000 4000 5000 6000 7000 80'
	echo '🐼🐼 😂'
	cat "$D/en.txt"
} >"$tmp/und.txt"
"$NARRATE" tokenize --piece-size 64 "$tmp/und.txt" >"$tmp/und-auto.tsv" || bad "und: exit"
"$NARRATE" tokenize --piece-size 64 --lang en "$tmp/und.txt" >"$tmp/und-en.tsv" || bad "und: exit"
diff -u "$tmp/und-en.tsv" "$tmp/und-auto.tsv" || bad "und: a number-only first piece fixed the language"

# The options do what they say.
"$NARRATE" tokenize --lang en --no-punct "$D/en.txt" >"$tmp/np.tsv"
if cut -f3 "$tmp/np.tsv" | grep -qx punct; then
	bad "--no-punct left punct tokens"
fi
cut -f3 "$tmp/en.tsv" | grep -qx punct || bad "en.tsv has no punct token to drop"
awk -F '\t' '$3 != "punct"' "$tmp/en.tsv" | cmp -s - "$tmp/np.tsv" ||
	bad "--no-punct output is not the default output minus punct lines"
"$NARRATE" tokenize --lang en --no-stem "$D/en.txt" >"$tmp/ns.tsv"
awk -F '\t' '$5 != $6 { print; n++ } END { exit n > 0 }' "$tmp/ns.tsv" ||
	bad "--no-stem: stem differs from norm on the lines above"
awk -F '\t' '$5 != $6 { n++ } END { exit n == 0 }' "$tmp/en.tsv" ||
	bad "en.tsv: no word was stemmed (is the English stemmer wired?)"

[ $fail -eq 0 ] && echo "tokenize golden: all cases pass"
exit $fail
