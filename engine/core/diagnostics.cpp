#include "buurtlab/diagnostics.hpp"

namespace buurtlab {

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
