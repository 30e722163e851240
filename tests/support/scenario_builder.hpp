// Builds Scenario structs in code, for tests that should not depend on the YAML loader.
#pragma once
#include <string>

#include "buurtlab/model.hpp"
#include "buurtlab/scenario.hpp"

namespace buurtlab::testing {

// A city of `wijken` wijken with `buurten` buurten of `residents` residents each, default
// parameters and place attributes of `model`, weekly ticks unless `tick` says otherwise.
inline Scenario build_scenario(const Model& model, int wijken, int buurten, int residents,
                               Period duration, Period tick = {1, TimeUnit::week},
                               std::uint64_t seed = 1) {
  Scenario sc;
  sc.name = "built";
  sc.model = std::string(model.name());
  sc.start = *Date::parse("2026-01-01");
  sc.duration = duration;
  sc.tick = tick;
  sc.seed = seed;
  sc.parameters = ParamValues(model.parameters());
  PlaceSpec city;
  city.code = "C";
  city.name = "City";
  city.level = PlaceLevel::city;
  city.attributes = ParamValues(model.place_attributes());
  sc.places.push_back(city);
  for (int w = 0; w < wijken; ++w) {
    PlaceSpec wk = city;
    wk.code = "W" + std::to_string(w);
    wk.name = wk.code;
    wk.level = PlaceLevel::wijk;
    wk.parent = 0;
    const auto wi = static_cast<PlaceIndex>(sc.places.size());
    sc.places.push_back(wk);
    for (int b = 0; b < buurten; ++b) {
      PlaceSpec bu = city;
      bu.code = wk.code + "B" + std::to_string(b);
      bu.name = bu.code;
      bu.level = PlaceLevel::buurt;
      bu.parent = wi;
      bu.population = residents;
      sc.places.push_back(bu);
      sc.places[wi].population += residents;
      sc.places[0].population += residents;
    }
  }
  return sc;
}

}  // namespace buurtlab::testing
