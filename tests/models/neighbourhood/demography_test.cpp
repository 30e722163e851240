// Demography: the life course in a fixed stock of homes (deaths shrink households, births, young
// adults leaving home, vacant homes let to newcomers), the bookkeeping of homes and place lists,
// and the composition of the baseline buurten over 30 years.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "buurtlab/scenario_loader.hpp"
#include "registry.hpp"
#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

std::set<AgentId> resident_ids(const World& w) {
  std::set<AgentId> ids;
  for (Slot s = 0; s < w.res.pop.slots(); ++s)
    if (w.res.pop.alive(s)) ids.insert(w.res.pop.id(s));
  return ids;
}

// Every living resident is in exactly one buurt list, the one its buurt column names, at the
// position the World records, and in its wijk's list; the lists hold nobody else.
void expect_place_lists_consistent(const World& w) {
  std::vector<int> seen(w.res.pop.slots(), 0);
  for (std::uint32_t b = 0; b < w.buurten.size(); ++b) {
    const auto& list = w.buurten[b].residents;
    for (std::size_t k = 0; k < list.size(); ++k) {
      const Slot s = list[k];
      ASSERT_LT(s, w.res.pop.slots());
      ASSERT_TRUE(w.res.pop.alive(s));
      EXPECT_EQ(w.res.buurt[s], b);
      EXPECT_EQ(w.buurt_pos[s], k);
      ++seen[s];
    }
  }
  std::size_t in_wijken = 0;
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj)
    for (std::size_t k = 0; k < w.wijk_residents[wj].size(); ++k) {
      const Slot s = w.wijk_residents[wj][k];
      EXPECT_EQ(w.wijk_of(s), wj);
      EXPECT_EQ(w.wijk_pos[s], k);
      ++in_wijken;
    }
  for (Slot s = 0; s < w.res.pop.slots(); ++s) ASSERT_EQ(seen[s], w.res.pop.alive(s) ? 1 : 0) << "slot " << s;
  EXPECT_EQ(in_wijken, w.res.pop.size());
}

// Every home's size is the number of residents living in it; they share its household id, buurt
// and tenure; a resident lives alone exactly when their home holds one person.
void expect_homes_consistent(const World& w) {
  std::vector<std::uint32_t> size(w.homes.size(), 0);
  for (Slot s = 0; s < w.res.pop.slots(); ++s) {
    if (!w.res.pop.alive(s)) continue;
    const Home& h = w.homes[w.res.home[s]];
    ++size[w.res.home[s]];
    EXPECT_EQ(w.res.household[s], h.household) << "slot " << s;
    EXPECT_EQ(w.res.buurt[s], h.buurt) << "slot " << s;
    EXPECT_EQ(w.res.tenure[s], h.tenure) << "slot " << s;
  }
  for (std::size_t h = 0; h < w.homes.size(); ++h) {
    ASSERT_EQ(size[h], w.homes[h].size) << "home " << h;
    EXPECT_GT(size[h], 0u) << "home " << h << " left vacant";
  }
  for (Slot s = 0; s < w.res.pop.slots(); ++s) {
    if (!w.res.pop.alive(s)) continue;
    EXPECT_EQ(w.res.alone[s] != 0, w.homes[w.res.home[s]].size == 1) << "slot " << s;
  }
}

std::vector<std::size_t> homes_per_buurt(const World& w) {
  std::vector<std::size_t> n(w.buurten.size(), 0);
  for (const Home& h : w.homes) ++n[h.buurt];
  return n;
}

// The residents of home h, in slot order.
std::vector<Slot> living_in(const World& w, std::uint32_t h) {
  std::vector<Slot> out;
  for (Slot s = 0; s < w.res.pop.slots(); ++s)
    if (w.res.pop.alive(s) && w.res.home[s] == h) out.push_back(s);
  return out;
}

// The first home (in index order) of wijk `wj` whose residents satisfy `pred`.
std::uint32_t find_home(const World& w, std::uint32_t wj, const std::function<bool(const std::vector<Slot>&)>& pred) {
  for (std::uint32_t h = 0; h < w.homes.size(); ++h) {
    if (w.buurten[w.homes[h].buurt].wijk != wj) continue;
    if (pred(living_in(w, h))) return h;
  }
  ADD_FAILURE() << "no such home";
  return 0;
}

