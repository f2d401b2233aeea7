/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loads of image-endian integers from bytes that are already mapped.
 *
 * The memory-map decoders (memmap_v1.c, radix.c) scan whole pages of u64
 * words; calling through kho_get_u64() for each word would ask the host for
 * the image byte order every time.  They instead decide once whether the
 * image's byte order differs from the host's (`swap`) and load with these.
 *
 * Header-only because every plugin is its own shared object and may depend on
 * nothing but the plugin API (include/kho/plugin.h).
 */
#ifndef KHO_PLUGINS_COMMON_BYTEORDER_H
#define KHO_PLUGINS_COMMON_BYTEORDER_H

#include <stdint.h>
#include <string.h>

static inline int host_big_endian(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 0;
}

static inline uint64_t ld64(const uint8_t *p, int swap)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return swap ? __builtin_bswap64(v) : v;
}

static inline uint32_t ld32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

#endif /* KHO_PLUGINS_COMMON_BYTEORDER_H */
