/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pieces of the decode session shared between its source files.  Front ends
 * use session.h only.
 */
#ifndef KHO_SESSION_INTERNAL_H
#define KHO_SESSION_INTERNAL_H

#include <stdarg.h>

#include "session.h"

/*
 * The session itself.  Only src/decode/ sees its members; front ends read
 * it through the accessors of session.h.
 */
struct kho_limits {
	uint64_t objects, findings, depth, memory;
};

struct kho_ctx {
	const struct kho_host_ops *ops; /* must stay first: see kho_ctx_head */
	struct kho_image *img;
	struct kho_plugin_set *plugins;

	struct kho_obj *root;
	uint64_t nobjects;
	int object_limit_hit;

	/*
	 * Field names are a small fixed vocabulary repeated on thousands of
	 * objects: each is stored once, in the arena.
	 */
	const char *field_names[KHO_FIELD_NAME_SLOTS];
	struct kho_table *owned_tables;

	struct kho_finding_rec *findings;
	size_t nfindings, capfindings;
	int finding_limit_hit;
	size_t counts[KHO_SEV_COUNT]; /* per severity */
	/* Memory the image lacks that the memory map needed (see findings.c). */
	uint64_t map_gap_phys;
	size_t map_gaps;

	const char *root_compat;
	/* The root sub-node being checked, for its findings' consequence. */
	const char *cq_subnode;
	const char *generation; /* "G1a", "G2b", "RFC", ... */

	/*
	 * The registered memory map: mm_ops points at mm_ops_copy, the
	 * registering plugin's ops with members newer than its minor NULL.
	 */
	const struct kho_memmap_ops *mm_ops;
	struct kho_memmap_ops mm_ops_copy;
	void *mm_state;
	struct kho_memmap_summary mm;

	unsigned int call_depth; /* recursion guard for dispatch */
	unsigned int cur_minor;  /* API minor of the plugin running now */
	struct kho_cap_scope *cap_scope; /* innermost decode call (checks.h) */

	/* Resource limits (KHO_MAX_*, or lower from KHO_INSPECT_LIMITS). */
	struct kho_limits lim;
	int depth_limit_hit, memory_limit_hit;

	void *arena; /* session allocations */
};

/* objtree.c */
struct kho_obj *kho_obj_create(struct kho_ctx *c, struct kho_obj *parent,
			       const char *kind, const char *name);
void kho_obj_set_compat(struct kho_obj *o, const char *compat);
void kho_obj_set_phys(struct kho_obj *o, uint64_t phys, uint64_t size);
void kho_obj_field(struct kho_obj *o, const char *name,
		   enum kho_field_type type, uint64_t u, const char *s);
int kho_obj_add_table(struct kho_obj *o, const char *name,
		      const struct kho_col *cols, unsigned int ncols,
		      uint64_t nrows, kho_row_fn fn, void *state,
		      void (*free_state)(void *state));
const char *kho_obj_get_path(const struct kho_obj *o);
void kho_objtree_free(struct kho_ctx *c);

/* findings.c */
void kho_vreport(struct kho_ctx *c, struct kho_obj *o, enum kho_severity sev,
		 const char *check, uint64_t phys, int has_phys,
		 const char *fmt, va_list ap);
/* The entry standing for n findings a decoder does not list (host op
 * vunlisted); nothing when n is 0. */
void kho_vreport_unlisted(struct kho_ctx *c, struct kho_obj *o,
			  enum kho_severity sev, const char *check,
			  uint64_t n, const char *fmt, va_list ap);
__attribute__((format(printf, 6, 7))) void
kho_report(struct kho_ctx *c, struct kho_obj *o, enum kho_severity sev,
	   const char *check, uint64_t phys, const char *fmt, ...);
__attribute__((format(printf, 5, 6))) void
kho_report_nophys(struct kho_ctx *c, struct kho_obj *o, enum kho_severity sev,
		  const char *check, const char *fmt, ...);
void kho_findings_free(struct kho_ctx *c);

/* dispatch.c */
int kho_dispatch_blob(struct kho_ctx *c, struct kho_obj *parent,
		      const struct kho_blob *blob);
int kho_dispatch_memmap(struct kho_ctx *c, struct kho_obj *parent,
			const struct kho_blob *blob);

/* vmalloc.c, block_chain.c: the host ops vmalloc and block_chain */
int kho_vmalloc_decode(struct kho_ctx *c, struct kho_obj *parent,
		       const char *name, uint64_t desc_phys,
		       const uint8_t desc[16], struct kho_vmalloc_area *out);
int kho_block_chain_walk(struct kho_ctx *c, struct kho_obj *parent,
			 const char *name, uint64_t first, size_t entry_size,
			 kho_block_entry_fn fn, void *arg,
			 struct kho_block_chain_result *out);

/* memmap_host.c */
int kho_memmap_register(struct kho_ctx *c, const struct kho_memmap_ops *ops,
			void *state);
int kho_cov_expect_block(struct kho_ctx *c, struct kho_obj *o,
			 const char *what, uint64_t phys, unsigned int order);
int kho_cov_expect_range(struct kho_ctx *c, struct kho_obj *o,
			 const char *what, uint64_t phys, uint64_t len);
int kho_cov_block_at(struct kho_ctx *c, uint64_t phys, unsigned int *order);
int kho_cov_claim_blocks(struct kho_ctx *c, const uint64_t *phys,
			 uint8_t *order, size_t n);
void kho_memmap_global_checks(struct kho_ctx *c);
void kho_memmap_release(struct kho_ctx *c);

/* handoff_check.c: the boot-handoff object and its findings */
void kho_handoff_report(struct kho_ctx *c);

/* root.c */
void kho_root_decode(struct kho_ctx *c);

/* root_prefix.c: a root FDT that debugfs shows only in part */
void kho_root_prefix_decode(struct kho_ctx *c, struct kho_obj *root,
			    const void *fdt, uint64_t avail);

/* ctx_alloc.c: session memory, bounded by the memory limit (NULL, and
 * the limit.memory finding once, when an allocation would pass it) */
void *kho_ctx_alloc(struct kho_ctx *c, size_t size);
char *kho_ctx_strdup(struct kho_ctx *c, const char *s);

/* kho_session_run without deciding an undecided page size first: the
 * page-size probe's own decodes. */
int kho_session_run_as_is(struct kho_image *img,
			  const struct kho_session_opts *o,
			  struct kho_ctx **out, char *err, size_t errlen);

#endif