// Applies the given events (as if drawn this tick) and nothing else.
void apply(WorldFixture& f, Tick t, const std::vector<std::pair<Slot, LifeEvent::Kind>>& events) {
  World& w = f.w();
  w.life_events.reset(1);
  for (const auto& [s, kind] : events) w.life_events.of(Block{0, 0, 1}).push_back({s, w.res.pop.id(s), kind});
  apply_life_events(w, f.tick(t));
}

bool kin_tie(const World& w, Slot a, Slot b) {
  const auto nb = w.res.ties.neighbours(a);
  const auto kd = w.res.ties.kinds(a);
  for (std::size_t k = 0; k < nb.size(); ++k)
    if (nb[k] == b) return kd[k] == kKin;
  return false;
}

TEST(Demography, LastResidentDyingMakesTheHomeVacantAndItIsLetAgain) {
  WorldFixture f(1, 2, 400, 81);
  World& w = f.w();
  const std::uint32_t h = find_home(w, 0, [](const std::vector<Slot>& in) { return in.size() == 1; });
  const Slot s = living_in(w, h)[0];
  const AgentId id = w.res.pop.id(s);
  const std::uint64_t before = w.homes[h].household, next = w.city.next_household;
  const auto homes = homes_per_buurt(w);
  apply(f, 1, {{s, LifeEvent::Kind::dies}});
  EXPECT_FALSE(resident_ids(w).count(id));
  // A newcomer household (the only new one) lives there now, in the home's buurt and tenure.
  EXPECT_NE(w.homes[h].household, before);
  EXPECT_EQ(w.city.next_household, next + 1);
  EXPECT_FALSE(living_in(w, h).empty());
  EXPECT_EQ(homes_per_buurt(w), homes);
  expect_homes_consistent(w);
  expect_place_lists_consistent(w);
}

TEST(Demography, DeathInACoupleLeavesTheSurvivorLivingAlone) {
  WorldFixture f(1, 2, 400, 82);
  World& w = f.w();
  const std::uint32_t h = find_home(w, 0, [&](const std::vector<Slot>& in) {
    return in.size() == 2 && w.res.age[in[0]] >= 20 && w.res.age[in[1]] >= 20;
  });
  const auto couple = living_in(w, h);
  ASSERT_FALSE(w.res.alone[couple[1]]);
  const std::uint64_t household = w.homes[h].household, next = w.city.next_household;
  apply(f, 1, {{couple[0], LifeEvent::Kind::dies}});
  EXPECT_FALSE(w.res.pop.alive(couple[0]));
  // The home is not let: the survivor stays, now alone.
  EXPECT_EQ(living_in(w, h), std::vector<Slot>{couple[1]});
  EXPECT_EQ(w.homes[h].household, household);
  EXPECT_EQ(w.city.next_household, next);
  EXPECT_TRUE(w.res.alone[couple[1]]);
  expect_homes_consistent(w);
}

TEST(Demography, ChildrenLeftWithoutAnAdultGoToFamilyElsewhere) {
  WorldFixture f(1, 2, 400, 83);
  World& w = f.w();
  const std::uint32_t h = find_home(w, 0, [](const std::vector<Slot>& in) { return in.size() == 3; });
  const auto in = living_in(w, h);
  w.res.age[in[0]] = 40;
  w.res.age[in[1]] = 12;
  w.res.age[in[2]] = 9;
  const std::uint64_t household = w.homes[h].household;
  apply(f, 1, {{in[0], LifeEvent::Kind::dies}});
  for (Slot s : in) EXPECT_FALSE(w.res.pop.alive(s) && w.res.household[s] == household);
  EXPECT_NE(w.homes[h].household, household);  // let to newcomers
  expect_homes_consistent(w);
}

