// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-mkimage: scenario file parser.
 *
 * Line based: '#' comments, "key = value" assignments, "[section ARGS]"
 * headers and directive lines (preserve, preserve_range, break, poke,
 * unpreserve, delete_prop, scribble).  See man/kho-mkimage.1.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mk.h"

struct line {
	char *text;
	struct mk_src src;
};

struct lines {
	struct line *l;
	size_t n, cap;
};

static void lines_insert(struct lines *ls, size_t at, char *text, struct mk_src src)
{
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 256;
		ls->l = mk_realloc(ls->l, ls->cap * sizeof(*ls->l));
	}
	memmove(&ls->l[at + 1], &ls->l[at], (ls->n - at) * sizeof(*ls->l));
	ls->l[at].text = text;
	ls->l[at].src = src;
	ls->n++;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/* strip a comment: '#' at line start or preceded by whitespace, not in quotes */
static void strip_comment(char *s)
{
	bool q = false;

	for (char *p = s; *p; p++) {
		if (*p == '"')
			q = !q;
		else if (*p == '#' && !q && (p == s || isspace((unsigned char)p[-1]))) {
			*p = 0;
			return;
		}
	}
}

static bool is_header(const char *t, char *out, size_t outsz)
{
	size_t n = strlen(t);

	if (n < 2 || t[0] != '[' || t[n - 1] != ']')
		return false;
	if (out) {
		snprintf(out, outsz, "%.*s", (int)(n - 2), t + 1);
		char *tt = trim(out);
		memmove(out, tt, strlen(tt) + 1);
	}
	return true;
}

static bool line_key(const char *t, char *key, size_t keysz)
{
	const char *eq = strchr(t, '=');
	size_t n;

	if (!eq)
		return false;
	n = (size_t)(eq - t);
	if (n >= keysz)
		return false;
	memcpy(key, t, n);
	key[n] = 0;
	char *k = trim(key);
	memmove(key, k, strlen(k) + 1);
	for (char *p = key; *p; p++)
		if (isspace((unsigned char)*p))
			return false;	/* "break X = Y" is a directive, not a key */
	return true;
}

static void apply_set(struct lines *ls, const char *set, int idx)
{
	char sect[256] = "", key[128];
	const char *colon = strchr(set, ':');
	const char *eq = strchr(set, '=');
	struct mk_src src = { "--set", idx + 1 };
	size_t start = 0, end = ls->n, at;
	bool found = false;

	if (!eq)
		mk_die(2, &src, "--set needs KEY=VALUE");
	if (colon && colon < eq) {
		snprintf(sect, sizeof(sect), "%.*s", (int)(colon - set), set);
		set = colon + 1;
	}
	if (!line_key(set, key, sizeof(key)))
		mk_die(2, &src, "--set: bad key in '%s'", set);
	/* find the section range */
	if (sect[0]) {
		size_t i;
		char h[256];

		for (i = 0; i < ls->n; i++) {
			char *t = trim(ls->l[i].text);

			if (is_header(t, h, sizeof(h)) && !strcmp(h, sect))
				break;
		}
		if (i == ls->n)
			mk_die(2, &src, "--set: no section [%s] in the scenario", sect);
		start = i + 1;
	}
	for (end = start; end < ls->n; end++) {
		if (is_header(trim(ls->l[end].text), NULL, 0))
			break;
	}
	at = end;
	for (size_t i = start; i < end; i++) {
		char k[128];

		if (line_key(trim(ls->l[i].text), k, sizeof(k)) && !strcmp(k, key)) {
			free(ls->l[i].text);
			if (!found) {
				ls->l[i].text = mk_strdup(set);
				ls->l[i].src = src;
				found = true;
			} else {
				ls->l[i].text = mk_strdup("");
			}
		}
	}
	if (!found)
		lines_insert(ls, at, mk_strdup(set), src);
}

/* ------------------------------------------------------------ parsing */

struct pstate {
	struct mk_scn *s;
	const struct mk_src *src;
	char section[256];
	char sarg[256];
	struct mk_session *sess;
	struct mk_file *file;
	struct mk_extra_node *node;
};

