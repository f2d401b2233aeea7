/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Population count of a u64 without a libgcc call: __builtin_popcountll
 * compiles to one instruction where the target has one (-mpopcnt, most
 * non-x86 targets), and to a call to __popcountdi2 on baseline x86-64,
 * which the bitmap scans of the memory-map decoders would make for every
 * word.  There, a branch-free SWAR count is used instead.
 *
 * Header-only because every plugin is its own shared object.
 */
#ifndef KHO_PLUGINS_COMMON_POPCOUNT_H
#define KHO_PLUGINS_COMMON_POPCOUNT_H

#include <stdint.h>

static inline unsigned int kho_popcount64(uint64_t v)
{
#if defined(__POPCNT__) || !(defined(__x86_64__) || defined(__i386__))
	return (unsigned int)__builtin_popcountll(v);
#else
	v = v - ((v >> 1) & UINT64_C(0x5555555555555555));
	v = (v & UINT64_C(0x3333333333333333)) +
	    ((v >> 2) & UINT64_C(0x3333333333333333));
	v = (v + (v >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (unsigned int)((v * UINT64_C(0x0101010101010101)) >> 56);
#endif
}

#endif /* KHO_PLUGINS_COMMON_POPCOUNT_H */
