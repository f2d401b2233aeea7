// SPDX-License-Identifier: GPL-2.0-or-later
#include "plugins.h"
#include "plugin_trust.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PLUGINS 256

static int add_problem(struct kho_plugin_set *s, const char *path,
		       const char *msg, int ignored)
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
	np = &s->problems[s->nproblems];
	np->path = strdup(path);
	np->msg = strdup(msg);
	np->ignored = ignored;
	if (!np->path || !np->msg) {
		free(np->path);
		free(np->msg);
		return KHO_ENOMEM;
	}
	s->nproblems++;
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

/*
 * The loader knows objects by name first: a /proc/self/fd/N name could
 * match an object still loaded from an earlier descriptor N (one marked
 * RTLD_NODELETE, say).  Make sure the object returned is the vetted file.
 */
static int same_object(void *h, int fd)
{
	struct link_map *lm = NULL;
	struct stat a, b;

	if (dlinfo(h, RTLD_DI_LINKMAP, &lm) || !lm || !lm->l_name ||
	    fstat(fd, &a) || stat(lm->l_name, &b))
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * fd is the vetted file, open for reading.  dlopen goes through
 * /proc/self/fd so that it maps that very file, not whatever the path
 * names by then.  The descriptor stays open while the plugin is loaded:
 * the dynamic loader knows an object by the name it was opened under, and
 * a reused descriptor number would otherwise name an older plugin.
 */
static int load_one(struct kho_plugin_set *s, const char *path, int fd)
{
	const struct kho_plugin *p;
	char why[512], proc[64];
	void *h;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	h = dlopen(proc, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		size_t pl = strlen(proc);

		/* dlerror names the /proc path; the user knows the real one. */
		if (e && !strncmp(e, proc, pl) && e[pl] == ':')
			e += pl + 1 + (e[pl + 1] == ' ');
		snprintf(why, sizeof(why), "cannot load plugin: %s",
			 e ? e : "unknown error");
		close(fd);
		return add_problem(s, path, why, 0);
	}
	if (!same_object(h, fd)) {
		snprintf(why, sizeof(why),
			 "the dynamic loader returned another object already loaded under the same name; not loaded");
		goto refuse;
	}
	p = dlsym(h, KHO_PLUGIN_SYMBOL);
	if (!p) {
		snprintf(why, sizeof(why),
			 "not a kho-inspect plugin: no symbol %s",
			 KHO_PLUGIN_SYMBOL);
		goto refuse;
	}
	/*
	 * One major, any minor up to ours: a newer minor may call host ops
	 * this host lacks.  A bare major (below 0x10000) is minor 0.
	 */
	if (KHO_PLUGIN_API_MAJOR_OF(p->api_version) != KHO_PLUGIN_API_MAJOR ||
	    KHO_PLUGIN_API_MINOR_OF(p->api_version) > KHO_PLUGIN_API_MINOR) {
		snprintf(why, sizeof(why),
			 "plugin built for API version %u.%u, this kho-inspect provides version %u.%u (loads %u.0 to %u.%u); not loaded",
			 (unsigned int)KHO_PLUGIN_API_MAJOR_OF(p->api_version),
			 (unsigned int)KHO_PLUGIN_API_MINOR_OF(p->api_version),
			 KHO_PLUGIN_API_MAJOR, KHO_PLUGIN_API_MINOR,
			 KHO_PLUGIN_API_MAJOR, KHO_PLUGIN_API_MAJOR,
			 KHO_PLUGIN_API_MINOR);
		goto refuse;
	}
	/*
	 * vmalloc areas and block chains are the host's own now (issue 13).
	 * A service plugin, typically vmalloc.so or blocks.so left in the
	 * plugin directory by an older install, would only duplicate them:
	 * it is not loaded, and listed as ignored rather than refused, so
	 * that it does not clutter every run.
	 */
	if (p->role == KHO_ROLE_SERVICE) {
		dlclose(h);
		close(fd);
		return add_problem(s, path,
				   "plugin has role KHO_ROLE_SERVICE, which this kho-inspect no longer uses: it decodes vmalloc areas and block chains itself; not loaded",
				   1);
	}
	if (!p->name || !p->name[0]) {
		snprintf(why, sizeof(why), "plugin has no name; not loaded");
		goto refuse;
	}
	if (have_name(s, p->name)) {
		dlclose(h);
		close(fd);
		return 0; /* shadowed by an earlier directory */
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct kho_loaded_plugin *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv) {
			dlclose(h);
			close(fd);
			return KHO_ENOMEM;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n].p = p;
	s->v[s->n].handle = h;
	s->v[s->n].fd = fd;
	s->v[s->n].path = strdup(path);
	s->n++;
	return 0;
refuse:
	dlclose(h);
	close(fd);
	return add_problem(s, path, why, 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.so names in an open directory, sorted; NULL-padded to n. */
static size_t list_dir(int dfd, char **names)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d = fdopendir(dfd);

	if (!d) {
		close(dfd);
		return 0;
	}
	while ((de = readdir(d)) && n < MAX_PLUGINS) {
		size_t len = strlen(de->d_name);

		if (len > 3 && !strcmp(de->d_name + len - 3, ".so"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	/* Load in a stable order so results never depend on readdir. */
	qsort(names, n, sizeof(*names), cmp_str);
	return n;
}

static int note_searched(struct kho_plugin_set *s, const char *dir)
{
	char **ns = realloc(s->searched, (s->nsearched + 1) * sizeof(*ns));

	if (!ns)
		return KHO_ENOMEM;
	s->searched = ns;
	s->searched[s->nsearched] = strdup(dir);
	if (!s->searched[s->nsearched])
		return KHO_ENOMEM;
	s->nsearched++;
	return 0;
}

static int load_dir(struct kho_plugin_set *s, const char *dir)
{
	char *names[MAX_PLUGINS];
	size_t n, i;
	char why[1024];
	int rc, dfd;

	if ((rc = note_searched(s, dir)))
		return rc;
	dfd = kho_trusted_open(dir, 1, why, sizeof(why));
	if (dfd == KHO_TRUST_MISSING)
		return 0; /* a missing search directory is normal */
	if (dfd < 0)
		return add_problem(s, dir, why, 0);
	n = list_dir(dfd, names);
	for (i = 0; i < n; i++) {
		char path[4096];
		int fd;

		if (!names[i])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		free(names[i]);
		if (rc)
			continue;
		fd = kho_trusted_open(path, 0, why, sizeof(why));
		if (fd < 0)
			rc = add_problem(s, path, why, 0);
		else
			rc = load_one(s, path, fd);
	}
	return rc;
}

/*
 * An installed binary sees the build tree it was made from only to say
 * that it leaves it alone: each plugin there is listed, never opened.
 */
static int ignore_dir(struct kho_plugin_set *s, const char *dir)
{
	char *names[MAX_PLUGINS];
	char path[4096], why[512];
	size_t n, i;
	int rc = 0, dfd;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	n = list_dir(dfd, names);
	snprintf(why, sizeof(why),
		 "in the build tree %s; only the kho-inspect built there loads it",
		 dir);
	for (i = 0; i < n; i++) {
		if (!names[i])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		free(names[i]);
		if (!rc)
			rc = add_problem(s, path, why, 1);
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
	/* Decided by where the executable is, never by an option or variable. */
	if (kho_running_from(KHO_BUILD_DIR))
		return load_dir(s, KHO_BUILD_DIR "/plugins");
	return ignore_dir(s, KHO_BUILD_DIR "/plugins");
}

void kho_plugins_free(struct kho_plugin_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		dlclose(s->v[i].handle);
		close(s->v[i].fd);
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

unsigned int kho_plugin_minor(const struct kho_plugin *p)
{
	return p ? KHO_PLUGIN_API_MINOR_OF(p->api_version) : KHO_PLUGIN_API_MINOR;
}

size_t kho_memmap_ops_size(unsigned int minor)
{
	if (minor >= 2)
		return sizeof(struct kho_memmap_ops);
	if (minor == 1)
		return offsetof(struct kho_memmap_ops, claim_seq);
	return offsetof(struct kho_memmap_ops, claim);
}
