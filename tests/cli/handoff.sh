#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The boot hand-off (kho-abi.md 1.4, spec 11.1): kcore-style ELF cores
# without KHO notes, built by kho-mkimage with handoff = x86 | dt, in which
# kho-inspect finds the root FDT and the scratch array the way the next
# kernel does, with no --fdt-phys and no --scan.  Expected addresses come
# from the scenarios and kho-mkimage's layout, the expected check ids from
# the corruption each scenario makes.
# Prints "N passed, M failed" and exits non-zero on any failure.

set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

# Scratch areas 4 MiB aligned (x86 PAGE_SIZE << MAX_PAGE_ORDER), one below
# 4 GiB; the root FDT and all metadata sit at ram_base 4 GiB, outside them.
good='handoff = x86
scratch = 0x40000000 0x4000000
scratch = 0x200000000 0x10000000
[kexec-metadata]'

# core NAME SCENARIO: a kcore-style ELF ($T/NAME.img) and its layout.
# Most of these images span 4.5 GB or more of file holes that every
# x86 kho-inspect run reads: a hole read for the first time is zero-filled
# into the page cache, seconds of system time a run on a busy machine,
# and images kept to the end crowd the cache.  So one file serves as every
# large core in turn: $T/recycle.py writes the new image's data (a few
# pages) into it over the previous image's, truncates or extends it to the
# new size, and renames it, its pages already cached, to the new image's
# name ("recycled").  Its bytes are the new image's; recycle.py compares
# every range it wrote.  An image under 1 GiB is used as built ("kept")
# and deleted at the next core.
cat >"$T/recycle.py" <<'EOF'
import os, sys

new, hot, extfile = sys.argv[1:4]


def extents(fd, size):
    """The data ranges of fd (SEEK_DATA/SEEK_HOLE; all of it without)."""
    out, off = [], 0
    try:
        while off < size:
            try:
                start = os.lseek(fd, off, os.SEEK_DATA)
            except OSError:  # ENXIO: no data after off
                break
            off = os.lseek(fd, start, os.SEEK_HOLE)
            out.append((start, off))
    except OSError:
        out = [(0, size)]
    return out


def pread_all(fd, n, off):
    buf = b""
    while len(buf) < n:
        chunk = os.pread(fd, n - len(buf), off + len(buf))
        if not chunk:
            break
        buf += chunk
    return buf


nfd = os.open(new, os.O_RDONLY)
size = os.fstat(nfd).st_size
if size < 1 << 30:  # small: the holes cost little, the hot file stays
    print("kept")
    sys.exit(0)
ext = extents(nfd, size)
if hot:
    prev = [tuple(map(int, ln.split())) for ln in open(extfile)]
    hfd = os.open(hot, os.O_RDWR)
    for s, e in prev:
        if s < size:
            os.pwrite(hfd, bytes(min(e, size) - s), s)
    os.ftruncate(hfd, size)
    for s, e in ext:
        os.pwrite(hfd, pread_all(nfd, e - s, s), s)
    for s, e in prev + ext:
        e = min(e, size)
        if s < e and pread_all(hfd, e - s, s) != pread_all(nfd, e - s, s):
            sys.exit("recycle: %s differs from %s at %#x" % (hot, new, s))
    os.close(hfd)
    os.replace(hot, new)
os.close(nfd)
with open(extfile, "w") as f:
    f.writelines("%d %d\n" % r for r in ext)
print("recycled" if hot else "first")
EOF
core() {
	mkimg "$1" "$2" --format kcore --layout="$T/$1.lay" || return 1
	[ -n "${_core_kept:-}" ] && rm -f "$T/$_core_kept.img"
	_core_kept=
	_r=$(python3 "$T/recycle.py" "$T/$1.img" \
		"${_core_hot:+$T/$_core_hot.img}" "$T/core.ext") || {
		fail "$1: cannot reuse the previous core's file"
		_core_hot=
		return 1
	}
	case $_r in
	kept) _core_kept=$1 ;;
	*) _core_hot=$1 ;;
	esac
}

# lay NAME OBJ: the physical address of a layout object.
lay() {
	awk -v o="$2" '$1 == "obj" && $2 == o { print $3 }' "$T/$1.lay"
}

# The JSON checks are queued in $T/hqueue, one a line, and run by
# hverify at the end in one python3:
#   ids FILE NAME WANT-IDS: the "severity:id" of every finding of the
#     check --json output FILE, sorted, are exactly WANT-IDS;
#   eval FILE NAME EXPR WANT: EXPR (python, on d, the dump --json output
#     FILE, and o, its boot-handoff object) prints WANT.
hq() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$T/hqueue"
}

