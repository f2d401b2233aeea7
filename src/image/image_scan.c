// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --scan: find pages of captured memory that hold a KHO root FDT, i.e. a
 * valid FDT whose root `compatible` starts with "kho-v".  Only the 4-byte
 * magic is looked at on each 4 KiB boundary of the file-backed part of every
 * segment (so 16 and 64 KiB pages are covered too); candidates are then checked with libfdt on a bounded buffer.
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"

#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_STEP 4096u

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

int kho_image_is_kho_root(const struct kho_image *img, uint64_t phys)
{
	/*
	 * A root FDT fills its page (the kernel never packs it), and the
	 * page may be up to 64 KiB whatever size is assumed so far: a
	 * smaller bound would miss the root FDT of a 16 or 64 KiB kernel.
	 */
	uint64_t max = img->fdt_size > 65536 ? img->fdt_size : 65536;
	uint64_t avail = kho_image_captured(img, phys, max);
	uint8_t hdr[8];
	const void *p;
	void *copy = NULL;
	const char *compat;
	uint32_t total;
	int len, ok = 0;

	if (avail < FDT_V1_SIZE || kho_image_read(img, phys, hdr, sizeof(hdr)))
		return 0;
	total = be32(hdr + 4);
	if (total < FDT_V1_SIZE || total > avail)
		return 0;
	if (kho_image_map(img, phys, total, &p) != 0) {
		copy = malloc(total);
		if (!copy)
			return KHO_ENOMEM;
		if (kho_image_read(img, phys, copy, total)) {
			free(copy);
			return 0;
		}
		p = copy;
	}
	/* Pre-v16 trees can crash libfdt 1.6's fdt_check_full. */
	if (fdt_version(p) >= 16 && fdt_check_full(p, total) == 0) {
		compat = fdt_getprop(p, 0, "compatible", &len);
		ok = compat && len >= 6 && memcmp(compat, "kho-v", 5) == 0 &&
		     memchr(compat, '\0', (size_t)len) != NULL;
	}
	free(copy);
	return ok;
}

int kho_image_scan(const struct kho_image *img, uint64_t *phys,
		   uint64_t *count)
{
	size_t i;

	*count = 0;
	*phys = 0;
	for (i = 0; i < img->nsegs; i++) {
		const struct kho_segment *s = &img->segs[i];
		uint64_t end = s->phys + s->filesz;
		uint64_t a = (s->phys + SCAN_STEP - 1) & ~(uint64_t)(SCAN_STEP - 1);

		/* Every step skips the file's holes (UINT64_MAX ends it). */
		for (a = kho_image_skip_hole(img, s, a, SCAN_STEP);
		     a < end && end - a >= 4;
		     a = kho_image_skip_hole(img, s, a + SCAN_STEP, SCAN_STEP)) {
			const struct kho_image_priv *pv = img->priv;
			uint8_t m[4];
			const uint8_t *b = m;
			int rc;

			/* Uncached: a scan must not keep what it reads. */
			if (pv && pv->pager) {
				if (kho_image_read_uncached(img, a, m, 4))
					continue;
			} else {
				b = img->map + s->offset + (a - s->phys);
			}
			if (be32(b) != 0xd00dfeedu)
				continue;
			rc = kho_image_is_kho_root(img, a);
			if (rc < 0)
				return rc;
			if (rc) {
				if (!*count)
					*phys = a;
				++*count;
			}
		}
	}
	return 0;
}
