// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Find the boot hand-off (x86 setup_data type 10, or a DTB's /chosen KHO
 * properties) in an image's memory; see handoff.h.
 */
#define KHO_IMAGE_INTERNAL
#include "base/bytes.h"
#include "handoff.h"
#include "image.h"

#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_STEP 4096u
/* x86 boot protocol offsets in the zero page. */
#define BP_BOOT_FLAG 0x1fe
#define BP_HEADER 0x202
#define BP_SETUP_DATA 0x250
#define SETUP_HDR 16
#define BP_CMD_LINE_PTR 0x228
#define BP_EXT_CMD_LINE_PTR 0x0c8
/* Largest offset of a setup_data node in a staged kexec buffer. */
#define STAGED_SPAN 0x10000u
/* Largest DTB looked at for /chosen. */
#define MAX_DTB (1u << 20)

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t native64(const struct kho_image *img, const uint8_t *p)
{
	return img->big_endian ? kho_be64(p) : le64(p);
}

uint64_t kho_scratch_alignment(uint64_t page_size)
{
	/*
	 * PAGE_SIZE * MAX_ORDER_NR_PAGES (kexec_handover.c
	 * SCRATCH_ALIGNMENT_BYTES); MAX_PAGE_ORDER is 10 on x86 and on
	 * arm64/4K, 11 on arm64/16K, 13 on arm64/64K (arch/arm64/Kconfig
	 * ARCH_FORCE_MAX_ORDER).
	 */
	if (page_size == 16384)
		return page_size << 11;
	if (page_size == 65536)
		return page_size << 13;
	return page_size << 10;
}

/* Read uncached: the probe must not keep what it touches. */
static int rd(const struct kho_image *img, uint64_t phys, void *buf,
	      uint64_t len)
{
	return kho_image_read_uncached(img, phys, buf, len);
}

/*
 * Where a chain pointer's bytes are: in place, or, in a staged copy (see
 * probe_x86), at the same offset from the copy as from its destination.
 */
static uint64_t xlate(const struct kho_handoff *h, uint64_t pa)
{
	if (h->staged_for && pa >= h->staged_for &&
	    pa - h->staged_for < STAGED_SPAN)
		return h->where + (pa - h->staged_for);
	return pa;
}

/* One boot_params candidate's chain, into a scratch struct. */
static void walk_chain(const struct kho_image *img, uint64_t bp,
		       struct kho_handoff *h)
{
	uint64_t seen[KHO_HANDOFF_MAX_CHAIN];
	uint8_t b[8], node[SETUP_HDR + KHO_DATA_SIZE];
	uint64_t pa;
	unsigned int n = 0, i;

	if (rd(img, bp + BP_SETUP_DATA, b, 8))
		return;
	pa = le64(b);
	while (pa) {
		uint64_t at = xlate(h, pa);

		for (i = 0; i < n; i++) {
			if (seen[i] == pa) {
				h->chain_cycle = seen[n - 1];
				return;
			}
		}
		if (n == KHO_HANDOFF_MAX_CHAIN) {
			h->chain_too_long = 1;
			return;
		}
		if (rd(img, at, node, SETUP_HDR)) {
			h->chain_missing = pa;
			return;
		}
		seen[n++] = pa;
		h->chain_nodes = n;
		if (le32(node + 8) == KHO_SETUP_KEXEC_KHO) {
			h->kho_nodes++;
			/*
			 * setup.c:parse_setup_data calls add_kho for every
			 * type-10 node, and each kho_populate overwrites
			 * the last: the last node wins.
			 */
			h->entry = pa;
			h->entry_len = le32(node + 12);
			memset(node + SETUP_HDR, 0, KHO_DATA_SIZE);
			if (rd(img, at + SETUP_HDR, node + SETUP_HDR,
			       KHO_DATA_SIZE)) {
				h->chain_missing = pa + SETUP_HDR;
				return;
			}
			h->fdt_addr = le64(node + 16);
			h->fdt_size = le64(node + 24);
			h->scratch_addr = le64(node + 32);
			h->scratch_size = le64(node + 40);
		}
		pa = le64(node);
	}
}

