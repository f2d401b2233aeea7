// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Memory-map decoder for the radix tree of kho-v2 and later (kho-abi.md
 * §3.3-§3.5, invariants §11.1 item 3 and §11.3 items 10-12).
 *
 * Every node is one page: interior nodes are PAGE_SIZE/8 u64 pointers, leaves
 * are bitmaps of PAGE_SIZE*8 bits indexed by the low key bits.  The decode
 * pass walks the tree once, depth first with an explicit stack (the depth is
 * fixed, so the walk cannot recurse forever), and records every accepted
 * node in an open-addressing table keyed by its address, together with the
 * (parent, slot) edge through which it was accepted.  That table is the
 * visited set (a second edge to a known node is a cycle or shared node and
 * is refused) and the index used afterwards: lookups and iterators only
 * follow an edge when the child's recorded (parent, slot) matches, so they
 * see exactly the tree the decode pass validated, and a hostile image cannot
 * make them loop.  Memory is proportional to the number of nodes; blocks
 * are never copied.  Attributed blocks (mark) live in per-leaf shadow
 * bitmaps allocated on first use.
 *
 * Point look-ups (has, find, mark, claim) read the mapped leaf bitmaps
 * directly.  Consecutive look-ups nearly always land in the leaf of the
 * previous one (a leaf covers 2^(PS+3) keys: 128 MiB of order-0 pages with
 * 4 KiB pages), so each order keeps a one-entry cache (key bits above the
 * leaf -> leaf node, or "no leaf"): a hit costs no descent and no table
 * probe.  The tree never changes after the decode pass, so the cache needs
 * no invalidation.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kho/plugin.h"
#include "kho/radix_math.h"

#include "common/byteorder.h"
#include "common/popcount.h"
#include "common/scratch.h"

#define LIMIT_LOG2 KHO_PHYS_LIMIT_LOG2
/* Hard cap on accepted nodes (2^24 pages = 64 GiB of tree at 4 KiB). */
#define MAX_NODES (UINT32_C(1) << 24)
/*
 * Findings of a check id listed per decode; the host counts the rest (the
 * cap of struct kho_check).  A hostile tree can break one rule per node.
 */
#define RADIX_CAP 32
#define ROOT_SLOT UINT32_MAX

enum rcheck {
	RC_ZERO_MAP,
	RC_PAGE_SIZE,
	RC_UNALIGNED,
	RC_NOT_CAPTURED,
	RC_OUT_OF_RANGE,
	RC_CYCLE,
	RC_SHARED,
	RC_BAD_ROOT_INDEX,
	RC_BAD_INDEX,
	RC_BAD_KEY,
	RC_ORDER_TOO_LARGE,
	RC_TOO_MANY_NODES,
	RC_LOSSY_DEPTH,
	/* End of this plugin's own ids: the NULL that ends .check_list. */
	RC_END_OWN,
	/*
	 * Memory-map ids the host declares, with their caps
	 * (src/decode/check_registry.h).
	 */
	RC_SCRATCH,
	RC_OVER_MAP,
	RC_COUNT
};

static const struct kho_check radix_checks[] = {
	[RC_ZERO_MAP] = { "radix.zero-map", 0 },
	[RC_PAGE_SIZE] = { "radix.page-size", 0 },
	[RC_UNALIGNED] = { "radix.unaligned-node", RADIX_CAP },
	[RC_NOT_CAPTURED] = { "radix.node-not-captured", RADIX_CAP },
	[RC_OUT_OF_RANGE] = { "radix.node-out-of-range", RADIX_CAP },
	[RC_CYCLE] = { "radix.cycle", RADIX_CAP },
	[RC_SHARED] = { "radix.shared-node", RADIX_CAP },
	[RC_BAD_ROOT_INDEX] = { "radix.bad-root-index", RADIX_CAP },
	[RC_BAD_INDEX] = { "radix.bad-index", RADIX_CAP },
	[RC_BAD_KEY] = { "radix.bad-key", RADIX_CAP },
	[RC_ORDER_TOO_LARGE] = { "radix.order-too-large", RADIX_CAP },
	[RC_TOO_MANY_NODES] = { "radix.too-many-nodes", RADIX_CAP },
	[RC_LOSSY_DEPTH] = { "radix.lossy-depth", 0 },
	[RC_END_OWN] = { NULL, 0 },
	[RC_SCRATCH] = { "memmap.scratch-overlap", 0 },
	[RC_OVER_MAP] = { "memmap.block-over-map-page", 0 },
	[RC_COUNT] = { NULL, 0 },
};

struct rnode {
	uint64_t phys;       /* 0 = free slot of the table */
	uint64_t parent;     /* accepted through (parent, slot); root: 0 */
	const uint8_t *mem;  /* the page (mapped, or an owned copy) */
	uint64_t *shadow;    /* leaves: attributed bits, NULL until marked */
	uint32_t slot;
	uint8_t level;       /* 0 = leaf */
	uint8_t owned;       /* mem was malloc'd (page spans two segments) */
};

/*
 * One cached leaf look-up of one order: the blocks of that order at
 * [lo, lo + span) all have their bit in `leaf` (NULL: no accepted leaf
 * holds them).  span 0: empty.
 */
struct lcache {
	uint64_t lo, span;
	struct rnode *leaf;
};

