// SPDX-License-Identifier: GPL-2.0-or-later
/* Text rendering of a decode session: see output_text.h. */
#include <elf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "decode/consequence.h"
#include "base/human_size.h"
#include "output_plugins.h"
#include "output_text.h"

#define C_ERROR "\033[1;31m"
#define C_WARNING "\033[33m"
#define C_NOTE "\033[36m"
#define C_NAME "\033[1m"
#define C_DIM "\033[2m"
#define C_RESET "\033[0m"

/* Rows read to size the columns of a table. */
#define WIDTH_SAMPLE 256
#define CELL_MAX 32

const char *kho_machine_name(unsigned int machine)
{
	switch (machine) {
	case EM_X86_64:
		return "x86_64";
	case EM_AARCH64:
		return "aarch64";
	case EM_386:
		return "i386";
	case EM_ARM:
		return "arm";
	case EM_PPC64:
		return "ppc64";
	case EM_PPC:
		return "ppc";
	case EM_S390:
		return "s390";
	case EM_RISCV:
		return "riscv";
	case EM_LOONGARCH:
		return "loongarch";
	case EM_MIPS:
		return "mips";
	case EM_SPARCV9:
		return "sparc64";
	default:
		return NULL;
	}
}

static const char *sev_color(enum kho_severity s)
{
	switch (s) {
	case KHO_SEV_ERROR:
		return C_ERROR;
	case KHO_SEV_WARNING:
	case KHO_SEV_UNKNOWN:
		return C_WARNING;
	default:
		return C_NOTE;
	}
}

void kho_text_finding(FILE *f, const struct kho_finding_rec *r, int color,
		      int with_path)
{
	if (color)
		fputs(sev_color(r->sev), f);
	fprintf(f, "[%s]", kho_severity_name(r->sev));
	if (color)
		fputs(C_RESET, f);
	putc(' ', f);
	kho_text_put(f, r->check);
	if (with_path) {
		putc(' ', f);
		kho_text_put(f, r->path ? r->path : "/");
	}
	if (r->has_phys)
		fprintf(f, " @0x%" PRIx64, r->phys);
	fputs(": ", f);
	kho_text_put(f, r->message);
	fprintf(f, " [consequence: %s]\n", kho_cq_name((enum kho_cq)r->cq));
}

static void plural(FILE *f, uint64_t n, const char *what)
{
	fprintf(f, "%" PRIu64 " %s%s", n, what, n == 1 ? "" : "s");
}

/* " (N listed)" after a total that the list does not hold in full. */
static void listed_note(FILE *f, const struct kho_counts *n,
			enum kho_severity sev)
{
	if (n->listed[sev] != n->total[sev])
		fprintf(f, " (%zu listed)", n->listed[sev]);
}

void kho_text_summary(FILE *f, const struct kho_ctx *c,
		      const struct kho_counts *n, int color)
{
	const struct kho_memmap_summary *mm = kho_session_memmap(c);
	char hs[KHO_HUMAN_SIZE_MAX];
	struct kho_counts own;
	int err;

	if (!n) {
		kho_findings_counts(c, &own);
		n = &own;
	}
	err = n->total[KHO_SEV_ERROR] != 0;
	fputs("summary: ", f);
	if (color && err)
		fputs(C_ERROR, f);
	plural(f, n->total[KHO_SEV_ERROR], "error");
	if (color && err)
		fputs(C_RESET, f);
	listed_note(f, n, KHO_SEV_ERROR);
	fprintf(f, ", %zu unknown", n->total[KHO_SEV_UNKNOWN]);
	listed_note(f, n, KHO_SEV_UNKNOWN);
	fputs(", ", f);
	plural(f, n->total[KHO_SEV_WARNING], "warning");
	listed_note(f, n, KHO_SEV_WARNING);
	fputs(", ", f);
	plural(f, n->total[KHO_SEV_NOTE], "note");
	listed_note(f, n, KHO_SEV_NOTE);
	if (mm->present) {
		fputs("; ", f);
		plural(f, mm->unattributed_blocks, "unattributed block");
		fprintf(f, " (%s)",
			kho_human_size(hs, sizeof(hs),
				       mm->unattributed_bytes));
	}
	putc('\n', f);
}

