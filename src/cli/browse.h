/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `kho-inspect browse`: the interactive ncurses browser.  The model (what is
 * visible, selection, search, detail lines) is src/browse_model.[ch] and has
 * no curses in it; the files here draw it and turn keys into model calls.
 *
 *   browse_main.c    the command, setup, layout, status line, main loop
 *   browse_tree.c    the left pane: the visible object tree
 *   browse_detail.c  the right pane: fields, findings, hex view
 *   browse_search.c  / n N
 *   browse_prompt.c  the input line, g (address), f (findings), ? (help)
 */
#ifndef KHO_CLI_BROWSE_H
#define KHO_CLI_BROWSE_H

#include <stdint.h>
#include <stdio.h>

#include "output/browse_model.h"
#include "cli.h"

enum browse_focus { BROWSE_TREE = 0, BROWSE_DETAIL = 1 };

/* Colour pairs; attributes fall back to bold/plain without colour. */
enum { BP_ERROR = 1, BP_WARNING, BP_NOTE, BP_HEADING, BP_POINTER };

/* What the detail was built for, to know when to rebuild it. */
struct browse_key {
	enum kho_bm_kind kind;
	const struct kho_obj *obj;
	const struct kho_table *table;
	uint64_t row;
	unsigned int bpl;
};

struct browse {
	struct cli *g;
	struct kho_ctx *c;
	struct kho_image *img;
	const char *path;

	struct kho_bm m;          /* the tree, with its cursor m.cur */
	struct kho_detail d;      /* the right pane */
	struct kho_cursor dc;     /* its cursor */
	struct browse_key dkey;
	int dvalid;
	int page_mode;            /* d shows the page of a `g` address */
	uint64_t page_phys;       /* ... this address */

	enum browse_focus focus;
	int rows, cols;           /* screen */
	int lw;                   /* left pane width; separator at column lw */
	int color;

	char msg[256];            /* one-shot message on the status line */
	int msg_err;
	char query[128];          /* last search */
	int quit;
};

/* Bytes of the screen: pane height and the right pane's x and width. */
static inline unsigned int browse_height(const struct browse *b)
{
	return b->rows > 2 ? (unsigned int)(b->rows - 1) : 1;
}

static inline int browse_rx(const struct browse *b)
{
	return b->lw + 1;
}

static inline int browse_rw(const struct browse *b)
{
	return b->cols - b->lw - 1 > 1 ? b->cols - b->lw - 1 : 1;
}

/* browse_main.c */
int cmd_browse(struct cli *g, int argc, char **argv);
void help_browse(FILE *f);
__attribute__((format(printf, 3, 4))) void
browse_msg(struct browse *b, int err, const char *fmt, ...);
void browse_layout(struct browse *b);
void browse_draw(struct browse *b);
void browse_draw_status(struct browse *b);
int browse_sev_attr(const struct browse *b, int sev);
/* Print s at (y, x) in at most w columns, padding with blanks. */
void browse_put(int y, int x, int w, const char *s);
/*
 * Select an object in the tree (expanding its ancestors); the place left
 * is remembered for browse_back.  0, or the negative KHO_E* code of
 * kho_bm_locate when it cannot be shown.
 */
int browse_goto_obj(struct browse *b, const struct kho_obj *o);
/* Select the row of a mark (an object, a table, a table row), likewise. */
int browse_goto_mark(struct browse *b, const struct kho_bm_mark *k);
/* Where the browser is now: the selected row and the page shown, if any. */
void browse_here(const struct browse *b, struct kho_bm_mark *k);
/* After a jump from `before`: remember it unless the jump went nowhere. */
void browse_remember(struct browse *b, const struct kho_bm_mark *before);
/* b, Backspace: return to the place before the last jump. */
void browse_back(struct browse *b);

/* browse_tree.c */
void browse_tree_draw(struct browse *b);
/* A key for the tree pane; 1 when handled. */
int browse_tree_key(struct browse *b, int ch);
/* Label of a visible row ("memfd vm0-mem (memfd-v1)"). */
void browse_row_label(struct kho_ctx *c, const struct kho_bm_row *r,
		      char *buf, size_t len);

/* browse_detail.c */
void browse_detail_sync(struct browse *b);
void browse_detail_draw(struct browse *b);
int browse_detail_key(struct browse *b, int ch);
/* Show the page of phys in the right pane (after `g`). */
void browse_detail_page(struct browse *b, uint64_t phys);

/* browse_search.c */
void browse_search_prompt(struct browse *b);
void browse_search_step(struct browse *b, int backward);
/* "folios row 3 of /path" for a table row, else the object's path. */
void browse_mark_text(const struct kho_bm_mark *k, char *buf, size_t len);

/* browse_prompt.c */
/* Read a line on the status line; 1 when entered, 0 when cancelled. */
int browse_prompt(struct browse *b, const char *label, char *buf,
		  size_t len);
void browse_goto_prompt(struct browse *b);
void browse_findings(struct browse *b);
void browse_help(struct browse *b);

#endif /* KHO_CLI_BROWSE_H */
