/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text rendering of a decode session: a tree in the style of tree(1) and
 * fdtdump, with each finding shown under its object, and a summary.  The
 * renderer only reads the session.  Every string that came from the image is
 * printed through kho_text_put(), so image bytes cannot reach the terminal
 * as control sequences.
 */
#ifndef KHO_OUTPUT_TEXT_H
#define KHO_OUTPUT_TEXT_H

#include <stdint.h>
#include <stdio.h>

#include "decode/session.h"
#include "text_put.h"

#define KHO_TEXT_DEFAULT_ROWS 10

struct kho_text_opts {
	int color;                  /* ANSI colours */
	const struct kho_obj *start; /* subtree to show; NULL = the root */
	int max_depth;              /* levels below start; <0 = all */
	uint64_t max_rows;          /* rows per table, unless all_rows */
	int all_rows;
	int no_rows;                /* tables as one summary line */
};

/* `dump`: image facts, the tree with findings, other findings, summary. */
int kho_text_dump(FILE *f, struct kho_ctx *c, const struct kho_text_opts *o);
/* `check`: one line per finding, then the summary line. */
int kho_text_check(FILE *f, struct kho_ctx *c, const struct kho_text_opts *o);
/* `memmap`: "0x<phys> <order>" per block in ascending address. */
int kho_text_memmap(FILE *f, struct kho_ctx *c, int unattributed_only);

/* One finding as a line: "[error] check.id /path @0x1000: message". */
void kho_text_finding(FILE *f, const struct kho_finding_rec *r, int color,
		      int with_path);
/* Every finding of the session, one line each. */
void kho_text_findings(FILE *f, const struct kho_ctx *c, int color);
/*
 * "summary: 1 error, 0 unknown, 0 warnings, 2 notes; 3 unattributed blocks
 * (12 KiB)".  The counts are totals; a total the list does not hold in
 * full is followed by " (N listed)".  n NULL: the session's own counts.
 */
void kho_text_summary(FILE *f, const struct kho_ctx *c,
		      const struct kho_counts *n, int color);

/* ELF e_machine as a name ("x86_64", "aarch64"), NULL when unknown. */
const char *kho_machine_name(unsigned int machine);

#endif /* KHO_OUTPUT_TEXT_H */
