// SPDX-License-Identifier: GPL-2.0-or-later
/* Compressed kernel images: containers and decompressors. */
#include "target_decompress.h"

#include <bzlib.h>
#include <lz4.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "kho/plugin.h"

#define LZ4_LEGACY_MAGIC 0x184c2102u
#define LZ4_LEGACY_BLOCK (8u << 20)
/* How far into a file a compression magic is looked for. */
#define SCAN_LIMIT ((size_t)64 << 20)
#define SCAN_TRIES 64

const char *kho_comp_name(enum kho_comp c)
{
	switch (c) {
	case KHO_COMP_NONE:
		return "none";
	case KHO_COMP_GZIP:
		return "gzip";
	case KHO_COMP_XZ:
		return "xz";
	case KHO_COMP_ZSTD:
		return "zstd";
	case KHO_COMP_LZ4:
		return "lz4";
	case KHO_COMP_LZ4_LEGACY:
		return "lz4-legacy";
	case KHO_COMP_BZIP2:
		return "bzip2";
	case KHO_COMP_LZMA:
		return "lzma";
	}
	return "?";
}

enum kho_comp kho_comp_detect(const uint8_t *p, size_t len)
{
	if (len >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8)
		return KHO_COMP_GZIP;
	if (len >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6))
		return KHO_COMP_XZ;
	if (len >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4))
		return KHO_COMP_ZSTD;
	if (len >= 4 && !memcmp(p, "\x04\x22\x4d\x18", 4))
		return KHO_COMP_LZ4;
	if (len >= 4 && !memcmp(p, "\x02\x21\x4c\x18", 4))
		return KHO_COMP_LZ4_LEGACY;
	if (len >= 10 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' &&
	    p[3] >= '1' && p[3] <= '9' && !memcmp(p + 4, "1AY&SY", 6))
		return KHO_COMP_BZIP2;
	/*
	 * lzma alone: properties byte 0x5d, a dictionary of 2^n or 3 * 2^n
	 * bytes (at least 4 KiB), then the size, unknown (all ones) or sane.
	 */
	if (len >= 13 && p[0] == 0x5d) {
		uint32_t d = (uint32_t)p[4] << 24 | (uint32_t)p[3] << 16 |
			     (uint32_t)p[2] << 8 | p[1];
		uint32_t m = d % 3 == 0 ? d / 3 : d;
		size_t i, ones = 0;

		for (i = 5; i < 13; i++)
			ones += p[i] == 0xff;
		if (d >= 4096 && !(m & (m - 1)) &&
		    (ones == 8 || (p[10] == 0 && p[11] == 0 && p[12] == 0)))
			return KHO_COMP_LZMA;
	}
	return KHO_COMP_NONE;
}

struct obuf {
	uint8_t *p;
	size_t n, cap, max;
};

/*
 * The decoders below return 0, KHO_ENOMEM, or KHO_EFORMAT with *why set:
 * corrupt or truncated data, or output over the limit.
 */

/* Room for at least `want` more bytes: 0, KHO_EFORMAT (too large) or KHO_ENOMEM. */
static int grow(struct obuf *o, size_t want, const char **why)
{
	size_t cap;
	uint8_t *p;

	if (o->cap - o->n >= want)
		return 0;
	if (o->n + want > o->max) {
		*why = "output too large";
		return KHO_EFORMAT;
	}
	cap = o->cap ? o->cap : (size_t)1 << 20;
	while (cap - o->n < want)
		cap *= 2;
	if (cap > o->max)
		cap = o->max;
	p = realloc(o->p, cap);
	if (!p)
		return KHO_ENOMEM;
	o->p = p;
	o->cap = cap;
	return 0;
}

#define CHUNK ((size_t)1 << 20)

static int fail(struct obuf *o, int rc, char *err, size_t errlen,
		enum kho_comp c, const char *why)
{
	free(o->p);
	o->p = NULL;
	if (rc == KHO_ENOMEM) {
		snprintf(err, errlen, "out of memory decompressing %s",
			 kho_comp_name(c));
		return KHO_ENOMEM;
	}
	snprintf(err, errlen, "%s payload: %s", kho_comp_name(c), why);
	return KHO_EFORMAT;
}

