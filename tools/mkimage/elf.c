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
#include "kho/elf_writer.h"

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

/*
 * The notes and headers are laid out by the serializer shared with
 * kho-inspect capture and the kernel exporter (lib/kho_elf_writer.c); this
 * file only chooses what goes in and applies the corruption directives to
 * the bytes it returns.
 */
struct notes {
	struct kho_elf_note n[4 + 1];
	struct kho_elf_note *sub;	/* NT_KHO_SUBBLOB, one per node */
	size_t nn, nsub;
	char *info, *vmcoreinfo;
	uint8_t (*pa)[8];
	struct kho_elf_note *all;
	size_t nall;
};

static char *info_text(void)
{
	struct mk_scn *s = mk.s;
	char *extra = NULL, *t;
	size_t n = 0;
	uint64_t *scr = mk_calloc(2 * s->nscratch + 1, sizeof(*scr));
	FILE *f = open_memstream(&extra, &n);

	fprintf(f, "RADIX_DEPTH_FORMULA=%s\nV1_BITMAP_BYTES=%u\n",
		s->depth_plus1 ? "plus1" : "orig", s->v1_bitmap_bytes);
	fprintf(f, "PRODUCER=%s\n", s->producer);
	for (size_t i = 0; i < s->ninfo_extra; i++)
		fprintf(f, "%s\n", s->info_extra[i]);
	fclose(f);
	for (size_t i = 0; i < s->nscratch; i++) {
		scr[2 * i] = s->scratch[i].addr;
		scr[2 * i + 1] = s->scratch[i].size;
	}
	n = kho_elf_info_text(NULL, 0, mk.ps, mk.root_pa, mk.ps, scr, (uint32_t)s->nscratch,
			      s->direction, s->release, extra);
	t = mk_malloc(n + 1);
	kho_elf_info_text(t, n + 1, mk.ps, mk.root_pa, mk.ps, scr, (uint32_t)s->nscratch,
			  s->direction, s->release, extra);
	free(extra);
	free(scr);
	return t;
}

static void build_notes(struct notes *nb, bool kho)
{
	struct mk_scn *s = mk.s;
	size_t k = 0;

	memset(nb, 0, sizeof(*nb));
	nb->all = mk_calloc(mk.nnodes + 4, sizeof(*nb->all));
	nb->pa = mk_calloc(mk.nnodes + 1, sizeof(*nb->pa));
	if (kho) {
		uint32_t nt_info = s->legacy_note_types ? KHO_NT_INFO_LEGACY : KHO_NT_INFO;
		uint32_t nt_fdt = s->legacy_note_types ? KHO_NT_FDT_LEGACY : KHO_NT_FDT;
		uint32_t nt_sub = s->legacy_note_types ? KHO_NT_SUBBLOB_LEGACY
						       : KHO_NT_SUBBLOB;

		nb->info = info_text();
		nb->all[k++] = (struct kho_elf_note){ "KHO", nt_info, nb->info,
						      strlen(nb->info) + 1, NULL, 0 };
		if (s->fdt_note)
			nb->all[k++] = (struct kho_elf_note){ "KHO", nt_fdt, mk.root,
							      fdt_totalsize(mk.root), NULL, 0 };
		if (s->subblob_notes) {
			for (size_t i = 0; i < mk.nnodes; i++) {
				if (!mk.nodes[i].buf)
					continue;
				mk_put64(nb->pa[i], mk.nodes[i].phys);
				nb->all[k++] = (struct kho_elf_note){
					"KHO", nt_sub, nb->pa[i], 8, mk.nodes[i].buf,
					mk.nodes[i].size < mk.ps ? mk.nodes[i].size : mk.ps };
			}
		}
	}
	if (s->vmcoreinfo) {
		nb->vmcoreinfo = mk_fmt("OSRELEASE=%s\nPAGESIZE=%u\n", s->release, mk.ps);
		nb->all[k++] = (struct kho_elf_note){ "VMCOREINFO", 0, nb->vmcoreinfo,
						      strlen(nb->vmcoreinfo), NULL, 0 };
	}
	nb->nall = k;
}

