#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Target kernels: compat-table from text tables, built vmlinux ELFs (with
# and without .liveupdate_versions) and compressed kernels; `check
# --target`; `preflight` for each row of the consequence table against
# matching and mismatching targets of every kind; composite strings; --live
# over a fake debugfs + kcore; `diff`.  Expected values come from the
# scenarios (tests/scenarios/compat/compat-*.scn), never from kho-inspect itself.
# Prints "N passed, M failed"; exits non-zero when a test failed.
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
SCN=$top/tests/scenarios/compat
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR

# What compat-full.scn carries (see its header).
FULL="kho-v4 luo-v5 memfd-v2 pci-v2 memblock-v1 reserve-mem-v1 kexec-metadata=1"

build() {
	n=$1
	shift
	"$MK" "$SCN/$n.scn" -o "$T/$n.img" "$@" 2>"$T/$n.mkerr" && return 0
	fail "kho-mkimage $n"
	sed 's/^/    | /' "$T/$n.mkerr" | head -n 5
	return 1
}

# ------------------------------------------------------------ kernels

# cc_kernel NAME: link $T/NAME.c into a static, freestanding ELF $T/NAME
# that stands in for a vmlinux (its sections are all the table reader sees).
cc_kernel() {
	${CC:-cc} -O0 -fno-pic -fno-data-sections -ffreestanding -nostdlib \
		-static -no-pie -o "$T/$1" "$T/$1.c" 2>"$T/$1.ccerr" || {
		fail "cc $1"
		sed 's/^/    | /' "$T/$1.ccerr" | head -n 5
		return 1
	}
}

# genk NAME "LVUP entries" "rodata strings": a small vmlinux-like ELF whose
# .liveupdate_versions (omitted when empty) and .rodata hold the strings.
genk() {
	n=$1
	lv=$2
	ro=$3
	{
		echo 'struct lvup { unsigned int magic, version; char v[][48]; };'
		if [ -n "$lv" ]; then
			echo '__attribute__((section(".liveupdate_versions"), used, aligned(4)))'
			echo 'static const struct lvup lvup = { 0x4c565550, 1, {'
			for _g in $lv; do printf '\t"%s",\n' "$_g"; done
			echo '} };'
		fi
		echo 'const char kernel_strings[] __attribute__((used)) ='
		printf '\t"\\0"\n'
		for _g in $ro; do printf '\t"%s\\0"\n' "$_g"; done
		printf '\t"no family here\\0memfd-vX\\0kho-v\\0";\n'
		echo 'void _start(void) { for (;;) ; }'
	} >"$T/$n.c"
	cc_kernel "$n"
}

# bzimage PAYLOAD OUT: a minimal bzImage: boot protocol 2.15 header with
# setup_sects 1, "HdrS", payload_offset/payload_length, then the payload
# and the 4-byte size the kernel build appends.
bzimage() {
	python3 - "$1" "$2" <<'EOF'
import struct, sys
payload = open(sys.argv[1], 'rb').read()
setup_sects = 1
hdr = bytearray((setup_sects + 1) * 512)
hdr[0x1f1] = setup_sects
hdr[0x1fe:0x200] = b'\x55\xaa'
hdr[0x202:0x206] = b'HdrS'
struct.pack_into('<H', hdr, 0x206, 0x020f)
stub = bytes(96)  # stands in for the decompressor code
struct.pack_into('<II', hdr, 0x248, len(stub), len(payload))
open(sys.argv[2], 'wb').write(bytes(hdr) + stub + payload +
                              struct.pack('<I', len(payload)))
EOF
}

# kernel_forms NAME: NAME (ELF), NAME.bz-gzip, NAME.bz-xz
kernel_forms() {
	gzip -9 -n -c "$T/$1" >"$T/$1.gz" && bzimage "$T/$1.gz" "$T/$1.bz-gzip"
	xz -c "$T/$1" >"$T/$1.xz" && bzimage "$T/$1.xz" "$T/$1.bz-xz"
}

# -------------------------------------------- compat-table from kernels
genk k-all "$FULL" "$FULL" && kernel_forms k-all
for form in k-all k-all.bz-gzip k-all.bz-xz; do
	expect_exit "compat-table $form" 0 "$KI" compat-table "$T/$form"
	cp "$T/out" "$T/ct-$form.out"
	for s in $FULL; do
		contains "compat-table $form: $s" "$T/ct-$form.out" "$s"
	done
	contains "compat-table $form: source" "$T/ct-$form.out" \
		".liveupdate_versions[6]"
	lacks "compat-table $form: not inferred" "$T/ct-$form.out" "inferred"
	lacks "compat-table $form: junk" "$T/ct-$form.out" "memfd-vX"
	"$KI" compat-table --json "$T/$form" >"$T/ct-$form.json" 2>/dev/null
	check "compat-table $form: json count" \
		[ "$(json_get "$T/ct-$form.json" 'len(d["table"])')" = 7 ]
	check "compat-table $form: json kexec version" \
		[ "$(json_get "$T/ct-$form.json" '[e["version"] for e in d["table"] if e.get("name") == "kexec-metadata"][0]')" = 1 ]
