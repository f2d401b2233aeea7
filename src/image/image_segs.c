// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Build the accessor's segment table from validated PT_LOAD pieces: sort by
 * physical address, report overlaps, and resolve overlapping bytes to the
 * PT_LOAD that comes first in file order (a sweep over the range boundaries
 * with a min-heap of active pieces keyed by file order: O(n log n)).
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"

#include <stdlib.h>

static int raw_cmp(const void *a, const void *b)
{
	const struct kho_raw_seg *x = a, *y = b;

	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return 0;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void piece(const struct kho_raw_seg *r, uint64_t phys, uint64_t len,
		  struct kho_segment *out)
{
	uint64_t rel = phys - r->phys;

	out->phys = phys;
	out->memsz = len;
	out->offset = r->offset + rel;
	if (rel >= r->filesz)
		out->filesz = 0;
	else
		out->filesz = r->filesz - rel < len ? r->filesz - rel : len;
}

/* Min-heap of raw indices keyed by raw[].idx (file order). */
struct heap {
	size_t *v;
	size_t n;
	const struct kho_raw_seg *raw;
};

static int heap_less(const struct heap *h, size_t a, size_t b)
{
	return h->raw[h->v[a]].idx < h->raw[h->v[b]].idx;
}

static void heap_swap(struct heap *h, size_t a, size_t b)
{
	size_t t = h->v[a];

	h->v[a] = h->v[b];
	h->v[b] = t;
}

static void heap_push(struct heap *h, size_t x)
{
	size_t i = h->n++;

	h->v[i] = x;
	while (i && heap_less(h, i, (i - 1) / 2)) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_pop(struct heap *h)
{
	size_t i = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && heap_less(h, l, m))
			m = l;
		if (r < h->n && heap_less(h, r, m))
			m = r;
		if (m == i)
			break;
		heap_swap(h, i, m);
		i = m;
	}
}

static int resolve_overlaps(struct kho_image *img,
			    const struct kho_raw_seg *raw, size_t n)
{
	uint64_t *pts = malloc(2 * n * sizeof(*pts));
	size_t *src = malloc(2 * n * sizeof(*src));
	struct kho_segment *out = malloc(2 * n * sizeof(*out));
	struct heap h = { malloc(n * sizeof(size_t)), 0, raw };
	size_t m = 0, k, j = 0, nout = 0;

	if (!pts || !src || !out || !h.v) {
		free(pts);
		free(src);
		free(out);
		free(h.v);
		return KHO_ENOMEM;
	}
	for (k = 0; k < n; k++) {
		pts[m++] = raw[k].phys;
		pts[m++] = raw[k].end;
	}
	qsort(pts, m, sizeof(*pts), u64_cmp);
	for (k = 1, j = 1; k < m; k++)
		if (pts[k] != pts[j - 1])
			pts[j++] = pts[k];
	m = j;
	j = 0;
	for (k = 0; k + 1 < m; k++) {
		uint64_t a = pts[k], b = pts[k + 1];
		size_t r;

		while (j < n && raw[j].phys == a)
			heap_push(&h, j++);
		while (h.n && raw[h.v[0]].end <= a)
			heap_pop(&h);
		if (!h.n)
			continue;
		r = h.v[0];
		if (nout && src[nout - 1] == r &&
		    out[nout - 1].phys + out[nout - 1].memsz == a) {
			struct kho_segment *l = &out[nout - 1];

			piece(&raw[r], l->phys, l->memsz + (b - a), l);
		} else {
			piece(&raw[r], a, b - a, &out[nout]);
			src[nout++] = r;
		}
	}
	free(pts);
	free(src);
	free(h.v);
	img->segs = out;
	img->nsegs = nout;
	return 0;
}

int kho_image_build_segs(struct kho_image *img, struct kho_raw_seg *raw,
			 size_t n)
{
	int overlap = 0;
	size_t i, top = 0;

	img->segs = NULL;
	img->nsegs = 0;
	if (!n)
		return 0;
	qsort(raw, n, sizeof(*raw), raw_cmp);
	for (i = 1; i < n; i++) {
		const struct kho_raw_seg *t = &raw[top], *c = &raw[i];

		if (c->phys < t->end && c->idx != t->idx) {
			uint32_t win = t->idx < c->idx ? t->idx : c->idx;

			overlap = 1;
			kho_image_problem(img, KHO_SEV_ERROR,
					  "image.segment-overlap", c->phys,
					  "PT_LOAD %u [0x%llx-0x%llx) overlaps PT_LOAD %u [0x%llx-0x%llx); reads use PT_LOAD %u",
					  c->idx, (unsigned long long)c->phys,
					  (unsigned long long)c->end, t->idx,
					  (unsigned long long)t->phys,
					  (unsigned long long)t->end, win);
		}
		if (c->end > t->end)
			top = i;
	}
	if (overlap)
		return resolve_overlaps(img, raw, n);

	img->segs = malloc(n * sizeof(*img->segs));
	if (!img->segs)
		return KHO_ENOMEM;
	for (i = 0; i < n; i++)
		piece(&raw[i], raw[i].phys, raw[i].end - raw[i].phys,
		      &img->segs[i]);
	img->nsegs = n;
	return 0;
}
