// SPDX-License-Identifier: GPL-2.0-or-later
#include "plugin_trust.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 128 /* directories below / */
#define MAX_LINKS 32  /* symbolic links followed, as the kernel's 40 */

static int trusted_owner(uid_t u)
{
	return u == 0 || u == getuid() || u == geteuid();
}

static int vet(const struct stat *st, const char *shown, char *why,
	       size_t len)
{
	if (!trusted_owner(st->st_uid)) {
		snprintf(why, len, "%s is owned by uid %u, not by root or uid %u",
			 shown, (unsigned int)st->st_uid,
			 (unsigned int)getuid());
		return KHO_TRUST_REFUSED;
	}
	if (!(st->st_mode & (S_IWGRP | S_IWOTH)))
		return 0;
	/* /tmp: others may add entries but not replace ours. */
	if (S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX) && st->st_uid == 0)
		return 0;
	snprintf(why, len,
		 "%s is writable by group or others; refusing to load plugins from it%s",
		 shown, geteuid() == 0 ? " as root" : "");
	return KHO_TRUST_REFUSED;
}

struct walk {
	int fd[MAX_DEPTH + 1];      /* fd[0] is /, fd[n - 1] the current dir */
	size_t curlen[MAX_DEPTH + 1]; /* length of cur at each level */
	int n;
	char cur[PATH_MAX];         /* the checked path so far, "" for / */
};

static void pop_to(struct walk *w, int n)
{
	while (w->n > n) {
		w->n--;
		close(w->fd[w->n]);
	}
	if (n > 0)
		w->cur[w->curlen[n - 1]] = '\0';
}

static void shown_name(const struct walk *w, const char *name, char *buf,
		       size_t len)
{
	snprintf(buf, len, "%s/%s", w->cur, name);
}

/*
 * rest = prefix + "/" + rest (a symlink target spliced in): 0, or
 * KHO_ELIMIT when it would not fit.
 */
static int join_path(char *rest, size_t cap, const char *prefix, const char *tail)
{
	char tmp[2 * PATH_MAX];
	int n = snprintf(tmp, sizeof(tmp), "%s/%s", prefix, tail);

	if (n < 0 || (size_t)n >= cap)
		return KHO_ELIMIT;
	memcpy(rest, tmp, (size_t)n + 1);
	return 0;
}

int kho_trusted_open(const char *path, int want_dir, char *why, size_t len)
{
	char rest[2 * PATH_MAX], name[NAME_MAX + 1], shown[PATH_MAX + NAME_MAX + 2];
	struct walk w;
	struct stat st, st2 = { 0 };
	int links = 0, file = -1, fd, rc = KHO_TRUST_REFUSED;
	const char *p;
	char proc[64];

	if (path[0] == '/') {
		if (snprintf(rest, sizeof(rest), "%s", path) >= (int)sizeof(rest))
			goto toolong;
	} else {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd))) {
			snprintf(why, len, "%s: cannot find the current directory", path);
			return KHO_TRUST_REFUSED;
		}
		if (join_path(rest, sizeof(rest), cwd, path))
			goto toolong;
	}
	w.n = 0;
	w.cur[0] = '\0';
	w.curlen[0] = 0;
	w.fd[0] = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w.fd[0] < 0 || fstat(w.fd[0], &st)) {
		snprintf(why, len, "cannot open /");
		if (w.fd[0] >= 0)
			close(w.fd[0]);
		return KHO_TRUST_REFUSED;
	}
	w.n = 1;
	if (vet(&st, "/", why, len))
		goto out;

	p = rest;
	for (;;) {
		size_t clen;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		if (file >= 0) {
			snprintf(why, len, "%s: not a directory", w.cur);
			goto out;
		}
		clen = strcspn(p, "/");
		if (clen > NAME_MAX)
			goto toolong;
		memcpy(name, p, clen);
		name[clen] = '\0';
		p += clen;
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			if (w.n > 1)
				pop_to(&w, w.n - 1);
			continue;
		}
		shown_name(&w, name, shown, sizeof(shown));
		fd = openat(w.fd[w.n - 1], name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				rc = KHO_TRUST_MISSING;
			snprintf(why, len, "cannot open %s: %s", shown,
				 strerror(errno));
			goto out;
		}
		if (fstat(fd, &st)) {
			snprintf(why, len, "cannot stat %s: %s", shown,
				 strerror(errno));
			close(fd);
			goto out;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t tl;

			/* The directory holding the link is already vetted. */
			tl = readlinkat(fd, "", target, sizeof(target) - 1);
			close(fd);
			if (tl <= 0 || ++links > MAX_LINKS) {
				snprintf(why, len, "%s: %s", shown,
					 tl <= 0 ? "unreadable symbolic link" :
						   "too many symbolic links");
				goto out;
			}
			target[tl] = '\0';
			if (join_path(rest, sizeof(rest), target, p))
				goto toolong;
			p = rest;
			if (target[0] == '/')
				pop_to(&w, 1);
			continue;
		}
		if (vet(&st, shown, why, len)) {
			close(fd);
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			file = fd;
			st2 = st;
			continue;
		}
		if (w.n > MAX_DEPTH || strlen(shown) >= sizeof(w.cur)) {
			close(fd);
			goto toolong;
		}
		w.fd[w.n] = fd;
		strcpy(w.cur, shown);
		w.curlen[w.n] = strlen(w.cur);
		w.n++;
	}

	if (want_dir) {
		if (file >= 0) {
			snprintf(why, len, "%s: not a directory", path);
			goto out;
		}
		fd = openat(w.fd[w.n - 1], ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else {
		if (file < 0 || !S_ISREG(st2.st_mode)) {
			snprintf(why, len, "%s: not a regular file", path);
			goto out;
		}
		/* Reopen the very inode that was vetted, for reading. */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", file);
		fd = open(proc, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(why, len, "cannot open %s: %s%s", path, strerror(errno),
			 want_dir ? "" : " (is /proc mounted?)");
		goto out;
	}
	if (fstat(fd, &st) ||
	    (!want_dir && (st.st_dev != st2.st_dev || st.st_ino != st2.st_ino))) {
		snprintf(why, len, "%s changed while it was checked", path);
		close(fd);
		goto out;
	}
	rc = fd;
	goto out;

toolong:
	snprintf(why, len, "%.200s...: path too long", path);
out:
	if (file >= 0)
		close(file);
	if (w.n > 0)
		pop_to(&w, 0);
	return rc;
}

int kho_running_from(const char *build_dir)
{
	char exe[PATH_MAX], dir[PATH_MAX];
	ssize_t n;
	size_t dl;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0 || !realpath(build_dir, dir))
		return 0;
	exe[n] = '\0';
	dl = strlen(dir);
	return !strncmp(exe, dir, dl) && exe[dl] == '/';
}
