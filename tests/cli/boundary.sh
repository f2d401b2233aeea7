#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Boundaries of every count, capacity and mask the decoders check: each
# limit exactly (a clean image: exit 0, no error or warning) and one over:
# the exact finding id, at the severity the 7.2 kernel's handling gives it
# (an error, exit 1, when the kernel loses data; a note or a warning, exit
# 0, when it accepts the value: see the case and src/decode/consequence_rules.h).
# The limits are written here from the kernel structures, not taken from
# kho-mkimage or the decoders:
#   block chains: a page of 16-byte header + entries, (4096-16)/64 = 63
#     entries of 64 bytes (v5 file entries), (4096-16)/80 = 51 of 80 bytes
#     (v5 session entries);
#   luo-v1..v4 file array: 2 pages of 64-byte entries = 128;
#   luo-v1..v3 session block: 16 pages, u64 count, then (65536-8)/80 = 819
#     entries (session-v2) or (65536-8)/64 = 1023 (session-v1);
#   FLB page: 16-byte header, (4096-16)/64 = 63 entries;
#   memfd folio flags: bits 0..1 defined (DIRTY, UPTODATE), 12-bit field;
#   memfd seals: F_SEAL_* = 0x3f of a u32;
#   radix leaf bits: a key is a block only when it ends below 2^52;
#   reserve_mem: at most 8 regions, names of 1..15 characters;
#   kho_test magic: 0x4b484f21 ("KHO!");
#   a sub-blob ends at or below 2^52;
#   kho_vmalloc: flags 0x3, order > 0 only with HUGE_VMAP, first/total.
# Every case runs for both byte orders.  BOUNDARY_ONLY=GLOB runs only the
# cases whose name matches (the mutation harness uses it to stay fast).
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

# bcase NAME WANT ID SCENARIO-TEXT: build NAME for each byte order and
# run `check --json`.  WANT 1: exit 1 and ID is an error finding.  WANT
# note or warning: exit 0 and ID is a finding of that severity (the kernel
# accepts the value).  WANT 0: no error or warning at all, and no ID
# finding of any severity.  The exit status is checked at once; the
# findings are queued for bverify, one python3 for the whole script.
bcase() {
	case $1 in ${BOUNDARY_ONLY:-*}) ;; *) return 0 ;; esac
	bn=$1
	bwant=$2
	id=$3
	scn=$4
	for bo in little big; do
		mkimg "$bn-$bo" "$scn" --set "byte_order=$bo" || continue
		case $bwant in
		note | warning) wexit=0 ;;
		*) wexit=$bwant ;;
		esac
		expect_exit_to "$T/$bn-$bo.chk" "$bn ($bo): exit" "$wexit" \
			"$KI" check --json "$T/$bn-$bo.img"
		case $bwant in
		note | warning) bmsg="no $bwant finding $id" ;;
		1) bmsg="no error finding $id" ;;
		*) bmsg="findings at the limit" ;;
		esac
		printf '%s\t%s\t%s\t%s\n' "$bwant" "$T/$bn-$bo.chk" "$id" \
			"$bn ($bo): $bmsg" >>"$T/bqueue"
	done
}