struct rstate {
	struct kho_memmap_ops ops; /* registered; max_order set by decode */
	struct kho_ctx *c;
	struct kho_obj *obj;
	struct kho_radix_geom g;
	uint64_t page_size;
	int swap;                  /* image byte order differs from ours */
	uint64_t root;

	struct rnode *tab;
	uint64_t cap, n;           /* cap is a power of two */
	unsigned int cap_log2;

	uint64_t order_blocks[64];
	uint64_t nodes, leaves, blocks, bytes, bad_keys;
	int node_limit_hit;

	struct lcache lc[64];      /* per order, filled after the decode pass */
	uint8_t present[64];       /* orders with blocks, ascending */
	unsigned int npresent;
	unsigned int leaf_bits;    /* B */
	unsigned int ovf_order;    /* see int_overflow_order; 0: none */
};

/* ------------------------------------------------------------- helpers */

__attribute__((format(printf, 5, 6))) static void
rep(struct rstate *s, enum kho_severity sev, enum rcheck id, uint64_t phys,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kho_ops(s->c)->vfinding(s->c, s->obj, sev, radix_checks[id].id, phys, fmt,
				 ap);
	va_end(ap);
}

/* ---------------------------------------------------------- node table */

static inline uint64_t slot_of(const struct rstate *s, uint64_t phys)
{
	return ((phys >> s->g.page_shift) * UINT64_C(0x9E3779B97F4A7C15)) >>
	       (64 - s->cap_log2);
}

static struct rnode *node_find(const struct rstate *s, uint64_t phys)
{
	uint64_t i, mask = s->cap - 1;

	if (!s->tab || !phys)
		return NULL;
	for (i = slot_of(s, phys);; i = (i + 1) & mask) {
		if (s->tab[i].phys == phys)
			return &s->tab[i];
		if (s->tab[i].phys == 0)
			return NULL;
	}
}

static int node_grow(struct rstate *s)
{
	struct rnode *old = s->tab;
	uint64_t oldcap = s->cap, i, j, mask;

	s->cap_log2 = s->tab ? s->cap_log2 + 1 : 10;
	s->cap = UINT64_C(1) << s->cap_log2;
	s->tab = calloc(s->cap, sizeof(*s->tab));
	if (!s->tab) {
		s->tab = old;
		s->cap = oldcap;
		s->cap_log2--;
		return KHO_ENOMEM;
	}
	mask = s->cap - 1;
	for (i = 0; i < oldcap; i++) {
		if (!old[i].phys)
			continue;
		for (j = slot_of(s, old[i].phys); s->tab[j].phys;
		     j = (j + 1) & mask)
			;
		s->tab[j] = old[i];
	}
	free(old);
	return 0;
}

static int node_add(struct rstate *s, const struct rnode *n)
{
	uint64_t j, mask;
	int rc;

	if (!s->tab || (s->n + 1) * 2 > s->cap) {
		rc = node_grow(s);
		if (rc)
			return rc;
	}
	mask = s->cap - 1;
	for (j = slot_of(s, n->phys); s->tab[j].phys; j = (j + 1) & mask)
		;
	s->tab[j] = *n;
	s->n++;
	return 0;
}

/* The child behind slot i of an accepted node, if that edge was accepted. */
static inline const struct rnode *child_of(const struct rstate *s,
					   const struct rnode *parent,
					   uint64_t i)
{
	uint64_t p = ld64(parent->mem + 8 * i, s->swap);
	const struct rnode *ch;

	if (!p)
		return NULL;
	ch = node_find(s, p);
	if (!ch || ch->parent != parent->phys || ch->slot != i)
		return NULL;
	return ch;
}

/* Map one page, falling back to a copy when it spans two segments. */
static int page_get(struct rstate *s, uint64_t phys, const uint8_t **mem,
		    int *owned)
{
	const void *p;
	uint8_t *buf;
	int rc = kho_map(s->c, phys, s->page_size, &p);

	if (rc == 0) {
		*mem = p;
		*owned = 0;
		return 0;
	}
	if (rc != KHO_ENOTCAPTURED)
		return rc;
	buf = malloc(s->page_size);
	if (!buf)
		return KHO_ENOMEM;
	rc = kho_read(s->c, phys, buf, s->page_size);
	if (rc) {
		free(buf);
		return rc;
	}
	*mem = buf;
	*owned = 1;
	return 0;
}

/* ------------------------------------------------------------- lookups */

/* Descend from the root to the leaf holding `key`; NULL when there is none. */
static struct rnode *leaf_walk(const struct rstate *s, uint64_t key)
{
	const struct rnode *n = node_find(s, s->root);
	unsigned int l;

	for (l = s->g.depth - 1; n && l >= 1; l--)
		n = child_of(s, n, kho_radix_index(&s->g, key, l));
	return (struct rnode *)n;
}

/*
 * The leaf and bit of block (phys, order), through the per-order cache.
 * Returns NULL when the block cannot be in the tree.  order <= max_order.
 */
