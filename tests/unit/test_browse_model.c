// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for src/browse_model.[ch], the curses-free model of
 * `kho-inspect browse`: visible rows with expand/collapse, tables as virtual
 * rows, cursors, search, pointer lookup and detail lines.  The object tree
 * is built by hand here, so no image or plugin is involved.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The detail tests make a session by hand (findings on the hand-built
 * tree, no image), so they need its members: the one file outside
 * src/decode/ allowed to (tests/cli/opaque.sh).
 */
#include "decode/session_internal.h"
#include "output/browse_model.h"
#include "check_main.h"

/* ------------------------------------------------------------ a tree */

#define MAXOBJ 16
static struct kho_obj objs[MAXOBJ];
static char paths[MAXOBJ][128];
static unsigned int nobj;
static struct kho_field fields[MAXOBJ][4];
static struct kho_table folios;
static unsigned long row_calls;

static int row_fn(struct kho_ctx *c, void *state, uint64_t i, uint64_t *vals)
{
	(void)c;
	(void)state;
	row_calls++;
	vals[0] = i;
	vals[1] = UINT64_C(0x500000000) + i * 4096;
	return 0;
}

static struct kho_obj *mk(struct kho_obj *parent, const char *kind,
			  const char *name, const char *compat, uint64_t phys,
			  uint64_t size)
{
	struct kho_obj *o = &objs[nobj];

	ck_assert_uint_lt(nobj, MAXOBJ);
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->name = name;
	o->compat = compat;
	o->worst = -1;
	if (parent) {
		snprintf(paths[nobj], sizeof(paths[nobj]), "%s%s%s",
			 parent->path, strcmp(parent->path, "/") ? "/" : "",
			 name);
		o->path = paths[nobj];
		o->parent = parent;
		o->depth = parent->depth + 1;
		if (parent->last_child)
			parent->last_child->next_sibling = o;
		else
			parent->first_child = o;
		parent->last_child = o;
		parent->nchildren++;
	} else {
		o->path = "/";
	}
	if (phys) {
		o->phys = phys;
		o->size = size;
		o->has_phys = 1;
	}
	o->fields = fields[nobj];
	nobj++;
	return o;
}

static void field(struct kho_obj *o, const char *name, enum kho_field_type t,
		  uint64_t u, const char *s)
{
	struct kho_field *f = &o->fields[o->nfields++];

	f->name = name;
	f->type = t;
	f->u = u;
	f->s = s;
}

/*
 * /                    kho-root "kho-v3"           @0x100000000
 *   memory-map         "radix"                     @0x100020000
 *   LUO                "luo-v1"                    @0x100001000
 *     sessions                                      @0x100010000
 *       vm0            name "vm0"                   @0x100010008
 *         1            luo-file token 77, data -> memfd
 *           memfd      "memfd-v1" table folios      @0x100002000 (40 B)
 *       idle
 */
static struct kho_obj *root, *mm, *luo, *sessions, *vm0, *file1, *memfd,
	*idle;

static void build(void)
{
	nobj = 0;
	row_calls = 0;
	root = mk(NULL, "kho-root", "", "kho-v3", UINT64_C(0x100000000), 4096);
	field(root, "preserved-memory-map", KHO_F_HEX, UINT64_C(0x100020000),
	      NULL);
	mm = mk(root, "memory-map", "memory-map", "kho-v3",
		UINT64_C(0x100020000), 4096);
	field(mm, "format", KHO_F_STR, 0, "radix");
	luo = mk(root, "luo", "LUO", "luo-v1", UINT64_C(0x100001000), 236);
	sessions = mk(luo, "luo-sessions", "sessions", NULL,
		      UINT64_C(0x100010000), 65536);
	vm0 = mk(sessions, "luo-session", "vm0", NULL, UINT64_C(0x100010008),
		 80);
	field(vm0, "name", KHO_F_STR, 0, "vm0");
	file1 = mk(vm0, "luo-file", "1", "memfd-v1", UINT64_C(0x100006000), 64);
	field(file1, "data", KHO_F_HEX, UINT64_C(0x100002000), NULL);
	field(file1, "token", KHO_F_U64, 77, NULL);
	memfd = mk(file1, "memfd", "memfd", "memfd-v1", UINT64_C(0x100002000),
		   40);
	field(memfd, "size", KHO_F_SIZE, 20000, NULL);
	idle = mk(sessions, "luo-session", "idle", NULL, 0, 0);

	memset(&folios, 0, sizeof(folios));
	folios.name = "folios";
	folios.cols[0] = (struct kho_col){ "index", KHO_COL_DEC };
	folios.cols[1] = (struct kho_col){ "phys", KHO_COL_HEX };
	folios.ncols = 2;
	folios.nrows = UINT64_C(5000000000); /* far too many to materialise */
	folios.fn = row_fn;
	memfd->tables = &folios;

	memfd->worst = KHO_SEV_ERROR;
	memfd->nfindings = 1;
}

static struct kho_obj *row_obj(struct kho_bm *m, uint64_t idx)
{
	struct kho_bm_row r;

	ck_assert_int_eq(kho_bm_get(m, idx, &r), 0);
	return r.obj;
}

/* ------------------------------------------------------------ cursors */

