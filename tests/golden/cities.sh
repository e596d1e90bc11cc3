#!/bin/sh
# The city golden test (issue 3): every name in tests/data/cities-sample-names.tsv
# (Chinese, traditional Chinese and English names of all 340 cities, plus a
# sample in other languages) is found by `narrate match --lexicon cities`
# as one hit covering exactly that name and carrying the expected city id.
# Also: Xi'an, Xian, Xi’an and 西安 resolve to one id; 印度尼西亚 yields no
# city; names inside a sentence and across a line break are found.
set -u
NARRATE=${NARRATE:-build/narrate}
HERE=$(dirname "$0")
ROOT=$HERE/../..
LEX=$ROOT/lexicons/cities.nlex
NAMES=$ROOT/tests/data/cities-sample-names.tsv
if [ ! -f "$LEX" ] || [ ! -f "$NAMES" ]; then
	echo "FAIL: $LEX or $NAMES is missing"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

"$NARRATE" lexicon check "$LEX" >"$tmp/check" || { echo "FAIL: lexicon check"; exit 1; }
grep -q "340 entities" "$tmp/check" || { echo "FAIL: not 340 entities"; cat "$tmp/check"; fail=1; }

# One name per line, lines separated by a '|' line so that no multiword
# entry can join two names.  names.txt + the expected (offset, length, id).
python3 - "$NAMES" "$tmp" <<'PY' || exit 1
import sys
names, tmp = sys.argv[1], sys.argv[2]
rows = []
for line in open(names, encoding="utf-8"):
    if line.startswith("#") or line.startswith("id\t") or not line.strip():
        continue
    cid, lang, name = line.rstrip("\n").split("\t")
    rows.append((cid, lang, name))
text = bytearray()
with open(tmp + "/expect.tsv", "w", encoding="utf-8") as ex:
    for cid, lang, name in rows:
        b = name.encode("utf-8")
        ex.write("%d\t%d\t%s\t%s\t%s\n" % (len(text), len(b), cid, lang, name))
        text += b + "\n|\n".encode()
open(tmp + "/names.txt", "wb").write(bytes(text))
PY
"$NARRATE" match --lexicon "$LEX" "$tmp/names.txt" >"$tmp/hits.tsv" 2>"$tmp/err" ||
	{ echo "FAIL: narrate match exited non-zero"; cat "$tmp/err"; exit 1; }
python3 - "$tmp" <<'PY' || fail=1
import sys, collections
tmp = sys.argv[1]
hits = collections.defaultdict(list)
for line in open(tmp + "/hits.tsv", encoding="utf-8"):
    off, length, lex, cat, eid, surface = line.rstrip("\n").split("\t")
    hits[int(off)].append((int(length), eid))
bad = 0
found = collections.defaultdict(set)
n = 0
for line in open(tmp + "/expect.tsv", encoding="utf-8"):
    off, length, cid, lang, name = line.rstrip("\n").split("\t")
    n += 1
    got = hits.get(int(off), [])
    if (int(length), cid) in got and len(got) == 1:
        found[lang].add(cid)
        continue
    bad += 1
    if bad <= 30:
        print("FAIL: %s (%s, expected city %s) gave %s" % (name, lang, cid, got or "no hit"))
ids = set()
for line in open(tmp + "/expect.tsv", encoding="utf-8"):
    ids.add(line.split("\t")[2])
for lang in ("zh", "zh-Hant", "en"):
    print("%s: %d of %d cities found by name" % (lang, len(found[lang]), len(ids)))
others = [l for l in found if l not in ("zh", "zh-Hant", "en")]
print("other languages with every sampled name found: %d" % len(others))
print("%d names, %d wrong" % (n, bad))
if bad or len(found["zh"]) != 340 or len(found["zh-Hant"]) != 340 or len(others) < 8:
    sys.exit(1)
PY

# Same id for the spellings of Xi'an; no city inside 印度尼西亚; names in a
# sentence and across a line break.
printf "Xi'an, Xian, Xi\342\200\231an and 西安 | 印度尼西亚 | 我从杭州西湖出发去上海\nShanghainese Shang\nhai\n" >"$tmp/s.txt"
"$NARRATE" match --lexicon "$LEX" "$tmp/s.txt" | cut -f5,6 >"$tmp/s.out"
ids=$(grep -v -e 上海 -e 杭州 -e '^310000' -e '^330100' "$tmp/s.out" | cut -f1 | sort -u)
[ "$(grep -c . "$tmp/s.out")" -ge 6 ] || { echo "FAIL: too few hits:"; cat "$tmp/s.out"; fail=1; }
[ "$ids" = 610100 ] || { echo "FAIL: Xi'an spellings gave ids: $ids"; cat "$tmp/s.out"; fail=1; }
grep -q "^330100	杭州" "$tmp/s.out" || { echo "FAIL: 杭州 not found in 杭州西湖"; fail=1; }
grep -q "^310000	上海" "$tmp/s.out" || { echo "FAIL: 上海 not found"; fail=1; }
grep -q '^310000	Shang\\nhai$' "$tmp/s.out" || { echo "FAIL: Shang-hai not found across a line break"; fail=1; }
grep -q 'Shanghainese' "$tmp/s.out" && { echo "FAIL: a city inside a longer word"; fail=1; }
if grep -q '印度' "$tmp/s.out"; then echo "FAIL: a city in 印度尼西亚"; fail=1; fi
exit $fail
