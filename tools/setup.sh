#!/usr/bin/env bash
# Quick start for Buurtlab on Debian 12 (or a derivative): installs what is missing, builds, and
# runs the default scenario or the tests.
#
#   tools/setup.sh run    install, build (Release, build/release), run the default scenario into
#                         out/default.h5
#   tools/setup.sh test   install, build, run every test except those labelled `slow`
#   tools/setup.sh build  install and build only
#   tools/setup.sh bench  install, build, run every benchmark (engine parts, reference models,
#                         the city at 10,000 and 100,000 residents; 1,000,000 with --million),
#                         medians of 3 repetitions (docs/performance.md)
#
# Environment: BUURTLAB_JOBS sets the number of parallel compile jobs (default: all cores).
set -euo pipefail

# Every Debian package the build, the tests and the Python tools need.
PACKAGES=(
  cmake ninja-build g++ pkg-config git
  libtbb-dev libhdf5-dev libyaml-cpp-dev libboost-random-dev libboost-program-options-dev
  librandom123-dev libgtest-dev libbenchmark-dev
  python3-h5py python3-xarray python3-h5netcdf
  # buurtlab plot and report (tools/python), and their tests: headless Chromium opens the report
  python3-pandas python3-matplotlib python3-scipy python3-yaml chromium
  # the R example of docs/output.md, run by a test
  r-bioc-rhdf5
  # buurtlab lab: the HTTP server, and the browser test that drives the page in headless Chromium
  libcpp-httplib-dev python3-selenium chromium-driver
  # the Python module buurtlab (tools/pybuurtlab, docs/python.md)
  pybind11-dev python3-dev
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="build/release"
JOBS="${BUURTLAB_JOBS:-$(nproc 2>/dev/null || echo 2)}"

say() { printf '==> %s\n' "$*"; }
die() { printf 'setup.sh: error: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "all required packages are installed"
    return
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die "missing packages (${missing[*]}) and no apt-get: install them by hand"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 ||
      die "missing packages (${missing[*]}): run as root or install sudo"
    sudo=(sudo)
  fi
  say "installing ${missing[*]}"
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
}

configure_and_build() {
  say "configuring ($BUILD_DIR, Release)"
  cmake --preset release
  say "building with $JOBS jobs"
  cmake --build --preset release -j "$JOBS" "$@"
}

cmd_run() {
  install_packages
  configure_and_build --target buurtlab
  local out="out/default.h5"
  mkdir -p out
  if [ -e "$out" ]; then
    say "running the default scenario (replacing the previous $out)"
  else
    say "running the default scenario"
  fi
  "$BUILD_DIR/tools/buurtlab" run builtin:default.yaml -o "$out" --overwrite
  say "output: $ROOT/$out"
  say "README.md, section 'Output', shows how to open it with h5py or xarray"
}

cmd_test() {
  install_packages
  configure_and_build
  say "testing (everything except label 'slow')"
  ctest --test-dir "$BUILD_DIR" --output-on-failure -LE slow
}

cmd_bench() {
  install_packages
  configure_and_build --target buurtlab_bench_engine buurtlab_bench_reference buurtlab_bench_city
  local reps=(--benchmark_repetitions=3 --benchmark_report_aggregates_only=true
    --benchmark_counters_tabular=true)
  say "engine building blocks"
  "$BUILD_DIR/bench/buurtlab_bench_engine" "${reps[@]}"
  say "reference models (Schelling, rumour)"
  "$BUILD_DIR/bench/buurtlab_bench_reference" "${reps[@]}"
  say "the neighbourhood model at city sizes"
  "$BUILD_DIR/bench/buurtlab_bench_city" "${reps[@]}" "$@"
}

cmd_build() {
  install_packages
  configure_and_build
}

cd "$ROOT"
case "${1:-}" in
  run) cmd_run ;;
  test) cmd_test ;;
  build) cmd_build ;;
  bench)
    shift
    cmd_bench "$@"
    ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
esac
