#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Dumps read through libkdumpfile (src/image/image_kdump.c): a kdump-compressed
# file written by tests/cli/mkdiskdump.py from a kho-mkimage ELF core must
# decode to the same objects and findings as the ELF core itself; pages
# the dump does not hold (makedumpfile -d style filtering, corrupt page
# data) read as not captured (unknown), never as errors; VMCOREINFO gives
# the page size and release.  Prints "N passed, M failed".
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
SCN=$top/tests/scenarios
MKDD="python3 $top/tests/cli/mkdiskdump.py"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

# strip FILE: the dump JSON without what only the input format decides:
# the image header (checked on its own below), the plugin search list, and
# formula_source (an ELF image states the radix formula in NT_KHO_INFO; a
# kdump dump has no KHO notes, so it comes from the root compatible).
strip() {
	python3 "$T/kstrip.py" "$1" /dev/stdout
}

# $T/kstrip.py IN OUT [IN OUT]... strips each IN (see strip) into
# OUT, in one python3 (an IN that does not load leaves OUT empty, and
# its error on stderr); then, given "--image K E LABEL KEY=WANT...", it
# prints one verdict line (batch_verdicts) per KEY: d['image'][KEY] of
# the dump K prints as WANT, or (WANT "=") as the dump E's does.  One
# python3 for each kdump file instead of a dozen.
cat >"$T/kstrip.py" <<'EOF'
import json, sys


def stripped(path):
    d = json.load(open(path))

    def walk(o):
        o.get("fields", {}).pop("formula_source", None)
        for c in o.get("children", []):
            walk(c)
    for o in d["objects"]:
        walk(o)
    return json.dumps({"root": d["root"], "objects": d["objects"],
                       "findings": d["findings"], "summary": d["summary"]},
                      sort_keys=True) + "\n"


def image(path, key):
    try:
        return str(json.load(open(path))["image"][key])
    except Exception:
        return ""  # what a failed json_get printed


args = sys.argv[1:]
checks = []
if "--image" in args:
    checks = args[args.index("--image") + 1:]
    args = args[:args.index("--image")]
for i, o in zip(args[::2], args[1::2]):
    with open(o, "w") as f:
        try:
            f.write(stripped(i))
        except Exception as e:
            sys.stderr.write("strip %s: %s\n" % (i, e))
if checks:
    k, e, label = checks[:3]
    for kw in checks[3:]:
        key, want = kw.split("=", 1)
        g = image(k, key)
        w = image(e, key) if want == "=" else want
        print("ok" if g == w else
              "FAIL: %s: image.%s '%s', want '%s'" % (label, key, g, w))
EOF