done
contains "bzImage gzip kind" "$T/ct-k-all.bz-gzip.out" "bzImage+gzip"
contains "bzImage xz kind" "$T/ct-k-all.bz-xz.out" "bzImage+xz"

# Other compressors behind the same header, a bare Image.gz-style file, and
# a raw (non-ELF) kernel image.
for c in zstd bzip2 lzma; do
	"$c" -c "$T/k-all" >"$T/k-all.$c" && bzimage "$T/k-all.$c" "$T/k-all.bz-$c"
	expect_exit "compat-table bzImage+$c" 0 "$KI" compat-table "$T/k-all.bz-$c"
	contains "bzImage+$c kind" "$T/out" "bzImage+$c"
	contains "bzImage+$c memfd" "$T/out" "memfd-v2"
done
lz4 -l -c "$T/k-all" >"$T/k-all.lz4" 2>/dev/null && bzimage "$T/k-all.lz4" "$T/k-all.bz-lz4"
expect_exit "compat-table bzImage+lz4" 0 "$KI" compat-table "$T/k-all.bz-lz4"
contains "bzImage+lz4 kind" "$T/out" "bzImage+lz4-legacy"
expect_exit "compat-table Image.gz" 0 "$KI" compat-table "$T/k-all.gz"
contains "Image.gz kind" "$T/out" "gzip vmlinux"
objcopy -O binary "$T/k-all" "$T/k-all.bin" && gzip -c "$T/k-all.bin" >"$T/k-raw.gz"
expect_exit "compat-table raw Image.gz" 0 "$KI" compat-table "$T/k-raw.gz"
contains "raw image kind" "$T/out" "raw kernel image"
contains "raw image lvup" "$T/out" ".liveupdate_versions[2]"
# The uncompressed arm64 Image kexec_file_load takes: the booting.rst
# header (branch, text_offset, image_size, flags, res, magic "ARM\x64" at
# 56), then the kernel's bytes.
python3 - "$T/k-all.bin" "$T/k-arm64.Image" <<'EOF'
import struct, sys
body = open(sys.argv[1], 'rb').read()
hdr = struct.pack('<IIQQQQQQ4sI', 0x14000000, 0, 0, 64 + len(body), 0xa,
                  0, 0, 0, b'ARM\x64', 0)
assert len(hdr) == 64 and hdr[56:60] == b'ARM\x64'
open(sys.argv[2], 'wb').write(hdr + body)
EOF
expect_exit "compat-table arm64 Image" 0 "$KI" compat-table "$T/k-arm64.Image"
contains "arm64 Image kind" "$T/out" "arm64 Image"
contains "arm64 Image memfd" "$T/out" "memfd-v2"
python3 -c 'import sys; sys.stdout.buffer.write(b"\x00\xaa" * 2048)' >"$T/junk.bin"
expect_exit "compat-table of junk" 2 "$KI" compat-table "$T/junk.bin"
contains "compat-table of junk: why" "$T/err" \
	"not a text table, a kernel image (vmlinux, bzImage, arm64 Image, compressed) or a hand-over image"

# Without .liveupdate_versions: inferred from .rodata, and said so.
objcopy --remove-section .liveupdate_versions "$T/k-all" "$T/k-nolv"
expect_exit "compat-table no LVUP" 0 "$KI" compat-table "$T/k-nolv"
contains "no LVUP: inferred" "$T/out" "inferred"
contains "no LVUP: rodata origin" "$T/out" ".rodata+0x"
contains "no LVUP: memfd" "$T/out" "memfd-v2"
lacks "no LVUP: no version entry" "$T/out" "kexec-metadata=1"
"$KI" compat-table --json "$T/k-nolv" >"$T/nolv.json" 2>/dev/null
check "no LVUP: json inferred" [ "$(json_get "$T/nolv.json" 'd["inferred"]')" = True ]
gzip -c "$T/k-nolv" >"$T/k-nolv.gz" && bzimage "$T/k-nolv.gz" "$T/k-nolv.bz"
expect_exit "compat-table bzImage no LVUP" 0 "$KI" compat-table "$T/k-nolv.bz"
contains "bzImage no LVUP: inferred" "$T/out" "inferred"

