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
#include "buurtlab/spin_up.hpp"

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
  // The spin-up before time 0, which is not written; the file records its length and, once each
  // replicate has completed it, the settle check of these indicators (the model's summary ones).
  Tick spin_up_ticks = 0;
  Tick settle_window = 0;  // ticks per window of the check; 0: not checked
  SettleRule settle_rule;  // the run's (RunOptions::settle), for the verdict over replicates
  std::vector<std::string> settle_indicators;
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
  info.spin_up_ticks = scenario.spin_up_ticks();
  info.settle_window = settle_window(info.spin_up_ticks, scenario.tick.years());
  for (const std::string& name : model.summary_indicators())
    if (model.indicator_index(name)) info.settle_indicators.push_back(name);
  return info;
}

class TrajectoryWriter {
 public:
  virtual ~TrajectoryWriter() = default;
  virtual void write(std::uint32_t replicate, Tick tick, const IndicatorFrame& frame) = 0;
  // The settle check at the end of a replicate's spin-up, before its tick 0 is written. Kept with
  // the file's description and made durable by the next flush; writers without a place for it
  // ignore it.
  virtual void spin_up_checked(std::uint32_t /*replicate*/, const SpinUpCheck& /*check*/) {}
  virtual void flush() = 0;
  virtual void finish(RunStatus status) = 0;
  virtual const std::filesystem::path& path() const = 0;
};

// Creates `path` for writing. Throws InputError if the file exists and overwrite is false (the
// existing file is left untouched), RunError if it cannot be created.
std::unique_ptr<TrajectoryWriter> create_hdf5_writer(const std::filesystem::path& path,
                                                     const OutputInfo& info, bool overwrite);

// Opens the existing output file of the run `info` describes to continue it (`buurtlab resume`):
// checks that each indicator has the run's shape, marks the file running again (and records when
// it was resumed), and keeps what it holds; replicate r's writes continue after `kept[r]` time
// points (0: from the start; ticks + 1: complete). Throws InputError naming the file if it is not
// such a file or cannot be opened for writing (it is then left as it was).
std::unique_ptr<TrajectoryWriter> reopen_hdf5_writer(const std::filesystem::path& path,
                                                     const OutputInfo& info,
                                                     const std::vector<Tick>& kept);

}  // namespace buurtlab
