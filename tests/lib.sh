# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the CLI test scripts: sourced, never run directly.
# Each script calls ok/fail for every assertion and finish at the end, which
# prints "N passed, M failed, K skipped" and sets the exit status.  A check
# that cannot run here (no tmux, not root...) calls skip, never ok: the skip
# is counted, printed as a "SKIP: reason" line, and under CI=true it fails
# the script, so a CI machine missing a tool cannot pass silently.
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$top/build}
KI="$B/kho-inspect"
MK="$B/kho-mkimage"
T=$(mktemp -d "${TMPDIR:-/tmp}/kho-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
# Debian's own python3 before any shim: a pyenv shim in PATH runs a bash
# wrapper per call (2.8 s against 0.2 s a call, measured on a loaded
# two-core machine), and the scripts call python3 thousands of times.
# Only the standard library is used.
if [ -x /usr/bin/python3 ] && [ "$(command -v python3)" != /usr/bin/python3 ]; then
	mkdir -p "$T/bin"
	ln -s /usr/bin/python3 "$T/bin/python3"
	PATH=$T/bin:$PATH
	export PATH
fi
# Every JSON document kho-inspect prints here is kept for zz-json.sh.
. "$top/tests/json/corpus.sh"
KI=$(json_corpus_wrap "$KI" "$T")
_pass=0
_fail=0
_skip=0

ok() { _pass=$((_pass + 1)); }
fail() { _fail=$((_fail + 1)); echo "FAIL: $*"; }
# skip REASON: one check (or group of checks) that could not run here.
skip() { _skip=$((_skip + 1)); echo "SKIP: $*"; }

# check NAME CONDITION-COMMAND...: passes when the command succeeds.
check() {
	name=$1
	shift
	if "$@"; then ok; else fail "$name"; fi
}

# expect_exit NAME WANT CMD...: runs CMD, compares its exit status; its
# standard output is left in $T/out (expect_exit_to, below).
expect_exit() {
	expect_exit_to "$T/out" "$@"
}

# contains NAME FILE STRING: the file holds the fixed string.
contains() {
	if grep -qF -- "$3" "$2"; then ok; else
		fail "$1: '$3' not found in $(basename "$2")"
		sed 's/^/    | /' "$2" | head -n 8
	fi
}

lacks() {
	if grep -qF -- "$3" "$2"; then
		fail "$1: '$3' unexpectedly found"
	else ok; fi
}

# mkimg NAME SCENARIO-TEXT [mkimage args...]: writes $T/NAME.img.
mkimg() {
	n=$1
	printf '%s\n' "$2" >"$T/$n.scn"
	shift 2
	"$MK" "$T/$n.scn" -o "$T/$n.img" "$@" 2>"$T/$n.mkerr" || {
		fail "mkimage $n"
		sed 's/^/    | /' "$T/$n.mkerr" | head -n 5
		return 1
	}
}

# jq-like field access with python3: json_get FILE EXPR (python expression on d)
json_get() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# ------------------------------------------------ scenario-driven decoders
# luo.sh and memfd.sh build each image from $S/NAME.scn, dump it and
# compare the dump with expected facts in $T/NAME.exp using their own
# verifier, $T/verify.py, which starts with what verifier_head prints and
# ends with print("PASSED %d" % npass).

# verifier_head: the verifier's common start.  argv[1] is the dump, argv[2]
# the expected facts; check(name, cond, detail) records one check; objs is
# every object of the dump, depth first; report() ends the verifier.
# Checks repeated over generated entries ("session 3 file 17 token") are one
# invariant: digits in the name are folded, and report() counts one pass per
# invariant whose every check held, one FAIL line per invariant that broke.
verifier_head() {
	cat <<'PY'
import json, re, sys

dump = json.load(open(sys.argv[1]))
exp = json.load(open(sys.argv[2]))
invariants = {}


def check(name, cond, detail=""):
    inv = invariants.setdefault(re.sub(r"[0-9]+", "#", name), [0, 0, None])
    if cond:
        inv[0] += 1
    else:
        inv[1] += 1
        if inv[2] is None:
            inv[2] = "%s: %s" % (name, detail)


def report():
    npass = 0
    for key, (held, broke, first) in invariants.items():
        if broke:
            more = " (and %d more)" % (broke - 1) if broke > 1 else ""
            print("FAIL %s%s" % (first, more))
        else:
            npass += 1
    print("PASSED %d" % npass)


def walk(o):
    yield o
    for ch in o.get("children", []):
        yield from walk(ch)


objs = [o for top in dump["objects"] for o in walk(top)]
PY
}

# verify runs each scenario once per byte order in BYTE_ORDERS, against the
# same expected facts: a big-endian image must decode to what the
# little-endian one does.
BYTE_ORDERS=${BYTE_ORDERS:-little big}

# build_scn NAME [BYTE-ORDER]: builds $S/NAME.scn into $T/NAME.img.
build_scn() {
	"$MK" "$S/$1.scn" -o "$T/$1.img" ${2:+--set byte_order=$2} \
		2>"$T/$1.mkerr" || {
		fail "$1: kho-mkimage failed"
		sed 's/^/    | /' "$T/$1.mkerr" | head -n 5
		return 1
	}
}

# verify NAME [dump options]: for each byte order, build, dump (must exit
# 0), then every invariant of $T/verify.py against $T/NAME.exp counts as
# one assertion.
verify() {
	for _bo in $BYTE_ORDERS; do
		verify1 "$_bo" "$@"
	done
}

verify1() {
	bo=$1
	n=$2
	shift 2
	build_scn "$n" "$bo" || return
	tag="$n ($bo-endian)"
	"$KI" dump --json "$@" "$T/$n.img" >"$T/$n.json" 2>"$T/$n.err"
	rc=$?
	if [ "$rc" -eq 0 ]; then ok; else
		fail "$tag: kho-inspect dump exit $rc, want 0"
		sed 's/^/    | /' "$T/$n.err" | head -n 5
	fi
	python3 "$T/verify.py" "$T/$n.json" "$T/$n.exp" >"$T/$n.v" 2>&1
	np=$(sed -n 's/^PASSED //p' "$T/$n.v")
	nf=$(grep -c '^FAIL' "$T/$n.v")
	if [ -z "$np" ]; then
		fail "$tag: verifier crashed"
		sed 's/^/    | /' "$T/$n.v" | tail -n 5
		return
	fi
	_pass=$((_pass + np))
	_fail=$((_fail + nf))
	grep '^FAIL' "$T/$n.v" | head -n 10 | sed "s/^FAIL /FAIL: $tag: /"
}

# has_error FILE CHECK-ID: the `check --json` output FILE has an error
# finding CHECK-ID.
has_error() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(f["check"] == sys.argv[2] and f["severity"] == "error"
                  for f in d["findings"]) else 1)' "$1" "$2"
}

