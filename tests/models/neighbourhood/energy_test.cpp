// The top-down energy project: below its consent threshold nothing is done and supporters see a
// promise broken; above it, only households in favour have their homes retrofitted.
#include <gtest/gtest.h>

#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

// Households (by id) in favour of the project with chance `share`, everyone else against; every
// member of a household shares its view. Returns the number of adults in favour / all adults.
double set_household_attitudes(WorldFixture& f, double share) {
  World& w = f.w();
  double adults = 0, favour = 0;
  for (Slot s : f.residents()) {
    const bool yes = Rng(99, 0, 0, w.res.household[s]).uniform() < share;
    w.res.attitude[s] = yes ? 0.9f : 0.1f;
    if (w.res.age[s] >= 18) {
      adults += 1;
      favour += yes;
    }
  }
  return favour / adults;
}

void start_top_down(World& w, Tick t) {
  EnergyProject& e = w.wijken[0].energy;
  e = EnergyProject{};
  e.active = true;
  e.mode = static_cast<int>(EnergyMode::top_down);
  e.consent_threshold = 0.7;
  e.target_share = 1.0;
  e.started = t;
  e.consent_check = t;
}

TEST(Energy, TopDownPlanBelowConsentDoesNotProceedAndBreaksAPromise) {
  WorldFixture f(1, 1, 1000, 71);
  World& w = f.w();
  auto& r = w.res;
  const double favour = set_household_attitudes(f, 0.4);
  ASSERT_LT(favour, 0.6);
  start_top_down(w, 10);
  std::vector<float> inst_before(r.pop.slots()), att_before(r.pop.slots());
  for (Slot s : f.residents()) {
    inst_before[s] = r.inst_trust[s];
    att_before[s] = r.attitude[s];
  }
  energy(w, f.tick(10));
  EXPECT_FALSE(w.wijken[0].energy.executing);
  EXPECT_EQ(w.wijken[0].energy.consent_check, 10u + 52u) << "retried a year later";
  const double weight = w.p.energy_broken_promise / (w.p.institutional_learning * w.p.negativity_weight);
  for (Slot s : f.residents())
    EXPECT_FLOAT_EQ(r.bad_inst_weight[s], att_before[s] > 0.5f ? weight : 0.0f);
  trust(w, f.tick(10));
  // Supporters lose energy.broken_promise of their institutional trust (plus a small pull
  // towards their ties); others keep it up to that pull.
  for (Slot s : f.residents()) {
    const double expected = att_before[s] > 0.5f ? inst_before[s] * (1.0 - w.p.energy_broken_promise) : inst_before[s];
    EXPECT_NEAR(r.inst_trust[s], expected, 0.01);
  }
  for (Tick t = 11; t <= 40; ++t) energy(w, f.tick(t));
  for (Slot s : f.residents()) EXPECT_EQ(r.retrofitted[s], 0);
}

TEST(Energy, TopDownPlanAboveConsentRetrofitsOnlyHomesInFavour) {
  WorldFixture f(1, 1, 1000, 72);
  World& w = f.w();
  auto& r = w.res;
  const double favour = set_household_attitudes(f, 0.85);
  ASSERT_GT(favour, 0.75);
  w.p.energy_attitude_pull = 0;  // views stay as set
  w.p.energy_plan_years = 0.1;   // every home's turn comes within six weeks
  w.p.energy_adoption_rate = 52; // and a willing household acts at once
  start_top_down(w, 10);
  for (Tick t = 10; t <= 30; ++t) energy(w, f.tick(t));
  EXPECT_TRUE(w.wijken[0].energy.executing);
  int done = 0, pushed = 0, against = 0;
  for (Slot s : f.residents()) {
    if (r.age[s] < 18) continue;
    if (r.attitude[s] > 0.5f) {
      EXPECT_EQ(r.retrofitted[s], 1) << "resident in favour, age " << r.age[s];
      done += r.retrofitted[s];
      EXPECT_EQ(r.bad_inst[s], 0);
    } else {
      EXPECT_EQ(r.retrofitted[s], 0) << "resident against";
      ++against;
      pushed += r.bad_inst[s] > 0;
    }
  }
  EXPECT_GT(done, 500);
  // Those against, whose turn came, were pressed to comply: a bad experience.
  EXPECT_GT(pushed, against / 2);
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
