// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-inspect capture: write a compact handover image of the running
 * system's KHO state (debugfs + /proc/kcore, or the kernel exporter's
 * /proc/kho/image), or of an existing big dump (--from).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/capture.h"
#include "cli.h"
#include "output/output_json.h"
#include "base/human_size.h"

#define DEFAULT_DEBUGFS "/sys/kernel/debug/kho"
#define DEFAULT_KCORE "/proc/kcore"
#define DEFAULT_EXPORTER "/proc/kho/image"
#define DEFAULT_KALLSYMS "/proc/kallsyms"

enum {
	OPT_DEBUGFS = 2000,
	OPT_KCORE,
	OPT_DIRECTION,
	OPT_WITH_DATA,
	OPT_MAX_DATA,
	OPT_FROM,
	OPT_EXPORTER,
	OPT_KALLSYMS,
};

struct capture_args {
	const char *out;
	const char *debugfs;
	const char *kcore;
	const char *direction;
	int direction_given;
	const char *from;
	const char *exporter;
	const char *kallsyms; /* NULL: the default rule (see help) */
	int with_data;
	uint64_t max_data;
	/* How the root FDT was found, for the summary. */
	const char *located_by;
	struct kho_locate_result loc;
};

static const struct option capture_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "debugfs", required_argument, NULL, OPT_DEBUGFS },
	{ "kcore", required_argument, NULL, OPT_KCORE },
	{ "direction", required_argument, NULL, OPT_DIRECTION },
	{ "with-data", no_argument, NULL, OPT_WITH_DATA },
	{ "max-data", required_argument, NULL, OPT_MAX_DATA },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "exporter", required_argument, NULL, OPT_EXPORTER },
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
	{ 0 },
};

void help_capture(FILE *f)
{
	fprintf(f,
		"Usage: %s capture -o OUT [--debugfs DIR] [--kcore FILE] [--direction out|in]\n"
		"                   [--kallsyms FILE] [--with-data] [--max-data BYTES]\n"
		"                   [--exporter FILE]\n"
		"       %s capture --from DUMP [--fdt-phys ADDR | --scan] -o OUT\n"
		"\n"
		"Write a small, self-contained handover image holding only the pages the\n"
		"decoders read: every FDT, memory-map node, vmalloc chunk, block, LUO\n"
		"structure and memfd folio array (plus the preserved data with --with-data).\n"
		"Decoding OUT gives the same 'dump --json' as decoding the source.\n"
		"\n"
		"Live (default): the root FDT, sub-blobs and scratch areas come from\n"
		"DIR/out or DIR/in (DIR defaults to %s), memory from the\n"
		"ELF core FILE (default %s).  When DIR/DIRECTION/fdt is absent (a\n"
		"kernel booted through KHO does not register out/fdt), the kernel\n"
		"exporter's %s is used, or --scan / --fdt-phys on FILE.\n"
		"The root FDT is located in FILE through the kernel's kho_out (or kho_in)\n"
		"symbol in kallsyms, else the preserved blocks, else a scan of memory;\n"
		"each candidate must start with the bytes of DIR/DIRECTION/fdt.\n"
		"\n"
		"Options:\n"
		"  -o, --output OUT       the image to write (required)\n"
		"      --debugfs DIR      the kho debugfs directory\n"
		"      --kcore FILE       memory source: /proc/kcore, a vmcore or a kcore-style ELF\n"
		"      --direction D      out (default) or in\n"
		"      --kallsyms FILE    symbol table (default %s when FILE is %s,\n"
		"                         else none; 'none' skips it)\n"
		"      --with-data        also capture the pages of every preserved block\n"
		"      --max-data BYTES   limit for --with-data (default 16 GiB)\n"
		"      --exporter FILE    the kernel exporter's image (default %s)\n"
		"      --from DUMP        convert an existing image or ELF core instead\n"
		"\n",
		CLI_NAME, CLI_NAME, DEFAULT_DEBUGFS, DEFAULT_KCORE,
		DEFAULT_EXPORTER, DEFAULT_KALLSYMS, DEFAULT_KCORE, DEFAULT_EXPORTER);
	cli_help_common(f);
}

