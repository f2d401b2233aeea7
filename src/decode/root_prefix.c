// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A root FDT that a debugfs directory shows only in part.
 *
 * Why it is a prefix (linux 7.2.13): kexec_handover.c:kho_init registers
 * out/fdt through kexec_handover_debugfs.c:kho_debugfs_blob_add, which
 * fixes the debugfs blob's size to the FDT's totalsize at that moment (the
 * root with its compatible, preserved-memory-map and kexec-metadata).
 * Every later kho_add_subtree (LUO, kho_test, ...) grows the FDT in place
 * and repacks it, but the debugfs size stays.  The file then holds the new
 * header (its totalsize is the full size) and the first part of the
 * structure block; the strings block, at the end, is cut off, so property
 * names cannot be read.  Each sub-blob is whole in sub_fdts/, by name.
 *
 * This walker reads what the prefix holds (the header, the node names,
 * properties whose name and value both lie inside it), then hands every
 * sub_fdts/ blob to its decoder.  Nothing past the prefix is read.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "session_internal.h"

#define MAX_TOKENS 65536u
#define MAX_PREFIX_NODES 4096u

struct prefix_node {
	const char *name;
	uint64_t ptr;        /* preserved-data (or fdt), when readable */
	int has_ptr;
};

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The property name at nameoff, when the strings block reaches it. */
static const char *prop_name(const uint8_t *b, uint64_t avail,
			     uint64_t strings, uint32_t nameoff)
{
	uint64_t at = strings + nameoff, i;

	if (strings >= avail || nameoff >= avail - strings)
		return NULL;
	for (i = at; i < avail; i++)
		if (!b[i])
			return (const char *)b + at;
	return NULL;
}

struct prefix_walk {
	struct kho_ctx *c;
	struct kho_obj *root;
	const uint8_t *b;
	uint64_t avail;
	struct prefix_node *nodes;
	size_t nnodes;
	const char *compat;   /* value of the first root property */
	int compat_named;     /* its name was readable */
	int cut;              /* the structure block runs past the prefix */
};

/*
 * Walk the structure block tokens inside [0, avail).  The walk ends at
 * FDT_END, at a malformed token or at the end of the prefix.
 */
static void walk_tokens(struct prefix_walk *w)
{
	const uint8_t *b = w->b;
	uint64_t pos = fdt_off_dt_struct(b);
	uint64_t strings = fdt_off_dt_strings(b);
	uint64_t end = pos + fdt_size_dt_struct(b);
	unsigned int depth = 0, ntok = 0, nroot_props = 0;
	struct prefix_node *cur = NULL;

	if (end > w->avail || end < pos) {
		end = w->avail;
		w->cut = 1;
	}
	while (pos + 4 <= end && ntok++ < MAX_TOKENS) {
		uint32_t tag = be32_at(b + pos);

		pos += 4;
		if (tag == FDT_BEGIN_NODE) {
			uint64_t s = pos;

			while (pos < end && b[pos])
				pos++;
			if (pos >= end)
				return; /* the name runs past the prefix */
			depth++;
			if (depth == 2 && w->nnodes < MAX_PREFIX_NODES) {
				cur = &w->nodes[w->nnodes++];
				cur->name = (const char *)b + s;
			}
			pos = (pos + 1 + 3) & ~(uint64_t)3;
		} else if (tag == FDT_END_NODE) {
			if (depth == 0)
				return;
			if (depth == 2)
				cur = NULL;
			depth--;
		} else if (tag == FDT_PROP) {
			uint32_t len, nameoff;
			const char *name;

			if (pos + 8 > end)
				return;
			len = be32_at(b + pos);
			nameoff = be32_at(b + pos + 4);
			pos += 8;
			if (len > end - pos)
				return; /* the value runs past the prefix */
			name = prop_name(b, w->avail, strings, nameoff);
			if (depth == 1 && nroot_props++ == 0 && len > 0 &&
			    !b[pos + len - 1] &&
			    (name ? !strcmp(name, "compatible") :
				    !strncmp((const char *)b + pos, "kho-v", 5))) {
				w->compat = (const char *)b + pos;
				w->compat_named = name != NULL;
			}
			if (depth == 2 && cur && name && len == 8 &&
			    (!strcmp(name, "preserved-data") ||
			     !strcmp(name, "fdt"))) {
				cur->ptr = fdt64_ld((const fdt64_t *)(const void *)(b + pos));
				cur->has_ptr = 1;
			}
			pos = (pos + len + 3) & ~(uint64_t)3;
		} else if (tag == FDT_NOP) {
			continue;
		} else {
			return; /* FDT_END or a malformed tag */
		}
	}
}

