#!/bin/sh
# narrate analyze --format F: standard input ('-'), plain or gzip, and a
# file of JSON lines named .json give the same cities.csv as the same lines
# in a .jsonl file; rejects name "(standard input):LINE"; '-' without
# --format and an unknown format are usage errors (exit 2).
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
cd "$ROOT" || exit 1
export NARRATE_DATA="${NARRATE_DATA:-$ROOT/lexicons}"

# the sample's social posts, with the planted bad lines
cat corpora/sample/social/*.jsonl >"$tmp/posts.jsonl"
cp "$tmp/posts.jsonl" "$tmp/posts.json"
gzip -c "$tmp/posts.jsonl" >"$tmp/posts.gz"
an() { # name [options...]; stdin as given
	name=$1
	shift
	"$NARRATE" analyze -q --no-progress --no-report -o "$tmp/$name" "$@" 2>"$tmp/$name.err"
}
an file "$tmp/posts.jsonl" || bad "analyze of the .jsonl file failed"
an plain --format jsonl - <"$tmp/posts.jsonl" || bad "analyze of plain standard input failed"
an gz --format ndjson - <"$tmp/posts.gz" || bad "analyze of gzip standard input failed"
an json --format jsonl "$tmp/posts.json" || bad "analyze of posts.json with --format failed"
for r in plain gz json; do
	cmp -s "$tmp/file/cities.csv" "$tmp/$r/cities.csv" || bad "$r: cities.csv differs from the file's"
	[ "$(wc -l <"$tmp/$r/rejects.jsonl")" = "$(wc -l <"$tmp/file/rejects.jsonl")" ] ||
		bad "$r: a different number of rejects"
done
[ "$(wc -l <"$tmp/file/rejects.jsonl")" -ge 1 ] || bad "the planted bad lines gave no reject"
grep -q '"source":"(standard input):[0-9]' "$tmp/plain/rejects.jsonl" ||
	bad "rejects of standard input do not say '(standard input):LINE'"

# without --format a .json file is still refused, '-' is a usage error
an nofmt "$tmp/posts.json" </dev/null
[ $? -eq 3 ] || bad "a .json file without --format: exit $?, expected 3"
an nostd - </dev/null
rc=$?
[ $rc -eq 2 ] || bad "'-' without --format: exit $rc, expected 2"
grep -q "needs --format" "$tmp/nostd.err" || bad "'-' without --format: no clear message"
an badfmt --format xml "$tmp/posts.jsonl"
rc=$?
[ $rc -eq 2 ] || bad "--format xml: exit $rc, expected 2"
grep -q "unknown --format 'xml'" "$tmp/badfmt.err" || bad "--format xml: no clear message"

[ $fail -eq 0 ] && echo "analyze_stdin: ok"
exit $fail
