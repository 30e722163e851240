// Tests of the keyed counter-based random numbers (rng.hpp): reproducibility from the key alone,
// sensitivity to every part of the key, the distributions' moments, and rate conversion.
#include "buurtlab/rng.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <concepts>
#include <random>
#include <set>
#include <vector>

#include "buurtlab/executor.hpp"

namespace buurtlab {
namespace {

static_assert(std::uniform_random_bit_generator<Rng>);

constexpr int kDraws = 100'000;

std::vector<std::uint32_t> raw(Rng rng, int n) {
  std::vector<std::uint32_t> v(n);
  for (auto& x : v) x = rng();
  return v;
}

struct Moments {
  double mean = 0, sd = 0;
};
template <class Draw>
Moments moments(int n, Draw draw) {
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  return {mean, std::sqrt(sum2 / n - mean * mean)};
}

// Random123's published known-answer vector for Philox4x32-10 (counter 0, key 0). If this fails the
// underlying generator changed and every stored result of the engine would change with it.
TEST(RngTest, PhiloxKnownAnswer) {
  Rng rng(0, 0, 0, 0);
  EXPECT_EQ(rng(), 0x6627e8d5u);
  EXPECT_EQ(rng(), 0xe169c58du);
  EXPECT_EQ(rng(), 0xbc57ac4cu);
  EXPECT_EQ(rng(), 0x9b00dbd8u);
}

// The key layout documented in rng.hpp: key = seed, counter = (draw, id low 32, tick,
// stream << 16 | id bits 32..47).
TEST(RngTest, KeyLayoutMatchesDocumentation) {
  const std::uint64_t seed = 0x0123456789abcdefULL;
  const StreamId stream = 111;
  const Tick tick = 77;
  const AgentId id = 0x0000BEEF12345678ULL;
  Rng rng(seed, stream, tick, id);
  r123::Philox4x32 philox;
  for (std::uint32_t block = 0; block < 3; ++block) {
    const r123::Philox4x32::ctr_type ctr = {
        {block, 0x12345678u, tick, (std::uint32_t{stream} << 16) | 0xBEEFu}};
    const r123::Philox4x32::key_type key = {{0x89abcdefu, 0x01234567u}};
    const auto out = philox(ctr, key);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(rng(), out.v[i]) << "block " << block << " word " << i;
  }
}

TEST(RngTest, SameKeySameSequence) {
  EXPECT_EQ(raw(Rng(42, 7, 3, 1000), 64), raw(Rng(42, 7, 3, 1000), 64));
  Rng a(42, 7, 3, 1000), b(42, 7, 3, 1000);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(a.uniform(), b.uniform());
    EXPECT_EQ(a.normal(), b.normal());
    EXPECT_EQ(a.below(17), b.below(17));
  }
}

TEST(RngTest, AnyChangeOfKeyChangesSequence) {
  const auto base = raw(Rng(42, 7, 3, 1000), 8);
  EXPECT_NE(base, raw(Rng(43, 7, 3, 1000), 8)) << "seed";
  EXPECT_NE(base, raw(Rng(42 + (1ULL << 32), 7, 3, 1000), 8)) << "seed high half";
  EXPECT_NE(base, raw(Rng(42, 8, 3, 1000), 8)) << "stream";
  EXPECT_NE(base, raw(Rng(42, 7, 4, 1000), 8)) << "tick";
  EXPECT_NE(base, raw(Rng(42, 7, 3, 1001), 8)) << "agent id";
  EXPECT_NE(base, raw(Rng(42, 7, 3, 1000 + (1ULL << 32)), 8)) << "agent id bit 32";
  // Bit 47 is the highest id bit in the key; the test model relies on it to split streams.
  EXPECT_NE(base, raw(Rng(42, 7, 3, 1000 ^ (AgentId{1} << 47)), 8)) << "agent id bit 47";
}

TEST(RngTest, SameNumbersInAnyThread) {
  constexpr std::size_t n = 5000;
  auto draw_all = [&](const Executor& ex) {
    std::vector<double> out(n);
    ex.for_each(n, [&](std::size_t i) {
      Rng rng(9, stream::test_model, 12, i);
      out[i] = rng.uniform() + rng.normal();
    });
    return out;
  };
  const auto serial = draw_all(Executor::serial());
  EXPECT_EQ(serial, draw_all(Executor(2)));
  EXPECT_EQ(serial, draw_all(Executor(4)));
}

TEST(RngTest, UniformInUnitIntervalWithMeanOneHalf) {
  Rng rng(1, stream::test_model, 0, 0);
  double lo = 1, hi = 0;
  const Moments m = moments(kDraws, [&] {
    const double u = rng.uniform();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    return u;
  });
  EXPECT_GE(lo, 0.0);
  EXPECT_LT(hi, 1.0);
  EXPECT_LT(lo, 1e-3);  // the whole interval is reached
  EXPECT_GT(hi, 1 - 1e-3);
  EXPECT_NEAR(m.mean, 0.5, 0.005);  // sd of the mean is 0.0009
  EXPECT_NEAR(m.sd, std::sqrt(1.0 / 12.0), 0.005);
}

TEST(RngTest, UniformUsesAllMantissaBits) {
  // 53 random bits: some draws must have their lowest bit set at 2^-53 resolution.
  Rng rng(2, stream::test_model, 0, 0);
  bool odd = false;
  for (int i = 0; i < 100 && !odd; ++i) {
    const double u = rng.uniform();
    odd = (static_cast<std::uint64_t>(std::ldexp(u, 53)) & 1u) != 0;
  }
  EXPECT_TRUE(odd);
}

TEST(RngTest, UniformRangeAndBernoulli) {
  Rng rng(3, stream::test_model, 0, 0);
  const Moments m = moments(kDraws, [&] {
    const double x = rng.uniform(-2.0, 6.0);
    EXPECT_GE(x, -2.0);
    EXPECT_LT(x, 6.0);
    return x;
  });
  EXPECT_NEAR(m.mean, 2.0, 0.05);
  int yes = 0;
  for (int i = 0; i < kDraws; ++i) yes += rng.bernoulli(0.3);
  EXPECT_NEAR(yes / double(kDraws), 0.3, 0.007);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(rng.bernoulli(0.0));
    EXPECT_TRUE(rng.bernoulli(1.0));
  }
}

