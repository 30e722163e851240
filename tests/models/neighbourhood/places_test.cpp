// Public places (processes/places.cpp): every wijk has its places with kinds and funders; a budget
// cut closes only the community centres the welfare budget pays for, the housing association's
// withdrawal only those it pays for; a closed place's initiatives lose their host, their members
// experience it as the funder's decision, and the initiative meets and works less, so it loses
// viability faster than one whose host stays open (a closed place with equal hours that hosts
// nothing costs the initiatives nothing).
#include <gtest/gtest.h>

#include <algorithm>

#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

std::size_t count(const World& w, const std::function<bool(const Place&)>& pred) {
  return static_cast<std::size_t>(std::count_if(w.places.begin(), w.places.end(), pred));
}

TEST(Places, EveryWijkHasACommunityCentreAndPlacesFollowThePopulation) {
  WorldFixture f(3, 2, 1500, 501);  // 1,500 residents per buurt
  const World& w = f.w();
  EXPECT_EQ(w.places.size(), 12u) << "one place per 1,000 residents, rounded per buurt";
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj)
    EXPECT_GE(count(w, [&](const Place& p) { return p.kind == kCommunityCentre && w.buurten[p.buurt].wijk == wj; }), 1u);
  for (const Place& p : w.places) {
    EXPECT_TRUE(p.open);
    EXPECT_FLOAT_EQ(p.hours, p.base_hours);
    if (p.kind == kLibrary) EXPECT_EQ(p.funder, kFundedByMunicipality);
    if (p.kind == kOtherPlace) EXPECT_EQ(p.funder, kRunByResidents);
    EXPECT_EQ(p.welfare_funded, p.kind == kCommunityCentre && p.funder == kFundedByMunicipality);
  }
  double hours = 0;
  for (const Buurt& b : w.buurten) hours += b.place_hours;
  double expected = 0;
  for (const Place& p : w.places) expected += p.base_hours;
  EXPECT_DOUBLE_EQ(hours, expected);
}

TEST(Places, ABudgetCutClosesWelfareFundedCentresAndTheWithdrawalTheAssociations) {
  WorldFixture f(4, 3, 20000, 502, [](Scenario& sc) {
    // Many community centres, of every funder.
    for (auto& pl : sc.places)
      if (pl.level == PlaceLevel::buurt) pl.attributes.set("community_centres", 4);
  });
  World& w = f.w();
  const auto welfare = count(w, [](const Place& p) { return p.welfare_funded; });
  const auto housing = count(w, [](const Place& p) { return p.funder == kFundedByHousing; });
  ASSERT_GT(welfare, 10u);
  ASSERT_GT(housing, 2u);
  // A 30% cut with elasticity 1: 30% of the welfare-funded centres' hours go, whole centres first.
  w.city.budget_factor = 0.7;
  refresh_places(w, 1);
  double hours = 0, full = 0;
  for (const Place& p : w.places) {
    if (p.welfare_funded) {
      hours += p.hours;
      full += p.base_hours;
    } else {
      EXPECT_TRUE(p.open) << "only welfare-funded centres close";
    }
  }
  EXPECT_NEAR(hours / full, 0.7, 1e-6);
  EXPECT_LE(count(w, [](const Place& p) { return p.welfare_funded && p.open && p.hours < p.base_hours; }), 1u)
      << "at most one centre shortens its hours; the others are open or closed";
  // The housing association withdraws: its centres close, nothing else changes.
  w.city.ha_welfare_role = false;
  refresh_places(w, 2);
  EXPECT_EQ(count(w, [](const Place& p) { return p.funder == kFundedByHousing && p.open; }), 0u);
  EXPECT_EQ(count(w, [](const Place& p) { return p.funder == kRunByResidents && !p.open; }), 0u);
  // Budget and role restored: everything reopens.
  w.city.budget_factor = 1;
  w.city.ha_welfare_role = true;
  refresh_places(w, 3);
  EXPECT_EQ(count(w, [](const Place& p) { return !p.open; }), 0u);
}

TEST(Places, TheHookClosesTheShareOfTheMatchingPlacesInItsBuurt) {
  WorldFixture f(1, 3, 2000, 503);
  World& w = f.w();
  const auto in_buurt_2 = count(w, [](const Place& p) { return p.buurt == 1; });
  ASSERT_EQ(in_buurt_2, 2u);
  change_places(w, -1.0, 0, 2, -1, 1);
  for (const Place& p : w.places) EXPECT_EQ(p.open, p.buurt != 1);
  EXPECT_EQ(w.buurten[1].places_open, 0);
  change_places(w, 1.0, 0, 2, -1, 2);
  EXPECT_EQ(count(w, [](const Place& p) { return !p.open; }), 0u);
}

