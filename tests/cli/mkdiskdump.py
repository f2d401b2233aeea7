#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write a small kdump-compressed ("diskdump", makedumpfile's default
format) file from a 64-bit little-endian ELF core, for tests that must not
need a kernel, QEMU or a vmcore makedumpfile accepts.

    mkdiskdump.py IN.elf OUT [--compress none|zlib] [--exclude START-END]...
                  [--garble START-END]... [--poke PHYS=HEX]...
                  [--no-vmcoreinfo | --vmcoreinfo FILE] [--machine NAME]
                  [--flatten yes|no-end|bad-offset]

Layout (one block = the page size: VMCOREINFO's PAGESIZE, else 4096):
    block 0        disk_dump_header ("KDUMP   ", version 6, utsname, ...)
    block 1..      kdump_sub_header, then a VMCOREINFO ELF note
    bitmap blocks  bitmap 1 (pages of RAM), then bitmap 2 (pages dumped)
    descriptors    one page_desc (offset, size, flags, page_flags) per
                   dumped page, in pfn order
    page data      each page zlib-compressed when that is shorter, else raw

Pages of a PT_LOAD are RAM; --exclude START-END (physical, hex or decimal,
END exclusive) leaves those pages RAM but not dumped, which is what
makedumpfile -d does with the pages it filters.  Holes between PT_LOADs are
not RAM.  --garble START-END replaces those pages' data with bytes that
are not a zlib stream (a corrupt dump).  --poke PHYS=HEXBYTES writes those
bytes at that physical address (a page of RAM is added when needed).
--vmcoreinfo FILE replaces the ELF's VMCOREINFO text.  --flatten yes writes
makedumpfile's flattened form (what makedumpfile -F and QEMU up to 8.1
write); no-end leaves out its end mark, bad-offset gives the first record
a negative offset.
"""
import argparse
import struct
import sys
import zlib

BS = 4096
DUMP_DH_COMPRESSED_ZLIB = 0x1


def read_elf(path):
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("mkdiskdump: %s: not a 64-bit little-endian ELF" % path)
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    loads, vmcoreinfo = [], b""
    for i in range(phnum):
        (ptype, _fl, off, _va, pa, filesz,
         memsz) = struct.unpack_from("<IIQQQQQ", data, phoff + i * phentsize)
        if ptype == 1 and memsz:
            loads.append((pa, memsz, data[off:off + filesz]))
        elif ptype == 4:
            pos, end = off, off + filesz
            while end - pos >= 12:
                nsz, dsz, _t = struct.unpack_from("<III", data, pos)
                name = data[pos + 12:pos + 12 + nsz].rstrip(b"\0")
                doff = pos + 12 + ((nsz + 3) & ~3)
                if name == b"VMCOREINFO":
                    vmcoreinfo = data[doff:doff + dsz]
                pos = doff + ((dsz + 3) & ~3)
    return loads, vmcoreinfo


def num(s):
    return int(s, 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("elf")
    ap.add_argument("out")
    ap.add_argument("--compress", choices=("none", "zlib"), default="zlib")
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("--garble", action="append", default=[])
    ap.add_argument("--poke", action="append", default=[])
    ap.add_argument("--no-vmcoreinfo", action="store_true")
    ap.add_argument("--vmcoreinfo")
    ap.add_argument("--flatten", choices=("yes", "no-end", "bad-offset"))
    ap.add_argument("--machine", default="x86_64")
    a = ap.parse_args()

    global BS
    loads, vmci = read_elf(a.elf)
    if a.vmcoreinfo:
        vmci = open(a.vmcoreinfo, "rb").read()
    # Blocks are pages, as makedumpfile writes them.
    for line in vmci.split(b"\n"):
        if line.startswith(b"PAGESIZE="):
            BS = int(line[len(b"PAGESIZE="):])
    if a.no_vmcoreinfo:
        vmci = b""
    excl, garble = [], []
    for e in a.exclude:
        lo, hi = e.split("-")
        excl.append((num(lo), num(hi)))
    for e in a.garble:
        lo, hi = e.split("-")
        garble.append((num(lo), num(hi)))

    ram, pages = set(), {}
    for pa, memsz, fbytes in loads:
        for pfn in range(pa // BS, (pa + memsz + BS - 1) // BS):
            ram.add(pfn)
            base = pfn * BS
            page = bytearray(BS)
            lo = max(base, pa)
            hi = min(base + BS, pa + len(fbytes))
            if hi > lo:
                page[lo - base:hi - base] = fbytes[lo - pa:hi - pa]
            if not any(x <= base < y for x, y in excl):
                pages[pfn] = bytes(page)
    for e in a.poke:
        at, hexbytes = e.split("=")
        at, data = num(at), bytes.fromhex(hexbytes)
        pfn = at // BS
        page = bytearray(pages.get(pfn, bytes(BS)))
        page[at % BS:at % BS + len(data)] = data
        ram.add(pfn)
        pages[pfn] = bytes(page)
    max_mapnr = max(ram) + 1 if ram else 1
    bm_bytes = (max_mapnr + 7) // 8
    bm_blocks = (bm_bytes + BS - 1) // BS
    bitmap1, bitmap2 = bytearray(bm_blocks * BS), bytearray(bm_blocks * BS)
    for pfn in ram:
        bitmap1[pfn // 8] |= 1 << (pfn % 8)
    for pfn in pages:
        bitmap2[pfn // 8] |= 1 << (pfn % 8)

    release = b""
    for line in vmci.split(b"\n"):
        if line.startswith(b"OSRELEASE="):
            release = line[len(b"OSRELEASE="):]
    # Version 4 and later readers take VMCOREINFO from the ELF notes that
    # follow the sub-header; offset_vmcoreinfo points into that note.
    note = b""
    if vmci:
        note = struct.pack("<III", 11, len(vmci), 0) + b"VMCOREINFO\0\0"
        note += vmci + b"\0" * ((4 - len(vmci) % 4) % 4)
    sub_len = 104 + len(note)
    sub_blocks = (sub_len + BS - 1) // BS

    uts = b""
    for f in (b"Linux", b"kdump-test", release, b"#1", a.machine.encode(),
              b"(none)"):
        uts += f[:64].ljust(65, b"\0")
    hdr = bytearray(BS)
    hdr[0:8] = b"KDUMP   "
    struct.pack_into("<i", hdr, 8, 6)
    hdr[12:12 + len(uts)] = uts
    struct.pack_into("<qq", hdr, 408, 0, 0)  # timestamp
    struct.pack_into("<IiiIIIIIIi", hdr, 424,
                     DUMP_DH_COMPRESSED_ZLIB if a.compress == "zlib" else 0,
                     BS, sub_blocks, 2 * bm_blocks, min(max_mapnr, 0xffffffff),
                     len(pages), max_mapnr, len(pages), 0, 1)

    sub = bytearray(sub_blocks * BS)
    struct.pack_into("<QiiQQ", sub, 0, 0, 31 if excl else 0, 0, 0, max_mapnr)
    struct.pack_into("<QQQQQQQQQ", sub, 32,
                     BS + 104 + 24 if vmci else 0, len(vmci),
                     BS + 104 if note else 0, len(note), 0, 0,
                     0, max_mapnr, max_mapnr)
    sub[104:104 + len(note)] = note

    desc_off = (1 + sub_blocks + 2 * bm_blocks) * BS
    data_off = desc_off + 24 * len(pages)
    descs, body = bytearray(), bytearray()
    for pfn in sorted(pages):
        raw = pages[pfn]
        flags, blob = 0, raw
        if a.compress == "zlib":
            z = zlib.compress(raw)
            if len(z) < len(raw):
                flags, blob = DUMP_DH_COMPRESSED_ZLIB, z
        if any(x <= pfn * BS < y for x, y in garble):
            flags, blob = DUMP_DH_COMPRESSED_ZLIB, b"\xff" * 64
        descs += struct.pack("<qIIQ", data_off + len(body), len(blob), flags, 0)
        body += blob
    parts = [hdr, sub, bitmap1, bitmap2, descs, body]
    with open(a.out, "wb") as f:
        if not a.flatten:
            for p in parts:
                f.write(p)
            return
        # Flattened: a 4 KiB header, then (offset, size, bytes) records
        # (big-endian), here in reverse file order, then offset -1.
        f.write((b"makedumpfile".ljust(16, b"\0") +
                 struct.pack(">qq", 1, 1)).ljust(BS, b"\0"))
        offs, o = [], 0
        for p in parts:
            offs.append(o)
            o += len(p)
        recs = [(off, p) for off, p in zip(offs, parts) if p][::-1]
        if a.flatten == "bad-offset":
            recs[0] = (-4096, recs[0][1])
        for off, p in recs:
            f.write(struct.pack(">qq", off, len(p)) + p)
        if a.flatten != "no-end":
            f.write(struct.pack(">qq", -1, 0))


if __name__ == "__main__":
    main()
