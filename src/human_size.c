// SPDX-License-Identifier: GPL-2.0-or-later
/* Exact human-readable sizes: see human_size.h. */
#include <inttypes.h>
#include <stdio.h>

#include "human_size.h"

char *kho_human_size(char *buf, size_t len, uint64_t bytes)
{
	static const char *const units[] = { "B",   "KiB", "MiB", "GiB",
					     "TiB", "PiB", "EiB" };
	static const char *const quarters[] = { "", ".25", ".5", ".75" };
	unsigned int i;

	if (!buf || len == 0)
		return buf;
	for (i = 6; i > 0; i--) {
		uint64_t unit = (uint64_t)1 << (10 * i);
		uint64_t quarter = unit / 4;
		uint64_t rem = bytes % unit;

		if (bytes < unit || rem % quarter)
			continue;
		snprintf(buf, len, "%" PRIu64 "%s %s", bytes / unit,
			 quarters[rem / quarter], units[i]);
		return buf;
	}
	snprintf(buf, len, "%" PRIu64 " B", bytes);
	return buf;
}
