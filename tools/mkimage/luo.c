// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-mkimage: LUO writers for every format generation (luo-v1 FDT through
 * the raw luo_ser variants), sessions, files, FLBs and KHO block chains.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "mk.h"

#define SESSION_NAME_LEN 64
#define COMPAT_LEN 48

/* ------------------------------------------------------- block chains */

struct chain {
	size_t nblocks;
	uint64_t *pa;
	uint8_t **buf;
	unsigned cap, esz;
};

static uint64_t chain_build(struct chain *c, uint64_t n, unsigned esz, const char *prefix)
{
	memset(c, 0, sizeof(*c));
	c->esz = esz;
	c->cap = (mk.ps - 16) / esz;
	c->nblocks = (n + c->cap - 1) / c->cap;
	if (!c->nblocks)
		return 0;
	c->pa = mk_calloc(c->nblocks, sizeof(*c->pa));
	c->buf = mk_calloc(c->nblocks, sizeof(*c->buf));
	for (size_t i = 0; i < c->nblocks; i++) {
		char *nm = mk_fmt("%s.block[%zu]", prefix, i);
		uint64_t cnt = i + 1 < c->nblocks ? c->cap : n - (uint64_t)i * c->cap;
		struct mk_field *f;

		c->pa[i] = mk_alloc_preserve(mk.ps, nm, &c->buf[i]);
		free(nm);
		if (i)
			mk_put64(c->buf[i - 1], c->pa[i]);
		mk_put64(c->buf[i] + 8, cnt);
		nm = mk_fmt("%s.block[%zu].next", prefix, i);
		f = mk_field_add(nm, c->pa[i], 8, MKF_NEXT);
		f->aux = c->pa[0];
		f->owner = c->pa[i];
		free(nm);
		nm = mk_fmt("%s.block[%zu].count", prefix, i);
		f = mk_field_add(nm, c->pa[i] + 8, 8, MKF_COUNT);
		f->aux = c->cap;
		f->owner = c->pa[i];
		free(nm);
	}
	return c->pa[0];
}

static uint8_t *chain_entry(struct chain *c, uint64_t i, uint64_t *pa)
{
	size_t b = (size_t)(i / c->cap);
	uint64_t off = 16 + (i % c->cap) * c->esz;

	*pa = c->pa[b] + off;
	return c->buf[b] + off;
}

static void chain_free(struct chain *c)
{
	free(c->pa);
	free(c->buf);
}

/* --------------------------------------------------------------- files */

static uint64_t file_payload(struct mk_file *f, size_t si, size_t fi)
{
	char *nm;
	uint64_t pa = 0;

	if (f->kind == FK_AUTO) {
		if (!strncmp(f->compat, "memfd", 5))
			f->kind = FK_MEMFD;
		else if (!strcmp(f->compat, "guest_memfd_luo_v1"))
			f->kind = FK_GMEM;
		else if (!strcmp(f->compat, "kvm_vm_luo_v1"))
			f->kind = FK_KVM;
		else if (f->blob)
			f->kind = FK_BLOB;
		else if (f->mfd)
			f->kind = FK_MEMFD;
		else
			f->kind = FK_RAW;
	}
	switch (f->kind) {
	case FK_MEMFD:
		if (!f->mfd) {
			f->mfd = mk_calloc(1, sizeof(*f->mfd));
			f->mfd->layout = -1;
			f->mfd->vm_flags = 1;
			f->mfd->feat_supp = f->mfd->feat_req = f->mfd->feat_active = 3;
		}
		nm = mk_fmt("session[%zu].file[%zu].memfd", si, fi);
		pa = mk_build_memfd(f->mfd, f->compat, nm);
		break;
	case FK_GMEM:
		nm = mk_fmt("session[%zu].file[%zu].gmem", si, fi);
		pa = mk_build_gmem(f, nm);
		break;
	case FK_KVM:
		nm = mk_fmt("session[%zu].file[%zu].kvm", si, fi);
		pa = mk_build_kvm(f, nm);
		break;
	case FK_BLOB:
		nm = mk_fmt("session[%zu].file[%zu].blob", si, fi);
		pa = mk_build_blob(f->blob, f->bloblen, nm);
		break;
	default:
		return f->data;
	}
	free(nm);
	return f->data_set ? f->data : pa;
}

static void put_str(uint8_t *p, const char *s, size_t n)
{
	size_t l = strlen(s);

	memset(p, 0, n);
	memcpy(p, s, l < n ? l : n);
}

