// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-mkimage: preserved-memory map writers: the v1 chunk list (kho-v1) and
 * the radix tree (kho-v2 and later), built from the set of preserved blocks.
 * Map pages are captured but never preserved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mk.h"

#define BLK_ORDER(b) ((unsigned)((b) & 63))
#define BLK_PHYS(b) ((b) & ~(uint64_t)63)

/* ----------------------------------------------------------- radix */

static uint32_t radix_new(unsigned level)
{
	if (mk.nrnodes == mk.caprnodes) {
		mk.caprnodes = mk.caprnodes ? mk.caprnodes * 2 : 64;
		mk.rnodes = mk_realloc(mk.rnodes, mk.caprnodes * sizeof(*mk.rnodes));
		mk.rlevel = mk_realloc(mk.rlevel, mk.caprnodes);
	}
	mk.rnodes[mk.nrnodes] = mk_calloc(1, mk.ps);
	mk.rlevel[mk.nrnodes] = (uint8_t)level;
	return (uint32_t)mk.nrnodes++;
}

static unsigned radix_depth(void)
{
	unsigned T = mk.shift - 3, B = mk.shift + 3, O0 = 64 - mk.shift;
	unsigned bits = O0 - B + (mk.s->depth_plus1 ? 1 : 0);

	return (bits + T - 1) / T + 1;
}

static void build_radix(void)
{
	unsigned T = mk.shift - 3, B = mk.shift + 3, O0 = 64 - mk.shift, D = radix_depth();
	uint64_t tmask = ((uint64_t)1 << T) - 1, bmask = ((uint64_t)1 << B) - 1;
	uint64_t cache_prefix = UINT64_MAX, *leaf = NULL;
	uint8_t *out;

	mk.depth = D;
	radix_new(D - 1);
	for (size_t i = 0; i < mk.blocks.n; i++) {
		uint64_t b = mk.blocks.v[i];
		unsigned order = BLK_ORDER(b);
		uint64_t key, bit;

		if (order > O0)
			mk_fatal(2, "%s: block order %u cannot be encoded", mk.s->file, order);
		key = ((uint64_t)1 << (O0 - order)) | (BLK_PHYS(b) >> (mk.shift + order));
		if ((key >> B) != cache_prefix) {
			uint64_t *node = mk.rnodes[0];

			for (unsigned L = D - 1; L >= 1; L--) {
				uint64_t idx = (key >> ((L - 1) * T + B)) & tmask;

				if (!node[idx])
					node[idx] = (uint64_t)radix_new(L - 1) + 1;
				node = mk.rnodes[node[idx] - 1];
			}
			leaf = node;
			cache_prefix = key >> B;
		}
		bit = key & bmask;
		leaf[bit / 64] |= (uint64_t)1 << (bit % 64);
	}
	mk.radix_base = mk_alloc_pages(mk.nrnodes, 0, &out);
	for (size_t n = 0; n < mk.nrnodes; n++) {
		uint8_t *p = out + n * mk.ps;
		uint64_t *node = mk.rnodes[n];
		char *nm;

		for (unsigned w = 0; w < mk.ps / 8; w++) {
			if (!node[w])
				continue;
			if (mk.rlevel[n])
				mk_put64(p + 8 * w, mk.radix_base + (node[w] - 1) * mk.ps);
			else
				mk_put64(p + 8 * w, node[w]);
		}
		nm = mk_fmt("map.radix[%zu].L%u", n, mk.rlevel[n]);
		mk_obj_add(nm, mk.radix_base + n * mk.ps, mk.ps, -1);
		free(nm);
	}
	mk_obj_add("map.radix.root", mk.radix_base, mk.ps, -1);
	mk_root_set_map(mk.radix_base);
}

