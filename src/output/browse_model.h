/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model behind `kho-inspect browse`, free of curses so that it can be
 * unit-tested: which rows of the object tree are visible, the selection and
 * scrolling of any list, search over the tree, pointer lookup, the places
 * left by jumps (for "back"), and the lines of the detail pane (fields,
 * findings, hex view).  It only reads a decode
 * session; nothing is decoded here.
 *
 * The visible tree is a list of entries.  An object or a table header is one
 * row; the rows of an expanded table are one entry that stands for all of
 * them, so a table with millions of rows costs one entry, and a row's values
 * are fetched through the table's row_fn only when someone asks for it.
 * Children are added to the list when their parent is expanded, so only what
 * can be seen is ever computed.
 */
#ifndef KHO_BROWSE_MODEL_H
#define KHO_BROWSE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "decode/session.h"

/* ------------------------------------------------------------ a cursor */

/*
 * Selection and scroll position of a list of `count` lines shown in a
 * window of `height` lines.  Every move keeps sel < count (or 0 when the
 * list is empty) and top <= sel < top + height.
 */
struct kho_cursor {
	uint64_t sel, top, count;
};

void kho_cursor_clamp(struct kho_cursor *cu, unsigned int height);
void kho_cursor_move(struct kho_cursor *cu, int64_t delta,
		     unsigned int height);
void kho_cursor_page(struct kho_cursor *cu, int pages, unsigned int height);
void kho_cursor_home(struct kho_cursor *cu, unsigned int height);
void kho_cursor_end(struct kho_cursor *cu, unsigned int height);
void kho_cursor_set(struct kho_cursor *cu, uint64_t sel, unsigned int height);

/* ------------------------------------------------------ the visible tree */

enum kho_bm_kind {
	KHO_BM_OBJ = 0, /* an object */
	KHO_BM_TABLE,   /* a table header: "folios (N rows)" */
	KHO_BM_ROWS,    /* the rows of an expanded table (one entry, N rows) */
};

struct kho_bm_entry {
	enum kho_bm_kind kind;
	struct kho_obj *obj;     /* the object, or the table's owner */
	struct kho_table *table; /* KHO_BM_TABLE and KHO_BM_ROWS */
	unsigned int depth;      /* indentation */
	int expanded;
	uint64_t start;          /* visible index of the entry's first row */
	uint64_t count;          /* 1, or the table's nrows for KHO_BM_ROWS */
};

/*
 * A place in the tree to come back to: a visible row, identified by what it
 * shows rather than by its index (which changes as nodes open and close),
 * and, when the right pane showed the page of an address (`g`), that
 * address.
 */
struct kho_bm_mark {
	enum kho_bm_kind kind;
	struct kho_obj *obj;     /* NULL: no mark */
	struct kho_table *table; /* KHO_BM_TABLE and KHO_BM_ROWS */
	uint64_t row;            /* KHO_BM_ROWS */
	int page;                /* the right pane showed page_phys's page */
	uint64_t page_phys;
};

/* An object and the worst severity below it (see kho_bm_inside). */
struct kho_bm_inside {
	const struct kho_obj *obj;
	int sev; /* enum kho_severity */
};

/* Places remembered for "back"; the oldest is forgotten first. */
#define KHO_BM_HISTORY 64

struct kho_bm {
	struct kho_obj *root;
	struct kho_bm_entry *e;
	size_t n, cap;
	struct kho_cursor cur; /* cur.count = visible rows */

	/* Objects with a physical address, sorted by it (built on demand). */
	struct kho_obj **byphys;
	size_t nbyphys;
	int byphys_built;

	/*
	 * Worst severity found below each object that has findings below it,
	 * sorted by object address (built on demand, see kho_bm_inside).
	 */
	struct kho_bm_inside *inside;
	size_t ninside;
	int inside_built;

	/* Places left by jumps, a ring: hist_n entries ending before hist_top. */
	struct kho_bm_mark hist[KHO_BM_HISTORY];
	unsigned int hist_n, hist_top;
};

/* One visible row, as kho_bm_get describes it. */
struct kho_bm_row {
	enum kho_bm_kind kind;
	struct kho_obj *obj;
	struct kho_table *table;
	uint64_t row;        /* KHO_BM_ROWS: index in the table */
	unsigned int depth;
	int expandable;
	int expanded;
	size_t entry;        /* index into m->e */
};

/* Start with the root expanded one level.  0 or KHO_ENOMEM. */
int kho_bm_init(struct kho_bm *m, struct kho_obj *root);
void kho_bm_free(struct kho_bm *m);

/* Number of visible rows. */
static inline uint64_t kho_bm_count(const struct kho_bm *m)
{
	return m->cur.count;
}

/* Describe visible row idx.  0, or KHO_ENOENT past the end. */
int kho_bm_get(const struct kho_bm *m, uint64_t idx, struct kho_bm_row *r);

