/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Names the core and the plugins share: the kinds of objects the core
 * reads back (diff, compat check, consequence lookup) and the fields it
 * reads by name.  A plugin that creates such an object or field uses
 * these, so a rename is one edit that both sides see.
 */
#ifndef KHO_KINDS_H
#define KHO_KINDS_H

/* Object kinds. */
#define KHO_KIND_ROOT        "kho-root"
#define KHO_KIND_LUO_SESSION "luo-session"
#define KHO_KIND_LUO_FILE    "luo-file"
#define KHO_KIND_LUO_FLB     "luo-flb"
#define KHO_KIND_RESERVE_MEM "reserve-mem"

/* Fields. */
/* Bytes of one kho-v1 chunk bitmap, as the memory-map plugin read it. */
#define KHO_FIELD_BITMAP_BYTES "bitmap_bytes"

#endif
