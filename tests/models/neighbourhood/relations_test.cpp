// The relational channel: relationships between professionals and initiatives, key figures and
// residents are built with contact and lost when the professional leaves; a tender that keeps
// staff and network changes nothing; a budget cut cuts FTE exactly; the caseload ceiling forms a
// waiting list; every buurt gets a familiar face of its own.
#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <numeric>
#include <set>

#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

void remove_all_initiatives(World& w) {
  for (Slot s = 0; s < w.res.pop.slots(); ++s)
    if (w.res.pop.alive(s)) {
      w.res.initiative[s] = kNoSlot;
      w.res.role[s] = kNoRole;
    }
  for (Slot i = 0; i < w.ini.pop.slots(); ++i)
    if (w.ini.pop.alive(i)) w.ini.pop.remove(i);
}

double fte_of(const World& w, std::uint32_t wj, std::uint8_t role) {
  double f = 0;
  for (Slot s = 0; s < w.pro.pop.slots(); ++s)
    if (w.pro.pop.alive(s) && w.pro.wijk[s] == wj && w.pro.role[s] == role) f += w.pro.fte[s];
  return f;
}

// One initiative in a one-buurt wijk with one community worker and no other collective hours;
// knowledge fixed, so only the relationship changes the support.
struct OneInitiative {
  WorldFixture f{1, 1, 2000, 61, {}, [](World& w) {
                   w.p.community_residents_per_fte = 2000;  // one community worker
                   w.p.ha_welfare_role = false;              // no housing consultant
                 }};
  Slot ini = kNoSlot;
  OneInitiative() {
    World& w = f.w();
    w.p.collective_share = 0;  // generalists do no collective work
    w.p.knowledge_learning = 0;
    w.p.sick_leave = 0;
    w.p.support_hours_needed = 40;  // more than the worker gives: support stays below 1
    remove_all_initiatives(w);
    const auto adults = f.adults();
    ini = add_initiative(w, 0, adults[0], {adults[0], adults[1], adults[2]}, 0.5f);
  }
};

TEST(Relations, ANewProfessionalSupportsAnInitiativeLessUntilTheRelationshipIsRebuilt) {
  for (double weight : {0.5, 0.0}) {
    SCOPED_TRACE(weight);
    OneInitiative o;
    World& w = o.f.w();
    w.p.support_weight = weight;
    // The worker's 16 hours a week all go to this one initiative: a relationship that takes 400
    // contact hours keeps the rebuilding visible over weeks.
    w.p.relation_build_hours = 400;
    const auto workers = o.f.staff(0, kCommunityWorker);
    ASSERT_EQ(workers.size(), 1u);
    w.pro.knowledge[workers[0]] = 0.8f;
    Tick t = 0;
    for (; t < 200; ++t) professional_work(w, o.f.tick(t + 1));
    ASSERT_EQ(w.ini.worker[o.ini], workers[0]);
    const float rel = w.ini.worker_rel[o.ini];
    const float established = w.ini.support[o.ini];
    EXPECT_GT(rel, 0.9f) << "four years of weekly contact build a strong relationship";
    // The worker leaves; a newcomer with the same local knowledge takes over.
    w.professional_leaves(workers[0], t);
    const Slot fresh = w.hire_professional(0, kCommunityWorker, t, 1.0);
    w.pro.knowledge[fresh] = 0.8f;
    professional_work(w, o.f.tick(++t));
    ASSERT_EQ(w.ini.worker[o.ini], fresh);
    const float first = w.ini.support[o.ini];
    if (weight == 0.0) {
      EXPECT_FLOAT_EQ(first, established) << "without the relational weight only hours and K count";
      continue;
    }
    EXPECT_LT(first, 0.6f * established);
    // It is rebuilt with contact: after a year most of the way, never above the old level.
    float last = first;
    for (int k = 0; k < 52; ++k) {
      professional_work(w, o.f.tick(++t));
      EXPECT_GE(w.ini.support[o.ini], last);
      last = w.ini.support[o.ini];
    }
    EXPECT_GT(last, first + 0.5f * (established - first));
    EXPECT_LE(last, established + 1e-6f);
  }
}

