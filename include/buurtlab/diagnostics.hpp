// Errors about user input, collected rather than thrown one at a time.
//
// Every problem found in a scenario is recorded with its file, line, column and key, the bad value
// and what was expected; the loader reports them all at once. Format:
//   file:line:column: key: got VALUE, expected EXPECTATION
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace buurtlab {

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
  std::string text() const;
};

struct Diagnostic {
  SourceLocation where;
  std::string key;       // dotted path, e.g. "parameters.trust.bad_weight"
  std::string got;       // the offending value as written (may be empty)
  std::string expected;  // what would have been accepted, or a free message
  std::string text() const;
};

// Levenshtein distance between two names, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);

class Diagnostics {
 public:
  void add(SourceLocation where, std::string key, std::string got, std::string expected) {
    items_.push_back({std::move(where), std::move(key), std::move(got), std::move(expected)});
  }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::string text() const;  // one line per diagnostic

 private:
  std::vector<Diagnostic> items_;
};

// Thrown when user input is invalid (exit code 2). Carries every diagnostic.
class InputError : public std::runtime_error {
 public:
  explicit InputError(Diagnostics d) : std::runtime_error(d.text()), diagnostics_(std::move(d)) {}
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
};

// Thrown when a run fails for a reason other than bad input (exit code 1).
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace buurtlab
