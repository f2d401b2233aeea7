// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Root walker: native-endian FDT integers, generation identification and
 * the §11.2 invariants, on bare FDT inputs built here with libfdt.  No
 * plugins are loaded, so sub-blobs end as "no decoder" notes.
 */
#include <check.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/checks.h"
#include "decode/session.h"
#include "check_main.h"

static const char *const no_dirs[] = { NULL };

struct sub {
	const char *name;
	const char *prop;   /* "fdt" or "preserved-data" */
	const uint8_t *ptr; /* 8 raw bytes, as they sit in the blob */
	int blob_size;      /* add blob-size = 73 */
	int nested;         /* add an empty child node "inner" */
};

static char *write_fdt(const char *compat, const uint8_t map[8],
		       const struct sub *subs, int nsubs)
{
	static char path[64];
	char buf[4096];
	uint8_t bs[8] = { 73, 0, 0, 0, 0, 0, 0, 0 };
	FILE *f;
	int i, fd;

	ck_assert_int_eq(fdt_create(buf, sizeof(buf)), 0);
	ck_assert_int_eq(fdt_finish_reservemap(buf), 0);
	ck_assert_int_eq(fdt_begin_node(buf, ""), 0);
	ck_assert_int_eq(fdt_property_string(buf, "compatible", compat), 0);
	ck_assert_int_eq(fdt_property(buf, "preserved-memory-map", map, 8), 0);
	for (i = 0; i < nsubs; i++) {
		ck_assert_int_eq(fdt_begin_node(buf, subs[i].name), 0);
		if (subs[i].blob_size)
			ck_assert_int_eq(fdt_property(buf, "blob-size", bs, 8), 0);
		ck_assert_int_eq(fdt_property(buf, subs[i].prop, subs[i].ptr, 8), 0);
		if (subs[i].nested) {
			ck_assert_int_eq(fdt_begin_node(buf, "inner"), 0);
			ck_assert_int_eq(fdt_end_node(buf), 0);
		}
		ck_assert_int_eq(fdt_end_node(buf), 0);
	}
	ck_assert_int_eq(fdt_end_node(buf), 0);
	ck_assert_int_eq(fdt_finish(buf), 0);

	snprintf(path, sizeof(path), "/tmp/kho-root-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, fdt_totalsize(buf), f), fdt_totalsize(buf));
	fclose(f);
	return path;
}

struct run {
	struct kho_image *img;
	struct kho_ctx *c;
};

static struct run decode(const char *path)
{
	struct kho_image_opts io = { 0 };
	struct kho_session_opts so = { .plugin_dirs = no_dirs, .no_env = 1,
				       .no_default_dirs = 1 };
	struct run r = { 0 };
	char err[256];

	ck_assert_int_eq(kho_image_open(path, &io, &r.img, err, sizeof(err)), 0);
	ck_assert_int_eq(kho_session_run(r.img, &so, &r.c, err, sizeof(err)), 0);
	unlink(path);
	return r;
}

static void done(struct run *r)
{
	kho_session_free(r->c);
	kho_image_close(r->img);
}

static const struct kho_field *field(const struct kho_obj *o, const char *n)
{
	unsigned int i;

	for (i = 0; i < o->nfields; i++)
		if (!strcmp(o->fields[i].name, n))
			return &o->fields[i];
	return NULL;
}

/* Fetched anew each time: reporting may move the list. */
static size_t nfindings(const struct kho_ctx *c)
{
	size_t n;

	kho_session_findings(c, &n);
	return n;
}

static const struct kho_finding_rec *finding(const struct kho_ctx *c,
					     size_t i)
{
	size_t n;
	const struct kho_finding_rec *f = kho_session_findings(c, &n);

	ck_assert_uint_lt(i, n);
	return &f[i];
}

static int has_check(const struct kho_ctx *c, const char *id)
{
	size_t i;

	for (i = 0; i < nfindings(c); i++)
		if (!strcmp(finding(c, i)->check, id))
			return 1;
	return 0;
}

/* The documentation example: <0x40be16 0x1000000> is 0x116be4000. */
static const uint8_t doc_map[8] = { 0x00, 0x40, 0xbe, 0x16, 0x01, 0x00, 0x00, 0x00 };
static const uint8_t doc_fdt[8] = { 0x00, 0x00, 0x15, 0x17, 0x01, 0x00, 0x00, 0x00 };

START_TEST(native_endian_doc_example)
{
	struct sub s = { "memblock", "fdt", doc_fdt, 0, 0 };
	struct run r = decode(write_fdt("kho-v1", doc_map, &s, 1));
	const struct kho_field *f = field(kho_session_root(r.c), "preserved-memory-map");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->u, 0x116be4000ull);
	ck_assert_str_eq(kho_session_root_compat(r.c), "kho-v1");
	/* The sub-FDT is not in a bare FDT input: reported, not decoded. */
	ck_assert(has_check(r.c, "root.subnode-not-captured"));
	done(&r);
}
END_TEST

