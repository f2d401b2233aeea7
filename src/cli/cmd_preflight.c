// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `preflight`: a go/no-go answer for a kexec into a target kernel, made for
 * ExecStartPre=-style use.  Exit 0 go, 1 no-go (a compat string the target
 * does not support, or a structural error), 2 cannot tell (unreadable input
 * or target, no table, or a verdict that cannot be reached).
 */
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "analysis/compat_check.h"
#include "decode/consequence.h"
#include "decode/plugins.h"
#include "base/human_size.h"
#include "analysis/live_locate.h"
#include "output/output_json.h"
#include "analysis/target_table.h"

#define PF_GO 0
#define PF_NOGO 1
#define PF_UNKNOWN 2

#define DEF_DEBUGFS "/sys/kernel/debug/kho"
#define DEF_KCORE "/proc/kcore"
#define DEF_EXPORTER "/proc/kho/image"
#define DEF_KALLSYMS "/proc/kallsyms"
#define MAX_LISTED 20

enum {
	OPT_TARGET = 3100,
	OPT_LIVE,
	OPT_QUIET,
	OPT_DEBUGFS,
	OPT_KCORE,
	OPT_EXPORTER,
	OPT_KALLSYMS,
};

struct pf_args {
	struct cli_targets targets;
	int live, quiet;
	const char *debugfs, *kcore, *exporter, *kallsyms;
};

void help_preflight(FILE *f)
{
	fprintf(f,
		"Usage: %s preflight [OPTIONS] --target T (INPUT | --live)\n"
		"\n"
		"Decide whether a kexec into the target kernel T keeps the hand-over state:\n"
		"every compat string of the image must be in T's table and the image must\n"
		"have no structural error.  Prints a terse go/no-go summary.\n"
		"\n"
		"Exit status: 0 go, 1 no-go, 2 cannot tell (unreadable input or target,\n"
		"no table, or a verdict that cannot be reached).\n"
		"\n"
		"Options of preflight:\n"
		"      --target T         target kernel: text table, vmlinux, compressed\n"
		"                         kernel or captured image (repeatable: merged)\n"
		"      --live             read the running system instead of INPUT\n"
		"      --debugfs DIR      KHO debugfs directory (default %s)\n"
		"      --kcore FILE       kernel memory core (default %s)\n"
		"      --exporter FILE    kernel image exporter, used when present unless\n"
		"                         --debugfs or --kcore is given (default %s)\n"
		"      --kallsyms FILE    symbol table locating the root FDT in the core\n"
		"                         (default %s with %s, else none)\n"
		"  -q, --quiet            print no text; the exit status is the answer\n"
		"                         (with --json the JSON is still printed)\n"
		"\n"
		"Example (systemd): ExecStartPre=%s preflight --quiet --live \\\n"
		"                       --target /boot/vmlinuz-new\n"
		"See kho-inspect-preflight(1).\n"
		"\n",
		CLI_NAME, DEF_DEBUGFS, DEF_KCORE, DEF_EXPORTER, DEF_KALLSYMS,
		DEF_KCORE, CLI_NAME);
	cli_help_common(f);
}

static int pf_opt(struct cli *g, void *arg, int val, const char *optarg)
{
	struct pf_args *a = arg;

	switch (val) {
	case OPT_TARGET:
		return cli_target_add(g, &a->targets, optarg);
	case OPT_LIVE:
		a->live = 1;
		return 0;
	case 'q':
	case OPT_QUIET:
		a->quiet = 1;
		return 0;
	case OPT_DEBUGFS:
		a->debugfs = optarg;
		return 0;
	case OPT_KCORE:
		a->kcore = optarg;
		return 0;
	case OPT_EXPORTER:
		a->exporter = optarg;
		return 0;
	case OPT_KALLSYMS:
		a->kallsyms = optarg;
		return 0;
	}
	return -2;
}

/* ------------------------------------------------------------- output */

struct pf_out {
	struct cli *g;
	int quiet;
	const char *input;
	int live;
	char source[512]; /* how the live state was read */
	char notes[4][512];
	int nnotes;
};