TEST(Demography, ACoupleHasAChildWhoJoinsTheHousehold) {
  WorldFixture f(1, 2, 400, 84);
  World& w = f.w();
  const std::uint32_t h = find_home(w, 0, [&](const std::vector<Slot>& in) {
    return in.size() == 2 && w.res.age[in[0]] >= 20 && w.res.age[in[1]] >= 20;
  });
  const auto couple = living_in(w, h);
  w.res.age[couple[0]] = 31;
  w.res.age[couple[1]] = 33;
  apply(f, 1, {{couple[0], LifeEvent::Kind::birth}});
  const auto now = living_in(w, h);
  ASSERT_EQ(now.size(), 3u);
  Slot child = kNoSlot;
  for (Slot s : now)
    if (s != couple[0] && s != couple[1]) child = s;
  EXPECT_EQ(w.res.age[child], 0.0f);
  EXPECT_EQ(w.res.household[child], w.homes[h].household);
  EXPECT_TRUE(kin_tie(w, child, couple[0]));
  EXPECT_TRUE(kin_tie(w, child, couple[1]));
  EXPECT_EQ(w.res.group[child], w.res.group[couple[0]]);
  EXPECT_EQ(w.res.spare_hours[child], 0.0f);
  expect_homes_consistent(w);
  expect_place_lists_consistent(w);
}

TEST(Demography, NoBirthWithoutAPartner) {
  WorldFixture f(1, 2, 400, 85);
  World& w = f.w();
  // A parent living with a child only.
  const std::uint32_t h = find_home(w, 0, [](const std::vector<Slot>& in) { return in.size() == 2; });
  const auto in = living_in(w, h);
  w.res.age[in[0]] = 35;
  w.res.age[in[1]] = 10;
  apply(f, 1, {{in[0], LifeEvent::Kind::birth}});
  EXPECT_EQ(living_in(w, h).size(), 2u);
}

TEST(Demography, AYoungAdultSettlingInTheWijkKeepsKinTiesToTheParents) {
  WorldFixture f(1, 2, 400, 86);
  World& w = f.w();
  const std::uint32_t family_home = find_home(w, 0, [](const std::vector<Slot>& in) { return in.size() == 3; });
  const auto family = living_in(w, family_home);
  w.res.age[family[0]] = 52;
  w.res.age[family[1]] = 50;
  w.res.age[family[2]] = 22;
  const Slot young = family[2];
  // A home falls vacant in the wijk in the same tick.
  const std::uint32_t empty = find_home(w, 0, [&](const std::vector<Slot>& in) {
    return in.size() == 1 && w.res.home[in[0]] != family_home;
  });
  const std::uint64_t next = w.city.next_household;
  apply(f, 1, {{living_in(w, empty)[0], LifeEvent::Kind::dies}, {young, LifeEvent::Kind::leaves_for_wijk}});
  ASSERT_TRUE(w.res.pop.alive(young));
  EXPECT_EQ(w.res.home[young], empty);
  EXPECT_EQ(w.res.buurt[young], w.homes[empty].buurt);
  EXPECT_TRUE(w.res.alone[young]);
  EXPECT_NE(w.res.household[young], w.res.household[family[0]]);
  EXPECT_EQ(w.city.next_household, next + 1);  // the young adult's household; no newcomers
  // Kin outside the household now.
  EXPECT_TRUE(kin_tie(w, young, family[0]));
  EXPECT_TRUE(kin_tie(w, young, family[1]));
  EXPECT_EQ(living_in(w, family_home).size(), 2u);
  expect_homes_consistent(w);
  expect_place_lists_consistent(w);
}

TEST(Demography, AYoungAdultFindingNoHomeInTheWijkMovesAway) {
  WorldFixture f(1, 2, 400, 87);
  World& w = f.w();
  const std::uint32_t h = find_home(w, 0, [](const std::vector<Slot>& in) { return in.size() == 3; });
  const auto family = living_in(w, h);
  w.res.age[family[0]] = 52;
  w.res.age[family[1]] = 50;
  w.res.age[family[2]] = 22;
  const AgentId id = w.res.pop.id(family[2]);
  apply(f, 1, {{family[2], LifeEvent::Kind::leaves_for_wijk}});
  EXPECT_FALSE(resident_ids(w).count(id));
  EXPECT_EQ(living_in(w, h).size(), 2u);
  expect_homes_consistent(w);
}

