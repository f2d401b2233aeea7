// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target tables: the text parser, the .liveupdate_versions parser on bytes
 * built here, compat families, and composite comparison.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compat_check.h"
#include "analysis/target_decompress.h"
#include "analysis/target_table.h"
#include "check_main.h"

static struct kho_target_table *text(const char *s)
{
	struct kho_target_table *t = kho_tt_new("t.txt", "text");
	char err[256] = "";

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(kho_tt_parse_text(t, s, strlen(s), "t.txt", err,
					   sizeof(err)), 0);
	return t;
}

START_TEST(text_basic)
{
	struct kho_target_table *t =
		text("# a kernel\n  kho-v4  # root\n\nmemfd-v2;vmalloc-v1\r\n"
		     "kexec-metadata=1\nkho-v4\nluo-v5");

	ck_assert_uint_eq(t->n, 4); /* the second kho-v4 is a duplicate */
	ck_assert_str_eq(t->v[0].name, "kho-v4");
	ck_assert_str_eq(t->v[0].origin, "t.txt:2");
	ck_assert_str_eq(t->v[1].name, "memfd-v2;vmalloc-v1");
	ck_assert_int_eq(t->v[2].has_version, 1);
	ck_assert_str_eq(t->v[2].name, "kexec-metadata");
	ck_assert_uint_eq(t->v[2].version, 1);
	ck_assert_str_eq(t->v[3].name, "luo-v5"); /* no final newline */
	ck_assert_ptr_nonnull(kho_tt_find(t, "memfd-v2;vmalloc-v1"));
	ck_assert_ptr_null(kho_tt_find(t, "memfd-v2"));
	ck_assert_ptr_nonnull(kho_tt_find_version(t, "kexec-metadata", 1));
	ck_assert_ptr_null(kho_tt_find_version(t, "kexec-metadata", 2));
	ck_assert_int_eq(t->inferred, 0);
	kho_tt_free(t);
}
END_TEST

START_TEST(text_errors)
{
	static const char *const bad[] = {
		"kho-v4 luo-v5\n",       /* two strings */
		"ok-v1\nkexec-metadata=x\n", /* version not a number */
		"=1\n",                  /* no name */
		"memfd-v2;;vmalloc-v1\n", /* empty component */
		"memfd-v2;\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kho_target_table *t = kho_tt_new("b", "text");
		char err[256] = "";

		ck_assert_int_eq(kho_tt_parse_text(t, bad[i], strlen(bad[i]),
						   "b", err, sizeof(err)),
				 KHO_EFORMAT);
		ck_assert_ptr_nonnull(strstr(err, "line "));
		kho_tt_free(t);
	}
	{
		struct kho_target_table *t = kho_tt_new("b", "text");
		char err[256] = "";

		kho_tt_parse_text(t, "a-v1\nkexec-metadata=x\n", 20, "b", err,
				  sizeof(err));
		ck_assert_ptr_nonnull(strstr(err, "line 2"));
		kho_tt_free(t);
	}
}
END_TEST

/* LVUP section bytes: header then 48-byte entries. */
static size_t lvup(uint8_t *buf, int be, const char *const *s, size_t n)
{
	uint32_t m = KHO_LVUP_MAGIC, v = 1;
	size_t i;

	memset(buf, 0, 8 + 48 * n);
	for (i = 0; i < 4; i++) {
		buf[be ? 3 - i : i] = (uint8_t)(m >> (8 * i));
		buf[4 + (be ? 3 - i : i)] = (uint8_t)(v >> (8 * i));
	}
	for (i = 0; i < n; i++)
		if (s[i])
			memcpy(buf + 8 + 48 * i, s[i], strlen(s[i]));
	return 8 + 48 * n;
}

