#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Regression cases for crashes and hangs found by fuzzing (tests/fuzz/).
#   tests/scenarios/regress/*.scn  kho-mkimage scenarios; each states its
#                                  exit status and check ids in an
#                                  "# expect:" line, which
#                                  tests/cli/scenarios.sh checks
#   tests/regress/*.bin            inputs that a scenario cannot express
#                                  (see tests/regress/README), exit 1 or 2
# Every input goes through check, dump --json, memmap and check --scan;
# none may crash, hang (timeout 20) or trigger a sanitizer report.
. "$(dirname "$0")/../lib.sh"

# one NAME WANT FILE: WANT is an exit status, "12" for 1 or 2, or "-" when
# scenarios.sh pins it.
one() {
	n=$1
	want=$2
	f=$3
	for cmd in check "dump --json" memmap "check --scan"; do
		# shellcheck disable=SC2086 # cmd is split on purpose
		timeout 20 "$KI" $cmd "$f" >"$T/$n.out" 2>"$T/$n.err"
		rc=$?
		if [ "$rc" -eq 124 ]; then
			fail "$n ($cmd): timed out"
		elif [ "$rc" -ge 128 ] ||
			grep -qE 'Sanitizer|runtime error:' "$T/$n.err"; then
			fail "$n ($cmd): crashed (exit $rc)"
			sed 's/^/    | /' "$T/$n.err" | head -n 8
		else
			ok
		fi
	done
	# The exit status is pinned for plain `check` only.
	[ "$want" = - ] && return
	timeout 20 "$KI" check "$f" >"$T/$n.out" 2>"$T/$n.err"
	rc=$?
	case $want in
	12) [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] ;;
	*) [ "$rc" -eq "$want" ] ;;
	esac && ok || {
		fail "$n: check exit $rc, want $want"
		sed 's/^/    | /' "$T/$n.out" "$T/$n.err" | head -n 6
	}
}

ncases=0
for s in "$top"/tests/scenarios/regress/regress-*.scn; do
	[ -f "$s" ] || continue
	name=$(basename "$s" .scn)
	if ! "$MK" "$s" -o "$T/$name.img" 2>"$T/$name.mkerr"; then
		fail "mkimage $name"
		sed 's/^/    | /' "$T/$name.mkerr" | head -n 3
		continue
	fi
	one "$name" - "$T/$name.img"
	ncases=$((ncases + 1))
done
for b in "$top"/tests/regress/*.bin; do
	[ -f "$b" ] || continue
	one "$(basename "$b" .bin)" 12 "$b"
	ncases=$((ncases + 1))
done
check "regression cases found" [ "$ncases" -gt 0 ]
finish
