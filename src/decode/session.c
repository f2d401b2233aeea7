// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The decode session: the host side of the plugin API, and the order in
 * which an image is decoded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "page_probe.h"
#include "plugins.h"
#include "session_internal.h"

/* ------------------------------------------------------------ host ops */

static uint64_t h_page_size(struct kho_ctx *c)
{
	return c->img->page_size;
}

static int h_big_endian(struct kho_ctx *c)
{
	return c->img->big_endian;
}

static const char *h_option(struct kho_ctx *c, const char *key)
{
	const struct kho_image *img = c->img;

	if (!strcmp(key, "radix-depth")) {
		if (img->radix_formula == KHO_RADIX_ORIG)
			return "orig";
		if (img->radix_formula == KHO_RADIX_PLUS1)
			return "plus1";
		return NULL;
	}
	if (!strcmp(key, "v1-bitmap-bytes")) {
		if (img->v1_bitmap_bytes == 512)
			return "512";
		if (img->v1_bitmap_bytes)
			return "page";
		return NULL;
	}
	if (!strcmp(key, "direction"))
		return img->direction[0] ? img->direction : NULL;
	if (!strcmp(key, "release"))
		return img->release[0] ? img->release : NULL;
	return NULL;
}

static int h_scratch(struct kho_ctx *c, size_t i, uint64_t *addr,
		     uint64_t *size)
{
	if (i >= c->img->nscratch)
		return KHO_ENOENT;
	*addr = c->img->scratch[i].addr;
	*size = c->img->scratch[i].size;
	return 0;
}

static const char *h_root_compat(struct kho_ctx *c)
{
	return c->root_compat;
}

static int h_mem_read(struct kho_ctx *c, uint64_t phys, void *buf,
		      uint64_t len)
{
	return kho_image_read(c->img, phys, buf, len);
}

static int h_mem_map(struct kho_ctx *c, uint64_t phys, uint64_t len,
		     const void **out)
{
	return kho_image_map(c->img, phys, len, out);
}

static void h_field_u64(struct kho_obj *o, const char *n, uint64_t v)
{
	kho_obj_field(o, n, KHO_F_U64, v, NULL);
}

static void h_field_hex(struct kho_obj *o, const char *n, uint64_t v)
{
	kho_obj_field(o, n, KHO_F_HEX, v, NULL);
}

static void h_field_size(struct kho_obj *o, const char *n, uint64_t v)
{
	kho_obj_field(o, n, KHO_F_SIZE, v, NULL);
}

static void h_field_str(struct kho_obj *o, const char *n, const char *s)
{
	kho_obj_field(o, n, KHO_F_STR, 0, s ? s : "");
}

static void h_field_bool(struct kho_obj *o, const char *n, int v)
{
	kho_obj_field(o, n, KHO_F_BOOL, v != 0, NULL);
}

static void h_vfinding(struct kho_ctx *c, struct kho_obj *o,
		       enum kho_severity sev, const char *check,
		       uint64_t phys, const char *fmt, va_list ap)
{
	kho_vreport(c, o, sev, check, phys, phys != 0, fmt, ap);
}

static void *h_alloc(struct kho_ctx *c, size_t size)
{
	return kho_ctx_alloc(c, size);
}

/*
 * claim_blocks of phys + i * step: through the plugin's claim_seq, else
 * through claim_blocks a chunk of addresses at a time.
 */
static int h_claim_seq_blocks(struct kho_ctx *c, uint64_t phys, uint64_t step,
			      uint8_t *order, size_t n)
{
	const struct kho_memmap_ops *ops = c->mm_ops;
	uint64_t buf[256];
	size_t i, j, m;
	int rc, claimed = 0;

	if (ops && ops->claim_seq) {
		rc = ops->claim_seq(c->mm_state, phys, step, order, n);
		if (rc >= 0)
			return rc;
		memset(order, KHO_CLAIM_NONE, n);
		return 0;
	}
	for (i = 0; i < n; i += m) {
		m = n - i < 256 ? n - i : 256;
		for (j = 0; j < m; j++)
			buf[j] = phys + (uint64_t)(i + j) * step;
		rc = kho_cov_claim_blocks(c, buf, order + i, m);
		if (rc < 0)
			return rc;
		claimed += rc;
	}
	return claimed;
}

