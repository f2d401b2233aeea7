// SPDX-License-Identifier: GPL-2.0-or-later
/* Shared pieces of the kho-inspect command: options, messages, decoding. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/checks.h"
#include "cli.h"
#include "kho/err.h"
#include "output/output_json.h"
#include "decode/plugins.h"

enum {
	OPT_PLUGIN_DIR = 1000,
	OPT_FDT_PHYS,
	OPT_SCAN,
	OPT_PAGE_SIZE,
	OPT_RADIX_DEPTH,
	OPT_V1_BITMAP,
	OPT_COLOR,
	OPT_VMLINUX,
	OPT_IGNORE,
	OPT_ERROR,
};

static const struct option common_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR },
	{ "fdt-phys", required_argument, NULL, OPT_FDT_PHYS },
	{ "scan", no_argument, NULL, OPT_SCAN },
	{ "vmlinux", required_argument, NULL, OPT_VMLINUX },
	{ "page-size", required_argument, NULL, OPT_PAGE_SIZE },
	{ "radix-depth", required_argument, NULL, OPT_RADIX_DEPTH },
	{ "v1-bitmap-bytes", required_argument, NULL, OPT_V1_BITMAP },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "error", required_argument, NULL, OPT_ERROR },
};

#define NCOMMON (sizeof(common_opts) / sizeof(common_opts[0]))
#define MAX_EXTRA 32

void cli_help_common(FILE *f)
{
	fputs("Options for every command:\n"
	      "  -j, --json             JSON output (errors too, as {\"error\": ...})\n"
	      "  -p, --pretty           indented JSON (implies --json)\n"
	      "      --plugin-dir DIR   load decoder plugins from DIR first (repeatable)\n"
	      "      --fdt-phys ADDR    physical address of the root FDT (plain ELF cores)\n"
	      "      --scan             search a plain ELF core for the root FDT\n"
	      "      --vmlinux FILE     find it through kho_out in the kernel's vmlinux\n"
	      "                         or System.map (x86-64 dumps)\n"
	      "      --page-size N      page size: 4096, 16384 or 65536\n"
	      "      --radix-depth F    radix tree depth formula: orig or plus1\n"
	      "      --v1-bitmap-bytes N  v1 chunk bitmap size: 512 or 4096\n"
	      "      --color WHEN       colour text output: auto, always or never\n"
	      "      --ignore ID        drop the findings of check ID (or of a prefix\n"
	      "                         ending in '*') from the output, the counts and\n"
	      "                         the exit status (repeatable)\n"
	      "      --error ID         report the findings of check ID (or prefix*)\n"
	      "                         as errors (repeatable; the last match wins)\n"
	      "  -h, --help             show this help\n"
	      "  -V, --version          show the version\n",
	      f);
}

static void verror(struct cli *g, const char *fmt, va_list ap)
{
	char msg[1024];
	char full[1200];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (g->cmd)
		snprintf(full, sizeof(full), "%s: %s", g->cmd, msg);
	else
		snprintf(full, sizeof(full), "%s", msg);
	/* A JSON document already under way cannot take an error object. */
	if (g->json && g->jw && jsonw_depth(g->jw) == 0) {
		/* Every caller exits KHO_EXIT_USAGE after an error. */
		kho_json_doc_start(g->jw, "error", KHO_EXIT_USAGE);
		jsonw_key_string(g->jw, "error", full);
		jsonw_end_object(g->jw);
		fflush(stdout);
		return;
	}
	fprintf(stderr, "%s: %s\n", CLI_NAME, full);
}

void cli_error(struct cli *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(g, fmt, ap);
	va_end(ap);
}

int cli_usage(struct cli *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(g, fmt, ap);
	va_end(ap);
	return KHO_EXIT_USAGE;
}

int cli_counts_exit(const struct kho_counts *n)
{
	if (n->total[KHO_SEV_ERROR])
		return KHO_EXIT_FINDINGS;
	if (n->total[KHO_SEV_UNKNOWN])
		return KHO_EXIT_UNKNOWN;
	return KHO_EXIT_OK;
}

