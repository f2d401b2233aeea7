// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for kho-inspect.  One source, one binary per target: the
 * target's name (FUZZ_NAME) selects its plan, written by tests/fuzz/seeds.sh
 * into FUZZ_DIR/plans/NAME.plan.
 *
 * Every input is decoded exactly as the CLI decodes it: the bytes become a
 * file (a memfd, opened by its /proc path), kho_image_open() reads it,
 * kho_session_run() loads the plugins from the sanitizer-built plugin
 * directory and decodes everything, then the session is rendered the way
 * `dump`, `dump --json`, `check` and `memmap` render it.
 *
 * A plan is either
 *     raw
 * (the input is the whole file: the image reader and root walker targets), or
 *     base PATH
 *     region FILEOFF LEN
 *     ...
 * repeated per base image (a kho-mkimage image of some generation).  Then
 * input byte 0 picks a base image and the rest of the input is laid over
 * that image's regions, in order (the structures one plugin decodes); bytes
 * past the end of the input keep their original value.  So the fuzzer
 * mutates only what the plugin reads, while the image around it stays
 * valid.
 */
#include <dlfcn.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image/image.h"
#include "output/json_writer.h"
#include "output/output_json.h"
#include "output/output_text.h"
#include "decode/session.h"

#ifndef FUZZ_NAME
#error "FUZZ_NAME must name the target"
#endif
#ifndef FUZZ_DIR
#error "FUZZ_DIR must name the fuzz build directory"
#endif

#define MAX_BASES 64
#define MAX_REGIONS 256

struct region {
	uint64_t off, len;
};

struct base {
	uint8_t *bytes;
	uint64_t size;
	struct region regions[MAX_REGIONS];
	size_t nregions;
	int fd;
	char path[64];
};

static int raw_mode;
static struct base bases[MAX_BASES];
static size_t nbases;
static int raw_fd = -1;
static char raw_path[64];
static FILE *devnull;
static const char *plugin_dirs[2] = { FUZZ_DIR "/plugins", NULL };

static void die(const char *what)
{
	fprintf(stderr, "fuzz %s: %s\n", FUZZ_NAME, what);
	exit(1);
}

static int new_memfd(char *path, size_t len)
{
	int fd = memfd_create("kho-fuzz", 0);

	if (fd < 0)
		die("memfd_create failed");
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

static void write_all(int fd, const uint8_t *p, uint64_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n <= 0)
			die("pwrite failed");
		p += n;
		len -= (uint64_t)n;
		off += (uint64_t)n;
	}
}

static void load_base(struct base *b, const char *path)
{
	FILE *f = fopen(path, "rb");
	long n = 0;

	if (!f)
		die("cannot open a base image (run tests/fuzz/seeds.sh)");
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET))
		die("cannot size a base image");
	b->size = (uint64_t)n;
	b->bytes = malloc(b->size);
	if (!b->bytes || fread(b->bytes, 1, b->size, f) != b->size)
		die("cannot read a base image");
	fclose(f);
	b->fd = new_memfd(b->path, sizeof(b->path));
	write_all(b->fd, b->bytes, b->size, 0);
}

static void load_plan(void)
{
	char line[4200], arg[4096];
	unsigned long long off, len;
	FILE *f = fopen(FUZZ_DIR "/plans/" FUZZ_NAME ".plan", "r");

	if (!f)
		die("no plan (run tests/fuzz/seeds.sh first)");
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "raw", 3)) {
			raw_mode = 1;
		} else if (sscanf(line, "base %4095s", arg) == 1) {
			if (nbases == MAX_BASES)
				continue;
			load_base(&bases[nbases++], arg);
		} else if (sscanf(line, "region %llu %llu", &off, &len) == 2) {
			struct base *b = nbases ? &bases[nbases - 1] : NULL;

			if (!b || b->nregions == MAX_REGIONS ||
			    off > b->size || len > b->size - off)
				continue;
			b->regions[b->nregions].off = off;
			b->regions[b->nregions++].len = len;
		}
	}
	fclose(f);
	if (!raw_mode && !nbases)
		die("empty plan");
	if (raw_mode)
		raw_fd = new_memfd(raw_path, sizeof(raw_path));
}

/*
 * The session loads and unloads the plugins on every run.  libFuzzer keeps
 * pointers to the coverage counters of every instrumented module it has
 * seen, so a plugin must never really be unloaded: hold one extra
 * reference to each for the life of the process.
 */
static void pin_plugins(void)
{
	DIR *d = opendir(plugin_dirs[0]);
	struct dirent *de;
	char path[4096];

	if (!d)
		die("no plugin directory");
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 4 || strcmp(de->d_name + n - 3, ".so"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", plugin_dirs[0],
			 de->d_name);
		if (!dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE))
			die(dlerror());
	}
	closedir(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		die("cannot open /dev/null");
	load_plan();
	pin_plugins();
	return 0;
}

/* What `dump`, `dump --json`, `check` and `memmap` do with a session. */
static void render(struct kho_ctx *ctx)
{
	struct kho_text_opts to = { 0, NULL, -1, KHO_TEXT_DEFAULT_ROWS, 0, 0 };
	struct kho_json_opts jo = { NULL, -1, 0, "clean", 0 };
	struct jsonw *w;

	kho_text_dump(devnull, ctx, &to);
	kho_text_check(devnull, ctx, &to);
	kho_text_memmap(devnull, ctx, 1);
	w = jsonw_new(devnull, 0);
	if (w) {
		kho_json_dump(w, ctx, &jo);
		jsonw_free(w);
	}
	fflush(devnull);
}

static void decode(const char *path)
{
	struct kho_session_opts so = { plugin_dirs, 1, 1 };
	struct kho_image *img = NULL;
	struct kho_ctx *ctx = NULL;
	char err[512];

	if (kho_image_open(path, NULL, &img, err, sizeof(err)))
		return;
	if (kho_session_run(img, &so, &ctx, err, sizeof(err)) == 0) {
		render(ctx);
		kho_session_free(ctx);
	}
	kho_image_close(img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct base *b;
	size_t i, pos;

	if (raw_mode) {
		if (ftruncate(raw_fd, 0) || ftruncate(raw_fd, (off_t)size))
			die("ftruncate failed");
		write_all(raw_fd, data, size, 0);
		decode(raw_path);
		return 0;
	}
	if (size < 1)
		return 0;
	b = &bases[data[0] % nbases];
	data++;
	size--;
	/* Lay the input over the regions, decode, then put them back. */
	for (i = 0, pos = 0; i < b->nregions && pos < size; i++) {
		uint64_t n = b->regions[i].len;

		if (n > size - pos)
			n = size - pos;
		write_all(b->fd, data + pos, n, b->regions[i].off);
		pos += n;
	}
	decode(b->path);
	for (i = 0; i < b->nregions; i++)
		write_all(b->fd, b->bytes + b->regions[i].off,
			  b->regions[i].len, b->regions[i].off);
	return 0;
}
