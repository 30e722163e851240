// Tests of proposals and per-block partials (proposals.hpp): whatever thread fills a block, they
// are visited and combined in the order of a serial loop over agents.
#include "buurtlab/proposals.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "buurtlab/rng.hpp"

namespace buurtlab {
namespace {

struct Proposal {
  std::size_t from;
  int k;
  bool operator==(const Proposal&) const = default;
};

constexpr std::size_t kAgents = 10 * kBlockSize + 123;  // 11 blocks, the last one partial

// Agent i proposes i % 4 times. In parallel runs, early blocks are made slower so that later
// blocks finish first and any order-of-completion dependence would show.
void fill(Proposals<Proposal>& props, const Executor& ex, bool stagger) {
  props.reset(kAgents);
  ex.for_blocks(kAgents, [&](const Block& b) {
    if (stagger && b.index < 3)
      std::this_thread::sleep_for(std::chrono::milliseconds(5 * (3 - b.index)));
    auto& out = props.of(b);
    for (std::size_t i = b.begin; i < b.end; ++i)
      for (int k = 0; k < int(i % 4); ++k) out.push_back({i, k});
  });
}

std::vector<Proposal> visit(const Proposals<Proposal>& props) {
  std::vector<Proposal> v;
  props.for_each([&](const Proposal& p) { v.push_back(p); });
  return v;
}

std::vector<Proposal> serial_loop() {
  std::vector<Proposal> v;
  for (std::size_t i = 0; i < kAgents; ++i)
    for (int k = 0; k < int(i % 4); ++k) v.push_back({i, k});
  return v;
}

TEST(ProposalsTest, ForEachVisitsInSerialLoopOrder) {
  const auto expected = serial_loop();
  for (int threads : {0, 1, 2, 4}) {
    Proposals<Proposal> props;
    fill(props, Executor(threads), threads > 1);
    EXPECT_EQ(props.size(), expected.size()) << threads << " threads";
    EXPECT_EQ(visit(props), expected) << threads << " threads";
  }
}

TEST(ProposalsTest, ResetClearsAndShrinksTheVisitedRange) {
  Proposals<Proposal> props;
  fill(props, Executor::serial(), false);
  ASSERT_GT(props.size(), 0u);
  props.reset(kAgents);
  EXPECT_EQ(props.size(), 0u) << "reset empties every buffer";
  EXPECT_TRUE(visit(props).empty());

  // Fill all blocks, then reset for a smaller population: the old tail blocks are not visited.
  fill(props, Executor::serial(), false);
  props.reset(kBlockSize + 1);  // two blocks
  props.of(Block{1, kBlockSize, kBlockSize + 1}).push_back({kBlockSize, 9});
  props.of(Block{0, 0, kBlockSize}).push_back({0, 8});
  EXPECT_EQ(visit(props), (std::vector<Proposal>{{0, 8}, {kBlockSize, 9}}));
  EXPECT_EQ(props.size(), 2u);

  props.reset(0);
  EXPECT_EQ(props.size(), 0u);
}

// Proposals grouped by a key that splits the state into disjoint parts: each group sees its
// proposals in the serial order, so an order-sensitive fold per group equals the serial one.
TEST(ProposalsTest, GroupedVisitKeepsTheSerialOrderWithinEachGroup) {
  constexpr std::size_t kGroups = 7;
  auto fold = [](std::uint64_t h, const Proposal& p) { return h * 1000003u + p.from * 31u + p.k; };
  std::vector<std::uint64_t> expected(kGroups, 1);
  for (const auto& p : serial_loop()) expected[p.from % kGroups] = fold(expected[p.from % kGroups], p);
  for (int threads : {0, 1, 2, 4}) {
    const Executor ex(threads);
    Proposals<Proposal> props;
    fill(props, ex, false);
    std::vector<std::uint64_t> got(kGroups, 1);
    std::size_t visited = 0;
    props.for_each_grouped(ex, kGroups, [](const Proposal& p) { return p.from % kGroups; },
                           [&](const Proposal& p) {
                             got[p.from % kGroups] = fold(got[p.from % kGroups], p);
                             if (threads <= 1) ++visited;  // one thread: safe to count
                           });
    EXPECT_EQ(got, expected) << threads << " threads";
    if (threads <= 1) EXPECT_EQ(visited, serial_loop().size());
  }
}

// One proposal without a group makes the visit serial, in the order of for_each.
TEST(ProposalsTest, GroupedVisitFallsBackToSerialOrder) {
  Proposals<Proposal> props;
  const Executor ex(3);
  fill(props, ex, false);
  std::vector<Proposal> seen;
  props.for_each_grouped(
      ex, 4,
      [](const Proposal& p) { return p.from == 5001 ? Proposals<Proposal>::kAnyGroup : p.from % 4; },
      [&](const Proposal& p) { seen.push_back(p); });  // serial: push_back is safe
  EXPECT_EQ(seen, serial_loop());
}

TEST(ProposalsTest, BlockPartialsCombineInBlockOrder) {
  // A combine that records its order: the result must list the blocks 0, 1, 2, ... whatever
  // thread computed which part.
  for (int threads : {0, 1, 2, 4}) {
    BlockPartials<std::vector<std::size_t>> parts;
    parts.reset(kAgents, {});
    Executor(threads).for_blocks(kAgents, [&](const Block& b) {
      if (threads > 1 && b.index == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      parts.of(b).push_back(b.index);
    });
    const auto order = parts.combine([](std::vector<std::size_t>& acc, const auto& p) {
      acc.insert(acc.end(), p.begin(), p.end());
    });
    std::vector<std::size_t> expected(block_count(kAgents));
    for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = i;
    EXPECT_EQ(order, expected) << threads << " threads";
  }
}

TEST(ProposalsTest, BlockPartialSumsAreBitwiseEqualForEveryThreadCount) {
  // Floating-point addition is not associative; combining in block order makes the sum
  // independent of the thread count.
  std::vector<double> x(kAgents);
  for (std::size_t i = 0; i < kAgents; ++i) x[i] = Rng(1, stream::test_model, 0, i).normal(0, 1e6);
  auto sum = [&](int threads) {
    BlockPartials<double> parts;
    parts.reset(kAgents, 0.0);
    Executor(threads).for_blocks(kAgents, [&](const Block& b) {
      for (std::size_t i = b.begin; i < b.end; ++i) parts.of(b) += x[i];
    });
    return parts.combine([](double& acc, double p) { acc += p; });
  };
  const double reference = sum(0);
  for (int threads : {1, 2, 4}) {
    const double s = sum(threads);
    EXPECT_EQ(std::memcmp(&s, &reference, sizeof s), 0) << threads << " threads";
  }
}

TEST(ProposalsTest, BlockPartialsResetToZero) {
  BlockPartials<int> parts;
  parts.reset(3 * kBlockSize, 5);
  EXPECT_EQ(parts.parts(), (std::vector<int>{5, 5, 5}));
  parts.of(Block{1, kBlockSize, 2 * kBlockSize}) = 7;
  EXPECT_EQ(parts.combine([](int& acc, int p) { acc += p; }), 5 + 5 + 7 + 5);
  parts.reset(kBlockSize, 0);
  EXPECT_EQ(parts.parts(), (std::vector<int>{0}));
  EXPECT_EQ(parts.combine([](int& acc, int p) { acc += p; }), 0);
}

}  // namespace
}  // namespace buurtlab
