// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `kho-inspect browse`: the left pane.  Only the rows on screen are looked
 * at; a table row's values are read through its row_fn when it is drawn.
 */
#include <curses.h>
#include <inttypes.h>
#include <string.h>

#include "browse.h"
#include "base/human_size.h"

static void row_cells(struct kho_ctx *c, const struct kho_bm_row *r,
		      char *buf, size_t len)
{
	const struct kho_table *t = r->table;
	uint64_t vals[KHO_TABLE_MAX_COLS];
	char name[32], hs[KHO_HUMAN_SIZE_MAX];
	size_t off;
	unsigned int k;

	off = (size_t)snprintf(buf, len, "#%" PRIu64, r->row);
	if (off >= len)
		return;
	memset(vals, 0, sizeof(vals));
	if (kho_table_row(c, t, r->row, vals) < 0) {
		snprintf(buf + off, len - off, " (unreadable)");
		return;
	}
	for (k = 0; k < t->ncols && off < len; k++) {
		kho_safe_copy(name, sizeof(name), t->cols[k].name);
		switch (t->cols[k].fmt) {
		case KHO_COL_HEX:
			off += (size_t)snprintf(buf + off, len - off,
						" %s=0x%" PRIx64, name, vals[k]);
			break;
		case KHO_COL_SIZE:
			kho_human_size(hs, sizeof(hs), vals[k]);
			off += (size_t)snprintf(buf + off, len - off, " %s=%s",
						name, hs);
			break;
		default:
			off += (size_t)snprintf(buf + off, len - off,
						" %s=%" PRIu64, name, vals[k]);
		}
	}
}

void browse_row_label(struct kho_ctx *c, const struct kho_bm_row *r,
		      char *buf, size_t len)
{
	char kind[64], name[128], compat[128];
	const struct kho_obj *o = r->obj;

	switch (r->kind) {
	case KHO_BM_OBJ:
		kho_safe_copy(kind, sizeof(kind), o->kind);
		kho_safe_copy(name, sizeof(name), o->name);
		kho_safe_copy(compat, sizeof(compat), o->compat ? o->compat : "");
		if (!strcmp(name, kind))
			name[0] = '\0'; /* "memory-map memory-map" says it twice */
		if (name[0] && compat[0] && strcmp(name, compat))
			snprintf(buf, len, "%s %s (%s)", kind, name, compat);
		else
			snprintf(buf, len, "%s%s%s", kind,
				 name[0] || compat[0] ? " " : "",
				 name[0] ? name : compat);
		break;
	case KHO_BM_TABLE:
		kho_safe_copy(name, sizeof(name), r->table->name);
		snprintf(buf, len, "%s (%" PRIu64 " row%s)", name,
			 r->table->nrows, r->table->nrows == 1 ? "" : "s");
		break;
	case KHO_BM_ROWS:
		row_cells(c, r, buf, len);
		break;
	}
}

/*
 * The marker after a label: " [E]" for the object's own worst finding and,
 * on a collapsed node, " [in:E]" for the worst finding below it (both:
 * " [W in:E]").  *sev is the worse of the two, for the colour.
 */
static void row_mark(struct browse *b, const struct kho_bm_row *r,
		     char *buf, size_t len, int *sev)
{
	int own = -1, in = -1;

	buf[0] = '\0';
	*sev = -1;
	if (r->kind != KHO_BM_OBJ)
		return;
	own = r->obj->worst;
	if (r->expandable && !r->expanded)
		in = kho_bm_inside(&b->m, r->obj);
	if (own >= 0 && in >= 0)
		snprintf(buf, len, " [%c in:%c]", kho_sev_letter(own),
			 kho_sev_letter(in));
	else if (own >= 0)
		snprintf(buf, len, " [%c]", kho_sev_letter(own));
	else if (in >= 0)
		snprintf(buf, len, " [in:%c]", kho_sev_letter(in));
	*sev = kho_severity_rank(in) > kho_severity_rank(own) ? in : own;
}

void browse_tree_draw(struct browse *b)
{
	unsigned int h = browse_height(b), y;
	struct kho_bm_row r;
	char label[512], line[600], mark[16];
	int indent, w = b->lw, mw, attr, msev;

	for (y = 0; y < h; y++) {
		uint64_t idx = b->m.cur.top + y;

		if (kho_bm_get(&b->m, idx, &r))
			break;
		browse_row_label(b->c, &r, label, sizeof(label));
		indent = 2 * (int)r.depth;
		if (indent > w / 2)
			indent = w / 2;
		snprintf(line, sizeof(line), "%*s%s %s", indent, "",
			 r.expandable ? (r.expanded ? "-" : "+") : " ", label);
		row_mark(b, &r, mark, sizeof(mark), &msev);
		mw = (int)strlen(mark);
		attr = idx == b->m.cur.sel ?
			       (b->focus == BROWSE_TREE ? A_REVERSE : A_UNDERLINE) :
			       A_NORMAL;
		attrset(attr);
		/* The marker stays visible however long the label is. */
		if ((int)strlen(line) > w - mw && w - mw > 1) {
			line[w - mw - 1] = '>';
			line[w - mw] = '\0';
		}
		browse_put((int)y, 0, w, line);
		if (mw) {
			int x = (int)strlen(line);

			if (x > w - mw)
				x = w - mw;
			attrset(attr | browse_sev_attr(b, msev));
			browse_put((int)y, x, mw, mark);
		}
		attrset(A_NORMAL);
	}
}

int browse_tree_key(struct browse *b, int ch)
{
	unsigned int h = browse_height(b);
	struct kho_bm_row r;
	uint64_t sel = b->m.cur.sel;

	if (kho_bm_get(&b->m, sel, &r))
		return 0;
	switch (ch) {
	case KEY_UP:
	case 'k':
		kho_cursor_move(&b->m.cur, -1, h);
		return 1;
	case KEY_DOWN:
	case 'j':
		kho_cursor_move(&b->m.cur, 1, h);
		return 1;
	case KEY_PPAGE:
		kho_cursor_page(&b->m.cur, -1, h);
		return 1;
	case KEY_NPAGE:
	case ' ':
		kho_cursor_page(&b->m.cur, 1, h);
		return 1;
	case KEY_HOME:
		kho_cursor_home(&b->m.cur, h);
		return 1;
	case KEY_END:
		kho_cursor_end(&b->m.cur, h);
		return 1;
	case KEY_RIGHT:
	case 'l':
		if (r.expandable && !r.expanded)
			kho_bm_expand(&b->m, sel);
		else if (r.expanded)
			kho_cursor_move(&b->m.cur, 1, h);
		return 1;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (r.expandable && !r.expanded)
			kho_bm_expand(&b->m, sel);
		else if (r.expanded)
			kho_bm_collapse(&b->m, sel);
		else
			b->focus = BROWSE_DETAIL;
		kho_cursor_clamp(&b->m.cur, h);
		return 1;
	case KEY_LEFT:
	case 'h':
		if (r.expanded)
			kho_bm_collapse(&b->m, sel);
		else
			kho_cursor_set(&b->m.cur, kho_bm_parent(&b->m, sel), h);
		kho_cursor_clamp(&b->m.cur, h);
		return 1;
	}
	return 0;
}
