// Checkpoints of the neighbourhood model (models/neighbourhood/checkpoint.cpp): an instance
// loaded from another's saved state continues exactly as the original does, tick for tick, with
// tenders, a budget cut and turnover happening after the checkpoint; and its state, saved again
// later, is the original's byte for byte.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>

#include "buurtlab/executor.hpp"
#include "buurtlab/model.hpp"
#include "buurtlab/memory_output.hpp"
#include "buurtlab/params.hpp"
#include "buurtlab/simulation.hpp"
#include "neighbourhood/model.hpp"
#include "scenario_builder.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

using buurtlab::testing::build_scenario;

class Stepper {
 public:
  Stepper(const Model& m, const Scenario& sc, const Executor& exec)
      : sc_(sc), exec_(exec), clock_(sc.clock()), inst_(m.instantiate(RunContext{sc, sc.seed, 0, exec})) {}
  ModelInstance& inst() { return *inst_; }
  TickContext ctx(Tick t) const {
    return TickContext{t, clock_.date_of(t - 1), clock_.dt_years(), sc_.seed, &exec_};
  }
  IndicatorFrame step(Tick t, std::size_t indicators) {
    const TickContext c = ctx(t);
    for (const Phase& ph : inst_->phases()) ph.run(c);
    IndicatorFrame f(indicators, sc_.places.size());
    inst_->measure(c, f);
    return f;
  }
  std::string state() const {
    StateWriter w;
    inst_->save_state(w);
    return w.take();
  }

 private:
  const Scenario& sc_;
  const Executor& exec_;
  Clock clock_;
  std::unique_ptr<ModelInstance> inst_;
};

TEST(Checkpoint, ALoadedInstanceContinuesExactlyAsTheOriginal) {
  const auto model = make_model();
  Scenario sc = build_scenario(*model, 2, 2, 400, Period{2, TimeUnit::year});
  sc.seed = 11;
  sc.parameters.set("procurement.tender_interval", 0.5);  // tenders before and after the save
  sc.parameters.set("procurement.change_prob", 1.0);
  sc.parameters.set("demography.move_rate_private", 0.3);
  const Executor exec(2);
  const std::size_t n_ind = model->indicators().size();
  ASSERT_TRUE(model->instantiate(RunContext{sc, sc.seed, 0, exec})->can_checkpoint());

  Stepper a(*model, sc, exec);
  for (Tick t = 1; t <= 30; ++t) a.step(t, n_ind);
  const std::string saved = a.state();
  EXPECT_GT(saved.size(), 100000u);

  Stepper b(*model, sc, exec);
  {
    StateReader r(saved);
    b.inst().load_state(r);
    EXPECT_TRUE(r.at_end());
  }
  EXPECT_EQ(b.state(), saved) << "the loaded state does not save back to the same bytes";

  ParamValues cut(model->hooks()[0].args);
  cut.set("change", -0.3);
  for (Tick t = 31; t <= 60; ++t) {
    if (t == 40) {  // a policy hook after the checkpoint acts on the loaded state alike
      a.inst().call_hook("budget_change", cut, a.ctx(t));
      b.inst().call_hook("budget_change", cut, b.ctx(t));
    }
    const IndicatorFrame fa = a.step(t, n_ind), fb = b.step(t, n_ind);
    ASSERT_EQ(std::memcmp(fa.values().data(), fb.values().data(), fa.values().size() * sizeof(double)), 0)
        << "tick " << t << ": the loaded instance's indicators differ";
  }
  EXPECT_EQ(a.state(), b.state()) << "after 30 more ticks the states differ";
}

