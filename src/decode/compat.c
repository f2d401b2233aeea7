// SPDX-License-Identifier: GPL-2.0-or-later
#include "compat.h"

#include <stdio.h>
#include <string.h>

int kho_compat_split(const char *s, struct kho_compat_parts *out)
{
	char *p, *semi;
	size_t n = strlen(s);

	memset(out, 0, sizeof(*out));
	if (n >= sizeof(out->buf))
		return KHO_EINVAL;
	memcpy(out->buf, s, n + 1);
	out->base = out->buf;
	p = strchr(out->buf, ';');
	while (p) {
		*p++ = '\0';
		if (out->ncomp == KHO_COMPAT_MAX_PARTS)
			return KHO_EINVAL;
		semi = strchr(p, ';');
		if (semi == p || *p == '\0')
			return KHO_EINVAL;
		out->comp[out->ncomp++] = p;
		p = semi;
	}
	return 0;
}

int kho_compat_check_order(const char *s, char *why, size_t len)
{
	struct kho_compat_parts parts;
	size_t i;

	if (kho_compat_split(s, &parts)) {
		snprintf(why, len, "malformed composite string (empty, too many or too long components)");
		return KHO_EINVAL;
	}
	for (i = 1; i < parts.ncomp; i++) {
		int cmp = strcmp(parts.comp[i - 1], parts.comp[i]);

		if (cmp == 0) {
			snprintf(why, len, "component \"%s\" appears twice",
				 parts.comp[i]);
			return KHO_EINVAL;
		}
		if (cmp > 0) {
			snprintf(why, len,
				 "components out of order: \"%s\" must come before \"%s\"",
				 parts.comp[i], parts.comp[i - 1]);
			return KHO_EINVAL;
		}
	}
	return 0;
}