TEST(Relations, AnInitiativeWithoutContactLetsTheRelationshipFade) {
  OneInitiative o;
  World& w = o.f.w();
  for (Tick t = 1; t <= 100; ++t) professional_work(w, o.f.tick(t));
  const float rel = w.ini.worker_rel[o.ini];
  ASSERT_GT(rel, 0.5f);
  // The worker's hours go elsewhere (none left for this initiative).
  w.professional_leaves(o.f.staff(0, kCommunityWorker)[0], 100);
  w.p.community_residents_per_fte = 1e6;
  w.p.vacancy_fill_rate = 0;
  w.ini.worker_rel[o.ini] = rel;  // keep the strength to watch it fade (no professional now)
  professional_work(w, o.f.tick(101));
  EXPECT_EQ(w.ini.worker[o.ini], kNoSlot);
  EXPECT_NEAR(w.ini.worker_rel[o.ini], rel * std::exp(-w.p.relation_decay * kWeek), 1e-6);
}

TEST(Relations, LosingAFamiliarProfessionalIsABadExperienceInProportionToTheFamiliarityLost) {
  WorldFixture f(1, 1, 500, 62);
  World& w = f.w();
  auto& r = w.res;
  w.p.loss_weight = 1.5;
  const Slot pro = f.staff(0, kCommunityWorker).at(0);
  const auto adults = f.adults();
  r.contact[adults[0]] = pro;
  r.familiarity[adults[0]] = 0.2f;
  r.contact[adults[1]] = pro;
  r.familiarity[adults[1]] = 0.8f;
  for (Slot s : f.residents()) r.inst[kWelfare].bad_weight[s] = 0;
  w.professional_leaves(pro, 3);
  EXPECT_FLOAT_EQ(r.inst[kWelfare].bad_weight[adults[0]], 1.5f * 0.2f);
  EXPECT_FLOAT_EQ(r.inst[kWelfare].bad_weight[adults[1]], 1.5f * 0.8f);
  EXPECT_EQ(r.contact[adults[1]], kNoSlot);
  EXPECT_EQ(r.familiarity[adults[1]], 0.0f);
  EXPECT_FLOAT_EQ(r.inst[kWelfare].bad_weight[adults[2]], 0.0f);
}

// Steps every process of a tick, in the model's order.
void step(World& w, const TickContext& c) {
  institutions(w, c);
  professional_work(w, c);
  meeting(w, c);
  care(w, c);
  casework(w, c);
  initiatives(w, c);
  engagement(w, c);
  energy(w, c);
  trust(w, c);
  demography(w, c);
}

std::vector<float> state_of(const World& w) {
  std::vector<float> out;
  const auto& r = w.res;
  for (Slot s = 0; s < r.pop.slots(); ++s) {
    if (!r.pop.alive(s)) continue;
    out.insert(out.end(), {r.trust[s], r.institutional_trust(s), r.familiarity[s], r.relationship[s],
                           static_cast<float>(r.ties.degree(s)), static_cast<float>(r.need[s]),
                           static_cast<float>(r.case_since[s])});
  }
  for (Slot i = 0; i < w.ini.pop.slots(); ++i)
    if (w.ini.pop.alive(i)) out.insert(out.end(), {w.ini.viability[i], w.ini.support[i], w.ini.worker_rel[i]});
  for (Slot s = 0; s < w.pro.pop.slots(); ++s)
    if (w.pro.pop.alive(s)) out.insert(out.end(), {w.pro.knowledge[s], w.pro.fte[s]});
  return out;
}

// A null test: a contract change in which all staff and the whole network transfer leaves the
// neighbourhood exactly as it would have been; with nobody transferring it does not.
TEST(Relations, ATenderThatTransfersAllStaffAndTheNetworkChangesNothing) {
  for (double transfer : {1.0, 0.0}) {
    SCOPED_TRACE(transfer);
    auto setup = [&](World& w) {
      w.p.tender_interval = 0;
      w.p.staff_transfer_share = transfer;
      w.p.network_transfer = transfer;
    };
    WorldFixture a(1, 2, 1500, 63, {}, setup), b(1, 2, 1500, 63, {}, setup);
    for (Tick t = 1; t <= 40; ++t) {
      if (t == 20) tender(b.w(), 0, b.tick(t), 1.0);
      step(a.w(), a.tick(t));
      step(b.w(), b.tick(t));
    }
    EXPECT_NE(a.w().wijken[0].provider, b.w().wijken[0].provider) << "the contract did move";
    if (transfer == 1.0) {
      EXPECT_EQ(state_of(a.w()), state_of(b.w()));
    } else {
      EXPECT_NE(state_of(a.w()), state_of(b.w()));
    }
  }
}

