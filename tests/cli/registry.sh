#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The check registry (issue 13): every finding id reported anywhere in
# src/ or plugins/ is declared exactly once, in the host's table
# (src/decode/check_registry.h) or in one plugin's checks[] list; `kho-inspect
# checks` lists exactly the declared ids; --ignore and --error filter the
# findings of every command, and a bad id is a usage error with an exact
# message.  Prints "N passed, M failed".

set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

# ---- the declarations, read from the source
# registry TOP: prints "reported N", "declared N", then one line per
# problem ("undeclared ID (file)", "twice ID (owners)"), then the declared
# ids as "decl ID OWNER CAP" lines (CAP 0: not capped).  Reported ids are found the way
# consequence.sh finds them: every string literal of the form
# component.what in a .c file (report calls, cap tables, checks[] lists).
cat >"$T/registry.py" <<'PY'
import os, re, sys
top = sys.argv[1]
idre = re.compile(r'"([a-z0-9-]+\.[a-z0-9-]+(?:\.[a-z0-9-]+)*)"')
reported = {}
for d in ("src", "plugins"):
    for root, _, files in os.walk(os.path.join(top, d)):
        for f in sorted(files):
            if f.endswith(".c"):
                p = os.path.join(root, f)
                for i in idre.findall(open(p).read()):
                    if not i.endswith((".h", ".c", ".so")):
                        reported.setdefault(i, os.path.relpath(p, top))
decl = []  # (id, owner, cap)
core = open(os.path.join(top, "src/decode/check_registry.h")).read()
decl += [(i, "core", int(c)) for i, c in
         re.findall(r'^CHECK\("([^"]+)", \w+, (\d+),', core, re.M)]
# A plugin declares what its .checks list (ids) or .check_list (struct
# kho_check: id and cap, a number or a #define of the file) holds, up to
# the NULL that ends it.
for root, _, files in os.walk(os.path.join(top, "plugins")):
    for f in sorted(files):
        if not f.endswith(".c"):
            continue
        t = open(os.path.join(root, f)).read()
        m = re.search(r'\.check(s|_list)\s*=\s*(\w+)', t)
        if not m:
            continue
        name = re.search(r'\.name\s*=\s*"([^"]+)"', t).group(1)
        body = re.search(r'\b%s\[\]\s*=\s*\{(.*?)\};' % m.group(2), t, re.S).group(1)
        defs = dict(re.findall(r'^#define (\w+) (\d+)u?$', t, re.M))
        if m.group(1) == "s":
            ents = [(e, "0") for e in
                    re.findall(r'(?:\[\w+\]\s*=\s*)?("[^"]*"|NULL)', body)]
        else:
            ents = re.findall(r'\{\s*("[^"]*"|NULL)\s*,\s*(\w+)\s*\}', body)
        for entry, cap in ents:
            if entry == "NULL":
                break
            decl.append((entry.strip('"'), name + (" (example)" if "example" in root else ""),
                         int(defs.get(cap, cap))))
owners = {}
for i, o, _ in decl:
    owners.setdefault(i, []).append(o)
print("reported", len(reported))
print("declared", len(owners))
for i in sorted(reported):
    if i not in owners:
        print("undeclared %s (%s)" % (i, reported[i]))
for i in sorted(owners):
    if len(owners[i]) > 1:
        print("twice %s (%s)" % (i, ", ".join(owners[i])))
for i, o, c in decl:
    print("decl %s %s %d" % (i, o.split(" ")[0] if "(example)" not in o else "example-plugin", c))
# A consequence rule for an exact id nobody declares is stale (a pattern
# with '*' may match ids of plugins not built here; "@CONTEXT" narrows a
# rule to one place and is not part of the id; a "proposed id:" rule
# grades an id doc/consequence-notes.md proposes to split out).
rules = open(os.path.join(top, "src/decode/consequence_rules.h")).read()
for i, line in re.findall(r'^RULE\("([^"*@]+)[@"](.*)$', rules, re.M):
    if i not in owners and "proposed id:" not in line:
        print("stale-rule %s" % i)
