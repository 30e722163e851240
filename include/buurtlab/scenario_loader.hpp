// Loading scenarios from YAML. engine/scenario is the only place that touches yaml-cpp.
//
// A scenario file may `extends:` a base file (a path relative to the file, or "builtin:NAME" for a
// scenario compiled into the binary); maps are merged key by key, everything else is replaced.
// All problems are collected and thrown together as one InputError.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "buurtlab/model.hpp"
#include "buurtlab/scenario.hpp"

namespace buurtlab {

// An override given on the command line or by a sweep: a dotted key and a YAML scalar, e.g.
// {"parameters.procurement.tender_interval_years", "2"}.
struct Override {
  std::string key;
  std::string value;
};

// Loads and checks `file` ("builtin:NAME" selects a built-in scenario). Throws InputError.
Scenario load_scenario(const std::string& file, const ModelRegistry& models,
                       const std::vector<Override>& overrides = {});

// Same, from text in memory (`name` is used in messages and for relative `extends`).
Scenario load_scenario_text(const std::string& text, const std::string& name,
                            const ModelRegistry& models,
                            const std::vector<Override>& overrides = {});

// The values of a resolved scenario (Scenario::resolved_yaml, which every output file stores as
// `scenario_yaml`), one per leaf, in the order written and named as --set and `sweep --vary` name
// them: map keys joined by dots, list items by their index ("timeline.0.at"). A value is its text
// as written; nothing is "~", an empty list "[]" and an empty map "{}". Tools use this to say how
// two runs differ. Throws InputError if the text is not YAML (`name` names it in the message).
std::vector<Override> scenario_values(const std::string& yaml, const std::string& name);

// Names of the scenarios compiled into the binary.
std::vector<std::string> builtin_scenarios();

}  // namespace buurtlab