# ------------------------------- 7.2 layout: handler strings in .data
# genk72 NAME "data strings": a vmlinux laid out like Linux 7.2's, which
# has no .liveupdate_versions: kho-v4, luo-v5, kho-test-v1 and the node
# name kexec-metadata are literals in .rodata, while each handler's and
# FLB's `compatible` is a char array inside a writable struct, right
# after its ops pointer, in .data (kho-field-notes.md §7), which x86-64
# marks executable (WAX): the objcopy below does the same.
genk72() {
	n=$1
	ds=$2
	{
		echo 'struct ops { int x; };'
		echo 'static const struct ops ops = { 1 };'
		echo 'struct fh { const struct ops *ops; const char compatible[48]; void *list[2]; };'
		_i=0
		for _g in $ds; do
			printf 'struct fh h%s = { &ops, "%s", { 0, 0 } };\n' "$_i" "$_g"
			_i=$((_i + 1))
		done
		echo 'struct fh junk = { &ops, "memfd-vX", { 0, 0 } };'
		echo 'const char *volatile ro[] = { "kho-v4", "luo-v5", "kho-test-v1", "kexec-metadata",'
		echo '	"kexec-metadata version %u not supported (expected %u)" };'
		echo 'void _start(void) { for (;;) ; }'
	} >"$T/$n.c"
	cc_kernel "$n"
}

# The table lines (string, source, origin) of compat-table's output.
entries() {
	grep '^  ' "$1"
}

TFLB="liveupdate-test-flb-v0 liveupdate-test-flb-v1 liveupdate-test-flb-v2"
genk72 k72 "memfd-v2 $TFLB" &&
	objcopy --set-section-flags .data=alloc,load,contents,code,data "$T/k72" &&
	kernel_forms k72 && gzip -9 -n -c "$T/k72" >"$T/k72.gz"
check "k72: .data is executable, as in x86-64's vmlinux" sh -c \
	"readelf -SW '$T/k72' | grep -qE ' \\.data +PROGBITS .* WAX '"
check "k72: memfd-v2 only in .data" sh -c \
	"objcopy -O binary --only-section=.data '$T/k72' '$T/k72.data' &&
	 objcopy -O binary --only-section=.rodata '$T/k72' '$T/k72.rodata' &&
	 grep -q memfd-v2 '$T/k72.data' && ! grep -q memfd-v2 '$T/k72.rodata'"
for form in k72 k72.gz k72.bz-gzip k72.bz-xz; do
	expect_exit "compat-table $form" 0 "$KI" compat-table "$T/$form"
	cp "$T/out" "$T/ct-$form.out"
	for s in kho-v4 luo-v5 kho-test-v1 memfd-v2 $TFLB; do
		contains "compat-table $form: $s" "$T/ct-$form.out" "  $s "
	done
	contains "compat-table $form: memfd-v2 from .data" "$T/ct-$form.out" \
		"memfd-v2                       inferred               .data+0x"
	contains "compat-table $form: kho-v4 from .rodata" "$T/ct-$form.out" \
		"kho-v4                         inferred               .rodata+0x"
	contains "compat-table $form: kexec-metadata version unknown" \
		"$T/ct-$form.out" "kexec-metadata=?               inferred               .rodata+0x"
	contains "compat-table $form: note" "$T/ct-$form.out" \
		"note: inferred: no .liveupdate_versions section; strings of the compat families the plugins declare were taken from every section loaded with the kernel (.data included)"
	lacks "compat-table $form: junk" "$T/ct-$form.out" "memfd-vX"
	lacks "compat-table $form: no format string" "$T/ct-$form.out" "%u"
	contains "compat-table $form: count" "$T/ct-$form.out" "8 entries (inferred"
done
entries "$T/ct-k72.out" >"$T/k72.entries"
for form in k72.gz k72.bz-gzip k72.bz-xz; do
	entries "$T/ct-$form.out" >"$T/$form.entries"
	check "compat-table $form: same table as the vmlinux" \
		cmp -s "$T/k72.entries" "$T/$form.entries"
done
contains "k72.gz kind" "$T/ct-k72.gz.out" "kind: gzip vmlinux"
"$KI" compat-table --json "$T/k72.bz-gzip" >"$T/k72.json" 2>/dev/null
check "k72 json: kexec-metadata version null" \
	[ "$(json_get "$T/k72.json" '[(e["compat"], e["version"]) for e in d["table"] if e.get("name") == "kexec-metadata"]')" = "[('kexec-metadata=?', None)]" ]