PY
python3 "$T/registry.py" "$top" >"$T/reg"
nrep=$(sed -n 's/^reported //p' "$T/reg")
ndecl=$(sed -n 's/^declared //p' "$T/reg")
check "the scan found the reported ids ($nrep)" [ "${nrep:-0}" -gt 200 ]
check "the scan found the declared ids ($ndecl)" [ "${ndecl:-0}" -gt 200 ]
if grep -q '^undeclared ' "$T/reg"; then
	fail "ids reported but declared nowhere: $(sed -n 's/^undeclared //p' "$T/reg" | tr '\n' ' ')"
else ok; fi
if grep -q '^stale-rule ' "$T/reg"; then
	fail "consequence rules for ids nobody declares: $(sed -n 's/^stale-rule //p' "$T/reg" | tr '\n' ' ')"
else ok; fi
if grep -q '^twice ' "$T/reg"; then
	fail "ids declared more than once: $(sed -n 's/^twice //p' "$T/reg" | tr '\n' ' ')"
else ok; fi

# The scan can fail: an id reported in a copy of the tree but declared
# nowhere, and one declared twice, are both named.
mkdir -p "$T/tree"
cp -r "$top/src" "$top/plugins" "$T/tree/"
printf '%s\n' 'static const char *made_up = "root.made-up-id";' >>"$T/tree/src/decode/root.c"
printf '%s\n' 'CHECK("memfd.flags", NOTE, 0, "again")' >>"$T/tree/src/decode/check_registry.h"
printf '%s\n' 'RULE("root.made-up-rule", "any", 0, 0, NONE, "none")' >>"$T/tree/src/decode/consequence_rules.h"
python3 "$T/registry.py" "$T/tree" >"$T/reg2"
contains "scan: a rule for an undeclared id is named" "$T/reg2" "stale-rule root.made-up-rule"
contains "scan: an undeclared id is named" "$T/reg2" "undeclared root.made-up-id (src/decode/root.c)"
contains "scan: a twice-declared id is named" "$T/reg2" "twice memfd.flags (core, memfd)"

# ---- kho-inspect checks lists exactly the declared ids (the build-tree
# plugins; the example plugin is built only by components.sh)
grep '^decl ' "$T/reg" | grep -v ' example-plugin ' | cut -d' ' -f2,3,4 | sort >"$T/want"
# The caps the scan read: the four decoders that bound per-entry findings
# (memory maps 32, LUO and memfd 100) and the two shared memmap ids.
check "the scan found capped ids" [ "$(awk '$3 > 0' "$T/want" | wc -l)" -ge 30 ]
contains "the scan: memfd.folio-beyond-size is capped at 100" "$T/want" "memfd.folio-beyond-size memfd 100"
contains "the scan: radix.bad-key is capped at 32" "$T/want" "radix.bad-key radix 32"
expect_exit "checks --json" 0 "$KI" checks --json
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert list(d)[:3] == ["schema", "verdict", "exit"], list(d)
for c in d["checks"]:
    print(c["id"], c["owner"], c["cap"])' "$T/out" | sort >"$T/got"
if cmp -s "$T/want" "$T/got"; then ok; else
	fail "checks --json differs from the declarations (id, owner, cap)"
	diff "$T/want" "$T/got" | head -n 10
