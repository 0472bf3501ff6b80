# The guest's side of ha-e2e.sh (runs after e2e/guest/guest-lib.sh in the e2e guest): the Linux host with
# native NVMe multipath reaches one mirrored volume through two nodes, and writes and verifies while the host
# side kills the active node (kill -9), restarts it, and takes the database away. Handed in:
#   SUBNQN         the subsystem, with a listener on each node
#   PORT1 PORT2    those listeners' ports on the host ($HOST_ADDR)
#   CYCLES         kill/restart cycles (each kills whichever node is active)
#   ROUGH          rounds of rougher trouble: the replication link cut while both nodes live, the node being
#                  resynchronised killed mid-resync, the node copying killed mid-resync, a blackout (both
#                  nodes killed, one back alone, then the other)
# The writer runs fio passes (write 16 MiB, read back, verify crc32c) one after another until told to stop;
# every pass must end without an I/O error and without a verify failure. Each pass's longest write latency
# is printed: a pass that spans a failover shows the pause the host saw.
plan connect-both-paths one-multipath-device two-paths-live writer-started $(i=1; while [ "$i" -le "$CYCLES" ]; do
    echo "failover-$i paths-back-$i"; i=$((i + 1)); done) $(i=1; while [ "$i" -le "$ROUGH" ]; do
    echo "cut-link-$i partner-killed-in-resync-$i active-killed-in-resync-$i blackout-$i"; i=$((i + 1)); done) \
    drill maintenance database-away writer-clean

CONNECT="nvme connect -t tcp -a $HOST_ADDR -n $SUBNQN --reconnect-delay=1 --ctrl-loss-tmo=-1"

paths_live() { # paths_live N: N controllers of the subsystem are live
    local c live=0
    for c in /sys/class/nvme/nvme*; do
        [ -e "$c/subsysnqn" ] && [ "$(cat "$c/subsysnqn")" = "$SUBNQN" ] && [ "$(cat "$c/state")" = live ] &&
            live=$((live + 1))
    done
    [ "$live" -ge "$1" ]
}

ana_states() { # the ANA state of each path to namespace 1
    local p
    for p in /sys/block/nvme*c*n1; do [ -e "$p/ana_state" ] && printf '%s=%s ' "$(basename "$p")" "$(cat "$p/ana_state")"; done
}

# Both paths have namespace 1 (the hidden per-path devices), one of them optimized.
both_paths_serve() {
    [ "$(ls -d /sys/block/nvme*c*n1 2>/dev/null | wc -l)" -ge 2 ] && ana_states | grep -q optimized
}

if $CONNECT -s "$PORT1" >/tmp/out 2>&1 && $CONNECT -s "$PORT2" >>/tmp/out 2>&1; then
    pass connect-both-paths
else
    fail connect-both-paths "$(cat /tmp/out)"
fi
if wait_for 120 block_device_of "$SUBNQN" 1 && wait_for 120 both_paths_serve; then
    DEV=$(block_device_of "$SUBNQN" 1)
    info "multipath device $DEV, paths: $(ana_states)"
    pass one-multipath-device
else
    fail one-multipath-device "no multipath device with two paths: $(ana_states); $(dmesg | grep -i nvme | tail -5)"
    DEV=""
fi
if paths_live 2; then pass two-paths-live; else fail two-paths-live "$(ana_states)"; fi

# The guest's clock (seconds since boot): the host's answers are printed on the same clock ("host answered … at
# T s"), so a slow pass can be matched to what the host was doing then.
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# --- the writer ------------------------------------------------------------------------------------
writer() {
    local n=0
    local started
    while [ ! -e /tmp/stop ]; do
        n=$((n + 1))
        started=$(uptime_s)
        fio --name=ha --filename="$DEV" --rw=write --bs=64k --size=16M --ioengine=libaio --iodepth=4 --direct=1 \
            --verify=crc32c --verify_fatal=1 --do_verify=1 --randrepeat=1 >/tmp/pass-$n 2>&1
        echo "$n $? $started $(uptime_s)" >>/tmp/passes
    done
}
: >/tmp/passes
if [ -n "$DEV" ]; then
    writer &
    WRITER=$!
    pass writer-started
