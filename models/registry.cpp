#include "registry.hpp"

#include "neighbourhood/model.hpp"
#include "rumour/model.hpp"
#include "schelling/model.hpp"

namespace buurtlab {
ModelRegistry builtin_models() {
  ModelRegistry r;
  r.add(neighbourhood::make_model());
  r.add(schelling::make_model());
  r.add(rumour::make_model());
  return r;
}
}  // namespace buurtlab
