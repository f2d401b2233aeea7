// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The boot hand-off as the next kernel reads it (handoff.h): the
 * boot-handoff object, its scratch array, and their findings.  Severities
 * follow what linux 7.2.13 does with each defect (cited per check).
 *
 * Check ids, stable:
 *   handoff.setup-data-cycle     E  the setup_data chain loops
 *   handoff.setup-data-not-captured W (unknown) a chain node is not captured
 *   handoff.setup-data-long      W  more than 64 nodes; the rest not walked
 *   handoff.no-kho-entry         E  a chain with no type-10 node (cycle)
 *   handoff.kho-duplicate        W  several type-10 nodes; the last is used
 *   handoff.kho-len              W  the type-10 node's len is not 32
 *   handoff.fdt-size             W  fdt_size is not the page size
 *   handoff.dt-prop-size         E  a /chosen property is not one pair
 *   handoff.multiple             N  several places hold a hand-off
 *   handoff.probes-capped        W  more than 65536 boot_params signatures
 *   handoff.scan-mismatch        W  --scan finds a root FDT elsewhere
 *   scratch.not-captured         W (unknown) the array is not in the image
 *   scratch.staged               N  a staged hand-off's array is not at its
 *                                   destination yet (reads as zeros)
 *   scratch.empty                E  scratch_size holds no whole entry
 *   scratch.size-partial         W  scratch_size is not a multiple of 16
 *   scratch.too-many             W  more entries than we read (1024)
 *   scratch.few                  W  fewer than two areas
 *   scratch.zero-size            N  an area of size 0 (7.2 writes one)
 *   scratch.range                W  an area wraps or passes 2^52
 *   scratch.unaligned            W  addr or size not scratch-aligned
 *   scratch.no-lowmem            W  no area below 4 GiB
 *   scratch.overlap              W  two areas overlap
 *   scratch.array-outside        N  the array lies in no scratch area
 *   scratch.mismatch             W  the image's own scratch list differs
 * Overlap of preserved blocks with scratch is memmap.block-in-scratch and
 * root.in-scratch, which use the same areas.
 */
#include <stdio.h>
#include <string.h>

#include "image/handoff.h"
#include "session_internal.h"

#define LOWMEM_LIMIT 0x100000000ULL

static void chain_findings(struct kho_ctx *c, struct kho_obj *o,
			   const struct kho_handoff *h)
{
	/*
	 * arch/x86/kernel/setup.c:parse_setup_data follows next until 0
	 * with no bound and no cycle check: the next kernel loops forever
	 * in early boot.
	 */
	if (h->chain_cycle)
		kho_report(c, o, KHO_SEV_ERROR, "handoff.setup-data-cycle",
			   h->chain_cycle,
			   "setup_data chain of the boot_params at 0x%llx loops back at the node 0x%llx: the next kernel's parse_setup_data (arch/x86/kernel/setup.c) never ends",
			   (unsigned long long)h->where,
			   (unsigned long long)h->chain_cycle);
	if (h->chain_missing)
		kho_report(c, o, KHO_SEV_WARNING,
			   "handoff.setup-data-not-captured", h->chain_missing,
			   "setup_data node at 0x%llx is not captured; the rest of the chain cannot be read",
			   (unsigned long long)h->chain_missing);
	if (h->chain_too_long)
		kho_report_nophys(c, o, KHO_SEV_WARNING,
				  "handoff.setup-data-long",
				  "setup_data chain has more than %d nodes; the rest is not walked",
				  KHO_HANDOFF_MAX_CHAIN);
	if (!h->kho_nodes) {
		/* setup.c: without a type-10 node kho_populate never runs. */
		kho_report_nophys(c, o, KHO_SEV_ERROR, "handoff.no-kho-entry",
				  "no setup_data node of type %d (SETUP_KEXEC_KHO) in the walked chain: the next kernel does not revive KHO",
				  KHO_SETUP_KEXEC_KHO);
		return;
	}
	if (h->kho_nodes > 1)
		kho_report(c, o, KHO_SEV_WARNING, "handoff.kho-duplicate",
			   h->entry,
			   "%u setup_data nodes of type %d; each runs kho_populate (arch/x86/kernel/setup.c:add_kho) and the last, at 0x%llx, wins",
			   h->kho_nodes, KHO_SETUP_KEXEC_KHO,
			   (unsigned long long)h->entry);
	/* setup.c:add_kho maps len bytes but reads all 32 without a check. */
	if (h->entry_len != KHO_DATA_SIZE)
		kho_report(c, o, KHO_SEV_WARNING, "handoff.kho-len", h->entry,
			   "setup_data node 0x%llx of type %d has len %u, kho_data is %d bytes (add_kho reads %d bytes regardless)",
			   (unsigned long long)h->entry, KHO_SETUP_KEXEC_KHO,
			   h->entry_len, KHO_DATA_SIZE, KHO_DATA_SIZE);
}

