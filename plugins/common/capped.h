/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Findings capped per check id.
 *
 * A hostile or corrupt memory map can break the same invariant millions of
 * times.  The memory-map decoders (memmap_v1.c, radix.c) therefore report
 * the first `cap` findings of each check id individually, count the rest,
 * and end with one entry per check id that went over the cap saying how
 * many there were in all; that entry stands for the unlisted ones in the
 * summary's totals (kho_unlisted).  Both must word and count that the same way, so the
 * counting and the closing notes live here; each decoder keeps only a thin
 * printf-style wrapper that names its own counters and check ids.
 *
 * Header-only because every plugin is its own shared object and may depend on
 * nothing but the plugin API (include/kho/plugin.h).
 */
#ifndef KHO_PLUGINS_COMMON_CAPPED_H
#define KHO_PLUGINS_COMMON_CAPPED_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>

#include "kho/plugin.h"

/*
 * Count one finding in *count; emit it only while the count is below cap.
 * *sev_seen keeps the worst severity among the findings of this id (for
 * the closing entry).
 */
static inline void capped_vfinding(struct kho_ctx *c, struct kho_obj *o,
				   uint64_t *count, int *sev_seen, int cap,
				   enum kho_severity sev, const char *check,
				   uint64_t phys, const char *fmt, va_list ap)
{
	static const int rank[KHO_SEV_COUNT] = { 0, 1, 3, 2 };

	if ((unsigned int)sev < KHO_SEV_COUNT &&
	    (!*count || rank[sev] > rank[*sev_seen]))
		*sev_seen = (int)sev;
	if ((*count)++ >= (uint64_t)cap)
		return;
	kho_ops(c)->vfinding(c, o, sev, check, phys, fmt, ap);
}

/*
 * For each of the first n check ids whose count went over cap (NULL
 * entries, which end a plugin's own .checks list, are skipped), one entry
 * under that check id that stands for the findings not listed (host op
 * vunlisted), giving the total, so that summaries count every one.
 */
static inline void capped_summary(struct kho_ctx *c, struct kho_obj *o,
				  const uint64_t *count, const int *sev,
				  const char *const *checks, unsigned int n,
				  int cap)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (checks[i] && count[i] > (uint64_t)cap)
			kho_unlisted(c, o, (enum kho_severity)sev[i], checks[i],
				     count[i] - (uint64_t)cap,
				     "%" PRIu64 " %s findings in all; only the first %d are listed",
				     count[i], checks[i], cap);
}

#endif /* KHO_PLUGINS_COMMON_CAPPED_H */
