/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arithmetic of the kho-v1 memory map (chunk list of bitmaps, spec §3.2).
 *
 * A chunk is one page: a 16-byte header {u64 next, u32 order, u32 num_elms}
 * then (PAGE_SIZE - 16) / 16 entries {u64 phys_start, u64 bitmap}.  Each
 * bitmap holds PRESERVE_BITS bits: 4096 (512-byte bitmaps, v6.16/v6.17) or
 * PAGE_SIZE * 8 (page bitmaps, v6.18 on).  Bit b of an entry of order o is
 * the block phys_start + (b << (o + PAGE_SHIFT)); phys_start is a multiple
 * of PRESERVE_BITS << (o + PAGE_SHIFT).
 */
#ifndef KHO_V1_MATH_H
#define KHO_V1_MATH_H

#include <stdint.h>

#define KHO_V1_OFF_NEXT 0u
#define KHO_V1_OFF_ORDER 8u
#define KHO_V1_OFF_NUM_ELMS 12u
#define KHO_V1_HDR_SIZE 16u
#define KHO_V1_ENTRY_SIZE 16u
#define KHO_V1_SMALL_BITMAP_BYTES 512u

/* Byte offset of entry i (phys_start; the bitmap pointer follows at +8). */
static inline uint64_t kho_v1_entry_off(uint64_t i)
{
	return KHO_V1_HDR_SIZE + KHO_V1_ENTRY_SIZE * i;
}

/* KHOSER_BITMAP_SIZE: entries in one chunk. */
static inline uint64_t kho_v1_chunk_capacity(uint64_t page_size)
{
	return page_size > KHO_V1_HDR_SIZE ?
		       (page_size - KHO_V1_HDR_SIZE) / KHO_V1_ENTRY_SIZE :
		       0;
}

/* log2(PRESERVE_BITS) for a bitmap of `bytes` bytes (a power of two). */
static inline unsigned int kho_v1_bits_log2(uint64_t bytes)
{
	return (unsigned int)__builtin_ctzll(bytes) + 3u;
}

/*
 * log2 of the bytes one bitmap spans: PRESERVE_BITS << (order + PS), i.e.
 * the granularity of phys_start.  Values >= 64 mean "does not fit".
 */
static inline unsigned int kho_v1_span_log2(unsigned int page_shift,
					    unsigned int order,
					    unsigned int bits_log2)
{
	return bits_log2 + order + page_shift;
}

/* Index of the bitmap that holds block (phys, order). */
static inline uint64_t kho_v1_bitmap_index(uint64_t phys,
					   unsigned int page_shift,
					   unsigned int order,
					   unsigned int bits_log2)
{
	unsigned int sh = kho_v1_span_log2(page_shift, order, bits_log2);

	return sh >= 64 ? 0 : phys >> sh;
}

/* Bit inside that bitmap. */
static inline uint64_t kho_v1_bit(uint64_t phys, unsigned int page_shift,
				  unsigned int order, unsigned int bits_log2)
{
	unsigned int sh = page_shift + order;

	if (sh >= 64)
		return 0;
	return (phys >> sh) & ((UINT64_C(1) << bits_log2) - 1);
}

/* phys_start of bitmap `index`: (index * PRESERVE_BITS) << (order + PS). */
static inline uint64_t kho_v1_phys_start(uint64_t index,
					 unsigned int page_shift,
					 unsigned int order,
					 unsigned int bits_log2)
{
	unsigned int sh = kho_v1_span_log2(page_shift, order, bits_log2);

	return sh >= 64 ? 0 : index << sh;
}

/* The block that bit `bit` of an entry stands for. */
static inline uint64_t kho_v1_block_phys(uint64_t phys_start, uint64_t bit,
					 unsigned int page_shift,
					 unsigned int order)
{
	unsigned int sh = page_shift + order;

	return sh >= 64 ? 0 : phys_start + (bit << sh);
}

/* Whether phys_start is a multiple of the bitmap span. */
static inline int kho_v1_phys_start_aligned(uint64_t phys_start,
					    unsigned int page_shift,
					    unsigned int order,
					    unsigned int bits_log2)
{
	unsigned int sh = kho_v1_span_log2(page_shift, order, bits_log2);

	if (sh >= 64)
		return phys_start == 0;
	return (phys_start & ((UINT64_C(1) << sh) - 1)) == 0;
}

#endif /* KHO_V1_MATH_H */
