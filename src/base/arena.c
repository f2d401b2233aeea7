// SPDX-License-Identifier: GPL-2.0-or-later
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (256u * 1024u)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

struct kho_arena {
	struct arena_chunk *head;
	size_t total;
};

struct kho_arena *kho_arena_new(void)
{
	return calloc(1, sizeof(struct kho_arena));
}

void kho_arena_free(struct kho_arena *a)
{
	struct arena_chunk *ch, *next;

	if (!a)
		return;
	for (ch = a->head; ch; ch = next) {
		next = ch->next;
		free(ch);
	}
	free(a);
}

void *kho_arena_alloc(struct kho_arena *a, size_t size)
{
	struct arena_chunk *ch = a->head;
	size_t need = (size + 15) & ~(size_t)15;
	void *p;

	if (need < size)
		return NULL;
	if (!ch || ch->cap - ch->used < need) {
		/* Big requests get their own chunk so small ones keep packing. */
		size_t cap = need > ARENA_CHUNK ? need : ARENA_CHUNK;

		if (cap > SIZE_MAX - sizeof(*ch))
			return NULL;
		ch = malloc(sizeof(*ch) + cap);
		if (!ch)
			return NULL;
		ch->used = 0;
		ch->cap = cap;
		if (a->head && need > ARENA_CHUNK) {
			ch->next = a->head->next;
			a->head->next = ch;
		} else {
			ch->next = a->head;
			a->head = ch;
		}
	}
	p = ch->data + ch->used;
	ch->used += need;
	a->total += need;
	memset(p, 0, need);
	return p;
}

char *kho_arena_strdup(struct kho_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = kho_arena_alloc(a, n);

	if (p)
		memcpy(p, s, n);
	return p;
}

size_t kho_arena_used(const struct kho_arena *a)
{
	return a->total;
}
