#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The scripting contract (kho-inspect-json(5)): every JSON document the CLI
# suite made kho-inspect print (kept in $B/json-corpus by the wrapper of
# tests/json/corpus.sh) must be valid against tests/json/schema.json, open
# with "schema", and carry a "verdict" and "exit" that agree with the exit
# status and the summary.  Named zz- so that tests/run-all.sh runs it after
# the scripts that fill the corpus; run-all.sh empties the corpus first.
# Run alone, it needs a corpus from an earlier run of the other scripts.
# Prints "N passed, M failed".

set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
KHO_JSON_CORPUS=off
. "$top/tests/lib.sh"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR
V="python3 $top/tests/json/validate.py"
corpus=${KHO_JSON_CORPUS_DIR:-$B/json-corpus}

# ---------------------------------------------- the validator can fail
# Each broken document must be refused, with the reason.
"$MK" "$top/tests/scenarios/sample.scn" -o "$T/s.img" 2>/dev/null || fail "mkimage sample"
"$KI" check -j "$T/s.img" >"$T/good.json"
rc=$?
expect_exit "validator: a real check document" 0 $V --doc "$T/good.json" --command check --rc $rc
contains "validator: counted valid" "$T/out" "1 valid, 0 invalid"

refuse() { # NAME PYTHON-EDIT WANT-REASON [RC]
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[2])
print(json.dumps(d) if not isinstance(d, str) else d)' "$T/good.json" "$2" >"$T/bad.json"
	expect_exit "validator refuses $1" 1 $V --doc "$T/bad.json" --command check --rc "${4:-$rc}"
	contains "validator refuses $1: reason" "$T/out" "$3"
}
refuse "schema not first" 'd = {k: d[k] for k in ["verdict", "schema", "exit", "findings", "summary", "plugins"]}' \
	'the first member is '"'"'verdict'"'"', not "schema"'
refuse "no schema" 'del d["schema"]' 'missing '"'"'schema'"'"''
refuse "exit against status" 'pass' '"exit" is '"$rc"' but the process exited 1' 1
refuse "verdict against exit" 'd["verdict"] = "broken"' 'verdict '"'"'broken'"'"' goes with exit 1, not 0'
refuse "summary errors without exit 1" \
	'd["summary"]["errors"] = d["summary"]["total"]["errors"] = d["summary"]["listed"]["errors"] = 1; d["findings"].append(dict(d["findings"][0], severity="error"))' \
	'summary has 1 errors, 0 unknown: exit should be 1, not 0'
refuse "listed against the list" 'd["summary"]["listed"]["notes"] += 1; d["summary"]["total"]["notes"] += 1; d["summary"]["notes"] += 1' \
	'summary.listed'
refuse "plain counts are totals" 'd["summary"]["warnings"] += 1' 'differ from summary.total'
refuse "unknown member" 'd["findings"][0]["extra"] = 1' 'unexpected member '"'"'extra'"'"''
refuse "bad consequence" 'd["findings"][0]["consequence"] = "gone"' "is not one of"
refuse "two documents" 'd = json.dumps(d) + "\n" + json.dumps(d)' 'more than one JSON document'
# The consequence the findings will carry is optional and declared.
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    f["consequence"] = "none"
print(json.dumps(d))' "$T/good.json" >"$T/cons.json"
expect_exit "validator: consequence accepted" 0 $V --doc "$T/cons.json" --command check --rc $rc

# ------------------------------------------------- the suite's documents
n=$(ls "$corpus" 2>/dev/null | grep -cv '\.meta$')
if [ "$n" -lt 200 ]; then
	fail "json corpus: $n documents in $corpus, want at least 200 (run tests/run-all.sh cli, which fills it before this script)"
else
	ok
	$V --corpus "$corpus" --min 200 >"$T/corpus.out" 2>&1
	if [ $? -eq 0 ]; then ok; else
		fail "json corpus: invalid documents"
		grep -v '^[0-9]* valid' "$T/corpus.out" | head -n 20 | sed 's/^/    | /'
	fi
	tail -n 1 "$T/corpus.out"
	# Every command that prints JSON is in the corpus.
	for c in dump check memmap compat-table preflight diff capture plugins; do
		contains "json corpus: documents of $c" "$T/corpus.out" " $c="
	done
fi

finish
