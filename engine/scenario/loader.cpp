// Placeholder until the YAML loader lands.
#include "buurtlab/scenario_loader.hpp"

namespace buurtlab {
Scenario load_scenario(const std::string&, const ModelRegistry&, const std::vector<Override>&) {
  throw InputError("scenario loading is not implemented yet");
}
Scenario load_scenario_text(const std::string&, const std::string&, const ModelRegistry&,
                            const std::vector<Override>&) {
  throw InputError("scenario loading is not implemented yet");
}
std::vector<std::string> builtin_scenarios() { return {}; }
}  // namespace buurtlab
