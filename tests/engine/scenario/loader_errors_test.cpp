// Scenarios that do not load: each class of error, with the file, line, column and key it must
// name, and several errors reported together.
#include <gtest/gtest.h>

#include "loader_fixture.hpp"

namespace buurtlab::testing {
namespace {

// A valid scenario of nine lines; tests append lines from line 10 on.
const std::string kValid =
    "model: loadermodel\n"                 // 1
    "start: 2026-01-01\n"                  // 2
    "duration: 2 years\n"                  // 3
    "places:\n"                            // 4
    "  city: Stad\n"                       // 5
    "  wijken:\n"                          // 6
    "    - code: W1\n"                     // 7
    "      buurten:\n"                     // 8
    "        - {code: B1, population: 10}\n";  // 9

TEST(ScenarioLoaderErrors, ValidBaseTextLoads) {
  EXPECT_NO_THROW(load_scenario_text(kValid, "inline.yaml", loader_models()));
}

TEST(ScenarioLoaderErrors, UnknownKeySuggestsTheClosestAllowedOne) {
  const std::string msg = text_error(kValid + "seeed: 3\n");
  EXPECT_EQ(msg, "inline.yaml:10:1: seeed: unknown key (did you mean 'seed'?)\n");
}

TEST(ScenarioLoaderErrors, UnknownKeyWithoutSuggestionListsTheAllowedKeys) {
  const std::string msg = text_error(kValid + "output: {compression: 9}\n");
  EXPECT_EQ(msg, "inline.yaml:10:10: output.compression: unknown key (allowed here: file, "
                 "flush_every)\n");
}

TEST(ScenarioLoaderErrors, UnknownKeysDeepInPlacesAndTimeline) {
  const std::string msg = text_error(
      "model: loadermodel\nstart: 2026-01-01\nduration: 2 years\nplaces:\n  wijken:\n"
      "    - code: W1\n      nmae: Noord\n      buurten:\n"
      "        - {code: B1, populaton: 10, population: 10}\n"
      "timeline:\n  - {at: 2027-01-01, cal: close_library}\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:7:7: places.wijken.0.nmae: unknown key (did you mean "
                            "'places.wijken.0.name'?)"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:9:22: places.wijken.0.buurten.0.populaton: unknown key "
                            "(did you mean 'places.wijken.0.buurten.0.population'?)"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:11:22: timeline.0.cal: unknown key (did you mean "
                            "'timeline.0.call'?)"));
}

TEST(ScenarioLoaderErrors, WrongTypes) {
  const std::string msg = text_error(
      "model: loadermodel\n"
      "start: {year: 2026}\n"
      "duration: forever\n"
      "places:\n  wijken:\n    - code: W1\n      buurten:\n        - {code: B1, population: 10}\n"
      "seed: 1.5\n"         // 9
      "replicates: [1]\n"   // 10
      "tick: \n"            // 11
      "name: {a: 1}\n"      // 12
      "timeline:\n"
      "  - {at: tomorrow, call: close_library}\n"  // 14
      "  - at: 2027-01-01\n"
      "    every: often\n"  // 16
      "    call: close_library\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:2:8: start: got a map, expected a date YYYY-MM-DD\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:3:11: duration: got forever, expected a period such as "
                            "'1 week', '3 months' or '10 years'\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:9:7: seed: got 1.5, expected an integer in [0, "
                            "18446744073709551615]\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:10:13: replicates: got a list, expected an integer in "
                            "[1, 100000]\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:11:1: tick: got nothing, expected a period"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:12:7: name: got a map, expected a name (text)\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:14:10: timeline.0.at: got tomorrow, expected a date "
                            "YYYY-MM-DD\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:16:12: timeline.1.every: got often, expected a period"));
  EXPECT_EQ(error_count(msg), 8u);
}

TEST(ScenarioLoaderErrors, OutOfRangeValues) {
  const std::string msg = text_error(kValid +
                                     "replicates: 0\n"           // 10
                                     "seed: -1\n"                // 11
                                     "output: {flush_every: 0}\n"  // 12
                                     "parameters:\n"
                                     "  trust.decay: 2\n"        // 14
                                     "  procurement:\n"
                                     "    tender_interval: 2.5\n"  // 16
                                     "  housing.policy: communal\n"  // 17
                                     "  volunteering.enabled: yes\n");  // 18
  EXPECT_TRUE(Contains(msg, "inline.yaml:10:13: replicates: got 0, expected an integer in [1, "
                            "100000]\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:11:7: seed: got -1, expected an integer in [0, "
                            "18446744073709551615]\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:12:23: output.flush_every: got 0, expected a number of "
                            "ticks >= 1\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:14:16: parameters.trust.decay: got 2, expected a number "
                            "in [0, 1]\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:16:22: parameters.procurement.tender_interval: got 2.5, "
                            "expected an integer in [1, 20]\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:17:19: parameters.housing.policy: got communal, "
                            "expected one of: market, social, mixed\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:18:25: parameters.volunteering.enabled: got yes, "
                            "expected true or false\n"));
  EXPECT_EQ(error_count(msg), 7u);
}

TEST(ScenarioLoaderErrors, SpinUpMustBeAPeriodOrNone) {
  const std::string expected = "expected a period such as '5 years' or '26 weeks', or 0 for none\n";
  EXPECT_EQ(text_error(kValid + "spin_up: five years\n"),
            "inline.yaml:10:10: spin_up: got five years, " + expected);
  EXPECT_EQ(text_error(kValid + "spin_up: -1 years\n"),
            "inline.yaml:10:10: spin_up: got -1 years, " + expected);
  EXPECT_EQ(text_error(kValid + "spin_up: 5 fortnights\n"),
            "inline.yaml:10:10: spin_up: got 5 fortnights, " + expected);
  EXPECT_EQ(text_error(kValid + "spin_up: 0 aeons\n"),
            "inline.yaml:10:10: spin_up: got 0 aeons, " + expected);
  EXPECT_EQ(text_error(kValid + "spin_up: {years: 5}\n"),
            "inline.yaml:10:10: spin_up: got a map, " + expected);
  EXPECT_EQ(text_error(kValid + "spin_up:\n"),
            "inline.yaml:10:1: spin_up: got nothing, " + expected);
  // It must begin within the calendar.
  EXPECT_EQ(text_error(kValid + "spin_up: 600 years\n", {{"start", "0500-01-01"}}),
            "inline.yaml:10:10: spin_up: got 600 years, expected a spin-up that begins on or "
            "after 0001-01-01 (the start is 0500-01-01)\n");
  // And last at most 1,000 years (limits.hpp), checked first.
  EXPECT_EQ(text_error(kValid + "spin_up: 2026 years\n"),
            "inline.yaml:10:10: spin_up: got 2026 years, expected a period of at most 1000 years, "
            "or 0 for none\n");
  EXPECT_EQ(text_error(kValid + "spin_up: 2000000000 months\n"),
            "inline.yaml:10:10: spin_up: got 2000000000 months, expected a period of at most "
            "1000 years, or 0 for none\n");
  EXPECT_EQ(text_error(kValid + "spinup: 5 years\n"),
            "inline.yaml:10:1: spinup: unknown key (did you mean 'spin_up'?)\n");
  EXPECT_EQ(text_error(kValid, {{"spin_up", "long"}}),
            "<command line>: spin_up: got long, " + expected);
}

TEST(ScenarioLoaderErrors, MultiLineValuesStayOnOneMessageLine) {
  const std::string msg = text_error(kValid + "tick: |\n  one\n  week\n");
  EXPECT_EQ(msg, "inline.yaml:10:7: tick: got one\\nweek\\n, expected a period such as '1 week', "
                 "'3 months' or '10 years'\n");
}

TEST(ScenarioLoaderErrors, SeedBeyondSixtyFourBits) {
  const std::string msg = text_error(kValid + "seed: 18446744073709551616\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:10:7: seed: got 18446744073709551616, expected"));
}

