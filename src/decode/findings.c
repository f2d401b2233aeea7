// SPDX-License-Identifier: GPL-2.0-or-later
/* Findings: what is wrong, where, and how badly. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "checks.h"
#include "consequence.h"
#include "session_internal.h"

const char *kho_severity_name(enum kho_severity s)
{
	switch (s) {
	case KHO_SEV_ERROR:
		return "error";
	case KHO_SEV_UNKNOWN:
		return "unknown";
	case KHO_SEV_WARNING:
		return "warning";
	default:
		return "note";
	}
}

int kho_severity_rank(int sev)
{
	switch (sev) {
	case KHO_SEV_NOTE:
		return 0;
	case KHO_SEV_WARNING:
		return 1;
	case KHO_SEV_UNKNOWN:
		return 2;
	case KHO_SEV_ERROR:
		return 3;
	default:
		return -1;
	}
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * Three states: a finding that exists only because the image lacks some
 * memory is "unknown", never an error or a warning, whatever severity the
 * decoder chose.  Two kinds, recognised by their stable ids:
 *  - the image does not hold what a decoder wanted to read ("*not-captured",
 *    a truncated segment): these name the missing range themselves;
 *  - a claim that memory is NOT preserved ("*-unpreserved",
 *    "*.not-preserved") made while part of the memory map itself was not
 *    captured: the block may sit under a map node the image lacks, so the
 *    claim cannot be made.  The message then names the first missing map
 *    node and how many there are.
 * *len_extra gets the suffix to append (empty when none).
 */
static enum kho_severity three_state(struct kho_ctx *c, enum kho_severity sev,
				     const char *check, uint64_t phys,
				     uint64_t weight, char *extra, size_t len)
{
	extra[0] = '\0';
	if (!check || sev == KHO_SEV_NOTE)
		return sev;
	/*
	 * A decoder reports an address outside physical memory as an error
	 * under the same id: that is broken, not missing, and stays an error.
	 */
	if ((strstr(check, "not-captured") && sev != KHO_SEV_ERROR) ||
	    !strcmp(check, "image.segment-truncated")) {
		if (!strncmp(check, "radix.", 6) || !strncmp(check, "v1.", 3)) {
			if (!c->map_gaps)
				c->map_gap_phys = phys;
			c->map_gaps += weight;
		}
		return KHO_SEV_UNKNOWN;
	}
	if (c->map_gaps && (ends_with(check, "-unpreserved") ||
			    ends_with(check, ".not-preserved"))) {
		snprintf(extra, len,
			 "; but the memory map is incomplete (%zu node%s of it not in the image, first at 0x%llx), so this cannot be told",
			 c->map_gaps, c->map_gaps == 1 ? "" : "s",
			 (unsigned long long)c->map_gap_phys);
		return KHO_SEV_UNKNOWN;
	}
	return sev;
}

static int grow(struct kho_ctx *c)
{
	size_t cap = c->capfindings ? c->capfindings * 2 : 64;
	struct kho_finding_rec *nf;

	nf = realloc(c->findings, cap * sizeof(*nf));
	if (!nf)
		return KHO_ENOMEM;
	c->findings = nf;
	c->capfindings = cap;
	return 0;
}

/* The scope's count of `check`, added on first sight; NULL without memory. */
static struct kho_cap_count *cap_count(struct kho_cap_scope *s,
				       const char *check)
{
	struct kho_cap_count *e;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].id, check))
			return &s->v[i];
	if (s->n == s->capv) {
		size_t cap = s->capv ? s->capv * 2 : 8;

		e = realloc(s->v, cap * sizeof(*e));
		if (!e)
			return NULL;
		s->v = e;
		s->capv = cap;
	}
	e = &s->v[s->n];
	memset(e, 0, sizeof(*e));
	/* A copy: a decoder may build an id in a buffer of its own. */
	e->id = strdup(check);
	if (!e->id)
		return NULL;
	e->cap = kho_check_cap(s->p, check, &e->rank);
	s->n++;
	return e;
}

