// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for include/kho/v1_math.h.  Expected values are worked out by
 * hand from spec §3.2 and §3.5, not taken from the code.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "kho/v1_math.h"
#include "check_main.h"

START_TEST(test_layout)
{
	ck_assert_uint_eq(kho_v1_chunk_capacity(4096), 255);
	ck_assert_uint_eq(kho_v1_chunk_capacity(16384), 1023);
	ck_assert_uint_eq(kho_v1_chunk_capacity(65536), 4095);
	ck_assert_uint_eq(kho_v1_entry_off(0), 16);
	ck_assert_uint_eq(kho_v1_entry_off(254) + 16, 4096);
	ck_assert_uint_eq(kho_v1_bits_log2(512), 12);    /* 4096 bits */
	ck_assert_uint_eq(kho_v1_bits_log2(4096), 15);   /* 32768 bits */
	ck_assert_uint_eq(kho_v1_bits_log2(16384), 17);  /* 131072 bits */
	ck_assert_uint_eq(kho_v1_bits_log2(65536), 19);  /* 524288 bits */
	/* phys_start granularity: 16 MiB << order, 128 MiB << order */
	ck_assert_uint_eq(kho_v1_span_log2(12, 0, 12), 24);
	ck_assert_uint_eq(kho_v1_span_log2(12, 0, 15), 27);
	ck_assert_uint_eq(kho_v1_span_log2(12, 9, 15), 36);
}
END_TEST

/* §3.2 worked example, page bitmaps: index 36, bit 13398, 0x1_2000_0000. */
START_TEST(test_example_page)
{
	const uint64_t phys = UINT64_C(0x123456000);

	ck_assert_uint_eq(kho_v1_bitmap_index(phys, 12, 0, 15), 36);
	ck_assert_uint_eq(kho_v1_bit(phys, 12, 0, 15), 13398);
	ck_assert_uint_eq(kho_v1_phys_start(36, 12, 0, 15),
			  UINT64_C(0x120000000));
	ck_assert_uint_eq(kho_v1_block_phys(UINT64_C(0x120000000), 13398, 12, 0),
			  phys);
	ck_assert(kho_v1_phys_start_aligned(UINT64_C(0x120000000), 12, 0, 15));
	ck_assert(!kho_v1_phys_start_aligned(UINT64_C(0x123000000), 12, 0, 15));
}
END_TEST

/* §3.2 worked example, 512-byte bitmaps: index 291, bit 1110, 0x1_2300_0000. */
START_TEST(test_example_512)
{
	const uint64_t phys = UINT64_C(0x123456000);

	ck_assert_uint_eq(kho_v1_bitmap_index(phys, 12, 0, 12), 291);
	ck_assert_uint_eq(kho_v1_bit(phys, 12, 0, 12), 1110);
	ck_assert_uint_eq(kho_v1_phys_start(291, 12, 0, 12),
			  UINT64_C(0x123000000));
	ck_assert_uint_eq(kho_v1_block_phys(UINT64_C(0x123000000), 1110, 12, 0),
			  phys);
	ck_assert(kho_v1_phys_start_aligned(UINT64_C(0x123000000), 12, 0, 12));
	ck_assert(!kho_v1_phys_start_aligned(UINT64_C(0x123400000), 12, 0, 12));
}
END_TEST

/* Higher orders and other page sizes, by hand. */
START_TEST(test_orders)
{
	/* order 9 (2 MiB), phys 0x4020_0000: unit index 0x201 = 513;
	 * page bitmaps: 32768 units per bitmap -> index 0, bit 513 */
	ck_assert_uint_eq(kho_v1_bitmap_index(UINT64_C(0x40200000), 12, 9, 15),
			  0);
	ck_assert_uint_eq(kho_v1_bit(UINT64_C(0x40200000), 12, 9, 15), 513);
	/* 512-byte: 4096 units -> index 0, bit 513 */
	ck_assert_uint_eq(kho_v1_bit(UINT64_C(0x40200000), 12, 9, 12), 513);
	/* order 1, phys 0x2_0000_2000: unit 0x100001; page bitmaps:
	 * index 0x100001 >> 15 = 32, bit 1; phys_start 32 << 28 = 0x2_0000_0000 */
	ck_assert_uint_eq(kho_v1_bitmap_index(UINT64_C(0x200002000), 12, 1, 15),
			  32);
	ck_assert_uint_eq(kho_v1_bit(UINT64_C(0x200002000), 12, 1, 15), 1);
	ck_assert_uint_eq(kho_v1_phys_start(32, 12, 1, 15),
			  UINT64_C(0x200000000));
	/* 16 KiB pages, page bitmaps (2^17 bits): phys 0x1_2345_4000 is
	 * unit 0x48d15 -> index 2, bit 0x8d15, phys_start 2 << 31 */
	ck_assert_uint_eq(kho_v1_bitmap_index(UINT64_C(0x123454000), 14, 0, 17),
			  2);
	ck_assert_uint_eq(kho_v1_bit(UINT64_C(0x123454000), 14, 0, 17), 0x8d15);
	ck_assert_uint_eq(kho_v1_phys_start(2, 14, 0, 17),
			  UINT64_C(0x100000000));
	/* 64 KiB pages (2^19 bits): phys 0x10000 -> index 0, bit 1 */
	ck_assert_uint_eq(kho_v1_bit(0x10000, 16, 0, 19), 1);
	/* spans that do not fit in 64 bits */
	ck_assert_uint_eq(kho_v1_phys_start(1, 12, 40, 15), 0);
	ck_assert(kho_v1_phys_start_aligned(0, 12, 40, 15));
	ck_assert(!kho_v1_phys_start_aligned(0x1000, 12, 40, 15));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("v1_math");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_example_page);
	tcase_add_test(tc, test_example_512);
	tcase_add_test(tc, test_orders);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kho_check_run(suite());
}
