#!/usr/bin/env bash
# The tests under the sanitizers (docs/reliability.md, "Sanitizers"):
#
#   tools/sanitize.sh [asan|tsan|all]   (default all)
#
#   asan  the `dev` preset (Debug, BUURTLAB_SANITIZE=ON: AddressSanitizer with leak detection and
#         UBSan) in build/dev: the unit and CLI tests (labels unit, cli)
#   tsan  the `tsan` preset (RelWithDebInfo, BUURTLAB_SANITIZE_THREAD=ON: ThreadSanitizer) in
#         build/tsan: the tests that run code on several threads
#
# Builds with BUURTLAB_JOBS jobs (default 2), without the benchmarks and the Python module, and
# prints which tests ran, passed and failed, with the times. Exit 1 if a build or a test failed.
# Logs: build/dev/sanitize.log, build/tsan/sanitize.log.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WHAT="${1:-all}"
JOBS="${BUURTLAB_JOBS:-2}"
cd "$ROOT"

case "$WHAT" in
  asan | tsan | all) ;;
  *)
    echo "usage: tools/sanitize.sh [asan|tsan|all]" >&2
    exit 2
    ;;
esac

# Not run under AddressSanitizer:
#   lab.browser_*  drive the lab's page in headless Chromium: a minute each in a Release build,
#                  several in this one; the lab's server is still covered by the other lab.* tests
#   pybuurtlab.*   the module would be loaded into Debian's python3, which has no ASan runtime
#                  (it must be the first library of the process); not built here
# The CLI tests run the instrumented buurtlab-testcli from an ordinary Python interpreter, which
# is fine: the sanitizers live in the program, and the options reach it through the environment.
ASAN_EXCLUDE='^lab\.browser_|^pybuurtlab\.'

# The tests that run code on several threads: the executor and the per-block buffers, replicates
# in flight (the writer taking the frames of several replicates), the writer, and every test that
# compares the serial executor with thread counts.
TSAN_TESTS='^(ExecutorTest|ExecutorCoverage|ProposalsTest|ReplicatesInFlight|Hdf5Writer|MemoryTrajectories|SpinUpCheckInARun)\.|Determinism|ThreadCount|^SimulationTest\.WriterGetsEveryFrame|^RngTest\.SameNumbersInAnyThread|^NetworkTest\.ParallelDecay|^Model\.SameLastFramesForSerialAndParallelExecutors|^RumourModel\.BenchmarkSizeRuns|^SchellingModel\.RunsTwentySteps|^Checkpoint\.AResumedRun'

summary=()
status=0

# run_build NAME PRESET DIR "TARGETS" CTEST_ARGS...
run_build() {
  local name="$1" preset="$2" dir="$3" targets="$4"
  shift 4
  local log="$dir/sanitize.log" t0 t1 t2 rc line failed
  t0=$(date +%s)
  mkdir -p "$dir"
  echo "== $name: configure and build (preset $preset, $JOBS jobs)"
  # shellcheck disable=SC2086  # TARGETS is a list of words
  if ! cmake --preset "$preset" -DBUURTLAB_BUILD_BENCH=OFF -DBUURTLAB_BUILD_PYTHON=OFF >"$log" 2>&1 ||
    ! cmake --build "$dir" -j "$JOBS" $targets >>"$log" 2>&1; then
    tail -30 "$log"
    summary+=("$name: build failed, see $log")
    status=1
    return
  fi
  t1=$(date +%s)
  echo "== $name: tests"
  ctest --test-dir "$dir" --output-on-failure --no-tests=error "$@" 2>&1 | tee -a "$log" |
    grep -E '^ *[0-9]+/[0-9]+ Test|tests passed|Total Test time'
  rc=${PIPESTATUS[0]}
  t2=$(date +%s)
  line=$(grep -E 'tests passed' "$log" | tail -1)
  summary+=("$name: $line; build $((t1 - t0)) s, tests $((t2 - t1)) s")
  if [ "$rc" -ne 0 ]; then
    status=1
    failed=$(sed -n '/The following tests FAILED/,$p' "$log" | grep -E '^\s+[0-9]+ - ' | sed 's/^\s*/  /')
    summary+=("$name: failed:" "$failed")
  fi
}

if [ "$WHAT" = asan ] || [ "$WHAT" = all ]; then
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  run_build asan dev "$ROOT/build/dev" "" -L 'unit|cli' -E "$ASAN_EXCLUDE"
  unset ASAN_OPTIONS UBSAN_OPTIONS
fi

if [ "$WHAT" = tsan ] || [ "$WHAT" = all ]; then
  # halt_on_error: a race fails the test that shows it. The suppressions cover oneTBB's code only.
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$ROOT/tools/tsan.supp"
  run_build tsan tsan "$ROOT/build/tsan" "--target test_engine test_models" -R "$TSAN_TESTS"
  unset TSAN_OPTIONS
fi

echo
echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$status"