static inline __attribute__((always_inline)) struct rnode *
leaf_for(struct rstate *s, uint64_t phys, unsigned int order, uint64_t *bit)
{
	struct lcache *lc = &s->lc[order];
	unsigned int sh = s->g.page_shift + order, b = s->leaf_bits;
	uint64_t key, klo, lo, span, lim;
	struct rnode *leaf;

	if (__builtin_expect(phys - lc->lo < lc->span, 1)) {
		if (phys & ((UINT64_C(1) << sh) - 1))
			return NULL;
		*bit = (phys - lc->lo) >> sh;
		return lc->leaf;
	}
	if (!kho_radix_block_ok(&s->g, phys, order, LIMIT_LOG2))
		return NULL;
	key = kho_radix_encode_key(&s->g, phys, order);
	if (!key || !kho_radix_key_fits(&s->g, key))
		return NULL;
	leaf = leaf_walk(s, key);
	*bit = key & ((UINT64_C(1) << b) - 1);
	/*
	 * Cache the phys range of the leaf's keys when they all have this
	 * order (the order bit lies above the leaf bits), clipped to the
	 * blocks that end below the limit.
	 */
	if (s->g.o0 - order >= b && sh + b <= 64) {
		klo = key & ~((UINT64_C(1) << b) - 1);
		lo = sh >= 64 ? 0 : klo << sh;
		span = sh + b >= 64 ? UINT64_MAX : UINT64_C(1) << (sh + b);
		lim = UINT64_C(1) << LIMIT_LOG2;
		if (lo < lim) {
			if (span > lim - lo)
				span = lim - lo;
			lc->lo = lo;
			lc->span = span;
			lc->leaf = leaf;
		}
	}
	return leaf;
}

static inline int leaf_bit(const struct rstate *s, const struct rnode *leaf,
			   uint64_t bit)
{
	return (int)((ld64(leaf->mem + 8 * (bit / 64), s->swap) >> (bit % 64)) &
		     1);
}

static inline void leaf_mark(struct rstate *s, struct rnode *leaf,
			     uint64_t bit)
{
	if (__builtin_expect(!leaf->shadow, 0)) {
		leaf->shadow = calloc(s->page_size / 8, sizeof(uint64_t));
		if (!leaf->shadow)
			return;
	}
	leaf->shadow[bit / 64] |= UINT64_C(1) << (bit % 64);
}

static int r_has(void *state, uint64_t phys, unsigned int order)
{
	struct rstate *s = state;
	const struct rnode *leaf;
	uint64_t bit;

	if (order > s->ops.max_order || !s->order_blocks[order])
		return 0;
	leaf = leaf_for(s, phys, order, &bit);
	return leaf ? leaf_bit(s, leaf, bit) : 0;
}

/*
 * The smallest-order block containing phys: its leaf, bit and order.
 * Returns 0, or KHO_ENOENT.
 */
static inline int smallest_block(struct rstate *s, uint64_t phys,
				 struct rnode **leaf, uint64_t *bit,
				 uint64_t *block_phys, unsigned int *order)
{
	unsigned int i, o;

	if (phys >> LIMIT_LOG2)
		return KHO_ENOENT;
	for (i = 0; i < s->npresent; i++) {
		uint64_t b;
		struct rnode *l;

		o = s->present[i];
		b = phys & ~((s->page_size << o) - 1);
		l = leaf_for(s, b, o, bit);
		if (l && leaf_bit(s, l, *bit)) {
			*leaf = l;
			*block_phys = b;
			*order = o;
			return 0;
		}
	}
	return KHO_ENOENT;
}

static int r_find(void *state, uint64_t phys, uint64_t *block_phys,
		  unsigned int *order)
{
	struct rnode *leaf;
	uint64_t bit;

	return smallest_block(state, phys, &leaf, &bit, block_phys, order);
}

static void r_mark(void *state, uint64_t phys, unsigned int order)
{
	struct rstate *s = state;
	struct rnode *leaf;
	uint64_t bit;

	if (order > s->ops.max_order)
		return;
	leaf = leaf_for(s, phys, order, &bit);
	if (leaf)
		leaf_mark(s, leaf, bit);
}

/*
 * How many of phys[0..max) (max >= 1) go on from phys[0] in steps of bs:
 * eight at a time with no early exit (the usual case: all of them), then
 * one at a time from the first group that breaks the step.
 */
static inline uint64_t run_len(const uint64_t *phys, uint64_t max,
			       uint64_t bs)
{
	uint64_t p0 = phys[0], k = 0, t, d, q = p0, off[8];

	for (t = 0; t < 8; t++)
		off[t] = t * bs;
	for (; k + 8 <= max; k += 8, q += 8 * bs) {
		d = 0;
#pragma GCC unroll 8
		for (t = 0; t < 8; t++)
			d |= phys[k + t] ^ (q + off[t]);
		if (d)
			break;
	}
	if (!k)
		k = 1;
	while (k < max && phys[k] == p0 + k * bs)
		k++;
	return k;
}

/*
 * phys[0] was just found as a preserved block of order o (leaf, bit), with
 * no smaller block containing it (phys NULL: the addresses are p0 + k *
 * step; else phys[0] is p0).  Claim it and the blocks right after it
 * that settle the same way without a look-up: phys[k] = phys[0] + k * size
 * for k < n, within the cached leaf of order o, preserved there, and inside
 * the cached "no leaf" ranges of every smaller order that has blocks (so no
 * smaller block can contain them either).  Physically consecutive folios
 * thus cost one word test per 64.  Returns the number claimed (>= 1).
 */
static uint64_t claim_run(struct rstate *s, const uint64_t *phys, uint64_t p0,
			  uint64_t step, uint64_t n, unsigned int o,
			  struct rnode *leaf, uint64_t bit)
{
	const struct lcache *lc = &s->lc[o];
	uint64_t bs = s->page_size << o, hi, k, max, take;
	uint64_t want, miss, v;
	unsigned int i, sh;

