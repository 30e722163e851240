// Meeting and ties: homophily and mixed settings in tie formation, decay without contact,
// symmetry, and weak ties turning into friendships.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

using Pair = std::pair<Slot, Slot>;
Pair ordered(Slot a, Slot b) { return a < b ? Pair{a, b} : Pair{b, a}; }

// Three origin groups of 50/25/25%, so that most random pairs are cross-group.
void mixed_groups(Scenario& sc) {
  for (auto& pl : sc.places) {
    pl.attributes.set("group1_share", 0.25);
    pl.attributes.set("group2_share", 0.25);
  }
}

// Tie formation after one meeting tick that started without any ties: of the distinct pairs that
// had a good encounter, the share that now has a tie, split by cross/within group and by setting.
struct Formation {
  double pairs[2][2] = {};   // [cross][mixed]
  double formed[2][2] = {};
  double rate(bool cross, bool mixed) const { return formed[cross][mixed] / pairs[cross][mixed]; }
};

Formation formation_after_meeting(WorldFixture& f) {
  World& w = f.w();
  f.clear_all_ties();
  f.clear_memberships();
  meeting(w, f.tick(1));
  // A pair met in both settings is counted in the setting of its first good encounter.
  std::set<Pair> seen;
  Formation out;
  w.encounters.for_each([&](const Encounter& e) {
    if (!e.good || !seen.insert(ordered(e.a, e.b)).second) return;
    const bool cross = w.res.group[e.a] != w.res.group[e.b];
    out.pairs[cross][e.mixed] += 1;
    out.formed[cross][e.mixed] += w.res.ties.has_tie(e.a, e.b);
  });
  return out;
}

TEST(Meeting, HomophilyLowersCrossGroupTieFormation) {
  // The same population and the same random draws; only ties.homophily differs. Street
  // encounters only (no public places, initiatives or brokering), so homophily applies to all.
  auto run = [](double homophily) {
    WorldFixture f(1, 1, 2000, 11, mixed_groups);
    f.w().p.homophily = homophily;
    f.w().p.meeting_rate = 200;
    f.w().p.place_meeting_boost = 0;
    f.w().p.tie_formation_prob = 0.15;
    return formation_after_meeting(f);
  };
  const Formation strong = run(0.1), none = run(1.0);
  ASSERT_GT(strong.pairs[1][0], 2000);
  EXPECT_EQ(strong.pairs[1][1] + strong.pairs[0][1], 0) << "no mixed settings in this test";
  // Within groups nothing changes.
  EXPECT_NEAR(strong.rate(false, false), none.rate(false, false), 1e-9);
  // Without homophily cross-group pairs form ties as often as same-group pairs (about
  // ties.formation_prob); with homophily 0.1 about a tenth as often.
  EXPECT_NEAR(none.rate(true, false), none.rate(false, false), 0.25 * none.rate(false, false));
  EXPECT_NEAR(none.rate(true, false), 0.15, 0.03);
  EXPECT_LT(strong.rate(true, false), 0.25 * none.rate(true, false));
  EXPECT_GT(strong.rate(true, false), 0.0);
}

TEST(Meeting, MixedSettingsRaiseCrossGroupTieFormation) {
  // Street and public-place encounters at equal rates; strong homophily in the street. Places
  // are mixed settings where ties.bridging_factor replaces ties.homophily.
  auto run = [](double bridging) {
    WorldFixture f(1, 1, 2000, 12, mixed_groups);
    World& w = f.w();
    w.p.homophily = 0.1;
    w.p.bridging_factor = bridging;
    w.p.meeting_rate = 100;
    // One place per 1000 residents: place encounters at meeting.rate * place_boost.
    EXPECT_DOUBLE_EQ(w.buurten[0].places_open, 2.0);
    w.p.place_meeting_boost = 1.0;
    return formation_after_meeting(f);
  };
  const Formation bridged = run(0.8), unbridged = run(0.1);
  ASSERT_GT(bridged.pairs[1][1], 1000);
  ASSERT_GT(bridged.pairs[1][0], 1000);
  EXPECT_GT(bridged.rate(true, true), 4.0 * bridged.rate(true, false));
  EXPECT_NEAR(bridged.rate(true, true), 0.8 * bridged.rate(false, true), 0.3 * bridged.rate(false, true));
  // With bridging_factor equal to homophily a mixed setting is no better than the street.
  EXPECT_LT(unbridged.rate(true, true), 2.0 * unbridged.rate(true, false));
  EXPECT_GT(unbridged.rate(true, true), 0.5 * unbridged.rate(true, false));
}

