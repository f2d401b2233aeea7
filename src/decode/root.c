// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The root KHO FDT: validate it (spec §11.2), identify the generation
 * (§0.1, §9.1), decode the memory map first and then every sub-node, each
 * through its plugin.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "session_internal.h"

/* A sub-blob larger than this is not mapped whole for the decoder. */
#define MAX_BLOB_MAP (16u << 20)
#define MAX_SUBNODES 4096

struct gen_info {
	const char *compat;
	const char *gen;
	int radix;       /* memory map is a radix tree */
	int prop_pd;     /* sub-nodes use preserved-data (else fdt) */
	int blob_size;   /* blob-size required */
};

static const struct gen_info gens[] = {
	{ "kho-v1", "G1", 0, 0, 0 },
	{ "kho-v2", "G2", 1, 1, 0 },
	{ "kho-v3", "G3", 1, 1, 1 },
	{ "kho-v4", "G4", 1, 1, 1 },
	{ "kho-v4;radix-v1;vmalloc-v1", "RFC", 1, 1, 1 },
};

static const struct gen_info *find_gen(const char *compat)
{
	size_t i;

	for (i = 0; i < sizeof(gens) / sizeof(gens[0]); i++)
		if (!strcmp(gens[i].compat, compat))
			return &gens[i];
	return NULL;
}

static uint64_t rd64(struct kho_ctx *c, const void *p)
{
	return kho_get_u64(c, p);
}

/*
 * An 8-byte native integer property: 1, 0 when absent, or KHO_ECORRUPT
 * (another length, in *len).
 */
static int prop_u64(struct kho_ctx *c, const void *fdt, int node,
		    const char *name, uint64_t *v, int *len)
{
	const void *p = fdt_getprop(fdt, node, name, len);

	if (!p)
		return 0;
	if (*len != 8)
		return KHO_ECORRUPT;
	*v = rd64(c, p);
	return 1;
}

struct root_walk {
	struct kho_ctx *c;
	const void *fdt;
	struct kho_obj *root;
	const struct gen_info *gi;
	uint64_t page;
	int any_blob_size, any_no_blob_size;
};

static void check_compat(struct root_walk *w, const char *compat)
{
	char why[256];

	if (!strchr(compat, ';'))
		return;
	if (kho_compat_check_order(compat, why, sizeof(why)))
		kho_report_nophys(w->c, w->root, KHO_SEV_ERROR,
				  "root.composite-order",
				  "root compatible \"%s\": %s", compat, why);
}

/* The page size is an image fact; the sub-blob size comes from the FDT. */
static void fill_blob_bytes(struct root_walk *w, struct kho_blob *b)
{
	struct kho_ctx *c = w->c;
	const struct kho_side_blob *side;
	const void *p;
	uint64_t want;

	side = kho_image_side_blob(c->img, b->node_name, b->phys);
	want = b->size ? b->size : w->page;
	if (want > MAX_BLOB_MAP)
		want = MAX_BLOB_MAP;
	if (side) {
		b->data = side->data;
		b->data_len = side->len;
	} else if (kho_image_map(c->img, b->phys, want, &p) == 0) {
		b->data = p;
		b->data_len = want;
	} else if (want > w->page &&
		   kho_image_map(c->img, b->phys, w->page, &p) == 0) {
		b->data = p;
		b->data_len = w->page;
	}
	/*
	 * libfdt and the decoders read the blob through struct pointers: a
	 * pointer that is not 8-byte aligned (a hostile preserved-data, or a
	 * PT_LOAD at an odd file offset) gets an aligned copy.
	 */
	if (b->data && ((uintptr_t)b->data & 7)) {
		void *q = kho_ctx_alloc(c, b->data_len);

		if (q)
			memcpy(q, b->data, b->data_len);
		else
			b->data_len = 0;
		b->data = q;
	}
}

