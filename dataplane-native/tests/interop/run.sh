#!/usr/bin/env bash
# Interop test: the real Linux kernel NVMe/TCP initiator (Debian's kernel in QEMU/TCG) against
# wr-target on the host, with a tshark capture of the whole session.
#
#   dataplane-native/tests/interop/run.sh
#
# Environment:
#   WR_BUILD_DIR       CMake build directory of dataplane-native (default dataplane-native/build)
#   INTEROP_CACHE_DIR  where the guest kernel and initramfs are cached (default ~/.cache/windrose/interop-guest)
#   INTEROP_TIMEOUT    hard limit for the whole test in seconds (default 900)
#   INTEROP_KEEP=1     keep the work directory (console log, target log, pcap) even on success
#   WR_TARGET_BIN      use this wr-target binary instead of building one
#   INTEROP_TARGET_MODE  adaptive (default) or busy: wr-target's reactor mode (busy burns a core the
#                      QEMU guest would like, so the run is slower; it exercises the busy-mode loop)
#   INTEROP_IO_PORT, INTEROP_DISCOVERY_PORT   host ports (default 4420 and 8009, or free ones if taken);
#                      INTEROP_IO_PORT2 the second listener of the multipath steps (default 4421 or free)
#   INTEROP_TARGET     wr-target (default) or linux-nvmet: the Linux kernel target in a second guest,
#                      a reference that checks the harness itself and gives a known-good capture
#
# The guest prints "INTEROP PASS|FAIL <step>" lines; the harness adds its own steps (target start and
# restart, tshark checks), prints what `nvme list` and fio printed, and ends with "N passed, N failed".
# Exit status 0 only if every step passed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NATIVE_DIR=$(cd "$HERE/../.." && pwd)
WR_BUILD_DIR=${WR_BUILD_DIR:-$NATIVE_DIR/build}
INTEROP_CACHE_DIR=${INTEROP_CACHE_DIR:-$HOME/.cache/windrose/interop-guest}
INTEROP_TIMEOUT=${INTEROP_TIMEOUT:-900}
INTEROP_TARGET=${INTEROP_TARGET:-wr-target}

# The conventional ports, unless taken (other tests or benchmarks may run a target on this host):
# then free ports are chosen, or set INTEROP_IO_PORT / INTEROP_DISCOVERY_PORT.
IO_PORT=${INTEROP_IO_PORT:-}
IO_PORT2=${INTEROP_IO_PORT2:-}
DISCOVERY_PORT=${INTEROP_DISCOVERY_PORT:-}
# wr-target hands out controller IDs from this range only; the multipath steps check it.
CNTLID_MIN=100
CNTLID_MAX=199
SUBNQN=nqn.2026-11.dev.windrose:interop
FORBIDDEN_NQN=nqn.2026-11.dev.windrose:forbidden
# DH-HMAC-CHAP: this subsystem lets the host in only with its secret. Bookworm's kernel (6.1) is built
# without CONFIG_NVME_AUTH, so these steps run in a second guest with Debian trixie's kernel.
AUTH_SUBNQN=nqn.2026-11.dev.windrose:interop-auth
AUTH_GUEST_RELEASE=trixie
# TLS 1.3 PSK: this subsystem listens on a port that requires TLS; the same trixie guest (6.12 has
# NVMe/TCP TLS, 6.1 not) runs those steps after DH-HMAC-CHAP's.
TLS_SUBNQN=nqn.2026-11.dev.windrose:interop-tls
TLS_PORT=${INTEROP_TLS_PORT:-}
TLS_PSK=
WRONG_TLS_PSK=

STARTED_AT=$(date +%s)
DEADLINE=$((STARTED_AT + INTEROP_TIMEOUT))
PIDS_TO_STOP=()
HARNESS_PASSED=()
HARNESS_FAILED=()

log() { echo "interop: $*" >&2; }
# Fatal set-up errors still end with the summary line the callers parse.
die() {
    echo "interop: ERROR: $*" >&2
    finish 2 "${#HARNESS_PASSED[@]}" "$((${#HARNESS_FAILED[@]} + 1))"
}

# Stops everything, then prints the summary as the very last line (callers parse it) and exits.
finish() {
    local status=$1 passed=$2 failed=$3
    trap - EXIT ALRM
    [[ -n ${WORK:-} ]] && cleanup
    echo "$passed passed, $failed failed"
    exit "$status"
}
seconds_left() { echo $((DEADLINE - $(date +%s))); }
elapsed() { echo $(($(date +%s) - STARTED_AT)); }

