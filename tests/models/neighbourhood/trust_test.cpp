// Trust: the asymmetry of good and bad experiences, the pull towards one's ties, and the
// institutional trust lost with one's professional.
#include <gtest/gtest.h>

#include "world_fixture.hpp"

namespace buurtlab::neighbourhood::testing {
namespace {

// Sets a resident's trust (and disposition) and removes their ties, so that only their own
// experiences move it.
void set_trust(World& w, Slot s, float social, float institutional) {
  w.res.ties.clear(s);
  w.res.trust[s] = w.res.trust_base[s] = social;
  w.res.inst[kWelfare].level[s] = institutional;
}

TEST(Trust, BadExperienceMovesTrustMoreThanGoodOne) {
  for (double negativity : {3.0, 1.0}) {
    WorldFixture f(1, 1, 300, 21);
    World& w = f.w();
    auto& r = w.res;
    w.p.negativity_weight = negativity;
    const auto adults = f.adults();
    const Slot good = adults[0], bad = adults[1], good_i = adults[2], bad_i = adults[3];
    for (Slot s : {good, bad, good_i, bad_i}) set_trust(w, s, 0.5f, 0.5f);
    r.good_social[good] = 1;
    r.bad_social[bad] = 1;
    r.inst[kWelfare].good[good_i] = 1;
    r.inst[kWelfare].bad[bad_i] = 1;
    trust(w, f.tick(1));
    const double up = r.trust[good] - 0.5, down = 0.5 - r.trust[bad];
    const double up_i = r.inst[kWelfare].level[good_i] - 0.5, down_i = 0.5 - r.inst[kWelfare].level[bad_i];
    ASSERT_GT(up, 0.0);
    ASSERT_GT(up_i, 0.0);
    // At trust 0.5 a good step covers `learning` of the distance up, a bad one
    // `learning * negativity` of the distance down: the ratio is the negativity weight.
    EXPECT_NEAR(down / up, negativity, 0.01 * negativity) << "social trust";
    EXPECT_NEAR(down_i / up_i, negativity, 0.01 * negativity) << "institutional trust";
    EXPECT_NEAR(up_i, 0.5 * w.p.institutional_learning, 1e-6);
    // Experiences are consumed.
    EXPECT_EQ(r.good_social[good] + r.bad_social[bad] + r.inst[kWelfare].good[good_i] + r.inst[kWelfare].bad[bad_i], 0);
    // Residents without experiences or ties keep their trust (the disposition anchor holds it).
    EXPECT_FLOAT_EQ(r.inst[kWelfare].level[good], 0.5f);
    EXPECT_FLOAT_EQ(r.trust[good_i], 0.5f);
  }
}

TEST(Trust, TrustIsPulledTowardsTheTieWeightedMeanOfTies) {
  WorldFixture f(1, 1, 300, 22);
  World& w = f.w();
  auto& r = w.res;
  w.p.trust_pull = 5.0;  // per year: a visible step in one week
  const double pull = rate_to_probability(5.0, kWeek);
  const auto adults = f.adults();
  const Slot a = adults[0], b = adults[1], c = adults[2];
  set_trust(w, a, 0.5f, 0.5f);
  set_trust(w, b, 0.9f, 0.8f);
  set_trust(w, c, 0.1f, 0.2f);
  r.ties.strengthen(a, b, 0.8f, kFriend);
  r.ties.strengthen(a, c, 0.2f, kFriend);
  trust(w, f.tick(1));
  // a: towards 0.8 * 0.9 + 0.2 * 0.1 = 0.74 (institutional: half the pull, towards 0.68).
  EXPECT_NEAR(r.trust[a], 0.5 + pull * (0.74 - 0.5), 1e-6);
  EXPECT_NEAR(r.inst[kWelfare].level[a], 0.5 + 0.5 * pull * (0.68 - 0.5), 1e-6);
  // b and c are pulled towards a's value before the tick, from above and from below.
  EXPECT_NEAR(r.trust[b], 0.9 + pull * (0.5 - 0.9), 1e-6);
  EXPECT_NEAR(r.trust[c], 0.1 + pull * (0.5 - 0.1), 1e-6);
}

TEST(Trust, LosingOnesProfessionalCostsInstitutionalTrustInProportionToTheRelationship) {
  // Three team members in the wijk.
  WorldFixture f(1, 1, 300, 23, {}, [](World& w) { w.p.residents_per_professional = 100; });
  World& w = f.w();
  auto& r = w.res;
  const auto team = f.staff(0, kGeneralist);
  ASSERT_GE(team.size(), 2u);
  const Slot leaving = team[0], staying = team[1];
  const auto adults = f.adults();
  const Slot weak = adults[0], strong = adults[1], none = adults[2], other = adults[3];
  for (Slot s : {weak, strong, none, other}) set_trust(w, s, 0.5f, 0.5f);
  const std::pair<Slot, float> links[] = {{leaving, 0.2f}, {leaving, 0.8f}, {leaving, 0.0f}, {staying, 0.8f}};
  const Slot who[] = {weak, strong, none, other};
  for (int k = 0; k < 4; ++k) {
    r.professional[who[k]] = links[k].first;
    r.relationship[who[k]] = links[k].second;
  }
  w.professional_leaves(leaving, 5);
  EXPECT_FALSE(w.pro.pop.alive(leaving));
  for (Slot s : {weak, strong, none}) {
    EXPECT_EQ(r.professional[s], kNoSlot);
    EXPECT_EQ(r.relationship[s], 0.0f);
    EXPECT_EQ(r.professional_lost[s], 5);
  }
  EXPECT_EQ(r.professional[other], staying);
  trust(w, f.tick(5));
  const double step = w.p.institutional_learning * w.p.negativity_weight;
  EXPECT_NEAR(0.5 - r.inst[kWelfare].level[weak], 0.5 * step * 0.2, 1e-6);
  EXPECT_NEAR(0.5 - r.inst[kWelfare].level[strong], 0.5 * step * 0.8, 1e-6);
  EXPECT_FLOAT_EQ(r.inst[kWelfare].level[none], 0.5f);
  EXPECT_FLOAT_EQ(r.inst[kWelfare].level[other], 0.5f);
  // Social trust is not touched.
  EXPECT_FLOAT_EQ(r.trust[strong], 0.5f);
}

// Trust in each institution moves only with the experiences that belong to it: help in time from
// the team (welfare), being heard in the wijkbudget (municipality), a housing consultant's help
// (housing association); a departing housing consultant costs trust in the association, a
// departing generalist trust in welfare. The composite is the mean of the three.
TEST(Trust, EachInstitutionsTrustMovesWithItsOwnExperiencesOnly) {
  WorldFixture f(1, 1, 300, 24);
  World& w = f.w();
  auto& r = w.res;
  const auto adults = f.adults();
  for (int k = 0; k < kInstitutions; ++k) {
    SCOPED_TRACE(k);
    const Slot s = adults[static_cast<std::size_t>(k)];
    w.res.ties.clear(s);
    for (auto& in : r.inst) in.level[s] = 0.5f;
    r.good_experience(s, static_cast<Institution>(k));
    trust(w, f.tick(1 + k));
    for (int m = 0; m < kInstitutions; ++m) {
      if (m == k) EXPECT_GT(r.inst[m].level[s], 0.5f);
      else EXPECT_FLOAT_EQ(r.inst[m].level[s], 0.5f);
    }
    EXPECT_FLOAT_EQ(r.institutional_trust(s), (r.inst[0].level[s] + r.inst[1].level[s] + r.inst[2].level[s]) / 3.0f);
  }
}

TEST(Trust, ALostHousingConsultantCostsTrustInTheAssociationAGeneralistInWelfare) {
  WorldFixture f(1, 1, 3000, 25);
  World& w = f.w();
  auto& r = w.res;
  const auto consultants = f.staff(0, kHousingConsultant), generalists = f.staff(0, kGeneralist);
  ASSERT_FALSE(consultants.empty());
  ASSERT_FALSE(generalists.empty());
  const auto adults = f.adults();
  const Slot a = adults[0], b = adults[1];
  r.professional[a] = consultants[0];
  r.relationship[a] = 0.5f;
  r.professional[b] = generalists[0];
  r.relationship[b] = 0.5f;
  for (auto& in : r.inst) in.bad_weight[a] = in.bad_weight[b] = 0;
  w.professional_leaves(consultants[0], 1);
  w.professional_leaves(generalists[0], 1);
  EXPECT_GT(r.inst[kHousing].bad_weight[a], 0.0f);
  EXPECT_FLOAT_EQ(r.inst[kWelfare].bad_weight[a], 0.0f);
  EXPECT_GT(r.inst[kWelfare].bad_weight[b], 0.0f);
  EXPECT_FLOAT_EQ(r.inst[kHousing].bad_weight[b], 0.0f);
  EXPECT_FLOAT_EQ(r.inst[kMunicipality].bad_weight[a] + r.inst[kMunicipality].bad_weight[b], 0.0f);
}

}  // namespace
}  // namespace buurtlab::neighbourhood::testing
