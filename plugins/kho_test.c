// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho_test decoder: the sub-FDT written by the KHO test module
 * (kho-abi.md §2.4, kho-field-notes.md §2.1).
 *
 *   /compatible        "kho-test-v1"
 *   /magic             u32: 0x4b484f21 "KHO!" (node kho_test) or
 *                      0x4b484f30 + N "KHO0".."KHO3" (node kho_testN)
 *   /data/nr_folios    u32 number of folios
 *   /data/folios_info  16-byte struct kho_vmalloc: an array of nr_folios
 *                      u64 entries, each `folio phys | folio order`
 *   /data/csum         u32 checksum of the folio contents
 *
 * Each folio must be preserved as exactly one block of its order.  The
 * checksum is shown, not verified: its unfolded 32-bit value depends on the
 * architecture's csum_partial.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "kho/plugin.h"

#include "common/subfdt.h"

#define KHO_TEST_COMPAT "kho-test-v1"
#define KHO_TEST_MAGIC 0x4b484f21u   /* "KHO!" */
#define KHO_TEST_MAGIC_N 0x4b484f30u /* "KHO0" + N */
/* The test FDT's folio is small; refuse to read a wild totalsize. */
#define KHO_TEST_MAX_FDT (4u << 20)

static const char *const kt_compats[] = { KHO_TEST_COMPAT, NULL };
static const char *const kt_nodes[] = {
	"kho_test", "kho_test0", "kho_test1", "kho_test2", "kho_test3", NULL,
};

static const char *const kt_checks[] = {
	"kho-test.bad-fdt",
	"kho-test.bad-compat",
	"kho-test.magic",
	"kho-test.prop-size",
	"kho-test.nr-folios",
	"kho-test.bad-folio",
	"kho-test.folio-order",
	"kho-test.not-captured",
	"kho-test.consumed",
	NULL,
};

static int kt_incoming(struct kho_ctx *c)
{
	const char *d = kho_ops(c)->option ? kho_ops(c)->option(c, "direction")
					    : NULL;

	return d && !strcmp(d, "in");
}

/* The folios table reads entries straight from the vmalloc'd array. */
struct folios_table {
	const uint64_t *runs;
	uint64_t run_size;
	uint64_t nr_runs;
	uint64_t page_mask;
};

static int entry_at(struct kho_ctx *c, const struct folios_table *t,
		    uint64_t i, uint64_t *v)
{
	uint64_t off = i * 8, r = off / t->run_size;

	if (r >= t->nr_runs)
		return KHO_ERANGE;
	return kho_read_u64(c, t->runs[r] + off % t->run_size, v);
}

static int folios_row(struct kho_ctx *c, void *state, uint64_t i,
		      uint64_t *vals)
{
	const struct folios_table *t = state;
	uint64_t e;
	int rc = entry_at(c, t, i, &e);

	if (rc)
		return rc;
	vals[0] = i;
	vals[1] = e & ~t->page_mask;
	vals[2] = e & t->page_mask;
	return 0;
}

/* Fetch a fixed-size property, reporting a missing or wrong-sized one. */
static const uint8_t *prop_n(struct kho_ctx *c, struct kho_obj *o,
			     const void *fdt, int node, const char *path,
			     const char *prop, int want)
{
	int len;
	const uint8_t *v = fdt_getprop(fdt, node, prop, &len);

	if (v && len == want)
		return v;
	if (v)
		kho_finding(c, o, KHO_SEV_ERROR, "kho-test.prop-size", 0,
			    "property %s%s is %d bytes, expected %d", path,
			    prop, len, want);
	else
		kho_finding(c, o, KHO_SEV_ERROR, "kho-test.prop-size", 0,
			    "property %s%s is missing", path, prop);
	return NULL;
}

/* The magic expected for this node name; 0 when the name says nothing. */
static uint32_t magic_for(const char *node)
{
	if (!node)
		return 0;
	if (!strcmp(node, "kho_test"))
		return KHO_TEST_MAGIC;
	if (!strncmp(node, "kho_test", 8) && node[8] >= '0' && node[8] <= '3' &&
	    node[9] == '\0')
		return KHO_TEST_MAGIC_N + (uint32_t)(node[8] - '0');
	return 0;
}

static void check_folios(struct kho_ctx *c, struct kho_obj *o,
			 struct folios_table *t, uint64_t n)
{
	const uint64_t ps = t->page_mask + 1;
	int have_map = 1;
	uint64_t i;

