#!/bin/sh
# Runs inside the second interop guest (busybox sh, Debian trixie's kernel: bookworm's 6.1 is built
# without CONFIG_NVME_AUTH) as /interop/test.sh: DH-HMAC-CHAP against wr-target's subsystem
# $AUTH_SUBNQN, which lets $HOSTNQN in only with $AUTH_SECRET (and knows $AUTH_CTRL_SECRET for the
# controller). The kernel authenticates the admin queue and then every I/O queue on its own.
# Same conventions as guest-test.sh: one "INTEROP PASS|FAIL <step>" line per step of the plan.
. /interop/env

PLAN="auth-kernel-support auth-connect auth-secret-in-sysfs auth-fio-verify auth-disconnect
auth-bidirectional-connect auth-bidirectional-fio-verify auth-bidirectional-disconnect
auth-refuse-wrong-secret auth-refuse-no-secret auth-refuse-wrong-ctrl-secret"
# TLS 1.3 PSK steps follow in the same boot (guest-tls.sh, sourced at the end)
. /interop/tls-steps
echo "INTEROP PLAN" $PLAN $TLS_STEPS

pass() { echo "INTEROP PASS $1"; }
fail() { echo "INTEROP FAIL $1: $2"; }

run_shown() {
    local name=$1
    shift
    echo "INTEROP OUTPUT $name: $*"
    "$@" >/tmp/out 2>&1
    local rc=$?
    cat /tmp/out
    echo "INTEROP END $name rc=$rc"
    return $rc
}

controller_of() {
    local c
    for c in /sys/class/nvme/nvme*; do
        [ -e "$c/subsysnqn" ] || continue
        [ "$(cat "$c/subsysnqn")" = "$1" ] && basename "$c" && return 0
    done
    return 1
}

block_device_of() {
    local b
    for b in /sys/block/nvme*n*; do
        case "$(basename "$b")" in nvme*c*n*) continue ;; esac
        [ "$(cat "$b/device/subsysnqn" 2>/dev/null)" = "$1" ] || continue
        [ "$(cat "$b/nsid")" = "$2" ] && echo "/dev/$(basename "$b")" && return 0
    done
    return 1
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

fio_verify() {
    local step=$1 dev=$2
    if [ -z "$dev" ]; then fail "$step" "no block device"; return 1; fi
    if run_shown "$step" fio --name="$step" --filename="$dev" --rw=randwrite --bs=4k --size=8M \
        --ioengine=libaio --iodepth=8 --direct=1 --verify=crc32c --do_verify=1 --verify_fatal=1 \
        --randrepeat=1 --runtime=120 && grep -q 'err= 0' /tmp/out &&
        ! grep -qi 'verify: bad\|bad magic\|crc32c: verify failed' /tmp/out; then
        pass "$step"
    else
        fail "$step" "fio failed or reported errors (see output above)"
    fi
}

CONNECT_ARGS="-t tcp -a $TARGET_ADDR -s $IO_PORT -n $AUTH_SUBNQN --hostnqn=$HOSTNQN --hostid=$HOSTID"

# The kernel's NVMe host must have DH-HMAC-CHAP (CONFIG_NVME_HOST_AUTH): its controllers then have
# a dhchap_secret attribute, and nvme-cli's --dhchap-secret reaches it.
echo "INTEROP INFO kernel $(uname -r)"
if ls /lib/modules/"$(uname -r)"/kernel/drivers/nvme/common/nvme-auth.ko >/dev/null 2>&1 ||
        grep -q nvme_auth /proc/modules; then
    pass auth-kernel-support
else
    fail auth-kernel-support "no nvme-auth module in this kernel"
fi

# --- unidirectional: the host proves it holds the secret ---------------------------------------------
if run_shown auth-connect nvme connect $CONNECT_ARGS --dhchap-secret="$AUTH_SECRET" &&
        wait_for 20 controller_of "$AUTH_SUBNQN"; then
    pass auth-connect
else
    fail auth-connect "nvme connect --dhchap-secret failed"
