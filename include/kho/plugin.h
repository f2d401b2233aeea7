/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kho-inspect plugin API.
 *
 * A plugin is a shared object that exports one symbol, `kho_plugin_entry`,
 * of type `struct kho_plugin`.  The host refuses a plugin whose api_version
 * differs from KHO_PLUGIN_API_VERSION.  Plugins decode one object at a time:
 * they read image memory only through the accessors below, and they report
 * what they find as objects, fields, tables and findings.  They never print,
 * never exit and never keep pointers into host state past a call, except for
 * the table state they hand to the host (freed through its callback).
 *
 * Every function that can fail returns 0 on success or a negative KHO_E*
 * code.  Nothing here calls abort() on bad input.
 */
#ifndef KHO_PLUGIN_H
#define KHO_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bump on any incompatible change of this header. */
#define KHO_PLUGIN_API_VERSION 1

/* ---------------------------------------------------------------- errors */

enum kho_err {
	KHO_OK = 0,
	KHO_ENOMEM = -1,       /* allocation failed */
	KHO_ENOTCAPTURED = -2, /* plausible address, but the image lacks it */
	KHO_ERANGE = -3,       /* address outside any physical range / wraps */
	KHO_ECORRUPT = -4,     /* structure is malformed */
	KHO_ENOENT = -5,       /* not found (no block, no decoder, no key) */
	KHO_ELIMIT = -6,       /* a resource limit was reached */
	KHO_EINVAL = -7,       /* bad argument from the caller */
	KHO_EIO = -8,          /* the host could not read a file */
	KHO_EFORMAT = -9,      /* input is not a handover image */
};

/* ------------------------------------------------------------ severities */

enum kho_severity {
	KHO_SEV_NOTE = 0,
	KHO_SEV_WARNING = 1,
	KHO_SEV_ERROR = 2,
	/*
	 * Cannot be known from this image: the finding depends on memory the
	 * image does not hold.  Ranks between warning and error (it is worse
	 * than a warning, but it is not shown to be broken); its value is 3
	 * so that the values above keep their meaning for older plugins.
	 * The host also turns findings into unknown on its own: see
	 * kho_vreport().
	 */
	KHO_SEV_UNKNOWN = 3,
};
#define KHO_SEV_COUNT 4

/* --------------------------------------------------------- opaque handles */

struct kho_ctx; /* one decode session over one image */
struct kho_obj; /* a node of the object tree */

/* ------------------------------------------------- typed service results */

/*
 * A decoded vmalloc area (struct kho_vmalloc plus its chunk list).  runs[i]
 * is the physical address of run i; each run is (PAGE_SIZE << order) bytes
 * and the runs concatenated in order form the virtual area.  The host owns
 * the runs array; it lives as long as the decode session.
 */
struct kho_vmalloc_area {
	uint64_t desc_phys;   /* where the 16-byte descriptor sits, 0 if unknown */
	uint64_t first;       /* first chunk */
	uint32_t total_pages;
	uint16_t flags;
	uint16_t order;
	uint64_t nr_runs;     /* runs actually usable (validated) */
	const uint64_t *runs;
	int valid;            /* 1 when every run could be collected */
};

/*
 * Callback for each entry of a KHO block chain (spec §5).  `entry` points at
 * entry_size bytes inside the mapped block; `phys` is the entry's address.
 * Return 0 to continue, a positive value to stop early, negative on error.
 */
typedef int (*kho_block_entry_fn)(struct kho_ctx *c, void *arg, uint64_t index,
				  uint64_t phys, const uint8_t *entry);

struct kho_block_chain_result {
	uint64_t nr_blocks;
	uint64_t nr_entries;
	int complete; /* 1 when the whole chain was walked without error */
};

/* ------------------------------------------------------ memory-map plugins */

/*
 * A memory-map plugin registers an implementation of this interface while it
 * decodes `preserved-memory-map`.  The host uses it for coverage checks, the
 * `memmap` command, overlap detection (a k-way merge over the per-order
 * iterators) and the unattributed-block report.  All lookups go straight to
 * the mapped image structures; no second index of the blocks is built.
 */
