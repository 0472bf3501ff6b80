#!/usr/bin/env bash
# End to end, issue #16: a mirrored volume on two packaged Windrose nodes (each its own JVM, ports and data
# directory) on one real PostgreSQL database made for the run, used by the Linux kernel's initiator in a
# QEMU guest with native NVMe multipath, while nodes die.
#
#   e2e/ha/ha-e2e.sh       (test.sh step ha-e2e; ~6-10 min on two busy cores)
#
# 1. node-1 founds the cluster, node-2 joins with a join token; each has a directory pool.
# 2. Through node-1's REST: a mirrored volume (a leg in each pool), a subsystem open to any host with a
#    listener on each node, the volume attached. Each node serves a replica subsystem of its leg.
# 3. The guest connects through both listeners (one multipath device, two paths: one optimized, one
#    inaccessible) and writes and verifies 16 MiB passes with fio, one after another, until the end.
# 4. HA_E2E_CYCLES times (3): kill -9 of the active node -> the partner takes over (the witness's active leg
#    changes; time printed) and a pass completes after the kill; restart the killed node -> only the dirty
#    regions are copied back (bytes printed), both legs current, both paths serve again.
# 4b. HA_E2E_ROUGH times (1): the replication link cut while both nodes live (no takeover allowed: the
#    partner is recorded out of sync, then resynchronised); the node being resynchronised killed mid-resync;
#    the node copying killed mid-resync (no takeover allowed: the other leg misses writes; hosts wait for it);
#    a blackout (both killed; one comes back and serves alone, then the other is resynchronised).
# 4c. The failover drill (POST .../drill): a planned hand-over to the other node and back, both pauses printed;
#    node maintenance of the active node started (its role moves to the partner) and ended (it comes back).
# 5. The database goes away (the nodes reach it through a relay the test kills) while both legs are in sync:
#    a pass completes meanwhile; then it comes back.
# 6. Every fio pass ended without an I/O error or a verify failure. Printed: each failover's takeover time as
#    the witness recorded it and as this script saw it, each pass's longest write (the pause a pass spanning a
#    failover saw), each resync's bytes.
#
# Environment: WINDROSE_JAR (target/windrose.jar), HA_E2E_CYCLES (3), HA_E2E_ROUGH (1), HA_E2E_KEEP=1 keeps logs,
# HA_E2E_START_LIMIT (480 s) bounds each node's start, HA_E2E_GUEST_TIMEOUT (1800 s).
# Prints "E2E PASS|FAIL <step>" and ends with "N passed, N failed"; exit status 0 only when all passed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../cluster" && pwd)
HA_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HA_HERE/../.." && pwd)
# shellcheck source=../../.ci/env.sh
source "$ROOT/.ci/env.sh"
# shellcheck source=../guest/run-guest.sh
source "$ROOT/e2e/guest/run-guest.sh"
wr_find_jdk

JAR=${WINDROSE_JAR:-$ROOT/target/windrose.jar}
CYCLES=${HA_E2E_CYCLES:-3}
ROUGH=${HA_E2E_ROUGH:-1}
START_LIMIT=${HA_E2E_START_LIMIT:-480}
PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres
DB=wr_ha_$(tr -dc 'a-z0-9' </proc/sys/kernel/random/uuid | head -c 10)
ADMIN_PASSWORD="ha e2e $(cat /proc/sys/kernel/random/uuid)"
WORK=$(mktemp -d /tmp/windrose-ha-e2e.XXXXXX)
SUBNQN=nqn.2026-12.dev.windrose:ha-e2e
STARTED=$SECONDS PASSED=0 FAILED=0 KILLED=''
declare -A PID HTTP NVME

