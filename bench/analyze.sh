#!/bin/sh
# make bench, section "analyze": narrate analyze on generated corpora (English
# >= 500 MB, Chinese >= 200 MB of JSONL), median of RUNS runs, beside
# scikit-learn's TfidfVectorizer fitting the same English texts in the same run.
# Each corpus runs twice: with every measure (the default), and with
# --no-near-dups --no-cliches (rows marked *), which leaves out the
# near-duplicate and cliche work of narrate homogeneity and shows what it
# costs.  For Chinese, ICU's word break alone on the same texts, one thread,
# gives the share of the time no change in narrate can remove.
#   B=build RUNS=3 EN_SIZE=500M ZH_SIZE=200M sh bench/analyze.sh
set -e
B=${B:-build}
RUNS=${RUNS:-3}
EN_SIZE=${EN_SIZE:-500M}
ZH_SIZE=${ZH_SIZE:-200M}
DATA=bench/data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$DATA"
PY=/usr/bin/python3

gen() { # lang size file
	if [ ! -s "$3" ] || [ "$(cat "$3.size" 2>/dev/null)" != "$2" ]; then
		echo "generating $3 ($1, $2)..." >&2
		"$PY" bench/gen-corpus --lang "$1" --bytes "$2" --cities 40 --seed 11 -o "$3"
		echo "$2" > "$3.size"
	fi
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# one analyze run: prints "seconds peak_kb"
run_analyze() { # file [options]
	f=$1
	shift
	/usr/bin/time -f "%e %M" -o "$OUT/time" "$B/narrate" analyze -q --no-progress "$@" \
		-o "$OUT/report" "$f" 2>"$OUT/err" >/dev/null || { cat "$OUT/err" >&2; exit 1; }
	cat "$OUT/time"
}

gen en "$EN_SIZE" "$DATA/en.jsonl"
gen zh "$ZH_SIZE" "$DATA/zh.jsonl"

echo "== analyze (threads: $(nproc), median of $RUNS runs) =="
printf '%-8s %10s %10s %10s %12s %10s %9s\n' corpus MB docs seconds "MB/s" "peak MiB" "peak/in"
for run in en zh en- zh-; do
	lang=${run%-}
	set --
	label=$lang
	if [ "$run" != "$lang" ]; then
		set -- --no-near-dups --no-cliches
		label="$lang*"
	fi
	f=$DATA/$lang.jsonl
	mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN{printf "%.1f", b/1e6}')
	docs=$(wc -l < "$f")
	: > "$OUT/s"; : > "$OUT/m"
	i=0
	while [ $i -lt "$RUNS" ]; do
		run_analyze "$f" "$@" > "$OUT/one"
		read -r t k < "$OUT/one"
		echo "$t" >> "$OUT/s"; echo "$k" >> "$OUT/m"
		i=$((i + 1))
	done
	s=$(median < "$OUT/s")
	m=$(sort -n "$OUT/m" | tail -1)
	[ "$run" = "$lang" ] && eval "s_$lang=$s"
	[ "$run" = "$lang" ] || eval "l_$lang=$s"
	printf '%-8s %10s %10s %10s %12.1f %10.0f %9.2f   (docs/s %.0f)\n' "$label" "$mb" "$docs" "$s" \
		"$(awk -v a="$mb" -v b="$s" 'BEGIN{print a/b}')" "$(awk -v m="$m" 'BEGIN{print m/1024}')" \
		"$(awk -v m="$m" -v a="$mb" 'BEGIN{print m * 1.024 / 1000 / a}')" \
		"$(awk -v a="$docs" -v b="$s" 'BEGIN{print a/b}')"
done

echo "== scikit-learn TfidfVectorizer on the same English texts (median of $RUNS runs) =="
: > "$OUT/k"
i=0
while [ $i -lt "$RUNS" ]; do
	set -- $("$PY" bench/sklearn_tfidf.py "$DATA/en.jsonl")
	echo "$1" >> "$OUT/k"
	i=$((i + 1))
done
k=$(median < "$OUT/k")
mb=$(awk -v b="$(stat -c %s "$DATA/en.jsonl")" 'BEGIN{printf "%.1f", b/1e6}')
printf 'sklearn  %10s %10s %10s %12.1f\n' "$mb" "" "$k" "$(awk -v a="$mb" -v b="$k" 'BEGIN{print a/b}')"
echo "(* with --no-near-dups --no-cliches)"
printf 'narrate analyze is %.1fx scikit-learn on English, %.1fx with --no-near-dups --no-cliches\n' \
	"$(awk -v a="$k" -v b="$s_en" 'BEGIN{print a/b}')" "$(awk -v a="$k" -v b="$l_en" 'BEGIN{print a/b}')"
echo "(targets: en >= 150 MB/s and >= 10x scikit-learn, zh >= 30 MB/s, peak < 1 GB per GB)"

# ICU's dictionary word break alone on the Chinese texts, one document per
# post, thread CPU time: what no change in narrate can take away.
if [ -x "$B/bench/bench_tokenize" ]; then
	echo "== ICU word break alone on the Chinese texts (one thread, median of $RUNS runs) =="
	"$PY" -c 'import json, sys
out = open(sys.argv[2], "w", encoding="utf-8")
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line).get("text") or ""
    out.write(t.replace("\r", " ").replace("\n", " ") + "\n")' "$DATA/zh.jsonl" "$OUT/zh.txt"
	"$B/bench/bench_tokenize" --runs "$RUNS" --doc-size 1 --icu-only "$OUT/zh.txt" zh > "$OUT/icu" ||
		exit 1
	cat "$OUT/icu"
	icu=$(sed -n 's/.*ICU word break *\([0-9.]*\) MB\/s.*/\1/p' "$OUT/icu")
	tb=$(stat -c %s "$OUT/zh.txt")
	jb=$(stat -c %s "$DATA/zh.jsonl")
	awk -v r="$icu" -v tb="$tb" -v jb="$jb" -v s="$s_zh" 'BEGIN {
		t = tb / 1e6 / r
		printf "ICU alone: %.1f CPU-s for the %.1f MB of JSONL, %.0f%% of the core time of the default run (2 cores x %.1f s); ICU alone on 2 cores would run %.1f MB/s of JSONL\n", t, jb / 1e6, 100 * t / (2 * s), s, 2 * jb / 1e6 / t
	}'
else
	echo "(ICU alone skipped: $B/bench/bench_tokenize not built)"
fi
