// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The error codes (include/kho/err.h), kho_strerror(), and the version
 * arithmetic of the plugin API (include/kho/plugin.h, src/decode/plugins.c).
 */
#include <check.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "kho/err.h"
#include "kho/plugin.h"
#include "decode/plugins.h"
#include "check_main.h"

static const int codes[] = {
	KHO_ENOMEM, KHO_ENOTCAPTURED, KHO_ERANGE, KHO_ECORRUPT, KHO_ENOENT,
	KHO_ELIMIT, KHO_EINVAL, KHO_EIO, KHO_EFORMAT,
};
#define NCODES (sizeof(codes) / sizeof(codes[0]))

START_TEST(codes_distinct_and_not_minus_one)
{
	size_t i, j;

	for (i = 0; i < NCODES; i++) {
		/* A stray -1 must never read as one of the codes. */
		ck_assert_int_ne(codes[i], -1);
		ck_assert_int_lt(codes[i], 0);
		ck_assert_int_ge(codes[i], KHO_ERR_MIN);
		for (j = i + 1; j < NCODES; j++)
			ck_assert_int_ne(codes[i], codes[j]);
	}
}
END_TEST

START_TEST(every_code_described)
{
	const char *unknown = kho_strerror(-1);
	size_t i, j;

	ck_assert_str_eq(unknown, "unknown error");
	for (i = 0; i < NCODES; i++) {
		const char *m = kho_strerror(codes[i]);

		ck_assert_ptr_nonnull(m);
		ck_assert_str_ne(m, unknown);
		ck_assert_int_gt((int)strlen(m), 0);
		/* One short phrase, no trailing period. */
		ck_assert_int_ne(m[strlen(m) - 1], '.');
		for (j = i + 1; j < NCODES; j++)
			ck_assert_str_ne(m, kho_strerror(codes[j]));
	}
}
END_TEST

START_TEST(known_messages)
{
	ck_assert_str_eq(kho_strerror(KHO_OK), "success");
	ck_assert_str_eq(kho_strerror(KHO_ENOMEM), "out of memory");
	ck_assert_str_eq(kho_strerror(KHO_ENOTCAPTURED),
			 "memory not captured in the image");
	ck_assert_str_eq(kho_strerror(KHO_ERANGE),
			 "address outside physical memory");
}
END_TEST

START_TEST(not_codes_are_unknown)
{
	static const int others[] = { -1, 1, 42, KHO_ERR_MIN - 1, INT_MIN,
				      INT_MAX };
	size_t i;

	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		ck_assert_str_eq(kho_strerror(others[i]), "unknown error");
}
END_TEST

START_TEST(api_version_encoding)
{
	uint32_t now = KHO_PLUGIN_API_VERSION;

	ck_assert_uint_eq(KHO_PLUGIN_API_MAJOR_OF(now), KHO_PLUGIN_API_MAJOR);
	ck_assert_uint_eq(KHO_PLUGIN_API_MINOR_OF(now), KHO_PLUGIN_API_MINOR);
	ck_assert_uint_eq(KHO_PLUGIN_API(1, 4), 0x10004u);
	ck_assert_uint_eq(KHO_PLUGIN_API_MAJOR_OF(KHO_PLUGIN_API(2, 0)), 2);
	ck_assert_uint_eq(KHO_PLUGIN_API_MINOR_OF(KHO_PLUGIN_API(2, 0)), 0);
	/* What every plugin said before 1.5: a bare major, minor 0. */
	ck_assert_uint_eq(KHO_PLUGIN_API_MAJOR_OF(1), 1);
	ck_assert_uint_eq(KHO_PLUGIN_API_MINOR_OF(1), 0);
	ck_assert_uint_eq(KHO_PLUGIN_API_MAJOR_OF(99), 99);
	ck_assert_uint_eq(KHO_PLUGIN_API_MINOR_OF(99), 0);
}
END_TEST

START_TEST(plugin_minor)
{
	struct kho_plugin p = { .api_version = 1 };

	ck_assert_uint_eq(kho_plugin_minor(&p), 0);
	p.api_version = KHO_PLUGIN_API(1, 3);
	ck_assert_uint_eq(kho_plugin_minor(&p), 3);
	ck_assert_uint_eq(kho_plugin_minor(NULL), KHO_PLUGIN_API_MINOR);
}
END_TEST

/* The members of struct kho_memmap_ops each minor had (plugin.h history). */
START_TEST(memmap_ops_prefix_per_minor)
{
	ck_assert_uint_eq(kho_memmap_ops_size(0),
			  offsetof(struct kho_memmap_ops, claim));
	ck_assert_uint_eq(kho_memmap_ops_size(1),
			  offsetof(struct kho_memmap_ops, claim_seq));
	ck_assert_uint_eq(kho_memmap_ops_size(2),
			  sizeof(struct kho_memmap_ops));
	ck_assert_uint_eq(kho_memmap_ops_size(KHO_PLUGIN_API_MINOR),
			  sizeof(struct kho_memmap_ops));
	/* 1.0 ends with free; 1.1 added claim and iter_next_word. */
	ck_assert_uint_ge(kho_memmap_ops_size(0),
			  offsetof(struct kho_memmap_ops, free) +
			  sizeof(void (*)(void *)));
	ck_assert_uint_gt(offsetof(struct kho_memmap_ops, iter_next_word),
			  offsetof(struct kho_memmap_ops, claim));
	ck_assert_uint_lt(offsetof(struct kho_memmap_ops, iter_next_word),
			  kho_memmap_ops_size(1));
}
END_TEST

static Suite *err_suite(void)
{
	Suite *s = suite_create("err");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, codes_distinct_and_not_minus_one);
	tcase_add_test(tc, every_code_described);
	tcase_add_test(tc, known_messages);
	tcase_add_test(tc, not_codes_are_unknown);
	tcase_add_test(tc, api_version_encoding);
	tcase_add_test(tc, plugin_minor);
	tcase_add_test(tc, memmap_ops_prefix_per_minor);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kho_check_run(err_suite());
}
