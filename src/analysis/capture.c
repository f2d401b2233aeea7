// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Capture: record the pages a full decode reads, then write them as a
 * compact handover image with the shared serializer.  See capture.h.
 */
#define KHO_IMAGE_INTERNAL
#include "capture.h"
#include "decode/page_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kho/elf_writer.h"

#define COPY_CHUNK (1u << 20)

/* ---- a set of page indices (open addressing) ---- */

struct pageset {
	uint64_t *v; /* index + 1; 0 = empty */
	size_t cap, n;
	int oom;
	uint64_t shift; /* log2(page size) */
};

static size_t pslot(const struct pageset *s, uint64_t k)
{
	return (size_t)((k * 0x9e3779b97f4a7c15ULL) >> 17) & (s->cap - 1);
}

static void ps_add(struct pageset *s, uint64_t idx)
{
	size_t i;

	if (s->oom)
		return;
	if ((s->n + 1) * 2 > s->cap) {
		size_t ocap = s->cap, ncap = s->cap ? s->cap * 2 : 4096, j;
		uint64_t *o = s->v;

		s->v = calloc(ncap, sizeof(*s->v));
		if (!s->v) {
			s->v = o;
			s->oom = 1;
			return;
		}
		s->cap = ncap;
		for (j = 0; j < ocap; j++) {
			if (!o[j])
				continue;
			for (i = pslot(s, o[j]); s->v[i]; i = (i + 1) & (s->cap - 1))
				;
			s->v[i] = o[j];
		}
		free(o);
	}
	for (i = pslot(s, idx + 1); s->v[i]; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == idx + 1)
			return;
	s->v[i] = idx + 1;
	s->n++;
}

/* Add the pages of [phys, phys + len), clipped to the physical limit. */
static void ps_add_range(struct pageset *s, uint64_t phys, uint64_t len)
{
	uint64_t a, b;

	if (!len || phys >= KHO_PHYS_LIMIT)
		return;
	if (len > KHO_PHYS_LIMIT - phys)
		len = KHO_PHYS_LIMIT - phys;
	a = phys >> s->shift;
	b = (phys + len - 1) >> s->shift;
	for (; a <= b && !s->oom; a++)
		ps_add(s, a);
}

static void touch(void *arg, uint64_t phys, uint64_t len)
{
	ps_add_range(arg, phys, len);
}

static int u64cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- --with-data ---- */

struct data_walk {
	struct pageset *ps;
	uint64_t page_size, bytes, max;
	int over;
};

static int add_block(void *arg, uint64_t phys, unsigned int order)
{
	struct data_walk *w = arg;
	uint64_t size;

	if (order >= 40)
		return 0;
	size = w->page_size << order;
	w->bytes += size;
	if (w->bytes > w->max) {
		w->over = 1;
		return 1; /* stop */
	}
	ps_add_range(w->ps, phys, size);
	return 0;
}

/* ---- output ---- */

