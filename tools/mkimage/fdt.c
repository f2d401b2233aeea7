// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-mkimage: FDT builders (root KHO FDT, memblock, kho_test, extra nodes),
 * the kexec-metadata blob, and in-place FDT edits used by the break engine.
 * Every FDT is produced with libfdt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "mk.h"

const char *mk_gen_name(int gen)
{
	static const char *const n[] = { "g1a", "g1b", "g1c", "g2", "g2b", "g3", "g4", "rfc" };

	return n[gen];
}

const char *mk_root_compat(void)
{
	static const char *const c[] = { "kho-v1", "kho-v1", "kho-v1", "kho-v2", "kho-v2",
					 "kho-v3", "kho-v4", "kho-v4;radix-v1;vmalloc-v1" };

	return mk.s->root_compat ? mk.s->root_compat : c[mk.s->gen];
}

bool mk_gen_g1(void)
{
	return mk.s->gen <= GEN_G1C;
}

bool mk_gen_blobsize(void)
{
	return mk.s->gen >= GEN_G2B;
}

static void fdt_check(int err, const char *what)
{
	if (err < 0)
		mk_fatal(2, "%s: libfdt: %s: %s", mk.s->file, what, fdt_strerror(err));
}

static void prop_u64(void *fdt, const char *name, uint64_t v)
{
	uint8_t b[8];

	mk_put64(b, v);
	fdt_check(fdt_property(fdt, name, b, 8), name);
}

static void prop_u32(void *fdt, const char *name, uint64_t v)
{
	uint8_t b[4];

	mk_put32(b, v);
	fdt_check(fdt_property(fdt, name, b, 4), name);
}

static void sw_begin(void *fdt)
{
	fdt_check(fdt_create(fdt, (int)mk.ps), "fdt_create");
	fdt_check(fdt_finish_reservemap(fdt), "fdt_finish_reservemap");
	fdt_check(fdt_begin_node(fdt, ""), "root node");
}

static void sw_end(void *fdt)
{
	fdt_check(fdt_end_node(fdt), "end node");
	fdt_check(fdt_finish(fdt), "fdt_finish");
}

/* register the position of an FDT property value (for --layout) */
static void reg_prop(uint8_t *fdt, uint64_t pa, const char *path, const char *prop, const char *name)
{
	int off = fdt_path_offset(fdt, path), len;
	const void *v;

	if (off < 0)
		return;
	v = fdt_getprop(fdt, off, prop, &len);
	if (!v)
		return;
	mk_field_add(name, pa + (uint64_t)((const uint8_t *)v - fdt), (uint32_t)len, MKF_PROP);
}

/* ------------------------------------------------------------ root FDT */

static const char *sub_prop(void)
{
	return mk_gen_g1() ? "fdt" : "preserved-data";
}

void mk_build_root_begin(void)
{
	struct mk_scn *s = mk.s;
	bool pres = s->preserve_root < 0 ? true : s->preserve_root;

	mk.root_pa = mk_alloc(0, NULL, &mk.root);
	mk_obj_add("root_fdt", mk.root_pa, mk.ps, pres ? 0 : -1);
	if (pres)
		mk_preserve(mk.root_pa, 0);
	if (s->gen >= GEN_G1C) {
		/* created once at init, sub-trees added later */
		sw_begin(mk.root);
		fdt_check(fdt_property_string(mk.root, "compatible", mk_root_compat()), "compatible");
		prop_u64(mk.root, "preserved-memory-map", 0);
		sw_end(mk.root);
	}
}

