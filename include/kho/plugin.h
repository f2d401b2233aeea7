/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kho-inspect plugin API.
 *
 * A plugin is a shared object that exports one symbol, `kho_plugin_entry`,
 * of type `struct kho_plugin`.  Plugins decode one object at a time: they
 * read image memory only through the accessors below, and they report what
 * they find as objects, fields, tables and findings.  They never print,
 * never exit and never keep pointers into host state past a call, except
 * for the table state they hand to the host (freed through its callback).
 *
 * Every function that can fail returns 0 (or a documented non-negative
 * value) on success and a negative KHO_E* code (kho/err.h) on failure.
 * Nothing here calls abort() on bad input.
 *
 * ---------------------------------------------------------- versions
 *
 * The API has a major and a minor version.  Within one major version
 * the API only grows: a minor version may append members at the end of
 * struct kho_plugin, struct kho_host_ops and struct kho_memmap_ops, add
 * enumeration values and inline helpers, and give a code a value that was
 * unused.  It never removes, reorders or retypes a member, and a value
 * keeps its meaning.  Anything else is a new major version.
 *
 * The host loads a plugin whose major equals its own and whose minor is
 * at most its own.  It refuses a plugin of another major, or of a newer
 * minor (that plugin could call host ops this host does not have).  For
 * a plugin of an older minor the host provides every op that minor had,
 * at the same offsets, and it never reads a member of the plugin's
 * structures that the plugin's minor did not have: members of struct
 * kho_plugin and struct kho_memmap_ops appended in a later minor count as
 * NULL (see kho_memmap_ops_size() in the host).
 *
 * api_version holds KHO_PLUGIN_API(major, minor), major in the high 16
 * bits.  A value below 0x10000 is a bare major from before minors were
 * counted, with minor 0: every plugin built before 1.5 says 1, and the
 * host takes it for 1.0.  That is safe for all of them, because the only
 * members that 1.1 and 1.2 added which the host reads from a plugin are
 * optional fast paths of struct kho_memmap_ops, which the host then does
 * without.
 *
 * A plugin is built against the newest minor of its header unless it
 * defines KHO_PLUGIN_TARGET_MINOR (at most KHO_PLUGIN_API_MINOR) before
 * including it: it then sees only what that minor had, and
 * KHO_PLUGIN_API_VERSION says that minor, so that it also loads into a
 * host of that older minor.
 *
 * History of major version 1:
 *   1.0  the first API.
 *   1.1  struct kho_memmap_ops: claim, iter_next_word (optional, after
 *        free); struct kho_host_ops: claim_blocks (after alloc);
 *        KHO_CLAIM_NONE.
 *   1.2  struct kho_memmap_ops: claim_seq (optional); struct
 *        kho_host_ops: claim_seq_blocks.
 *   1.3  enum kho_severity: KHO_SEV_UNKNOWN (3, unused before).
 *   1.4  struct kho_host_ops: vunlisted, and kho_unlisted().
 *   1.5  api_version carries the minor (KHO_PLUGIN_API()); the error
 *        codes moved to kho/err.h and KHO_ENOMEM from -1 to -10.  The
 *        host reads a -1 that an older plugin's decode returns as
 *        KHO_ENOMEM (elsewhere any negative value is a failure anyway);
 *        an older plugin that compares a host result with its own
 *        KHO_ENOMEM (-1) sees -10 as another failure.
 *   1.6  struct kho_plugin: check_list (after block_chain), a list of
 *        struct kho_check that gives each check id a cap; the host lists
 *        the first `cap` findings of an id per decode call and counts the
 *        rest (see struct kho_check).
 * 1.1 to 1.4 were added without a change of the number (every plugin said
 * 1); they are counted here so that each state of the header has a name.
 *
 * Obsolete within 1.5, with no change of the number because no plugin
 * sees a structure or an op change: KHO_ROLE_SERVICE and the vmalloc and
 * block_chain members of struct kho_plugin.  The host decodes vmalloc
 * areas and block chains itself (the host ops vmalloc and block_chain,
 * behind kho_vmalloc() and kho_block_chain(), are as before); it never
 * reads those members, and it loads no plugin of that role.  They keep
 * their value and place so that older plugins build and the layout stays
 * that of every minor.
 */
