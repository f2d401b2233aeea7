#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# struct kho_ctx is opaque outside src/decode/: front ends, tools and tests
# read a session through the accessors of src/decode/session.h.  The
# compiler enforces that as long as nobody else sees the definition, so
# this checks that nobody else includes session_internal.h or defines the
# struct, and, as a second net, that no C file there names a member only
# struct kho_ctx has.  Each pattern is first shown to match inside
# src/decode/, so a pattern that matches nothing cannot pass unnoticed.
. "$(dirname "$0")/../lib.sh"

# The one exception: the detail-view tests make a session by hand (findings
# on a hand-built tree, no image), which needs the members.
allowed="tests/unit/test_browse_model.c"

# Members of struct kho_ctx that no other struct of the project has under
# that name (counts, root, img and plugins are shared with other structs,
# and tools/mkimage has its own root_compat, so they are not listed; the
# compiler covers them).
members='findings|capfindings|finding_limit_hit|mm_ops|mm_ops_copy|mm_state|mm|cq_subnode|call_depth|cur_minor|mem_used|map_gap_phys|map_gaps|field_names|owned_tables|nobjects|object_limit_hit|depth_limit_hit|memory_limit_hit'

cd "$top" || exit 1

# outside: the C files of the tree that are not in src/decode/ (and not
# the allowed exception), one per line.
outside() {
	find src tools tests plugins lib include -name '*.[ch]' \
		! -path 'src/decode/*' | sort | grep -vxF "$allowed"
}

# hits PATTERN FILE...: file:line of every match of the extended regex.
hits() {
	pat=$1
	shift
	[ $# -gt 0 ] || return 0
	grep -nE -- "$pat" "$@"
}

inc='#[[:space:]]*include[[:space:]]*[<"]([^">]*/)?session_internal\.h[">]'
def='struct[[:space:]]+kho_ctx[[:space:]]*\{'
mem="->($members)\\b"

# The patterns find what they look for where it is allowed.
check "opaque: include pattern matches src/decode/session.c" \
	test -n "$(hits "$inc" src/decode/session.c)"
check "opaque: definition pattern matches session_internal.h" \
	test -n "$(hits "$def" src/decode/session_internal.h)"
check "opaque: member pattern matches src/decode/session_access.c" \
	test -n "$(hits "$mem" src/decode/session_access.c)"
check "opaque: the allowed exception exists" test -f "$allowed"

# shellcheck disable=SC2046 # file names of the tree have no blanks
set -- $(outside)
check "opaque: there are files to check" test $# -gt 50
for what in "include of session_internal.h:$inc" \
	"definition of struct kho_ctx:$def" \
	"kho_ctx member access:$mem"; do
	name=${what%%:*}
	found=$(hits "${what#*:}" "$@")
	if [ -z "$found" ]; then
		ok
	else
		fail "opaque: $name outside src/decode/"
		echo "$found" | sed 's/^/    | /' | head -n 10
	fi
done
finish
