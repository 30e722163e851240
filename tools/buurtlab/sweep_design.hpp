// The points of a sweep: a full grid of value lists, or a Latin hypercube over ranges.
//
// A point is a list of override values computed from its number whenever it is needed (grid:
// mixed-radix digits; Latin hypercube: one stored permutation per key and keyed jitter), so the
// points of a large sweep are never all held in memory. docs/ensembles.md defines the designs.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/rng.hpp"
#include "buurtlab/streams.hpp"
#include "text.hpp"

namespace buurtlab {

// Every point's scenario is loaded before anything runs; a million loads already take minutes.
inline constexpr std::size_t kMaxSweepPoints = 1'000'000;

// One --vary option.
struct Vary {
  std::string key;
  std::vector<std::string> values;  // grid: the values as written
  bool integer = false;             // Latin hypercube: the key takes whole numbers
  double lo = 0, hi = 0;            // Latin hypercube: the range
  std::string lo_text, hi_text;     // as written
};

class Design {
 public:
  // A full grid of the value lists, the last key varying fastest (like nested loops written in
  // the order of the --vary options).
  explicit Design(std::vector<Vary> vary) : vary_(std::move(vary)) {
    size_ = 1;
    for (const Vary& v : vary_) {
      if (v.values.size() > kMaxSweepPoints / size_)
        throw InputError("the grid has more than " + std::to_string(kMaxSweepPoints) +
                         " points; sweep fewer values or use --samples");
      size_ *= v.values.size();
    }
  }

  // A Latin hypercube of `samples` points over the ranges, keyed by `seed`: each range is cut
  // into `samples` equal strata; for every key a random permutation assigns the strata to the
  // points, and each point lies at a uniform random position within its stratum. Integer keys
  // are sampled over [lo, hi + 1) and rounded down, so each whole number gets its share.
  Design(std::vector<Vary> vary, std::size_t samples, std::uint64_t seed)
      : vary_(std::move(vary)), lhs_(true), seed_(seed), size_(samples) {
    for (std::size_t d = 0; d < vary_.size(); ++d) {
      std::vector<std::uint32_t> perm(samples);
      for (std::size_t i = 0; i < samples; ++i) perm[i] = static_cast<std::uint32_t>(i);
      Rng rng(seed_, stream::sweep_sample, static_cast<Tick>(2 * d), 0);
      for (std::size_t i = samples; i > 1; --i)
        std::swap(perm[i - 1], perm[rng.below(static_cast<std::uint32_t>(i))]);
      strata_.push_back(std::move(perm));
    }
  }

  bool latin_hypercube() const { return lhs_; }
  std::size_t size() const { return size_; }
  const std::vector<Vary>& vary() const { return vary_; }

  // The override values of point i, in the order of the keys.
  std::vector<std::string> values(std::size_t i) const {
    std::vector<std::string> out(vary_.size());
    if (!lhs_) {
      for (std::size_t d = vary_.size(); d-- > 0;) {
        const auto& vals = vary_[d].values;
        out[d] = vals[i % vals.size()];
        i /= vals.size();
      }
      return out;
    }
    for (std::size_t d = 0; d < vary_.size(); ++d) {
      const Vary& v = vary_[d];
      // The jitter is keyed by (key, point), so it does not depend on the other keys' draws.
      Rng rng(seed_, stream::sweep_sample, static_cast<Tick>(2 * d + 1), i);
      const double x = (double(strata_[d][i]) + rng.uniform()) / double(size_);
      if (v.integer) {
        const double k = std::min(std::floor(v.lo + x * (v.hi - v.lo + 1)), v.hi);
        out[d] = text::exact(k);
      } else {
        out[d] = text::exact(std::clamp(v.lo + x * (v.hi - v.lo), v.lo, v.hi));
      }
    }
    return out;
  }

 private:
  std::vector<Vary> vary_;
  bool lhs_ = false;
  std::uint64_t seed_ = 0;
  std::size_t size_ = 0;
  std::vector<std::vector<std::uint32_t>> strata_;  // per key: the stratum of each point
};

}  // namespace buurtlab