# bverify: one verdict per queued check, in queue order.  Each queue line
# is WANT, the check --json output, ID and the failure message; WANT as
# in bcase, or radix0/radix1 (bcase1: whether radix.bad-key must be an
# error finding).
bverify() {
	[ -f "$T/bqueue" ] || return 0
	python3 - "$T/bqueue" >"$T/bverdicts" <<'PY'
import json, sys

for line in open(sys.argv[1]):
    want, path, cid, msg = line.rstrip("\n").split("\t")
    try:
        fs = json.load(open(path))["findings"]
    except Exception as e:
        # As has_error did: an unreadable output has no radix.bad-key.
        fs = []
        if not want.startswith("radix"):
            print("FAIL: %s" % msg)
            print("    | %s: %s" % (path, e))
            continue
    if want in ("note", "warning"):
        good = any(f["check"] == cid and f["severity"] == want for f in fs)
        detail = []
    elif want == "1":
        good = any(f["check"] == cid and f["severity"] == "error" for f in fs)
        detail = fs[:5]
    elif want.startswith("radix"):
        r = int(any(f["check"] == cid and f["severity"] == "error" for f in fs))
        good = r == int(want[5:])
        msg = "%s: radix.bad-key finding %d, want %s" % (msg, r, want[5:])
        detail = []
    else:
        detail = [f for f in fs
                  if f["severity"] != "note" or f["check"] == cid][:5]
        good = not detail
    if good:
        print("ok")
        continue
    print("FAIL: %s" % msg)
    for f in detail:
        print("    | %s %s" % (f["check"], f["message"][:90]))
PY
	batch_verdicts "$T/bqueue" "$T/bverdicts"
}

V5='generation = g4
[luo]
version = v5
serialized = yes'

# ------------------------------------------------------- block chains
# 64-byte entries: the files of one v5 session.
bcase chain64-at 0 block.count-over "$V5
[session s]
files = 63 x memfd-v2"
bcase chain64-two-blocks 0 block.count-over "$V5
[session s]
files = 64 x memfd-v2"
bcase chain64-over 1 block.count-over "$V5
[session s]
files = 63 x memfd-v2
break session[0].files.block[0].count = 64"
bcase chain64-zero 1 block.count-zero "$V5
[session s]
files = 1 x memfd-v2
break session[0].files.block[0].count = 0"
# 80-byte entries: the v5 sessions.
bcase chain80-at 0 block.count-over "$V5
sessions = 51 x s%d"
bcase chain80-two-blocks 0 block.count-over "$V5
sessions = 52 x s%d"
bcase chain80-over 1 block.count-over "$V5
sessions = 51 x s%d
break luo.sessions.block[0].count = 52"

# luo_head VERSION: the scenario head of a serialized luo-VERSION image
# (luo-v1 comes with the g3 generation and 80-byte session-v2 entries).
luo_head() {
	case $1 in
	v1) printf '%s\n' "generation = g3" "[luo]" "version = v1" \
		"session_format = v2" "serialized = yes" ;;
	*) printf '%s\n' "generation = g4" "[luo]" "version = $1" \
		"serialized = yes" ;;
	esac
}

# ---------------------------------------------- luo-v1..v4 file array
for v in v1 v2 v3 v4; do
	head=$(luo_head "$v")
	bcase "files-$v-at" 0 luo.file-count "$head
[session s]
files = 128 x memfd-v2"
	bcase "files-$v-over" 1 luo.file-count "$head
[session s]
files = 128 x memfd-v2
break session[0].count = 129"
done

# ---------------------------------------------- luo-v1..v3 session block
for v in v1 v2 v3; do
	head=$(luo_head "$v")
	bcase "sessions-$v-at" 0 luo.session-count "$head
sessions = 819 x s%d"
	bcase "sessions-$v-over" 1 luo.session-count "$head
sessions = 819 x s%d
break luo.sessions.count = 820"
done
S1='generation = g3
[luo]
version = v1
session_format = v1
serialized = yes'
bcase sessions-v1-64-at 0 luo.session-count "$S1
sessions = 1023 x s%d"
bcase sessions-v1-64-over 1 luo.session-count "$S1
sessions = 1023 x s%d
break luo.sessions.count = 1024"

# ------------------------------------------------------------ FLB page
flbs=$(i=0; while [ $i -lt 63 ]; do echo "flb = test-flb-$i $i 1"; i=$((i + 1)); done)
bcase flb-at 0 luo.flb-count "$V5
$flbs"
bcase flb-over 1 luo.flb-count "$V5
$flbs
break luo.flb.count = 64"