	hi = p0 - lc->lo < lc->span ? lc->lo + lc->span : 0;
	for (i = 0; i < s->npresent && s->present[i] < o && hi; i++) {
		const struct lcache *l = &s->lc[s->present[i]];

		if (l->leaf || p0 - l->lo >= l->span)
			hi = 0;
		else if (l->lo + l->span < hi)
			hi = l->lo + l->span;
	}
	/*
	 * Blocks p0 + k * bs below hi (hi > p0 when set: the cache of order
	 * o was filled, so bs is no 0, and nothing there wraps) share the
	 * leaf: their bits are bit + k.
	 */
	max = 1;
	if (hi) {
		max = (hi - 1 - p0) / bs + 1;
		if (max > n)
			max = n;
		if (max > 1)
			max = phys ? run_len(phys, max, bs) :
			      step == bs ? max : 1;
	}
	/* Out of memory: claimed all the same, but not marked. */
	if (!leaf->shadow)
		leaf->shadow = calloc(s->page_size / 8, sizeof(uint64_t));
	/* Word by word: claim up to the first block that is not preserved. */
	for (k = 0; k < max; k += take) {
		sh = (unsigned int)((bit + k) % 64);
		take = 64 - sh;
		if (take > max - k)
			take = max - k;
		want = take == 64 ? ~UINT64_C(0) : (UINT64_C(1) << take) - 1;
		v = ld64(leaf->mem + 8 * ((bit + k) / 64), s->swap) >> sh;
		miss = ~v & want;
		if (miss) {
			take = (uint64_t)__builtin_ctzll(miss);
			want = (UINT64_C(1) << take) - 1;
		}
		if (leaf->shadow)
			leaf->shadow[(bit + k) / 64] |= want << sh;
		if (miss)
			return k + take;
	}
	return max;
}

/*
 * For each phys[i]: find + "it starts at phys[i]" + mark, one look-up per
 * order with blocks (almost always cache hits), and runs of consecutive
 * blocks of one order a word at a time.  phys NULL: the addresses are
 * p0 + i * step (claim_seq).
 */
static inline __attribute__((always_inline)) int
claim_core(struct rstate *s, const uint64_t *phys, uint64_t p0, uint64_t step,
	   uint8_t *order, size_t n)
{
	struct rnode *leaf;
	uint64_t bit, b, k, pi;
	unsigned int o;
	size_t i;
	int claimed = 0;

	for (i = 0; i < n; i += k) {
		k = 1;
		pi = phys ? phys[i] : p0 + i * step;
		if (smallest_block(s, pi, &leaf, &bit, &b, &o) || b != pi ||
		    o >= KHO_CLAIM_NONE) {
			order[i] = KHO_CLAIM_NONE;
			continue;
		}
		k = claim_run(s, phys ? phys + i : NULL, pi, step, n - i, o,
			      leaf, bit);
		memset(order + i, (int)o, (size_t)k);
		claimed += (int)k;
	}
	return claimed;
}

static int r_claim(void *state, const uint64_t *phys, uint8_t *order,
		   size_t n)
{
	return claim_core(state, phys, 0, 0, order, n);
}

static int r_claim_seq(void *state, uint64_t phys, uint64_t step,
		       uint8_t *order, size_t n)
{
	return claim_core(state, NULL, phys, step, order, n);
}

/* ----------------------------------------------------------- iterators */

struct rframe {
	const struct rnode *node;
	uint64_t prefix;
	uint64_t idx, end; /* next slot, last slot (inclusive) */
};

struct riter {
	const struct rstate *s;
	unsigned int order;
	int unmarked;
	uint64_t klo, khi; /* keys [klo, khi) */
	unsigned int level; /* table level being scanned; 0 = in a leaf */
	struct rframe f[KHO_RADIX_MAX_DEPTH];
	/* leaf */
	const struct rnode *leaf;
	uint64_t lprefix;
	uint64_t blo, bhi; /* bits [blo, bhi) of the leaf */
	uint64_t w, wend;  /* next word, last word */
	uint64_t cur, cw;  /* pending bits of word cw */
};

static void frame_set(struct riter *it, unsigned int level,
		      const struct rnode *node, uint64_t prefix)
{
	const struct kho_radix_geom *g = &it->s->g;
	unsigned int sh = kho_radix_level_shift(g, level);
	uint64_t n = UINT64_C(1) << g->t;
	struct rframe *f = &it->f[level];

	f->node = node;
	f->prefix = prefix;
	f->idx = it->klo > prefix ? (it->klo - prefix) >> sh : 0;
	f->end = it->khi - 1 >= prefix ? (it->khi - 1 - prefix) >> sh : 0;
	if (f->end >= n)
		f->end = n - 1;
	if (it->khi - 1 < prefix || f->idx >= n) {
		f->idx = 1;
		f->end = 0;
	}
}

static void *r_iter_new(void *state, unsigned int order, int unmarked_only)
{
	const struct rstate *s = state;
	const struct rnode *root;
	struct riter *it;
	uint64_t lo, hi;

	if (order > s->ops.max_order || !s->order_blocks[order])
		return NULL;
	if (kho_radix_order_keys(&s->g, order, LIMIT_LOG2, &lo, &hi))
		return NULL;
	if (s->g.key_bits < 64) {
		uint64_t space = UINT64_C(1) << s->g.key_bits;

		if (lo >= space)
			return NULL;
		if (hi > space)
			hi = space;
	}
	root = node_find(s, s->root);
	if (!root)
		return NULL;
	it = calloc(1, sizeof(*it));
	if (!it)
		return NULL;
	it->s = s;
	it->order = order;
	it->unmarked = unmarked_only;
	it->klo = lo;
	it->khi = hi;
	it->level = s->g.depth - 1;
	frame_set(it, it->level, root, 0);
	return it;
}

