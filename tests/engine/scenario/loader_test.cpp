// Scenarios that load: what each key of the format turns into, extends chains, overrides and the
// round trip through Scenario::resolved_yaml. Errors are in loader_errors_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>

#include "loader_fixture.hpp"

namespace buurtlab::testing {
namespace {

double param(const Scenario& sc, const char* name) { return sc.parameters.get(name); }
double attr(const PlaceSpec& p, const char* name) { return p.attributes.get(name); }
Date date(const char* iso) { return *Date::parse(iso); }

TEST(ScenarioLoader, FullScenarioResolvesEveryKey) {
  const Scenario sc = load_scenario(scenario_data("full.yaml"), loader_models());
  EXPECT_EQ(sc.name, "full");
  EXPECT_EQ(sc.description,
            "Does a tender every two years change trust? Watch trust in the wijken.\n");
  EXPECT_EQ(sc.model, "loadermodel");
  EXPECT_EQ(sc.start, date("2026-01-01"));
  EXPECT_EQ(sc.duration.count, 10);
  EXPECT_EQ(sc.duration.unit, TimeUnit::year);
  EXPECT_EQ(sc.tick.count, 1);
  EXPECT_EQ(sc.tick.unit, TimeUnit::month);
  EXPECT_EQ(sc.ticks(), 120u);
  EXPECT_EQ(sc.spin_up.count, 2);
  EXPECT_EQ(sc.spin_up.unit, TimeUnit::year);
  EXPECT_EQ(sc.spin_up_ticks(), 24u);
  EXPECT_EQ(sc.seed, 18446744073709551615ull);
  EXPECT_EQ(sc.replicates, 3u);
  EXPECT_EQ(sc.output.file, "out/full.h5");
  EXPECT_EQ(sc.output.flush_every, 12u);
  EXPECT_EQ(sc.source_file, scenario_data("full.yaml"));
}

TEST(ScenarioLoader, PlacesAreListedCityThenEachWijkWithItsBuurten) {
  const Scenario sc = load_scenario(scenario_data("full.yaml"), loader_models());
  struct Expect {
    const char* code;
    const char* name;
    PlaceLevel level;
    std::optional<PlaceIndex> parent;
    std::int64_t population;
  };
  const std::vector<Expect> expect = {
      {"GM0268", "Nijmegen", PlaceLevel::city, std::nullopt, 3000},
      {"WK026801", "Centrum", PlaceLevel::wijk, 0, 2000},
      {"BU02680101", "Stadscentrum", PlaceLevel::buurt, 1, 1200},
      {"BU02680102", "BU02680102", PlaceLevel::buurt, 1, 800},
      {"WK026802", "WK026802", PlaceLevel::wijk, 0, 1000},
      // Generated: 1000 residents over 3 buurten, the remainder to the first.
      {"WK026802-B1", "WK026802-B1", PlaceLevel::buurt, 4, 334},
      {"WK026802-B2", "WK026802-B2", PlaceLevel::buurt, 4, 333},
      {"WK026802-B3", "WK026802-B3", PlaceLevel::buurt, 4, 333},
  };
  ASSERT_EQ(sc.places.size(), expect.size());
  for (std::size_t i = 0; i < expect.size(); ++i) {
    SCOPED_TRACE(expect[i].code);
    EXPECT_EQ(sc.places[i].code, expect[i].code);
    EXPECT_EQ(sc.places[i].name, expect[i].name);
    EXPECT_EQ(sc.places[i].level, expect[i].level);
    EXPECT_EQ(sc.places[i].parent, expect[i].parent);
    EXPECT_EQ(sc.places[i].population, expect[i].population);
  }
}

TEST(ScenarioLoader, PlaceAttributesInheritCityThenWijkThenBuurt) {
  const Scenario sc = load_scenario(scenario_data("full.yaml"), loader_models());
  const auto& p = sc.places;
  // City: its own median, defaults for the rest.
  EXPECT_EQ(attr(p[0], "income.median"), 32000);
  EXPECT_EQ(attr(p[0], "income.gini"), 0.3);
  EXPECT_EQ(attr(p[0], "social_housing_share"), 0.3);
  // Wijk 1 overrides two, inherits the city's median.
  EXPECT_EQ(attr(p[1], "social_housing_share"), 0.5);
  EXPECT_EQ(attr(p[1], "income.gini"), 0.4);
  EXPECT_EQ(attr(p[1], "income.median"), 32000);
  // Its buurten inherit from the wijk; the second overrides the median (nested form).
  EXPECT_EQ(attr(p[2], "income.gini"), 0.4);
  EXPECT_EQ(attr(p[2], "income.median"), 32000);
  EXPECT_EQ(attr(p[3], "income.median"), 25000);
  EXPECT_EQ(attr(p[3], "social_housing_share"), 0.5);
  // Wijk 2 has the city's values; its generated buurten share the generator's attributes.
  EXPECT_EQ(attr(p[4], "income.gini"), 0.3);
  for (int i = 5; i < 8; ++i) {
    EXPECT_EQ(attr(p[i], "income.gini"), 0.2);
    EXPECT_EQ(attr(p[i], "income.median"), 32000);
    EXPECT_EQ(attr(p[i], "social_housing_share"), 0.3);
  }
}

TEST(ScenarioLoader, NestedAndDottedParametersOfEveryType) {
  const Scenario sc = load_scenario(scenario_data("full.yaml"), loader_models());
  EXPECT_EQ(param(sc, "procurement.tender_interval"), 2);
  EXPECT_EQ(param(sc, "procurement.transfer_share"), 0.35);
  EXPECT_EQ(param(sc, "trust.negativity_weight"), 3);
  EXPECT_EQ(param(sc, "trust.decay"), 0.1);  // default
  EXPECT_EQ(param(sc, "volunteering.enabled"), 0.0);
  EXPECT_EQ(param(sc, "housing.policy"), 2.0);  // "mixed" is choice 2
  EXPECT_EQ(sc.parameters.changed().size(), 5u);
}

TEST(ScenarioLoader, TimelineEventsWithRepetitionSetsAndHooks) {
  const Scenario sc = load_scenario(scenario_data("full.yaml"), loader_models());
  const ParamSchema& schema = loader_models().find("loadermodel")->parameters();
  ASSERT_EQ(sc.timeline.size(), 3u);

  const TimelineEvent& tender = sc.timeline[0];
  EXPECT_EQ(tender.label, "tender round");
  EXPECT_EQ(tender.at, date("2028-01-01"));
  ASSERT_TRUE(tender.every);
  EXPECT_EQ(tender.every->text(), "2 years");
  ASSERT_TRUE(tender.until);
  EXPECT_EQ(*tender.until, date("2034-01-01"));
  ASSERT_EQ(tender.set.size(), 1u);
  EXPECT_EQ(tender.set[0].first, *schema.index_of("procurement.transfer_share"));
  EXPECT_EQ(tender.set[0].second, 0.3);
  EXPECT_EQ(tender.hook, "procurement_round");
  EXPECT_EQ(tender.hook_args.get("change_probability"), 0.25);
  EXPECT_EQ(tender.hook_args.get("budget"), 0.0);  // declared default
  EXPECT_TRUE(Contains(tender.where.text(), "full.yaml:39:5"));

  const TimelineEvent& decay = sc.timeline[1];
  EXPECT_FALSE(decay.every);
  EXPECT_FALSE(decay.until);
  ASSERT_EQ(decay.set.size(), 1u);
  EXPECT_EQ(decay.set[0].first, *schema.index_of("trust.decay"));  // nested under `set`
  EXPECT_EQ(decay.set[0].second, 0.2);
  EXPECT_TRUE(decay.hook.empty());

  EXPECT_EQ(sc.timeline[2].hook, "close_library");  // after the run's end: not an error
  EXPECT_EQ(sc.timeline[2].hook_args.size(), 0u);
}

TEST(ScenarioLoader, DefaultsForOptionalKeys) {
  const std::string yaml =
      "model: loadermodel\nstart: 2026-03-01\nduration: 2 years\n"
      "places:\n  wijken:\n    - code: W1\n      buurten:\n        - {code: B1, population: 5}\n";
  const Scenario sc = load_scenario_text(yaml, "some/dir/quiet_street.yaml", loader_models());
  EXPECT_EQ(sc.name, "quiet_street");  // the file's stem
  EXPECT_EQ(sc.description, "");
  EXPECT_EQ(sc.tick.text(), "1 week");
  EXPECT_EQ(sc.spin_up.count, 0);  // none
  EXPECT_EQ(sc.spin_up_ticks(), 0u);
  EXPECT_EQ(sc.seed, 1u);
  EXPECT_EQ(sc.replicates, 1u);
  EXPECT_EQ(sc.output.file, "quiet_street.h5");
  EXPECT_EQ(sc.output.flush_every, 52u);
  EXPECT_TRUE(sc.timeline.empty());
  EXPECT_TRUE(sc.parameters.changed().empty());
  EXPECT_EQ(sc.source_file, "some/dir/quiet_street.yaml");
  ASSERT_EQ(sc.places.size(), 3u);
  EXPECT_EQ(sc.places[0].level, PlaceLevel::city);
  EXPECT_EQ(sc.places[1].name, "W1");  // name defaults to the code
  EXPECT_EQ(sc.places[0].population, 5);
}

TEST(ScenarioLoader, SpinUpIsAPeriodBeforeTheStart) {
  const std::string base =
      "model: loadermodel\nstart: 2026-01-01\nduration: 2 years\n"
      "places:\n  wijken:\n    - code: W1\n      buurten:\n        - {code: B1, population: 5}\n";
  const Scenario years = load_scenario_text(base + "spin_up: 5 years\n", "s.yaml", loader_models());
  EXPECT_EQ(years.spin_up.text(), "5 years");
  // 2021-01-01 .. 2026-01-01 is 1826 days: 260 weeks and 6 days, so 261 weekly ticks.
  EXPECT_EQ(years.spin_up_ticks(), 261u);
  EXPECT_EQ(years.ticks(), 105u) << "the scenario's own ticks do not change";
  EXPECT_TRUE(Contains(years.resolved_yaml, "duration: 2 years\nspin_up: 5 years\n"));

  const Scenario weeks = load_scenario_text(base + "spin_up: 26 weeks\ntick: 1 month\n", "s.yaml",
                                            loader_models());
  EXPECT_EQ(weeks.spin_up_ticks(), 6u) << "182 days back from 1 January: 6 whole months";

  for (const char* none : {"0", "0 years", "00 weeks"}) {
    const Scenario sc =
        load_scenario_text(base + "spin_up: " + none + "\n", "s.yaml", loader_models());
    EXPECT_EQ(sc.spin_up.count, 0) << none;
    EXPECT_EQ(sc.spin_up_ticks(), 0u) << none;
  }

  // Written out when not given, and read back the same.
  const Scenario quiet = load_scenario_text(base, "s.yaml", loader_models());
  EXPECT_TRUE(Contains(quiet.resolved_yaml, "duration: 2 years\nspin_up: 0\n"));
  const Scenario again = load_scenario_text(years.resolved_yaml, "r.yaml", loader_models());
  EXPECT_EQ(again.spin_up_ticks(), 261u);

  // An override, as --set spin_up=... gives it.
  const Scenario set =
      load_scenario_text(base, "s.yaml", loader_models(), {{"spin_up", "3 years"}});
  EXPECT_EQ(set.spin_up.text(), "3 years");
  EXPECT_EQ(set.spin_up_ticks(), 157u);  // 1096 days: 156 weeks and 4 days
}

TEST(ScenarioLoader, TestModelScenarioLoads) {
  const Scenario sc = load_scenario_text(test_scenario_yaml(2, 3, 400, 2, 7), "test.yaml",
                                         loader_models());
  EXPECT_EQ(sc.model, "testmodel");
  EXPECT_EQ(sc.places.size(), 1u + 2u * (1u + 3u));
  EXPECT_EQ(sc.places[0].population, 2400);
  EXPECT_EQ(sc.seed, 7u);
  EXPECT_EQ(sc.places.back().attributes.get("initial_value"), 0.3 + 0.1 * 2);
  ASSERT_EQ(sc.timeline.size(), 2u);
  EXPECT_EQ(sc.timeline[0].hook_args.get("size"), 0.05);
}

TEST(ScenarioLoader, ExtendsMergesMapsKeyByKeyAndReplacesLists) {
  const Scenario sc = load_scenario(scenario_data("child.yaml"), loader_models());
  EXPECT_EQ(sc.name, "child");
  EXPECT_EQ(sc.seed, 11u);  // from the base
  EXPECT_EQ(sc.duration.text(), "5 years");
  EXPECT_EQ(param(sc, "procurement.transfer_share"), 0.4);  // the nested key the child changed
  EXPECT_EQ(param(sc, "procurement.tender_interval"), 3);   // its sibling, from the base
  EXPECT_EQ(param(sc, "trust.negativity_weight"), 4);
  EXPECT_EQ(sc.places[0].name, "Basestad");
  EXPECT_EQ(attr(sc.places[0], "income.median"), 28000);  // base
  EXPECT_EQ(attr(sc.places[0], "income.gini"), 0.5);      // child
  EXPECT_TRUE(sc.timeline.empty());                       // the child's [] replaced the list
  EXPECT_EQ(sc.source_file, scenario_data("child.yaml"));
}

TEST(ScenarioLoader, ThreeLevelChainWithRelativePaths) {
  const Scenario sc = load_scenario(scenario_data("level3.yaml"), loader_models());
  EXPECT_EQ(sc.name, "base");  // inherited like any other key
  EXPECT_EQ(sc.seed, 22u);     // level 2
  EXPECT_EQ(sc.replicates, 2u);  // level 3
  EXPECT_EQ(param(sc, "trust.negativity_weight"), 6);  // level 3 over 2 over base
  EXPECT_EQ(param(sc, "procurement.tender_interval"), 3);  // base
  ASSERT_EQ(sc.timeline.size(), 1u);
  EXPECT_EQ(sc.timeline[0].set[0].second, 0.5);
}

TEST(ScenarioLoader, OverridesApplyToTheMergedTree) {
  const Scenario sc = load_scenario(scenario_data("child.yaml"), loader_models(),
                                    {{"parameters.trust.negativity_weight", "7"},
                                     {"parameters.procurement.tender_interval", "5"},
                                     {"seed", "99"},
                                     {"name", "'quoted name'"},
                                     {"places.wijken.0.buurten.count", "4"},
                                     {"places.attributes.income.gini", "0.25"},
                                     {"output.flush_every", "26"}});
  EXPECT_EQ(param(sc, "trust.negativity_weight"), 7);
  EXPECT_EQ(param(sc, "procurement.tender_interval"), 5);
  EXPECT_EQ(param(sc, "procurement.transfer_share"), 0.4);
  EXPECT_EQ(sc.seed, 99u);
  EXPECT_EQ(sc.name, "quoted name");
  EXPECT_EQ(sc.output.file, "quoted name.h5");
  EXPECT_EQ(sc.output.flush_every, 26u);
  EXPECT_EQ(sc.places.size(), 1u + 1u + 4u);
  EXPECT_EQ(attr(sc.places[0], "income.gini"), 0.25);
}

TEST(ScenarioLoader, OverrideReachesIntoTheTimeline) {
  const Scenario sc = load_scenario(scenario_data("full.yaml"), loader_models(),
                                    {{"timeline.0.args.change_probability", "0.9"},
                                     {"timeline.1.set.trust.decay", "0.7"}});
  EXPECT_EQ(sc.timeline[0].hook_args.get("change_probability"), 0.9);
  EXPECT_EQ(sc.timeline[1].set[0].second, 0.7);
}

// Everything that two loads of the same scenario must agree on.
void expect_same(const Scenario& a, const Scenario& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.start, b.start);
  EXPECT_EQ(a.duration.text(), b.duration.text());
  EXPECT_EQ(a.spin_up.text(), b.spin_up.text());
  EXPECT_EQ(a.tick.text(), b.tick.text());
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.replicates, b.replicates);
  EXPECT_EQ(a.output.file, b.output.file);
  EXPECT_EQ(a.output.flush_every, b.output.flush_every);
  ASSERT_EQ(a.places.size(), b.places.size());
  for (std::size_t i = 0; i < a.places.size(); ++i) {
    SCOPED_TRACE(a.places[i].code);
    EXPECT_EQ(a.places[i].code, b.places[i].code);
    EXPECT_EQ(a.places[i].name, b.places[i].name);
    EXPECT_EQ(a.places[i].level, b.places[i].level);
    EXPECT_EQ(a.places[i].parent, b.places[i].parent);
    EXPECT_EQ(a.places[i].population, b.places[i].population);
    ASSERT_EQ(a.places[i].attributes.size(), b.places[i].attributes.size());
    for (std::size_t k = 0; k < a.places[i].attributes.size(); ++k)
      EXPECT_EQ(a.places[i].attributes.at(k), b.places[i].attributes.at(k));
  }
  ASSERT_EQ(a.parameters.size(), b.parameters.size());
  for (std::size_t k = 0; k < a.parameters.size(); ++k)
    EXPECT_EQ(a.parameters.at(k), b.parameters.at(k));
  ASSERT_EQ(a.timeline.size(), b.timeline.size());
  for (std::size_t i = 0; i < a.timeline.size(); ++i) {
    const auto &x = a.timeline[i], &y = b.timeline[i];
    EXPECT_EQ(x.label, y.label);
    EXPECT_EQ(x.at, y.at);
    EXPECT_EQ(x.every.has_value(), y.every.has_value());
    if (x.every && y.every) {
      EXPECT_EQ(x.every->text(), y.every->text());
    }
    EXPECT_EQ(x.until, y.until);
    EXPECT_EQ(x.set, y.set);
    EXPECT_EQ(x.hook, y.hook);
    ASSERT_EQ(x.hook_args.size(), y.hook_args.size());
    for (std::size_t k = 0; k < x.hook_args.size(); ++k)
      EXPECT_EQ(x.hook_args.at(k), y.hook_args.at(k));
  }
}

