#!/bin/sh
# wr-bench end to end against the fake target (a test double): a verify pass must succeed, a short
# timed run must report completions, and corrupted data digests must make wr-bench fail.
set -eu
bench=$1
fake=$2
dir=$(mktemp -d)
trap 'kill $fpid 2>/dev/null || true; rm -rf "$dir"' EXIT

# Generous bounds, not timings: on a loaded CI machine (2 cores, parallel builds) starting the fake
# and the passes below can take many times longer than on an idle one.
start_fake() {
	"$fake" 180 "$@" > "$dir/port" &
	fpid=$!
	for i in $(seq 1 300); do
		[ -s "$dir/port" ] && break
		sleep 0.1
	done
	port=$(awk '{print $2}' "$dir/port")
	[ -n "$port" ] || { echo "fake target did not start"; exit 1; }
}

start_fake
"$bench" --addr 127.0.0.1 --port "$port" --nqn nqn.test:fake --verify --verify-mib 8 --io-size 64k \
	--qd 8 --queues 2 --hdgst --ddgst --json "$dir/verify.json"
grep -q '"mismatches": 0' "$dir/verify.json"
grep -q '"verify_blocks": 16384' "$dir/verify.json"
"$bench" --addr 127.0.0.1 --port "$port" --nqn nqn.test:fake --verify --verify-mib 2 --io-size 4k \
	--qd 4 --queues 3 --poll epoll --json "$dir/verify-epoll.json"
grep -q '"verify_blocks": 4096' "$dir/verify-epoll.json"
# --fill writes every block of the namespace (the fake target has 65536 blocks of 512 bytes)
"$bench" --addr 127.0.0.1 --port "$port" --nqn nqn.test:fake --fill --io-size 128k --qd 4 \
	--json "$dir/fill.json"
grep -q '"write_ops": 256,' "$dir/fill.json"
grep -q '"read_ops": 0,' "$dir/fill.json"
"$bench" --addr 127.0.0.1 --port "$port" --nqn nqn.test:fake --workload mixed --read-pct 50 \
	--io-size 4k --qd 4 --duration 0.5 --json "$dir/run.json"
ops=$(sed -n 's/.*"ops": \([0-9]*\),.*/\1/p' "$dir/run.json")
[ "$ops" -gt 0 ] || { echo "no completions in the timed run"; exit 1; }
# latency percentiles are ordered and bounded by the maximum
figures=$(sed -n 's/.*"lat_us": {"avg": \([0-9.]*\), "p50": \([0-9.]*\), "p99": \([0-9.]*\), "p99_9": \([0-9.]*\), "max": \([0-9.]*\)}.*/\1 \2 \3 \4 \5/p' \
	"$dir/run.json")
[ -n "$figures" ] || { echo "no latency figures in the JSON"; exit 1; }
echo "$figures" | awk '{ if (!($2 > 0 && $2 <= $3 && $3 <= $4 && $4 <= $5 && $1 <= $5)) { print "bad latency figures: " $0; exit 1 } }'
grep -q '"read_ops": [1-9]' "$dir/run.json" && grep -q '"write_ops": [1-9]' "$dir/run.json" ||
	{ echo "mixed run without both reads and writes"; exit 1; }
kill $fpid; wait $fpid 2>/dev/null || true

start_fake digest-corrupt
if "$bench" --addr 127.0.0.1 --port "$port" --nqn nqn.test:fake --verify --verify-mib 1 --ddgst; then
	echo "wr-bench accepted corrupted data digests"
	exit 1
fi
echo "bench_against_fake: ok"