TEST(ScenarioLoaderErrors, MissingRequiredKeys) {
  const std::string msg = text_error("name: empty\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:1:1: model: missing required key (the model to run)\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:1:1: start: missing required key"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:1:1: duration: missing required key"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:1:1: places: missing required key"));
  EXPECT_EQ(error_count(msg), 4u);
  // An empty file is an empty map, missing the same keys.
  const std::string empty = text_error("");
  EXPECT_TRUE(Contains(empty, "inline.yaml:1:1: model: missing required key"));
  EXPECT_EQ(error_count(empty), 4u);
}

TEST(ScenarioLoaderErrors, PlacesNeedAWijkWithABuurt) {
  EXPECT_TRUE(Contains(text_error("model: loadermodel\nstart: 2026-01-01\nduration: 1 year\n"
                                  "places:\n  city: Stad\n"),
                       "inline.yaml:5:3: places.wijken: missing required key (a list of wijken)"));
  EXPECT_TRUE(Contains(text_error("model: loadermodel\nstart: 2026-01-01\nduration: 1 year\n"
                                  "places:\n  wijken: []\n"),
                       "inline.yaml:5:11: places.wijken: got a list, expected a list of at least "
                       "one wijk"));
  const std::string msg = text_error(
      "model: loadermodel\nstart: 2026-01-01\nduration: 1 year\nplaces:\n  wijken:\n"
      "    - code: W1\n      buurten: []\n"
      "    - name: no code\n      buurten:\n        - {name: B}\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:7:16: places.wijken.0.buurten: got a list, expected at "
                            "least one buurt"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:8:7: places.wijken.1.code: missing required key"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:10:11: places.wijken.1.buurten.0.code: missing required "
                            "key"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:10:11: places.wijken.1.buurten.0.population: missing "
                            "required key"));
}

