/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LUO serialization layouts (kho-abi.md §8.1, §8.2, §8.6) and the small
 * helpers the LUO decoder needs: an escaped copy of fixed-size name fields,
 * a set of fixed-width keys for duplicate detection, and a growable vector
 * of raw entries collected from arrays and block chains.
 */
#ifndef KHO_PLUGIN_LUO_LAYOUT_H
#define KHO_PLUGIN_LUO_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Fixed string lengths (uapi / ABI headers). */
#define LUO_SESSION_NAME_LEN 64
#define LUO_FILE_COMPAT_LEN 48
#define LUO_FLB_NAME_LEN 48

/* luo-v1 .. luo-v3: one session block of LUO_SESSION_PGCNT pages (order 4). */
#define LUO_SESSION_PGCNT 16u
#define LUO_SESSION_ORDER 4u
#define LUO_SESSION_HDR 8u   /* u64 count */
#define LUO_SESSION_V1_SZ 64u /* name only */
#define LUO_SESSION_V2_SZ 80u /* name + file_set_ser {files, count} */
#define LUO_SESSION_FILES 64u
#define LUO_SESSION_FCOUNT 72u

/* luo-v1 .. luo-v4 file array: 2 pages (order 1), no header. */
#define LUO_FILE_PGCNT 2u
#define LUO_FILE_ORDER 1u
#define LUO_FILE_SZ 64u
#define LUO_FILE_DATA 48u
#define LUO_FILE_TOKEN 56u

/* FLB page: u64 pgcnt, u64 count, then 64-byte luo_flb_ser entries. */
#define LUO_FLB_HDR 16u
#define LUO_FLB_SZ 64u
#define LUO_FLB_DATA 48u
#define LUO_FLB_COUNT 56u

/* struct luo_ser sizes per generation. */
#define LUO_SER_V2_SZ 24u  /* num, sessions_pa, flbs_pa */
#define LUO_SER_V3_SZ 32u  /* compatible[8] + the three u64 */
#define LUO_SER_RFC_SZ 40u /* compatible[16] + the three u64 */
#define LUO_SER_FEAT_SZ 152u
#define LUO_FEAT_HDR_SZ 128u
#define LUO_FEAT_KNOWN ((uint64_t)0x7) /* NUMBER | SESSIONS | FLBS */

/* ------------------------------------------------------ escaped names */

/*
 * Copy a fixed-size field into a printable C string: bytes up to the first
 * NUL (or all n when there is none), anything outside 0x20..0x7e as \xNN.
 * out must hold 4 * n + 1 bytes.  Returns 1 when the copy is already
 * plain (no escapes, no '/'), so it can serve as an object name.
 */
static inline int luo_escape(char *out, const uint8_t *f, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	int plain = 1;
	size_t i, o = 0;

	for (i = 0; i < n && f[i]; i++) {
		uint8_t b = f[i];

		if (b >= 0x20 && b < 0x7f && b != '\\') {
			out[o++] = (char)b;
			if (b == '/')
				plain = 0;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[b >> 4];
			out[o++] = hex[b & 15];
			plain = 0;
		}
	}
	out[o] = '\0';
	return plain;
}

/* ------------------------------------------------- fixed-width key set */

struct luo_kset {
	size_t w;         /* key width in bytes */
	uint8_t *keys;    /* n * w bytes */
	size_t n, kcap;
	uint32_t *slots;  /* 0 = empty, else key index + 1 */
	size_t scap;      /* power of two */
};

static inline uint64_t luo_kset_hash(const uint8_t *k, size_t w)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < w; i++) {
		h ^= k[i];
		h *= 0x100000001b3ull;
	}
	return h ^ (h >> 29);
}

static inline void luo_kset_init(struct luo_kset *s, size_t w)
{
	memset(s, 0, sizeof(*s));
	s->w = w;
}

static inline void luo_kset_free(struct luo_kset *s)
{
	free(s->keys);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

static inline int luo_kset_grow(struct luo_kset *s)
{
	size_t ncap = s->scap ? s->scap * 2 : 64, i;
	uint32_t *ns = (uint32_t *)calloc(ncap, sizeof(*ns));

	if (!ns)
		return -1;
	for (i = 0; i < s->n; i++) {
		size_t j = (size_t)luo_kset_hash(s->keys + i * s->w, s->w) &
			   (ncap - 1);

		while (ns[j])
			j = (j + 1) & (ncap - 1);
		ns[j] = (uint32_t)(i + 1);
	}
	free(s->slots);
	s->slots = ns;
	s->scap = ncap;
	return 0;
}

/*
 * Add a key.  Returns 0 when it was new, 1 when it was already present
 * (*first = index of the first occurrence), -1 on allocation failure.
 */
static inline int luo_kset_add(struct luo_kset *s, const uint8_t *key,
			       size_t *first)
{
	size_t j;

	if (s->n >= 0xfffffff0u)
		return -1;
	if ((s->n + 1) * 2 > s->scap && luo_kset_grow(s))
		return -1;
	j = (size_t)luo_kset_hash(key, s->w) & (s->scap - 1);
	while (s->slots[j]) {
		size_t k = s->slots[j] - 1;

		if (!memcmp(s->keys + k * s->w, key, s->w)) {
			if (first)
				*first = k;
			return 1;
		}
		j = (j + 1) & (s->scap - 1);
	}
	if (s->n == s->kcap) {
		size_t nc = s->kcap ? s->kcap * 2 : 64;
		uint8_t *nk = (uint8_t *)realloc(s->keys, nc * s->w);

		if (!nk)
			return -1;
		s->keys = nk;
		s->kcap = nc;
	}
	memcpy(s->keys + s->n * s->w, key, s->w);
	s->slots[j] = (uint32_t)(s->n + 1);
	s->n++;
	return 0;
}

/* ------------------------------------------------- collected entries */

struct luo_evec {
	size_t esz;
	uint8_t *buf;    /* n * esz bytes */
	uint64_t *phys;  /* address of each entry */
	size_t n, cap;
	int oom;
};

static inline int luo_evec_push(struct luo_evec *v, uint64_t phys,
				const uint8_t *e)
{
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 64;
		uint8_t *nb = (uint8_t *)realloc(v->buf, nc * v->esz);
		uint64_t *np;

		if (!nb) {
			v->oom = 1;
			return -1;
		}
		v->buf = nb;
		np = (uint64_t *)realloc(v->phys, nc * sizeof(*np));
		if (!np) {
			v->oom = 1;
			return -1;
		}
		v->phys = np;
		v->cap = nc;
	}
	memcpy(v->buf + v->n * v->esz, e, v->esz);
	v->phys[v->n++] = phys;
	return 0;
}

static inline void luo_evec_free(struct luo_evec *v)
{
	free(v->buf);
	free(v->phys);
	v->buf = NULL;
	v->phys = NULL;
	v->n = v->cap = 0;
}

#endif /* KHO_PLUGIN_LUO_LAYOUT_H */