static const struct prefix_node *find_node(const struct prefix_walk *w,
					   const char *name)
{
	size_t i;

	for (i = 0; i < w->nnodes; i++)
		if (!strcmp(w->nodes[i].name, name))
			return &w->nodes[i];
	return NULL;
}

/* The compatible of a sub-blob that is a whole FDT, for dispatch. */
static const char *side_compat(struct kho_ctx *c, const void *data,
			       uint64_t len)
{
	const char *s;
	int l;

	if (len < sizeof(struct fdt_header) || fdt_magic(data) != FDT_MAGIC ||
	    fdt_totalsize(data) > len || fdt_check_header(data))
		return NULL;
	s = fdt_getprop(data, 0, "compatible", &l);
	if (!s || l <= 0 || s[l - 1])
		return NULL;
	return kho_ctx_strdup(c, s);
}

static void decode_side_blobs(struct prefix_walk *w)
{
	struct kho_ctx *c = w->c;
	const struct kho_image *img = c->img;
	size_t i;

	for (i = 0; i < img->nside; i++) {
		const struct kho_side_blob *sb = &img->side[i];
		const struct prefix_node *pn;
		struct kho_blob blob;
		const void *data = sb->data;

		if (!sb->name[0])
			continue;
		/* Decoders read through struct pointers: align the bytes. */
		if ((uintptr_t)data & 7) {
			void *q = kho_ctx_alloc(c, sb->len ? sb->len : 1);

			if (!q)
				return;
			memcpy(q, sb->data, sb->len);
			data = q;
		}
		memset(&blob, 0, sizeof(blob));
		blob.node_name = sb->name;
		pn = find_node(w, sb->name);
		blob.phys = pn && pn->has_ptr ? pn->ptr : 0;
		blob.size = sb->len;
		blob.data = data;
		blob.data_len = sb->len;
		blob.compat = side_compat(c, data, sb->len);
		kho_dispatch_blob(c, w->root, &blob);
	}
}

void kho_root_prefix_decode(struct kho_ctx *c, struct kho_obj *root,
			    const void *fdt, uint64_t avail)
{
	struct prefix_walk w = { .c = c, .root = root, .b = fdt,
				 .avail = avail };
	char names[512];
	size_t i, n = 0;

	w.nodes = kho_ctx_alloc(c, MAX_PREFIX_NODES * sizeof(*w.nodes));
	if (!w.nodes)
		return;
	kho_obj_field(root, "totalsize", KHO_F_SIZE, fdt_totalsize(fdt), NULL);
	kho_obj_field(root, "prefix_bytes", KHO_F_SIZE, avail, NULL);
	walk_tokens(&w);
	kho_report_nophys(c, root, KHO_SEV_NOTE, "root.debugfs-prefix",
			  "debugfs shows a prefix of the root FDT: %llu of its %u bytes. The kernel sizes out/fdt once, when it registers it at boot (linux 7.2.13 kexec_handover.c:kho_init, kexec_handover_debugfs.c:kho_debugfs_blob_add); sub-nodes added later grow the FDT but not the file, so the strings block and later nodes are cut off. Decoded: the header, what the prefix holds, and every sub_fdts/ blob",
			  (unsigned long long)avail, fdt_totalsize(fdt));
	if (w.compat) {
		kho_obj_set_compat(root, w.compat);
		c->root_compat = kho_ctx_strdup(c, w.compat);
		kho_obj_field(root, "compatible_basis", KHO_F_STR, 0,
			      w.compat_named ? "named property" :
			      "first root property (its name lies past the prefix)");
	}
	names[0] = '\0';
	for (i = 0; i < w.nnodes && n + 2 < sizeof(names); i++) {
		int r = snprintf(names + n, sizeof(names) - n, "%s%s",
				 i ? " " : "", w.nodes[i].name);

		if (r < 0)
			break;
		n += (size_t)r < sizeof(names) - n ? (size_t)r
						   : sizeof(names) - n - 1;
	}
	kho_obj_field(root, "prefix_nodes", KHO_F_STR, 0, names);
	decode_side_blobs(&w);
}
