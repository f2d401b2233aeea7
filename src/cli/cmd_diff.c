// SPDX-License-Identifier: GPL-2.0-or-later
/* `diff A B`: what an upgrade carried over and what it dropped. */
#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "base/human_size.h"
#include "analysis/session_diff.h"
#include "output/output_json.h"

void help_diff(FILE *f)
{
	fprintf(f,
		"Usage: %s diff [OPTIONS] A B\n"
		"\n"
		"Compare two hand-over images (A before, B after): objects added, removed\n"
		"or changed (sessions, files, FLBs, reserve_mem regions, sub-blobs; sizes,\n"
		"folio counts, file counts), compat strings that changed and preserved\n"
		"bytes by component.  Exit status: 0 the images are equal, 1 they differ,\n"
		"2 usage error or unreadable input.  See kho-inspect-preflight(1).\n"
		"\n",
		CLI_NAME);
	cli_help_common(f);
}

static const char op_char[] = { '+', '-', '~' };

static void tally_text(const char *what, const struct kho_diff_tally *t)
{
	char hs[KHO_HUMAN_SIZE_MAX];

	printf(" %s %" PRIu64 " session%s, %" PRIu64 " file%s (%s)", what,
	       t->sessions, t->sessions == 1 ? "" : "s", t->files,
	       t->files == 1 ? "" : "s",
	       kho_human_size(hs, sizeof(hs), t->bytes));
}

static void text(const char *pa, const char *pb, const struct kho_diff *d)
{
	size_t i, k;

	printf("--- %s\n+++ %s\n", pa, pb);
	printf("LUO:");
	tally_text("carried over", &d->carried);
	putchar(';');
	tally_text("dropped", &d->dropped);
	putchar(';');
	tally_text("added", &d->added);
	putchar('\n');
	if (d->nobj)
		printf("objects:\n");
	for (i = 0; i < d->nobj; i++) {
		const struct kho_diff_obj *o = &d->obj[i];

		printf("  %c %s [%s]", op_char[o->op], o->path, o->kind);
		if (o->compat && o->op != KHO_DIFF_CHANGED)
			printf(" \"%s\"", o->compat);
		if (o->op != KHO_DIFF_CHANGED &&
		    (!strcmp(o->kind, KHO_KIND_LUO_SESSION) ||
		     !strcmp(o->kind, KHO_KIND_LUO_FILE)))
			printf(" %" PRIu64 " file%s, %" PRIu64 " bytes",
			       o->files, o->files == 1 ? "" : "s", o->bytes);
		for (k = 0; k < o->nch; k++)
			printf("%s %s %s -> %s", k ? "," : ":", o->ch[k].field,
			       o->ch[k].a, o->ch[k].b);
		putchar('\n');
	}
	if (d->ncompat)
		printf("compat strings:\n");
	for (i = 0; i < d->ncompat; i++)
		printf("  %c %s (%s)\n", op_char[d->compat[i].op],
		       d->compat[i].compat, d->compat[i].role);
	printf("preserved bytes by component:\n");
	printf("  %-26s %14s %14s %15s\n", "component", "A", "B", "delta");
	for (i = 0; i < d->nbytes; i++) {
		const struct kho_diff_bytes *b = &d->bytes[i];
		int64_t delta = (int64_t)(b->b - b->a);

		printf("  %-26s %14" PRIu64 " %14" PRIu64 " %+15" PRId64 "\n",
		       b->component, b->a, b->b, delta);
	}
	printf("summary: %s: %zu added, %zu removed, %zu changed, %zu compat change%s\n",
	       d->equal ? "images are equal" : "images differ", d->nadded,
	       d->nremoved, d->nchanged, d->ncompat,
	       d->ncompat == 1 ? "" : "s");
}

static void json_tally(struct jsonw *w, const char *name,
		       const struct kho_diff_tally *t)
{
	jsonw_key_object(w, name);
	jsonw_key_u64(w, "sessions", t->sessions);
	jsonw_key_u64(w, "files", t->files);
	jsonw_key_u64(w, "bytes", t->bytes);
	jsonw_end_object(w);
}