	for (i = 0; i < n; i++) {
		uint64_t e, phys;
		unsigned int order, found;
		int rc = entry_at(c, t, i, &e);

		if (rc) {
			kho_finding(c, o, KHO_SEV_WARNING,
				    "kho-test.not-captured", 0,
				    "folios_info entry %llu is not captured",
				    (unsigned long long)i);
			return;
		}
		phys = e & ~t->page_mask;
		order = (unsigned int)(e & t->page_mask);
		if (phys == 0 || order >= 64 || ((ps << order) >> order) != ps ||
		    (phys & ((ps << order) - 1))) {
			kho_finding(c, o, KHO_SEV_ERROR, "kho-test.bad-folio",
				    phys,
				    "folio %llu entry 0x%llx: phys 0x%llx is zero or not aligned to order %u",
				    (unsigned long long)i,
				    (unsigned long long)e,
				    (unsigned long long)phys, order);
			continue;
		}
		if (!have_map)
			continue;
		/* Ask the map first so that a wrong order gets one finding
		 * that names both orders, and the block is still attributed. */
		rc = kho_ops(c)->block_at(c, phys, &found);
		if (rc == KHO_ENOTCAPTURED) {
			have_map = 0;
			continue;
		}
		if (rc == 0 && found != order) {
			kho_finding(c, o, KHO_SEV_ERROR, "kho-test.folio-order",
				    phys,
				    "folio %llu at 0x%llx is order %u in folios_info but preserved as order %u",
				    (unsigned long long)i,
				    (unsigned long long)phys, order, found);
			kho_expect_block(c, o, "kho_test folio", phys, found);
			continue;
		}
		kho_expect_block(c, o, "kho_test folio", phys, order);
	}
}

