// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Live Update Orchestrator state (the "LUO" KHO sub-node), every generation
 * of kho-abi.md §8.0: the luo-v1 FDT with its session block and file arrays,
 * the luo-v2 FDT pointing at a 24-byte luo_ser, the raw luo_ser of luo-v3 ..
 * luo-v5, the RFC "luo-v5;block-v1" form and the linux-mm feature-flag form.
 * Sessions, files and FLBs become objects; each file and FLB is handed to
 * the decoder of its compatible / name.
 */
#include <inttypes.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kho/plugin.h"
#include "luo_layout.h"

#include "common/subfdt.h"

enum luo_gen {
	LUO_G_V1, /* FDT, luo-session-v1 or -v2 */
	LUO_G_V2, /* FDT + luo-abi-header -> 24-byte luo_ser */
	LUO_G_V3, /* raw 32-byte luo_ser, session block, file arrays */
	LUO_G_V4, /* sessions in a block chain */
	LUO_G_V5, /* files in block chains too */
	LUO_G_RFC, /* "luo-v5;block-v1", 40 bytes */
	LUO_G_FEAT, /* feature-flag variant, 152 bytes */
};

struct luo_st {
	struct kho_ctx *c;
	struct kho_obj *luo;
	enum luo_gen gen;
	uint64_t ps;
	size_t sess_esz;   /* 64 or 80 */
	int sess_chain;    /* sessions in a block chain (luo-v4+) */
	int files_chain;   /* files in block chains (luo-v5+) */
	uint64_t nsessions;
	uint64_t nfiles;
	uint64_t flb_count;
	int uncaptured;    /* some LUO memory was not in the image */
	int stop;          /* object limit reached */
};

/*
 * Checks that can fire once per session or file entry: the host lists this
 * many per LUO decode and counts the rest (the cap of struct kho_check).
 */
#define LUO_CAP 100

/* ---------------------------------------------------------------- helpers */

/* Map [phys, phys+len) or report why it cannot be read.  0 on success. */
static int luo_map(struct luo_st *st, struct kho_obj *o, const char *what,
		   uint64_t phys, uint64_t len, const void **p)
{
	int rc;

	if (phys == 0) {
		kho_finding(st->c, o, KHO_SEV_ERROR, "luo.bad-pointer", 0,
			    "%s pointer is 0", what);
		return KHO_EINVAL;
	}
	if (phys + len < phys) {
		kho_finding(st->c, o, KHO_SEV_ERROR, "luo.bad-pointer", phys,
			    "%s at 0x%" PRIx64 " with length %" PRIu64
			    " wraps the address space",
			    what, phys, len);
		return KHO_ERANGE;
	}
	rc = kho_map(st->c, phys, len, p);
	if (rc == KHO_ENOTCAPTURED)
		st->uncaptured = 1;
	if (rc == KHO_ENOTCAPTURED)
		kho_finding(st->c, o, KHO_SEV_WARNING, "luo.not-captured", phys,
			    "%s at 0x%" PRIx64 " (%" PRIu64
			    " bytes) is not captured in the image",
			    what, phys, len);
	else if (rc < 0)
		kho_finding(st->c, o, KHO_SEV_ERROR, "luo.bad-pointer", phys,
			    "%s at 0x%" PRIx64 " (%" PRIu64
			    " bytes) is outside physical memory",
			    what, phys, len);
	return rc;
}

static struct kho_obj *luo_new(struct luo_st *st, struct kho_obj *parent,
			       const char *kind, const char *name)
{
	struct kho_obj *o;

	if (st->stop)
		return NULL;
	o = kho_obj_new(st->c, parent, kind, name);
	if (!o)
		st->stop = 1;
	return o;
}

static int luo_collect(struct kho_ctx *c, void *arg, uint64_t index,
		       uint64_t phys, const uint8_t *entry)
{
	struct luo_evec *v = (struct luo_evec *)arg;

	(void)c;
	(void)index;
	return luo_evec_push(v, phys, entry) ? KHO_ENOMEM : 0;
}

/* Walk a block chain into v.  Returns <0 when the walk could not start. */
static int luo_chain(struct luo_st *st, struct kho_obj *parent,
		     const char *name, uint64_t first, size_t esz,
		     struct luo_evec *v, struct kho_block_chain_result *res)
{
	int rc;

	memset(v, 0, sizeof(*v));
	memset(res, 0, sizeof(*res));
	v->esz = esz;
	rc = kho_block_chain(st->c, parent, name, first, esz, luo_collect, v,
			     res);
	if (rc == KHO_ENOTCAPTURED)
		st->uncaptured = 1;
	if (v->oom)
		kho_finding(st->c, parent, KHO_SEV_WARNING, "luo.not-captured",
			    first,
			    "out of memory after %zu entries of the %s chain",
			    v->n, name);
	return rc;
}

/* ------------------------------------------------------------------ files */

/*
 * A file's handler or an FLB's owner is named by a fixed-size string: copy
 * the len bytes before its NUL into buf, tag the object with it and hand
 * the data pointer to whichever plugin claims that name.
 */
static void luo_hand_off(struct kho_ctx *c, struct kho_obj *o,
			 const uint8_t *field, size_t len, char *buf,
			 uint64_t data, uint64_t token)
{
	struct kho_blob b;

	memcpy(buf, field, len);
	buf[len] = '\0';
	kho_compat(c, o, buf);
	memset(&b, 0, sizeof(b));
	b.compat = buf;
	b.phys = data;
	b.token = token;
	kho_decode(c, o, &b);
}

