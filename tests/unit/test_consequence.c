// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the consequence lookup (src/decode/consequence.c). */
#include <check.h>
#include <string.h>

#include "decode/consequence.h"
#include "decode/session.h"
#include "check_main.h"

/* A private table, so the matching rules are tested apart from content. */
static const struct kho_cq_rule t[] = {
	{ "block.*", "luo", 5, 5, KHO_CQ_UNKNOWN, "prefix" },
	{ "block.*@luo", "luo", 5, 5, KHO_CQ_PANIC, "prefix at luo" },
	{ "block.count-zero", "luo", 5, 5, KHO_CQ_SESSION_LOST, "exact" },
	{ "block.count-zero@luo-session", "luo", 5, 5, KHO_CQ_FILE_EIO,
	  "exact at luo-session" },
	{ "memfd.flags", "memfd", 2, 2, KHO_CQ_NONE, "memfd-v2 only" },
	{ "root.x", "kho", 3, 4, KHO_CQ_ALL_LOST, "kho-v3..v4" },
	{ "limit.y", "any", 0, 0, KHO_CQ_NONE, "any" },
	{ "root.p", "kho", 4, 4, KHO_CQ_UNKNOWN, "root.p" },
	{ "root.p@subnode:LUO", "kho", 4, 4, KHO_CQ_PANIC, "root.p at LUO" },
	{ "memfd.*", "memfd", 2, 2, KHO_CQ_UNKNOWN, "memfd prefix" },
	{ "memfd.folio-*", "memfd", 2, 2, KHO_CQ_UNKNOWN, "longer prefix" },
	{ "vmalloc.x@luo", "luo", 5, 5, KHO_CQ_UNKNOWN, "far" },
	{ "vmalloc.*@memfd", "luo", 5, 5, KHO_CQ_UNKNOWN, "near prefix" },
};
#define NT (sizeof(t) / sizeof(t[0]))

static struct kho_obj luo, session, chain, schain, file, memfd;

static void tree(const char *luo_compat, const char *memfd_compat)
{
	memset(&luo, 0, sizeof(luo));
	memset(&session, 0, sizeof(session));
	memset(&chain, 0, sizeof(chain));
	memset(&schain, 0, sizeof(schain));
	memset(&file, 0, sizeof(file));
	memset(&memfd, 0, sizeof(memfd));
	luo.kind = "luo";
	luo.compat = luo_compat;
	schain.kind = "block-chain";
	schain.parent = &luo;
	session.kind = "luo-session";
	session.parent = &luo;
	chain.kind = "block-chain";
	chain.parent = &session;
	file.kind = "luo-file";
	file.compat = memfd_compat;
	file.parent = &session;
	memfd.kind = "memfd";
	memfd.parent = &file;
}

static const char *src_sub(const char *check, const struct kho_obj *o,
			   const char *root, const char *subnode)
{
	const struct kho_cq_rule *r =
		kho_cq_lookup_in(t, NT, check, o, root, subnode);

	return r ? r->source : "none";
}

static const char *src(const char *check, const struct kho_obj *o,
		       const char *root)
{
	const struct kho_cq_rule *r =
		kho_cq_lookup_in(t, NT, check, o, root, NULL);

	return r ? r->source : "none";
}

START_TEST(test_precedence)
{
	tree("luo-v5", "memfd-v2");
	/* qualified (nearest first; exact before prefix) > exact > prefix */
	ck_assert_str_eq(src("block.count-zero", &chain, NULL), "exact at luo-session");
	ck_assert_str_eq(src("block.count-zero", &schain, NULL), "prefix at luo");
	luo.kind = "other";
	ck_assert_str_eq(src("block.count-zero", &schain, NULL), "exact");
	ck_assert_str_eq(src("block.cycle", &schain, NULL), "prefix");
	luo.kind = "luo";
	ck_assert_str_eq(src("block.cycle", &schain, NULL), "prefix at luo");
	/* luo is the file chain's grandparent: still qualified. */
	ck_assert_str_eq(src("block.cycle", &chain, NULL), "prefix at luo");
	/* Any ancestor's kind qualifies; the nearest wins, even over an
	 * exact id further up. */
	ck_assert_str_eq(src("block.cycle", &file, NULL), "prefix at luo");
	ck_assert_str_eq(src("vmalloc.x", &memfd, NULL), "near prefix");
	ck_assert_str_eq(src("vmalloc.x", &session, NULL), "far");
	/* The longest prefix wins. */
	ck_assert_str_eq(src("memfd.folio-hole", &memfd, NULL), "longer prefix");
	ck_assert_str_eq(src("memfd.seals", &memfd, NULL), "memfd prefix");
	/* subnode:NAME matches only the sub-node being checked. */
	ck_assert_str_eq(src_sub("root.p", NULL, "kho-v4", "LUO"), "root.p at LUO");
	ck_assert_str_eq(src_sub("root.p", NULL, "kho-v4", "memblock"), "root.p");
	ck_assert_str_eq(src_sub("root.p", NULL, "kho-v4", NULL), "root.p");
	ck_assert_str_eq(src("blockx", &chain, NULL), "none");
	ck_assert_str_eq(src("block.count-zerox", &chain, NULL), "prefix at luo");
	ck_assert_str_eq(src(NULL, &chain, NULL), "none");
}
END_TEST

