// The state and tick of the rumour-spreading reference model (the benchmark of Repast HPC's
// rumour model), kept apart from the engine wiring (model.cpp) so tests can drive it directly.
//
// Specification: N nodes in a directed Klemm-Eguiluz network (network.hpp) with m active nodes;
// a number of distinct random nodes know the rumour at the start. Each tick every informed node
// passes the rumour to each of its uninformed successors with a fixed probability; nodes informed
// in a tick pass it on from the next tick. The number informed is recorded every tick.
//
// The tick runs in parallel and deterministically. Draws are keyed by (seed, rumour_spread, tick,
// informer id): an informer draws one uniform per successor that was uninformed at the start of
// the tick, in successor order. Informers are processed in blocks; each block lists the nodes it
// informs (Proposals), and a serial step marks them in block order. Since the set informed in a
// tick is the union of what each informer draws, the result does not depend on the order or the
// thread count, and equals a plain serial loop over all informed nodes.
//
// Only informers that still have an uninformed successor are visited: a node whose successors all
// know the rumour can never draw again, so dropping it changes no draw.
#pragma once
#include <cstdint>
#include <vector>

#include "buurtlab/executor.hpp"
#include "buurtlab/population.hpp"
#include "buurtlab/proposals.hpp"
#include "network.hpp"

namespace buurtlab::rumour {

struct Params {
  int nodes = 200'000;            // N
  int m = 10;                     // active nodes of the Klemm-Eguiluz growth
  int initially_informed = 10;
  double spread_probability = 0.01;
};

// Key of the draw of the initially informed nodes (ids are dense from 0 and never reach it).
inline constexpr AgentId kSeedKey = 0xFFFF'FFFF'FFFFull;

class World {
 public:
  // Builds the nodes, grows the network and informs `initially_informed` distinct random nodes,
  // drawn from Rng(seed, rumour_spread, 0, kSeedKey). Throws std::invalid_argument unless
  // 1 <= m < nodes and initially_informed <= nodes.
  World(const Params& p, std::uint64_t seed);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const Params& params() const { return p_; }
  void set_spread_probability(double p) { p_.spread_probability = p; }

  // One tick (t >= 1). Returns the number of nodes newly informed.
  std::uint32_t step(std::uint64_t seed, Tick t, const Executor& exec);

  std::uint64_t informed_count() const { return informed_count_; }
  // Informers still visited (informed nodes with an uninformed successor, give or take a tick).
  std::size_t open_informers() const { return open_.size(); }
  std::size_t memory_bytes() const;

  Population pop{"node"};
  Column<std::uint8_t>& informed;
  DirectedNetwork net;

 private:
  Params p_;
  std::uint64_t informed_count_ = 0;
  std::vector<Slot> open_;           // informers to visit next tick
  std::vector<std::uint8_t> keep_;   // per open informer: had an uninformed successor this tick
  Proposals<Slot> told_;             // per block: nodes informed this tick
};

}  // namespace buurtlab::rumour
