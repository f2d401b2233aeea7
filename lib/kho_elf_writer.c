// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The KHO image serializer shared by the userspace tools and the kernel
 * exporter: see include/kho/elf_writer.h.  Keep it free of libc and kernel
 * calls other than memcpy/memset, and of allocation: it is compiled in both
 * worlds from this one file (kernel/kho_elf_writer.c includes it).
 */
#include "kho/elf_writer.h"

static kew_u64 align_up(kew_u64 v, kew_u64 a)
{
	return (v + a - 1) / a * a;
}

/* v rounded up to a, or 0 on overflow (callers check for v != 0). */
static int align_ok(kew_u64 v, kew_u64 a, kew_u64 *out)
{
	if (v > ~(kew_u64)0 - (a - 1))
		return 0;
	*out = align_up(v, a);
	return 1;
}

static void put(kew_u8 *p, kew_u64 v, unsigned int n, int be)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (kew_u8)(v >> (8 * i));
}

static kew_u64 cstrlen(const char *s)
{
	kew_u64 n = 0;

	while (s[n])
		n++;
	return n;
}

kew_u64 kho_elf_note_size(const struct kho_elf_note *n)
{
	return 12 + align_up(cstrlen(n->name) + 1, 4) +
	       align_up(n->desc_len + n->desc2_len, 4);
}

int kho_elf_layout(struct kho_elf_layout *l)
{
	kew_u64 off, ns = 0, end;
	kew_u32 i;

	if (l->page_size < 4096 || (l->page_size & (l->page_size - 1)))
		return KHO_ELF_EINVAL;
	if (l->nnotes && !l->notes)
		return KHO_ELF_EINVAL;
	if (l->nloads && !l->loads)
		return KHO_ELF_EINVAL;
	for (i = 0; i < l->nnotes; i++) {
		const struct kho_elf_note *n = &l->notes[i];

		if (!n->name || n->desc_len > (1ULL << 40) ||
		    n->desc2_len > (1ULL << 40))
			return KHO_ELF_ERANGE;
		ns += kho_elf_note_size(n);
	}
	if ((kew_u64)l->nloads + (l->nnotes ? 1 : 0) > 0xffffu)
		return KHO_ELF_ERANGE; /* e_phnum is 16 bits (no PN_XNUM) */
	l->phnum = l->nloads + (l->nnotes ? 1 : 0);
	l->notes_off = KHO_ELF_EHDR_SIZE + (kew_u64)KHO_ELF_PHDR_SIZE * l->phnum;
	l->notes_size = ns;
	if (!align_ok(l->notes_off + ns, l->page_size, &l->data_off))
		return KHO_ELF_ERANGE;
	off = l->data_off;
	end = l->notes_off + ns;
	for (i = 0; i < l->nloads; i++) {
		struct kho_elf_load *ld = &l->loads[i];

		if (ld->filesz > ld->memsz && !ld->fixed_offset)
			return KHO_ELF_EINVAL;
		if (l->require_sorted && i) {
			const struct kho_elf_load *pr = &l->loads[i - 1];

			if (ld->phys < pr->phys || ld->phys - pr->phys < pr->memsz)
				return KHO_ELF_EINVAL;
		}
		if (ld->fixed_offset)
			continue;
		ld->offset = off;
		if (ld->filesz > ~(kew_u64)0 - off)
			return KHO_ELF_ERANGE;
		end = off + ld->filesz;
		if (!align_ok(end, l->page_size, &off))
			return KHO_ELF_ERANGE;
	}
	l->file_size = end > l->data_off || !l->nloads ? end : l->data_off;
	return 0;
}

/* Copy the part of piece [pos, pos + n) that falls in [off, off + len). */
struct window {
	kew_u64 off, len;
	kew_u8 *buf;
	kew_u64 done;
};

static void emit(struct window *w, kew_u64 pos, const void *src, kew_u64 n)
{
	kew_u64 a, b;

	if (!n || pos >= w->off + w->len || pos + n <= w->off)
		return;
	a = pos > w->off ? pos : w->off;
	b = pos + n < w->off + w->len ? pos + n : w->off + w->len;
	if (src)
		memcpy(w->buf + (a - w->off), (const kew_u8 *)src + (a - pos),
		       (size_t)(b - a));
	else
		memset(w->buf + (a - w->off), 0, (size_t)(b - a));
	if (b - w->off > w->done)
		w->done = b - w->off;
}

