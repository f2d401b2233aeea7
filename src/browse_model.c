// SPDX-License-Identifier: GPL-2.0-or-later
/* The model behind `kho-inspect browse`: see browse_model.h. */
#include <ctype.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse_model.h"
#include "human_size.h"

/* ------------------------------------------------------------ a cursor */

void kho_cursor_clamp(struct kho_cursor *cu, unsigned int height)
{
	if (height == 0)
		height = 1;
	if (cu->count == 0) {
		cu->sel = cu->top = 0;
		return;
	}
	if (cu->sel >= cu->count)
		cu->sel = cu->count - 1;
	/* Keep the window full when the list is long enough. */
	if (cu->count > height && cu->top > cu->count - height)
		cu->top = cu->count - height;
	if (cu->count <= height)
		cu->top = 0;
	if (cu->sel < cu->top)
		cu->top = cu->sel;
	if (cu->sel >= cu->top + height)
		cu->top = cu->sel - height + 1;
}

static uint64_t add_sat(uint64_t v, int64_t d)
{
	if (d < 0) {
		uint64_t m = (uint64_t)(-(d + 1)) + 1;

		return v < m ? 0 : v - m;
	}
	return UINT64_MAX - v < (uint64_t)d ? UINT64_MAX : v + (uint64_t)d;
}

void kho_cursor_move(struct kho_cursor *cu, int64_t delta,
		     unsigned int height)
{
	cu->sel = add_sat(cu->sel, delta);
	kho_cursor_clamp(cu, height);
}

void kho_cursor_page(struct kho_cursor *cu, int pages, unsigned int height)
{
	int64_t d = (int64_t)pages * (height ? height : 1);

	cu->sel = add_sat(cu->sel, d);
	cu->top = add_sat(cu->top, d);
	kho_cursor_clamp(cu, height);
}

void kho_cursor_home(struct kho_cursor *cu, unsigned int height)
{
	cu->sel = 0;
	cu->top = 0;
	kho_cursor_clamp(cu, height);
}

void kho_cursor_end(struct kho_cursor *cu, unsigned int height)
{
	cu->sel = cu->count ? cu->count - 1 : 0;
	kho_cursor_clamp(cu, height);
}

void kho_cursor_set(struct kho_cursor *cu, uint64_t sel, unsigned int height)
{
	uint64_t h = height ? height : 1;

	cu->sel = sel;
	/* A jump lands a third of the way down, so context shows above. */
	if (sel < cu->top || sel >= cu->top + h)
		cu->top = sel > h / 3 ? sel - h / 3 : 0;
	kho_cursor_clamp(cu, height);
}

/* ------------------------------------------------------ the visible tree */

static int reserve(struct kho_bm *m, size_t more)
{
	size_t cap;
	struct kho_bm_entry *ne;

	if (m->n + more <= m->cap)
		return 0;
	cap = m->cap ? m->cap : 64;
	while (cap < m->n + more)
		cap *= 2;
	ne = realloc(m->e, cap * sizeof(*ne));
	if (!ne)
		return KHO_ENOMEM;
	m->e = ne;
	m->cap = cap;
	return 0;
}

static void restart(struct kho_bm *m, size_t from)
{
	size_t i;

	for (i = from; i < m->n; i++)
		m->e[i].start = i ? m->e[i - 1].start + m->e[i - 1].count : 0;
	m->cur.count = m->n ? m->e[m->n - 1].start + m->e[m->n - 1].count : 0;
}

static int expandable(const struct kho_bm_entry *e)
{
	if (e->kind == KHO_BM_OBJ)
		return e->obj->first_child != NULL || e->obj->tables != NULL;
	if (e->kind == KHO_BM_TABLE)
		return e->table->nrows > 0;
	return 0;
}

int kho_bm_init(struct kho_bm *m, struct kho_obj *root)
{
	memset(m, 0, sizeof(*m));
	m->root = root;
	if (!root)
		return 0;
	if (reserve(m, 1))
		return KHO_ENOMEM;
	m->e[0] = (struct kho_bm_entry){ .kind = KHO_BM_OBJ, .obj = root,
					 .count = 1 };
	m->n = 1;
	restart(m, 0);
	return kho_bm_expand(m, 0) < 0 ? KHO_ENOMEM : 0;
}

void kho_bm_free(struct kho_bm *m)
{
	free(m->e);
	free(m->byphys);
	memset(m, 0, sizeof(*m));
}

