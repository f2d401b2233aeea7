// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for include/kho/radix_math.h.  Every expected value below was
 * worked out by hand from spec §3.3-§3.5, not taken from the code.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "kho/radix_math.h"
#include "check_main.h"

static struct kho_radix_geom geom(unsigned int ps, int plus1)
{
	struct kho_radix_geom g;

	ck_assert_int_eq(kho_radix_geom_init(&g, ps, plus1), 0);
	return g;
}

START_TEST(test_constants)
{
	struct kho_radix_geom g;

	/* 4 KiB: O0 52, T 9, B 15, D 6 under both formulas. */
	g = geom(12, 0);
	ck_assert_uint_eq(g.o0, 52);
	ck_assert_uint_eq(g.t, 9);
	ck_assert_uint_eq(g.b, 15);
	ck_assert_uint_eq(g.depth, 6);
	ck_assert_uint_eq(g.key_bits, 60);
	g = geom(12, 1);
	ck_assert_uint_eq(g.depth, 6);

	/* 16 KiB: O0 50, T 11, B 17; D 4 (orig) vs 5 (+1). */
	g = geom(14, 0);
	ck_assert_uint_eq(g.o0, 50);
	ck_assert_uint_eq(g.t, 11);
	ck_assert_uint_eq(g.b, 17);
	ck_assert_uint_eq(g.depth, 4);
	ck_assert_uint_eq(g.key_bits, 50);
	g = geom(14, 1);
	ck_assert_uint_eq(g.depth, 5);
	ck_assert_uint_eq(g.key_bits, 61);

	/* 64 KiB: O0 48, T 13, B 19; D 4 under both. */
	g = geom(16, 0);
	ck_assert_uint_eq(g.o0, 48);
	ck_assert_uint_eq(g.t, 13);
	ck_assert_uint_eq(g.b, 19);
	ck_assert_uint_eq(g.depth, 4);
	ck_assert_uint_eq(g.key_bits, 58);
	g = geom(16, 1);
	ck_assert_uint_eq(g.depth, 4);

	ck_assert_uint_eq(kho_radix_depth(12, 0), 6);
	ck_assert_uint_eq(kho_radix_depth(14, 0), 4);
	ck_assert_uint_eq(kho_radix_depth(14, 1), 5);
	ck_assert_uint_eq(kho_radix_depth(16, 1), 4);
	ck_assert_uint_eq(kho_radix_depth(3, 0), 0);
	ck_assert_int_eq(kho_radix_geom_init(&g, 40, 0), -1);
}
END_TEST

/* Spec §3.4 example A: order 0, phys 0x1_2345_6000. */
START_TEST(test_example_a)
{
	struct kho_radix_geom g = geom(12, 0);
	uint64_t key = kho_radix_encode_key(&g, UINT64_C(0x123456000), 0);
	uint64_t phys;
	unsigned int order;

	ck_assert_uint_eq(key, UINT64_C(0x0010000000123456));
	ck_assert_uint_eq(kho_radix_index(&g, key, 0), 13398);
	ck_assert_uint_eq(13398 / 64, 209);
	ck_assert_uint_eq(13398 % 64, 22);
	ck_assert_uint_eq(kho_radix_index(&g, key, 1), 36);
	ck_assert_uint_eq(kho_radix_index(&g, key, 2), 0);
	ck_assert_uint_eq(kho_radix_index(&g, key, 3), 0);
	ck_assert_uint_eq(kho_radix_index(&g, key, 4), 0);
	ck_assert_uint_eq(kho_radix_index(&g, key, 5), 2);
	ck_assert_uint_eq(kho_fls64(key), 53);
	ck_assert_int_eq(kho_radix_decode_key(&g, key, &phys, &order), 0);
	ck_assert_uint_eq(order, 0);
	ck_assert_uint_eq(phys, UINT64_C(0x123456000));
	ck_assert(kho_radix_key_fits(&g, key));
	/* the same under the +1 formula (4 KiB is unaffected) */
	g = geom(12, 1);
	ck_assert_uint_eq(kho_radix_index(&g, key, 5), 2);
	ck_assert_uint_eq(kho_radix_index(&g, key, 1), 36);
}
END_TEST