/*
 * Expand or collapse row idx.  Return 1 when something changed, 0 when
 * nothing could (a leaf, a table row, already in that state), KHO_ENOMEM.
 * The selection stays on the same row.
 */
int kho_bm_expand(struct kho_bm *m, uint64_t idx);
int kho_bm_collapse(struct kho_bm *m, uint64_t idx);

/* Visible index of the row's parent; idx itself for the root. */
uint64_t kho_bm_parent(const struct kho_bm *m, uint64_t idx);

/*
 * Expand the ancestors of o so that it is visible and return its row index
 * (<0: KHO_ENOENT when o is not in the tree, KHO_ENOMEM).
 */
int64_t kho_bm_reveal(struct kho_bm *m, const struct kho_obj *o);

/*
 * Worst severity (enum kho_severity) of the findings of o's descendants,
 * not counting o's own; -1 when there are none.  The tree shows it on a
 * collapsed node so that an error inside is not hidden.  The first call
 * walks the whole tree once (a bounded iterative walk); later calls are a
 * binary search.
 */
int kho_bm_inside(struct kho_bm *m, const struct kho_obj *o);

/* ------------------------------------------------------------ history */

/* The mark of visible row idx (page fields 0).  0, or KHO_ENOENT. */
int kho_bm_mark(const struct kho_bm *m, uint64_t idx, struct kho_bm_mark *k);

/* Same row and, when either shows a page, the same page. */
int kho_bm_mark_eq(const struct kho_bm_mark *a, const struct kho_bm_mark *b);

/*
 * Make the row of mark k visible (expanding its object's ancestors, and the
 * object and the table for a table or a row) and return its index; <0:
 * KHO_ENOENT when it is not in the tree, KHO_ENOMEM.
 */
int64_t kho_bm_locate(struct kho_bm *m, const struct kho_bm_mark *k);

/*
 * Remember k (a mark with an object) as the place before a jump; when the
 * history is full the oldest place is forgotten.  kho_bm_pop takes back the
 * latest: 0, or KHO_ENOENT when there is none.
 */
void kho_bm_push(struct kho_bm *m, const struct kho_bm_mark *k);
int kho_bm_pop(struct kho_bm *m, struct kho_bm_mark *k);

/* ------------------------------------------------------------ search */

/*
 * Does object o match the query?  A query matches, case-insensitively, a
 * part of the object's name, kind, compat or of a string field.  A query
 * that reads as a number (decimal, or hexadecimal with 0x) also matches an
 * object whose byte range [phys, phys+size) holds it and an object with a
 * number field of that value; a 0x query also matches part of the hex form
 * of the object's phys and of its hex fields ("0x1234" finds 0x12340000).
 */
int kho_bm_match(const struct kho_obj *o, const char *q);

/*
 * Next (or previous, when backward) object after `from` in tree order that
 * matches q; wraps around the end and sets *wrapped.  `from` itself is
 * found last.  from NULL starts before the root (or after the last object
 * when backward).  NULL when nothing matches.
 */
struct kho_obj *kho_bm_search(struct kho_obj *root, const struct kho_obj *from,
			      const char *q, int backward, int *wrapped);

/* ------------------------------------------------------ table rows */

/*
 * The bytes a table row stands for: base is its first hex column whose name
 * says it is an address ("phys", "addr"); size comes from its first size
 * column, else from an "order" column (page size << order), else 0
 * (unknown).  1 when the row has such an address, 0 when it has none.  c
 * gives the page size (4 KiB without an image; c may be NULL).
 */
int kho_bm_row_range(const struct kho_ctx *c, const struct kho_table *t,
		     const uint64_t *vals, uint64_t *base, uint64_t *size);

/*
 * Most table rows an address lookup, or one pass of a search (to the end,
 * then from the root after wrapping), reads in all tables together; the
 * rows after them are not looked at, and the result says so.
 */
#define KHO_BM_SCAN_ROWS (UINT64_C(1) << 22)

/*
 * Does row `row` of t match q?  Only a query that reads as a number can
 * match a row: when the row's bytes (kho_bm_row_range) hold it (or, size
 * unknown, start at it), or, for a 0x query, when a hex column equals it
 * (a pfn, flags).  A row at address 0 (none) holds nothing, 0 matches no
 * row, and a row that cannot be read matches nothing.
 */
int kho_bm_row_match(struct kho_ctx *c, const struct kho_table *t,
		     uint64_t row, const char *q);

/* What kho_bm_find and kho_bm_row_at found. */
struct kho_bm_hit {
	struct kho_bm_mark at; /* KHO_BM_OBJ or KHO_BM_ROWS */
	int wrapped;           /* found after wrapping around */
	int partial;           /* rows past KHO_BM_SCAN_ROWS were skipped */
};