static void pf_note(struct pf_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void pf_note(struct pf_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->nnotes >= 4)
		return;
	va_start(ap, fmt);
	vsnprintf(o->notes[o->nnotes++], sizeof(o->notes[0]), fmt, ap);
	va_end(ap);
}

static const char *const pf_names[] = { "go", "no-go", "cannot-tell" };

/* Cannot tell before any verdict: say why, exit 2.  --quiet silences the
 * text only: JSON asked for is printed. */
static int pf_cannot(struct pf_out *o, const char *why)
{
	struct cli *g = o->g;

	if (o->quiet && !g->json)
		return PF_UNKNOWN;
	if (g->json) {
		kho_json_doc_start(g->jw, pf_names[PF_UNKNOWN], PF_UNKNOWN);
		jsonw_key_string(g->jw, "input", o->input);
		jsonw_key_bool(g->jw, "live", o->live);
		jsonw_key_string(g->jw, "error", why);
		jsonw_end_object(g->jw);
	} else {
		printf("CANNOT TELL: %s\n", why);
	}
	fflush(stdout);
	return PF_UNKNOWN;
}

/* ---------------------------------------------------------- live input */

static int exists(const char *dir, const char *name)
{
	char p[4200];
	struct stat st;

	snprintf(p, sizeof(p), "%.4000s/%.100s", dir, name);
	return stat(p, &st) == 0;
}

static int open_image(struct cli *g, const char *path,
		      const struct kho_image_opts *io, struct kho_image **img,
		      struct kho_ctx **ctx, char *err, size_t errlen)
{
	struct kho_session_opts so = { 0 };
	char e2[512] = "";
	int rc;

	*img = NULL;
	*ctx = NULL;
	rc = kho_image_open(path, io, img, e2, sizeof(e2));
	if (rc) {
		snprintf(err, errlen, "%.400s: %s", path,
			 e2[0] ? e2 : kho_strerror(rc));
		return rc;
	}
	so.plugin_dirs = g->plugin_dirs;
	rc = kho_session_run(*img, &so, ctx, e2, sizeof(e2));
	if (rc < 0) {
		snprintf(err, errlen, "%.400s: %s", path,
			 e2[0] ? e2 : kho_strerror(rc));
		kho_image_close(*img);
		*img = NULL;
		return rc;
	}
	return 0;
}

/* Decode an image already open; on failure it is closed. */
static int run_image(struct cli *g, const char *name, struct kho_image **img,
		     struct kho_ctx **ctx, char *err, size_t errlen)
{
	struct kho_session_opts so = { 0 };
	char e2[512] = "";
	int rc;

	so.plugin_dirs = g->plugin_dirs;
	rc = kho_session_run(*img, &so, ctx, e2, sizeof(e2));
	if (rc < 0) {
		snprintf(err, errlen, "%.400s: %s", name,
			 e2[0] ? e2 : kho_strerror(rc));
		kho_image_close(*img);
		*img = NULL;
		return rc;
	}
	return 0;
}

/*
 * kcore + the debugfs directory `dir`: the root FDT is located in memory
 * the way capture does it (live_locate.h), so that the real tree, not the
 * debugfs prefix, is decoded.  Returns 1 when the core cannot be opened
 * (e1 says why), otherwise 0 or a negative KHO_E* code (err says why).
 */
