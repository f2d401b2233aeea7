#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Generates the fuzz seed corpus and the per-target plans with kho-mkimage.
# Nothing here is committed: every seed is rebuilt from the scenarios.
#
#   tests/fuzz/seeds.sh MKIMAGE OUTDIR
#
# Writes OUTDIR/img/ (base images and layouts), OUTDIR/seeds/TARGET/ (seed
# inputs) and OUTDIR/plans/TARGET.plan (read by tests/fuzz/fuzz_target.c).
#
# Base images: tests/fuzz/fuzz-all.scn and tests/scenarios/sample.scn in
# every generation, fuzz-all.scn with every LUO version, and 16 KiB-page
# and big-endian variants.  The image targets also get every scenario of
# tests/scenarios (up to 512 KiB) and the bare-FDT and kcore forms.
set -eu
MK=$1
OUT=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
GENS="g1a g1b g1c g2 g2b g3 g4 rfc"
LUOS="v1 v2 v3 v4 v5 rfc feature"
MAXIMG=524288

rm -rf "$OUT/img" "$OUT/seeds" "$OUT/plans"
mkdir -p "$OUT/img" "$OUT/seeds" "$OUT/plans"

# Each region target (rootmem, the host's vmalloc and blocks services, one
# per plugin): NAME and an ERE over layout object names.  Only the regions a
# target names are mutated; the rest of the image stays valid.
TARGETS='
rootmem ^root_fdt$
luo ^(luo_fdt|luo_ser|luo\.sessions|luo\.flb|session\[[0-9]+\]\.files)
memfd \.memfd(\.folios\.(area|chunk\[[0-9]+\]))?$
vmalloc \.(folios|folios_info|mem_attrs)\.(area|chunk\[[0-9]+\])$
blocks \.block\[[0-9]+\]$
radix ^map\.radix\[[0-9]\]\.
memmap_v1 ^map\.v1\.
memblock ^memblock$
kexec_metadata ^kexec-metadata$
kho_test ^kho_test(\.folios_info\.(area|chunk\[[0-9]+\]))?$
kvm \.(gmem|kvm)(\.(folios|mem_attrs)\.(area|chunk\[[0-9]+\]))?$
pci \.pci$|^luo\.flb$
luo_test_flb ^luo\.flb$
'

nbase=0
base() { # NAME SCENARIO [mkimage args...]
	n=$1
	s=$2
	shift 2
	if "$MK" "$s" -o "$OUT/img/$n.img" --layout="$OUT/img/$n.lay" "$@" \
		2>"$OUT/img/$n.err"; then
		echo "$n" >>"$OUT/img/bases"
		nbase=$((nbase + 1))
	else
		echo "seeds.sh: skipping $n: $(head -n 1 "$OUT/img/$n.err")" >&2
	fi
}

: >"$OUT/img/bases"
for g in $GENS; do
	base "all-$g" "$top/tests/fuzz/fuzz-all.scn" --set generation=$g
	base "sample-$g" "$top/tests/scenarios/sample.scn" --set generation=$g
done
for v in $LUOS; do
	base "all-luo-$v" "$top/tests/fuzz/fuzz-all.scn" --set luo:version=$v
done
base all-g1c-16k "$top/tests/fuzz/fuzz-all.scn" --set generation=g1c \
	--set page_size=16384
base all-g4-16k "$top/tests/fuzz/fuzz-all.scn" --set page_size=16384
base all-g1c-be "$top/tests/fuzz/fuzz-all.scn" --set generation=g1c \
	--set byte_order=big
base all-g4-be "$top/tests/fuzz/fuzz-all.scn" --set byte_order=big
base all-rfc-be "$top/tests/fuzz/fuzz-all.scn" --set generation=rfc \
	--set byte_order=big

# Raw targets: the image reader sees whole files, the root walker bare FDTs.
mkdir -p "$OUT/seeds/image" "$OUT/seeds/root"
echo raw >"$OUT/plans/image.plan"
echo raw >"$OUT/plans/root.plan"
for n in $(cat "$OUT/img/bases"); do
	cp "$OUT/img/$n.img" "$OUT/seeds/image/$n.img"
done
for s in "$top"/tests/scenarios/*.scn "$top"/tests/scenarios/*/*.scn; do
	n=$(basename "$s" .scn)
	"$MK" "$s" -o "$OUT/seeds/image/scn-$n.img" 2>/dev/null || continue
	[ "$(wc -c <"$OUT/seeds/image/scn-$n.img")" -le $MAXIMG ] ||
		rm -f "$OUT/seeds/image/scn-$n.img"
done
for g in $GENS; do
	"$MK" "$top/tests/fuzz/fuzz-all.scn" --set generation=$g --format fdt \
		-o "$OUT/seeds/root/$g.dtb" 2>/dev/null || true
	"$MK" "$top/tests/scenarios/sample.scn" --set generation=$g \
		--format fdt -o "$OUT/seeds/root/sample-$g.dtb" 2>/dev/null || true
	cp "$OUT/seeds/root/$g.dtb" "$OUT/seeds/image/fdt-$g.dtb" 2>/dev/null || true
done
"$MK" "$top/tests/fuzz/fuzz-all.scn" --format kcore \
	-o "$OUT/seeds/image/kcore-g4.img" 2>/dev/null || true
[ "$(wc -c <"$OUT/seeds/image/kcore-g4.img" 2>/dev/null || echo 0)" -le $MAXIMG ] ||
	rm -f "$OUT/seeds/image/kcore-g4.img"

# Region targets: one plan line per base, then its regions.  A seed is the
# base's index byte followed by the original bytes of its regions.  Regions
# are capped at 8 KiB each and 48 KiB per base; overlaps are dropped.
printf '%s\n' "$TARGETS" | while read -r t re; do
	[ -n "$t" ] || continue
	mkdir -p "$OUT/seeds/$t"
	plan="$OUT/plans/$t.plan"
	: >"$plan"
	i=0
	for n in $(cat "$OUT/img/bases"); do
		regs=$(awk -v re="$re" '
			function num(s,   v, i, c) {
				if (s !~ /^0x/) return s + 0
				v = 0
				for (i = 3; i <= length(s); i++) {
					c = index("0123456789abcdef", tolower(substr(s, i, 1)))
					v = v * 16 + c - 1
				}
				return v
			}
			$1 == "obj" && $6 != "-" && $2 ~ re {
				off = num($6); len = num($4)
				if (len > 8192) len = 8192
				if (len == 0) next
				for (k in seen) {
					split(seen[k], p, " ")
					if (off < p[1] + p[2] && p[1] < off + len) next
				}
				if (total + len > 49152) len = 49152 - total
				if (len <= 0) exit
				seen[off] = off " " len
				total += len
				print off, len
			}' "$OUT/img/$n.lay")
		[ -n "$regs" ] || continue
		echo "base $OUT/img/$n.img" >>"$plan"
		seed="$OUT/seeds/$t/$n"
		printf "\\$(printf '%03o' $((i % 256)))" >"$seed"
		printf '%s\n' "$regs" | while read -r off len; do
			echo "region $off $len" >>"$plan"
			tail -c +$((off + 1)) "$OUT/img/$n.img" |
				head -c "$len" >>"$seed"
		done
		i=$((i + 1))
	done
	[ "$i" -gt 0 ] || echo "seeds.sh: target $t has no region" >&2
done
echo "seeds.sh: $nbase base images, $(ls "$OUT/seeds" | wc -l) targets"
