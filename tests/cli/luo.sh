#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# LUO decoder tests: one image per LUO generation (luo-v1 with session-v1
# and session-v2, luo-v2 .. luo-v5, the RFC "luo-v5;block-v1" form and the
# feature-flag form) built by kho-mkimage from tests/scenarios/luo/luo-*.scn.
# Every session name, file compatible and token, memfd size and folio count
# is compared with what the scenario put in (the expected values below are
# written from the scenarios, never from kho-inspect's output).  The broken
# images' verdicts are their "# expect:" lines (tests/cli/scenarios.sh).
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
S="$top/tests/scenarios/luo"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR
PS=4096

# ---------------------------------------------------------------- helpers
# $T/verify.py: verifier_head (tests/lib.sh), then this decoder's checks;
# verify (tests/lib.sh) runs it.
{ verifier_head; cat <<'PY'
def kids(o, kind):
    return [c for c in o.get("children", []) if c["kind"] == kind]


luo = [o for o in objs if o["kind"] == "luo"]
check("one luo object", len(luo) == 1, "found %d" % len(luo))
L = luo[0] if luo else {"fields": {}, "children": []}
if "compatible" in exp:
    check("luo compatible", L.get("compatible") == exp["compatible"],
          "%r != %r" % (L.get("compatible"), exp["compatible"]))
for k, v in exp.get("luo_fields", {}).items():
    check("luo field " + k, L["fields"].get(k) == v,
          "%r != %r" % (L["fields"].get(k), v))

sess = [o for o in walk(L) if o["kind"] == "luo-session"]
es = exp.get("sessions", [])
check("number of sessions", len(sess) == len(es), "%d != %d" % (len(sess), len(es)))
for i, (so, se) in enumerate(zip(sess, es)):
    tag = "session %d" % i
    check(tag + " name", so["fields"].get("name") == se["name"],
          "%r != %r" % (so["fields"].get("name"), se["name"]))
    files = kids(so, "luo-file")
    ef = se["files"]
    check(tag + " number of files", len(files) == len(ef),
          "%d != %d" % (len(files), len(ef)))
    for j, (fo, fe) in enumerate(zip(files, ef)):
        ft = "%s file %d" % (tag, j)
        check(ft + " compatible", fo["fields"].get("compatible") == fe["compatible"],
              "%r != %r" % (fo["fields"].get("compatible"), fe["compatible"]))
        check(ft + " token", fo["fields"].get("token") == fe["token"],
              "%r != %r" % (fo["fields"].get("token"), fe["token"]))
        if "memfd" in fe:
            m = kids(fo, "memfd")
            check(ft + " memfd object", len(m) == 1, "found %d" % len(m))
            if not m:
                continue
            m = m[0]
            em = fe["memfd"]
            check(ft + " memfd size", m["fields"].get("size") == em["size"],
                  "%r != %r" % (m["fields"].get("size"), em["size"]))
            check(ft + " memfd nr_folios", m["fields"].get("nr_folios") == em["nr"],
                  "%r != %r" % (m["fields"].get("nr_folios"), em["nr"]))
            if em["nr"]:
                t = m.get("tables", {}).get("folios")
                check(ft + " folio table rows", t is not None and t["nrows"] == em["nr"],
                      "table %r" % (t and t.get("nrows")))
                if "rows" in em:
                    check(ft + " folio rows present", t is not None and "rows" in t,
                          "no rows in the dump")
                if "rows" in em and t and "rows" in t:
                    cols = t["columns"]
                    got = [(r[cols.index("index")], r[cols.index("order")])
                           for r in t["rows"]]
                    want = [tuple(x) for x in em["rows"]]
                    check(ft + " folio index/order", got == want,
                          "%r != %r" % (got[:8], want[:8]))
        if fe.get("nodecoder"):
            u = kids(fo, "unknown")
            check(ft + " no decoder", len(u) == 1, "found %d" % len(u))

flbs = [o for o in walk(L) if o["kind"] == "luo-flb"]
ef = exp.get("flbs", [])
check("number of FLBs", len(flbs) == len(ef), "%d != %d" % (len(flbs), len(ef)))
for i, (fo, fe) in enumerate(zip(flbs, ef)):
    check("flb %d name" % i, fo["fields"].get("name") == fe[0],
          "%r != %r" % (fo["fields"].get("name"), fe[0]))
    check("flb %d count" % i, fo["fields"].get("count") == fe[1],
          "%r != %r" % (fo["fields"].get("count"), fe[1]))

for kind, fields in exp.get("objects", []):
    cand = [o for o in walk(L) if o["kind"] == kind]
    hit = [o for o in cand if all(o["fields"].get(k) == v for k, v in fields.items())]
    check("object %s %r" % (kind, fields), len(hit) == 1,
          "%d matches among %d" % (len(hit), len(cand)))
    check("%s attributed" % kind, dump["summary"]["unattributed_blocks"] == 0,
          "%r unattributed" % dump["summary"]["unattributed_blocks"])

# No LUO/memfd/block/coverage finding worse than a note, unless expected.
allowed = set(exp.get("allow", []))
bad = [f for f in dump["findings"]
       if f["severity"] != "note" and f["check"] not in allowed]
check("no errors or warnings", not bad,
      "; ".join("%s %s" % (f["check"], f["message"]) for f in bad[:5]))
for cid, n in exp.get("count", {}).items():
    got = sum(1 for f in dump["findings"] if f["check"] == cid)
    check("%s findings" % cid, got == n, "%d != %d" % (got, n))
report()
PY
} >"$T/verify.py"

