# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the guest's stage scripts.  run NAME CMD... runs CMD, shows its
# output on the console prefixed with NAME, and reports its exit status as
# "VMTEST-RC NAME STATUS"; the host decides what each status should be.
run() {
	name=$1
	shift
	"$@" > /tmp/run.out 2>&1
	rc=$?
	sed "s/^/[$name] /" /tmp/run.out | head -n 60
	echo "VMTEST-RC $name $rc"
}

# Copy a debugfs directory with cat: its files report size 0 to stat, so
# tar archived them empty.
copy_debugfs() {
	(cd "$1" && find . -type d) | while read -r d; do mkdir -p "$2/$d"; done
	(cd "$1" && find . -type f) | while read -r f; do cat "$1/$f" > "$2/$f"; done
}

# Ship a file to the host through the console, base64 between markers.
ship() {
	echo "VMTEST-FILE-BEGIN $1"
	base64 "$2"
	echo "VMTEST-FILE-END $1"
}

# Peak RSS (KiB) of a command, from wait4's rusage: busybox has no time -v.
measure() {
	name=$1
	shift
	/vm/luo_guest measure "$name" "$@"
}