/* ------------------------------------------------------------ header */

static const char *page_size_how(enum kho_page_size_source s)
{
	switch (s) {
	case KHO_PS_OPTION:
		return " (--page-size)";
	case KHO_PS_KHO_NOTE:
		return " (from the KHO note)";
	case KHO_PS_VMCOREINFO:
		return " (from VMCOREINFO)";
	case KHO_PS_DUMP_HEADER:
		return " (from the dump header)";
	case KHO_PS_RUNNING:
		return " (of the running kernel)";
	case KHO_PS_MACHINE:
		return " (from the ELF machine)";
	case KHO_PS_STRUCTURE:
		return " (from the structures)";
	case KHO_PS_UNKNOWN:
		return " (unknown: see image.page-size-unknown)";
	case KHO_PS_DEFAULT:
		break;
	}
	return " (assumed: nothing in the image states it)";
}

static void print_header(FILE *f, const struct kho_ctx *c, int color)
{
	const struct kho_image *img = kho_session_image(c);
	const struct kho_memmap_summary *mm = kho_session_memmap(c);
	const char *compat = kho_session_root_compat(c);
	const char *generation = kho_session_generation(c);
	char hs[KHO_HUMAN_SIZE_MAX];
	const char *mname;
	unsigned int i;
	int first = 1;

	if (img) {
		fprintf(f, "image: %s", kho_input_format_name(img->format));
		mname = kho_machine_name(img->machine);
		if (mname)
			fprintf(f, ", %s", mname);
		else if (img->machine)
			fprintf(f, ", machine %u", img->machine);
		fprintf(f, ", %s-endian, page size %s",
			img->big_endian ? "big" : "little",
			kho_human_size(hs, sizeof(hs), img->page_size));
		fputs(page_size_how(img->page_size_source), f);
		if (img->direction[0]) {
			fputs(", direction ", f);
			kho_text_put(f, img->direction);
		}
		if (img->release[0]) {
			fputs(", release ", f);
			kho_text_put(f, img->release);
		}
		putc('\n', f);
	}
	fputs("root: ", f);
	kho_text_put(f, compat ? compat : "(none)");
	if (generation) {
		fputs(", generation ", f);
		kho_text_put(f, generation);
	}
	putc('\n', f);
	fputs("memory map: ", f);
	if (!mm->present) {
		fputs("(none)\n", f);
		return;
	}
	kho_text_put(f, mm->format ? mm->format : "unknown");
	fputs(", ", f);
	plural(f, mm->blocks, "block");
	fprintf(f, ", %s", kho_human_size(hs, sizeof(hs), mm->bytes));
	for (i = 0; i < 64; i++) {
		if (!mm->orders[i])
			continue;
		fprintf(f, "%s%u:%" PRIu64, first ? ", orders " : " ", i,
			mm->orders[i]);
		first = 0;
	}
	putc('\n', f);
	(void)color;
}

/* ------------------------------------------------------------- tree */

/* Findings that name an object, sorted by object, to show them inline. */
struct findex {
	const struct kho_finding_rec **recs;
	size_t n;
	unsigned char *shown; /* by index into the session's findings */
	const struct kho_finding_rec *base;
};

static int cmp_rec(const void *a, const void *b)
{
	const struct kho_finding_rec *x = *(const struct kho_finding_rec *const *)a;
	const struct kho_finding_rec *y = *(const struct kho_finding_rec *const *)b;
	uintptr_t ox = (uintptr_t)x->obj, oy = (uintptr_t)y->obj;

	if (ox != oy)
		return ox < oy ? -1 : 1;
	/* Keep report order within one object. */
	return (uintptr_t)x < (uintptr_t)y ? -1 : (uintptr_t)x > (uintptr_t)y;
}

