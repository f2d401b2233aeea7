#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Debian 12 packages kho-inspect needs, when they are missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
#   deps.sh          what make, make check and make run need
#   deps.sh vmtest   what make vmtest needs on top (kernel build, QEMU, gdb)
set -eu
PKGS="build-essential pkg-config libfdt-dev libelf-dev libncurses-dev check \
zlib1g-dev liblzma-dev libzstd-dev liblz4-dev libbz2-dev \
libkdumpfile-dev device-tree-compiler binutils python3 tmux time clang \
libclang-rt-14-dev zsh"
if [ "${1:-}" = vmtest ]; then
	PKGS="$PKGS qemu-system-x86 gdb busybox-static flex bison bc libssl-dev \
gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm gdb-multiarch \
cpio xz-utils patch debian-archive-keyring makedumpfile"
fi
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
else
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root:  apt-get install -y$missing" >&2
	exit 1
fi
