// The Schelling segregation model as an engine model, the reference for comparing the engine with
// other agent-based frameworks on the same work (see world.hpp for the specification and
// docs/performance.md for the comparison).
#pragma once
#include <memory>

#include "buurtlab/model.hpp"

namespace buurtlab::schelling {
std::shared_ptr<const Model> make_model();
}  // namespace buurtlab::schelling
