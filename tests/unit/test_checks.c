// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The check registry and the --ignore / --error filter (src/decode/checks.c):
 * patterns, last-match-wins, and the registry walk over core and plugin
 * declarations.
 */
#include <check.h>
#include <string.h>

#include "decode/checks.h"
#include "kho/err.h"
#include "decode/plugins.h"
#include "check_main.h"

START_TEST(patterns)
{
	ck_assert(kho_check_pattern_matches("memfd.flags", "memfd.flags"));
	ck_assert(!kho_check_pattern_matches("memfd.flags", "memfd.flags-x"));
	ck_assert(!kho_check_pattern_matches("memfd.flag", "memfd.flags"));
	ck_assert(kho_check_pattern_matches("memfd.*", "memfd.flags"));
	ck_assert(kho_check_pattern_matches("mem*", "memmap.overlap"));
	ck_assert(!kho_check_pattern_matches("memfd.*", "memmap.overlap"));
	ck_assert(kho_check_pattern_matches("*", "root.missing"));
	ck_assert(!kho_check_pattern_matches("*", NULL));
}
END_TEST

START_TEST(last_match_wins)
{
	kho_checks_filter_clear();
	ck_assert_int_eq(kho_checks_filter("memfd.flags"), KHO_CHECK_KEEP);
	ck_assert_int_eq(kho_checks_filter_add(KHO_CHECK_IGNORE, "memfd.*"), 0);
	ck_assert_int_eq(kho_checks_filter_add(KHO_CHECK_ERROR, "memfd.flags"), 0);
	ck_assert_int_eq(kho_checks_filter("memfd.flags"), KHO_CHECK_ERROR);
	ck_assert_int_eq(kho_checks_filter("memfd.seals"), KHO_CHECK_IGNORE);
	ck_assert_int_eq(kho_checks_filter("luo.fdt"), KHO_CHECK_KEEP);
	ck_assert_int_eq(kho_checks_filter(NULL), KHO_CHECK_KEEP);
	ck_assert_int_eq(kho_checks_filter_add(KHO_CHECK_IGNORE, "memfd.flags"), 0);
	ck_assert_int_eq(kho_checks_filter("memfd.flags"), KHO_CHECK_IGNORE);
	ck_assert_uint_eq(kho_checks_filter_count(), 3);
	kho_checks_filter_clear();
	ck_assert_int_eq(kho_checks_filter("memfd.flags"), KHO_CHECK_KEEP);
}
END_TEST

START_TEST(filter_is_bounded)
{
	size_t i;

	kho_checks_filter_clear();
	for (i = 0; i < KHO_CHECK_FILTER_MAX; i++)
		ck_assert_int_eq(kho_checks_filter_add(KHO_CHECK_IGNORE, "x.y"), 0);
	ck_assert_int_eq(kho_checks_filter_add(KHO_CHECK_IGNORE, "x.y"),
			 KHO_EINVAL);
	kho_checks_filter_clear();
}
END_TEST

START_TEST(core_table)
{
	size_t n, i, j;
	const struct kho_check_decl *t = kho_checks_core(&n);

	ck_assert_uint_gt(n, 100);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(strchr(t[i].id, '.'));
		ck_assert_int_gt((int)strlen(t[i].summary), 0);
		ck_assert_int_ge((int)t[i].sev, 0);
		ck_assert_int_lt((int)t[i].sev, KHO_SEV_COUNT);
		for (j = i + 1; j < n; j++)
			ck_assert_str_ne(t[i].id, t[j].id);
	}
	ck_assert_ptr_nonnull(kho_checks_core_find("limit.findings"));
	ck_assert_ptr_null(kho_checks_core_find("memfd.flags"));
}
END_TEST

/* A plugin's ids end at its list's NULL, and come after the core's. */
static const char *const fake_ids[] = { "fake.one", "fake.two", NULL,
					"fake.hidden", NULL };
static const struct kho_plugin fake = { .name = "fake", .checks = fake_ids };

struct seen {
	size_t n, fake;
	int order_ok, saw_hidden;
};

