#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile input: truncated files, lying ELF headers and notes, oversized
# FDTs, pointers at the 2^64 limit and their wrap-around, self-references at
# every kind of link, resource limits, and big garbage.  Every case asserts
# the exact exit status and the check id (or message), and that the tool
# neither crashed (exit >= 128, a sanitizer report) nor hung (timeout 20).
. "$(dirname "$0")/../lib.sh"

TO=20

# run NAME CMD...: runs CMD under timeout into $T/NAME.out/.err; $rc is set.
run() {
	n=$1
	shift
	timeout $TO "$@" >"$T/$n.out" 2>"$T/$n.err"
	rc=$?
}

# sane NAME [FILE]: no crash, no hang, no sanitizer report in the last
# run (FILE names its output when it differs from NAME).
sane() {
	f=${2:-$1}
	if [ "$rc" -eq 124 ]; then
		fail "$1: timed out after ${TO}s"
	elif [ "$rc" -ge 128 ]; then
		fail "$1: crashed (exit $rc)"
		sed 's/^/    | /' "$T/$f.err" | head -n 8
	elif grep -qE 'Sanitizer|runtime error:' "$T/$f.err"; then
		fail "$1: sanitizer report"
		sed 's/^/    | /' "$T/$f.err" | head -n 8
	else
		ok
	fi
}

# hcase NAME WANT-EXIT STRING SCENARIO-TEXT [mkimage args...]: builds the
# image, runs `check`, asserts exit, STRING in stdout+stderr, sanity.
hcase() {
	hn=$1
	want=$2
	str=$3
	scn=$4
	shift 4
	mkimg "$hn" "$scn" "$@" || return
	run "$hn" "$KI" check "$T/$hn.img"
	sane "$hn"
	if [ "$rc" -eq "$want" ]; then ok; else
		fail "$hn: exit $rc, want $want"
		sed 's/^/    | /' "$T/$hn.out" "$T/$hn.err" | head -n 6
	fi
	cat "$T/$hn.out" "$T/$hn.err" >"$T/$hn.all"
	contains "$hn" "$T/$hn.all" "$str"
	# The JSON renderer must survive the same input.
	run "$hn.json" "$KI" dump --json "$T/$hn.img"
	sane "$hn.json"
}

G4='generation = g4
[memblock]
region = trace 0x200000000 0x400000
[kexec-metadata]
[kho_test]
nr_folios = 2
[luo]
flb = pci-v2 pci:2 1
[session vm0]
[file]
compatible = memfd-v2
folios = 3 x order0
[session vm1]
[file]
compatible = memfd-v1
folios = 2 x order0'

G1='generation = g1c
[memblock]
region = trace 0x200000000 0x400000
[luo]
[session vm0]
[file]
compatible = memfd-v1
folios = 3 x order0'

# ------------------------------------------------ truncation at every offset
mkimg base "$G4" || exit 1
offsets=$(python3 - "$T/base.img" <<'EOF'
import struct, sys
d = open(sys.argv[1], 'rb').read()
phoff, = struct.unpack_from('<Q', d, 32)
phent, phnum = struct.unpack_from('<HH', d, 54)
offs = {0, 1, 4, 16, 52, 63, 64, phoff + 1, phoff + phent - 1}
for i in range(phnum):
    t, fl, off, va, pa, fs, ms, al = struct.unpack_from('<IIQQQQQQ', d, phoff + i * phent)
    offs |= {phoff + i * phent, phoff + i * phent + 8, phoff + (i + 1) * phent - 1}
    if t == 4:  # PT_NOTE: header, name, descriptor, end
        offs |= {off, off + 4, off + 12, off + 16, off + fs // 2, off + fs - 1}
    if t == 1:  # PT_LOAD: start, start+1, first page, middle, end-1
        offs |= {off, off + 1, off + 4096, off + fs // 2, off + fs - 1}
print(' '.join(str(o) for o in sorted(offs) if o < len(d)))
EOF
)
ntrunc=0
for off in $offsets; do
	head -c "$off" "$T/base.img" >"$T/trunc.img"
	run "trunc" "$KI" check "$T/trunc.img"
	sane "trunc@$off" trunc
	ntrunc=$((ntrunc + 1))
	trunc_finding() {
		grep -qE 'image\.(segment-truncated|note-truncated|fdt-not-captured)' \
			"$T/trunc.out"
	}
	case $rc in
	2)	# unreadable: a one-line reason on stderr; or decoded with the
		# truncation as an unknown finding (the answer cannot be given)
		if grep -qE '^kho-inspect: check: .*: (not a handover image|cannot)' \
			"$T/trunc.err"; then ok
		elif trunc_finding && grep -q '\[unknown\]' "$T/trunc.out"; then ok
		else fail "trunc@$off: exit 2 without a reason or an unknown truncation"
		fi ;;
	1)	# readable: the truncation is an error finding, and what the file
		# still holds is decoded
		trunc_finding && ok ||
			fail "trunc@$off: exit 1 without a truncation finding" ;;
	*)	fail "trunc@$off: exit $rc, want 1 or 2" ;;
	esac