START_TEST(test_cursor)
{
	struct kho_cursor cu = { .count = 100 };

	kho_cursor_move(&cu, -5, 10);
	ck_assert_uint_eq(cu.sel, 0);
	ck_assert_uint_eq(cu.top, 0);
	kho_cursor_move(&cu, 12, 10);
	ck_assert_uint_eq(cu.sel, 12);
	ck_assert_uint_eq(cu.top, 3); /* sel is the last visible line */
	kho_cursor_page(&cu, 1, 10);
	ck_assert_uint_eq(cu.sel, 22);
	ck_assert_uint_eq(cu.top, 13);
	kho_cursor_end(&cu, 10);
	ck_assert_uint_eq(cu.sel, 99);
	ck_assert_uint_eq(cu.top, 90);
	kho_cursor_page(&cu, 1, 10);
	ck_assert_uint_eq(cu.sel, 99);
	ck_assert_uint_eq(cu.top, 90);
	kho_cursor_home(&cu, 10);
	ck_assert_uint_eq(cu.sel, 0);
	ck_assert_uint_eq(cu.top, 0);
	kho_cursor_move(&cu, INT64_MAX, 10);
	ck_assert_uint_eq(cu.sel, 99);
	/* A list that shrinks pulls the selection back. */
	cu.count = 5;
	kho_cursor_clamp(&cu, 10);
	ck_assert_uint_eq(cu.sel, 4);
	ck_assert_uint_eq(cu.top, 0);
	cu.count = 0;
	kho_cursor_clamp(&cu, 10);
	ck_assert_uint_eq(cu.sel, 0);
	/* A jump shows context above the target. */
	cu.count = 1000;
	kho_cursor_set(&cu, 500, 30);
	ck_assert_uint_eq(cu.sel, 500);
	ck_assert_uint_eq(cu.top, 490);
}
END_TEST

/* ----------------------------------------------------- visible rows */

START_TEST(test_initial_rows)
{
	struct kho_bm m;

	build();
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	/* root expanded one level: root, memory-map, LUO */
	ck_assert_uint_eq(kho_bm_count(&m), 3);
	ck_assert_ptr_eq(row_obj(&m, 0), root);
	ck_assert_ptr_eq(row_obj(&m, 1), mm);
	ck_assert_ptr_eq(row_obj(&m, 2), luo);
	ck_assert_uint_eq(m.n, 3); /* nothing deeper was computed */
	kho_bm_free(&m);
}
END_TEST

START_TEST(test_expand_collapse)
{
	struct kho_bm m;
	struct kho_bm_row r;

	build();
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	ck_assert_int_eq(kho_bm_expand(&m, 1), 0); /* memory-map is a leaf */
	ck_assert_int_eq(kho_bm_expand(&m, 2), 1);
	ck_assert_int_eq(kho_bm_expand(&m, 2), 0); /* already */
	ck_assert_uint_eq(kho_bm_count(&m), 4);
	ck_assert_ptr_eq(row_obj(&m, 3), sessions);
	ck_assert_int_eq(kho_bm_get(&m, 3, &r), 0);
	ck_assert_uint_eq(r.depth, 2);
	ck_assert_int_eq(r.expandable, 1);
	ck_assert_int_eq(r.expanded, 0);
	ck_assert_int_eq(kho_bm_expand(&m, 3), 1);
	ck_assert_uint_eq(kho_bm_count(&m), 6); /* vm0, idle */
	ck_assert_ptr_eq(row_obj(&m, 5), idle);
	ck_assert_int_eq(kho_bm_get(&m, 5, &r), 0);
	ck_assert_int_eq(r.expandable, 0);

	/* Selection below an expanded row follows its row. */
	m.cur.sel = 5;
	ck_assert_int_eq(kho_bm_expand(&m, 4), 1); /* vm0: file 1 */
	ck_assert_uint_eq(m.cur.sel, 6);
	ck_assert_ptr_eq(row_obj(&m, m.cur.sel), idle);

	/* Collapsing LUO hides the whole subtree; a hidden selection moves up. */
	m.cur.sel = 4;
	ck_assert_int_eq(kho_bm_collapse(&m, 2), 1);
	ck_assert_uint_eq(kho_bm_count(&m), 3);
	ck_assert_uint_eq(m.cur.sel, 2);
	ck_assert_int_eq(kho_bm_collapse(&m, 2), 0);
	ck_assert_int_eq(kho_bm_get(&m, 3, &r), KHO_ENOENT);
	kho_bm_free(&m);
}
END_TEST

START_TEST(test_table_rows_virtual)
{
	struct kho_bm m;
	struct kho_bm_row r;
	int64_t idx;
	uint64_t t, before;

	build();
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	idx = kho_bm_reveal(&m, memfd);
	ck_assert_int_ge(idx, 0);
	ck_assert_ptr_eq(row_obj(&m, (uint64_t)idx), memfd);
	ck_assert_int_eq(kho_bm_expand(&m, (uint64_t)idx), 1);
	t = (uint64_t)idx + 1;
	ck_assert_int_eq(kho_bm_get(&m, t, &r), 0);
	ck_assert_int_eq(r.kind, KHO_BM_TABLE);
	ck_assert_ptr_eq(r.table, &folios);
	ck_assert_ptr_eq(r.obj, memfd);
	before = kho_bm_count(&m);
	ck_assert_int_eq(kho_bm_expand(&m, t), 1);
	ck_assert_uint_eq(kho_bm_count(&m), before + folios.nrows);
	/* Five billion rows, one entry, and no row read. */
	ck_assert_uint_lt(m.n, 16);
	ck_assert_int_eq(kho_bm_get(&m, t + 1 + UINT64_C(4999999999), &r), 0);
	ck_assert_int_eq(r.kind, KHO_BM_ROWS);
	ck_assert_uint_eq(r.row, UINT64_C(4999999999));
	ck_assert_uint_eq(r.depth, memfd->depth + 2);
	ck_assert_uint_eq(row_calls, 0);
	/* The row's parent is the table, the table's parent the object. */
	ck_assert_uint_eq(kho_bm_parent(&m, t + 1 + 12345), t);
	ck_assert_uint_eq(kho_bm_parent(&m, t), (uint64_t)idx);
	ck_assert_uint_eq(kho_bm_parent(&m, 0), 0);
	/* Rows after the table follow it: idle is the last row. */
	ck_assert_ptr_eq(row_obj(&m, kho_bm_count(&m) - 1), idle);
	ck_assert_int_eq(kho_bm_collapse(&m, t), 1);
	ck_assert_uint_eq(kho_bm_count(&m), before);
	kho_bm_free(&m);
}
END_TEST