harness_pass() { HARNESS_PASSED+=("$1"); echo "INTEROP PASS $1 (harness)"; }
harness_fail() { HARNESS_FAILED+=("$1"); echo "INTEROP FAIL $1 (harness): $2"; }

# --- prerequisites --------------------------------------------------------------------------------
check_prerequisites() {
    local missing=() cmd
    declare -A command_package=(
        [qemu-system-x86_64]=qemu-system-x86 [tshark]=tshark [cmake]=cmake [cc]=gcc [make]=make
        [timeout]=coreutils [ss]=iproute2 [cpio]=cpio [gzip]=gzip
    )
    for cmd in "${!command_package[@]}"; do
        command -v "$cmd" >/dev/null 2>&1 || missing+=("${command_package[$cmd]}")
    done
    # What build-guest.sh copies into the guest, named here too so one message lists everything.
    local pkg
    for pkg in busybox-static nvme-cli fio kmod; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
        # noninteractive: tshark's package otherwise asks whether non-root users may capture.
        die "missing packages: ${missing[*]}
  install them with: DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
    fi
}

port_in_use() { ss -Hltn "sport = :$1" | grep -q .; }

# Echoes $1 if it is free, else the first free port from $2 upwards (bounded search).
free_port() {
    local port=$1 candidate
    if ! port_in_use "$port"; then echo "$port"; return; fi
    for ((candidate = $2; candidate < $2 + 200; candidate++)); do
        port_in_use "$candidate" || { echo "$candidate"; return; }
    done
    return 1
}

choose_ports() {
    if [[ -n $IO_PORT ]]; then
        ! port_in_use "$IO_PORT" || die "INTEROP_IO_PORT=$IO_PORT is already in use on this host"
    else
        IO_PORT=$(free_port 4420 34420) || die "no free TCP port from 34420 on"
    fi
    if [[ -n $DISCOVERY_PORT ]]; then
        ! port_in_use "$DISCOVERY_PORT" || die "INTEROP_DISCOVERY_PORT=$DISCOVERY_PORT is already in use on this host"
    else
        DISCOVERY_PORT=$(free_port 8009 38009) || die "no free TCP port from 38009 on"
    fi
    if [[ -n $IO_PORT2 ]]; then
        ! port_in_use "$IO_PORT2" || die "INTEROP_IO_PORT2=$IO_PORT2 is already in use on this host"
    else
        IO_PORT2=$(free_port 4421 34421) || die "no free TCP port from 34421 on"
        [[ $IO_PORT2 != "$IO_PORT" ]] || IO_PORT2=$(free_port $((IO_PORT + 1)) $((IO_PORT + 1))) ||
            die "no free second I/O port"
    fi
    if [[ -n $TLS_PORT ]]; then
        ! port_in_use "$TLS_PORT" || die "INTEROP_TLS_PORT=$TLS_PORT is already in use on this host"
    else
        TLS_PORT=$(free_port 4430 34430) || die "no free TCP port from 34430 on"
    fi
    [[ $IO_PORT == 4420 && $DISCOVERY_PORT == 8009 ]] ||
        log "ports 4420/8009 are taken on this host: using I/O port $IO_PORT, discovery port $DISCOVERY_PORT"
}

# --- clean-up: stop exactly what this script started ---------------------------------------------
# Signals pid $1 with $2, escalates to SIGKILL after 5 s; leaves its exit status in STOPPED_STATUS.
stop_pid() {
    local pid=$1 signal=${2:-TERM} tries=50
    STOPPED_STATUS=
    if kill "-$signal" "$pid" 2>/dev/null; then
        while ((tries-- > 0)) && kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    STOPPED_STATUS=$?
    return 0
}

