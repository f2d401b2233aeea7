#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# How the page size is decided without --page-size (issue 14): our KHO
# note, VMCOREINFO, the ELF machine, and last the structures themselves,
# tried at 4, 16 and 64 KiB.  A dump where more than one size fits says
# "unknown" and names the candidates; it never reports the corruption a
# wrong guess would read.  Prints "N passed, M failed".
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
SCN=$top/tests/scenarios/memfd
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

# facts FILE: the dump JSON without the image header and the finding that
# only says how the page size was decided.
facts() {
	python3 - "$1" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["check"] != "image.page-size-structure"]
s = dict(d["summary"])
print(json.dumps({"root": d["root"], "objects": d["objects"], "findings": f},
                 sort_keys=True))
PYEOF
}

# ---------------------- the structures decide: an arm64 dump, no notes
# QEMU's dump of an arm64 guest carries neither our note nor VMCOREINFO;
# its root FDT is left unpacked, one whole page, as the kernel leaves it.
for ps in 4096 16384 65536; do
	n=arm$ps
	if ! "$MK" "$SCN/memfd-v2.scn" -f kcore -s machine=aarch64 -s page_size=$ps \
		-s root_fdt_full_page=yes -o "$T/$n.elf" 2>"$T/$n.mkerr"; then
		fail "mkimage $n"
		continue
	fi
	expect_exit "$n: dump --scan without --page-size" 0 \
		"$KI" dump --json --scan "$T/$n.elf"
	cp "$T/out" "$T/$n.json"
	check "$n: page size $ps" \
		[ "$(json_get "$T/$n.json" 'd["image"]["page_size"]')" = "$ps" ]
	check "$n: decided from the structures" \
		[ "$(json_get "$T/$n.json" 'd["image"]["page_size_source"]')" = structure ]
	check "$n: says how, as a note" \
		has_finding "$T/$n.json" image.page-size-structure note none
	"$KI" dump --json --scan "$T/$n.elf" > "$T/$n.auto" 2>/dev/null
	"$KI" dump --json --scan --page-size $ps "$T/$n.elf" > "$T/$n.hint" 2>/dev/null
	check "$n: decodes exactly as with --page-size $ps" \
		[ "$(facts "$T/$n.auto")" = "$(facts "$T/$n.hint")" ]
	# What a guess would have cost: every other size reads errors.
	for wrong in 4096 16384 65536; do
		[ $wrong = $ps ] && continue
		expect_exit "$n: --page-size $wrong reads corruption" 1 \
			"$KI" check --scan --page-size $wrong "$T/$n.elf"
	done
	"$KI" check --scan "$T/$n.elf" > "$T/$n.txt" 2>&1
	contains "$n: text names the page size source" "$T/$n.txt" \
		"page size $ps decided from the structures: no note or machine states it"
done
"$KI" dump --scan "$T/arm16384.elf" > "$T/arm16384.dump" 2>&1
contains "text header: how the page size was decided" "$T/arm16384.dump" \
	"page size 16 KiB (from the structures)"

# A root FDT 16 KiB but not 64 KiB aligned (the layout places it) rules
# 64 KiB out before any decode: the kernel allocates it as one page.
if "$MK" "$SCN/memfd-v2.scn" -f kcore -s machine=aarch64 -s page_size=16384 \
	-s ram_base=0x100004000 -o "$T/odd.elf" --layout="$T/odd.lay" 2>/dev/null; then
	check "odd: the layout puts the root FDT off a 64 KiB boundary" \
		[ "$(awk '$1 == "root_fdt" { print $2 }' "$T/odd.lay")" = 0x100004000 ]
	"$KI" check --scan "$T/odd.elf" > "$T/odd.txt" 2>&1
	contains "odd: 64 KiB is not tried" "$T/odd.txt" \
		"64 KiB: the root FDT is not aligned to it)"
else
	fail "mkimage odd"
fi

# The root FDT of a 16 KiB kernel fills 16 KiB: --scan must not bound it
# by 4 KiB (it found nothing on the real arm64 dump before).
check "--scan finds a root FDT larger than 4 KiB" \
	[ "$(json_get "$T/arm16384.json" 'd["objects"][0]["fields"]["totalsize"]')" = 16384 ]

