#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Tests for kho-mkimage, checked with independent tools only: readelf,
# dtc/fdtdump (device-tree-compiler) and od at addresses from --layout.
# Usage: sh tests/cli/mkimage.sh   (from the repository root; MKIMAGE=path
# overrides build/kho-mkimage; MK_SCALE=1 adds the 16M-folio benchmark shape)

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MK=${MKIMAGE:-$ROOT/build/kho-mkimage}
SCN=$ROOT/tests/scenarios
T=$(mktemp -d "${TMPDIR:-/tmp}/mkimage-test.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { # check NAME COMMAND...
	n=$1; shift
	if "$@" >/dev/null 2>&1; then ok; else bad "$n"; fi
}
eq() { # eq NAME GOT WANT
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
# layout helpers
lkey() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
fld() { awk -v n="$2" '$1 == "field" && $2 == n { print $5; exit }' "$1"; }
obj() { awk -v n="$2" '$1 == "obj" && $2 == n { print $3; exit }' "$1"; }
objoff() { awk -v n="$2" '$1 == "obj" && $2 == n { print $6; exit }' "$1"; }
# bytes IMG OFF N -> "aa bb cc"
bytes() { od -A n -t x1 -j "$(($2))" -N "$3" "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'; }
# u64le IMG OFF -> 0x... (little-endian u64)
u64le() {
	set -- $(bytes "$1" "$2" 8)
	printf '0x%s\n' "$(echo "$8$7$6$5$4$3$2$1" | sed 's/^0*//; s/^$/0/')"
}
hex() { printf '0x%x\n' "$(($1))"; }

[ -x "$MK" ] || { echo "kho-mkimage not built: $MK" >&2; exit 1; }

# ---------------------------------------------------------------- CLI
check "--help" "$MK" --help
eq "--version" "$("$MK" --version)" "kho-mkimage 0.1.0"
"$MK" >/dev/null 2>&1; eq "no args exit 2" $? 2
"$MK" "$SCN/mk/mk-basic.scn" >/dev/null 2>&1; eq "no -o exit 2" $? 2
printf 'generation = g9\n' > "$T/bad.scn"
msg=$("$MK" "$T/bad.scn" -o "$T/x" 2>&1); rc=$?
eq "bad scenario exit 2" $rc 2
case $msg in "kho-mkimage: $T/bad.scn:1: "*) ok ;; *) bad "error format: $msg" ;; esac
printf '[luo]\nbogus = 1\n' > "$T/bad2.scn"
msg=$("$MK" "$T/bad2.scn" -o "$T/x" 2>&1)
case $msg in *"bad2.scn:2: "*) ok ;; *) bad "error line: $msg" ;; esac
"$MK" "$SCN/mk/mk-basic.scn" -o /nonexistent/dir/x.img >/dev/null 2>&1; eq "I/O error exit 1" $? 1
"$MK" "$SCN/mk/mk-basic.scn" -o "$T/x" --set nosuchkey=1 >/dev/null 2>&1; eq "--set unknown key" $? 2