START_TEST(test_generations)
{
	tree("luo-v4", "memfd-v1");
	ck_assert_str_eq(src("block.count-zero", &chain, NULL), "none");
	ck_assert_str_eq(src("memfd.flags", &memfd, NULL), "none");
	tree("luo-v5", "memfd-v2");
	ck_assert_str_eq(src("memfd.flags", &memfd, NULL), "memfd-v2 only");
	/* No memfd string above the object: the rule cannot apply. */
	ck_assert_str_eq(src("memfd.flags", &session, NULL), "none");
	/* luo-v50 is not luo-v5; a composite string counts by its base. */
	tree("luo-v50", "memfd-v2;vmalloc-v1");
	ck_assert_str_eq(src("block.count-zero", &chain, NULL), "none");
	ck_assert_str_eq(src("memfd.flags", &memfd, NULL), "memfd-v2 only");
	tree("luo-vx", NULL);
	ck_assert_str_eq(src("block.cycle", &schain, NULL), "none");
	/* kho from the root compat, inclusive range. */
	ck_assert_str_eq(src("root.x", NULL, "kho-v3"), "kho-v3..v4");
	ck_assert_str_eq(src("root.x", NULL, "kho-v4;radix-v1"), "kho-v3..v4");
	ck_assert_str_eq(src("root.x", NULL, "kho-v2"), "none");
	ck_assert_str_eq(src("root.x", NULL, "kho-v5"), "none");
	ck_assert_str_eq(src("root.x", NULL, NULL), "none");
	ck_assert_str_eq(src("limit.y", NULL, NULL), "any");
}
END_TEST

START_TEST(test_severity)
{
	ck_assert_int_eq(kho_cq_severity(KHO_CQ_PANIC, KHO_SEV_NOTE), KHO_SEV_ERROR);
	ck_assert_int_eq(kho_cq_severity(KHO_CQ_ALL_LOST, KHO_SEV_WARNING), KHO_SEV_ERROR);
	ck_assert_int_eq(kho_cq_severity(KHO_CQ_SESSION_LOST, KHO_SEV_NOTE), KHO_SEV_ERROR);
	ck_assert_int_eq(kho_cq_severity(KHO_CQ_FILE_EIO, KHO_SEV_NOTE), KHO_SEV_ERROR);
	ck_assert_int_eq(kho_cq_severity(KHO_CQ_DATA_LOST, KHO_SEV_NOTE), KHO_SEV_ERROR);
	ck_assert_int_eq(kho_cq_severity(KHO_CQ_MEMORY_LEAKED, KHO_SEV_ERROR), KHO_SEV_WARNING);
	ck_assert_int_eq(kho_cq_severity(KHO_CQ_WARNING_ONLY, KHO_SEV_ERROR), KHO_SEV_WARNING);
	ck_assert_int_eq(kho_cq_severity(KHO_CQ_NONE, KHO_SEV_ERROR), KHO_SEV_NOTE);
	ck_assert_int_eq(kho_cq_severity(KHO_CQ_UNKNOWN, KHO_SEV_ERROR), KHO_SEV_ERROR);
	ck_assert_int_eq(kho_cq_severity(KHO_CQ_UNKNOWN, KHO_SEV_WARNING), KHO_SEV_WARNING);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(kho_cq_name(KHO_CQ_PANIC), "panic");
	ck_assert_str_eq(kho_cq_name(KHO_CQ_ALL_LOST), "all-lost");
	ck_assert_str_eq(kho_cq_name(KHO_CQ_SESSION_LOST), "session-lost");
	ck_assert_str_eq(kho_cq_name(KHO_CQ_FILE_EIO), "file-eio");
	ck_assert_str_eq(kho_cq_name(KHO_CQ_DATA_LOST), "data-lost");
	ck_assert_str_eq(kho_cq_name(KHO_CQ_MEMORY_LEAKED), "memory-leaked");
	ck_assert_str_eq(kho_cq_name(KHO_CQ_WARNING_ONLY), "warning-only");
	ck_assert_str_eq(kho_cq_name(KHO_CQ_NONE), "none");
	ck_assert_str_eq(kho_cq_name(KHO_CQ_UNKNOWN), "unknown");
	ck_assert_str_eq(kho_cq_name((enum kho_cq)99), "unknown");
	ck_assert_str_eq(kho_cq_phrase(KHO_CQ_PANIC),
			 "the next kernel will panic at boot");
}
END_TEST

/* Every rule of the real table names a source and a valid range. */
START_TEST(test_table_well_formed)
{
	size_t n, i;
	const struct kho_cq_rule *r = kho_cq_rules(&n);

	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		ck_assert_msg(r[i].source && strlen(r[i].source) > 10,
			      "rule %s has no source", r[i].id);
		ck_assert_msg(r[i].vmin <= r[i].vmax || !strcmp(r[i].family, "any"),
			      "rule %s: empty range", r[i].id);
		ck_assert_msg(!strcmp(r[i].family, "kho") ||
			      !strcmp(r[i].family, "luo") ||
			      !strcmp(r[i].family, "memfd") ||
			      !strcmp(r[i].family, "any"),
			      "rule %s: family %s", r[i].id, r[i].family);
		ck_assert_msg((unsigned int)r[i].cq < KHO_CQ_COUNT,
			      "rule %s: consequence", r[i].id);
	}
}
END_TEST

static Suite *cq_suite(void)
{
	Suite *s = suite_create("consequence");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_precedence);
	tcase_add_test(tc, test_generations);
	tcase_add_test(tc, test_severity);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_table_well_formed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kho_check_run(cq_suite());
}