fi
check "checks --json: the shared memmap ids belong to the core" \
	grep -qx 'memmap.scratch-overlap core 32' "$T/got"
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
by = {c["id"]: c for c in d["checks"]}
# Core ids carry severity and summary; plugin ids neither (checks[] has
# only the id).  Consequences from src/decode/consequence_rules.h for 7.2.
assert by["root.bad-magic"]["severity"] == "error", by["root.bad-magic"]
assert by["root.bad-magic"]["summary"], by["root.bad-magic"]
assert by["memfd.flags"]["owner"] == "memfd" and by["memfd.flags"]["severity"] is None
assert by["memfd.flags"]["consequence"] == "none", by["memfd.flags"]
assert by["luo.files-null-count"]["consequence"] == "warning-only"
assert by["memmap.unattributed"]["consequence"] == "none"' "$T/out" 2>"$T/pyerr" && ok ||
	fail "checks --json entries: $(tail -n 1 "$T/pyerr")"
expect_exit "checks (text)" 0 "$KI" checks
contains "checks text: header" "$T/out" "ID"
contains "checks text: a CAP column" "$T/out" " CAP "
# The text shows the declared cap, '-' for none.
want_line() { # ID: the cap of ID in the scan, '-' for 0
	awk -v id="$1" '$1 == id { print ($3 == 0 ? "-" : $3) }' "$T/want"
}
for id in memfd.folio-beyond-size luo.session-duplicate memfd.flags root.bad-magic; do
	w=$(want_line "$id")
	check "checks text: $id cap $w" \
		[ "$(awk -v id="$id" '$1 == id { print $4 }' "$T/out")" = "$w" ]
done
check "checks text: one line per id" [ "$(($(wc -l <"$T/out") - 1))" -eq "$(wc -l <"$T/want")" ]
expect_exit "checks takes no operand" 2 "$KI" checks x
contains "checks takes no operand: message" "$T/err" "kho-inspect: checks: unexpected argument 'x'"
# "chec" stays check: the prefix of every candidate wins.
expect_exit "the prefix chec is still check" 2 "$KI" chec
contains "the prefix chec is still check: message" "$T/err" "kho-inspect: check: missing INPUT"

# ---- --ignore / --error on a scenario image
# memfd.flags: mm/memfd_luo.c never reads the flags, a note (consequence.sh).
mkimg flags 'generation = g4
[luo]
[session s]
[file]
compatible = memfd-v2
token = 1
folios = 2 x order0
break session[0].file[0].memfd.flags = 4' || true
# nf FILE CHECK SEVERITY: how many findings of CHECK with SEVERITY.
nf() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(sum(1 for f in d["findings"] if f["check"] == sys.argv[2] and f["severity"] == sys.argv[3]))' "$@"
}
sumof() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"][sys.argv[2]])' "$@"
}
expect_exit "plain: exit 0" 0 "$KI" check --json "$T/flags.img"
cp "$T/out" "$T/plain.json"
check "plain: one note memfd.flags" [ "$(nf "$T/plain.json" memfd.flags note)" -eq 1 ]
notes=$(sumof "$T/plain.json" notes)

expect_exit "--ignore: exit 0" 0 "$KI" check --json --ignore memfd.flags "$T/flags.img"
check "--ignore: finding gone" [ "$(nf "$T/out" memfd.flags note)" -eq 0 ]
check "--ignore: one note fewer" [ "$(sumof "$T/out" notes)" -eq $((notes - 1)) ]
expect_exit "--ignore before the command: exit 0" 0 "$KI" --ignore memfd.flags dump --json "$T/flags.img"
lacks "--ignore with dump: finding gone" "$T/out" '"check":"memfd.flags"'
"$KI" check --ignore memfd.flags "$T/flags.img" >"$T/txt" 2>&1
lacks "--ignore: text has no memfd.flags" "$T/txt" "memfd.flags"

