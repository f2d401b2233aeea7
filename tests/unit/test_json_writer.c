// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the streaming JSON writer (src/output/json_writer.c). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/json_writer.h"
#include "check_main.h"

struct buf {
	FILE *f;
	char *data;
	size_t len;
	struct jsonw *w;
};

static void open_buf(struct buf *b, int pretty)
{
	memset(b, 0, sizeof(*b));
	b->f = open_memstream(&b->data, &b->len);
	ck_assert_ptr_nonnull(b->f);
	b->w = jsonw_new(b->f, pretty);
	ck_assert_ptr_nonnull(b->w);
}

/* Close the stream and return the text (caller frees). */
static char *close_buf(struct buf *b, int *failed)
{
	*failed = jsonw_failed(b->w);
	jsonw_free(b->w);
	fclose(b->f);
	return b->data;
}

static void expect_string(const char *in, size_t len, const char *want)
{
	struct buf b;
	char *out;
	int failed;

	open_buf(&b, 0);
	jsonw_string_len(b.w, in, len);
	out = close_buf(&b, &failed);
	ck_assert_int_eq(failed, 0);
	ck_assert_str_eq(out, want);
	free(out);
}

START_TEST(test_escape_basic)
{
	expect_string("plain", 5, "\"plain\"\n");
	expect_string("", 0, "\"\"\n");
	expect_string("a\"b", 3, "\"a\\\"b\"\n");
	expect_string("a\\b", 3, "\"a\\\\b\"\n");
	expect_string("/", 1, "\"/\"\n");
}
END_TEST

