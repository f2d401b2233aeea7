// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the image input layer (src/image*.c).  Every ELF image is
 * built here by a tiny writer, byte by byte, so each test states exactly
 * what the file holds.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image.h"
#include "check_main.h"

/* ------------------------------------------------------------ writer */

#define ET_CORE_ 4
#define ET_EXEC_ 2
#define PT_LOAD_ 1
#define PT_NOTE_ 4
#define EHDR 64
#define PHDR 56

struct tseg {
	uint64_t phys, memsz, filesz, vaddr;
	uint8_t tag;        /* pattern xor */
	const void *data;   /* overlays the pattern at the start */
	size_t datalen;
};

struct tnote {
	const char *name;
	uint32_t type;
	const void *desc;
	uint32_t len;
};

struct telf {
	int be;
	uint16_t etype; /* 0 = ET_CORE */
	size_t nsegs;
	struct tseg segs[64];
	size_t nnotes;
	struct tnote notes[8];
	/* out */
	uint64_t note_seg_off, note_seg_len;
	uint64_t note_off[8];
	uint64_t seg_off[64];
};

static uint8_t pattern(uint64_t addr, uint8_t tag)
{
	return (uint8_t)(addr * 31 + (addr >> 8) * 7 + (addr >> 13)) ^ tag;
}

