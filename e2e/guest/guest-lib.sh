#!/bin/sh
# The step library of the end-to-end guest (busybox sh inside QEMU). run-guest.sh puts it in front of
# the caller's steps file; together they run as the guest's /interop/test.sh (see guest-init.sh of the
# interop harness). Every step prints exactly one "GUEST PASS <step>" or "GUEST FAIL <step>: <why>";
# run-guest.sh compares them with the names given to `plan`, so a step that never ran fails too.
#
# Known in the steps file:
#   $HOST_ADDR   the host as the guest reaches it (QEMU user networking: the host's 127.0.0.1 is 10.0.2.2)
#   $HOSTNQN $HOSTID   this guest's host NQN and host ID (also in /etc/nvme/hostnqn and /etc/nvme/hostid)
#   every NAME=VALUE given to run-guest.sh with --env
#
#   plan STEP...              names every step, in order, before the first one runs
#   step STEP CMD [ARG...]    runs the command; PASS on exit status 0, else FAIL (output shown)
#   step_sh STEP 'SHELL TEXT' the same for a shell command line, e.g. one handed in with --env
#   pass STEP / fail STEP WHY for checks of your own
#   ask_host NAME             asks the host side to do NAME (run-guest.sh --on-wait); 0 when it did
#   wait_for TRIES CMD...     polls CMD every 0.5 s, at most TRIES times
#   controller_of NQN         the live-or-reconnecting controller (nvmeN) of that subsystem
#   controller_state NQN      its state (live, connecting, resetting…), or "gone"
#   block_device_of NQN NSID  /dev/nvmeXnY of that namespace
#   fio_write_verify STEP DEV SIZE / fio_verify_only STEP DEV SIZE   a crc32c pattern, written / checked
#   expect_refused STEP CMD…  the command must fail with Connect Invalid Host (the kernel logs it)
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
# Exported, so that step_sh's shells see them too.
set -a
. /interop/env
set +a

plan() { echo "GUEST PLAN $*"; }
pass() { echo "GUEST PASS $1"; }
fail() { echo "GUEST FAIL $1: $2"; }
info() { echo "GUEST INFO $*"; }

# Runs a command with its output kept in /tmp/out and shown, framed, on the console.
shown() {
    local name=$1 rc
    shift
    echo "GUEST OUTPUT $name: $*"
    "$@" >/tmp/out 2>&1
    rc=$?
    cat /tmp/out
    echo "GUEST END $name rc=$rc"
    return $rc
}

step() {
    local name=$1
    shift
    if shown "$name" "$@"; then
        pass "$name"
    else
        fail "$name" "'$*' failed (output above)"
        return 1
    fi
}

step_sh() { step "$1" sh -c "$2"; }

# The host answers "<name> ok" or "<name> failed" on the console (our stdin) when it is done.
ask_host() {
    local answer=""
    echo "GUEST WAIT $1"
    read -t "${GUEST_WAIT_SECONDS:-600}" -r answer
    info "host answered '$answer' at $(cut -d' ' -f1 /proc/uptime)s"
    [ "$answer" = "$1 ok" ]
}

wait_for() {
    local tries=$1
    shift
    while [ "$tries" -gt 0 ]; do
        "$@" >/dev/null 2>&1 && return 0
        tries=$((tries - 1))
        sleep 0.5
    done
    return 1
}

controller_of() {
    local c
    for c in /sys/class/nvme/nvme*; do
        [ -e "$c/subsysnqn" ] || continue
        [ "$(cat "$c/subsysnqn")" = "$1" ] && basename "$c" && return 0
    done
    return 1
}

controller_state() {
    local c
    c=$(controller_of "$1") && cat "/sys/class/nvme/$c/state" && return 0
    echo gone
}

block_device_of() {
    local b
    for b in /sys/block/nvme*n*; do
        # nvmeXcYnZ are the hidden per-path devices of native multipath; they have no /dev node.
        case "$(basename "$b")" in nvme*c*n*) continue ;; esac
        [ -e "$b/nsid" ] || continue
        [ "$(cat "$b/device/subsysnqn" 2>/dev/null)" = "$1" ] || continue
        [ "$(cat "$b/nsid")" = "$2" ] && echo "/dev/$(basename "$b")" && return 0
    done
    return 1
}

# The same job writes and later re-reads the pattern (same name, seed and sizes: fio derives the
# expected data from them), so --verify_only checks exactly what was written.
fio_job() {
    local dev=$1 size=$2
    shift 2
    fio --name=e2e-pattern --filename="$dev" --rw=write --bs=64k --size="$size" --ioengine=libaio --iodepth=8 \
        --direct=1 --verify=crc32c --verify_fatal=1 --randrepeat=1 "$@"
}

fio_clean() { grep -q 'err= 0' /tmp/out && ! grep -qi 'verify: bad\|bad magic\|verify failed' /tmp/out; }

fio_write_verify() {
    if [ -z "$2" ]; then fail "$1" "no block device"; return 1; fi
    if shown "$1" fio_job "$2" "$3" --do_verify=1 && fio_clean; then pass "$1"; else fail "$1" "fio write+verify failed"; return 1; fi
}

fio_verify_only() {
    if [ -z "$2" ]; then fail "$1" "no block device"; return 1; fi
    if shown "$1" fio_job "$2" "$3" --verify_only && fio_clean; then pass "$1"; else fail "$1" "the data did not verify"; return 1; fi
}

# Connect Invalid Host (SCT 1h, SC 84h) is what the kernel reports as "Connect for subsystem … is not
# allowed"; a missing listener or a dropped connection reads differently and does not count.
expect_refused() {
    local name=$1 before
    shift
    before=$(dmesg | wc -l)
    if shown "$name" "$@"; then
        fail "$name" "the connect was accepted"
        return 1
    fi
    dmesg | tail -n +"$((before + 1))" >/tmp/dmesg-new
    if grep -q 'Connect for subsystem .* is not allowed' /tmp/dmesg-new; then
        pass "$name"
    else
        fail "$name" "not refused with Connect Invalid Host; the kernel said: $(tr '\n' ' ' </tmp/dmesg-new)"
        return 1
    fi
}

# The kernel's own nvme-cli configuration: the host NQN and ID this guest was booted with.
mkdir -p /etc/nvme
echo "$HOSTNQN" >/etc/nvme/hostnqn
echo "$HOSTID" >/etc/nvme/hostid
info "host NQN $HOSTNQN"