cleanup() {
    local pid
    for pid in "${PIDS_TO_STOP[@]}"; do stop_pid "$pid"; done
    if [[ ${INTEROP_KEEP:-0} == 1 || ${KEEP_WORK_DIR:-0} == 1 ]]; then
        # Keep the evidence, not the 40 MB initrd copies or the namespace image.
        rm -rf "$WORK"/*initrd.gz "$WORK/extra" "$WORK/extra.cpio.gz" "$WORK/ns2.img"
        log "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}

on_timeout() {
    echo "INTEROP FAIL timeout (harness): the test ran longer than ${INTEROP_TIMEOUT}s"
    KEEP_WORK_DIR=1
    finish 3 "${#HARNESS_PASSED[@]}" "$((${#HARNESS_FAILED[@]} + 1))"
}

# Backstop for anything that hangs outside the guest (whose QEMU has its own, shorter limit). It
# polls instead of sleeping the whole time so that stopping it leaves no long-lived sleep behind.
watchdog() {
    while (($(date +%s) < DEADLINE)); do sleep 1; done
    kill -ALRM $$
}

# --- the target -----------------------------------------------------------------------------------
build_wr_target() {
    if [[ -n ${WR_TARGET_BIN:-} ]]; then
        [[ -x $WR_TARGET_BIN ]] || die "WR_TARGET_BIN=$WR_TARGET_BIN is not an executable"
        WR_TARGET=$WR_TARGET_BIN
        return
    fi
    log "building wr-target in $WR_BUILD_DIR"
    if [[ ! -f $WR_BUILD_DIR/CMakeCache.txt ]]; then
        cmake -S "$NATIVE_DIR" -B "$WR_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$WORK/cmake.log" 2>&1 ||
            { cat "$WORK/cmake.log" >&2; die "cmake configure failed"; }
    fi
    cmake --build "$WR_BUILD_DIR" --target wr-target -j "$(nproc)" >"$WORK/build.log" 2>&1 ||
        { tail -30 "$WORK/build.log" >&2; die "building wr-target failed (log above)"; }
    WR_TARGET=$(find "$WR_BUILD_DIR" -type f -name wr-target -perm -u+x | head -1)
    [[ -n $WR_TARGET ]] || die "the build produced no wr-target under $WR_BUILD_DIR"
}

write_target_config() {
    cat >"$WORK/target.conf" <<EOF
reactors 1
mode ${INTEROP_TARGET_MODE:-adaptive}
cntlid-range $CNTLID_MIN $CNTLID_MAX
discovery-listener 127.0.0.1 $DISCOVERY_PORT
subsystem $SUBNQN
  serial WR0001
  model Windrose
  allow-host $HOSTNQN
  namespace 1 ram 256M
  namespace 2 file $WORK/ns2.img 256M
  listener 127.0.0.1 $IO_PORT
  listener 127.0.0.1 $IO_PORT2
  ana-state 127.0.0.1 $IO_PORT2 1 optimized
subsystem $FORBIDDEN_NQN
  allow-host $OTHER_HOSTNQN
  namespace 1 ram 16M
  listener 127.0.0.1 $IO_PORT
subsystem $AUTH_SUBNQN
  allow-host $HOSTNQN
  dhchap-secret $HOSTNQN $AUTH_SECRET ctrl=$AUTH_CTRL_SECRET
  # ffdhe2048 rather than the strongest group: modular exponentiation is slow in a TCG guest
  dhchap-policy hashes=sha256,sha384,sha512 dhgroups=null,ffdhe2048
  namespace 1 ram 64M
  listener 127.0.0.1 $IO_PORT
subsystem $TLS_SUBNQN
  allow-host $HOSTNQN
  tls-psk $HOSTNQN $TLS_PSK
  namespace 1 ram 64M
  listener 127.0.0.1 $TLS_PORT tls=required
EOF
    chmod 600 "$WORK/target.conf"    # it holds secrets
}

# Waits (bounded) until file $1 contains a line matching $2 while pid $3 lives.
wait_for_line() {
    local file=$1 pattern=$2 pid=$3 limit=$4
    local until=$(($(date +%s) + limit))
    while (($(date +%s) < until)); do
        grep -q -- "$pattern" "$file" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

start_wr_target() {
    local logfile=$WORK/target.$1.log
    TARGET_LOG=$logfile
    "$WR_TARGET" -c "$WORK/target.conf" >"$logfile" 2>&1 &
    TARGET_PID=$!
    PIDS_TO_STOP+=("$TARGET_PID")
    if wait_for_line "$logfile" "wr-target: ready" "$TARGET_PID" 30; then
        harness_pass "target-$1"
    else
        harness_fail "target-$1" "wr-target did not print 'wr-target: ready' within 30 s"
        sed 's/^/    target| /' "$logfile" | tail -20
        return 1
    fi
}

# The multipath steps' failover: the second listener's ANA group 1 becomes $1 (a line of the file, then
# SIGHUP: wr-target re-applies the file's ana-state lines and says so).
set_ana_state() {
    local state=$1 applied
    applied=$(grep -c "wr-target: ana states applied" "$TARGET_LOG")
    sed -i "s/^  ana-state 127.0.0.1 $IO_PORT2 1 .*/  ana-state 127.0.0.1 $IO_PORT2 1 $state/" "$WORK/target.conf"
    kill -HUP "$TARGET_PID"
    local tries=50
    while ((tries-- > 0)); do
        (($(grep -c "wr-target: ana states applied" "$TARGET_LOG") > applied)) && {
            harness_pass "target-ana-$state"
            return 0
        }
        sleep 0.2
    done
    harness_fail "target-ana-$state" "wr-target did not apply the ANA state: $(grep SIGHUP "$TARGET_LOG" | tail -1)"
    return 1
}