# A raw (non-ELF) image: the whole image is scanned, .data included.
objcopy -O binary "$T/k72" "$T/k72.bin" && gzip -c "$T/k72.bin" >"$T/k72-raw.gz"
expect_exit "compat-table k72 raw" 0 "$KI" compat-table "$T/k72-raw.gz"
contains "k72 raw: memfd-v2" "$T/out" "  memfd-v2 "
contains "k72 raw: kexec-metadata=?" "$T/out" "  kexec-metadata=? "

# Verdicts against the 7.2-like image: everything is supported but the
# kexec-metadata version, which the table cannot show: GO with a note.
build compat-72 || true
I72=$T/compat-72.img
KM_UNDET='note compat.undetermined-kexec-metadata: kexec-metadata=1 (kexec-metadata): the target reads kexec-metadata, but the version it accepts is a constant in its code that the table cannot show; if it is not 1, the next boot logs "kexec-metadata version 1 not supported" and ignores the blob: only the previous release and the kexec count are not carried over (the count restarts at 1), nothing preserved is lost'
for form in k72 k72.bz-gzip k72.bz-xz; do
	expect_exit "preflight 7.2 ($form)" 0 "$KI" preflight --target "$T/$form" "$I72"
	contains "preflight 7.2 ($form): GO" "$T/out" \
		"GO: 6 compat strings supported by $T/$form; 2 sessions, 2 files (128 KiB) carried over"
	contains "preflight 7.2 ($form): kexec-metadata" "$T/out" "  $KM_UNDET"
	lacks "preflight 7.2 ($form): not unsupported" "$T/out" "not supported by the target"
	lacks "preflight 7.2 ($form): no FLB finding" "$T/out" "compat.unsupported-flb"
done
expect_exit "check 7.2" 0 "$KI" check --target "$T/k72.bz-gzip" "$I72"
contains "check 7.2: verdict line" "$T/out" "  undetermined         kexec-metadata=1             kexec-metadata"
contains "check 7.2: summary" "$T/out" \
	"compat: 6 supported, 0 unsupported, 0 unknown-to-inspector, 1 undetermined; at risk: 0 files in 0 sessions, 0 bytes"
# The table is inferred (compat-table says so, and JSON "inferred"): the
# text of check --target and of preflight says it as well.
k72kind=$(sed -n 's/^kind: //p' "$T/ct-k72.bz-gzip.out")
k72note=$(sed -n 's/^note: //p' "$T/ct-k72.bz-gzip.out")
contains "check 7.2: target inferred in text" "$T/out" \
	"target: $T/k72.bz-gzip ($k72kind, 8 entries, inferred from strings): $k72note"
expect_exit "preflight 7.2 inferred" 0 "$KI" preflight --target "$T/k72.bz-gzip" "$I72"
contains "preflight 7.2: target inferred in text" "$T/out" \
	"  inferred: target $T/k72.bz-gzip ($k72kind, 8 entries): $k72note"
"$KI" preflight --json --target "$T/k72.bz-gzip" "$I72" >"$T/pf72.json" 2>/dev/null
check "preflight 7.2 json: go" \
	[ "$(json_get "$T/pf72.json" 'd["verdict"], d["exit"], d["compat"]["undetermined"]')" = "('go', 0, 1)" ]
check "preflight 7.2 json: note listed" \
	[ "$(json_get "$T/pf72.json" '[(r["severity"], r["check"]) for r in d["reasons"]]')" = "[('note', 'compat.undetermined-kexec-metadata')]" ]

# A target without the test FLBs (CONFIG_LIVEUPDATE_TEST off): the kernel
# ignores FLBs it does not register (luo_flb.c); a note each, still GO.
genk72 k72-notest "memfd-v2" && kernel_forms k72-notest
for form in k72-notest k72-notest.bz-gzip; do
	expect_exit "preflight no test FLBs ($form)" 0 "$KI" preflight --target "$T/$form" "$I72"
	contains "preflight no test FLBs ($form): GO" "$T/out" "GO: 3 compat strings supported"
	for i in 0 1 2; do
		contains "preflight no test FLBs ($form): v$i" "$T/out" \
			"  note compat.unsupported-flb: the next kernel accepts this: liveupdate-test-flb-v$i (FLB) is not registered by the target: the kernel ignores an FLB it does not register, and liveupdate-test-flb-v$i is a CONFIG_LIVEUPDATE_TEST FLB whose data is a constant handle: nothing is lost, files and sessions are restored"
	done
	lacks "preflight no test FLBs ($form): not 'cannot be restored'" "$T/out" "cannot be restored"
	lacks "preflight no test FLBs ($form): not unknown" "$T/out" "unknown-to-inspector"
