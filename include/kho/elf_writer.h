/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The KHO image serializer (kho-image(5)): lays out the ELF header, the
 * program headers and the notes of a handover image.  One source file,
 * lib/kho_elf_writer.c, is compiled into the userspace tools (capture,
 * kho-mkimage) and into the kernel exporter (kernel/), so that both write
 * the same bytes.
 *
 * It allocates nothing and calls nothing beyond memcpy/memset: the caller
 * owns every array, and kho_elf_header_read() produces the bytes of any file
 * range [off, off + len) of the header part on demand, which lets the
 * kernel module stream the image from a read() handler.  The data of load i
 * lies at file offset loads[i].offset; the caller copies it from memory.
 *
 * Layout (fixed, so that readers and tests can rely on it):
 *   0                      Elf64_Ehdr
 *   64                     Elf64_Phdr[phnum]: PT_NOTE (when there are notes),
 *                          then the loads in array order
 *   64 + 56 * phnum        the notes, each 4-byte aligned
 *   data_off               align_up(end of notes, page_size): load data,
 *                          each load starting on a page boundary
 */
#ifndef KHO_ELF_WRITER_H
#define KHO_ELF_WRITER_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
typedef u8 kew_u8;
typedef u16 kew_u16;
typedef u32 kew_u32;
typedef u64 kew_u64;
#else
#include <stddef.h>
#include <stdint.h>
#include <string.h>
typedef uint8_t kew_u8;
typedef uint16_t kew_u16;
typedef uint32_t kew_u32;
typedef uint64_t kew_u64;
#endif

#define KHO_ELF_EHDR_SIZE 64u
#define KHO_ELF_PHDR_SIZE 56u

/*
 * Note types of the "KHO" owner (kho-image(5) NOTES): 'K' 'H' 'O' then a
 * number, values no core reader gives a meaning.  The first images used
 * 1, 2 and 3, which readelf and gdb name NT_PRSTATUS, NT_PRFPREG and
 * NT_PRPSINFO in an ET_CORE file; readers still accept those (_LEGACY),
 * writers use the new ones.
 */
#define KHO_NT_INFO 0x4b484f01u
#define KHO_NT_FDT 0x4b484f02u
#define KHO_NT_SUBBLOB 0x4b484f03u
#define KHO_NT_INFO_LEGACY 1u
#define KHO_NT_FDT_LEGACY 2u
#define KHO_NT_SUBBLOB_LEGACY 3u

#define KHO_ELF_PT_LOAD 1u
#define KHO_ELF_PT_NOTE 4u
#define KHO_ELF_PF_X 1u
#define KHO_ELF_PF_W 2u
#define KHO_ELF_PF_R 4u

#define KHO_ELF_EM_X86_64 62u
#define KHO_ELF_EM_AARCH64 183u
#define KHO_ELF_EM_RISCV 243u
#define KHO_ELF_EM_LOONGARCH 258u

/* Errors of kho_elf_layout(). */
#define KHO_ELF_EINVAL 1 /* bad page size, unsorted/overlapping loads, ... */
#define KHO_ELF_ERANGE 2 /* an offset or size overflows 64 bits */

/*
 * One note.  The descriptor is desc[0..desc_len) followed by
 * desc2[0..desc2_len) (the second part lets NT_KHO_SUBBLOB carry its 8-byte
 * address and the blob without a copy).  name is NUL-terminated.
 */
struct kho_elf_note {
	const char *name;
	kew_u32 type;
	const void *desc;
	kew_u64 desc_len;
	const void *desc2;
	kew_u64 desc2_len;
};

/*
 * One program header after the PT_NOTE.  type 0 means PT_LOAD; flags 0
 * means PF_R.  With fixed_offset 0, kho_elf_layout() sets offset (the data
 * area, in array order); otherwise offset is written as given and the load
 * takes no room in the data area (kho-mkimage's corruption directives).
 */
struct kho_elf_load {
	kew_u64 phys;
	kew_u64 vaddr;
	kew_u64 filesz;
	kew_u64 memsz;
	kew_u64 offset;
	kew_u32 type;
	kew_u32 flags;
	int fixed_offset;
};

struct kho_elf_layout {
	/* Inputs. */
	int big_endian;
	kew_u16 machine;
	kew_u64 page_size;            /* load alignment and p_align */
	const struct kho_elf_note *notes;
	kew_u32 nnotes;
	struct kho_elf_load *loads;   /* offsets are filled in */
	kew_u32 nloads;
	int require_sorted;           /* reject unsorted or overlapping loads */

	/* Results of kho_elf_layout(). */
	kew_u32 phnum;
	kew_u64 notes_off;
	kew_u64 notes_size;
	kew_u64 data_off;
	kew_u64 file_size;            /* end of the last load's file bytes */
};

/* Bytes one note takes (header, padded name, padded descriptor). */
kew_u64 kho_elf_note_size(const struct kho_elf_note *n);

/* Compute the layout.  0 or KHO_ELF_EINVAL / KHO_ELF_ERANGE. */
int kho_elf_layout(struct kho_elf_layout *l);

/*
 * Copy the header bytes at file offsets [off, off + len) into buf, for the
 * part of that range that lies below data_off; bytes between the end of
 * the notes and data_off are zero.  Returns the number of bytes written
 * (0 when off >= data_off).
 */
kew_u64 kho_elf_header_read(const struct kho_elf_layout *l, kew_u64 off,
			    void *buf, kew_u64 len);

/*
 * The load whose file bytes hold offset off: its index (binary search over
 * the laid-out loads, which are in increasing offset order).  Returns -1
 * when off is in padding, in the header part or past the end.
 */
long kho_elf_find_load(const struct kho_elf_layout *l, kew_u64 off);

/*
 * Write the NT_KHO_INFO text into buf (at most cap bytes, NUL-terminated
 * when cap > 0): FORMAT, PAGE_SIZE, FDT_PHYS (when nonzero), FDT_SIZE (when
 * nonzero), one SCRATCH per (addr, size) pair of scratch[2 * nscratch],
 * DIRECTION and RELEASE (when not NULL), then `extra` verbatim (NULL: none;
 * each line must end in a newline).  Returns the length the whole text
 * needs without the NUL, like snprintf.
 */
kew_u64 kho_elf_info_text(char *buf, kew_u64 cap, kew_u64 page_size,
			  kew_u64 fdt_phys, kew_u64 fdt_size,
			  const kew_u64 *scratch, kew_u32 nscratch,
			  const char *direction, const char *release,
			  const char *extra);

#endif /* KHO_ELF_WRITER_H */
