/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kho-mkimage: internal interfaces shared by the builder's source files.
 *
 * The only code the builder shares with the decoders is the ELF container
 * serializer (lib/kho_elf_writer.c, also used by capture and the kernel
 * exporter).  Every KHO layout is written here, independently of the
 * plugins, so the tests compare two separate implementations of the spec.
 * Layouts follow kho-abi.md / kho-image.md; no kernel code is used.
 */
#ifndef KHO_MKIMAGE_H
#define KHO_MKIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef KHO_VERSION
#define MK_VERSION KHO_VERSION
#else
#define MK_VERSION "0.1.0"
#endif

/* ------------------------------------------------------------- util.c */
struct mk_src {
	const char *file;
	int line;
};

#define MK_PRINTF(a, b) __attribute__((format(printf, a, b)))
_Noreturn void mk_die(int code, const struct mk_src *src, const char *fmt, ...) MK_PRINTF(3, 4);
_Noreturn void mk_fatal(int code, const char *fmt, ...) MK_PRINTF(2, 3);
void mk_warn(const struct mk_src *src, const char *fmt, ...) MK_PRINTF(2, 3);
void *mk_malloc(size_t n);
void *mk_calloc(size_t n, size_t m);
void *mk_realloc(void *p, size_t n);
char *mk_strdup(const char *s);
char *mk_fmt(const char *fmt, ...) MK_PRINTF(1, 2);

/* image byte order integer access */
void mk_put16(uint8_t *p, uint64_t v);
void mk_put32(uint8_t *p, uint64_t v);
void mk_put64(uint8_t *p, uint64_t v);
void mk_putn(uint8_t *p, unsigned size, uint64_t v);
uint64_t mk_getn(const uint8_t *p, unsigned size);
void mk_put32be(uint8_t *p, uint32_t v);
uint32_t mk_get32be(const uint8_t *p);

bool mk_parse_u64(const char *s, uint64_t *v);   /* dec, 0x hex, K/M/G/T suffix */
bool mk_parse_bool(const char *s, bool *v);
uint8_t *mk_parse_hex(const char *s, size_t *len); /* NULL on error */
unsigned mk_ilog2(uint64_t v);
unsigned mk_get_order(uint64_t size);   /* pages order to hold size bytes */

/* growable array of u64 */
struct mk_u64v {
	uint64_t *v;
	size_t n, cap;
};
void mk_u64v_push(struct mk_u64v *a, uint64_t x);

/* ------------------------------------------------------------ model */
enum mk_gen { GEN_G1A, GEN_G1B, GEN_G1C, GEN_G2, GEN_G2B, GEN_G3, GEN_G4, GEN_RFC };
enum mk_luo_ver { LUO_NONE, LUO_V1, LUO_V2, LUO_V3, LUO_V4, LUO_V5, LUO_RFC, LUO_FEAT };
enum mk_file_kind { FK_AUTO, FK_RAW, FK_BLOB, FK_MEMFD, FK_GMEM, FK_KVM };
enum mk_memfd_layout { MFD_V1, MFD_V2, MFD_FEAT };

struct mk_folio_run {		/* count consecutive folios of one order */
	uint64_t index;		/* first file index, or UINT64_MAX = "next" */
	uint64_t count;
	uint8_t order;
	uint8_t flags;
};

struct mk_vmalloc {		/* result of laying out a preserved vmalloc area */
	uint64_t first;		/* first chunk phys */
	uint32_t total_pages;
	uint16_t flags, order;
	uint64_t area_pa;	/* phys of the (contiguous) area buffer */
	uint8_t *area;		/* captured buffer, total_pages pages */
	uint64_t nchunks;
};

struct mk_memfd {
	int layout;		/* MFD_* */
	uint64_t pos, size;
	bool size_set;
	uint32_t seals, flags;
	uint64_t feat_supp, feat_req, feat_active;
	struct mk_folio_run *runs;
	size_t nruns;
	bool with_data;
	uint16_t vm_flags;
	unsigned int vm_order; /* order of the folio array's runs */
	/* results */
	char *name;		/* layout name prefix */
	uint64_t nr_folios;
	uint64_t ser_pa;
	struct mk_vmalloc vm;
};

struct mk_file {
	struct mk_src src;
	char *compat;
	uint64_t token;
	int kind;
	uint64_t data;
	bool data_set;
	uint8_t *blob;
	size_t bloblen;
	struct mk_memfd *mfd;	/* memfd and guest_memfd */
	uint64_t vm_token;	/* guest_memfd */
	uint64_t kvm_type, kvm_nattrs;
	/* results */
	uint64_t pa;		/* phys of the file's luo_file_ser entry */
};

struct mk_session {
	struct mk_src src;
	char *name;
	struct mk_file *files;
	size_t nfiles, cap;
	uint64_t files_pa, pa;
};

