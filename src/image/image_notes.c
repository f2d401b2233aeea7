// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Note contents: NT_KHO_INFO (KEY=VALUE text), NT_KHO_FDT, NT_KHO_SUBBLOB
 * and the kernel's VMCOREINFO (OSRELEASE, PAGESIZE).
 */
#define KHO_IMAGE_INTERNAL
#include "base/bytes.h"
#include "image.h"

#include <stdio.h>
#include <string.h>

#include "kho/elf_writer.h"

/* One KEY=VALUE line of a NUL-padded text descriptor. */
struct kv {
	const char *key, *val;
	size_t klen, vlen;
	unsigned int line;
	int has_eq;
};

/* Advance *pos past the next non-empty line; 0 at the end of the text. */
static int next_kv(const char *t, size_t len, size_t *pos, struct kv *kv)
{
	while (*pos < len) {
		size_t s = *pos, e;
		const char *eq;

		while (*pos < len && t[*pos] != '\n')
			(*pos)++;
		e = *pos;
		if (*pos < len)
			(*pos)++;
		kv->line++;
		while (e > s && (t[e - 1] == '\r' || t[e - 1] == ' ' ||
				 t[e - 1] == '\t'))
			e--;
		if (e == s)
			continue;
		eq = memchr(t + s, '=', e - s);
		kv->key = t + s;
		kv->has_eq = eq != NULL;
		kv->klen = eq ? (size_t)(eq - (t + s)) : e - s;
		kv->val = eq ? eq + 1 : t + e;
		kv->vlen = eq ? (size_t)(t + e - (eq + 1)) : 0;
		return 1;
	}
	return 0;
}

static int key_is(const struct kv *kv, const char *k)
{
	return kv->klen == strlen(k) && memcmp(kv->key, k, kv->klen) == 0;
}

static int val_is(const struct kv *kv, const char *v)
{
	return kv->vlen == strlen(v) && memcmp(kv->val, v, kv->vlen) == 0;
}

/* Copy a value into a fixed field; control bytes become '?'. */
static void copy_val(char *dst, size_t size, const struct kv *kv)
{
	size_t n = kv->vlen < size - 1 ? kv->vlen : size - 1, i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)kv->val[i];

		dst[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	dst[n] = '\0';
}

static void bad_value(struct kho_image *img, const char *note,
		      const struct kv *kv, const char *why)
{
	char v[48];

	copy_val(v, sizeof(v), kv);
	kho_image_problem(img, KHO_SEV_WARNING, "image.info-bad-value", 0,
			  "%s line %u: %.*s=%s: %s", note, kv->line,
			  (int)(kv->klen > 40 ? 40 : kv->klen), kv->key, v, why);
}

static int parse_scratch(struct kho_image *img, const struct kv *kv)
{
	const char *comma = memchr(kv->val, ',', kv->vlen);
	uint64_t addr, size;

	if (!comma ||
	    kho_parse_u64(kv->val, (size_t)(comma - kv->val), &addr) ||
	    kho_parse_u64(comma + 1, kv->vlen - (size_t)(comma + 1 - kv->val),
			  &size)) {
		bad_value(img, "NT_KHO_INFO", kv, "expected 0xADDR,0xSIZE");
		return 0;
	}
	if (size > UINT64_MAX - addr) {
		bad_value(img, "NT_KHO_INFO", kv, "area wraps past 2^64");
		return 0;
	}
	return kho_image_add_scratch(img, addr, size);
}

