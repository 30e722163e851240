// The state and step of the Schelling segregation reference model, kept apart from the engine
// wiring (model.cpp) so that tests can build small grids by hand.
//
// Specification (the cross-framework ABM benchmark's Schelling model): agents live on an X-by-X
// grid without wrap-around, one agent per cell. There are K agents in two groups of equal size
// (agent ids alternate between the groups; with an odd K group 0 has one more). Each step visits
// every agent once, in a random order; an agent counts the agents of its own group within
// Chebyshev distance r of its cell (itself excluded) and is happy if that count is at least the
// threshold. An unhappy agent moves at once to an empty cell drawn uniformly from all empty cells,
// so later agents of the same step see the move.
//
// Random activation with immediate, sequential moves is inherently serial: the step runs on one
// thread. It is still keyed and reproducible: the visiting order of step t is a Fisher-Yates
// permutation drawn from Rng(seed, schelling, t, kOrderKey), and an agent's choice of cell from
// Rng(seed, schelling, t, its id), so results do not depend on the executor.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "buurtlab/executor.hpp"
#include "buurtlab/population.hpp"
#include "buurtlab/types.hpp"

namespace buurtlab::schelling {

struct Params {
  int size = 40;       // X: the grid is size x size cells
  int agents = 1000;   // K
  int radius = 1;      // r: Chebyshev radius of the neighbourhood
  int threshold = 3;   // same-group neighbours needed to be happy
};

// Key of the draws that are not an agent's own: the visiting order (tick >= 1) and the initial
// placement (tick 0). Agent ids are dense from 0 and never reach it (only 48 bits are keyed).
inline constexpr AgentId kOrderKey = 0xFFFF'FFFF'FFFFull;

// An agent placed by hand: its cell (x, y) and group (0 or 1).
struct Placement {
  int x = 0;
  int y = 0;
  std::uint8_t group = 0;
};

class World {
 public:
  static constexpr std::uint8_t kEmpty = 0;  // cell_group value of an empty cell

  // K agents at random distinct cells (a permutation of all cells keyed by (seed, 0, kOrderKey);
  // agent i takes the i-th cell). Throws std::invalid_argument unless 0 < K < X*X.
  World(const Params& p, std::uint64_t seed);
  // Agents at the given cells, in order (agent i is placements[i]). For tests.
  World(const Params& p, std::span<const Placement> placements);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const Params& params() const { return p_; }
  // Changes the neighbourhood radius and the happiness threshold (a timeline event may).
  void set_rule(int radius, int threshold) {
    p_.radius = radius;
    p_.threshold = threshold;
  }
  std::uint32_t cells() const { return static_cast<std::uint32_t>(occupant_.size()); }
  std::uint32_t cell_of(int x, int y) const { return static_cast<std::uint32_t>(y * p_.size + x); }

  // Same-group agents within the Chebyshev radius of slot s's cell, s excluded.
  int same_group_neighbours(Slot s) const;
  bool happy(Slot s) const { return same_group_neighbours(s) >= p_.threshold; }
  // Agents that are unhappy now (a parallel count, for the initial state).
  std::uint32_t count_unhappy(const Executor& exec) const;

  // One step (tick t >= 1). Returns how many agents were unhappy at their turn (and so moved).
  std::uint32_t step(std::uint64_t seed, Tick t);

  // Every agent sits in the cell the grid says it does, and the empty-cell list holds exactly the
  // unoccupied cells (a test invariant).
  bool consistent() const;

  Population pop{"agent"};
  Column<std::uint32_t>& cell;   // cell index y * X + x
  Column<std::uint8_t>& group;   // 0 or 1

  Slot occupant(std::uint32_t c) const { return occupant_[c]; }
  const std::vector<std::uint32_t>& empty_cells() const { return empty_; }

 private:
  void place(Slot s, std::uint32_t c);
  void move(Slot s, std::uint32_t empty_index);

  Params p_;
  // Per cell: the slot of its agent (kNoSlot if empty), and 1 + its group (kEmpty if empty). The
  // second copy is what neighbour counts read: one byte per cell keeps the grid in cache.
  std::vector<Slot> occupant_;
  std::vector<std::uint8_t> cell_group_;
  // Empty cells in a list (uniform choice in O(1)) and each cell's position in that list.
  std::vector<std::uint32_t> empty_;
  std::vector<std::uint32_t> empty_pos_;
  std::vector<Slot> order_;  // visiting order, reused between steps
};

}  // namespace buurtlab::schelling