static void luo_file(struct luo_st *st, struct kho_obj *so, uint64_t idx,
		     uint64_t ephys, const uint8_t *e, struct luo_kset *tokens)
{
	struct kho_ctx *c = st->c;
	char disp[4 * LUO_FILE_COMPAT_LEN + 1], compat[LUO_FILE_COMPAT_LEN + 1];
	char oname[32];
	long len = kho_strnlen_field(e, LUO_FILE_COMPAT_LEN);
	uint64_t data = kho_get_u64(c, e + LUO_FILE_DATA);
	uint64_t token = kho_get_u64(c, e + LUO_FILE_TOKEN);
	uint8_t tkey[8];
	size_t first = 0;
	int dup, i;
	struct kho_obj *o;

	for (i = 0; i < 8; i++)
		tkey[i] = (uint8_t)(token >> (8 * i));
	dup = luo_kset_add(tokens, tkey, &first);
	if (dup == 1)
		snprintf(oname, sizeof(oname), "file%" PRIu64, idx);
	else
		snprintf(oname, sizeof(oname), "%" PRIu64, token);
	o = luo_new(st, so, KHO_KIND_LUO_FILE, oname);
	if (!o)
		return;
	st->nfiles++;
	kho_phys(c, o, ephys, LUO_FILE_SZ);
	luo_escape(disp, e, LUO_FILE_COMPAT_LEN);
	kho_str(c, o, "compatible", disp);
	kho_hex(c, o, "data", data);
	kho_u64(c, o, "token", token);
	if (dup == 1)
		kho_finding(c, o, KHO_SEV_ERROR, "luo.token-duplicate", ephys,
			    "file %" PRIu64 " token %" PRIu64
			    " is already used by file %zu of this session",
			    idx, token, first);
	if (len < 0) {
		kho_finding(c, o, KHO_SEV_ERROR, "luo.file-compat-no-nul",
			    ephys, "file %" PRIu64 " compatible \"%s\" has no NUL within %u bytes",
			    idx, disp, LUO_FILE_COMPAT_LEN);
		return;
	}
	luo_hand_off(c, o, e, (size_t)len, compat, data, token);
}

/* file_set_ser {files, count} of one session. */
static void luo_files(struct luo_st *st, struct kho_obj *so, uint64_t files,
		      uint64_t count)
{
	struct kho_ctx *c = st->c;
	struct luo_kset tokens;
	struct luo_evec v;
	size_t i;

	if (files == 0) {
		if (count)
			kho_finding(c, so, KHO_SEV_ERROR, "luo.files-null-count",
				    0, "file_set_ser.files is 0 but count is %" PRIu64,
				    count);
		return;
	}
	memset(&v, 0, sizeof(v));
	v.esz = LUO_FILE_SZ;
	if (!st->files_chain) {
		uint64_t max = LUO_FILE_PGCNT * st->ps / LUO_FILE_SZ, n = count;
		const void *p;

		kho_expect_block(c, so, "file array", files, LUO_FILE_ORDER);
		if (n > max) {
			kho_finding(c, so, KHO_SEV_ERROR, "luo.file-count", files,
				    "file_set_ser.count %" PRIu64
				    " exceeds the %" PRIu64
				    " entries of the %" PRIu64 "-byte file array",
				    count, max, LUO_FILE_PGCNT * st->ps);
			n = max;
		}
		if (n == 0)
			return;
		if (luo_map(st, so, "file array", files, n * LUO_FILE_SZ, &p))
			return;
		for (i = 0; i < n; i++)
			if (luo_evec_push(&v, files + i * LUO_FILE_SZ,
					  (const uint8_t *)p + i * LUO_FILE_SZ))
				break;
	} else {
		struct kho_block_chain_result res;
		int rc = luo_chain(st, so, "file-blocks", files, LUO_FILE_SZ,
				   &v, &res);

		if (rc >= 0 && res.complete && res.nr_entries != count)
			kho_finding(c, so, KHO_SEV_ERROR, "luo.file-count", files,
				    "file_set_ser.count is %" PRIu64
				    " but the file block chain holds %" PRIu64
				    " entries",
				    count, res.nr_entries);
	}
	luo_kset_init(&tokens, 8);
	for (i = 0; i < v.n && !st->stop; i++)
		luo_file(st, so, i, v.phys[i], v.buf + i * LUO_FILE_SZ, &tokens);
	luo_kset_free(&tokens);
	luo_evec_free(&v);
}

/* --------------------------------------------------------------- sessions */

static void luo_session(struct luo_st *st, struct kho_obj *parent,
			uint64_t idx, uint64_t ephys, const uint8_t *e,
			struct luo_kset *names)
{
	struct kho_ctx *c = st->c;
	char disp[4 * LUO_SESSION_NAME_LEN + 1], oname[32];
	uint8_t key[LUO_SESSION_NAME_LEN];
	long len = kho_strnlen_field(e, LUO_SESSION_NAME_LEN);
	size_t n = len < 0 ? LUO_SESSION_NAME_LEN : (size_t)len, first = 0;
	int plain, dup;
	struct kho_obj *o;

