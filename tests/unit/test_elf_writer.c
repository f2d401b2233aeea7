// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The serializer shared with the kernel exporter: every byte it lays out is
 * compared with an image built here by hand from the ELF64 specification
 * (System V gABI: Elf64_Ehdr, Elf64_Phdr, note entries).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kho/elf_writer.h"
#include "check_main.h"

static void put(uint8_t *p, uint64_t v, int n, int be)
{
	for (int i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Expected header part, written field by field from the gABI offsets. */
static uint8_t *expect(int be, uint16_t machine, uint64_t ps,
		       const char *desc, size_t dlen,
		       const uint64_t (*ld)[3], int nld, size_t *len)
{
	size_t phnum = 1 + (size_t)nld, noff = 64 + 56 * phnum;
	size_t nsz = 12 + 4 + (dlen + 3) / 4 * 4;
	size_t doff = (noff + nsz + ps - 1) / ps * ps, off = doff;
	uint8_t *b = calloc(1, doff);

	memcpy(b, "\177ELF", 4);
	b[4] = 2;               /* EI_CLASS = ELFCLASS64 */
	b[5] = be ? 2 : 1;      /* EI_DATA */
	b[6] = 1;               /* EI_VERSION */
	put(b + 16, 4, 2, be);  /* e_type = ET_CORE */
	put(b + 18, machine, 2, be);
	put(b + 20, 1, 4, be);  /* e_version */
	put(b + 32, 64, 8, be); /* e_phoff */
	put(b + 52, 64, 2, be); /* e_ehsize */
	put(b + 54, 56, 2, be); /* e_phentsize */
	put(b + 56, phnum, 2, be);
	/* PT_NOTE */
	put(b + 64, 4, 4, be);
	put(b + 68, 4, 4, be);  /* PF_R */
	put(b + 72, noff, 8, be);
	put(b + 96, nsz, 8, be);
	put(b + 112, 4, 8, be); /* p_align */
	for (int i = 0; i < nld; i++) {
		uint8_t *p = b + 64 + 56 * (1 + i);

		put(p, 1, 4, be);       /* PT_LOAD */
		put(p + 4, 4, 4, be);   /* PF_R */
		put(p + 8, off, 8, be);
		put(p + 24, ld[i][0], 8, be);
		put(p + 32, ld[i][1], 8, be);
		put(p + 40, ld[i][2], 8, be);
		put(p + 48, ps, 8, be);
		off = (off + ld[i][1] + ps - 1) / ps * ps;
	}
	put(b + noff, 4, 4, be);        /* namesz "KHO\0" */
	put(b + noff + 4, dlen, 4, be); /* descsz */
	put(b + noff + 8, 0x4b484f01, 4, be); /* NT_KHO_INFO: "KHO", 1 */
	memcpy(b + noff + 12, "KHO", 4);
	memcpy(b + noff + 16, desc, dlen);
	*len = doff;
	return b;
}

static const uint64_t loads3[3][3] = {
	{ 0x100000000ULL, 0x1000, 0x1000 },
	{ 0x100003000ULL, 0x3000, 0x3000 },
	{ 0x200000000ULL, 0x1000, 0x2000 },
};

static void setup(struct kho_elf_layout *l, struct kho_elf_load *ld,
		  struct kho_elf_note *n, const char *desc, int be)
{
	memset(l, 0, sizeof(*l));
	memset(ld, 0, 3 * sizeof(*ld));
	for (int i = 0; i < 3; i++) {
		ld[i].phys = loads3[i][0];
		ld[i].filesz = loads3[i][1];
		ld[i].memsz = loads3[i][2];
	}
	*n = (struct kho_elf_note){ "KHO", KHO_NT_INFO, desc, strlen(desc) + 1,
				    NULL, 0 };
	l->big_endian = be;
	l->machine = KHO_ELF_EM_X86_64;
	l->page_size = 4096;
	l->notes = n;
	l->nnotes = 1;
	l->loads = ld;
	l->nloads = 3;
	l->require_sorted = 1;
}

static void check_bytes(int be)
{
	const char *desc = "FORMAT=1\nPAGE_SIZE=4096\n";
	struct kho_elf_layout l;
	struct kho_elf_load ld[3];
	struct kho_elf_note n;
	size_t elen;
	uint8_t *exp, got[8192];

	setup(&l, ld, &n, desc, be);
	ck_assert_int_eq(kho_elf_layout(&l), 0);
	exp = expect(be, KHO_ELF_EM_X86_64, 4096, desc, strlen(desc) + 1,
		     loads3, 3, &elen);
	ck_assert_uint_eq(l.phnum, 4);
	ck_assert_uint_eq(l.notes_off, 64 + 56 * 4);
	ck_assert_uint_eq(l.data_off, elen);
	ck_assert_uint_eq(ld[0].offset, 0x1000);
	ck_assert_uint_eq(ld[1].offset, 0x2000);
	ck_assert_uint_eq(ld[2].offset, 0x5000);
	ck_assert_uint_eq(l.file_size, 0x6000);
	memset(got, 0xaa, sizeof(got));
	ck_assert_uint_eq(kho_elf_header_read(&l, 0, got, sizeof(got)), elen);
	ck_assert_mem_eq(got, exp, elen);
	/* Any window gives the same bytes (what the module's read() does). */
	for (size_t off = 0; off < elen; off += 7)
		for (size_t w = 1; w < 300 && off + w <= elen; w += 37) {
			uint8_t part[300];

			ck_assert_uint_eq(kho_elf_header_read(&l, off, part, w), w);
			ck_assert_mem_eq(part, exp + off, w);
		}
	ck_assert_uint_eq(kho_elf_header_read(&l, elen, got, 10), 0);
	free(exp);
}

START_TEST(bytes_le) { check_bytes(0); }
END_TEST

START_TEST(bytes_be) { check_bytes(1); }
END_TEST

START_TEST(find_load)
{
	struct kho_elf_layout l;
	struct kho_elf_load ld[3];
	struct kho_elf_note n;

	setup(&l, ld, &n, "X", 0);
	ck_assert_int_eq(kho_elf_layout(&l), 0);
	ck_assert_int_eq(kho_elf_find_load(&l, 0), -1);
	ck_assert_int_eq(kho_elf_find_load(&l, 0x1000), 0);
	ck_assert_int_eq(kho_elf_find_load(&l, 0x1fff), 0);
	ck_assert_int_eq(kho_elf_find_load(&l, 0x2000), 1);
	ck_assert_int_eq(kho_elf_find_load(&l, 0x4fff), 1);
	ck_assert_int_eq(kho_elf_find_load(&l, 0x5000), 2);
	ck_assert_int_eq(kho_elf_find_load(&l, 0x6000), -1);
}
END_TEST

START_TEST(rejects)
{
	struct kho_elf_layout l;
	struct kho_elf_load ld[3];
	struct kho_elf_note n;

	setup(&l, ld, &n, "X", 0);
	ld[1].phys = 0x100000800ULL; /* overlaps load 0 */
	ck_assert_int_eq(kho_elf_layout(&l), KHO_ELF_EINVAL);
	setup(&l, ld, &n, "X", 0);
	l.page_size = 3000;
	ck_assert_int_eq(kho_elf_layout(&l), KHO_ELF_EINVAL);
	setup(&l, ld, &n, "X", 0);
	ld[0].filesz = ld[0].memsz + 1;
	ck_assert_int_eq(kho_elf_layout(&l), KHO_ELF_EINVAL);
}
END_TEST

START_TEST(notes_two_parts)
{
	static const uint8_t pa[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct kho_elf_note n[2] = {
		{ "KHO", KHO_NT_SUBBLOB, pa, 8, "abc", 3 },
		{ "VMCOREINFO", 0, "OSRELEASE=x\n", 12, NULL, 0 },
	};
	struct kho_elf_layout l = { 0 };
	uint8_t b[4096];
	size_t o;

	l.page_size = 4096;
	l.notes = n;
	l.nnotes = 2;
	ck_assert_int_eq(kho_elf_layout(&l), 0);
	ck_assert_uint_eq(l.notes_size, (12 + 4 + 12) + (12 + 12 + 12));
	kho_elf_header_read(&l, 0, b, sizeof(b));
	o = l.notes_off;
	ck_assert_uint_eq(b[o], 4);
	ck_assert_uint_eq(b[o + 4], 11);
	ck_assert_uint_eq(b[o + 8], 3);
	ck_assert_mem_eq(b + o + 16, pa, 8);
	ck_assert_mem_eq(b + o + 24, "abc\0", 4);
	o += 28;
	ck_assert_uint_eq(b[o], 11);
	ck_assert_mem_eq(b + o + 12, "VMCOREINFO\0\0", 12);
	ck_assert_mem_eq(b + o + 24, "OSRELEASE=x\n", 12);
}
END_TEST

START_TEST(info_text)
{
	const uint64_t scr[4] = { 0x40000000, 0x10000000, 0x200000000ULL, 0x20000000 };
	const char *want = "FORMAT=1\nPAGE_SIZE=16384\nFDT_PHYS=0x100000000\n"
			   "FDT_SIZE=16384\nSCRATCH=0x40000000,0x10000000\n"
			   "SCRATCH=0x200000000,0x20000000\nDIRECTION=in\n"
			   "RELEASE=6.20.0\nPRODUCER=t\n";
	char b[512], small[10];
	uint64_t n;

	n = kho_elf_info_text(b, sizeof(b), 16384, 0x100000000ULL, 16384, scr,
			      2, "in", "6.20.0", "PRODUCER=t\n");
	ck_assert_str_eq(b, want);
	ck_assert_uint_eq(n, strlen(want));
	n = kho_elf_info_text(small, sizeof(small), 16384, 0x100000000ULL,
			      16384, scr, 2, "in", "6.20.0", "PRODUCER=t\n");
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_str_eq(small, "FORMAT=1\n");
	n = kho_elf_info_text(b, sizeof(b), 4096, 0, 0, NULL, 0, NULL, NULL,
			      NULL);
	ck_assert_str_eq(b, "FORMAT=1\nPAGE_SIZE=4096\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("elf_writer");
	TCase *t = tcase_create("core");

	tcase_add_test(t, bytes_le);
	tcase_add_test(t, bytes_be);
	tcase_add_test(t, find_load);
	tcase_add_test(t, rejects);
	tcase_add_test(t, notes_two_parts);
	tcase_add_test(t, info_text);
	suite_add_tcase(s, t);
	return kho_check_run(s);
}
