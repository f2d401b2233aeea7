/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat-check shim: <linux/unaligned.h> appeared in v6.12 (it replaced
 * <asm/unaligned.h>, which is where 6.1 keeps get_unaligned*()).  Used only
 * by `make -C kernel check-build`.
 */
#ifndef KHO_COMPAT_CHECK_UNALIGNED_H
#define KHO_COMPAT_CHECK_UNALIGNED_H
#include <asm/unaligned.h>
#endif