TEST(Relations, AContractChangeResetsTheReferralNetworkUnlessItTransfers) {
  for (double kept : {0.0, 0.4, 1.0}) {
    WorldFixture f(1, 1, 1000, 64);
    World& w = f.w();
    w.p.network_transfer = kept;
    w.wijken[0].network = 0.9;
    tender(w, 0, f.tick(5), 1.0);
    EXPECT_DOUBLE_EQ(w.wijken[0].network, 0.9 * kept);
  }
}

TEST(Relations, AKeyFiguresSignalOpensACaseEarlierOnlyWithTheRelationalWeight) {
  for (double weight : {0.5, 0.0}) {
    SCOPED_TRACE(weight);
    WorldFixture f(1, 1, 500, 65);
    World& w = f.w();
    auto& r = w.res;
    w.p.signal_weight = weight;
    w.p.case_need_level = 0;
    for (Slot s : f.residents()) r.unmet[s] = 0;
    const auto [s, kf] = f.resident_with_household_member();  // tied (kin)
    r.role[kf] = kLeader;  // a leader is a key figure
    ASSERT_TRUE(w.key_figure(kf));
    r.contact[kf] = f.staff(0, kCommunityWorker).at(0);
    r.familiarity[kf] = 1.0f;
    w.wijken[0].network = 1.0;
    // Unmet share just under the threshold: no case without a signal.
    r.need[s] = 1;
    r.need_hours[s] = 12;
    r.unmet[s] = static_cast<float>(0.8 * w.p.case_threshold * 12);
    casework(w, f.tick(5));
    EXPECT_EQ(r.case_since[s] >= 0, weight > 0);
  }
}

TEST(Casework, CasesAboveTheCaseloadCeilingWait) {
  WorldFixture f(1, 1, 500, 66);
  World& w = f.w();
  auto& r = w.res;
  w.p.case_need_level = 0;
  for (Slot s : f.residents()) r.unmet[s] = 0;
  professional_work(w, f.tick(10));
  w.wijken[0].casework_hours = 1000;  // hours enough: the ceiling binds
  w.wijken[0].casework_fte = 3.0 / w.p.max_caseload;  // a ceiling of three cases
  const auto adults = f.adults();
  for (int k = 0; k < 7; ++k) {
    r.need[adults[k]] = 2;
    r.need_hours[adults[k]] = 16;
    r.unmet[adults[k]] = 16;
    r.case_since[adults[k]] = k;
  }
  casework(w, f.tick(10));
  EXPECT_DOUBLE_EQ(w.wijken[0].open_cases, 7.0);
  EXPECT_DOUBLE_EQ(w.wijken[0].waiting, 4.0);
  for (int k = 0; k < 7; ++k) EXPECT_EQ(r.formal_got[adults[k]] > 0, k < 3) << k;
  EXPECT_GT(w.wijken[0].workload, 2.0);
}

TEST(Casework, SupportClientsAreCasesWhateverTheirUnmetNeed) {
  WorldFixture f(1, 1, 500, 67);
  World& w = f.w();
  auto& r = w.res;
  w.p.case_need_level = 3;
  w.p.support_uptake = 0;
  for (Slot s : f.residents()) {
    r.need[s] = 0;
    r.need_hours[s] = 0;
    r.unmet[s] = 0;
  }
  const auto adults = f.adults();
  r.need[adults[0]] = 3;  // substantial need, fully met at home
  r.need_hours[adults[0]] = 32;
  r.need[adults[1]] = 2;  // moderate need, met: not a client without uptake
  r.need_hours[adults[1]] = 16;
  casework(w, f.tick(4));
  EXPECT_GE(r.case_since[adults[0]], 0);
  EXPECT_LT(r.case_since[adults[1]], 0);
  // The need falls below the level: the support case closes.
  r.need[adults[0]] = 1;
  r.need_hours[adults[0]] = 12;
  casework(w, f.tick(5));
  EXPECT_LT(r.case_since[adults[0]], 0);
}

