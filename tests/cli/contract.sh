#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# One scripting contract (kho-inspect-json(5)): the JSON verdict, exit and
# summary agree with the exit status and with the text output, for check
# --target with compat errors, for findings a decoder caps, and for
# preflight (text and JSON carry the same numbers; -q -j prints the JSON).
# Expected numbers come from the scenarios: the sample (tests/scenarios/
# sample.scn) carries nine compat strings and no error; memfd/memfd-bad-many.scn
# has 299 folios beyond the memfd's size.  Prints "N passed, M failed".

set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
S="$top/tests/scenarios"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR KHO_INSPECT_LIMITS

# jcheck NAME FILE PYTHON-ASSERTIONS: the JSON document FILE as d.
jcheck() {
	if python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[2])' "$2" "$3" >"$T/jc.err" 2>&1; then ok; else
		fail "$1"
		sed 's/^/    | /' "$T/jc.err" | tail -n 3
	fi
}

# line_before NAME FILE FIRST SECOND: FIRST's line comes before SECOND's.
line_before() {
	a=$(grep -nF -- "$3" "$2" | head -n 1 | cut -d: -f1)
	b=$(grep -nF -- "$4" "$2" | head -n 1 | cut -d: -f1)
	if [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]; then ok; else
		fail "$1: '$3' (line ${a:-none}) not before '$4' (line ${b:-none})"
	fi
}

"$MK" "$S/sample.scn" -o "$T/s.img" 2>/dev/null || fail "mkimage sample"

# ------------------------------------------- check --target, compat errors
# A target with every string of the sample but memfd-v2: one compat error
# (compat.unsupported-handler), and the image itself has none.
cat >"$T/no-memfd.txt" <<'TBL'
kho-v4
luo-v5
example-blob-v1
guest_memfd_luo_v1
pci-v2
memblock-v1
reserve-mem-v1
kexec-metadata=1
TBL
expect_exit "check --target: exit 1" 1 "$KI" check --target "$T/no-memfd.txt" "$T/s.img"
cp "$T/out" "$T/ct.txt"
contains "check --target: compat error listed" "$T/ct.txt" "[error] compat.unsupported-handler"
contains "check --target: summary counts it" "$T/ct.txt" "summary: 1 error, 0 unknown,"
lacks "check --target: no summary of 0 errors" "$T/ct.txt" "summary: 0 errors"
line_before "check --target: summary after the compat findings" "$T/ct.txt" \
	"compat.unsupported-handler" "summary: "
line_before "check --target: summary after the compat line" "$T/ct.txt" \
	"compat: 8 supported, 1 unsupported" "summary: "
expect_exit "check --target -j: exit 1" 1 "$KI" check -j --target "$T/no-memfd.txt" "$T/s.img"
jcheck "check --target -j: verdict, exit, summary" "$T/out" '
assert list(d)[:3] == ["schema", "verdict", "exit"], list(d)
assert d["schema"] == 1 and d["verdict"] == "broken" and d["exit"] == 1, d
s = d["summary"]
assert s["errors"] == 1 and s["total"]["errors"] == 1 and s["listed"]["errors"] == 1, s
assert not [f for f in d["findings"] if f["severity"] == "error"]
assert [f["check"] for f in d["compat"]["findings"] if f["severity"] == "error"] == ["compat.unsupported-handler"]
assert d["compat"]["summary"]["errors"] == 1'

# Unknown in the image and a compat error: broken (1), not unknown (2).
head -c 100000 "$T/s.img" >"$T/trunc.img"
expect_exit "truncated alone: unknown" 2 "$KI" check "$T/trunc.img"
expect_exit "truncated + compat error: broken" 1 "$KI" check -j --target "$T/no-memfd.txt" "$T/trunc.img"
jcheck "truncated + compat error: json" "$T/out" '
assert d["verdict"] == "broken" and d["exit"] == 1, (d["verdict"], d["exit"])
assert d["summary"]["errors"] >= 1 and d["summary"]["unknown"] > 0, d["summary"]'

# Every string supported: the verdict is the image's own.
printf 'memfd-v2\n' >>"$T/no-memfd.txt"
expect_exit "check --target, all supported: clean" 0 "$KI" check -j --target "$T/no-memfd.txt" "$T/s.img"
jcheck "all supported: json clean" "$T/out" '
assert d["verdict"] == "clean" and d["exit"] == 0 and d["summary"]["errors"] == 0, d["summary"]'

