// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-mkimage: the corruption ("break") engine.  Runs after layout and
 * applies break / poke / unpreserve / delete_prop directives in file order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "mk.h"

struct mk_elfbreak mk_eb;

struct loc {
	uint64_t phys;
	uint32_t size;
	unsigned flags;
	uint64_t aux, owner;
	int bits;		/* 0 whole field, 1 pfn bits 0..51, 2 flags bits 52..63 */
};

static const char *const fdt_hdr_fields[] = {
	"magic", "totalsize", "off_dt_struct", "off_dt_strings", "off_mem_rsvmap",
	"version", "last_comp_version", "boot_cpuid_phys", "size_dt_strings", "size_dt_struct",
};

static uint64_t owner_of(uint64_t phys)
{
	uint64_t best = 0, bsize = UINT64_MAX;

	for (size_t i = 0; i < mk.nobj; i++) {
		struct mk_obj *o = &mk.objs[i];

		if (phys >= o->phys && phys < o->phys + (o->size ? o->size : 1) && o->size < bsize) {
			best = o->phys;
			bsize = o->size;
		}
	}
	return best ? best : phys & ~((uint64_t)mk.ps - 1);
}

static bool is_fdt_obj(const char *obj)
{
	static const char *const known[] = { "root", "root_fdt", "memblock", "luo", "luo_fdt", "kho_test", "handoff_dtb" };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(obj, known[i]))
			return true;
	return !strncmp(obj, "node[", 5);
}

/* FDT header fields: OBJ.FIELD (big-endian u32) */
static bool fdt_hdr_field(const char *t, struct loc *l)
{
	const char *dot = strrchr(t, '.');

	if (!dot)
		return false;
	for (size_t i = 0; i < sizeof(fdt_hdr_fields) / sizeof(fdt_hdr_fields[0]); i++) {
		if (strcmp(dot + 1, fdt_hdr_fields[i]))
			continue;
		char *obj = mk_fmt("%.*s", (int)(dot - t), t);
		uint64_t pa;
		bool ok = is_fdt_obj(obj) && mk_fdt_buf(obj, &pa);

		free(obj);
		if (!ok)
			return false;
		l->phys = pa + 4 * i;
		l->size = 4;
		l->flags = MKF_BE;
		l->owner = pa;
		return true;
	}
	return false;
}

static bool resolve(const char *t, struct loc *l, const struct mk_src *src)
{
	struct mk_field *f;
	unsigned kind;

	memset(l, 0, sizeof(*l));
	if (mk_radix_entry(t, &l->phys, &l->owner, src)) {
		l->size = 8;
		return true;
	}
	if (mk_memfd_folio_field(t, &l->phys, &kind, src)) {
		l->size = 8;
		l->owner = owner_of(l->phys);
		if (kind == 0)
			l->bits = 1;
		else if (kind == 1)
			l->bits = 2;
		else if (kind == 2)
			l->phys += 8;
		return true;
	}
	f = mk_field_find(t);
	if (!f)
		return fdt_hdr_field(t, l);
	l->phys = f->phys;
	l->size = f->size;
	l->flags = f->flags;
	l->aux = f->aux;
	l->owner = f->owner ? f->owner : owner_of(f->phys);
	return true;
}

static uint8_t *loc_ptr(const struct loc *l, const struct mk_src *src)
{
	uint8_t *p = mk_phys_ptr(l->phys, l->size, true);

	if (!p)
		mk_die(2, src, "break: cannot address 0x%llx+%u in the image",
		       (unsigned long long)l->phys, l->size);
	return p;
}

static uint64_t loc_read(const struct loc *l, const struct mk_src *src)
{
	uint8_t *p = loc_ptr(l, src);
	uint64_t v;

	if (l->size != 1 && l->size != 2 && l->size != 4 && l->size != 8)
		mk_die(2, src, "break: field of %u bytes has no integer value", l->size);
	if (l->flags & MKF_BE) {
		v = 0;
		for (unsigned i = 0; i < l->size; i++)
			v = v << 8 | p[i];
	} else {
		v = mk_getn(p, l->size);
	}
	if (l->bits == 1)
		v = mk_folio_pfn(v);
	else if (l->bits == 2)
		v = mk_folio_flags(v);
	return v;
}