	memset(key, 0, sizeof(key));
	memcpy(key, e, n);
	dup = luo_kset_add(names, key, &first);
	plain = luo_escape(disp, e, LUO_SESSION_NAME_LEN);
	if (dup == 1 || len <= 0 || !plain) {
		snprintf(oname, sizeof(oname), "session%" PRIu64, idx);
		o = luo_new(st, parent, KHO_KIND_LUO_SESSION, oname);
	} else {
		o = luo_new(st, parent, KHO_KIND_LUO_SESSION, disp);
	}
	if (!o)
		return;
	st->nsessions++;
	kho_phys(c, o, ephys, st->sess_esz);
	kho_str(c, o, "name", disp);
	if (len < 0)
		kho_finding(c, o, KHO_SEV_ERROR, "luo.session-name-no-nul",
			    ephys, "session %" PRIu64 " name \"%s\" has no NUL within %u bytes",
			    idx, disp, LUO_SESSION_NAME_LEN);
	if (dup == 1)
		kho_finding(c, o, KHO_SEV_ERROR, "luo.session-duplicate", ephys,
			    "session %" PRIu64 " name \"%s\" is already used by session %zu",
			    idx, disp, first);
	if (st->sess_esz == LUO_SESSION_V2_SZ) {
		uint64_t files = kho_get_u64(c, e + LUO_SESSION_FILES);
		uint64_t count = kho_get_u64(c, e + LUO_SESSION_FCOUNT);

		kho_hex(c, o, "files", files);
		kho_u64(c, o, "count", count);
		luo_files(st, o, files, count);
	}
}

static void luo_sessions_run(struct luo_st *st, struct kho_obj *so,
			     struct luo_evec *v)
{
	struct luo_kset names;
	size_t i;

	luo_kset_init(&names, LUO_SESSION_NAME_LEN);
	for (i = 0; i < v->n && !st->stop; i++)
		luo_session(st, so, i, v->phys[i], v->buf + i * v->esz, &names);
	luo_kset_free(&names);
}

/* luo-v1 .. luo-v3: one order-4 block, u64 count then the entries. */
static void luo_sessions_block(struct luo_st *st, uint64_t pa)
{
	struct kho_ctx *c = st->c;
	uint64_t bsize = LUO_SESSION_PGCNT * st->ps, max, count, n;
	struct kho_obj *so = luo_new(st, st->luo, "luo-sessions", "sessions");
	struct luo_evec v;
	const void *p;
	uint64_t i;

	if (!so)
		return;
	kho_phys(c, so, pa, bsize);
	kho_expect_block(c, so, "session block", pa, LUO_SESSION_ORDER);
	if (luo_map(st, so, "session block", pa, LUO_SESSION_HDR, &p))
		return;
	count = kho_get_u64(c, p);
	kho_u64(c, so, "count", count);
	max = (bsize - LUO_SESSION_HDR) / st->sess_esz;
	n = count;
	if (n > max) {
		kho_finding(c, so, KHO_SEV_ERROR, "luo.session-count", pa,
			    "session count %" PRIu64 " exceeds the %" PRIu64
			    " %zu-byte entries the %" PRIu64 "-byte session block holds",
			    count, max, st->sess_esz, bsize);
		n = max;
	}
	if (n == 0)
		return;
	if (luo_map(st, so, "session entries", pa + LUO_SESSION_HDR,
		    n * st->sess_esz, &p))
		return;
	memset(&v, 0, sizeof(v));
	v.esz = st->sess_esz;
	for (i = 0; i < n; i++)
		if (luo_evec_push(&v, pa + LUO_SESSION_HDR + i * st->sess_esz,
				  (const uint8_t *)p + i * st->sess_esz))
			break;
	luo_sessions_run(st, so, &v);
	luo_evec_free(&v);
}

/* luo-v4+: a block chain of 80-byte entries; 0 = no sessions. */
static void luo_sessions_chain(struct luo_st *st, uint64_t first)
{
	struct kho_obj *so = luo_new(st, st->luo, "luo-sessions", "sessions");
	struct kho_block_chain_result res;
	struct luo_evec v;

	if (!so)
		return;
	if (first == 0) {
		kho_u64(st->c, so, "count", 0);
		return;
	}
	luo_chain(st, st->luo, "session-blocks", first, LUO_SESSION_V2_SZ, &v,
		  &res);
	kho_u64(st->c, so, "count", v.n);
	luo_sessions_run(st, so, &v);
	luo_evec_free(&v);
}

static void luo_sessions(struct luo_st *st, uint64_t pa)
{
	if (st->sess_chain) {
		luo_sessions_chain(st, pa);
	} else if (pa) {
		luo_sessions_block(st, pa);
	} else {
		struct kho_obj *so =
			luo_new(st, st->luo, "luo-sessions", "sessions");

		if (so)
			kho_u64(st->c, so, "count", 0);
	}
}

/* -------------------------------------------------------------------- FLB */

