// The memory estimate of a run and the memory available (include/buurtlab/memory.hpp): how the
// estimate grows with residents, replicates in flight, places and the flush interval, and how
// /proc/meminfo and cgroup limits are read.
#include "buurtlab/memory.hpp"

#include <gtest/gtest.h>

#include "buurtlab/simulation.hpp"
#include "hand_scenario.hpp"
#include "test_model.hpp"

namespace buurtlab::testing {
namespace {

TEST(MemoryEstimate, DefaultIsBytesPerResidentOfTheCity) {
  const auto model = make_test_model();
  HandScenario h;
  h.wijken = 2;
  h.buurten = 3;
  h.residents = 1000;
  const Scenario sc = hand_scenario(*model, h);
  EXPECT_EQ(model->estimate_bytes(sc), 6000u * kDefaultBytesPerResident);
}

TEST(MemoryEstimate, AddsOutputBuffersResultsAndTheProgram) {
  const auto model = make_test_model();
  HandScenario h;
  h.replicates = 4;
  Scenario sc = hand_scenario(*model, h);
  const double frame = double(model->indicators().size()) * double(sc.places.size()) * 8;
  const MemoryEstimate m = estimate_memory(*model, sc, 0);
  EXPECT_EQ(m.replicates_in_flight, 1u) << "the serial executor runs one replicate at a time";
  EXPECT_EQ(m.per_replicate, model->estimate_bytes(sc));
  EXPECT_EQ(m.output_per_replicate, std::uint64_t(2 * frame * 52)) << "flush_every 52";
  EXPECT_EQ(m.results, std::uint64_t(2 * frame * 4)) << "first and last frame of 4 replicates";
  EXPECT_EQ(m.total, m.per_replicate + m.output_per_replicate + m.results + kProgramBytes);
  // A flush interval longer than the run buffers the run, no more.
  sc.output.flush_every = 1'000'000;
  EXPECT_EQ(estimate_memory(*model, sc, 0).output_per_replicate,
            std::uint64_t(2 * frame * double(sc.ticks() + 1)));
}

TEST(MemoryEstimate, ReplicatesInFlightMultiplyTheModel) {
  const auto model = make_test_model();
  HandScenario h;
  h.replicates = 8;
  const Scenario sc = hand_scenario(*model, h);
  const MemoryEstimate one = estimate_memory(*model, sc, 0);
  const MemoryEstimate four = estimate_memory(*model, sc, 4, 4);
  EXPECT_EQ(four.replicates_in_flight, 4u);
  EXPECT_EQ(four.total - one.total, 3 * (one.per_replicate + one.output_per_replicate));
  // Left to the rule, as run_simulation would run it.
  EXPECT_EQ(estimate_memory(*model, sc, 2).replicates_in_flight, replicates_in_flight(sc, 2));
  // Never more than the scenario's replicates.
  EXPECT_EQ(estimate_memory(*model, sc, 64, 100).replicates_in_flight, 8u);
}

TEST(MemoryEstimate, SaturatesInsteadOfOverflowing) {
  const auto model = make_test_model();
  HandScenario h;
  h.replicates = 4'000'000'000u;  // beyond the loader's limit, as a program may build one
  const Scenario sc = hand_scenario(*model, h);
  const MemoryEstimate m = estimate_memory(*model, sc, 0);
  EXPECT_GT(m.total, m.results);
  EXPECT_GT(m.results, std::uint64_t{1} << 40);
}

TEST(AvailableMemory, ReadsMemAvailableInBytes) {
  EXPECT_EQ(meminfo_available("MemTotal:       32768000 kB\nMemFree:         1000 kB\n"
                              "MemAvailable:   20000000 kB\nBuffers: 1 kB\n"),
            std::uint64_t{20000000} * 1024);
  EXPECT_EQ(meminfo_available("MemTotal: 1 kB\n"), std::nullopt) << "kernels before 3.14";
  EXPECT_EQ(meminfo_available("MemAvailable: lots kB\n"), std::nullopt);
  EXPECT_EQ(meminfo_available(""), std::nullopt);
}

TEST(AvailableMemory, TheRoomUnderACgroupLimit) {
  EXPECT_EQ(cgroup_room("max\n", "123\n"), std::nullopt) << "cgroup v2: no limit";
  EXPECT_EQ(cgroup_room("9223372036854771712\n", "5\n"), std::nullopt) << "cgroup v1: no limit";
  EXPECT_EQ(cgroup_room("1073741824\n", "73741824\n"), std::uint64_t{1000000000});
  EXPECT_EQ(cgroup_room("1000\n", "2000\n"), 0u) << "over the limit already";
  EXPECT_EQ(cgroup_room("1000\n", ""), 1000u) << "usage unreadable: the limit itself";
}

TEST(AvailableMemory, IsReadOnLinux) {
  const auto a = available_memory_bytes();
  ASSERT_TRUE(a.has_value());
  EXPECT_GT(*a, 0u);
}

TEST(AvailableMemory, BytesReadForPeople) {
  EXPECT_EQ(bytes_text(512), "512 bytes");
  EXPECT_EQ(bytes_text(1536), "1.5 KiB");
  EXPECT_EQ(bytes_text(std::uint64_t{300} << 20), "300 MiB");
  EXPECT_EQ(bytes_text(std::uint64_t{5} << 30), "5.0 GiB");
}

}  // namespace
}  // namespace buurtlab::testing