# ------------------------------------------------------ every generation
for g in g1a g1b g1c g2 g2b g3 g4 rfc; do
	img=$T/$g.img lay=$T/$g.lay
	if ! "$MK" "$SCN/mk/mk-basic.scn" -o "$img" --layout="$lay" --set generation=$g; then
		bad "$g: build"; continue
	fi
	"$MK" "$SCN/mk/mk-basic.scn" -o "$T/$g.dtb" --format fdt --set generation=$g || bad "$g: fdt"
	h=$(readelf -h "$img")
	case $h in *"CORE (Core file)"*) ok ;; *) bad "$g: ET_CORE" ;; esac
	case $h in *"ELF64"*"little endian"*) ok ;; *) bad "$g: class/data" ;; esac
	n=$(readelf -n "$img" 2>/dev/null | grep -c '^ *KHO ')
	eq "$g: one KHO note" "$n" 1
	readelf -n "$img" | grep -Eq 'KHO .*Unknown note type: \(0x4b484f01\)' && ok || bad "$g: note type 0x4b484f01 (NT_KHO_INFO)"
	# PT_LOADs: page aligned offsets, sorted by paddr, layout agrees
	readelf -lW "$img" | awk '$1 == "LOAD" { print $2, $4, $5 }' > "$T/loads"
	# Shell arithmetic reads the 0x... columns (awk's strtonum is gawk only).
	r=ok last=-1
	while read -r o p s; do
		[ $((o % 4096)) -eq 0 ] || r="offset $o not page aligned"
		[ $((p)) -gt "$last" ] || r="paddr $p not above the previous one"
		last=$((p))
	done < "$T/loads"
	eq "$g: PT_LOADs page aligned, sorted by paddr" "$r" ok
	[ -s "$T/loads" ] && ok || bad "$g: no PT_LOAD"
	eq "$g: loads == layout" "$(wc -l < "$T/loads")" "$(grep -c '^load ' "$lay")"
	# root FDT
	dts=$(dtc -I dtb -O dts "$T/$g.dtb" 2>/dev/null)
	case $g in g1*) c=kho-v1 ;; g2|g2b) c=kho-v2 ;; g3) c=kho-v3 ;; g4) c=kho-v4 ;; rfc) c="kho-v4;radix-v1;vmalloc-v1" ;; esac
	case $dts in *"compatible = \"$c\";"*) ok ;; *) bad "$g: root compatible" ;; esac
	case $g in
	g1*) case $dts in *"fdt = <"*) ok ;; *) bad "$g: fdt prop" ;; esac
	     case $dts in *preserved-data*|*blob-size*) bad "$g: G2 props in G1" ;; *) ok ;; esac ;;
	g2) case $dts in *blob-size*) bad "$g: blob-size in g2" ;; *preserved-data*) ok ;; *) bad "$g: preserved-data" ;; esac ;;
	*) case $dts in *"blob-size = <0x49000000 0x00>"*) ok ;; *) bad "$g: kexec-metadata blob-size" ;; esac ;;
	esac
	for node in memblock LUO kexec-metadata kho_test; do
		case $dts in *"	$node {"*) ok ;; *) bad "$g: node $node" ;; esac
	done
	fdtdump "$T/$g.dtb" >/dev/null 2>&1 && ok || bad "$g: fdtdump"
	# FDT magic at FDT_PHYS, map pointer in the FDT equals the layout's
	roff=$(objoff "$lay" root_fdt)
	eq "$g: fdt magic" "$(bytes "$img" "$roff" 4)" "d0 0d fe ed"
	eq "$g: map pointer" "$(u64le "$img" "$(fld "$lay" root.preserved-memory-map)")" "$(lkey "$lay" memory_map)"
	# kexec-metadata: version 1, count 3 at offset 69, release string
	mo=$(objoff "$lay" kexec-metadata)
	eq "$g: md version" "$(bytes "$img" "$mo" 4)" "01 00 00 00"
	eq "$g: md count@69" "$(bytes "$img" $((mo + 69)) 4)" "03 00 00 00"
	eq "$g: md release" "$(dd if="$img" bs=1 skip=$((mo + 4)) count=6 2>/dev/null)" "6.18.0"
	# memfd-v2: seals u32 at 16, nr_folios 5 at 24, vmalloc flags 1
	fo=$(objoff "$lay" "session[0].file[0].memfd")
	eq "$g: memfd seals" "$(bytes "$img" $((fo + 16)) 4)" "05 00 00 00"
	eq "$g: memfd nr_folios" "$(u64le "$img" $((fo + 24)))" 0x5
	eq "$g: vmalloc desc" "$(bytes "$img" $((fo + 40)) 8)" "01 00 00 00 01 00 00 00"
	# folio entry 4: index 8, pfn of the order-2 folio, flags 3
	ao=$(objoff "$lay" "session[0].file[0].memfd.folios.area")
	eq "$g: folio[4].index" "$(u64le "$img" $((ao + 72)))" 0x8
	w=$(u64le "$img" $((ao + 64)))
	eq "$g: folio[4] flags" "$(hex "$w >> 52")" 0x3
	# every scenario block is decoded back from the map: count only here
	eq "$g: root preserved" "$(grep -c "^block $(lkey "$lay" root_fdt) 0$" "$lay")" 1
done

