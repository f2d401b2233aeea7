// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCI file-lifecycle-bound state "pci-v2" (kho-abi.md §8.4): struct pci_ser
 * {u32 max_nr_devices; u32 nr_devices;} followed by 8-byte pci_dev_ser
 * entries {u32 domain; u16 bdf; u16 refcount}.  Seen in linux-mm only; the
 * fixed layout is decoded and the counts are bounded.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kho/plugin.h"

#define PCI_HDR 8u
#define PCI_DEV_SZ 8u
#define PCI_ORDER_MAX 10u

static int pci_decode(struct kho_ctx *c, struct kho_obj *parent,
		      const struct kho_blob *blob)
{
	uint64_t phys = blob->phys, ps = kho_page_size(c), room, n, i, j;
	uint32_t max, nr;
	unsigned int order = 0;
	const uint8_t *p;
	const void *vp;
	uint8_t hdr[PCI_HDR];
	struct kho_obj *o;
	int rc;

	o = kho_obj_new(c, parent, "pci", "pci");
	if (!o)
		return KHO_ELIMIT;
	kho_compat(c, o, "pci-v2");
	kho_phys(c, o, phys, 0);
	kho_finding(c, o, KHO_SEV_NOTE, "pci.partial", phys,
		    "pci-v2 is a linux-mm FLB whose layout is not specified "
		    "in depth; only struct pci_ser is decoded");
	if (phys == 0) {
		kho_finding(c, o, KHO_SEV_ERROR, "pci.bad-pointer", 0,
			    "pci_ser pointer (luo_flb_ser.data) is 0");
		return 0;
	}
	/* The allocation size is not recorded: take it from the map. */
	if (kho_ops(c)->block_at(c, phys, &order) != 0 || order > PCI_ORDER_MAX)
		order = 0;
	kho_expect_block(c, o, "pci_ser", phys, order);
	room = ps << order;
	rc = kho_read(c, phys, hdr, sizeof(hdr));
	if (rc) {
		kho_finding(c, o,
			    rc == KHO_ENOTCAPTURED ? KHO_SEV_WARNING
						   : KHO_SEV_ERROR,
			    rc == KHO_ENOTCAPTURED ? "pci.not-captured"
						   : "pci.bad-pointer",
			    phys, "pci_ser at 0x%" PRIx64 " cannot be read (%s)",
			    phys,
			    rc == KHO_ENOTCAPTURED ? "not captured"
						   : "outside physical memory");
		return 0;
	}
	max = kho_get_u32(c, hdr);
	nr = kho_get_u32(c, hdr + 4);
	kho_u64(c, o, "max_nr_devices", max);
	kho_u64(c, o, "nr_devices", nr);
	n = nr;
	if (nr > max) {
		kho_finding(c, o, KHO_SEV_ERROR, "pci.nr-devices", phys,
			    "nr_devices %" PRIu32 " exceeds max_nr_devices %" PRIu32,
			    nr, max);
		n = max;
	}
	if (n > (room - PCI_HDR) / PCI_DEV_SZ) {
		kho_finding(c, o, KHO_SEV_ERROR, "pci.nr-devices", phys,
			    "%" PRIu64 " device%s not fit in the %" PRIu64
			    "-byte block holding pci_ser (at most %" PRIu64 ")",
			    n, n == 1 ? " does" : "s do", room,
			    (room - PCI_HDR) / PCI_DEV_SZ);
		n = (room - PCI_HDR) / PCI_DEV_SZ;
	}
	if (n == 0)
		return 0;
	rc = kho_map(c, phys + PCI_HDR, n * PCI_DEV_SZ, &vp);
	if (rc) {
		kho_finding(c, o, KHO_SEV_WARNING, "pci.not-captured", phys,
			    "pci_dev_ser entries at 0x%" PRIx64 " are not captured",
			    phys + PCI_HDR);
		return 0;
	}
	p = (const uint8_t *)vp;
	for (i = 0; i < n; i++) {
		const uint8_t *e = p + i * PCI_DEV_SZ;
		uint32_t dom = kho_get_u32(c, e);
		uint16_t bdf = kho_get_u16(c, e + 4);
		uint16_t refs = kho_get_u16(c, e + 6);
		char name[32];
		struct kho_obj *d;
		int dup = 0;

		for (j = 0; j < i && !dup; j++)
			dup = kho_get_u32(c, p + j * PCI_DEV_SZ) == dom &&
			      kho_get_u16(c, p + j * PCI_DEV_SZ + 4) == bdf;
		if (dup)
			snprintf(name, sizeof(name), "dev%" PRIu64, i);
		else
			snprintf(name, sizeof(name), "%04" PRIx32 ":%02x:%02x.%x",
				 dom, bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7);
		d = kho_obj_new(c, o, "pci-dev", name);
		if (!d)
			return KHO_ELIMIT;
		kho_phys(c, d, phys + PCI_HDR + i * PCI_DEV_SZ, PCI_DEV_SZ);
		kho_hex(c, d, "domain", dom);
		kho_hex(c, d, "bdf", bdf);
		kho_u64(c, d, "refcount", refs);
		if (dup)
			kho_finding(c, d, KHO_SEV_ERROR, "pci.duplicate",
				    phys + PCI_HDR + i * PCI_DEV_SZ,
				    "device %" PRIu64 " %04" PRIx32 ":%04" PRIx16
				    " appears twice", i, dom, bdf);
		if (refs == 0)
			kho_finding(c, d, KHO_SEV_WARNING, "pci.refcount",
				    phys + PCI_HDR + i * PCI_DEV_SZ,
				    "device %" PRIu64 " refcount is 0", i);
	}
	return 0;
}

static const char *const pci_compats[] = {"pci-v2", NULL};
static const char *const pci_nodes[] = {NULL};
static const char *const pci_checks[] = {
	"pci.bad-pointer", "pci.duplicate", "pci.not-captured",
	"pci.nr-devices", "pci.partial", "pci.refcount", NULL,
};

KHO_PLUGIN_DEFINE = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.name = "pci",
	.description = "PCI FLB state pci-v2 (struct pci_ser), partial decode",
	.role = KHO_ROLE_BLOB,
	.compats = pci_compats,
	.node_names = pci_nodes,
	.checks = pci_checks,
	.decode = pci_decode,
};
