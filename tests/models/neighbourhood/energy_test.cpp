// The energy project. Top-down: below its consent threshold nothing is done and supporters see a
// promise broken; above it, only households in favour have their homes retrofitted. Community-led:
// residents count their ties' homes, a retrofit marks the home (once, whoever decides), and a
// retrofitted home is not done again.
#include <gtest/gtest.h>

#include <algorithm>

#include "neighbourhood/indicators.hpp"
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
    inst_before[s] = r.inst[kMunicipality].level[s];
    att_before[s] = r.attitude[s];
  }
  energy(w, f.tick(10));
  EXPECT_FALSE(w.wijken[0].energy.executing);
  EXPECT_EQ(w.wijken[0].energy.consent_check, 10u + 52u) << "retried a year later";
  const double weight = w.p.energy_broken_promise / (w.p.institutional_learning * w.p.negativity_weight);
  for (Slot s : f.residents())
    EXPECT_FLOAT_EQ(r.inst[kMunicipality].bad_weight[s], att_before[s] > 0.5f ? weight : 0.0f);
  trust(w, f.tick(10));
  // Supporters lose energy.broken_promise of their institutional trust (plus a small pull
  // towards their ties); others keep it up to that pull.
  for (Slot s : f.residents()) {
    const double expected = att_before[s] > 0.5f ? inst_before[s] * (1.0 - w.p.energy_broken_promise) : inst_before[s];
    EXPECT_NEAR(r.inst[kMunicipality].level[s], expected, 0.01);
  }
  for (Tick t = 11; t <= 40; ++t) energy(w, f.tick(t));
  for (const Home& h : w.homes) EXPECT_EQ(h.retrofitted, 0);
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
      EXPECT_EQ(w.homes[r.home[s]].retrofitted, 1) << "resident in favour, age " << r.age[s];
      done += w.homes[r.home[s]].retrofitted;
      EXPECT_EQ(r.inst[kMunicipality].bad[s], 0);
    } else {
      EXPECT_EQ(w.homes[r.home[s]].retrofitted, 0) << "resident against";
      ++against;
      pushed += r.inst[kMunicipality].bad[s] > 0;
    }
  }
  EXPECT_GT(done, 500);
  // Those against, whose turn came, were pressed to comply: a bad experience.
  EXPECT_GT(pushed, against / 2);
}

void start_community_led(World& w, Tick t) {
  EnergyProject& e = w.wijken[0].energy;
  e = EnergyProject{};
  e.active = true;
  e.mode = static_cast<int>(EnergyMode::community_led);
  e.started = t;
}

// A community-led project with an energy initiative of `members` led by the first, everyone
// against it and without ties, adoption at once for a convinced adult in favour.
void quiet_community_led(WorldFixture& f, const std::vector<Slot>& members) {
  World& w = f.w();
  f.clear_all_ties();
  f.clear_memberships();
  for (Slot s : f.residents()) {
    w.res.attitude[s] = 0.1f;
    w.res.good_social[s] = 0;
  }
  const Slot ini = add_initiative(w, w.res.buurt[members[0]], members[0], members, 1.0f);
  w.ini.type[ini] = kEnergyCoop;
  w.p.energy_attitude_pull = 0;
  w.p.energy_adoption_rate = 1e6;
  start_community_led(w, 10);
}

// An adult aged 25-59 of wijk 0 who does not live in any of the homes `not_in`.
Slot adult_elsewhere(WorldFixture& f, const std::vector<std::uint32_t>& not_in) {
  for (Slot s : f.adults())
    if (std::find(not_in.begin(), not_in.end(), f.w().res.home[s]) == not_in.end()) return s;
  ADD_FAILURE() << "no such adult";
  return kNoSlot;
}

TEST(Energy, CommunityLedAdopterCountsTheTiesHomesNotTheTies) {
  // x, in favour, has one tie: y. y has not adopted anything, but lives in a retrofitted home
  // (e.g. moved into one): the threshold rule counts it.
  for (bool y_home_retrofitted : {true, false}) {
    WorldFixture f(1, 1, 600, 73);
    World& w = f.w();
    auto& r = w.res;
    const Slot leader = f.resident_with_household_member().first;
    quiet_community_led(f, {leader});
    const Slot x = adult_elsewhere(f, {r.home[leader]});
    const Slot y = adult_elsewhere(f, {r.home[leader], r.home[x]});
    r.ties.strengthen(x, y, 1.0f, kFriend);
    r.attitude[x] = 0.9f;
    w.homes[r.home[y]].retrofitted = y_home_retrofitted;
    energy(w, f.tick(10));
    EXPECT_EQ(w.homes[r.home[x]].retrofitted, y_home_retrofitted ? 1 : 0);
    EXPECT_EQ(r.good_social[x], y_home_retrofitted ? 1 : 0);
    // Nobody else was convinced (no ties, or against).
    EXPECT_EQ(w.homes[r.home[leader]].retrofitted, 0);
  }
}

