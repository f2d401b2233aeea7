// SPDX-License-Identifier: GPL-2.0-or-later
/* Verdicts of an image's compat strings against a target table. */
#include "compat_check.h"
#include "base/human_size.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode/checks.h"
#include "decode/compat.h"
#include "decode/consequence.h"
#include "decode/plugins.h"
#include "decode/session.h"
#include "target_decompress.h"
#include "target_elf.h"

/*
 * Strings the core and the LUO/memblock decoders check themselves, and the
 * FLB names CONFIG_LIVEUPDATE_TEST registers on every file handler
 * (lib/tests/liveupdate.c): the LUO decoder reads any FLB entry, and
 * listing them here gives the target scan their family.
 */
static const char *const core_strings[] = {
	"kho-v1", "kho-v2", "kho-v3", "kho-v4", "kho-v4;radix-v1;vmalloc-v1",
	"radix-v1", "vmalloc-v1", "block-v1",
	"luo-session-v1", "luo-session-v2", "luo-flb-v1", "reserve-mem-v1",
	"liveupdate-test-flb-v0", "liveupdate-test-flb-v1",
	"liveupdate-test-flb-v2",
	NULL,
};

#define KEXEC_META_NAME "kexec-metadata"
#define KEXEC_META_VERSION 1
#define TEST_FLB_FAMILY "liveupdate-test-flb-v"

const char *kho_cc_role_name(enum kho_cc_role r)
{
	switch (r) {
	case KHO_CC_ROOT:
		return "root";
	case KHO_CC_SUBFDT:
		return "sub-fdt";
	case KHO_CC_LUO:
		return "luo";
	case KHO_CC_HANDLER:
		return "file-handler";
	case KHO_CC_FLB:
		return "flb";
	case KHO_CC_MEMBLOCK:
		return "memblock";
	case KHO_CC_KEXEC_META:
		return "kexec-metadata";
	}
	return "?";
}

const char *kho_cc_verdict_name(enum kho_cc_verdict v)
{
	switch (v) {
	case KHO_CC_SUPPORTED:
		return "supported";
	case KHO_CC_UNSUPPORTED:
		return "unsupported";
	case KHO_CC_UNKNOWN:
		return "unknown-to-inspector";
	case KHO_CC_UNDETERMINED:
		return "undetermined";
	}
	return "?";
}

static char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

void kho_cc_free(struct kho_cc_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].compat);
		free(r->v[i].name);
		free(r->v[i].path);
		free(r->v[i].regions);
		free(r->v[i].consequence);
		free(r->v[i].difference);
	}
	for (i = 0; i < r->nf; i++) {
		free(r->f[i].path);
		free(r->f[i].compat);
		free(r->f[i].message);
	}
	free(r->v);
	free(r->f);
	free(r);
}

/* ------------------------------------------------------------- collect */

struct walk {
	struct kho_cc_report *r;
	int nomem;
};

static struct kho_cc_entry *entry_get(struct walk *w, const char *name,
				      int has_version, uint64_t version,
				      enum kho_cc_role role,
				      const struct kho_obj *o)
{
	struct kho_cc_report *r = w->r;
	struct kho_cc_entry *e;
	size_t i;

	for (i = 0; i < r->n; i++) {
		e = &r->v[i];
		if (e->role == role && e->has_version == has_version &&
		    !strcmp(e->name, name) &&
		    (!has_version || e->version == version)) {
			e->nobjs++;
			return e;
		}
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct kho_cc_entry *v = realloc(r->v, cap * sizeof(*v));

		if (!v) {
			w->nomem = 1;
			return NULL;
		}
		r->v = v;
		r->cap = cap;
	}
	e = &r->v[r->n];
	memset(e, 0, sizeof(*e));
	e->name = strdup(name);
	e->compat = has_version ? xasprintf("%s=%" PRIu64, name, version)
				: strdup(name);
	e->path = strdup(o && o->path ? o->path : "/");
	if (!e->name || !e->compat || !e->path) {
		free(e->name);
		free(e->compat);
		free(e->path);
		w->nomem = 1;
		return NULL;
	}
	e->has_version = has_version;
	e->version = version;
	e->role = role;
	e->nobjs = 1;
	e->sev = -1;
	r->n++;
	return e;
}

static void add_region(struct walk *w, struct kho_cc_entry *e,
		       const char *name)
{
	char *n = e->regions ? xasprintf("%s, %s", e->regions, name)
			     : strdup(name);

	if (!n) {
		w->nomem = 1;
		return;
	}
	free(e->regions);
	e->regions = n;
}

static const struct kho_field *field(const struct kho_obj *o, const char *n)
{
	return kho_obj_find_field(o, n);
}

