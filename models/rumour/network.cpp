#include "network.hpp"

#include <stdexcept>

#include "buurtlab/rng.hpp"

namespace buurtlab::rumour {

DirectedNetwork DirectedNetwork::klemm_eguiluz(const Population& nodes, std::uint32_t m,
                                               std::uint64_t seed) {
  const Slot n = nodes.slots();
  if (m < 1 || m >= n) throw std::invalid_argument("Klemm-Eguiluz network needs 1 <= m < nodes");
  DirectedNetwork net;
  net.offset_.reserve(std::size_t{n} + 1);
  net.target_.reserve(std::size_t{n} * m);
  net.in_degree_.assign(n, 0);

  std::vector<Slot> active(m);
  for (Slot a = 0; a < m; ++a) {
    active[a] = a;
    for (Slot b = 0; b < m; ++b)
      if (b != a) {
        net.target_.push_back(b);
        ++net.in_degree_[b];
      }
    net.offset_.push_back(static_cast<std::uint32_t>(net.target_.size()));
  }

  std::vector<double> weight(m);
  for (Slot v = m; v < n; ++v) {
    double sum = 0;
    for (std::uint32_t i = 0; i < m; ++i) {
      const Slot a = active[i];
      net.target_.push_back(a);
      weight[i] = 1.0 / ++net.in_degree_[a];
      sum += weight[i];
    }
    net.offset_.push_back(static_cast<std::uint32_t>(net.target_.size()));
    // Deactivate one active node with probability (1/k) / sum(1/k); v takes its place in the list
    // (the order of the active list only orders v's successors, never which nodes they are).
    Rng rng(seed, stream::rumour_network, 0, nodes.id(v));
    double u = rng.uniform() * sum;
    std::uint32_t out = m - 1;
    for (std::uint32_t i = 0; i < m; ++i) {
      if (u < weight[i]) {
        out = i;
        break;
      }
      u -= weight[i];
    }
    active[out] = v;
  }
  return net;
}

}  // namespace buurtlab::rumour
