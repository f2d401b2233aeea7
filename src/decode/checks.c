// SPDX-License-Identifier: GPL-2.0-or-later
/* The check registry and the --ignore / --error filter (see checks.h). */
#include <stdint.h>
#include <string.h>

#include "checks.h"
#include "kho/err.h"
#include "plugins.h"

#define NOTE KHO_SEV_NOTE
#define WARNING KHO_SEV_WARNING
#define ERROR KHO_SEV_ERROR
#define UNKNOWN KHO_SEV_UNKNOWN
#define CHECK(id, sev, cap, summary) { id, sev, cap, summary },
static const struct kho_check_decl core[] = {
#include "check_registry.h"
};
#undef CHECK

const struct kho_check_decl *kho_checks_core(size_t *n)
{
	*n = sizeof(core) / sizeof(core[0]);
	return core;
}

const struct kho_check_decl *kho_checks_core_find(const char *id)
{
	size_t i;

	for (i = 0; id && i < sizeof(core) / sizeof(core[0]); i++)
		if (!strcmp(core[i].id, id))
			return &core[i];
	return NULL;
}

const char *kho_plugin_check_at(const struct kho_plugin *p, size_t i,
				uint32_t *cap)
{
	*cap = 0;
	if (!p || i >= KHO_CHECKS_PLUGIN_MAX)
		return NULL;
	/* check_list is past the end of a plugin struct older than 1.6. */
	if (kho_plugin_minor(p) >= 6 && p->check_list) {
		if (!p->check_list[i].id)
			return NULL;
		*cap = p->check_list[i].cap;
		return p->check_list[i].id;
	}
	return p->checks ? p->checks[i] : NULL;
}

int kho_checks_each(const struct kho_plugin_set *set, kho_check_visit_fn fn,
		    void *arg)
{
	const char *id;
	uint32_t cap;
	size_t i, j;
	int rc;

	for (i = 0; i < sizeof(core) / sizeof(core[0]); i++)
		if ((rc = fn(arg, core[i].id, "core", &core[i], core[i].cap)))
			return rc;
	for (i = 0; set && i < set->n; i++) {
		const struct kho_plugin *p = set->v[i].p;

		for (j = 0; (id = kho_plugin_check_at(p, j, &cap)); j++)
			if ((rc = fn(arg, id, p->name, NULL, cap)))
				return rc;
	}
	return 0;
}

uint32_t kho_check_cap(const struct kho_plugin *p, const char *id,
		       size_t *rank)
{
	const struct kho_check_decl *d;
	const char *pid;
	uint32_t cap;
	size_t j;

	for (j = 0; id && (pid = kho_plugin_check_at(p, j, &cap)); j++)
		if (!strcmp(pid, id)) {
			*rank = j;
			return cap;
		}
	d = kho_checks_core_find(id);
	if (!d) {
		*rank = SIZE_MAX;
		return 0;
	}
	*rank = KHO_CHECKS_PLUGIN_MAX + (size_t)(d - core);
	return d->cap;
}

struct count_arg {
	const char *pattern;
	size_t n;
};

static int count_one(void *arg, const char *id, const char *owner,
		     const struct kho_check_decl *d, uint32_t cap)
{
	struct count_arg *a = arg;

	if (kho_check_pattern_matches(a->pattern, id))
		a->n++;
	return 0;
}

size_t kho_checks_count_matching(const struct kho_plugin_set *set,
				 const char *pattern)
{
	struct count_arg a = { pattern, 0 };

	kho_checks_each(set, count_one, &a);
	return a.n;
}

int kho_check_pattern_matches(const char *pattern, const char *id)
{
	size_t n = strlen(pattern);

	if (!id)
		return 0;
	if (n && pattern[n - 1] == '*')
		return !strncmp(pattern, id, n - 1);
	return !strcmp(pattern, id);
}

static struct {
	const char *pattern;
	enum kho_check_action a;
} rules[KHO_CHECK_FILTER_MAX];
static size_t nrules;

int kho_checks_filter_add(enum kho_check_action a, const char *pattern)
{
	if (nrules >= KHO_CHECK_FILTER_MAX)
		return KHO_EINVAL;
	rules[nrules].pattern = pattern;
	rules[nrules].a = a;
	nrules++;
	return 0;
}

void kho_checks_filter_clear(void)
{
	nrules = 0;
}

size_t kho_checks_filter_count(void)
{
	return nrules;
}

const char *kho_checks_filter_pattern(size_t i, enum kho_check_action *a)
{
	if (i >= nrules)
		return NULL;
	*a = rules[i].a;
	return rules[i].pattern;
}

enum kho_check_action kho_checks_filter(const char *id)
{
	size_t i = nrules;

	while (i--)
		if (kho_check_pattern_matches(rules[i].pattern, id))
			return rules[i].a;
	return KHO_CHECK_KEEP;
}