done
expect_exit "check no test FLBs" 0 "$KI" check --target "$T/k72-notest" "$I72"
contains "check no test FLBs: verdict line" "$T/out" "  unsupported          liveupdate-test-flb-v0       flb"
contains "check no test FLBs: at risk nothing" "$T/out" "at risk: 0 files in 0 sessions, 0 bytes"

# kexec-metadata against text tables: another version (a warning, GO), the
# same version, and NAME=? (a note, GO).
printf 'kho-v4\nluo-v5\nmemfd-v2\n%s\n' $TFLB >"$T/t72.txt"
{ cat "$T/t72.txt"; echo 'kexec-metadata=2'; } >"$T/t72-km2.txt"
expect_exit "kexec-metadata=2 target" 0 "$KI" preflight --target "$T/t72-km2.txt" "$I72"
contains "kexec-metadata=2: warning" "$T/out" \
	'  warning compat.unsupported-kexec-metadata: the next kernel will print a warning and go on: kexec-metadata=1 (kexec-metadata) is not supported by the target: the next boot logs "kexec-metadata version 1 not supported (expected 2)" and ignores the blob: only the previous release and the kexec count are not carried over (the count restarts at 1), nothing preserved is lost'
{ cat "$T/t72.txt"; echo 'kexec-metadata=1'; } >"$T/t72-km1.txt"
expect_exit "kexec-metadata=1 target" 0 "$KI" preflight --target "$T/t72-km1.txt" "$I72"
lacks "text target: not inferred" "$T/out" "inferred"
contains "kexec-metadata=1: all supported" "$T/out" "GO: 7 compat strings supported"
lacks "kexec-metadata=1: nothing listed" "$T/out" "compat."
{ cat "$T/t72.txt"; echo 'kexec-metadata=?'; } >"$T/t72-kmq.txt"
expect_exit "kexec-metadata=? target" 0 "$KI" preflight --target "$T/t72-kmq.txt" "$I72"
contains "kexec-metadata=?: undetermined" "$T/out" "  $KM_UNDET"
# Merged: a known version beats NAME=?.
expect_exit "merged kexec-metadata" 0 "$KI" preflight --target "$T/k72" \
	--target "$T/t72-km2.txt" "$I72"
contains "merged kexec-metadata: the known version" "$T/out" "(expected 2)"
printf 'kexec-metadata=?x\n' >"$T/kmbad.txt"
expect_exit "text: NAME=?x" 2 "$KI" compat-table "$T/kmbad.txt"
contains "text: NAME=?x said" "$T/err" \
	'line 1: "kexec-metadata=?x" is neither a compat string nor NAME=VERSION with a number or ?'

# Text tables.
printf '# target 6.21\nkho-v4   # root\n\nmemfd-v2;vmalloc-v1\nkexec-metadata=1\n' >"$T/tt.txt"
expect_exit "compat-table text" 0 "$KI" compat-table "$T/tt.txt"
contains "text: composite" "$T/out" "memfd-v2;vmalloc-v1"
contains "text: origin line" "$T/out" "tt.txt:5"
printf 'kho-v4 luo-v5\n' >"$T/bad.txt"
expect_exit "text: two strings on a line" 2 "$KI" compat-table "$T/bad.txt"
contains "text: error names the line" "$T/err" "line 1"

# --------------------------------------- preflight: consequence table
build compat-full || true
IMG=$T/compat-full.img
# row: STRING CHECK-ID EXIT CONSEQUENCE
rows() {
	cat <<'EOF'
kho-v4|compat.unsupported-root|1|KHO revival disabled: every preserved page is lost
luo-v5|compat.unsupported-luo|1|the next kernel panics during boot
memfd-v2|compat.unsupported-handler|1|session retrieval fails with EIO; 2 files, 192 KiB lost
memblock-v1|compat.unsupported-memblock|1|reserve_mem region ramoops is reallocated, contents lost
reserve-mem-v1|compat.unsupported-memblock|1|reserve_mem region ramoops is reallocated, contents lost
kexec-metadata=1|compat.unsupported-kexec-metadata|0|a kernel that does not read kexec-metadata ignores the blob, one that takes another version logs "kexec-metadata version 1 not supported" and ignores it: only the previous release and the kexec count are not carried over (the count restarts at 1), nothing preserved is lost
pci-v2|compat.unsupported-flb|0|pci-v2 (FLB) is not registered by the target: the kernel ignores an FLB it does not register: the global state of pci-v2 is never retrieved; sessions are still restored
EOF
}

without() {
	for _w in $FULL; do [ "$_w" = "$1" ] || printf '%s ' "$_w"; done
}

