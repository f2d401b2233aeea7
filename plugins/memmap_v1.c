// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Memory-map decoder for kho-v1: a linked list of one-page chunks, each
 * holding {phys_start, bitmap} entries of one order (kho-abi.md §3.2,
 * invariants §11.1 item 3 and §11.3 items 9 and 11).
 *
 * The bitmaps are either 512 bytes (v6.16/v6.17) or one page (v6.18 on); no
 * field says which.  The option "v1-bitmap-bytes" decides; without it the
 * §3.2 heuristic runs over all entries and a note says what was assumed.
 *
 * Decode walks the chunk list once (visited set plus a hard cap), checks
 * every entry and keeps only the accepted ones: {phys_start, bitmap,
 * pointer into the mapped image}.  They are sorted by (order, phys_start)
 * with duplicates dropped, so the ranges of one order are disjoint and the
 * per-order iterators walk them in ascending address, a u64 word at a time.
 * Memory is proportional to the number of entries; blocks are never copied.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kho/plugin.h"
#include "kho/page_order.h"
#include "kho/radix_math.h"
#include "kho/v1_math.h"

#include "common/byteorder.h"
#include "common/scratch.h"

#define LIMIT_LOG2 KHO_PHYS_LIMIT_LOG2
/* Hard cap on chunks walked (2^22 chunks = 16 GiB of chunk pages at 4K). */
#define MAX_CHUNKS (UINT64_C(1) << 22)
/*
 * Findings of a check id listed per decode; the host counts the rest (the
 * cap of struct kho_check).  A hostile map can break one rule per chunk.
 */
#define V1_CAP 32

enum vcheck {
	VC_ZERO_MAP,
	VC_PAGE_SIZE,
	VC_UNALIGNED_CHUNK,
	VC_CHUNK_NOT_CAPTURED,
	VC_CHUNK_OUT_OF_RANGE,
	VC_CYCLE,
	VC_TOO_MANY_CHUNKS,
	VC_NUM_ELMS,
	VC_ORDER,
	VC_ORDER_ABOVE_MAX,
	VC_ORDER_DECREASING,
	VC_PHYS_START_ORDER,
	VC_PHYS_START_UNALIGNED,
	VC_PHYS_LIMIT,
	VC_BITMAP_NULL,
	VC_BITMAP_UNALIGNED,
	VC_BITMAP_NOT_CAPTURED,
	VC_BITMAP_OUT_OF_RANGE,
	VC_SHARED_BITMAP,
	VC_BITMAP_SIZE,
	/* End of this plugin's own ids: the NULL that ends .check_list. */
	VC_END_OWN,
	/*
	 * Memory-map ids the host declares, with their caps
	 * (src/decode/check_registry.h).
	 */
	VC_SCRATCH,
	VC_OVER_MAP,
	VC_COUNT
};

static const struct kho_check v1_checks[] = {
	[VC_ZERO_MAP] = { "v1.zero-map", 0 },
	[VC_PAGE_SIZE] = { "v1.page-size", 0 },
	[VC_UNALIGNED_CHUNK] = { "v1.unaligned-chunk", V1_CAP },
	[VC_CHUNK_NOT_CAPTURED] = { "v1.chunk-not-captured", V1_CAP },
	[VC_CHUNK_OUT_OF_RANGE] = { "v1.chunk-out-of-range", V1_CAP },
	[VC_CYCLE] = { "v1.cycle", V1_CAP },
	[VC_TOO_MANY_CHUNKS] = { "v1.too-many-chunks", V1_CAP },
	[VC_NUM_ELMS] = { "v1.num-elms", V1_CAP },
	[VC_ORDER] = { "v1.order", V1_CAP },
	[VC_ORDER_ABOVE_MAX] = { "v1.order-above-max", V1_CAP },
	[VC_ORDER_DECREASING] = { "v1.order-decreasing", V1_CAP },
	[VC_PHYS_START_ORDER] = { "v1.phys-start-order", V1_CAP },
	[VC_PHYS_START_UNALIGNED] = { "v1.phys-start-unaligned", V1_CAP },
	[VC_PHYS_LIMIT] = { "v1.phys-limit", V1_CAP },
	[VC_BITMAP_NULL] = { "v1.bitmap-null", V1_CAP },
	[VC_BITMAP_UNALIGNED] = { "v1.bitmap-unaligned", V1_CAP },
	[VC_BITMAP_NOT_CAPTURED] = { "v1.bitmap-not-captured", V1_CAP },
	[VC_BITMAP_OUT_OF_RANGE] = { "v1.bitmap-out-of-range", V1_CAP },
	[VC_SHARED_BITMAP] = { "v1.shared-bitmap", V1_CAP },
	[VC_BITMAP_SIZE] = { "v1.bitmap-size", 0 },
	[VC_END_OWN] = { NULL, 0 },
	[VC_SCRATCH] = { "memmap.scratch-overlap", 0 },
	[VC_OVER_MAP] = { "memmap.block-over-map-page", 0 },
	[VC_COUNT] = { NULL, 0 },
};

