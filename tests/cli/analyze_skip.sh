#!/bin/sh
# narrate analyze --no-near-dups / --no-cliches on the sample corpus:
#   - every column but the skipped ones is the same as a full run's;
#   - the skipped columns are empty in every row;
#   - the homogeneity index is, in every row, the mean of the min-max
#     normalised components that are left (recomputed here from cities.csv,
#     docs/homogeneity.md), and distinctiveness is 1 minus it;
#   - manifest.json says what was skipped.
set -u
NARRATE=${NARRATE:-build/narrate}
case $NARRATE in /*) ;; *) NARRATE=$(pwd)/$NARRATE ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
cd "$ROOT" || exit 1
export NARRATE_DATA="${NARRATE_DATA:-$ROOT/lexicons}"

run() { # name options...
	name=$1
	shift
	"$NARRATE" analyze -q --no-progress --no-report "$@" -o "$tmp/$name" corpora/sample \
		>/dev/null 2>"$tmp/$name.err" || { bad "analyze $* failed"; cat "$tmp/$name.err"; }
}
run full
run nodups --no-near-dups
run nocl --no-cliches
run none --no-near-dups --no-cliches

$PY - "$tmp" <<'EOF' || fail=1
import csv, json, math, sys
tmp = sys.argv[1]
def rows(name):
    with open(f"{tmp}/{name}/cities.csv", newline="") as f:
        return list(csv.DictReader(f))
def manifest(name):
    with open(f"{tmp}/{name}/manifest.json") as f:
        return json.load(f)["options"]["homogeneity"]
COMP = ["dup_within", "dup_across", "cliche_rate", "cosine_mean"]
DERIVED = {"homogeneity", "distinctiveness"}
cases = {"nodups": {"dup_within", "dup_across"}, "nocl": {"cliche_rate"},
         "none": {"dup_within", "dup_across", "cliche_rate"}}
full = rows("full")
ok = True
def bad(msg):
    global ok
    print("FAIL:", msg)
    ok = False
if len(full) < 12:
    bad(f"sample corpus gave {len(full)} groups, expected at least 12")
for c in COMP:
    if not any(r[c] for r in full):
        bad(f"full run: {c} empty in every row")
for name, skipped in cases.items():
    got = rows(name)
    if [r["city_id"] for r in got] != [r["city_id"] for r in full]:
        bad(f"{name}: rows differ from the full run")
        continue
    for r, f in zip(got, full):
        for k in r:
            if k in skipped:
                if r[k] != "":
                    bad(f"{name}: {k} of {r['city_id']} is '{r[k]}', expected empty")
            elif k not in DERIVED and r[k] != f[k]:
                bad(f"{name}: {k} of {r['city_id']} is {r[k]}, full run {f[k]}")
    # the index: mean of the min-max normalised components left
    lo, hi = {}, {}
    for c in COMP:
        v = [float(r[c]) for r in got if r[c] != ""]
        if v:
            lo[c], hi[c] = min(v), max(v)
    for r in got:
        parts = [(float(r[c]) - lo[c]) / (hi[c] - lo[c]) if hi[c] > lo[c] else 0.5
                 for c in COMP if r[c] != ""]
        want = sum(parts) / len(parts)
        h, d = float(r["homogeneity"]), float(r["distinctiveness"])
        if abs(h - want) > 1e-8 or abs(d - (1 - want)) > 1e-8:
            bad(f"{name}: homogeneity of {r['city_id']} is {h}, recomputed {want}")
    m = manifest(name)
    if m["near_duplicates"] != ("dup_within" not in skipped):
        bad(f"{name}: manifest near_duplicates is {m['near_duplicates']}")
    if m["cliches"] != ("cliche_rate" not in skipped):
        bad(f"{name}: manifest cliches is {m['cliches']}")
m = manifest("full")
if not (m["near_duplicates"] and m["cliches"]):
    bad("full run: manifest says something was skipped")
sys.exit(0 if ok else 1)
EOF

if [ $fail -eq 0 ]; then
	echo "analyze_skip: ok"
fi
exit $fail
