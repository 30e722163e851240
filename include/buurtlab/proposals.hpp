// Interactions between agents as proposals: collected in parallel, applied in a fixed order.
//
// A phase that wants to change another agent's state (form a tie, ask for help, cast a vote) does
// not write it directly. It appends a proposal to the buffer of its block; afterwards the proposals
// are visited in block order and, within a block, in the order they were made. That order equals
// the order of a serial loop over agents, so the result does not depend on the thread count.
#pragma once
#include <cstddef>
#include <cstdint>
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

  // Visits the proposals group by group: groups run in parallel, and each group's proposals are
  // visited in the order for_each would visit them. `group(p)` names the group of a proposal in
  // [0, groups), or kAnyGroup for a proposal that may touch the state of more than one group; one
  // such proposal makes the whole visit serial (for_each). The result equals for_each's exactly
  // when proposals of different groups touch disjoint state, which is the caller's guarantee (e.g.
  // the neighbourhood model's ties never cross wijk boundaries, so encounters grouped by wijk
  // touch disjoint rows).
  static constexpr std::size_t kAnyGroup = static_cast<std::size_t>(-1);
  // `group` is called from several threads and must only read.
  template <class G, class F>
  void for_each_grouped(const Executor& exec, std::size_t groups, G&& group, F&& f) {
    if (groups <= 1 || exec.is_serial()) return for_each(f);
    // 1. Per block, count the proposals of each group (blocks in parallel).
    at_.assign(used_ * groups, 0);
    std::vector<char> any_group(used_, 0);
    exec.for_tasks(used_, [&](std::size_t b) {
      std::size_t* count = at_.data() + b * groups;
      for (const T& p : buffers_[b]) {
        const std::size_t g = group(p);
        if (g >= groups) {
          any_group[b] = 1;
          return;
        }
        ++count[g];
      }
    });
    for (char c : any_group)
      if (c) return for_each(f);
    // 2. Where each (group, block) run starts in the grouped order: groups one after another,
    //    within a group the blocks in order.
    start_.assign(groups + 1, 0);
    std::size_t pos = 0;
    for (std::size_t g = 0; g < groups; ++g) {
      start_[g] = pos;
      for (std::size_t b = 0; b < used_; ++b) {
        const std::size_t n = at_[b * groups + g];
        at_[b * groups + g] = pos;
        pos += n;
      }
    }
    start_[groups] = pos;
    // 3. Each block places its proposals (blocks in parallel; the runs are disjoint).
    order_.resize(pos);
    exec.for_tasks(used_, [&](std::size_t b) {
      std::size_t* next = at_.data() + b * groups;
      for (const T& p : buffers_[b]) order_[next[group(p)]++] = &p;
    });
    // 4. Groups in parallel, each in the serial order.
    exec.for_tasks(groups, [&](std::size_t g) {
      for (std::size_t i = start_[g]; i < start_[g + 1]; ++i) f(*order_[i]);
    });
  }

  std::size_t size() const {
    std::size_t n = 0;
    for (std::size_t b = 0; b < used_; ++b) n += buffers_[b].size();
    return n;
  }

 private:
  std::vector<std::vector<T>> buffers_;
  std::size_t used_ = 0;
  // Scratch of for_each_grouped, kept between calls to avoid reallocating every tick.
  std::vector<std::size_t> start_;
  std::vector<std::size_t> at_;  // per (block, group): count, then next position
  std::vector<const T*> order_;
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