# radix details (g4): root[2] -> first L4 node; leaf bit of the root FDT page
lay=$T/g4.lay img=$T/g4.img
ro=$(objoff "$lay" map.radix.root)
eq "radix root[2]" "$(u64le "$img" $((ro + 16)))" "$(obj "$lay" 'map.radix[1].L4')"
eq "radix depth 4K" "$(lkey "$lay" radix_depth)" 6
# path for the root FDT page 0x100000000 (order 0): L1 index (key>>15)&511 = 32
l1=$(awk '$1 == "obj" && $2 ~ /^map\.radix\[[0-9]+\]\.L1$/ { print $6; exit }' "$lay")
eq "radix L1[32] -> leaf" "$(u64le "$img" $((l1 + 32 * 8)))" "$(awk '$1 == "obj" && $2 ~ /\.L0$/ { print $3; exit }' "$lay")"
lo=$(awk '$1 == "obj" && $2 ~ /\.L0$/ { print $6; exit }' "$lay")
eq "radix leaf bit 0 (pfn 0x100000)" "$((0x$(bytes "$img" "$lo" 1) & 1))" 1

# g1a: 512-byte bitmaps, several per page; g1b: page bitmaps
eq "g1a bitmap size" "$(awk '$2 == "map.v1.bitmap[0]" { print $4 }' "$T/g1a.lay")" 0x200
eq "g1b bitmap size" "$(awk '$2 == "map.v1.bitmap[0]" { print $4 }' "$T/g1b.lay")" 0x1000
b0=$(obj "$T/g1a.lay" 'map.v1.bitmap[0]') b1=$(obj "$T/g1a.lay" 'map.v1.bitmap[1]')
eq "g1a bitmaps share a page" "$(hex "$b1 - $b0")" 0x200
co=$(objoff "$T/g1b.lay" 'map.v1.chunk[0]')
eq "g1b chunk[0] order 0" "$(bytes "$T/g1b.img" $((co + 8)) 4)" "00 00 00 00"
eq "g1b chunk[0] phys_start" "$(u64le "$T/g1b.img" $((co + 16)))" 0x100000000
eq "g1b chunk[0] bitmap" "$(u64le "$T/g1b.img" $((co + 24)))" "$(obj "$T/g1b.lay" 'map.v1.bitmap[0]')"
eq "g1a phys_start 16MiB granule" "$(u64le "$T/g1a.img" $(($(objoff "$T/g1a.lay" 'map.v1.chunk[0]') + 16)))" 0x100000000
# G1a/G1b: one-pass root (memory reservation block at 48, struct at 64)
eq "g1a off_dt_struct" "$(bytes "$T/g1a.dtb" 8 4)" "00 00 00 40"

# --------------------------------------------------- info note contents
readelf -n "$T/g4.img" > "$T/notes" 2>&1
od -A n -c "$T/g4.img" | tr -d ' \n' > "$T/chars"
for k in 'FORMAT=1' 'PAGE_SIZE=4096' "FDT_PHYS=$(lkey "$T/g4.lay" root_fdt)" 'FDT_SIZE=4096' \
	 'SCRATCH=0x80000000,0x10000000' 'DIRECTION=out' 'RELEASE=6.19.0-test' \
	 'RADIX_DEPTH_FORMULA=plus1' 'PRODUCER=kho-mkimage'; do
	grep -q "$k" "$T/chars" && ok || bad "info key $k"
done
grep -q 'RADIX_DEPTH_FORMULA=orig' "$T/g3.img" && ok || bad "g3 orig formula"
grep -q 'V1_BITMAP_BYTES=512' "$T/g1a.img" && ok || bad "g1a bitmap bytes key"

