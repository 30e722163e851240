// Professionals: local knowledge and tenure, what a departure takes away, and contract changes
// (tenders) that replace exactly the staff who do not transfer, in one wijk only.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

// Ten team members per wijk of 1000 residents.
void dense_staff(World& w) { w.p.residents_per_professional = 100; }

TEST(Professionals, LocalKnowledgeGrowsWithTenure) {
  WorldFixture f(1, 1, 300, 41);
  World& w = f.w();
  const Slot p = f.staff(0, kGeneralist).at(0);
  w.pro.knowledge[p] = static_cast<float>(w.p.knowledge_start);
  w.pro.tenure_years[p] = 0;
  float last = w.pro.knowledge[p];
  for (Tick t = 1; t <= 52; ++t) {
    professional_work(w, f.tick(t));
    EXPECT_GT(w.pro.knowledge[p], last);
    last = w.pro.knowledge[p];
  }
  // K approaches 1 at professionals.knowledge_learning per year: 1 - (1 - K0) exp(-rate * years).
  const double years = 52 * kWeek;
  EXPECT_NEAR(w.pro.tenure_years[p], years, 1e-5);
  EXPECT_NEAR(w.pro.knowledge[p], 1.0 - (1.0 - w.p.knowledge_start) * std::exp(-w.p.knowledge_learning * years), 1e-5);
}

TEST(Professionals, KnowledgeLeavesWithTheProfessionalAndNewcomersStartAtTheStart) {
  WorldFixture f(1, 1, 300, 42);
  World& w = f.w();
  w.p.turnover_rate = 0;
  w.p.vacancy_fill_rate = 52;
  w.p.knowledge_start = 0.23;
  const auto team = f.staff(0, kGeneralist);
  ASSERT_EQ(team.size(), 1u);
  const AgentId old_id = w.pro.pop.id(team[0]);
  w.pro.knowledge[team[0]] = 0.9f;
  w.professional_leaves(team[0], 1);
  EXPECT_TRUE(f.staff(0, kGeneralist).empty());
  Tick t = 1;
  while (f.staff(0, kGeneralist).empty() && t < 30) institutions(w, f.tick(++t));
  const auto now = f.staff(0, kGeneralist);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_NE(w.pro.pop.id(now[0]), old_id);
  EXPECT_EQ(w.pro.pop.slot_of(old_id), kNoSlot);
  EXPECT_FLOAT_EQ(w.pro.knowledge[now[0]], 0.23f);
  EXPECT_FLOAT_EQ(w.pro.tenure_years[now[0]], 0.0f);
  professional_work(w, f.tick(t + 1));
  EXPECT_NEAR(w.pro.knowledge[now[0]], 0.23 + rate_to_probability(w.p.knowledge_learning, kWeek) * 0.77, 1e-6);
}

struct Staff {
  AgentId id;
  std::uint32_t wijk;
  std::uint8_t role, employer;
  float knowledge, tenure;
};

std::map<AgentId, Staff> snapshot(const World& w) {
  std::map<AgentId, Staff> out;
  for (Slot s = 0; s < w.pro.pop.slots(); ++s)
    if (w.pro.pop.alive(s))
      out[w.pro.pop.id(s)] = {w.pro.pop.id(s), w.pro.wijk[s], w.pro.role[s], w.pro.employer[s],
                              w.pro.knowledge[s], w.pro.tenure_years[s]};
  return out;
}

