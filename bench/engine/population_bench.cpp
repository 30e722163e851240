// Iterating a population column, the inner loop of every model phase: sum a float column over the
// living agents of a population of 1e6 slots, with and without holes left by removals.
#include <benchmark/benchmark.h>

#include "buurtlab/population.hpp"

namespace buurtlab {
namespace {

constexpr Slot kAgents = 1'000'000;

struct Filled {
  Population pop{"agents"};
  Column<float>* value = nullptr;
  explicit Filled(Slot hole_every) {
    value = &pop.add_column<float>("value", 0.0f);
    pop.reserve(kAgents);
    for (Slot i = 0; i < kAgents; ++i) (*value)[pop.add()] = 0.5f + float(i % 7) * 0.1f;
    if (hole_every > 0)
      for (Slot s = 0; s < kAgents; s += hole_every) pop.remove(s);
  }
};

void BM_PopulationColumnSum(benchmark::State& state) {
  static Filled dense(0);
  static Filled holes(10);  // every tenth slot empty
  Filled& f = state.range(0) ? holes : dense;
  const auto& alive = f.pop.alive_flags();
  const float* v = f.value->data();
  for (auto _ : state) {
    float sum = 0;
    for (Slot s = 0; s < f.pop.slots(); ++s)
      if (alive[s]) sum += v[s];
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * f.pop.slots());
  state.SetBytesProcessed(state.iterations() * f.pop.slots() * (sizeof(float) + 1));
}
BENCHMARK(BM_PopulationColumnSum)->ArgName("holes")->Arg(0)->Arg(1);

// Removal and re-adding at a tick boundary (slot reuse through the free-slot heap).
void BM_PopulationChurn(benchmark::State& state) {
  static Filled f(0);
  Slot next = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) {
      f.pop.remove(next);
      benchmark::DoNotOptimize(f.pop.add());
      next = (next + 7919) % kAgents;
    }
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_PopulationChurn);

}  // namespace
}  // namespace buurtlab
