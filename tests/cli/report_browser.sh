#!/bin/sh
# report.html in a real browser (docs/report.md): headless Chromium with the
# offline flags loads the sample report and
#   - no request leaves the page: Chromium's net log (--log-net-log) lists
#     every URL request with its network isolation key; a request the page
#     makes carries the page's site (file://).  Chromium's own background
#     requests (update checks) carry other keys and are not the page's.
#     Negative control: a copy with an <img src="http://127.0.0.1:9/..."> and
#     without the CSP must be caught, and with the CSP it must be refused
#     (a console message);
#   - no script error and no console message at all (--enable-logging);
#     negative control: a copy calling an undefined function is caught;
#   - the dumped DOM (--dump-dom) has every section and chart, and the script
#     ran (the city selector is shown);
#   - the page is loaded in under a second (performance.now() at the load
#     event, from a copy that writes it into the DOM);
#   - a click on a table header sorts the table;
#   - printed to PDF (--print-to-pdf) it holds no raster image: the charts
#     are vectors;
#   - screenshots in English and Chinese city names are left in
#     $NR_SHOTS (default: build/test-logs) for a person to look at.
# Skipped (exit 0 with a note) when Chromium is not installed.
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	echo "skip: chromium is not installed (scripts/install-deps.sh test installs it)"
	exit 0
fi
SHOTS=${NR_SHOTS:-$ROOT/build/test-logs}
mkdir -p "$SHOTS"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# chrome NAME URL ARGS...: run headless Chromium with a fresh profile;
# stderr in $tmp/NAME.log, net log in $tmp/NAME.net.json
chrome() {
	name=$1
	url=$2
	shift 2
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$tmp/profile-$name" --enable-logging=stderr --v=0 \
		--log-net-log="$tmp/$name.net.json" "$@" "$url" 2>"$tmp/$name.log"
}

# page_requests NAME: URLs the page itself asked for (its site is file://)
page_requests() {
	python3 - "$tmp/$1.net.json" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError:  # Chromium may leave the log unterminated
    s = open(sys.argv[1]).read().rstrip().rstrip(',')
    d = json.loads(s + ']}')
seen = set()
for e in d.get('events', []):
    p = e.get('params') or {}
    url, nik = p.get('url', ''), p.get('network_isolation_key', '')
    if url and not url.startswith(('file:', 'data:', 'about:')) and 'file://' in nik:
        seen.add(url)
for u in sorted(seen):
    print(u)
PY
}

console() { # NAME: console messages and script errors
	grep -E 'CONSOLE|Uncaught' "$tmp/$1.log" || true
}

cd "$ROOT" || exit 1
"$NARRATE" analyze -q --no-progress corpora/sample -o "$tmp/out" 2>/dev/null ||
	{ bad "narrate analyze failed"; exit 1; }
"$NARRATE" score "$tmp/out/measures.json" --index content_quality -q -o "$tmp/out/ranking.csv" \
	2>/dev/null || bad "narrate score failed"
"$NARRATE" homogeneity -q --no-progress corpora/sample -o "$tmp/homog" 2>/dev/null ||
	bad "narrate homogeneity failed"
"$NARRATE" report -q --homogeneity "$tmp/homog" "$tmp/out" || bad "narrate report failed"
"$NARRATE" report -q --names zh --homogeneity "$tmp/homog" -o "$tmp/out/report-zh.html" "$tmp/out" ||
	bad "narrate report --names zh failed"
R=$tmp/out/report.html

# the page: DOM, requests, console
chrome page "file://$R" --dump-dom >"$tmp/dom.html"
req=$(page_requests page)
[ -z "$req" ] || bad "the page made requests: $req"
msgs=$(console page)
[ -z "$msgs" ] || bad "console messages or script errors: $msgs"
for s in overview attention ranking topics diversity tags similarity homogeneity gaps quadrant method; do
	grep -q "<section id=\"$s\">" "$tmp/dom.html" || bad "no section '$s' in the DOM"
done
for id in lorenz docbars rankchart topics-map frames-map framediv lexdiv key-0 simmap mdsmap \
	homogdots crossmat gapns gapreg quadchart; do
	grep -q "<svg [^>]*id=\"$id\"" "$tmp/dom.html" || bad "no chart '$id' in the DOM"
