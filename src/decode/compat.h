/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Compatibility strings, including the RFC's composite form (spec §10). */
#ifndef KHO_COMPAT_H
#define KHO_COMPAT_H

#include <stddef.h>

#include "kho/err.h"

#define KHO_COMPAT_MAX_PARTS 16

struct kho_compat_parts {
	char buf[256];
	const char *base;
	const char *comp[KHO_COMPAT_MAX_PARTS];
	size_t ncomp;
};

/*
 * Split "base;c1;c2" into its base and components.  Returns 0, or
 * KHO_EINVAL when the string is too long, has an empty component or too
 * many of them.
 */
int kho_compat_split(const char *s, struct kho_compat_parts *out);

/*
 * The RFC rule: components after the base are unique and in strictly
 * increasing strcmp order.  Returns 0 when the string obeys it; otherwise
 * KHO_EINVAL with the reason in why.
 */
int kho_compat_check_order(const char *s, char *why, size_t len);

#endif
