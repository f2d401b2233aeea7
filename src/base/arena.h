/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bump allocator for session-lifetime data: freed all at once. */
#ifndef KHO_ARENA_H
#define KHO_ARENA_H

#include <stddef.h>

struct kho_arena;

struct kho_arena *kho_arena_new(void);
void kho_arena_free(struct kho_arena *a);
/* Zeroed, 16-byte aligned; NULL when out of memory. */
void *kho_arena_alloc(struct kho_arena *a, size_t size);
char *kho_arena_strdup(struct kho_arena *a, const char *s);
/* Total bytes handed out, for resource limits. */
size_t kho_arena_used(const struct kho_arena *a);

#endif