static void free_notes(struct notes *nb)
{
	free(nb->info);
	free(nb->vmcoreinfo);
	free(nb->pa);
	free(nb->all);
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

static void write_elf(const char *out, bool kcore)
{
	struct kho_elf_layout l;
	struct kho_elf_load *ld;
	struct notes nb;
	size_t nld = 0;
	uint64_t end;
	uint8_t *hdr;
	int fd, rc;

	make_runs(kcore);
	build_notes(&nb, !kcore);
	ld = mk_calloc(nruns + 3, sizeof(*ld));
	for (size_t i = 0; i < nruns; i++) {
		ld[nld++] = (struct kho_elf_load){
			.phys = runs[i].paddr, .filesz = runs[i].len, .memsz = runs[i].len,
			.vaddr = kcore ? KCORE_DIRECT_MAP + runs[i].paddr : 0,
			.flags = kcore ? PF_R | PF_W | PF_X : PF_R,
		};
		if (i == 0 && mk_eb.overlap)
			/* a second segment covering the first page of load 0 again */
			ld[nld++] = (struct kho_elf_load){ .phys = runs[0].paddr,
							   .filesz = mk.ps, .memsz = mk.ps,
							   .fixed_offset = 1 };
	}
	memset(&l, 0, sizeof(l));
	l.big_endian = mk.s->big_endian;
	l.machine = (uint16_t)machine();
	l.page_size = mk.ps;
	l.notes = nb.all;
	l.nnotes = (uint32_t)nb.nall;
	l.loads = ld;
	l.nloads = (uint32_t)nld + (mk_eb.past_eof ? 1 : 0);
	if (mk_eb.past_eof)	/* placed once the real end is known */
		ld[nld] = (struct kho_elf_load){ .filesz = mk.ps, .memsz = mk.ps,
						 .fixed_offset = 1 };
	rc = kho_elf_layout(&l);
	if (rc)
		mk_fatal(2, "%s: internal: ELF layout failed (%d)", mk.s->file, rc);
	/* the overlapping copy shares load 0's bytes */
	if (mk_eb.overlap && nruns)
		ld[1].offset = ld[0].offset;
	end = 0;
	for (size_t i = 0, r = 0; i < nld; i++)
		if (!ld[i].fixed_offset) {
			runs[r++].off = ld[i].offset;
			end = ld[i].offset + ld[i].filesz;
		}
	if (!nruns)
		end = l.notes_off + l.notes_size;
	if (mk_eb.past_eof) {
		ld[nld].phys = align_up(mk.meta_cur, mk.ps) + 64 * (uint64_t)mk.ps;
		ld[nld].offset = align_up(end, mk.ps) + mk.ps;
	}
	have_offsets = true;
	/* --elfbreak load field overrides, by program-header ordinal */
	for (size_t i = 0; i < nld; i++) {
		uint64_t *v[6] = { &ld[i].phys, &ld[i].offset, &ld[i].filesz, &ld[i].memsz,
				   NULL, &ld[i].vaddr };

		for (int k = 0; k < mk_eb.nlf && !ld[i].fixed_offset; k++) {
			if ((size_t)mk_eb.lf[k].idx != i)
				continue;
			if (mk_eb.lf[k].field == 4)
				ld[i].type = (uint32_t)mk_eb.lf[k].v;
			else
				*v[mk_eb.lf[k].field] = mk_eb.lf[k].v;
		}
	}

	hdr = mk_calloc(1, l.notes_off + l.notes_size + 1);
	kho_elf_header_read(&l, 0, hdr, l.notes_off + l.notes_size);
	if (mk_eb.phnum_set)
		mk_put16(hdr + 56, mk_eb.phnum);
	if (nb.nall && mk_eb.note_descsz_set)
		mk_put32(hdr + l.notes_off + 4, mk_eb.note_descsz);
	if (nb.nall && mk_eb.note_namesz_set)
		mk_put32(hdr + l.notes_off, mk_eb.note_namesz);

	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		mk_fatal(1, "%s: %m", out);
	wr(fd, hdr, l.notes_off + l.notes_size, 0);
	write_runs(fd);
	if (ftruncate(fd, (off_t)(mk_eb.truncate_set ? mk_eb.truncate : end)) < 0)
		mk_fatal(1, "%s: ftruncate: %m", out);
	if (close(fd) < 0)
		mk_fatal(1, "%s: close: %m", out);
	free(hdr);
	free(ld);
	free_notes(&nb);
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
	size_t flen = fdt_totalsize(mk.root) <= mk.ps ? fdt_totalsize(mk.root) : mk.ps;

	if (mk.s->debugfs_fdt_bytes && mk.s->debugfs_fdt_bytes < flen)
		flen = (size_t)mk.s->debugfs_fdt_bytes;
	p = mk_fmt("%s/fdt", dir);
	write_file(p, mk.root, flen);
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