restart_wr_target() {
    stop_pid "$TARGET_PID" TERM
    local status=$STOPPED_STATUS
    # 143 = terminated by SIGTERM without a handler; 0 = clean shutdown. Anything else is a crash.
    if ((status == 0 || status == 143)); then
        harness_pass target-stops-on-sigterm
    else
        harness_fail target-stops-on-sigterm "wr-target exited with status $status on SIGTERM"
    fi
    start_wr_target restart
}

# The Linux kernel target (nvmet) in a second guest, reached through QEMU host forwarding on the same
# host ports, so the initiator guest and the capture see it exactly where wr-target would be.
start_linux_nvmet() {
    local logfile=$WORK/target.$1.log
    make_guest_initrd "$WORK/nvmet-initrd.gz" "$HERE/reference-target.sh"
    mkfifo "$WORK/nvmet.in"
    exec {NVMET_IN}<>"$WORK/nvmet.in"
    qemu-system-x86_64 -nographic -m 768 -smp 1 -accel tcg -no-reboot \
        -nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$IO_PORT-:$IO_PORT,hostfwd=tcp:127.0.0.1:$DISCOVERY_PORT-:$DISCOVERY_PORT" \
        -kernel "$KERNEL" -initrd "$WORK/nvmet-initrd.gz" -append "console=ttyS0 loglevel=5 panic=-1 no_timer_check" \
        <&"$NVMET_IN" >"$logfile" 2>&1 &
    TARGET_PID=$!
    PIDS_TO_STOP+=("$TARGET_PID")
    if wait_for_line "$logfile" "NVMET READY" "$TARGET_PID" 120; then
        harness_pass "target-$1"
    else
        harness_fail "target-$1" "the nvmet guest did not get ready"
        tail -20 "$logfile" | sed 's/^/    target| /'
        return 1
    fi
}

restart_linux_nvmet() {
    echo "restart" >&"$NVMET_IN"
    if wait_for_line "$WORK/target.start.log" "NVMET RESTARTED" "$TARGET_PID" 60; then
        harness_pass target-restart
    else
        harness_fail target-restart "the nvmet guest did not re-enable its ports"
        return 1
    fi
}

