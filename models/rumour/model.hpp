// Rumour spreading on a directed scale-free network as an engine model, the reference for
// comparing the engine with Repast HPC on the same work (see world.hpp for the specification and
// docs/performance.md for the comparison).
#pragma once
#include <memory>

#include "buurtlab/model.hpp"

namespace buurtlab::rumour {
std::shared_ptr<const Model> make_model();
}  // namespace buurtlab::rumour
