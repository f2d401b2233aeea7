#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Note types (kho-image(5) NOTES): our notes are "KHO" notes of types
# 0x4b484f01..03 ('K' 'H' 'O' n), which no core reader names, so readelf
# no longer calls NT_KHO_INFO "NT_PRSTATUS".  Images with the first types
# (1, 2, 3: kho-mkimage note_types = legacy, and the committed captures in
# tests/real) still decode, to the same result.
# Prints "N passed, M failed, K skipped".
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
S=$top/tests/scenarios
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

if ! command -v readelf >/dev/null 2>&1; then
	skip "readelf not installed: note types as binutils shows them"
	finish
	exit
fi

# sample.scn with the FDT and sub-blob notes too: all three types.
for nt in current legacy; do
	"$MK" "$S/sample.scn" -o "$T/$nt.img" --set fdt_note=yes \
		--set subblob_notes=yes --set note_types=$nt 2>"$T/mk.err" ||
		fail "mkimage note_types=$nt"
	readelf -n "$T/$nt.img" >"$T/$nt.notes" 2>&1
done
# The three types, once each for INFO and FDT, per sub-node for SUBBLOB.
n1=$(grep -c '^ *KHO .*Unknown note type: (0x4b484f01)' "$T/current.notes")
n2=$(grep -c '^ *KHO .*Unknown note type: (0x4b484f02)' "$T/current.notes")
n3=$(grep -c '^ *KHO .*Unknown note type: (0x4b484f03)' "$T/current.notes")
nkho=$(grep -c '^ *KHO ' "$T/current.notes")
check "current: one NT_KHO_INFO (0x4b484f01)" [ "$n1" -eq 1 ]
check "current: one NT_KHO_FDT (0x4b484f02)" [ "$n2" -eq 1 ]
check "current: NT_KHO_SUBBLOBs (0x4b484f03)" [ "$n3" -ge 1 ]
check "current: every KHO note is one of the three" [ "$nkho" -eq $((n1 + n2 + n3)) ]
for name in NT_PRSTATUS NT_PRFPREG NT_PRPSINFO; do
	lacks "current: readelf does not say $name" "$T/current.notes" "$name"
done
# The legacy image really has the old types (what readelf misnames).
contains "legacy: readelf says NT_PRSTATUS" "$T/legacy.notes" "NT_PRSTATUS"
check "legacy: as many KHO notes" [ "$(grep -c '^ *KHO ' "$T/legacy.notes")" -eq "$nkho" ]

# Both decode to the same findings and tree.
for nt in current legacy; do
	"$KI" check "$T/$nt.img" >"$T/$nt.check" 2>&1
	echo "exit $?" >>"$T/$nt.check"
	"$KI" dump -j "$T/$nt.img" >"$T/$nt.json" 2>&1
done
lacks "current: decodes" "$T/current.check" "not a handover image"
contains "current: clean" "$T/current.check" "summary: 0 errors"
check "legacy check = current check" cmp -s "$T/legacy.check" "$T/current.check"
check "legacy dump = current dump" cmp -s "$T/legacy.json" "$T/current.json"

# A committed capture from a real kernel (tests/real/x86_64-4k/PROVENANCE)
# has the old types, and still decodes.
R=$top/tests/real/x86_64-4k/out.img
if [ -f "$R" ]; then
	readelf -n "$R" >"$T/real.notes" 2>&1
	contains "real capture: old type 1" "$T/real.notes" "NT_PRSTATUS"
	"$KI" dump "$R" >"$T/real.dump" 2>&1
	lacks "real capture: decodes" "$T/real.dump" "not a handover image"
	# FDT_PHYS is only in that note: finding the root means it was read.
	contains "real capture: root found through the type-1 note" "$T/real.dump" "root: kho-v4"
else
	skip "tests/real/x86_64-4k/out.img missing"
fi

# A bad value is a scenario error.
printf 'generation = g4\nnote_types = bogus\n' >"$T/bad.scn"
expect_exit "note_types bogus" 2 "$MK" "$T/bad.scn" -o "$T/bad.img"
contains "note_types bogus: message" "$T/err" \
	"kho-mkimage: $T/bad.scn:2: note_types must be current or legacy"

finish