/* One bitmap entry of a chunk. */
struct v1ent {
	uint64_t phys_start;
	uint64_t bitmap;
	uint64_t chunk;     /* the chunk that holds it (for messages) */
	const uint8_t *mem; /* accepted entries: the mapped bitmap */
	uint64_t *shadow;   /* attributed bits, NULL until marked */
	uint32_t order;
	uint32_t idx;       /* entry index in its chunk */
	uint32_t seq;       /* position in list order (stable sort) */
	uint8_t owned;      /* mem was malloc'd */
};

struct v1state {
	struct kho_memmap_ops ops;
	struct kho_ctx *c;
	struct kho_obj *obj;
	uint64_t page_size;
	unsigned int page_shift;
	int swap;
	uint64_t bm_bytes;      /* 512 or page_size */
	unsigned int bits_log2; /* log2(PRESERVE_BITS) */

	struct v1ent *ent;      /* accepted, sorted by (order, phys_start) */
	size_t nent, capent;
	size_t ord_first[65];   /* entries of order o: [ord_first[o], ord_first[o+1]) */

	uint64_t *chunks;       /* chunk addresses, list order */
	size_t nchunks, capchunks;

	uint64_t order_blocks[64];
	uint64_t blocks, bytes;
};

/* ------------------------------------------------------------- helpers */

__attribute__((format(printf, 5, 6))) static void
rep(struct v1state *s, enum kho_severity sev, enum vcheck id, uint64_t phys,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kho_ops(s->c)->vfinding(s->c, s->obj, sev, v1_checks[id].id, phys, fmt,
				 ap);
	va_end(ap);
}

/* A set of u64 addresses (open addressing, 0 = empty). */
struct aset {
	uint64_t *k;
	uint64_t cap, n;
	unsigned int log2;
};

static inline uint64_t aset_slot(const struct aset *a, uint64_t x)
{
	return ((x >> 9) * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - a->log2);
}

/* 1 if x was already present, 0 if added, <0 on error. */
static int aset_add(struct aset *a, uint64_t x)
{
	uint64_t i;

	if (!a->k || (a->n + 1) * 2 > a->cap) {
		struct aset na = { 0 };
		uint64_t j;

		na.log2 = a->k ? a->log2 + 1 : 8;
		na.cap = UINT64_C(1) << na.log2;
		na.k = calloc(na.cap, sizeof(uint64_t));
		if (!na.k)
			return KHO_ENOMEM;
		for (j = 0; a->k && j < a->cap; j++) {
			if (!a->k[j])
				continue;
			for (i = aset_slot(&na, a->k[j]); na.k[i];
			     i = (i + 1) & (na.cap - 1))
				;
			na.k[i] = a->k[j];
		}
		na.n = a->n;
		free(a->k);
		*a = na;
	}
	for (i = aset_slot(a, x); a->k[i]; i = (i + 1) & (a->cap - 1))
		if (a->k[i] == x)
			return 1;
	a->k[i] = x;
	a->n++;
	return 0;
}

/* ------------------------------------------------------------- lookups */

static inline unsigned int span_log2(const struct v1state *s,
				     unsigned int order)
{
	return kho_v1_span_log2(s->page_shift, order, s->bits_log2);
}

/* The accepted entry of `order` whose range holds phys, or NULL. */
static const struct v1ent *entry_for(const struct v1state *s, uint64_t phys,
				     unsigned int order)
{
	size_t lo, hi;
	const struct v1ent *e;
	unsigned int sl;

	if (order > 63)
		return NULL;
	lo = s->ord_first[order];
	hi = s->ord_first[order + 1];
	/* last entry with phys_start <= phys */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->ent[mid].phys_start <= phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->ord_first[order])
		return NULL;
	e = &s->ent[lo - 1];
	sl = span_log2(s, order);
	if (sl < 64 && phys - e->phys_start >= (UINT64_C(1) << sl))
		return NULL;
	return e;
}

