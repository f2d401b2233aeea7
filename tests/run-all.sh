#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every unit-test binary and every CLI test script, then prints one
# closing line "N passed, M failed, K skipped" (the "N passed, M failed"
# prefix is what CI parsers read).  Exit status is non-zero when anything
# failed, and under CI=true also when anything was skipped: a CI machine
# that lacks tmux or readelf must say so, not pass.
# Usage: tests/run-all.sh [unit|cli|all]
#
# Suites run concurrently, TEST_JOBS at a time (default: the number of
# online CPUs; TEST_JOBS=1 runs them one after another).  Each suite's
# output goes to its own file and is printed, with its "== name" header,
# in the fixed order of a serial run (units, then tests/cli/*.sh by name),
# so the log and the counts do not depend on the job count.
# TEST_TIMES=FILE also writes "SECONDS NAME" per suite to FILE.
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

jobs=${TEST_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
case $jobs in
'' | *[!0-9]*) jobs=1 ;;
esac
[ "$jobs" -ge 1 ] || jobs=1

# Longest first, so that no long suite starts last and runs alone.  Wall
# times of the normal build's pass, two at a time on two idle cores:
#   handoff 40  cli 7  scenarios 5  plugins 5  browse 3  then memmap,
#   kdump, hostile, compat, capture, boundary 2 each, every other suite
#   and every unit binary 1 or less (zz-json, 18, always runs last)
# (the order matters, not the figures).  TEST_TIMES=FILE records new
# figures.  The unit binaries go first all the same: they take seconds in
# all, and the log, printed in list order, starts with them.  A suite not
# named here (a new script) starts before everything: its length is
# unknown, and starting a short one early costs little.
longest_first="
unit/* cli/handoff cli/cli cli/scenarios cli/plugins cli/browse cli/memmap
cli/kdump cli/hostile cli/compat cli/capture cli/boundary cli/trust
cli/scale cli/root cli/registry cli/pagesize cli/notes cli/mkimage
cli/messages cli/memfd cli/luo cli/live cli/install cli/deps cli/contract
cli/unknown cli/regress cli/real cli/opaque cli/layers cli/incoming
cli/consequence cli/components
"

# Suites that must not run at the same time as each other (one at a time,
# in the order above; other suites still run beside them):
#   cli/install runs the project Makefile on $B (make install, which
#     writes $B/kho-inspect-plugin.pc and would rebuild anything stale);
#   cli/deps runs make -q on $B and expects it to be up to date;
#   cli/trust copies the whole normal build tree ($top/build) and runs
#     make install on the copy.
# (cli/components and cli/plugins also run make, but only on
# plugins/example with OUT= in their own temporary directory.)
exclusive="cli/deps cli/install cli/trust"

# cli/zz-* suites run only after every other cli suite has finished:
# cli/zz-json validates the JSON corpus ($B/json-corpus) the others write.

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

W=$(mktemp -d "${TMPDIR:-/tmp}/kho-run-all.XXXXXX") || exit 1
workers=""
trap 'rm -rf "$W"' EXIT
trap 'for w in $workers; do kill "$w" 2>/dev/null; done; exit 130' INT TERM
tab=$(printf '\t')

# $W/list: "INDEX<TAB>NAME<TAB>KIND<TAB>PATH" per suite, in output order.
i=0
add() { # add KIND NAME PATH
	i=$((i + 1))
	printf '%s\t%s\t%s\t%s\n' "$i" "$2" "$1" "$3" >>"$W/list"
}
: >"$W/list"
if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in "$B"/tests/*; do
		[ -x "$t" ] || continue
		add unit "unit/$(basename "$t")" "$t"
	done
fi
if [ "$what" = all ] || [ "$what" = cli ]; then
	# The JSON documents of this run only (cli/zz-json.sh validates them).
	rm -rf "$B/json-corpus"
	for t in "$top"/tests/cli/*.sh; do
		[ -f "$t" ] || continue
		add cli "cli/$(basename "$t" .sh)" "$t"
	done
fi

# rank NAME: where NAME starts (0 = unknown, first; cli/zz-* last).
rank() {
	case $1 in
	cli/zz-*)
		echo 100000
		return
		;;
	esac
	r=0
	set -f # unit/* is a pattern for the case below, not for the shell
	for h in $longest_first; do
		r=$((r + 1))
		# shellcheck disable=SC2254 # $h is a pattern
		case $1 in
		$h)
			echo "$r"
			return
			;;
		esac
	done
	echo 0
}
# $W/order: the list, longest first; $W/cli: indexes the zz- suites wait for.
while IFS=$tab read -r n name kind path; do
	printf '%s\t%s\t%s\t%s\t%s\n' "$(rank "$name")" "$n" "$name" "$kind" "$path"
	case $name in
	cli/zz-*) ;;
	cli/*) echo "$n" >>"$W/cli" ;;
	esac
done <"$W/list" | sort -t "$tab" -k1,1n -k2,2n | cut -f 2- >"$W/order"
[ -f "$W/cli" ] || : >"$W/cli"

# ready NAME: NAME may start now.
ready() {
	case $1 in
	cli/zz-*)
		# shellcheck disable=SC2013 # one number a line
		for j in $(cat "$W/cli"); do
			[ -f "$W/$j.done" ] || return 1
		done
		;;
	esac
	return 0
}

is_exclusive() {
	for x in $exclusive; do
		[ "$x" = "$1" ] && return 0
	done
	return 1
}

# run_suite INDEX NAME KIND PATH: $W/INDEX.out gets the output, then
# $W/INDEX.done the exit status (written last, renamed into place).
# The suite runs as a child the worker waits for, so that the worker's
# TERM trap can end it (a worker is a background job: it and its children
# ignore the terminal's SIGINT, so run-all.sh passes that on as TERM).
run_suite() {
	s=$(date +%s)
	if [ "$3" = unit ]; then
		"$4" >"$W/$1.out" 2>&1 </dev/null &
	else
		sh "$4" >"$W/$1.out" 2>&1 </dev/null &
	fi
	child=$!
	wait "$child"
	echo "$?" >"$W/$1.rc"
	child=""
	echo "$(($(date +%s) - s)) $2" >"$W/$1.time"
	mv "$W/$1.rc" "$W/$1.done"
}

# worker: takes the first suite of $W/order that nobody has claimed (an
# atomic mkdir) and may start now, runs it, and starts over from the top;
# returns when every suite is claimed.
worker() {
	child=""
	trap '[ -z "$child" ] || kill "$child" 2>/dev/null; exit 1' TERM
	while :; do
		left=0
		ran=0
		while IFS=$tab read -r n name kind path; do
			[ -d "$W/$n.claim" ] && continue
			left=1
			ready "$name" || continue
			lock=""
			if is_exclusive "$name"; then
				lock="$W/exclusive.lock"
				mkdir "$lock" 2>/dev/null || continue
			fi
			if mkdir "$W/$n.claim" 2>/dev/null; then
				run_suite "$n" "$name" "$kind" "$path"
				ran=1
			fi
			[ -z "$lock" ] || rmdir "$lock"
			[ "$ran" -eq 0 ] || break
		done <"$W/order"
		[ "$left" -eq 1 ] || return 0
		[ "$ran" -eq 1 ] || sleep 1
	done
}

nsuites=$i
[ "$jobs" -le "$nsuites" ] || jobs=$nsuites
w=0
while [ "$w" -lt "$jobs" ]; do
	worker &
	workers="$workers $!"
	w=$((w + 1))
done

# In list order: wait for each suite, print it, count it.
while IFS=$tab read -r n name kind path; do
	while [ ! -f "$W/$n.done" ]; do
		alive=0
		for p in $workers; do
			kill -0 "$p" 2>/dev/null && alive=1
		done
		[ "$alive" -eq 1 ] || [ -f "$W/$n.done" ] || break
		sleep 1
	done
	printf '== %s\n' "$name"
	if [ -f "$W/$n.done" ]; then
		rc=$(cat "$W/$n.done")
		out=$(cat "$W/$n.out")
	else
		rc=1
		out="run-all.sh: $name never finished (its worker is gone)"
	fi
	printf '%s\n' "$out"
	count_line "$out" "$name" "$rc"
done <"$W/list"
wait
if [ -n "${TEST_TIMES:-}" ]; then
	cat "$W"/*.time 2>/dev/null | sort -rn >"$TEST_TIMES"
fi

[ -n "$failed_names" ] && printf 'failing suites:%s\n' "$failed_names"
[ -n "$skipped_names" ] && printf 'suites with skips:%s\n' "$skipped_names"
echo "$pass passed, $fail failed, $skipped skipped"
if [ "$skipped" -gt 0 ] && [ "${CI:-}" = true ]; then
	echo "FAIL: $skipped check(s) skipped under CI=true"
	exit 1
fi
[ "$fail" -eq 0 ] && [ -z "$failed_names" ]