START_TEST(generation_g2_and_g2b)
{
	struct sub plain = { "LUO", "preserved-data", doc_fdt, 0, 0 };
	struct sub sized = { "kexec-metadata", "preserved-data", doc_fdt, 1, 0 };
	struct run r = decode(write_fdt("kho-v2", doc_map, &plain, 1));

	ck_assert_str_eq(kho_session_generation(r.c), "G2");
	ck_assert(!has_check(r.c, "root.blob-size-missing"));
	done(&r);
	r = decode(write_fdt("kho-v2", doc_map, &sized, 1));
	ck_assert_str_eq(kho_session_generation(r.c), "G2b");
	done(&r);
}
END_TEST

START_TEST(generation_g3_g4_rfc)
{
	struct sub sized = { "kexec-metadata", "preserved-data", doc_fdt, 1, 0 };
	struct run r = decode(write_fdt("kho-v3", doc_map, &sized, 1));

	ck_assert_str_eq(kho_session_generation(r.c), "G3");
	done(&r);
	r = decode(write_fdt("kho-v4", doc_map, &sized, 1));
	ck_assert_str_eq(kho_session_generation(r.c), "G4");
	done(&r);
	r = decode(write_fdt("kho-v4;radix-v1;vmalloc-v1", doc_map, &sized, 1));
	ck_assert_str_eq(kho_session_generation(r.c), "RFC");
	ck_assert(!has_check(r.c, "root.composite-order"));
	done(&r);
}
END_TEST

START_TEST(blob_size_missing_on_v3)
{
	struct sub plain = { "LUO", "preserved-data", doc_fdt, 0, 0 };
	struct run r = decode(write_fdt("kho-v3", doc_map, &plain, 1));

	ck_assert(has_check(r.c, "root.blob-size-missing"));
	ck_assert_uint_ge(kho_session_count(r.c, KHO_SEV_ERROR), 1);
	done(&r);
}
END_TEST

START_TEST(wrong_pointer_property)
{
	struct sub old = { "LUO", "fdt", doc_fdt, 1, 0 };
	struct run r = decode(write_fdt("kho-v3", doc_map, &old, 1));

	ck_assert(has_check(r.c, "root.subnode-missing-prop"));
	done(&r);
}
END_TEST

START_TEST(unknown_and_misordered_compat)
{
	struct run r = decode(write_fdt("kho-v9", doc_map, NULL, 0));

	ck_assert(has_check(r.c, "root.unknown-compat"));
	done(&r);
	r = decode(write_fdt("kho-v4;vmalloc-v1;radix-v1", doc_map, NULL, 0));
	ck_assert(has_check(r.c, "root.composite-order"));
	done(&r);
}
END_TEST

START_TEST(zero_map_on_radix)
{
	static const uint8_t zero[8];
	struct run r = decode(write_fdt("kho-v2", zero, NULL, 0));

	ck_assert(has_check(r.c, "root.memmap-zero"));
	done(&r);
	r = decode(write_fdt("kho-v1", zero, NULL, 0));
	ck_assert(has_check(r.c, "root.not-finalized"));
	ck_assert_uint_eq(kho_session_count(r.c, KHO_SEV_ERROR), 0);
	done(&r);
}
END_TEST

