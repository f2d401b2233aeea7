#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the make vmtest guest.  Kernel 1 preserves the plan's memfds and
# kexecs (through luo_guest); kernel 2, told apart by vmtest.stage=2 on its
# command line, checks the incoming state and verifies every byte.
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
mount -t proc proc /proc
# Late kernel messages (a mouse probe, say) would land in the middle of the
# base64 the guest ships over this console; boot messages are out already
# and stage2.sh prints the KHO/LUO ones through dmesg.
echo 1 > /proc/sys/kernel/printk
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /tmp

end() {
	echo "VMTEST-STAGE end"
	reboot -f
	sleep 5
}

# A fault run (tests/vm/faults/NAME.plan) skips the live checks: it only
# preserves, lets the host corrupt what it names at machine_kexec, and
# reports what kernel 2 then does.
fault=$(sed -n 's/.*vmtest\.fault=\([A-Za-z0-9_-]*\).*/\1/p' /proc/cmdline)

if grep -q 'vmtest.stage=2' /proc/cmdline; then
	echo "VMTEST-STAGE kernel2"
	if [ -n "$fault" ]; then
		/vm/luo_guest in /vm/faults/$fault.plan
		echo "VMTEST-RC retrieve $?"
		dmesg | grep -Ei 'warning|kho|luo|liveupdate' | sed 's/^/[dmesg] /'
	else
		sh /vm/stage2.sh
	fi
	end
fi

echo "VMTEST-STAGE kernel1"
# Kernel 2 boots from a copy of this very initramfs, made now from the
# running root (the file list is taken before the archive exists).
find / -xdev > /tmp/initrd.list
cpio -o -H newc < /tmp/initrd.list > /initrd2.cpio 2>/dev/null
if [ -n "$fault" ]; then
	/vm/luo_guest out /vm/faults/$fault.plan /boot/bzImage /initrd2.cpio \
		"console=ttyS0 kho=on liveupdate=1 nokaslr panic=-1 oops=panic no_timer_check vmtest.stage=2 vmtest.fault=$fault" \
		/dev/null
else
	/vm/luo_guest out /vm/plan /boot/bzImage /initrd2.cpio \
		"console=ttyS0 kho=on liveupdate=1 nokaslr panic=-1 oops=panic no_timer_check vmtest.stage=2" \
		/vm/stage1.sh
fi
echo "VMTEST-RESULT kexec fail luo_guest returned"
end
