// Counter-based randomness keyed by identity, never by thread or call order.
//
// An Rng is created where it is needed from (run seed, stream, tick, agent id) and thrown away
// after use. It wraps Random123's Philox4x32-10: the key is the 64-bit run seed, the counter holds
// the stream, tick, agent id and a running draw index. Two Rngs with the same four values produce
// the same numbers in any thread, in any order, on any machine. Rng satisfies the C++
// UniformRandomBitGenerator concept, so Boost.Random distributions can draw from it; the helpers
// below cover the common cases with exactly specified draws.
#pragma once
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

#include "buurtlab/streams.hpp"
#include "buurtlab/types.hpp"

namespace buurtlab {

// A Poisson mean with its exp(-mean) precomputed (the inversion's first term).
struct PoissonMean {
  double mean = 0.0;
  double p0 = 1.0;
  PoissonMean() = default;
  explicit PoissonMean(double m) noexcept : mean(m), p0(m > 0.0 ? std::exp(-m) : 1.0) {}
};

class Rng {
 public:
  using result_type = std::uint32_t;

  Rng(std::uint64_t seed, StreamId stream, Tick tick, AgentId agent) noexcept {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    ctr_ = {{0u, static_cast<std::uint32_t>(agent), tick,
             (static_cast<std::uint32_t>(stream) << 16) |
                 static_cast<std::uint32_t>((agent >> 32) & 0xFFFFu)}};
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return 0xFFFFFFFFu; }

  result_type operator()() noexcept {
    if (next_ == 4) refill();
    return out_.v[next_++];
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() noexcept {
    const std::uint64_t hi = (*this)() >> 5;  // 27 bits
    const std::uint64_t lo = (*this)() >> 6;  // 26 bits
    return static_cast<double>((hi << 26) | lo) * 0x1.0p-53;
  }
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }

  bool bernoulli(double p) noexcept { return uniform() < p; }

  // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject), n >= 1.
  std::uint32_t below(std::uint32_t n) noexcept {
    std::uint64_t m = static_cast<std::uint64_t>((*this)()) * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
      while (low < threshold) {
        m = static_cast<std::uint64_t>((*this)()) * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

  // Exponential waiting time with the given rate (any unit; the result is in the inverse unit).
  double exponential(double rate) noexcept { return -std::log1p(-uniform()) / rate; }

  // Standard normal by the Box-Muller transform (two uniforms per call, no state carried over,
  // so the number of draws never depends on earlier calls).
  double normal(double mean = 0.0, double sd = 1.0) noexcept {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  // Poisson count (inversion; meant for the small means the models use, mean < ~30).
  std::uint32_t poisson(double mean) noexcept { return poisson(PoissonMean(mean)); }
  // The same draw with exp(-mean) computed once by the caller, for a mean shared by many agents.
  std::uint32_t poisson(const PoissonMean& m) noexcept {
    const double mean = m.mean;
    if (mean <= 0.0) return 0;
    double u = uniform();
    double p = m.p0;
    double cdf = p;
    std::uint32_t k = 0;
    while (u > cdf && k < 1000) {
      ++k;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }

 private:
  void refill() noexcept {
    out_ = r123::Philox4x32{}(ctr_, key_);
    ++ctr_.v[0];
    next_ = 0;
  }

  r123::Philox4x32::ctr_type ctr_{};
  r123::Philox4x32::key_type key_{};
  r123::Philox4x32::ctr_type out_{};
  unsigned next_ = 4;
};

// Probability that an event with the given rate (per year) happens within dt years:
// p = 1 - exp(-rate * dt). Models state rates in natural units and convert with this, so a scenario
// means the same thing at weekly or monthly ticks.
inline double rate_to_probability(double rate_per_year, double dt_years) noexcept {
  return -std::expm1(-rate_per_year * dt_years);
}

// Seed of replicate r, derived from the run seed so replicates are independent but reproducible.
inline std::uint64_t replicate_seed(std::uint64_t run_seed, std::uint32_t replicate) noexcept {
  if (replicate == 0) return run_seed;
  Rng rng(run_seed, stream::replicate_seed, 0, replicate);
  const std::uint64_t hi = rng();
  return (hi << 32) | rng();
}

}  // namespace buurtlab
