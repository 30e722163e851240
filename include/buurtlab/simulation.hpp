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
#include "buurtlab/spin_up.hpp"

namespace buurtlab {

// Reported after every tick of every replicate. With several replicates in flight the calls come
// from different threads, but never two at once, and each replicate's ticks arrive in order.
struct Progress {
  std::uint32_t replicate = 0;  // the replicate that completed a tick
  std::uint32_t replicates = 1;
  bool spin_up = false;  // the tick was one of the spin-up's, before the start date
  Tick tick = 0;  // the tick it completed: 1..ticks, or 1..spin_up_ticks during the spin-up
  Tick ticks = 0;
  Tick spin_up_ticks = 0;
  // Ticks completed over all replicates, spin-up ticks included, of
  // replicates * (spin_up_ticks + ticks).
  std::uint64_t ticks_done = 0;
  std::uint32_t replicates_done = 0;  // replicates complete
  std::uint32_t running = 0;          // replicates started and not yet finished
  double elapsed_seconds = 0;
};

// A replicate's state after scenario tick `tick`, for a checkpoint file (RunOptions::checkpoint).
// `state` holds the engine's part (the tick, the parameter values, the spin-up check) and the
// model's (ModelInstance::save_state), to be handed back unchanged in a ReplicateStart.
struct ReplicateCheckpoint {
  std::uint32_t replicate = 0;
  Tick tick = 0;
  std::string state;
};

// Where a replicate starts when a run is resumed (RunOptions::resume).
struct ReplicateStart {
  enum class From { beginning, state, complete };
  From from = From::beginning;
  std::string state;  // From::state: a ReplicateCheckpoint's state
  // From::state and From::complete: the frames of time point 0 and of the last time point the
  // output holds, for RunResult::first and last (the caller reads them from its output).
  IndicatorFrame first, last;
};

struct RunOptions {
  int threads = 0;  // 0 = serial reference executor
  // Replicates run at the same time; 0 lets replicates_in_flight() choose. The serial executor
  // always runs them one after another.
  std::uint32_t replicates_in_flight = 0;
  const std::atomic<bool>* stop = nullptr;  // set (e.g. by a signal) to stop after the next tick
  std::function<void(const Progress&)> progress;  // called after every tick
  // Called once, when the last replicate completes its spin-up, with the settle check over all
  // replicates (serialised like `progress`). Not called without a spin-up, nor when a stop comes
  // before every replicate has completed its spin-up.
  std::function<void(const SpinUpCheck&)> spin_up_checked;
  SettleRule settle;  // when the settle check reports an indicator as drifting
  // Checkpoints: a replicate's state goes to `checkpoint` after a tick that completes an output
  // chunk (flush_every time points; the writer is flushed first, so the output holds every time
  // point up to that tick) once at least `checkpoint_every` ticks have passed since its last
  // checkpoint, and after its last tick. 0: none. The spin-up has none. Serialised like
  // `progress`. Needs a model with ModelInstance::can_checkpoint().
  Tick checkpoint_every = 0;
  std::function<void(const ReplicateCheckpoint&)> checkpoint;
  // Resuming: one entry per replicate, or null to start every replicate from the beginning. A
  // replicate resumed from a state continues after its checkpoint's tick and writes from the next
  // time point on; its frames and results are those an uninterrupted run gives, bit for bit.
  const std::vector<ReplicateStart>* resume = nullptr;
};

struct PhaseTiming {
  std::string name;
  double seconds = 0;
};

struct RunResult {
  RunStatus status = RunStatus::running;
  Tick ticks = 0;                          // per replicate
  std::uint32_t replicates_done = 0;       // replicates complete (not necessarily 0..k-1)
  std::uint32_t replicates_in_flight = 1;  // replicates run at the same time
  // Per replicate (scenario.replicates entries): time points computed and handed to the writer;
  // 0 for a replicate never started, 1 for the initial state alone, ticks + 1 when complete. Once
  // the writer is finished, the file's `ticks_written` says the same.
  std::vector<Tick> time_points;
  double seconds = 0;
  // Summed over replicates; "initialise", "events", "measure" and "output" included. With
  // several replicates in flight the sum exceeds the wall time.
  std::vector<PhaseTiming> phases;
  // Per replicate started: the frame of the initial state and of the last tick completed.
  // Replicates start in order, so those started are 0 .. first.size() - 1.
  std::vector<IndicatorFrame> first;
  std::vector<IndicatorFrame> last;
  std::size_t peak_model_bytes = 0;  // of one instance; each replicate in flight holds one
  // The spin-up: its ticks per replicate, the spin-up ticks computed over all replicates, per
  // replicate started its own settle check (`done` false where a stop came during the spin-up),
  // and the check over the replicates that completed their spin-up (not done() if none did).
  Tick spin_up_ticks = 0;
  std::uint64_t spin_up_ticks_done = 0;
  std::vector<SpinUpCheck> spin_up;
  SpinUpCheck settle;

  bool complete(std::uint32_t replicate) const {
    return replicate < time_points.size() && time_points[replicate] == ticks + 1;
  }
  // Ticks of the scenario completed over all replicates (initial states and spin-ups not counted).
  std::uint64_t ticks_done() const {
    std::uint64_t n = 0;
    for (Tick p : time_points) n += p > 0 ? p - 1 : 0;
    return n;
  }
};

// How many replicates run at the same time with `threads` worker threads (the rule is explained
// in docs/ensembles.md). A replicate's parallel loops are cut into blocks of kBlockSize agents,
// and it keeps about one thread busy per kBlocksPerThread blocks; threads beyond that serve more
// replicates at once. Replicates in flight hold one model instance each, so large populations,
// which keep many threads busy on their own, run one or a few at a time. Never more than the
// scenario's replicates; always 1 for the serial executor (threads == 0).
inline constexpr std::size_t kBlocksPerThread = 4;
std::uint32_t replicates_in_flight(const Scenario& scenario, int threads);

// Runs all replicates of `scenario` with `model`. `writer` may be null (no output). Each replicate
// first runs the scenario's spin-up (docs/scenarios.md): its ticks step the model with the
// scenario's parameters, fire no timeline events and are not written; the model's tick counter
// runs on through them, so scenario tick t is TickContext::tick = spin_up_ticks + t. Timeline
// events due at a tick's start date are applied before its phases run, in file order. Replicates
// in flight share the executor's threads; their calls to `writer` and `options.progress` are
// serialised, and the values written do not depend on how many run at once.
RunResult run_simulation(const Model& model, const Scenario& scenario, const RunOptions& options,
                         TrajectoryWriter* writer);

}  // namespace buurtlab
