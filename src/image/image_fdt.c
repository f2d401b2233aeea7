// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF inputs: settle the page size and locate the root FDT (FDT_PHYS,
 * NT_KHO_FDT, --fdt-phys, the boot hand-off or --scan), options first.
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"
#include "handoff.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 * The root FDT at phys, reserved size `size`: a pointer into the map when
 * the bytes are contiguous there, else a copy.  When the whole reservation
 * is not captured but the blob itself (header totalsize) is, the captured
 * prefix is enough.  *len is the number of bytes available.
 */
int kho_image_fdt_at(struct kho_image *img, uint64_t phys, uint64_t size,
		     const uint8_t **fdt, uint64_t *len)
{
	uint64_t avail = kho_image_captured(img, phys, size);
	const void *p;
	uint8_t *buf;

	if (avail < size) {
		uint8_t hdr[8];

		if (avail < sizeof(hdr) ||
		    kho_image_read(img, phys, hdr, sizeof(hdr)) ||
		    be32(hdr) != 0xd00dfeedu || be32(hdr + 4) < 40 ||
		    be32(hdr + 4) > avail)
			return KHO_ENOTCAPTURED;
	}
	if (kho_image_map(img, phys, avail, &p) == 0) {
		*fdt = p;
		*len = avail;
		return 0;
	}
	buf = kho_image_alloc(img, (size_t)avail);
	if (!buf)
		return KHO_ENOMEM;
	if (kho_image_read(img, phys, buf, avail))
		return KHO_ENOTCAPTURED;
	*fdt = buf;
	*len = avail;
	return 0;
}

static void compare_note(struct kho_image *img, const struct kho_note_facts *f)
{
	uint64_t n = f->fdt_note_len < img->fdt_len ? f->fdt_note_len
						    : img->fdt_len;

	if (n >= 8 && be32(f->fdt_note) == 0xd00dfeedu &&
	    be32(f->fdt_note + 4) < n)
		n = be32(f->fdt_note + 4);
	if (memcmp(img->fdt, f->fdt_note, (size_t)n) != 0)
		kho_image_problem(img, KHO_SEV_WARNING, "image.fdt-note-mismatch",
				  img->fdt_phys,
				  "root FDT at 0x%llx differs from the NT_KHO_FDT copy; the copy in memory is used",
				  (unsigned long long)img->fdt_phys);
}

int kho_image_page_size_agrees(const struct kho_image_opts *o,
			       const struct kho_note_facts *f, char *err,
			       size_t errlen)
{
	uint64_t ps = f->info_page_size ? f->info_page_size
					: f->vmcore_page_size;

	if (!o->page_size || !ps || o->page_size == ps)
		return 0;
	snprintf(err, errlen,
		 "--page-size %llu contradicts the image, whose %s says %llu; drop the option or fix the image",
		 (unsigned long long)o->page_size,
		 f->info_page_size ? "NT_KHO_INFO PAGE_SIZE" : "VMCOREINFO PAGESIZE",
		 (unsigned long long)ps);
	return KHO_EINVAL;
}

/* Machines Linux runs with one page size only. */
static int machine_page_size(unsigned int machine)
{
	switch (machine) {
	case EM_X86_64:
	case EM_386:
	case EM_S390:
	case EM_RISCV:
		return 4096;
	}
	return 0;
}

static void set_page_size(struct kho_image *img, const struct kho_image_opts *o,
			  const struct kho_note_facts *f)
{
	img->page_size_known = 1;
	if (o->page_size) {
		img->page_size = o->page_size;
		img->page_size_source = KHO_PS_OPTION;
	} else if (f->info_page_size) {
		img->page_size = f->info_page_size;
		img->page_size_source = KHO_PS_KHO_NOTE;
	} else if (f->vmcore_page_size) {
		img->page_size = f->vmcore_page_size;
		img->page_size_source = KHO_PS_VMCOREINFO;
	} else if (f->dump_page_size) {
		img->page_size = f->dump_page_size;
		img->page_size_source = KHO_PS_DUMP_HEADER;
	} else if (machine_page_size(img->machine)) {
		img->page_size = (uint64_t)machine_page_size(img->machine);
		img->page_size_source = KHO_PS_MACHINE;
	} else {
		/* Decided later from the structures (page_probe.c). */
		img->page_size = 4096;
		img->page_size_known = 0;
		img->page_size_source = KHO_PS_DEFAULT;
	}
	img->fdt_size_from_note = f->has_fdt_size;
	/* Undecided: read up to the largest page a root FDT can fill. */
	img->fdt_size = f->has_fdt_size ? f->fdt_size :
			img->page_size_known ? img->page_size : 65536;
	if (!img->release[0] && f->vmcore_release[0])
		memcpy(img->release, f->vmcore_release, sizeof(img->release));
}

