/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Target tables: the compat strings a target kernel supports, each with
 * where it came from.  A table is read from a text file, from a kernel
 * image (target_elf.h, target_decompress.h) or from a captured hand-over
 * image (compat_check.h).  Nothing here prints.
 *
 * Text format: one compat string per line, `#` starts a comment, blank
 * lines are ignored.  Non-string versions are written NAME=VERSION (for
 * example `kexec-metadata=1`); NAME=? says the kernel reads NAME but the
 * version it accepts is not known (a constant in its code, which a table
 * inferred from strings cannot show).  Composite RFC strings are written
 * whole (`memfd-v2;vmalloc-v1`).
 */
#ifndef KHO_TARGET_TABLE_H
#define KHO_TARGET_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "kho/plugin.h"

/* The .liveupdate_versions / .liveupdate_features header (both sections). */
#define KHO_LVUP_MAGIC 0x4c565550u /* "LVUP" */
#define KHO_LVUP_VERSION 1u
#define KHO_LVUP_ENTRY 48u          /* char versions[][48] */
#define KHO_LVFEAT_ENTRY 80u        /* name[48], u32, u32, u64 supp, req, active */
#define KHO_TT_MAX_STRING 255u      /* longest compat string accepted */
/* The version of a NAME=? entry: the kernel reads NAME, version unknown. */
#define KHO_TT_VERSION_UNKNOWN UINT64_MAX

enum kho_tt_source {
	KHO_TT_SRC_TEXT = 0,  /* a line of a text table */
	KHO_TT_SRC_LVUP,      /* .liveupdate_versions */
	KHO_TT_SRC_FEATURES,  /* .liveupdate_features */
	KHO_TT_SRC_RODATA,    /* inferred from strings of the image's data */
	KHO_TT_SRC_IMAGE,     /* what a captured hand-over image carries */
};

struct kho_tt_entry {
	char *name;        /* compat string, or NAME of NAME=VERSION */
	int has_version;   /* NAME=VERSION */
	uint64_t version;
	int has_features;  /* from .liveupdate_features */
	uint64_t supp, req, active;
	enum kho_tt_source source;
	char *origin;      /* "table.txt:3", ".liveupdate_versions[2]", ... */
};

struct kho_target_table {
	char *path;        /* the --target argument, or a label */
	char *kind;        /* "text", "vmlinux", "bzImage+gzip", "image", ... */
	int inferred;      /* some entries were inferred from strings */
	char *note;        /* one line about how the table was made, or NULL */
	struct kho_tt_entry *v;
	size_t n, cap;
};

struct kho_target_table *kho_tt_new(const char *path, const char *kind);
void kho_tt_free(struct kho_target_table *t);
int kho_tt_set_note(struct kho_target_table *t, const char *note);

/*
 * Add one entry (copied).  An entry already present (same name, same
 * version kind and value) is kept with its first origin; 1 is returned
 * then, 0 for a new entry, KHO_ENOMEM or KHO_EINVAL (empty or too long).
 */
int kho_tt_add(struct kho_target_table *t, const char *name, int has_version,
	       uint64_t version, enum kho_tt_source src, const char *origin);

/* Add every entry of src to dst (the union of repeated --target options). */
int kho_tt_merge(struct kho_target_table *dst,
		 const struct kho_target_table *src);

/*
 * The entry as the text format writes it: "memfd-v2", "kexec-metadata=1",
 * "kexec-metadata=?".  Returns buf.
 */
const char *kho_tt_entry_string(const struct kho_tt_entry *e, char *buf,
				size_t len);

/* The string entry `compat` (exact), or NULL. */
const struct kho_tt_entry *kho_tt_find(const struct kho_target_table *t,
				       const char *compat);
/* The NAME=VERSION entry for `name` with `version`, or NULL. */
const struct kho_tt_entry *kho_tt_find_version(const struct kho_target_table *t,
					       const char *name,
					       uint64_t version);
/* A NAME=VERSION entry for `name` (the first known version, else NAME=?). */
const struct kho_tt_entry *kho_tt_find_name(const struct kho_target_table *t,
					    const char *name);

