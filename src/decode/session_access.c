// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The read side of a session for front ends: struct kho_ctx stays private
 * to src/decode/, so its layout can change without touching them.
 */
#include "session_internal.h"

const struct kho_image *kho_session_image(const struct kho_ctx *c)
{
	return c->img;
}

struct kho_obj *kho_session_root(const struct kho_ctx *c)
{
	return c->root;
}

const struct kho_finding_rec *kho_session_findings(const struct kho_ctx *c,
						   size_t *n)
{
	*n = c->nfindings;
	return c->findings;
}

size_t kho_session_count(const struct kho_ctx *c, enum kho_severity sev)
{
	return (unsigned int)sev < KHO_SEV_COUNT ? c->counts[sev] : 0;
}

const char *kho_session_root_compat(const struct kho_ctx *c)
{
	return c->root_compat;
}

const char *kho_session_generation(const struct kho_ctx *c)
{
	return c->generation;
}

const struct kho_memmap_summary *kho_session_memmap(const struct kho_ctx *c)
{
	return &c->mm;
}

const struct kho_plugin_set *kho_session_plugins(const struct kho_ctx *c)
{
	return c->plugins;
}
