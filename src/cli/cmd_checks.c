// SPDX-License-Identifier: GPL-2.0-or-later
/* `checks`: every finding id the host and the loaded plugins declare. */
#include <string.h>

#include "decode/checks.h"
#include "cli.h"
#include "decode/consequence.h"
#include "output/output_json.h"
#include "decode/plugins.h"

void help_checks(FILE *f)
{
	fprintf(f,
		"Usage: %s checks [OPTIONS]\n"
		"\n"
		"List every finding id (check id) that can be reported: those of the host,\n"
		"declared in its check registry, then those each loaded plugin declares\n"
		"in its checks list.  For each: the id, its owner (core or the plugin's\n"
		"name), the severity it is reported with by default (core ids only; '-'\n"
		"for a plugin id), its cap (how many of its findings one decoder call\n"
		"lists before the rest are only counted; '-' for none), the consequence\n"
		"class the consequence table gives it for linux 7.2 (kho-v4, luo-v5,\n"
		"memfd-v2; a rule for one object kind is not applied here), and a\n"
		"one-line summary (core ids only).\n"
		"These are the ids --ignore and --error accept.  Needs no image; the\n"
		"exit status is 0.\n"
		"\n",
		CLI_NAME);
	cli_help_common(f);
}

/* The newest generation, as objects the consequence lookup can walk. */
struct gen {
	struct kho_obj luo, memfd;
};

static enum kho_cq consequence(const struct gen *g, const char *id)
{
	const struct kho_cq_rule *r =
		kho_cq_lookup(id, &g->memfd, "kho-v4", NULL);

	return r ? r->cq : KHO_CQ_UNKNOWN;
}

struct out {
	struct cli *g;
	const struct gen *gen;
};

static int one(void *arg, const char *id, const char *owner,
	       const struct kho_check_decl *d, uint32_t cap)
{
	struct out *o = arg;
	const char *cq = kho_cq_name(consequence(o->gen, id));
	char capstr[16] = "-";

	if (o->g->json) {
		struct jsonw *w = o->g->jw;

		jsonw_start_object(w);
		jsonw_key_string(w, "id", id);
		jsonw_key_string(w, "owner", owner);
		jsonw_key_string(w, "severity",
				 d ? kho_severity_name(d->sev) : NULL);
		jsonw_key_u64(w, "cap", cap);
		jsonw_key_string(w, "consequence", cq);
		jsonw_key_string(w, "summary", d ? d->summary : NULL);
		jsonw_end_object(w);
	} else {
		if (cap)
			snprintf(capstr, sizeof(capstr), "%u", (unsigned)cap);
		printf("%-40s %-16s %-8s %-5s %-14s %s\n", id, owner,
		       d ? kho_severity_name(d->sev) : "-", capstr, cq,
		       d ? d->summary : "-");
	}
	return 0;
}

int cmd_checks(struct cli *g, int argc, char **argv)
{
	struct kho_plugin_set set = { 0 };
	struct gen gen;
	struct out o = { g, &gen };
	int rc;

	rc = cli_plugins_command(g, argc, argv, help_checks, &set);
	if (rc >= 0)
		return rc;
	memset(&gen, 0, sizeof(gen));
	gen.luo.compat = "luo-v5";
	gen.memfd.compat = "memfd-v2";
	gen.memfd.parent = &gen.luo;
	if (g->json) {
		kho_json_doc_start(g->jw, "listed", KHO_EXIT_OK);
		jsonw_key_array(g->jw, "checks");
	} else {
		printf("%-40s %-16s %-8s %-5s %-14s %s\n", "ID", "OWNER",
		       "SEVERITY", "CAP", "CONSEQUENCE", "SUMMARY");
	}
	kho_checks_each(&set, one, &o);
	if (g->json) {
		jsonw_end_array(g->jw);
		jsonw_end_object(g->jw);
	}
	kho_plugins_free(&set);
	return cli_finish(g, NULL, NULL, 0);
}