struct kho_memmap_ops {
	/*
	 * Find the preserved block that contains `phys`.  On success fill
	 * *block_phys and *order.  Return KHO_ENOENT when none does.
	 */
	int (*find)(void *state, uint64_t phys, uint64_t *block_phys,
		    unsigned int *order);
	/* Whether (phys, order) is exactly a preserved block: 1, 0, or <0. */
	int (*has)(void *state, uint64_t phys, unsigned int order);
	/* Record that a decoded object accounts for block (phys, order). */
	void (*mark)(void *state, uint64_t phys, unsigned int order);
	/*
	 * Iterate the blocks of one order in ascending address.  With
	 * unmarked_only, skip blocks passed to mark().  iter_next returns 1 and
	 * fills *phys, 0 at the end, <0 on error.
	 */
	void *(*iter_new)(void *state, unsigned int order, int unmarked_only);
	int (*iter_next)(void *iter, uint64_t *phys);
	void (*iter_free)(void *iter);
	/* Highest order that may hold blocks (iterators exist for 0..max). */
	unsigned int max_order;
	/* Release the state at the end of the session. */
	void (*free)(void *state);

	/*
	 * Optional fast paths (NULL: the host falls back to the calls above).
	 *
	 * claim: for each i < n, the block that starts at phys[i], found and
	 * marked in one look-up: the smallest-order block containing phys[i]
	 * must begin at phys[i] (as find() and "block_phys == phys").  Then
	 * mark it and set order[i] to its order; otherwise set order[i] to
	 * KHO_CLAIM_NONE and mark nothing.  Returns how many were claimed, or
	 * <0.  Batched so that per-folio loops cost no call per folio.
	 */
	int (*claim)(void *state, const uint64_t *phys, uint8_t *order,
		     size_t n);
	/*
	 * iter_next_word: up to 64 blocks of an iterator at once.  Fills
	 * *phys with the next block and *bits with a mask in which bit i
	 * stands for the block at phys + i * (PAGE_SIZE << order); bit 0 is
	 * always set, and every block of the mask comes before the blocks of
	 * later calls.  Returns like iter_next, and may be mixed with it.
	 */
	int (*iter_next_word)(void *iter, uint64_t *phys, uint64_t *bits);
	/*
	 * claim_seq: claim for the n addresses phys + i * step (i < n,
	 * modulo 2^64), exactly as claim would for them in an array.  For
	 * folio arrays whose folios are physically consecutive.
	 */
	int (*claim_seq)(void *state, uint64_t phys, uint64_t step,
			 uint8_t *order, size_t n);
};

/* ------------------------------------------------------------- the plugin */

enum kho_plugin_role {
	KHO_ROLE_BLOB = 0,   /* decodes a sub-blob, a file handler, an FLB... */
	KHO_ROLE_MEMMAP = 1, /* decodes preserved-memory-map for a root compat */
	KHO_ROLE_SERVICE = 2 /* provides vmalloc / block-chain decoding */
};

/*
 * What a blob decoder is asked to decode.  For a sub-node of the root FDT,
 * node_name is the node name and compat the sub-FDT's compatible (or NULL for
 * a raw blob).  For a LUO file, compat is luo_file_ser.compatible, phys is
 * luo_file_ser.data and size is 0.  data/data_len are set when the bytes are
 * available without going through physical memory (e.g. a debugfs sub_fdts
 * file or an NT_KHO_SUBBLOB note); otherwise data is NULL and the decoder
 * reads from phys.
 */
struct kho_blob {
	const char *node_name;
	const char *compat;
	uint64_t phys;
	uint64_t size;  /* blob-size, FDT totalsize, or 0 when not known */
	const void *data;
	uint64_t data_len;
	uint64_t token; /* LUO file token / FLB count, 0 elsewhere */
};

struct kho_plugin {
	uint32_t api_version; /* KHO_PLUGIN_API_VERSION */
	const char *name;     /* short, unique: "memfd", "luo", "radix"... */
	const char *description;
	enum kho_plugin_role role;
	/* NULL-terminated lists of exact compat strings and node names. */
	const char *const *compats;
	const char *const *node_names;
	/* NULL-terminated list of the stable check ids this plugin emits. */
	const char *const *checks;

	/* KHO_ROLE_BLOB and KHO_ROLE_MEMMAP. */
	int (*decode)(struct kho_ctx *c, struct kho_obj *parent,
		      const struct kho_blob *blob);

	/* KHO_ROLE_SERVICE, vmalloc: decode a 16-byte struct kho_vmalloc. */
	int (*vmalloc)(struct kho_ctx *c, struct kho_obj *parent,
		       const char *name, uint64_t desc_phys,
		       const uint8_t desc[16], struct kho_vmalloc_area *out);
	/* KHO_ROLE_SERVICE, block chains: walk a chain of entry_size entries. */
	int (*block_chain)(struct kho_ctx *c, struct kho_obj *parent,
			   const char *name, uint64_t first, size_t entry_size,
			   kho_block_entry_fn fn, void *arg,
			   struct kho_block_chain_result *out);
};

