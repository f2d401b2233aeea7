// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-mkimage: vmalloc preservation, memfd / guest_memfd / kvm file
 * payloads and raw blobs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mk.h"

static void reg_vm_fields(const char *prefix, uint64_t pa)
{
	char *n;

	n = mk_fmt("%s.first", prefix);
	mk_field_add(n, pa, 8, 0);
	free(n);
	n = mk_fmt("%s.total_pages", prefix);
	mk_field_add(n, pa + 8, 4, 0);
	free(n);
	n = mk_fmt("%s.flags", prefix);
	mk_field_add(n, pa + 12, 2, 0);
	free(n);
	n = mk_fmt("%s.order", prefix);
	mk_field_add(n, pa + 14, 2, 0);
	free(n);
}

void mk_vmalloc_layout(struct mk_vmalloc *vm, uint64_t total_pages, unsigned order,
		       uint16_t flags, const char *name)
{
	uint64_t per = mk.ps / 8 - 1, nruns, run = (uint64_t)1 << order;
	uint64_t prev_pa = 0;
	uint8_t *prev = NULL;
	char *n;

	memset(vm, 0, sizeof(*vm));
	if (!total_pages)
		return;
	if (total_pages > UINT32_MAX)
		mk_fatal(2, "%s: vmalloc area %s too large", mk.s->file, name);
	vm->total_pages = (uint32_t)total_pages;
	vm->flags = flags;
	vm->order = (uint16_t)order;
	nruns = (total_pages + run - 1) / run;
	vm->area_pa = mk_alloc_pages(nruns * run, order, &vm->area);
	n = mk_fmt("%s.area", name);
	mk_obj_add(n, vm->area_pa, total_pages << mk.shift, -1);
	free(n);
	for (uint64_t r = 0; r < nruns; r++)
		mk_preserve_range(vm->area_pa + ((r * run) << mk.shift), run);

	/* a full chunk is always followed by another (possibly empty) one */
	vm->nchunks = nruns / per + 1;
	for (uint64_t c = 0; c < vm->nchunks; c++) {
		uint8_t *b;
		uint64_t pa = mk_alloc(0, NULL, &b);
		struct mk_field *f;

		mk_preserve(pa, 0);
		n = mk_fmt("%s.chunk[%llu]", name, (unsigned long long)c);
		mk_obj_add(n, pa, mk.ps, 0);
		free(n);
		n = mk_fmt("%s.chunk[%llu].next", name, (unsigned long long)c);
		f = mk_field_add(n, pa, 8, MKF_NEXT);
		free(n);
		if (!c)
			vm->first = pa;
		f->aux = vm->first;
		f->owner = pa;
		if (prev)
			mk_put64(prev, pa);
		(void)prev_pa;
		prev = b;
		prev_pa = pa;
		for (uint64_t i = 0; i < per && c * per + i < nruns; i++)
			mk_put64(b + 8 + 8 * i, vm->area_pa + (((c * per + i) * run) << mk.shift));
	}
}

void mk_vmalloc_put(uint8_t *p, const struct mk_vmalloc *vm)
{
	mk_put64(p, vm->first);
	mk_put32(p + 8, vm->total_pages);
	mk_put16(p + 12, vm->flags);
	mk_put16(p + 14, vm->order);
}

/* lay out the folios of a memfd / guest_memfd: fills m->vm, m->nr_folios */
/*
 * The kernel declares the folio word as two bit-fields of one u64, pfn (52
 * bits) first, then flags (12 bits): include/linux/kho/abi/memfd.h, struct
 * memfd_luo_folio_ser, in 7.2.  The C standard leaves bit-field placement
 * to the ABI.  GCC on little-endian targets allocates the first bit-field
 * from the least significant bit, so the u64 is pfn | flags << 52; on
 * big-endian targets (s390x, ppc64, the psABIs GCC follows) it allocates
 * from the most significant bit, so the same declaration gives
 * pfn << 12 | flags.  Either word is then stored in the machine's byte
 * order, which mk_put64 does.  The memfd and kvm decoders read it the same
 * way.
 */
uint64_t mk_folio_word(uint64_t pfn, uint64_t flags)
{
	const uint64_t pm = (1ULL << 52) - 1, fm = (1ULL << 12) - 1;

	if (mk.s && mk.s->big_endian)
		return (pfn & pm) << 12 | (flags & fm);
	return (pfn & pm) | (flags & fm) << 52;
}

