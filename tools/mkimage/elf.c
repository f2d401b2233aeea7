// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-mkimage: output writers: the KHO ELF container (kho-image(5)), a bare
 * root FDT, a debugfs-style directory, a kcore-style ELF without KHO notes,
 * and the --layout listing.  Files are written with pwrite/ftruncate so that
 * unwritten (all-zero) pages stay holes.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "mk.h"

#define NT_KHO_INFO 1
#define NT_KHO_FDT 2
#define NT_KHO_SUBBLOB 3
#define KCORE_DIRECT_MAP 0xffff888000000000ULL

struct run {
	uint64_t paddr, len, off;
	size_t r0, r1;		/* regions [r0, r1) */
};

static struct run *runs;
static size_t nruns;
static bool have_offsets;

static const char *out_path;

static void wr(int fd, const void *b, size_t n, uint64_t off)
{
	const uint8_t *p = b;

	while (n) {
		ssize_t w = pwrite(fd, p, n, (off_t)off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			mk_fatal(1, "%s: write: %m", out_path);
		}
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* group captured regions into PT_LOAD runs */
static void make_runs(bool kcore)
{
	mk_sort_regions();
	free(runs);
	runs = mk_calloc(mk.nreg + 1, sizeof(*runs));
	nruns = 0;
	for (size_t i = 0; i < mk.nreg; i++) {
		struct mk_region *r = &mk.reg[i];
		struct run *cur = nruns ? &runs[nruns - 1] : NULL;

		if (cur && r->phys < cur->paddr + cur->len)
			mk_fatal(2, "%s: internal: captured regions overlap at 0x%llx", mk.s->file,
				 (unsigned long long)r->phys);
		bool join = cur && r->phys == cur->paddr + cur->len;
		/* kcore: one segment spans the whole metadata area, gaps are holes */
		if (kcore && cur && cur->paddr >= mk.s->ram_base && r->phys < mk.s->data_base)
			join = true;
		if (join) {
			cur->len = r->phys + r->len - cur->paddr;
			cur->r1 = i + 1;
		} else {
			runs[nruns++] = (struct run){ r->phys, r->len, 0, i, i + 1 };
		}
	}
}

static bool page_zero(const uint8_t *p, uint64_t n)
{
	const uint64_t *w = (const uint64_t *)p;

	for (uint64_t i = 0; i < n / 8; i++)
		if (w[i])
			return false;
	return true;
}

static void write_runs(int fd)
{
	for (size_t i = 0; i < nruns; i++) {
		for (size_t k = runs[i].r0; k < runs[i].r1; k++) {
			struct mk_region *r = &mk.reg[k];
			uint64_t base = runs[i].off + (r->phys - runs[i].paddr);

			for (uint64_t o = 0; o < r->len; o += mk.ps) {
				uint64_t n = r->len - o < mk.ps ? r->len - o : mk.ps;

				if (!page_zero(r->buf + o, n))
					wr(fd, r->buf + o, n, base + o);
			}
		}
	}
}

/* ------------------------------------------------------------- notes */

struct notebuf {
	uint8_t *b;
	size_t n;
	size_t info_hdr;	/* offset of the NT_KHO_INFO header */
};

static void note_add(struct notebuf *nb, const char *name, uint32_t type, const void *d1,
		     size_t l1, const void *d2, size_t l2)
{
	size_t namesz = strlen(name) + 1, descsz = l1 + l2;
	size_t total = 12 + align_up(namesz, 4) + align_up(descsz, 4);
	uint8_t *p;

	nb->b = mk_realloc(nb->b, nb->n + total);
	p = nb->b + nb->n;
	memset(p, 0, total);
	mk_put32(p, namesz);
	mk_put32(p + 4, descsz);
	mk_put32(p + 8, type);
	memcpy(p + 12, name, namesz);
	p += 12 + align_up(namesz, 4);
	if (l1)
		memcpy(p, d1, l1);
	if (l2)
		memcpy(p + l1, d2, l2);
	nb->n += total;
}

static char *info_text(void)
{
	struct mk_scn *s = mk.s;
	char *t = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&t, &n);

	fprintf(f, "FORMAT=1\nPAGE_SIZE=%u\nFDT_PHYS=0x%llx\nFDT_SIZE=%u\n", mk.ps,
		(unsigned long long)mk.root_pa, mk.ps);
	for (size_t i = 0; i < s->nscratch; i++)
		fprintf(f, "SCRATCH=0x%llx,0x%llx\n", (unsigned long long)s->scratch[i].addr,
			(unsigned long long)s->scratch[i].size);
	fprintf(f, "DIRECTION=%s\nRELEASE=%s\nRADIX_DEPTH_FORMULA=%s\nV1_BITMAP_BYTES=%u\n",
		s->direction, s->release, s->depth_plus1 ? "plus1" : "orig", s->v1_bitmap_bytes);
	fprintf(f, "PRODUCER=%s\n", s->producer);
	for (size_t i = 0; i < s->ninfo_extra; i++)
		fprintf(f, "%s\n", s->info_extra[i]);
	fclose(f);
	return t;
}

static void build_notes(struct notebuf *nb, bool kho)
{
	struct mk_scn *s = mk.s;

	memset(nb, 0, sizeof(*nb));
	if (kho) {
		char *t = info_text();

		nb->info_hdr = 0;
		note_add(nb, "KHO", NT_KHO_INFO, t, strlen(t) + 1, NULL, 0);
		free(t);
		if (s->fdt_note)
			note_add(nb, "KHO", NT_KHO_FDT, mk.root, fdt_totalsize(mk.root), NULL, 0);
		if (s->subblob_notes) {
			for (size_t i = 0; i < mk.nnodes; i++) {
				uint8_t pa[8];

				if (!mk.nodes[i].buf)
					continue;
				mk_put64(pa, mk.nodes[i].phys);
				note_add(nb, "KHO", NT_KHO_SUBBLOB, pa, 8, mk.nodes[i].buf,
					 mk.nodes[i].size < mk.ps ? mk.nodes[i].size : mk.ps);
			}
		}
		if (mk_eb.note_descsz_set)
			mk_put32(nb->b + 4, mk_eb.note_descsz);
		if (mk_eb.note_namesz_set)
			mk_put32(nb->b, mk_eb.note_namesz);
	}
	if (s->vmcoreinfo) {
		char *t = mk_fmt("OSRELEASE=%s\nPAGESIZE=%u\n", s->release, mk.ps);

		note_add(nb, "VMCOREINFO", 0, t, strlen(t), NULL, 0);
		free(t);
	}
}

static unsigned machine(void)
{
	const char *m = mk.s->machine;

	if (!strcmp(m, "x86_64") || !strcmp(m, "x86-64") || !strcmp(m, "amd64"))
		return EM_X86_64;
	if (!strcmp(m, "aarch64") || !strcmp(m, "arm64"))
		return EM_AARCH64;
	if (!strcmp(m, "riscv64") || !strcmp(m, "riscv"))
		return EM_RISCV;
	if (!strcmp(m, "loongarch64") || !strcmp(m, "loongarch"))
		return 258;
	if (!strcmp(m, "ppc64") || !strcmp(m, "ppc64le") || !strcmp(m, "powerpc64"))
		return EM_PPC64;
	if (!strcmp(m, "s390x"))
		return EM_S390;
	return EM_NONE;
}

static void put_phdr(uint8_t *p, uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr,
		     uint64_t paddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	mk_put32(p, type);
	mk_put32(p + 4, flags);
	mk_put64(p + 8, off);
	mk_put64(p + 16, vaddr);
	mk_put64(p + 24, paddr);
	mk_put64(p + 32, filesz);
	mk_put64(p + 40, memsz);
	mk_put64(p + 48, align);
}

static void write_elf(const char *out, bool kcore)
{
	struct notebuf nb;
	size_t nload, nph, extra = 0;
	uint64_t off, notes_off, end;
	uint8_t *hdr;
	int fd;

	make_runs(kcore);
	build_notes(&nb, !kcore);
	nload = nruns;
	if (mk_eb.overlap && nruns)
		extra++;
	if (mk_eb.past_eof)
		extra++;
	nph = (nb.n ? 1 : 0) + nload + extra;
	notes_off = 64 + 56 * nph;
	off = align_up(notes_off + nb.n, mk.ps);
	for (size_t i = 0; i < nruns; i++) {
		runs[i].off = off;
		off = align_up(off + runs[i].len, mk.ps);
	}
	have_offsets = true;
	end = nruns ? runs[nruns - 1].off + runs[nruns - 1].len : notes_off + nb.n;

	hdr = mk_calloc(1, notes_off + nb.n);
	memcpy(hdr, ELFMAG, SELFMAG);
	hdr[EI_CLASS] = ELFCLASS64;
	hdr[EI_DATA] = mk.s->big_endian ? ELFDATA2MSB : ELFDATA2LSB;
	hdr[EI_VERSION] = EV_CURRENT;
	hdr[EI_OSABI] = ELFOSABI_NONE;
	mk_put16(hdr + 16, ET_CORE);
	mk_put16(hdr + 18, machine());
	mk_put32(hdr + 20, EV_CURRENT);
	mk_put64(hdr + 24, 0);		/* e_entry */
	mk_put64(hdr + 32, 64);		/* e_phoff */
	mk_put64(hdr + 40, 0);		/* e_shoff */
	mk_put32(hdr + 48, 0);		/* e_flags */
	mk_put16(hdr + 52, 64);		/* e_ehsize */
	mk_put16(hdr + 54, 56);		/* e_phentsize */
	mk_put16(hdr + 56, mk_eb.phnum_set ? mk_eb.phnum : nph);
	mk_put16(hdr + 58, 0);
	mk_put16(hdr + 60, 0);
	mk_put16(hdr + 62, 0);

	uint8_t *ph = hdr + 64;
	if (nb.n) {
		put_phdr(ph, PT_NOTE, PF_R, notes_off, 0, 0, nb.n, 0, 4);
		ph += 56;
	}
	size_t li = 0;
	for (size_t i = 0; i < nruns; i++) {
		uint64_t va = kcore ? KCORE_DIRECT_MAP + runs[i].paddr : 0;
		uint64_t v[6] = { runs[i].paddr, runs[i].off, runs[i].len, runs[i].len, PT_LOAD, va };

		for (int k = 0; k < mk_eb.nlf; k++)
			if ((size_t)mk_eb.lf[k].idx == li)
				v[mk_eb.lf[k].field] = mk_eb.lf[k].v;
		put_phdr(ph, (uint32_t)v[4], kcore ? PF_R | PF_W | PF_X : PF_R, v[1], v[5], v[0], v[2],
			 v[3], mk.ps);
		ph += 56;
		li++;
		if (i == 0 && mk_eb.overlap) {
			/* a second segment covering the first page of load 0 again */
			put_phdr(ph, PT_LOAD, PF_R, runs[0].off, 0, runs[0].paddr, mk.ps, mk.ps, mk.ps);
			ph += 56;
			li++;
		}
	}
	if (mk_eb.past_eof) {
		uint64_t pa = align_up(mk.meta_cur, mk.ps) + 64 * (uint64_t)mk.ps;

		put_phdr(ph, PT_LOAD, PF_R, align_up(end, mk.ps) + mk.ps, 0, pa, mk.ps, mk.ps, mk.ps);
	}
	if (nb.n)
		memcpy(hdr + notes_off, nb.b, nb.n);

	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		mk_fatal(1, "%s: %m", out);
	wr(fd, hdr, notes_off + nb.n, 0);
	write_runs(fd);
	if (ftruncate(fd, (off_t)(mk_eb.truncate_set ? mk_eb.truncate : end)) < 0)
		mk_fatal(1, "%s: ftruncate: %m", out);
	if (close(fd) < 0)
		mk_fatal(1, "%s: close: %m", out);
	free(hdr);
	free(nb.b);
}

static void write_file(const char *path, const void *b, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		mk_fatal(1, "%s: %m", path);
	out_path = path;
	wr(fd, b, n, 0);
	if (close(fd) < 0)
		mk_fatal(1, "%s: close: %m", path);
}

static void write_debugfs(const char *dir)
{
	char *p, *t = NULL;
	size_t n = 0;
	FILE *f;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		mk_fatal(1, "%s: %m", dir);
	p = mk_fmt("%s/fdt", dir);
	write_file(p, mk.root, fdt_totalsize(mk.root) <= mk.ps ? fdt_totalsize(mk.root) : mk.ps);
	free(p);
	p = mk_fmt("%s/sub_fdts", dir);
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		mk_fatal(1, "%s: %m", p);
	free(p);
	for (size_t i = 0; i < mk.nnodes; i++) {
		if (!mk.nodes[i].buf)
			continue;
		p = mk_fmt("%s/sub_fdts/%s", dir, mk.nodes[i].name);
		write_file(p, mk.nodes[i].buf, mk.nodes[i].size < mk.ps ? mk.nodes[i].size : mk.ps);
		free(p);
	}
	for (int k = 0; k < 2; k++) {
		f = open_memstream(&t, &n);
		for (size_t i = 0; i < mk.s->nscratch; i++)
			fprintf(f, "0x%llx\n", (unsigned long long)(k ? mk.s->scratch[i].size
								     : mk.s->scratch[i].addr));
		fclose(f);
		p = mk_fmt("%s/%s", dir, k ? "scratch_len" : "scratch_phys");
		write_file(p, t, n);
		free(p);
		free(t);
	}
}

void mk_write_output(const char *out, int fmt)
{
	out_path = out;
	switch (fmt) {
	case FMT_ELF:
		write_elf(out, false);
		break;
	case FMT_KCORE:
		write_elf(out, true);
		break;
	case FMT_FDT:
		write_file(out, mk.root, fdt_totalsize(mk.root) <= mk.ps ? fdt_totalsize(mk.root) : mk.ps);
		break;
	case FMT_DEBUGFS:
		write_debugfs(out);
		break;
	}
}

/* ------------------------------------------------------------ layout */

static void fileoff(FILE *f, uint64_t phys)
{
	if (have_offsets) {
		size_t lo = 0, hi = nruns;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (runs[mid].paddr + runs[mid].len <= phys)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < nruns && runs[lo].paddr <= phys) {
			/* inside the run: is it really captured (kcore runs have gaps)? */
			if (mk_phys_ptr(phys, 1, false)) {
				fprintf(f, " 0x%llx", (unsigned long long)(runs[lo].off + phys - runs[lo].paddr));
				return;
			}
		}
	}
	fputs(" -", f);
}