TEST(Demography, OnlyChildrenLeaveHome) {
  WorldFixture f(1, 2, 400, 88);
  World& w = f.w();
  const std::uint32_t h = find_home(w, 0, [&](const std::vector<Slot>& in) {
    return in.size() == 2 && w.res.age[in[0]] >= 20 && w.res.age[in[1]] >= 20;
  });
  const auto couple = living_in(w, h);
  w.res.age[couple[0]] = 24;
  w.res.age[couple[1]] = 26;
  apply(f, 1, {{couple[0], LifeEvent::Kind::leaves_home}});
  EXPECT_EQ(living_in(w, h), couple);
}

TEST(Demography, AMovingHouseholdLeavesTogetherAndNewcomersMayHaveKinInTheWijk) {
  WorldFixture f(1, 2, 400, 89);
  World& w = f.w();
  w.p.newcomer_kin_share = 1.0;
  const std::uint32_t h = find_home(w, 0, [](const std::vector<Slot>& in) { return in.size() >= 2; });
  const auto in = living_in(w, h);
  std::vector<std::pair<Slot, LifeEvent::Kind>> events;
  for (Slot s : in) events.push_back({s, LifeEvent::Kind::moves});
  apply(f, 1, events);
  const auto now = living_in(w, h);
  ASSERT_FALSE(now.empty());
  std::size_t kin_outside = 0;
  for (Slot s : now) {
    EXPECT_EQ(w.res.household[s], w.homes[h].household);
    const auto nb = w.res.ties.neighbours(s);
    const auto kd = w.res.ties.kinds(s);
    for (std::size_t k = 0; k < nb.size(); ++k)
      kin_outside += kd[k] == kKin && w.res.household[nb[k]] != w.res.household[s];
  }
  EXPECT_GT(kin_outside, 0u);
  expect_homes_consistent(w);
}

// A retrofit belongs to the home: when the household moves out or dies, whoever moves in (a
// newcomer household or a young adult from the wijk) lives in a retrofitted home.
TEST(Demography, ARetrofitStaysWithTheHomeWhenItsHouseholdLeaves) {
  WorldFixture f(1, 2, 400, 91);
  World& w = f.w();
  // A household that moves out, replaced by newcomers.
  const std::uint32_t moved = find_home(w, 0, [](const std::vector<Slot>& in) { return in.size() >= 2; });
  // A resident living alone who dies, replaced by newcomers.
  const std::uint32_t died = find_home(w, 0, [&](const std::vector<Slot>& in) {
    return in.size() == 1 && w.res.home[in[0]] != moved;
  });
  // Another who dies; a young adult of the wijk takes the home.
  const std::uint32_t settled = find_home(w, 0, [&](const std::vector<Slot>& in) {
    return in.size() == 1 && w.res.home[in[0]] != moved && w.res.home[in[0]] != died;
  });
  const std::uint32_t family_home = find_home(w, 0, [&](const std::vector<Slot>& in) {
    return in.size() == 3 && w.res.home[in[0]] != moved;
  });
  const auto family = living_in(w, family_home);
  w.res.age[family[0]] = 52;
  w.res.age[family[1]] = 50;
  w.res.age[family[2]] = 22;
  for (std::uint32_t h : {moved, died, settled}) w.homes[h].retrofitted = 1;
  std::vector<std::pair<Slot, LifeEvent::Kind>> events;
  for (Slot s : living_in(w, moved)) events.push_back({s, LifeEvent::Kind::moves});
  events.push_back({living_in(w, died)[0], LifeEvent::Kind::dies});
  events.push_back({living_in(w, settled)[0], LifeEvent::Kind::dies});
  const std::uint64_t before_moved = w.homes[moved].household, before_died = w.homes[died].household;
  // (One of the three vacant homes is taken by the young adult, chosen at random, the others by
  // newcomers; either way all stay retrofitted.)
  events.push_back({family[2], LifeEvent::Kind::leaves_for_wijk});
  apply(f, 1, events);
  EXPECT_NE(w.homes[moved].household, before_moved);
  EXPECT_NE(w.homes[died].household, before_died);
  ASSERT_TRUE(w.res.pop.alive(family[2]));
  const std::uint32_t young_home = w.res.home[family[2]];
  EXPECT_TRUE(young_home == moved || young_home == died || young_home == settled);
  for (std::uint32_t h : {moved, died, settled}) {
    EXPECT_FALSE(living_in(w, h).empty());
    EXPECT_EQ(w.homes[h].retrofitted, 1) << "home " << h;
  }
  // The family home the young adult left was not retrofitted and still is not; no other home is.
  std::size_t done = 0;
  for (const Home& h : w.homes) done += h.retrofitted;
  EXPECT_EQ(done, 3u);
  expect_homes_consistent(w);
}