static uint64_t num(struct pstate *p, const char *v)
{
	uint64_t x;

	if (!mk_parse_u64(v, &x))
		mk_die(2, p->src, "expected a number, got '%s'", v);
	return x;
}

static bool boolean(struct pstate *p, const char *v)
{
	bool b;

	if (!mk_parse_bool(v, &b))
		mk_die(2, p->src, "expected yes or no, got '%s'", v);
	return b;
}

static char *unquote(struct pstate *p, const char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
		return mk_fmt("%.*s", (int)(n - 2), v + 1);
	(void)p;
	return mk_strdup(v);
}

/* split v into whitespace separated tokens (modifies v) */
static int split(char *v, char **tok, int max)
{
	int n = 0;

	for (char *t = strtok(v, " \t,"); t && n < max; t = strtok(NULL, " \t,"))
		tok[n++] = t;
	return n;
}

static const char *need_tok(struct pstate *p, char **tok, int n, int i, const char *what)
{
	if (i >= n)
		mk_die(2, p->src, "missing %s", what);
	return tok[i];
}

static unsigned parse_order_tok(struct pstate *p, const char *t)
{
	uint64_t o;

	if (!strncmp(t, "order", 5))
		t += 5;
	if (!mk_parse_u64(t, &o) || o > 52)
		mk_die(2, p->src, "bad order '%s'", t);
	return (unsigned)o;
}

static struct mk_session *new_session(struct pstate *p, const char *name)
{
	struct mk_luo *l = &p->s->luo;

	if (l->nsessions == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->sessions = mk_realloc(l->sessions, l->cap * sizeof(*l->sessions));
	}
	struct mk_session *se = &l->sessions[l->nsessions++];
	memset(se, 0, sizeof(*se));
	se->name = mk_strdup(name);
	se->src = *p->src;
	l->present = true;
	return se;
}

static struct mk_file *new_file(struct pstate *p, struct mk_session *se)
{
	if (se->nfiles == se->cap) {
		se->cap = se->cap ? se->cap * 2 : 8;
		se->files = mk_realloc(se->files, se->cap * sizeof(*se->files));
	}
	struct mk_file *f = &se->files[se->nfiles++];
	memset(f, 0, sizeof(*f));
	f->src = *p->src;
	f->token = se->nfiles;
	f->compat = mk_strdup("memfd-v1");
	return f;
}

static struct mk_memfd *file_memfd(struct mk_file *f)
{
	if (!f->mfd) {
		f->mfd = mk_calloc(1, sizeof(*f->mfd));
		f->mfd->layout = -1;
		f->mfd->vm_flags = 1;
		f->mfd->feat_supp = f->mfd->feat_req = f->mfd->feat_active = 3;
	}
	return f->mfd;
}

static void add_run(struct mk_memfd *m, uint64_t index, uint64_t count, unsigned order, unsigned flags)
{
	m->runs = mk_realloc(m->runs, (m->nruns + 1) * sizeof(*m->runs));
	m->runs[m->nruns++] = (struct mk_folio_run){ index, count, (uint8_t)order, (uint8_t)flags };
}

static bool valid_fmt(const char *f)
{
	const char *pc = strchr(f, '%');

	if (!pc)
		return true;
	pc++;
	while (*pc == '0' || *pc == '-' || isdigit((unsigned char)*pc))
		pc++;
	if (*pc != 'd' && *pc != 'u' && *pc != 'x')
		return false;
	return strchr(pc, '%') == NULL;
}

static void gen_files(struct pstate *p, struct mk_session *se, char *v)
{
	char *tok[16];
	int n = split(v, tok, 16);
	uint64_t count = num(p, need_tok(p, tok, n, 0, "file count"));
	uint64_t folios = 0, token = 1;
	const char *compat;

	if (n < 3 || strcmp(tok[1], "x"))
		mk_die(2, p->src, "expected 'files = N x COMPAT [folios K] [token BASE]'");
	compat = tok[2];
	for (int i = 3; i + 1 < n; i += 2) {
		if (!strcmp(tok[i], "folios"))
			folios = num(p, tok[i + 1]);
		else if (!strcmp(tok[i], "token"))
			token = num(p, tok[i + 1]);
		else
			mk_die(2, p->src, "unknown files option '%s'", tok[i]);
	}
	for (uint64_t i = 0; i < count; i++) {
		struct mk_file *f = new_file(p, se);

		free(f->compat);
		f->compat = mk_strdup(compat);
		f->token = token + i;
		if (folios)
			add_run(file_memfd(f), UINT64_MAX, folios, 0, 0xff);
	}
}

