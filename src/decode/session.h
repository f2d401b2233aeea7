/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A decode session: one image, the loaded plugins, the object tree and the
 * findings.  Front ends (text, JSON, browser, preflight) only read what a
 * session produced; none of them decodes anything.
 */
#ifndef KHO_SESSION_H
#define KHO_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"
#include "kho/plugin.h"

/*
 * Fixed resource limits: past them the session stops growing and reports
 * one error finding whose message starts "limit reached: " (limit.objects,
 * limit.findings, limit.depth, limit.memory).  Memory counts the session's
 * own bookkeeping (arena, fields, compat strings), not the mapped image.
 *
 * For tests only, the environment variable KHO_INSPECT_LIMITS may lower
 * (never raise) them: a comma-separated list of objects=N, findings=N,
 * depth=N and memory=N (bytes), e.g. "objects=50,depth=4".  Anything that
 * does not parse, or is not lower than the built-in value, is ignored.
 */
#define KHO_MAX_OBJECTS 1000000u
#define KHO_MAX_FINDINGS 100000u
#define KHO_MAX_DEPTH 64u
#define KHO_MAX_FIELDS 64u
#define KHO_FIELD_NAME_SLOTS 512u
#define KHO_MAX_MEMORY (1024ull << 20)

enum kho_field_type {
	KHO_F_U64 = 0, /* decimal number */
	KHO_F_HEX,     /* "0x..." string in JSON */
	KHO_F_SIZE,    /* number in JSON, human size in text */
	KHO_F_STR,
	KHO_F_BOOL,
};

struct kho_field {
	const char *name; /* session-owned copy */
	enum kho_field_type type;
	uint64_t u;
	const char *s;
};

struct kho_table {
	const char *name;
	struct kho_col cols[KHO_TABLE_MAX_COLS];
	unsigned int ncols;
	uint64_t nrows;
	kho_row_fn fn;
	void *state;
	void (*free_state)(void *state);
	struct kho_table *next;
	struct kho_table *next_owned; /* tables with a free_state */
};

/*
 * Row i of a table, through the decoder's row function: front ends read
 * rows only through here, never through t->fn.
 *   out:    vals[0..t->ncols).
 *   return: 0; KHO_EINVAL (no row function), KHO_ERANGE
 *           (i >= t->nrows), or the row function's negative code.
 */
int kho_table_row(struct kho_ctx *c, const struct kho_table *t, uint64_t i,
		  uint64_t *vals);

struct kho_finding_rec;

struct kho_obj {
	const char *kind;
	const char *name;
	const char *compat;  /* NULL when the object has none */
	const char *path;    /* "/LUO/sessions/vm0" */
	uint64_t phys;       /* 0 = none */
	uint64_t size;       /* 0 = unknown */
	int has_phys;

	struct kho_field *fields;
	unsigned int nfields, capfields;
	struct kho_table *tables;

	struct kho_ctx *ctx; /* the owning session (memory accounting) */
	struct kho_obj *parent, *first_child, *last_child, *next_sibling;
	unsigned int nchildren;
	unsigned int depth;

	/* Worst severity among this object's own findings, -1 = none. */
	int worst;
	unsigned int nfindings;
};

struct kho_finding_rec {
	enum kho_severity sev;
	const char *check;
	const char *path;
	struct kho_obj *obj; /* may be NULL for session-level findings */
	uint64_t phys;
	int has_phys;
	/*
	 * 0 for a finding.  N > 0: this entry stands for N findings of
	 * `check` that its decoder counted but did not list one by one (a
	 * per-check cap); it counts as N in the totals and as none of the
	 * listed findings.
	 */
	uint64_t unlisted;
	char *message;
	int cq; /* enum kho_cq: what the next kernel does about it */
};

struct kho_plugin_set;

/* Summary of the memory map, computed by the merge pass. */
struct kho_memmap_summary {
	int present;
	const char *format;  /* "v1-chunks", "radix", "none" */
	uint64_t blocks;
	uint64_t bytes;
	uint64_t orders[64]; /* count per order */
	uint64_t unattributed_blocks;
	uint64_t unattributed_bytes;
};