# Matching targets of every kind: go.
printf '%s\n' $FULL >"$T/full.txt"
for tgt in full.txt k-all k-all.bz-gzip k-all.bz-xz; do
	expect_exit "preflight go ($tgt)" 0 "$KI" preflight --target "$T/$tgt" "$IMG"
	contains "preflight go ($tgt): says GO" "$T/out" "GO:"
	contains "preflight go ($tgt): carried" "$T/out" "2 sessions, 2 files"
done

# Each string removed, for each kind of target.
rows >"$T/rows.txt"
while IFS='|' read -r s id want cons <&3; do
	rest=$(without "$s")
	key=$(printf '%s' "$s" | tr '=;' '__')
	# shellcheck disable=SC2086
	printf '%s\n' $rest >"$T/m-$key.txt"
	genk "m-$key" "$rest" "$rest" && kernel_forms "m-$key"
	for tgt in "m-$key.txt" "m-$key" "m-$key.bz-gzip" "m-$key.bz-xz"; do
		expect_exit "preflight -$s ($tgt)" "$want" \
			"$KI" preflight --target "$T/$tgt" "$IMG"
		contains "preflight -$s ($tgt): names it" "$T/out" "$s"
		contains "preflight -$s ($tgt): check id" "$T/out" "$id"
		contains "preflight -$s ($tgt): consequence" "$T/out" "$cons"
	done
	"$KI" preflight --json --target "$T/m-$key.txt" "$IMG" >"$T/pf.json" 2>/dev/null
	check "preflight -$s: json exit" [ "$(json_get "$T/pf.json" 'd["exit"]')" = "$want" ]
	check "preflight -$s: json reason" \
		[ "$(json_get "$T/pf.json" '[r["compat"] for r in d["reasons"] if r["kind"] == "compat"][0]')" = "$s" ]
	expect_exit "preflight -$s --quiet" "$want" \
		"$KI" preflight --quiet --target "$T/m-$key.txt" "$IMG"
	check "preflight -$s --quiet prints nothing" [ ! -s "$T/out" ]
done 3<"$T/rows.txt"

# A versioned string at another version names both versions.
printf '%s\n' $(without kexec-metadata=1) kexec-metadata=2 >"$T/km2.txt"
expect_exit "preflight kexec-metadata=2" 0 "$KI" preflight --target "$T/km2.txt" "$IMG"
contains "preflight kexec-metadata=2: which" "$T/out" \
	"target has kexec-metadata=2, image needs kexec-metadata=1"

# At-risk summary: a handler mismatch loses every session (all or nothing).
expect_exit "at risk handler" 1 "$KI" preflight --target "$T/m-memfd-v2.txt" "$IMG"
contains "at risk: files and sessions" "$T/out" "at risk: 2 files in 2 sessions, 196608 bytes"
expect_exit "at risk root" 1 "$KI" preflight --target "$T/m-kho-v4.txt" "$IMG"
contains "at risk: every page" "$T/out" "every preserved page"

# check --target integrates with check.
expect_exit "check --target mismatch" 1 "$KI" check --target "$T/m-luo-v5.txt" "$IMG"
contains "check --target: verdict line" "$T/out" "unsupported"
contains "check --target: summary" "$T/out" "compat: 6 supported, 1 unsupported"
contains "check --target: plain findings kept" "$T/out" "summary:"
expect_exit "check --target match" 0 "$KI" check --target "$T/full.txt" "$IMG"
"$KI" check --json --target "$T/m-luo-v5.txt" "$IMG" >"$T/ck.json" 2>/dev/null
check "check --target json" [ "$(json_get "$T/ck.json" 'd["compat"]["summary"]["unsupported"]')" = 1 ]
check "check --target json findings kept" [ "$(json_get "$T/ck.json" '"findings" in d and "summary" in d')" = True ]
# Repeated --target: the union (a kernel plus a module list).
printf 'memfd-v2\n' >"$T/mod.txt"
expect_exit "merged targets" 0 "$KI" preflight --target "$T/m-memfd-v2.txt" --target "$T/mod.txt" "$IMG"

# A captured image as the target (rollback: "whatever that kernel wrote").
expect_exit "image target go" 0 "$KI" preflight --target "$IMG" "$IMG"

