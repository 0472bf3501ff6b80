# The guest's side of cluster-e2e.sh (runs after e2e/guest/guest-lib.sh in the e2e guest): the Linux host
# reaches one subsystem through two nodes of the cluster. Handed in:
#   SUBNQN        the subsystem, made on node-1, with a listener on node-2 and one on node-3
#   PORT2 PORT3   those listeners' ports on the host ($HOST_ADDR)
# The Linux host joins both controllers to one subsystem only when their controller IDs differ (it rejects
# a duplicate CNTLID): each node hands out IDs from its own slot.
plan connect-through-node-2 connect-through-node-3 two-controllers distinct-cntlids namespace-through-node-2

controllers_of() {
    local c
    for c in /sys/class/nvme/nvme*; do
        [ -e "$c/subsysnqn" ] && [ "$(cat "$c/subsysnqn")" = "$1" ] && basename "$c"
    done
    return 0
}
has_controllers() { [ "$(controllers_of "$SUBNQN" | wc -l)" -ge "$1" ]; }

step connect-through-node-2 nvme connect -t tcp -a "$HOST_ADDR" -s "$PORT2" -n "$SUBNQN"
step connect-through-node-3 nvme connect -t tcp -a "$HOST_ADDR" -s "$PORT3" -n "$SUBNQN"
if wait_for 60 has_controllers 2; then
    pass two-controllers
else
    fail two-controllers "controllers of $SUBNQN: $(controllers_of "$SUBNQN" | tr '\n' ' '); kernel: $(dmesg | grep -i nvme | tail -5)"
fi
CNTLIDS=$(for c in $(controllers_of "$SUBNQN"); do cat "/sys/class/nvme/$c/cntlid"; done | tr '\n' ' ')
info "controller IDs of $SUBNQN: $CNTLIDS"
if [ "$(echo "$CNTLIDS" | tr ' ' '\n' | grep . | sort -u | wc -l)" -eq 2 ]; then
    pass distinct-cntlids
else
    fail distinct-cntlids "controller IDs: $CNTLIDS"
fi
if wait_for 60 block_device_of "$SUBNQN" 1; then
    pass namespace-through-node-2
else
    fail namespace-through-node-2 "no block device for namespace 1 of $SUBNQN"
fi
nvme disconnect -n "$SUBNQN" >/dev/null 2>&1
