// Scenarios for the engine's test model, built in code rather than loaded from YAML, so that the
// engine tests exercise the simulation loop alone and do not depend on the scenario loader.
// hand_scenario() mirrors testing::test_scenario_yaml(): a city of `wijken` wijken of `buurten`
// buurten of `residents` residents, weekly ticks, a shock hook and a periodic parameter change.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

#include "buurtlab/model.hpp"
#include "buurtlab/scenario.hpp"

namespace buurtlab::testing {

struct HandScenario {
  int wijken = 2;
  int buurten = 3;
  int residents = 400;
  Period duration{2, TimeUnit::year};
  Period tick{1, TimeUnit::week};
  std::uint64_t seed = 7;
  std::uint32_t replicates = 1;
  bool timeline = true;  // the shock on 2027-01-01 and the noise change every 6 months
};

inline Date hand_date(const char* iso) {
  const auto d = Date::parse(iso);
  if (!d) throw std::invalid_argument(std::string("bad date in a test: ") + iso);
  return *d;
}

// Places only: the city, then each wijk followed by its buurten (the order Scenario requires).
inline void add_places(Scenario& sc, const Model& model, int wijken, int buurten, int residents) {
  PlaceSpec city{"C",
                 "Teststad",
                 PlaceLevel::city,
                 std::nullopt,
                 std::int64_t{wijken} * buurten * residents,
                 ParamValues(model.place_attributes())};
  sc.places.push_back(city);
  for (int w = 0; w < wijken; ++w) {
    const auto wijk = static_cast<PlaceIndex>(sc.places.size());
    sc.places.push_back({"W" + std::to_string(w), "Wijk " + std::to_string(w), PlaceLevel::wijk,
                         PlaceIndex{0}, std::int64_t{buurten} * residents,
                         ParamValues(model.place_attributes())});
    for (int b = 0; b < buurten; ++b) {
      PlaceSpec buurt{"W" + std::to_string(w) + "B" + std::to_string(b),
                      "Buurt " + std::to_string(b),
                      PlaceLevel::buurt,
                      wijk,
                      residents,
                      ParamValues(model.place_attributes())};
      if (model.place_attributes().find("initial_value"))
        buurt.attributes.set("initial_value", 0.3 + 0.1 * b);
      sc.places.push_back(std::move(buurt));
    }
  }
}

// The test model's scenario. `model` must outlive the result (parameter values refer to its
// schemas).
inline Scenario hand_scenario(const Model& model, const HandScenario& h = {}) {
  Scenario sc;
  sc.name = "test";
  sc.model = std::string(model.name());
  sc.start = hand_date("2026-01-01");
  sc.duration = h.duration;
  sc.tick = h.tick;
  sc.seed = h.seed;
  sc.replicates = h.replicates;
  sc.parameters = ParamValues(model.parameters());
  sc.parameters.set("meet_rate", 26);
  add_places(sc, model, h.wijken, h.buurten, h.residents);
  if (h.timeline) {
    const HookDecl* shock = model.find_hook("shock");
    if (!shock) throw std::logic_error("the test model has no shock hook");
    TimelineEvent ev;
    ev.label = "shock";
    ev.at = hand_date("2027-01-01");
    ev.hook = "shock";
    ev.hook_args = ParamValues(shock->args);
    ev.hook_args.set("size", 0.05);
    sc.timeline.push_back(ev);

    TimelineEvent noise;
    noise.label = "noise";
    noise.at = hand_date("2026-07-01");
    noise.every = Period{6, TimeUnit::month};
    noise.set = {{*model.parameters().index_of("noise"), 0.03}};
    sc.timeline.push_back(noise);
  }
  sc.source_file = "hand-built";
  return sc;
}

}  // namespace buurtlab::testing