TEST(Casework, ACaseRelationshipFadesAfterTheCaseClosesAndThenEnds) {
  WorldFixture f(1, 1, 500, 68);
  World& w = f.w();
  auto& r = w.res;
  w.p.case_need_level = 0;
  const Slot s = f.adults()[0];
  r.need[s] = 0;
  r.need_hours[s] = 0;
  r.unmet[s] = 0;
  r.professional[s] = f.staff(0, kGeneralist).at(0);
  r.relationship[s] = 0.5f;
  casework(w, f.tick(1));
  EXPECT_NEAR(r.relationship[s], 0.5 * std::exp(-w.p.relation_decay * kWeek), 1e-6);
  Tick t = 1;
  while (r.professional[s] != kNoSlot && t < 1000) casework(w, f.tick(++t));
  EXPECT_EQ(r.relationship[s], 0.0f);
  const double years = std::log(0.5 / w.p.relation_end_below) / w.p.relation_decay;
  EXPECT_NEAR(t * kWeek, years, 2 * kWeek) << "ends when it has faded below relations.end_below";
}

TEST(Professionals, ATenPercentBudgetCutRemovesTenPercentOfTheFTE) {
  for (int residents : {350, 1433, 4115}) {  // per buurt
    SCOPED_TRACE(residents);
    WorldFixture f(1, 3, residents, 69);
    World& w = f.w();
    const Wijk& wk = w.wijken[0];
    const double gen = wk.funded_role_fte[kGeneralist], com = wk.funded_role_fte[kCommunityWorker];
    const double hc = fte_of(w, 0, kHousingConsultant);
    EXPECT_NEAR(gen, wk.residents / w.p.residents_per_professional, 1e-9) << "not rounded to people";
    EXPECT_NEAR(fte_of(w, 0, kGeneralist), gen, 0.01) << "all posts filled at the start";
    EXPECT_GT(hc, 0.0) << "housing consultants are funded in FTE, not rounded away";
    w.city.budget_factor = 0.9;
    resize_staff(w, f.tick(3));
    EXPECT_NEAR(fte_of(w, 0, kGeneralist), 0.9 * gen, 1e-4);
    EXPECT_NEAR(fte_of(w, 0, kCommunityWorker), 0.9 * com, 1e-4);
    EXPECT_NEAR(fte_of(w, 0, kHousingConsultant), hc, 1e-6) << "the housing association's posts stay";
  }
}

TEST(Professionals, EveryBuurtGetsAFamiliarFaceBeforeAnyGetsASecond) {
  WorldFixture f(1, 4, 1000, 70, {}, [](World& w) { w.p.community_residents_per_fte = 1000; });
  World& w = f.w();
  const auto workers = f.staff(0, kCommunityWorker);
  ASSERT_EQ(workers.size(), 4u);
  std::vector<int> per_buurt(w.buurten.size(), 0);
  for (Slot s : workers) ++per_buurt[w.pro.buurt[s]];
  for (int n : per_buurt) EXPECT_EQ(n, 1);
  professional_work(w, f.tick(1));
  for (const Buurt& b : w.buurten) {
    ASSERT_NE(b.face, kNoSlot);
    EXPECT_EQ(w.pro.role[b.face], kCommunityWorker);
  }
}

TEST(Procurement, ATransitionSlowsOnlyTheNewProvidersNewcomers) {
  WorldFixture f(1, 2, 3000, 71);
  World& w = f.w();
  w.p.staff_transfer_share = 0.5;
  w.p.sick_leave = 0;
  tender(w, 0, f.tick(10), 1.0);
  professional_work(w, f.tick(11));
  int newcomers = 0, others = 0;
  for (Slot s = 0; s < w.pro.pop.slots(); ++s) {
    if (!w.pro.pop.alive(s)) continue;
    const double full = w.p.professional_hours * w.pro.fte[s];
    const double share = w.pro.role[s] == kCommunityWorker ? 1.0
                         : w.pro.role[s] == kHousingConsultant ? w.p.consultant_collective_share
                                                               : w.p.collective_share;
    const double expected = full * share * (w.pro.joined_at_tender[s] >= 0 ? 1.0 - w.p.transition_capacity_loss : 1.0);
    if (w.pro.role[s] == kGeneralist) continue;  // their collective time is scaled by crowding out
    EXPECT_NEAR(w.pro.collective_hours[s], expected, 1e-4) << "role " << int(w.pro.role[s]);
    (w.pro.joined_at_tender[s] >= 0 ? newcomers : others)++;
  }
  EXPECT_GT(others, 0);
  for (Slot s = 0; s < w.pro.pop.slots(); ++s) {
    if (w.pro.pop.alive(s) && w.pro.role[s] == kHousingConsultant) {
      EXPECT_LT(w.pro.joined_at_tender[s], 0);
    }
  }
  (void)newcomers;
}