static int findex_build(struct findex *fx, struct kho_ctx *c)
{
	size_t i, n;

	memset(fx, 0, sizeof(*fx));
	fx->base = kho_session_findings(c, &n);
	if (!n)
		return 0;
	fx->recs = calloc(n, sizeof(*fx->recs));
	fx->shown = calloc(n, 1);
	if (!fx->recs || !fx->shown)
		return KHO_ENOMEM;
	for (i = 0; i < n; i++)
		if (fx->base[i].obj)
			fx->recs[fx->n++] = &fx->base[i];
	qsort(fx->recs, fx->n, sizeof(*fx->recs), cmp_rec);
	return 0;
}

static void findex_free(struct findex *fx)
{
	free(fx->recs);
	free(fx->shown);
}

/* Index of the first finding of o in fx->recs, fx->n when none. */
static size_t findex_first(const struct findex *fx, const struct kho_obj *o)
{
	size_t lo = 0, hi = fx->n;
	uintptr_t key = (uintptr_t)o;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uintptr_t)fx->recs[mid]->obj < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct tree {
	FILE *f;
	struct kho_ctx *c;
	const struct kho_text_opts *o;
	struct findex fx;
	char prefix[(KHO_MAX_DEPTH + 2) * 4 + 1];
	size_t plen;
};

static void detail_start(struct tree *t, int more)
{
	fputs(t->prefix, t->f);
	fputs(more ? "|   " : "    ", t->f);
}

static void format_cell(char *buf, size_t len, enum kho_col_fmt fmt,
			uint64_t v)
{
	switch (fmt) {
	case KHO_COL_HEX:
		snprintf(buf, len, "0x%" PRIx64, v);
		break;
	case KHO_COL_SIZE:
		kho_human_size(buf, len, v);
		break;
	default:
		snprintf(buf, len, "%" PRIu64, v);
	}
}

static void print_table(struct tree *t, const struct kho_table *tb, int more)
{
	FILE *f = t->f;
	const struct kho_text_opts *o = t->o;
	uint64_t show, i, sample;
	uint64_t vals[KHO_TABLE_MAX_COLS];
	char cell[CELL_MAX];
	size_t w[KHO_TABLE_MAX_COLS], iw;
	unsigned int k;

	detail_start(t, more);
	fputs("table ", f);
	kho_text_put(f, tb->name);
	fputs(": ", f);
	plural(f, tb->nrows, "row");
	fputs(" (", f);
	for (k = 0; k < tb->ncols; k++) {
		if (k)
			fputs(", ", f);
		kho_text_put(f, tb->cols[k].name);
	}
	fputs(")\n", f);
	if (o->no_rows || tb->nrows == 0)
		return;

	show = o->all_rows ? tb->nrows :
	       (tb->nrows < o->max_rows ? tb->nrows : o->max_rows);
	if (show == 0) {
		detail_start(t, more);
		fputs("  ... ", f);
		plural(f, tb->nrows, "row");
		fputs(" not shown (--rows)\n", f);
		return;
	}
	/* Column widths from the header and the first rows shown. */
	snprintf(cell, sizeof(cell), "%" PRIu64, show - 1);
	iw = strlen(cell);
	for (k = 0; k < tb->ncols; k++)
		w[k] = tb->cols[k].name ? strlen(tb->cols[k].name) : 0;
	sample = show < WIDTH_SAMPLE ? show : WIDTH_SAMPLE;
	for (i = 0; i < sample; i++) {
		if (kho_table_row(t->c, tb, i, vals) < 0)
			continue;
		for (k = 0; k < tb->ncols; k++) {
			format_cell(cell, sizeof(cell), tb->cols[k].fmt,
				    vals[k]);
			if (strlen(cell) > w[k])
				w[k] = strlen(cell);
		}
	}
	detail_start(t, more);
	fprintf(f, "  %*s", (int)iw, "#");
	for (k = 0; k < tb->ncols; k++) {
		fputs("  ", f);
		kho_text_put(f, tb->cols[k].name);
		if (k + 1 < tb->ncols)
			fprintf(f, "%*s",
				(int)(w[k] - (tb->cols[k].name ?
					      strlen(tb->cols[k].name) : 0)),
				"");
	}
	putc('\n', f);
	for (i = 0; i < show; i++) {
		detail_start(t, more);
		fprintf(f, "  %*" PRIu64, (int)iw, i);
		if (kho_table_row(t->c, tb, i, vals) < 0) {
			fputs("  (unreadable)\n", f);
			continue;
		}
		for (k = 0; k < tb->ncols; k++) {
			format_cell(cell, sizeof(cell), tb->cols[k].fmt,
				    vals[k]);
			if (k + 1 < tb->ncols)
				fprintf(f, "  %-*s", (int)w[k], cell);
			else
				fprintf(f, "  %s", cell);
		}
		putc('\n', f);
	}
	if (show < tb->nrows) {
		detail_start(t, more);
		fputs("  ... ", f);
		plural(f, tb->nrows - show, "more row");
		fputs(" (--all-rows shows them)\n", f);
	}
}

