#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The root KHO FDT across generations (spec 9.1) and its invariants
# (spec 11.2, items 4 to 8), on images built with kho-mkimage.  Expected
# values come from the scenarios, never from kho-inspect itself.
# Prints "N passed, M failed" and exits non-zero on any failure.

set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

base='[kexec-metadata]
previous_release = 6.19.0-root
kexec_count = 2
[memblock]
region = trace auto 1M'

# generation -> expected root compatible and generation name
for spec in "g1a kho-v1 G1a" "g1b kho-v1 G1b" "g1c kho-v1 G1c" \
	"g2 kho-v2 G2" "g2b kho-v2 G2b" "g3 kho-v3 G3" "g4 kho-v4 G4" \
	"rfc kho-v4;radix-v1;vmalloc-v1 RFC"; do
	set -- $spec
	gen=$1 wcompat=$2 wgen=$3
	# g1a/g1b images have no kexec-metadata (it came with blob-size).
	case $gen in
	g1*|g2) body='[memblock]
region = trace auto 1M' ;;
	*) body=$base ;;
	esac
	mkimg "$gen" "generation = $gen
$body" || continue
	expect_exit "$gen clean" 0 "$KI" dump --json "$T/$gen.img"
	check "$gen root compatible" [ "$(json_get "$T/out" 'd["root"]["compatible"]')" = "$wcompat" ]
	check "$gen generation" [ "$(json_get "$T/out" 'd["root"]["generation"]')" = "$wgen" ]
	check "$gen memblock decoded" [ "$(json_get "$T/out" '[c["kind"] for c in d["objects"][0]["children"]].count("memblock")')" = 1 ]
done

# Each corruption: scenario lines, expected check id.
corrupt() {
	cname=$1 lines=$2 id=$3
	mkimg "$cname" "generation = g4
$lines
$base" || return
	expect_exit "$cname exit" 1 "$KI" check "$T/$cname.img"
	contains "$cname check id" "$T/out" "$id"
}

corrupt blob-size-missing 'break node:memblock.blob-size = delete' root.blob-size-missing
corrupt map-zero 'break root.preserved-memory-map = 0' root.memmap-zero
corrupt map-unaligned 'break root.preserved-memory-map = add:8' root.memmap-unaligned
corrupt subnode-null 'break node:memblock.preserved-data = 0' root.subnode-null
corrupt prop-size 'break node:memblock.preserved-data = u32:4096' root.prop-size
corrupt root-unpreserved 'preserve_root_fdt = no' coverage.not-preserved
corrupt totalsize 'break root.totalsize = 0x2000' root.too-large
corrupt unknown-compat 'root_compatible = kho-v9' root.unknown-compat
corrupt composite-order 'root_compatible = kho-v4;vmalloc-v1;radix-v1' root.composite-order

# The memory-map pointer missing altogether.
corrupt map-missing 'break root.preserved-memory-map = delete' root.no-memmap

finish
