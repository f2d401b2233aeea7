/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MAX_PAGE_ORDER of the kernel that wrote the image.
 *
 * The image does not record it, yet both the v1 memory map (the memmap_v1
 * plugin: an order above it is refused) and vmalloc descriptors (the host's
 * src/decode/vmalloc.c: the run order is bounded by it) check against it.
 * They must agree on its value, so it is computed in one place: the
 * "max-page-order" plugin option when it is a whole number below 64, else
 * the kernel default for the page size (10 with 4 KiB pages, 11 with 16 KiB,
 * 13 with 64 KiB).
 *
 * Header-only, through the plugin API (kho/plugin.h) alone, because one side
 * is a plugin (its own shared object) and the other is the host.  Not
 * installed: it is no part of the plugin API.
 */
#ifndef KHO_PAGE_ORDER_H
#define KHO_PAGE_ORDER_H

#include <stdint.h>
#include <stdlib.h>

#include "kho/plugin.h"

/* MAX_PAGE_ORDER of the producer: an explicit option, else by page size. */
static inline unsigned int max_page_order(struct kho_ctx *c, uint64_t ps)
{
	const char *opt = kho_ops(c)->option ?
		kho_ops(c)->option(c, "max-page-order") : NULL;

	if (opt && *opt) {
		char *end;
		unsigned long v = strtoul(opt, &end, 0);

		if (*end == '\0' && v < 64)
			return (unsigned int)v;
	}
	if (ps == 16384)
		return 11;
	if (ps == 65536)
		return 13;
	return 10;
}

#endif /* KHO_PAGE_ORDER_H */