static void put(uint8_t *p, uint64_t v, int n, int be)
{
	int i;

	for (i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static size_t al4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

static uint8_t *elf_build(struct telf *t, size_t *len)
{
	size_t nph = t->nsegs + (t->nnotes ? 1 : 0), i, off, notes = 0;
	uint8_t *b;
	size_t total;

	for (i = 0; i < t->nnotes; i++)
		notes += 12 + al4(strlen(t->notes[i].name) + 1) +
			 al4(t->notes[i].len);
	off = EHDR + PHDR * nph;
	t->note_seg_off = off;
	t->note_seg_len = notes;
	off = (off + notes + 0xfff) & ~(size_t)0xfff;
	for (i = 0; i < t->nsegs; i++) {
		t->seg_off[i] = off;
		off += (t->segs[i].filesz + 0xfff) & ~(size_t)0xfff;
	}
	total = off;
	b = calloc(1, total);
	ck_assert_ptr_nonnull(b);

	memcpy(b, "\177ELF", 4);
	b[4] = 2; /* ELFCLASS64 */
	b[5] = t->be ? 2 : 1;
	b[6] = 1;
	put(b + 16, t->etype ? t->etype : ET_CORE_, 2, t->be);
	put(b + 18, 62, 2, t->be); /* EM_X86_64 */
	put(b + 20, 1, 4, t->be);
	put(b + 32, EHDR, 8, t->be); /* e_phoff */
	put(b + 52, EHDR, 2, t->be);
	put(b + 54, PHDR, 2, t->be);
	put(b + 56, nph, 2, t->be);

	uint8_t *ph = b + EHDR;
	if (t->nnotes) {
		put(ph, PT_NOTE_, 4, t->be);
		put(ph + 8, t->note_seg_off, 8, t->be);
		put(ph + 32, notes, 8, t->be);
		put(ph + 48, 4, 8, t->be);
		ph += PHDR;
		off = t->note_seg_off;
		for (i = 0; i < t->nnotes; i++) {
			const struct tnote *n = &t->notes[i];
			size_t nl = strlen(n->name) + 1;

			t->note_off[i] = off;
			put(b + off, nl, 4, t->be);
			put(b + off + 4, n->len, 4, t->be);
			put(b + off + 8, n->type, 4, t->be);
			memcpy(b + off + 12, n->name, nl);
			off += 12 + al4(nl);
			memcpy(b + off, n->desc, n->len);
			off += al4(n->len);
		}
	}
	for (i = 0; i < t->nsegs; i++, ph += PHDR) {
		const struct tseg *s = &t->segs[i];
		uint64_t k;

		put(ph, PT_LOAD_, 4, t->be);
		put(ph + 4, 4, 4, t->be);
		put(ph + 8, t->seg_off[i], 8, t->be);
		put(ph + 16, s->vaddr, 8, t->be);
		put(ph + 24, s->phys, 8, t->be);
		put(ph + 32, s->filesz, 8, t->be);
		put(ph + 40, s->memsz, 8, t->be);
		put(ph + 48, 0x1000, 8, t->be);
		for (k = 0; k < s->filesz; k++)
			b[t->seg_off[i] + k] = pattern(s->phys + k, s->tag);
		if (s->data)
			memcpy(b + t->seg_off[i], s->data,
			       s->datalen < s->filesz ? s->datalen : s->filesz);
	}
	*len = total;
	return b;
}

static char tmpdir[] = "/tmp/kho-test-image-XXXXXX";

static void setup(void)
{
	strcpy(tmpdir, "/tmp/kho-test-image-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	rmdir(tmpdir);
}

static char *write_tmp(const void *buf, size_t len)
{
	static int seq;
	char *path;
	int fd;

	ck_assert_int_ge(asprintf(&path, "%s/img%d", tmpdir, seq++), 0);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
	return path;
}

static char err[256];

static int open_buf(const void *buf, size_t len,
		    const struct kho_image_opts *o, struct kho_image **img)
{
	char *path = write_tmp(buf, len);
	int rc = kho_image_open(path, o, img, err, sizeof(err));

	unlink(path); /* the mapping outlives the name */
	free(path);
	return rc;
}

static int open_elf(struct telf *t, const struct kho_image_opts *o,
		    struct kho_image **img)
{
	size_t len;
	uint8_t *b = elf_build(t, &len);
	int rc = open_buf(b, len, o, img);

	free(b);
	return rc;
}

static const struct kho_image_problem *
find_problem(const struct kho_image *img, const char *check)
{
	size_t i;

	for (i = 0; i < img->nproblems; i++)
		if (strcmp(img->problems[i].check, check) == 0)
			return &img->problems[i];
	return NULL;
}

static const char basic_info[] = "FORMAT=1\nPAGE_SIZE=4096\n";

static void add_note(struct telf *t, const char *name, uint32_t type,
		     const void *desc, size_t len)
{
	t->notes[t->nnotes++] = (struct tnote){ name, type, desc,
						(uint32_t)len };
}

static void add_info(struct telf *t, const char *text)
{
	add_note(t, "KHO", 1, text, strlen(text));
}

static void add_seg(struct telf *t, uint64_t phys, uint64_t filesz,
		    uint64_t memsz, uint8_t tag)
{
	t->segs[t->nsegs++] = (struct tseg){ .phys = phys, .memsz = memsz,
					     .filesz = filesz, .tag = tag };
}

static void check_pattern(const struct kho_image *img, uint64_t phys,
			  uint64_t len, uint8_t tag)
{
	uint8_t *buf = malloc(len);
	uint64_t i;

	ck_assert_int_eq(kho_image_read(img, phys, buf, len), 0);
	for (i = 0; i < len; i++)
		ck_assert_msg(buf[i] == pattern(phys + i, tag),
			      "byte at 0x%llx", (unsigned long long)(phys + i));
	free(buf);
}

static size_t make_fdt(void *buf, size_t size, const char *compat)
{
	uint64_t map = 0x1234000;

	ck_assert_int_eq(fdt_create(buf, (int)size), 0);
	ck_assert_int_eq(fdt_finish_reservemap(buf), 0);
	ck_assert_int_eq(fdt_begin_node(buf, ""), 0);
	ck_assert_int_eq(fdt_property_string(buf, "compatible", compat), 0);
	ck_assert_int_eq(fdt_property(buf, "preserved-memory-map", &map, 8),
			 0);
	ck_assert_int_eq(fdt_begin_node(buf, "LUO"), 0);
	ck_assert_int_eq(fdt_end_node(buf), 0);
	ck_assert_int_eq(fdt_end_node(buf), 0);
	ck_assert_int_eq(fdt_finish(buf), 0);
	return fdt_totalsize(buf);
}

/* ------------------------------------------------------------- tests */

START_TEST(multiple_loads)
{
	struct telf t = { 0 };
	struct kho_image *img;
	const void *p;

	add_info(&t, basic_info);
	add_seg(&t, 0x100000, 0x2000, 0x2000, 1);
	add_seg(&t, 0x200000, 0x1000, 0x1000, 2);
	add_seg(&t, 0x300000, 0x3000, 0x3000, 3);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_int_eq(img->format, KHO_INPUT_ELF);
	ck_assert_str_eq(kho_input_format_name(img->format), "elf");
	ck_assert_uint_eq(img->nsegs, 3);
	ck_assert_int_eq(img->big_endian, 0);
	ck_assert_uint_eq(img->machine, 62);
	check_pattern(img, 0x100000, 0x2000, 1);
	check_pattern(img, 0x200000, 0x1000, 2);
	check_pattern(img, 0x302345, 0x10, 3);
	ck_assert_int_eq(kho_image_map(img, 0x300010, 0x100, &p), 0);
	ck_assert_int_eq(((const uint8_t *)p)[0], pattern(0x300010, 3));
	ck_assert_ptr_eq(p, img->map + t.seg_off[2] + 0x10);
	ck_assert_uint_eq(img->page_size, 4096);
	ck_assert_int_eq(img->page_size_known, 1);
	ck_assert_ptr_null(find_problem(img, "image.segment-unordered"));
	ck_assert_ptr_nonnull(find_problem(img, "image.no-fdt"));
	kho_image_close(img);
}
END_TEST

START_TEST(unordered_segments)
{
	struct telf t = { 0 };
	struct kho_image *img;
	const struct kho_image_problem *pr;

	add_info(&t, basic_info);
	add_seg(&t, 0x300000, 0x1000, 0x1000, 3);
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	add_seg(&t, 0x200000, 0x1000, 0x1000, 2);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	pr = find_problem(img, "image.segment-unordered");
	ck_assert_ptr_nonnull(pr);
	ck_assert_int_eq(pr->sev, KHO_SEV_NOTE);
	ck_assert_ptr_null(find_problem(img, "image.segment-overlap"));
	ck_assert_uint_eq(img->nsegs, 3);
	ck_assert_uint_eq(img->segs[0].phys, 0x100000);
	ck_assert_uint_eq(img->segs[1].phys, 0x200000);
	ck_assert_uint_eq(img->segs[2].phys, 0x300000);
	check_pattern(img, 0x100000, 0x1000, 1);
	check_pattern(img, 0x200000, 0x1000, 2);
	check_pattern(img, 0x300000, 0x1000, 3);
	kho_image_close(img);
}
END_TEST

START_TEST(overlapping_segments)
{
	struct telf t = { 0 };
	struct kho_image *img;
	const struct kho_image_problem *pr;

	add_info(&t, basic_info);
	/* PT_LOAD 0 sits inside PT_LOAD 1; PT_LOAD 2 overlaps 1's end. */
	add_seg(&t, 0x101000, 0x1000, 0x1000, 0xa0);
	add_seg(&t, 0x100000, 0x4000, 0x4000, 0xb0);
	add_seg(&t, 0x103000, 0x2000, 0x2000, 0xc0);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	pr = find_problem(img, "image.segment-overlap");
	ck_assert_ptr_nonnull(pr);
	ck_assert_int_eq(pr->sev, KHO_SEV_ERROR);
	ck_assert_msg(strstr(pr->msg, "0x101000") != NULL, "%s", pr->msg);
	/* First in file order wins. */
	check_pattern(img, 0x100000, 0x1000, 0xb0);
	check_pattern(img, 0x101000, 0x1000, 0xa0);
	check_pattern(img, 0x102000, 0x2000, 0xb0);
	check_pattern(img, 0x104000, 0x1000, 0xc0);
	{
		uint8_t b[32];

		ck_assert_int_eq(kho_image_read(img, 0x100ff0, b, 32), 0);
		ck_assert_int_eq(b[0], pattern(0x100ff0, 0xb0));
		ck_assert_int_eq(b[16], pattern(0x101000, 0xa0));
	}
	ck_assert_int_eq(kho_image_read(img, 0x105000, &(uint8_t){ 0 }, 1),
			 KHO_ENOTCAPTURED);
	kho_image_close(img);
}
END_TEST

START_TEST(segment_past_eof)
{
	struct telf t = { 0 };
	struct kho_image *img;
	const struct kho_image_problem *pr;
	uint8_t *b, z[16], one;
	size_t len;

	add_info(&t, basic_info);
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	add_seg(&t, 0x200000, 0x2000, 0x3000, 2);
	b = elf_build(&t, &len);
	/* Keep only 0x800 bytes of the second segment. */
	ck_assert_int_eq(open_buf(b, t.seg_off[1] + 0x800, NULL, &img), 0);
	free(b);
	pr = find_problem(img, "image.segment-truncated");
	ck_assert_ptr_nonnull(pr);
	ck_assert_uint_eq(pr->phys, 0x200800);
	ck_assert_msg(strstr(pr->msg, "[0x200800-0x202000)") != NULL, "%s",
		      pr->msg);
	check_pattern(img, 0x200000, 0x800, 2);
	ck_assert_int_eq(kho_image_read(img, 0x200800, &one, 1),
			 KHO_ENOTCAPTURED);
	ck_assert_int_eq(kho_image_read(img, 0x2007ff, z, 2),
			 KHO_ENOTCAPTURED);
	ck_assert_int_eq(kho_image_read(img, 0x201fff, &one, 1),
			 KHO_ENOTCAPTURED);
	/* The zero tail past the original filesz is still known. */
	ck_assert_int_eq(kho_image_read(img, 0x202000, z, 16), 0);
	ck_assert_int_eq(z[0] | z[15], 0);
	check_pattern(img, 0x100000, 0x1000, 1);
	kho_image_close(img);
}
END_TEST

START_TEST(zero_fill)
{
	struct telf t = { 0 };
	struct kho_image *img;
	uint8_t b[32];
	const void *p;
	int i;

	add_info(&t, basic_info);
	add_seg(&t, 0x100000, 0x1000, 0x3000, 5);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_int_eq(kho_image_read(img, 0x100ff0, b, 32), 0);
	for (i = 0; i < 16; i++)
		ck_assert_int_eq(b[i], pattern(0x100ff0 + i, 5));
	for (i = 16; i < 32; i++)
		ck_assert_int_eq(b[i], 0);
	ck_assert_int_eq(kho_image_map(img, 0x101000, 0x100, &p), 0);
	ck_assert_int_eq(((const uint8_t *)p)[0] | ((const uint8_t *)p)[255],
			 0);
	ck_assert_int_eq(kho_image_map(img, 0x101000, 0x2000, &p), 0);
	/* Part file bytes, part zero tail: not one pointer. */
	ck_assert_int_eq(kho_image_map(img, 0x100ff0, 32, &p),
			 KHO_ENOTCAPTURED);
	ck_assert_int_eq(kho_image_read(img, 0x102ff8, b, 8), 0);
	ck_assert_int_eq(kho_image_read(img, 0x102ff8, b, 9),
			 KHO_ENOTCAPTURED);
	ck_assert_int_eq(kho_image_read(img, 0x103000, b, 1),
			 KHO_ENOTCAPTURED);
	kho_image_close(img);
}
END_TEST

START_TEST(span_adjacent)
{
	struct telf t = { 0 };
	struct kho_image *img;
	uint8_t b[16];
	const void *p;
	int i;

	add_info(&t, basic_info);
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	add_seg(&t, 0x101000, 0x1000, 0x1000, 2);
	add_seg(&t, 0x102000, 0x1000, 0x1000, 3);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_int_eq(kho_image_read(img, 0x100ff8, b, 16), 0);
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(b[i], pattern(0x100ff8 + i, 1));
	for (i = 8; i < 16; i++)
		ck_assert_int_eq(b[i], pattern(0x100ff8 + i, 2));
	ck_assert_int_eq(kho_image_map(img, 0x100ff8, 16, &p),
			 KHO_ENOTCAPTURED);
	/* Across three segments at once. */
	{
		uint8_t *big = malloc(0x2010);

		ck_assert_int_eq(kho_image_read(img, 0x100ff8, big, 0x2008),
				 0);
		ck_assert_int_eq(big[0x1007], pattern(0x101fff, 2));
		ck_assert_int_eq(big[0x2007], pattern(0x102fff, 3));
		ck_assert_int_eq(kho_image_read(img, 0x100ff8, big, 0x2009),
				 KHO_ENOTCAPTURED);
		free(big);
	}
	ck_assert_uint_eq(kho_image_captured(img, 0x100800, 0x10000),
			  0x2800);
	kho_image_close(img);
}
END_TEST

START_TEST(gap)
{
	struct telf t = { 0 };
	struct kho_image *img;
	uint8_t b[16];

	add_info(&t, basic_info);
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	add_seg(&t, 0x102000, 0x1000, 0x1000, 2);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_int_eq(kho_image_read(img, 0x100ff8, b, 16),
			 KHO_ENOTCAPTURED);
	ck_assert_int_eq(kho_image_read(img, 0x101000, b, 1),
			 KHO_ENOTCAPTURED);
	ck_assert_int_eq(kho_image_read(img, 0x101ff8, b, 16),
			 KHO_ENOTCAPTURED);
	ck_assert_int_eq(kho_image_read(img, 0xff000, b, 16),
			 KHO_ENOTCAPTURED);
	ck_assert_int_eq(kho_image_read(img, 0x200000, b, 16),
			 KHO_ENOTCAPTURED);
	ck_assert_int_eq(kho_image_read(img, 0x100ff0, b, 16), 0);
	ck_assert_uint_eq(kho_image_captured(img, 0x100ff0, 0x1000), 0x10);
	ck_assert_uint_eq(kho_image_captured(img, 0x101000, 0x1000), 0);
	kho_image_close(img);
}
END_TEST

START_TEST(wrap_and_limit)
{
	struct telf t = { 0 };
	struct kho_image *img;
	uint8_t b[16];
	const void *p;

	add_info(&t, basic_info);
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	t.segs[t.nsegs++] = (struct tseg){ .phys = 0xfffffffffffff000ull,
					   .memsz = 0x2000, .filesz = 0x1000 };
	add_seg(&t, KHO_PHYS_LIMIT - 0x1000, 0x2000, 0x2000, 7);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_ptr_nonnull(find_problem(img, "image.segment-out-of-range"));
	ck_assert_int_eq(kho_image_read(img, UINT64_MAX - 4, b, 16),
			 KHO_ERANGE);
	ck_assert_int_eq(kho_image_read(img, 0x100000, b, UINT64_MAX),
			 KHO_ERANGE);
	ck_assert_int_eq(kho_image_read(img, UINT64_MAX, b, 0), KHO_ERANGE);
	ck_assert_int_eq(kho_image_read(img, KHO_PHYS_LIMIT, b, 1),
			 KHO_ERANGE);
	ck_assert_int_eq(kho_image_read(img, KHO_PHYS_LIMIT - 1, b, 2),
			 KHO_ERANGE);
	ck_assert_int_eq(kho_image_map(img, UINT64_MAX - 4, 16, &p),
			 KHO_ERANGE);
	ck_assert_int_eq(kho_image_map(img, 0xfffffffffffff000ull, 16, &p),
			 KHO_ERANGE);
	/* The part below the limit stays readable. */
	check_pattern(img, KHO_PHYS_LIMIT - 0x1000, 0x1000, 7);
	ck_assert_uint_eq(img->nsegs, 2);
	kho_image_close(img);
}
END_TEST

START_TEST(big_endian)
{
	struct telf t = { 0 };
	struct kho_image *img;
	uint8_t sub[8 + 5] = { 0, 0, 0, 0, 0x12, 0x34, 0x50, 0x00,
			       'h', 'e', 'l', 'l', 'o' };
	const struct kho_side_blob *sb;

	t.be = 1;
	add_info(&t, "FORMAT=1\nPAGE_SIZE=65536\nSCRATCH=0x1000,0x2000\n");
	add_note(&t, "KHO", 3, sub, sizeof(sub));
	add_seg(&t, 0x100000, 0x1000, 0x1000, 9);
	add_seg(&t, 0x110000, 0x1000, 0x2000, 8);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_int_eq(img->big_endian, 1);
	ck_assert_uint_eq(img->machine, 62);
	ck_assert_uint_eq(img->page_size, 65536);
	ck_assert_uint_eq(img->nsegs, 2);
	ck_assert_uint_eq(img->segs[1].memsz, 0x2000);
	check_pattern(img, 0x100000, 0x1000, 9);
	check_pattern(img, 0x110000, 0x1000, 8);
	ck_assert_uint_eq(img->nscratch, 1);
	ck_assert_uint_eq(img->scratch[0].size, 0x2000);
	sb = kho_image_side_blob(img, NULL, 0x12345000);
	ck_assert_ptr_nonnull(sb);
	ck_assert_uint_eq(sb->len, 5);
	ck_assert_int_eq(memcmp(sb->data, "hello", 5), 0);
	kho_image_close(img);
}
END_TEST

START_TEST(info_all_keys)
{
	struct telf t = { 0 };
	struct kho_image *img;
	uint8_t fdt[0x4000];
	size_t fl = make_fdt(fdt, sizeof(fdt), "kho-v3");

	add_info(&t, "FORMAT=1\n"
		     "PAGE_SIZE=16384\n"
		     "FDT_PHYS=0x104000\n"
		     "FDT_SIZE=0x4000\n"
		     "SCRATCH=0x1000000,0x200000\n"
		     "SCRATCH=0x40000000,0x4000000\n"
		     "SCRATCH=0x80000000,0x400000\n"
		     "DIRECTION=out\n"
		     "RELEASE=6.18.0-kho\n"
		     "RADIX_DEPTH_FORMULA=plus1\n"
		     "V1_BITMAP_BYTES=512\n"
		     "PRODUCER=kho-mkimage 0.1.0\r\n"
		     "SOMETHING_NEW=whatever\n\n");
	add_seg(&t, 0x100000, 0x4000, 0x4000, 1);
	t.segs[t.nsegs++] = (struct tseg){ .phys = 0x104000, .memsz = 0x4000,
					   .filesz = 0x4000, .data = fdt,
					   .datalen = sizeof(fdt) };
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_msg(img->nproblems == 0, "%s: %s", img->problems[0].check,
		      img->problems[0].msg);
	ck_assert_str_eq(img->format_version, "1");
	ck_assert_uint_eq(img->page_size, 16384);
	ck_assert_int_eq(img->page_size_known, 1);
	ck_assert_uint_eq(img->fdt_phys, 0x104000);
	ck_assert_uint_eq(img->fdt_size, 0x4000);
	ck_assert_uint_eq(img->fdt_len, 0x4000);
	ck_assert_ptr_eq(img->fdt, img->map + t.seg_off[1]);
	ck_assert_uint_eq(fdt_totalsize(img->fdt), fl);
	ck_assert_uint_eq(img->nscratch, 3);
	ck_assert_uint_eq(img->scratch[0].addr, 0x1000000);
	ck_assert_uint_eq(img->scratch[1].addr, 0x40000000);
	ck_assert_uint_eq(img->scratch[1].size, 0x4000000);
	ck_assert_uint_eq(img->scratch[2].size, 0x400000);
	ck_assert_str_eq(img->direction, "out");
	ck_assert_str_eq(img->release, "6.18.0-kho");
	ck_assert_int_eq(img->radix_formula, KHO_RADIX_PLUS1);
	ck_assert_uint_eq(img->v1_bitmap_bytes, 512);
	ck_assert_str_eq(img->producer, "kho-mkimage 0.1.0");
	kho_image_close(img);
}
END_TEST

START_TEST(info_bad_values)
{
	struct telf t = { 0 };
	struct kho_image *img;
	struct kho_image_opts o = { .radix_formula = KHO_RADIX_ORIG,
				    .v1_bitmap_bytes = 4096 };
	const struct kho_image_problem *pr;

	add_info(&t, "FORMAT=2\nPAGE_SIZE=8192\nFDT_PHYS=banana\n"
		     "SCRATCH=0x1000\nDIRECTION=sideways\n"
		     "RADIX_DEPTH_FORMULA=plus1\nnoequals\n");
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	ck_assert_int_eq(open_elf(&t, &o, &img), 0);
	pr = find_problem(img, "image.info-bad-value");
	ck_assert_ptr_nonnull(pr);
	ck_assert_msg(strstr(pr->msg, "PAGE_SIZE=8192") != NULL, "%s",
		      pr->msg);
	ck_assert_ptr_nonnull(find_problem(img, "image.info-unknown-format"));
	/* The bad value is ignored; an x86-64 core has 4 KiB pages. */
	ck_assert_uint_eq(img->page_size, 4096);
	ck_assert_int_eq(img->page_size_source, KHO_PS_MACHINE);
	ck_assert_int_eq(img->page_size_known, 1);
	ck_assert_uint_eq(img->nscratch, 0);
	ck_assert_str_eq(img->direction, "");
	/* Options win over the image. */
	ck_assert_int_eq(img->radix_formula, KHO_RADIX_ORIG);
	ck_assert_uint_eq(img->v1_bitmap_bytes, 4096);
	ck_assert_ptr_nonnull(find_problem(img, "image.no-fdt"));
	kho_image_close(img);
}
END_TEST

START_TEST(fdt_note)
{
	struct telf t = { 0 };
	struct kho_image *img;
	uint8_t fdt[4096];
	size_t fl = make_fdt(fdt, sizeof(fdt), "kho-v2");
	const struct kho_image_problem *pr;

	/* NT_KHO_FDT alone. */
	add_info(&t, basic_info);
	add_note(&t, "KHO", 2, fdt, fl);
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_uint_eq(img->nproblems, 0);
	ck_assert_uint_eq(img->fdt_len, fl);
	ck_assert_int_eq(memcmp(img->fdt, fdt, fl), 0);
	ck_assert_ptr_eq(img->fdt, img->map + t.note_off[1] + 16);
	kho_image_close(img);

	/* FDT_PHYS not captured: the note is used. */
	memset(&t, 0, sizeof(t));
	add_info(&t, "FORMAT=1\nPAGE_SIZE=4096\nFDT_PHYS=0x500000\n");
	add_note(&t, "KHO", 2, fdt, fl);
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_uint_eq(img->nproblems, 0);
	ck_assert_uint_eq(img->fdt_phys, 0x500000);
	ck_assert_uint_eq(img->fdt_len, fl);
	kho_image_close(img);

	/* Not captured and no note. */
	memset(&t, 0, sizeof(t));
	add_info(&t, "FORMAT=1\nPAGE_SIZE=4096\nFDT_PHYS=0x500000\n");
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	pr = find_problem(img, "image.fdt-not-captured");
	ck_assert_ptr_nonnull(pr);
	/* memory the dump does not hold: unknown, not broken */
	ck_assert_int_eq(pr->sev, KHO_SEV_UNKNOWN);
	ck_assert_int_eq(img->fdt_uncaptured, 1);
	ck_assert_uint_eq(pr->phys, 0x500000);
	ck_assert_ptr_null(img->fdt);
	kho_image_close(img);


	/* Memory and note disagree: memory wins, with a warning. */
	memset(&t, 0, sizeof(t));
	add_info(&t, "FORMAT=1\nPAGE_SIZE=4096\nFDT_PHYS=0x100000\n");
	add_note(&t, "KHO", 2, fdt, fl);
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_ptr_nonnull(find_problem(img, "image.fdt-note-mismatch"));
	ck_assert_ptr_eq(img->fdt, img->map + t.seg_off[0]);
	kho_image_close(img);
}
END_TEST

START_TEST(subblob_notes)
{
	struct telf t = { 0 };
	struct kho_image *img;
	uint8_t a[8 + 4] = { 0x00, 0x30, 0x10, 0, 0, 0, 0, 0, 1, 2, 3, 4 };
	uint8_t b[8 + 2] = { 0x00, 0x40, 0x10, 0, 0, 0, 0, 0, 9, 9 };
	uint8_t s[4] = { 1, 2, 3, 4 };
	const struct kho_side_blob *sb;

	add_info(&t, basic_info);
	add_note(&t, "KHO", 3, a, sizeof(a));
	add_note(&t, "KHO", 3, b, sizeof(b));
	add_note(&t, "KHO", 3, s, sizeof(s));
	add_note(&t, "KHO", 3, a, sizeof(a));
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_uint_eq(img->nside, 2);
	sb = kho_image_side_blob(img, NULL, 0x103000);
	ck_assert_ptr_nonnull(sb);
	ck_assert_uint_eq(sb->len, 4);
	ck_assert_int_eq(sb->data[3], 4);
	ck_assert_str_eq(sb->name, "");
	sb = kho_image_side_blob(img, NULL, 0x104000);
	ck_assert_ptr_nonnull(sb);
	ck_assert_uint_eq(sb->len, 2);
	ck_assert_ptr_null(kho_image_side_blob(img, NULL, 0x105000));
	ck_assert_ptr_null(kho_image_side_blob(img, "LUO", 0));
	ck_assert_ptr_nonnull(find_problem(img, "image.note-invalid"));
	ck_assert_ptr_nonnull(find_problem(img, "image.side-blob-duplicate"));
	kho_image_close(img);
}
END_TEST

START_TEST(vmcoreinfo_fallback)
{
	struct telf t = { 0 };
	struct kho_image *img;
	struct kho_image_opts o = { 0 };
	uint8_t fdt[4096];
	static const char vmci[] =
		"OSRELEASE=6.1.0-vm\nPAGESIZE=65536\nSYMBOL(swapper_pg_dir)=ffffffff82a0a000\n";

	add_info(&t, "FORMAT=1\n");
	add_note(&t, "VMCOREINFO", 0, vmci, sizeof(vmci) - 1);
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_uint_eq(img->page_size, 65536);
	ck_assert_int_eq(img->page_size_known, 1);
	ck_assert_uint_eq(img->fdt_size, 65536);
	ck_assert_str_eq(img->release, "6.1.0-vm");
	ck_assert_ptr_nonnull(find_problem(img, "image.info-missing-key"));
	kho_image_close(img);

	/*
	 * NT_KHO_INFO wins over VMCOREINFO; a --page-size that contradicts
	 * the note is refused (KHO_EINVAL), one that agrees is taken.
	 */
	memset(&t, 0, sizeof(t));
	add_info(&t, "FORMAT=1\nPAGE_SIZE=16384\nRELEASE=6.18\n");
	add_note(&t, "VMCOREINFO", 0, vmci, sizeof(vmci) - 1);
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_uint_eq(img->page_size, 16384);
	ck_assert_str_eq(img->release, "6.18");
	kho_image_close(img);
	o.page_size = 4096;
	ck_assert_int_eq(open_elf(&t, &o, &img), KHO_EINVAL);
	o.page_size = 16384;
	ck_assert_int_eq(open_elf(&t, &o, &img), 0);
	ck_assert_uint_eq(img->page_size, 16384);
	ck_assert_int_eq(img->page_size_known, 1);
	kho_image_close(img);
	o.page_size = 0;

	/* VMCOREINFO alone (a vmcore) needs --fdt-phys or --scan. */
	memset(&t, 0, sizeof(t));
	add_note(&t, "CORE", 1, "xxxx", 4);
	add_note(&t, "VMCOREINFO", 0, vmci, sizeof(vmci) - 1);
	make_fdt(fdt, sizeof(fdt), "kho-v2");
	t.segs[t.nsegs++] = (struct tseg){ .phys = 0x100000, .memsz = 0x1000,
					   .filesz = 0x1000, .data = fdt,
					   .datalen = sizeof(fdt) };
	ck_assert_int_eq(open_elf(&t, NULL, &img), KHO_EFORMAT);
	ck_assert_str_eq(err, "not a handover image: ELF core without KHO notes and no boot hand-off in its memory (use --fdt-phys ADDR, --vmlinux FILE or --scan)");
	o.page_size = 0;
	o.fdt_phys = 0x100000;
	ck_assert_int_eq(open_elf(&t, &o, &img), 0);
	ck_assert_int_eq(img->format, KHO_INPUT_ELF_CORE);
	ck_assert_uint_eq(img->page_size, 65536);
	ck_assert_uint_eq(img->fdt_phys, 0x100000);
	/* 64 KiB reserved, 4 KiB captured: enough for the blob itself. */
	ck_assert_uint_eq(img->fdt_len, 0x1000);
	ck_assert_ptr_null(find_problem(img, "image.fdt-not-captured"));
	kho_image_close(img);

	/* Garbage at --fdt-phys with less than a page captured. */
	t.segs[0].data = NULL;
	ck_assert_int_eq(open_elf(&t, &o, &img), 0);
	ck_assert_ptr_null(img->fdt);
	ck_assert_ptr_nonnull(find_problem(img, "image.fdt-not-captured"));
	kho_image_close(img);
}
END_TEST

START_TEST(bare_fdt)
{
	struct kho_image *img;
	uint8_t fdt[4096], b[8];
	size_t fl = make_fdt(fdt, sizeof(fdt), "kho-v2");

	ck_assert_int_eq(open_buf(fdt, fl, NULL, &img), 0);
	ck_assert_int_eq(img->format, KHO_INPUT_FDT);
	ck_assert_str_eq(kho_input_format_name(img->format), "fdt");
	ck_assert_uint_eq(img->fdt_len, fl);
	ck_assert_int_eq(memcmp(img->fdt, fdt, fl), 0);
	ck_assert_uint_eq(img->nsegs, 0);
	ck_assert_uint_eq(img->page_size, 4096);
	ck_assert_int_eq(img->page_size_known, 0);
	ck_assert_int_eq(img->page_size_source, KHO_PS_DEFAULT);
	ck_assert_int_eq(kho_image_read(img, 0x1000, b, 8), KHO_ENOTCAPTURED);
	kho_image_close(img);
}
END_TEST

static void write_file(const char *dir, const char *name, const void *d,
		       size_t n)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, d, n), (ssize_t)n);
	close(fd);
}

