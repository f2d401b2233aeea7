// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memfd LUO file handler state (kho-abi.md §8.3): struct memfd_luo_ser in
 * its memfd-v1, memfd-v2 (both layouts), RFC "memfd-v2;vmalloc-v1" and
 * feature-flag ("memfd") forms, and the folio array it keeps in a vmalloc
 * preservation.  The folio array is checked in one streaming pass, page by
 * page, and shown as a table whose rows are computed on demand.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kho/plugin.h"

#define MEMFD_FOLIO_SZ 16u
#define MEMFD_PFN_BITS 52u
#define MEMFD_PFN_MASK ((UINT64_C(1) << MEMFD_PFN_BITS) - 1)
#define MEMFD_FOLIO_FLAGS 0x3u  /* DIRTY | UPTODATE */
#define MEMFD_ALL_SEALS 0x3fu   /* F_SEAL_SEAL .. F_SEAL_EXEC */
#define MEMFD_FEAT_KNOWN 0x3u   /* SEALS | FOLIOS */
#define MEMFD_MAX_SER 176u
#define MEMFD_ORDER_MAX 40u     /* sanity bound for orders from the map */

struct memfd_layout {
	const char *compat;
	unsigned int size;
	int has_seals; /* seals u32 and flags u32 */
	int feat;      /* luo_feature_hdr at 0 */
	unsigned int pos, fsize, seals, flags, nr, desc;
};

static const struct memfd_layout memfd_layouts[] = {
	{"memfd-v1", 40, 0, 0, 0, 8, 0, 0, 16, 24},
	{"memfd-v2", 48, 1, 0, 0, 8, 16, 20, 24, 32},
	{"memfd-v2;vmalloc-v1", 48, 1, 0, 0, 8, 16, 20, 24, 32},
	{"memfd", 176, 1, 1, 128, 136, 144, 148, 152, 160},
};

/*
 * Folio checks, one finding per folio at most: the host lists this many
 * per memfd decode and counts the rest (the cap of struct kho_check).
 */
#define MEMFD_CAP 100
enum memfd_fc {
	FC_PFN_ZERO,
	FC_PFN_RANGE,
	FC_FLAGS,
	FC_UNPRESERVED,
	FC_MISALIGNED,
	FC_ORDER,
	FC_OVERLAP,
	FC_HOLE,
	FC_BEYOND,
	FC_UNREADABLE,
	FC_NR
};

/*
 * Every id this plugin reports; the folio checks first, indexed by
 * enum memfd_fc and in the order of their closing entries.
 */
static const struct kho_check memfd_checks[] = {
	[FC_PFN_ZERO] = { "memfd.folio-pfn-zero", MEMFD_CAP },
	[FC_PFN_RANGE] = { "memfd.folio-pfn-range", MEMFD_CAP },
	[FC_FLAGS] = { "memfd.folio-flags", MEMFD_CAP },
	[FC_UNPRESERVED] = { "memfd.folio-unpreserved", MEMFD_CAP },
	[FC_MISALIGNED] = { "memfd.folio-misaligned", MEMFD_CAP },
	[FC_ORDER] = { "memfd.folio-order", MEMFD_CAP },
	[FC_OVERLAP] = { "memfd.folio-overlap", MEMFD_CAP },
	[FC_HOLE] = { "memfd.folio-hole", MEMFD_CAP },
	[FC_BEYOND] = { "memfd.folio-beyond-size", MEMFD_CAP },
	[FC_UNREADABLE] = { "memfd.not-captured", MEMFD_CAP },
	{ "memfd.bad-pointer", 0 },
	{ "memfd.feature-flags", 0 },
	{ "memfd.flags", 0 },
	{ "memfd.folios-incomplete", 0 },
	{ "memfd.nr-folios", 0 },
	{ "memfd.seals", 0 },
	{ "memfd.total-pages", 0 },
	{ NULL, 0 },
};

static const enum kho_severity memfd_fc_sev[FC_NR] = {
	[FC_PFN_ZERO] = KHO_SEV_ERROR,
	[FC_PFN_RANGE] = KHO_SEV_ERROR,
	[FC_FLAGS] = KHO_SEV_ERROR,
	[FC_UNPRESERVED] = KHO_SEV_ERROR,
	[FC_MISALIGNED] = KHO_SEV_ERROR,
	[FC_ORDER] = KHO_SEV_ERROR,
	[FC_OVERLAP] = KHO_SEV_ERROR,
	[FC_HOLE] = KHO_SEV_WARNING,
	[FC_BEYOND] = KHO_SEV_ERROR,
	[FC_UNREADABLE] = KHO_SEV_WARNING,
};

