#!/bin/sh
# Runs inside the interop guest (busybox sh) as /interop/test.sh, against wr-target on the host.
# The harness (run.sh) appends this script and /interop/env (addresses, NQNs) as a second cpio archive.
# Every step prints exactly one "INTEROP PASS <step>" or "INTEROP FAIL <step>: <why>" line; the
# harness compares them with the "INTEROP PLAN" line printed first, so a step that never ran counts
# as failed too. Output blocks the harness shows are framed by "INTEROP OUTPUT <name>" / "INTEROP END".
. /interop/env

PLAN="discover discover-hides-forbidden discover-on-io-port connect-plain namespaces-appear ns-ids-unique
nvme-list id-ctrl id-ns
fio-4k-randwrite-verify fio-128k-seqwrite-verify smart-log smart-log-counts-writes flush dsm-deallocate
disconnect connect-digests fio-digests-verify disconnect-digests refuse-unknown-host
refuse-forbidden-subsystem connect-for-restart persist-write dmesg-clean-before-restart restart-reconnect
ns-ids-stable-after-restart restart-verify disconnect-final"
# Multipath with ANA: only against wr-target, which the harness can switch a listener's ANA state on.
if [ -n "${IO_PORT2:-}" ]; then
    PLAN="$PLAN multipath-connect multipath-one-head cntlids-distinct-from-range multipath-both-optimized
ana-inaccessible-seen ana-optimized-again multipath-fio-verify multipath-disconnect"
fi
echo "INTEROP PLAN" $PLAN