START_TEST(lvup_parse)
{
	static const char *const s[] = { "luo-v5", "memfd-v2;vmalloc-v1",
					 NULL, "kexec-metadata=1" };
	uint8_t buf[8 + 48 * 4];
	char err[256] = "";
	int be;

	for (be = 0; be < 2; be++) {
		struct kho_target_table *t = kho_tt_new("k", "vmlinux");
		size_t len = lvup(buf, be, s, 4);

		ck_assert_int_eq(kho_tt_parse_lvup(t, buf, len, be, 0,
						   ".liveupdate_versions", err,
						   sizeof(err)),
				 3);
		ck_assert_str_eq(t->v[0].name, "luo-v5");
		ck_assert_str_eq(t->v[0].origin, ".liveupdate_versions[0]");
		ck_assert_int_eq(t->v[0].source, KHO_TT_SRC_LVUP);
		ck_assert_str_eq(t->v[1].name, "memfd-v2;vmalloc-v1");
		ck_assert_str_eq(t->v[2].origin, ".liveupdate_versions[3]");
		ck_assert_uint_eq(t->v[2].version, 1);
		/* wrong byte order: bad magic */
		ck_assert_int_eq(kho_tt_parse_lvup(t, buf, len, !be, 0, "x",
						   err, sizeof(err)),
				 KHO_EFORMAT);
		ck_assert_ptr_nonnull(strstr(err, "magic"));
		/* a partial entry */
		ck_assert_int_eq(kho_tt_parse_lvup(t, buf, len - 1, be, 0, "x",
						   err, sizeof(err)),
				 KHO_EFORMAT);
		/* lenient: stops quietly at the partial entry */
		ck_assert_int_eq(kho_tt_parse_lvup(t, buf, len - 1, be, 1, "x",
						   err, sizeof(err)),
				 0);
		kho_tt_free(t);
	}
}
END_TEST

START_TEST(lvup_bad_entries)
{
	static const char *const s[] = { "luo-v5", "memfd-v2" };
	uint8_t buf[8 + 48 * 2];
	struct kho_target_table *t = kho_tt_new("k", "vmlinux");
	char err[256] = "";
	size_t len = lvup(buf, 0, s, 2);

	memset(buf + 8 + 48, 'a', 48); /* no NUL */
	ck_assert_int_eq(kho_tt_parse_lvup(t, buf, len, 0, 0, "x", err,
					   sizeof(err)),
			 KHO_EFORMAT);
	ck_assert_ptr_nonnull(strstr(err, "entry 1"));
	lvup(buf, 0, s, 2);
	buf[8 + 48 + 20] = 'x'; /* garbage after the NUL */
	ck_assert_int_eq(kho_tt_parse_lvup(t, buf, len, 0, 0, "x", err,
					   sizeof(err)),
			 KHO_EFORMAT);
	lvup(buf, 0, s, 2);
	buf[4] = 2; /* version 2 */
	ck_assert_int_eq(kho_tt_parse_lvup(t, buf, len, 0, 0, "x", err,
					   sizeof(err)),
			 KHO_EFORMAT);
	ck_assert_ptr_nonnull(strstr(err, "version 2"));
	ck_assert_int_eq(kho_tt_parse_lvup(t, buf, 4, 0, 0, "x", err,
					   sizeof(err)),
			 KHO_EFORMAT);
	kho_tt_free(t);
}
END_TEST

START_TEST(families_and_scan)
{
	static const uint8_t ro[] =
		"\0memfd-v2\0xmemfd-v3-rc\0luo-v12\0memfd-v2;vmalloc-v1\0"
		"kho-v\0guest_memfd_luo_v1\0not;vmalloc-v1\0memfd-v7";
	struct kho_families f = { 0 };
	struct kho_target_table *t = kho_tt_new("k", "vmlinux");
	char fam[64];

	ck_assert_int_eq(kho_tt_family("memfd-v2", fam, sizeof(fam)), 0);
	ck_assert_str_eq(fam, "memfd-v");
	ck_assert_int_eq(kho_tt_family("guest_memfd_luo_v1", fam, sizeof(fam)), 0);
	ck_assert_str_eq(fam, "guest_memfd_luo_v");
	ck_assert_int_eq(kho_tt_family("memfd", fam, sizeof(fam)), KHO_EINVAL);
	ck_assert_int_eq(kho_tt_family("v1", fam, sizeof(fam)), KHO_EINVAL);
	ck_assert(kho_tt_in_family("luo-v12", "luo-v"));
	ck_assert(!kho_tt_in_family("luo-v", "luo-v"));
	ck_assert(!kho_tt_in_family("luo-v1a", "luo-v"));

	ck_assert_int_eq(kho_families_add(&f, "memfd-v2;vmalloc-v1"), 0);
	ck_assert_int_eq(kho_families_add(&f, "luo-v5"), 0);
	ck_assert_int_eq(kho_families_add(&f, "guest_memfd_luo_v1"), 0);
	ck_assert_int_eq(kho_families_add(&f, "memfd-v1"), 0);
	ck_assert_uint_eq(f.n, 4);
	ck_assert(kho_families_match(&f, "memfd-v9;vmalloc-v3"));
	ck_assert(!kho_families_match(&f, "memfd-v9;radix-v1"));

	/* "memfd-v7" has no NUL after it: not a C string, skipped. */
	ck_assert_int_eq(kho_tt_scan_strings(t, ro, sizeof(ro) - 1, &f,
					     ".rodata", 0),
			 5);
	ck_assert_ptr_nonnull(kho_tt_find(t, "memfd-v2"));
	ck_assert_ptr_nonnull(kho_tt_find(t, "luo-v12"));
	ck_assert_ptr_nonnull(kho_tt_find(t, "memfd-v2;vmalloc-v1"));
	ck_assert_ptr_nonnull(kho_tt_find(t, "vmalloc-v1")); /* component */
	ck_assert_ptr_nonnull(kho_tt_find(t, "guest_memfd_luo_v1"));
	ck_assert_ptr_null(kho_tt_find(t, "memfd-v7"));
	ck_assert_str_eq(kho_tt_find(t, "memfd-v2")->origin, ".rodata+0x1");
	ck_assert_int_eq(t->inferred, 1);
	kho_families_free(&f);
	kho_tt_free(t);
}
END_TEST