struct kho_session_opts {
	const char *const *plugin_dirs; /* --plugin-dir, NULL-terminated */
	int no_env;                     /* ignore $KHO_INSPECT_PLUGIN_PATH */
	int no_default_dirs;            /* skip the install and build dirs */
};

/* One decode session; its members are private to src/decode/. */
struct kho_ctx;

/*
 * Open a session over an image: load plugins, decode the root, the memory
 * map and every sub-blob, then run the global passes (merge, overlap,
 * unattributed).  Errors in the image become findings; only a failure to
 * load plugins or allocate returns <0 (with err filled).
 */
int kho_session_run(struct kho_image *img, const struct kho_session_opts *o,
		    struct kho_ctx **out, char *err, size_t errlen);
void kho_session_free(struct kho_ctx *c);

/*
 * What a session produced, for front ends.  struct kho_ctx is opaque
 * outside src/decode/ (tests/cli/opaque.sh checks it): these accessors are
 * the whole read interface, so the session's bookkeeping can change without
 * touching a front end.  Each is valid until kho_session_free(c), and none
 * changes the session.
 */
/* The image the session decoded (never NULL). */
const struct kho_image *kho_session_image(const struct kho_ctx *c);
/*
 * The root object, NULL when not even the root could be decoded.  The
 * tree is not const because the browser keeps plain pointers into it; a
 * front end never writes to it.
 */
struct kho_obj *kho_session_root(const struct kho_ctx *c);
/*
 * The listed findings in the order they were reported, *n of them (NULL
 * is possible when *n is 0).  Totals, including the findings a cap left
 * out of the list, come from kho_findings_counts().
 */
const struct kho_finding_rec *kho_session_findings(const struct kho_ctx *c,
						   size_t *n);
/*
 * Findings of severity sev found in all, listed or not (the total of
 * kho_findings_counts(), without walking the list).
 */
size_t kho_session_count(const struct kho_ctx *c, enum kho_severity sev);
/* The root's "compatible" string and the KHO generation it maps to
 * ("G1a", "RFC", ...); each NULL when unknown. */
const char *kho_session_root_compat(const struct kho_ctx *c);
const char *kho_session_generation(const struct kho_ctx *c);
/* The memory-map summary; ->present is 0 when the image has none. */
const struct kho_memmap_summary *kho_session_memmap(const struct kho_ctx *c);
/* The plugins the session loaded (for listings), possibly NULL. */
const struct kho_plugin_set *kho_session_plugins(const struct kho_ctx *c);
/*
 * The preserved block that contains phys, by the registered memory map:
 * 0 with *block and *order set; KHO_ENOENT when phys is in none;
 * KHO_ENOTCAPTURED when the session has no memory map.
 */
int kho_session_block_of(const struct kho_ctx *c, uint64_t phys,
			 uint64_t *block, unsigned int *order);

struct kho_obj *kho_session_find_path(struct kho_ctx *c, const char *path);
/* An object's own field by name, NULL when it has none. */
const struct kho_field *kho_obj_find_field(const struct kho_obj *o,
					   const char *name);
const char *kho_severity_name(enum kho_severity s);
/*
 * Finding counts per severity.  total: every finding found, those a
 * decoder's per-check cap or the findings limit left out of the list
 * included.  listed: the entries of kho_session_findings() that are
 * findings themselves, not "unlisted" entries standing for others.
 */
struct kho_counts {
	size_t total[KHO_SEV_COUNT];
	size_t listed[KHO_SEV_COUNT];
};
void kho_findings_counts(const struct kho_ctx *c, struct kho_counts *out);
/* Severity order for "worst of": note < warning < unknown < error. */
int kho_severity_rank(int sev);

/* Iterate every preserved block in ascending address (for `memmap`). */
typedef int (*kho_block_fn)(void *arg, uint64_t phys, unsigned int order);
int kho_session_blocks(struct kho_ctx *c, int unattributed_only,
		       kho_block_fn fn, void *arg);

#endif /* KHO_SESSION_H */