TEST(Relations, KeyFiguresGetToKnowTheirBuurtsCommunityProfessionalOthersDoNot) {
  WorldFixture f(1, 1, 1500, 72);
  World& w = f.w();
  auto& r = w.res;
  w.p.brokering_per_hour = 0;  // no brokered encounters: only key-figure hours count
  w.p.presence_share = 0;      // nor meetings with the professional in public places
  remove_all_initiatives(w);
  w.count_initiative_members();
  const auto adults = f.adults();
  const Slot kf = adults[0], other = adults[1];
  r.role[kf] = kLeader;  // a leader is a key figure (without an initiative: no member hours)
  ASSERT_TRUE(w.key_figure(kf));
  ASSERT_FALSE(w.key_figure(other));
  for (Tick t = 1; t <= 52; ++t) {
    professional_work(w, f.tick(t));
    meeting(w, f.tick(t));
  }
  const Slot face = w.buurten[0].face;
  ASSERT_NE(face, kNoSlot);
  EXPECT_EQ(r.contact[kf], face);
  EXPECT_GT(r.familiarity[kf], 0.05f);
  EXPECT_EQ(r.contact[other], kNoSlot);
  EXPECT_EQ(r.familiarity[other], 0.0f);
  // Without the hours for key figures the familiarity fades.
  w.p.key_figure_hours_share = 0;
  const float before = r.familiarity[kf];
  professional_work(w, f.tick(53));
  meeting(w, f.tick(53));
  EXPECT_NEAR(r.familiarity[kf], before * std::exp(-w.p.relation_decay * kWeek), 1e-6);
}

TEST(Casework, ASupportCaseIsHandedBackAroundAKeyFigureAndStaysClosedUntilTheNeedRises) {
  WorldFixture f(1, 1, 500, 73);
  World& w = f.w();
  auto& r = w.res;
  w.p.case_need_level = 3;
  w.p.support_uptake = 0;
  w.p.handback_rate = 1e4;  // at once
  for (Slot s : f.residents()) {
    r.need[s] = 0;
    r.need_hours[s] = 0;
    r.unmet[s] = 0;
  }
  professional_work(w, f.tick(1));
  const auto [s, kf] = f.resident_with_household_member();
  r.role[kf] = kLeader;
  r.contact[kf] = f.staff(0, kCommunityWorker).at(0);
  r.familiarity[kf] = 1.0f;
  w.wijken[0].network = 1.0;
  r.need[s] = 3;
  r.need_hours[s] = 32;
  casework(w, f.tick(2));  // opens, is served, handed back
  EXPECT_LT(r.case_since[s], 0);
  EXPECT_EQ(r.handed_back[s], 3);
  casework(w, f.tick(3));
  EXPECT_LT(r.case_since[s], 0) << "not reopened at the same need";
  r.need[s] = 4;
  r.need_hours[s] = 80;
  w.p.handback_rate = 0;
  casework(w, f.tick(4));
  EXPECT_GE(r.case_since[s], 0) << "reopened when the need rises";
  // Without a key figure's signal nothing is handed back.
  WorldFixture g(1, 1, 500, 73);
  World& v = g.w();
  v.p.case_need_level = 3;
  v.p.handback_rate = 1e4;
  v.wijken[0].network = 0.0;
  professional_work(v, g.tick(1));
  const Slot client = g.adults()[5];
  v.res.need[client] = 3;
  v.res.need_hours[client] = 32;
  v.res.unmet[client] = 0;
  casework(v, g.tick(2));
  EXPECT_GE(v.res.case_since[client], 0);
}