static size_t entry_of(const struct kho_bm *m, uint64_t idx)
{
	size_t lo = 0, hi = m->n;

	/* Last entry whose start <= idx. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->e[mid].start <= idx)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int kho_bm_get(const struct kho_bm *m, uint64_t idx, struct kho_bm_row *r)
{
	const struct kho_bm_entry *e;
	size_t i;

	if (idx >= m->cur.count)
		return KHO_ENOENT;
	i = entry_of(m, idx);
	e = &m->e[i];
	memset(r, 0, sizeof(*r));
	r->kind = e->kind;
	r->obj = e->obj;
	r->table = e->table;
	r->row = idx - e->start;
	r->depth = e->depth;
	r->expandable = expandable(e);
	r->expanded = e->expanded;
	r->entry = i;
	return 0;
}

int kho_bm_expand(struct kho_bm *m, uint64_t idx)
{
	struct kho_bm_entry *e, *ne;
	struct kho_obj *ch;
	struct kho_table *t;
	size_t i, add = 0, k;
	uint64_t before = m->cur.count;

	if (idx >= m->cur.count)
		return 0;
	i = entry_of(m, idx);
	e = &m->e[i];
	if (e->expanded || !expandable(e))
		return 0;
	if (e->kind == KHO_BM_OBJ) {
		for (t = e->obj->tables; t; t = t->next)
			add++;
		add += e->obj->nchildren;
	} else {
		add = 1;
	}
	if (reserve(m, add))
		return KHO_ENOMEM;
	e = &m->e[i];
	memmove(&m->e[i + 1 + add], &m->e[i + 1],
		(m->n - i - 1) * sizeof(*m->e));
	ne = &m->e[i + 1];
	k = 0;
	if (e->kind == KHO_BM_OBJ) {
		for (t = e->obj->tables; t && k < add; t = t->next)
			ne[k++] = (struct kho_bm_entry){
				.kind = KHO_BM_TABLE, .obj = e->obj,
				.table = t, .depth = e->depth + 1, .count = 1 };
		for (ch = e->obj->first_child; ch && k < add;
		     ch = ch->next_sibling)
			ne[k++] = (struct kho_bm_entry){
				.kind = KHO_BM_OBJ, .obj = ch,
				.depth = e->depth + 1, .count = 1 };
	} else {
		ne[k++] = (struct kho_bm_entry){
			.kind = KHO_BM_ROWS, .obj = e->obj, .table = e->table,
			.depth = e->depth + 1, .count = e->table->nrows };
	}
	/* nchildren is trusted only as far as the list really goes. */
	if (k < add)
		memmove(&ne[k], &ne[add], (m->n - i - 1) * sizeof(*m->e));
	m->n += k;
	e->expanded = 1;
	restart(m, i + 1);
	if (m->cur.sel > idx)
		m->cur.sel += m->cur.count - before;
	return 1;
}

int kho_bm_collapse(struct kho_bm *m, uint64_t idx)
{
	struct kho_bm_entry *e;
	size_t i, j;
	uint64_t removed;

	if (idx >= m->cur.count)
		return 0;
	i = entry_of(m, idx);
	e = &m->e[i];
	if (!e->expanded)
		return 0;
	for (j = i + 1; j < m->n && m->e[j].depth > e->depth; j++)
		;
	removed = (j < m->n ? m->e[j].start : m->cur.count) - (e->start + 1);
	memmove(&m->e[i + 1], &m->e[j], (m->n - j) * sizeof(*m->e));
	m->n -= j - (i + 1);
	e->expanded = 0;
	restart(m, i + 1);
	if (m->cur.sel > idx) {
		if (m->cur.sel - idx <= removed)
			m->cur.sel = idx;
		else
			m->cur.sel -= removed;
	}
	return 1;
}

uint64_t kho_bm_parent(const struct kho_bm *m, uint64_t idx)
{
	size_t i;
	unsigned int d;

	if (idx >= m->cur.count)
		return idx;
	i = entry_of(m, idx);
	d = m->e[i].depth;
	while (i > 0) {
		i--;
		if (m->e[i].depth < d)
			return m->e[i].start;
	}
	return idx;
}

