// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `kho-inspect browse`: the input line, `g` (go to a physical address), `f`
 * (the list of findings) and `?` (help).
 */
#include <ctype.h>
#include <curses.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "browse.h"
#include "decode/consequence.h"

int browse_prompt(struct browse *b, const char *label, char *buf, size_t len)
{
	size_t n = strlen(buf);
	int ch, lw = (int)strlen(label), x;

	for (;;) {
		browse_draw(b);
		attrset(A_NORMAL);
		browse_put(b->rows - 1, 0, b->cols, label);
		x = lw;
		/* Show the end of a long entry. */
		if (lw + (int)n >= b->cols)
			browse_put(b->rows - 1, lw, b->cols - lw,
				   buf + n - (size_t)(b->cols - lw - 1));
		else
			browse_put(b->rows - 1, lw, b->cols - lw, buf);
		x = lw + (int)n < b->cols - 1 ? lw + (int)n : b->cols - 1;
		move(b->rows - 1, x);
		curs_set(1);
		refresh();
		ch = getch();
		curs_set(0);
		switch (ch) {
		case ERR:
			continue;
		case KEY_RESIZE:
			browse_layout(b);
			clear();
			continue;
		case '\r':
		case '\n':
		case KEY_ENTER:
			return 1;
		case 27:  /* Esc */
		case 7:   /* ^G */
			return 0;
		case KEY_BACKSPACE:
		case 127:
		case 8:
			if (!n)
				return 0;
			buf[--n] = '\0';
			continue;
		case 21: /* ^U */
			n = 0;
			buf[0] = '\0';
			continue;
		}
		if (ch >= 0x20 && ch < 0x7f && n + 1 < len) {
			buf[n++] = (char)ch;
			buf[n] = '\0';
		}
	}
}

static int parse_hex(const char *s, uint64_t *v)
{
	const char *p;
	int digits = 0;

	while (*s == ' ')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	*v = 0;
	for (p = s; *p && *p != ' '; p++, digits++) {
		if (!isxdigit((unsigned char)*p) || digits >= 16)
			return KHO_EINVAL;
		*v = (*v << 4) | (uint64_t)(isdigit((unsigned char)*p) ?
						    *p - '0' :
						    (tolower((unsigned char)*p) - 'a' + 10));
	}
	while (*p == ' ')
		p++;
	return digits && !*p ? 0 : KHO_EINVAL;
}

void browse_goto_prompt(struct browse *b)
{
	char in[64] = "", safe[64], what[300];
	struct kho_bm_mark before;
	struct kho_bm_hit hit;
	uint64_t phys;
	int64_t idx;
	uint8_t byte;
	int rc, found;

	if (!browse_prompt(b, "physical address (hex): ", in, sizeof(in)))
		return;
	if (parse_hex(in, &phys)) {
		kho_safe_copy(safe, sizeof(safe), in);
		browse_msg(b, 1, "not a hexadecimal address: %s", safe);
		return;
	}
	/* A table row that holds the address (a folio, a block) is selected. */
	found = kho_bm_row_at(b->c, b->m.root, phys, &hit);
	rc = kho_image_read(b->img, phys, &byte, 1);
	if (rc && !found) {
		if (rc == KHO_ERANGE)
			browse_msg(b, 1, "0x%" PRIx64
				   " is outside the image's physical ranges", phys);
		else if (rc == KHO_ENOTCAPTURED)
			browse_msg(b, 1, "0x%" PRIx64 " is not captured", phys);
		else
			browse_msg(b, 1, "0x%" PRIx64 " cannot be read (error %d)",
				   phys, rc);
		return;
	}
	browse_here(b, &before);
	if (found) {
		idx = kho_bm_locate(&b->m, &hit.at);
		if (idx >= 0)
			kho_cursor_set(&b->m.cur, (uint64_t)idx,
				       browse_height(b));
	}
	browse_detail_page(b, phys);
	browse_remember(b, &before);
	if (found) {
		browse_mark_text(&hit.at, what, sizeof(what));
		browse_msg(b, 0, "page of 0x%" PRIx64 "%s, in %s", phys,
			   rc ? " (not captured)" : "", what);
	} else {
		browse_msg(b, 0, "page of 0x%" PRIx64, phys);
	}
}

/* ------------------------------------------------------------ overlays */

static void finding_text(const struct kho_finding_rec *r, char *buf,
			 size_t len)
{
	char check[64], path[160], msg[300];

	kho_safe_copy(check, sizeof(check), r->check);
	kho_safe_copy(path, sizeof(path), r->path ? r->path : "/");
	kho_safe_copy(msg, sizeof(msg), r->message);
	/* The consequence comes first: a long line is cut at the edge. */
	if (r->has_phys)
		snprintf(buf, len, "[%c %s] %s %s @0x%" PRIx64 ": %s",
			 kho_sev_letter(r->sev), kho_cq_name((enum kho_cq)r->cq),
			 check, path, r->phys, msg);
	else
		snprintf(buf, len, "[%c %s] %s %s: %s", kho_sev_letter(r->sev),
			 kho_cq_name((enum kho_cq)r->cq), check, path, msg);
}

/* A full-screen list: draw lines from a callback, move, pick with Enter. */
struct overlay {
	const char *title;
	uint64_t count;
	void (*line)(struct browse *b, uint64_t i, char *buf, size_t len,
		     int *attr);
	int pick; /* Enter picks a line */
};

