// Interactions between agents as proposals: collected in parallel, applied in a fixed order.
//
// A phase that wants to change another agent's state (form a tie, ask for help, cast a vote) does
// not write it directly. It appends a proposal to the buffer of its block; afterwards the proposals
// are visited in block order and, within a block, in the order they were made. That order equals
// the order of a serial loop over agents, so the result does not depend on the thread count.
#pragma once
#include <cstddef>
#include <vector>

#include "buurtlab/executor.hpp"

namespace buurtlab {

template <class T>
class Proposals {
 public:
  // Prepares one empty buffer per block of an n-agent loop (keeps capacity between ticks).
  void reset(std::size_t n_agents) {
    const std::size_t nb = block_count(n_agents);
    if (buffers_.size() < nb) buffers_.resize(nb);
    for (auto& b : buffers_) b.clear();
    used_ = nb;
  }

  // Buffer of one block; only the task running that block may append to it.
  std::vector<T>& of(const Block& b) { return buffers_[b.index]; }

  // Visits every proposal in deterministic (block, then insertion) order.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t b = 0; b < used_; ++b)
      for (const T& p : buffers_[b]) f(p);
  }

  std::size_t size() const {
    std::size_t n = 0;
    for (std::size_t b = 0; b < used_; ++b) n += buffers_[b].size();
    return n;
  }

 private:
  std::vector<std::vector<T>> buffers_;
  std::size_t used_ = 0;
};

// Per-block partial results of a reduction, combined in block order so that floating-point sums
// are identical for every thread count.
template <class T>
class BlockPartials {
 public:
  void reset(std::size_t n_agents, const T& zero) {
    parts_.assign(block_count(n_agents), zero);
    zero_ = zero;
  }
  T& of(const Block& b) { return parts_[b.index]; }
  template <class Combine>
  T combine(Combine&& c) const {
    T acc = zero_;
    for (const T& p : parts_) c(acc, p);
    return acc;
  }
  const std::vector<T>& parts() const { return parts_; }

 private:
  std::vector<T> parts_;
  T zero_{};
};

}  // namespace buurtlab
