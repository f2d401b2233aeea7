#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Validate kho-inspect JSON documents against tests/json/schema.json and
the scripting contract of kho-inspect-json(5).

  validate.py [--schema FILE] --corpus DIR [--min N]
      every document kept by the test wrapper (tests/json/corpus.sh): DIR
      holds NAME (stdout of one `kho-inspect ... -j` run) and NAME.meta
      (its exit status on the first line, then its argv, NUL-separated).
  validate.py [--schema FILE] --doc FILE --command CMD --rc N
      one document.

Prints one "INVALID ..." line per bad document, for a corpus a line
"by command: check=N dump=M ..." of the valid ones, and a last line
"N valid, M invalid"; exits 1 when one is invalid or fewer than N (--min)
documents were found.  Only the standard library is used.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

COMMANDS = ["dump", "check", "memmap", "browse", "compat-table", "preflight",
            "diff", "capture", "checks", "plugins", "help"]
# Global options that take a separate argument (src/cli/common.c).
ARG_OPTS = {"--plugin-dir", "--fdt-phys", "--page-size", "--radix-depth",
            "--v1-bitmap-bytes", "--color", "--ignore", "--error"}
SEVS = [("errors", "error"), ("unknown", "unknown"),
        ("warnings", "warning"), ("notes", "note")]


class Invalid(Exception):
    pass


# ------------------------------------------------------- schema subset

def resolve(root, ref):
    if not ref.startswith("#/"):
        raise Invalid("unsupported $ref %s" % ref)
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def type_ok(v, t):
    if t == "object":
        return isinstance(v, dict)
    if t == "array":
        return isinstance(v, list)
    if t == "string":
        return isinstance(v, str)
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "boolean":
        return isinstance(v, bool)
    if t == "null":
        return v is None
    raise Invalid("unsupported type %s" % t)


def check(root, sch, v, where):
    import re
    if "$ref" in sch:
        return check(root, resolve(root, sch["$ref"]), v, where)
    if "anyOf" in sch:
        errs = []
        for alt in sch["anyOf"]:
            try:
                check(root, alt, v, where)
                break
            except Invalid as e:
                errs.append(str(e))
        else:
            raise Invalid("%s: matches no alternative (%s)" %
                          (where, "; ".join(errs)))
    if "type" in sch:
        ts = sch["type"] if isinstance(sch["type"], list) else [sch["type"]]
        if not any(type_ok(v, t) for t in ts):
            raise Invalid("%s: %r is not %s" % (where, v, "/".join(ts)))
    if "const" in sch and not (v == sch["const"] and
                               type(v) is type(sch["const"])):
        raise Invalid("%s: %r is not %r" % (where, v, sch["const"]))
    if "enum" in sch and not any(v == e and type(v) is type(e)
                                 for e in sch["enum"]):
        raise Invalid("%s: %r is not one of %r" % (where, v, sch["enum"]))
    if "minimum" in sch and isinstance(v, int) and v < sch["minimum"]:
        raise Invalid("%s: %r < %r" % (where, v, sch["minimum"]))
    if "pattern" in sch and isinstance(v, str) and \
            not re.search(sch["pattern"], v):
        raise Invalid("%s: %r does not match %s" %
                      (where, v, sch["pattern"]))
    if isinstance(v, dict):
        props = sch.get("properties", {})
        for k in sch.get("required", []):
            if k not in v:
                raise Invalid("%s: missing %r" % (where, k))
        extra = sch.get("additionalProperties", True)
        for k, x in v.items():
            if k in props:
                check(root, props[k], x, "%s.%s" % (where, k))
            elif extra is False:
                raise Invalid("%s: unexpected member %r" % (where, k))
            elif isinstance(extra, dict):
                check(root, extra, x, "%s.%s" % (where, k))
    if isinstance(v, list) and "items" in sch:
        for i, x in enumerate(v):
            check(root, sch["items"], x, "%s[%d]" % (where, i))


# ------------------------------------------------------------ contract