static void luo_flbs(struct luo_st *st, uint64_t pa)
{
	struct kho_ctx *c = st->c;
	struct kho_obj *fo = luo_new(st, st->luo, "luo-flbs", "flbs");
	uint64_t pgcnt, count, max, n, i;
	struct luo_kset names;
	const uint8_t *p;
	const void *vp;

	if (!fo)
		return;
	kho_phys(c, fo, pa, st->ps);
	kho_expect_block(c, fo, "FLB page", pa, 0);
	if (luo_map(st, fo, "FLB page", pa, LUO_FLB_HDR, &vp))
		return;
	p = (const uint8_t *)vp;
	pgcnt = kho_get_u64(c, p);
	count = kho_get_u64(c, p + 8);
	kho_u64(c, fo, "pgcnt", pgcnt);
	kho_u64(c, fo, "count", count);
	st->flb_count = count;
	if (pgcnt != 1)
		kho_finding(c, fo, KHO_SEV_ERROR, "luo.flb-pgcnt", pa,
			    "FLB header pgcnt is %" PRIu64 ", expected 1", pgcnt);
	max = (st->ps - LUO_FLB_HDR) / LUO_FLB_SZ;
	n = count;
	if (n > max) {
		kho_finding(c, fo, KHO_SEV_ERROR, "luo.flb-count", pa,
			    "FLB count %" PRIu64 " exceeds the %" PRIu64
			    " entries of one page",
			    count, max);
		n = max;
	}
	if (n == 0)
		return;
	if (luo_map(st, fo, "FLB entries", pa + LUO_FLB_HDR, n * LUO_FLB_SZ,
		    &vp))
		return;
	p = (const uint8_t *)vp;
	luo_kset_init(&names, LUO_FLB_NAME_LEN);
	for (i = 0; i < n && !st->stop; i++) {
		const uint8_t *e = p + i * LUO_FLB_SZ;
		uint64_t ephys = pa + LUO_FLB_HDR + i * LUO_FLB_SZ;
		char disp[4 * LUO_FLB_NAME_LEN + 1], oname[32];
		char name[LUO_FLB_NAME_LEN + 1];
		uint8_t key[LUO_FLB_NAME_LEN];
		long len = kho_strnlen_field(e, LUO_FLB_NAME_LEN);
		uint64_t data = kho_get_u64(c, e + LUO_FLB_DATA);
		uint64_t refs = kho_get_u64(c, e + LUO_FLB_COUNT);
		size_t first = 0;
		int plain, dup;
		struct kho_obj *o;

		memset(key, 0, sizeof(key));
		memcpy(key, e, len < 0 ? LUO_FLB_NAME_LEN : (size_t)len);
		dup = luo_kset_add(&names, key, &first);
		plain = luo_escape(disp, e, LUO_FLB_NAME_LEN);
		if (dup == 1 || len <= 0 || !plain) {
			snprintf(oname, sizeof(oname), "flb%" PRIu64, i);
			o = luo_new(st, fo, KHO_KIND_LUO_FLB, oname);
		} else {
			o = luo_new(st, fo, KHO_KIND_LUO_FLB, disp);
		}
		if (!o)
			break;
		kho_phys(c, o, ephys, LUO_FLB_SZ);
		kho_str(c, o, "name", disp);
		kho_hex(c, o, "data", data);
		kho_u64(c, o, "count", refs);
		if (dup == 1)
			kho_finding(c, o, KHO_SEV_ERROR, "luo.flb-duplicate",
				    ephys,
				    "FLB %" PRIu64 " name \"%s\" is already used by FLB %zu",
				    i, disp, first);
		if (refs == 0)
			kho_finding(c, o, KHO_SEV_ERROR, "luo.flb-refcount",
				    ephys,
				    "FLB \"%s\" count is 0; an FLB is serialized only while files use it",
				    disp);
		if (len < 0) {
			kho_finding(c, o, KHO_SEV_ERROR, "luo.flb-name-no-nul",
				    ephys,
				    "FLB %" PRIu64 " name \"%s\" has no NUL within %u bytes",
				    i, disp, LUO_FLB_NAME_LEN);
			continue;
		}
		luo_hand_off(c, o, e, (size_t)len, name, data, refs);
	}
	luo_kset_free(&names);
}

/* ------------------------------------------------------- snapshot sanity */

static int luo_direction_in(struct kho_ctx *c)
{
	const char *d = kho_ops(c)->option ? kho_ops(c)->option(c, "direction")
					    : NULL;

	return d && !strcmp(d, "in");
}

/*
 * Counts and pointers are written at reboot (kho-abi.md §1.2): before that
 * the session count is 0 (luo-v1 .. v3), sessions_pa is 0 (luo-v3+) and the
 * FLB count is 0.  liveupdate_num is written at setup and tells nothing.  An
 * image taken in the incoming kernel was necessarily serialized.
 */
static int luo_unserialized(struct luo_st *st)
{
	/*
	 * Counts of 0 read from memory the image holds mean "not serialized
	 * yet"; counts that could not be read at all (the blocks behind
	 * sessions_pa or flbs_pa not captured, as in a debugfs capture) mean
	 * nothing, and that is reported as not captured instead.
	 */
	if (st->nsessions || st->flb_count || st->uncaptured)
		return 0;
	return !luo_direction_in(st->c);
}

static void luo_note_unserialized(struct luo_st *st)
{
	kho_finding(st->c, st->luo, KHO_SEV_NOTE, "luo.not-serialized", 0,
		    "LUO state not serialized yet: no sessions and no FLBs "
		    "recorded (counts and pointers are written at reboot; an "
		    "outgoing image taken before it has them at 0)");
}

/* ----------------------------------------------------------- luo_ser */

