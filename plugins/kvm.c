// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * KVM LUO file handlers seen in linux-mm (kho-abi.md §8.4):
 * "kvm_vm_luo_v1" (struct kvm_luo_ser) and "guest_memfd_luo_v1" (struct
 * guest_memfd_luo_ser).  Their layouts are not specified in depth, so only
 * the fixed fields and the embedded vmalloc preservation are decoded.
 */
#include <inttypes.h>
#include <string.h>

#include "kho/plugin.h"

/* kvm_luo_ser: type, nr_mem_attrs, mem_attrs (struct kho_vmalloc). */
#define KVM_SER_SZ 32u
#define KVM_MEM_ATTRS 16u
/* guest_memfd_luo_ser: size, flags, nr_folios, vm_token, folios. */
#define GMEM_SER_SZ 48u
#define GMEM_FOLIOS 32u
#define GMEM_FOLIO_SZ 16u

static int kvm_read(struct kho_ctx *c, struct kho_obj *o, const char *what,
		    uint64_t phys, uint8_t *buf, uint64_t len)
{
	int rc;

	if (phys == 0) {
		kho_finding(c, o, KHO_SEV_ERROR, "kvm.bad-pointer", 0,
			    "%s pointer (luo_file_ser.data) is 0", what);
		return KHO_EINVAL;
	}
	kho_expect_block(c, o, what, phys, 0);
	rc = kho_read(c, phys, buf, len);
	if (rc == KHO_ENOTCAPTURED)
		kho_finding(c, o, KHO_SEV_WARNING, "kvm.not-captured", phys,
			    "%s at 0x%" PRIx64 " (%" PRIu64 " bytes) is not captured",
			    what, phys, len);
	else if (rc)
		kho_finding(c, o, KHO_SEV_ERROR, "kvm.bad-pointer", phys,
			    "%s at 0x%" PRIx64 " (%" PRIu64
			    " bytes) is outside physical memory",
			    what, phys, len);
	return rc;
}

static int desc_is_zero(const uint8_t *d)
{
	int i;

	for (i = 0; i < 16; i++)
		if (d[i])
			return 0;
	return 1;
}

static void kvm_vm(struct kho_ctx *c, struct kho_obj *o, uint64_t phys)
{
	uint8_t b[KVM_SER_SZ];
	uint64_t nr;
	struct kho_vmalloc_area a;

	if (kvm_read(c, o, "kvm_luo_ser", phys, b, sizeof(b)))
		return;
	nr = kho_get_u64(c, b + 8);
	kho_u64(c, o, "type", kho_get_u64(c, b));
	kho_u64(c, o, "nr_mem_attrs", nr);
	if (desc_is_zero(b + KVM_MEM_ATTRS)) {
		if (nr)
			kho_finding(c, o, KHO_SEV_ERROR, "kvm.descriptor", phys,
				    "nr_mem_attrs is %" PRIu64
				    " but the mem_attrs descriptor is all zero",
				    nr);
		return;
	}
	memset(&a, 0, sizeof(a));
	kho_vmalloc(c, o, "mem_attrs", phys + KVM_MEM_ATTRS, b + KVM_MEM_ATTRS,
		    &a);
}

/*
 * Attribute the folios of a guest_memfd: entries are memfd-like
 * {pfn:52 | flags:12, index}; each pfn must start a preserved block.
 * As for memfd, a big-endian GCC allocates the pfn bit-field from the most
 * significant bit, so there the pfn is the word's top 52 bits.
 */
static void kvm_gmem_folios(struct kho_ctx *c, struct kho_obj *o,
			    const struct kho_vmalloc_area *a, uint64_t nr)
{
	uint64_t ps = kho_page_size(c), per = ps / GMEM_FOLIO_SZ, pg, j;
	uint64_t bad = 0, pages = 0;
	unsigned int shift = 0, order;

	while ((UINT64_C(1) << shift) < ps)
		shift++;
	if (a->runs && a->order <= 20)
		pages = a->nr_runs << a->order;
	if (pages > a->total_pages)
		pages = a->total_pages;
	for (pg = 0; pg < pages && pg * per < nr; pg++) {
		uint64_t phys = a->runs[pg >> a->order] +
				((pg & ((UINT64_C(1) << a->order) - 1)) << shift);
		uint64_t cnt = nr - pg * per < per ? nr - pg * per : per;
		const void *vp;
		const uint8_t *p;

		if (kho_map(c, phys, ps, &vp))
			continue;
		p = (const uint8_t *)vp;
		for (j = 0; j < cnt; j++) {
			uint64_t w = kho_get_u64(c, p + j * GMEM_FOLIO_SZ);
			uint64_t pfn = kho_ops(c)->big_endian(c) ? w >> 12
								 : w & ((UINT64_C(1) << 52) - 1);

			if (!pfn || pfn > (UINT64_MAX >> shift))
				continue;
			if (kho_ops(c)->block_at(c, pfn << shift, &order) == 0 &&
			    order <= 40) {
				kho_expect_block(c, o, "guest_memfd folio",
						 pfn << shift, order);
			} else if (bad++ < 100) {
				kho_finding(c, o, KHO_SEV_ERROR,
					    "kvm.folio-unpreserved",
					    phys + j * GMEM_FOLIO_SZ,
					    "guest_memfd folio %" PRIu64 " at 0x%" PRIx64
					    " is not a preserved block",
					    pg * per + j, pfn << shift);
			}
		}
	}
	if (bad > 100)
		kho_unlisted(c, o, KHO_SEV_ERROR, "kvm.folio-unpreserved",
			     bad - 100,
			     "...and %" PRIu64 " more kvm.folio-unpreserved findings",
			     bad - 100);
}