static int u64cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void mk_write_layout(const char *path, int fmt)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stderr;
	static const char *const fn[] = { "elf", "fdt", "debugfs", "kcore" };

	if (!f)
		mk_fatal(1, "%s: %m", path);
	fprintf(f, "# kho-mkimage layout 1\n");
	fprintf(f, "format %s\ngeneration %s\nroot_compatible %s\npage_size 0x%x\n", fn[fmt],
		mk_gen_name(mk.s->gen), mk_root_compat(), mk.ps);
	fprintf(f, "root_fdt 0x%llx\nmemory_map 0x%llx\n", (unsigned long long)mk.root_pa,
		(unsigned long long)mk.map_pa);
	if (!mk_gen_g1())
		fprintf(f, "radix_depth %u\n", mk.depth);
	fprintf(f, "blocks %zu\n", mk.blocks.n);
	for (size_t i = 0; i < mk.nobj; i++) {
		struct mk_obj *o = &mk.objs[i];

		fprintf(f, "obj %s 0x%llx 0x%llx ", o->name, (unsigned long long)o->phys,
			(unsigned long long)o->size);
		if (o->order >= 0)
			fprintf(f, "%d", o->order);
		else
			fputc('-', f);
		fileoff(f, o->phys);
		fputc('\n', f);
	}
	for (size_t i = 0; i < mk.nfield; i++) {
		struct mk_field *fl = &mk.fields[i];

		fprintf(f, "field %s 0x%llx %u", fl->name, (unsigned long long)fl->phys, fl->size);
		fileoff(f, fl->phys);
		fputc('\n', f);
	}
	if (have_offsets)
		for (size_t i = 0; i < nruns; i++)
			fprintf(f, "load 0x%llx 0x%llx 0x%llx\n", (unsigned long long)runs[i].paddr,
				(unsigned long long)runs[i].off, (unsigned long long)runs[i].len);
	if (mk.blocks.n <= 100000) {
		uint64_t *b = mk_malloc(mk.blocks.n * sizeof(*b) + 1);

		memcpy(b, mk.blocks.v, mk.blocks.n * sizeof(*b));
		qsort(b, mk.blocks.n, sizeof(*b), u64cmp);
		for (size_t i = 0; i < mk.blocks.n; i++)
			fprintf(f, "block 0x%llx %u\n", (unsigned long long)(b[i] & ~63ULL),
				(unsigned)(b[i] & 63));
		free(b);
	}
	if (f != stderr && fclose(f))
		mk_fatal(1, "%s: %m", path);
}
