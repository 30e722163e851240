// Cost of keyed random draws. Models create a fresh Rng per agent and tick, so both patterns are
// measured: many draws from one Rng, and one Rng constructed per draw.
#include <benchmark/benchmark.h>

#include "buurtlab/rng.hpp"

namespace buurtlab {
namespace {

constexpr int kDrawsPerIteration = 1 << 16;

void BM_RngUniform(benchmark::State& state) {
  Rng rng(1, stream::test_model, 1, 42);
  for (auto _ : state) {
    double s = 0;
    for (int i = 0; i < kDrawsPerIteration; ++i) s += rng.uniform();
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations() * kDrawsPerIteration);
}
BENCHMARK(BM_RngUniform);

// One Rng per agent, as in a model phase: construction plus the first draw.
void BM_RngUniformFreshPerAgent(benchmark::State& state) {
  Tick tick = 0;
  for (auto _ : state) {
    ++tick;
    double s = 0;
    for (int i = 0; i < kDrawsPerIteration; ++i)
      s += Rng(1, stream::test_model, tick, AgentId(i)).uniform();
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations() * kDrawsPerIteration);
}
BENCHMARK(BM_RngUniformFreshPerAgent);

void BM_RngBelow(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  Rng rng(2, stream::test_model, 1, 42);
  for (auto _ : state) {
    std::uint64_t s = 0;
    for (int i = 0; i < kDrawsPerIteration; ++i) s += rng.below(n);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations() * kDrawsPerIteration);
}
// A small bound, a typical neighbourhood size, and one where rejection is frequent (~30%).
BENCHMARK(BM_RngBelow)->Arg(10)->Arg(2400)->Arg(3'000'000'000LL);

void BM_RngNormal(benchmark::State& state) {
  Rng rng(3, stream::test_model, 1, 42);
  for (auto _ : state) {
    double s = 0;
    for (int i = 0; i < kDrawsPerIteration; ++i) s += rng.normal();
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations() * kDrawsPerIteration);
}
BENCHMARK(BM_RngNormal);

void BM_RngPoisson(benchmark::State& state) {
  Rng rng(4, stream::test_model, 1, 42);
  for (auto _ : state) {
    std::uint64_t s = 0;
    for (int i = 0; i < kDrawsPerIteration; ++i) s += rng.poisson(3.0);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations() * kDrawsPerIteration);
}
BENCHMARK(BM_RngPoisson);

}  // namespace
}  // namespace buurtlab
