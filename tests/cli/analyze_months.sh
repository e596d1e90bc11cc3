#!/bin/sh
# narrate analyze --group-by city,month on dates written the ways exports
# write them (docs/analyze.md, "Groups"): each lands in its month; a date
# whose day and month order cannot be told is month (none), counted in
# manifest.json (documents.dates_unread) and noted on stderr; the summary
# prints the whole group ids.
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
export NARRATE_DATA="${NARRATE_DATA:-$ROOT/lexicons}"

n=0
doc() { # date (a JSON value)
	n=$((n + 1))
	printf '{"id":"%d","city":"Hangzhou","text":"West Lake in spring","date":%s}\n' "$n" "$1"
}
{
	doc '"2024-05-03T09:00:00+08:00"'
	doc '"2024/5/3"'
	doc '"2024年5月3日"'
	doc '"Fri May 03 12:30:00 +0000 2024"'
	doc '"Fri, 03 May 2024 12:30:00 +0000"'
	doc '1714739400'
	doc '"20240503123000"'
	doc '"2024-06-01"'
	doc '"03/05/2024"'
	doc '"yesterday"'
	printf '{"id":"nodate","city":"Hangzhou","text":"West Lake"}\n'
} >"$tmp/c.jsonl"
"$NARRATE" analyze -q --no-progress --no-report -g city,month -o "$tmp/out" "$tmp/c.jsonl" \
	2>"$tmp/err" || { bad "analyze failed"; cat "$tmp/err"; }
/usr/bin/python3 - "$tmp/out" <<'PY' || fail=1
import csv, json, sys
out = sys.argv[1]
docs = {r["city_id"]: int(r["documents"]) for r in csv.DictReader(open(out + "/cities.csv"))}
want = {"330100|2024-05": 7, "330100|2024-06": 1, "330100|(none)": 3}
ok = True
if docs != want:
    print("FAIL: groups %r, want %r" % (docs, want)); ok = False
m = json.load(open(out + "/manifest.json"))["documents"]
if m.get("dates_unread") != 2:
    print("FAIL: dates_unread %r, want 2 (the one without a date is not counted)" % m.get("dates_unread"))
    ok = False
sys.exit(0 if ok else 1)
PY
grep -q "note: 2 of 11 documents have a date whose month narrate cannot read" "$tmp/err" ||
	{ bad "no note on stderr"; cat "$tmp/err"; }
# the summary on stdout prints whole group ids (they were cut to 10
# characters, so every month of a city printed as "330100|202")
"$NARRATE" analyze --no-progress --no-report -g city,month -o "$tmp/out3" "$tmp/c.jsonl" \
	>"$tmp/stdout" 2>/dev/null || bad "analyze with a summary failed"
for id in "330100|2024-05" "330100|2024-06" "330100|(none)"; do
	grep -q "^$id " "$tmp/stdout" || { bad "the summary has no row for $id"; cat "$tmp/stdout"; }
done
"$NARRATE" homogeneity --no-progress -g city,month -o "$tmp/hout" "$tmp/c.jsonl" \
	>"$tmp/hstdout" 2>/dev/null || bad "homogeneity -g city,month failed"
grep -q "^  330100|2024-0[56] " "$tmp/hstdout" ||
	{ bad "homogeneity's summary cuts the group ids"; cat "$tmp/hstdout"; }
# not grouping by month: the dates do not matter, no note
"$NARRATE" analyze -q --no-progress --no-report -o "$tmp/out2" "$tmp/c.jsonl" 2>"$tmp/err2" ||
	bad "analyze without month failed"
grep -q "cannot read" "$tmp/err2" && bad "a note about dates without --group-by month"

[ $fail -eq 0 ] && echo "analyze_months: ok"
exit $fail