const char *cli_findings_verdict(int code)
{
	switch (code) {
	case KHO_EXIT_OK:
		return "clean";
	case KHO_EXIT_FINDINGS:
		return "broken";
	default:
		return "unknown";
	}
}

void cli_counts_add(struct kho_counts *n, const size_t *counts,
		    unsigned int nsev)
{
	unsigned int i;

	for (i = 0; i < nsev && i < KHO_SEV_COUNT; i++) {
		n->total[i] += counts[i];
		n->listed[i] += counts[i];
	}
}

/* no-color.org: only a NO_COLOR that is present and not empty turns
 * colour off. */
int cli_no_color_env(void)
{
	const char *nc = getenv("NO_COLOR");

	return nc && nc[0];
}

int cli_color(const struct cli *g)
{
	if (g->json || g->color_mode == CLI_COLOR_NEVER)
		return 0;
	if (g->color_mode == CLI_COLOR_ALWAYS)
		return 1;
	return isatty(STDOUT_FILENO) && !cli_no_color_env();
}

int cli_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return KHO_EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end)
		return KHO_EINVAL;
	*v = x;
	return 0;
}

static int check_opt(struct cli *g, const char *opt, enum kho_check_action a,
		     const char *arg);

static int common_opt(struct cli *g, int val, const char *arg)
{
	uint64_t v;

	switch (val) {
	case 'j':
		g->json = 1;
		return 0;
	case 'p':
		g->json = 1;
		g->pretty = 1;
		return 0;
	case OPT_PLUGIN_DIR:
		if (!*arg)
			return cli_usage(g, "--plugin-dir needs a directory");
		if (g->nplugin_dirs >= CLI_MAX_PLUGIN_DIRS)
			return cli_usage(g, "too many --plugin-dir options (at most %d)",
					 CLI_MAX_PLUGIN_DIRS);
		g->plugin_dirs[g->nplugin_dirs++] = arg;
		g->plugin_dirs[g->nplugin_dirs] = NULL;
		return 0;
	case OPT_FDT_PHYS:
		if (cli_parse_u64(arg, &v) || v == 0)
			return cli_usage(g, "invalid --fdt-phys '%s': expected a nonzero physical address",
					 arg);
		g->iopts.fdt_phys = v;
		return 0;
	case OPT_SCAN:
		g->iopts.scan = 1;
		return 0;
	case OPT_VMLINUX:
		if (!*arg)
			return cli_usage(g, "--vmlinux needs a file");
		g->iopts.vmlinux = arg;
		return 0;
	case OPT_PAGE_SIZE:
		if (cli_parse_u64(arg, &v) ||
		    (v != 4096 && v != 16384 && v != 65536))
			return cli_usage(g, "invalid --page-size '%s': expected 4096, 16384 or 65536",
					 arg);
		g->iopts.page_size = v;
		return 0;
	case OPT_RADIX_DEPTH:
		if (!strcmp(arg, "orig"))
			g->iopts.radix_formula = KHO_RADIX_ORIG;
		else if (!strcmp(arg, "plus1"))
			g->iopts.radix_formula = KHO_RADIX_PLUS1;
		else
			return cli_usage(g, "invalid --radix-depth '%s': expected orig or plus1",
					 arg);
		return 0;
	case OPT_V1_BITMAP:
		if (cli_parse_u64(arg, &v) || (v != 512 && v != 4096))
			return cli_usage(g, "invalid --v1-bitmap-bytes '%s': expected 512 or 4096",
					 arg);
		g->iopts.v1_bitmap_bytes = (unsigned int)v;
		return 0;
	case OPT_COLOR:
		if (!strcmp(arg, "auto"))
			g->color_mode = CLI_COLOR_AUTO;
		else if (!strcmp(arg, "always"))
			g->color_mode = CLI_COLOR_ALWAYS;
		else if (!strcmp(arg, "never"))
			g->color_mode = CLI_COLOR_NEVER;
		else
			return cli_usage(g, "invalid --color '%s': expected auto, always or never",
					 arg);
		return 0;
	case OPT_IGNORE:
	case OPT_ERROR:
		return check_opt(g, val == OPT_IGNORE ? "--ignore" : "--error",
				 val == OPT_IGNORE ? KHO_CHECK_IGNORE :
						     KHO_CHECK_ERROR,
				 arg);
	}
	return -2; /* not a common option */
}

