// The rumour reference model: the Klemm-Eguiluz network (edge count, structure, deactivation in
// proportion to 1/in-degree, heavy-tailed in-degree) and the spread (newly informed act from the
// next tick, monotone, equal to a plain serial loop and to itself for any thread count).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "buurtlab/rng.hpp"
#include "buurtlab/simulation.hpp"
#include "rumour/model.hpp"
#include "rumour/network.hpp"
#include "rumour/world.hpp"
#include "scenario_builder.hpp"

namespace buurtlab::rumour::testing {
namespace {

using buurtlab::testing::build_scenario;

// A population of n nodes (ids 0..n-1 in slots 0..n-1).
std::unique_ptr<Population> nodes_of(int n) {
  auto pop = std::make_unique<Population>("node");
  for (int i = 0; i < n; ++i) pop->add();
  return pop;
}

TEST(KlemmEguiluz, EdgeCountAndStructure) {
  constexpr int kN = 20'000, kM = 10;
  const auto pop = nodes_of(kN);
  const auto net = DirectedNetwork::klemm_eguiluz(*pop, kM, 3);
  // A clique of m nodes (m(m-1) edges), then m edges per further node: about N*m.
  EXPECT_EQ(net.edges(), std::size_t{kM} * (kM - 1) + std::size_t{kN - kM} * kM);
  std::size_t in_sum = 0;
  for (Slot v = 0; v < kN; ++v) {
    in_sum += net.in_degree(v);
    EXPECT_EQ(net.out_degree(v), v < kM ? kM - 1u : std::uint32_t{kM});
    std::set<Slot> succ(net.successors(v).begin(), net.successors(v).end());
    EXPECT_EQ(succ.size(), net.out_degree(v)) << "duplicate edge from " << v;
    EXPECT_EQ(succ.count(v), 0u) << "self-loop at " << v;
    if (v >= kM) {
      EXPECT_LT(*succ.rbegin(), v) << "a new node links only to older, active ones";
    }
  }
  EXPECT_EQ(in_sum, net.edges());
}

TEST(KlemmEguiluz, InDegreeIsHeavyTailed) {
  // Mean in-degree is m = 10. Klemm-Eguiluz with deactivation by 1/k gives P(k) ~ k^-2: most
  // nodes are deactivated at once (in-degree below m) while a few stay active long and collect
  // hundreds of links. A Poisson network with the same mean would have no node above ~30.
  constexpr int kN = 20'000, kM = 10;
  const auto pop = nodes_of(kN);
  const auto net = DirectedNetwork::klemm_eguiluz(*pop, kM, 5);
  std::uint32_t max_in = 0;
  std::size_t below_mean = 0, above_10x = 0;
  for (Slot v = 0; v < kN; ++v) {
    max_in = std::max(max_in, net.in_degree(v));
    below_mean += net.in_degree(v) < kM;
    above_10x += net.in_degree(v) >= 10 * kM;
  }
  EXPECT_GT(max_in, 1000u);
  EXPECT_GT(below_mean, kN / 2);
  EXPECT_GT(above_10x, 20u);
}

TEST(KlemmEguiluz, DeactivationIsInProportionToOneOverInDegree) {
  // m = 2, worked by hand. Nodes 0 and 1 link to each other (in-degree 1 each). Node 2 links to
  // both (in-degrees 2, 2) and one of them, say a, is deactivated: active {b, 2}. Node 3 links to
  // b (in-degree 3) and 2 (in-degree 1), so 2 is deactivated with chance (1/1) / (1/1 + 1/3) = 3/4.
  // Node 4 then links to node 2 with chance 1/4. (Deactivation in proportion to k would give 3/4;
  // uniform deactivation 1/2.)
  constexpr int kSeeds = 4000;
  int links_to_2 = 0;
  const auto pop = nodes_of(5);
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto net = DirectedNetwork::klemm_eguiluz(*pop, 2, seed);
    const auto succ = net.successors(4);
    ASSERT_EQ(succ.size(), 2u);
    EXPECT_NE(std::find(succ.begin(), succ.end(), 3u), succ.end());
    links_to_2 += std::find(succ.begin(), succ.end(), 2u) != succ.end();
  }
  const double share = double(links_to_2) / kSeeds;  // sd about 0.007
  EXPECT_NEAR(share, 0.25, 0.03);
}

// The spread as a plain serial loop over all nodes in slot order, from the same keyed draws: an
// informed node draws one uniform per successor uninformed at the start of the tick.
std::vector<std::uint64_t> serial_reference(const World& w, std::vector<std::uint8_t> informed,
                                            std::uint64_t seed, Tick ticks, double p) {
  std::vector<std::uint64_t> counts;
  for (Tick t = 1; t <= ticks; ++t) {
    const std::vector<std::uint8_t> before = informed;
    for (Slot s = 0; s < w.net.nodes(); ++s) {
      if (!before[s]) continue;
      Rng rng(seed, stream::rumour_spread, t, w.pop.id(s));
      for (const Slot v : w.net.successors(s))
        if (!before[v] && rng.uniform() < p) informed[v] = 1;
    }
    counts.push_back(std::count(informed.begin(), informed.end(), std::uint8_t{1}));
  }
  return counts;
}

TEST(RumourSpread, WithCertainSpreadEachTickReachesOneStepFurther) {
  // With probability 1 the informed set after t ticks is every node within t edges of the
  // initially informed: nodes informed in a tick do not pass the rumour on in the same tick.
  Params p;
  p.nodes = 300;
  p.m = 3;
  p.initially_informed = 2;
  p.spread_probability = 1.0;
  World w(p, 9);
  std::vector<int> dist(p.nodes, -1);
  std::vector<Slot> frontier;
  for (Slot s = 0; s < w.pop.slots(); ++s)
    if (w.informed[s]) {
      dist[s] = 0;
      frontier.push_back(s);
    }
  ASSERT_EQ(frontier.size(), 2u);
  for (int d = 1; !frontier.empty(); ++d) {
    std::vector<Slot> next;
    for (Slot s : frontier)
      for (Slot v : w.net.successors(s))
        if (dist[v] < 0) {
          dist[v] = d;
          next.push_back(v);
        }
    frontier = std::move(next);
  }
  const Executor serial = Executor::serial();
  for (Tick t = 1; t <= 8; ++t) {
    w.step(9, t, serial);
    for (Slot s = 0; s < w.pop.slots(); ++s)
      EXPECT_EQ(w.informed[s] != 0, dist[s] >= 0 && dist[s] <= int(t))
          << "node " << s << " tick " << t;
  }
}

TEST(RumourSpread, MonotoneAndEqualToASerialLoopForAnyThreadCount) {
  // Many informers (several blocks of kBlockSize) so that the parallel executors really split
  // the work.
  Params p;
  p.nodes = 20'000;
  p.initially_informed = 3000;
  p.spread_probability = 0.05;
  constexpr std::uint64_t kSeed = 21;
  constexpr Tick kTicks = 30;
  World ref_world(p, kSeed);
  const std::vector<std::uint8_t> initial(ref_world.informed.values());
  const auto expected = serial_reference(ref_world, initial, kSeed, kTicks, p.spread_probability);

  std::vector<std::vector<std::uint8_t>> finals;
  bool split = false;
  for (int threads : {0, 1, 2}) {
    World w(p, kSeed);
    ASSERT_EQ(w.informed.values(), initial);
    const Executor exec(threads);
    std::uint64_t last = w.informed_count();
    for (Tick t = 1; t <= kTicks; ++t) {
      split = split || w.open_informers() > kBlockSize;
      const std::uint32_t newly = w.step(kSeed, t, exec);
      EXPECT_EQ(w.informed_count(), last + newly);
      EXPECT_GE(w.informed_count(), last);
      last = w.informed_count();
      EXPECT_EQ(w.informed_count(), expected[t - 1]) << "threads " << threads << " tick " << t;
    }
    finals.push_back(w.informed.values());
  }
  EXPECT_TRUE(split);
  EXPECT_GT(expected.back(), expected.front());
  EXPECT_EQ(finals[1], finals[0]);
  EXPECT_EQ(finals[2], finals[0]);
}

TEST(RumourModel, BenchmarkSizeRunsThroughTheEngine) {
  // The benchmark itself: 200,000 nodes, m = 10, 10 informed, p = 0.01, 200 ticks; the same
  // informed counts with the serial executor and two threads.
  const auto model = make_model();
  Scenario sc = build_scenario(*model, 1, 1, 0, Period{200, TimeUnit::day},
                               Period{1, TimeUnit::day}, 2);
  ASSERT_EQ(sc.ticks(), 200u);
  const std::size_t informed = *model->indicator_index("informed");
  std::vector<double> last;
  for (int threads : {0, 2}) {
    RunOptions o;
    o.threads = threads;
    const RunResult r = run_simulation(*model, sc, o, nullptr);
    ASSERT_EQ(r.status, RunStatus::complete);
    EXPECT_EQ(r.first[0].at(informed, 0), 10.0);
    last.push_back(r.last[0].at(informed, 0));
  }
  EXPECT_GT(last[0], 10.0);
  EXPECT_EQ(last[1], last[0]);
}

TEST(RumourModel, MoreInformedThanNodesIsAnInputError) {
  const auto model = make_model();
  Scenario sc = build_scenario(*model, 1, 1, 0, Period{2, TimeUnit::day}, Period{1, TimeUnit::day});
  sc.parameters.set("network.nodes", 100);
  sc.parameters.set("network.m", 100);
  sc.parameters.set("rumour.initially_informed", 101);
  try {
    run_simulation(*model, sc, RunOptions{}, nullptr);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.diagnostics().size(), 2u) << e.what();
    EXPECT_NE(std::string(e.what()).find("parameters.network.m: got 100"), std::string::npos);
  }
}

}  // namespace
}  // namespace buurtlab::rumour::testing
