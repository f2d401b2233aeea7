// SPDX-License-Identifier: GPL-2.0-or-later
/* Target tables from a vmlinux (libelf) or a raw kernel image. */
#include "target_elf.h"

#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kho_target_is_elf(const uint8_t *buf, size_t len)
{
	return len >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG);
}

int kho_target_elf_type(const uint8_t *buf, size_t len)
{
	if (!kho_target_is_elf(buf, len) || len < 20)
		return KHO_EFORMAT;
	if (buf[EI_DATA] == ELFDATA2MSB)
		return buf[16] << 8 | buf[17];
	return buf[17] << 8 | buf[16];
}

/* Families the table has no entry of (other than inferred ones), listed. */
static void missing_families(const struct kho_target_table *t,
			     const struct kho_families *f, char *out,
			     size_t outlen)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < f->n; i++) {
		size_t k;
		int found = 0;

		for (k = 0; k < t->n && !found; k++)
			found = t->v[k].source == KHO_TT_SRC_RODATA &&
				kho_tt_in_family(t->v[k].name, f->v[i]);
		if (!found)
			continue;
		if (o < outlen)
			o += (size_t)snprintf(out + o, outlen - o, "%s%s<N>",
					      o ? ", " : "", f->v[i]);
	}
	for (i = 0; i < f->nnames; i++) {
		const struct kho_tt_entry *e = kho_tt_find_name(t, f->names[i]);

		if (e && e->source == KHO_TT_SRC_RODATA && o < outlen)
			o += (size_t)snprintf(out + o, outlen - o, "%s%s=?",
					      o ? ", " : "", f->names[i]);
	}
}

static int finish_note(struct kho_target_table *t,
		       const struct kho_families *f, int have_lvup,
		       const char *where)
{
	char fams[512], note[800];

	if (!t->inferred)
		return kho_tt_set_note(t, have_lvup ?
				       "read from .liveupdate_versions" : NULL);
	if (!have_lvup) {
		snprintf(note, sizeof(note),
			 "inferred: no .liveupdate_versions section; strings of the compat families the plugins declare were taken from %s",
			 where);
		return kho_tt_set_note(t, note);
	}
	missing_families(t, f, fams, sizeof(fams));
	snprintf(note, sizeof(note),
		 "read from .liveupdate_versions; families it does not list were inferred from %s: %s",
		 where, fams);
	return kho_tt_set_note(t, note);
}

/*
 * Whether the strings of a section are scanned: every section loaded with
 * the kernel.  Compat strings live in .rodata when they are literals, but
 * a handler's or FLB's `compatible` is a char array inside its struct,
 * which is writable (.data) in 7.2; init-time tables land in .init.data.
 * Code is not left out by its flag: x86-64's .data is marked executable
 * (WAX).  Sections not loaded (symbols, debug info) are left out so that a
 * vmlinux and the stripped ELF inside its bzImage give one table.
 */
static int scanned_section(const GElf_Shdr *sh, const char *name)
{
	if (sh->sh_type != SHT_PROGBITS || !(sh->sh_flags & SHF_ALLOC) ||
	    sh->sh_size == 0)
		return 0;
	return strcmp(name, ".liveupdate_versions") &&
	       strcmp(name, ".liveupdate_features");
}

/* Scan every section scanned_section() accepts.  Count of sections, or <0. */
static int scan_sections(struct kho_target_table *t, Elf *e, size_t shstrndx,
			 const struct kho_families *f, int only_missing)
{
	Elf_Scn *scn = NULL;
	int nsec = 0, rc;

	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (!name || !scanned_section(&sh, name))
			continue;
		d = elf_rawdata(scn, NULL);
		if (!d || !d->d_buf)
			continue;
		rc = kho_tt_scan_strings(t, d->d_buf, d->d_size, f, name,
					 only_missing);
		if (rc < 0)
			return rc;
		nsec++;
	}
	return nsec;
}

int kho_target_from_elf(struct kho_target_table *t, const uint8_t *buf,
			size_t len, const struct kho_families *f, char *err,
			size_t errlen)
{
	Elf *e;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf_Data *lvup = NULL, *feat = NULL;
	int be, added = 0, rc = 0, nsec;
	size_t before = t->n;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
		return KHO_EFORMAT;
	}
	e = elf_memory((char *)(uintptr_t)buf, len);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		snprintf(err, errlen, "not a readable ELF file: %s",
			 elf_errmsg(-1));
		if (e)
			elf_end(e);
		return KHO_EFORMAT;
	}
	be = buf[EI_DATA] == ELFDATA2MSB;
	if (elf_getshdrstrndx(e, &shstrndx)) {
		snprintf(err, errlen, "ELF file without section names: %s",
			 elf_errmsg(-1));
		elf_end(e);
		return KHO_EFORMAT;
	}
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (!name)
			continue;
		if (!strcmp(name, ".liveupdate_versions") && !lvup)
			lvup = elf_rawdata(scn, NULL);
		else if (!strcmp(name, ".liveupdate_features") && !feat)
			feat = elf_rawdata(scn, NULL);
	}
	if (lvup) {
		rc = kho_tt_parse_lvup(t, lvup->d_buf, lvup->d_size, be, 0,
				       ".liveupdate_versions", err, errlen);
		if (rc < 0)
			goto out;
	}
	if (feat) {
		rc = kho_tt_parse_features(t, feat->d_buf, feat->d_size, be,
					   ".liveupdate_features", err, errlen);
		if (rc < 0)
			goto out;
	}
	nsec = scan_sections(t, e, shstrndx, f, lvup != NULL);
	rc = nsec;
	if (nsec == 0)
		rc = kho_tt_scan_strings(t, buf, len, f, "file", lvup != NULL);
	if (rc < 0)
		goto out;
	rc = finish_note(t, f, lvup != NULL,
			 nsec ? "every section loaded with the kernel (.data included)"
			      : "the whole file (no loaded section)");
	if (rc < 0)
		goto out;
	added = (int)(t->n - before);
	rc = added;
out:
	if (rc == KHO_ENOMEM)
		snprintf(err, errlen, "out of memory");
	elf_end(e);
	return rc;
}

int kho_target_from_raw(struct kho_target_table *t, const uint8_t *buf,
			size_t len, const struct kho_families *f, char *err,
			size_t errlen)
{
	static const uint8_t le[8] = { 0x50, 0x55, 0x56, 0x4c, 1, 0, 0, 0 };
	static const uint8_t be[8] = { 0x4c, 0x56, 0x55, 0x50, 0, 0, 0, 1 };
	size_t before = t->n, off;
	int have = 0, rc;
	char dummy[256];

	for (off = 0; off + 8 <= len && !have; off += 4) {
		int isbe;

		if (!memcmp(buf + off, le, 8))
			isbe = 0;
		else if (!memcmp(buf + off, be, 8))
			isbe = 1;
		else
			continue;
		rc = kho_tt_parse_lvup(t, buf + off, len - off, isbe, 1,
				       ".liveupdate_versions", dummy,
				       sizeof(dummy));
		if (rc > 0)
			have = 1;
		else if (rc == KHO_ENOMEM)
			goto nomem;
	}
	rc = kho_tt_scan_strings(t, buf, len, f, "image", have);
	if (rc < 0)
		goto nomem;
	if (finish_note(t, f, have, "the strings of the raw kernel image") < 0)
		goto nomem;
	return (int)(t->n - before);
nomem:
	snprintf(err, errlen, "out of memory");
	return KHO_ENOMEM;
}
