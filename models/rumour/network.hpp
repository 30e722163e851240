// A directed scale-free network grown by the Klemm-Eguiluz model, for the rumour reference model.
//
// Klemm & Eguiluz, "Growing scale-free networks with small-world behavior", Phys. Rev. E 65
// (2002) 057102, directed as in Repast HPC's network builder (KEBuilder), whose rumour model is the
// benchmark this reproduces:
//   1. The first m nodes are active and fully connected (an edge from each to each other one).
//   2. Each further node v, in id order, gets an edge v -> a to every active node a.
//   3. One of those m active nodes is deactivated, node a with probability proportional to
//      1 / in_degree(a) (in-degrees counted after step 2, so never 0); then v becomes active.
// The model's mu (the chance that a link goes to a random node instead of an active one) is 0 here,
// as in the benchmark's builder, which has no such parameter: the network is highly clustered
// with a power-law in-degree distribution.
//
// Every node has out-degree m (m - 1 for the first m), so the network has m(m-1) + (N-m)m edges,
// about N*m. It is stored as compressed rows of successors indexed by slot. The engine's TieNetwork
// is not used: it is undirected, weighted and caps the degree per agent, whereas here in-degrees
// are heavy-tailed and edges have a direction and no weight.
//
// Growth is sequential by definition; it runs serially, and node v's deactivation draw comes from
// Rng(seed, rumour_network, 0, id of v), so the network depends on the seed alone.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "buurtlab/population.hpp"
#include "buurtlab/types.hpp"

namespace buurtlab::rumour {

class DirectedNetwork {
 public:
  std::span<const Slot> successors(Slot s) const {
    return {target_.data() + offset_[s], offset_[s + 1] - offset_[s]};
  }
  std::uint32_t in_degree(Slot s) const { return in_degree_[s]; }
  std::uint32_t out_degree(Slot s) const { return offset_[s + 1] - offset_[s]; }
  Slot nodes() const { return static_cast<Slot>(in_degree_.size()); }
  std::size_t edges() const { return target_.size(); }
  std::size_t bytes() const {
    return offset_.size() * sizeof(std::uint32_t) + target_.size() * sizeof(Slot) +
           in_degree_.size() * sizeof(std::uint32_t);
  }

  // Grows the network over every slot of `nodes` (slots 0..n-1, in slot order) with m active
  // nodes. Needs 1 <= m < n.
  static DirectedNetwork klemm_eguiluz(const Population& nodes, std::uint32_t m,
                                       std::uint64_t seed);

 private:
  std::vector<std::uint32_t> offset_{0};  // row s is target_[offset_[s], offset_[s+1])
  std::vector<Slot> target_;
  std::vector<std::uint32_t> in_degree_;
};

}  // namespace buurtlab::rumour
