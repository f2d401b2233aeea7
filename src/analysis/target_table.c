// SPDX-License-Identifier: GPL-2.0-or-later
/* Target tables: model, text parser, LVUP sections, string scan. */
#include "target_table.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/compat.h"

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

struct kho_target_table *kho_tt_new(const char *path, const char *kind)
{
	struct kho_target_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->path = xstrdup(path ? path : "");
	t->kind = xstrdup(kind ? kind : "");
	if (!t->path || !t->kind) {
		kho_tt_free(t);
		return NULL;
	}
	return t;
}

void kho_tt_free(struct kho_target_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].origin);
	}
	free(t->v);
	free(t->path);
	free(t->kind);
	free(t->note);
	free(t);
}

int kho_tt_set_note(struct kho_target_table *t, const char *note)
{
	char *n = xstrdup(note);

	if (note && !n)
		return KHO_ENOMEM;
	free(t->note);
	t->note = n;
	return 0;
}

static struct kho_tt_entry *find_exact(const struct kho_target_table *t,
				       const char *name, int has_version,
				       uint64_t version)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct kho_tt_entry *e = &t->v[i];

		if (e->has_version != has_version || strcmp(e->name, name))
			continue;
		if (has_version && e->version != version)
			continue;
		return e;
	}
	return NULL;
}

int kho_tt_add(struct kho_target_table *t, const char *name, int has_version,
	       uint64_t version, enum kho_tt_source src, const char *origin)
{
	struct kho_tt_entry *e;
	size_t len = strlen(name);

	if (len == 0 || len > KHO_TT_MAX_STRING)
		return KHO_EINVAL;
	if (find_exact(t, name, has_version, version))
		return 1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct kho_tt_entry *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return KHO_ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	e = &t->v[t->n];
	memset(e, 0, sizeof(*e));
	e->name = strdup(name);
	e->origin = strdup(origin ? origin : "");
	if (!e->name || !e->origin) {
		free(e->name);
		free(e->origin);
		return KHO_ENOMEM;
	}
	e->has_version = has_version;
	e->version = version;
	e->source = src;
	if (src == KHO_TT_SRC_RODATA)
		t->inferred = 1;
	t->n++;
	return 0;
}

int kho_tt_merge(struct kho_target_table *dst,
		 const struct kho_target_table *src)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		const struct kho_tt_entry *e = &src->v[i];
		char origin[1024];
		int rc;

		snprintf(origin, sizeof(origin), "%s: %s", src->path,
			 e->origin);
		rc = kho_tt_add(dst, e->name, e->has_version, e->version,
				e->source, origin);
		if (rc < 0)
			return rc;
		if (rc == 0 && e->has_features) {
			struct kho_tt_entry *d = &dst->v[dst->n - 1];

			d->has_features = 1;
			d->supp = e->supp;
			d->req = e->req;
			d->active = e->active;
		}
	}
	if (src->inferred)
		dst->inferred = 1;
	return 0;
}

const char *kho_tt_entry_string(const struct kho_tt_entry *e, char *buf,
				size_t len)
{
	if (!e->has_version)
		snprintf(buf, len, "%s", e->name);
	else if (e->version == KHO_TT_VERSION_UNKNOWN)
		snprintf(buf, len, "%s=?", e->name);
	else
		snprintf(buf, len, "%s=%" PRIu64, e->name, e->version);
	return buf;
}

const struct kho_tt_entry *kho_tt_find(const struct kho_target_table *t,
				       const char *compat)
{
	return find_exact(t, compat, 0, 0);
}

const struct kho_tt_entry *kho_tt_find_version(const struct kho_target_table *t,
					       const char *name,
					       uint64_t version)
{
	return find_exact(t, name, 1, version);
}

const struct kho_tt_entry *kho_tt_find_name(const struct kho_target_table *t,
					    const char *name)
{
	const struct kho_tt_entry *unknown = NULL;
	size_t i;

	/* A known version tells more than NAME=? (merged targets). */
	for (i = 0; i < t->n; i++) {
		if (!t->v[i].has_version || strcmp(t->v[i].name, name))
			continue;
		if (t->v[i].version != KHO_TT_VERSION_UNKNOWN)
			return &t->v[i];
		if (!unknown)
			unknown = &t->v[i];
	}
	return unknown;
}

