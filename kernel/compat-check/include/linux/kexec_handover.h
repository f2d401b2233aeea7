/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat-check shim, used only by `make -C kernel check-build` against
 * kernel headers that predate KHO (Debian 12's 6.1).  It declares the part
 * of the target's <linux/kexec_handover.h> that kho_export uses, with the
 * target's signatures, and nothing else:
 *
 *   struct kho_scratch, kho_is_enabled()
 *       as in mainline include/linux/kexec_handover.h of the v6.19 era
 *       (kernel/liveupdate/ layout, kho_add_subtree(name, fdt)); identical
 *       since KHO was merged in v6.16 (e.g. torvalds/linux cb9f145f638d).
 *   kho_get_fdt_phys(), kho_get_scratch()
 *       as added by kernel/patches/0001-kho-export-the-root-FDT-address-
 *       and-scratch-areas.patch.
 *
 * The target declares these under CONFIG_KEXEC_HANDOVER, which the module
 * requires; they are declared unconditionally here.  No symbol is defined:
 * modpost reports all four as undefined, which check-build tolerates.
 */
#ifndef KHO_COMPAT_CHECK_KEXEC_HANDOVER_H
#define KHO_COMPAT_CHECK_KEXEC_HANDOVER_H

#include <linux/types.h>

struct kho_scratch {
	phys_addr_t addr;
	phys_addr_t size;
};

bool kho_is_enabled(void);

/* kernel/patches/0001 */
phys_addr_t kho_get_fdt_phys(bool incoming);
const struct kho_scratch *kho_get_scratch(unsigned int *cnt);

#endif
