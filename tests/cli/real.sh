#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The real-kernel fixtures of tests/real/ (made by make vmtest REGEN=1): each
# must decode to exactly what its guest preserved (its plan), check clean in
# and out, and be GO against its own kernel's table.
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$top/build}
set --
for d in "$top"/tests/real/*/; do
	[ -f "$d/plan" ] && set -- "$@" --fixture "$d"
done
if [ $# -eq 0 ]; then
	echo "FAIL: no fixture under tests/real/"
	echo "0 passed, 1 failed"
	exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/kho-real.XXXXXX")
trap 'rm -rf "$T"' EXIT
# Debian's python3 before a pyenv shim, as in tests/lib.sh.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" "$top/tests/vm/verify.py" --tool "$B/kho-inspect" --work "$T" "$@"
