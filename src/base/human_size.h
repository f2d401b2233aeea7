/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Byte counts for people: binary units, exact when that is readable.
 *
 * The largest unit (B, KiB, MiB, GiB, TiB, PiB, EiB) is chosen in which the
 * value is a whole number or has a fraction of .25, .5 or .75:
 * 1536 -> "1.5 KiB", 65536 -> "64 KiB", 2097152 -> "2 MiB", 1025 -> "1025 B",
 * 1049600 -> "1025 KiB".  When that number would have five digits or more
 * (1 TiB + 8 MiB would be "1073750016 KiB"), the value is shown rounded to
 * two decimals in the largest unit not above it, marked with '~', trailing
 * zeros dropped: "~1.01 TiB", "~9.77 KiB", "~16 EiB".  Callers that need the
 * exact count print the bytes beside it.
 */
#ifndef KHO_HUMAN_SIZE_H
#define KHO_HUMAN_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* Exact forms up to this number (exclusive) before the unit. */
#define KHO_HUMAN_EXACT_LIMIT 10000

/* Enough for "18446744073709551615 B" (an exact form before it is cut). */
#define KHO_HUMAN_SIZE_MAX 32

/* Format bytes into buf (len bytes, KHO_HUMAN_SIZE_MAX is always enough). */
char *kho_human_size(char *buf, size_t len, uint64_t bytes);

#endif /* KHO_HUMAN_SIZE_H */
