// The care ladder and casework: the order of the rungs, the trust threshold for weak ties, the
// limits of helpers' hours and of the team's capacity, and the cost of waiting.
#include <gtest/gtest.h>

#include <algorithm>

#include "neighbourhood/indicators.hpp"
#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

// Needs stay where they are set (no onset, escalation or recovery), so a test controls them.
void frozen_needs(World& w) {
  w.p.need_onset_rate = 0;
  w.p.escalation_rate = 0;
  w.p.need_recovery_rate = 0;
}

void set_need(World& w, Slot s, std::uint8_t level) {
  w.res.need[s] = level;
  w.res.need_hours[s] = w.p.need_hours(level);
}

// A resident in need, the other adult of their household, a friend, and two weak ties whose
// social trust lies just above and just below care.help_trust_threshold. Everyone else has no
// need, so only this resident asks for help.
struct Ladder {
  Slot needy, home, friend_, willing, unwilling;
};

Ladder make_ladder(WorldFixture& f) {
  World& w = f.w();
  auto& r = w.res;
  frozen_needs(w);
  // The test's own caps, not the calibrated defaults, so that the hours below are worked out by
  // hand from them.
  w.p.household_care_hours = 14;
  w.p.max_help_share = 0.6;
  f.clear_memberships();  // no neighbour-help initiatives
  for (Slot s : f.residents()) set_need(w, s, 0);
  const auto [needy, home] = f.resident_with_household_member();
  std::vector<Slot> others;
  for (Slot s : f.adults())
    if (r.household[s] != r.household[needy] && others.size() < 3) others.push_back(s);
  Ladder l{needy, home, others[0], others[1], others[2]};
  f.isolate({l.needy, l.home, l.friend_, l.willing, l.unwilling});
  // Stored in the reverse order of the ladder, so that asking ties in storage order would fail.
  r.ties.strengthen(needy, l.willing, 0.3f, kWeak);
  r.ties.strengthen(needy, l.unwilling, 0.3f, kWeak);
  r.ties.strengthen(needy, l.friend_, 0.7f, kFriend);
  r.ties.strengthen(needy, home, 1.0f, kKin);
  r.alone[needy] = r.alone[home] = 0;
  r.spare_hours[home] = 4;  // household care (14 h) is the larger budget
  for (Slot s : {l.friend_, l.willing, l.unwilling}) r.spare_hours[s] = 10;  // 6 h per helpee
  for (Slot s : {l.home, l.friend_, l.willing, l.unwilling}) r.trust[s] = 0.9f;
  r.trust[l.willing] = static_cast<float>(w.p.help_trust_threshold + 0.01);
  r.trust[l.unwilling] = static_cast<float>(w.p.help_trust_threshold - 0.01);
  return l;
}

TEST(Care, LadderAsksHouseholdThenStrongTiesThenWillingWeakTies) {
  WorldFixture f(1, 1, 300, 31);
  World& w = f.w();
  auto& r = w.res;
  const Ladder l = make_ladder(f);

  // 16 h: the household gives 14, the friend the remaining 2, weak ties nothing.
  set_need(w, l.needy, 2);
  care(w, f.tick(1));
  EXPECT_FLOAT_EQ(r.given[l.home], 14);
  EXPECT_FLOAT_EQ(r.given[l.friend_], 2);
  EXPECT_FLOAT_EQ(r.given[l.willing], 0);
  EXPECT_FLOAT_EQ(r.given[l.unwilling], 0);
  EXPECT_FLOAT_EQ(r.unmet[l.needy], 0);
  EXPECT_FLOAT_EQ(r.informal_got[l.needy], 16);

  // 32 h: household 14, friend 6 (the share one person may ask), the willing weak tie 6, the
  // weak tie below the trust threshold nothing; 6 h stay unmet.
  set_need(w, l.needy, 3);
  care(w, f.tick(2));
  EXPECT_FLOAT_EQ(r.given[l.home], 14);
  EXPECT_FLOAT_EQ(r.given[l.friend_], 6);
  EXPECT_FLOAT_EQ(r.given[l.willing], 6);
  EXPECT_FLOAT_EQ(r.given[l.unwilling], 0);
  EXPECT_FLOAT_EQ(r.unmet[l.needy], 6);

  // Lowering the threshold below the second weak tie's trust brings it in.
  w.p.help_trust_threshold = 0.3;
  care(w, f.tick(3));
  EXPECT_FLOAT_EQ(r.given[l.unwilling], 6);
  EXPECT_FLOAT_EQ(r.unmet[l.needy], 0);
}

