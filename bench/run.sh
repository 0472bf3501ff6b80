#!/usr/bin/env bash
# bench/run.sh - Windrose data-path benchmark: wr-target (busy mode, pinned to one core) against
# wr-bench (pinned to the other) on loopback with a RAM namespace; loopback TCP bandwidth from
# iperf3 in the same run for comparison; the adaptive-mode idle CPU check.
#
#   bench/run.sh                 full matrix, 10 s x 5 repetitions (about 5 minutes)
#   bench/run.sh --smoke         1 s x 1, small matrix: proves it still works (CI, < 1 minute)
#   bench/run.sh --duration 5 --reps 5 --only randread-4k-qd32
#
# Options: --duration S, --reps N, --only NAME[,NAME], --build-dir DIR (default
# dataplane-native/build, or $WR_BUILD_DIR), --target-cpu N (0), --bench-cpu N (1), --port P,
# --idle-seconds S (adaptive idle check, 5; 0 skips), --no-iperf, --out FILE, --hdgst, --ddgst,
# --note TEXT (recorded in the history line), --nice N (run target and wr-bench at this nice
# level, e.g. -19, so other work on a shared machine disturbs the measurement less; with the
# kernel's autogroups on, kernel.sched_autogroup_enabled=1, a nice level counts only against
# processes of the same session, so both are started in a session of their own (setsid) whose
# autogroup gets the same nice level: other sessions' work then yields to them, needs root), --mode
# busy|adaptive (the target's mode for the matrix, busy by default; in busy mode the target burns
# its core whatever the load, so its CPU per I/O is just 1/IOPS; adaptive shows what I/O costs),
# --epoll-interval N (wr-target's busy-mode epoll cadence, default 16; 1 = epoll_wait every loop
# iteration, the behaviour before it existed; recorded in the history line).
# WR_BENCH_KEEP=1 keeps the work directory (logs); WR_TARGET / WR_BENCH override the binaries.
# Results: bench/results/<UTC time>.json (everything) and one line appended to
# bench/results/history.jsonl (medians), plus a table on stdout. Exit status 0 unless something
# failed to run or the data verify pass found a mismatch; the numbers themselves never fail it
# (a benchmark, not a test).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD_DIR=${WR_BUILD_DIR:-$ROOT/dataplane-native/build}
DURATION=10
REPS=5
ONLY=""
SMOKE=0
TARGET_CPU=0
BENCH_CPU=1
PORT=${WR_BENCH_PORT:-14420}
IDLE_SECONDS=5
IPERF=1
OUT=""
DIGESTS=()
NOTE=""
NICE=0
MODE=busy
EPOLL_INTERVAL=""
NQN=nqn.2026-11.dev.windrose:bench

# name workload io-size qd
MATRIX=(
  "randread-4k-qd1 randread 4k 1"
  "randread-4k-qd32 randread 4k 32"
  "randread-4k-qd128 randread 4k 128"
  "randwrite-4k-qd32 randwrite 4k 32"
  "read-128k-qd16 read 128k 16"
)
SMOKE_MATRIX=("randread-4k-qd32 randread 4k 32" "randwrite-4k-qd32 randwrite 4k 32" "read-128k-qd16 read 128k 16")

die() { echo "bench: ERROR: $*" >&2; exit 2; }
log() { echo "bench: $*" >&2; }

ARGS="$*"
while (($#)); do
  case $1 in
    --smoke) SMOKE=1 ;;
    --duration) DURATION=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --build-dir) BUILD_DIR=$2; shift ;;
    --target-cpu) TARGET_CPU=$2; shift ;;
    --bench-cpu) BENCH_CPU=$2; shift ;;
    --port) PORT=$2; shift ;;
    --idle-seconds) IDLE_SECONDS=$2; shift ;;
    --no-iperf) IPERF=0 ;;
    --out) OUT=$2; shift ;;
    --hdgst) DIGESTS+=(--hdgst) ;;
    --ddgst) DIGESTS+=(--ddgst) ;;
    --note) NOTE=$2; shift ;;
    --nice) NICE=$2; shift ;;
    --mode) MODE=$2; shift ;;
    --epoll-interval) EPOLL_INTERVAL=$2; shift ;;
    -h|--help) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
