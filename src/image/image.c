// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Handover image input: open, classify the input and hand it to its back
 * end, close.  The record the back ends fill is image_core.c.
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const uint8_t fdt_magic[4] = { 0xd0, 0x0d, 0xfe, 0xed };

static int check_opts(const struct kho_image_opts *o, char *err,
		      size_t errlen)
{
	if (o->page_size && !kho_page_size_valid(o->page_size)) {
		snprintf(err, errlen,
			 "invalid page size %llu (expected 4096, 16384 or 65536)",
			 (unsigned long long)o->page_size);
		return KHO_EINVAL;
	}
	if (o->v1_bitmap_bytes && o->v1_bitmap_bytes != 512 &&
	    o->v1_bitmap_bytes != 4096) {
		snprintf(err, errlen,
			 "invalid v1 bitmap size %u (expected 512 or 4096)",
			 o->v1_bitmap_bytes);
		return KHO_EINVAL;
	}
	if (o->fdt_phys >= KHO_PHYS_LIMIT) {
		snprintf(err, errlen,
			 "invalid FDT address 0x%llx (above the 2^52 physical limit)",
			 (unsigned long long)o->fdt_phys);
		return KHO_EINVAL;
	}
	return 0;
}

/* Facts that options and defaults decide the same way for every input. */
static void apply_common_opts(struct kho_image *img,
			      const struct kho_image_opts *o)
{
	if (o->page_size) {
		img->page_size = o->page_size;
		img->page_size_known = 1;
		img->page_size_source = KHO_PS_OPTION;
	}
	if (!img->page_size) {
		img->page_size = 4096;
		img->page_size_known = 0;
		img->page_size_source = KHO_PS_DEFAULT;
	}
	if (!img->fdt_size)
		img->fdt_size = img->page_size;
	if (o->radix_formula != KHO_RADIX_AUTO)
		img->radix_formula = o->radix_formula;
	if (o->v1_bitmap_bytes)
		img->v1_bitmap_bytes = o->v1_bitmap_bytes;
}

static int open_bare_fdt(struct kho_image *img, const struct kho_image_opts *o)
{
	img->format = KHO_INPUT_FDT;
	img->fdt = img->map;
	img->fdt_len = img->map_len;
	if (o->fdt_phys)
		img->fdt_phys = o->fdt_phys;
	if (o->scan)
		kho_image_problem(img, KHO_SEV_NOTE, "image.scan-ignored", 0,
				  "--scan ignored: a bare FDT carries no physical memory");
	return 0;
}

static int open_file(struct kho_image *img, int fd, const struct stat *st,
		     const struct kho_image_opts *o, char *err, size_t errlen)
{
	struct kho_image_priv *pv = img->priv;
	uint8_t magic[4] = { 0 };
	void *m;

	/* /proc files (kcore, vmcore, kho/image) report size 0 or refuse
	 * mmap: read those through pread instead. */
	if (st->st_size <= 0)
		return kho_image_open_elf_pread(img, img->path, o, 0, err,
						errlen);
	if ((uint64_t)st->st_size > SIZE_MAX) {
		snprintf(err, errlen, "file too large to map");
		return KHO_EIO;
	}
	/* Neither ELF nor FDT: a dump format libkdumpfile may know. */
	if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
	    (memcmp(magic, fdt_magic, 4) && memcmp(magic, "\177ELF", 4)))
		return kho_image_open_kdump(img, fd, o, err, errlen);
	m = mmap(NULL, (size_t)st->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED) {
		/* ENOMEM: /proc/kcore's size (most of the address space), or
		 * a big dump under a `ulimit -v`: reading works anyway. */
		if (errno == ENODEV || errno == EINVAL || errno == EIO ||
		    errno == ENOMEM)
			return kho_image_open_elf_pread(img, img->path, o, 0,
							err, errlen);
		snprintf(err, errlen, "cannot map the file: %s", strerror(errno));
		return KHO_EIO;
	}
	pv->map = m;
	pv->map_size = (size_t)st->st_size;
	img->map = m;
	img->map_len = (uint64_t)st->st_size;
	if (kho_image_record_holes(img, fd, img->map_len)) {
		snprintf(err, errlen, "out of memory");
		return KHO_ENOMEM;
	}

	if (img->map_len >= 4 && memcmp(img->map, fdt_magic, 4) == 0)
		return open_bare_fdt(img, o);
	if (img->map_len >= 4 && memcmp(img->map, "\177ELF", 4) == 0)
		return kho_image_open_elf(img, o, err, errlen);
	snprintf(err, errlen,
		 "not a handover image: unrecognised format (expected an ELF core, an FDT blob, a dump libkdumpfile reads or a debugfs directory)");
	return KHO_EFORMAT;
}