TEST(RngTest, BelowIsInRangeAndUniform) {
  Rng rng(4, stream::test_model, 0, 0);
  constexpr std::uint32_t n = 10;
  std::vector<int> count(n, 0);
  for (int i = 0; i < kDraws; ++i) {
    const std::uint32_t k = rng.below(n);
    ASSERT_LT(k, n);
    ++count[k];
  }
  // Expected 10,000 per value with sd ~95; allow 5 sd.
  for (std::uint32_t k = 0; k < n; ++k) EXPECT_NEAR(count[k], kDraws / n, 475) << "value " << k;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(rng.below(1), 0u);
}

TEST(RngTest, BelowLargeBoundIsUnbiased) {
  // With n = 3e9 a plain multiply-shift would hit the lower part of the range twice as often as
  // the upper part; the rejection step in below() must remove that (mean n/2, not ~0.43 n).
  Rng rng(5, stream::test_model, 0, 0);
  constexpr std::uint32_t n = 3'000'000'000u;
  const Moments m = moments(kDraws, [&] {
    const std::uint32_t k = rng.below(n);
    EXPECT_LT(k, n);
    return double(k) / n;
  });
  EXPECT_NEAR(m.mean, 0.5, 0.005);
  EXPECT_NEAR(m.sd, std::sqrt(1.0 / 12.0), 0.005);
}

TEST(RngTest, NormalMeanAndSd) {
  Rng rng(6, stream::test_model, 0, 0);
  const Moments std_normal = moments(kDraws, [&] { return rng.normal(); });
  EXPECT_NEAR(std_normal.mean, 0.0, 0.02);  // sd of the mean is 0.003
  EXPECT_NEAR(std_normal.sd, 1.0, 0.02);
  const Moments shifted = moments(kDraws, [&] { return rng.normal(5.0, 2.0); });
  EXPECT_NEAR(shifted.mean, 5.0, 0.04);
  EXPECT_NEAR(shifted.sd, 2.0, 0.04);
}

TEST(RngTest, NormalUsesExactlyFourWords) {
  // No state is carried between calls: a normal draw always consumes two uniforms (4 words), so
  // later draws never depend on how many normals came before.
  Rng a(7, stream::test_model, 0, 0), b(7, stream::test_model, 0, 0);
  a.normal();
  for (int i = 0; i < 4; ++i) b();
  EXPECT_EQ(a(), b());
}