static int parse_num(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return KHO_EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end)
		return KHO_EINVAL;
	*v = x;
	return 0;
}

int kho_tt_parse_entry(const char *s, char *name, size_t namelen,
		       int *has_version, uint64_t *version)
{
	const char *eq = strchr(s, '=');
	size_t n;

	*has_version = 0;
	*version = 0;
	if (eq) {
		n = (size_t)(eq - s);
		if (n == 0 || n >= namelen)
			return KHO_EINVAL;
		if (!strcmp(eq + 1, "?"))
			*version = KHO_TT_VERSION_UNKNOWN;
		else if (parse_num(eq + 1, version) ||
			 *version == KHO_TT_VERSION_UNKNOWN)
			return KHO_EINVAL;
		memcpy(name, s, n);
		name[n] = '\0';
		*has_version = 1;
		return 0;
	}
	n = strlen(s);
	if (n == 0 || n >= namelen)
		return KHO_EINVAL;
	memcpy(name, s, n + 1);
	return 0;
}

int kho_tt_parse_text(struct kho_target_table *t, const char *buf, size_t len,
		      const char *label, char *err, size_t errlen)
{
	size_t pos = 0, lineno = 0;

	while (pos < len) {
		const char *line = buf + pos;
		size_t n = 0, a, b, i;
		char entry[KHO_TT_MAX_STRING + 2], name[KHO_TT_MAX_STRING + 1];
		char origin[512];
		uint64_t ver;
		int hv, rc;

		while (pos + n < len && line[n] != '\n')
			n++;
		pos += n + 1;
		lineno++;
		for (i = 0; i < n; i++)
			if (line[i] == '#')
				break;
		b = i;
		a = 0;
		while (a < b && isspace((unsigned char)line[a]))
			a++;
		while (b > a && isspace((unsigned char)line[b - 1]))
			b--;
		if (a == b)
			continue;
		for (i = a; i < b; i++) {
			unsigned char ch = (unsigned char)line[i];

			if (ch == '\0' || isspace(ch) || !isprint(ch)) {
				snprintf(err, errlen,
					 "line %zu: unexpected %s in \"%.*s\" (one compat string per line)",
					 lineno,
					 isspace(ch) ? "space" : "character",
					 (int)(b - a), line + a);
				return KHO_EFORMAT;
			}
		}
		if (b - a > KHO_TT_MAX_STRING) {
			snprintf(err, errlen,
				 "line %zu: string longer than %u characters",
				 lineno, KHO_TT_MAX_STRING);
			return KHO_EFORMAT;
		}
		memcpy(entry, line + a, b - a);
		entry[b - a] = '\0';
		if (kho_tt_parse_entry(entry, name, sizeof(name), &hv, &ver)) {
			snprintf(err, errlen,
				 "line %zu: \"%s\" is neither a compat string nor NAME=VERSION with a number or ?",
				 lineno, entry);
			return KHO_EFORMAT;
		}
		if (!hv && strchr(name, ';')) {
			struct kho_compat_parts parts;

			if (kho_compat_split(name, &parts)) {
				snprintf(err, errlen,
					 "line %zu: malformed composite string \"%s\"",
					 lineno, name);
				return KHO_EFORMAT;
			}
		}
		snprintf(origin, sizeof(origin), "%s:%zu", label, lineno);
		rc = kho_tt_add(t, name, hv, ver, KHO_TT_SRC_TEXT, origin);
		if (rc < 0) {
			snprintf(err, errlen, "line %zu: out of memory", lineno);
			return rc;
		}
	}
	return 0;
}