/* Bytes a file carries: the first "size" field of its payload. */
static uint64_t file_bytes(const struct kho_obj *o)
{
	const struct kho_obj *ch;

	for (ch = o->first_child; ch; ch = ch->next_sibling) {
		const struct kho_field *f = field(ch, "size");

		if (f && (f->type == KHO_F_SIZE || f->type == KHO_F_U64))
			return f->u;
	}
	for (ch = o->first_child; ch; ch = ch->next_sibling)
		if (ch->size && strcmp(ch->kind, "block-chain"))
			return ch->size;
	return 0;
}

static uint64_t region_bytes(const struct kho_obj *o)
{
	const struct kho_field *f = field(o, "size");

	return f ? f->u : o->size;
}

static const struct kho_obj *session_of(const struct kho_obj *o)
{
	for (; o; o = o->parent)
		if (!strcmp(o->kind, KHO_KIND_LUO_SESSION))
			return o;
	return NULL;
}

static void visit(struct walk *w, struct kho_ctx *c, const struct kho_obj *o)
{
	struct kho_cc_report *r = w->r;
	struct kho_cc_entry *e = NULL;
	const struct kho_obj *ch;
	const struct kho_field *f;

	if (w->nomem)
		return;
	if (o == kho_session_root(c)) {
		const char *rc = o->compat ? o->compat :
					     kho_session_root_compat(c);

		if (rc)
			e = entry_get(w, rc, 0, 0, KHO_CC_ROOT, o);
		if (e)
			e->bytes = kho_session_memmap(c)->bytes;
	} else if (!strcmp(o->kind, "luo") && o->depth == 1) {
		if (o->compat)
			entry_get(w, o->compat, 0, 0, KHO_CC_LUO, o);
		f = field(o, KHO_KIND_LUO_SESSION);
		if (f && f->type == KHO_F_STR && f->s)
			entry_get(w, f->s, 0, 0, KHO_CC_LUO, o);
		if (o->compat && !strcmp(o->compat, "luo-v1") &&
		    field(o, "luo-flb-header"))
			entry_get(w, "luo-flb-v1", 0, 0, KHO_CC_LUO, o);
	} else if (!strcmp(o->kind, "memblock")) {
		if (o->compat) {
			e = entry_get(w, o->compat, 0, 0, KHO_CC_MEMBLOCK, o);
			for (ch = o->first_child; e && ch;
			     ch = ch->next_sibling) {
				if (strcmp(ch->kind, KHO_KIND_RESERVE_MEM))
					continue;
				add_region(w, e, ch->name);
				e->bytes += region_bytes(ch);
			}
		}
	} else if (!strcmp(o->kind, KHO_KIND_RESERVE_MEM)) {
		if (o->compat) {
			e = entry_get(w, o->compat, 0, 0, KHO_CC_MEMBLOCK, o);
			if (e) {
				add_region(w, e, o->name);
				e->bytes += region_bytes(o);
			}
		}
	} else if (!strcmp(o->kind, "kexec-metadata")) {
		f = field(o, "version");
		if (f)
			entry_get(w, KEXEC_META_NAME, 1, f->u,
				  KHO_CC_KEXEC_META, o);
	} else if (!strcmp(o->kind, KHO_KIND_LUO_SESSION)) {
		r->sessions++;
	} else if (!strcmp(o->kind, KHO_KIND_LUO_FILE)) {
		uint64_t b = file_bytes(o);

		r->files++;
		r->file_bytes += b;
		if (o->compat) {
			e = entry_get(w, o->compat, 0, 0, KHO_CC_HANDLER, o);
			if (e) {
				const struct kho_obj *s = session_of(o);

				e->files++;
				e->bytes += b;
				if (s && s != e->last_session)
					e->sessions++;
				e->last_session = s;
			}
		}
	} else if (!strcmp(o->kind, KHO_KIND_LUO_FLB)) {
		if (o->compat)
			entry_get(w, o->compat, 0, 0, KHO_CC_FLB, o);
	} else if (o->depth == 1 && o->compat &&
		   strcmp(o->kind, "memory-map") &&
		   strcmp(o->kind, "unattributed")) {
		e = entry_get(w, o->compat, 0, 0, KHO_CC_SUBFDT, o);
		if (e)
			e->bytes += o->size;
	}
	for (ch = o->first_child; ch && !w->nomem; ch = ch->next_sibling)
		visit(w, c, ch);
}

static void mark_declared(struct kho_ctx *c, struct kho_cc_report *r)
{
	const struct kho_plugin_set *ps = kho_session_plugins(c);
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct kho_cc_entry *e = &r->v[i];

		if (e->has_version) {
			/* Declared when a plugin decodes the node, version 1. */
			size_t k;

			for (k = 0; ps && k < ps->n; k++) {
				const char *const *nn = ps->v[k].p->node_names;

				for (; nn && *nn; nn++)
					if (!strcmp(*nn, e->name))
						e->declared = e->version ==
							      KEXEC_META_VERSION;
			}
			continue;
		}
		e->declared = kho_cc_declared(ps, e->name);
	}
}