/* The one symbol a plugin exports. */
#define KHO_PLUGIN_SYMBOL "kho_plugin_entry"
#define KHO_PLUGIN_DEFINE const struct kho_plugin kho_plugin_entry

/* ------------------------------------------------------- table of rows */

/*
 * Large homogeneous lists (memfd folios, vmalloc runs) are not objects: they
 * are tables whose rows are computed on demand from the mapped image, so that
 * memory stays proportional to metadata.  Columns are u64 values; their
 * format says how front ends show them.
 */
enum kho_col_fmt {
	KHO_COL_DEC = 0,  /* decimal number */
	KHO_COL_HEX = 1,  /* "0x..." (physical addresses, flags) */
	KHO_COL_SIZE = 2, /* bytes: a number in JSON, "64 KiB" in text */
};

struct kho_col {
	const char *name;
	enum kho_col_fmt fmt;
};

#define KHO_TABLE_MAX_COLS 8

/* Fill vals[0..ncols) for row i.  Return 0, or <0 if the row is unreadable. */
typedef int (*kho_row_fn)(struct kho_ctx *c, void *state, uint64_t i,
			  uint64_t *vals);

/* ------------------------------------------------------- host services */

/*
 * The host functions are reached through a table so that a plugin does not
 * depend on symbols of a particular executable.  Use the inline wrappers.
 */
struct kho_host_ops {
	uint32_t api_version;

	/* Image facts. */
	uint64_t (*page_size)(struct kho_ctx *c);
	int (*big_endian)(struct kho_ctx *c);
	const char *(*option)(struct kho_ctx *c, const char *key);
	int (*scratch)(struct kho_ctx *c, size_t i, uint64_t *addr,
		       uint64_t *size); /* KHO_ENOENT past the last area */
	const char *(*root_compat)(struct kho_ctx *c);

	/* Memory: bounds-checked, the only way to reach image bytes. */
	int (*mem_read)(struct kho_ctx *c, uint64_t phys, void *buf,
			uint64_t len);
	/* Pointer into the mapped image for [phys, phys+len); read-only. */
	int (*mem_map)(struct kho_ctx *c, uint64_t phys, uint64_t len,
		       const void **out);

	/* Objects. */
	struct kho_obj *(*obj_new)(struct kho_ctx *c, struct kho_obj *parent,
				   const char *kind, const char *name);
	void (*obj_compat)(struct kho_obj *o, const char *compat);
	void (*obj_phys)(struct kho_obj *o, uint64_t phys, uint64_t size);
	void (*field_u64)(struct kho_obj *o, const char *name, uint64_t v);
	void (*field_hex)(struct kho_obj *o, const char *name, uint64_t v);
	void (*field_size)(struct kho_obj *o, const char *name, uint64_t v);
	void (*field_str)(struct kho_obj *o, const char *name, const char *s);
	void (*field_bool)(struct kho_obj *o, const char *name, int v);
	int (*obj_table)(struct kho_obj *o, const char *name,
			 const struct kho_col *cols, unsigned int ncols,
			 uint64_t nrows, kho_row_fn fn, void *state,
			 void (*free_state)(void *state));
	const char *(*obj_path)(const struct kho_obj *o);

	/* Findings. */
	void (*vfinding)(struct kho_ctx *c, struct kho_obj *o,
			 enum kho_severity sev, const char *check,
			 uint64_t phys, const char *fmt, va_list ap);

	/* Dispatch to other plugins. */
	int (*decode_compat)(struct kho_ctx *c, struct kho_obj *parent,
			     const struct kho_blob *blob);
	int (*vmalloc)(struct kho_ctx *c, struct kho_obj *parent,
		       const char *name, uint64_t desc_phys,
		       const uint8_t desc[16], struct kho_vmalloc_area *out);
	int (*block_chain)(struct kho_ctx *c, struct kho_obj *parent,
			   const char *name, uint64_t first, size_t entry_size,
			   kho_block_entry_fn fn, void *arg,
			   struct kho_block_chain_result *out);

