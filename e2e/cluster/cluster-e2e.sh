#!/usr/bin/env bash
# End to end, issue #15 (first stage): three packaged Windrose nodes, each its own JVM with its own ports,
# data directory and node id, on one real PostgreSQL database made for the run.
#
#   e2e/cluster/cluster-e2e.sh       (test.sh step cluster-e2e; ~3-6 min on two busy cores)
#
# 1. node-1 starts on an empty database and founds the cluster; an administrator's token comes from
#    WINDROSE_INITIAL_ADMIN_PASSWORD and POST /api/v1/auth/tokens; it creates a join token.
# 2. node-2 starts without a token: it asks to join, runs no cluster job, until node-1's REST accepts it.
#    node-3 starts with the join token and is a member at once.
# 3. Once per cluster: the heartbeat judgement (every 1 s on every node) ran once per period across the
#    three; the run records (cluster_job_run) have no two runs closer than the period allows. Idle
#    PostgreSQL load of the three nodes is printed (transactions per second over 20 s).
# 3a. Live samples: node-1's REST (/api/v1/stats/nodes) has all three nodes' samples, fresh, dataplane up;
#    over CLUSTER_E2E_SAMPLE_SECONDS (20) the delay from node-2's and node-3's samples to node-1 (by
#    PostgreSQL LISTEN/NOTIFY) is printed as median and max.
#    The console (Playwright in Debian's Chromium, e2e/cluster/cluster-console.spec.ts; any page error or
#    console error fails it): node-1's dashboard shows the three nodes live, its Nodes page lists them
#    online with running dataplanes. CLUSTER_E2E_CONSOLE=0 skips it (needs npm ci in e2e/ and chromium).
# 3b. Through node-1's REST: a pool node-2 may not make is refused in node-2's words; a directory pool and a
#    volume on node-2 (its file appears in node-2's directory), a memory pool on node-3, a subsystem with
#    listeners on node-2 and node-3 that both apply (their ports listen; each node's state is APPLIED).
# 3c. The Linux kernel's initiator in a QEMU guest (e2e/guest/run-guest.sh; CLUSTER_E2E_GUEST=0 skips it)
#    connects through node-2 and node-3: one subsystem, two controllers, distinct CNTLIDs, the namespace.
# 4. kill -9 of node-3, CLUSTER_E2E_KILLS times (2): node-1 shows it OFFLINE with an open HOST_HEARTBEAT
#    event within 10 s of the kill (each time is printed) and its listener UNREACHABLE; node-3 restarts on its data directory, is ONLINE
#    and still a member (same node id).
# 4b. The database goes away (the nodes reach it through a relay the test kills): every node's NVMe/TCP
#    ports still answer, a change is refused at once (503, in words); back, changes work again (also for
#    another node) and all three nodes are online, without a restart.
# 5. node-3, stopped, is removed through node-1's REST once its listener and pool (deleted by node-3 at
#    node-1's request) are gone; a running member cannot be.
#
# Environment: WINDROSE_JAR (target/windrose.jar), CLUSTER_E2E_KILLS (2), CLUSTER_E2E_KEEP=1 keeps logs,
# CLUSTER_E2E_START_LIMIT (480 s) bounds each node's start. PostgreSQL at 127.0.0.1:5432, user postgres.
# Prints "E2E PASS|FAIL <step>" and ends with "N passed, N failed"; exit status 0 only when all passed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=../../.ci/env.sh
source "$ROOT/.ci/env.sh"
# shellcheck source=../guest/run-guest.sh
source "$ROOT/e2e/guest/run-guest.sh"
wr_find_jdk

JAR=${WINDROSE_JAR:-$ROOT/target/windrose.jar}
KILLS=${CLUSTER_E2E_KILLS:-2}
SAMPLE_SECONDS=${CLUSTER_E2E_SAMPLE_SECONDS:-20}
START_LIMIT=${CLUSTER_E2E_START_LIMIT:-480}
PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres
DB=wr_cluster_$(tr -dc 'a-z0-9' </proc/sys/kernel/random/uuid | head -c 10)
ADMIN_PASSWORD="cluster e2e $(cat /proc/sys/kernel/random/uuid)"
WORK=$(mktemp -d /tmp/windrose-cluster-e2e.XXXXXX)
STARTED=$SECONDS PASSED=0 FAILED=0
declare -A PID HTTP NVME

