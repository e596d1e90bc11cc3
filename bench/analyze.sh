#!/bin/sh
# make bench, section "analyze": narrate analyze on generated corpora (English
# >= 500 MB, Chinese >= 200 MB of JSONL), median of RUNS runs, beside
# scikit-learn's TfidfVectorizer fitting the same English texts in the same run.
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
run_analyze() { # file
	/usr/bin/time -f "%e %M" -o "$OUT/time" "$B/narrate" analyze -q --no-progress \
		-o "$OUT/report" "$1" 2>"$OUT/err" >/dev/null || { cat "$OUT/err" >&2; exit 1; }
	cat "$OUT/time"
}

gen en "$EN_SIZE" "$DATA/en.jsonl"
gen zh "$ZH_SIZE" "$DATA/zh.jsonl"

echo "== analyze (threads: $(nproc), median of $RUNS runs) =="
printf '%-8s %10s %10s %10s %12s %10s %9s\n' corpus MB docs seconds "MB/s" "peak MiB" "peak/in"
for lang in en zh; do
	f=$DATA/$lang.jsonl
	mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN{printf "%.1f", b/1e6}')
	docs=$(wc -l < "$f")
	: > "$OUT/s"; : > "$OUT/m"
	i=0
	while [ $i -lt "$RUNS" ]; do
		set -- $(run_analyze "$f")
		echo "$1" >> "$OUT/s"; echo "$2" >> "$OUT/m"
		i=$((i + 1))
	done
	s=$(median < "$OUT/s")
	m=$(sort -n "$OUT/m" | tail -1)
	eval "s_$lang=$s"
	printf '%-8s %10s %10s %10s %12.1f %10.0f %9.2f   (docs/s %.0f)\n' "$lang" "$mb" "$docs" "$s" \
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
printf 'narrate analyze is %.1fx scikit-learn on English (targets: en >= 150 MB/s and >= 10x, zh >= 30 MB/s, peak < 1 GB per GB)\n' \
	"$(awk -v a="$k" -v b="$s_en" 'BEGIN{print a/b}')"