static void print_field(struct tree *t, const struct kho_field *fl, int more)
{
	FILE *f = t->f;
	char hs[KHO_HUMAN_SIZE_MAX];

	detail_start(t, more);
	kho_text_put(f, fl->name);
	fputs(": ", f);
	switch (fl->type) {
	case KHO_F_HEX:
		fprintf(f, "0x%" PRIx64, fl->u);
		break;
	case KHO_F_SIZE:
		fputs(kho_human_size(hs, sizeof(hs), fl->u), f);
		/* A rounded size keeps its exact count beside it. */
		if (hs[0] == '~')
			fprintf(f, " (%" PRIu64 " bytes)", fl->u);
		break;
	case KHO_F_STR:
		if (fl->s) {
			putc('"', f);
			kho_text_put(f, fl->s);
			putc('"', f);
		} else {
			fputs("(none)", f);
		}
		break;
	case KHO_F_BOOL:
		fputs(fl->u ? "true" : "false", f);
		break;
	default:
		fprintf(f, "%" PRIu64, fl->u);
	}
	putc('\n', f);
}

static void print_obj_line(struct tree *t, const struct kho_obj *ob)
{
	FILE *f = t->f;
	char hs[KHO_HUMAN_SIZE_MAX];
	int color = t->o->color;

	if (color)
		fputs(ob->worst >= 0 ? sev_color((enum kho_severity)ob->worst) :
				       C_NAME, f);
	kho_text_put(f, ob->name[0] ? ob->name : "/");
	if (color)
		fputs(C_RESET, f);
	fputs(" [", f);
	kho_text_put(f, ob->kind);
	putc(']', f);
	if (ob->compat) {
		fputs(" \"", f);
		kho_text_put(f, ob->compat);
		putc('"', f);
	}
	if (ob->has_phys)
		fprintf(f, " @0x%" PRIx64, ob->phys);
	if (ob->size)
		fprintf(f, " (%s)", kho_human_size(hs, sizeof(hs), ob->size));
	putc('\n', f);
}

static void print_obj(struct tree *t, const struct kho_obj *ob, int rel,
		      int is_start, int last)
{
	const struct kho_obj *ch;
	const struct kho_table *tb;
	size_t save = t->plen, i;
	unsigned int k;
	int show_children = t->o->max_depth < 0 || rel < t->o->max_depth;
	int more;

	if (!is_start) {
		fputs(t->prefix, t->f);
		fputs(last ? "`-- " : "|-- ", t->f);
	}
	print_obj_line(t, ob);
	if (!is_start && t->plen + 4 < sizeof(t->prefix)) {
		memcpy(t->prefix + t->plen, last ? "    " : "|   ", 5);
		t->plen += 4;
	}
	/* Details carry the bar on when children follow. */
	more = ob->first_child != NULL && show_children;
	for (k = 0; k < ob->nfields; k++)
		print_field(t, &ob->fields[k], more);
	for (tb = ob->tables; tb; tb = tb->next)
		print_table(t, tb, more);
	if (ob->nfindings) {
		for (i = findex_first(&t->fx, ob);
		     i < t->fx.n && t->fx.recs[i]->obj == ob; i++) {
			detail_start(t, more);
			kho_text_finding(t->f, t->fx.recs[i], t->o->color, 0);
			t->fx.shown[t->fx.recs[i] - t->fx.base] = 1;
		}
	}
	if (ob->first_child && !show_children) {
		detail_start(t, 0);
		fprintf(t->f, "... %u %s not shown (--depth)\n", ob->nchildren,
			ob->nchildren == 1 ? "child" : "children");
	} else {
		for (ch = ob->first_child; ch; ch = ch->next_sibling)
			print_obj(t, ch, rel + 1, 0, ch->next_sibling == NULL);
	}
	t->plen = save;
	t->prefix[save] = '\0';
}

