// The wijkbudget: funding stays within the budget whoever decides, and voters whose project won
// have a good experience of the institutions.
#include <gtest/gtest.h>

#include <numeric>

#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

TEST(Wijkbudget, NeverSpendsMoreThanTheBudgetWhoeverDecides) {
  for (BudgetProcess process : {BudgetProcess::residents_vote, BudgetProcess::officials_decide}) {
    SCOPED_TRACE(static_cast<int>(process));
    WorldFixture f(2, 1, 600, 61);
    World& w = f.w();
    f.clear_memberships();
    w.p.wijkbudget_process = static_cast<int>(process);
    w.p.wijkbudget_amount = 20000;  // a small budget for 40 projects of EUR 2,500-100,000 each
    for (std::uint32_t wj = 0; wj < 2; ++wj) {
      const auto& people = w.wijk_residents[wj];
      std::vector<Slot> adults;
      for (Slot s : people)
        if (w.res.age[s] >= 20) adults.push_back(s);
      for (int k = 0; k < 40; ++k)
        add_initiative(w, w.wijken[wj].buurten[0], adults[2 * k], {adults[2 * k], adults[2 * k + 1]},
                       0.2f + 0.015f * k);
    }
    for (Tick t : {1u, 53u, 105u, 157u, 209u}) {
      std::vector<double> funds(w.ini.pop.slots());
      for (Slot i = 0; i < w.ini.pop.slots(); ++i) funds[i] = w.ini.funds[i];
      run_wijkbudget(w, f.tick(t));
      std::vector<double> awarded(2, 0.0);
      std::vector<int> funded(2, 0);
      for (Slot i = 0; i < w.ini.pop.slots(); ++i) {
        const double got = w.ini.funds[i] - funds[i];
        const std::uint32_t wj = w.buurten[w.ini.buurt[i]].wijk;
        awarded[wj] += got;
        funded[wj] += got > 0;
      }
      for (std::uint32_t wj = 0; wj < 2; ++wj) {
        EXPECT_LE(w.wijken[wj].wijkbudget_spent_year, w.p.wijkbudget_amount);
        EXPECT_NEAR(awarded[wj], w.wijken[wj].wijkbudget_spent_year, 0.05);
        EXPECT_GE(funded[wj], 1) << "tick " << t << " wijk " << wj;
        EXPECT_EQ(w.wijken[wj].voters_year > 0, process == BudgetProcess::residents_vote);
      }
    }
  }
}

TEST(Wijkbudget, VotersWhoseProjectWonHaveAGoodExperience) {
  for (bool affordable : {true, false}) {
    SCOPED_TRACE(affordable ? "project funded" : "project too expensive");
    WorldFixture f(2, 1, 400, 62);
    World& w = f.w();
    auto& r = w.res;
    f.clear_memberships();
    w.p.wijkbudget_process = static_cast<int>(BudgetProcess::residents_vote);
    w.p.wijkbudget_amount = 10000;
    w.p.project_cost_min = w.p.project_cost_max = affordable ? 1000 : 20000;
    // Everyone 16+ votes; the only project in the city is in wijk 0.
    w.p.vote_propensity = 1;
    for (Slot s : f.residents()) r.inst[kMunicipality].level[s] = 0.6f;
    std::vector<Slot> adults;
    for (Slot s : w.wijk_residents[0])
      if (r.age[s] >= 20) adults.push_back(s);
    const Slot i = add_initiative(w, w.wijken[0].buurten[0], adults[0], {adults[0], adults[1]}, 0.5f);
    run_wijkbudget(w, f.tick(1));
    EXPECT_EQ(w.ini.funds[i] > 0, affordable);
    double voters = 0;
    for (Slot s : f.residents()) {
      const bool voter = w.wijk_of(s) == 0 && r.age[s] >= 16;
      voters += voter;
      EXPECT_EQ(r.inst[kMunicipality].good[s], voter && affordable ? 1 : 0);
      EXPECT_EQ(r.inst[kMunicipality].bad[s], 0);
    }
    EXPECT_EQ(w.wijken[0].voters_year, voters);
    EXPECT_EQ(w.wijken[1].voters_year, 0);
    EXPECT_EQ(w.wijken[0].wijkbudget_spent_year > 0, affordable);
  }
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