static int open_kcore_live(struct cli *g, const struct pf_args *a,
			   struct pf_out *o, const char *dir, const char *kcore,
			   struct kho_image **img, struct kho_ctx **ctx,
			   char *e1, size_t e1len, char *err, size_t errlen)
{
	struct kho_session_opts so = { 0 };
	struct kho_locate_opts lo = { 0 };
	struct kho_locate_result r;
	char fdtpath[1100];
	unsigned int i;
	int rc;

	if (kho_image_open_live(dir, kcore, &g->iopts, img, e1, e1len))
		return 1;
	snprintf(fdtpath, sizeof(fdtpath), "%.1020s/fdt", dir);
	snprintf(o->source, sizeof(o->source), "%.450s, root FDT given",
		 kcore);
	if (!(*img)->fdt_phys) {
		so.plugin_dirs = g->plugin_dirs;
		if (a->kallsyms)
			lo.kallsyms = strcmp(a->kallsyms, "none") ? a->kallsyms
								  : NULL;
		else if (!strcmp(kcore, DEF_KCORE))
			lo.kallsyms = DEF_KALLSYMS;
		lo.kcore = kcore;
		lo.fdt_name = fdtpath;
		lo.direction = "out";
		lo.sopts = &so;
		rc = kho_live_locate_fdt(*img, &lo, &r);
		if (rc == KHO_ENOMEM) {
			snprintf(err, errlen, "%s", kho_strerror(rc));
			kho_image_close(*img);
			*img = NULL;
			return rc;
		}
		if (!rc && !kho_image_use_fdt_phys(*img, r.phys)) {
			snprintf(o->source, sizeof(o->source),
				 "%.300s, root FDT at 0x%llx located through %s",
				 kcore, (unsigned long long)r.phys,
				 kho_locate_method_name(r.method));
		} else {
			pf_note(o, "the root FDT of %.200s was not found in %.200s; its debugfs copy (possibly a prefix) is decoded",
				fdtpath, kcore);
			for (i = 0; i < r.nwhy; i++)
				pf_note(o, "%s", r.why[i]);
			snprintf(o->source, sizeof(o->source),
				 "%.240s, root FDT from %.240s", kcore,
				 fdtpath);
		}
	}
	return run_image(g, kcore, img, ctx, err, errlen);
}

/*
 * The running system: the exporter when present (and no explicit debugfs
 * or kcore), else kcore with the root FDT located through debugfs, else
 * debugfs alone.
 */
static int open_live(struct cli *g, const struct pf_args *a,
		     struct pf_out *o, struct kho_image **img,
		     struct kho_ctx **ctx, char *err, size_t errlen)
{
	const char *dbg = a->debugfs ? a->debugfs : DEF_DEBUGFS;
	const char *kcore = a->kcore ? a->kcore : DEF_KCORE;
	const char *exp = a->exporter ? a->exporter : DEF_EXPORTER;
	char dir[1024], e1[512] = "";
	struct kho_image_opts io = g->iopts;
	int rc;

	if (a->exporter || (!a->debugfs && !a->kcore && !access(exp, R_OK))) {
		snprintf(o->source, sizeof(o->source), "exporter %s", exp);
		return open_image(g, exp, &g->iopts, img, ctx, err, errlen);
	}
	/* The outgoing state lives in out/ of a real debugfs. */
	if (exists(dbg, "out/fdt") || (exists(dbg, "out") && !exists(dbg, "fdt")))
		snprintf(dir, sizeof(dir), "%.1000s/out", dbg);
	else
		snprintf(dir, sizeof(dir), "%.1000s", dbg);
	if (exists(dir, "fdt")) {
		rc = open_kcore_live(g, a, o, dir, kcore, img, ctx, e1,
				     sizeof(e1), err, errlen);
		if (rc <= 0)
			return rc;
		pf_note(o, "%.200s: %.200s; only the debugfs blobs of %.200s were read, so structures they point to cannot be checked",
			kcore, e1, dir);
		snprintf(o->source, sizeof(o->source), "%.450s (debugfs only)", dir);
		return open_image(g, dir, &g->iopts, img, ctx, err, errlen);
	}
	/* No debugfs root FDT (a kernel booted through KHO): scan the core. */
	io.scan = 1;
	if (!open_image(g, kcore, &io, img, ctx, e1, sizeof(e1))) {
		snprintf(o->source, sizeof(o->source), "%.450s (scanned)", kcore);
		return 0;
	}
	snprintf(err, errlen,
		 "cannot read the live state: %.500s; and %.600s has no fdt",
		 e1, dir);
	return KHO_EIO;
}

/* -------------------------------------------------------------- verdict */

static int incomplete(const struct kho_ctx *c)
{
	const struct kho_finding_rec *recs;
	size_t i, nrecs;

	recs = kho_session_findings(c, &nrecs);
	for (i = 0; i < nrecs; i++) {
		const char *id = recs[i].check;

		if (recs[i].sev >= KHO_SEV_WARNING && id &&
		    strstr(id, "not-captured"))
			return 1;
	}
	return 0;
}

