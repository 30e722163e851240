#!/usr/bin/env bash
# Fuzzes the two input parsers with libFuzzer (docs/reliability.md, "Fuzzing"):
#   scenario_loader_fuzz  YAML text (and one --set override) -> the scenario loader
#   output_reader_fuzz    bytes as an output file -> the output reader
#
#   tools/fuzz.sh [SECONDS]   build (clang, ASan + UBSan, build/fuzz), then run each target for
#                             SECONDS (default 60) from a seed corpus of the project's scenarios
#                             and small output files; exit 1 if anything was found
#
# Findings (crash-*, timeout-*, oom-*, leak-*) are written to build/fuzz/findings/. Reproduce one
# with `build/fuzz/tests/fuzz/TARGET FILE`; then add it as a regression test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_TARGET="${1:-60}"
BUILD="$ROOT/build/fuzz"
JOBS="${BUURTLAB_JOBS:-$(nproc 2>/dev/null || echo 2)}"
cd "$ROOT"

CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBUURTLAB_FUZZ=ON -DBUURTLAB_BUILD_TESTS=OFF -DBUURTLAB_BUILD_BENCH=OFF \
  -DBUURTLAB_BUILD_PYTHON=OFF >/dev/null
cmake --build "$BUILD" -j "$JOBS" --target scenario_loader_fuzz output_reader_fuzz

corpus="$BUILD/corpus"
findings="$BUILD/findings"
rm -rf "$corpus"
mkdir -p "$corpus/scenario" "$corpus/output" "$findings"
# Seeds: every scenario of the project, and two small output files written by a short run.
find scenarios tests/data -name '*.yaml' -size -64k -exec cp {} "$corpus/scenario/" \; 2>/dev/null || true
n=0
for f in "$corpus"/scenario/*.yaml; do
  n=$((n + 1))
  mv "$f" "$corpus/scenario/seed-$n.yaml"
done
if [ -x build/release/tests/tools/buurtlab-testcli ]; then
  build/release/tests/tools/buurtlab-testcli run tests/data/cli/valid.yaml -o "$corpus/output/a.h5" \
    --overwrite -q >/dev/null
  build/release/tests/tools/buurtlab-testcli run tests/data/cli/valid.yaml --replicates 2 \
    --set 'duration=4 weeks' -o "$corpus/output/b.h5" --overwrite -q >/dev/null
fi

status=0
for target in scenario_loader_fuzz output_reader_fuzz; do
  dir="$corpus/scenario"
  [ "$target" = output_reader_fuzz ] && dir="$corpus/output"
  echo "==> $target for $SECONDS_PER_TARGET s"
  log="$BUILD/$target.log"
  set +e
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$BUILD/tests/fuzz/$target" "$dir" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 \
    -timeout=10 -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/$target-" \
    >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  secs=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  if [ $rc -ne 0 ]; then
    status=1
    echo "    FINDING (exit $rc): see $log and $findings"
    grep -m3 -E 'ERROR|SUMMARY' "$log" || true
  else
    echo "    $runs executions ($secs per second), nothing found"
  fi
done
exit $status
