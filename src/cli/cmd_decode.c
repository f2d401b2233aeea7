// SPDX-License-Identifier: GPL-2.0-or-later
/* `dump` and `check`: the decoded tree and the findings. */
#include <string.h>

#include "cli.h"
#include "output/output_json.h"
#include "output/output_text.h"

enum {
	OPT_DEPTH = 2000,
	OPT_PATH,
	OPT_ROWS,
	OPT_ALL_ROWS,
	OPT_NO_ROWS,
	OPT_TARGET,
};

struct dump_args {
	int max_depth;
	const char *path;
	uint64_t max_rows;
	int all_rows;
	int no_rows;
};

void help_dump(FILE *f)
{
	fprintf(f,
		"Usage: %s dump [OPTIONS] INPUT\n"
		"\n"
		"Decode INPUT (an ELF handover image, a plain ELF core with --fdt-phys or\n"
		"--scan, a bare FDT blob or a debugfs-style directory) and show the object\n"
		"tree with each finding under its object, then a summary.\n"
		"\n"
		"Options of dump:\n"
		"      --depth N          show N levels below the starting object\n"
		"      --path PATH        start at the object PATH (e.g. /LUO/sessions/vm0)\n"
		"      --rows N           show at most N rows per table in text (default %d)\n"
		"      --all-rows         show every row of every table in text\n"
		"      --no-rows          leave table rows out (text and JSON)\n"
		"\n",
		CLI_NAME, KHO_TEXT_DEFAULT_ROWS);
	cli_help_common(f);
}

void help_check(FILE *f)
{
	fprintf(f,
		"Usage: %s check [OPTIONS] INPUT\n"
		"\n"
		"Decode INPUT and list the findings only, one per line, followed by a\n"
		"one-line summary.  The exit status is 1 when there is an error finding,\n"
		"2 when there is none but something cannot be told from INPUT (unknown),\n"
		"0 otherwise.  With --target the compat findings count too.\n"
		"\n"
		"Options of check:\n"
		"      --target T         also judge every compat string against the target\n"
		"                         kernel T (text table, vmlinux, compressed kernel or\n"
		"                         captured image; repeatable, the tables are merged);\n"
		"                         see kho-inspect-preflight(1)\n"
		"\n",
		CLI_NAME);
	cli_help_common(f);
}

static int dump_opt(struct cli *g, void *arg, int val, const char *optarg)
{
	struct dump_args *a = arg;
	uint64_t v;

	switch (val) {
	case OPT_DEPTH:
		if (cli_parse_u64(optarg, &v) || v > KHO_MAX_DEPTH)
			return cli_usage(g, "invalid --depth '%s': expected a number from 0 to %u",
					 optarg, KHO_MAX_DEPTH);
		a->max_depth = (int)v;
		return 0;
	case OPT_PATH:
		if (optarg[0] != '/')
			return cli_usage(g, "invalid --path '%s': an object path starts with '/'",
					 optarg);
		a->path = optarg;
		return 0;
	case OPT_ROWS:
		if (cli_parse_u64(optarg, &v))
			return cli_usage(g, "invalid --rows '%s': expected a number",
					 optarg);
		a->max_rows = v;
		return 0;
	case OPT_ALL_ROWS:
		a->all_rows = 1;
		return 0;
	case OPT_NO_ROWS:
		a->no_rows = 1;
		return 0;
	}
	return -2;
}

/* Exactly one INPUT operand. */
static int one_input(struct cli *g, int argc, char **argv, int first,
		     const char **input)
{
	if (first >= argc)
		return cli_usage(g, "missing INPUT (see '%s %s --help')",
				 CLI_NAME, g->cmd);
	if (argc - first > 1)
		return cli_usage(g, "unexpected argument '%s'",
				 argv[first + 1]);
	*input = argv[first];
	return 0;
}

int cmd_dump(struct cli *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "depth", required_argument, NULL, OPT_DEPTH },
		{ "path", required_argument, NULL, OPT_PATH },
		{ "rows", required_argument, NULL, OPT_ROWS },
		{ "all-rows", no_argument, NULL, OPT_ALL_ROWS },
		{ "no-rows", no_argument, NULL, OPT_NO_ROWS },
		{ NULL, 0, NULL, 0 },
	};
	struct dump_args a = { -1, NULL, KHO_TEXT_DEFAULT_ROWS, 0, 0 };
	struct kho_image *img;
	struct kho_ctx *ctx;
	const struct kho_obj *start = NULL;
	const char *input;
	int first, rc;

	rc = cli_parse(g, argc, argv, opts, dump_opt, &a, help_dump, 0,
		       &first);
	if (rc)
		return rc < 0 ? KHO_EXIT_OK : rc;
	if ((rc = one_input(g, argc, argv, first, &input)))
		return rc;
	if ((rc = cli_decode(g, input, &img, &ctx)))
		return rc;
	if (a.path) {
		start = kho_session_find_path(ctx, a.path);
		if (!start) {
			cli_usage(g, "no object at --path '%s'", a.path);
			cli_finish(g, img, ctx, 0);
			return KHO_EXIT_USAGE;
		}
	}
	if (g->json) {
		struct kho_json_opts jo = { start, a.max_depth, a.no_rows,
					    NULL, 0 };
		struct kho_counts n;

		kho_findings_counts(ctx, &n);
		jo.exit_code = cli_counts_exit(&n);
		jo.verdict = cli_findings_verdict(jo.exit_code);
		rc = kho_json_dump(g->jw, ctx, &jo);
	} else {
		struct kho_text_opts to = { cli_color(g), start, a.max_depth,
					    a.max_rows, a.all_rows,
					    a.no_rows };

		rc = kho_text_dump(stdout, ctx, &to);
	}
	return cli_finish(g, img, ctx, rc);
}

static int check_opt(struct cli *g, void *arg, int val, const char *optarg)
{
	return val == OPT_TARGET ? cli_target_add(g, arg, optarg) : -2;
}

int cmd_check(struct cli *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "target", required_argument, NULL, OPT_TARGET },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_targets targets = { { NULL }, 0 };
	struct kho_image *img;
	struct kho_ctx *ctx;
	const char *input;
	int first, rc;

	rc = cli_parse(g, argc, argv, opts, check_opt, &targets, help_check, 0,
		       &first);
	if (rc)
		return rc < 0 ? KHO_EXIT_OK : rc;
	if ((rc = one_input(g, argc, argv, first, &input)))
		return rc;
	if ((rc = cli_decode(g, input, &img, &ctx)))
		return rc;
	if (targets.n)
		return cli_check_targets(g, &targets, img, ctx);
	if (g->json) {
		struct kho_counts n;
		int code;

		kho_findings_counts(ctx, &n);
		code = cli_counts_exit(&n);
		rc = kho_json_check(g->jw, ctx, cli_findings_verdict(code),
				    code);
	} else {
		struct kho_text_opts to = { cli_color(g), NULL, -1,
					    KHO_TEXT_DEFAULT_ROWS, 0, 0 };

		rc = kho_text_check(stdout, ctx, &to);
	}
	return cli_finish(g, img, ctx, rc);
}
