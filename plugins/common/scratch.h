/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scratch areas of the image as a sorted, searchable list.
 *
 * Both memory-map decoders (memmap_v1.c, radix.c) check that none of their
 * map pages lies in a scratch area, which the next kernel may overwrite
 * before it reads the map.  They must load and search the areas the same
 * way, so that is done here: the areas the host reports (at most 65536,
 * empty and wrapping ones skipped) sorted by start, with every end raised
 * to the largest end so far so that a binary search also finds a page
 * covered by an earlier, longer area when areas overlap.
 *
 * Header-only because every plugin is its own shared object and may depend on
 * nothing but the plugin API (include/kho/plugin.h).
 */
#ifndef KHO_PLUGINS_COMMON_SCRATCH_H
#define KHO_PLUGINS_COMMON_SCRATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "kho/plugin.h"

struct area {
	uint64_t addr, end;
};

struct areas {
	struct area *a; /* free() it when done */
	size_t n;
};

static inline int cmp_area(const void *a, const void *b)
{
	const struct area *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Load the areas; when memory runs out, those loaded so far are kept. */
static inline void areas_load(struct kho_ctx *c, struct areas *ar)
{
	size_t i, cap = 0;
	uint64_t addr, size;

	ar->a = NULL;
	ar->n = 0;
	for (i = 0; i < 65536; i++) {
		if (kho_ops(c)->scratch(c, i, &addr, &size))
			break;
		if (!size || addr + size < addr)
			continue;
		if (ar->n == cap) {
			struct area *na;

			cap = cap ? cap * 2 : 16;
			na = realloc(ar->a, cap * sizeof(*na));
			if (!na)
				break;
			ar->a = na;
		}
		ar->a[ar->n].addr = addr;
		ar->a[ar->n].end = addr + size;
		ar->n++;
	}
	if (ar->n)
		qsort(ar->a, ar->n, sizeof(*ar->a), cmp_area);
	/* prefix maximum of the ends, so overlapping areas are handled */
	for (i = 1; i < ar->n; i++)
		if (ar->a[i].end < ar->a[i - 1].end)
			ar->a[i].end = ar->a[i - 1].end;
}

/* Does [phys, phys + len) meet a scratch area? */
static inline int areas_hit(const struct areas *ar, uint64_t phys,
			    uint64_t len)
{
	size_t lo = 0, hi = ar->n;

	/* last area with addr < phys + len */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ar->a[mid].addr < phys + len)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && ar->a[lo - 1].end > phys;
}

#endif /* KHO_PLUGINS_COMMON_SCRATCH_H */
