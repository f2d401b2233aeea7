// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pread-backed ELF cores: /proc/kcore, /proc/vmcore and the kernel
 * exporter's /proc/kho/image cannot be mapped (and report size 0 or a
 * meaningless size), so their headers and notes are read with pread and
 * their memory through a small page cache.  Cached pages are never evicted
 * while the image is open (kho_image_map hands out pointers into them): a
 * decode reads only the KHO metadata, so the cache stays as small as the
 * capture it serves.  Plain reads past PAGER_CACHE_MAX bytes of cache are
 * not cached, and the uncached reader (scans, --with-data copies) never
 * caches, so no input can make the cache grow with the size of memory.
 * The PT_LOADs are also kept with their p_vaddr, so that a kernel virtual
 * address (a /proc/kallsyms symbol, a direct-map pointer) can be read or
 * translated.  Only ELF64 is read here (every KHO architecture is 64-bit).
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"
#include "pager.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_NOTE_BYTES (64u << 20)

static uint64_t rd(const uint8_t *p, unsigned int n, int be)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
	return v;
}

static int walk_notes(struct kho_image *img, struct kho_note_facts *f,
		      const uint8_t *b, uint64_t size, uint64_t file_off)
{
	uint64_t pos = 0;
	int be = img->big_endian, rc;

	while (size - pos >= 12) {
		uint64_t namesz = rd(b + pos, 4, be), descsz = rd(b + pos + 4, 4, be);
		uint32_t type = (uint32_t)rd(b + pos + 8, 4, be);
		uint64_t noff = pos + 12, doff = noff + ((namesz + 3) & ~3ULL);
		const char *name = "";

		if (!namesz && !descsz && !type)
			break; /* padding */
		if (doff > size || descsz > size - doff) {
			kho_image_problem(img, KHO_SEV_ERROR, "image.note-truncated",
					  0, "note at offset 0x%llx: namesz %llu descsz %llu run past the end of its PT_NOTE",
					  (unsigned long long)(file_off + pos),
					  (unsigned long long)namesz,
					  (unsigned long long)descsz);
			return 0;
		}
		if (namesz && b[noff + namesz - 1] == '\0')
			name = (const char *)b + noff;
		rc = kho_image_note(img, f, name, type, b + doff, descsz,
				    file_off + doff);
		if (rc < 0)
			return rc;
		pos = doff + ((descsz + 3) & ~3ULL);
	}
	return 0;
}

/* kcore: its kernel-text PT_LOAD repeats bytes of a RAM PT_LOAD. */
static int contained(const struct kho_raw_seg *raw, size_t n, size_t i)
{
	size_t j;

	if (n > 4096)
		return 0;
	for (j = 0; j < n; j++)
		if (j != i && raw[j].phys <= raw[i].phys &&
		    raw[i].end <= raw[j].end &&
		    (raw[j].end - raw[j].phys > raw[i].end - raw[i].phys ||
		     j < i))
			return 1;
	return 0;
}