int64_t kho_bm_reveal(struct kho_bm *m, const struct kho_obj *o)
{
	const struct kho_obj *chain[KHO_MAX_DEPTH + 1];
	const struct kho_obj *p;
	size_t len = 0, pos = 0, j, k;
	int rc;

	for (p = o; p && len < KHO_MAX_DEPTH + 1; p = p->parent)
		chain[len++] = p;
	if (!o || !m->n || p || chain[len - 1] != m->root)
		return KHO_ENOENT;
	/* chain[len-1] is the root, entry 0. */
	for (k = len - 1; k > 0; k--) {
		rc = kho_bm_expand(m, m->e[pos].start);
		if (rc < 0)
			return rc;
		for (j = pos + 1; j < m->n && m->e[j].depth > m->e[pos].depth;
		     j++)
			if (m->e[j].kind == KHO_BM_OBJ &&
			    m->e[j].obj == chain[k - 1])
				break;
		if (j >= m->n || m->e[j].depth <= m->e[pos].depth)
			return KHO_ENOENT;
		pos = j;
	}
	return (int64_t)m->e[pos].start;
}

/* ------------------------------------------------------------ history */

int kho_bm_mark(const struct kho_bm *m, uint64_t idx, struct kho_bm_mark *k)
{
	struct kho_bm_row r;

	memset(k, 0, sizeof(*k));
	if (kho_bm_get(m, idx, &r))
		return KHO_ENOENT;
	k->kind = r.kind;
	k->obj = r.obj;
	k->table = r.kind == KHO_BM_OBJ ? NULL : r.table;
	k->row = r.kind == KHO_BM_ROWS ? r.row : 0;
	return 0;
}

int kho_bm_mark_eq(const struct kho_bm_mark *a, const struct kho_bm_mark *b)
{
	return a->kind == b->kind && a->obj == b->obj &&
	       a->table == b->table && a->row == b->row &&
	       a->page == b->page && (!a->page || a->page_phys == b->page_phys);
}

int64_t kho_bm_locate(struct kho_bm *m, const struct kho_bm_mark *k)
{
	int64_t idx = kho_bm_reveal(m, k->obj);
	size_t i, j;
	int rc;

	if (idx < 0 || k->kind == KHO_BM_OBJ)
		return idx;
	if (!k->table || (k->kind == KHO_BM_ROWS && k->row >= k->table->nrows))
		return KHO_ENOENT;
	rc = kho_bm_expand(m, (uint64_t)idx);
	if (rc < 0)
		return rc;
	/* The object's tables are its first children. */
	i = entry_of(m, (uint64_t)idx);
	for (j = i + 1; j < m->n && m->e[j].depth > m->e[i].depth; j++)
		if (m->e[j].kind == KHO_BM_TABLE &&
		    m->e[j].depth == m->e[i].depth + 1 &&
		    m->e[j].table == k->table)
			break;
	if (j >= m->n || m->e[j].depth <= m->e[i].depth)
		return KHO_ENOENT;
	if (k->kind == KHO_BM_TABLE)
		return (int64_t)m->e[j].start;
	rc = kho_bm_expand(m, m->e[j].start);
	if (rc < 0)
		return rc;
	if (j + 1 >= m->n || m->e[j + 1].kind != KHO_BM_ROWS)
		return KHO_ENOENT;
	return (int64_t)(m->e[j + 1].start + k->row);
}

void kho_bm_push(struct kho_bm *m, const struct kho_bm_mark *k)
{
	if (!k->obj)
		return;
	m->hist[m->hist_top] = *k;
	m->hist_top = (m->hist_top + 1) % KHO_BM_HISTORY;
	if (m->hist_n < KHO_BM_HISTORY)
		m->hist_n++;
}

int kho_bm_pop(struct kho_bm *m, struct kho_bm_mark *k)
{
	if (!m->hist_n)
		return KHO_ENOENT;
	m->hist_top = (m->hist_top + KHO_BM_HISTORY - 1) % KHO_BM_HISTORY;
	m->hist_n--;
	*k = m->hist[m->hist_top];
	return 0;
}

/* ------------------------------------------------------------ search */

struct kho_obj *kho_bm_next_obj(struct kho_obj *o)
{
	if (o->first_child)
		return o->first_child;
	for (; o; o = o->parent)
		if (o->next_sibling)
			return o->next_sibling;
	return NULL;
}

static int parse_num(const char *q, uint64_t *v, int *hex)
{
	char *end;

	while (*q == ' ')
		q++;
	if (!*q || *q == '-' || *q == '+')
		return 0;
	*hex = q[0] == '0' && (q[1] == 'x' || q[1] == 'X');
	if (*hex && !q[2])
		return 0;
	if (!*hex)
		for (end = (char *)q; *end && *end != ' '; end++)
			if (!isdigit((unsigned char)*end))
				return 0;
	*v = strtoull(q, &end, *hex ? 16 : 10);
	while (*end == ' ')
		end++;
	return *end == '\0';
}