struct mk_flb {
	char *name;
	uint64_t data;
	uint64_t count;
	long pci_devices;	/* >= 0: allocate a pci_ser with that many devices */
};

struct mk_luo {
	bool present;
	struct mk_src src;
	int ver;
	int session_ver;	/* 1 or 2, luo-v1 only */
	int flb_node;		/* -1 auto */
	bool serialized;
	uint64_t num;
	bool num_set;
	char *compat;		/* override of the LUO compat string */
	struct mk_session *sessions;
	size_t nsessions, cap;
	struct mk_flb *flbs;
	size_t nflbs;
	uint64_t supp, req, active;
};

struct mk_resmem {
	char *name;
	uint64_t start, size;
	bool auto_start;
	uint64_t align;
};

struct mk_extra_node {		/* [node NAME] */
	char *name;
	uint8_t *blob;
	size_t bloblen;
	char *fdt_compat;
	uint64_t size_override;
	bool size_set;
	bool preserve;
};

struct mk_directive {		/* break / poke / unpreserve / delete_prop / scribble */
	struct mk_src src;
	int kind;		/* MKD_* */
	char *target;
	char *value;
	uint64_t a, b, c;
};
enum { MKD_BREAK, MKD_POKE, MKD_UNPRESERVE, MKD_DELPROP, MKD_SCRIBBLE };

struct mk_area {
	uint64_t addr, size;
};

struct mk_scn {
	const char *file;
	int gen;
	char *root_compat;
	unsigned page_size, page_shift;
	bool big_endian;
	char *machine;
	char *release;
	char *direction;
	uint64_t debugfs_fdt_bytes;	/* 0: the whole root FDT */
	int depth_plus1;	/* -1 = default */
	unsigned v1_bitmap_bytes;	/* 0 = default */
	uint64_t ram_base, data_base;
	bool data_base_set;
	struct mk_area *scratch;
	size_t nscratch;
	int handoff;		/* 0 none, 1 x86, 2 dt */
	uint64_t handoff_at;
	bool handoff_at_set;
	uint64_t handoff_copy;	/* x86: a second boot_params here, or 0 */
	struct mk_area *explicit_pres;	/* preserve: addr=phys, size=order | flag */
	size_t npres;
	struct mk_u64v pres_data;	/* capture flags per explicit preserve */
	char *producer;
	bool fdt_note, subblob_notes, vmcoreinfo;
	bool legacy_note_types; /* note_types = legacy: types 1, 2, 3 */
	char **info_extra;
	size_t ninfo_extra;
	int preserve_root;	/* -1 default */
	int root_full_page;	/* totalsize = page size, as the kernel leaves it */
	uint64_t fill;		/* data page fill pattern seed */
	bool map_set;		/* emit map for G1 (finalized) */
	bool finalized;

	bool kexec_md;
	uint32_t md_version;
	char *md_release;
	uint32_t md_count;

	bool memblock;
	struct mk_resmem *resmem;
	size_t nresmem;
	bool memblock_data;

	bool kho_test;
	uint32_t kt_nr_folios;
	unsigned kt_order;
	uint32_t kt_magic, kt_csum;

	struct mk_luo luo;

	struct mk_extra_node *nodes;
	size_t nnodes;

	struct mk_directive *dirs;
	size_t ndirs;
};

/* scenario.c */
void mk_scn_load(struct mk_scn *s, const char *path, char **sets, size_t nsets);

/* ----------------------------------------------------------- phys.c */
struct mk_region {
	uint64_t phys, len;
	uint8_t *buf;
};

struct mk_obj {
	char *name;
	uint64_t phys, size;
	int order;		/* -1: not a single preserved block */
};

struct mk_field {
	char *name;
	uint64_t phys;
	uint32_t size;
	uint8_t flags;		/* MKF_* */
	uint64_t aux;		/* cycle target / capacity */
	uint64_t owner;		/* phys of the containing object ("self") */
};
enum { MKF_STR = 1, MKF_BE = 2, MKF_PROP = 4, MKF_NEXT = 8, MKF_COUNT = 16 };

struct mk_rootnode {
	char *name;
	uint64_t phys, size;
	uint8_t *buf;		/* NULL if not captured */
};

struct mk_ctx {
	struct mk_scn *s;
	unsigned ps, shift;
	uint64_t meta_cur, data_cur;
	struct mk_region *reg;
	size_t nreg, capreg;
	bool reg_sorted;
	struct mk_u64v blocks;	/* phys | order */
	struct mk_obj *objs;
	size_t nobj, capobj;
	struct mk_field *fields;
	size_t nfield, capfield;
	struct mk_rootnode *nodes;
	size_t nnodes;
	/* root FDT */
	uint64_t root_pa;
	uint8_t *root;
	uint64_t map_pa;
	/* sub-FDTs known to the break engine */
	uint64_t memblock_pa, luo_fdt_pa, kho_test_pa;
	struct mk_memfd **memfds;
	size_t nmemfds;
	/* radix tree (heap) */
	uint64_t **rnodes;
	uint8_t *rlevel;
	size_t nrnodes, caprnodes;
	uint64_t radix_base;
	unsigned depth;
};
extern struct mk_ctx mk;

