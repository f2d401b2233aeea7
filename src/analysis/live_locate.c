// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Locating the root FDT of a live source: kallsyms, then the preserved
 * blocks, then a streamed scan.  See live_locate.h.
 */
#include "base/bytes.h"
#include "live_locate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The scan reads memory this many bytes at a time (one buffer). */
#define SCAN_CHUNK (1u << 20)
/* Progress is reported every this many bytes scanned. */
#define SCAN_PROGRESS (64ull << 20)

const char *kho_locate_method_name(enum kho_locate_method m)
{
	switch (m) {
	case KHO_LOCATE_KALLSYMS:
		return "kallsyms";
	case KHO_LOCATE_BLOCKS:
		return "blocks";
	case KHO_LOCATE_SCAN:
		return "scan";
	case KHO_LOCATE_NONE:
		break;
	}
	return "none";
}

__attribute__((format(printf, 2, 3))) static void
why(struct kho_locate_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nwhy >= KHO_LOCATE_MAX_WHY)
		return;
	va_start(ap, fmt);
	vsnprintf(r->why[r->nwhy++], sizeof(r->why[0]), fmt, ap);
	va_end(ap);
}

/* ---- confirming a candidate against the debugfs copy ---- */

/*
 * 0 when the bytes at phys start with the debugfs copy, else the index of
 * the first differing byte + 1, or <0 when memory cannot be read there.
 */
static int64_t mismatch(const struct kho_image *img, uint64_t phys,
			uint64_t want_len, uint8_t *buf)
{
	uint64_t i;
	int rc = kho_image_read_uncached(img, phys, buf, want_len);

	if (rc)
		return rc;
	for (i = 0; i < want_len; i++)
		if (buf[i] != img->fdt[i])
			return (int64_t)i + 1;
	return 0;
}

/* ---- way 1: kallsyms ---- */

static int by_kallsyms(struct kho_image *img, const struct kho_locate_opts *o,
		       struct kho_locate_result *r, uint64_t want_len,
		       uint8_t *buf)
{
	int in = o->direction && strcmp(o->direction, "in") == 0;
	const char *sym = in ? "kho_in" : "kho_out";
	const char *field = in ? "kho_in.fdt_phys" : "kho_out.fdt";
	uint64_t va = 0, ptr, phys;
	uint8_t b[8];
	int64_t m;
	int rc, i;

	rc = kho_kallsyms_lookup(o->kallsyms, sym, &va);
	if (rc == KHO_EIO) {
		why(r, "kallsyms: cannot read %s", o->kallsyms);
		return KHO_ENOENT;
	}
	if (rc == KHO_ENOENT) {
		why(r, "kallsyms: %s lists no %s (the kernel needs CONFIG_KALLSYMS_ALL)",
		    o->kallsyms, sym);
		return KHO_ENOENT;
	}
	if (rc) {
		why(r, "kallsyms: %s lists %s at two addresses; not used",
		    o->kallsyms, sym);
		return KHO_ENOENT;
	}
	if (!va) {
		why(r, "kallsyms: %s lists %s at address 0 (addresses are hidden: run as root)",
		    o->kallsyms, sym);
		return KHO_ENOENT;
	}
	snprintf(r->symbol, sizeof(r->symbol), "%s", sym);
	r->sym_vaddr = va;
	if (kho_image_read_virt(img, va, b, sizeof(b))) {
		why(r, "kallsyms: %s at 0x%llx is not in the memory of %s",
		    sym, (unsigned long long)va, o->kcore);
		return KHO_ENOENT;
	}
	ptr = 0;
	for (i = 7; i >= 0; i--)
		ptr = ptr << 8 | b[img->big_endian ? 7 - i : i];
	if (!ptr) {
		why(r, in ? "kallsyms: %s is 0 (this kernel was not booted through KHO)"
			  : "kallsyms: %s is NULL (KHO is not enabled)",
		    field);
		return KHO_ENOENT;
	}
	if (in) {
		phys = ptr;
	} else if (kho_image_virt_to_phys(img, ptr, &phys)) {
		why(r, "kallsyms: %s = 0x%llx is in no segment of %s with a physical address",
		    field, (unsigned long long)ptr, o->kcore);
		return KHO_ENOENT;
	}
	m = mismatch(img, phys, want_len, buf);
	if (m < 0) {
		why(r, "kallsyms: %s points at 0x%llx, which is not in the memory of %s",
		    field, (unsigned long long)phys, o->kcore);
		return KHO_ENOENT;
	}
	if (m > 0) {
		why(r, "kallsyms: %s points at 0x%llx, but its first %llu bytes differ from %s at byte %lld; candidate rejected",
		    field, (unsigned long long)phys,
		    (unsigned long long)want_len, o->fdt_name,
		    (long long)(m - 1));
		return KHO_ENOENT;
	}
	r->method = KHO_LOCATE_KALLSYMS;
	r->phys = phys;
	r->count = 1;
	return 0;
}