TEST(Checkpoint, StateOfAnotherScenarioIsRefused) {
  const auto model = make_model();
  const Scenario small = build_scenario(*model, 1, 2, 300, Period{1, TimeUnit::year});
  const Scenario other = build_scenario(*model, 2, 2, 300, Period{1, TimeUnit::year});
  const Executor exec(0);
  Stepper a(*model, small, exec);
  a.step(1, model->indicators().size());
  const std::string saved = a.state();
  Stepper b(*model, other, exec);
  StateReader r(saved);
  EXPECT_THROW(b.inst().load_state(r), StateError);
  // Truncated state: refused, naming where it ended.
  Stepper c(*model, small, exec);
  StateReader half(std::string_view(saved).substr(0, saved.size() / 2));
  try {
    c.inst().load_state(half);
    ADD_FAILURE() << "a truncated state was loaded";
  } catch (const StateError& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing

namespace buurtlab::neighbourhood::testing {
namespace {

// The engine's checkpoints and resume (include/buurtlab/simulation.hpp) with this model: a run
// resumed from checkpoints, on another thread count, writes exactly the frames the uninterrupted
// run wrote after them, with a timeline event both before and after the checkpoint.
TEST(Checkpoint, AResumedRunWritesWhatTheUninterruptedOneWrote) {
  const auto model = make_model();
  Scenario sc = build_scenario(*model, 1, 2, 300, Period{2, TimeUnit::year});
  sc.seed = 3;
  sc.replicates = 3;
  sc.spin_up = Period{13, TimeUnit::week};
  sc.output.flush_every = 13;
  sc.parameters.set("procurement.tender_interval", 0.5);
  TimelineEvent cut;
  cut.label = "cut";
  cut.at = sc.clock().date_of(20);
  cut.hook = "budget_change";
  cut.hook_args = ParamValues(model->hooks()[0].args);
  cut.hook_args.set("change", -0.3);
  TimelineEvent late = cut;
  late.at = sc.clock().date_of(70);
  sc.timeline = {cut, late};
  const OutputInfo info = make_output_info(*model, sc, 2);

  std::map<std::uint32_t, std::vector<ReplicateCheckpoint>> saved;
  MemoryTrajectories full(info, sc.places.size());
  RunOptions opt;
  opt.threads = 2;
  opt.checkpoint_every = 26;
  opt.checkpoint = [&](const ReplicateCheckpoint& c) { saved[c.replicate].push_back(c); };
  const RunResult a = run_simulation(*model, sc, opt, &full);
  ASSERT_EQ(a.status, RunStatus::complete);
  // Every 26 ticks at chunk ends (25, 51, 77, 103), and the last tick.
  for (std::uint32_t r = 0; r < 3; ++r) {
    std::vector<Tick> ticks;
    for (const auto& c : saved[r]) ticks.push_back(c.tick);
    EXPECT_EQ(ticks, (std::vector<Tick>{25, 51, 77, 103, sc.ticks()})) << "replicate " << r;
  }

  // Replicate 0 resumes from tick 51 (after the first cut, before the second), replicate 1 from
  // tick 25, replicate 2 is complete.
  std::vector<ReplicateStart> starts(3);
  starts[0] = {ReplicateStart::From::state, saved[0][1].state, {}, {}};
  starts[1] = {ReplicateStart::From::state, saved[1][0].state, {}, {}};
  starts[2] = {ReplicateStart::From::complete, saved[2].back().state, a.first[2], a.last[2]};
  MemoryTrajectories resumed(info, sc.places.size());
  RunOptions again;
  again.threads = 1;
  again.resume = &starts;
  const RunResult b = run_simulation(*model, sc, again, &resumed);
  ASSERT_EQ(b.status, RunStatus::complete);
  EXPECT_EQ(b.replicates_done, 3u);
  const std::size_t T = info.ticks + 1;
  const Tick from[3] = {52, 26, static_cast<Tick>(T)};
  for (std::uint32_t r = 0; r < 3; ++r)
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t i = 0; i < full.indicators(); ++i)
        for (std::size_t p = 0; p < full.places(); ++p) {
          const double x = full.at(r, t, i, p), y = resumed.at(r, t, i, p);
          if (t < std::size_t(from[r])) {
            ASSERT_TRUE(std::isnan(y)) << "replicate " << r << " rewrote time point " << t;
          } else {
            ASSERT_EQ(std::memcmp(&x, &y, sizeof x), 0)
                << "replicate " << r << ", time " << t << ", indicator " << i << ", place " << p
                << ": " << x << " vs " << y;
          }
        }
  EXPECT_EQ(std::memcmp(a.last[0].values().data(), b.last[0].values().data(),
                        a.last[0].values().size() * sizeof(double)),
            0);
  // The pooled spin-up check comes out as the uninterrupted run's.
  ASSERT_EQ(b.settle.indicators.size(), a.settle.indicators.size());
  for (std::size_t k = 0; k < a.settle.indicators.size(); ++k)
    EXPECT_EQ(std::memcmp(&a.settle.indicators[k].change, &b.settle.indicators[k].change,
                          sizeof(double)),
              0);
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
