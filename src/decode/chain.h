/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bounded, cycle-checked walk of a singly linked list whose nodes are read
 * from image memory (Brent's cycle detection, no extra memory).
 *
 * Shared by the block-chain walk (block_chain.c) and the vmalloc chunk list
 * (vmalloc.c), which walk their lists the same way: a first pass follows
 * only the `next` links to learn how many distinct, readable nodes there are
 * and why the list stopped, then the owner visits exactly that many nodes.
 * The list lives in a hostile image, so the walk must end on loops and on
 * lists longer than the owner allows, without allocating per node.
 *
 * It reads memory through the plugin API's accessors (kho/plugin.h), as the
 * two walks do: the host's own ops behind them are the ones plugins get.
 */
#ifndef KHO_DECODE_CHAIN_H
#define KHO_DECODE_CHAIN_H

#include <stdint.h>
#include <string.h>

#include "kho/plugin.h"

enum chain_stop {
	CHAIN_END = 0, /* the last node's next is 0 */
	CHAIN_BAD,     /* a next pointer is unaligned or unreadable */
	CHAIN_CYCLE,   /* a node points back to an earlier one */
	CHAIN_LIMIT,   /* more distinct nodes than the caller allows */
};

struct chain_walk {
	uint64_t n;        /* nodes to visit: distinct and readable, <= limit */
	uint64_t distinct; /* distinct readable nodes (CYCLE: mu + lambda) */
	enum chain_stop why;
	uint64_t bad;      /* BAD: the bad pointer; CYCLE: where the loop closes */
	int err;           /* BAD: what the reader returned */
};

/*
 * Follow one link: read the `next` pointer of node `x` into *next.  Returns 0,
 * or nonzero when `x` is not a valid node (the value ends up in w->err).
 */
typedef int (*chain_next_fn)(struct kho_ctx *c, uint64_t x, uint64_t *next);

/*
 * The reader for lists of pages that start with their u64 `next`: 1 when `x`
 * is not page aligned, else the KHO_E* code of reading the u64 at `x`.
 */
static inline int chain_page_next(struct kho_ctx *c, uint64_t x,
				  uint64_t *next)
{
	if (x & (kho_page_size(c) - 1))
		return 1;
	return kho_read_u64(c, x, next);
}

/*
 * Count the distinct nodes of the list starting at `first` (0 = empty).
 * Brent's algorithm finds a cycle within 4 * max(mu + 1, lambda) steps, so
 * after 4 * (limit + 2) steps without reaching the end or the cycle there
 * must be more than limit distinct nodes, and the first `limit` nodes are
 * all different: w->n = limit of them can be visited safely.
 */
static inline void chain_walk(struct kho_ctx *c, uint64_t first,
			      uint64_t limit, chain_next_fn step,
			      struct chain_walk *w)
{
	uint64_t tort, hare, nx, hidx, power = 1, lam = 1, mu, i, t, h;
	uint64_t max_steps = 4 * (limit + 2);
	int rc;

	memset(w, 0, sizeof(*w));
	w->why = CHAIN_END;
	if (first == 0)
		return;
	rc = step(c, first, &nx);
	if (rc) {
		w->why = CHAIN_BAD;
		w->bad = first;
		w->err = rc;
		return;
	}
	tort = first;
	hare = nx;
	hidx = 1;
	while (hare != tort) {
		if (hare == 0) {
			w->distinct = hidx;
			goto out;
		}
		if (power == lam) {
			tort = hare;
			power <<= 1;
			lam = 0;
		}
		rc = step(c, hare, &nx);
		if (rc) {
			w->distinct = hidx;
			w->why = CHAIN_BAD;
			w->bad = hare;
			w->err = rc;
			goto out;
		}
		hare = nx;
		hidx++;
		lam++;
		if (hidx > max_steps) {
			w->distinct = hidx;
			w->why = CHAIN_LIMIT;
			goto out;
		}
	}
	/* A cycle of length lam: find the index mu where it starts. */
	t = h = first;
	for (i = 0; i < lam; i++)
		if (step(c, h, &h))
			return; /* cannot happen: every node was read above */
	mu = 0;
	while (t != h) {
		if (step(c, t, &t) || step(c, h, &h))
			return;
		mu++;
	}
	w->distinct = mu + lam;
	w->why = CHAIN_CYCLE;
	w->bad = t;
out:
	w->n = w->distinct;
	if (w->n > limit) {
		w->n = limit;
		if (w->why != CHAIN_CYCLE)
			w->why = CHAIN_LIMIT;
	}
}

#endif /* KHO_DECODE_CHAIN_H */
