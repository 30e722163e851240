// Initiatives: founding needs leadership potential; an initiative without a leader for too long,
// or without viability after its first weeks, dissolves and releases its members.
#include <gtest/gtest.h>

#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

// The initial initiatives' leaders have led for different times: their burnout is spread evenly
// over [0, 1), so they do not all burn out in the same year of every run.
TEST(Initiatives, InitialLeadersStartAtDifferentPointsOfTheirBurnout) {
  WorldFixture f(1, 2, 3000, 52);
  const World& w = f.w();
  std::vector<float> burnout;
  for (Slot i = 0; i < w.ini.pop.slots(); ++i)
    if (w.ini.pop.alive(i) && w.ini.leader[i] != kNoSlot) burnout.push_back(w.res.burnout[w.ini.leader[i]]);
  ASSERT_GE(burnout.size(), 20u);
  int low = 0, high = 0;
  for (float b : burnout) {
    ASSERT_GE(b, 0.0f);
    ASSERT_LT(b, 1.0f);
    low += b < 0.25f;
    high += b >= 0.75f;
  }
  // Each quarter of [0, 1) expects a quarter of the leaders; at least a tenth in the lowest and
  // the highest quarter rules out a start at one value.
  const auto n = static_cast<double>(burnout.size());
  EXPECT_GE(low, 0.1 * n);
  EXPECT_GE(high, 0.1 * n);
}

TEST(Initiatives, LeaderlessInitiativeDissolvesAndReleasesItsMembers) {
  for (double weeks : {26.0, 10.0}) {
    SCOPED_TRACE(weeks);
    WorldFixture f(1, 1, 400, 51);
    World& w = f.w();
    auto& r = w.res;
    f.clear_memberships();
    w.p.leaderless_weeks = weeks;
    w.p.member_leave_rate = 0;
    w.p.join_rate = 0;
    w.p.founding_rate = 0;
    const auto adults = f.adults();
    // Members without leadership potential: nobody can take over.
    std::vector<Slot> orphans(adults.begin(), adults.begin() + 6);
    for (Slot s : orphans) r.potential[s] = 0;
    const Slot orphan = add_initiative(w, 0, kNoSlot, orphans, 0.9f);
    // A control with a leader and the same members' input.
    std::vector<Slot> led(adults.begin() + 6, adults.begin() + 12);
    r.potential[led[0]] = 0.95f;
    const Slot control = add_initiative(w, 0, led[0], led, 0.9f);
    // Leaderless from tick 1: after `weeks` weeks it still exists, the tick after it dissolves.
    const Tick last = 1 + static_cast<Tick>(weeks);
    for (Tick t = 1; t <= last; ++t) {
      initiatives(w, f.tick(t));
      ASSERT_FALSE(w.ini.dissolving[orphan]) << "tick " << t;
    }
    initiatives(w, f.tick(last + 1));
    EXPECT_TRUE(w.ini.dissolving[orphan]);
    EXPECT_EQ(w.initiatives_dissolved_tick, 1.0);
    initiatives(w, f.tick(last + 2));
    EXPECT_FALSE(w.ini.pop.alive(orphan));
    for (Slot s : orphans) {
      EXPECT_EQ(r.initiative[s], kNoSlot);
      EXPECT_EQ(r.role[s], kNoRole);
    }
    ASSERT_TRUE(w.ini.pop.alive(control));
    EXPECT_FALSE(w.ini.dissolving[control]);
    EXPECT_EQ(w.ini.leader[control], led[0]);
    for (Slot s : led) EXPECT_EQ(r.initiative[s], control);
  }
}

TEST(Initiatives, FoundingNeedsLeadershipPotentialAboveTheThreshold) {
  auto founded = [](float potential_offset) {
    WorldFixture f(1, 1, 1000, 52);
    World& w = f.w();
    auto& r = w.res;
    f.clear_memberships();
    // Everything else a founder needs is there, in abundance.
    w.p.founding_rate = 10;
    w.p.min_ties_to_found = 0;
    for (Slot s : f.residents()) {
      r.trust[s] = 0.8f;
      r.burnout[s] = 0;
      r.potential[s] = r.age[s] >= 20 ? static_cast<float>(w.p.leader_potential_threshold) + potential_offset : 0.0f;
    }
    EXPECT_GT(w.buurten[0].places_open, 0);
    double n = 0;
    for (Tick t = 1; t <= 4; ++t) {
      initiatives(w, f.tick(t));
      n += w.initiatives_founded_tick;
    }
    EXPECT_EQ(static_cast<double>(w.ini.pop.size()), n);
    return n;
  };
  EXPECT_EQ(founded(-0.8f), 0);   // potential 0
  EXPECT_EQ(founded(-0.01f), 0);  // just below the threshold
  EXPECT_GT(founded(0.01f), 50);  // just above
}

TEST(Initiatives, NewInitiativeGetsThirteenWeeksBeforeLowViabilityEndsIt) {
  // The grace period is in weeks, whatever the tick length.
  for (bool monthly : {false, true}) {
    SCOPED_TRACE(monthly ? "monthly ticks" : "weekly ticks");
    const double dt = monthly ? 1.0 / 12.0 : kWeek;
    WorldFixture f(1, 1, 300, 53);
    World& w = f.w();
    f.clear_memberships();
    w.p.founding_rate = 0;
    w.p.join_rate = 0;  // the leader stays alone: too little input to build viability
    const Slot leader = f.adults()[0];
    w.res.potential[leader] = 0.95f;
    const Slot i = add_initiative(w, 0, leader, {leader}, 0.0f);
    Tick dissolved = 0;
    for (Tick t = 1; t <= 60 && !dissolved; ++t) {
      w.ini.viability[i] = 0.0f;  // no viability at all
      initiatives(w, f.tick(t, dt));
      if (w.ini.dissolving[i]) dissolved = t;
    }
    ASSERT_GT(dissolved, 0u);
    const double weeks = dissolved * dt * 365.25 / 7.0;
    EXPECT_GT(weeks, 13.0);
    EXPECT_LE(weeks - dt * 365.25 / 7.0, 13.0 + 1e-9) << "dissolved at tick " << dissolved;
  }
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
