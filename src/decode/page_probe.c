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
		if (img->fdt_phys & (kho_probe_size(i) - 1))
			continue;
		rc = probe_one(img, o, kho_probe_size(i), &img->page_size_errors[i],
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
	img->page_size = kho_probe_size(ibest);
	img->page_size_source = nbest == 1 ? KHO_PS_STRUCTURE : KHO_PS_UNKNOWN;
	img->page_size_known = nbest == 1;
	if (!img->fdt_size_from_note)
		img->fdt_size = img->page_size;
	return 0;
}
