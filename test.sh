#!/usr/bin/env bash
# Runs every Windrose test and exits non-zero if any fails:
#   c-unit        the dataplane's CTest suite (cmocka unit tests, loopback integration tests)
#   c-sanitizers  the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer (clang)
#   fuzz          the libFuzzer receive-path target for a bounded time (WINDROSE_FUZZ_SECONDS, 60)
#   java          mvn verify: unit, slice and @SpringBootTest tests, the PostgreSQL suite
#   e2e           Playwright in Debian's Chromium against the packaged jar
#   interop       the Linux kernel NVMe/TCP initiator in QEMU against the standalone target
#   fabric-e2e    the packaged console exports a volume over REST; the kernel initiator in QEMU uses it across a restart
#   crash-loop    kill -9 of the packaged console at random moments of a REST write loop, on H2 and PostgreSQL:
#                 nothing acknowledged is lost, nothing is left orphaned (WINDROSE_CRASH_CYCLES, 20)
#   cluster-e2e   three packaged nodes on one PostgreSQL: join, accept, join token, once-per-cluster jobs, kill -9
#   ha-e2e        a mirrored volume on two packaged nodes: the kernel initiator in QEMU with native multipath writes
#                 and verifies while the active node is killed (kill -9) and restarted, and the database goes away
#   bench-smoke   a one-second run of the benchmark matrix (proves the benchmark works; no numbers judged)
#
#   ./test.sh                    everything
#   ./test.sh --only java,e2e    just those steps
#   ./test.sh --skip interop     everything but those
#
# The PostgreSQL suite runs against 127.0.0.1:5432 and is skipped loudly when the server is not
# reachable, unless WINDROSE_REQUIRE_POSTGRES=true (as in .ci/run).
set -uo pipefail
source "$(dirname "$0")/.ci/env.sh"
cd "$WR_ROOT"

ALL_STEPS=(c-unit c-sanitizers fuzz java e2e interop fabric-e2e crash-loop cluster-e2e ha-e2e bench-smoke)
only="" skip=""
while [ $# -gt 0 ]; do
	case "$1" in
	--only) only="$2"; shift ;;
	--skip) skip="$2"; shift ;;
	-h|--help) sed -n '2,22p' "$0"; exit 0 ;;
	*) wr_die "unknown option '$1' (see ./test.sh --help)" ;;
	esac
	shift
done

selected() { # step name -> 0 when it should run
	local s=",$1,"
	if [ -n "$only" ]; then [[ ",$only," == *"$s"* ]] || return 1; fi
	if [ -n "$skip" ]; then [[ ",$skip," == *"$s"* ]] && return 1; fi
	return 0
}

for s in ${only//,/ } ${skip//,/ }; do
	[[ " ${ALL_STEPS[*]} " == *" $s "* ]] || wr_die "unknown step '$s' (steps: ${ALL_STEPS[*]})"
done

wr_setup_test
set -e
export WR_BUILD_DIR="$WR_ROOT/dataplane-native/build-test"
export WR_ASAN_BUILD_DIR="$WR_ROOT/dataplane-native/build-asan"
set +e

step_c_unit() {
	cmake -S dataplane-native -B "$WR_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
		cmake --build "$WR_BUILD_DIR" -j2 &&
		(cd "$WR_BUILD_DIR" && ctest --output-on-failure)
}

step_c_sanitizers() {
	CC=clang cmake -S dataplane-native -B "$WR_ASAN_BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DWR_SANITIZE=ON >/dev/null &&
		cmake --build "$WR_ASAN_BUILD_DIR" -j2 &&
		(cd "$WR_ASAN_BUILD_DIR" &&
			ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
				ctest --output-on-failure)
}

step_fuzz() {
	dataplane-native/fuzz/run.sh "${WINDROSE_FUZZ_SECONDS:-60}"
}

step_java() {
	# The generated-script tests fail, not skip, when shellcheck or BusyBox is missing here.
	WINDROSE_REQUIRE_SHELL_TOOLS=true mvn -B verify
}

step_e2e() {
	[ -f target/windrose.jar ] || mvn -B -q package -DskipTests || return 1
	(cd e2e && npm ci --no-audit --no-fund && WINDROSE_JAR="$WR_ROOT/target/windrose.jar" npm test)
}

step_interop() {
	[ -x "$WR_BUILD_DIR/wr-target" ] || step_c_unit || return 1
	dataplane-native/tests/interop/run.sh
}

step_fabric_e2e() {
	[ -f target/windrose.jar ] || mvn -B -q package -DskipTests || return 1
	e2e/guest/fabric-e2e.sh
}

step_crash_loop() {
	[ -f target/windrose.jar ] || mvn -B -q package -DskipTests || return 1
	e2e/crash/crash-loop.sh
}

step_cluster_e2e() {
	[ -f target/windrose.jar ] || mvn -B -q package -DskipTests || return 1
	e2e/cluster/cluster-e2e.sh
}

step_ha_e2e() {
	[ -f target/windrose.jar ] || mvn -B -q package -DskipTests || return 1
	e2e/ha/ha-e2e.sh
}

step_bench_smoke() {
	[ -x "$WR_BUILD_DIR/wr-target" ] || step_c_unit || return 1
	bench/run.sh --smoke
}

passed=() failed=()
for step in "${ALL_STEPS[@]}"; do
	selected "$step" || continue
	wr_log "=== $step ==="
	start=$SECONDS
	"step_${step//-/_}"
	rc=$?
	if [ $rc -eq 0 ]; then
		passed+=("$step")
		wr_log "=== $step passed in $((SECONDS - start)) s ==="
	else
		failed+=("$step")
		wr_log "=== $step FAILED (exit $rc) after $((SECONDS - start)) s ==="
	fi
done

echo
echo "steps passed: ${passed[*]:-none}"
echo "steps failed: ${failed[*]:-none}"
echo "test.sh: ${#passed[@]} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