// Residents who grow up in the model get their education at 20, and with it the education's
// shift of the energy attitude that an adult created with higher education has.
// ... and social trust, its disposition and institutional trust, as when an adult is created.
TEST(Demography, ReachingTwentyWithHigherEducationShiftsTheEnergyAttitudeAndTrust) {
  for (double share : {1.0, 0.0}) {
    WorldFixture f(1, 1, 400, 92);
    World& w = f.w();
    w.buurten[0].attr.high_education_share = share;
    std::vector<Slot> young, others;
    for (Slot s : f.residents()) {
      if (w.res.age[s] < 20 && young.size() < 5) {
        w.res.age[s] = 20.0f - 0.5f * static_cast<float>(kWeek);
        w.res.low_income[s] = 0;
        young.push_back(s);
      } else if (w.res.age[s] >= 21 && w.res.age[s] < 60) {
        others.push_back(s);
      }
      w.res.attitude[s] = 0.5f;
      w.res.trust[s] = w.res.trust_base[s] = 0.5f;
      for (auto& in : w.res.inst) in.level[s] = 0.5f;
    }
    ASSERT_EQ(young.size(), 5u);
    draw_life_events(w, f.tick(1));
    for (Slot s : young) {
      ASSERT_GE(w.res.age[s], 20.0f);
      EXPECT_EQ(w.res.high_education[s], share > 0 ? 1 : 0);
      EXPECT_FLOAT_EQ(w.res.attitude[s], static_cast<float>(0.5 + energy_attitude_education_shift(share > 0)));
      EXPECT_FLOAT_EQ(w.res.attitude[s], share > 0 ? 0.6f : 0.5f);
      EXPECT_FLOAT_EQ(w.res.trust[s], share > 0 ? 0.62f : 0.5f);
      EXPECT_FLOAT_EQ(w.res.trust_base[s], share > 0 ? 0.62f : 0.5f);
      for (const auto& in : w.res.inst) EXPECT_FLOAT_EQ(in.level[s], share > 0 ? 0.56f : 0.5f);
    }
    // Adults already past 20 keep their attitude and trust (their education was drawn with them).
    for (Slot s : others) {
      EXPECT_EQ(w.res.attitude[s], 0.5f);
      EXPECT_EQ(w.res.trust_base[s], 0.5f);
    }
  }
}

TEST(Demography, ResidentsComeAndGoOnlyThroughDemography) {
  WorldFixture f(2, 2, 400, 82);
  World& w = f.w();
  w.p.tender_interval = 0.25;  // institutions do their most: tenders, turnover, vacancies
  w.p.wijkbudget_amount = 50000;
  w.p.future_agenda = true;
  const auto homes = homes_per_buurt(w);
  std::set<AgentId> ids = resident_ids(w);
  using Process = void (*)(World&, const TickContext&);
  const std::pair<const char*, Process> processes[] = {
      {"institutions", institutions}, {"professional_work", professional_work}, {"meeting", meeting},
      {"care", care}, {"casework", casework}, {"initiatives", initiatives}, {"engagement", engagement},
      {"energy", energy}, {"trust", trust}};
  for (Tick t = 1; t <= 20; ++t) {
    for (const auto& [name, run] : processes) {
      run(w, f.tick(t));
      ASSERT_EQ(resident_ids(w), ids) << name << " at tick " << t;
    }
    expect_place_lists_consistent(w);
    demography(w, f.tick(t));
    expect_place_lists_consistent(w);
    expect_homes_consistent(w);
    ASSERT_EQ(homes_per_buurt(w), homes);
    ASSERT_TRUE(w.res.ties.symmetric());
    ids = resident_ids(w);
  }
}