TEST(Care, HoursGivenNeverExceedHelpersHours) {
  // A vulnerable population over several weeks, all of the ladder at work.
  WorldFixture f(1, 2, 800, 32, [](Scenario& sc) {
    for (auto& pl : sc.places) pl.attributes.set("vulnerability", 3.0);
  });
  World& w = f.w();
  auto& r = w.res;
  f.clear_memberships();  // no initiative pool: every informal hour has a helper
  int binding = 0;
  for (Tick t = 1; t <= 8; ++t) {
    professional_work(w, f.tick(t));
    meeting(w, f.tick(t));
    care(w, f.tick(t));
    double given = 0, budgets = 0, received = 0;
    for (Slot s : f.residents()) {
      // What a helper has this week: household hours or spare hours, none when in need.
      const double budget =
          r.need[s] >= 2 ? 0.0 : std::max<double>(r.spare_hours[s], r.alone[s] ? 0.0 : w.p.household_care_hours);
      ASSERT_LE(r.given[s], budget + 1e-4) << "helper " << s << " tick " << t;
      binding += budget > 0 && r.given[s] >= budget - 1e-4;
      given += r.given[s];
      budgets += budget;
      received += r.informal_got[s];
      EXPECT_NEAR(r.informal_got[s] + r.unmet[s], r.need_hours[s], 1e-3);
    }
    EXPECT_LE(given, budgets);
    EXPECT_NEAR(received, given, 1e-6 * given + 1e-3);
    ASSERT_GT(given, 0);
  }
  EXPECT_GT(binding, 10) << "some helpers should have used all their hours";
}

// A household member h giving 5 hours a week to x, and kin k giving 12 hours a week to y (who
// lives alone); nobody else needs care. The low rung is set off its default, to see the
// parameter used.
struct Carers {
  Slot x, h, y, k;
};

Carers make_carers(WorldFixture& f) {
  World& w = f.w();
  auto& r = w.res;
  frozen_needs(w);
  w.p.household_care_hours = 5;
  w.p.max_help_share = 0.6;
  w.p.need_hours_low = 10;
  f.clear_memberships();
  for (Slot s : f.residents()) set_need(w, s, 0);
  const auto [x, h] = f.resident_with_household_member();
  Slot y = kNoSlot, k = kNoSlot;
  for (Slot s : f.adults())
    if (r.household[s] != r.household[x] && s != h) {
      if (y == kNoSlot) {
        y = s;
      } else if (r.household[s] != r.household[y]) {
        k = s;
        break;
      }
    }
  EXPECT_NE(k, kNoSlot);
  f.isolate({x, h, y, k});
  r.ties.strengthen(x, h, 1.0f, kKin);
  r.ties.strengthen(y, k, 0.8f, kKin);
  r.alone[x] = r.alone[h] = 0;
  r.alone[y] = 1;
  r.spare_hours[h] = 0;   // h gives household hours only: 5
  r.spare_hours[k] = 20;  // k gives 0.6 x 20 = 12 of y's 16
  set_need(w, x, 1);
  set_need(w, y, 2);
  return {x, h, y, k};
}

// The number of informal carers the indicator counts (city level), and their mean hours.
long count_carers(WorldFixture& f, const TickContext& c, double* per_carer) {
  const World& w = f.w();
  const auto& decls = indicator_decls();
  const auto index = [&](const char* name) {
    return static_cast<std::size_t>(std::find_if(decls.begin(), decls.end(), [&](auto& d) { return d.name == name; }) - decls.begin());
  };
  double n16 = 0;
  for (Slot s : f.residents()) n16 += w.res.age[s] >= 16;
  IndicatorFrame out(decls.size(), f.scenario().places.size());
  measure(w, c, out);
  *per_carer = out.at(index("informal_care_hours_per_carer"), 0);
  return std::lround(out.at(index("informal_carers_share"), 0) * n16);
}