TEST(Energy, BothResidentsOfAHomeMayDecideInOneTickAndAHomeIsDoneOnce) {
  WorldFixture f(1, 1, 600, 74);
  World& w = f.w();
  auto& r = w.res;
  const auto [a, b] = f.resident_with_household_member();
  // Both are members of the energy initiative (so convinced) and in favour.
  quiet_community_led(f, {a, b});
  r.attitude[a] = r.attitude[b] = 0.9f;
  const std::uint32_t home = r.home[a];
  ASSERT_EQ(r.home[b], home);
  energy(w, f.tick(10));
  EXPECT_EQ(w.homes[home].retrofitted, 1);
  EXPECT_EQ(r.good_social[a], 1);
  EXPECT_EQ(r.good_social[b], 1);
  std::size_t done = 0;
  for (const Home& h : w.homes) done += h.retrofitted;
  EXPECT_EQ(done, 1u);
  // The home is done: nobody living there adopts it again.
  r.good_social[a] = r.good_social[b] = 0;
  for (Tick t = 11; t <= 20; ++t) energy(w, f.tick(t));
  EXPECT_EQ(r.good_social[a], 0);
  EXPECT_EQ(r.good_social[b], 0);
}

// A home is retrofitted at the adoption rate however many of its adults are willing: the draw is
// the home's, so a home with two willing adults is done in exactly the ticks in which it is done
// with one of them willing (with a draw per adult it would be done more often).
TEST(Energy, AHomeAdoptsAtTheSameRateWhateverTheNumberOfWillingAdults) {
  for (int mode : {0, 1}) {
    SCOPED_TRACE(mode == 0 ? "top-down" : "community-led");
    std::vector<int> done_with[2];
    for (int willing : {1, 2}) {
      WorldFixture f(1, 1, 600, 76);
      World& w = f.w();
      auto& r = w.res;
      const auto [a, b] = f.resident_with_household_member();
      quiet_community_led(f, {a, b});
      w.p.energy_adoption_rate = 2.0;  // a few per cent a week: some ticks yes, most no
      if (mode == 0) {
        start_top_down(w, 1);
        auto& e = w.wijken[0].energy;
        e.executing = true;
        e.plan_start = 0;  // every home's turn has come
        w.p.energy_plan_years = 1e-6;
      }
      r.attitude[a] = 0.9f;
      r.attitude[b] = willing == 2 ? 0.9f : 0.1f;
      const std::uint32_t home = r.home[a];
      for (Tick t = 10; t < 400; ++t) {
        w.homes[home].retrofitted = 0;
        energy(w, f.tick(t));
        r.attitude[a] = 0.9f;  // no drift between ticks
        r.attitude[b] = willing == 2 ? 0.9f : 0.1f;
        done_with[willing - 1].push_back(w.homes[home].retrofitted);
      }
    }
    EXPECT_EQ(done_with[0], done_with[1]);
    const int done = static_cast<int>(std::count(done_with[0].begin(), done_with[0].end(), 1));
    EXPECT_GT(done, 3);
    EXPECT_LT(done, 100);
  }
}

TEST(Energy, CommunityLedAdoptionIsTheSameForEveryThreadCount) {
  // Two blocks of residents, adoption spreading through the ties of a whole wijk, with turnover.
  auto run = [](int threads) {
    WorldFixture f(1, 2, 1200, 75, {}, {}, threads);
    World& w = f.w();
    const Slot leader = f.adults()[0];
    const Slot ini = add_initiative(w, w.res.buurt[leader], leader, {leader}, 1.0f);
    w.ini.type[ini] = kEnergyCoop;
    for (Slot s : f.residents()) w.res.initiative[s] = s % 7 == 0 ? ini : w.res.initiative[s];
    w.p.energy_adoption_rate = 20;
    start_community_led(w, 1);
    for (Tick t = 1; t <= 60; ++t) {
      energy(w, f.tick(t));
      demography(w, f.tick(t));
    }
    std::vector<std::uint8_t> flags;
    for (const Home& h : w.homes) flags.push_back(h.retrofitted);
    std::vector<float> att(w.res.attitude.values().begin(), w.res.attitude.values().end());
    return std::make_pair(flags, att);
  };
  const auto serial = run(0);
  std::size_t done = 0;
  for (auto x : serial.first) done += x;
  EXPECT_GT(done, 20u);
  EXPECT_LT(done, serial.first.size());
  for (int threads : {1, 3}) EXPECT_EQ(run(threads), serial) << threads << " threads";
}

TEST(Energy, HomesRetrofittedShareIsTheShareOfHomes) {
  WorldFixture f(1, 2, 500, 76);
  World& w = f.w();
  // Three homes of the first buurt, whatever their size.
  std::vector<std::size_t> homes(w.buurten.size(), 0);
  int marked = 0;
  for (Home& h : w.homes) {
    ++homes[h.buurt];
    if (h.buurt == 0 && marked < 3) {
      h.retrofitted = 1;
      ++marked;
    }
  }
  const auto& decls = indicator_decls();
  std::size_t k = 0;
  while (decls[k].name != "homes_retrofitted_share") ++k;
  IndicatorFrame out(decls.size(), f.scenario().places.size());
  measure(w, f.tick(1), out);
  EXPECT_DOUBLE_EQ(out.at(k, w.buurten[0].place), 3.0 / homes[0]);
  EXPECT_DOUBLE_EQ(out.at(k, w.buurten[1].place), 0.0);
  EXPECT_DOUBLE_EQ(out.at(k, w.wijken[0].place), 3.0 / w.homes.size());
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