static int info_line(struct kho_image *img, struct kho_note_facts *f,
		     const struct kv *kv)
{
	uint64_t v;

	if (!kv->has_eq) {
		bad_value(img, "NT_KHO_INFO", kv, "no '='");
		return 0;
	}
	if (key_is(kv, "FORMAT")) {
		f->has_format = 1;
		copy_val(img->format_version, sizeof(img->format_version), kv);
		if (!val_is(kv, "1"))
			kho_image_problem(img, KHO_SEV_WARNING,
					  "image.info-unknown-format", 0,
					  "NT_KHO_INFO FORMAT=%s: this reader knows format 1",
					  img->format_version);
	} else if (key_is(kv, "PAGE_SIZE")) {
		f->has_page_size_key = 1;
		if (kho_parse_u64(kv->val, kv->vlen, &v) ||
		    !kho_page_size_valid(v))
			bad_value(img, "NT_KHO_INFO", kv,
				  "expected 4096, 16384 or 65536; ignored");
		else
			f->info_page_size = v;
	} else if (key_is(kv, "FDT_PHYS")) {
		if (kho_parse_u64(kv->val, kv->vlen, &v) ||
		    v >= KHO_PHYS_LIMIT) {
			bad_value(img, "NT_KHO_INFO", kv,
				  "expected a physical address below 2^52");
		} else {
			f->has_fdt_phys = 1;
			f->fdt_phys = v;
		}
	} else if (key_is(kv, "FDT_SIZE")) {
		if (kho_parse_u64(kv->val, kv->vlen, &v) || v < 40 ||
		    v > KHO_IMAGE_MAX_BLOB) {
			bad_value(img, "NT_KHO_INFO", kv,
				  "expected a size from 40 bytes to 256 MiB");
		} else {
			f->has_fdt_size = 1;
			f->fdt_size = v;
		}
	} else if (key_is(kv, "SCRATCH")) {
		return parse_scratch(img, kv);
	} else if (key_is(kv, "DIRECTION")) {
		if (val_is(kv, "out") || val_is(kv, "in"))
			copy_val(img->direction, sizeof(img->direction), kv);
		else
			bad_value(img, "NT_KHO_INFO", kv,
				  "expected 'out' or 'in'");
	} else if (key_is(kv, "RELEASE")) {
		copy_val(img->release, sizeof(img->release), kv);
	} else if (key_is(kv, "RADIX_DEPTH_FORMULA")) {
		if (val_is(kv, "orig"))
			img->radix_formula = KHO_RADIX_ORIG;
		else if (val_is(kv, "plus1"))
			img->radix_formula = KHO_RADIX_PLUS1;
		else
			bad_value(img, "NT_KHO_INFO", kv,
				  "expected 'orig' or 'plus1'");
	} else if (key_is(kv, "V1_BITMAP_BYTES")) {
		/* Page-sized bitmaps are PAGE_SIZE bytes on 16/64 KiB kernels. */
		if (kho_parse_u64(kv->val, kv->vlen, &v) ||
		    (v != 512 && !kho_page_size_valid(v)))
			bad_value(img, "NT_KHO_INFO", kv,
				  "expected 512 or the page size");
		else
			img->v1_bitmap_bytes = (unsigned int)v;
	} else if (key_is(kv, "PRODUCER")) {
		copy_val(img->producer, sizeof(img->producer), kv);
	}
	/* Unknown keys are ignored (kho-image.md §3). */
	return 0;
}

static size_t text_len(const uint8_t *desc, uint64_t len)
{
	const uint8_t *nul = memchr(desc, '\0', (size_t)len);

	return nul ? (size_t)(nul - desc) : (size_t)len;
}

static int parse_info(struct kho_image *img, struct kho_note_facts *f,
		      const uint8_t *desc, uint64_t len, uint64_t off)
{
	const char *t = (const char *)desc;
	size_t n = text_len(desc, len), pos = 0;
	struct kv kv = { 0 };
	int rc;

	while (next_kv(t, n, &pos, &kv)) {
		rc = info_line(img, f, &kv);
		if (rc < 0)
			return rc;
	}
	if (!f->has_format)
		kho_image_problem(img, KHO_SEV_WARNING, "image.info-missing-key",
				  0, "NT_KHO_INFO at offset 0x%llx has no FORMAT key",
				  (unsigned long long)off);
	if (!f->has_page_size_key)
		kho_image_problem(img, KHO_SEV_WARNING, "image.info-missing-key",
				  0, "NT_KHO_INFO at offset 0x%llx has no PAGE_SIZE key",
				  (unsigned long long)off);
	return 0;
}