/*
 * A boot_params at a (boot_flag 0xAA55, then the 2-byte jump, then
 * "HdrS").  Two kinds hold a hand-off:
 *  - in place: the zero page at its destination, or the booted kernel's
 *    own copy (arch/x86/kernel/setup.c boot_params, not page aligned),
 *    whose setup_data nodes stay reserved at their addresses;
 *  - staged: at machine_kexec, kexec_file's buffer (a page-aligned copy
 *    not yet moved to its destination).  7.2 puts the command line right
 *    after boot_params (kexec-bzimage64.c:bzImage64_load, cmdline_offset
 *    = sizeof(struct boot_params)), so cmd_line_ptr - 0x1000 is the
 *    destination, and the chain's nodes sit at the same offsets in the
 *    copy.  The staged reading is tried when the in-place one finds no
 *    type-10 node.
 */
static int probe_x86(const struct kho_image *img, uint64_t a,
		     struct kho_handoff *h)
{
	uint8_t b[8], c[4], e[4];
	uint64_t cmd;

	if (rd(img, a + BP_BOOT_FLAG, b, 8))
		return 0;
	if (b[0] != 0x55 || b[1] != 0xaa || memcmp(b + 4, "HdrS", 4))
		return 0;
	memset(h, 0, sizeof(*h));
	h->kind = KHO_HANDOFF_X86;
	h->where = a;
	walk_chain(img, a, h);
	if (h->kho_nodes || h->chain_cycle)
		return 1;
	if ((a & (PROBE_STEP - 1)) || rd(img, a + BP_CMD_LINE_PTR, c, 4) ||
	    rd(img, a + BP_EXT_CMD_LINE_PTR, e, 4))
		return 0;
	cmd = (uint64_t)le32(e) << 32 | le32(c);
	if (cmd < 0x1000 || cmd - 0x1000 == a || ((cmd - 0x1000) & 0xfff))
		return 0;
	memset(h, 0, sizeof(*h));
	h->kind = KHO_HANDOFF_X86;
	h->where = a;
	h->staged_for = cmd - 0x1000;
	walk_chain(img, a, h);
	return h->kho_nodes != 0 || h->chain_cycle != 0;
}

/* kernel dt_mem_next_cell: up to two cells make one number. */
static uint64_t cells(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v = v << 32 | ((uint32_t)p[4 * i] << 24 |
			       (uint32_t)p[4 * i + 1] << 16 |
			       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3]);
	return v;
}

static unsigned int root_cells(const void *fdt, const char *name,
			       unsigned int dflt)
{
	const uint8_t *p;
	int len;

	p = fdt_getprop(fdt, 0, name, &len);
	if (!p || len != 4)
		return dflt;
	return (unsigned int)cells(p, 1);
}

static int probe_dt(const struct kho_image *img, uint64_t a,
		    struct kho_handoff *h)
{
	uint8_t hdr[8];
	uint32_t total;
	uint8_t *copy;
	const uint8_t *pf, *ps;
	int chosen, lf, ls, ok = 0;
	unsigned int pair;

	if (rd(img, a, hdr, 8) || cells(hdr, 1) != FDT_MAGIC)
		return 0;
	total = (uint32_t)cells(hdr + 4, 1);
	if (total < FDT_V17_SIZE || total > MAX_DTB ||
	    kho_image_captured(img, a, total) < total)
		return 0;
	copy = malloc(total);
	if (!copy)
		return KHO_ENOMEM;
	if (rd(img, a, copy, total) || fdt_version(copy) < 16 ||
	    fdt_check_full(copy, total) != 0)
		goto out;
	chosen = fdt_path_offset(copy, "/chosen");
	if (chosen < 0)
		goto out;
	pf = fdt_getprop(copy, chosen, "linux,kho-fdt", &lf);
	ps = fdt_getprop(copy, chosen, "linux,kho-scratch", &ls);
	if (!pf)
		goto out;
	memset(h, 0, sizeof(*h));
	h->kind = KHO_HANDOFF_DT;
	h->where = a;
	/* drivers/of/fdt.c early_init_dt_scan_root: both default to 1. */
	h->addr_cells = root_cells(copy, "#address-cells", 1);
	h->size_cells = root_cells(copy, "#size-cells", 1);
	h->fdt_prop_len = lf;
	h->scratch_prop_len = ps ? ls : -1;
	pair = 4 * (h->addr_cells + h->size_cells);
	/* of_flat_dt_get_addr_size: exactly one <addr size> entry. */
	if (h->addr_cells >= 1 && h->addr_cells <= 2 && h->size_cells >= 1 &&
	    h->size_cells <= 2 && (unsigned int)lf == pair && ps &&
	    (unsigned int)ls == pair) {
		h->props_ok = 1;
		h->fdt_addr = cells(pf, h->addr_cells);
		h->fdt_size = cells(pf + 4 * h->addr_cells, h->size_cells);
		h->scratch_addr = cells(ps, h->addr_cells);
		h->scratch_size = cells(ps + 4 * h->addr_cells, h->size_cells);
	}
	ok = 1;
out:
	free(copy);
	return ok;
}

