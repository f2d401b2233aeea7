# SPDX-License-Identifier: GPL-2.0-or-later
# Kernel 1, sessions preserved and still open: the tool against the live state.
. /vm/lib.sh
KI=/usr/bin/kho-inspect
D=/sys/kernel/debug/kho/out
ls -l $D $D/sub_fdts
copy_debugfs $D /tmp/dbg/out
tar -C /tmp/dbg -cf /tmp/debugfs-out.tar out
ship debugfs-out.tar /tmp/debugfs-out.tar
run check-debugfs-out $KI check $D
measure preflight-live sh -c "ulimit -v 262144; exec $KI preflight --live --target /boot/bzImage"
measure capture-out sh -c "ulimit -v 262144; exec $KI capture -o /tmp/live-out.img"
run check-capture-out $KI check /tmp/live-out.img
if [ -f /vm/kho_export.ko ]; then
	run insmod-out insmod /vm/kho_export.ko
	run check-module-out $KI check /proc/kho/image
	rmmod kho_export
fi
exit 0