/* Find the boot hand-off when nothing names the root FDT; see handoff.h. */
static int find_handoff(struct kho_image *img, char *err, size_t errlen)
{
	struct kho_handoff h;
	size_t i;
	int rc;

	rc = kho_handoff_locate(img, &h);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	if (!h.kind)
		return 0;
	img->handoff = kho_image_alloc(img, sizeof(h));
	if (!img->handoff) {
		snprintf(err, errlen, "out of memory");
		return KHO_ENOMEM;
	}
	*img->handoff = h;
	/*
	 * Which side of the kexec the dump shows: a staged copy is the
	 * outgoing kernel at machine_kexec; a boot_params that is not page
	 * aligned is the booted kernel's own copy (the global in
	 * arch/x86/kernel/setup.c), so its memory map was consumed.
	 */
	if (!img->direction[0] && h.kind == KHO_HANDOFF_X86) {
		if (h.staged_for)
			strcpy(img->direction, "out");
		else if (h.where & 4095)
			strcpy(img->direction, "in");
	}
	/* The array in memory is what the next kernel uses. */
	if (!img->nscratch)
		for (i = 0; i < h.nareas; i++)
			if (kho_image_add_scratch(img, h.areas[i].addr,
						  h.areas[i].size))
				break;
	return 0;
}

/* The hand-off names a root FDT the next kernel would read. */
static int handoff_usable(const struct kho_handoff *h)
{
	if (!h)
		return 0;
	if (h->kind == KHO_HANDOFF_DT)
		return h->props_ok && h->fdt_addr;
	return h->kho_nodes && h->fdt_addr;
}

static int run_scan(struct kho_image *img, uint64_t *phys, uint64_t *count,
		    char *err, size_t errlen)
{
	int rc = kho_image_scan(img, phys, count);

	if (rc)
		snprintf(err, errlen, "out of memory");
	else if (*count > 1)
		kho_image_problem(img, KHO_SEV_NOTE, "image.scan-multiple",
				  *phys,
				  "--scan found %llu pages holding a KHO root FDT; using the lowest, 0x%llx",
				  (unsigned long long)*count,
				  (unsigned long long)*phys);
	return rc;
}