static void json(struct jsonw *w, const char *pa, const char *pb,
		 const struct kho_diff *d)
{
	size_t i, k;

	kho_json_doc_start(w, d->equal ? "equal" : "different",
			   d->equal ? KHO_EXIT_OK : KHO_EXIT_FINDINGS);
	jsonw_key_string(w, "a", pa);
	jsonw_key_string(w, "b", pb);
	jsonw_key_bool(w, "equal", d->equal);
	json_tally(w, "carried", &d->carried);
	json_tally(w, "dropped", &d->dropped);
	json_tally(w, "added", &d->added);
	jsonw_key_array(w, "objects");
	for (i = 0; i < d->nobj; i++) {
		const struct kho_diff_obj *o = &d->obj[i];

		jsonw_start_object(w);
		jsonw_key_string(w, "op", kho_diff_op_name(o->op));
		jsonw_key_string(w, "path", o->path);
		jsonw_key_string(w, "kind", o->kind);
		jsonw_key_string(w, "compat", o->compat);
		jsonw_key_u64(w, "files", o->files);
		jsonw_key_u64(w, "bytes", o->bytes);
		jsonw_key_array(w, "changes");
		for (k = 0; k < o->nch; k++) {
			jsonw_start_object(w);
			jsonw_key_string(w, "field", o->ch[k].field);
			jsonw_key_string(w, "a", o->ch[k].a);
			jsonw_key_string(w, "b", o->ch[k].b);
			jsonw_end_object(w);
		}
		jsonw_end_array(w);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_key_array(w, "compat");
	for (i = 0; i < d->ncompat; i++) {
		jsonw_start_object(w);
		jsonw_key_string(w, "op", kho_diff_op_name(d->compat[i].op));
		jsonw_key_string(w, "compat", d->compat[i].compat);
		jsonw_key_string(w, "role", d->compat[i].role);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_key_array(w, "bytes");
	for (i = 0; i < d->nbytes; i++) {
		jsonw_start_object(w);
		jsonw_key_string(w, "component", d->bytes[i].component);
		jsonw_key_u64(w, "a", d->bytes[i].a);
		jsonw_key_u64(w, "b", d->bytes[i].b);
		jsonw_key_i64(w, "delta",
			      (int64_t)(d->bytes[i].b - d->bytes[i].a));
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_key_object(w, "summary");
	jsonw_key_u64(w, "added", d->nadded);
	jsonw_key_u64(w, "removed", d->nremoved);
	jsonw_key_u64(w, "changed", d->nchanged);
	jsonw_key_u64(w, "compat_changes", d->ncompat);
	jsonw_end_object(w);
	jsonw_end_object(w);
}

int cmd_diff(struct cli *g, int argc, char **argv)
{
	struct kho_image *ia = NULL, *ib = NULL;
	struct kho_ctx *ca = NULL, *cb = NULL;
	struct kho_diff *d = NULL;
	int first, rc, code;

	rc = cli_parse(g, argc, argv, NULL, NULL, NULL, help_diff, 0, &first);
	if (rc)
		return rc < 0 ? KHO_EXIT_OK : rc;
	if (argc - first < 2)
		return cli_usage(g, "two images A and B are needed (see '%s %s --help')",
				 CLI_NAME, g->cmd);
	if (argc - first > 2)
		return cli_usage(g, "unexpected argument '%s'",
				 argv[first + 2]);
	if ((rc = cli_decode(g, argv[first], &ia, &ca)))
		return rc;
	if ((rc = cli_decode(g, argv[first + 1], &ib, &cb))) {
		cli_finish(g, ia, ca, 0);
		return rc;
	}
	rc = kho_session_diff(ca, cb, &d);
	if (rc) {
		cli_error(g, "%s", kho_strerror(rc));
		cli_finish(g, ia, ca, 0);
		cli_finish(g, ib, cb, 0);
		return KHO_EXIT_USAGE;
	}
	if (g->json)
		json(g->jw, argv[first], argv[first + 1], d);
	else
		text(argv[first], argv[first + 1], d);
	code = d->equal ? KHO_EXIT_OK : KHO_EXIT_FINDINGS;
	kho_diff_free(d);
	kho_session_free(ca);
	kho_image_close(ia);
	rc = cli_finish(g, ib, cb, g->json && jsonw_failed(g->jw) ? KHO_EIO : 0);
	return rc == KHO_EXIT_USAGE ? rc : code;
}
