// SPDX-License-Identifier: GPL-2.0-or-later
/* JSON rendering of a decode session: see output_json.h. */
#include <stdio.h>

#include "decode/consequence.h"
#include "output_json.h"
#include "output_plugins.h"
#include "output_text.h"

void kho_json_image(struct jsonw *w, const struct kho_ctx *c)
{
	const struct kho_image *img = kho_session_image(c);
	const char *mname;

	jsonw_start_object(w);
	if (!img) {
		jsonw_end_object(w);
		return;
	}
	jsonw_key_string(w, "format", kho_input_format_name(img->format));
	jsonw_key_u64(w, "page_size", img->page_size);
	jsonw_key_string(w, "page_size_source",
			 kho_page_size_source_name(img->page_size_source));
	jsonw_key_string(w, "byte_order", img->big_endian ? "big" : "little");
	mname = kho_machine_name(img->machine);
	if (mname)
		jsonw_key_string(w, "machine", mname);
	else if (img->machine)
		jsonw_key_u64(w, "machine", img->machine);
	else
		jsonw_key_null(w, "machine");
	jsonw_key_string(w, "release", img->release[0] ? img->release : NULL);
	jsonw_key_string(w, "direction",
			 img->direction[0] ? img->direction : NULL);
	jsonw_end_object(w);
}

void kho_json_root(struct jsonw *w, const struct kho_ctx *c)
{
	const struct kho_memmap_summary *mm = kho_session_memmap(c);
	char key[8];
	unsigned int i;

	jsonw_start_object(w);
	jsonw_key_string(w, "compatible", kho_session_root_compat(c));
	jsonw_key_string(w, "generation", kho_session_generation(c));
	jsonw_name(w, "memory_map");
	if (!mm->present) {
		jsonw_null(w);
	} else {
		jsonw_start_object(w);
		jsonw_key_string(w, "format", mm->format);
		jsonw_key_u64(w, "blocks", mm->blocks);
		jsonw_key_u64(w, "bytes", mm->bytes);
		jsonw_key_object(w, "orders");
		for (i = 0; i < 64; i++) {
			if (!mm->orders[i])
				continue;
			snprintf(key, sizeof(key), "%u", i);
			jsonw_key_u64(w, key, mm->orders[i]);
		}
		jsonw_end_object(w);
		jsonw_end_object(w);
	}
	jsonw_end_object(w);
}

static void col_value(struct jsonw *w, enum kho_col_fmt fmt, uint64_t v)
{
	if (fmt == KHO_COL_HEX)
		jsonw_hex(w, v);
	else
		jsonw_u64(w, v);
}

static void json_table(struct jsonw *w, struct kho_ctx *c,
		       const struct kho_table *tb, int no_rows)
{
	uint64_t vals[KHO_TABLE_MAX_COLS];
	uint64_t i;
	unsigned int k;

	jsonw_key_object(w, tb->name);
	jsonw_key_array(w, "columns");
	for (k = 0; k < tb->ncols; k++)
		jsonw_string(w, tb->cols[k].name);
	jsonw_end_array(w);
	jsonw_key_u64(w, "nrows", tb->nrows);
	if (!no_rows) {
		jsonw_key_array(w, "rows");
		for (i = 0; i < tb->nrows; i++) {
			if (kho_table_row(c, tb, i, vals) < 0) {
				jsonw_null(w);
				continue;
			}
			jsonw_start_array(w);
			for (k = 0; k < tb->ncols; k++)
				col_value(w, tb->cols[k].fmt, vals[k]);
			jsonw_end_array(w);
		}
		jsonw_end_array(w);
	}
	jsonw_end_object(w);
}

static void json_field(struct jsonw *w, const struct kho_field *fl)
{
	jsonw_name(w, fl->name);
	switch (fl->type) {
	case KHO_F_HEX:
		jsonw_hex(w, fl->u);
		break;
	case KHO_F_STR:
		jsonw_string(w, fl->s);
		break;
	case KHO_F_BOOL:
		jsonw_bool(w, fl->u != 0);
		break;
	default: /* KHO_F_U64, KHO_F_SIZE */
		jsonw_u64(w, fl->u);
	}
}

static void json_obj(struct jsonw *w, struct kho_ctx *c,
		     const struct kho_obj *ob, const struct kho_json_opts *o,
		     int rel)
{
	const struct kho_obj *ch;
	const struct kho_table *tb;
	unsigned int k;
	int show_children = o->max_depth < 0 || rel < o->max_depth;

	jsonw_start_object(w);
	jsonw_key_string(w, "kind", ob->kind);
	jsonw_key_string(w, "path", ob->path);
	jsonw_key_string(w, "name", ob->name);
	jsonw_key_string(w, "compatible", ob->compat);
	if (ob->has_phys)
		jsonw_key_hex(w, "phys", ob->phys);
	else
		jsonw_key_null(w, "phys");
	if (ob->size)
		jsonw_key_u64(w, "size", ob->size);
	else
		jsonw_key_null(w, "size");
	jsonw_key_object(w, "fields");
	for (k = 0; k < ob->nfields; k++)
		json_field(w, &ob->fields[k]);
	jsonw_end_object(w);
	jsonw_key_object(w, "tables");
	for (tb = ob->tables; tb; tb = tb->next)
		json_table(w, c, tb, o->no_rows);
	jsonw_end_object(w);
	jsonw_key_array(w, "children");
	if (show_children)
		for (ch = ob->first_child; ch; ch = ch->next_sibling)
			json_obj(w, c, ch, o, rel + 1);
	jsonw_end_array(w);
	if (!show_children && ob->nchildren)
		jsonw_key_u64(w, "children_omitted", ob->nchildren);
	jsonw_end_object(w);
}

