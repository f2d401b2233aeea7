/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Opening a plugin only when nobody but root or the invoking user could
 * have put it there, the way sudo and OpenSSH vet their files.
 */
#ifndef KHO_PLUGIN_TRUST_H
#define KHO_PLUGIN_TRUST_H

#include <stddef.h>

#include "kho/err.h"

/* kho_trusted_open() results besides a file descriptor. */
#define KHO_TRUST_REFUSED KHO_EINVAL /* not trusted: why says what is wrong */
#define KHO_TRUST_MISSING KHO_ENOENT /* the path does not exist */

/*
 * Open PATH (want_dir: a directory to list; else a regular file to read)
 * after checking it and every directory from / down to it: each must be
 * owned by root or by the real or effective user and be writable by
 * nobody else.  A world-writable directory with the sticky bit that root
 * owns (/tmp) is accepted, since there nobody can rename or remove an
 * entry they do not own.  Symbolic links are followed by hand, component
 * by component, so the directories they lead through are checked too.
 * Every step works on the descriptor of the step before, so nothing can be
 * swapped between the check and the open.  Returns a descriptor (O_CLOEXEC)
 * or KHO_TRUST_REFUSED / KHO_TRUST_MISSING with the reason in why.
 */
int kho_trusted_open(const char *path, int want_dir, char *why, size_t len);

/*
 * Whether the running executable lies inside build_dir (it is the
 * build-tree binary, or a test program built next to it), judged by where
 * /proc/self/exe points: an installed copy never counts.
 */
int kho_running_from(const char *build_dir);

#endif