/* Write all of b at off: 0, or KHO_EIO with the errno in *eno. */
static int wr(int fd, const void *b, uint64_t n, uint64_t off, int *eno)
{
	const uint8_t *p = b;

	while (n) {
		ssize_t w = pwrite(fd, p, n, (off_t)off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			*eno = errno;
			return KHO_EIO;
		}
		p += w;
		n -= (uint64_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

static int all_zero(const uint8_t *p, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static char *info_extra(const struct kho_image *img, const char *producer)
{
	char *t = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&t, &n);

	if (!f)
		return NULL;
	if (img->radix_formula == KHO_RADIX_ORIG)
		fputs("RADIX_DEPTH_FORMULA=orig\n", f);
	else if (img->radix_formula == KHO_RADIX_PLUS1)
		fputs("RADIX_DEPTH_FORMULA=plus1\n", f);
	if (img->v1_bitmap_bytes)
		fprintf(f, "V1_BITMAP_BYTES=%u\n", img->v1_bitmap_bytes);
	fprintf(f, "PRODUCER=%s\n", producer ? producer : "kho-inspect capture");
	if (fclose(f))
		return NULL;
	return t;
}

/* Sorted pages -> page-aligned runs of captured bytes. */
static struct kho_elf_load *make_loads(const struct kho_image *img,
				       const uint64_t *pg, size_t n,
				       uint64_t ps, uint32_t *nloads,
				       uint64_t *pages)
{
	struct kho_elf_load *ld = calloc(n + 1, sizeof(*ld));
	uint32_t k = 0;
	size_t i;

	if (!ld)
		return NULL;
	*pages = 0;
	for (i = 0; i < n; i++) {
		uint64_t phys = pg[i] * ps;
		uint64_t have = kho_image_captured(img, phys, ps);

		if (!have)
			continue;
		++*pages;
		if (k && ld[k - 1].filesz % ps == 0 &&
		    ld[k - 1].phys + ld[k - 1].filesz == phys &&
		    ld[k - 1].filesz < (1ULL << 40)) {
			ld[k - 1].filesz += have;
			ld[k - 1].memsz += have;
			continue;
		}
		if (k == 0xfff0u)
			break; /* e_phnum limit; reported by the caller */
		ld[k].phys = phys;
		ld[k].filesz = ld[k].memsz = have;
		k++;
	}
	*nloads = k;
	return ld;
}

int kho_capture_write(struct kho_image *img, const char *out,
		      const struct kho_capture_opts *o,
		      struct kho_capture_stats *st, char *err, size_t errlen)
{
	struct pageset ps = { 0 };
	struct kho_ctx *ctx = NULL;
	struct kho_elf_layout l;
	struct kho_elf_load *ld = NULL;
	struct kho_elf_note notes[2];
	uint64_t *pg = NULL, *scr = NULL, pages = 0, total = 0, done = 0;
	uint64_t page, hlen, i;
	char *extra = NULL, *info = NULL, *tmp = NULL;
	uint8_t *buf = NULL;
	uint32_t nloads = 0, nn = 0;
	size_t np = 0, j;
	int fd = -1, rc, eno = 0;

	memset(st, 0, sizeof(*st));
	/*
	 * Decide the page size before recording: the probe's decodes at the
	 * wrong sizes must not add pages, and the note we write states it.
	 */
	rc = kho_page_size_probe(img, o->sopts, err, errlen);
	if (rc < 0)
		return rc;
	if (img->page_size_source == KHO_PS_UNKNOWN) {
		snprintf(err, errlen,
			 "the page size is unknown (more than one fits the structures; see `check`): pass --page-size");
		return KHO_EINVAL;
	}
	page = img->page_size;
	ps.shift = (uint64_t)__builtin_ctzll(page);

	/* 1. decode with the recorder on */
	if (o->progress)
		o->progress(o->progress_arg, "decoding", 0, 0);
	kho_image_set_recorder(img, touch, &ps);
	rc = kho_session_run(img, o->sopts, &ctx, err, errlen);
	kho_image_set_recorder(img, NULL, NULL);
	if (rc < 0)
		goto out;
	if (img->fdt_phys)
		ps_add_range(&ps, img->fdt_phys, img->fdt_size);
	if (o->with_data) {
		struct data_walk w = { &ps, page, 0,
				       o->max_data ? o->max_data
						   : KHO_CAPTURE_DEFAULT_MAX_DATA, 0 };

		kho_session_blocks(ctx, 0, add_block, &w);
		if (w.over) {
			snprintf(err, errlen,
				 "--with-data: the preserved data exceeds the limit of %llu MiB (use --max-data to raise it)",
				 (unsigned long long)(w.max >> 20));
			rc = KHO_ELIMIT;
			goto out;
		}
		st->data_bytes = w.bytes;
	}
	if (ps.oom) {
		rc = KHO_ENOMEM;
		goto out;
	}

	/* 2. pages -> loads */
	pg = malloc((ps.n + 1) * sizeof(*pg));
	if (!pg) {
		rc = KHO_ENOMEM;
		goto out;
	}
	for (j = 0; j < ps.cap; j++)
		if (ps.v[j])
			pg[np++] = ps.v[j] - 1;
	qsort(pg, np, sizeof(*pg), u64cmp);
	ld = make_loads(img, pg, np, page, &nloads, &pages);
	if (!ld) {
		rc = KHO_ENOMEM;
		goto out;
	}

	/* 3. notes */
	scr = calloc(2 * img->nscratch + 1, sizeof(*scr));
	extra = info_extra(img, o->producer);
	if (!scr || !extra) {
		rc = KHO_ENOMEM;
		goto out;
	}
	for (j = 0; j < img->nscratch; j++) {
		scr[2 * j] = img->scratch[j].addr;
		scr[2 * j + 1] = img->scratch[j].size;
	}
	{
		uint64_t fdt_phys = img->fdt_phys &&
			kho_image_captured(img, img->fdt_phys, 8) ? img->fdt_phys : 0;
		uint64_t need = kho_elf_info_text(NULL, 0, page, fdt_phys,
						  img->fdt_size, scr,
						  (uint32_t)img->nscratch,
						  img->direction[0] ? img->direction : NULL,
						  img->release[0] ? img->release : NULL,
						  extra);

		info = malloc(need + 1);
		if (!info) {
			rc = KHO_ENOMEM;
			goto out;
		}
		kho_elf_info_text(info, need + 1, page, fdt_phys, img->fdt_size,
				  scr, (uint32_t)img->nscratch,
				  img->direction[0] ? img->direction : NULL,
				  img->release[0] ? img->release : NULL, extra);
		notes[nn++] = (struct kho_elf_note){ "KHO", KHO_NT_INFO, info,
						     need + 1, NULL, 0 };
		/* Without the root FDT page in memory, carry the blob. */
		if (!fdt_phys && img->fdt && img->fdt_len)
			notes[nn++] = (struct kho_elf_note){ "KHO", KHO_NT_FDT,
							     img->fdt, img->fdt_len,
							     NULL, 0 };
	}

	/* 4. layout and write */
	memset(&l, 0, sizeof(l));
	l.big_endian = img->big_endian;
	l.machine = (uint16_t)img->machine;
	l.page_size = page;
	l.notes = notes;
	l.nnotes = nn;
	l.loads = ld;
	l.nloads = nloads;
	l.require_sorted = 1;
	if (kho_elf_layout(&l)) {
		snprintf(err, errlen, "cannot lay out the image (%u segments)",
			 nloads);
		rc = KHO_EINVAL;
		goto out;
	}
	if (asprintf(&tmp, "%s.tmp.%ld", out, (long)getpid()) < 0) {
		tmp = NULL;
		rc = KHO_ENOMEM;
		goto out;
	}
	buf = malloc(COPY_CHUNK > l.data_off ? COPY_CHUNK : l.data_off);
	if (!buf) {
		rc = KHO_ENOMEM;
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		rc = KHO_EIO;
		goto out;
	}
	hlen = kho_elf_header_read(&l, 0, buf, l.notes_off + l.notes_size);
	rc = wr(fd, buf, hlen, 0, &eno);
	for (i = 0; i < nloads; i++)
		total += ld[i].filesz;
	for (i = 0; i < nloads && !rc; i++) {
		uint64_t off;

		for (off = 0; off < ld[i].filesz && !rc; off += COPY_CHUNK) {
			uint64_t n = ld[i].filesz - off < COPY_CHUNK
					     ? ld[i].filesz - off : COPY_CHUNK;
			uint64_t p;

			/* Uncached: what is copied is not kept. */
			if (kho_image_read_uncached(img, ld[i].phys + off, buf,
						    n)) {
				snprintf(err, errlen,
					 "cannot read 0x%llx+0x%llx from the source",
					 (unsigned long long)(ld[i].phys + off),
					 (unsigned long long)n);
				rc = KHO_EIO;
				break;
			}
			/* All-zero pages stay holes. */
			for (p = 0; p < n && !rc; p += page) {
				uint64_t m = n - p < page ? n - p : page;

				if (!all_zero(buf + p, m))
					rc = wr(fd, buf + p, m,
						ld[i].offset + off + p, &eno);
			}
			done += n;
			if (o->progress)
				o->progress(o->progress_arg, "writing", done,
					    total);
		}
	}
	if (rc && eno)
		snprintf(err, errlen, "%s: write: %s", tmp, strerror(eno));
	if (!rc && ftruncate(fd, (off_t)l.file_size) < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		rc = KHO_EIO;
	}
	if (close(fd) < 0 && !rc) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		rc = KHO_EIO;
	}
	fd = -1;
	if (!rc && rename(tmp, out) < 0) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		rc = KHO_EIO;
	}
	if (!rc) {
		st->pages = pages;
		st->loads = nloads;
		st->file_size = l.file_size;
	}
out:
	if (rc == KHO_ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (fd >= 0)
		close(fd);
	if (rc && tmp)
		unlink(tmp);
	kho_session_free(ctx);
	free(tmp);
	free(buf);
	free(info);
	free(extra);
	free(scr);
	free(ld);
	free(pg);
	free(ps.v);
	return rc < 0 ? rc : 0;
}