TEST(ScenarioLoader, ResolvedYamlLoadsBackToTheSameScenario) {
  for (const char* file : {"full.yaml", "child.yaml", "level3.yaml"}) {
    SCOPED_TRACE(file);
    const Scenario a = load_scenario(scenario_data(file), loader_models(),
                                     {{"parameters.trust.decay", "0.125"}});
    EXPECT_FALSE(Contains(a.resolved_yaml, "extends"));
    const Scenario b = load_scenario_text(a.resolved_yaml, "resolved.yaml", loader_models());
    expect_same(a, b);
    EXPECT_EQ(b.parameters.get("trust.decay"), 0.125);
    // Resolving is idempotent: the resolved text of the resolved text is the same text.
    EXPECT_EQ(a.resolved_yaml, b.resolved_yaml);
  }
}

TEST(ScenarioLoader, ResolvedYamlKeepsAwkwardTextExactly) {
  const std::string yaml =
      "name: 'null'\n"
      "description: |\n  First line.\n\n  Second: with a colon.\n\n\n"
      "model: loadermodel\nstart: 2026-03-01\nduration: 2 years\n"
      "places:\n  city: \"~\"\n  code: '0268'\n  wijken:\n"
      "    - {code: 'a: b', name: '  spaced  ', buurten: [{code: '#1', population: 5}]}\n"
      "timeline:\n  - {label: '', at: 2027-01-01, call: close_library}\n";
  const Scenario a = load_scenario_text(yaml, "awkward.yaml", loader_models());
  EXPECT_EQ(a.name, "null");
  EXPECT_EQ(a.description, "First line.\n\nSecond: with a colon.\n");
  EXPECT_EQ(a.places[0].name, "~");
  EXPECT_EQ(a.places[0].code, "0268");
  EXPECT_EQ(a.places[1].code, "a: b");
  EXPECT_EQ(a.places[1].name, "  spaced  ");
  EXPECT_EQ(a.places[2].code, "#1");
  const Scenario b = load_scenario_text(a.resolved_yaml, "resolved.yaml", loader_models());
  expect_same(a, b);
  EXPECT_EQ(a.resolved_yaml, b.resolved_yaml);
}

