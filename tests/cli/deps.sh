#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Header dependencies of the unit-test binaries: for every project header a
# test includes, `make -q -W HEADER` (make's "pretend this file just
# changed") must say the test binary is out of date, while plain `make -q`
# says it is current.  Nothing is touched or rebuilt.
. "$(dirname "$0")/../lib.sh"

# Make runs from the top of the tree with the same build directory, named
# as the Makefile names it (the .d files hold that spelling).
case $B in
"$top"/*) rel=${B#"$top"/} ;;
*) rel="" ;;
esac

# resolve HEADER SRC-DIR: the file a #include "HEADER" names, from the
# test's own directory, then -Iinclude, then -Isrc.
resolve() {
	for d in tests/unit include src; do
		if [ -f "$top/$d/$1" ]; then
			echo "$d/$1"
			return 0
		fi
	done
	return 1
}

nt=0
for src in "$top"/tests/unit/*.c; do
	t=$(basename "$src" .c)
	bin="$rel/tests/$t"
	if [ -z "$rel" ] || [ ! -x "$top/$bin" ]; then
		skip "deps $t: $B/tests/$t not built inside the tree"
		continue
	fi
	nt=$((nt + 1))
	expect_exit "deps $t: make -q on a fresh build" 0 \
		make -s -q -C "$top" B="$rel" "$bin"
	for h in $(sed -n 's/^#include "\(.*\)"/\1/p' "$src"); do
		f=$(resolve "$h") || { fail "deps $t: cannot find $h"; continue; }
		expect_exit "deps $t: editing $f rebuilds it" 1 \
			make -s -q -C "$top" B="$rel" -W "$f" "$bin"
	done
done
# The case the issue names, pinned in case the test's includes change.
if [ -n "$rel" ] && [ -x "$top/$rel/tests/test_radix_math" ]; then
	expect_exit "deps: radix_math.h rebuilds test_radix_math" 1 \
		make -s -q -C "$top" B="$rel" -W include/kho/radix_math.h \
		"$rel/tests/test_radix_math"
fi
# The core archive is made anew, never updated in place: ar keeps the
# members whose source was renamed or removed, and they clash at link time
# (seen after src/ moved into folders: image_diff.o beside session_diff.o).
if [ -n "$rel" ]; then
	make -s -n -C "$top" B="$rel" -W src/base/err.c "$rel/libkhocore.a" >"$T/arn" 2>&1
	rmline=$(grep -n "^rm -f $rel/libkhocore.a\$" "$T/arn" | cut -d: -f1 | head -n 1)
	arline=$(grep -n "rcs $rel/libkhocore.a " "$T/arn" | cut -d: -f1 | head -n 1)
	rm_first() { [ -n "$rmline" ] && [ -n "$arline" ] && [ "$rmline" -lt "$arline" ]; }
	check "deps: the archive is removed before ar writes it (rm at ${rmline:-none}, ar at ${arline:-none})" rm_first
else
	skip "deps: the archive recipe: $B is not inside the tree"
fi
finish