int kho_image_open(const char *path, const struct kho_image_opts *opts,
		   struct kho_image **out, char *err, size_t errlen)
{
	static const struct kho_image_opts no_opts;
	const struct kho_image_opts *o = opts ? opts : &no_opts;
	struct kho_image_priv *pv;
	struct kho_image *img;
	struct stat st;
	int fd, rc;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	rc = check_opts(o, err, errlen);
	if (rc)
		return rc;

	img = calloc(1, sizeof(*img));
	pv = calloc(1, sizeof(*pv));
	if (!img || !pv || !(img->path = strdup(path))) {
		free(img);
		free(pv);
		snprintf(err, errlen, "out of memory");
		return KHO_ENOMEM;
	}
	img->priv = pv;
	atomic_init(&pv->last_seg, 0);

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		kho_image_close(img);
		return KHO_EIO;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "cannot stat: %s", strerror(errno));
		close(fd);
		kho_image_close(img);
		return KHO_EIO;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		rc = kho_image_open_debugfs(img, o, err, errlen);
	} else if (S_ISREG(st.st_mode)) {
		rc = open_file(img, fd, &st, o, err, errlen);
		close(fd);
	} else {
		close(fd);
		snprintf(err, errlen,
			 "not a handover image: not a regular file or directory");
		rc = KHO_EFORMAT;
	}
	if (rc) {
		kho_image_close(img);
		return rc;
	}
	apply_common_opts(img, o);
	*out = img;
	return 0;
}

void kho_image_close(struct kho_image *img)
{
	struct kho_image_priv *pv;

	if (!img)
		return;
	pv = img->priv;
	if (pv) {
		kho_image_free_bufs(img);
		if (pv->map)
			munmap(pv->map, pv->map_size);
		free(pv->data_runs);
		kho_pager_free(pv->pager);
		free(pv);
	}
	free(img->segs);
	free(img->scratch);
	free(img->side);
	free(img->path);
	free(img);
}

int kho_image_open_live(const char *dir, const char *core,
			const struct kho_image_opts *opts,
			struct kho_image **out, char *err, size_t errlen)
{
	static const struct kho_image_opts no_opts;
	const struct kho_image_opts *o = opts ? opts : &no_opts;
	struct kho_image_opts dopts = *o;
	struct kho_image *img;
	struct stat st;
	int rc;

	*out = NULL;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a debugfs directory", dir);
		return KHO_EFORMAT;
	}
	/* The address and --scan are resolved against the core below. */
	dopts.fdt_phys = 0;
	dopts.scan = 0;
	rc = kho_image_open(dir, &dopts, &img, err, errlen);
	if (rc)
		return rc;
	rc = kho_image_open_elf_pread(img, core, o, 1, err, errlen);
	if (rc) {
		kho_image_close(img);
		return rc;
	}
	/*
	 * The debugfs sub_fdts files are views of the same memory; with the
	 * memory at hand, decoders read the sub-blobs there (so that capture
	 * records their pages, and a truncated debugfs file cannot hide
	 * bytes).  Only the names are lost, which memory does not need.
	 */
	img->nside = 0;
	if (o->fdt_phys) {
		rc = kho_image_use_fdt_phys(img, o->fdt_phys);
		if (rc) {
			snprintf(err, errlen,
				 "the root FDT at 0x%llx is not in the memory of %s",
				 (unsigned long long)o->fdt_phys, core);
			kho_image_close(img);
			return rc == KHO_ENOMEM ? rc : KHO_EFORMAT;
		}
	}
	*out = img;
	return 0;
}
