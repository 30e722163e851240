#!/usr/bin/env bash
# Fuzzes the two input parsers with libFuzzer (docs/reliability.md, "Fuzzing"):
#   scenario_loader_fuzz  YAML text (and one --set override) -> the scenario loader
#   output_reader_fuzz    bytes as an output file -> the output reader
#
#   tools/fuzz.sh [SECONDS]   build (clang, ASan + UBSan, build/fuzz), then run each target for
#                             SECONDS (default 60) from a seed corpus of the project's scenarios
#                             and small output files; exit 1 if anything was found
#
# Findings (crash-*, timeout-*, oom-*, leak-*) are written to build/fuzz/crashes/. Reproduce one
# with `build/fuzz/tests/fuzz/TARGET FILE`; then add it as a regression test.
# The reader runs in libFuzzer's fork mode and goes on after a finding, so the known faults inside
# libhdf5 (docs/reliability.md, "Fuzzing") do not end its run; the findings are listed with the
# innermost frame of their stack.
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
findings="$BUILD/crashes"
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
else
  echo "warning: no build/release/tests/tools/buurtlab-testcli to write seed output files;" \
       "output_reader_fuzz starts from nothing (build the release preset first)" >&2
fi

# HDF5 checks what malloc returns, so a size read from a damaged file that malloc refuses is an
# error it reports, as in a normal build; the sanitizer would otherwise stop there. C++ `new` is
# still reported. Leaks inside libhdf5 itself (tests/fuzz/lsan.supp) are known and recorded.
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export LSAN_OPTIONS="suppressions=$ROOT/tests/fuzz/lsan.supp"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for target in scenario_loader_fuzz output_reader_fuzz; do
  dir="$corpus/scenario"
  mode=()
  if [ "$target" = output_reader_fuzz ]; then
    dir="$corpus/output"
    # Known faults inside libhdf5 would end the run at once: fork mode goes on after a finding.
    mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi
  echo "==> $target for $SECONDS_PER_TARGET s"
  log="$BUILD/$target.log"
  rm -f "$findings/$target-"*
  start=$(date +%s)
  set +e
  "$BUILD/tests/fuzz/$target" "$dir" "${mode[@]}" -max_total_time="$SECONDS_PER_TARGET" \
    -rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$findings/$target-" >"$log" 2>&1
  set -e
  elapsed=$(( $(date +%s) - start ))
  # Executions: libFuzzer's final stats, or in fork mode its last progress line ("#RUNS: cov: ...").
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
  [ -n "$runs" ] || runs=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1 | sed -E 's/^#([0-9]+):.*/\1/')
  echo "    ${runs:-?} executions in ${elapsed} s"
  shopt -s nullglob
  found=("$findings/$target-"*)
  shopt -u nullglob
  if [ ${#found[@]} -gt 0 ]; then
    status=1
    echo "    ${#found[@]} finding(s) in $findings, by innermost frame:"
    for f in "${found[@]}"; do
      frame=$(ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" timeout 60 \
                "$BUILD/tests/fuzz/$target" -timeout=10 -rss_limit_mb=2048 "$f" 2>&1 |
              grep -m1 -oE '^ +#[0-9]+ 0x[0-9a-f]+ in (H5|buurtlab|YAML|std)[^ (]*' |
              sed -E 's/.* in //' || true)
      echo "      $(basename "$f"): ${frame:-did not reproduce alone}"
    done
  else
    echo "    nothing found"
  fi
done
exit $status
