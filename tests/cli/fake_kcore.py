#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Turn a kcore-style image from kho-mkimage into a fake /proc/kcore laid out
# like a real x86-64 one, plus the matching /proc/kallsyms:
#   PT_NOTE   a CORE note and the source's VMCOREINFO
#   PT_LOAD   kernel text: p_vaddr _text, p_paddr __pa_symbol(_text); holds
#             the static `struct kho_out` (first member: void *fdt, a
#             direct-map pointer) and `struct kho_in` (first member:
#             phys_addr_t fdt_phys)
#   PT_LOAD   vmalloc, p_paddr -1 (no physical address)
#   PT_LOAD   RAM: low 640 KiB, 1 MiB..LOW_END (mostly holes), and every
#             PT_LOAD of the source; p_vaddr in the direct map, real p_paddr
# The text's bytes are repeated in the RAM that holds them, as in a real
# kcore.  Usage:
#   fake_kcore.py SRC OUT KALLSYMS [--direction in] [--low-end BYTES]
#                 [--no-symbol] [--hidden] [--fdt-ptr ADDR]
import struct, sys

TEXT_V, TEXT_P, TEXT_SZ = 0xffffffff81000000, 0x1000000, 0x2000000
KHO_OUT_OFF, KHO_IN_OFF = 0x1a41e80, 0x1b5c2a0
DIRECT_MAP = 0xffff888000000000
VMALLOC_V = 0xffffc90000000000

args = sys.argv[1:]
src, out, ksyms = args[:3]
opt = args[3:]
direction = "in" if "--direction" in opt and opt[opt.index("--direction") + 1] == "in" else "out"
low_end = int(opt[opt.index("--low-end") + 1], 0) if "--low-end" in opt else 0x40000000
fdt_ptr = int(opt[opt.index("--fdt-ptr") + 1], 0) if "--fdt-ptr" in opt else None

d = open(src, "rb").read()
phoff, = struct.unpack_from("<Q", d, 32)
phnum, = struct.unpack_from("<H", d, 56)
loads, notes = [], b""
for i in range(phnum):
    t, f, off, va, pa, fs, ms, al = struct.unpack_from("<IIQQQQQQ", d, phoff + 56 * i)
    if t == 1:
        loads.append((pa, ms, d[off:off + fs]))
    elif t == 4:
        notes += d[off:off + fs]
# The root FDT: the source's FDT_PHYS is the lowest page of its memory
# that starts with the FDT magic (kho-mkimage puts it first).
root = None
for pa, ms, b in loads:
    for o in range(0, len(b), 4096):
        if b[o:o + 4] == b"\xd0\x0d\xfe\xed":
            root = pa + o
            break
    if root is not None:
        break
assert root is not None, "no FDT in the source"

core = struct.pack("<III", 5, 336, 1) + b"CORE\0\0\0\0" + b"\0" * 336
notes = core + notes

# Segments: (vaddr, paddr, memsz, {offset-in-segment: bytes})
ptr = fdt_ptr if fdt_ptr is not None else (root if direction == "in" else DIRECT_MAP + root)
sym_off = KHO_IN_OFF if direction == "in" else KHO_OUT_OFF
word = struct.pack("<Q", ptr)
segs = [(TEXT_V, TEXT_P, TEXT_SZ, {sym_off: word}),
        (VMALLOC_V, (1 << 64) - 1, 0x10000000, None)]
ram = [(0x1000, 0x9f000 - 0x1000, {}),
       (0x100000, low_end - 0x100000, {TEXT_P + sym_off - 0x100000: word})]
for pa, ms, b in loads:
    ram.append((pa, ms, {0: b}))
for pa, ms, data in ram:
    segs.append((DIRECT_MAP + pa, pa, ms, data))

n = len(segs) + 1
note_off = 64 + 56 * n
data_off = (note_off + len(notes) + 4095) // 4096 * 4096
eh = b"\x7fELF\x02\x01\x01" + b"\0" * 9 + struct.pack(
    "<HHIQQQIHHHHHH", 4, 62, 1, 0, 64, 0, 0, 64, 56, n, 64, 0, 0)
ph = struct.pack("<IIQQQQQQ", 4, 0, note_off, 0, 0, len(notes), 0, 4)
pos, layout = data_off, []
for va, pa, ms, data in segs:
    if data is None:  # no file bytes needed: an offset far past the end
        off = 1 << 44
    else:
        off = pos
        pos = (pos + ms + 4095) // 4096 * 4096
    layout.append((off, data))
    ph += struct.pack("<IIQQQQQQ", 1, 7, off, va, pa, ms, ms, 4096)
with open(out, "wb") as f:
    f.write(eh + ph)
    f.seek(note_off)
    f.write(notes)
    for off, data in layout:
        for o, b in (data or {}).items():
            f.seek(off + o)
            f.write(b)
    f.truncate(pos)

hide = "--hidden" in opt
def a(v):
    return "%016x" % (0 if hide else v)
lines = ["%s T _text" % a(TEXT_V), "%s T startup_64" % a(TEXT_V),
         "%s d kho_out_fdt_len" % a(TEXT_V + 0x100),
         "%s t kho_out\t[evil]" % a(0xffffffffc0001000),
         "%s d kho_out\t[evil]" % a(0xffffffffc0002000),
         "%s B kho_scratch" % a(TEXT_V + KHO_IN_OFF + 0x60)]
if "--no-symbol" not in opt:
    # 7.2 (tinyconfig + KHO) puts both in .bss: type b
    lines.append("%s b kho_out" % a(TEXT_V + KHO_OUT_OFF))
    lines.append("%s b kho_in" % a(TEXT_V + KHO_IN_OFF))
lines.append("%s T _etext" % a(TEXT_V + 0x1000000))
open(ksyms, "w").write("\n".join(lines) + "\n")
print("root 0x%x ram %d" % (root, sum(ms for _, _, ms, _ in segs[2:])))