done
check "truncation offsets tested (>= 20)" [ "$ntrunc" -ge 20 ]
# Exact messages at the interesting places.
head -c 63 "$T/base.img" >"$T/t63.img"
run t63 "$KI" check "$T/t63.img"
contains "cut ELF header" "$T/t63.err" "truncated ELF header"
head -c 100 "$T/base.img" >"$T/t100.img"
run t100 "$KI" check "$T/t100.img"
contains "cut program headers" "$T/t100.err" "program header table"
contains "cut program headers" "$T/t100.err" "does not fit in the file"

# ------------------------------------------------------------ ELF structure
hcase overlap 1 "[error] image.segment-overlap" "$G4
break elf.overlap = yes"
hcase past-eof 2 "[unknown] image.segment-truncated" "$G4
break elf.load_past_eof = yes"
hcase load-max 1 "[error] image.segment-out-of-range" "$G4
break elf.load[0].paddr = 0xfffffffffffff000"
hcase load-wrap 1 "[error] image.segment-out-of-range" "$G4
break elf.load[0].memsz = 0xffffffffffffffff"
hcase load-offset-max 2 "[unknown] image.segment-truncated" "$G4
break elf.load[0].offset = 0xfffffffffffff000"
hcase phnum-max 2 "program header table" "$G4
break elf.phnum = 0xfffe"
for v in 0x10000 0xffffffff 0xfffffffd; do
	hcase "descsz-$v" 2 "image.note-truncated" "$G4
break elf.note.descsz = $v"
done
hcase namesz-max 2 "image.note-truncated" "$G4
break elf.note.namesz = 0xfffffff0"
# With --scan the image opens anyway and the lie is a finding.
mkimg descsz-scan "$G4
break elf.note.descsz = 0x10000" || true
run descsz-scan "$KI" check --scan "$T/descsz-scan.img"
sane descsz-scan
contains "note lie under --scan" "$T/descsz-scan.out" "[error] image.note-truncated"

# ------------------------------------------------------------ root FDT size
hcase totalsize-2page 1 "[error] root.too-large" "$G4
break root.totalsize = 0x2000"
hcase totalsize-max 1 "[error] root.too-large" "$G4
break root.totalsize = 0xffffffff"
mkimg fdt-big "$G4
break root.totalsize = 0x2000" --format fdt || true
run fdt-big "$KI" check "$T/fdt-big.img"
sane fdt-big
# A bare FDT is read whole, so an 8 KiB totalsize is judged against the
# one page the next kernel reads, not against the file.
check "bare FDT totalsize past the page: exit 1" [ "$rc" -eq 1 ]
contains "bare FDT totalsize" "$T/fdt-big.out" \
	"[error] root.too-large /: root FDT totalsize 8192 exceeds the page size 4096"