START_TEST(test_reveal)
{
	struct kho_bm m;
	struct kho_obj stray;
	int64_t idx;

	build();
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	idx = kho_bm_reveal(&m, idle);
	ck_assert_int_ge(idx, 0);
	ck_assert_ptr_eq(row_obj(&m, (uint64_t)idx), idle);
	/* root, mm, LUO, sessions, vm0, idle: vm0 stays collapsed. */
	ck_assert_uint_eq(kho_bm_count(&m), 6);
	ck_assert_int_eq(kho_bm_reveal(&m, root), 0);
	memset(&stray, 0, sizeof(stray));
	stray.kind = stray.name = "";
	ck_assert_int_eq(kho_bm_reveal(&m, &stray), KHO_ENOENT);
	kho_bm_free(&m);
}
END_TEST

/* ------------------------------------------------------------ history */

START_TEST(test_history)
{
	struct kho_bm m;
	struct kho_bm_mark k, got, table_mark, row_mark;
	struct kho_bm_row r;
	int64_t idx, t;
	unsigned int i;

	build();
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	ck_assert_int_eq(kho_bm_pop(&m, &got), KHO_ENOENT);

	/* A mark names a row by what it shows, not by its index. */
	idx = kho_bm_reveal(&m, memfd);
	ck_assert_int_ge(idx, 0);
	ck_assert_int_eq(kho_bm_expand(&m, (uint64_t)idx), 1);
	t = idx + 1;
	ck_assert_int_eq(kho_bm_expand(&m, (uint64_t)t), 1);
	ck_assert_int_eq(kho_bm_mark(&m, (uint64_t)t, &table_mark), 0);
	ck_assert_int_eq(table_mark.kind, KHO_BM_TABLE);
	ck_assert_ptr_eq(table_mark.table, &folios);
	ck_assert_int_eq(kho_bm_mark(&m, (uint64_t)t + 1 + 4242, &row_mark), 0);
	ck_assert_int_eq(row_mark.kind, KHO_BM_ROWS);
	ck_assert_ptr_eq(row_mark.obj, memfd);
	ck_assert_uint_eq(row_mark.row, 4242);
	ck_assert_int_eq(kho_bm_mark(&m, kho_bm_count(&m), &k), KHO_ENOENT);
	ck_assert_ptr_null(k.obj);

	/* Collapsed away, a row and a table are found again. */
	ck_assert_int_eq(kho_bm_collapse(&m, 2), 1); /* LUO */
	idx = kho_bm_locate(&m, &row_mark);
	ck_assert_int_ge(idx, 0);
	ck_assert_int_eq(kho_bm_get(&m, (uint64_t)idx, &r), 0);
	ck_assert_int_eq(r.kind, KHO_BM_ROWS);
	ck_assert_ptr_eq(r.table, &folios);
	ck_assert_uint_eq(r.row, 4242);
	ck_assert_int_eq(kho_bm_collapse(&m, 2), 1);
	idx = kho_bm_locate(&m, &table_mark);
	ck_assert_int_ge(idx, 0);
	ck_assert_int_eq(kho_bm_get(&m, (uint64_t)idx, &r), 0);
	ck_assert_int_eq(r.kind, KHO_BM_TABLE);
	ck_assert_int_eq(r.expanded, 0);
	ck_assert_int_eq(kho_bm_mark(&m, 0, &k), 0);
	ck_assert_int_eq(kho_bm_locate(&m, &k), 0);
	/* A row past the end, or a table the object does not have: gone. */
	k = row_mark;
	k.row = folios.nrows;
	ck_assert_int_eq(kho_bm_locate(&m, &k), KHO_ENOENT);
	k = table_mark;
	k.obj = file1;
	ck_assert_int_eq(kho_bm_locate(&m, &k), KHO_ENOENT);

	/* Equality: same row, and the same page when a page is shown. */
	k = row_mark;
	ck_assert_int_eq(kho_bm_mark_eq(&k, &row_mark), 1);
	k.row++;
	ck_assert_int_eq(kho_bm_mark_eq(&k, &row_mark), 0);
	k = row_mark;
	k.page = 1;
	k.page_phys = 0x1000;
	ck_assert_int_eq(kho_bm_mark_eq(&k, &row_mark), 0);
	got = k;
	ck_assert_int_eq(kho_bm_mark_eq(&k, &got), 1);
	got.page_phys = 0x2000;
	ck_assert_int_eq(kho_bm_mark_eq(&k, &got), 0);

	/* Last in, first out; no object, nothing remembered. */
	memset(&k, 0, sizeof(k));
	kho_bm_push(&m, &k);
	ck_assert_uint_eq(m.hist_n, 0);
	kho_bm_push(&m, &table_mark);
	kho_bm_push(&m, &row_mark);
	ck_assert_int_eq(kho_bm_pop(&m, &got), 0);
	ck_assert_int_eq(kho_bm_mark_eq(&got, &row_mark), 1);
	ck_assert_int_eq(kho_bm_pop(&m, &got), 0);
	ck_assert_int_eq(kho_bm_mark_eq(&got, &table_mark), 1);
	ck_assert_int_eq(kho_bm_pop(&m, &got), KHO_ENOENT);

	/* Bounded: the oldest places are forgotten. */
	k = row_mark;
	for (i = 0; i < KHO_BM_HISTORY + 10; i++) {
		k.row = i;
		kho_bm_push(&m, &k);
	}
	ck_assert_uint_eq(m.hist_n, KHO_BM_HISTORY);
	for (i = 0; i < KHO_BM_HISTORY; i++) {
		ck_assert_int_eq(kho_bm_pop(&m, &got), 0);
		ck_assert_uint_eq(got.row, KHO_BM_HISTORY + 10 - 1 - i);
	}
	ck_assert_int_eq(kho_bm_pop(&m, &got), KHO_ENOENT);
	kho_bm_free(&m);
}
END_TEST

/* ------------------------------------------------ findings below a node */

