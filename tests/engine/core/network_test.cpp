// Tests of the tie network (network.hpp): symmetric updates, clamping, kind upgrades, the
// EvictWeakest capacity policy, per-row decay and pruning, and that every operation keeps both
// copies of a tie equal.
#include "buurtlab/network.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "buurtlab/executor.hpp"
#include "buurtlab/rng.hpp"

namespace buurtlab {
namespace {

TieKind kind_of(const TieNetwork& net, Slot a, Slot b) {
  const auto nb = net.neighbours(a);
  for (std::size_t i = 0; i < nb.size(); ++i)
    if (nb[i] == b) return net.kinds(a)[i];
  ADD_FAILURE() << "no tie " << a << "-" << b;
  return 255;
}

// Builds a random network: n agents, each proposing `per_agent` ties to random others.
TieNetwork random_network(Slot n, int per_agent, std::uint16_t capacity, std::uint64_t seed) {
  TieNetwork net(capacity);
  net.resize(n);
  for (Slot a = 0; a < n; ++a) {
    Rng rng(seed, stream::test_model, 0, a);
    for (int k = 0; k < per_agent; ++k) {
      const Slot b = rng.below(n);
      net.strengthen(a, b, static_cast<float>(rng.uniform(0.05, 0.6)),
                     static_cast<TieKind>(rng.below(3)));
    }
  }
  return net;
}

// Everything observable about a network, for bitwise comparisons.
struct Snapshot {
  std::vector<std::uint16_t> degree;
  std::vector<Slot> other;
  std::vector<float> weight;
  std::vector<TieKind> kind;
  bool operator==(const Snapshot&) const = default;
};
Snapshot snapshot(const TieNetwork& net) {
  Snapshot s;
  for (Slot a = 0; a < net.slots(); ++a) {
    s.degree.push_back(net.degree(a));
    for (auto x : net.neighbours(a)) s.other.push_back(x);
    for (auto x : net.weights(a)) s.weight.push_back(x);
    for (auto x : net.kinds(a)) s.kind.push_back(x);
  }
  return s;
}

TEST(NetworkTest, ZeroCapacityIsRejected) { EXPECT_THROW(TieNetwork(0), std::invalid_argument); }

TEST(NetworkTest, ResizeGrowsWithEmptyRowsAndNeverShrinks) {
  TieNetwork net(4);
  EXPECT_EQ(net.capacity(), 4);
  net.resize(3);
  EXPECT_EQ(net.slots(), 3u);
  net.strengthen(0, 2, 0.5f, 0);
  net.resize(10);
  EXPECT_EQ(net.slots(), 10u);
  for (Slot s = 3; s < 10; ++s) EXPECT_EQ(net.degree(s), 0);
  EXPECT_FLOAT_EQ(net.weight(2, 0), 0.5f) << "growing keeps existing ties";
  net.resize(2);
  EXPECT_EQ(net.slots(), 10u);
}

TEST(NetworkTest, StrengthenCreatesASymmetricTie) {
  TieNetwork net(8);
  net.resize(5);
  EXPECT_FALSE(net.has_tie(1, 3));
  EXPECT_EQ(net.weight(1, 3), 0.0f);
  EXPECT_TRUE(net.strengthen(1, 3, 0.25f, 2));
  EXPECT_TRUE(net.has_tie(1, 3));
  EXPECT_TRUE(net.has_tie(3, 1));
  EXPECT_EQ(net.weight(1, 3), 0.25f);
  EXPECT_EQ(net.weight(3, 1), 0.25f);
  EXPECT_EQ(kind_of(net, 1, 3), 2);
  EXPECT_EQ(kind_of(net, 3, 1), 2);
  EXPECT_EQ(net.degree(1), 1);
  EXPECT_EQ(net.degree(3), 1);
  EXPECT_EQ(net.degree(0), 0);
  EXPECT_EQ(net.total_ties(), 1u);
  EXPECT_TRUE(net.symmetric());
}

TEST(NetworkTest, NoSelfTiesAndNoEmptyTies) {
  TieNetwork net(8);
  net.resize(3);
  EXPECT_FALSE(net.strengthen(1, 1, 0.5f, 0));
  EXPECT_EQ(net.degree(1), 0);
  EXPECT_FALSE(net.strengthen(0, 1, 0.0f, 0));
  EXPECT_FALSE(net.strengthen(0, 1, -0.3f, 0));
  EXPECT_EQ(net.total_ties(), 0u);
}

TEST(NetworkTest, ReinforceAddsToBothCopies) {
  TieNetwork net(8);
  net.resize(3);
  net.strengthen(0, 1, 0.3f, 0);
  EXPECT_TRUE(net.strengthen(1, 0, 0.2f, 0));  // either end may reinforce
  EXPECT_EQ(net.weight(0, 1), 0.3f + 0.2f);
  EXPECT_EQ(net.weight(1, 0), 0.3f + 0.2f);
  EXPECT_EQ(net.degree(0), 1) << "reinforcing must not add a second entry";
  EXPECT_EQ(net.total_ties(), 1u);
  EXPECT_TRUE(net.strengthen(0, 1, -0.1f, 0));  // weakening is a negative delta
  EXPECT_EQ(net.weight(1, 0), 0.3f + 0.2f - 0.1f);
  EXPECT_TRUE(net.symmetric());
}

TEST(NetworkTest, WeightIsClampedToItsRange) {
  TieNetwork net(8);
  net.resize(3);
  net.strengthen(0, 1, 0.9f, 0);
  net.strengthen(0, 1, 0.5f, 0);
  EXPECT_EQ(net.weight(0, 1), 1.0f);
  EXPECT_EQ(net.weight(1, 0), 1.0f);
  net.strengthen(0, 1, 5.0f, 0, 2.0f);
  EXPECT_EQ(net.weight(0, 1), 2.0f) << "a custom max_weight";
  net.strengthen(0, 2, 3.0f, 0);
  EXPECT_EQ(net.weight(2, 0), 1.0f) << "a new tie is clamped too";
  net.strengthen(0, 2, -7.0f, 0);
  EXPECT_EQ(net.weight(0, 2), 0.0f);
  EXPECT_EQ(net.weight(2, 0), 0.0f);
  EXPECT_TRUE(net.symmetric());
}

TEST(NetworkTest, KindOnlyUpgrades) {
  TieNetwork net(8);
  net.resize(5);
  net.strengthen(0, 1, 0.1f, 1);
  net.strengthen(0, 1, 0.1f, 0);
  EXPECT_EQ(kind_of(net, 0, 1), 1) << "a weaker kind does not downgrade";
  EXPECT_EQ(kind_of(net, 1, 0), 1);
  net.strengthen(1, 0, 0.1f, 2);
  EXPECT_EQ(kind_of(net, 0, 1), 2);
  EXPECT_EQ(kind_of(net, 1, 0), 2);
  // set_kind is the explicit way to change it either way.
  net.set_kind(0, 1, 0);
  EXPECT_EQ(kind_of(net, 0, 1), 0);
  EXPECT_EQ(kind_of(net, 1, 0), 0);
  net.set_kind(0, 4, 1);  // no such tie: no effect
  EXPECT_TRUE(net.symmetric());
}

TEST(NetworkTest, RemoveAndClearKeepSymmetry) {
  TieNetwork net(8);
  net.resize(6);
  for (Slot b = 1; b < 6; ++b) net.strengthen(0, b, 0.1f * b, 0);
  net.strengthen(1, 2, 0.5f, 0);
  net.strengthen(3, 4, 0.5f, 0);
  EXPECT_EQ(net.total_ties(), 7u);

  net.remove(0, 3);
  EXPECT_FALSE(net.has_tie(0, 3));
  EXPECT_FALSE(net.has_tie(3, 0));
  EXPECT_EQ(net.degree(0), 4);
  EXPECT_EQ(net.degree(3), 1);
  EXPECT_EQ(net.total_ties(), 6u);
  EXPECT_TRUE(net.symmetric());
  net.remove(0, 3);  // absent: no effect
  net.remove(2, 5);
  EXPECT_EQ(net.total_ties(), 6u);

  net.clear(0);
  EXPECT_EQ(net.degree(0), 0);
  for (Slot b = 1; b < 6; ++b) EXPECT_FALSE(net.has_tie(b, 0)) << b;
  EXPECT_TRUE(net.has_tie(1, 2));
  EXPECT_TRUE(net.has_tie(4, 3));
  EXPECT_EQ(net.total_ties(), 2u);
  EXPECT_TRUE(net.symmetric());
  // The remaining weights are untouched by the swap-with-last erasure.
  EXPECT_EQ(net.weight(2, 1), 0.5f);
}

TEST(NetworkTest, FullRowEvictsItsWeakestTieForAStrongerNewcomer) {
  TieNetwork net(3);
  net.resize(6);
  net.strengthen(0, 1, 0.5f, 0);
  net.strengthen(0, 2, 0.2f, 0);
  net.strengthen(0, 3, 0.7f, 0);
  ASSERT_EQ(net.degree(0), 3);

  EXPECT_TRUE(net.strengthen(0, 4, 0.3f, 1));
  EXPECT_EQ(net.degree(0), 3);
  EXPECT_TRUE(net.has_tie(0, 4));
  EXPECT_TRUE(net.has_tie(4, 0));
  EXPECT_FALSE(net.has_tie(0, 2)) << "the weakest tie (0.2) is evicted";
  EXPECT_FALSE(net.has_tie(2, 0)) << "and disappears at its other end too";
  EXPECT_EQ(net.degree(2), 0);
  EXPECT_TRUE(net.has_tie(0, 1));
  EXPECT_TRUE(net.has_tie(0, 3));
  EXPECT_TRUE(net.symmetric());
  EXPECT_EQ(net.total_ties(), 3u);
}

TEST(NetworkTest, FullRowRefusesAWeakerOrEqualNewcomer) {
  TieNetwork net(3);
  net.resize(6);
  net.strengthen(0, 1, 0.5f, 0);
  net.strengthen(0, 2, 0.2f, 0);
  net.strengthen(0, 3, 0.7f, 0);
  const Snapshot before = snapshot(net);
  EXPECT_FALSE(net.strengthen(0, 4, 0.1f, 0));
  EXPECT_FALSE(net.strengthen(5, 0, 0.2f, 0)) << "equal to the weakest: refused";
  EXPECT_EQ(snapshot(net), before) << "a refused tie changes nothing";
  EXPECT_EQ(net.degree(4), 0);
  EXPECT_EQ(net.degree(5), 0);
  // Reinforcing an existing tie of a full row is always possible.
  EXPECT_TRUE(net.strengthen(0, 2, 0.1f, 0));
  EXPECT_EQ(net.weight(2, 0), 0.2f + 0.1f);
}

TEST(NetworkTest, EvictionAtTheOtherEnd) {
  // Row a has room; row b is full. The newcomer must beat b's weakest tie.
  TieNetwork net(2);
  net.resize(5);
  net.strengthen(1, 2, 0.4f, 0);
  net.strengthen(1, 3, 0.6f, 0);
  EXPECT_FALSE(net.strengthen(0, 1, 0.3f, 0));
  EXPECT_EQ(net.degree(0), 0);
  EXPECT_TRUE(net.strengthen(0, 1, 0.5f, 0));
  EXPECT_FALSE(net.has_tie(2, 1));
  EXPECT_TRUE(net.has_tie(1, 3));
  EXPECT_TRUE(net.symmetric());

  // Both rows full: each evicts its own weakest.
  net.strengthen(4, 2, 0.9f, 0);
  net.strengthen(4, 3, 0.1f, 0);  // 3 is now full too (1 and 4)
  // rows: 1 {3:0.6, 0:0.5}, 4 {2:0.9, 3:0.1}
  EXPECT_TRUE(net.strengthen(1, 4, 0.55f, 0));
  EXPECT_FALSE(net.has_tie(1, 0));
  EXPECT_FALSE(net.has_tie(4, 3));
  EXPECT_TRUE(net.has_tie(1, 4));
  EXPECT_TRUE(net.has_tie(3, 1));
  EXPECT_EQ(net.degree(0), 0);
  EXPECT_EQ(net.degree(3), 1);
  EXPECT_TRUE(net.symmetric());
}

TEST(NetworkTest, DecayRowByKind) {
  TieNetwork net(8);
  net.resize(4);
  net.strengthen(0, 1, 0.4f, 0);
  net.strengthen(0, 2, 0.4f, 1);
  net.strengthen(0, 3, 0.4f, 5);  // a kind without a factor is not decayed
  const float f[] = {0.5f, 0.9f};
  net.decay_row(0, f, 0.0f);
  EXPECT_EQ(net.weight(0, 1), 0.4f * 0.5f);
  EXPECT_EQ(net.weight(0, 2), 0.4f * 0.9f);
  EXPECT_EQ(net.weight(0, 3), 0.4f);
  // Only row 0 was decayed, so the network is (detectably) asymmetric until the others follow.
  EXPECT_FALSE(net.symmetric());
  for (Slot s = 1; s < 4; ++s) net.decay_row(s, f, 0.0f);
  EXPECT_TRUE(net.symmetric());
}

TEST(NetworkTest, DecayPrunesWeakTiesAtBothEnds) {
  TieNetwork net(8);
  net.resize(5);
  net.strengthen(0, 1, 0.05f, 0);
  net.strengthen(0, 2, 0.5f, 0);
  net.strengthen(0, 3, 0.08f, 0);
  net.strengthen(3, 4, 0.04f, 0);
  const float f[] = {0.5f};
  for (Slot s = 0; s < net.slots(); ++s) net.decay_row(s, f, 0.03f);
  EXPECT_FALSE(net.has_tie(0, 1));
  EXPECT_FALSE(net.has_tie(1, 0));
  EXPECT_FALSE(net.has_tie(3, 4));
  EXPECT_FALSE(net.has_tie(4, 3));
  EXPECT_TRUE(net.has_tie(0, 3)) << "0.04 stays above 0.03";
  EXPECT_EQ(net.weight(2, 0), 0.25f);
  EXPECT_EQ(net.total_ties(), 2u);
  EXPECT_TRUE(net.symmetric());
}

TEST(NetworkTest, RandomNetworkStaysSymmetricUnderChurn) {
  TieNetwork net = random_network(300, 20, 12, 3);
  EXPECT_TRUE(net.symmetric());
  std::size_t degree_sum = 0;
  for (Slot s = 0; s < net.slots(); ++s) {
    EXPECT_LE(net.degree(s), 12);
    degree_sum += net.degree(s);
  }
  EXPECT_EQ(net.total_ties() * 2, degree_sum);
  EXPECT_GT(net.total_ties(), 1000u);

  const float f[] = {0.8f, 0.9f, 0.95f};
  for (int round = 0; round < 10; ++round) {
    for (Slot s = 0; s < net.slots(); ++s) net.decay_row(s, f, 0.05f);
    ASSERT_TRUE(net.symmetric()) << "round " << round;
    for (Slot s = round; s < net.slots(); s += 37) net.clear(s);
    ASSERT_TRUE(net.symmetric()) << "round " << round;
  }
}

TEST(NetworkTest, ParallelDecayEqualsSerialDecay) {
  const float f[] = {0.8f, 0.9f, 0.95f};
  TieNetwork serial = random_network(5000, 8, 12, 4);
  TieNetwork parallel = random_network(5000, 8, 12, 4);
  ASSERT_EQ(snapshot(serial), snapshot(parallel));
  const Executor ex(4);
  for (int round = 0; round < 5; ++round) {
    Executor::serial().for_each(serial.slots(),
                                [&](std::size_t s) { serial.decay_row(Slot(s), f, 0.1f); });
    ex.for_each(parallel.slots(), [&](std::size_t s) { parallel.decay_row(Slot(s), f, 0.1f); });
  }
  EXPECT_TRUE(parallel.symmetric());
  EXPECT_EQ(snapshot(serial), snapshot(parallel));
}

// contact() is the one-pass form of the sequence a meeting applied per encounter; on random
// encounters over full and half-full rows (so evictions happen) it must leave the same network.
TEST(NetworkTest, ContactEqualsTheSequenceItReplaces) {
  TieNetwork fast = random_network(400, 10, 12, 5);
  TieNetwork slow = random_network(400, 10, 12, 5);
  const float promote_at = 0.5f;
  int formed = 0, promoted = 0;
  for (Slot a = 0; a < fast.slots(); ++a) {
    Rng rng(6, stream::test_model, 1, a);
    for (int k = 0; k < 6; ++k) {
      const Slot b = rng.below(fast.slots());
      const bool good = rng.bernoulli(0.7), form = rng.bernoulli(0.5);
      const auto delta = static_cast<float>(rng.uniform(0.05, 0.3));
      const bool tied = slow.has_tie(a, b);
      if (good) {
        if (tied || form) {
          formed += !tied && slow.strengthen(a, b, delta, 0);
          if (tied) slow.strengthen(a, b, delta, 0);
          if (slow.weight(a, b) >= promote_at) {
            promoted += kind_of(slow, a, b) < 2;
            slow.strengthen(a, b, 0.0f, 2);
          }
        }
        fast.contact(a, b, delta, 0, form, promote_at, 2);
      } else {
        if (tied) slow.strengthen(a, b, -2.0f * delta, 0);
        fast.contact(a, b, -2.0f * delta, 0, false, 2.0f, 0);
      }
      ASSERT_EQ(snapshot(fast), snapshot(slow)) << "encounter " << a << "-" << b;
    }
  }
  EXPECT_TRUE(fast.symmetric());
  EXPECT_GT(formed, 100) << "the test must form new ties";
  EXPECT_GT(promoted, 10) << "the test must promote ties";
  EXPECT_FALSE(fast.contact(3, 3, 0.5f, 0, true, 0.1f, 2)) << "no self ties";
}

TEST(NetworkTest, BytesCoverTheArrays) {
  TieNetwork net(10);
  net.resize(100);
  EXPECT_GE(net.bytes(), 100u * 10u * (sizeof(Slot) + sizeof(float) + sizeof(TieKind)));
}

}  // namespace
}  // namespace buurtlab
