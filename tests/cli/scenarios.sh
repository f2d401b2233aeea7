#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenarios as data: each tests/scenarios/**/*.scn that states its verdict
# in an "# expect:" line (format in tests/scenarios/README) is built with
# kho-mkimage, once per "# expect-args:" line, and `kho-inspect check` and
# `check --json` must exit with the stated status; every listed check id
# must be among the findings of `check --json`, at the listed severity when
# one is given.  The expectations are written into the scenarios from the
# kernel's rules, never from kho-inspect's output.
#
# A scenario in one of the folders below, or named like a broken image,
# must have an expect line: a new broken scenario cannot be skipped by
# forgetting it.  bench/ and mk/ hold image shapes for scripts/bench.sh
# and tests/cli/mkimage.sh, whose verdict those scripts do not ask for.
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
S="$top/tests/scenarios"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR
NEED="luo memfd memmap comp compat regress"

# needs_expect REL: REL (path under $S, no .scn) must carry an expect line.
needs_expect() {
	case ${1##*/} in
	*-bad-* | *corrupt* | *broken* | regress-*) return 0 ;;
	esac
	case $1 in
	*/*) for _d in $NEED; do [ "${1%%/*}" = "$_d" ] && return 0; done ;;
	esac
	return 1
}

# parse SCN: writes the scenario's expectation to stdout, one item a line
# ("exit N", "id CHECK-ID [SEVERITY]", "args MKIMAGE-ARGS"), or nothing
# when it has no expect line; exits 1 with a message on a malformed one.
cat >"$T/parse.py" <<'EOF'
import re, sys

exp, args = [], []
for no, line in enumerate(open(sys.argv[1]), 1):
    if line.startswith("# expect:"):
        exp.append((no, line[len("# expect:"):].strip()))
    elif line.startswith("# expect-args:"):
        args.append(line[len("# expect-args:"):].strip())
    elif re.match(r"#\s*expect(-args)?\s*:", line, re.I):
        sys.exit("line %d: not '# expect: ' or '# expect-args: '" % no)
if not exp:
    if args:
        sys.exit("# expect-args: without # expect:")
    sys.exit(0)
if len(exp) > 1:
    sys.exit("line %d: a second # expect: line" % exp[1][0])
no, text = exp[0]
head, _, ids = text.partition(";")
m = re.fullmatch(r"exit ([012])", head.strip())
if not m:
    sys.exit("line %d: %r does not start with 'exit 0|1|2'" % (no, text))
print("exit", m.group(1))
for item in filter(None, (s.strip() for s in ids.split(","))):
    if not re.fullmatch(r"[a-z0-9_-]+\.[a-z0-9_.-]+( (error|unknown|warning|note))?", item):
        sys.exit("line %d: %r is not 'CHECK-ID [SEVERITY]'" % (no, item))
    print("id", item)
for a in args or [""]:
    print("args", a)
EOF

# reported JSON ID [SEVERITY]: `check --json` output JSON has finding ID
# (at SEVERITY when given); otherwise says which ids it has.
cat >"$T/reported.py" <<'EOF'
import json, sys

d = json.load(open(sys.argv[1]))
want = sys.argv[2]
sev = sys.argv[3] if len(sys.argv) > 3 else None
got = sorted({(f["check"], f["severity"]) for f in d["findings"]})
if any(c == want and (sev is None or s == sev) for c, s in got):
    sys.exit(0)
print("reported: " + (", ".join("%s %s" % g for g in got) or "nothing"))
sys.exit(1)
EOF

ncases=0
for scn in "$S"/*.scn "$S"/*/*.scn; do
	[ -f "$scn" ] || continue
	rel=${scn#"$S"/}
	rel=${rel%.scn}
	base=$(echo "$rel" | tr / _)
	if ! python3 "$T/parse.py" "$scn" >"$T/$base.plan" 2>"$T/$base.perr"; then
		fail "$rel: bad expect line: $(cat "$T/$base.perr")"
		continue
	fi
	if [ ! -s "$T/$base.plan" ]; then
		if needs_expect "$rel"; then
			fail "$rel: no '# expect:' line (see tests/scenarios/README)"
		fi
		continue
	fi
	want=$(sed -n 's/^exit //p' "$T/$base.plan")
	i=0
	while read -r _ args; do
		i=$((i + 1))
		img=$T/$base.$i.img
		tag="$rel${args:+ ($args)}"
		# shellcheck disable=SC2086 # args are split at blanks on purpose
		if ! "$MK" "$scn" -o "$img" $args 2>"$T/$base.mkerr" </dev/null; then
			fail "$tag: kho-mkimage failed"
			sed 's/^/    | /' "$T/$base.mkerr" | head -n 5
			continue
		fi
		ncases=$((ncases + 1))
		expect_exit "$tag: check exit" "$want" "$KI" check "$img" </dev/null
		expect_exit "$tag: check --json exit" "$want" \
			"$KI" check --json "$img" </dev/null
		cp "$T/out" "$T/$base.$i.json"
		sed -n 's/^id //p' "$T/$base.plan" >"$T/$base.ids"
		while read -r id sev; do
			# shellcheck disable=SC2086 # sev is empty or one word
			if python3 "$T/reported.py" "$T/$base.$i.json" "$id" $sev \
				>"$T/$base.rep" 2>&1; then
				ok
			else
				fail "$tag: no ${sev:+$sev }finding $id; $(cat "$T/$base.rep")"
			fi
		done <"$T/$base.ids"
	done <<EOF
$(grep '^args' "$T/$base.plan")
EOF
done
check "scenarios with an expect line found" [ "$ncases" -gt 0 ]
# The loop above looks one folder deep; a deeper scenario would be skipped.
deep=$(find "$S" -mindepth 3 -name '*.scn' | head -n 3)
check "no scenario below tests/scenarios/*/: $deep" [ -z "$deep" ]
finish