# ---------------------------------------------------- composite strings
build compat-rfc || true
RFC=$T/compat-rfc.img
printf 'kho-v4;radix-v1;vmalloc-v1\nluo-v5;block-v1\nmemfd-v2;vmalloc-v1\n' >"$T/rfc.txt"
expect_exit "rfc go" 0 "$KI" preflight --target "$T/rfc.txt" "$RFC"
# bumped component
sed 's/^memfd-v2;vmalloc-v1$/memfd-v2;vmalloc-v2/' "$T/rfc.txt" >"$T/rfc-bump.txt"
expect_exit "rfc bumped" 1 "$KI" check --target "$T/rfc-bump.txt" "$RFC"
contains "rfc bumped: differs" "$T/out" "compat.component-differs"
contains "rfc bumped: which" "$T/out" "target has vmalloc-v2, image needs vmalloc-v1"
contains "rfc bumped: consequence" "$T/out" "session retrieval fails with EIO; 2 files"
# missing component in the target
sed 's/^memfd-v2;vmalloc-v1$/memfd-v2/' "$T/rfc.txt" >"$T/rfc-miss.txt"
expect_exit "rfc target lacks component" 1 "$KI" preflight --target "$T/rfc-miss.txt" "$RFC"
contains "rfc lacks: which" "$T/out" "target has memfd-v2 without vmalloc-v1"
# the target needs a component the image lacks
sed 's/^memfd-v2;vmalloc-v1$/memfd-v2;block-v1;vmalloc-v1/' "$T/rfc.txt" >"$T/rfc-extra.txt"
expect_exit "rfc target needs more" 1 "$KI" preflight --target "$T/rfc-extra.txt" "$RFC"
contains "rfc extra: which" "$T/out" "target needs block-v1, image lacks it"
# root bumped: every page lost
sed 's/^kho-v4;radix-v1;vmalloc-v1$/kho-v4;radix-v2;vmalloc-v1/' "$T/rfc.txt" >"$T/rfc-root.txt"
expect_exit "rfc root bumped" 1 "$KI" preflight --target "$T/rfc-root.txt" "$RFC"
contains "rfc root: which" "$T/out" "target has radix-v2, image needs radix-v1"
contains "rfc root: consequence" "$T/out" "KHO revival disabled"
# LUO component bumped
sed 's/^luo-v5;block-v1$/luo-v5;block-v2/' "$T/rfc.txt" >"$T/rfc-luo.txt"
expect_exit "rfc luo bumped" 1 "$KI" preflight --target "$T/rfc-luo.txt" "$RFC"
contains "rfc luo: which" "$T/out" "target has block-v2, image needs block-v1"
contains "rfc luo: consequence" "$T/out" "panics during boot"
# same components, other order in the target
sed 's/^kho-v4;radix-v1;vmalloc-v1$/kho-v4;vmalloc-v1;radix-v1/' "$T/rfc.txt" >"$T/rfc-ord.txt"
expect_exit "rfc target order" 1 "$KI" preflight --target "$T/rfc-ord.txt" "$RFC"
contains "rfc target order: said" "$T/out" "different order"
# components in wrong order in the image: a structural error even when the
# target lists the very string
build compat-order || true
printf 'kho-v4;radix-v1;vmalloc-v1\nluo-v5;block-v1\nmemfd-v2;vmalloc-v1\nmemfd-v2;vmalloc-v1;block-v1\n' >"$T/ord.txt"
expect_exit "image order" 1 "$KI" preflight --target "$T/ord.txt" "$T/compat-order.img"
contains "image order: check id" "$T/out" "compat.composite-order"
contains "image order: which" "$T/out" "\"block-v1\" must come before \"vmalloc-v1\""

# ---------------------------------------------- unknown-to-inspector
mkimg unk "generation = g4
[luo]
[session s]
[file]
compatible = vendor-thing-v3
token = 1
blob = 01 02 03 04" || true
printf 'kho-v4\nluo-v5\nvendor-thing-v3\n' >"$T/unk-yes.txt"
printf 'kho-v4\nluo-v5\n' >"$T/unk-no.txt"
expect_exit "unknown listed: go" 0 "$KI" preflight --target "$T/unk-yes.txt" "$T/unk.img"
expect_exit "unknown not listed: no-go" 1 "$KI" preflight --target "$T/unk-no.txt" "$T/unk.img"
contains "unknown: check id" "$T/out" "compat.unknown-to-inspector"
genk k-unk "" "kho-v4 luo-v5"
expect_exit "unknown vs inferred table: cannot tell" 2 \
	"$KI" preflight --target "$T/k-unk" "$T/unk.img"
contains "unknown inferred: said" "$T/out" "compat.unknown-to-inspector"

# ------------------------------------------------------ cannot tell
expect_exit "no target" 2 "$KI" preflight "$IMG"
expect_exit "unreadable target" 2 "$KI" preflight --target "$T/nope" "$IMG"
printf '# nothing\n\n' >"$T/empty.txt"
expect_exit "empty table" 2 "$KI" preflight --target "$T/empty.txt" "$IMG"
contains "empty table: said" "$T/out" "no table"
expect_exit "unreadable input" 2 "$KI" preflight --target "$T/full.txt" "$T/nope.img"
"$KI" preflight --json --target "$T/full.txt" "$T/nope.img" >"$T/cant.json" 2>/dev/null
check "cannot tell json" [ "$(json_get "$T/cant.json" 'd["verdict"]')" = cannot-tell ]
expect_exit "corrupt image: structural no-go" 1 "$KI" preflight --target "$T/full.txt" \
	"$(mkimg brk "generation = g4
