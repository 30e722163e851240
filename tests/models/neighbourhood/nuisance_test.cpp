// Nuisance (processes/nuisance.cpp): a resident with a condition and no care in place bothers the
// neighbouring homes, whose residents lose social trust; complaints go to the housing association
// or the neighbourhood team, and only a handled complaint is a good experience; complaints that
// pile up escalate to a case and, with no care in place, to eviction; care in place reduces the
// nuisance. Selective moves (demography): households that feel nuisance often move more, owners
// and higher incomes more than low-income social tenants.
#include <gtest/gtest.h>

#include <cmath>

#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

// A social-rent home in the middle of its buurt's homes, with an adult, and a setting where only
// that adult causes nuisance: no ordinary nuisance, no pull of trust towards ties or disposition.
struct NuisanceWorld {
  WorldFixture f{1, 2, 800, 401};
  std::uint32_t home = 0;
  Slot source = kNoSlot;
  NuisanceWorld() {
    World& w = f.w();
    w.p.nuisance_base_rate = 0;
    w.p.nuisance_condition_rate = 52 * 4;  // four events a week
    w.p.trust_pull = 0;
    w.p.trust_anchor = 0;
    for (Slot s : f.residents()) w.res.condition[s] = 0;
    for (std::uint32_t h = 10; h + 10 < w.homes.size(); ++h) {
      const Home& hm = w.homes[h];
      if (hm.tenure != kSocialRent || hm.size == 0 || w.homes[h - 2].buurt != hm.buurt || w.homes[h + 2].buurt != hm.buurt) continue;
      for (Slot s : f.residents())
        if (w.res.home[s] == h && w.res.age[s] >= 25) source = s;
      if (source != kNoSlot) {
        home = h;
        break;
      }
    }
    EXPECT_NE(source, kNoSlot);
    w.res.condition[source] = 1;
    w.res.need[source] = 2;
    w.res.case_since[source] = -1;
    w.res.case_served[source] = 0;
  }
  std::vector<Slot> living_in(std::uint32_t h) {
    return f.residents([&](Slot s) { return f.w().res.home[s] == h; });
  }
};

TEST(Nuisance, AResidentWithAConditionAndNoCareLowersTheNeighboursTrustOnly) {
  NuisanceWorld n;
  World& w = n.f.w();
  const auto before = w.res.trust.values();
  for (Tick t = 1; t <= 4; ++t) {
    nuisance(w, n.f.tick(t));
    trust(w, n.f.tick(t));
  }
  const int reach = w.p.nuisance_reach;
  double near_drop = 0, near_n = 0;
  for (std::uint32_t h = 0; h < w.homes.size(); ++h) {
    const bool neighbour = h != n.home && w.homes[h].buurt == w.homes[n.home].buurt &&
                           std::abs(static_cast<int>(h) - static_cast<int>(n.home)) <= reach;
    for (Slot s : n.living_in(h)) {
      if (neighbour && w.res.age[s] >= 12) {
        EXPECT_LT(w.res.trust[s], before[s]) << "neighbour in home " << h;
        near_drop += before[s] - w.res.trust[s];
        ++near_n;
      } else {
        EXPECT_FLOAT_EQ(w.res.trust[s], before[s]) << "home " << h;
      }
    }
    if (neighbour) EXPECT_GT(w.homes[h].nuisance_felt, 0.0f);
    else EXPECT_FLOAT_EQ(w.homes[h].nuisance_felt, 0.0f) << "home " << h;
  }
  ASSERT_GT(near_n, 0);
}

TEST(Nuisance, CareInPlaceReducesTheNuisance) {
  auto felt_after_a_year = [](bool served) {
    NuisanceWorld n;
    World& w = n.f.w();
    w.p.escalation_complaints = 0;
    w.p.eviction_complaints = 0;
    if (served) {
      w.res.case_since[n.source] = 0;
      w.res.case_served[n.source] = 1;
    }
    double felt = 0;
    for (Tick t = 1; t <= 52; ++t) {
      nuisance(w, n.f.tick(t));
      for (const auto& h : w.home_tick) felt += h.felt;
    }
    return felt;
  };
  const double without = felt_after_a_year(false), with = felt_after_a_year(true);
  // Support prevents 70% of it (nuisance.support_reduction): expected ratio 0.3.
  EXPECT_NEAR(with / without, 0.3, 0.08);
}

TEST(Nuisance, AComplaintIsHandledByTheHousingAssociationOnlyWhileItHasAWelfareRoleAndAConsultant) {
  for (int setting = 0; setting < 3; ++setting) {
    SCOPED_TRACE(setting);
    NuisanceWorld n;
    World& w = n.f.w();
    w.p.complaint_prob = 1;
    w.p.escalation_complaints = 0;
    w.p.eviction_complaints = 0;
    // 0: association with a welfare role and a consultant; 1: withdrawn, team has room;
    // 2: withdrawn, team full.
    w.city.ha_welfare_role = setting == 0;
    ASSERT_FALSE(n.f.staff(0, kHousingConsultant).empty());
    w.wijken[0].workload = setting == 2 ? 2.0 : 0.5;
    w.wijken[0].casework_hours = 100;  // (set by professional_work in a run)
    nuisance(w, n.f.tick(1));
    double hh = 0, hw = 0, uh = 0, um = 0;
    for (const auto& h : w.home_tick) {
      hh += h.handled_housing;
      hw += h.handled_welfare;
      uh += h.unhandled_housing;
      um += h.unhandled_municipality;
    }
    ASSERT_GT(hh + hw + uh + um, 0);
    EXPECT_EQ(hh > 0, setting == 0);
    EXPECT_EQ(hw > 0, setting == 1);
    EXPECT_EQ(uh > 0, setting == 2);
    EXPECT_EQ(um, 0) << "the source is a social tenant: unhandled complaints count against the association";
    EXPECT_EQ(w.homes[n.home].mediated_until >= 1, setting != 2) << "a handled complaint starts mediation";
  }
}

