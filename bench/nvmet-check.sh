#!/usr/bin/env bash
# bench/nvmet-check.sh - checks libwrinit/wr-bench against the Linux kernel's own NVMe/TCP target
# (nvmet), the reference implementation: boots the interop guest (Debian kernel in QEMU/TCG) with
# dataplane-native/tests/interop/reference-target.sh, forwards a host port to its 4420, and runs
# wr-bench --verify through it: 128 KiB (R2T, several H2CData PDUs), 4 KiB on two queues with
# header and data digests, a timed mixed run, and a host NQN that must be refused.
#
#   bench/nvmet-check.sh     (needs the guest kernel and initramfs that
#                             dataplane-native/tests/interop/build-guest.sh caches)
# Environment: INTEROP_CACHE_DIR (default ~/.cache/windrose/interop-guest), WR_BUILD_DIR.
# Slow by nature (TCG): about 1-2 minutes. Exit status 0 only if every check passed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CACHE=${INTEROP_CACHE_DIR:-$HOME/.cache/windrose/interop-guest}
BUILD_DIR=${WR_BUILD_DIR:-$ROOT/dataplane-native/build}
WR_BENCH=$BUILD_DIR/initiator/wr-bench
PORT=${NVMET_CHECK_PORT:-14421}
SUBNQN=nqn.2026-11.dev.windrose:interop
[[ -f $CACHE/vmlinuz && -f $CACHE/initramfs.cpio.gz ]] ||
  { echo "nvmet-check: no guest in $CACHE (run dataplane-native/tests/interop/build-guest.sh)" >&2; exit 2; }
[[ -x $WR_BENCH ]] || { echo "nvmet-check: $WR_BENCH not built" >&2; exit 2; }
WORK=$(mktemp -d /tmp/wr-nvmet-check.XXXXXX)
QEMU_PID=""
cleanup() {
  if [[ -n $QEMU_PID ]]; then kill "$QEMU_PID" 2>/dev/null; wait "$QEMU_PID" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

HOSTID=$(cat /proc/sys/kernel/random/uuid)
HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:$HOSTID
mkdir -p "$WORK/extra/interop"
install -m 0755 "$ROOT/dataplane-native/tests/interop/reference-target.sh" "$WORK/extra/interop/test.sh"
cat >"$WORK/extra/interop/env" <<ENV
TARGET_ADDR=10.0.2.2
IO_PORT=4420
DISCOVERY_PORT=8009
SUBNQN=$SUBNQN
FORBIDDEN_NQN=nqn.2026-11.dev.windrose:forbidden
HOSTNQN=$HOSTNQN
HOSTID=$HOSTID
OTHER_HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-000000000001
OTHER_HOSTID=00000000-0000-0000-0000-000000000001
ENV
(cd "$WORK/extra" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$WORK/extra.cpio.gz"
cat "$CACHE/initramfs.cpio.gz" "$WORK/extra.cpio.gz" >"$WORK/initrd.gz"
timeout 600 qemu-system-x86_64 -nographic -m 768 -smp 1 -accel tcg -no-reboot \
  -nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$PORT-:4420" -kernel "$CACHE/vmlinuz" \
  -initrd "$WORK/initrd.gz" -append "console=ttyS0 loglevel=5 panic=-1" </dev/null >"$WORK/console.log" 2>&1 &
QEMU_PID=$!
for _ in $(seq 1 600); do
  grep -q "NVMET READY" "$WORK/console.log" && break
  kill -0 "$QEMU_PID" 2>/dev/null || break
  sleep 0.2
done
grep -q "NVMET READY" "$WORK/console.log" || { tail -20 "$WORK/console.log"; echo "nvmet-check: guest not ready" >&2; exit 2; }

PASS=0 FAIL=0
check() {  # name, expected exit status (0 or nonzero), wr-bench args...
  local name=$1 want=$2; shift 2
  timeout 120 "$WR_BENCH" --addr 127.0.0.1 --port "$PORT" --nqn "$SUBNQN" "$@" >"$WORK/$name.log" 2>&1
  local rc=$?
  if { [[ $want == 0 ]] && ((rc == 0)); } || { [[ $want != 0 ]] && ((rc != 0)); }; then
    PASS=$((PASS + 1)); echo "nvmet-check PASS $name: $(grep -E 'IOPS|verify:|cannot' "$WORK/$name.log" | tail -1)"
  else
    FAIL=$((FAIL + 1)); echo "nvmet-check FAIL $name (exit $rc)"; tail -5 "$WORK/$name.log"
  fi
}
check verify-128k 0 --hostnqn "$HOSTNQN" --verify --verify-mib 4 --io-size 128k --qd 4
check verify-4k-digests-2q 0 --hostnqn "$HOSTNQN" --verify --verify-mib 2 --io-size 4k --qd 8 --queues 2 --hdgst --ddgst
check mixed-16k-timed 0 --hostnqn "$HOSTNQN" --workload mixed --read-pct 70 --io-size 16k --qd 16 --queues 2 --duration 3
check host-not-allowed 1 --hostnqn nqn.2026-11.dev.windrose:not-allowed --verify --verify-mib 1
echo "nvmet-check: $PASS passed, $FAIL failed"
((FAIL == 0))
