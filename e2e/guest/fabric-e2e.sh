#!/usr/bin/env bash
# End to end, issue #6: a volume exported by the packaged console, used by the Linux kernel initiator
# across a restart of the console, and cut off when its host NQN is removed.
#
#   e2e/guest/fabric-e2e.sh          (test.sh step fabric-e2e; ~3-4 min under TCG)
#
# 1. target/windrose.jar starts on free ports with a fresh data directory; the administrator comes from
#    WINDROSE_INITIAL_ADMIN_PASSWORD, an API token from POST /api/v1/auth/tokens.
# 2. Through REST: a directory pool and a file-backed volume (namespace 1), a lab disk, a disk pool and
#    a volume on it (namespace 2, served from its extent of the disk), a subsystem with both, a TCP
#    listener on 127.0.0.1 and the guest's host NQN as the one allowed host.
# 3. The guest (run-guest.sh) runs the Linux connect command of the subsystem's Connect panel and
#    writes a crc32c-verified pattern with fio on both namespaces (fabric-steps.sh); the disk pool's
#    label in front of the extent must still be readable.
#    Both volumes then grow through REST (64 -> 96 MiB, 32 -> 48 MiB) while the guest is connected: the
#    kernel must see the new sizes (Namespace Attribute Changed, rescan) without reconnecting.
# 4. The console is stopped (SIGTERM, must exit cleanly) and started again on the same data directory;
#    the kernel reconnects by itself (REST shows its live controller again) and both patterns verify.
# 5. The host NQN is removed from the allowed list through REST: the live controller is disconnected,
#    the kernel's reconnects and a new connect are refused with Connect Invalid Host.
#
# Environment: WINDROSE_JAR (default target/windrose.jar), FABRIC_E2E_KEEP=1 keeps logs and data,
# FABRIC_E2E_APP_START_LIMIT (480 s) bounds each console start.
# Prints "E2E PASS|FAIL <step>" for the host's steps, "GUEST PASS|FAIL <step>" for the guest's, and
# ends with "N passed, N failed"; exit status 0 only when everything passed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=../../.ci/env.sh
source "$ROOT/.ci/env.sh"
# shellcheck source=run-guest.sh
source "$HERE/run-guest.sh"

JAR=${WINDROSE_JAR:-$ROOT/target/windrose.jar}
SUBNQN=nqn.2026-11.dev.windrose:fabric-e2e
ADMIN_PASSWORD="e2e $(cat /proc/sys/kernel/random/uuid)"
STARTED=$SECONDS
E2E_PASSED=0
E2E_FAILED=0
APP_PID=
APP_RUN=0
APP_START_LIMIT=${FABRIC_E2E_APP_START_LIMIT:-480}

log() { echo "fabric-e2e: $*" >&2; }
e2e_pass() { E2E_PASSED=$((E2E_PASSED + 1)); echo "E2E PASS $1"; }
e2e_fail() { E2E_FAILED=$((E2E_FAILED + 1)); echo "E2E FAIL $1: $2"; }

finish() {
    trap - EXIT INT TERM
    stop_app >/dev/null 2>&1
    local passed=$((E2E_PASSED + ${GUEST_PASSED:-0})) failed=$((E2E_FAILED + ${GUEST_FAILED:-0}))
    if ((failed > 0)) || [[ ${FABRIC_E2E_KEEP:-0} == 1 ]]; then
        log "console logs and data kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    log "took $((SECONDS - STARTED)) s"
    echo "$passed passed, $failed failed"
    exit $((failed > 0 ? 1 : 0))
}

# Set-up failures end the test; the summary line still comes last.
die() {
    e2e_fail "$1" "$2"
    [[ -n ${APP_LOG:-} && -f $APP_LOG ]] && tail -30 "$APP_LOG" | sed 's/^/    app| /'
    finish
}

port_in_use() { ss -Hltn "sport = :$1" | grep -q .; }
free_port() {
    local port tries=200
    while ((tries-- > 0)); do
        port=$((20000 + RANDOM % 30000))
        port_in_use "$port" || { echo "$port"; return 0; }
    done
    return 1
}