static int visit(void *arg, const char *id, const char *owner,
		 const struct kho_check_decl *d, uint32_t cap)
{
	struct seen *s = arg;

	s->n++;
	if (!strcmp(owner, "fake")) {
		s->fake++;
		ck_assert_ptr_null(d);
	} else {
		ck_assert_str_eq(owner, "core");
		ck_assert_ptr_nonnull(d);
		if (s->fake)
			s->order_ok = 0;
	}
	if (!strcmp(id, "fake.hidden"))
		s->saw_hidden = 1;
	return 0;
}

START_TEST(walk_reads_plugin_checks)
{
	struct kho_loaded_plugin lp = { .p = &fake };
	struct kho_plugin_set set = { .v = &lp, .n = 1, .cap = 1 };
	struct seen s = { 0, 0, 1, 0 };
	size_t ncore;

	kho_checks_core(&ncore);
	ck_assert_int_eq(kho_checks_each(&set, visit, &s), 0);
	ck_assert_uint_eq(s.n, ncore + 2);
	ck_assert_uint_eq(s.fake, 2);
	ck_assert(s.order_ok);
	ck_assert(!s.saw_hidden);
	ck_assert_uint_eq(kho_checks_count_matching(&set, "fake.*"), 2);
	ck_assert_uint_eq(kho_checks_count_matching(&set, "fake.two"), 1);
	ck_assert_uint_eq(kho_checks_count_matching(&set, "fake.hidden"), 0);
	ck_assert_uint_eq(kho_checks_count_matching(NULL, "fake.*"), 0);
}
END_TEST

/*
 * Caps: a 1.6 plugin's check_list gives them; an older plugin's struct
 * has no check_list, so the host must not read it (here it is set, and
 * must be ignored); ids a plugin does not declare take the core's cap.
 */
static const struct kho_check new_list[] = {
	{ "new.capped", 3 }, { "new.free", 0 }, { NULL, 0 }, { "new.hidden", 5 },
};
static const char *const old_ids[] = { "old.one", NULL };
static const struct kho_check old_list[] = { { "old.one", 9 }, { NULL, 0 } };
static const struct kho_plugin newp = {
	.api_version = KHO_PLUGIN_API(1, 6), .name = "newp",
	.check_list = new_list,
};
static const struct kho_plugin oldp = {
	.api_version = KHO_PLUGIN_API(1, 5), .name = "oldp",
	.checks = old_ids, .check_list = old_list,
};

START_TEST(caps_from_the_lists)
{
	uint32_t cap = 99;
	size_t rank = 0;

	ck_assert_str_eq(kho_plugin_check_at(&newp, 0, &cap), "new.capped");
	ck_assert_uint_eq(cap, 3);
	ck_assert_str_eq(kho_plugin_check_at(&newp, 1, &cap), "new.free");
	ck_assert_uint_eq(cap, 0);
	ck_assert_ptr_null(kho_plugin_check_at(&newp, 2, &cap));
	ck_assert_str_eq(kho_plugin_check_at(&oldp, 0, &cap), "old.one");
	ck_assert_uint_eq(cap, 0);
	ck_assert_uint_eq(kho_check_cap(&newp, "new.capped", &rank), 3);
	ck_assert_uint_eq(rank, 0);
	ck_assert_uint_eq(kho_check_cap(&newp, "new.hidden", &rank), 0);
	ck_assert_uint_eq(rank, SIZE_MAX);
	ck_assert_uint_eq(kho_check_cap(&oldp, "old.one", &rank), 0);
	ck_assert_uint_eq(rank, 0);
	/* check_registry.h caps the shared memmap ids at 32, after any
	 * plugin id in the closing order. */
	ck_assert_uint_eq(kho_check_cap(&newp, "memmap.scratch-overlap", &rank),
			  32);
	ck_assert_uint_ge(rank, KHO_CHECKS_PLUGIN_MAX);
	ck_assert_uint_eq(kho_check_cap(NULL, "root.bad-magic", &rank), 0);
}
END_TEST

static Suite *checks_suite(void)
{
	Suite *s = suite_create("checks");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, patterns);
	tcase_add_test(tc, last_match_wins);
	tcase_add_test(tc, filter_is_bounded);
	tcase_add_test(tc, core_table);
	tcase_add_test(tc, walk_reads_plugin_checks);
	tcase_add_test(tc, caps_from_the_lists);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kho_check_run(checks_suite());
}
