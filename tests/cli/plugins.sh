#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Plugin loading: search order, API versions (older minors load and work,
# a newer minor or another major is refused), a plugin of the obsolete
# service role ignored, refusal of loose permissions as root, and "no
# decoder" for a component without a plugin.
# Prints "N passed, M failed" and exits non-zero on any failure.

set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
S="$top/tests/scenarios"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

"$MK" "$S/comp/comp-clean.scn" -o "$T/img" 2>/dev/null || { fail "mkimage"; finish; exit; }

# The version this host provides, from the API header (the spec of it).
hdr="$top/include/kho/plugin.h"
MAJ=$(sed -n 's/^#define KHO_PLUGIN_API_MAJOR \([0-9]*\)$/\1/p' "$hdr")
MIN=$(sed -n 's/^#define KHO_PLUGIN_API_MINOR \([0-9]*\)$/\1/p' "$hdr")
check "plugin.h states major and minor" [ -n "$MAJ" -a -n "$MIN" ]
PROVIDES="this kho-inspect provides version $MAJ.$MIN (loads $MAJ.0 to $MAJ.$MIN); not loaded"

# A plugin built against another API version: a bare 99 (from before
# minors) is major 99, minor 0.
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
	"$T/old/old.so: plugin built for API version 99.0, $PROVIDES"
contains "old API: handler still without decoder" "$T/out" "no decoder for example-counter-v1"

# A newer minor of our major, and the next major: both refused.
for v in "$MAJ $((MIN + 1))" "$((MAJ + 1)) 0"; do
	set -- $v
	d="$T/v$1_$2"
	mkdir -p "$d"
	cat >"$T/v.c" <<C
#include "kho/plugin.h"
static const char *const compats[] = { "example-counter-v1", NULL };
KHO_PLUGIN_DEFINE = { .api_version = KHO_PLUGIN_API($1, $2),
		      .name = "v$1_$2", .role = KHO_ROLE_BLOB,
		      .compats = compats };
C
	cc -std=c11 -fPIC -shared -I"$top/include" -o "$d/v.so" "$T/v.c" ||
		fail "compile API $1.$2 plugin"
	chmod 755 "$d" "$d/v.so"
	expect_exit "API $1.$2 plugin does not stop the run" 0 "$KI" check --plugin-dir "$d" "$T/img"
	contains "API $1.$2 plugin refused" "$T/out" \
		"$d/v.so: plugin built for API version $1.$2, $PROVIDES"
	contains "API $1.$2: handler still without decoder" "$T/out" "no decoder for example-counter-v1"
	expect_exit "API $1.$2: plugins" 0 "$KI" plugins --plugin-dir "$d"
	contains "API $1.$2: plugins lists the refusal" "$T/out" \
		"  refused $d/v.so: plugin built for API version $1.$2, $PROVIDES"
done

# The example built against the previous minor (and against 1.0) with the
# header's KHO_PLUGIN_TARGET_MINOR: it sees only that minor's structures,
# loads, and decodes its counter.  The values come from comp-clean.scn:
# magic "EXMPLCTR", counter 0x2a.
for m in $((MIN - 1)) 0; do
	d="$T/ex1_$m"
	mkdir -p "$d"
	make -s -C "$top/plugins/example" OUT="$d" \
		CFLAGS="-O2 -DKHO_PLUGIN_TARGET_MINOR=$m" >/dev/null 2>&1 ||
		fail "build example against API $MAJ.$m"
	chmod 755 "$d"
	expect_exit "example $MAJ.$m: plugins" 0 "$KI" plugins --plugin-dir "$d"
	contains "example $MAJ.$m loaded, version shown" "$T/out" \
		"  example $d/example.so (API $MAJ.$m)"
	contains "example $MAJ.$m: host version shown" "$T/out" \
		"plugin API: $MAJ.$MIN (loads plugins built for $MAJ.0 to $MAJ.$MIN)"
	expect_exit "example $MAJ.$m decodes" 0 "$KI" dump --json --plugin-dir "$d" "$T/img"
	contains "example $MAJ.$m: object" "$T/out" '"kind":"example-counter"'
	contains "example $MAJ.$m: fields" "$T/out" '"fields":{"magic":"0x45584d504c435452","counter":42}'
	lacks "example $MAJ.$m: no refusal" "$T/out" '"reason"'
done

# A plugin built before minors were counted says a bare 1: it is 1.0.
mkdir -p "$T/bare"
sed 's/\.api_version = KHO_PLUGIN_API_VERSION,/.api_version = 1,/' \
	"$top/plugins/example/example.c" >"$T/bare.c"