expect_exit "--error: exit 1" 1 "$KI" check --json --error memfd.flags "$T/flags.img"
check "--error: memfd.flags is an error" [ "$(nf "$T/out" memfd.flags error)" -eq 1 ]
check "--error: one error counted" [ "$(sumof "$T/out" errors)" -eq 1 ]
expect_exit "--error prefix: exit 1" 1 "$KI" check --json --error 'memfd.*' "$T/flags.img"
check "--error prefix: memfd.flags is an error" [ "$(nf "$T/out" memfd.flags error)" -eq 1 ]
expect_exit "--ignore '*': exit 0" 0 "$KI" check --json --ignore '*' "$T/flags.img"
check "--ignore '*': no finding" [ "$(sumof "$T/out" notes)" -eq 0 ]
# The last option naming the id wins (dtc -W/-E).
expect_exit "--ignore then --error: error" 1 "$KI" --ignore memfd.flags check --error memfd.flags "$T/flags.img"
expect_exit "--error then --ignore: ignored" 0 "$KI" --error memfd.flags check --ignore 'memfd.*' "$T/flags.img"
# An id this image does not report changes nothing, byte for byte.
"$KI" check --json --ignore kvm.partial --error root.bad-magic "$T/flags.img" >"$T/same.json"
check "--ignore/--error of absent ids: output unchanged" cmp -s "$T/plain.json" "$T/same.json"

# An error the kernel refuses (block.count-zero, a panic: consequence.sh)
# ignored: the exit status follows, in check and in preflight.
mkimg base 'generation = g4
[luo]
[session s]
[file]
compatible = memfd-v2
token = 1
folios = 1 x order0' || true
mkimg zero 'generation = g4
[luo]
[session s]
[file]
compatible = memfd-v2
token = 1
folios = 1 x order0
break luo.sessions.block[0].count = 0' || true
expect_exit "block.count-zero: exit 1" 1 "$KI" check --json "$T/zero.img"
check "block.count-zero: the only error" [ "$(sumof "$T/out" errors)" -eq "$(nf "$T/out" block.count-zero error)" ]
expect_exit "block.count-zero ignored: exit 0" 0 "$KI" check --ignore block.count-zero "$T/zero.img"
expect_exit "preflight: no-go" 1 "$KI" preflight --target "$T/base.img" "$T/zero.img"
expect_exit "preflight with the error ignored: go" 0 "$KI" preflight --ignore block.count-zero --target "$T/base.img" "$T/zero.img"
lacks "preflight with the error ignored: not named" "$T/out" "block.count-zero"

# ---- bad usage: exact messages, exit 2
bad() { # NAME WANT-MESSAGE ARGS...
	n=$1
	m=$2
	shift 2
	expect_exit "$n: exit 2" 2 "$KI" "$@"
	contains "$n: message" "$T/err" "$m"
}
bad "unknown id" "kho-inspect: check: unknown check id 'memfd.no-such' for --ignore (see 'kho-inspect checks')" \
	check --ignore memfd.no-such "$T/flags.img"
bad "unknown id, --error, before the command" "kho-inspect: dump: unknown check id 'root.bad' for --error (see 'kho-inspect checks')" \
	--error root.bad dump "$T/flags.img"
bad "prefix naming nothing" "kho-inspect: check: no check id matches 'nosuch.*' for --error (see 'kho-inspect checks')" \
	check --error 'nosuch.*' "$T/flags.img"
bad "star inside" "kho-inspect: check: invalid check id 'memfd.*flags' for --ignore: '*' may only end a prefix" \
	check --ignore 'memfd.*flags' "$T/flags.img"
bad "empty id" "kho-inspect: check: --ignore needs a check id" \
	check --ignore '' "$T/flags.img"
bad "no argument" "kho-inspect: check: option '--error' needs an argument" \
	check "$T/flags.img" --error
bad "unknown id in preflight" "kho-inspect: preflight: unknown check id 'x.y' for --ignore (see 'kho-inspect checks')" \
	preflight --ignore x.y --target "$T/base.img" "$T/zero.img"
expect_exit "unknown id, JSON: exit 2" 2 "$KI" check --json --ignore memfd.no-such "$T/flags.img"
contains "unknown id, JSON: error document" "$T/out" \
	'"error":"check: unknown check id '"'"'memfd.no-such'"'"' for --ignore (see '"'"'kho-inspect checks'"'"')"'
finish