log() { echo "ha-e2e: $*" >&2; }
pass() { PASSED=$((PASSED + 1)); echo "E2E PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "E2E FAIL $1: $2"; }
check() { # check NAME COMMAND...: passes or fails the step, and returns the command's status
    local name=$1; shift
    if "$@"; then pass "$name"; else fail "$name" "see the lines above"; return 1; fi
}

finish() {
    local status=$?
    trap - EXIT INT TERM
    if ((status != 0 && FAILED == 0)); then fail script "stopped early with status $status (see above)"; fi
    [[ -n ${DB_RELAY_PID:-} ]] && kill -KILL "$DB_RELAY_PID" 2>/dev/null
    local node
    for node in "${!PID[@]}"; do [[ -n ${PID[$node]} ]] && kill -KILL "${PID[$node]}" 2>/dev/null; done
    wait 2>/dev/null
    psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
    if ((FAILED > 0)) || [[ ${HA_E2E_KEEP:-0} == 1 ]]; then log "logs and data kept in $WORK"; else rm -rf "$WORK"; fi
    log "took $((SECONDS - STARTED)) s"
    echo "$PASSED passed, $FAILED failed"
    exit $((FAILED > 0 ? 1 : 0))
}
trap finish EXIT INT TERM

# shellcheck source=../cluster/nodes-lib.sh
source "$HERE/nodes-lib.sh"

mirror() { api "${1:-$(live_node)}" GET "/api/v1/mirrored-volumes/$MIRROR"; }
live_node() { # a node that runs (to ask its REST)
    local node
    for node in node-1 node-2; do [[ $node != "$KILLED" ]] && { echo "$node"; return; }; done
}
active_node() { mirror "$@" | jq -r '.legs[] | select(.active) | .nodeName'; }

# --- steps ----------------------------------------------------------------------------------------
two_nodes() {
    local node
    for node in node-1 node-2; do
        REPL[$node]=$(free_port)
        # Resync at 8 MiB/s: a pass's 16 MiB of change takes ~2 s to copy back, long enough to kill a node mid-way.
        NODE_ARGS[$node]="--windrose.mirror.replication-address=127.0.0.1 --windrose.mirror.replication-port=${REPL[$node]}
            --windrose.mirror.resync-mib-per-second=8
            --windrose.fabric.reconcile-interval=PT3S --windrose.cluster.request-wait=PT60S"
    done
    start_node node-1 && wait_ready node-1 || return 1
    TOKEN=$(api node-1 POST /api/v1/auth/tokens \
        "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\",\"name\":\"ha-e2e\",\"expiresInDays\":1}" |
        jq -r .secret) && [[ $TOKEN == wr_* ]] || return 1
    JOIN=$(api node-1 POST /api/v1/cluster/join-tokens '{"validHours":1}' | jq -r .secret) || return 1
    start_node node-2 "$JOIN" && wait_ready node-2
}

mirrored_volume_exported() {
    local node id pool1 pool2 legA
    for node in node-1 node-2; do
        id=$(node_field node-1 "$node" id) || return 1
        mkdir -p "$WORK/$node/data/pools/ha"
        # Each node makes its own pool (a node that has just started may answer another's request late).
        api "$node" POST /api/v1/pools "{\"name\":\"ha-$node\",\"type\":\"DIRECTORY\",
            \"directory\":\"$WORK/$node/data/pools/ha\",\"hostId\":$id}" >"$WORK/pool-$node.json" || return 1
        NODE_ID[$node]=$id
    done
    pool1=$(jq .id "$WORK/pool-node-1.json"); pool2=$(jq .id "$WORK/pool-node-2.json")
    api node-1 POST /api/v1/mirrored-volumes "{\"name\":\"ha-vol\",\"sizeBytes\":67108864,\"poolA\":$pool1,
        \"poolB\":$pool2}" >"$WORK/mirror.json" || return 1
    MIRROR=$(jq .id "$WORK/mirror.json")
    legA=$(jq '.legs[] | select(.leg == "A") | .volumeId' "$WORK/mirror.json")
    SUB=$(api node-1 POST /api/v1/subsystems "{\"nqn\":\"$SUBNQN\",\"allowAnyHost\":true}" | jq .id) || return 1
    api node-1 POST "/api/v1/subsystems/$SUB/namespaces" "{\"volumeId\":$legA}" >/dev/null || return 1
    PORT1=$(free_port); PORT2=$(free_port)
    api node-1 POST "/api/v1/subsystems/$SUB/listeners" "{\"address\":\"127.0.0.1\",\"port\":$PORT1,
        \"hostId\":${NODE_ID[node-1]}}" >/dev/null || return 1
    api node-1 POST "/api/v1/subsystems/$SUB/listeners" "{\"address\":\"127.0.0.1\",\"port\":$PORT2,
        \"hostId\":${NODE_ID[node-2]}}" >/dev/null || return 1
    local until=$((SECONDS + 60))
    while ((SECONDS < until)); do
        if listening "$PORT1" && listening "$PORT2" && [[ $(mirror node-1 | jq -r .state) == IN_SYNC ]] &&
            api node-1 GET "/api/v1/subsystems/$SUB" | jq -e 'all(.namespaces[]; .state == "APPLIED")' >/dev/null; then
            echo "    mirrored volume ha-vol: $(mirror node-1 | jq -c '{activeLeg, generation, state, legs: [.legs[] | {leg, nodeName, current}]}')"
            return 0
        fi
        sleep 0.5
    done
    log "the mirrored volume was not exported and in sync within 60 s:"
    mirror node-1 >&2; api node-1 GET "/api/v1/subsystems/$SUB" | jq -c . >&2
    grep -h "Mirror\|mirror\|replica" "$WORK"/node-*/app.log | tail -20 >&2
    return 1
}
declare -A NODE_ID REPL

# --- what the guest asks for --------------------------------------------------------------------
kill_active() {
    local active other before killed_at until
    active=$(active_node) || return 1
    other=$([[ $active == node-1 ]] && echo node-2 || echo node-1)
    before=$(mirror "$other" | jq .generation)
    killed_at=$(date +%s%3N)
    kill -KILL "${PID[$active]}"; wait "${PID[$active]}" 2>/dev/null
    PID[$active]='' KILLED=$active
    until=$((SECONDS + 30))
    while ((SECONDS < until)); do
        if [[ $(active_node "$other") == "$other" ]]; then
            echo "    kill -9 of $active: $other took over $(( $(date +%s%3N) - killed_at )) ms after the kill" \
                "(this script's view); the witness recorded $(mirror "$other" | jq -r '"\(.lastFailoverMillis) ms: \(.lastFailoverReason)"')" \
                "(generation $before -> $(mirror "$other" | jq .generation))"
            return 0
        fi
        sleep 0.1
    done
    log "$other did not take over within 30 s of the kill of $active"
    mirror "$other" >&2; grep -h "Mirror" "$WORK/$other/app.log" | tail -10 >&2
    return 1
}

restart_killed() {
    local node=$KILLED until started=$SECONDS
    start_node "$node" && wait_ready "$node" || return 1
    KILLED=''
    until=$((SECONDS + 180))
    while ((SECONDS < until)); do
        if mirror | jq -e 'all(.legs[]; .current) and .state == "IN_SYNC"' >/dev/null; then
            echo "    $node back: both legs current $((SECONDS - started)) s after its restart; last resync:" \
                "$(mirror | jq -r '[.recentEvents[] | select(.kind == "RESYNCED")][0].detail')"
            return 0
        fi
        sleep 0.5
    done
    log "the legs were not both current within 180 s of $node's restart:"
    mirror >&2; grep -h "Mirror" "$WORK"/node-*/app.log | tail -20 >&2
    return 1
}

drill() {
    local answer
    answer=$(api "$(live_node)" POST "/api/v1/mirrored-volumes/$MIRROR/drill") || return 1
    echo "    failover drill (a planned hand-over and back): hosts waited $(jq -r .overPauseMillis <<<"$answer") ms" \
        "and $(jq -r .backPauseMillis <<<"$answer") ms (from the witness's record to the other node serving)"
    [[ $(jq -r .overPauseMillis <<<"$answer") != null && $(jq -r .backPauseMillis <<<"$answer") != null ]]
}

# Node maintenance: every active role of the active node moves to its partner (planned hand-overs), then ending
# the maintenance takes exactly those back; both pauses printed as the witness recorded them.
maintenance() {
    local active other id answer
    active=$(active_node) || return 1
    other=$(other_node "$active")
    id=${NODE_ID[$active]}
    # What the console shows of the host: two live paths, one of them optimized (as each node reported them).
    local paths
    paths=$(mirror | jq -c '[.hosts[] | {hostNqn, livePaths, optimizedPaths, paths: [.paths[] | "\(.nodeName) \(.anaState)"]}]')
    echo "    host paths: $paths"
    jq -e 'length == 1 and .[0].livePaths == 2 and .[0].optimizedPaths == 1' <<<"$paths" >/dev/null ||
        { log "the mirror's host paths are not two live, one optimized"; return 1; }
    echo "    maintenance preview of $active: $(api "$active" GET "/api/v1/mirrored-volumes/maintenance/$id" | jq -c '{handOver, loseRedundancy, cannotMove}')"
    answer=$(api "$active" POST "/api/v1/mirrored-volumes/maintenance/$id") || return 1
    [[ $(active_node) == "$other" ]] || { log "after the start of $active's maintenance, $(active_node) is active"; return 1; }
    jq -e '.movedAway == ["ha-vol"]' <<<"$answer" >/dev/null || { log "maintenance answer: $answer"; return 1; }
    echo "    $active in maintenance: $other serves ha-vol; hosts waited $(mirror | jq -r .lastFailoverMillis) ms"
    sleep 3
    answer=$(api "$other" DELETE "/api/v1/mirrored-volumes/maintenance/$id") || return 1
    jq -e '.handedBack == ["ha-vol"] and .waiting == []' <<<"$answer" >/dev/null || { log "end of maintenance: $answer"; return 1; }
    [[ $(active_node) == "$active" ]] || { log "after the end of $active's maintenance, $(active_node) is active"; return 1; }
    echo "    $active out of maintenance: it serves ha-vol again; hosts waited $(mirror | jq -r .lastFailoverMillis) ms"
}

database_away() {
    kill -KILL "$DB_RELAY_PID"; wait "$DB_RELAY_PID" 2>/dev/null
    DB_RELAY_PID=''
    echo "    the database relay is down: the nodes do not reach PostgreSQL"
}

database_back() {
    start_db_relay || return 1
    local until=$((SECONDS + 60))
    while ((SECONDS < until)); do
        mirror node-1 >/dev/null 2>&1 && mirror node-2 >/dev/null 2>&1 && return 0
        sleep 1
    done
    return 1
}

other_node() { [[ $1 == node-1 ]] && echo node-2 || echo node-1; }

# until_in_sync LIMIT: both legs current and IN_SYNC within LIMIT seconds; prints the last resync's record.
until_in_sync() {
    local until=$((SECONDS + $1))
    while ((SECONDS < until)); do
        if mirror | jq -e 'all(.legs[]; .current) and .state == "IN_SYNC"' >/dev/null 2>&1; then
            echo "      last resync: $(mirror | jq -r '[.recentEvents[] | select(.kind == "RESYNCED")][0].detail')"
            return 0
        fi
        sleep 0.5
    done
    log "the legs were not both current within $1 s:"; mirror >&2
    grep -h "Mirror" "$WORK"/node-*/app.log | tail -20 >&2
    return 1
}

# until_resyncing NODE LIMIT: NODE's view of the mirror says RESYNCING within LIMIT seconds.
until_resyncing() {
    local until=$((SECONDS + $2))
    while ((SECONDS < until)); do
        [[ $(mirror "$1" 2>/dev/null | jq -r .state) == RESYNCING ]] && return 0
        sleep 0.1
    done
    log "no resync was seen within $2 s"; mirror "$1" >&2
    return 1
}

# The replication link is cut while both nodes live: every connection to either replica port is reset, again
# and again, for 5 s. The active node must record its partner out of sync and go on alone; the partner must
# NOT take over (the active node's lease and database session live: that would be split brain); once the link
# is back, only the change is copied back.
cut_link() {
    local active generation until=$((SECONDS + 5)) resets=0
    active=$(active_node) || return 1
    generation=$(mirror | jq .generation)
    while ((SECONDS < until)); do
        ss -K "( dport = :${REPL[node-1]} or dport = :${REPL[node-2]} )" >/dev/null 2>&1 && resets=$((resets + 1))
        sleep 0.2
    done
    echo "    replication link cut for 5 s ($resets resets) while $active was active at generation $generation"
    until_in_sync 120 || return 1
    local now_active now_generation
    now_active=$(active_node) now_generation=$(mirror | jq .generation)
    echo "      afterwards: $now_active active at generation $now_generation"
    [[ $now_active == "$active" ]] || { log "the active node changed from $active to $now_active: a takeover while both lived"; return 1; }
    ((now_generation > generation)) || { log "the partner was not recorded out of sync (generation $now_generation)"; return 1; }
}

# kill_in_resync WHO: the passive node is killed, the active one goes on alone while the writer dirties regions;
# the passive one comes back and, in the middle of its resync, WHO (partner: the node being resynchronised;
# active: the node copying) is killed -9. A partner killed mid-resync is resynchronised from the persisted
# bitmap when it is back. An active node killed mid-resync must NOT be replaced (the other leg misses writes):
# the host waits for it, and gets every write back from it once it has restarted.
kill_in_resync() {
    local who=$1 active passive victim killed_at
    active=$(active_node) || return 1
    passive=$(other_node "$active")
    kill -KILL "${PID[$passive]}"; wait "${PID[$passive]}" 2>/dev/null; PID[$passive]='' KILLED=$passive
    sleep 6 # the writer goes on: regions turn dirty on the active leg
    start_node "$passive" && wait_ready "$passive" || return 1
    KILLED=''
    until_resyncing "$active" 120 || return 1
    victim=$([[ $who == active ]] && echo "$active" || echo "$passive")
    killed_at=$(date +%s%3N)
    kill -KILL "${PID[$victim]}"; wait "${PID[$victim]}" 2>/dev/null; PID[$victim]='' KILLED=$victim
    echo "    $victim ($who) killed -9 during the resync of $passive ($(mirror | jq -r '(.resyncProgress // 0) * 100 | floor') % copied)"
    sleep 3
    if [[ $who == active && $(active_node "$passive") != "$active" ]]; then
        log "$passive took over with a leg that misses writes"; mirror "$passive" >&2
        return 1
    fi
    start_node "$victim" && wait_ready "$victim" || return 1
    KILLED=''
    echo "      $victim back $(( ($(date +%s%3N) - killed_at) / 1000 )) s after the kill"
    until_in_sync 180 || return 1
    [[ $(active_node) == "$active" ]] || { log "the active node changed to $(active_node)"; return 1; }
}

# A blackout: both nodes killed at once. Only one comes back, the passive one if its leg is current (the witness,
# read straight from the database, says so): it starts its mirrored namespace without its partner, takes over
# once the old active node's session is gone, and serves alone. Then the other comes back and is resynchronised.
blackout() {
    local active first second row
    active=$(active_node) || return 1
    kill -KILL "${PID[node-1]}" "${PID[node-2]}"; wait "${PID[node-1]}" "${PID[node-2]}" 2>/dev/null
    PID[node-1]='' PID[node-2]=''
    row=$(sql "SELECT active_leg, generation, leg_a_generation, leg_b_generation FROM mirrored_volume WHERE id = $MIRROR")
    echo "    blackout: both nodes killed -9 ($active was active); witness: $row"
    first=$(other_node "$active")
    # leg A is node-1's, leg B node-2's: the passive node comes back first only when its leg is current
    IFS='|' read -r _ gen a b <<<"$row"
    if [[ ($first == node-1 && $a != "$gen") || ($first == node-2 && $b != "$gen") ]]; then first=$active; fi
    second=$(other_node "$first")
    KILLED=$second
    local started=$SECONDS
    start_node "$first" && wait_ready "$first" || return 1
    local until=$((SECONDS + 120))
    while ((SECONDS < until)); do
        if [[ $(active_node "$first") == "$first" ]] && mirror "$first" | jq -e '.state != null' >/dev/null; then
            echo "      $first alone serves $((SECONDS - started)) s after its start began: $(mirror "$first" | jq -c '{state, generation, lastFailoverReason}')"
            break
        fi
        sleep 0.5
    done
    [[ $(active_node "$first") == "$first" ]] || { log "$first did not serve alone"; mirror "$first" >&2; return 1; }
    sleep 5 # the host writes to one leg
    start_node "$second" && wait_ready "$second" || return 1
    KILLED=''
    until_in_sync 180
}

guest_asks() {
    case $1 in
    kill-active) kill_active ;;
    restart-killed) restart_killed ;;
    drill) drill ;;
    maintenance) maintenance ;;
    database-away) database_away ;;
    database-back) database_back ;;
    cut-link) cut_link ;;
    kill-partner-in-resync) kill_in_resync partner ;;
    kill-active-in-resync) kill_in_resync active ;;
    blackout) blackout ;;
    *) log "the guest asked for '$1', which this script does not know"; return 1 ;;
    esac
}