/* The compat of a sub-blob that is an FDT, for dispatch. */
static const char *blob_fdt_compat(struct root_walk *w, struct kho_blob *b,
				   uint64_t *totalsize)
{
	const char *s;
	int len;

	*totalsize = 0;
	if (!b->data || b->data_len < sizeof(struct fdt_header))
		return NULL;
	if (fdt_magic(b->data) != FDT_MAGIC)
		return NULL;
	*totalsize = fdt_totalsize(b->data);
	if (fdt_totalsize(b->data) > b->data_len ||
	    fdt_check_header(b->data) != 0)
		return NULL;
	s = fdt_getprop(b->data, 0, "compatible", &len);
	if (!s || len <= 0 || s[len - 1] != '\0')
		return NULL;
	return kho_ctx_strdup(w->c, s);
}

static void walk_subnode(struct root_walk *w, int node, const char *name)
{
	struct kho_ctx *c = w->c;
	const void *fdt = w->fdt;
	struct kho_blob b = { .node_name = name };
	const char *ptrprop = w->gi->prop_pd ? "preserved-data" : "fdt";
	const char *wrongprop = w->gi->prop_pd ? "fdt" : "preserved-data";
	uint64_t v, bs = 0, tsize;
	int off, len, r, has_ptr = 0, has_bs = 0;

	/* Report unexpected properties: a half-built node hides here. */
	fdt_for_each_property_offset(off, fdt, node) {
		const char *pn;

		if (!fdt_getprop_by_offset(fdt, off, &pn, &len))
			continue;
		if (strcmp(pn, ptrprop) && strcmp(pn, "blob-size"))
			kho_report_nophys(c, w->root, KHO_SEV_WARNING,
					  "root.subnode-prop",
					  "sub-node \"%s\" has unexpected property \"%s\" for %s",
					  name, pn, c->root_compat);
	}
	if (fdt_first_subnode(fdt, node) >= 0)
		kho_report_nophys(c, w->root, KHO_SEV_ERROR, "root.nested",
				  "sub-node \"%s\" has child nodes; the root FDT only holds direct children",
				  name);

	r = prop_u64(c, fdt, node, ptrprop, &v, &len);
	if (r < 0) {
		kho_report_nophys(c, w->root, KHO_SEV_ERROR, "root.prop-size",
				  "sub-node \"%s\": property \"%s\" is %d bytes, expected 8",
				  name, ptrprop, len);
	} else if (r == 0) {
		if (fdt_getprop(fdt, node, wrongprop, &len))
			kho_report_nophys(c, w->root, KHO_SEV_ERROR,
					  "root.subnode-missing-prop",
					  "sub-node \"%s\" uses \"%s\", but %s sub-nodes carry \"%s\"",
					  name, wrongprop, c->root_compat, ptrprop);
		else
			kho_report_nophys(c, w->root, KHO_SEV_ERROR,
					  "root.subnode-missing-prop",
					  "sub-node \"%s\" has no \"%s\" property",
					  name, ptrprop);
	} else {
		has_ptr = 1;
		b.phys = v;
	}

	r = prop_u64(c, fdt, node, "blob-size", &bs, &len);
	if (r < 0) {
		kho_report_nophys(c, w->root, KHO_SEV_ERROR, "root.prop-size",
				  "sub-node \"%s\": property \"blob-size\" is %d bytes, expected 8",
				  name, len);
	} else if (r > 0) {
		has_bs = 1;
		w->any_blob_size = 1;
		if (!w->gi->prop_pd)
			kho_report_nophys(c, w->root, KHO_SEV_WARNING,
					  "root.subnode-prop",
					  "sub-node \"%s\" has \"blob-size\", which kho-v1 does not use",
					  name);
		else if (bs == 0)
			kho_report_nophys(c, w->root, KHO_SEV_ERROR,
					  "root.blob-size-zero",
					  "sub-node \"%s\": blob-size is 0", name);
	} else if (w->gi->prop_pd) {
		w->any_no_blob_size = 1;
		if (w->gi->blob_size)
			kho_report_nophys(c, w->root, KHO_SEV_ERROR,
					  "root.blob-size-missing",
					  "sub-node \"%s\" has no blob-size; a %s kernel rejects it with -EINVAL and its data is lost",
					  name, c->root_compat);
	}

	if (!has_ptr)
		return;
	if (v == 0) {
		kho_report_nophys(c, w->root, KHO_SEV_ERROR, "root.subnode-null",
				  "sub-node \"%s\": %s is 0", name, ptrprop);
		return;
	}
	if (v & (w->page - 1))
		kho_report(c, w->root, KHO_SEV_WARNING, "root.subnode-unaligned",
			   v, "sub-node \"%s\": %s 0x%llx is not page aligned",
			   name, ptrprop, (unsigned long long)v);
	/* A hostile blob-size must not make [phys, phys + size) wrap. */
	if (has_bs && v < KHO_PHYS_LIMIT && bs > KHO_PHYS_LIMIT - v)
		kho_report(c, w->root, KHO_SEV_ERROR, "root.blob-size-range", v,
			   "sub-node \"%s\": blob-size 0x%llx at 0x%llx runs past the physical-address limit%s",
			   name, (unsigned long long)bs, (unsigned long long)v,
			   bs - 1 > UINT64_MAX - v ? " and wraps past 2^64" : "");
	b.size = has_bs ? bs : 0;
	fill_blob_bytes(w, &b);
	b.compat = blob_fdt_compat(w, &b, &tsize);
	if (!w->gi->prop_pd) {
		/* G1 sub-blobs are FDTs and their size is the FDT's own. */
		if (!b.data)
			kho_report(c, w->root, KHO_SEV_WARNING,
				   "root.subnode-not-captured", v,
				   "sub-node \"%s\": sub-FDT at 0x%llx is not captured",
				   name, (unsigned long long)v);
		else if (tsize == 0)
			kho_report(c, w->root, KHO_SEV_ERROR,
				   "root.subnode-not-fdt", v,
				   "sub-node \"%s\": kho-v1 sub-blobs must be FDTs, but 0x%llx holds no FDT header",
				   name, (unsigned long long)v);
		else if (tsize > b.data_len)
			kho_report(c, w->root, KHO_SEV_ERROR,
				   "root.subnode-size", v,
				   "sub-node \"%s\": sub-FDT totalsize %llu exceeds the %llu bytes available",
				   name, (unsigned long long)tsize,
				   (unsigned long long)b.data_len);
		b.size = tsize;
	}
	/* The blob's own decoder reports on its own objects. */
	c->cq_subnode = NULL;
	kho_dispatch_blob(c, w->root, &b);
}