static void parse_vmcoreinfo(struct kho_image *img, struct kho_note_facts *f,
			     const uint8_t *desc, uint64_t len)
{
	const char *t = (const char *)desc;
	size_t n = text_len(desc, len), pos = 0;
	struct kv kv = { 0 };
	uint64_t v;

	while (next_kv(t, n, &pos, &kv)) {
		if (!kv.has_eq)
			continue;
		if (key_is(&kv, "OSRELEASE")) {
			copy_val(f->vmcore_release, sizeof(f->vmcore_release),
				 &kv);
		} else if (key_is(&kv, "PAGESIZE")) {
			if (kho_parse_u64(kv.val, kv.vlen, &v) ||
			    !kho_page_size_valid(v))
				bad_value(img, "VMCOREINFO", &kv,
					  "expected 4096, 16384 or 65536");
			else
				f->vmcore_page_size = v;
		} else if (key_is(&kv, "KERNELOFFSET")) {
			/* printed as bare hex */
			if (kho_parse_hex(kv.val, kv.vlen, &v))
				bad_value(img, "VMCOREINFO", &kv,
					  "expected a hexadecimal offset");
			else
				f->kernel_offset = v;
		} else if (key_is(&kv, "NUMBER(phys_base)")) {
			if (kho_parse_u64(kv.val, kv.vlen, &v))
				bad_value(img, "VMCOREINFO", &kv,
					  "expected a number");
			else
				f->phys_base = v;
		} else if (key_is(&kv, "NUMBER(pgtable_l5_enabled)")) {
			f->l5_paging = val_is(&kv, "1");
		}
	}
}

static uint64_t get_u64(const uint8_t *p, int be)
{
	uint64_t v = 0;
	int i;

	if (be)
		for (i = 0; i < 8; i++)
			v = v << 8 | p[i];
	else
		for (i = 7; i >= 0; i--)
			v = v << 8 | p[i];
	return v;
}

static int subblob(struct kho_image *img, const uint8_t *desc, uint64_t len,
		   uint64_t off)
{
	uint64_t phys;

	if (len < 8) {
		kho_image_problem(img, KHO_SEV_WARNING, "image.note-invalid", 0,
				  "NT_KHO_SUBBLOB at offset 0x%llx has %llu bytes, less than its 8-byte address",
				  (unsigned long long)off,
				  (unsigned long long)len);
		return 0;
	}
	phys = get_u64(desc, img->big_endian);
	if (phys == 0) {
		kho_image_problem(img, KHO_SEV_WARNING, "image.note-invalid", 0,
				  "NT_KHO_SUBBLOB at offset 0x%llx has address 0; ignored",
				  (unsigned long long)off);
		return 0;
	}
	if (kho_image_side_blob(img, NULL, phys)) {
		kho_image_problem(img, KHO_SEV_WARNING,
				  "image.side-blob-duplicate", phys,
				  "NT_KHO_SUBBLOB at offset 0x%llx repeats address 0x%llx; the first copy is used",
				  (unsigned long long)off,
				  (unsigned long long)phys);
		return 0;
	}
	return kho_image_add_side(img, "", phys, desc + 8, len - 8);
}

int kho_image_note(struct kho_image *img, struct kho_note_facts *f,
		   const char *name, uint32_t type, const uint8_t *desc,
		   uint64_t len, uint64_t file_off)
{
	if (strcmp(name, "VMCOREINFO") == 0) {
		if (!f->vmcore_page_size && !f->vmcore_release[0])
			parse_vmcoreinfo(img, f, desc, len);
		return 0;
	}
	if (strcmp(name, "KHO") != 0)
		return 0;
	f->has_kho = 1;
	switch (type) {
	case KHO_NT_INFO:
	case KHO_NT_INFO_LEGACY:
		if (f->has_info) {
			kho_image_problem(img, KHO_SEV_WARNING,
					  "image.note-invalid", 0,
					  "second NT_KHO_INFO at offset 0x%llx ignored",
					  (unsigned long long)file_off);
			return 0;
		}
		f->has_info = 1;
		return parse_info(img, f, desc, len, file_off);
	case KHO_NT_FDT:
	case KHO_NT_FDT_LEGACY:
		if (!len || f->fdt_note) {
			kho_image_problem(img, KHO_SEV_WARNING,
					  "image.note-invalid", 0,
					  "%s NT_KHO_FDT at offset 0x%llx ignored",
					  len ? "second" : "empty",
					  (unsigned long long)file_off);
			return 0;
		}
		f->fdt_note = desc;
		f->fdt_note_len = len;
		return 0;
	case KHO_NT_SUBBLOB:
	case KHO_NT_SUBBLOB_LEGACY:
		return subblob(img, desc, len, file_off);
	}
	return 0;
}