START_TEST(duplicate_subnode_names)
{
	struct sub two[2] = { { "LUO", "preserved-data", doc_fdt, 1, 0 },
			      { "LUO", "preserved-data", doc_fdt, 1, 0 } };
	struct run r = decode(write_fdt("kho-v3", doc_map, two, 2));

	ck_assert(has_check(r.c, "root.subnode-duplicate"));
	done(&r);
}
END_TEST

/* A KHO sub-node is a leaf: a child node under it is an error. */
START_TEST(nested_subnode)
{
	struct sub leaf = { "LUO", "preserved-data", doc_fdt, 1, 0 };
	struct sub deep = { "LUO", "preserved-data", doc_fdt, 1, 1 };
	struct run r = decode(write_fdt("kho-v3", doc_map, &leaf, 1));

	ck_assert(!has_check(r.c, "root.nested"));
	done(&r);
	r = decode(write_fdt("kho-v3", doc_map, &deep, 1));
	ck_assert(has_check(r.c, "root.nested"));
	done(&r);
}
END_TEST

/* Findings a decoder caps: the entry that stands for them counts as n in
 * the totals and as none of the listed findings. */
START_TEST(unlisted_findings_counted)
{
	struct run r = decode(write_fdt("kho-v1", doc_map, NULL, 0));
	struct kho_counts before, after;
	const struct kho_finding_rec *f;
	size_t n0 = nfindings(r.c);

	kho_findings_counts(r.c, &before);
	kho_unlisted(r.c, kho_session_root(r.c), KHO_SEV_ERROR, "test.capped", 0,
		     "nothing %d", 0);
	ck_assert_uint_eq(nfindings(r.c), n0);
	kho_unlisted(r.c, kho_session_root(r.c), KHO_SEV_ERROR, "test.capped", 7,
		     "...and %d more", 7);
	ck_assert_uint_eq(nfindings(r.c), n0 + 1);
	f = finding(r.c, n0);
	ck_assert_uint_eq(f->unlisted, 7);
	ck_assert_str_eq(f->check, "test.capped");
	ck_assert_str_eq(f->message, "...and 7 more");
	/* A "not captured" entry is unknown, like the findings it stands for. */
	kho_unlisted(r.c, kho_session_root(r.c), KHO_SEV_WARNING, "test.block-not-captured",
		     3, "...and %d more", 3);
	ck_assert_int_eq(finding(r.c, n0 + 1)->sev, KHO_SEV_UNKNOWN);
	kho_findings_counts(r.c, &after);
	ck_assert_uint_eq(after.total[KHO_SEV_ERROR],
			  before.total[KHO_SEV_ERROR] + 7);
	ck_assert_uint_eq(after.listed[KHO_SEV_ERROR],
			  before.listed[KHO_SEV_ERROR]);
	ck_assert_uint_eq(after.total[KHO_SEV_UNKNOWN],
			  before.total[KHO_SEV_UNKNOWN] + 3);
	ck_assert_uint_eq(after.listed[KHO_SEV_UNKNOWN],
			  before.listed[KHO_SEV_UNKNOWN]);
	ck_assert_uint_eq(after.total[KHO_SEV_WARNING],
			  before.total[KHO_SEV_WARNING]);
	done(&r);
}
END_TEST

/*
 * The one capping rule (findings.c): within a decode call's scope, the
 * first `cap` findings of an id are listed and one closing entry per id
 * that went over stands for the rest, in declaration order, at the worst
 * severity, on the first object the call made below its parent.
 */
static const struct kho_check capper_checks[] = {
	{ "capper.first", 3 }, { "capper.second", 1 }, { "capper.free", 0 },
	{ NULL, 0 },
};
static const struct kho_plugin capper = {
	.api_version = KHO_PLUGIN_API(1, 6),
	.name = "capper",
	.check_list = capper_checks,
};