# ----------------------------------------------- byte order, page size
"$MK" "$SCN/mk/mk-basic.scn" -o "$T/be.img" --layout="$T/be.lay" --set byte_order=big --set machine=ppc64 || bad "be build"
case $(readelf -h "$T/be.img") in *"big endian"*PowerPC64*) ok ;; *) bad "be header" ;; esac
mo=$(objoff "$T/be.lay" kexec-metadata)
eq "be md count" "$(bytes "$T/be.img" $((mo + 69)) 4)" "00 00 00 03"
eq "be note present" "$(readelf -n "$T/be.img" | grep -c '^ *KHO ')" 1
# Big-endian memfd-v2 by hand: every u64/u32 field is most significant
# byte first, and the folio word {u64 pfn:52; u64 flags:12} has the pfn in
# the top 52 bits (GCC allocates big-endian bit-fields from the most
# significant bit), so word = pfn << 12 | flags.  Little-endian has
# word = pfn | flags << 52, least significant byte first.
# be64 VALUE / le64 VALUE -> "aa bb ..." as od prints the 8 bytes.
be64() { printf '%016x' "$(($1))" | sed 's/../& /g; s/ $//'; }
le64() { be64 "$1" | awk '{ for (i = NF; i > 1; i--) printf "%s ", $i; print $1 }'; }
for bo in big little; do
	"$MK" "$SCN/memfd/memfd-v2.scn" -o "$T/mf-$bo.img" --layout="$T/mf-$bo.lay" \
		--set byte_order=$bo || { bad "memfd-v2 $bo build"; continue; }
	lay=$T/mf-$bo.lay img=$T/mf-$bo.img
	mo=$(objoff "$lay" "session[0].file[0].memfd")
	ao=$(objoff "$lay" "session[0].file[0].memfd.folios.area")
	pfn=$(($(obj "$lay" "session[0].file[0].memfd.folio[0]") >> 12))
	if [ $bo = big ]; then
		eq "be memfd size" "$(bytes "$img" $((mo + 8)) 8)" "00 00 00 00 00 40 80 00"
		eq "be memfd seals" "$(bytes "$img" $((mo + 16)) 4)" "00 00 00 0d"
		eq "be memfd nr_folios" "$(bytes "$img" $((mo + 24)) 8)" "00 00 00 00 00 00 00 0a"
		eq "be folio[0] word" "$(bytes "$img" "$ao" 8)" "$(be64 $(((pfn << 12) | 3)))"
		eq "be folio[1] index 512" "$(bytes "$img" $((ao + 24)) 8)" "00 00 00 00 00 00 02 00"
	else
		eq "le memfd size" "$(bytes "$img" $((mo + 8)) 8)" "00 80 40 00 00 00 00 00"
		eq "le folio[0] word" "$(bytes "$img" "$ao" 8)" "$(le64 $((pfn | (3 << 52))))"
		eq "le folio[1] index 512" "$(bytes "$img" $((ao + 24)) 8)" "00 02 00 00 00 00 00 00"
	fi
	# The pfn is the folio's address from the layout, not 0 or garbage.
	[ "$pfn" -gt 0 ] && ok || bad "memfd-v2 $bo: folio[0] address"
done
# A break of one folio field keeps the other: flags 0x4 on big-endian.
printf 'break session[0].file[0].memfd.folio[0].flags = 0x4\n' |
	cat "$SCN/memfd/memfd-v2.scn" - >"$T/mfb.scn"
"$MK" "$T/mfb.scn" -o "$T/mfb.img" --layout="$T/mfb.lay" --set byte_order=big ||
	bad "be folio flags break"
eq "be folio[0] flags break" "$(bytes "$T/mfb.img" "$(objoff "$T/mfb.lay" "session[0].file[0].memfd.folios.area")" 8)" \
	"$(be64 $((($(obj "$T/mfb.lay" "session[0].file[0].memfd.folio[0]") >> 12 << 12) | 4)))"
for ps in 16384 65536; do
	"$MK" "$SCN/mk/mk-basic.scn" -o "$T/p$ps.img" --layout="$T/p$ps.lay" --set page_size=$ps --set generation=g4 || bad "ps $ps"
	a=$(readelf -lW "$T/p$ps.img" | awk '$1 == "LOAD" { print $NF; exit }')
	eq "ps $ps align" "$a" "$(hex $ps)"
	grep -q "PAGE_SIZE=$ps" "$T/p$ps.img" && ok || bad "ps $ps info"
done
eq "16K plus1 depth" "$(lkey "$T/p16384.lay" radix_depth)" 5
"$MK" "$SCN/mk/mk-basic.scn" -o "$T/x" --layout="$T/x.lay" --set page_size=16384 --set generation=g3 || bad "16k g3"
eq "16K orig depth" "$(lkey "$T/x.lay" radix_depth)" 4

# -------------------------------------------------------------- LUO
for v in v1 v2 v3 v4 v5 rfc feature; do
	"$MK" "$SCN/mk/mk-luo.scn" -o "$T/l$v.img" --layout="$T/l$v.lay" --set "luo:version=$v" || { bad "luo $v build"; continue; }
	"$MK" "$SCN/mk/mk-luo.scn" -o "$T/l$v.dtb" --format fdt --set "luo:version=$v" || bad "luo $v fdt"