int kho_cc_collect(struct kho_ctx *c, struct kho_cc_report **out)
{
	struct kho_cc_report *r = calloc(1, sizeof(*r));
	struct walk w = { r, 0 };
	struct kho_obj *root = kho_session_root(c);
	const struct kho_finding_rec *recs;
	size_t i, n;

	*out = NULL;
	if (!r)
		return KHO_ENOMEM;
	if (root)
		visit(&w, c, root);
	if (w.nomem) {
		kho_cc_free(r);
		return KHO_ENOMEM;
	}
	r->preserved_bytes = kho_session_memmap(c)->bytes;
	recs = kho_session_findings(c, &n);
	for (i = 0; i < n; i++)
		if (recs[i].check &&
		    !strcmp(recs[i].check, "luo.not-serialized"))
			r->luo_unserialized = 1;
	mark_declared(c, r);
	*out = r;
	return 0;
}

/* --------------------------------------------------------------- check */

static int add_finding(struct kho_cc_report *r, enum kho_severity sev,
		       int cq, const char *check, const char *path,
		       const char *compat, char *msg)
{
	struct kho_cc_finding *f;

	if (!msg)
		return KHO_ENOMEM;
	/* --ignore / --error, as findings.c does for the image's findings. */
	switch (kho_checks_filter(check)) {
	case KHO_CHECK_IGNORE:
		free(msg);
		return 0;
	case KHO_CHECK_ERROR:
		sev = KHO_SEV_ERROR;
		break;
	default:
		break;
	}
	if (r->nf == r->capf) {
		size_t cap = r->capf ? r->capf * 2 : 16;
		struct kho_cc_finding *v = realloc(r->f, cap * sizeof(*v));

		if (!v) {
			free(msg);
			return KHO_ENOMEM;
		}
		r->f = v;
		r->capf = cap;
	}
	f = &r->f[r->nf];
	f->sev = sev;
	f->cq = cq;
	f->check = check;
	f->path = strdup(path ? path : "/");
	f->compat = strdup(compat ? compat : "");
	f->message = msg;
	if (!f->path || !f->compat) {
		free(f->path);
		free(f->compat);
		free(msg);
		return KHO_ENOMEM;
	}
	r->nf++;
	r->counts[sev]++;
	return 0;
}

static const char *unsupported_check(enum kho_cc_role role)
{
	switch (role) {
	case KHO_CC_ROOT:
		return "compat.unsupported-root";
	case KHO_CC_SUBFDT:
		return "compat.unsupported-subfdt";
	case KHO_CC_LUO:
		return "compat.unsupported-luo";
	case KHO_CC_HANDLER:
		return "compat.unsupported-handler";
	case KHO_CC_FLB:
		return "compat.unsupported-flb";
	case KHO_CC_MEMBLOCK:
		return "compat.unsupported-memblock";
	case KHO_CC_KEXEC_META:
		return "compat.unsupported-kexec-metadata";
	}
	return "compat.unsupported";
}

static int is_test_flb(const struct kho_cc_entry *e)
{
	return e->role == KHO_CC_FLB && kho_tt_in_family(e->name, TEST_FLB_FAMILY);
}

/*
 * How bad a mismatch is.  kexec-metadata: the next kernel warns and
 * ignores the blob.  FLB: LUO looks up, by name, only the FLBs the next
 * kernel registers (luo_flb_retrieve_one); an entry none of them names is
 * never read, and no file's restore depends on it, so its global state is
 * dropped but nothing else fails.  The test FLBs carry only a constant
 * handle, so dropping them loses nothing.
 */
static enum kho_severity entry_severity(const struct kho_cc_entry *e)
{
	switch (e->role) {
	case KHO_CC_KEXEC_META:
		return KHO_SEV_WARNING;
	case KHO_CC_FLB:
		return is_test_flb(e) ? KHO_SEV_NOTE : KHO_SEV_WARNING;
	default:
		return KHO_SEV_ERROR;
	}
}

/*
 * The same judgement as a consequence class (consequence.h).  Sources, all
 * Debian linux-source-7.2: root: kernel/liveupdate/kexec_handover.c
 * kho_populate() disables KHO on a compatible mismatch; LUO:
 * luo_core.c luo_early_startup() -EINVAL, then luo_restore_fail() = panic();
 * handler: luo_file.c luo_file_deserialize_one() -ENOENT, luo_open() -EIO;
 * FLB: luo_flb.c restores only registered FLBs, so the pages of another
 * are preserved and never freed; memblock: mm/memblock.c restores no
 * reserve_mem region from a node it does not know; kexec-metadata:
 * kexec_core.c warns and ignores the blob.
 */
