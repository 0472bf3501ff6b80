#!/usr/bin/env bash
# bench/profile.sh - what one I/O costs the target, in numbers that survive a loaded machine:
# instructions per I/O (valgrind's callgrind, user space) and system calls per I/O (the kernel's
# syscall tracepoints counted by perf, or strace when perf cannot). Wall-clock rates on a shared
# machine measure the machine; these count work.
#
#   bench/profile.sh                          callgrind + syscalls, 4 KiB random read QD32, busy
#   bench/profile.sh --workload randwrite --qd 32 --duration 10
#   bench/profile.sh --only syscalls          (or --only callgrind)
#   bench/profile.sh --costbench              the fixed-batch cost table (wr-costbench): the one
#                                             to compare changes with, it does not move with load
#
# Options: --workload W (randread), --io-size S (4k), --qd N (32), --duration S (10; callgrind runs
# the target about 50x slower, so it completes fewer I/Os, which is fine for a per-I/O figure),
# --mode busy|adaptive (busy), --only callgrind|syscalls, --build-dir DIR, --target-cpu N (0),
# --bench-cpu N (1), --port P, --top N (functions listed, 25), --out DIR (keep the callgrind
# output and logs there; default a temporary directory that is removed), --target-args "ARGS"
# (extra wr-target options, e.g. "--epoll-interval 1").
#
# --costbench: wr-costbench (dataplane-native/tests/cost_bench.c) runs the target's real loop
# iteration in-process against a loopback TCP host that sends exactly --batch reads per iteration
# (1, 8 and 32 here, plus idle iterations), so the batch is fixed instead of whatever the machine's
# scheduling makes of it. Instructions per I/O (callgrind, counted inside wr_reactor_poll only),
# syscalls per I/O (tracepoints switched on inside it only) and, for information, the CPU time
# per I/O (that one moves with load). Prints a table and, with --record NOTE, appends it to
# bench/results/history.jsonl as a "kind": "costbench" line. --tls: the I/O queue runs over TLS 1.3
# (wr-costbench --tls): what the target's side of the channel costs per I/O.
#
# Method (the end-to-end modes). callgrind: the target starts under valgrind, the counters are zeroed once it is ready
# (start-up excluded), wr-bench runs for --duration, the counters are dumped; Ir / I/Os completed
# = instructions per I/O. In busy mode that includes the polls that found nothing, which is part
# of what an I/O costs a busy-polling target; the number of loop iterations per I/O is printed
# too (wr-target prints its reactor counters on SIGUSR1, read before and after the run). syscalls: the
# target runs natively, perf counts raw_syscalls:sys_enter and the main I/O syscalls for the
# target's threads during the run.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD_DIR=${WR_BUILD_DIR:-$ROOT/dataplane-native/build}
WORKLOAD=randread
IO_SIZE=4k
QD=32
DURATION=10
MODE=busy
ONLY=""
TARGET_CPU=0
BENCH_CPU=1
PORT=${WR_BENCH_PORT:-$((20000 + RANDOM % 20000))}
TOP=25
OUTDIR=""
TARGET_ARGS=""
COSTBENCH=0
CB_TLS=()
RECORD=""
NQN=nqn.2026-11.dev.windrose:profile

die() { echo "profile: ERROR: $*" >&2; exit 2; }
log() { echo "profile: $*" >&2; }

while (($#)); do
  case $1 in
    --workload) WORKLOAD=$2; shift ;;
    --io-size) IO_SIZE=$2; shift ;;
    --qd) QD=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --mode) MODE=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --build-dir) BUILD_DIR=$2; shift ;;
    --target-cpu) TARGET_CPU=$2; shift ;;
    --bench-cpu) BENCH_CPU=$2; shift ;;
    --port) PORT=$2; shift ;;
    --top) TOP=$2; shift ;;
    --out) OUTDIR=$2; shift ;;
    --target-args) TARGET_ARGS=$2; shift ;;
    --costbench) COSTBENCH=1 ;;
    --tls) CB_TLS=(--tls) ;;
    --record) RECORD=$2; shift ;;
    -h|--help) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