static int do_gzip(struct obuf *o, const uint8_t *in, size_t inlen,
		   const char **why)
{
	int err;
	z_stream s;
	int rc;

	memset(&s, 0, sizeof(s));
	if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK)
		return KHO_ENOMEM;
	s.next_in = (Bytef *)(uintptr_t)in;
	s.avail_in = inlen > UINT32_MAX ? UINT32_MAX : (uInt)inlen;
	for (;;) {
		err = grow(o, CHUNK, why);
		if (err) {
			inflateEnd(&s);
			return err;
		}
		s.next_out = o->p + o->n;
		s.avail_out = (uInt)(o->cap - o->n > UINT32_MAX ? UINT32_MAX
							       : o->cap - o->n);
		rc = inflate(&s, Z_NO_FLUSH);
		o->n = (size_t)(s.next_out - o->p);
		if (rc == Z_STREAM_END)
			break;
		if (rc == Z_OK)
			continue;
		err = KHO_EFORMAT;
		if (rc == Z_BUF_ERROR && s.avail_out)
			*why = "truncated data";
		else if (rc == Z_MEM_ERROR)
			err = KHO_ENOMEM;
		else
			*why = s.msg ? s.msg : "corrupt data";
		inflateEnd(&s);
		return err;
	}
	inflateEnd(&s);
	return 0;
}

static int do_lzma(struct obuf *o, const uint8_t *in, size_t inlen, int xz,
		   const char **why)
{
	int err;
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret rc;

	rc = xz ? lzma_stream_decoder(&s, UINT64_MAX, 0)
		: lzma_alone_decoder(&s, UINT64_MAX);
	if (rc != LZMA_OK) {
		*why = "cannot start the decoder";
		return rc == LZMA_MEM_ERROR ? KHO_ENOMEM : KHO_EFORMAT;
	}
	s.next_in = in;
	s.avail_in = inlen;
	for (;;) {
		err = grow(o, CHUNK, why);
		if (err) {
			lzma_end(&s);
			return err;
		}
		s.next_out = o->p + o->n;
		s.avail_out = o->cap - o->n;
		rc = lzma_code(&s, s.avail_in ? LZMA_RUN : LZMA_FINISH);
		o->n = (size_t)(s.next_out - o->p);
		if (rc == LZMA_STREAM_END)
			break;
		if (rc == LZMA_OK)
			continue;
		err = KHO_EFORMAT;
		if (rc == LZMA_MEM_ERROR)
			err = KHO_ENOMEM;
		else if (rc == LZMA_BUF_ERROR)
			*why = "truncated data";
		else
			*why = "corrupt data";
		lzma_end(&s);
		return err;
	}
	lzma_end(&s);
	return 0;
}

static int do_zstd(struct obuf *o, const uint8_t *in, size_t inlen,
		   const char **why)
{
	int err;
	ZSTD_DStream *d = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, inlen, 0 };
	size_t rc = 1;

	if (!d)
		return KHO_ENOMEM;
	ZSTD_initDStream(d);
	while (rc != 0) {
		ZSTD_outBuffer ob;

		err = grow(o, CHUNK, why);
		if (err) {
			ZSTD_freeDStream(d);
			return err;
		}
		ob.dst = o->p + o->n;
		ob.size = o->cap - o->n;
		ob.pos = 0;
		rc = ZSTD_decompressStream(d, &ob, &ib);
		o->n += ob.pos;
		if (ZSTD_isError(rc)) {
			*why = ZSTD_getErrorName(rc);
			ZSTD_freeDStream(d);
			return KHO_EFORMAT;
		}
		if (rc != 0 && ib.pos == ib.size && ob.pos < ob.size) {
			*why = "truncated data";
			ZSTD_freeDStream(d);
			return KHO_EFORMAT;
		}
	}
	ZSTD_freeDStream(d);
	return 0;
}

