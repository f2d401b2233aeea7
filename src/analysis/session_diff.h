/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Differences between two decoded hand-over images: objects added, removed
 * or changed (root sub-blobs, LUO sessions, files, FLBs, reserve_mem
 * regions; sizes, folio counts, file counts), compat strings that changed,
 * and preserved bytes by component.  Objects are matched by path.  It
 * answers "what did the upgrade carry over, and what did it drop?".
 * Nothing here prints.
 */
#ifndef KHO_SESSION_DIFF_H
#define KHO_SESSION_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "decode/session.h"

enum kho_diff_op {
	KHO_DIFF_ADDED = 0,   /* only in B */
	KHO_DIFF_REMOVED,     /* only in A */
	KHO_DIFF_CHANGED,
};

struct kho_diff_change {
	char *field;
	char *a, *b; /* values as text */
};

struct kho_diff_obj {
	enum kho_diff_op op;
	char *path;
	char *kind;
	char *compat;     /* NULL when none */
	uint64_t files;   /* sessions: files; files: 1 */
	uint64_t bytes;   /* file or region bytes */
	struct kho_diff_change *ch;
	size_t nch;
};

struct kho_diff_compat {
	enum kho_diff_op op; /* ADDED or REMOVED */
	char *compat;
	const char *role;
};

struct kho_diff_bytes {
	char *component;
	uint64_t a, b;
};

struct kho_diff_tally {
	uint64_t sessions, files, bytes;
};

struct kho_diff {
	struct kho_diff_obj *obj;
	size_t nobj, capobj;
	struct kho_diff_compat *compat;
	size_t ncompat, capcompat;
	struct kho_diff_bytes *bytes;
	size_t nbytes, capbytes;
	size_t nadded, nremoved, nchanged;
	struct kho_diff_tally carried, dropped, added; /* LUO sessions/files */
	int equal;
};

/* Compare a (before) with b (after).  0, or KHO_ENOMEM. */
int kho_session_diff(struct kho_ctx *a, struct kho_ctx *b,
		   struct kho_diff **out);
void kho_diff_free(struct kho_diff *d);
const char *kho_diff_op_name(enum kho_diff_op op);

#endif /* KHO_SESSION_DIFF_H */
