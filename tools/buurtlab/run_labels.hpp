// Labels that tell runs apart in tables: the points of one sweep share a scenario name, so the
// name alone does not say which row is which.
#pragma once
#include <string>
#include <vector>

namespace buurtlab {

// What a label is made from: an output file's path and its `scenario_name` and `scenario_yaml`
// attributes.
struct LabelSource {
  std::string file;
  std::string scenario_name;
  std::string scenario_yaml;
};

// One label per run. A run whose scenario name no other run has is labelled by the name. Runs that
// share a name get the name followed by the values of their resolved scenarios that differ
// between them: "baseline [meet_rate=20, seed=3]" (at most kMaxLabelValues, then "+N more"; name,
// description and output are left out, since they say nothing about the run's model). A value is
// named by the shortest ending of its --set key that no other differing key shares
// ("parameters.meet_rate" -> "meet_rate"; "a.rate" and "b.rate" where two keys end in "rate"),
// never starting at or right after a list index ("timeline.1.at" stays whole). Runs that are still alike after that get their file added:
// "baseline (b.h5)".
// `buurtlab plot` and `buurtlab report` label runs by the same rule, written again in Python
// (tools/python/buurtlab_tools/labels.py); tests/tools/ensembles_test.py requires the two to give
// the same labels, so a change here is made there too.
std::vector<std::string> run_labels(const std::vector<LabelSource>& runs);

inline constexpr std::size_t kMaxLabelValues = 4;

}  // namespace buurtlab
