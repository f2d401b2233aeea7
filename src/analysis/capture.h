/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Capture: decode an image with the touch recorder on, then write a compact
 * handover image (kho-image(5)) holding only the pages the decoders read
 * (and, on request, the preserved data), laid out by the shared serializer
 * (lib/kho_elf_writer.c).  Nothing here prints; progress is reported
 * through a callback.
 */
#ifndef KHO_CAPTURE_H
#define KHO_CAPTURE_H

#include <stdint.h>

#include "image/image.h"
#include "live_locate.h"
#include "decode/session.h"

/* Default bound on the preserved data --with-data may add. */
#define KHO_CAPTURE_DEFAULT_MAX_DATA (16ULL << 30)

struct kho_capture_opts {
	const struct kho_session_opts *sopts;
	int with_data;       /* also the pages of every preserved block */
	uint64_t max_data;   /* bytes; 0 = KHO_CAPTURE_DEFAULT_MAX_DATA */
	const char *producer;
	kho_progress_fn progress;
	void *progress_arg;
};

struct kho_capture_stats {
	uint64_t pages;      /* pages written */
	uint64_t loads;      /* PT_LOAD segments */
	uint64_t file_size;  /* bytes of the output (apparent size) */
	uint64_t data_bytes; /* bytes added by --with-data */
};

/*
 * Decode img with recording on and write the capture to `out` (through a
 * temporary file renamed into place).  Returns 0, or KHO_EIO / KHO_ENOMEM /
 * KHO_ELIMIT (--with-data over max_data) / KHO_EINVAL with err set.
 */
int kho_capture_write(struct kho_image *img, const char *out,
		      const struct kho_capture_opts *o,
		      struct kho_capture_stats *st, char *err, size_t errlen);

#endif /* KHO_CAPTURE_H */
