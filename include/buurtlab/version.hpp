// Program version and the git commit it was built from; both are stored in every output file.
#pragma once
#include <string_view>

namespace buurtlab {
std::string_view version();
std::string_view git_commit();
}  // namespace buurtlab
