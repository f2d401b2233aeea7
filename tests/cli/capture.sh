#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kho-inspect capture: the live round trip (a fake debugfs directory plus a
# kcore-style ELF, both written by kho-mkimage) for every generation, the
# conversion of a large sparse dump, and the shared serializer's output as
# binutils' readelf sees it.
. "$(dirname "$0")/../lib.sh"

SAMPLE="$top/tests/scenarios/sample.scn"

# info KEY IMG: a value of the image's NT_KHO_INFO note.
info() { strings -n 4 "$2" | sed -n "s/^$1=//p" | head -n 1; }

# same_json NAME A B [KEY...]: dump --json of A and B are equal once the
# listed "image" keys are dropped from both.
same_json() {
	n=$1; a=$2; b=$3; shift 3
	"$KI" dump --json "$a" >"$T/a.json" 2>/dev/null
	"$KI" dump --json "$b" >"$T/b.json" 2>/dev/null
	python3 - "$T/a.json" "$T/b.json" "$@" <<'PY' >"$T/jdiff" 2>&1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for k in sys.argv[3:]:
    a["image"].pop(k, None); b["image"].pop(k, None)
if a != b:
    for k in a:
        if a.get(k) != b.get(k):
            print("differs:", k, json.dumps(a.get(k))[:300], "|", json.dumps(b.get(k))[:300])
    sys.exit(1)
PY
	if [ $? -eq 0 ]; then ok; else
		fail "$n: dump --json differs"
		sed 's/^/    | /' "$T/jdiff" | head -n 6
	fi
}

# ---- live capture round trip, every generation ----
for g in g1a g1b g1c g2 g2b g3 g4 rfc; do
	"$MK" "$SAMPLE" -s generation=$g -o "$T/$g.img" 2>/dev/null &&
	mkdir -p "$T/$g.dbg" &&
	"$MK" "$SAMPLE" -s generation=$g -f debugfs -o "$T/$g.dbg/out" 2>/dev/null &&
	"$MK" "$SAMPLE" -s generation=$g -s vmcoreinfo=yes -f kcore \
		-o "$T/$g.kcore" 2>/dev/null || { fail "mkimage $g"; continue; }
	# debugfs and kcore do not state these two kernel facts; the user does
	rd=$(info RADIX_DEPTH_FORMULA "$T/$g.img")
	v1=$(info V1_BITMAP_BYTES "$T/$g.img")
	expect_exit "capture $g" 0 "$KI" capture --debugfs "$T/$g.dbg" \
		--kcore "$T/$g.kcore" --radix-depth "$rd" --v1-bitmap-bytes "$v1" \
		-o "$T/$g.cap"
	# No progress bar when standard error is not a terminal.
	check "capture $g: quiet stderr" test ! -s "$T/err"
	# Nothing differs: same container format, same facts.
	same_json "live round trip $g" "$T/$g.img" "$T/$g.cap"
	# Converting the original image gives the same decode too.
	expect_exit "capture --from $g" 0 "$KI" capture --from "$T/$g.img" \
		-o "$T/$g.from"
	same_json "--from round trip $g" "$T/$g.img" "$T/$g.from"
	# The capture is not larger than the source.
	s1=$(wc -c <"$T/$g.img"); s2=$(wc -c <"$T/$g.from")
	check "capture --from $g: not larger" test "$s2" -le "$s1"
done

# Capturing a capture is a fixed point.
"$KI" capture --from "$T/g4.cap" -o "$T/g4.cap2" >/dev/null 2>&1
check "capture is idempotent" cmp -s "$T/g4.cap" "$T/g4.cap2"

# --direction in reads DIR/in (here the same state under in/).
mkdir -p "$T/in.dbg"
"$MK" "$SAMPLE" -s direction=in -f debugfs -o "$T/in.dbg/in" 2>/dev/null
"$MK" "$SAMPLE" -s direction=in -s vmcoreinfo=yes -f kcore -o "$T/in.kcore" 2>/dev/null
"$MK" "$SAMPLE" -s direction=in -o "$T/in.img" 2>/dev/null
expect_exit "capture --direction in" 0 "$KI" capture --debugfs "$T/in.dbg" \
	--direction in --kcore "$T/in.kcore" --radix-depth plus1 \
	--v1-bitmap-bytes 4096 -o "$T/in.cap"
same_json "--direction in round trip" "$T/in.img" "$T/in.cap"

# --from a core that states no direction: --direction says which side of
# the kexec it shows, and the image keeps it; a contradiction is refused.
expect_exit "capture --from a plain core --direction in" 0 "$KI" capture \
	--from "$T/in.kcore" --scan --direction in -o "$T/in.from"
"$KI" dump --json "$T/in.from" > "$T/in.from.json" 2>/dev/null
contains "--from --direction in is recorded" "$T/in.from.json" '"direction":"in"'
expect_exit "--direction contradicting the source" 2 "$KI" capture \
	--from "$T/in.img" --direction out -o "$T/in.bad"