/*
 * A versioned blob name found as a whole string is NAME=?; the same name
 * inside a longer string (a log format) is not.  With only_missing, a
 * table that has a known version keeps it.
 */
START_TEST(scan_blob_names)
{
	static const uint8_t ro[] =
		"\0kexec-metadata version %u not supported\0"
		"\xff\xffkexec-metadata\0xkexec-metadata\0";
	struct kho_families f = { 0 };
	struct kho_target_table *t = kho_tt_new("k", "vmlinux");
	const struct kho_tt_entry *e;
	char s[64];

	ck_assert_int_eq(kho_families_add_name(&f, "kexec-metadata"), 0);
	ck_assert_int_eq(kho_families_add_name(&f, "kexec-metadata"), 0);
	ck_assert_uint_eq(f.nnames, 1);
	ck_assert_int_eq(kho_tt_scan_strings(t, ro, sizeof(ro) - 1, &f,
					     ".rodata", 0),
			 1);
	e = kho_tt_find_name(t, "kexec-metadata");
	ck_assert_ptr_nonnull(e);
	ck_assert(e->version == KHO_TT_VERSION_UNKNOWN);
	ck_assert_str_eq(e->origin, ".rodata+0x2b");
	ck_assert_str_eq(kho_tt_entry_string(e, s, sizeof(s)), "kexec-metadata=?");
	ck_assert_ptr_null(kho_tt_find_version(t, "kexec-metadata", 1));
	/* A known version, added later, is preferred by find_name. */
	ck_assert_int_eq(kho_tt_add(t, "kexec-metadata", 1, 2,
				    KHO_TT_SRC_TEXT, "t:1"), 0);
	ck_assert_uint_eq(kho_tt_find_name(t, "kexec-metadata")->version, 2);
	kho_tt_free(t);

	t = kho_tt_new("k", "vmlinux");
	ck_assert_int_eq(kho_tt_add(t, "kexec-metadata", 1, 1,
				    KHO_TT_SRC_LVUP, "lv[0]"), 0);
	ck_assert_int_eq(kho_tt_scan_strings(t, ro, sizeof(ro) - 1, &f,
					     ".rodata", 1),
			 0);
	ck_assert_uint_eq(t->n, 1);
	kho_families_free(&f);
	kho_tt_free(t);
}
END_TEST

START_TEST(text_unknown_version)
{
	struct kho_target_table *t = text("kexec-metadata=?\n");
	char err[256] = "", s[64];

	ck_assert_uint_eq(t->n, 1);
	ck_assert(t->v[0].has_version);
	ck_assert(t->v[0].version == KHO_TT_VERSION_UNKNOWN);
	ck_assert_str_eq(kho_tt_entry_string(&t->v[0], s, sizeof(s)),
			 "kexec-metadata=?");
	kho_tt_free(t);
	t = kho_tt_new("t.txt", "text");
	/* The all-ones number would read as "?": refused. */
	ck_assert_int_eq(kho_tt_parse_text(t, "km=0xffffffffffffffff\n", 22,
					   "t.txt", err, sizeof(err)),
			 KHO_EFORMAT);
	ck_assert_str_eq(err, "line 1: \"km=0xffffffffffffffff\" is neither a compat string nor NAME=VERSION with a number or ?");
	kho_tt_free(t);
}
END_TEST