static void dt_findings(struct kho_ctx *c, struct kho_obj *o,
			const struct kho_handoff *h)
{
	if (h->props_ok)
		return;
	/*
	 * drivers/of/fdt.c:early_init_dt_check_kho takes each property only
	 * when of_flat_dt_get_addr_size finds exactly one <addr size> pair;
	 * otherwise kho_populate is never called.
	 */
	kho_report(c, o, KHO_SEV_ERROR, "handoff.dt-prop-size", h->where,
		   "/chosen linux,kho-fdt is %d bytes and linux,kho-scratch %d bytes; with #address-cells %u and #size-cells %u the next kernel wants exactly %u each and otherwise ignores the hand-off (drivers/of/fdt.c:early_init_dt_check_kho)",
		   h->fdt_prop_len, h->scratch_prop_len, h->addr_cells,
		   h->size_cells, 4 * (h->addr_cells + h->size_cells));
}

static int in_area(const struct kho_scratch_area *a, uint64_t n,
		   uint64_t phys, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if (a[i].size && phys >= a[i].addr &&
		    phys - a[i].addr < a[i].size &&
		    len <= a[i].size - (phys - a[i].addr))
			return 1;
	return 0;
}

static void area_objects(struct kho_ctx *c, struct kho_obj *arr,
			 const struct kho_handoff *h)
{
	uint64_t i;
	char name[32];

	for (i = 0; i < h->nareas; i++) {
		struct kho_obj *a;

		snprintf(name, sizeof(name), "area[%llu]", (unsigned long long)i);
		a = kho_obj_create(c, arr, "scratch-area", name);
		if (!a)
			return;
		kho_obj_set_phys(a, h->areas[i].addr, h->areas[i].size);
		kho_obj_field(a, "addr", KHO_F_HEX, h->areas[i].addr, NULL);
		kho_obj_field(a, "size", KHO_F_SIZE, h->areas[i].size, NULL);
	}
}

