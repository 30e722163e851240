// The models compiled into the buurtlab binary.
#pragma once
#include "buurtlab/model.hpp"

namespace buurtlab {
// Registers every built-in model (the neighbourhood model and the benchmark reference models).
ModelRegistry builtin_models();
}  // namespace buurtlab
