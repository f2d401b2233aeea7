// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-mkimage: build KHO / LUO hand-over images from a scenario file.
 * Usage: see usage() below and man/kho-mkimage.1.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mk.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: kho-mkimage SCENARIO -o IMAGE [options]\n"
		"Build a Kexec HandOver (KHO/LUO) hand-over image from a scenario file.\n\n"
		"  -o, --output PATH        image (file, or directory for --format debugfs)\n"
		"  -f, --format FMT         elf (default), fdt, debugfs or kcore\n"
		"  -s, --set KEY=VALUE      override a global key; SECTION:KEY=VALUE for a section\n"
		"      --layout[=FILE]      list chosen physical addresses (default: stderr)\n"
		"  -h, --help               show this help\n"
		"  -V, --version            show the version\n\n"
		"Exit status: 0 success, 1 I/O error, 2 usage or scenario error.\n"
		"See kho-mkimage(1) for the scenario language and kho-image(5) for the format.\n");
}

static void defaults(struct mk_scn *s)
{
	memset(s, 0, sizeof(*s));
	s->gen = GEN_G4;
	s->page_size = 4096;
	s->page_shift = 12;
	s->depth_plus1 = -1;
	s->ram_base = 0x100000000ULL;
	s->preserve_root = -1;
	s->finalized = true;
	s->md_version = 1;
	s->md_count = 1;
	s->kt_magic = 0x4b484f21;
	s->luo.flb_node = -1;
	s->luo.serialized = true;
	s->luo.num = 1;
	s->luo.session_ver = 2;
	s->luo.supp = s->luo.req = s->luo.active = 7;
}

static void finish_defaults(struct mk_scn *s)
{
	static const int luo_by_gen[] = { LUO_V1, LUO_V1, LUO_V1, LUO_V1, LUO_V1, LUO_V1, LUO_V5, LUO_RFC };
	struct mk_src src = { s->file, 0 };

	if (!s->machine)
		s->machine = mk_strdup(s->big_endian ? "s390x" : "x86_64");
	if (!s->release)
		s->release = mk_strdup("6.19.0-kho");
	if (!s->direction)
		s->direction = mk_strdup("out");
	if (!s->producer)
		s->producer = mk_strdup("kho-mkimage " MK_VERSION);
	if (s->depth_plus1 < 0)
		s->depth_plus1 = s->gen >= GEN_G4;
	if (!s->v1_bitmap_bytes)
		s->v1_bitmap_bytes = s->gen == GEN_G1A ? 512 : s->page_size;
	if (s->v1_bitmap_bytes > s->page_size)
		mk_die(2, &src, "v1_bitmap_bytes larger than page_size");
	if (!s->data_base_set)
		s->data_base = s->ram_base + 0x400000000ULL;
	if (s->ram_base & (s->page_size - 1))
		mk_die(2, &src, "ram_base is not page aligned");
	if (s->data_base & (s->page_size - 1) || s->data_base <= s->ram_base)
		mk_die(2, &src, "data_base must be page aligned and above ram_base");
	if (s->luo.present && !s->luo.ver)
		s->luo.ver = luo_by_gen[s->gen];
	if (!s->luo.num_set)
		s->luo.num = 1;
	for (size_t i = 0; i < s->npres; i++) {
		uint64_t a = s->explicit_pres[i].addr;

		if (a & (s->page_size - 1))
			mk_die(2, &src, "explicit preserve at 0x%llx is not page aligned",
			       (unsigned long long)a);
	}
	for (size_t i = 0; i < s->nresmem; i++)
		if (!s->resmem[i].auto_start && (s->resmem[i].start & (s->page_size - 1)))
			mk_die(2, &src, "reserve_mem region '%s' start is not page aligned",
			       s->resmem[i].name);
}

static void explicit_preserves(struct mk_scn *s)
{
	for (size_t i = 0; i < s->npres; i++) {
		uint64_t a = s->explicit_pres[i].addr, flags = s->pres_data.v[i];
		uint64_t len = (flags & 2) ? s->explicit_pres[i].size
					   : (uint64_t)mk.ps << s->explicit_pres[i].size;
		char *nm = mk_fmt("preserve[%zu]", i);

		if (flags & 2)
			mk_preserve_range(a, len >> mk.shift);
		else
			mk_preserve(a, (unsigned)s->explicit_pres[i].size);
		mk_obj_add(nm, a, len, (flags & 2) ? -1 : (int)s->explicit_pres[i].size);
		free(nm);
		if (flags & 1) {
			uint64_t n = (len + mk.ps - 1) & ~((uint64_t)mk.ps - 1);
			uint8_t *b = mk_malloc(n);

			mk_fill_data(a, b, n);
			mk_capture(a, n, b);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "set", required_argument, NULL, 's' },
		{ "layout", optional_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static struct mk_scn scn;
	const char *out = NULL, *layout = NULL;
	char **sets = NULL;
	size_t nsets = 0;
	int fmt = FMT_ELF, c;
	uint16_t probe = 1;

	if (*(uint8_t *)&probe != 1)
		mk_fatal(1, "this build of kho-mkimage needs a little-endian host");
	while ((c = getopt_long(argc, argv, "o:f:s:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "elf"))
				fmt = FMT_ELF;
			else if (!strcmp(optarg, "fdt"))
				fmt = FMT_FDT;
			else if (!strcmp(optarg, "debugfs"))
				fmt = FMT_DEBUGFS;
			else if (!strcmp(optarg, "kcore"))
				fmt = FMT_KCORE;
			else
				mk_fatal(2, "unknown format '%s' (elf, fdt, debugfs, kcore)", optarg);
			break;
		case 's':
			sets = mk_realloc(sets, (nsets + 1) * sizeof(*sets));
			sets[nsets++] = optarg;
			break;
		case 'L':
			layout = optarg ? optarg : "-";
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("kho-mkimage %s\n", MK_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || !out) {
		if (optind >= argc)
			fprintf(stderr, "kho-mkimage: missing SCENARIO\n");
		else if (optind < argc - 1)
			fprintf(stderr, "kho-mkimage: too many arguments\n");
		else
			fprintf(stderr, "kho-mkimage: missing -o IMAGE\n");
		usage(stderr);
		return 2;
	}

	defaults(&scn);
	mk_scn_load(&scn, argv[optind], sets, nsets);
	free(sets);
	finish_defaults(&scn);
	mk_phys_init(&scn);

	mk_build_root_begin();
	if (scn.kexec_md)
		mk_build_kexec_md();
	if (scn.memblock)
		mk_build_memblock();
	if (scn.luo.present)
		mk_build_luo();
	if (scn.kho_test)
		mk_build_kho_test();
	mk_build_extra_nodes();
	explicit_preserves(&scn);
	mk_build_root_end();
	mk_build_handoff();
	mk_apply_unpreserve();
	mk_build_memmap();
	mk_apply_directives();
	mk_write_output(out, fmt);
	if (layout)
		mk_write_layout(layout, fmt);
	return 0;
}
