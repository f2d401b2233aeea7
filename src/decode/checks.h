/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check registry (issue 13): every finding id, declared once, and the
 * --ignore / --error filter applied where findings are recorded.
 *
 * Core ids are declared in check_registry.h; a plugin's ids in its checks[]
 * list (struct kho_plugin), which the host reads through
 * kho_checks_plugin_list().
 */
#ifndef KHO_CHECKS_H
#define KHO_CHECKS_H

#include <stddef.h>

#include "kho/plugin.h"

struct kho_check_decl {
	const char *id;
	enum kho_severity sev;
	const char *summary;
};

/* The core table, in declaration order. */
const struct kho_check_decl *kho_checks_core(size_t *n);
/* The core declaration of `id`, or NULL. */
const struct kho_check_decl *kho_checks_core_find(const char *id);

/*
 * Every declared id: the core table first, then each loaded plugin's
 * checks[] list in load order (at most KHO_CHECKS_PLUGIN_MAX entries of
 * one plugin are read).  fn gets the owner ("core" or the plugin's name)
 * and, for a core id, its declaration (NULL for a plugin id, whose
 * checks[] carries only the id).  A nonzero return from fn stops the walk
 * and is returned.
 */
struct kho_plugin_set;
#define KHO_CHECKS_PLUGIN_MAX 4096
typedef int (*kho_check_visit_fn)(void *arg, const char *id,
				  const char *owner,
				  const struct kho_check_decl *d);
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

#endif
