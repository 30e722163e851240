#include "world.hpp"

#include <stdexcept>

#include "buurtlab/rng.hpp"

namespace buurtlab::rumour {

namespace {
const Population& populate(Population& pop, const Params& p) {
  if (p.nodes < 2 || p.m < 1 || p.m >= p.nodes)
    throw std::invalid_argument("rumour: needs 1 <= m < nodes");
  if (p.initially_informed < 0 || p.initially_informed > p.nodes)
    throw std::invalid_argument("rumour: initially_informed must be in [0, nodes]");
  pop.reserve(static_cast<std::size_t>(p.nodes));
  for (int i = 0; i < p.nodes; ++i) pop.add();
  return pop;
}
}  // namespace

World::World(const Params& p, std::uint64_t seed)
    : informed(pop.add_column<std::uint8_t>("informed", 0)),
      net(DirectedNetwork::klemm_eguiluz(populate(pop, p), static_cast<std::uint32_t>(p.m), seed)),
      p_(p) {
  Rng rng(seed, stream::rumour_spread, 0, kSeedKey);
  const auto n = static_cast<std::uint32_t>(p.nodes);
  while (informed_count_ < static_cast<std::uint64_t>(p.initially_informed)) {
    const Slot s = rng.below(n);
    if (informed[s]) continue;  // drawn twice: draw again
    informed[s] = 1;
    open_.push_back(s);
    ++informed_count_;
  }
}

std::uint32_t World::step(std::uint64_t seed, Tick t, const Executor& exec) {
  const double prob = p_.spread_probability;
  const std::size_t n_open = open_.size();
  told_.reset(n_open);
  keep_.assign(n_open, 0);
  // Parallel: informers draw against the state at the start of the tick; nothing writes
  // `informed` until the serial step below.
  exec.for_blocks(n_open, [&](const Block& b) {
    std::vector<Slot>& out = told_.of(b);
    for (std::size_t i = b.begin; i < b.end; ++i) {
      const Slot s = open_[i];
      Rng rng(seed, stream::rumour_spread, t, pop.id(s));
      bool open = false;
      for (const Slot v : net.successors(s)) {
        if (informed[v]) continue;
        open = true;
        if (rng.uniform() < prob) out.push_back(v);
      }
      keep_[i] = open;
    }
  });
  // Serial, in block order: drop closed informers, then mark the newly informed, who become
  // informers from the next tick.
  std::size_t w = 0;
  for (std::size_t i = 0; i < n_open; ++i)
    if (keep_[i]) open_[w++] = open_[i];
  open_.resize(w);
  std::uint32_t newly = 0;
  told_.for_each([&](Slot v) {
    if (informed[v]) return;  // told by two informers in one tick
    informed[v] = 1;
    open_.push_back(v);
    ++newly;
  });
  informed_count_ += newly;
  return newly;
}

std::size_t World::memory_bytes() const {
  return pop.slots() * pop.bytes_per_agent() + net.bytes() +
         open_.capacity() * (sizeof(Slot) + 1);
}

}  // namespace buurtlab::rumour