static inline int block_fits(const struct v1state *s, uint64_t phys,
			     unsigned int order)
{
	unsigned int sh = s->page_shift + order;

	return sh <= LIMIT_LOG2 && (phys >> sh) < (UINT64_C(1) << (LIMIT_LOG2 - sh)) &&
	       !(phys & ((UINT64_C(1) << sh) - 1));
}

static int v_has(void *state, uint64_t phys, unsigned int order)
{
	const struct v1state *s = state;
	const struct v1ent *e;
	uint64_t bit;

	if (order > s->ops.max_order || !s->order_blocks[order] ||
	    !block_fits(s, phys, order))
		return 0;
	e = entry_for(s, phys, order);
	if (!e)
		return 0;
	bit = (phys - e->phys_start) >> (s->page_shift + order);
	return (int)((ld64(e->mem + 8 * (bit / 64), s->swap) >> (bit % 64)) & 1);
}

static int v_find(void *state, uint64_t phys, uint64_t *block_phys,
		  unsigned int *order)
{
	const struct v1state *s = state;
	unsigned int o;

	if (phys >> LIMIT_LOG2)
		return KHO_ENOENT;
	for (o = 0; o <= s->ops.max_order; o++) {
		uint64_t b = phys & ~((s->page_size << o) - 1);

		if (v_has(state, b, o) == 1) {
			*block_phys = b;
			*order = o;
			return 0;
		}
	}
	return KHO_ENOENT;
}

static void v_mark(void *state, uint64_t phys, unsigned int order)
{
	struct v1state *s = state;
	struct v1ent *e;
	uint64_t bit;

	if (order > s->ops.max_order || !block_fits(s, phys, order))
		return;
	e = (struct v1ent *)entry_for(s, phys, order);
	if (!e)
		return;
	if (!e->shadow) {
		e->shadow = calloc(s->bm_bytes / 8, sizeof(uint64_t));
		if (!e->shadow)
			return;
	}
	bit = (phys - e->phys_start) >> (s->page_shift + order);
	e->shadow[bit / 64] |= UINT64_C(1) << (bit % 64);
}

/* ----------------------------------------------------------- iterators */

struct viter {
	const struct v1state *s;
	unsigned int order;
	int unmarked;
	size_t e, eend;      /* next entry, end */
	const struct v1ent *cur_e;
	uint64_t w, nwords;  /* next word of cur_e */
	uint64_t cur, cw;    /* pending bits of word cw */
};

static void *v_iter_new(void *state, unsigned int order, int unmarked_only)
{
	const struct v1state *s = state;
	struct viter *it;

	if (order > s->ops.max_order || !s->order_blocks[order])
		return NULL;
	it = calloc(1, sizeof(*it));
	if (!it)
		return NULL;
	it->s = s;
	it->order = order;
	it->unmarked = unmarked_only;
	it->e = s->ord_first[order];
	it->eend = s->ord_first[order + 1];
	it->nwords = s->bm_bytes / 8;
	return it;
}

static int v_iter_next(void *iter, uint64_t *phys)
{
	struct viter *it = iter;
	const struct v1state *s;
	unsigned int sh;

	if (!it)
		return 0;
	s = it->s;
	sh = s->page_shift + it->order;
	for (;;) {
		while (!it->cur && it->cur_e && it->w < it->nwords) {
			uint64_t v = ld64(it->cur_e->mem + 8 * it->w, s->swap);

			if (it->unmarked && it->cur_e->shadow)
				v &= ~it->cur_e->shadow[it->w];
			it->cw = it->w++;
			it->cur = v;
		}
		if (it->cur) {
			uint64_t b = it->cw * 64 +
				     (uint64_t)__builtin_ctzll(it->cur);
			uint64_t p = it->cur_e->phys_start + (b << sh);

			it->cur &= it->cur - 1;
			if (!block_fits(s, p, it->order)) {
				/* ascending: nothing further fits */
				it->cur = 0;
				it->cur_e = NULL;
				it->e = it->eend;
				return 0;
			}
			*phys = p;
			return 1;
		}
		if (it->e >= it->eend)
			return 0;
		it->cur_e = &s->ent[it->e++];
		it->w = 0;
	}
}

static void v_iter_free(void *iter)
{
	free(iter);
}

