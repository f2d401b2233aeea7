// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page size of a dump that does not state it (no KHO note, no
 * VMCOREINFO, a machine with more than one page size: a QEMU dump of an
 * arm64 guest): decode the whole handover once per possible size and keep
 * the one whose structures hold together.  A wrong size misreads the radix
 * tree (node and bitmap sizes, key bits) and every page-granular check
 * after it, so the true size is the one that decodes with no error.
 *
 * Deciding on a guess would turn the guess into a corruption report, so
 * two sizes that both decode cleanly leave the size unknown, and a dump
 * where no size decodes cleanly is decided only by a unique fewest-errors
 * size (a real corruption read at the true size stays small; misreads at
 * a wrong size are not).
 */
#include <stdio.h>

#include "page_probe.h"
#include "session_internal.h"

static const uint64_t probe_sizes[KHO_PROBE_SIZES] = { 4096, 16384, 65536 };

static int probe_one(struct kho_image *img, const struct kho_session_opts *o,
		     uint64_t ps, uint64_t *errors, char *err, size_t errlen)
{
	struct kho_ctx *c;
	struct kho_counts n;
	int rc;

	img->page_size = ps;
	if (!img->fdt_size_from_note)
		img->fdt_size = ps;
	rc = kho_session_run_as_is(img, o, &c, err, errlen);
	if (rc)
		return rc;
	kho_findings_counts(c, &n);
	*errors = n.total[KHO_SEV_ERROR];
	kho_session_free(c);
	return 0;
}

int kho_page_size_probe(struct kho_image *img,
			const struct kho_session_opts *o, char *err,
			size_t errlen)
{
	uint64_t best = UINT64_MAX;
	unsigned int i, nbest = 0, ibest = 0;
	int rc;

	if (img->page_size_source != KHO_PS_DEFAULT || !img->fdt ||
	    !img->fdt_phys || !img->nsegs)
		return 0;
	for (i = 0; i < KHO_PROBE_SIZES; i++) {
		img->page_size_errors[i] = UINT64_MAX;
		/* The root FDT is one page: it starts on a page boundary. */
		if (img->fdt_phys & (probe_sizes[i] - 1))
			continue;
		rc = probe_one(img, o, probe_sizes[i], &img->page_size_errors[i],
			       err, errlen);
		if (rc)
			return rc;
		if (img->page_size_errors[i] < best) {
			best = img->page_size_errors[i];
			nbest = 0;
		}
		if (img->page_size_errors[i] == best && !nbest++)
			ibest = i;
	}
	img->page_size = probe_sizes[ibest];
	img->page_size_source = nbest == 1 ? KHO_PS_STRUCTURE : KHO_PS_UNKNOWN;
	img->page_size_known = nbest == 1;
	if (!img->fdt_size_from_note)
		img->fdt_size = img->page_size;
	return 0;
}

static int describe(char *buf, size_t len, const struct kho_image *img)
{
	size_t used = 0;
	unsigned int i;
	int n;

	buf[0] = '\0';
	for (i = 0; i < KHO_PROBE_SIZES && used < len; i++) {
		uint64_t e = img->page_size_errors[i];

		if (e == UINT64_MAX)
			n = snprintf(buf + used, len - used,
				     "%s%llu KiB: the root FDT is not aligned to it",
				     used ? ", " : "",
				     (unsigned long long)(probe_sizes[i] >> 10));
		else
			n = snprintf(buf + used, len - used,
				     "%s%llu KiB: %llu error%s", used ? ", " : "",
				     (unsigned long long)(probe_sizes[i] >> 10),
				     (unsigned long long)e, e == 1 ? "" : "s");
		if (n < 0)
			return -1;
		used += (size_t)n;
	}
	return 0;
}

void kho_page_size_report(struct kho_ctx *c)
{
	const struct kho_image *img = c->img;
	char tried[256], cands[64];
	uint64_t best = UINT64_MAX;
	size_t used = 0;
	unsigned int i;

	if (img->page_size_source != KHO_PS_STRUCTURE &&
	    img->page_size_source != KHO_PS_UNKNOWN)
		return;
	describe(tried, sizeof(tried), img);
	if (img->page_size_source == KHO_PS_STRUCTURE) {
		kho_report_nophys(c, c->root, KHO_SEV_NOTE,
				  "image.page-size-structure",
				  "page size %llu decided from the structures: no note or machine states it (%s)",
				  (unsigned long long)img->page_size, tried);
		return;
	}
	for (i = 0; i < KHO_PROBE_SIZES; i++)
		if (img->page_size_errors[i] < best)
			best = img->page_size_errors[i];
	cands[0] = '\0';
	for (i = 0; i < KHO_PROBE_SIZES && used < sizeof(cands); i++)
		if (img->page_size_errors[i] == best)
			used += (size_t)snprintf(cands + used,
						 sizeof(cands) - used, "%s%llu",
						 used ? " and " : "",
						 (unsigned long long)probe_sizes[i]);
	kho_report_nophys(c, c->root, KHO_SEV_UNKNOWN, "image.page-size-unknown",
			  "page size unknown: %s fit the structures equally well (%s); decoded at %llu, pass --page-size to decide",
			  cands, tried, (unsigned long long)img->page_size);
}