static void json_reason(struct jsonw *w, const char *kind,
			enum kho_severity sev, int cq, const char *check,
			const char *path, const char *compat, const char *msg)
{
	jsonw_start_object(w);
	jsonw_key_string(w, "kind", kind);
	jsonw_key_string(w, "severity", kho_severity_name(sev));
	jsonw_key_string(w, "check", check);
	jsonw_key_string(w, "path", path);
	if (compat)
		jsonw_key_string(w, "compat", compat);
	jsonw_key_string(w, "message", msg);
	jsonw_key_string(w, "consequence", kho_cq_name((enum kho_cq)cq));
	jsonw_end_object(w);
}

/*
 * The compat findings preflight lists: warnings and errors, and the notes
 * that say what a GO still leaves behind (an FLB the target ignores, a
 * kexec-metadata version the table cannot show).  The component notes
 * only detail an error listed already.
 */
static int listed_compat(const struct kho_cc_finding *f)
{
	return f->sev >= KHO_SEV_WARNING ||
	       strcmp(f->check, "compat.component-differs");
}

/*
 * A reason leads with what the next kernel will do ("the next kernel will
 * panic at boot: ..."); when that is not known the message says the rest.
 */
static const char *cq_lead(enum kho_cq cq)
{
	static char buf[96];

	if (cq == KHO_CQ_UNKNOWN)
		return "";
	snprintf(buf, sizeof(buf), "%s: ", kho_cq_phrase(cq));
	return buf;
}