static int do_lz4_frame(struct obuf *o, const uint8_t *in, size_t inlen,
			const char **why)
{
	int err;
	LZ4F_dctx *d;
	size_t pos = 0, rc = 1;

	if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION)))
		return KHO_ENOMEM;
	while (rc != 0) {
		size_t osz, isz = inlen - pos;

		err = grow(o, CHUNK, why);
		if (err) {
			LZ4F_freeDecompressionContext(d);
			return err;
		}
		osz = o->cap - o->n;
		rc = LZ4F_decompress(d, o->p + o->n, &osz, in + pos, &isz,
				     NULL);
		if (LZ4F_isError(rc)) {
			*why = LZ4F_getErrorName(rc);
			LZ4F_freeDecompressionContext(d);
			return KHO_EFORMAT;
		}
		o->n += osz;
		pos += isz;
		if (rc != 0 && pos == inlen && osz == 0) {
			*why = "truncated data";
			LZ4F_freeDecompressionContext(d);
			return KHO_EFORMAT;
		}
	}
	LZ4F_freeDecompressionContext(d);
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static int do_lz4_legacy(struct obuf *o, const uint8_t *in, size_t inlen,
			 const char **why)
{
	int err;
	size_t pos = 4;
	int blocks = 0;

	while (pos + 4 <= inlen) {
		uint32_t csz = le32(in + pos);
		int r;

		/* The end: another stream, the appended size, or nothing. */
		if (csz == LZ4_LEGACY_MAGIC || csz == 0 ||
		    csz > inlen - pos - 4 ||
		    csz > (uint32_t)LZ4_compressBound((int)LZ4_LEGACY_BLOCK))
			break;
		pos += 4;
		err = grow(o, LZ4_LEGACY_BLOCK, why);
		if (err)
			return err;
		r = LZ4_decompress_safe((const char *)in + pos,
					(char *)o->p + o->n, (int)csz,
					(int)LZ4_LEGACY_BLOCK);
		if (r < 0) {
			*why = "corrupt data";
			return KHO_EFORMAT;
		}
		o->n += (size_t)r;
		pos += csz;
		blocks++;
	}
	if (!blocks) {
		*why = "no block";
		return KHO_EFORMAT;
	}
	return 0;
}

static int do_bzip2(struct obuf *o, const uint8_t *in, size_t inlen,
		    const char **why)
{
	int err;
	bz_stream s;
	int rc;

	memset(&s, 0, sizeof(s));
	if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK)
		return KHO_ENOMEM;
	s.next_in = (char *)(uintptr_t)in;
	s.avail_in = inlen > UINT32_MAX ? UINT32_MAX : (unsigned int)inlen;
	for (;;) {
		char *start;

		err = grow(o, CHUNK, why);
		if (err) {
			BZ2_bzDecompressEnd(&s);
			return err;
		}
		start = (char *)o->p + o->n;
		s.next_out = start;
		s.avail_out = (unsigned int)(o->cap - o->n > UINT32_MAX
						     ? UINT32_MAX
						     : o->cap - o->n);
		rc = BZ2_bzDecompress(&s);
		o->n += (size_t)(s.next_out - start);
		if (rc == BZ_STREAM_END)
			break;
		if (rc == BZ_OK && (s.avail_in || !s.avail_out))
			continue;
		err = KHO_EFORMAT;
		if (rc == BZ_OK)
			*why = "truncated data";
		else if (rc == BZ_MEM_ERROR)
			err = KHO_ENOMEM;
		else
			*why = "corrupt data";
		BZ2_bzDecompressEnd(&s);
		return err;
	}
	BZ2_bzDecompressEnd(&s);
	return 0;
}

int kho_decompress(enum kho_comp c, const uint8_t *in, size_t inlen,
		   size_t max_out, uint8_t **out, size_t *outlen, char *err,
		   size_t errlen)
{
	struct obuf o = { NULL, 0, 0, max_out ? max_out : KHO_UNPACK_MAX };
	const char *why = "corrupt data";
	int rc;

	*out = NULL;
	*outlen = 0;
	switch (c) {
	case KHO_COMP_GZIP:
		rc = do_gzip(&o, in, inlen, &why);
		break;
	case KHO_COMP_XZ:
		rc = do_lzma(&o, in, inlen, 1, &why);
		break;
	case KHO_COMP_LZMA:
		rc = do_lzma(&o, in, inlen, 0, &why);
		break;
	case KHO_COMP_ZSTD:
		rc = do_zstd(&o, in, inlen, &why);
		break;
	case KHO_COMP_LZ4:
		rc = do_lz4_frame(&o, in, inlen, &why);
		break;
	case KHO_COMP_LZ4_LEGACY:
		rc = do_lz4_legacy(&o, in, inlen, &why);
		break;
	case KHO_COMP_BZIP2:
		rc = do_bzip2(&o, in, inlen, &why);
		break;
	default:
		snprintf(err, errlen, "no known compression");
		return KHO_EFORMAT;
	}
	if (rc)
		return fail(&o, rc, err, errlen, c, why);
	if (o.n == 0)
		return fail(&o, 0, err, errlen, c, "empty output");
	*out = o.p;
	*outlen = o.n;
	return 0;
}

