#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Copy QEMU's ELF memory dump into a form makedumpfile 1.7 reads.

    elf_for_makedumpfile.py IN.elf OUT.elf

makedumpfile looks for the program headers right after the ELF header, as
/proc/vmcore lays them out; QEMU puts its section headers (PN_XNUM support)
there and the program headers after them.  The copy has the program
headers moved to offset 64 and no section headers; every byte they
describe stays where it was.
"""
import shutil
import struct
import sys


def main():
    src, dst = sys.argv[1:3]
    with open(src, "rb") as f:
        head = bytearray(f.read(4096))
    if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
        sys.exit(f"elf_for_makedumpfile: {src}: not a little-endian ELF64 file")
    phoff, = struct.unpack_from("<Q", head, 32)
    phentsize, phnum = struct.unpack_from("<HH", head, 54)
    ph = bytes(head[phoff:phoff + phentsize * phnum])
    if phentsize != 56 or len(ph) != 56 * phnum:
        sys.exit(f"elf_for_makedumpfile: {src}: program headers beyond 4 KiB")
    first = min(struct.unpack_from("<Q", ph, i * 56 + 8)[0] for i in range(phnum))
    if 64 + len(ph) > first:
        sys.exit(f"elf_for_makedumpfile: {src}: no room for the program headers at 64")
    shutil.copyfile(src, dst)
    struct.pack_into("<Q", head, 32, 64)      # e_phoff
    struct.pack_into("<Q", head, 40, 0)       # e_shoff
    struct.pack_into("<HHH", head, 58, 0, 0, 0)  # e_shentsize, e_shnum, e_shstrndx
    head[64:64 + len(ph)] = ph
    with open(dst, "r+b") as f:
        f.write(head[:64 + len(ph)])


if __name__ == "__main__":
    main()
