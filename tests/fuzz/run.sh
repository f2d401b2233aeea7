#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs libFuzzer targets one after the other.
#
#   tests/fuzz/run.sh FUZZ_B SECONDS keep|smoke TARGET...
#
# keep:  the corpus lives in FUZZ_B/corpus/TARGET and grows across runs
#        (`make fuzz`).
# smoke: starts from the kho-mkimage seeds only, into a scratch corpus
#        (`make fuzz-smoke`, part of `make check`).
# A crash, a sanitizer report, a leak, an input slower than 10 s or a
# memory blow-up fails the target; the reproducer is left in
# FUZZ_B/artifacts/ with the command that minimises it.  Prints
# "N passed, M failed" like the other suites.
set -u
FB=$1
SECS=$2
MODE=$3
shift 3
FB=$(cd "$FB" && pwd)
pass=0
fail=0
mkdir -p "$FB/artifacts"
for t in "$@"; do
	bin="$FB/fuzz/fuzz_$t"
	if [ ! -x "$bin" ]; then
		echo "FAIL: fuzz_$t not built"
		fail=$((fail + 1))
		continue
	fi
	if [ "$MODE" = keep ]; then
		corpus="$FB/corpus/$t"
	else
		corpus="$FB/smoke/$t"
		rm -rf "$corpus"
	fi
	mkdir -p "$corpus"
	log="$FB/artifacts/$t.log"
	start=$(date +%s)
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
		-malloc_limit_mb=1024 -print_final_stats=1 \
		-artifact_prefix="$FB/artifacts/$t-" \
		"$corpus" "$FB/seeds/$t" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
	if [ "$rc" -eq 0 ]; then
		printf 'fuzz_%-15s ok   %4ss %8s execs, cov %s\n' "$t" "$took" \
			"${execs:-?}" "${cov:-?}"
		pass=$((pass + 1))
	else
		art=$(sed -nE 's/.*(Test unit written to|artifact_prefix.*; Test unit written to) ([^ ]+).*/\2/p' "$log" | tail -n 1)
		echo "FAIL: fuzz_$t exit $rc after ${took}s (log: $log)"
		grep -E 'ERROR: |SUMMARY: |runtime error|==ERROR' "$log" | head -n 5 |
			sed 's/^/    | /'
		if [ -n "$art" ]; then
			echo "    reproducer: $art"
			echo "    minimise:   $bin -minimize_crash=1 -runs=20000 $art"
		fi
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
