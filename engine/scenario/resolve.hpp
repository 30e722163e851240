// Turns a merged scenario tree into a checked Scenario. Private to engine/scenario.
#pragma once
#include <string>
#include <vector>

#include "buurtlab/model.hpp"
#include "buurtlab/scenario.hpp"
#include "tree.hpp"

namespace buurtlab::scenario {

// True for the maps whose keys are parameter-like names ("parameters", every "attributes", a
// timeline event's "set" and "args"). Nested maps there are namespaces and are flattened to
// dotted names, so `trust: {weight: 2}` and `trust.weight: 2` mean the same, also across files.
bool is_flat_path(const std::vector<std::string>& path);

// Flattens every map at a flat path of one file's tree (see is_flat_path). A name given twice
// (once nested, once dotted) is reported.
void flatten_tree(Node& root, Diagnostics& diags);

// Checks everything in `root` and fills `out`; every problem goes to `diags`. `default_name` is
// used when the tree has no `name`. On success (no diagnostics added) `root` has been completed
// with the defaults that were applied, in a fixed key order, ready to be emitted as the resolved
// scenario.
void resolve(Node& root, const std::string& default_name, const ModelRegistry& models,
             Scenario& out, Diagnostics& diags);

}  // namespace buurtlab::scenario