# --- the console ----------------------------------------------------------------------------------
start_app() {
    APP_RUN=$((APP_RUN + 1))
    APP_LOG=$WORK/app.$APP_RUN.log
    WINDROSE_DATA_DIR=$WORK/data WINDROSE_INITIAL_ADMIN_PASSWORD=$ADMIN_PASSWORD \
        WINDROSE_DATAPLANE_TARGET_LISTEN_PORT=$DISCOVERY_PORT WINDROSE_STORAGE_ALLOWED_ROOTS=$WORK \
        "$JAVA_HOME/bin/java" -Xmx768m -jar "$JAR" --server.port="$HTTP_PORT" --server.address=127.0.0.1 \
        >"$APP_LOG" 2>&1 &
    APP_PID=$!
    # ~20 s on a quiet machine; the bound is for a loaded one (eight builds on two cores took 170 s).
    local until=$((SECONDS + APP_START_LIMIT))
    while ((SECONDS < until)); do
        if curl -sf "$BASE/actuator/health/readiness" >/dev/null 2>&1; then return 0; fi
        kill -0 "$APP_PID" 2>/dev/null || return 1
        sleep 1
    done
    return 1
}

# SIGTERM, as a service manager stops it; leaves the exit status in APP_STATUS.
stop_app() {
    APP_STATUS=
    [[ -n $APP_PID ]] || return 0
    kill -TERM "$APP_PID" 2>/dev/null
    local tries=600
    while ((tries-- > 0)) && kill -0 "$APP_PID" 2>/dev/null; do sleep 0.1; done
    if kill -0 "$APP_PID" 2>/dev/null; then
        kill -KILL "$APP_PID" 2>/dev/null
        log "the console did not stop within 60 s of SIGTERM: killed"
    fi
    wait "$APP_PID" 2>/dev/null
    APP_STATUS=$?
    APP_PID=
}

# --- REST -----------------------------------------------------------------------------------------
# api METHOD PATH [JSON] prints the answer; non-2xx answers fail with the problem detail shown.
api() {
    local method=$1 path=$2 body=${3:-} out status
    out=$(curl -sS -X "$method" -H "Authorization: Bearer ${TOKEN:-}" -H 'Content-Type: application/json' \
        ${body:+-d "$body"} -w '\n%{http_code}' "$BASE$path") || { log "$method $path: curl failed"; return 1; }
    status=${out##*$'\n'}
    out=${out%$'\n'*}
    if [[ $status != 2* ]]; then
        log "$method $path answered $status: $out"
        return 1
    fi
    echo "$out"
}

# Every object of the subsystem APPLIED (the reconciler's verdict), within $1 seconds.
wait_applied() {
    local until=$((SECONDS + $1)) states
    while ((SECONDS < until)); do
        states=$(api GET "/api/v1/subsystems/$SUB_ID" |
            jq -r '[.state] + [.namespaces[].state, .listeners[].state, .allowedHosts[].state] | unique | join(",")')
        [[ $states == APPLIED ]] && return 0
        sleep 1
    done
    log "subsystem states: $(api GET "/api/v1/subsystems/$SUB_ID")"
    return 1
}

# The guest's live controller as REST shows it ($1 = present or absent), within $2 seconds.
wait_connection() {
    local want=$1 until=$((SECONDS + $2)) found=''
    while ((SECONDS < until)); do
        found=$(api GET "/api/v1/subsystems/$SUB_ID/connections" |
            jq -c --arg h "$GUEST_HOSTNQN" '[.[] | select(.hostNqn == $h)]')
        # The admin queue connects before the I/O queues, so a controller with no I/O queue
        # yet is a reconnect still in progress: keep polling rather than judge it.
        if [[ $want == present && -n $found ]] &&
            jq -e 'length > 0 and all(.[]; .ioQueues >= 1 and (.peerAddress | length > 0) and (.connectedAt | length > 0))' \
                <<<"$found" >/dev/null; then
            echo "    live controller: $found"
            return 0
        fi
        [[ $want == absent && $found == '[]' ]] && return 0
        sleep 1
    done
    echo "    last seen: ${found:-nothing}"
    return 1
}

set_up_export() {
    TOKEN=$(api POST /api/v1/auth/tokens "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\",\"name\":\"fabric-e2e\",\"expiresInDays\":1}" |
        jq -r .secret) && [[ $TOKEN == wr_* ]] || return 1
    mkdir -p "$WORK/pool"
    local pool disk
    pool=$(api POST /api/v1/pools "{\"name\":\"e2e-files\",\"type\":\"DIRECTORY\",\"directory\":\"$WORK/pool\"}" | jq -r .id) &&
        FILE_VOLUME=$(api POST /api/v1/volumes "{\"name\":\"e2e-vol\",\"poolId\":$pool,\"sizeBytes\":67108864}" | jq -r .id) &&
        # Namespace 2: a disk-pool volume, served from its extent of a (file-backed) lab disk.
        disk=$(api POST /api/v1/disks '{"name":"e2e-disk","sizeBytes":134217728}' | jq -r .id) &&
        DISK_POOL=$(api POST /api/v1/pools "{\"name\":\"e2e-disks\",\"type\":\"DISK\",\"diskIds\":[$disk]}" | jq -r .id) &&
        DISK_VOLUME=$(api POST /api/v1/volumes "{\"name\":\"e2e-disk-vol\",\"poolId\":$DISK_POOL,\"sizeBytes\":33554432}" | jq -r .id) &&
        SUB_ID=$(api POST /api/v1/subsystems "{\"nqn\":\"$SUBNQN\"}" | jq -r .id) &&
        api POST "/api/v1/subsystems/$SUB_ID/namespaces" "{\"volumeId\":$FILE_VOLUME,\"nsid\":1}" >/dev/null &&
        api POST "/api/v1/subsystems/$SUB_ID/namespaces" "{\"volumeId\":$DISK_VOLUME,\"nsid\":2}" >/dev/null &&
        api POST "/api/v1/subsystems/$SUB_ID/listeners" "{\"address\":\"127.0.0.1\",\"port\":$IO_PORT}" >/dev/null &&
        api POST "/api/v1/subsystems/$SUB_ID/hosts" "{\"hostNqn\":\"$GUEST_HOSTNQN\"}" >/dev/null
}

# The command a user sees in the Connect panel for this host NQN, from the same code (REST).
shown_connect_command() {
    local shown
    shown=$(curl -sS --get -H "Authorization: Bearer $TOKEN" --data-urlencode "hostNqn=$GUEST_HOSTNQN" \
        "$BASE/api/v1/subsystems/$SUB_ID/connect-commands" | jq -r .linuxConnect) || return 1
    echo "    the Connect panel shows: $shown" >&2
    [[ $shown == *" -a 127.0.0.1 "* ]] || { log "the shown command does not name 127.0.0.1: $shown"; return 1; }
    # The only change: under QEMU user networking the guest reaches the host's 127.0.0.1 as 10.0.2.2.
    CONNECT_COMMAND=${shown/ -a 127.0.0.1 / -a 10.0.2.2 }
}

# --- what the guest asks for (run-guest.sh calls this for each ask_host) ---------------------------
on_guest_request() {
    case $1 in
    restart-app) restart_app ;;
    grow-volumes) grow_volumes ;;
    remove-host) remove_host ;;
    *) log "unknown request '$1'"; return 1 ;;
    esac
}