uint64_t mk_folio_pfn(uint64_t w)
{
	return mk.s && mk.s->big_endian ? w >> 12 : w & ((1ULL << 52) - 1);
}

uint64_t mk_folio_flags(uint64_t w)
{
	return mk.s && mk.s->big_endian ? w & ((1ULL << 12) - 1) : w >> 52;
}

static uint64_t layout_folios(struct mk_memfd *m, const char *name, unsigned dflt_flags)
{
	uint64_t nr = 0, cur = 0, end = 0, k = 0;

	for (size_t i = 0; i < m->nruns; i++)
		nr += m->runs[i].count;
	m->nr_folios = nr;
	if (!nr)
		return 0;
	char *vn = mk_fmt("%s.folios", name);
	mk_vmalloc_layout(&m->vm, (nr * 16 + mk.ps - 1) >> mk.shift, m->vm_order,
			  m->vm_flags, vn);
	free(vn);
	for (size_t i = 0; i < m->nruns; i++) {
		struct mk_folio_run *r = &m->runs[i];
		uint64_t step = (uint64_t)1 << r->order;
		uint64_t flags = r->flags == 0xff ? dflt_flags : r->flags;

		if (r->index != UINT64_MAX)
			cur = r->index;
		else
			cur = (cur + step - 1) & ~(step - 1);
		for (uint64_t j = 0; j < r->count; j++, k++) {
			uint64_t pa = mk_alloc_data(r->order, m->with_data, NULL);
			uint8_t *e = m->vm.area + 16 * k;

			mk_preserve(pa, r->order);
			mk_put64(e, mk_folio_word(pa >> mk.shift, flags));
			mk_put64(e + 8, cur);
			if (k == 0) {
				char *fn = mk_fmt("%s.folio[0]", name);
				mk_obj_add(fn, pa, (uint64_t)mk.ps << r->order, r->order);
				free(fn);
			}
			cur += step;
			if (cur > end)
				end = cur;
		}
	}
	return end;
}

static void reg(const char *prefix, const char *f, uint64_t pa, unsigned size, unsigned flags)
{
	char *n = mk_fmt("%s.%s", prefix, f);

	mk_field_add(n, pa, size, flags);
	free(n);
}

uint64_t mk_build_memfd(struct mk_memfd *m, const char *compat, const char *name)
{
	unsigned sz, o;
	uint64_t pa, end;
	uint8_t *b;

	if (m->layout < 0) {
		if (!strcmp(compat, "memfd-v1"))
			m->layout = MFD_V1;
		else if (!strcmp(compat, "memfd"))
			m->layout = MFD_FEAT;
		else
			m->layout = MFD_V2;
	}
	sz = m->layout == MFD_V1 ? 40 : m->layout == MFD_V2 ? 48 : 176;
	pa = mk_alloc_preserve(sz, name, &b);
	m->ser_pa = pa;
	m->name = mk_strdup(name);
	end = layout_folios(m, name, 3);
	if (!m->size_set)
		m->size = end << mk.shift;
	o = 0;
	if (m->layout == MFD_FEAT) {
		mk_put64(b, m->feat_supp);
		mk_put64(b + 8, m->feat_req);
		mk_put64(b + 16, m->feat_active);
		reg(name, "features.supp", pa, 8, 0);
		reg(name, "features.req", pa + 8, 8, 0);
		reg(name, "features.active", pa + 16, 8, 0);
		o = 128;
	}
	mk_put64(b + o, m->pos);
	mk_put64(b + o + 8, m->size);
	reg(name, "pos", pa + o, 8, 0);
	reg(name, "size", pa + o + 8, 8, 0);
	o += 16;
	if (m->layout != MFD_V1) {
		mk_put32(b + o, m->seals);
		mk_put32(b + o + 4, m->flags);
		reg(name, "seals", pa + o, 4, 0);
		reg(name, "flags", pa + o + 4, 4, 0);
		o += 8;
	}
	mk_put64(b + o, m->nr_folios);
	reg(name, "nr_folios", pa + o, 8, 0);
	mk_vmalloc_put(b + o + 8, &m->vm);
	char *vn = mk_fmt("%s.folios", name);
	reg_vm_fields(vn, pa + o + 8);
	free(vn);
	mk.memfds = mk_realloc(mk.memfds, (mk.nmemfds + 1) * sizeof(*mk.memfds));
	mk.memfds[mk.nmemfds++] = m;
	return pa;
}

