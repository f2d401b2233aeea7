// SPDX-License-Identifier: GPL-2.0-or-later
#include "output_plugins.h"
#include "text_put.h"

void kho_json_plugins(struct jsonw *w, const struct kho_plugin_set *s)
{
	jsonw_start_object(w);
	kho_json_plugins_members(w, s);
	jsonw_end_object(w);
}

void kho_json_plugins_members(struct jsonw *w, const struct kho_plugin_set *s)
{
	size_t i;

	jsonw_key_array(w, "searched");
	for (i = 0; i < s->nsearched; i++)
		jsonw_string(w, s->searched[i]);
	jsonw_end_array(w);
	jsonw_key_array(w, "loaded");
	for (i = 0; i < s->n; i++) {
		jsonw_start_object(w);
		jsonw_key_string(w, "name", s->v[i].p->name);
		jsonw_key_string(w, "path", s->v[i].path);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_key_array(w, "refused");
	for (i = 0; i < s->nproblems; i++) {
		jsonw_start_object(w);
		jsonw_key_string(w, "path", s->problems[i].path);
		jsonw_key_string(w, "reason", s->problems[i].msg);
		jsonw_key_bool(w, "ignored", s->problems[i].ignored);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

static void refusal(FILE *f, const struct kho_plugin_problem *p)
{
	fputs("  refused ", f);
	kho_text_put(f, p->path);
	fputs(": ", f);
	kho_text_put(f, p->msg);
	putc('\n', f);
}

void kho_text_plugins(FILE *f, const struct kho_plugin_set *s, int full)
{
	size_t i, ignored = 0, refused = 0;

	for (i = 0; i < s->nproblems; i++) {
		if (s->problems[i].ignored)
			ignored++;
		else
			refused++;
	}
	if (full) {
		fprintf(f, "plugin API: %u.%u (loads plugins built for %u.0 to %u.%u)\n",
			KHO_PLUGIN_API_MAJOR, KHO_PLUGIN_API_MINOR,
			KHO_PLUGIN_API_MAJOR, KHO_PLUGIN_API_MAJOR,
			KHO_PLUGIN_API_MINOR);
		fputs("searched:\n", f);
		for (i = 0; i < s->nsearched; i++) {
			fputs("  ", f);
			kho_text_put(f, s->searched[i]);
			putc('\n', f);
		}
		fprintf(f, "loaded: %zu\n", s->n);
		for (i = 0; i < s->n; i++) {
			fputs("  ", f);
			kho_text_put(f, s->v[i].p->name);
			fputs(" ", f);
			kho_text_put(f, s->v[i].path);
			/* An older minor is worth seeing; ours goes unsaid. */
			if (kho_plugin_minor(s->v[i].p) != KHO_PLUGIN_API_MINOR)
				fprintf(f, " (API %u.%u)", KHO_PLUGIN_API_MAJOR,
					kho_plugin_minor(s->v[i].p));
			putc('\n', f);
		}
		fprintf(f, "refused: %zu\n", s->nproblems);
		for (i = 0; i < s->nproblems; i++)
			refusal(f, &s->problems[i]);
		return;
	}
	if (!refused)
		return;
	fprintf(f, "plugins: %zu refused (not part of the image's findings)\n",
		refused);
	for (i = 0; i < s->nproblems; i++)
		if (!s->problems[i].ignored)
			refusal(f, &s->problems[i]);
}