static int hex_has(uint64_t v, const char *q)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return strcasestr(buf, q) != NULL;
}

int kho_bm_match(const struct kho_obj *o, const char *q)
{
	uint64_t v = 0;
	int num, hex = 0;
	unsigned int i;

	if (!o || !q || !*q)
		return 0;
	if (strcasestr(o->name, q) || strcasestr(o->kind, q) ||
	    (o->compat && strcasestr(o->compat, q)))
		return 1;
	num = parse_num(q, &v, &hex);
	if (num && o->has_phys &&
	    (o->phys == v || (o->size && v >= o->phys && v - o->phys < o->size)))
		return 1;
	if (hex && o->has_phys && hex_has(o->phys, q))
		return 1;
	for (i = 0; i < o->nfields; i++) {
		const struct kho_field *f = &o->fields[i];

		switch (f->type) {
		case KHO_F_STR:
			if (f->s && strcasestr(f->s, q))
				return 1;
			break;
		case KHO_F_HEX:
			if (hex && hex_has(f->u, q))
				return 1;
			/* fall through */
		case KHO_F_U64:
		case KHO_F_SIZE:
			if (num && f->u == v)
				return 1;
			break;
		default:
			break;
		}
	}
	return 0;
}

struct kho_obj *kho_bm_search(struct kho_obj *root, const struct kho_obj *from,
			      const char *q, int backward, int *wrapped)
{
	struct kho_obj *o, *before = NULL, *after = NULL, *self = NULL;
	int seen = 0;

	*wrapped = 0;
	if (!root || !q || !*q)
		return NULL;
	if (!backward) {
		o = from ? kho_bm_next_obj((struct kho_obj *)from) : root;
		for (; o; o = kho_bm_next_obj(o))
			if (kho_bm_match(o, q))
				return o;
		if (!from)
			return NULL;
		*wrapped = 1;
		for (o = root; o; o = kho_bm_next_obj(o)) {
			if (kho_bm_match(o, q))
				return o;
			if (o == from)
				break;
		}
		*wrapped = 0;
		return NULL;
	}
	for (o = root; o; o = kho_bm_next_obj(o)) {
		if (o == from) {
			seen = 1;
			if (kho_bm_match(o, q))
				self = o;
			continue;
		}
		if (!kho_bm_match(o, q))
			continue;
		if (seen || !from)
			after = o;
		else
			before = o;
	}
	if (before)
		return before;
	if (!from)
		return after;
	*wrapped = after || self;
	return after ? after : self;
}

struct phys_ent {
	uint64_t phys;
	size_t seq;
	struct kho_obj *o;
};

static int cmp_phys(const void *a, const void *b)
{
	const struct phys_ent *x = a, *y = b;

	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void build_byphys(struct kho_bm *m)
{
	struct phys_ent *v = NULL, *nv;
	size_t n = 0, cap = 0, i;
	struct kho_obj *o;

	m->byphys_built = 1;
	for (o = m->root; o; o = kho_bm_next_obj(o)) {
		if (!o->has_phys)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return;
			}
			v = nv;
		}
		v[n].phys = o->phys;
		v[n].seq = n;
		v[n].o = o;
		n++;
	}
	if (!n)
		return;
	qsort(v, n, sizeof(*v), cmp_phys);
	m->byphys = malloc(n * sizeof(*m->byphys));
	if (m->byphys) {
		for (i = 0; i < n; i++)
			m->byphys[i] = v[i].o;
		m->nbyphys = n;
	}
	free(v);
}

struct kho_obj *kho_bm_find_phys(struct kho_bm *m, uint64_t phys,
				 const struct kho_obj *self)
{
	size_t lo = 0, hi, i;
	struct kho_obj *only_self = NULL;

	if (!m->byphys_built)
		build_byphys(m);
	hi = m->nbyphys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->byphys[mid]->phys < phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < m->nbyphys && m->byphys[i]->phys == phys; i++) {
		if (m->byphys[i] != self)
			return m->byphys[i];
		only_self = m->byphys[i];
	}
	return only_self;
}

struct kho_obj *kho_bm_containing(struct kho_obj *root, uint64_t phys)
{
	struct kho_obj *o, *best = NULL;