static const struct kho_host_ops host_ops = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.page_size = h_page_size,
	.big_endian = h_big_endian,
	.option = h_option,
	.scratch = h_scratch,
	.root_compat = h_root_compat,
	.mem_read = h_mem_read,
	.mem_map = h_mem_map,
	.obj_new = kho_obj_create,
	.obj_compat = kho_obj_set_compat,
	.obj_phys = kho_obj_set_phys,
	.field_u64 = h_field_u64,
	.field_hex = h_field_hex,
	.field_size = h_field_size,
	.field_str = h_field_str,
	.field_bool = h_field_bool,
	.obj_table = kho_obj_add_table,
	.obj_path = kho_obj_get_path,
	.vfinding = h_vfinding,
	.decode_compat = kho_dispatch_blob,
	.vmalloc = kho_vmalloc_decode,
	.block_chain = kho_block_chain_walk,
	.memmap_register = kho_memmap_register,
	.expect_block = kho_cov_expect_block,
	.expect_range = kho_cov_expect_range,
	.block_at = kho_cov_block_at,
	.alloc = h_alloc,
	.claim_blocks = kho_cov_claim_blocks,
	.claim_seq_blocks = h_claim_seq_blocks,
	.vunlisted = kho_vreport_unlisted,
};

/* ------------------------------------------------------------ the run */

/* KHO_INSPECT_LIMITS (tests only): lower, never raise, the fixed limits. */
static void read_limits(struct kho_limits *l)
{
	const char *e = getenv("KHO_INSPECT_LIMITS");
	char key[16];
	unsigned long long v;
	int n;

	l->objects = KHO_MAX_OBJECTS;
	l->findings = KHO_MAX_FINDINGS;
	l->depth = KHO_MAX_DEPTH;
	l->memory = KHO_MAX_MEMORY;
	while (e && *e) {
		n = 0;
		if (sscanf(e, "%15[a-z]=%llu%n", key, &v, &n) == 2 && n > 0 &&
		    v > 1) {
			if (!strcmp(key, "objects") && v < l->objects)
				l->objects = v;
			else if (!strcmp(key, "findings") && v < l->findings)
				l->findings = v;
			else if (!strcmp(key, "depth") && v < l->depth)
				l->depth = v;
			else if (!strcmp(key, "memory") && v < l->memory)
				l->memory = v;
		}
		e = strchr(e, ',');
		if (e)
			e++;
	}
}

__attribute__((format(printf, 5, 6))) static void
report_unlisted(struct kho_ctx *c, enum kho_severity sev, const char *check,
		uint64_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kho_vreport_unlisted(c, c->root, sev, check, n, fmt, ap);
	va_end(ap);
}

static void report_no_plugins(struct kho_ctx *c)
{
	const struct kho_plugin_set *s = c->plugins;
	char dirs[512];
	size_t i, used = 0;

	dirs[0] = '\0';
	for (i = 0; i < s->nsearched && used < sizeof(dirs); i++) {
		int n = snprintf(dirs + used, sizeof(dirs) - used, "%s%s",
				 i ? ", " : "", s->searched[i]);

		if (n < 0)
			break;
		used += (size_t)n;
	}
	kho_report_nophys(c, c->root, KHO_SEV_UNKNOWN, "plugin.none-loaded",
			  "no decoder plugin was loaded (searched: %s): nothing below the root FDT can be checked; install the plugins or pass --plugin-dir",
			  used ? dirs : "no directory");
}

