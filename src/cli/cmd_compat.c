// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target kernels: `compat-table` and `check --target` (the verdicts after
 * the findings), plus the target loading and rendering shared with
 * `preflight`.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "analysis/compat_check.h"
#include "decode/consequence.h"
#include "base/human_size.h"
#include "output/output_json.h"
#include "output/output_plugins.h"
#include "output/output_text.h"
#include "analysis/target_table.h"


int cli_target_add(struct cli *g, struct cli_targets *t, const char *arg)
{
	if (!arg || !*arg)
		return cli_usage(g, "--target needs a file");
	if (t->n >= CLI_MAX_TARGETS)
		return cli_usage(g, "too many --target options (at most %d)",
				 CLI_MAX_TARGETS);
	t->v[t->n++] = arg;
	return 0;
}

void cli_targets_free(struct cli_target_set *s)
{
	unsigned int i;

	if (s->merged && (s->n != 1 || s->merged != s->t[0]))
		kho_tt_free(s->merged);
	for (i = 0; i < s->n; i++)
		kho_tt_free(s->t[i]);
	memset(s, 0, sizeof(*s));
}

int cli_targets_load(struct cli *g, const struct cli_targets *in,
		     struct cli_target_set *out, char *err, size_t errlen)
{
	struct kho_target_opts to = { g->plugin_dirs, &g->iopts };
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (!in->n) {
		snprintf(err, errlen, "no --target given: no table to check against");
		return KHO_EXIT_USAGE;
	}
	for (i = 0; i < in->n; i++) {
		char e2[512] = "";

		if (kho_target_load(in->v[i], &to, &out->t[i], e2,
				    sizeof(e2))) {
			snprintf(err, errlen, "target %s: %s", in->v[i],
				 e2[0] ? e2 : "cannot read");
			cli_targets_free(out);
			return KHO_EXIT_USAGE;
		}
		out->n++;
		if (out->t[i]->n == 0) {
			snprintf(err, errlen,
				 "target %s (%s): no compat strings found, no table",
				 in->v[i], out->t[i]->kind);
			cli_targets_free(out);
			return KHO_EXIT_USAGE;
		}
	}
	if (out->n == 1) {
		out->merged = out->t[0];
		return 0;
	}
	out->merged = kho_tt_new("(merged)", "merged");
	for (i = 0; out->merged && i < out->n; i++)
		if (kho_tt_merge(out->merged, out->t[i])) {
			kho_tt_free(out->merged);
			out->merged = NULL;
		}
	if (!out->merged) {
		snprintf(err, errlen, "out of memory");
		cli_targets_free(out);
		return KHO_EXIT_USAGE;
	}
	return 0;
}

/* ---------------------------------------------------------------- JSON */

static void json_entry(struct jsonw *w, const struct kho_tt_entry *e)
{
	jsonw_start_object(w);
	if (e->has_version) {
		char s[KHO_TT_MAX_STRING + 32];

		jsonw_key_string(w, "compat",
				 kho_tt_entry_string(e, s, sizeof(s)));
		jsonw_key_string(w, "name", e->name);
		/* null: the kernel reads NAME, the version is not known. */
		if (e->version == KHO_TT_VERSION_UNKNOWN)
			jsonw_key_null(w, "version");
		else
			jsonw_key_u64(w, "version", e->version);
	} else {
		jsonw_key_string(w, "compat", e->name);
	}
	jsonw_key_string(w, "source", kho_tt_source_name(e->source));
	jsonw_key_bool(w, "inferred", e->source == KHO_TT_SRC_RODATA);
	jsonw_key_string(w, "origin", e->origin);
	if (e->has_features) {
		jsonw_key_object(w, "features");
		jsonw_key_hex(w, "supp", e->supp);
		jsonw_key_hex(w, "req", e->req);
		jsonw_key_hex(w, "active", e->active);
		jsonw_end_object(w);
	}
	jsonw_end_object(w);
}