void mk_phys_init(struct mk_scn *s);
uint64_t mk_alloc(unsigned order, const char *name, uint8_t **buf);      /* captured metadata */
uint64_t mk_alloc_preserve(uint64_t size, const char *name, uint8_t **buf);
uint64_t mk_alloc_pages(uint64_t npages, unsigned align_order, uint8_t **buf);	/* contiguous, page aligned */
uint64_t mk_alloc_data(unsigned order, bool capture, uint8_t **buf);
uint64_t mk_alloc_uncaptured_page(void);
void mk_capture(uint64_t phys, uint64_t len, uint8_t *buf);
uint8_t *mk_phys_ptr(uint64_t phys, uint64_t len, bool create);
void mk_fill_data(uint64_t phys, uint8_t *buf, uint64_t len);
void mk_preserve(uint64_t phys, unsigned order);
void mk_preserve_range(uint64_t phys, uint64_t npages);
void mk_unpreserve(uint64_t phys, unsigned order);
void mk_sort_regions(void);
void mk_obj_add(const char *name, uint64_t phys, uint64_t size, int order);
struct mk_obj *mk_obj_find(const char *name);
struct mk_field *mk_field_add(const char *name, uint64_t phys, uint32_t size, unsigned flags);
struct mk_field *mk_field_find(const char *name);
static inline bool mk_overlap(uint64_t a, uint64_t al, uint64_t b, uint64_t bl)
{
	return a < b + bl && b < a + al;
}

/* ----------------------------------------------------------- fdt.c */
void mk_build_root_begin(void);
void mk_root_add_node(const char *name, uint64_t phys, uint64_t size, uint8_t *buf);
void mk_build_root_end(void);
void mk_root_set_map(uint64_t pa);
uint64_t mk_build_memblock(void);
void mk_build_kho_test(void);
void mk_build_kexec_md(void);
void mk_build_extra_nodes(void);
int mk_fdt_edit(uint8_t *buf, const char *path, const char *prop, const char *value,
		const struct mk_src *src);
uint8_t *mk_fdt_buf(const char *objname, uint64_t *pa);
const char *mk_gen_name(int gen);
const char *mk_root_compat(void);
bool mk_gen_blobsize(void);
bool mk_gen_g1(void);

/* ----------------------------------------------------------- handoff.c */
void mk_build_handoff(void);

/* ----------------------------------------------------------- memmap.c */
void mk_build_memmap(void);
bool mk_radix_entry(const char *path, uint64_t *phys, uint64_t *self, const struct mk_src *src);

/* ----------------------------------------------------------- luo.c */
void mk_build_luo(void);

/* ----------------------------------------------------------- memfd.c */
void mk_vmalloc_layout(struct mk_vmalloc *vm, uint64_t total_pages, unsigned order,
		       uint16_t flags, const char *name);
void mk_vmalloc_put(uint8_t *p, const struct mk_vmalloc *vm);
uint64_t mk_build_memfd(struct mk_memfd *m, const char *compat, const char *name);
uint64_t mk_build_gmem(struct mk_file *f, const char *name);
uint64_t mk_build_kvm(struct mk_file *f, const char *name);
uint64_t mk_build_blob(const uint8_t *blob, size_t len, const char *name);
/* The memfd/guest_memfd folio word {u64 pfn:52; u64 flags:12} as the
 * integer mk_put64 stores in the image's byte order (see memfd.c). */
uint64_t mk_folio_word(uint64_t pfn, uint64_t flags);
uint64_t mk_folio_pfn(uint64_t w);
uint64_t mk_folio_flags(uint64_t w);
bool mk_memfd_folio_field(const char *target, uint64_t *phys, unsigned *kind,
			  const struct mk_src *src);

/* ----------------------------------------------------------- brk.c */
struct mk_elfbreak {
	uint64_t truncate;
	bool truncate_set, overlap, past_eof;
	uint64_t note_descsz;
	bool note_descsz_set;
	uint64_t note_namesz;
	bool note_namesz_set;
	struct {
		int idx;
		int field;	/* 0 paddr 1 offset 2 filesz 3 memsz 4 type 5 vaddr */
		uint64_t v;
	} lf[32];
	int nlf;
	uint64_t phnum;
	bool phnum_set;
};
extern struct mk_elfbreak mk_eb;
void mk_apply_unpreserve(void);
void mk_apply_directives(void);

/* ----------------------------------------------------------- elf.c */
enum { FMT_ELF, FMT_FDT, FMT_DEBUGFS, FMT_KCORE };
void mk_write_output(const char *out, int fmt);
void mk_write_layout(const char *path, int fmt);

#endif