TEST(ScenarioLoader, ResolvedYamlRecordsDefaultsExplicitly) {
  const std::string yaml =
      "model: loadermodel\nstart: 2026-03-01\nduration: 2 years\n"
      "places:\n  wijken:\n    - code: W1\n      buurten:\n        - {code: B1, population: 5}\n";
  const Scenario a = load_scenario_text(yaml, "quiet.yaml", loader_models());
  // Loaded under another name, the defaults that depend on the name must not change.
  const Scenario b = load_scenario_text(a.resolved_yaml, "other.yaml", loader_models());
  expect_same(a, b);
  EXPECT_TRUE(Contains(a.resolved_yaml, "name: quiet\n"));
  EXPECT_TRUE(Contains(a.resolved_yaml, "seed: 1\n"));
  EXPECT_TRUE(Contains(a.resolved_yaml, "tick: 1 week\n"));
  EXPECT_TRUE(Contains(a.resolved_yaml, "trust.decay: 0.1\n"));       // a default parameter
  EXPECT_TRUE(Contains(a.resolved_yaml, "housing.policy: market\n"));  // a choice by name
  EXPECT_TRUE(Contains(a.resolved_yaml, "income.median: 30000\n"));   // a default attribute
  EXPECT_TRUE(Contains(a.resolved_yaml, "file: quiet.h5\n"));
}

