#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What a 7.2 kernel's debugfs and an incoming image really hold
# (kho-field-notes.md §7), on images built with kho-mkimage from
# tests/scenarios/debugfs/debugfs-7.2-{in,out}.scn:
#  - an incoming image (ELF with direction in, or a debugfs "in" directory)
#    whose luo_ser, session block, memfd data, kho_test folios and radix
#    nodes were freed and reused exits 0 with three notes; the same bytes in
#    an outgoing image are still errors;
#  - debugfs out/fdt, a 233-byte prefix of the 345-byte root FDT, is a note
#    and its sub_fdts/ blobs are decoded; a short in/fdt stays an error;
#  - the LUO test FLBs carry a magic value, not a pointer.
# Expected values come from the scenarios and the 7.2 source, never from
# kho-inspect's output.

set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
S="$top/tests/scenarios"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

# ids FILE SEVERITY: the sorted check ids of that severity in a --json check.
ids() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted(f["check"] for f in d["findings"]
                      if f["severity"] == sys.argv[2])))' "$1" "$2"
}

# same NAME GOT WANT
same() {
	if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi
}

# obj FILE PATH FIELD: a field of the object at PATH in a dump --json.
obj() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
def walk(o):
    yield o
    for c in o.get("children", []):
        yield from walk(c)
for top in d["objects"]:
    for o in walk(top):
        if o.get("path") == sys.argv[2]:
            v = o.get("fields", {}).get(sys.argv[3])
            print("" if v is None else v)
            sys.exit(0)' "$1" "$2" "$3"
}

consumed="kho-test.consumed luo.consumed root.memmap-consumed"

# ---------------------------------------------------- incoming ELF image
"$MK" "$S/debugfs/debugfs-7.2-in.scn" -o "$T/in.img" 2>"$T/mk.err" ||
	fail "mkimage debugfs-7.2-in (elf)"
expect_exit "incoming elf: check exit" 0 "$KI" check --json "$T/in.img"
cp "$T/out" "$T/in.chk"
same "incoming elf: notes" "$(ids "$T/in.chk" note)" "$consumed"
same "incoming elf: errors" "$(ids "$T/in.chk" error)" ""
same "incoming elf: warnings" "$(ids "$T/in.chk" warning)" ""
"$KI" dump --json "$T/in.img" >"$T/in.json" 2>/dev/null
same "incoming elf: LUO state" "$(obj "$T/in.json" /LUO state)" consumed
same "incoming elf: LUO first bytes" "$(obj "$T/in.json" /LUO first_bytes)" \
	kkkkkkkkkkkkkkkk
same "incoming elf: no memory map object" \
	"$(obj "$T/in.json" /memory-map format)" ""

# The same reused memory in an outgoing image is corruption.
sed 's/^direction = in$/direction = out/' "$S/debugfs/debugfs-7.2-in.scn" \
	>"$T/out.scn"
"$MK" "$T/out.scn" -o "$T/out.img" 2>"$T/mk.err" || fail "mkimage out"
expect_exit "outgoing garbage: check exit" 1 "$KI" check --json "$T/out.img"
cp "$T/out" "$T/out.chk"
for id in luo.bad-compat radix.bad-root-index radix.unaligned-node \
	coverage.not-preserved; do
	if has_error "$T/out.chk" "$id"; then ok; else
		fail "outgoing garbage: no error $id"
	fi
done
# lib/test_kho.c stops at the bad folio and leaks the rest: a warning.
check "outgoing garbage: kho-test.bad-folio is a warning" \
	has_sev "$T/out.chk" kho-test.bad-folio warning
lacks "outgoing garbage: no consumed note" "$T/out.chk" "consumed"

# ------------------------------------------------ incoming debugfs in/
mkdir -p "$T/k2"
"$MK" "$S/debugfs/debugfs-7.2-in.scn" -f debugfs -o "$T/k2/in" 2>"$T/mk.err" ||
	fail "mkimage debugfs-7.2-in (debugfs)"
same "debugfs in: sub_fdts/LUO is 32 bytes" \
	"$(wc -c <"$T/k2/in/sub_fdts/LUO" | tr -d ' ')" 32
same "debugfs in: in/fdt is 345 bytes" \
	"$(wc -c <"$T/k2/in/fdt" | tr -d ' ')" 345
