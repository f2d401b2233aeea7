#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Host side of make vmtest: judge one guest run against tests/vm/plan.

Expectations come from the plan (what the guest preserved) and from what
the real kernel did (the guest's own reports), never from kho-inspect.
Prints one line per check and closes with "N passed, M failed".
"""
import argparse
import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fault  # noqa: E402

PAGE = 4096
passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}{': ' + detail if detail else ''}")
    return ok


def read_plan(path):
    sessions = []
    for line in open(path):
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        if w[0] == "session":
            sessions.append({"name": w[1], "files": []})
        elif w[0] == "memfd":
            sessions[-1]["files"].append(
                {"token": int(w[1], 0), "size": int(w[2]), "fill": w[3]})
    return sessions


def parse_console(path):
    rcs, rss, results, files, stages = {}, {}, [], {}, []
    cur = None
    raw = open(path, "rb").read().decode("utf-8", "replace")
    for line in raw.splitlines():
        line = line.rstrip("\r")
        if cur is not None:
            if line.startswith("VMTEST-FILE-END "):
                try:
                    files[cur[0]] = base64.b64decode("".join(cur[1]), validate=True)
                except ValueError as e:
                    check(f"{cur[0]} arrives intact over the console", False, str(e))
                cur = None
            elif re.fullmatch(r"[A-Za-z0-9+/=]+", line.strip()):
                cur[1].append(line.strip())
            else:
                print(f"info console line inside {cur[0]} ignored: {line.strip()[:80]}")
            continue
        m = re.match(r"VMTEST-FILE-BEGIN (\S+)", line)
        if m:
            cur = (m.group(1), [])
            continue
        m = re.match(r"VMTEST-RC (\S+) (-?\d+)", line)
        if m:
            rcs[m.group(1)] = int(m.group(2))
        m = re.match(r"VMTEST-RSS (\S+) (\d+)", line)
        if m:
            rss[m.group(1)] = int(m.group(2))
        m = re.match(r"VMTEST-RESULT (\S+) (pass|fail) ?(.*)", line)
        if m:
            results.append((m.group(1), m.group(2) == "pass", m.group(3)))
        m = re.match(r"VMTEST-STAGE (\S+)", line)
        if m:
            stages.append(m.group(1))
    return rcs, rss, results, files, stages, raw


def tool(args, *argv):
    p = subprocess.run([args.tool, *argv], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def walk(objs):
    for o in objs:
        yield o
        yield from walk(o.get("children", []))


def decoded_sessions(doc):
    """{session name: {token: (size, nr_folios)}} from a dump --json."""
    out = {}
    for s in walk(doc.get("objects", [])):
        if s.get("kind") != "luo-session":
            continue
        files = {}
        for f in walk(s.get("children", [])):
            if f.get("kind") != "luo-file":
                continue
            tok = f.get("fields", {}).get("token")
            memfd = [c for c in f.get("children", []) if c.get("kind") == "memfd"]
            if memfd:
                mf = memfd[0].get("fields", {})
                files[tok] = (mf.get("size"), mf.get("nr_folios"))
            else:
                files[tok] = (None, None)
        out[s.get("fields", {}).get("name", s.get("name"))] = files
    return out


def expected_folios(f):
    # 7.2 preserves one order-0 folio per page of a memfd, holes of a
    # sparse one included (kho-field-notes.md §7, seen on the real kernel).
    # PAGE is the guest kernel's page size (its config, not the tool's).
    return (f["size"] + PAGE - 1) // PAGE


def check_decode(args, plan, label, image, extra=(), want_rc=(0,)):
    rc, out, err = tool(args, "dump", "--json", *extra, image)
    if not check(f"{label}: dump exits {' or '.join(map(str, want_rc))}",
                 rc in want_rc, f"exit {rc}: {err.strip()[:300]}"):
        if not out:
            return None
    try:
        doc = json.loads(out)
    except ValueError as e:
        check(f"{label}: dump --json parses", False, str(e))
        return None
    summ = doc.get("summary", {})
    errs = [f for f in doc.get("findings", []) if f.get("severity") == "error"]
    check(f"{label}: 0 errors", summ.get("errors") == 0 and not errs,
          "; ".join(f"{f['check']} {f['path']} {f['message']}" for f in errs[:8]))
    got = decoded_sessions(doc)
    want = {s["name"]: s for s in plan}
    check(f"{label}: sessions are exactly the plan's", set(got) == set(want),
          f"decoded {sorted(got)}, preserved {sorted(want)}")
    for name, s in want.items():
        files = got.get(name, {})
        toks = {f["token"] for f in s["files"]}
        check(f"{label}: {name} tokens", set(files) == toks,
              f"decoded {sorted(map(hex, files))}, preserved {sorted(map(hex, toks))}")
        for f in s["files"]:
            size, nf = files.get(f["token"], (None, None))
            check(f"{label}: {name}/{f['token']:#x} size {f['size']}",
                  size == f["size"], f"decoded {size}")
            check(f"{label}: {name}/{f['token']:#x} folios {expected_folios(f)}",
                  nf == expected_folios(f), f"decoded {nf}")
    return doc


def decoded_facts(doc):
    """What a decode says about the handover, without the image header
    (format, and the facts a format may or may not carry)."""
    return {k: doc.get(k) for k in ("root", "objects", "findings", "summary")}


def captured_pages(args, image, label):
    """Pages `capture --with-data` copies from image (None on failure)."""
    tmp = os.path.join(args.work, "data-capture.img")
    rc, out, err = tool(args, "capture", "--from", image, "--scan", "--with-data",
                        "-o", tmp)
    if os.path.exists(tmp):
        os.unlink(tmp)
    m = re.search(r": (\d+) pages in \d+ segments", out)
    if not check(f"{label}: capture --with-data exits 0", rc == 0 and m,
                 f"exit {rc}: {(out + err).strip()[:300]}"):
        return None
    return int(m.group(1))


def prune_kind(objs, kind):
    """The object trees without any object of that kind (and its subtree)."""
    out = []
    for o in objs:
        if o.get("kind") == kind:
            continue
        o = dict(o)
        if "children" in o:
            o["children"] = prune_kind(o["children"], kind)
        out.append(o)
    return out


def check_vmlinux(args, label, path, elf_doc):
    """--vmlinux instead of --scan: the root FDT through kho_out, read
    from the dump; the same decode as the scan's, minus the note that the
    scan saw two root FDTs (kernel 1's and the one it will hand over are
    the same page here, or the scan's note says why not)."""
    rc, out, err = tool(args, "dump", "--json", "--vmlinux", args.vmlinux, path)
    if not check(f"{label}: dump --vmlinux exits 0", rc == 0,
                 f"exit {rc}: {err.strip()[:300]}"):
        return
    doc = json.loads(out)
    want = decoded_facts(elf_doc)
    got = decoded_facts(doc)
    # --vmlinux names the root FDT itself and does not search for the boot
    # hand-off; --scan uses the hand-off when it finds one.  Compare what
    # both decode of the handover, not the hand-off object.
    for d in (want, got):
        d["findings"] = [f for f in d["findings"] or []
                         if f.get("check") != "image.scan-multiple"
                         and not f.get("check", "").startswith(("handoff.", "scratch."))
                         and "boot-handoff" not in f.get("path", "")]
        d["objects"] = prune_kind(d["objects"] or [], "boot-handoff")
        d.pop("summary", None)
    check(f"{label}: --vmlinux decodes to the same objects as --scan",
          got == want)


def check_other_formats(args, plan, elf_doc):
    """The machine_kexec state in the other dump formats: QEMU's own
    kdump-compressed output (out.kdump-z/-l/-s) and makedumpfile's
    conversions of the ELF dump (out.mdf-c zlib, out.mdf-l lzo, both -d 0;
    out.mdf-c-d31 with user, cache and free pages filtered out).  Each must
    decode with no hint beyond --scan; the unfiltered ones to exactly the
    ELF dump's objects and findings.  -d 31 drops the memfd data pages
    (page cache), never KHO metadata: the same sessions and files, what is
    missing is unknown (not captured), never an error."""
    others = {os.path.basename(p): p for p in args.out_other or ()}
    check("machine_kexec dump in QEMU's kdump-zlib format (-z)",
          "out.kdump-z" in others)
    for name in ("out.mdf-c", "out.mdf-l", "out.mdf-c-d31"):
        check(f"makedumpfile wrote {name}", name in others)
    total_data = sum(expected_folios(f) for s in plan for f in s["files"])
    elf_pages = None
    if any(n.endswith("-d31") for n in others):
        elf_pages = captured_pages(args, args.out_dump, "machine_kexec dump")
    for name, path in sorted(others.items()):
        label = f"{name} ({os.path.getsize(path)} bytes)"
        filtered = name.endswith("-d31")
        doc = check_decode(args, plan, label, path, ("--scan",),
                           (0, 2) if filtered else (0,))
        if not doc:
            continue
        check(f"{name}: read as format kdump",
              doc.get("image", {}).get("format") == "kdump",
              f"format {doc.get('image', {}).get('format')}")
        if not filtered:
            if elf_doc:
                check(f"{name}: same objects and findings as the ELF dump",
                      decoded_facts(doc) == decoded_facts(elf_doc))
                check_vmlinux(args, name, path, elf_doc)
            continue
        odd = [f"{f['severity']} {f['check']}" for f in doc.get("findings", [])
               if f.get("severity") in ("unknown", "warning")
               and not f["check"].endswith("not-captured")]
        check(f"{name}: unknowns and warnings are only not-captured", not odd,
              "; ".join(odd[:8]))
        pages = captured_pages(args, path, name)
        if pages is not None and elf_pages is not None:
            print(f"info {name}: capture --with-data {pages} pages, "
                  f"ELF dump {elf_pages}; memfd data {total_data} pages")
            check(f"{name}: the {total_data} memfd data pages are not captured",
                  pages <= elf_pages - total_data,
                  f"{pages} pages, ELF dump {elf_pages}")


def fixtures(args):
    """make check: the committed tests/real/ fixtures, each with its plan."""
    for d in args.fixture:
        fixture(args, d, read_plan(os.path.join(d, "plan")))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def strip_notes(src, dst):
    """Copy an ELF64 little-endian core with every PT_NOTE made PT_NULL."""
    import struct
    b = bytearray(open(src, "rb").read())
    phoff, = struct.unpack_from("<Q", b, 32)
    phentsize, phnum = struct.unpack_from("<HH", b, 54)
    for i in range(phnum):
        if struct.unpack_from("<I", b, phoff + i * phentsize)[0] == 4:
            struct.pack_into("<I", b, phoff + i * phentsize, 0)
    open(dst, "wb").write(bytes(b))


def fixture(args, d, plan):
    global PAGE
    # The guest kernel's page size, written from its config at regen.
    ps_file = os.path.join(d, "page_size")
    PAGE = int(open(ps_file).read()) if os.path.exists(ps_file) else 4096
    label = f"real {os.path.basename(d.rstrip('/'))}"
    check_decode(args, plan, f"{label} outgoing image", os.path.join(d, "out.img"))
    table = os.path.join(d, "target.table")
    rc, out, err = tool(args, "preflight", "--target", table, os.path.join(d, "out.img"))
    check(f"{label} outgoing image: preflight GO against the kernel's own table",
          rc == 0, f"exit {rc}: {(out + err).strip()[:600]}")
    if os.path.exists(ps_file):
        # The real structures decide the page size: the same image with
        # its notes turned into PT_NULL states nothing.
        bare = os.path.join(args.work or "/tmp", f"{os.path.basename(d.rstrip('/'))}-bare.elf")
        strip_notes(os.path.join(d, "out.img"), bare)
        doc = check_decode(args, plan, f"{label} outgoing image without notes", bare,
                           ("--scan",))
        img = (doc or {}).get("image", {})
        check(f"{label} without notes: page size {PAGE} from the structures",
              img.get("page_size") == PAGE and img.get("page_size_source") == "structure",
              f"{img.get('page_size')} ({img.get('page_size_source')})")
        os.unlink(bare)
    # x86-64 runs also keep kernel 2's state and both debugfs trees; the
    # arm64 ones (no shell in the guest) only the outgoing image.
    want = {"in.img": 0, "debugfs-in/in": 0, "debugfs-out/out": 2}
    if os.path.exists(ps_file):
        want = {}
    for name, code in want.items():
        rc, out, err = tool(args, "check", "--json", os.path.join(d, name))
        check(f"{label} {name}: check exits {code}", rc == code,
              f"exit {rc}: {(out + err).strip()[:600]}")
        sev = {f["severity"] for f in json.loads(out).get("findings", [])} if out else {"?"}
        check(f"{label} {name}: no error, no warning", not sev & {"error", "warning", "?"},
              f"severities {sorted(sev)}")


def handoff_obj(doc):
    objs = [o for o in walk(doc.get("objects", [])) if o.get("kind") == "boot-handoff"]
    return objs[0] if objs else None


def scan_root(args, image):
    """The root FDT address --fdt-phys-free --scan settles on (the old way)."""
    rc, out, err = tool(args, "dump", "--json", "--scan", image)
    try:
        return json.loads(out)["objects"][0].get("phys")
    except (ValueError, KeyError, IndexError):
        return None


def handoff_out(args):
    """machine_kexec: the staged kexec buffer names the root FDT; the
    scratch array, a kexec segment, is not at its destination yet."""
    rc, out, err = tool(args, "dump", "--json", args.out_dump)
    try:
        doc = json.loads(out)
    except ValueError:
        check("machine_kexec dump: hand-off found without --scan", False,
              f"exit {rc}: {err.strip()[:300]}")
        return
    h = handoff_obj(doc)
    if not check("machine_kexec dump: hand-off found without --scan", h is not None):
        return
    f = h.get("fields", {})
    check("machine_kexec dump: the hand-off is kexec's staged copy",
          "staged_for" in f, str(f))
    want = scan_root(args, args.out_dump)
    check("machine_kexec dump: the hand-off's root FDT is the one --scan finds",
          want is not None and f.get("fdt_addr") == want,
          f"hand-off {f.get('fdt_addr')}, --scan {want}")
    ids = {x["check"] for x in doc.get("findings", [])}
    check("machine_kexec dump: the staged scratch array is noted as not there yet",
          "scratch.staged" in ids, str(sorted(ids)))


def handoff_in(args, plan):
    """Kernel 2: its own boot_params copy still points at the setup_data
    node (reserved), the root FDT (preserved) and the scratch array (kept
    by kho_populate); check finds all three with no --scan or --fdt-phys."""
    rc, out, err = tool(args, "check", "--json", args.in_dump)
    check("incoming dump: check via the hand-off exits 0", rc == 0,
          f"exit {rc}: {(out + err).strip()[:600]}")
    rc, out, err = tool(args, "dump", "--json", args.in_dump)
    try:
        doc = json.loads(out)
    except ValueError:
        check("incoming dump: hand-off found without --scan", False, err.strip()[:300])
        return
    h = handoff_obj(doc)
    if not check("incoming dump: hand-off found without --scan", h is not None):
        return
    f = h.get("fields", {})
    check("incoming dump: the hand-off is in place (not staged)", "staged_for" not in f, str(f))
    want = scan_root(args, args.in_dump)
    check("incoming dump: the hand-off's root FDT is the one --scan finds",
          want is not None and f.get("fdt_addr") == want,
          f"hand-off {f.get('fdt_addr')}, --scan {want}")
    # What 7.2's kho_reserve_scratch writes: nodes + 2 areas (one node
    # here), the first below 4 GiB, as 16-byte entries.
    arr = [c for c in h.get("children", []) if c.get("kind") == "scratch-array"]
    areas = arr[0].get("children", []) if arr else []
    check("incoming dump: scratch array read, 3 areas (lowmem, global, node 0)",
          len(areas) == 3 and f.get("scratch_size") == 48,
          f"{len(areas)} areas, scratch_size {f.get('scratch_size')}")
    if areas:
        a0 = areas[0].get("fields", {})
        check("incoming dump: scratch area 0 is below 4 GiB",
              int(a0.get("addr", "0x0"), 16) + a0.get("size", 0) <= 1 << 32, str(a0))
    bad = [x for x in doc.get("findings", [])
           if x["check"].startswith(("scratch.", "handoff."))
           and x["severity"] in ("error", "warning", "unknown")]
    check("incoming dump: scratch checks ran and found nothing wrong", arr and not bad,
          "; ".join(f"{x['check']} {x['message']}" for x in bad[:4]))
    check("incoming dump: direction in (kernel 2's own boot_params)",
          doc.get("image", {}).get("direction") == "in", str(doc.get("image")))


def kernel_checks(prefix, plan, results, stages, raw):
    """What the real kernels did, from the guest's console: kernel 1
    preserved the plan and kexec'ed, kernel 2 found the handover and
    restored every session and memfd byte for byte."""
    check(f"{prefix}kernel 1 booted", "kernel1" in stages)
    check(f"{prefix}kernel 1 preserved the plan",
          sum(1 for n, ok, _ in results if n == "preserve-session" and ok) == len(plan))
    check(f"{prefix}kexec_file_load accepted",
          any(n == "kexec-load" and ok for n, ok, _ in results))
    check(f"{prefix}kernel 2 booted through KHO", "kernel2" in stages)
    check(f"{prefix}kernel 2 found the handover", "KHO: found kexec handover data" in raw)
    for s in plan:
        for f in s["files"]:
            tag = f"{s['name']}/{f['token']:#x} "
            check(f"{prefix}kernel 2 verified {tag.strip()} byte for byte",
                  any(n == "memfd-bytes" and ok and d.startswith(tag) for n, ok, d in results))
        check(f"{prefix}kernel 2 restored session {s['name']}",
              any(n == "session-restored" and ok and d.startswith(s["name"] + " ")
                  for n, ok, d in results))
    bad = [f"{n} {d}" for n, ok, d in results if not ok]
    check(f"{prefix}no guest step failed", not bad, "; ".join(bad))


def compat_set(args, target):
    rc, out, err = tool(args, "compat-table", "--json", target)
    if rc != 0:
        return None, f"exit {rc}: {err.strip()[:300]}"
    return sorted(e["compat"] for e in json.loads(out)["table"]), ""


def arch_run(args):
    """make vmtest on arm64 (scripts/vmtest-arm64.sh): one guest with no
    shell, one machine_kexec dump with no KHO note and no VMCOREINFO."""
    global PAGE
    PAGE = args.page_size
    label = args.arch_run
    plan = read_plan(args.plan)
    rcs, rss, results, files, stages, raw = parse_console(args.console)
    kernel_checks(f"{label}: ", plan, results, stages, raw)
    check(f"{label}: guest retrieve exits 0", rcs.get("retrieve") == 0,
          f"exit {rcs.get('retrieve')}")

    out_img = os.path.join(args.work, "out.img")
    if check(f"{label}: machine_kexec dump taken", bool(args.out_dump)):
        # No --page-size, no --fdt-phys: the dump must say it all.
        doc = check_decode(args, plan, f"{label} machine_kexec dump", args.out_dump,
                           ("--scan",))
        if doc:
            img = doc.get("image", {})
            check(f"{label}: page size {PAGE} found without hints",
                  img.get("page_size") == PAGE,
                  f"decoded {img.get('page_size')} ({img.get('page_size_source')})")
            check(f"{label}: page size decided, not assumed",
                  img.get("page_size_source") not in ("default", "unknown", "option"),
                  str(img.get("page_size_source")))
            print(f"info {label}: page size {img.get('page_size')} decided by "
                  f"{img.get('page_size_source')}")
            for f in doc.get("findings", []):
                if f["check"] == "image.page-size-structure":
                    print(f"info {label}: {f['message']}")
        # With no option at all the /chosen hand-off (kexec's staged DTB
        # for kernel 2) names the root FDT.
        check_decode(args, plan, f"{label} machine_kexec dump, no option", args.out_dump)
        rc, out, err = tool(args, "capture", "--from", args.out_dump, "--scan", "-o", out_img)
        if check(f"{label}: capture --from the machine_kexec dump", rc == 0, err.strip()[:300]):
            print(f"info {label} compact outgoing image: {os.path.getsize(out_img)} bytes")
            check_decode(args, plan, f"{label} compact outgoing image", out_img)
        for target in (args.image, args.image_gz, args.vmlinux):
            rc, out, err = tool(args, "preflight", "--target", target, "--scan", args.out_dump)
            check(f"{label}: preflight GO against {os.path.basename(target)}", rc == 0,
                  f"exit {rc}: {(out + err).strip()[:600]}")
    # The three forms of one kernel are one table, and 7.2 has memfd-v2.
    tables = {}
    for target in (args.image, args.image_gz, args.vmlinux):
        t, why = compat_set(args, target)
        check(f"{label}: compat-table reads {os.path.basename(target)}", t is not None, why)
        tables[os.path.basename(target)] = t
    got = [t for t in tables.values() if t is not None]
    check(f"{label}: Image, Image.gz and vmlinux give one table",
          len(got) == 3 and got[0] == got[1] == got[2],
          "; ".join(f"{k}: {v}" for k, v in tables.items()))
    check(f"{label}: the table has memfd-v2",
          all("memfd-v2" in t for t in got) and got, str(tables))
    if args.regen and args.out_dump:
        d = args.regen
        os.makedirs(d, exist_ok=True)
        if os.path.exists(out_img):
            shutil.copy(out_img, os.path.join(d, "out.img"))
        t, _ = compat_set(args, args.image)
        if t is not None:
            with open(os.path.join(d, "target.table"), "w") as f:
                f.write(f"# compat-table of the arm64 Image of {args.provenance}\n")
                for c in t:
                    f.write(c + "\n")
        shutil.copy(args.plan, os.path.join(d, "plan"))
        with open(os.path.join(d, "page_size"), "w") as f:
            f.write(f"{PAGE}\n")
        with open(os.path.join(d, "PROVENANCE"), "w") as f:
            f.write(args.provenance + "\n")
        print(f"info fixtures written to {d}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan")
    ap.add_argument("--tool", required=True)
    ap.add_argument("--fixture", action="append")
    ap.add_argument("--console")
    ap.add_argument("--bzimage")
    ap.add_argument("--vmlinux")
    ap.add_argument("--work")
    ap.add_argument("--out-dump")
    ap.add_argument("--in-dump")
    ap.add_argument("--out-other", action="append")
    ap.add_argument("--host-steps")
    ap.add_argument("--regen")
    ap.add_argument("--provenance", default="")
    ap.add_argument("--arch-run", help="LABEL: an arm64 run (scripts/vmtest-arm64.sh)")
    ap.add_argument("--page-size", type=int, default=4096,
                    help="the guest kernel's page size, from its config")
    ap.add_argument("--image")
    ap.add_argument("--image-gz")
    ap.add_argument("--fault", action="append", default=[],
                    help="NAME:PLAN:RUNDIR of a fault run (tests/vm/fault.py)")
    args = ap.parse_args()
    if args.fixture:
        return fixtures(args)
    if args.arch_run:
        return arch_run(args)
    plan = read_plan(args.plan)
    rcs, rss, results, files, stages, raw = parse_console(args.console)

    # What the real kernel did.
    kernel_checks("", plan, results, stages, raw)

    # The tool inside the guest: every one of these must succeed on a good
    # handover.
    # Kernel 1's debugfs out/ holds no preserved memory, so what lies behind
    # its pointers is unknown (exit 2), never an error; all else is fine.
    want_rc = {"check-debugfs-out": 2}
    for name in ["preflight-live", "capture-out", "check-capture-out",
                 "insmod-out", "check-module-out", "check-debugfs-in",
                 "capture-in", "check-capture-in", "insmod-in",
                 "check-module-in", "retrieve"]:
        want_rc[name] = 0
    for name, want in want_rc.items():
        check(f"guest: {name} exits {want}", rcs.get(name) == want,
              f"exit {rcs.get(name)}")
    for name, kib in sorted(rss.items()):
        print(f"info guest {name}: peak RSS {kib} KiB")
    for m in re.finditer(r"located through (\S+) \((\S+) at \S+\); (\d+) bytes read from /proc/kcore", raw):
        print(f"info guest capture located the root FDT through {m.group(1)} "
              f"({m.group(2)}), {m.group(3)} bytes read from /proc/kcore")

    # The host's own steps: the module build against the tree under test
    # and checkpatch on the patch and the module.
    for line in open(args.host_steps) if args.host_steps else ():
        name, rc = line.split()
        check(f"host: {name} exits 0", rc == "0", f"exit {rc}, see {name}.log")

    # The host, on QEMU's dumps.
    out_img = os.path.join(args.work, "out.img")
    in_img = os.path.join(args.work, "in.img")
    if check("machine_kexec dump taken", bool(args.out_dump)):
        elf_doc = check_decode(args, plan, "machine_kexec dump", args.out_dump,
                               ("--scan",))
        if elf_doc:
            check_vmlinux(args, "machine_kexec dump", args.out_dump, elf_doc)
        check_other_formats(args, plan, elf_doc)
        rc, out, err = tool(args, "capture", "--from", args.out_dump, "--scan", "-o", out_img)
        if check("capture --from the machine_kexec dump", rc == 0, err.strip()[:300]):
            print(f"info compact outgoing image: {os.path.getsize(out_img)} bytes")
            check_decode(args, plan, "compact outgoing image", out_img)
        for target in (args.bzimage, args.vmlinux):
            rc, out, err = tool(args, "preflight", "--target", target, "--scan", args.out_dump)
            check(f"preflight GO against {os.path.basename(target)}", rc == 0,
                  f"exit {rc}: {(out + err).strip()[:600]}")
    if args.out_dump:
        handoff_out(args)
    if args.in_dump:
        handoff_in(args, plan)
    if check("incoming dump taken", bool(args.in_dump)):
        rc, out, err = tool(args, "capture", "--from", args.in_dump, "--scan",
                            "--direction", "in", "-o", in_img)
        if check("capture --from the incoming dump", rc == 0, err.strip()[:300]):
            rc, out, err = tool(args, "check", in_img)
            check("incoming compact image checks clean", rc == 0,
                  f"exit {rc}: {(out + err).strip()[:600]}")

    # Kernel 1's and kernel 2's debugfs, as the real kernel wrote them.
    for name in ("debugfs-out.tar", "debugfs-in.tar"):
        if check(f"guest shipped {name}", name in files):
            with tarfile.open(fileobj=io.BytesIO(files[name])) as t:
                fdt = [m for m in t.getmembers() if m.name.endswith("/fdt")]
                check(f"{name} holds a non-empty fdt", fdt and fdt[0].size > 0,
                      "debugfs files must be copied by reading them")

    # Fault runs: the prediction made at machine_kexec against what the
    # plan says 7.2 does, and against what kernel 2 then did.
    for spec in args.fault:
        name, fplan, rundir = spec.split(":", 2)
        fault.verify(name, fplan, rundir, check)

    if args.regen:
        regen(args, files, out_img, in_img)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def regen(args, files, out_img, in_img):
    d = args.regen
    os.makedirs(d, exist_ok=True)
    for name in ("debugfs-out.tar", "debugfs-in.tar"):
        if name in files:
            sub = os.path.join(d, name[:-4])
            shutil.rmtree(sub, ignore_errors=True)
            with tarfile.open(fileobj=io.BytesIO(files[name])) as t:
                t.extractall(sub)
    for src, dst in ((out_img, "out.img"), (in_img, "in.img")):
        if os.path.exists(src):
            shutil.copy(src, os.path.join(d, dst))
    # The kernel's table as a text table (one compat string a line), so
    # that make check can ask preflight against it without the kernel.
    rc, out, err = tool(args, "compat-table", "--json", args.bzimage)
    if check("compat-table of the bzImage for the fixtures", rc == 0, err.strip()):
        doc = json.loads(out)
        with open(os.path.join(d, "target.table"), "w") as f:
            f.write(f"# compat-table of the bzImage of {args.provenance}\n")
            f.write(f"# {doc.get('note', '')}\n")
            for e in doc["table"]:
                f.write(e["compat"] + "\n")
    shutil.copy(args.plan, os.path.join(d, "plan"))
    with open(os.path.join(d, "PROVENANCE"), "w") as f:
        f.write(args.provenance + "\n")
    print(f"info fixtures written to {d}")


if __name__ == "__main__":
    sys.exit(main())
