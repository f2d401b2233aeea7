# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the CLI test scripts: sourced, never run directly.
# Each script calls ok/fail for every assertion and finish at the end, which
# prints "N passed, M failed" and sets the exit status.
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$top/build}
KI="$B/kho-inspect"
MK="$B/kho-mkimage"
T=$(mktemp -d "${TMPDIR:-/tmp}/kho-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
_pass=0
_fail=0

ok() { _pass=$((_pass + 1)); }
fail() { _fail=$((_fail + 1)); echo "FAIL: $*"; }

# check NAME CONDITION-COMMAND...: passes when the command succeeds.
check() {
	name=$1
	shift
	if "$@"; then ok; else fail "$name"; fi
}

# expect_exit NAME WANT CMD...: runs CMD, compares its exit status.
expect_exit() {
	name=$1
	want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		fail "$name: exit $got, want $want"
		sed 's/^/    | /' "$T/err" | head -n 5
	fi
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

finish() {
	echo "$_pass passed, $_fail failed"
	[ "$_fail" -eq 0 ]
}