static void loc_write(const struct loc *l, uint64_t v, const struct mk_src *src)
{
	uint8_t *p = loc_ptr(l, src);

	if (l->size != 1 && l->size != 2 && l->size != 4 && l->size != 8)
		mk_die(2, src, "break: field of %u bytes needs a \"string\" or fill:BYTE value", l->size);
	if (l->bits) {
		uint64_t w = mk_getn(p, 8);

		v = l->bits == 1 ? mk_folio_word(v, mk_folio_flags(w))
				 : mk_folio_word(mk_folio_pfn(w), v);
	}
	if (l->flags & MKF_BE) {
		for (unsigned i = 0; i < l->size; i++)
			p[i] = (uint8_t)(v >> (8 * (l->size - 1 - i)));
	} else {
		mk_putn(p, l->size, v);
	}
}

/* numeric value of VALUE for a field at l (l may be NULL for FDT props) */
static uint64_t eval(const char *v, const struct loc *l, uint64_t cur, bool have_cur,
		     const struct mk_src *src)
{
	uint64_t x;

	if (mk_parse_u64(v, &x))
		return x;
	if (!strcmp(v, "unpreserved"))
		return mk_alloc_uncaptured_page();
	if (v[0] == '@') {
		struct mk_obj *o = mk_obj_find(v + 1);

		if (!o)
			mk_die(2, src, "break: no layout object '%s'", v + 1);
		return o->phys;
	}
	if (!strncmp(v, "copy:", 5)) {
		struct loc o;

		if (!resolve(v + 5, &o, src))
			mk_die(2, src, "break: unknown copy source '%s'", v + 5);
		return loc_read(&o, src);
	}
	if (!strncmp(v, "add:", 4) || !strncmp(v, "xor:", 4)) {
		if (!have_cur)
			mk_die(2, src, "break: '%s' needs an integer field", v);
		if (!mk_parse_u64(v + 4, &x))
			mk_die(2, src, "break: bad number in '%s'", v);
		return v[0] == 'a' ? cur + x : cur ^ x;
	}
	if (!strcmp(v, "cycle")) {
		if (!l || !(l->flags & MKF_NEXT))
			mk_die(2, src, "break: 'cycle' only applies to .next fields");
		return l->aux;
	}
	if (!strcmp(v, "overflow")) {
		if (!l || !(l->flags & MKF_COUNT))
			mk_die(2, src, "break: 'overflow' only applies to count fields");
		return l->aux + 1;
	}
	if (!strcmp(v, "self")) {
		if (!l)
			mk_die(2, src, "break: 'self' needs a memory field");
		return l->owner;
	}
	mk_die(2, src, "break: bad value '%s'", v);
}

static void break_field(const struct loc *l, const char *v, const struct mk_src *src)
{
	size_t n = strlen(v);

	if (v[0] == '"' && n >= 2 && v[n - 1] == '"') {
		uint8_t *p = loc_ptr(l, src);
		size_t sl = n - 2;

		memset(p, 0, l->size);
		memcpy(p, v + 1, sl < l->size ? sl : l->size);
		return;
	}
	if (!strncmp(v, "fill:", 5)) {
		uint64_t b;

		if (!mk_parse_u64(v + 5, &b))
			mk_die(2, src, "break: bad fill byte");
		memset(loc_ptr(l, src), (int)(b & 0xff), l->size);
		return;
	}
	if (!strncmp(v, "hex:", 4)) {
		size_t hl;
		uint8_t *h = mk_parse_hex(v + 4, &hl);

		if (!h || hl > l->size)
			mk_die(2, src, "break: bad hex value or longer than the field (%u bytes)", l->size);
		memcpy(loc_ptr(l, src), h, hl);
		free(h);
		return;
	}
	bool intf = l->size == 1 || l->size == 2 || l->size == 4 || l->size == 8;
	uint64_t cur = intf ? loc_read(l, src) : 0;

	loc_write(l, eval(v, l, cur, intf, src), src);
}

/* FDT property edit; NODE.PROP style targets */
static void fdt_prop_break(const char *obj, const char *path, const char *prop, const char *v,
			   const struct mk_src *src)
{
	uint8_t *buf = mk_fdt_buf(obj, NULL);
	char num[32];

	if (!buf)
		mk_die(2, src, "break: the image has no FDT '%s'", obj);
	if (strcmp(v, "delete") && v[0] != '"' && strncmp(v, "hex:", 4) && strncmp(v, "u32:", 4) &&
	    strncmp(v, "u64:", 4)) {
		int off = fdt_path_offset(buf, path), len = 0;
		const uint8_t *old = off >= 0 ? fdt_getprop(buf, off, prop, &len) : NULL;
		uint64_t cur = 0;
		bool have = old && (len == 8 || len == 4);

		if (have)
			cur = mk_getn(old, (unsigned)len);
		snprintf(num, sizeof(num), "0x%llx", (unsigned long long)eval(v, NULL, cur, have, src));
		v = num;
	}
	mk_fdt_edit(buf, path, prop, v, src);
}