fi
CTRL=$(controller_of "$AUTH_SUBNQN")
if [ -n "$CTRL" ] && [ "$(cat "/sys/class/nvme/$CTRL/dhchap_secret" 2>/dev/null)" = "$AUTH_SECRET" ]; then
    pass auth-secret-in-sysfs
else
    fail auth-secret-in-sysfs "the controller does not carry the secret the connect was given"
fi
wait_for 60 block_device_of "$AUTH_SUBNQN" 1
# fio's I/O goes through the I/O queues, each of which authenticated when it connected.
fio_verify auth-fio-verify "$(block_device_of "$AUTH_SUBNQN" 1)"
if run_shown auth-disconnect nvme disconnect -n "$AUTH_SUBNQN" && grep -q "disconnected 1 controller" /tmp/out &&
        wait_for 20 sh -c "! ls /sys/class/nvme/ | grep -q nvme"; then
    pass auth-disconnect
else
    fail auth-disconnect "nvme disconnect failed"
fi

# --- bidirectional: the host checks the controller's response too ------------------------------------
if run_shown auth-bidirectional-connect nvme connect $CONNECT_ARGS --dhchap-secret="$AUTH_SECRET" \
        --dhchap-ctrl-secret="$AUTH_CTRL_SECRET" && wait_for 20 controller_of "$AUTH_SUBNQN"; then
    pass auth-bidirectional-connect
else
    fail auth-bidirectional-connect "nvme connect --dhchap-secret --dhchap-ctrl-secret failed"
fi
wait_for 60 block_device_of "$AUTH_SUBNQN" 1
fio_verify auth-bidirectional-fio-verify "$(block_device_of "$AUTH_SUBNQN" 1)"
if run_shown auth-bidirectional-disconnect nvme disconnect -n "$AUTH_SUBNQN" &&
        grep -q "disconnected 1 controller" /tmp/out && wait_for 20 sh -c "! ls /sys/class/nvme/ | grep -q nvme"; then
    pass auth-bidirectional-disconnect
else
    fail auth-bidirectional-disconnect "nvme disconnect failed"
fi

# --- refusals: the connect fails and leaves no controller behind -------------------------------------
# $1 step, $2 what the kernel must have logged (extended regex), then extra nvme connect arguments.
expect_auth_refused() {
    local step=$1 pattern=$2 before
    shift 2
    before=$(dmesg | wc -l)
    if run_shown "$step" nvme connect $CONNECT_ARGS "$@"; then
        fail "$step" "the connect was accepted"
        nvme disconnect -n "$AUTH_SUBNQN" >/dev/null 2>&1
        return
    fi
    dmesg | tail -n +"$((before + 1))" >/tmp/dmesg-new
    echo "INTEROP OUTPUT $step-dmesg"; cat /tmp/dmesg-new; echo "INTEROP END $step-dmesg rc=0"
    if wait_for 20 controller_of "$AUTH_SUBNQN" && controller_of "$AUTH_SUBNQN" >/dev/null; then
        fail "$step" "connect failed but a controller exists"
    elif grep -q -i -E "$pattern" /tmp/dmesg-new; then
        pass "$step"
    else
        fail "$step" "the kernel did not log an authentication failure ('$pattern')"
    fi
}
expect_auth_refused auth-refuse-wrong-secret 'auth.*fail|fail.*auth' --dhchap-secret="$WRONG_SECRET"
# Without a secret the kernel cannot answer the Connect's AUTHREQ and gives up.
expect_auth_refused auth-refuse-no-secret 'auth|key'
# The host's secret is right, but the controller's response does not verify with the secret the host
# expects: the host refuses the controller (AUTH_Failure2).
expect_auth_refused auth-refuse-wrong-ctrl-secret 'auth.*fail|fail.*auth|controller.*response|mismatch' \
    --dhchap-secret="$AUTH_SECRET" --dhchap-ctrl-secret="$WRONG_SECRET"

echo "INTEROP OUTPUT dmesg"; dmesg | grep -i -E 'nvme|auth' | tail -60; echo "INTEROP END dmesg rc=0"

# --- TLS 1.3 with a PSK (guest-tls.sh) ---------------------------------------------------------------
. /interop/tls.sh
