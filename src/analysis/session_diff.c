// SPDX-License-Identifier: GPL-2.0-or-later
/* Differences between two decoded hand-over images. */
#include "session_diff.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat_check.h"
#include "decode/session.h"

const char *kho_diff_op_name(enum kho_diff_op op)
{
	switch (op) {
	case KHO_DIFF_ADDED:
		return "added";
	case KHO_DIFF_REMOVED:
		return "removed";
	case KHO_DIFF_CHANGED:
		return "changed";
	}
	return "?";
}

void kho_diff_free(struct kho_diff *d)
{
	size_t i, k;

	if (!d)
		return;
	for (i = 0; i < d->nobj; i++) {
		for (k = 0; k < d->obj[i].nch; k++) {
			free(d->obj[i].ch[k].field);
			free(d->obj[i].ch[k].a);
			free(d->obj[i].ch[k].b);
		}
		free(d->obj[i].ch);
		free(d->obj[i].path);
		free(d->obj[i].kind);
		free(d->obj[i].compat);
	}
	for (i = 0; i < d->ncompat; i++)
		free(d->compat[i].compat);
	for (i = 0; i < d->nbytes; i++)
		free(d->bytes[i].component);
	free(d->obj);
	free(d->compat);
	free(d->bytes);
	free(d);
}