contains "--direction contradiction message" "$T/err" \
	"--direction out contradicts $T/in.img, which says in"

# out/fdt absent (a KHO-booted kernel): no exporter -> a clear error, or --scan.
mkdir -p "$T/kb.dbg"
cp -r "$T/g4.dbg/out" "$T/kb.dbg/out" && rm -f "$T/kb.dbg/out/fdt"
expect_exit "no out/fdt, no exporter" 2 "$KI" capture --debugfs "$T/kb.dbg" \
	--kcore "$T/g4.kcore" --exporter "$T/none" -o "$T/kb.cap"
contains "no out/fdt: names the exporter" "$T/err" "exporter"
expect_exit "no out/fdt: --scan" 0 "$KI" capture --debugfs "$T/kb.dbg" \
	--kcore "$T/g4.kcore" --exporter "$T/none" --scan --radix-depth plus1 \
	--v1-bitmap-bytes 4096 -o "$T/kb.cap"
same_json "--scan round trip" "$T/g4.img" "$T/kb.cap"
# ... or the exporter's image (here: a handover image standing in for it).
expect_exit "no out/fdt: exporter" 0 "$KI" capture --debugfs "$T/kb.dbg" \
	--kcore "$T/g4.kcore" --exporter "$T/g4.img" -o "$T/ex.cap"
same_json "exporter round trip" "$T/g4.img" "$T/ex.cap"

# --with-data holds the preserved blocks too, and is bounded.
expect_exit "--with-data" 0 "$KI" capture --from "$T/g4.img" --with-data \
	-o "$T/wd.cap"
same_json "--with-data round trip" "$T/g4.img" "$T/wd.cap"
"$KI" memmap --json "$T/g4.img" >/dev/null 2>&1
w1=$(wc -c <"$T/g4.from"); w2=$(wc -c <"$T/wd.cap")
check "--with-data is larger" test "$w2" -gt "$w1"
expect_exit "--with-data limit" 2 "$KI" capture --from "$T/g4.img" \
	--with-data --max-data 4096 -o "$T/wd2.cap"
contains "--with-data limit message" "$T/err" "--max-data"
check "--with-data limit: no output" test ! -e "$T/wd2.cap"

# ---- capture --from: a large sparse dump becomes a small image ----
"$MK" "$top/tests/scenarios/capture/capture-sparse.scn" -o "$T/sp.img" \
	--layout="$T/sp.layout" 2>/dev/null || fail "mkimage sparse"
root=$(sed -n 's/^root_fdt //p' "$T/sp.layout")
# One PT_LOAD from physical 0 to 64 GiB, file offset = phys + 4096, plus
# a VMCOREINFO note: the shape of a VM memory dump.  Holes stay holes.
python3 - "$T/sp.img" "$T/big.core" <<'PY' || fail "make sparse dump"
import struct, sys
src, dst = sys.argv[1], sys.argv[2]
d = open(src, "rb").read()
phoff, = struct.unpack_from("<Q", d, 32); phnum, = struct.unpack_from("<H", d, 56)
loads = []
for i in range(phnum):
    t, f, off, va, pa, fs, ms, al = struct.unpack_from("<IIQQQQQQ", d, phoff + 56 * i)
    if t == 1:
        loads.append((pa, d[off:off + fs]))
size = 64 << 30
note = b"VMCOREINFO\0\0"
desc = b"OSRELEASE=6.20.0-capture\nPAGESIZE=4096\n"
nt = struct.pack("<III", 11, len(desc), 0) + note + desc + b"\0" * (-len(desc) % 4)
eh = b"\x7fELF\x02\x01\x01" + b"\0" * 9 + struct.pack("<HHIQQQIHHHHHH", 4, 62, 1, 0, 64, 0, 0, 64, 56, 2, 0, 0, 0)
ph = struct.pack("<IIQQQQQQ", 4, 4, 176, 0, 0, len(nt), 0, 4)
ph += struct.pack("<IIQQQQQQ", 1, 7, 4096, 0, 0, size, size, 4096)
with open(dst, "wb") as f:
    f.write(eh + ph + nt)
    for pa, b in loads:
        f.seek(4096 + pa); f.write(b)
    f.truncate(4096 + size)
PY
big=$(wc -c <"$T/big.core")
check "sparse dump is several GiB" test "$big" -gt 4294967296
expect_exit "capture --from big dump" 0 "$KI" capture --from "$T/big.core" \
	--fdt-phys "$root" -o "$T/small.img"