# ------------------------------------------------ memfd folio flag bits
MF="$V5
[session s]
[file]
compatible = memfd-v2
token = 1
folios = 2 x order0"
for f in 0x0 0x1 0x2 0x3; do
	bcase "folio-flags-$f" 0 memfd.folio-flags "$MF
break session[0].file[0].memfd.folio[0].flags = $f"
done
# memfd_luo_retrieve_folios() tests only UPTODATE and DIRTY: other bits
# are accepted, a note.
b=2
while [ $b -lt 12 ]; do
	f=$(printf '0x%x' $((1 << b)))
	bcase "folio-flags-$f" note memfd.folio-flags "$MF
break session[0].file[0].memfd.folio[0].flags = $f"
	b=$((b + 1))
done

# ------------------------------------------------------ memfd seal bits
bcase seals-0x3f 0 memfd.seals "$MF
seals = 0x3f"
b=6
while [ $b -lt 32 ]; do
	s=$(printf '0x%x' $((1 << b)))
	bcase "seals-$s" 1 memfd.seals "$MF
break session[0].file[0].memfd.seals = $s"
	b=$((b + 1))
done

# ------------------------------------------------------------- memblock
# reserve_mem: at most RESERVE_MEM_MAX_ENTRIES (8) regions, names of
# 1..15 characters (RESERVE_MEM_NAME_SIZE 16 with its NUL).
regions() { i=1; while [ $i -le "$1" ]; do echo "region = r$i auto 0x1000"; i=$((i + 1)); done; }
bcase memblock-8 0 memblock.too-many "generation = g4
[memblock]
$(regions 8)"
# Only the names on the next command line are looked up: a note.
bcase memblock-9 note memblock.too-many "generation = g4
[memblock]
$(regions 9)"
bcase memblock-name-15 0 memblock.name-length "generation = g4
[memblock]
region = abcdefghijklmno auto 0x1000"
bcase memblock-name-16 note memblock.name-length "generation = g4
[memblock]
region = abcdefghijklmnop auto 0x1000"

# ---------------------------------------------------------- kho_test
# The magic of the kho_test node is "KHO!" (0x4b484f21), nothing near it.
for m in 0x4b484f21; do
	bcase "kho-test-magic-$m" 0 kho-test.magic "generation = g4
[kho_test]
magic = $m"
done
# lib/test_kho.c refuses a wrong magic and never frees the folios: the
# memory leaks, a warning.
for m in 0x4b484f20 0x4b484f22 0x4b484f30; do
	bcase "kho-test-magic-$m" warning kho-test.magic "generation = g4
[kho_test]
magic = $m"
done

# --------------------------------------------------- root blob-size range
# A sub-blob may reach 2^52 (the physical-address limit) but not pass it:
# blob-size 2^52 - preserved-data is the largest allowed.
for bo in little big; do
	case "blob-size-$bo" in ${BOUNDARY_ONLY:-*}) ;; *) continue ;; esac
	mkimg "bs0-$bo" "generation = g4
[luo]" --set "byte_order=$bo" --layout="$T/bs0-$bo.lay" || continue
	v=$(awk '$1 == "obj" && $2 == "luo_ser" { print $3 }' "$T/bs0-$bo.lay")
	# The readers only compare blob-size with a minimum: past 2^52 is a
	# note.
	for d in 0 note; do
		case $d in 0) dd=0 ;; *) dd=1 ;; esac
		bcase "blob-size-$bo-$dd" "$d" root.blob-size-range "generation = g4
byte_order = $bo
[luo]
break node:LUO.blob-size = $(((1 << 52) - v + dd))"
	done
done

# ------------------------------------------------------------- vmalloc
# The folio array of a memfd is a kho_vmalloc: flags ALLOC (0x1) and
# HUGE_VMAP (0x2) only, order > 0 only with HUGE_VMAP, first and
# total_pages both zero or both non-zero.
VF="$MF
break session[0].file[0].memfd.folios"
bcase vmalloc-flags-0x1 0 vmalloc.flags "$VF.flags = 0x1"
# kho_flags_to_vmalloc() drops the other bits, and kho_restore_vmalloc()
# checks the order against neither HUGE_VMAP nor MAX_PAGE_ORDER: notes.
b=2
while [ $b -lt 16 ]; do
	f=$(printf '0x%x' $(((1 << b) | 1)))
	bcase "vmalloc-flags-$f" note vmalloc.flags "$VF.flags = $f"
	b=$((b + 1))