static void ehdr(const struct kho_elf_layout *l, kew_u8 *h)
{
	int be = l->big_endian;

	memset(h, 0, KHO_ELF_EHDR_SIZE);
	h[0] = 0x7f;
	h[1] = 'E';
	h[2] = 'L';
	h[3] = 'F';
	h[4] = 2;           /* ELFCLASS64 */
	h[5] = be ? 2 : 1;  /* ELFDATA2MSB / ELFDATA2LSB */
	h[6] = 1;           /* EV_CURRENT */
	put(h + 16, 4, 2, be); /* ET_CORE */
	put(h + 18, l->machine, 2, be);
	put(h + 20, 1, 4, be); /* e_version */
	put(h + 32, l->phnum ? KHO_ELF_EHDR_SIZE : 0, 8, be); /* e_phoff */
	put(h + 52, KHO_ELF_EHDR_SIZE, 2, be);
	put(h + 54, KHO_ELF_PHDR_SIZE, 2, be);
	put(h + 56, l->phnum, 2, be);
}

static void phdr(const struct kho_elf_layout *l, kew_u32 i, kew_u8 *p)
{
	const struct kho_elf_load *ld;
	int be = l->big_endian;

	memset(p, 0, KHO_ELF_PHDR_SIZE);
	if (l->nnotes && i == 0) {
		put(p, KHO_ELF_PT_NOTE, 4, be);
		put(p + 4, KHO_ELF_PF_R, 4, be);
		put(p + 8, l->notes_off, 8, be);
		put(p + 32, l->notes_size, 8, be);
		put(p + 48, 4, 8, be);
		return;
	}
	ld = &l->loads[i - (l->nnotes ? 1 : 0)];
	put(p, ld->type ? ld->type : KHO_ELF_PT_LOAD, 4, be);
	put(p + 4, ld->flags ? ld->flags : KHO_ELF_PF_R, 4, be);
	put(p + 8, ld->offset, 8, be);
	put(p + 16, ld->vaddr, 8, be);
	put(p + 24, ld->phys, 8, be);
	put(p + 32, ld->filesz, 8, be);
	put(p + 40, ld->memsz, 8, be);
	put(p + 48, l->page_size, 8, be);
}

static void notes(const struct kho_elf_layout *l, struct window *w)
{
	static const kew_u8 zeros[4];
	kew_u64 pos = l->notes_off;
	kew_u32 i;

	for (i = 0; i < l->nnotes && pos < w->off + w->len; i++) {
		const struct kho_elf_note *n = &l->notes[i];
		kew_u64 size = kho_elf_note_size(n), namesz, descsz;
		kew_u8 h[12];

		if (pos + size <= w->off) {
			pos += size;
			continue;
		}
		namesz = cstrlen(n->name) + 1;
		descsz = n->desc_len + n->desc2_len;
		put(h, namesz, 4, l->big_endian);
		put(h + 4, descsz, 4, l->big_endian);
		put(h + 8, n->type, 4, l->big_endian);
		emit(w, pos, h, 12);
		pos += 12;
		emit(w, pos, n->name, namesz);
		emit(w, pos + namesz, zeros, align_up(namesz, 4) - namesz);
		pos += align_up(namesz, 4);
		emit(w, pos, n->desc, n->desc_len);
		emit(w, pos + n->desc_len, n->desc2, n->desc2_len);
		emit(w, pos + descsz, zeros, align_up(descsz, 4) - descsz);
		pos += align_up(descsz, 4);
	}
}

