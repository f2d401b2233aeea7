// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host side of the preserved-memory map: coverage checks for decoders,
 * and the passes that need every block in address order (overlaps, scratch,
 * totals, unattributed blocks).  Blocks are never copied into a second index:
 * the per-order iterators of the memory-map plugin are merged on the fly.
 */
#include <stdlib.h>
#include <string.h>

#include "base/human_size.h"
#include "plugins.h"
#include "session_internal.h"

#define MAX_ORDERS 64
/* Past this many overlap findings, only a count is kept. */
#define MAX_OVERLAP_REPORTS 100
/* Unattributed blocks listed individually in the object tree. */
#define MAX_UNATTRIBUTED_LISTED 100000
/* Missing pages counted one by one before a range check gives up. */
#define MAX_GAP_PAGES 65536

/*
 * Population count without the libgcc call that __builtin_popcountll
 * makes on baseline x86-64 (no -mpopcnt): a branch-free SWAR count there.
 */
static inline uint64_t popcount64(uint64_t v)
{
#if defined(__POPCNT__) || !(defined(__x86_64__) || defined(__i386__))
	return (uint64_t)__builtin_popcountll(v);
#else
	v = v - ((v >> 1) & UINT64_C(0x5555555555555555));
	v = (v & UINT64_C(0x3333333333333333)) +
	    ((v >> 2) & UINT64_C(0x3333333333333333));
	v = (v + (v >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (v * UINT64_C(0x0101010101010101)) >> 56;
#endif
}

int kho_memmap_register(struct kho_ctx *c, const struct kho_memmap_ops *ops,
			void *state)
{
	if (!ops || !ops->find || !ops->has || !ops->iter_new ||
	    !ops->iter_next || !ops->iter_free)
		return KHO_EINVAL;
	if (c->mm_ops) {
		if (ops->free)
			ops->free(state);
		return KHO_EINVAL;
	}
	/* Only what the plugin's minor had; later members stay NULL. */
	memset(&c->mm_ops_copy, 0, sizeof(c->mm_ops_copy));
	memcpy(&c->mm_ops_copy, ops, kho_memmap_ops_size(c->cur_minor));
	c->mm_ops = &c->mm_ops_copy;
	c->mm_state = state;
	return 0;
}

static uint64_t block_bytes(struct kho_ctx *c, unsigned int order)
{
	return order >= 64 ? 0 : c->img->page_size << order;
}

static int no_map(struct kho_ctx *c)
{
	return c->mm_ops == NULL;
}

int kho_cov_expect_block(struct kho_ctx *c, struct kho_obj *o,
			 const char *what, uint64_t phys, unsigned int order)
{
	uint64_t bphys;
	unsigned int border;
	int rc;

	if (no_map(c))
		return KHO_ENOTCAPTURED;
	rc = c->mm_ops->has(c->mm_state, phys, order);
	if (rc == 1) {
		if (c->mm_ops->mark)
			c->mm_ops->mark(c->mm_state, phys, order);
		return 0;
	}
	if (c->mm_ops->find(c->mm_state, phys, &bphys, &border) == 0) {
		if (c->mm_ops->mark)
			c->mm_ops->mark(c->mm_state, bphys, border);
		kho_report(c, o, KHO_SEV_ERROR, "coverage.order-mismatch", phys,
			   "%s at 0x%llx should be preserved as one order-%u block, but it lies in the order-%u block at 0x%llx",
			   what, (unsigned long long)phys, order, border,
			   (unsigned long long)bphys);
		return KHO_ENOENT;
	}
	kho_report(c, o, KHO_SEV_ERROR, "coverage.not-preserved", phys,
		   "%s at 0x%llx (order %u) is not preserved: the next kernel will hand that memory to someone else",
		   what, (unsigned long long)phys, order);
	return KHO_ENOENT;
}

int kho_cov_expect_range(struct kho_ctx *c, struct kho_obj *o,
			 const char *what, uint64_t phys, uint64_t len)
{
	uint64_t page = c->img->page_size, p = phys, end, missing = 0;
	uint64_t first_gap = 0, bphys;
	char hs[KHO_HUMAN_SIZE_MAX];
	unsigned int border;
	unsigned long gaps = 0;

	if (no_map(c))
		return KHO_ENOTCAPTURED;
	if (len == 0)
		return 0;
	if (phys + len < phys) {
		kho_report(c, o, KHO_SEV_ERROR, "coverage.range-wraps", phys,
			   "%s at 0x%llx with length 0x%llx wraps past the end of the address space",
			   what, (unsigned long long)phys,
			   (unsigned long long)len);
		return KHO_ENOENT;
	}
	end = phys + len;
	while (p < end) {
		if (c->mm_ops->find(c->mm_state, p, &bphys, &border) == 0) {
			uint64_t bend = bphys + block_bytes(c, border);

			if (c->mm_ops->mark)
				c->mm_ops->mark(c->mm_state, bphys, border);
			if (bend <= p) /* defensive: a plugin bug must not loop */
				bend = p + page;
			p = bend;
			continue;
		}
		if (!gaps++)
			first_gap = p;
		missing += (end - p < page) ? end - p : page;
		if (p + page < p)
			break;
		p = (p + page) & ~(page - 1);
		/*
		 * A hostile length can name terabytes; each missing page costs
		 * a look-up, so stop counting after a bounded gap.
		 */
		if (gaps >= MAX_GAP_PAGES && p < end) {
			kho_report(c, o, KHO_SEV_ERROR, "coverage.not-preserved",
				   first_gap,
				   "%s [0x%llx, 0x%llx) is not preserved: at least %s missing from 0x%llx on (scan stopped after %d missing pages); the next kernel will hand that memory to someone else",
				   what, (unsigned long long)phys,
				   (unsigned long long)end,
				   kho_human_size(hs, sizeof(hs), missing),
				   (unsigned long long)first_gap, MAX_GAP_PAGES);
			return KHO_ENOENT;
		}
	}
	if (!gaps)
		return 0;
	kho_report(c, o, KHO_SEV_ERROR, "coverage.not-preserved", first_gap,
		   "%s [0x%llx, 0x%llx) is not fully preserved: %s missing, first at 0x%llx; the next kernel will hand that memory to someone else",
		   what, (unsigned long long)phys, (unsigned long long)end,
		   kho_human_size(hs, sizeof(hs), missing),
		   (unsigned long long)first_gap);
	return KHO_ENOENT;
}

int kho_cov_block_at(struct kho_ctx *c, uint64_t phys, unsigned int *order)
{
	uint64_t bphys;

	if (no_map(c))
		return KHO_ENOTCAPTURED;
	if (c->mm_ops->find(c->mm_state, phys, &bphys, order) == 0 &&
	    bphys == phys)
		return 0;
	return KHO_ENOENT;
}

int kho_session_block_of(const struct kho_ctx *c, uint64_t phys,
			 uint64_t *block, unsigned int *order)
{
	if (!c->mm_ops)
		return KHO_ENOTCAPTURED;
	/* A plugin's find may fail with any code: all of them mean "none". */
	if (c->mm_ops->find(c->mm_state, phys, block, order) != 0)
		return KHO_ENOENT;
	return 0;
}

int kho_cov_claim_blocks(struct kho_ctx *c, const uint64_t *phys,
			 uint8_t *order, size_t n)
{
	const struct kho_memmap_ops *ops = c->mm_ops;
	uint64_t bphys;
	unsigned int o;
	size_t i;
	int claimed = 0;

	if (!ops)
		return KHO_ENOTCAPTURED;
	if (ops->claim) {
		claimed = ops->claim(c->mm_state, phys, order, n);
		if (claimed >= 0)
			return claimed;
		memset(order, KHO_CLAIM_NONE, n);
		return 0;
	}
	for (i = 0; i < n; i++) {
		order[i] = KHO_CLAIM_NONE;
		if (ops->find(c->mm_state, phys[i], &bphys, &o) != 0 ||
		    bphys != phys[i] || o >= KHO_CLAIM_NONE)
			continue;
		if (ops->mark)
			ops->mark(c->mm_state, phys[i], o);
		order[i] = (uint8_t)o;
		claimed++;
	}
	return claimed;
}

/* ------------------------------------------------------ the merge pass */

/*
 * One iterator per order, each with a head word: the next block `phys` and
 * a mask `bits` (bit i: a block at phys + i * size, bit 0 always set).
 * Plugins with iter_next_word hand over 64 blocks per call; others one.
 * merge_next returns runs of blocks of one order that all come, in the
 * merged order, before the head of every other iterator, so that a pass
 * can take a whole run at once (counts by popcount) and fall back to
 * block-by-block only where runs of different orders interleave.
 */
struct mhead {
	void *it;
	uint64_t phys, bits, size;
	unsigned int order;
};

struct merge {
	struct mhead h[MAX_ORDERS];
	unsigned int n;
};

/* Load the next word of head h: 1, or 0 at the end (or on error). */
static int head_load(struct kho_ctx *c, struct mhead *h)
{
	const struct kho_memmap_ops *ops = c->mm_ops;

	if (ops->iter_next_word && h->size) {
		if (ops->iter_next_word(h->it, &h->phys, &h->bits) != 1)
			return 0;
		if (!(h->bits & 1)) /* a plugin bug: keep the mask consistent */
			h->bits = 1;
		return 1;
	}
	if (ops->iter_next(h->it, &h->phys) != 1)
		return 0;
	h->bits = 1;
	return 1;
}

static int merge_open(struct kho_ctx *c, struct merge *m, int unmarked)
{
	unsigned int o, maxo = c->mm_ops->max_order;

	memset(m, 0, sizeof(*m));
	if (maxo >= MAX_ORDERS)
		maxo = MAX_ORDERS - 1;
	for (o = 0; o <= maxo; o++) {
		struct mhead *h = &m->h[m->n];

		h->it = c->mm_ops->iter_new(c->mm_state, o, unmarked);
		if (!h->it)
			continue;
		h->order = o;
		h->size = block_bytes(c, o);
		if (!head_load(c, h)) {
			c->mm_ops->iter_free(h->it);
			h->it = NULL;
			continue;
		}
		m->n++;
	}
	return 0;
}

/*
 * The next run: blocks of one order at phys + i * size for each set bit i
 * of *bits (bit 0 always set).  Lowest address first; on a tie the larger
 * block first (it covers more).
 */
static int merge_next(struct kho_ctx *c, struct merge *m, uint64_t *phys,
		      unsigned int *order, uint64_t *bits)
{
	unsigned int i, best = 0;
	uint64_t limit = UINT64_MAX, take, k;
	struct mhead *h;

	if (!m->n)
		return 0;
	for (i = 1; i < m->n; i++)
		if (m->h[i].phys < m->h[best].phys ||
		    (m->h[i].phys == m->h[best].phys &&
		     m->h[i].order > m->h[best].order))
			best = i;
	h = &m->h[best];
	for (i = 0; i < m->n; i++)
		if (i != best && m->h[i].phys < limit)
			limit = m->h[i].phys;
	/* Blocks i with phys + i * size < limit go now; the first always. */
	if (limit <= h->phys || !h->size) {
		take = 1;
	} else {
		k = (limit - h->phys - 1) / h->size + 1;
		take = k >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << k) - 1;
	}
	*phys = h->phys;
	*order = h->order;
	*bits = h->bits & take;
	h->bits &= ~take;
	if (h->bits) {
		unsigned int tz = (unsigned int)__builtin_ctzll(h->bits);

		h->phys += (uint64_t)tz * h->size;
		h->bits >>= tz;
		return 1;
	}
	if (!head_load(c, h)) {
		c->mm_ops->iter_free(h->it);
		m->n--;
		m->h[best] = m->h[m->n];
	}
	return 1;
}

static void merge_close(struct kho_ctx *c, struct merge *m)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		c->mm_ops->iter_free(m->h[i].it);
	m->n = 0;
}