# ----------------------------------------------- pointers at 2^64 and wraps
hcase pd-max 1 "[error] memblock.not-captured" "$G4
break node:memblock.preserved-data = 0xfffffffffffff000"
# kho_retrieve_subtree() hands out any address: unaligned is a note; the
# unreadable pointer is what fails.
hcase pd-wrap 1 "[note] root.subnode-unaligned" "$G4
break node:memblock.preserved-data = 0xffffffffffffffff"
# The readers only compare blob-size with a minimum: a note, exit 0.
hcase blob-size-max 0 "[note] root.blob-size-range" "$G4
break node:memblock.blob-size = 0xffffffffffffffff"
hcase blob-size-wrap 0 "[note] root.blob-size-range / @0x100003000" "$G4
break node:LUO.blob-size = 0xfffffffefffff000"
hcase sessions-max 1 "[error] block.not-captured" "$G4
break luo_ser.sessions_pa = 0xfffffffffffff000"
hcase flbs-max 1 "[error] luo.bad-pointer /LUO/flbs @0xfffffffffffff000" "$G4
break luo_ser.flbs_pa = 0xfffffffffffff000"
hcase memfd-data-max 1 "[error] memfd.bad-pointer" "$G4
break session[0].file[0].data = 0xfffffffffffff000"
hcase vmalloc-first-max 1 "[error] vmalloc.not-captured" "$G4
break session[0].file[0].memfd.folios.first = 0xfffffffffffff000"
hcase vmalloc-next-max 1 "[error] vmalloc.not-captured /LUO/sessions/vm0/1/memfd/folios @0xfffffffffffff000" "$G4
break session[0].file[0].memfd.folios.chunk[0].next = 0xfffffffffffff000"
# No rule bounds a memfd size: the kernel takes it as the inode size.
hcase memfd-size-max 0 "summary: 0 errors, 0 unknown, 0 warnings, 1 note;" "$G4
break session[0].file[0].memfd.size = 0xffffffffffffffff"
hcase memfd-pages-max 1 "[error] memfd.total-pages /LUO/sessions/vm0/1/memfd" "$G4
break session[0].file[0].memfd.folios.total_pages = 0xffffffff"
hcase radix-max 1 "[error] radix.node-out-of-range" "$G4
break radix.root[2] = 0xfffffffffffff000"
hcase radix-map-max 1 "[error] radix.node-out-of-range" "$G4
break root.preserved-memory-map = 0xfffffffffffff000"
hcase block-next-max 1 "[error] block.not-captured" "$G4
break luo.sessions.block[0].next = 0xfffffffffffff000"
hcase block-count-max 1 "[error] block.count-over /LUO/session-blocks @0x10000c000" "$G4
break luo.sessions.block[0].count = 0xffffffffffffffff"
hcase region-wrap 1 "[error] memblock.range-wraps" "$G4
break memblock.region[0].start = 0xfffffffffffff000"
hcase v1-next-max 1 "[error] v1.chunk-out-of-range" "$G1
break map.chunk[0].next = 0xfffffffffffff000"
hcase v1-entry-max 1 "[error] v1.phys-start" "$G1
break map.chunk[0].entry[0].phys_start = 0xfffffffffffff000"
hcase v1-elms-max 1 "[error] v1.num-elms" "$G1
break map.chunk[0].num_elms = 0xffffffffffffffff"

# ---------------------------------------------------- self-references
hcase self-radix 1 "[error] radix.cycle" "$G4
break radix.root[2] = self"
hcase self-radix-up 1 "[error] radix.cycle" "$G4
break radix.root[2][0] = @map.radix.root"
hcase self-v1 1 "[error] v1.cycle" "$G1
break map.chunk[0].next = self"
hcase self-vmalloc 1 "[error] vmalloc.cycle" "$G4
break session[0].file[0].memfd.folios.chunk[0].next = self"
# lib/test_kho.c fails its restore and leaks the folios: a warning.
hcase self-vmalloc-kho_test 0 "[warning] vmalloc.cycle" "$G4
break kho_test.folios_info.chunk[0].next = self"
hcase self-block 1 "[error] block.cycle" "$G4
break luo.sessions.block[0].next = self"
hcase self-file-block 1 "[error] block.cycle" "$G4
break session[0].files.block[0].next = self"
hcase self-sessions-luo_ser 1 "[error] block.unaligned /LUO/session-blocks" "$G4
break luo_ser.sessions_pa = @luo_ser"
hcase self-files-luo_ser 1 "[error] block.unaligned /LUO/sessions/vm0/file-blocks" "$G4
break session[0].files = @luo_ser"
# luo_flb.c never reads pgcnt: a note.
hcase self-flbs-luo_ser 0 "[note] luo.flb-pgcnt /LUO/flbs" "$G4
break luo_ser.flbs_pa = @luo_ser"
hcase self-data-luo_ser 1 "[error] memfd.nr-folios /LUO/sessions/vm0/1/memfd" "$G4
break session[0].file[0].data = @luo_ser"
hcase self-vmalloc-first 1 "[unknown] memfd.not-captured /LUO/sessions/vm0/1/memfd" "$G4
break session[0].file[0].memfd.folios.first = @session[0].file[0].memfd"
hcase self-pd-root 1 "[error] memblock.bad-fdt" "$G4
break node:memblock.preserved-data = @root_fdt"
hcase self-luo-root 2 "[unknown] luo.not-captured /LUO: only 32 bytes of the LUO FDT" "$G4
break node:LUO.preserved-data = @root_fdt"
hcase self-map-root 1 "[error] radix.unaligned-node /memory-map" "$G4
break root.preserved-memory-map = @root_fdt"
hcase self-v1map-root 1 "[error] v1.num-elms /memory-map" "$G1
break root.preserved-memory-map = @root_fdt"