TEST(Professionals, ExcessWorkloadRaisesTheGeneralistsSickLeave) {
  WorldFixture f(1, 1, 2000, 74);
  World& w = f.w();
  w.p.collective_share = 0;
  w.p.knowledge_learning = 0;
  w.p.crowding_out = 0;
  w.wijken[0].workload = 0.8;
  professional_work(w, f.tick(1));
  const double normal = w.wijken[0].casework_hours;
  w.wijken[0].workload = 1.5;  // excess 0.5
  professional_work(w, f.tick(2));
  const double gen_fte = w.wijken[0].funded_role_fte[kGeneralist];
  const double lost = w.p.professional_hours * gen_fte * w.p.sick_leave * w.p.workload_sick_factor * 0.5;
  EXPECT_NEAR(w.wijken[0].casework_hours, normal - lost, 0.02 * lost);
}

TEST(Professionals, UnderTheTeamMandateReadingATeamWorksCollectivelyOrNot) {
  for (double share : {0.0, 1.0}) {
    WorldFixture f(3, 1, 1000, 75);
    World& w = f.w();
    w.p.collective_reading = static_cast<int>(CollectiveReading::team_mandate);
    w.p.collective_share = share;
    w.p.knowledge_learning = 0;
    professional_work(w, f.tick(1));
    for (std::uint32_t wj = 0; wj < 3; ++wj) {
      EXPECT_EQ(w.wijken[wj].collective_mandate, share > 0.5);
      double planned = 0;
      for (Slot s : f.staff(wj, kGeneralist)) planned += w.pro.collective_hours[s];
      const double hours = w.p.professional_hours * (1.0 - w.p.sick_leave) * w.wijken[wj].funded_role_fte[kGeneralist];
      EXPECT_NEAR(planned, share * w.p.mandate_collective_share * hours, 0.02 * hours + 1e-9);
    }
  }
}

TEST(Professionals, APartTimeCommunityWorkerIsTheFaceOfEveryBuurtWithoutOne) {
  WorldFixture f(1, 4, 1000, 76, {}, [](World& w) {
    w.p.community_residents_per_fte = 8000;  // half a post for 4,000 residents
    w.p.ha_welfare_role = false;
  });
  World& w = f.w();
  const auto workers = f.staff(0, kCommunityWorker);
  ASSERT_EQ(workers.size(), 1u);
  professional_work(w, f.tick(1));
  for (const Buurt& b : w.buurten) EXPECT_EQ(b.face, workers[0]);
  EXPECT_EQ(w.pro.buurten_faced[workers[0]], 4u);
  // With a housing consultant too, the buurten are shared by buurten per FTE.
  WorldFixture g(1, 4, 1000, 76, {}, [](World& v) { v.p.community_residents_per_fte = 8000; });
  World& v = g.w();
  professional_work(v, g.tick(1));
  const auto consultants = g.staff(0, kHousingConsultant);
  ASSERT_EQ(consultants.size(), 1u);
  int by_consultant = 0;
  for (const Buurt& b : v.buurten) by_consultant += b.face == consultants[0];
  EXPECT_GE(by_consultant, 1);
  EXPECT_LT(by_consultant, 4);
}

// The same keyed draws decide who leaves; a team over capacity leaves at a higher rate, so the
// leavers at excess workload include those at a normal one, and more besides. Community workers
// and housing consultants do not respond to the team's workload.
TEST(Professionals, ExcessWorkloadRaisesTheGeneralistsTurnover) {
  auto leavers = [](double workload, std::uint8_t role) {
    WorldFixture f(1, 2, 2000, 77, {}, [](World& w) {
      w.p.residents_per_professional = 100;      // 40 generalists
      w.p.community_residents_per_fte = 100;     // 40 community workers
    });
    World& w = f.w();
    w.p.turnover_rate = 1.0;
    w.p.vacancy_fill_rate = 0;
    w.wijken[0].workload = workload;
    std::set<AgentId> before;
    for (Slot s : f.staff(0, role)) before.insert(w.pro.pop.id(s));
    for (Tick t = 1; t <= 10; ++t) institutions(w, f.tick(t));
    std::set<AgentId> gone = before;
    for (Slot s : f.staff(0, role)) gone.erase(w.pro.pop.id(s));
    return gone;
  };
  const auto normal = leavers(0.5, kGeneralist), busy = leavers(2.0, kGeneralist);
  EXPECT_TRUE(std::includes(busy.begin(), busy.end(), normal.begin(), normal.end()));
  EXPECT_GT(busy.size(), normal.size());
  EXPECT_EQ(leavers(0.5, kCommunityWorker), leavers(2.0, kCommunityWorker));
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
