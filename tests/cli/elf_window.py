#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copy an ELF core keeping only the memory in [PHYS, PHYS+LEN): one PT_LOAD,
# no notes, the source's e_machine.  A dump that holds a root FDT but none
# of the memory its pointers lead to, for tests where nothing in the image
# can decide the page size.  Usage: elf_window.py SRC OUT PHYS LEN
import struct, sys

src, out, phys, length = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4], 0)
d = open(src, "rb").read()
if d[:4] != b"\x7fELF" or d[4] != 2 or d[5] != 1:
    sys.exit("elf_window.py: want a little-endian ELF64 file")
machine = struct.unpack_from("<H", d, 18)[0]
phoff, = struct.unpack_from("<Q", d, 32)
phentsize, phnum = struct.unpack_from("<HH", d, 54)
data = None
for i in range(phnum):
    p_type, _, p_off, _, p_paddr, p_filesz = struct.unpack_from("<IIQQQQ", d, phoff + i * phentsize)
    if p_type == 1 and p_paddr <= phys and phys + length <= p_paddr + p_filesz:
        data = d[p_off + phys - p_paddr:p_off + phys - p_paddr + length]
if data is None:
    sys.exit("elf_window.py: no PT_LOAD holds the whole window")
ehdr = struct.pack("<4sBBBBB7sHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0, b"\0" * 7,
                   4, machine, 1, 0, 64, 0, 0, 64, 56, 1, 64, 0, 0)
off = 64 + 56
phdr = struct.pack("<IIQQQQQQ", 1, 6, off, 0, phys, length, length, 4096)
open(out, "wb").write(ehdr + phdr + data)
