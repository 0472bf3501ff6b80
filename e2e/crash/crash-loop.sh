#!/usr/bin/env bash
# Crash loop (issue 13): a change the API acknowledged survives a kill -9 of the console, and after the
# restart the database, the volume files and the disk pool's on-disk map agree.
#
# For each database (H2 in the data directory; PostgreSQL at 127.0.0.1:5432 in a database of its own):
#   1. target/windrose.jar starts on a free port with a fresh data directory; a directory pool, a disk
#      pool on a lab disk and a subsystem are made through REST.
#   2. Each cycle: a loop creates volumes in both pools, attaches every third as a namespace and deletes
#      every fifth unattached one again, writing down each change that answered 2xx; the console is
#      killed with kill -9 at a random moment of that loop and started again on the same data.
#   3. After every restart: every acknowledged change is there (the volume, the namespace, the audit
#      entry; an acknowledged delete is gone), every volume file in the pool directory and every entry
#      of the disk pool's map belongs to a volume the API lists and the other way round, and each file
#      the start-up check moved to .orphaned/ has its event.
# It prints, per database: cycles, acknowledged changes, lost (must be 0), orphans found by the
# start-up check; it exits non-zero when anything acknowledged was lost or anything is left orphaned.
#
#   e2e/crash/crash-loop.sh [--cycles N] [--databases h2,postgres] [--h2-write-delay MS]
#
# --h2-write-delay runs H2 with that WRITE_DELAY instead of the configured 0, to show what the loop
# catches (500 is H2's default, what Windrose ran with before issue 13).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${WINDROSE_JAR:-$ROOT/target/windrose.jar}
CYCLES=${WINDROSE_CRASH_CYCLES:-20}
DATABASES=${WINDROSE_CRASH_DATABASES:-h2,postgres}
H2_WRITE_DELAY=""
while [ $# -gt 0 ]; do
	case "$1" in
	--cycles) CYCLES=$2; shift ;;
	--databases) DATABASES=$2; shift ;;
	--h2-write-delay) H2_WRITE_DELAY=$2; shift ;;
	-h|--help) sed -n '2,23p' "$0"; exit 0 ;;
	*) echo "unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PG_ADMIN_URL=${WINDROSE_CRASH_PG:-postgresql://postgres@127.0.0.1:5432/test}
SUBNQN=nqn.2026-12.dev.windrose.crash:loop

log() { printf '\033[1m[crash-loop]\033[0m %s\n' "$*" >&2; }
[ -f "$JAR" ] || { log "no $JAR: build it with mvn -B -q package -DskipTests"; exit 1; }

free_port() {
	local port
	for _ in $(seq 200); do
		port=$((20000 + RANDOM % 30000))
		ss -Hltn "sport = :$port" | grep -q . || { echo "$port"; return 0; }
	done
	return 1
}

