// The neighbourhood social-ecosystem model: residents, professionals and initiatives in a city of
// wijken and buurten, after MODEL_BRIEF (see docs/model.md for the ODD description).
#pragma once
#include <memory>

#include "buurtlab/model.hpp"

namespace buurtlab::neighbourhood {
std::shared_ptr<const Model> make_model();
}  // namespace buurtlab::neighbourhood