TEST(RngTest, PoissonAndExponentialMeans) {
  Rng rng(8, stream::test_model, 0, 0);
  const Moments p = moments(kDraws, [&] { return double(rng.poisson(3.5)); });
  EXPECT_NEAR(p.mean, 3.5, 0.05);  // sd of the mean is 0.006
  EXPECT_NEAR(p.sd * p.sd, 3.5, 0.1);
  const Moments small = moments(kDraws, [&] { return double(rng.poisson(0.2)); });
  EXPECT_NEAR(small.mean, 0.2, 0.01);
  for (double mean : {0.0, 0.02, 0.5, 3.5, 12.0}) {  // precomputed exp(-mean): the same draws
    Rng a(9, stream::test_model, 1, 2), b(9, stream::test_model, 1, 2);
    for (int k = 0; k < 200; ++k) ASSERT_EQ(a.poisson(mean), b.poisson(PoissonMean(mean))) << mean;
  }
  EXPECT_EQ(rng.poisson(0.0), 0u);
  EXPECT_EQ(rng.poisson(-1.0), 0u);
  const Moments e = moments(kDraws, [&] {
    const double x = rng.exponential(4.0);
    EXPECT_GE(x, 0.0);
    EXPECT_TRUE(std::isfinite(x));
    return x;
  });
  EXPECT_NEAR(e.mean, 0.25, 0.005);
}

TEST(RngTest, RateToProbability) {
  EXPECT_DOUBLE_EQ(rate_to_probability(0.0, 1.0), 0.0);
  EXPECT_DOUBLE_EQ(rate_to_probability(1.0, 1.0), 1.0 - std::exp(-1.0));
  EXPECT_DOUBLE_EQ(rate_to_probability(2.0, 0.25), 1.0 - std::exp(-0.5));
  // Accurate for tiny rates, where 1 - exp(-x) would lose every digit.
  EXPECT_NEAR(rate_to_probability(1e-12, 1.0 / 52) / (1e-12 / 52), 1.0, 1e-9);
  EXPECT_LT(rate_to_probability(1e6, 1.0), 1.0 + 1e-15);
}

TEST(RngTest, WeeklyAndMonthlyProbabilitiesCompoundToTheSameYear) {
  for (const double rate : {0.01, 0.1, 1.0, 5.0, 26.0}) {
    const double year = rate_to_probability(rate, 1.0);
    const double week_dt = 7.0 / 365.25;
    const double weekly = rate_to_probability(rate, week_dt);
    const double monthly = rate_to_probability(rate, 1.0 / 12.0);
    const double via_weeks = 1.0 - std::pow(1.0 - weekly, 1.0 / week_dt);
    const double via_months = 1.0 - std::pow(1.0 - monthly, 12.0);
    EXPECT_NEAR(via_weeks, year, 1e-12) << "rate " << rate;
    EXPECT_NEAR(via_months, year, 1e-12) << "rate " << rate;
    // A naive rate * dt would not compound to the same year (the point of the conversion).
    if (rate >= 1.0) {
      EXPECT_GT(std::abs(1.0 - std::pow(1.0 - rate / 12.0, 12.0) - year), 1e-3);
    }
  }
}

TEST(RngTest, ReplicateSeeds) {
  EXPECT_EQ(replicate_seed(99, 0), 99u);
  std::set<std::uint64_t> seen{99};
  for (std::uint32_t r = 1; r <= 1000; ++r) {
    const std::uint64_t s = replicate_seed(99, r);
    EXPECT_TRUE(seen.insert(s).second) << "replicate " << r << " repeats a seed";
    EXPECT_EQ(s, replicate_seed(99, r));
    EXPECT_NE(s >> 32, 0u) << "the high half is random too";
  }
  EXPECT_NE(replicate_seed(99, 1), replicate_seed(100, 1));
}

TEST(RngTest, WorksWithBoostDistributions) {
  Rng rng(10, stream::test_model, 0, 0);
  boost::random::uniform_int_distribution<int> die(1, 6);
  std::vector<int> count(7, 0);
  for (int i = 0; i < 60'000; ++i) {
    const int k = die(rng);
    ASSERT_GE(k, 1);
    ASSERT_LE(k, 6);
    ++count[k];
  }
  for (int k = 1; k <= 6; ++k) EXPECT_NEAR(count[k], 10'000, 450) << "face " << k;

  // Reproducible through a distribution too.
  Rng a(11, stream::test_model, 5, 5), b(11, stream::test_model, 5, 5);
  boost::random::normal_distribution<double> nd(0.0, 1.0);
  boost::random::normal_distribution<double> nd2(0.0, 1.0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(nd(a), nd2(b));

  // And with the standard library's distributions.
  std::uniform_int_distribution<int> std_die(1, 6);
  Rng c(12, stream::test_model, 0, 0);
  for (int i = 0; i < 1000; ++i) {
    const int k = std_die(c);
    ASSERT_GE(k, 1);
    ASSERT_LE(k, 6);
  }
}

}  // namespace
}  // namespace buurtlab