static int capture_opt(struct cli *g, void *arg, int val, const char *optarg)
{
	struct capture_args *a = arg;

	switch (val) {
	case 'o':
		a->out = optarg;
		return 0;
	case OPT_DEBUGFS:
		a->debugfs = optarg;
		return 0;
	case OPT_KCORE:
		a->kcore = optarg;
		return 0;
	case OPT_DIRECTION:
		if (strcmp(optarg, "out") && strcmp(optarg, "in"))
			return cli_usage(g, "invalid --direction '%s': expected out or in",
					 optarg);
		a->direction = optarg;
		a->direction_given = 1;
		return 0;
	case OPT_WITH_DATA:
		a->with_data = 1;
		return 0;
	case OPT_MAX_DATA:
		if (cli_parse_u64(optarg, &a->max_data) || !a->max_data)
			return cli_usage(g, "invalid --max-data '%s': expected a byte count",
					 optarg);
		return 0;
	case OPT_FROM:
		a->from = optarg;
		return 0;
	case OPT_EXPORTER:
		a->exporter = optarg;
		return 0;
	case OPT_KALLSYMS:
		a->kallsyms = optarg;
		return 0;
	}
	return -2;
}

/* A one-line bar on standard error, only when it is a terminal. */
struct progress {
	int on;
	const char *last_phase;
	int drawn;
};

static void progress_cb(void *arg, const char *phase, uint64_t done,
			uint64_t total)
{
	struct progress *p = arg;
	char bar[41];
	unsigned int i, fill;

	if (!p->on)
		return;
	if (p->drawn && p->last_phase != phase)
		fputc('\n', stderr);
	p->last_phase = phase;
	p->drawn = 1;
	if (!total) {
		fprintf(stderr, "\r%s: %s...", CLI_NAME, phase);
		fflush(stderr);
		return;
	}
	fill = (unsigned int)(done >= total ? 40 : done * 40 / total);
	for (i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r%s: %-22s [%s] %3u%%", CLI_NAME, phase, bar,
		(unsigned int)(done >= total ? 100 : done * 100 / total));
	fflush(stderr);
}

