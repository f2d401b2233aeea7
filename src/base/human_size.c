// SPDX-License-Identifier: GPL-2.0-or-later
/* Human-readable sizes: see human_size.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "human_size.h"

static const char *const units[] = { "B",   "KiB", "MiB", "GiB",
				     "TiB", "PiB", "EiB" };

/* The exact form; returns the number before the unit (whole part). */
static uint64_t exact(char *buf, size_t len, uint64_t bytes)
{
	static const char *const quarters[] = { "", ".25", ".5", ".75" };
	unsigned int i;

	for (i = 6; i > 0; i--) {
		uint64_t unit = (uint64_t)1 << (10 * i);
		uint64_t quarter = unit / 4;
		uint64_t rem = bytes % unit;

		if (bytes < unit || rem % quarter)
			continue;
		snprintf(buf, len, "%" PRIu64 "%s %s", bytes / unit,
			 quarters[rem / quarter], units[i]);
		return bytes / unit;
	}
	snprintf(buf, len, "%" PRIu64 " B", bytes);
	return bytes;
}

char *kho_human_size(char *buf, size_t len, uint64_t bytes)
{
	char num[40], *end;
	unsigned int i;

	if (!buf || len == 0)
		return buf;
	if (exact(buf, len, bytes) < KHO_HUMAN_EXACT_LIMIT)
		return buf;
	/* Approximate, in the largest unit not above the value. */
	for (i = 6; i > 0 && bytes < ((uint64_t)1 << (10 * i)); i--)
		;
	snprintf(num, sizeof(num), "%.2f",
		 (double)bytes / (double)((uint64_t)1 << (10 * i)));
	end = num + strlen(num);
	while (end[-1] == '0')
		*--end = '\0';
	if (end[-1] == '.')
		*--end = '\0';
	snprintf(buf, len, "~%s %s", num, units[i]);
	return buf;
}
