// SPDX-License-Identifier: GPL-2.0
/*
 * kho_export: publish the current Kexec HandOver state as /proc/kho/image,
 * a handover image in the kho-image(5) format: the ELF header, the KHO
 * notes (FORMAT, PAGE_SIZE, FDT_PHYS, SCRATCH, DIRECTION, RELEASE) and one
 * PT_LOAD per run of pages reachable from the root FDT: the root FDT, every
 * sub-blob named by a root child node, the memory-map nodes and every
 * preserved block they list (which covers the LUO structures, vmalloc
 * chunks, blocks, memfd folio arrays and the preserved data).
 *
 * The layout is computed at open() into a small table; read() streams any
 * file range on demand: header bytes from the shared serializer
 * (lib/kho_elf_writer.c), data bytes straight from the physical pages.
 * Root only (0400), read-only, seekable, never writes kernel state.
 *
 * With incoming=1 the root FDT is the one this kernel was booted with and
 * only it and the sub-blobs it names are exported: the memory map of the
 * previous kernel is not preserved, its pages are handed to the page
 * allocator after early boot, so walking it would export reused memory.
 *
 * Needs kho_get_fdt_phys() and kho_get_scratch() (kernel/patches/0001).
 * This file is the only kernel-specific glue: keep it thin.
 */
#define pr_fmt(fmt) "kho_export: " fmt

#include <linux/bitops.h>
#include <linux/capability.h>
#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include "kho/elf_writer.h"

static bool incoming;
module_param(incoming, bool, 0444);
MODULE_PARM_DESC(incoming, "export the incoming state (DIRECTION=in)");

static unsigned int radix_depth;
module_param(radix_depth, uint, 0444);
MODULE_PARM_DESC(radix_depth, "radix tree depth (0 = from the page size)");

#define MAX_RANGES (4u << 20)  /* preserved blocks kept in the table */
#define MAX_NODES (1u << 20)   /* memory-map pages walked */
#define MAX_BLOB (1ull << 30)  /* a larger blob-size is clamped to this */
#define MAX_SCRATCH 64u        /* scratch areas listed in the note */

struct run {
	u64 phys, size;
};

struct snap {
	struct run *r;
	u32 n, cap;
	u32 nodes;
	bool v1;
	struct kho_elf_layout l;
	struct kho_elf_load *loads;
	struct kho_elf_note note;
	u64 scr[2 * MAX_SCRATCH];
	char info[4096];
};

static int add(struct snap *s, u64 phys, u64 size)
{
	if (!size || !pfn_valid(PHYS_PFN(phys)))
		return 0;
	if (s->n == s->cap) {
		u32 cap = s->cap ? s->cap * 2 : 1024;
		struct run *r;

		if (cap > MAX_RANGES)
			return -E2BIG;
		r = kvmalloc_array(cap, sizeof(*r), GFP_KERNEL);
		if (!r)
			return -ENOMEM;
		if (s->n)
			memcpy(r, s->r, s->n * sizeof(*r));
		kvfree(s->r);
		s->r = r;
		s->cap = cap;
	}
	s->r[s->n].phys = round_down(phys, PAGE_SIZE);
	s->r[s->n].size = round_up(phys + size, PAGE_SIZE) - s->r[s->n].phys;
	s->n++;
	return 0;
}

/* A page of memory-map metadata, or NULL when the address is not RAM. */
static const u64 *node(struct snap *s, u64 phys)
{
	if (!phys || !PAGE_ALIGNED(phys) || !pfn_valid(PHYS_PFN(phys)) ||
	    ++s->nodes > MAX_NODES)
		return NULL;
	if (add(s, phys, PAGE_SIZE))
		return NULL;
	return phys_to_virt(phys);
}

/* ---- the root FDT: a bounded walk of the structure block ---- */

static u32 be32(const void *p)
{
	return get_unaligned_be32(p);
}