TEST(Demography, SameResultForAnyThreadCount) {
  WorldFixture a(2, 3, 900, 90, {}, {}, 0), b(2, 3, 900, 90, {}, {}, 3);
  for (Tick t = 1; t <= 104; ++t) {
    demography(a.w(), a.tick(t));
    demography(b.w(), b.tick(t));
  }
  const World &x = a.w(), &y = b.w();
  ASSERT_EQ(x.res.pop.slots(), y.res.pop.slots());
  for (Slot s = 0; s < x.res.pop.slots(); ++s) {
    ASSERT_EQ(x.res.pop.alive(s), y.res.pop.alive(s));
    if (!x.res.pop.alive(s)) continue;
    ASSERT_EQ(x.res.pop.id(s), y.res.pop.id(s));
    ASSERT_EQ(x.res.age[s], y.res.age[s]);
    ASSERT_EQ(x.res.household[s], y.res.household[s]);
    ASSERT_EQ(x.res.home[s], y.res.home[s]);
    ASSERT_TRUE(std::equal(x.res.ties.neighbours(s).begin(), x.res.ties.neighbours(s).end(),
                           y.res.ties.neighbours(s).begin(), y.res.ties.neighbours(s).end()));
  }
  for (std::uint32_t bu = 0; bu < x.buurten.size(); ++bu) ASSERT_EQ(x.buurten[bu].residents, y.buurten[bu].residents);
}

// Composition of a World: shares of residents living alone and aged 65+, kin ties outside the
// household per resident, and residents per buurt.
struct Composition {
  double alone = 0, old = 0, kin = 0;
  std::vector<double> buurt_pop;
};

Composition composition(const World& w) {
  Composition c;
  c.buurt_pop.assign(w.buurten.size(), 0);
  double n = 0;
  for (Slot s = 0; s < w.res.pop.slots(); ++s) {
    if (!w.res.pop.alive(s)) continue;
    ++n;
    ++c.buurt_pop[w.res.buurt[s]];
    c.alone += w.res.alone[s];
    c.old += w.res.age[s] >= 65;
    const auto nb = w.res.ties.neighbours(s);
    const auto kd = w.res.ties.kinds(s);
    for (std::size_t k = 0; k < nb.size(); ++k) c.kin += kd[k] == kKin && w.res.household[nb[k]] != w.res.household[s];
  }
  c.alone /= n;
  c.old /= n;
  c.kin /= n;
  return c;
}

// The baseline wijk (five buurten, about 5,000 residents) under demography alone for 30 years:
// the phase that adds and removes residents; the other phases only change ties (kin ties do not
// fade), so the full model stays in the same bands (docs/model.md gives its figures).
// `change` may switch a mechanism off. Returns the composition at the start and at years 10, 20
// and 30.
std::vector<Composition> baseline_30_years(const std::function<void(Params&)>& change = {}) {
  const ModelRegistry models = builtin_models();
  const Scenario sc = load_scenario("builtin:baseline.yaml", models, {});
  const Executor exec(0);
  World w(sc, sc.seed);
  initialise(w, exec);
  if (change) change(w.p);
  std::vector<Composition> out{composition(w)};
  const double dt = sc.tick.years();
  const Tick years10 = static_cast<Tick>(std::lround(10 / dt));
  for (Tick t = 1; t <= 3 * years10; ++t) {
    demography(w, TickContext{t, sc.start, dt, sc.seed, &exec});
    if (t % years10 == 0) out.push_back(composition(w));
  }
  return out;
}

