/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check registry (issue 13): every finding id, declared once, and the
 * --ignore / --error filter applied where findings are recorded.
 *
 * Core ids are declared in check_registry.h; a plugin's ids in its
 * check_list (or, before API 1.6, checks) of struct kho_plugin, which the
 * host reads through kho_plugin_check_at().  Each id may carry a cap,
 * applied where findings are recorded (findings.c, struct kho_cap_scope).
 */
#ifndef KHO_CHECKS_H
#define KHO_CHECKS_H

#include <stddef.h>

#include "kho/plugin.h"

struct kho_check_decl {
	const char *id;
	enum kho_severity sev;
	uint32_t cap; /* 0: every finding listed; see struct kho_check */
	const char *summary;
};

/* The core table, in declaration order. */
const struct kho_check_decl *kho_checks_core(size_t *n);
/* The core declaration of `id`, or NULL. */
const struct kho_check_decl *kho_checks_core_find(const char *id);

/*
 * The i-th id that plugin p declares, with its cap in *cap (0 for a
 * plugin of an API before 1.6, whose checks list has none); NULL past the
 * end or from KHO_CHECKS_PLUGIN_MAX on.
 */
#define KHO_CHECKS_PLUGIN_MAX 4096
const char *kho_plugin_check_at(const struct kho_plugin *p, size_t i,
				uint32_t *cap);

/*
 * Every declared id: the core table first, then each loaded plugin's
 * list in load order.  fn gets the owner ("core" or the plugin's name),
 * for a core id its declaration (NULL for a plugin id, whose list carries
 * no severity or summary), and the id's cap.  A nonzero return from fn
 * stops the walk and is returned.
 */
struct kho_plugin_set;
typedef int (*kho_check_visit_fn)(void *arg, const char *id,
				  const char *owner,
				  const struct kho_check_decl *d,
				  uint32_t cap);
int kho_checks_each(const struct kho_plugin_set *set, kho_check_visit_fn fn,
		    void *arg);
/* How many declared ids `pattern` names (see kho_check_pattern_matches). */
size_t kho_checks_count_matching(const struct kho_plugin_set *set,
				 const char *pattern);

/*
 * Whether `pattern` names `id`: equal, or pattern ends in '*' and the
 * rest is a prefix of id ("radix.*", "*").
 */
int kho_check_pattern_matches(const char *pattern, const char *id);

/*
 * The filter: what to do with the findings of an id.  Rules are tried
 * last first, so a later --error beats an earlier --ignore of the same id
 * and vice versa, as with dtc's -W/-E.  It is one table for the process,
 * set by the front end before any session runs; every session and the
 * compat judge (compat_check.c) consult it where they record a finding.
 */
enum kho_check_action {
	KHO_CHECK_KEEP = 0,
	KHO_CHECK_IGNORE, /* dropped from the list, the counts and the exit */
	KHO_CHECK_ERROR,  /* reported with severity error */
};
#define KHO_CHECK_FILTER_MAX 64
/* 0, or KHO_EINVAL when the table is full. */
int kho_checks_filter_add(enum kho_check_action a, const char *pattern);
void kho_checks_filter_clear(void);
size_t kho_checks_filter_count(void);
/* The i-th rule's pattern and action, for validating them. */
const char *kho_checks_filter_pattern(size_t i, enum kho_check_action *a);
enum kho_check_action kho_checks_filter(const char *id);

/*
 * The per-check cap (one rule for every capped id, core or plugin).  A
 * scope is one call of a plugin's decode, opened and closed around it by
 * dispatch.c; scopes nest as decoders call each other (LUO, then memfd),
 * and a finding counts in the innermost one.  Within a scope the first
 * `cap` findings of an id are recorded, the rest only counted; at close,
 * each id that went over gets one entry that stands for the rest (as
 * kho_vreport_unlisted), in declaration order, on the first object the
 * call made below its parent.  Findings outside every scope (the host's
 * own passes) are not capped.
 */
struct kho_cap_count {
	const char *id;
	uint64_t count;
	uint32_t cap;
	int worst;   /* the worst severity among the id's findings */
	size_t rank; /* declaration order: the plugin's list, then core */
};
struct kho_cap_scope {
	struct kho_cap_scope *outer;
	const struct kho_plugin *p;
	struct kho_obj *parent;
	struct kho_obj *before; /* parent's last child when the call began */
	struct kho_cap_count *v; /* every id seen in the scope, capped or not */
	size_t n, capv;
};
/*
 * The cap of `id` reported while plugin p (NULL: the host) decodes: p's
 * declaration first, then the core table's; 0 when neither caps it.
 * *rank gets its declaration order (SIZE_MAX when it is declared nowhere).
 */
uint32_t kho_check_cap(const struct kho_plugin *p, const char *id,
		       size_t *rank);
/* findings.c: the scope of one decode call of p below parent. */
void kho_cap_scope_open(struct kho_ctx *c, struct kho_cap_scope *s,
			const struct kho_plugin *p, struct kho_obj *parent);
void kho_cap_scope_close(struct kho_ctx *c, struct kho_cap_scope *s);

#endif
