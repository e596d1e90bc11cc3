#!/bin/sh
# bench/run.sh - `make bench`: every benchmark, one section each, on this
# machine's real text (bench/mkdata.sh builds bench/data/ from Debian
# packages at bench time; nothing is committed).  Each section prints its
# own figures; a section whose program is missing is skipped.
#   B=build sh bench/run.sh [SECTION...]     (default: all sections)
B=${B:-build}
HERE=$(dirname "$0")
status=0

want() { # SECTION: run it if no sections were named, or if it was named
	[ -z "$SECTIONS" ] && return 0
	case " $SECTIONS " in *" $1 "*) return 0 ;; esac
	return 1
}
section() {
	echo
	echo "== $1"
}
SECTIONS="$*"

sh "$HERE/mkdata.sh" || echo "bench: no bench/data (see bench/mkdata.sh); sections fall back"

# ---- match: lexicon matching (docs/matching.md) ------------------------
# Matching only (tokenization done once before timing and shown for
# reference), shipped lexicons vs 100 and 20,000 synthetic entries; the
# issue requires the 20,000-entry time within 1.5x of the shipped one.
if want match; then
	section "match: nr_matcher_match throughput (MB/s of original text)"
	if [ -x "$B/bench/bench_match" ]; then
		"$B/bench/bench_match" --runs 5 --mb 4 --lexicons lexicons --data "$HERE/data" ||
			status=1
	else
		echo "skipped: $B/bench/bench_match not built"
	fi
fi

# ---- tokenize: nr_tokenize throughput (docs/tokenize.md) ---------------
# English and Chinese text cut into ~4 KiB documents, full pipeline (UTF-8
# check, word break, case fold, stopwords, stems); median of 7 runs in
# thread CPU time, beside a byte-scan baseline of the same buffer; then the
# same with the ASCII fast path off, to show what it buys, and ICU's word
# break alone (no tokens: the ceiling for text ICU must segment).  Issue 2's
# targets: English >= 120 MB/s, Chinese >= 20 MB/s.
if want tokenize; then
	section "tokenize: nr_tokenize throughput (MB/s, 10^6 bytes)"
	if [ -x "$B/bench/bench_tokenize" ]; then
		for f in en zh; do
			[ -f "$HERE/data/$f.txt" ] || { echo "skipped: no $HERE/data/$f.txt"; continue; }
			"$B/bench/bench_tokenize" --runs 7 "$HERE/data/$f.txt" $f || status=1
			"$B/bench/bench_tokenize" --runs 3 --no-fast "$HERE/data/$f.txt" $f |
				sed 's/^/(no fast path) /' || status=1
			"$B/bench/bench_tokenize" --runs 3 --icu-only "$HERE/data/$f.txt" $f |
				sed 's/^/(ICU alone) /' || status=1
		done
	else
		echo "skipped: $B/bench/bench_tokenize not built"
	fi
fi

# ---- homogeneity: near-duplicates of 1M posts (docs/homogeneity.md) ----
# narrate homogeneity on 1,000,000 generated short posts (targets: under
# 60 s on 2 cores, peak under 2 GB), then brute force vs LSH on a sample.
if want homogeneity; then
	section "homogeneity: 1M posts through near-duplicate detection"
	if [ -x "$B/narrate" ] && [ -x "$B/bench/bench_dedup" ]; then
		B=$B sh "$HERE/homogeneity.sh" || status=1
	else
		echo "skipped: $B/narrate or $B/bench/bench_dedup not built"
	fi
fi

# ---- analyze: the whole pipeline (docs/analyze.md) ----------------------
# narrate analyze on generated JSONL (English >= 500 MB, Chinese >= 200 MB;
# bench/gen-corpus), median of 3 runs, MB/s, documents/s and peak memory,
# beside scikit-learn's TfidfVectorizer fitting the same English texts in
# the same run.  Issue 4's targets on 2 cores: English >= 150 MB/s and >= 10x
# scikit-learn, Chinese >= 30 MB/s, peak memory under 1 GB per GB of input.
if want analyze; then
	section "analyze: the whole pipeline on generated corpora"
	if [ -x "$B/narrate" ]; then
		B=$B sh "$HERE/analyze.sh" || status=1
	else
		echo "skipped: $B/narrate not built"
	fi
fi

# ---- corpus: reading JSONL (docs/corpus.md) ----------------------------
# nr_corpus_next alone over the generated English and Chinese JSONL
# (bench/mkdata.sh): the scanner path as shipped, the jansson-only path it
# replaced, and a raw byte scan of the same file (read + count newlines);
# median of 5 runs in thread CPU time.  Instructions per byte, repeatable on
# a shared machine:  valgrind --tool=callgrind --toggle-collect=read_file \
#   $B/bench/bench_corpus --runs 1 --mode scan FILE
if want corpus; then
	section "corpus: reading JSONL through nr_corpus_next (MB/s, 10^6 bytes)"
	if [ -x "$B/bench/bench_corpus" ]; then
		for f in en zh; do
			[ -f "$HERE/data/$f.jsonl" ] || { echo "skipped: no $HERE/data/$f.jsonl"; continue; }
			"$B/bench/bench_corpus" --runs 5 "$HERE/data/$f.jsonl" || status=1
		done
	else
		echo "skipped: $B/bench/bench_corpus not built"
	fi
fi


exit $status