	for (o = root; o; o = kho_bm_next_obj(o)) {
		if (!o->has_phys)
			continue;
		if (o->phys == phys ||
		    (o->size && phys >= o->phys && phys - o->phys < o->size)) {
			if (!best || o->depth >= best->depth)
				best = o;
		}
	}
	return best;
}

/* ------------------------------------------------------- detail lines */

char kho_sev_letter(int sev)
{
	switch (sev) {
	case KHO_SEV_ERROR:
		return 'E';
	case KHO_SEV_WARNING:
		return 'W';
	case KHO_SEV_UNKNOWN:
		return 'U';
	default:
		return 'N';
	}
}

void kho_safe_copy(char *dst, size_t len, const char *src)
{
	size_t i = 0;

	if (!len)
		return;
	for (; src && *src && i + 1 < len; src++)
		dst[i++] = (*src >= 0x20 && *src < 0x7f) ? *src : '?';
	dst[i] = '\0';
}

void kho_field_text(const struct kho_field *f, char *buf, size_t len)
{
	char hs[KHO_HUMAN_SIZE_MAX];

	switch (f->type) {
	case KHO_F_HEX:
		snprintf(buf, len, "0x%" PRIx64, f->u);
		break;
	case KHO_F_SIZE:
		kho_human_size(hs, sizeof(hs), f->u);
		if (strcmp(hs + strlen(hs) - 2, " B") == 0)
			snprintf(buf, len, "%s", hs);
		else
			snprintf(buf, len, "%s (%" PRIu64 ")", hs, f->u);
		break;
	case KHO_F_STR:
		kho_safe_copy(buf, len, f->s ? f->s : "");
		break;
	case KHO_F_BOOL:
		snprintf(buf, len, "%s", f->u ? "true" : "false");
		break;
	default:
		snprintf(buf, len, "%" PRIu64, f->u);
	}
}

static struct kho_dline *add_line(struct kho_detail *d, enum kho_dl_kind kind,
				  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct kho_dline *add_line(struct kho_detail *d, enum kho_dl_kind kind,
				  const char *fmt, ...)
{
	struct kho_dline *l;
	va_list ap;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		struct kho_dline *nl = realloc(d->l, cap * sizeof(*nl));

		if (!nl)
			return NULL;
		d->l = nl;
		d->cap = cap;
	}
	l = &d->l[d->n++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->sev = -1;
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof(l->text), fmt, ap);
	va_end(ap);
	return l;
}

static void reset(struct kho_detail *d, unsigned int bpl)
{
	d->n = 0;
	d->has_hex = 0;
	d->hex_base = d->hex_len = 0;
	d->bpl = (bpl == 4 || bpl == 8 || bpl == 16) ? bpl : 16;
	d->addr_digits = 8;
	d->nlines = 0;
}

static void finish(struct kho_detail *d)
{
	uint64_t end, hl = 0;
	unsigned int digits = 1;

	if (d->has_hex && d->hex_len) {
		hl = (d->hex_len + d->bpl - 1) / d->bpl;
		end = d->hex_base + (d->hex_len - 1);
		while (digits < 16 && (end >> (4 * digits)))
			digits++;
		d->addr_digits = digits < 8 ? 8 : digits;
	} else {
		d->has_hex = 0;
	}
	d->nlines = d->n + hl;
}

static void set_hex(struct kho_detail *d, struct kho_ctx *c, uint64_t base,
		    uint64_t size, const char *what)
{
	uint64_t ps = c->img->page_size ? c->img->page_size : 4096;
	uint64_t cap = KHO_BROWSE_HEX_PAGES * ps, len = size ? size : ps;
	char hs[KHO_HUMAN_SIZE_MAX];

	if (len > cap)
		len = cap;
	if (base >= KHO_PHYS_LIMIT)
		return;
	if (len > KHO_PHYS_LIMIT - base)
		len = KHO_PHYS_LIMIT - base;
	kho_human_size(hs, sizeof(hs), len);
	if (!kho_image_captured(c->img, base, 1))
		add_line(d, KHO_DL_HEADING,
			 "bytes of %s at 0x%" PRIx64 " (%s, not captured)", what,
			 base, hs);
	else if (!size)
		add_line(d, KHO_DL_HEADING,
			 "bytes of %s at 0x%" PRIx64 " (size unknown; first %s)",
			 what, base, hs);
	else if (len < size)
		add_line(d, KHO_DL_HEADING,
			 "bytes of %s at 0x%" PRIx64 " (first %s)", what, base,
			 hs);
	else
		add_line(d, KHO_DL_HEADING, "bytes of %s at 0x%" PRIx64 " (%s)",
			 what, base, hs);
	d->has_hex = 1;
	d->hex_base = base;
	d->hex_len = len;
}

