// Runs a scenario: replicates, ticks, timeline events, phases, measurement and output.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "buurtlab/model.hpp"
#include "buurtlab/output.hpp"
#include "buurtlab/scenario.hpp"

namespace buurtlab {

struct Progress {
  std::uint32_t replicate = 0;
  std::uint32_t replicates = 1;
  Tick tick = 0;
  Tick ticks = 0;
  double elapsed_seconds = 0;
};

struct RunOptions {
  int threads = 0;  // 0 = serial reference executor
  const std::atomic<bool>* stop = nullptr;  // set (e.g. by a signal) to stop after the next tick
  std::function<void(const Progress&)> progress;  // called after every tick
};

struct PhaseTiming {
  std::string name;
  double seconds = 0;
};

struct RunResult {
  RunStatus status = RunStatus::running;
  std::uint32_t replicates_done = 0;
  Tick last_tick = 0;  // last tick completed in the last replicate run
  double seconds = 0;
  std::vector<PhaseTiming> phases;  // summed over replicates; "measure" and "events" included
  // Per replicate: the frame of the initial state and of the last tick completed.
  std::vector<IndicatorFrame> first;
  std::vector<IndicatorFrame> last;
  std::size_t peak_model_bytes = 0;
};

// Runs all replicates of `scenario` with `model`. `writer` may be null (no output). Timeline
// events due at a tick's start date are applied before its phases run, in file order.
RunResult run_simulation(const Model& model, const Scenario& scenario, const RunOptions& options,
                         TrajectoryWriter* writer);

}  // namespace buurtlab