static void write_file(uint8_t *e, uint64_t pa, struct mk_file *f, uint64_t data, size_t si, size_t fi)
{
	char *nm;

	put_str(e, f->compat, COMPAT_LEN);
	mk_put64(e + 48, data);
	mk_put64(e + 56, f->token);
	f->pa = pa;
	nm = mk_fmt("session[%zu].file[%zu].compatible", si, fi);
	mk_field_add(nm, pa, COMPAT_LEN, MKF_STR);
	free(nm);
	nm = mk_fmt("session[%zu].file[%zu].data", si, fi);
	mk_field_add(nm, pa + 48, 8, 0);
	free(nm);
	nm = mk_fmt("session[%zu].file[%zu].token", si, fi);
	mk_field_add(nm, pa + 56, 8, 0);
	free(nm);
}

/* lays out the files of session si; returns the files pointer */
static uint64_t build_files(struct mk_session *se, size_t si, bool chains, bool write)
{
	uint64_t *data = mk_calloc(se->nfiles, sizeof(uint64_t));
	uint64_t head = 0;
	char *nm = mk_fmt("session[%zu].files", si);

	for (size_t i = 0; i < se->nfiles; i++)
		data[i] = file_payload(&se->files[i], si, i);
	if (!se->nfiles) {
		free(nm);
		free(data);
		return 0;
	}
	if (chains) {
		struct chain c;

		if (write) {
			head = chain_build(&c, se->nfiles, 64, nm);
			for (size_t i = 0; i < se->nfiles; i++) {
				uint64_t pa;
				uint8_t *e = chain_entry(&c, i, &pa);

				write_file(e, pa, &se->files[i], data[i], si, i);
			}
			chain_free(&c);
		}
	} else {
		uint8_t *b;

		if (se->nfiles > 8192 / 64)
			mk_die(2, &se->src, "session '%s': %zu files do not fit the 8 KiB file array (max 128)",
			       se->name, se->nfiles);
		head = mk_alloc_preserve(8192, nm, &b);
		if (write)
			for (size_t i = 0; i < se->nfiles; i++)
				write_file(b + 64 * i, head + 64 * i, &se->files[i], data[i], si, i);
	}
	free(nm);
	free(data);
	return write ? head : 0;
}

static void write_session(uint8_t *e, uint64_t pa, struct mk_session *se, size_t si, bool v2)
{
	char *nm;

	put_str(e, se->name, SESSION_NAME_LEN);
	se->pa = pa;
	nm = mk_fmt("session[%zu].name", si);
	mk_field_add(nm, pa, SESSION_NAME_LEN, MKF_STR);
	free(nm);
	if (!v2)
		return;
	mk_put64(e + 64, se->files_pa);
	mk_put64(e + 72, se->files_pa ? se->nfiles : 0);
	nm = mk_fmt("session[%zu].files", si);
	mk_field_add(nm, pa + 64, 8, 0);
	free(nm);
	nm = mk_fmt("session[%zu].count", si);
	mk_field_add(nm, pa + 72, 8, MKF_COUNT)->aux = 128;
	free(nm);
}

/* ----------------------------------------------------------------- FLB */

static uint64_t build_flb(struct mk_luo *l)
{
	uint8_t *b;
	uint64_t pa = mk_alloc_preserve(mk.ps, "luo.flb", &b);
	uint64_t cap = (mk.ps - 16) / 64;

	if (l->nflbs > cap)
		mk_die(2, &l->src, "%zu FLBs do not fit one page (max %llu)", l->nflbs,
		       (unsigned long long)cap);
	mk_put64(b, 1);
	mk_put64(b + 8, l->serialized ? l->nflbs : 0);
	mk_field_add("luo.flb.pgcnt", pa, 8, 0);
	mk_field_add("luo.flb.count", pa + 8, 8, MKF_COUNT)->aux = cap;
	for (size_t i = 0; i < l->nflbs; i++) {
		struct mk_flb *f = &l->flbs[i];
		uint8_t *e = b + 16 + 64 * i;
		uint64_t epa = pa + 16 + 64 * i;
		char *nm;

		if (f->pci_devices >= 0) {
			uint64_t max = f->pci_devices > 8 ? (uint64_t)f->pci_devices : 8;
			uint8_t *p;

			nm = mk_fmt("flb[%zu].pci", i);
			f->data = mk_alloc_preserve(8 + 8 * max, nm, &p);
			free(nm);
			mk_put32(p, max);
			mk_put32(p + 4, (uint64_t)f->pci_devices);
			for (long d = 0; d < f->pci_devices; d++) {
				mk_put32(p + 8 + 8 * d, 0);		/* domain */
				mk_put16(p + 12 + 8 * d, (uint64_t)(d + 1) << 3); /* bus 0, dev d+1 */
				mk_put16(p + 14 + 8 * d, 1);		/* refcount */
			}
		}
		if (!l->serialized)
			continue;
		put_str(e, f->name, 48);
		mk_put64(e + 48, f->data);
		mk_put64(e + 56, f->count);
		nm = mk_fmt("flb[%zu].name", i);
		mk_field_add(nm, epa, 48, MKF_STR);
		free(nm);
		nm = mk_fmt("flb[%zu].data", i);
		mk_field_add(nm, epa + 48, 8, 0);
		free(nm);
		nm = mk_fmt("flb[%zu].count", i);
		mk_field_add(nm, epa + 56, 8, 0);
		free(nm);
	}
	return pa;
}

