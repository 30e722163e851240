// Tests of the simulation loop (simulation.hpp): when timeline events fire, what a run reports,
// stopping, output calls and failure handling. A small probe model records what the engine asks
// of it; the engine's test model (tests/support) checks a real run end to end.
#include "buurtlab/simulation.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "hand_scenario.hpp"
#include "test_model.hpp"

namespace buurtlab {
namespace {

using testing::hand_date;

// --- A probe model ----------------------------------------------------------------------------

struct HookCall {
  Tick tick;
  Date date;
  double tag;
};

struct ProbeLog {
  std::vector<HookCall> hooks;
  std::vector<Tick> phase_ticks;
  std::vector<Date> phase_dates;
  std::vector<double> level_seen;  // the parameter `level` as phase "step" saw it, per tick
  int set_parameters_calls = 0;
  int instances = 0;
};

class ProbeInstance final : public ModelInstance {
 public:
  ProbeInstance(const RunContext& rc, ProbeLog& log, Tick fail_at)
      : log_(log), level_(rc.scenario.parameters.get("level")), fail_at_(fail_at) {
    ++log_.instances;
    phases_ = {{"step",
                [this](const TickContext& c) {
                  log_.phase_ticks.push_back(c.tick);
                  log_.phase_dates.push_back(c.date);
                  log_.level_seen.push_back(level_);
                }},
               {"maybe_fail", [this](const TickContext& c) {
                  if (c.tick == fail_at_) throw std::runtime_error("probe failure");
                }}};
  }
  const std::vector<Phase>& phases() const override { return phases_; }
  void measure(const TickContext& c, IndicatorFrame& out) override {
    out.at(0, 0) = level_;
    out.at(1, 0) = c.tick;
  }
  void set_parameters(const ParamValues& v) override {
    ++log_.set_parameters_calls;
    level_ = v.get("level");
  }
  void call_hook(std::string_view hook, const ParamValues& args, const TickContext& c) override {
    EXPECT_EQ(hook, "mark");
    log_.hooks.push_back({c.tick, c.date, args.get("tag")});
  }

 private:
  ProbeLog& log_;
  std::vector<Phase> phases_;
  double level_;
  Tick fail_at_;
};

class ProbeModel final : public Model {
 public:
  explicit ProbeModel(Tick fail_at = 0) : fail_at_(fail_at) {
    params_.add({"level", ParamType::real, "1", 0.0, 0.0, 100.0, {}, "a level", "assumption"});
    HookDecl mark{"mark", "records the call", {}};
    mark.args.add({"tag", ParamType::real, "1", 0.0, 0.0, 1000.0, {}, "label", "assumption"});
    hooks_.push_back(std::move(mark));
    indicators_ = {{"level", "1", "the level parameter"}, {"tick", "1", "the tick measured"}};
  }
  std::string_view name() const override { return "probe"; }
  std::string_view description() const override { return "records engine calls"; }
  const ParamSchema& parameters() const override { return params_; }
  const ParamSchema& place_attributes() const override { return attrs_; }
  const std::vector<HookDecl>& hooks() const override { return hooks_; }
  const std::vector<IndicatorDecl>& indicators() const override { return indicators_; }
  std::unique_ptr<ModelInstance> instantiate(const RunContext& rc) const override {
    return std::make_unique<ProbeInstance>(rc, log, fail_at_);
  }
  mutable ProbeLog log;