[[ $MODE == busy || $MODE == adaptive ]] || die "--mode is busy or adaptive"
[[ -z $ONLY || $ONLY == callgrind || $ONLY == syscalls ]] || die "--only is callgrind or syscalls"
WR_TARGET=${WR_TARGET:-$BUILD_DIR/wr-target}
WR_BENCH=${WR_BENCH:-$BUILD_DIR/initiator/wr-bench}
[[ -x $WR_TARGET && -x $WR_BENCH ]] || die "build dataplane-native first (cmake -S dataplane-native -B $BUILD_DIR && cmake --build $BUILD_DIR)"
command -v python3 >/dev/null || die "python3 is needed"
NCPU=$(nproc)
((NCPU > 1)) || TARGET_CPU=0 BENCH_CPU=0

if [[ -n $OUTDIR ]]; then mkdir -p "$OUTDIR"; WORK=$(cd "$OUTDIR" && pwd); else WORK=$(mktemp -d /tmp/wr-profile.XXXXXX); fi
TARGET_PID=""
cleanup() {
  if [[ -n $TARGET_PID ]] && kill -0 "$TARGET_PID" 2>/dev/null; then
    kill -TERM "$TARGET_PID" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$TARGET_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$TARGET_PID" 2>/dev/null
  fi
  [[ -n $OUTDIR ]] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_target() {  # log-file, command prefix...
  local logf=$1; shift
  cat >"$WORK/target.conf" <<CONF
reactors 1
subsystem $NQN
  allow-any-host
  namespace 1 ram 1G
  listener 127.0.0.1 $PORT
CONF
  # shellcheck disable=SC2086
  taskset -c "$TARGET_CPU" "$@" "$WR_TARGET" -c "$WORK/target.conf" -m "$MODE" --cpu "$TARGET_CPU" \
    $TARGET_ARGS >"$logf" 2>&1 &
  TARGET_PID=$!
  for _ in $(seq 1 600); do   # valgrind starts slowly on a loaded machine
    grep -q "wr-target: ready" "$logf" 2>/dev/null && return 0
    kill -0 "$TARGET_PID" 2>/dev/null || break
    sleep 0.1
  done
  tail -20 "$logf" >&2
  die "wr-target did not get ready"
}

stop_target() {
  kill -TERM "$TARGET_PID" 2>/dev/null
  for _ in $(seq 1 300); do kill -0 "$TARGET_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$TARGET_PID" 2>/dev/null
  wait "$TARGET_PID" 2>/dev/null
  TARGET_PID=""
}

run_bench() {  # json
  taskset -c "$BENCH_CPU" "$WR_BENCH" --addr 127.0.0.1 --port "$PORT" --nqn "$NQN" --workload "$WORKLOAD" \
    --io-size "$IO_SIZE" --qd "$QD" --queues 1 --duration "$DURATION" --cpu "$BENCH_CPU" --json "$1" \
    >"$1.log" 2>&1 || { tail -5 "$1.log" >&2; die "wr-bench failed"; }
}

json_ops() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['ops'])" "$1"; }
# Reactor loop iterations so far: SIGUSR1 makes wr-target print "reactor 0 statistics: polls N ..."
target_polls() {  # log-file
  local before after
  before=$(grep -c 'reactor 0 statistics' "$1")
  kill -USR1 "$TARGET_PID"
  for _ in $(seq 1 300); do
    after=$(grep -c 'reactor 0 statistics' "$1")
    ((after > before)) && break
    sleep 0.1
  done
  grep -o 'reactor 0 statistics: polls [0-9]*' "$1" | tail -1 | awk '{print $5}'
}