done
lay=$T/lv5.lay img=$T/lv5.img
so=$(objoff "$lay" luo_ser)
eq "luo-v5 compat" "$(dd if="$img" bs=1 skip=$(($so)) count=8 2>/dev/null | od -A n -c | tr -d ' ')" 'luo-v5\0\0'
eq "luo-v5 sessions_pa" "$(u64le "$img" $((so + 16)))" "$(obj "$lay" 'luo.sessions.block[0]')"
b0=$(objoff "$lay" 'luo.sessions.block[0]')
eq "session block 0 count 51" "$(u64le "$img" $((b0 + 8)))" 0x33
eq "session block 0 next" "$(u64le "$img" "$b0")" "$(obj "$lay" 'luo.sessions.block[1]')"
eq "session block 1 count 3" "$(u64le "$img" $(($(objoff "$lay" 'luo.sessions.block[1]') + 8)))" 0x3
eq "session[52] name" "$(dd if="$img" bs=1 skip=$(($(fld "$lay" 'session[52].name'))) count=4 2>/dev/null)" many
eq "session[52] count" "$(u64le "$img" "$(fld "$lay" 'session[52].count')")" 0x40
eq "file chain block 0 count 63" "$(u64le "$img" $(($(objoff "$lay" 'session[52].files.block[0]') + 8)))" 0x3f
eq "file chain block 1 count 1" "$(u64le "$img" $(($(objoff "$lay" 'session[52].files.block[1]') + 8)))" 0x1
eq "raw file data" "$(u64le "$img" "$(fld "$lay" 'session[53].file[0].data')")" 0x1122334455667788
dtc -I dtb -O dts "$T/lv5.dtb" 2>/dev/null | grep -q 'blob-size = <0x20000000 0x00>' && ok || bad "luo-v5 blob-size 32"
eq "rfc luo_ser compat" "$(dd if="$T/lrfc.img" bs=1 skip=$(($(objoff "$T/lrfc.lay" luo_ser))) count=15 2>/dev/null)" 'luo-v5;block-v1'
dtc -I dtb -O dts "$T/lrfc.dtb" 2>/dev/null | grep -q 'blob-size = <0x28000000 0x00>' && ok || bad "rfc luo_ser blob-size 40"
dtc -I dtb -O dts "$T/lfeature.dtb" 2>/dev/null | grep -q 'blob-size = <0x98000000 0x00>' && ok || bad "feature luo_ser blob-size 152"
eq "feature supp" "$(u64le "$T/lfeature.img" "$(objoff "$T/lfeature.lay" luo_ser)")" 0x7
eq "luo-v4 files array order 1" "$(awk '$1 == "obj" && $2 == "session[52].files" { print $5 }' "$T/lv4.lay")" 1
eq "luo-v3 session block order 4" "$(awk '$1 == "obj" && $2 == "luo.sessions" { print $5 }' "$T/lv3.lay")" 4
# luo-v1: the LUO sub-FDT itself
lo=$(objoff "$T/lv1.lay" luo_fdt)
dd if="$T/lv1.img" bs=4096 skip=$((lo / 4096)) count=1 2>/dev/null > "$T/luo.dtb"
dts=$(dtc -I dtb -O dts "$T/luo.dtb" 2>/dev/null)
case $dts in *'compatible = "luo-v1"'*'luo-session {'*'compatible = "luo-session-v2"'*) ok ;; *) bad "luo-v1 fdt" ;; esac
eq "luo-v1 session count" "$(u64le "$T/lv1.img" "$(objoff "$T/lv1.lay" luo.sessions)")" 0x36
lo=$(objoff "$T/lv2.lay" luo_fdt)
dd if="$T/lv2.img" bs=4096 skip=$((lo / 4096)) count=1 2>/dev/null > "$T/luo2.dtb"
dtc -I dtb -O dts "$T/luo2.dtb" 2>/dev/null | grep -q 'luo-abi-header' && ok || bad "luo-v2 abi header"
"$MK" "$SCN/mk/mk-luo.scn" -o "$T/ns.img" --layout="$T/ns.lay" --set luo:serialized=no || bad "serialized=no"
eq "unserialized sessions_pa" "$(u64le "$T/ns.img" $(($(objoff "$T/ns.lay" luo_ser) + 16)))" 0x0