static void rm(const char *dir, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
}

START_TEST(debugfs_dir)
{
	struct kho_image *img;
	struct kho_image_opts o = { .page_size = 16384 };
	char dir[256], sub[300];
	uint8_t fdt[4096], luo[4096];
	size_t fl = make_fdt(fdt, sizeof(fdt), "kho-v4");
	size_t ll = make_fdt(luo, sizeof(luo), "luo-v1");
	const struct kho_side_blob *sb;
	static const char sp[] = "0x1000000\n0x40000000\n";
	static const char sl[] = "0x200000\n0x4000000\n";

	snprintf(dir, sizeof(dir), "%s/out", tmpdir);
	snprintf(sub, sizeof(sub), "%s/sub_fdts", dir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	/* A truncated prefix, as the live debugfs file often is. */
	ck_assert_uint_gt(fl, 100);
	write_file(dir, "fdt", fdt, 100);
	write_file(sub, "LUO", luo, ll);
	write_file(sub, "memblock", luo, 64);
	write_file(dir, "scratch_phys", sp, sizeof(sp) - 1);
	write_file(dir, "scratch_len", sl, sizeof(sl) - 1);

	ck_assert_int_eq(kho_image_open(dir, &o, &img, err, sizeof(err)), 0);
	ck_assert_int_eq(img->format, KHO_INPUT_DEBUGFS);
	ck_assert_ptr_null(img->map);
	ck_assert_uint_eq(img->fdt_len, 100);
	ck_assert_uint_eq(fdt_totalsize(img->fdt), fl);
	ck_assert_str_eq(img->direction, "out");
	ck_assert_uint_eq(img->page_size, 16384);
	ck_assert_uint_eq(img->nside, 2);
	ck_assert_str_eq(img->side[0].name, "LUO");
	sb = kho_image_side_blob(img, "LUO", 0);
	ck_assert_ptr_nonnull(sb);
	ck_assert_uint_eq(sb->len, ll);
	ck_assert_int_eq(memcmp(sb->data, luo, ll), 0);
	sb = kho_image_side_blob(img, "memblock", 0);
	ck_assert_ptr_nonnull(sb);
	ck_assert_uint_eq(sb->len, 64);
	ck_assert_uint_eq(img->nscratch, 2);
	ck_assert_uint_eq(img->scratch[1].addr, 0x40000000);
	ck_assert_uint_eq(img->scratch[1].size, 0x4000000);
	ck_assert_uint_eq(img->nproblems, 0);
	kho_image_close(img);

	/* Mismatched scratch files. */
	write_file(dir, "scratch_len", "0x200000\n", 9);
	ck_assert_int_eq(kho_image_open(dir, NULL, &img, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(find_problem(img, "image.scratch-mismatch"));
	ck_assert_uint_eq(img->nscratch, 1);
	kho_image_close(img);

	/* No fdt file: not a handover image. */
	rm(dir, "fdt");
	ck_assert_int_eq(kho_image_open(dir, NULL, &img, err, sizeof(err)),
			 KHO_EFORMAT);
	ck_assert_str_eq(err, "not a handover image: directory has no fdt file (point at a copy of kho/out or kho/in)");

	rm(sub, "LUO");
	rm(sub, "memblock");
	rmdir(sub);
	rm(dir, "scratch_phys");
	rm(dir, "scratch_len");
	rmdir(dir);
}
END_TEST

START_TEST(truncated_notes)
{
	struct telf t = { 0 };
	struct kho_image *img;
	const struct kho_image_problem *pr;
	uint8_t *b, fdt[4096];
	size_t len, fl = make_fdt(fdt, sizeof(fdt), "kho-v2");

	/* Second note claims more descriptor bytes than the PT_NOTE has. */
	add_info(&t, basic_info);
	add_note(&t, "KHO", 2, fdt, fl);
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	b = elf_build(&t, &len);
	put(b + t.note_off[1] + 4, 0x100000, 4, 0);
	ck_assert_int_eq(open_buf(b, len, NULL, &img), 0);
	free(b);
	pr = find_problem(img, "image.note-truncated");
	ck_assert_ptr_nonnull(pr);
	ck_assert_int_eq(pr->sev, KHO_SEV_ERROR);
	ck_assert_msg(strstr(pr->msg, "descsz 1048576") != NULL, "%s", pr->msg);
	ck_assert_uint_eq(img->page_size, 4096);
	ck_assert_int_eq(img->page_size_known, 1); /* first note was read */
	ck_assert_ptr_nonnull(find_problem(img, "image.no-fdt"));
	kho_image_close(img);

	/* PT_NOTE itself runs past the end of the file. */
	memset(&t, 0, sizeof(t));
	add_info(&t, basic_info);
	add_note(&t, "KHO", 2, fdt, fl);
	b = elf_build(&t, &len);
	ck_assert_int_eq(open_buf(b, t.note_off[1] + 20, NULL, &img), 0);
	free(b);
	ck_assert_ptr_nonnull(find_problem(img, "image.note-truncated"));
	ck_assert_ptr_null(img->fdt);
	kho_image_close(img);
}
END_TEST

START_TEST(scan)
{
	struct telf t = { 0 };
	struct kho_image *img;
	struct kho_image_opts o = { .scan = 1 };
	uint8_t kho[4096], other[4096], bad[4096], garbage[0x4000];
	size_t i;

	make_fdt(kho, sizeof(kho), "kho-v2");
	make_fdt(other, sizeof(other), "memblock-v1");
	make_fdt(bad, sizeof(bad), "kho-v1");
	bad[8] = 0xff; /* corrupt off_dt_struct */
	srand(42);
	for (i = 0; i < sizeof(garbage); i++)
		garbage[i] = (uint8_t)rand();
	garbage[0x1000] = 0xd0; /* a lone magic */
	garbage[0x1001] = 0x0d;
	garbage[0x1002] = 0xfe;
	garbage[0x1003] = 0xed;

	add_note(&t, "CORE", 1, "prst", 4);
	t.segs[t.nsegs++] = (struct tseg){ .phys = 0x100000, .memsz = 0x4000,
					   .filesz = 0x4000, .data = garbage,
					   .datalen = sizeof(garbage) };
	t.segs[t.nsegs++] = (struct tseg){ .phys = 0x200000, .memsz = 0x1000,
					   .filesz = 0x1000, .data = other,
					   .datalen = sizeof(other) };
	t.segs[t.nsegs++] = (struct tseg){ .phys = 0x201000, .memsz = 0x1000,
					   .filesz = 0x1000, .data = bad,
					   .datalen = sizeof(bad) };
	add_seg(&t, 0x202000, 0x1000, 0x1000, 3);
	t.segs[t.nsegs++] = (struct tseg){ .phys = 0x203000, .memsz = 0x1000,
					   .filesz = 0x1000, .data = kho,
					   .datalen = sizeof(kho) };
	ck_assert_int_eq(open_elf(&t, NULL, &img), KHO_EFORMAT);
	ck_assert_str_eq(err, "not a handover image: ELF core without KHO notes and no boot hand-off in its memory (use --fdt-phys ADDR, --vmlinux FILE or --scan)");

	ck_assert_int_eq(open_elf(&t, &o, &img), 0);
	ck_assert_int_eq(img->format, KHO_INPUT_ELF_CORE);
	ck_assert_uint_eq(img->fdt_phys, 0x203000);
	ck_assert_uint_eq(img->fdt_len, 4096);
	ck_assert_ptr_eq(img->fdt, img->map + t.seg_off[4]);
	ck_assert_str_eq(fdt_getprop(img->fdt, 0, "compatible", NULL),
			 "kho-v2");
	kho_image_close(img);

	/* Nothing to find. */
	t.nsegs = 4;
	ck_assert_int_eq(open_elf(&t, &o, &img), KHO_EFORMAT);
	ck_assert_str_eq(err, "not a handover image: --scan found no page holding a KHO root FDT");
}
END_TEST

START_TEST(not_handover)
{
	struct telf t = { 0 };
	struct kho_image *img = (struct kho_image *)1;
	uint8_t junk[4096];
	struct kho_image_opts o = { .page_size = 8192 };
	char *path;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 151 + 7);
	ck_assert_int_eq(open_buf(junk, sizeof(junk), NULL, &img),
			 KHO_EFORMAT);
	ck_assert_ptr_null(img);
	ck_assert_str_eq(err, "not a handover image: unrecognised format (expected an ELF core, an FDT blob, a dump libkdumpfile reads or a debugfs directory)");

	ck_assert_int_eq(open_buf(junk, 0, NULL, &img), KHO_EFORMAT);
	ck_assert_str_eq(err, "not a handover image: empty file");

	t.etype = ET_EXEC_;
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	ck_assert_int_eq(open_elf(&t, NULL, &img), KHO_EFORMAT);
	ck_assert_str_eq(err, "not a handover image: ELF type ET_EXEC, expected ET_CORE");

	ck_assert_int_eq(open_buf("\177ELF\2\1\1", 7, NULL, &img),
			 KHO_EFORMAT);
	ck_assert_str_eq(err, "not a handover image: truncated ELF header");

	ck_assert_int_eq(kho_image_open("/nonexistent/kho", NULL, &img, err,
					sizeof(err)), KHO_EIO);
	ck_assert_int_eq(open_buf(junk, 16, &o, &img), KHO_EINVAL);

	/* 1 GiB of garbage (sparse) is rejected without reading it. */
	path = write_tmp(junk, sizeof(junk));
	fd = open(path, O_WRONLY);
	ck_assert_int_eq(ftruncate(fd, 1ll << 30), 0);
	close(fd);
	ck_assert_int_eq(kho_image_open(path, NULL, &img, err, sizeof(err)),
			 KHO_EFORMAT);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(kcore_segments)
{
	struct telf t = { 0 };
	struct kho_image *img;

	add_info(&t, basic_info);
	t.segs[t.nsegs++] = (struct tseg){ .phys = UINT64_MAX,
					   .vaddr = 0xffffc90000000000ull,
					   .memsz = 0x1000, .filesz = 0x1000 };
	add_seg(&t, 0x100000, 0x1000, 0x1000, 1);
	ck_assert_int_eq(open_elf(&t, NULL, &img), 0);
	ck_assert_uint_eq(img->nsegs, 1);
	ck_assert_ptr_nonnull(find_problem(img, "image.segment-ignored"));
	ck_assert_ptr_null(find_problem(img, "image.segment-out-of-range"));
	kho_image_close(img);
}
END_TEST

START_TEST(many_segments)
{
	struct telf *t = calloc(1, sizeof(*t));
	struct kho_image *img;
	uint64_t i;

	/* Every other page, in reverse: binary search and ordering. */
	add_info(t, basic_info);
	for (i = 0; i < 64; i++)
		add_seg(t, 0x1000000 + (63 - i) * 0x2000, 0x1000, 0x1000,
			(uint8_t)i);
	ck_assert_int_eq(open_elf(t, NULL, &img), 0);
	ck_assert_uint_eq(img->nsegs, 64);
	for (i = 0; i < 64; i++) {
		uint8_t b;

		check_pattern(img, 0x1000000 + (63 - i) * 0x2000 + 0x800, 16,
			      (uint8_t)i);
		ck_assert_int_eq(kho_image_read(img,
						0x1001000 + i * 0x2000, &b, 1),
				 KHO_ENOTCAPTURED);
	}
	kho_image_close(img);
	free(t);
}
END_TEST

static Suite *image_suite(void)
{
	Suite *s = suite_create("image");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, multiple_loads);
	tcase_add_test(tc, unordered_segments);
	tcase_add_test(tc, overlapping_segments);
	tcase_add_test(tc, segment_past_eof);
	tcase_add_test(tc, zero_fill);
	tcase_add_test(tc, span_adjacent);
	tcase_add_test(tc, gap);
	tcase_add_test(tc, wrap_and_limit);
	tcase_add_test(tc, big_endian);
	tcase_add_test(tc, info_all_keys);
	tcase_add_test(tc, info_bad_values);
	tcase_add_test(tc, fdt_note);
	tcase_add_test(tc, subblob_notes);
	tcase_add_test(tc, vmcoreinfo_fallback);
	tcase_add_test(tc, bare_fdt);
	tcase_add_test(tc, debugfs_dir);
	tcase_add_test(tc, truncated_notes);
	tcase_add_test(tc, scan);
	tcase_add_test(tc, not_handover);
	tcase_add_test(tc, kcore_segments);
	tcase_add_test(tc, many_segments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kho_check_run(image_suite());
}
