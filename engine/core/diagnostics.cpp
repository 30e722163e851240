#include "buurtlab/diagnostics.hpp"

#include <algorithm>
#include <vector>

namespace buurtlab {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}


std::string SourceLocation::text() const {
  std::string s = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  return s;
}

std::string Diagnostic::text() const {
  std::string s = where.text() + ": ";
  if (!key.empty()) s += key + ": ";
  if (!got.empty()) s += "got " + got + ", expected " + expected;
  else s += expected;
  return s;
}

std::string Diagnostics::text() const {
  std::string s;
  for (const auto& d : items_) s += d.text() + "\n";
  return s;
}

}  // namespace buurtlab