/*
 * The one capping rule: whether this finding of `check` is past its cap
 * in the innermost scope, and so only counted.  Without memory for the
 * count the finding is listed: too many entries beat a wrong total.
 */
static int over_cap(struct kho_ctx *c, enum kho_severity sev,
		    const char *check)
{
	struct kho_cap_count *e;

	if (!c->cap_scope || !check)
		return 0;
	e = cap_count(c->cap_scope, check);
	if (!e || !e->cap)
		return 0;
	if (!e->count || kho_severity_rank(sev) > kho_severity_rank(e->worst))
		e->worst = sev;
	return e->count++ >= e->cap;
}

void kho_cap_scope_open(struct kho_ctx *c, struct kho_cap_scope *s,
			const struct kho_plugin *p, struct kho_obj *parent)
{
	memset(s, 0, sizeof(*s));
	s->outer = c->cap_scope;
	s->p = p;
	s->parent = parent;
	s->before = parent ? parent->last_child : NULL;
	c->cap_scope = s;
}

static int by_rank(const void *a, const void *b)
{
	const struct kho_cap_count *x = a, *y = b;

	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static void unlisted_entry(struct kho_ctx *c, struct kho_obj *o,
			   enum kho_severity sev, const char *check,
			   uint64_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kho_vreport_unlisted(c, o, sev, check, n, fmt, ap);
	va_end(ap);
}

void kho_cap_scope_close(struct kho_ctx *c, struct kho_cap_scope *s)
{
	struct kho_obj *o = NULL;
	size_t i;

	c->cap_scope = s->outer;
	/* The object the call made first below its parent: its own. */
	if (s->parent)
		o = s->before ? s->before->next_sibling :
				s->parent->first_child;
	if (!o)
		o = s->parent;
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), by_rank);
	for (i = 0; i < s->n; i++) {
		const struct kho_cap_count *e = &s->v[i];
		uint64_t more = e->count - e->cap;

		if (!e->cap || e->count <= e->cap)
			continue;
		unlisted_entry(c, o, (enum kho_severity)e->worst, e->id, more,
			       "...and %" PRIu64 " more %s finding%s", more,
			       e->id, more == 1 ? "" : "s");
	}
	for (i = 0; i < s->n; i++)
		free((char *)s->v[i].id);
	free(s->v);
	s->v = NULL;
	s->n = s->capv = 0;
}

/*
 * One finding record.  unlisted == 0: an ordinary finding, subject to its
 * id's cap.  unlisted > 0: the entry that stands for `unlisted` findings of
 * `check` not listed one by one (the closing entry of a cap, or one a
 * decoder of API 1.4 or 1.5 writes for its own cap); the totals grow by
 * `unlisted`, not by one, so that the summary carries the true count.
 */