static void area_findings(struct kho_ctx *c, struct kho_obj *arr,
			  const struct kho_handoff *h)
{
	const struct kho_scratch_area *a = h->areas;
	uint64_t align = kho_scratch_alignment(c->img->page_size);
	uint64_t i, j, n = h->nareas;
	int lowmem = 0;

	/*
	 * 7.2 writes one low-memory area, one global area and one per node
	 * with memory (kexec_handover.c:kho_reserve_scratch), so at least
	 * three; the receiver takes any count (kho_populate).
	 */
	if (n < 2)
		kho_report(c, arr, KHO_SEV_WARNING, "scratch.few",
			   h->scratch_addr,
			   "the scratch array holds %llu area%s; a 7.2 kernel writes at least a low-memory and a global area",
			   (unsigned long long)n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		uint64_t end = a[i].addr + a[i].size;

		if (!a[i].size) {
			/*
			 * memblock_add of 0 bytes adds nothing; 7.2 itself
			 * writes a 0-byte global area when its scaled size
			 * rounds to 0 (seen in make vmtest).
			 */
			kho_report(c, arr, KHO_SEV_NOTE, "scratch.zero-size",
				   a[i].addr,
				   "scratch area %llu at 0x%llx has size 0",
				   (unsigned long long)i,
				   (unsigned long long)a[i].addr);
			continue;
		}
		if (a[i].addr >= KHO_PHYS_LIMIT || end < a[i].addr ||
		    end > KHO_PHYS_LIMIT) {
			/* memblock_add clips at the top of phys_addr_t. */
			kho_report(c, arr, KHO_SEV_WARNING, "scratch.range",
				   a[i].addr < KHO_PHYS_LIMIT ? a[i].addr : 0,
				   "scratch area %llu (0x%llx, size 0x%llx) runs past the physical-address limit",
				   (unsigned long long)i,
				   (unsigned long long)a[i].addr,
				   (unsigned long long)a[i].size);
			continue;
		}
		/*
		 * kexec_handover.c SCRATCH_ALIGNMENT_BYTES: unaligned scratch
		 * lets the buddy allocator look at struct pages that deferred
		 * init has not set up (a crash, per the comment there); 7.2
		 * allocates and sizes every area to it and never checks.
		 */
		if ((a[i].addr | a[i].size) & (align - 1))
			kho_report(c, arr, KHO_SEV_WARNING, "scratch.unaligned",
				   a[i].addr,
				   "scratch area %llu (0x%llx, size 0x%llx) is not aligned to 0x%llx (PAGE_SIZE << MAX_PAGE_ORDER); the next kernel does not check, and its buddy allocator may touch uninitialised struct pages",
				   (unsigned long long)i,
				   (unsigned long long)a[i].addr,
				   (unsigned long long)a[i].size,
				   (unsigned long long)align);
		if (end <= LOWMEM_LIMIT)
			lowmem = 1;
		for (j = 0; j < i; j++)
			if (a[j].size && a[i].addr < a[j].addr + a[j].size &&
			    a[j].addr < end)
				kho_report(c, arr, KHO_SEV_WARNING,
					   "scratch.overlap", a[i].addr,
					   "scratch areas %llu and %llu overlap",
					   (unsigned long long)j,
					   (unsigned long long)i);
	}
	/*
	 * kho_reserve_scratch puts area 0 below ARCH_LOW_ADDRESS_LIMIT (4 GiB
	 * on x86) for the next kernel's low-memory allocations, which are
	 * served from scratch only until the memory map is read.
	 */
	if (n && !lowmem)
		kho_report(c, arr, KHO_SEV_WARNING, "scratch.no-lowmem",
			   h->scratch_addr,
			   "no scratch area lies below 4 GiB: the next kernel's early low-memory allocations (memblock scratch-only, kexec_handover.c:kho_populate) have nowhere to go");
	/* kho_fill_kimage places the array in a kexec segment in scratch. */
	if (n && !in_area(a, n, h->scratch_addr, h->scratch_size))
		kho_report(c, arr, KHO_SEV_NOTE, "scratch.array-outside",
			   h->scratch_addr,
			   "the scratch array at 0x%llx lies in none of the scratch areas it lists (7.2 loads it into one)",
			   (unsigned long long)h->scratch_addr);
}

/* The image's own scratch list (notes, debugfs) against the hand-off's. */
static void cross_check(struct kho_ctx *c, struct kho_obj *arr,
			const struct kho_handoff *h)
{
	const struct kho_image *img = c->img;
	uint64_t i;

	if (!img->nscratch || img->scratch == h->areas)
		return;
	if (img->nscratch == h->nareas) {
		for (i = 0; i < h->nareas; i++)
			if (img->scratch[i].addr != h->areas[i].addr ||
			    img->scratch[i].size != h->areas[i].size)
				break;
		if (i == h->nareas)
			return;
	}
	kho_report(c, arr, KHO_SEV_WARNING, "scratch.mismatch", h->scratch_addr,
		   "the scratch array in memory (%llu areas) differs from the image's own scratch list (%zu areas); the next kernel uses the one in memory",
		   (unsigned long long)h->nareas, img->nscratch);
}