static int read_headers(struct kho_image *img, struct kho_pager *pg,
			int live, struct kho_note_facts *f, char *err,
			size_t errlen)
{
	uint8_t eh[64], ph[56];
	uint64_t phoff, i, phnum, nraw = 0, nzero = 0, nignored = 0, keep = 0;
	struct kho_raw_seg *raw;
	int be, rc = 0;

	memset(eh, 0, sizeof(eh));
	if (kho_pager_pread(pg, eh, sizeof(eh), 0) || memcmp(eh, "\177ELF", 4)) {
		snprintf(err, errlen, memcmp(eh, "\0\0\0\0", 4)
			 ? "not a handover image: unrecognised format (expected an ELF core)"
			 : "not a handover image: empty file");
		return KHO_EFORMAT;
	}
	if (eh[EI_CLASS] != ELFCLASS64 ||
	    (eh[EI_DATA] != ELFDATA2LSB && eh[EI_DATA] != ELFDATA2MSB)) {
		snprintf(err, errlen,
			 "not a handover image: only 64-bit ELF cores can be read from a file that cannot be mapped");
		return KHO_EFORMAT;
	}
	be = img->big_endian = eh[EI_DATA] == ELFDATA2MSB;
	if (rd(eh + 16, 2, be) != ET_CORE) {
		snprintf(err, errlen, "not a handover image: ELF type 0x%x, expected ET_CORE",
			 (unsigned int)rd(eh + 16, 2, be));
		return KHO_EFORMAT;
	}
	img->machine = (unsigned int)rd(eh + 18, 2, be);
	phoff = rd(eh + 32, 8, be);
	phnum = rd(eh + 56, 2, be);
	if (phnum && rd(eh + 54, 2, be) != 56) {
		snprintf(err, errlen, "not a handover image: bad program header size");
		return KHO_EFORMAT;
	}
	if (phnum > KHO_IMAGE_MAX_SEGMENTS)
		phnum = KHO_IMAGE_MAX_SEGMENTS;
	raw = calloc(phnum + 1, sizeof(*raw));
	pg->vsegs = calloc((phnum < KHO_PAGER_MAX_VSEGS ? phnum : KHO_PAGER_MAX_VSEGS) + 1,
			   sizeof(*pg->vsegs));
	if (!raw || !pg->vsegs) {
		free(raw);
		return KHO_ENOMEM;
	}
	for (i = 0; i < phnum; i++) {
		if (kho_pager_pread(pg, ph, sizeof(ph), phoff + i * 56))
			break;
		if (rd(ph, 4, be) == PT_LOAD && rd(ph + 24, 8, be) == 0 &&
		    rd(ph + 16, 8, be) != 0)
			nzero++;
	}
	for (i = 0; i < phnum && !rc; i++) {
		uint64_t type, off, paddr, vaddr, filesz, memsz;

		if (kho_pager_pread(pg, ph, sizeof(ph), phoff + i * 56)) {
			snprintf(err, errlen, "cannot read program header %llu",
				 (unsigned long long)i);
			free(raw);
			return KHO_EIO;
		}
		type = rd(ph, 4, be);
		off = rd(ph + 8, 8, be);
		vaddr = rd(ph + 16, 8, be);
		paddr = rd(ph + 24, 8, be);
		filesz = rd(ph + 32, 8, be);
		memsz = rd(ph + 40, 8, be);
		if (type == PT_NOTE && filesz) {
			uint8_t *b;

			if (filesz > MAX_NOTE_BYTES) {
				kho_image_problem(img, KHO_SEV_ERROR,
						  "image.note-truncated", 0,
						  "PT_NOTE %llu is larger than %u bytes; ignored",
						  (unsigned long long)i, MAX_NOTE_BYTES);
				continue;
			}
			b = kho_image_alloc(img, (size_t)filesz);
			if (!b) {
				rc = KHO_ENOMEM;
				break;
			}
			if (kho_pager_pread(pg, b, filesz, off))
				continue;
			rc = walk_notes(img, f, b, filesz, off);
			continue;
		}
		if (type != PT_LOAD || !memsz)
			continue;
		if (pg->nvsegs < KHO_PAGER_MAX_VSEGS)
			pg->vsegs[pg->nvsegs++] = (struct kho_vseg){
				vaddr, paddr, off, filesz < memsz ? filesz : memsz,
				memsz };
		if (paddr == UINT64_MAX || (paddr == 0 && vaddr && nzero > 1)) {
			nignored++;
			continue;
		}
		if (filesz > memsz)
			filesz = memsz;
		if (paddr >= KHO_PHYS_LIMIT)
			continue;
		if (memsz > KHO_PHYS_LIMIT - paddr)
			memsz = KHO_PHYS_LIMIT - paddr;
		if (filesz > memsz)
			filesz = memsz;
		if (pg->file_size && (off >= pg->file_size ||
				      filesz > pg->file_size - off))
			filesz = off >= pg->file_size ? 0 : pg->file_size - off;
		raw[nraw++] = (struct kho_raw_seg){ paddr, paddr + memsz, off,
						    filesz, (uint32_t)i };
	}
	if (rc) {
		free(raw);
		return rc;
	}
	if (nignored && !live)
		kho_image_problem(img, KHO_SEV_NOTE, "image.segment-ignored", 0,
				  "%llu PT_LOAD segment(s) without a physical address (/proc/kcore style) ignored",
				  (unsigned long long)nignored);
	if (live) { /* drop kcore's duplicate views of RAM */
		for (i = 0; i < nraw; i++)
			if (!contained(raw, nraw, i))
				raw[keep++] = raw[i];
		nraw = keep;
	}
	rc = kho_image_build_segs(img, raw, nraw);
	free(raw);
	return rc;
}

int kho_image_open_elf_pread(struct kho_image *img, const char *path,
			     const struct kho_image_opts *o, int live,
			     char *err, size_t errlen)
{
	struct kho_image_priv *pv = img->priv;
	struct kho_note_facts facts;
	struct kho_pager *pg;
	struct stat st;
	int rc;

	pg = calloc(1, sizeof(*pg));
	if (!pg) {
		snprintf(err, errlen, "out of memory");
		return KHO_ENOMEM;
	}
	pthread_mutex_init(&pg->lock, NULL);
	pg->img = img;
	pg->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (pg->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		kho_pager_free(pg);
		return KHO_EIO;
	}
	if (fstat(pg->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		pg->file_size = (uint64_t)st.st_size;
	pv->pager = pg;
	memset(&facts, 0, sizeof(facts));
	rc = read_headers(img, pg, live, &facts, err, errlen);
	if (rc) {
		if (rc == KHO_ENOMEM)
			snprintf(err, errlen, "out of memory");
		else if (rc == KHO_EFORMAT && live) {
			char tmp[256];

			snprintf(tmp, sizeof(tmp), "%s: %s", path, err);
			snprintf(err, errlen, "%s", tmp);
		}
		return rc;
	}
	if (!live) {
		img->format = KHO_INPUT_ELF;
		return kho_image_resolve_elf(img, o, &facts, err, errlen);
	}
	rc = kho_image_page_size_agrees(o, &facts, err, errlen);
	if (rc)
		return rc;
	if (!o->page_size) {
		uint64_t ps = facts.info_page_size ? facts.info_page_size
						   : facts.vmcore_page_size;
		long host = sysconf(_SC_PAGESIZE);

		img->page_size_source = facts.info_page_size ? KHO_PS_KHO_NOTE :
					ps ? KHO_PS_VMCOREINFO : KHO_PS_RUNNING;
		/* Live memory is the running kernel's: its page size. */
		if (!ps && host > 0 && kho_page_size_valid((uint64_t)host))
			ps = (uint64_t)host;
		if (ps) {
			img->page_size = ps;
			img->page_size_known = 1;
			img->fdt_size = ps;
		} else {
			img->page_size_source = KHO_PS_DEFAULT;
		}
	}
	if (!img->release[0] && facts.vmcore_release[0])
		memcpy(img->release, facts.vmcore_release, sizeof(img->release));
	return 0;
}