static void v_free(void *state)
{
	struct v1state *s = state;
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nent; i++) {
		free(s->ent[i].shadow);
		if (s->ent[i].owned)
			free((void *)(uintptr_t)s->ent[i].mem);
	}
	free(s->ent);
	free(s->chunks);
	free(s);
}

/* ---------------------------------------------------------- chunk walk */

static int push_chunk(struct v1state *s, uint64_t phys)
{
	if (s->nchunks == s->capchunks) {
		size_t nc = s->capchunks ? s->capchunks * 2 : 64;
		uint64_t *n = realloc(s->chunks, nc * sizeof(*n));

		if (!n)
			return KHO_ENOMEM;
		s->chunks = n;
		s->capchunks = nc;
	}
	s->chunks[s->nchunks++] = phys;
	return 0;
}

static int push_ent(struct v1state *s, const struct v1ent *e)
{
	if (s->nent == s->capent) {
		size_t nc = s->capent ? s->capent * 2 : 256;
		struct v1ent *n = realloc(s->ent, nc * sizeof(*n));

		if (!n)
			return KHO_ENOMEM;
		s->ent = n;
		s->capent = nc;
	}
	s->ent[s->nent++] = *e;
	return 0;
}

/*
 * Follow the list and collect the raw entries of every readable chunk into
 * s->ent (not yet checked).  Chunk-level invariants are reported here.
 */
