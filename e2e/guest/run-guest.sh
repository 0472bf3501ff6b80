#!/usr/bin/env bash
# Boots the end-to-end guest — Debian's kernel with its NVMe/TCP initiator, nvme-cli and fio, in QEMU
# (TCG) — as a host with a given host NQN, and runs a steps file in it. The guest is the interop
# harness's (dataplane-native/tests/interop/build-guest.sh, cached in ~/.cache/windrose/interop-guest);
# it reaches the host's 127.0.0.1 as 10.0.2.2 (QEMU user networking).
#
#   e2e/guest/run-guest.sh --steps FILE [--hostnqn NQN] [--hostid UUID] [--env NAME=VALUE]...
#                          [--on-wait COMMAND] [--timeout SECONDS] [--keep]
#
#   --steps FILE      a busybox sh script run in the guest after guest-lib.sh (read its header for
#                     plan, step, ask_host, fio_write_verify, expect_refused, …)
#   --hostnqn NQN     the guest's host NQN (default: a new nqn.2014-08.org.nvmexpress:uuid:<hostid>)
#   --hostid UUID     the guest's host ID (default: the UUID in the host NQN, else a new one)
#   --env NAME=VALUE  handed to the steps file as $NAME (repeatable; values on one line)
#   --on-wait CMD     run on the host when the guest calls `ask_host NAME`, as: CMD NAME; its exit
#                     status is the answer (0 = done). Sourcing this file and setting GUEST_ON_WAIT to
#                     a function name does the same inside the caller's shell.
#   --timeout S       hard limit for the guest (default 600)
#   --keep            keep the work directory (console log) even when everything passed
#
# Prints "GUEST PASS|FAIL <step>" lines as they happen (the guest's, and "host-<NAME>" for each
# answered ask_host), the output of failed steps, and ends with "N passed, N failed". Exit status 0
# only when every planned step passed. GUEST_HOSTNQN holds the host NQN used (also printed first).
set -uo pipefail

GUEST_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GUEST_INTEROP_DIR=$(cd "$GUEST_HERE/../../dataplane-native/tests/interop" && pwd)

guest_log() { echo "run-guest: $*" >&2; }

guest_usage() { sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# Defaults; callers that source this file set these and call guest_run.
guest_defaults() {
    GUEST_STEPS=${GUEST_STEPS:-}
    GUEST_HOSTNQN=${GUEST_HOSTNQN:-}
    GUEST_HOSTID=${GUEST_HOSTID:-}
    GUEST_ON_WAIT=${GUEST_ON_WAIT:-}
    GUEST_TIMEOUT=${GUEST_TIMEOUT:-600}
    GUEST_KEEP=${GUEST_KEEP:-0}
    GUEST_CACHE_DIR=${GUEST_CACHE_DIR:-${INTEROP_CACHE_DIR:-$HOME/.cache/windrose/interop-guest}}
    if [[ -z ${GUEST_ENV+set} ]]; then GUEST_ENV=(); fi
}

guest_parse_args() {
    while (($#)); do
        case $1 in
        --steps) GUEST_STEPS=$2; shift ;;
        --hostnqn) GUEST_HOSTNQN=$2; shift ;;
        --hostid) GUEST_HOSTID=$2; shift ;;
        --env) GUEST_ENV+=("$2"); shift ;;
        --on-wait) GUEST_ON_WAIT=$2; shift ;;
        --timeout) GUEST_TIMEOUT=$2; shift ;;
        --keep) GUEST_KEEP=1 ;;
        -h | --help) guest_usage; exit 0 ;;
        *) guest_log "unknown option '$1' (see --help)"; exit 2 ;;
        esac
        shift
    done
}

guest_identity() {
    local uuid_re='[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'
    if [[ -z $GUEST_HOSTID ]]; then
        if [[ $GUEST_HOSTNQN =~ ^nqn\.2014-08\.org\.nvmexpress:uuid:($uuid_re)$ ]]; then
            GUEST_HOSTID=${BASH_REMATCH[1]}
        else
            GUEST_HOSTID=$(cat /proc/sys/kernel/random/uuid)
        fi
    fi
    [[ -n $GUEST_HOSTNQN ]] || GUEST_HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:$GUEST_HOSTID
}