static void draw_overlay(struct browse *b, const struct overlay *ov,
			 const struct kho_cursor *cu, unsigned int h)
{
	char buf[600], st[200];
	unsigned int y;
	int attr;

	erase();
	for (y = 0; y < h; y++) {
		uint64_t i = cu->top + y;

		if (i >= ov->count)
			break;
		attr = A_NORMAL;
		ov->line(b, i, buf, sizeof(buf), &attr);
		if (ov->pick && i == cu->sel)
			attr |= A_REVERSE;
		attrset(attr);
		browse_put((int)y, 0, b->cols, buf);
		attrset(A_NORMAL);
	}
	snprintf(st, sizeof(st), " %s (%" PRIu64 ")  %s", ov->title,
		 ov->count, ov->pick ? "Enter: go to its object  q/Esc: close" :
				       "q/Esc: close");
	attrset(A_REVERSE);
	browse_put(b->rows - 1, 0, b->cols, st);
	attrset(A_NORMAL);
	refresh();
}

/* Run the overlay; the picked index, or -1 when closed. */
static int64_t run_overlay(struct browse *b, const struct overlay *ov)
{
	struct kho_cursor cu = { .count = ov->count };
	unsigned int h;
	int ch;

	for (;;) {
		h = browse_height(b);
		kho_cursor_clamp(&cu, h);
		if (!ov->pick)
			cu.sel = cu.top;
		draw_overlay(b, ov, &cu, h);
		ch = getch();
		switch (ch) {
		case ERR:
			break;
		case KEY_RESIZE:
			browse_layout(b);
			clear();
			break;
		case 'q':
		case 27:
		case 'f':
		case '?':
			return -1;
		case KEY_UP:
		case 'k':
			if (ov->pick)
				kho_cursor_move(&cu, -1, h);
			else
				kho_cursor_set(&cu, cu.top ? cu.top - 1 : 0, h);
			break;
		case KEY_DOWN:
		case 'j':
			if (ov->pick)
				kho_cursor_move(&cu, 1, h);
			else if (cu.top + h < cu.count)
				cu.top++, cu.sel = cu.top + h - 1;
			break;
		case KEY_PPAGE:
			kho_cursor_page(&cu, -1, h);
			break;
		case KEY_NPAGE:
		case ' ':
			kho_cursor_page(&cu, 1, h);
			break;
		case KEY_HOME:
			kho_cursor_home(&cu, h);
			break;
		case KEY_END:
			kho_cursor_end(&cu, h);
			break;
		case '\r':
		case '\n':
		case KEY_ENTER:
			if (ov->pick && cu.count)
				return (int64_t)cu.sel;
			if (!ov->pick)
				return -1;
			break;
		}
	}
}

static void findings_line(struct browse *b, uint64_t i, char *buf,
			  size_t len, int *attr)
{
	size_t n;
	const struct kho_finding_rec *r = &kho_session_findings(b->c, &n)[i];

	finding_text(r, buf, len);
	*attr = browse_sev_attr(b, (int)r->sev);
}

void browse_findings(struct browse *b)
{
	size_t n;
	const struct kho_finding_rec *recs = kho_session_findings(b->c, &n);
	struct overlay ov = { "findings", n, findings_line, 1 };
	const struct kho_finding_rec *r;
	const struct kho_obj *o;
	char path[200];
	int64_t pick;

	if (!n) {
		browse_msg(b, 0, "no findings");
		return;
	}
	pick = run_overlay(b, &ov);
	clear();
	if (pick < 0)
		return;
	r = &recs[pick];
	o = r->obj ? r->obj : b->m.root;
	if (browse_goto_obj(b, o) == 0) {
		b->focus = BROWSE_TREE;
		kho_safe_copy(path, sizeof(path), r->check);
		browse_msg(b, 0, "%s", path);
	}
}

static const char *const help_text[] = {
	"kho-inspect browse: keys",
	"",
	"  Up/Down, k/j      move the selection",
	"  PgUp/PgDn, Space  page up/down (in the focused pane and in lists)",
	"  Home/End          first/last line",
	"  Enter, Right, l   expand the selected node (Enter again collapses);",
	"                    in the right pane, Enter on a field marked -> jumps to",
	"                    the object at that address",
	"  Left, h           collapse, or go to the parent",
	"  Tab               switch between the tree and the detail pane",
	"  /                 search names, kinds, compat strings, field values",
	"                    and addresses (0x... finds the object holding it,",
	"                    and table rows: a folio or block holding it, a pfn)",
	"  n, N              next/previous match (wraps around)",
	"  g                 go to a physical address (hex): show its page and",
	"                    select the table row holding it (a folio, a block)",
	"  f                 list all findings; Enter goes to the finding's object",
	"  b, Backspace      go back to where the last jump came from (a pointer",
	"                    followed with Enter, g, a finding picked in f, a search)",
	"  ^L                redraw",
	"  ?                 this help",
	"  q                 quit (closes a list or this help first)",
	"",
	"Tree markers: + collapsed, - expanded, [E]/[U]/[W]/[N] the worst finding",
	"of the object itself (error, unknown, warning, note); on a collapsed node",
	"[in:E] the worst finding below it ([W in:E]: both).  Tables show as",
	"\"name (N rows)\"; their rows are read only when on screen.",
	"Right pane: long lines, findings among them, wrap at the pane's edge.",
	"Hex view: \"--\" marks bytes the image does not hold.",
	"",
	"See kho-inspect-browse(1).",
};

static void help_line(struct browse *b, uint64_t i, char *buf, size_t len,
		      int *attr)
{
	snprintf(buf, len, "%s", help_text[i]);
	*attr = i == 0 ? A_BOLD : A_NORMAL;
}

void browse_help(struct browse *b)
{
	struct overlay ov = { "help", sizeof(help_text) / sizeof(help_text[0]),
			      help_line, 0 };

	run_overlay(b, &ov);
	clear();
}