/*
 * --ignore ID / --error ID: the form is checked here, whether the id is
 * declared once every option is read (cli_checks_validate), since
 * --plugin-dir may come later.
 */
static int check_opt(struct cli *g, const char *opt, enum kho_check_action a,
		     const char *arg)
{
	const char *star = strchr(arg, '*');

	if (!*arg)
		return cli_usage(g, "%s needs a check id", opt);
	if (star && star[1])
		return cli_usage(g, "invalid check id '%s' for %s: '*' may only end a prefix",
				 arg, opt);
	if (kho_checks_filter_add(a, arg))
		return cli_usage(g, "too many --ignore and --error options (at most %d)",
				 KHO_CHECK_FILTER_MAX);
	return 0;
}

int cli_checks_validate(struct cli *g)
{
	struct kho_plugin_set set = { 0 };
	enum kho_check_action a;
	const char *pat;
	size_t i;
	int rc = 0;

	if (g->checks_validated || !kho_checks_filter_count())
		return 0;
	g->checks_validated = 1;
	if (kho_plugins_load(&set, g->plugin_dirs, 0, 0)) {
		kho_plugins_free(&set);
		return cli_usage(g, "out of memory while loading plugins");
	}
	for (i = 0; !rc && (pat = kho_checks_filter_pattern(i, &a)); i++) {
		const char *opt = a == KHO_CHECK_IGNORE ? "--ignore" : "--error";

		if (kho_checks_count_matching(&set, pat))
			continue;
		if (pat[strlen(pat) - 1] == '*')
			rc = cli_usage(g, "no check id matches '%s' for %s (see '%s checks')",
				       pat, opt, CLI_NAME);
		else
			rc = cli_usage(g, "unknown check id '%s' for %s (see '%s checks')",
				       pat, opt, CLI_NAME);
	}
	kho_plugins_free(&set);
	return rc;
}

/* The option as the user wrote it, for messages ("--foo", "-x"). */
static void opt_text(char *buf, size_t len, char **argv, int idx, int optch)
{
	const char *a = idx > 0 ? argv[idx - 1] : NULL;
	size_t n;

	if (a && a[0] == '-' && a[1] == '-') {
		n = strcspn(a, "=");
		snprintf(buf, len, "%.*s", (int)n, a);
	} else {
		snprintf(buf, len, "-%c", optch ? optch : '?');
	}
}

/*
 * getopt_long() rejects a long option that abbreviates several without
 * saying so: when WHAT ("--p") is such a prefix, list the candidates into
 * buf and return how many there are (0 or 1: not ambiguous).
 */
static size_t ambiguous_long(const struct option *opts, const char *what,
			     char *buf, size_t len)
{
	const char *name = what + 2;
	size_t n = 0, i, nl = strlen(name);

	buf[0] = '\0';
	if (!nl)
		return 0;
	for (i = 0; opts[i].name; i++)
		if (!strcmp(opts[i].name, name))
			return 0;
	for (i = 0; opts[i].name; i++) {
		if (strncmp(opts[i].name, name, nl))
			continue;
		if (n++)
			strncat(buf, ", ", len - strlen(buf) - 1);
		strncat(buf, "--", len - strlen(buf) - 1);
		strncat(buf, opts[i].name, len - strlen(buf) - 1);
	}
	return n;
}