# ------------------------------------------- same objects as the ELF core
for scn in memfd/memfd-v2 luo/luo-v5 mk/mk-luo; do
	n=${scn#*/}
	if ! "$MK" "$SCN/$scn.scn" -s vmcoreinfo=yes -o "$T/$n.elf" \
		2>"$T/$n.mkerr"; then
		fail "mkimage $n"
		continue
	fi
	"$KI" dump --json "$T/$n.elf" >"$T/$n.elf.json" 2>/dev/null
	strip "$T/$n.elf.json" >"$T/$n.elf.s"
	fdt=$(json_get "$T/$n.elf.json" 'd["objects"][0]["phys"]')
	[ "$n" = memfd-v2 ] && memfd_fdt=$fdt
	for comp in zlib none; do
		k=$T/$n-$comp.kdump
		if ! $MKDD "$T/$n.elf" "$k" --compress $comp; then
			fail "$n $comp: mkdiskdump"
			continue
		fi
		"$KI" dump --json --scan "$k" >"$k.json" 2>"$T/err"
		"$KI" dump --json --fdt-phys "$fdt" "$k" >"$k.f.json" 2>/dev/null
		# The image header: format kdump; no KHO notes, so no
		# direction; page size, machine, release as the ELF says.
		python3 "$T/kstrip.py" "$k.json" "$k.s" "$k.f.json" "$k.f.s" \
			--image "$k.json" "$T/$n.elf.json" "$n $comp" \
			format=kdump direction=None page_size== machine== \
			byte_order== release== >"$T/iv"
		if cmp -s "$T/$n.elf.s" "$k.s"; then ok; else
			fail "$n $comp: --scan objects differ from the ELF core's"
			diff "$T/$n.elf.s" "$k.s" | head -c 600
		fi
		check "$n $comp: --fdt-phys $fdt objects == ELF's" \
			cmp -s "$T/$n.elf.s" "$k.f.s"
		printf '%s\n' 1 2 3 4 5 6 >"$T/iq" # six image checks
		batch_verdicts "$T/iq" "$T/iv"
	done
done

# -------------------------------------------------- flattened (makedumpfile -F)
$MKDD "$T/memfd-v2.elf" "$T/flat.kdump" --flatten yes || fail "mkdiskdump flat"
"$KI" dump --json --scan "$T/flat.kdump" >"$T/flat.json" 2>/dev/null
strip "$T/flat.json" >"$T/flat.s"
check "flattened: same objects as the ELF" cmp -s "$T/memfd-v2.elf.s" "$T/flat.s"
$MKDD "$T/memfd-v2.elf" "$T/flat-noend.kdump" --flatten no-end ||
	fail "mkdiskdump flat no-end"
expect_exit "flattened without end mark: warning, decoded" 0 \
	"$KI" check --scan "$T/flat-noend.kdump"
contains "flattened without end mark: message" "$T/out" \
	"[warning] image.flat-truncated /: the flattened kdump file ends after 6 records without its end mark; what they hold is used"
$MKDD "$T/memfd-v2.elf" "$T/flat-bad.kdump" --flatten bad-offset ||
	fail "mkdiskdump flat bad"
expect_exit "flattened with a negative offset" 2 \
	"$KI" check --scan "$T/flat-bad.kdump"
contains "flattened with a negative offset: message" "$T/err" \
	"kho-inspect: check: $T/flat-bad.kdump: not a handover image: flattened kdump record at file offset 4096: offset -4096 size"
printf 'makedumpfile\0\0\0\0\0\0\0\0\0\0\0\2' >"$T/flat-type.kdump"
head -c 8192 /dev/zero >>"$T/flat-type.kdump"
expect_exit "flattened with an unknown type" 2 "$KI" check "$T/flat-type.kdump"
contains "flattened with an unknown type: message" "$T/err" \
	"kho-inspect: check: $T/flat-type.kdump: not a handover image: flattened kdump file with an unknown header type or version"

# ---------------------------------------------------------- VMCOREINFO
# PAGESIZE comes from VMCOREINFO even when the dump's blocks are 4 KiB.
"$MK" "$SCN/memfd/memfd-v2.scn" -s vmcoreinfo=yes -s page_size=16384 \
	-o "$T/ps16.elf" 2>/dev/null || fail "mkimage ps16"
$MKDD "$T/ps16.elf" "$T/ps16.kdump" || fail "mkdiskdump ps16"
"$KI" dump --json --scan "$T/ps16.kdump" >"$T/ps16.json" 2>/dev/null
check "VMCOREINFO PAGESIZE=16384 is the page size" \
	[ "$(json_get "$T/ps16.json" 'd["image"]["page_size"]')" = 16384 ]
# Without VMCOREINFO: the dump header's page size, no release.
$MKDD "$T/memfd-v2.elf" "$T/novmci.kdump" --no-vmcoreinfo ||
	fail "mkdiskdump novmci"
"$KI" dump --json --scan "$T/novmci.kdump" >"$T/novmci.json" 2>/dev/null
check "no VMCOREINFO: page size from the dump header" \
	[ "$(json_get "$T/novmci.json" 'd["image"]["page_size"]')" = 4096 ]
check "no VMCOREINFO: release null" \
	[ "$(json_get "$T/novmci.json" 'd["image"]["release"]')" = None ]
strip "$T/novmci.json" >"$T/novmci.s"
check "no VMCOREINFO: same objects" cmp -s "$T/memfd-v2.elf.s" "$T/novmci.s"

# ------------------------------------------------ pages not in the dump
# memfd-v2.scn: the second file's memfd_luo_ser is the page at the "data"
# address of /LUO/sessions/m2/6 in the ELF dump.
ser=$(python3 - "$T/memfd-v2.elf.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
def walk(o):
    if o["path"] == "/LUO/sessions/m2/6":
        print(o["fields"]["data"])
    for c in o["children"]:
        walk(c)
for o in d["objects"]:
    walk(o)
EOF
)
end=$(printf '0x%x' $((ser + 4096)))
for how in exclude garble; do
	k=$T/$how.kdump
	$MKDD "$T/memfd-v2.elf" "$k" --$how "$ser-$end" || fail "mkdiskdump $how"
	expect_exit "$how: not captured is unknown (exit 2)" 2 \
		"$KI" check --scan "$k"
	contains "$how: memfd.not-captured" "$T/out" \
		"[unknown] memfd.not-captured /LUO/sessions/m2/6/memfd @$ser: memfd_luo_ser at $ser (48 bytes) is not captured"
	contains "$how: no error" "$T/out" "summary: 0 errors, 1 unknown"
	lacks "$how: never out of range" "$T/out" "out of range"
done
# The root FDT page filtered out: --scan finds nothing, --fdt-phys says
# the FDT is not captured.
fdt=${memfd_fdt:-}
fend=$(printf '0x%x' $((fdt + 4096)))
$MKDD "$T/memfd-v2.elf" "$T/nofdt.kdump" --exclude "$fdt-$fend" ||
	fail "mkdiskdump nofdt"
expect_exit "root FDT filtered, --scan" 2 "$KI" check --scan "$T/nofdt.kdump"
contains "root FDT filtered, --scan message" "$T/err" \
	"kho-inspect: check: $T/nofdt.kdump: not a handover image: --scan found no page holding a KHO root FDT"
expect_exit "root FDT filtered, --fdt-phys" 2 \
	"$KI" check --fdt-phys "$fdt" "$T/nofdt.kdump"
contains "root FDT filtered, --fdt-phys finding" "$T/out" \
	"root FDT at $fdt (0x1000 bytes) is not captured in the image and there is no NT_KHO_FDT copy"

# ------------------------------------------------------------ --vmlinux
# x86-64: kho_out at link address SYM lives at physical SYM - 0xffffffff80000000
# (no KASLR, phys_base 0); its first word is the direct-map address
# (0xffff888000000000 + phys) of the root FDT.  mkdiskdump --poke puts that
# word in the dump; a System.map line or an ELF symbol names kho_out.
# Shell arithmetic is signed 64-bit: kernel addresses are summed in python.
le64() { python3 -c 'import sys,struct; print(struct.pack("<Q", eval(sys.argv[1]) % 2**64).hex())' "$1"; }
hexsum() { python3 -c 'import sys; print(hex(eval(sys.argv[1]) % 2**64))' "$1"; }
sym=0xffffffff81a00040
symphys=$(hexsum "$sym - 0xffffffff80000000")
$MKDD "$T/memfd-v2.elf" "$T/vml.kdump" \
	--poke "$symphys=$(le64 "0xffff888000000000 + $fdt")" || fail "mkdiskdump vml"
printf 'ffffffff81000000 T _text\n%s d kho_out\nffffffff81b00000 b other\n' \
	"${sym#0x}" >"$T/System.map"
"$KI" dump --json --vmlinux "$T/System.map" "$T/vml.kdump" >"$T/vml.json" 2>"$T/err"
strip "$T/vml.json" >"$T/vml.s"
check "--vmlinux System.map: same objects as the ELF, no scan" \
	cmp -s "$T/memfd-v2.elf.s" "$T/vml.s"
cc -c -x c /dev/null -o "$T/empty.o" 2>/dev/null &&
	ld -o "$T/vmlinux" "--defsym=kho_out=$sym" "$T/empty.o" 2>/dev/null
if [ -f "$T/vmlinux" ]; then
	"$KI" dump --json --vmlinux "$T/vmlinux" "$T/vml.kdump" >"$T/vml2.json" 2>/dev/null
	strip "$T/vml2.json" >"$T/vml2.s"
	check "--vmlinux ELF symbol table: same objects as the ELF" \
		cmp -s "$T/memfd-v2.elf.s" "$T/vml2.s"
else
	skip "--vmlinux ELF symbol table: cc/ld could not build a test vmlinux"
fi
# KERNELOFFSET and NUMBER(phys_base) from VMCOREINFO move kho_out.
printf 'OSRELEASE=6.19.0-kho\nPAGESIZE=4096\nKERNELOFFSET=200000\nNUMBER(phys_base)=1048576\n' >"$T/vmci-kaslr"
kphys=$(hexsum "$sym + 0x200000 - 0xffffffff80000000 + 0x100000")
$MKDD "$T/memfd-v2.elf" "$T/kaslr.kdump" --vmcoreinfo "$T/vmci-kaslr" \
	--poke "$kphys=$(le64 "0xffff888000000000 + $fdt")" || fail "mkdiskdump kaslr"
"$KI" dump --json --vmlinux "$T/System.map" "$T/kaslr.kdump" >"$T/kaslr.json" 2>"$T/err"
strip "$T/kaslr.json" >"$T/kaslr.s"
check "--vmlinux with KERNELOFFSET and phys_base: same objects" \
	cmp -s "$T/memfd-v2.elf.s" "$T/kaslr.s"
# Bad inputs, each with its message.
vml_err() { # vml_err NAME DUMP MAP MESSAGE
	expect_exit "--vmlinux $1" 2 "$KI" check --vmlinux "$3" "$2"
	contains "--vmlinux $1 message" "$T/err" "kho-inspect: check: $2: $4"
}
printf 'ffffffff81000000 T _text\n' >"$T/nosym.map"
vml_err "no kho_out" "$T/vml.kdump" "$T/nosym.map" \
	"--vmlinux: $T/nosym.map has no symbol kho_out (not a vmlinux or System.map of a KHO kernel)"
vml_err "missing file" "$T/vml.kdump" "$T/nonexistent.map" \
	"--vmlinux: cannot read $T/nonexistent.map"
printf '%s d kho_out\nffffffff81a00080 d kho_out\n' "${sym#0x}" >"$T/twice.map"
vml_err "two addresses" "$T/vml.kdump" "$T/twice.map" \
	"--vmlinux: $T/twice.map names kho_out at two addresses"
vml_err "not captured" "$T/memfd-v2-zlib.kdump" "$T/System.map" \
	"--vmlinux: kho_out at $sym (physical $symphys) is not captured in the dump"
$MKDD "$T/memfd-v2.elf" "$T/null.kdump" --poke "$symphys=0000000000000000" ||
	fail "mkdiskdump null"
vml_err "NULL fdt" "$T/null.kdump" "$T/System.map" \
	"--vmlinux: kho_out.fdt is NULL (KHO is not enabled in this kernel)"
$MKDD "$T/memfd-v2.elf" "$T/low.kdump" --poke "$symphys=$(le64 "$fdt")" ||
	fail "mkdiskdump low"
vml_err "not direct map" "$T/low.kdump" "$T/System.map" \
	"--vmlinux: kho_out.fdt = $fdt is not a direct-map address (base 0xffff888000000000)"
printf '1000 d kho_out\n' >"$T/low.map"
vml_err "not a kernel address" "$T/vml.kdump" "$T/low.map" \
	"--vmlinux: kho_out at 0x1000 is not a kernel-image address"
$MKDD "$T/memfd-v2.elf" "$T/arm.kdump" --machine aarch64 || fail "mkdiskdump arm"
vml_err "not x86-64" "$T/arm.kdump" "$T/System.map" \
	"--vmlinux: only x86-64 dumps can be read this way (machine 183); use --scan or --fdt-phys"
# A dump that does not name its machine: the vmlinux's is used; a
# System.map names none.
$MKDD "$T/memfd-v2.elf" "$T/nomach.kdump" --machine "" --no-vmcoreinfo \
	--poke "$symphys=$(le64 "0xffff888000000000 + $fdt")" || fail "mkdiskdump nomach"
vml_err "machine unknown, System.map" "$T/nomach.kdump" "$T/System.map" \
	"--vmlinux: only x86-64 dumps can be read this way (machine 0); use --scan or --fdt-phys"
if [ -f "$T/vmlinux" ]; then
	"$KI" dump --json --vmlinux "$T/vmlinux" "$T/nomach.kdump" >"$T/nomach.json" 2>/dev/null
	strip "$T/nomach.json" >"$T/nomach.s"
	check "machine unknown, x86-64 vmlinux: same objects" \
		cmp -s "$T/memfd-v2.elf.s" "$T/nomach.s"
else
	skip "machine unknown, x86-64 vmlinux: no test vmlinux"
fi

# ------------------------------------------------------------ bad input
expect_exit "kdump without --scan" 2 "$KI" check "$T/memfd-v2-zlib.kdump"
contains "kdump without --scan message" "$T/err" \
	"kho-inspect: check: $T/memfd-v2-zlib.kdump: not a handover image: diskdump dump without KHO notes (use --fdt-phys ADDR, --vmlinux FILE or --scan)"
printf 'ab' >"$T/short"
expect_exit "two-byte file" 2 "$KI" check "$T/short"
contains "two-byte file message" "$T/err" \
	"kho-inspect: check: $T/short: not a handover image: unrecognised format (expected an ELF core, an FDT blob, a dump libkdumpfile reads or a debugfs directory)"
head -c 65536 /dev/zero | tr '\0' 'x' >"$T/junk"
expect_exit "junk file" 2 "$KI" check "$T/junk"
contains "junk file message" "$T/err" \
	"kho-inspect: check: $T/junk: not a handover image: unrecognised format (expected an ELF core, an FDT blob, a dump libkdumpfile reads or a debugfs directory)"
# A truncated dump: the header is there, the pages are not.
head -c 6000 "$T/memfd-v2-zlib.kdump" >"$T/trunc.kdump"
expect_exit "truncated dump" 2 "$KI" check --scan "$T/trunc.kdump"
contains "truncated dump message" "$T/err" \
	"kho-inspect: check: $T/trunc.kdump: not a handover image: "

finish