# handoff FILE NAME EXPR WANT: queues the check that EXPR prints WANT.
handoff() {
	hq eval "$1" "$2" "$3" "$4"
}

hverify() {
	[ -f "$T/hqueue" ] || return 0
	python3 - "$T/hqueue" >"$T/hverdicts" <<'PY'
import json, sys


def walk(x):
    for c in x:
        yield c
        yield from walk(c.get("children", []))


for line in open(sys.argv[1]):
    kind, path, name, arg, want = line.rstrip("\n").split("\t")
    try:
        d = json.load(open(path))
    except Exception:
        d = None
    if kind == "ids":
        try:
            got = " ".join(sorted(f["severity"] + ":" + f["check"]
                                  for f in d["findings"]))
        except Exception:
            got = ""
        if got == arg:
            print("ok")
        else:
            print("FAIL: %s: findings are exactly [%s], got [%s]" % (name, arg, got))
        continue
    env = {"d": d}
    try:
        env["o"] = [c for c in walk(d["objects"]) if c["kind"] == "boot-handoff"][0]
    except Exception:
        pass
    try:
        got = str(eval(arg, env))
    except Exception:
        got = ""  # what the command substitution of a failed python3 gave
    print("ok" if got == want else "FAIL: %s" % name)
PY
	batch_verdicts "$T/hqueue" "$T/hverdicts"
}

# case NAME WANT-EXIT WANT-IDS SCENARIO [kho-inspect options]
case_() {
	n=$1 want=$2 wids=$3 scn=$4
	shift 4
	core "$n" "$scn" || return
	expect_exit_to "$T/$n.chk" "$n: check exits $want" "$want" \
		"$KI" check --json "$@" "$T/$n.img"
	hq ids "$T/$n.chk" "$n" "$wids" -
}

# 1. A good x86 hand-off: found by default, the root FDT it names decodes
# cleanly, the scratch array is the scenario's.
case_ x86-good 0 "" "$good"
D=$T/x86-good.dump
expect_exit_to "$D" "x86-good: dump exits 0" 0 "$KI" dump --json "$T/x86-good.img"
root=$(awk '$1 == "root_fdt" { print $2 }' "$T/x86-good.lay")
handoff "$D" "x86-good: fdt_addr is the layout's root FDT" \
	'o["fields"]["fdt_addr"]' "$root"
handoff "$D" "x86-good: boot_params is the layout's" \
	'o["fields"]["boot_params"]' "$(lay x86-good boot_params)"
handoff "$D" "x86-good: the root object sits at the hand-off's FDT" \
	'hex(d["objects"][0]["phys"]) if isinstance(d["objects"][0]["phys"], int) else d["objects"][0]["phys"]' "$root"
handoff "$D" "x86-good: scratch areas are the scenario's" \
	'[(a["fields"]["addr"], a["fields"]["size"]) for a in o["children"][0]["children"]]' "[('0x40000000', 67108864), ('0x200000000', 268435456)]"
handoff "$D" "x86-good: scratch_size is 16 per area" \
	'o["fields"]["scratch_size"]' 32

# The x86 image describes 4.5 GB of RAM in a sparse file.  The searches
# (boot_params, --scan's root FDT) skip the file's holes, which read as
# zeros and hold no signature: memory stays with the metadata (the whole
# file mapped and touched would be a peak RSS of about 4.4 GB).
if [ -x /usr/bin/time ]; then
	for opt in "" --scan; do
		# shellcheck disable=SC2086 # opt is empty or one word
		/usr/bin/time -f '%M' -o "$T/rss" "$KI" check $opt "$T/x86-good.img" >/dev/null 2>&1
		rss=$(tail -n 1 "$T/rss")
		check "x86-good check $opt: peak RSS ${rss} KiB under 64 MiB" [ "${rss:-999999}" -lt 65536 ]
	done
else
	skip "x86-good: no /usr/bin/time for the peak RSS of a sparse image"
fi

# --scan alongside: the hand-off is used, and the scan agrees.
case_ x86-scan 0 "" "$good" --scan
expect_exit_to "$T/x86-scan.dump" "x86-scan: dump exits 0" 0 \
	"$KI" dump --json --scan "$T/x86-scan.img"
handoff "$T/x86-scan.dump" "x86-scan: scan_agrees" 'o["fields"].get("scan_agrees")' True