static int walk_fdt(struct snap *s, const u8 *fdt, u32 avail, u64 *mapp)
{
	u32 total = be32(fdt + 4), off_struct = be32(fdt + 8);
	u32 off_str = be32(fdt + 12), size_struct = be32(fdt + 36);
	u32 pos = off_struct, end, depth = 0;
	u64 child_phys = 0, child_size = 0;
	int rc = 0;

	if (be32(fdt) != 0xd00dfeed || total > avail || off_struct > total ||
	    size_struct > total - off_struct || off_str > total)
		return -EINVAL;
	end = off_struct + size_struct;
	while (pos + 4 <= end && !rc) {
		u32 tok = be32(fdt + pos);

		pos += 4;
		if (tok == 1) {         /* FDT_BEGIN_NODE */
			depth++;
			child_phys = child_size = 0;
			while (pos < end && fdt[pos])
				pos++;
			pos = ALIGN(pos + 1, 4);
		} else if (tok == 2) {  /* FDT_END_NODE */
			if (depth == 2 && child_phys)
				rc = add(s, child_phys,
					 child_size ? min(child_size, MAX_BLOB) :
					 PAGE_SIZE);
			if (!depth--)
				break;
		} else if (tok == 3) {  /* FDT_PROP */
			u32 len, nameoff;
			const char *name;
			const u8 *val;

			if (pos + 8 > end)
				break;
			len = be32(fdt + pos);
			nameoff = be32(fdt + pos + 4);
			val = fdt + pos + 8;
			if (len > end - pos - 8 || nameoff >= total - off_str)
				break;
			name = (const char *)fdt + off_str + nameoff;
			if (len == 8 && depth == 1 &&
			    !strcmp(name, "preserved-memory-map"))
				*mapp = get_unaligned((const u64 *)val);
			else if (len >= 7 && depth == 1 &&
				 !strcmp(name, "compatible"))
				s->v1 = !strncmp((const char *)val, "kho-v1", 7);
			else if (len == 8 && depth == 2 &&
				 (!strcmp(name, "preserved-data") ||
				  !strcmp(name, "fdt")))
				child_phys = get_unaligned((const u64 *)val);
			else if (len == 8 && depth == 2 &&
				 !strcmp(name, "blob-size"))
				child_size = get_unaligned((const u64 *)val);
			pos = ALIGN(pos + 8 + len, 4);
		} else if (tok == 4) {  /* FDT_NOP */
			continue;
		} else {                /* FDT_END or garbage */
			break;
		}
	}
	return rc;
}

/* ---- the memory map ---- */

static int leaf(struct snap *s, const u64 *bits, u64 key_base)
{
	unsigned long i, nbits = PAGE_SIZE * 8;
	unsigned int o0 = 64 - PAGE_SHIFT;
	int rc = 0;

	for_each_set_bit(i, (const unsigned long *)bits, nbits) {
		u64 key = key_base | i;
		unsigned int order = o0 + 1 - fls64(key);

		if (!key || order > 40)
			continue;
		rc = add(s, key << (PAGE_SHIFT + order), PAGE_SIZE << order);
		if (rc)
			break;
	}
	return rc;
}

static int radix(struct snap *s, u64 phys, int level, u64 prefix)
{
	const unsigned int t = PAGE_SHIFT - 3, b = PAGE_SHIFT + 3;
	const u64 *tab = node(s, phys);
	unsigned int i;
	int rc = 0;

	if (!tab)
		return 0;
	for (i = 0; i < (1u << t) && !rc; i++) {
		/* The outgoing tree is live: an entry may be set meanwhile. */
		u64 next = READ_ONCE(tab[i]);
		u64 k = prefix | ((u64)i << ((level - 1) * t + b));

		if (!next)
			continue;
		if (level == 1) {
			const u64 *l = node(s, next);

			if (l)
				rc = leaf(s, l, k);
		} else {
			rc = radix(s, next, level - 1, k);
		}
		cond_resched();
	}
	return rc;
}

static unsigned int depth(void)
{
	unsigned int o0 = 64 - PAGE_SHIFT, t = PAGE_SHIFT - 3;
	unsigned int b = PAGE_SHIFT + 3;

	if (radix_depth)
		return radix_depth;
	return DIV_ROUND_UP(o0 - b + 1, t) + 1; /* kho-v4 and later */
}

