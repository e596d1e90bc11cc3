#!/bin/sh
# Bad and awkward inputs to `narrate tokenize`: the exit code, the exact
# message on stderr and (where there is one) the output are golden files in
# tests/cli/tokenize_errors/<case>.{err,out}.  Inputs are made at test time
# in a temporary folder, which is also the working directory so that the
# file names in messages are stable.
#   NARRATE=build/narrate sh tests/cli/tokenize_errors.sh
# NR_REGEN=1 rewrites the golden files (read them before committing).
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
G=$(cd "$(dirname "$0")" && pwd)/tokenize_errors
CHECK="python3 $(cd "$(dirname "$0")/.." && pwd)/golden/tokenize-check.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# expect CASE EXIT ARGS... : run narrate tokenize ARGS, compare the exit code
# with EXIT, stderr with CASE.err and stdout with CASE.out (when it exists,
# else stdout must be empty).
expect() {
	name=$1
	want=$2
	shift 2
	"$NARRATE" tokenize "$@" >"$name.got-out" 2>"$name.got-err"
	rc=$?
	[ "$rc" -eq "$want" ] || bad "$name: exit $rc, expected $want"
	if [ "${NR_REGEN:-}" = 1 ]; then
		cp "$name.got-err" "$G/$name.err"
		if [ -s "$name.got-out" ]; then cp "$name.got-out" "$G/$name.out"; fi
		return
	fi
	diff -u "$G/$name.err" "$name.got-err" || bad "$name: stderr differs (diff above)"
	if [ -f "$G/$name.out" ]; then
		diff -u "$G/$name.out" "$name.got-out" || bad "$name: stdout differs (diff above)"
	elif [ -s "$name.got-out" ]; then
		bad "$name: unexpected output:"
		head -5 "$name.got-out"
	fi
}

# Invalid UTF-8: 0xFF 0xFE at bytes 15-16 (two maximal subparts).
printf 'Hello Hangzhou \377\376 West Lake\n' >bad.txt
expect bad-utf8 3 --lang en bad.txt
expect bad-utf8-repair 0 --lang en --repair bad.txt
$CHECK offsets bad.txt bad-utf8-repair.got-out || bad "repair: offsets do not index the original file"

# Repair across many small pieces gives the tokens of one piece.
{
	printf 'West Lake \377 in Hangzhou \300\257 draws \355\240\200 crowds\n'
	printf 'Chengdu \360\237\220 pandas and \342\202 hotpot\n'
} >bad2.txt
"$NARRATE" tokenize --lang en --repair bad2.txt >bad2-whole.out 2>bad2-whole.err ||
	bad "bad2: --repair failed"
"$NARRATE" tokenize --lang en --repair --piece-size 64 bad2.txt >bad2-pieces.out 2>bad2-pieces.err ||
	bad "bad2: --repair --piece-size 64 failed"
cmp -s bad2-whole.out bad2-pieces.out || bad "bad2: small pieces changed the repaired tokens"
cmp -s bad2-whole.err bad2-pieces.err || bad "bad2: small pieces changed the repair count"
# Maximal subparts (Unicode 15, 3.9): FF | C0 | AF | ED | A0 | 80 | F0 9F 90 | E2 82
grep -q "replaced 8 ill-formed UTF-8 sequences in 'bad2.txt'" bad2-pieces.err ||
	bad "bad2: expected 8 replacements: $(cat bad2-pieces.err)"
$CHECK offsets bad2.txt bad2-pieces.out || bad "bad2: offsets do not index the original file"

# The same in a later piece: the offset is the file's, not the piece's.
i=0
while [ $i -lt 1100 ]; do
	printf 'Xi%04d an city walls and towers by the Wei river on a summer evening!!\n' $i
	i=$((i + 1))
done >later.txt
size=$(wc -c <later.txt)
printf 'caf\351\n' >>later.txt
"$NARRATE" tokenize --lang en --piece-size 4096 later.txt >later.out 2>later.err
rc=$?
[ $rc -eq 3 ] || bad "later: exit $rc, expected 3"
grep -q "^narrate: 'later.txt' is not valid UTF-8 at byte $((size + 3)) " later.err ||
	bad "later: message does not give byte $((size + 3)): $(cat later.err)"

# A sequence cut short by the end of the file (E6 88 of U+6210).
printf 'Chengdu \346\210' >trunc.txt
expect truncated-eof 3 --lang en trunc.txt
expect truncated-eof-repair 0 --lang en --repair trunc.txt

# NUL bytes are valid UTF-8 but control characters: no token.
printf 'West\000Lake\000\000 Hangzhou\n' >nul.txt
expect nul 0 --lang en nul.txt
$CHECK offsets nul.txt nul.got-out || bad "nul: offsets"