static void obj_label(const struct kho_obj *o, char *buf, size_t len)
{
	kho_safe_copy(buf, len, o->path);
}

static void add_pointer(struct kho_detail *d, struct kho_bm *m,
			const struct kho_obj *self, const char *name,
			const char *value, uint64_t v, int is_hex)
{
	struct kho_obj *t = NULL;
	struct kho_dline *l;
	char path[160];

	if (is_hex && v && m)
		t = kho_bm_find_phys(m, v, self);
	if (t && t != self) {
		obj_label(t, path, sizeof(path));
		l = add_line(d, KHO_DL_FIELD, "  %s: %s -> %s", name, value,
			     path);
		if (l)
			l->target = t;
	} else {
		add_line(d, KHO_DL_FIELD, "  %s: %s", name, value);
	}
}

static void add_findings(struct kho_detail *d, struct kho_ctx *c,
			 const struct kho_obj *o)
{
	size_t i, shown = 0;
	char check[64], msg[200];
	struct kho_dline *l;

	if (!c || !o->nfindings)
		return;
	add_line(d, KHO_DL_HEADING, "findings (%u)", o->nfindings);
	for (i = 0; i < c->nfindings; i++) {
		const struct kho_finding_rec *r = &c->findings[i];

		if (r->obj != o)
			continue;
		kho_safe_copy(check, sizeof(check), r->check);
		kho_safe_copy(msg, sizeof(msg), r->message);
		if (r->has_phys)
			l = add_line(d, KHO_DL_FINDING, "  [%c] %s @0x%" PRIx64
				     ": %s", kho_sev_letter(r->sev), check,
				     r->phys, msg);
		else
			l = add_line(d, KHO_DL_FINDING, "  [%c] %s: %s",
				     kho_sev_letter(r->sev), check, msg);
		if (l)
			l->sev = (int)r->sev;
		shown++;
	}
	(void)shown;
}

static void build_obj(struct kho_detail *d, struct kho_ctx *c,
		      struct kho_bm *m, struct kho_obj *o)
{
	char a[160], b[160], hs[KHO_HUMAN_SIZE_MAX];
	const struct kho_table *t;
	unsigned int i, k;

	kho_safe_copy(a, sizeof(a), o->kind);
	kho_safe_copy(b, sizeof(b), o->name[0] && strcmp(o->name, o->kind) ?
					    o->name : (o->compat ? o->compat : ""));
	add_line(d, KHO_DL_HEADING, "%s%s%s", a, b[0] ? " " : "", b);
	obj_label(o, a, sizeof(a));
	add_line(d, KHO_DL_TEXT, "path: %s", a);
	if (o->compat) {
		kho_safe_copy(a, sizeof(a), o->compat);
		add_line(d, KHO_DL_TEXT, "compat: %s", a);
	}
	if (o->has_phys) {
		if (o->size)
			add_line(d, KHO_DL_TEXT, "phys: 0x%" PRIx64 ", size %s",
				 o->phys, kho_human_size(hs, sizeof(hs), o->size));
		else
			add_line(d, KHO_DL_TEXT, "phys: 0x%" PRIx64, o->phys);
	}
	if (!o->parent && c && c->img) {
		kho_safe_copy(a, sizeof(a), c->img->path);
		add_line(d, KHO_DL_TEXT, "image: %s (%s, page size %s)", a,
			 kho_input_format_name(c->img->format),
			 kho_human_size(hs, sizeof(hs), c->img->page_size));
	}
	if (o->nfields)
		add_line(d, KHO_DL_HEADING, "fields");
	for (i = 0; i < o->nfields; i++) {
		kho_safe_copy(a, sizeof(a), o->fields[i].name);
		kho_field_text(&o->fields[i], b, sizeof(b));
		add_pointer(d, m, o, a, b, o->fields[i].u,
			    o->fields[i].type == KHO_F_HEX);
	}
	if (o->tables)
		add_line(d, KHO_DL_HEADING, "tables");
	for (t = o->tables; t; t = t->next) {
		size_t off;

		kho_safe_copy(a, sizeof(a), t->name);
		off = 0;
		b[0] = '\0';
		for (k = 0; k < t->ncols && off < sizeof(b); k++) {
			char cn[40];

			kho_safe_copy(cn, sizeof(cn), t->cols[k].name);
			off += (size_t)snprintf(b + off, sizeof(b) - off, "%s%s",
						k ? ", " : "", cn);
		}
		add_line(d, KHO_DL_TEXT, "  %s: %" PRIu64 " row%s (%s)", a,
			 t->nrows, t->nrows == 1 ? "" : "s", b);
	}
	if (o->nchildren)
		add_line(d, KHO_DL_TEXT, "children: %u", o->nchildren);
	add_findings(d, c, o);
	if (o->has_phys && c && c->img)
		set_hex(d, c, o->phys, o->size, "object");
}