void kho_json_object(struct jsonw *w, struct kho_ctx *c,
		     const struct kho_obj *ob, const struct kho_json_opts *o)
{
	json_obj(w, c, ob, o, 0);
}

void kho_json_finding(struct jsonw *w, const struct kho_finding_rec *r)
{
	jsonw_start_object(w);
	jsonw_key_string(w, "severity", kho_severity_name(r->sev));
	jsonw_key_string(w, "check", r->check);
	jsonw_key_string(w, "path", r->path);
	if (r->has_phys)
		jsonw_key_hex(w, "phys", r->phys);
	else
		jsonw_key_null(w, "phys");
	jsonw_key_string(w, "message", r->message);
	jsonw_key_string(w, "consequence", kho_cq_name((enum kho_cq)r->cq));
	if (r->unlisted)
		jsonw_key_u64(w, "unlisted", r->unlisted);
	jsonw_end_object(w);
}

void kho_json_findings(struct jsonw *w, const struct kho_ctx *c)
{
	const struct kho_finding_rec *recs;
	size_t i, n;

	recs = kho_session_findings(c, &n);
	jsonw_start_array(w);
	for (i = 0; i < n; i++)
		kho_json_finding(w, &recs[i]);
	jsonw_end_array(w);
}

void kho_json_doc_start(struct jsonw *w, const char *verdict, int exit_code)
{
	jsonw_start_object(w);
	jsonw_key_u64(w, "schema", KHO_JSON_SCHEMA);
	jsonw_key_string(w, "verdict", verdict);
	jsonw_key_u64(w, "exit", (uint64_t)exit_code);
}

static void json_sev_counts(struct jsonw *w, const size_t *n)
{
	jsonw_key_u64(w, "errors", n[KHO_SEV_ERROR]);
	jsonw_key_u64(w, "unknown", n[KHO_SEV_UNKNOWN]);
	jsonw_key_u64(w, "warnings", n[KHO_SEV_WARNING]);
	jsonw_key_u64(w, "notes", n[KHO_SEV_NOTE]);
}

void kho_json_summary(struct jsonw *w, const struct kho_ctx *c,
		      const struct kho_counts *n)
{
	const struct kho_memmap_summary *mm = kho_session_memmap(c);
	struct kho_counts own;

	if (!n) {
		kho_findings_counts(c, &own);
		n = &own;
	}
	jsonw_start_object(w);
	/* The plain counts are the totals, as "total" repeats them. */
	json_sev_counts(w, n->total);
	jsonw_key_object(w, "listed");
	json_sev_counts(w, n->listed);
	jsonw_end_object(w);
	jsonw_key_object(w, "total");
	json_sev_counts(w, n->total);
	jsonw_end_object(w);
	jsonw_key_u64(w, "unattributed_blocks",
		      mm->present ? mm->unattributed_blocks : 0);
	jsonw_key_u64(w, "unattributed_bytes",
		      mm->present ? mm->unattributed_bytes : 0);
	jsonw_end_object(w);
}

/* Every document about a session ends the same way. */
static int doc_end(struct jsonw *w, struct kho_ctx *c)
{
	jsonw_name(w, "findings");
	kho_json_findings(w, c);
	jsonw_name(w, "summary");
	kho_json_summary(w, c, NULL);
	jsonw_name(w, "plugins");
	kho_json_plugins(w, kho_session_plugins(c));
	jsonw_end_object(w);
	return jsonw_failed(w) ? KHO_EIO : 0;
}


int kho_json_dump(struct jsonw *w, struct kho_ctx *c,
		  const struct kho_json_opts *o)
{
	const struct kho_obj *start = o->start ? o->start : kho_session_root(c);

	kho_json_doc_start(w, o->verdict, o->exit_code);
	jsonw_name(w, "image");
	kho_json_image(w, c);
	jsonw_name(w, "root");
	kho_json_root(w, c);
	jsonw_key_array(w, "objects");
	if (start)
		json_obj(w, c, start, o, 0);
	jsonw_end_array(w);
	return doc_end(w, c);
}

int kho_json_check(struct jsonw *w, struct kho_ctx *c, const char *verdict,
		   int exit_code)
{
	kho_json_doc_start(w, verdict, exit_code);
	return doc_end(w, c);
}

struct memmap_json {
	struct jsonw *w;
	uint64_t page_size;
};

static int memmap_entry(void *arg, uint64_t phys, unsigned int order)
{
	struct memmap_json *m = arg;

	jsonw_start_object(m->w);
	jsonw_key_hex(m->w, "phys", phys);
	jsonw_key_u64(m->w, "order", order);
	/* A block too large for 64 bits cannot exist; say 0 rather than wrap. */
	jsonw_key_u64(m->w, "size",
		      order < 64 && (m->page_size << order) >> order ==
					    m->page_size ?
			      m->page_size << order :
			      0);
	jsonw_end_object(m->w);
	return 0;
}

int kho_json_memmap(struct jsonw *w, struct kho_ctx *c,
		    int unattributed_only, const char *verdict, int exit_code)
{
	struct memmap_json m = { w, kho_session_image(c)->page_size };
	int rc;

	kho_json_doc_start(w, verdict, exit_code);
	jsonw_key_bool(w, "unattributed_only", unattributed_only);
	jsonw_key_array(w, "blocks");
	rc = kho_session_blocks(c, unattributed_only, memmap_entry, &m);
	jsonw_end_array(w);
	jsonw_name(w, "summary");
	kho_json_summary(w, c, NULL);
	jsonw_end_object(w);
	if (jsonw_failed(w))
		return KHO_EIO;
	return rc < 0 && rc != KHO_ENOTCAPTURED && rc != KHO_ENOENT ? rc : 0;
}