static void progress_end(struct progress *p)
{
	if (p->on && p->drawn)
		fputc('\n', stderr);
	p->drawn = 0;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int open_failed(struct cli *g, const char *what, int rc,
		       const char *err)
{
	if (rc == KHO_EINVAL)
		return cli_usage(g, "%s", err[0] ? err : "invalid option value");
	return cli_usage(g, "%s: %s", what, err[0] ? err : "cannot open");
}

/*
 * kallsyms names the addresses of the running kernel, so it is read by
 * default only with that kernel's own core.
 */
static const char *kallsyms_path(const struct capture_args *a)
{
	if (a->kallsyms)
		return strcmp(a->kallsyms, "none") ? a->kallsyms : NULL;
	return strcmp(a->kcore, DEFAULT_KCORE) ? NULL : DEFAULT_KALLSYMS;
}

/* The live source: debugfs + memory, the exporter, or a core + --scan. */
static int open_live(struct cli *g, struct capture_args *a,
		     const struct kho_session_opts *so, struct progress *pr,
		     struct kho_image **img)
{
	char dir[4096], fdt[4200], out_dir[4096], err[512] = "";
	struct kho_locate_opts lo = { 0 };
	uint64_t phys;
	unsigned int i;
	int rc;

	snprintf(dir, sizeof(dir), "%s/%s", a->debugfs, a->direction);
	snprintf(out_dir, sizeof(out_dir), "%s/out", a->debugfs);
	snprintf(fdt, sizeof(fdt), "%s/fdt", dir);

	if (exists(fdt)) {
		rc = kho_image_open_live(dir, a->kcore, &g->iopts, img, err,
					 sizeof(err));
		if (rc)
			return open_failed(g, dir, rc, err);
		if (!(*img)->nscratch && strcmp(a->direction, "out"))
			kho_image_read_debugfs_scratch(*img, out_dir);
		if ((*img)->fdt_phys) {
			a->located_by = "option";
			return 0;
		}
		lo.kallsyms = kallsyms_path(a);
		lo.kcore = a->kcore;
		lo.fdt_name = fdt;
		lo.direction = a->direction;
		lo.sopts = so;
		lo.progress = progress_cb;
		lo.progress_arg = pr;
		rc = kho_live_locate_fdt(*img, &lo, &a->loc);
		progress_end(pr);
		/* Ways tried and not used are worth knowing (a symbol table
		 * hidden from non-root, a candidate rejected). */
		for (i = 0; i < a->loc.nwhy && !g->json; i++)
			fprintf(stderr, "%s: capture: %s\n", CLI_NAME,
				a->loc.why[i]);
		if (rc == KHO_ENOMEM)
			return cli_usage(g, "out of memory");
		if (rc) {
			kho_image_close(*img);
			*img = NULL;
			return cli_usage(g, "%s: no page of %s holds the root FDT of %s (pass --fdt-phys ADDR)",
					 a->kcore, a->kcore, fdt);
		}
		phys = a->loc.phys;
		if (a->loc.count > 1)
			fprintf(stderr, "%s: capture: %llu pages match the root FDT; using the lowest, 0x%llx\n",
				CLI_NAME, (unsigned long long)a->loc.count,
				(unsigned long long)phys);
		if (kho_image_use_fdt_phys(*img, phys)) {
			kho_image_close(*img);
			*img = NULL;
			return cli_usage(g, "cannot read the root FDT at 0x%llx",
					 (unsigned long long)phys);
		}
		a->located_by = kho_locate_method_name(a->loc.method);
		return 0;
	}
	/* No debugfs root FDT: the exporter, else the core with --scan. */
	if (exists(a->exporter) && !g->iopts.scan && !g->iopts.fdt_phys) {
		rc = kho_image_open(a->exporter, &g->iopts, img, err,
				    sizeof(err));
		if (rc)
			return open_failed(g, a->exporter, rc, err);
		return 0;
	}
	if (!g->iopts.scan && !g->iopts.fdt_phys)
		return cli_usage(g, "%s is absent (a kernel booted through KHO does not register it) and %s does not exist: load the exporter module (kernel/) or pass --scan or --fdt-phys ADDR",
				 fdt, a->exporter);
	rc = kho_image_open(a->kcore, &g->iopts, img, err, sizeof(err));
	if (rc)
		return open_failed(g, a->kcore, rc, err);
	if (!(*img)->nscratch)
		kho_image_read_debugfs_scratch(*img, exists(dir) ? dir : out_dir);
	if (!(*img)->direction[0])
		snprintf((*img)->direction, sizeof((*img)->direction), "%s",
			 a->direction);
	return 0;
}

int cmd_capture(struct cli *g, int argc, char **argv)
{
	struct capture_args a = { .debugfs = DEFAULT_DEBUGFS,
				  .kcore = DEFAULT_KCORE,
				  .direction = "out",
				  .exporter = DEFAULT_EXPORTER };
	struct kho_session_opts so = { 0 };
	struct kho_capture_opts co = { 0 };
	struct kho_capture_stats st;
	struct progress pr = { 0 };
	struct kho_image *img = NULL;
	char err[512] = "", size[32];
	uint64_t fdt_phys, read_bytes;
	int first, rc;

	rc = cli_parse(g, argc, argv, capture_opts, capture_opt, &a,
		       help_capture, 0, &first);
	if (rc)
		return rc < 0 ? KHO_EXIT_OK : rc;
	if (first < argc)
		return cli_usage(g, "unexpected argument '%s'", argv[first]);
	if (!a.out)
		return cli_usage(g, "missing -o OUT");
	pr.on = !g->json && isatty(STDERR_FILENO);
	so.plugin_dirs = g->plugin_dirs;

	if (a.from) {
		rc = kho_image_open(a.from, &g->iopts, &img, err, sizeof(err));
		if (rc)
			return open_failed(g, a.from, rc, err);
		/* A plain core (a QEMU dump of the kernel booted through KHO)
		 * cannot say which side of the kexec it shows; the user can. */
		if (a.direction_given && img->direction[0] &&
		    strcmp(img->direction, a.direction)) {
			rc = cli_usage(g, "--direction %s contradicts %s, which says %s",
				       a.direction, a.from, img->direction);
			kho_image_close(img);
			return rc;
		}
		if (a.direction_given && !img->direction[0])
			snprintf(img->direction, sizeof(img->direction), "%s",
				 a.direction);
	} else {
		rc = open_live(g, &a, &so, &pr, &img);
		if (rc)
			return rc;
	}
	if (!img->fdt) {
		kho_image_close(img);
		return cli_usage(g, "the source has no root FDT; nothing to capture");
	}

	co.sopts = &so;
	co.with_data = a.with_data;
	co.max_data = a.max_data;
	co.producer = CLI_NAME " " KHO_VERSION " capture";
	co.progress = progress_cb;
	co.progress_arg = &pr;
	rc = kho_capture_write(img, a.out, &co, &st, err, sizeof(err));
	progress_end(&pr);
	fdt_phys = img->fdt_phys;
	read_bytes = kho_image_source_bytes_read(img);
	kho_image_close(img);
	if (rc)
		return cli_usage(g, "%s", err[0] ? err : "capture failed");

	kho_human_size(size, sizeof(size), st.file_size);
	if (g->json) {
		kho_json_doc_start(g->jw, "captured", KHO_EXIT_OK);
		jsonw_key_string(g->jw, "output", a.out);
		jsonw_key_u64(g->jw, "pages", st.pages);
		jsonw_key_u64(g->jw, "segments", st.loads);
		jsonw_key_u64(g->jw, "file_size", st.file_size);
		jsonw_key_u64(g->jw, "data_bytes", st.data_bytes);
		if (a.located_by) {
			unsigned int i;

			jsonw_key_u64(g->jw, "root_fdt", fdt_phys);
			jsonw_key_string(g->jw, "located_by", a.located_by);
			if (a.loc.symbol[0]) {
				jsonw_key_string(g->jw, "symbol", a.loc.symbol);
				jsonw_key_u64(g->jw, "symbol_address",
					      a.loc.sym_vaddr);
			}
			jsonw_key_u64(g->jw, "compared_bytes", a.loc.compared);
			jsonw_key_u64(g->jw, "source_bytes_read", read_bytes);
			jsonw_key_array(g->jw, "notes");
			for (i = 0; i < a.loc.nwhy; i++)
				jsonw_string(g->jw, a.loc.why[i]);
			jsonw_end_array(g->jw);
		}
		jsonw_end_object(g->jw);
	} else {
		printf("%s: %llu page%s in %llu segment%s, %s\n", a.out,
		       (unsigned long long)st.pages, st.pages == 1 ? "" : "s",
		       (unsigned long long)st.loads, st.loads == 1 ? "" : "s",
		       size);
		if (a.located_by) {
			printf("root FDT at 0x%llx, located through %s",
			       (unsigned long long)fdt_phys, a.located_by);
			if (a.loc.method == KHO_LOCATE_KALLSYMS)
				printf(" (%s at 0x%llx)", a.loc.symbol,
				       (unsigned long long)a.loc.sym_vaddr);
			printf("; %llu bytes read from %s\n",
			       (unsigned long long)read_bytes, a.kcore);
		}
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: write error on standard output\n", CLI_NAME);
		return KHO_EXIT_USAGE;
	}
	return KHO_EXIT_OK;
}