static void json_table_head(struct jsonw *w, const struct kho_target_table *t)
{
	jsonw_key_string(w, "target", t->path);
	jsonw_key_string(w, "kind", t->kind);
	jsonw_key_bool(w, "inferred", t->inferred);
	jsonw_key_string(w, "note", t->note);
	jsonw_key_u64(w, "entries", t->n);
}

static void json_cc_finding(struct jsonw *w, const struct kho_cc_finding *f)
{
	jsonw_start_object(w);
	jsonw_key_string(w, "severity", kho_severity_name(f->sev));
	jsonw_key_string(w, "check", f->check);
	jsonw_key_string(w, "path", f->path);
	jsonw_key_string(w, "compat", f->compat);
	jsonw_key_string(w, "message", f->message);
	jsonw_key_string(w, "consequence", kho_cq_name((enum kho_cq)f->cq));
	jsonw_end_object(w);
}

void cli_json_at_risk(struct jsonw *w, const struct kho_cc_report *r)
{
	jsonw_key_object(w, "at_risk");
	jsonw_key_u64(w, "sessions", r->risk_sessions);
	jsonw_key_u64(w, "files", r->risk_files);
	jsonw_key_u64(w, "bytes", r->risk_bytes);
	jsonw_key_bool(w, "everything", r->risk_everything);
	jsonw_end_object(w);
}

