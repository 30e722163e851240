// Determinism across executors: a run of the test model must give bit-for-bit the same
// trajectory with the serial reference executor and with 1, 2 and 4 threads.
//
// The population (4,200 agents, five blocks of kBlockSize) is large enough that parallel runs
// really split every phase over several blocks, and the scenario exercises births and deaths,
// tie formation through proposals, decay with pruning, per-block reductions, a policy hook and a
// periodic parameter change. Every frame of every tick is compared, not just the last one, so a
// divergence is caught where it starts. Each parallel run is compared with the one serial run, so
// run-to-run variation at a fixed thread count would show here too.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <vector>

#include "../core/hand_scenario.hpp"
#include "buurtlab/simulation.hpp"
#include "test_model.hpp"

namespace buurtlab {
namespace {

// Keeps every frame of every replicate and tick, in memory.
class MemoryWriter final : public TrajectoryWriter {
 public:
  void write(std::uint32_t replicate, Tick tick, const IndicatorFrame& frame) override {
    auto& rep = frames[replicate];
    EXPECT_EQ(rep.size(), tick) << "frames arrive in tick order";
    rep.push_back(frame.values());
  }
  void flush() override {}
  void finish(RunStatus s) override { status = s; }
  const std::filesystem::path& path() const override { return path_; }

  std::map<std::uint32_t, std::vector<std::vector<double>>> frames;
  RunStatus status = RunStatus::running;

