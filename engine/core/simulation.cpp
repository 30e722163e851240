#include "buurtlab/simulation.hpp"

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/rng.hpp"

namespace buurtlab {

namespace {
using SteadyClock = std::chrono::steady_clock;

double seconds_since(SteadyClock::time_point t0) {
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

struct DueEvent {
  Tick tick;
  std::size_t index;  // position in scenario.timeline: events of one tick fire in file order
};

// Expands the timeline into (tick, event) pairs. An occurrence on date d fires before the tick
// whose interval [date_of(t-1), date_of(t)) contains d, i.e. before tick t = first tick on or
// after d, plus one.
std::vector<DueEvent> schedule_events(const Scenario& sc, const Clock& clock) {
  std::vector<DueEvent> due;
  const Date end = clock.date_of(clock.ticks());
  for (std::size_t i = 0; i < sc.timeline.size(); ++i) {
    const TimelineEvent& ev = sc.timeline[i];
    for (std::int64_t k = 0;; ++k) {
      const Date d = ev.every ? ev.every->advance(ev.at, k) : ev.at;
      if (d >= end || (ev.until && d > *ev.until)) break;
      // Tick t covers [date_of(t-1), date_of(t)); find t with date_of(t-1) <= d < date_of(t).
      Tick t = clock.first_tick_on_or_after(d);
      if (clock.date_of(t) == d) ++t;  // exactly at a tick's start: fire before that tick
      due.push_back({std::max<Tick>(t, 1), i});
      if (!ev.every) break;
    }
  }
  std::stable_sort(due.begin(), due.end(), [](const DueEvent& a, const DueEvent& b) {
    return a.tick != b.tick ? a.tick < b.tick : a.index < b.index;
  });
  return due;
}

class PhaseClock {
 public:
  void add(const std::string& name, double s) {
    for (auto& p : phases_)
      if (p.name == name) {
        p.seconds += s;
        return;
      }
    phases_.push_back({name, s});
  }
  void add(const PhaseClock& other) {
    for (const auto& p : other.phases_) add(p.name, p.seconds);
  }
  std::vector<PhaseTiming> take() { return std::move(phases_); }

 private:
  std::vector<PhaseTiming> phases_;
};

// The engine's part of a checkpoint: the tick, the parameter values (timeline events change them),
// the replicate's spin-up check (so a resumed run reports and records the same), then the model's.
void save_check(StateWriter& w, const SpinUpCheck& c) {
  w.put(c.done);
  w.put(c.window);
  w.put(c.replicates);
  w.put(c.rule);
  w.put<std::uint64_t>(c.indicators.size());
  for (const IndicatorSettling& i : c.indicators) {
    w.put_string(i.name);
    w.put(i.previous);
    w.put(i.last);
    w.put(i.change);
    w.put(i.noise);
    w.put(i.checked);
    w.put(i.settled);
  }
}

SpinUpCheck load_check(StateReader& r) {
  SpinUpCheck c;
  r.get(c.done);
  r.get(c.window);
  r.get(c.replicates);
  r.get(c.rule);
  c.indicators.resize(r.get<std::uint64_t>());
  for (IndicatorSettling& i : c.indicators) {
    i.name = r.get_string();
    r.get(i.previous);
    r.get(i.last);
    r.get(i.change);
    r.get(i.noise);
    r.get(i.checked);
    r.get(i.settled);
  }
  return c;
}

std::string save_replicate(Tick t, const ParamValues& params, const SpinUpCheck& check,
                           const ModelInstance& inst) {
  StateWriter w;
  w.section("buurtlab engine");
  w.put(t);
  std::vector<double> values(params.size());
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = params.at(i);
  w.put_vector(values);
  save_check(w, check);
  inst.save_state(w);
  return w.take();
}

// The engine's part of a replicate's saved state; the reader is left at the model's part.
struct SavedReplicate {
  Tick tick = 0;
  std::vector<double> params;
  SpinUpCheck check;
};
SavedReplicate read_engine_part(StateReader& r) {
  SavedReplicate s;
  r.section("buurtlab engine");
  r.get(s.tick);
  r.get_vector(s.params);
  s.check = load_check(r);
  return s;
}

class LockGuard {
 public:
  explicit LockGuard(std::vector<Population*> pops) : pops_(std::move(pops)) {
    for (auto* p : pops_) p->set_locked(true);
  }
  ~LockGuard() {
    for (auto* p : pops_) p->set_locked(false);
  }

 private:
  std::vector<Population*> pops_;
};
}  // namespace

std::uint32_t replicates_in_flight(const Scenario& sc, int threads) {
  if (threads <= 0 || sc.replicates <= 1) return 1;
  // The scenario's residents (the city's population) stand for the agents of one replicate.
  const std::int64_t residents =
      sc.places.empty() ? 0 : std::max<std::int64_t>(0, sc.places[0].population);
  const std::size_t blocks = block_count(static_cast<std::size_t>(residents));
  const std::size_t busy = std::clamp<std::size_t>(blocks / kBlocksPerThread, 1,
                                                   static_cast<std::size_t>(threads));
  const std::size_t n = (static_cast<std::size_t>(threads) + busy - 1) / busy;
  return static_cast<std::uint32_t>(std::min<std::size_t>(n, sc.replicates));
}

RunResult run_simulation(const Model& model, const Scenario& sc, const RunOptions& opt,
                         TrajectoryWriter* writer) {
  const Executor exec(opt.threads);
  const Clock clock = sc.clock();
  const Tick T = clock.ticks();
  const Tick S = sc.spin_up_ticks();
  const Tick window = settle_window(S, clock.dt_years());
  const Tick history = settle_history(S, window) * window;  // spin-up ticks the check reads
  // The summary indicators the settle check follows, by name and index.
  std::vector<std::string> settle_names;
  std::vector<std::size_t> settle_index;
  for (const std::string& name : model.summary_indicators())
    if (const auto i = model.indicator_index(name)) {
      settle_names.push_back(name);
      settle_index.push_back(*i);
    }
  const auto due = schedule_events(sc, clock);
  const std::size_t n_ind = model.indicators().size();
  const std::size_t n_places = sc.places.size();
  const std::uint32_t R = sc.replicates;
  std::uint32_t in_flight = 1;
  if (!exec.is_serial())
    in_flight = opt.replicates_in_flight > 0
                    ? std::min(opt.replicates_in_flight, std::max<std::uint32_t>(R, 1))
                    : replicates_in_flight(sc, opt.threads);

  RunResult result;
  result.ticks = T;
  result.spin_up_ticks = S;
  result.spin_up.resize(R);
  result.replicates_in_flight = in_flight;
  result.time_points.assign(R, 0);
  result.first.resize(R);
  result.last.resize(R);
  std::vector<PhaseClock> timings(R);  // per replicate, merged in replicate order at the end
  std::vector<std::size_t> peak_bytes(R, 0);
  const auto t_start = SteadyClock::now();

  // Shared between the replicates in flight. `out` serialises the writer (HDF5 is not
  // thread-safe), the progress callback and the counters; it is taken once per tick, after the
  // phases, never inside them.
  std::mutex out;
  std::uint64_t ticks_done = 0;  // spin-up ticks included
  std::uint32_t replicates_done = 0, running = 0, spin_ups_done = 0;
  std::atomic<std::uint32_t> next{0};  // the next replicate to start: replicates start in order
  std::atomic<bool> halt{false};       // a replicate failed: the others stop after their tick
  std::exception_ptr error;
  auto stopping = [&] { return halt.load() || (opt.stop && opt.stop->load()); };

  // Resuming: replicates that start from a saved state or are complete bring their spin-up check
  // with them, so the file's record of it and the pooled verdict stay as an uninterrupted run's.
  if (opt.resume && opt.resume->size() != R)
    throw std::invalid_argument("RunOptions::resume: one entry per replicate expected");
  if ((opt.checkpoint_every > 0 || opt.resume) && !model.supports_checkpoints())
    throw RunError("model " + std::string(model.name()) + " does not support checkpoints");
  const Tick chunk_len = std::clamp<Tick>(sc.output.flush_every, 1, T + 1);
  for (std::uint32_t r = 0; opt.resume && r < R; ++r) {
    const ReplicateStart& st = (*opt.resume)[r];
    if (st.from == ReplicateStart::From::beginning) continue;
    if (!st.state.empty()) {
      StateReader rd(st.state);
      result.spin_up[r] = read_engine_part(rd).check;
      if (S > 0 && writer) writer->spin_up_checked(r, result.spin_up[r]);
      if (S > 0) ++spin_ups_done;
    }
    result.first[r] = st.first;
    result.last[r] = st.last;
    if (st.from == ReplicateStart::From::complete) {
      result.time_points[r] = T + 1;
      ++replicates_done;
    }
  }

  // Hands one time point of replicate r to the writer and reports it; flushes every flush_every
  // ticks of that replicate and when it completes, so a killed run loses at most the last
  // flush_every ticks of each replicate in flight.
  auto deliver = [&](std::uint32_t r, Tick t, const IndicatorFrame& frame, Tick& since_flush) {
    const std::lock_guard<std::mutex> lock(out);
    if (writer) {
      writer->write(r, t, frame);
      if (t > 0 && (++since_flush >= sc.output.flush_every || t == T)) {
        writer->flush();
        since_flush = 0;
      }
    }
    result.time_points[r] = t + 1;
    if (t == 0 && S == 0) ++running;  // with a spin-up, it started running at its first tick
    if (t == T) {
      ++replicates_done;
      --running;
    }
    if (t > 0) ++ticks_done;
    if (t > 0 && opt.progress)
      opt.progress({r, R, false, t, T, S, ticks_done, replicates_done, running,
                    seconds_since(t_start)});
  };

  // Reports spin-up tick k of replicate r.
  auto spun = [&](std::uint32_t r, Tick k) {
    const std::lock_guard<std::mutex> lock(out);
    if (k == 1) ++running;
    ++ticks_done;
    ++result.spin_up_ticks_done;
    if (opt.progress)
      opt.progress({r, R, true, k, T, S, ticks_done, replicates_done, running,
                    seconds_since(t_start)});
  };

  // Runs the spin-up of replicate r: ticks 1..S, no events, nothing written. Measures the last
  // `history` ticks for the settle check. Returns false if a stop came first.
  auto spin_up = [&](std::uint32_t r, ModelInstance& inst, TickContext& ctx, IndicatorFrame& frame,
                     PhaseClock& timing) {
    std::vector<std::vector<double>> series(settle_names.size());
    for (auto& v : series) v.reserve(history);
    for (Tick k = 1; k <= S; ++k) {
      ctx.tick = k;
      // Tick k covers [start - (S - k + 1) ticks, start - (S - k) ticks).
      ctx.date = sc.tick.advance(sc.start, -static_cast<std::int64_t>(S - k + 1));
      for (const Phase& ph : inst.phases()) {
        LockGuard lock(ph.structural ? std::vector<Population*>{} : inst.populations());
        const auto t0 = SteadyClock::now();
        ph.run(ctx);
        timing.add(ph.name, seconds_since(t0));
      }
      if (k + history > S) {
        const auto t0 = SteadyClock::now();
        inst.measure(ctx, frame);
        timing.add("measure", seconds_since(t0));
        for (std::size_t i = 0; i < settle_index.size(); ++i)
          series[i].push_back(frame.at(settle_index[i], 0));
      }
      peak_bytes[r] = std::max(peak_bytes[r], inst.memory_bytes());
      spun(r, k);
      if (stopping()) {
        const std::lock_guard<std::mutex> lock(out);
        --running;
        return false;
      }
    }
    SpinUpCheck check = check_settled(settle_names, series, window, opt.settle);
    const std::lock_guard<std::mutex> lock(out);
    result.spin_up[r] = check;
    if (writer) writer->spin_up_checked(r, check);
    // The last replicate through its spin-up completes the check over all of them.
    if (++spin_ups_done == R && opt.spin_up_checked)
      opt.spin_up_checked(pool_checks(result.spin_up, opt.settle));
    return true;
  };

  auto run_replicate = [&](std::uint32_t r) {
    if (opt.resume && (*opt.resume)[r].from == ReplicateStart::From::complete) return;
    PhaseClock& timing = timings[r];
    const std::uint64_t seed = replicate_seed(sc.seed, r);
    RunContext rc{sc, seed, r, exec};
    auto t0 = SteadyClock::now();
    auto inst = model.instantiate(rc);
    timing.add("initialise", seconds_since(t0));

    ParamValues params = sc.parameters;
    IndicatorFrame frame(n_ind, n_places);
    TickContext ctx{0, clock.start(), clock.dt_years(), seed, &exec};
    Tick since_flush = 0;
    Tick first_tick = 1;          // the first tick this call computes
    Tick checkpoint_from = 0;     // the first time point after the replicate's last checkpoint
    std::size_t next_event = 0;

    const ReplicateStart* start = opt.resume ? &(*opt.resume)[r] : nullptr;
    if (start && start->from == ReplicateStart::From::state) {
      // Continue after the saved tick: the output already holds every time point up to it.
      StateReader rd(start->state);
      const SavedReplicate saved = read_engine_part(rd);
      if (saved.params.size() != params.size())
        throw RunError("checkpoint of replicate " + std::to_string(r + 1) +
                       ": another number of parameters (written by another model version?)");
      for (std::size_t i = 0; i < saved.params.size(); ++i) params.set_at(i, saved.params[i]);
      t0 = SteadyClock::now();
      inst->load_state(rd);
      if (!rd.at_end()) rd.fail("bytes left after the model's state");
      timing.add("resume", seconds_since(t0));
      first_tick = saved.tick + 1;
      checkpoint_from = saved.tick + 1;
      while (next_event < due.size() && due[next_event].tick <= saved.tick) ++next_event;
      const std::lock_guard<std::mutex> lock(out);
      result.time_points[r] = saved.tick + 1;
      ++running;
    } else {
    if (S > 0 && !spin_up(r, *inst, ctx, frame, timing)) return;
    // The state at the start date: the initial one, or the one the spin-up left.
    ctx.tick = S;
    ctx.date = clock.start();
    t0 = SteadyClock::now();
    inst->measure(ctx, frame);
    timing.add("measure", seconds_since(t0));
    result.first[r] = frame;
    result.last[r] = frame;
    t0 = SteadyClock::now();
    deliver(r, 0, frame, since_flush);
    timing.add("output", seconds_since(t0));
    }

    for (Tick t = first_tick; t <= T; ++t) {
      ctx.tick = S + t;
      ctx.date = clock.date_of(t - 1);

      t0 = SteadyClock::now();
      bool params_changed = false;
      for (; next_event < due.size() && due[next_event].tick <= t; ++next_event) {
        const TimelineEvent& ev = sc.timeline[due[next_event].index];
        for (const auto& [i, v] : ev.set) {
          params.set_at(i, v);
          params_changed = true;
        }
        if (params_changed) {
          inst->set_parameters(params);
          params_changed = false;
        }
        if (!ev.hook.empty()) inst->call_hook(ev.hook, ev.hook_args, ctx);
      }
      timing.add("events", seconds_since(t0));

      for (const Phase& ph : inst->phases()) {
        LockGuard lock(ph.structural ? std::vector<Population*>{} : inst->populations());
        t0 = SteadyClock::now();
        ph.run(ctx);
        timing.add(ph.name, seconds_since(t0));
      }

      t0 = SteadyClock::now();
      inst->measure(ctx, frame);
      timing.add("measure", seconds_since(t0));
      peak_bytes[r] = std::max(peak_bytes[r], inst->memory_bytes());
      result.last[r] = frame;

      t0 = SteadyClock::now();
      deliver(r, t, frame, since_flush);
      timing.add("output", seconds_since(t0));
      // A stop also takes a checkpoint where the replicate stands: the output then holds every
      // tick up to it (finishing the file writes its unfinished chunk), so nothing is computed
      // twice on resume.
      const bool stop_now = t < T && stopping();
      if (opt.checkpoint_every > 0 && opt.checkpoint &&
          (t == T || stop_now ||
           ((t + 1) % chunk_len == 0 && t + 1 - checkpoint_from >= opt.checkpoint_every))) {
        t0 = SteadyClock::now();
        ReplicateCheckpoint cp{r, t, save_replicate(t, params, result.spin_up[r], *inst)};
        {
          const std::lock_guard<std::mutex> lock(out);
          if (writer) {
            writer->flush();  // the output must hold every time point the checkpoint passed
            since_flush = 0;
          }
          opt.checkpoint(cp);
        }
        checkpoint_from = t + 1;
        timing.add("checkpoint", seconds_since(t0));
      }
      if (stop_now) break;
    }
  };

  // One of `in_flight` lanes: starts replicates in order until none is left or the run stops.
  // A replicate once started runs at least one tick, so a stopped run never leaves one that
  // holds its initial state alone.
  auto lane = [&] {
    for (;;) {
      if (stopping()) return;
      const std::uint32_t r = next.fetch_add(1);
      if (r >= R) return;
      try {
        run_replicate(r);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(out);
        if (!error) error = std::current_exception();
        halt = true;
        return;
      }
    }
  };

  if (in_flight <= 1) {
    lane();
  } else {
    // The lanes share the executor's threads with the replicates' own parallel loops. Isolation
    // keeps a thread that waits for a loop of its replicate from picking up another lane, which
    // would park the first replicate until that whole lane had finished.
    exec.for_tasks(in_flight, [&](std::size_t) { oneapi::tbb::this_task_arena::isolate(lane); });
  }

  if (error) {
    if (writer) {
      try {
        writer->flush();
        writer->finish(RunStatus::failed);
      } catch (...) {
      }
    }
    std::rethrow_exception(error);
  }
  result.status = replicates_done == R ? RunStatus::complete : RunStatus::interrupted;
  if (writer) {
    // A failure here (disk full) must still leave the file saying it failed.
    try {
      writer->flush();
      writer->finish(result.status);
    } catch (...) {
      try {
        writer->finish(RunStatus::failed);
      } catch (...) {
      }
      throw;
    }
  }

  const std::uint32_t started = std::min(next.load(), R);
  result.first.resize(started);
  result.last.resize(started);
  result.spin_up.resize(S > 0 ? started : 0);
  if (S > 0) result.settle = pool_checks(result.spin_up, opt.settle);
  result.replicates_done = replicates_done;
  PhaseClock total;
  for (std::uint32_t r = 0; r < started; ++r) {
    total.add(timings[r]);
    result.peak_model_bytes = std::max(result.peak_model_bytes, peak_bytes[r]);
  }
  result.phases = total.take();
  result.seconds = seconds_since(t_start);
  return result;
}
}  // namespace buurtlab