kew_u64 kho_elf_header_read(const struct kho_elf_layout *l, kew_u64 off,
			    void *buf, kew_u64 len)
{
	struct window w;
	kew_u8 tmp[KHO_ELF_EHDR_SIZE];
	kew_u64 first, last, i;

	if (off >= l->data_off || !len)
		return 0;
	if (len > l->data_off - off)
		len = l->data_off - off;
	w.off = off;
	w.len = len;
	w.buf = buf;
	w.done = 0;
	/* Padding first: pieces below overwrite their own bytes. */
	emit(&w, 0, (const void *)0, l->data_off);
	ehdr(l, tmp);
	emit(&w, 0, tmp, KHO_ELF_EHDR_SIZE);
	if (l->phnum && off + len > KHO_ELF_EHDR_SIZE &&
	    off < l->notes_off) {
		first = off > KHO_ELF_EHDR_SIZE
				? (off - KHO_ELF_EHDR_SIZE) / KHO_ELF_PHDR_SIZE : 0;
		last = (off + len - KHO_ELF_EHDR_SIZE + KHO_ELF_PHDR_SIZE - 1) /
		       KHO_ELF_PHDR_SIZE;
		if (last > l->phnum)
			last = l->phnum;
		for (i = first; i < last; i++) {
			phdr(l, (kew_u32)i, tmp);
			emit(&w, KHO_ELF_EHDR_SIZE + i * KHO_ELF_PHDR_SIZE, tmp,
			     KHO_ELF_PHDR_SIZE);
		}
	}
	notes(l, &w);
	return len;
}

long kho_elf_find_load(const struct kho_elf_layout *l, kew_u64 off)
{
	kew_u32 lo = 0, hi = l->nloads;

	if (off < l->data_off)
		return -1;
	/*
	 * Laid-out loads are in increasing offset order; fixed ones are not
	 * part of the data area and are skipped by the linear fallback.
	 */
	while (lo < hi) {
		kew_u32 mid = lo + (hi - lo) / 2;
		const struct kho_elf_load *ld = &l->loads[mid];

		if (ld->fixed_offset)
			break;
		if (off < ld->offset)
			hi = mid;
		else if (off - ld->offset >= ld->filesz)
			lo = mid + 1;
		else
			return (long)mid;
	}
	if (lo < hi) { /* a fixed load was in the way: plain scan */
		kew_u32 i;

		for (i = 0; i < l->nloads; i++) {
			const struct kho_elf_load *ld = &l->loads[i];

			if (!ld->fixed_offset && off >= ld->offset &&
			    off - ld->offset < ld->filesz)
				return (long)i;
		}
	}
	return -1;
}

/* Appends to a bounded buffer and counts what the full text needs. */
struct text {
	char *buf;
	kew_u64 cap, n;
};

static void tput(struct text *t, const char *s, kew_u64 n)
{
	kew_u64 i;

	for (i = 0; i < n; i++, t->n++)
		if (t->n + 1 < t->cap)
			t->buf[t->n] = s[i];
}

static void tstr(struct text *t, const char *s)
{
	tput(t, s, cstrlen(s));
}

static void tdec(struct text *t, kew_u64 v)
{
	char d[20];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		tput(t, &d[--n], 1);
}

static void thex(struct text *t, kew_u64 v)
{
	char d[16];
	int n = 0;

	do {
		d[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	tstr(t, "0x");
	while (n)
		tput(t, &d[--n], 1);
}

kew_u64 kho_elf_info_text(char *buf, kew_u64 cap, kew_u64 page_size,
			  kew_u64 fdt_phys, kew_u64 fdt_size,
			  const kew_u64 *scratch, kew_u32 nscratch,
			  const char *direction, const char *release,
			  const char *extra)
{
	struct text t = { buf, cap, 0 };
	kew_u32 i;

	tstr(&t, "FORMAT=1\nPAGE_SIZE=");
	tdec(&t, page_size);
	tstr(&t, "\n");
	if (fdt_phys) {
		tstr(&t, "FDT_PHYS=");
		thex(&t, fdt_phys);
		tstr(&t, "\n");
	}
	if (fdt_size) {
		tstr(&t, "FDT_SIZE=");
		tdec(&t, fdt_size);
		tstr(&t, "\n");
	}
	for (i = 0; i < nscratch; i++) {
		tstr(&t, "SCRATCH=");
		thex(&t, scratch[2 * i]);
		tstr(&t, ",");
		thex(&t, scratch[2 * i + 1]);
		tstr(&t, "\n");
	}
	if (direction) {
		tstr(&t, "DIRECTION=");
		tstr(&t, direction);
		tstr(&t, "\n");
	}
	if (release) {
		tstr(&t, "RELEASE=");
		tstr(&t, release);
		tstr(&t, "\n");
	}
	if (extra)
		tstr(&t, extra);
	if (cap)
		buf[t.n < cap ? t.n : cap - 1] = '\0';
	return t.n;
}
