#!/bin/sh
# /init of the interop guest (busybox sh). Mounts the pseudo file systems, loads the NVMe/TCP and
# virtio-net modules, configures QEMU user-mode networking statically (guest 10.0.2.15, host 10.0.2.2)
# and runs /interop/test.sh if the harness appended one (a second cpio archive). Then powers off, so
# QEMU exits. Kernel command line: interop.shell=1 gives a shell instead of powering off (debugging).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
echo "INTEROP INFO init started at $(cut -d' ' -f1 /proc/uptime)s, kernel $(uname -r)"

load_modules() {
    while read -r module; do
        # crc32c-intel needs SSE4.2; without it crc32c_generic serves the digests.
        insmod "$module" 2>/tmp/insmod.err ||
            echo "INTEROP INFO insmod $(basename "$module") failed: $(cat /tmp/insmod.err)"
    done </etc/modules.order
}

bring_up_network() {
    ip link set lo up
    ip link set eth0 up || return 1
    ip addr add 10.0.2.15/24 dev eth0 || return 1
    ip route add default via 10.0.2.2
}

power_off() {
    sync
    echo "INTEROP INFO powering off at $(cut -d' ' -f1 /proc/uptime)s"
    poweroff -f
    sleep 5
}

load_modules
if bring_up_network; then
    echo "INTEROP INFO network up at $(cut -d' ' -f1 /proc/uptime)s"
else
    echo "INTEROP FAIL network"
fi

if grep -q 'interop.shell=1' /proc/cmdline; then
    setsid cttyhack sh
elif [ -x /interop/test.sh ]; then
    /interop/test.sh
    echo "INTEROP GUEST-EXIT $?"
else
    echo "INTEROP INFO no /interop/test.sh was handed in"
fi
power_off