# 2. A device-tree hand-off (arm64 /chosen), same memory.  An arm64
# core states no page size: the structures decide it, and a note says so.
case_ dt-good 0 "note:image.page-size-structure" "machine = aarch64
handoff = dt
scratch = 0x40000000 0x4000000
scratch = 0x200000000 0x10000000
[kexec-metadata]"
D=$T/dt-good.dump
expect_exit_to "$D" "dt-good: dump exits 0" 0 "$KI" dump --json "$T/dt-good.img"
handoff "$D" "dt-good: fdt_addr is the layout's root FDT" \
	'o["fields"]["fdt_addr"]' "$(awk '$1 == "root_fdt" { print $2 }' "$T/dt-good.lay")"
handoff "$D" "dt-good: the DTB is the layout's" \
	'o["fields"]["dtb"]' "$(lay dt-good handoff_dtb)"

# At machine_kexec the DTB is kexec's staged copy and the array, another
# kexec segment, still reads as zeros (seen on arm64 in make vmtest): a
# note about the moment of the dump, not a scratch defect.
case_ dt-staged 0 "note:image.page-size-structure note:scratch.staged" "machine = aarch64
handoff = dt
scratch = 0x40000000 0x4000000
scratch = 0x200000000 0x10000000
[kexec-metadata]
break scratch_array[0].addr = 0
break scratch_array[0].size = 0
break scratch_array[1].addr = 0
break scratch_array[1].size = 0"
contains "dt-staged: message" "$T/dt-staged.chk" \
	"the scratch array at $(lay dt-staged scratch_array) reads as zeros: at machine_kexec it is a kexec segment, copied to its destination only when the kexec runs"

# 3. The setup_data chain loops (the KHO node points back at the first):
# 7.2's parse_setup_data never ends.
case_ x86-cycle 1 "error:handoff.setup-data-cycle" "$good
break setup_data[1].next = cycle"
contains "x86-cycle: message" "$T/x86-cycle.chk" "loops back at the node $(lay x86-cycle 'setup_data[1]')"

# A loop before the KHO node: the node is never reached.
case_ x86-cycle-early 1 "error:handoff.no-kho-entry error:handoff.setup-data-cycle error:root.missing" "$good
break setup_data[0].next = cycle"
# Two type-10 nodes: each runs kho_populate, the last one (the real) wins.
case_ x86-duplicate 0 "warning:handoff.kho-duplicate" "$good
break setup_data[0].type = 10"
contains "x86-duplicate: the last node is used" "$T/x86-duplicate.chk" "the last, at $(lay x86-duplicate 'setup_data[1]'), wins"
# The chain leaves the dump before its KHO node: no hand-off is known.
core x86-chain-lost "$good
break setup_data[0].next = 0x1000" &&
	expect_exit "x86-chain-lost: check exits 2" 2 "$KI" check "$T/x86-chain-lost.img" &&
	contains "x86-chain-lost: message" "$T/err" "no boot hand-off in its memory"

# A chain longer than 64 nodes: the KHO node (second) is found, the walk
# stops.  The hand-off sits in the top 64 KiB of the last scratch area
# (kho-mkimage(1)): 0x20fff0000; 70 more 16-byte nodes follow at +0x1100.
P=$((0x20fff0000))
long="$good
break setup_data[1].next = $((P + 0x1100))"
i=0
while [ $i -lt 70 ]; do
	long="$long
poke $((P + 0x1100 + 16 * i)) 8 $((P + 0x1100 + 16 * (i + 1)))"
	i=$((i + 1))
done
case_ x86-long 0 "warning:handoff.setup-data-long" "$long"
check "x86-long: placed where the test assumes" [ "$(lay x86-long boot_params)" = 0x20fff0000 ]

# 4. kho_data.fdt_addr names memory the dump does not hold (unknown: exit
# 2), no memory at all, or a page that holds no FDT; with --scan the scan
# disagrees with the hand-off.
case_ x86-fdt-uncaptured 2 "unknown:image.fdt-not-captured unknown:root.missing" "$good
break kho_data.fdt_addr = 0x1000"
# An address no memory can have (above 2^52) is broken, not missing.
case_ x86-fdt-far 1 "error:image.fdt-not-captured error:root.missing" "$good
break kho_data.fdt_addr = 0xfffffffffffff000"
case_ x86-fdt-bad 1 "error:root.bad-magic" "$good
break kho_data.fdt_addr = @scratch_array"
case_ x86-fdt-bad-scan 1 "error:root.bad-magic warning:handoff.scan-mismatch" "$good
break kho_data.fdt_addr = @scratch_array" --scan