int cli_parse(struct cli *g, int argc, char **argv,
	      const struct option *extra, cli_opt_fn fn, void *arg,
	      void (*help)(FILE *f), int stop_at_operand, int *first)
{
	struct option opts[NCOMMON + MAX_EXTRA + 1];
	char shortopts[64] = "";
	char what[128], cands[512];
	size_t n = 0, sl;
	int c, rc;

	memcpy(opts, common_opts, sizeof(common_opts));
	n = NCOMMON;
	for (; extra && extra->name && n < NCOMMON + MAX_EXTRA; extra++)
		opts[n++] = *extra;
	memset(&opts[n], 0, sizeof(opts[n]));

	strcpy(shortopts, stop_at_operand ? "+:jphV" : ":jphV");
	sl = strlen(shortopts);
	for (size_t i = NCOMMON; i < n && sl + 3 < sizeof(shortopts); i++) {
		int v = opts[i].val;

		if (v > 0 && v < 128 && ((v >= 'a' && v <= 'z') ||
					 (v >= 'A' && v <= 'Z'))) {
			shortopts[sl++] = (char)v;
			if (opts[i].has_arg == required_argument)
				shortopts[sl++] = ':';
			shortopts[sl] = '\0';
		}
	}

	opterr = 0;
	optind = 0; /* full re-initialisation (GNU) */
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			help(stdout);
			return -1;
		case 'V':
			printf("%s %s\n", CLI_NAME, KHO_VERSION);
			return -1;
		case '?':
			opt_text(what, sizeof(what), argv, optind, optopt);
			/* glibc sets optopt for a known long option given "=value". */
			if (optopt && what[0] == '-' && what[1] == '-')
				return cli_usage(g, "option '%s' takes no argument",
						 what);
			if (what[0] == '-' && what[1] == '-' &&
			    ambiguous_long(opts, what, cands, sizeof(cands)) > 1)
				return cli_usage(g, "ambiguous option '%s' (could be %s)",
						 what, cands);
			return cli_usage(g, "unknown option '%s'", what);
		case ':':
			opt_text(what, sizeof(what), argv, optind, optopt);
			return cli_usage(g, "option '%s' needs an argument", what);
		default:
			rc = common_opt(g, c, optarg);
			if (rc == -2 && fn)
				rc = fn(g, arg, c, optarg);
			if (rc == -2)
				return cli_usage(g, "option not handled");
			if (rc)
				return rc;
		}
	}
	*first = optind;
	/* A command's options are the last: every --plugin-dir is known. */
	if (!stop_at_operand)
		return cli_checks_validate(g);
	return 0;
}

int cli_decode(struct cli *g, const char *path, struct kho_image **img,
	       struct kho_ctx **ctx)
{
	struct kho_session_opts so = { 0 };
	char err[512] = "";
	int rc;

	*img = NULL;
	*ctx = NULL;
	rc = kho_image_open(path, &g->iopts, img, err, sizeof(err));
	if (rc) {
		if (rc == KHO_EINVAL)
			cli_error(g, "%s", err[0] ? err : "invalid option value");
		else
			cli_error(g, "%s: %s", path,
				  err[0] ? err : kho_strerror(rc));
		return KHO_EXIT_USAGE;
	}
	so.plugin_dirs = g->plugin_dirs;
	rc = kho_session_run(*img, &so, ctx, err, sizeof(err));
	if (rc < 0) {
		cli_error(g, "%s: %s", path, err[0] ? err : kho_strerror(rc));
		kho_image_close(*img);
		*img = NULL;
		*ctx = NULL;
		return KHO_EXIT_USAGE;
	}
	return 0;
}

int cli_finish(struct cli *g, struct kho_image *img, struct kho_ctx *ctx,
	       int render_rc)
{
	struct kho_counts n;
	int code = KHO_EXIT_OK;

	if (ctx) {
		kho_findings_counts(ctx, &n);
		code = cli_counts_exit(&n);
	}
	kho_session_free(ctx);
	kho_image_close(img);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: write error on standard output\n",
			CLI_NAME);
		return KHO_EXIT_USAGE;
	}
	if (render_rc < 0) {
		cli_error(g, "cannot render the output: %s",
			  kho_strerror(render_rc));
		return KHO_EXIT_USAGE;
	}
	return code;
}

int cli_plugins_command(struct cli *g, int argc, char **argv,
			void (*help)(FILE *f), struct kho_plugin_set *set)
{
	int first, rc;

	rc = cli_parse(g, argc, argv, NULL, NULL, NULL, help, 0, &first);
	if (rc)
		return rc < 0 ? KHO_EXIT_OK : rc;
	if (first < argc)
		return cli_usage(g, "unexpected argument '%s'", argv[first]);
	if (kho_plugins_load(set, g->plugin_dirs, 0, 0)) {
		kho_plugins_free(set);
		return cli_usage(g, "out of memory while loading plugins");
	}
	return -1;
}