static void gen_sessions(struct pstate *p, char *v)
{
	char *tok[16];
	int n = split(v, tok, 16);
	uint64_t count;
	char *fmt, *files = NULL;

	if (n < 3 || strcmp(tok[1], "x"))
		mk_die(2, p->src, "expected 'sessions = N x NAMEFORMAT [files M x COMPAT]'");
	count = num(p, tok[0]);
	fmt = tok[2];
	if (!valid_fmt(fmt))
		mk_die(2, p->src, "session name format may hold one %%d/%%u/%%x only");
	if (n > 3) {
		if (strcmp(tok[3], "files"))
			mk_die(2, p->src, "unknown sessions option '%s'", tok[3]);
		files = mk_strdup("");
		for (int i = 4; i < n; i++) {
			char *t = mk_fmt("%s %s", files, tok[i]);
			free(files);
			files = t;
		}
	}
	for (uint64_t i = 0; i < count; i++) {
		char name[128];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(name, sizeof(name), fmt, (int)i);
#pragma GCC diagnostic pop
		struct mk_session *se = new_session(p, name);
		if (files) {
			char *c = mk_strdup(files);
			gen_files(p, se, c);
			free(c);
		}
	}
	free(files);
}

static void directive(struct pstate *p, char *t)
{
	struct mk_scn *s = p->s;
	struct mk_directive d = { .src = *p->src };
	char *tok[8];
	int n;

	if (!strncmp(t, "break", 5) && isspace((unsigned char)t[5])) {
		char *eq = strchr(t, '=');

		if (!eq)
			mk_die(2, p->src, "expected 'break TARGET = VALUE'");
		*eq = 0;
		d.kind = MKD_BREAK;
		d.target = mk_strdup(trim(t + 5));
		d.value = mk_strdup(trim(eq + 1));
		if (!d.target[0] || !d.value[0])
			mk_die(2, p->src, "expected 'break TARGET = VALUE'");
	} else if (!strncmp(t, "preserve_range", 14) || !strncmp(t, "preserve", 8)) {
		bool range = !strncmp(t, "preserve_range", 14);
		bool data = false;

		n = split(t + (range ? 14 : 8), tok, 8);
		if (n < 2)
			mk_die(2, p->src, "expected '%s PHYS %s [with_data]'", range ? "preserve_range" : "preserve",
			       range ? "LEN" : "ORDER");
		if (n > 2) {
			if (strcmp(tok[2], "with_data"))
				mk_die(2, p->src, "unknown option '%s'", tok[2]);
			data = true;
		}
		uint64_t a = num(p, tok[0]), b = range ? num(p, tok[1]) : parse_order_tok(p, tok[1]);
		s->explicit_pres = mk_realloc(s->explicit_pres, (s->npres + 1) * sizeof(*s->explicit_pres));
		s->explicit_pres[s->npres++] = (struct mk_area){ a, b };
		mk_u64v_push(&s->pres_data, (data ? 1 : 0) | (range ? 2 : 0));
		return;
	} else if (!strncmp(t, "poke", 4)) {
		n = split(t + 4, tok, 8);
		if (n != 3)
			mk_die(2, p->src, "expected 'poke PHYS SIZE VALUE'");
		d.kind = MKD_POKE;
		d.a = num(p, tok[0]);
		d.b = num(p, tok[1]);
		if (d.b != 1 && d.b != 2 && d.b != 4 && d.b != 8)
			mk_die(2, p->src, "poke size must be 1, 2, 4 or 8");
		d.value = mk_strdup(tok[2]);
	} else if (!strncmp(t, "scribble", 8)) {
		/* Memory the next kernel freed and reused: whole pages of junk. */
		n = split(t + 8, tok, 8);
		if (n != 2)
			mk_die(2, p->src, "expected 'scribble OBJECT BYTE'");
		d.kind = MKD_SCRIBBLE;
		d.target = mk_strdup(tok[0]);
		d.a = num(p, tok[1]);
		if (d.a > 0xff)
			mk_die(2, p->src, "scribble byte must be 0..0xff");
	} else if (!strncmp(t, "unpreserve", 10)) {
		n = split(t + 10, tok, 8);
		if (n != 2)
			mk_die(2, p->src, "expected 'unpreserve PHYS ORDER'");
		d.kind = MKD_UNPRESERVE;
		d.a = num(p, tok[0]);
		d.b = parse_order_tok(p, tok[1]);
	} else if (!strncmp(t, "delete_prop", 11)) {
		n = split(t + 11, tok, 8);
		if (n != 2)
			mk_die(2, p->src, "expected 'delete_prop NODE PROP'");
		d.kind = MKD_DELPROP;
		d.target = mk_strdup(tok[0]);
		d.value = mk_strdup(tok[1]);
	} else {
		mk_die(2, p->src, "unrecognised line '%s'", t);
	}
	s->dirs = mk_realloc(s->dirs, (s->ndirs + 1) * sizeof(*s->dirs));
	s->dirs[s->ndirs++] = d;
}

