// The neighbourhood model at city sizes, run by the engine's own loop (run_simulation) with all
// outputs on (every indicator at every place each tick, written to an HDF5 file in the temporary
// folder and removed afterwards), at 1 and 2 threads. The city has wijken of 10,000 residents in five buurten of 2,000
// (about the size of real buurten); 10,000 and 100,000 residents by default, and 1,000,000 with
// --million (slow). Each run is 52 weekly ticks (one year) by default, or --ticks=N.
//
// The reported time is the run alone (manual time: the run minus initialisation); the throughput
// is resident-ticks per second (items_per_second), initialisation is the counter setup_s, and
// every phase of the tick has a counter ns_<phase>: nanoseconds per resident-tick; model_MiB is
// the model's own count of the bytes its agents and ties take (RunResult::peak_model_bytes). Meaningful only
// in a Release build, e.g.
//   build/release/bench/buurtlab_bench_city --benchmark_repetitions=3
//   (add --benchmark_report_aggregates_only=true for the mean, median and spread only)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "buurtlab/output.hpp"
#include "buurtlab/simulation.hpp"
#include "neighbourhood/model.hpp"
#include "scenario_builder.hpp"

namespace buurtlab {
namespace {

constexpr int kBuurtResidents = 2000;
constexpr int kBuurtenPerWijk = 5;
int g_ticks = 52;

void BM_City(benchmark::State& state) {
  const auto model = neighbourhood::make_model();
  const auto residents = static_cast<int>(state.range(0));
  const int wijken = residents / (kBuurtResidents * kBuurtenPerWijk);
  const Scenario sc = testing::build_scenario(*model, wijken, kBuurtenPerWijk, kBuurtResidents,
                                              Period{g_ticks, TimeUnit::week});
  RunOptions options;
  options.threads = static_cast<int>(state.range(1));
  std::vector<PhaseTiming> phases;
  double setup = 0, model_bytes = 0;
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() /
      ("buurtlab_bench_city_" + std::to_string(::getpid()) + ".h5");
  for (auto _ : state) {
    auto writer = create_hdf5_writer(file, make_output_info(*model, sc, options.threads),
                                     /*overwrite=*/true);
    const RunResult r = run_simulation(*model, sc, options, writer.get());
    writer.reset();
    model_bytes = double(r.peak_model_bytes);
    double init = 0;
    for (const auto& p : r.phases) {
      if (p.name == "initialise") init = p.seconds;
      bool found = false;
      for (auto& q : phases)
        if (q.name == p.name) {
          q.seconds += p.seconds;
          found = true;
        }
      if (!found) phases.push_back(p);
    }
    setup += init;
    state.SetIterationTime(r.seconds - init);
  }
  std::filesystem::remove(file);
  const double resident_ticks = double(residents) * double(sc.ticks());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * resident_ticks));
  state.counters["setup_s"] = benchmark::Counter(setup, benchmark::Counter::kAvgIterations);
  state.counters["model_MiB"] = model_bytes / (1024.0 * 1024.0);
  for (const auto& p : phases) {
    if (p.name == "initialise") continue;
    state.counters["ns_" + p.name] =
        benchmark::Counter(1e9 * p.seconds / resident_ticks, benchmark::Counter::kAvgIterations);
  }
}

void register_benchmarks(bool million) {
  std::vector<std::int64_t> sizes = {10'000, 100'000};
  if (million) sizes.push_back(1'000'000);
  for (const std::int64_t n : sizes)
    for (const std::int64_t threads : {1, 2})
      benchmark::RegisterBenchmark("BM_City", BM_City)
          ->ArgNames({"residents", "threads"})
          ->Args({n, threads})
          ->UseManualTime()
          ->Unit(benchmark::kSecond)
          ->Iterations(n <= 10'000 ? 3 : 1);
}

}  // namespace
}  // namespace buurtlab

int main(int argc, char** argv) {
  // Our own flags are taken out before Google Benchmark sees the rest.
  bool million = false;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--million") == 0) {
      million = true;
    } else if (std::strncmp(argv[i], "--ticks=", 8) == 0) {
      buurtlab::g_ticks = std::atoi(argv[i] + 8);
      if (buurtlab::g_ticks < 1) {
        std::fprintf(stderr, "--ticks: got '%s', expected a whole number >= 1\n", argv[i] + 8);
        return 2;
      }
    } else {
      rest.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 2;
  buurtlab::register_benchmarks(million);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