# The guest's /interop/test.sh (library + steps) and /interop/env, as a second cpio archive after the
# cached initramfs (the kernel unpacks concatenated archives in order).
guest_make_initrd() {
    local extra=$GUEST_WORK/extra pair
    mkdir -p "$extra/interop"
    cat "$GUEST_HERE/guest-lib.sh" "$GUEST_STEPS" >"$extra/interop/test.sh"
    chmod 0755 "$extra/interop/test.sh"
    {
        echo "HOST_ADDR=10.0.2.2"
        echo "HOSTNQN=$GUEST_HOSTNQN"
        echo "HOSTID=$GUEST_HOSTID"
        for pair in "${GUEST_ENV[@]}"; do
            [[ $pair =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || { guest_log "--env '$pair' is not NAME=VALUE"; return 1; }
            # Single-quoted for the guest's sh: the value arrives exactly as given.
            printf "%s='%s'\n" "${pair%%=*}" "$(printf '%s' "${pair#*=}" | sed "s/'/'\\\\''/g")"
        done
    } >"$extra/interop/env"
    (cd "$extra" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$GUEST_WORK/extra.cpio.gz"
    cat "$GUEST_INITRAMFS" "$GUEST_WORK/extra.cpio.gz" >"$GUEST_WORK/initrd.gz"
    rm -rf "$extra" "$GUEST_WORK/extra.cpio.gz"
}

guest_console() { tr -d '\r' <"$GUEST_WORK/console.log"; }

# Shows the guest's GUEST lines as they arrive; echoes the number of lines seen so far.
guest_show_new() {
    local seen=$1 total
    total=$(wc -l <"$GUEST_WORK/console.log")
    if ((total > seen)); then
        sed -n "$((seen + 1)),${total}p" "$GUEST_WORK/console.log" | tr -d '\r' |
            grep -E '^GUEST (PASS|FAIL|WAIT|INFO)' | sed 's/^/  guest| /' >&2
    fi
    echo "$total"
}

guest_answer() {
    local name=$1 status
    guest_log "the guest asks the host to do: $name"
    if [[ -z $GUEST_ON_WAIT ]]; then
        status=127
        guest_log "no --on-wait command was given"
    elif declare -F "$GUEST_ON_WAIT" >/dev/null; then
        "$GUEST_ON_WAIT" "$name"
        status=$?
    else
        bash -c "$GUEST_ON_WAIT \"\$1\"" run-guest "$name"
        status=$?
    fi
    if ((status == 0)); then
        GUEST_HOST_PASSED+=("host-$name")
        echo "GUEST PASS host-$name"
        echo "$name ok" >&"$GUEST_IN"
    else
        GUEST_HOST_FAILED+=("host-$name")
        echo "GUEST FAIL host-$name: the host side failed (exit $status)"
        echo "$name failed" >&"$GUEST_IN"
    fi
}

# Boots the guest and serves its ask_host requests until it powers off (or the limit).
guest_boot() {
    mkfifo "$GUEST_WORK/console.in"
    # Held open read-write so QEMU's stdin never sees end-of-file and writing never blocks.
    exec {GUEST_IN}<>"$GUEST_WORK/console.in"
    guest_log "booting the guest (TCG) as $GUEST_HOSTNQN, at most ${GUEST_TIMEOUT}s"
    timeout --kill-after=5 "$GUEST_TIMEOUT" qemu-system-x86_64 -nographic -m 1024 -smp 2 -accel tcg -no-reboot \
        -nic user,model=virtio-net-pci -kernel "$GUEST_KERNEL" -initrd "$GUEST_WORK/initrd.gz" \
        -append "console=ttyS0 loglevel=5 panic=-1" <&"$GUEST_IN" >"$GUEST_WORK/console.log" 2>&1 &
    GUEST_QEMU_PID=$!
    local seen=0 answered=0 waits name
    while kill -0 "$GUEST_QEMU_PID" 2>/dev/null; do
        seen=$(guest_show_new "$seen")
        waits=$(guest_console | grep -c '^GUEST WAIT ')
        while ((answered < waits)); do
            answered=$((answered + 1))
            name=$(guest_console | sed -n 's/^GUEST WAIT //p' | sed -n "${answered}p")
            guest_answer "$name"
        done
        sleep 0.5
    done
    wait "$GUEST_QEMU_PID"
    GUEST_QEMU_STATUS=$?
    GUEST_QEMU_PID=
    guest_show_new "$seen" >/dev/null
    exec {GUEST_IN}>&-
}

# Prints the framed output of step $1 (between "GUEST OUTPUT $1:" and "GUEST END $1 ").
guest_print_output() {
    guest_console | awk -v n="$1" '
        index($0, "GUEST OUTPUT " n ":") == 1 {on = 1}
        on {print "    " $0}
        on && index($0, "GUEST END " n " ") == 1 {on = 0}' | tail -40
}

guest_judge() {
    local plan step
    GUEST_PASSED=${#GUEST_HOST_PASSED[@]}
    GUEST_FAILED=${#GUEST_HOST_FAILED[@]}
    guest_console >"$GUEST_WORK/console.txt"
    plan=$(sed -n 's/^GUEST PLAN //p' "$GUEST_WORK/console.txt" | head -1)
    if [[ -z $plan ]]; then
        echo "GUEST FAIL guest-boot: the steps never printed their plan (QEMU exit $GUEST_QEMU_STATUS); console tail:"
        tail -30 "$GUEST_WORK/console.txt" | sed 's/^/    console| /'
        GUEST_FAILED=$((GUEST_FAILED + 1))
        return
    fi
    for step in $plan; do
        if grep -q "^GUEST FAIL $step:" "$GUEST_WORK/console.txt"; then
            GUEST_FAILED=$((GUEST_FAILED + 1))
            guest_print_output "$step"
        elif grep -q "^GUEST PASS $step\$" "$GUEST_WORK/console.txt"; then
            GUEST_PASSED=$((GUEST_PASSED + 1))
        else
            GUEST_FAILED=$((GUEST_FAILED + 1))
            echo "GUEST FAIL $step: never ran (the guest stopped or timed out before it)"
        fi
    done
    if ! grep -q '^INTEROP GUEST-EXIT' "$GUEST_WORK/console.txt"; then
        GUEST_FAILED=$((GUEST_FAILED + 1))
        echo "GUEST FAIL guest-finished: the steps did not finish (QEMU exit $GUEST_QEMU_STATUS); console tail:"
        tail -20 "$GUEST_WORK/console.txt" | sed 's/^/    console| /'
    fi
}

guest_cleanup() {
    if [[ -n ${GUEST_QEMU_PID:-} ]]; then
        kill "$GUEST_QEMU_PID" 2>/dev/null
        wait "$GUEST_QEMU_PID" 2>/dev/null
        GUEST_QEMU_PID=
    fi
    [[ -n ${GUEST_WORK:-} && -d $GUEST_WORK ]] || return 0
    rm -f "$GUEST_WORK/initrd.gz"
    if ((GUEST_KEEP)) || ((${GUEST_FAILED:-1} > 0)); then
        guest_log "console log kept in $GUEST_WORK"
    else
        rm -rf "$GUEST_WORK"
    fi
}

# Runs the whole thing; leaves GUEST_PASSED / GUEST_FAILED and returns 0 only if nothing failed.
guest_run() {
    guest_defaults
    [[ -n $GUEST_STEPS && -f $GUEST_STEPS ]] || { guest_log "--steps FILE is required (see --help)"; return 2; }
    local missing=() cmd
    for cmd in qemu-system-x86_64 cpio gzip timeout; do command -v "$cmd" >/dev/null || missing+=("$cmd"); done
    ((${#missing[@]} == 0)) || { guest_log "missing: ${missing[*]} (apt-get install -y qemu-system-x86 cpio gzip)"; return 2; }
    guest_identity
    echo "GUEST HOSTNQN $GUEST_HOSTNQN"
    local files
    files=$("$GUEST_INTEROP_DIR/build-guest.sh" "$GUEST_CACHE_DIR") || { guest_log "building the guest failed"; return 2; }
    GUEST_KERNEL=$(sed -n 1p <<<"$files")
    GUEST_INITRAMFS=$(sed -n 2p <<<"$files")
    GUEST_WORK=$(mktemp -d /tmp/wr-guest.XXXXXX)
    GUEST_HOST_PASSED=()
    GUEST_HOST_FAILED=()
    GUEST_FAILED=1
    guest_make_initrd || { guest_cleanup; return 2; }
    guest_boot
    guest_judge
    guest_cleanup
    ((GUEST_FAILED == 0))
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    GUEST_ENV=()
    guest_parse_args "$@"
    trap 'guest_cleanup; exit 130' INT TERM
    guest_run
    status=$?
    echo "${GUEST_PASSED:-0} passed, ${GUEST_FAILED:-1} failed"
    exit "$status"
fi