TEST(ScenarioLoaderErrors, NegativePopulation) {
  const std::string msg = text_error(
      "model: loadermodel\nstart: 2026-01-01\nduration: 1 year\nplaces:\n  wijken:\n"
      "    - code: W1\n      buurten:\n        - {code: B1, population: -5}\n"
      "    - code: W2\n      buurten: {count: 2, population: -100}\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:8:34: places.wijken.0.buurten.0.population: got -5, "
                            "expected a number of residents >= 0\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:10:39: places.wijken.1.buurten.population: got -100, "
                            "expected a number of residents >= 0\n"));
}

TEST(ScenarioLoaderErrors, DuplicatePlaceCodes) {
  const std::string msg = text_error(
      "model: loadermodel\nstart: 2026-01-01\nduration: 1 year\nplaces:\n  city: Stad\n"
      "  code: GM1\n  wijken:\n"
      "    - code: W1\n      buurten:\n"
      "        - {code: B1, population: 1}\n"  // 10
      "        - {code: B1, population: 1}\n"  // 11
      "    - code: GM1\n"                      // 12
      "      buurten: {count: 1, population: 1}\n"
      "    - code: GM1-B1\n"                   // 14
      "      buurten: [{code: X, population: 1}]\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:11:18: places.wijken.0.buurten.1.code: got B1, expected "
                            "a place code not used before (also given at inline.yaml:10:18)\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:12:13: places.wijken.1.code: got GM1, expected a place "
                            "code not used before (also given at inline.yaml:6:9)\n"));
  // A generated code ("GM1-B1") collides with a wijk's code.
  EXPECT_TRUE(Contains(msg, "inline.yaml:14:13: places.wijken.2.code: got GM1-B1, expected a "
                            "place code not used before (also given at inline.yaml:13:16)\n"));
  EXPECT_EQ(error_count(msg), 3u);
}

TEST(ScenarioLoaderErrors, UnknownModelListsTheKnownOnesAndChecksTheRest) {
  const std::string msg = text_error(
      "model: nomodel\nstart: 2026-01-01\nduration: 1 year\nseed: x\nplaces:\n  wijken:\n"
      "    - code: W1\n      buurten: {count: 1, population: 1, attributes: {whatever: 1}}\n"
      "parameters: {anything: 1}\ntimeline:\n  - {at: 2027-01-01, call: any_hook}\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:1:8: model: got nomodel, expected one of the models: "
                            "loadermodel, testmodel\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:4:7: seed: got x"));
  // Parameters, attributes and hooks belong to the model: without it they cannot be judged.
  EXPECT_EQ(error_count(msg), 2u);
}

TEST(ScenarioLoaderErrors, UnknownParameterSuggestsOrListsNames) {
  const std::string msg = text_error(kValid +
                                     "parameters:\n"
                                     "  trust:\n"
                                     "    negativity_wieght: 1\n"  // 12
                                     "  zzz: 1\n");               // 13
  EXPECT_TRUE(Contains(msg, "inline.yaml:12:5: parameters.trust.negativity_wieght: unknown "
                            "parameter of model 'loadermodel' (did you mean "
                            "'parameters.trust.negativity_weight'?)\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:13:3: parameters.zzz: unknown parameter of model "
                            "'loadermodel' (known: trust.negativity_weight, trust.decay, "
                            "procurement.tender_interval, procurement.transfer_share, "
                            "volunteering.enabled, housing.policy)\n"));
}

TEST(ScenarioLoaderErrors, UnknownPlaceAttribute) {
  const std::string msg = text_error(kValid + "  attributes: {income.median: 1, incme.gini: 0.1}\n",
                                     {});
  EXPECT_TRUE(Contains(msg, "inline.yaml:10:34: places.attributes.incme.gini: unknown place "
                            "attribute of model 'loadermodel' (did you mean "
                            "'places.attributes.income.gini'?)\n"));
}

