// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page cache of pread-backed sources (/proc/kcore, /proc/vmcore,
 * /proc/kho/image, libkdumpfile): see image_pread.c for why they are read,
 * not mapped.  Cached pages are never evicted while the image is open
 * (kho_image_map hands out pointers into them); past PAGER_CACHE_MAX bytes
 * plain reads go uncached, and the direct reader never caches, so no input
 * makes the cache grow with the size of memory.  Also reads by kernel
 * virtual address, through the PT_LOADs' p_vaddr.
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"
#include "pager.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CPAGE 4096u
#define PAGER_CACHE_MAX (32u << 20)

void kho_pager_free(struct kho_pager *pg)
{
	if (!pg)
		return;
	if (pg->fd >= 0)
		close(pg->fd);
	if (pg->src_free)
		pg->src_free(pg->src);
	pthread_mutex_destroy(&pg->lock);
	free(pg->keys);
	free(pg->vals);
	free(pg->vsegs);
	free(pg);
}

static size_t hslot(const struct kho_pager *pg, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 20) & (pg->cap - 1);
}

static uint8_t *lookup(const struct kho_pager *pg, uint64_t idx)
{
	size_t i;

	if (!pg->cap)
		return NULL;
	for (i = hslot(pg, idx + 1); pg->keys[i]; i = (i + 1) & (pg->cap - 1))
		if (pg->keys[i] == idx + 1)
			return pg->vals[i];
	return NULL;
}

static int insert(struct kho_pager *pg, uint64_t idx, uint8_t *p)
{
	size_t i;

	if ((pg->n + 1) * 2 > pg->cap) {
		size_t ncap = pg->cap ? pg->cap * 2 : 1024, j;
		uint64_t *ok = pg->keys;
		uint8_t **ov = pg->vals;
		size_t ocap = pg->cap;

		pg->keys = calloc(ncap, sizeof(*pg->keys));
		pg->vals = calloc(ncap, sizeof(*pg->vals));
		if (!pg->keys || !pg->vals) {
			free(pg->keys);
			free(pg->vals);
			pg->keys = ok;
			pg->vals = ov;
			return KHO_ENOMEM;
		}
		pg->cap = ncap;
		for (j = 0; j < ocap; j++) {
			if (!ok[j])
				continue;
			for (i = hslot(pg, ok[j]); pg->keys[i];
			     i = (i + 1) & (pg->cap - 1))
				;
			pg->keys[i] = ok[j];
			pg->vals[i] = ov[j];
		}
		free(ok);
		free(ov);
	}
	for (i = hslot(pg, idx + 1); pg->keys[i]; i = (i + 1) & (pg->cap - 1))
		;
	pg->keys[i] = idx + 1;
	pg->vals[i] = p;
	pg->n++;
	return 0;
}

