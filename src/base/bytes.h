/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Byte-level helpers the image back ends and the live locator share: fixed
 * byte-order loads from a buffer already bounds-checked by the caller, and
 * bare hexadecimal as the kernel prints it (kallsyms, VMCOREINFO, our
 * NT_KHO_INFO keys).
 */
#ifndef KHO_BYTES_H
#define KHO_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include "kho/err.h"

static inline uint64_t kho_be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/*
 * n characters of bare hex (no 0x), 1 to 16 of them, into *out: 0, or
 * KHO_EINVAL.
 */
static inline int kho_parse_hex(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n || n > 16)
		return KHO_EINVAL;
	for (i = 0; i < n; i++) {
		char c = s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return KHO_EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

#endif
