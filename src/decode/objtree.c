// SPDX-License-Identifier: GPL-2.0-or-later
/* The object tree: what decoders found, as front ends will show it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session_internal.h"

/*
 * Path components come from image bytes, so anything that would make a path
 * ambiguous or unprintable is replaced.
 */
static void sanitize_component(char *s)
{
	for (; *s; s++)
		if (*s == '/' || (unsigned char)*s < 0x20 ||
		    (unsigned char)*s >= 0x7f)
			*s = '?';
}

/* FNV-1a: field names are short ASCII words. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/*
 * The one arena copy of a field name.  A full table (a plugin inventing
 * names per object) falls back to a plain arena copy.
 */
static const char *intern_name(struct kho_ctx *c, const char *name)
{
	uint32_t i, h = name_hash(name);
	size_t n;
	char *p;

	for (i = 0; i < KHO_FIELD_NAME_SLOTS; i++) {
		const char **slot =
			&c->field_names[(h + i) & (KHO_FIELD_NAME_SLOTS - 1)];

		if (*slot && !strcmp(*slot, name))
			return *slot;
		if (*slot)
			continue;
		n = strlen(name) + 1;
		p = kho_ctx_alloc(c, n);
		if (p) {
			memcpy(p, name, n);
			*slot = p;
		}
		return p;
	}
	n = strlen(name) + 1;
	p = kho_ctx_alloc(c, n);
	if (p)
		memcpy(p, name, n);
	return p;
}

struct kho_obj *kho_obj_create(struct kho_ctx *c, struct kho_obj *parent,
			       const char *kind, const char *name)
{
	struct kho_obj *o;
	char *comp, *path;
	size_t plen;

	if (c->nobjects >= c->lim.objects) {
		if (!c->object_limit_hit) {
			c->object_limit_hit = 1;
			kho_report_nophys(c, c->root, KHO_SEV_ERROR,
					  "limit.objects",
					  "limit reached: more than %llu objects; decoding stopped growing the tree",
					  (unsigned long long)c->lim.objects);
		}
		return NULL;
	}
	if (parent && parent->depth + 1 >= c->lim.depth) {
		if (!c->depth_limit_hit) {
			c->depth_limit_hit = 1;
			kho_report_nophys(c, parent, KHO_SEV_ERROR,
					  "limit.depth",
					  "limit reached: object tree deeper than %llu levels; \"%s\" and anything below it were not added",
					  (unsigned long long)c->lim.depth,
					  name ? name : "");
		}
		return NULL;
	}
	o = kho_ctx_alloc(c, sizeof(*o));
	if (!o)
		return NULL;
	o->ctx = c;
	/* Kinds are a small vocabulary, like field names: stored once. */
	o->kind = intern_name(c, kind ? kind : "unknown");
	o->name = kho_ctx_strdup(c, name ? name : "");
	o->worst = -1;
	if (!o->kind || !o->name)
		return NULL;
	if (!parent) {
		o->path = "/";
	} else {
		size_t pl = strlen(parent->path), cl;
		int root_parent = pl == 1;

		comp = (char *)(o->name[0] ? o->name : "?");
		cl = strlen(comp);
		plen = pl + cl + 2;
		path = kho_ctx_alloc(c, plen);
		if (!path)
			return NULL;
		/* parent path, '/', then the sanitized component */
		memcpy(path, parent->path, pl);
		if (!root_parent)
			path[pl++] = '/';
		memcpy(path + pl, comp, cl + 1);
		sanitize_component(path + pl);
		o->path = path;
		o->parent = parent;
		o->depth = parent->depth + 1;
		if (parent->last_child)
			parent->last_child->next_sibling = o;
		else
			parent->first_child = o;
		parent->last_child = o;
		parent->nchildren++;
	}
	c->nobjects++;
	return o;
}

