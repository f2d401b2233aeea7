// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `kho-inspect browse`: the right pane.  The selected row's fields, tables
 * and findings, then a hex and ASCII view of its bytes with the physical
 * address on every line.  Hex lines are read from the image only when they
 * are on screen.
 */
#include <curses.h>
#include <string.h>

#include "browse.h"

/* Largest bytes-per-line whose hex line fits the pane. */
static unsigned int fit_bpl(const struct kho_detail *d, int width)
{
	unsigned int bpl;

	for (bpl = 16; bpl > 4; bpl /= 2)
		if ((int)(d->addr_digits + 5 + 4 * bpl) <= width)
			break;
	return bpl;
}

static void key_of(const struct browse *b, struct browse_key *k)
{
	struct kho_bm_row r;

	memset(k, 0, sizeof(*k));
	if (kho_bm_get(&b->m, b->m.cur.sel, &r))
		return;
	k->kind = r.kind;
	k->obj = r.obj;
	k->table = r.table;
	k->row = r.kind == KHO_BM_ROWS ? r.row : 0;
}

static int same_key(const struct browse_key *a, const struct browse_key *k)
{
	return a->kind == k->kind && a->obj == k->obj && a->table == k->table &&
	       a->row == k->row;
}

void browse_detail_sync(struct browse *b)
{
	struct browse_key k;
	struct kho_bm_row r;
	unsigned int bpl, h = browse_height(b);
	int w = browse_rw(b) - 1;

	key_of(b, &k);
	if (b->dvalid && same_key(&b->dkey, &k)) {
		b->dc.count = b->d.nlines;
		kho_cursor_clamp(&b->dc, h);
		return;
	}
	b->page_mode = 0;
	if (kho_bm_get(&b->m, b->m.cur.sel, &r)) {
		kho_detail_free(&b->d);
		b->dc = (struct kho_cursor){ 0 };
		return;
	}
	/* Build once, then again if the hex lines would not fit. */
	b->d.wrap = (unsigned int)(w > 0 ? w : 1);
	kho_detail_build(&b->d, b->c, &b->m, &r, 16);
	bpl = fit_bpl(&b->d, w);
	if (bpl != 16)
		kho_detail_build(&b->d, b->c, &b->m, &r, bpl);
	k.bpl = bpl;
	b->dkey = k;
	b->dvalid = 1;
	b->dc = (struct kho_cursor){ .count = b->d.nlines };
	kho_cursor_clamp(&b->dc, h);
}

void browse_detail_page(struct browse *b, uint64_t phys)
{
	unsigned int bpl, h = browse_height(b);
	uint64_t idx;

	b->d.wrap = (unsigned int)(browse_rw(b) > 1 ? browse_rw(b) - 1 : 1);
	kho_detail_build_page(&b->d, b->c, &b->m, phys, 16);
	bpl = fit_bpl(&b->d, browse_rw(b) - 1);
	if (bpl != 16)
		kho_detail_build_page(&b->d, b->c, &b->m, phys, bpl);
	key_of(b, &b->dkey);
	b->dvalid = 1;
	b->page_mode = 1;
	b->page_phys = phys;
	b->focus = BROWSE_DETAIL;
	b->dc = (struct kho_cursor){ .count = b->d.nlines };
	idx = kho_detail_hex_index(&b->d, phys);
	/* Keep the page's heading on screen when the address is near it. */
	kho_cursor_set(&b->dc, 0, h);
	if (idx < b->d.nlines)
		kho_cursor_set(&b->dc, idx, h);
}

void browse_detail_draw(struct browse *b)
{
	unsigned int h = browse_height(b), y;
	int x = browse_rx(b) + 1, w = browse_rw(b) - 1, sev, attr;
	char line[512];
	struct kho_obj *target;
	enum kho_dl_kind kind;

	for (y = 0; y < h; y++) {
		uint64_t i = b->dc.top + y;

		if (i >= b->d.nlines)
			break;
		kind = kho_detail_line(&b->d, b->img, i, line, sizeof(line),
				       &sev, &target);
		attr = A_NORMAL;
		if (kind == KHO_DL_HEADING)
			attr = A_BOLD | (b->color ? COLOR_PAIR(BP_HEADING) : 0);
		else if (kind == KHO_DL_FINDING)
			attr = browse_sev_attr(b, sev);
		else if (target && b->color)
			attr = COLOR_PAIR(BP_POINTER);
		if (i == b->dc.sel && b->focus == BROWSE_DETAIL)
			attr |= A_REVERSE;
		attrset(attr);
		browse_put((int)y, x, w, line);
		attrset(A_NORMAL);
	}
}

int browse_detail_key(struct browse *b, int ch)
{
	unsigned int h = browse_height(b);
	char line[512];
	struct kho_obj *target = NULL;
	int sev;

	switch (ch) {
	case KEY_UP:
	case 'k':
		kho_cursor_move(&b->dc, -1, h);
		return 1;
	case KEY_DOWN:
	case 'j':
		kho_cursor_move(&b->dc, 1, h);
		return 1;
	case KEY_PPAGE:
		kho_cursor_page(&b->dc, -1, h);
		return 1;
	case KEY_NPAGE:
	case ' ':
		kho_cursor_page(&b->dc, 1, h);
		return 1;
	case KEY_HOME:
		kho_cursor_home(&b->dc, h);
		return 1;
	case KEY_END:
		kho_cursor_end(&b->dc, h);
		return 1;
	case KEY_LEFT:
	case 'h':
	case 27: /* Esc */
		b->focus = BROWSE_TREE;
		return 1;
	case '\r':
	case '\n':
	case KEY_ENTER:
	case KEY_RIGHT:
		if (b->dc.sel < b->d.nlines)
			kho_detail_line(&b->d, b->img, b->dc.sel, line,
					sizeof(line), &sev, &target);
		if (!target) {
			if (ch != KEY_RIGHT)
				browse_msg(b, 0, "not a pointer to a decoded object");
			return 1;
		}
		if (browse_goto_obj(b, target) == 0) {
			kho_safe_copy(line, sizeof(line), target->path);
			browse_msg(b, 0, "jumped to %s", line);
			b->focus = BROWSE_TREE;
		}
		return 1;
	}
	return 0;
}
