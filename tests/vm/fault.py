#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Fault runs of make vmtest: corrupt a real handover, predict, then watch.

Each tests/vm/faults/NAME.plan preserves what it lists (luo_guest's plan
syntax), names the bytes the host changes at machine_kexec ("poke PATH
OFFSET WIDTH VALUE": PATH is an object of kho-inspect's tree, OFFSET is
from that object's physical address), and says what must happen
("expect ..."), as read from the 7.2 source by a person, not from
kho-inspect.  The host, stopped at machine_kexec under gdb:
  1. dumps guest memory (pre.elf) and runs "poke" to turn each poke into a
     gdb write of physical memory;
  2. dumps again (out.elf) and runs "predict": kho-inspect check and
     preflight on that dump, saved before kernel 2 runs a single
     instruction;
  3. lets the guest kexec.  verify() then holds the prediction against the
     expectations and against what kernel 2 did on the console.
"""
import json
import os
import re
import subprocess
import sys


def read_expect(plan):
    pokes, expect = [], []
    for line in open(plan):
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        if w[0] == "poke":
            pokes.append((w[1], int(w[2], 0), int(w[3]), int(w[4], 0)))
        elif w[0] == "expect":
            expect.append((w[1], line.split(None, 2)[2].strip()))
    return pokes, expect


def objects(doc):
    out = {}

    def walk(o):
        out[o.get("path")] = o
        for c in o.get("children", []):
            walk(c)
    for o in doc.get("objects", []):
        walk(o)
    return out


def poke(tool, plan, dump, out):
    """Write the gdb commands that apply the plan's pokes to dump's state."""
    pokes, _ = read_expect(plan)
    cmds = []
    if pokes:
        r = subprocess.run([tool, "dump", "-j", "--scan", dump],
                           capture_output=True, text=True)
        objs = objects(json.loads(r.stdout))
        ctype = {1: "unsigned char", 2: "unsigned short", 4: "unsigned int",
                 8: "unsigned long long"}
        # QEMU's gdb stub takes physical addresses in this mode.
        cmds.append("maintenance packet Qqemu.PhyMemMode:1")
        for path, off, width, value in pokes:
            o = objs.get(path)
            if not o or not o.get("phys"):
                cmds.append(f"echo FAULT-POKE-MISSING {path}\\n")
                continue
            addr = int(o["phys"], 16) + off
            cmds.append(f"set {{{ctype[width]}}}{addr:#x} = {value:#x}")
            cmds.append(f"echo FAULT-POKE {path}+{off} @{addr:#x} = {value:#x}\\n")
        cmds.append("maintenance packet Qqemu.PhyMemMode:0")
    with open(out, "w") as f:
        f.write("\n".join(cmds) + "\n")


def predict(tool, dump, bzimage, outdir, console):
    """kho-inspect's verdict on the corrupted state, before kernel 2 runs."""
    def save(name, argv):
        r = subprocess.run(argv, capture_output=True, text=True)
        with open(os.path.join(outdir, name), "w") as f:
            json.dump({"argv": argv, "rc": r.returncode, "stdout": r.stdout,
                       "stderr": r.stderr}, f)
    save("check.json", [tool, "check", "-j", "--scan", dump])
    save("preflight.json", [tool, "preflight", "-j", "--scan",
                            "--target", bzimage, dump])
    save("preflight.txt", [tool, "preflight", "--scan", "--target", bzimage,
                           dump])
    # Where the console stood when the prediction was made: everything
    # kernel 2 prints comes after this line.
    n = sum(1 for _ in open(console, "rb")) if os.path.exists(console) else 0
    with open(os.path.join(outdir, "predicted-at-line"), "w") as f:
        f.write(f"{n}\n")


def verify(name, plan, rundir, check):
    """Judge one fault run; check(name, ok, detail) records each result."""
    _, expect = read_expect(plan)
    pre = f"fault {name}:"

    def load(fn):
        try:
            return json.load(open(os.path.join(rundir, fn)))
        except (OSError, ValueError):
            return None
    chk, pf, pft = load("check.json"), load("preflight.json"), load("preflight.txt")
    try:
        at = int(open(os.path.join(rundir, "predicted-at-line")).read())
    except (OSError, ValueError):
        at = None
    check(f"{pre} prediction made at machine_kexec, before kernel 2",
          chk is not None and pf is not None and at is not None)
    raw = open(os.path.join(rundir, "console.log"), "rb").read().decode(
        "utf-8", "replace").splitlines()
    pokes = [l for l in open(os.path.join(rundir, "gdb.log"))
             if "FAULT-POKE" in l] if os.path.exists(
                 os.path.join(rundir, "gdb.log")) else []
    check(f"{pre} every poke found its object",
          not any("MISSING" in l for l in pokes), "".join(pokes))
    after = raw[at:] if at is not None else raw
    k2 = "\n".join(after)
    doc = pdoc = None
    try:
        doc = json.loads(chk["stdout"]) if chk else None
        pdoc = json.loads(pf["stdout"]) if pf else None
    except ValueError:
        pass
    findings = (doc or {}).get("findings", []) + [
        f for f in ((doc or {}).get("compat") or {}).get("findings", [])]
    for what, arg in expect:
        if what == "check-exit":
            check(f"{pre} check exits {arg}",
                  chk is not None and chk["rc"] == int(arg),
                  f"exit {chk['rc'] if chk else None}")
        elif what == "finding":
            fid, cq = arg.split()
            hits = [f for f in findings if f.get("check") == fid]
            check(f"{pre} predicted {fid} with consequence {cq}",
                  any(f.get("consequence") == cq for f in hits),
                  json.dumps(hits)[:300] or "no such finding")
        elif what == "preflight":
            code = {"go": 0, "no-go": 1, "cannot-tell": 2}[arg]
            check(f"{pre} preflight says {arg}",
                  pf is not None and pf["rc"] == code and
                  (pdoc or {}).get("verdict") == arg,
                  f"exit {pf['rc'] if pf else None}")
        elif what == "preflight-reason":
            check(f"{pre} preflight text leads with \"{arg}\"",
                  pft is not None and any(
                      re.search(r"^\s+\S+ \S+( \S+)?: " + re.escape(arg), l)
                      for l in pft["stdout"].splitlines()),
                  (pft or {}).get("stdout", "")[:400])
        elif what == "kernel2":
            kind, _, text = arg.partition(" ")
            if kind == "panic":
                check(f"{pre} kernel 2 panics: {text}",
                      "Kernel panic - not syncing: " + text in k2)
            elif kind == "open-eio":
                check(f"{pre} kernel 2 boots and /dev/liveupdate open fails with EIO",
                      "VMTEST-STAGE kernel2" in k2 and re.search(
                          r"VMTEST-RESULT open-liveupdate fail Input/output error", k2)
                      is not None and "Kernel panic" not in k2)
            elif kind == "restored":
                res = re.findall(r"VMTEST-RESULT (\S+) (pass|fail)", k2)
                sessions = [r for r in res if r[0] == "session-restored"]
                check(f"{pre} kernel 2 restores every session byte for byte",
                      sessions and all(r[1] == "pass" for r in res) and
                      re.search(r"VMTEST-RC retrieve 0\b", k2) is not None,
                      str(res))
            elif kind == "dmesg":
                check(f"{pre} kernel 2 logs {text}",
                      any(l.startswith("[dmesg]") and text in l
                          for l in after))
            else:
                check(f"{pre} known expectation kernel2 {kind}", False)
        else:
            check(f"{pre} known expectation {what}", False)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "poke":
        poke(*sys.argv[2:6])
    elif cmd == "predict":
        predict(*sys.argv[2:7])
    else:
        sys.exit(f"usage: {sys.argv[0]} poke TOOL PLAN DUMP OUT | "
                 "predict TOOL DUMP BZIMAGE OUTDIR CONSOLE")