#ifndef KHO_PLUGIN_H
#define KHO_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define KHO_PLUGIN_API_MAJOR 1
#define KHO_PLUGIN_API_MINOR 6

#ifndef KHO_PLUGIN_TARGET_MINOR
#define KHO_PLUGIN_TARGET_MINOR KHO_PLUGIN_API_MINOR
#endif
#if KHO_PLUGIN_TARGET_MINOR > KHO_PLUGIN_API_MINOR || KHO_PLUGIN_TARGET_MINOR < 0
#error "KHO_PLUGIN_TARGET_MINOR names a minor this header does not know"
#endif

#include "err.h"   /* next to this file: the KHO_E* codes */
#include "kinds.h" /* object kinds and field names the core reads back */

#ifdef __cplusplus
extern "C" {
#endif

/* The api_version value of version major.minor. */
#define KHO_PLUGIN_API(major, minor) \
	((uint32_t)(major) << 16 | (uint32_t)(minor))
/* Major and minor of an api_version value (a bare major has minor 0). */
#define KHO_PLUGIN_API_MAJOR_OF(v) \
	((uint32_t)(v) >> 16 ? (uint32_t)(v) >> 16 : (uint32_t)(v))
#define KHO_PLUGIN_API_MINOR_OF(v) \
	((uint32_t)(v) >> 16 ? (uint32_t)(v) & 0xffffu : 0u)

/* What a plugin puts in api_version: the version it is built against. */
#define KHO_PLUGIN_API_VERSION \
	KHO_PLUGIN_API(KHO_PLUGIN_API_MAJOR, KHO_PLUGIN_TARGET_MINOR)

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
	 * kho_vreport().  Since 1.3.
	 */
#if KHO_PLUGIN_TARGET_MINOR >= 3
	KHO_SEV_UNKNOWN = 3,
#endif
};
#if KHO_PLUGIN_TARGET_MINOR >= 3
#define KHO_SEV_COUNT 4
#else
#define KHO_SEV_COUNT 3
#endif

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
 * Callback for each entry of a KHO block chain (spec §5), called by the
 * block_chain service in entry order.
 *   in:     c, arg (as given to kho_block_chain), index (0, 1, ... over
 *           the whole chain), phys (the entry's physical address), entry
 *           (entry_size bytes inside the mapped block, valid only during
 *           the call).
 *   return: 0 to go on, a positive value to stop calling (the walk still
 *           checks the rest of the chain), a negative KHO_E* code to stop
 *           with that error.
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
 * decodes `preserved-memory-map` (kho_host_ops.memmap_register).  The host
 * uses it for coverage checks, the `memmap` command, overlap detection (a
 * k-way merge over the per-order iterators) and the unattributed-block
 * report.  All lookups go straight to the mapped image structures; no
 * second index of the blocks is built.
 *
 * Every op gets back the `state` given to memmap_register (or an iterator
 * made by iter_new).  The ops are called only during the session, never
 * after free.  Members appended in a later minor than the registering
 * plugin's count as NULL: the host copies only the prefix the plugin's
 * minor had.
 */
struct kho_memmap_ops {
	/*
	 * find: the preserved block that contains an address.
	 *   in:     phys, any physical address.
	 *   out:    *block_phys (where the block starts) and *order, only
	 *           on success.
	 *   return: 0, KHO_ENOENT when no preserved block contains phys.
	 *   Required.
	 */
	int (*find)(void *state, uint64_t phys, uint64_t *block_phys,
		    unsigned int *order);
	/*
	 * has: whether (phys, order) is exactly one preserved block.
	 *   return: 1 yes, 0 no, a negative KHO_E* code on failure.
	 *   Required.
	 */
	int (*has)(void *state, uint64_t phys, unsigned int order);
	/*
	 * mark: record that a decoded object accounts for the block
	 * (phys, order), so that iterators with unmarked_only skip it.
	 * Called only for blocks that find or has reported.  Optional
	 * (NULL: nothing is ever "accounted for").
	 */
	void (*mark)(void *state, uint64_t phys, unsigned int order);
	/*
	 * iter_new: an iterator over the blocks of one order, ascending.
	 *   in:     order (0..max_order); unmarked_only: skip blocks passed
	 *           to mark().
	 *   return: the iterator, or NULL when it cannot be made (no memory);
	 *           the host then treats the order as empty.
	 *   Required.
	 */
	void *(*iter_new)(void *state, unsigned int order, int unmarked_only);
	/*
	 * iter_next: the next block of an iterator.
	 *   out:    *phys, the block's address, only when 1 is returned.
	 *   return: 1 (a block), 0 (the end), a negative KHO_E* code.
	 *   Required.
	 */
	int (*iter_next)(void *iter, uint64_t *phys);
	/* iter_free: release an iterator.  Required. */
	void (*iter_free)(void *iter);
	/* Highest order that may hold blocks (iterators exist for 0..max). */
	unsigned int max_order;
	/* free: release the state at the end of the session.  Optional. */
	void (*free)(void *state);

#if KHO_PLUGIN_TARGET_MINOR >= 1
	/*
	 * Optional fast paths (NULL: the host falls back to the calls above).
	 *
	 * claim (since 1.1): for each i < n, the block that starts at
	 * phys[i], found and marked in one look-up: the smallest-order block
	 * containing phys[i] must begin at phys[i] (as find() and
	 * "block_phys == phys").
	 *   in:     phys[0..n).
	 *   out:    order[i], the block's order, and the block marked; or
	 *           KHO_CLAIM_NONE and nothing marked.
	 *   return: how many were claimed (0..n), or a negative KHO_E* code
	 *           (the host then takes none as claimed).
	 * Batched so that per-folio loops cost no call per folio.
	 */
	int (*claim)(void *state, const uint64_t *phys, uint8_t *order,
		     size_t n);
	/*
	 * iter_next_word (since 1.1): up to 64 blocks of an iterator at once.
	 *   out:    *phys, the next block; *bits, a mask in which bit i
	 *           stands for the block at phys + i * (PAGE_SIZE << order).
	 *           Bit 0 is always set, and every block of the mask comes
	 *           before the blocks of later calls.
	 *   return: like iter_next; may be mixed with it.
	 */
	int (*iter_next_word)(void *iter, uint64_t *phys, uint64_t *bits);
#endif
#if KHO_PLUGIN_TARGET_MINOR >= 2
	/*
	 * claim_seq (since 1.2): claim for the n addresses phys + i * step
	 * (i < n, modulo 2^64), with the same out and return as claim would
	 * give for them in an array.  For folio arrays whose folios are
	 * physically consecutive.
	 */
	int (*claim_seq)(void *state, uint64_t phys, uint64_t step,
			 uint8_t *order, size_t n);
#endif
};

/* ------------------------------------------------------------- the plugin */

enum kho_plugin_role {
	KHO_ROLE_BLOB = 0,   /* decodes a sub-blob, a file handler, an FLB... */
	KHO_ROLE_MEMMAP = 1, /* decodes preserved-memory-map for a root compat */
	/*
	 * Obsolete: provided the vmalloc and block_chain services, which
	 * the host has now.  The host does not load a plugin of this role
	 * (`kho-inspect plugins` lists it as refused and ignored).
	 */
	KHO_ROLE_SERVICE = 2
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

#if KHO_PLUGIN_TARGET_MINOR >= 6
/*
 * One check id a plugin emits, with its cap (since 1.6).  A hostile image
 * can break one invariant millions of times, so the host, not the
 * plugin, bounds what is listed: within one call of the plugin's decode,
 * it lists the first `cap` findings of the id, only counts the rest, and
 * when decode returns adds one entry of the id ("...and N more ID
 * findings", on the object the call made first below its parent, at the
 * worst severity among them) that stands for the N in the summary's
 * totals (as kho_unlisted()).  cap 0: every finding is listed.
 */
struct kho_check {
	const char *id;
	uint32_t cap;
};
#endif

/*
 * The descriptor a plugin exports.  The host reads it once at load time
 * and calls its ops during sessions.  Members appended in a later minor
 * than the plugin's (check_list, for a plugin before 1.6) count as NULL.
 */
struct kho_plugin {
	/*
	 * KHO_PLUGIN_API_VERSION: the version built against.  The host
	 * refuses another major or a newer minor than its own.
	 */
	uint32_t api_version;
	const char *name;     /* short, unique: "memfd", "luo", "radix"... */
	const char *description;
	enum kho_plugin_role role;
	/* NULL-terminated lists of exact compat strings and node names. */
	const char *const *compats;
	const char *const *node_names;
	/*
	 * NULL-terminated list of the stable check ids this plugin emits,
	 * none of them capped.  A plugin of 1.6 or later that sets
	 * check_list leaves this NULL: the host then reads check_list only.
	 */
	const char *const *checks;

	/*
	 * decode (KHO_ROLE_BLOB and KHO_ROLE_MEMMAP): decode one blob.
	 *   in:     parent, the object to hang the decoded object below;
	 *           blob, what to decode (valid during the call only).
	 *   out:    objects, fields, tables and findings through the host
	 *           ops; a KHO_ROLE_MEMMAP decoder also registers its
	 *           struct kho_memmap_ops with memmap_register.
	 *   return: 0, also for a broken image (that is reported as
	 *           findings); a negative KHO_E* code only for a failure of
	 *           the tool: KHO_ENOMEM, KHO_ELIMIT (kho_obj_new gave NULL).
	 *           The host goes on with the next blob either way and
	 *           passes the code to a plugin that asked for the decode
	 *           through kho_decode().
	 */
	int (*decode)(struct kho_ctx *c, struct kho_obj *parent,
		      const struct kho_blob *blob);

	/*
	 * vmalloc, block_chain: obsolete, with KHO_ROLE_SERVICE; the host
	 * never reads them.  They were the entry points of a service plugin,
	 * which the host ops vmalloc and block_chain (see there) called.
	 */
	int (*vmalloc)(struct kho_ctx *c, struct kho_obj *parent,
		       const char *name, uint64_t desc_phys,
		       const uint8_t desc[16], struct kho_vmalloc_area *out);
	int (*block_chain)(struct kho_ctx *c, struct kho_obj *parent,
			   const char *name, uint64_t first, size_t entry_size,
			   kho_block_entry_fn fn, void *arg,
			   struct kho_block_chain_result *out);

#if KHO_PLUGIN_TARGET_MINOR >= 6
	/*
	 * check_list (since 1.6): the check ids this plugin emits with their
	 * caps, ended by an entry whose id is NULL; in place of checks.
	 * Entries after the end are not read (a plugin may keep ids the host
	 * declares there, for its own indexing).
	 */
	const struct kho_check *check_list;
#endif
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

/*
 * A table's row function, called by front ends at any time before the
 * session ends, rows in any order.
 *   in:     state (as given to obj_table), i < nrows.
 *   out:    vals[0..ncols).
 *   return: 0, or a negative KHO_E* code when the row cannot be read (the
 *           front end shows the row as unreadable).
 */
typedef int (*kho_row_fn)(struct kho_ctx *c, void *state, uint64_t i,
			  uint64_t *vals);

/* ------------------------------------------------------- host services */

/*
 * The host functions are reached through a table so that a plugin does not
 * depend on symbols of a particular executable.  Use the inline wrappers.
 * A plugin may call every op of its minor: the host has them all.
 *
 * Unless said otherwise, an op may be called only during a call from the
 * host into the plugin (decode, a memmap op, a row function, a block-chain
 * entry callback), with the c it was given, and the pointers it takes are
 * read during the call only.  Strings returned are owned by the host and
 * live as long as the session.
 */
struct kho_host_ops {
	/* KHO_PLUGIN_API_VERSION of the host (at least the plugin's). */
	uint32_t api_version;

	/* ---- Image facts. */
	/* page_size: the producer's PAGE_SIZE in bytes (4096, 16384...). */
	uint64_t (*page_size)(struct kho_ctx *c);
	/* big_endian: 1 when the image's integers are big-endian, else 0. */
	int (*big_endian)(struct kho_ctx *c);
	/*
	 * option: a fact about the image's producer that the host knows
	 * from elsewhere (a note, --release, the user).
	 *   in:     key: "radix-depth", "v1-bitmap-bytes", "direction" or
	 *           "release".
	 *   return: the value ("orig"/"plus1", "512"/"page", ...), or NULL
	 *           when not known or for any other key.
	 */
	const char *(*option)(struct kho_ctx *c, const char *key);
	/*
	 * scratch: the i-th scratch area of the image.
	 *   out:    *addr and *size, only on success.
	 *   return: 0, KHO_ENOENT past the last area.
	 */
	int (*scratch)(struct kho_ctx *c, size_t i, uint64_t *addr,
		       uint64_t *size);
	/* root_compat: the root FDT's compatible, or NULL when it has none. */
	const char *(*root_compat)(struct kho_ctx *c);

	/* ---- Memory: bounds-checked, the only way to reach image bytes. */
	/*
	 * mem_read: copy [phys, phys+len) of physical memory into buf.
	 *   out:    buf[0..len), complete only on success.
	 *   return: 0; KHO_ENOTCAPTURED when a plausible address is not in
	 *           the image; KHO_ERANGE when the range lies outside
	 *           physical memory or wraps; KHO_EIO or KHO_ENOMEM when the
	 *           host cannot read its file.
	 */
	int (*mem_read)(struct kho_ctx *c, uint64_t phys, void *buf,
			uint64_t len);
	/*
	 * mem_map: a read-only pointer into the mapped image for
	 * [phys, phys+len), valid for the session.
	 *   out:    *out, only on success.
	 *   return: as mem_read, and KHO_ENOTCAPTURED also for a range that
	 *           spans two segments: fall back to mem_read.
	 */
	int (*mem_map)(struct kho_ctx *c, uint64_t phys, uint64_t len,
		       const void **out);

	/* ---- Objects. */
	/*
	 * obj_new: a new object of `kind` named `name` below parent (NULL:
	 * below the root).  Both strings are copied.
	 *   return: the object, valid for the session; NULL when the
	 *           session's object limit is reached or memory runs out:
	 *           stop and return KHO_ELIMIT.
	 */
	struct kho_obj *(*obj_new)(struct kho_ctx *c, struct kho_obj *parent,
				   const char *kind, const char *name);
	/*
	 * obj_compat, obj_phys, field_*: describe an object.  Strings are
	 * copied.  A NULL o is ignored; so is a field when memory runs out
	 * (the session reports limit.memory).  No return value.
	 *   obj_compat: its compatible string.
	 *   obj_phys:   where it lies: phys and size in bytes.
	 *   field_u64:  a count or value; field_hex: an address, flags or a
	 *               magic ("0x..."); field_size: a byte count; field_str:
	 *               a string; field_bool: v != 0.
	 */
	void (*obj_compat)(struct kho_obj *o, const char *compat);
	void (*obj_phys)(struct kho_obj *o, uint64_t phys, uint64_t size);
	void (*field_u64)(struct kho_obj *o, const char *name, uint64_t v);
	void (*field_hex)(struct kho_obj *o, const char *name, uint64_t v);
	void (*field_size)(struct kho_obj *o, const char *name, uint64_t v);
	void (*field_str)(struct kho_obj *o, const char *name, const char *s);
	void (*field_bool)(struct kho_obj *o, const char *name, int v);
	/*
	 * obj_table: attach a table of nrows rows of ncols columns (cols
	 * copied) whose rows fn computes from state on demand.
	 *   in:     free_state, called on state when the session ends, or
	 *           NULL when state needs no freeing (session memory).
	 *   return: 0; KHO_EINVAL (o, name or fn NULL, ncols 0 or above
	 *           KHO_TABLE_MAX_COLS) or KHO_ENOMEM.  On failure state has
	 *           already been passed to free_state.
	 */
	int (*obj_table)(struct kho_obj *o, const char *name,
			 const struct kho_col *cols, unsigned int ncols,
			 uint64_t nrows, kho_row_fn fn, void *state,
			 void (*free_state)(void *state));
	/* obj_path: the object's path ("/LUO/sessions/vm0"), "/" for NULL. */
	const char *(*obj_path)(const struct kho_obj *o);

	/* ---- Findings. */
	/*
	 * vfinding: report a finding on o (NULL: the root) with a stable
	 * check id, the address it is about (0: none) and a one-line
	 * printf-style message.  Behind kho_finding().  The host may make
	 * the severity unknown (see KHO_SEV_UNKNOWN), lists only the
	 * first findings of a capped id (struct kho_check) and stops
	 * listing findings past its limit (limit.findings).  No return
	 * value.
	 */
	void (*vfinding)(struct kho_ctx *c, struct kho_obj *o,
			 enum kho_severity sev, const char *check,
			 uint64_t phys, const char *fmt, va_list ap);

	/* ---- Dispatch to other plugins. */
	/*
	 * decode_compat: hand a blob to the plugin that decodes it (by
	 * blob->compat, then blob->node_name).  Behind kho_decode().
	 *   out:    that plugin's objects below parent; without one, an
	 *           "unknown" object and the note plugin.no-decoder.
	 *   return: the decoder's return value; KHO_ENOENT when there is no
	 *           decoder; KHO_ELIMIT when decoders nest too deep
	 *           (limit.depth is reported).
	 */
	int (*decode_compat)(struct kho_ctx *c, struct kho_obj *parent,
			     const struct kho_blob *blob);
	/*
	 * vmalloc: the host's vmalloc service, behind kho_vmalloc(); decode
	 * the 16-byte struct kho_vmalloc desc (read from desc_phys, 0 when
	 * not known) and its chunk list, with the vmalloc.* checks.
	 *   in:     parent and name of the "vmalloc" object to create.
	 *   out:    *out (zeroed first), the runs allocated for the session;
	 *           the object, its "runs" table and findings.
	 *   return: 0 (the area may still be !valid: see findings), or a
	 *           negative KHO_E* code for a failure of the tool.
	 *
	 * block_chain: the host's block-chain service, behind
	 * kho_block_chain(); walk a chain of KHO blocks starting at first,
	 * of entries of entry_size bytes, with the block.* checks, calling
	 * fn (when not NULL) for each entry in order.
	 *   in:     parent and name of the "block-chain" object to create.
	 *   out:    *out when not NULL (zeroed first); the object and
	 *           findings.
	 *   return: 0, the negative code fn returned, KHO_EINVAL (entry_size
	 *           0 or larger than a block holds), or another negative
	 *           KHO_E* code for a failure of the tool.
	 */
	int (*vmalloc)(struct kho_ctx *c, struct kho_obj *parent,
		       const char *name, uint64_t desc_phys,
		       const uint8_t desc[16], struct kho_vmalloc_area *out);
	int (*block_chain)(struct kho_ctx *c, struct kho_obj *parent,
			   const char *name, uint64_t first, size_t entry_size,
			   kho_block_entry_fn fn, void *arg,
			   struct kho_block_chain_result *out);

	/* ---- Memory map. */
	/*
	 * memmap_register: make ops (with state) the session's memory map.
	 * The host keeps its own copy of *ops (the prefix of the calling
	 * plugin's minor) and keeps state until it calls ops->free.
	 *   return: 0; KHO_EINVAL when a required op is NULL, or when a map
	 *           is already registered (then ops->free(state) has been
	 *           called).
	 */
	int (*memmap_register)(struct kho_ctx *c,
			       const struct kho_memmap_ops *ops, void *state);
	/*
	 * Coverage checks (spec §11.4).  Each one attributes the blocks it
	 * finds and reports a finding on `o` itself when coverage is wrong
	 * (coverage.not-preserved, coverage.order-mismatch; `what` names
	 * the thing in the message).
	 * expect_block: exactly (phys, order) must be preserved.
	 * expect_range: [phys, phys+len) must be tiled by preserved blocks.
	 * block_at: the block that starts at phys; fills *order, no finding.
	 * Each returns 0 when covered, KHO_ENOENT when not, KHO_ENOTCAPTURED
	 * when there is no memory map to ask (then stop asking).
	 */
	int (*expect_block)(struct kho_ctx *c, struct kho_obj *o,
			    const char *what, uint64_t phys,
			    unsigned int order);
	int (*expect_range)(struct kho_ctx *c, struct kho_obj *o,
			    const char *what, uint64_t phys, uint64_t len);
	int (*block_at)(struct kho_ctx *c, uint64_t phys, unsigned int *order);

	/*
	 * alloc: size bytes of session memory, freed with the session (never
	 * by the plugin); aligned for any type.
	 *   return: the memory, zero-filled, or NULL when out of memory or
	 *           past the session's memory limit.
	 */
	void *(*alloc)(struct kho_ctx *c, size_t size);

#if KHO_PLUGIN_TARGET_MINOR >= 1
	/*
	 * claim_blocks (since 1.1): block_at and expect_block of the block
	 * found, for n addresses at once and without findings.
	 *   in:     phys[0..n).
	 *   out:    for each i, the block that starts at phys[i] is marked as
	 *           accounted for and order[i] set to its order, or order[i]
	 *           is KHO_CLAIM_NONE when no block starts there (nothing
	 *           marked).
	 *   return: how many were claimed, or KHO_ENOTCAPTURED when there is
	 *           no memory map to ask.
	 * For per-folio loops (memfd): one call per page of the folio array
	 * instead of two per folio.
	 */
	int (*claim_blocks)(struct kho_ctx *c, const uint64_t *phys,
			    uint8_t *order, size_t n);
#endif
#if KHO_PLUGIN_TARGET_MINOR >= 2
	/*
	 * claim_seq_blocks (since 1.2): claim_blocks for the n addresses
	 * phys + i * step (i < n, modulo 2^64), with the same out and
	 * return, without building the array: for a batch of folios that
	 * are physically consecutive.
	 */
	int (*claim_seq_blocks)(struct kho_ctx *c, uint64_t phys,
				uint64_t step, uint8_t *order, size_t n);
#endif
#if KHO_PLUGIN_TARGET_MINOR >= 4
	/*
	 * vunlisted (since 1.4): for a per-check cap: n more findings of
	 * `check` at `sev` were found on `o` but are not reported one by
	 * one.  The host records one entry with this message that stands
	 * for the n, so that the summary's totals stay true (JSON: the
	 * finding's "unlisted": n).  Nothing when n is 0.  Behind
	 * kho_unlisted().  No return value.  Since 1.6 a plugin declares
	 * caps in check_list instead and the host writes these entries.
	 */
	void (*vunlisted)(struct kho_ctx *c, struct kho_obj *o,
			  enum kho_severity sev, const char *check,
			  uint64_t n, const char *fmt, va_list ap);
#endif
};

#if KHO_PLUGIN_TARGET_MINOR >= 1
/* order[i] of claim_blocks and kho_memmap_ops.claim: no block starts there. */
#define KHO_CLAIM_NONE 0xffu
#endif

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

#if KHO_PLUGIN_TARGET_MINOR >= 4
/*
 * The entry that stands for n findings of `check` not listed one by one
 * (since 1.4).
 */
__attribute__((format(printf, 6, 7))) static inline void
kho_unlisted(struct kho_ctx *c, struct kho_obj *o, enum kho_severity sev,
	     const char *check, uint64_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kho_ops(c)->vunlisted(c, o, sev, check, n, fmt, ap);
	va_end(ap);
}
#endif

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
