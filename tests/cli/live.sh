#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Live capture and preflight --live on a fake /proc/kcore laid out like a
# real x86-64 one (tests/cli/fake_kcore.py: kernel text with p_paddr, RAM
# in the direct map, vmalloc without p_paddr) and a fake /proc/kallsyms:
# the root FDT is found through kho_out/kho_in, confirmed against the
# debugfs prefix, and every run fits in 256 MiB of address space.
. "$(dirname "$0")/../lib.sh"

SAMPLE="$top/tests/scenarios/sample.scn"
FAKE="python3 $top/tests/cli/fake_kcore.py"
# RAM below 4 GiB of the fake machine: larger than the 256 MiB limit, so
# that a run holding what it reads cannot pass.
LOW=0x14000000
LIMIT=262144 # KiB of virtual memory (ulimit -v)
KAS=0xffffffff82a41e80 # where the fake kallsyms puts kho_out

# same_json NAME A B: dump --json of A and B are equal.
same_json() {
	"$KI" dump --json "$2" >"$T/a.json" 2>/dev/null
	"$KI" dump --json "$3" >"$T/b.json" 2>/dev/null
	if cmp -s "$T/a.json" "$T/b.json"; then ok; else fail "$1: dump --json differs"; fi
}

# limited CMD...: CMD under ulimit -v $LIMIT (in a subshell).  A
# sanitizer build reserves terabytes of shadow address space and cannot
# start under any such limit: there the limit is dropped (and said).
if ( (ulimit -v $LIMIT && exec "$KI" --version) >/dev/null 2>&1 ) 2>/dev/null
then
	limited() { (ulimit -v $LIMIT && "$@"); }
else
	echo "note: $KI cannot start under ulimit -v (sanitizer build?): memory limit not tested"
	limited() { "$@"; }
fi

"$MK" "$SAMPLE" -o "$T/src.img" 2>/dev/null &&
mkdir -p "$T/dbg" "$T/full" &&
"$MK" "$SAMPLE" -f debugfs -o "$T/full/out" 2>/dev/null &&
"$MK" "$SAMPLE" -s vmcoreinfo=yes -f kcore -o "$T/src.kcore" 2>/dev/null &&
$FAKE "$T/src.kcore" "$T/kcore" "$T/kallsyms" --low-end $LOW >"$T/fake" &&
$FAKE "$T/src.kcore" "$T/kcore.small" "$T/kallsyms.small" \
	--low-end 0x200000 >/dev/null &&
$FAKE "$T/src.kcore" "$T/kcore.nosym" "$T/kallsyms.nosym" --low-end $LOW \
	--no-symbol >/dev/null &&
$FAKE "$T/src.kcore" "$T/kcore.hidden" "$T/kallsyms.hidden" --low-end 0x200000 \
	--hidden >/dev/null || fail "fixtures"
# debugfs shows a prefix of the root FDT (7.2: 233 of its 345 bytes).
cp -r "$T/full/out" "$T/dbg/out"
head -c 233 "$T/full/out/fdt" >"$T/dbg/out/fdt"
fdtsize=$(wc -c <"$T/full/out/fdt")
check "debugfs fdt is a strict prefix ($fdtsize bytes)" test "$fdtsize" -gt 233
ram=$(sed -n 's/.* ram //p' "$T/fake")
check "fake kcore has $ram bytes of RAM" test "$ram" -gt 268435456
if command -v readelf >/dev/null 2>&1; then
	readelf -lW "$T/kcore" >"$T/phdrs" 2>&1
	contains "fake kcore: text segment with p_paddr" "$T/phdrs" \
		"0xffffffff81000000 0x0000000001000000"
	contains "fake kcore: vmalloc without p_paddr" "$T/phdrs" \
		"0xffffc90000000000 0xffffffffffffffff"
fi

# ---- kallsyms: found without reading memory ----
expect_exit "capture via kallsyms" 0 "$KI" capture --debugfs "$T/dbg" \
	--kcore "$T/kcore" --kallsyms "$T/kallsyms" --radix-depth plus1 \
	--v1-bitmap-bytes 4096 -o "$T/k.cap"
contains "says how it was located" "$T/out" \
	"root FDT at 0x100000000, located through kallsyms (kho_out at $KAS);"
