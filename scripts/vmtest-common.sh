# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by scripts/vmtest*.sh: messages with the time since the start.
say() { printf 'vmtest: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
t0=${t0:-$(date +%s)}
export t0
step() { say "[$(( $(date +%s) - t0 ))s] $*"; }

# configure_kernel FRAGMENT [MAKE-ARGS...]: tinyconfig plus FRAGMENT's
# NAME=y|n|value lines in $OBJ, for the source $SRC; fails when a =y line
# did not survive olddefconfig (a missing dependency).
configure_kernel() {
	frag=$1
	shift
	mkdir -p "$OBJ"
	make -s -C "$SRC" O="$OBJ" "$@" tinyconfig >/dev/null
	grep -v '^#' "$frag" | grep '=' | while IFS='=' read -r n v; do
		case $v in
		y) "$SRC/scripts/config" --file "$OBJ/.config" -e "$n" ;;
		n) "$SRC/scripts/config" --file "$OBJ/.config" -d "$n" ;;
		*) "$SRC/scripts/config" --file "$OBJ/.config" --set-val "$n" "$v" ;;
		esac
	done
	make -s -C "$SRC" O="$OBJ" "$@" olddefconfig >/dev/null
	for n in $(grep -v '^#' "$frag" | grep '=y$' | cut -d= -f1); do
		grep -q "^CONFIG_$n=y" "$OBJ/.config" ||
			die "CONFIG_$n did not survive olddefconfig (missing dependency)"
	done
}

# gdb_stop_at PORT ADDR: the start of every gdb script here: attach to
# QEMU's gdb stub and run the guest until it reaches ADDR.
gdb_stop_at() {
	printf 'set pagination off\nset confirm off\ntarget remote 127.0.0.1:%s\nbreak *%s\ncontinue\n' "$1" "$2"
}
