/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page size from the structures, for dumps that do not state it
 * (page_probe.c).  Part of the decode engine: it runs whole sessions.
 */
#ifndef KHO_PAGE_PROBE_H
#define KHO_PAGE_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "session.h"

#define KHO_PROBE_SIZES 3

/* The sizes tried, smallest first: 4, 16 and 64 KiB. */
static inline uint64_t kho_probe_size(unsigned int i)
{
	return UINT64_C(4096) << (2 * i);
}

/*
 * When img->page_size_source is KHO_PS_DEFAULT and the image holds memory
 * and a root FDT: decode at 4, 16 and 64 KiB and set img->page_size,
 * page_size_source (STRUCTURE or UNKNOWN) and
 * page_size_errors.  Returns 0, or <0 with err filled when a decode could
 * not run (out of memory, plugins).
 */
int kho_page_size_probe(struct kho_image *img,
			const struct kho_session_opts *o, char *err,
			size_t errlen);
/* page_size_report.c: the finding that says how the probe decided, on
 * the session's root. */
void kho_page_size_report(struct kho_ctx *c);

#endif