int kho_pager_pread(struct kho_pager *pg, void *buf, uint64_t len,
		      uint64_t off)
{
	uint8_t *p = buf;

	if (pg->src_read) {
		int rc = pg->src_read(pg->src, buf, len, off);

		if (rc)
			return rc;
		pg->bytes_read += len;
		return 0;
	}
	while (len) {
		ssize_t r = pread(pg->fd, p, len, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return KHO_EIO;
		if (r == 0) { /* past the end: the rest reads as zero */
			memset(p, 0, len);
			return 0;
		}
		pg->bytes_read += (uint64_t)r;
		p += r;
		len -= (uint64_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

/*
 * Make file pages [first, last] cached, contiguous when `contig` (one new
 * buffer holding them all, pages already cached are copied).  Returns the
 * pointer of page `first` or NULL.  Caller holds the lock.
 */
static uint8_t *fill(struct kho_pager *pg, uint64_t first, uint64_t last,
		     int contig)
{
	uint64_t n = last - first + 1, i;
	uint8_t *buf, *p;

	if (!contig || n == 1) {
		p = lookup(pg, first);
		if (p && n == 1)
			return p;
	}
	if (contig) { /* already contiguous? */
		uint8_t *base = lookup(pg, first);

		for (i = 1; base && i < n; i++)
			if (lookup(pg, first + i) != base + i * CPAGE)
				break;
		if (base && i == n)
			return base;
	}
	if (n > SIZE_MAX / CPAGE)
		return NULL;
	buf = kho_image_alloc(pg->img, (size_t)(n * CPAGE));
	if (!buf)
		return NULL;
	pg->cached += n * CPAGE;
	for (i = 0; i < n; i++) {
		uint8_t *have = lookup(pg, first + i);

		if (have) {
			memcpy(buf + i * CPAGE, have, CPAGE);
			continue;
		}
		if (kho_pager_pread(pg, buf + i * CPAGE, CPAGE,
			       (first + i) * CPAGE))
			return NULL;
		if (insert(pg, first + i, buf + i * CPAGE))
			return NULL;
	}
	return buf;
}

int kho_pager_copy(struct kho_image *img, void *dst, uint64_t off,
		   uint64_t len)
{
	struct kho_image_priv *pv = img->priv;
	struct kho_pager *pg = pv->pager;
	uint8_t *d = dst;
	int rc = 0;

	pthread_mutex_lock(&pg->lock);
	while (len) {
		uint64_t idx = off / CPAGE, in = off % CPAGE;
		uint64_t n = CPAGE - in < len ? CPAGE - in : len;
		uint8_t *p = lookup(pg, idx);

		/* A full cache: read around it rather than grow it. */
		if (!p && pg->cached >= PAGER_CACHE_MAX) {
			if (kho_pager_pread(pg, d, n, off)) {
				rc = KHO_EIO;
				break;
			}
			d += n;
			off += n;
			len -= n;
			continue;
		}
		if (!p)
			p = fill(pg, idx, idx, 0);
		if (!p) {
			rc = KHO_EIO;
			break;
		}
		memcpy(d, p + in, n);
		d += n;
		off += n;
		len -= n;
	}
	pthread_mutex_unlock(&pg->lock);
	return rc;
}

int kho_pager_map(struct kho_image *img, uint64_t off, uint64_t len,
		  const void **out)
{
	struct kho_image_priv *pv = img->priv;
	struct kho_pager *pg = pv->pager;
	uint8_t *p;

	if (!len)
		len = 1;
	if (len > KHO_IMAGE_MAX_BLOB)
		return KHO_ENOTCAPTURED; /* callers fall back to reads */
	pthread_mutex_lock(&pg->lock);
	p = fill(pg, off / CPAGE, (off + len - 1) / CPAGE, 1);
	pthread_mutex_unlock(&pg->lock);
	if (!p)
		return KHO_ENOTCAPTURED;
	*out = p + off % CPAGE;
	return 0;
}

int kho_pager_new_source(struct kho_image *img,
			 int (*readfn)(void *src, void *buf, uint64_t len,
				       uint64_t off),
			 void (*fr)(void *src), void *src)
{
	struct kho_image_priv *pv = img->priv;
	struct kho_pager *pg = calloc(1, sizeof(*pg));

	if (!pg) {
		fr(src);
		return KHO_ENOMEM;
	}
	pthread_mutex_init(&pg->lock, NULL);
	pg->img = img;
	pg->fd = -1;
	pg->src_read = readfn;
	pg->src_free = fr;
	pg->src = src;
	pv->pager = pg;
	return 0;
}

/* ---- reads that bypass the cache; kernel virtual addresses ---- */

int kho_pager_copy_direct(struct kho_image *img, void *dst, uint64_t off,
			  uint64_t len)
{
	struct kho_image_priv *pv = img->priv;
	struct kho_pager *pg = pv->pager;
	int rc;

	pthread_mutex_lock(&pg->lock);
	rc = kho_pager_pread(pg, dst, len, off) ? KHO_EIO : 0;
	pthread_mutex_unlock(&pg->lock);
	return rc;
}

static struct kho_pager *pager_of(const struct kho_image *img)
{
	const struct kho_image_priv *pv = img->priv;

	return pv ? pv->pager : NULL;
}

/* The PT_LOAD whose [p_vaddr, p_vaddr + p_memsz) holds [va, va + len). */
static const struct kho_vseg *vseg_of(const struct kho_pager *pg,
				      uint64_t va, uint64_t len, int want_paddr)
{
	size_t i;

	for (i = 0; i < pg->nvsegs; i++) {
		const struct kho_vseg *v = &pg->vsegs[i];

		if (want_paddr && v->paddr == UINT64_MAX)
			continue;
		if (va >= v->vaddr && va - v->vaddr < v->memsz &&
		    len <= v->memsz - (va - v->vaddr))
			return v;
	}
	return NULL;
}

int kho_image_read_virt(const struct kho_image *img, uint64_t vaddr,
			void *buf, uint64_t len)
{
	struct kho_pager *pg = pager_of(img);
	const struct kho_vseg *v;
	uint64_t in, f;
	int rc = 0;

	if (!pg)
		return KHO_ENOTCAPTURED;
	v = vseg_of(pg, vaddr, len, 0);
	if (!v)
		return KHO_ENOTCAPTURED;
	in = vaddr - v->vaddr;
	f = in < v->filesz ? v->filesz - in : 0;
	if (f > len)
		f = len;
	if (f) {
		pthread_mutex_lock(&pg->lock);
		rc = kho_pager_pread(pg, buf, f, v->offset + in) ? KHO_EIO : 0;
		pthread_mutex_unlock(&pg->lock);
	}
	if (len > f)
		memset((uint8_t *)buf + f, 0, len - f);
	return rc;
}

int kho_image_virt_to_phys(const struct kho_image *img, uint64_t vaddr,
			   uint64_t *phys)
{
	struct kho_pager *pg = pager_of(img);
	const struct kho_vseg *v;

	if (!pg)
		return KHO_ENOTCAPTURED;
	v = vseg_of(pg, vaddr, 1, 1);
	if (!v || v->paddr > UINT64_MAX - (vaddr - v->vaddr))
		return KHO_ENOTCAPTURED;
	*phys = v->paddr + (vaddr - v->vaddr);
	return 0;
}

uint64_t kho_image_source_bytes_read(const struct kho_image *img)
{
	struct kho_pager *pg = pager_of(img);

	return pg ? pg->bytes_read : 0;
}
