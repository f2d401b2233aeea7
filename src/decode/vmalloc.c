// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's vmalloc service (host op vmalloc, kho_vmalloc() for plugins):
 * decodes a 16-byte struct kho_vmalloc descriptor and the chunk list behind
 * it (kho-abi.md §4, invariants §11.5).  Its check ids are declared in
 * check_registry.h.
 *
 * Descriptor: {u64 first; u32 total_pages; u16 flags; u16 order}.  Each chunk
 * is one page: u64 next, then (PAGE_SIZE - 8) / 8 run addresses, a 0 entry
 * ending the list of that chunk.  Each run is PAGE_SIZE << order bytes and
 * the runs, concatenated in list order, form the virtual area.
 *
 * The chunk list is walked twice.  The first pass only follows `next`
 * pointers (Brent's cycle detection in chain.h, no memory) to learn how many
 * distinct, readable chunks there are; the second pass visits exactly those,
 * checks their entries and collects the runs into a session-owned array
 * whose size is bounded both by total_pages and by what the visited chunks
 * can hold.
 *
 * It was a plugin once and still goes through the plugin API's accessors
 * (the host's own ops), so that it reads image memory as every decoder does.
 */
#include <stdlib.h>
#include <string.h>

#include "kho/page_order.h"
#include "kho/plugin.h"

#include "chain.h"
#include "session_internal.h"

#define VM_FLAG_ALLOC 0x1u
#define VM_FLAG_HUGE_VMAP 0x2u
#define VM_FLAGS_KNOWN (VM_FLAG_ALLOC | VM_FLAG_HUGE_VMAP)

/* Orders above this cannot describe a run inside a u32 page count. */
#define VM_ORDER_SANE 31u

/* ------------------------------------------------------------- the table */

struct runs_table {
	const uint64_t *runs;
	uint64_t order;
};

static int runs_row(struct kho_ctx *c, void *state, uint64_t i, uint64_t *vals)
{
	const struct runs_table *t = state;

	(void)c;
	vals[0] = i;
	vals[1] = t->runs[i];
	vals[2] = t->order;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Is any of the sorted chunk pages inside [lo, lo + len)? */
static int chunk_in(const uint64_t *chunks, uint64_t n, uint64_t lo,
		    uint64_t len, uint64_t *hit)
{
	uint64_t a = 0, b = n;

	while (a < b) {
		uint64_t m = a + (b - a) / 2;

		if (chunks[m] < lo)
			a = m + 1;
		else
			b = m;
	}
	if (a < n && chunks[a] - lo < len) {
		*hit = chunks[a];
		return 1;
	}
	return 0;
}

static void flags_text(uint16_t flags, char *buf, size_t len)
{
	buf[0] = '\0';
	if (flags & VM_FLAG_ALLOC)
		strncat(buf, "ALLOC", len - strlen(buf) - 1);
	if (flags & VM_FLAG_HUGE_VMAP) {
		if (buf[0])
			strncat(buf, "|", len - strlen(buf) - 1);
		strncat(buf, "HUGE_VMAP", len - strlen(buf) - 1);
	}
	if (flags & ~VM_FLAGS_KNOWN) {
		if (buf[0])
			strncat(buf, "|", len - strlen(buf) - 1);
		strncat(buf, "?", len - strlen(buf) - 1);
	}
}

/* ------------------------------------------------------------ the decoder */

static void report_chunk_unreadable(struct kho_ctx *c, struct kho_obj *o,
				    uint64_t idx, uint64_t phys, int err)
{
	if (err == 1)
		kho_finding(c, o, KHO_SEV_ERROR, "vmalloc.unaligned-chunk", phys,
			    "chunk %llu at 0x%llx is not page aligned",
			    (unsigned long long)idx, (unsigned long long)phys);
	else if (err == KHO_ERANGE)
		kho_finding(c, o, KHO_SEV_ERROR, "vmalloc.not-captured", phys,
			    "chunk %llu at 0x%llx lies outside physical memory",
			    (unsigned long long)idx, (unsigned long long)phys);
	else
		kho_finding(c, o, KHO_SEV_WARNING, "vmalloc.not-captured", phys,
			    "chunk %llu at 0x%llx is not captured",
			    (unsigned long long)idx, (unsigned long long)phys);
}

int kho_vmalloc_decode(struct kho_ctx *c, struct kho_obj *parent,
		       const char *name, uint64_t desc_phys,
		       const uint8_t desc[16], struct kho_vmalloc_area *out)
{
	static const struct kho_col cols[] = {
		{ "index", KHO_COL_DEC },
		{ "phys", KHO_COL_HEX },
		{ "order", KHO_COL_DEC },
	};
	const uint64_t ps = kho_page_size(c);
	const uint64_t cap = (ps - 8) / 8;
	const unsigned int maxo = max_page_order(c, kho_page_size(c));
	const uint64_t first = kho_get_u64(c, desc);
	const uint32_t total = kho_get_u32(c, desc + 8);
	const uint16_t flags = kho_get_u16(c, desc + 12);
	const uint16_t order = kho_get_u16(c, desc + 14);
	uint64_t runs_expected, chunk_limit, nchunks, bound;
	uint64_t run_pages = 0, run_size = 0;
	uint64_t *runs = NULL, *chunks = NULL, *sorted;
	uint64_t nruns = 0, nentries = 0, pages = 0, cur, k, i;
	int exceeded = 0, bad_order = 0, complete = 1, have_map = 1;
	int walked_all = 1;
	uint8_t *buf = NULL;
	struct kho_obj *o;
	struct chain_walk w;
	char ftext[32];

	memset(out, 0, sizeof(*out));
	out->desc_phys = desc_phys;
	out->first = first;
	out->total_pages = total;
	out->flags = flags;
	out->order = order;

	o = kho_obj_new(c, parent, "vmalloc", name ? name : "vmalloc");
	if (!o)
		return KHO_ELIMIT;
	if (desc_phys)
		kho_phys(c, o, desc_phys, 16);
	kho_hex(c, o, "first", first);
	kho_u64(c, o, "total_pages", total);
	kho_hex(c, o, "flags", flags);
	flags_text(flags, ftext, sizeof(ftext));
	kho_str(c, o, "flags_names", ftext);
	kho_u64(c, o, "order", order);

	/* The descriptor on its own. */
	if (flags & ~VM_FLAGS_KNOWN)
		kho_finding(c, o, KHO_SEV_ERROR, "vmalloc.flags", desc_phys,
			    "flags 0x%x has bits outside ALLOC|HUGE_VMAP (0x3)",
			    (unsigned int)flags);
	if (order > maxo)
		kho_finding(c, o, KHO_SEV_ERROR, "vmalloc.order", desc_phys,
			    "order %u exceeds MAX_PAGE_ORDER %u",
			    (unsigned int)order, maxo);
	else if (order > 0 && !(flags & VM_FLAG_HUGE_VMAP))
		kho_finding(c, o, KHO_SEV_ERROR, "vmalloc.order", desc_phys,
			    "order %u without the HUGE_VMAP flag (flags 0x%x)",
			    (unsigned int)order, (unsigned int)flags);
	if ((first == 0) != (total == 0)) {
		kho_finding(c, o, KHO_SEV_ERROR, "vmalloc.first-vs-total",
			    desc_phys,
			    "first 0x%llx with total_pages %u: both must be zero or both non-zero",
			    (unsigned long long)first, (unsigned int)total);
		complete = 0;
	}

	/*
	 * How many runs the descriptor promises.  An order past 31 cannot
	 * describe any run of a u32-sized area: walk the chunks for coverage
	 * but collect nothing.
	 */
	if (order > VM_ORDER_SANE) {
		bad_order = 1;
		complete = 0;
		runs_expected = 0;
	} else {
		run_pages = 1ull << order;
		run_size = ps << order;
		runs_expected = ((uint64_t)total + run_pages - 1) / run_pages;
	}
	/*
	 * The producer fills each chunk and links one more after a full one,
	 * so it never needs more than this many chunks; allow one spare.
	 */
	chunk_limit = (bad_order ? total : runs_expected) / cap + 2;

	/* First pass: how many distinct, readable chunks are there? */
	chain_walk(c, first, chunk_limit, chain_page_next, &w);
	nchunks = w.n;

	/* The run array: bounded by total_pages and by what nchunks hold. */
	bound = nchunks * cap;
	if (bound > runs_expected)
		bound = runs_expected;
	if (bound) {
		runs = kho_ops(c)->alloc(c, bound * sizeof(*runs));
		if (!runs)
			return KHO_ENOMEM;
	}
	if (nchunks) {
		chunks = malloc(nchunks * sizeof(*chunks));
		buf = malloc(ps);
		if (!chunks || !buf) {
			free(chunks);
			free(buf);
			return KHO_ENOMEM;
		}
	}

	/* Second pass: visit exactly those chunks, in list order. */
	cur = first;
	for (k = 0; k < nchunks; k++) {
		const void *mapped;
		const uint8_t *page;
		uint64_t next, n;
		int rc;

		rc = kho_map(c, cur, ps, &mapped);
		page = mapped;
		if (rc) {
			/* The page may straddle two segments: copy it. */
			rc = kho_read(c, cur, buf, ps);
			page = buf;
		}
		if (rc) {
			report_chunk_unreadable(c, o, k, cur, rc);
			complete = 0;
			walked_all = 0;
			break;
		}
		chunks[k] = cur;
		if (have_map &&
		    kho_expect_block(c, o, "vmalloc chunk", cur, 0) ==
		    KHO_ENOTCAPTURED)
			have_map = 0;

		next = kho_get_u64(c, page);
		for (n = 0; n < cap; n++) {
			uint64_t run = kho_get_u64(c, page + 8 + 8 * n);

			if (run == 0)
				break;
			nentries++;
			if (bad_order)
				continue;
			if (run & (run_size - 1))
				kho_finding(c, o, KHO_SEV_ERROR,
					    "vmalloc.unaligned-run", run,
					    "run %llu at 0x%llx is not aligned to %llu bytes (order %u)",
					    (unsigned long long)(nentries - 1),
					    (unsigned long long)run,
					    (unsigned long long)run_size,
					    (unsigned int)order);
			if (pages + run_pages > total) {
				if (!exceeded)
					kho_finding(c, o, KHO_SEV_ERROR,
						    "vmalloc.total-pages", run,
						    "run %llu would end past total_pages %u (%llu pages before it, %llu per run)",
						    (unsigned long long)(nentries - 1),
						    (unsigned int)total,
						    (unsigned long long)pages,
						    (unsigned long long)run_pages);
				exceeded = 1;
				complete = 0;
			} else if (nruns < bound) {
				runs[nruns++] = run;
				pages += run_pages;
			}
			if (have_map &&
			    kho_expect_range(c, o, "vmalloc run", run,
					     run_size) == KHO_ENOTCAPTURED)
				have_map = 0;
		}
		if (n == cap && next == 0)
			kho_finding(c, o, KHO_SEV_WARNING,
				    "vmalloc.full-chunk-no-next", cur,
				    "chunk %llu at 0x%llx holds all %llu runs but next is 0; the producer always links another chunk",
				    (unsigned long long)k,
				    (unsigned long long)cur,
				    (unsigned long long)cap);
		cur = next;
	}
	free(buf);

	/* Why the first pass stopped, when it was not the end of the list. */
	if (walked_all) {
		switch (w.why) {
		case CHAIN_END:
			break;
		case CHAIN_BAD:
			report_chunk_unreadable(c, o, w.n, w.bad, w.err);
			complete = 0;
			break;
		case CHAIN_CYCLE:
			kho_finding(c, o, KHO_SEV_ERROR, "vmalloc.cycle", w.bad,
				    "chunk list loops: chunk %llu links back to chunk 0x%llx",
				    (unsigned long long)(w.distinct - 1),
				    (unsigned long long)w.bad);
			complete = 0;
			break;
		case CHAIN_LIMIT:
			kho_finding(c, o, KHO_SEV_ERROR, "vmalloc.total-pages",
				    cur,
				    "chunk list goes on past %llu chunks, more than total_pages %u needs; walk stopped",
				    (unsigned long long)nchunks,
				    (unsigned int)total);
			complete = 0;
			break;
		}
	}

	/* The runs must add up to the area (checked on a clean walk only). */
	if (complete && !bad_order && pages != total) {
		kho_finding(c, o, KHO_SEV_ERROR, "vmalloc.total-pages", desc_phys,
			    "runs hold %llu pages but total_pages is %u",
			    (unsigned long long)pages, (unsigned int)total);
		complete = 0;
	}

	/* No run may appear twice (equal-order aligned runs overlap only
	 * when equal). */
	if (nruns > 1) {
		sorted = malloc(nruns * sizeof(*sorted));
		if (sorted) {
			memcpy(sorted, runs, nruns * sizeof(*sorted));
			qsort(sorted, nruns, sizeof(*sorted), cmp_u64);
			for (i = 1; i < nruns; i++)
				if (sorted[i] == sorted[i - 1] &&
				    (i < 2 || sorted[i - 2] != sorted[i]))
					kho_finding(c, o, KHO_SEV_ERROR,
						    "vmalloc.duplicate-run",
						    sorted[i],
						    "run 0x%llx appears more than once",
						    (unsigned long long)sorted[i]);
			free(sorted);
		}
	}
	/* No run may contain one of the chunk pages. */
	if (k && nruns) {
		qsort(chunks, k, sizeof(*chunks), cmp_u64);
		for (i = 0; i < nruns; i++) {
			uint64_t hit;

			if (chunk_in(chunks, k, runs[i], run_size, &hit))
				kho_finding(c, o, KHO_SEV_ERROR,
					    "vmalloc.run-overlaps-chunk", runs[i],
					    "run %llu at 0x%llx contains chunk page 0x%llx",
					    (unsigned long long)i,
					    (unsigned long long)runs[i],
					    (unsigned long long)hit);
		}
	}
	free(chunks);

	kho_u64(c, o, "nr_chunks", k);
	kho_u64(c, o, "nr_runs", nentries);

	if (nruns) {
		struct runs_table *t = kho_ops(c)->alloc(c, sizeof(*t));

		if (t) {
			t->runs = runs;
			t->order = order;
			kho_ops(c)->obj_table(o, "runs", cols, 3, nruns,
					      runs_row, t, NULL);
		}
	}

	out->runs = runs;
	out->nr_runs = nruns;
	out->valid = complete;
	return 0;
}
