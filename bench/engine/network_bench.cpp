// Tie network operations at neighbourhood-model scale: 1e5 agents with about 12 ties each.
#include <benchmark/benchmark.h>

#include <vector>

#include "buurtlab/executor.hpp"
#include "buurtlab/network.hpp"
#include "buurtlab/rng.hpp"

namespace buurtlab {
namespace {

constexpr Slot kAgents = 100'000;
constexpr std::uint16_t kCapacity = 24;

struct Pair {
  Slot a, b;
};

// Random pairs drawn within groups of 500 (a buurt), as meetings are in the models.
std::vector<Pair> random_pairs(std::size_t n, std::uint64_t seed) {
  std::vector<Pair> pairs(n);
  for (std::size_t i = 0; i < n; ++i) {
    Rng rng(seed, stream::test_model, 0, i);
    const Slot a = rng.below(kAgents);
    const Slot base = a - a % 500;
    pairs[i] = {a, base + rng.below(500)};
  }
  return pairs;
}

// A network with ~12 ties per agent (each strengthen adds a tie at both ends).
const TieNetwork& base_network() {
  static const TieNetwork net = [] {
    TieNetwork n(kCapacity);
    n.resize(kAgents);
    for (const Pair& p : random_pairs(std::size_t{kAgents} * 6, 1)) n.strengthen(p.a, p.b, 0.3f, 0);
    return n;
  }();
  return net;
}

void BM_NetworkStrengthen(benchmark::State& state) {
  const auto pairs = random_pairs(kAgents, 2);
  TieNetwork net = base_network();
  for (auto _ : state) {
    state.PauseTiming();
    net = base_network();
    state.ResumeTiming();
    for (const Pair& p : pairs) net.strengthen(p.a, p.b, 0.2f, 1);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * pairs.size());
  state.counters["ties"] = double(base_network().total_ties());
}
BENCHMARK(BM_NetworkStrengthen)->Unit(benchmark::kMillisecond);

// Decay of every row (the parallel-safe per-row operation), with the given thread count.
void BM_NetworkDecayAllRows(benchmark::State& state) {
  const Executor ex(static_cast<int>(state.range(0)));
  const float factors[] = {0.98f, 0.99f};
  TieNetwork net = base_network();
  for (auto _ : state) {
    state.PauseTiming();
    net = base_network();
    state.ResumeTiming();
    ex.for_each(net.slots(), [&](std::size_t s) { net.decay_row(Slot(s), factors, 0.01f); });
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kAgents);
}
BENCHMARK(BM_NetworkDecayAllRows)
    ->ArgName("threads")
    ->Arg(0)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond);

// Weighted mean of the neighbours' values for every agent (the influence pattern).
void BM_NetworkNeighbourIteration(benchmark::State& state) {
  const TieNetwork& net = base_network();
  std::vector<double> value(kAgents), out(kAgents);
  for (Slot s = 0; s < kAgents; ++s) value[s] = Rng(3, stream::test_model, 0, s).uniform();
  std::size_t entries = 0;
  for (Slot s = 0; s < kAgents; ++s) entries += net.degree(s);
  for (auto _ : state) {
    for (Slot s = 0; s < kAgents; ++s) {
      const auto nb = net.neighbours(s);
      const auto w = net.weights(s);
      double ws = 0, vs = 0;
      for (std::size_t j = 0; j < nb.size(); ++j) {
        ws += w[j];
        vs += w[j] * value[nb[j]];
      }
      out[s] = ws > 0 ? vs / ws : value[s];
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kAgents);
  state.counters["ties_per_s"] =
      benchmark::Counter(double(entries), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_NetworkNeighbourIteration)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace buurtlab