int kho_bzimage_payload(const uint8_t *buf, size_t len, size_t *off,
			size_t *plen, char *err, size_t errlen)
{
	unsigned int setup_sects, version;
	size_t pm, po, pl;

	if (len < 0x250 || memcmp(buf + 0x202, "HdrS", 4))
		return 0;
	version = (unsigned int)buf[0x206] | (unsigned int)buf[0x207] << 8;
	if (version < 0x208) {
		snprintf(err, errlen,
			 "bzImage boot protocol %u.%02u has no payload_offset (2.08 or later needed)",
			 version >> 8, version & 0xff);
		return KHO_EFORMAT;
	}
	setup_sects = buf[0x1f1] ? buf[0x1f1] : 4;
	pm = ((size_t)setup_sects + 1) * 512;
	po = le32(buf + 0x248);
	pl = le32(buf + 0x24c);
	if (pm > len || po > len - pm || pl == 0 || pl > len - pm - po) {
		snprintf(err, errlen,
			 "bzImage payload (offset 0x%zx + 0x%zx, length 0x%zx) lies outside the %zu-byte file",
			 pm, po, pl, len);
		return KHO_EFORMAT;
	}
	*off = pm + po;
	*plen = pl;
	return 1;
}

int kho_arm64_image(const uint8_t *buf, size_t len)
{
	return len >= 64 && !memcmp(buf + 56, "ARM\x64", 4);
}

static int try_payload(const uint8_t *p, size_t len, uint8_t **out,
		       size_t *outlen, enum kho_comp *c, char *err,
		       size_t errlen)
{
	*c = kho_comp_detect(p, len);
	if (*c == KHO_COMP_NONE) {
		snprintf(err, errlen, "payload has no known compression magic");
		return KHO_EFORMAT;
	}
	return kho_decompress(*c, p, len, KHO_UNPACK_MAX, out, outlen, err,
			      errlen);
}

int kho_kernel_unpack(const uint8_t *buf, size_t len, uint8_t **out,
		      size_t *outlen, char *desc, size_t desclen, char *err,
		      size_t errlen)
{
	enum kho_comp c;
	size_t off, pl, i, lim;
	int rc, tries = 0;

	rc = kho_bzimage_payload(buf, len, &off, &pl, err, errlen);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		rc = try_payload(buf + off, pl, out, outlen, &c, err, errlen);
		if (rc)
			return rc;
		snprintf(desc, desclen, "bzImage+%s", kho_comp_name(c));
		return 1;
	}
	/* EFI zboot: "MZ", "zimg", payload offset and size, method name. */
	if (len >= 64 && buf[0] == 'M' && buf[1] == 'Z' &&
	    !memcmp(buf + 4, "zimg", 4)) {
		off = le32(buf + 8);
		pl = le32(buf + 12);
		if (off > len || pl > len - off) {
			snprintf(err, errlen, "zboot payload lies outside the file");
			return KHO_EFORMAT;
		}
		rc = try_payload(buf + off, pl, out, outlen, &c, err, errlen);
		if (rc)
			return rc;
		snprintf(desc, desclen, "zboot+%s", kho_comp_name(c));
		return 1;
	}
	c = kho_comp_detect(buf, len);
	if (c != KHO_COMP_NONE) {
		rc = kho_decompress(c, buf, len, KHO_UNPACK_MAX, out, outlen,
				    err, errlen);
		if (rc)
			return rc;
		snprintf(desc, desclen, "%s", kho_comp_name(c));
		return 1;
	}
	/* Some other wrapper: look for a magic and try it. */
	lim = len < SCAN_LIMIT ? len : SCAN_LIMIT;
	for (i = 1; i < lim && tries < SCAN_TRIES; i++) {
		char e2[256];

		c = kho_comp_detect(buf + i, len - i);
		if (c == KHO_COMP_NONE || c == KHO_COMP_LZMA)
			continue;
		tries++;
		if (kho_decompress(c, buf + i, len - i, KHO_UNPACK_MAX, out,
				   outlen, e2, sizeof(e2)) == 0) {
			snprintf(desc, desclen, "%s@0x%zx", kho_comp_name(c),
				 i);
			return 1;
		}
	}
	return 0;
}
