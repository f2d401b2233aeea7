// SPDX-License-Identifier: GPL-2.0-or-later
/* kho_kallsyms_lookup: the /proc/kallsyms reader live capture relies on. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "analysis/live_locate.h"
#include "image/image.h"

static char path[64];

/* Write text to a fresh temporary file named in path. */
static void put(const char *text)
{
	int fd;

	strcpy(path, "/tmp/kho-ksyms.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static int look(const char *text, const char *name, uint64_t *addr)
{
	int rc;

	put(text);
	rc = kho_kallsyms_lookup(path, name, addr);
	unlink(path);
	return rc;
}

START_TEST(finds_data_symbols)
{
	uint64_t a = 0;

	ck_assert_int_eq(look("ffffffff81000000 T _text\n"
			      "ffffffff82a41e80 d kho_out\n"
			      "ffffffff82b5c2a0 b kho_in\n", "kho_out", &a), 0);
	ck_assert_uint_eq(a, 0xffffffff82a41e80ull);
	ck_assert_int_eq(look("ffffffff82b5c2a0 b kho_in\n", "kho_in", &a), 0);
	ck_assert_uint_eq(a, 0xffffffff82b5c2a0ull);
	/* D and B (global) count too; no newline at the end is fine. */
	ck_assert_int_eq(look("00000000deadbeef B kho_out", "kho_out", &a), 0);
	ck_assert_uint_eq(a, 0xdeadbeefull);
}
END_TEST

START_TEST(ignores_others)
{
	uint64_t a = 7;

	/* a text symbol, a longer name, a module's symbol of the same name */
	ck_assert_int_eq(look("ffffffff81000000 t kho_out\n"
			      "ffffffff81000100 d kho_out_fdt\n"
			      "ffffffffc0002000 d kho_out\t[evil]\n",
			      "kho_out", &a), KHO_ENOENT);
	ck_assert_uint_eq(a, 7);
	/* malformed lines: no type, bad hex, 17 digits */
	ck_assert_int_eq(look("ffffffff81000000 kho_out\n"
			      "xyz d kho_out\n"
			      "1ffffffff82a41e80 d kho_out\n", "kho_out", &a),
			 KHO_ENOENT);
}
END_TEST

START_TEST(long_line_tail_is_not_a_line)
{
	char *t = malloc(2000);
	uint64_t a = 0;
	int rc;

	/* The tail of an over-long line must not be read as a symbol. */
	memset(t, 'x', 1000);
	strcpy(t + 1000, " ffffffff82a41e80 d kho_out\n");
	rc = look(t, "kho_out", &a);
	free(t);
	ck_assert_int_eq(rc, KHO_ENOENT);
}
END_TEST

START_TEST(duplicates)
{
	uint64_t a = 0;

	/* The same address twice is harmless; two addresses are refused. */
	ck_assert_int_eq(look("ffffffff82a41e80 d kho_out\n"
			      "ffffffff82a41e80 d kho_out\n", "kho_out", &a), 0);
	ck_assert_int_eq(look("ffffffff82a41e80 d kho_out\n"
			      "ffffffff82a41f80 d kho_out\n", "kho_out", &a),
			 KHO_EFORMAT);
	ck_assert_int_eq(kho_kallsyms_lookup("/nonexistent/kallsyms",
					     "kho_out", &a), KHO_EIO);
}
END_TEST

START_TEST(method_names)
{
	ck_assert_str_eq(kho_locate_method_name(KHO_LOCATE_KALLSYMS), "kallsyms");
	ck_assert_str_eq(kho_locate_method_name(KHO_LOCATE_BLOCKS), "blocks");
	ck_assert_str_eq(kho_locate_method_name(KHO_LOCATE_SCAN), "scan");
	ck_assert_str_eq(kho_locate_method_name(KHO_LOCATE_NONE), "none");
}
END_TEST

static Suite *ll_suite(void)
{
	Suite *s = suite_create("live_locate");
	TCase *tc = tcase_create("kallsyms");

	tcase_add_test(tc, finds_data_symbols);
	tcase_add_test(tc, ignores_others);
	tcase_add_test(tc, long_line_tail_is_not_a_line);
	tcase_add_test(tc, duplicates);
	tcase_add_test(tc, method_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kho_check_run(ll_suite());
}
