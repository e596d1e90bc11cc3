#!/bin/sh
# Run every test narrate has and print one closing line "N passed, N failed".
#   B=build sh tests/run-suite.sh                 the full suite
#   B=build-san NR_SUITE=sanitizer sh ...          unit tests + fuzz replay only
# Each test is a program or script that exits 0 on success; its output is
# kept in $B/test-logs/ and shown when it fails.
B=${B:-build}
SUITE=${NR_SUITE:-full}
LOGS=$B/test-logs
mkdir -p "$LOGS"
# The binary finds lexicons/ beside its build folder (build/../lexicons);
# a build folder elsewhere (B=/tmp/x) has none there, so point it at the
# tree's.  build/ itself keeps testing the lookup.
if [ -z "${NARRATE_DATA:-}" ] && [ ! -d "$B/../lexicons" ]; then
	NARRATE_DATA=$(pwd)/lexicons
	export NARRATE_DATA
fi
pass=0
fail=0
failed=

run() { # name, command...
	name=$1
	shift
	log=$LOGS/$(echo "$name" | tr '/ ' '__').log
	if "$@" >"$log" 2>&1; then
		pass=$((pass + 1))
		printf '  ok    %s\n' "$name"
	else
		fail=$((fail + 1))
		failed="$failed $name"
		printf '  FAIL  %s\n' "$name"
		sed 's/^/        | /' "$log" | tail -n 40
	fi
}

echo "narrate tests ($SUITE, $B)"
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	case $t in *.d | *.o) continue ;; esac
	run "unit/$(basename "$t")" "$t"
done
for t in "$B"/tests/fuzz_*-replay; do
	[ -x "$t" ] || continue
	h=$(basename "$t" -replay)
	dir=tests/fuzz/corpus/$h
	[ -d "$dir" ] || continue
	run "fuzz-replay/$h" "$t" "$dir"
done
if [ "$SUITE" = full ]; then
	for t in "$B"/tests/conf_*; do
		[ -x "$t" ] || continue
		case $t in *.d | *.o) continue ;; esac
		run "conformance/$(basename "$t")" "$t"
	done
	for t in tests/golden/*.sh tests/cli/*.sh; do
		[ -f "$t" ] || continue
		run "cli/$(basename "$t" .sh)" env NARRATE="$B/narrate" sh "$t"
	done
fi
echo "$SUITE: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
