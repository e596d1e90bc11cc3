#!/bin/sh
# `narrate lexicon build` (issue 7) on a generated corpus
# (tests/cli/lexicon_build_gen.py): a city the city lexicon does not know,
# Qinglan / 青岚, with 12 landmarks, events and dishes planted per language
# among generic promotional text that six real cities share.
#  - recall of the planted terms in the top 30 of the draft >= 0.8, in
#    English and in Chinese (printed), for the corpus's other documents as
#    reference and for --all with a --reference corpus;
#  - generic promotional words (beautiful, long history, 历史悠久, 风景优美,
#    美丽) are not in the top 30;
#  - the draft passes `narrate lexicon check` and `narrate match` with it
#    finds the planted terms in the corpus text;
#  - languages kept apart in a mixed run; a known city (Hangzhou) works and
#    its own name is not proposed; other cities are flagged as comments only;
#  - the same bytes on a second run;
#  - bad input: a city never mentioned, an empty corpus, a reference in
#    another language, --all without a reference: a clear message, exit 3,
#    no draft written.
#   NARRATE=build/narrate sh tests/cli/lexicon_build.sh
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

python3 "$HERE/lexicon_build_gen.py" corpus 80 || { echo "FAIL: generator"; exit 1; }

# recall LANG TSV: share of planted terms among the first 30 ranks of LANG
recall() {
	python3 - "$1" "$2" corpus/planted-"$1".txt <<'EOF'
import sys
lang, tsv, planted = sys.argv[1], sys.argv[2], sys.argv[3]
want = [l.strip().lower() for l in open(planted, encoding="utf-8") if l.strip()]
top = []
for row in list(open(tsv, encoding="utf-8"))[1:]:
    f = row.rstrip("\n").split("\t")
    if f[1] == lang and int(f[0]) <= 30:
        top.append(f[2].lower().replace("-", " "))
hit = [w for w in want if w in top]
print("%s %d/%d %.2f" % (lang, len(hit), len(want), len(hit) / len(want)))
missed = [w for w in want if w not in top]
if missed:
    print("missed: " + ", ".join(missed), file=sys.stderr)
EOF
}

# generic TSV LANG WORD...: fail if a top-30 term of LANG contains WORD
generic() {
	tsv=$1
	lang=$2
	shift 2
	for w in "$@"; do
		if awk -F '\t' -v l="$lang" 'NR > 1 && $2 == l && $1 <= 30 { print tolower($3) }' "$tsv" |
			grep -q -F -- "$w"; then
			bad "$tsv: generic '$w' in the top 30 of $lang"
		fi
	done
}

check_recall() {
	out=$(recall "$1" "$2") || { bad "recall $1 $2"; return; }
	echo "recall in the top 30, $3: $out"
	r=$(echo "$out" | awk '{ print $3 }')
	awk -v r="$r" 'BEGIN { exit !(r >= 0.8) }' || bad "$3: recall $r < 0.8"
}

# the draft finds the planted terms in the corpus text
check_match() {
	lang=$1
	draft=$2
	python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    print(json.loads(line)["text"])' corpus/"$lang".jsonl >"text-$lang.txt"
	"$NARRATE" match --lexicon "$draft" "text-$lang.txt" >"hits-$lang.tsv" ||
		{ bad "match with $draft"; return; }
	n=0
	found=0
	while IFS= read -r term; do
		# only terms the draft proposes
		grep -q -i -x -F -- "$term" "$draft" || continue
		n=$((n + 1))
		if cut -f5 "hits-$lang.tsv" | grep -q -i -x -F -- "$term"; then
			found=$((found + 1))
		else
			bad "$draft: '$term' not found in the corpus by narrate match"
		fi
	done <corpus/planted-"$lang".txt
	echo "match $lang: $found of the $n planted terms in the draft found in the corpus"
	[ "$n" -gt 0 ] || bad "$draft: no planted term to look for"
}