static bool fdt_target(const char *t, const char *v, const struct mk_src *src)
{
	const char *dot = strrchr(t, '.');
	char path[256];
	unsigned long long n;
	char f[16];

	if (!strncmp(t, "node:", 5)) {
		if (!dot || dot < t + 5)
			mk_die(2, src, "break: expected node:NAME.PROP");
		snprintf(path, sizeof(path), "/%.*s", (int)(dot - t - 5), t + 5);
		fdt_prop_break("root", path, dot + 1, v, src);
		return true;
	}
	if (!strncmp(t, "root.", 5)) {
		fdt_prop_break("root", "/", t + 5, v, src);
		return true;
	}
	if (!strncmp(t, "fdt:", 4)) {
		const char *c = strchr(t + 4, ':');

		if (!c || !dot || dot < c)
			mk_die(2, src, "break: expected fdt:OBJECT:/PATH.PROP");
		char *obj = mk_fmt("%.*s", (int)(c - t - 4), t + 4);
		snprintf(path, sizeof(path), "%.*s", (int)(dot - c - 1), c + 1);
		fdt_prop_break(obj, path, dot + 1, v, src);
		free(obj);
		return true;
	}
	if (sscanf(t, "memblock.region[%llu].%15s", &n, f) == 2 && (!strcmp(f, "start") || !strcmp(f, "size"))) {
		if (n >= mk.s->nresmem)
			mk_die(2, src, "break: no memblock region %llu", n);
		snprintf(path, sizeof(path), "/%s", mk.s->resmem[n].name);
		fdt_prop_break("memblock", path, f, v, src);
		return true;
	}
	if (!strncmp(t, "luo.", 4) && mk.luo_fdt_pa) {
		static const struct { const char *k, *path; } m[] = {
			{ "liveupdate-number", "/" }, { "luo-abi-header", "/" },
			{ "luo-session-header", "/luo-session" }, { "luo-flb-header", "/luo-flb" },
		};
		for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
			if (!strcmp(t + 4, m[i].k)) {
				fdt_prop_break("luo", m[i].path, m[i].k, v, src);
				return true;
			}
	}
	return false;
}

static bool elf_target(const char *t, const char *v, const struct mk_src *src)
{
	uint64_t x = 0;
	bool b = false;
	int idx;
	char f[16];

	if (strncmp(t, "elf.", 4))
		return false;
	t += 4;
	if (!strcmp(t, "overlap") || !strcmp(t, "load_past_eof")) {
		if (!mk_parse_bool(v, &b))
			mk_die(2, src, "break: elf.%s takes yes or no", t);
		if (t[0] == 'o')
			mk_eb.overlap = b;
		else
			mk_eb.past_eof = b;
		return true;
	}
	if (!mk_parse_u64(v, &x))
		mk_die(2, src, "break: elf.%s needs a number", t);
	if (!strcmp(t, "truncate")) {
		mk_eb.truncate = x;
		mk_eb.truncate_set = true;
	} else if (!strcmp(t, "note.descsz")) {
		mk_eb.note_descsz = x;
		mk_eb.note_descsz_set = true;
	} else if (!strcmp(t, "note.namesz")) {
		mk_eb.note_namesz = x;
		mk_eb.note_namesz_set = true;
	} else if (!strcmp(t, "phnum")) {
		mk_eb.phnum = x;
		mk_eb.phnum_set = true;
	} else if (sscanf(t, "load[%d].%15s", &idx, f) == 2 && idx >= 0 && mk_eb.nlf < 32) {
		static const char *const fn[] = { "paddr", "offset", "filesz", "memsz", "type", "vaddr" };
		int k;

		for (k = 0; k < 6; k++)
			if (!strcmp(f, fn[k]))
				break;
		if (k == 6)
			mk_die(2, src, "break: elf.load[N] field must be paddr offset filesz memsz type vaddr");
		mk_eb.lf[mk_eb.nlf].idx = idx;
		mk_eb.lf[mk_eb.nlf].field = k;
		mk_eb.lf[mk_eb.nlf++].v = x;
	} else {
		mk_die(2, src, "break: unknown ELF target 'elf.%s'", t);
	}
	return true;
}

