// Writing trajectories. engine/output is the only place that touches HDF5.
//
// A writer receives one IndicatorFrame per (replicate, tick) in increasing tick order per
// replicate, buffers them, and makes them durable on flush(). A file being written is marked
// incomplete from the start; finish() marks it complete, interrupted or failed. The layout is
// documented in docs/output.md.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "buurtlab/model.hpp"
#include "buurtlab/rng.hpp"
#include "buurtlab/scenario.hpp"

namespace buurtlab {

enum class RunStatus : std::uint8_t { running, complete, interrupted, failed };
const char* to_string(RunStatus s);

// Everything a writer needs to lay out a file before the first tick.
struct OutputInfo {
  const Scenario* scenario = nullptr;
  const std::vector<IndicatorDecl>* indicators = nullptr;
  std::string model;
  std::uint32_t replicates = 1;
  std::vector<std::uint64_t> replicate_seeds;
  Tick ticks = 0;  // the time axis has ticks + 1 points (the initial state and each tick)
  Tick flush_every = 52;
  int threads = 0;
};

// The OutputInfo for running `scenario` with `model` on `threads` threads (seeds derived as the
// simulation derives them).
inline OutputInfo make_output_info(const Model& model, const Scenario& scenario, int threads) {
  OutputInfo info;
  info.scenario = &scenario;
  info.indicators = &model.indicators();
  info.model = scenario.model;
  info.replicates = scenario.replicates;
  for (std::uint32_t r = 0; r < scenario.replicates; ++r)
    info.replicate_seeds.push_back(replicate_seed(scenario.seed, r));
  info.ticks = scenario.ticks();
  info.flush_every = scenario.output.flush_every;
  info.threads = threads;
  return info;
}

class TrajectoryWriter {
 public:
  virtual ~TrajectoryWriter() = default;
  virtual void write(std::uint32_t replicate, Tick tick, const IndicatorFrame& frame) = 0;
  virtual void flush() = 0;
  virtual void finish(RunStatus status) = 0;
  virtual const std::filesystem::path& path() const = 0;
};

// Creates `path` for writing. Throws InputError if the file exists and overwrite is false (the
// existing file is left untouched), RunError if it cannot be created.
std::unique_ptr<TrajectoryWriter> create_hdf5_writer(const std::filesystem::path& path,
                                                     const OutputInfo& info, bool overwrite);

}  // namespace buurtlab
