// Trajectories kept in memory (the Python module's and the lab's writer): every frame lands at
// its (replicate, time) with its values unchanged, what was not written reads NaN, a forwarded HDF5
// file holds the same bits, each frame is reported once, and a frame of the wrong shape is refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "buurtlab/memory_output.hpp"
#include "buurtlab/output_reader.hpp"
#include "output_fixture.hpp"

namespace buurtlab {
namespace {

namespace fs = std::filesystem;

struct SmallRun : testing::OutputRun {
  SmallRun()
      : OutputRun("memory", {{"alpha", "share (0-1)", "a"}, {"beta", "count", "b"}}, 5, 3, 7, 70,
                  2, 1) {}
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(MemoryTrajectories, KeepsEachFrameWhereItWasWritten) {
  const SmallRun run;
  std::vector<std::pair<std::uint32_t, Tick>> seen;
  MemoryTrajectories mem(run.info, run.sc.places.size(), nullptr,
                         [&](std::uint32_t r, Tick t, const IndicatorFrame&) {
                           seen.emplace_back(r, t);
                         });
  ASSERT_EQ(mem.replicates(), 3u);
  ASSERT_EQ(mem.time_points(), 6u);
  ASSERT_EQ(mem.indicators(), 2u);
  ASSERT_EQ(mem.places(), 4u);
  // Replicate 2 stops after tick 3; replicate 1 is never started.
  for (Tick t = 0; t <= 5; ++t) mem.write(0, t, run.frame(0, t));
  for (Tick t = 0; t <= 3; ++t) mem.write(2, t, run.frame(2, t));
  mem.finish(RunStatus::interrupted);
  EXPECT_EQ(mem.status(), RunStatus::interrupted);
  EXPECT_EQ(seen.size(), 6u + 4u);
  EXPECT_TRUE(mem.path().empty());
  for (std::uint32_t r = 0; r < 3; ++r)
    for (Tick t = 0; t <= 5; ++t)
      for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t p = 0; p < 4; ++p) {
          const bool written = r == 0 || (r == 2 && t <= 3);
          if (written)
            EXPECT_EQ(mem.at(r, t, i, p), SmallRun::value(i, r, t, p)) << r << ' ' << t;
          else
            EXPECT_TRUE(std::isnan(mem.at(r, t, i, p))) << r << ' ' << t;
        }
}

TEST(MemoryTrajectories, ForwardsToAFileThatHoldsTheSameBits) {
  const SmallRun run;
  const fs::path path = fs::temp_directory_path() /
                        ("buurtlab_memory_" + std::to_string(::getpid()) + ".h5");
  fs::remove(path);
  {
    auto file = create_hdf5_writer(path, run.info, false);
    MemoryTrajectories mem(run.info, run.sc.places.size(), file.get());
    EXPECT_EQ(mem.path(), path);
    for (std::uint32_t r = 0; r < 3; ++r)
      for (Tick t = 0; t <= 5; ++t) mem.write(r, t, run.frame(r, t));
    mem.flush();
    mem.finish(RunStatus::complete);
    const auto reader = open_output(path);
    ASSERT_TRUE(reader->info().complete());
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t p = 0; p < 4; ++p) {
        const std::vector<double> v = reader->read_place(i, p);
        for (std::uint32_t r = 0; r < 3; ++r)
          for (Tick t = 0; t <= 5; ++t)
            EXPECT_TRUE(same_bits(v[r * 6 + t], mem.at(r, t, i, p))) << i << ' ' << p;
      }
  }
  fs::remove(path);
}

TEST(MemoryTrajectories, RefusesAFrameThatDoesNotFit) {
  const SmallRun run;
  MemoryTrajectories mem(run.info, run.sc.places.size());
  EXPECT_THROW(mem.write(3, 0, run.frame(0, 0)), std::logic_error);  // no replicate 3
  EXPECT_THROW(mem.write(0, 6, run.frame(0, 0)), std::logic_error);  // past the last tick
  EXPECT_THROW(mem.write(0, 0, IndicatorFrame(2, 3)), std::logic_error);  // 3 places, not 4
}

}  // namespace
}  // namespace buurtlab