TEST(Meeting, TiesWithoutContactDecayAndStaySymmetric) {
  WorldFixture f(1, 2, 600, 13);
  World& w = f.w();
  const auto& ties = w.res.ties;
  ASSERT_TRUE(ties.symmetric());
  const float factor[3] = {static_cast<float>(std::exp(-w.p.weak_tie_decay * kWeek)),
                           static_cast<float>(std::exp(-w.p.strong_tie_decay * kWeek)), 1.0f};
  ASSERT_LT(factor[kWeak], factor[kFriend]);
  std::size_t checked[3] = {0, 0, 0}, pruned = 0, evicted = 0;
  for (Tick t = 1; t <= 30; ++t) {
    std::map<Pair, std::pair<float, TieKind>> before;
    std::vector<std::uint16_t> degree(ties.slots());
    for (Slot a = 0; a < ties.slots(); ++a) degree[a] = ties.degree(a);
    for (Slot a = 0; a < ties.slots(); ++a)
      for (std::size_t k = 0; k < ties.degree(a); ++k)
        if (a < ties.neighbours(a)[k]) before[{a, ties.neighbours(a)[k]}] = {ties.weights(a)[k], ties.kinds(a)[k]};
    meeting(w, f.tick(t));
    ASSERT_TRUE(ties.symmetric()) << "tick " << t;
    std::set<Pair> met;
    w.encounters.for_each([&](const Encounter& e) { met.insert(ordered(e.a, e.b)); });
    for (const auto& [pair, old] : before) {
      if (met.count(pair)) continue;
      const auto [weight, kind] = old;
      const float expected = weight * factor[kind];
      if (expected < static_cast<float>(w.p.tie_prune)) {
        EXPECT_FALSE(ties.has_tie(pair.first, pair.second));
        ++pruned;
        continue;
      }
      if (!ties.has_tie(pair.first, pair.second)) {
        // A full row makes room for a new tie by dropping its weakest one.
        const auto cap = ties.capacity();
        EXPECT_TRUE(degree[pair.first] == cap || degree[pair.second] == cap ||
                    ties.degree(pair.first) == cap || ties.degree(pair.second) == cap);
        ++evicted;
        continue;
      }
      EXPECT_FLOAT_EQ(ties.weight(pair.first, pair.second), expected);
      ++checked[kind];
    }
  }
  EXPECT_GT(checked[kWeak], 1000u);
  EXPECT_GT(checked[kFriend], 1000u);
  EXPECT_GT(checked[kKin], 1000u);
  EXPECT_GT(pruned, 10u);
  EXPECT_LT(evicted, pruned);
}

TEST(Meeting, WeakTiePassingStrongThresholdBecomesFriend) {
  WorldFixture f(1, 1, 300, 14);
  World& w = f.w();
  auto& r = w.res;
  // Three residents who only meet each other, always pleasantly; no decay, so that the weights
  // change only by encounters.
  const auto adults = f.adults();
  const Slot a = adults[0], b = adults[1], c = adults[2];
  f.clear_memberships();
  f.isolate({a, b, c});
  for (Slot s : {a, b, c}) r.trust[s] = 1.0f;
  w.p.meeting_rate = 0;
  w.p.place_meeting_boost = 0;
  w.p.weak_tie_decay = w.p.strong_tie_decay = 0;
  w.p.strong_threshold = 0.6;
  w.p.tie_gain = 0.15;
  w.p.good_encounter_prob = 1.0;  // every encounter good, whatever the default
  r.ties.strengthen(a, b, 0.5f, kWeak);  // one good encounter makes it a friendship
  r.ties.strengthen(a, c, 0.2f, kWeak);  // three do
  int ab = 0, ac = 0;  // encounters so far
  for (Tick t = 1; t <= 200 && (ab < 2 || ac < 4); ++t) {
    meeting(w, f.tick(t));
    w.encounters.for_each([&](const Encounter& e) {
      const Pair p = ordered(e.a, e.b);
      if (p == ordered(a, b) || p == ordered(a, c)) {
        ASSERT_TRUE(e.good);
      }
      ab += p == ordered(a, b);
      ac += p == ordered(a, c);
    });
    for (auto [o, n] : {std::pair{b, ab}, std::pair{c, ac}}) {
      const float weight = r.ties.weight(a, o);
      ASSERT_NEAR(weight, std::min(1.0f, (o == b ? 0.5f : 0.2f) + 0.15f * n), 1e-5);
      const TieKind kind = r.ties.kinds(a)[o == r.ties.neighbours(a)[0] ? 0 : 1];
      EXPECT_EQ(kind, weight >= 0.6f - 1e-6f ? kFriend : kWeak) << "weight " << weight << " tick " << t;
    }
  }
  EXPECT_GE(ab, 2);
  EXPECT_GE(ac, 4);
  EXPECT_TRUE(r.ties.symmetric());
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