# --------------------------------------------------------- sample image
"$MK" "$SCN/sample.scn" -o "$T/sample.img" --layout="$T/sample.lay" || bad "sample build"
"$MK" "$SCN/sample.scn" -o "$T/sample2.img" || bad "sample rebuild"
cmp -s "$T/sample.img" "$T/sample2.img" && ok || bad "deterministic output"
eq "sample scratch lines" "$(grep -ao 'SCRATCH=0x[0-9a-f]*,0x[0-9a-f]*' "$T/sample.img" | wc -l)" 3
go=$(objoff "$T/sample.lay" 'session[0].file[2].gmem')
eq "guest_memfd vm_token" "$(u64le "$T/sample.img" $((go + 24)))" 0x77
eq "pci flb nr_devices" "$(bytes "$T/sample.img" $(($(objoff "$T/sample.lay" 'flb[0].pci') + 4)) 4)" "02 00 00 00"
eq "blob file bytes" "$(bytes "$T/sample.img" "$(objoff "$T/sample.lay" 'session[0].file[1].blob')" 4)" "4b 48 4f 2d"
eq "preserve_range split" "$(grep -c '^block 0x48000[0-4]000 ' "$T/sample.lay")" 2

# ------------------------------------------------------ other formats
"$MK" "$SCN/mk/mk-basic.scn" -o "$T/dbg" --format debugfs --set generation=g4 || bad "debugfs"
for f in fdt sub_fdts/LUO sub_fdts/memblock sub_fdts/kexec-metadata sub_fdts/kho_test scratch_phys scratch_len; do
	[ -f "$T/dbg/$f" ] && ok || bad "debugfs $f"
done
eq "debugfs scratch_phys" "$(cat "$T/dbg/scratch_phys")" "$(printf '0x80000000\n0x200000000')"
eq "debugfs scratch_len" "$(cat "$T/dbg/scratch_len")" "$(printf '0x10000000\n0x8000000')"
eq "debugfs kexec-metadata size" "$(wc -c < "$T/dbg/sub_fdts/kexec-metadata")" 73
cmp -s "$T/dbg/fdt" "$T/g4.dtb" && ok || bad "debugfs fdt == --format fdt"
"$MK" "$SCN/mk/mk-basic.scn" -o "$T/kc.img" --format kcore --layout="$T/kc.lay" --set generation=g4 || bad "kcore"
eq "kcore has no KHO note" "$(readelf -n "$T/kc.img" 2>/dev/null | grep -c KHO)" 0
readelf -lW "$T/kc.img" | grep -q 'LOAD.*0xffff888100000000 0x0000000100000000' && ok || bad "kcore direct-map vaddr"
ko=$(objoff "$T/kc.lay" root_fdt)
eq "kcore root FDT" "$(bytes "$T/kc.img" "$ko" 4)" "d0 0d fe ed"

# ------------------------------------------------------------ breaks
"$MK" "$SCN/mk/mk-breaks.scn" -o "$T/br.img" --layout="$T/br.lay" 2>/dev/null || bad "breaks build"
lay=$T/br.lay img=$T/br.img
eq "break name fill" "$(bytes "$img" "$(fld "$lay" 'session[3].name')" 4)" "41 41 41 41"
eq "break name no NUL" "$(bytes "$img" $(($(fld "$lay" 'session[3].name') + 63)) 1)" 41
eq "break chain cycle" "$(u64le "$img" "$(fld "$lay" 'luo.sessions.block[1].next')")" "$(obj "$lay" 'luo.sessions.block[0]')"
eq "break count overflow" "$(u64le "$img" "$(fld "$lay" 'luo.sessions.block[0].count')")" 0x34
ao=$(objoff "$lay" 'session[60].file[0].memfd.folios.area')
w=$(u64le "$img" $((ao + 16)))
eq "break folio pfn" "$(hex "$w & 0xfffffffffffff")" 0x12345
eq "break folio flags kept" "$(hex "$w >> 52")" 0x3
eq "break token" "$(u64le "$img" "$(fld "$lay" 'session[60].file[0].token')")" 0xdead
eq "break md version" "$(bytes "$img" "$(objoff "$lay" kexec-metadata)" 4)" "07 00 00 00"
eq "break luo compat" "$(dd if="$img" bs=1 skip=$(($(objoff "$lay" luo_ser))) count=6 2>/dev/null)" luo-v9
ro=$(objoff "$lay" map.radix.root)
eq "break radix self" "$(u64le "$img" $(($(objoff "$lay" 'map.radix[1].L4'))))" "$(obj "$lay" 'map.radix[1].L4')"
eq "break poke" "$(bytes "$img" $(($(objoff "$lay" kexec-metadata) + 69)) 4)" "99 00 00 00"
eq "break unpreserve" "$(grep -c '^block 0x100000000 ' "$lay")" 0
roff=$(objoff "$lay" root_fdt)
eq "break totalsize (BE)" "$(bytes "$img" $((roff + 4)) 4)" "00 00 20 00"
dd if="$img" bs=4096 skip=$((roff / 4096)) count=1 2>/dev/null > "$T/br.dtb"
# the header now lies; fix it in a copy to look at the properties
printf '\000\000\020\000' | dd of="$T/br.dtb" bs=1 seek=4 conv=notrunc 2>/dev/null
dts=$(dtc -I dtb -O dts "$T/br.dtb" 2>/dev/null)
case $dts in *"LUO {"*"preserved-data"*) ok ;; *) bad "LUO node kept" ;; esac
echo "$dts" | awk '/LUO \{/,/\};/' | grep -q blob-size && bad "blob-size deleted" || ok