static int kt_decode(struct kho_ctx *c, struct kho_obj *parent,
		     const struct kho_blob *blob)
{
	static const struct kho_col cols[] = {
		{ "index", KHO_COL_DEC },
		{ "phys", KHO_COL_HEX },
		{ "order", KHO_COL_DEC },
	};
	const uint64_t ps = kho_page_size(c);
	const char *name = blob->node_name ? blob->node_name : "kho_test";
	const uint8_t *pm, *pn, *pv, *pc;
	const char *compat;
	struct kho_vmalloc_area area;
	struct folios_table *t;
	struct kho_obj *o;
	const void *fdt;
	uint64_t len, desc_phys = 0, cap_entries, nr_folios;
	uint32_t magic, want;
	unsigned int order;
	void *buf;
	int rc, data, clen;

	o = kho_obj_new(c, parent, "kho-test", name);
	if (!o)
		return KHO_ELIMIT;

	/* A wild totalsize: check only the header, not up to 4 MiB. */
	rc = subfdt_get(c, blob, KHO_TEST_MAX_FDT, SUBFDT_HDR_LEN, &fdt, &len,
			&buf);
	if (rc) {
		if (blob->phys)
			kho_phys(c, o, blob->phys, blob->size);
		if (rc == KHO_ENOMEM)
			return rc;
		kho_finding(c, o, rc == KHO_ERANGE ? KHO_SEV_ERROR :
			    KHO_SEV_WARNING, "kho-test.not-captured",
			    blob->phys, "kho_test FDT at 0x%llx is %s",
			    (unsigned long long)blob->phys,
			    rc == KHO_ERANGE ? "outside physical memory" :
			    "not captured");
		return 0;
	}

	/* The FDT sits in a folio whose order grows with nr_folios; take
	 * the order the map has and attribute that block. */
	if (blob->phys) {
		rc = kho_ops(c)->block_at(c, blob->phys, &order);
		kho_expect_block(c, o, "kho_test FDT", blob->phys,
				 rc == 0 ? order : 0);
	}

	if (subfdt_validate(c, o, blob, fdt, len, "kho-test.bad-fdt",
			    "kho_test")) {
		free(buf);
		return 0;
	}

	compat = fdt_getprop(fdt, 0, "compatible", &clen);
	if (compat && (clen <= 0 || compat[clen - 1] != '\0'))
		compat = NULL;
	if (!compat || strcmp(compat, KHO_TEST_COMPAT))
		kho_finding(c, o, KHO_SEV_ERROR, "kho-test.bad-compat",
			    blob->phys,
			    "root compatible is \"%s\", expected \"" KHO_TEST_COMPAT "\"",
			    compat ? compat : "(missing)");
	if (compat)
		kho_compat(c, o, compat);

	pm = prop_n(c, o, fdt, 0, "/", "magic", 4);
	if (pm) {
		magic = kho_get_u32(c, pm);
		kho_hex(c, o, "magic", magic);
		want = magic_for(blob->node_name);
		if (want ? magic != want :
		    magic != KHO_TEST_MAGIC &&
		    (magic < KHO_TEST_MAGIC_N || magic > KHO_TEST_MAGIC_N + 3))
			kho_finding(c, o, KHO_SEV_ERROR, "kho-test.magic",
				    blob->phys,
				    "magic 0x%08x, expected 0x%08x for node %s",
				    magic, want ? want : KHO_TEST_MAGIC, name);
	}

	data = fdt_subnode_offset(fdt, 0, "data");
	if (data < 0) {
		kho_finding(c, o, KHO_SEV_ERROR, "kho-test.prop-size",
			    blob->phys, "node /data is missing");
		free(buf);
		return 0;
	}
	pn = prop_n(c, o, fdt, data, "/data/", "nr_folios", 4);
	pv = prop_n(c, o, fdt, data, "/data/", "folios_info", 16);
	pc = prop_n(c, o, fdt, data, "/data/", "csum", 4);
	nr_folios = pn ? kho_get_u32(c, pn) : 0;
	if (pn)
		kho_u64(c, o, "nr_folios", nr_folios);
	if (pc)
		kho_hex(c, o, "csum", kho_get_u32(c, pc));
	if (!pv) {
		free(buf);
		return 0;
	}

	/*
	 * In the incoming kernel the test module restored the folios_info
	 * array and every folio at boot, checked the checksum and freed them
	 * (linux 7.2.13 lib/test_kho.c:kho_test_restore_data); only this FDT
	 * stays.  Their pages may hold anything now: not decoded.
	 */
	if (kt_incoming(c)) {
		kho_str(c, o, "folios", "consumed");
		kho_finding(c, o, KHO_SEV_NOTE, "kho-test.consumed", blob->phys,
			    "incoming image: the test module restored folios_info and its %llu folio%s at boot and freed them (linux 7.2.13 lib/test_kho.c:kho_test_restore_data); that memory may be reused, so it is not decoded",
			    (unsigned long long)nr_folios,
			    nr_folios == 1 ? "" : "s");
		free(buf);
		return 0;
	}

	/* The descriptor's own address (blob->data, when set, is a copy of
	 * the bytes at blob->phys, so the offset is the same). */
	if (blob->phys)
		desc_phys = blob->phys +
			    (uint64_t)((const uint8_t *)pv - (const uint8_t *)fdt);
	rc = kho_vmalloc(c, o, "folios_info", desc_phys, pv, &area);
	free(buf); /* pv points into it; not needed past this point */
	if (rc)
		return rc == KHO_ENOMEM ? rc : 0;

	/* nr_folios u64 entries must fit in the area. */
	if (nr_folios * 8 > (uint64_t)area.total_pages * ps)
		kho_finding(c, o, KHO_SEV_ERROR, "kho-test.nr-folios",
			    desc_phys,
			    "nr_folios %llu needs %llu bytes but folios_info has total_pages %u",
			    (unsigned long long)nr_folios,
			    (unsigned long long)nr_folios * 8,
			    (unsigned int)area.total_pages);
	if (!area.nr_runs || area.order > 31)
		return 0;

	t = kho_ops(c)->alloc(c, sizeof(*t));
	if (!t)
		return KHO_ENOMEM;
	t->runs = area.runs;
	t->run_size = ps << area.order;
	t->nr_runs = area.nr_runs;
	t->page_mask = ps - 1;
	cap_entries = area.nr_runs * (t->run_size / 8);
	if (nr_folios > cap_entries)
		nr_folios = cap_entries; /* read only what the runs hold */
	check_folios(c, o, t, nr_folios);
	if (nr_folios)
		kho_ops(c)->obj_table(o, "folios", cols, 3, nr_folios,
				      folios_row, t, NULL);
	return 0;
}

KHO_PLUGIN_DEFINE = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.name = "kho-test",
	.description = "the KHO test module's kho_test sub-FDT",
	.role = KHO_ROLE_BLOB,
	.compats = kt_compats,
	.node_names = kt_nodes,
	.checks = kt_checks,
	.decode = kt_decode,
};
