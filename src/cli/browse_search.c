// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `kho-inspect browse`: / n N.  The search runs over the whole object tree
 * and the rows of its tables (not only the visible rows) in tree order; what
 * matches is decided by kho_bm_match (names, kinds, compat strings, field
 * values, addresses) and, for a row, kho_bm_row_match (its address range
 * and hex columns).
 */
#include <curses.h>
#include <inttypes.h>
#include <string.h>

#include "browse.h"

/* "folios row 3 of /LUO/sessions/vm0/1/memfd", or the object's path. */
void browse_mark_text(const struct kho_bm_mark *k, char *buf, size_t len)
{
	char name[64], path[200];

	kho_safe_copy(path, sizeof(path), k->obj->path);
	if (k->kind != KHO_BM_ROWS || !k->table) {
		snprintf(buf, len, "%s", path);
		return;
	}
	kho_safe_copy(name, sizeof(name), k->table->name);
	snprintf(buf, len, "%s row %" PRIu64 " of %s", name, k->row, path);
}

static void search(struct browse *b, int backward)
{
	struct kho_bm_mark from;
	struct kho_bm_hit hit;
	char q[sizeof(b->query)], what[300], part[80] = "";

	kho_safe_copy(q, sizeof(q), b->query);
	if (!b->query[0]) {
		browse_msg(b, 1, "no previous search");
		return;
	}
	kho_bm_mark(&b->m, b->m.cur.sel, &from);
	if (!kho_bm_find(b->c, b->m.root, from.obj ? &from : NULL, b->query,
			 backward, &hit)) {
		if (hit.partial)
			snprintf(part, sizeof(part),
				 " (only the first %" PRIu64 " table rows searched)",
				 KHO_BM_SCAN_ROWS);
		browse_msg(b, 1, "not found: %s%s", q, part);
		return;
	}
	if (browse_goto_mark(b, &hit.at)) {
		browse_msg(b, 1, "cannot show the match");
		return;
	}
	b->focus = BROWSE_TREE;
	browse_mark_text(&hit.at, what, sizeof(what));
	if (hit.partial)
		snprintf(part, sizeof(part), " (first %" PRIu64 " rows searched)",
			 KHO_BM_SCAN_ROWS);
	if (kho_bm_mark_eq(&hit.at, &from) && hit.wrapped)
		browse_msg(b, 0, "only match: %s%s", what, part);
	else if (hit.wrapped)
		browse_msg(b, 0, "search wrapped: %s%s", what, part);
	else
		browse_msg(b, 0, "%s%s", what, part);
}

void browse_search_prompt(struct browse *b)
{
	char q[sizeof(b->query)] = "";

	if (!browse_prompt(b, "/", q, sizeof(q)))
		return;
	if (q[0])
		memcpy(b->query, q, sizeof(b->query));
	search(b, 0);
}

void browse_search_step(struct browse *b, int backward)
{
	search(b, backward);
}
