// The Schelling reference model: neighbour counts on a grid built by hand, moves only into empty
// cells, conservation of agents and groups, and runs through the engine.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "buurtlab/simulation.hpp"
#include "scenario_builder.hpp"
#include "schelling/model.hpp"
#include "schelling/world.hpp"

namespace buurtlab::schelling::testing {
namespace {

using buurtlab::testing::build_scenario;

// A 4x4 grid (A = group 0, B = group 1, . = empty), rows from y = 0 down:
//   A A B .
//   A B . .
//   . . B B
//   A . . B
std::vector<Placement> hand_grid() {
  return {{0, 0, 0}, {1, 0, 0}, {2, 0, 1}, {0, 1, 0}, {1, 1, 1},
          {2, 2, 1}, {3, 2, 1}, {0, 3, 0}, {3, 3, 1}};
}

TEST(Schelling, SameGroupNeighboursOnAHandBuiltGrid) {
  Params p;
  p.size = 4;
  p.radius = 1;
  p.threshold = 2;
  const auto grid = hand_grid();
  World w(p, grid);
  ASSERT_TRUE(w.consistent());
  // Counted by hand from the picture above; the grid does not wrap, so (0,3) sees no A at (0,0)
  // and (0,0) sees no B at (3,3).
  const int expected[] = {2, 2, 1, 2, 2, 3, 2, 0, 2};
  for (Slot s = 0; s < grid.size(); ++s) {
    SCOPED_TRACE(::testing::Message() << "agent at (" << grid[s].x << "," << grid[s].y << ")");
    EXPECT_EQ(w.same_group_neighbours(s), expected[s]);
    EXPECT_EQ(w.happy(s), expected[s] >= 2);
  }
  EXPECT_EQ(w.count_unhappy(Executor::serial()), 2u);  // (2,0) and (0,3)
  // Radius 2 around (0,3): cells x 0..2, y 1..3 hold A at (0,1) only.
  w.set_rule(2, 2);
  EXPECT_EQ(w.same_group_neighbours(7), 1);
}

TEST(Schelling, TheOnlyUnhappyAgentMovesToTheOnlyEmptyCell) {
  // 3x3: eight A and one B in the corner (0,0); (2,2) is empty. With threshold 1 every A has an A
  // neighbour and B has none, so B, and only B, moves, into (2,2), whatever the order.
  Params p;
  p.size = 3;
  p.radius = 1;
  p.threshold = 1;
  std::vector<Placement> grid = {{0, 0, 1}};
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 3; ++x)
      if ((x || y) && !(x == 2 && y == 2)) grid.push_back({x, y, 0});
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    World w(p, grid);
    ASSERT_FALSE(w.happy(0));
    EXPECT_EQ(w.step(seed, 1), 1u);
    EXPECT_EQ(w.cell[0], w.cell_of(2, 2));
    ASSERT_EQ(w.empty_cells().size(), 1u);
    EXPECT_EQ(w.empty_cells()[0], w.cell_of(0, 0));
    for (Slot s = 1; s < grid.size(); ++s) EXPECT_EQ(w.cell[s], w.cell_of(grid[s].x, grid[s].y));
    EXPECT_TRUE(w.consistent());
  }
}

TEST(Schelling, HappyAgentsStayPut) {
  Params p;
  p.size = 10;
  p.agents = 60;
  p.threshold = 0;  // everyone is happy
  World w(p, 4);
  std::vector<std::uint32_t> before(w.cell.values());
  EXPECT_EQ(w.step(4, 1), 0u);
  EXPECT_EQ(w.cell.values(), before);
}

