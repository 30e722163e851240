// Tests of the executors (executor.hpp): fixed block boundaries independent of the thread count,
// exact coverage of [0, n), and identical per-block results for serial and parallel execution.
#include "buurtlab/executor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "buurtlab/rng.hpp"

namespace buurtlab {
namespace {

const std::size_t kSizes[] = {
    0, 1, 2, kBlockSize - 1, kBlockSize, kBlockSize + 1, 5000, 8 * kBlockSize, 8 * kBlockSize + 7};

TEST(ExecutorTest, BlockCount) {
  EXPECT_EQ(block_count(0), 0u);
  EXPECT_EQ(block_count(1), 1u);
  EXPECT_EQ(block_count(kBlockSize), 1u);
  EXPECT_EQ(block_count(kBlockSize + 1), 2u);
  EXPECT_EQ(block_count(10 * kBlockSize), 10u);
}

TEST(ExecutorTest, Construction) {
  EXPECT_THROW(Executor(-1), std::invalid_argument);
  EXPECT_TRUE(Executor::serial().is_serial());
  EXPECT_EQ(Executor::serial().threads(), 0);
  const Executor ex(3);
  EXPECT_FALSE(ex.is_serial());
  EXPECT_EQ(ex.threads(), 3);
  EXPECT_NE(ex.describe().find('3'), std::string::npos);
  EXPECT_NE(Executor::serial().describe().find("serial"), std::string::npos);
}

class ExecutorCoverage : public ::testing::TestWithParam<int> {};

TEST_P(ExecutorCoverage, ForBlocksCoversEveryIndexOnceWithFixedBoundaries) {
  const Executor ex(GetParam());
  for (std::size_t n : kSizes) {
    std::vector<std::atomic<int>> hits(n);
    const std::size_t nb = block_count(n);
    std::vector<std::atomic<int>> block_calls(nb);
    std::vector<Block> seen(nb, Block{~std::size_t{0}, 0, 0});
    ex.for_blocks(n, [&](const Block& b) {
      ASSERT_LT(b.index, nb);
      block_calls[b.index]++;
      seen[b.index] = b;
      for (std::size_t i = b.begin; i < b.end; ++i) hits[i]++;
    });
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "n=" << n << " i=" << i;
    for (std::size_t b = 0; b < nb; ++b) {
      EXPECT_EQ(block_calls[b].load(), 1) << "n=" << n << " block " << b;
      EXPECT_EQ(seen[b].index, b);
      EXPECT_EQ(seen[b].begin, b * kBlockSize) << "n=" << n;
      EXPECT_EQ(seen[b].end, std::min(n, (b + 1) * kBlockSize)) << "n=" << n;
    }
  }
}

TEST_P(ExecutorCoverage, ForEachAndForTasksCoverEveryIndexOnce) {
  const Executor ex(GetParam());
  for (std::size_t n : kSizes) {
    std::vector<std::atomic<int>> hits(n);
    ex.for_each(n, [&](std::size_t i) { hits[i]++; });
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "n=" << n;
  }
  std::vector<std::atomic<int>> tasks(7);
  ex.for_tasks(7, [&](std::size_t i) { tasks[i]++; });
  for (auto& t : tasks) EXPECT_EQ(t.load(), 1);
  ex.for_tasks(0, [&](std::size_t) { ADD_FAILURE() << "no task expected"; });
}

TEST_P(ExecutorCoverage, NeverUsesMoreThreadsThanAsked) {
  const int threads = GetParam();
  const Executor ex(threads);
  std::mutex m;
  std::set<std::thread::id> ids;
  ex.for_blocks(64 * kBlockSize, [&](const Block&) {
    // Some work per block so several workers get a chance to join.
    volatile double x = 0;
    for (int i = 0; i < 20000; ++i) x = x + i;
    std::lock_guard lock(m);
    ids.insert(std::this_thread::get_id());
  });
  EXPECT_GE(ids.size(), 1u);
  EXPECT_LE(ids.size(), static_cast<std::size_t>(threads == 0 ? 1 : threads));
  if (threads == 0) {
    EXPECT_EQ(*ids.begin(), std::this_thread::get_id()) << "serial runs inline";
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, ExecutorCoverage, ::testing::Values(0, 1, 2, 4),
                         [](const auto& info) { return "threads" + std::to_string(info.param); });

// Per-block results: a floating-point sum over each block and the list of indices it saw.
std::vector<double> per_block_sums(const Executor& ex, std::size_t n) {
  std::vector<double> sums(block_count(n), 0.0);
  ex.for_blocks(n, [&](const Block& b) {
    double s = 0;
    for (std::size_t i = b.begin; i < b.end; ++i) s += Rng(3, stream::test_model, 1, i).normal();
    sums[b.index] = s;
  });
  return sums;
}

TEST(ExecutorTest, SerialAndParallelGiveIdenticalPerBlockResults) {
  const std::size_t n = 20 * kBlockSize + 500;
  const auto reference = per_block_sums(Executor::serial(), n);
  ASSERT_EQ(reference.size(), 21u);
  for (int threads : {1, 2, 4}) {
    const auto got = per_block_sums(Executor(threads), n);
    ASSERT_EQ(got.size(), reference.size());
    EXPECT_EQ(std::memcmp(got.data(), reference.data(), got.size() * sizeof(double)), 0)
        << threads << " threads";
  }
}

TEST(ExecutorTest, AnExecutorIsReusableAndCopyable) {
  const Executor a(2);
  const Executor b = a;  // copies share the arena
  for (int round = 0; round < 3; ++round) {
    std::atomic<std::size_t> total{0};
    b.for_each(3000, [&](std::size_t i) { total += i; });
    EXPECT_EQ(total.load(), 3000u * 2999u / 2u);
  }
}

}  // namespace
}  // namespace buurtlab