expect_exit "debugfs in: check exit" 0 "$KI" check --json "$T/k2/in"
cp "$T/out" "$T/k2.chk"
same "debugfs in: notes" "$(ids "$T/k2.chk" note)" "$consumed"
same "debugfs in: errors" "$(ids "$T/k2.chk" error)" ""
"$KI" dump --json "$T/k2/in" >"$T/k2.json" 2>/dev/null
same "debugfs in: kexec-metadata release" \
	"$(obj "$T/k2.json" /kexec-metadata previous_release)" 7.2.13
same "debugfs in: kexec-metadata count" \
	"$(obj "$T/k2.json" /kexec-metadata kexec_count)" 1

# ------------------------------------------------- debugfs out/ prefix
mkdir -p "$T/k1"
"$MK" "$S/debugfs/debugfs-7.2-out.scn" -f debugfs -o "$T/k1/out" 2>"$T/mk.err" ||
	fail "mkimage debugfs-7.2-out"
same "debugfs out: out/fdt is 233 bytes" \
	"$(wc -c <"$T/k1/out/fdt" | tr -d ' ')" 233
same "debugfs out: sub_fdts/kexec-metadata is 73 bytes" \
	"$(wc -c <"$T/k1/out/sub_fdts/kexec-metadata" | tr -d ' ')" 73
expect_exit "debugfs out: check exit" 2 "$KI" check --json "$T/k1/out"
cp "$T/out" "$T/k1.chk"
same "debugfs out: errors" "$(ids "$T/k1.chk" error)" ""
contains "debugfs out: prefix note" "$T/k1.chk" '"root.debugfs-prefix"'
lacks "debugfs out: not truncated" "$T/k1.chk" root.truncated
"$KI" dump --json "$T/k1/out" >"$T/k1.json" 2>/dev/null
same "debugfs out: root totalsize" "$(obj "$T/k1.json" / totalsize)" 345
same "debugfs out: prefix bytes" "$(obj "$T/k1.json" / prefix_bytes)" 233
same "debugfs out: LUO compatible" "$(obj "$T/k1.json" /LUO compatible)" luo-v5
same "debugfs out: LUO liveupdate_num" \
	"$(obj "$T/k1.json" /LUO liveupdate_num)" 1
same "debugfs out: kexec-metadata release" \
	"$(obj "$T/k1.json" /kexec-metadata previous_release)" 7.2.13
same "debugfs out: kho_test magic" \
	"$(obj "$T/k1.json" /kho_test magic)" 0x4b484f21

# A short in/fdt is not a prefix by design: still root.truncated.
mkdir -p "$T/k3"
cp -r "$T/k1/out" "$T/k3/in"
expect_exit "short in/fdt: check exit" 1 "$KI" check --json "$T/k3/in"
cp "$T/out" "$T/k3.chk"
if has_error "$T/k3.chk" root.truncated; then ok; else
	fail "short in/fdt: no error root.truncated"
fi

# ------------------------------------------------------- LUO test FLBs
flbs='generation = g4
[luo]
flb = liveupdate-test-flb-v0 0xFEEDF00DCAFEBEE0 1
flb = liveupdate-test-flb-v1 0xFEEDF00DCAFEBEE1 1
flb = liveupdate-test-flb-v2 0xFEEDF00DCAFEBEE2 1
[session s]
[file]
compatible = memfd-v2
token = 1'
if mkimg flb "$flbs"; then
	expect_exit "test FLBs: check exit" 0 "$KI" check --json "$T/flb.img"
	cp "$T/out" "$T/flb.chk"
	lacks "test FLBs: no plugin.no-decoder" "$T/flb.chk" plugin.no-decoder
	"$KI" dump --json "$T/flb.img" >"$T/flb.json" 2>/dev/null
	same "test FLB v2 value ok" \
		"$(obj "$T/flb.json" /LUO/flbs/liveupdate-test-flb-v2 value_ok)" True
	same "test FLB v1 expected" \
		"$(obj "$T/flb.json" /LUO/flbs/liveupdate-test-flb-v1 expected_value)" \
		0xfeedf00dcafebee1
fi
if mkimg flbbad "$flbs
break flb[1].data = 0xFEEDF00DCAFEBEE0"; then
	# The test module refuses the handle and LUO only warns: exit 0.
	expect_exit "bad test FLB: check exit" 0 "$KI" check --json \
		"$T/flbbad.img"
	cp "$T/out" "$T/flbbad.chk"
	check "bad test FLB: luo-test-flb.magic is a warning" \
		has_sev "$T/flbbad.chk" luo-test-flb.magic warning
fi

finish
