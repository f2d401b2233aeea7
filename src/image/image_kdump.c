// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dump formats we do not parse ourselves, read through libkdumpfile:
 * kdump-compressed ("diskdump", makedumpfile's and QEMU's -z/-l/-s output,
 * zlib/lzo/snappy/zstd, flattened or not: image_flat.c), LKCD, Xen and s390
 * dumps, and the rest it knows.
 * Our own images and plain ELF cores keep the mmap path (image_elf.c).
 *
 * The memory is served through the page cache of image_pread.c: a segment's
 * "file offset" is its physical address, and a read asks libkdumpfile for
 * those physical bytes, as machine physical addresses: that needs no
 * address translation set up (a kernel physical read does, and fails on a
 * dump whose VMCOREINFO lacks the paging facts), and outside Xen the two
 * are the same.  Segments are the runs of pages the file holds
 * (file.pagemap), so pages filtered out by makedumpfile -d, and holes, are
 * in no segment and read as KHO_ENOTCAPTURED, exactly like a hole in an ELF
 * core; a page libkdumpfile cannot return anyway (corrupt compressed data)
 * reads as not captured too, never as zeroes.  libkdumpfile contexts are
 * not thread-safe: every call is made under the pager's lock.
 *
 * VMCOREINFO, when the dump carries it, is parsed like an ELF VMCOREINFO
 * note (PAGESIZE, OSRELEASE); the architecture and byte order come from
 * the dump's own header (arch.name, arch.byte_order).
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"

#include <elf.h>
#include <errno.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct kd_src {
	kdump_ctx_t *ctx;
	int fd;
};