static int read_scratch(struct kho_image *img, struct kho_handoff *h)
{
	uint64_t i, n;
	uint8_t e[16];

	h->scratch_count = h->scratch_size / 16;
	if (!h->scratch_size)
		return 0;
	h->scratch_captured =
		h->scratch_addr < KHO_PHYS_LIMIT &&
		kho_image_captured(img, h->scratch_addr, h->scratch_size) ==
			h->scratch_size;
	if (!h->scratch_captured)
		return 0;
	n = h->scratch_count;
	if (n > KHO_IMAGE_MAX_SCRATCH)
		n = KHO_IMAGE_MAX_SCRATCH;
	if (!n)
		return 0;
	h->areas = kho_image_alloc(img, (size_t)n * sizeof(*h->areas));
	if (!h->areas)
		return KHO_ENOMEM;
	for (i = 0; i < n; i++) {
		if (kho_image_read(img, h->scratch_addr + 16 * i, e, 16))
			break;
		if (h->kind == KHO_HANDOFF_X86) {
			h->areas[i].addr = le64(e);
			h->areas[i].size = le64(e + 8);
		} else {
			h->areas[i].addr = native64(img, e);
			h->areas[i].size = native64(img, e + 8);
		}
	}
	h->nareas = i;
	/*
	 * A staged hand-off's array is a kexec segment not yet copied.  A
	 * device tree does not say whether it is kexec's staged copy, but an
	 * array of zeros is one too: 7.2 always writes non-empty areas.
	 */
	if (h->staged_for || h->kind == KHO_HANDOFF_DT) {
		for (i = 0; i < h->nareas; i++)
			if (h->areas[i].addr || h->areas[i].size)
				return 0;
		h->scratch_unstaged = 1;
		h->nareas = 0;
	}
	return 0;
}

/* Is this candidate's FDT a KHO root?  (Used to choose among several.) */
static int points_at_root(const struct kho_image *img,
			  const struct kho_handoff *h)
{
	if (h->kind == KHO_HANDOFF_DT && !h->props_ok)
		return 0;
	if (!h->fdt_addr || h->fdt_addr & (PROBE_STEP - 1))
		return 0;
	return kho_image_is_kho_root(img, h->fdt_addr) == 1;
}

/*
 * How far a candidate can be trusted to be the hand-off the dump is
 * about; the best wins, and among equals the first found (the lowest
 * address).  0: its FDT is no KHO root.  4: a staged copy, which exists
 * only in the outgoing kernel between kexec_file_load and the jump, so
 * the dump is of that kernel.  3: a boot_params that is not page aligned,
 * the booted kernel's own copy (the global in arch/x86/kernel/setup.c):
 * the kexec destination page it was copied from is free memory to that
 * kernel and may survive, whole or not, at a lower address (seen in
 * 7.2.13 under make vmtest).  2: any other that points at a root.
 */
static int rank(const struct kho_image *img, const struct kho_handoff *h)
{
	if (!points_at_root(img, h))
		return 0;
	if (h->staged_for)
		return 4;
	if (h->kind == KHO_HANDOFF_X86 && (h->where & (PROBE_STEP - 1)))
		return 3;
	return 2;
}

/* Keep the best candidate; remember every place. */
struct pick {
	struct kho_handoff *h;
	unsigned int found, nother, probes;
	int best_rank;
	uint64_t other[KHO_HANDOFF_MAX_CANDIDATES];
};