START_TEST(cap_rule_per_scope)
{
	struct run r = decode(write_fdt("kho-v1", doc_map, NULL, 0));
	struct kho_cap_scope sc, inner;
	struct kho_counts before, after;
	const struct kho_finding_rec *f;
	struct kho_obj *own, *child, *root = kho_session_root(r.c);
	const struct kho_finding_rec *recs;
	size_t n0, n;
	int i;

	kho_session_findings(r.c, &n0);

	kho_findings_counts(r.c, &before);
	kho_cap_scope_open(r.c, &sc, &capper, root);
	own = kho_obj_new(r.c, root, "capper", "own");
	child = kho_obj_new(r.c, own, "capper", "child");
	/* second first, so that the closing order is the declared one */
	kho_finding(r.c, child, KHO_SEV_NOTE, "capper.second", 0, "s%d", 0);
	kho_finding(r.c, child, KHO_SEV_NOTE, "capper.second", 0, "s%d", 1);
	for (i = 0; i < 5; i++)
		kho_finding(r.c, child, i == 4 ? KHO_SEV_ERROR : KHO_SEV_WARNING,
			    "capper.first", 0, "f%d", i);
	for (i = 0; i < 4; i++)
		kho_finding(r.c, child, KHO_SEV_NOTE, "capper.free", 0, "x");
	/* A nested call counts on its own, and closes on its own. */
	kho_cap_scope_open(r.c, &inner, &capper, child);
	for (i = 0; i < 2; i++)
		kho_finding(r.c, child, KHO_SEV_NOTE, "capper.second", 0, "i");
	kho_cap_scope_close(r.c, &inner);
	kho_cap_scope_close(r.c, &sc);
	kho_finding(r.c, child, KHO_SEV_NOTE, "capper.second", 0, "outside");

	/* 1 second + 3 first + 4 free, inner: 1 second + closing, then
	 * the two closing entries, then the one outside every scope. */
	recs = kho_session_findings(r.c, &n);
	ck_assert_uint_eq(n, n0 + 1 + 3 + 4 + 2 + 2 + 1);
	f = &recs[n0 + 8 + 1];
	ck_assert_uint_eq(f->unlisted, 1);
	ck_assert_str_eq(f->path, "/own/child");
	f = &recs[n0 + 10];
	ck_assert_str_eq(f->check, "capper.first");
	ck_assert_uint_eq(f->unlisted, 2);
	ck_assert_int_eq(f->sev, KHO_SEV_ERROR);
	ck_assert_str_eq(f->path, "/own");
	ck_assert_str_eq(f->message, "...and 2 more capper.first findings");
	f = &recs[n0 + 11];
	ck_assert_str_eq(f->check, "capper.second");
	ck_assert_uint_eq(f->unlisted, 1);
	ck_assert_int_eq(f->sev, KHO_SEV_NOTE);
	ck_assert_str_eq(f->message, "...and 1 more capper.second finding");
	ck_assert_str_eq(recs[n0 + 12].message, "outside");
	/* Every finding is in the totals: 7 + 4 + 2 + 1 reported. */
	kho_findings_counts(r.c, &after);
	ck_assert_uint_eq(after.total[KHO_SEV_NOTE] +
			  after.total[KHO_SEV_WARNING] +
			  after.total[KHO_SEV_UNKNOWN] +
			  after.total[KHO_SEV_ERROR],
			  before.total[KHO_SEV_NOTE] +
			  before.total[KHO_SEV_WARNING] +
			  before.total[KHO_SEV_UNKNOWN] +
			  before.total[KHO_SEV_ERROR] + 2 + 5 + 4 + 2 + 1);
	done(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("root");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, native_endian_doc_example);
	tcase_add_test(tc, generation_g2_and_g2b);
	tcase_add_test(tc, generation_g3_g4_rfc);
	tcase_add_test(tc, blob_size_missing_on_v3);
	tcase_add_test(tc, wrong_pointer_property);
	tcase_add_test(tc, unknown_and_misordered_compat);
	tcase_add_test(tc, zero_map_on_radix);
	tcase_add_test(tc, duplicate_subnode_names);
	tcase_add_test(tc, nested_subnode);
	tcase_add_test(tc, unlisted_findings_counted);
	tcase_add_test(tc, cap_rule_per_scope);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kho_check_run(suite());
}
