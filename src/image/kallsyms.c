// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/kallsyms, read to find the kernel's static KHO state: the input
 * layer needs it to locate a live root FDT (image_symbols.c), so it lives
 * here rather than with the live-capture logic that also uses it.
 */
#include "base/bytes.h"
#include "image.h"

#include <stdio.h>
#include <string.h>

/* kallsyms lines are short; longer ones are skipped, never stored. */
#define KSYM_LINE 512

int kho_kallsyms_lookup(const char *path, const char *name, uint64_t *addr)
{
	char line[KSYM_LINE];
	size_t nlen = strlen(name);
	int found = 0, partial = 0, rc = KHO_ENOENT;
	FILE *f = fopen(path, "re");

	if (!f)
		return KHO_EIO;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		int was_partial = partial;
		char *sp;
		uint64_t v;

		partial = len && line[len - 1] != '\n';
		if (was_partial) /* the tail of an over-long line */
			continue;
		/* "ADDR TYPE NAME[\t[MODULE]]\n" */
		sp = strchr(line, ' ');
		if (!sp || sp == line || sp[1] == '\0' || sp[2] != ' ')
			continue;
		if (!strchr("dDbB", sp[1]))
			continue;
		if (strncmp(sp + 3, name, nlen) ||
		    (sp[3 + nlen] != '\n' && sp[3 + nlen] != '\0'))
			continue; /* another name, or a module's symbol */
		*sp = '\0';
		if (kho_parse_hex(line, strlen(line), &v))
			continue;
		if (found && v != *addr) {
			rc = KHO_EFORMAT;
			break;
		}
		*addr = v;
		found = 1;
		rc = 0;
	}
	if (ferror(f))
		rc = KHO_EIO;
	fclose(f);
	return rc;
}