# api METHOD PATH [BODY]: prints the body; 0 on 2xx, 1 on another status, 2 when the console did not answer.
api() {
	local out code
	out=$(curl -sS -m 60 -X "$1" -H "Authorization: Bearer ${TOKEN:-}" -H 'Content-Type: application/json' \
		${3:+-d "$3"} -w '\n%{http_code}' "$BASE$2" 2>/dev/null) || return 2
	code=${out##*$'\n'}
	printf '%s' "${out%$'\n'*}"
	[[ $code == 2* ]] || return 1
}

# paged PATH JQ: every item of a paged list (500 a page) through the jq filter, one line each.
paged() {
	local page=0 body sep='?'
	[[ $1 != *\?* ]] || sep='&'
	while :; do
		body=$(api GET "$1${sep}page=$page&size=500") || return 1
		jq -r "$2" <<<"$body"
		[ "$(jq '(.items // .entries) | length' <<<"$body")" -eq 500 ] || return 0
		page=$((page + 1))
	done
}

start_console() { # $1: label of this start
	local env=(WINDROSE_DATA_DIR="$WORK/data" WINDROSE_INITIAL_ADMIN_PASSWORD="$PASSWORD")
	local args=(--server.port="$HTTP_PORT" --server.address=127.0.0.1 --windrose.dataplane.target.listen-port=0
		--windrose.telemetry.enabled=false)
	if [ "$DB" = postgres ]; then
		env+=(SPRING_PROFILES_ACTIVE=postgres WINDROSE_DB_URL="jdbc:postgresql://127.0.0.1:5432/$PG_DB"
			WINDROSE_DB_USER=postgres)
	elif [ -n "$H2_WRITE_DELAY" ]; then
		args+=(--spring.datasource.url="jdbc:h2:file:$WORK/data/windrose;AUTO_SERVER=FALSE;WRITE_DELAY=$H2_WRITE_DELAY")
	fi
	env "${env[@]}" "$JAVA" -Xmx512m -XX:TieredStopAtLevel=1 "${AOT[@]}" -jar "$RUN_JAR" "${args[@]}" >>"$WORK/console.log" 2>&1 &
	PID=$!
	local deadline=$((SECONDS + 600))
	while [ $SECONDS -lt $deadline ]; do
		curl -sf "$BASE/actuator/health/readiness" >/dev/null 2>&1 && return 0
		kill -0 "$PID" 2>/dev/null || { log "$1: the console exited; see $WORK/console.log"; return 1; }
		sleep 0.3
	done
	log "$1: the console was not ready within 600 s"
	return 1
}

set_up() {
	TOKEN=$(api POST /api/v1/auth/tokens "{\"username\":\"admin\",\"password\":\"$PASSWORD\",\"name\":\"crash\",\"expiresInDays\":1}" |
		jq -r .secret) && [[ $TOKEN == wr_* ]] || return 1
	mkdir -p "$POOL_DIR"
	DIR_POOL=$(api POST /api/v1/pools "{\"name\":\"crash-files\",\"type\":\"DIRECTORY\",\"directory\":\"$POOL_DIR\",\"overcommitPercent\":1000}" | jq -r .id) &&
		DISK=$(api POST /api/v1/disks '{"name":"crash-disk","sizeBytes":4294967296}' | jq -r .id) &&
		DISK_FILE=$(api GET "/api/v1/disks/$DISK" | jq -r .devicePath) &&
		DISK_POOL=$(api POST /api/v1/pools "{\"name\":\"crash-disks\",\"type\":\"DISK\",\"diskIds\":[$DISK]}" | jq -r .id) &&
		SUB=$(api POST /api/v1/subsystems "{\"nqn\":\"$SUBNQN\",\"allowAnyHost\":true}" | jq -r .id) &&
		[[ $DIR_POOL =~ ^[0-9]+$ && $DISK_POOL =~ ^[0-9]+$ && $SUB =~ ^[0-9]+$ && -f $DISK_FILE ]]
}

# One cycle's writes until the console stops answering. "try" lines are written before a request (it
# may or may not have committed when the answer is lost), the change itself only after its 2xx.
load() { # $1: cycle
	local i=0 name pool id
	while :; do
		i=$((i + 1))
		name="c$1-$i"
		pool=$((i % 2 == 0 ? DIR_POOL : DISK_POOL))
		id=$(api POST /api/v1/volumes "{\"name\":\"$name\",\"poolId\":$pool,\"sizeBytes\":1048576}")
		case $? in 0) ;; 2) return ;; *) continue ;; esac
		id=$(jq -r .id <<<"$id")
		echo "create $name" >>"$WORK/acked"
		if [ $((i % 3)) -eq 0 ]; then
			api POST "/api/v1/subsystems/$SUB/namespaces" "{\"volumeId\":$id}" >/dev/null
			case $? in 0) echo "attach $name" >>"$WORK/acked" ;; 2) return ;; esac
		elif [ $((i % 5)) -eq 0 ]; then
			echo "try-delete $name" >>"$WORK/acked"
			api DELETE "/api/v1/volumes/$id" >/dev/null
			case $? in 0) echo "delete $name" >>"$WORK/acked" ;; 2) return ;; esac
		fi
	done
}

# Returns at a random moment of the loop, while it writes: after 1 to 8 more acknowledged changes (so
# that every cycle has some, however slow the machine), plus 0 to 0.5 s, which lands the kill anywhere
# from between two requests to the middle of one.
kill_at_random_moment() {
	local before want deadline=$((SECONDS + 120))
	before=$(wc -l <"$WORK/acked")
	want=$((before + 1 + RANDOM % 8))
	while [ "$(wc -l <"$WORK/acked")" -lt "$want" ] && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
	sleep "0.$((RANDOM % 5))$((RANDOM % 10))"
}

