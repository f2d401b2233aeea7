// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memblock decoder: the `memblock` sub-FDT (compatible "memblock-v1") that
 * carries the reserve_mem= regions across kexec (kho-abi.md §6, invariants
 * §11.9 item 20).
 *
 * Layout: one page holding an FDT whose root has compatible "memblock-v1"
 * and one child per region, named after the region, with compatible
 * "reserve-mem-v1" and two native-endian u64 properties `start` and `size`.
 * Only whole pages of a region are preserved, starting at the page that
 * holds `start`.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "kho/plugin.h"

#include "common/subfdt.h"

#define MEMBLOCK_COMPAT "memblock-v1"
#define RESERVE_MEM_COMPAT "reserve-mem-v1"
#define RESERVE_MEM_MAX_ENTRIES 8
#define RESERVE_MEM_NAME_SIZE 16

static const char *const mb_compats[] = { MEMBLOCK_COMPAT, NULL };
static const char *const mb_nodes[] = { "memblock", NULL };

static const char *const mb_checks[] = {
	"memblock.bad-fdt",
	"memblock.bad-compat",
	"memblock.too-many",
	"memblock.name-length",
	"memblock.duplicate-name",
	"memblock.prop-size",
	"memblock.size-zero",
	"memblock.size-not-page-multiple",
	"memblock.range-wraps",
	"memblock.overlap",
	"memblock.not-captured",
	NULL,
};

struct region {
	uint64_t start, size;
	const char *name;
	struct kho_obj *obj;
};

/* A string property equal to `want` (one string, NUL included). */
static int prop_is(const void *fdt, int node, const char *prop,
		   const char *want, const char **got)
{
	int len;
	const char *v = fdt_getprop(fdt, node, prop, &len);

	*got = NULL;
	if (!v || len <= 0 || v[len - 1] != '\0')
		return 0;
	*got = v;
	return strcmp(v, want) == 0 && (size_t)len == strlen(want) + 1;
}