# ---- English, reference = the corpus's other documents
"$NARRATE" lexicon build --city Qinglan --top 30 corpus/en.jsonl -o en.nlex --tsv en.tsv \
	2>en.err || { bad "build en: exit $?"; cat en.err; }
check_recall en en.tsv "English, rest of the corpus as reference"
generic en.tsv en beautiful "long history" must-visit delicious "rich culture"
"$NARRATE" lexicon check en.nlex >/dev/null || bad "lexicon check en.nlex"
check_match en en.nlex
grep -q '^@lexicon qinglan-draft$' en.nlex || bad "en.nlex: @lexicon name"
grep -q '^@lang en$' en.nlex || bad "en.nlex: no @lang en"
grep -q '^# rank 1 ' en.nlex || bad "en.nlex: no comment for rank 1"
grep -q '^#   .*\[' en.nlex || bad "en.nlex: no context comments"
grep -q '^@category topic/food/cuisine$' en.nlex || bad "en.nlex: no food category"
# other cities named in Qinglan's documents: comments only
grep -q '^# other city 330100 Hangzhou' en.nlex || bad "en.nlex: Hangzhou not flagged"
grep -v '^#' en.nlex | grep -q -i -x -e hangzhou -e nanjing -e qinglan &&
	bad "en.nlex: a city name proposed as an entry"

# ---- Chinese
"$NARRATE" lexicon build --city 青岚 --name qinglan-zh --top 30 corpus/zh.jsonl -o zh.nlex \
	--tsv zh.tsv 2>zh.err || { bad "build zh: exit $?"; cat zh.err; }
check_recall zh zh.tsv "Chinese, rest of the corpus as reference"
generic zh.tsv zh 历史悠久 风景优美 美丽 热情好客
"$NARRATE" lexicon check zh.nlex >/dev/null || bad "lexicon check zh.nlex"
check_match zh zh.nlex
grep -q '^# rank .* cohesion .* entropy ' zh.nlex || bad "zh.nlex: no cohesion/entropy"
grep -v '^#' zh.nlex | grep -q -x -e 青岚 -e 杭州 -e 南京 && bad "zh.nlex: a city name proposed"

# ---- --all with a reference corpus
python3 - <<'EOF'
import json
for lang, name in (("en", "Qinglan"), ("zh", "青岚")):
    with open("corpus/%s.jsonl" % lang, encoding="utf-8") as f, \
         open("target-%s.jsonl" % lang, "w", encoding="utf-8") as t, \
         open("ref-%s.jsonl" % lang, "w", encoding="utf-8") as r:
        for line in f:
            d = json.loads(line)
            about = d.get("city") == name or ("city" not in d and name in d["text"])
            d.pop("city", None)   # --all must not need the field
            (t if about else r).write(json.dumps(d, ensure_ascii=False) + "\n")
EOF
"$NARRATE" lexicon build --city Qinglan --all target-en.jsonl --reference ref-en.jsonl \
	--top 30 -o all-en.nlex --tsv all-en.tsv 2>all.err || { bad "build --all: exit $?"; cat all.err; }
check_recall en all-en.tsv "English, --all with --reference"
"$NARRATE" lexicon build --city 青岚 --all target-zh.jsonl --reference ref-zh.jsonl \
	--top 30 -o all-zh.nlex --tsv all-zh.tsv 2>all.err || { bad "build --all zh: exit $?"; cat all.err; }
check_recall zh all-zh.tsv "Chinese, --all with --reference"

# ---- a mixed corpus: both languages, kept apart and tagged
"$NARRATE" lexicon build --city Qinglan --alias 青岚 corpus/en.jsonl corpus/zh.jsonl \
	--top 30 -o mix.nlex --tsv mix.tsv 2>mix.err || { bad "build mixed: exit $?"; cat mix.err; }