if ((COSTBENCH)); then
  CB=${WR_COSTBENCH:-$BUILD_DIR/tests/wr-costbench}
  [[ -x $CB ]] || die "wr-costbench not found at $CB (build dataplane-native with its tests)"
  command -v valgrind >/dev/null || die "valgrind is needed (apt-get install valgrind)"
  for b in 1 8 32 idle; do
    if [[ $b == idle ]]; then args=(--idle 5000); else args=(--batch "$b" --rounds $((4000 / b + 100))); fi
    args+=("${CB_TLS[@]}")
    taskset -c "$TARGET_CPU" "$CB" "${args[@]}" --json >"$WORK/cb.$b.json" 2>"$WORK/cb.$b.err" \
      || { cat "$WORK/cb.$b.err" >&2; die "wr-costbench ${args[*]} failed"; }
    valgrind --tool=callgrind --callgrind-out-file="$WORK/cb.$b.cg" --toggle-collect=wr_reactor_poll \
      "$CB" "${args[@]}" --single-pass --no-syscalls --json >"$WORK/cb.$b.cg.json" 2>"$WORK/cb.$b.cg.err" \
      || { tail -5 "$WORK/cb.$b.cg.err" >&2; die "wr-costbench under callgrind failed"; }
    callgrind_annotate --threshold=100 "$WORK/cb.$b.cg" >"$WORK/cb.$b.annotate" 2>"$WORK/cb.$b.annotate.err" || die "callgrind_annotate failed: $(tail -2 "$WORK/cb.$b.annotate.err")"
  done
  COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  DIRTY=$(git -C "$ROOT" status --porcelain -- dataplane-native 2>/dev/null | head -1)
  # instruction counts depend on the optimisation level: recorded with the numbers
  # (an empty cache entry is dataplane-native/CMakeLists.txt's default, RelWithDebInfo)
  BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null)
  [[ -f $BUILD_DIR/CMakeCache.txt && -z $BUILD_TYPE ]] && BUILD_TYPE=RelWithDebInfo
  python3 - "$WORK" "$TOP" "$COMMIT${DIRTY:+-dirty}" "$RECORD" "$HERE/results/history.jsonl" "${BUILD_TYPE:-unknown}" <<'PY'
import json, re, sys, time
work, top, commit, note, history, build_type = sys.argv[1], int(sys.argv[2]), *sys.argv[3:7]
WRAPPERS = ("clone", "start_thread", "(below main)", "main", "run_rounds", "measured_poll")
def annotate(path):
    text = open(path).read()
    total = int(re.search(r"^\s*([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS", text, re.M).group(1).replace(",", ""))
    funcs = []
    for line in text.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(\S.*)$", line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        name = m.group(3).split(" [")[0].split(":")[-1]
        if name in WRAPPERS or name.startswith("0x"):
            continue
        funcs.append((name, int(m.group(1).replace(",", ""))))
    return total, funcs
rows = {}
print(f"{'batch':>6} {'Ir/IO':>8} {'syscalls/IO':>12} {'epoll':>7} {'recv':>7} {'send':>7} {'CPU ns/IO':>10}")
for b in ("1", "8", "32", "idle"):
    native = json.load(open(f"{work}/cb.{b}.json"))
    cg = json.load(open(f"{work}/cb.{b}.cg.json"))
    total, funcs = annotate(f"{work}/cb.{b}.annotate")
    units = cg["idle_polls"] if b == "idle" else cg["ios"]
    sc = native["syscalls"]
    row = {"ir_per_io": round(total / units, 1), "syscalls_per_io": sc["sys_enter"],
           "epoll_wait": sc["sys_enter_epoll_wait"],
           "recv": round(sc["sys_enter_recvmsg"] + sc["sys_enter_recvfrom"], 4),
           "send": round(sc["sys_enter_sendmsg"] + sc["sys_enter_sendto"], 4),
           "cpu_ns_per_io": native["cpu_ns_per_unit"]}
    rows["idle_poll" if b == "idle" else f"batch{b}"] = row
    label = "idle" if b == "idle" else b
    print(f"{label:>6} {row['ir_per_io']:8.0f} {row['syscalls_per_io']:12.3f} {row['epoll_wait']:7.3f}"
          f" {row['recv']:7.3f} {row['send']:7.3f} {row['cpu_ns_per_io']:10.0f}")
    if b == "32":
        top32 = [(n, ir / units) for n, ir in funcs[:top]]
print(f"(idle: per empty loop iteration; CPU ns moves with machine load, the other columns do not;"
      f" {build_type} build)")
print("\nbatch 32, instructions per I/O by function (self):")
for n, v in top32:
    print(f"  {v:8.1f}  {n}")
if note:
    line = {"time": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()), "commit": commit,
            "kind": "costbench", "note": note, "build_type": build_type, "loadavg": open("/proc/loadavg").read().split()[:3],
            "costbench": rows}
    with open(history, "a") as h:
        h.write(json.dumps(line) + "\n")
    print("recorded in " + history)
PY
  exit 0
fi