static bool is_directive(const char *t)
{
	static const char *const kw[] = { "break", "preserve_range", "preserve", "poke",
					  "unpreserve", "delete_prop", "scribble" };

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
		size_t n = strlen(kw[i]);

		if (!strncmp(t, kw[i], n) && isspace((unsigned char)t[n]))
			return true;
	}
	return false;
}

static int parse_gen(struct pstate *p, const char *v)
{
	static const char *const names[] = { "g1a", "g1b", "g1c", "g2", "g2b", "g3", "g4", "rfc" };

	for (int i = 0; i < 8; i++)
		if (!strcasecmp(v, names[i]))
			return i;
	mk_die(2, p->src, "unknown generation '%s' (g1a g1b g1c g2 g2b g3 g4 rfc)", v);
}

static void key_global(struct pstate *p, const char *k, char *v)
{
	struct mk_scn *s = p->s;

	if (!strcmp(k, "generation")) {
		s->gen = parse_gen(p, v);
	} else if (!strcmp(k, "root_compatible")) {
		s->root_compat = unquote(p, v);
	} else if (!strcmp(k, "page_size")) {
		uint64_t ps = num(p, v);

		if (ps != 4096 && ps != 16384 && ps != 65536)
			mk_die(2, p->src, "page_size must be 4096, 16384 or 65536");
		s->page_size = (unsigned)ps;
		s->page_shift = mk_ilog2(ps);
	} else if (!strcmp(k, "byte_order") || !strcmp(k, "endian")) {
		if (!strcmp(v, "little"))
			s->big_endian = false;
		else if (!strcmp(v, "big"))
			s->big_endian = true;
		else
			mk_die(2, p->src, "byte_order must be little or big");
	} else if (!strcmp(k, "machine")) {
		s->machine = mk_strdup(v);
	} else if (!strcmp(k, "release")) {
		s->release = unquote(p, v);
	} else if (!strcmp(k, "direction")) {
		if (strcmp(v, "out") && strcmp(v, "in"))
			mk_die(2, p->src, "direction must be out or in");
		s->direction = mk_strdup(v);
	} else if (!strcmp(k, "debugfs_fdt_bytes")) {
		/* 7.2's out/fdt keeps the size it had when registered at boot */
		s->debugfs_fdt_bytes = num(p, v);
	} else if (!strcmp(k, "radix_depth")) {
		if (!strcmp(v, "orig"))
			s->depth_plus1 = 0;
		else if (!strcmp(v, "plus1"))
			s->depth_plus1 = 1;
		else
			mk_die(2, p->src, "radix_depth must be orig or plus1");
	} else if (!strcmp(k, "v1_bitmap_bytes")) {
		uint64_t b = num(p, v);

		if (b != 512 && b != 4096 && b != 16384 && b != 65536)
			mk_die(2, p->src, "v1_bitmap_bytes must be 512 or the page size");
		s->v1_bitmap_bytes = (unsigned)b;
	} else if (!strcmp(k, "ram_base")) {
		s->ram_base = num(p, v);
	} else if (!strcmp(k, "data_base")) {
		s->data_base = num(p, v);
		s->data_base_set = true;
	} else if (!strcmp(k, "scratch")) {
		char *tok[4];
		int n = split(v, tok, 4);

		if (n != 2)
			mk_die(2, p->src, "expected 'scratch = ADDR SIZE'");
		s->scratch = mk_realloc(s->scratch, (s->nscratch + 1) * sizeof(*s->scratch));
		s->scratch[s->nscratch++] = (struct mk_area){ num(p, tok[0]), num(p, tok[1]) };
	} else if (!strcmp(k, "handoff")) {
		if (!strcmp(v, "x86"))
			s->handoff = 1;
		else if (!strcmp(v, "dt"))
			s->handoff = 2;
		else if (!strcmp(v, "none"))
			s->handoff = 0;
		else
			mk_die(2, p->src, "handoff must be x86, dt or none");
	} else if (!strcmp(k, "handoff_copy")) {
		s->handoff_copy = num(p, v);
		if (!s->handoff_copy)
			mk_die(2, p->src, "handoff_copy must not be 0");
	} else if (!strcmp(k, "handoff_at")) {
		s->handoff_at = num(p, v);
		s->handoff_at_set = true;
	} else if (!strcmp(k, "producer")) {
		s->producer = unquote(p, v);
	} else if (!strcmp(k, "note_types")) {
		if (!strcmp(v, "current"))
			s->legacy_note_types = false;
		else if (!strcmp(v, "legacy"))
			s->legacy_note_types = true;
		else
			mk_die(2, p->src, "note_types must be current or legacy");
	} else if (!strcmp(k, "fdt_note")) {
		s->fdt_note = boolean(p, v);
	} else if (!strcmp(k, "subblob_notes")) {
		s->subblob_notes = boolean(p, v);
	} else if (!strcmp(k, "vmcoreinfo")) {
		s->vmcoreinfo = boolean(p, v);
	} else if (!strcmp(k, "info")) {
		s->info_extra = mk_realloc(s->info_extra, (s->ninfo_extra + 1) * sizeof(char *));
		s->info_extra[s->ninfo_extra++] = unquote(p, v);
	} else if (!strcmp(k, "preserve_root_fdt")) {
		s->preserve_root = boolean(p, v);
	} else if (!strcmp(k, "root_fdt_full_page")) {
		s->root_full_page = boolean(p, v);
	} else if (!strcmp(k, "finalized")) {
		s->finalized = boolean(p, v);
	} else if (!strcmp(k, "fill")) {
		s->fill = num(p, v);
	} else {
		mk_die(2, p->src, "unknown key '%s'", k);
	}
}

