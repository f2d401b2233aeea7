// SPDX-License-Identifier: GPL-2.0-or-later
/* `memmap`: the preserved blocks, one per line, in ascending address. */
#include "cli.h"
#include "output/output_json.h"
#include "output/output_text.h"

enum { OPT_UNATTRIBUTED = 3000 };

void help_memmap(FILE *f)
{
	fprintf(f,
		"Usage: %s memmap [OPTIONS] INPUT\n"
		"\n"
		"List every preserved block of INPUT's memory map in ascending address,\n"
		"one per line as '0x<phys> <order>' (JSON: \"blocks\", an array of\n"
		"{\"phys\": \"0x...\", \"order\": n, \"size\": bytes}; see\n"
		"kho-inspect-json(5)).\n"
		"\n"
		"Options of memmap:\n"
		"      --unattributed     only the blocks no decoded object accounts for\n"
		"\n",
		CLI_NAME);
	cli_help_common(f);
}

static int memmap_opt(struct cli *g, void *arg, int val, const char *optarg)
{
	if (val != OPT_UNATTRIBUTED)
		return -2;
	*(int *)arg = 1;
	return 0;
}

/*
 * The listing has no room for findings, so when the map is broken (exit 1)
 * or incomplete (exit 2) stderr says why: a count, then each such finding.
 */
static void memmap_why(const char *path, const struct kho_ctx *ctx)
{
	size_t ne = kho_session_count(ctx, KHO_SEV_ERROR);
	size_t nu = kho_session_count(ctx, KHO_SEV_UNKNOWN);
	const struct kho_finding_rec *recs;
	size_t i, n;

	if (!ne && !nu)
		return;
	fprintf(stderr, "%s: memmap: %s: ", CLI_NAME, path);
	if (ne)
		fprintf(stderr, "%zu error%s", ne, ne == 1 ? "" : "s");
	if (ne && nu)
		fputs(" and ", stderr);
	if (nu)
		fprintf(stderr, "%zu unknown finding%s", nu, nu == 1 ? "" : "s");
	fputs("; the list of blocks may be incomplete:\n", stderr);
	recs = kho_session_findings(ctx, &n);
	for (i = 0; i < n; i++)
		if (recs[i].sev == KHO_SEV_ERROR ||
		    recs[i].sev == KHO_SEV_UNKNOWN)
			kho_text_finding(stderr, &recs[i], 0, 1);
}

int cmd_memmap(struct cli *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unattributed", no_argument, NULL, OPT_UNATTRIBUTED },
		{ NULL, 0, NULL, 0 },
	};
	struct kho_image *img;
	struct kho_ctx *ctx;
	int first, rc, unattributed = 0;

	rc = cli_parse(g, argc, argv, opts, memmap_opt, &unattributed,
		       help_memmap, 0, &first);
	if (rc)
		return rc < 0 ? KHO_EXIT_OK : rc;
	if (first >= argc)
		return cli_usage(g, "missing INPUT (see '%s memmap --help')",
				 CLI_NAME);
	if (argc - first > 1)
		return cli_usage(g, "unexpected argument '%s'",
				 argv[first + 1]);
	if ((rc = cli_decode(g, argv[first], &img, &ctx)))
		return rc;
	if (g->json) {
		struct kho_counts n;
		int code;

		kho_findings_counts(ctx, &n);
		code = cli_counts_exit(&n);
		rc = kho_json_memmap(g->jw, ctx, unattributed,
				     cli_findings_verdict(code), code);
	} else {
		rc = kho_text_memmap(stdout, ctx, unattributed);
	}
	fflush(stdout);
	memmap_why(argv[first], ctx);
	return cli_finish(g, img, ctx, rc);
}
