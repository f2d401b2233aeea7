// SPDX-License-Identifier: GPL-2.0-or-later
/* Untrusted strings on a terminal: see text_put.h. */
#include <string.h>

#include "base/utf8.h"
#include "text_put.h"

/*
 * Length of a well-formed UTF-8 sequence at the NUL-terminated s that is no
 * C1 control, or 0.
 */
static size_t utf8_ok(const unsigned char *s)
{
	size_t k = kho_utf8_seq(s, strnlen((const char *)s, 4));

	/* U+0080..U+009F (C2 80..C2 9F) are C1 controls */
	return k && s[0] == 0xc2 && s[1] < 0xa0 ? 0 : k;
}

void kho_text_put(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k;

	if (!s) {
		fputs("(null)", f);
		return;
	}
	while (*s) {
		if (*s >= 0x20 && *s < 0x7f) {
			putc(*s++, f);
		} else if (*s >= 0x80 && (k = utf8_ok(s)) != 0) {
			fwrite(s, 1, k, f);
			s += k;
		} else {
			fprintf(f, "\\x%02x", *s++);
		}
	}
}
