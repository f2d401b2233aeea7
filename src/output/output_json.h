/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON rendering of a decode session, through the one JSON writer.  Carries
 * the same facts as the text output (output_text.h).  Physical addresses and
 * KHO_F_HEX / KHO_COL_HEX values are "0x..." strings; sizes and counts are
 * numbers.  The renderer only reads the session.
 *
 * Every document is an object whose first member is "schema" (the number
 * KHO_JSON_SCHEMA), followed by "verdict" and "exit" (the process's exit
 * status); kho-inspect-json(5) documents them all.
 *
 * `dump` document:
 *   { "schema": 1, "verdict": "clean"|"broken"|"unknown", "exit": 0|1|2,
 *     "image":    { format, page_size, byte_order, machine, release,
 *                   direction },
 *     "root":     { compatible, generation,
 *                   memory_map: { format, blocks, bytes, orders } | null },
 *     "objects":  [ node ],   the root, or the --path subtree
 *     "findings": [ { severity, check, path, phys, message[, unlisted] } ],
 *     "summary":  { errors, unknown, warnings, notes (the totals),
 *                   listed: {errors, unknown, warnings, notes},
 *                   total: {errors, unknown, warnings, notes},
 *                   unattributed_blocks, unattributed_bytes },
 *     "plugins":  see output_plugins.h }
 * node: { kind, path, name, compatible, phys, size, fields: {name: value},
 *         tables: { name: { columns: [name], nrows, rows: [[value]] } },
 *         children: [ node ] }  plus "children_omitted": N when --depth cut
 *         the children off.  "rows" is absent with no_rows; an unreadable
 *         row is null.
 */
#ifndef KHO_OUTPUT_JSON_H
#define KHO_OUTPUT_JSON_H

#include "json_writer.h"
#include "decode/session.h"

/* The version of the documents' layout: bumped on incompatible changes. */
#define KHO_JSON_SCHEMA 1

struct kho_json_opts {
	const struct kho_obj *start; /* subtree to show; NULL = the root */
	int max_depth;               /* levels below start; <0 = all */
	int no_rows;                 /* leave table rows out */
	const char *verdict;         /* the document's "verdict" */
	int exit_code;               /* and its "exit" */
};

/*
 * Open a document: its object and the "schema", "verdict" and "exit"
 * members.  The caller adds the rest and closes it.
 */
void kho_json_doc_start(struct jsonw *w, const char *verdict, int exit_code);

/* The whole `dump` document. */
int kho_json_dump(struct jsonw *w, struct kho_ctx *c,
		  const struct kho_json_opts *o);
/* `check`: { schema, verdict, exit, "findings": [...], "summary": {...},
 * "plugins": {...} } */
int kho_json_check(struct jsonw *w, struct kho_ctx *c, const char *verdict,
		   int exit_code);
/* `memmap`: { schema, verdict, exit, "unattributed_only": bool,
 * "blocks": [ { "phys": "0x...", "order": n, "size": bytes } ],
 * "summary": {...} } */
int kho_json_memmap(struct jsonw *w, struct kho_ctx *c,
		    int unattributed_only, const char *verdict,
		    int exit_code);

/* Pieces, for other front ends. */
void kho_json_image(struct jsonw *w, const struct kho_ctx *c);
void kho_json_root(struct jsonw *w, const struct kho_ctx *c);
void kho_json_object(struct jsonw *w, struct kho_ctx *c,
		     const struct kho_obj *ob, const struct kho_json_opts *o);
void kho_json_finding(struct jsonw *w, const struct kho_finding_rec *r);
void kho_json_findings(struct jsonw *w, const struct kho_ctx *c);
/* The "summary" object; n NULL: the session's own counts (else, e.g., the
 * session's plus the compat findings). */
void kho_json_summary(struct jsonw *w, const struct kho_ctx *c,
		      const struct kho_counts *n);

#endif /* KHO_OUTPUT_JSON_H */
