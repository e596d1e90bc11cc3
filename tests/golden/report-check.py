#!/usr/bin/python3
"""report-check.py REPORT.html [--sections a,b,...] [--max-bytes N]

Static checks of a narrate report.html (docs/report.md), beside the
golden diff:
  - every <svg>...</svg> is well-formed XML on its own (xmllint --noout);
  - every chart has role="img", aria-labelledby, a <title> and a <desc>;
  - the Content-Security-Policy meta is there and says default-src 'none';
  - no external resource of any kind: no src=, no href other than "#...",
    no url( or @import in CSS, no <link>, <iframe>, <object>, <embed>, <img>;
  - every SVG <text> holding Han, kana or Hangul carries a lang attribute;
  - numbers in SVG coordinates use a decimal point (no comma decimals);
  - the sections named with --sections are present.
Exit 0 when all hold; otherwise prints what failed and exits 1.
"""
import re
import subprocess
import sys
import tempfile
import os

args = sys.argv[1:]
if not args:
    sys.exit(__doc__)
path = args[0]
sections = []
max_bytes = None
i = 1
while i < len(args):
    if args[i] == '--sections':
        sections = [s for s in args[i + 1].split(',') if s]
        i += 2
    elif args[i] == '--max-bytes':
        max_bytes = int(args[i + 1])
        i += 2
    else:
        sys.exit('unknown argument ' + args[i])

raw = open(path, 'rb').read()
html = raw.decode('utf-8')
bad = []

if max_bytes is not None and len(raw) > max_bytes:
    bad.append('%s is %d bytes, over %d' % (path, len(raw), max_bytes))

csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
if not csp or "default-src 'none'" not in csp.group(1):
    bad.append('no Content-Security-Policy with default-src \'none\'')
for pat, what in ((r'\ssrc\s*=', 'a src= attribute'),
                  (r'\shref\s*=\s*"(?!#)', 'an href that is not a #fragment'),
                  (r'url\(', 'a CSS url('), (r'@import', 'a CSS @import'),
                  (r'<(link|iframe|object|embed|img|audio|video|source)\b', 'an external-resource element')):
    m = re.search(pat, html)
    if m:
        bad.append('external resource: %s at offset %d: %r' % (what, m.start(), html[m.start():m.start() + 60]))

svgs = re.findall(r'<svg\b.*?</svg>', html, re.S)
if not svgs:
    bad.append('no <svg> chart at all')
with tempfile.TemporaryDirectory() as tmp:
    for k, s in enumerate(svgs):
        f = os.path.join(tmp, 'chart%d.svg' % k)
        with open(f, 'w', encoding='utf-8') as out:
            out.write(s)
        r = subprocess.run(['xmllint', '--noout', f], capture_output=True, text=True)
        if r.returncode != 0:
            bad.append('svg %d is not well-formed XML: %s' % (k, r.stderr.strip()[:300]))
        head = s[:s.index('>') + 1]
        cid = re.search(r'\sid="([^"]+)"', head)
        cid = cid.group(1) if cid else '#%d' % k
        if 'role="img"' not in head or 'aria-labelledby=' not in head:
            bad.append('svg %s: no role="img" or aria-labelledby' % cid)
        if not re.search(r'<title id="[^"]+">[^<]+</title>', s) or not re.search(r'<desc id="[^"]+">[^<]+</desc>', s):
            bad.append('svg %s: no <title> or <desc>' % cid)
        for t in re.findall(r'<text\b[^>]*>[^<]*</text>', s):
            body = t[t.index('>') + 1:-7]
            if re.search(r'[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]', body) and ' lang="' not in t[:t.index('>')]:
                bad.append('svg %s: CJK label without lang: %s' % (cid, t[:120]))
                break
        for a in re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height)="([^"]*)"', s):
            if not re.fullmatch(r'-?\d+(\.\d+)?', a):
                bad.append('svg %s: coordinate %r is not a C-locale number' % (cid, a))
                break

for s in sections:
    if not re.search(r'<section id="%s">' % re.escape(s), html):
        bad.append('no section "%s"' % s)

for b in bad:
    print('FAIL: %s: %s' % (path, b))
if not bad:
    print('ok: %s: %d charts, %d bytes' % (path, len(svgs), len(raw)))
sys.exit(1 if bad else 0)