static void vreport(struct kho_ctx *c, struct kho_obj *o,
		    enum kho_severity sev, const char *check, uint64_t phys,
		    int has_phys, uint64_t unlisted, const char *fmt,
		    va_list ap)
{
	struct kho_finding_rec *f;
	char *msg = NULL, extra[160];
	uint64_t weight = unlisted ? unlisted : 1;
	enum kho_cq cq;

	if ((int)sev < 0 || sev > KHO_SEV_UNKNOWN)
		sev = KHO_SEV_ERROR;
	/*
	 * Before anything else looks at it: a finding past its id's cap
	 * reaches neither the memory-map gap count nor the totals until the
	 * closing entry carries it there.
	 */
	if (!unlisted && over_cap(c, sev, check))
		return;
	sev = three_state(c, sev, check, phys, weight, extra, sizeof(extra));
	if (sev == KHO_SEV_UNKNOWN) {
		/* Memory the image lacks: nothing can be said of the kernel. */
		cq = KHO_CQ_UNKNOWN;
	} else {
		const struct kho_cq_rule *r =
			kho_cq_lookup(check, o, c->root ? c->root->compat : NULL,
				      c->cq_subnode);

		cq = r ? r->cq : KHO_CQ_UNKNOWN;
		sev = kho_cq_severity(cq, sev);
	}
	/*
	 * --ignore / --error (checks.h), here where every finding passes, so
	 * that every command sees the same.  After three_state so that an
	 * ignored gap in the memory map still qualifies the claims it affects.
	 */
	switch (kho_checks_filter(check)) {
	case KHO_CHECK_IGNORE:
		return;
	case KHO_CHECK_ERROR:
		sev = KHO_SEV_ERROR;
		break;
	default:
		break;
	}
	if (c->finding_limit_hit) {
		/* Counts still grow so the exit status and summary stay right. */
		c->counts[sev] += weight;
		return;
	}
	if (c->nfindings == c->capfindings && grow(c))
		return;
	if (c->nfindings + 1 >= c->lim.findings) {
		/* The last slot says why the list ends here. */
		c->finding_limit_hit = 1;
		c->counts[sev] += weight;
		sev = KHO_SEV_ERROR;
		cq = KHO_CQ_UNKNOWN;
		check = "limit.findings";
		o = c->root;
		has_phys = 0;
		unlisted = 0;
		weight = 1;
		if (asprintf(&msg, "limit reached: more than %llu findings; later findings are only counted",
			     (unsigned long long)c->lim.findings) < 0)
			return;
	} else if (vasprintf(&msg, fmt, ap) < 0) {
		return;
	} else if (extra[0]) {
		char *m2;

		if (asprintf(&m2, "%s%s", msg, extra) < 0) {
			free(msg);
			return;
		}
		free(msg);
		msg = m2;
	}
	f = &c->findings[c->nfindings++];
	f->sev = sev;
	/* Not kho_ctx_strdup: limit.memory must still be reportable. */
	f->check = kho_arena_strdup(c->arena, check ? check : "unknown");
	if (!f->check)
		f->check = "unknown";
	f->obj = o;
	f->path = o ? o->path : "/";
	f->phys = phys;
	f->has_phys = has_phys;
	f->unlisted = unlisted;
	f->message = msg;
	f->cq = cq;
	c->counts[sev] += weight;
	if (o) {
		o->nfindings++;
		if (kho_severity_rank(sev) > kho_severity_rank(o->worst))
			o->worst = sev;
	}
}

void kho_vreport(struct kho_ctx *c, struct kho_obj *o, enum kho_severity sev,
		 const char *check, uint64_t phys, int has_phys,
		 const char *fmt, va_list ap)
{
	vreport(c, o, sev, check, phys, has_phys, 0, fmt, ap);
}

void kho_vreport_unlisted(struct kho_ctx *c, struct kho_obj *o,
			  enum kho_severity sev, const char *check,
			  uint64_t n, const char *fmt, va_list ap)
{
	if (!n)
		return;
	vreport(c, o, sev, check, 0, 0, n, fmt, ap);
}

void kho_findings_counts(const struct kho_ctx *c, struct kho_counts *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < KHO_SEV_COUNT; i++)
		out->total[i] = c->counts[i];
	for (i = 0; i < c->nfindings; i++)
		if (!c->findings[i].unlisted &&
		    (unsigned int)c->findings[i].sev < KHO_SEV_COUNT)
			out->listed[c->findings[i].sev]++;
}

void kho_report(struct kho_ctx *c, struct kho_obj *o, enum kho_severity sev,
		const char *check, uint64_t phys, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kho_vreport(c, o, sev, check, phys, 1, fmt, ap);
	va_end(ap);
}

void kho_report_nophys(struct kho_ctx *c, struct kho_obj *o,
		       enum kho_severity sev, const char *check,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kho_vreport(c, o, sev, check, 0, 0, fmt, ap);
	va_end(ap);
}

void kho_findings_free(struct kho_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nfindings; i++)
		free(c->findings[i].message);
	free(c->findings);
	c->findings = NULL;
	c->nfindings = c->capfindings = 0;
}