/* Decode sessions and FLBs of a luo_ser (luo-v2 and later). */
static void luo_ser_body(struct luo_st *st, uint64_t num, uint64_t sessions,
			 uint64_t flbs)
{
	struct kho_ctx *c = st->c;

	kho_u64(c, st->luo, "liveupdate_num", num);
	kho_hex(c, st->luo, "sessions_pa", sessions);
	kho_hex(c, st->luo, "flbs_pa", flbs);
	luo_sessions(st, sessions);
	if (flbs)
		luo_flbs(st, flbs);
	if (st->stop)
		return;
	if (luo_unserialized(st)) {
		luo_note_unserialized(st);
		return;
	}
	if (num == 0)
		kho_finding(c, st->luo, KHO_SEV_WARNING, "luo.liveupdate-num", 0,
			    "liveupdate_num is 0 but sessions or FLBs are serialized (the producer writes the incoming value + 1)");
	if (flbs == 0)
		kho_finding(c, st->luo, KHO_SEV_ERROR, "luo.bad-pointer", 0,
			    "flbs_pa is 0 (the FLB page is allocated at setup)");
}

static void luo_set_gen(struct luo_st *st, enum luo_gen g)
{
	st->gen = g;
	st->sess_esz = LUO_SESSION_V2_SZ;
	st->sess_chain = g >= LUO_G_V4;
	st->files_chain = g >= LUO_G_V5;
}

static const char *const luo_raw_compats[] = {"luo-v3", "luo-v4", "luo-v5"};

/* A raw blob: luo-v3 .. luo-v5, the RFC form, or the feature-flag form. */
static void luo_raw(struct luo_st *st, const uint8_t *p, uint64_t avail,
		    uint64_t bsize)
{
	struct kho_ctx *c = st->c;
	char disp[4 * 16 + 1];
	uint64_t need = 0, off = 0;
	size_t i;

	luo_escape(disp, p, avail < 16 ? (size_t)avail : 16);
	if (avail >= 16 && !memcmp(p, "luo-v5;block-v1", 16)) {
		luo_set_gen(st, LUO_G_RFC);
		need = LUO_SER_RFC_SZ;
		off = 16;
	} else if (avail >= 8) {
		for (i = 0; i < 3; i++) {
			char want[8];

			memset(want, 0, sizeof(want));
			memcpy(want, luo_raw_compats[i], 6);
			/*
			 * Bytes after the NUL are a separate finding: a
			 * kernel that compares with strncmp never sees them.
			 */
			if (!memcmp(p, want, 7)) {
				luo_set_gen(st, (enum luo_gen)(LUO_G_V3 + i));
				need = LUO_SER_V3_SZ;
				off = 8;
				if (p[7])
					kho_finding(c, st->luo, KHO_SEV_ERROR,
						    "luo.compat-padding", 0,
						    "luo_ser.compatible \"%s\" has bytes after its NUL",
						    disp);
			}
		}
	}
	if (!need && !memcmp(p, "luo-", avail < 4 ? (size_t)avail : 4)) {
		kho_finding(c, st->luo, KHO_SEV_ERROR, "luo.bad-compat", 0,
			    "luo_ser.compatible \"%s\" is not luo-v3, luo-v4, "
			    "luo-v5 or luo-v5;block-v1 with zero padding",
			    disp);
		return;
	}
	if (!need) {
		/* Feature-flag variant: three bit masks, 104 reserved bytes. */
		uint64_t supp, req, act, rsv = 0;

		if (avail < LUO_SER_FEAT_SZ) {
			if (bsize && bsize < LUO_SER_FEAT_SZ) {
				kho_finding(c, st->luo, KHO_SEV_ERROR,
					    "luo.bad-compat", 0,
					    "LUO blob (%" PRIu64 " bytes) starts with \"%s\", "
					    "not a known luo_ser compatible",
					    bsize, disp);
				return;
			}
			kho_finding(c, st->luo, KHO_SEV_WARNING,
				    "luo.not-captured", 0,
				    "only %" PRIu64 " bytes of luo_ser are available, %u needed",
				    avail, LUO_SER_FEAT_SZ);
			return;
		}
		supp = kho_get_u64(c, p);
		req = kho_get_u64(c, p + 8);
		act = kho_get_u64(c, p + 16);
		for (i = 24; i < LUO_FEAT_HDR_SZ; i += 8)
			rsv |= kho_get_u64(c, p + i);
		if (rsv || (bsize != LUO_SER_FEAT_SZ &&
			    (supp == 0 || supp & ~LUO_FEAT_KNOWN))) {
			kho_finding(c, st->luo, KHO_SEV_ERROR, "luo.bad-compat", 0,
				    "LUO blob starts with \"%s\", neither a known "
				    "luo_ser compatible nor a luo_feature_hdr",
				    disp);
			return;
		}
		luo_set_gen(st, LUO_G_FEAT);
		kho_str(c, st->luo, "format", "luo_feature_hdr");
		kho_hex(c, st->luo, "supp", supp);
		kho_hex(c, st->luo, "req", req);
		kho_hex(c, st->luo, "active", act);
		kho_finding(c, st->luo, KHO_SEV_NOTE, "luo.feature-flags", 0,
			    "luo_ser is the linux-mm feature-flag variant "
			    "(luo_feature_hdr supp 0x%" PRIx64 " req 0x%" PRIx64
			    " active 0x%" PRIx64 "); decoded as sessions and "
			    "files in block chains",
			    supp, req, act);
		if (req & ~supp || act & ~supp)
			kho_finding(c, st->luo, KHO_SEV_WARNING,
				    "luo.feature-flags", 0,
				    "luo_feature_hdr req 0x%" PRIx64 " or active 0x%" PRIx64
				    " has bits outside supp 0x%" PRIx64,
				    req, act, supp);
		if (req & ~LUO_FEAT_KNOWN)
			kho_finding(c, st->luo, KHO_SEV_WARNING,
				    "luo.feature-flags", 0,
				    "luo_feature_hdr requires unknown feature bits 0x%" PRIx64,
				    req & ~LUO_FEAT_KNOWN);
		need = LUO_SER_FEAT_SZ;
		off = LUO_FEAT_HDR_SZ;
	} else {
		char cs[17];

		memcpy(cs, p, 16);
		cs[16] = '\0';
		kho_compat(c, st->luo, cs);
		kho_str(c, st->luo, "compatible", cs);
	}
	if (bsize && bsize < need) {
		kho_finding(c, st->luo, KHO_SEV_ERROR, "luo.blob-size", 0,
			    "blob-size %" PRIu64 " is smaller than the %" PRIu64
			    "-byte luo_ser",
			    bsize, need);
		return;
	}
	if (avail < need) {
		kho_finding(c, st->luo, KHO_SEV_WARNING, "luo.not-captured", 0,
			    "only %" PRIu64 " bytes of the %" PRIu64
			    "-byte luo_ser are available",
			    avail, need);
		return;
	}
	luo_ser_body(st, kho_get_u64(c, p + off), kho_get_u64(c, p + off + 8),
		     kho_get_u64(c, p + off + 16));
}