static void scratch_array(struct kho_ctx *c, struct kho_obj *o,
			  const struct kho_handoff *h)
{
	struct kho_obj *arr = kho_obj_create(c, o, "scratch-array", "scratch");

	if (!arr)
		return;
	if (h->scratch_addr && h->scratch_size)
		kho_obj_set_phys(arr, h->scratch_addr, h->scratch_size);
	kho_obj_field(arr, "addr", KHO_F_HEX, h->scratch_addr, NULL);
	kho_obj_field(arr, "size", KHO_F_SIZE, h->scratch_size, NULL);
	kho_obj_field(arr, "areas", KHO_F_U64, h->scratch_count, NULL);
	/*
	 * kho_populate: scratch_cnt = scratch_len / 16; with none, memblock
	 * is still switched to scratch-only and early allocations fail.
	 */
	if (!h->scratch_count) {
		kho_report(c, arr, KHO_SEV_ERROR, "scratch.empty",
			   h->scratch_addr,
			   "scratch_size %llu holds no 16-byte scratch entry: the next kernel restricts early allocations to scratch (kexec_handover.c:kho_populate) and has none",
			   (unsigned long long)h->scratch_size);
		return;
	}
	if (h->scratch_size % 16)
		kho_report(c, arr, KHO_SEV_WARNING, "scratch.size-partial",
			   h->scratch_addr,
			   "scratch_size %llu is not a multiple of 16; the next kernel ignores the last %llu bytes",
			   (unsigned long long)h->scratch_size,
			   (unsigned long long)(h->scratch_size % 16));
	if (!h->scratch_captured) {
		kho_report(c, arr, KHO_SEV_WARNING, "scratch.not-captured",
			   h->scratch_addr < KHO_PHYS_LIMIT ? h->scratch_addr : 0,
			   "the scratch array (0x%llx, %llu bytes) is not captured in the image",
			   (unsigned long long)h->scratch_addr,
			   (unsigned long long)h->scratch_size);
		return;
	}
	/*
	 * Not a defect of the hand-off, only of the moment of the dump: a
	 * note, so the rest of the verdict stands.
	 */
	if (h->scratch_unstaged && !h->staged_for) {
		kho_report(c, arr, KHO_SEV_NOTE, "scratch.staged",
			   h->scratch_addr,
			   "the scratch array at 0x%llx reads as zeros: at machine_kexec it is a kexec segment, copied to its destination only when the kexec runs",
			   (unsigned long long)h->scratch_addr);
		return;
	}
	if (h->scratch_unstaged) {
		kho_report(c, arr, KHO_SEV_NOTE, "scratch.staged",
			   h->scratch_addr,
			   "the scratch array at 0x%llx reads as zeros: the boot_params are kexec's staged copy for 0x%llx, and the array, a kexec segment too, is copied to its destination only when the kexec runs",
			   (unsigned long long)h->scratch_addr,
			   (unsigned long long)h->staged_for);
		return;
	}
	if (h->scratch_count > h->nareas)
		kho_report(c, arr, KHO_SEV_WARNING, "scratch.too-many",
			   h->scratch_addr,
			   "the scratch array lists %llu areas; only the first %llu are checked",
			   (unsigned long long)h->scratch_count,
			   (unsigned long long)h->nareas);
	area_objects(c, arr, h);
	area_findings(c, arr, h);
	cross_check(c, arr, h);
}