static void consider(const struct kho_image *img, struct pick *p,
		     const struct kho_handoff *cand)
{
	int r;

	if (p->nother < KHO_HANDOFF_MAX_CANDIDATES)
		p->other[p->nother++] = cand->where;
	p->found++;
	if (p->h->kind && p->best_rank == 4)
		return;
	r = rank(img, cand);
	if (!p->h->kind || r > p->best_rank) {
		p->best_rank = r;
		*p->h = *cand;
	}
}

#define CHUNK (1u << 20)

/*
 * x86: every "HdrS" in the captured bytes, at 0x202 from a 16-byte
 * aligned base (the booted kernel's own boot_params is a plain global,
 * not page aligned).  Chunks overlap by 3 bytes so no match is split.
 */
static int search_x86(const struct kho_image *img, struct pick *p,
		      uint8_t *buf)
{
	const struct kho_image_priv *pv = img->priv;
	struct kho_handoff cand;
	size_t i;

	for (i = 0; i < img->nsegs; i++) {
		const struct kho_segment *s = &img->segs[i];
		uint64_t off;

		for (off = 0; off < s->filesz; off += CHUNK - 3) {
			uint64_t n, next;
			const uint8_t *b, *q, *end;

			/* A hole reads as zeros and holds no "HdrS": start
			 * the chunk where the data does. */
			next = kho_image_skip_hole(img, s, s->phys + off, 1);
			if (next == UINT64_MAX)
				break;
			off = next - s->phys;
			n = s->filesz - off < CHUNK ? s->filesz - off : CHUNK;
			if (n < 4)
				break;
			if (pv && pv->pager) {
				if (kho_image_read_uncached(img, s->phys + off,
							    buf, n))
					continue;
				b = buf;
			} else {
				b = img->map + s->offset + off;
			}
			end = b + n;
			for (q = b; (q = memmem(q, (size_t)(end - q), "HdrS", 4));
			     q++) {
				uint64_t at = s->phys + off + (uint64_t)(q - b);

				if (at < s->phys + BP_HEADER ||
				    ((at - BP_HEADER) & 15))
					continue;
				/* Hostile memory full of signatures. */
				if (++p->probes > KHO_HANDOFF_MAX_PROBES) {
					p->h->probes_capped = 1;
					return 0;
				}
				if (probe_x86(img, at - BP_HEADER, &cand))
					consider(img, p, &cand);
			}
			if (n < CHUNK)
				break;
		}
	}
	return 0;
}

/* Device tree: an FDT at a 4 KiB boundary with /chosen linux,kho-fdt. */
static int search_dt(const struct kho_image *img, struct pick *p)
{
	struct kho_handoff cand;
	size_t i;

	for (i = 0; i < img->nsegs; i++) {
		const struct kho_segment *s = &img->segs[i];
		uint64_t end = s->phys + s->filesz;
		uint64_t a = (s->phys + PROBE_STEP - 1) &
			     ~(uint64_t)(PROBE_STEP - 1);

		/* Every step skips the file's holes (UINT64_MAX ends it). */
		for (a = kho_image_skip_hole(img, s, a, PROBE_STEP);
		     a < end && end - a >= FDT_V17_SIZE;
		     a = kho_image_skip_hole(img, s, a + PROBE_STEP, PROBE_STEP)) {
			int rc = probe_dt(img, a, &cand);

			if (rc < 0)
				return rc;
			if (rc)
				consider(img, p, &cand);
		}
	}
	return 0;
}

#define EM_X86_64_ 62

int kho_handoff_locate(struct kho_image *img, struct kho_handoff *h)
{
	struct pick p = { .h = h };
	uint8_t *buf;
	int rc = 0, capped;

	memset(h, 0, sizeof(*h));
	if (img->machine == EM_X86_64_ || img->machine == 0) {
		buf = malloc(CHUNK);
		if (!buf)
			return KHO_ENOMEM;
		rc = search_x86(img, &p, buf);
		free(buf);
	}
	capped = h->probes_capped;
	if (!rc && img->machine != EM_X86_64_)
		rc = search_dt(img, &p);
	if (rc)
		return rc;
	if (!h->kind)
		return 0;
	h->candidates = p.found;
	h->probes_capped = capped;
	memcpy(h->other, p.other, p.nother * sizeof(p.other[0]));
	if (h->kind == KHO_HANDOFF_DT && !h->props_ok)
		return 0;
	return read_scratch(img, h);
}
