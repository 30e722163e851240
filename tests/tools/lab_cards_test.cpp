// The lab's cards (tools/buurtlab/lab/cards.cpp): a lever's value from the page becomes exactly
// the scenario override `buurtlab run --set` would take, out-of-range or malformed values are
// refused with a message naming the lever, the value and what was expected, and every card's
// scenario loads with each lever at its ends.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/scenario_loader.hpp"
#include "lab/cards.hpp"
#include "registry.hpp"
#include "text.hpp"

namespace buurtlab::lab {
namespace {

const Lever& lever(const std::string& card, const std::string& id) {
  const Card* c = find_card(card);
  EXPECT_NE(c, nullptr) << card;
  for (const Lever& l : c->levers)
    if (l.id == id) return l;
  throw std::runtime_error("no lever " + id);
}

TEST(LabCards, NumbersBecomeTheOverrideTheCommandLineTakes) {
  const LeverValue v = lever_override(lever("budget", "budget_change"), "-0.3");
  ASSERT_TRUE(v.set) << v.error;
  EXPECT_EQ(v.set->key, "timeline.0.args.change");
  EXPECT_EQ(v.set->value, "-0.3");
  const LeverValue y = lever_override(lever("budget", "lever_year"), "2030");
  ASSERT_TRUE(y.set) << y.error;
  EXPECT_EQ(y.set->value, "2030-01-01");
  const LeverValue b = lever_override(lever("housing", "welfare_role"), "false");
  ASSERT_TRUE(b.set);
  EXPECT_EQ(b.set->key, "timeline.0.set.housing.welfare_role");
  EXPECT_EQ(b.set->value, "false");
}

TEST(LabCards, RefusesWhatTheSliderCannotGive) {
  const Lever& change = lever("budget", "budget_change");
  EXPECT_EQ(lever_override(change, "0.5").error,
            "lever budget_change: '0.5' is not a number from -0.5 to 0.25");
  EXPECT_FALSE(lever_override(change, "").set);
  EXPECT_FALSE(lever_override(change, "-0.1x").set);
  EXPECT_FALSE(lever_override(change, "nan").set);
  EXPECT_FALSE(lever_override(lever("budget", "lever_year"), "2030.5").set);
  EXPECT_EQ(lever_override(lever("energy", "energy_mode"), "bottom_up").error,
            "lever energy_mode: 'bottom_up' is not one of top_down, community_led");
  EXPECT_EQ(lever_override(lever("housing", "welfare_role"), "yes").error,
            "lever welfare_role: 'yes' is not true or false");
}

TEST(LabCards, DefaultsComeFromTheScenario) {
  const ModelRegistry models = builtin_models();
  const Scenario sc = load_scenario("builtin:cuts-2015.yaml", models);
  const auto values = scenario_values(sc.resolved_yaml, sc.source_file);
  EXPECT_EQ(lever_default(lever("budget", "budget_change"), values), "-0.25");
  EXPECT_EQ(lever_default(lever("budget", "lever_year"), values), "2027");
  // urgent-allocation-40 does not mention the welfare role: the model's default.
  const Scenario u = load_scenario("builtin:urgent-allocation-40.yaml", models);
  EXPECT_EQ(lever_default(lever("housing", "welfare_role"),
                          scenario_values(u.resolved_yaml, u.source_file)),
            "true");
}

TEST(LabCards, EveryCardLoadsWithEachLeverAtItsEnds) {
  const ModelRegistry models = builtin_models();
  const Model* model = models.find("neighbourhood");
  ASSERT_NE(model, nullptr);
  std::set<std::string> ids;
  for (const Card& c : cards()) {
    EXPECT_TRUE(ids.insert(c.id).second) << "two cards named " << c.id;
    for (const std::string& w : c.watch) EXPECT_TRUE(model->indicator_index(w)) << c.id << ": " << w;
    for (const Lever& l : c.levers) {
      std::vector<std::string> values;
      if (l.kind == Lever::Kind::choice) values = l.choices;
      else if (l.kind == Lever::Kind::boolean) values = {"true", "false"};
      else values = {text::exact(l.min), text::exact(l.max)};
      for (const std::string& v : values) {
        const LeverValue o = lever_override(l, v);
        ASSERT_TRUE(o.set) << c.id << ": " << o.error;
        EXPECT_NO_THROW(load_scenario(c.scenario, models, {*o.set})) << c.id << ' ' << l.id << '=' << v;
      }
    }
  }
}

}  // namespace
}  // namespace buurtlab::lab
