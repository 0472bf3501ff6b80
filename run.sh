#!/usr/bin/env bash
# Builds everything (Java, the Vaadin frontend, the C dataplane library) and starts the Windrose
# console on http://localhost:8080 with an embedded H2 database in ./data (WINDROSE_DATA_DIR).
#
#   ./run.sh                 build, then start
#   ./run.sh --no-build      start the jar built last time
#   ./run.sh -- ARGS...      pass ARGS to the application (e.g. -- --server.port=9090)
set -euo pipefail
source "$(dirname "$0")/.ci/env.sh"
cd "$WR_ROOT"

build=1
app_args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--no-build) build=0 ;;
	--) shift; app_args=("$@"); break ;;
	-h|--help) sed -n '2,9p' "$0"; exit 0 ;;
	*) wr_die "unknown option '$1' (see ./run.sh --help)" ;;
	esac
	shift
done

wr_setup_build
if [ "$build" = 1 ]; then
	wr_log "building (mvn package -DskipTests) ..."
	mvn -B -q package -DskipTests
fi
[ -f target/windrose.jar ] || wr_die "target/windrose.jar is missing: run ./run.sh without --no-build"

data_dir="${WINDROSE_DATA_DIR:-$WR_ROOT/data}"
mkdir -p "$data_dir"
wr_log "starting Windrose on http://localhost:${SERVER_PORT:-8080} (data in $data_dir)"
exec java --enable-native-access=ALL-UNNAMED -jar target/windrose.jar \
	--windrose.data-dir="$data_dir" "${app_args[@]}"
