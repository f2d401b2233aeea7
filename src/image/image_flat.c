// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * makedumpfile's "flattened" format (makedumpfile -F, and what QEMU's
 * dump-guest-memory -z/-l/-s writes up to QEMU 8.1): a kdump-compressed file
 * cut into records that can be written to a pipe.  A 4 KiB header block
 * ("makedumpfile", big-endian type 1 and version 1), then records of a
 * big-endian 64-bit file offset, a 64-bit size and that many bytes, ended
 * by the offset -1.  libkdumpfile 0.5.1 (Debian 12) does not read it, so
 * the records are laid out again, at their offsets, in an anonymous memory
 * file that libkdumpfile then reads: that costs memory for the bytes the
 * dump holds (its compressed size), the price of "makedumpfile -R".
 */
#define KHO_IMAGE_INTERNAL
#include "base/bytes.h"
#include "image.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FLAT_HDR 4096u
#define FLAT_CHUNK (1u << 20)
/* Offsets in the reassembled file stay below this (1 TiB). */
#define FLAT_MAX_OFFSET (1ULL << 40)

static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t r = pread(fd, p, len, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? KHO_EIO : 1; /* 1: end of file */
		p += r;
		len -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t r = pwrite(fd, p, len, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return KHO_EIO;
		p += r;
		len -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

int kho_flat_is(int fd)
{
	uint8_t h[16];

	return pread_all(fd, h, sizeof(h), 0) == 0 &&
	       memcmp(h, "makedumpfile\0\0\0\0", 16) == 0;
}

int kho_flat_reassemble(struct kho_image *img, int fd, int *out, char *err,
			size_t errlen)
{
	uint8_t h[32], *buf;
	uint64_t pos = FLAT_HDR, nrec = 0;
	int mfd, rc = 0, r;

	*out = -1;
	if (pread_all(fd, h, sizeof(h), 0) || kho_be64(h + 16) != 1 ||
	    kho_be64(h + 24) != 1) {
		snprintf(err, errlen,
			 "not a handover image: flattened kdump file with an unknown header type or version");
		return KHO_EFORMAT;
	}
	buf = malloc(FLAT_CHUNK);
	mfd = memfd_create("kho-inspect-flat", MFD_CLOEXEC);
	if (!buf || mfd < 0) {
		free(buf);
		if (mfd >= 0)
			close(mfd);
		snprintf(err, errlen, "out of memory");
		return KHO_ENOMEM;
	}
	for (;;) {
		uint64_t off, size, done;

		r = pread_all(fd, h, 16, pos);
		if (r) {
			if (r < 0) {
				snprintf(err, errlen, "cannot read: %s",
					 strerror(errno));
				rc = KHO_EIO;
			} else {
				kho_image_problem(img, KHO_SEV_WARNING,
						  "image.flat-truncated", 0,
						  "the flattened kdump file ends after %llu records without its end mark; what they hold is used",
						  (unsigned long long)nrec);
			}
			break;
		}
		off = kho_be64(h);
		size = kho_be64(h + 8);
		if (off == UINT64_MAX)
			break;
		if (off >= FLAT_MAX_OFFSET || !size ||
		    size > FLAT_MAX_OFFSET - off) {
			snprintf(err, errlen,
				 "not a handover image: flattened kdump record at file offset %llu: offset %lld size %lld out of range",
				 (unsigned long long)pos, (long long)off,
				 (long long)size);
			rc = KHO_EFORMAT;
			break;
		}
		pos += 16;
		for (done = 0; done < size && !rc;) {
			size_t n = size - done > FLAT_CHUNK ? FLAT_CHUNK
							    : (size_t)(size - done);

			r = pread_all(fd, buf, n, pos + done);
			if (r > 0) {
				kho_image_problem(img, KHO_SEV_WARNING,
						  "image.flat-truncated", 0,
						  "the flattened kdump file ends inside record %llu (offset %llu, %llu bytes); its bytes read so far are used",
						  (unsigned long long)nrec,
						  (unsigned long long)off,
						  (unsigned long long)size);
				rc = 1;
			} else if (r < 0 || pwrite_all(mfd, buf, n, off + done)) {
				snprintf(err, errlen, r < 0 ? "cannot read: %s"
					 : "cannot store the reassembled dump: %s",
					 strerror(errno));
				rc = r < 0 ? KHO_EIO : KHO_ENOMEM;
			}
			done += n;
		}
		if (rc)
			break;
		pos += size;
		nrec++;
	}
	free(buf);
	if (rc < 0 || rc > 1) {
		close(mfd);
		return rc;
	}
	*out = mfd;
	return 0;
}
