# The guest's side of fabric-e2e.sh (runs after guest-lib.sh in the e2e guest). Handed in:
#   CONNECT_COMMAND  the Linux connect command the subsystem's Connect panel shows for this host NQN
#                    (GET /api/v1/subsystems/{id}/connect-commands), with 127.0.0.1 replaced by
#                    10.0.2.2 — the only change, since the guest reaches the host's loopback there
#   SUBNQN           the subsystem's NQN, to find its controller and namespace
plan connect-as-shown namespace-appears write-verify flush disk-namespace-appears disk-write-verify \
    namespace-grown-live disk-namespace-grown-live reconnect-after-restart verify-after-restart disk-verify-after-restart \
    controller-dropped-when-host-removed kernel-reconnect-refused disconnect-refused-controller connect-refused

info "connect command: $CONNECT_COMMAND"
if step_sh connect-as-shown "$CONNECT_COMMAND" && wait_for 40 controller_of "$SUBNQN"; then
    CTRL=$(controller_of "$SUBNQN")
fi
if wait_for 120 block_device_of "$SUBNQN" 1; then
    pass namespace-appears
else
    fail namespace-appears "no block device for namespace 1 of $SUBNQN: $(ls /sys/block | tr '\n' ' ')"
fi
DEV=$(block_device_of "$SUBNQN" 1)
info "controller ${CTRL:-none}, namespace 1 is ${DEV:-missing}"
fio_write_verify write-verify "$DEV" 16M
if [ -n "$DEV" ]; then step flush nvme flush "$DEV"; else fail flush "no block device"; fi
# Namespace 2 is a disk-pool volume: an extent of a disk, served in place.
if wait_for 60 block_device_of "$SUBNQN" 2; then
    pass disk-namespace-appears
else
    fail disk-namespace-appears "no block device for namespace 2 of $SUBNQN"
fi
DISK_DEV=$(block_device_of "$SUBNQN" 2)
fio_write_verify disk-write-verify "$DISK_DEV" 16M
[ -n "$DISK_DEV" ] && nvme flush "$DISK_DEV" >/dev/null 2>&1

# --- both volumes grow through REST while connected: the target raises Namespace Attribute Changed,
# the kernel rescans, and the block devices take the new size without a reconnect -----------------
size_of() { echo $(($(cat "/sys/block/$(basename "$1")/size" 2>/dev/null || echo 0) * 512)); }
grown_to() { [ -n "$1" ] && [ "$(size_of "$1")" = "$2" ]; }
reconnects_before_grow=$(dmesg | grep -c "Successfully reconnected")
ask_host grow-volumes || info "the host could not grow the volumes"
if wait_for 120 grown_to "$DEV" 100663296 &&
    [ "$(dmesg | grep -c "Successfully reconnected")" = "$reconnects_before_grow" ] &&
    [ "$(controller_state "$SUBNQN")" = live ]; then
    info "kernel: $(dmesg | grep -i 'capacity change' | tail -2 | tr '\n' ' ')"
    pass namespace-grown-live
else
    fail namespace-grown-live "${DEV:-no device} has $(size_of "${DEV:-none}") bytes (want 100663296, controller live, no reconnect: $(controller_state "$SUBNQN")); kernel: $(dmesg | grep -i nvme | tail -3 | tr '\n' ' ')"
fi
if wait_for 120 grown_to "$DISK_DEV" 50331648; then
    pass disk-namespace-grown-live
else
    fail disk-namespace-grown-live "${DISK_DEV:-no device} has $(size_of "${DISK_DEV:-none}") bytes, not 50331648"
fi

# --- the application restarts; the kernel must reconnect by itself (reconnect-delay and ctrl-loss-tmo
# are nvme-cli's defaults, 10 s and 600 s: the shown command sets neither) ---------------------------
reconnects_before=$(dmesg | grep -c "${CTRL:-none}: Successfully reconnected")
reconnected() {
    [ "$(dmesg | grep -c "$CTRL: Successfully reconnected")" -gt "$reconnects_before" ] &&
        [ "$(controller_state "$SUBNQN")" = live ]
}
ask_host restart-app || info "the host could not restart the application"
if [ -n "${CTRL:-}" ] && wait_for 240 reconnected; then
    pass reconnect-after-restart
else
    fail reconnect-after-restart "controller ${CTRL:-none} is '$(controller_state "$SUBNQN")'; kernel: $(dmesg | grep -i nvme | tail -5 | tr '\n' ' ')"
fi
DEV=$(block_device_of "$SUBNQN" 1)
fio_verify_only verify-after-restart "$DEV" 16M
DISK_DEV=$(block_device_of "$SUBNQN" 2)
fio_verify_only disk-verify-after-restart "$DISK_DEV" 16M

# --- the host is removed from the allowed list: the live controller goes, and connecting is refused --
mark=$(dmesg | wc -l)
ask_host remove-host || info "the host could not remove this host from the allowed list"
if wait_for 120 sh -c "[ \"\$(cat /sys/class/nvme/$CTRL/state 2>/dev/null)\" != live ]"; then
    pass controller-dropped-when-host-removed
else
    fail controller-dropped-when-host-removed "controller $CTRL is still live"
fi
refused_since_mark() { dmesg | tail -n +"$((mark + 1))" | grep -q 'Connect for subsystem .* is not allowed'; }
# The kernel tries to reconnect on its own (every 10 s); the target must answer Connect Invalid Host.
if wait_for 60 refused_since_mark; then
    pass kernel-reconnect-refused
else
    fail kernel-reconnect-refused "no refused reconnect; kernel: $(dmesg | tail -n +"$((mark + 1))" | grep -i nvme | tail -5 | tr '\n' ' ')"
fi
step disconnect-refused-controller nvme disconnect -n "$SUBNQN"
expect_refused connect-refused sh -c "$CONNECT_COMMAND"

echo "GUEST OUTPUT dmesg-nvme: dmesg"; dmesg | grep -i nvme | tail -30; echo "GUEST END dmesg-nvme rc=0"
