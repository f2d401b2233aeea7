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
	uint64_t unit, whole, hundredths;
	unsigned int i;
	char frac[4] = "";

	if (!buf || len == 0)
		return buf;
	if (exact(buf, len, bytes) < KHO_HUMAN_EXACT_LIMIT)
		return buf;
	/* Approximate, in the largest unit not above the value. */
	for (i = 6; i > 0 && bytes < ((uint64_t)1 << (10 * i)); i--)
		;
	unit = (uint64_t)1 << (10 * i);
	whole = bytes / unit;
	/* (bytes % unit) * 100 could overflow: scale the remainder first. */
	hundredths = ((bytes % unit) >> (10 * i > 16 ? 10 * i - 16 : 0)) * 100 +
		     ((uint64_t)1 << (10 * i > 16 ? 15 : 10 * i - 1));
	hundredths >>= 10 * i > 16 ? 16 : 10 * i;
	if (hundredths >= 100) {
		whole++;
		hundredths -= 100;
	}
	if (hundredths % 10)
		snprintf(frac, sizeof(frac), ".%02u", (unsigned int)hundredths);
	else if (hundredths)
		snprintf(frac, sizeof(frac), ".%u", (unsigned int)(hundredths / 10));
	snprintf(buf, len, "~%" PRIu64 "%s %s", whole, frac, units[i]);
	return buf;
}
