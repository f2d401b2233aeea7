/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Locating the root FDT of a live source (kho_image_open_live: the debugfs
 * fdt, often a truncated prefix, plus the memory of /proc/kcore), without
 * reading all of memory.  The ways, cheapest first:
 *
 *   kallsyms  /proc/kallsyms names the kernel's static KHO state: in 7.2
 *             `kho_out` starts with the virtual address of the outgoing
 *             root FDT (`void *fdt`) and `kho_in` with the physical address
 *             of the incoming one (`phys_addr_t fdt_phys`).  The 8 bytes
 *             are read through kcore's own p_vaddr view; a direct-map
 *             pointer is turned into a physical address by the PT_LOAD
 *             that holds it (p_paddr).  Needs CONFIG_KALLSYMS_ALL and
 *             root (addresses read 0 otherwise).
 *   blocks    the preserved blocks of the memory map the debugfs copy names
 *             (the root FDT is a preserved page from kho-v2 on).
 *   scan      every page of memory, streamed through one bounded buffer.
 *
 * Every candidate is confirmed against the debugfs copy: its first bytes
 * (up to a page) must equal it, since debugfs shows a prefix of the real
 * tree.  Reads bypass the page cache, so memory use does not grow with the
 * size of the machine.  Nothing here prints: what was tried and why it was
 * not used comes back as text in the result.
 */
#ifndef KHO_LIVE_LOCATE_H
#define KHO_LIVE_LOCATE_H

#include <stdint.h>

#include "image/image.h"
#include "decode/session.h"

typedef void (*kho_progress_fn)(void *arg, const char *phase, uint64_t done,
				uint64_t total);

enum kho_locate_method {
	KHO_LOCATE_NONE = 0,
	KHO_LOCATE_KALLSYMS,
	KHO_LOCATE_BLOCKS,
	KHO_LOCATE_SCAN,
};

struct kho_locate_opts {
	const char *kallsyms;  /* kallsyms file, or NULL to skip that way */
	const char *kcore;     /* the core's name, for messages */
	const char *fdt_name;  /* the debugfs fdt's name, for messages */
	const char *direction; /* "out" (kho_out) or "in" (kho_in) */
	const struct kho_session_opts *sopts; /* NULL skips the blocks way */
	int no_scan;           /* stop before the full scan */
	kho_progress_fn progress;
	void *progress_arg;
};

#define KHO_LOCATE_MAX_WHY 4

struct kho_locate_result {
	enum kho_locate_method method;
	uint64_t phys;        /* the root FDT */
	uint64_t count;       /* scan/blocks: matching pages (lowest used) */
	char symbol[16];      /* kallsyms: "kho_out" or "kho_in" */
	uint64_t sym_vaddr;   /* kallsyms: its address */
	uint64_t compared;    /* bytes of the debugfs copy compared */
	/* Ways tried that failed, one sentence each, in order. */
	char why[KHO_LOCATE_MAX_WHY][320];
	unsigned int nwhy;
};

/*
 * Find the root FDT of img (opened by kho_image_open_live, root FDT still
 * the debugfs copy).  Returns 0 with r filled (the caller then calls
 * kho_image_use_fdt_phys), KHO_ENOENT when no way found it (r->why says
 * why), KHO_EINVAL when img has no debugfs copy or no memory, KHO_ENOMEM.
 */
int kho_live_locate_fdt(struct kho_image *img, const struct kho_locate_opts *o,
			struct kho_locate_result *r);

/* "kallsyms", "blocks", "scan", or "none". */
const char *kho_locate_method_name(enum kho_locate_method m);

#endif /* KHO_LIVE_LOCATE_H */
