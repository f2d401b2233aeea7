/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding, vetting and loading decoder plugins. */
#ifndef KHO_PLUGINS_H
#define KHO_PLUGINS_H

#include <stddef.h>

#include "kho/plugin.h"

struct kho_loaded_plugin {
	const struct kho_plugin *p;
	void *handle;
	int fd; /* the vetted file, open while loaded (see load_one) */
	char *path;
};

/*
 * Why a plugin file or directory was not loaded.  These are facts about
 * the host, not about the image: front ends list them in a "plugins"
 * section of their own, never among the image's findings.  ignored: a
 * build-tree plugin that an installed binary leaves alone by design.
 */
struct kho_plugin_problem {
	char *path;
	char *msg;
	int ignored;
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
 * (colon separated, unless no_env), the install directory and, only for a
 * binary that runs from the build tree (kho_running_from), the build
 * tree's plugins.  Every directory and file passes kho_trusted_open()
 * before it is read, whoever runs the tool and wherever the directory was
 * named.  A plugin whose name was already loaded from an earlier directory
 * is skipped, so earlier directories win.  Returns 0 or KHO_ENOMEM.
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
/*
 * The minor API version p was built against (0 for a plugin that gives a
 * bare major); KHO_PLUGIN_API_MINOR for NULL, the host itself.
 */
unsigned int kho_plugin_minor(const struct kho_plugin *p);

/*
 * How many leading bytes of struct kho_memmap_ops a plugin of this minor
 * has: the members after them were appended later and count as NULL.
 * Every member appended to a plugin-side structure gets its minor here.
 */
size_t kho_memmap_ops_size(unsigned int minor);

#endif
