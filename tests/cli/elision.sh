#!/bin/sh
# French elision end to end (docs/tokenize.md, "Elision"): the tokenizer
# splits l'Orangerie into l' + Orangerie in French text, and the commands
# built on its tokens still do what a user expects:
#  - `narrate tokenize --lang fr`: l' and orangerie, offsets on the input;
#    `--lang en` keeps l'Orangerie whole;
#  - `narrate lexicon build` on French posts proposes "musée de l'Orangerie"
#    (not "musée de l' orangerie", which would load as other words), and
#    `narrate match` with the draft finds it in the text;
#  - `narrate match` finds a "*" entry L'Aquila and a French entry
#    L’Isle-d’Abeau in French text (split) and text tokenized as English
#    (whole), with and without --lang.
#   NARRATE=build/narrate sh tests/cli/elision.sh
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

printf "Le mus\303\251e de l'Orangerie\n" >t.txt
"$NARRATE" tokenize --lang fr --no-punct t.txt >fr.tsv || bad "tokenize fr: exit"
# offset, length, surface, norm, stop of the last three words
printf "10\t2\tde\tde\t1\n13\t2\tl'\tl'\t1\n15\t9\tOrangerie\torangerie\t0\n" >want
tail -n 3 fr.tsv | cut -f1,2,4,5,7 | diff -u want - ||
	bad "tokenize fr: l'Orangerie is not l' + Orangerie (diff above)"
"$NARRATE" tokenize --lang en --no-punct t.txt | grep -q "	l'Orangerie	" ||
	bad "tokenize en: l'Orangerie was split"

# lexicon build: six posts about Lyon, six about Nice as the reference
i=0
while [ $i -lt 6 ]; do
	printf '{"id":"a%d","city":"Lyon","lang":"fr","text":"Le mus\\u00e9e de l%sOrangerie et la tour d%shorizon. F\\u00eate des Lumi\\u00e8res."}\n' $i "'" "'"
	printf '{"id":"b%d","city":"Nice","lang":"fr","text":"La promenade des Anglais au soleil, la mer et le port de plaisance."}\n' $i
	i=$((i + 1))
done >c.jsonl
if "$NARRATE" lexicon build --city Lyon c.jsonl -o d.nlex 2>err; then
	E=$(printf 'mus\303\251e')
	grep -qx "$E de l'Orangerie" d.nlex || bad "draft lacks musée de l'Orangerie: $(grep -v '^[#@]' d.nlex | tr '\n' '|')"
	grep -v '^#' d.nlex | grep -q "[ldLD]' " && bad "draft has an elided form cut off by a space"
	"$NARRATE" match --lexicon d.nlex --lang fr t.txt | grep -q "	$E de l'Orangerie$" ||
		bad "match with the draft does not find musée de l'Orangerie"
else
	bad "lexicon build failed: $(cat err)"
fi

# a "*" entry and a French entry with elided forms, in French and English text
# (printf, not a here-document: dash drops some UTF-8 bytes in those)
A='\342\200\231' # U+2019
printf "@lexicon places\n@kind entities\n@category city Cities\n" >p.nlex
printf "@entity aq city\nL'Aquila\n@entity ie city\n@lang fr\nL${A}Isle-d${A}Abeau\n" >>p.nlex
printf "L'Aquila, l${A}Aquila et l'Isle-d'Abeau.\n" >q.txt
# (--lang also filters entries: with en the French entry does not apply)
n=$("$NARRATE" match --lexicon p.nlex q.txt | cut -f5 | tr '\n' ' ')
[ "$n" = "aq aq ie " ] || bad "match (language identified): got '$n', want 'aq aq ie '"
n=$("$NARRATE" match --lexicon p.nlex --lang fr q.txt | cut -f5 | tr '\n' ' ')
[ "$n" = "aq aq ie " ] || bad "match --lang fr: got '$n', want 'aq aq ie '"
n=$("$NARRATE" match --lexicon p.nlex --lang en q.txt | cut -f5 | tr '\n' ' ')
[ "$n" = "aq aq " ] || bad "match --lang en: got '$n', want 'aq aq '"

[ $fail -eq 0 ] && echo "elision: all passed"
exit $fail
