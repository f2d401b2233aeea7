// SPDX-License-Identifier: GPL-2.0-or-later
/* The model behind `kho-inspect browse`: see browse_model.h. */
#include <ctype.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse_model.h"
#include "decode/consequence.h"
#include "base/human_size.h"

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
	free(m->inside);
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

static int worse(int a, int b)
{
	return kho_severity_rank(b) > kho_severity_rank(a) ? b : a;
}

static int cmp_inside(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct kho_bm_inside *)a)->obj;
	uintptr_t y = (uintptr_t)((const struct kho_bm_inside *)b)->obj;

	return x < y ? -1 : x > y;
}

static int inside_add(struct kho_bm *m, size_t *cap, const struct kho_obj *o,
		      int sev)
{
	struct kho_bm_inside *ni;

	if (m->ninside == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;

		ni = realloc(m->inside, nc * sizeof(*ni));
		if (!ni)
			return KHO_ENOMEM;
		m->inside = ni;
		*cap = nc;
	}
	m->inside[m->ninside].obj = o;
	m->inside[m->ninside].sev = sev;
	m->ninside++;
	return 0;
}

/*
 * One post-order walk: below[d] gathers the worst severity under the object
 * at depth d of the current path.  An object deeper than the session allows
 * is treated as a leaf, so the walk is bounded by the tree's size.
 */
static void build_inside(struct kho_bm *m)
{
	int below[KHO_MAX_DEPTH + 2];
	const struct kho_obj *o = m->root;
	unsigned int d = 0;
	size_t cap = 0;
	int up;

	m->inside_built = 1;
	if (!o)
		return;
	below[0] = -1;
	for (;;) {
		/* Down to the first leaf. */
		while (o->first_child && d + 1 < KHO_MAX_DEPTH + 2) {
			o = o->first_child;
			below[++d] = -1;
		}
		/* Leave o, then its ancestors that have no next sibling. */
		for (;;) {
			if (below[d] >= 0 && inside_add(m, &cap, o, below[d])) {
				free(m->inside);
				m->inside = NULL;
				m->ninside = 0;
				return;
			}
			up = worse(below[d], o->worst);
			if (d == 0)
				goto done;
			below[d - 1] = worse(below[d - 1], up);
			if (o->next_sibling) {
				o = o->next_sibling;
				below[d] = -1;
				break;
			}
			o = o->parent;
			d--;
		}
	}
done:
	if (m->ninside)
		qsort(m->inside, m->ninside, sizeof(*m->inside), cmp_inside);
}