check_recall en mix.tsv "mixed corpus, English"
check_recall zh mix.tsv "mixed corpus, Chinese"
"$NARRATE" lexicon check mix.nlex >/dev/null || bad "lexicon check mix.nlex"
python3 - mix.nlex <<'EOF' || bad "mix.nlex: languages mixed up"
import re, sys
lang = None
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("@lang "):
        lang = line[6:]
    elif line and not line.startswith(("#", "@")):
        cjk = re.search(r"[\u4e00-\u9fff]", line) is not None
        if (lang == "zh") != cjk:
            sys.exit("entry %r under @lang %s" % (line, lang))
EOF

# ---- a city the lexicon knows: found by its names, its own names not proposed
"$NARRATE" lexicon build --city Hangzhou corpus/en.jsonl -o hz.nlex --tsv hz.tsv 2>hz.err ||
	{ bad "build Hangzhou: exit $?"; cat hz.err; }
grep -q '^@lexicon hangzhou-draft$' hz.nlex || bad "hz.nlex: @lexicon name"
for t in "west lake" "lingyin temple" "longjing tea" "dongpo pork"; do
	awk -F '\t' 'NR > 1 && $1 <= 10 { print tolower($3) }' hz.tsv | grep -q -x -F "$t" ||
		bad "hz.tsv: '$t' not in the top 10"
done
awk -F '\t' 'NR > 1 { print tolower($3) }' hz.tsv | grep -q -w hangzhou &&
	bad "hz.tsv: the city's own name proposed"

# ---- deterministic
"$NARRATE" lexicon build --city Qinglan --top 30 corpus/en.jsonl -o en2.nlex 2>/dev/null
cmp -s en.nlex en2.nlex || bad "two runs give different drafts"

# ---- bad input: message, exit 3, no draft
# expect_error NAME PATTERN ARGS...
expect_error() {
	name=$1
	pat=$2
	shift 2
	rm -f "$name.nlex"
	"$NARRATE" lexicon build "$@" -o "$name.nlex" 2>"$name.err"
	rc=$?
	[ "$rc" -eq 3 ] || bad "$name: exit $rc, expected 3"
	grep -q -F -- "$pat" "$name.err" || { bad "$name: message lacks '$pat'"; cat "$name.err"; }
	[ ! -e "$name.nlex" ] || bad "$name: a draft was written"
	ls "$name".nlex.tmp* >/dev/null 2>&1 && bad "$name: a temporary file was left"
	echo "bad input $name: $(head -1 "$name.err")"
}
expect_error never "no document is about 'Atlantis'" --city Atlantis corpus/en.jsonl
: >empty.jsonl
expect_error empty "holds no document" --city Qinglan empty.jsonl
expect_error otherlang "shares no language" --city Qinglan --all target-en.jsonl \
	--reference ref-zh.jsonl
expect_error noref "give a reference corpus" --city Qinglan --all target-en.jsonl
grep Qinglan target-en.jsonl >only.jsonl
expect_error onlycity "no reference documents" --city Qinglan only.jsonl
expect_error missing "nosuch.jsonl" --city Qinglan nosuch.jsonl
# a failed run leaves an existing draft as it was
cp en.nlex keep.nlex
"$NARRATE" lexicon build --city Atlantis corpus/en.jsonl -o keep.nlex 2>/dev/null
cmp -s en.nlex keep.nlex || bad "a failed run changed an existing draft"
# usage errors
"$NARRATE" lexicon build corpus/en.jsonl -o x.nlex 2>/dev/null
[ $? -eq 2 ] || bad "no --city: expected exit 2"
"$NARRATE" lexicon build --city Qinglan --top 0 corpus/en.jsonl -o x.nlex 2>/dev/null
[ $? -eq 2 ] || bad "--top 0: expected exit 2"
"$NARRATE" lexicon build --help | grep -q 'usage: narrate lexicon build' || bad "--help"

[ $fail -eq 0 ] && echo "lexicon_build: all passed"
exit $fail
