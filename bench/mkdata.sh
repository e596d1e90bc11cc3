#!/bin/sh
# Build the benchmark inputs in bench/data/ (git-ignored) from real text on
# this machine: the Debian Reference (packages debian-reference-en and
# debian-reference-zh-cn, GPL-2+), HTML stripped to plain text, repeated up
# to about 24 MB per language.  The text is read here at bench time only and
# never committed.
#   sh bench/mkdata.sh            -> bench/data/en.txt, bench/data/zh.txt
set -e
DIR=$(dirname "$0")/data
SRC=${NR_BENCH_SRC:-/usr/share/debian-reference}
TARGET=${NR_BENCH_MB:-24}
mkdir -p "$DIR"
for l in en zh-cn; do
	case $l in zh-cn) out=$DIR/zh.txt ;; *) out=$DIR/$l.txt ;; esac
	[ -s "$out" ] && continue
	if ! ls "$SRC"/*."$l".html >/dev/null 2>&1; then
		echo "bench: no $SRC/*.$l.html (install debian-reference-$l)" >&2
		continue
	fi
	/usr/bin/python3 - "$out" "$TARGET" "$SRC"/*."$l".html <<'PY'
import html.parser, sys
out, target, files = sys.argv[1], int(sys.argv[2]) << 20, sys.argv[3:]
class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"): self.skip += 1
        if tag in ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "pre", "title"):
            self.parts.append("\n")
    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip: self.skip -= 1
    def handle_data(self, d):
        if not self.skip: self.parts.append(d)
text = []
for f in sorted(files):
    p = Text()
    p.feed(open(f, encoding="utf-8", errors="replace").read())
    lines = (" ".join(l.split()) for l in "".join(p.parts).split("\n"))
    text.append("\n".join(l for l in lines if l))
one = "\n\n".join(text) + "\n"
data = one.encode("utf-8")
rep = max(1, target // len(data))
with open(out, "wb") as fh:
    for _ in range(rep): fh.write(data)
print("bench: %s: %.1f MB (%d copies of %.1f MB)" % (out, rep * len(data) / 1e6, rep, len(data) / 1e6), file=sys.stderr)
PY
done
