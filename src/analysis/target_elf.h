/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Target tables from a kernel image held in memory: an uncompressed vmlinux
 * (ELF, read with libelf) or a raw kernel image (e.g. an arm64 Image after
 * decompression).  Nothing here prints.
 *
 * vmlinux: the section .liveupdate_versions is used when present (LVUP
 * header, 48-byte strings); names from .liveupdate_features are added;
 * compat families that neither section mentions are inferred from the
 * NUL-terminated strings of every section loaded with the kernel
 * (.rodata, .data, .init.data, ...; all of them when there is no
 * .liveupdate_versions), and the table says so.  A vmlinux and the ELF
 * inside its bzImage give the same table.
 */
#ifndef KHO_TARGET_ELF_H
#define KHO_TARGET_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "target_table.h"

/* Whether buf starts with the ELF magic. */
int kho_target_is_elf(const uint8_t *buf, size_t len);
/* e_type of an ELF in buf (ET_EXEC, ET_CORE, ...), or KHO_EFORMAT. */
int kho_target_elf_type(const uint8_t *buf, size_t len);

/*
 * Fill t from the vmlinux in buf (which must stay writable and alive for
 * the call only).  `what` labels origins.  Returns the number of entries
 * added (>= 0), or KHO_EFORMAT / KHO_ENOMEM with a reason in err.
 */
int kho_target_from_elf(struct kho_target_table *t, const uint8_t *buf,
			size_t len, const struct kho_families *f, char *err,
			size_t errlen);

/*
 * Fill t from a raw kernel image: an LVUP header found by its magic (either
 * byte order, 4-byte aligned) is read leniently; families it lacks are
 * inferred from every string of the image.
 */
int kho_target_from_raw(struct kho_target_table *t, const uint8_t *buf,
			size_t len, const struct kho_families *f, char *err,
			size_t errlen);

#endif /* KHO_TARGET_ELF_H */
