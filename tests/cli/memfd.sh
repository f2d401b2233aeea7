#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# memfd decoder tests: images with memfd-v1, memfd-v2, the RFC composite
# "memfd-v2;vmalloc-v1" and the feature-flag "memfd" layout, built by
# kho-mkimage from tests/scenarios/memfd/memfd-*.scn.  Each memfd's size, pos,
# seals, nr_folios and folio table (index, order, flags) must equal what the
# scenario put in (expected values are written from the scenarios); every
# folio block must be attributed.  The broken images' verdicts are their
# "# expect:" lines (tests/cli/scenarios.sh).
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
S="$top/tests/scenarios/memfd"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR
PS=4096

# $T/verify.py: verifier_head (tests/lib.sh), then this decoder's checks;
# verify (tests/lib.sh) runs it.
{ verifier_head; cat <<'PY'
files = [o for o in objs if o["kind"] == "luo-file"]
byt = {o["fields"].get("token"): o for o in files}
for em in exp["memfds"]:
    tag = "memfd token %d" % em["token"]
    fo = byt.get(em["token"])
    check(tag + " file", fo is not None, "no luo-file")
    if fo is None:
        continue
    m = [c for c in fo.get("children", []) if c["kind"] == "memfd"]
    check(tag + " object", len(m) == 1, "found %d" % len(m))
    if not m:
        continue
    m = m[0]
    check(tag + " compatible", m.get("compatible") == em["compat"],
          "%r != %r" % (m.get("compatible"), em["compat"]))
    for k, v in em["fields"].items():
        check(tag + " " + k, m["fields"].get(k) == v,
              "%r != %r" % (m["fields"].get(k), v))
    t = m.get("tables", {}).get("folios")
    nr = em["fields"]["nr_folios"]
    if nr == 0:
        check(tag + " no folio table", t is None, "table present")
        continue
    check(tag + " folio table rows", t is not None and t["nrows"] == nr,
          "nrows %r" % (t and t.get("nrows")))
    if "rows" in em:
        # Expected rows must be in the dump: a table without them fails.
        check(tag + " folio rows present", t is not None and "rows" in t,
              "no rows in the dump")
        if not (t and "rows" in t):
            continue
        c = t["columns"]
        got = [[r[c.index("index")], r[c.index("order")],
                int(r[c.index("flags")], 16)] for r in t["rows"]]
        check(tag + " folio rows", got == em["rows"],
              "%r != %r" % (got[:6], em["rows"][:6]))
        phys = [int(r[c.index("phys")], 16) for r in t["rows"]]
        pfn = [int(r[c.index("pfn")], 16) for r in t["rows"]]
        check(tag + " phys = pfn << PAGE_SHIFT",
              all(p == q << 12 for p, q in zip(phys, pfn)), "mismatch")

bad = [f for f in dump["findings"] if f["severity"] != "note"]
check("no errors or warnings", not bad,
      "; ".join("%s %s" % (f["check"], f["message"]) for f in bad[:5]))
check("every preserved block attributed",
      dump["summary"]["unattributed_blocks"] == 0,
      "%r unattributed" % dump["summary"]["unattributed_blocks"])
report()
PY
} >"$T/verify.py"

# expect NAME PYTHON: the code sets M, a list of memfd(...) descriptions.
expect() {
	python3 - "$T/$1.exp" <<PY
import json, sys
PS = $PS
def memfd(token, compat, size, nr, pos=0, rows=None, **kw):
    d = {"token": token, "compat": compat,
         "fields": dict(size=size, nr_folios=nr, pos=pos, **kw)}
    if rows is not None:
        d["rows"] = rows
    return d
$2
json.dump({"memfds": M}, open(sys.argv[1], "w"))
PY
}

# --------------------------------------------------------------- layouts

expect memfd-v1 '
M = [memfd(1, "memfd-v1", 20000, 5, pos=123,
           rows=[[0, 0, 1], [1, 0, 1], [2, 0, 2], [3, 0, 2], [4, 0, 2]]),
     memfd(2, "memfd-v1", 0, 0)]'
verify memfd-v1

expect memfd-v2 '
M = [memfd(5, "memfd-v2", 1032 * PS, 10, pos=4096, seals="0xd",
           seal_names="SEAL|GROW|WRITE", flags="0x0",
           rows=[[0, 9, 3], [512, 9, 3]] + [[1024 + i, 0, 3] for i in range(8)]),
     memfd(6, "memfd-v2", PS, 1, seals="0x3f",
           seal_names="SEAL|SHRINK|GROW|WRITE|FUTURE_WRITE|EXEC",
           rows=[[0, 0, 3]])]'
verify memfd-v2

expect memfd-feature '
M = [memfd(9, "memfd", 514 * PS, 3, seals="0x1", seal_names="SEAL",
           supp="0x3", req="0x3", active="0x3",
           rows=[[0, 9, 3], [512, 0, 3], [513, 0, 3]])]'
verify memfd-feature

expect memfd-rfc '
M = [memfd(3, "memfd-v2;vmalloc-v1", 16 * PS, 16,
           rows=[[i, 0, 3] for i in range(16)])]'
verify memfd-rfc

# 140000 folios: a folio array of 547 pages in two vmalloc chunks.
expect memfd-big '
M = [memfd(1, "memfd-v2", 140000 * PS, 140000)]'
verify memfd-big --no-rows
"$KI" dump --json --path /LUO/sessions/big/1/memfd "$T/memfd-big.img" \
	>"$T/big-rows.json" 2>/dev/null
if python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
t = d["objects"][0]["tables"]["folios"]
c = t["columns"]
rows = t["rows"]
ok = len(rows) == 140000 and all(r[c.index("index")] == i and r[c.index("order")] == 0
                                   for i, r in enumerate(rows))
sys.exit(0 if ok else 1)' "$T/big-rows.json"; then ok; else
	fail "memfd-big: folio rows are not indices 0..139999 of order 0"
fi

# ------------------------------------------------------- broken images
# Each memfd-bad-*.scn states its exit status and check ids (with their
# severities) in its "# expect:" line, which tests/cli/scenarios.sh checks
# in both byte orders.  What 7.2's mm/memfd_luo.c refuses is an error; what
# it never reads (memfd_luo_ser.flags, folio flag bits other than UPTODATE
# and DIRTY) or accepts (a folio past i_size: shmem_add_to_page_cache()
# does not check it) is a note.

# Findings per check stop at 100 per memfd, then one summary line.
build_scn memfd-bad-many
"$KI" check --json "$T/memfd-bad-many.img" >"$T/memfd-bad-many.chk" 2>/dev/null
if python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
fs = [f for f in d["findings"] if f["check"] == "memfd.folio-beyond-size"]
sys.exit(0 if len(fs) == 101 and "and 199 more" in fs[-1]["message"] else 1)' \
	"$T/memfd-bad-many.chk"; then ok; else
	fail "memfd-bad-many: folio findings are not bounded to 100 + summary"
fi

finish
