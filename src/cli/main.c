// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-inspect: decode and validate Linux Kexec HandOver images offline.
 * Global options, the command table and dispatch (after bpftool).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cmd {
	const char *name;
	int (*fn)(struct cli *g, int argc, char **argv);
	void (*help)(FILE *f);
	const char *summary;
};

/* browse: src/cli/browse_main.c */
int cmd_browse(struct cli *g, int argc, char **argv);
void help_browse(FILE *f);
static int cmd_help(struct cli *g, int argc, char **argv);
static void help_help(FILE *f);

static const struct cmd cmds[] = {
	{ "dump", cmd_dump, help_dump,
	  "show the decoded object tree with its findings" },
	{ "check", cmd_check, help_check,
	  "list the findings, with a one-line summary" },
	{ "memmap", cmd_memmap, help_memmap,
	  "list the preserved memory blocks" },
	{ "browse", cmd_browse, help_browse,
	  "explore the image in an interactive terminal browser" },
	{ "compat-table", cmd_compat_table, help_compat_table,
	  "print the compat strings a target kernel supports" },
	{ "preflight", cmd_preflight, help_preflight,
	  "go/no-go for a kexec into a target kernel (scripts)" },
	{ "diff", cmd_diff, help_diff,
	  "compare two images: what was carried over or dropped" },
	{ "capture", cmd_capture, help_capture,
	  "write a compact image of the live KHO state or of a big dump" },
	{ "checks", cmd_checks, help_checks,
	  "list every finding id, its owner, severity and consequence" },
	{ "plugins", cmd_plugins, help_plugins,
	  "list the decoder plugins loaded and those refused, with why" },
	{ "help", cmd_help, help_help, "show the help of a command" },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void help_main(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: %s [OPTIONS] COMMAND [OPTIONS] [ARGS]\n"
		"\n"
		"Decode and validate Linux Kexec HandOver (KHO) hand-over images offline.\n"
		"\n"
		"Commands (any unambiguous prefix is accepted):\n",
		CLI_NAME);
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-12s %s\n", cmds[i].name, cmds[i].summary);
	fputc('\n', f);
	cli_help_common(f);
	fprintf(f,
		"\n"
		"Exit status: 0 no error and no unknown finding, 1 at least one error\n"
		"finding, 2 no error but something unknown (memory the image does not\n"
		"hold), or a usage error, unreadable input or not a handover image.\n"
		"JSON documents carry it as \"exit\" with a \"verdict\": kho-inspect-json(5).\n"
		"\n"
		"'%s COMMAND --help' describes a command; see also kho-inspect(1).\n",
		CLI_NAME);
}

static void help_help(FILE *f)
{
	fprintf(f,
		"Usage: %s help [COMMAND]\n"
		"\n"
		"Show the help of COMMAND, or the overview without one.\n",
		CLI_NAME);
}

/* Exact name, else the one command it is a prefix of. */
static const struct cmd *find_cmd(struct cli *g, const char *name, int *rc)
{
	const struct cmd *found = NULL;
	char list[256] = "";
	size_t i, n = 0, len = strlen(name);

	*rc = 0;
	for (i = 0; i < NCMDS; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	for (i = 0; len && i < NCMDS; i++) {
		if (strncmp(cmds[i].name, name, len))
			continue;
		found = &cmds[i];
		if (n++)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, cmds[i].name, sizeof(list) - strlen(list) - 1);
	}
	if (n == 1)
		return found;
	/*
	 * "chec" names check, not checks: a command that is a prefix of every
	 * other candidate wins, so that adding "checks" kept the prefixes of
	 * "check" working.
	 */
	for (i = 0; n > 1 && i < NCMDS; i++) {
		size_t j, ok = 1, ni = strlen(cmds[i].name);

		if (strncmp(cmds[i].name, name, len))
			continue;
		for (j = 0; j < NCMDS; j++)
			if (!strncmp(cmds[j].name, name, len) &&
			    strncmp(cmds[j].name, cmds[i].name, ni))
				ok = 0;
		if (ok)
			return &cmds[i];
	}
	if (n > 1)
		*rc = cli_usage(g, "ambiguous command '%s' (could be %s)", name,
				list);
	else
		*rc = cli_usage(g, "unknown command '%s' (see '%s --help')",
				name, CLI_NAME);
	return NULL;
}

static int cmd_help(struct cli *g, int argc, char **argv)
{
	const struct cmd *c;
	int first, rc;

	rc = cli_parse(g, argc, argv, NULL, NULL, NULL, help_help, 0, &first);
	if (rc)
		return rc < 0 ? KHO_EXIT_OK : rc;
	if (first == argc) {
		help_main(stdout);
		return KHO_EXIT_OK;
	}
	if (argc - first > 1)
		return cli_usage(g, "unexpected argument '%s'",
				 argv[first + 1]);
	g->cmd = NULL;
	c = find_cmd(g, argv[first], &rc);
	if (!c)
		return rc;
	c->help(stdout);
	return KHO_EXIT_OK;
}

/*
 * Whether JSON was asked for anywhere on the line, so that even an error in
 * the options before --json is reported as JSON.
 */
static void prescan_json(struct cli *g, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t n = strlen(a);

		if (!strcmp(a, "--"))
			break;
		if (a[0] == '-' && a[1] == '-') {
			if (n >= 3 && !strncmp(a, "--json", n))
				g->json = 1;
			else if (n >= 4 && !strncmp(a, "--pretty", n))
				g->json = g->pretty = 1;
		} else if (a[0] == '-' && a[1] &&
			   strspn(a + 1, "jphV") == n - 1) {
			if (strchr(a + 1, 'j'))
				g->json = 1;
			if (strchr(a + 1, 'p'))
				g->json = g->pretty = 1;
		}
	}
}

int main(int argc, char **argv)
{
	static struct cli g;
	const struct cmd *c;
	int first, rc;

	prescan_json(&g, argc, argv);
	g.jw = jsonw_new(stdout, g.pretty);
	if (!g.jw) {
		fprintf(stderr, "%s: out of memory\n", CLI_NAME);
		return KHO_EXIT_USAGE;
	}
	rc = cli_parse(&g, argc, argv, NULL, NULL, NULL, help_main, 1, &first);
	if (rc) {
		rc = rc < 0 ? KHO_EXIT_OK : rc;
		goto out;
	}
	if (first == argc) {
		rc = cli_usage(&g, "missing command (see '%s --help')",
			       CLI_NAME);
		goto out;
	}
	c = find_cmd(&g, argv[first], &rc);
	if (!c)
		goto out;
	g.cmd = c->name;
	rc = c->fn(&g, argc - first, argv + first);
out:
	jsonw_free(g.jw);
	return rc;
}