static uint32_t rd32(const uint8_t *p, int be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static uint64_t rd64(const uint8_t *p, int be)
{
	return be ? (uint64_t)rd32(p, 1) << 32 | rd32(p + 4, 1)
		  : (uint64_t)rd32(p + 4, 0) << 32 | rd32(p, 0);
}

static int all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/*
 * A NUL-padded string field: 0 and the string in out, 1 when all zero,
 * KHO_ECORRUPT when it has no NUL, a non-printable byte or garbage after
 * the NUL.
 */
static int field_string(const uint8_t *p, size_t n, char *out)
{
	size_t len;

	if (all_zero(p, n))
		return 1;
	for (len = 0; len < n && p[len]; len++)
		if (!isprint(p[len]) || p[len] == ' ')
			return KHO_ECORRUPT;
	if (len == n || len == 0)
		return KHO_ECORRUPT;
	if (!all_zero(p + len, n - len))
		return KHO_ECORRUPT;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static int check_header(const uint8_t *p, size_t len, int be,
			const char *what, char *err, size_t errlen)
{
	uint32_t magic, ver;

	if (len < 8) {
		snprintf(err, errlen, "%s: %zu bytes, too short for the 8-byte header",
			 what, len);
		return KHO_EFORMAT;
	}
	magic = rd32(p, be);
	ver = rd32(p + 4, be);
	if (magic != KHO_LVUP_MAGIC) {
		snprintf(err, errlen, "%s: magic 0x%08x, expected 0x%08x (\"LVUP\")",
			 what, magic, KHO_LVUP_MAGIC);
		return KHO_EFORMAT;
	}
	if (ver != KHO_LVUP_VERSION) {
		snprintf(err, errlen, "%s: version %u, expected %u", what, ver,
			 KHO_LVUP_VERSION);
		return KHO_EFORMAT;
	}
	return 0;
}

int kho_tt_parse_lvup(struct kho_target_table *t, const uint8_t *p,
		      size_t len, int big_endian, int lenient,
		      const char *origin, char *err, size_t errlen)
{
	size_t off, idx = 0;
	int added = 0, rc;

	rc = check_header(p, len, big_endian, origin, err, errlen);
	if (rc)
		return rc;
	if (!lenient && (len - 8) % KHO_LVUP_ENTRY) {
		snprintf(err, errlen,
			 "%s: %zu bytes after the header are not a whole number of %u-byte entries",
			 origin, len - 8, KHO_LVUP_ENTRY);
		return KHO_EFORMAT;
	}
	for (off = 8; off + KHO_LVUP_ENTRY <= len; off += KHO_LVUP_ENTRY, idx++) {
		char s[KHO_LVUP_ENTRY + 1], name[KHO_LVUP_ENTRY + 1], o[512];
		uint64_t ver;
		int hv, fs = field_string(p + off, KHO_LVUP_ENTRY, s);

		if (fs == 1) {
			if (lenient)
				break;
			continue;
		}
		if (fs < 0 || kho_tt_parse_entry(s, name, sizeof(name), &hv,
						 &ver)) {
			if (lenient)
				break;
			snprintf(err, errlen,
				 "%s: entry %zu is not a NUL-padded printable string",
				 origin, idx);
			return KHO_EFORMAT;
		}
		snprintf(o, sizeof(o), "%s[%zu]", origin, idx);
		rc = kho_tt_add(t, name, hv, ver, KHO_TT_SRC_LVUP, o);
		if (rc < 0)
			return rc;
		if (rc == 0)
			added++;
	}
	return added;
}

int kho_tt_parse_features(struct kho_target_table *t, const uint8_t *p,
			  size_t len, int big_endian, const char *origin,
			  char *err, size_t errlen)
{
	size_t off, idx = 0;
	int added = 0, rc;

	rc = check_header(p, len, big_endian, origin, err, errlen);
	if (rc)
		return rc;
	if ((len - 8) % KHO_LVFEAT_ENTRY) {
		snprintf(err, errlen,
			 "%s: %zu bytes after the header are not a whole number of %u-byte entries",
			 origin, len - 8, KHO_LVFEAT_ENTRY);
		return KHO_EFORMAT;
	}
	for (off = 8; off + KHO_LVFEAT_ENTRY <= len;
	     off += KHO_LVFEAT_ENTRY, idx++) {
		char s[KHO_LVUP_ENTRY + 1], o[512];
		int fs = field_string(p + off, KHO_LVUP_ENTRY, s);
		struct kho_tt_entry *e;

		if (fs == 1)
			continue;
		if (fs < 0) {
			snprintf(err, errlen,
				 "%s: entry %zu name is not a NUL-padded printable string",
				 origin, idx);
			return KHO_EFORMAT;
		}
		snprintf(o, sizeof(o), "%s[%zu]", origin, idx);
		rc = kho_tt_add(t, s, 0, 0, KHO_TT_SRC_FEATURES, o);
		if (rc < 0)
			return rc;
		if (rc == 1)
			continue;
		e = &t->v[t->n - 1];
		e->has_features = 1;
		e->supp = rd64(p + off + 56, big_endian);
		e->req = rd64(p + off + 64, big_endian);
		e->active = rd64(p + off + 72, big_endian);
		added++;
	}
	return added;
}

int kho_tt_family(const char *compat, char *out, size_t outlen)
{
	size_t n = strlen(compat), d = n;

	while (d > 0 && isdigit((unsigned char)compat[d - 1]))
		d--;
	if (d == n || d < 3 || compat[d - 1] != 'v' ||
	    (compat[d - 2] != '-' && compat[d - 2] != '_') || d + 1 > outlen)
		return KHO_EINVAL;
	if (strchr(compat, ';'))
		return KHO_EINVAL;
	memcpy(out, compat, d);
	out[d] = '\0';
	return 0;
}

int kho_tt_in_family(const char *s, const char *family)
{
	size_t fl = strlen(family);
	const char *p;

	if (strncmp(s, family, fl))
		return 0;
	p = s + fl;
	if (!*p)
		return 0;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return 1;
}

int kho_families_has(const struct kho_families *f, const char *family)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i], family))
			return 1;
	return 0;
}