# ------------------------------------------------------------ resource limits
# KHO_INSPECT_LIMITS lowers the fixed limits (tests only, see session.h).
mkimg lim "$G4
[session many]
files = 6 x nohandler-v1" || true
for l in objects=20:limit.objects findings=3:limit.findings \
	depth=3:limit.depth memory=4000:limit.memory; do
	spec=${l%%:*}
	id=${l#*:}
	KHO_INSPECT_LIMITS=$spec run "lim-$id" "$KI" check "$T/lim.img"
	sane "lim-$id" "lim-$id"
	check "$id: exit 1" [ "$rc" -eq 1 ]
	contains "$id" "$T/lim-$id.out" "[error] $id /"
	contains "$id" "$T/lim-$id.out" "limit reached: "
	check "$id: reported once" [ "$(grep -c "\] $id " "$T/lim-$id.out")" -eq 1 ]
	KHO_INSPECT_LIMITS=$spec run "lim-$id.json" "$KI" dump --json "$T/lim.img"
	sane "lim-$id.json"
done
# Limits can only be lowered.
KHO_INSPECT_LIMITS=objects=99999999999,depth=1000 run lim-raise "$KI" check "$T/lim.img"
check "raising a limit is ignored" [ "$rc" -eq 0 ]
# The real findings limit (100000) through a scenario: 2000 sessions whose
# every file names a missing handler.
mkimg many "generation = g4
[luo]
sessions = 1200 x s%d files 100 x nohandler-v1" || true
run many "$KI" check "$T/many.img"
sane many
check "many: exit 1" [ "$rc" -eq 1 ]
contains "many: findings limit" "$T/many.out" "[error] limit.findings /: limit reached: more than 100000 findings"
contains "many: counted past the limit" "$T/many.out" \
	"summary: 1 error, 0 unknown, 0 warnings, 120000 notes (99999 listed);"

# ------------------------------------------------------------ garbage
truncate -s 1G "$T/sparse.img"
run sparse "$KI" check "$T/sparse.img"
sane sparse
check "1 GiB of zeros: exit 2" [ "$rc" -eq 2 ]
printf '\177ELF' >"$T/sparse-elf.img"
truncate -s 1G "$T/sparse-elf.img"
run sparse-elf "$KI" check "$T/sparse-elf.img"
sane sparse-elf
check "1 GiB ELF magic + zeros: exit 2" [ "$rc" -eq 2 ]
# A valid image followed by a 1 GiB hole, and --scan over it.
cp "$T/base.img" "$T/tail.img"
truncate -s 1G "$T/tail.img"
run tail "$KI" check --scan "$T/tail.img"
sane tail
check "image + 1 GiB hole: exit 0" [ "$rc" -eq 0 ]
# Random-looking bytes (deterministic), bare and behind each magic.
python3 -c '
import sys, random
r = random.Random(1)
sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(1 << 20)) * 32)
' >"$T/rand.img"
for magic in none elf fdt; do
	case $magic in
	none) cp "$T/rand.img" "$T/r-$magic.img" ;;
	elf) { printf '\177ELF\002\001\001'; cat "$T/rand.img"; } >"$T/r-$magic.img" ;;
	fdt) { printf '\320\015\376\355'; cat "$T/rand.img"; } >"$T/r-$magic.img" ;;
	esac
	run "r-$magic" "$KI" check "$T/r-$magic.img"
	sane "r-$magic"
	if [ $magic = fdt ]; then
		# An FDT header with a random totalsize: root.too-large.
		check "32 MiB random ($magic): exit 1" [ "$rc" -eq 1 ]
		contains "random fdt" "$T/r-$magic.out" "[error] root.too-large /: "
	else
		check "32 MiB random ($magic): exit 2" [ "$rc" -eq 2 ]
	fi
	run "r-$magic-scan" "$KI" check --scan "$T/r-$magic.img"
	sane "r-$magic-scan"
	# --scan needs an ELF core; a bare FDT ignores it and is judged as one.
	if [ $magic = fdt ]; then
		check "32 MiB random fdt --scan: exit 1" [ "$rc" -eq 1 ]
		contains "random fdt --scan" "$T/r-$magic-scan.out" "[error] root.too-large /: "
	else
		check "32 MiB random ($magic) --scan: exit 2" [ "$rc" -eq 2 ]
		contains "random $magic --scan" "$T/r-$magic-scan.err" "not a handover image: "
	fi
done

finish
