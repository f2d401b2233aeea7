// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The image record every input back end fills: its problem list, owned
 * buffers, scratch areas and side blobs.  Below the back ends and the
 * opener (image.c), so that they call it and it calls none of them.
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kho_image_buf {
	struct kho_image_buf *next;
	max_align_t data[];
};

void kho_image_problem(struct kho_image *img, enum kho_severity sev,
		       const char *check, uint64_t phys, const char *fmt, ...)
{
	struct kho_image_problem *p;
	va_list ap;

	if (img->nproblems >= KHO_IMAGE_MAX_PROBLEMS) {
		if ((unsigned int)sev < KHO_SEV_COUNT)
			img->problems_omitted[sev]++;
		return;
	}
	p = &img->problems[img->nproblems++];
	if (img->nproblems == KHO_IMAGE_MAX_PROBLEMS) {
		/* This problem gives its slot to the note: counted only. */
		if ((unsigned int)sev < KHO_SEV_COUNT)
			img->problems_omitted[sev]++;
		p->sev = KHO_SEV_NOTE;
		p->check = "image.problems-truncated";
		p->phys = 0;
		snprintf(p->msg, sizeof(p->msg),
			 "more than %d image problems; the rest are omitted",
			 KHO_IMAGE_MAX_PROBLEMS - 1);
		return;
	}
	p->sev = sev;
	p->check = check;
	p->phys = phys;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
}

void *kho_image_alloc(struct kho_image *img, size_t size)
{
	struct kho_image_priv *pv = img->priv;
	struct kho_image_buf *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = pv->bufs;
	pv->bufs = b;
	return b->data;
}

int kho_page_size_valid(uint64_t ps)
{
	return ps == 4096 || ps == 16384 || ps == 65536;
}

const char *kho_page_size_source_name(enum kho_page_size_source s)
{
	switch (s) {
	case KHO_PS_DEFAULT:
		return "default";
	case KHO_PS_OPTION:
		return "option";
	case KHO_PS_KHO_NOTE:
		return "kho-note";
	case KHO_PS_VMCOREINFO:
		return "vmcoreinfo";
	case KHO_PS_DUMP_HEADER:
		return "dump-header";
	case KHO_PS_RUNNING:
		return "running-kernel";
	case KHO_PS_MACHINE:
		return "elf-machine";
	case KHO_PS_STRUCTURE:
		return "structure";
	case KHO_PS_UNKNOWN:
		return "unknown";
	}
	return "default";
}

/* Strict: decimal or 0x-hex, no sign, no blanks, no overflow. */
int kho_parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int base = 10, d;
	size_t i = 0;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return KHO_EINVAL;
	for (; i < n; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return KHO_EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return KHO_EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int kho_image_add_scratch(struct kho_image *img, uint64_t addr,
			  uint64_t size)
{
	struct kho_image_priv *pv = img->priv;

	if (img->nscratch >= KHO_IMAGE_MAX_SCRATCH) {
		if (!pv->scratch_overflow)
			kho_image_problem(img, KHO_SEV_WARNING,
					  "image.too-many-scratch", addr,
					  "more than %u scratch areas; the rest are ignored",
					  KHO_IMAGE_MAX_SCRATCH);
		pv->scratch_overflow = 1;
		return 0;
	}
	if (img->nscratch == pv->cap_scratch) {
		size_t cap = pv->cap_scratch ? pv->cap_scratch * 2 : 8;
		struct kho_scratch_area *n;

		if (cap > KHO_IMAGE_MAX_SCRATCH)
			cap = KHO_IMAGE_MAX_SCRATCH;
		n = realloc(img->scratch, cap * sizeof(*n));
		if (!n)
			return KHO_ENOMEM;
		img->scratch = n;
		pv->cap_scratch = cap;
	}
	img->scratch[img->nscratch].addr = addr;
	img->scratch[img->nscratch].size = size;
	img->nscratch++;
	return 0;
}

int kho_image_add_side(struct kho_image *img, const char *name,
		       uint64_t phys, const uint8_t *data, uint64_t len)
{
	struct kho_image_priv *pv = img->priv;
	struct kho_side_blob *b;

	if (img->nside >= KHO_IMAGE_MAX_SIDE_BLOBS) {
		kho_image_problem(img, KHO_SEV_WARNING, "image.too-many-side-blobs",
				  phys,
				  "more than %u sub-blobs outside memory; '%s' ignored",
				  KHO_IMAGE_MAX_SIDE_BLOBS, name ? name : "");
		return 0;
	}
	if (img->nside == pv->cap_side) {
		size_t cap = pv->cap_side ? pv->cap_side * 2 : 8;
		struct kho_side_blob *n;

		if (cap > KHO_IMAGE_MAX_SIDE_BLOBS)
			cap = KHO_IMAGE_MAX_SIDE_BLOBS;
		n = realloc(img->side, cap * sizeof(*n));
		if (!n)
			return KHO_ENOMEM;
		img->side = n;
		pv->cap_side = cap;
	}
	b = &img->side[img->nside++];
	memset(b, 0, sizeof(*b));
	if (name)
		snprintf(b->name, sizeof(b->name), "%s", name);
	b->phys = phys;
	b->data = data;
	b->len = len;
	return 0;
}

const struct kho_side_blob *kho_image_side_blob(const struct kho_image *img,
						const char *name,
						uint64_t phys)
{
	size_t i;

	if (!img)
		return NULL;
	if (name && *name)
		for (i = 0; i < img->nside; i++)
			if (strcmp(img->side[i].name, name) == 0)
				return &img->side[i];
	if (phys)
		for (i = 0; i < img->nside; i++)
			if (img->side[i].phys == phys)
				return &img->side[i];
	return NULL;
}

const char *kho_input_format_name(enum kho_input_format f)
{
	switch (f) {
	case KHO_INPUT_ELF:
		return "elf";
	case KHO_INPUT_ELF_CORE:
		return "elf-core";
	case KHO_INPUT_FDT:
		return "fdt";
	case KHO_INPUT_DEBUGFS:
		return "debugfs";
	case KHO_INPUT_KDUMP:
		return "kdump";
	}
	return "unknown";
}

void kho_image_free_bufs(struct kho_image *img)
{
	struct kho_image_priv *pv = img->priv;

	while (pv->bufs) {
		struct kho_image_buf *b = pv->bufs;

		pv->bufs = b->next;
		free(b);
	}
}
