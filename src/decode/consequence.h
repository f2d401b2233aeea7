/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the next kernel does about a finding.  A decoder says what is wrong;
 * whether that loses data is decided by the target generation's restore
 * code, so the host attaches the consequence from one table of rules
 * (consequence_rules.h), each citing the kernel source that decides it.
 *
 * The consequence also sets the severity: a deviation the kernel accepts is
 * a note, one it only warns about is a warning, and everything that loses
 * data or worse is an error.  A finding with no rule keeps the decoder's
 * severity and says "unknown": we never guess what a kernel does.
 */
#ifndef KHO_CONSEQUENCE_H
#define KHO_CONSEQUENCE_H

#include <stddef.h>

#include "kho/plugin.h"

/*
 * Unknown is 0, so that a record made without a consequence never claims
 * one; the others run from the worst down.
 */
enum kho_cq {
	KHO_CQ_UNKNOWN = 0,   /* not confirmed from the kernel's source */
	KHO_CQ_PANIC,         /* the next kernel panics at boot */
	KHO_CQ_ALL_LOST,      /* KHO revival disabled, or all LUO state dropped */
	KHO_CQ_SESSION_LOST,  /* one session cannot be retrieved */
	KHO_CQ_FILE_EIO,      /* files cannot be retrieved (EIO) */
	KHO_CQ_DATA_LOST,     /* one component's preserved data is not restored
			       * (a reserve_mem region, a sub-FDT's owner) */
	KHO_CQ_MEMORY_LEAKED, /* preserved, but never reclaimed */
	KHO_CQ_WARNING_ONLY,  /* a warning is printed, nothing is lost */
	KHO_CQ_NONE,          /* accepted by the kernel */
};
#define KHO_CQ_COUNT 9

struct kho_obj;

struct kho_cq_rule {
	const char *id;     /* exact id, "prefix.*", optionally "@kind" */
	const char *family; /* "kho", "luo", "memfd" or "any" */
	unsigned int vmin, vmax;
	enum kho_cq cq;
	const char *source;
};

const char *kho_cq_name(enum kho_cq cq);
/* The sentence preflight starts a reason with: "the next kernel will ...". */
const char *kho_cq_phrase(enum kho_cq cq);

/*
 * The rule for finding `check` on object `o` (NULL: a session-level
 * finding), whose generations are read from the compat strings of `o` and
 * its ancestors and, for "kho", from `root_compat`.  `subnode` names the
 * root sub-node being checked when the finding is about one (its findings
 * sit on the root object), else NULL.  NULL when no rule applies.
 */
const struct kho_cq_rule *kho_cq_lookup(const char *check,
					const struct kho_obj *o,
					const char *root_compat,
					const char *subnode);

/* The same over any table: for tests. */
const struct kho_cq_rule *kho_cq_lookup_in(const struct kho_cq_rule *rules,
					   size_t n, const char *check,
					   const struct kho_obj *o,
					   const char *root_compat,
					   const char *subnode);

/* The severity a consequence implies, given the decoder's choice. */
enum kho_severity kho_cq_severity(enum kho_cq cq, enum kho_severity sev);

/* The whole table, for listing and for tests. */
const struct kho_cq_rule *kho_cq_rules(size_t *n);

#endif
