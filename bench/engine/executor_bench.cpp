// Overhead of the executors: the same loop over 1e6 indices serially and with 1, 2 and 4 threads,
// once with an empty body (pure scheduling cost per block) and once with a small amount of work.
#include <benchmark/benchmark.h>

#include <vector>

#include "buurtlab/executor.hpp"

namespace buurtlab {
namespace {

constexpr std::size_t kItems = 1'000'000;

void BM_ExecutorEmptyBlocks(benchmark::State& state) {
  const Executor ex(static_cast<int>(state.range(0)));
  std::vector<std::size_t> touched(block_count(kItems));
  for (auto _ : state) {
    ex.for_blocks(kItems, [&](const Block& b) { touched[b.index] = b.end; });
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kItems);
  state.counters["blocks_per_s"] = benchmark::Counter(
      double(block_count(kItems)), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ExecutorEmptyBlocks)->ArgName("threads")->Arg(0)->Arg(1)->Arg(2)->Arg(4);

void BM_ExecutorForEachWork(benchmark::State& state) {
  const Executor ex(static_cast<int>(state.range(0)));
  std::vector<double> a(kItems, 1.0), b(kItems);
  for (auto _ : state) {
    ex.for_each(kItems, [&](std::size_t i) { b[i] = a[i] * 0.99 + 0.01 * double(i & 7); });
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kItems);
}
BENCHMARK(BM_ExecutorForEachWork)->ArgName("threads")->Arg(0)->Arg(1)->Arg(2)->Arg(4);

}  // namespace
}  // namespace buurtlab