static void build_table(struct kho_detail *d, const struct kho_table *t,
			const struct kho_obj *owner)
{
	static const char *const fmt_name[] = { "decimal", "hex", "size" };
	char a[160], b[160];
	unsigned int k;

	kho_safe_copy(a, sizeof(a), t->name);
	add_line(d, KHO_DL_HEADING, "table %s", a);
	obj_label(owner, b, sizeof(b));
	add_line(d, KHO_DL_TEXT, "of: %s", b);
	add_line(d, KHO_DL_TEXT, "rows: %" PRIu64, t->nrows);
	add_line(d, KHO_DL_HEADING, "columns");
	for (k = 0; k < t->ncols; k++) {
		kho_safe_copy(a, sizeof(a), t->cols[k].name);
		add_line(d, KHO_DL_TEXT, "  %s (%s)", a,
			 t->cols[k].fmt <= KHO_COL_SIZE ?
				 fmt_name[t->cols[k].fmt] : "?");
	}
}

static void build_row(struct kho_detail *d, struct kho_ctx *c,
		      struct kho_bm *m, const struct kho_table *t,
		      const struct kho_obj *owner, uint64_t row)
{
	uint64_t vals[KHO_TABLE_MAX_COLS];
	char a[160], b[64], hs[KHO_HUMAN_SIZE_MAX];
	uint64_t base = 0, size = 0;
	int have_base = 0, rc;
	unsigned int k;

	kho_safe_copy(a, sizeof(a), t->name);
	add_line(d, KHO_DL_HEADING, "%s row %" PRIu64 " of %" PRIu64, a, row,
		 t->nrows);
	obj_label(owner, a, sizeof(a));
	add_line(d, KHO_DL_TEXT, "of: %s", a);
	memset(vals, 0, sizeof(vals));
	rc = c ? t->fn(c, t->state, row, vals) : KHO_EINVAL;
	if (rc < 0) {
		add_line(d, KHO_DL_TEXT, "row unreadable (error %d)", rc);
		return;
	}
	for (k = 0; k < t->ncols; k++) {
		kho_safe_copy(a, sizeof(a), t->cols[k].name);
		switch (t->cols[k].fmt) {
		case KHO_COL_HEX:
			snprintf(b, sizeof(b), "0x%" PRIx64, vals[k]);
			/* The bytes shown are those of an address column. */
			if (!have_base && (strstr(t->cols[k].name, "phys") ||
					   strstr(t->cols[k].name, "addr"))) {
				base = vals[k];
				have_base = 1;
			}
			break;
		case KHO_COL_SIZE:
			kho_human_size(hs, sizeof(hs), vals[k]);
			snprintf(b, sizeof(b), "%s", hs);
			if (!size)
				size = vals[k];
			break;
		default:
			snprintf(b, sizeof(b), "%" PRIu64, vals[k]);
			if (!strcmp(t->cols[k].name, "order") && vals[k] < 32)
				size = (c && c->img ? c->img->page_size : 4096)
				       << vals[k];
		}
		add_pointer(d, m, owner, a, b, vals[k],
			    t->cols[k].fmt == KHO_COL_HEX);
	}
	if (have_base && c && c->img)
		set_hex(d, c, base, size, "row");
}

int kho_detail_build(struct kho_detail *d, struct kho_ctx *c,
		     struct kho_bm *m, const struct kho_bm_row *r,
		     unsigned int bpl)
{
	reset(d, bpl);
	switch (r->kind) {
	case KHO_BM_OBJ:
		build_obj(d, c, m, r->obj);
		break;
	case KHO_BM_TABLE:
		build_table(d, r->table, r->obj);
		break;
	case KHO_BM_ROWS:
		build_row(d, c, m, r->table, r->obj, r->row);
		break;
	}
	finish(d);
	return 0;
}