static int families_add_one(struct kho_families *f, const char *s)
{
	char fam[KHO_TT_MAX_STRING + 1];

	if (kho_tt_family(s, fam, sizeof(fam)))
		return 0;
	if (kho_families_has(f, fam))
		return 0;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		char **v = realloc(f->v, cap * sizeof(*v));

		if (!v)
			return KHO_ENOMEM;
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n] = strdup(fam);
	if (!f->v[f->n])
		return KHO_ENOMEM;
	f->n++;
	return 0;
}

int kho_families_add(struct kho_families *f, const char *compat)
{
	struct kho_compat_parts parts;
	size_t i;
	int rc;

	if (kho_compat_split(compat, &parts))
		return 0;
	rc = families_add_one(f, parts.base);
	for (i = 0; !rc && i < parts.ncomp; i++)
		rc = families_add_one(f, parts.comp[i]);
	return rc;
}

int kho_families_add_name(struct kho_families *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nnames; i++)
		if (!strcmp(f->names[i], name))
			return 0;
	if (f->nnames == f->capnames) {
		size_t cap = f->capnames ? f->capnames * 2 : 4;
		char **v = realloc(f->names, cap * sizeof(*v));

		if (!v)
			return KHO_ENOMEM;
		f->names = v;
		f->capnames = cap;
	}
	f->names[f->nnames] = strdup(name);
	if (!f->names[f->nnames])
		return KHO_ENOMEM;
	f->nnames++;
	return 0;
}

void kho_families_free(struct kho_families *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	for (i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	memset(f, 0, sizeof(*f));
}

static int matches_any(const struct kho_families *f, const char *s)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (kho_tt_in_family(s, f->v[i]))
			return 1;
	return 0;
}

int kho_families_match(const struct kho_families *f, const char *s)
{
	struct kho_compat_parts parts;
	size_t i;

	if (kho_compat_split(s, &parts))
		return 0;
	if (!matches_any(f, parts.base))
		return 0;
	for (i = 0; i < parts.ncomp; i++)
		if (!matches_any(f, parts.comp[i]))
			return 0;
	return 1;
}

