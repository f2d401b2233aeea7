#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make vmtest on arm64 with 16 or 64 KiB pages (issue 14): Debian's
# linux-source cross-built for arm64, booted under qemu-system-aarch64
# -M virt -cpu max (TCG).  The guest has no shell: its /init is
# tests/vm/luo_guest itself, which preserves tests/vm/plan, writes kernel
# 2's initramfs (itself and the plan) and kexecs.  gdb-multiarch stops
# kernel 1 at machine_kexec and QEMU dumps its memory: an ELF core with no
# KHO note and no VMCOREINFO, which kho-inspect must decode with no
# --page-size and no --fdt-phys.  Kernel 2 verifies every byte.
#
# Usage: scripts/vmtest-arm64.sh 16k|64k [build-only] (build-only stops
# once the kernel is built), from scripts/vmtest.sh, which exports top, V,
# KI, SRC and debver.  VMTEST_MEM_16K (2G) and
# VMTEST_MEM_64K (8G: with 64 KiB pages KHO's scratch areas are aligned
# to 512 MiB, and 7.2 disables KHO in a 2 GiB guest).
set -eu
cd "$top"
. scripts/vmtest-common.sh
pg=$1
case $pg in
16k) PS=16384 PAGES=ARM64_16K_PAGES MEM=${VMTEST_MEM_16K:-2G} ;;
64k) PS=65536 PAGES=ARM64_64K_PAGES MEM=${VMTEST_MEM_64K:-8G} ;;
*) die "vmtest-arm64.sh: page size 16k or 64k, not '$pg'" ;;
esac
CROSS=aarch64-linux-gnu-
KARGS="ARCH=arm64 CROSS_COMPILE=$CROSS"
W=$V/arm64-$pg
mkdir -p "$W"

# Kernel, cached by source version, config, page size and patches.
frag=$W/kernel.config
{ cat tests/vm/arm64.config; echo "$PAGES=y"; } > "$frag"
key=$(cat "$frag" kernel/patches/*.patch | sha256sum | cut -c1-12)
OBJ=$V/obj-arm64-$pg-$debver-$key
KSRC=$SRC sh kernel/vmtest-build.sh patch >&2 || die "kernel/patches do not apply to $debver"
if [ ! -f "$OBJ/.built" ]; then
	step "arm64 $pg: configuring $debver (tinyconfig + tests/vm/arm64.config + $PAGES)"
	# shellcheck disable=SC2086
	configure_kernel "$frag" $KARGS
	step "arm64 $pg: cross-building the kernel"
	# shellcheck disable=SC2086
	make -s -C "$SRC" O="$OBJ" $KARGS -j"$(nproc)" Image.gz > "$OBJ/build.log" 2>&1 ||
		{ tail -n 30 "$OBJ/build.log" >&2; die "arm64 $pg kernel build failed"; }
	touch "$OBJ/.built"
fi
[ "${2:-}" = build-only ] && exit 0
IMAGE=$OBJ/arch/arm64/boot/Image
IMAGE_GZ=$OBJ/arch/arm64/boot/Image.gz
VMLINUX=$OBJ/vmlinux

# Guest: /init (luo_guest, static), /plan, /Image for the kexec.
RUN=$W/run
rm -rf "$RUN"
mkdir -p "$RUN/root"
mkdir -p "$V/uapi/linux"
cp "$SRC/include/uapi/linux/liveupdate.h" "$V/uapi/linux/"
"${CROSS}gcc" -static -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$V/uapi" \
	-o "$RUN/root/init" tests/vm/luo_guest.c
cp tests/vm/plan "$RUN/root/plan"
cp "$IMAGE" "$RUN/root/Image"
(cd "$RUN/root" && printf '%s\n' init plan Image | cpio -o -H newc 2>/dev/null) > "$RUN/initrd.cpio"
rm -rf "$RUN/root"

mk=$("${CROSS}nm" "$VMLINUX" | awk '$3 == "machine_kexec" {print "0x" $1; exit}')
[ -n "$mk" ] || die "machine_kexec not in the arm64 vmlinux"
port=$(( 20000 + ($$ + 7) % 20000 ))
{ gdb_stop_at "$port" "$mk"; cat <<GDB
monitor dump-guest-memory $RUN/out.elf
delete
continue
GDB
} > "$RUN/gdb.cmd"
step "arm64 $pg: booting under qemu-system-aarch64 -M virt -cpu max ($MEM), kexec with KHO"
# pauth-impdef: TCG's architected pointer authentication is slow.
timeout "$VMTEST_TIMEOUT" qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on \
	-m "$MEM" -smp 1 -display none -monitor none -no-reboot \
	-serial file:"$RUN/console.log" -S -gdb tcp:127.0.0.1:$port \
	-kernel "$IMAGE" -initrd "$RUN/initrd.cpio" \
	-append "console=ttyAMA0 kho=on liveupdate=1 nokaslr panic=-1 oops=panic" &
qpid=$!
sleep 1
timeout "$VMTEST_TIMEOUT" gdb-multiarch -batch -nx -x "$RUN/gdb.cmd" "$VMLINUX" \
	> "$RUN/gdb.log" 2>&1 || true
wait $qpid || say "QEMU exited with status $?"
step "arm64 $pg: guest finished"

set -- --arch-run "arm64-$pg" --page-size "$PS" --console "$RUN/console.log" \
	--plan tests/vm/plan --tool "$KI" --image "$IMAGE" --image-gz "$IMAGE_GZ" \
	--vmlinux "$VMLINUX" --work "$RUN"
[ -f "$RUN/out.elf" ] && set -- "$@" --out-dump "$RUN/out.elf" &&
	say "arm64 $pg: machine_kexec dump $(du -h "$RUN/out.elf" | cut -f1) on disk"
[ "${REGEN:-0}" = 1 ] && set -- "$@" --regen "$top/tests/real/arm64-$pg" \
	--provenance "linux-source-$KVER $debver, arm64, tests/vm/arm64.config + $PAGES=y, make vmtest REGEN=1 VMTEST_ARCHS=arm64-$pg"
rc=0
python3 tests/vm/verify.py "$@" || rc=$?
[ "${KEEP:-0}" = 1 ] || rm -f "$RUN/out.elf"
exit $rc
