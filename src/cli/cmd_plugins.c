// SPDX-License-Identifier: GPL-2.0-or-later
/* `plugins`: what would be loaded, from where, and what is refused. */
#include "cli.h"
#include "output/output_json.h"
#include "output/output_plugins.h"
#include "decode/plugins.h"

void help_plugins(FILE *f)
{
	fprintf(f,
		"Usage: %s plugins [OPTIONS]\n"
		"\n"
		"Load the decoder plugins the way every other command does and list the\n"
		"plugin API version (MAJOR.MINOR; plugins built for that major and an\n"
		"older or equal minor load), the directories searched, the plugins loaded\n"
		"(name and file, and the API version of one built for an older minor)\n"
		"and every file or directory refused, with the reason.  Needs no image.\n"
		"The exit status is 0 whether or not something was refused.\n"
		"\n",
		CLI_NAME);
	cli_help_common(f);
}

int cmd_plugins(struct cli *g, int argc, char **argv)
{
	struct kho_plugin_set set = { 0 };
	int rc;

	rc = cli_plugins_command(g, argc, argv, help_plugins, &set);
	if (rc >= 0)
		return rc;
	if (g->json) {
		kho_json_doc_start(g->jw, "listed", KHO_EXIT_OK);
		kho_json_plugins_members(g->jw, &set);
		jsonw_end_object(g->jw);
	} else {
		kho_text_plugins(stdout, &set, 1);
	}
	kho_plugins_free(&set);
	return cli_finish(g, NULL, NULL, 0);
}