 private:
  Tick fail_at_;
  ParamSchema params_, attrs_;
  std::vector<HookDecl> hooks_;
  std::vector<IndicatorDecl> indicators_;
};

Scenario probe_scenario(const ProbeModel& m, Period duration, Period tick = {1, TimeUnit::week}) {
  Scenario sc;
  sc.name = "probe";
  sc.model = "probe";
  sc.start = hand_date("2026-01-01");
  sc.duration = duration;
  sc.tick = tick;
  sc.parameters = ParamValues(m.parameters());
  sc.places.push_back(
      {"C", "City", PlaceLevel::city, std::nullopt, 0, ParamValues(m.place_attributes())});
  return sc;
}

TimelineEvent mark(const ProbeModel& m, const char* at, double tag) {
  TimelineEvent ev;
  ev.label = "mark " + std::to_string(int(tag));
  ev.at = hand_date(at);
  ev.hook = "mark";
  ev.hook_args = ParamValues(m.find_hook("mark")->args);
  ev.hook_args.set("tag", tag);
  return ev;
}

std::vector<Tick> ticks_of(const ProbeLog& log, double tag) {
  std::vector<Tick> t;
  for (const auto& h : log.hooks)
    if (h.tag == tag) t.push_back(h.tick);
  return t;
}

// Independent of the engine's scheduler: with weekly ticks from `start`, a date d falls in tick
// floor((d - start) / 7) + 1, and anything before the start fires before tick 1.
Tick weekly_tick_of(const Date& start, const Date& d) {
  const std::int64_t days = d.days_since_epoch() - start.days_since_epoch();
  return days < 0 ? 1 : static_cast<Tick>(days / 7 + 1);
}

// Frames hold NaN ("not defined here"), so compare bits, not values.
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// --- A writer that keeps everything in memory --------------------------------------------------

class RecordingWriter final : public TrajectoryWriter {
 public:
  struct Write {
    std::uint32_t replicate;
    Tick tick;
    std::vector<double> values;
  };
  void write(std::uint32_t r, Tick t, const IndicatorFrame& f) override {
    writes.push_back({r, t, f.values()});
  }
  void spin_up_checked(std::uint32_t r, const SpinUpCheck& c) override {
    checks.push_back({r, writes.size(), c});
  }
  void flush() override { ++flushes; }
  void finish(RunStatus s) override { finished.push_back(s); }
  const std::filesystem::path& path() const override { return path_; }

  struct Check {
    std::uint32_t replicate;
    std::size_t writes_before;  // frames written when the check came
    SpinUpCheck check;
  };
  std::vector<Write> writes;
  std::vector<Check> checks;
  int flushes = 0;
  std::vector<RunStatus> finished;

