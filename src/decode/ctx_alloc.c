// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Session memory: every object, field name and string of a session comes
 * from its arena, through here, so that one limit (KHO_INSPECT_LIMITS
 * memory=) bounds what a hostile image can make the decoder allocate.
 * Below everything else in src/decode/: it calls only the arena and the
 * findings list (for limit.memory).
 */
#include "base/arena.h"
#include "session_internal.h"

static void memory_limit(struct kho_ctx *c)
{
	if (c->memory_limit_hit)
		return;
	c->memory_limit_hit = 1;
	kho_report_nophys(c, c->root, KHO_SEV_ERROR, "limit.memory",
			  "limit reached: more than %llu bytes of session memory; decoding stopped growing the tree",
			  (unsigned long long)c->lim.memory);
}

static int over_memory(const struct kho_ctx *c, uint64_t bytes)
{
	uint64_t used = kho_arena_used(c->arena);

	return bytes > c->lim.memory || used > c->lim.memory - bytes;
}

void *kho_ctx_alloc(struct kho_ctx *c, size_t size)
{
	if (c->lim.memory && (c->memory_limit_hit || over_memory(c, size))) {
		memory_limit(c);
		return NULL;
	}
	return kho_arena_alloc(c->arena, size);
}

char *kho_ctx_strdup(struct kho_ctx *c, const char *s)
{
	return kho_arena_strdup(c->arena, s ? s : "");
}