START_TEST(test_inside)
{
	struct kho_bm m;

	build();
	luo->worst = KHO_SEV_NOTE;
	idle->worst = KHO_SEV_WARNING;
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	/* memfd's error shows on every ancestor, not on memfd itself. */
	ck_assert_int_eq(kho_bm_inside(&m, file1), KHO_SEV_ERROR);
	ck_assert_int_eq(kho_bm_inside(&m, vm0), KHO_SEV_ERROR);
	ck_assert_int_eq(kho_bm_inside(&m, sessions), KHO_SEV_ERROR);
	ck_assert_int_eq(kho_bm_inside(&m, luo), KHO_SEV_ERROR);
	ck_assert_int_eq(kho_bm_inside(&m, root), KHO_SEV_ERROR);
	ck_assert_int_eq(kho_bm_inside(&m, memfd), -1);
	/* A clean subtree, and a node whose only finding is its own. */
	ck_assert_int_eq(kho_bm_inside(&m, mm), -1);
	ck_assert_int_eq(kho_bm_inside(&m, idle), -1);
	kho_bm_free(&m);

	/* The worst wins: unknown above warning above note. */
	memfd->worst = KHO_SEV_NOTE;
	mm->worst = KHO_SEV_UNKNOWN;
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	ck_assert_int_eq(kho_bm_inside(&m, vm0), KHO_SEV_NOTE);
	ck_assert_int_eq(kho_bm_inside(&m, sessions), KHO_SEV_WARNING);
	ck_assert_int_eq(kho_bm_inside(&m, luo), KHO_SEV_WARNING);
	ck_assert_int_eq(kho_bm_inside(&m, root), KHO_SEV_UNKNOWN);
	kho_bm_free(&m);

	/* No findings anywhere: nothing below anything. */
	memfd->worst = mm->worst = luo->worst = idle->worst = -1;
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	ck_assert_int_eq(kho_bm_inside(&m, root), -1);
	ck_assert_uint_eq(m.ninside, 0);
	kho_bm_free(&m);
}
END_TEST

/* ------------------------------------------------------------ search */

START_TEST(test_match)
{
	build();
	ck_assert(kho_bm_match(vm0, "vm0"));
	ck_assert(kho_bm_match(vm0, "VM"));            /* any case */
	ck_assert(kho_bm_match(file1, "memfd-v1"));    /* compat */
	ck_assert(kho_bm_match(mm, "radix"));          /* string field */
	ck_assert(kho_bm_match(file1, "77"));          /* token */
	ck_assert(!kho_bm_match(file1, "7"));          /* numbers are exact */
	ck_assert(kho_bm_match(file1, "0x100002000")); /* hex field */
	ck_assert(kho_bm_match(memfd, "0x100002010")); /* inside its bytes */
	ck_assert(!kho_bm_match(memfd, "0x100002028"));/* one past the end */
	ck_assert(kho_bm_match(sessions, "0x10001"));  /* part of its phys */
	ck_assert(!kho_bm_match(idle, "0x10001"));
	ck_assert(!kho_bm_match(vm0, ""));
	ck_assert(!kho_bm_match(vm0, "nothing-like-it"));
}
END_TEST

START_TEST(test_search_order)
{
	struct kho_obj *o;
	int wrapped;

	build();
	/* "session" matches sessions, vm0 and idle (kind luo-session[s]). */
	o = kho_bm_search(root, NULL, "session", 0, &wrapped);
	ck_assert_ptr_eq(o, sessions);
	ck_assert_int_eq(wrapped, 0);
	o = kho_bm_search(root, o, "session", 0, &wrapped);
	ck_assert_ptr_eq(o, vm0);
	o = kho_bm_search(root, o, "session", 0, &wrapped);
	ck_assert_ptr_eq(o, idle);
	o = kho_bm_search(root, o, "session", 0, &wrapped);
	ck_assert_ptr_eq(o, sessions);
	ck_assert_int_eq(wrapped, 1);
	/* Backward. */
	o = kho_bm_search(root, sessions, "session", 1, &wrapped);
	ck_assert_ptr_eq(o, idle);
	ck_assert_int_eq(wrapped, 1);
	o = kho_bm_search(root, idle, "session", 1, &wrapped);
	ck_assert_ptr_eq(o, vm0);
	ck_assert_int_eq(wrapped, 0);
	o = kho_bm_search(root, NULL, "session", 1, &wrapped);
	ck_assert_ptr_eq(o, idle);
	/* A single match is found again from itself, as a wrap. */
	o = kho_bm_search(root, vm0, "vm0", 0, &wrapped);
	ck_assert_ptr_eq(o, vm0);
	ck_assert_int_eq(wrapped, 1);
	o = kho_bm_search(root, vm0, "vm0", 1, &wrapped);
	ck_assert_ptr_eq(o, vm0);
	ck_assert(kho_bm_search(root, vm0, "absent", 0, &wrapped) == NULL);
	ck_assert_int_eq(wrapped, 0);
}
END_TEST

START_TEST(test_find_phys)
{
	struct kho_bm m;

	build();
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	ck_assert_ptr_eq(kho_bm_find_phys(&m, UINT64_C(0x100002000), NULL),
			 memfd);
	ck_assert_ptr_eq(kho_bm_find_phys(&m, UINT64_C(0x100020000), NULL), mm);
	ck_assert(kho_bm_find_phys(&m, UINT64_C(0x100002008), NULL) == NULL);
	/* Only itself at that address: still found (a caller may skip it). */
	ck_assert_ptr_eq(kho_bm_find_phys(&m, UINT64_C(0x100002000), memfd),
			 memfd);
	ck_assert_ptr_eq(kho_bm_containing(root, UINT64_C(0x100002010)), memfd);
	ck_assert_ptr_eq(kho_bm_containing(root, UINT64_C(0x100010020)), vm0);
	ck_assert(kho_bm_containing(root, UINT64_C(0x900000000)) == NULL);
	kho_bm_free(&m);
}
END_TEST

/* ------------------------------------------------------ table rows */

/* blocks: phys, order, pfn; row i at 0x500000000 + i * 0x100000000. */
static const uint64_t blk_order[3] = { 4, 0, 0 };