TEST(Procurement, ContractChangeReplacesExactlyTheStaffWhoDoNotTransfer) {
  for (double transfer : {0.0, 0.5, 1.0}) {
    SCOPED_TRACE(transfer);
    WorldFixture f(2, 1, 1000, 43, {}, dense_staff);
    World& w = f.w();
    w.p.staff_transfer_share = transfer;
    w.p.new_provider_staffing = 1.0;
    w.p.knowledge_start = 0.17;
    auto& r = w.res;
    // Residents of both wijken with a professional and a relationship.
    for (std::uint32_t wj = 0; wj < 2; ++wj) {
      const auto team = f.staff(wj, kGeneralist);
      for (std::size_t k = 0; k < w.wijk_residents[wj].size(); k += 5) {
        const Slot s = w.wijk_residents[wj][k];
        r.professional[s] = team[(k / 5) % team.size()];
        r.relationship[s] = 0.5f;
      }
    }
    const auto before = snapshot(w);
    const std::uint8_t old_provider = w.wijken[0].provider;
    const std::uint8_t other_provider = w.wijken[1].provider;
    // The contract's staff: generalists and community workers of wijk 0.
    const auto contract = [](const Staff& st) { return st.wijk == 0 && st.role != kHousingConsultant; };
    std::size_t team0 = 0, generalists0 = 0;
    for (const auto& [id, st] : before) {
      team0 += contract(st);
      generalists0 += st.wijk == 0 && st.role == kGeneralist;
    }
    ASSERT_EQ(generalists0, 10u);
    ASSERT_GT(team0, generalists0);

    tender(w, 0, f.tick(10), 1.0);
    const auto after = snapshot(w);
    const std::uint8_t provider = w.wijken[0].provider;
    EXPECT_NE(provider, old_provider);
    EXPECT_EQ(w.wijken[1].provider, other_provider);
    EXPECT_GT(w.wijken[0].transition_until, 10u);
    EXPECT_EQ(w.wijken[1].transition_until, 0u);

    std::size_t stayed = 0, left = 0, hired = 0;
    for (const auto& [id, st] : before) {
      const auto it = after.find(id);
      if (!contract(st)) {
        // Other wijken and the housing association's consultants are untouched.
        ASSERT_NE(it, after.end());
        EXPECT_EQ(it->second.employer, st.employer);
        EXPECT_EQ(it->second.knowledge, st.knowledge);
        continue;
      }
      if (it == after.end()) {
        ++left;
        continue;
      }
      ++stayed;
      EXPECT_EQ(it->second.employer, provider) << "a transferred professional works for the new provider";
      EXPECT_EQ(it->second.knowledge, st.knowledge) << "and keeps their knowledge";
    }
    for (const auto& [id, st] : after)
      if (!before.count(id)) {
        ++hired;
        EXPECT_TRUE(contract(st));
        EXPECT_EQ(st.employer, provider);
        EXPECT_FLOAT_EQ(st.knowledge, 0.17f);
      }
    EXPECT_EQ(hired, left);
    EXPECT_EQ(stayed + left, team0);
    if (transfer == 0.0) {
      EXPECT_EQ(stayed, 0u);
    } else if (transfer == 1.0) {
      EXPECT_EQ(left, 0u);
    } else {
      EXPECT_GT(stayed, 0u);
      EXPECT_GT(left, 0u);
    }
    // Residents lose the relationship exactly when their professional left.
    for (std::uint32_t wj = 0; wj < 2; ++wj)
      for (std::size_t k = 0; k < w.wijk_residents[wj].size(); k += 5) {
        const Slot s = w.wijk_residents[wj][k];
        const bool lost = r.professional[s] == kNoSlot;
        EXPECT_EQ(lost, r.relationship[s] == 0.0f);
        if (wj == 1) {
          EXPECT_FALSE(lost);
        }
        if (!lost) {
          EXPECT_TRUE(w.pro.pop.alive(r.professional[s]));
        }
      }
  }
}

TEST(Procurement, TenderThatKeepsTheIncumbentChangesNothing) {
  WorldFixture f(2, 1, 1000, 44, {}, dense_staff);
  World& w = f.w();
  const auto before = snapshot(w);
  const std::uint8_t p0 = w.wijken[0].provider, p1 = w.wijken[1].provider;
  for (Tick t = 1; t <= 20; ++t)
    for (std::uint32_t wj = 0; wj < 2; ++wj) tender(w, wj, f.tick(t), 0.0);
  const auto after = snapshot(w);
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [id, st] : before) {
    ASSERT_TRUE(after.count(id));
    EXPECT_EQ(after.at(id).employer, st.employer);
  }
  EXPECT_EQ(w.wijken[0].provider, p0);
  EXPECT_EQ(w.wijken[1].provider, p1);
  EXPECT_EQ(w.wijken[0].transition_until, 0u);
}

TEST(Procurement, WhetherAProfessionalTransfersDoesNotDependOnTheContractDraw) {
  // One wijk, one team member. Over many seeds, of the tenders that moved the contract (chance
  // 1/2), the professional should transfer in about half (staff_transfer_share 1/2), whatever the
  // contract draw was.
  int changed = 0, transferred = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    WorldFixture f(1, 1, 100, seed);
    World& w = f.w();
    w.p.staff_transfer_share = 0.5;
    const auto team = f.staff(0, kGeneralist);
    ASSERT_EQ(team.size(), 1u);
    const AgentId id = w.pro.pop.id(team[0]);
    const std::uint8_t provider = w.wijken[0].provider;
    tender(w, 0, f.tick(3), 0.5);
    if (w.wijken[0].provider == provider) continue;
    ++changed;
    transferred += w.pro.pop.slot_of(id) != kNoSlot;
  }
  ASSERT_GT(changed, 100);
  // Binomial(changed, 1/2): 5 standard deviations is about +-0.2 at 150 tenders.
  EXPECT_NEAR(static_cast<double>(transferred) / changed, 0.5, 0.2);
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing

namespace buurtlab::neighbourhood::testing {
namespace {

// Stylized fact 3's mechanism: casework demand beyond the casework hours takes generalists'
// planned collective time, as far as professionals.crowding_out gives cases priority.
TEST(Professionals, CaseworkDemandBeyondCapacityCrowdsOutCollectiveWork) {
  WorldFixture f(1, 2, 1000);
  World& w = f.w();
  w.p.collective_share = 0.3;
  w.p.crowding_out = 1.0;
  w.p.sick_leave = 0;
  w.p.knowledge_learning = 0;  // the same knowledge factor every tick
  professional_work(w, f.tick(1));
  const Wijk& wk = w.wijken[0];
  const double free_collective = wk.generalist_collective_hours;
  const double free_case_hours = wk.casework_hours;
  double raw = 0;  // generalists' planned collective hours (before the knowledge factor)
  for (Slot s : f.staff(0, kGeneralist)) raw += w.pro.collective_hours[s];
  ASSERT_GT(free_collective, 1.0);
  const double cost = w.p.caseload_hours / (1.0 - w.p.admin_share);

  // Open cases that ask 3 hours more than the casework hours.
  w.wijken[0].open_cases = (free_case_hours + 3.0) / cost;
  professional_work(w, f.tick(2));
  EXPECT_NEAR(wk.casework_hours, free_case_hours + 3.0, 1e-6);
  EXPECT_NEAR(wk.generalist_collective_hours, free_collective * (1.0 - 3.0 / raw), 0.01 * free_collective);

  // Demand within the casework hours takes nothing.
  w.wijken[0].open_cases = 0.9 * free_case_hours / cost;
  professional_work(w, f.tick(3));
  EXPECT_NEAR(wk.generalist_collective_hours, free_collective, 0.01 * free_collective);

  // With crowding out switched off the time split holds whatever the demand.
  w.p.crowding_out = 0.0;
  w.wijken[0].open_cases = 10000;
  professional_work(w, f.tick(4));
  EXPECT_NEAR(wk.generalist_collective_hours, free_collective, 0.01 * free_collective);

  // A long queue takes all generalists' collective time, never more, and never the community
  // professionals' time (their funding is for collective work).
  w.p.crowding_out = 1.0;
  professional_work(w, f.tick(5));
  EXPECT_DOUBLE_EQ(wk.generalist_collective_hours, 0.0);
  EXPECT_GT(wk.collective_hours, 0.0);
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing

namespace buurtlab::neighbourhood::testing {
namespace {

// Regular tenders fall at whole intervals from the start date, also with a spin-up before it, and
// never at the start itself: a tender's date does not depend on the spin-up's length.
TEST(Procurement, TendersFallAtWholeIntervalsFromTheStartWhateverTheSpinUp) {
  struct Case {
    int spin_up_years;
    double interval;
    std::vector<double> expected;  // tender dates in years relative to the start date
  };
  for (const Case& k : {Case{0, 4, {4, 8, 12}}, Case{5, 4, {-4, 4, 8}}, Case{5, 2, {-4, -2, 2, 4}},
                        Case{1, 4, {4, 8}}}) {
    SCOPED_TRACE(k.spin_up_years);
    SCOPED_TRACE(k.interval);
    WorldFixture f(1, 1, 300, 44, [&](Scenario& sc) { sc.spin_up = Period{k.spin_up_years, TimeUnit::year}; },
                   [&](World& w) {
                     w.p.tender_interval = k.interval;
                     w.p.contract_change_prob = 0;  // dates only
                   });
    World& w = f.w();
    const Tick S = w.sc.spin_up_ticks();
    std::vector<double> dates;
    double next = w.wijken[0].next_tender_years;
    for (Tick t = 1; t <= S + static_cast<Tick>(13 * 52) && dates.size() < k.expected.size(); ++t) {
      institutions(w, f.tick(t, w.sc.tick.years()));
      if (w.wijken[0].next_tender_years != next) {
        dates.push_back((static_cast<double>(t) - S) * w.sc.tick.years());
        next = w.wijken[0].next_tender_years;
      }
    }
    ASSERT_EQ(dates.size(), k.expected.size());
    for (std::size_t i = 0; i < dates.size(); ++i) EXPECT_NEAR(dates[i], k.expected[i], 0.03) << i;
  }
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