int kho_tt_has_family(const struct kho_target_table *t, const char *family,
		      enum kho_tt_source skip)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct kho_compat_parts parts;

		if (t->v[i].source == skip || t->v[i].has_version)
			continue;
		if (kho_compat_split(t->v[i].name, &parts))
			continue;
		if (kho_tt_in_family(parts.base, family))
			return 1;
	}
	return 0;
}

static int family_of_missing(const struct kho_target_table *t,
			     const char *s)
{
	char fam[KHO_TT_MAX_STRING + 1];
	struct kho_compat_parts parts;

	if (kho_compat_split(s, &parts) ||
	    kho_tt_family(parts.base, fam, sizeof(fam)))
		return 1;
	return !kho_tt_has_family(t, fam, KHO_TT_SRC_RODATA);
}

static int is_name(const struct kho_families *f, const char *s)
{
	size_t i;

	for (i = 0; i < f->nnames; i++)
		if (!strcmp(f->names[i], s))
			return 1;
	return 0;
}

/*
 * A versioned blob name found as a string: the kernel reads the blob, but
 * its accepted version is a constant in code, so the entry is NAME=?.
 * Returns 0 (added), 1 (already known) or KHO_ENOMEM.
 */
static int add_name(struct kho_target_table *t, const char *name,
		    const char *what, size_t off, int only_missing)
{
	char o[512];

	if (only_missing && kho_tt_find_name(t, name))
		return 1;
	snprintf(o, sizeof(o), "%s+0x%zx", what, off);
	return kho_tt_add(t, name, 1, KHO_TT_VERSION_UNKNOWN,
			  KHO_TT_SRC_RODATA, o);
}

int kho_tt_scan_strings(struct kho_target_table *t, const uint8_t *buf,
			size_t len, const struct kho_families *f,
			const char *what, int only_missing)
{
	size_t i = 0;
	int added = 0;

	while (i < len) {
		size_t start = i;
		char s[KHO_TT_MAX_STRING + 1], o[512];
		size_t n;
		int rc;

		while (i < len && buf[i] >= 0x21 && buf[i] < 0x7f)
			i++;
		n = i - start;
		if (i >= len || buf[i] != 0 || n < 3 || n > KHO_TT_MAX_STRING) {
			i++;
			continue;
		}
		memcpy(s, buf + start, n);
		s[n] = '\0';
		i++;
		if (is_name(f, s)) {
			rc = add_name(t, s, what, start, only_missing);
			if (rc < 0)
				return rc;
			added += rc == 0;
			continue;
		}
		if (!kho_families_match(f, s))
			continue;
		if (only_missing && !family_of_missing(t, s))
			continue;
		snprintf(o, sizeof(o), "%s+0x%zx", what, start);
		rc = kho_tt_add(t, s, 0, 0, KHO_TT_SRC_RODATA, o);
		if (rc < 0)
			return rc;
		added += rc == 0;
		if (strchr(s, ';')) {
			struct kho_compat_parts parts;
			size_t k;

			kho_compat_split(s, &parts);
			for (k = 0; k < parts.ncomp; k++) {
				char oc[1024];

				snprintf(oc, sizeof(oc), "%s (component of %s)",
					 o, s);
				rc = kho_tt_add(t, parts.comp[k], 0, 0,
						KHO_TT_SRC_RODATA, oc);
				if (rc < 0)
					return rc;
				added += rc == 0;
			}
		}
	}
	return added;
}

const char *kho_tt_source_name(enum kho_tt_source s)
{
	switch (s) {
	case KHO_TT_SRC_TEXT:
		return "text";
	case KHO_TT_SRC_LVUP:
		return ".liveupdate_versions";
	case KHO_TT_SRC_FEATURES:
		return ".liveupdate_features";
	case KHO_TT_SRC_RODATA:
		return "inferred";
	case KHO_TT_SRC_IMAGE:
		return "image";
	}
	return "?";
}