TEST(ScenarioLoaderErrors, HooksAndTheirArguments) {
  const std::string msg = text_error(kValid +
                                     "timeline:\n"
                                     "  - at: 2027-01-01\n"
                                     "    call: procurement_rond\n"  // 12
                                     "  - at: 2027-01-01\n"
                                     "    call: procurement_round\n"
                                     "    args: {chance: 0.5, budget: -1}\n"  // 15
                                     "  - at: 2027-01-01\n"
                                     "    args: {size: 1}\n");  // 17
  EXPECT_TRUE(Contains(msg, "inline.yaml:12:11: timeline.0.call: got procurement_rond, expected a "
                            "hook of model 'loadermodel', one of: procurement_round, "
                            "close_library\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:15:12: timeline.1.args.chance: unknown argument of hook "
                            "'procurement_round' (known: change_probability, budget)\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:15:33: timeline.1.args.budget: got -1, expected a "
                            "number in [0, 1000000000]\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:17:5: timeline.2.args: `args` needs `call`"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:16:5: timeline.2: an event needs `set` or `call` (or "
                            "both)\n"));
  EXPECT_EQ(error_count(msg), 5u);
}

TEST(ScenarioLoaderErrors, UntilNeedsEveryAndMustNotPrecedeAt) {
  const std::string msg = text_error(kValid +
                                     "timeline:\n"
                                     "  - at: 2027-01-01\n"
                                     "    until: 2030-01-01\n"  // 12
                                     "    call: close_library\n"
                                     "  - at: 2027-01-01\n"
                                     "    every: 1 year\n"
                                     "    until: 2026-01-01\n"  // 16
                                     "    call: close_library\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:12:5: timeline.0.until: `until` needs `every` (it ends "
                            "a repetition)\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:16:12: timeline.1.until: got 2026-01-01, expected a date "
                            "on or after `at`\n"));
  EXPECT_EQ(error_count(msg), 2u);
}

TEST(ScenarioLoaderErrors, MalformedYamlGivesTheParserPosition) {
  const std::string msg = text_error("model: loadermodel\nplaces: [a, b\nseed: 3\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:3:"));
  EXPECT_TRUE(Contains(msg, ": invalid YAML: "));
  EXPECT_EQ(error_count(msg), 1u);

  const std::string file = input_error(
      [] { load_scenario(scenario_data("malformed.yaml"), loader_models()); });
  EXPECT_TRUE(Contains(file, "malformed.yaml:4:"));
  EXPECT_TRUE(Contains(file, "invalid YAML"));
}

TEST(ScenarioLoaderErrors, DocumentMustBeAMap) {
  EXPECT_EQ(text_error("- a\n- b\n"), "inline.yaml:1:1: got a list, expected a map of scenario "
                                      "keys\n");
}