# ------------------------------------------------- the stated sources
src_of() {
	"$KI" dump --json "$@" 2>/dev/null |
		python3 -c 'import json,sys; i=json.load(sys.stdin)["image"]; print(i["page_size_source"], i["page_size"])'
}
"$MK" "$SCN/memfd-v2.scn" -s page_size=16384 -o "$T/note.elf" 2>/dev/null || fail "mkimage note"
check "NT_KHO_INFO decides" [ "$(src_of "$T/note.elf")" = "kho-note 16384" ]
check "--page-size is the option" [ "$(src_of --page-size 16384 "$T/note.elf")" = "option 16384" ]
"$MK" "$SCN/memfd-v2.scn" -f kcore -s machine=aarch64 -s page_size=65536 \
	-s vmcoreinfo=yes -o "$T/vmci.elf" 2>/dev/null || fail "mkimage vmci"
check "VMCOREINFO PAGESIZE decides" [ "$(src_of --scan "$T/vmci.elf")" = "vmcoreinfo 65536" ]
"$MK" "$SCN/memfd-v2.scn" -f kcore -o "$T/x86.elf" 2>/dev/null || fail "mkimage x86"
check "x86-64 is always 4 KiB" [ "$(src_of --scan "$T/x86.elf")" = "elf-machine 4096" ]
"$MK" "$SCN/memfd-v2.scn" -f fdt -o "$T/bare.fdt" 2>/dev/null || fail "mkimage fdt"
check "a bare FDT holds no memory to decide by" [ "$(src_of "$T/bare.fdt")" = "default 4096" ]

# ------------------------------------ more than one size fits: unknown
# Only the root FDT's own page is in the dump, and that FDT is packed (a
# full-page one would itself rule 4 KiB out: root.too-large): the memory
# map and all it leads to are not captured, so 4 and 16 KiB both read no
# error.  64 KiB is ruled out by the memory map's root node, 16 KiB but
# not 64 KiB aligned (root.memmap-unaligned and radix.unaligned-node).
"$MK" "$SCN/memfd-v2.scn" -f kcore -s machine=aarch64 -s page_size=16384 \
	-o "$T/packed.elf" 2>/dev/null || fail "mkimage packed"
"$KI" dump --json --scan --page-size 16384 "$T/packed.elf" > "$T/packed.json" 2>/dev/null
phys=$(json_get "$T/packed.json" 'd["objects"][0]["phys"]')
python3 "$top/tests/cli/elf_window.py" "$T/packed.elf" "$T/win.elf" "$phys" 16384 ||
	fail "elf_window.py"
expect_exit "undecidable page size: exit 2 (an answer the input cannot give)" 2 \
	"$KI" dump --json --scan "$T/win.elf"
cp "$T/out" "$T/win.json"
check "undecidable: page_size_source unknown" \
	[ "$(json_get "$T/win.json" 'd["image"]["page_size_source"]')" = unknown ]
check "undecidable: an unknown finding" \
	has_finding "$T/win.json" image.page-size-unknown unknown unknown
check "undecidable: no error from the guess" \
	[ "$(json_get "$T/win.json" 'd["summary"]["errors"]')" = 0 ]
"$KI" check --scan "$T/win.elf" > "$T/win.txt" 2>&1
contains "undecidable: names the candidates" "$T/win.txt" \
	"[unknown] image.page-size-unknown /: page size unknown: 4096 and 16384 fit the structures equally well (4 KiB: 0 errors, 16 KiB: 0 errors, 64 KiB: 2 errors); decoded at 4096, pass --page-size to decide"
expect_exit "undecidable: --page-size decides" 2 \
	"$KI" check --scan --page-size 16384 "$T/win.elf"
lacks "undecidable: with --page-size, no page-size finding" "$T/out" page-size-unknown
# capture writes the page size into its note: it will not write a guess.
expect_exit "undecidable: capture refuses" 2 \
	"$KI" capture --from "$T/win.elf" --scan -o "$T/win.img"
contains "undecidable: capture says why" "$T/err" \
	"the page size is unknown (more than one fits the structures; see \`check\`): pass --page-size"
# ... and states the decided one in the compact image.
"$KI" capture --from "$T/arm65536.elf" --scan -o "$T/arm65536.img" 2>/dev/null ||
	fail "capture of the 64 KiB dump"
check "capture states the decided page size in its note" \
	[ "$(src_of "$T/arm65536.img")" = "kho-note 65536" ]

finish