static enum kho_cq entry_cq(const struct kho_cc_entry *e)
{
	switch (e->role) {
	case KHO_CC_ROOT:
		return KHO_CQ_ALL_LOST;
	case KHO_CC_LUO:
		return KHO_CQ_PANIC;
	case KHO_CC_HANDLER:
		return KHO_CQ_FILE_EIO;
	case KHO_CC_FLB:
		return is_test_flb(e) ? KHO_CQ_NONE : KHO_CQ_MEMORY_LEAKED;
	case KHO_CC_MEMBLOCK:
		return e->regions ? KHO_CQ_DATA_LOST : KHO_CQ_NONE;
	case KHO_CC_KEXEC_META:
		return KHO_CQ_WARNING_ONLY;
	case KHO_CC_SUBFDT:
		return KHO_CQ_DATA_LOST;
	}
	return KHO_CQ_UNKNOWN;
}

/* What the kexec-metadata reader does with a version it does not accept. */
#define KEXEC_META_DROPPED \
	"only the previous release and the kexec count are not carried over (the count restarts at 1), nothing preserved is lost"

static char *kexec_meta_consequence(const struct kho_cc_entry *e,
				    const struct kho_tt_entry *te)
{
	if (te && te->version == KHO_TT_VERSION_UNKNOWN)
		return xasprintf("if it is not %" PRIu64 ", the next boot logs \"kexec-metadata version %" PRIu64
				 " not supported\" and ignores the blob: " KEXEC_META_DROPPED,
				 e->version, e->version);
	if (te)
		return xasprintf("the next boot logs \"kexec-metadata version %" PRIu64
				 " not supported (expected %" PRIu64 ")\" and ignores the blob: " KEXEC_META_DROPPED,
				 e->version, te->version);
	return xasprintf("the target lists no kexec-metadata version: a kernel that does not read kexec-metadata ignores the blob, one that takes another version logs \"kexec-metadata version %" PRIu64
			 " not supported\" and ignores it: " KEXEC_META_DROPPED,
			 e->version);
}

static char *consequence(const struct kho_cc_entry *e,
			 const struct kho_target_table *t)
{
	char hs[KHO_HUMAN_SIZE_MAX];

	switch (e->role) {
	case KHO_CC_ROOT:
		return strdup("KHO revival disabled: every preserved page is lost");
	case KHO_CC_LUO:
		return strdup("the next kernel panics during boot");
	case KHO_CC_HANDLER:
		return xasprintf("session retrieval fails with EIO; %" PRIu64
				 " file%s, %s lost (deserialization is all or nothing: every session becomes unavailable)",
				 e->files, e->files == 1 ? "" : "s",
				 kho_human_size(hs, sizeof(hs), e->bytes));
	case KHO_CC_FLB:
		if (is_test_flb(e))
			return xasprintf("the kernel ignores an FLB it does not register, and %s is a CONFIG_LIVEUPDATE_TEST FLB whose data is a constant handle: nothing is lost, files and sessions are restored",
					 e->name);
		return xasprintf("the kernel ignores an FLB it does not register: the global state of %s is never retrieved; sessions are still restored, and a handler that wants this state for its files finds none",
				 e->name);
	case KHO_CC_MEMBLOCK:
		if (e->regions && strchr(e->regions, ','))
			return xasprintf("reserve_mem regions %s are reallocated, contents lost",
					 e->regions);
		if (e->regions)
			return xasprintf("reserve_mem region %s is reallocated, contents lost",
					 e->regions);
		return strdup("no reserve_mem region is preserved, nothing is lost");
	case KHO_CC_KEXEC_META:
		return kexec_meta_consequence(e, kho_tt_find_name(t, e->name));
	case KHO_CC_SUBFDT:
		return xasprintf("the owner of sub-node %s cannot restore it; its preserved state is lost",
				 e->path[0] == '/' ? e->path + 1 : e->path);
	}
	return strdup("");
}