# --- the guest ------------------------------------------------------------------------------------
# Appends a second cpio archive (the kernel unpacks concatenated archives in order) that carries the
# script to run as /interop/test.sh and its environment.
make_guest_initrd() {
    local out=$1 script=$2 extra=$WORK/extra
    rm -rf "$extra"
    mkdir -p "$extra/interop"
    install -m 0755 "$script" "$extra/interop/test.sh"
    install -m 0644 "$HERE/guest-tls.sh" "$extra/interop/tls.sh"
    # the TLS steps' names, for the plan the guest prints first
    sed -n '/^TLS_STEPS=/,/"$/p' "$HERE/guest-tls.sh" >"$extra/interop/tls-steps"
    cat >"$extra/interop/env" <<EOF
TARGET_ADDR=10.0.2.2
IO_PORT=$IO_PORT
DISCOVERY_PORT=$DISCOVERY_PORT
SUBNQN=$SUBNQN
FORBIDDEN_NQN=$FORBIDDEN_NQN
HOSTNQN=$HOSTNQN
HOSTID=$HOSTID
OTHER_HOSTNQN=$OTHER_HOSTNQN
OTHER_HOSTID=$OTHER_HOSTID
IO_PORT2=$([[ $INTEROP_TARGET == wr-target ]] && echo "$IO_PORT2")
AUTH_SUBNQN=$AUTH_SUBNQN
AUTH_SECRET=$AUTH_SECRET
AUTH_CTRL_SECRET=$AUTH_CTRL_SECRET
WRONG_SECRET=$WRONG_SECRET
CNTLID_MIN=$CNTLID_MIN
CNTLID_MAX=$CNTLID_MAX
TLS_SUBNQN=$TLS_SUBNQN
TLS_PORT=$TLS_PORT
TLS_PSK=$TLS_PSK
WRONG_TLS_PSK=$WRONG_TLS_PSK
EOF
    (cd "$extra" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$WORK/extra.cpio.gz"
    cat "$INITRAMFS" "$WORK/extra.cpio.gz" >"$out"
}

new_uuid() { cat /proc/sys/kernel/random/uuid; }

start_capture() {
    # A large kernel buffer (-B, MiB): a packet dropped by the capture is a gap no retransmission
    # fills, and PDUs the dissector never sees cannot be judged.
    tshark -i lo -B 256 -f "tcp port $IO_PORT or tcp port $IO_PORT2 or tcp port $DISCOVERY_PORT" -w "$WORK/session.pcap" -q \
        >"$WORK/tshark.log" 2>&1 &
    TSHARK_PID=$!
    PIDS_TO_STOP+=("$TSHARK_PID")
    # Capturing on lo needs root or the wireshark group; QEMU's guest-side capture needs neither, so
    # without this one the test goes on and says so.
    if ! wait_for_line "$WORK/tshark.log" "Capturing on" "$TSHARK_PID" 30; then
        log "tshark cannot capture on lo (not root?): $(tail -2 "$WORK/tshark.log" | tr '\n' ' ')"
        log "going on with QEMU's guest-side capture only"
        stop_pid "$TSHARK_PID" INT
        HOST_CAPTURE=0
    fi
}

stop_capture() {
    stop_pid "$TSHARK_PID" INT
}

# Boots the initiator guest and serves its one request: "INTEROP WAIT target-restart".
run_guest() {
    make_guest_initrd "$WORK/initrd.gz" "$HERE/guest-test.sh"
    mkfifo "$WORK/guest.in"
    # Held open read-write so QEMU's stdin never sees end-of-file and writing never blocks.
    exec {GUEST_IN}<>"$WORK/guest.in"
    local limit
    # Leave the harness time to stop the target and judge the capture after a guest timeout.
    limit=$(($(seconds_left) - 60))
    log "booting the initiator guest (TCG), at most ${limit}s"
    # The guest's NIC is -nic user,model=virtio-net-pci spelled out, so that QEMU can also dump every
    # frame it carries (filter-dump): a second capture of the session, at the initiator's side.
    # no_timer_check: on a loaded host TCG runs the guest so slowly that the kernel's IO-APIC timer
    # check fails and it panics at boot ("IO-APIC + timer doesn't work"); the timer is fine.
    timeout --kill-after=5 "$limit" qemu-system-x86_64 -nographic -m 1024 -smp 2 -accel tcg -no-reboot \
        -netdev user,id=net0 -device virtio-net-pci,netdev=net0 \
        -object "filter-dump,id=dump0,netdev=net0,file=$WORK/guest-side.pcap" \
        -kernel "$KERNEL" -initrd "$WORK/initrd.gz" \
        -append "console=ttyS0 loglevel=5 panic=-1 no_timer_check" <&"$GUEST_IN" >"$WORK/console.log" 2>&1 &
    GUEST_PID=$!
    PIDS_TO_STOP+=("$GUEST_PID")
    local restarted=0 shown=0
    local -A ana_done=()
    while kill -0 "$GUEST_PID" 2>/dev/null; do
        shown=$(show_new_console_lines "$shown")
        if ((restarted == 0)) && grep -q "INTEROP WAIT target-restart" "$WORK/console.log"; then
            restarted=1
            log "guest asks for a target restart"
            if [[ $INTEROP_TARGET == linux-nvmet ]]; then restart_linux_nvmet; else restart_wr_target; fi
            echo "target-restarted" >&"$GUEST_IN"
        fi
        local state
        for state in inaccessible optimized; do
            if [[ ${ana_done[$state]:-0} == 0 ]] && grep -q "INTEROP WAIT ana-$state" "$WORK/console.log"; then
                ana_done[$state]=1
                log "guest asks for ANA $state on port $IO_PORT2"
                set_ana_state "$state"
                echo "ana-set-$state" >&"$GUEST_IN"
            fi
        done
        sleep 0.5
    done
    wait "$GUEST_PID"
    GUEST_STATUS=$?
    show_new_console_lines "$shown" >/dev/null
    ((restarted)) || harness_fail target-restart "the guest never asked for the restart"
}

# Boots the second guest (trixie's kernel) with guest-auth.sh: DH-HMAC-CHAP steps, no interplay.
run_auth_guest() {
    local limit
    INITRAMFS=$AUTH_INITRAMFS make_guest_initrd "$WORK/auth-initrd.gz" "$HERE/guest-auth.sh"
    CONSOLE=$WORK/auth-console.log
    : >"$CONSOLE"
    limit=$(($(seconds_left) - 30))
    log "booting the DH-HMAC-CHAP guest ($AUTH_GUEST_RELEASE's kernel, TCG), at most ${limit}s"
    timeout --kill-after=5 "$limit" qemu-system-x86_64 -nographic -m 1024 -smp 2 -accel tcg -no-reboot \
        -netdev user,id=net0 -device virtio-net-pci,netdev=net0 \
        -kernel "$AUTH_KERNEL" -initrd "$WORK/auth-initrd.gz" \
        -append "console=ttyS0 loglevel=5 panic=-1 no_timer_check" </dev/null >"$CONSOLE" 2>&1 &
    AUTH_GUEST_PID=$!
    PIDS_TO_STOP+=("$AUTH_GUEST_PID")
    local shown=0
    while kill -0 "$AUTH_GUEST_PID" 2>/dev/null; do
        shown=$(show_new_console_lines "$shown")
        sleep 0.5
    done
    wait "$AUTH_GUEST_PID"
    GUEST_STATUS=$?
    show_new_console_lines "$shown" >/dev/null
}

# The target names why it refused the wrong PSK and the plain connection on the TLS port.
judge_tls_log() {
    if grep -q "TLS from .* handshake failed: binder does not verify" "$TARGET_LOG" &&
            grep -q "the listener requires TLS and the host sent plain NVMe/TCP" "$TARGET_LOG" &&
            grep -q "TLS from .* channel open: TLS_AES_128_GCM_SHA256, host $HOSTNQN" "$TARGET_LOG"; then
        harness_pass tls-logged
    else
        harness_fail tls-logged "the target log lacks the channel, the wrong-PSK or the plain-connection line:"
        grep "TLS" "$TARGET_LOG" | tail -8 | sed 's/^/    /'
    fi
}

# The target names the refused host and the reason in its log (rate-limited, escaped).
judge_auth_log() {
    if grep -q "host $HOSTNQN failed DH-HMAC-CHAP authentication to $AUTH_SUBNQN: wrong response" "$TARGET_LOG" &&
            grep -q "host $HOSTNQN failed DH-HMAC-CHAP authentication to $AUTH_SUBNQN: the host refused" "$TARGET_LOG"; then
        harness_pass auth-failures-logged
    else
        harness_fail auth-failures-logged "the target log lacks the wrong-secret or the refused-controller line:"
        grep "DH-HMAC-CHAP" "$TARGET_LOG" | tail -5 | sed 's/^/    /'
    fi
}

# Echoes the guest's INTEROP lines as they arrive (progress under a slow TCG guest).
show_new_console_lines() {
    local shown=$1 total
    total=$(wc -l <"$CONSOLE")
    if ((total > shown)); then
        sed -n "$((shown + 1)),${total}p" "$CONSOLE" | tr -d '\r' |
            grep -E '^INTEROP (PASS|FAIL|WAIT|INFO)' | sed 's/^/  guest| /' >&2
    fi
    echo "$total"
}

# --- verdicts -------------------------------------------------------------------------------------
# The console without carriage returns, as a file: grep -q on a pipe would, with pipefail, turn an
# early match into a failure (SIGPIPE in the writer).
console_text() {
    tr -d '\r' <"$CONSOLE" >"${CONSOLE%.log}.txt"
    cat "${CONSOLE%.log}.txt"
}

print_block() {
    local name=$1 filter=${2:-.}
    console_text | awk -v n="$name" '
        index($0, "INTEROP OUTPUT " n ":") == 1 {on = 1}
        on {print}
        on && index($0, "INTEROP END " n " ") == 1 {on = 0}' | grep -E -- "$filter" | sed 's/^/    /'
}

report_outputs() {
    echo "--- nvme list (as the kernel initiator printed it) ---"
    print_block nvme-list
    local step
    for step in fio-4k-randwrite-verify fio-128k-seqwrite-verify fio-digests-verify persist-write restart-verify; do
        echo "--- fio $step ---"
        print_block "$step" 'INTEROP OUTPUT|(read|write): IOPS|err=|verify|bad|READ:|WRITE:'
    done
}

judge_guest_steps() {
    local plan step guest=${1:-guest} txt=${CONSOLE%.log}.txt
    plan=$(console_text | sed -n 's/^INTEROP PLAN //p' | head -1)
    GUEST_PASSED=0
    GUEST_FAILED=0
    if [[ -z $plan ]]; then
        harness_fail "$guest-boot" "the guest never printed its plan (did it boot? see console tail)"
        console_text | tail -30 | sed 's/^/    console| /'
        return
    fi
    harness_pass "$guest-boot"
    for step in $plan; do
        if grep -q "^INTEROP FAIL $step:" "$txt"; then
            GUEST_FAILED=$((GUEST_FAILED + 1))
            print_block "$step"
        elif grep -q "^INTEROP PASS $step\$" "$txt"; then
            GUEST_PASSED=$((GUEST_PASSED + 1))
        else
            GUEST_FAILED=$((GUEST_FAILED + 1))
            echo "INTEROP FAIL $step: never ran (guest stopped or timed out before it)"
        fi
    done
    if grep -q "^INTEROP GUEST-EXIT" "$txt"; then
        harness_pass "$guest-finished"
    else
        harness_fail "$guest-finished" "the guest did not finish (QEMU status $GUEST_STATUS)"
        console_text | tail -30 | sed 's/^/    console| /'
    fi
}

# Runs tshark over capture $1 with Wireshark's NVMe/TCP dissector on both ports; the output goes to
# file $2. Out-of-order reassembly on: TCP does lose and retransmit segments here (QEMU's slirp and
# even loopback under load), and without it the dissector loses the PDU boundaries after a loss.
# A failing tshark (bad filter, unreadable capture) must not read as "nothing found".
tshark_decode() {
    local pcap=$1 out=$2
    shift 2
    tshark -r "$pcap" -o tcp.reassemble_out_of_order:TRUE \
        -d "tcp.port==$IO_PORT,nvme-tcp" -d "tcp.port==$IO_PORT2,nvme-tcp" -d "tcp.port==$DISCOVERY_PORT,nvme-tcp" \
        "$@" >"$out" 2>"$WORK/tshark-read.err"
}

# Byte ranges of a TCP direction that no captured segment covers (a retransmission fills the gap a
# lost segment left): none means the dissector saw the whole byte stream of every connection.
capture_holes() {
    tshark_decode "$1" "$2.segments" -Y 'tcp.len > 0' -T fields -e tcp.stream -e tcp.srcport -e tcp.seq -e tcp.nxtseq ||
        return 1
    sort -k1,1n -k2,2n -k3,3n "$2.segments" | awk -F'\t' '
        { key = $1 " " $2
          if (key != cur) { cur = key; end = 1 }
          if ($3 > end) printf "stream %s from port %s: bytes %d..%d never captured\n", $1, $2, end, $3 - 1
          if ($4 > end) end = $4 }' >"$2"
    rm -f "$2.segments"
}

# Judges one capture ($1 file, $2 name used in the step names).
judge_one_capture() {
    local pcap=$1 side=$2 pdus bad holes
    if ! capture_holes "$pcap" "$WORK/$side-holes.txt"; then
        harness_fail "tshark-$side-decodes" "tshark could not read $pcap: $(head -3 "$WORK/tshark-read.err")"
        return
    fi
    holes=$(wc -l <"$WORK/$side-holes.txt")
    if ((holes == 0)); then
        harness_pass "tshark-$side-complete"
    else
        harness_fail "tshark-$side-complete" "$holes gaps in the captured TCP streams; PDU checks are partial:"
        head -5 "$WORK/$side-holes.txt" | sed 's/^/    /'
    fi
    tshark_decode "$pcap" "$WORK/$side-pdus.txt" -Y nvme-tcp -T fields -e frame.number -e nvme-tcp.type
    pdus=$(wc -l <"$WORK/$side-pdus.txt")
    if ((pdus > 0)); then
        harness_pass "tshark-$side-decodes"
    else
        harness_fail "tshark-$side-decodes" "no NVMe/TCP PDU in the capture"
    fi
    if ! tshark_decode "$pcap" "$WORK/$side-bad.txt" \
            -Y 'nvme-tcp && (_ws.malformed || _ws.expert.severity == error)' \
            -T fields -e frame.number -e tcp.srcport -e tcp.dstport -e nvme-tcp.type -e _ws.expert.message; then
        harness_fail "tshark-$side-no-malformed-pdu" "tshark failed: $(head -3 "$WORK/tshark-read.err")"
    elif bad=$(wc -l <"$WORK/$side-bad.txt") && ((bad == 0)); then
        harness_pass "tshark-$side-no-malformed-pdu"
    else
        harness_fail "tshark-$side-no-malformed-pdu" "$bad frames malformed or with expert errors; source port $IO_PORT/$DISCOVERY_PORT means the target sent it (frame, sport, dport, PDU types, message):"
        head -20 "$WORK/$side-bad.txt" | sed 's/^/    /'
    fi
    echo "--- $side capture: $pdus frames with NVMe/TCP PDUs; PDUs by type (type×count): $(cut -f2 "$WORK/$side-pdus.txt" |
        tr ',' '\n' | sort -n | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
}

# Two captures of the same session: tshark on the host's loopback (where wr-target's sockets are)
# and QEMU's dump of the guest NIC (what the initiator put on the wire, independent of libpcap).
judge_capture() {
    if [[ ${HOST_CAPTURE:-1} == 1 ]]; then
        judge_one_capture "$WORK/session.pcap" loopback
    else
        echo "--- loopback capture: not taken (see above)"
    fi
    judge_one_capture "$WORK/guest-side.pcap" guest-side
    # The --hdr-digest --data-digest connection must really have negotiated both digests (ICResp).
    local digests
    if tshark_decode "$WORK/guest-side.pcap" "$WORK/tshark-digests.txt" -Y 'nvme-tcp.icresp.digest == 3' &&
            digests=$(wc -l <"$WORK/tshark-digests.txt") && ((digests > 0)); then
        harness_pass tshark-digests-negotiated
    else
        harness_fail tshark-digests-negotiated "no ICResp enabling both header and data digests"
    fi
}

main() {
    check_prerequisites
    choose_ports
    WORK=$(mktemp -d /tmp/wr-interop.XXXXXX)
    trap 'finish 2 0 1' EXIT
    trap on_timeout ALRM
    # Watchdog: the whole test is bounded, whatever hangs.
    watchdog &
    PIDS_TO_STOP+=($!)

    local guest_files
    guest_files=$("$HERE/build-guest.sh" "$INTEROP_CACHE_DIR") || die "building the guest failed"
    KERNEL=$(sed -n 1p <<<"$guest_files")
    INITRAMFS=$(sed -n 2p <<<"$guest_files")
    if [[ $INTEROP_TARGET == wr-target ]]; then
        guest_files=$("$HERE/build-guest.sh" "$INTEROP_CACHE_DIR-$AUTH_GUEST_RELEASE" "$AUTH_GUEST_RELEASE") ||
            die "building the $AUTH_GUEST_RELEASE guest (DH-HMAC-CHAP steps) failed"
        AUTH_KERNEL=$(sed -n 1p <<<"$guest_files")
        AUTH_INITRAMFS=$(sed -n 2p <<<"$guest_files")
    fi

    HOSTID=$(new_uuid)
    HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:$HOSTID
    OTHER_HOSTID=$(new_uuid)
    OTHER_HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:$OTHER_HOSTID
    # Fresh secrets each run, as nvme-cli makes them (the host's transformed with SHA-256, hh 01;
    # the controller's 48 bytes with SHA-384, hh 02).
    AUTH_SECRET=$(nvme gen-dhchap-key --hmac=1 --nqn="$HOSTNQN") || die "nvme gen-dhchap-key failed"
    AUTH_CTRL_SECRET=$(nvme gen-dhchap-key --hmac=2 --key-length=48 --nqn="$AUTH_SUBNQN") ||
        die "nvme gen-dhchap-key failed"
    WRONG_SECRET=$(nvme gen-dhchap-key --hmac=1 --nqn="$HOSTNQN") || die "nvme gen-dhchap-key failed"

    start_capture
    if [[ $INTEROP_TARGET == linux-nvmet ]]; then
        start_linux_nvmet start || KEEP_WORK_DIR=1
    else
        build_wr_target
        # The PSK in the interchange format, as the console makes it; trixie's nvme-cli checks it.
        TLS_PSK=$("$WR_TARGET" --gen-tls-psk 1) && WRONG_TLS_PSK=$("$WR_TARGET" --gen-tls-psk 1) ||
            die "wr-target --gen-tls-psk failed"
        write_target_config
        truncate -s 256M "$WORK/ns2.img"
        start_wr_target start || KEEP_WORK_DIR=1
    fi
    CONSOLE=$WORK/console.log
    run_guest
    stop_capture
    local auth_passed=0 auth_failed=0
    if [[ $INTEROP_TARGET == wr-target ]]; then
        run_auth_guest
        judge_guest_steps auth-guest
        judge_auth_log
        judge_tls_log
        auth_passed=$GUEST_PASSED auth_failed=$GUEST_FAILED
        CONSOLE=$WORK/console.log
    fi
    stop_pid "$TARGET_PID" TERM

    report_outputs
    judge_guest_steps
    judge_capture
    GUEST_PASSED=$((GUEST_PASSED + auth_passed)) GUEST_FAILED=$((GUEST_FAILED + auth_failed))
    local passed=$((GUEST_PASSED + ${#HARNESS_PASSED[@]})) failed=$((GUEST_FAILED + ${#HARNESS_FAILED[@]}))
    ((failed == 0)) || KEEP_WORK_DIR=1
    echo "interop: target $INTEROP_TARGET, $(elapsed)s; console, target log and capture in $WORK" >&2
    finish "$((failed == 0 ? 0 : 1))" "$passed" "$failed"
}

main "$@"