/* Grow an array of `size`-byte elements to hold one more. */
static int more(void **v, size_t *n, size_t *cap, size_t size)
{
	void *p;
	size_t c;

	if (*n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	p = realloc(*v, c * size);
	if (!p)
		return KHO_ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

struct dctx {
	struct kho_diff *d;
	struct kho_ctx *a, *b;
	int nomem;
};

static int interesting(const struct kho_obj *o)
{
	if (o->depth == 1)
		return strcmp(o->kind, "unattributed") != 0;
	return !strcmp(o->kind, KHO_KIND_LUO_SESSION) || !strcmp(o->kind, KHO_KIND_LUO_FILE) ||
	       !strcmp(o->kind, KHO_KIND_LUO_FLB) || !strcmp(o->kind, KHO_KIND_RESERVE_MEM);
}

/* The payload of a file: its first child that is not a block chain. */
static const struct kho_obj *payload(const struct kho_obj *o)
{
	const struct kho_obj *ch;

	for (ch = o->first_child; ch; ch = ch->next_sibling)
		if (strcmp(ch->kind, "block-chain"))
			return ch;
	return NULL;
}

static const struct kho_field *fld(const struct kho_obj *o, const char *n)
{
	return o ? kho_obj_find_field(o, n) : NULL;
}

static uint64_t obj_files(const struct kho_obj *o)
{
	const struct kho_obj *ch;
	uint64_t n = 0;

	if (!strcmp(o->kind, KHO_KIND_LUO_FILE))
		return 1;
	for (ch = o->first_child; ch; ch = ch->next_sibling)
		n += obj_files(ch);
	return n;
}

/* Bytes carried: file sizes and reserve_mem sizes below o. */
static uint64_t obj_bytes(const struct kho_obj *o)
{
	const struct kho_obj *ch;
	const struct kho_field *f;
	uint64_t n = 0;

	if (!strcmp(o->kind, KHO_KIND_LUO_FILE)) {
		f = fld(payload(o), "size");
		return f ? f->u : 0;
	}
	if (!strcmp(o->kind, KHO_KIND_RESERVE_MEM)) {
		f = fld(o, "size");
		return f ? f->u : o->size;
	}
	for (ch = o->first_child; ch; ch = ch->next_sibling)
		n += obj_bytes(ch);
	return n;
}

static char *field_text(const struct kho_field *f)
{
	char *s = NULL;

	if (!f)
		return strdup("(none)");
	switch (f->type) {
	case KHO_F_STR:
		return strdup(f->s ? f->s : "");
	case KHO_F_HEX:
		if (asprintf(&s, "0x%" PRIx64, f->u) < 0)
			s = NULL;
		return s;
	case KHO_F_BOOL:
		return strdup(f->u ? "true" : "false");
	default:
		if (asprintf(&s, "%" PRIu64, f->u) < 0)
			s = NULL;
		return s;
	}
}

static struct kho_diff_obj *new_obj(struct dctx *x, enum kho_diff_op op,
				    const struct kho_obj *o)
{
	struct kho_diff *d = x->d;
	struct kho_diff_obj *e;

	if (more((void **)&d->obj, &d->nobj, &d->capobj, sizeof(*d->obj))) {
		x->nomem = 1;
		return NULL;
	}
	e = &d->obj[d->nobj];
	memset(e, 0, sizeof(*e));
	e->op = op;
	e->path = strdup(o->path ? o->path : "/");
	e->kind = strdup(o->kind);
	e->compat = o->compat ? strdup(o->compat) : NULL;
	if (!e->path || !e->kind || (o->compat && !e->compat)) {
		free(e->path);
		free(e->kind);
		free(e->compat);
		x->nomem = 1;
		return NULL;
	}
	e->files = obj_files(o);
	e->bytes = obj_bytes(o);
	d->nobj++;
	return e;
}

static void add_change(struct dctx *x, struct kho_diff_obj *e,
		       const char *field, char *a, char *b)
{
	struct kho_diff_change *c;
	size_t cap = e->nch;

	if (!a || !b || !strcmp(a, b)) {
		x->nomem |= !a || !b;
		free(a);
		free(b);
		return;
	}
	c = realloc(e->ch, (cap + 1) * sizeof(*c));
	if (!c) {
		free(a);
		free(b);
		x->nomem = 1;
		return;
	}
	e->ch = c;
	c[e->nch].field = strdup(field);
	c[e->nch].a = a;
	c[e->nch].b = b;
	if (!c[e->nch].field)
		x->nomem = 1;
	e->nch++;
}

static char *u64s(uint64_t v)
{
	char *s = NULL;

	if (asprintf(&s, "%" PRIu64, v) < 0)
		return NULL;
	return s;
}

/* Compare two matching objects; record a CHANGED entry when they differ. */
static void compare(struct dctx *x, const struct kho_obj *a,
		    const struct kho_obj *b)
{
	static const char *const file_fields[] = { "size", "nr_folios",
						   "seals", NULL };
	struct kho_diff_obj tmp, *e;
	const char *const *fn;

	memset(&tmp, 0, sizeof(tmp));
	e = &tmp;
	add_change(x, e, "kind", strdup(a->kind), strdup(b->kind));
	add_change(x, e, "compat", strdup(a->compat ? a->compat : "(none)"),
		   strdup(b->compat ? b->compat : "(none)"));
	if (!strcmp(a->kind, KHO_KIND_LUO_SESSION) || !strcmp(a->kind, KHO_KIND_LUO_FLB)) {
		add_change(x, e, "count", field_text(fld(a, "count")),
			   field_text(fld(b, "count")));
	} else if (!strcmp(a->kind, KHO_KIND_LUO_FILE)) {
		const struct kho_obj *pa = payload(a), *pb = payload(b);

		add_change(x, e, "payload", strdup(pa ? pa->kind : "(none)"),
			   strdup(pb ? pb->kind : "(none)"));
		for (fn = file_fields; *fn; fn++)
			if (fld(pa, *fn) || fld(pb, *fn))
				add_change(x, e, *fn, field_text(fld(pa, *fn)),
					   field_text(fld(pb, *fn)));
	} else if (!strcmp(a->kind, KHO_KIND_RESERVE_MEM)) {
		add_change(x, e, "start", field_text(fld(a, "start")),
			   field_text(fld(b, "start")));
		add_change(x, e, "size", field_text(fld(a, "size")),
			   field_text(fld(b, "size")));
	} else if (!strcmp(a->kind, "kexec-metadata")) {
		add_change(x, e, "version", field_text(fld(a, "version")),
			   field_text(fld(b, "version")));
	} else if (!strcmp(a->kind, "memblock")) {
		add_change(x, e, "nr_regions", field_text(fld(a, "nr_regions")),
			   field_text(fld(b, "nr_regions")));
	} else if (a->depth == 1 && strcmp(a->kind, "luo") &&
		   strcmp(a->kind, "memory-map")) {
		add_change(x, e, "size", u64s(a->size), u64s(b->size));
	}
	if (!tmp.nch)
		return;
	e = new_obj(x, KHO_DIFF_CHANGED, b);
	if (!e) {
		size_t k;

		for (k = 0; k < tmp.nch; k++) {
			free(tmp.ch[k].field);
			free(tmp.ch[k].a);
			free(tmp.ch[k].b);
		}
		free(tmp.ch);
		return;
	}
	e->ch = tmp.ch;
	e->nch = tmp.nch;
}

static void tally(struct kho_diff_tally *t, const struct kho_obj *o)
{
	if (!strcmp(o->kind, KHO_KIND_LUO_SESSION)) {
		t->sessions++;
	} else if (!strcmp(o->kind, KHO_KIND_LUO_FILE)) {
		t->files++;
		t->bytes += obj_bytes(o);
	}
}

/* Walk `from`; objects missing in `other` are `op`, others compared. */
static void walk(struct dctx *x, const struct kho_obj *o, struct kho_ctx *other,
		 enum kho_diff_op op)
{
	const struct kho_obj *ch, *m = NULL;

	if (x->nomem)
		return;
	if (interesting(o)) {
		m = kho_session_find_path(other, o->path);
		if (m && strcmp(m->kind, o->kind))
			m = NULL;
		if (!m) {
			new_obj(x, op, o);
			tally(op == KHO_DIFF_REMOVED ? &x->d->dropped
						     : &x->d->added, o);
			/* A session's files go (or come) with it. */
			if (!strcmp(o->kind, KHO_KIND_LUO_SESSION)) {
				for (ch = o->first_child; ch;
				     ch = ch->next_sibling)
					if (!strcmp(ch->kind, KHO_KIND_LUO_FILE))
						tally(op == KHO_DIFF_REMOVED
							      ? &x->d->dropped
							      : &x->d->added,
						      ch);
			}
			if (strcmp(o->kind, "luo"))
				return;
		} else if (op == KHO_DIFF_REMOVED) {
			compare(x, o, m);
			tally(&x->d->carried, m);
		}
	}
	for (ch = o->first_child; ch && !x->nomem; ch = ch->next_sibling)
		walk(x, ch, other, op);
}

static void diff_compat(struct dctx *x)
{
	struct kho_cc_report *ra = NULL, *rb = NULL;
	struct kho_diff *d = x->d;
	size_t i, k;
	int pass;

	if (kho_cc_collect(x->a, &ra) || kho_cc_collect(x->b, &rb)) {
		x->nomem = 1;
		goto out;
	}
	for (pass = 0; pass < 2; pass++) {
		struct kho_cc_report *from = pass ? rb : ra, *to = pass ? ra : rb;

		for (i = 0; i < from->n; i++) {
			const struct kho_cc_entry *e = &from->v[i];
			int found = 0;

			for (k = 0; k < to->n && !found; k++)
				found = to->v[k].role == e->role &&
					!strcmp(to->v[k].compat, e->compat);
			if (found)
				continue;
			if (more((void **)&d->compat, &d->ncompat,
				 &d->capcompat, sizeof(*d->compat))) {
				x->nomem = 1;
				goto out;
			}
			d->compat[d->ncompat].op =
				pass ? KHO_DIFF_ADDED : KHO_DIFF_REMOVED;
			d->compat[d->ncompat].role = kho_cc_role_name(e->role);
			d->compat[d->ncompat].compat = strdup(e->compat);
			if (!d->compat[d->ncompat].compat) {
				x->nomem = 1;
				goto out;
			}
			d->ncompat++;
		}
	}
out:
	kho_cc_free(ra);
	kho_cc_free(rb);
}

static void add_bytes(struct dctx *x, const char *name, int side, uint64_t v)
{
	struct kho_diff *d = x->d;
	size_t i;

	for (i = 0; i < d->nbytes; i++)
		if (!strcmp(d->bytes[i].component, name))
			break;
	if (i == d->nbytes) {
		if (more((void **)&d->bytes, &d->nbytes, &d->capbytes,
			 sizeof(*d->bytes))) {
			x->nomem = 1;
			return;
		}
		d->bytes[i].component = strdup(name);
		d->bytes[i].a = d->bytes[i].b = 0;
		if (!d->bytes[i].component) {
			x->nomem = 1;
			return;
		}
		d->nbytes++;
	}
	if (side)
		d->bytes[i].b += v;
	else
		d->bytes[i].a += v;
}

static void component_bytes(struct dctx *x, struct kho_ctx *c, int side)
{
	const struct kho_memmap_summary *mm = kho_session_memmap(c);
	const struct kho_obj *root = kho_session_root(c), *ch;

	add_bytes(x, "preserved (memory map)", side, mm->bytes);
	for (ch = root ? root->first_child : NULL; ch;
	     ch = ch->next_sibling) {
		if (!strcmp(ch->kind, "memory-map") ||
		    !strcmp(ch->kind, "unattributed"))
			continue;
		add_bytes(x, ch->name, side,
			  (ch->depth == 1 ? ch->size : 0) + obj_bytes(ch));
	}
	add_bytes(x, "unattributed", side, mm->unattributed_bytes);
}

int kho_session_diff(struct kho_ctx *a, struct kho_ctx *b,
		   struct kho_diff **out)
{
	struct kho_diff *d = calloc(1, sizeof(*d));
	struct dctx x = { d, a, b, 0 };
	struct kho_obj *ra = kho_session_root(a), *rb = kho_session_root(b);
	size_t i;

	*out = NULL;
	if (!d)
		return KHO_ENOMEM;
	if (ra && rb) {
		compare(&x, ra, rb);
		if (ra->first_child)
			for (const struct kho_obj *ch = ra->first_child;
			     ch; ch = ch->next_sibling)
				walk(&x, ch, b, KHO_DIFF_REMOVED);
		for (const struct kho_obj *ch = rb->first_child; ch;
		     ch = ch->next_sibling)
			walk(&x, ch, a, KHO_DIFF_ADDED);
	}
	diff_compat(&x);
	component_bytes(&x, a, 0);
	component_bytes(&x, b, 1);
	if (x.nomem) {
		kho_diff_free(d);
		return KHO_ENOMEM;
	}
	for (i = 0; i < d->nobj; i++) {
		if (d->obj[i].op == KHO_DIFF_ADDED)
			d->nadded++;
		else if (d->obj[i].op == KHO_DIFF_REMOVED)
			d->nremoved++;
		else
			d->nchanged++;
	}
	d->equal = d->nobj == 0 && d->ncompat == 0;
	for (i = 0; i < d->nbytes; i++)
		if (d->bytes[i].a != d->bytes[i].b)
			d->equal = 0;
	*out = d;
	return 0;
}
