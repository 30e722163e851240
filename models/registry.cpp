#include "registry.hpp"

namespace buurtlab {
ModelRegistry builtin_models() {
  ModelRegistry r;
  return r;
}
}  // namespace buurtlab
