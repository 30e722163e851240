#include "buurtlab/simulation.hpp"

#include <algorithm>
#include <chrono>

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
  std::vector<PhaseTiming> take() { return std::move(phases_); }

 private:
  std::vector<PhaseTiming> phases_;
};

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

RunResult run_simulation(const Model& model, const Scenario& sc, const RunOptions& opt,
                         TrajectoryWriter* writer) {
  const Executor exec(opt.threads);
  const Clock clock = sc.clock();
  const auto due = schedule_events(sc, clock);
  const std::size_t n_ind = model.indicators().size();
  const std::size_t n_places = sc.places.size();

  RunResult result;
  PhaseClock timings;
  const auto t_start = SteadyClock::now();
  Tick since_flush = 0;

  try {
    for (std::uint32_t r = 0; r < sc.replicates; ++r) {
      const std::uint64_t seed = replicate_seed(sc.seed, r);
      RunContext rc{sc, seed, r, exec};
      auto t0 = SteadyClock::now();
      auto inst = model.instantiate(rc);
      timings.add("initialise", seconds_since(t0));

      ParamValues params = sc.parameters;
      IndicatorFrame frame(n_ind, n_places);
      TickContext ctx{0, clock.start(), clock.dt_years(), seed, &exec};

      t0 = SteadyClock::now();
      inst->measure(ctx, frame);
      timings.add("measure", seconds_since(t0));
      result.first.push_back(frame);
      if (writer) writer->write(r, 0, frame);

      std::size_t next_event = 0;
      for (Tick t = 1; t <= clock.ticks(); ++t) {
        ctx.tick = t;
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
        timings.add("events", seconds_since(t0));

        for (const Phase& ph : inst->phases()) {
          LockGuard lock(ph.structural ? std::vector<Population*>{} : inst->populations());
          t0 = SteadyClock::now();
          ph.run(ctx);
          timings.add(ph.name, seconds_since(t0));
        }

        t0 = SteadyClock::now();
        inst->measure(ctx, frame);
        timings.add("measure", seconds_since(t0));
        result.peak_model_bytes = std::max(result.peak_model_bytes, inst->memory_bytes());

        t0 = SteadyClock::now();
        if (writer) {
          writer->write(r, t, frame);
          if (++since_flush >= sc.output.flush_every) {
            writer->flush();
            since_flush = 0;
          }
        }
        timings.add("output", seconds_since(t0));
        result.last_tick = t;

        if (opt.progress)
          opt.progress({r, sc.replicates, t, clock.ticks(), seconds_since(t_start)});
        if (opt.stop && opt.stop->load()) {
          result.last.push_back(frame);
          result.status = RunStatus::interrupted;
          break;
        }
      }
      if (result.status == RunStatus::interrupted) break;
      result.last.push_back(frame);
      result.replicates_done = r + 1;
      // A finished replicate is made durable at once, so a run killed during the next replicate
      // still holds every finished one completely.
      if (writer) {
        writer->flush();
        since_flush = 0;
      }
    }
    if (result.status != RunStatus::interrupted) result.status = RunStatus::complete;
    if (writer) {
      writer->flush();
      writer->finish(result.status);
    }
  } catch (...) {
    if (writer) {
      try {
        writer->flush();
        writer->finish(RunStatus::failed);
      } catch (...) {
      }
    }
    throw;
  }
  result.seconds = seconds_since(t_start);
  result.phases = timings.take();
  return result;
}

}  // namespace buurtlab
