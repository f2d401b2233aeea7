#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make vmtest on x86-64 (4 KiB pages), steps 2-5 of scripts/vmtest.sh,
# which fetches the source and exports top, V, KI, KVER, SRC and debver.
set -eu
cd "$top"
. scripts/vmtest-common.sh
VMTEST_MEM=${VMTEST_MEM:-2G}

if [ -n "${KOBJ:-}" ]; then
	OBJ=$KOBJ
else
# 2. Kernel.  The key covers everything that changes the build.
key=$(cat tests/vm/x86_64.config kernel/patches/*.patch | sha256sum | cut -c1-12)
OBJ=$V/obj-x86_64-$debver-$key
# Patching is idempotent (an applied patch is detected and skipped), so a
# cached tree and a new patch never mix silently: a patch that neither
# applies nor reverses stops the run.
KSRC=$SRC sh kernel/vmtest-build.sh patch >&2 || die "kernel/patches do not apply to $debver"
if [ ! -f "$OBJ/.built" ]; then
	step "configuring $debver (tinyconfig + tests/vm/x86_64.config)"
	configure_kernel tests/vm/x86_64.config
	step "building the kernel (about six minutes on two idle cores)"
	make -s -C "$SRC" O="$OBJ" -j"$(nproc)" bzImage modules > "$OBJ/build.log" 2>&1 ||
		{ tail -n 30 "$OBJ/build.log" >&2; die "kernel build failed"; }
	touch "$OBJ/.built"
fi
fi
BZ=$OBJ/arch/x86/boot/bzImage
VMLINUX=$OBJ/vmlinux

RUN=$V/run
rm -rf "$RUN"
mkdir -p "$RUN"
# Host steps whose status verify.py asserts: "NAME STATUS" lines.
: > "$RUN/host-steps"
host_step() {
	name=$1
	shift
	"$@" > "$RUN/$name.log" 2>&1
	rc=$?
	echo "$name $rc" >> "$RUN/host-steps"
	[ $rc -eq 0 ] || tail -n 20 "$RUN/$name.log" >&2
	return $rc
}
MODULE=
step "building kernel/kho_export.ko against $debver; checkpatch"
if host_step module-build env KSRC="$SRC" KOBJ="$OBJ" sh kernel/vmtest-build.sh module; then
	MODULE=$top/kernel/kho_export.ko
fi
host_step checkpatch env KSRC="$SRC" sh kernel/vmtest-build.sh checkpatch || true

# 3. Guest root: busybox, our build installed as on a real host, the guest
# program, the plan, the kernel to kexec into.
step "building the guest root"
make -s all >/dev/null
TOOLB=$V/tool
ROOT=$V/root
rm -rf "$ROOT"
mkdir -p "$ROOT"/bin "$ROOT"/vm "$ROOT"/boot "$ROOT"/proc "$ROOT"/sys "$ROOT"/dev "$ROOT"/tmp
make -s -j"$(nproc)" B="$TOOLB" PREFIX=/usr DESTDIR="$ROOT" install >/dev/null
cp /bin/busybox "$ROOT/bin/busybox"
ln -s busybox "$ROOT/bin/sh"
# The tool and its plugins are dynamic: bring their shared libraries along.
for f in "$ROOT"/usr/bin/kho-inspect "$ROOT"/usr/lib/kho-inspect/plugins/*.so; do
	ldd "$f" | awk '/=> \//{print $3} /^\t\/lib/{print $1}'
done | sort -u | while read -r lib; do
	mkdir -p "$ROOT$(dirname "$lib")"
	cp -L "$lib" "$ROOT$lib"
done
mkdir -p "$V/uapi/linux"
cp "$SRC/include/uapi/linux/liveupdate.h" "$V/uapi/linux/"
cc -static -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$V/uapi" \
	-o "$ROOT/vm/luo_guest" tests/vm/luo_guest.c
cp tests/vm/plan tests/vm/lib.sh tests/vm/stage1.sh tests/vm/stage2.sh "$ROOT/vm/"
mkdir -p "$ROOT/vm/faults"
cp tests/vm/faults/*.plan "$ROOT/vm/faults/"
cp tests/vm/init.sh "$ROOT/init"
chmod 755 "$ROOT/init"
cp "$BZ" "$ROOT/boot/bzImage"
[ -n "$MODULE" ] && cp "$MODULE" "$ROOT/vm/"
(cd "$ROOT" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$V/initrd.cpio.gz"

# 4. Boot.  gdb stops the guest where the dumps are taken; QEMU's own dump
# is the ground truth for the host-side checks.
addr() {
	nm "$VMLINUX" | awk -v s="$1" '$3 == s {print "0x" $1; exit}'
}
mk=$(addr machine_kexec)
sf=$(addr __x64_sys_syncfs)
[ -n "$mk" ] && [ -n "$sf" ] || die "machine_kexec or __x64_sys_syncfs not in vmlinux"
port=$(( 20000 + $$ % 20000 ))
# no_timer_check: under TCG on a loaded host the IO-APIC timer check can
# fail and panic kernel 1 at boot, which says nothing about KHO.
APPEND="console=ttyS0 kho=on liveupdate=1 nokaslr panic=-1 oops=panic no_timer_check"
# boot DIR EXTRA-APPEND: one QEMU run driven by DIR/gdb.cmd; the console
# and gdb logs land in DIR.
boot() {
	timeout "$VMTEST_TIMEOUT" qemu-system-x86_64 -machine pc -accel tcg -m "$VMTEST_MEM" \
		-smp 1 -display none -monitor none -no-reboot \
		-serial file:"$1/console.log" -S -gdb tcp:127.0.0.1:$port \
		-device vmcoreinfo \
		-kernel "$BZ" -initrd "$V/initrd.cpio.gz" \
		-append "$APPEND $2" &
	qpid=$!
	sleep 1
	timeout "$VMTEST_TIMEOUT" gdb -batch -nx -x "$1/gdb.cmd" "$VMLINUX" > "$1/gdb.log" 2>&1 || true
	wait $qpid || say "QEMU exited with status $?"
}
# The kdump-compressed formats this QEMU writes (Debian 12's: kdump-zlib
# only; lzo and snappy are not built in).  Asked up front: a refused
# monitor command inside the gdb script would end it.
qfmts=$(printf '%s\n' '{"execute":"qmp_capabilities"}' \
	'{"execute":"query-dump-guest-memory-capability"}' '{"execute":"quit"}' |
	timeout 60 qemu-system-x86_64 -machine none -display none -qmp stdio 2>/dev/null |
	grep -o '"formats": *\[[^]]*\]' || true)
say "QEMU dump formats: ${qfmts:-unknown}"
kdump_dumps=""
for f in z:kdump-zlib l:kdump-lzo s:kdump-snappy; do
	case $qfmts in
	*"\"${f#*:}\""*)
		kdump_dumps="$kdump_dumps
monitor dump-guest-memory -${f%%:*} $RUN/out.kdump-${f%%:*}" ;;
	esac
done
{ gdb_stop_at "$port" "$mk"; cat <<EOF
monitor dump-guest-memory $RUN/out.elf$kdump_dumps
delete
break *$sf
continue
monitor dump-guest-memory $RUN/in.elf
delete
continue
EOF
} > "$RUN/gdb.cmd"
step "booting $debver under QEMU TCG ($VMTEST_MEM), kexec with KHO"
boot "$RUN" ""
step "guest finished"

# makedumpfile on the ELF dump, as a kdump setup would run it.  The guest
# kernel has no fw_cfg driver (CONFIG_FW_CFG_SYSFS), so QEMU's
# -device vmcoreinfo stays empty and the ELF dump has no VMCOREINFO note:
# the kernel's own VMCOREINFO text is read from its memory in the dump
# (tests/vm/vmcoreinfo.py) and given to makedumpfile with -i.  makedumpfile
# 1.7 wants the program headers right after the ELF header, where QEMU
# puts section headers: it reads a copy with them moved
# (tests/vm/elf_for_makedumpfile.py).
if [ -f "$RUN/out.elf" ]; then
	step "makedumpfile conversions of the machine_kexec dump"
	if host_step vmcoreinfo python3 tests/vm/vmcoreinfo.py "$RUN/out.elf" \
		"$VMLINUX" "$RUN/vmcoreinfo" &&
		host_step elf-for-makedumpfile python3 tests/vm/elf_for_makedumpfile.py \
			"$RUN/out.elf" "$RUN/out-mdf.elf"; then
		for m in c:-c:0 l:-l:0 c-d31:-c:31; do
			o=$RUN/out.mdf-${m%%:*}
			rest=${m#*:}
			rm -f "$o"
			host_step "makedumpfile-${m%%:*}" makedumpfile "${rest%%:*}" \
				-d "${rest#*:}" -i "$RUN/vmcoreinfo" "$RUN/out-mdf.elf" "$o" || true
		done
	fi
	rm -f "$RUN/out-mdf.elf"
fi

# 4b. Fault runs: corrupt the handover at machine_kexec, predict with
# kho-inspect while kernel 1 is stopped, then let kernel 2 show what it
# does (tests/vm/fault.py).  VMTEST_FAULTS picks them ("" for none).
FAULTS=${VMTEST_FAULTS-$(cd tests/vm/faults && ls *.plan | sed 's/\.plan$//')}
for f in $FAULTS; do
	FR=$RUN/faults/$f
	mkdir -p "$FR"
	{ gdb_stop_at "$port" "$mk"; cat <<EOF
monitor dump-guest-memory $FR/pre.elf
shell python3 $top/tests/vm/fault.py poke $KI $top/tests/vm/faults/$f.plan $FR/pre.elf $FR/poke.gdb
source $FR/poke.gdb
monitor dump-guest-memory $FR/out.elf
shell python3 $top/tests/vm/fault.py predict $KI $FR/out.elf $BZ $FR $FR/console.log
delete
continue
EOF
	} > "$FR/gdb.cmd"
	step "fault run $f"
	boot "$FR" "vmtest.fault=$f"
	[ "${KEEP:-0}" = 1 ] || rm -f "$FR/pre.elf" "$FR/out.elf"
done
step "fault runs finished"

# 5. Verify.
set -- --console "$RUN/console.log" --plan tests/vm/plan --tool "$KI" \
	--bzimage "$BZ" --vmlinux "$VMLINUX" --work "$RUN" \
	--host-steps "$RUN/host-steps"
[ -f "$RUN/out.elf" ] && set -- "$@" --out-dump "$RUN/out.elf"
for f in "$RUN"/out.kdump-? "$RUN"/out.mdf-*; do
	[ -f "$f" ] && set -- "$@" --out-other "$f"
done
[ -f "$RUN/in.elf" ] && set -- "$@" --in-dump "$RUN/in.elf"
for f in $FAULTS; do
	set -- "$@" --fault "$f:tests/vm/faults/$f.plan:$RUN/faults/$f"
done
[ "${REGEN:-0}" = 1 ] && set -- "$@" --regen "$top/tests/real/x86_64-4k" \
	--provenance "linux-source-$KVER $debver, tests/vm/x86_64.config, make vmtest REGEN=1"
rc=0
python3 tests/vm/verify.py "$@" || rc=$?
[ "${KEEP:-0}" = 1 ] || rm -f "$RUN/out.elf" "$RUN/in.elf" "$RUN"/out.kdump-? \
	"$RUN"/out.mdf-*
exit $rc