static void cmp(struct kho_target_table *t, const char *image,
		const char *want)
{
	char *d = kho_cc_compare(image, t);

	if (!want) {
		ck_assert_ptr_null(d);
		return;
	}
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d, want);
	free(d);
}

START_TEST(composite_compare)
{
	struct kho_target_table *t =
		text("kho-v4;radix-v1;vmalloc-v2\nluo-v5\nmemfd-v2\n"
		     "kexec-metadata=2\n");

	/* bumped component */
	cmp(t, "kho-v4;radix-v1;vmalloc-v1",
	    "target has vmalloc-v2, image needs vmalloc-v1");
	/* target without the component */
	cmp(t, "memfd-v2;vmalloc-v1",
	    "target has memfd-v2 without vmalloc-v1, image needs vmalloc-v1");
	/* the target needs a component the image lacks */
	cmp(t, "kho-v4;vmalloc-v2",
	    "target needs radix-v1, image lacks it (target string kho-v4;radix-v1;vmalloc-v2)");
	/* same parts, other order */
	cmp(t, "kho-v4;vmalloc-v2;radix-v1",
	    "target has kho-v4;radix-v1;vmalloc-v2, image has kho-v4;vmalloc-v2;radix-v1 (same components, different order)");
	/* base version bumped */
	cmp(t, "luo-v6", "target has luo-v5, image needs luo-v6");
	cmp(t, "luo-v5;block-v1", "target has luo-v5 without block-v1, image needs block-v1");
	/* numbered versions */
	cmp(t, "kexec-metadata=1",
	    "target has kexec-metadata=2, image needs kexec-metadata=1");
	/* nothing of the family */
	cmp(t, "pci-v2", NULL);
	kho_tt_free(t);
}
END_TEST

START_TEST(bzimage_header)
{
	uint8_t img[2048];
	char err[256] = "";
	size_t off = 0, len = 0;

	memset(img, 0, sizeof(img));
	ck_assert_int_eq(kho_bzimage_payload(img, sizeof(img), &off, &len,
					     err, sizeof(err)),
			 0);
	img[0x1f1] = 2; /* setup_sects: protected mode at 3 * 512 */
	memcpy(img + 0x202, "HdrS", 4);
	img[0x206] = 0x0f;
	img[0x207] = 0x02;
	img[0x248] = 0x10; /* payload_offset */
	img[0x24c] = 0x20; /* payload_length */
	ck_assert_int_eq(kho_bzimage_payload(img, sizeof(img), &off, &len,
					     err, sizeof(err)),
			 1);
	ck_assert_uint_eq(off, 3 * 512 + 0x10);
	ck_assert_uint_eq(len, 0x20);
	img[0x24d] = 0x10; /* past the end */
	ck_assert_int_eq(kho_bzimage_payload(img, sizeof(img), &off, &len,
					     err, sizeof(err)),
			 KHO_EFORMAT);
	img[0x207] = 0x02;
	img[0x206] = 0x07; /* protocol 2.07: no payload fields */
	ck_assert_int_eq(kho_bzimage_payload(img, sizeof(img), &off, &len,
					     err, sizeof(err)),
			 KHO_EFORMAT);
	ck_assert_int_eq(kho_comp_detect((const uint8_t *)"\x1f\x8b\x08", 3),
			 KHO_COMP_GZIP);
	ck_assert_int_eq(kho_comp_detect((const uint8_t *)"\xfd" "7zXZ\0", 6),
			 KHO_COMP_XZ);
	ck_assert_int_eq(kho_comp_detect((const uint8_t *)"\x28\xb5\x2f\xfd", 4),
			 KHO_COMP_ZSTD);
	ck_assert_int_eq(kho_comp_detect((const uint8_t *)"ELF!", 4),
			 KHO_COMP_NONE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("target_table");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, text_basic);
	tcase_add_test(tc, text_errors);
	tcase_add_test(tc, lvup_parse);
	tcase_add_test(tc, lvup_bad_entries);
	tcase_add_test(tc, families_and_scan);
	tcase_add_test(tc, scan_blob_names);
	tcase_add_test(tc, text_unknown_version);
	tcase_add_test(tc, composite_compare);
	tcase_add_test(tc, bzimage_header);
	suite_add_tcase(s, tc);
	return kho_check_run(s);
}
