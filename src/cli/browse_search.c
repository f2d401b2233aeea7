// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `kho-inspect browse`: / n N.  The search runs over the whole object tree
 * (not only the visible rows) in tree order; what matches is decided by
 * kho_bm_match (names, kinds, compat strings, field values, addresses).
 */
#include <curses.h>
#include <string.h>

#include "browse.h"

static void search(struct browse *b, int backward)
{
	struct kho_bm_row r;
	const struct kho_obj *from = NULL;
	struct kho_obj *hit;
	char q[sizeof(b->query)], path[200];
	int wrapped;

	kho_safe_copy(q, sizeof(q), b->query);
	if (!b->query[0]) {
		browse_msg(b, 1, "no previous search");
		return;
	}
	if (kho_bm_get(&b->m, b->m.cur.sel, &r) == 0)
		from = r.obj;
	hit = kho_bm_search(b->m.root, from, b->query, backward, &wrapped);
	if (!hit) {
		browse_msg(b, 1, "not found: %s", q);
		return;
	}
	if (browse_goto_obj(b, hit)) {
		browse_msg(b, 1, "cannot show the match");
		return;
	}
	b->focus = BROWSE_TREE;
	kho_safe_copy(path, sizeof(path), hit->path);
	if (hit == from && wrapped)
		browse_msg(b, 0, "only match: %s", path);
	else if (wrapped)
		browse_msg(b, 0, "search wrapped: %s", path);
	else
		browse_msg(b, 0, "%s", path);
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