static int walk_chunks(struct v1state *s, uint64_t first)
{
	struct kho_ctx *c = s->c;
	struct aset seen = { 0 };
	uint64_t cap = kho_v1_chunk_capacity(s->page_size), p = first, prev = 0;
	unsigned int maxo = max_page_order(c, s->page_size);
	uint32_t seq = 0;
	int have_prev_order = 0, rc = 0;
	uint32_t prev_order = 0;

	while (p) {
		const void *m;
		const uint8_t *chunk;
		uint8_t *copy = NULL;
		uint32_t order, num, i;
		int overflow;

		if (p & (s->page_size - 1)) {
			rep(s, KHO_SEV_ERROR, VC_UNALIGNED_CHUNK, p,
			    "chunk 0x%" PRIx64 " (next of 0x%" PRIx64
			    ") is not aligned to the page size 0x%" PRIx64
			    "; the rest of the list is not decoded",
			    p, prev, s->page_size);
			break;
		}
		rc = aset_add(&seen, p);
		if (rc < 0)
			break;
		if (rc == 1) {
			rc = 0;
			rep(s, KHO_SEV_ERROR, VC_CYCLE, p,
			    "next of chunk 0x%" PRIx64 " points back to chunk 0x%" PRIx64
			    " (cycle in the chunk list); the walk stops there",
			    prev, p);
			break;
		}
		if (s->nchunks >= MAX_CHUNKS) {
			rep(s, KHO_SEV_ERROR, VC_TOO_MANY_CHUNKS, p,
			    "more than %" PRIu64
			    " chunks; the rest of the list is not decoded",
			    MAX_CHUNKS);
			break;
		}
		rc = kho_map(c, p, s->page_size, &m);
		if (rc == KHO_ENOTCAPTURED) {
			copy = malloc(s->page_size);
			if (!copy) {
				rc = KHO_ENOMEM;
				break;
			}
			rc = kho_read(c, p, copy, s->page_size);
			m = copy;
		}
		if (rc) {
			free(copy);
			if (rc == KHO_ENOTCAPTURED)
				rep(s, KHO_SEV_WARNING, VC_CHUNK_NOT_CAPTURED, p,
				    "chunk 0x%" PRIx64
				    " is not in the image; it and the rest of the list are unknown",
				    p);
			else
				rep(s, KHO_SEV_ERROR, VC_CHUNK_OUT_OF_RANGE, p,
				    "chunk 0x%" PRIx64
				    " lies outside physical memory; the rest of the list is not decoded",
				    p);
			rc = 0;
			break;
		}
		chunk = m;
		rc = push_chunk(s, p);
		if (rc) {
			free(copy);
			break;
		}
		order = ld32(chunk + KHO_V1_OFF_ORDER, s->swap);
		num = ld32(chunk + KHO_V1_OFF_NUM_ELMS, s->swap);
		overflow = num > cap;
		if (overflow) {
			rep(s, KHO_SEV_ERROR, VC_NUM_ELMS, p,
			    "chunk 0x%" PRIx64 " num_elms %" PRIu32
			    " exceeds the %" PRIu64
			    " entries a chunk holds; only %" PRIu64 " are read",
			    p, num, cap, cap);
			num = (uint32_t)cap;
		}
		if (have_prev_order && order < prev_order)
			rep(s, KHO_SEV_ERROR, VC_ORDER_DECREASING, p,
			    "chunk 0x%" PRIx64 " has order %" PRIu32
			    " after a chunk of order %" PRIu32
			    "; orders must not decrease along the list",
			    p, order, prev_order);
		if (!have_prev_order || order > prev_order)
			prev_order = order;
		have_prev_order = 1;
		if (s->page_shift + (uint64_t)order >= LIMIT_LOG2) {
			rep(s, KHO_SEV_ERROR, VC_ORDER, p,
			    "chunk 0x%" PRIx64 " has order %" PRIu32
			    ": blocks of %u+%" PRIu32 " address bits do not fit below 2^%u; its %" PRIu32 " %s ignored",
			    p, order, s->page_shift, order, LIMIT_LOG2, num,
			    num == 1 ? "entry is" : "entries are");
		} else {
			if (order > maxo)
				rep(s, KHO_SEV_WARNING, VC_ORDER_ABOVE_MAX, p,
				    "chunk 0x%" PRIx64 " has order %" PRIu32
				    ", above MAX_PAGE_ORDER %u (legal only for page ranges, and a v6.19 kernel refuses to restore such folios)",
				    p, order, maxo);
			for (i = 0; i < num && !rc; i++) {
				struct v1ent e;
				const uint8_t *q = chunk + kho_v1_entry_off(i);

				memset(&e, 0, sizeof(e));
				e.phys_start = ld64(q, s->swap);
				e.bitmap = ld64(q + 8, s->swap);
				/* after a bad num_elms, empty slots are no news */
				if (overflow && !e.phys_start && !e.bitmap)
					continue;
				e.chunk = p;
				e.order = order;
				e.idx = i;
				e.seq = seq++;
				rc = push_ent(s, &e);
			}
		}
		prev = p;
		p = ld64(chunk + KHO_V1_OFF_NEXT, s->swap);
		free(copy);
		if (rc)
			break;
	}
	free(seen.k);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------- bitmap size choice */

static void choose_bitmap_size(struct v1state *s)
{
	struct kho_ctx *c = s->c;
	const char *opt = kho_ops(c)->option ?
		kho_ops(c)->option(c, "v1-bitmap-bytes") : NULL;
	unsigned int page_bits = kho_v1_bits_log2(s->page_size);
	size_t i;

	if (opt && !strcmp(opt, "512")) {
		s->bm_bytes = KHO_V1_SMALL_BITMAP_BYTES;
		kho_str(c, s->obj, "bitmap_source", "stated");
		goto done;
	}
	if (opt && (!strcmp(opt, "4096") || !strcmp(opt, "page"))) {
		s->bm_bytes = s->page_size;
		kho_str(c, s->obj, "bitmap_source", "stated");
		goto done;
	}
	kho_str(c, s->obj, "bitmap_source", "heuristic");
	for (i = 0; i < s->nent; i++) {
		const struct v1ent *e = &s->ent[i];

		if (!kho_v1_phys_start_aligned(e->phys_start, s->page_shift,
					       e->order, page_bits)) {
			s->bm_bytes = KHO_V1_SMALL_BITMAP_BYTES;
			kho_finding(c, s->obj, KHO_SEV_NOTE,
				    v1_checks[VC_BITMAP_SIZE].id, e->chunk,
				    "assuming 512-byte bitmaps (v6.16/v6.17): entry %" PRIu32
				    " of chunk 0x%" PRIx64 " has phys_start 0x%" PRIx64
				    ", not a multiple of the page-bitmap span 2^%u for order %" PRIu32,
				    e->idx, e->chunk, e->phys_start,
				    kho_v1_span_log2(s->page_shift, e->order,
						     page_bits),
				    e->order);
			goto done;
		}
		if (e->bitmap & (s->page_size - 1)) {
			s->bm_bytes = KHO_V1_SMALL_BITMAP_BYTES;
			kho_finding(c, s->obj, KHO_SEV_NOTE,
				    v1_checks[VC_BITMAP_SIZE].id, e->chunk,
				    "assuming 512-byte bitmaps (v6.16/v6.17): entry %" PRIu32
				    " of chunk 0x%" PRIx64 " has bitmap 0x%" PRIx64
				    ", which is not page aligned",
				    e->idx, e->chunk, e->bitmap);
			goto done;
		}
	}
	s->bm_bytes = s->page_size;
	kho_finding(c, s->obj, KHO_SEV_NOTE, v1_checks[VC_BITMAP_SIZE].id, 0,
		    "assuming %" PRIu64 "-byte (page) bitmaps (v6.18 and later): %s %zu %s page-aligned bitmaps and phys_start on the page-bitmap span; a v6.16/v6.17 image can look the same, use --v1-bitmap-bytes=512 for one",
		    s->page_size, s->nent == 1 ? "the" : "all", s->nent,
		    s->nent == 1 ? "entry has" : "entries have");
done:
	s->bits_log2 = kho_v1_bits_log2(s->bm_bytes);
}

/* ------------------------------------------------------- entry checks */

static int cmp_ent(const void *a, const void *b)
{
	const struct v1ent *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if (x->phys_start != y->phys_start)
		return x->phys_start < y->phys_start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Check the raw entries, keep the usable ones (mapped bitmaps), sort them by
 * (order, phys_start) and drop duplicates.
 */
static int check_entries(struct v1state *s)
{
	struct kho_ctx *c = s->c;
	struct aset bms = { 0 };
	uint64_t last_start[64];
	int have_last[64];
	size_t i, k = 0;
	unsigned int o;
	int rc = 0;

	memset(have_last, 0, sizeof(have_last));
	for (i = 0; i < s->nent; i++) {
		struct v1ent e = s->ent[i];
		unsigned int sl = span_log2(s, e.order);
		const void *m;
		uint8_t *copy = NULL;

		/* list-order check: strictly increasing within an order */
		if (have_last[e.order] && e.phys_start <= last_start[e.order])
			rep(s, KHO_SEV_ERROR, VC_PHYS_START_ORDER, e.chunk,
			    "entry %" PRIu32 " of chunk 0x%" PRIx64
			    " (order %" PRIu32 ") has phys_start 0x%" PRIx64
			    ", not above the previous 0x%" PRIx64
			    " of that order",
			    e.idx, e.chunk, e.order, e.phys_start,
			    last_start[e.order]);
		if (!have_last[e.order] || e.phys_start > last_start[e.order])
			last_start[e.order] = e.phys_start;
		have_last[e.order] = 1;

		if (!kho_v1_phys_start_aligned(e.phys_start, s->page_shift,
					       e.order, s->bits_log2)) {
			rep(s, KHO_SEV_ERROR, VC_PHYS_START_UNALIGNED, e.chunk,
			    "entry %" PRIu32 " of chunk 0x%" PRIx64
			    " has phys_start 0x%" PRIx64
			    ", not a multiple of the bitmap span 2^%u (order %" PRIu32
			    ", %" PRIu64 "-byte bitmaps); entry ignored",
			    e.idx, e.chunk, e.phys_start, sl, e.order,
			    s->bm_bytes);
			continue;
		}
		if (e.phys_start >> LIMIT_LOG2) {
			rep(s, KHO_SEV_ERROR, VC_PHYS_LIMIT, e.chunk,
			    "entry %" PRIu32 " of chunk 0x%" PRIx64
			    " has phys_start 0x%" PRIx64
			    " at or above the physical limit 2^%u; entry ignored",
			    e.idx, e.chunk, e.phys_start, LIMIT_LOG2);
			continue;
		}
		if (!e.bitmap) {
			rep(s, KHO_SEV_ERROR, VC_BITMAP_NULL, e.chunk,
			    "entry %" PRIu32 " of chunk 0x%" PRIx64
			    " (phys_start 0x%" PRIx64
			    ") has a 0 bitmap pointer; entry ignored",
			    e.idx, e.chunk, e.phys_start);
			continue;
		}
		if (e.bitmap & (s->bm_bytes - 1)) {
			rep(s, KHO_SEV_ERROR, VC_BITMAP_UNALIGNED, e.bitmap,
			    "entry %" PRIu32 " of chunk 0x%" PRIx64
			    " has bitmap 0x%" PRIx64
			    ", not aligned to the bitmap size %" PRIu64
			    "; entry ignored",
			    e.idx, e.chunk, e.bitmap, s->bm_bytes);
			continue;
		}
		rc = aset_add(&bms, e.bitmap);
		if (rc < 0)
			break;
		if (rc == 1) {
			rc = 0;
			rep(s, KHO_SEV_ERROR, VC_SHARED_BITMAP, e.bitmap,
			    "entry %" PRIu32 " of chunk 0x%" PRIx64
			    " reuses bitmap 0x%" PRIx64
			    " of an earlier entry; entry ignored",
			    e.idx, e.chunk, e.bitmap);
			continue;
		}
		rc = kho_map(c, e.bitmap, s->bm_bytes, &m);
		if (rc == KHO_ENOTCAPTURED) {
			copy = malloc(s->bm_bytes);
			if (!copy) {
				rc = KHO_ENOMEM;
				break;
			}
			rc = kho_read(c, e.bitmap, copy, s->bm_bytes);
			m = copy;
		}
		if (rc) {
			free(copy);
			if (rc == KHO_ENOTCAPTURED)
				rep(s, KHO_SEV_WARNING, VC_BITMAP_NOT_CAPTURED,
				    e.bitmap,
				    "bitmap 0x%" PRIx64 " (entry %" PRIu32
				    " of chunk 0x%" PRIx64
				    ") is not in the image; its blocks are unknown",
				    e.bitmap, e.idx, e.chunk);
			else
				rep(s, KHO_SEV_ERROR, VC_BITMAP_OUT_OF_RANGE,
				    e.bitmap,
				    "bitmap 0x%" PRIx64 " (entry %" PRIu32
				    " of chunk 0x%" PRIx64
				    ") lies outside physical memory; entry ignored",
				    e.bitmap, e.idx, e.chunk);
			rc = 0;
			continue;
		}
		e.mem = m;
		e.owned = copy != NULL;
		s->ent[k++] = e;
	}
	free(bms.k);
	if (rc < 0) {
		/* entries [k, nent) hold no owned memory; trim them */
		s->nent = k;
		return rc;
	}
	s->nent = k;
	if (k > 1)
		qsort(s->ent, k, sizeof(*s->ent), cmp_ent);
	/* drop duplicates (same order and phys_start): the first in list
	 * order stays; the check above has reported them */
	for (i = 0, k = 0; i < s->nent; i++) {
		if (k && s->ent[k - 1].order == s->ent[i].order &&
		    s->ent[k - 1].phys_start == s->ent[i].phys_start) {
			if (s->ent[i].owned)
				free((void *)(uintptr_t)s->ent[i].mem);
			continue;
		}
		s->ent[k++] = s->ent[i];
	}
	s->nent = k;
	/* per-order ranges */
	for (o = 0, i = 0; o <= 64; o++) {
		while (i < s->nent && s->ent[i].order < o)
			i++;
		s->ord_first[o] = i;
	}
	return 0;
}

/* Count the blocks; flag the ones past the physical limit. */
static void count_blocks(struct v1state *s)
{
	size_t i;
	uint64_t w, nw = s->bm_bytes / 8;

	for (i = 0; i < s->nent; i++) {
		const struct v1ent *e = &s->ent[i];
		unsigned int sh = s->page_shift + e->order;
		uint64_t n = 0;

		for (w = 0; w < nw; w++) {
			uint64_t v = ld64(e->mem + 8 * w, s->swap);

			if (!v)
				continue;
			n += (uint64_t)__builtin_popcountll(v);
			/* blocks past 2^52 only when the span exceeds it */
			if (sh + s->bits_log2 > LIMIT_LOG2) {
				while (v) {
					uint64_t b = w * 64 + (uint64_t)__builtin_ctzll(v);
					uint64_t p = e->phys_start + (b << sh);

					v &= v - 1;
					if (!block_fits(s, p, e->order)) {
						n--;
						rep(s, KHO_SEV_ERROR, VC_PHYS_LIMIT,
						    e->bitmap,
						    "bit %" PRIu64 " of bitmap 0x%" PRIx64
						    " is block 0x%" PRIx64 " order %" PRIu32
						    ", which ends past the physical limit 2^%u; ignored",
						    b, e->bitmap, p, e->order, LIMIT_LOG2);
					}
				}
			}
		}
		if (!n)
			continue;
		s->order_blocks[e->order] += n;
		s->blocks += n;
		s->bytes += n * (s->page_size << e->order);
		if (e->order > s->ops.max_order)
			s->ops.max_order = e->order;
	}
}

/* ------------------------------------- map pages vs scratch and blocks */

static void check_page(struct v1state *s, const struct areas *ar,
		       const char *what, uint64_t phys, uint64_t len)
{
	uint64_t bp;
	unsigned int bo;

	if (areas_hit(ar, phys, len))
		rep(s, KHO_SEV_ERROR, VC_SCRATCH, phys,
		    "v1 %s 0x%" PRIx64
		    " lies in a scratch area; the next kernel may overwrite it before reading the map",
		    what, phys);
	if (v_find(s, phys, &bp, &bo) == 0)
		rep(s, KHO_SEV_ERROR, VC_OVER_MAP, phys,
		    "preserved block 0x%" PRIx64 " order %u covers v1 %s 0x%" PRIx64
		    "; map pages are freed after boot",
		    bp, bo, what, phys);
}

static void check_map_pages(struct v1state *s)
{
	struct areas ar;
	size_t i;

	areas_load(s->c, &ar);
	for (i = 0; i < s->nchunks; i++)
		check_page(s, &ar, "chunk", s->chunks[i], s->page_size);
	for (i = 0; i < s->nent; i++)
		check_page(s, &ar, "bitmap", s->ent[i].bitmap, s->bm_bytes);
	free(ar.a);
}

/* -------------------------------------------------------------- decode */

static int v1_decode(struct kho_ctx *c, struct kho_obj *parent,
		     const struct kho_blob *blob)
{
	struct v1state *s;
	struct kho_obj *o;
	uint64_t ps = kho_page_size(c), raw;
	int rc;

	o = kho_obj_new(c, parent, "memory-map", "memory-map");
	if (!o)
		return KHO_ELIMIT;
	kho_str(c, o, "format", "v1-chunks");
	if (blob->compat)
		kho_compat(c, o, blob->compat);
	kho_size(c, o, "page_size", ps);
	kho_hex(c, o, "first_chunk", blob->phys);
	if (ps < 4096 || ps > 65536 || (ps & (ps - 1))) {
		kho_finding(c, o, KHO_SEV_ERROR, v1_checks[VC_PAGE_SIZE].id, 0,
			    "page size %" PRIu64
			    " is not supported (4096, 16384 or 65536)",
			    ps);
		return 0;
	}
	if (!blob->phys) {
		kho_finding(c, o, KHO_SEV_NOTE, v1_checks[VC_ZERO_MAP].id, 0,
			    "preserved-memory-map is 0: the map was never finalized (v6.19 before kho_finalize) or nothing is preserved; block coverage cannot be checked");
		return 0;
	}
	kho_phys(c, o, blob->phys, ps);

	s = calloc(1, sizeof(*s));
	if (!s)
		return KHO_ENOMEM;
	s->c = c;
	s->obj = o;
	s->page_size = ps;
	s->page_shift = (unsigned int)__builtin_ctzll(ps);
	s->swap = kho_ops(c)->big_endian(c) != host_big_endian();
	s->bm_bytes = ps;
	s->bits_log2 = kho_v1_bits_log2(ps);

	rc = walk_chunks(s, blob->phys);
	if (rc) {
		v_free(s);
		return rc;
	}
	raw = s->nent;
	choose_bitmap_size(s);
	rc = check_entries(s);
	if (rc) {
		v_free(s);
		return rc;
	}
	count_blocks(s);
	check_map_pages(s);

	kho_size(c, o, KHO_FIELD_BITMAP_BYTES, s->bm_bytes);
	kho_u64(c, o, "chunks", s->nchunks);
	kho_u64(c, o, "entries", raw);
	kho_u64(c, o, "bitmaps", s->nent);
	kho_u64(c, o, "blocks", s->blocks);
	kho_size(c, o, "bytes", s->bytes);
	kho_u64(c, o, "max_order", s->ops.max_order);

	s->ops.find = v_find;
	s->ops.has = v_has;
	s->ops.mark = v_mark;
	s->ops.iter_new = v_iter_new;
	s->ops.iter_next = v_iter_next;
	s->ops.iter_free = v_iter_free;
	s->ops.free = v_free;
	rc = kho_ops(c)->memmap_register(c, &s->ops, s);
	return rc < 0 && rc != KHO_EINVAL ? rc : 0;
}

static const char *const v1_compats[] = { "kho-v1", NULL };

KHO_PLUGIN_DEFINE = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.name = "memmap_v1",
	.description = "kho-v1 preserved-memory map (chunk list of bitmaps)",
	.role = KHO_ROLE_MEMMAP,
	.compats = v1_compats,
	.node_names = NULL,
	.check_list = v1_checks,
	.decode = v1_decode,
};