/*
 * kho_bm_search over objects and the rows of their tables, in the order the
 * tree shows them: an object, the rows of its tables, then its children.
 * from is where the search starts (an object, a table header or a row;
 * NULL: before the root, or after the end when backward) and is found last.
 * 1 with *hit filled, 0 when nothing matches (hit->partial still set).
 */
int kho_bm_find(struct kho_ctx *c, struct kho_obj *root,
		const struct kho_bm_mark *from, const char *q, int backward,
		struct kho_bm_hit *hit);

/*
 * The table row whose bytes hold phys (kho_bm_row_range; a row of unknown
 * size only at its first byte; a row at address 0 never): of the deepest
 * owner, and the first in
 * tree order among those.  1 with hit->at filled, 0 when no row does.
 */
int kho_bm_row_at(struct kho_ctx *c, struct kho_obj *root, uint64_t phys,
		  struct kho_bm_hit *hit);

/* Pre-order successor of o below root, or NULL. */
struct kho_obj *kho_bm_next_obj(struct kho_obj *o);

/*
 * An object whose phys equals `phys`, preferring one other than `self`
 * (a field that points at its own object is not worth a jump); NULL when
 * none has that address.
 */
struct kho_obj *kho_bm_find_phys(struct kho_bm *m, uint64_t phys,
				 const struct kho_obj *self);

/* The deepest object whose [phys, phys+size) holds phys, or NULL. */
struct kho_obj *kho_bm_containing(struct kho_obj *root, uint64_t phys);

/* ------------------------------------------------------- detail lines */

enum kho_dl_kind {
	KHO_DL_TEXT = 0,
	KHO_DL_HEADING,
	KHO_DL_FIELD,
	KHO_DL_FINDING,
	KHO_DL_HEX, /* virtual: rendered on demand by kho_detail_line */
};

struct kho_dline {
	enum kho_dl_kind kind;
	int sev;               /* KHO_DL_FINDING: enum kho_severity */
	struct kho_obj *target; /* a pointer field: the object it names */
	char text[240];
};

/*
 * What the right pane shows: fixed lines, then (has_hex) the hex view of
 * [hex_base, hex_base + hex_len), bpl bytes per line.
 */
struct kho_detail {
	/*
	 * Set by the caller before a build: lines wider than this many
	 * columns continue on the next lines (0: at the width of a line's
	 * text, so nothing is ever cut off).  A build leaves it as it is.
	 */
	unsigned int wrap;
	struct kho_dline *l;
	size_t n, cap;
	int has_hex;
	uint64_t hex_base, hex_len;
	unsigned int bpl;
	unsigned int addr_digits;
	uint64_t nlines; /* n + hex lines */
};

/* Bytes of an object's hex view at most, in pages. */
#define KHO_BROWSE_HEX_PAGES 4

/*
 * Lines for a visible row: the object's identity, fields, tables, findings
 * and hex view; a table header's columns; a table row's values.  c may be
 * NULL (then rows are not read and there is no hex view).  bpl is the number
 * of bytes per hex line (4, 8 or 16).
 */
int kho_detail_build(struct kho_detail *d, struct kho_ctx *c,
		     struct kho_bm *m, const struct kho_bm_row *r,
		     unsigned int bpl);
/* The page that holds phys, with what the tree and the memory map say. */
int kho_detail_build_page(struct kho_detail *d, struct kho_ctx *c,
			  struct kho_bm *m, uint64_t phys, unsigned int bpl);
void kho_detail_free(struct kho_detail *d);

/* Line i of the detail (any kind); returns its kind and fills *sev. */
enum kho_dl_kind kho_detail_line(const struct kho_detail *d,
				 const struct kho_image *img, uint64_t i,
				 char *buf, size_t len, int *sev,
				 struct kho_obj **target);
/* Index of the hex line that shows phys, or d->nlines when none does. */
uint64_t kho_detail_hex_index(const struct kho_detail *d, uint64_t phys);

/*
 * One hex line: "0x<addr>  hh hh .. hh  ascii" for nbytes bytes, padded
 * to bpl, with "--" for bytes the image does not hold.  addr_digits pads
 * the address.
 */
void kho_hex_line(const struct kho_image *img, uint64_t phys,
		  unsigned int nbytes, unsigned int bpl,
		  unsigned int addr_digits, char *buf, size_t len);

/* A field value as text ("0x1000", "4 KiB (4096)", "true", ...). */
void kho_field_text(const struct kho_field *f, char *buf, size_t len);

/* Copy an untrusted string, printable ASCII only (others become '?'). */
void kho_safe_copy(char *dst, size_t len, const char *src);

/* One-letter severity marker: 'E', 'U', 'W', 'N'. */
char kho_sev_letter(int sev);

#endif /* KHO_BROWSE_MODEL_H */
