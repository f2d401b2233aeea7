# SPDX-License-Identifier: GPL-2.0-or-later
# Kernel 2, booted through KHO: the tool against the incoming state, then the
# host's incoming dump, then the byte-for-byte retrieval.
. /vm/lib.sh
KI=/usr/bin/kho-inspect
D=/sys/kernel/debug/kho/in
dmesg | grep -Ei 'kho|luo|liveupdate' | sed 's/^/[dmesg] /'
ls -l $D $D/sub_fdts
copy_debugfs $D /tmp/dbg/in
tar -C /tmp/dbg -cf /tmp/debugfs-in.tar in
ship debugfs-in.tar /tmp/debugfs-in.tar
run check-debugfs-in $KI check $D
measure capture-in sh -c "ulimit -v 262144; exec $KI capture --direction in -o /tmp/live-in.img"
run check-capture-in $KI check /tmp/live-in.img
if [ -f /vm/kho_export.ko ]; then
	run insmod-in insmod /vm/kho_export.ko incoming=1
	run check-module-in $KI check /proc/kho/image
	rmmod kho_export
fi
# The host's gdb stops here (syncfs) and dumps guest memory.
/vm/luo_guest dumpnow
/vm/luo_guest in /vm/plan
echo "VMTEST-RC retrieve $?"