check "kallsyms: quiet stderr" test ! -s "$T/err"
same_json "kallsyms capture = source" "$T/src.img" "$T/k.cap"
"$KI" dump --json "$T/k.cap" >"$T/k.json" 2>/dev/null
check "capture decodes with 0 errors" \
	test "$(json_get "$T/k.json" 'd["summary"]["errors"]')" = 0
# The whole 345-byte root FDT is decoded, not the 233-byte prefix.
check "capture holds the whole root FDT" \
	test "$(json_get "$T/k.json" 'd["objects"][0]["fields"]["totalsize"]')" = "$fdtsize"
"$KI" capture --json --debugfs "$T/dbg" --kcore "$T/kcore" \
	--kallsyms "$T/kallsyms" -o "$T/k2.cap" >"$T/k.cj" 2>/dev/null
check "json: located_by kallsyms" \
	test "$(json_get "$T/k.cj" 'd["located_by"] + " " + d["symbol"] + " " + hex(d["symbol_address"]) + " " + hex(d["root_fdt"])')" = \
	"kallsyms kho_out $KAS 0x100000000"
check "json: compared the 233 debugfs bytes" \
	test "$(json_get "$T/k.cj" 'd["compared_bytes"]')" = 233
rd=$(json_get "$T/k.cj" 'd["source_bytes_read"]')
check "kallsyms: read $rd bytes of $ram (< 1/256)" \
	test "$rd" -gt 0 -a "$rd" -lt $((ram / 256))
expect_exit "kallsyms capture in 256 MiB" 0 limited "$KI" capture \
	--debugfs "$T/dbg" --kcore "$T/kcore" --kallsyms "$T/kallsyms" \
	--with-data -o "$T/k3.cap"

# ---- the candidate must start with the debugfs bytes ----
mkdir -p "$T/bad"
cp -r "$T/dbg/out" "$T/bad/out"
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[100]^=0xff; open(p,"wb").write(b)' "$T/bad/out/fdt"
expect_exit "wrong prefix: rejected" 2 "$KI" capture --debugfs "$T/bad" \
	--kcore "$T/kcore.small" --kallsyms "$T/kallsyms.small" -o "$T/bad.cap"
contains "wrong prefix: exact message" "$T/err" \
	"kho-inspect: capture: kallsyms: kho_out.fdt points at 0x100000000, but its first 233 bytes differ from $T/bad/out/fdt at byte 100; candidate rejected"
contains "wrong prefix: scan finds nothing" "$T/err" \
	"kho-inspect: capture: scan: no page of $T/kcore.small starts with the 233 bytes of $T/bad/out/fdt"
check "wrong prefix: no output" test ! -e "$T/bad.cap"

# ---- no symbol: the streamed scan, in bounded memory ----
expect_exit "scan fallback in 256 MiB" 0 limited "$KI" capture \
	--debugfs "$T/dbg" --kcore "$T/kcore.nosym" \
	--kallsyms "$T/kallsyms.nosym" --radix-depth plus1 \
	--v1-bitmap-bytes 4096 -o "$T/s.cap"
contains "scan: says so" "$T/out" "root FDT at 0x100000000, located through scan;"
contains "scan: why kallsyms was not used" "$T/err" \
	"kho-inspect: capture: kallsyms: $T/kallsyms.nosym lists no kho_out (the kernel needs CONFIG_KALLSYMS_ALL)"
same_json "scan capture = source" "$T/src.img" "$T/s.cap"

# ---- hidden addresses (not root): said; the preserved blocks find it ----
expect_exit "hidden kallsyms" 0 "$KI" capture --debugfs "$T/full" \
	--kcore "$T/kcore.hidden" --kallsyms "$T/kallsyms.hidden" \
	-o "$T/h.cap"
contains "hidden: said" "$T/err" \
	"kallsyms: $T/kallsyms.hidden lists kho_out at address 0 (addresses are hidden: run as root)"
contains "hidden: blocks" "$T/out" "located through blocks;"
# Without --kallsyms, a core other than /proc/kcore gets no symbol table.
expect_exit "no default kallsyms for a file" 0 "$KI" capture \
	--debugfs "$T/full" --kcore "$T/kcore" -o "$T/n.cap"
