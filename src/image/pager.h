/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The page cache behind pread-backed sources (pager.c), shared with the
 * ELF header reader that fills it (image_pread.c) and nothing else.
 */
#ifndef KHO_IMAGE_PAGER_H
#define KHO_IMAGE_PAGER_H

#include <pthread.h>
#include <stdint.h>

/* kcore has one PT_LOAD per RAM range plus a handful of others. */
#define KHO_PAGER_MAX_VSEGS 4096u

/* A PT_LOAD as the file states it (p_paddr UINT64_MAX: none). */
struct kho_vseg {
	uint64_t vaddr, paddr, offset, filesz, memsz;
};

struct kho_pager {
	int fd;
	uint64_t file_size; /* 0 = unknown (proc files) */
	uint64_t bytes_read; /* file bytes read so far (pread) */
	uint64_t cached;     /* bytes held by the cache */
	struct kho_vseg *vsegs;
	size_t nvsegs;
	pthread_mutex_t lock;
	/* open-addressing hash: file page index -> cached bytes */
	uint64_t *keys;     /* index + 1; 0 = empty */
	uint8_t **vals;
	size_t cap, n;
	struct kho_image *img; /* owner of the cached buffers */
	/* Another source of bytes (image_kdump.c): offsets are then its own
	 * addresses, and a failed read is not captured, never zero. */
	int (*src_read)(void *src, void *buf, uint64_t len, uint64_t off);
	void (*src_free)(void *src);
	void *src;
};

/* pread all of [off, off + len) (or the other source's read); 0 or -1. */
int kho_pager_pread(struct kho_pager *pg, void *buf, uint64_t len,
		    uint64_t off);

#endif