void mk_root_add_node(const char *name, uint64_t phys, uint64_t size, uint8_t *buf)
{
	struct mk_rootnode *n;
	uint8_t b[8];
	int off;

	mk.nodes = mk_realloc(mk.nodes, (mk.nnodes + 1) * sizeof(*mk.nodes));
	n = &mk.nodes[mk.nnodes++];
	*n = (struct mk_rootnode){ mk_strdup(name), phys, size, buf };
	if (mk.s->gen < GEN_G1C)
		return;		/* built in one pass at "finalize" */
	fdt_check(fdt_open_into(mk.root, mk.root, (int)mk.ps), "fdt_open_into");
	off = fdt_add_subnode(mk.root, 0, name);
	fdt_check(off, name);
	mk_put64(b, phys);
	fdt_check(fdt_setprop(mk.root, off, sub_prop(), b, 8), sub_prop());
	if (mk_gen_blobsize()) {
		mk_put64(b, size);
		fdt_check(fdt_setprop(mk.root, off, "blob-size", b, 8), "blob-size");
	}
	fdt_check(fdt_pack(mk.root), "fdt_pack");
}

static void root_full_page(void)
{
	/* The kernel never packs its root FDT: totalsize is the page. */
	if (mk.s->root_full_page)
		fdt_check(fdt_open_into(mk.root, mk.root, (int)mk.ps), "fdt_open_into");
}

void mk_build_root_end(void)
{
	if (mk.s->gen >= GEN_G1C) {
		root_full_page();
		return;
	}
	sw_begin(mk.root);
	fdt_check(fdt_property_string(mk.root, "compatible", mk_root_compat()), "compatible");
	prop_u64(mk.root, "preserved-memory-map", 0);
	for (size_t i = 0; i < mk.nnodes; i++) {
		fdt_check(fdt_begin_node(mk.root, mk.nodes[i].name), mk.nodes[i].name);
		prop_u64(mk.root, "fdt", mk.nodes[i].phys);
		fdt_check(fdt_end_node(mk.root), "end node");
	}
	sw_end(mk.root);
	root_full_page();
}

void mk_root_set_map(uint64_t pa)
{
	uint8_t b[8];

	mk.map_pa = pa;
	mk_put64(b, pa);
	fdt_check(fdt_setprop_inplace(mk.root, 0, "preserved-memory-map", b, 8), "preserved-memory-map");
	reg_prop(mk.root, mk.root_pa, "/", "preserved-memory-map", "root.preserved-memory-map");
	reg_prop(mk.root, mk.root_pa, "/", "compatible", "root.compatible");
	for (size_t i = 0; i < mk.nnodes; i++) {
		char path[256], *nm;

		snprintf(path, sizeof(path), "/%s", mk.nodes[i].name);
		nm = mk_fmt("node:%s.%s", mk.nodes[i].name, sub_prop());
		reg_prop(mk.root, mk.root_pa, path, sub_prop(), nm);
		free(nm);
		if (mk_gen_blobsize()) {
			nm = mk_fmt("node:%s.blob-size", mk.nodes[i].name);
			reg_prop(mk.root, mk.root_pa, path, "blob-size", nm);
			free(nm);
		}
	}
}

/* ------------------------------------------------------------ memblock */

uint64_t mk_build_memblock(void)
{
	struct mk_scn *s = mk.s;
	uint8_t *fdt;
	uint64_t pa = mk_alloc_preserve(mk.ps, "memblock", &fdt);

	for (size_t i = 0; i < s->nresmem; i++) {
		struct mk_resmem *r = &s->resmem[i];
		uint64_t npages = r->size >> mk.shift;

		if (r->auto_start) {
			unsigned o = mk_get_order(r->size);
			uint64_t al = r->align > ((uint64_t)mk.ps << o) ? r->align : 0;

			if (al) {
				while (((uint64_t)mk.ps << o) < al)
					o++;
			}
			r->start = mk_alloc_data(o, s->memblock_data, NULL);
		} else if (s->memblock_data && npages) {
			uint8_t *b = mk_malloc(npages << mk.shift);

			mk_fill_data(r->start, b, npages << mk.shift);
			mk_capture(r->start, npages << mk.shift, b);
		}
		if (npages)
			mk_preserve_range(r->start, npages);
		char *nm = mk_fmt("memblock.region[%zu]", i);
		mk_obj_add(nm, r->start, r->size, -1);
		free(nm);
	}
	sw_begin(fdt);
	fdt_check(fdt_property_string(fdt, "compatible", "memblock-v1"), "compatible");
	for (size_t i = 0; i < s->nresmem; i++) {
		fdt_check(fdt_begin_node(fdt, s->resmem[i].name), s->resmem[i].name);
		fdt_check(fdt_property_string(fdt, "compatible", "reserve-mem-v1"), "compatible");
		prop_u64(fdt, "start", s->resmem[i].start);
		prop_u64(fdt, "size", s->resmem[i].size);
		fdt_check(fdt_end_node(fdt), "end node");
	}
	sw_end(fdt);
	for (size_t i = 0; i < s->nresmem; i++) {
		char path[80], *nm;

		snprintf(path, sizeof(path), "/%s", s->resmem[i].name);
		nm = mk_fmt("memblock.region[%zu].start", i);
		reg_prop(fdt, pa, path, "start", nm);
		free(nm);
		nm = mk_fmt("memblock.region[%zu].size", i);
		reg_prop(fdt, pa, path, "size", nm);
		free(nm);
	}
	mk.memblock_pa = pa;
	mk_root_add_node("memblock", pa, fdt_totalsize(fdt), fdt);
	return pa;
}

