/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Handover image input: opens any supported input (ELF handover image, other
 * ELF core with --fdt-phys/--scan, bare FDT blob, debugfs-style directory)
 * and exposes one bounds-checked physical-memory accessor over an mmap.
 * Nothing here prints; problems are returned as codes plus a message, or
 * recorded as image findings for the decode session to report.
 *
 * Image problem ids (struct kho_image_problem.check), stable:
 *
 *   image.segment-overlap     E  two PT_LOADs cover the same physical bytes;
 *                                reads use the first one in file order
 *   image.segment-truncated   E  a PT_LOAD's file bytes run past the end of
 *                                the file; filesz is clipped and the rest of
 *                                its range is not captured
 *   image.segment-unordered   N  PT_LOADs are not sorted by p_paddr (writers
 *                                sort them; reading is unaffected)
 *   image.segment-bad-size    W  p_filesz > p_memsz; filesz clipped to memsz
 *   image.segment-out-of-range E a PT_LOAD wraps past 2^64 or reaches above
 *                                the physical-address limit (2^52); the part
 *                                above the limit is dropped
 *   image.segment-ignored     N  PT_LOADs with no physical address
 *                                (/proc/kcore style p_paddr 0) were ignored
 *   image.too-many-segments   E  more PT_LOADs than KHO_IMAGE_MAX_SEGMENTS;
 *                                the rest are ignored
 *   image.note-truncated      E  a PT_NOTE runs past the end of the file, or
 *                                a note's lengths lie (notes after it lost)
 *   image.note-invalid        W  a KHO note with a malformed descriptor
 *                                (NT_KHO_SUBBLOB shorter than 8 bytes, empty
 *                                NT_KHO_FDT, duplicate NT_KHO_INFO, ...)
 *   image.too-many-notes      W  more than KHO_IMAGE_MAX_NOTES notes
 *   image.info-missing-key    W  NT_KHO_INFO lacks FORMAT or PAGE_SIZE
 *   image.info-bad-value      W  an NT_KHO_INFO/VMCOREINFO value that does
 *                                not parse or is out of range (a bad
 *                                PAGE_SIZE keeps 4096)
 *   image.info-unknown-format W  FORMAT is not 1
 *   image.no-fdt              E  the image names no root FDT (no FDT_PHYS,
 *                                no NT_KHO_FDT, empty debugfs fdt)
 *   image.fdt-not-captured    U  FDT_PHYS (or --fdt-phys) lies in memory the
 *                                image does not hold and there is no
 *                                NT_KHO_FDT copy (E: beyond any memory)
 *   image.fdt-note-mismatch   W  the root FDT in memory differs from the
 *                                NT_KHO_FDT copy (memory is used)
 *   image.scan-no-fdt         W  --scan found no KHO root FDT; the image's
 *                                own FDT_PHYS/NT_KHO_FDT is used
 *   image.scan-multiple       N  --scan found several candidate root FDTs;
 *                                the lowest address is used
 *   image.scan-ignored        N  --scan/--fdt-phys given for an input with no
 *                                physical memory
 *   image.too-many-side-blobs W  more sub-blobs than KHO_IMAGE_MAX_SIDE_BLOBS
 *   image.side-blob-duplicate W  two NT_KHO_SUBBLOB notes for one phys; the
 *                                first is used
 *   image.side-blob-bad-name  W  debugfs sub_fdts/ entry skipped (name too
 *                                long, not a regular file, unreadable)
 *   image.too-many-scratch    W  more than KHO_IMAGE_MAX_SCRATCH areas
 *   image.scratch-mismatch    E  debugfs scratch_phys and scratch_len differ
 *                                in length, or one of them is missing
 *   image.scratch-bad-value   W  a scratch line that does not parse, or an
 *                                area that wraps past 2^64
 *   image.flat-truncated      W  a flattened kdump file (makedumpfile -F,
 *                                QEMU's -z) ends before its end mark; the
 *                                records read are used
 *   image.problems-truncated  N  more than KHO_IMAGE_MAX_PROBLEMS problems
 *                                (the session adds, per severity, one entry
 *                                under this id standing for those omitted)
 *
 * (E = KHO_SEV_ERROR, W = KHO_SEV_WARNING, N = KHO_SEV_NOTE.)
 */
#ifndef KHO_IMAGE_H
#define KHO_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "kho/plugin.h"

enum kho_input_format {
	KHO_INPUT_ELF = 0,     /* ELF core with KHO notes (kho-image.md) */
	KHO_INPUT_ELF_CORE,    /* other ELF core + --fdt-phys or --scan */
	KHO_INPUT_FDT,         /* bare FDT blob */
	KHO_INPUT_DEBUGFS,     /* directory: fdt, sub_fdts/, scratch_* */
	KHO_INPUT_KDUMP,       /* other dump format read by libkdumpfile
				* (kdump-compressed, LKCD, ...) + --fdt-phys
				* or --scan */
};

/*
 * Where the page size came from, in the order it is looked for: the
 * option, our KHO note, VMCOREINFO PAGESIZE, a kdump header's block
 * size, the running kernel (live inputs), the ELF machine (x86-64 and the
 * others with one page size), and last the structures themselves (try
 * each size on the memory map: page_probe.c).  DEFAULT: nothing could
 * decide (an input without memory) and 4096 is assumed; UNKNOWN: more
 * than one size fits the structures.
 */
enum kho_page_size_source {
	KHO_PS_DEFAULT = 0,
	KHO_PS_OPTION,
	KHO_PS_KHO_NOTE,
	KHO_PS_VMCOREINFO,
	KHO_PS_DUMP_HEADER,
	KHO_PS_RUNNING,
	KHO_PS_MACHINE,
	KHO_PS_STRUCTURE,
	KHO_PS_UNKNOWN,
};
const char *kho_page_size_source_name(enum kho_page_size_source s);

enum kho_radix_formula {
	KHO_RADIX_AUTO = 0, /* decide from the root compatible */
	KHO_RADIX_ORIG,     /* ceil((O0 - B) / T) + 1 */
	KHO_RADIX_PLUS1,    /* ceil((O0 - B + 1) / T) + 1 */
};

/* Facts the user may supply or override on the command line. */
struct kho_image_opts {
	uint64_t fdt_phys;     /* --fdt-phys, 0 = not given */
	int scan;              /* --scan */
	uint64_t page_size;    /* --page-size, 0 = from the image */
	enum kho_radix_formula radix_formula; /* --radix-depth */
	unsigned int v1_bitmap_bytes;         /* --v1-bitmap-bytes, 0 = auto */
	const char *vmlinux;   /* --vmlinux: vmlinux or System.map, or NULL */
};

/* One PT_LOAD after validation, sorted by phys. */
struct kho_segment {
	uint64_t phys;
	uint64_t memsz;
	uint64_t offset; /* in the file */
	uint64_t filesz; /* clipped to the bytes the file really holds */
};

/* A problem noticed while opening; turned into a finding by the session. */
struct kho_image_problem {
	enum kho_severity sev;
	const char *check; /* stable id, e.g. "image.segment-overlap" */
	uint64_t phys;
	char msg[200];
};

/* A sub-blob carried outside physical memory (debugfs file or note). */
struct kho_side_blob {
	char name[64];   /* sub_fdts/<name>, or "" for a note copy */
	uint64_t phys;   /* from NT_KHO_SUBBLOB, 0 for debugfs */
	const uint8_t *data;
	uint64_t len;
};

struct kho_scratch_area {
	uint64_t addr;
	uint64_t size;
};

#define KHO_IMAGE_MAX_PROBLEMS 64
#define KHO_IMAGE_MAX_SCRATCH 1024
#define KHO_IMAGE_MAX_SIDE_BLOBS 256
#define KHO_IMAGE_MAX_SEGMENTS (1u << 20)
#define KHO_IMAGE_MAX_NOTES 65536u
/* Largest root FDT or debugfs blob read into memory. */
#define KHO_IMAGE_MAX_BLOB (256u << 20)
/* Physical addresses at or above this are KHO_ERANGE. */
#define KHO_PHYS_LIMIT (1ULL << 52)
/* Largest range kho_image_map serves from the static zero area. */
#define KHO_IMAGE_ZERO_MAP 65536u

struct kho_image {
	char *path;
	enum kho_input_format format;

	/* The mapped file (ELF or FDT); NULL for a directory input. */
	const uint8_t *map;
	uint64_t map_len;

	/* ELF facts. */
	int big_endian;
	unsigned int machine; /* e_machine, 0 if none */
	struct kho_segment *segs;
	size_t nsegs;

	/* KHO facts (from NT_KHO_INFO, VMCOREINFO, options, debugfs). */
	uint64_t page_size;      /* always set: 4096 when nothing says */
	int page_size_known;     /* 0 when defaulted or undecided */
	/* How page_size was decided (kho_page_size_source_name()); for
	 * KHO_PS_STRUCTURE and KHO_PS_UNKNOWN, the decode engine's probe
	 * (page_probe.c) also fills the field below. */
	enum kho_page_size_source page_size_source;
	uint64_t page_size_errors[3]; /* errors decoded at 4, 16, 64 KiB */
	int fdt_size_from_note;  /* FDT_SIZE given; else it follows page_size */
	int fdt_uncaptured;	/* the root FDT lies in memory the image lacks */
	uint64_t fdt_phys;       /* 0 when unknown */
	uint64_t fdt_size;       /* FDT_SIZE, or page_size */
	const uint8_t *fdt;      /* the root FDT bytes (memory, note or file) */
	uint64_t fdt_len;        /* bytes available at *fdt */
	char direction[8];       /* "out", "in" or "" */
	char release[80];
	char producer[128];
	char format_version[16];
	enum kho_radix_formula radix_formula;
	unsigned int v1_bitmap_bytes; /* 0 = unknown */
	struct kho_scratch_area *scratch;
	size_t nscratch;

	struct kho_side_blob *side;
	size_t nside;

	/*
	 * The boot hand-off found in memory (handoff.h), or NULL: looked for
	 * in ELF cores without KHO notes when no --fdt-phys is given.
	 */
	struct kho_handoff *handoff;

	struct kho_image_problem problems[KHO_IMAGE_MAX_PROBLEMS];
	size_t nproblems;
	/* Problems past the cap, per severity: counted, not listed. */
	size_t problems_omitted[KHO_SEV_COUNT];

	/* Private to the image layer (buffers read from files, etc.). */
	void *priv;

	/*
	 * Touch recorder (kho_image_set_recorder): when set, every
	 * kho_image_read/kho_image_map call reports its range first, whether
	 * or not it is captured.  NULL (the default) costs one branch.
	 */
	void (*touch)(void *arg, uint64_t phys, uint64_t len);
	void *touch_arg;
};

/*
 * Open `path`.  On failure return KHO_EFORMAT (not a handover image; the
 * CLI exits 2), KHO_EIO (cannot read), KHO_ENOMEM, or KHO_EINVAL (an invalid
 * option value: page_size not 4096/16384/65536, v1_bitmap_bytes not
 * 512/4096), with a one-line reason in err that does not repeat the path.
 * On success *out is owned by the caller (kho_image_close).  opts may be
 * NULL.
 */
int kho_image_open(const char *path, const struct kho_image_opts *opts,
		   struct kho_image **out, char *err, size_t errlen);
void kho_image_close(struct kho_image *img);

/*
 * The bounds-checked accessor.  Copies [phys, phys+len) into buf; bytes of a
 * segment past p_filesz up to p_memsz read as zero.
 * Returns 0, KHO_ERANGE (the range wraps past 2^64 or lies above the
 * physical-address limit), or KHO_ENOTCAPTURED (some byte is in no segment;
 * buf is then partly written).  A range may span adjacent segments.  Safe to
 * call from several threads at once.
 */
int kho_image_read(const struct kho_image *img, uint64_t phys, void *buf,
		   uint64_t len);

/*
 * Pointer to [phys, phys+len) when it lies inside one segment.  A range that
 * lies entirely in the zero-filled tail of a segment maps to a static zero
 * area when len <= 64 KiB.  Otherwise the same codes as kho_image_read, plus
 * KHO_ENOTCAPTURED when the range spans two segments (callers then fall back
 * to kho_image_read).
 */
int kho_image_map(const struct kho_image *img, uint64_t phys, uint64_t len,
		  const void **out);

/* Look up a side blob by debugfs name or by phys; NULL when absent. */
const struct kho_side_blob *kho_image_side_blob(const struct kho_image *img,
						const char *name,
						uint64_t phys);

const char *kho_input_format_name(enum kho_input_format f);

/*
 * Number of bytes readable from phys on (at most max): the captured prefix
 * of [phys, phys+max).  0 when phys itself is not captured or out of range.
 */
uint64_t kho_image_captured(const struct kho_image *img, uint64_t phys,
			    uint64_t max);

/*
 * Install (fn != NULL) or remove the touch recorder.  Used by capture to
 * learn which pages the decoders read.  Not thread-safe with respect to
 * concurrent readers: set it before decoding starts.
 */
void kho_image_set_recorder(struct kho_image *img,
			    void (*fn)(void *arg, uint64_t phys, uint64_t len),
			    void *arg);

/*
 * Open a live-capture source: the debugfs directory `dir` (a copy of, or
 * the real, /sys/kernel/debug/kho/out or in) for the root FDT, the sub-blob
 * files and the scratch areas, plus the physical memory of the ELF core
 * `core` (/proc/kcore, /proc/vmcore, /proc/kho/image or a file), read with
 * pread through a page cache, never mapped, so that /proc files work.  Only
 * the PT_LOADs with a p_paddr are used.  The VMCOREINFO note of the core
 * gives the page size and release when the options do not; e_machine and
 * the byte order come from the core.  The root FDT stays the debugfs copy
 * until kho_image_use_fdt_phys() is called; the debugfs sub_fdts files are
 * not used (sub-blobs are read from memory).  Same codes as
 * kho_image_open.
 */
int kho_image_open_live(const char *dir, const char *core,
			const struct kho_image_opts *opts,
			struct kho_image **out, char *err, size_t errlen);

/*
 * Read the scratch areas from DIR/scratch_phys and DIR/scratch_len into an
 * image that has none yet (capture --direction in takes them from out/).
 */
int kho_image_read_debugfs_scratch(struct kho_image *img, const char *dir);

/*
 * Set the root FDT address of an image with memory and take the root FDT
 * from memory there.  KHO_ENOTCAPTURED when the page is not captured (the
 * image is unchanged), KHO_ENOMEM.
 */
int kho_image_use_fdt_phys(struct kho_image *img, uint64_t phys);

/*
 * kho_image_read without the touch recorder and without the page cache of
 * pread-backed images: for scans and bulk copies, whose bytes must not stay
 * in memory.  Same codes as kho_image_read.
 */
int kho_image_read_uncached(const struct kho_image *img, uint64_t phys,
			    void *buf, uint64_t len);

/*
 * Kernel virtual addresses of a pread-backed core (/proc/kcore): read
 * [vaddr, vaddr + len) through the PT_LOAD whose p_vaddr range holds it
 * (uncached), or translate vaddr to a physical address through a PT_LOAD
 * that carries a p_paddr (kcore's RAM and kernel-text segments).
 * KHO_ENOTCAPTURED when no segment holds it (or the image is mapped), or
 * KHO_EIO.
 */
int kho_image_read_virt(const struct kho_image *img, uint64_t vaddr,
			void *buf, uint64_t len);
int kho_image_virt_to_phys(const struct kho_image *img, uint64_t vaddr,
			   uint64_t *phys);

/* Bytes read so far from a pread-backed source (0 for a mapped file). */
uint64_t kho_image_source_bytes_read(const struct kho_image *img);

/* Whether the image holds physical memory (any PT_LOAD). */
static inline int kho_image_has_memory(const struct kho_image *img)
{
	return img->nsegs != 0;
}

/* kallsyms.c */
/*
 * Look up a data symbol (types d, D, b, B; vmlinux only, not modules) in a
 * kallsyms-format file.  Returns 0 with *addr set, KHO_ENOENT (absent),
 * KHO_EFORMAT (listed more than once at different addresses), KHO_EIO.
 */
int kho_kallsyms_lookup(const char *path, const char *name, uint64_t *addr);

#ifdef KHO_IMAGE_INTERNAL
/* ---------------- internal to src/image*.c; not for other callers ---- */

#include <stdatomic.h>

struct kho_image_buf;
struct kho_pager;

struct kho_image_priv {
	void *map;        /* the mmap, or NULL */
	size_t map_size;
	struct kho_image_buf *bufs; /* owned allocations */
	_Atomic size_t last_seg;    /* accessor cache (a hint only) */
	size_t cap_scratch, cap_side;
	int scratch_overflow;
	struct kho_pager *pager;    /* pread-backed memory, or NULL */
	/* holes.c: the mapped file's data runs, [start, end) file offset
	 * pairs in order, when it has holes (holes_known) */
	uint64_t *data_runs;
	size_t ndata_runs;
	int holes_known;
};

/*
 * holes.c.  Record the data runs of the regular file behind the mapping
 * (SEEK_DATA/SEEK_HOLE); nothing is recorded when the file has no hole,
 * the filesystem cannot say, or there are too many runs.  0 or
 * KHO_ENOMEM.
 */
int kho_image_record_holes(struct kho_image *img, int fd, uint64_t size);
/*
 * For a scan of segment s at addresses a, a + step, ...: the first of
 * them from a on whose first byte is not in a hole of the file (a itself
 * when nothing is known), or UINT64_MAX when only holes are left in s.
 * Scans for signatures that start with a non-zero byte only.
 */
uint64_t kho_image_skip_hole(const struct kho_image *img,
			     const struct kho_segment *s, uint64_t a,
			     uint64_t step);

/* image_pread.c: file bytes of a pread-backed image. */
int kho_pager_copy(struct kho_image *img, void *dst, uint64_t off,
		   uint64_t len);
int kho_pager_map(struct kho_image *img, uint64_t off, uint64_t len,
		  const void **out);
int kho_pager_copy_direct(struct kho_image *img, void *dst, uint64_t off,
			  uint64_t len);
void kho_pager_free(struct kho_pager *pg);
int kho_image_open_elf_pread(struct kho_image *img, const char *path,
			     const struct kho_image_opts *o, int live,
			     char *err, size_t errlen);
/*
 * Serve the image's memory from another source through the page cache:
 * rd(src, buf, len, off) fills buf with the bytes at `off` (the address a
 * segment's offset names) or returns nonzero (not captured); fr frees src
 * when the image closes (also when this fails).  KHO_ENOMEM.
 */
int kho_pager_new_source(struct kho_image *img,
			 int (*rd)(void *src, void *buf, uint64_t len,
				   uint64_t off),
			 void (*fr)(void *src), void *src);

/* A PT_LOAD piece before overlap resolution. */
struct kho_raw_seg {
	uint64_t phys, end; /* [phys, end), end > phys */
	uint64_t offset, filesz;
	uint32_t idx;       /* PT_LOAD ordinal in file order */
};

/* What the notes say, before options and defaults are applied. */
struct kho_note_facts {
	uint64_t dump_page_size;   /* a kdump header's block size, 0 = none */
	int has_kho;               /* any note named "KHO" */
	int has_info;
	int has_format, has_page_size_key;
	uint64_t info_page_size;   /* 0 = absent or invalid */
	uint64_t vmcore_page_size; /* 0 = absent or invalid */
	int has_fdt_phys;
	uint64_t fdt_phys;
	int has_fdt_size;
	uint64_t fdt_size;
	const uint8_t *fdt_note;   /* NT_KHO_FDT descriptor, in the map */
	uint64_t fdt_note_len;
	char vmcore_release[80];
	/* VMCOREINFO facts for --vmlinux (0 when absent) */
	uint64_t kernel_offset;    /* KERNELOFFSET (KASLR) */
	uint64_t phys_base;        /* NUMBER(phys_base) */
	int l5_paging;             /* NUMBER(pgtable_l5_enabled) */
};

__attribute__((format(printf, 5, 6))) void
kho_image_problem(struct kho_image *img, enum kho_severity sev,
		  const char *check, uint64_t phys, const char *fmt, ...);
void *kho_image_alloc(struct kho_image *img, size_t size);
/* Free every kho_image_alloc buffer (kho_image_close). */
void kho_image_free_bufs(struct kho_image *img);
int kho_image_add_scratch(struct kho_image *img, uint64_t addr,
			  uint64_t size);
int kho_image_add_side(struct kho_image *img, const char *name,
		       uint64_t phys, const uint8_t *data, uint64_t len);
int kho_page_size_valid(uint64_t ps);
/* Decimal or 0x-hex, no sign, blanks or overflow: 0, or KHO_EINVAL. */
int kho_parse_u64(const char *s, size_t n, uint64_t *out);

/* image_elf.c */
int kho_image_open_elf(struct kho_image *img, const struct kho_image_opts *o,
		       char *err, size_t errlen);
/* image_segs.c: raw pieces (any order) -> img->segs; frees nothing */
int kho_image_build_segs(struct kho_image *img, struct kho_raw_seg *raw,
			 size_t nraw);
/* image_notes.c */
int kho_image_note(struct kho_image *img, struct kho_note_facts *f,
		   const char *name, uint32_t type, const uint8_t *desc,
		   uint64_t len, uint64_t file_off);
/* image_fdt.c */
/*
 * --page-size against the page size the image states (NT_KHO_INFO
 * PAGE_SIZE, else VMCOREINFO PAGESIZE): 0 when they agree or either is
 * absent, else KHO_EINVAL with both sizes in err.
 */
int kho_image_page_size_agrees(const struct kho_image_opts *o,
			       const struct kho_note_facts *f, char *err,
			       size_t errlen);
int kho_image_resolve_elf(struct kho_image *img,
			  const struct kho_image_opts *o,
			  const struct kho_note_facts *f, char *err,
			  size_t errlen);
int kho_image_fdt_at(struct kho_image *img, uint64_t phys, uint64_t size,
		     const uint8_t **fdt, uint64_t *len);
/* image_symbols.c: --vmlinux; the root FDT's address or KHO_EFORMAT /
 * KHO_EIO with a message */
int kho_image_locate_vmlinux(struct kho_image *img, const char *path,
			     const struct kho_note_facts *f, uint64_t *out,
			     char *err, size_t errlen);
/* image_scan.c */
int kho_image_scan(const struct kho_image *img, uint64_t *phys,
		   uint64_t *count);
/* 1 when the page at phys holds a KHO root FDT, 0 when not, <0 on error. */
int kho_image_is_kho_root(const struct kho_image *img, uint64_t phys);
/* image_kdump.c: fd is the open file (the caller closes its copy) */
int kho_image_open_kdump(struct kho_image *img, int fd,
			 const struct kho_image_opts *o, char *err,
			 size_t errlen);
/* image_flat.c: the flattened kdump format, laid out again in a memfd */
int kho_flat_is(int fd);
int kho_flat_reassemble(struct kho_image *img, int fd, int *out, char *err,
			size_t errlen);
/* image_debugfs.c */
int kho_image_open_debugfs(struct kho_image *img,
			   const struct kho_image_opts *o, char *err,
			   size_t errlen);
#endif /* KHO_IMAGE_INTERNAL */

#endif /* KHO_IMAGE_H */