/* ------------------------------------------------------------------- FDT */

static int luo_fdt_u64(struct luo_st *st, struct kho_obj *o, const void *fdt,
		       int node, const char *name, uint64_t *v)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	if (!p) {
		kho_finding(st->c, o, KHO_SEV_ERROR, "luo.fdt", 0,
			    "property %s is missing", name);
		return KHO_ECORRUPT;
	}
	if (len != 8) {
		kho_finding(st->c, o, KHO_SEV_ERROR, "luo.fdt", 0,
			    "property %s has length %d, expected 8", name, len);
		return KHO_ECORRUPT;
	}
	*v = kho_get_u64(st->c, p);
	return 0;
}

static void luo_fdt_v1(struct luo_st *st, const void *fdt)
{
	struct kho_ctx *c = st->c;
	uint64_t num = 0, hdr = 0;
	int node, has_flb = 0;

	luo_set_gen(st, LUO_G_V1);
	st->sess_chain = 0;
	st->files_chain = 0;
	if (!luo_fdt_u64(st, st->luo, fdt, 0, "liveupdate-number", &num))
		kho_u64(c, st->luo, "liveupdate-number", num);

	node = fdt_subnode_offset(fdt, 0, KHO_KIND_LUO_SESSION);
	if (node < 0) {
		kho_finding(c, st->luo, KHO_SEV_ERROR, "luo.fdt", 0,
			    "node /luo-session is missing");
	} else {
		int len;
		const char *cs = fdt_getprop(fdt, node, "compatible", &len);

		if (!fdt_node_check_compatible(fdt, node, "luo-session-v2")) {
			st->sess_esz = LUO_SESSION_V2_SZ;
		} else if (!fdt_node_check_compatible(fdt, node,
						      "luo-session-v1")) {
			st->sess_esz = LUO_SESSION_V1_SZ;
		} else {
			char disp[4 * 64 + 1];

			luo_escape(disp, (const uint8_t *)(cs ? cs : ""),
				   cs && len > 0 ? (size_t)(len < 64 ? len : 64)
						 : 1);
			kho_finding(c, st->luo, KHO_SEV_ERROR, "luo.bad-compat",
				    0,
				    "/luo-session compatible \"%s\" is not "
				    "luo-session-v1 or luo-session-v2",
				    disp);
			node = -1;
		}
		if (node >= 0) {
			kho_str(c, st->luo, KHO_KIND_LUO_SESSION,
				st->sess_esz == LUO_SESSION_V1_SZ
					? "luo-session-v1"
					: "luo-session-v2");
			if (!luo_fdt_u64(st, st->luo, fdt, node,
					 "luo-session-header", &hdr)) {
				kho_hex(c, st->luo, "luo-session-header", hdr);
				if (hdr)
					luo_sessions_block(st, hdr);
				else
					kho_finding(c, st->luo, KHO_SEV_ERROR,
						    "luo.bad-pointer", 0,
						    "luo-session-header is 0");
			}
		}
	}

	node = fdt_subnode_offset(fdt, 0, KHO_KIND_LUO_FLB);
	if (node >= 0) {
		int len;
		const char *cs = fdt_getprop(fdt, node, "compatible", &len);

		has_flb = 1;
		if (fdt_node_check_compatible(fdt, node, "luo-flb-v1")) {
			char disp[4 * 64 + 1];

			luo_escape(disp, (const uint8_t *)(cs ? cs : ""),
				   cs && len > 0 ? (size_t)(len < 64 ? len : 64)
						 : 1);
			kho_finding(c, st->luo, KHO_SEV_ERROR, "luo.bad-compat",
				    0,
				    "/luo-flb compatible \"%s\" is not luo-flb-v1",
				    disp);
		} else if (!luo_fdt_u64(st, st->luo, fdt, node,
					"luo-flb-header", &hdr)) {
			kho_hex(c, st->luo, "luo-flb-header", hdr);
			if (hdr)
				luo_flbs(st, hdr);
			else
				kho_finding(c, st->luo, KHO_SEV_ERROR,
					    "luo.bad-pointer", 0,
					    "luo-flb-header is 0");
		}
	}
	if (st->stop)
		return;
	if (!has_flb && st->sess_esz == LUO_SESSION_V2_SZ)
		kho_finding(c, st->luo, KHO_SEV_NOTE, "luo.flb-missing", 0,
			    "no /luo-flb node: a kernel with FLB support "
			    "refuses this luo-v1 tree");
	if (luo_unserialized(st))
		luo_note_unserialized(st);
	else if (num == 0)
		kho_finding(c, st->luo, KHO_SEV_WARNING, "luo.liveupdate-num", 0,
			    "liveupdate-number is 0 but sessions or FLBs are serialized (the producer writes the incoming value + 1)");
}