// The carers' indicators count as the Dutch health monitor does: care to household or kin for
// three months or more, or for eight hours a week or more. h counts from the thirteenth week and
// no longer after a week off; k counts at once. The ladder's hours are the care.need_hours_*
// parameters.
TEST(Care, InformalCarersAreCountedAsTheHealthMonitorDefinesThem) {
  WorldFixture f(1, 1, 300, 35);
  World& w = f.w();
  auto& r = w.res;
  const Carers c = make_carers(f);
  double per = 0;
  for (Tick t = 1; t <= 13; ++t) {
    care(w, f.tick(t));
    ASSERT_FLOAT_EQ(r.need_hours[c.x], 10);
    ASSERT_FLOAT_EQ(r.given_kin[c.h], 5);
    ASSERT_FLOAT_EQ(r.given_kin[c.k], 12);
    if (t < 13) {
      ASSERT_EQ(count_carers(f, f.tick(t), &per), 1) << "week " << t;  // k only
      ASSERT_DOUBLE_EQ(per, 12);
    }
  }
  EXPECT_EQ(count_carers(f, f.tick(13), &per), 2);
  EXPECT_DOUBLE_EQ(per, (5.0 + 12.0) / 2);
  // A week without care ends the spell.
  set_need(w, c.x, 0);
  care(w, f.tick(14));
  set_need(w, c.x, 1);
  care(w, f.tick(15));
  EXPECT_EQ(count_carers(f, f.tick(15), &per), 1);
}

// Spells are counted in weeks, whatever the tick: with monthly ticks h counts from the third
// month (13.04 weeks), not the second. Care given in the initial state (time 0) counts as
// long-standing at once.
TEST(Care, CareSpellsAreWeeksForAnyTickLengthAndInitialCareIsLongStanding) {
  const double month = 1.0 / 12;
  {
    WorldFixture f(1, 1, 300, 35);
    const Carers c = make_carers(f);
    double per = 0;
    care(f.w(), f.tick(1, month));
    care(f.w(), f.tick(2, month));
    EXPECT_FLOAT_EQ(f.w().res.given_kin[c.h], 5);
    EXPECT_EQ(count_carers(f, f.tick(2, month), &per), 1);
    care(f.w(), f.tick(3, month));
    EXPECT_EQ(count_carers(f, f.tick(3, month), &per), 2);
  }
  {
    WorldFixture f(1, 1, 300, 35);
    make_carers(f);
    double per = 0;
    care(f.w(), f.tick(0));
    EXPECT_EQ(count_carers(f, f.tick(0), &per), 2);
  }
}

TEST(Casework, OnlyResidentsWithEnoughUnmetNeedBecomeCases) {
  WorldFixture f(1, 1, 500, 33);
  World& w = f.w();
  auto& r = w.res;
  w.p.case_need_level = 0;  // acute cases only (support cases: SupportClientsAreCasesWhateverTheirUnmetNeed)
  w.p.case_threshold = 0.5;
  for (Slot s : f.residents()) r.unmet[s] = 0;
  const auto adults = f.adults();
  std::vector<std::pair<Slot, double>> share;
  for (int k = 0; k < 40; ++k) {
    const Slot s = adults[k];
    set_need(w, s, 2);
    share.push_back({s, (k % 20 + 0.5) / 20.0});  // 0.025 .. 0.975, none at the threshold
    r.unmet[s] = static_cast<float>(16.0 * share.back().second);
  }
  professional_work(w, f.tick(1));
  casework(w, f.tick(1));
  int cases = 0;
  for (auto [s, x] : share) {
    EXPECT_EQ(r.case_since[s] >= 0 || r.formal_got[s] > 0, x > 0.5) << "unmet share " << x;
    cases += x > 0.5;
  }
  EXPECT_EQ(cases, 20);
  // Nobody else asked.
  for (Slot s : f.residents())
    if (std::none_of(share.begin(), share.end(), [&](auto& p) { return p.first == s; })) {
      EXPECT_LT(r.case_since[s], 0);
    }
}

