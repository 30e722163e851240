// Tests of the spin-up's settle check (spin_up.hpp): the window, the statistic on series and
// replicates whose answer is known, and the check as a run makes it, on the rumour reference model
// while the rumour still spreads and after it has reached everyone it can.
#include "buurtlab/spin_up.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "buurtlab/scenario_loader.hpp"
#include "buurtlab/simulation.hpp"
#include "registry.hpp"

namespace buurtlab {
namespace {

constexpr double kWeek = 7.0 / 365.25;

TEST(SettleWindow, IsAYearOfTicksOrHalfTheSpinUp) {
  EXPECT_EQ(settle_window(261, kWeek), 52u);          // 5 years of weeks
  EXPECT_EQ(settle_window(104, kWeek), 52u);          // exactly two years
  EXPECT_EQ(settle_window(103, kWeek), 51u);          // shorter: half of it
  EXPECT_EQ(settle_window(60, 1.0 / 12), 12u);        // monthly ticks
  EXPECT_EQ(settle_window(3000, 1 / 365.25), 365u);   // daily ticks
  EXPECT_EQ(settle_window(26, kWeek), 13u);
  EXPECT_EQ(settle_window(4, kWeek), 2u);
  EXPECT_EQ(settle_window(3, kWeek), 0u) << "a window of one tick has no spread: not checked";
  EXPECT_EQ(settle_window(0, kWeek), 0u);
}

// n values of a + slope * k plus a deterministic wiggle of amplitude `wiggle`.
std::vector<double> series(std::size_t n, double a, double slope, double wiggle = 0) {
  std::vector<double> v;
  for (std::size_t k = 0; k < n; ++k)
    v.push_back(a + slope * double(k) + wiggle * std::sin(1.7 * double(k)));
  return v;
}

TEST(CheckSettled, AConstantHasSettled) {
  const SpinUpCheck c = check_settled({"x"}, {series(20, 3.0, 0.0)}, 10);
  EXPECT_TRUE(c.done);
  EXPECT_TRUE(c.checked());
  ASSERT_EQ(c.indicators.size(), 1u);
  const IndicatorSettling& x = c.indicators[0];
  EXPECT_TRUE(x.checked);
  EXPECT_TRUE(x.settled);
  EXPECT_EQ(x.previous, 3.0);
  EXPECT_EQ(x.last, 3.0);
  EXPECT_EQ(x.change, 0.0);
  EXPECT_EQ(x.noise, 0.0);
  EXPECT_TRUE(c.settled());
}

TEST(CheckSettled, ATrendBeyondTheToleranceDrifts) {
  // 100, 101, ..., 119: the windows' means are 104.5 and 114.5, a change of 9.6%.
  const SpinUpCheck c = check_settled({"up", "flat"}, {series(20, 100, 1), series(20, 7, 0)}, 10);
  ASSERT_EQ(c.indicators.size(), 2u);
  const IndicatorSettling& up = c.indicators[0];
  EXPECT_EQ(up.name, "up");
  EXPECT_DOUBLE_EQ(up.previous, 104.5);
  EXPECT_DOUBLE_EQ(up.last, 114.5);
  EXPECT_DOUBLE_EQ(up.change, 10.0 / 104.5);
  EXPECT_FALSE(up.settled);
  EXPECT_TRUE(c.indicators[1].settled);
  EXPECT_FALSE(c.settled()) << "one drifting indicator is enough";

  // The same trend falling, and one within the tolerance (a change of 0.96%).
  EXPECT_FALSE(check_settled({"down"}, {series(20, 119, -1)}, 10).settled());
  EXPECT_TRUE(check_settled({"slow"}, {series(20, 1000, 1)}, 10).settled());
  // The tolerance is the rule's.
  SettleRule loose;
  loose.tolerance = 0.2;
  EXPECT_TRUE(check_settled({"up"}, {series(20, 100, 1)}, 10, loose).settled());
}

TEST(CheckSettled, FromZeroTheChangeIsRelativeToTheLaterMean) {
  std::vector<double> v(20, 0.0);
  for (std::size_t k = 10; k < 20; ++k) v[k] = 4.0;
  const SpinUpCheck c = check_settled({"x"}, {v}, 10);
  EXPECT_EQ(c.indicators[0].change, 1.0);
  EXPECT_FALSE(c.settled());
}

TEST(CheckSettled, TheNoiseIsTheScatterOfQuarterMeansAboutALine) {
  // A steady rise lies on its line: no noise, and the rise is drift.
  const IndicatorSettling rise = check_settled({"x"}, {series(16, 10, 1)}, 8).indicators[0];
  EXPECT_NEAR(rise.noise, 0.0, 1e-12);
  EXPECT_FALSE(rise.settled);
  // Ticks alternate but quarters agree (means 2, 2, 2, 2 then 3, 3, 3, 3): only the step itself
  // scatters about the line, far less than the step, so it is drift although single ticks vary
  // as much as it.
  const std::vector<double> step = {1, 3, 1, 3, 1, 3, 1, 3, 2, 4, 2, 4, 2, 4, 2, 4};
  const IndicatorSettling x = check_settled({"x"}, {step}, 8).indicators[0];
  EXPECT_EQ(x.previous, 2.0);
  EXPECT_EQ(x.last, 3.0);
  EXPECT_GT(x.noise, 0.0);
  EXPECT_LT(3 * x.noise, 1.0);
  EXPECT_FALSE(x.settled);
  // Quarters that swing (1, 5, 1, 5 then 2, 6, 2, 6): a step of 1 is within the swings.
  const std::vector<double> slow = {1, 1, 5, 5, 1, 1, 5, 5, 2, 2, 6, 6, 2, 2, 6, 6};
  const IndicatorSettling y = check_settled({"y"}, {slow}, 8).indicators[0];
  EXPECT_EQ(y.last - y.previous, 1.0);
  EXPECT_GT(3 * y.noise, 1.0);
  EXPECT_TRUE(y.settled);
}

TEST(CheckSettled, EarlierWindowsShowTheWobbleFromOneYearToTheNext) {
  // Windows flat within: a step from 10 to 11 between the last two is drift when they are all
  // there is, and noise when the three windows before swung between 9 and 12.
  auto windows = [](std::vector<double> means) {
    std::vector<double> v;
    for (double m : means) v.insert(v.end(), 8, m);
    return v;
  };
  const IndicatorSettling two = check_settled({"x"}, {windows({10, 11})}, 8).indicators[0];
  EXPECT_FALSE(two.settled);
  const IndicatorSettling five =
      check_settled({"x"}, {windows({12, 9, 12, 10, 11})}, 8).indicators[0];
  EXPECT_EQ(five.previous, 10.0);
  EXPECT_EQ(five.last, 11.0);
  EXPECT_GT(3 * five.noise, 1.0);
  EXPECT_TRUE(five.settled);
  // A steady climb through all five windows is no wobble: drift.
  EXPECT_FALSE(check_settled({"x"}, {windows({7, 8, 9, 10, 11})}, 8).settled());
  // Six windows are more than the check reads.
  EXPECT_FALSE(check_settled({"x"}, {windows({1, 2, 3, 4, 5, 6})}, 8).indicators[0].checked);
}

TEST(SettleHistory, UpToFiveWindows) {
  EXPECT_EQ(settle_history(261, 52), 5u);
  EXPECT_EQ(settle_history(157, 52), 3u);
  EXPECT_EQ(settle_history(105, 52), 2u);
  EXPECT_EQ(settle_history(26, 13), 2u);
  EXPECT_EQ(settle_history(27, 13), 2u);
  EXPECT_EQ(settle_history(3, 0), 0u);
}

TEST(CheckSettled, AStepWithinTheNoiseIsNotDrift) {
  // A few events per tick: the windows' means differ by 17% but by less than three standard errors
  // of the difference, so it is noise. The same step in quiet series is drift.
  std::vector<double> noisy = {2, 7, 0, 5, 1, 8, 3, 0, 6, 3, 5, 1, 9, 2, 6, 0, 7, 4, 1, 6};
  const SpinUpCheck c = check_settled({"leavers"}, {noisy}, 10);
  const IndicatorSettling& x = c.indicators[0];
  EXPECT_DOUBLE_EQ(x.previous, 3.5);
  EXPECT_DOUBLE_EQ(x.last, 4.1);
  EXPECT_GT(std::fabs(x.change), 0.05);
  EXPECT_GT(x.noise * 3, std::fabs(x.last - x.previous));
  EXPECT_TRUE(x.settled);
  EXPECT_FALSE(check_settled({"steady"}, {{3.5, 3.5, 3.5, 3.5, 4.1, 4.1, 4.1, 4.1}}, 4).settled());
}

TEST(CheckSettled, UndefinedValuesAndShortSpinUpsAreNotChecked) {
  std::vector<double> v = series(20, 1, 1);
  v[3] = std::numeric_limits<double>::quiet_NaN();
  const SpinUpCheck c = check_settled({"x", "y"}, {v, series(20, 1, 1)}, 10);
  EXPECT_FALSE(c.indicators[0].checked);
  EXPECT_TRUE(c.indicators[0].settled) << "nothing is claimed about it";
  EXPECT_TRUE(c.indicators[1].checked);

  const SpinUpCheck none = check_settled({"x"}, {series(2, 1, 5)}, 1);
  EXPECT_TRUE(none.done);
  EXPECT_FALSE(none.checked());
  EXPECT_FALSE(none.indicators[0].checked);
  EXPECT_TRUE(none.settled());
}

// One replicate's check of one indicator with the given window means and noise.
SpinUpCheck one(double previous, double last, double noise = 0) {
  SpinUpCheck c;
  c.done = true;
  c.window = 52;
  c.replicates = 1;
  IndicatorSettling s;
  s.name = "x";
  s.previous = previous;
  s.last = last;
  s.noise = noise;
  s.checked = true;
  c.indicators.push_back(s);
  return c;
}

TEST(PoolChecks, ReplicatesThatDisagreeHaveSettled) {
  // Each replicate alone moves by 30% or more, but not the same way: the mean moves by 10%,
  // within three standard errors of the replicates' changes (40, -40, 30: sd 43.6).
  const SpinUpCheck c = pool_checks({one(100, 140), one(100, 60), one(100, 130)});
  ASSERT_TRUE(c.checked());
  EXPECT_EQ(c.replicates, 3u);
  const IndicatorSettling& x = c.indicators[0];
  EXPECT_DOUBLE_EQ(x.previous, 100.0);
  EXPECT_DOUBLE_EQ(x.last, 110.0);
  EXPECT_DOUBLE_EQ(x.change, 0.1);
  EXPECT_DOUBLE_EQ(x.noise, std::sqrt(1900.0 / 3.0));
  EXPECT_TRUE(x.settled);
}

TEST(PoolChecks, ReplicatesThatAgreeDrift) {
  const SpinUpCheck c = pool_checks({one(100, 110), one(102, 111), one(98, 109)});
  const IndicatorSettling& x = c.indicators[0];
  EXPECT_DOUBLE_EQ(x.change, 0.1);
  EXPECT_DOUBLE_EQ(x.noise, std::sqrt(1.0 / 3.0));
  EXPECT_FALSE(x.settled);
  EXPECT_FALSE(c.settled());
}

TEST(PoolChecks, FewReplicatesCombineTheirOwnNoise) {
  // Two replicates: no spread to speak of, so their own noise, sqrt(3^2 + 4^2) / 2 = 2.5. The mean
  // moves by 8, more than 5% and than 3 * 2.5.
  const SpinUpCheck c = pool_checks({one(100, 110, 3), one(100, 106, 4)});
  EXPECT_EQ(c.indicators[0].noise, 2.5);
  EXPECT_FALSE(c.indicators[0].settled);
  // One replicate: its own check.
  const SpinUpCheck single = pool_checks({one(100, 106, 1)});
  EXPECT_EQ(single.replicates, 1u);
  EXPECT_EQ(single.indicators[0].noise, 1.0);
  EXPECT_FALSE(single.indicators[0].settled);
}

TEST(PoolChecks, OnlyCompletedChecksCount) {
  SpinUpCheck stopped;  // a replicate stopped during its spin-up
  EXPECT_FALSE(pool_checks({stopped}).done);
  EXPECT_FALSE(pool_checks({}).done);
  SpinUpCheck undefined = one(0, 0);
  undefined.indicators[0].checked = false;  // NaN at city level in this replicate
  const SpinUpCheck c =
      pool_checks({one(100, 140), stopped, undefined, one(100, 140), one(100, 141)});
  EXPECT_EQ(c.replicates, 4u);
  EXPECT_DOUBLE_EQ(c.indicators[0].last, 421.0 / 3);
  EXPECT_FALSE(c.indicators[0].settled);
}

// --- The check in a run ------------------------------------------------------------------------

// The rumour reference model on a small network with weekly ticks: the rumour spreads over the
// first two years or so and then stops, having reached the nodes it can.
Scenario rumour(const char* spin_up, std::uint32_t replicates = 1) {
  static const ModelRegistry models = builtin_models();
  return load_scenario("builtin:reference/rumour.yaml", models,
                       {{"parameters.network.nodes", "2000"},
                        {"parameters.network.m", "5"},
                        {"parameters.rumour.spread_probability", "0.6"},
                        {"tick", "1 week"},
                        {"duration", "10 weeks"},
                        {"replicates", std::to_string(replicates)},
                        {"spin_up", spin_up}});
}

const Model& rumour_model() {
  static const ModelRegistry models = builtin_models();
  return *models.find("rumour");
}

const IndicatorSettling* find(const SpinUpCheck& c, const std::string& name) {
  for (const auto& i : c.indicators)
    if (i.name == name) return &i;
  return nullptr;
}

TEST(SpinUpCheckInARun, ASpreadingRumourIsDrifting) {
  int reported = 0;
  RunOptions opt;
  opt.threads = 2;
  opt.spin_up_checked = [&](const SpinUpCheck& c) {
    ++reported;
    EXPECT_EQ(c.replicates, 3u) << "reported once, over every replicate";
    EXPECT_FALSE(c.settled());
  };
  const Scenario sc = rumour("26 weeks", 3);
  const RunResult res = run_simulation(rumour_model(), sc, opt, nullptr);
  ASSERT_EQ(res.status, RunStatus::complete);
  EXPECT_EQ(res.spin_up_ticks, 26u);
  EXPECT_EQ(res.spin_up_ticks_done, 78u);
  EXPECT_EQ(reported, 1);
  EXPECT_FALSE(res.settle.settled());
  const IndicatorSettling* pooled = find(res.settle, "informed_share");
  ASSERT_NE(pooled, nullptr);
  EXPECT_FALSE(pooled->settled);
  EXPECT_GT(pooled->change, 0.5);
  ASSERT_EQ(res.spin_up.size(), 3u);
  for (const SpinUpCheck& c : res.spin_up) {
    EXPECT_TRUE(c.checked());
    EXPECT_EQ(c.window, 13u);
    const IndicatorSettling* share = find(c, "informed_share");
    ASSERT_NE(share, nullptr);
    EXPECT_TRUE(share->checked);
    EXPECT_FALSE(share->settled);
    EXPECT_GT(share->last, share->previous * 1.5);
  }
}

TEST(SpinUpCheckInARun, ARumourThatStoppedHasSettled) {
  const Scenario sc = rumour("8 years");
  const RunResult res = run_simulation(rumour_model(), sc, {}, nullptr);
  ASSERT_EQ(res.spin_up.size(), 1u);
  EXPECT_TRUE(res.settle.settled());
  EXPECT_EQ(res.settle.replicates, 1u);
  const SpinUpCheck& c = res.spin_up[0];
  EXPECT_TRUE(c.checked());
  EXPECT_EQ(c.window, 52u);
  EXPECT_EQ(c.indicators.size(), 3u) << "every summary indicator of the model";
  EXPECT_TRUE(c.settled());
  const IndicatorSettling* share = find(c, "informed_share");
  ASSERT_NE(share, nullptr);
  EXPECT_TRUE(share->checked);
  EXPECT_GT(share->last, 0.5) << "the rumour did spread";
  // Nothing spreads any more: the last year's mean is the state at the start (up to the rounding
  // of a sum of 52 equal values).
  EXPECT_NEAR(share->last, res.first[0].at(*rumour_model().indicator_index("informed_share"), 0),
              1e-12);
}

TEST(SpinUpCheckInARun, NoSpinUpNoCheck) {
  bool called = false;
  RunOptions opt;
  opt.spin_up_checked = [&](const SpinUpCheck&) { called = true; };
  const RunResult res = run_simulation(rumour_model(), rumour("0"), opt, nullptr);
  EXPECT_FALSE(called);
  EXPECT_TRUE(res.spin_up.empty());
  EXPECT_FALSE(res.settle.done);
  EXPECT_EQ(res.spin_up_ticks, 0u);
}

}  // namespace
}  // namespace buurtlab