void cli_compat_json(struct jsonw *w, const struct cli_target_set *ts,
		     const struct kho_cc_report *r)
{
	unsigned int i;
	size_t k;

	jsonw_start_object(w);
	jsonw_key_array(w, "targets");
	for (i = 0; i < ts->n; i++) {
		jsonw_start_object(w);
		json_table_head(w, ts->t[i]);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_key_array(w, "verdicts");
	for (k = 0; k < r->n; k++) {
		const struct kho_cc_entry *e = &r->v[k];

		jsonw_start_object(w);
		jsonw_key_string(w, "compat", e->compat);
		jsonw_key_string(w, "role", kho_cc_role_name(e->role));
		jsonw_key_string(w, "verdict", kho_cc_verdict_name(e->verdict));
		jsonw_key_string(w, "severity",
				 e->sev < 0 ? NULL
					    : kho_severity_name(
						      (enum kho_severity)e->sev));
		jsonw_key_string(w, "check", e->check);
		jsonw_key_string(w, "path", e->path);
		jsonw_key_u64(w, "objects", e->nobjs);
		jsonw_key_bool(w, "declared", e->declared);
		if (e->role == KHO_CC_HANDLER) {
			jsonw_key_u64(w, "files", e->files);
			jsonw_key_u64(w, "sessions", e->sessions);
		}
		if (e->role == KHO_CC_MEMBLOCK)
			jsonw_key_string(w, "regions", e->regions);
		jsonw_key_u64(w, "bytes", e->bytes);
		jsonw_key_string(w, "consequence", e->consequence);
		jsonw_key_string(w, "difference", e->difference);
		jsonw_key_string(w, "matched", e->match ? e->match->origin : NULL);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_key_array(w, "findings");
	for (k = 0; k < r->nf; k++)
		json_cc_finding(w, &r->f[k]);
	jsonw_end_array(w);
	cli_json_at_risk(w, r);
	jsonw_key_object(w, "summary");
	jsonw_key_u64(w, "supported", r->nsupported);
	jsonw_key_u64(w, "unsupported", r->nunsupported);
	jsonw_key_u64(w, "unknown_to_inspector", r->nunknown);
	jsonw_key_u64(w, "undetermined", r->nundetermined);
	jsonw_key_u64(w, "errors", r->counts[KHO_SEV_ERROR]);
	jsonw_key_u64(w, "warnings", r->counts[KHO_SEV_WARNING]);
	jsonw_key_u64(w, "notes", r->counts[KHO_SEV_NOTE]);
	jsonw_key_u64(w, "sessions", r->sessions);
	jsonw_key_u64(w, "files", r->files);
	jsonw_key_u64(w, "file_bytes", r->file_bytes);
	jsonw_key_bool(w, "table_inferred", ts->merged->inferred);
	jsonw_end_object(w);
	jsonw_end_object(w);
}

/* ---------------------------------------------------------------- text */

static void text_finding(FILE *f, const struct kho_cc_finding *cf, int color)
{
	struct kho_finding_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.sev = cf->sev;
	rec.check = cf->check;
	rec.path = cf->path;
	rec.message = cf->message;
	rec.cq = cf->cq;
	kho_text_finding(f, &rec, color, 1);
}

void cli_compat_text(FILE *f, const struct cli_target_set *ts,
		     const struct kho_cc_report *r, int color)
{
	char hs[KHO_HUMAN_SIZE_MAX];
	unsigned int i;
	size_t k;

	for (i = 0; i < ts->n; i++) {
		const struct kho_target_table *t = ts->t[i];

		fprintf(f, "target: %s (%s, %zu entr%s%s)%s%s\n", t->path,
			t->kind, t->n, t->n == 1 ? "y" : "ies",
			t->inferred ? ", inferred from strings" : "",
			t->note ? ": " : "", t->note ? t->note : "");
	}
	for (k = 0; k < r->n; k++) {
		const struct kho_cc_entry *e = &r->v[k];

		fprintf(f, "  %-20s %-28s %s\n", kho_cc_verdict_name(e->verdict),
			e->compat, kho_cc_role_name(e->role));
	}
	for (k = 0; k < r->nf; k++)
		text_finding(f, &r->f[k], color);
	fprintf(f,
		"compat: %zu supported, %zu unsupported, %zu unknown-to-inspector, "
		"%zu undetermined; "
		"at risk: %" PRIu64 " file%s in %" PRIu64 " session%s, %" PRIu64
		" bytes (%s)%s\n",
		r->nsupported, r->nunsupported, r->nunknown, r->nundetermined,
		r->risk_files,
		r->risk_files == 1 ? "" : "s", r->risk_sessions,
		r->risk_sessions == 1 ? "" : "s", r->risk_bytes,
		kho_human_size(hs, sizeof(hs), r->risk_bytes),
		r->risk_everything ? ", every preserved page" : "");
}

/* ---------------------------------------------------------- check hook */

int cli_check_targets(struct cli *g, const struct cli_targets *t,
		      struct kho_image *img, struct kho_ctx *ctx)
{
	struct cli_target_set ts;
	struct kho_cc_report *r = NULL;
	struct kho_counts n;
	char err[1024];
	int rc, code, own;

	rc = cli_targets_load(g, t, &ts, err, sizeof(err));
	if (rc) {
		cli_error(g, "%s", err);
		cli_finish(g, img, ctx, 0);
		return rc;
	}
	rc = kho_cc_check(ctx, ts.merged, &r);
	if (rc) {
		cli_error(g, "%s", kho_strerror(rc));
		cli_targets_free(&ts);
		cli_finish(g, img, ctx, 0);
		return KHO_EXIT_USAGE;
	}
	/* One verdict: the image's findings and the compat findings. */
	kho_findings_counts(ctx, &n);
	own = cli_counts_exit(&n);
	cli_counts_add(&n, r->counts, 3);
	code = cli_counts_exit(&n);
	if (g->json) {
		kho_json_doc_start(g->jw, cli_findings_verdict(code), code);
		jsonw_name(g->jw, "findings");
		kho_json_findings(g->jw, ctx);
		jsonw_name(g->jw, "summary");
		kho_json_summary(g->jw, ctx, &n);
		jsonw_name(g->jw, "compat");
		cli_compat_json(g->jw, &ts, r);
		jsonw_end_object(g->jw);
		rc = jsonw_failed(g->jw) ? KHO_EIO : 0;
	} else {
		int color = cli_color(g);

		/* The summary comes last, once the compat findings are out. */
		kho_text_findings(stdout, ctx, color);
		cli_compat_text(stdout, &ts, r, color);
		kho_text_summary(stdout, ctx, &n, color);
		kho_text_plugins(stdout, kho_session_plugins(ctx), 0);
		rc = ferror(stdout) ? KHO_EIO : 0;
	}
	/* cli_finish gives the image's own code unless output failed. */
	if (cli_finish(g, img, ctx, rc) != own)
		code = KHO_EXIT_USAGE;
	kho_cc_free(r);
	cli_targets_free(&ts);
	return code;
}

/* -------------------------------------------------------- compat-table */

void help_compat_table(FILE *f)
{
	fprintf(f,
		"Usage: %s compat-table [OPTIONS] KERNEL\n"
		"\n"
		"Print the compat strings the target KERNEL supports and where each one\n"
		"came from.  KERNEL is a text table (one string per line, NAME=VERSION for\n"
		"numbered versions, NAME=? when the version is not known, '#' comments),\n"
		"an uncompressed vmlinux (section .liveupdate_versions, else the strings\n"
		"of every section loaded with the kernel, .data included: the table is\n"
		"then marked inferred), a compressed kernel (bzImage, vmlinuz,\n"
		"Image.gz; gzip, xz, zstd, lz4, bzip2, lzma; the same table as its\n"
		"vmlinux) or a captured hand-over image (what that kernel wrote).  An\n"
		"inferred table shows kexec-metadata=? for a kernel that reads\n"
		"kexec-metadata: the version it accepts is a constant in its code.\n"
		"See kho-inspect-preflight(1).\n"
		"\n",
		CLI_NAME);
	cli_help_common(f);
}

int cmd_compat_table(struct cli *g, int argc, char **argv)
{
	struct cli_targets in = { { NULL }, 0 };
	struct cli_target_set ts;
	const struct kho_target_table *t;
	char err[1024];
	int first, rc;
	size_t k;

	rc = cli_parse(g, argc, argv, NULL, NULL, NULL, help_compat_table, 0,
		       &first);
	if (rc)
		return rc < 0 ? KHO_EXIT_OK : rc;
	if (first >= argc)
		return cli_usage(g, "missing KERNEL (see '%s %s --help')",
				 CLI_NAME, g->cmd);
	if (argc - first > 1)
		return cli_usage(g, "unexpected argument '%s'",
				 argv[first + 1]);
	in.v[in.n++] = argv[first];
	rc = cli_targets_load(g, &in, &ts, err, sizeof(err));
	if (rc)
		return cli_usage(g, "%s", err);
	t = ts.t[0];
	if (g->json) {
		kho_json_doc_start(g->jw, "listed", KHO_EXIT_OK);
		json_table_head(g->jw, t);
		jsonw_key_array(g->jw, "table");
		for (k = 0; k < t->n; k++)
			json_entry(g->jw, &t->v[k]);
		jsonw_end_array(g->jw);
		jsonw_end_object(g->jw);
	} else {
		printf("target: %s\nkind: %s\n", t->path, t->kind);
		if (t->note)
			printf("note: %s\n", t->note);
		for (k = 0; k < t->n; k++) {
			const struct kho_tt_entry *e = &t->v[k];
			char s[KHO_TT_MAX_STRING + 32];

			kho_tt_entry_string(e, s, sizeof(s));
			printf("  %-30s %-22s %s", s,
			       kho_tt_source_name(e->source), e->origin);
			if (e->has_features)
				printf(" (supp 0x%" PRIx64 " req 0x%" PRIx64
				       " active 0x%" PRIx64 ")",
				       e->supp, e->req, e->active);
			putchar('\n');
		}
		printf("%zu entr%s%s\n", t->n, t->n == 1 ? "y" : "ies",
		       t->inferred ? " (inferred from strings: the kernel has no complete .liveupdate_versions list)" : "");
	}
	cli_targets_free(&ts);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: write error on standard output\n",
			CLI_NAME);
		return KHO_EXIT_USAGE;
	}
	return KHO_EXIT_OK;
}
