// Demography and the population bookkeeping: buurt populations stay constant, newcomer households
// have the size of those who left, residents appear and disappear only through demography, and
// the per-buurt resident lists always match the buurt column.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

std::vector<std::size_t> buurt_sizes(const World& w) {
  std::vector<std::size_t> n(w.buurten.size(), 0);
  for (Slot s = 0; s < w.res.pop.slots(); ++s)
    if (w.res.pop.alive(s)) ++n[w.res.buurt[s]];
  return n;
}

std::set<AgentId> resident_ids(const World& w) {
  std::set<AgentId> ids;
  for (Slot s = 0; s < w.res.pop.slots(); ++s)
    if (w.res.pop.alive(s)) ids.insert(w.res.pop.id(s));
  return ids;
}

// Every living resident is in exactly one buurt list, the one its buurt column names, and in its
// wijk's list; the lists hold nobody else and are in slot order.
void expect_place_lists_consistent(const World& w) {
  std::vector<int> seen(w.res.pop.slots(), 0);
  for (std::uint32_t b = 0; b < w.buurten.size(); ++b) {
    const auto& list = w.buurten[b].residents;
    EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
    for (Slot s : list) {
      ASSERT_LT(s, w.res.pop.slots());
      ASSERT_TRUE(w.res.pop.alive(s));
      EXPECT_EQ(w.res.buurt[s], b);
      ++seen[s];
    }
  }
  std::size_t in_wijken = 0;
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj)
    for (Slot s : w.wijk_residents[wj]) {
      EXPECT_EQ(w.wijk_of(s), wj);
      ++in_wijken;
    }
  for (Slot s = 0; s < w.res.pop.slots(); ++s) ASSERT_EQ(seen[s], w.res.pop.alive(s) ? 1 : 0) << "slot " << s;
  EXPECT_EQ(in_wijken, w.res.pop.size());
}

TEST(Demography, BuurtPopulationsStayConstantOverFiveYears) {
  WorldFixture f(2, 2, 500, 81);
  World& w = f.w();
  const auto start = buurt_sizes(w);
  const auto start_ids = resident_ids(w);
  const std::uint64_t first_household = w.city.next_household;
  std::size_t moved_or_died = 0, checked_households = 0;
  for (Tick t = 1; t <= 261; ++t) {
    // Who is here before the tick, by household.
    std::map<std::uint64_t, std::pair<std::uint32_t, int>> before;  // household -> (buurt, size)
    for (Slot s : f.residents()) {
      auto& h = before[w.res.household[s]];
      h = {w.res.buurt[s], h.second + 1};
    }
    const auto ids = resident_ids(w);
    const std::uint64_t next_household = w.city.next_household;
    demography(w, f.tick(t));
    // Everyone is replaced: a buurt keeps exactly its number of residents.
    ASSERT_EQ(buurt_sizes(w), start) << "tick " << t;
    // Departures grouped by household (a household that moves leaves together).
    const auto now_ids = resident_ids(w);
    std::size_t departures = 0;
    for (AgentId id : ids) departures += !now_ids.count(id);
    moved_or_died += departures;
    std::map<std::uint64_t, int> remaining;
    for (Slot s : f.residents()) ++remaining[w.res.household[s]];
    std::multiset<std::pair<std::uint32_t, int>> left_whole;  // (buurt, size) of households now gone
    for (const auto& [hh, bs] : before)
      if (!remaining.count(hh)) left_whole.insert(bs);
    // Newcomer households of two or more take over the home of a household of that size.
    for (const auto& [hh, n] : remaining) {
      if (hh < next_household || n < 2) continue;
      std::uint32_t b = 0;
      for (Slot s : f.residents())
        if (w.res.household[s] == hh) b = w.res.buurt[s];
      const auto it = left_whole.find({b, n});
      ASSERT_NE(it, left_whole.end()) << "newcomer household of " << n << " without a home of that size";
      left_whole.erase(it);
      ++checked_households;
    }
  }
  EXPECT_GT(moved_or_died, 500u) << "five years of moves and deaths";
  EXPECT_GT(checked_households, 100u);
  EXPECT_GT(w.city.next_household, first_household);
  std::size_t stayers = 0;
  for (AgentId id : resident_ids(w)) stayers += start_ids.count(id);
  EXPECT_LT(stayers, start_ids.size());
  expect_place_lists_consistent(w);
}

TEST(Demography, ResidentsComeAndGoOnlyThroughDemography) {
  WorldFixture f(2, 2, 400, 82);
  World& w = f.w();
  w.p.tender_interval = 0.25;  // institutions do their most: tenders, turnover, vacancies
  w.p.wijkbudget_amount = 50000;
  w.p.future_agenda = true;
  const auto sizes = buurt_sizes(w);
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
    ASSERT_EQ(buurt_sizes(w), sizes);
    ASSERT_TRUE(w.res.ties.symmetric());
    ids = resident_ids(w);
  }
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