static void key_file(struct pstate *p, const char *k, char *v)
{
	struct mk_file *f = p->file;

	if (!strcmp(k, "compatible") || !strcmp(k, "name")) {
		free(f->compat);
		f->compat = unquote(p, v);
		if (strlen(f->compat) > 47)
			mk_die(2, p->src, "file compatible longer than 47 bytes");
	} else if (!strcmp(k, "token")) {
		f->token = num(p, v);
	} else if (!strcmp(k, "type")) {
		if (!strcmp(v, "memfd"))
			f->kind = FK_MEMFD;
		else if (!strcmp(v, "raw"))
			f->kind = FK_RAW;
		else if (!strcmp(v, "blob"))
			f->kind = FK_BLOB;
		else if (!strcmp(v, "guest_memfd"))
			f->kind = FK_GMEM;
		else if (!strcmp(v, "kvm"))
			f->kind = FK_KVM;
		else
			mk_die(2, p->src, "type must be memfd, raw, blob, guest_memfd or kvm");
	} else if (!strcmp(k, "data")) {
		f->data = num(p, v);
		f->data_set = true;
	} else if (!strcmp(k, "blob")) {
		f->blob = mk_parse_hex(v, &f->bloblen);
		if (!f->blob)
			mk_die(2, p->src, "bad hex blob");
	} else if (!strcmp(k, "vm_token")) {
		f->vm_token = num(p, v);
	} else if (!strcmp(k, "vm_type")) {
		f->kvm_type = num(p, v);
	} else if (!strcmp(k, "nr_mem_attrs")) {
		f->kvm_nattrs = num(p, v);
	} else {
		struct mk_memfd *m = file_memfd(f);

		if (!strcmp(k, "pos")) {
			m->pos = num(p, v);
		} else if (!strcmp(k, "size")) {
			m->size = num(p, v);
			m->size_set = true;
		} else if (!strcmp(k, "seals")) {
			m->seals = (uint32_t)num(p, v);
		} else if (!strcmp(k, "flags")) {
			m->flags = (uint32_t)num(p, v);
		} else if (!strcmp(k, "with_data")) {
			m->with_data = boolean(p, v);
		} else if (!strcmp(k, "vmalloc_flags")) {
			m->vm_flags = (uint16_t)num(p, v);
		} else if (!strcmp(k, "vmalloc_order")) {
			uint64_t o = num(p, v);

			if (o > 20)
				mk_die(2, p->src, "vmalloc_order %llu: at most 20",
				       (unsigned long long)o);
			m->vm_order = (unsigned int)o;
		} else if (!strcmp(k, "memfd_layout")) {
			if (!strcmp(v, "v1"))
				m->layout = MFD_V1;
			else if (!strcmp(v, "v2"))
				m->layout = MFD_V2;
			else if (!strcmp(v, "feature"))
				m->layout = MFD_FEAT;
			else
				mk_die(2, p->src, "memfd_layout must be v1, v2 or feature");
		} else if (!strcmp(k, "features")) {
			char *tok[4];

			if (split(v, tok, 4) != 3)
				mk_die(2, p->src, "expected 'features = SUPP REQ ACTIVE'");
			m->feat_supp = num(p, tok[0]);
			m->feat_req = num(p, tok[1]);
			m->feat_active = num(p, tok[2]);
		} else if (!strcmp(k, "folio")) {
			char *tok[4];
			int n = split(v, tok, 4);

			if (n < 2)
				mk_die(2, p->src, "expected 'folio = INDEX ORDER [FLAGS]'");
			add_run(m, num(p, tok[0]), 1, parse_order_tok(p, tok[1]),
				n > 2 ? (unsigned)num(p, tok[2]) : 0xff);
		} else if (!strcmp(k, "folios")) {
			char *tok[10];
			int n = split(v, tok, 10);
			uint64_t from = UINT64_MAX, flags = 0xff;

			if (n < 3 || strcmp(tok[1], "x"))
				mk_die(2, p->src, "expected 'folios = N x orderK [flags F] [from INDEX]'");
			for (int i = 3; i + 1 < n; i += 2) {
				if (!strcmp(tok[i], "flags"))
					flags = num(p, tok[i + 1]);
				else if (!strcmp(tok[i], "from"))
					from = num(p, tok[i + 1]);
				else
					mk_die(2, p->src, "unknown folios option '%s'", tok[i]);
			}
			add_run(m, from, num(p, tok[0]), parse_order_tok(p, tok[2]), (unsigned)flags);
		} else {
			mk_die(2, p->src, "unknown file key '%s'", k);
		}
	}
}