// Bands around the start: living alone +-0.05, aged 65+ +-0.05, kin ties outside the household
// within 25% of the start, each buurt's population within 10% of its start.
bool within_bands(const std::vector<Composition>& run, std::string* why) {
  const Composition& s = run[0];
  for (std::size_t k = 1; k < run.size(); ++k) {
    const Composition& c = run[k];
    const std::string at = " at year " + std::to_string(10 * k) + ": ";
    if (std::fabs(c.alone - s.alone) > 0.05) *why += "living alone" + at + std::to_string(c.alone) + "\n";
    if (std::fabs(c.old - s.old) > 0.05) *why += "65+" + at + std::to_string(c.old) + "\n";
    if (std::fabs(c.kin / s.kin - 1) > 0.25) *why += "kin ties" + at + std::to_string(c.kin) + "\n";
    for (std::size_t b = 0; b < c.buurt_pop.size(); ++b)
      if (std::fabs(c.buurt_pop[b] / s.buurt_pop[b] - 1) > 0.10)
        *why += "population of buurt " + std::to_string(b) + at + std::to_string(c.buurt_pop[b]) + "\n";
  }
  return why->empty();
}

TEST(Demography, BaselineCompositionStaysNearItsStartOverThirtyYears) {
  const auto run = baseline_30_years();
  std::string why;
  EXPECT_TRUE(within_bands(run, &why)) << why;
}

// Each mechanism is needed: without it the composition drifts out of the bands.
TEST(Demography, WithoutCouplesOrYoungNewcomersOrKinTheCompositionDrifts) {
  std::string why;
  EXPECT_FALSE(within_bands(baseline_30_years([](Params& p) { p.couple_rate = 0; }), &why));
  why.clear();
  // Newcomers as old as the residents: the 65+ share grows out of its band, or (with little
  // turnover) at least well above the run where movers are younger.
  {
    const auto older = baseline_30_years([](Params& p) { p.newcomer_old_factor = 1; });
    const auto normal = baseline_30_years();
    const bool out = !within_bands(older, &why);
    EXPECT_TRUE(out || (older[2].old - normal[2].old > 0.025 && older[3].old - normal[3].old > 0.025))
        << "65+ at years 20 and 30: " << older[2].old << ", " << older[3].old << " against " << normal[2].old
        << ", " << normal[3].old;
  }
  why.clear();
  EXPECT_FALSE(within_bands(baseline_30_years([](Params& p) { p.newcomer_kin_share = 0; }), &why));
  why.clear();
  EXPECT_FALSE(within_bands(baseline_30_years([](Params& p) { p.birth_rate = 0; }), &why));
}


// --- Allocation of social-rent vacancies (docs/model.md 7.6) --------------------------------

// Empties home h (everyone in it moves out) and lets it again in tick t; returns who moved in.
std::vector<Slot> relet(WorldFixture& f, std::uint32_t h, Tick t) {
  std::vector<std::pair<Slot, LifeEvent::Kind>> events;
  for (Slot s : living_in(f.w(), h)) events.push_back({s, LifeEvent::Kind::moves});
  apply(f, t, events);
  return living_in(f.w(), h);
}

std::uint32_t home_with_tenure(const World& w, std::uint8_t tenure) {
  for (std::uint32_t h = 0; h < w.homes.size(); ++h)
    if (w.homes[h].tenure == tenure && w.homes[h].size > 0) return h;
  ADD_FAILURE() << "no home of tenure " << int(tenure);
  return 0;
}

TEST(Allocation, ASocialRentVacancyGoesToTheUrgentStreamItDraws) {
  WorldFixture f(1, 2, 600, 301);
  World& w = f.w();
  w.p.leave_home_stay_share = 0;
  w.p.urgent_share = 1;
  w.p.care_outflow_part = 1;
  w.p.status_holder_part = 0;
  const std::uint32_t h = home_with_tenure(w, kSocialRent);
  for (Tick t = 1; t <= 5; ++t) {
    const auto in = relet(f, h, t);
    ASSERT_EQ(in.size(), 1u) << "people leaving care or a shelter move in alone";
    const Slot s = in[0];
    EXPECT_EQ(w.res.arrival[s], kCareOutflow);
    EXPECT_TRUE(w.res.condition[s]);
    EXPECT_GE(w.res.need[s], w.p.care_outflow_min_need);
    EXPECT_TRUE(w.res.low_income[s]);
    EXPECT_GE(w.res.age[s], 20.0f);
    EXPECT_LT(w.res.age[s], 65.0f);
    EXPECT_EQ(w.res.ties.degree(s), 0u) << "no kin in the wijk";
  }
  // Status holders: origin group 2, low income, limited Dutch.
  w.p.care_outflow_part = 0;
  w.p.status_holder_part = 1;
  for (Tick t = 6; t <= 10; ++t)
    for (Slot s : relet(f, h, t)) {
      EXPECT_EQ(w.res.arrival[s], kStatusHolder);
      EXPECT_EQ(w.res.group[s], 2);
      EXPECT_TRUE(w.res.low_income[s]);
      EXPECT_EQ(w.res.language[s], w.res.age[s] >= 12 ? 1 : 0);
      EXPECT_FALSE(w.res.condition[s]);
    }
  // No urgent share: regular applicants.
  w.p.urgent_share = 0;
  for (Slot s : relet(f, h, 11)) EXPECT_EQ(w.res.arrival[s], kRegular);
  expect_homes_consistent(w);
}