void kho_obj_set_compat(struct kho_obj *o, const char *compat)
{
	const char *p;

	if (!o || !o->ctx || !compat)
		return;
	/* Compat strings repeat like kinds ("memfd-v2" on every file). */
	p = intern_name(o->ctx, compat);
	if (p)
		o->compat = p;
}

void kho_obj_set_phys(struct kho_obj *o, uint64_t phys, uint64_t size)
{
	if (!o)
		return;
	o->phys = phys;
	o->size = size;
	o->has_phys = 1;
}

void kho_obj_field(struct kho_obj *o, const char *name,
		   enum kho_field_type type, uint64_t u, const char *s)
{
	struct kho_field *f;
	const char *fname, *fs = NULL;

	if (!o || !o->ctx || !name || o->nfields >= KHO_MAX_FIELDS)
		return;
	/* Names and values live in the arena, which the memory limit counts. */
	fname = intern_name(o->ctx, name);
	if (!fname)
		return;
	if (s) {
		size_t n = strlen(s) + 1;
		char *p = kho_ctx_alloc(o->ctx, n);

		if (!p)
			return;
		memcpy(p, s, n);
		fs = p;
	}
	if (o->nfields == o->capfields) {
		/* Arena arrays cannot grow in place: copy into one twice as big. */
		unsigned int cap = o->capfields ? o->capfields * 2 : 8;
		struct kho_field *nf = kho_ctx_alloc(o->ctx, cap * sizeof(*nf));

		if (!nf)
			return;
		if (o->nfields)
			memcpy(nf, o->fields, o->nfields * sizeof(*nf));
		o->fields = nf;
		o->capfields = cap;
	}
	f = &o->fields[o->nfields];
	f->name = fname;
	f->type = type;
	f->u = u;
	f->s = fs;
	o->nfields++;
}

int kho_obj_add_table(struct kho_obj *o, const char *name,
		      const struct kho_col *cols, unsigned int ncols,
		      uint64_t nrows, kho_row_fn fn, void *state,
		      void (*free_state)(void *state))
{
	struct kho_table *t, **tail;

	if (!o || !name || !fn || ncols == 0 || ncols > KHO_TABLE_MAX_COLS) {
		if (free_state)
			free_state(state);
		return KHO_EINVAL;
	}
	t = o->ctx ? kho_ctx_alloc(o->ctx, sizeof(*t)) : NULL;
	if (t)
		t->name = intern_name(o->ctx, name);
	if (!t || !t->name) {
		if (free_state)
			free_state(state);
		return KHO_ENOMEM;
	}
	memcpy(t->cols, cols, ncols * sizeof(*cols));
	t->ncols = ncols;
	t->nrows = nrows;
	t->fn = fn;
	t->state = state;
	t->free_state = free_state;
	for (tail = &o->tables; *tail; tail = &(*tail)->next)
		;
	*tail = t;
	/* The session frees table states without walking the tree. */
	if (free_state) {
		t->next_owned = o->ctx->owned_tables;
		o->ctx->owned_tables = t;
	}
	return 0;
}

const char *kho_obj_get_path(const struct kho_obj *o)
{
	return o ? o->path : "/";
}

const struct kho_field *kho_obj_find_field(const struct kho_obj *o,
					   const char *name)
{
	unsigned int i;

	for (i = 0; o && i < o->nfields; i++)
		if (!strcmp(o->fields[i].name, name))
			return &o->fields[i];
	return NULL;
}

void kho_objtree_free(struct kho_ctx *c)
{
	struct kho_table *t;

	/* Everything else of the tree lives in the session arena. */
	for (t = c->owned_tables; t; t = t->next_owned)
		t->free_state(t->state);
	c->owned_tables = NULL;
}

int kho_table_row(struct kho_ctx *c, const struct kho_table *t, uint64_t i,
		  uint64_t *vals)
{
	if (!t || !t->fn)
		return KHO_EINVAL;
	if (i >= t->nrows)
		return KHO_ERANGE;
	return t->fn(c, t->state, i, vals);
}
