#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Messages a user reads: ambiguous command and option prefixes, memmap on a
# broken memory map, --page-size against the image's KHO note, an inferred
# target table in text, plurals and human-readable sizes.  Every expected
# message is written from the rule it states (the command table, the
# scenario), never copied from a run.  Prints "N passed, M failed".
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
S=$top/tests/scenarios
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

# same NAME GOT WANT
same() {
	if [ "$2" = "$3" ]; then ok; else
		fail "$1: got '$2', want '$3'"
	fi
}

# --------------------------------------------- ambiguous prefixes
# The command table: dump check memmap browse compat-table preflight diff
# capture checks plugins help.  d, c and p start more than one of them.
amb() {
	expect_exit "'$1' is ambiguous: exit" 2 "$KI" "$1" x.img
	same "'$1' is ambiguous: message" "$(cat "$T/err")" \
		"kho-inspect: ambiguous command '$1' (could be $2)"
	check "'$1' is ambiguous: stdout empty" [ ! -s "$T/out" ]
}
amb d "dump, diff"
amb c "check, compat-table, capture, checks"
amb p "preflight, plugins"
expect_exit "help d: exit" 2 "$KI" help d
same "help d: message" "$(cat "$T/err")" \
	"kho-inspect: ambiguous command 'd' (could be dump, diff)"
expect_exit "-j d: exit" 2 "$KI" -j d x.img
same "-j d: JSON error" "$(json_get "$T/out" 'd["error"]')" \
	"ambiguous command 'd' (could be dump, diff)"
# Unambiguous prefixes still work.
expect_exit "du is dump" 0 "$KI" du --help
contains "du is dump: its help" "$T/out" "Usage: kho-inspect dump"
expect_exit "pl is plugins" 0 "$KI" pl --help
contains "pl is plugins: its help" "$T/out" "Usage: kho-inspect plugins"
expect_exit "pr is preflight" 0 "$KI" pr --help
contains "pr is preflight: its help" "$T/out" "Usage: kho-inspect preflight"
# Long options: --p starts --pretty, --plugin-dir and --page-size (the
# common options, in the order of kho-inspect --help).
expect_exit "--p is ambiguous: exit" 2 "$KI" check --p x.img
same "--p is ambiguous: message" "$(cat "$T/err")" \
	"kho-inspect: check: ambiguous option '--p' (could be --pretty, --plugin-dir, --page-size)"
expect_exit "--p before the command" 2 "$KI" --p check x.img
same "--p before the command: message" "$(cat "$T/err")" \
	"kho-inspect: ambiguous option '--p' (could be --pretty, --plugin-dir, --page-size)"
expect_exit "--zz is unknown" 2 "$KI" check --zz x.img
same "--zz is unknown: message" "$(cat "$T/err")" \
	"kho-inspect: check: unknown option '--zz'"
# The man page no longer calls 'd' dump.
lacks "man: d is not dump" "$top/man/kho-inspect.1" '"kho-inspect d" " is " "kho-inspect dump"'
contains "man: d is ambiguous" "$top/man/kho-inspect.1" ".BR dump \" or \" diff ,"

# ------------------------------------------ memmap on a broken map
# memmap/memmap-radix-corrupt.scn with the cycle of its header: slot 38 of the L1
# node under root[2][0][0][0] points back at the root node.  The listing
# still has the scenario's blocks, and stderr says why the exit is 1.
printf '%s\n' 'break radix.root[2][0][0][0][38] = @map.radix.root' |
	cat "$S/memmap/memmap-radix-corrupt.scn" - >"$T/cyc.scn"
if "$MK" "$T/cyc.scn" -o "$T/cyc.img" --layout="$T/cyc.layout" 2>/dev/null; then
	root=$(sed -n 's/^memory_map //p' "$T/cyc.layout")
	l1=$(awk '$1 == "obj" && $2 ~ /^map\.radix\[[0-9]+\]\.L1$/ { print $3; exit }' "$T/cyc.layout")
	expect_exit "memmap cycle: exit" 1 "$KI" memmap "$T/cyc.img"
	sed -n 's/^block //p' "$T/cyc.layout" | sort >"$T/cyc.want"
	sort "$T/out" >"$T/cyc.got"
	check "memmap cycle: blocks still listed" cmp -s "$T/cyc.want" "$T/cyc.got"
	same "memmap cycle: stderr" "$(cat "$T/err")" "kho-inspect: memmap: $T/cyc.img: 1 error; the list of blocks may be incomplete:
[error] radix.cycle /memory-map @$root: slot 38 of node $l1 points back to node $root on its own path (cycle); edge ignored [consequence: unknown]"
	expect_exit "memmap -j cycle: exit" 1 "$KI" memmap -j "$T/cyc.img"
	check "memmap -j cycle: stdout holds the blocks" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"] == "broken" and len(d["blocks"]) == 3, d' "$T/out"
	contains "memmap -j cycle: stderr says why" "$T/err" \
		"kho-inspect: memmap: $T/cyc.img: 1 error; the list of blocks may be incomplete:"
else
	fail "mkimage cyc"
fi
# A truncated sample: exit 2, and stderr counts the unknown findings that
# check reports for the same image, then lists them.
"$MK" "$S/sample.scn" -o "$T/full.img" 2>/dev/null || fail "mkimage sample"
head -c 100000 "$T/full.img" >"$T/trunc.img"
"$KI" check -j "$T/trunc.img" >"$T/trunc.json" 2>/dev/null
nu=$(json_get "$T/trunc.json" 'd["summary"]["unknown"]')
expect_exit "memmap truncated: exit" 2 "$KI" memmap "$T/trunc.img"
same "memmap truncated: first stderr line" "$(head -n 1 "$T/err")" \
	"kho-inspect: memmap: $T/trunc.img: $nu unknown findings; the list of blocks may be incomplete:"
