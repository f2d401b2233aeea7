// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF input: the ELF header, the PT_LOAD list and the PT_NOTE walk, read
 * with libelf over the read-only mapping.  Every offset and size libelf
 * hands back is checked again against the file size before use.
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"

#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *etype_name(unsigned int t)
{
	switch (t) {
	case ET_NONE:
		return "ET_NONE";
	case ET_REL:
		return "ET_REL";
	case ET_EXEC:
		return "ET_EXEC";
	case ET_DYN:
		return "ET_DYN";
	case ET_CORE:
		return "ET_CORE";
	}
	return NULL;
}

static uint32_t get_u32(const uint8_t *p, int be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

/* Checks that do not need libelf, on the raw identification bytes. */
static int check_ident(const struct kho_image *img, char *err, size_t errlen)
{
	const uint8_t *id = img->map;
	size_t need;

	if (img->map_len < EI_NIDENT) {
		snprintf(err, errlen, "not a handover image: truncated ELF header");
		return KHO_EFORMAT;
	}
	if (id[EI_CLASS] != ELFCLASS64 && id[EI_CLASS] != ELFCLASS32) {
		snprintf(err, errlen,
			 "not a handover image: unknown ELF class %u",
			 id[EI_CLASS]);
		return KHO_EFORMAT;
	}
	if (id[EI_DATA] != ELFDATA2LSB && id[EI_DATA] != ELFDATA2MSB) {
		snprintf(err, errlen,
			 "not a handover image: unknown ELF byte order %u",
			 id[EI_DATA]);
		return KHO_EFORMAT;
	}
	need = id[EI_CLASS] == ELFCLASS64 ? sizeof(Elf64_Ehdr)
					  : sizeof(Elf32_Ehdr);
	if (img->map_len < need) {
		snprintf(err, errlen, "not a handover image: truncated ELF header");
		return KHO_EFORMAT;
	}
	return 0;
}

static int is_all_zero(const uint8_t *p, uint64_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

static int walk_note_segment(struct kho_image *img, Elf *e,
			     struct kho_note_facts *f, size_t phidx,
			     uint64_t off, uint64_t size, uint64_t align,
			     size_t *nnotes)
{
	Elf_Data *d;
	size_t pos = 0;

	if (off > img->map_len || size > img->map_len - off) {
		kho_image_problem(img, KHO_SEV_ERROR, "image.note-truncated", 0,
				  "PT_NOTE %zu [0x%llx+0x%llx) runs past the end of the file (0x%llx bytes)",
				  phidx, (unsigned long long)off,
				  (unsigned long long)size,
				  (unsigned long long)img->map_len);
		size = off > img->map_len ? 0 : img->map_len - off;
	}
	if (!size)
		return 0;
	d = elf_getdata_rawchunk(e, (int64_t)off, size,
				 align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
	if (!d || d->d_size != size) {
		kho_image_problem(img, KHO_SEV_ERROR, "image.note-truncated", 0,
				  "PT_NOTE %zu at offset 0x%llx cannot be read: %s",
				  phidx, (unsigned long long)off,
				  elf_errmsg(-1));
		return 0;
	}
	while (pos < size) {
		GElf_Nhdr nh;
		size_t noff, doff, next;
		const char *name = "";
		int rc;

		next = gelf_getnote(d, pos, &nh, &noff, &doff);
		if (next == 0 || next <= pos || next > size ||
		    doff > size || nh.n_descsz > size - doff ||
		    noff > size || nh.n_namesz > size - noff) {
			const uint8_t *h = img->map + off + pos;

			if (is_all_zero(h, size - pos))
				break; /* padding */
			if (size - pos < 12)
				kho_image_problem(img, KHO_SEV_ERROR,
						  "image.note-truncated", 0,
						  "note at offset 0x%llx: only %llu bytes left in PT_NOTE %zu, less than a note header",
						  (unsigned long long)(off + pos),
						  (unsigned long long)(size - pos),
						  phidx);
			else
				kho_image_problem(img, KHO_SEV_ERROR,
						  "image.note-truncated", 0,
						  "note at offset 0x%llx: namesz %u descsz %u run past the end of PT_NOTE %zu (0x%llx bytes left)",
						  (unsigned long long)(off + pos),
						  get_u32(h, img->big_endian),
						  get_u32(h + 4, img->big_endian),
						  phidx,
						  (unsigned long long)(size - pos));
			break;
		}
		if (++*nnotes > KHO_IMAGE_MAX_NOTES) {
			kho_image_problem(img, KHO_SEV_WARNING,
					  "image.too-many-notes", 0,
					  "more than %u notes; the rest are ignored",
					  KHO_IMAGE_MAX_NOTES);
			return 1;
		}
		if (nh.n_namesz > 0 &&
		    ((const char *)d->d_buf)[noff + nh.n_namesz - 1] == '\0')
			name = (const char *)d->d_buf + noff;
		/* Descriptor bytes are never converted: point into the map. */
		rc = kho_image_note(img, f, name, nh.n_type,
				    img->map + off + doff, nh.n_descsz,
				    off + doff);
		if (rc < 0)
			return rc;
		pos = next;
	}
	return 0;
}

/* kcore: PT_LOADs that carry no physical memory. */
static int no_phys(const GElf_Phdr *ph, int class32, size_t nzero)
{
	if (ph->p_paddr == UINT64_MAX ||
	    (class32 && ph->p_paddr == UINT32_MAX))
		return 1;
	/* Old kcore: p_paddr 0 on several segments with virtual addresses. */
	return ph->p_paddr == 0 && ph->p_vaddr != 0 && nzero > 1;
}

static void add_load(struct kho_image *img, const GElf_Phdr *ph, uint32_t idx,
		     struct kho_raw_seg *raw, size_t *nraw)
{
	uint64_t phys = ph->p_paddr, memsz = ph->p_memsz;
	uint64_t filesz = ph->p_filesz, off = ph->p_offset, avail, end;

	if (!memsz)
		return;
	if (filesz > memsz) {
		kho_image_problem(img, KHO_SEV_WARNING, "image.segment-bad-size",
				  phys,
				  "PT_LOAD %u at 0x%llx: p_filesz 0x%llx > p_memsz 0x%llx; clipped to p_memsz",
				  idx, (unsigned long long)phys,
				  (unsigned long long)filesz,
				  (unsigned long long)memsz);
		filesz = memsz;
	}
	if (phys >= KHO_PHYS_LIMIT || memsz > KHO_PHYS_LIMIT - phys) {
		kho_image_problem(img, KHO_SEV_ERROR,
				  "image.segment-out-of-range", phys,
				  "PT_LOAD %u [0x%llx+0x%llx) reaches above the physical-address limit 0x%llx; the part above it is ignored",
				  idx, (unsigned long long)phys,
				  (unsigned long long)memsz,
				  (unsigned long long)KHO_PHYS_LIMIT);
		if (phys >= KHO_PHYS_LIMIT)
			return;
		memsz = KHO_PHYS_LIMIT - phys;
		if (filesz > memsz)
			filesz = memsz;
	}
	end = phys + memsz;
	avail = off >= img->map_len ? 0 : img->map_len - off;
	if (filesz <= avail) {
		raw[*nraw] = (struct kho_raw_seg){ phys, end, off, filesz, idx };
		++*nraw;
		return;
	}
	kho_image_problem(img, KHO_SEV_ERROR, "image.segment-truncated",
			  phys + avail,
			  "PT_LOAD %u [0x%llx+0x%llx) at file offset 0x%llx runs past the end of the file (0x%llx bytes): [0x%llx-0x%llx) is not captured",
			  idx, (unsigned long long)phys,
			  (unsigned long long)filesz, (unsigned long long)off,
			  (unsigned long long)img->map_len,
			  (unsigned long long)(phys + avail),
			  (unsigned long long)(phys + filesz));
	if (avail)
		raw[(*nraw)++] = (struct kho_raw_seg){ phys, phys + avail, off,
						       avail, idx };
	if (filesz < memsz) /* the zero tail is still known */
		raw[(*nraw)++] = (struct kho_raw_seg){ phys + filesz, end,
						       off + filesz, 0, idx };
}

static int read_phdrs(struct kho_image *img, Elf *e, int class32,
		      size_t phnum, struct kho_note_facts *f)
{
	struct kho_raw_seg *raw;
	size_t i, nraw = 0, nzero = 0, nload = 0, nignored = 0, nnotes = 0;
	uint64_t prev_phys = 0;
	uint32_t prev_idx = 0;
	int unordered = 0, rc = 0, notes_done = 0;
	GElf_Phdr ph;

	for (i = 0; i < phnum; i++)
		if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD &&
		    ph.p_paddr == 0 && ph.p_vaddr != 0)
			nzero++;
	raw = calloc(2 * (phnum < KHO_IMAGE_MAX_SEGMENTS ? phnum
						       : KHO_IMAGE_MAX_SEGMENTS) + 1,
		     sizeof(*raw));
	if (!raw)
		return KHO_ENOMEM;
	for (i = 0; i < phnum; i++) {
		if (!gelf_getphdr(e, (int)i, &ph))
			continue;
		if (ph.p_type == PT_NOTE && !notes_done) {
			rc = walk_note_segment(img, e, f, i, ph.p_offset,
					       ph.p_filesz, ph.p_align, &nnotes);
			if (rc < 0)
				break;
			notes_done = rc;
			rc = 0;
			continue;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		if (no_phys(&ph, class32, nzero)) {
			nignored++;
			continue;
		}
		if (nload == KHO_IMAGE_MAX_SEGMENTS) {
			kho_image_problem(img, KHO_SEV_ERROR,
					  "image.too-many-segments", ph.p_paddr,
					  "more than %u PT_LOAD segments; the rest are ignored",
					  KHO_IMAGE_MAX_SEGMENTS);
			nload++;
			continue;
		}
		if (nload > KHO_IMAGE_MAX_SEGMENTS)
			continue;
		if (nload && ph.p_paddr < prev_phys && !unordered) {
			unordered = 1;
			kho_image_problem(img, KHO_SEV_NOTE,
					  "image.segment-unordered", ph.p_paddr,
					  "PT_LOAD %zu (0x%llx) follows PT_LOAD %u (0x%llx): segments are not sorted by physical address",
					  nload, (unsigned long long)ph.p_paddr,
					  prev_idx,
					  (unsigned long long)prev_phys);
		}
		prev_phys = ph.p_paddr;
		prev_idx = (uint32_t)nload;
		add_load(img, &ph, (uint32_t)nload, raw, &nraw);
		nload++;
	}
	if (nignored)
		kho_image_problem(img, KHO_SEV_NOTE, "image.segment-ignored", 0,
				  "%zu PT_LOAD segment(s) without a physical address (/proc/kcore style) ignored",
				  nignored);
	if (!rc)
		rc = kho_image_build_segs(img, raw, nraw);
	free(raw);
	return rc;
}

int kho_image_open_elf(struct kho_image *img, const struct kho_image_opts *o,
		       char *err, size_t errlen)
{
	struct kho_note_facts facts;
	GElf_Ehdr eh;
	size_t phnum, phent;
	Elf *e;
	int rc, class32;

	rc = check_ident(img, err, errlen);
	if (rc)
		return rc;
	class32 = img->map[EI_CLASS] == ELFCLASS32;
	img->big_endian = img->map[EI_DATA] == ELFDATA2MSB;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf initialisation failed");
		return KHO_EIO;
	}
	/* libelf only reads the image; the cast drops const for its API. */
	e = elf_memory((char *)(uintptr_t)img->map, (size_t)img->map_len);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		snprintf(err, errlen, "not a handover image: bad ELF header: %s",
			 elf_errmsg(-1));
		if (e)
			elf_end(e);
		return KHO_EFORMAT;
	}
	if (eh.e_type != ET_CORE) {
		const char *t = etype_name(eh.e_type);

		if (t)
			snprintf(err, errlen,
				 "not a handover image: ELF type %s, expected ET_CORE",
				 t);
		else
			snprintf(err, errlen,
				 "not a handover image: ELF type 0x%x, expected ET_CORE",
				 (unsigned int)eh.e_type);
		elf_end(e);
		return KHO_EFORMAT;
	}
	img->machine = eh.e_machine;

	phent = class32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
	if (elf_getphdrnum(e, &phnum) != 0) {
		snprintf(err, errlen,
			 "not a handover image: bad program header count: %s",
			 elf_errmsg(-1));
		elf_end(e);
		return KHO_EFORMAT;
	}
	/* libelf quietly clamps phnum to the headers the file holds. */
	if (eh.e_phnum != PN_XNUM && phnum < eh.e_phnum)
		phnum = eh.e_phnum;
	if (phnum && (eh.e_phentsize != phent || eh.e_phoff > img->map_len ||
		      phnum > (img->map_len - eh.e_phoff) / phent)) {
		snprintf(err, errlen,
			 "not a handover image: program header table (%zu x %u bytes at 0x%llx) does not fit in the file",
			 phnum, (unsigned int)eh.e_phentsize,
			 (unsigned long long)eh.e_phoff);
		elf_end(e);
		return KHO_EFORMAT;
	}

	memset(&facts, 0, sizeof(facts));
	rc = read_phdrs(img, e, class32, phnum, &facts);
	elf_end(e);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	return kho_image_resolve_elf(img, o, &facts, err, errlen);
}
