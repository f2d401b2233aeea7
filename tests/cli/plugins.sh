#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Plugin loading: search order, API-version refusal, refusal of loose
# permissions as root, and "no decoder" for a component without a plugin.
# Prints "N passed, M failed" and exits non-zero on any failure.

set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
S="$top/tests/scenarios"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

"$MK" "$S/comp-clean.scn" -o "$T/img" 2>/dev/null || { fail "mkimage"; finish; exit; }

# A plugin built against another API version.
cat >"$T/old.c" <<'C'
#include "kho/plugin.h"
static const char *const compats[] = { "example-counter-v1", NULL };
KHO_PLUGIN_DEFINE = { .api_version = 99, .name = "old-example",
		      .role = KHO_ROLE_BLOB, .compats = compats };
C
mkdir -p "$T/old"
cc -std=c11 -fPIC -shared -I"$top/include" -o "$T/old/old.so" "$T/old.c" ||
	fail "compile old plugin"
chmod 755 "$T/old" "$T/old/old.so"
expect_exit "old API plugin does not stop the run" 0 "$KI" check --plugin-dir "$T/old" "$T/img"
contains "old API plugin refused" "$T/out" "plugins: 1 refused"
lacks "old API plugin: no finding of the image" "$T/out" "plugin.refused"
contains "old API plugin message" "$T/out" \
	"$T/old/old.so: plugin built for API version 99, this kho-inspect provides version 1; not loaded"
contains "old API: handler still without decoder" "$T/out" "no decoder for example-counter-v1"

# A file that is not a plugin at all.
mkdir -p "$T/junk"
echo "not an ELF" >"$T/junk/junk.so"
chmod 644 "$T/junk/junk.so"
chmod 755 "$T/junk"
expect_exit "junk plugin" 0 "$KI" check --plugin-dir "$T/junk" "$T/img"
contains "junk plugin refused" "$T/out" "$T/junk/junk.so: cannot load plugin:"

# The example plugin: --plugin-dir beats $KHO_INSPECT_PLUGIN_PATH, which
# beats the build tree.  Both copies are the same code, so the order is
# seen through which path a refusal names: put the old-API plugin under
# the same plugin name in the env directory and see that the
# --plugin-dir copy wins without a refusal for a shadowed name.
mkdir -p "$T/ex"
make -s -C "$top/plugins/example" OUT="$T/ex" >/dev/null 2>&1 || fail "build example plugin"
chmod 755 "$T/ex"
expect_exit "example via --plugin-dir" 0 "$KI" dump --json --plugin-dir "$T/ex" "$T/img"
contains "example decoded" "$T/out" '"kind":"example-counter"'
KHO_INSPECT_PLUGIN_PATH="$T/ex" expect_exit "example via env" 0 "$KI" dump --json "$T/img"
contains "example decoded via env" "$T/out" '"kind":"example-counter"'
expect_exit "no example without the dir" 0 "$KI" dump --json "$T/img"
lacks "no example without the dir" "$T/out" '"kind":"example-counter"'

# As root, a group- or world-writable plugin or directory is refused.
if [ "$(id -u)" -eq 0 ]; then
	mkdir -p "$T/loose"
	cp "$T/ex/example.so" "$T/loose/"
	chmod 777 "$T/loose"
	chmod 644 "$T/loose/example.so"
	expect_exit "loose dir" 0 "$KI" check --plugin-dir "$T/loose" "$T/img"
	contains "loose dir refused" "$T/out" \
		"$T/loose is writable by group or others; refusing to load plugins from it as root"
	chmod 755 "$T/loose"
	chmod 666 "$T/loose/example.so"
	expect_exit "loose file" 0 "$KI" check --plugin-dir "$T/loose" "$T/img"
	contains "loose file refused" "$T/out" \
		"$T/loose/example.so is writable by group or others; refusing to load plugins from it as root"
	contains "loose file: still no decoder" "$T/out" "no decoder for example-counter-v1"
else
	skip "plugins: not root, root-only plugin permission checks skipped"
fi

finish
