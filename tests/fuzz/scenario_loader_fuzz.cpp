// libFuzzer target: arbitrary text as a scenario file, and as one --set override (the part after
// the first NUL byte, if any). The loader must refuse what it cannot use with an InputError and
// never crash, hang or run out of memory (tools/fuzz.sh runs it; docs/reliability.md, "Fuzzing").
#include <cstddef>
#include <cstdint>
#include <string>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/scenario_loader.hpp"
#include "registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const buurtlab::ModelRegistry models = buurtlab::builtin_models();
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto nul = input.find('\0');
  const std::string text = input.substr(0, nul);
  std::vector<buurtlab::Override> overrides;
  if (nul != std::string::npos) {
    const std::string set = input.substr(nul + 1);
    const auto eq = set.find('=');
    if (eq != std::string::npos) overrides.push_back({set.substr(0, eq), set.substr(eq + 1)});
  }
  try {
    (void)buurtlab::load_scenario_text(text, "fuzz.yaml", models, overrides);
  } catch (const buurtlab::InputError&) {
    // The expected refusal.
  }
  return 0;
}
