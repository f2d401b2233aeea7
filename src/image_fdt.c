// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF inputs: settle the page size and locate the root FDT (FDT_PHYS,
 * NT_KHO_FDT, --fdt-phys or --scan), options first.
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"

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

static void set_page_size(struct kho_image *img, const struct kho_image_opts *o,
			  const struct kho_note_facts *f)
{
	img->page_size_known = 1;
	if (o->page_size)
		img->page_size = o->page_size;
	else if (f->info_page_size)
		img->page_size = f->info_page_size;
	else if (f->vmcore_page_size)
		img->page_size = f->vmcore_page_size;
	else {
		img->page_size = 4096;
		img->page_size_known = 0;
	}
	img->fdt_size = f->has_fdt_size ? f->fdt_size : img->page_size;
	if (!img->release[0] && f->vmcore_release[0])
		memcpy(img->release, f->vmcore_release, sizeof(img->release));
}

int kho_image_resolve_elf(struct kho_image *img,
			  const struct kho_image_opts *o,
			  const struct kho_note_facts *f, char *err,
			  size_t errlen)
{
	uint64_t phys = 0, count = 0;
	int have = 0, rc;

	set_page_size(img, o, f);
	if (!f->has_kho && !o->fdt_phys && !o->scan && !o->vmlinux) {
		const char *lost = "";
		size_t i;

		/* Lying note lengths hide the KHO notes: say so. */
		for (i = 0; i < img->nproblems; i++)
			if (!strcmp(img->problems[i].check,
				    "image.note-truncated"))
				lost = " (image.note-truncated: a note's lengths run past its PT_NOTE)";
		snprintf(err, errlen,
			 "not a handover image: ELF core without KHO notes%s (use --fdt-phys ADDR, --vmlinux FILE or --scan)",
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
	} else if (o->scan) {
		rc = kho_image_scan(img, &phys, &count);
		if (rc) {
			snprintf(err, errlen, "out of memory");
			return rc;
		}
		if (count) {
			have = 1;
			if (count > 1)
				kho_image_problem(img, KHO_SEV_NOTE,
						  "image.scan-multiple", phys,
						  "--scan found %llu pages holding a KHO root FDT; using the lowest, 0x%llx",
						  (unsigned long long)count,
						  (unsigned long long)phys);
		} else if (!f->has_kho) {
			snprintf(err, errlen,
				 "not a handover image: --scan found no page holding a KHO root FDT");
			return KHO_EFORMAT;
		} else {
			kho_image_problem(img, KHO_SEV_WARNING,
					  "image.scan-no-fdt", 0,
					  "--scan found no page holding a KHO root FDT; using the image's own");
		}
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
		kho_image_problem(img, KHO_SEV_ERROR, "image.fdt-not-captured",
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