linux_host_writes_through_failovers() {
    GUEST_STEPS=$HA_HERE/ha-steps.sh
    GUEST_ENV=("SUBNQN=$SUBNQN" "PORT1=$PORT1" "PORT2=$PORT2" "CYCLES=$CYCLES" "ROUGH=$ROUGH")
    GUEST_ON_WAIT=guest_asks
    GUEST_TIMEOUT=${HA_E2E_GUEST_TIMEOUT:-1800}
    GUEST_KEEP=${HA_E2E_KEEP:-0}
    guest_run
}

# What two idle nodes with one mirrored volume cost the database: transactions per second over 20 s (every
# statement the nodes send outside a transaction is one), from PostgreSQL's own counters.
database_load() {
    local q="SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$DB'" before after
    before=$(psql -qtA -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "$q") || return 1
    sleep 20
    after=$(psql -qtA -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "$q") || return 1
    echo "    database load of two nodes with one mirrored volume, before any host: $(( (after - before) / 20 )) transactions/s"
}

failovers_recorded() {
    echo "    events of ha-vol (newest first):"
    mirror | jq -r '.recentEvents[] | "      \(.at) \(.node) \(.kind): \(.detail)"'
}

psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "CREATE DATABASE $DB" >/dev/null ||
    { fail database "could not create database $DB at $PG_HOST:$PG_PORT"; exit 1; }
start_db_relay || { fail database "the database relay did not start"; exit 1; }
check two-nodes two_nodes || exit 1
check mirrored-volume-exported mirrored_volume_exported || exit 1
database_load
check linux-host-writes-through-failovers linux_host_writes_through_failovers
failovers_recorded