done
# the script ran: it unhides the city selector and hides all panels but one
grep -q '<p><label>City: <select id="kp-select"' "$tmp/dom.html" ||
	bad "the city selector is still hidden: the script did not run"
[ "$(grep -c 'class="kpanel" id="kp-[0-9]*" hidden' "$tmp/dom.html")" -gt 0 ] ||
	bad "no keyness panel hidden: the script did not run"

# load time
sed 's|</body>|<script>addEventListener("load",function(){document.body.setAttribute("data-load-ms",String(Math.round(performance.now())))})</script></body>|' \
	"$R" >"$tmp/timed.html"
chrome timed "file://$tmp/timed.html" --dump-dom >"$tmp/timed-dom.html"
ms=$(sed -n 's/.*data-load-ms="\([0-9]*\)".*/\1/p' "$tmp/timed-dom.html" | head -1)
if [ -z "$ms" ]; then
	bad "no load time in the DOM"
elif [ "$ms" -ge 1000 ]; then
	bad "the report took $ms ms to load"
else
	echo "loaded in $ms ms"
fi

# the table sorter: a click on the first table's second header sorts it
# ascending, so its first row holds the smallest value
sed 's|</body>|<script>addEventListener("load",function(){var t=document.querySelector("table.sortable");t.tHead.rows[0].cells[1].click();var v=[];for(var i=0;i<t.tBodies[0].rows.length;i++)v.push(+t.tBodies[0].rows[i].cells[1].getAttribute("data-v"));document.body.setAttribute("data-sorted",v.join(" "))})</script></body>|' \
	"$R" >"$tmp/sort.html"
chrome sort "file://$tmp/sort.html" --dump-dom >"$tmp/sort-dom.html"
sorted=$(sed -n 's/.*data-sorted="\([-0-9. e]*\)".*/\1/p' "$tmp/sort-dom.html" | head -1)
if [ -z "$sorted" ]; then
	bad "the sort check left no result"
else
	echo "$sorted" | tr ' ' '\n' | sort -g -c 2>/dev/null || bad "a header click does not sort: $sorted"
fi
[ -z "$(console sort)" ] || bad "script errors while sorting: $(console sort)"

# negative controls: the detectors must fire
sed -e 's|<meta http-equiv="Content-Security-Policy"[^>]*>||' \
	-e 's|</main>|<img src="http://127.0.0.1:9/leak.png" alt=""/></main>|' "$R" >"$tmp/leak.html"
chrome leak "file://$tmp/leak.html" --dump-dom >/dev/null
page_requests leak | grep -q '127.0.0.1:9/leak.png' ||
	bad "negative control: the request detector missed an <img src>"
sed 's|</main>|<img src="http://127.0.0.1:9/leak.png" alt=""/></main>|' "$R" >"$tmp/csp.html"
chrome csp "file://$tmp/csp.html" --dump-dom >/dev/null
page_requests csp | grep -q . && bad "the Content-Security-Policy let an <img src> through"
console csp | grep -q 'Content Security Policy' || bad "negative control: no CSP refusal logged"
sed 's|<script>//<!\[CDATA\[|<script>//<![CDATA[\nnoSuchFunction();|' "$R" >"$tmp/err.html"
chrome err "file://$tmp/err.html" --dump-dom >/dev/null
console err | grep -q 'Uncaught' || bad "negative control: a script error was not logged"

# printed to PDF, the charts stay vectors: no raster image in the file
chrome pdf "file://$R" --no-pdf-header-footer --print-to-pdf="$tmp/report.pdf" >/dev/null
if [ -s "$tmp/report.pdf" ]; then
	grep -aq '/Subtype */Image' "$tmp/report.pdf" && bad "the printed PDF holds raster images"
else
	bad "no PDF printed"
fi

# screenshots for a person to look at
for v in report report-zh; do
	chrome "shot-$v" "file://$tmp/out/$v.html" --hide-scrollbars --window-size=1000,4000 \
		--screenshot="$SHOTS/$v.png" >/dev/null
	[ -s "$SHOTS/$v.png" ] || bad "no screenshot $v.png"
done
echo "screenshots: $SHOTS/report.png, $SHOTS/report-zh.png"
exit $fail