static int blk_fn(struct kho_ctx *c, void *state, uint64_t i, uint64_t *vals)
{
	(void)c;
	(void)state;
	if (i >= 3)
		return KHO_ERANGE;
	vals[0] = UINT64_C(0x500000000) + i * UINT64_C(0x100000000);
	vals[1] = blk_order[i];
	vals[2] = vals[0] >> 12;
	return 0;
}

static struct kho_table blocks;

static void add_blocks(void)
{
	memset(&blocks, 0, sizeof(blocks));
	blocks.name = "blocks";
	blocks.cols[0] = (struct kho_col){ "phys", KHO_COL_HEX };
	blocks.cols[1] = (struct kho_col){ "order", KHO_COL_DEC };
	blocks.cols[2] = (struct kho_col){ "pfn", KHO_COL_HEX };
	blocks.ncols = 3;
	blocks.nrows = 3;
	blocks.fn = blk_fn;
	root->tables = &blocks;
}

/* kho_table_row: a row past nrows never reaches the decoder. */
static unsigned int counted_calls;

static int counting_fn(struct kho_ctx *c, void *state, uint64_t i,
		       uint64_t *vals)
{
	counted_calls++;
	vals[0] = i;
	return 0;
}

START_TEST(test_table_row_bounds)
{
	uint64_t vals[KHO_TABLE_MAX_COLS] = { 0 };
	struct kho_table t;

	memset(&t, 0, sizeof(t));
	t.ncols = 1;
	t.nrows = 2;
	t.fn = counting_fn;
	counted_calls = 0;
	ck_assert_int_eq(kho_table_row(NULL, &t, 1, vals), 0);
	ck_assert_uint_eq(vals[0], 1);
	ck_assert_int_eq(kho_table_row(NULL, &t, 2, vals), KHO_ERANGE);
	ck_assert_int_eq(kho_table_row(NULL, &t, UINT64_MAX, vals), KHO_ERANGE);
	ck_assert_uint_eq(counted_calls, 1);
	t.fn = NULL;
	ck_assert_int_eq(kho_table_row(NULL, &t, 0, vals), KHO_EINVAL);
}
END_TEST

START_TEST(test_row_range_match)
{
	uint64_t vals[KHO_TABLE_MAX_COLS] = { 0 }, base, size;
	struct kho_table noaddr;

	build();
	add_blocks();
	/* order 4 of 4 KiB pages (no image: 4 KiB). */
	blk_fn(NULL, NULL, 0, vals);
	ck_assert_int_eq(kho_bm_row_range(NULL, &blocks, vals, &base, &size), 1);
	ck_assert_uint_eq(base, UINT64_C(0x500000000));
	ck_assert_uint_eq(size, 16 * 4096);
	/* folios: an address, no size. */
	vals[1] = UINT64_C(0x500002000);
	ck_assert_int_eq(kho_bm_row_range(NULL, &folios, vals, &base, &size), 1);
	ck_assert_uint_eq(base, UINT64_C(0x500002000));
	ck_assert_uint_eq(size, 0);
	/* No column named like an address: no range. */
	noaddr = blocks;
	noaddr.cols[0] = (struct kho_col){ "token", KHO_COL_HEX };
	ck_assert_int_eq(kho_bm_row_range(NULL, &noaddr, vals, &base, &size), 0);
	ck_assert(!kho_bm_row_match(NULL, &noaddr, 1, "0x600000800"));

	ck_assert(kho_bm_row_match(NULL, &blocks, 0, "0x500000000"));
	ck_assert(kho_bm_row_match(NULL, &blocks, 0, "0x50000fff8")); /* inside */
	ck_assert(!kho_bm_row_match(NULL, &blocks, 0, "0x500010000")); /* past */
	ck_assert(kho_bm_row_match(NULL, &blocks, 1, "0x600000fff"));
	ck_assert(!kho_bm_row_match(NULL, &blocks, 1, "0x600001000"));
	ck_assert(kho_bm_row_match(NULL, &blocks, 1, "25769803776")); /* decimal */
	ck_assert(kho_bm_row_match(NULL, &blocks, 1, "0x600000"));    /* pfn */
	ck_assert(!kho_bm_row_match(NULL, &blocks, 1, "6291456"));    /* not hex */
	ck_assert(!kho_bm_row_match(NULL, &blocks, 1, "blocks"));     /* text */
	ck_assert(!kho_bm_row_match(NULL, &blocks, 3, "0x800000000")); /* no row */
	/* A row at address 0 (none) holds nothing, though its pfn matches. */
	{
		struct kho_table zero = blocks;

		zero.fn = row_fn; /* index, phys: row 0 is at 0x500000000 */
		zero.cols[0] = (struct kho_col){ "index", KHO_COL_DEC };
		zero.cols[1] = (struct kho_col){ "phys", KHO_COL_HEX };
		zero.ncols = 2;
		ck_assert(kho_bm_row_match(NULL, &zero, 0, "0x500000000"));
		zero.cols[0] = (struct kho_col){ "phys", KHO_COL_HEX };
		zero.cols[1] = (struct kho_col){ "pfn", KHO_COL_HEX };
		/* Now a row's phys is its index: row 0's is 0, row 1's 1. */
		ck_assert(!kho_bm_row_match(NULL, &zero, 0, "0"));
		ck_assert(!kho_bm_row_match(NULL, &zero, 0, "0x0"));
		ck_assert(kho_bm_row_match(NULL, &zero, 0, "0x500000000"));
		ck_assert(kho_bm_row_match(NULL, &zero, 1, "0x1"));
	}
	/* Size unknown: only the first byte. */
	ck_assert(kho_bm_row_match(NULL, &folios, 2, "0x500002000"));
	ck_assert(!kho_bm_row_match(NULL, &folios, 2, "0x500002008"));
}
END_TEST

