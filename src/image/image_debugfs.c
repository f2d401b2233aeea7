// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * debugfs-style directory input (a copy of /sys/kernel/debug/kho/out or
 * in/): `fdt`, `sub_fdts/<name>`, `scratch_phys` and `scratch_len`.  Files
 * are read to EOF (debugfs sizes are not trusted), up to a cap.  `fdt` may
 * be a truncated prefix of the live tree (kho-abi.md §1.5): fdt_len is what
 * the file really holds, and the root walker reports the rest.  A directory
 * named `out` or `in` sets the direction.
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEXT_MAX (1u << 20)

/*
 * The code for a failed read_file; the errno in *eno for the message.
 * EINVAL is what read_file says for a file that is not a regular one.
 */
static int file_error(int *eno, int e)
{
	*eno = e;
	switch (e) {
	case ENOMEM:
		return KHO_ENOMEM;
	case ENOENT:
		return KHO_ENOENT;
	case EINVAL:
		return KHO_EFORMAT;
	default:
		return KHO_EIO;
	}
}

/*
 * Read dir/name into an image-owned buffer.  Returns 0; KHO_ENOENT (no
 * such file), KHO_EFORMAT (not a regular file), KHO_ENOMEM or KHO_EIO,
 * with the errno in *eno.
 */
static int read_file(struct kho_image *img, int dfd, const char *name,
		     uint64_t cap, const uint8_t **data, uint64_t *len,
		     int *eno)
{
	size_t size = 0, alloc;
	struct stat st;
	uint8_t *tmp, *out;
	int fd, e;

	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return file_error(eno, errno);
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		return file_error(eno, e);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return file_error(eno, EINVAL);
	}
	alloc = st.st_size > 0 && (uint64_t)st.st_size < cap
			? (size_t)st.st_size + 1 : 4096;
	tmp = malloc(alloc);
	if (!tmp) {
		close(fd);
		return file_error(eno, ENOMEM);
	}
	for (;;) {
		ssize_t r;

		if (size == alloc) {
			uint8_t *n;

			if (alloc > cap) {
				free(tmp);
				close(fd);
				return file_error(eno, EFBIG);
			}
			alloc = alloc > cap / 2 ? (size_t)cap + 1 : alloc * 2;
			n = realloc(tmp, alloc);
			if (!n) {
				free(tmp);
				close(fd);
				return file_error(eno, ENOMEM);
			}
			tmp = n;
		}
		r = read(fd, tmp + size, alloc - size);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			free(tmp);
			close(fd);
			return file_error(eno, e);
		}
		if (r == 0)
			break;
		size += (size_t)r;
	}
	close(fd);
	if (size > cap) {
		free(tmp);
		return file_error(eno, EFBIG);
	}
	out = kho_image_alloc(img, size ? size : 1);
	if (!out) {
		free(tmp);
		return file_error(eno, ENOMEM);
	}
	memcpy(out, tmp, size);
	free(tmp);
	*data = out;
	*len = size;
	return 0;
}

/* Parse "0x%llx\n" lines into vals (at most max); returns the count. */
static size_t parse_lines(struct kho_image *img, const char *file,
			  const uint8_t *t, uint64_t n, uint64_t *vals,
			  size_t max, int *bad)
{
	size_t pos = 0, cnt = 0;
	unsigned int line = 0;

	while (pos < n) {
		size_t s = pos, e;

		while (pos < n && t[pos] != '\n')
			pos++;
		e = pos;
		if (pos < n)
			pos++;
		line++;
		while (s < e && (t[s] == ' ' || t[s] == '\t'))
			s++;
		while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t' ||
				 t[e - 1] == '\r' || t[e - 1] == '\0'))
			e--;
		if (e == s)
			continue;
		if (cnt == max)
			return cnt + 1; /* too many: caller reports */
		if (kho_parse_u64((const char *)t + s, e - s, &vals[cnt])) {
			kho_image_problem(img, KHO_SEV_WARNING,
					  "image.scratch-bad-value", 0,
					  "%s line %u is not a number ('%.*s')",
					  file, line, (int)(e - s > 32 ? 32 : e - s),
					  (const char *)t + s);
			*bad = 1;
			vals[cnt] = 0;
		}
		cnt++;
	}
	return cnt;
}

