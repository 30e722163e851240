#include "buurtlab/scenario.hpp"

namespace buurtlab {

const char* to_string(PlaceLevel l) {
  switch (l) {
    case PlaceLevel::city: return "city";
    case PlaceLevel::wijk: return "wijk";
    case PlaceLevel::buurt: return "buurt";
  }
  return "?";
}

std::vector<PlaceIndex> Scenario::places_at(PlaceLevel level) const {
  std::vector<PlaceIndex> out;
  for (PlaceIndex i = 0; i < places.size(); ++i)
    if (places[i].level == level) out.push_back(i);
  return out;
}

std::vector<PlaceIndex> Scenario::children(PlaceIndex parent) const {
  std::vector<PlaceIndex> out;
  for (PlaceIndex i = 0; i < places.size(); ++i)
    if (places[i].parent && *places[i].parent == parent) out.push_back(i);
  return out;
}

}  // namespace buurtlab
