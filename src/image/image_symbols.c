// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --vmlinux: find the root FDT of a dump the way a debugger would, with
 * no scan and no module.  The kernel's static `kho_out` starts (7.2) with
 * `void *fdt`, the direct-map address of the outgoing root FDT.  Its link
 * address comes from the kernel's vmlinux (ELF .symtab) or System.map
 * ("ADDR TYPE NAME" lines); VMCOREINFO, when the dump has it, gives the
 * KASLR offset (KERNELOFFSET), phys_base and whether 5-level paging is on.
 * x86-64 only (the dump's machine, else the vmlinux's): a kernel-image address is turned into a physical one
 * through the kernel-text mapping (vaddr - __START_KERNEL_map +
 * phys_base), the pointer through the direct map (page_offset_base, read
 * from the dump when the kernel has that variable, else the fixed base).
 */
#define KHO_IMAGE_INTERNAL
#include "image.h"

#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>


#define X86_START_KERNEL_MAP 0xffffffff80000000ULL
#define X86_DIRECT_MAP_L4 0xffff888000000000ULL
#define X86_DIRECT_MAP_L5 0xff11000000000000ULL

/* A symbol of an ELF file's .symtab: 0, KHO_ENOENT, KHO_EFORMAT (twice,
 * at different addresses), KHO_EIO. */
static int elf_symbol(int fd, const char *name, uint64_t *addr,
		      unsigned int *machine)
{
	Elf *e;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	int rc = KHO_ENOENT;

	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		if (e)
			elf_end(e);
		return KHO_EIO;
	}
	if (gelf_getehdr(e, &eh))
		*machine = eh.e_machine;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Sym s;
			const char *nm;

			if (!gelf_getsym(d, (int)i, &s))
				break;
			if (GELF_ST_TYPE(s.st_info) != STT_OBJECT &&
			    GELF_ST_TYPE(s.st_info) != STT_NOTYPE)
				continue;
			nm = elf_strptr(e, sh.sh_link, s.st_name);
			if (!nm || strcmp(nm, name))
				continue;
			if (rc == 0 && s.st_value != *addr) {
				rc = KHO_EFORMAT;
				goto out;
			}
			*addr = s.st_value;
			rc = 0;
		}
	}
out:
	elf_end(e);
	return rc;
}

/* *machine: the ELF file's e_machine, left alone for a System.map. */
static int lookup(const char *path, const char *name, uint64_t *addr,
		  unsigned int *machine)
{
	unsigned char magic[4] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return KHO_EIO;
	if (pread(fd, magic, 4, 0) == 4 && !memcmp(magic, ELFMAG, 4))
		rc = elf_symbol(fd, name, addr, machine);
	else
		rc = kho_kallsyms_lookup(path, name, addr);
	close(fd);
	return rc;
}

/* The u64 at kernel-image address va (symbol + KASLR offset). */
static int read_kernel_u64(const struct kho_image *img,
			   const struct kho_note_facts *f, uint64_t va,
			   uint64_t *phys, uint64_t *val)
{
	uint8_t b[8];
	int i;

	if (va < X86_START_KERNEL_MAP)
		return KHO_ERANGE;
	*phys = va - X86_START_KERNEL_MAP + f->phys_base;
	if (kho_image_read(img, *phys, b, sizeof(b)))
		return KHO_ENOTCAPTURED;
	*val = 0;
	for (i = 7; i >= 0; i--)
		*val = *val << 8 | b[i];
	return 0;
}

int kho_image_locate_vmlinux(struct kho_image *img, const char *path,
			     const struct kho_note_facts *f, uint64_t *out,
			     char *err, size_t errlen)
{
	uint64_t sym, va, pa, ptr, base, pob;
	unsigned int em = 0;
	int rc;

	rc = lookup(path, "kho_out", &sym, &em);
	if (rc == KHO_EIO) {
		snprintf(err, errlen, "--vmlinux: cannot read %s", path);
		return KHO_EIO;
	}
	if (rc == KHO_ENOENT) {
		snprintf(err, errlen,
			 "--vmlinux: %s has no symbol kho_out (not a vmlinux or System.map of a KHO kernel)",
			 path);
		return KHO_EFORMAT;
	}
	if (rc) {
		snprintf(err, errlen,
			 "--vmlinux: %s names kho_out at two addresses", path);
		return KHO_EFORMAT;
	}
	/* A dump that does not name its machine (QEMU's kdump files carry
	 * no VMCOREINFO without the guest's fw_cfg driver) takes the
	 * vmlinux's. */
	if (img->machine ? img->machine != EM_X86_64 : em != EM_X86_64) {
		snprintf(err, errlen,
			 "--vmlinux: only x86-64 dumps can be read this way (machine %u); use --scan or --fdt-phys",
			 img->machine ? img->machine : em);
		return KHO_EFORMAT;
	}
	va = sym + f->kernel_offset;
	rc = read_kernel_u64(img, f, va, &pa, &ptr);
	if (rc == KHO_ERANGE) {
		snprintf(err, errlen,
			 "--vmlinux: kho_out at 0x%llx is not a kernel-image address",
			 (unsigned long long)va);
		return KHO_EFORMAT;
	}
	if (rc) {
		snprintf(err, errlen,
			 "--vmlinux: kho_out at 0x%llx (physical 0x%llx) is not captured in the dump",
			 (unsigned long long)va, (unsigned long long)pa);
		return KHO_EFORMAT;
	}
	if (!ptr) {
		snprintf(err, errlen,
			 "--vmlinux: kho_out.fdt is NULL (KHO is not enabled in this kernel)");
		return KHO_EFORMAT;
	}
	base = f->l5_paging ? X86_DIRECT_MAP_L5 : X86_DIRECT_MAP_L4;
	if (lookup(path, "page_offset_base", &sym, &em) == 0 &&
	    read_kernel_u64(img, f, sym + f->kernel_offset, &pa, &pob) == 0 &&
	    pob)
		base = pob;
	if (ptr < base || ptr - base >= KHO_PHYS_LIMIT) {
		snprintf(err, errlen,
			 "--vmlinux: kho_out.fdt = 0x%llx is not a direct-map address (base 0x%llx)",
			 (unsigned long long)ptr, (unsigned long long)base);
		return KHO_EFORMAT;
	}
	*out = ptr - base;
	return 0;
}
