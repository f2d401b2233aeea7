// SPDX-License-Identifier: GPL-2.0-or-later
/* Streaming JSON writer: see json_writer.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "base/utf8.h"

struct jsonw_frame {
	unsigned char is_object;
	unsigned char nonempty;
};

struct jsonw {
	FILE *f;
	int pretty;
	int failed;
	int name_pending; /* a member name was written, its value not yet */
	unsigned int depth;
	unsigned int overflow; /* containers opened past JSONW_MAX_DEPTH */
	struct jsonw_frame stack[JSONW_MAX_DEPTH];
};

struct jsonw *jsonw_new(FILE *f, int pretty)
{
	struct jsonw *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->f = f;
	w->pretty = pretty;
	return w;
}

void jsonw_free(struct jsonw *w)
{
	free(w);
}

int jsonw_failed(const struct jsonw *w)
{
	return w->failed || ferror(w->f);
}

unsigned int jsonw_depth(const struct jsonw *w)
{
	return w->depth;
}

static void newline_indent(struct jsonw *w, unsigned int level)
{
	unsigned int i;

	if (!w->pretty)
		return;
	putc('\n', w->f);
	for (i = 0; i < level; i++)
		fputs("  ", w->f);
}

/* Separator and layout before a value. */
static void begin_value(struct jsonw *w)
{
	struct jsonw_frame *top;

	if (w->name_pending) {
		w->name_pending = 0;
		return;
	}
	if (w->depth == 0 || w->overflow)
		return;
	top = &w->stack[w->depth - 1];
	if (top->is_object)
		w->failed = 1; /* value without a name */
	if (top->nonempty)
		putc(',', w->f);
	newline_indent(w, w->depth);
	top->nonempty = 1;
}

/* After a complete value: a document ends with a newline. */
static void end_value(struct jsonw *w)
{
	if (w->depth == 0 && !w->overflow)
		putc('\n', w->f);
}

static void start(struct jsonw *w, int is_object)
{
	begin_value(w);
	putc(is_object ? '{' : '[', w->f);
	if (w->depth >= JSONW_MAX_DEPTH || w->overflow) {
		/* Not tracked; the document is marked bad. */
		w->failed = 1;
		w->overflow++;
		return;
	}
	w->stack[w->depth].is_object = (unsigned char)is_object;
	w->stack[w->depth].nonempty = 0;
	w->depth++;
}

static void end(struct jsonw *w, int is_object)
{
	struct jsonw_frame *top;

	if (w->overflow) {
		w->overflow--;
		putc(is_object ? '}' : ']', w->f);
		return;
	}
	if (w->depth == 0) {
		w->failed = 1;
		return;
	}
	top = &w->stack[w->depth - 1];
	if (top->is_object != is_object)
		w->failed = 1;
	if (w->name_pending) {
		/* A name with no value: complete it so the text stays JSON. */
		fputs("null", w->f);
		w->name_pending = 0;
		w->failed = 1;
	}
	w->depth--;
	if (top->nonempty)
		newline_indent(w, w->depth);
	putc(top->is_object ? '}' : ']', w->f);
	end_value(w);
}

void jsonw_start_object(struct jsonw *w)
{
	start(w, 1);
}

void jsonw_end_object(struct jsonw *w)
{
	end(w, 1);
}

void jsonw_start_array(struct jsonw *w)
{
	start(w, 0);
}

void jsonw_end_array(struct jsonw *w)
{
	end(w, 0);
}

static void put_escaped(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;

	putc('"', f);
	while (i < n) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(f, "\\u%04x", c);
			} else if (c < 0x80) {
				putc(c, f);
			} else if ((k = kho_utf8_seq(s + i, n - i)) != 0) {
				fwrite(s + i, 1, k, f);
				i += k;
				continue;
			} else {
				fprintf(f, "\\u%04x", c);
			}
		}
		i++;
	}
	putc('"', f);
}

void jsonw_name(struct jsonw *w, const char *name)
{
	struct jsonw_frame *top;

	if (w->depth == 0 || !w->stack[w->depth - 1].is_object ||
	    w->name_pending) {
		w->failed = 1;
		return;
	}
	top = &w->stack[w->depth - 1];
	if (top->nonempty)
		putc(',', w->f);
	newline_indent(w, w->depth);
	top->nonempty = 1;
	put_escaped(w->f, name ? name : "", name ? strlen(name) : 0);
	fputs(w->pretty ? ": " : ":", w->f);
	w->name_pending = 1;
}

void jsonw_string_len(struct jsonw *w, const char *s, size_t len)
{
	begin_value(w);
	put_escaped(w->f, s, len);
	end_value(w);
}

void jsonw_string(struct jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	jsonw_string_len(w, s, strlen(s));
}

void jsonw_u64(struct jsonw *w, uint64_t v)
{
	begin_value(w);
	fprintf(w->f, "%" PRIu64, v);
	end_value(w);
}

void jsonw_i64(struct jsonw *w, int64_t v)
{
	begin_value(w);
	fprintf(w->f, "%" PRId64, v);
	end_value(w);
}

void jsonw_hex(struct jsonw *w, uint64_t v)
{
	begin_value(w);
	fprintf(w->f, "\"0x%" PRIx64 "\"", v);
	end_value(w);
}

void jsonw_bool(struct jsonw *w, int v)
{
	begin_value(w);
	fputs(v ? "true" : "false", w->f);
	end_value(w);
}

void jsonw_null(struct jsonw *w)
{
	begin_value(w);
	fputs("null", w->f);
	end_value(w);
}

void jsonw_key_string(struct jsonw *w, const char *name, const char *s)
{
	jsonw_name(w, name);
	jsonw_string(w, s);
}

void jsonw_key_u64(struct jsonw *w, const char *name, uint64_t v)
{
	jsonw_name(w, name);
	jsonw_u64(w, v);
}

void jsonw_key_i64(struct jsonw *w, const char *name, int64_t v)
{
	jsonw_name(w, name);
	jsonw_i64(w, v);
}

void jsonw_key_hex(struct jsonw *w, const char *name, uint64_t v)
{
	jsonw_name(w, name);
	jsonw_hex(w, v);
}

void jsonw_key_bool(struct jsonw *w, const char *name, int v)
{
	jsonw_name(w, name);
	jsonw_bool(w, v);
}

void jsonw_key_null(struct jsonw *w, const char *name)
{
	jsonw_name(w, name);
	jsonw_null(w);
}

void jsonw_key_object(struct jsonw *w, const char *name)
{
	jsonw_name(w, name);
	jsonw_start_object(w);
}

void jsonw_key_array(struct jsonw *w, const char *name)
{
	jsonw_name(w, name);
	jsonw_start_array(w);
}