/* ------------------------------------------------------------ kho_test */

void mk_build_kho_test(void)
{
	struct mk_scn *s = mk.s;
	uint32_t n = s->kt_nr_folios;
	struct mk_vmalloc vm = { 0 };
	uint8_t *fdt, info[16];
	uint64_t pa = mk_alloc_preserve(mk.ps, "kho_test", &fdt);

	if (n) {
		uint64_t pages = ((uint64_t)n * 8 + mk.ps - 1) >> mk.shift;

		mk_vmalloc_layout(&vm, pages, 0, 1, "kho_test.folios_info");
		for (uint32_t i = 0; i < n; i++) {
			uint64_t f = mk_alloc_data(s->kt_order, false, NULL);

			mk_preserve(f, s->kt_order);
			mk_put64(vm.area + 8 * (uint64_t)i, f | s->kt_order);
			if (i == 0)
				mk_obj_add("kho_test.folio[0]", f, (uint64_t)mk.ps << s->kt_order,
					   (int)s->kt_order);
		}
	}
	mk_vmalloc_put(info, &vm);
	sw_begin(fdt);
	fdt_check(fdt_property_string(fdt, "compatible", "kho-test-v1"), "compatible");
	prop_u32(fdt, "magic", s->kt_magic);
	fdt_check(fdt_begin_node(fdt, "data"), "data");
	prop_u32(fdt, "nr_folios", n);
	fdt_check(fdt_property(fdt, "folios_info", info, 16), "folios_info");
	prop_u32(fdt, "csum", s->kt_csum);
	fdt_check(fdt_end_node(fdt), "end node");
	sw_end(fdt);
	reg_prop(fdt, pa, "/", "magic", "kho_test.magic");
	reg_prop(fdt, pa, "/data", "nr_folios", "kho_test.nr_folios");
	reg_prop(fdt, pa, "/data", "folios_info", "kho_test.folios_info");
	reg_prop(fdt, pa, "/data", "csum", "kho_test.csum");
	mk.kho_test_pa = pa;
	mk_root_add_node("kho_test", pa, fdt_totalsize(fdt), fdt);
}

/* ------------------------------------------------------- kexec-metadata */

void mk_build_kexec_md(void)
{
	struct mk_scn *s = mk.s;
	uint8_t *b;
	uint64_t pa = mk_alloc_preserve(73, "kexec-metadata", &b);
	const char *rel = s->md_release ? s->md_release : s->release;

	mk_put32(b, s->md_version);
	strncpy((char *)b + 4, rel, 64);
	mk_put32(b + 69, s->md_count);
	mk_field_add("kexec-metadata.version", pa, 4, 0);
	mk_field_add("kexec-metadata.previous_release", pa + 4, 65, MKF_STR);
	mk_field_add("kexec-metadata.kexec_count", pa + 69, 4, 0);
	mk_root_add_node("kexec-metadata", pa, 73, b);
}

