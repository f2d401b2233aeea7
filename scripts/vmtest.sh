#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make vmtest: kho-inspect against a real Linux kernel under QEMU.
#
#  1. Fetch Debian's linux-source-$KVER through a private apt state (the
#     system's apt configuration is never touched), unpack it once.
#  2. Apply kernel/patches/*, build tinyconfig + tests/vm/x86_64.config out of
#     tree (cached under build/vmtest, keyed by source version, config and
#     patches), and build the exporter module against it.
#  3. Boot it under QEMU TCG with an initramfs of busybox, kho-inspect and
#     tests/vm/luo_guest; the guest preserves tests/vm/plan and kexecs.
#  4. gdb stops kernel 1 at machine_kexec and kernel 2 at a syncfs() of the
#     guest's, and QEMU's dump-guest-memory writes each state as an ELF core;
#     kernel 1's also in every kdump-compressed format this QEMU writes, and
#     makedumpfile converts the ELF one (-c, -l, and -c -d 31) as a kdump
#     setup would.
#  5. tests/vm/verify.py checks the guest's reports and decodes the dumps on
#     the host, against the plan.
#
# Variables: VMTEST_ARCHS (x86_64 arm64-16k arm64-64k), KVER (7.2),
# DEB_MIRROR, DEB_SUITE (unstable), VMTEST_MEM (2G, x86-64),
# VMTEST_TIMEOUT (seconds per QEMU run, 900), REGEN=1 (refresh tests/real/),
# KEEP=1 (keep the multi-GiB dumps), KSRC and KOBJ (use an already built
# and patched source tree and its O= directory instead of steps 1-2).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
KVER=${KVER:-7.2}
# The Debian archive this machine's apt already uses, with unstable as the
# suite; DEB_MIRROR overrides it.
DEB_MIRROR=${DEB_MIRROR:-$(apt-get indextargets --format '$(REPO_URI)' 2>/dev/null |
	grep -m1 '/debian/$' | sed 's|/$||')}
DEB_SUITE=${DEB_SUITE:-unstable}
VMTEST_TIMEOUT=${VMTEST_TIMEOUT:-900}
V=$top/build/vmtest
KI=$top/build/kho-inspect
mkdir -p "$V"

. scripts/vmtest-common.sh

sh scripts/deps.sh vmtest

if [ -n "${KOBJ:-}" ]; then
	SRC=${KSRC:?KOBJ needs KSRC}
	export KOBJ
	debver=$(make -s -C "$SRC" kernelversion)-prebuilt
else
# 1. Source.  apt runs with its own lists, cache and sources under build/.
APT=$V/apt
fetch_source() {
	[ -n "$DEB_MIRROR" ] ||
		die "no Debian archive in the apt configuration; set DEB_MIRROR"
	mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/etc"
	printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
		"$DEB_MIRROR" "$DEB_SUITE" > "$APT/etc/sources.list"
	set -- -o Dir::Etc::sourcelist="$APT/etc/sources.list" \
		-o Dir::Etc::sourceparts=- -o Dir::State::Lists="$APT/lists" \
		-o Dir::Cache="$APT/cache" -o APT::Get::List-Cleanup=0 \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root
	apt-get -q "$@" update >&2 || die "apt-get update of $DEB_SUITE failed"
	(cd "$APT" && apt-get -q "$@" download "linux-source-$KVER" >&2) ||
		die "cannot download linux-source-$KVER from $DEB_SUITE"
}
deb=$(ls "$APT"/linux-source-"$KVER"_*.deb 2>/dev/null | tail -n 1 || true)
if [ -z "$deb" ]; then
	step "fetching linux-source-$KVER from Debian $DEB_SUITE"
	fetch_source
	deb=$(ls "$APT"/linux-source-"$KVER"_*.deb | tail -n 1)
fi
debver=$(dpkg-deb -f "$deb" Version)
SRC=$V/linux-$debver
if [ ! -f "$SRC/.unpacked" ]; then
	step "unpacking linux-source-$KVER $debver"
	rm -rf "$SRC" "$V/unpack"
	mkdir -p "$V/unpack"
	dpkg-deb -x "$deb" "$V/unpack"
	mkdir -p "$SRC"
	tar -C "$SRC" --strip-components=1 -xJf "$V"/unpack/usr/src/linux-source-"$KVER".tar.xz
	rm -rf "$V/unpack"
	touch "$SRC/.unpacked"
fi

fi
export top V KI KVER SRC debver VMTEST_TIMEOUT

# 2-5 per architecture: scripts/vmtest-x86_64.sh (4 KiB pages, the full
# run with the exporter module, kdump conversions and fault runs) and
# scripts/vmtest-arm64.sh (16 and 64 KiB pages: decode with no hints).
VMTEST_ARCHS=${VMTEST_ARCHS:-x86_64 arm64-16k arm64-64k}
[ -n "${KOBJ:-}" ] && VMTEST_ARCHS=x86_64
rc=0
summary=""
KSRC=$SRC sh kernel/vmtest-build.sh patch >&2 || die "kernel/patches do not apply to $debver"
# The guests run on one core (TCG, -smp 1), so while the first
# architecture boots and checks, the other core builds the arm64 kernels:
# at nice 19 they take next to nothing from a kernel build at nice 0.
# Each arm64 run waits for them; a failed build is built (and reported)
# again there.
prebuild=""
case " $VMTEST_ARCHS " in
*" x86_64 "*arm64*)
	step "building the arm64 kernels in the background ($V/prebuild.log)"
	(
		for arch in $VMTEST_ARCHS; do
			case $arch in
			arm64-*) nice -n 19 sh scripts/vmtest-arm64.sh "${arch#arm64-}" build-only || true ;;
			esac
		done
	) >"$V/prebuild.log" 2>&1 &
	prebuild=$!
	;;
esac
for arch in $VMTEST_ARCHS; do
	a0=$(date +%s)
	case $arch in
	x86_64) sh scripts/vmtest-x86_64.sh || rc=1 ;;
	arm64-16k | arm64-64k)
		if [ -n "$prebuild" ]; then
			wait "$prebuild" || true
			prebuild=""
			step "background arm64 builds done (vmtest wall time $(( $(date +%s) - t0 )) s)"
		fi
		sh scripts/vmtest-arm64.sh "${arch#arm64-}" || rc=1 ;;
	*) die "unknown architecture '$arch' in VMTEST_ARCHS (x86_64, arm64-16k, arm64-64k)" ;;
	esac
	summary="$summary $arch $(( $(date +%s) - a0 ))s"
done
step "vmtest wall time $(( $(date +%s) - t0 )) s:$summary"
exit $rc