START_TEST(test_escape_control)
{
	expect_string("\n\t\r\b\f", 5, "\"\\n\\t\\r\\b\\f\"\n");
	expect_string("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"\n");
	expect_string("a\0b", 3, "\"a\\u0000b\"\n");
	expect_string("\033[31m", 5, "\"\\u001b[31m\"\n");
}
END_TEST

START_TEST(test_escape_utf8)
{
	/* Well-formed UTF-8 passes through. */
	expect_string("\xc3\xa9", 2, "\"\xc3\xa9\"\n");             /* é */
	expect_string("\xe2\x82\xac", 3, "\"\xe2\x82\xac\"\n");     /* € */
	expect_string("\xf0\x9f\x98\x80", 4,
		      "\"\xf0\x9f\x98\x80\"\n");                    /* U+1F600 */
	/* Bytes outside a well-formed sequence become \u00XX. */
	expect_string("\xff", 1, "\"\\u00ff\"\n");
	expect_string("\x80", 1, "\"\\u0080\"\n");
	expect_string("\xc3", 1, "\"\\u00c3\"\n");                 /* truncated */
	expect_string("\xc3x", 2, "\"\\u00c3x\"\n");
	expect_string("\xc0\xaf", 2, "\"\\u00c0\\u00af\"\n");      /* overlong */
	expect_string("\xe0\x80\xaf", 3,
		      "\"\\u00e0\\u0080\\u00af\"\n");               /* overlong */
	expect_string("\xed\xa0\x80", 3,
		      "\"\\u00ed\\u00a0\\u0080\"\n");               /* surrogate */
	expect_string("\xf4\x90\x80\x80", 4,
		      "\"\\u00f4\\u0090\\u0080\\u0080\"\n");        /* > U+10FFFF */
	expect_string("\xf5", 1, "\"\\u00f5\"\n");
}
END_TEST

START_TEST(test_string_null)
{
	struct buf b;
	char *out;
	int failed;

	open_buf(&b, 0);
	jsonw_string(b.w, NULL);
	out = close_buf(&b, &failed);
	ck_assert_int_eq(failed, 0);
	ck_assert_str_eq(out, "null\n");
	free(out);
}
END_TEST

START_TEST(test_numbers)
{
	struct buf b;
	char *out;
	int failed;

	open_buf(&b, 0);
	jsonw_start_array(b.w);
	jsonw_u64(b.w, 0);
	jsonw_u64(b.w, UINT64_MAX);
	jsonw_i64(b.w, INT64_MIN);
	jsonw_hex(b.w, 0);
	jsonw_hex(b.w, UINT64_MAX);
	jsonw_hex(b.w, 0x1000);
	jsonw_bool(b.w, 1);
	jsonw_bool(b.w, 0);
	jsonw_null(b.w);
	jsonw_end_array(b.w);
	out = close_buf(&b, &failed);
	ck_assert_int_eq(failed, 0);
	ck_assert_str_eq(out, "[0,18446744073709551615,-9223372036854775808,"
			      "\"0x0\",\"0xffffffffffffffff\",\"0x1000\","
			      "true,false,null]\n");
	free(out);
}
END_TEST

static void write_nested(struct jsonw *w)
{
	jsonw_start_object(w);
	jsonw_key_string(w, "name", "vm0");
	jsonw_key_u64(w, "n", 2);
	jsonw_key_object(w, "empty");
	jsonw_end_object(w);
	jsonw_key_array(w, "list");
	jsonw_u64(w, 1);
	jsonw_start_object(w);
	jsonw_key_hex(w, "phys", 0x200000);
	jsonw_key_null(w, "size");
	jsonw_end_object(w);
	jsonw_start_array(w);
	jsonw_end_array(w);
	jsonw_end_array(w);
	jsonw_key_bool(w, "ok", 1);
	jsonw_end_object(w);
}

START_TEST(test_nesting_compact)
{
	struct buf b;
	char *out;
	int failed;

	open_buf(&b, 0);
	write_nested(b.w);
	ck_assert_uint_eq(jsonw_depth(b.w), 0);
	out = close_buf(&b, &failed);
	ck_assert_int_eq(failed, 0);
	ck_assert_str_eq(out, "{\"name\":\"vm0\",\"n\":2,\"empty\":{},"
			      "\"list\":[1,{\"phys\":\"0x200000\",\"size\":null},[]],"
			      "\"ok\":true}\n");
	free(out);
}
END_TEST

START_TEST(test_nesting_pretty)
{
	struct buf b;
	char *out;
	int failed;

	open_buf(&b, 1);
	write_nested(b.w);
	out = close_buf(&b, &failed);
	ck_assert_int_eq(failed, 0);
	ck_assert_str_eq(out,
			 "{\n"
			 "  \"name\": \"vm0\",\n"
			 "  \"n\": 2,\n"
			 "  \"empty\": {},\n"
			 "  \"list\": [\n"
			 "    1,\n"
			 "    {\n"
			 "      \"phys\": \"0x200000\",\n"
			 "      \"size\": null\n"
			 "    },\n"
			 "    []\n"
			 "  ],\n"
			 "  \"ok\": true\n"
			 "}\n");
	free(out);
}
END_TEST

START_TEST(test_key_escaped)
{
	struct buf b;
	char *out;
	int failed;

	open_buf(&b, 0);
	jsonw_start_object(b.w);
	jsonw_key_u64(b.w, "a\"\n\xff", 1);
	jsonw_end_object(b.w);
	out = close_buf(&b, &failed);
	ck_assert_int_eq(failed, 0);
	ck_assert_str_eq(out, "{\"a\\\"\\n\\u00ff\":1}\n");
	free(out);
}
END_TEST

START_TEST(test_documents_are_lines)
{
	struct buf b;
	char *out;
	int failed;

	open_buf(&b, 0);
	jsonw_start_object(b.w);
	jsonw_end_object(b.w);
	jsonw_start_array(b.w);
	jsonw_end_array(b.w);
	out = close_buf(&b, &failed);
	ck_assert_int_eq(failed, 0);
	ck_assert_str_eq(out, "{}\n[]\n");
	free(out);
}
END_TEST

START_TEST(test_misuse)
{
	struct buf b;
	char *out;
	int failed;

	/* A value without a name inside an object. */
	open_buf(&b, 0);
	jsonw_start_object(b.w);
	jsonw_u64(b.w, 1);
	jsonw_end_object(b.w);
	out = close_buf(&b, &failed);
	ck_assert_int_ne(failed, 0);
	free(out);

	/* A name outside an object. */
	open_buf(&b, 0);
	jsonw_start_array(b.w);
	jsonw_name(b.w, "x");
	jsonw_end_array(b.w);
	out = close_buf(&b, &failed);
	ck_assert_int_ne(failed, 0);
	free(out);

	/* Closing what is not open, and the wrong kind. */
	open_buf(&b, 0);
	jsonw_end_object(b.w);
	out = close_buf(&b, &failed);
	ck_assert_int_ne(failed, 0);
	free(out);
	open_buf(&b, 0);
	jsonw_start_array(b.w);
	jsonw_end_object(b.w);
	out = close_buf(&b, &failed);
	ck_assert_int_ne(failed, 0);
	free(out);

	/* A dangling name is completed with null. */
	open_buf(&b, 0);
	jsonw_start_object(b.w);
	jsonw_name(b.w, "x");
	jsonw_end_object(b.w);
	out = close_buf(&b, &failed);
	ck_assert_int_ne(failed, 0);
	ck_assert_str_eq(out, "{\"x\":null}\n");
	free(out);
}
END_TEST

START_TEST(test_depth_limit)
{
	struct buf b;
	char *out, *want;
	int failed;
	unsigned int i, n = JSONW_MAX_DEPTH + 3;

	open_buf(&b, 0);
	for (i = 0; i < n; i++)
		jsonw_start_array(b.w);
	for (i = 0; i < n; i++)
		jsonw_end_array(b.w);
	ck_assert_uint_eq(jsonw_depth(b.w), 0);
	out = close_buf(&b, &failed);
	ck_assert_int_ne(failed, 0);
	/* Still balanced. */
	want = malloc(2 * n + 2);
	ck_assert_ptr_nonnull(want);
	memset(want, '[', n);
	memset(want + n, ']', n);
	want[2 * n] = '\n';
	want[2 * n + 1] = '\0';
	ck_assert_str_eq(out, want);
	free(want);
	free(out);
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json_writer");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_escape_basic);
	tcase_add_test(tc, test_escape_control);
	tcase_add_test(tc, test_escape_utf8);
	tcase_add_test(tc, test_string_null);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_nesting_compact);
	tcase_add_test(tc, test_nesting_pretty);
	tcase_add_test(tc, test_key_escaped);
	tcase_add_test(tc, test_documents_are_lines);
	tcase_add_test(tc, test_misuse);
	tcase_add_test(tc, test_depth_limit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kho_check_run(json_suite());
}
