// SPDX-License-Identifier: GPL-2.0-or-later
/* kho-mkimage: error reporting, allocation, byte order and number parsing. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mk.h"

static void vmsg(const struct mk_src *src, const char *kind, const char *fmt, va_list ap)
{
	fputs("kho-mkimage: ", stderr);
	if (src && src->file)
		fprintf(stderr, "%s:%d: ", src->file, src->line);
	if (kind)
		fputs(kind, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void mk_die(int code, const struct mk_src *src, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(src, NULL, fmt, ap);
	va_end(ap);
	exit(code);
}

void mk_fatal(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(NULL, NULL, fmt, ap);
	va_end(ap);
	exit(code);
}

void mk_warn(const struct mk_src *src, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(src, "warning: ", fmt, ap);
	va_end(ap);
}

void *mk_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		mk_fatal(1, "out of memory (%zu bytes)", n);
	return p;
}

void *mk_calloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (!p)
		mk_fatal(1, "out of memory (%zu x %zu bytes)", n, m);
	return p;
}

void *mk_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		mk_fatal(1, "out of memory (%zu bytes)", n);
	return p;
}

char *mk_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = mk_malloc(n);

	memcpy(d, s, n);
	return d;
}

char *mk_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		mk_fatal(1, "out of memory");
	return s;
}

void mk_putn(uint8_t *p, unsigned size, uint64_t v)
{
	for (unsigned i = 0; i < size; i++) {
		unsigned sh = mk.s && mk.s->big_endian ? 8 * (size - 1 - i) : 8 * i;

		p[i] = (uint8_t)(v >> sh);
	}
}

uint64_t mk_getn(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++) {
		unsigned sh = mk.s && mk.s->big_endian ? 8 * (size - 1 - i) : 8 * i;

		v |= (uint64_t)p[i] << sh;
	}
	return v;
}

void mk_put16(uint8_t *p, uint64_t v) { mk_putn(p, 2, v); }
void mk_put32(uint8_t *p, uint64_t v) { mk_putn(p, 4, v); }

void mk_put64(uint8_t *p, uint64_t v)
{
	if (mk.s && mk.s->big_endian) {
		v = __builtin_bswap64(v);
	}
	memcpy(p, &v, 8);	/* host is little-endian (checked in main) */
}

void mk_put32be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint32_t mk_get32be(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool mk_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	bool neg = false;
	unsigned long long x;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno)
		return false;
	switch (*end) {
	case 'K': case 'k': x <<= 10; end++; break;
	case 'M': case 'm': x <<= 20; end++; break;
	case 'G': case 'g': x <<= 30; end++; break;
	case 'T': case 't': x <<= 40; end++; break;
	default: break;
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return false;
	*v = neg ? (uint64_t)0 - x : x;
	return true;
}

bool mk_parse_bool(const char *s, bool *v)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "on")) {
		*v = true;
		return true;
	}
	if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "off")) {
		*v = false;
		return true;
	}
	return false;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

uint8_t *mk_parse_hex(const char *s, size_t *len)
{
	size_t n = 0, cap = strlen(s) / 2 + 1;
	uint8_t *b = mk_malloc(cap);
	int hi = -1;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		int h;

		if (isspace((unsigned char)*s) || *s == ':' || *s == '_')
			continue;
		h = hexval((unsigned char)*s);
		if (h < 0) {
			free(b);
			return NULL;
		}
		if (hi < 0) {
			hi = h;
		} else {
			b[n++] = (uint8_t)(hi << 4 | h);
			hi = -1;
		}
	}
	if (hi >= 0) {
		free(b);
		return NULL;
	}
	*len = n;
	return b;
}

unsigned mk_ilog2(uint64_t v)
{
	return v ? 63 - (unsigned)__builtin_clzll(v) : 0;
}

unsigned mk_get_order(uint64_t size)
{
	uint64_t pages = (size + mk.ps - 1) >> mk.shift;
	unsigned o = 0;

	while (((uint64_t)1 << o) < pages)
		o++;
	return o;
}

void mk_u64v_push(struct mk_u64v *a, uint64_t x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1024;
		a->v = mk_realloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = x;
}