START_TEST(test_find_rows)
{
	struct kho_bm_mark from;
	struct kho_bm_hit hit;
	struct kho_bm m;
	int64_t idx;

	build();
	add_blocks();
	folios.nrows = 5; /* small, so that every row is searched */
	/* Forward from the start: root's own rows come before its children. */
	ck_assert_int_eq(kho_bm_find(NULL, root, NULL, "0x500002000", 0, &hit), 1);
	ck_assert_int_eq(hit.at.kind, KHO_BM_ROWS);
	ck_assert_ptr_eq(hit.at.table, &blocks);
	ck_assert_uint_eq(hit.at.row, 0);
	ck_assert_int_eq(hit.wrapped, 0);
	/* Next: the folio at that address, deep in the tree. */
	from = hit.at;
	ck_assert_int_eq(kho_bm_find(NULL, root, &from, "0x500002000", 0, &hit), 1);
	ck_assert_ptr_eq(hit.at.obj, memfd);
	ck_assert_ptr_eq(hit.at.table, &folios);
	ck_assert_uint_eq(hit.at.row, 2);
	ck_assert_int_eq(hit.wrapped, 0);
	/* Then around to the block again. */
	from = hit.at;
	ck_assert_int_eq(kho_bm_find(NULL, root, &from, "0x500002000", 0, &hit), 1);
	ck_assert_ptr_eq(hit.at.table, &blocks);
	ck_assert_int_eq(hit.wrapped, 1);
	/* Backward from the block: wraps to the folio. */
	from = hit.at;
	ck_assert_int_eq(kho_bm_find(NULL, root, &from, "0x500002000", 1, &hit), 1);
	ck_assert_ptr_eq(hit.at.table, &folios);
	ck_assert_int_eq(hit.wrapped, 1);
	/* Backward from the folio: the block, before it. */
	from = hit.at;
	ck_assert_int_eq(kho_bm_find(NULL, root, &from, "0x500002000", 1, &hit), 1);
	ck_assert_ptr_eq(hit.at.table, &blocks);
	ck_assert_int_eq(hit.wrapped, 0);
	/* From the folio table's header: its rows come next. */
	from = (struct kho_bm_mark){ .kind = KHO_BM_TABLE, .obj = memfd,
				     .table = &folios };
	ck_assert_int_eq(kho_bm_find(NULL, root, &from, "0x500000000", 0, &hit), 1);
	ck_assert_ptr_eq(hit.at.table, &folios);
	ck_assert_uint_eq(hit.at.row, 0);
	ck_assert_int_eq(hit.wrapped, 0);
	/* A pfn (hex column) finds its row; a unique match found from itself. */
	ck_assert_int_eq(kho_bm_find(NULL, root, NULL, "0x700000", 0, &hit), 1);
	ck_assert_uint_eq(hit.at.row, 2);
	from = hit.at;
	ck_assert_int_eq(kho_bm_find(NULL, root, &from, "0x700000", 0, &hit), 1);
	ck_assert(hit.at.table == &blocks && hit.at.row == 2 && hit.wrapped);
	/* Text finds objects only, also from a row. */
	ck_assert_int_eq(kho_bm_find(NULL, root, &from, "memfd", 0, &hit), 1);
	ck_assert_int_eq(hit.at.kind, KHO_BM_OBJ);
	ck_assert_ptr_eq(hit.at.obj, file1); /* compat memfd-v1 */
	ck_assert_int_eq(kho_bm_find(NULL, root, NULL, "0x900000000", 0, &hit), 0);
	ck_assert_int_eq(hit.partial, 0);

	/* The hit's row can be shown: its object and table open up. */
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	ck_assert_int_eq(kho_bm_find(NULL, root, NULL, "0x500004000", 0, &hit), 1);
	ck_assert_ptr_eq(hit.at.table, &blocks); /* inside block 0 */
	ck_assert_int_eq(kho_bm_find(NULL, root, &hit.at, "0x500004000", 0, &hit), 1);
	ck_assert_ptr_eq(hit.at.table, &folios);
	idx = kho_bm_locate(&m, &hit.at);
	ck_assert_int_ge(idx, 0);
	{
		struct kho_bm_row r;

		ck_assert_int_eq(kho_bm_get(&m, (uint64_t)idx, &r), 0);
		ck_assert_int_eq(r.kind, KHO_BM_ROWS);
		ck_assert_ptr_eq(r.table, &folios);
		ck_assert_uint_eq(r.row, 4);
	}
	kho_bm_free(&m);
}
END_TEST

START_TEST(test_find_rows_bounded)
{
	struct kho_bm_hit hit;

	build();
	add_blocks();
	/* folios has 5e9 rows: a search reads a bounded number of them. */
	row_calls = 0;
	ck_assert_int_eq(kho_bm_find(NULL, root, NULL, "0x900000000", 0, &hit), 0);
	ck_assert_int_eq(hit.partial, 1);
	ck_assert_uint_le(row_calls, KHO_BM_SCAN_ROWS);
	/* Objects after the big table are still searched. */
	ck_assert_int_eq(kho_bm_find(NULL, root, NULL, "idle", 0, &hit), 1);
	ck_assert_ptr_eq(hit.at.obj, idle);
	/* A row within the bound is found. */
	ck_assert_int_eq(kho_bm_find(NULL, root, NULL, "0x500100000", 0, &hit), 1);
	ck_assert_ptr_eq(hit.at.table, &folios);
	ck_assert_uint_eq(hit.at.row, 256);
	ck_assert_int_eq(hit.partial, 0);
	row_calls = 0;
	ck_assert_int_eq(kho_bm_row_at(NULL, root, UINT64_C(0x900000000), &hit), 0);
	ck_assert_int_eq(hit.partial, 1);
	ck_assert_uint_le(row_calls, KHO_BM_SCAN_ROWS);
}
END_TEST

