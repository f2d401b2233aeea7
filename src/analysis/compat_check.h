/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compatibility of a decoded hand-over image with a target kernel: every
 * compat string the image carries (root, sub-FDTs, LUO, each file handler,
 * each FLB, memblock, kexec-metadata) gets one verdict against a target
 * table, with the consequence the kernel's restore path gives a mismatch
 * (kho-field-notes.md §4.2), and the files, sessions and bytes at risk.
 * The pass only reads the session's object tree and keeps its own findings;
 * nothing here prints.
 *
 * Check ids (stable):
 *   compat.unsupported-root            E  root compatible not in the target:
 *                                         KHO revival disabled
 *   compat.unsupported-luo             E  LUO string (luo-vN, luo-session-vN,
 *                                         luo-flb-vN): the next kernel panics
 *   compat.unsupported-handler         E  file handler: retrieval fails, EIO
 *   compat.unsupported-flb             W/N FLB the target does not register:
 *                                         the kernel ignores it (luo_flb.c
 *                                         looks up only the FLBs it
 *                                         registers); N for the test FLBs
 *                                         liveupdate-test-flb-vN, whose data
 *                                         is a constant handle
 *   compat.unsupported-memblock        E  memblock-vN / reserve-mem-vN:
 *                                         reserve_mem regions reallocated
 *   compat.unsupported-kexec-metadata  W  kexec-metadata version the target
 *                                         does not accept: a warning at boot,
 *                                         the blob ignored, nothing lost
 *   compat.undetermined-kexec-metadata N  the target reads kexec-metadata
 *                                         but its accepted version is a code
 *                                         constant the table cannot show
 *   compat.unsupported-subfdt          E  another root sub-FDT compatible
 *   compat.unknown-to-inspector        E/W a string no loaded plugin
 *                                         declares and the target does not
 *                                         list (W when the table was only
 *                                         inferred and cannot tell, or when
 *                                         even a mismatch loses nothing)
 *   compat.composite-order             E  a composite string breaks the
 *                                         order/uniqueness rule (spec §10)
 *   compat.component-differs           N  which part differs from the
 *                                         target's nearest string
 */
#ifndef KHO_COMPAT_CHECK_H
#define KHO_COMPAT_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"
#include "decode/session.h"
#include "target_table.h"

struct kho_plugin_set;

enum kho_cc_role {
	KHO_CC_ROOT = 0,
	KHO_CC_SUBFDT,
	KHO_CC_LUO,
	KHO_CC_HANDLER,
	KHO_CC_FLB,
	KHO_CC_MEMBLOCK,
	KHO_CC_KEXEC_META,
};

enum kho_cc_verdict {
	KHO_CC_SUPPORTED = 0,
	KHO_CC_UNSUPPORTED,
	KHO_CC_UNKNOWN, /* unknown-to-inspector */
	KHO_CC_UNDETERMINED, /* the table cannot tell (kexec-metadata=?) */
};

/* One distinct compat string of one role, with what carries it. */
struct kho_cc_entry {
	char *compat;     /* "memfd-v2", or "kexec-metadata=1" */
	char *name;       /* the string, or NAME of a versioned entry */
	int has_version;
	uint64_t version;
	enum kho_cc_role role;
	char *path;       /* first object that carries it */
	size_t nobjs;
	uint64_t files, sessions, bytes; /* scope of the string */
	char *regions;    /* memblock: "trace_buf, oops_log" */
	int declared;     /* a loaded plugin (or the core) knows it */
	const void *last_session; /* private to the collector */

	/* Filled by kho_cc_check. */
	enum kho_cc_verdict verdict;
	int sev;          /* -1 when supported */
	int cq;           /* enum kho_cq of a mismatch */
	const char *check;
	char *consequence;
	char *difference; /* "target has vmalloc-v2, image needs vmalloc-v1" */
	const struct kho_tt_entry *match;
};

struct kho_cc_finding {
	enum kho_severity sev;
	int cq;           /* enum kho_cq */
	const char *check;
	char *path;
	char *compat;
	char *message;
};

struct kho_cc_report {
	struct kho_cc_entry *v;
	size_t n, cap;
	struct kho_cc_finding *f;
	size_t nf, capf;
	size_t counts[3];  /* findings per severity */
	size_t nsupported, nunsupported, nunknown, nundetermined;
	/* Unknown-to-inspector strings whose mismatch would be an error. */
	size_t nunknown_severe;

	/* The image. */
	uint64_t sessions, files, file_bytes, preserved_bytes;
	int luo_unserialized; /* LUO carries no sessions or files yet */

	/* After kho_cc_check. */
	int checked;
	int table_inferred_only;
	uint64_t risk_sessions, risk_files, risk_bytes;
	int risk_everything; /* the root string is not supported */
};

const char *kho_cc_role_name(enum kho_cc_role r);
const char *kho_cc_verdict_name(enum kho_cc_verdict v);

/* Collect the image's compat strings.  0, or KHO_ENOMEM. */
int kho_cc_collect(struct kho_ctx *c, struct kho_cc_report **out);
/* Collect and judge against t.  0, or KHO_ENOMEM. */
int kho_cc_check(struct kho_ctx *c, const struct kho_target_table *t,
		 struct kho_cc_report **out);
void kho_cc_free(struct kho_cc_report *r);

/*
 * Compat families for the target scan: those of every compat string the
 * loaded plugins declare (composites split), plus the core's root and
 * sub-strings and the test FLBs, and the name "kexec-metadata".
 */
int kho_cc_families(const struct kho_plugin_set *ps, struct kho_families *f);

/*
 * Which part of the nearest string of t differs from compat ("target has
 * vmalloc-v2, image needs vmalloc-v1", "target has memfd-v2 without
 * vmalloc-v1, image needs vmalloc-v1", ...); malloc'd, NULL when t has no
 * string of that family (or on no memory).  compat may be NAME=VERSION.
 */
char *kho_cc_compare(const char *compat, const struct kho_target_table *t);

/* Whether a loaded plugin (or the core) declares this string. */
int kho_cc_declared(const struct kho_plugin_set *ps, const char *compat);

/* A table of what a decoded image carries ("target = what it wrote"). */
int kho_cc_table_from_session(struct kho_ctx *c, struct kho_target_table *t);

struct kho_target_opts {
	const char *const *plugin_dirs;    /* NULL-terminated, may be NULL */
	const struct kho_image_opts *iopts; /* for captured images */
};

/*
 * Read a target: a text table, a vmlinux, a compressed kernel or a captured
 * hand-over image (file or debugfs-style directory).  Returns 0 with *out
 * set (possibly with no entries), or KHO_EIO (unreadable), KHO_EFORMAT (not
 * a target, or broken), KHO_ENOMEM, with a reason in err.
 */
int kho_target_load(const char *path, const struct kho_target_opts *o,
		    struct kho_target_table **out, char *err, size_t errlen);

#endif /* KHO_COMPAT_CHECK_H */