/* fn(arg, phys, order, bits) for each run, in merged order. */
typedef int (*run_fn)(void *arg, uint64_t phys, unsigned int order,
		      uint64_t bits);

static int session_runs(struct kho_ctx *c, int unattributed_only, run_fn fn,
			void *arg)
{
	struct merge m;
	uint64_t phys, bits;
	unsigned int order;
	int rc = 0;

	if (no_map(c))
		return KHO_ENOENT;
	merge_open(c, &m, unattributed_only);
	while (merge_next(c, &m, &phys, &order, &bits))
		if ((rc = fn(arg, phys, order, bits)))
			break;
	merge_close(c, &m);
	return rc < 0 ? rc : 0;
}

struct per_block {
	struct kho_ctx *c;
	kho_block_fn fn;
	void *arg;
};

static int per_block_run(void *arg, uint64_t phys, unsigned int order,
			 uint64_t bits)
{
	struct per_block *pb = arg;
	uint64_t size = block_bytes(pb->c, order);
	int rc;

	while (bits) {
		unsigned int i = (unsigned int)__builtin_ctzll(bits);

		bits &= bits - 1;
		rc = pb->fn(pb->arg, phys + (uint64_t)i * size, order);
		if (rc)
			return rc;
	}
	return 0;
}

int kho_session_blocks(struct kho_ctx *c, int unattributed_only,
		       kho_block_fn fn, void *arg)
{
	struct per_block pb = { c, fn, arg };

	return session_runs(c, unattributed_only, per_block_run, &pb);
}