small=$(wc -c <"$T/small.img")
check "capture of the big dump is small ($small bytes)" test "$small" -lt 1048576
# The dump is a plain ELF core (format elf-core) and the capture a KHO
# image (format elf): that, and so where the page size is read (the dump's
# VMCOREINFO, the capture's own note), are the facts allowed to differ.
"$KI" dump --json --fdt-phys "$root" "$T/big.core" >"$T/big.json" 2>/dev/null
"$KI" dump --json "$T/small.img" >"$T/small.json" 2>/dev/null
python3 - "$T/big.json" "$T/small.json" <<'PY' && ok || fail "big dump: dump --json differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["image"].pop("format") == "elf-core" and b["image"].pop("format") == "elf"
assert a["image"].pop("page_size_source") == "vmcoreinfo"
assert b["image"].pop("page_size_source") == "kho-note"
sys.exit(a != b)
PY

# ---- the serializer's output as readelf sees it ----
if command -v readelf >/dev/null 2>&1; then
	readelf -W -n -l "$T/g4.cap" >"$T/readelf" 2>&1
	contains "readelf: core file" "$T/readelf" "Elf file type is CORE"
	contains "readelf: KHO owner" "$T/readelf" "  KHO  "
	# The layout kho-image(5) and elf_writer.h promise, recomputed from
	# readelf's view: PT_NOTE right after the program headers, loads from
	# the next page boundary on, each page aligned, sorted, R, align 4 KiB,
	# and the note's descriptor is the NT_KHO_INFO text with its NUL.
	python3 - "$T/readelf" "$T/g4.img" >"$T/rcheck" 2>&1 <<'PY'
import re, sys
t = open(sys.argv[1]).read()
ph = re.findall(r"^  (NOTE|LOAD)\s+0x(\w+) 0x(\w+) 0x(\w+) 0x(\w+) 0x(\w+) (\S+)\s+0x(\w+)$", t, re.M)
n = int(re.search(r"There are (\d+) program headers", t).group(1))
assert len(ph) == n and ph[0][0] == "NOTE", ph
note_off, note_sz = int(ph[0][1], 16), int(ph[0][4], 16)
assert note_off == 64 + 56 * n, (note_off, n)
assert ph[0][6] == "R" and ph[0][7] == "4"
off = (note_off + note_sz + 4095) // 4096 * 4096
prev = -1
for typ, o, va, pa, fs, ms, fl, al in ph[1:]:
    o, pa, fs, ms = (int(x, 16) for x in (o, pa, fs, ms))
    assert typ == "LOAD" and fl == "R" and al == "1000"
    assert o == off and pa % 4096 == 0 and fs % 4096 == 0 and fs == ms
    assert pa > prev
    prev = pa + ms
    off = (o + fs + 4095) // 4096 * 4096
m = re.search(r"^\s+KHO\s+0x(\w+)\s.*description data: ([0-9a-f ]+)$", t, re.M)
desc = bytes.fromhex(m.group(2))
assert int(m.group(1), 16) == len(desc) and desc.endswith(b"\n\0")
txt = desc[:-1].decode()
want = ["FORMAT=1", "PAGE_SIZE=4096", "FDT_PHYS=0x100000000", "FDT_SIZE=4096",
        "SCRATCH=0x40000000,0x10000000", "SCRATCH=0x200000000,0x20000000",
        "SCRATCH=0x300000000,0x10000000", "DIRECTION=out",
        "RELEASE=6.20.0-liveupdate", "RADIX_DEPTH_FORMULA=plus1",
        "V1_BITMAP_BYTES=4096"]
lines = txt.split("\n")[:-1]
assert lines[:len(want)] == want, lines
assert lines[-1].startswith("PRODUCER=kho-inspect "), lines
print("ok", n - 1, "loads")
PY
	if [ $? -eq 0 ]; then ok; else
		fail "readelf: serializer layout"
		sed 's/^/    | /' "$T/rcheck" | tail -n 5
	fi
	nload=$(grep -c "^  LOAD" "$T/readelf")
	segs=$("$KI" capture --json --from "$T/g4.cap" -o "$T/g4.cap3" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["segments"])')
	check "readelf: $nload LOADs = $segs segments" test "$nload" = "$segs"
	# kho-mkimage writes through the same serializer: same note layout.
	readelf -W -l "$T/g4.img" >"$T/readelf2" 2>&1
	n=$(sed -n 's/^There are \([0-9]*\) program headers.*/\1/p' "$T/readelf2")
	want=$(printf '0x%06x' $((64 + 56 * n)))
	contains "readelf: kho-mkimage PT_NOTE after its headers" "$T/readelf2" \
		"NOTE           $want "
else
	skip "capture: readelf not found, serializer readelf checks skipped"
fi

# Usage errors.
expect_exit "missing -o" 2 "$KI" capture --from "$T/g4.img"
expect_exit "bad --direction" 2 "$KI" capture --direction up -o "$T/x"
expect_exit "not a debugfs dir" 2 "$KI" capture --debugfs "$T/none" \
	--exporter "$T/none" -o "$T/x"

finish