static uint64_t leaf_word(const struct riter *it, uint64_t w)
{
	uint64_t v = ld64(it->leaf->mem + 8 * w, it->s->swap);

	if (it->unmarked && it->leaf->shadow)
		v &= ~it->leaf->shadow[w];
	if (w == it->blo / 64)
		v &= ~UINT64_C(0) << (it->blo % 64);
	if (w == it->wend && it->bhi % 64)
		v &= (UINT64_C(1) << (it->bhi % 64)) - 1;
	return v;
}

/* Make it->cur the next non-empty word: 1, or 0 at the end. */
static int iter_fill(struct riter *it)
{
	const struct rstate *s = it->s;
	const struct kho_radix_geom *g = &s->g;

	for (;;) {
		if (it->level == 0) {
			while (!it->cur && it->w <= it->wend) {
				it->cw = it->w;
				it->cur = leaf_word(it, it->w++);
			}
			if (it->cur)
				return 1;
			it->level = 1;
			continue;
		}
		{
			struct rframe *f = &it->f[it->level];
			const struct rnode *ch;
			uint64_t i, pre;

			if (f->idx > f->end) {
				if (it->level == g->depth - 1)
					return 0;
				it->level++;
				continue;
			}
			i = f->idx++;
			ch = child_of(s, f->node, i);
			if (!ch)
				continue;
			pre = f->prefix +
			      (i << kho_radix_level_shift(g, it->level));
			if (it->level > 1) {
				it->level--;
				frame_set(it, it->level, ch, pre);
				continue;
			}
			it->leaf = ch;
			it->lprefix = pre;
			it->blo = it->klo > pre ? it->klo - pre : 0;
			it->bhi = it->khi - pre;
			if (it->bhi > (UINT64_C(1) << g->b))
				it->bhi = UINT64_C(1) << g->b;
			if (it->blo >= it->bhi)
				continue;
			it->w = it->blo / 64;
			it->wend = (it->bhi - 1) / 64;
			it->cur = 0;
			it->level = 0;
		}
	}
}

static int r_iter_next(void *iter, uint64_t *phys)
{
	struct riter *it = iter;
	uint64_t b;

	if (!it || !iter_fill(it))
		return 0;
	b = (uint64_t)__builtin_ctzll(it->cur);
	it->cur &= it->cur - 1;
	*phys = (it->lprefix + it->cw * 64 + b)
		<< (it->s->g.page_shift + it->order);
	return 1;
}

/*
 * The rest of the current leaf word at once: the first pending block and
 * the mask of pending blocks relative to it (bit 0 always set).  Shares
 * the iterator state with r_iter_next, so the two may be mixed.
 */
static int r_iter_next_word(void *iter, uint64_t *phys, uint64_t *bits)
{
	struct riter *it = iter;
	uint64_t b;

	if (!it || !iter_fill(it))
		return 0;
	b = (uint64_t)__builtin_ctzll(it->cur);
	*phys = (it->lprefix + it->cw * 64 + b)
		<< (it->s->g.page_shift + it->order);
	*bits = it->cur >> b;
	it->cur = 0;
	return 1;
}

static void r_iter_free(void *iter)
{
	free(iter);
}

static void r_free(void *state)
{
	struct rstate *s = state;
	uint64_t i;

	if (!s)
		return;
	for (i = 0; s->tab && i < s->cap; i++) {
		if (!s->tab[i].phys)
			continue;
		free(s->tab[i].shadow);
		if (s->tab[i].owned)
			free((void *)(uintptr_t)s->tab[i].mem);
	}
	free(s->tab);
	free(s);
}

/* ---------------------------------------------------------- decode pass */

static void count_blocks(struct rstate *s, unsigned int order, uint64_t n,
			 uint64_t first_phys)
{
	s->order_blocks[order] += n;
	s->blocks += n;
	s->bytes += n * (s->page_size << order);
	if (order > s->ops.max_order)
		s->ops.max_order = order;
	if (s->ovf_order && order >= s->ovf_order)
		rep(s, KHO_SEV_WARNING, RC_ORDER_TOO_LARGE, first_phys,
		    "block 0x%" PRIx64 " has order %u (%" PRIu64
		    " bytes); a kho-v2 next kernel computes the reserve size of orders >= %u in an int, which overflows",
		    first_phys, order, s->page_size << order, s->ovf_order);
}