int kho_detail_build_page(struct kho_detail *d, struct kho_ctx *c,
			  struct kho_bm *m, uint64_t phys, unsigned int bpl)
{
	uint64_t ps = c->img->page_size ? c->img->page_size : 4096;
	uint64_t page = phys & ~(ps - 1), bp;
	unsigned int order;
	struct kho_obj *o;
	char a[160];

	reset(d, bpl);
	add_line(d, KHO_DL_HEADING, "address 0x%" PRIx64, phys);
	o = kho_bm_containing(m->root, phys);
	if (o) {
		struct kho_dline *l;

		obj_label(o, a, sizeof(a));
		l = add_line(d, KHO_DL_FIELD, "  in: %s", a);
		if (l)
			l->target = o;
	} else {
		add_line(d, KHO_DL_TEXT, "  in no decoded object");
	}
	if (c->mm_ops && c->mm_ops->find) {
		if (c->mm_ops->find(c->mm_state, phys, &bp, &order) == 0)
			add_line(d, KHO_DL_TEXT,
				 "  preserved block 0x%" PRIx64 " order %u", bp,
				 order);
		else
			add_line(d, KHO_DL_TEXT, "  in no preserved block");
	}
	set_hex(d, c, page, ps, "page");
	finish(d);
	return 0;
}

void kho_detail_free(struct kho_detail *d)
{
	free(d->l);
	memset(d, 0, sizeof(*d));
}

void kho_hex_line(const struct kho_image *img, uint64_t phys,
		  unsigned int nbytes, unsigned int bpl,
		  unsigned int addr_digits, char *buf, size_t len)
{
	uint8_t b[16];
	char have[16];
	size_t off;
	unsigned int i;

	if (nbytes > 16)
		nbytes = 16;
	if (bpl > 16)
		bpl = 16;
	if (bpl < nbytes)
		bpl = nbytes;
	memset(have, 1, sizeof(have));
	if (!img || kho_image_read(img, phys, b, nbytes) != 0)
		for (i = 0; i < nbytes; i++)
			have[i] = img && kho_image_read(img, phys + i, &b[i],
							1) == 0;
	off = (size_t)snprintf(buf, len, "0x%0*" PRIx64 " ", (int)addr_digits,
			       phys);
	for (i = 0; i < bpl && off < len; i++) {
		if (i >= nbytes)
			off += (size_t)snprintf(buf + off, len - off, "   ");
		else if (have[i])
			off += (size_t)snprintf(buf + off, len - off, " %02x",
						b[i]);
		else
			off += (size_t)snprintf(buf + off, len - off, " --");
	}
	if (off < len)
		off += (size_t)snprintf(buf + off, len - off, "  ");
	for (i = 0; i < nbytes && off + 1 < len; i++)
		buf[off++] = !have[i] ? ' ' :
			     (b[i] >= 0x20 && b[i] < 0x7f) ? (char)b[i] : '.';
	if (off < len)
		buf[off] = '\0';
	else if (len)
		buf[len - 1] = '\0';
}

enum kho_dl_kind kho_detail_line(const struct kho_detail *d,
				 const struct kho_image *img, uint64_t i,
				 char *buf, size_t len, int *sev,
				 struct kho_obj **target)
{
	uint64_t j, p, left;

	*sev = -1;
	*target = NULL;
	if (i < d->n) {
		snprintf(buf, len, "%s", d->l[i].text);
		*sev = d->l[i].sev;
		*target = d->l[i].target;
		return d->l[i].kind;
	}
	if (!d->has_hex || i >= d->nlines) {
		if (len)
			buf[0] = '\0';
		return KHO_DL_TEXT;
	}
	j = i - d->n;
	p = d->hex_base + j * d->bpl;
	left = d->hex_len - j * d->bpl;
	kho_hex_line(img, p, left < d->bpl ? (unsigned int)left : d->bpl,
		     d->bpl, d->addr_digits, buf, len);
	return KHO_DL_HEX;
}

uint64_t kho_detail_hex_index(const struct kho_detail *d, uint64_t phys)
{
	if (!d->has_hex || phys < d->hex_base ||
	    phys - d->hex_base >= d->hex_len)
		return d->nlines;
	return d->n + (phys - d->hex_base) / d->bpl;
}