# 5. Scratch: misaligned, overlapping each other, overlapping a preserved
# block, no low-memory area, empty, and a short node length.
case_ scratch-unaligned 0 "warning:scratch.unaligned" "handoff = x86
scratch = 0x40100000 0x4000000
scratch = 0x200000000 0x10000000
[kexec-metadata]"
contains "scratch-unaligned: alignment named" "$T/scratch-unaligned.chk" "is not aligned to 0x400000"
case_ scratch-overlap 0 "warning:scratch.overlap" "handoff = x86
scratch = 0x40000000 0x4000000
scratch = 0x40000000 0x10000000
[kexec-metadata]"
case_ scratch-preserved 1 "error:memmap.block-in-scratch note:memmap.unattributed" "$good
preserve 0x40000000 0"
case_ scratch-no-lowmem 0 "warning:scratch.no-lowmem" "handoff = x86
scratch = 0x200000000 0x4000000
scratch = 0x300000000 0x10000000
[kexec-metadata]"
case_ scratch-few 0 "warning:scratch.few" "handoff = x86
scratch = 0x40000000 0x4000000
[kexec-metadata]"
case_ scratch-range 0 "warning:scratch.range" "$good
break scratch_array[1].size = 0xfffffffffffff000"
case_ scratch-empty 1 "error:scratch.empty" "$good
break kho_data.scratch_size = 8"
case_ scratch-partial 0 "warning:scratch.size-partial" "$good
break kho_data.scratch_size = 40"
# (the array, in the top of area 1, then lies in no area)
case_ scratch-zero 0 "note:scratch.array-outside note:scratch.zero-size" "$good
break scratch_array[1].size = 0"
case_ x86-len 0 "warning:handoff.kho-len" "$good
break setup_data[1].len = 48"
case_ x86-fdt-size 0 "warning:handoff.fdt-size" "$good
break kho_data.fdt_size = 0x2000"

# 6. /chosen linux,kho-fdt of the wrong width: the next kernel ignores the
# hand-off, so there is no root FDT.
case_ dt-prop-size 1 "error:handoff.dt-prop-size error:root.missing" "machine = aarch64
handoff = dt
scratch = 0x40000000 0x4000000
scratch = 0x200000000 0x10000000
[kexec-metadata]
break fdt:handoff_dtb:/chosen.linux,kho-fdt = u32:5"

# Hostile: 2 MiB in which every 16-byte base looks like a boot_params
# whose chain leaves the dump.  The probes are capped; no hand-off.
python3 - "$T/flood.img" <<'PY'
import struct, sys
unit = bytes([0xeb, 0x6a]) + b"HdrS" + bytes(8) + bytes([0x55, 0xaa])
data = unit * (2 << 20 >> 4)
eh = struct.pack("<4sBBBBB7xHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0,
                 4, 62, 1, 0, 64, 0, 0, 64, 56, 1, 0, 0, 0)
ph = struct.pack("<IIQQQQQQ", 1, 4, 4096, 0, 0x100000, len(data), len(data), 4096)
with open(sys.argv[1], "wb") as f:
    f.write(eh + ph + bytes(4096 - 64 - 56) + data)
PY
expect_exit "flood: check exits 2" 2 "$KI" check "$T/flood.img"
contains "flood: message" "$T/err" "no boot hand-off in its memory"

# 8. Two boot_params lead to one hand-off: the kexec destination page
# (page aligned, the lower) survived beside the booted kernel's own copy
# (not page aligned, the higher), as 7.2.13 left them in an incoming dump
# under make vmtest.  The kernel's own copy is the hand-off, so the dump
# is of the kernel that booted from it (direction in) and its memory map
# was consumed: read as the live map, reused pages would be corruption.
case_ x86-own 0 "note:handoff.multiple note:root.memmap-consumed" "handoff_copy = 0x20fff8720
$good"
D=$T/x86-own.dump
expect_exit_to "$D" "x86-own: dump exits 0" 0 "$KI" dump --json "$T/x86-own.img"
handoff "$D" "x86-own: the kernel's own boot_params is used" \
	'o["fields"]["boot_params"]' "$(lay x86-own boot_params_copy)"
handoff "$D" "x86-own: two candidates" 'o["fields"]["candidates"]' 2
handoff "$D" "x86-own: the dump is incoming" 'd["image"]["direction"]' in

# 7. No hand-off and no option: not a handover image.
core none "scratch = 0x40000000 0x4000000
[kexec-metadata]" &&
	expect_exit "none: check exits 2" 2 "$KI" check "$T/none.img" &&
	contains "none: message" "$T/err" "not a handover image: ELF core without KHO notes and no boot hand-off in its memory (use --fdt-phys ADDR, --vmlinux FILE or --scan)"

hverify
finish