# expect NAME PYTHON: the python code sets E (the expected dump facts).
expect() {
	python3 - "$T/$1.exp" <<PY
import json, sys
PS = $PS
def mfd(size, nr, rows=None):
    d = {"size": size, "nr": nr}
    if rows is not None:
        d["rows"] = rows
    return d
def f(compat, token, memfd=None, nodecoder=False):
    d = {"compatible": compat, "token": token}
    if memfd is not None:
        d["memfd"] = memfd
    if nodecoder:
        d["nodecoder"] = True
    return d
def sess(name, files=()):
    return {"name": name, "files": list(files)}
$2
json.dump(E, open(sys.argv[1], "w"))
PY
}

# ------------------------------------------------------ every generation

expect luo-v1-sessv1 '
E = dict(compatible="luo-v1", luo_fields={"liveupdate-number": 1,
         "luo-session": "luo-session-v1"},
         sessions=[sess("alpha"), sess("beta"), sess("gamma-2")])'
verify luo-v1-sessv1

expect luo-v1 '
E = dict(compatible="luo-v1",
         luo_fields={"liveupdate-number": 2, "luo-session": "luo-session-v2"},
         sessions=[sess("vm0", [f("memfd-v1", 10, mfd(3 * PS, 3, [(0, 0), (1, 0), (2, 0)])),
                                f("memfd-v2", 11, mfd(1024 * PS, 2, [(0, 9), (512, 9)]))]),
                   sess("vm1", [f("memfd-v2", 100 + i, mfd(PS, 1)) for i in range(3)]),
                   sess("empty")],
         flbs=[("liveupdate-test-flb-v0", 1), ("pci-v2", 2)])'
verify luo-v1

expect luo-v2 '
E = dict(compatible="luo-v2", luo_fields={"liveupdate_num": 5},
         sessions=[sess("web", [f("memfd-v2", 1 + i, mfd(2 * PS, 2)) for i in range(2)]),
                   sess("db", [f("memfd-v2", 42, mfd(10000, 3))])],
         flbs=[("liveupdate-test-flb-v1", 3)])'
verify luo-v2