static void decode_memmap(struct root_walk *w, uint64_t map)
{
	struct kho_blob b = {
		.node_name = "preserved-memory-map",
		.compat = w->c->root_compat,
		.phys = map,
	};

	kho_dispatch_memmap(w->c, w->root, &b);
}

/*
 * An incoming image (taken in the kernel that booted from this handover):
 * the kernel walked the memory map once, early in boot, to reserve every
 * preserved block (linux 7.2.13 kexec_handover.c:kho_memory_init ->
 * kho_mem_retrieve).  The map's own nodes were never preserved
 * (kho_radix_add_page allocates them as plain pages), so once the page
 * allocator is up they are free memory and may hold anything.  What can
 * still be trusted is the root FDT itself (the kernel keeps it for
 * kho_retrieve_subtree) and its sub-node pointers; which blocks were
 * preserved cannot be read back, so no coverage is checked.
 */
static void note_memmap_consumed(struct root_walk *w, uint64_t map)
{
	kho_report(w->c, w->root, KHO_SEV_NOTE, "root.memmap-consumed", map,
		   "incoming image: the memory map at 0x%llx is not decoded: the running kernel walked it at boot to reserve the preserved blocks (linux 7.2.13 kexec_handover.c:kho_mem_retrieve) and its nodes were never preserved, so they may be reused memory; the root FDT and its sub-node pointers are still valid, block coverage cannot be checked",
		   (unsigned long long)map);
}