START_TEST(test_row_at)
{
	struct kho_bm_hit hit;

	build();
	add_blocks();
	folios.nrows = 5;
	/* Held by block 0 only (a folio's row of unknown size is one byte). */
	ck_assert_int_eq(kho_bm_row_at(NULL, root, UINT64_C(0x500002010), &hit), 1);
	ck_assert_ptr_eq(hit.at.table, &blocks);
	ck_assert_uint_eq(hit.at.row, 0);
	ck_assert_int_eq(hit.at.kind, KHO_BM_ROWS);
	/* Held by block 0 and folio 2: the deeper owner wins. */
	ck_assert_int_eq(kho_bm_row_at(NULL, root, UINT64_C(0x500002000), &hit), 1);
	ck_assert_ptr_eq(hit.at.obj, memfd);
	ck_assert_ptr_eq(hit.at.table, &folios);
	ck_assert_uint_eq(hit.at.row, 2);
	ck_assert_int_eq(kho_bm_row_at(NULL, root, UINT64_C(0x600000800), &hit), 1);
	ck_assert_uint_eq(hit.at.row, 1);
	ck_assert_int_eq(kho_bm_row_at(NULL, root, UINT64_C(0x600001000), &hit), 0);
	ck_assert_int_eq(hit.partial, 0);
}
END_TEST

/* ------------------------------------------------------------ details */

static int has_line(const struct kho_detail *d, const char *s,
		    enum kho_dl_kind kind)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->l[i].kind == kind && strstr(d->l[i].text, s))
			return 1;
	return 0;
}

START_TEST(test_detail)
{
	struct kho_bm m;
	struct kho_detail d;
	struct kho_bm_row r;
	struct kho_ctx c;
	struct kho_finding_rec rec[2];
	int64_t idx;
	size_t i;

	build();
	memset(&c, 0, sizeof(c));
	memset(rec, 0, sizeof(rec));
	rec[0] = (struct kho_finding_rec){ .sev = KHO_SEV_ERROR,
					   .check = "memfd.folio-unpreserved",
					   .path = memfd->path, .obj = memfd,
					   .message = (char *)"folio 3\033[2J" };
	rec[1] = (struct kho_finding_rec){ .sev = KHO_SEV_NOTE,
					   .check = "luo.flb-missing",
					   .path = luo->path, .obj = luo,
					   .message = (char *)"no flb" };
	c.findings = rec;
	c.nfindings = 2;
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	memset(&d, 0, sizeof(d));

	/* A pointer field names the object it points at. */
	idx = kho_bm_reveal(&m, file1);
	ck_assert_int_eq(kho_bm_get(&m, (uint64_t)idx, &r), 0);
	ck_assert_int_eq(kho_detail_build(&d, &c, &m, &r, 8), 0);
	ck_assert(has_line(&d, "data: 0x100002000 -> /LUO/sessions/vm0/1/memfd",
			   KHO_DL_FIELD));
	ck_assert(has_line(&d, "token: 77", KHO_DL_FIELD));
	for (i = 0; i < d.n; i++)
		if (strstr(d.l[i].text, "data:"))
			ck_assert_ptr_eq(d.l[i].target, memfd);
	ck_assert_int_eq(d.has_hex, 0); /* no image in this context */
	ck_assert_uint_eq(d.nlines, d.n);

	/* Findings of the object only, escaped, with their severity. */
	kho_bm_expand(&m, (uint64_t)idx);
	ck_assert_int_eq(kho_bm_get(&m, (uint64_t)idx + 1, &r), 0);
	ck_assert_ptr_eq(r.obj, memfd);
	kho_detail_build(&d, &c, &m, &r, 8);
	ck_assert(has_line(&d, "[E] memfd.folio-unpreserved: folio 3?[2J",
			   KHO_DL_FINDING));
	ck_assert(!has_line(&d, "luo.flb-missing", KHO_DL_FINDING));
	ck_assert(has_line(&d, "folios: 5000000000 rows (index, phys)",
			   KHO_DL_TEXT));
	/* 20000 B is 19.53125 KiB: rounded, with the exact count. */
	ck_assert(has_line(&d, "size: ~19.53 KiB (20000)", KHO_DL_FIELD));

	/* A table row is read once, for its detail. */
	kho_bm_expand(&m, (uint64_t)idx + 1);
	kho_bm_expand(&m, (uint64_t)idx + 2);
	ck_assert_int_eq(kho_bm_get(&m, (uint64_t)idx + 3 + 7, &r), 0);
	ck_assert_int_eq(r.kind, KHO_BM_ROWS);
	row_calls = 0;
	kho_detail_build(&d, &c, &m, &r, 8);
	ck_assert_uint_eq(row_calls, 1);
	ck_assert(has_line(&d, "index: 7", KHO_DL_FIELD));
	ck_assert(has_line(&d, "phys: 0x500007000", KHO_DL_FIELD));

	kho_detail_free(&d);
	kho_bm_free(&m);
}
END_TEST

/* All finding lines from the one holding `start` on, blanks removed. */
static void joined_finding(const struct kho_detail *d, const char *start,
			   char *out, size_t len, size_t *nl, size_t *widest,
			   int *sev_all)
{
	size_t i, o = 0, w;
	const char *p;
	int in = 0;

	*nl = *widest = 0;
	*sev_all = 1;
	for (i = 0; i < d->n; i++) {
		if (!in && !strstr(d->l[i].text, start))
			continue;
		if (in && (d->l[i].kind != KHO_DL_FINDING ||
			   strstr(d->l[i].text, "  [")))
			break;
		in = 1;
		(*nl)++;
		w = strlen(d->l[i].text);
		if (w > *widest)
			*widest = w;
		if (d->l[i].sev != KHO_SEV_ERROR)
			*sev_all = 0;
		for (p = d->l[i].text; *p && o + 1 < len; p++)
			if (*p != ' ')
				out[o++] = *p;
	}
	out[o] = '\0';
}

static void strip_blanks(const char *s, char *out, size_t len)
{
	size_t o = 0;

	for (; *s && o + 1 < len; s++)
		if (*s != ' ')
			out[o++] = *s;
	out[o] = '\0';
}