static void report(struct pf_out *o, const struct cli_target_set *ts,
		   const struct kho_ctx *c, const struct kho_cc_report *r,
		   int verdict, const char *why)
{
	struct cli *g = o->g;
	/* Text and JSON give the same numbers: these. */
	size_t structural = kho_session_count(c, KHO_SEV_ERROR), i, listed = 0;
	size_t compat_errors = r->counts[KHO_SEV_ERROR];
	size_t nrecs;
	const struct kho_finding_rec *recs = kho_session_findings(c, &nrecs);
	struct kho_counts n;
	char hs[KHO_HUMAN_SIZE_MAX];

	if (o->quiet && !g->json)
		return;
	kho_findings_counts(c, &n);
	cli_counts_add(&n, r->counts, 3);
	if (g->json) {
		struct jsonw *w = g->jw;
		unsigned int t;

		kho_json_doc_start(w, pf_names[verdict], verdict);
		jsonw_key_string(w, "reason", why);
		jsonw_key_string(w, "input", o->input);
		jsonw_key_bool(w, "live", o->live);
		if (o->live)
			jsonw_key_string(w, "source", o->source);
		jsonw_key_array(w, "targets");
		for (t = 0; t < ts->n; t++) {
			jsonw_start_object(w);
			jsonw_key_string(w, "target", ts->t[t]->path);
			jsonw_key_string(w, "kind", ts->t[t]->kind);
			jsonw_key_bool(w, "inferred", ts->t[t]->inferred);
			jsonw_key_u64(w, "entries", ts->t[t]->n);
			jsonw_end_object(w);
		}
		jsonw_end_array(w);
		jsonw_key_array(w, "reasons");
		for (i = 0; i < r->nf; i++)
			if (listed_compat(&r->f[i]))
				json_reason(w, "compat", r->f[i].sev,
					    r->f[i].cq, r->f[i].check, r->f[i].path,
					    r->f[i].compat, r->f[i].message);
		for (i = 0; i < nrecs; i++)
			if (recs[i].sev == KHO_SEV_ERROR)
				json_reason(w, "structural", KHO_SEV_ERROR,
					    recs[i].cq, recs[i].check,
					    recs[i].path, NULL,
					    recs[i].message);
		jsonw_end_array(w);
		jsonw_key_object(w, "compat");
		jsonw_key_u64(w, "supported", r->nsupported);
		jsonw_key_u64(w, "unsupported", r->nunsupported);
		jsonw_key_u64(w, "unknown_to_inspector", r->nunknown);
		jsonw_key_u64(w, "undetermined", r->nundetermined);
		jsonw_key_u64(w, "errors", compat_errors);
		jsonw_end_object(w);
		jsonw_key_u64(w, "structural_errors", structural);
		jsonw_name(w, "summary");
		kho_json_summary(w, c, &n);
		jsonw_key_object(w, "carried");
		jsonw_key_u64(w, "sessions", r->sessions);
		jsonw_key_u64(w, "files", r->files);
		jsonw_key_u64(w, "bytes", r->file_bytes);
		jsonw_key_u64(w, "preserved_bytes", r->preserved_bytes);
		jsonw_end_object(w);
		cli_json_at_risk(w, r);
		jsonw_key_array(w, "notes");
		for (i = 0; i < (size_t)o->nnotes; i++)
			jsonw_string(w, o->notes[i]);
		jsonw_end_array(w);
		jsonw_end_object(w);
		return;
	}
	if (verdict == PF_GO)
		printf("GO: %zu compat string%s supported by %s; %" PRIu64
		       " session%s, %" PRIu64 " file%s (%s) carried over\n",
		       r->nsupported, r->nsupported == 1 ? "" : "s",
		       ts->n == 1 ? ts->t[0]->path : "the targets",
		       r->sessions, r->sessions == 1 ? "" : "s", r->files,
		       r->files == 1 ? "" : "s",
		       kho_human_size(hs, sizeof(hs), r->file_bytes));
	else if (verdict == PF_NOGO)
		printf("NO-GO: %zu compat error%s, %zu structural error%s\n",
		       compat_errors, compat_errors == 1 ? "" : "s",
		       structural, structural == 1 ? "" : "s");
	else
		printf("CANNOT TELL: %s\n", why);
	if (verdict != PF_GO)
		printf("compat: %zu supported, %zu unsupported, %zu unknown-to-inspector, %zu undetermined\n",
		       r->nsupported, r->nunsupported, r->nunknown,
		       r->nundetermined);
	for (i = 0; i < r->nf; i++) {
		if (!listed_compat(&r->f[i]))
			continue;
		if (listed++ < MAX_LISTED)
			printf("  %s %s: %s%s\n",
			       kho_severity_name(r->f[i].sev), r->f[i].check,
			       cq_lead((enum kho_cq)r->f[i].cq), r->f[i].message);
	}
	for (i = 0; i < nrecs; i++) {
		const struct kho_finding_rec *f = &recs[i];

		if (f->sev != KHO_SEV_ERROR)
			continue;
		if (listed++ < MAX_LISTED)
			printf("  error %s %s: %s%s\n", f->check,
			       f->path ? f->path : "/",
			       cq_lead((enum kho_cq)f->cq), f->message);
	}
	if (listed > MAX_LISTED)
		printf("  ... and %zu more\n", listed - MAX_LISTED);
	for (i = 0; i < (size_t)o->nnotes; i++)
		printf("  note: %s\n", o->notes[i]);
	/* JSON says "inferred" per target: the text says it too. */
	for (i = 0; i < ts->n; i++)
		if (ts->t[i]->inferred)
			printf("  inferred: target %s (%s, %zu entr%s): %s\n",
			       ts->t[i]->path, ts->t[i]->kind, ts->t[i]->n,
			       ts->t[i]->n == 1 ? "y" : "ies",
			       ts->t[i]->note ? ts->t[i]->note
					      : "inferred from strings");
	if (verdict != PF_GO)
		printf("at risk: %" PRIu64 " file%s in %" PRIu64
		       " session%s, %" PRIu64 " bytes (%s)%s\n",
		       r->risk_files, r->risk_files == 1 ? "" : "s",
		       r->risk_sessions, r->risk_sessions == 1 ? "" : "s",
		       r->risk_bytes,
		       kho_human_size(hs, sizeof(hs), r->risk_bytes),
		       r->risk_everything ? ", every preserved page" : "");
}