expect luo-v3 '
E = dict(compatible="luo-v3", luo_fields={"liveupdate_num": 7},
         sessions=[sess("full", [f("memfd-v2", 5000 + i, mfd(0, 0)) for i in range(128)]),
                   sess("other", [f("memfd-v1", 1 + i, mfd(PS, 1)) for i in range(2)])])'
verify luo-v3

expect luo-v4 '
S = [sess("s%d" % i, [f("memfd-v2", 9, mfd(0, 0))]) for i in range(60)]
S.append(sess("many", [f("memfd-v2", 1 + i, mfd(0, 0)) for i in range(100)]))
E = dict(compatible="luo-v4", luo_fields={"liveupdate_num": 3}, sessions=S)'
verify luo-v4

expect luo-v5 '
S = [sess("vm%d" % i, [f("memfd-v2", 1 + j, mfd(PS, 1)) for j in range(2)]) for i in range(60)]
S.append(sess("big", [f("memfd-v2", 1000 + i, mfd(0, 0)) for i in range(130)]))
S.append(sess("mixed", [f("memfd-v2", 77, mfd(516 * PS, 5, [(0, 9)] + [(512 + k, 0) for k in range(4)])),
                        f("some-other-handler-v1", 78, nodecoder=True)]))
E = dict(compatible="luo-v5", luo_fields={"liveupdate_num": 4}, sessions=S,
         flbs=[("liveupdate-test-flb-v2", 2)])'
verify luo-v5

expect luo-rfc '
C = "memfd-v2;vmalloc-v1"
E = dict(compatible="luo-v5;block-v1", luo_fields={"liveupdate_num": 2},
         sessions=[sess("rfc0", [f(C, 20 + i, mfd(3 * PS, 3)) for i in range(2)]),
                   sess("rfc1", [f(C, 30, mfd(512 * PS, 1, [(0, 9)]))])])'
verify luo-rfc

expect luo-feature '
E = dict(luo_fields={"liveupdate_num": 2, "supp": "0x7", "req": "0x7", "active": "0x7"},
         sessions=[sess("feat0", [f("memfd", 1, mfd(2 * PS, 2)),
                                  f("memfd", 2, mfd(512 * PS, 1))])],
         count={"luo.feature-flags": 1})'
verify luo-feature

expect luo-kvm '
E = dict(compatible="luo-v5", luo_fields={"liveupdate_num": 2},
         sessions=[sess("vm", [f("kvm_vm_luo_v1", 1), f("guest_memfd_luo_v1", 2)])],
         flbs=[("pci-v2", 2)],
         objects=[("kvm-vm", {"type": 2, "nr_mem_attrs": 300}),
                  ("guest-memfd", {"nr_folios": 4, "vm_token": 1, "size": 4 * PS}),
                  ("pci", {"max_nr_devices": 8, "nr_devices": 5})],
         count={"kvm.partial": 2, "pci.partial": 1})'
verify luo-kvm

# Before serialization: one note, nothing decoded, nothing worse.
expect luo-unserialized '
E = dict(compatible="luo-v5", luo_fields={"sessions_pa": "0x0"}, sessions=[],
         count={"luo.not-serialized": 1})'
verify luo-unserialized

expect luo-unserialized-v1 '
E = dict(compatible="luo-v1", sessions=[], count={"luo.not-serialized": 1})'
verify luo-unserialized-v1

# ------------------------------------------------------- broken images
# Each luo-bad-*.scn states its exit status and check ids in its
# "# expect:" line, which tests/cli/scenarios.sh checks in both byte orders.

# A broken image never makes the same finding without bound.
build_scn luo-bad-session-count
"$KI" check --json "$T/luo-bad-session-count.img" >"$T/out" 2>/dev/null
n=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(sum(1 for f in d["findings"] if f["check"] == "luo.session-duplicate"))' "$T/out")
if [ "$n" -le 101 ]; then ok; else fail "luo.session-duplicate findings not bounded: $n"; fi

finish