static int read_scratch(struct kho_image *img, int dfd)
{
	const uint8_t *pt = NULL, *lt = NULL;
	uint64_t pn = 0, ln = 0, *pv, *lv;
	size_t np, nl, n, i;
	int rp, rl, ep = 0, el = 0, bad = 0, rc = 0;

	rp = read_file(img, dfd, "scratch_phys", TEXT_MAX, &pt, &pn, &ep);
	rl = read_file(img, dfd, "scratch_len", TEXT_MAX, &lt, &ln, &el);
	if (rp == KHO_ENOMEM || rl == KHO_ENOMEM)
		return KHO_ENOMEM;
	if (rp == KHO_ENOENT && rl == KHO_ENOENT)
		return 0;
	if (rp || rl) {
		kho_image_problem(img, KHO_SEV_ERROR, "image.scratch-mismatch", 0,
				  "%s cannot be read (%s); no scratch areas",
				  rp ? "scratch_phys" : "scratch_len",
				  strerror(rp ? ep : el));
		return 0;
	}
	pv = malloc((KHO_IMAGE_MAX_SCRATCH + 1) * sizeof(*pv));
	lv = malloc((KHO_IMAGE_MAX_SCRATCH + 1) * sizeof(*lv));
	if (!pv || !lv) {
		free(pv);
		free(lv);
		return KHO_ENOMEM;
	}
	np = parse_lines(img, "scratch_phys", pt, pn, pv,
			 KHO_IMAGE_MAX_SCRATCH, &bad);
	nl = parse_lines(img, "scratch_len", lt, ln, lv,
			 KHO_IMAGE_MAX_SCRATCH, &bad);
	if (np != nl)
		kho_image_problem(img, KHO_SEV_ERROR, "image.scratch-mismatch", 0,
				  "scratch_phys has %zu lines but scratch_len has %zu",
				  np, nl);
	n = np < nl ? np : nl;
	for (i = 0; i < n && !rc; i++) {
		if (lv[i] > UINT64_MAX - pv[i]) {
			kho_image_problem(img, KHO_SEV_WARNING,
					  "image.scratch-bad-value", pv[i],
					  "scratch area %zu (0x%llx+0x%llx) wraps past 2^64",
					  i, (unsigned long long)pv[i],
					  (unsigned long long)lv[i]);
			continue;
		}
		rc = kho_image_add_scratch(img, pv[i], lv[i]);
	}
	free(pv);
	free(lv);
	return rc;
}

static int skip_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static int read_sub_fdts(struct kho_image *img, int dfd)
{
	struct dirent **list = NULL;
	int sub, n, i, rc = 0;

	sub = openat(dfd, "sub_fdts", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sub < 0)
		return 0;
	n = scandirat(sub, ".", &list, skip_dots, alphasort);
	if (n < 0) {
		kho_image_problem(img, KHO_SEV_WARNING,
				  "image.side-blob-bad-name", 0,
				  "sub_fdts cannot be listed: %s", strerror(errno));
		close(sub);
		return 0;
	}
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		const uint8_t *data;
		uint64_t len;
		int r, eno = 0;

		if (rc)
			continue;
		if (strlen(name) >= sizeof(((struct kho_side_blob *)0)->name)) {
			kho_image_problem(img, KHO_SEV_WARNING,
					  "image.side-blob-bad-name", 0,
					  "sub_fdts/%.40s...: name longer than 63 bytes; skipped",
					  name);
			continue;
		}
		r = read_file(img, sub, name, KHO_IMAGE_MAX_BLOB, &data, &len,
			      &eno);
		if (r == KHO_ENOMEM) {
			rc = KHO_ENOMEM;
			continue;
		}
		if (r) {
			kho_image_problem(img, KHO_SEV_WARNING,
					  "image.side-blob-bad-name", 0,
					  "sub_fdts/%s skipped: %s", name,
					  r == KHO_EFORMAT ? "not a regular file"
							   : strerror(eno));
			continue;
		}
		rc = kho_image_add_side(img, name, 0, data, len);
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	close(sub);
	return rc;
}

static void set_direction(struct kho_image *img)
{
	const char *p = img->path, *slash;
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		n--;
	slash = memrchr(p, '/', n);
	if (slash) {
		n -= (size_t)(slash + 1 - p);
		p = slash + 1;
	}
	if (n == 3 && memcmp(p, "out", 3) == 0)
		strcpy(img->direction, "out");
	else if (n == 2 && memcmp(p, "in", 2) == 0)
		strcpy(img->direction, "in");
}

int kho_image_open_debugfs(struct kho_image *img,
			   const struct kho_image_opts *o, char *err,
			   size_t errlen)
{
	const uint8_t *data = NULL;
	uint64_t len = 0;
	int dfd, r, rc, eno = 0;

	img->format = KHO_INPUT_DEBUGFS;
	dfd = open(img->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		snprintf(err, errlen, "cannot open directory: %s",
			 strerror(errno));
		return KHO_EIO;
	}
	r = read_file(img, dfd, "fdt", KHO_IMAGE_MAX_BLOB, &data, &len, &eno);
	if (r == KHO_ENOENT) {
		snprintf(err, errlen,
			 "not a handover image: directory has no fdt file (point at a copy of kho/out or kho/in)");
		close(dfd);
		return KHO_EFORMAT;
	}
	if (r) {
		snprintf(err, errlen, "cannot read fdt: %s",
			 r == KHO_EFORMAT ? "not a regular file" : strerror(eno));
		close(dfd);
		return r == KHO_ENOMEM ? KHO_ENOMEM : KHO_EIO;
	}
	if (len) {
		img->fdt = data;
		img->fdt_len = len;
	} else {
		kho_image_problem(img, KHO_SEV_ERROR, "image.no-fdt", 0,
				  "the debugfs fdt file is empty");
	}
	set_direction(img);
	rc = read_sub_fdts(img, dfd);
	if (!rc)
		rc = read_scratch(img, dfd);
	close(dfd);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	if (o->fdt_phys)
		img->fdt_phys = o->fdt_phys;
	if (o->scan)
		kho_image_problem(img, KHO_SEV_NOTE, "image.scan-ignored", 0,
				  "--scan ignored: a debugfs directory carries no physical memory");
	return 0;
}

int kho_image_read_debugfs_scratch(struct kho_image *img, const char *dir)
{
	int dfd, rc;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return KHO_EIO;
	rc = read_scratch(img, dfd);
	close(dfd);
	return rc;
}
