// SPDX-License-Identifier: GPL-2.0-or-later
/* The consequence table and its lookup (see consequence.h). */
#include <stdlib.h>
#include <string.h>

#include "consequence.h"
#include "session.h"

#define PANIC KHO_CQ_PANIC
#define ALL_LOST KHO_CQ_ALL_LOST
#define SESSION_LOST KHO_CQ_SESSION_LOST
#define FILE_EIO KHO_CQ_FILE_EIO
#define DATA_LOST KHO_CQ_DATA_LOST
#define MEMORY_LEAKED KHO_CQ_MEMORY_LEAKED
#define WARNING_ONLY KHO_CQ_WARNING_ONLY
#define NONE KHO_CQ_NONE
#define UNKNOWN KHO_CQ_UNKNOWN
#define RULE(id, fam, lo, hi, cq, src) { id, fam, lo, hi, cq, src },

static const struct kho_cq_rule rules[] = {
#include "consequence_rules.h"
};

static const char *const names[KHO_CQ_COUNT] = {
	[KHO_CQ_UNKNOWN] = "unknown",
	[KHO_CQ_PANIC] = "panic",
	[KHO_CQ_ALL_LOST] = "all-lost",
	[KHO_CQ_SESSION_LOST] = "session-lost",
	[KHO_CQ_FILE_EIO] = "file-eio",
	[KHO_CQ_DATA_LOST] = "data-lost",
	[KHO_CQ_MEMORY_LEAKED] = "memory-leaked",
	[KHO_CQ_WARNING_ONLY] = "warning-only",
	[KHO_CQ_NONE] = "none",
};

static const char *const phrases[KHO_CQ_COUNT] = {
	[KHO_CQ_UNKNOWN] = "what the next kernel does is not known",
	[KHO_CQ_PANIC] = "the next kernel will panic at boot",
	[KHO_CQ_ALL_LOST] = "the next kernel will drop all preserved state",
	[KHO_CQ_SESSION_LOST] = "the next kernel will lose a session",
	[KHO_CQ_FILE_EIO] = "the next kernel will fail to retrieve files (EIO)",
	[KHO_CQ_DATA_LOST] = "the next kernel will not restore this preserved data",
	[KHO_CQ_MEMORY_LEAKED] = "the next kernel will leak preserved memory",
	[KHO_CQ_WARNING_ONLY] = "the next kernel will print a warning and go on",
	[KHO_CQ_NONE] = "the next kernel accepts this",
};

const char *kho_cq_name(enum kho_cq cq)
{
	return (unsigned int)cq < KHO_CQ_COUNT ? names[cq] : "unknown";
}

const char *kho_cq_phrase(enum kho_cq cq)
{
	return (unsigned int)cq < KHO_CQ_COUNT ? phrases[cq] : phrases[KHO_CQ_UNKNOWN];
}

const struct kho_cq_rule *kho_cq_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

/* "luo-v5" -> 5 for family "luo"; composite strings use their first part. */
static int family_version(const char *compat, const char *family,
			  unsigned int *v)
{
	size_t n = strlen(family);
	char *end;
	unsigned long x;

	if (!compat || strncmp(compat, family, n) || compat[n] != '-' ||
	    compat[n + 1] != 'v' || compat[n + 2] < '0' || compat[n + 2] > '9')
		return 0;
	x = strtoul(compat + n + 2, &end, 10);
	if (*end != '\0' && *end != ';')
		return 0;
	*v = x > 1000 ? 1000 : (unsigned int)x;
	return 1;
}

static int generation(const char *family, const struct kho_obj *o,
		      const char *root_compat, unsigned int *v)
{
	for (; o; o = o->parent)
		if (family_version(o->compat, family, v))
			return 1;
	return family_version(root_compat, family, v);
}

/*
 * How rule id `rid` names `check`: 0 not at all, else a rank where higher
 * wins (see consequence_rules.h): a qualified rule (id@kind, matched on the
 * finding's object and then its ancestors, nearer is better; or
 * id@subnode:NAME, matched on the root sub-node being checked), then the
 * exact id, then the longest prefix.  An exact id beats a prefix at the
 * same qualifier.
 */
static long match(const char *rid, const char *check,
		  const struct kho_obj *o, const char *subnode)
{
	const char *at = strchr(rid, '@');
	size_t idlen = at ? (size_t)(at - rid) : strlen(rid);
	long idrank;

	if (idlen >= 2 && rid[idlen - 1] == '*') {
		if (strncmp(rid, check, idlen - 1))
			return 0;
		idrank = (long)idlen; /* longer prefix: more specific */
	} else {
		if (strlen(check) != idlen || strncmp(rid, check, idlen))
			return 0;
		idrank = 1000;
	}
	if (at) {
		const char *q = at + 1;
		long dist = 0;

		if (!strncmp(q, "subnode:", 8))
			return subnode && !strcmp(subnode, q + 8) ?
			       1000000 * 100 + idrank : 0;
		for (; o; o = o->parent, dist++)
			if (o->kind && !strcmp(o->kind, q))
				return 1000000 * (99 - (dist < 98 ? dist : 98)) +
				       idrank;
		return 0;
	}
	return idrank;
}

const struct kho_cq_rule *kho_cq_lookup_in(const struct kho_cq_rule *table,
					   size_t n, const char *check,
					   const struct kho_obj *o,
					   const char *root_compat,
					   const char *subnode)
{
	const struct kho_cq_rule *best = NULL;
	long best_score = 0;
	size_t i;

	if (!check)
		return NULL;
	for (i = 0; i < n; i++) {
		const struct kho_cq_rule *r = &table[i];
		unsigned int v;
		long sc = match(r->id, check, o, subnode);

		if (sc <= best_score)
			continue;
		if (strcmp(r->family, "any")) {
			if (!generation(r->family, o, root_compat, &v) ||
			    v < r->vmin || v > r->vmax)
				continue;
		}
		best = r;
		best_score = sc;
	}
	return best;
}

const struct kho_cq_rule *kho_cq_lookup(const char *check,
					const struct kho_obj *o,
					const char *root_compat,
					const char *subnode)
{
	return kho_cq_lookup_in(rules, sizeof(rules) / sizeof(rules[0]),
				check, o, root_compat, subnode);
}

enum kho_severity kho_cq_severity(enum kho_cq cq, enum kho_severity sev)
{
	switch (cq) {
	case KHO_CQ_PANIC:
	case KHO_CQ_ALL_LOST:
	case KHO_CQ_SESSION_LOST:
	case KHO_CQ_FILE_EIO:
	case KHO_CQ_DATA_LOST:
		return KHO_SEV_ERROR;
	case KHO_CQ_MEMORY_LEAKED:
	case KHO_CQ_WARNING_ONLY:
		return KHO_SEV_WARNING;
	case KHO_CQ_NONE:
		return KHO_SEV_NOTE;
	default:
		return sev;
	}
}