TEST(ScenarioLoaderErrors, DuplicateKeys) {
  const std::string msg = text_error(kValid + "seed: 1\nseed: 2\n"
                                              "parameters:\n  trust: {decay: 0.1}\n"
                                              "  trust.decay: 0.2\n");
  EXPECT_TRUE(Contains(msg, "inline.yaml:11:1: seed: duplicate key (first given at "
                            "inline.yaml:10:1)\n"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:14:3: parameters.trust.decay: given twice (first at "
                            "inline.yaml:13:11)\n"));
  EXPECT_EQ(error_count(msg), 2u);
}

TEST(ScenarioLoaderErrors, MissingFile) {
  const std::string path = scenario_data("no_such_file.yaml");
  EXPECT_EQ(input_error([&] { load_scenario(path, loader_models()); }),
            path + ": cannot load scenario: no such file\n");
}

TEST(ScenarioLoaderErrors, MissingBaseNamesTheExtendsLine) {
  const std::string msg = input_error(
      [] { load_scenario(scenario_data("missing_base.yaml"), loader_models()); });
  EXPECT_EQ(msg, scenario_data("missing_base.yaml") +
                     ":2:10: extends: got no_such_base.yaml, expected an existing scenario (" +
                     scenario_data("no_such_base.yaml") + ": no such file)\n");
}

TEST(ScenarioLoaderErrors, MissingBaseOfTextIsRelativeToItsName) {
  const std::string msg = input_error([] {
    load_scenario_text("extends: nothere.yaml\n", "dir/inline.yaml", loader_models());
  });
  EXPECT_EQ(msg, "dir/inline.yaml:1:10: extends: got nothere.yaml, expected an existing scenario "
                 "(dir/nothere.yaml: no such file)\n");
}

TEST(ScenarioLoaderErrors, CyclicExtends) {
  const std::string a = scenario_data("cycle_a.yaml"), b = scenario_data("cycle_b.yaml");
  EXPECT_EQ(input_error([&] { load_scenario(a, loader_models()); }),
            b + ":2:10: extends: cyclic extends: " + a + " -> " + b + " -> " + a + "\n");
  const std::string self = scenario_data("self.yaml");
  EXPECT_EQ(input_error([&] { load_scenario(self, loader_models()); }),
            self + ":1:10: extends: cyclic extends: " + self + " -> " + self + "\n");
}

TEST(ScenarioLoaderErrors, MalformedBaseIsReportedInTheBase) {
  const std::string msg = input_error(
      [] { load_scenario(scenario_data("extends_malformed.yaml"), loader_models()); });
  EXPECT_TRUE(Contains(msg, scenario_data("malformed.yaml") + ":4:"));
  EXPECT_EQ(error_count(msg), 1u);
}

TEST(ScenarioLoaderErrors, ErrorsKeepTheFileAndLineTheyCameFrom) {
  const std::string msg = input_error(
      [] { load_scenario(scenario_data("bad_child.yaml"), loader_models()); });
  EXPECT_TRUE(Contains(msg, scenario_data("bad_base.yaml") +
                                ":4:7: seed: got -3, expected an integer in [0, "
                                "18446744073709551615]\n"));
  EXPECT_TRUE(Contains(msg, scenario_data("bad_child.yaml") +
                                ":2:13: replicates: got 0, expected an integer in [1, 100000]\n"));
  EXPECT_EQ(error_count(msg), 2u);
}

TEST(ScenarioLoaderErrors, OverridesAreReportedAsCommandLine) {
  const std::string msg = text_error(kValid, {{"parameters.trust.negativ_weight", "1"},
                                              {"seed", "abc"},
                                              {"sede", "1"},
                                              {"places.wijken.5.code", "X"},
                                              {"model.name", "x"},
                                              {"extends", "base.yaml"},
                                              {"output..file", "x"}});
  EXPECT_TRUE(Contains(msg, "<command line>: parameters.trust.negativ_weight: unknown parameter "
                            "of model 'loadermodel' (did you mean "
                            "'parameters.trust.negativity_weight'?)\n"));
  EXPECT_TRUE(Contains(msg, "<command line>: seed: got abc, expected an integer in [0, "
                            "18446744073709551615]\n"));
  EXPECT_TRUE(Contains(msg, "<command line>: sede: unknown key (did you mean 'seed'?)\n"));
  EXPECT_TRUE(Contains(msg, "<command line>: places.wijken.5.code: got 5, expected an index into "
                            "places.wijken, 0 to 0\n"));
  EXPECT_TRUE(Contains(msg, "<command line>: model.name: model is a single value (loadermodel), "
                            "so it has no key name\n"));
  EXPECT_TRUE(Contains(msg, "<command line>: extends: got base.yaml, expected `extends` in a "
                            "scenario file (it cannot be overridden)\n"));
  EXPECT_TRUE(Contains(msg, "<command line>: output..file: got output..file, expected a dotted "
                            "key such as seed or parameters.NAME\n"));
  EXPECT_EQ(error_count(msg), 7u);
}

TEST(ScenarioLoaderErrors, SeveralErrorsReportedAtOnce) {
  const std::string msg = text_error(
      "model: loadermodel\n"
      "start: 2026-13-01\n"  // 2: no such month
      "duration: 2 years\n"
      "replicates: 0\n"  // 4
      "colour: blue\n"   // 5
      "places:\n"
      "  wijken:\n"
      "    - code: W1\n"
      "      buurten:\n"
      "        - {code: B1, population: -1}\n"  // 10
      "        - {code: B1, population: 3}\n"   // 11
      "parameters:\n"
      "  trust.decay: 3\n"  // 13
      "timeline:\n"
      "  - {at: 2027-01-01, until: 2028-01-01, call: nohook}\n");  // 15
  EXPECT_TRUE(Contains(msg, "inline.yaml:2:8: start: got 2026-13-01"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:4:13: replicates: got 0"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:5:1: colour: unknown key"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:10:34: places.wijken.0.buurten.0.population: got -1"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:11:18: places.wijken.0.buurten.1.code: got B1"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:13:16: parameters.trust.decay: got 3"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:15:22: timeline.0.until: `until` needs `every`"));
  EXPECT_TRUE(Contains(msg, "inline.yaml:15:47: timeline.0.call: got nohook"));
  EXPECT_EQ(error_count(msg), 8u);
}

}  // namespace
}  // namespace buurtlab::testing