/* ----------------------------------------------- 64 KiB session block */

static uint64_t build_session_block(struct mk_luo *l, bool v2, bool skip_if_empty)
{
	unsigned esz = v2 ? 80 : 64;
	uint64_t max = (65536 - 8) / esz, pa;
	uint8_t *b;

	if (l->nsessions > max)
		mk_die(2, &l->src, "%zu sessions do not fit the 64 KiB session block (max %llu)",
		       l->nsessions, (unsigned long long)max);
	for (size_t i = 0; i < l->nsessions; i++)
		if (v2)
			l->sessions[i].files_pa = build_files(&l->sessions[i], i, false, l->serialized);
	if (skip_if_empty && (!l->nsessions || !l->serialized))
		return 0;
	pa = mk_alloc_preserve(65536, "luo.sessions", &b);
	mk_field_add("luo.sessions.count", pa, 8, MKF_COUNT)->aux = max;
	if (!l->serialized)
		return pa;
	mk_put64(b, l->nsessions);
	for (size_t i = 0; i < l->nsessions; i++)
		write_session(b + 8 + esz * i, pa + 8 + esz * i, &l->sessions[i], i, v2);
	return pa;
}

static uint64_t build_session_chain(struct mk_luo *l, bool file_chains)
{
	struct chain c;
	uint64_t head;

	for (size_t i = 0; i < l->nsessions; i++)
		l->sessions[i].files_pa = build_files(&l->sessions[i], i, file_chains, l->serialized);
	if (!l->serialized)
		return 0;
	head = chain_build(&c, l->nsessions, 80, "luo.sessions");
	for (size_t i = 0; i < l->nsessions; i++) {
		uint64_t pa;
		uint8_t *e = chain_entry(&c, i, &pa);

		write_session(e, pa, &l->sessions[i], i, true);
	}
	chain_free(&c);
	return head;
}

/* ---------------------------------------------------------------- LUO */

static void fdt_ok(int err, const char *what)
{
	if (err < 0)
		mk_fatal(2, "%s: libfdt: %s: %s", mk.s->file, what, fdt_strerror(err));
}

static void fprop_u64(void *fdt, const char *name, uint64_t v)
{
	uint8_t b[8];

	mk_put64(b, v);
	fdt_ok(fdt_property(fdt, name, b, 8), name);
}

static void reg_fdt_prop(uint8_t *fdt, uint64_t pa, const char *path, const char *prop, const char *name)
{
	int off = fdt_path_offset(fdt, path), len;
	const uint8_t *v;

	if (off < 0)
		return;
	v = fdt_getprop(fdt, off, prop, &len);
	if (v)
		mk_field_add(name, pa + (uint64_t)(v - fdt), (uint32_t)len, MKF_PROP);
}

