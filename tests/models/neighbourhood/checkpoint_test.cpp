// Checkpoints of the neighbourhood model (models/neighbourhood/checkpoint.cpp): an instance
// loaded from another's saved state continues exactly as the original does, tick for tick, with
// tenders, a budget cut and turnover happening after the checkpoint; and its state, saved again
// later, is the original's byte for byte.
#include <gtest/gtest.h>

#include <cstring>

#include "buurtlab/executor.hpp"
#include "buurtlab/model.hpp"
#include "buurtlab/params.hpp"
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