/* Which part of the nearest target string differs, or NULL. */
static char *difference(const struct kho_cc_entry *e,
			const struct kho_target_table *t)
{
	struct kho_compat_parts im, tp;
	char fam[KHO_TT_MAX_STRING + 1];
	const struct kho_tt_entry *same_base = NULL, *same_fam = NULL;
	size_t i, k;
	char out[1024];
	size_t o = 0;

	if (e->has_version) {
		const struct kho_tt_entry *te = kho_tt_find_name(t, e->name);

		if (!te)
			return NULL;
		return xasprintf("target has %s=%" PRIu64 ", image needs %s",
				 te->name, te->version, e->compat);
	}
	if (kho_compat_split(e->name, &im))
		return NULL;
	for (i = 0; i < t->n; i++) {
		const struct kho_tt_entry *te = &t->v[i];

		if (te->has_version || kho_compat_split(te->name, &tp))
			continue;
		if (!strcmp(tp.base, im.base)) {
			if (!same_base || strchr(te->name, ';'))
				same_base = te;
		} else if (!same_fam &&
			   !kho_tt_family(im.base, fam, sizeof(fam)) &&
			   kho_tt_in_family(tp.base, fam) &&
			   (tp.ncomp || !im.ncomp)) {
			same_fam = te;
		}
	}
	if (!same_base && !same_fam) {
		if (!kho_tt_family(im.base, fam, sizeof(fam)))
			for (i = 0; i < t->n; i++)
				if (!t->v[i].has_version &&
				    kho_tt_in_family(t->v[i].name, fam))
					same_fam = &t->v[i];
		if (!same_fam)
			return NULL;
	}
	if (!same_base) {
		kho_compat_split(same_fam->name, &tp);
		return xasprintf("target has %s, image needs %s", tp.base,
				 im.base);
	}
	kho_compat_split(same_base->name, &tp);
	out[0] = '\0';
	for (i = 0; i < im.ncomp; i++) {
		const char *repl = NULL;
		int found = 0;

		for (k = 0; k < tp.ncomp; k++) {
			if (!strcmp(tp.comp[k], im.comp[i]))
				found = 1;
			else if (!kho_tt_family(im.comp[i], fam, sizeof(fam)) &&
				 kho_tt_in_family(tp.comp[k], fam))
				repl = tp.comp[k];
		}
		if (found)
			continue;
		if (repl)
			o += (size_t)snprintf(out + o, sizeof(out) - o,
					      "%starget has %s, image needs %s",
					      o ? "; " : "", repl, im.comp[i]);
		else
			o += (size_t)snprintf(out + o, sizeof(out) - o,
					      "%starget has %s without %s, image needs %s",
					      o ? "; " : "", same_base->name,
					      im.comp[i], im.comp[i]);
		if (o >= sizeof(out))
			break;
	}
	for (k = 0; k < tp.ncomp && o < sizeof(out); k++) {
		int found = 0;

		for (i = 0; i < im.ncomp; i++)
			if (!strcmp(tp.comp[k], im.comp[i]) ||
			    (!kho_tt_family(im.comp[i], fam, sizeof(fam)) &&
			     kho_tt_in_family(tp.comp[k], fam)))
				found = 1;
		if (!found)
			o += (size_t)snprintf(out + o, sizeof(out) - o,
					      "%starget needs %s, image lacks it (target string %s)",
					      o ? "; " : "", tp.comp[k],
					      same_base->name);
	}
	if (!out[0]) {
		/* Same parts, other order or duplicates. */
		return xasprintf("target has %s, image has %s (same components, different order)",
				 same_base->name, e->name);
	}
	return strdup(out);
}

char *kho_cc_compare(const char *compat, const struct kho_target_table *t)
{
	struct kho_cc_entry e;
	char name[KHO_TT_MAX_STRING + 1];
	int hv;
	uint64_t ver;

	memset(&e, 0, sizeof(e));
	if (kho_tt_parse_entry(compat, name, sizeof(name), &hv, &ver))
		return NULL;
	e.name = name;
	e.compat = (char *)(uintptr_t)compat;
	e.has_version = hv;
	e.version = ver;
	return difference(&e, t);
}

static int only_inferred(const struct kho_target_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].source != KHO_TT_SRC_RODATA &&
		    t->v[i].source != KHO_TT_SRC_FEATURES)
			return 0;
	return 1;
}

static char *scope(const struct kho_cc_entry *e)
{
	switch (e->role) {
	case KHO_CC_HANDLER:
		return xasprintf("file handler, %" PRIu64 " file%s in %" PRIu64
				 " session%s",
				 e->files, e->files == 1 ? "" : "s",
				 e->sessions, e->sessions == 1 ? "" : "s");
	case KHO_CC_MEMBLOCK:
		return xasprintf("memblock%s%s", e->regions ? ", regions " : "",
				 e->regions ? e->regions : "");
	case KHO_CC_FLB:
		return strdup("FLB");
	case KHO_CC_SUBFDT:
		return xasprintf("sub-FDT %s", e->path);
	default:
		return strdup(kho_cc_role_name(e->role));
	}
}

