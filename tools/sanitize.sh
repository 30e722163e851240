#!/usr/bin/env bash
# The unit tests under AddressSanitizer and UBSan (docs/reliability.md, "Sanitizers"):
#
#   tools/sanitize.sh          configure the `dev` preset (Debug, BUURTLAB_SANITIZE=ON) in
#                              build/dev, build the unit-test programs, run `ctest -L unit`
#
# Leaks are reported (detect_leaks=1) and the first UBSan report stops the test that made it.
# The CLI and Python tests are not run here: they start programs and Python interpreters that are
# not instrumented the same way. About 10 minutes on two cores (build 5-8, tests 2-3).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="${BUURTLAB_JOBS:-$(nproc 2>/dev/null || echo 2)}"
cd "$ROOT"
cmake --preset dev -DBUURTLAB_BUILD_BENCH=OFF -DBUURTLAB_BUILD_PYTHON=OFF >/dev/null
cmake --build build/dev -j "$JOBS" --target test_engine test_models test_tools
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/dev -L unit -j "$JOBS" --output-on-failure
