/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding, vetting and loading decoder plugins. */
#ifndef KHO_PLUGINS_H
#define KHO_PLUGINS_H

#include <stddef.h>

#include "kho/plugin.h"

struct kho_loaded_plugin {
	const struct kho_plugin *p;
	void *handle;
	char *path;
};

/* Why a plugin file was not loaded; reported as a warning finding. */
struct kho_plugin_problem {
	char *path;
	char *msg;
};

struct kho_plugin_set {
	struct kho_loaded_plugin *v;
	size_t n, cap;
	struct kho_plugin_problem *problems;
	size_t nproblems, capproblems;
	char **searched; /* directories looked at, in order */
	size_t nsearched;
};

/*
 * Load plugins from, in order: dirs (--plugin-dir), $KHO_INSPECT_PLUGIN_PATH
 * (colon separated, unless no_env), the install directory and the build
 * tree.  A plugin whose name was already loaded from an earlier directory is
 * skipped, so earlier directories win.  Returns 0 or KHO_ENOMEM.
 */
int kho_plugins_load(struct kho_plugin_set *set, const char *const *dirs,
		     int no_env, int no_default_dirs);
void kho_plugins_free(struct kho_plugin_set *set);

const struct kho_plugin *kho_plugins_by_compat(const struct kho_plugin_set *s,
					       enum kho_plugin_role role,
					       const char *compat);
const struct kho_plugin *kho_plugins_by_node(const struct kho_plugin_set *s,
					     enum kho_plugin_role role,
					     const char *node);
const struct kho_plugin *kho_plugins_service(const struct kho_plugin_set *s,
					     int want_vmalloc);

#endif