void kho_handoff_report(struct kho_ctx *c)
{
	const struct kho_handoff *h = c->img->handoff;
	struct kho_obj *o;
	int x86;
	unsigned int i;

	if (!h)
		return;
	x86 = h->kind == KHO_HANDOFF_X86;
	o = kho_obj_create(c, c->root, "boot-handoff",
			   x86 ? "setup_data" : "chosen");
	if (!o)
		return;
	kho_obj_field(o, "method", KHO_F_STR, 0,
		      x86 ? "x86 boot_params setup_data type 10" :
			    "devicetree /chosen linux,kho-fdt");
	kho_obj_field(o, x86 ? "boot_params" : "dtb", KHO_F_HEX, h->where,
		      NULL);
	if (x86) {
		if (h->staged_for)
			kho_obj_field(o, "staged_for", KHO_F_HEX, h->staged_for,
				      NULL);
		kho_obj_field(o, "setup_data_nodes", KHO_F_U64, h->chain_nodes,
			      NULL);
		if (h->entry)
			kho_obj_field(o, "kho_node", KHO_F_HEX, h->entry, NULL);
	}
	kho_obj_field(o, "candidates", KHO_F_U64, h->candidates, NULL);
	if (x86)
		chain_findings(c, o, h);
	else
		dt_findings(c, o, h);
	if (h->candidates > 1) {
		char list[200] = "";
		size_t n = 0;

		for (i = 0; i < h->candidates && i < KHO_HANDOFF_MAX_CANDIDATES &&
			    n < sizeof(list) - 24; i++)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s0x%llx",
					      i ? ", " : "",
					      (unsigned long long)h->other[i]);
		kho_report(c, o, KHO_SEV_NOTE, "handoff.multiple", h->where,
			   "%u places hold a KHO boot hand-off (%s); using 0x%llx",
			   h->candidates, list, (unsigned long long)h->where);
	}
	if (h->probes_capped)
		kho_report_nophys(c, o, KHO_SEV_WARNING, "handoff.probes-capped",
				  "more than %u boot_params signatures in the image; the rest were not looked at",
				  KHO_HANDOFF_MAX_PROBES);
	if (x86 ? !h->kho_nodes : !h->props_ok)
		return;
	kho_obj_field(o, "fdt_addr", KHO_F_HEX, h->fdt_addr, NULL);
	kho_obj_field(o, "fdt_size", KHO_F_SIZE, h->fdt_size, NULL);
	kho_obj_field(o, "scratch_addr", KHO_F_HEX, h->scratch_addr, NULL);
	kho_obj_field(o, "scratch_size", KHO_F_SIZE, h->scratch_size, NULL);
	/*
	 * kho_populate maps fdt_len bytes and checks only the FDT header;
	 * 7.2's loaders always pass PAGE_SIZE (kexec-bzimage64.c:setup_kho,
	 * drivers/of/kexec.c:kho_add_chosen).
	 */
	if (h->fdt_size != c->img->page_size)
		kho_report(c, o, KHO_SEV_WARNING, "handoff.fdt-size",
			   h->fdt_addr < KHO_PHYS_LIMIT ? h->fdt_addr : 0,
			   "fdt_size is 0x%llx; the kernel passes the page size 0x%llx",
			   (unsigned long long)h->fdt_size,
			   (unsigned long long)c->img->page_size);
	if (h->scan_ran && h->scan_count && !h->scan_agrees)
		kho_report(c, o, KHO_SEV_WARNING, "handoff.scan-mismatch",
			   h->scan_phys,
			   "the boot hand-off names the root FDT 0x%llx, but --scan finds %llu KHO root FDT page%s, the lowest at 0x%llx, and not that one; the hand-off is what the next kernel reads and is used",
			   (unsigned long long)h->fdt_addr,
			   (unsigned long long)h->scan_count,
			   h->scan_count == 1 ? "" : "s",
			   (unsigned long long)h->scan_phys);
	if (h->scan_ran && h->scan_count && h->scan_agrees)
		kho_obj_field(o, "scan_agrees", KHO_F_BOOL, 1, NULL);
	scratch_array(c, o, h);
}