static int judge(struct kho_cc_report *r, struct kho_cc_entry *e,
		 const struct kho_target_table *t, int inferred_only)
{
	char *sc, *msg;
	int rc;

	const struct kho_tt_entry *te = NULL;

	e->match = e->has_version ? kho_tt_find_version(t, e->name, e->version)
				  : kho_tt_find(t, e->name);
	if (e->match) {
		e->verdict = KHO_CC_SUPPORTED;
		e->sev = -1;
		r->nsupported++;
		return 0;
	}
	if (e->has_version)
		te = kho_tt_find_name(t, e->name);
	e->consequence = consequence(e, t);
	if (!te || te->version != KHO_TT_VERSION_UNKNOWN)
		e->difference = difference(e, t);
	if (!e->consequence)
		return KHO_ENOMEM;
	if (te && te->version == KHO_TT_VERSION_UNKNOWN) {
		/* The kernel reads the blob; which version it takes is code. */
		e->verdict = KHO_CC_UNDETERMINED;
		e->sev = KHO_SEV_NOTE;
		e->cq = KHO_CQ_UNKNOWN;
		e->check = "compat.undetermined-kexec-metadata";
		r->nundetermined++;
	} else if (e->declared || e->role == KHO_CC_KEXEC_META ||
		   e->role == KHO_CC_FLB) {
		/*
		 * What the kernel does with a kexec-metadata version or an FLB
		 * it does not know is known, whether or not a plugin decodes it.
		 */
		e->verdict = KHO_CC_UNSUPPORTED;
		e->sev = entry_severity(e);
		e->cq = entry_cq(e);
		e->check = unsupported_check(e->role);
		r->nunsupported++;
	} else {
		e->verdict = KHO_CC_UNKNOWN;
		e->sev = inferred_only ? KHO_SEV_WARNING : entry_severity(e);
		e->cq = inferred_only ? KHO_CQ_UNKNOWN : entry_cq(e);
		e->check = "compat.unknown-to-inspector";
		r->nunknown++;
		if (entry_severity(e) == KHO_SEV_ERROR)
			r->nunknown_severe++;
	}
	sc = scope(e);
	if (!sc)
		return KHO_ENOMEM;
	if (e->verdict == KHO_CC_UNDETERMINED)
		msg = xasprintf("%s (%s): the target reads %s, but the version it accepts is a constant in its code that the table cannot show; %s",
				e->compat, sc, e->name, e->consequence);
	else if (e->verdict == KHO_CC_UNSUPPORTED && e->role == KHO_CC_FLB)
		msg = xasprintf("%s (%s) is not registered by the target: %s",
				e->compat, sc, e->consequence);
	else if (e->verdict == KHO_CC_UNSUPPORTED)
		msg = xasprintf("%s (%s) is not supported by the target: %s%s%s",
				e->compat, sc, e->consequence,
				e->difference ? "; " : "",
				e->difference ? e->difference : "");
	else if (inferred_only)
		msg = xasprintf("%s (%s) is declared by no loaded plugin, and the target table, inferred from strings, cannot tell whether the kernel supports it; if not: %s",
				e->compat, sc, e->consequence);
	else
		msg = xasprintf("%s (%s) is declared by no loaded plugin and the target does not list it: %s%s%s",
				e->compat, sc, e->consequence,
				e->difference ? "; " : "",
				e->difference ? e->difference : "");
	free(sc);
	rc = add_finding(r, (enum kho_severity)e->sev, e->cq, e->check, e->path,
			 e->compat, msg);
	if (rc)
		return rc;
	if (e->difference)
		rc = add_finding(r, KHO_SEV_NOTE, e->cq,
				 "compat.component-differs",
				 e->path, e->compat,
				 xasprintf("%s: %s", e->compat, e->difference));
	return rc;
}

static void risk(struct kho_cc_report *r)
{
	uint64_t bytes = 0, mb_all = 0, mb_regions = 0;
	int luo_lost = 0;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct kho_cc_entry *e = &r->v[i];

		if (e->sev != KHO_SEV_ERROR)
			continue;
		switch (e->role) {
		case KHO_CC_ROOT:
			r->risk_everything = 1;
			break;
		case KHO_CC_LUO:
		case KHO_CC_HANDLER:
			/* Deserialization is all or nothing. */
			luo_lost = 1;
			break;
		case KHO_CC_MEMBLOCK:
			/* memblock-vN covers every region; don't count twice. */
			if (!strncmp(e->name, "memblock-", 9))
				mb_all += e->bytes;
			else
				mb_regions += e->bytes;
			break;
		case KHO_CC_SUBFDT:
			bytes += e->bytes;
			break;
		default:
			break;
		}
	}
	if (r->risk_everything) {
		r->risk_sessions = r->sessions;
		r->risk_files = r->files;
		r->risk_bytes = r->preserved_bytes;
		return;
	}
	if (luo_lost) {
		r->risk_sessions = r->sessions;
		r->risk_files = r->files;
		bytes += r->file_bytes;
	}
	r->risk_bytes = bytes + (mb_all > mb_regions ? mb_all : mb_regions);
}