# ------------------------------------------------------- capped findings
# 299 folios beyond size; the memfd decoder lists 100 of a check.  7.2
# accepts a folio past i_size (shmem_add_to_page_cache() does not check
# it), so they are notes: the counting is the same for every severity.
"$MK" "$S/memfd/memfd-bad-many.scn" -o "$T/many.img" 2>/dev/null || fail "mkimage many"
expect_exit "capped: exit 0" 0 "$KI" check "$T/many.img"
contains "capped: text total and listed" "$T/out" "summary: 0 errors, 0 unknown, 0 warnings, 299 notes (100 listed)"
expect_exit "capped -j: exit 0" 0 "$KI" check -j "$T/many.img"
jcheck "capped -j: listed vs total" "$T/out" '
s = d["summary"]
assert d["verdict"] == "clean" and d["exit"] == 0
assert s["notes"] == 299 and s["total"]["notes"] == 299, s
assert s["listed"]["notes"] == 100, s
fs = [f for f in d["findings"] if f["check"] == "memfd.folio-beyond-size"]
assert len(fs) == 101 and fs[-1].get("unlisted") == 199, fs[-1]
assert all("unlisted" not in f for f in fs[:-1])'
# The findings limit on top: 10 entries, the totals unchanged but for the
# limit.findings error itself, which makes the exit 1.
KHO_INSPECT_LIMITS=findings=10 "$KI" check -j "$T/many.img" >"$T/lim.json" 2>/dev/null
check "limited: exit 1" [ $? -eq 1 ]
jcheck "limited: listed vs total" "$T/lim.json" '
s = d["summary"]
assert len(d["findings"]) == 10, len(d["findings"])
assert d["findings"][-1]["check"] == "limit.findings"
assert s["total"]["errors"] == 1 and s["listed"]["errors"] == 1, s
assert s["total"]["notes"] == 299 and s["listed"]["notes"] == 9, s'
KHO_INSPECT_LIMITS=findings=10 "$KI" check "$T/many.img" >"$T/lim.txt" 2>/dev/null
contains "limited: text" "$T/lim.txt" "summary: 1 error, 0 unknown, 0 warnings, 299 notes (9 listed)"

# The image layer keeps 63 problems and a note: 80 extra copies of the
# first PT_LOAD header make 80 image.segment-overlap errors, all counted.
python3 - "$T/s.img" "$T/ovl.img" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
assert d[5] == 1, "little-endian sample expected"
phoff, = struct.unpack_from("<Q", d, 0x20)
esz, num = struct.unpack_from("<HH", d, 0x36)
ph = [bytes(d[phoff + i * esz:phoff + (i + 1) * esz]) for i in range(num)]
load = [p for p in ph if struct.unpack_from("<I", p, 0)[0] == 1][0]
while len(d) % 8:
    d.append(0)
off = len(d)
d += b"".join(ph + [load] * 80)
struct.pack_into("<Q", d, 0x20, off)
struct.pack_into("<H", d, 0x38, num + 80)
open(sys.argv[2], "wb").write(d)
PY
expect_exit "80 overlaps: exit 1" 1 "$KI" check "$T/ovl.img"
contains "80 overlaps: text total" "$T/out" "summary: 80 errors (63 listed),"
contains "80 overlaps: the rest named" "$T/out" \
	"[error] image.problems-truncated /: 17 more image problems of severity error, not listed"
expect_exit "80 overlaps -j" 1 "$KI" check -j "$T/ovl.img"
jcheck "80 overlaps -j: totals" "$T/out" '
s = d["summary"]
ov = [f for f in d["findings"] if f["check"] == "image.segment-overlap"]
assert len(ov) == 63 and s["total"]["errors"] == 80 and s["listed"]["errors"] == 63, (len(ov), s)'

# ------------------------------------------------------------- preflight
# Target with the root, LUO and memblock strings only: memfd-v2 and
# guest_memfd_luo_v1 unsupported handlers (errors), pci-v2 an unsupported
# FLB and kexec-metadata=1 unsupported (warnings), example-blob-v1 known
# to no plugin (error): 4 supported, 4 unsupported, 1 unknown, 3 errors.
printf 'kho-v4\nluo-v5\nmemblock-v1\nreserve-mem-v1\n' >"$T/core.txt"
expect_exit "preflight: no-go" 1 "$KI" preflight --target "$T/core.txt" "$T/s.img"
cp "$T/out" "$T/pf.txt"
contains "preflight text: errors" "$T/pf.txt" "NO-GO: 3 compat errors, 0 structural errors"
contains "preflight text: strings" "$T/pf.txt" \
	"compat: 4 supported, 4 unsupported, 1 unknown-to-inspector, 0 undetermined"