/* ------------------------------------------------ global memory-map checks */

struct scan_state {
	struct kho_ctx *c;
	struct kho_obj *mmobj;
	uint64_t prev_phys, prev_end;
	unsigned int prev_order;
	int have_prev;
	struct kho_scratch_area *scratch; /* sorted copy */
	size_t nscratch, scratch_i;
	uint64_t overlaps, in_scratch;
};

static int cmp_scratch(const void *a, const void *b)
{
	const struct kho_scratch_area *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int scan_block(void *arg, uint64_t phys, unsigned int order)
{
	struct scan_state *s = arg;
	struct kho_ctx *c = s->c;
	uint64_t size = block_bytes(c, order), end = phys + size;
	struct kho_memmap_summary *mm = &c->mm;
	const struct kho_scratch_area *sc = s->scratch;

	if (end < phys || size == 0)
		end = UINT64_MAX;
	mm->blocks++;
	mm->bytes += size;
	if (order < 64)
		mm->orders[order]++;

	if (s->have_prev && phys < s->prev_end) {
		if (s->overlaps++ < MAX_OVERLAP_REPORTS)
			kho_report(c, s->mmobj, KHO_SEV_ERROR, "memmap.overlap",
				   phys,
				   "preserved block 0x%llx order %u overlaps block 0x%llx order %u (double preservation)",
				   (unsigned long long)phys, order,
				   (unsigned long long)s->prev_phys,
				   s->prev_order);
	}
	if (!s->have_prev || end > s->prev_end) {
		s->prev_end = end;
		s->prev_phys = phys;
		s->prev_order = order;
	}
	s->have_prev = 1;

	/* Scratch areas are sorted; blocks arrive in address order. */
	while (s->scratch_i < s->nscratch &&
	       sc[s->scratch_i].addr + sc[s->scratch_i].size <= phys)
		s->scratch_i++;
	if (s->scratch_i < s->nscratch && sc[s->scratch_i].addr < end) {
		if (s->in_scratch++ < MAX_OVERLAP_REPORTS)
			kho_report(c, s->mmobj, KHO_SEV_ERROR,
				   "memmap.block-in-scratch", phys,
				   "preserved block 0x%llx order %u overlaps scratch area [0x%llx, 0x%llx); the next kernel allocates from scratch early and overwrites it",
				   (unsigned long long)phys, order,
				   (unsigned long long)sc[s->scratch_i].addr,
				   (unsigned long long)(sc[s->scratch_i].addr +
							sc[s->scratch_i].size));
	}
	return 0;
}

/* A run of blocks of one order: whole at once when nothing can be found. */
static int scan_run(void *arg, uint64_t phys, unsigned int order,
		    uint64_t bits)
{
	struct scan_state *s = arg;
	struct kho_ctx *c = s->c;
	const struct kho_scratch_area *sc = s->scratch;
	uint64_t size = block_bytes(c, order), last = 0, end = 0, n;
	struct kho_memmap_summary *mm = &c->mm;
	int slow, rc;

	if (bits == 1)
		return scan_block(arg, phys, order);
	/* phys + 64 * size must not wrap (then last and end cannot). */
	slow = !size || size > (UINT64_MAX - phys) / 64;
	if (!slow) {
		last = phys + (uint64_t)(63 - __builtin_clzll(bits)) * size;
		end = last + size;
		while (s->scratch_i < s->nscratch &&
		       sc[s->scratch_i].addr + sc[s->scratch_i].size <= phys)
			s->scratch_i++;
		slow = (s->have_prev && phys < s->prev_end) ||
		       (s->scratch_i < s->nscratch &&
			sc[s->scratch_i].addr < end);
	}
	if (slow) {
		/* Overlap, scratch or wrap-around: block by block. */
		while (bits) {
			unsigned int i = (unsigned int)__builtin_ctzll(bits);

			bits &= bits - 1;
			rc = scan_block(arg, phys + (uint64_t)i * size, order);
			if (rc)
				return rc;
		}
		return 0;
	}
	/* Blocks of one order never overlap each other: only totals change. */
	n = popcount64(bits);
	mm->blocks += n;
	mm->bytes += n * size;
	if (order < 64)
		mm->orders[order] += n;
	s->prev_end = end;
	s->prev_phys = last;
	s->prev_order = order;
	s->have_prev = 1;
	return 0;
}

struct unattr_state {
	struct kho_ctx *c;
	uint64_t *list; /* pairs (phys, order) */
	uint64_t nlisted;
};

static int unattr_block(void *arg, uint64_t phys, unsigned int order)
{
	struct unattr_state *u = arg;
	struct kho_ctx *c = u->c;

	c->mm.unattributed_blocks++;
	c->mm.unattributed_bytes += block_bytes(c, order);
	if (u->list && u->nlisted < MAX_UNATTRIBUTED_LISTED) {
		u->list[2 * u->nlisted] = phys;
		u->list[2 * u->nlisted + 1] = order;
		u->nlisted++;
	}
	return 0;
}

static int unattr_run(void *arg, uint64_t phys, unsigned int order,
		      uint64_t bits)
{
	struct unattr_state *u = arg;
	struct kho_ctx *c = u->c;
	uint64_t n = popcount64(bits);
	uint64_t size = block_bytes(c, order);

	if (u->list && u->nlisted < MAX_UNATTRIBUTED_LISTED)
		return per_block_run(&(struct per_block){ c, unattr_block, u },
				     phys, order, bits);
	c->mm.unattributed_blocks += n;
	c->mm.unattributed_bytes += n * size;
	return 0;
}

static int unattr_row(struct kho_ctx *c, void *state, uint64_t i,
		      uint64_t *vals)
{
	const uint64_t *list = state;

	vals[0] = list[2 * i];
	vals[1] = list[2 * i + 1];
	vals[2] = block_bytes(c, (unsigned int)list[2 * i + 1]);
	return 0;
}

static struct kho_obj *find_child(struct kho_obj *o, const char *kind)
{
	struct kho_obj *ch;

	for (ch = o ? o->first_child : NULL; ch; ch = ch->next_sibling)
		if (!strcmp(ch->kind, kind))
			return ch;
	return NULL;
}

void kho_memmap_global_checks(struct kho_ctx *c)
{
	static const struct kho_col cols[] = {
		{ "phys", KHO_COL_HEX },
		{ "order", KHO_COL_DEC },
		{ "size", KHO_COL_SIZE },
	};
	struct scan_state s = { .c = c };
	struct unattr_state u = { .c = c };
	char hs[KHO_HUMAN_SIZE_MAX];
	uint64_t nu;
	struct kho_obj *mmobj, *uo;

	if (no_map(c))
		return;
	mmobj = find_child(c->root, "memory-map");
	s.mmobj = mmobj ? mmobj : c->root;
	if (mmobj) {
		const struct kho_field *f = kho_obj_find_field(mmobj, "format");

		if (f && f->type == KHO_F_STR)
			c->mm.format = f->s;
	}
	/* Sort a copy: the image keeps the kernel's order (lowmem, global, nodes). */
	if (c->img->nscratch) {
		s.scratch = kho_ctx_alloc(c, c->img->nscratch * sizeof(*s.scratch));
		if (s.scratch) {
			memcpy(s.scratch, c->img->scratch,
			       c->img->nscratch * sizeof(*s.scratch));
			s.nscratch = c->img->nscratch;
			qsort(s.scratch, s.nscratch, sizeof(*s.scratch),
			      cmp_scratch);
		}
	}
	c->mm.present = 1;
	session_runs(c, 0, scan_run, &s);
	if (s.overlaps > MAX_OVERLAP_REPORTS)
		kho_report_nophys(c, s.mmobj, KHO_SEV_ERROR, "memmap.overlap",
				  "%llu overlapping blocks in all; only the first %d are listed",
				  (unsigned long long)s.overlaps,
				  MAX_OVERLAP_REPORTS);
	if (s.in_scratch > MAX_OVERLAP_REPORTS)
		kho_report_nophys(c, s.mmobj, KHO_SEV_ERROR,
				  "memmap.block-in-scratch",
				  "%llu blocks overlap scratch areas in all; only the first %d are listed",
				  (unsigned long long)s.in_scratch,
				  MAX_OVERLAP_REPORTS);
	if (!c->mm_ops->mark)
		return;

	/* First pass counts; the list is sized from the count. */
	session_runs(c, 1, unattr_run, &u);
	if (!c->mm.unattributed_blocks)
		return;
	uo = kho_obj_create(c, c->root, "unattributed", "unattributed");
	if (uo) {
		uint64_t n = c->mm.unattributed_blocks;

		if (n > MAX_UNATTRIBUTED_LISTED)
			n = MAX_UNATTRIBUTED_LISTED;
		kho_obj_field(uo, "blocks", KHO_F_U64,
			      c->mm.unattributed_blocks, NULL);
		kho_obj_field(uo, "bytes", KHO_F_SIZE,
			      c->mm.unattributed_bytes, NULL);
		kho_obj_field(uo, "listed", KHO_F_U64, n, NULL);
		u.list = kho_ctx_alloc(c, (size_t)n * 2 * sizeof(uint64_t));
		if (u.list) {
			uint64_t total_b = c->mm.unattributed_blocks;
			uint64_t total_y = c->mm.unattributed_bytes;

			/* Second pass fills the list; restore the totals after. */
			session_runs(c, 1, unattr_run, &u);
			c->mm.unattributed_blocks = total_b;
			c->mm.unattributed_bytes = total_y;
			kho_obj_add_table(uo, "blocks", cols, 3, u.nlisted,
					  unattr_row, u.list, NULL);
		}
	}
	nu = c->mm.unattributed_blocks;
	kho_report_nophys(c, uo ? uo : c->root, KHO_SEV_NOTE,
			  "memmap.unattributed",
			  "%llu preserved block%s (%s) %s not accounted for by any decoded object (drivers such as IOMMU may own them)",
			  (unsigned long long)nu, nu == 1 ? "" : "s",
			  kho_human_size(hs, sizeof(hs),
					 c->mm.unattributed_bytes),
			  nu == 1 ? "is" : "are");
}

void kho_memmap_release(struct kho_ctx *c)
{
	if (c->mm_ops && c->mm_ops->free)
		c->mm_ops->free(c->mm_state);
	c->mm_ops = NULL;
	c->mm_state = NULL;
}