static void luo_fdt_v2(struct luo_st *st, const void *fdt)
{
	struct kho_ctx *c = st->c;
	uint64_t hdr;
	const void *p;

	luo_set_gen(st, LUO_G_V2);
	if (luo_fdt_u64(st, st->luo, fdt, 0, "luo-abi-header", &hdr))
		return;
	kho_hex(c, st->luo, "luo-abi-header", hdr);
	if (hdr)
		kho_expect_block(c, st->luo, "luo_ser", hdr, 0);
	if (luo_map(st, st->luo, "luo_ser (luo-abi-header)", hdr,
		    LUO_SER_V2_SZ, &p))
		return;
	{
		const uint8_t *b = (const uint8_t *)p;

		luo_ser_body(st, kho_get_u64(c, b), kho_get_u64(c, b + 8),
			     kho_get_u64(c, b + 16));
	}
}

static void luo_fdt(struct luo_st *st, const uint8_t *p, uint64_t avail,
		    uint64_t bsize)
{
	struct kho_ctx *c = st->c;
	uint32_t tot;
	void *fdt;
	int err;

	if (avail < sizeof(struct fdt_header)) {
		kho_finding(c, st->luo, KHO_SEV_WARNING, "luo.not-captured", 0,
			    "only %" PRIu64 " bytes of the LUO FDT are available",
			    avail);
		return;
	}
	tot = fdt_totalsize(p);
	kho_size(c, st->luo, "totalsize", tot);
	if (tot > st->ps) {
		kho_finding(c, st->luo, KHO_SEV_ERROR, "luo.blob-size", 0,
			    "LUO FDT totalsize %" PRIu32 " exceeds PAGE_SIZE %" PRIu64,
			    tot, st->ps);
		return;
	}
	if (bsize && tot > bsize) {
		kho_finding(c, st->luo, KHO_SEV_ERROR, "luo.blob-size", 0,
			    "LUO FDT totalsize %" PRIu32 " exceeds blob-size %" PRIu64,
			    tot, bsize);
		return;
	}
	if (tot > avail) {
		kho_finding(c, st->luo, KHO_SEV_WARNING, "luo.not-captured", 0,
			    "only %" PRIu64 " of the %" PRIu32
			    " bytes of the LUO FDT are available",
			    avail, tot);
		return;
	}
	fdt = malloc(tot ? tot : 1);
	if (!fdt)
		return;
	memcpy(fdt, p, tot);
	err = subfdt_check(fdt, tot);
	if (err) {
		kho_finding(c, st->luo, KHO_SEV_ERROR, "luo.fdt", 0,
			    "LUO FDT is malformed: %s", fdt_strerror(err));
	} else if (!fdt_node_check_compatible(fdt, 0, "luo-v1")) {
		kho_compat(c, st->luo, "luo-v1");
		kho_str(c, st->luo, "compatible", "luo-v1");
		luo_fdt_v1(st, fdt);
	} else if (!fdt_node_check_compatible(fdt, 0, "luo-v2")) {
		kho_compat(c, st->luo, "luo-v2");
		kho_str(c, st->luo, "compatible", "luo-v2");
		luo_fdt_v2(st, fdt);
	} else {
		int len;
		const char *cs = fdt_getprop(fdt, 0, "compatible", &len);
		char disp[4 * 64 + 1];

		luo_escape(disp, (const uint8_t *)(cs ? cs : ""),
			   cs && len > 0 ? (size_t)(len < 64 ? len : 64) : 1);
		kho_finding(c, st->luo, KHO_SEV_ERROR, "luo.bad-compat", 0,
			    "LUO FDT compatible \"%s\" is not luo-v1 or luo-v2",
			    disp);
	}
	free(fdt);
}

/* ------------------------------------------------------------------ entry */

/*
 * The incoming kernel has already used the LUO state (linux 7.2.13):
 * luo_core.c:luo_early_startup reads luo_ser at early_initcall and frees
 * it at once; luo_session.c:luo_session_deserialize, run when
 * /dev/liveupdate is first opened (luo_core.c:luo_open), frees the session
 * blocks; each file's block chain goes in luo_file.c:luo_file_finish, and
 * memfd_luo.c:memfd_luo_retrieve / memfd_luo_finish free a memfd's
 * serialization.  Debugfs in/sub_fdts/LUO shows the same freed page.  Any
 * of that memory may be reused, so its bytes are not decoded: garbage
 * would read as corruption.  The first bytes are shown as they are.
 */