static int v1(struct snap *s, u64 phys)
{
	const unsigned int per = (PAGE_SIZE - 16) / 16;
	int rc = 0;

	while (phys && !rc) {
		const u64 *c = node(s, phys);
		u32 order, n, i;

		if (!c)
			break;
		order = ((const u32 *)c)[2];
		n = min_t(u32, ((const u32 *)c)[3], per);
		for (i = 0; i < n && !rc && order <= 40; i++) {
			u64 start = c[2 + 2 * i], bm = c[3 + 2 * i];
			const u64 *bits = node(s, bm);
			unsigned long bit;

			if (!bits)
				continue;
			for_each_set_bit(bit, (const unsigned long *)bits,
					 PAGE_SIZE * 8) {
				rc = add(s, start + ((u64)bit << (PAGE_SHIFT + order)),
					 PAGE_SIZE << order);
				if (rc)
					break;
			}
		}
		phys = c[0];
	}
	return rc;
}

/* ---- the snapshot ---- */

static int cmp_range(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

static int build(struct snap *s)
{
	u64 fdt_phys = kho_get_fdt_phys(incoming);
	const struct kho_scratch *sc;
	unsigned int nsc, i, k = 0;
	u64 map = 0;
	int rc;

	if (!fdt_phys)
		return -ENOENT;
	rc = add(s, fdt_phys, PAGE_SIZE);
	if (rc)
		return rc;
	rc = walk_fdt(s, phys_to_virt(fdt_phys), PAGE_SIZE, &map);
	if (rc)
		return rc;
	if (map && !incoming)
		rc = s->v1 ? v1(s, map) : radix(s, map, depth() - 1, 0);
	if (rc)
		return rc;

	/* Sort and merge into page-aligned, disjoint runs. */
	sort(s->r, s->n, sizeof(*s->r), cmp_range, NULL);
	for (i = 0; i < s->n; i++) {
		if (k && s->r[i].phys <= s->r[k - 1].phys + s->r[k - 1].size) {
			u64 end = max(s->r[k - 1].phys + s->r[k - 1].size,
				      s->r[i].phys + s->r[i].size);

			s->r[k - 1].size = end - s->r[k - 1].phys;
			continue;
		}
		s->r[k++] = s->r[i];
	}
	s->n = k;
	if (k > 0xfff0)
		return -E2BIG; /* e_phnum: no PN_XNUM in this format */
	s->loads = kvcalloc(k ? k : 1, sizeof(*s->loads), GFP_KERNEL);
	if (!s->loads)
		return -ENOMEM;
	for (i = 0; i < k; i++) {
		s->loads[i].phys = s->r[i].phys;
		s->loads[i].filesz = s->loads[i].memsz = s->r[i].size;
	}

	sc = kho_get_scratch(&nsc);
	if (!sc)
		nsc = 0;
	nsc = min(nsc, MAX_SCRATCH);
	for (i = 0; i < nsc; i++) {
		s->scr[2 * i] = sc[i].addr;
		s->scr[2 * i + 1] = sc[i].size;
	}
	if (kho_elf_info_text(s->info, sizeof(s->info), PAGE_SIZE, fdt_phys,
			      PAGE_SIZE, s->scr, nsc,
			      incoming ? "in" : "out", init_utsname()->release,
			      "PRODUCER=kho_export\n") >= sizeof(s->info))
		return -E2BIG;
	s->note = (struct kho_elf_note){ "KHO", KHO_NT_INFO, s->info,
					 strlen(s->info) + 1, NULL, 0 };
	s->l.big_endian = IS_ENABLED(CONFIG_CPU_BIG_ENDIAN);
	s->l.machine = ELF_ARCH;
	s->l.page_size = PAGE_SIZE;
	s->l.notes = &s->note;
	s->l.nnotes = 1;
	s->l.loads = s->loads;
	s->l.nloads = k;
	s->l.require_sorted = 1;
	return kho_elf_layout(&s->l) ? -EINVAL : 0;
}

static void snap_free(struct snap *s)
{
	if (!s)
		return;
	kvfree(s->r);
	kvfree(s->loads);
	kfree(s);
}

static int image_open(struct inode *inode, struct file *file)
{
	struct snap *s;
	int rc;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	s = kzalloc_obj(*s);
	if (!s)
		return -ENOMEM;
	rc = build(s);
	if (rc) {
		snap_free(s);
		return rc;
	}
	file->private_data = s;
	return 0;
}

static int image_release(struct inode *inode, struct file *file)
{
	snap_free(file->private_data);
	return 0;
}

/* Copy file bytes [pos, pos + len) of load i from its physical pages. */
static ssize_t copy_load(const struct kho_elf_load *ld, u64 pos,
			 char __user *buf, size_t len)
{
	u64 phys = ld->phys + (pos - ld->offset);
	size_t in = offset_in_page(phys), n = min_t(size_t, len, PAGE_SIZE - in);
	struct page *page;
	void *v;
	size_t left;

	if (!pfn_valid(PHYS_PFN(phys)))
		return clear_user(buf, n) ? -EFAULT : n;
	page = pfn_to_page(PHYS_PFN(phys));
	v = kmap_local_page(page);
	left = copy_to_user(buf, v + in, n);
	kunmap_local(v);
	return left == n ? -EFAULT : (ssize_t)(n - left);
}

/* Copy up to want bytes of file offset pos: header, load data or padding. */
static ssize_t read_piece(const struct snap *s, u64 pos, char __user *buf,
			  size_t want)
{
	u8 tmp[256];
	size_t n;
	long i;

	if (pos < s->l.data_off) {
		n = kho_elf_header_read(&s->l, pos, tmp, min(want, sizeof(tmp)));
		return copy_to_user(buf, tmp, n) ? -EFAULT : (ssize_t)n;
	}
	i = kho_elf_find_load(&s->l, pos);
	if (i >= 0) {
		const struct kho_elf_load *ld = &s->l.loads[i];

		return copy_load(ld, pos, buf,
				 min_t(u64, want, ld->offset + ld->filesz - pos));
	}
	/* Padding between loads reads as zeros. */
	n = min_t(u64, want, ALIGN(pos + 1, PAGE_SIZE) - pos);
	return clear_user(buf, n) ? -EFAULT : (ssize_t)n;
}

static ssize_t image_read(struct file *file, char __user *buf, size_t len,
			  loff_t *ppos)
{
	const struct snap *s = file->private_data;
	u64 pos = *ppos, end = s->l.file_size;
	size_t done = 0;

	if (*ppos < 0)
		return -EINVAL;
	while (done < len && pos < end) {
		ssize_t n = read_piece(s, pos, buf + done,
				       min_t(u64, len - done, end - pos));

		if (n <= 0) {
			if (!done)
				return n ? n : -EIO;
			break; /* report the bytes copied so far */
		}
		done += n;
		pos += n;
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}
	*ppos = pos;
	return done;
}

static loff_t image_lseek(struct file *file, loff_t off, int whence)
{
	const struct snap *s = file->private_data;

	return fixed_size_llseek(file, off, whence, s->l.file_size);
}

static const struct proc_ops image_ops = {
	.proc_open = image_open,
	.proc_read = image_read,
	.proc_lseek = image_lseek,
	.proc_release = image_release,
};

static struct proc_dir_entry *dir;

static int __init kho_export_init(void)
{
	if (!kho_is_enabled())
		return -ENODEV;
	dir = proc_mkdir("kho", NULL);
	if (!dir)
		return -ENOMEM;
	if (!proc_create("image", 0400, dir, &image_ops)) {
		proc_remove(dir);
		return -ENOMEM;
	}
	return 0;
}

static void __exit kho_export_exit(void)
{
	proc_remove(dir);
}

module_init(kho_export_init);
module_exit(kho_export_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Read-only /proc/kho/image: the KHO state as a handover image");
