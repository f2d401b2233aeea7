/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arithmetic of the KHO radix-tree memory map (kho-v2 and later, spec §3.3).
 *
 * Pure functions, no I/O: the radix plugin, unit tests and image builders
 * share them.  Notation follows the spec: PS = PAGE_SHIFT, O0 =
 * KHO_ORDER_0_LOG2 = 64 - PS, T = KHO_TABLE_SIZE_LOG2 = PS - 3 (log2 of the
 * u64 slots in one page), B = KHO_BITMAP_SIZE_LOG2 = PS + 3 (log2 of the bits
 * in one page), D = KHO_TREE_MAX_DEPTH.  Levels run from D-1 (root) down to
 * 0 (leaf bitmap).
 *
 *   key(phys, order)  = (1 << (O0 - order)) | (phys >> (PS + order))
 *   order(key)        = O0 + 1 - fls64(key)
 *   phys(key)         = key << (PS + order)        (order bit shifted out)
 *   index at L >= 1   = (key >> ((L - 1) * T + B)) mod 2^T
 *   bit at level 0    = key mod 2^B
 *
 * Two depth formulas exist: the original ceil((O0 - B) / T) + 1 (kho-v2,
 * kho-v3) and the "+1" form ceil((O0 - B + 1) / T) + 1 (kho-v4 and the RFC
 * composite).  They differ only for 16 KiB pages (4 vs 5 levels).
 */
#ifndef KHO_RADIX_MATH_H
#define KHO_RADIX_MATH_H

#include <stdint.h>

/* Physical addresses are below 2^52 (the largest architected limit). */
#define KHO_PHYS_LIMIT_LOG2 52u

/* Deepest tree any supported page size produces (4 KiB pages: 6). */
#define KHO_RADIX_MAX_DEPTH 8u

struct kho_radix_geom {
	unsigned int page_shift; /* PS */
	unsigned int o0;         /* KHO_ORDER_0_LOG2 */
	unsigned int t;          /* KHO_TABLE_SIZE_LOG2 */
	unsigned int b;          /* KHO_BITMAP_SIZE_LOG2 */
	unsigned int depth;      /* KHO_TREE_MAX_DEPTH */
	unsigned int key_bits;   /* key bits the tree can hold: B + (D-1)T */
	int plus1;               /* 1 for the "+1" depth formula */
};

/* 1-based index of the highest set bit, 0 for 0 (the kernel's fls64). */
static inline unsigned int kho_fls64(uint64_t x)
{
	return x ? 64u - (unsigned int)__builtin_clzll(x) : 0u;
}

/* KHO_TREE_MAX_DEPTH for a page shift and formula; 0 if unsupported. */
static inline unsigned int kho_radix_depth(unsigned int page_shift, int plus1)
{
	unsigned int o0, t, b, num;

	if (page_shift < 10 || page_shift > 20)
		return 0;
	o0 = 64 - page_shift;
	t = page_shift - 3;
	b = page_shift + 3;
	num = o0 - b + (plus1 ? 1u : 0u);
	return (num + t - 1) / t + 1;
}

/* Fill *g; return 0, or -1 for an unsupported page shift. */
static inline int kho_radix_geom_init(struct kho_radix_geom *g,
				      unsigned int page_shift, int plus1)
{
	unsigned int bits;

	g->depth = kho_radix_depth(page_shift, plus1);
	if (!g->depth)
		return -1;
	g->page_shift = page_shift;
	g->o0 = 64 - page_shift;
	g->t = page_shift - 3;
	g->b = page_shift + 3;
	g->plus1 = plus1 ? 1 : 0;
	bits = g->b + (g->depth - 1) * g->t;
	g->key_bits = bits > 64 ? 64 : bits;
	return 0;
}

/* Shift of the key bits that select a slot at `level` (0 for the leaf). */
static inline unsigned int kho_radix_level_shift(const struct kho_radix_geom *g,
						 unsigned int level)
{
	return level ? (level - 1) * g->t + g->b : 0;
}

/*
 * Encode a block.  Returns 0 (never a valid key) when the order bit cannot
 * exist (order > O0).  Alignment and the physical limit are not checked
 * here: see kho_radix_block_ok().
 */