int kho_bm_inside(struct kho_bm *m, const struct kho_obj *o)
{
	size_t lo = 0, hi;
	uintptr_t key = (uintptr_t)o;

	if (!m->inside_built)
		build_inside(m);
	hi = m->ninside;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uintptr_t k = (uintptr_t)m->inside[mid].obj;

		if (k == key)
			return m->inside[mid].sev;
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
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

/* ------------------------------------------------------ table rows */

/* NULL for a session made by hand without an image (unit tests). */
static const struct kho_image *image_of(const struct kho_ctx *c)
{
	return c ? kho_session_image(c) : NULL;
}

static uint64_t page_size_of(const struct kho_ctx *c)
{
	const struct kho_image *img = image_of(c);

	return img && img->page_size ? img->page_size : 4096;
}

static int is_addr_col(const struct kho_col *col)
{
	return col->fmt == KHO_COL_HEX && col->name &&
	       (strstr(col->name, "phys") || strstr(col->name, "addr"));
}

int kho_bm_row_range(const struct kho_ctx *c, const struct kho_table *t,
		     const uint64_t *vals, uint64_t *base, uint64_t *size)
{
	uint64_t ps = page_size_of(c), sz = 0;
	int have = 0, have_size = 0;
	unsigned int k;

	*base = *size = 0;
	for (k = 0; k < t->ncols && k < KHO_TABLE_MAX_COLS; k++) {
		const struct kho_col *col = &t->cols[k];

		if (!have && is_addr_col(col)) {
			*base = vals[k];
			have = 1;
		} else if (!have_size && col->fmt == KHO_COL_SIZE) {
			sz = vals[k];
			have_size = 1;
		} else if (!have_size && !sz && col->fmt == KHO_COL_DEC &&
			   col->name && !strcmp(col->name, "order") &&
			   vals[k] < 64 && ((ps << vals[k]) >> vals[k]) == ps) {
			sz = ps << vals[k];
		}
	}
	*size = have ? sz : 0;
	return have;
}

static int row_match_v(struct kho_ctx *c, const struct kho_table *t,
		       uint64_t row, uint64_t v, int hex)
{
	uint64_t vals[KHO_TABLE_MAX_COLS], base, size;
	unsigned int k;

	if (!v)
		return 0; /* 0 is "none" in a row, not a value to look for */
	memset(vals, 0, sizeof(vals));
	if (kho_table_row(c, t, row, vals) < 0)
		return 0;
	/* Address 0 stands for "none" (a pfn 0 folio), as for objects. */
	if (kho_bm_row_range(c, t, vals, &base, &size) && base &&
	    (v == base || (size && v >= base && v - base < size)))
		return 1;
	if (hex)
		for (k = 0; k < t->ncols && k < KHO_TABLE_MAX_COLS; k++)
			if (t->cols[k].fmt == KHO_COL_HEX && vals[k] == v)
				return 1;
	return 0;
}

int kho_bm_row_match(struct kho_ctx *c, const struct kho_table *t,
		     uint64_t row, const char *q)
{
	uint64_t v = 0;
	int hex = 0;

	if (!t || !q || row >= t->nrows || !parse_num(q, &v, &hex))
		return 0;
	return row_match_v(c, t, row, v, hex);
}

/*
 * A place in tree order: an object (t NULL) or row `row` of its table t.
 * Rows are visited only when `rows` is set, and at most `budget` of them.
 */
struct pos_it {
	struct kho_ctx *c;
	struct kho_obj *o;
	struct kho_table *t;
	uint64_t row;
	int rows;
	uint64_t budget;
	int partial;
	/* the query */
	const char *q;
	uint64_t v;
	int num, hex;
};

static struct kho_table *with_rows(struct kho_table *t)
{
	while (t && !t->nrows)
		t = t->next;
	return t;
}

static int it_next(struct pos_it *it)
{
	struct kho_table *t;

	if (it->rows && it->budget == 0) {
		it->rows = 0;
		it->partial = 1;
	}
	if (it->rows) {
		if (!it->t) {
			t = with_rows(it->o->tables);
		} else if (it->row + 1 < it->t->nrows) {
			it->row++;
			it->budget--;
			return 1;
		} else {
			t = with_rows(it->t->next);
		}
		if (t) {
			it->t = t;
			it->row = 0;
			it->budget--;
			return 1;
		}
	}
	it->t = NULL;
	it->row = 0;
	it->o = kho_bm_next_obj(it->o);
	return it->o != NULL;
}

static int it_match(const struct pos_it *it)
{
	if (!it->t)
		return kho_bm_match(it->o, it->q);
	return it->num && row_match_v(it->c, it->t, it->row, it->v, it->hex);
}

static int it_at(const struct pos_it *it, const struct kho_bm_mark *f)
{
	return it->o == f->obj && it->t == f->table &&
	       (!it->t || it->row == f->row);
}

static void it_mark(const struct pos_it *it, struct kho_bm_mark *k)
{
	memset(k, 0, sizeof(*k));
	k->kind = it->t ? KHO_BM_ROWS : KHO_BM_OBJ;
	k->obj = it->o;
	k->table = it->t;
	k->row = it->t ? it->row : 0;
}

/*
 * Where a search starts, as a place the iterator visits: `rel` says how
 * that place stands to the real start.  0: it is the start; -1: the start
 * is just before it (a table header: its row 0); 1: the start is just after
 * it (a row, when rows are not searched: its object).
 */
static void norm_from(const struct kho_bm_mark *from, int rows,
		      struct kho_bm_mark *f, int *rel)
{
	memset(f, 0, sizeof(*f));
	f->obj = from->obj;
	*rel = 0;
	if (from->kind == KHO_BM_OBJ || !from->table)
		return;
	if (rows && from->kind == KHO_BM_TABLE && from->table->nrows) {
		f->table = from->table;
		*rel = -1;
		return;
	}
	if (rows && from->kind == KHO_BM_ROWS &&
	    from->row < from->table->nrows) {
		f->table = from->table;
		f->row = from->row;
		return;
	}
	*rel = 1;
}

static int find(struct kho_ctx *c, struct kho_obj *root,
		const struct kho_bm_mark *from, const char *q, int backward,
		int rows, struct kho_bm_hit *hit)
{
	struct pos_it it = { .c = c, .q = q, .budget = KHO_BM_SCAN_ROWS };
	struct kho_bm_mark f, before, after, self;
	int rel = 0, passed, hb = 0, ha = 0, hs = 0, more;

	int bad_from = from && !from->obj;

	it.num = parse_num(q ? q : "", &it.v, &it.hex);
	it.rows = rows && it.num;
	/* from may be inside *hit: read it first. */
	memset(&f, 0, sizeof(f));
	if (from && from->obj)
		norm_from(from, it.rows, &f, &rel);
	from = from ? &f : NULL;
	memset(hit, 0, sizeof(*hit));
	if (!root || !q || !*q || bad_from)
		return 0;

	if (!backward) {
		/* From the start to the end, then from the root back to it. */
		if (from) {
			it.o = f.obj;
			it.t = f.table;
			it.row = f.row;
			more = rel < 0 ? 1 : it_next(&it);
		} else {
			it.o = root;
			more = 1;
		}
		for (; more; more = it_next(&it))
			if (it_match(&it)) {
				it_mark(&it, &hit->at);
				hit->partial = it.partial;
				return 1;
			}
		hit->partial = it.partial;
		if (!from)
			return 0;
		it.o = root;
		it.t = NULL;
		it.row = 0;
		it.rows = rows && it.num;
		it.budget = KHO_BM_SCAN_ROWS;
		it.partial = 0;
		for (more = 1; more; more = it_next(&it)) {
			int at = it_at(&it, &f);

			if (at && rel < 0)
				break;
			if (it_match(&it)) {
				it_mark(&it, &hit->at);
				hit->wrapped = 1;
				hit->partial |= it.partial;
				return 1;
			}
			if (at)
				break;
		}
		hit->partial |= it.partial;
		return 0;
	}

	/* Backward: one pass, the last match before the start, else the last. */
	passed = !from;
	it.o = root;
	for (more = 1; more; more = it_next(&it)) {
		int m;

		if (!passed && it_at(&it, &f)) {
			passed = 1;
			if (rel >= 0) {
				if (it_match(&it)) {
					if (rel == 0) {
						it_mark(&it, &self);
						hs = 1;
					} else {
						it_mark(&it, &before);
						hb = 1;
					}
				}
				continue;
			}
		}
		m = it_match(&it);
		if (m && passed) {
			it_mark(&it, &after);
			ha = 1;
		} else if (m) {
			it_mark(&it, &before);
			hb = 1;
		}
	}
	hit->partial = it.partial;
	if (hb) {
		hit->at = before;
		return 1;
	}
	if (ha) {
		hit->at = after;
		hit->wrapped = from != NULL;
		return 1;
	}
	if (hs) {
		hit->at = self;
		hit->wrapped = 1;
		return 1;
	}
	return 0;
}

int kho_bm_find(struct kho_ctx *c, struct kho_obj *root,
		const struct kho_bm_mark *from, const char *q, int backward,
		struct kho_bm_hit *hit)
{
	return find(c, root, from, q, backward, 1, hit);
}

struct kho_obj *kho_bm_search(struct kho_obj *root, const struct kho_obj *from,
			      const char *q, int backward, int *wrapped)
{
	struct kho_bm_mark f = { .kind = KHO_BM_OBJ, .obj = (struct kho_obj *)from };
	struct kho_bm_hit hit;

	*wrapped = 0;
	if (!find(NULL, root, from ? &f : NULL, q, backward, 0, &hit))
		return NULL;
	*wrapped = hit.wrapped;
	return hit.at.obj;
}

int kho_bm_row_at(struct kho_ctx *c, struct kho_obj *root, uint64_t phys,
		  struct kho_bm_hit *hit)
{
	uint64_t budget = KHO_BM_SCAN_ROWS, row, vals[KHO_TABLE_MAX_COLS];
	uint64_t base, size;
	struct kho_obj *o, *best = NULL;
	struct kho_table *t;

	memset(hit, 0, sizeof(*hit));
	for (o = root; o; o = kho_bm_next_obj(o)) {
		if (best && o->depth <= best->depth)
			continue;
		for (t = o->tables; t; t = t->next) {
			for (row = 0; row < t->nrows; row++) {
				if (!budget) {
					hit->partial = 1;
					goto out;
				}
				budget--;
				memset(vals, 0, sizeof(vals));
				if (kho_table_row(c, t, row, vals) < 0)
					continue;
				if (!kho_bm_row_range(c, t, vals, &base, &size))
					break; /* no address column */
				if (base && (phys == base ||
					     (size && phys >= base &&
					      phys - base < size)))
					break;
			}
			if (row < t->nrows && kho_bm_row_range(c, t, vals, &base,
							       &size)) {
				best = o;
				hit->at.kind = KHO_BM_ROWS;
				hit->at.obj = o;
				hit->at.table = t;
				hit->at.row = row;
				break;
			}
		}
	}
out:
	return best != NULL;
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

/* Characters a detail line holds. */
#define DL_MAX (sizeof(((struct kho_dline *)0)->text) - 1)

static struct kho_dline *push_line(struct kho_detail *d, enum kho_dl_kind kind,
				   unsigned int indent, const char *s, size_t n)
{
	struct kho_dline *l;

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
	if (indent + n > DL_MAX)
		n = indent < DL_MAX ? DL_MAX - indent : 0;
	memset(l->text, ' ', indent);
	memcpy(l->text + indent, s, n);
	l->text[indent + n] = '\0';
	return l;
}

/*
 * Add text as one line, or as several when it is wider than d->wrap
 * columns (DL_MAX when wrap is 0): it is broken at the last blank that
 * fits, or mid-word when no blank does, and the lines after the first are
 * indented 4 columns past the text's own indentation.  Nothing is cut
 * off.  Returns the index of the first line added (d->n when none was).
 */
static size_t add_text(struct kho_detail *d, enum kho_dl_kind kind,
		       const char *s)
{
	size_t first = d->n, len = strlen(s), width, room, cut, lead = 0;
	unsigned int indent = 0;

	width = d->wrap && d->wrap < DL_MAX ? d->wrap : DL_MAX;
	if (width < 8)
		width = 8;
	while (s[lead] == ' ')
		lead++;
	if (lead + 4 <= width / 2)
		indent = (unsigned int)(lead + 4);
	room = width;
	while (len > room) {
		cut = room;
		while (cut > room / 2 && s[cut] != ' ')
			cut--;
		if (s[cut] != ' ')
			cut = room; /* no blank: break the word */
		if (!push_line(d, kind, d->n > first ? indent : 0, s, cut))
			return first;
		s += cut;
		len -= cut;
		while (*s == ' ') {
			s++;
			len--;
		}
		room = width - indent;
	}
	if (len || d->n == first)
		push_line(d, kind, d->n > first ? indent : 0, s, len);
	return first;
}

static size_t add_line(struct kho_detail *d, enum kho_dl_kind kind,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static size_t add_line(struct kho_detail *d, enum kho_dl_kind kind,
		       const char *fmt, ...)
{
	char small[DL_MAX + 1], *s = NULL;
	va_list ap;
	size_t first;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s) {
		/* Out of memory: one line, cut. */
		va_start(ap, fmt);
		vsnprintf(small, sizeof(small), fmt, ap);
		va_end(ap);
	}
	first = add_text(d, kind, s ? s : small);
	free(s);
	return first;
}

/* Give the lines from `first` on (one wrapped line) a severity and target. */
static void tag_lines(struct kho_detail *d, size_t first, int sev,
		      struct kho_obj *target)
{
	for (; first < d->n; first++) {
		d->l[first].sev = sev;
		d->l[first].target = target;
	}
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
	const struct kho_image *img = kho_session_image(c);
	uint64_t ps = img->page_size ? img->page_size : 4096;
	uint64_t cap = KHO_BROWSE_HEX_PAGES * ps, len = size ? size : ps;
	char hs[KHO_HUMAN_SIZE_MAX];

	if (len > cap)
		len = cap;
	if (base >= KHO_PHYS_LIMIT)
		return;
	if (len > KHO_PHYS_LIMIT - base)
		len = KHO_PHYS_LIMIT - base;
	kho_human_size(hs, sizeof(hs), len);
	if (!kho_image_captured(img, base, 1))
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
	char path[160];
	size_t first;

	if (is_hex && v && m)
		t = kho_bm_find_phys(m, v, self);
	if (t && t != self) {
		obj_label(t, path, sizeof(path));
		first = add_line(d, KHO_DL_FIELD, "  %s: %s -> %s", name, value,
				 path);
		tag_lines(d, first, -1, t);
	} else {
		add_line(d, KHO_DL_FIELD, "  %s: %s", name, value);
	}
}

static void add_findings(struct kho_detail *d, struct kho_ctx *c,
			 const struct kho_obj *o)
{
	const struct kho_finding_rec *recs;
	char check[64], *msg;
	size_t i, first, n, nrecs;

	if (!c || !o->nfindings)
		return;
	add_line(d, KHO_DL_HEADING, "findings (%u)", o->nfindings);
	recs = kho_session_findings(c, &nrecs);
	for (i = 0; i < nrecs; i++) {
		const struct kho_finding_rec *r = &recs[i];

		if (r->obj != o)
			continue;
		/* The whole message: long ones are wrapped, never cut. */
		n = r->message ? strlen(r->message) + 1 : 1;
		msg = malloc(n);
		if (!msg)
			return;
		kho_safe_copy(msg, n, r->message ? r->message : "");
		kho_safe_copy(check, sizeof(check), r->check);
		if (r->has_phys)
			first = add_line(d, KHO_DL_FINDING, "  [%c] %s @0x%" PRIx64
					 ": %s [consequence: %s]",
					 kho_sev_letter(r->sev), check, r->phys,
					 msg, kho_cq_name((enum kho_cq)r->cq));
		else
			first = add_line(d, KHO_DL_FINDING,
					 "  [%c] %s: %s [consequence: %s]",
					 kho_sev_letter(r->sev), check, msg,
					 kho_cq_name((enum kho_cq)r->cq));
		free(msg);
		tag_lines(d, first, (int)r->sev, NULL);
	}
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
	if (!o->parent && image_of(c)) {
		const struct kho_image *img = image_of(c);

		kho_safe_copy(a, sizeof(a), img->path);
		add_line(d, KHO_DL_TEXT, "image: %s (%s, page size %s)", a,
			 kho_input_format_name(img->format),
			 kho_human_size(hs, sizeof(hs), img->page_size));
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
	if (o->has_phys && image_of(c))
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
	unsigned int k;
	int rc;

	kho_safe_copy(a, sizeof(a), t->name);
	add_line(d, KHO_DL_HEADING, "%s row %" PRIu64 " of %" PRIu64, a, row,
		 t->nrows);
	obj_label(owner, a, sizeof(a));
	add_line(d, KHO_DL_TEXT, "of: %s", a);
	memset(vals, 0, sizeof(vals));
	rc = c ? kho_table_row(c, t, row, vals) : KHO_EINVAL;
	if (rc < 0) {
		add_line(d, KHO_DL_TEXT, "row unreadable (error %d)", rc);
		return;
	}
	for (k = 0; k < t->ncols; k++) {
		kho_safe_copy(a, sizeof(a), t->cols[k].name);
		switch (t->cols[k].fmt) {
		case KHO_COL_HEX:
			snprintf(b, sizeof(b), "0x%" PRIx64, vals[k]);
			break;
		case KHO_COL_SIZE:
			kho_human_size(hs, sizeof(hs), vals[k]);
			snprintf(b, sizeof(b), "%s", hs);
			break;
		default:
			snprintf(b, sizeof(b), "%" PRIu64, vals[k]);
		}
		add_pointer(d, m, owner, a, b, vals[k],
			    t->cols[k].fmt == KHO_COL_HEX);
	}
	/* The bytes shown are those of the row's address column. */
	if (kho_bm_row_range(c, t, vals, &base, &size) && image_of(c))
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
	uint64_t ps = page_size_of(c);
	uint64_t page = phys & ~(ps - 1), bp;
	unsigned int order;
	int rc;
	struct kho_bm_hit hit;
	struct kho_obj *o;
	char a[160], path[160];

	reset(d, bpl);
	add_line(d, KHO_DL_HEADING, "address 0x%" PRIx64, phys);
	o = kho_bm_containing(m->root, phys);
	if (o) {
		obj_label(o, a, sizeof(a));
		tag_lines(d, add_line(d, KHO_DL_FIELD, "  in: %s", a), -1, o);
	} else {
		add_line(d, KHO_DL_TEXT, "  in no decoded object");
	}
	if (kho_bm_row_at(c, m->root, phys, &hit)) {
		kho_safe_copy(a, sizeof(a), hit.at.table->name);
		obj_label(hit.at.obj, path, sizeof(path));
		add_line(d, KHO_DL_TEXT, "  row: %s row %" PRIu64 " of %s", a,
			 hit.at.row, path);
	}
	rc = kho_session_block_of(c, phys, &bp, &order);
	if (rc == 0)
		add_line(d, KHO_DL_TEXT, "  preserved block 0x%" PRIx64 " order %u",
			 bp, order);
	else if (rc != KHO_ENOTCAPTURED)
		add_line(d, KHO_DL_TEXT, "  in no preserved block");
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
