#!/usr/bin/env bash
# Builds the receive-path fuzzer (clang, libFuzzer, ASan+UBSan) and runs it for SECONDS.
# Usage: fuzz/run.sh SECONDS [extra libFuzzer flags]   (exit status non-zero on a crash)
# WR_FUZZ_TARGET=fuzz_tls runs the TLS identity/PSK target instead (seeds corpus/tls).
# The committed seeds in corpus/rx are copied into a work corpus, so runs never modify them;
# crash inputs land in $BUILD/artifacts/.
set -euo pipefail
seconds=${1:?usage: fuzz/run.sh SECONDS [libFuzzer flags]}
shift
here=$(cd "$(dirname "$0")" && pwd)
build=${WR_FUZZ_BUILD:-$here/../build-fuzz}
command -v clang >/dev/null || { echo "fuzz/run.sh: clang is required (apt-get install clang)" >&2; exit 2; }
CC=clang cmake -S "$here/.." -B "$build" -DWR_FUZZ=ON -DWR_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
target=${WR_FUZZ_TARGET:-fuzz_rx}
corpus=${target#fuzz_}
cmake --build "$build" --target "$target" -j"$(nproc)" >/dev/null
mkdir -p "$build/corpus-$corpus" "$build/artifacts"
cp -n "$here/corpus/$corpus"/* "$build/corpus-$corpus/" 2>/dev/null || true
cd "$build"
exec "./fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=70000 \
  -artifact_prefix="$build/artifacts/" -print_final_stats=1 "$@" "$build/corpus-$corpus"