/* Count and check the bits of one leaf whose first key is `prefix`. */
static void leaf_scan(struct rstate *s, const struct rnode *leaf,
		      uint64_t prefix)
{
	const struct kho_radix_geom *g = &s->g;
	uint64_t nwords = s->page_size / 8, w, lo, hi, n = 0;
	uint64_t span = UINT64_C(1) << g->b;
	unsigned int f = kho_fls64(prefix), o = 0;
	int uniform = 0;

	/* Usual case: all keys of the leaf are valid blocks of one order. */
	if (prefix && f <= g->o0 + 1) {
		o = g->o0 + 1 - f;
		if (!kho_radix_order_keys(g, o, LIMIT_LOG2, &lo, &hi) &&
		    prefix >= lo && prefix + span <= hi)
			uniform = 1;
	}
	if (uniform && (!s->ovf_order || o < s->ovf_order)) {
		for (w = 0; w < nwords; w++)
			n += kho_popcount64(ld64(leaf->mem + 8 * w, s->swap));
		if (n)
			count_blocks(s, o, n, 0);
		return;
	}
	for (w = 0; w < nwords; w++) {
		uint64_t v = ld64(leaf->mem + 8 * w, s->swap);

		while (v) {
			uint64_t b = (uint64_t)__builtin_ctzll(v), phys = 0;
			uint64_t key = prefix + w * 64 + b;
			unsigned int ko = 0;

			v &= v - 1;
			if (kho_radix_decode_key(g, key, &phys, &ko) ||
			    !kho_radix_block_ok(g, phys, ko, LIMIT_LOG2)) {
				s->bad_keys++;
				rep(s, KHO_SEV_ERROR, RC_BAD_KEY, leaf->phys,
				    "leaf 0x%" PRIx64 " bit %" PRIu64
				    " gives key 0x%" PRIx64
				    ", which is no block below 2^%u (no order bit, or the block ends past the limit)",
				    leaf->phys, w * 64 + b, key, LIMIT_LOG2);
				continue;
			}
			count_blocks(s, ko, 1, phys);
		}
	}
}

struct dframe {
	uint64_t phys;
	const uint8_t *mem;
	uint64_t prefix;
	uint64_t idx;
};

static const char *level_name(const struct rstate *s, unsigned int level,
			      char *buf, size_t len)
{
	if (level == s->g.depth - 1)
		return "root";
	if (level == 0)
		return "leaf";
	snprintf(buf, len, "L%u", level & 7u);
	return buf;
}

/* Try to accept the child behind (parent, slot); 1 if it was accepted. */
static int accept_child(struct rstate *s, struct dframe *st, unsigned int lvl,
			uint64_t i, uint64_t p, uint64_t key_lo)
{
	const struct kho_radix_geom *g = &s->g;
	unsigned int sh = kho_radix_level_shift(g, lvl), j;
	uint64_t parent = st[lvl].phys;
	struct rnode n;
	char lb[16];
	const char *cname = level_name(s, lvl - 1, lb, sizeof(lb));
	int owned = 0, rc;

	if (!kho_radix_range_valid(g, key_lo, key_lo + (UINT64_C(1) << sh),
				   LIMIT_LOG2)) {
		if (lvl == g->depth - 1)
			rep(s, KHO_SEV_ERROR, RC_BAD_ROOT_INDEX, parent,
			    "root 0x%" PRIx64 " slot %" PRIu64
			    " is used, but keys 0x%" PRIx64 "..0x%" PRIx64
			    " under it are no block below 2^%u; subtree 0x%" PRIx64 " ignored",
			    parent, i, key_lo, key_lo + (UINT64_C(1) << sh) - 1,
			    LIMIT_LOG2, p);
		else
			rep(s, KHO_SEV_ERROR, RC_BAD_INDEX, parent,
			    "L%u node 0x%" PRIx64 " slot %" PRIu64
			    " is used, but keys 0x%" PRIx64 "..0x%" PRIx64
			    " under it are no block below 2^%u; subtree 0x%" PRIx64 " ignored",
			    lvl, parent, i, key_lo,
			    key_lo + (UINT64_C(1) << sh) - 1, LIMIT_LOG2, p);
		return 0;
	}
	if (p & (s->page_size - 1)) {
		rep(s, KHO_SEV_ERROR, RC_UNALIGNED, p,
		    "%s pointer 0x%" PRIx64 " in slot %" PRIu64 " of node 0x%" PRIx64
		    " is not aligned to the page size 0x%" PRIx64,
		    cname, p, i, parent, s->page_size);
		return 0;
	}
	if (node_find(s, p)) {
		for (j = lvl; j < g->depth; j++)
			if (st[j].phys == p)
				break;
		if (j < g->depth)
			rep(s, KHO_SEV_ERROR, RC_CYCLE, p,
			    "slot %" PRIu64 " of node 0x%" PRIx64
			    " points back to node 0x%" PRIx64
			    " on its own path (cycle); edge ignored",
			    i, parent, p);
		else
			rep(s, KHO_SEV_ERROR, RC_SHARED, p,
			    "slot %" PRIu64 " of node 0x%" PRIx64
			    " points to node 0x%" PRIx64
			    ", which is already reached through another slot (shared node); edge ignored",
			    i, parent, p);
		return 0;
	}
	if (s->n >= MAX_NODES) {
		if (!s->node_limit_hit)
			rep(s, KHO_SEV_ERROR, RC_TOO_MANY_NODES, p,
			    "more than %" PRIu32
			    " radix nodes; the rest of the tree is not decoded",
			    MAX_NODES);
		s->node_limit_hit = 1;
		return 0;
	}
	rc = page_get(s, p, &n.mem, &owned);
	if (rc == KHO_ENOMEM)
		return rc;
	if (rc) {
		if (rc == KHO_ENOTCAPTURED)
			rep(s, KHO_SEV_WARNING, RC_NOT_CAPTURED, p,
			    "%s node 0x%" PRIx64 " (slot %" PRIu64 " of 0x%" PRIx64
			    ") is not in the image; blocks below it are unknown",
			    cname, p, i, parent);
		else
			rep(s, KHO_SEV_ERROR, RC_OUT_OF_RANGE, p,
			    "%s node 0x%" PRIx64 " (slot %" PRIu64 " of 0x%" PRIx64
			    ") lies outside physical memory",
			    cname, p, i, parent);
		return 0;
	}
	n.phys = p;
	n.parent = parent;
	n.slot = (uint32_t)i;
	n.level = (uint8_t)(lvl - 1);
	n.owned = (uint8_t)owned;
	n.shadow = NULL;
	rc = node_add(s, &n);
	if (rc) {
		if (owned)
			free((void *)(uintptr_t)n.mem);
		return rc;
	}
	return 1;
}