static void report_image_problems(struct kho_ctx *c)
{
	const struct kho_image *img = c->img;
	unsigned int s;
	size_t i;

	for (i = 0; i < img->nproblems; i++) {
		const struct kho_image_problem *p = &img->problems[i];

		if (p->phys)
			kho_report(c, c->root, p->sev, p->check, p->phys, "%s",
				   p->msg);
		else
			kho_report_nophys(c, c->root, p->sev, p->check, "%s",
					  p->msg);
	}
	/* Those past the cap still count, under the truncation note's id. */
	for (s = 0; s < KHO_SEV_COUNT; s++)
		if (img->problems_omitted[s])
			report_unlisted(c, (enum kho_severity)s,
					"image.problems-truncated",
					img->problems_omitted[s],
					"%zu more image problem%s of severity %s, not listed",
					img->problems_omitted[s],
					img->problems_omitted[s] == 1 ? "" : "s",
					kho_severity_name((enum kho_severity)s));
}

int kho_session_run_as_is(struct kho_image *img,
			  const struct kho_session_opts *o,
			  struct kho_ctx **out, char *err, size_t errlen)
{
	struct kho_ctx *c;
	int rc;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return KHO_ENOMEM;
	}
	c->cur_minor = KHO_PLUGIN_API_MINOR; /* the host itself */
	c->ops = &host_ops;
	c->img = img;
	read_limits(&c->lim);
	c->arena = kho_arena_new();
	c->plugins = calloc(1, sizeof(*c->plugins));
	if (!c->arena || !c->plugins) {
		kho_session_free(c);
		snprintf(err, errlen, "out of memory");
		return KHO_ENOMEM;
	}
	rc = kho_plugins_load(c->plugins, o ? o->plugin_dirs : NULL,
			      o ? o->no_env : 0, o ? o->no_default_dirs : 0);
	if (rc) {
		kho_session_free(c);
		snprintf(err, errlen, "out of memory while loading plugins");
		return rc;
	}
	c->root = kho_obj_create(c, NULL, KHO_KIND_ROOT, "");
	if (!c->root) {
		kho_session_free(c);
		snprintf(err, errlen, "out of memory");
		return KHO_ENOMEM;
	}
	c->mm.format = "none";
	report_image_problems(c);
	/* Without one decoder every sub-blob would read as merely unknown to
	 * us, and a broken install would pass as a clean handover. */
	if (!c->plugins->n)
		report_no_plugins(c);
	kho_page_size_report(c);
	kho_handoff_report(c);
	kho_root_decode(c);
	kho_memmap_global_checks(c);
	*out = c;
	return 0;
}

void kho_session_free(struct kho_ctx *c)
{
	if (!c)
		return;
	kho_memmap_release(c);
	if (c->root)
		kho_objtree_free(c);
	kho_findings_free(c);
	/* Plugins last: table free_state callbacks may live in them. */
	if (c->plugins) {
		kho_plugins_free(c->plugins);
		free(c->plugins);
	}
	kho_arena_free(c->arena);
	free(c);
}

static struct kho_obj *find_in(struct kho_obj *o, const char *path)
{
	struct kho_obj *ch, *r;

	if (!strcmp(o->path, path))
		return o;
	for (ch = o->first_child; ch; ch = ch->next_sibling) {
		size_t n = strlen(ch->path);

		/* Only descend where the path can continue. */
		if (strncmp(ch->path, path, n) ||
		    (path[n] != '\0' && path[n] != '/'))
			continue;
		r = find_in(ch, path);
		if (r)
			return r;
	}
	return NULL;
}

struct kho_obj *kho_session_find_path(struct kho_ctx *c, const char *path)
{
	size_t n;
	char buf[4096];

	if (!c->root || !path || !*path)
		return NULL;
	n = strlen(path);
	if (n >= sizeof(buf))
		return NULL;
	memcpy(buf, path, n + 1);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return find_in(c->root, buf);
}