START_TEST(test_detail_wrap)
{
	struct kho_bm m;
	struct kho_detail d;
	struct kho_bm_row r;
	struct kho_ctx c;
	struct kho_finding_rec rec;
	char msg[400], want[600], got[1200];
	size_t nl, widest, i;
	int sev_all;
	int64_t idx;

	build();
	/* 319 characters: words of 9, then one blank-less run of 40. */
	msg[0] = '\0';
	for (i = 0; i < 31; i++)
		strcat(msg, "word-abc ");
	strcat(msg, "0123456789abcdefghijklmnopqrstuvwxyzABCD");
	ck_assert_uint_eq(strlen(msg), 319);
	memset(&c, 0, sizeof(c));
	rec = (struct kho_finding_rec){ .sev = KHO_SEV_ERROR,
					.check = "memfd.folio-unpreserved",
					.path = memfd->path, .obj = memfd,
					.message = msg };
	c.findings = &rec;
	c.nfindings = 1;
	ck_assert_int_eq(kho_bm_init(&m, root), 0);
	idx = kho_bm_reveal(&m, memfd);
	ck_assert_int_eq(kho_bm_get(&m, (uint64_t)idx, &r), 0);
	snprintf(got, sizeof(got),
		 "  [E] memfd.folio-unpreserved: %s [consequence: unknown]", msg);
	strip_blanks(got, want, sizeof(want));

	/* Narrow: every line fits, the message is all there, in order. */
	memset(&d, 0, sizeof(d));
	d.wrap = 30;
	kho_detail_build(&d, &c, &m, &r, 8);
	joined_finding(&d, "[E] memfd.folio-unpreserved", got, sizeof(got),
		       &nl, &widest, &sev_all);
	ck_assert_str_eq(got, want);
	ck_assert_uint_ge(nl, 12);
	ck_assert_uint_le(widest, 30);
	ck_assert(sev_all); /* continuation lines keep the colour */
	/* Continuations are indented past "  [E] "; words are not broken. */
	for (i = 0; i < d.n; i++)
		if (strstr(d.l[i].text, "word-a") &&
		    !strstr(d.l[i].text, "[E]")) {
			ck_assert(!strncmp(d.l[i].text, "      ", 6));
			ck_assert(d.l[i].text[6] != ' ');
		}
	ck_assert(has_line(&d, "      word-abc word-abc", KHO_DL_FINDING));
	/* The blank-less run is broken where the line ends. */
	ck_assert(has_line(&d, "0123456789abcdefghijklmnopqrstuvwx",
			   KHO_DL_FINDING) == 0);
	/* Other long lines wrap too: the table's column list. */
	ck_assert_uint_eq(d.nlines, d.n);

	/* No width: lines of up to the line size, still nothing lost. */
	d.wrap = 0;
	kho_detail_build(&d, &c, &m, &r, 8);
	joined_finding(&d, "[E] memfd.folio-unpreserved", got, sizeof(got),
		       &nl, &widest, &sev_all);
	ck_assert_str_eq(got, want);
	ck_assert_uint_eq(nl, 2);
	ck_assert_uint_le(widest, sizeof(d.l[0].text) - 1);

	/* A short message stays one line. */
	rec.message = (char *)"folio 3";
	d.wrap = 70;
	kho_detail_build(&d, &c, &m, &r, 8);
	joined_finding(&d, "[E] memfd.folio-unpreserved", got, sizeof(got),
		       &nl, &widest, &sev_all);
	ck_assert_uint_eq(nl, 1);
	ck_assert(has_line(&d,
			   "  [E] memfd.folio-unpreserved: folio 3 [consequence: unknown]",
			   KHO_DL_FINDING));

	kho_detail_free(&d);
	kho_bm_free(&m);
}
END_TEST

START_TEST(test_text_helpers)
{
	char buf[128];
	struct kho_field f = { "x", KHO_F_SIZE, 65536, NULL };

	kho_safe_copy(buf, sizeof(buf), "a\033[31mb\n\x80");
	ck_assert_str_eq(buf, "a?[31mb??");
	kho_safe_copy(buf, 4, "abcdef");
	ck_assert_str_eq(buf, "abc");
	kho_field_text(&f, buf, sizeof(buf));
	ck_assert_str_eq(buf, "64 KiB (65536)");
	f.type = KHO_F_HEX;
	kho_field_text(&f, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0x10000");
	f.type = KHO_F_BOOL;
	kho_field_text(&f, buf, sizeof(buf));
	ck_assert_str_eq(buf, "true");
	/* Without an image every byte is "not captured". */
	kho_hex_line(NULL, UINT64_C(0x1000), 4, 8, 8, buf, sizeof(buf));
	/* 4 missing bytes, room for 4 more (3 columns each), 2 blanks, and
	 * 4 blank ASCII cells. */
	ck_assert_str_eq(buf, "0x00001000  -- -- -- --"
			      "            " "  " "    ");
	ck_assert_int_eq(kho_sev_letter(KHO_SEV_ERROR), 'E');
	ck_assert_int_eq(kho_sev_letter(KHO_SEV_WARNING), 'W');
	ck_assert_int_eq(kho_sev_letter(KHO_SEV_NOTE), 'N');
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("browse_model");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_cursor);
	tcase_add_test(tc, test_initial_rows);
	tcase_add_test(tc, test_expand_collapse);
	tcase_add_test(tc, test_table_rows_virtual);
	tcase_add_test(tc, test_reveal);
	tcase_add_test(tc, test_history);
	tcase_add_test(tc, test_inside);
	tcase_add_test(tc, test_match);
	tcase_add_test(tc, test_search_order);
	tcase_add_test(tc, test_find_phys);
	tcase_add_test(tc, test_row_range_match);
	tcase_add_test(tc, test_find_rows);
	tcase_add_test(tc, test_find_rows_bounded);
	tcase_add_test(tc, test_row_at);
	tcase_add_test(tc, test_detail);
	tcase_add_test(tc, test_detail_wrap);
	tcase_add_test(tc, test_text_helpers);
	tcase_add_test(tc, test_table_row_bounds);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kho_check_run(suite());
}