/* Spec §3.4 example B: order 9, phys 0x4020_0000. */
START_TEST(test_example_b)
{
	struct kho_radix_geom g = geom(12, 0);
	uint64_t key = kho_radix_encode_key(&g, UINT64_C(0x40200000), 9);
	uint64_t phys;
	unsigned int order;

	ck_assert_uint_eq(key, UINT64_C(0x0000080000000201));
	ck_assert_uint_eq(kho_radix_index(&g, key, 0), 513);
	ck_assert_uint_eq(kho_radix_index(&g, key, 1), 0);
	ck_assert_uint_eq(kho_radix_index(&g, key, 2), 0);
	ck_assert_uint_eq(kho_radix_index(&g, key, 3), 0);
	ck_assert_uint_eq(kho_radix_index(&g, key, 4), 2);
	ck_assert_uint_eq(kho_radix_index(&g, key, 5), 0);
	ck_assert_uint_eq(kho_fls64(key), 44);
	ck_assert_int_eq(kho_radix_decode_key(&g, key, &phys, &order), 0);
	ck_assert_uint_eq(order, 9);
	ck_assert_uint_eq(phys, UINT64_C(0x40200000));
}
END_TEST

/* Spec §3.5: 16 KiB order-0 keys need the +1 depth. */
START_TEST(test_16k_depth)
{
	struct kho_radix_geom o = geom(14, 0), p = geom(14, 1);
	/* phys 0x1_2345_4000 = pfn 0x48d15 (16 KiB pages) */
	uint64_t key = kho_radix_encode_key(&p, UINT64_C(0x123454000), 0);
	uint64_t phys;
	unsigned int order;

	ck_assert_uint_eq(key, (UINT64_C(1) << 50) | 0x48d15);
	/* +1 formula, D = 5: bit 0x8d15, L1 2, L2 0, L3 0, root (L4) 1 */
	ck_assert_uint_eq(kho_radix_index(&p, key, 0), 0x8d15);
	ck_assert_uint_eq(kho_radix_index(&p, key, 1), 2);
	ck_assert_uint_eq(kho_radix_index(&p, key, 2), 0);
	ck_assert_uint_eq(kho_radix_index(&p, key, 3), 0);
	ck_assert_uint_eq(kho_radix_index(&p, key, 4), 1);
	ck_assert(kho_radix_key_fits(&p, key));
	/* original formula, D = 4: the root is L3 (key bits 39..49); the
	 * order bit (bit 50) is lost, so the key does not fit */
	ck_assert_uint_eq(kho_radix_index(&o, key, 3), 0);
	ck_assert(!kho_radix_key_fits(&o, key));
	/* order-1 keys (order bit 49) still fit in 4 levels */
	key = kho_radix_encode_key(&o, UINT64_C(0x8000), 1);
	ck_assert_uint_eq(key, (UINT64_C(1) << 49) | 1);
	ck_assert(kho_radix_key_fits(&o, key));
	ck_assert_uint_eq(kho_radix_index(&o, key, 3), 1024);
	ck_assert_int_eq(kho_radix_decode_key(&o, key, &phys, &order), 0);
	ck_assert_uint_eq(order, 1);
	ck_assert_uint_eq(phys, 0x8000);
}
END_TEST

START_TEST(test_64k)
{
	struct kho_radix_geom g = geom(16, 1);
	uint64_t key = kho_radix_encode_key(&g, 0x10000, 0);
	uint64_t phys;
	unsigned int order;

	ck_assert_uint_eq(key, (UINT64_C(1) << 48) | 1);
	ck_assert_uint_eq(kho_radix_index(&g, key, 0), 1);
	ck_assert_uint_eq(kho_radix_index(&g, key, 1), 0);
	ck_assert_uint_eq(kho_radix_index(&g, key, 2), 0);
	/* root = L3, key bits 45..57: order bit 48 -> index 8 */
	ck_assert_uint_eq(kho_radix_index(&g, key, 3), 8);
	ck_assert_int_eq(kho_radix_decode_key(&g, key, &phys, &order), 0);
	ck_assert_uint_eq(order, 0);
	ck_assert_uint_eq(phys, 0x10000);
	/* order 13 (512 MiB), phys 0x6000_0000: key 2^35 | 3 */
	key = kho_radix_encode_key(&g, UINT64_C(0x60000000), 13);
	ck_assert_uint_eq(key, (UINT64_C(1) << 35) | 3);
	ck_assert_int_eq(kho_radix_decode_key(&g, key, &phys, &order), 0);
	ck_assert_uint_eq(order, 13);
	ck_assert_uint_eq(phys, UINT64_C(0x60000000));
}
END_TEST