/*
 * kho-v1 covers three kernel generations with one string.  The bitmap size
 * (chosen by the memory-map plugin) separates v6.16/17 from later; the FDT
 * layout hints at v6.19, whose root is edited in place and packed.
 */
static const char *refine_g1(struct root_walk *w, const char **basis)
{
	struct kho_obj *ch;
	const struct kho_field *f;

	for (ch = w->root->first_child; ch; ch = ch->next_sibling) {
		if (strcmp(ch->kind, "memory-map"))
			continue;
		f = kho_obj_find_field(ch, KHO_FIELD_BITMAP_BYTES);
		if (f && f->u == 512) {
			*basis = "512-byte bitmaps (v6.16/v6.17)";
			return "G1a";
		}
	}
	if (fdt_off_mem_rsvmap(w->fdt) == 40) {
		*basis = "page-size bitmaps, root FDT edited in place (v6.19 era)";
		return "G1c";
	}
	*basis = "page-size bitmaps, root FDT built in one pass (v6.18)";
	return "G1b";
}

/*
 * debugfs out/fdt is a prefix of the root FDT by design (root_prefix.c):
 * a sound header whose structure block starts inside the file.  The
 * incoming in/fdt is shown whole, so a short one there is truncation.
 */
static int debugfs_prefix(struct kho_ctx *c, const void *fdt, uint64_t avail)
{
	if (c->img->format != KHO_INPUT_DEBUGFS ||
	    !strcmp(c->img->direction, "in"))
		return 0;
	if (fdt_version(fdt) < 16 || fdt_off_dt_struct(fdt) >= avail ||
	    fdt_off_mem_rsvmap(fdt) < sizeof(struct fdt_header) ||
	    fdt_off_dt_struct(fdt) < fdt_off_mem_rsvmap(fdt))
		return 0;
	return 1;
}

/*
 * 0: a whole FDT; 1: a debugfs prefix (root_prefix.c); KHO_ECORRUPT:
 * unusable.
 */
static int check_header(struct kho_ctx *c, struct kho_obj *root,
			const void *fdt, uint64_t avail, uint64_t page)
{
	uint32_t ts;
	int rc;

	if (avail < sizeof(struct fdt_header) || fdt_magic(fdt) != FDT_MAGIC) {
		kho_report_nophys(c, root, KHO_SEV_ERROR, "root.bad-magic",
				  "root FDT has no FDT magic (d00dfeed)");
		return KHO_ECORRUPT;
	}
	ts = fdt_totalsize(fdt);
	if (ts > page) {
		kho_report_nophys(c, root, KHO_SEV_ERROR, "root.too-large",
				  "root FDT totalsize %u exceeds the page size %llu; the next kernel only reads one page and rejects it",
				  ts, (unsigned long long)page);
		if (ts > avail)
			return KHO_ECORRUPT;
	}
	if (ts > avail && debugfs_prefix(c, fdt, avail))
		return 1;
	if (ts > avail) {
		kho_report_nophys(c, root, KHO_SEV_ERROR, "root.truncated",
				  "root FDT totalsize %u exceeds the %llu bytes available%s",
				  ts, (unsigned long long)avail,
				  c->img->format == KHO_INPUT_DEBUGFS ?
				  " (debugfs out/fdt is a truncated prefix once sub-nodes are added; capture from memory instead)" :
				  "");
		return KHO_ECORRUPT;
	}
	/*
	 * Checked before parsing: libfdt 1.6's fdt_check_full dereferences
	 * NULL on some pre-v16 trees (their layout differs).
	 */
	if (fdt_version(fdt) < 16) {
		kho_report_nophys(c, root, KHO_SEV_ERROR, "root.version",
				  "root FDT version %u is older than 16",
				  fdt_version(fdt));
		return KHO_ECORRUPT;
	}
	rc = fdt_check_full(fdt, ts);
	if (rc) {
		kho_report_nophys(c, root, KHO_SEV_ERROR, "root.invalid",
				  "root FDT is invalid: %s (the next kernel disables KHO revival)",
				  fdt_strerror(rc));
		return KHO_ECORRUPT;
	}
	if (fdt_num_mem_rsv(fdt) != 0)
		kho_report_nophys(c, root, KHO_SEV_WARNING, "root.memrsv",
				  "root FDT has %d memory reservation entries; KHO writes none",
				  fdt_num_mem_rsv(fdt));
	return 0;
}

