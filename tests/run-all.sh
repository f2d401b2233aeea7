#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every unit-test binary and every CLI test script, then prints one
# closing line "N passed, M failed".  Exit status is non-zero when anything
# failed.  Usage: tests/run-all.sh [unit|cli|all]
set -u
what=${1:-all}
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$top/build}
export B top
pass=0
fail=0
failed_names=""

count_line() {
	# Accepts Check's "NN%: Checks: N, Failures: F, Errors: E" and the
	# plain "N passed, M failed" of our scripts.
	out=$1
	name=$2
	rc=$3
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -n 1)
	if [ -n "$line" ]; then
		n=$(printf '%s' "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
		f=$(printf '%s' "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
		e=$(printf '%s' "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
		pass=$((pass + n - f - e))
		fail=$((fail + f + e))
	else
		line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
		if [ -n "$line" ]; then
			p=$(printf '%s' "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
			f=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
			pass=$((pass + p))
			fail=$((fail + f))
		elif [ "$rc" -ne 0 ]; then
			fail=$((fail + 1))
		fi
	fi
	if [ "$rc" -ne 0 ]; then
		failed_names="$failed_names $name"
		[ -n "$line" ] || true
	fi
}

run_one() {
	name=$1
	shift
	printf '== %s\n' "$name"
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	count_line "$out" "$name" "$rc"
	# A script that died before its own summary still counts as a failure.
	if [ "$rc" -ne 0 ] && ! printf '%s\n' "$out" | grep -qE '(Checks: |passed, )'; then
		:
	fi
}

if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in "$B"/tests/*; do
		[ -x "$t" ] || continue
		run_one "unit/$(basename "$t")" "$t"
	done
fi
if [ "$what" = all ] || [ "$what" = cli ]; then
	for t in "$top"/tests/cli/*.sh; do
		[ -f "$t" ] || continue
		run_one "cli/$(basename "$t" .sh)" sh "$t"
	done
fi

[ -n "$failed_names" ] && printf 'failing suites:%s\n' "$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ -z "$failed_names" ]