log() { echo "cluster-e2e: $*" >&2; }
pass() { PASSED=$((PASSED + 1)); echo "E2E PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "E2E FAIL $1: $2"; }
check() { # check NAME COMMAND...: runs the command, passes or fails the step
    local name=$1; shift
    if "$@"; then pass "$name"; else fail "$name" "see the lines above"; fi
}

finish() {
    local status=$?
    trap - EXIT INT TERM
    # A script error (an unbound variable, a failed command under set -e in a helper) ends here too: it
    # must not pass as "0 failed".
    if ((status != 0 && FAILED == 0)); then fail script "stopped early with status $status (see above)"; fi
    [[ -n ${DB_RELAY_PID:-} ]] && kill -KILL "$DB_RELAY_PID" 2>/dev/null
    local node
    for node in "${!PID[@]}"; do [[ -n ${PID[$node]} ]] && kill -KILL "${PID[$node]}" 2>/dev/null; done
    wait 2>/dev/null
    psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
    if ((FAILED > 0)) || [[ ${CLUSTER_E2E_KEEP:-0} == 1 ]]; then
        log "logs and data kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    log "took $((SECONDS - STARTED)) s"
    echo "$PASSED passed, $FAILED failed"
    exit $((FAILED > 0 ? 1 : 0))
}
trap finish EXIT INT TERM

# The nodes, their REST API and the database relay (start_node, wait_ready, api, api_status, start_db_relay, …).
# shellcheck source=nodes-lib.sh
source "$HERE/nodes-lib.sh"

# --- steps ----------------------------------------------------------------------------------------
first_node_founds() {
    start_node node-1 && wait_ready node-1 || return 1
    TOKEN=$(api node-1 POST /api/v1/auth/tokens \
        "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\",\"name\":\"cluster-e2e\",\"expiresInDays\":1}" |
        jq -r .secret) && [[ $TOKEN == wr_* ]] || return 1
    [[ $(node_field node-1 node-1 membership) == MEMBER ]]
}

others_join() {
    JOIN=$(api node-1 POST /api/v1/cluster/join-tokens '{"validHours":1}' | jq -r .secret) || return 1
    start_node node-2 && start_node node-3 "$JOIN" && wait_ready node-2 && wait_ready node-3
}

asking_node_waits_until_accepted() {
    [[ $(node_field node-1 node-2 membership) == ASKING ]] || { log "node-2 is not asking"; return 1; }
    grep -q "asks to join the cluster" "$WORK/node-2/app.log" || { log "node-2 did not say it asks"; return 1; }
    local id runs
    id=$(node_field node-1 node-2 id)
    runs=$(sql "SELECT count(*) FROM cluster_job_run WHERE host_id = $id")
    [[ $runs == 0 ]] || { log "node-2 ran $runs cluster jobs while asking"; return 1; }
    api node-1 POST "/api/v1/cluster/nodes/$id/accept" >/dev/null || return 1
    local until=$((SECONDS + 10))
    while ((SECONDS < until)); do
        grep -q "membership changed from ASKING to MEMBER" "$WORK/node-2/app.log" && return 0
        sleep 0.5
    done
    log "node-2 did not learn within 10 s that it was accepted"
    return 1
}

token_node_is_member() {
    [[ $(node_field node-2 node-3 membership) == MEMBER ]] &&
        [[ $(api node-3 GET /api/v1/cluster/nodes | jq '[.[] | select(.membership == "MEMBER" and .state == "ONLINE")] | length') == 3 ]]
}

jobs_once_per_cluster() {
    sleep 20
    local gaps by_node
    # The heartbeat judgement is scheduled every 1 s on each node and claims a period of 0.75 s; a run within
    # 0.9 of that after another would be a second node running in the same period.
    gaps=$(sql "SELECT count(*) FROM (SELECT started_at - lag(started_at) OVER (ORDER BY started_at) AS gap
        FROM cluster_job_run WHERE job = 'node-watch') g WHERE gap < interval '675 milliseconds'")
    by_node=$(sql "SELECT h.name || ':' || count(*) FROM cluster_job_run r JOIN host h ON h.id = r.host_id
        WHERE r.job = 'node-watch' GROUP BY h.name ORDER BY h.name" | tr '\n' ' ')
    echo "    node-watch runs by node: $by_node; runs closer than the period: $gaps"
    [[ $gaps == 0 ]]
}

# Objects created through node-1 for node-2 and node-3 are made real by those nodes (their directories,
# their ports), node-2's refusal comes back in its words, and a subsystem with listeners on both is applied
# by each of them (each node's observation kept apart).
objects_for_other_nodes() {
    local n2 n3 answer status pool2 vol2
    n2=$(node_field node-1 node-2 id); n3=$(node_field node-1 node-3 id)
    mkdir -p "$WORK/node-2/data/pools/e2e" "$WORK/node-1/data/pools/only-on-node-1"
    answer=$(api_status node-1 POST /api/v1/pools "{\"name\":\"nowhere\",\"type\":\"DIRECTORY\",
        \"directory\":\"$WORK/node-1/data/pools/only-on-node-1\",\"hostId\":$n2}")
    status=${answer%% *}
    [[ $status == 400 && $answer == *"On node node-2:"* ]] ||
        { log "a directory node-2 may not use was not refused by node-2: $answer"; return 1; }
    pool2=$(api node-1 POST /api/v1/pools "{\"name\":\"far-files\",\"type\":\"DIRECTORY\",
        \"directory\":\"$WORK/node-2/data/pools/e2e\",\"hostId\":$n2}") || return 1
    [[ $(jq .hostId <<<"$pool2") == "$n2" ]] || { log "the pool is not on node-2: $pool2"; return 1; }
    local asked_at=$(date +%s%3N)
    api node-1 POST /api/v1/pools "{\"name\":\"far-ram\",\"type\":\"MEMORY\",\"capacityBytes\":67108864,
        \"hostId\":$n3}" | jq -e --argjson n "$n3" '.hostId == $n' >/dev/null || return 1
    echo "    a memory pool made on node-3 through node-1's REST: answered 201 after $(( $(date +%s%3N) - asked_at )) ms"
    vol2=$(api node-1 POST /api/v1/volumes "{\"name\":\"far-vol\",\"poolId\":$(jq .id <<<"$pool2"),
        \"sizeBytes\":67108864}") || return 1
    ls "$WORK/node-2/data/pools/e2e" | grep -q . || { log "node-2 made no backing file for far-vol"; return 1; }
    SUB=$(api node-1 POST /api/v1/subsystems '{"nqn":"nqn.2026-12.dev.windrose:cluster-e2e","allowAnyHost":true}' |
        jq .id) || return 1
    api node-1 POST "/api/v1/subsystems/$SUB/namespaces" "{\"volumeId\":$(jq .id <<<"$vol2")}" >/dev/null || return 1
    PORT2=$(free_port); PORT3=$(free_port)
    api node-1 POST "/api/v1/subsystems/$SUB/listeners" "{\"address\":\"127.0.0.1\",\"port\":$PORT2,\"hostId\":$n2}" \
        >/dev/null || return 1
    api node-1 POST "/api/v1/subsystems/$SUB/listeners" "{\"address\":\"127.0.0.1\",\"port\":$PORT3,\"hostId\":$n3}" \
        >/dev/null || return 1
    local until=$((SECONDS + 15)) started=$SECONDS
    while ((SECONDS < until)); do
        if listening "$PORT2" && listening "$PORT3" && api node-1 GET "/api/v1/subsystems/$SUB" |
            jq -e '(.nodes | length) == 2 and all(.nodes[]; .state == "APPLIED")
                and all(.listeners[]; .state == "APPLIED")' >/dev/null; then
            echo "    node-2 and node-3 applied their listeners of a subsystem made on node-1 within $((SECONDS - started)) s"
            return 0
        fi
        sleep 0.5
    done
    log "the subsystem was not applied by node-2 and node-3 within 15 s:"
    api node-1 GET "/api/v1/subsystems/$SUB" | jq -c '{state, nodes, listeners}' >&2
    return 1
}

# The Linux kernel's initiator (QEMU guest) connects to the subsystem through node-2 and node-3: one
# subsystem, two controllers with distinct CNTLIDs (the kernel refuses a duplicate), the namespace of
# node-2's volume as a block device.
linux_host_through_two_nodes() {
    GUEST_STEPS=$HERE/two-nodes-steps.sh
    GUEST_ENV=("SUBNQN=nqn.2026-12.dev.windrose:cluster-e2e" "PORT2=$PORT2" "PORT3=$PORT3")
    GUEST_TIMEOUT=${CLUSTER_E2E_GUEST_TIMEOUT:-600}
    GUEST_KEEP=${CLUSTER_E2E_KEEP:-0}
    guest_run
}

# Every node's sample on node-1: three nodes, each sampled within 3 s, each dataplane up; then the arrival
# delays of the other nodes' samples on node-1 (sampledAt on their clock, receivedAt on node-1's: one machine).
live_samples_on_every_node() {
    local body until=$((SECONDS + 30)) ok=''
    while ((SECONDS < until)); do
        body=$(api node-1 GET /api/v1/stats/nodes) || return 1
        if jq -e '[.[] | select(.dataplaneUp and (now - (.sampledAt | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601)) < 3)
                | .nodeName] | sort == ["node-1", "node-2", "node-3"]' <<<"$body" >/dev/null; then
            ok=1; break
        fi
        sleep 0.5
    done
    [[ -n $ok ]] || { log "node-1 does not show three live nodes: $body"; return 1; }
    local seen="$WORK/samples.txt" stats
    : >"$seen"
    until=$((SECONDS + SAMPLE_SECONDS))
    while ((SECONDS < until)); do
        api node-1 GET /api/v1/stats/nodes |
            jq -r '.[] | select(.nodeName != "node-1") | "\(.nodeName) \(.sampledAt) \(.arrivalDelayMillis)"' >>"$seen"
        sleep 0.25
    done
    stats=$(sort -u "$seen" | awk '{print $3}' | sort -n |
        awk '{d[NR]=$1} END {if (NR == 0) exit 1; printf "%d samples, median %d ms, max %d ms", NR, d[int((NR+1)/2)], d[NR]}') ||
        { log "no sample of node-2 or node-3 reached node-1"; return 1; }
    echo "    live samples of node-2 and node-3 on node-1 (sample -> node-1's REST): $stats"
}

console_shows_three_live_nodes() {
    wr_ensure_node >/dev/null || return 1
    [[ -d $ROOT/e2e/node_modules ]] || (cd "$ROOT/e2e" && npm ci --no-audit --no-fund >/dev/null) || return 1
    (cd "$ROOT/e2e" && WINDROSE_BASE_URL="http://127.0.0.1:${HTTP[node-1]}" WINDROSE_E2E_ADMIN_PASSWORD=$ADMIN_PASSWORD \
        npx playwright test -c cluster/playwright.cluster.config.ts)
}

idle_database_load() {
    local before after
    before=$(sql "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$DB'")
    sleep 20
    after=$(sql "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$DB'")
    echo "    idle PostgreSQL load of three nodes: $(( (after - before) / 20 )) transactions/s over 20 s"
}

killed_node_goes_offline_and_comes_back() {
    local try id killed_at offline_ms
    id=$(node_field node-1 node-3 id)
    for try in $(seq 1 "$KILLS"); do
        kill -KILL "${PID[node-3]}"; killed_at=$(date +%s%3N)
        wait "${PID[node-3]}" 2>/dev/null
        offline_ms=''
        while (( $(date +%s%3N) - killed_at < 10000 )); do
            if [[ $(node_field node-1 node-3 state) == OFFLINE ]] &&
                api node-1 GET '/api/v1/events?state=OPEN&size=100' |
                    jq -e --arg k "host:$id" '.items | any(.rule == "HOST_HEARTBEAT" and .objectKey == $k)' >/dev/null; then
                offline_ms=$(( $(date +%s%3N) - killed_at )); break
            fi
            sleep 0.2
        done
        [[ -n $offline_ms ]] || { log "try $try: node-3 not offline with an event within 10 s"; return 1; }
        echo "    try $try: kill -9 -> OFFLINE with an event after $offline_ms ms"
        if [[ -n ${SUB:-} ]]; then
            api node-1 GET "/api/v1/subsystems/$SUB" | jq -e --argjson n "$id" \
                'any(.listeners[]; .hostId == $n and .state == "UNREACHABLE")
                 and any(.nodes[]; .hostId == $n and .state == "UNREACHABLE")' >/dev/null ||
                { log "node-3's listener is not shown unreachable"; return 1; }
        fi
        start_node node-3 && wait_ready node-3 || return 1
        [[ $(node_field node-1 node-3 state) == ONLINE && $(node_field node-1 node-3 membership) == MEMBER ]] ||
            { log "node-3 did not come back as an online member"; return 1; }
        grep -q "reconciled its slice from the database: 1 subsystem(s), 1 listener(s)" "$WORK/node-3/app.log" ||
            { log "node-3 did not say what it took up from the database"; return 1; }
        if [[ -n ${PORT3:-} ]]; then # it reconciled its slice from the database: its listener serves again
            local back=$((SECONDS + 15))
            until listening "$PORT3" || ((SECONDS > back)); do sleep 0.5; done
            listening "$PORT3" || { log "node-3 did not listen on its port $PORT3 again"; return 1; }
        fi
    done
}

# The database goes away (the relay is killed, every connection drops): the nodes keep serving NVMe/TCP,
# a change is refused at once with 503 in words; the database comes back: changes work again, also for
# another node, and every node is online, without a restart.
database_outage() {
    NODE2_ID=$(node_field node-1 node-2 id) || return 1
    kill -KILL "$DB_RELAY_PID"; wait "$DB_RELAY_PID" 2>/dev/null
    local away=0
    while_database_is_away || away=1
    # Back in any case: the later steps need the database.
    start_db_relay || { log "the database relay did not start again"; return 1; }
    ((away == 0)) && once_database_is_back
}

while_database_is_away() {
    local answer status started took
    sleep 1
    started=$(date +%s%3N)
    answer=$(api_status node-1 POST /api/v1/pools '{"name":"during-outage","type":"MEMORY","capacityBytes":16777216}')
    took=$(( $(date +%s%3N) - started ))
    status=${answer%% *}
    echo "    a change while the database is away: $status after $took ms"
    [[ $status == 503 && $answer == *"database cannot be reached"* ]] ||
        { log "expected a 503 that names the database: $answer"; return 1; }
    ((took < 10000)) || { log "the refusal took $took ms"; return 1; }
    nvme_answers "${NVME[node-1]}" && nvme_answers "$PORT2" && nvme_answers "$PORT3" ||
        { log "a node's NVMe/TCP port stopped answering while the database was away"; return 1; }
    sleep 5 # longer than a heartbeat period and a judgement: nothing may break meanwhile
    nvme_answers "$PORT2" || { log "node-2's listener stopped answering"; return 1; }
}

once_database_is_back() {
    local answer until=$((SECONDS + 60)) pool
    while ((SECONDS < until)); do
        answer=$(api_status node-1 POST /api/v1/pools \
            "{\"name\":\"after-outage\",\"type\":\"MEMORY\",\"capacityBytes\":16777216,\"hostId\":$NODE2_ID}")
        [[ ${answer%% *} == 201 ]] && break
        sleep 1
    done
    [[ ${answer%% *} == 201 ]] || { log "no change for node-2 went through within 60 s of the database's return: $answer"; return 1; }
    echo "    the database is back: a change for node-2 went through after $((SECONDS - until + 60)) s"
    pool=$(jq .id <<<"${answer#* }")
    api node-1 DELETE "/api/v1/pools/$pool" >/dev/null || return 1
    until=$((SECONDS + 30))
    while ((SECONDS < until)); do
        [[ $(api node-1 GET /api/v1/cluster/nodes | jq '[.[] | select(.state == "ONLINE")] | length') == 3 ]] && return 0
        sleep 1
    done
    log "not every node is online 30 s after the database came back"; return 1
}

remove_nodes() {
    local id
    id=$(node_field node-1 node-3 id)
    if api node-1 DELETE "/api/v1/cluster/nodes/$id" >/dev/null 2>&1; then
        log "a running member was removed"; return 1
    fi
    # What node-3 holds goes first: its listener (a row) and its pool (deleted by node-3, asked by node-1).
    if [[ -n ${SUB:-} ]]; then
        local listener pool
        listener=$(api node-1 GET "/api/v1/subsystems/$SUB" | jq --argjson n "$id" '.listeners[] | select(.hostId == $n) | .id')
        api node-1 DELETE "/api/v1/subsystems/$SUB/listeners/$listener" >/dev/null || return 1
        pool=$(api node-1 GET "/api/v1/pools?hostId=$id" | jq '.items[] | select(.name == "far-ram") | .id')
        api node-1 DELETE "/api/v1/pools/$pool" >/dev/null || { log "node-3 did not delete its pool"; return 1; }
        [[ $(api node-1 GET "/api/v1/pools?hostId=$id" | jq '.items | length') == 0 ]] || return 1
    fi
    kill -TERM "${PID[node-3]}"; wait "${PID[node-3]}" 2>/dev/null; PID[node-3]=''
    local until=$((SECONDS + 15))
    while ((SECONDS < until)); do
        [[ $(node_field node-1 node-3 state) == OFFLINE ]] && break
        sleep 0.5
    done
    api node-1 DELETE "/api/v1/cluster/nodes/$id" >/dev/null &&
        [[ $(api node-1 GET /api/v1/cluster/nodes | jq length) == 2 ]]
}

[[ -f $JAR ]] || { fail setup "no $JAR (mvn -B -q package -DskipTests)"; exit 1; }
pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || { fail setup "PostgreSQL does not answer at $PG_HOST:$PG_PORT"; exit 1; }
psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "CREATE DATABASE $DB" >/dev/null ||
    { fail setup "could not create database $DB"; exit 1; }
start_db_relay || { fail setup "the database relay did not start"; exit 1; }
log "database $DB, work directory $WORK"

check "the first node of an empty database founds the cluster" first_node_founds || exit 1
check "node-2 (no token) and node-3 (join token) start" others_join || exit 1
check "node-2 asks, runs no cluster job, and is a member seconds after node-1 accepts it" asking_node_waits_until_accepted
check "node-3 joined with its token; node-3 sees three online members" token_node_is_member
check "node-1's REST shows all three nodes' live samples (dataplane up, sampled within 3 s)" live_samples_on_every_node
[[ ${CLUSTER_E2E_CONSOLE:-1} == 0 ]] ||
    check "node-1's dashboard shows the three nodes live and its Nodes page lists them (Playwright)" \
        console_shows_three_live_nodes
check "objects created through node-1 for node-2 and node-3 are made real by them" objects_for_other_nodes
if [[ ${CLUSTER_E2E_GUEST:-1} == 1 ]]; then
    check "the Linux initiator sees one subsystem through node-2 and node-3, with distinct CNTLIDs" \
        linux_host_through_two_nodes
fi
check "the heartbeat judgement ran once per period across the three nodes" jobs_once_per_cluster
idle_database_load
check "kill -9 of node-3 is OFFLINE with an event on node-1 within 10 s, and it comes back ($KILLS times)" \
    killed_node_goes_offline_and_comes_back
check "while the database is away the nodes serve and refuse changes clearly; when it is back all works again" \
    database_outage
check "a running member cannot be removed; stopped, it is" remove_nodes