TEST(ScenarioLoader, ScenarioValuesNameEveryLeafAsAnOverride) {
  const Scenario a = load_scenario(scenario_data("full.yaml"), loader_models(),
                                   {{"parameters.trust.decay", "0.125"},
                                    {"timeline.1.set.trust.decay", "0.7"}});
  const std::vector<Override> values = scenario_values(a.resolved_yaml, "resolved.yaml");
  auto value = [&](const std::string& key) -> std::string {
    for (const Override& o : values)
      if (o.key == key) return o.value;
    return "(missing)";
  };
  // The keys are the ones --set takes, and the values what was set.
  EXPECT_EQ(value("parameters.trust.decay"), "0.125");
  EXPECT_EQ(value("timeline.1.set.trust.decay"), "0.7");
  EXPECT_EQ(value("seed"), std::to_string(a.seed));
  EXPECT_EQ(value("model"), "loadermodel");
  // Leaves only, in the order written.
  EXPECT_EQ(values.front().key, "name");
  EXPECT_EQ(value("timeline"), "(missing)");

  const auto odd = scenario_values("a: ~\nb: []\nc: {}\nd: [x, {e: 1}]\n", "odd.yaml");
  const std::vector<std::pair<std::string, std::string>> want = {
      {"a", "~"}, {"b", "[]"}, {"c", "{}"}, {"d.0", "x"}, {"d.1.e", "1"}};
  ASSERT_EQ(odd.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(odd[i].key, want[i].first);
    EXPECT_EQ(odd[i].value, want[i].second);
  }
  EXPECT_TRUE(Contains(input_error([] { scenario_values("a: [b", "bad.yaml"); }), "bad.yaml"));
}

TEST(ScenarioLoader, BuiltinNamesAreSortedAndAnUnknownOneIsAnError) {
  const auto names = builtin_scenarios();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  const std::string msg = input_error(
      [] { load_scenario("builtin:no_such_scenario.yaml", loader_models()); });
  EXPECT_TRUE(Contains(msg, "builtin:no_such_scenario.yaml: cannot load scenario: no such "
                             "built-in scenario"));
}

}  // namespace
}  // namespace buurtlab::testing