TEST(Allocation, OwnerAndPrivateHomesAreLetThroughTheMarketWhateverTheUrgentShare) {
  WorldFixture f(1, 2, 600, 302);
  World& w = f.w();
  w.p.leave_home_stay_share = 0;
  w.p.urgent_share = 1;
  for (std::uint8_t tenure : {kOwner, kPrivateRent}) {
    const std::uint32_t h = home_with_tenure(w, tenure);
    for (Tick t = 1; t <= 3; ++t)
      for (Slot s : relet(f, h, t + 10 * tenure)) EXPECT_EQ(w.res.arrival[s], kMarket);
  }
}

TEST(Allocation, TheUrgentShareOfLettingsFollowsTheParameter) {
  for (double share : {0.2, 0.4}) {
    SCOPED_TRACE(share);
    WorldFixture f(1, 2, 2000, 303);
    World& w = f.w();
    w.p.leave_home_stay_share = 0;
    w.p.urgent_share = share;
    std::vector<std::uint32_t> social;
    for (std::uint32_t h = 0; h < w.homes.size(); ++h)
      if (w.homes[h].tenure == kSocialRent) social.push_back(h);
    ASSERT_GT(social.size(), 150u);
    double urgent = 0, n = 0;
    for (Tick t = 1; t <= 4; ++t) {
      std::vector<std::pair<Slot, LifeEvent::Kind>> events;
      for (std::uint32_t h : social)
        for (Slot s : living_in(w, h)) events.push_back({s, LifeEvent::Kind::moves});
      apply(f, t, events);
      for (std::uint32_t h : social) {
        const Slot s = living_in(w, h).front();
        urgent += w.res.arrival[s] == kCareOutflow || w.res.arrival[s] == kStatusHolder || w.res.arrival[s] == kOtherUrgent;
        ++n;
      }
    }
    // Binomial: n is about 1,000, so the standard error is under 0.016.
    EXPECT_NEAR(urgent / n, share, 0.05);
  }
}

// A young adult of the wijk looking for a home does not take one reserved for an urgent
// applicant.
TEST(Allocation, AYoungLocalDoesNotTakeAHomeReservedForAnUrgentApplicant) {
  WorldFixture f(1, 2, 600, 304);
  World& w = f.w();
  w.p.urgent_share = 1;
  const std::uint32_t h = home_with_tenure(w, kSocialRent);
  // A young adult living with a parent, leaving home for the wijk.
  Slot young = kNoSlot;
  for (Slot s : f.residents())
    if (w.res.age[s] >= 18 && w.res.age[s] < 30 && w.res.home[s] != h)
      for (Slot o : w.household_members(s))
        if (w.res.age[o] >= w.res.age[s] + 15) young = s;
  ASSERT_NE(young, kNoSlot);
  std::vector<std::pair<Slot, LifeEvent::Kind>> events;
  for (Slot s : living_in(w, h)) events.push_back({s, LifeEvent::Kind::moves});
  events.push_back({young, LifeEvent::Kind::leaves_for_wijk});
  const AgentId id = w.res.pop.id(young);
  apply(f, 1, events);
  for (Slot s : living_in(w, h)) EXPECT_NE(w.res.pop.id(s), id);
  EXPECT_FALSE(resident_ids(w).count(id)) << "no other home fell vacant: the young adult moves away";
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