static void delete_prop(const struct mk_directive *d)
{
	const char *node = d->target;
	const char *c = strchr(node, ':');
	char path[256];

	if (c) {
		char *obj = mk_fmt("%.*s", (int)(c - node), node);
		uint8_t *buf = mk_fdt_buf(obj, NULL);

		if (!buf)
			mk_die(2, &d->src, "delete_prop: no FDT object '%s'", obj);
		mk_fdt_edit(buf, c + 1, d->value, "delete", &d->src);
		free(obj);
		return;
	}
	if (!strcmp(node, "/") || !strcmp(node, "root"))
		snprintf(path, sizeof(path), "/");
	else
		snprintf(path, sizeof(path), "/%s", node);
	mk_fdt_edit(mk.root, path, d->value, "delete", &d->src);
}

void mk_apply_unpreserve(void)
{
	for (size_t i = 0; i < mk.s->ndirs; i++) {
		struct mk_directive *d = &mk.s->dirs[i];
		size_t before = mk.blocks.n;

		if (d->kind != MKD_UNPRESERVE)
			continue;
		mk_unpreserve(d->a, (unsigned)d->b);
		if (mk.blocks.n == before)
			mk_warn(&d->src, "unpreserve: no block 0x%llx order %llu",
				(unsigned long long)d->a, (unsigned long long)d->b);
	}
}

static bool is_hdr_target(const struct mk_directive *d)
{
	const char *dot;

	if (d->kind != MKD_BREAK || !(dot = strrchr(d->target, '.')))
		return false;
	for (size_t i = 0; i < sizeof(fdt_hdr_fields) / sizeof(fdt_hdr_fields[0]); i++) {
		if (!strcmp(dot + 1, fdt_hdr_fields[i])) {
			char *obj = mk_fmt("%.*s", (int)(dot - d->target), d->target);
			bool r = is_fdt_obj(obj) && !mk_field_find(d->target);

			free(obj);
			return r;
		}
	}
	return false;
}

/* FDT header breaks run last, so that property edits still see a valid FDT */
void mk_apply_directives(void)
{
	for (size_t k = 0; k < 2 * mk.s->ndirs; k++) {
		size_t i = k % mk.s->ndirs;
		struct mk_directive *d = &mk.s->dirs[i];
		struct loc l;

		if (is_hdr_target(d) != (k >= mk.s->ndirs))
			continue;
		switch (d->kind) {
		case MKD_UNPRESERVE:
			break;
		case MKD_DELPROP:
			delete_prop(d);
			break;
		case MKD_POKE: {
			struct loc pl = { .phys = d->a, .size = (uint32_t)d->b };

			pl.owner = owner_of(d->a);
			break_field(&pl, d->value, &d->src);
			break;
		}
		case MKD_SCRIBBLE: {
			/* Every page the object touches, as reused memory would be. */
			struct mk_obj *o = mk_obj_find(d->target);
			uint64_t start, end;
			uint8_t *b;

			if (!o)
				mk_die(2, &d->src, "scribble: no layout object '%s' (see --layout)",
				       d->target);
			start = o->phys & ~((uint64_t)mk.ps - 1);
			end = (o->phys + (o->size ? o->size : 1) + mk.ps - 1) &
			      ~((uint64_t)mk.ps - 1);
			b = mk_phys_ptr(start, end - start, true);
			if (!b)
				mk_die(2, &d->src, "scribble: '%s' is not in captured memory",
				       d->target);
			memset(b, (int)d->a, end - start);
			break;
		}
		case MKD_BREAK:
			if (elf_target(d->target, d->value, &d->src))
				break;
			if (resolve(d->target, &l, &d->src) && !(l.flags & MKF_PROP)) {
				break_field(&l, d->value, &d->src);
				break;
			}
			if (fdt_target(d->target, d->value, &d->src))
				break;
			if (resolve(d->target, &l, &d->src)) {
				break_field(&l, d->value, &d->src);
				break;
			}
			mk_die(2, &d->src, "break: unknown target '%s' (see kho-mkimage(1), or --layout)",
			       d->target);
		}
	}
}