static void kvm_gmem(struct kho_ctx *c, struct kho_obj *o, uint64_t phys)
{
	uint8_t b[GMEM_SER_SZ];
	uint64_t nr, ps = kho_page_size(c);
	uint32_t total;
	struct kho_vmalloc_area a;

	if (kvm_read(c, o, "guest_memfd_luo_ser", phys, b, sizeof(b)))
		return;
	nr = kho_get_u64(c, b + 16);
	kho_size(c, o, "size", kho_get_u64(c, b));
	kho_hex(c, o, "flags", kho_get_u64(c, b + 8));
	kho_u64(c, o, "nr_folios", nr);
	kho_u64(c, o, "vm_token", kho_get_u64(c, b + 24));
	if (desc_is_zero(b + GMEM_FOLIOS)) {
		if (nr)
			kho_finding(c, o, KHO_SEV_ERROR, "kvm.descriptor", phys,
				    "nr_folios is %" PRIu64
				    " but the folios descriptor is all zero",
				    nr);
		return;
	}
	total = kho_get_u32(c, b + GMEM_FOLIOS + 8);
	if (ps && (nr > (UINT64_MAX - ps) / GMEM_FOLIO_SZ ||
		   (nr * GMEM_FOLIO_SZ + ps - 1) / ps != total))
		kho_finding(c, o, KHO_SEV_ERROR, "kvm.descriptor",
			    phys + GMEM_FOLIOS,
			    "folios.total_pages is %" PRIu32
			    ", expected ceil(nr_folios %" PRIu64 " * 16 / PAGE_SIZE)",
			    total, nr);
	memset(&a, 0, sizeof(a));
	kho_vmalloc(c, o, "folios", phys + GMEM_FOLIOS, b + GMEM_FOLIOS, &a);
	kvm_gmem_folios(c, o, &a, nr);
}

static int kvm_decode(struct kho_ctx *c, struct kho_obj *parent,
		      const struct kho_blob *blob)
{
	int vm = blob->compat && !strcmp(blob->compat, "kvm_vm_luo_v1");
	struct kho_obj *o;

	o = kho_obj_new(c, parent, vm ? "kvm-vm" : "guest-memfd",
			vm ? "kvm_vm" : "guest_memfd");
	if (!o)
		return KHO_ELIMIT;
	kho_compat(c, o, vm ? "kvm_vm_luo_v1" : "guest_memfd_luo_v1");
	kho_phys(c, o, blob->phys, vm ? KVM_SER_SZ : GMEM_SER_SZ);
	kho_u64(c, o, "token", blob->token);
	kho_finding(c, o, KHO_SEV_NOTE, "kvm.partial", blob->phys,
		    "%s is a linux-mm KVM handler whose layout is not specified "
		    "in depth; only its fixed fields and vmalloc area%s are decoded",
		    vm ? "kvm_vm_luo_v1" : "guest_memfd_luo_v1",
		    vm ? "" : " (and the folio blocks)");
	if (vm)
		kvm_vm(c, o, blob->phys);
	else
		kvm_gmem(c, o, blob->phys);
	return 0;
}

static const char *const kvm_compats[] = {
	"kvm_vm_luo_v1", "guest_memfd_luo_v1", NULL,
};

static const char *const kvm_nodes[] = {NULL};

static const char *const kvm_checks[] = {
	"kvm.bad-pointer", "kvm.descriptor", "kvm.folio-unpreserved",
	"kvm.not-captured", "kvm.partial",
	NULL,
};

KHO_PLUGIN_DEFINE = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.name = "kvm",
	.description = "KVM LUO file handlers (kvm_vm_luo_v1, "
		       "guest_memfd_luo_v1), partial decode",
	.role = KHO_ROLE_BLOB,
	.compats = kvm_compats,
	.node_names = kvm_nodes,
	.checks = kvm_checks,
	.decode = kvm_decode,
};
