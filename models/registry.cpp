#include "registry.hpp"

#include "neighbourhood/model.hpp"

namespace buurtlab {
ModelRegistry builtin_models() {
  ModelRegistry r;
  r.add(neighbourhood::make_model());
  return r;
}
}  // namespace buurtlab
