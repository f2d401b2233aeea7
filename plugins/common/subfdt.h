/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading and validating a sub-FDT that a blob decoder is handed.
 *
 * The memblock and kho_test decoders (memblock.c, kho_test.c) both get a
 * flattened device tree either as a host copy (blob->data) or only as an
 * address (blob->phys).  Before trusting a single offset in it they must
 * size it from its own header without believing a wild totalsize, and run
 * libfdt's full structural check on it.  That prologue is the same for both
 * and lives here; the findings about it (not captured, invalid FDT) keep
 * each decoder's own check id and wording.  The LUO decoder (luo.c) sizes
 * its FDT itself but validates it with the same subfdt_check().
 *
 * Header-only because every plugin is its own shared object and may depend on
 * nothing but the plugin API (include/kho/plugin.h) and libfdt.
 */
#ifndef KHO_PLUGINS_COMMON_SUBFDT_H
#define KHO_PLUGINS_COMMON_SUBFDT_H

#include <stdint.h>
#include <stdlib.h>

#include <libfdt.h>

#include "kho/plugin.h"

/* Bytes of struct fdt_header read to learn totalsize. */
#define SUBFDT_HDR_LEN 40u

/*
 * Get the sub-FDT bytes: the copy the host already has (at most maxlen
 * bytes of it), or the FDT read from blob->phys, sized by its own header.
 * A header totalsize below SUBFDT_HDR_LEN or above maxlen is not believed:
 * `badlen` bytes are taken instead, and subfdt_check() then says what is
 * wrong.  *buf is set when the bytes had to be copied (the caller frees it).
 * Returns 0, KHO_ENOENT when there is neither copy nor address, or the
 * KHO_E* code of the failed read.
 */
static inline int subfdt_get(struct kho_ctx *c, const struct kho_blob *blob,
			     uint64_t maxlen, uint64_t badlen,
			     const void **fdt, uint64_t *len, void **buf)
{
	uint8_t hdr[SUBFDT_HDR_LEN];
	uint64_t total;
	int rc;

	*buf = NULL;
	if (blob->data) {
		*fdt = blob->data;
		*len = blob->data_len < maxlen ? blob->data_len : maxlen;
		return 0;
	}
	if (blob->phys == 0)
		return KHO_ENOENT;
	rc = kho_read(c, blob->phys, hdr, sizeof(hdr));
	if (rc)
		return rc;
	total = (uint64_t)hdr[4] << 24 | hdr[5] << 16 | hdr[6] << 8 | hdr[7];
	if (total < sizeof(hdr) || total > maxlen)
		total = badlen;
	if (kho_map(c, blob->phys, total, fdt) == 0) {
		*len = total;
		return 0;
	}
	*buf = malloc(total);
	if (!*buf)
		return KHO_ENOMEM;
	rc = kho_read(c, blob->phys, *buf, total);
	if (rc) {
		free(*buf);
		*buf = NULL;
		return rc;
	}
	*fdt = *buf;
	*len = total;
	return 0;
}

/*
 * Validate the whole tree within len bytes: 0, or the (negative) libfdt
 * error.  Trees shorter than their header, or older than version 16, are
 * refused up front: libfdt 1.6's fdt_check_full reads past the first and
 * crashes on the second.
 */
static inline int subfdt_check(const void *fdt, uint64_t len)
{
	/* A totalsize below the header size leaves no header to read. */
	if (len < sizeof(struct fdt_header))
		return -FDT_ERR_TRUNCATED;
	return fdt_version(fdt) < 16 ? -FDT_ERR_BADVERSION :
				       fdt_check_full(fdt, len);
}

/*
 * subfdt_check() plus what a blob decoder reports about it: on failure the
 * error finding `bad_check` ("<what> sub-FDT is not a valid FDT within N
 * bytes: <libfdt error>") and the blob's address over the len bytes looked
 * at; on success the blob's address over the FDT's totalsize.  Returns
 * subfdt_check()'s result.
 */
static inline int subfdt_validate(struct kho_ctx *c, struct kho_obj *o,
				  const struct kho_blob *blob,
				  const void *fdt, uint64_t len,
				  const char *bad_check, const char *what)
{
	int rc = subfdt_check(fdt, len);

	if (rc) {
		if (blob->phys)
			kho_phys(c, o, blob->phys, len);
		kho_finding(c, o, KHO_SEV_ERROR, bad_check, blob->phys,
			    "%s sub-FDT is not a valid FDT within %llu bytes: %s",
			    what, (unsigned long long)len, fdt_strerror(rc));
		return rc;
	}
	if (blob->phys)
		kho_phys(c, o, blob->phys, fdt_totalsize(fdt));
	return 0;
}

#endif /* KHO_PLUGINS_COMMON_SUBFDT_H */