int kho_cc_check(struct kho_ctx *c, const struct kho_target_table *t,
		 struct kho_cc_report **out)
{
	struct kho_cc_report *r;
	size_t i;
	int rc, inferred;

	rc = kho_cc_collect(c, &r);
	if (rc)
		return rc;
	inferred = only_inferred(t);
	r->table_inferred_only = inferred;
	for (i = 0; i < r->n; i++) {
		struct kho_cc_entry *e = &r->v[i];
		char why[256];

		rc = judge(r, e, t, inferred);
		if (rc)
			goto fail;
		if (!e->has_version && strchr(e->name, ';') &&
		    kho_compat_check_order(e->name, why, sizeof(why))) {
			rc = add_finding(r, KHO_SEV_ERROR, KHO_CQ_UNKNOWN,
					 "compat.composite-order", e->path,
					 e->compat,
					 xasprintf("%s (%s): %s (spec §10: components follow the base, unique and in strcmp order)",
						   e->compat,
						   kho_cc_role_name(e->role),
						   why));
			if (rc)
				goto fail;
		}
	}
	risk(r);
	r->checked = 1;
	*out = r;
	return 0;
fail:
	kho_cc_free(r);
	return rc;
}

/* ------------------------------------------------------------- families */

int kho_cc_declared(const struct kho_plugin_set *ps, const char *compat)
{
	const char *const *s;
	size_t i;

	for (s = core_strings; *s; s++)
		if (!strcmp(*s, compat))
			return 1;
	for (i = 0; ps && i < ps->n; i++)
		for (s = ps->v[i].p->compats; s && *s; s++)
			if (!strcmp(*s, compat))
				return 1;
	return 0;
}

int kho_cc_families(const struct kho_plugin_set *ps, struct kho_families *f)
{
	const char *const *s;
	size_t i;
	int rc;

	for (s = core_strings; *s; s++)
		if ((rc = kho_families_add(f, *s)))
			return rc;
	for (i = 0; ps && i < ps->n; i++)
		for (s = ps->v[i].p->compats; s && *s; s++)
			if ((rc = kho_families_add(f, *s)))
				return rc;
	/*
	 * The kernel compares the kexec-metadata version with a constant in
	 * its code; its image holds only the node name, so a kernel that
	 * reads the blob shows up as kexec-metadata=?.
	 */
	return kho_families_add_name(f, KEXEC_META_NAME);
}

int kho_cc_table_from_session(struct kho_ctx *c, struct kho_target_table *t)
{
	struct kho_cc_report *r;
	size_t i;
	int rc;

	rc = kho_cc_collect(c, &r);
	if (rc)
		return rc;
	for (i = 0; i < r->n && rc >= 0; i++)
		rc = kho_tt_add(t, r->v[i].name, r->v[i].has_version,
				r->v[i].version, KHO_TT_SRC_IMAGE, r->v[i].path);
	kho_cc_free(r);
	return rc < 0 ? rc : 0;
}

/* --------------------------------------------------------------- load */

#define MAX_TARGET_FILE ((size_t)1 << 30)

static int read_all(const char *path, uint8_t **out, size_t *len, char *err,
		    size_t errlen)
{
	size_t n = 0, cap = 1 << 16;
	uint8_t *b = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !b) {
		snprintf(err, errlen, "cannot read: %s",
			 fd < 0 ? strerror(errno) : "out of memory");
		if (fd >= 0)
			close(fd);
		free(b);
		return fd < 0 ? KHO_EIO : KHO_ENOMEM;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			uint8_t *nb;

			if (cap >= MAX_TARGET_FILE) {
				snprintf(err, errlen, "larger than %zu bytes",
					 MAX_TARGET_FILE);
				free(b);
				close(fd);
				return KHO_EFORMAT;
			}
			cap *= 2;
			nb = realloc(b, cap);
			if (!nb) {
				free(b);
				close(fd);
				snprintf(err, errlen, "out of memory");
				return KHO_ENOMEM;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read: %s",
				 strerror(errno));
			free(b);
			close(fd);
			return KHO_EIO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*out = b;
	*len = n;
	return 0;
}

static int load_image(const char *path, const struct kho_target_opts *o,
		      struct kho_target_table *t, char *err, size_t errlen)
{
	struct kho_session_opts so = { 0 };
	struct kho_image *img = NULL;
	struct kho_ctx *ctx = NULL;
	char e2[512] = "";
	int rc;