static void key_section(struct pstate *p, const char *k, char *v)
{
	struct mk_scn *s = p->s;
	const char *sec = p->section;

	if (!strcmp(sec, "kexec-metadata")) {
		if (!strcmp(k, "version"))
			s->md_version = (uint32_t)num(p, v);
		else if (!strcmp(k, "previous_release"))
			s->md_release = unquote(p, v);
		else if (!strcmp(k, "kexec_count"))
			s->md_count = (uint32_t)num(p, v);
		else
			mk_die(2, p->src, "unknown kexec-metadata key '%s'", k);
	} else if (!strcmp(sec, "memblock")) {
		if (!strcmp(k, "region")) {
			char *tok[6];
			int n = split(v, tok, 6);
			struct mk_resmem r = { 0 };

			if (n < 3)
				mk_die(2, p->src, "expected 'region = NAME START|auto SIZE [ALIGN]'");
			r.name = mk_strdup(tok[0]);
			if (!strcmp(tok[1], "auto"))
				r.auto_start = true;
			else
				r.start = num(p, tok[1]);
			r.size = num(p, tok[2]);
			r.align = n > 3 ? num(p, tok[3]) : 0;
			s->resmem = mk_realloc(s->resmem, (s->nresmem + 1) * sizeof(r));
			s->resmem[s->nresmem++] = r;
		} else if (!strcmp(k, "with_data")) {
			s->memblock_data = boolean(p, v);
		} else {
			mk_die(2, p->src, "unknown memblock key '%s'", k);
		}
	} else if (!strcmp(sec, "kho_test")) {
		if (!strcmp(k, "nr_folios"))
			s->kt_nr_folios = (uint32_t)num(p, v);
		else if (!strcmp(k, "folio_order"))
			s->kt_order = parse_order_tok(p, v);
		else if (!strcmp(k, "magic"))
			s->kt_magic = (uint32_t)num(p, v);
		else if (!strcmp(k, "csum"))
			s->kt_csum = (uint32_t)num(p, v);
		else
			mk_die(2, p->src, "unknown kho_test key '%s'", k);
	} else if (!strcmp(sec, "luo")) {
		struct mk_luo *l = &s->luo;

		if (!strcmp(k, "version")) {
			static const char *const vn[] = { "", "v1", "v2", "v3", "v4", "v5", "rfc", "feature" };
			int i;

			for (i = 1; i < 8; i++)
				if (!strcmp(v, vn[i]))
					break;
			if (i == 8)
				mk_die(2, p->src, "luo version must be v1..v5, rfc or feature");
			l->ver = i;
		} else if (!strcmp(k, "session_format")) {
			if (!strcmp(v, "v1"))
				l->session_ver = 1;
			else if (!strcmp(v, "v2"))
				l->session_ver = 2;
			else
				mk_die(2, p->src, "session_format must be v1 or v2");
		} else if (!strcmp(k, "flb_node")) {
			l->flb_node = boolean(p, v);
		} else if (!strcmp(k, "serialized")) {
			l->serialized = boolean(p, v);
		} else if (!strcmp(k, "liveupdate_num")) {
			l->num = num(p, v);
			l->num_set = true;
		} else if (!strcmp(k, "compatible")) {
			l->compat = unquote(p, v);
		} else if (!strcmp(k, "features")) {
			char *tok[4];

			if (split(v, tok, 4) != 3)
				mk_die(2, p->src, "expected 'features = SUPP REQ ACTIVE'");
			l->supp = num(p, tok[0]);
			l->req = num(p, tok[1]);
			l->active = num(p, tok[2]);
		} else if (!strcmp(k, "flb")) {
			char *tok[4];
			int n = split(v, tok, 4);
			struct mk_flb fl = { .pci_devices = -1, .count = 1 };

			if (n < 2)
				mk_die(2, p->src, "expected 'flb = NAME DATA|pci:N [COUNT]'");
			if (strlen(tok[0]) > 47)
				mk_die(2, p->src, "FLB name longer than 47 bytes");
			fl.name = mk_strdup(tok[0]);
			if (!strncmp(tok[1], "pci:", 4))
				fl.pci_devices = (long)num(p, tok[1] + 4);
			else
				fl.data = num(p, tok[1]);
			if (n > 2)
				fl.count = num(p, tok[2]);
			l->flbs = mk_realloc(l->flbs, (l->nflbs + 1) * sizeof(fl));
			l->flbs[l->nflbs++] = fl;
		} else if (!strcmp(k, "sessions")) {
			gen_sessions(p, v);
		} else {
			mk_die(2, p->src, "unknown luo key '%s'", k);
		}
	} else if (!strcmp(sec, "session")) {
		if (!strcmp(k, "files"))
			gen_files(p, p->sess, v);
		else
			mk_die(2, p->src, "unknown session key '%s' (use a [file] section)", k);
	} else if (!strcmp(sec, "file")) {
		key_file(p, k, v);
	} else if (!strcmp(sec, "node")) {
		struct mk_extra_node *nd = p->node;

		if (!strcmp(k, "blob")) {
			nd->blob = mk_parse_hex(v, &nd->bloblen);
			if (!nd->blob)
				mk_die(2, p->src, "bad hex blob");
		} else if (!strcmp(k, "compatible")) {
			nd->fdt_compat = unquote(p, v);
		} else if (!strcmp(k, "blob_size")) {
			nd->size_override = num(p, v);
			nd->size_set = true;
		} else if (!strcmp(k, "preserve")) {
			nd->preserve = boolean(p, v);
		} else {
			mk_die(2, p->src, "unknown node key '%s'", k);
		}
	} else {
		mk_die(2, p->src, "key '%s' in unknown section", k);
	}
}

