/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compressed kernel images: the x86 bzImage header (setup_sects at 0x1f1,
 * "HdrS" at 0x202, payload_offset/payload_length at 0x248/0x24c), the EFI
 * zboot header ("zimg"), a bare compressed file (vmlinuz, Image.gz), or a
 * compression magic found anywhere in the first bytes.  The payload is
 * decompressed with zlib, liblzma, libzstd, liblz4 or libbz2.  Nothing here
 * prints.
 */
#ifndef KHO_TARGET_DECOMPRESS_H
#define KHO_TARGET_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

enum kho_comp {
	KHO_COMP_NONE = 0,
	KHO_COMP_GZIP,
	KHO_COMP_XZ,
	KHO_COMP_ZSTD,
	KHO_COMP_LZ4,        /* LZ4 frame format */
	KHO_COMP_LZ4_LEGACY, /* lz4 -l, as the kernel build writes it */
	KHO_COMP_BZIP2,
	KHO_COMP_LZMA,       /* .lzma ("alone") */
};

/* Largest decompressed kernel accepted. */
#define KHO_UNPACK_MAX ((size_t)1 << 30)

const char *kho_comp_name(enum kho_comp c);

/* The compression whose magic starts p (KHO_COMP_NONE when none). */
enum kho_comp kho_comp_detect(const uint8_t *p, size_t len);

/*
 * Decompress the first stream of in[0..inlen) (trailing bytes, such as the
 * size the kernel build appends, are ignored).  On success *out is
 * malloc'd, the caller frees it.  Returns 0, KHO_EFORMAT (corrupt or
 * truncated data, output over max_out) or KHO_ENOMEM, with err filled.
 */
int kho_decompress(enum kho_comp c, const uint8_t *in, size_t inlen,
		   size_t max_out, uint8_t **out, size_t *outlen, char *err,
		   size_t errlen);

/*
 * The payload of an x86 bzImage.  Returns 1 with *off and *plen set, 0 when buf
 * is not a bzImage, KHO_EFORMAT (err filled) when its header is broken.
 */
int kho_bzimage_payload(const uint8_t *buf, size_t len, size_t *off,
			size_t *plen, char *err, size_t errlen);

/*
 * An uncompressed arm64 Image (what kexec_file_load takes on arm64): the
 * 64-byte header of Documentation/arch/arm64/booting.rst, magic "ARM\x64"
 * at offset 56.  Returns 1 when buf starts with one, else 0.
 */
int kho_arm64_image(const uint8_t *buf, size_t len);

/*
 * Find and decompress the kernel in a compressed image.  Returns 1 with
 * *out (malloc'd) and a description ("bzImage+gzip", "xz", ...) in desc, 0
 * when buf holds no compressed payload that could be found, or <0 (err
 * filled) when one was found but could not be decompressed.
 */
int kho_kernel_unpack(const uint8_t *buf, size_t len, uint8_t **out,
		      size_t *outlen, char *desc, size_t desclen, char *err,
		      size_t errlen);

#endif /* KHO_TARGET_DECOMPRESS_H */
