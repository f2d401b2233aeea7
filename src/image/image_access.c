// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bounds-checked physical-memory accessor.  img->segs is sorted by phys
 * and non-overlapping; every segment satisfies filesz <= memsz,
 * offset + filesz <= map_len and phys + memsz <= KHO_PHYS_LIMIT (checked
 * when the table is built), so no read here can leave the mapping.
 *
 * Two rarely used variants cost one predictable branch each on the hot
 * path: the touch recorder (capture), and pread-backed images (live
 * capture from /proc files, which cannot be mapped), whose file bytes come
 * from a page cache in image_pread.c.
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"

#include <string.h>

/* Never written: the zero-filled tail of segments maps here. */
static uint8_t zero_area[KHO_IMAGE_ZERO_MAP];

static int check_range(uint64_t phys, uint64_t len)
{
	/* No addition: phys + len may wrap, LIMIT - phys may not. */
	if (phys > KHO_PHYS_LIMIT || len > KHO_PHYS_LIMIT - phys)
		return KHO_ERANGE;
	return 0;
}

/* Index of the segment holding addr, or SIZE_MAX. */
static size_t find_seg(const struct kho_image *img, uint64_t addr)
{
	struct kho_image_priv *pv = img->priv;
	const struct kho_segment *s = img->segs;
	size_t lo = 0, hi = img->nsegs, h;

	if (!hi)
		return SIZE_MAX;
	if (pv) {
		h = atomic_load_explicit(&pv->last_seg, memory_order_relaxed);
		if (h < img->nsegs && s[h].phys <= addr &&
		    addr - s[h].phys < s[h].memsz)
			return h;
	}
	/* First segment with phys > addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s[mid].phys <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return SIZE_MAX;
	h = lo - 1;
	if (addr - s[h].phys >= s[h].memsz)
		return SIZE_MAX;
	if (pv)
		atomic_store_explicit(&pv->last_seg, h, memory_order_relaxed);
	return h;
}

void kho_image_set_recorder(struct kho_image *img,
			    void (*fn)(void *arg, uint64_t phys, uint64_t len),
			    void *arg)
{
	img->touch = fn;
	img->touch_arg = fn ? arg : NULL;
}

/* File bytes [off, off + n) of the image into dst. */
static int copy_file(const struct kho_image *img, void *dst, uint64_t off,
		     uint64_t n, int direct)
{
	struct kho_image_priv *pv = img->priv;

	if (__builtin_expect(pv && pv->pager != NULL, 0))
		return direct ? kho_pager_copy_direct((struct kho_image *)img,
						      dst, off, n)
			      : kho_pager_copy((struct kho_image *)img, dst,
					       off, n);
	memcpy(dst, img->map + off, n);
	return 0;
}

static int read_impl(const struct kho_image *img, uint64_t phys, void *buf,
		     uint64_t len, int direct)
{
	uint8_t *dst = buf;
	uint64_t cur = phys;
	size_t i;
	int rc;

	rc = check_range(phys, len);
	if (rc)
		return rc;
	if (len == 0)
		return 0;
	i = find_seg(img, phys);
	if (i == SIZE_MAX)
		return KHO_ENOTCAPTURED;
	for (;;) {
		const struct kho_segment *s = &img->segs[i];
		uint64_t off = cur - s->phys;
		uint64_t n = s->memsz - off;

		if (n > len)
			n = len;
		if (off < s->filesz) {
			uint64_t f = s->filesz - off;

			if (f > n)
				f = n;
			if (copy_file(img, dst, s->offset + off, f, direct))
				return KHO_ENOTCAPTURED;
			if (n > f)
				memset(dst + f, 0, n - f);
		} else {
			memset(dst, 0, n);
		}
		dst += n;
		cur += n;
		len -= n;
		if (!len)
			return 0;
		if (++i >= img->nsegs || img->segs[i].phys != cur)
			return KHO_ENOTCAPTURED;
	}
}

int kho_image_read(const struct kho_image *img, uint64_t phys, void *buf,
		   uint64_t len)
{
	if (__builtin_expect(img->touch != NULL, 0))
		img->touch(img->touch_arg, phys, len);
	return read_impl(img, phys, buf, len, 0);
}

int kho_image_read_uncached(const struct kho_image *img, uint64_t phys,
			    void *buf, uint64_t len)
{
	return read_impl(img, phys, buf, len, 1);
}

int kho_image_map(const struct kho_image *img, uint64_t phys, uint64_t len,
		  const void **out)
{
	const struct kho_segment *s;
	uint64_t off;
	size_t i;
	int rc;

	if (__builtin_expect(img->touch != NULL, 0))
		img->touch(img->touch_arg, phys, len);
	rc = check_range(phys, len);
	if (rc)
		return rc;
	if (len == 0) {
		*out = zero_area;
		return 0;
	}
	i = find_seg(img, phys);
	if (i == SIZE_MAX)
		return KHO_ENOTCAPTURED;
	s = &img->segs[i];
	off = phys - s->phys;
	if (len > s->memsz - off)
		return KHO_ENOTCAPTURED; /* spans segments or a gap */
	if (off <= s->filesz && len <= s->filesz - off) {
		struct kho_image_priv *pv = img->priv;

		if (__builtin_expect(pv && pv->pager != NULL, 0))
			return kho_pager_map((struct kho_image *)img,
					     s->offset + off, len, out);
		*out = img->map + s->offset + off;
		return 0;
	}
	if (off >= s->filesz && len <= KHO_IMAGE_ZERO_MAP) {
		*out = zero_area;
		return 0;
	}
	return KHO_ENOTCAPTURED; /* part file bytes, part zero tail */
}

uint64_t kho_image_captured(const struct kho_image *img, uint64_t phys,
			    uint64_t max)
{
	uint64_t total = 0, cur = phys;
	size_t i;

	if (phys >= KHO_PHYS_LIMIT)
		return 0;
	if (max > KHO_PHYS_LIMIT - phys)
		max = KHO_PHYS_LIMIT - phys;
	if (!max)
		return 0;
	i = find_seg(img, phys);
	if (i == SIZE_MAX)
		return 0;
	for (;;) {
		const struct kho_segment *s = &img->segs[i];
		uint64_t avail = s->phys + s->memsz - cur;

		if (avail >= max - total)
			return max;
		total += avail;
		cur += avail;
		if (++i >= img->nsegs || img->segs[i].phys != cur)
			return total;
	}
}