static void header(struct pstate *p, char *h)
{
	struct mk_scn *s = p->s;
	char *sp = h;

	while (*sp && !isspace((unsigned char)*sp))
		sp++;
	snprintf(p->sarg, sizeof(p->sarg), "%s", trim(sp));
	*sp = 0;
	snprintf(p->section, sizeof(p->section), "%s", h);

	if (!strcmp(h, "kexec-metadata")) {
		s->kexec_md = true;
	} else if (!strcmp(h, "memblock")) {
		s->memblock = true;
	} else if (!strcmp(h, "kho_test")) {
		s->kho_test = true;
	} else if (!strcmp(h, "luo")) {
		s->luo.present = true;
		s->luo.src = *p->src;
	} else if (!strcmp(h, "session")) {
		if (!p->sarg[0])
			mk_die(2, p->src, "[session NAME] needs a name");
		p->sess = new_session(p, p->sarg);
	} else if (!strcmp(h, "file")) {
		if (!p->sess)
			mk_die(2, p->src, "[file] outside of a session");
		p->file = new_file(p, p->sess);
	} else if (!strcmp(h, "node")) {
		if (!p->sarg[0])
			mk_die(2, p->src, "[node NAME] needs a name");
		s->nodes = mk_realloc(s->nodes, (s->nnodes + 1) * sizeof(*s->nodes));
		p->node = &s->nodes[s->nnodes++];
		memset(p->node, 0, sizeof(*p->node));
		p->node->name = mk_strdup(p->sarg);
		p->node->preserve = true;
	} else {
		mk_die(2, p->src, "unknown section [%s]", h);
	}
	if (strcmp(h, "session") && strcmp(h, "node") && p->sarg[0])
		mk_die(2, p->src, "section [%s] takes no argument", h);
}

