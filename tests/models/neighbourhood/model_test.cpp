// The model as the engine runs it: bit-identical results for every executor, and the same
// behaviour with weekly and monthly ticks.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "buurtlab/simulation.hpp"
#include "neighbourhood/model.hpp"
#include "scenario_builder.hpp"
#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

using buurtlab::testing::build_scenario;

TEST(Model, SameLastFramesForSerialAndParallelExecutors) {
  const auto model = make_model();
  // About 2,000 residents in two wijken, so that loops span two blocks.
  Scenario sc = build_scenario(*model, 2, 2, 500, Period{2, TimeUnit::year});
  sc.seed = 5;
  // Tenders every half year and a spin-up, so contract changes, hiring and lost relationships
  // happen in the compared runs.
  sc.parameters.set("procurement.tender_interval", 0.5);
  sc.parameters.set("procurement.change_prob", 1.0);
  sc.spin_up = Period{26, TimeUnit::week};
  std::vector<IndicatorFrame> last;
  for (int threads : {0, 1, 2}) {
    RunOptions options;
    options.threads = threads;
    RunResult res = run_simulation(*model, sc, options, nullptr);
    ASSERT_EQ(res.status, RunStatus::complete);
    ASSERT_EQ(res.last.size(), 1u);
    last.push_back(res.last[0]);
  }
  for (std::size_t k = 1; k < last.size(); ++k) {
    ASSERT_EQ(last[k].values().size(), last[0].values().size());
    EXPECT_EQ(std::memcmp(last[k].values().data(), last[0].values().data(),
                          last[0].values().size() * sizeof(double)),
              0)
        << "executor " << k << " differs from the serial one";
  }
}

// The apply steps of meeting and care run wijk by wijk in parallel; that is exact only because
// ties never join residents of two wijken. Every process that makes ties runs here for a year
// (with turnover, initiatives and a future-agenda round), and no tie may cross a wijk boundary.
TEST(Model, TiesNeverCrossWijkBoundaries) {
  WorldFixture f(3, 2, 300, 9);
  World& w = f.w();
  w.p.move_rate_private = w.p.move_rate_social = w.p.move_rate_owner = 0.5;  // much turnover
  w.p.future_agenda = true;
  w.p.agenda_rounds = 4;
  for (Tick t = 1; t <= 52; ++t) {
    const TickContext c = f.tick(t);
    for (auto* process : {institutions, professional_work, meeting, care, casework, initiatives,
                          engagement, energy, trust, demography})
      process(w, c);
  }
  std::size_t ties = 0;
  for (Slot s = 0; s < w.res.pop.slots(); ++s) {
    if (!w.res.pop.alive(s)) continue;
    for (Slot o : w.res.ties.neighbours(s)) {
      ++ties;
      ASSERT_EQ(w.wijk_of(s), w.wijk_of(o)) << "tie " << s << "-" << o;
    }
  }
  EXPECT_GT(ties, 1000u);
}

TEST(Model, WeeklyAndMonthlyTicksGiveTheSameMeans) {
  // Rates are per year and converted with the tick length, so a run with monthly ticks should
  // end, on average, where a run with weekly ticks does. Replicate r has the same seed, and so the
  // same initial population, in both runs.
  const auto model = make_model();
  constexpr std::uint32_t kReplicates = 6;
  auto last_frames = [&](TimeUnit unit) {
    Scenario sc = build_scenario(*model, 2, 2, 500, Period{2, TimeUnit::year}, Period{1, unit}, 3);
    sc.replicates = kReplicates;
    RunResult res = run_simulation(*model, sc, RunOptions{}, nullptr);
    EXPECT_EQ(res.last.size(), kReplicates);
    return res.last;
  };
  const auto weekly = last_frames(TimeUnit::week), monthly = last_frames(TimeUnit::month);
  for (const char* name : {"social_trust_mean", "ties_per_resident", "volunteers_share"}) {
    SCOPED_TRACE(name);
    const std::size_t ind = *model->indicator_index(name);
    auto stats = [&](const std::vector<IndicatorFrame>& frames) {
      double s = 0, s2 = 0;
      for (const auto& f : frames) {
        s += f.at(ind, 0);
        s2 += f.at(ind, 0) * f.at(ind, 0);
      }
      const double n = static_cast<double>(frames.size()), mean = s / n;
      return std::pair{mean, (s2 - n * mean * mean) / (n - 1)};  // mean, sample variance
    };
    const auto [mw, vw] = stats(weekly);
    const auto [mm, vm] = stats(monthly);
    // Tolerance: three standard errors of the difference of the two means (replicate noise),
    // plus 1% of the value for discretisation: within a tick experiences are applied together
    // (good before bad), a partner's trust and a tie's membership are those of the previous
    // tick, and tie decay is applied at the end of the tick. A rate used per tick instead of per
    // year would shift these means by far more (tie decay alone by several ties per resident).
    const double se = std::sqrt((vw + vm) / kReplicates);
    EXPECT_NEAR(mw, mm, 3 * se + 0.01 * std::abs(mw)) << "weekly " << mw << ", monthly " << mm << ", se " << se;
    EXPECT_GT(se, 0.0);
  }
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