expect_exit "preflight -j: no-go" 1 "$KI" preflight -j --target "$T/core.txt" "$T/s.img"
cp "$T/out" "$T/pf.json"
jcheck "preflight json: same numbers" "$T/pf.json" '
assert list(d)[:3] == ["schema", "verdict", "exit"], list(d)
assert d["verdict"] == "no-go" and d["exit"] == 1
c = d["compat"]
assert (c["supported"], c["unsupported"], c["unknown_to_inspector"], c["undetermined"], c["errors"]) == (4, 4, 1, 0, 3), c
assert d["structural_errors"] == 0 and d["summary"]["errors"] == 3, d["summary"]'
# The text numbers, read back, are the JSON ones.
jcheck "preflight text = json" "$T/pf.json" '
import re
t = open(sys.argv[1].replace("pf.json", "pf.txt")).read()
m = re.search(r"NO-GO: (\d+) compat errors?, (\d+) structural errors?", t)
n = re.search(r"compat: (\d+) supported, (\d+) unsupported, (\d+) unknown-to-inspector, (\d+) undetermined", t)
c = d["compat"]
assert m and (int(m.group(1)), int(m.group(2))) == (c["errors"], d["structural_errors"]), m
assert n and tuple(map(int, n.groups())) == (c["supported"], c["unsupported"], c["unknown_to_inspector"], c["undetermined"]), n'

# -q silences the text only.
expect_exit "preflight -q: no-go" 1 "$KI" preflight -q --target "$T/core.txt" "$T/s.img"
check "preflight -q prints nothing" [ ! -s "$T/out" ]
expect_exit "preflight -q -j: no-go" 1 "$KI" preflight -q -j --target "$T/core.txt" "$T/s.img"
if cmp -s "$T/out" "$T/pf.json"; then ok; else fail "preflight -q -j: not the -j document"; fi
expect_exit "preflight -q -j, no table: cannot tell" 2 "$KI" preflight -q -j --target "$T/missing.txt" "$T/s.img"
jcheck "preflight -q -j, no table: json" "$T/out" '
assert d["schema"] == 1 and d["verdict"] == "cannot-tell" and d["exit"] == 2, d
assert "missing.txt" in d["error"], d["error"]'
expect_exit "preflight -q -j, usage: error" 2 "$KI" preflight -q -j "$T/s.img" extra
jcheck "preflight -q -j, usage: json" "$T/out" '
assert d == {"schema": 1, "verdict": "error", "exit": 2, "error": "preflight: unexpected argument \u0027extra\u0027"}, d'

# ------------------------------------------------- error documents, memmap
expect_exit "error document" 2 "$KI" check -j "$T/nope.img"
jcheck "error document: members" "$T/out" '
assert list(d) == ["schema", "verdict", "exit", "error"], list(d)
assert d["verdict"] == "error" and d["exit"] == 2 and d["error"].startswith("check: "), d'
expect_exit "memmap -j truncated: unknown" 2 "$KI" memmap -j "$T/trunc.img"
jcheck "memmap -j truncated: verdict" "$T/out" '
assert d["verdict"] == "unknown" and d["exit"] == 2 and d["summary"]["unknown"] > 0, d["summary"]
assert d["summary"]["errors"] == 0'

# ------------------------------------------- the other commands' documents
expect_exit "plugins -j" 0 "$KI" plugins -j
jcheck "plugins -j: listed" "$T/out" '
assert list(d)[:3] == ["schema", "verdict", "exit"] and d["verdict"] == "listed" and d["exit"] == 0, d
assert {"searched", "loaded", "refused"} <= set(d)'
expect_exit "diff -j equal" 0 "$KI" diff -j "$T/s.img" "$T/s.img"
jcheck "diff -j equal: verdict" "$T/out" '
assert d["verdict"] == "equal" and d["exit"] == 0 and d["equal"] is True, d["verdict"]'
expect_exit "diff -j different" 1 "$KI" diff -j "$T/s.img" "$T/many.img"
jcheck "diff -j different: verdict" "$T/out" '
assert d["verdict"] == "different" and d["exit"] == 1 and d["equal"] is False, d["verdict"]'
expect_exit "compat-table -j" 0 "$KI" compat-table -j "$T/core.txt"
jcheck "compat-table -j: listed" "$T/out" '
assert d["verdict"] == "listed" and d["exit"] == 0 and d["entries"] == 4, d'

finish