TEST(Nuisance, AnUnhandledComplaintLowersTrustInTheHousingAssociationAndNothingElse) {
  NuisanceWorld n;
  World& w = n.f.w();
  w.p.complaint_prob = 1;
  w.p.escalation_complaints = 0;
  w.p.eviction_complaints = 0;
  w.city.ha_welfare_role = false;
  w.wijken[0].workload = 2.0;  // the team is full
  std::array<std::vector<float>, kInstitutions> before;
  for (int k = 0; k < kInstitutions; ++k) before[k] = w.res.inst[k].level.values();
  nuisance(w, n.f.tick(1));
  trust(w, n.f.tick(1));
  int complainants = 0;
  for (Slot s : n.f.residents()) {
    const bool complained = w.home_tick[w.res.home[s]].unhandled_housing > 0 && w.res.age[s] >= 18;
    complainants += complained;
    if (complained) EXPECT_LT(w.res.inst[kHousing].level[s], before[kHousing][s]);
    else EXPECT_FLOAT_EQ(w.res.inst[kHousing].level[s], before[kHousing][s]);
    EXPECT_FLOAT_EQ(w.res.inst[kMunicipality].level[s], before[kMunicipality][s]);
    EXPECT_FLOAT_EQ(w.res.inst[kWelfare].level[s], before[kWelfare][s]);
  }
  EXPECT_GT(complainants, 0);
}

TEST(Nuisance, ComplaintsEscalateToACaseAndWithoutCareToEviction) {
  NuisanceWorld n;
  World& w = n.f.w();
  w.p.escalation_complaints = 4;
  w.p.eviction_complaints = 12;
  w.homes[n.home].complaints = 5;
  nuisance(w, n.f.tick(1));
  EXPECT_GE(w.res.case_since[n.source], 0) << "escalation to formal care";
  EXPECT_EQ(w.res.case_kind[n.source], kAcute);
  EXPECT_FALSE(w.homes[n.home].evict);
  // Far more complaints; the case is not served: eviction, and the household moves out.
  w.homes[n.home].complaints = 30;
  nuisance(w, n.f.tick(2));
  ASSERT_TRUE(w.homes[n.home].evict);
  EXPECT_EQ(w.buurten[w.homes[n.home].buurt].housing_now.evictions, 1.0);
  draw_life_events(w, n.f.tick(2));
  EXPECT_TRUE(w.home_moves[n.home]);
  // With the case served this tick (care in place), no eviction.
  NuisanceWorld m;
  World& v = m.f.w();
  v.homes[m.home].complaints = 30;
  v.homes[m.home].care_tick = 1;
  nuisance(v, m.f.tick(1));
  EXPECT_FALSE(v.homes[m.home].evict);
}

// Selective moves: with nuisance felt often, a household's moving-out rate rises by
// moves.nuisance_push, for low-income social tenants by moves.ability_low_income of it.
TEST(SelectiveMoves, HouseholdsThatCanMoveLeaveANuisanceFirst) {
  WorldFixture f(1, 2, 3000, 402);
  World& w = f.w();
  w.p.move_rate_social = w.p.move_rate_private = w.p.move_rate_owner = 0.1;
  w.p.move_need_push = w.p.move_trust_push = 0;
  w.p.move_nuisance_push = 3;
  w.p.move_ability_low_income = 0;
  auto moves = [&](bool nuisance_often) {
    std::array<double, 2> moved{}, drawn{};  // [0] low-income social tenants, [1] everyone else
    for (Tick t = 1; t <= 52 * 3; ++t) {
      for (auto& h : w.homes) h.nuisance_felt = nuisance_often ? static_cast<float>(w.p.nuisance_often) : 0.0f;
      draw_life_events(w, f.tick(t));
      for (std::size_t h = 0; h < w.homes.size(); ++h) {
        const Home& hm = w.homes[h];
        if (hm.size == 0 || ((hm.household + t) & 3) != 0) continue;  // drawn this tick (monthly)
        const int k = hm.tenure == kSocialRent && hm.low_income ? 0 : 1;
        drawn[k] += 1;
        moved[k] += w.home_moves[h] != 0;
      }
    }
    return std::array<double, 2>{moved[0] / drawn[0], moved[1] / drawn[1]};
  };
  const auto quiet = moves(false), noisy = moves(true);
  // Everyone else: rate x 4; low-income social tenants: unchanged.
  EXPECT_NEAR(noisy[1] / quiet[1], 4.0, 0.6);
  EXPECT_NEAR(noisy[0] / quiet[0], 1.0, 0.35);
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