uint64_t mk_build_gmem(struct mk_file *f, const char *name)
{
	struct mk_memfd *m = f->mfd;
	uint8_t *b;
	uint64_t pa, end;

	if (!m) {
		m = f->mfd = mk_calloc(1, sizeof(*m));
		m->vm_flags = 1;
	}
	pa = mk_alloc_preserve(48, name, &b);
	m->ser_pa = pa;
	m->name = mk_strdup(name);
	end = layout_folios(m, name, 1);
	if (!m->size_set)
		m->size = end << mk.shift;
	mk_put64(b, m->size);
	mk_put64(b + 8, m->flags);
	mk_put64(b + 16, m->nr_folios);
	mk_put64(b + 24, f->vm_token);
	mk_vmalloc_put(b + 32, &m->vm);
	reg(name, "size", pa, 8, 0);
	reg(name, "flags", pa + 8, 8, 0);
	reg(name, "nr_folios", pa + 16, 8, 0);
	reg(name, "vm_token", pa + 24, 8, 0);
	char *vn = mk_fmt("%s.folios", name);
	reg_vm_fields(vn, pa + 32);
	free(vn);
	mk.memfds = mk_realloc(mk.memfds, (mk.nmemfds + 1) * sizeof(*mk.memfds));
	mk.memfds[mk.nmemfds++] = m;
	return pa;
}

uint64_t mk_build_kvm(struct mk_file *f, const char *name)
{
	uint8_t *b;
	uint64_t pa = mk_alloc_preserve(32, name, &b);
	struct mk_vmalloc vm;
	char *vn = mk_fmt("%s.mem_attrs", name);

	mk_vmalloc_layout(&vm, (f->kvm_nattrs * 16 + mk.ps - 1) >> mk.shift, 0, 1, vn);
	for (uint64_t i = 0; i < f->kvm_nattrs; i++) {
		mk_put64(vm.area + 16 * i, i);		/* gfn */
		mk_put64(vm.area + 16 * i + 8, 1 << 3);	/* private */
	}
	mk_put64(b, f->kvm_type);
	mk_put64(b + 8, f->kvm_nattrs);
	mk_vmalloc_put(b + 16, &vm);
	reg(name, "type", pa, 8, 0);
	reg(name, "nr_mem_attrs", pa + 8, 8, 0);
	reg_vm_fields(vn, pa + 16);
	free(vn);
	return pa;
}

uint64_t mk_build_blob(const uint8_t *blob, size_t len, const char *name)
{
	uint8_t *b;
	uint64_t pa = mk_alloc_preserve(len ? len : 1, name, &b);

	memcpy(b, blob, len);
	return pa;
}

/* "PREFIX.folio[K].FIELD": kind 0 pfn, 1 flags, 2 index, 3 entry word 0 */
bool mk_memfd_folio_field(const char *target, uint64_t *phys, unsigned *kind,
			  const struct mk_src *src)
{
	const char *p = strstr(target, ".folio[");
	struct mk_memfd *m = NULL;
	unsigned long long k;
	char field[32];
	size_t plen;

	if (!p)
		return false;
	plen = (size_t)(p - target);
	if (sscanf(p, ".folio[%llu].%31s", &k, field) != 2)
		return false;
	if (plen == 5 && !strncmp(target, "memfd", 5)) {
		m = mk.nmemfds ? mk.memfds[0] : NULL;
	} else if (!strncmp(target, "memfd[", 6)) {
		unsigned long long i = strtoull(target + 6, NULL, 10);

		m = i < mk.nmemfds ? mk.memfds[i] : NULL;
	} else {
		for (size_t i = 0; i < mk.nmemfds; i++)
			if (strlen(mk.memfds[i]->name) == plen && !strncmp(mk.memfds[i]->name, target, plen))
				m = mk.memfds[i];
	}
	if (!m)
		mk_die(2, src, "break: no memfd named by '%.*s'", (int)plen, target);
	if (k >= m->nr_folios)
		mk_die(2, src, "break: folio index %llu out of range (memfd has %llu)", k,
		       (unsigned long long)m->nr_folios);
	*phys = m->vm.area_pa + 16 * k;
	if (!strcmp(field, "pfn"))
		*kind = 0;
	else if (!strcmp(field, "flags"))
		*kind = 1;
	else if (!strcmp(field, "index"))
		*kind = 2;
	else if (!strcmp(field, "raw"))
		*kind = 3;
	else
		mk_die(2, src, "break: folio field must be pfn, flags, index or raw");
	return true;
}