static int kd_read(void *src, void *buf, uint64_t len, uint64_t off)
{
	struct kd_src *s = src;
	uint8_t *p = buf;

	while (len) {
		size_t n = len > (1u << 30) ? (1u << 30) : (size_t)len;
		size_t got = n;

		if (kdump_read(s->ctx, KDUMP_MACHPHYSADDR, off, p, &got) !=
		    KDUMP_OK)
			return KHO_EIO;
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

static void kd_free(void *src)
{
	struct kd_src *s = src;

	if (!s)
		return;
	if (s->ctx)
		kdump_free(s->ctx);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

static unsigned int machine_of(const char *arch)
{
	static const struct {
		const char *name;
		unsigned int em;
	} tab[] = {
		{ "x86_64", EM_X86_64 },   { "aarch64", EM_AARCH64 },
		{ "ppc64", EM_PPC64 },     { "s390x", EM_S390 },
		{ "ia32", EM_386 },        { "arm", EM_ARM },
		{ "ppc", EM_PPC },         { "s390", EM_S390 },
		{ "mips", EM_MIPS },       { "ia64", EM_IA_64 },
		{ "alpha", EM_ALPHA },     { "riscv64", EM_RISCV },
		{ "loongarch64", EM_LOONGARCH },
	};
	size_t i;

	for (i = 0; arch && i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(arch, tab[i].name))
			return tab[i].em;
	return 0;
}

/* Runs of set bits of file.pagemap -> raw segments (identity offsets). */
static int build_segments(struct kho_image *img, kdump_ctx_t *ctx,
			  uint64_t page_size, char *err, size_t errlen)
{
	kdump_attr_t attr, mp;
	uint64_t max_pfn;
	struct kho_raw_seg *raw = NULL;
	size_t n = 0, cap = 0;
	kdump_addr_t pfn = 0, end;
	uint64_t limit_pfn = KHO_PHYS_LIMIT / page_size;
	int rc = 0;

	if (kdump_get_attr(ctx, "max_pfn", &mp) != KDUMP_OK ||
	    (mp.type != KDUMP_ADDRESS && mp.type != KDUMP_NUMBER) ||
	    kdump_get_attr(ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr) != KDUMP_OK ||
	    attr.type != KDUMP_BITMAP) {
		snprintf(err, errlen,
			 "not a handover image: the dump has no page map (libkdumpfile: %s)",
			 kdump_get_err(ctx));
		return KHO_EFORMAT;
	}
	max_pfn = mp.type == KDUMP_ADDRESS ? mp.val.address : mp.val.number;
	if (max_pfn > limit_pfn)
		max_pfn = limit_pfn;
	while (pfn < max_pfn) {
		if (kdump_bmp_find_set(attr.val.bitmap, &pfn) != KDUMP_OK ||
		    pfn >= max_pfn)
			break;
		end = pfn;
		if (kdump_bmp_find_clear(attr.val.bitmap, &end) != KDUMP_OK ||
		    end > max_pfn)
			end = max_pfn;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct kho_raw_seg *t = realloc(raw, ncap * sizeof(*t));

			if (!t) {
				rc = KHO_ENOMEM;
				break;
			}
			raw = t;
			cap = ncap;
		}
		/* Past the segment limit the last run takes in the rest:
		 * its missing pages still read as not captured. */
		if (n == KHO_IMAGE_MAX_SEGMENTS) {
			kho_image_problem(img, KHO_SEV_NOTE,
					  "image.too-many-segments", pfn * page_size,
					  "more than %u runs of captured pages; pages above 0x%llx are looked up page by page",
					  KHO_IMAGE_MAX_SEGMENTS,
					  (unsigned long long)(pfn * page_size));
			raw[n - 1].end = max_pfn * page_size;
			raw[n - 1].filesz = raw[n - 1].end - raw[n - 1].phys;
			break;
		}
		raw[n] = (struct kho_raw_seg){ pfn * page_size, end * page_size,
					       pfn * page_size,
					       (end - pfn) * page_size,
					       (uint32_t)n };
		n++;
		pfn = end;
	}
	if (!rc)
		rc = kho_image_build_segs(img, raw, n);
	free(raw);
	if (rc == KHO_ENOMEM)
		snprintf(err, errlen, "out of memory");
	return rc;
}

static int read_facts(struct kho_image *img, kdump_ctx_t *ctx,
		      struct kho_note_facts *f, uint64_t *page_size)
{
	kdump_num_t num;
	const char *arch = NULL;
	char *vmci = NULL;
	int rc = 0;

	if (kdump_get_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, &arch) ==
	    KDUMP_OK)
		img->machine = machine_of(arch);
	if (kdump_get_number_attr(ctx, KDUMP_ATTR_BYTE_ORDER, &num) ==
	    KDUMP_OK)
		img->big_endian = num == KDUMP_BIG_ENDIAN;
	*page_size = 0;
	if (kdump_get_number_attr(ctx, KDUMP_ATTR_PAGE_SIZE, &num) ==
		    KDUMP_OK && num && !(num & (num - 1)) && num <= (1u << 20))
		*page_size = num;
	/* VMCOREINFO is looked up only once the OS type is known. */
	kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux");
	if (kdump_vmcoreinfo_raw(ctx, &vmci) == KDUMP_OK && vmci) {
		rc = kho_image_note(img, f, "VMCOREINFO", 0,
				    (const uint8_t *)vmci, strlen(vmci), 0);
		free(vmci);
		if (rc > 0)
			rc = 0;
	}
	return rc;
}

int kho_image_open_kdump(struct kho_image *img, int fd,
			 const struct kho_image_opts *o, char *err,
			 size_t errlen)
{
	struct kho_note_facts facts;
	struct kd_src *s;
	kdump_status st;
	const char *fmt = NULL;
	uint64_t dump_ps;
	int rc;

	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return KHO_ENOMEM;
	}
	if (kho_flat_is(fd)) {
		rc = kho_flat_reassemble(img, fd, &s->fd, err, errlen);
		if (rc) {
			kd_free(s);
			return rc;
		}
	} else {
		s->fd = dup(fd);
	}
	s->ctx = kdump_new();
	if (s->fd < 0 || !s->ctx) {
		rc = s->fd < 0 ? KHO_EIO : KHO_ENOMEM;
		snprintf(err, errlen, s->fd < 0 ? "cannot read: %s" : "out of memory",
			 strerror(errno));
		kd_free(s);
		return rc;
	}
	rc = kho_pager_new_source(img, kd_read, kd_free, s);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	st = kdump_open_fd(s->ctx, s->fd);
	if (st == KDUMP_ERR_NOTIMPL &&
	    strstr(kdump_get_err(s->ctx), "Unknown file format")) {
		snprintf(err, errlen,
			 "not a handover image: unrecognised format (expected an ELF core, an FDT blob, a dump libkdumpfile reads or a debugfs directory)");
		return KHO_EFORMAT;
	}
	if (st != KDUMP_OK) {
		snprintf(err, errlen,
			 "not a handover image: cannot read the dump (libkdumpfile: %s)",
			 kdump_get_err(s->ctx));
		return KHO_EFORMAT;
	}
	memset(&facts, 0, sizeof(facts));
	rc = read_facts(img, s->ctx, &facts, &dump_ps);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	rc = build_segments(img, s->ctx, dump_ps ? dump_ps : 4096, err,
			    errlen);
	if (rc)
		return rc;
	/* The dump's own page size, when VMCOREINFO gives none. */
	if (kho_page_size_valid(dump_ps))
		facts.dump_page_size = dump_ps;
	rc = kho_image_resolve_elf(img, o, &facts, err, errlen);
	if (rc == KHO_EFORMAT &&
	    !strncmp(err, "not a handover image: ELF core", 30)) {
		if (kdump_get_string_attr(s->ctx, KDUMP_ATTR_FILE_FORMAT, &fmt) !=
		    KDUMP_OK || !fmt)
			fmt = "kdump";
		snprintf(err, errlen,
			 "not a handover image: %s dump without KHO notes (use --fdt-phys ADDR, --vmlinux FILE or --scan)",
			 fmt);
	}
	img->format = KHO_INPUT_KDUMP;
	return rc;
}
