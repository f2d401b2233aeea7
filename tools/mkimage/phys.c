// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-mkimage: the builder's physical memory.
 *
 * Two bump allocators hand out naturally aligned blocks: "meta" (from
 * ram_base; structures that are captured in the image) and "data" (from
 * data_base; folio and range contents, normally not captured).  Neither ever
 * returns memory inside a scratch area or an explicitly placed range.
 * Captured memory is kept as regions (phys, len, buffer); preserved blocks as
 * one u64 each (phys | order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mk.h"

struct mk_ctx mk;

static struct mk_area *avoid;
static size_t navoid;

static void avoid_add(uint64_t a, uint64_t len)
{
	avoid = mk_realloc(avoid, (navoid + 1) * sizeof(*avoid));
	avoid[navoid++] = (struct mk_area){ a, len };
}

void mk_phys_init(struct mk_scn *s)
{
	mk.s = s;
	mk.ps = s->page_size;
	mk.shift = s->page_shift;
	mk.meta_cur = s->ram_base;
	mk.data_cur = s->data_base;
	for (size_t i = 0; i < s->nscratch; i++)
		avoid_add(s->scratch[i].addr, s->scratch[i].size);
	for (size_t i = 0; i < s->npres; i++) {
		uint64_t len = (s->pres_data.v[i] & 2) ? s->explicit_pres[i].size
						      : (uint64_t)mk.ps << s->explicit_pres[i].size;
		avoid_add(s->explicit_pres[i].addr, len);
	}
	for (size_t i = 0; i < s->nresmem; i++)
		if (!s->resmem[i].auto_start)
			avoid_add(s->resmem[i].start, s->resmem[i].size);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t place(uint64_t *cur, uint64_t size, uint64_t align)
{
	uint64_t pa = align_up(*cur, align);
	bool moved = true;

	while (moved) {
		moved = false;
		for (size_t i = 0; i < navoid; i++) {
			if (mk_overlap(pa, size, avoid[i].addr, avoid[i].size)) {
				pa = align_up(avoid[i].addr + avoid[i].size, align);
				moved = true;
			}
		}
	}
	*cur = pa + size;
	return pa;
}

static void check_meta(void)
{
	if (mk.meta_cur > mk.s->data_base)
		mk_fatal(2, "%s: metadata grew past data_base 0x%llx; raise data_base", mk.s->file,
			 (unsigned long long)mk.s->data_base);
}

void mk_capture(uint64_t phys, uint64_t len, uint8_t *buf)
{
	if (mk.nreg == mk.capreg) {
		mk.capreg = mk.capreg ? mk.capreg * 2 : 256;
		mk.reg = mk_realloc(mk.reg, mk.capreg * sizeof(*mk.reg));
	}
	if (mk.nreg && mk.reg[mk.nreg - 1].phys >= phys)
		mk.reg_sorted = false;
	mk.reg[mk.nreg++] = (struct mk_region){ phys, len, buf };
}

uint64_t mk_alloc(unsigned order, const char *name, uint8_t **buf)
{
	uint64_t size = (uint64_t)mk.ps << order;
	uint64_t pa = place(&mk.meta_cur, size, size);
	uint8_t *b = mk_calloc(1, size);

	check_meta();
	mk_capture(pa, size, b);
	if (name)
		mk_obj_add(name, pa, size, -1);
	if (buf)
		*buf = b;
	return pa;
}

uint64_t mk_alloc_preserve(uint64_t size, const char *name, uint8_t **buf)
{
	unsigned order = mk_get_order(size);
	uint64_t pa = mk_alloc(order, NULL, buf);

	mk_preserve(pa, order);
	if (name)
		mk_obj_add(name, pa, size, (int)order);
	return pa;
}

uint64_t mk_alloc_pages(uint64_t npages, unsigned align_order, uint8_t **buf)
{
	uint64_t size = npages << mk.shift;
	uint64_t pa = place(&mk.meta_cur, size, (uint64_t)mk.ps << align_order);
	uint8_t *b = mk_calloc(1, size);

	check_meta();
	mk_capture(pa, size, b);
	if (buf)
		*buf = b;
	return pa;
}

uint64_t mk_alloc_uncaptured_page(void)
{
	uint64_t pa = place(&mk.meta_cur, mk.ps, mk.ps);

	check_meta();
	return pa;
}

void mk_fill_data(uint64_t phys, uint8_t *buf, uint64_t len)
{
	for (uint64_t off = 0; off + 8 <= len; off += 8)
		mk_put64(buf + off, (phys + off) ^ mk.s->fill);
}

uint64_t mk_alloc_data(unsigned order, bool capture, uint8_t **buf)
{
	uint64_t size = (uint64_t)mk.ps << order;
	uint64_t pa = place(&mk.data_cur, size, size);

	if (capture) {
		uint8_t *b = mk_malloc(size);

		mk_fill_data(pa, b, size);
		mk_capture(pa, size, b);
		if (buf)
			*buf = b;
	}
	return pa;
}

static int reg_cmp(const void *a, const void *b)
{
	const struct mk_region *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

void mk_sort_regions(void)
{
	if (!mk.reg_sorted)
		qsort(mk.reg, mk.nreg, sizeof(*mk.reg), reg_cmp);
	mk.reg_sorted = true;
}

uint8_t *mk_phys_ptr(uint64_t phys, uint64_t len, bool create)
{
	size_t lo = 0, hi;

	mk_sort_regions();
	hi = mk.nreg;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (mk.reg[mid].phys + mk.reg[mid].len <= phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < mk.nreg && mk.reg[lo].phys <= phys) {
		struct mk_region *r = &mk.reg[lo];

		if (phys + len > r->phys + r->len)
			return NULL;
		return r->buf + (phys - r->phys);
	}
	if (!create)
		return NULL;
	/* capture the pages covering the range */
	uint64_t start = phys & ~((uint64_t)mk.ps - 1);
	uint64_t end = align_up(phys + len, mk.ps);
	if (lo < mk.nreg && mk.reg[lo].phys < end)
		return NULL;
	uint8_t *b = mk_calloc(1, end - start);
	mk_capture(start, end - start, b);
	return mk_phys_ptr(phys, len, false);
}

void mk_preserve(uint64_t phys, unsigned order)
{
	mk_u64v_push(&mk.blocks, phys | order);
}

void mk_preserve_range(uint64_t phys, uint64_t npages)
{
	uint64_t pfn = phys >> mk.shift;

	while (npages) {
		unsigned o = mk_ilog2(npages);

		if (pfn) {
			unsigned tz = (unsigned)__builtin_ctzll(pfn);

			if (tz < o)
				o = tz;
		}
		mk_preserve(pfn << mk.shift, o);
		pfn += (uint64_t)1 << o;
		npages -= (uint64_t)1 << o;
	}
}

void mk_unpreserve(uint64_t phys, unsigned order)
{
	size_t j = 0;

	for (size_t i = 0; i < mk.blocks.n; i++)
		if (mk.blocks.v[i] != (phys | order))
			mk.blocks.v[j++] = mk.blocks.v[i];
	mk.blocks.n = j;
}

void mk_obj_add(const char *name, uint64_t phys, uint64_t size, int order)
{
	if (mk.nobj == mk.capobj) {
		mk.capobj = mk.capobj ? mk.capobj * 2 : 256;
		mk.objs = mk_realloc(mk.objs, mk.capobj * sizeof(*mk.objs));
	}
	mk.objs[mk.nobj++] = (struct mk_obj){ mk_strdup(name), phys, size, order };
}

struct mk_obj *mk_obj_find(const char *name)
{
	for (size_t i = 0; i < mk.nobj; i++)
		if (!strcmp(mk.objs[i].name, name))
			return &mk.objs[i];
	return NULL;
}

struct mk_field *mk_field_add(const char *name, uint64_t phys, uint32_t size, unsigned flags)
{
	if (mk.nfield == mk.capfield) {
		mk.capfield = mk.capfield ? mk.capfield * 2 : 1024;
		mk.fields = mk_realloc(mk.fields, mk.capfield * sizeof(*mk.fields));
	}
	struct mk_field *f = &mk.fields[mk.nfield++];
	*f = (struct mk_field){ mk_strdup(name), phys, size, (uint8_t)flags, 0, 0 };
	return f;
}

struct mk_field *mk_field_find(const char *name)
{
	for (size_t i = 0; i < mk.nfield; i++)
		if (!strcmp(mk.fields[i].name, name))
			return &mk.fields[i];
	return NULL;
}
