// Labels of runs in compare's tables: a unique scenario name alone; shared names with the values
// that differ; the file where nothing else tells runs apart.
#include "run_labels.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace buurtlab {
namespace {

std::string scenario(const std::string& name, const std::string& meet_rate,
                     const std::string& seed = "7", const std::string& extra = "") {
  return "name: " + name + "\ndescription: d\nseed: " + seed +
         "\noutput:\n  path: x.h5\nparameters:\n  meet_rate: " + meet_rate +
         "\n  noise: 0.01\ntimeline:\n  - at: 2026-06-01\n    set:\n      noise: 0.02\n" + extra;
}

TEST(RunLabels, UniqueNamesAreLabelledByTheNameAlone) {
  const auto labels = run_labels({{"a.h5", "base", scenario("base", "10")},
                                  {"b.h5", "cuts", scenario("cuts", "20")}});
  EXPECT_EQ(labels, (std::vector<std::string>{"base", "cuts"}));
}

TEST(RunLabels, SharedNamesShowTheValuesThatDiffer) {
  // Sweep points: the same scenario with other values; name, description and output differ too
  // but say nothing about the run.
  const auto labels = run_labels({{"p0.h5", "base", scenario("base", "10")},
                                  {"p1.h5", "base", scenario("base", "20", "8")},
                                  {"other.h5", "cuts", scenario("cuts", "99")}});
  EXPECT_EQ(labels, (std::vector<std::string>{"base [seed=7, meet_rate=10]",
                                              "base [seed=8, meet_rate=20]", "cuts"}));
}

TEST(RunLabels, ValuesAreNamedByTheShortestEndingOfTheirKeyThatNoOtherKeyShares) {
  const auto labels =
      run_labels({{"a.h5", "s", "parameters:\n  a: {rate: 1, x.y.z: 1}\n  b: {rate: 1}\n  z: 1\n"},
                  {"b.h5", "s", "parameters:\n  a: {rate: 2, x.y.z: 2}\n  b: {rate: 2}\n  z: 2\n"}});
  // Two keys end in "rate"; "z" is a key of its own and an ending of a.x.y.z, which therefore
  // needs "y.z".
  EXPECT_EQ(labels[1], "s [a.rate=2, y.z=2, b.rate=2, parameters.z=2]");
}

TEST(RunLabels, ListItemsAndMissingValuesAreNamedAsOverrides) {
  const std::string more = "  - at: 2027-01-01\n    call: cut\n";
  const auto labels = run_labels({{"a.h5", "base", scenario("base", "10")},
                                  {"b.h5", "base", scenario("base", "10", "7", more)}});
  EXPECT_EQ(labels[0], "base [timeline.1.at=(none), timeline.1.call=(none)]");
  EXPECT_EQ(labels[1], "base [timeline.1.at=2027-01-01, timeline.1.call=cut]");
}

TEST(RunLabels, AlikeRunsGetTheirFile) {
  const auto labels = run_labels({{"one/a.h5", "base", scenario("base", "10")},
                                  {"two/a.h5", "base", scenario("base", "10")}});
  EXPECT_EQ(labels, (std::vector<std::string>{"base (one/a.h5)", "base (two/a.h5)"}));
}

TEST(RunLabels, ManyDifferencesAreCounted) {
  const auto a = run_labels({{"a.h5", "s", "a: 1\nb: 1\nc: 1\nd: 1\ne: 1\nf: 1\n"},
                             {"b.h5", "s", "a: 2\nb: 2\nc: 2\nd: 2\ne: 2\nf: 2\n"},
                             {"c.h5", "s", "a: 1\nb: 1\nc: 1\nd: 1\ne: 3\nf: 1\n"}});
  EXPECT_EQ(a[1], "s [a=2, b=2, c=2, d=2, +2 more]");
  // Past the values shown, a and c look alike: the file tells them apart.
  EXPECT_EQ(a[0], "s [a=1, b=1, c=1, d=1, +2 more] (a.h5)");
  EXPECT_EQ(a[2], "s [a=1, b=1, c=1, d=1, +2 more] (c.h5)");
}

TEST(RunLabels, UnreadableScenarioIsNotAnError) {
  const auto labels = run_labels({{"a.h5", "s", "not: [yaml"}, {"b.h5", "s", "not: [yaml"}});
  EXPECT_EQ(labels, (std::vector<std::string>{"s (a.h5)", "s (b.h5)"}));
}

}  // namespace
}  // namespace buurtlab