static int cmp_region(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

static int mb_decode(struct kho_ctx *c, struct kho_obj *parent,
		     const struct kho_blob *blob)
{
	const uint64_t ps = kho_page_size(c);
	const char *name = blob->node_name ? blob->node_name : "memblock";
	struct region *regs = NULL;
	size_t nregs = 0, nchildren = 0, i, j;
	const void *fdt;
	const char *compat;
	uint64_t len;
	void *buf;
	struct kho_obj *o;
	int rc, node;

	o = kho_obj_new(c, parent, "memblock", name);
	if (!o)
		return KHO_ELIMIT;

	/* The sub-FDT lives in one page preserved as an order-0 block. */
	if (blob->phys)
		kho_expect_block(c, o, "memblock FDT", blob->phys, 0);

	/* A wild totalsize: check the whole page (the FDT's one page). */
	rc = subfdt_get(c, blob, ps, ps, &fdt, &len, &buf);
	if (rc) {
		if (blob->phys)
			kho_phys(c, o, blob->phys, blob->size);
		if (rc == KHO_ENOTCAPTURED || rc == KHO_ENOENT)
			kho_finding(c, o, KHO_SEV_WARNING,
				    "memblock.not-captured", blob->phys,
				    "memblock FDT at 0x%llx is not captured",
				    (unsigned long long)blob->phys);
		else if (rc == KHO_ERANGE)
			kho_finding(c, o, KHO_SEV_ERROR, "memblock.not-captured",
				    blob->phys,
				    "memblock FDT at 0x%llx lies outside physical memory",
				    (unsigned long long)blob->phys);
		return rc == KHO_ENOMEM ? rc : 0;
	}

	/* Validate the whole tree before trusting a single offset in it. */
	if (subfdt_validate(c, o, blob, fdt, len, "memblock.bad-fdt",
			    "memblock")) {
		free(buf);
		return 0;
	}
	if (blob->size && fdt_totalsize(fdt) > blob->size)
		kho_finding(c, o, KHO_SEV_ERROR, "memblock.bad-fdt", blob->phys,
			    "FDT totalsize %u exceeds blob-size %llu",
			    fdt_totalsize(fdt), (unsigned long long)blob->size);

	if (!prop_is(fdt, 0, "compatible", MEMBLOCK_COMPAT, &compat))
		kho_finding(c, o, KHO_SEV_ERROR, "memblock.bad-compat",
			    blob->phys,
			    "root compatible is \"%s\", expected \"" MEMBLOCK_COMPAT "\"",
			    compat ? compat : "(missing)");
	if (compat)
		kho_compat(c, o, compat);

	/* The FDT passed fdt_check_full, so the child count is bounded by
	 * its size: at most one region per 12 bytes of struct block. */
	fdt_for_each_subnode(node, fdt, 0)
		nchildren++;
	if (nchildren) {
		regs = calloc(nchildren, sizeof(*regs));
		if (!regs) {
			free(buf);
			return KHO_ENOMEM;
		}
	}
	if (nchildren > RESERVE_MEM_MAX_ENTRIES)
		kho_finding(c, o, KHO_SEV_ERROR, "memblock.too-many", blob->phys,
			    "%zu reserve_mem regions, more than RESERVE_MEM_MAX_ENTRIES %d",
			    nchildren, RESERVE_MEM_MAX_ENTRIES);

	fdt_for_each_subnode(node, fdt, 0) {
		const char *rname = fdt_get_name(fdt, node, NULL);
		const void *pstart, *psize;
		int lstart, lsize, ok = 1;
		size_t nlen = rname ? strlen(rname) : 0;
		uint64_t start = 0, size = 0;
		struct kho_obj *r;

		r = kho_obj_new(c, o, KHO_KIND_RESERVE_MEM, nlen ? rname : "(empty)");
		if (!r)
			break;
		if (nlen < 1 || nlen > RESERVE_MEM_NAME_SIZE - 1)
			kho_finding(c, r, KHO_SEV_ERROR, "memblock.name-length",
				    0,
				    "region name \"%s\" has %zu characters, allowed 1..%d",
				    rname ? rname : "", nlen,
				    RESERVE_MEM_NAME_SIZE - 1);
		for (i = 0; i < nregs; i++)
			if (regs[i].name && rname && !strcmp(regs[i].name, rname))
				break;
		if (i < nregs)
			kho_finding(c, r, KHO_SEV_ERROR,
				    "memblock.duplicate-name", 0,
				    "region name \"%s\" is used twice", rname);

		if (!prop_is(fdt, node, "compatible", RESERVE_MEM_COMPAT,
			     &compat))
			kho_finding(c, r, KHO_SEV_ERROR, "memblock.bad-compat",
				    0,
				    "region compatible is \"%s\", expected \"" RESERVE_MEM_COMPAT "\"",
				    compat ? compat : "(missing)");
		if (compat) {
			kho_compat(c, r, compat);
			kho_str(c, r, "compatible", compat);
		}

		pstart = fdt_getprop(fdt, node, "start", &lstart);
		psize = fdt_getprop(fdt, node, "size", &lsize);
		if (!pstart || lstart != 8) {
			kho_finding(c, r, KHO_SEV_ERROR, "memblock.prop-size", 0,
				    "property start is %s, expected 8 bytes",
				    pstart ? "of the wrong size" : "missing");
			ok = 0;
		} else {
			start = kho_get_u64(c, pstart);
			kho_hex(c, r, "start", start);
		}
		if (!psize || lsize != 8) {
			kho_finding(c, r, KHO_SEV_ERROR, "memblock.prop-size", 0,
				    "property size is %s, expected 8 bytes",
				    psize ? "of the wrong size" : "missing");
			ok = 0;
		} else {
			size = kho_get_u64(c, psize);
			kho_size(c, r, "size", size);
		}
		regs[nregs].name = rname;
		regs[nregs].obj = r;
		if (!ok) {
			nregs++;
			continue;
		}
		kho_phys(c, r, start, size);

		if (size == 0) {
			kho_finding(c, r, KHO_SEV_ERROR, "memblock.size-zero",
				    start, "region size is 0");
		} else if (start + size < start) {
			kho_finding(c, r, KHO_SEV_ERROR, "memblock.range-wraps",
				    start,
				    "region start 0x%llx + size 0x%llx wraps past 2^64",
				    (unsigned long long)start,
				    (unsigned long long)size);
		} else {
			uint64_t pstart_pg = start & ~(ps - 1);
			uint64_t npages_len = size & ~(ps - 1);

			if (size & (ps - 1))
				kho_finding(c, r, KHO_SEV_WARNING,
					    "memblock.size-not-page-multiple",
					    start,
					    "region size 0x%llx is not a multiple of PAGE_SIZE; the last 0x%llx bytes are not preserved",
					    (unsigned long long)size,
					    (unsigned long long)(size & (ps - 1)));
			/* Only whole pages from the page holding start. */
			if (npages_len)
				kho_expect_range(c, r, "reserve_mem region",
						 pstart_pg, npages_len);
			regs[nregs].start = start;
			regs[nregs].size = size;
		}
		nregs++;
	}

	/* Regions must be disjoint: sort by start, compare neighbours that
	 * may still reach (a small quadratic pass; at most a page of nodes). */
	if (nregs > 1) /* regs is NULL when the FDT has no regions */
		qsort(regs, nregs, sizeof(*regs), cmp_region);
	for (i = 0; i < nregs; i++) {
		if (!regs[i].size)
			continue;
		for (j = i + 1; j < nregs; j++) {
			if (!regs[j].size)
				continue;
			if (regs[j].start - regs[i].start >= regs[i].size)
				break;
			kho_finding(c, regs[j].obj, KHO_SEV_ERROR,
				    "memblock.overlap", regs[j].start,
				    "region %s [0x%llx, 0x%llx) overlaps region %s [0x%llx, 0x%llx)",
				    regs[j].name, (unsigned long long)regs[j].start,
				    (unsigned long long)(regs[j].start + regs[j].size),
				    regs[i].name, (unsigned long long)regs[i].start,
				    (unsigned long long)(regs[i].start + regs[i].size));
		}
	}
	kho_u64(c, o, "nr_regions", nchildren);

	free(regs);
	free(buf);
	return 0;
}

KHO_PLUGIN_DEFINE = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.name = "memblock",
	.description = "memblock reserve_mem regions (memblock-v1 sub-FDT)",
	.role = KHO_ROLE_BLOB,
	.compats = mb_compats,
	.node_names = mb_nodes,
	.checks = mb_checks,
	.decode = mb_decode,
};
