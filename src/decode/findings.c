// SPDX-License-Identifier: GPL-2.0-or-later
/* Findings: what is wrong, where, and how badly. */
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

/*
 * One finding record.  unlisted == 0: an ordinary finding.  unlisted > 0:
 * the entry a decoder writes instead of `unlisted` findings of `check` it
 * does not list one by one (its per-check cap); the totals grow by
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
