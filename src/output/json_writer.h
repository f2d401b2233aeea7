/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small streaming JSON writer (after bpftool's json_writer).  Every JSON
 * document kho-inspect prints goes through it, so escaping and layout are
 * decided in one place.
 *
 * Values are written as they come: nothing is buffered beyond the FILE.
 * Inside an object, call jsonw_name() before each value (or use the
 * jsonw_key_*() shorthands).  When the outermost value is closed a newline
 * is written, so several documents form JSON lines.
 *
 * Strings are escaped completely: '"' and '\\', every control character
 * (U+0000..U+001F and U+007F, short forms \n \t \r \b \f where JSON has
 * them), and every byte that is not part of a well-formed UTF-8 sequence
 * (written as \u00XX, i.e. the byte read as Latin-1).  Well-formed UTF-8 is
 * copied unchanged.
 *
 * Misuse (a value without a name inside an object, a name outside one,
 * closing what is not open, nesting deeper than JSONW_MAX_DEPTH) does not
 * crash: it is remembered and reported by jsonw_failed().
 */
#ifndef KHO_JSON_WRITER_H
#define KHO_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH 512

struct jsonw;

/* NULL when out of memory. */
struct jsonw *jsonw_new(FILE *f, int pretty);
void jsonw_free(struct jsonw *w);

/* Nonzero after misuse or a write error on the FILE. */
int jsonw_failed(const struct jsonw *w);
/* Current nesting depth (0 at top level). */
unsigned int jsonw_depth(const struct jsonw *w);

void jsonw_start_object(struct jsonw *w);
void jsonw_end_object(struct jsonw *w);
void jsonw_start_array(struct jsonw *w);
void jsonw_end_array(struct jsonw *w);

/* The name of the next member of the current object. */
void jsonw_name(struct jsonw *w, const char *name);

/* A string; NULL writes null. */
void jsonw_string(struct jsonw *w, const char *s);
/* A string of exactly len bytes (may hold NUL, written as \u0000). */
void jsonw_string_len(struct jsonw *w, const char *s, size_t len);
void jsonw_u64(struct jsonw *w, uint64_t v);
void jsonw_i64(struct jsonw *w, int64_t v);
/* "0x..." string, lower-case hex, no padding. */
void jsonw_hex(struct jsonw *w, uint64_t v);
void jsonw_bool(struct jsonw *w, int v);
void jsonw_null(struct jsonw *w);

/* Name plus value in one call. */
void jsonw_key_string(struct jsonw *w, const char *name, const char *s);
void jsonw_key_u64(struct jsonw *w, const char *name, uint64_t v);
void jsonw_key_i64(struct jsonw *w, const char *name, int64_t v);
void jsonw_key_hex(struct jsonw *w, const char *name, uint64_t v);
void jsonw_key_bool(struct jsonw *w, const char *name, int v);
void jsonw_key_null(struct jsonw *w, const char *name);
void jsonw_key_object(struct jsonw *w, const char *name);
void jsonw_key_array(struct jsonw *w, const char *name);

#endif /* KHO_JSON_WRITER_H */