static void build_luo_fdt(struct mk_luo *l)
{
	uint8_t *fdt;
	uint64_t pa = mk_alloc_preserve(mk.ps, "luo_fdt", &fdt);
	uint64_t sess = 0, flb = 0, ser = 0;
	uint8_t *serb = NULL;
	bool flbnode = l->flb_node < 0 ? l->nflbs > 0 : l->flb_node;

	if (l->ver == LUO_V1) {
		sess = build_session_block(l, l->session_ver == 2, false);
		if (flbnode)
			flb = build_flb(l);
	} else {
		ser = mk_alloc_preserve(24, "luo_ser", &serb);
		sess = build_session_block(l, true, false);
		flb = build_flb(l);
		mk_put64(serb, l->num);
		mk_put64(serb + 8, sess);
		mk_put64(serb + 16, flb);
		mk_field_add("luo_ser.liveupdate_num", ser, 8, 0);
		mk_field_add("luo_ser.sessions_pa", ser + 8, 8, 0);
		mk_field_add("luo_ser.flbs_pa", ser + 16, 8, 0);
	}
	fdt_ok(fdt_create(fdt, (int)mk.ps), "fdt_create");
	fdt_ok(fdt_finish_reservemap(fdt), "reservemap");
	fdt_ok(fdt_begin_node(fdt, ""), "root");
	fdt_ok(fdt_property_string(fdt, "compatible",
				   l->compat ? l->compat : l->ver == LUO_V1 ? "luo-v1" : "luo-v2"),
	       "compatible");
	if (l->ver == LUO_V1) {
		fprop_u64(fdt, "liveupdate-number", l->num);
		fdt_ok(fdt_begin_node(fdt, "luo-session"), "luo-session");
		fdt_ok(fdt_property_string(fdt, "compatible",
					   l->session_ver == 1 ? "luo-session-v1" : "luo-session-v2"),
		       "compatible");
		fprop_u64(fdt, "luo-session-header", sess);
		fdt_ok(fdt_end_node(fdt), "end");
		if (flbnode) {
			fdt_ok(fdt_begin_node(fdt, "luo-flb"), "luo-flb");
			fdt_ok(fdt_property_string(fdt, "compatible", "luo-flb-v1"), "compatible");
			fprop_u64(fdt, "luo-flb-header", flb);
			fdt_ok(fdt_end_node(fdt), "end");
		}
	} else {
		fprop_u64(fdt, "luo-abi-header", ser);
	}
	fdt_ok(fdt_end_node(fdt), "end");
	fdt_ok(fdt_finish(fdt), "fdt_finish");
	reg_fdt_prop(fdt, pa, "/", "liveupdate-number", "luo.liveupdate-number");
	reg_fdt_prop(fdt, pa, "/luo-session", "luo-session-header", "luo.luo-session-header");
	reg_fdt_prop(fdt, pa, "/luo-flb", "luo-flb-header", "luo.luo-flb-header");
	reg_fdt_prop(fdt, pa, "/", "luo-abi-header", "luo.luo-abi-header");
	mk.luo_fdt_pa = pa;
	mk_root_add_node("LUO", pa, fdt_totalsize(fdt), fdt);
}

static void build_luo_raw(struct mk_luo *l)
{
	static const char *const def[] = { [LUO_V3] = "luo-v3", [LUO_V4] = "luo-v4",
					   [LUO_V5] = "luo-v5", [LUO_RFC] = "luo-v5;block-v1" };
	unsigned clen = l->ver == LUO_RFC ? 16 : l->ver == LUO_FEAT ? 0 : 8;
	unsigned hdr = l->ver == LUO_FEAT ? 128 : clen;
	unsigned size = hdr + 24;
	uint8_t *b;
	uint64_t pa = mk_alloc_preserve(size, "luo_ser", &b);
	uint64_t sess, flb;

	if (l->ver == LUO_V3)
		sess = build_session_block(l, true, true);
	else
		sess = build_session_chain(l, l->ver != LUO_V4);
	flb = build_flb(l);
	if (clen) {
		put_str(b, l->compat ? l->compat : def[l->ver], clen);
		mk_field_add("luo_ser.compatible", pa, clen, MKF_STR);
	} else {
		mk_put64(b, l->supp);
		mk_put64(b + 8, l->req);
		mk_put64(b + 16, l->active);
		mk_field_add("luo_ser.features.supp", pa, 8, 0);
		mk_field_add("luo_ser.features.req", pa + 8, 8, 0);
		mk_field_add("luo_ser.features.active", pa + 16, 8, 0);
	}
	mk_put64(b + hdr, l->num);
	mk_put64(b + hdr + 8, l->serialized ? sess : 0);
	mk_put64(b + hdr + 16, flb);
	mk_field_add("luo_ser.liveupdate_num", pa + hdr, 8, 0);
	mk_field_add("luo_ser.sessions_pa", pa + hdr + 8, 8, 0);
	mk_field_add("luo_ser.flbs_pa", pa + hdr + 16, 8, 0);
	mk_root_add_node("LUO", pa, size, b);
}

void mk_build_luo(void)
{
	struct mk_luo *l = &mk.s->luo;

	for (size_t i = 0; i < l->nsessions; i++) {
		if (strlen(l->sessions[i].name) >= SESSION_NAME_LEN)
			mk_die(2, &l->sessions[i].src, "session name longer than 63 bytes");
		for (size_t j = 0; j < i && l->nsessions < 64; j++)
			if (!strcmp(l->sessions[i].name, l->sessions[j].name))
				mk_warn(&l->sessions[i].src, "duplicate session name '%s'",
					l->sessions[i].name);
	}
	if (l->ver == LUO_V1 || l->ver == LUO_V2)
		build_luo_fdt(l);
	else
		build_luo_raw(l);
}
