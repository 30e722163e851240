// Proposals: collected per block (serially or in parallel), then applied in block order to the
// tie network, as the meeting phase of the models does.
#include <benchmark/benchmark.h>

#include "buurtlab/executor.hpp"
#include "buurtlab/network.hpp"
#include "buurtlab/proposals.hpp"
#include "buurtlab/rng.hpp"

namespace buurtlab {
namespace {

constexpr Slot kAgents = 100'000;

struct TieProposal {
  Slot a, b;
};

void fill(Proposals<TieProposal>& props, const Executor& ex, Tick tick) {
  props.reset(kAgents);
  ex.for_blocks(kAgents, [&](const Block& blk) {
    auto& out = props.of(blk);
    for (Slot s = Slot(blk.begin); s < blk.end; ++s) {
      Rng rng(5, stream::test_model, tick, s);
      if (!rng.bernoulli(0.4)) continue;
      const Slot base = s - s % 500;
      out.push_back({s, base + rng.below(500)});
    }
  });
}

void BM_ProposalsFill(benchmark::State& state) {
  const Executor ex(static_cast<int>(state.range(0)));
  Proposals<TieProposal> props;
  Tick tick = 0;
  for (auto _ : state) {
    fill(props, ex, ++tick);
    benchmark::DoNotOptimize(props.size());
  }
  state.SetItemsProcessed(state.iterations() * kAgents);
}
BENCHMARK(BM_ProposalsFill)->ArgName("threads")->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_ProposalsFillAndApply(benchmark::State& state) {
  const Executor ex(static_cast<int>(state.range(0)));
  Proposals<TieProposal> props;
  TieNetwork net(24);
  net.resize(kAgents);
  const float factors[] = {0.9f};
  Tick tick = 0;
  for (auto _ : state) {
    fill(props, ex, ++tick);
    props.for_each([&](const TieProposal& p) { net.strengthen(p.a, p.b, 0.2f, 0); });
    // Keep the network at a steady size across iterations (untimed).
    state.PauseTiming();
    ex.for_each(kAgents, [&](std::size_t s) { net.decay_row(Slot(s), factors, 0.05f); });
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kAgents);
  state.counters["ties"] = double(net.total_ties());
}
BENCHMARK(BM_ProposalsFillAndApply)
    ->ArgName("threads")
    ->Arg(0)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond);

// Combining per-block partial sums in block order.
void BM_BlockPartialsSum(benchmark::State& state) {
  const Executor ex(static_cast<int>(state.range(0)));
  constexpr std::size_t n = 1'000'000;
  std::vector<double> x(n, 0.5);
  BlockPartials<double> parts;
  for (auto _ : state) {
    parts.reset(n, 0.0);
    ex.for_blocks(n, [&](const Block& b) {
      double s = 0;
      for (std::size_t i = b.begin; i < b.end; ++i) s += x[i];
      parts.of(b) = s;
    });
    benchmark::DoNotOptimize(parts.combine([](double& acc, double p) { acc += p; }));
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_BlockPartialsSum)->ArgName("threads")->Arg(0)->Arg(2);

}  // namespace
}  // namespace buurtlab
