// Scenario files compiled into the binary (generated from scenarios/ by cmake/embed.cmake), so
// `buurtlab run` works from any directory.
#pragma once
#include <string_view>
#include <vector>

namespace buurtlab {
struct EmbeddedFile {
  std::string_view name;  // path relative to scenarios/
  std::string_view text;
};
const std::vector<EmbeddedFile>& embedded_scenarios();
}  // namespace buurtlab
