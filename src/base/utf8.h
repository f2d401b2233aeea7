/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UTF-8 well-formedness, shared by the JSON writer (json_writer.c) and the
 * text output (output_text.c): both pass well-formed UTF-8 in image strings
 * through and escape every other byte, and must agree on what is well
 * formed.
 */
#ifndef KHO_UTF8_H
#define KHO_UTF8_H

#include <stddef.h>

/*
 * Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0 when
 * s[0] does not start one.  Overlong forms, surrogates and code points above
 * U+10FFFF are not well formed (RFC 3629).
 */
static inline size_t kho_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

#endif /* KHO_UTF8_H */