"$MK" "$SCN/mk/mk-elfbreaks.scn" -o "$T/eb.img" --layout="$T/eb.lay" || bad "elf breaks build"
n=$(readelf -lW "$T/eb.img" 2>/dev/null | grep -c '^ *LOAD')
eq "elf overlap + past-eof loads" "$n" 3
sz=$(wc -c < "$T/eb.img")
last=$(readelf -lW "$T/eb.img" 2>/dev/null | awk '$1 == "LOAD" { o = $2 } END { print o }')
[ $(($last)) -gt "$sz" ] && ok || bad "PT_LOAD past EOF"
eq "note lies" "$(bytes "$T/eb.img" $((0x40 + 56 * 4 + 4)) 4)" "00 00 01 00"
"$MK" "$SCN/mk/mk-basic.scn" -o "$T/tr.img" --set generation=g4 >/dev/null
printf 'generation = g4\nbreak elf.truncate = 1000\n' > "$T/tr.scn"
"$MK" "$T/tr.scn" -o "$T/tr.img" || bad "truncate build"
eq "truncate" "$(wc -c < "$T/tr.img")" 1000
printf 'generation = g4\nbreak no.such.thing = 1\n' > "$T/bt.scn"
"$MK" "$T/bt.scn" -o "$T/bt.img" 2>/dev/null; eq "unknown break target" $? 2

# ------------------------------------------------------------- scale
cat > "$T/sess.scn" <<'SCN'
generation = g4
[luo]
sessions = 1999 x bench-%04d
[session big]
files = 500 x memfd-v2 folios 1
SCN
"$MK" "$T/sess.scn" -o "$T/sess.img" --layout="$T/sess.lay" || bad "2000 sessions"
eq "2000 sessions: 40 blocks" "$(grep -c '^obj luo.sessions.block\[' "$T/sess.lay")" 40
eq "500 files: 8 blocks" "$(grep -c '^obj session\[1999\].files.block\[' "$T/sess.lay")" 8
cat > "$T/tib.scn" <<'SCN'
generation = g4
[luo]
[session s]
[file]
compatible = memfd-v2
folios = 524288 x order9
SCN
"$MK" "$T/tib.scn" -o "$T/tib.img" --layout="$T/tib.lay" || bad "1 TiB in 2 MiB folios"
eq "1 TiB blocks" "$(lkey "$T/tib.lay" blocks)" $((524288 + 2048 + 5 + 6))
if [ -n "$MK_SCALE" ]; then
	cat > "$T/big.scn" <<'SCN'
generation = g4
[luo]
[session big]
[file]
compatible = memfd-v2
folios = 16777216 x order0
SCN
	"$MK" "$T/big.scn" -o "$T/big.img" --layout="$T/big.lay" || bad "16M folios"
	eq "16M folio array pages" "$(awk '$2 ~ /folios.area$/ { print $4 }' "$T/big.lay")" 0x10000000
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