static int walk(struct rstate *s)
{
	const struct kho_radix_geom *g = &s->g;
	struct dframe st[KHO_RADIX_MAX_DEPTH];
	const struct rnode *root = node_find(s, s->root);
	uint64_t ntab = UINT64_C(1) << g->t;
	unsigned int lvl = g->depth - 1;

	memset(st, 0, sizeof(st));
	st[lvl].phys = root->phys;
	st[lvl].mem = root->mem;
	while (lvl < g->depth) {
		struct dframe *f = &st[lvl];
		uint64_t i, p, key_lo;
		int rc;

		if (f->idx >= ntab) {
			lvl++;
			continue;
		}
		i = f->idx++;
		p = ld64(f->mem + 8 * i, s->swap);
		if (!p)
			continue;
		key_lo = f->prefix + (i << kho_radix_level_shift(g, lvl));
		rc = accept_child(s, st, lvl, i, p, key_lo);
		if (rc < 0)
			return rc;
		if (rc == 0)
			continue;
		if (lvl == 1) {
			const struct rnode *leaf = node_find(s, p);

			s->leaves++;
			leaf_scan(s, leaf, key_lo);
			continue;
		}
		s->nodes++;
		lvl--;
		st[lvl].phys = p;
		st[lvl].mem = node_find(s, p)->mem;
		st[lvl].prefix = key_lo;
		st[lvl].idx = 0;
	}
	return 0;
}

/* ------------------------------------- map pages vs scratch and blocks */

static void check_map_pages(struct rstate *s)
{
	struct areas ar;
	uint64_t k;

	areas_load(s->c, &ar);
	for (k = 0; k < s->cap; k++) {
		const struct rnode *n = &s->tab[k];
		uint64_t bp;
		unsigned int bo;
		char lb[16];

		if (!n->phys)
			continue;
		if (areas_hit(&ar, n->phys, s->page_size))
			rep(s, KHO_SEV_ERROR, RC_SCRATCH, n->phys,
			    "radix %s node 0x%" PRIx64
			    " lies in a scratch area; the next kernel may overwrite it before reading the map",
			    level_name(s, n->level, lb, sizeof(lb)), n->phys);
		if (r_find(s, n->phys, &bp, &bo) == 0)
			rep(s, KHO_SEV_ERROR, RC_OVER_MAP, n->phys,
			    "preserved block 0x%" PRIx64 " order %u covers radix %s node 0x%" PRIx64
			    "; map pages are freed after boot",
			    bp, bo, level_name(s, n->level, lb, sizeof(lb)),
			    n->phys);
	}
	free(ar.a);
}

/* -------------------------------------------------------------- decode */

static int want_plus1(struct kho_ctx *c, const struct kho_blob *blob,
		      const char **source)
{
	const char *opt = kho_ops(c)->option ?
		kho_ops(c)->option(c, "radix-depth") : NULL;
	const char *compat = blob->compat;

	if (opt && !strcmp(opt, "orig")) {
		*source = "stated";
		return 0;
	}
	if (opt && !strcmp(opt, "plus1")) {
		*source = "stated";
		return 1;
	}
	if (!compat && kho_ops(c)->root_compat)
		compat = kho_ops(c)->root_compat(c);
	*source = "compatible";
	if (compat && (!strcmp(compat, "kho-v2") || !strcmp(compat, "kho-v3")))
		return 0;
	return 1;
}

/*
 * The order from which the next kernel's reserve size overflows, or 0.
 * The kho-v2 radix code (torvalds/linux 019fc368,
 * kexec_handover.c:kho_preserved_memory_reserve) shifts an int:
 * 1 << (order + PAGE_SHIFT) overflows from bit 31 on.  linux 7.2.13 (kho-v4)
 * shifts an unsigned long there, so no overflow.  kho-v3 and the RFC form
 * are unconfirmed: no warning.
 */
static unsigned int int_overflow_order(const char *compat,
				       unsigned int page_shift)
{
	if (compat && !strcmp(compat, "kho-v2") && page_shift < 31)
		return 31 - page_shift;
	return 0;
}

