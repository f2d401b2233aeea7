// SPDX-License-Identifier: GPL-2.0-or-later
/* Route a blob or a memory map to the plugin that decodes it. */
#include <stdio.h>

#include "checks.h"
#include "plugins.h"
#include "session_internal.h"

/*
 * Decoders call each other (LUO → memfd); a hostile image could make that
 * chain arbitrarily deep, so the host bounds it.  The host's own vmalloc
 * and block-chain services are no level: they decode nothing through a
 * plugin, and a block-chain callback that does goes through here.
 * While a plugin runs, c->cur_minor is its API minor (what memmap_register
 * copies).
 */
static int enter(struct kho_ctx *c, struct kho_obj *parent,
		 const struct kho_plugin *p, unsigned int *saved_minor)
{
	uint64_t max = c->lim.depth < KHO_MAX_DEPTH / 4 ? c->lim.depth :
			KHO_MAX_DEPTH / 4;

	if (c->call_depth >= max) {
		kho_report_nophys(c, parent, KHO_SEV_ERROR, "limit.depth",
				  "limit reached: decoder nesting deeper than %llu at %s",
				  (unsigned long long)max, p->name);
		return KHO_ELIMIT;
	}
	c->call_depth++;
	*saved_minor = c->cur_minor;
	c->cur_minor = kho_plugin_minor(p);
	return 0;
}

/*
 * Back from a plugin.  Before API 1.5 KHO_ENOMEM was -1: read it so, and
 * give callers only codes of today's numbering.
 */
static int leave(struct kho_ctx *c, unsigned int saved_minor, int rc)
{
	if (c->cur_minor < 5 && rc == -1)
		rc = KHO_ENOMEM;
	c->cur_minor = saved_minor;
	c->call_depth--;
	return rc;
}

/* One plugin decode call: nesting bound, API minor, and its cap scope. */
static int run_decode(struct kho_ctx *c, struct kho_obj *parent,
		      const struct kho_plugin *p, const struct kho_blob *blob)
{
	struct kho_cap_scope scope;
	unsigned int saved;
	int rc;

	if (enter(c, parent, p, &saved))
		return KHO_ELIMIT;
	kho_cap_scope_open(c, &scope, p, parent);
	rc = p->decode(c, parent, blob);
	kho_cap_scope_close(c, &scope);
	return leave(c, saved, rc);
}

static void no_decoder(struct kho_ctx *c, struct kho_obj *parent,
		       const struct kho_blob *b)
{
	const char *what = b->compat ? b->compat : b->node_name;
	const char *name = b->node_name ? b->node_name :
			   b->compat ? b->compat : "blob";
	struct kho_obj *o;

	o = kho_obj_create(c, parent, "unknown", name);
	if (!o)
		return;
	if (b->compat)
		kho_obj_set_compat(o, b->compat);
	if (b->phys)
		kho_obj_set_phys(o, b->phys, b->size);
	kho_report(c, o, KHO_SEV_NOTE, "plugin.no-decoder", b->phys,
		   "no decoder for %s", what ? what : "unnamed blob");
}

int kho_dispatch_blob(struct kho_ctx *c, struct kho_obj *parent,
		      const struct kho_blob *blob)
{
	const struct kho_plugin *p;

	p = kho_plugins_by_compat(c->plugins, KHO_ROLE_BLOB, blob->compat);
	if (!p)
		p = kho_plugins_by_node(c->plugins, KHO_ROLE_BLOB,
					blob->node_name);
	if (!p || !p->decode) {
		no_decoder(c, parent, blob);
		return KHO_ENOENT;
	}
	return run_decode(c, parent, p, blob);
}

int kho_dispatch_memmap(struct kho_ctx *c, struct kho_obj *parent,
			const struct kho_blob *blob)
{
	const struct kho_plugin *p;
	char what[160];

	p = kho_plugins_by_compat(c->plugins, KHO_ROLE_MEMMAP, blob->compat);
	if (!p || !p->decode) {
		snprintf(what, sizeof(what), "the memory map of %s",
			 blob->compat ? blob->compat : "this image");
		struct kho_blob b = *blob;

		b.compat = what;
		b.node_name = "memory-map";
		no_decoder(c, parent, &b);
		return KHO_ENOENT;
	}
	return run_decode(c, parent, p, blob);
}
