/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Byte counts for people: binary units, always exact.
 *
 * The largest unit (B, KiB, MiB, GiB, TiB, PiB, EiB) is chosen in which the
 * value is a whole number or has a fraction of .25, .5 or .75; the result
 * never rounds.  1536 -> "1.5 KiB", 65536 -> "64 KiB", 2097152 -> "2 MiB",
 * 1025 -> "1025 B", 1049600 -> "1025 KiB".
 */
#ifndef KHO_HUMAN_SIZE_H
#define KHO_HUMAN_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* Enough for "18446744073709551615 B". */
#define KHO_HUMAN_SIZE_MAX 32

/* Format bytes into buf (len bytes, KHO_HUMAN_SIZE_MAX is always enough). */
char *kho_human_size(char *buf, size_t len, uint64_t bytes);

#endif /* KHO_HUMAN_SIZE_H */
