#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The architecture as a test: the core's files (src/LAYER/, lib/) call no
# file of a higher layer, analysis/ and output/ do not call each other, and
# no two files call each other directly or around a loop
# (scripts/callgraph.py, read from the built objects with nm).  The checker
# is then shown to catch each kind of violation on objects built here.
# Plugins compile with include/ as their only include path.
. "$(dirname "$0")/../lib.sh"

CG="$top/scripts/callgraph.py"

# ---- the real build
python3 "$CG" "$B" >"$T/cg" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok; else
	fail "the core's call graph has violations (exit $rc)"
	sed 's/^/    | /' "$T/cg" | head -n 20
fi
# Every core source file was looked at, counted from the tree.
want=$(find "$top/src" "$top/lib" -name '*.c' ! -path '*/src/cli/*' | wc -l)
contains "callgraph read every core file ($want)" "$T/cg" "$want files,"

# ---- the checker fails on each violation
F="$T/fake"
mkdir -p "$F/src/decode" "$F/src/image" "$F/src/analysis" "$F/src/output" "$F/lib"
cat >"$F/src/decode/a.c" <<'C'
void b_fn(void);
void a_fn(void) { b_fn(); }
C
cat >"$F/src/decode/b.c" <<'C'
void a_fn(void);
void b_fn(void) { a_fn(); }
C
cat >"$F/src/image/c.c" <<'C'
void a_fn(void);
void c_fn(void) { a_fn(); }
C
cat >"$F/src/analysis/x.c" <<'C'
void x_fn(void) { }
C
cat >"$F/src/output/o.c" <<'C'
void x_fn(void);
void c_fn(void);
void o_fn(void) { x_fn(); c_fn(); }
C
cat >"$F/lib/l.c" <<'C'
void l_fn(void) { }
C
for c in "$F"/src/*/*.c "$F"/lib/*.c; do
	cc -c -o "${c%.c}.o" "$c" || fail "compile $(basename "$c")"
done
expect_exit "callgraph exits 1 on violations" 1 python3 "$CG" "$F"
contains "a two-file cycle is named" "$T/out" "cycle src/decode/a.o src/decode/b.o"
contains "an upward call is named" "$T/out" "up src/image/c.o -> src/decode/a.o: a_fn"
contains "a call between peers is named" "$T/out" "side src/output/o.o -> src/analysis/x.o: x_fn"
lacks "a downward call is allowed" "$T/out" "src/output/o.o -> src/image/c.o"
contains "the count of violations" "$T/out" "6 files, 5 calls between files, 3 violations"
# Without the cycle and the bad calls, the same checker passes.
rm "$F/src/decode/b.o" "$F/src/image/c.o" "$F/src/output/o.o"
expect_exit "callgraph exits 0 on a clean graph" 0 python3 "$CG" "$F"
rm -rf "$F/src" "$F/lib"
mkdir -p "$F/src"
expect_exit "callgraph exits 2 with no objects" 2 python3 "$CG" "$F"
contains "no objects is named" "$T/out" "no object files under $F/src or $F/lib"

# ---- plugins see include/ only
for p in "$top"/plugins/*.c; do
	if cc -std=c11 -D_GNU_SOURCE -fsyntax-only -Wall -Werror -I"$top/include" \
		"$p" 2>"$T/perr"; then ok; else
		fail "$(basename "$p") needs more than -Iinclude"
		sed 's/^/    | /' "$T/perr" | head -n 5
	fi
done
finish