 private:
  std::filesystem::path path_ = "memory";
};

struct Trajectory {
  RunResult result;
  MemoryWriter writer;
};

testing::HandScenario determinism_scenario(std::uint64_t seed) {
  testing::HandScenario h;
  h.wijken = 2;
  h.buurten = 3;
  h.residents = 700;  // 4,200 agents: blocks 0-3 full, block 4 partial
  h.duration = {18, TimeUnit::month};
  h.seed = seed;
  h.replicates = 2;
  return h;
}

std::unique_ptr<Trajectory> run(int threads, std::uint64_t seed,
                                Period spin_up = {0, TimeUnit::year}) {
  static const auto model = testing::make_test_model();
  Scenario sc = testing::hand_scenario(*model, determinism_scenario(seed));
  sc.spin_up = spin_up;
  auto t = std::make_unique<Trajectory>();
  RunOptions opt;
  opt.threads = threads;
  t->result = run_simulation(*model, sc, opt, &t->writer);
  return t;
}

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// The serial run, computed once and shared by every parameterisation.
const Trajectory& reference() {
  static const std::unique_ptr<Trajectory> ref = run(0, 7);
  return *ref;
}

TEST(DeterminismReference, RunIsNonTrivial) {
  // Guards against a vacuous comparison: the run must change state in every way it can.
  const Trajectory& ref = reference();
  ASSERT_EQ(ref.result.status, RunStatus::complete);
  ASSERT_EQ(ref.result.replicates_done, 2u);
  const auto model = testing::make_test_model();
  const auto pop = *model->indicator_index("population");
  const auto ties = *model->indicator_index("ties");
  const auto leavers = *model->indicator_index("leavers");
  const auto& last = ref.result.last[0];
  EXPECT_EQ(last.at(pop, 0), 4200.0);
  EXPECT_GT(last.at(ties, 0), 1000.0);
  double total_leavers = 0;
  for (const auto& frame : ref.writer.frames.at(0)) total_leavers += frame[leavers * last.places()];
  EXPECT_GT(total_leavers, 100.0) << "agents left and were replaced (slot reuse exercised)";
  EXPECT_FALSE(bitwise_equal(ref.result.first[0].values(), last.values()));
}

class Determinism : public ::testing::TestWithParam<int> {};

TEST_P(Determinism, IdenticalToTheSerialReference) {
  const Trajectory& ref = reference();
  const auto got = run(GetParam(), 7);

  ASSERT_EQ(got->result.status, RunStatus::complete);
  ASSERT_EQ(got->writer.status, RunStatus::complete);
  ASSERT_EQ(got->result.last.size(), ref.result.last.size());
  for (std::size_t r = 0; r < ref.result.last.size(); ++r) {
    EXPECT_TRUE(bitwise_equal(got->result.first[r].values(), ref.result.first[r].values()))
        << "initial frame, replicate " << r;
    EXPECT_TRUE(bitwise_equal(got->result.last[r].values(), ref.result.last[r].values()))
        << "last frame, replicate " << r;
  }

  ASSERT_EQ(got->writer.frames.size(), ref.writer.frames.size());
  for (const auto& [rep, frames] : ref.writer.frames) {
    const auto& mine = got->writer.frames.at(rep);
    ASSERT_EQ(mine.size(), frames.size()) << "replicate " << rep;
    for (std::size_t t = 0; t < frames.size(); ++t)
      ASSERT_TRUE(bitwise_equal(mine[t], frames[t]))
          << "replicate " << rep << " first differs at tick " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Executors, Determinism, ::testing::Values(0, 1, 2, 4),
                         [](const auto& info) {
                           return info.param == 0 ? std::string("serial")
                                                  : "threads" + std::to_string(info.param);
                         });

TEST(DeterminismReference, ADifferentSeedGivesADifferentResult) {
  const auto other = run(0, 8);
  const Trajectory& ref = reference();
  EXPECT_FALSE(bitwise_equal(other->result.first[0].values(), ref.result.first[0].values()));
  EXPECT_FALSE(bitwise_equal(other->result.last[0].values(), ref.result.last[0].values()));
  // Replicates within one run differ from each other too.
  EXPECT_FALSE(bitwise_equal(ref.result.last[0].values(), ref.result.last[1].values()));
}

// With a spin-up the model runs 26 weekly ticks before the start, keyed by ticks 1-26, and the
// written ticks continue from there; the settle check is computed from those ticks. All of it must
// be the same for every executor.
TEST(DeterminismSpinUp, IdenticalForSerialOneAndTwoThreads) {
  const Period spin_up{26, TimeUnit::week};
  const auto serial = run(0, 7, spin_up);
  ASSERT_EQ(serial->result.status, RunStatus::complete);
  ASSERT_EQ(serial->result.spin_up_ticks, 26u);
  ASSERT_TRUE(serial->result.settle.checked());
  ASSERT_EQ(serial->result.settle.replicates, 2u);
  // The spin-up ran: the written start is not the initial state of the run without one.
  EXPECT_FALSE(
      bitwise_equal(serial->result.first[0].values(), reference().result.first[0].values()));
  for (int threads : {1, 2}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    const auto got = run(threads, 7, spin_up);
    ASSERT_EQ(got->result.status, RunStatus::complete);
    ASSERT_EQ(got->writer.frames.size(), serial->writer.frames.size());
    for (const auto& [rep, frames] : serial->writer.frames) {
      const auto& mine = got->writer.frames.at(rep);
      ASSERT_EQ(mine.size(), frames.size()) << "replicate " << rep;
      for (std::size_t t = 0; t < frames.size(); ++t)
        ASSERT_TRUE(bitwise_equal(mine[t], frames[t]))
            << "replicate " << rep << " first differs at tick " << t;
    }
    ASSERT_EQ(got->result.spin_up.size(), serial->result.spin_up.size());
    std::vector<SpinUpCheck> got_checks = got->result.spin_up, ref_checks = serial->result.spin_up;
    got_checks.push_back(got->result.settle);  // and the check over both replicates
    ref_checks.push_back(serial->result.settle);
    for (std::size_t r = 0; r < ref_checks.size(); ++r) {
      const auto& a = got_checks[r].indicators;
      const auto& b = ref_checks[r].indicators;
      ASSERT_EQ(a.size(), b.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        const std::vector<double> x = {a[i].previous, a[i].last, a[i].noise, a[i].change};
        const std::vector<double> y = {b[i].previous, b[i].last, b[i].noise, b[i].change};
        EXPECT_TRUE(bitwise_equal(x, y)) << "replicate " << r << ", " << a[i].name;
        EXPECT_EQ(a[i].settled, b[i].settled);
      }
    }
  }
}

}  // namespace
}  // namespace buurtlab