static int check_scratch_overlap(struct kho_ctx *c, uint64_t phys,
				 uint64_t len, uint64_t *area)
{
	size_t i;

	for (i = 0; i < c->img->nscratch; i++) {
		uint64_t a = c->img->scratch[i].addr, s = c->img->scratch[i].size;

		if (phys < a + s && a < phys + len) {
			*area = a;
			return 1;
		}
	}
	return 0;
}

void kho_root_decode(struct kho_ctx *c)
{
	struct kho_image *img = c->img;
	struct root_walk w = { .c = c, .page = img->page_size };
	const char *compat, *basis = NULL, *list_known = NULL;
	uint64_t map = 0, area;
	int len, r, node, nsub = 0;
	struct kho_obj *root = c->root;
	const void *fdt;
	uint64_t avail;

	w.root = root;
	kho_obj_field(root, "page_size", KHO_F_SIZE, img->page_size, NULL);
	if (!img->fdt) {
		kho_report_nophys(c, root, img->fdt_uncaptured ?
				  KHO_SEV_UNKNOWN : KHO_SEV_ERROR, "root.missing",
				  "the image holds no root KHO FDT");
		return;
	}
	if (img->fdt_phys)
		kho_obj_set_phys(root, img->fdt_phys, img->page_size);
	fdt = img->fdt;
	avail = img->fdt_len;
	/*
	 * libfdt reads the header through struct pointers: a root FDT at an
	 * odd place in the file (a hostile PT_LOAD or note offset) is copied.
	 */
	if ((uintptr_t)fdt & 7) {
		void *copy;

		if (avail > MAX_BLOB_MAP)
			avail = MAX_BLOB_MAP;
		copy = kho_ctx_alloc(c, avail ? avail : 1);
		if (!copy)
			return;
		memcpy(copy, fdt, avail);
		fdt = copy;
	}
	r = check_header(c, root, fdt, avail, img->page_size);
	if (r == 1)
		kho_root_prefix_decode(c, root, fdt, avail);
	if (r)
		return;
	w.fdt = fdt;
	kho_obj_field(root, "totalsize", KHO_F_SIZE, fdt_totalsize(w.fdt), NULL);

	compat = fdt_getprop(w.fdt, 0, "compatible", &len);
	if (!compat || len <= 0 || compat[len - 1] != '\0') {
		kho_report_nophys(c, root, KHO_SEV_ERROR, "root.no-compatible",
				  "root FDT has no NUL-terminated compatible property");
		return;
	}
	if ((int)strlen(compat) + 1 != len) {
		/*
		 * The next kernel matches its own string anywhere in the list
		 * (fdt_node_check_compatible), so decode by the first entry
		 * that names a known generation.
		 */
		const char *s;

		for (s = compat; s < compat + len; s += strlen(s) + 1)
			if (find_gen(s))
				break;
		if (s < compat + len)
			list_known = s;
	}
	c->root_compat = kho_ctx_strdup(c, list_known ? list_known : compat);
	kho_obj_set_compat(root, list_known ? list_known : compat);
	/* Reported once the generation is known: it decides the consequence. */
	if ((int)strlen(compat) + 1 != len)
		kho_report_nophys(c, root, KHO_SEV_ERROR, "root.compat-list",
				  "root compatible is a string list; KHO writes exactly one string%s%s",
				  list_known ? "; decoded as " : "",
				  list_known ? list_known : "");
	if (list_known)
		compat = list_known;
	w.gi = find_gen(compat);
	check_compat(&w, compat);
	if (!w.gi) {
		kho_report_nophys(c, root, KHO_SEV_ERROR, "root.unknown-compat",
				  "root compatible \"%s\" is not a KHO version this inspector knows",
				  compat);
		c->generation = "unknown";
		return;
	}

	r = prop_u64(c, w.fdt, 0, "preserved-memory-map", &map, &len);
	if (r < 0) {
		kho_report_nophys(c, root, KHO_SEV_ERROR, "root.prop-size",
				  "preserved-memory-map is %d bytes, expected 8", len);
	} else if (r == 0) {
		kho_report_nophys(c, root, KHO_SEV_ERROR, "root.no-memmap",
				  "root FDT has no preserved-memory-map; the next kernel disables KHO revival");
	} else {
		kho_obj_field(root, "preserved-memory-map", KHO_F_HEX, map, NULL);
		if (map == 0 && w.gi->radix)
			kho_report_nophys(c, root, KHO_SEV_ERROR,
					  "root.memmap-zero",
					  "preserved-memory-map is 0; the next kernel disables KHO revival and every preserved page is lost");
		else if (map == 0)
			kho_report_nophys(c, root, KHO_SEV_NOTE,
					  "root.not-finalized",
					  "preserved-memory-map is 0: the state was never finalized, or nothing is preserved");
		else if (map & (img->page_size - 1))
			kho_report(c, root, KHO_SEV_ERROR, "root.memmap-unaligned",
				   map, "preserved-memory-map 0x%llx is not page aligned",
				   (unsigned long long)map);
	}

	if (img->fdt_phys &&
	    check_scratch_overlap(c, img->fdt_phys, img->page_size, &area))
		kho_report(c, root, KHO_SEV_ERROR, "root.in-scratch",
			   img->fdt_phys,
			   "root FDT page 0x%llx lies in the scratch area at 0x%llx",
			   (unsigned long long)img->fdt_phys,
			   (unsigned long long)area);

	if (map && !strcmp(img->direction, "in"))
		note_memmap_consumed(&w, map);
	else if (map)
		decode_memmap(&w, map);

	/* Invariant 8: the root page itself is preserved (order 0). */
	if (img->fdt_phys && map && c->mm_ops)
		kho_cov_expect_block(c, root, "the root FDT page", img->fdt_phys, 0);

	fdt_for_each_subnode(node, w.fdt, 0) {
		const char *name = fdt_get_name(w.fdt, node, &len);
		int prev;

		if (++nsub > MAX_SUBNODES) {
			kho_report_nophys(c, root, KHO_SEV_ERROR, "limit.subnodes",
					  "limit reached: more than %d sub-nodes",
					  MAX_SUBNODES);
			break;
		}
		if (!name || !name[0]) {
			kho_report_nophys(c, root, KHO_SEV_ERROR,
					  "root.subnode-name",
					  "a sub-node has an empty name");
			continue;
		}
		/* libfdt accepts duplicate names; the kernel never writes them. */
		fdt_for_each_subnode(prev, w.fdt, 0) {
			if (prev >= node)
				break;
			if (!strcmp(fdt_get_name(w.fdt, prev, NULL), name)) {
				kho_report_nophys(c, root, KHO_SEV_ERROR,
						  "root.subnode-duplicate",
						  "sub-node name \"%s\" appears twice; the kernel finds only the first",
						  name);
				break;
			}
		}
		c->cq_subnode = name;
		walk_subnode(&w, node, name);
		c->cq_subnode = NULL;
	}

	if (!w.gi->radix)
		c->generation = refine_g1(&w, &basis);
	else if (!strcmp(w.gi->gen, "G2") && w.any_blob_size)
		c->generation = "G2b";
	else
		c->generation = w.gi->gen;
	if (!strcmp(w.gi->gen, "G2") && w.any_blob_size && w.any_no_blob_size)
		kho_report_nophys(c, root, KHO_SEV_WARNING,
				  "root.blob-size-mixed",
				  "some kho-v2 sub-nodes carry blob-size and others do not");
	kho_obj_field(root, "generation", KHO_F_STR, 0, c->generation);
	if (basis)
		kho_obj_field(root, "generation_basis", KHO_F_STR, 0, basis);
}