bool mk_radix_entry(const char *path, uint64_t *phys, uint64_t *self, const struct mk_src *src)
{
	const char *p;
	uint64_t cur = 0;	/* node index */
	bool first = true;

	if (strncmp(path, "radix.root", 10))
		return false;
	if (!mk.nrnodes)
		mk_die(2, src, "break: the image has no radix tree");
	p = path + 10;
	if (*p != '[')
		mk_die(2, src, "break: radix target needs indices, e.g. radix.root[2][0]");
	while (*p == '[') {
		char *end;
		unsigned long long idx = strtoull(p + 1, &end, 0);

		if (*end != ']' || idx >= mk.ps / 8)
			mk_die(2, src, "break: bad radix index in '%s'", path);
		p = end + 1;
		if (!first) {
			uint64_t e = mk.rnodes[cur][*phys];

			if (!mk.rlevel[cur])
				mk_die(2, src, "break: radix path '%s' goes below a leaf", path);
			if (!e)
				mk_die(2, src, "break: radix path '%s' crosses an empty entry", path);
			cur = e - 1;
		}
		first = false;
		*phys = idx;	/* remember the index for the next step */
	}
	if (*p)
		mk_die(2, src, "break: trailing text in radix target '%s'", path);
	if (!mk.rlevel[cur])
		mk_die(2, src, "break: radix path '%s' addresses a leaf word; use poke", path);
	*self = mk.radix_base + cur * mk.ps;
	*phys = *self + 8 * *phys;
	return true;
}

/* -------------------------------------------------------------- v1 */

