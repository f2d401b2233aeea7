#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What the next kernel does about a finding.  Each case breaks one thing
# in a kho-v4 / luo-v5 / memfd-v2 image and asserts the finding's id,
# severity, consequence and the exit status.  The expected consequence is
# what Debian's linux-source-7.2 does, read from the source cited at each
# case; the accepted-by-kernel cases (issue 12) must give no error.  The
# same corruptions are tried on the real kernel by make vmtest
# (tests/vm/faults/).  Prints "N passed, M failed".

set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

BASE='generation = g4
[kexec-metadata]
kexec_count = 1
[luo]
flb = pci-v2 pci:1 1
[session s]
[file]
compatible = memfd-v2
token = 1
folios = 2 x order0
[file]
compatible = memfd-v2
token = 2
folios = 1 x order0
[session idle]'

# cq NAME EXIT CHECK-ID SEVERITY CONSEQUENCE BREAK-LINES
cq() {
	mkimg "$1" "$BASE
$6" || return
	expect_exit "$1: exit" "$2" "$KI" check --json "$T/$1.img"
	if has_finding "$T/out" "$3" "$4" "$5"; then ok; else
		fail "$1: no $4 $3 with consequence $5"
		python3 -m json.tool "$T/out" | grep -A6 "\"$3\"" | head -n 12
	fi
	"$KI" check "$T/$1.img" >"$T/$1.txt" 2>&1
	contains "$1: text names the consequence" "$T/$1.txt" "[consequence: $5]"
}

mkimg base "$BASE" && expect_exit "base image checks clean" 0 "$KI" check "$T/base.img"

# ---- accepted by 7.2: notes (or warnings), never errors, exit 0
# mm/memfd_luo.c memfd_luo_retrieve() never reads memfd_luo_ser.flags.
cq memfd-flags 0 memfd.flags note none \
	"break session[0].file[0].memfd.flags = 4"
# kexec_handover.c kho_flags_to_vmalloc() keeps bits 0-1, drops the rest.
cq vmalloc-flags 0 vmalloc.flags note none \
	"break session[0].file[0].memfd.folios.flags = 0x11"
# luo_file.c luo_file_deserialize(): files == 0 -> WARN_ON(count), return 0.
cq files-null-count 0 luo.files-null-count warning warning-only \
	"break session[1].count = 3"
# luo_core.c luo_early_startup(): strncmp() stops at the NUL.
cq compat-padding 0 luo.compat-padding note none \
	"break luo_ser.compatible = hex:6c756f2d76350058"
# kexec_handover.c: a short kexec-metadata blob is a pr_warn(), then ignored.
cq kexec-meta-short 0 kexec-metadata.blob-size warning warning-only \
	"break node:kexec-metadata.blob-size = 64"
# luo_flb.c writes pgcnt and never reads it back.
cq flb-pgcnt 0 luo.flb-pgcnt note none \
	"break luo.flb.pgcnt = 2"
# kho_populate(): fdt_node_check_compatible() finds kho-v4 in the list.
cq root-compat-list 0 root.compat-list note none \
	"break root.compatible = hex:6f74686572006b686f2d763400"
contains "root-compat-list: decoded by the known entry" "$T/root-compat-list.txt" \
	"decoded as kho-v4"

# kho_restore_vmalloc() checks the order against neither HUGE_VMAP nor
# MAX_PAGE_ORDER: 257 folios fill two pages, one order-1 run.
mkimg vmalloc-order 'generation = g4
[luo]
[session s]
[file]
compatible = memfd-v2
token = 1
folios = 257 x order0
vmalloc_order = 1' &&
	expect_exit "vmalloc-order: exit" 0 "$KI" check --json "$T/vmalloc-order.img"
check "vmalloc-order: note vmalloc.order, consequence none" \
	has_finding "$T/out" vmalloc.order note none

# Above MAX_PAGE_ORDER the run no longer matches the folio array's pages,
# which is what fails (other findings); the order itself is still a note.
mkimg vmalloc-order-max "$BASE
break session[0].file[0].memfd.folios.order = 11" &&
	"$KI" check --json "$T/vmalloc-order-max.img" >"$T/vom.json" 2>/dev/null
check "vmalloc order 11: vmalloc.order is a note, consequence none" \
	has_finding "$T/vom.json" vmalloc.order note none
if python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
sys.exit(any(f["check"] == "vmalloc.order" and f["severity"] != "note" for f in d["findings"]))' "$T/vom.json"; then ok; else
	fail "vmalloc order 11: vmalloc.order reported as more than a note"
fi

# ---- what 7.2 refuses
# kho_block.c kho_block_set_restore(): a session block of count 0 makes
# luo_early_startup() fail, and liveupdate_early_init() panics.
cq session-block-zero 1 block.count-zero error panic \
	"break luo.sessions.block[0].count = 0"
# The same in a file chain is read when /dev/liveupdate is opened: EIO.
cq file-block-zero 1 block.count-zero error file-eio \
	"break session[0].files.block[0].count = 0"
# luo_file_deserialize(): "File count mismatch" -> luo_open() -EIO.
cq file-count 1 luo.file-count error file-eio \
	"break session[0].count = 3"
# luo_core.c: an unknown luo_ser compatible panics.
cq luo-compat 1 luo.bad-compat error panic \
	"break luo_ser.compatible = \"luo-v9\""

# ---- preflight leads with the consequence
mkimg pf-panic "$BASE
break luo.sessions.block[0].count = 0"
expect_exit "preflight: session block count 0 is no-go" 1 \
	"$KI" preflight --target "$T/base.img" "$T/pf-panic.img"
contains "preflight: the reason starts with the consequence" "$T/out" \
	"  error block.count-zero /LUO/session-blocks: the next kernel will panic at boot: "
# ---- every id a decoder or the host reports has a rule: a new check must
# say what the next kernel does, or say unknown on purpose.
python3 - "$top" >"$T/norule" <<'PY'
import os, re, sys
top = sys.argv[1]
rules = re.findall(r'^RULE\("([^"]+)"', open(os.path.join(top, "src/decode/consequence_rules.h")).read(), re.M)
exact = {r.split("@")[0] for r in rules if not r.split("@")[0].endswith("*")}
# The catch-all "*" of the old generations says nothing of a new id.
prefixes = [r.split("@")[0][:-1] for r in rules
            if r.split("@")[0].endswith("*") and r.split("@")[0] != "*"]
# Every literal that looks like a check id of a component (the ids are
# spread over report calls, cap tables and plugins' checks[] lists).
idre = re.compile(r'"((?:root|radix|memfd|luo|luo-test-flb|block|vmalloc|coverage|memblock|kexec-metadata|kvm|pci|kho-test|v1|memmap|plugin|image|limit|handoff|scratch)\.[a-z0-9-]+(?:\.[a-z0-9-]+)*)"')
ids = set()
for d in ("src", "plugins"):
    for root, _, files in os.walk(os.path.join(top, d)):
        for f in files:
            if f.endswith(".c"):
                ids.update(i for i in idre.findall(open(os.path.join(root, f)).read())
                           if not i.endswith((".h", ".c")))
missing = sorted(i for i in ids if i not in exact and not any(i.startswith(p) for p in prefixes))
print(len(ids))
for i in missing:
    print(i)
PY
nids=$(head -n 1 "$T/norule")
check "the rule check found the reported ids ($nids)" [ "${nids:-0}" -gt 200 ]
if [ "$(sed 1d "$T/norule" | wc -l)" -eq 0 ]; then ok; else
	fail "ids with no consequence rule: $(sed 1d "$T/norule" | tr '\n' ' ')"
fi
finish
