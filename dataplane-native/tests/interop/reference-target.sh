#!/bin/sh
# Runs inside a second guest as /interop/test.sh when run.sh is called with INTEROP_TARGET=linux-nvmet:
# the Linux kernel's own NVMe/TCP target (nvmet) configured like wr-target's interop config, so the
# harness and guest-test.sh can be checked against a known-good target and its capture compared.
# Reads "restart" lines on the console: drops and re-adds the port links, which tears down every
# controller like a target restart would, while the file-backed namespace keeps its data.
. /interop/env
mount -t configfs none /sys/kernel/config || { echo "NVMET FAILED configfs"; exit 1; }
N=/sys/kernel/config/nvmet
mkdir -p /var/ns

add_subsystem() {   # nqn allowed-host serial
    mkdir "$N/subsystems/$1"
    echo 0 >"$N/subsystems/$1/attr_allow_any_host"
    echo "$3" >"$N/subsystems/$1/attr_serial"
    echo Windrose >"$N/subsystems/$1/attr_model" 2>/dev/null
    [ -d "$N/hosts/$2" ] || mkdir "$N/hosts/$2"
    ln -s "$N/hosts/$2" "$N/subsystems/$1/allowed_hosts/"
}

# nvmet gives a namespace a random UUID but no NGUID; the test wants both (issue 3), so set one.
set_nguid() {   # nqn nsid
    cat /proc/sys/kernel/random/uuid >"$N/subsystems/$1/namespaces/$2/device_nguid"
}

add_namespace() {   # nqn nsid file size
    truncate -s "$4" "$3"
    mkdir "$N/subsystems/$1/namespaces/$2"
    set_nguid "$1" "$2"
    echo "$3" >"$N/subsystems/$1/namespaces/$2/device_path"
    # The guest's root is a ramfs, which has no O_DIRECT: nvmet must use buffered I/O.
    echo 1 >"$N/subsystems/$1/namespaces/$2/buffered_io"
    echo 1 >"$N/subsystems/$1/namespaces/$2/enable"
}

add_port() {   # id service
    mkdir "$N/ports/$1"
    echo tcp >"$N/ports/$1/addr_trtype"
    echo ipv4 >"$N/ports/$1/addr_adrfam"
    echo 10.0.2.15 >"$N/ports/$1/addr_traddr"
    echo "$2" >"$N/ports/$1/addr_trsvcid"
}

link_ports() {
    for port in 1 2; do
        for nqn in "$SUBNQN" "$FORBIDDEN_NQN"; do ln -s "$N/subsystems/$nqn" "$N/ports/$port/subsystems/"; done
    done
}

unlink_ports() {
    for port in 1 2; do rm -f "$N/ports/$port/subsystems/"*; done
}

add_subsystem "$SUBNQN" "$HOSTNQN" WR0001
# Namespace 1 on a memory-backed null_blk: nvmet's SMART log counts only block-device namespaces,
# and only from the block layer's I/O accounting, which bio-based brd does not do.
modprobe null_blk nr_devices=1 queue_mode=2 memory_backed=1 gb=1 || echo "NVMET FAILED null_blk"
mkdir "$N/subsystems/$SUBNQN/namespaces/1"
set_nguid "$SUBNQN" 1
echo /dev/nullb0 >"$N/subsystems/$SUBNQN/namespaces/1/device_path"
echo 1 >"$N/subsystems/$SUBNQN/namespaces/1/enable"
add_namespace "$SUBNQN" 2 /var/ns/ns2.img 256M
add_subsystem "$FORBIDDEN_NQN" "$OTHER_HOSTNQN" WR0002
add_namespace "$FORBIDDEN_NQN" 1 /var/ns/forbidden.img 16M
add_port 1 "$IO_PORT"
# nvmet's discovery log lists the subsystems of the port the host asked on, so the discovery port
# carries the subsystems too.
add_port 2 "$DISCOVERY_PORT"
link_ports
echo "NVMET READY"
while read -r line; do
    case "$line" in
    restart)
        unlink_ports
        sleep 1
        link_ports
        echo "NVMET RESTARTED"
        ;;
    esac
done