/*
 * Parse a text table held in buf[0..len).  `label` names the file in the
 * entries' origins ("label:LINE").  Returns 0, or KHO_EFORMAT with the
 * reason ("line 4: ...") in err, or KHO_ENOMEM.
 */
int kho_tt_parse_text(struct kho_target_table *t, const char *buf, size_t len,
		      const char *label, char *err, size_t errlen);

/*
 * One entry of a text table or of .liveupdate_versions: "NAME=VERSION"
 * (VERSION decimal or 0x hex, or ? for KHO_TT_VERSION_UNKNOWN) or a plain
 * compat string.
 */
int kho_tt_parse_entry(const char *s, char *name, size_t namelen,
		       int *has_version, uint64_t *version);

/*
 * Parse the bytes of a .liveupdate_versions section: u32 magic, u32 version
 * (native order; big_endian says which), then 48-byte NUL-padded strings.
 * All-zero entries are skipped.  Returns the number of entries added (>= 0)
 * or KHO_EFORMAT (bad magic/version, entry without NUL, trailing bytes) with
 * a reason in err.  With `lenient`, parsing stops quietly at the first entry
 * that is not a printable string (for a section found by its magic in a raw
 * image, whose length is not known).
 */
int kho_tt_parse_lvup(struct kho_target_table *t, const uint8_t *p,
		      size_t len, int big_endian, int lenient,
		      const char *origin, char *err, size_t errlen);

/* The same for .liveupdate_features (80-byte entries, §8.6). */
int kho_tt_parse_features(struct kho_target_table *t, const uint8_t *p,
			  size_t len, int big_endian, const char *origin,
			  char *err, size_t errlen);

/*
 * Compat families.  The family of a versioned string is the string without
 * its trailing version digits: "memfd-v2" -> "memfd-v", "guest_memfd_luo_v1"
 * -> "guest_memfd_luo_v".  Only strings ending in "-v<N>" or "_v<N>" have a
 * family; kho_tt_family returns 0 and fills out, or KHO_EINVAL.
 */
int kho_tt_family(const char *compat, char *out, size_t outlen);
/* Whether s is FAMILY followed by one or more digits and nothing else. */
int kho_tt_in_family(const char *s, const char *family);

struct kho_families {
	char **v;
	size_t n, cap;
	/*
	 * Names of versioned blobs whose accepted version is a constant in
	 * the kernel's code ("kexec-metadata"): the string scan records a
	 * kernel that holds the name as NAME=?.
	 */
	char **names;
	size_t nnames, capnames;
};

/* Add the families of compat (the base and each composite component). */
int kho_families_add(struct kho_families *f, const char *compat);
int kho_families_has(const struct kho_families *f, const char *family);
/* Add a versioned blob name (see struct kho_families). */
int kho_families_add_name(struct kho_families *f, const char *name);
void kho_families_free(struct kho_families *f);
/* Whether s (or each ';'-separated part of it) belongs to a family. */
int kho_families_match(const struct kho_families *f, const char *s);

/*
 * Scan buf for NUL-terminated printable strings that belong to a family
 * (each part of a composite string must) and add them as KHO_TT_SRC_RODATA
 * entries with origin "<what>+0xOFF".  A string is a maximal run of
 * visible ASCII ending in NUL (a string kept in a struct right after a
 * pointer is one: the top byte of a little-endian kernel address is not
 * printable).  A string equal to one of f->names is added as NAME=?, with
 * no version: the scan cannot read one.  With only_missing,
 * strings whose family (or name) the table already has from another
 * source are skipped.  The components of a composite string found are
 * added as entries too.  Returns the number of entries added or
 * KHO_ENOMEM.
 */
int kho_tt_scan_strings(struct kho_target_table *t, const uint8_t *buf,
			size_t len, const struct kho_families *f,
			const char *what, int only_missing);

/* Whether the table has an entry (of any source but sk) in this family. */
int kho_tt_has_family(const struct kho_target_table *t, const char *family,
		      enum kho_tt_source skip);

const char *kho_tt_source_name(enum kho_tt_source s);

#endif /* KHO_TARGET_TABLE_H */