static void radix_sort_u64(uint64_t *a, size_t n)
{
	uint64_t *tmp = mk_malloc(n * sizeof(*a)), *src = a, *dst = tmp;
	uint64_t all_or = 0, all_and = ~(uint64_t)0;

	for (size_t i = 0; i < n; i++) {
		all_or |= a[i];
		all_and &= a[i];
	}
	for (unsigned sh = 0; sh < 64; sh += 8) {
		size_t cnt[257] = { 0 };

		if (!(((all_or ^ all_and) >> sh) & 0xff))
			continue;	/* this digit is the same everywhere */
		for (size_t i = 0; i < n; i++)
			cnt[((src[i] >> sh) & 0xff) + 1]++;
		for (int d = 0; d < 256; d++)
			cnt[d + 1] += cnt[d];
		for (size_t i = 0; i < n; i++)
			dst[cnt[(src[i] >> sh) & 0xff]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(tmp);
}

static void build_v1(void)
{
	uint64_t pb = (uint64_t)mk.s->v1_bitmap_bytes * 8;	/* PRESERVE_BITS */
	uint64_t epc = (mk.ps - 16) / 16;
	size_t n = mk.blocks.n, nbm = 0, nch = 0, reg_entries = 0;
	uint64_t *k = mk_malloc(n * sizeof(*k));
	uint64_t chunk_base = 0, bm_base = 0;
	uint8_t *chunks = NULL, *bms = NULL;

	for (size_t i = 0; i < n; i++)
		k[i] = (uint64_t)BLK_ORDER(mk.blocks.v[i]) << 52 | BLK_PHYS(mk.blocks.v[i]) >> mk.shift;
	radix_sort_u64(k, n);
	/* pass 1: count bitmaps and chunks */
	for (size_t i = 0; i < n;) {
		unsigned order = (unsigned)(k[i] >> 52);
		size_t per_order = 0;

		while (i < n && (unsigned)(k[i] >> 52) == order) {
			uint64_t x = ((k[i] & ((1ULL << 52) - 1)) >> order) / pb;

			per_order++;
			while (i < n && (unsigned)(k[i] >> 52) == order &&
			       ((k[i] & ((1ULL << 52) - 1)) >> order) / pb == x)
				i++;
		}
		nbm += per_order;
		nch += (per_order + epc - 1) / epc;
	}
	if (nch) {
		chunk_base = mk_alloc_pages(nch, 0, &chunks);
		if (mk.s->v1_bitmap_bytes >= mk.ps)
			bm_base = mk_alloc_pages(nbm, 0, &bms);
		else
			bm_base = mk_alloc_pages((nbm * mk.s->v1_bitmap_bytes + mk.ps - 1) >> mk.shift, 0, &bms);
	}
	for (size_t c = 0; c < nch; c++) {
		char *nm = mk_fmt("map.v1.chunk[%zu]", c);
		struct mk_field *f;

		mk_obj_add(nm, chunk_base + c * mk.ps, mk.ps, -1);
		free(nm);
		nm = mk_fmt("map.chunk[%zu].next", c);
		f = mk_field_add(nm, chunk_base + c * mk.ps, 8, MKF_NEXT);
		f->aux = chunk_base;
		f->owner = chunk_base + c * mk.ps;
		free(nm);
		nm = mk_fmt("map.chunk[%zu].order", c);
		mk_field_add(nm, chunk_base + c * mk.ps + 8, 4, 0);
		free(nm);
		nm = mk_fmt("map.chunk[%zu].num_elms", c);
		mk_field_add(nm, chunk_base + c * mk.ps + 12, 4, MKF_COUNT)->aux = epc;
		free(nm);
	}
	for (size_t b = 0; b < nbm; b++) {
		char *nm = mk_fmt("map.v1.bitmap[%zu]", b);

		mk_obj_add(nm, bm_base + b * mk.s->v1_bitmap_bytes, mk.s->v1_bitmap_bytes, -1);
		free(nm);
	}
	/* pass 2: fill */
	size_t c = 0, bmi = 0;
	for (size_t i = 0; i < n;) {
		unsigned order = (unsigned)(k[i] >> 52);
		uint8_t *chunk = NULL;
		uint64_t elms = 0;

		while (i < n && (unsigned)(k[i] >> 52) == order) {
			uint64_t pfn = k[i] & ((1ULL << 52) - 1);
			uint64_t x = (pfn >> order) / pb;
			uint64_t bpa = bm_base + bmi * mk.s->v1_bitmap_bytes;
			uint8_t *bm = bms + bmi * mk.s->v1_bitmap_bytes;
			uint64_t *words = mk_calloc(1, mk.s->v1_bitmap_bytes);

			if (!chunk || elms == epc) {
				uint8_t *prev = chunk;

				chunk = chunks + c * mk.ps;
				if (prev)
					mk_put64(prev, chunk_base + c * mk.ps);
				mk_put32(chunk + 8, order);
				c++;
				elms = 0;
			}
			while (i < n && (unsigned)(k[i] >> 52) == order &&
			       ((k[i] & ((1ULL << 52) - 1)) >> order) / pb == x) {
				uint64_t bit = ((k[i] & ((1ULL << 52) - 1)) >> order) % pb;

				words[bit / 64] |= (uint64_t)1 << (bit % 64);
				i++;
			}
			for (unsigned w = 0; w < mk.s->v1_bitmap_bytes / 8; w++)
				if (words[w])
					mk_put64(bm + 8 * w, words[w]);
			free(words);
			uint64_t ps_start = (x * pb) << (order + mk.shift);
			mk_put64(chunk + 16 + 16 * elms, ps_start);
			mk_put64(chunk + 24 + 16 * elms, bpa);
			if (reg_entries < 4096) {
				uint64_t cpa = chunk_base + (c - 1) * mk.ps + 16 + 16 * elms;
				char *nm = mk_fmt("map.chunk[%zu].entry[%llu].phys_start", c - 1,
						  (unsigned long long)elms);

				mk_field_add(nm, cpa, 8, 0);
				free(nm);
				nm = mk_fmt("map.chunk[%zu].entry[%llu].bitmap", c - 1, (unsigned long long)elms);
				mk_field_add(nm, cpa + 8, 8, 0);
				free(nm);
				reg_entries++;
			}
			elms++;
			mk_put32(chunk + 12, elms);
			bmi++;
		}
		/* link chunks across orders: the next order's first chunk follows */
		if (i < n)
			mk_put64(chunk, chunk_base + c * mk.ps);
	}
	free(k);
	mk_root_set_map(chunk_base);
}

void mk_build_memmap(void)
{
	if (mk_gen_g1()) {
		if (mk.s->finalized)
			build_v1();
		else
			mk_root_set_map(0);
	} else {
		build_radix();
	}
}