contains "bare-1 example: source changed" "$T/bare.c" ".api_version = 1,"
cc -std=c11 -fPIC -shared -DKHO_PLUGIN_TARGET_MINOR=0 -I"$top/include" \
	-o "$T/bare/example.so" "$T/bare.c" || fail "compile bare-1 example"
chmod 755 "$T/bare" "$T/bare/example.so"
expect_exit "bare-1 example: plugins" 0 "$KI" plugins --plugin-dir "$T/bare"
contains "bare-1 example loads as 1.0" "$T/out" "  example $T/bare/example.so (API 1.0)"
expect_exit "bare-1 example decodes" 0 "$KI" dump --json --plugin-dir "$T/bare" "$T/img"
contains "bare-1 example: fields" "$T/out" '"fields":{"magic":"0x45584d504c435452","counter":42}'

# Before 1.5 KHO_ENOMEM was -1: the host reads a -1 returned by an older
# plugin's decoder as today's KHO_ENOMEM, and passes a current plugin's
# -1 on as it is.  A probe decodes the example handler and asks the host
# to decode "x-inner-v1", whose decoder returns -1; the probe publishes
# what kho_decode gave it.
cat >"$T/probe.c" <<'C'
#include "kho/plugin.h"
static const char *const compats[] = { "example-counter-v1", NULL };
static int probe(struct kho_ctx *c, struct kho_obj *parent,
		 const struct kho_blob *blob)
{
	struct kho_blob inner = { .compat = "x-inner-v1" };
	struct kho_obj *o = kho_obj_new(c, parent, "rc-probe", "probe");
	int rc;

	if (!o)
		return KHO_ELIMIT;
	rc = kho_decode(c, o, &inner);
	kho_bool(c, o, "enomem", rc == KHO_ENOMEM);
	kho_bool(c, o, "minus_one", rc == -1);
	return 0;
}
KHO_PLUGIN_DEFINE = { .api_version = KHO_PLUGIN_API_VERSION,
		      .name = "probe", .role = KHO_ROLE_BLOB,
		      .compats = compats, .decode = probe };
C
cat >"$T/inner.c" <<'C'
#include "kho/plugin.h"
static const char *const compats[] = { "x-inner-v1", NULL };
static int inner(struct kho_ctx *c, struct kho_obj *parent,
		 const struct kho_blob *blob)
{
	return -1;
}
KHO_PLUGIN_DEFINE = { .api_version = KHO_PLUGIN_API_VERSION,
		      .name = "inner", .role = KHO_ROLE_BLOB,
		      .compats = compats, .decode = inner };
C
for m in $((MIN - 1)) $MIN; do
	d="$T/rc_$m"
	mkdir -p "$d"
	cc -std=c11 -fPIC -shared -I"$top/include" -o "$d/probe.so" "$T/probe.c" ||
		fail "compile probe"
	cc -std=c11 -fPIC -shared -DKHO_PLUGIN_TARGET_MINOR=$m -I"$top/include" \
		-o "$d/inner.so" "$T/inner.c" || fail "compile inner as $MAJ.$m"
	chmod 755 "$d" "$d/probe.so" "$d/inner.so"
	expect_exit "-1 from a $MAJ.$m decoder: dump" 0 "$KI" dump --json --plugin-dir "$d" "$T/img"
	if [ "$m" -lt 5 ]; then
		want='"fields":{"enomem":true,"minus_one":false}'
	else
		want='"fields":{"enomem":false,"minus_one":true}'
	fi
	contains "-1 from a $MAJ.$m decoder reaches the caller as" "$T/out" "$want"
done

# A memory-map plugin of an older minor registers a struct kho_memmap_ops
# without the members later minors appended.  The radix plugin, declared
# 1.0 (then 1.1), with those members pointing at address 1: the host must
# not call them (it would crash), and must decode the same as with the
# real plugin, through its fallbacks.
"$MK" "$S/memfd/memfd-big.scn" -o "$T/mf.img" 2>/dev/null || fail "mkimage memfd-big"
expect_exit "radix: reference dump" 0 "$KI" dump --json "$T/mf.img"
jq -S 'del(.plugins)' "$T/out" >"$T/mf.ref"
contains "radix: reference has the memory map" "$T/mf.ref" '"format": "radix"'
for m in 0 1; do
	d="$T/radix1_$m"
	mkdir -p "$d"
	if [ "$m" -eq 0 ]; then
		poison='s/s->ops\.\(claim\|claim_seq\|iter_next_word\) = r_[a-z_]*;/s->ops.\1 = (__typeof__(s->ops.\1))1;/'
	else
		poison='s/s->ops\.\(claim_seq\) = r_[a-z_]*;/s->ops.\1 = (__typeof__(s->ops.\1))1;/'
	fi
	sed -e "$poison" \
	    -e "s/\.api_version = KHO_PLUGIN_API_VERSION,/.api_version = KHO_PLUGIN_API(1, $m),/" \
		"$top/plugins/radix.c" >"$T/radix.c"
	contains "radix 1.$m: poisoned" "$T/radix.c" "__typeof__(s->ops.claim_seq))1;"
	contains "radix 1.$m: declared" "$T/radix.c" ".api_version = KHO_PLUGIN_API(1, $m),"
	cc -std=c11 -D_GNU_SOURCE -fPIC -shared -I"$top/include" -I"$top/plugins" \
		-o "$d/radix.so" "$T/radix.c" -lfdt ||
		fail "compile radix as 1.$m"
	chmod 755 "$d" "$d/radix.so"
	expect_exit "radix 1.$m: plugins" 0 "$KI" plugins --plugin-dir "$d"
	contains "radix 1.$m: loaded from the test dir" "$T/out" "  radix $d/radix.so (API 1.$m)"
	expect_exit "radix 1.$m: dump" 0 "$KI" dump --json --plugin-dir "$d" "$T/mf.img"
	jq -S 'del(.plugins)' "$T/out" >"$T/mf.$m"
	check "radix 1.$m: same decode as the current plugin" cmp -s "$T/mf.ref" "$T/mf.$m"
