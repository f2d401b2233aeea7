/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pieces of the decode session shared between its source files.  Front ends
 * use session.h only.
 */
#ifndef KHO_SESSION_INTERNAL_H
#define KHO_SESSION_INTERNAL_H

#include <stdarg.h>

#include "session.h"

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
const struct kho_field *kho_obj_find_field(const struct kho_obj *o,
					   const char *name);

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

/* session.c */
void *kho_ctx_alloc(struct kho_ctx *c, size_t size);
char *kho_ctx_strdup(struct kho_ctx *c, const char *s);
/*
 * Account `bytes` of heap memory against the memory limit: 0, or
 * KHO_ELIMIT (and the limit.memory finding, once) when the limit would be
 * passed.
 */
int kho_ctx_charge(struct kho_ctx *c, uint64_t bytes);

/* kho_session_run without deciding an undecided page size first: the
 * page-size probe's own decodes. */
int kho_session_run_as_is(struct kho_image *img,
			  const struct kho_session_opts *o,
			  struct kho_ctx **out, char *err, size_t errlen);

#endif