/* -------------------------------------------------------- extra nodes */

void mk_build_extra_nodes(void)
{
	for (size_t i = 0; i < mk.s->nnodes; i++) {
		struct mk_extra_node *nd = &mk.s->nodes[i];
		uint64_t size = nd->bloblen, pa;
		uint8_t *b;
		char *nm = mk_fmt("node[%s]", nd->name);

		if (nd->fdt_compat) {
			pa = mk_alloc(0, NULL, &b);
			sw_begin(b);
			fdt_check(fdt_property_string(b, "compatible", nd->fdt_compat), "compatible");
			sw_end(b);
			size = fdt_totalsize(b);
		} else {
			pa = mk_alloc(mk_get_order(size ? size : 1), NULL, &b);
			memcpy(b, nd->blob, nd->bloblen);
		}
		if (nd->preserve)
			mk_preserve(pa, mk_get_order(size ? size : 1));
		mk_obj_add(nm, pa, size, nd->preserve ? (int)mk_get_order(size ? size : 1) : -1);
		free(nm);
		mk_root_add_node(nd->name, pa, nd->size_set ? nd->size_override : size, b);
	}
}

/* ------------------------------------------------------- edits (breaks) */

uint8_t *mk_fdt_buf(const char *objname, uint64_t *pa)
{
	struct mk_obj *o;
	uint8_t *b;

	if (!strcmp(objname, "root"))
		objname = "root_fdt";
	if (!strcmp(objname, "luo"))
		objname = "luo_fdt";
	o = mk_obj_find(objname);
	if (!o)
		return NULL;
	b = mk_phys_ptr(o->phys, mk.ps, false);
	if (pa)
		*pa = o->phys;
	return b;
}

int mk_fdt_edit(uint8_t *buf, const char *path, const char *prop, const char *value,
		const struct mk_src *src)
{
	uint8_t *tmp = mk_calloc(1, mk.ps);
	int err, off, len;
	const void *old;

	err = fdt_open_into(buf, tmp, (int)mk.ps);
	if (err < 0)
		mk_die(2, src, "cannot edit FDT: %s", fdt_strerror(err));
	off = fdt_path_offset(tmp, path);
	if (off < 0)
		mk_die(2, src, "FDT has no node '%s'", path);
	old = fdt_getprop(tmp, off, prop, &len);
	if (!strcmp(value, "delete")) {
		if (!old)
			mk_die(2, src, "node '%s' has no property '%s'", path, prop);
		err = fdt_delprop(tmp, off, prop);
	} else if (value[0] == '"') {
		char *s = mk_strdup(value + 1);
		size_t n = strlen(s);

		if (n && s[n - 1] == '"')
			s[n - 1] = 0;
		err = fdt_setprop_string(tmp, off, prop, s);
		free(s);
	} else if (!strncmp(value, "hex:", 4)) {
		size_t n;
		uint8_t *h = mk_parse_hex(value + 4, &n);

		if (!h)
			mk_die(2, src, "bad hex value");
		err = fdt_setprop(tmp, off, prop, h, (int)n);
		free(h);
	} else {
		uint64_t v;
		uint8_t b[8];
		unsigned sz = (old && len == 4) ? 4 : 8;

		if (!strncmp(value, "u32:", 4)) {
			sz = 4;
			value += 4;
		} else if (!strncmp(value, "u64:", 4)) {
			sz = 8;
			value += 4;
		}
		if (!mk_parse_u64(value, &v))
			mk_die(2, src, "bad value '%s' for an FDT property", value);
		mk_putn(b, sz, v);
		err = fdt_setprop(tmp, off, prop, b, (int)sz);
	}
	if (err < 0)
		mk_die(2, src, "FDT edit failed: %s", fdt_strerror(err));
	fdt_pack(tmp);
	memset(buf, 0, mk.ps);
	memcpy(buf, tmp, fdt_totalsize(tmp));
	free(tmp);
	return 0;
}
