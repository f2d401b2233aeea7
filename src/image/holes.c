// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Holes of a sparse image file.  A core copied with `cp --sparse` or
 * written by a tool that seeks over zero pages can describe terabytes of
 * memory in a few megabytes of data.  Reading a hole through the mapping
 * still faults in a zero-filled page cache page per page, so the scans
 * that look for a signature at every page (the root FDT, a boot_params,
 * a /chosen DTB) would cost time and memory proportional to the memory
 * described.  Every signature they look for starts with a non-zero byte
 * and a hole reads as zeros, so a position whose first byte lies in a
 * hole can never match: skipping it changes no result.
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

/* More data runs than this and the list is dropped: everything is data. */
#define MAX_DATA_RUNS 4096u

int kho_image_record_holes(struct kho_image *img, int fd, uint64_t size)
{
	struct kho_image_priv *pv = img->priv;
	uint64_t *runs = NULL, off = 0;
	size_t n = 0;

	while (off < size) {
		off_t d = lseek(fd, (off_t)off, SEEK_DATA), h;

		if (d < 0) {
			if (errno == ENXIO) /* only a hole is left */
				break;
			goto whole;
		}
		h = lseek(fd, d, SEEK_HOLE);
		if (h < 0 || h <= d)
			goto whole;
		if (n == MAX_DATA_RUNS)
			goto whole;
		if (!runs) {
			runs = malloc(2 * MAX_DATA_RUNS * sizeof(*runs));
			if (!runs)
				return KHO_ENOMEM;
		}
		runs[2 * n] = (uint64_t)d;
		runs[2 * n + 1] = (uint64_t)h;
		n++;
		off = (uint64_t)h;
	}
	/* One run over the whole file: nothing to skip. */
	if (n == 1 && runs[0] == 0 && runs[1] >= size)
		goto whole;
	pv->data_runs = runs;
	pv->ndata_runs = n;
	pv->holes_known = 1;
	return 0;
whole:
	free(runs);
	return 0;
}

uint64_t kho_image_skip_hole(const struct kho_image *img,
			     const struct kho_segment *s, uint64_t a,
			     uint64_t step)
{
	const struct kho_image_priv *pv = img->priv;
	uint64_t fo, d, k, end = s->phys + s->filesz;
	size_t lo = 0, hi;

	if (!pv || !pv->holes_known || a < s->phys || a >= end)
		return a;
	fo = s->offset + (a - s->phys);
	/* The first run that ends after fo. */
	hi = pv->ndata_runs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pv->data_runs[2 * mid + 1] <= fo)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == pv->ndata_runs)
		return UINT64_MAX;
	d = pv->data_runs[2 * lo];
	if (d <= fo)
		return a;
	k = (d - fo + step - 1) / step;
	if (k > (UINT64_MAX - a) / step || a + k * step >= end)
		return UINT64_MAX;
	return a + k * step;
}
