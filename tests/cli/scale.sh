#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Functional checks of the fast paths used at fleet scale (no timing: the
# figures are `make bench`'s job).  The memfd folio pass claims folios in
# batches (claim_blocks: one radix look-up per folio through a per-order leaf
# cache, and a word at a time for physically consecutive folios); the
# memory-map passes take up to 64 blocks of one order at once.  These must
# decode exactly what a block-by-block walk would:
#   - a memfd with 1,048,576 order-0 folios: every folio decoded and
#     attributed, no finding;
#   - 1,024 order-9 folios (2 GiB, the "huge" shape): same;
#   - a run of consecutive folios broken by one unpreserved folio (order 0
#     and order 9): exactly that folio is reported, all others attributed;
#   - mixed orders and unattributed ranges: `memmap` lists every block once,
#     in ascending order, and the totals match the summary.
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

HDR='generation = g4

[luo]
version = v5
serialized = yes

[session s]
[file]
compatible = memfd-v2
token = 1'

# summary_is NAME FILE "N error(s), M warning(s)" UNATTRIBUTED
summary_is() {
	contains "$1 summary" "$2" "summary: $3,"
	contains "$1 unattributed" "$2" "; $4 unattributed blocks"
}

# ---- 1M order-0 folios
if mkimg big "$HDR
folios = 1048576 x order0"; then
	expect_exit "1M check" 0 "$KI" check "$T/big.img"
	summary_is "1M" "$T/out" "0 errors, 0 unknown, 0 warnings" 0
	"$KI" dump "$T/big.img" >"$T/big.dump" 2>&1
	contains "1M nr_folios" "$T/big.dump" "nr_folios: 1048576"
	contains "1M table" "$T/big.dump" "table folios: 1048576 rows"
	# every folio is a block of the map (plus a few metadata pages)
	n=$("$KI" memmap "$T/big.img" | awk '$2 == 0' | wc -l)
	check "1M order-0 blocks ($n >= 1048576)" [ "$n" -ge 1048576 ]
	# (the 4096 pages of the folio array itself are order-0 blocks too)
	check "1M order-0 blocks ($n < 1056768)" [ "$n" -lt 1056768 ]
fi

# ---- 1024 order-9 folios
if mkimg huge "$HDR
folios = 1024 x order9"; then
	expect_exit "order-9 check" 0 "$KI" check "$T/huge.img"
	summary_is "order-9" "$T/out" "0 errors, 0 unknown, 0 warnings" 0
	"$KI" dump "$T/huge.img" >"$T/huge.dump" 2>&1
	contains "order-9 table" "$T/huge.dump" "table folios: 1024 rows"
	contains "order-9 folio order" "$T/huge.dump" "0x500200000  9"
fi

# ---- a consecutive run broken by one unpreserved folio (unpreserve acts
# after layout, so the folio addresses do not move)
for o in 0 9; do
	sz=$((4096 << o))
	if mkimg run$o "$HDR
folios = 300 x order$o"; then
		"$MK" "$T/run$o.scn" -o "$T/run$o.tmp" --layout="$T/run$o.lay" \
			2>/dev/null
		base=$(awk '$1 == "obj" && $2 ~ /memfd\.folio\[0\]$/ { print $3 }' \
			"$T/run$o.lay")
		hole=$(printf '0x%x' $((base + 100 * sz)))
		printf 'unpreserve %s %s\n' "$hole" "$o" >>"$T/run$o.scn"
		"$MK" "$T/run$o.scn" -o "$T/run$o.img" 2>/dev/null ||
			fail "mkimage run$o"
		expect_exit "run order $o check" 1 "$KI" check "$T/run$o.img"
		summary_is "run order $o" "$T/out" "1 error, 0 unknown, 0 warnings" 0
		n=$(grep -c 'memfd.folio-unpreserved' "$T/out")
		check "run order $o: one unpreserved finding ($n)" [ "$n" -eq 1 ]
		contains "run order $o: folio 100" "$T/out" \
			"folio 100 (index $((100 << o))) at $hole is not a preserved block"
	fi
done

# ---- mixed orders, unattributed ranges: the merged block list
if mkimg mixed "generation = g4
preserve_range 0x600001000 0x3000000
preserve 0x700000000 0
preserve 0x700001000 0
preserve 0x700200000 9

[luo]
version = v5
serialized = yes

[session s]
[file]
compatible = memfd-v2
token = 1
folios = 100 x order0
folios = 130 x order3
folios = 70 x order0
folios = 5 x order9"; then
	expect_exit "mixed check" 0 "$KI" check "$T/mixed.img"
	contains "mixed unattributed" "$T/out" "; 18 unattributed blocks"
	"$KI" memmap "$T/mixed.img" >"$T/mm" 2>&1
	"$KI" memmap --unattributed "$T/mixed.img" >"$T/mmu" 2>&1
	n=$(wc -l <"$T/mmu")
	check "mixed --unattributed lists 18 ($n)" [ "$n" -eq 18 ]
	check "mixed memmap ascending, no duplicate" sh -c \
		'python3 -c "
import sys
a = [int(l.split()[0], 16) for l in open(sys.argv[1])]
sys.exit(0 if a == sorted(set(a)) and len(a) > 300 else 1)" "$1"' _ "$T/mm"
	"$KI" -j check "$T/mixed.img" >"$T/mixed.json" 2>&1
	got=$(json_get "$T/mixed.json" 'd["summary"]["unattributed_bytes"]')
	want=$(awk '{ s += 4096 * 2 ^ $2 } END { printf "%d\n", s }' "$T/mmu")
	check "mixed unattributed bytes ($got = $want)" [ "$got" = "$want" ]
fi

finish
