#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the VMCOREINFO text of the kernel in an x86-64 ELF memory dump.

    vmcoreinfo.py DUMP.elf VMLINUX OUT

For makedumpfile -i when the dump carries no VMCOREINFO note (QEMU's
-device vmcoreinfo stays empty without the guest's fw_cfg driver).  The
kernel keeps the text in a page that the pointer vmcoreinfo_data names,
vmcoreinfo_size bytes long.  Kernel-image symbols are translated with the
kernel-text mapping (phys = vaddr - __START_KERNEL_map + phys_base), the
page pointer with the direct map (page_offset_base when the kernel has
it, else the fixed 4-level base): the guest boots with nokaslr.
"""
import struct
import subprocess
import sys

START_KERNEL_MAP = 0xffffffff80000000
DIRECT_MAP_4L = 0xffff888000000000


def main():
    elf, vmlinux, out = sys.argv[1:4]
    syms = {}
    nm = subprocess.run(["nm", vmlinux], capture_output=True, text=True,
                        check=True)
    for line in nm.stdout.splitlines():
        w = line.split()
        if len(w) == 3:
            syms[w[2]] = int(w[0], 16)
    f = open(elf, "rb")
    hdr = f.read(64)
    if hdr[:4] != b"\x7fELF" or hdr[4] != 2:
        sys.exit(f"vmcoreinfo: {elf}: not an ELF64 core")
    phoff, = struct.unpack_from("<Q", hdr, 32)
    phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
    f.seek(phoff)
    ph = f.read(phentsize * phnum)
    loads = []
    for i in range(phnum):
        t, _fl, off, _va, pa, fsz, _ms = struct.unpack_from(
            "<IIQQQQQ", ph, i * phentsize)
        if t == 1:
            loads.append((pa, fsz, off))

    def read(pa, n):
        for p, fsz, off in loads:
            if p <= pa and pa + n <= p + fsz:
                f.seek(off + pa - p)
                return f.read(n)
        sys.exit(f"vmcoreinfo: physical 0x{pa:x} ({n} bytes) not in {elf}")

    def u64_sym(name, phys_base):
        if name not in syms:
            sys.exit(f"vmcoreinfo: no symbol {name} in {vmlinux}")
        return struct.unpack("<Q", read(syms[name] - START_KERNEL_MAP +
                                         phys_base, 8))[0]

    phys_base = u64_sym("phys_base", 0)
    base = DIRECT_MAP_4L
    if "page_offset_base" in syms:
        base = u64_sym("page_offset_base", phys_base)
    ptr = u64_sym("vmcoreinfo_data", phys_base)
    size = u64_sym("vmcoreinfo_size", phys_base)
    if not ptr or ptr < base or not 0 < size <= 4096:
        sys.exit(f"vmcoreinfo: vmcoreinfo_data 0x{ptr:x} size {size}: not set up")
    data = read(ptr - base, size)
    if not data.startswith(b"OSRELEASE="):
        sys.exit("vmcoreinfo: the text does not start with OSRELEASE=")
    open(out, "wb").write(data)


if __name__ == "__main__":
    main()