	/* Memory map. */
	int (*memmap_register)(struct kho_ctx *c,
			       const struct kho_memmap_ops *ops, void *state);
	/*
	 * Coverage checks (spec §11.4).  Each one attributes the blocks it
	 * finds and reports a finding on `o` itself when coverage is wrong.
	 * expect_block: exactly (phys, order) must be preserved.
	 * expect_range: [phys, phys+len) must be tiled by preserved blocks.
	 * block_at: the block that starts at phys; fills *order.
	 * Each returns 0 when covered, KHO_ENOENT when not, KHO_ENOTCAPTURED
	 * when there is no memory map to ask.
	 */
	int (*expect_block)(struct kho_ctx *c, struct kho_obj *o,
			    const char *what, uint64_t phys,
			    unsigned int order);
	int (*expect_range)(struct kho_ctx *c, struct kho_obj *o,
			    const char *what, uint64_t phys, uint64_t len);
	int (*block_at)(struct kho_ctx *c, uint64_t phys, unsigned int *order);

	/* Session-scoped allocation, freed with the session. */
	void *(*alloc)(struct kho_ctx *c, size_t size);

	/*
	 * block_at and expect_block of the block found, for n addresses at
	 * once and without findings: for each i, the block that starts at
	 * phys[i] is marked as accounted for and order[i] set to its order,
	 * or order[i] is KHO_CLAIM_NONE when no block starts there (nothing
	 * marked).  Returns how many were claimed, or KHO_ENOTCAPTURED when
	 * there is no memory map to ask.  For per-folio loops (memfd): one
	 * call per page of the folio array instead of two per folio.
	 */
	int (*claim_blocks)(struct kho_ctx *c, const uint64_t *phys,
			    uint8_t *order, size_t n);
	/*
	 * claim_blocks for the n addresses phys + i * step (i < n, modulo
	 * 2^64), with the same results, without building the array: for a
	 * batch of folios that are physically consecutive.
	 */
	int (*claim_seq_blocks)(struct kho_ctx *c, uint64_t phys,
				uint64_t step, uint8_t *order, size_t n);

	/*
	 * For a per-check cap: n more findings of `check` at `sev` were found
	 * on `o` but are not reported one by one.  The host records one entry
	 * with this message that stands for the n, so that the summary's
	 * totals stay true (JSON: the finding's "unlisted": n).  Nothing when
	 * n is 0.  Appended last: plugins built before it never call it.
	 */
	void (*vunlisted)(struct kho_ctx *c, struct kho_obj *o,
			  enum kho_severity sev, const char *check,
			  uint64_t n, const char *fmt, va_list ap);
};

/* order[i] of claim_blocks and kho_memmap_ops.claim: no block starts there. */
#define KHO_CLAIM_NONE 0xffu

/*
 * The context begins with the ops pointer so that the inline wrappers can
 * reach it without knowing the rest of the host's layout.
 */
struct kho_ctx_head {
	const struct kho_host_ops *ops;
};

static inline const struct kho_host_ops *kho_ops(struct kho_ctx *c)
{
	return ((const struct kho_ctx_head *)(const void *)c)->ops;
}

static inline uint64_t kho_page_size(struct kho_ctx *c)
{
	return kho_ops(c)->page_size(c);
}

static inline int kho_read(struct kho_ctx *c, uint64_t phys, void *buf,
			   uint64_t len)
{
	return kho_ops(c)->mem_read(c, phys, buf, len);
}

static inline int kho_map(struct kho_ctx *c, uint64_t phys, uint64_t len,
			  const void **out)
{
	return kho_ops(c)->mem_map(c, phys, len, out);
}

/* Integers in the image's byte order, from a byte pointer (any alignment). */
static inline uint64_t kho_get_u64(struct kho_ctx *c, const void *p)
{
	const uint8_t *b = (const uint8_t *)p;
	uint64_t v = 0;
	int i;

	if (kho_ops(c)->big_endian(c))
		for (i = 0; i < 8; i++)
			v = (v << 8) | b[i];
	else
		for (i = 7; i >= 0; i--)
			v = (v << 8) | b[i];
	return v;
}

static inline uint32_t kho_get_u32(struct kho_ctx *c, const void *p)
{
	const uint8_t *b = (const uint8_t *)p;

	if (kho_ops(c)->big_endian(c))
		return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		       (uint32_t)b[2] << 8 | b[3];
	return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[1] << 8 | b[0];
}