// One initiative that meets in a place, hosted by the buurt's community centre, and one like it
// hosted by another place; closing a place costs the initiative it hosts, not the other.
struct TwoInitiatives {
  WorldFixture f{1, 1, 2000, 504};
  Slot in_centre = kNoSlot, elsewhere = kNoSlot;
  std::uint32_t centre = kNoPlace, other = kNoPlace;
  TwoInitiatives() {
    World& w = f.w();
    f.clear_memberships();
    w.p.support_hours_needed = 1e9;  // no professional support: members carry the initiative
    for (std::uint32_t k = 0; k < w.places.size(); ++k) {
      if (w.places[k].kind == kCommunityCentre && centre == kNoPlace) centre = k;
      if (w.places[k].kind == kOtherPlace && other == kNoPlace) other = k;
    }
    EXPECT_NE(centre, kNoPlace);
    EXPECT_NE(other, kNoPlace);
    w.places[centre].funder = kFundedByMunicipality;
    w.places[centre].welfare_funded = true;
    w.places[other].base_hours = w.places[centre].base_hours;  // equal hours
    const auto adults = f.adults();
    in_centre = add_initiative(w, 0, adults[0], {adults[0], adults[1], adults[2]}, 0.5f);
    elsewhere = add_initiative(w, 0, adults[3], {adults[3], adults[4], adults[5]}, 0.5f);
    w.ini.type[in_centre] = w.ini.type[elsewhere] = kMeetingPlace;
    w.ini.host[in_centre] = centre;
    w.ini.host[elsewhere] = other;
    for (auto& p : w.places) p.capacity = 0;  // nowhere else to go
    w.places[centre].capacity = w.places[other].capacity = 1;
    assign_hosts(w);
    w.count_initiative_members();
  }
};

TEST(Places, ClosingAHostingCentreCostsItsInitiativeItsHostAndViability) {
  TwoInitiatives t;
  World& w = t.f.w();
  const Slot member = w.ini.leader[t.in_centre];
  const float trust_before = w.res.inst[kMunicipality].level[member];
  w.places[t.centre].closed_by_hook = true;
  refresh_places(w, 1);
  EXPECT_EQ(w.ini.host[t.in_centre], kNoPlace);
  EXPECT_EQ(w.ini.host[t.elsewhere], t.other);
  for (Tick tick = 1; tick <= 26; ++tick) initiatives(w, t.f.tick(tick));
  trust(w, t.f.tick(27));
  EXPECT_LT(w.ini.viability[t.in_centre], w.ini.viability[t.elsewhere]);
  EXPECT_EQ(w.ini.host[t.in_centre], kNoPlace) << "no other place has room";
  // The members experienced the closure as a decision of the municipality (once).
  EXPECT_LT(w.res.inst[kMunicipality].level[member], trust_before);
}

TEST(Places, ClosingAPlaceWithEqualHoursThatHostsNothingCostsNoInitiative) {
  TwoInitiatives t, u;
  World& w = t.f.w();
  World& v = u.f.w();
  // In u, a third place with the centre's hours that hosts nothing closes.
  Place empty = v.places[u.centre];
  empty.capacity = 0;
  empty.closed_by_hook = true;
  v.places.push_back(empty);
  refresh_places(v, 1);
  for (Tick tick = 1; tick <= 26; ++tick) {
    initiatives(w, t.f.tick(tick));
    initiatives(v, u.f.tick(tick));
  }
  EXPECT_FLOAT_EQ(v.ini.viability[u.in_centre], w.ini.viability[t.in_centre]);
  EXPECT_FLOAT_EQ(v.ini.viability[u.elsewhere], w.ini.viability[t.elsewhere]);
}

TEST(Places, AnInitiativeThatLostItsHostMovesToAPlaceWithRoom) {
  TwoInitiatives t;
  World& w = t.f.w();
  w.places[t.other].capacity = 2;
  w.places[t.centre].closed_by_hook = true;
  refresh_places(w, 1);
  initiatives(w, t.f.tick(1));
  EXPECT_EQ(w.ini.host[t.in_centre], t.other);
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