# Empty input: nothing at all.
: >empty.txt
expect empty 0 empty.txt
expect empty-stdin 0 - <empty.txt

# Files that cannot be read.
mkdir adir
expect directory 3 adir
expect nonexistent 3 missing.txt
printf 'Hangzhou West Lake\n' >small.txt
expect max-bytes 3 --max-bytes 10 small.txt
# Over the limit after several pieces: a regular file is refused before any
# token is written.
yes 'Hangzhou West Lake' | head -n 200000 >big-small.txt
expect max-bytes-pieces 3 --max-bytes 1M big-small.txt

# A language with no stopword list (a typo in --lang): tokens as usual, and
# a note on stderr, once; a language with a list gets no note.
for i in 1 2 3 4 5; do printf 'The West Lake is in Hangzhou\n'; done >lake.txt
expect no-stopwords 0 --lang xx --piece-size 64 lake.txt
expect with-stopwords 0 --lang en lake.txt

# Usage errors exit 2 and point to --help.
expect unknown-option 2 --frobnicate small.txt
expect bad-format 2 --format xml small.txt
expect missing-value 2 small.txt --lang
expect two-files 2 small.txt small.txt
expect bad-max-bytes 2 --max-bytes 12Q small.txt

# --help exits 0 on stdout and explains every option.
"$NARRATE" tokenize --help >help.out 2>help.err
rc=$?
[ $rc -eq 0 ] || bad "--help: exit $rc"
[ -s help.err ] && bad "--help wrote to stderr"
for o in --lang --format --repair --no-stem --no-punct --max-bytes --piece-size --help \
	tsv jsonl offset length type surface norm stem stop 'Exit status'; do
	grep -q -e "$o" help.out || bad "--help does not mention $o"
done

# A write error on stdout is an error, with a message.
if [ -w /dev/full ]; then
	"$NARRATE" tokenize --lang en small.txt >/dev/full 2>full.err
	rc=$?
	[ $rc -ne 0 ] || bad "/dev/full: exit 0"
	grep -q '^narrate: write error on standard output' full.err ||
		bad "/dev/full: no message: $(cat full.err)"
fi

# A single line over 50 MiB finishes in bounded memory.  The line repeats a
# 51-byte unit (a URL, English and Chinese words) 1,030,000 times; only the
# token count and the last token are kept, not the output.
unit='https://example.com/hz/2026 West Lake 杭州西湖 '
units=1030000
yes "$unit" | head -n $units | tr -d '\n' >big.txt
size=$(wc -c <big.txt)
[ "$size" -gt 52428800 ] || bad "big: generated only $size bytes"
printf '%s' "$unit" >unit.txt
"$NARRATE" tokenize --lang en unit.txt >unit.out || bad "unit: non-zero exit"
per_unit=$(wc -l <unit.out)
timer=
[ -x /usr/bin/time ] && timer="/usr/bin/time -f %M -o big.mem"
{
	$timer "$NARRATE" tokenize --lang en big.txt 2>big.err
	echo $? >big.rc
} | awk '{ last = $0 } END { print NR; print last }' >big.sum
rc=$(cat big.rc)
[ "$rc" -eq 0 ] || bad "big: exit $rc: $(cat big.err)"
n=$(head -n 1 big.sum)
last=$(tail -n 1 big.sum)
[ "$n" -eq $((per_unit * units)) ] ||
	bad "big: $n tokens, expected $per_unit per unit x $units"
# The last token ends where the last unit ends (before its space).
last_off=$(printf '%s' "$last" | cut -f1)
last_len=$(printf '%s' "$last" | cut -f2)
[ $((last_off + last_len)) -eq $((size - 1)) ] ||
	bad "big: last token ends at $((last_off + last_len)), the input at $((size - 1))"
tail -n 1 unit.out | cut -f3- >unit.last
printf '%s\n' "$last" | cut -f3- | cmp -s - unit.last || bad "big: last token differs from the unit's"
if [ -f big.mem ]; then
	kb=$(tail -n 1 big.mem)
	echo "big: $size bytes, $n tokens, peak RSS $kb KiB"
	# AddressSanitizer's shadow memory and quarantine add ~300 MiB: the
	# bound is for a normal build (make check runs this on build/narrate).
	if grep -q __asan_init "$NARRATE"; then
		echo "big: sanitizer build, peak RSS not bounded"
	elif [ "$kb" -ge 204800 ]; then
		bad "big: peak RSS $kb KiB is over 200 MiB"
	fi
fi

[ $fail -eq 0 ] && echo "tokenize errors: all cases pass"
exit $fail