done

# A service plugin (role KHO_ROLE_SERVICE): vmalloc areas and block chains
# are the host's own, so one left by an older install (a vmalloc.so of API
# 1.0, a bare 1) or built today is not loaded.  It is listed as ignored,
# with this message, and not as a refusal on every run.  Its ops report a
# finding if called; the decode is the same as without it (memfd-big.scn
# holds vmalloc areas and LUO block chains).
jq_true() { jq -e "$@" >/dev/null; }
SVC="plugin has role KHO_ROLE_SERVICE, which this kho-inspect no longer uses: it decodes vmalloc areas and block chains itself; not loaded"
contains "service: the reference has vmalloc areas" "$T/mf.ref" '"kind": "vmalloc"'
contains "service: the reference has block chains" "$T/mf.ref" '"kind": "block-chain"'
for v in 1 KHO_PLUGIN_API_VERSION; do
	d="$T/svc_$v"
	mkdir -p "$d"
	cat >"$T/svc.c" <<C
#include "kho/plugin.h"
static const char *const none[] = { NULL };
static const char *const checks[] = { "svc.called", NULL };
static int vm(struct kho_ctx *c, struct kho_obj *parent, const char *name,
	      uint64_t desc_phys, const uint8_t desc[16],
	      struct kho_vmalloc_area *out)
{
	kho_finding(c, parent, KHO_SEV_ERROR, "svc.called", 0, "vmalloc");
	return 0;
}
static int bc(struct kho_ctx *c, struct kho_obj *parent, const char *name,
	      uint64_t first, size_t entry_size, kho_block_entry_fn fn,
	      void *arg, struct kho_block_chain_result *out)
{
	kho_finding(c, parent, KHO_SEV_ERROR, "svc.called", 0, "block chain");
	return 0;
}
KHO_PLUGIN_DEFINE = { .api_version = $v, .name = "vmalloc",
		      .role = KHO_ROLE_SERVICE, .compats = none,
		      .node_names = none, .checks = checks,
		      .vmalloc = vm, .block_chain = bc };
C
	cc -std=c11 -fPIC -shared -I"$top/include" -o "$d/vmalloc.so" "$T/svc.c" ||
		fail "compile service plugin ($v)"
	chmod 755 "$d" "$d/vmalloc.so"
	expect_exit "service ($v): plugins" 0 "$KI" plugins --plugin-dir "$d"
	contains "service ($v): listed with the reason" "$T/out" \
		"  refused $d/vmalloc.so: $SVC"
	lacks "service ($v): not loaded" "$T/out" "vmalloc $d/vmalloc.so"
	expect_exit "service ($v): plugins --json" 0 "$KI" plugins --json --plugin-dir "$d"
	check "service ($v): JSON says ignored, with the reason" jq_true \
		--arg p "$d/vmalloc.so" --arg r "$SVC" \
		'[.refused[] | select(.path == $p)] == [{"path": $p, "reason": $r, "ignored": true}]' \
		"$T/out"
	expect_exit "service ($v): check" 0 "$KI" check --plugin-dir "$d" "$T/img"
	lacks "service ($v): no refusal in a run" "$T/out" "refused"
	expect_exit "service ($v): dump" 0 "$KI" dump --json --plugin-dir "$d" "$T/mf.img"
	lacks "service ($v): its ops are never called" "$T/out" "svc.called"
	jq -S 'del(.plugins)' "$T/out" >"$T/mf.svc"
	check "service ($v): same decode as without it" cmp -s "$T/mf.ref" "$T/mf.svc"
done

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