# The guest wrote to the disk extent: the pool's label at the start of the disk must be untouched.
disk_label_intact() {
    api GET /api/v1/pools/labels | jq -e --argjson p "$DISK_POOL" 'any(.[]; .knownPool == $p)' >/dev/null
}

# Grows both exported volumes; the namespaces must stay APPLIED (resized on the live target, not re-added).
grow_volumes() {
    if api PATCH "/api/v1/volumes/$FILE_VOLUME" '{"sizeBytes":100663296}' >/dev/null &&
        api PATCH "/api/v1/volumes/$DISK_VOLUME" '{"sizeBytes":50331648}' >/dev/null; then
        e2e_pass volumes-grown-through-rest
    else
        e2e_fail volumes-grown-through-rest "PATCH /api/v1/volumes failed"
        return 1
    fi
    if wait_applied 60 && api GET "/api/v1/subsystems/$SUB_ID" |
        jq -e '[.namespaces[].sizeBytes] == [100663296, 50331648] and .lastDrift == null' >/dev/null; then
        e2e_pass namespaces-resized-without-drift
    else
        e2e_fail namespaces-resized-without-drift "$(api GET "/api/v1/subsystems/$SUB_ID" | jq -c '[.namespaces[] | {nsid, sizeBytes, state, lastError}], .lastDrift')"
        return 1
    fi
}