/* ---- way 2: the preserved blocks the debugfs copy names ---- */

struct blocks_walk {
	const struct kho_image *img;
	uint64_t want_len;
	uint8_t *buf;
	uint64_t best, count;
};

static int try_block(void *arg, uint64_t phys, unsigned int order)
{
	struct blocks_walk *w = arg;

	if (mismatch(w->img, phys, w->want_len, w->buf) == 0) {
		if (!w->count || phys < w->best)
			w->best = phys;
		w->count++;
	}
	return 0;
}

static int by_blocks(struct kho_image *img, const struct kho_locate_opts *o,
		     struct kho_locate_result *r, uint64_t want_len,
		     uint8_t *buf)
{
	struct blocks_walk w = { img, want_len, buf, 0, 0 };
	struct kho_ctx *ctx = NULL;
	char err[256];

	if (kho_session_run(img, o->sopts, &ctx, err, sizeof(err)) >= 0)
		kho_session_blocks(ctx, 0, try_block, &w);
	kho_session_free(ctx);
	if (!w.count)
		return KHO_ENOENT;
	r->method = KHO_LOCATE_BLOCKS;
	r->phys = w.best;
	r->count = w.count;
	return 0;
}

/* ---- way 3: every page, streamed ---- */

static int by_scan(struct kho_image *img, const struct kho_locate_opts *o,
		   struct kho_locate_result *r, uint64_t want_len,
		   uint8_t *cmp)
{
	uint64_t step = img->page_size, total = 0, done = 0, next = 0;
	uint64_t best = 0, count = 0;
	uint8_t *buf = malloc(SCAN_CHUNK);
	size_t i;

	if (!buf)
		return KHO_ENOMEM;
	for (i = 0; i < img->nsegs; i++)
		total += img->segs[i].filesz;
	for (i = 0; i < img->nsegs; i++) {
		const struct kho_segment *s = &img->segs[i];
		uint64_t end = s->phys + s->filesz; /* past filesz: zeros */
		uint64_t a = (s->phys + step - 1) / step * step;

		while (a < end && end - a >= want_len) {
			uint64_t n = end - a < SCAN_CHUNK ? end - a : SCAN_CHUNK;
			uint64_t p;

			if (kho_image_read_uncached(img, a, buf, n)) {
				a += n;
				continue;
			}
			for (p = 0; p < n; p += step) {
				const uint8_t *at = buf + p;

				if (at[0] != img->fdt[0] ||
				    memcmp(at, img->fdt, 8 < want_len ? 8 : want_len))
					continue;
				if (n - p >= want_len) {
					if (memcmp(at, img->fdt, want_len))
						continue;
				} else if (end - a - p < want_len ||
					   mismatch(img, a + p, want_len, cmp)) {
					continue;
				}
				if (!count)
					best = a + p;
				count++;
			}
			a += n;
			done += n;
			if (o->progress && done >= next) {
				o->progress(o->progress_arg, "scanning memory",
					    done, total);
				next = done + SCAN_PROGRESS;
			}
		}
	}
	if (o->progress)
		o->progress(o->progress_arg, "scanning memory", total, total);
	free(buf);
	if (!count) {
		why(r, "scan: no page of %s starts with the %llu bytes of %s",
		    o->kcore, (unsigned long long)want_len, o->fdt_name);
		return KHO_ENOENT;
	}
	r->method = KHO_LOCATE_SCAN;
	r->phys = best;
	r->count = count;
	return 0;
}

int kho_live_locate_fdt(struct kho_image *img, const struct kho_locate_opts *o,
			struct kho_locate_result *r)
{
	uint64_t want_len;
	uint8_t *buf;
	int rc = KHO_ENOENT;

	memset(r, 0, sizeof(*r));
	if (!img->fdt || img->fdt_len < 40 || !img->nsegs)
		return KHO_EINVAL;
	/* The debugfs copy may be a prefix: compare what it has, and no
	 * more than a page (the root FDT starts a page). */
	want_len = img->fdt_len < img->page_size ? img->fdt_len
						  : img->page_size;
	r->compared = want_len;
	buf = malloc(want_len);
	if (!buf)
		return KHO_ENOMEM;
	if (o->progress)
		o->progress(o->progress_arg, "locating the root FDT", 0, 0);
	if (o->kallsyms)
		rc = by_kallsyms(img, o, r, want_len, buf);
	if (rc == KHO_ENOENT && o->sopts)
		rc = by_blocks(img, o, r, want_len, buf);
	if (rc == KHO_ENOENT && !o->no_scan)
		rc = by_scan(img, o, r, want_len, buf);
	free(buf);
	return rc;
}