static inline uint16_t kho_get_u16(struct kho_ctx *c, const void *p)
{
	const uint8_t *b = (const uint8_t *)p;

	if (kho_ops(c)->big_endian(c))
		return (uint16_t)(b[0] << 8 | b[1]);
	return (uint16_t)(b[1] << 8 | b[0]);
}

static inline int kho_read_u64(struct kho_ctx *c, uint64_t phys, uint64_t *v)
{
	uint8_t b[8];
	int rc = kho_read(c, phys, b, 8);

	if (rc == 0)
		*v = kho_get_u64(c, b);
	return rc;
}

static inline struct kho_obj *kho_obj_new(struct kho_ctx *c,
					  struct kho_obj *parent,
					  const char *kind, const char *name)
{
	return kho_ops(c)->obj_new(c, parent, kind, name);
}

__attribute__((format(printf, 6, 7))) static inline void
kho_finding(struct kho_ctx *c, struct kho_obj *o, enum kho_severity sev,
	    const char *check, uint64_t phys, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kho_ops(c)->vfinding(c, o, sev, check, phys, fmt, ap);
	va_end(ap);
}

/* The entry that stands for n findings of `check` not listed one by one. */
__attribute__((format(printf, 6, 7))) static inline void
kho_unlisted(struct kho_ctx *c, struct kho_obj *o, enum kho_severity sev,
	     const char *check, uint64_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kho_ops(c)->vunlisted(c, o, sev, check, n, fmt, ap);
	va_end(ap);
}

/* Short forms of the object calls, so decoders read like a description. */
static inline void kho_compat(struct kho_ctx *c, struct kho_obj *o,
			      const char *compat)
{
	kho_ops(c)->obj_compat(o, compat);
}

static inline void kho_phys(struct kho_ctx *c, struct kho_obj *o,
			    uint64_t phys, uint64_t size)
{
	kho_ops(c)->obj_phys(o, phys, size);
}

static inline void kho_u64(struct kho_ctx *c, struct kho_obj *o,
			   const char *name, uint64_t v)
{
	kho_ops(c)->field_u64(o, name, v);
}

static inline void kho_hex(struct kho_ctx *c, struct kho_obj *o,
			   const char *name, uint64_t v)
{
	kho_ops(c)->field_hex(o, name, v);
}

static inline void kho_size(struct kho_ctx *c, struct kho_obj *o,
			    const char *name, uint64_t v)
{
	kho_ops(c)->field_size(o, name, v);
}

static inline void kho_str(struct kho_ctx *c, struct kho_obj *o,
			   const char *name, const char *s)
{
	kho_ops(c)->field_str(o, name, s);
}

static inline void kho_bool(struct kho_ctx *c, struct kho_obj *o,
			    const char *name, int v)
{
	kho_ops(c)->field_bool(o, name, v);
}

static inline int kho_expect_block(struct kho_ctx *c, struct kho_obj *o,
				   const char *what, uint64_t phys,
				   unsigned int order)
{
	return kho_ops(c)->expect_block(c, o, what, phys, order);
}

static inline int kho_expect_range(struct kho_ctx *c, struct kho_obj *o,
				   const char *what, uint64_t phys,
				   uint64_t len)
{
	return kho_ops(c)->expect_range(c, o, what, phys, len);
}

static inline int kho_vmalloc(struct kho_ctx *c, struct kho_obj *parent,
			      const char *name, uint64_t desc_phys,
			      const uint8_t desc[16],
			      struct kho_vmalloc_area *out)
{
	return kho_ops(c)->vmalloc(c, parent, name, desc_phys, desc, out);
}

static inline int kho_block_chain(struct kho_ctx *c, struct kho_obj *parent,
				  const char *name, uint64_t first,
				  size_t entry_size, kho_block_entry_fn fn,
				  void *arg,
				  struct kho_block_chain_result *out)
{
	return kho_ops(c)->block_chain(c, parent, name, first, entry_size, fn,
				       arg, out);
}

static inline int kho_decode(struct kho_ctx *c, struct kho_obj *parent,
			     const struct kho_blob *blob)
{
	return kho_ops(c)->decode_compat(c, parent, blob);
}

/* Length of a string inside a fixed field, or -1 when it has no NUL. */
static inline long kho_strnlen_field(const void *field, size_t size)
{
	const char *s = (const char *)field;
	size_t i;

	for (i = 0; i < size; i++)
		if (s[i] == '\0')
			return (long)i;
	return -1;
}

#ifdef __cplusplus
}
#endif

#endif /* KHO_PLUGIN_H */
