#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Mutation harness (`make mutation`, not part of check).  Each line of
# tests/mutation/mutants.txt is one mutant:
#   FILE :: PATTERN :: REPLACEMENT :: TESTS
# PATTERN is a fixed string that must occur on exactly one line of FILE; on
# that line it is replaced by REPLACEMENT.  TESTS names what must kill it:
# cli/NAME (tests/cli/NAME.sh), unit/NAME (build/tests/NAME), or VAR=VALUE
# set in the environment of those tests (e.g. BOUNDARY_ONLY=chain64*).
# The tree is copied once into $MUT_DIR (default build-mut/tree) and built
# there; each mutant is applied, rebuilt incrementally, run against its
# tests (stopping at the first failure) and reverted.  A mutant is killed
# when a test fails or times out.  Prints "K killed, S survived" and lists
# the survivors; exits non-zero when one survived or a mutant is invalid.
# Usage: tests/mutation/run.sh [FILTER...]  (only the mutants whose line
# holds one of the FILTER strings; `make mutation MUTANT="root.c block_chain.c"`)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
list=${MUTANTS:-$top/tests/mutation/mutants.txt}
MUT_DIR=${MUT_DIR:-$top/build-mut}
tree=$MUT_DIR/tree
filter=$*
TO=${MUT_TIMEOUT:-600}
mkdir -p "$tree"

# A copy of the working tree (tracked and untracked, not ignored files);
# tar keeps the modification times, so a second run rebuilds little.
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 tar -cf - --no-recursion) | tar -C "$tree" -xf - || exit 2
units=$(cd "$tree" && ls tests/unit/*.c | sed 's,tests/unit/\(.*\)\.c,build/tests/\1,')
build() { make -C "$tree" -s -j2 all $units >"$MUT_DIR/build.log" 2>&1; }
echo "== building the scratch tree in $tree"
build || { echo "the unmutated tree does not build:"; tail -n 20 "$MUT_DIR/build.log"; exit 2; }

# run_tests TESTS...: 0 when every test passes.
run_tests() {
	(
		for t in "$@"; do
			case $t in *=*) export "$t" ;; esac
		done
		for t in "$@"; do
			case $t in
			*=*) continue ;;
			cli/*) set -- sh "$tree/tests/$t.sh" ;;
			unit/*) set -- "$tree/build/tests/${t#unit/}" ;;
			*) echo "bad test name $t"; exit 3 ;;
			esac
			top=$tree B=$tree/build timeout "$TO" "$@" >"$MUT_DIR/test.log" 2>&1 ||
				{ echo "$t"; exit 1; }
		done
		exit 0
	)
}

fields() { # fields LINE N: the Nth " :: " separated field, trimmed
	printf '%s\n' "$1" | awk -v n="$2" 'BEGIN { FS = " :: " } { s = $n; gsub(/^[ \t]+|[ \t]+$/, "", s); print s }'
}

# match: the lines of stdin that hold one of the filter strings.
match() {
	if [ -z "$filter" ]; then cat; return; fi
	set --
	for f in $filter; do set -- "$@" -e "$f"; done
	grep -F "$@"
}

killed=0 survived=0 invalid=0 n=0 ran=0
survivors="" invalids=""
if [ "${MUT_BASELINE:-1}" = 1 ]; then
	echo "== baseline: every listed test on the unmutated tree"
	all=$(grep -v '^[[:space:]]*\(#\|$\)' "$list" | match |
		while IFS= read -r l; do fields "$l" 4; done |
		tr ' ' '\n' | grep -v = | sort -u)
	for t in $all; do
		if ! run_tests "$t" >/dev/null </dev/null; then
			echo "baseline failure: $t (see $MUT_DIR/test.log)"
			exit 2
		fi
	done
fi

while IFS= read -r line; do
	case $line in '' | \#*) continue ;; esac
	n=$((n + 1))
	[ -n "$(printf '%s\n' "$line" | match)" ] || continue
	ran=$((ran + 1))
	f=$(fields "$line" 1)
	pat=$(fields "$line" 2)
	rep=$(fields "$line" 3)
	tests=$(fields "$line" 4)
	src=$tree/$f
	cnt=$(grep -cF -- "$pat" "$src" 2>/dev/null)
	if [ "${cnt:-0}" -ne 1 ]; then
		echo "INVALID #$n $f: pattern found on ${cnt:-0} lines: $pat"
		invalid=$((invalid + 1))
		invalids="$invalids #$n"
		continue
	fi
	cp "$src" "$MUT_DIR/orig"
	python3 -c 'import sys
p, pat, rep = sys.argv[1:4]
lines = open(p).read().split("\n")
lines = [l.replace(pat, rep, 1) if pat in l else l for l in lines]
open(p, "w").write("\n".join(lines))' "$src" "$pat" "$rep"
	if ! build; then
		echo "INVALID #$n $f: does not build: $pat -> $rep"
		invalid=$((invalid + 1))
		invalids="$invalids #$n"
	elif by=$(run_tests $tests </dev/null); then
		echo "SURVIVED #$n $f: $pat -> $rep ($tests)"
		survived=$((survived + 1))
		survivors="$survivors
  #$n $f: $pat -> $rep"
	else
		echo "killed #$n $f: $pat -> $rep (by $by)"
		killed=$((killed + 1))
	fi
	cp "$MUT_DIR/orig" "$src"	# a fresh mtime: make rebuilds the original
done <"$list"
build || { echo "the restored tree does not build"; exit 2; }

[ -n "$survivors" ] && printf 'survivors:%s\n' "$survivors"
[ -n "$invalids" ] && echo "invalid mutants:$invalids"
echo "$killed killed, $survived survived ($invalid invalid, $ran of $n mutants run)"
[ "$survived" -eq 0 ] && [ "$invalid" -eq 0 ]