TEST(Schelling, UnhappyAgentsMoveOnlyIntoEmptyCellsAndNothingIsLost) {
  // Threshold 9 with radius 1 cannot be met: every agent moves at its turn, into a cell that is
  // empty at that moment (so never its own), and agents, groups and empty cells are conserved.
  Params p;
  p.size = 12;
  p.agents = 100;
  p.threshold = 9;
  World w(p, 11);
  ASSERT_TRUE(w.consistent());
  std::size_t group1 = 0;
  for (Slot s = 0; s < w.pop.slots(); ++s) group1 += w.group[s];
  EXPECT_EQ(group1, 50u);  // two equal groups
  for (Tick t = 1; t <= 5; ++t) {
    std::vector<std::uint32_t> before(w.cell.values());
    EXPECT_EQ(w.step(11, t), 100u);
    ASSERT_TRUE(w.consistent());
    std::set<std::uint32_t> cells(w.cell.values().begin(), w.cell.values().end());
    EXPECT_EQ(cells.size(), 100u);
    for (Slot s = 0; s < w.pop.slots(); ++s) EXPECT_NE(w.cell[s], before[s]);
    std::size_t g1 = 0;
    for (Slot s = 0; s < w.pop.slots(); ++s) g1 += w.group[s];
    EXPECT_EQ(g1, 50u);
    EXPECT_EQ(w.pop.size(), 100u);
    EXPECT_EQ(w.empty_cells().size(), 144u - 100u);
  }
}

TEST(Schelling, RandomPlacementIsKeyedBySeed) {
  Params p;  // the small benchmark: 40 x 40, 1000 agents
  World a(p, 7), b(p, 7), c(p, 8);
  EXPECT_TRUE(a.consistent());
  EXPECT_EQ(a.cell.values(), b.cell.values());
  EXPECT_NE(a.cell.values(), c.cell.values());
  for (Tick t = 1; t <= 3; ++t) EXPECT_EQ(a.step(7, t), b.step(7, t));
  EXPECT_EQ(a.cell.values(), b.cell.values());
}

TEST(Schelling, InvalidSizesAreRejected) {
  Params p;
  p.size = 3;
  p.agents = 9;  // no empty cell
  EXPECT_THROW(World(p, 1), std::invalid_argument);
  p.size = 2;
  const std::vector<Placement> twice = {{0, 0, 0}, {0, 0, 1}};
  EXPECT_THROW(World(p, twice), std::invalid_argument);
}

Scenario schelling_scenario(const Model& model, int size, int agents, int radius, int threshold) {
  Scenario sc = build_scenario(model, 1, 1, 0, Period{20, TimeUnit::day}, Period{1, TimeUnit::day},
                               3);
  sc.parameters.set("grid.size", size);
  sc.parameters.set("agents", agents);
  sc.parameters.set("neighbourhood.radius", radius);
  sc.parameters.set("happy.threshold", threshold);
  return sc;
}

TEST(SchellingModel, RunsTwentyStepsAndSegregates) {
  const auto model = make_model();
  const Scenario sc = schelling_scenario(*model, 40, 1000, 1, 3);
  ASSERT_EQ(sc.ticks(), 20u);
  std::vector<RunResult> runs;
  for (int threads : {0, 1, 2}) {
    RunOptions o;
    o.threads = threads;
    runs.push_back(run_simulation(*model, sc, o, nullptr));
    ASSERT_EQ(runs.back().status, RunStatus::complete);
  }
  const std::size_t unhappy = *model->indicator_index("unhappy");
  const double first = runs[0].first[0].at(unhappy, 0), last = runs[0].last[0].at(unhappy, 0);
  EXPECT_GT(first, 100);       // a random placement leaves many unhappy
  EXPECT_LT(last, first / 4);  // twenty steps of moving sort most of them out
  EXPECT_TRUE(std::isnan(runs[0].last[0].at(unhappy, 1)));  // defined for the city only
  for (std::size_t k = 1; k < runs.size(); ++k)
    EXPECT_EQ(std::memcmp(runs[k].last[0].values().data(), runs[0].last[0].values().data(),
                          runs[0].last[0].values().size() * sizeof(double)),
              0);
}

TEST(SchellingModel, TooManyAgentsForTheGridIsAnInputError) {
  const auto model = make_model();
  const Scenario sc = schelling_scenario(*model, 10, 100, 1, 3);
  try {
    run_simulation(*model, sc, RunOptions{}, nullptr);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("parameters.agents: got 100, expected fewer than"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace buurtlab::schelling::testing
