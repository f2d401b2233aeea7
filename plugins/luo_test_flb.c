// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The three FLBs of the in-kernel LUO test (CONFIG_LIVEUPDATE_TEST, linux
 * 7.2.13 lib/tests/liveupdate.c, kho-field-notes.md §2.4):
 * "liveupdate-test-flb-v0" .. "-v2".  Their luo_flb_ser.data is not a
 * pointer: the test's preserve op stores the value 0xFEEDF00DCAFEBEE0 + N
 * (N from the name), and its retrieve op in the next kernel compares the
 * value and fails on any other.  So the value is shown as a value, checked,
 * and no memory is read or attributed.
 */
#include <string.h>

#include "kho/plugin.h"

#define TEST_FLB_PREFIX "liveupdate-test-flb-v"
#define TEST_FLB_MAGIC_BASE UINT64_C(0xFEEDF00DCAFEBEE0)
#define TEST_NFLBS 3

static const char *const tf_compats[] = {
	TEST_FLB_PREFIX "0", TEST_FLB_PREFIX "1", TEST_FLB_PREFIX "2", NULL,
};
static const char *const tf_nodes[] = { NULL };
static const char *const tf_checks[] = { "luo-test-flb.magic", NULL };

static int tf_decode(struct kho_ctx *c, struct kho_obj *parent,
		     const struct kho_blob *blob)
{
	size_t plen = strlen(TEST_FLB_PREFIX);
	uint64_t want;
	unsigned int n;

	/* Only the compats above are dispatched here. */
	if (!blob->compat || strlen(blob->compat) != plen + 1 ||
	    blob->compat[plen] < '0' ||
	    blob->compat[plen] >= '0' + TEST_NFLBS)
		return KHO_EINVAL;
	n = (unsigned int)(blob->compat[plen] - '0');
	want = TEST_FLB_MAGIC_BASE + n;
	/* parent is the luo-flb entry: its data field already shows phys. */
	kho_str(c, parent, "data_kind", "test value (not a pointer)");
	kho_hex(c, parent, "expected_value", want);
	kho_bool(c, parent, "value_ok", blob->phys == want);
	if (blob->phys != want)
		kho_finding(c, parent, KHO_SEV_ERROR, "luo-test-flb.magic", 0,
			    "test FLB %s carries 0x%llx, expected 0x%llx: the next kernel's test retrieve fails with \"incorrect data handle\"",
			    blob->compat, (unsigned long long)blob->phys,
			    (unsigned long long)want);
	return 0;
}

KHO_PLUGIN_DEFINE = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.name = "luo-test-flb",
	.description = "FLBs of the in-kernel LUO test: a magic value, no memory",
	.role = KHO_ROLE_BLOB,
	.compats = tf_compats,
	.node_names = tf_nodes,
	.checks = tf_checks,
	.decode = tf_decode,
};
