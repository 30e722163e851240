// The reference models at the sizes of the cross-framework benchmarks, run by the engine's own
// loop (run_simulation, no output file), at 1 and 2 threads:
//   Schelling small: 40 x 40 grid, 1,000 agents, radius 1, threshold 3, 20 steps
//   Schelling large: 100 x 100 grid, 8,000 agents, radius 2, threshold 8, 20 steps
//   Rumour: 200,000 nodes, Klemm-Eguiluz m = 10, 10 informed, p = 0.01, 200 ticks
// The reported time is the run alone (manual time: the run minus the model's set-up, i.e. the
// ticks with their measurement); the set-up (grid and placement, or nodes and network) is the
// counter setup_ms. A fresh world is built for every iteration. Meaningful only in a Release
// build, e.g.
//   build/release/bench/buurtlab_bench_reference --benchmark_repetitions=3
//   (add --benchmark_report_aggregates_only=true for the mean, median and spread only)
#include <benchmark/benchmark.h>

#include <string>

#include "buurtlab/simulation.hpp"
#include "rumour/model.hpp"
#include "scenario_builder.hpp"
#include "schelling/model.hpp"

namespace buurtlab {
namespace {

double phase_seconds(const RunResult& r, const std::string& name) {
  for (const auto& p : r.phases)
    if (p.name == name) return p.seconds;
  return 0;
}

// Runs `sc` once per iteration; reports the run time and the set-up and final indicator as
// counters.
void run_reference(benchmark::State& state, const Model& model, const Scenario& sc,
                   const char* final_indicator) {
  RunOptions options;
  options.threads = static_cast<int>(state.range(0));
  const std::size_t ind = *model.indicator_index(final_indicator);
  double setup = 0, final_value = 0;
  for (auto _ : state) {
    const RunResult r = run_simulation(model, sc, options, nullptr);
    const double init = phase_seconds(r, "initialise");
    state.SetIterationTime(r.seconds - init);
    setup += init;
    final_value = r.last[0].at(ind, 0);
  }
  state.counters["setup_ms"] = benchmark::Counter(1e3 * setup, benchmark::Counter::kAvgIterations);
  state.counters[final_indicator] = final_value;
  state.counters["ticks"] = sc.ticks();
}

Scenario reference_scenario(const Model& model, int ticks) {
  // The places are a formality (the loader requires a city with a wijk and a buurt); the
  // reference models write their values for the city only.
  return testing::build_scenario(model, 1, 1, 0, Period{ticks, TimeUnit::day},
                                 Period{1, TimeUnit::day}, 1);
}

void BM_SchellingSmall(benchmark::State& state) {
  const auto model = schelling::make_model();
  Scenario sc = reference_scenario(*model, 20);
  sc.parameters.set("grid.size", 40);
  sc.parameters.set("agents", 1000);
  sc.parameters.set("neighbourhood.radius", 1);
  sc.parameters.set("happy.threshold", 3);
  run_reference(state, *model, sc, "unhappy");
}
BENCHMARK(BM_SchellingSmall)->ArgName("threads")->Arg(1)->Arg(2)->UseManualTime()
    ->Unit(benchmark::kMillisecond)->Iterations(200);

void BM_SchellingLarge(benchmark::State& state) {
  const auto model = schelling::make_model();
  Scenario sc = reference_scenario(*model, 20);
  sc.parameters.set("grid.size", 100);
  sc.parameters.set("agents", 8000);
  sc.parameters.set("neighbourhood.radius", 2);
  sc.parameters.set("happy.threshold", 8);
  run_reference(state, *model, sc, "unhappy");
}
BENCHMARK(BM_SchellingLarge)->ArgName("threads")->Arg(1)->Arg(2)->UseManualTime()
    ->Unit(benchmark::kMillisecond)->Iterations(20);

void BM_Rumour(benchmark::State& state) {
  const auto model = rumour::make_model();
  Scenario sc = reference_scenario(*model, 200);
  sc.parameters.set("network.nodes", 200'000);
  sc.parameters.set("network.m", 10);
  sc.parameters.set("rumour.initially_informed", 10);
  sc.parameters.set("rumour.spread_probability", 0.01);
  run_reference(state, *model, sc, "informed");
}
BENCHMARK(BM_Rumour)->ArgName("threads")->Arg(1)->Arg(2)->UseManualTime()
    ->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
}  // namespace buurtlab