else
    fail writer-started "no device"
fi

# The longest write completion latency of pass N, in ms (fio prints it in nsec, usec or msec).
pass_max_ms() {
    awk '/ write:/ {w = 1} w && /^ *clat \(/ {
            unit = $2; sub(/^\(/, "", unit); sub(/\):$/, "", unit); sub(/\)/, "", unit)
            for (i = 1; i <= NF; i++) if ($i ~ /^max=/) { v = $i; sub(/^max=/, "", v); sub(/,$/, "", v) }
            f = unit == "nsec" ? 1e-6 : unit == "usec" ? 1e-3 : unit == "msec" ? 1 : 1000
            printf "%d", v * f; exit }' "/tmp/pass-$1"
}

passes_done() { wc -l </tmp/passes; }
wait_passes_after() { # wait_passes_after N: at least one more pass completed after pass N
    local until=$1
    wait_for 600 sh -c "[ \$(wc -l </tmp/passes) -gt $until ]"
}

i=1
while [ "$i" -le "$CYCLES" ]; do
    before=$(passes_done)
    if ask_host kill-active; then
        # I/O must go on: a pass that runs entirely after the kill completes.
        if wait_passes_after $((before + 1)); then pass "failover-$i"; else fail "failover-$i" "no pass completed after the kill"; fi
    else
        fail "failover-$i" "the host side could not kill the active node or saw no takeover"
    fi
    if ask_host restart-killed && wait_for 240 paths_live 2 && wait_for 240 both_paths_serve; then
        info "cycle $i: paths $(ana_states)"
        pass "paths-back-$i"
    else
        fail "paths-back-$i" "paths: $(ana_states)"
    fi
    i=$((i + 1))
done

# Rougher trouble: each must leave I/O going (a pass completes after it) and both paths serving.
i=1
while [ "$i" -le "$ROUGH" ]; do
    for trouble in cut-link partner-killed-in-resync active-killed-in-resync blackout; do
        before=$(passes_done)
        case $trouble in
        cut-link) ask=cut-link ;;
        partner-killed-in-resync) ask=kill-partner-in-resync ;;
        active-killed-in-resync) ask=kill-active-in-resync ;;
        blackout) ask=blackout ;;
        esac
        if ask_host "$ask" && wait_passes_after "$before" && wait_for 240 paths_live 2 && wait_for 240 both_paths_serve; then
            pass "$trouble-$i"
        else
            fail "$trouble-$i" "paths: $(ana_states)"
        fi
    done
    i=$((i + 1))
done

# The failover drill: a planned hand-over to the other node and back while the writer runs.
before=$(passes_done)
if ask_host drill && wait_passes_after "$before" && wait_for 120 both_paths_serve; then
    pass drill
else
    fail drill "paths: $(ana_states)"
fi

before=$(passes_done)
if ask_host maintenance && wait_passes_after "$before" && wait_for 120 both_paths_serve; then
    pass maintenance
else
    fail maintenance "paths: $(ana_states)"
fi

before=$(passes_done)
if ask_host database-away && wait_passes_after "$before" && ask_host database-back; then
    pass database-away
else
    fail database-away "I/O did not go on while the database was away"
fi

touch /tmp/stop
[ -n "${WRITER:-}" ] && wait "$WRITER"
bad=0
while read -r n status started ended; do
    ms=$(pass_max_ms "$n")
    if [ "$status" != 0 ] || ! grep -q 'err= 0' "/tmp/pass-$n" || grep -qi 'verify: bad\|bad magic\|verify failed' "/tmp/pass-$n"; then
        bad=$((bad + 1))
        echo "GUEST OUTPUT writer pass $n failed:"; tail -20 "/tmp/pass-$n"
    fi
    info "pass $n (${started}-${ended} s): exit $status, longest write ${ms:-?} ms"
done </tmp/passes
info "writer: $(passes_done) passes of 16 MiB written and verified, $bad failed"
if [ "$bad" = 0 ] && [ "$(passes_done)" -gt 0 ]; then pass writer-clean; else fail writer-clean "$bad pass(es) failed"; fi
nvme disconnect -n "$SUBNQN" >/dev/null 2>&1