TEST(Casework, ServesNoMoreCasesThanItsCapacityOldestFirst) {
  WorldFixture f(1, 1, 500, 34);
  World& w = f.w();
  auto& r = w.res;
  for (Slot s : f.residents()) r.unmet[s] = 0;
  professional_work(w, f.tick(20));
  // Room for 3 cases: a served case costs its direct hours plus administration (and a new one
  // its indication, here none); the third case overruns the week's hours, the fourth waits.
  w.p.indication_hours = 0;
  const double cost = w.p.caseload_hours / (1.0 - w.p.admin_share);
  w.wijken[0].casework_hours = 2.5 * cost;
  const auto adults = f.adults();
  const std::int32_t opened[] = {7, 3, 9, 1, 12, 5, 10, 2, 8, 11};  // oldest: 1, 2, 3
  std::vector<Slot> cases;
  for (int k = 0; k < 10; ++k) {
    const Slot s = adults[k];
    set_need(w, s, 2);
    r.unmet[s] = 16;
    r.case_since[s] = opened[k];
    cases.push_back(s);
  }
  casework(w, f.tick(20));
  std::uint32_t load = 0;
  for (Slot p : f.staff(0, kGeneralist)) load += w.pro.caseload[p];
  for (Slot p : f.staff(0, kHousingConsultant)) load += w.pro.caseload[p];
  EXPECT_EQ(load, 3u);
  for (int k = 0; k < 10; ++k) {
    const bool served = r.formal_got[cases[k]] > 0;
    EXPECT_EQ(served, opened[k] <= 3) << "case opened at " << opened[k];
    EXPECT_EQ(served, r.professional[cases[k]] != kNoSlot);
  }
  // No capacity: nobody is served.
  for (Slot s : cases) r.formal_got[s] = 0;
  w.wijken[0].casework_hours = 0;
  casework(w, f.tick(21));
  for (Slot s : cases) EXPECT_EQ(r.formal_got[s], 0.0f);
}

TEST(Casework, WaitingPastTheThresholdIsOneBadInstitutionalExperience) {
  for (double threshold : {6.0, 10.0}) {
    // Three generalist FTE, so the quick case below has room once the team works.
    WorldFixture f(1, 1, 300, 35, {}, [](World& w) { w.p.residents_per_professional = 100; });
    World& w = f.w();
    auto& r = w.res;
    w.p.wait_threshold_weeks = threshold;
    w.p.case_need_level = 0;  // no support clients competing for the team
    for (Slot s : f.residents()) r.unmet[s] = 0;
    const Slot s = f.adults()[0];
    set_need(w, s, 2);
    r.unmet[s] = 16;
    r.case_since[s] = 5;
    // No professional_work: the team has no casework hours, everyone waits.
    ASSERT_EQ(w.wijken[0].casework_hours, 0.0);
    for (Tick t = 5; t <= 30; ++t) {
      casework(w, f.tick(t));
      // The week starting at tick 5 + threshold is the first whose end is past the threshold.
      const int expected = t >= 5 + threshold ? 1 : 0;
      ASSERT_EQ(r.inst[kWelfare].bad[s], expected) << "tick " << t << ", threshold " << threshold;
      EXPECT_EQ(r.inst[kWelfare].good[s], 0);
    }
    // A case served in time is a good experience, not a bad one.
    const Slot quick = f.adults()[1];
    set_need(w, quick, 2);
    r.unmet[quick] = 16;
    r.case_since[quick] = 31;
    professional_work(w, f.tick(31));
    casework(w, f.tick(32));
    EXPECT_EQ(r.inst[kWelfare].good[quick], 1);
    EXPECT_EQ(r.inst[kWelfare].bad[quick], 0);
  }
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