static inline uint64_t kho_radix_encode_key(const struct kho_radix_geom *g,
					    uint64_t phys, unsigned int order)
{
	unsigned int sh = g->page_shift + order;

	if (order > g->o0)
		return 0;
	return (UINT64_C(1) << (g->o0 - order)) | (sh >= 64 ? 0 : phys >> sh);
}

/*
 * Decode a key.  Returns 0 and fills *phys and *order, or -1 when the key has no
 * order bit (0) or its highest bit lies above O0 (a negative order).
 */
static inline int kho_radix_decode_key(const struct kho_radix_geom *g,
				       uint64_t key, uint64_t *phys,
				       unsigned int *order)
{
	unsigned int f = kho_fls64(key), o, sh;

	if (f == 0 || f > g->o0 + 1)
		return -1;
	o = g->o0 + 1 - f;
	sh = g->page_shift + o;
	*order = o;
	*phys = sh >= 64 ? 0 : key << sh;
	return 0;
}

/* Slot index (level >= 1) or leaf bit (level 0) of a key. */
static inline uint64_t kho_radix_index(const struct kho_radix_geom *g,
				       uint64_t key, unsigned int level)
{
	unsigned int sh = kho_radix_level_shift(g, level);
	unsigned int w = level ? g->t : g->b;

	if (sh >= 64)
		return 0;
	return (key >> sh) & ((UINT64_C(1) << w) - 1);
}

/* Whether the tree can hold `key` without losing its high bits. */
static inline int kho_radix_key_fits(const struct kho_radix_geom *g,
				     uint64_t key)
{
	return g->key_bits >= 64 || (key >> g->key_bits) == 0;
}

/*
 * Whether (phys, order) is a block the map can describe: the order bit
 * exists, phys is aligned to the block size and the block ends at or below
 * 2^limit_log2.
 */
static inline int kho_radix_block_ok(const struct kho_radix_geom *g,
				     uint64_t phys, unsigned int order,
				     unsigned int limit_log2)
{
	unsigned int sh = g->page_shift + order;

	if (order > g->o0 || sh > limit_log2 || limit_log2 >= 64)
		return 0;
	if (phys & ((UINT64_C(1) << sh) - 1))
		return 0;
	return (phys >> sh) < (UINT64_C(1) << (limit_log2 - sh));
}

/*
 * The keys of valid blocks of one order: [*lo, *hi).  Order-o keys lie in
 * [2^(O0-o), 2^(O0-o+1)); blocks ending above 2^limit_log2 are excluded.
 * Returns 0, or -1 when no block of that order fits (the range is empty).
 */
static inline int kho_radix_order_keys(const struct kho_radix_geom *g,
				       unsigned int order,
				       unsigned int limit_log2, uint64_t *lo,
				       uint64_t *hi)
{
	unsigned int sh = g->page_shift + order;

	if (order > g->o0 || sh > limit_log2 || limit_log2 >= 64)
		return -1;
	*lo = UINT64_C(1) << (g->o0 - order);
	*hi = *lo + (UINT64_C(1) << (limit_log2 - sh));
	return 0;
}

/* Highest order for which some block fits below 2^limit_log2. */
static inline unsigned int kho_radix_max_order(const struct kho_radix_geom *g,
					       unsigned int limit_log2)
{
	return limit_log2 > g->page_shift ? limit_log2 - g->page_shift : 0;
}

/*
 * Whether any valid block key lies in [lo, hi) (hi > lo).  Used to check
 * that a table slot can lead to a possible address (spec §3.4 consequence).
 */
static inline int kho_radix_range_valid(const struct kho_radix_geom *g,
					uint64_t lo, uint64_t hi,
					unsigned int limit_log2)
{
	unsigned int o, max = kho_radix_max_order(g, limit_log2);
	uint64_t klo, khi;

	for (o = 0; o <= max; o++) {
		if (kho_radix_order_keys(g, o, limit_log2, &klo, &khi))
			continue;
		if (klo < hi && lo < khi)
			return 1;
	}
	return 0;
}

#endif /* KHO_RADIX_MATH_H */