def command_of(argv):
    """The command of a kho-inspect argv (without argv[0]), by prefix."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            i += 1
            break
        if a.startswith("-") and a != "-":
            if a in ARG_OPTS:
                i += 1
            i += 1
            continue
        break
    if i >= len(argv):
        return None
    name = argv[i]
    if name in COMMANDS:
        return name
    hits = [c for c in COMMANDS if c.startswith(name)]
    # A candidate that is a prefix of all the others wins ("che": check).
    first = [c for c in hits if all(h.startswith(c) for h in hits)]
    return first[0] if first else None


def counts(obj):
    return [obj[k] for k, _ in SEVS]


def contract(schema, cmd, doc, keys, rc):
    if not keys or keys[0] != "schema":
        raise Invalid('the first member is %r, not "schema"' %
                      (keys[0] if keys else None))
    if doc.get("exit") != rc:
        raise Invalid('"exit" is %r but the process exited %d' %
                      (doc.get("exit"), rc))
    verdict = doc.get("verdict")
    table = schema["verdicts"]["error" if verdict == "error" else cmd]
    if verdict not in table:
        raise Invalid("verdict %r is not one of %s for %s" %
                      (verdict, sorted(table), cmd))
    if table[verdict] != rc:
        raise Invalid("verdict %r goes with exit %d, not %d" %
                      (verdict, table[verdict], rc))
    s = doc.get("summary")
    if verdict == "error" or not isinstance(s, dict) or "total" not in s:
        return
    total, listed = counts(s["total"]), counts(s["listed"])
    if counts(s) != total:
        raise Invalid("summary counts %r differ from summary.total %r" %
                      (counts(s), total))
    if any(a > b for a, b in zip(listed, total)):
        raise Invalid("summary.listed %r exceeds summary.total %r" %
                      (listed, total))
    if "findings" in doc:
        entries = list(doc["findings"])
        if isinstance(doc.get("compat"), dict):
            entries += doc["compat"]["findings"]
        seen = [sum(1 for f in entries if f["severity"] == sev and
                    not f.get("unlisted")) for _, sev in SEVS]
        if seen != listed:
            raise Invalid("summary.listed %r, but the findings list %r" %
                          (listed, seen))
        more = [sum(f.get("unlisted", 0) for f in entries
                    if f["severity"] == sev) for _, sev in SEVS]
        if any(l + m > t for l, m, t in zip(listed, more, total)):
            raise Invalid("listed %r plus unlisted %r exceed total %r" %
                          (listed, more, total))
    errors, unknown = total[0], total[1]
    if cmd in ("dump", "check", "memmap"):
        want = 1 if errors else 2 if unknown else 0
        if rc != want:
            raise Invalid("summary has %d errors, %d unknown: exit should "
                          "be %d, not %d" % (errors, unknown, want, rc))
    if cmd == "preflight":
        bad = doc["compat"]["errors"] + doc["structural_errors"]
        if (verdict == "no-go") != (bad > 0):
            raise Invalid("verdict %s with %d compat and %d structural "
                          "errors" % (verdict, doc["compat"]["errors"],
                                      doc["structural_errors"]))
        if errors != bad:
            raise Invalid("summary.errors %d, but %d compat + structural" %
                          (errors, bad))
    if cmd == "diff" and doc["equal"] != (rc == 0):
        raise Invalid('"equal" %r with exit %d' % (doc["equal"], rc))


def validate(schema, cmd, text, rc):
    """Raise Invalid unless text is exactly one valid document."""
    dec = json.JSONDecoder()
    text = text.strip()
    if not text:
        raise Invalid("no JSON on standard output")
    try:
        doc, end = dec.raw_decode(text)
    except (ValueError, TypeError) as e:
        raise Invalid("not JSON: %s" % e)
    if text[end:].strip():
        raise Invalid("more than one JSON document")
    if not isinstance(doc, dict):
        raise Invalid("the document is not an object")
    keys = list(doc)  # json keeps the members in document order
    if doc.get("verdict") == "error":
        cmd = cmd or "error"  # no command, an unknown or ambiguous one
    if cmd is None:
        raise Invalid("cannot tell the command")
    if cmd not in schema["commands"] and doc.get("verdict") != "error":
        raise Invalid("%s prints no JSON document of its own" % cmd)
    name = schema["commands"]["error" if doc.get("verdict") == "error"
                              else cmd]
    check(schema, schema["definitions"][name], doc, name)
    contract(schema, cmd, doc, keys, rc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schema", default=os.path.join(HERE, "schema.json"))
    ap.add_argument("--corpus")
    ap.add_argument("--min", type=int, default=1)
    ap.add_argument("--doc")
    ap.add_argument("--command")
    ap.add_argument("--rc", type=int, default=0)
    a = ap.parse_args()
    schema = json.load(open(a.schema))
    good = bad = 0
    seen = {}
    if a.doc:
        try:
            validate(schema, a.command, open(a.doc, errors="replace").read(),
                     a.rc)
            good += 1
        except Invalid as e:
            print("INVALID %s: %s" % (a.doc, e))
            bad += 1
    else:
        names = sorted(n for n in os.listdir(a.corpus)
                       if not n.endswith(".meta")) if a.corpus and \
            os.path.isdir(a.corpus) else []
        for n in names:
            path = os.path.join(a.corpus, n)
            try:
                with open(path + ".meta", "rb") as f:
                    head, _, rest = f.read().partition(b"\n")
                rc = int(head)
                argv = [x.decode(errors="replace")
                        for x in rest.split(b"\0")[:-1]]
            except (OSError, ValueError):
                print("INVALID %s: no readable .meta" % n)
                bad += 1
                continue
            try:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                cmd = command_of(argv[1:])
                validate(schema, cmd, text, rc)
                good += 1
                seen[cmd or "error"] = seen.get(cmd or "error", 0) + 1
            except (Invalid, UnicodeDecodeError) as e:
                print("INVALID %s (%s: kho-inspect %s): %s" %
                      (n, argv[0] if argv else "?",
                       " ".join(argv[1:])[:300], str(e)[:600]))
                bad += 1
    if seen:
        print("by command: " + " ".join("%s=%d" % kv
                                        for kv in sorted(seen.items())))
    print("%d valid, %d invalid" % (good, bad))
    if good + bad < a.min:
        print("FAIL: only %d documents, want at least %d" %
              (good + bad, a.min))
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