int kho_image_resolve_elf(struct kho_image *img,
			  const struct kho_image_opts *o,
			  const struct kho_note_facts *f, char *err,
			  size_t errlen)
{
	uint64_t phys = 0, count = 0;
	int have = 0, rc;

	rc = kho_image_page_size_agrees(o, f, err, errlen);
	if (rc)
		return rc;
	set_page_size(img, o, f);
	/*
	 * An ELF core without KHO notes and without --fdt-phys or --vmlinux:
	 * look for the boot hand-off the next kernel reads, always (a few
	 * bytes per page), and before --scan.
	 */
	if (!f->has_kho && !o->fdt_phys && !o->vmlinux) {
		rc = find_handoff(img, err, errlen);
		if (rc)
			return rc;
	}
	if (!f->has_kho && !o->fdt_phys && !o->scan && !o->vmlinux &&
	    !img->handoff) {
		const char *lost = "";
		size_t i;

		/* Lying note lengths hide the KHO notes: say so. */
		for (i = 0; i < img->nproblems; i++)
			if (!strcmp(img->problems[i].check,
				    "image.note-truncated"))
				lost = " (image.note-truncated: a note's lengths run past its PT_NOTE)";
		snprintf(err, errlen,
			 "not a handover image: ELF core without KHO notes and no boot hand-off in its memory%s (use --fdt-phys ADDR, --vmlinux FILE or --scan)",
			 lost);
		return KHO_EFORMAT;
	}
	img->format = f->has_kho ? KHO_INPUT_ELF : KHO_INPUT_ELF_CORE;

	if (o->fdt_phys) {
		phys = o->fdt_phys;
		have = 1;
	} else if (o->vmlinux) {
		rc = kho_image_locate_vmlinux(img, o->vmlinux, f, &phys, err,
					      errlen);
		if (rc)
			return rc;
		have = 1;
	} else if (handoff_usable(img->handoff)) {
		struct kho_handoff *h = img->handoff;

		phys = h->fdt_addr;
		have = 1;
		if (o->scan) {
			/* Cross-check: the hand-off wins, the scan is told. */
			rc = run_scan(img, &h->scan_phys, &h->scan_count, err,
				      errlen);
			if (rc)
				return rc;
			h->scan_ran = 1;
			h->scan_agrees = !(phys & 4095) &&
					 kho_image_is_kho_root(img, phys) == 1;
		}
	} else if (o->scan) {
		rc = run_scan(img, &phys, &count, err, errlen);
		if (rc)
			return rc;
		if (count) {
			have = 1;
		} else if (!f->has_kho && !img->handoff) {
			snprintf(err, errlen,
				 "not a handover image: --scan found no page holding a KHO root FDT");
			return KHO_EFORMAT;
		} else if (f->has_kho) {
			kho_image_problem(img, KHO_SEV_WARNING,
					  "image.scan-no-fdt", 0,
					  "--scan found no page holding a KHO root FDT; using the image's own");
		}
	} else if (img->handoff) {
		/* An unusable hand-off: its findings say why; no root FDT. */
		return 0;
	}
	if (!have && f->has_fdt_phys) {
		phys = f->fdt_phys;
		have = 1;
	}

	if (have) {
		img->fdt_phys = phys;
		rc = kho_image_fdt_at(img, phys, img->fdt_size, &img->fdt,
				      &img->fdt_len);
		if (rc == KHO_ENOMEM) {
			snprintf(err, errlen, "out of memory");
			return rc;
		}
		if (rc == 0) {
			if (f->fdt_note)
				compare_note(img, f);
			return 0;
		}
		if (f->fdt_note) {
			img->fdt = f->fdt_note;
			img->fdt_len = f->fdt_note_len;
			return 0;
		}
		/* Memory the dump does not hold is unknown; an address no
		 * memory can have is broken. */
		img->fdt_uncaptured = rc == KHO_ENOTCAPTURED &&
				      phys < KHO_PHYS_LIMIT &&
				      img->fdt_size <= KHO_PHYS_LIMIT - phys;
		kho_image_problem(img, img->fdt_uncaptured ? KHO_SEV_UNKNOWN :
				  KHO_SEV_ERROR, "image.fdt-not-captured",
				  phys,
				  "root FDT at 0x%llx (0x%llx bytes) is not captured in the image and there is no NT_KHO_FDT copy",
				  (unsigned long long)phys,
				  (unsigned long long)img->fdt_size);
		return 0;
	}
	if (f->fdt_note) {
		img->fdt = f->fdt_note;
		img->fdt_len = f->fdt_note_len;
		return 0;
	}
	kho_image_problem(img, KHO_SEV_ERROR, "image.no-fdt", 0,
			  "the image names no root FDT: NT_KHO_INFO has no FDT_PHYS and there is no NT_KHO_FDT note");
	return 0;
}

int kho_image_use_fdt_phys(struct kho_image *img, uint64_t phys)
{
	const uint8_t *fdt;
	uint64_t len;
	int rc;

	if (!phys || !img->nsegs)
		return KHO_ENOTCAPTURED;
	rc = kho_image_fdt_at(img, phys, img->fdt_size, &fdt, &len);
	if (rc)
		return rc;
	img->fdt_phys = phys;
	img->fdt = fdt;
	img->fdt_len = len;
	return 0;
}
