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

// Names of the scenarios compiled into the binary.
std::vector<std::string> builtin_scenarios();

}  // namespace buurtlab
