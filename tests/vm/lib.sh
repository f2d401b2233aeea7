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