contains "no default kallsyms: blocks" "$T/out" "located through blocks;"

# ---- --direction in: kho_in holds the physical address ----
mkdir -p "$T/in.dbg"
"$MK" "$SAMPLE" -s direction=in -f debugfs -o "$T/in.dbg/in" 2>/dev/null &&
"$MK" "$SAMPLE" -s direction=in -s vmcoreinfo=yes -f kcore \
	-o "$T/in.src" 2>/dev/null &&
"$MK" "$SAMPLE" -s direction=in -o "$T/in.img" 2>/dev/null &&
$FAKE "$T/in.src" "$T/in.kcore" "$T/in.kallsyms" --direction in \
	--low-end $LOW >/dev/null || fail "fixtures in"
expect_exit "--direction in via kho_in" 0 limited "$KI" capture \
	--debugfs "$T/in.dbg" --direction in --kcore "$T/in.kcore" \
	--kallsyms "$T/in.kallsyms" --radix-depth plus1 --v1-bitmap-bytes 4096 \
	-o "$T/in.cap"
contains "in: kho_in" "$T/out" "located through kallsyms (kho_in at 0xffffffff82b5c2a0)"
same_json "in capture = source" "$T/in.img" "$T/in.cap"
# kho_in.fdt_phys 0: not booted through KHO.
$FAKE "$T/in.src" "$T/in0.kcore" "$T/in0.kallsyms" --direction in \
	--low-end 0x200000 --fdt-ptr 0 >/dev/null
expect_exit "kho_in 0: scan" 0 "$KI" capture --debugfs "$T/in.dbg" \
	--direction in --kcore "$T/in0.kcore" --kallsyms "$T/in0.kallsyms" \
	-o "$T/in0.cap"
contains "kho_in 0: said" "$T/err" \
	"kallsyms: kho_in.fdt_phys is 0 (this kernel was not booted through KHO)"
# kho_out.fdt pointing outside every RAM segment.
$FAKE "$T/src.kcore" "$T/out9.kcore" "$T/out9.kallsyms" --low-end 0x200000 \
	--fdt-ptr 0xffffc90000001000 >/dev/null
expect_exit "kho_out.fdt in vmalloc" 0 "$KI" capture --debugfs "$T/full" \
	--kcore "$T/out9.kcore" --kallsyms "$T/out9.kallsyms" -o "$T/o9.cap"
contains "kho_out.fdt in vmalloc: said" "$T/err" \
	"kallsyms: kho_out.fdt = 0xffffc90000001000 is in no segment of $T/out9.kcore with a physical address"

# ---- preflight --live uses the same locating code ----
expect_exit "preflight --live via kallsyms" 0 limited "$KI" preflight \
	--live --debugfs "$T/dbg" --kcore "$T/kcore" --kallsyms "$T/kallsyms" \
	--target "$T/src.img"
contains "preflight: GO" "$T/out" "GO: "
"$KI" preflight --json --live --debugfs "$T/dbg" --kcore "$T/kcore" \
	--kallsyms "$T/kallsyms" --target "$T/src.img" >"$T/pf.json" 2>/dev/null
check "preflight: source says kallsyms" \
	test "$(json_get "$T/pf.json" 'd["source"]')" = \
	"$T/kcore, root FDT at 0x100000000 located through kallsyms"
check "preflight: no structural error" \
	test "$(json_get "$T/pf.json" 'd["structural_errors"]')" = 0
expect_exit "preflight --live scan in 256 MiB" 0 limited "$KI" preflight \
	--live --debugfs "$T/dbg" --kcore "$T/kcore.nosym" \
	--kallsyms "$T/kallsyms.nosym" --target "$T/src.img"
# (the verdict on a corrupt prefix is the root decoder's business)
"$KI" preflight --live --debugfs "$T/bad" --kcore "$T/kcore.small" \
	--kallsyms "$T/kallsyms.small" --target "$T/src.img" --json >"$T/out" 2>&1
check "preflight wrong prefix: notes" \
	test "$(json_get "$T/out" 'd["notes"][1]')" = \
	"kallsyms: kho_out.fdt points at 0x100000000, but its first 233 bytes differ from $T/bad/out/fdt at byte 100; candidate rejected"

finish
