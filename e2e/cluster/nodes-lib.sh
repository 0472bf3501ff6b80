# Shared by the multi-node end-to-end scripts (cluster-e2e.sh, ../ha/ha-e2e.sh), sourced after they set:
#   WORK (a directory for logs and data), JAR, START_LIMIT, PG_HOST, PG_PORT, PG_USER, DB, ADMIN_PASSWORD,
#   HERE (e2e/cluster), and `declare -A PID HTTP NVME` (per node: process, HTTP port, NVMe/TCP port).
# NODE_ARGS[name] (optional) adds command-line arguments to that node's java command; log() is the caller's.
declare -A NODE_ARGS
# Any TCP socket on the port counts, not only a listener: a node's outgoing connection (to the database
# relay, say) holds its local port too, and a listener could not bind there. Below 32768, Linux's
# ephemeral range, so no outgoing connection takes the port after it was chosen.
port_in_use() { ss -Htan "sport = :$1" | grep -q .; }
free_port() {
    local port tries=200
    while ((tries-- > 0)); do
        port=$((20000 + RANDOM % 12000))
        port_in_use "$port" || { echo "$port"; return 0; }
    done
    return 1
}
sql() { psql -qtA -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB" -c "$1"; }

# --- nodes ----------------------------------------------------------------------------------------
# start_node NAME [JOIN_TOKEN]: starts it in the background (ports chosen once per node and kept).
start_node() {
    local name=$1 token=${2:-}
    [[ -n ${HTTP[$name]:-} ]] || { HTTP[$name]=$(free_port); NVME[$name]=$(free_port); }
    mkdir -p "$WORK/$name"
    SPRING_PROFILES_ACTIVE=postgres WINDROSE_DB_URL="jdbc:postgresql://127.0.0.1:$DB_RELAY_PORT/$DB" \
        WINDROSE_DB_USER=$PG_USER WINDROSE_NODE_ID=$name WINDROSE_NODE_NAME=$name \
        WINDROSE_CLUSTER_JOIN_TOKEN=$token WINDROSE_DATA_DIR="$WORK/$name/data" \
        WINDROSE_INITIAL_ADMIN_PASSWORD=$ADMIN_PASSWORD \
        WINDROSE_DATAPLANE_TARGET_LISTEN_PORT=${NVME[$name]} \
        "$JAVA_HOME/bin/java" -Xmx512m -jar "$JAR" --server.port="${HTTP[$name]}" --server.address=127.0.0.1 \
        ${NODE_ARGS[$name]:-} \
        >>"$WORK/$name/app.log" 2>&1 &
    PID[$name]=$!
}

wait_ready() { # wait_ready NAME
    local name=$1 until=$((SECONDS + START_LIMIT))
    while ((SECONDS < until)); do
        curl -sf "http://127.0.0.1:${HTTP[$name]}/actuator/health/readiness" >/dev/null 2>&1 && return 0
        kill -0 "${PID[$name]}" 2>/dev/null || { log "$name exited"; tail -30 "$WORK/$name/app.log" >&2; return 1; }
        sleep 1
    done
    log "$name not ready within $START_LIMIT s"; tail -30 "$WORK/$name/app.log" >&2
    return 1
}

# api NODE METHOD PATH [JSON]: the answer on stdout; a non-2xx answer fails with the problem shown.
api() {
    local node=$1 method=$2 path=$3 body=${4:-} out status
    out=$(curl -sS -X "$method" -H "Authorization: Bearer ${TOKEN:-}" -H 'Content-Type: application/json' \
        ${body:+-d "$body"} -w '\n%{http_code}' "http://127.0.0.1:${HTTP[$node]}$path") || return 1
    status=${out##*$'\n'}
    out=${out%$'\n'*}
    [[ $status == 2* ]] || { log "$node $method $path answered $status: $out"; return 1; }
    echo "$out"
}

# api_status NODE METHOD PATH [JSON]: "STATUS BODY" whatever the status (for refusals a step expects).
api_status() {
    local node=$1 method=$2 path=$3 body=${4:-} out
    out=$(curl -sS -X "$method" -H "Authorization: Bearer ${TOKEN:-}" -H 'Content-Type: application/json' \
        ${body:+-d "$body"} -w '\n%{http_code}' "http://127.0.0.1:${HTTP[$node]}$path") || return 1
    echo "${out##*$'\n'} ${out%$'\n'*}"
}

# The nodes reach PostgreSQL through a relay the test can kill (the database is away) and start again.
DB_RELAY_PORT='' DB_RELAY_PID=''
start_db_relay() {
    [[ -n $DB_RELAY_PORT ]] || DB_RELAY_PORT=$(free_port)
    python3 "$HERE/tcp-proxy.py" "$DB_RELAY_PORT" "$PG_PORT" 2>>"$WORK/db-relay.log" &
    DB_RELAY_PID=$!
    local until=$((SECONDS + 10))
    until listening "$DB_RELAY_PORT" || ((SECONDS > until)); do sleep 0.1; done
    listening "$DB_RELAY_PORT"
}

# nvme_answers PORT: an NVMe/TCP ICReq to 127.0.0.1:PORT is answered with an ICResp (the dataplane serves).
nvme_answers() {
    python3 - "$1" <<'PY'
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(struct.pack("<BBBBI", 0x00, 0, 128, 0, 128) + bytes(120))  # ICReq: PFV 0, no digests
answer = b""
while len(answer) < 128:
    chunk = s.recv(128 - len(answer))
    if not chunk:
        break
    answer += chunk
sys.exit(0 if len(answer) == 128 and answer[0] == 0x01 else 1)
PY
}

listening() { ss -Hltn "sport = :$1" | grep -q .; } # listening PORT: something listens on 127.0.0.1:PORT

node_field() { # node_field ON NAME FIELD: a field of node NAME as ON's REST shows it
    api "$1" GET /api/v1/cluster/nodes | jq -r --arg n "$2" ".[] | select(.name == \$n) | .$3"
}