if [[ -z $ONLY || $ONLY == callgrind ]]; then
  command -v valgrind >/dev/null || die "valgrind is needed (apt-get install valgrind)"
  CG=$WORK/callgrind.out
  start_target "$WORK/target.callgrind.log" valgrind --tool=callgrind --callgrind-out-file="$CG" \
    --dump-instr=no --collect-jumps=no
  callgrind_control -z "$TARGET_PID" >/dev/null 2>&1 || die "callgrind_control -z failed"
  polls0=$(target_polls "$WORK/target.callgrind.log")
  run_bench "$WORK/cg.json"
  callgrind_control -d "$TARGET_PID" >/dev/null 2>&1 || die "callgrind_control -d failed"
  polls1=$(target_polls "$WORK/target.callgrind.log")
  stop_target
  ops=$(json_ops "$WORK/cg.json")
  # the dump taken at -d is the one with a ".1" suffix (the final dump at exit covers the rest)
  dump=$(ls "$CG".*[0-9] 2>/dev/null | sort | head -1)
  [[ -f $dump ]] || die "no callgrind dump found"
  callgrind_annotate --inclusive=no "$dump" 2>/dev/null >"$WORK/annotate.txt"
  callgrind_annotate --inclusive=yes "$dump" 2>/dev/null >"$WORK/annotate-incl.txt"
  python3 - "$WORK/annotate.txt" "$ops" "$TOP" "$((polls1 - polls0))" "$WORKLOAD" "$IO_SIZE" "$QD" "$MODE" <<'PY'
import re, sys
path, ops, top, polls, wl, io, qd, mode = (sys.argv[1], int(sys.argv[2]), int(sys.argv[3]),
                                           int(sys.argv[4]), *sys.argv[5:])
text = open(path).read()
m = re.search(r"^\s*([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS", text, re.M)
if not m:
    sys.exit("profile: cannot read the callgrind totals")
total = int(m.group(1).replace(",", ""))
print(f"callgrind: {wl} {io} QD{qd}, {mode} mode: {ops} I/Os, {total:,} instructions in the target"
      f" = {total / max(ops, 1):.0f} instructions per I/O (user space);"
      f" {polls / max(ops, 1):.2f} reactor loop iterations per I/O")
print(f"{'Ir/IO':>8} {'share':>6}  function")
n = 0
for line in text.splitlines():
    fm = re.match(r"^\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(\S.*)$", line)
    if not fm or "PROGRAM TOTALS" in line:
        continue
    ir = int(fm.group(1).replace(",", ""))
    name = fm.group(3).split(" [")[0]
    print(f"{ir / max(ops, 1):8.0f} {float(fm.group(2)):5.1f}%  {name}")
    n += 1
    if n >= top:
        break
PY
fi

if [[ -z $ONLY || $ONLY == syscalls ]]; then
  command -v perf >/dev/null || die "perf is needed for syscall counts (apt-get install linux-perf)"
  start_target "$WORK/target.native.log"
  EVENTS=raw_syscalls:sys_enter
  for s in recvmsg recvfrom sendmsg sendto epoll_wait read write io_uring_enter clock_gettime; do
    EVENTS+=",syscalls:sys_enter_$s"
  done
  perf stat -x, -e "$EVENTS" -p "$TARGET_PID" -o "$WORK/perf-stat.csv" 2>"$WORK/perf.err" &
  PERF_PID=$!
  sleep 0.5
  polls0=$(target_polls "$WORK/target.native.log")
  run_bench "$WORK/sc.json"
  polls1=$(target_polls "$WORK/target.native.log")
  kill -INT "$PERF_PID" 2>/dev/null
  wait "$PERF_PID" 2>/dev/null
  stop_target
  ops=$(json_ops "$WORK/sc.json")
  polls=$((polls1 - polls0))
  python3 - "$WORK/perf-stat.csv" "$ops" "$polls" "$WORK/sc.json" <<'PY'
import json, sys
path, ops, polls, js = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows = []
for line in open(path):
    f = line.strip().split(",")
    if len(f) < 3 or not f[0] or line.startswith("#"):
        continue
    try:
        rows.append((f[2], int(f[0])))
    except ValueError:
        rows.append((f[2], None))
iops = json.load(open(js)).get("iops", 0)
print(f"syscalls: {ops} I/Os at {iops:.0f} IOPS (machine loaded: the rate means little); "
      f"reactor loop iterations per I/O {polls / max(ops, 1):.2f}")
for name, n in rows:
    label = name.replace("syscalls:sys_enter_", "").replace("raw_syscalls:sys_enter", "all syscalls")
    print(f"  {label:<16} {'-' if n is None else f'{n / max(ops, 1):.3f}':>8} per I/O")
PY
fi