done
# 257 folios fill two pages: one order-1 run, consistent but for the flag.
bcase vmalloc-order-1 note vmalloc.order "$V5
[session s]
[file]
compatible = memfd-v2
token = 1
folios = 257 x order0
vmalloc_order = 1"
bcase vmalloc-first-no-total 1 vmalloc.first-vs-total "$VF.total_pages = 0"

# ------------------------------------------------------- radix leaf key
# One order-26 block (256 GiB) at 0xc000000000: its key is 2^26 | 3
# (order bit 2^(52-26), then phys >> (12+26)).  Order-26 keys are valid for
# phys < 2^52, i.e. 2^26 + [0, 2^14); the same 32768-bit leaf also holds
# keys 2^26 + 2^14.. whose blocks would end past 2^52.  leafbit IMG LAYOUT
# KEY walks the kho-v4 radix tree (4 KiB pages: 15 leaf bits, 9 bits per
# table, depth from the layout) to the leaf of KEY and prints
# "PHYS SIZE VALUE" for a poke that sets KEY's bit in its 64-bit word.
leafbit() {
	python3 - "$@" <<'PY'
import struct, sys
img, lay, key = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
loads, root, depth, be = [], None, None, False
for ln in open(lay):
    f = ln.split()
    if f[:1] == ["load"]:
        loads.append((int(f[1], 16), int(f[2], 16), int(f[3], 16)))
    elif f[:1] == ["memory_map"]:
        root = int(f[1], 16)
    elif f[:1] == ["radix_depth"]:
        depth = int(f[1])
data = open(img, "rb").read()
be = data[5] == 2          # EI_DATA: ELFDATA2MSB


def u64(pa):
    for pb, off, sz in loads:
        if pb <= pa < pb + sz:
            return struct.unpack(">Q" if be else "<Q", data[off + pa - pb:off + pa - pb + 8])[0]
    sys.exit("0x%x not in the image" % pa)


node = root
for level in range(depth - 1, 0, -1):
    node = u64(node + 8 * ((key >> (15 + 9 * (level - 1))) & 511))
bit = key & 32767
print("0x%x 8 0x%x" % (node + 8 * (bit // 64), u64(node + 8 * (bit // 64)) | 1 << (bit % 64)))
PY
}

RK='generation = g4
preserve 0xc000000000 26'
for bo in little big; do
	mkimg "rk-$bo" "$RK" --set "byte_order=$bo" --layout="$T/rk-$bo.lay" || continue
	# The last valid key: the block ends exactly at 2^52.
	at=$(leafbit "$T/rk-$bo.img" "$T/rk-$bo.lay" $(((1 << 26) + (1 << 14) - 1))) ||
		{ fail "radix walker ($bo)"; continue; }
	over=$(leafbit "$T/rk-$bo.img" "$T/rk-$bo.lay" $(((1 << 26) + (1 << 14))))
	bcase1() {
		case $1 in ${BOUNDARY_ONLY:-*}) ;; *) return 0 ;; esac
		mkimg "$1" "$RK
poke $2" --set "byte_order=$bo" || return
		expect_exit_to "$T/$1.chk" "$1: exit" "$3" "$KI" check --json "$T/$1.img"
		printf '%s\t%s\t%s\t%s\n' "radix$3" "$T/$1.chk" radix.bad-key \
			"$1" >>"$T/bqueue"
	}
	bcase1 "radix-key-at-$bo" "$at" 0
	bcase1 "radix-key-over-$bo" "$over" 1
done

bverify
finish