pass() { echo "INTEROP PASS $1"; }
fail() { echo "INTEROP FAIL $1: $2"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# Runs a command, keeps its output in /tmp/out and shows it framed so the harness can quote it.
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

CONNECT_ARGS="-t tcp -a $TARGET_ADDR -s $IO_PORT --hostnqn=$HOSTNQN --hostid=$HOSTID"

# The controller (nvmeN) of the subsystem $1 that is live, or nothing.
controller_of() {
    local c
    for c in /sys/class/nvme/nvme*; do
        [ -e "$c/subsysnqn" ] || continue
        [ "$(cat "$c/subsysnqn")" = "$1" ] && basename "$c" && return 0
    done
    return 1
}

# The block device of namespace $2 of subsystem $1 (multipath head or plain), or nothing.
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

# Polls (bounded) until "$@" succeeds; TCG makes namespace scanning take a moment.
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

# fio write-then-verify. $1 step, $2 device, $3 rw, $4 bs, $5 size, then extra fio options.
fio_verify() {
    local step=$1 dev=$2 rw=$3 bs=$4 size=$5
    shift 5
    if [ -z "$dev" ]; then fail "$step" "no block device"; return 1; fi
    if run_shown "$step" fio --name="$step" --filename="$dev" --rw="$rw" --bs="$bs" --size="$size" \
        --ioengine=libaio --iodepth=8 --direct=1 --verify=crc32c --do_verify=1 --verify_fatal=1 \
        --randrepeat=1 --runtime=180 "$@" &&
        grep -q 'err= 0' /tmp/out && ! grep -qi 'verify: bad\|bad magic\|crc32c: verify failed' /tmp/out; then
        pass "$step"
    else
        fail "$step" "fio failed or reported errors (see output above)"
        return 1
    fi
}

smart_value() { awk -F: -v k="$1" '$1 ~ "^"k"[ \t]*$" {gsub(/[ ,\t]/, "", $2); print $2; exit}' /tmp/out; }

# --- discovery ------------------------------------------------------------------------------------
if run_shown discover nvme discover -t tcp -a "$TARGET_ADDR" -s "$DISCOVERY_PORT" \
        --hostnqn="$HOSTNQN" --hostid="$HOSTID" && grep -q "subnqn: *$SUBNQN\$" /tmp/out; then
    pass discover
else
    fail discover "discovery log does not name $SUBNQN"
fi
# Judged only on a log that does show this host's subsystem (else it proves nothing).
if ! grep -q "subnqn: *$SUBNQN\$" /tmp/out; then
    fail discover-hides-forbidden "no discovery log of this target to judge"
elif grep -q "$FORBIDDEN_NQN" /tmp/out; then
    fail discover-hides-forbidden "discovery log names $FORBIDDEN_NQN, which this host may not use"
else
    pass discover-hides-forbidden
fi

# The discovery controller also answers on the I/O listener.
if run_shown discover-on-io-port nvme discover -t tcp -a "$TARGET_ADDR" -s "$IO_PORT" \
        --hostnqn="$HOSTNQN" --hostid="$HOSTID" && grep -q "subnqn: *$SUBNQN\$" /tmp/out; then
    pass discover-on-io-port
else
    fail discover-on-io-port "no discovery log naming $SUBNQN on port $IO_PORT"
fi

# --- plain connection -----------------------------------------------------------------------------
if run_shown connect-plain nvme connect $CONNECT_ARGS -n "$SUBNQN" && wait_for 20 controller_of "$SUBNQN"; then
    CTRL=$(controller_of "$SUBNQN")
    pass connect-plain
else
    fail connect-plain "nvme connect failed or no controller appeared"
fi
if wait_for 60 block_device_of "$SUBNQN" 1 && wait_for 20 block_device_of "$SUBNQN" 2; then
    pass namespaces-appear
else
    fail namespaces-appear "namespace 1 and 2 did not both appear: $(ls /sys/block | tr '\n' ' ')"
fi
RAM_DEV=$(block_device_of "$SUBNQN" 1)
FILE_DEV=$(block_device_of "$SUBNQN" 2)
echo "INTEROP INFO controller=$CTRL ram-namespace=$RAM_DEV file-namespace=$FILE_DEV"

# The identifiers the kernel read (Identify CNS 03h): present, and different per namespace, or the
# kernel would merge or drop namespaces.
ns_ids() { cat "/sys/block/$(basename "$1")/wwid" "/sys/block/$(basename "$1")/nguid" \
    "/sys/block/$(basename "$1")/uuid" 2>/dev/null | tr '\n' ' '; }
IDS1=$(ns_ids "$RAM_DEV")
IDS2=$(ns_ids "$FILE_DEV")
echo "INTEROP INFO namespace 1 ids: $IDS1"
echo "INTEROP INFO namespace 2 ids: $IDS2"
if [ -z "$RAM_DEV" ] || [ -z "$FILE_DEV" ]; then
    fail ns-ids-unique "no namespaces"
elif [ "$IDS1" = "$IDS2" ] || ! grep -q . "/sys/block/$(basename "$RAM_DEV")/nguid" 2>/dev/null ||
        grep -q -x -E '[0-]+' "/sys/block/$(basename "$RAM_DEV")/nguid"; then
    fail ns-ids-unique "namespace identifiers missing, zero or equal"
else
    pass ns-ids-unique
fi

if run_shown nvme-list nvme list && grep -q "Windrose" /tmp/out && [ -n "$RAM_DEV" ] && grep -q "$RAM_DEV" /tmp/out; then
    pass nvme-list
else
    fail nvme-list "nvme list does not show the Windrose namespaces"
fi
if run_shown id-ctrl nvme id-ctrl "/dev/$CTRL" && grep -q "^subnqn *: $SUBNQN" /tmp/out &&
        grep -q "^mn *: Windrose" /tmp/out; then
    pass id-ctrl
else
    fail id-ctrl "id-ctrl failed or lacks subnqn/mn"
fi
if run_shown id-ns nvme id-ns "$RAM_DEV" && [ "$(awk -F: '/^nsze/{gsub(/ /,"",$2); print $2}' /tmp/out)" != "0" ] &&
        grep -q "^nsze" /tmp/out; then
    pass id-ns
else
    fail id-ns "id-ns failed or reports a zero size"
fi

fio_verify fio-4k-randwrite-verify "$RAM_DEV" randwrite 4k 16M
fio_verify fio-128k-seqwrite-verify "$FILE_DEV" write 128k 32M

if run_shown smart-log nvme smart-log "/dev/$CTRL"; then
    pass smart-log
    writes=$(smart_value host_write_commands)
    if [ -n "$writes" ] && [ "$writes" -gt 0 ] 2>/dev/null; then
        pass smart-log-counts-writes
    else
        fail smart-log-counts-writes "host_write_commands is '$writes' after 48 MiB of fio writes"
    fi
else
    fail smart-log "nvme smart-log failed"
    fail smart-log-counts-writes "no smart log"
fi

if [ -n "$RAM_DEV" ] && run_shown flush nvme flush "$RAM_DEV"; then pass flush; else fail flush "nvme flush failed"; fi
if [ -n "$RAM_DEV" ] && run_shown dsm-deallocate nvme dsm "$RAM_DEV" --ad --slbs=0 --blocks=256; then
    pass dsm-deallocate
else
    fail dsm-deallocate "nvme dsm --ad failed"
fi

if run_shown disconnect nvme disconnect -n "$SUBNQN" && grep -q "disconnected 1 controller" /tmp/out &&
        wait_for 20 sh -c "! ls /sys/class/nvme/ | grep -q nvme"; then
    pass disconnect
else
    fail disconnect "nvme disconnect did not remove exactly one controller"
fi

# --- header and data digests ----------------------------------------------------------------------
if run_shown connect-digests nvme connect $CONNECT_ARGS -n "$SUBNQN" --hdr-digest --data-digest &&
        wait_for 20 controller_of "$SUBNQN"; then
    pass connect-digests
else
    fail connect-digests "nvme connect --hdr-digest --data-digest failed"
fi
wait_for 60 block_device_of "$SUBNQN" 1
fio_verify fio-digests-verify "$(block_device_of "$SUBNQN" 1)" randrw 16k 8M --rwmixwrite=50
if run_shown disconnect-digests nvme disconnect -n "$SUBNQN" && grep -q "disconnected 1 controller" /tmp/out; then
    pass disconnect-digests
else
    fail disconnect-digests "nvme disconnect failed"
fi

# --- access control: both must be refused with the Connect Invalid Host status (the kernel logs it),
# not by a missing listener or a dropped connection, and leave no controller behind ----------------
# $1 step, $2 subsystem, then the nvme connect arguments.
expect_refused() {
    local step=$1 nqn=$2 before
    shift 2
    before=$(dmesg | wc -l)
    if run_shown "$step" nvme connect -t tcp -a "$TARGET_ADDR" -s "$IO_PORT" -n "$nqn" "$@"; then
        fail "$step" "the connect was accepted"
        nvme disconnect -n "$nqn" >/dev/null 2>&1
        return
    fi
    dmesg | tail -n +"$((before + 1))" >/tmp/dmesg-new
    if controller_of "$nqn" >/dev/null; then
        fail "$step" "connect failed but a controller exists"
    elif grep -q 'Connect for subsystem .* is not allowed' /tmp/dmesg-new; then
        # That is the kernel's message for status Connect Invalid Host (SCT 1h, SC 84h).
        pass "$step"
    else
        fail "$step" "not refused with Connect Invalid Host (SCT 1h SC 84h); kernel said: $(tr '\n' ' ' </tmp/dmesg-new)"
    fi
}
expect_refused refuse-unknown-host "$SUBNQN" --hostnqn="$OTHER_HOSTNQN" --hostid="$OTHER_HOSTID"
expect_refused refuse-forbidden-subsystem "$FORBIDDEN_NQN" --hostnqn="$HOSTNQN" --hostid="$HOSTID"

# --- data survives a target restart, and the kernel reconnects by itself --------------------------
PERSIST="--name=persist --rw=write --bs=64k --size=16M --ioengine=libaio --iodepth=8 --direct=1
 --verify=crc32c --verify_fatal=1 --randrepeat=1"
if run_shown connect-for-restart nvme connect $CONNECT_ARGS -n "$SUBNQN" --reconnect-delay=1 --ctrl-loss-tmo=300 &&
        wait_for 20 controller_of "$SUBNQN" && wait_for 60 block_device_of "$SUBNQN" 2; then
    pass connect-for-restart
else
    fail connect-for-restart "nvme connect failed"
fi
CTRL=$(controller_of "$SUBNQN")
FILE_DEV=$(block_device_of "$SUBNQN" 2)
if [ -n "$FILE_DEV" ] && run_shown persist-write fio $PERSIST --filename="$FILE_DEV" --do_verify=1 &&
        grep -q 'err= 0' /tmp/out && nvme flush "$FILE_DEV" >/dev/null; then
    pass persist-write
else
    fail persist-write "writing the pattern to the file-backed namespace failed"
fi

# Until now nothing should have gone wrong on the wire: no timeouts, resets or I/O errors (the two
# refused connects log "is not allowed" and "failed to connect queue", which are expected).
dmesg | grep -i nvme | grep -i -E 'error recovery|timeout|reconnect|resetting|I/O error|abort|invalid|failed' |
    grep -v -E 'is not allowed|failed to connect queue: 0 ret=' >/tmp/dmesg-problems
if [ -s /tmp/dmesg-problems ]; then
    fail dmesg-clean-before-restart "the kernel logged problems:"
    sed 's/^/    dmesg| /' /tmp/dmesg-problems | tail -20
else
    pass dmesg-clean-before-restart
fi

reconnects_before=$(dmesg | grep -c "$CTRL: Successfully reconnected")
echo "INTEROP WAIT target-restart"
# The harness restarts wr-target, then types this line on the console (our stdin).
answer=""
read -t 180 -r answer
echo "INTEROP INFO harness said '$answer' at $(uptime_s)s"
reconnected() {
    [ "$(dmesg | grep -c "$CTRL: Successfully reconnected")" -gt "$reconnects_before" ] &&
        [ "$(cat "/sys/class/nvme/$CTRL/state")" = live ]
}
if [ "$answer" != "target-restarted" ]; then
    fail restart-reconnect "the harness did not confirm the restart"
elif wait_for 240 reconnected; then
    pass restart-reconnect
else
    fail restart-reconnect "no reconnect within 120 s: state $(cat "/sys/class/nvme/$CTRL/state" 2>&1)"
    echo "INTEROP OUTPUT dmesg-nvme"; dmesg | grep -i nvme | tail -20; echo "INTEROP END dmesg-nvme rc=0"
    # Reconnect by hand so the data check below still tells whether the data survived.
    nvme disconnect -n "$SUBNQN" >/dev/null 2>&1
    nvme connect $CONNECT_ARGS -n "$SUBNQN" >/dev/null 2>&1 && wait_for 60 block_device_of "$SUBNQN" 2
fi
FILE_DEV=$(block_device_of "$SUBNQN" 2)
IDS2_AFTER=$(ns_ids "$FILE_DEV")
if [ -n "$FILE_DEV" ] && [ "$IDS2_AFTER" = "$IDS2" ]; then
    pass ns-ids-stable-after-restart
else
    fail ns-ids-stable-after-restart "namespace 2 ids were '$IDS2', after the restart '$IDS2_AFTER'"
fi
if [ -n "$FILE_DEV" ] && run_shown restart-verify fio $PERSIST --filename="$FILE_DEV" --verify_only &&
        grep -q 'err= 0' /tmp/out; then
    pass restart-verify
else
    fail restart-verify "the file-backed namespace's data did not verify after the restart"
fi
if run_shown disconnect-final nvme disconnect -n "$SUBNQN" && grep -q "disconnected 1 controller" /tmp/out; then
    pass disconnect-final
else
    fail disconnect-final "nvme disconnect failed"
fi

# --- two paths to one namespace (native multipath); one path's ANA group turns inaccessible and back
# while fio writes and verifies through the multipath device ------------------------------------------
# The controller of $SUBNQN reached through port $1.
controller_on_port() {
    local c
    for c in /sys/class/nvme/nvme*; do
        [ "$(cat "$c/subsysnqn" 2>/dev/null)" = "$SUBNQN" ] || continue
        grep -q -E "trsvcid=$1(,|\$)" "$c/address" 2>/dev/null && basename "$c" && return 0
    done
    return 1
}
# ana_state of namespace 1 through controller $1: the hidden path device nvmeXcYn1 of that controller.
path_ana_state() {
    local p
    for p in /sys/block/nvme*c*n*; do
        [ "$(cat "$p/nsid" 2>/dev/null)" = 1 ] || continue
        [ -e "$p/device" ] && [ "$(basename "$(readlink -f "$p/device")")" = "$1" ] || continue
        cat "$p/ana_state" && return 0
    done
    return 1
}
ana_is() { [ "$(path_ana_state "$1")" = "$2" ]; }
# Asks the harness to set the second listener's group 1 to $1 and waits for its answer.
harness_sets_ana() {
    echo "INTEROP WAIT ana-$1"
    local answer=""
    read -t 120 -r answer
    echo "INTEROP INFO harness said '$answer' at $(uptime_s)s"
    [ "$answer" = "ana-set-$1" ]
}

if [ -n "${IO_PORT2:-}" ]; then
    MP_ARGS="-n $SUBNQN --reconnect-delay=1 --ctrl-loss-tmo=300"
    if run_shown multipath-connect nvme connect $CONNECT_ARGS $MP_ARGS &&
            nvme connect -t tcp -a "$TARGET_ADDR" -s "$IO_PORT2" --hostnqn="$HOSTNQN" --hostid="$HOSTID" $MP_ARGS \
                >>/tmp/out 2>&1 &&
            wait_for 20 controller_on_port "$IO_PORT" && wait_for 20 controller_on_port "$IO_PORT2"; then
        pass multipath-connect
    else
        fail multipath-connect "could not connect through both listeners"
    fi
    C1=$(controller_on_port "$IO_PORT")
    C2=$(controller_on_port "$IO_PORT2")
    wait_for 60 block_device_of "$SUBNQN" 1
    MP_DEV=$(block_device_of "$SUBNQN" 1)
    heads=$(for b in /sys/block/nvme*n1; do case "$(basename "$b")" in nvme*c*n*) ;; *)
        [ "$(cat "$b/device/subsysnqn" 2>/dev/null)" = "$SUBNQN" ] && echo "$b";; esac; done | wc -l)
    echo "INTEROP INFO paths $C1 (port $IO_PORT) and $C2 (port $IO_PORT2), multipath device $MP_DEV"
    if [ -n "$MP_DEV" ] && [ "$heads" = 1 ] && [ -n "$C1" ] && [ -n "$C2" ] && [ "$C1" != "$C2" ]; then
        pass multipath-one-head
    else
        fail multipath-one-head "expected one block device over two controllers, got $heads ($C1, $C2)"
    fi
    ID1=$(cat "/sys/class/nvme/$C1/cntlid" 2>/dev/null)
    ID2=$(cat "/sys/class/nvme/$C2/cntlid" 2>/dev/null)
    if [ -n "$ID1" ] && [ -n "$ID2" ] && [ "$ID1" != "$ID2" ] && [ "$ID1" -ge "$CNTLID_MIN" ] &&
            [ "$ID1" -le "$CNTLID_MAX" ] && [ "$ID2" -ge "$CNTLID_MIN" ] && [ "$ID2" -le "$CNTLID_MAX" ]; then
        pass cntlids-distinct-from-range
    else
        fail cntlids-distinct-from-range "CNTLIDs '$ID1' and '$ID2', range $CNTLID_MIN..$CNTLID_MAX"
    fi
    if wait_for 20 ana_is "$C1" optimized && wait_for 20 ana_is "$C2" optimized; then
        pass multipath-both-optimized
    else
        fail multipath-both-optimized "ana_state '$(path_ana_state "$C1")' and '$(path_ana_state "$C2")'"
    fi
    # Both paths carry I/O, so the one that turns inaccessible has commands on it when it does.
    for s in /sys/class/nvme-subsystem/nvme-subsys*; do
        [ "$(cat "$s/subsysnqn" 2>/dev/null)" = "$SUBNQN" ] && echo round-robin >"$s/iopolicy" 2>/dev/null
    done
    # fio writes and verifies as it goes (verify_backlog) for the whole flip; any I/O error fails it.
    fio --name=multipath --filename="$MP_DEV" --rw=randwrite --bs=4k --size=32M --ioengine=libaio \
        --iodepth=8 --direct=1 --verify=crc32c --verify_backlog=256 --verify_fatal=1 --randrepeat=1 \
        --time_based --runtime=45 >/tmp/fio-mp 2>&1 &
    FIO_PID=$!
    sleep 5
    if harness_sets_ana inaccessible && wait_for 60 ana_is "$C2" inaccessible && ana_is "$C1" optimized; then
        run_shown ana-list-subsys nvme list-subsys "$MP_DEV"
        pass ana-inaccessible-seen
    else
        fail ana-inaccessible-seen "ana_state of $C2 is '$(path_ana_state "$C2")', of $C1 '$(path_ana_state "$C1")'"
    fi
    sleep 5
    if harness_sets_ana optimized && wait_for 60 ana_is "$C2" optimized; then
        pass ana-optimized-again
    else
        fail ana-optimized-again "ana_state of $C2 is '$(path_ana_state "$C2")'"
    fi
    wait "$FIO_PID"
    rc=$?
    echo "INTEROP OUTPUT multipath-fio-verify: fio through $MP_DEV"; cat /tmp/fio-mp
    echo "INTEROP END multipath-fio-verify rc=$rc"
    if [ "$rc" = 0 ] && grep -q 'err= 0' /tmp/fio-mp && ! grep -qi 'verify: bad\|bad magic\|verify failed' /tmp/fio-mp; then
        pass multipath-fio-verify
    else
        fail multipath-fio-verify "fio through the multipath device saw an error while a path turned inaccessible"
    fi
    if run_shown multipath-disconnect nvme disconnect -n "$SUBNQN" && grep -q "disconnected 2 controller" /tmp/out; then
        pass multipath-disconnect
    else
        fail multipath-disconnect "nvme disconnect did not remove both controllers"
    fi
fi

echo "INTEROP OUTPUT dmesg"; dmesg | grep -i -E 'nvme|tcp' | tail -60; echo "INTEROP END dmesg rc=0"
