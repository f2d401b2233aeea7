// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the exact human-size formatter (src/base/human_size.c). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/human_size.h"
#include "check_main.h"

static void expect(uint64_t v, const char *want)
{
	char buf[KHO_HUMAN_SIZE_MAX];

	ck_assert_str_eq(kho_human_size(buf, sizeof(buf), v), want);
}

START_TEST(test_bytes)
{
	expect(0, "0 B");
	expect(1, "1 B");
	expect(512, "512 B");
	expect(1023, "1023 B");
}
END_TEST

START_TEST(test_whole_units)
{
	expect(1024, "1 KiB");
	expect(4096, "4 KiB");
	expect(65536, "64 KiB");
	expect(2u << 20, "2 MiB");
	expect(1ULL << 30, "1 GiB");
	expect(3ULL << 40, "3 TiB");
	expect(1ULL << 50, "1 PiB");
	expect(1ULL << 60, "1 EiB");
	expect(1ULL << 63, "8 EiB");
}
END_TEST

START_TEST(test_fractions)
{
	expect(1536, "1.5 KiB");
	expect(1280, "1.25 KiB");
	expect(1792, "1.75 KiB");
	expect(4608, "4.5 KiB");
	expect(3ULL << 19, "1.5 MiB");
	expect((5ULL << 30) / 4, "1.25 GiB");
	expect(15ULL << 58, "3.75 EiB");
}
END_TEST

START_TEST(test_exact_fallback)
{
	/* No rounding: a value that is not a quarter of a unit steps down. */
	expect(1025, "1025 B");
	expect(1152, "1152 B");           /* 1.125 KiB */
	expect((1ULL << 20) + 1024, "1025 KiB");
	expect(9999, "9999 B");            /* four digits: still exact */
}
END_TEST

START_TEST(test_approximate)
{
	/* Five digits or more: rounded to hundredths of the largest unit. */
	expect(10000, "~9.77 KiB");        /* 9.765625 KiB */
	expect(10235, "~10 KiB");          /* 9.995 KiB rounds up */
	expect((1ULL << 30) + 1, "~1 GiB");
	/* The 1 TiB: 1073750060 KiB exactly. */
	expect(1073750060ULL * 1024, "~1 TiB");
	expect((1ULL << 40) + (1ULL << 37), "1152 GiB"); /* 1.125 TiB: exact */
	expect((11ULL << 30) / 10, "~1.1 GiB");
	expect(UINT64_MAX, "~16 EiB");
	expect(UINT64_MAX - 1023, "~16 EiB");
}
END_TEST

START_TEST(test_small_buffer)
{
	char buf[4];

	ck_assert_str_eq(kho_human_size(buf, sizeof(buf), 65536), "64 ");
	ck_assert_ptr_null(kho_human_size(NULL, 0, 1));
}
END_TEST

static Suite *hs_suite(void)
{
	Suite *s = suite_create("human_size");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_bytes);
	tcase_add_test(tc, test_whole_units);
	tcase_add_test(tc, test_fractions);
	tcase_add_test(tc, test_exact_fallback);
	tcase_add_test(tc, test_approximate);
	tcase_add_test(tc, test_small_buffer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kho_check_run(hs_suite());
}