int cmd_preflight(struct cli *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "live", no_argument, NULL, OPT_LIVE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "debugfs", required_argument, NULL, OPT_DEBUGFS },
		{ "kcore", required_argument, NULL, OPT_KCORE },
		{ "exporter", required_argument, NULL, OPT_EXPORTER },
		{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
		{ NULL, 0, NULL, 0 },
	};
	struct pf_args a;
	struct pf_out o;
	struct cli_target_set ts;
	struct kho_image *img = NULL;
	struct kho_ctx *ctx = NULL;
	struct kho_cc_report *r = NULL;
	char err[1200], why[512] = "";
	size_t structural;
	int first, rc, verdict;

	memset(&a, 0, sizeof(a));
	memset(&o, 0, sizeof(o));
	rc = cli_parse(g, argc, argv, opts, pf_opt, &a, help_preflight, 0,
		       &first);
	if (rc)
		return rc < 0 ? KHO_EXIT_OK : rc;
	o.g = g;
	o.quiet = a.quiet;
	o.live = a.live;
	if (a.live && first < argc)
		return a.quiet && !g->json ? PF_UNKNOWN
			       : cli_usage(g, "--live takes no INPUT ('%s')",
					   argv[first]);
	if (!a.live && first >= argc)
		return a.quiet && !g->json ? PF_UNKNOWN
			       : cli_usage(g, "missing INPUT or --live (see '%s %s --help')",
					   CLI_NAME, g->cmd);
	if (!a.live && argc - first > 1)
		return a.quiet && !g->json ? PF_UNKNOWN
			       : cli_usage(g, "unexpected argument '%s'",
					   argv[first + 1]);
	if (!a.live && (a.debugfs || a.kcore || a.exporter || a.kallsyms))
		return a.quiet && !g->json ? PF_UNKNOWN
			       : cli_usage(g, "--debugfs, --kcore, --kallsyms and --exporter need --live");
	o.input = a.live ? "(live)" : argv[first];
	if (cli_targets_load(g, &a.targets, &ts, err, sizeof(err)))
		return pf_cannot(&o, err);
	if (a.live)
		rc = open_live(g, &a, &o, &img, &ctx, err, sizeof(err));
	else
		rc = open_image(g, argv[first], &g->iopts, &img, &ctx, err,
				sizeof(err));
	if (rc) {
		cli_targets_free(&ts);
		return pf_cannot(&o, err);
	}
	rc = kho_cc_check(ctx, ts.merged, &r);
	if (rc) {
		kho_session_free(ctx);
		kho_image_close(img);
		cli_targets_free(&ts);
		return pf_cannot(&o, kho_strerror(rc));
	}
	if (r->luo_unserialized)
		pf_note(&o, "LUO state is not serialized yet (it is written at reboot): the file handlers of the sessions cannot be checked");
	structural = kho_session_count(ctx, KHO_SEV_ERROR);
	if (r->counts[KHO_SEV_ERROR] || structural) {
		verdict = PF_NOGO;
		snprintf(why, sizeof(why), "%zu compat error%s, %zu structural error%s",
			 r->counts[KHO_SEV_ERROR],
			 r->counts[KHO_SEV_ERROR] == 1 ? "" : "s",
			 structural, structural == 1 ? "" : "s");
	} else if (!kho_session_plugins(ctx)->n) { /* plugin.none-loaded */
		verdict = PF_UNKNOWN;
		snprintf(why, sizeof(why),
			 "no decoder plugin was loaded: the sub-blobs and the memory map cannot be checked (install the plugins or pass --plugin-dir)");
	} else if (r->nunknown_severe) {
		verdict = PF_UNKNOWN;
		snprintf(why, sizeof(why),
			 "%zu compat string%s that no plugin declares, and the target table (inferred from strings) cannot tell",
			 r->nunknown_severe, r->nunknown_severe == 1 ? "" : "s");
	} else if (incomplete(ctx)) {
		verdict = PF_UNKNOWN;
		snprintf(why, sizeof(why),
			 "the image lacks structures needed for a verdict (not captured)");
	} else if (!kho_session_root(ctx) || !kho_session_root_compat(ctx)) {
		verdict = PF_UNKNOWN;
		snprintf(why, sizeof(why), "no root compatible string");
	} else {
		verdict = PF_GO;
		snprintf(why, sizeof(why), "every compat string is supported");
	}
	report(&o, &ts, ctx, r, verdict, why);
	kho_cc_free(r);
	kho_session_free(ctx);
	kho_image_close(img);
	cli_targets_free(&ts);
	if (fflush(stdout) || ferror(stdout))
		return PF_UNKNOWN;
	return verdict;
}