void mk_scn_load(struct mk_scn *s, const char *path, char **sets, size_t nsets)
{
	FILE *f = fopen(path, "r");
	/*
	 * Parsed objects point into these lines for their error messages
	 * until the process exits, so they are kept, reachable, on purpose.
	 */
	static struct lines ls;
	char *buf = NULL;
	size_t bsz = 0;
	int lineno = 0;
	struct pstate p = { .s = s };

	if (!f)
		mk_fatal(2, "%s: cannot open scenario: %m", path);
	s->file = path;
	while (getline(&buf, &bsz, f) >= 0) {
		struct mk_src src = { path, ++lineno };

		buf[strcspn(buf, "\r\n")] = 0;
		lines_insert(&ls, ls.n, mk_strdup(buf), src);
	}
	free(buf);
	fclose(f);
	for (size_t i = 0; i < nsets; i++)
		apply_set(&ls, sets[i], (int)i);

	for (size_t i = 0; i < ls.n; i++) {
		char *t = ls.l[i].text, key[128], h[256];

		p.src = &ls.l[i].src;
		strip_comment(t);
		t = trim(t);
		if (!*t)
			continue;
		if (is_header(t, h, sizeof(h))) {
			header(&p, h);
		} else if (is_directive(t)) {
			directive(&p, t);
		} else if (line_key(t, key, sizeof(key))) {
			char *v = trim(strchr(t, '=') + 1);

			if (!*v)
				mk_die(2, p.src, "empty value for '%s'", key);
			if (!p.section[0])
				key_global(&p, key, v);
			else
				key_section(&p, key, v);
		} else {
			mk_die(2, p.src, "unrecognised line '%s'", t);
		}
	}
}
