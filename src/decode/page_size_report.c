// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The finding that tells how the page size was decided when the image did
 * not state it (page_probe.c decided it before this session started), so
 * that a reader of the report knows the decode rests on the structures.
 */
#include <stdio.h>

#include "page_probe.h"
#include "session_internal.h"

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
				     (unsigned long long)(kho_probe_size(i) >> 10));
		else
			n = snprintf(buf + used, len - used,
				     "%s%llu KiB: %llu error%s", used ? ", " : "",
				     (unsigned long long)(kho_probe_size(i) >> 10),
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
						 (unsigned long long)kho_probe_size(i));
	kho_report_nophys(c, c->root, KHO_SEV_UNKNOWN, "image.page-size-unknown",
			  "page size unknown: %s fit the structures equally well (%s); decoded at %llu, pass --page-size to decide",
			  cands, tried, (unsigned long long)img->page_size);
}
