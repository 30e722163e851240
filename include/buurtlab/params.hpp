// Parameters declared once, with name, type, unit, default, range, doc and source.
//
// A model lists its parameters in a ParamTable bound to its own parameter struct (by member
// pointer, so model code reads plain fields, never strings). From that one declaration come: the
// schema the scenario loader checks values against, the `buurtlab describe` listing and the
// generated parameter reference in the docs. Values are held as doubles (integers, booleans and
// choices included) so that timeline events and sweeps can set any of them the same way.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace buurtlab {

enum class ParamType : std::uint8_t { real, integer, boolean, choice };

struct ParamDecl {
  std::string name;  // dotted, e.g. "trust.negativity_weight"
  ParamType type = ParamType::real;
  std::string unit;  // "per year", "hours per week", "share (0-1)", "1" (dimensionless), ...
  double default_value = 0.0;
  double min = 0.0;
  double max = 0.0;
  std::vector<std::string> choices;  // names of a choice parameter; the value is the index
  std::string doc;
  std::string source;  // a citation, or "assumption"

  std::string type_name() const;
  std::string range_text() const;           // "[0, 1]", "one of: a, b", "true or false"
  std::string value_text(double v) const;   // a value as a user would write it
  // Parses a scalar as written in YAML or on the command line and checks the range. On failure
  // returns the expectation to report ("a number in [0, 1]").
  std::variant<double, std::string> parse(std::string_view text) const;
  // Range check only (no parsing); integers, booleans and choices must be whole numbers.
  std::optional<std::string> check(double v) const;
};

class ParamSchema {
 public:
  void add(ParamDecl d);
  const ParamDecl* find(std::string_view name) const;
  std::optional<std::size_t> index_of(std::string_view name) const;
  const std::vector<ParamDecl>& decls() const { return decls_; }
  bool empty() const { return decls_.empty(); }
  // Closest declared names to a misspelt one, for "did you mean" hints.
  std::vector<std::string> suggestions(std::string_view name) const;

 private:
  std::vector<ParamDecl> decls_;
};

// A full set of values for a schema, defaults unless set.
class ParamValues {
 public:
  ParamValues() = default;
  explicit ParamValues(const ParamSchema& schema);
  const ParamSchema& schema() const { return *schema_; }
  double get(std::string_view name) const;
  void set(std::string_view name, double v);  // throws std::out_of_range on an unknown name
  double at(std::size_t i) const { return values_[i]; }
  void set_at(std::size_t i, double v) { values_[i] = v; }
  std::size_t size() const { return values_.size(); }
  // Names whose value differs from the default (for reports).
  std::vector<std::string> changed() const;

 private:
  const ParamSchema* schema_ = nullptr;
  std::vector<double> values_;
};

// Binds declarations to the fields of a model's parameter struct P.
template <class P>
class ParamTable {
 public:
  using Member = std::variant<double P::*, int P::*, bool P::*>;

  ParamTable& real(std::string name, double P::*m, std::string unit, double def, double lo,
                   double hi, std::string doc, std::string source) {
    return add({std::move(name), ParamType::real, std::move(unit), def, lo, hi, {}, std::move(doc),
                std::move(source)},
               m);
  }
  ParamTable& integer(std::string name, int P::*m, std::string unit, int def, int lo, int hi,
                      std::string doc, std::string source) {
    return add({std::move(name), ParamType::integer, std::move(unit), double(def), double(lo),
                double(hi), {}, std::move(doc), std::move(source)},
               m);
  }
  ParamTable& boolean(std::string name, bool P::*m, bool def, std::string doc,
                      std::string source) {
    return add({std::move(name), ParamType::boolean, "true/false", def ? 1.0 : 0.0, 0.0, 1.0, {},
                std::move(doc), std::move(source)},
               m);
  }
  // A choice is stored in an int field holding the index into `choices`.
  ParamTable& choice(std::string name, int P::*m, std::vector<std::string> choices, int def,
                     std::string doc, std::string source) {
    const double hi = double(choices.size()) - 1.0;
    return add({std::move(name), ParamType::choice, "choice", double(def), 0.0, hi,
                std::move(choices), std::move(doc), std::move(source)},
               m);
  }

  const ParamSchema& schema() const { return schema_; }

  P bind(const ParamValues& v) const {
    P p{};
    for (std::size_t i = 0; i < members_.size(); ++i) {
      const double x = v.at(i);
      std::visit(
          [&](auto m) {
            using F = std::remove_reference_t<decltype(p.*m)>;
            if constexpr (std::is_same_v<F, bool>) p.*m = x != 0.0;
            else if constexpr (std::is_same_v<F, int>) p.*m = static_cast<int>(x);
            else p.*m = x;
          },
          members_[i]);
    }
    return p;
  }

 private:
  ParamTable& add(ParamDecl d, Member m) {
    schema_.add(std::move(d));
    members_.push_back(m);
    return *this;
  }
  ParamSchema schema_;
  std::vector<Member> members_;
};

}  // namespace buurtlab