[luo]
break luo_ser.sessions_pa = 0x7" >/dev/null; echo "$T/brk.img")"

# --------------------------------------------------------------- --live
"$MK" "$SCN/compat-full.scn" -o "$T/live-dbg" --format debugfs 2>/dev/null &&
	"$MK" "$SCN/compat-full.scn" -o "$T/live.core" --format kcore 2>/dev/null ||
	fail "mkimage live"
mkdir -p "$T/kho" && mv "$T/live-dbg" "$T/kho/out"
expect_exit "live go" 0 "$KI" preflight --live --debugfs "$T/kho" \
	--kcore "$T/live.core" --target "$T/full.txt"
contains "live go: sessions" "$T/out" "2 sessions, 2 files"
expect_exit "live no-go" 1 "$KI" preflight --live --debugfs "$T/kho" \
	--kcore "$T/live.core" --target "$T/m-memfd-v2.txt"
contains "live no-go: consequence" "$T/out" "session retrieval fails with EIO"
"$KI" preflight --json --live --debugfs "$T/kho" --kcore "$T/live.core" \
	--target "$T/full.txt" >"$T/live.json" 2>/dev/null
check "live json" [ "$(json_get "$T/live.json" 'd["verdict"] + str(d["live"])')" = goTrue ]
expect_exit "live quiet" 0 "$KI" preflight -q --live --debugfs "$T/kho" \
	--kcore "$T/live.core" --target "$T/full.txt"
check "live quiet: silent" [ ! -s "$T/out" ]
expect_exit "live without kcore: cannot tell" 2 "$KI" preflight --live \
	--debugfs "$T/kho" --kcore "$T/nope.core" --target "$T/full.txt"
expect_exit "live nothing readable" 2 "$KI" preflight --live \
	--debugfs "$T/nodir" --kcore "$T/nope.core" --target "$T/full.txt"
expect_exit "live exporter" 0 "$KI" preflight --live --exporter "$IMG" \
	--target "$T/full.txt"
expect_exit "live with INPUT" 2 "$KI" preflight --live --target "$T/full.txt" "$IMG"

# ----------------------------------------------------------------- diff
build compat-diff-b || true
expect_exit "diff equal" 0 "$KI" diff "$IMG" "$IMG"
contains "diff equal: said" "$T/out" "images are equal"
expect_exit "diff differs" 1 "$KI" diff "$IMG" "$T/compat-diff-b.img"
contains "diff: session removed" "$T/out" "- /LUO/sessions/vm1 [luo-session]"
contains "diff: carried" "$T/out" "carried over 1 session, 1 file (64 KiB)"
contains "diff: dropped" "$T/out" "dropped 1 session, 1 file (128 KiB)"
contains "diff: component bytes" "$T/out" "preserved bytes by component"
"$KI" diff --json "$IMG" "$T/compat-diff-b.img" >"$T/diff.json" 2>/dev/null
check "diff json removed" [ "$(json_get "$T/diff.json" '[o["path"] for o in d["objects"] if o["op"] == "removed"]')" = "['/LUO/sessions/vm1']" ]
check "diff json dropped bytes" [ "$(json_get "$T/diff.json" 'd["dropped"]["bytes"]')" = 131072 ]
check "diff json equal" [ "$(json_get "$T/diff.json" 'd["equal"]')" = False ]
check "diff json LUO bytes delta" [ "$(json_get "$T/diff.json" '[b["delta"] < 0 for b in d["bytes"] if b["component"] == "LUO"][0]')" = True ]
expect_exit "diff reversed: added" 1 "$KI" diff "$T/compat-diff-b.img" "$IMG"
contains "diff reversed: session added" "$T/out" "+ /LUO/sessions/vm1"
# compat strings that changed
"$MK" "$SCN/compat-full.scn" -o "$T/full-v1.img" --set "file:compatible=memfd-v1" 2>/dev/null
expect_exit "diff compat" 1 "$KI" diff "$IMG" "$T/full-v1.img"
contains "diff compat: new" "$T/out" "+ memfd-v1 (file-handler)"
contains "diff compat: changed file" "$T/out" "compat memfd-v2 -> memfd-v1"
expect_exit "diff usage" 2 "$KI" diff "$IMG"

finish
