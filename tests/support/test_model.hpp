// A small model that drives the engine in tests: agents meet, form and lose ties, pull their value
// towards their ties' values, and leave and are replaced. It touches every engine facility (SoA
// columns, ties, proposals, per-block reductions, keyed randomness, births and deaths at tick
// boundaries, parameters, a policy hook, indicators per place) so the determinism tests mean
// something. It is not a model of anything.
#pragma once
#include <memory>

#include "buurtlab/model.hpp"

namespace buurtlab::testing {

std::shared_ptr<const Model> make_test_model();

// A complete scenario for the test model, as YAML text: `wijken` wijken of `buurten` buurten of
// `residents` residents each, `years` years of weekly ticks.
std::string test_scenario_yaml(int wijken = 2, int buurten = 3, int residents = 400,
                               int years = 2, std::uint64_t seed = 7);

}  // namespace buurtlab::testing
