#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Plugin trust: an installed kho-inspect never loads the build tree's
# plugins; no plugin runs (not even its constructor) unless it and every
# directory above it belong to root or the invoking user and nobody else
# can write them; refusals are listed by `plugins` and kept out of the
# image's findings.  Prints "N passed, M failed".

set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
S="$top/tests/scenarios"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

"$MK" "$S/comp/comp-clean.scn" -o "$T/img" 2>/dev/null || { fail "mkimage"; finish; exit; }

# A plugin that is all constructor: it leaves a marker file when it runs.
evil() { # evil NAME OUT.so
	cat >"$T/$1.c" <<C
#include <stdio.h>
__attribute__((constructor)) static void hello(void)
{
	FILE *f = fopen("$T/ran-$1", "w");
	if (f)
		fclose(f);
}
C
	cc -std=c11 -fPIC -shared -o "$2" "$T/$1.c" || fail "compile $1"
	chmod 755 "$2"
}

# ---------------------------------------- installed binary, as root
# The normal build is copied, so installing to a temporary prefix only
# relinks the loader (the prefix is compiled in) and never touches $B.
if [ "$(id -u)" -ne 0 ]; then
	echo "trust.sh: not root, installed-binary checks skipped"
elif [ ! -x "$top/build/kho-inspect" ]; then
	fail "no normal build in $top/build"
else
	mkdir -p "$T/b" && cp -a "$top/build/." "$T/b/"
	rm -f "$T/b"/.prefix*
	chmod 755 "$T"
	if make -s -C "$top" B="$T/b" PREFIX="$T/p" install >"$T/inst.log" 2>&1; then
		ok
	else
		fail "make install"; sed 's/^/    | /' "$T/inst.log" | tail -5
	fi
	IK="$T/p/bin/kho-inspect"
	PD="$T/p/lib/kho-inspect/plugins"
	check "installed binary exists" test -x "$IK"
	check "installed plugins exist" test -f "$PD/luo.so"

	evil build "$T/b/plugins/evil_build.so"
	evil other "$PD/evil_other.so"
	chown nobody "$PD/evil_other.so"

	# The plant works: the build-tree binary does run its constructor.
	expect_exit "build-tree binary" 0 "$T/b/kho-inspect" plugins
	check "build-tree binary loads build-tree plugins" test -f "$T/ran-build"
	rm -f "$T/ran-build"

	expect_exit "installed plugins" 0 "$IK" plugins
	cp "$T/out" "$T/plugins.txt"
	check "build-tree constructor did not run" test ! -f "$T/ran-build"
	check "other user's constructor did not run" test ! -f "$T/ran-other"
	contains "build-tree plugin refused" "$T/plugins.txt" \
		"refused $T/b/plugins/evil_build.so: in the build tree $T/b/plugins; only the kho-inspect built there loads it"
	contains "other user's plugin refused" "$T/plugins.txt" \
		"refused $PD/evil_other.so: $PD/evil_other.so is owned by uid $(id -u nobody), not by root or uid 0"
	contains "installed luo loaded" "$T/plugins.txt" "luo $PD/luo.so"
	lacks "no build-tree plugin loaded" "$T/plugins.txt" "luo $T/b/plugins/"

	expect_exit "installed plugins -j" 0 "$IK" plugins -j
	check "json: both refused" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = {x["path"]: x for x in d["refused"]}
a, b = sys.argv[2], sys.argv[3]
assert r[a]["ignored"] is True and "build tree" in r[a]["reason"], r
assert r[b]["ignored"] is False and "owned by uid" in r[b]["reason"], r
assert any(x["name"] == "luo" for x in d["loaded"])
' "$T/out" "$T/b/plugins/evil_build.so" "$PD/evil_other.so"

	# check runs clean: the refusals are not findings of the image.
	expect_exit "installed check" 0 "$IK" check -j "$T/img"
	check "check: constructors did not run" test ! -f "$T/ran-build" -a ! -f "$T/ran-other"
	check "check: summary has no plugin problem" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert not [f for f in d["findings"] if f["check"].startswith("plugin.refused")], d
assert d["summary"]["warnings"] == 0, d["summary"]
r = d["plugins"]["refused"]
assert [x["path"] for x in r if not x["ignored"]] == [sys.argv[2]], r
assert sys.argv[3] in [x["path"] for x in r if x["ignored"]], r
' "$T/out" "$PD/evil_other.so" "$T/b/plugins/evil_build.so"
	expect_exit "installed check text" 0 "$IK" check "$T/img"
	contains "text: plugins section" "$T/out" \
		"refused $PD/evil_other.so: $PD/evil_other.so is owned by uid"
	contains "text: summary clean" "$T/out" "summary: 0 errors, 0 unknown, 0 warnings"
	rm -f "$PD/evil_other.so"
fi

# ---------------------------------------- --plugin-dir and the env path
mkdir -p "$T/ex"
make -s -C "$top/plugins/example" OUT="$T/ex" >/dev/null 2>&1 || fail "build example plugin"
chmod 755 "$T" "$T/ex"

# A directory above the plugin that its group can write.
mkdir -p "$T/gw/sub"
cp "$T/ex/example.so" "$T/gw/sub/"
chmod 775 "$T/gw"
evil gw "$T/gw/sub/evil_gw.so"
expect_exit "group-writable parent" 0 "$KI" plugins --plugin-dir "$T/gw/sub"
contains "group-writable parent named" "$T/out" \
	"refused $T/gw/sub: $T/gw is writable by group or others"
check "group-writable parent: constructor did not run" test ! -f "$T/ran-gw"
KHO_INSPECT_PLUGIN_PATH="$T/gw/sub" expect_exit "env: group-writable parent" 0 "$KI" plugins
contains "env path follows the same rule" "$T/out" \
	"refused $T/gw/sub: $T/gw is writable by group or others"
chmod 755 "$T/gw"

# A symbolic link is followed, and the directories it leads through are
# checked: here the link sits in a clean directory but points into one
# that others can write.
mkdir -p "$T/open/real" "$T/links"
chmod 777 "$T/open"
cp "$T/ex/example.so" "$T/open/real/"
ln -s "$T/open/real" "$T/links/plug"
expect_exit "symlink into a loose dir" 0 "$KI" plugins --plugin-dir "$T/links/plug"
contains "symlink: loose target named" "$T/out" \
	"refused $T/links/plug: $T/open is writable by group or others"
chmod 755 "$T/open"
expect_exit "symlink into a clean dir" 0 "$KI" plugins --plugin-dir "$T/links/plug"
contains "symlink: plugin loaded" "$T/out" "example $T/links/plug/example.so"

# A plugin file that is itself a symlink to a file others may write.
mkdir -p "$T/fl"
cp "$T/ex/example.so" "$T/loose.so"
chmod 666 "$T/loose.so"
ln -s "$T/loose.so" "$T/fl/example.so"
expect_exit "symlinked loose file" 0 "$KI" plugins --plugin-dir "$T/fl"
contains "symlinked loose file refused" "$T/out" \
	"refused $T/fl/example.so: $T/loose.so is writable by group or others"

finish
