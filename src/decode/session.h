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

struct kho_limits {
	uint64_t objects, findings, depth, memory;
};

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
	uint64_t mem_used; /* heap bytes outside the arena (fields, compat) */
	int depth_limit_hit, memory_limit_hit;

	void *arena; /* session allocations */
};

/*
 * Open a session over an image: load plugins, decode the root, the memory
 * map and every sub-blob, then run the global passes (merge, overlap,
 * unattributed).  Errors in the image become findings; only a failure to
 * load plugins or allocate returns <0 (with err filled).
 */
int kho_session_run(struct kho_image *img, const struct kho_session_opts *o,
		    struct kho_ctx **out, char *err, size_t errlen);
void kho_session_free(struct kho_ctx *c);

/* Lookups for front ends. */
struct kho_obj *kho_session_find_path(struct kho_ctx *c, const char *path);
const char *kho_severity_name(enum kho_severity s);
/*
 * Finding counts per severity.  total: every finding found, those a
 * decoder's per-check cap or the findings limit left out of the list
 * included (c->counts).  listed: the entries of c->findings that are
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