/* Whether a finding belongs to the subtree shown from start. */
static int in_scope(const struct kho_ctx *c, const struct kho_obj *start,
		    const struct kho_finding_rec *r)
{
	const struct kho_obj *o;

	if (!start || start == kho_session_root(c))
		return 1;
	for (o = r->obj; o; o = o->parent)
		if (o == start)
			return 1;
	return 0;
}

int kho_text_dump(FILE *f, struct kho_ctx *c, const struct kho_text_opts *o)
{
	struct tree t;
	const struct kho_obj *start = o->start ? o->start : kho_session_root(c);
	size_t nrecs;
	const struct kho_finding_rec *recs = kho_session_findings(c, &nrecs);
	size_t i, other = 0, outside = 0;
	int rc;

	memset(&t, 0, sizeof(t));
	t.f = f;
	t.c = c;
	t.o = o;
	rc = findex_build(&t.fx, c);
	if (rc) {
		findex_free(&t.fx);
		return rc;
	}
	print_header(f, c, o->color);
	if (start) {
		putc('\n', f);
		print_obj(&t, start, 0, 1, 1);
	}
	/*
	 * Findings of objects hidden by --depth, and session-level ones, are
	 * listed after the tree; with --path, those outside the subtree are
	 * only counted.
	 */
	for (i = 0; i < nrecs; i++) {
		if (t.fx.shown[i])
			continue;
		if (in_scope(c, start, &recs[i]))
			other++;
		else
			outside++;
	}
	if (other) {
		fprintf(f, "\nfindings not shown in the tree (%zu):\n", other);
		for (i = 0; i < nrecs; i++)
			if (!t.fx.shown[i] && in_scope(c, start, &recs[i]))
				kho_text_finding(f, &recs[i], o->color, 1);
	}
	if (outside) {
		fprintf(f, "\n(%zu more finding%s outside ", outside,
			outside == 1 ? "" : "s");
		kho_text_put(f, start->path);
		fputs("; 'check' lists them)\n", f);
	}
	putc('\n', f);
	kho_text_summary(f, c, NULL, o->color);
	kho_text_plugins(f, kho_session_plugins(c), 0);
	findex_free(&t.fx);
	return ferror(f) ? KHO_EIO : 0;
}

void kho_text_findings(FILE *f, const struct kho_ctx *c, int color)
{
	const struct kho_finding_rec *recs;
	size_t i, n;

	recs = kho_session_findings(c, &n);
	for (i = 0; i < n; i++)
		kho_text_finding(f, &recs[i], color, 1);
}

int kho_text_check(FILE *f, struct kho_ctx *c, const struct kho_text_opts *o)
{
	kho_text_findings(f, c, o->color);
	kho_text_summary(f, c, NULL, o->color);
	kho_text_plugins(f, kho_session_plugins(c), 0);
	return ferror(f) ? KHO_EIO : 0;
}

struct memmap_text {
	FILE *f;
};

static int memmap_line(void *arg, uint64_t phys, unsigned int order)
{
	struct memmap_text *m = arg;

	fprintf(m->f, "0x%" PRIx64 " %u\n", phys, order);
	return ferror(m->f) ? KHO_EIO : 0;
}

int kho_text_memmap(FILE *f, struct kho_ctx *c, int unattributed_only)
{
	struct memmap_text m = { f };
	int rc;

	rc = kho_session_blocks(c, unattributed_only, memmap_line, &m);
	if (ferror(f))
		return KHO_EIO;
	return rc < 0 && rc != KHO_ENOTCAPTURED && rc != KHO_ENOENT ? rc : 0;
}