static void luo_consumed(struct luo_st *st, const struct kho_blob *blob)
{
	struct kho_ctx *c = st->c;
	const uint8_t *p = NULL;
	char disp[4 * 16 + 1];
	uint64_t n = 0;
	const void *vp;

	if (blob->data && blob->data_len) {
		p = (const uint8_t *)blob->data;
		n = blob->data_len;
	} else if (blob->phys && kho_map(c, blob->phys, 16, &vp) == 0) {
		p = (const uint8_t *)vp;
		n = 16;
	}
	kho_str(c, st->luo, "state", "consumed");
	if (p) {
		luo_escape(disp, p, n < 16 ? (size_t)n : 16);
		kho_str(c, st->luo, "first_bytes", disp);
	}
	kho_finding(c, st->luo, KHO_SEV_NOTE, "luo.consumed", blob->phys,
		    "incoming image: the running kernel read luo_ser at early boot and freed it "
		    "(linux 7.2.13 luo_core.c:luo_early_startup); session blocks are freed when "
		    "/dev/liveupdate is first opened (luo_session.c:luo_session_deserialize), "
		    "file blocks at finish (luo_file.c:luo_file_finish), a memfd's data on retrieve "
		    "or finish (memfd_luo.c:memfd_luo_retrieve, memfd_luo_finish); that memory may be "
		    "reused, so LUO is not decoded here");
}

static int luo_decode(struct kho_ctx *c, struct kho_obj *parent,
		      const struct kho_blob *blob)
{
	struct luo_st st;
	const uint8_t *p = NULL;
	uint64_t avail = 0, bsize = blob->size;

	memset(&st, 0, sizeof(st));
	st.c = c;
	st.ps = kho_page_size(c);
	if (st.ps < 4096 || (st.ps & (st.ps - 1)))
		st.ps = 4096;
	st.luo = kho_obj_new(c, parent, "luo",
			     blob->node_name ? blob->node_name : "LUO");
	if (!st.luo)
		return KHO_ELIMIT;
	kho_phys(c, st.luo, blob->phys, bsize);
	if (bsize)
		kho_size(c, st.luo, "blob-size", bsize);
	if (blob->phys)
		kho_expect_block(c, st.luo, "LUO blob", blob->phys, 0);

	if (luo_direction_in(c)) {
		luo_consumed(&st, blob);
		return 0;
	}
	if (blob->data && blob->data_len) {
		p = (const uint8_t *)blob->data;
		avail = blob->data_len;
		if (bsize && avail > bsize)
			avail = bsize;
	} else {
		const void *vp;
		uint64_t len = bsize && bsize < st.ps ? bsize : st.ps;
		int rc;

		if (blob->phys && (blob->phys & (st.ps - 1)) && !bsize)
			len = st.ps - (blob->phys & (st.ps - 1));
		rc = luo_map(&st, st.luo, "LUO blob", blob->phys, len, &vp);
		if (rc)
			return 0;
		p = (const uint8_t *)vp;
		avail = len;
	}
	if (avail >= 4 && p[0] == 0xd0 && p[1] == 0x0d && p[2] == 0xfe &&
	    p[3] == 0xed)
		luo_fdt(&st, p, avail, bsize);
	else if (avail == 0)
		kho_finding(c, st.luo, KHO_SEV_WARNING, "luo.not-captured",
			    blob->phys, "the LUO blob is empty");
	else
		luo_raw(&st, p, avail, bsize);
	return 0;
}

static const char *const luo_compats[] = {
	"luo-v1", "luo-v2", "luo-v3", "luo-v4", "luo-v5", "luo-v5;block-v1",
	NULL,
};

static const char *const luo_nodes[] = {"LUO", NULL};

static const struct kho_check luo_checks[] = {
	{ "luo.bad-compat", 0 },
	{ "luo.bad-pointer", 0 },
	{ "luo.blob-size", 0 },
	{ "luo.compat-padding", 0 },
	{ "luo.consumed", 0 },
	{ "luo.fdt", 0 },
	{ "luo.feature-flags", 0 },
	{ "luo.file-count", 0 },
	{ "luo.flb-count", 0 },
	{ "luo.flb-duplicate", 0 },
	{ "luo.flb-missing", 0 },
	{ "luo.flb-name-no-nul", 0 },
	{ "luo.flb-pgcnt", 0 },
	{ "luo.flb-refcount", 0 },
	{ "luo.liveupdate-num", 0 },
	{ "luo.not-captured", 0 },
	{ "luo.not-serialized", 0 },
	{ "luo.session-count", 0 },
	/* Capped: their closing entries come in this order. */
	{ "luo.session-duplicate", LUO_CAP },
	{ "luo.session-name-no-nul", LUO_CAP },
	{ "luo.token-duplicate", LUO_CAP },
	{ "luo.file-compat-no-nul", LUO_CAP },
	{ "luo.files-null-count", LUO_CAP },
	{ NULL, 0 },
};

KHO_PLUGIN_DEFINE = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.name = "luo",
	.description = "Live Update Orchestrator state: luo-v1 .. luo-v5, "
		       "RFC and feature-flag forms; sessions, files, FLBs",
	.role = KHO_ROLE_BLOB,
	.compats = luo_compats,
	.node_names = luo_nodes,
	.check_list = luo_checks,
	.decode = luo_decode,
};
