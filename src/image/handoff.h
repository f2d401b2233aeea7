/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The boot hand-off: the two words through which a kexec'd kernel learns
 * where the root KHO FDT and the scratch array are (kho-abi.md §1.4).
 *
 *  - x86: a boot_params page (boot_flag 0xAA55 at 0x1FE, "HdrS" at 0x202)
 *    whose hdr.setup_data (0x250) heads a chain of struct setup_data
 *    {u64 next; u32 type; u32 len; data[len]}; the node of type 10
 *    (SETUP_KEXEC_KHO) carries struct kho_data {fdt_addr, fdt_size,
 *    scratch_addr, scratch_size}, four little-endian u64.
 *  - device tree (arm64): the next kernel's DTB, whose /chosen carries
 *    linux,kho-fdt and linux,kho-scratch, each one <addr size> pair in the
 *    root's #address-cells/#size-cells.
 *
 * kho_handoff_locate() looks for either in an image's memory: for x86 it
 * searches the captured bytes for "HdrS" (boot_params at 16-byte
 * alignment), for a DTB it tests the FDT magic on every 4 KiB boundary;
 * it walks each candidate's chain (bounded, cycle-checked) and reads the
 * scratch array it names.  It only reads through the bounds-checked
 * accessor and never prints; what it sees is returned as facts, which the
 * decode session turns into the boot-handoff object and its findings
 * (session handoff_check.c).
 */
#ifndef KHO_HANDOFF_H
#define KHO_HANDOFF_H

#include <stdint.h>

struct kho_image;
struct kho_scratch_area;

enum kho_handoff_kind {
	KHO_HANDOFF_NONE = 0,
	KHO_HANDOFF_X86,  /* boot_params + setup_data type 10 */
	KHO_HANDOFF_DT,   /* DTB /chosen linux,kho-fdt / linux,kho-scratch */
};

/* Most setup_data nodes walked in one chain. */
#define KHO_HANDOFF_MAX_CHAIN 64
/* Most candidates (boot_params pages or DTBs) remembered. */
#define KHO_HANDOFF_MAX_CANDIDATES 16
/* Most boot_params signatures probed in one image. */
#define KHO_HANDOFF_MAX_PROBES 65536u
#define KHO_SETUP_KEXEC_KHO 10
#define KHO_DATA_SIZE 32

struct kho_handoff {
	enum kho_handoff_kind kind;
	uint64_t where;          /* the boot_params, or the DTB */
	uint64_t staged_for;     /* x86: where is a staged copy's
				  * destination (0: in place) */
	int scratch_unstaged;    /* staged, and the array at its destination
				  * reads as zeros: not copied there yet */
	uint64_t entry;          /* the type-10 setup_data node (x86) */
	uint32_t entry_len;      /* its len field */
	unsigned int candidates; /* places holding a KHO hand-off */
	int probes_capped;       /* KHO_HANDOFF_MAX_PROBES reached */
	uint64_t other[KHO_HANDOFF_MAX_CANDIDATES]; /* their addresses */

	/* x86 chain facts */
	unsigned int chain_nodes;  /* nodes walked */
	unsigned int kho_nodes;    /* nodes of type 10 */
	uint64_t chain_cycle;      /* node whose next closes a loop, or 0 */
	uint64_t chain_missing;    /* a next that is not captured, or 0 */
	int chain_too_long;        /* more than KHO_HANDOFF_MAX_CHAIN nodes */

	/* DT facts */
	unsigned int addr_cells, size_cells;
	int fdt_prop_len, scratch_prop_len; /* bytes; -1 absent */
	int props_ok;            /* both properties hold exactly one pair */

	/* what the hand-off says */
	uint64_t fdt_addr, fdt_size, scratch_addr, scratch_size;

	/* the scratch array read from memory */
	int scratch_captured;    /* the whole array is in the image */
	uint64_t scratch_count;  /* scratch_size / 16 */
	struct kho_scratch_area *areas; /* min(count, KHO_IMAGE_MAX_SCRATCH) */
	uint64_t nareas;

	/* --scan alongside (filled by the caller) */
	int scan_ran;
	uint64_t scan_count, scan_phys;
	int scan_agrees;         /* fdt_addr is one of the scan's candidates */
};

/*
 * Look for a boot hand-off in img.  Returns 0 (h->kind is
 * KHO_HANDOFF_NONE when there is none) or KHO_ENOMEM.  The areas array is
 * allocated with kho_image_alloc and lives as long as img.  When several
 * places hold one, the first whose fdt_addr holds a KHO root FDT is used
 * (else the first), and the others are listed in h->other.
 */
int kho_handoff_locate(struct kho_image *img, struct kho_handoff *h);

/* Scratch-area alignment of the target kernel for a page size (7.2). */
uint64_t kho_scratch_alignment(uint64_t page_size);

#endif