START_TEST(test_decode_invalid)
{
	struct kho_radix_geom g = geom(12, 0);
	uint64_t phys = 1;
	unsigned int order = 1;

	/* no order bit */
	ck_assert_int_eq(kho_radix_decode_key(&g, 0, &phys, &order), -1);
	/* highest bit above O0 = 52 (a root index of 4 or more) */
	ck_assert_int_eq(
		kho_radix_decode_key(&g, UINT64_C(1) << 53, &phys, &order), -1);
	/* bit 52 alone: order 0, phys 0 */
	ck_assert_int_eq(
		kho_radix_decode_key(&g, UINT64_C(1) << 52, &phys, &order), 0);
	ck_assert_uint_eq(order, 0);
	ck_assert_uint_eq(phys, 0);
	/* key 1: order 52, phys 0 (a 2^64-byte block) decodes, but is no
	 * valid block below 2^52 */
	ck_assert_int_eq(kho_radix_decode_key(&g, 1, &phys, &order), 0);
	ck_assert_uint_eq(order, 52);
	ck_assert(!kho_radix_block_ok(&g, phys, order, 52));
	ck_assert_uint_eq(kho_radix_encode_key(&g, 0, 53), 0);
}
END_TEST

START_TEST(test_block_ok)
{
	struct kho_radix_geom g = geom(12, 0);

	ck_assert(kho_radix_block_ok(&g, 0x1000, 0, 52));
	ck_assert(!kho_radix_block_ok(&g, 0x1800, 0, 52));
	ck_assert(!kho_radix_block_ok(&g, 0x1000, 1, 52));
	ck_assert(kho_radix_block_ok(&g, UINT64_C(0xFFFFFFFFFF000), 0, 52));
	ck_assert(!kho_radix_block_ok(&g, UINT64_C(1) << 52, 0, 52));
	/* order 40 = 2^52 bytes: only phys 0 fits */
	ck_assert(kho_radix_block_ok(&g, 0, 40, 52));
	ck_assert(!kho_radix_block_ok(&g, 0, 41, 52));
	ck_assert_uint_eq(kho_radix_max_order(&g, 52), 40);
}
END_TEST

/* §3.4 "useful consequence": possible root / L4 slots for 4 KiB pages. */
START_TEST(test_slot_ranges)
{
	struct kho_radix_geom g = geom(12, 0);
	uint64_t lo, hi, i;
	unsigned int rs = kho_radix_level_shift(&g, 5);
	unsigned int l4 = kho_radix_level_shift(&g, 4);

	ck_assert_uint_eq(rs, 51);
	ck_assert_uint_eq(l4, 42);
	ck_assert_int_eq(kho_radix_order_keys(&g, 0, 52, &lo, &hi), 0);
	ck_assert_uint_eq(lo, UINT64_C(1) << 52);
	ck_assert_uint_eq(hi, (UINT64_C(1) << 52) + (UINT64_C(1) << 40));
	ck_assert_int_eq(kho_radix_order_keys(&g, 9, 52, &lo, &hi), 0);
	ck_assert_uint_eq(lo, UINT64_C(1) << 43);
	ck_assert_uint_eq(hi, (UINT64_C(1) << 43) + (UINT64_C(1) << 31));
	ck_assert_int_eq(kho_radix_order_keys(&g, 41, 52, &lo, &hi), -1);

	/* root: 0 (orders >= 2), 1 (order 1), 2 (order 0); nothing else */
	for (i = 0; i < 512; i++)
		ck_assert_int_eq(
			kho_radix_range_valid(&g, i << rs, (i + 1) << rs, 52),
			i <= 2);
	/* under root 2 only L4 slot 0 */
	for (i = 0; i < 512; i++)
		ck_assert_int_eq(kho_radix_range_valid(
					 &g, (UINT64_C(2) << rs) + (i << l4),
					 (UINT64_C(2) << rs) + ((i + 1) << l4),
					 52),
				 i == 0);
	/* under root 0: L4 slot 0 (orders >= 11) and 1 << (10 - o) */
	for (i = 0; i < 512; i++) {
		int want = i == 0 || (i & (i - 1)) == 0;

		ck_assert_int_eq(kho_radix_range_valid(&g, i << l4,
						       (i + 1) << l4, 52),
				 want);
	}
	ck_assert(kho_radix_range_valid(&g, UINT64_C(256) << l4,
					UINT64_C(257) << l4, 52));
	ck_assert(!kho_radix_range_valid(&g, UINT64_C(3) << l4,
					 UINT64_C(4) << l4, 52));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("radix_math");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_constants);
	tcase_add_test(tc, test_example_a);
	tcase_add_test(tc, test_example_b);
	tcase_add_test(tc, test_16k_depth);
	tcase_add_test(tc, test_64k);
	tcase_add_test(tc, test_decode_invalid);
	tcase_add_test(tc, test_block_ok);
	tcase_add_test(tc, test_slot_ranges);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kho_check_run(suite());
}