	rc = kho_image_open(path, o ? o->iopts : NULL, &img, e2, sizeof(e2));
	if (rc) {
		snprintf(err, errlen, "%s", e2[0] ? e2 : "cannot open the image");
		return rc == KHO_EFORMAT ? KHO_EFORMAT : KHO_EIO;
	}
	so.plugin_dirs = o ? o->plugin_dirs : NULL;
	rc = kho_session_run(img, &so, &ctx, e2, sizeof(e2));
	if (rc < 0) {
		snprintf(err, errlen, "%s", e2[0] ? e2 : "decoding failed");
		kho_image_close(img);
		return rc;
	}
	rc = kho_cc_table_from_session(ctx, t);
	if (!rc)
		rc = kho_tt_set_note(t, "what the kernel that wrote this hand-over image used");
	kho_session_free(ctx);
	kho_image_close(img);
	if (rc)
		snprintf(err, errlen, "out of memory");
	return rc;
}

static int families_for(const struct kho_target_opts *o,
			struct kho_families *f, char *err, size_t errlen)
{
	struct kho_plugin_set ps;
	int rc;

	memset(&ps, 0, sizeof(ps));
	rc = kho_plugins_load(&ps, o ? o->plugin_dirs : NULL, 0, 0);
	if (!rc)
		rc = kho_cc_families(&ps, f);
	kho_plugins_free(&ps);
	if (rc)
		snprintf(err, errlen, "out of memory");
	return rc;
}

static int is_text(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] == 0 || (b[i] < 0x20 && b[i] != '\n' && b[i] != '\r' &&
				  b[i] != '\t'))
			return 0;
	return 1;
}

static int load_kernel(struct kho_target_table *t, const uint8_t *b,
		       size_t n, const struct kho_target_opts *o,
		       const char *kind, char *err, size_t errlen)
{
	struct kho_families f = { 0 };
	int rc;

	rc = families_for(o, &f, err, errlen);
	if (rc)
		return rc;
	free(t->kind);
	t->kind = strdup(kind);
	if (!t->kind) {
		kho_families_free(&f);
		return KHO_ENOMEM;
	}
	if (kho_target_is_elf(b, n))
		rc = kho_target_from_elf(t, b, n, &f, err, errlen);
	else
		rc = kho_target_from_raw(t, b, n, &f, err, errlen);
	kho_families_free(&f);
	return rc < 0 ? rc : 0;
}

int kho_target_load(const char *path, const struct kho_target_opts *o,
		    struct kho_target_table **out, char *err, size_t errlen)
{
	struct kho_target_table *t;
	struct stat st;
	uint8_t *b = NULL, *un = NULL;
	size_t n = 0, unlen = 0;
	char desc[64], kind[96];
	int rc, et;

	*out = NULL;
	if (stat(path, &st)) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		return KHO_EIO;
	}
	t = kho_tt_new(path, "image");
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return KHO_ENOMEM;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = load_image(path, o, t, err, errlen);
		goto done;
	}
	rc = read_all(path, &b, &n, err, errlen);
	if (rc)
		goto done;
	et = kho_target_elf_type(b, n);
	if (et == 4 /* ET_CORE */ ||
	    (n >= 4 && !memcmp(b, "\xd0\x0d\xfe\xed", 4))) {
		free(b);
		b = NULL;
		rc = load_image(path, o, t, err, errlen);
		goto done;
	}
	if (et >= 0) {
		rc = load_kernel(t, b, n, o, "vmlinux", err, errlen);
		goto done;
	}
	if (kho_arm64_image(b, n)) {
		/* Its strings are plain: a compression magic found inside
		 * would only be a false lead. */
		rc = load_kernel(t, b, n, o, "arm64 Image", err, errlen);
		goto done;
	}
	rc = kho_kernel_unpack(b, n, &un, &unlen, desc, sizeof(desc), err,
			       errlen);
	if (rc < 0)
		goto done;
	if (rc == 1) {
		snprintf(kind, sizeof(kind), "%s %s", desc,
			 kho_target_is_elf(un, unlen) ? "vmlinux"
						      : "raw kernel image");
		rc = load_kernel(t, un, unlen, o, kind, err, errlen);
		goto done;
	}
	if (is_text(b, n)) {
		free(t->kind);
		t->kind = strdup("text");
		rc = t->kind ? kho_tt_parse_text(t, (const char *)b, n, path,
						 err, errlen)
			     : KHO_ENOMEM;
		goto done;
	}
	snprintf(err, errlen,
		 "not a text table, a kernel image (vmlinux, bzImage, arm64 Image, compressed) or a hand-over image");
	rc = KHO_EFORMAT;
done:
	free(b);
	free(un);
	if (rc) {
		if (rc == KHO_ENOMEM && !err[0])
			snprintf(err, errlen, "out of memory");
		kho_tt_free(t);
		return rc;
	}
	*out = t;
	return 0;
}
