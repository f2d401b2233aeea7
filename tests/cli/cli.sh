#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Command-line tests of kho-inspect: help, version, usage errors, inputs that
# are not handover images, and dump/check/memmap on the sample image (text
# and JSON, which must agree).  Prints "N passed, M failed"; exits non-zero
# when a test failed.  Needs build/kho-inspect, build/kho-mkimage, python3.
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$top/build}
K=$B/kho-inspect
MK=$B/kho-mkimage
T=$(mktemp -d "${TMPDIR:-/tmp}/kho-cli.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
# Every JSON document kho-inspect prints here is kept for zz-json.sh.
. "$top/tests/json/corpus.sh"
K=$(json_corpus_wrap "$K" "$T")
pass=0
fail=0
# Plugins come from the build tree only; the caller's setting must not leak.
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*"; }

# run ARGS...: runs kho-inspect, leaving $T/out, $T/err and $RC.
run() {
	"$K" "$@" >"$T/out" 2>"$T/err"
	RC=$?
}

expect_rc() { # name want
	if [ "$RC" -eq "$2" ]; then ok; else ko "$1: exit $RC, want $2"; fi
}

expect_file_eq() { # name file text
	if [ "$(cat "$2")" = "$3" ]; then
		ok
	else
		ko "$1: got '$(cat "$2")', want '$3'"
	fi
}

expect_empty() { # name file
	if [ -s "$2" ]; then ko "$1: $2 not empty: $(head -c 200 "$2")"; else ok; fi
}

expect_grep() { # name pattern file
	if grep -Eq -- "$2" "$3"; then ok; else ko "$1: no /$2/ in $3"; fi
}

json_ok() { # name file
	if python3 -m json.tool "$2" >/dev/null 2>&1; then
		ok
	else
		ko "$1: invalid JSON: $(head -c 200 "$2")"
	fi
}

# py FILE EXPR: evaluate EXPR with d = the JSON document in FILE.
py() {
	python3 - "$1" "$2" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
def count(o):
    return 1 + sum(count(c) for c in o["children"])
print(eval(sys.argv[2]))
PYEOF
}

expect_eq() { # name got want
	if [ "$2" = "$3" ]; then ok; else ko "$1: got '$2', want '$3'"; fi
}

# Text tree: the root line plus every "|-- " / "`-- " line.
text_objects() {
	# The tree is the block after the first blank line.
	awk 'intree && /^$/ { exit }
	     intree { print; next }
	     /^$/ { intree = 1 }' "$1" >"$T/tree"
	if [ -s "$T/tree" ]; then
		echo $(($(grep -Ec '^([|]   |    )*[|`]-- ' "$T/tree") + 1))
	else
		echo 0
	fi
}
text_findings() { grep -Ec '^[| ]*\[(error|warning|note)\] ' "$1"; }

if [ ! -x "$K" ]; then
	echo "missing $K (run make)"
	echo "0 passed, 1 failed"
	exit 1
fi

# ------------------------------------------------------------ help, version
for c in "" dump check memmap help; do
	run $c --help
	expect_rc "$c --help" 0
	expect_grep "$c --help usage" "^Usage: kho-inspect ${c:+$c }" "$T/out"
	expect_empty "$c --help stderr" "$T/err"
done
run -h
expect_rc "-h" 0
expect_grep "-h lists commands" '^  dump ' "$T/out"
run help dump
cp "$T/out" "$T/help1"
run dump --help
if cmp -s "$T/out" "$T/help1"; then ok; else ko "help dump != dump --help"; fi
run help
expect_grep "help alone is the overview" '^Commands' "$T/out"
run --version
expect_rc "--version" 0
expect_grep "--version text" '^kho-inspect [0-9]+\.[0-9]+\.[0-9]+$' "$T/out"
run -V
expect_rc "-V" 0

# ------------------------------------------------------------- usage errors
usage() { # expected-message args...
	msg=$1
	shift
	run "$@"
	expect_rc "usage: $*" 2
	expect_file_eq "usage message: $*" "$T/err" "kho-inspect: $msg"
	expect_empty "usage stdout: $*" "$T/out"
}
usage "missing command (see 'kho-inspect --help')"
usage "unknown command 'frobnicate' (see 'kho-inspect --help')" frobnicate x
usage "unknown option '--bogus'" --bogus dump x
usage "dump: unknown option '--bogus'" dump --bogus x
usage "dump: unknown option '-x'" dump -x x
usage "dump: missing INPUT (see 'kho-inspect dump --help')" dump
usage "check: missing INPUT (see 'kho-inspect check --help')" check
usage "memmap: missing INPUT (see 'kho-inspect memmap --help')" memmap
usage "dump: unexpected argument 'b'" dump a b
usage "dump: option '--depth' needs an argument" dump x --depth
usage "dump: invalid --depth 'x': expected a number from 0 to 64" dump --depth x y
usage "dump: invalid --path 'LUO': an object path starts with '/'" dump --path LUO y
usage "dump: invalid --page-size '1000': expected 4096, 16384 or 65536" dump --page-size 1000 y
usage "invalid --color 'red': expected auto, always or never" --color red dump y
usage "dump: invalid --radix-depth 'x': expected orig or plus1" dump --radix-depth x y
usage "memmap: invalid --v1-bitmap-bytes '100': expected 512 or 4096" memmap --v1-bitmap-bytes 100 y
usage "dump: invalid --fdt-phys 'zz': expected a nonzero physical address" dump --fdt-phys zz y
usage "unknown command 'nope' (see 'kho-inspect --help')" help nope
usage "check: unknown option '--depth'" check --depth 1 y
usage "dump: option '--json' takes no argument" dump --json=yes y

# The same errors in JSON mode: an object on stdout, nothing on stderr.
jusage() { # expected-message args...
	msg=$1
	shift
	run "$@"
	expect_rc "json usage: $*" 2
	expect_empty "json usage stderr: $*" "$T/err"
	json_ok "json usage: $*" "$T/out"
	expect_eq "json usage message: $*" "$(py "$T/out" 'd["error"]')" "$msg"
}
jusage "missing command (see 'kho-inspect --help')" -j
jusage "dump: unknown option '--bogus'" dump --bogus x --json
jusage "dump: missing INPUT (see 'kho-inspect dump --help')" -p dump

# ------------------------------------------------ not a handover image, I/O
printf 'hello, world\n' >"$T/text.txt"
notimg="not a handover image: unrecognised format (expected an ELF core, an FDT blob, a dump libkdumpfile reads or a debugfs directory)"
for c in dump check memmap; do
	run $c "$T/text.txt"
	expect_rc "$c text file" 2
	expect_file_eq "$c text file message" "$T/err" "kho-inspect: $c: $T/text.txt: $notimg"
	expect_empty "$c text file stdout" "$T/out"
	run --json $c "$T/text.txt"
	expect_rc "$c -j text file" 2
	expect_empty "$c -j text file stderr" "$T/err"
	json_ok "$c -j text file" "$T/out"
	expect_eq "$c -j text file message" "$(py "$T/out" 'd["error"]')" "$c: $T/text.txt: $notimg"
done
: >"$T/empty"
run dump "$T/empty"
expect_rc "empty file" 2
expect_file_eq "empty file message" "$T/err" "kho-inspect: dump: $T/empty: not a handover image: empty file"
run dump "$T/does-not-exist"
expect_rc "missing file" 2
expect_file_eq "missing file message" "$T/err" "kho-inspect: dump: $T/does-not-exist: cannot open: No such file or directory"

# ------------------------------------------------------------- sample image
IMG=$B/sample.img
if [ ! -f "$IMG" ]; then
	IMG=$T/sample.img
	if ! "$MK" "$top/tests/scenarios/sample.scn" -o "$IMG" >"$T/mk.out" 2>&1; then
		ko "kho-mkimage sample.scn: $(cat "$T/mk.out")"
		echo "$pass passed, $fail failed"
		exit 1
	fi
fi

# dump, text and JSON.
run dump "$IMG"
DRC=$RC
cp "$T/out" "$T/dump.txt"
# The sample has no error, only a warning (the folio hole before index 8:
# pages 4..7 of its memfd are not backed) and notes, so dump exits 0.
if [ "$DRC" -eq 0 ]; then ok; else ko "dump sample: exit $DRC, want 0"; fi
# A sparse memfd is normal: 7.2 inserts the folios it has and the rest
# reads as zeros, so the hole is a note.
expect_grep "dump sample: the folio-hole note" '\[note\] memfd.folio-hole @0x[0-9a-f]+: pages 4..7 before folio 4 are not backed \[consequence: none\]' "$T/dump.txt"
expect_grep "dump sample: summary" '^summary: 0 errors, 0 unknown, 0 warnings, 5 notes;' "$T/dump.txt"
expect_empty "dump sample stderr" "$T/err"
expect_grep "dump header image" '^image: ' "$T/dump.txt"
expect_grep "dump header root" '^root: ' "$T/dump.txt"
expect_grep "dump summary" '^summary: [0-9]+ errors?, [0-9]+ unknown, [0-9]+ warnings?, [0-9]+ notes?' "$T/dump.txt"
if grep -q "$(printf '\033')" "$T/dump.txt"; then ko "colour in a pipe"; else ok; fi
run --color always dump "$IMG"
if grep -q "$(printf '\033')\[" "$T/out"; then ok; else ko "--color always without colour"; fi
run dump -j "$IMG"
expect_rc "dump -j sample" "$DRC"
cp "$T/out" "$T/dump.json"
json_ok "dump -j sample" "$T/dump.json"
expect_eq "dump -j is one line" "$(wc -l <"$T/dump.json" | tr -d ' ')" 1
run -p dump "$IMG"
expect_rc "dump -p sample" "$DRC"
json_ok "dump -p sample" "$T/out"
expect_eq "-p is the same document" "$(python3 -m json.tool --sort-keys "$T/out")" \
	"$(python3 -m json.tool --sort-keys "$T/dump.json")"
expect_eq "JSON top-level keys" "$(py "$T/dump.json" 'list(d.keys())')" \
	"['schema', 'verdict', 'exit', 'image', 'root', 'objects', 'findings', 'summary', 'plugins']"
expect_eq "JSON summary keys" "$(py "$T/dump.json" 'list(d["summary"].keys())')" \
	"['errors', 'unknown', 'warnings', 'notes', 'listed', 'total', 'unattributed_blocks', 'unattributed_bytes']"
expect_eq "JSON image keys" "$(py "$T/dump.json" 'list(d["image"].keys())')" \
	"['format', 'page_size', 'page_size_source', 'byte_order', 'machine', 'release', 'direction']"
expect_eq "JSON object keys" "$(py "$T/dump.json" 'list(d["objects"][0].keys())')" \
	"['kind', 'path', 'name', 'compatible', 'phys', 'size', 'fields', 'tables', 'children']"
expect_eq "exit status follows errors" \
	"$(py "$T/dump.json" '1 if d["summary"]["errors"] else 0')" "$DRC"

# Text and JSON agree.
compat=$(py "$T/dump.json" 'd["root"]["compatible"]')
expect_grep "root compatible in text" "^root: $compat(,|\$)" "$T/dump.txt"
nobj=$(py "$T/dump.json" 'count(d["objects"][0])')
expect_eq "object count text/JSON" "$(text_objects "$T/dump.txt")" "$nobj"
nfind=$(py "$T/dump.json" 'len(d["findings"])')
expect_eq "finding count text/JSON" "$(text_findings "$T/dump.txt")" "$nfind"
expect_eq "findings = summary counts" "$nfind" \
	"$(py "$T/dump.json" 'd["summary"]["errors"] + d["summary"]["warnings"] + d["summary"]["notes"]')"
if [ "$nobj" -gt 1 ]; then ok; else ko "sample has only $nobj object"; fi

# check, text and JSON.
run check "$IMG"
expect_rc "check sample" "$DRC"
cp "$T/out" "$T/check.txt"
expect_eq "check lines = findings + summary" "$(wc -l <"$T/check.txt" | tr -d ' ')" $((nfind + 1))
expect_eq "check summary = dump summary" "$(tail -n 1 "$T/check.txt")" \
	"$(grep '^summary: ' "$T/dump.txt")"
run check --json "$IMG"
expect_rc "check -j sample" "$DRC"
json_ok "check -j sample" "$T/out"
expect_eq "check -j keys" "$(py "$T/out" 'list(d.keys())')" "['schema', 'verdict', 'exit', 'findings', 'summary', 'plugins']"
expect_eq "check -j findings" "$(py "$T/out" 'len(d["findings"])')" "$nfind"
run ch "$IMG"
expect_rc "prefix 'ch' is check" "$DRC"
if cmp -s "$T/out" "$T/check.txt"; then ok; else ko "'ch' output differs from check"; fi

# memmap, text and JSON.
run memmap "$IMG"
expect_rc "memmap sample" "$DRC"
cp "$T/out" "$T/memmap.txt"
nblk=$(py "$T/dump.json" '(d["root"]["memory_map"] or {}).get("blocks", 0)')
expect_eq "memmap lines = blocks" "$(wc -l <"$T/memmap.txt" | tr -d ' ')" "$nblk"
if [ -s "$T/memmap.txt" ]; then
	if grep -Evq '^0x[0-9a-f]+ [0-9]+$' "$T/memmap.txt"; then
		ko "memmap line format: $(grep -Ev '^0x[0-9a-f]+ [0-9]+$' "$T/memmap.txt" | head -n 1)"
	else
		ok
	fi
	sorted=$(python3 -c 'import sys
a = [int(l.split()[0], 16) for l in open(sys.argv[1])]
print(a == sorted(a))' "$T/memmap.txt")
	expect_eq "memmap sorted by address" "$sorted" True
fi
run memmap -j "$IMG"
expect_rc "memmap -j sample" "$DRC"
json_ok "memmap -j sample" "$T/out"
expect_eq "memmap -j keys" "$(py "$T/out" 'list(d.keys())')" \
	"['schema', 'verdict', 'exit', 'unattributed_only', 'blocks', 'summary']"
expect_eq "memmap -j exit" "$(py "$T/out" 'd["exit"]')" "$DRC"
expect_eq "memmap -j count" "$(py "$T/out" 'len(d["blocks"])')" "$nblk"
expect_eq "memmap -j = text" "$(py "$T/out" '"\n".join("%s %d" % (b["phys"], b["order"]) for b in d["blocks"])')" \
	"$(cat "$T/memmap.txt")"
psz=$(py "$T/dump.json" 'd["image"]["page_size"]')
expect_eq "memmap -j sizes" "$(py "$T/out" 'all(b["size"] == '"$psz"' << b["order"] for b in d["blocks"])')" True

# --depth and --path.
run dump --depth 0 "$IMG"
expect_rc "--depth 0" "$DRC"
expect_eq "--depth 0 shows one object" "$(text_objects "$T/out")" 1
expect_eq "--depth 0 keeps every finding" "$(text_findings "$T/out")" "$nfind"
run dump --depth 1 -j "$IMG"
json_ok "--depth 1 -j" "$T/out"
nchild=$(py "$T/dump.json" 'len(d["objects"][0]["children"])')
expect_eq "--depth 1 -j objects" "$(py "$T/out" 'count(d["objects"][0])')" $((nchild + 1))
run dump --depth 1 "$IMG"
expect_eq "--depth 1 text objects" "$(text_objects "$T/out")" $((nchild + 1))

# The first child of the root that has children of its own.
p=$(py "$T/dump.json" '([c for c in d["objects"][0]["children"] if c["children"]] or d["objects"][0]["children"])[0]["path"]')
sub=$(py "$T/dump.json" 'count([c for c in d["objects"][0]["children"] if c["path"] == "'"$p"'"][0])')
if [ "$sub" -gt 1 ]; then ok; else ko "--path test needs a subtree (got $p with $sub)"; fi
run dump --path "$p" -j "$IMG"
expect_rc "--path $p -j" "$DRC"
json_ok "--path -j" "$T/out"
expect_eq "--path -j start" "$(py "$T/out" 'd["objects"][0]["path"]')" "$p"
expect_eq "--path -j objects" "$(py "$T/out" 'count(d["objects"][0])')" "$sub"
expect_eq "--path -j findings stay whole" "$(py "$T/out" 'len(d["findings"])')" "$nfind"
run dump --path "$p" "$IMG"
expect_rc "--path $p" "$DRC"
expect_eq "--path text objects" "$(text_objects "$T/out")" "$sub"
# In text, findings outside the subtree are only counted.
insub=$(py "$T/dump.json" 'len([f for f in d["findings"] if f["path"] == "'"$p"'" or f["path"].startswith("'"$p"'/")])')
expect_eq "--path text findings" "$(text_findings "$T/out")" "$insub"
if [ "$insub" -lt "$nfind" ]; then
	expect_grep "--path counts the others" "^\\($((nfind - insub)) more findings? outside $p; 'check' lists them\\)\$" "$T/out"
fi
run dump --path "$p/" "$IMG"
expect_eq "--path trailing slash" "$(text_objects "$T/out")" "$sub"
usage "dump: no object at --path '/no/such/object'" dump --path /no/such/object "$IMG"
jusage "dump: no object at --path '/no/such/object'" dump -j --path /no/such/object "$IMG"

# Table rows in text: --rows, --all-rows, --no-rows.
ntab=$(python3 - "$T/dump.json" <<'PYEOF'
import json, sys
def walk(o):
    return len(o["tables"]) + sum(walk(c) for c in o["children"])
print(walk(json.load(open(sys.argv[1]))["objects"][0]))
PYEOF
)
expect_eq "text shows every table" "$(grep -Ec '^[| ]*table .*: [0-9]+ rows? \(' "$T/dump.txt")" "$ntab"
run dump --no-rows "$IMG"
expect_eq "--no-rows keeps table lines" "$(grep -Ec '^[| ]*table .*: [0-9]+ rows? \(' "$T/out")" "$ntab"
if grep -Eq '^[| ]*  +# ' "$T/out"; then ko "--no-rows printed a row header"; else ok; fi
run dump --rows 1 "$IMG"
expect_grep "--rows 1 says what is left out" 'more rows? \(--all-rows shows them\)$' "$T/out"
run dump --rows 1 --all-rows "$IMG"
if grep -q -- '--all-rows shows them' "$T/out"; then ko "--all-rows left rows out"; else ok; fi
NO_COLOR=1 "$K" --color always dump "$IMG" >"$T/out" 2>&1
if grep -q "$(printf '\033')\[" "$T/out"; then ok; else ko "--color always loses to NO_COLOR"; fi
run --color never dump "$IMG"
if grep -q "$(printf '\033')" "$T/out"; then ko "--color never coloured"; else ok; fi

# --no-rows keeps the table shapes.
run dump -j --no-rows "$IMG"
json_ok "--no-rows -j" "$T/out"
expect_eq "--no-rows -j has no rows" "$(python3 - "$T/out" <<'PYEOF'
import json, sys
def walk(o):
    for t in o["tables"].values():
        if "rows" in t:
            return False
    return all(walk(c) for c in o["children"])
print(walk(json.load(open(sys.argv[1]))["objects"][0]))
PYEOF
)" True

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