struct memfd_st {
	struct kho_ctx *c;
	struct kho_obj *o;
	uint64_t ps;
	unsigned int shift;
	int be;
	/* host claim_blocks, NULL with an older host */
	int (*claim)(struct kho_ctx *c, const uint64_t *phys, uint8_t *order,
		     size_t n);
	/* host claim_seq_blocks, NULL with an older host */
	int (*claim_seq)(struct kho_ctx *c, uint64_t phys, uint64_t step,
			 uint8_t *order, size_t n);
};

/* Folios looked up in the memory map per claim_blocks call. */
#define MEMFD_BATCH 256u

/* Table state: where each page of the virtual folio array lives. */
struct memfd_tab {
	const uint64_t *runs;
	uint64_t nr_runs;
	unsigned int order;
	uint64_t ps;
	unsigned int shift;
	int be;
};

/* ---------------------------------------------------------------- helpers */

/* A folio check's finding on the memfd. */
__attribute__((format(printf, 4, 5))) static void
memfd_rep(struct memfd_st *m, enum memfd_fc k, uint64_t phys, const char *fmt,
	  ...)
{
	va_list ap;

	va_start(ap, fmt);
	kho_ops(m->c)->vfinding(m->c, m->o, memfd_fc_sev[k],
				memfd_checks[k].id, phys, fmt, ap);
	va_end(ap);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define MEMFD_HOST_BE 1
#else
#define MEMFD_HOST_BE 0
#endif

/* A u64 of the image (big-endian when be), without a host call. */
static inline uint64_t memfd_u64(int be, const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return be ? v : __builtin_bswap64(v);
#else
	return be ? __builtin_bswap64(v) : v;
#endif
}

static void memfd_entry(int be, const uint8_t *e, uint64_t lo,
			uint64_t *pfn, uint64_t *flags)
{
	(void)e;
	if (be) {
		/*
		 * 7.2 declares the word as {u64 pfn:52; u64 flags:12}
		 * (include/linux/kho/abi/memfd.h).  GCC allocates
		 * big-endian bit-fields from the most significant bit, so
		 * pfn is the top 52 bits and flags the low 12; on
		 * little-endian pfn is the low 52 bits.  kho-mkimage packs
		 * the same way (tools/mkimage/memfd.c, mk_folio_word).
		 */
		*pfn = lo >> (64 - MEMFD_PFN_BITS);
		*flags = lo & ((UINT64_C(1) << (64 - MEMFD_PFN_BITS)) - 1);
	} else {
		*pfn = lo & MEMFD_PFN_MASK;
		*flags = lo >> MEMFD_PFN_BITS;
	}
}

static void memfd_seal_names(char *out, size_t n, uint32_t seals)
{
	static const char *const names[] = {"SEAL", "SHRINK", "GROW",
					    "WRITE", "FUTURE_WRITE", "EXEC"};
	size_t o = 0;
	unsigned int i;

	out[0] = '\0';
	for (i = 0; i < 6; i++)
		if (seals & (1u << i))
			o += (size_t)snprintf(out + o, n - o, "%s%s",
					      o ? "|" : "", names[i]);
	if (seals & ~MEMFD_ALL_SEALS)
		o += (size_t)snprintf(out + o, n - o, "%s0x%" PRIx32,
				      o ? "|" : "", seals & ~MEMFD_ALL_SEALS);
	if (!o)
		snprintf(out, n, "none");
}

/* ------------------------------------------------------------------ table */

static int memfd_row(struct kho_ctx *c, void *state, uint64_t i,
		     uint64_t *vals)
{
	const struct memfd_tab *t = (const struct memfd_tab *)state;
	uint64_t off = i * MEMFD_FOLIO_SZ, pg = off / t->ps, run;
	uint64_t phys, pfn, flags, index;
	unsigned int order = 0;
	uint8_t e[MEMFD_FOLIO_SZ];
	int rc;

	run = pg >> t->order;
	if (run >= t->nr_runs)
		return KHO_ERANGE;
	phys = t->runs[run] + ((pg & ((UINT64_C(1) << t->order) - 1)) << t->shift) +
	       off % t->ps;
	rc = kho_read(c, phys, e, sizeof(e));
	if (rc)
		return rc;
	memfd_entry(t->be, e, memfd_u64(t->be, e), &pfn, &flags);
	index = memfd_u64(t->be, e + 8);
	if (pfn && pfn <= (UINT64_MAX >> t->shift) &&
	    kho_ops(c)->block_at(c, pfn << t->shift, &order) != 0)
		order = 0;
	vals[0] = index;
	vals[1] = pfn;
	vals[2] = pfn <= (UINT64_MAX >> t->shift) ? pfn << t->shift : 0;
	vals[3] = order;
	vals[4] = flags;
	return 0;
}

static const struct kho_col memfd_cols[] = {
	{"index", KHO_COL_DEC}, {"pfn", KHO_COL_HEX}, {"phys", KHO_COL_HEX},
	{"order", KHO_COL_DEC}, {"flags", KHO_COL_HEX},
};

/* -------------------------------------------------------- folio streaming */

struct memfd_walk {
	int have_prev;
	int prev_known; /* the previous folio's order came from the map */
	uint64_t prev_index, prev_end;
	uint64_t npages; /* ceil(size / PAGE_SIZE) */
	unsigned int guess; /* folio order of the last clean batch */
};

/*
 * Check folio i (entry e at ephys).  `claimed` is what claim_blocks said
 * for it: its order, KHO_CLAIM_NONE, or CLAIM_ASK when the host has no
 * claim_blocks (then ask block_at and expect_block here).
 */
#define CLAIM_ASK 0x100u
#define CLAIM_NOMAP 0x101u
static inline void memfd_folio(struct memfd_st *m, struct memfd_walk *w,
			       uint64_t i, uint64_t ephys, const uint8_t *e,
			       unsigned int claimed)
{
	struct kho_ctx *c = m->c;
	uint64_t pfn, flags, index = memfd_u64(m->be, e + 8), fphys, span, end;
	unsigned int order = 0;
	int rc, known;

	memfd_entry(m->be, e, memfd_u64(m->be, e), &pfn, &flags);
	if (flags & ~(uint64_t)MEMFD_FOLIO_FLAGS)
		memfd_rep(m, FC_FLAGS, ephys,
			  "folio %" PRIu64 " flags 0x%" PRIx64
			  " have bits outside DIRTY|UPTODATE (0x3)",
			  i, flags);
	if (pfn == 0) {
		memfd_rep(m, FC_PFN_ZERO, ephys,
			  "folio %" PRIu64 " (index %" PRIu64
			  ") has pfn 0; restore skips it and the page is lost",
			  i, index);
		return;
	}
	if (pfn > (UINT64_MAX >> m->shift)) {
		memfd_rep(m, FC_PFN_RANGE, ephys,
			  "folio %" PRIu64 " pfn 0x%" PRIx64
			  " is beyond the physical address space",
			  i, pfn);
		return;
	}
	fphys = pfn << m->shift;
	/*
	 * The order comes from the map.  claim_blocks found the block that
	 * starts at fphys and marked it (block_at followed by expect_block
	 * of the same block, which cannot fail).
	 */
	if (claimed == CLAIM_ASK) {
		rc = kho_ops(c)->block_at(c, fphys, &order);
		known = rc == 0 && order <= MEMFD_ORDER_MAX;
		if (known)
			kho_expect_block(c, m->o, "folio", fphys, order);
	} else {
		rc = claimed == CLAIM_NOMAP	 ? KHO_ENOTCAPTURED
		     : claimed == KHO_CLAIM_NONE ? KHO_ENOENT
						 : 0;
		order = rc ? 0 : claimed;
		known = rc == 0 && order <= MEMFD_ORDER_MAX;
	}
	if (!known) {
		if (rc == KHO_ENOENT)
			memfd_rep(m, FC_UNPRESERVED, ephys,
				  "folio %" PRIu64 " (index %" PRIu64 ") at 0x%" PRIx64
				  " is not a preserved block",
				  i, index, fphys);
		order = 0;
	}
	span = UINT64_C(1) << order;
	end = index + span < index ? UINT64_MAX : index + span;
	if (index & (span - 1))
		memfd_rep(m, FC_MISALIGNED, ephys,
			  "folio %" PRIu64 " index %" PRIu64
			  " is not a multiple of %" PRIu64 " (order %u)",
			  i, index, span, order);
	if (w->have_prev) {
		if (index <= w->prev_index)
			memfd_rep(m, FC_ORDER, ephys,
				  "folio %" PRIu64 " index %" PRIu64
				  " does not follow index %" PRIu64
				  " (indices must strictly increase)",
				  i, index, w->prev_index);
		else if (index < w->prev_end)
			memfd_rep(m, FC_OVERLAP, ephys,
				  "folio %" PRIu64 " index %" PRIu64
				  " overlaps the previous folio, which ends at %" PRIu64,
				  i, index, w->prev_end);
		else if (index > w->prev_end && index < w->npages &&
			 w->prev_known)
			memfd_rep(m, FC_HOLE, ephys,
				  "pages %" PRIu64 "..%" PRIu64
				  " before folio %" PRIu64 " are not backed",
				  w->prev_end, index - 1, i);
	} else if (index > 0 && index < w->npages) {
		memfd_rep(m, FC_HOLE, ephys,
			  "pages 0..%" PRIu64 " before folio 0 are not backed",
			  index - 1);
	}
	if (index >= w->npages)
		memfd_rep(m, FC_BEYOND, ephys,
			  "folio %" PRIu64 " index %" PRIu64
			  " is at or beyond the %" PRIu64 " pages of size",
			  i, index, w->npages);
	w->have_prev = 1;
	w->prev_known = known;
	w->prev_index = index;
	w->prev_end = end;
}

/*
 * The usual batch, in one tight pass with no finding possible: every folio
 * has known flags, a block of one order <= MEMFD_ORDER_MAX starting at its
 * pfn, and an index that starts where the previous folio ended (so indices
 * increase, are aligned, leave no hole and overlap nothing) below npages.
 * Returns 1 and advances *w when so; 0 (nothing changed) otherwise.
 */
static int memfd_batch_clean(const struct memfd_st *m, struct memfd_walk *w,
			     const uint8_t *e, const uint8_t *ord, uint64_t n)
{
	unsigned int o = ord[0];
	uint64_t j, span, next, bad = 0;

	if (o > MEMFD_ORDER_MAX)
		return 0;
	span = UINT64_C(1) << o;
	next = w->have_prev ? w->prev_end : 0;
	/* Every index must be below npages: no overflow of next below. */
	if ((next & (span - 1)) || next >= w->npages ||
	    n > (w->npages - next) >> o)
		return 0;
	for (j = 0; j < n; j++) {
		uint64_t lo = memfd_u64(m->be, e + j * MEMFD_FOLIO_SZ);
		uint64_t idx = memfd_u64(m->be, e + j * MEMFD_FOLIO_SZ + 8);
		uint64_t flags = m->be ?
			lo & ((UINT64_C(1) << (64 - MEMFD_PFN_BITS)) - 1) :
			lo >> MEMFD_PFN_BITS;

		bad |= (flags & ~(uint64_t)MEMFD_FOLIO_FLAGS) |
		       (uint64_t)(ord[j] != o) | (idx ^ next);
		next += span;
	}
	if (bad)
		return 0;
	w->have_prev = 1;
	w->prev_known = 1;
	w->prev_index = next - span;
	w->prev_end = next;
	return 1;
}

/* Whether ord[0..n) are all o. */
static int memfd_ord_all(const uint8_t *ord, uint64_t n, unsigned int o)
{
	uint64_t rep = UINT64_C(0x0101010101010101) * o, v, d = 0, j;

	for (j = 0; j + 8 <= n; j += 8) {
		memcpy(&v, ord + j, 8);
		d |= v ^ rep;
	}
	for (; j < n; j++)
		d |= ord[j] ^ o;
	return d == 0;
}

/*
 * One pass over the entries of a batch: fphys[j] for claim_blocks, and
 * whether the batch is clean if every folio turns out to have order o
 * (block orders come from the map, so they are checked after the claim).
 * *pbad: some pfn may be 0 or beyond the address space (then fphys[] is
 * wrong and must be redone; a false alarm only costs that); *bad: some
 * flags are unknown or an index is not where a clean run of order-o
 * folios from `next` puts it.  be is a constant at each call, so each byte
 * order gets its own loop; flags and pfn range are checked once on the OR
 * of all entries.
 */
static inline __attribute__((always_inline)) void
memfd_scan(int be, unsigned int shift, const uint8_t *e, uint64_t n,
	   uint64_t next, uint64_t span, uint64_t *fphys, uint64_t *pbad,
	   uint64_t *bad)
{
	uint64_t j, lor = 0, z = 0, d = 0, pfns, flags;

#pragma GCC unroll 4
	for (j = 0; j < n; j++) {
		uint64_t lo = memfd_u64(be, e + j * MEMFD_FOLIO_SZ);
		uint64_t idx = memfd_u64(be, e + j * MEMFD_FOLIO_SZ + 8);
		uint64_t pfn, ph;

		pfn = be ? lo >> (64 - MEMFD_PFN_BITS) : lo & MEMFD_PFN_MASK;
		ph = pfn << shift;
		fphys[j] = ph;
		lor |= lo;
		z |= ph - 1; /* top bit: ph is 0 (or above 2^63) */
		d |= idx ^ next;
		next += span;
	}
	memfd_entry(be, NULL, lor, &pfns, &flags);
	*pbad = (z >> 63) | (pfns >> (64 - shift));
	*bad = d | (flags & ~(uint64_t)MEMFD_FOLIO_FLAGS);
}

/* Out of line, so that the loop has the registers to itself. */
static __attribute__((noinline)) void
memfd_scan_le(unsigned int shift, const uint8_t *e, uint64_t n, uint64_t next,
	      uint64_t span, uint64_t *fphys, uint64_t *pbad, uint64_t *bad)
{
	memfd_scan(0, shift, e, n, next, span, fphys, pbad, bad);
}

static __attribute__((noinline)) void
memfd_scan_be(unsigned int shift, const uint8_t *e, uint64_t n, uint64_t next,
	      uint64_t span, uint64_t *fphys, uint64_t *pbad, uint64_t *bad)
{
	memfd_scan(1, shift, e, n, next, span, fphys, pbad, bad);
}

/*
 * Whether the n entries at e are the arithmetic run of the first one: the
 * u64 holding pfn and flags grows by lstep from entry to entry (pfn by
 * 2^o, flags unchanged, when nothing carries out of the pfn field) and the
 * index by span from `next`.  0 when so.
 */
static inline __attribute__((always_inline)) uint64_t
memfd_seq(int be, const uint8_t *e, uint64_t n, uint64_t lo, uint64_t lstep,
	  uint64_t next, uint64_t span)
{
	uint64_t j, d = 0;

#pragma GCC unroll 4
	for (j = 0; j < n; j++) {
		d |= (memfd_u64(be, e + j * MEMFD_FOLIO_SZ) ^ lo) |
		     (memfd_u64(be, e + j * MEMFD_FOLIO_SZ + 8) ^ next);
		lo += lstep;
		next += span;
	}
	return d;
}

/*
 * memfd_seq when the image byte order is the host's: each entry is one
 * 16-byte vector {lo, index} (GCC vector extension: SIMD where there is
 * some, plain u64 operations elsewhere).
 */
typedef uint64_t memfd_v2 __attribute__((vector_size(16)));

static __attribute__((noinline)) uint64_t
memfd_seq_native(const uint8_t *e, uint64_t n, uint64_t lo, uint64_t lstep,
		 uint64_t next, uint64_t span)
{
	memfd_v2 ex = {lo, next}, inc = {lstep, span}, d = {0, 0}, v;
	uint64_t j;

#pragma GCC unroll 4
	for (j = 0; j < n; j++) {
		memcpy(&v, e + j * MEMFD_FOLIO_SZ, sizeof(v));
		d |= v ^ ex;
		ex += inc;
	}
	return d[0] | d[1];
}

static __attribute__((noinline)) uint64_t
memfd_seq_le(const uint8_t *e, uint64_t n, uint64_t lo, uint64_t lstep,
	     uint64_t next, uint64_t span)
{
	return memfd_seq(0, e, n, lo, lstep, next, span);
}

static __attribute__((noinline)) uint64_t
memfd_seq_be(const uint8_t *e, uint64_t n, uint64_t lo, uint64_t lstep,
	     uint64_t next, uint64_t span)
{
	return memfd_seq(1, e, n, lo, lstep, next, span);
}

/*
 * The usual batch: physically consecutive folios of order o (the guess)
 * with known flags and indices that run on from `next`.  Then the map is
 * asked once for the run (claim_seq_blocks), with the same results as
 * claim_blocks of the addresses one by one: returns 1 with *rc the
 * claim's return value and ord[] filled.  0 (nothing claimed) when the
 * batch is not such a run.
 */
static int memfd_claim_seq(struct memfd_st *m, const uint8_t *e, uint64_t n,
			   unsigned int o, uint64_t next, uint8_t *ord,
			   int *rc)
{
	uint64_t lo = memfd_u64(m->be, e), pfn, flags, lstep;

	memfd_entry(m->be, NULL, lo, &pfn, &flags);
	/* Folio n-1 has pfn + ((n - 1) << o): no carry out of the field. */
	if (!pfn || (flags & ~(uint64_t)MEMFD_FOLIO_FLAGS) ||
	    n - 1 > (MEMFD_PFN_MASK - pfn) >> o)
		return 0;
	/* Nor beyond the address space: then no fphys overflows. */
	if (pfn + ((n - 1) << o) > (UINT64_MAX >> m->shift))
		return 0;
	lstep = UINT64_C(1) << (m->be ? o + 64 - MEMFD_PFN_BITS : o);
	if ((m->be == MEMFD_HOST_BE ? memfd_seq_native
	     : m->be		    ? memfd_seq_be
				    : memfd_seq_le)(e, n, lo, lstep, next,
						    UINT64_C(1) << o))
		return 0;
	*rc = m->claim_seq(m->c, pfn << m->shift, m->ps << o, ord, (size_t)n);
	return 1;
}

/* Folios i .. i+n-1 (n <= MEMFD_BATCH): one map look-up call, then checks. */
static void memfd_batch(struct memfd_st *m, struct memfd_walk *w, uint64_t i,
			uint64_t ephys, const uint8_t *e, uint64_t n)
{
	uint64_t fphys[MEMFD_BATCH], j, pfn, flags;
	uint8_t ord[MEMFD_BATCH];
	int rc = 0;

	if (m->claim) {
		unsigned int o = w->guess;
		uint64_t span = UINT64_C(1) << o, pbad = 0, bad = 0;
		uint64_t next = w->have_prev ? w->prev_end : 0;

		/* A run has flags and indices as checked: bad stays 0. */
		if (!m->claim_seq || !memfd_claim_seq(m, e, n, o, next, ord, &rc)) {
			(m->be ? memfd_scan_be : memfd_scan_le)(
				m->shift, e, n, next, span, fphys, &pbad,
				&bad);
			if (pbad) {
				for (j = 0; j < n; j++) {
					memfd_entry(m->be, NULL,
						    memfd_u64(m->be,
							      e + j * MEMFD_FOLIO_SZ),
						    &pfn, &flags);
					/* pfn 0 or out of range: never a block */
					fphys[j] = pfn && pfn <= (UINT64_MAX >> m->shift) ?
						pfn << m->shift : UINT64_MAX;
				}
			}
			rc = m->claim(m->c, fphys, ord, (size_t)n);
		}
		/*
		 * Both ways checked the batch as memfd_batch_clean would for
		 * order o; that stands when the map gave every folio order o
		 * (pfn 0 or out of range gave KHO_CLAIM_NONE: not clean).
		 */
		if (rc == (int)n && !bad && ord[0] == o &&
		    !(next & (span - 1)) && next < w->npages &&
		    n <= (w->npages - next) >> o && memfd_ord_all(ord, n, o)) {
			w->have_prev = 1;
			w->prev_known = 1;
			w->prev_index = next + (n - 1) * span;
			w->prev_end = next + n * span;
			return;
		}
		if (rc == (int)n && memfd_batch_clean(m, w, e, ord, n)) {
			w->guess = ord[0];
			return;
		}
	}
	for (j = 0; j < n; j++)
		memfd_folio(m, w, i + j, ephys + j * MEMFD_FOLIO_SZ,
			    e + j * MEMFD_FOLIO_SZ,
			    !m->claim ? CLAIM_ASK
			    : rc < 0  ? CLAIM_NOMAP
				      : ord[j]);
}

static void memfd_folios(struct memfd_st *m, const struct kho_vmalloc_area *a,
			 uint64_t nr, uint64_t size)
{
	struct kho_ctx *c = m->c;
	uint64_t per_page = m->ps / MEMFD_FOLIO_SZ, need, have = 0, pg, done = 0;
	struct memfd_walk w;
	struct memfd_tab *t;

	memset(&w, 0, sizeof(w));
	w.npages = size / m->ps + (size % m->ps != 0);
	need = nr / per_page + (nr % per_page != 0);
	if (a->runs && a->order <= MEMFD_ORDER_MAX &&
	    a->nr_runs <= (UINT64_MAX >> a->order))
		have = a->nr_runs << a->order;
	if (have > a->total_pages)
		have = a->total_pages;
	if (have > need)
		have = need;

	for (pg = 0; pg < have; pg++) {
		uint64_t run = pg >> a->order, phys, j, cnt;
		const void *vp;
		const uint8_t *p;

		phys = a->runs[run] +
		       ((pg & ((UINT64_C(1) << a->order) - 1)) << m->shift);
		cnt = nr - pg * per_page < per_page ? nr - pg * per_page
						    : per_page;
		if (kho_map(c, phys, m->ps, &vp)) {
			memfd_rep(m, FC_UNREADABLE, phys,
				  "page %" PRIu64 " of the folio array at 0x%" PRIx64
				  " is not captured; %" PRIu64 " folio%s unchecked",
				  pg, phys, cnt, cnt == 1 ? "" : "s");
			w.have_prev = 0;
			continue;
		}
		p = (const uint8_t *)vp;
		for (j = 0; j < cnt; j += MEMFD_BATCH)
			memfd_batch(m, &w, pg * per_page + j,
				    phys + j * MEMFD_FOLIO_SZ,
				    p + j * MEMFD_FOLIO_SZ,
				    cnt - j < MEMFD_BATCH ? cnt - j : MEMFD_BATCH);
		done += cnt;
	}
	if (have < need)
		kho_finding(c, m->o, KHO_SEV_WARNING, "memfd.folios-incomplete",
			    0,
			    "only %" PRIu64 " of the %" PRIu64
			    " pages of the folio array are known; %" PRIu64
			    " of nr_folios %" PRIu64 " entries %s checked",
			    have, need, done, nr, done == 1 ? "was" : "were");

	t = (struct memfd_tab *)kho_ops(c)->alloc(c, sizeof(*t));
	if (t && have) {
		uint64_t rows = have * per_page < nr ? have * per_page : nr;

		t->runs = a->runs;
		t->nr_runs = a->nr_runs;
		t->order = a->order;
		t->ps = m->ps;
		t->shift = m->shift;
		t->be = m->be;
		kho_ops(c)->obj_table(m->o, "folios", memfd_cols, 5, rows,
				      memfd_row, t, NULL);
	}
}

/* ------------------------------------------------------------------ entry */

static int memfd_decode(struct kho_ctx *c, struct kho_obj *parent,
			const struct kho_blob *blob)
{
	const struct memfd_layout *l = NULL;
	uint8_t buf[MEMFD_MAX_SER];
	uint64_t pos, size, nr, phys = blob->phys;
	uint32_t seals = 0, flags = 0, total_pages;
	const uint8_t *desc;
	struct memfd_st m;
	size_t i;
	int rc, desc_zero = 1;

	for (i = 0; i < sizeof(memfd_layouts) / sizeof(memfd_layouts[0]); i++)
		if (blob->compat && !strcmp(blob->compat, memfd_layouts[i].compat))
			l = &memfd_layouts[i];
	if (!l)
		l = &memfd_layouts[1];

	memset(&m, 0, sizeof(m));
	m.c = c;
	m.ps = kho_page_size(c);
	if (m.ps < 4096 || (m.ps & (m.ps - 1)))
		m.ps = 4096;
	while ((UINT64_C(1) << m.shift) < m.ps)
		m.shift++;
	m.be = kho_ops(c)->big_endian(c);
	m.claim = kho_ops(c)->claim_blocks;
	m.claim_seq = m.claim ? kho_ops(c)->claim_seq_blocks : NULL;
	m.o = kho_obj_new(c, parent, "memfd", "memfd");
	if (!m.o)
		return KHO_ELIMIT;
	kho_compat(c, m.o, l->compat);
	kho_phys(c, m.o, phys, l->size);
	kho_u64(c, m.o, "token", blob->token);
	if (phys == 0) {
		kho_finding(c, m.o, KHO_SEV_ERROR, "memfd.bad-pointer", 0,
			    "memfd_luo_ser pointer (luo_file_ser.data) is 0");
		return 0;
	}
	kho_expect_block(c, m.o, "memfd_luo_ser", phys, 0);
	rc = kho_read(c, phys, buf, l->size);
	if (rc == KHO_ENOTCAPTURED) {
		kho_finding(c, m.o, KHO_SEV_WARNING, "memfd.not-captured", phys,
			    "memfd_luo_ser at 0x%" PRIx64 " (%u bytes) is not captured",
			    phys, l->size);
		return 0;
	}
	if (rc) {
		kho_finding(c, m.o, KHO_SEV_ERROR, "memfd.bad-pointer", phys,
			    "memfd_luo_ser at 0x%" PRIx64 " (%u bytes) is outside physical memory",
			    phys, l->size);
		return 0;
	}

	if (l->feat) {
		uint64_t supp = kho_get_u64(c, buf), req = kho_get_u64(c, buf + 8);
		uint64_t act = kho_get_u64(c, buf + 16);

		kho_hex(c, m.o, "supp", supp);
		kho_hex(c, m.o, "req", req);
		kho_hex(c, m.o, "active", act);
		if (req & ~(uint64_t)MEMFD_FEAT_KNOWN)
			kho_finding(c, m.o, KHO_SEV_WARNING,
				    "memfd.feature-flags", phys,
				    "luo_feature_hdr requires unknown memfd feature bits 0x%" PRIx64,
				    req & ~(uint64_t)MEMFD_FEAT_KNOWN);
	}
	pos = kho_get_u64(c, buf + l->pos);
	size = kho_get_u64(c, buf + l->fsize);
	nr = kho_get_u64(c, buf + l->nr);
	desc = buf + l->desc;
	total_pages = kho_get_u32(c, desc + 8);
	for (i = 0; i < 16; i++)
		if (desc[i])
			desc_zero = 0;
	kho_u64(c, m.o, "pos", pos);
	kho_size(c, m.o, "size", size);
	if (l->has_seals) {
		char names[96];

		seals = kho_get_u32(c, buf + l->seals);
		flags = kho_get_u32(c, buf + l->flags);
		memfd_seal_names(names, sizeof(names), seals);
		kho_hex(c, m.o, "seals", seals);
		kho_str(c, m.o, "seal_names", names);
		kho_hex(c, m.o, "flags", flags);
		if (seals & ~MEMFD_ALL_SEALS)
			kho_finding(c, m.o, KHO_SEV_ERROR, "memfd.seals", phys,
				    "seals 0x%" PRIx32 " have bits outside F_SEAL_* (0x3f)",
				    seals);
		if (flags)
			kho_finding(c, m.o, KHO_SEV_ERROR, "memfd.flags", phys,
				    "flags/reserved 0x%" PRIx32 " must be 0", flags);
	}
	kho_u64(c, m.o, "nr_folios", nr);

	if (nr == 0) {
		if (!desc_zero)
			kho_finding(c, m.o, KHO_SEV_ERROR, "memfd.nr-folios",
				    phys + l->desc,
				    "nr_folios is 0 but the folios descriptor is not all zero");
		if (size)
			kho_finding(c, m.o, KHO_SEV_ERROR, "memfd.nr-folios",
				    phys,
				    "nr_folios is 0 but size is %" PRIu64
				    " (every page below size is backed at preserve time)",
				    size);
		return 0;
	}
	if (desc_zero) {
		kho_finding(c, m.o, KHO_SEV_ERROR, "memfd.nr-folios",
			    phys + l->desc,
			    "nr_folios is %" PRIu64 " but the folios descriptor is all zero",
			    nr);
		return 0;
	}
	if (nr > (UINT64_MAX - m.ps) / MEMFD_FOLIO_SZ ||
	    (nr * MEMFD_FOLIO_SZ + m.ps - 1) / m.ps != total_pages)
		kho_finding(c, m.o, KHO_SEV_ERROR, "memfd.total-pages",
			    phys + l->desc,
			    "folios.total_pages is %" PRIu32
			    ", expected ceil(nr_folios %" PRIu64
			    " * 16 / PAGE_SIZE)",
			    total_pages, nr);
	{
		struct kho_vmalloc_area a;

		memset(&a, 0, sizeof(a));
		kho_vmalloc(c, m.o, "folios", phys + l->desc, desc, &a);
		memfd_folios(&m, &a, nr, size);
	}
	return 0;
}

static const char *const memfd_compats[] = {
	"memfd-v1", "memfd-v2", "memfd-v2;vmalloc-v1", "memfd", NULL,
};

static const char *const memfd_nodes[] = {NULL};

KHO_PLUGIN_DEFINE = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.name = "memfd",
	.description = "memfd LUO file handler: memfd-v1, memfd-v2, RFC and "
		       "feature-flag layouts with their folio arrays",
	.role = KHO_ROLE_BLOB,
	.compats = memfd_compats,
	.node_names = memfd_nodes,
	.check_list = memfd_checks,
	.decode = memfd_decode,
};
