// SPDX-License-Identifier: GPL-2.0-or-later
/* Composite compatibility strings (spec §10). */
#include <check.h>
#include <stdlib.h>

#include "decode/compat.h"
#include "check_main.h"

START_TEST(split_rfc_root)
{
	struct kho_compat_parts p;

	ck_assert_int_eq(kho_compat_split("kho-v4;radix-v1;vmalloc-v1", &p), 0);
	ck_assert_str_eq(p.base, "kho-v4");
	ck_assert_uint_eq(p.ncomp, 2);
	ck_assert_str_eq(p.comp[0], "radix-v1");
	ck_assert_str_eq(p.comp[1], "vmalloc-v1");
}
END_TEST

START_TEST(plain_string_has_no_components)
{
	struct kho_compat_parts p;
	char why[128];

	ck_assert_int_eq(kho_compat_split("memfd-v1", &p), 0);
	ck_assert_str_eq(p.base, "memfd-v1");
	ck_assert_uint_eq(p.ncomp, 0);
	ck_assert_int_eq(kho_compat_check_order("memfd-v1", why, sizeof(why)), 0);
}
END_TEST

START_TEST(order_rules)
{
	char why[128];

	ck_assert_int_eq(kho_compat_check_order("kho-v4;radix-v1;vmalloc-v1", why, sizeof(why)), 0);
	/* The base is not part of the ordering. */
	ck_assert_int_eq(kho_compat_check_order("zz-v1;block-v1", why, sizeof(why)), 0);
	ck_assert_int_eq(kho_compat_check_order("kho-v4;vmalloc-v1;radix-v1", why, sizeof(why)), KHO_EINVAL);
	ck_assert_str_eq(why, "components out of order: \"radix-v1\" must come before \"vmalloc-v1\"");
	ck_assert_int_eq(kho_compat_check_order("memfd-v2;vmalloc-v1;vmalloc-v1", why, sizeof(why)), KHO_EINVAL);
	ck_assert_str_eq(why, "component \"vmalloc-v1\" appears twice");
	ck_assert_int_eq(kho_compat_check_order("luo-v5;;block-v1", why, sizeof(why)), KHO_EINVAL);
	ck_assert_int_eq(kho_compat_check_order("luo-v5;", why, sizeof(why)), KHO_EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("compat");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, split_rfc_root);
	tcase_add_test(tc, plain_string_has_no_components);
	tcase_add_test(tc, order_rules);
	suite_add_tcase(s, tc);
	return kho_check_run(s);
}