finish() {
	echo "$_pass passed, $_fail failed, $_skip skipped"
	if [ "$_skip" -gt 0 ] && [ "${CI:-}" = true ]; then
		echo "FAIL: $_skip check(s) skipped under CI=true"
		return 1
	fi
	[ "$_fail" -eq 0 ]
}

# has_finding FILE CHECK-ID SEVERITY CONSEQUENCE: the `--json` output FILE
# (check or dump) has that finding with that severity and consequence.
has_finding() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
fs = d.get("findings", []) + (d.get("compat") or {}).get("findings", [])
sys.exit(0 if any(f["check"] == sys.argv[2] and f["severity"] == sys.argv[3]
                  and f.get("consequence") == sys.argv[4] for f in fs) else 1)' "$@"
}

# has_sev FILE CHECK-ID SEVERITY: the `check --json` output FILE has a
# CHECK-ID finding of that severity.
has_sev() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(f["check"] == sys.argv[2] and f["severity"] == sys.argv[3]
                  for f in d["findings"]) else 1)' "$1" "$2" "$3"
}

# ---------------------------------------------------- batched JSON checks
# A python3 start costs more than most of what the scripts check, so a
# script may queue the JSON checks of many outputs and run one checker
# over them all.  The checker prints one verdict line per queued check, in
# order: "ok", or "FAIL: MESSAGE" (the message the check would have given
# on its own); any other line (a "    | " detail) is printed as it is.

# expect_exit_to FILE NAME WANT CMD...: expect_exit, but CMD's standard
# output goes to FILE instead of $T/out (no copy to keep it).
expect_exit_to() {
	_to=$1
	shift
	name=$1
	want=$2
	shift 2
	"$@" >"$_to" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		fail "$name: exit $got, want $want"
		sed 's/^/    | /' "$T/err" | head -n 5
	fi
}

# batch_verdicts QUEUE VERDICTS: one ok or fail per verdict line of
# VERDICTS; the QUEUE (one check a line) says how many there must be, and
# each check left without a verdict (the checker died) is a failure.
batch_verdicts() {
	_nq=0
	[ -f "$1" ] && while IFS= read -r _l; do _nq=$((_nq + 1)); done <"$1"
	_nv=0
	while IFS= read -r _l; do
		case $_l in
		ok)
			_nv=$((_nv + 1))
			ok
			;;
		'FAIL: '*)
			_nv=$((_nv + 1))
			fail "${_l#FAIL: }"
			;;
		*) printf '%s\n' "$_l" ;;
		esac
	done <"$2"
	while [ "$_nv" -lt "$_nq" ]; do
		_nv=$((_nv + 1))
		fail "batched check $_nv of $_nq: no verdict (the checker failed)"
	done
}
