// SPDX-License-Identifier: GPL-2.0-or-later
#include "plugins.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PLUGINS 256

static int add_problem(struct kho_plugin_set *s, const char *path,
		       const char *msg)
{
	struct kho_plugin_problem *np;

	if (s->nproblems == s->capproblems) {
		size_t cap = s->capproblems ? s->capproblems * 2 : 8;

		np = realloc(s->problems, cap * sizeof(*np));
		if (!np)
			return KHO_ENOMEM;
		s->problems = np;
		s->capproblems = cap;
	}
	s->problems[s->nproblems].path = strdup(path);
	s->problems[s->nproblems].msg = strdup(msg);
	s->nproblems++;
	return 0;
}

/*
 * When running as root, a plugin that someone else could have replaced runs
 * with root's rights; refuse it the way sudo or ssh refuse loose files.
 */
static int insecure(const char *path, char *why, size_t len)
{
	struct stat st;

	if (geteuid() != 0)
		return 0;
	if (stat(path, &st)) {
		snprintf(why, len, "cannot stat %s", path);
		return 1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, len,
			 "%s is writable by group or others; refusing to load plugins from it as root",
			 path);
		return 1;
	}
	return 0;
}

static int have_name(const struct kho_plugin_set *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].p->name, name))
			return 1;
	return 0;
}

static int load_one(struct kho_plugin_set *s, const char *path)
{
	const struct kho_plugin *p;
	char why[512];
	void *h;

	if (insecure(path, why, sizeof(why)))
		return add_problem(s, path, why);
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(why, sizeof(why), "cannot load plugin: %s", dlerror());
		return add_problem(s, path, why);
	}
	p = dlsym(h, KHO_PLUGIN_SYMBOL);
	if (!p) {
		dlclose(h);
		snprintf(why, sizeof(why),
			 "not a kho-inspect plugin: no symbol %s",
			 KHO_PLUGIN_SYMBOL);
		return add_problem(s, path, why);
	}
	if (p->api_version != KHO_PLUGIN_API_VERSION) {
		snprintf(why, sizeof(why),
			 "plugin built for API version %u, this kho-inspect provides version %u; not loaded",
			 p->api_version, KHO_PLUGIN_API_VERSION);
		dlclose(h);
		return add_problem(s, path, why);
	}
	if (!p->name || !p->name[0]) {
		dlclose(h);
		return add_problem(s, path, "plugin has no name; not loaded");
	}
	if (have_name(s, p->name)) {
		dlclose(h);
		return 0; /* shadowed by an earlier directory */
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct kho_loaded_plugin *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv) {
			dlclose(h);
			return KHO_ENOMEM;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n].p = p;
	s->v[s->n].handle = h;
	s->v[s->n].path = strdup(path);
	s->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(struct kho_plugin_set *s, const char *dir)
{
	char *names[MAX_PLUGINS];
	size_t n = 0, i;
	struct dirent *de;
	char why[512];
	DIR *d;
	int rc = 0;

	char **ns = realloc(s->searched, (s->nsearched + 1) * sizeof(*ns));
	if (!ns)
		return KHO_ENOMEM;
	s->searched = ns;
	s->searched[s->nsearched++] = strdup(dir);

	d = opendir(dir);
	if (!d)
		return 0; /* a missing search directory is normal */
	if (insecure(dir, why, sizeof(why))) {
		closedir(d);
		return add_problem(s, dir, why);
	}
	while ((de = readdir(d)) && n < MAX_PLUGINS) {
		size_t len = strlen(de->d_name);

		if (len > 3 && !strcmp(de->d_name + len - 3, ".so"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	/* Load in a stable order so results never depend on readdir. */
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		char path[4096];

		if (!names[i])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (!rc)
			rc = load_one(s, path);
		free(names[i]);
	}
	return rc;
}

int kho_plugins_load(struct kho_plugin_set *s, const char *const *dirs,
		     int no_env, int no_default_dirs)
{
	const char *env;
	int rc;

	for (; dirs && *dirs; dirs++)
		if ((rc = load_dir(s, *dirs)))
			return rc;
	env = no_env ? NULL : getenv("KHO_INSPECT_PLUGIN_PATH");
	if (env && *env) {
		char *copy = strdup(env), *save = NULL, *tok;

		if (!copy)
			return KHO_ENOMEM;
		for (tok = strtok_r(copy, ":", &save); tok;
		     tok = strtok_r(NULL, ":", &save))
			if ((rc = load_dir(s, tok))) {
				free(copy);
				return rc;
			}
		free(copy);
	}
	if (no_default_dirs)
		return 0;
	if ((rc = load_dir(s, KHO_PLUGINDIR)))
		return rc;
	return load_dir(s, KHO_BUILD_PLUGINDIR);
}

void kho_plugins_free(struct kho_plugin_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		dlclose(s->v[i].handle);
		free(s->v[i].path);
	}
	for (i = 0; i < s->nproblems; i++) {
		free(s->problems[i].path);
		free(s->problems[i].msg);
	}
	for (i = 0; i < s->nsearched; i++)
		free(s->searched[i]);
	free(s->searched);
	free(s->problems);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

const struct kho_plugin *kho_plugins_by_compat(const struct kho_plugin_set *s,
					       enum kho_plugin_role role,
					       const char *compat)
{
	size_t i;

	if (!compat)
		return NULL;
	for (i = 0; i < s->n; i++)
		if (s->v[i].p->role == role && in_list(s->v[i].p->compats, compat))
			return s->v[i].p;
	return NULL;
}

const struct kho_plugin *kho_plugins_by_node(const struct kho_plugin_set *s,
					     enum kho_plugin_role role,
					     const char *node)
{
	size_t i;

	if (!node)
		return NULL;
	for (i = 0; i < s->n; i++)
		if (s->v[i].p->role == role &&
		    in_list(s->v[i].p->node_names, node))
			return s->v[i].p;
	return NULL;
}

const struct kho_plugin *kho_plugins_service(const struct kho_plugin_set *s,
					     int want_vmalloc)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct kho_plugin *p = s->v[i].p;

		if (p->role != KHO_ROLE_SERVICE)
			continue;
		if (want_vmalloc ? p->vmalloc != NULL : p->block_chain != NULL)
			return p;
	}
	return NULL;
}