restart_app() {
    if disk_label_intact; then
        e2e_pass disk-pool-label-intact-after-guest-writes
    else
        e2e_fail disk-pool-label-intact-after-guest-writes "GET /api/v1/pools/labels no longer finds pool $DISK_POOL"
    fi
    stop_app
    if [[ $APP_STATUS == 0 || $APP_STATUS == 143 ]] && grep -q 'NVMe/TCP target stopped' "$APP_LOG"; then
        e2e_pass app-stops-cleanly-on-sigterm
    else
        e2e_fail app-stops-cleanly-on-sigterm "exit status $APP_STATUS; the log does not say the target stopped"
    fi
    if ! start_app; then
        e2e_fail app-restarts "not ready within $APP_START_LIMIT s"
        tail -30 "$APP_LOG" | sed 's/^/    app| /'
        return 1
    fi
    e2e_pass app-restarts
    if wait_applied 60; then e2e_pass subsystem-applied-after-restart; else e2e_fail subsystem-applied-after-restart "not APPLIED"; return 1; fi
    # The kernel retries every 10 s (nvme-cli's default reconnect delay).
    if wait_connection present 120; then
        e2e_pass rest-shows-reconnected-host
    else
        e2e_fail rest-shows-reconnected-host "no live controller of $GUEST_HOSTNQN with host NQN, address, since and queues"
        return 1
    fi
}

remove_host() {
    local host_id
    host_id=$(api GET "/api/v1/subsystems/$SUB_ID" | jq -r --arg h "$GUEST_HOSTNQN" '.allowedHosts[] | select(.hostNqn == $h) | .id')
    if [[ -n $host_id ]] && api DELETE "/api/v1/subsystems/$SUB_ID/hosts/$host_id" >/dev/null; then
        e2e_pass host-removed-through-rest
    else
        e2e_fail host-removed-through-rest "DELETE of allowed host '$host_id' failed"
        return 1
    fi
    if wait_connection absent 60; then
        e2e_pass rest-shows-no-controller-of-removed-host
    else
        e2e_fail rest-shows-no-controller-of-removed-host "the removed host is still connected"
        return 1
    fi
    if api GET "/api/v1/audit?size=200" | jq -e --arg h "$GUEST_HOSTNQN" \
            '[.entries[] | select(.action == "HOST_DISALLOWED" and (.detail // "" | contains($h)))] | length == 1' >/dev/null; then
        e2e_pass removal-audited
    else
        e2e_fail removal-audited "no HOST_DISALLOWED audit entry naming $GUEST_HOSTNQN"
    fi
}

main() {
    wr_find_jdk
    local cmd
    for cmd in curl jq ss qemu-system-x86_64; do
        command -v "$cmd" >/dev/null || { echo "fabric-e2e: $cmd is missing (apt-get install -y curl jq iproute2 qemu-system-x86)"; exit 2; }
    done
    [[ -f $JAR ]] || { echo "fabric-e2e: $JAR is missing: build it first (mvn -B package -DskipTests)"; exit 2; }
    WORK=$(mktemp -d /tmp/wr-fabric-e2e.XXXXXX)
    trap finish EXIT
    trap 'e2e_fail interrupted "signal"; finish' INT TERM
    HTTP_PORT=$(free_port) && DISCOVERY_PORT=$(free_port) && IO_PORT=$(free_port) || die ports "no free ports"
    BASE=http://127.0.0.1:$HTTP_PORT
    GUEST_HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:$(cat /proc/sys/kernel/random/uuid)
    log "console on $BASE, discovery port $DISCOVERY_PORT, subsystem port $IO_PORT, guest $GUEST_HOSTNQN"

    start_app || die app-starts "not ready within $APP_START_LIMIT s"
    e2e_pass app-starts
    set_up_export || die export-through-rest "creating the pool, volume, subsystem, namespace, listener or host failed"
    wait_applied 60 || die export-through-rest "the reconciler did not apply the subsystem within 60 s"
    e2e_pass export-through-rest
    shown_connect_command || die connect-command-shown "no usable connect command from the Connect panel's code"
    e2e_pass connect-command-shown

    GUEST_STEPS=$HERE/fabric-steps.sh
    # The guest waits while the console restarts (stop, start, apply, the kernel's reconnect).
    GUEST_ENV=("CONNECT_COMMAND=$CONNECT_COMMAND" "SUBNQN=$SUBNQN" "GUEST_WAIT_SECONDS=$((APP_START_LIMIT + 300))")
    GUEST_ON_WAIT=on_guest_request
    GUEST_TIMEOUT=$((APP_START_LIMIT + 600))
    GUEST_KEEP=${FABRIC_E2E_KEEP:-0}
    guest_run
}

main "$@"