 private:
  std::filesystem::path path_ = "memory";
};

// --- Event scheduling ---------------------------------------------------------------------------

TEST(SimulationTest, EventsFireAtTheRightTicks) {
  ProbeModel m;
  Scenario sc = probe_scenario(m, {1, TimeUnit::year});
  ASSERT_EQ(sc.ticks(), 53u);                       // 365 days: 52 weeks and a day
  sc.timeline.push_back(mark(m, "2026-01-01", 1));  // at the start: before tick 1
  sc.timeline.push_back(mark(m, "2026-01-08", 2));  // exactly tick 2's start date
  sc.timeline.push_back(mark(m, "2026-01-10", 3));  // inside tick 2
  sc.timeline.push_back(mark(m, "2026-01-09", 4));  // inside tick 2, listed after a later date
  sc.timeline.push_back(mark(m, "2025-06-01", 5));  // before the start: before tick 1
  sc.timeline.push_back(mark(m, "2026-12-31", 6));  // start of the last tick (53)
  sc.timeline.push_back(mark(m, "2027-01-08", 7));  // after the last tick: never
  const RunResult r = run_simulation(m, sc, {}, nullptr);
  ASSERT_EQ(r.status, RunStatus::complete);

  EXPECT_EQ(ticks_of(m.log, 1), std::vector<Tick>{1});
  EXPECT_EQ(ticks_of(m.log, 2), std::vector<Tick>{2});
  EXPECT_EQ(ticks_of(m.log, 3), std::vector<Tick>{2});
  EXPECT_EQ(ticks_of(m.log, 4), std::vector<Tick>{2});
  EXPECT_EQ(ticks_of(m.log, 5), std::vector<Tick>{1});
  EXPECT_EQ(ticks_of(m.log, 6), std::vector<Tick>{53});
  EXPECT_TRUE(ticks_of(m.log, 7).empty());

  // Order: by tick, then file order within a tick (2, 3, 4 although 4's date precedes 3's).
  std::vector<double> order;
  for (const auto& h : m.log.hooks) order.push_back(h.tag);
  EXPECT_EQ(order, (std::vector<double>{1, 5, 2, 3, 4, 6}));

  // Every hook sees the tick's start date, and the event date lies within that tick.
  for (const auto& h : m.log.hooks) {
    EXPECT_EQ(h.date, sc.clock().date_of(h.tick - 1)) << "tag " << h.tag;
  }
}

TEST(SimulationTest, PeriodicEventFiresEveryPeriodUntilTheEnd) {
  ProbeModel m;
  Scenario sc = probe_scenario(m, {1, TimeUnit::year});
  TimelineEvent ev = mark(m, "2026-01-01", 1);
  ev.every = Period{6, TimeUnit::month};
  sc.timeline.push_back(ev);
  run_simulation(m, sc, {}, nullptr);
  // 2026-01-01, 2026-07-01 and 2027-01-01: the last lies in tick 53, which covers
  // [2026-12-31, 2027-01-07); the next, 2027-07-01, is past the end.
  const Date start = sc.start;
  const std::vector<Tick> expected = {weekly_tick_of(start, hand_date("2026-01-01")),
                                      weekly_tick_of(start, hand_date("2026-07-01")),
                                      weekly_tick_of(start, hand_date("2027-01-01"))};
  EXPECT_EQ(expected, (std::vector<Tick>{1, 26, 53}));
  EXPECT_EQ(ticks_of(m.log, 1), expected);
}

TEST(SimulationTest, PeriodicEventRespectsUntil) {
  ProbeModel m;
  Scenario sc = probe_scenario(m, {1, TimeUnit::year});
  TimelineEvent monthly = mark(m, "2026-01-15", 1);
  monthly.every = Period{1, TimeUnit::month};
  monthly.until = hand_date("2026-06-15");  // inclusive: the 15 June repetition fires
  sc.timeline.push_back(monthly);
  TimelineEvent shorter = mark(m, "2026-01-15", 2);
  shorter.every = Period{1, TimeUnit::month};
  shorter.until = hand_date("2026-06-14");
  sc.timeline.push_back(shorter);
  run_simulation(m, sc, {}, nullptr);

  std::vector<Tick> expected;
  for (const char* d :
       {"2026-01-15", "2026-02-15", "2026-03-15", "2026-04-15", "2026-05-15", "2026-06-15"})
    expected.push_back(weekly_tick_of(sc.start, hand_date(d)));
  EXPECT_EQ(ticks_of(m.log, 1), expected);
  expected.pop_back();
  EXPECT_EQ(ticks_of(m.log, 2), expected);
}

TEST(SimulationTest, EventsOnAMonthlyClock) {
  ProbeModel m;
  Scenario sc = probe_scenario(m, {1, TimeUnit::year}, {1, TimeUnit::month});
  ASSERT_EQ(sc.ticks(), 12u);
  TimelineEvent quarterly = mark(m, "2026-01-01", 1);
  quarterly.every = Period{3, TimeUnit::month};
  sc.timeline.push_back(quarterly);
  sc.timeline.push_back(mark(m, "2026-02-14", 2));
  run_simulation(m, sc, {}, nullptr);
  // Each quarter starts a tick: 1 Jan before tick 1, 1 Apr before tick 4, ...; 2027-01-01 is the
  // end of the run.
  EXPECT_EQ(ticks_of(m.log, 1), (std::vector<Tick>{1, 4, 7, 10}));
  EXPECT_EQ(ticks_of(m.log, 2), std::vector<Tick>{2});
}

TEST(SimulationTest, ParameterChangesTakeEffectInTheirTick) {
  ProbeModel m;
  Scenario sc = probe_scenario(m, {1, TimeUnit::year});
  TimelineEvent ev;
  ev.label = "raise";
  ev.at = hand_date("2026-03-01");  // day 59: tick 9
  ev.set = {{0, 5.0}};
  sc.timeline.push_back(ev);
  TimelineEvent again = ev;
  again.at = hand_date("2026-03-02");  // same tick, later in the file: wins
  again.set = {{0, 7.0}};
  sc.timeline.push_back(again);
  const RunResult r = run_simulation(m, sc, {}, nullptr);

  ASSERT_EQ(m.log.level_seen.size(), 53u);
  for (Tick t = 1; t <= 53; ++t)
    EXPECT_EQ(m.log.level_seen[t - 1], t < 9 ? 0.0 : 7.0) << "tick " << t;
  EXPECT_EQ(m.log.set_parameters_calls, 2);
  EXPECT_EQ(r.first[0].at(0, 0), 0.0);
  EXPECT_EQ(r.last[0].at(0, 0), 7.0);
  EXPECT_EQ(r.last[0].at(1, 0), 53.0);
}

TEST(SimulationTest, EveryReplicateStartsFromTheScenarioParameters) {
  ProbeModel m;
  Scenario sc = probe_scenario(m, {3, TimeUnit::month});
  sc.replicates = 3;
  TimelineEvent ev;
  ev.at = hand_date("2026-02-01");
  ev.set = {{0, 5.0}};
  sc.timeline.push_back(ev);
  sc.timeline.push_back(mark(m, "2026-01-01", 9));
  const RunResult r = run_simulation(m, sc, {}, nullptr);
  EXPECT_EQ(r.replicates_done, 3u);
  EXPECT_EQ(m.log.instances, 3);
  EXPECT_EQ(ticks_of(m.log, 9), (std::vector<Tick>{1, 1, 1})) << "events replay per replicate";
  ASSERT_EQ(r.first.size(), 3u);
  for (const auto& f : r.first) EXPECT_EQ(f.at(0, 0), 0.0);
  for (const auto& f : r.last) EXPECT_EQ(f.at(0, 0), 5.0);
}

// --- The spin-up ---------------------------------------------------------------------------------

TEST(SimulationTest, SpinUpRunsBeforeTheStartWithoutEventsOrOutput) {
  ProbeModel m;
  Scenario sc = probe_scenario(m, {1, TimeUnit::year});
  sc.spin_up = {10, TimeUnit::week};
  const Tick S = 10, T = 53;
  ASSERT_EQ(sc.spin_up_ticks(), S);
  ASSERT_EQ(sc.ticks(), T);
  sc.timeline.push_back(mark(m, "2025-06-01", 1));  // before the spin-up
  sc.timeline.push_back(mark(m, "2025-12-01", 2));  // a date within the spin-up
  sc.timeline.push_back(mark(m, "2026-01-01", 3));  // the start
  sc.timeline.push_back(mark(m, "2026-01-10", 4));  // within scenario tick 2
  TimelineEvent set;
  set.at = hand_date("2025-11-20");  // within the spin-up
  set.set = {{0, 5.0}};
  sc.timeline.push_back(set);
  struct Call {
    bool spin_up;
    Tick tick;
    std::uint64_t done;
  };
  std::vector<Call> calls;
  RunOptions opt;
  opt.progress = [&](const Progress& p) {
    EXPECT_EQ(p.spin_up_ticks, S);
    EXPECT_EQ(p.ticks, T);
    calls.push_back({p.spin_up, p.tick, p.ticks_done});
  };
  RecordingWriter w;
  const RunResult r = run_simulation(m, sc, opt, &w);
  ASSERT_EQ(r.status, RunStatus::complete);

  // The model stepped through the spin-up and the scenario, its tick counter running on.
  std::vector<Tick> all(S + T);
  for (Tick k = 0; k < S + T; ++k) all[k] = k + 1;
  EXPECT_EQ(m.log.phase_ticks, all);
  // Spin-up tick k starts S - k + 1 weeks before the start; scenario tick t at its own date.
  ASSERT_EQ(m.log.phase_dates.size(), S + T);
  EXPECT_EQ(m.log.phase_dates[0], hand_date("2025-10-23"));
  EXPECT_EQ(m.log.phase_dates[S - 1], hand_date("2025-12-25"));
  EXPECT_EQ(m.log.phase_dates[S], hand_date("2026-01-01"));
  EXPECT_EQ(m.log.phase_dates[S + 1], hand_date("2026-01-08"));

  // No event fired during the spin-up: those dated before the start fire before scenario tick 1
  // (model tick S + 1), the others in their scenario tick, seeing its date.
  EXPECT_EQ(ticks_of(m.log, 1), std::vector<Tick>{S + 1});
  EXPECT_EQ(ticks_of(m.log, 2), std::vector<Tick>{S + 1});
  EXPECT_EQ(ticks_of(m.log, 3), std::vector<Tick>{S + 1});
  EXPECT_EQ(ticks_of(m.log, 4), std::vector<Tick>{S + 2});
  for (const auto& h : m.log.hooks) EXPECT_EQ(h.date, sc.clock().date_of(h.tick - S - 1));
  EXPECT_EQ(m.log.set_parameters_calls, 1);
  for (Tick k = 0; k < S; ++k) EXPECT_EQ(m.log.level_seen[k], 0.0) << "spin-up tick " << k + 1;
  EXPECT_EQ(m.log.level_seen[S], 5.0) << "the parameter change waited for the start";

  // Written: the scenario's time points alone, the first being the state the spin-up left.
  ASSERT_EQ(w.writes.size(), T + 1);
  EXPECT_EQ(w.writes.front().tick, 0u);
  EXPECT_EQ(w.writes.front().values[1], double(S)) << "measured after model tick S";
  EXPECT_EQ(w.writes.back().tick, T);
  EXPECT_EQ(w.writes.back().values[1], double(S + T));
  EXPECT_EQ(r.time_points, std::vector<Tick>{T + 1});
  EXPECT_EQ(r.ticks_done(), T);
  EXPECT_EQ(r.spin_up_ticks, S);
  EXPECT_EQ(r.spin_up_ticks_done, S);

  // Progress: the spin-up's ticks, then the scenario's, counted together.
  ASSERT_EQ(calls.size(), S + T);
  for (Tick k = 0; k < S + T; ++k) {
    EXPECT_EQ(calls[k].spin_up, k < S) << k;
    EXPECT_EQ(calls[k].tick, k < S ? k + 1 : k - S + 1) << k;
    EXPECT_EQ(calls[k].done, k + 1u) << k;
  }

  // The settle check, over two windows of 5 ticks (half the spin-up), reached the writer before
  // the first frame: the `tick` indicator rose 1..10 (means 3 and 8), `level` stayed 0.
  ASSERT_EQ(w.checks.size(), 1u);
  EXPECT_EQ(w.checks[0].writes_before, 0u);
  ASSERT_EQ(r.spin_up.size(), 1u);
  const SpinUpCheck& c = r.spin_up[0];
  EXPECT_TRUE(c.checked());
  EXPECT_EQ(c.window, 5u);
  ASSERT_EQ(c.indicators.size(), 2u);
  EXPECT_EQ(c.indicators[0].name, "level");
  EXPECT_TRUE(c.indicators[0].settled);
  EXPECT_EQ(c.indicators[1].name, "tick");
  EXPECT_EQ(c.indicators[1].previous, 3.0);
  EXPECT_EQ(c.indicators[1].last, 8.0);
  EXPECT_EQ(c.indicators[1].noise, 0.0) << "a straight rise has no scatter about its line";
  EXPECT_FALSE(c.indicators[1].settled);
  EXPECT_EQ(w.checks[0].check.indicators[1].last, 8.0);
  // Over the one replicate, the same.
  EXPECT_EQ(r.settle.replicates, 1u);
  EXPECT_FALSE(r.settle.indicators[1].settled);
}

testing::HandScenario quiet_scenario(Period duration) {
  testing::HandScenario h;
  h.wijken = 1;
  h.buurten = 2;
  h.residents = 150;
  h.duration = duration;
  h.timeline = false;
  return h;
}

TEST(SimulationTest, ASpinUpChangesTheStartNotTheLengthOfTheOutput) {
  const auto model = testing::make_test_model();
  const Scenario plain = testing::hand_scenario(*model, quiet_scenario({1, TimeUnit::year}));
  Scenario spun = plain;
  spun.spin_up = {26, TimeUnit::week};
  RecordingWriter a, b;
  run_simulation(*model, plain, {}, &a);
  run_simulation(*model, spun, {}, &b);
  ASSERT_EQ(b.writes.size(), a.writes.size());
  EXPECT_EQ(b.writes.back().tick, a.writes.back().tick);
  EXPECT_FALSE(same_bits(b.writes.front().values, a.writes.front().values))
      << "the spin-up changed the state written at the start";
  const auto ties = *model->indicator_index("ties");
  EXPECT_EQ(a.writes.front().values[ties * plain.places.size()], 0.0);
  EXPECT_GT(b.writes.front().values[ties * plain.places.size()], 100.0);

  // Without a timeline the spin-up is the first 26 ticks of a longer run with the same parameters
  // and the same tick keys: what follows is that run from its tick 26 on, bit for bit.
  const Scenario longer = testing::hand_scenario(*model, quiet_scenario({79, TimeUnit::week}));
  RecordingWriter c;
  run_simulation(*model, longer, {}, &c);
  ASSERT_EQ(c.writes.size(), 80u);
  for (std::size_t t = 0; t < b.writes.size(); ++t)
    ASSERT_TRUE(same_bits(b.writes[t].values, c.writes[26 + t].values)) << "tick " << t;
}

TEST(SimulationTest, StopDuringTheSpinUpWritesNothing) {
  const auto model = testing::make_test_model();
  testing::HandScenario h = quiet_scenario({1, TimeUnit::year});
  h.replicates = 2;
  Scenario sc = testing::hand_scenario(*model, h);
  sc.spin_up = {1, TimeUnit::year};
  std::atomic<bool> stop{false};
  RunOptions opt;
  opt.stop = &stop;
  opt.progress = [&](const Progress& p) {
    if (p.spin_up && p.tick == 10) stop = true;
  };
  bool checked = false;
  opt.spin_up_checked = [&](const SpinUpCheck&) { checked = true; };
  RecordingWriter w;
  const RunResult r = run_simulation(*model, sc, opt, &w);
  EXPECT_EQ(r.status, RunStatus::interrupted);
  EXPECT_EQ(r.time_points, (std::vector<Tick>{0, 0}));
  EXPECT_TRUE(w.writes.empty());
  EXPECT_TRUE(w.checks.empty());
  EXPECT_FALSE(checked);
  EXPECT_EQ(r.spin_up_ticks_done, 10u);
  ASSERT_EQ(r.spin_up.size(), 1u) << "one replicate started";
  EXPECT_FALSE(r.spin_up[0].done);
  EXPECT_FALSE(r.settle.done);
  EXPECT_EQ(w.finished, std::vector<RunStatus>{RunStatus::interrupted});
}

// --- Runs of the test model ---------------------------------------------------------------------

TEST(SimulationTest, RunWithoutWriter) {
  const auto model = testing::make_test_model();
  testing::HandScenario h;
  h.wijken = 1;
  h.buurten = 2;
  h.residents = 300;
  h.duration = {1, TimeUnit::year};
  const Scenario sc = testing::hand_scenario(*model, h);
  int progress_calls = 0;
  RunOptions opt;
  opt.progress = [&](const Progress& p) {
    ++progress_calls;
    EXPECT_EQ(p.tick, Tick(progress_calls));
    EXPECT_EQ(p.ticks, 53u);
  };
  const RunResult r = run_simulation(*model, sc, opt, nullptr);
  EXPECT_EQ(r.status, RunStatus::complete);
  EXPECT_EQ(r.replicates_done, 1u);
  EXPECT_EQ(r.time_points, std::vector<Tick>{54});
  EXPECT_TRUE(r.complete(0));
  EXPECT_EQ(progress_calls, 53);
  ASSERT_EQ(r.first.size(), 1u);
  ASSERT_EQ(r.last.size(), 1u);
  const IndicatorFrame& last = r.last[0];
  ASSERT_EQ(last.indicators(), model->indicators().size());
  ASSERT_EQ(last.places(), sc.places.size());
  const auto pop = *model->indicator_index("population");
  const auto mean = *model->indicator_index("mean_value");
  const auto ties = *model->indicator_index("ties");
  EXPECT_EQ(last.at(pop, 0), 600.0) << "leavers are replaced";
  EXPECT_EQ(r.first[0].at(pop, 0), 600.0);
  EXPECT_EQ(last.at(pop, 2), 300.0);
  EXPECT_GT(last.at(mean, 0), 0.0);
  EXPECT_LT(last.at(mean, 0), 1.0);
  EXPECT_GT(last.at(ties, 0), 0.0) << "the run did something";
  EXPECT_EQ(r.first[0].at(ties, 0), 0.0);
  EXPECT_GT(r.peak_model_bytes, 0u);
  EXPECT_GE(r.seconds, 0.0);
}

TEST(SimulationTest, PhaseTimingsAreReported) {
  const auto model = testing::make_test_model();
  testing::HandScenario h;
  h.wijken = 1;
  h.buurten = 1;
  h.residents = 200;
  h.duration = {3, TimeUnit::month};
  const RunResult r = run_simulation(*model, testing::hand_scenario(*model, h), {}, nullptr);
  std::set<std::string> names;
  for (const auto& p : r.phases) {
    EXPECT_TRUE(names.insert(p.name).second) << p.name << " reported twice";
    EXPECT_GE(p.seconds, 0.0) << p.name;
  }
  for (const char* want : {"initialise", "events", "meet", "apply_ties", "decay", "influence",
                           "demography", "measure", "output"})
    EXPECT_TRUE(names.count(want)) << want;
  double total = 0;
  for (const auto& p : r.phases) total += p.seconds;
  EXPECT_LE(total, r.seconds + 1e-3) << "phases are parts of the run";
}

TEST(SimulationTest, StopFlagStopsAfterTheCurrentTick) {
  const auto model = testing::make_test_model();
  testing::HandScenario h;
  h.wijken = 1;
  h.buurten = 1;
  h.residents = 200;
  h.replicates = 2;
  std::atomic<bool> stop{false};
  RunOptions opt;
  opt.stop = &stop;
  opt.progress = [&](const Progress& p) {
    if (p.tick == 10) stop = true;
  };
  RecordingWriter w;
  const RunResult r = run_simulation(*model, testing::hand_scenario(*model, h), opt, &w);
  EXPECT_EQ(r.status, RunStatus::interrupted);
  EXPECT_EQ(r.time_points, (std::vector<Tick>{11, 0})) << "ticks 0-10, the second not started";
  EXPECT_EQ(r.replicates_done, 0u) << "the first replicate was cut short";
  ASSERT_EQ(r.last.size(), 1u) << "the frame of the last completed tick is still returned";
  ASSERT_EQ(w.writes.size(), 11u);  // ticks 0..10
  EXPECT_EQ(w.writes.back().tick, 10u);
  EXPECT_TRUE(same_bits(w.writes.back().values, r.last[0].values()));
  EXPECT_EQ(w.finished, std::vector<RunStatus>{RunStatus::interrupted});
}

TEST(SimulationTest, WriterGetsEveryFrameInOrderAndIsFlushedAndFinished) {
  const auto model = testing::make_test_model();
  testing::HandScenario h;
  h.wijken = 1;
  h.buurten = 2;
  h.residents = 100;
  h.replicates = 2;
  Scenario sc = testing::hand_scenario(*model, h);
  sc.output.flush_every = 52;
  RecordingWriter w;
  const RunResult r = run_simulation(*model, sc, {}, &w);
  const Tick T = sc.ticks();
  ASSERT_EQ(T, 105u);
  ASSERT_EQ(w.writes.size(), 2 * (T + 1));
  for (std::uint32_t rep = 0; rep < 2; ++rep)
    for (Tick t = 0; t <= T; ++t) {
      const auto& wr = w.writes[rep * (T + 1) + t];
      EXPECT_EQ(wr.replicate, rep);
      EXPECT_EQ(wr.tick, t);
    }
  EXPECT_TRUE(same_bits(w.writes[0].values, r.first[0].values()));
  EXPECT_TRUE(same_bits(w.writes[T].values, r.last[0].values()));
  EXPECT_TRUE(same_bits(w.writes[T + 1].values, r.first[1].values()));
  EXPECT_TRUE(same_bits(w.writes.back().values, r.last[1].values()));
  // Replicates have their own seeds, so their initial states differ.
  EXPECT_FALSE(same_bits(r.first[0].values(), r.first[1].values()));
  // Each replicate of 105 ticks: a flush every 52 ticks (2) and one when it finishes; then the
  // final one before finish().
  EXPECT_EQ(w.flushes, 2 * (105 / 52 + 1) + 1);
  EXPECT_EQ(w.finished, std::vector<RunStatus>{RunStatus::complete});
}

TEST(SimulationTest, AFailingPhaseMarksTheOutputFailedAndPropagates) {
  ProbeModel m(/*fail_at=*/3);
  const Scenario sc = probe_scenario(m, {1, TimeUnit::year});
  RecordingWriter w;
  EXPECT_THROW(run_simulation(m, sc, {}, &w), std::runtime_error);
  EXPECT_EQ(w.finished, std::vector<RunStatus>{RunStatus::failed});
  EXPECT_GE(w.flushes, 1) << "what was computed is made durable";
  EXPECT_EQ(w.writes.size(), 3u) << "ticks 0, 1 and 2 completed";
}

TEST(SimulationTest, PopulationsAreLockedDuringPhases) {
  // A model phase that tries to add an agent outside a tick-boundary step must be refused.
  class Adder final : public ModelInstance {
   public:
    Adder() : pop_("p") {
      phases_ = {{"add", [this](const TickContext&) {
                    EXPECT_THROW(pop_.add(), std::logic_error);
                    ++calls;
                  }}};
    }
    const std::vector<Phase>& phases() const override { return phases_; }
    void measure(const TickContext&, IndicatorFrame&) override {
      EXPECT_NO_THROW(pop_.add()) << "unlocked again after the phases";
    }
    void set_parameters(const ParamValues&) override {}
    void call_hook(std::string_view, const ParamValues&, const TickContext&) override {}
    std::vector<Population*> populations() override { return {&pop_}; }
    int calls = 0;

   private:
    Population pop_;
    std::vector<Phase> phases_;
  };
  class AdderModel final : public Model {
   public:
    std::string_view name() const override { return "adder"; }
    std::string_view description() const override { return ""; }
    const ParamSchema& parameters() const override { return s_; }
    const ParamSchema& place_attributes() const override { return s_; }
    const std::vector<HookDecl>& hooks() const override { return h_; }
    const std::vector<IndicatorDecl>& indicators() const override { return i_; }
    std::unique_ptr<ModelInstance> instantiate(const RunContext&) const override {
      return std::make_unique<Adder>();
    }

   private:
    ParamSchema s_;
    std::vector<HookDecl> h_;
    std::vector<IndicatorDecl> i_;
  };
  AdderModel m;
  Scenario sc;
  sc.start = hand_date("2026-01-01");
  sc.duration = {1, TimeUnit::month};
  const RunResult r = run_simulation(m, sc, {}, nullptr);
  EXPECT_EQ(r.status, RunStatus::complete);
  EXPECT_EQ(r.time_points, std::vector<Tick>{6});
}

}  // namespace
}  // namespace buurtlab