same "memmap truncated: one line per unknown finding" \
	"$(grep -c '^\[unknown\] ' "$T/err")" "$nu"
# A clean map: nothing on stderr.
"$MK" "$S/memmap/memmap-radix-corrupt.scn" -o "$T/clean.img" 2>/dev/null || fail "mkimage clean"
expect_exit "memmap clean: exit" 0 "$KI" memmap "$T/clean.img"
check "memmap clean: stderr empty" [ ! -s "$T/err" ]

# ------------------------------------------ --page-size against the note
# An image built with page_size=16384 says so in NT_KHO_INFO PAGE_SIZE.
"$MK" "$S/memmap/memmap-basic.scn" -o "$T/p16.img" --set generation=g4 \
	--set page_size=16384 2>/dev/null || fail "mkimage p16"
expect_exit "p16 without --page-size" 0 "$KI" check "$T/p16.img"
cp "$T/out" "$T/p16.plain"
expect_exit "--page-size 16384 agrees" 0 "$KI" check --page-size 16384 "$T/p16.img"
check "--page-size 16384: same output" cmp -s "$T/out" "$T/p16.plain"
expect_exit "--page-size 4096 contradicts" 2 "$KI" check --page-size 4096 "$T/p16.img"
same "--page-size 4096: message" "$(cat "$T/err")" \
	"kho-inspect: check: --page-size 4096 contradicts the image, whose NT_KHO_INFO PAGE_SIZE says 16384; drop the option or fix the image"
check "--page-size 4096: nothing on stdout" [ ! -s "$T/out" ]
expect_exit "global --page-size 65536 contradicts" 2 "$KI" --page-size 65536 memmap "$T/p16.img"
same "global --page-size 65536: message" "$(cat "$T/err")" \
	"kho-inspect: memmap: --page-size 65536 contradicts the image, whose NT_KHO_INFO PAGE_SIZE says 16384; drop the option or fix the image"
expect_exit "--page-size -j contradicts" 2 "$KI" dump -j --page-size 4096 "$T/p16.img"
same "--page-size -j: JSON error" "$(json_get "$T/out" 'd["error"]')" \
	"dump: --page-size 4096 contradicts the image, whose NT_KHO_INFO PAGE_SIZE says 16384; drop the option or fix the image"
# A bare FDT states no page size: the option is what it is for.
"$MK" -f fdt "$S/memmap/memmap-basic.scn" -o "$T/bare.fdt" --set generation=g4 \
	--set page_size=16384 2>/dev/null || fail "mkimage bare fdt"
# (exit 2 either way: a bare FDT holds none of the memory it points at.)
"$KI" dump --page-size 16384 "$T/bare.fdt" >"$T/out" 2>"$T/err"
lacks "bare FDT: --page-size accepted" "$T/err" "contradicts"
contains "bare FDT: page size used" "$T/out" "page size 16 KiB"

# ------------------------------------------- plurals and human sizes
# One preserved block that no object accounts for: singular, and 4 KiB.
printf 'generation = g4\npreserve 0x123456000 0\n' >"$T/one.scn"
"$MK" "$T/one.scn" -o "$T/one.img" 2>/dev/null || fail "mkimage one"
expect_exit "one block: check" 0 "$KI" check "$T/one.img"
same "one block: finding and summary" "$(cat "$T/out")" "[note] memmap.unattributed /unattributed: 1 preserved block (4 KiB) is not accounted for by any decoded object (drivers such as IOMMU may own them) [consequence: none]
summary: 0 errors, 0 unknown, 0 warnings, 1 note; 1 unattributed block (4 KiB)"
lacks "one block: no '1 preserved blocks'" "$T/out" "1 preserved blocks"
# 1 TiB (order 28 of 4 KiB pages) plus 8 MiB (order 11): 1073750016 KiB
# exactly, shown as about 1 TiB; the root FDT page makes a third block.
printf 'generation = g4\npreserve 0x10000000000 28\npreserve 0x20000000000 11\n' >"$T/tib.scn"
"$MK" "$T/tib.scn" -o "$T/tib.img" 2>/dev/null || fail "mkimage tib"
expect_exit "1 TiB: check" 0 "$KI" check "$T/tib.img"
same "1 TiB: finding and summary" "$(cat "$T/out")" "[note] memmap.unattributed /unattributed: 2 preserved blocks (~1 TiB) are not accounted for by any decoded object (drivers such as IOMMU may own them) [consequence: none]
summary: 0 errors, 0 unknown, 0 warnings, 1 note; 2 unattributed blocks (~1 TiB)"
lacks "1 TiB: no KiB count" "$T/out" "1073750016 KiB"
expect_exit "1 TiB: dump" 0 "$KI" dump "$T/tib.img"
contains "1 TiB: memory map line" "$T/out" "memory map: radix, 3 blocks, ~1 TiB, orders 0:1 11:1 28:1"
expect_exit "1 TiB: check -j" 0 "$KI" check -j "$T/tib.img"
same "1 TiB: JSON keeps the exact bytes" \
	"$(json_get "$T/out" 'd["summary"]["unattributed_bytes"]')" \
	$(((1 << 40) + (8 << 20)))

finish