# Compares what the API and the disks say with every acknowledged change; adds to LOST and ORPHANED.
verify() { # $1: label
	local label=$1 v="$WORK/verify" lost orphaned
	mkdir -p "$v"
	paged /api/v1/volumes '.items[] | [.name, .uuid, .poolType, (.backingPath // "")] | @tsv' >"$v/volumes" || { log "$label: cannot list volumes"; return 1; }
	api GET "/api/v1/subsystems/$SUB" | jq -r '.namespaces[].volumeName' >"$v/namespaces" || { log "$label: cannot read the subsystem"; return 1; }
	paged /api/v1/audit '.entries[] | [.action, (.target // ""), (.detail // "")] | @tsv' >"$v/audit" || { log "$label: cannot read the audit log"; return 1; }
	paged /api/v1/events '.items[] | select(.rule == "STORAGE_DISCREPANCY") | .message' >"$v/events" || { log "$label: cannot read the events"; return 1; }
	# Every acknowledged change, checked against the volumes, namespaces and audit entries now listed.
	lost=$(awk -F'\t' -v out="$v/lost" '
		FILENAME ~ /volumes$/ { vol[$1] = 1; next }
		FILENAME ~ /namespaces$/ { ns[$1] = 1; next }
		FILENAME ~ /audit$/ { if ($1 == "NAMESPACE_ADDED") { sub(/.*: volume /, "", $3); audit["NAMESPACE_ADDED " $3] = 1 } else audit[$1 " " $2] = 1; next }
		{ split($0, f, " "); kind = f[1]; name = f[2]; seen[NR] = kind " " name; if (kind == "try-delete") trydel[name] = 1; if (kind == "delete") del[name] = 1 }
		END {
			n = 0
			for (i in seen) {
				split(seen[i], f, " "); kind = f[1]; name = f[2]; bad = ""
				if (kind == "create") { if (!(name in vol) && !(name in trydel)) bad = "volume missing"; else if (!(("VOLUME_CREATED " name) in audit)) bad = "audit entry missing" }
				else if (kind == "attach") { if (!(name in ns)) bad = "namespace missing"; else if (!(("NAMESPACE_ADDED " name) in audit)) bad = "audit entry missing" }
				else if (kind == "delete") { if (name in vol) bad = "deleted volume is back"; else if (!(("VOLUME_DELETED " name) in audit)) bad = "audit entry missing" }
				if (bad != "") { n++; print kind " " name ": " bad > out }
			}
			print n
		}' "$v/volumes" "$v/namespaces" "$v/audit" "$WORK/acked")
	[ "$lost" -eq 0 ] || { log "$label: LOST $lost acknowledged changes:"; head -20 "$v/lost" >&2; }
	# Files and map entries against the volumes the API lists, both ways.
	awk -F'\t' '$3 == "DIRECTORY" { print $4 }' "$v/volumes" | sort >"$v/owned-files"
	find "$POOL_DIR" -maxdepth 1 -type f -name '*.img' | sort >"$v/files"
	awk -F'\t' '$3 == "DISK" { print $2 }' "$v/volumes" | sort >"$v/owned-entries"
	"$JAVA" -cp "$WORK/classes" "$ROOT/e2e/crash/ReadPoolMap.java" "$DISK_FILE" | sort >"$v/entries" || { log "$label: cannot read the pool map"; return 1; }
	orphaned=0
	for pair in "files owned-files file" "entries owned-entries map entry"; do
		set -- $pair
		local extra missing
		extra=$(comm -23 "$v/$1" "$v/$2") missing=$(comm -13 "$v/$1" "$v/$2")
		[ -z "$extra" ] || { log "$label: orphan ${*:3} the database does not know: $extra"; orphaned=$((orphaned + $(wc -l <<<"$extra"))); }
		[ -z "$missing" ] || { log "$label: ${*:3} missing for a known volume: $missing"; orphaned=$((orphaned + $(wc -l <<<"$missing"))); }
	done
	# Each quarantined file was reported by an event.
	for f in "$POOL_DIR/.orphaned"/*.img; do
		[ -e "$f" ] || continue
		grep -qF "$(basename "$f")" "$v/events" || { log "$label: $f was quarantined without an event"; orphaned=$((orphaned + 1)); }
	done
	LOST=$((LOST + lost)) ORPHANED=$((ORPHANED + orphaned))
	FOUND_FILES=$(find "$POOL_DIR/.orphaned" -type f 2>/dev/null | wc -l)
	FOUND_ENTRIES=$(grep -c '^Orphan map entry' "$v/events")
	FOUND_OTHER=$(grep -vc '^Orphan ' "$v/events")
	return 0
}

run_database() {
	DB=$1
	WORK="$ROOT/target/crash-loop/$DB${H2_WRITE_DELAY:+-write-delay-$H2_WRITE_DELAY}"
	rm -rf "$WORK" && mkdir -p "$WORK/classes"
	(cd "$WORK/classes" && unzip -q "$JAR" 'BOOT-INF/classes/dev/windrose/storage/internal/*' && mv BOOT-INF/classes/* . && rm -rf BOOT-INF) || return 1
	# Under the data directory's pools/, which the console always allows for directory pools.
	POOL_DIR="$WORK/data/pools/crash"
	PASSWORD="crash $(cat /proc/sys/kernel/random/uuid)"
	HTTP_PORT=$(free_port) || return 1
	BASE="http://127.0.0.1:$HTTP_PORT"
	TOKEN="" LOST=0 ORPHANED=0 FOUND_FILES=0 FOUND_ENTRIES=0 FOUND_OTHER=0
	: >"$WORK/acked"
	if [ "$DB" = postgres ]; then
		PG_DB="wr_crash_$$_$RANDOM"
		psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE $PG_DB" || { log "cannot create database $PG_DB at $PG_ADMIN_URL"; return 1; }
	fi
	log "$DB: $CYCLES cycles in $WORK${H2_WRITE_DELAY:+ (H2 WRITE_DELAY=$H2_WRITE_DELAY)}"
	local ok=0 cycle started=$SECONDS
	if start_console "$DB start" && set_up; then
		ok=1
		for cycle in $(seq "$CYCLES"); do
			load "$cycle" &
			local loader=$!
			kill_at_random_moment
			kill -9 "$PID"
			wait "$PID" 2>/dev/null
			wait "$loader"
			start_console "$DB cycle $cycle" || { ok=0; break; }
			verify "$DB cycle $cycle" || { ok=0; break; }
			log "$DB cycle $cycle: $(grep -cv '^try-' "$WORK/acked") acknowledged so far, lost $LOST, orphans found $((FOUND_FILES + FOUND_ENTRIES)), left orphaned $ORPHANED"
		done
	fi
	kill -9 "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	[ "$DB" != postgres ] || psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" || true
	local acked
	acked=$(grep -cv '^try-' "$WORK/acked")
	RESULTS+=("$DB: cycles $([ $ok = 1 ] && echo "$CYCLES" || echo "${cycle:-0} (aborted)"), acknowledged changes $acked, lost $LOST, orphans found at start-up $((FOUND_FILES + FOUND_ENTRIES)) ($FOUND_FILES files moved to .orphaned/, $FOUND_ENTRIES map entries dropped; $FOUND_OTHER other findings), left orphaned $ORPHANED, $((SECONDS - started)) s")
	[ $ok = 1 ] && [ "$LOST" -eq 0 ] && [ "$ORPHANED" -eq 0 ]
}

# The loop starts the console 2 x (cycles + 1) times: it runs from the jar extracted with an ahead-of-time
# cache (JDK 25, JEP 483/514) trained by one start, which starts it markedly faster; the same application.
# If that cannot be made, or WINDROSE_CRASH_AOT=false, it runs the jar as it is.
prepare_aot() {
	local dir="$ROOT/target/crash-loop/aot-$$" port
	RUN_JAR=$JAR AOT=()
	[ "${WINDROSE_CRASH_AOT:-true}" = true ] || return 0
	rm -rf "$dir" && mkdir -p "$dir" || return 0
	"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$dir/app" >/dev/null 2>&1 || { log "no AOT cache: cannot extract $JAR"; return 0; }
	port=$(free_port) || return 0
	log "training the AOT cache (one start of the console)"
	if WINDROSE_DATA_DIR="$dir/data" "$JAVA" -Xmx512m -XX:TieredStopAtLevel=1 -XX:AOTCacheOutput="$dir/app.aot" \
		-Dspring.context.exit=onRefresh -jar "$dir/app/$(basename "$JAR")" --server.port="$port" \
		--server.address=127.0.0.1 --windrose.dataplane.target.listen-port=0 --windrose.telemetry.enabled=false \
		>"$dir/training.log" 2>&1 && [ -f "$dir/app.aot" ]; then
		RUN_JAR="$dir/app/$(basename "$JAR")" AOT=(-XX:AOTCache="$dir/app.aot")
	else
		log "no AOT cache (see $dir/training.log): the console starts from the jar"
	fi
}

RESULTS=()
failed=0
prepare_aot
for db in ${DATABASES//,/ }; do
	run_database "$db" || failed=1
done
rm -rf "$ROOT/target/crash-loop/aot-$$"
for line in "${RESULTS[@]}"; do log "$line"; done
exit $failed
