#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every unit-test binary and every CLI test script, then prints one
# closing line "N passed, M failed, K skipped" (the "N passed, M failed"
# prefix is what CI parsers read).  Exit status is non-zero when anything
# failed, and under CI=true also when anything was skipped: a CI machine
# that lacks tmux or readelf must say so, not pass.
# Usage: tests/run-all.sh [unit|cli|all]
set -u
what=${1:-all}
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$top/build}
export B top
pass=0
fail=0
skipped=0
failed_names=""
skipped_names=""

count_line() {
	# Accepts the plain "N passed, M failed[, K skipped]" of our scripts
	# and, failing that, Check's "NN%: Checks: N, Failures: F, Errors: E".
	out=$1
	name=$2
	rc=$3
	p=0 f=0 k=0
	# The unit runner (tests/unit/check_main.h) prints both lines; its
	# own "passed" line counts assertion sites, so it is read first.
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -n 1)
	if printf '%s\n' "$out" | grep -qE '^[0-9]+ passed, [0-9]+ failed'; then
		line=""
	fi
	if [ -n "$line" ]; then
		n=$(printf '%s' "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
		f=$(printf '%s' "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
		e=$(printf '%s' "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
		p=$((n - f - e))
		f=$((f + e))
		pass=$((pass + p))
		fail=$((fail + f))
	else
		line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
		if [ -n "$line" ]; then
			p=$(printf '%s' "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
			f=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
			k=$(printf '%s' "$line" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
			k=${k:-0}
			pass=$((pass + p))
			fail=$((fail + f))
			if [ "$k" -gt 0 ]; then
				skipped=$((skipped + k))
				skipped_names="$skipped_names $name"
			fi
		else
			# No summary at all: the script died early, or never
			# counted anything.  Either way it did not pass.
			fail=$((fail + 1))
			rc=1
			echo "FAIL: $name printed no summary line"
		fi
	fi
	# A suite that ran nothing proves nothing.
	if [ -n "$line" ] && [ "$((p + f + k))" -eq 0 ]; then
		fail=$((fail + 1))
		rc=1
		echo "FAIL: $name ran no assertions"
	fi
	if [ "$rc" -ne 0 ]; then
		failed_names="$failed_names $name"
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
}

if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in "$B"/tests/*; do
		[ -x "$t" ] || continue
		run_one "unit/$(basename "$t")" "$t"
	done
fi
if [ "$what" = all ] || [ "$what" = cli ]; then
	# The JSON documents of this run only (cli/zz-json.sh validates them).
	rm -rf "$B/json-corpus"
	for t in "$top"/tests/cli/*.sh; do
		[ -f "$t" ] || continue
		run_one "cli/$(basename "$t" .sh)" sh "$t"
	done
fi

[ -n "$failed_names" ] && printf 'failing suites:%s\n' "$failed_names"
[ -n "$skipped_names" ] && printf 'suites with skips:%s\n' "$skipped_names"
echo "$pass passed, $fail failed, $skipped skipped"
if [ "$skipped" -gt 0 ] && [ "${CI:-}" = true ]; then
	echo "FAIL: $skipped check(s) skipped under CI=true"
	exit 1
fi
[ "$fail" -eq 0 ] && [ -z "$failed_names" ]