if ((SMOKE)); then  # smoke defaults; options given explicitly still win
  [[ " $ARGS " == *" --duration "* ]] || DURATION=1
  [[ " $ARGS " == *" --reps "* ]] || REPS=1
  [[ " $ARGS " == *" --idle-seconds "* ]] || IDLE_SECONDS=2
  MATRIX=("${SMOKE_MATRIX[@]}")
fi
[[ $DURATION =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--duration wants seconds"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "--reps wants a positive count"
[[ $NICE =~ ^-?[0-9]+$ ]] || die "--nice wants a nice level (-20..19)"
[[ $MODE == busy || $MODE == adaptive ]] || die "--mode is busy or adaptive"
[[ -z $EPOLL_INTERVAL || $EPOLL_INTERVAL =~ ^[1-9][0-9]*$ ]] || die "--epoll-interval wants a positive count"
TARGET_OPTS=()
[[ -n $EPOLL_INTERVAL ]] && TARGET_OPTS+=(--epoll-interval "$EPOLL_INTERVAL")

SETSID=""
((NICE != 0)) && command -v setsid >/dev/null && SETSID=setsid
WR_TARGET=${WR_TARGET:-$BUILD_DIR/wr-target}
[[ -x $WR_TARGET ]] || WR_TARGET=$(find "$BUILD_DIR" -name wr-target -type f -perm -u+x 2>/dev/null | head -1)
WR_BENCH=${WR_BENCH:-$BUILD_DIR/initiator/wr-bench}
[[ -x ${WR_TARGET:-} ]] || die "wr-target not found under $BUILD_DIR (build dataplane-native first: cmake -S dataplane-native -B $BUILD_DIR && cmake --build $BUILD_DIR)"
[[ -x $WR_BENCH ]] || die "wr-bench not found at $WR_BENCH (build dataplane-native first)"
WR_C2C=${WR_C2C:-$BUILD_DIR/wr-c2c}
[[ -x $WR_C2C ]] || log "wr-c2c not found at $WR_C2C: the CPUs' distance is not recorded (rebuild dataplane-native)"
command -v python3 >/dev/null || die "python3 is needed for the statistics"
if ((IPERF)) && ! command -v iperf3 >/dev/null; then
  log "iperf3 not installed (apt-get install iperf3): loopback bandwidth skipped"
  IPERF=0
fi
NCPU=$(nproc)
if ((NCPU == 1)); then
  log "only one CPU: target and wr-bench share it, the numbers mean little"
  TARGET_CPU=0 BENCH_CPU=0
fi
((TARGET_CPU < NCPU && BENCH_CPU < NCPU)) || die "need CPUs $TARGET_CPU and $BENCH_CPU, have $NCPU"

WORK=$(mktemp -d /tmp/wr-bench.XXXXXX)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
# A smoke run proves the benchmark works; its numbers are not results, so they stay out of
# bench/results (and out of the work tree) unless --out names a file.
if ((SMOKE)) && [[ -z $OUT ]]; then OUT=$(mktemp /tmp/wr-bench-smoke.XXXXXX.json); fi
OUT=${OUT:-$HERE/results/$STAMP.json}
mkdir -p "$(dirname "$OUT")"
TARGET_PID=""
IPERF_PID=""

stop_pid() {  # pid: TERM, then KILL after 5 s; only processes this script started
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}
cleanup() {
  stop_pid "$TARGET_PID"; stop_pid "$IPERF_PID"
  if [[ -n ${WR_BENCH_KEEP:-} ]]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cpu_ticks() {  # utime + stime of pid, in clock ticks (fields 14 and 15 of /proc/PID/stat)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}
page_faults() {  # minor + major page faults of pid (fields 10 and 12 of /proc/PID/stat)
  awk '{ sub(/^.*\) /, ""); print $8 + $10 }' "/proc/$1/stat"
}
# Involuntary context switches of the target's reactor threads: how often the scheduler took the
# busy-polling reactor off its CPU for other work.
reactor_nvcsw() {
  local t n=0 v
  for t in /proc/"$1"/task/*; do
    grep -q '^wr-reactor' "$t/comm" 2>/dev/null || continue
    v=$(awk '/^nonvoluntary_ctxt_switches/ { print $2 }' "$t/status" 2>/dev/null) || continue
    n=$((n + ${v:-0}))
  done
  echo "$n"
}
# Per CPU (target's, wr-bench's): ticks ksoftirqd/N ran, and the softirq and steal ticks of
# /proc/stat. Loopback TCP's receive work runs as a softirq, inline on the sending CPU or, once the
# kernel defers it, in ksoftirqd/N: a thread that competes with the busy-polling reactor for its CPU.
ksoftirqd_ticks() {  # cpu
  local p
  p=$(pgrep -x "ksoftirqd/$1" | head -1)
  [[ -n $p ]] && cpu_ticks "$p" || echo 0
}
cpu_soft_steal() {  # cpu -> "softirq steal" ticks
  awk -v c="cpu$1" '$1 == c { print $8, $9 }' /proc/stat
}
cpu_counters() {  # one line of ksoftirqd/softirq/steal ticks for the target's and wr-bench's CPUs
  local a b
  read -r a b <<<"$(cpu_soft_steal "$TARGET_CPU")"
  local c d
  read -r c d <<<"$(cpu_soft_steal "$BENCH_CPU")"
  echo "$(ksoftirqd_ticks "$TARGET_CPU") $a $b $(ksoftirqd_ticks "$BENCH_CPU") $c $d"
}
# With the kernel's autogroups on (kernel.sched_autogroup_enabled=1), CPU time is shared between
# sessions first and a nice level counts only inside its own session, so --nice alone does not
# make other sessions' builds yield. The target and wr-bench are started in a session of their own
# (setsid) and that session's autogroup gets the nice level too (/proc/PID/autogroup).
AUTOGROUP=0
[[ $(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null) == 1 ]] && AUTOGROUP=1
set_autogroup_nice() {  # pid (started through setsid)
  ((NICE != 0 && AUTOGROUP)) || return 0
  # /proc/PID/autogroup sets the nice level of the autogroup the process is in at that moment:
  # until setsid() has run in the child that is this script's own, so wait for the new session
  local sid=""
  for _ in $(seq 1 100); do
    sid=$(awk '{ sub(/^.*\) /, ""); print $4 }' "/proc/$1/stat" 2>/dev/null) || return 0
    [[ $sid == "$1" ]] && break
    sleep 0.01
  done
  if [[ $sid != "$1" ]]; then
    log "pid $1 did not get a session of its own: autogroup nice level not set"
  elif ! echo "$NICE" >"/proc/$1/autogroup" 2>/dev/null; then
    log "could not set the autogroup nice level of pid $1 to $NICE (needs CAP_SYS_NICE for < 0)"
  fi
}
# Nanoseconds the target's reactor threads ran and waited runnable on a run queue (the first two
# fields of /proc/PID/task/TID/schedstat, summed): the wait is the time others took their CPU.
reactor_sched() {
  local t run=0 wait=0 a b
  for t in /proc/"$1"/task/*; do
    grep -q '^wr-reactor' "$t/comm" 2>/dev/null || continue
    read -r a b _ <"$t/schedstat" || continue
    run=$((run + a)) wait=$((wait + b))
  done
  echo "$run $wait"
}

start_target() {  # mode
  cat >"$WORK/target.conf" <<CONF
reactors 1
mode $1
subsystem $NQN
  allow-any-host
  namespace 1 ram 1G
  listener 127.0.0.1 $PORT
CONF
  $SETSID nice -n "$NICE" taskset -c "$TARGET_CPU" "$WR_TARGET" -c "$WORK/target.conf" -m "$1" --cpu "$TARGET_CPU" \
    "${TARGET_OPTS[@]}" >"$WORK/target.$1.log" 2>&1 &
  TARGET_PID=$!
  set_autogroup_nice "$TARGET_PID"
  # the RAM namespace is populated at start (1-3 s per GiB in huge pages on a VM whose host backs
  # fresh memory on first touch; longer on a loaded machine)
  for _ in $(seq 1 1200); do
    grep -q "wr-target: ready" "$WORK/target.$1.log" 2>/dev/null && return 0
    kill -0 "$TARGET_PID" 2>/dev/null || break
    sleep 0.1
  done
  tail -20 "$WORK/target.$1.log" >&2
  die "wr-target ($1 mode) did not print 'wr-target: ready' within 120 s"
}

# How far apart the target's and wr-bench's CPUs are right now: a cache line's round trip between
# them (wr-c2c, best batch, ns). On a VM the host places the vCPUs and may move them: two vCPUs on
# different L3 caches of the host make the loopback benchmark about half as fast (issue 18).
c2c_ns() {
  [[ -x $WR_C2C ]] || { echo -1; return; }
  local out pid
  $SETSID "$WR_C2C" --seconds 0.3 "$TARGET_CPU" "$BENCH_CPU" >"$WORK/c2c.txt" 2>&1 &
  pid=$!
  set_autogroup_nice "$pid"
  # a best batch over 10 us means no batch ran with both threads on their CPUs: not measured
  if wait "$pid" && out=$(awk '/^c2c best/ && $3 < 10000 { print $3 }' "$WORK/c2c.txt") && [[ -n $out ]]; then
    echo "$out"
  else
    echo -1
  fi
}

run_bench() {  # json-out workload io qd duration
  $SETSID nice -n "$NICE" taskset -c "$BENCH_CPU" "$WR_BENCH" --addr 127.0.0.1 --port "$PORT" --nqn "$NQN" --workload "$2" \
    --io-size "$3" --qd "$4" --queues 1 --duration "$5" --cpu "$BENCH_CPU" "${DIGESTS[@]}" \
    --json "$1" >"$1.log" 2>&1 &
  local pid=$!
  set_autogroup_nice "$pid"
  wait "$pid"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# --- 1. loopback TCP bandwidth (before the target busy-polls a core) ---
if ((IPERF)); then
  IPORT=$((PORT + 1))
  nice -n "$NICE" taskset -c "$TARGET_CPU" iperf3 -s -1 -p "$IPORT" >"$WORK/iperf-server.log" 2>&1 &
  IPERF_PID=$!
  sleep 0.5
  if nice -n "$NICE" taskset -c "$BENCH_CPU" iperf3 -c 127.0.0.1 -p "$IPORT" -t "$( ((SMOKE)) && echo 2 || echo 5)" -J \
      >"$WORK/iperf.json" 2>"$WORK/iperf.err"; then
    log "iperf3 done"
  else
    log "iperf3 failed: $(tail -2 "$WORK/iperf.err")"
    rm -f "$WORK/iperf.json"
  fi
  stop_pid "$IPERF_PID"; IPERF_PID=""
fi

# --- 2. the matrix ---
start_target "$MODE"
log "wr-target $MODE on CPU $TARGET_CPU (pid $TARGET_PID), wr-bench on CPU $BENCH_CPU, ${DURATION}s x $REPS"
if ((!SMOKE)); then
  # write the whole RAM namespace once, so reads return written data (the target populates RAM
  # namespaces when it adds them since issue 18; before, this also kept the measured I/O off the
  # shared zero page and first-touch faults, ~20 % of a 4K random-write run on a fresh namespace)
  if ! taskset -c "$BENCH_CPU" timeout 300 "$WR_BENCH" --addr 127.0.0.1 --port "$PORT" --nqn "$NQN" \
      --fill --io-size 128k --qd 16 >"$WORK/prefill.log" 2>&1; then
    # measuring a namespace that was never written would measure the populate's zeros, not data
    die "prefill failed, nothing measured: $(tail -3 "$WORK/prefill.log")"
  else
    log "prefill: namespace written once at $(grep -o '[0-9.]* MiB/s' "$WORK/prefill.log" | head -1)"
  fi
fi
CLK_TCK=$(getconf CLK_TCK)
: >"$WORK/runs.txt"
for entry in "${MATRIX[@]}"; do
  read -r name wl io qd <<<"$entry"
  if [[ -n $ONLY && ",$ONLY," != *",$name,"* ]]; then continue; fi
  for rep in $(seq 1 "$REPS"); do
    json=$WORK/$name.$rep.json
    t0=$(cpu_ticks "$TARGET_PID")
    read -r r0 w0 <<<"$(reactor_sched "$TARGET_PID")"
    f0=$(page_faults "$TARGET_PID") c0=$(reactor_nvcsw "$TARGET_PID")
    read -r -a k0 <<<"$(cpu_counters)"
    c2c=$(c2c_ns)
    load=$(cut -d' ' -f1 /proc/loadavg)
    if run_bench "$json" "$wl" "$io" "$qd" "$DURATION"; then status=ok; else status=failed; fi
    t1=$(cpu_ticks "$TARGET_PID")
    read -r r1 w1 <<<"$(reactor_sched "$TARGET_PID")"
    f1=$(page_faults "$TARGET_PID") c1=$(reactor_nvcsw "$TARGET_PID")
    read -r -a k1 <<<"$(cpu_counters)"
    kd=""
    for i in 0 1 2 3 4 5; do kd+=" $((k1[i] - k0[i]))"; done
    echo "$name $rep $status $((t1 - t0)) $json $((r1 - r0)) $((w1 - w0)) $load $((f1 - f0)) $((c1 - c0))$kd $c2c" >>"$WORK/runs.txt"
    [[ $status == ok ]] || { log "$name rep $rep failed:"; tail -5 "$json.log" >&2; }
    kill -0 "$TARGET_PID" 2>/dev/null || die "wr-target died during $name (log: $(tail -5 "$WORK/target.$MODE.log"))"
  done
done
# data integrity through the target: a pattern written and read back (4 KiB in-capsule with both
# digests on two queues; 128 KiB through R2T); a mismatch fails the script
VERIFY_STATUS=ok
for vargs in "--io-size 4k --qd 16 --queues 2 --hdgst --ddgst" "--io-size 128k --qd 8 --queues 1"; do
  # shellcheck disable=SC2086
  if ! taskset -c "$BENCH_CPU" "$WR_BENCH" --addr 127.0.0.1 --port "$PORT" --nqn "$NQN" --verify \
      --verify-mib 16 $vargs >"$WORK/verify.log" 2>&1; then
    VERIFY_STATUS=failed
    log "verify ($vargs) failed:"; tail -5 "$WORK/verify.log" >&2
    tail -3 "$WORK/verify.log" >>"$WORK/verify-errors.txt"
  fi
done
log "verify through the target: $VERIFY_STATUS"
stop_pid "$TARGET_PID"; TARGET_PID=""

# --- 3. adaptive mode: CPU used by an idle target ---
IDLE_PCT=""
if ((IDLE_SECONDS > 0)); then
  start_target adaptive
  sleep 1 # let it reach its sleeping state
  t0=$(cpu_ticks "$TARGET_PID")
  sleep "$IDLE_SECONDS"
  t1=$(cpu_ticks "$TARGET_PID")
  IDLE_PCT=$(python3 -c "print(round(100.0 * ($t1 - $t0) / $CLK_TCK / $IDLE_SECONDS, 2))")
  stop_pid "$TARGET_PID"; TARGET_PID=""
fi

# --- 4. statistics, result file, history line, table ---
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain -- dataplane-native 2>/dev/null | head -1)
WR_BENCH_EPOLL_INTERVAL=$EPOLL_INTERVAL WR_BENCH_VERIFY=$VERIFY_STATUS WR_BENCH_VERIFY_ERRORS=$WORK/verify-errors.txt WR_BENCH_NICE=$NICE WR_BENCH_MODE=$MODE python3 - "$WORK/runs.txt" "$WORK/iperf.json" "$OUT" "$HERE/results/history.jsonl" "$CLK_TCK" \
  "$STAMP" "$COMMIT${DIRTY:+-dirty}" "$DURATION" "$REPS" "${IDLE_PCT:-null}" "$SMOKE" "$NOTE" \
  "${DIGESTS[*]:-}" "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" <<'PY'
import json, os, statistics, sys
(runs_file, iperf_file, out, history, clk, stamp, commit, duration, reps, idle, smoke, note, dig,
 load_before, load_after, ncpu) = sys.argv[1:]
clk = int(clk)
runs = {}
order = []
for line in open(runs_file):
    (name, rep, status, ticks, path, reactor_run_ns, reactor_wait_ns, load1, faults, nvcsw,
     kt, st, tt, kb, sb, tb, c2c) = line.split()
    if name not in runs:
        runs[name] = []
        order.append(name)
    r = {"rep": int(rep), "status": status, "target_cpu_s": int(ticks) / clk,
         "loadavg_1min": float(load1),
         # the reactor thread: time on its CPU, and time runnable but waiting while others ran
         "target_reactor_run_s": int(reactor_run_ns) / 1e9,
         "target_reactor_wait_s": int(reactor_wait_ns) / 1e9,
         # page faults of the whole target process (0 when every block is real, written memory),
         # and how often the scheduler preempted the reactor for other work
         "target_page_faults": int(faults), "target_reactor_preempted": int(nvcsw),
         # seconds ksoftirqd ran, softirq and steal time, on the target's and wr-bench's CPUs
         "target_cpu_ksoftirqd_s": int(kt) / clk, "target_cpu_softirq_s": int(st) / clk,
         "target_cpu_steal_s": int(tt) / clk, "bench_cpu_ksoftirqd_s": int(kb) / clk,
         "bench_cpu_softirq_s": int(sb) / clk, "bench_cpu_steal_s": int(tb) / clk,
         # a cache line's round trip between the two CPUs just before (wr-c2c; None: not measured)
         "c2c_ns": None if int(c2c) < 0 else int(c2c)}
    if status != "ok" and os.path.exists(path + ".log"):
        r["error"] = open(path + ".log").read().strip().splitlines()[-3:]
    if status == "ok" and os.path.exists(path):
        r.update(json.load(open(path)))
        ops = r.get("ops", 0)
        r["target_cpu_us_per_io"] = r["target_cpu_s"] / ops * 1e6 if ops else None
        el = r.get("duration_s") or float(duration)
        # share of the run the reactor (busy mode: always runnable) and wr-bench waited for a CPU
        r["target_wait_pct"] = min(100.0, r["target_reactor_wait_s"] / el * 100)
        r["target_reactor_preempted_per_s"] = r["target_reactor_preempted"] / el
        if r.get("initiator_wait_s") is not None:
            r["initiator_wait_pct"] = min(100.0, r["initiator_wait_s"] / el * 100)
    runs[name].append(r)

def stat(vals):
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    med = statistics.median(vals)
    return {"median": med, "min": min(vals), "max": max(vals),
            "spread_pct": (max(vals) - min(vals)) / med * 100 if med else 0.0}

summary = {}
for name in order:
    ok = [r for r in runs[name] if r["status"] == "ok"]
    summary[name] = {
        "reps_ok": len(ok), "reps": len(runs[name]),
        "iops": stat([r["iops"] for r in ok]), "mib_s": stat([r["mib_s"] for r in ok]),
        "lat_avg_us": stat([r["lat_us"]["avg"] for r in ok]),
        "lat_p50_us": stat([r["lat_us"]["p50"] for r in ok]),
        "lat_p99_us": stat([r["lat_us"]["p99"] for r in ok]),
        "lat_p99_9_us": stat([r["lat_us"]["p99_9"] for r in ok]),
        "lat_max_us": stat([r["lat_us"]["max"] for r in ok]),
        "target_cpu_us_per_io": stat([r["target_cpu_us_per_io"] for r in ok]),
        "initiator_cpu_us_per_io": stat([r["initiator_cpu_us_per_io"] for r in ok]),
    }
iperf = None
if os.path.exists(iperf_file):
    try:
        j = json.load(open(iperf_file))
        bps = j["end"]["sum_received"]["bits_per_second"]
        iperf = {"gbit_s": bps / 1e9, "mib_s": bps / 8 / 1048576}
    except (KeyError, ValueError):
        pass
if iperf and "read-128k-qd16" in summary and summary["read-128k-qd16"]["mib_s"]:
    iperf["read_128k_pct_of_tcp"] = summary["read-128k-qd16"]["mib_s"]["median"] / iperf["mib_s"] * 100
result = {"time": stamp, "commit": commit, "duration_s": float(duration), "reps": int(reps),
          "smoke": smoke == "1", "digests": dig, "note": note, "loopback_tcp": iperf,
          "verify": os.environ.get("WR_BENCH_VERIFY"),
          "verify_errors": open(os.environ["WR_BENCH_VERIFY_ERRORS"]).read().splitlines()
                           if os.path.exists(os.environ["WR_BENCH_VERIFY_ERRORS"]) else [], "nice": int(os.environ.get("WR_BENCH_NICE", "0")), "target_mode": os.environ.get("WR_BENCH_MODE"),
          "epoll_interval": int(os.environ["WR_BENCH_EPOLL_INTERVAL"]) if os.environ.get("WR_BENCH_EPOLL_INTERVAL") else None,
          "loadavg_before": load_before, "loadavg_after": load_after, "cpus": int(ncpu),
          "adaptive_idle_cpu_pct": None if idle == "null" else float(idle),
          "summary": summary, "runs": runs}
json.dump(result, open(out, "w"), indent=1)
hist = {k: result[k] for k in ("time", "commit", "duration_s", "reps", "smoke", "digests", "note",
                                "adaptive_idle_cpu_pct", "loadavg_before", "loadavg_after", "nice", "target_mode",
                                "epoll_interval")}
hist["loopback_tcp_mib_s"] = iperf["mib_s"] if iperf else None
hist["median"] = {n: {"iops": s["iops"]["median"] if s["iops"] else None,
                      "p50_us": s["lat_p50_us"]["median"] if s["lat_p50_us"] else None,
                      "avg_us": s["lat_avg_us"]["median"] if s["lat_avg_us"] else None,
                      "mib_s": s["mib_s"]["median"] if s["mib_s"] else None,
                      "target_cpu_us_per_io": s["target_cpu_us_per_io"]["median"] if s["target_cpu_us_per_io"] else None}
                  for n, s in summary.items()}
if smoke != "1":
    with open(history, "a") as h:
        h.write(json.dumps(hist) + "\n")

def m(s, key, fmt):
    v = s.get(key)
    return fmt.format(v["median"]) if v else "-"
def spread(s, key):
    v = s.get(key)
    return "±{:.1f}%".format(v["spread_pct"] / 2) if v else "-"
print()
def best(s, key, fmt):
    v = s.get(key)
    return fmt.format(v["max"]) if v else "-"
print("{:<20} {:>4} {:>10} {:>8} {:>10} {:>9} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9}".format(
    "test", "reps", "IOPS", "spread", "best IOPS", "MiB/s", "avg us", "p50 us", "p99 us", "p99.9",
    "tgt us/IO", "ini us/IO"))
for n, s in summary.items():
    print("{:<20} {:>4} {:>10} {:>8} {:>10} {:>9} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9}".format(
        n, "%d/%d" % (s["reps_ok"], s["reps"]), m(s, "iops", "{:.0f}"), spread(s, "iops"),
        best(s, "iops", "{:.0f}"),
        m(s, "mib_s", "{:.1f}"), m(s, "lat_avg_us", "{:.1f}"), m(s, "lat_p50_us", "{:.1f}"),
        m(s, "lat_p99_us", "{:.1f}"), m(s, "lat_p99_9_us", "{:.1f}"),
        m(s, "target_cpu_us_per_io", "{:.2f}"), m(s, "initiator_cpu_us_per_io", "{:.2f}")))
if iperf:
    line = "loopback TCP (iperf3, 1 stream): {:.1f} Gbit/s = {:.0f} MiB/s".format(iperf["gbit_s"], iperf["mib_s"])
    if "read_128k_pct_of_tcp" in iperf:
        line += "; 128 KiB reads reach {:.0f}% of it".format(iperf["read_128k_pct_of_tcp"])
    print(line)
if idle != "null":
    print("adaptive mode, idle target: {}% of a core".format(idle))
print("load average before/after: {} / {} on {} CPUs (other work on the machine skews every number)".format(
    load_before, load_after, ncpu))
print("IOPS and latencies are medians over the repetitions; spread = half the min-max range relative")
print("to the median; best = the best repetition. Results: " + out)
print()
# The CPUs count as far apart in a repetition whose c2c round trip is over twice the run's lowest
# (on the issue 18 machine: 49-65 ns near, 300-335 ns far, nothing in between).
c2cs = [r["c2c_ns"] for n in order for r in runs[n] if r["status"] == "ok" and r["c2c_ns"] is not None]
c2c_min = min(c2cs) if c2cs else None
def far(r):
    return c2c_min is not None and r["c2c_ns"] is not None and r["c2c_ns"] > 2 * c2c_min
result["c2c_min_ns"] = c2c_min
json.dump(result, open(out, "w"), indent=1)
print("every repetition: IOPS (share of the run the target's reactor / wr-bench waited for its CPU")
print("while others ran on it; 1-minute load average at its start; c2c = a cache line's round trip")
print("between the two CPUs just before, FAR when over twice the run's lowest); cases whose")
print("repetitions differ by more than 5 % are flagged")
for n in order:
    ok = [r for r in runs[n] if r["status"] == "ok"]
    if not ok:
        continue
    iops = [r["iops"] for r in ok]
    med = statistics.median(iops)
    flag = "  SPREAD %.0f %% > 5 %%" % ((max(iops) - min(iops)) / med * 100) if med and (max(iops) - min(iops)) / med > 0.05 else ""
    near = [r["iops"] for r in ok if not far(r)]
    if flag and len(near) > 1 and len(near) < len(ok):
        nmed = statistics.median(near)
        flag += " (near repetitions only: %.0f %%)" % ((max(near) - min(near)) / nmed * 100 if nmed else 0)
    def one(r):
        w = "%.0f%%/%s" % (r["target_wait_pct"], "%.0f%%" % r["initiator_wait_pct"] if "initiator_wait_pct" in r else "-")
        k = r["iops"] / 1000
        c = "" if r["c2c_ns"] is None else ", c2c %d ns%s" % (r["c2c_ns"], " FAR" if far(r) else "")
        return "{}K ({} @{:.1f}{})".format("%.0f" % k if k >= 100 else "%.1f" % k, w, r["loadavg_1min"], c)
    print("{:<20} {}{}".format(n, ", ".join(one(r) for r in ok), flag))
if c2c_min is not None and any(far(r) for n in order for r in runs[n] if r["status"] == "ok"):
    print("the CPUs were far apart in some repetitions (the host moved the vCPUs): median IOPS near / far")
    for n in order:
        ok = [r for r in runs[n] if r["status"] == "ok" and r["c2c_ns"] is not None]
        near_i = [r["iops"] for r in ok if not far(r)]
        far_i = [r["iops"] for r in ok if far(r)]
        fmt = lambda v: "%.0f (%d reps)" % (statistics.median(v), len(v)) if v else "-"
        print("  {:<20} near {}  far {}".format(n, fmt(near_i), fmt(far_i)))
busy = [r for n in order for r in runs[n] if r["status"] == "ok" and
        max(r["target_wait_pct"], r.get("initiator_wait_pct", 0)) > 5]
if busy:
    print("the machine was not quiet: in %d of %d repetitions the target or wr-bench waited more than"
          % (len(busy), sum(len(runs[n]) for n in order)))
    print("5 % of the run for its CPU; those figures measure the other work as much as the target")
okruns = [r for n in order for r in runs[n] if r["status"] == "ok"]
if okruns:
    ios = sum(r.get("ops", 0) for r in okruns)
    faults = sum(r["target_page_faults"] for r in okruns)
    secs = sum(r.get("duration_s") or float(duration) for r in okruns)
    print("target page faults while measuring: %d in %d I/Os (the RAM namespace is populated when"
          % (faults, ios))
    print("added%s); the scheduler preempted the reactor %.0f times a second"
          % ("" if smoke == "1" else " and written whole before measuring",
             sum(r["target_reactor_preempted"] for r in okruns) / secs))
print("data verify through the target (4K with digests on 2 queues, 128K over R2T): " + result["verify"])
failed = sum(s["reps"] - s["reps_ok"] for s in summary.values())
sys.exit(1 if failed or result["verify"] != "ok" else 0)
PY
