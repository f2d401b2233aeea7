#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Three states: what the image lacks is "unknown", never an error.  A
# truncated image and a debugfs-format image (which holds no memory beyond
# the FDTs) must report no error for memory they do not hold; check exits
# 2 (unknown, as preflight's CANNOT TELL), says so in its JSON verdict and
# names the missing ranges.  Prints "N passed, M failed".

set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
S="$top/tests/scenarios"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

"$MK" "$S/sample.scn" -o "$T/full.img" 2>/dev/null || { fail "mkimage"; finish; exit; }
expect_exit "full sample is fine" 0 "$KI" check "$T/full.img"
lacks "full sample: no unknown" "$T/out" "[unknown]"

# The first 100,000 bytes of the sample.
head -c 100000 "$T/full.img" >"$T/trunc.img"
expect_exit "truncated: unknown, not broken" 2 "$KI" check "$T/trunc.img"
cp "$T/out" "$T/trunc.txt"
lacks "truncated: no error" "$T/trunc.txt" "[error]"
contains "truncated: missing range named" "$T/trunc.txt" \
	"[unknown] image.segment-truncated / @0x1000176a0: PT_LOAD 0 [0x100000000+0x2c000) at file offset 0x1000 runs past the end of the file (0x186a0 bytes): [0x1000176a0-0x10002c000) is not captured"
contains "truncated: radix node unknown" "$T/trunc.txt" \
	"[unknown] radix.node-not-captured /memory-map @0x100017000: L2 node 0x100017000"
contains "truncated: memfd folio unknown" "$T/trunc.txt" \
	"[unknown] memfd.folio-unpreserved /LUO/sessions/vm-1/1/memfd @0x100005000: folio 0 (index 0) at 0x500400000 is not a preserved block; but the memory map is incomplete (7 nodes of it not in the image, first at 0x100017000), so this cannot be told"
contains "truncated: coverage unknown" "$T/trunc.txt" \
	"[unknown] coverage.not-preserved /memblock/trace_buf @0x500000000:"
contains "truncated: summary" "$T/trunc.txt" "summary: 0 errors, 17 unknown, 0 warnings, 4 notes"

expect_exit "truncated -j" 2 "$KI" check -j "$T/trunc.img"
check "truncated json: severities and counts" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert d["verdict"] == "unknown" and d["exit"] == 2, (d["verdict"], d["exit"])
assert s["errors"] == 0 and s["unknown"] == 17, s
assert not [f for f in d["findings"] if f["severity"] == "error"]
u = [f for f in d["findings"] if f["severity"] == "unknown"]
assert len(u) == 17 and {f["check"] for f in u} == {"image.segment-truncated",
    "radix.node-not-captured", "memfd.folio-unpreserved",
    "kvm.folio-unpreserved", "coverage.not-preserved"}, u
' "$T/out"

# The debugfs form: sessions_pa and flbs_pa are set, only the blocks
# behind them were not captured; that is not "not serialized".
"$MK" -f debugfs "$S/sample.scn" -o "$T/dbg" 2>/dev/null || fail "mkimage debugfs"
expect_exit "debugfs: unknown" 2 "$KI" check "$T/dbg"
cp "$T/out" "$T/dbg.txt"
lacks "debugfs: not called unserialized" "$T/dbg.txt" "luo.not-serialized"
lacks "debugfs: no error" "$T/dbg.txt" "[error]"
contains "debugfs: session block named" "$T/dbg.txt" \
	"[unknown] block.not-captured /LUO/session-blocks @0x10000c000: block 0 at 0x10000c000 is not captured"
contains "debugfs: FLB page named" "$T/dbg.txt" \
	"[unknown] luo.not-captured /LUO/flbs @0x10000d000: FLB page at 0x10000d000 (16 bytes) is not captured in the image"
expect_exit "debugfs -j" 2 "$KI" check -j "$T/dbg"
cp "$T/out" "$T/dbg-check.json"
"$KI" dump -j "$T/dbg" >"$T/dbg-dump.json" 2>/dev/null
# The unknown findings are at the addresses the LUO FDT points to.
check "debugfs json: unknown, no error, at the FDT's pointers" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
def walk(o):
    yield o
    for c in o.get("children", []):
        yield from walk(c)
f = [o["fields"] for o in walk(json.load(open(sys.argv[2]))["objects"][0])
     if "sessions_pa" in o.get("fields", {})][0]
assert d["verdict"] == "unknown" and d["exit"] == 2, (d["verdict"], d["exit"])
assert d["summary"]["errors"] == 0, d["summary"]
u = {f["check"]: f["phys"] for f in d["findings"] if f["severity"] == "unknown"}
assert u.get("block.not-captured") == f["sessions_pa"], (u, f)
assert u.get("luo.not-captured") == f["flbs_pa"], (u, f)
' "$T/dbg-check.json" "$T/dbg-dump.json"
expect_exit "debugfs: dump" 2 "$KI" dump -j "$T/dbg"
check "debugfs: pointers still shown" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
def walk(o):
    yield o
    for c in o.get("children", []):
        yield from walk(c)
f = [o["fields"] for o in walk(d["objects"][0]) if "sessions_pa" in o.get("fields", {})]
assert f and f[0]["sessions_pa"] != "0x0" and f[0]["flbs_pa"] != "0x0", f
' "$T/out"

finish