static int radix_decode(struct kho_ctx *c, struct kho_obj *parent,
			const struct kho_blob *blob)
{
	struct rstate *s;
	struct kho_obj *o;
	struct rnode rn;
	const char *source;
	uint64_t ps = kho_page_size(c);
	int plus1 = want_plus1(c, blob, &source), owned = 0, rc;
	unsigned int i;

	o = kho_obj_new(c, parent, "memory-map", "memory-map");
	if (!o)
		return KHO_ELIMIT;
	kho_str(c, o, "format", "radix");
	if (blob->compat)
		kho_compat(c, o, blob->compat);
	kho_size(c, o, "page_size", ps);

	s = calloc(1, sizeof(*s));
	if (!s)
		return KHO_ENOMEM;
	s->c = c;
	s->obj = o;
	s->page_size = ps;
	s->swap = kho_ops(c)->big_endian(c) != host_big_endian();
	s->root = blob->phys;

	if (ps < 4096 || ps > 65536 || (ps & (ps - 1)) ||
	    kho_radix_geom_init(&s->g, (unsigned int)__builtin_ctzll(ps),
				plus1)) {
		kho_finding(c, o, KHO_SEV_ERROR, radix_checks[RC_PAGE_SIZE].id, 0,
			    "page size %" PRIu64
			    " is not supported (4096, 16384 or 65536)",
			    ps);
		free(s);
		return 0;
	}
	s->leaf_bits = s->g.b;
	s->ovf_order = int_overflow_order(blob->compat ? blob->compat :
					  kho_ops(c)->root_compat ?
					  kho_ops(c)->root_compat(c) : NULL,
					  s->g.page_shift);
	kho_str(c, o, "formula", plus1 ? "plus1" : "orig");
	kho_str(c, o, "formula_source", source);
	kho_u64(c, o, "depth", s->g.depth);
	kho_u64(c, o, "key_bits", s->g.key_bits);
	kho_hex(c, o, "root", blob->phys);
	if (s->g.key_bits < s->g.o0 + 1)
		kho_finding(c, o, KHO_SEV_NOTE, radix_checks[RC_LOSSY_DEPTH].id, 0,
			    "with %" PRIu64 "-byte pages the %s depth formula gives %u levels, which index %u key bits; order-0 keys (order bit %u) cannot be stored, so order-0 blocks decode as invalid keys or as wrong (phys, order) blocks, as in the kernel",
			    ps, plus1 ? "plus1" : "orig", s->g.depth,
			    s->g.key_bits, s->g.o0);

	if (!blob->phys) {
		kho_finding(c, o, KHO_SEV_ERROR, radix_checks[RC_ZERO_MAP].id, 0,
			    "preserved-memory-map is 0; a radix map (kho-v2 and later) must point at the root node");
		free(s);
		return 0;
	}
	if (blob->phys & (ps - 1)) {
		kho_finding(c, o, KHO_SEV_ERROR, radix_checks[RC_UNALIGNED].id,
			    blob->phys,
			    "root node 0x%" PRIx64
			    " is not aligned to the page size 0x%" PRIx64,
			    blob->phys, ps);
		free(s);
		return 0;
	}
	kho_phys(c, o, blob->phys, ps);
	rc = page_get(s, blob->phys, &rn.mem, &owned);
	if (rc) {
		if (rc == KHO_ENOTCAPTURED)
			kho_finding(c, o, KHO_SEV_WARNING,
				    radix_checks[RC_NOT_CAPTURED].id, blob->phys,
				    "root node 0x%" PRIx64
				    " is not in the image; no block can be listed",
				    blob->phys);
		else if (rc != KHO_ENOMEM)
			kho_finding(c, o, KHO_SEV_ERROR,
				    radix_checks[RC_OUT_OF_RANGE].id, blob->phys,
				    "root node 0x%" PRIx64
				    " lies outside physical memory",
				    blob->phys);
		free(s);
		return rc == KHO_ENOMEM ? rc : 0;
	}
	rn.phys = blob->phys;
	rn.parent = 0;
	rn.slot = ROOT_SLOT;
	rn.level = (uint8_t)(s->g.depth - 1);
	rn.owned = (uint8_t)owned;
	rn.shadow = NULL;
	rc = node_add(s, &rn);
	if (!rc)
		rc = walk(s);
	if (rc) {
		if (owned && !node_find(s, rn.phys))
			free((void *)(uintptr_t)rn.mem);
		r_free(s);
		return rc;
	}
	s->nodes++; /* the root */
	for (i = 0; i < 64; i++)
		if (s->order_blocks[i] && i <= s->ops.max_order)
			s->present[s->npresent++] = (uint8_t)i;
	check_map_pages(s);

	kho_u64(c, o, "nodes", s->nodes);
	kho_u64(c, o, "leaves", s->leaves);
	kho_u64(c, o, "blocks", s->blocks);
	kho_size(c, o, "bytes", s->bytes);
	kho_u64(c, o, "max_order", s->ops.max_order);
	if (s->bad_keys)
		kho_u64(c, o, "bad_keys", s->bad_keys);

	s->ops.find = r_find;
	s->ops.has = r_has;
	s->ops.mark = r_mark;
	s->ops.iter_new = r_iter_new;
	s->ops.iter_next = r_iter_next;
	s->ops.iter_free = r_iter_free;
	s->ops.free = r_free;
	s->ops.claim = r_claim;
	s->ops.claim_seq = r_claim_seq;
	s->ops.iter_next_word = r_iter_next_word;
	rc = kho_ops(c)->memmap_register(c, &s->ops, s);
	/* On refusal the host has already called ops.free (or never will). */
	return rc < 0 && rc != KHO_EINVAL ? rc : 0;
}

static const char *const radix_compats[] = {
	"kho-v2", "kho-v3", "kho-v4", "kho-v4;radix-v1;vmalloc-v1", NULL,
};

KHO_PLUGIN_DEFINE = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.name = "radix",
	.description = "radix-tree preserved-memory map (kho-v2 and later)",
	.role = KHO_ROLE_MEMMAP,
	.compats = radix_compats,
	.node_names = NULL,
	.check_list = radix_checks,
	.decode = radix_decode,
};
