// SPDX-License-Identifier: GPL-2.0-or-later
/* Findings: what is wrong, where, and how badly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "session_internal.h"

const char *kho_severity_name(enum kho_severity s)
{
	switch (s) {
	case KHO_SEV_ERROR:
		return "error";
	case KHO_SEV_WARNING:
		return "warning";
	default:
		return "note";
	}
}

static int grow(struct kho_ctx *c)
{
	size_t cap = c->capfindings ? c->capfindings * 2 : 64;
	struct kho_finding_rec *nf;

	nf = realloc(c->findings, cap * sizeof(*nf));
	if (!nf)
		return -1;
	c->findings = nf;
	c->capfindings = cap;
	return 0;
}

void kho_vreport(struct kho_ctx *c, struct kho_obj *o, enum kho_severity sev,
		 const char *check, uint64_t phys, int has_phys,
		 const char *fmt, va_list ap)
{
	struct kho_finding_rec *f;
	char *msg = NULL;

	if (sev > KHO_SEV_ERROR)
		sev = KHO_SEV_ERROR;
	if (c->finding_limit_hit) {
		/* Counts still grow so the exit status and summary stay right. */
		c->counts[sev]++;
		return;
	}
	if (c->nfindings == c->capfindings && grow(c))
		return;
	if (c->nfindings + 1 >= c->lim.findings) {
		/* The last slot says why the list ends here. */
		c->finding_limit_hit = 1;
		c->counts[sev]++;
		sev = KHO_SEV_ERROR;
		check = "limit.findings";
		o = c->root;
		has_phys = 0;
		if (asprintf(&msg, "limit reached: more than %llu findings; later findings are only counted",
			     (unsigned long long)c->lim.findings) < 0)
			return;
	} else if (vasprintf(&msg, fmt, ap) < 0) {
		return;
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
	f->message = msg;
	c->counts[sev]++;
	if (o) {
		o->nfindings++;
		if ((int)sev > o->worst)
			o->worst = sev;
	}
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
