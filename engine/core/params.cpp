#include "buurtlab/params.hpp"

#include "buurtlab/diagnostics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace buurtlab {

namespace {
std::string number_text(double v) {
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}

}  // namespace

std::string ParamDecl::type_name() const {
  switch (type) {
    case ParamType::real: return "number";
    case ParamType::integer: return "integer";
    case ParamType::boolean: return "boolean";
    case ParamType::choice: return "choice";
  }
  return "?";
}

std::string ParamDecl::range_text() const {
  switch (type) {
    case ParamType::boolean: return "true or false";
    case ParamType::choice: {
      std::string s = "one of: ";
      for (std::size_t i = 0; i < choices.size(); ++i) s += (i ? ", " : "") + choices[i];
      return s;
    }
    default: return "[" + number_text(min) + ", " + number_text(max) + "]";
  }
}

std::string ParamDecl::value_text(double v) const {
  switch (type) {
    case ParamType::boolean: return v != 0.0 ? "true" : "false";
    case ParamType::choice:
      // Checked before converting: a negative or NaN double cast to size_t is undefined.
      if (v >= 0.0 && v < double(choices.size())) return choices[static_cast<std::size_t>(v)];
      return "?";
    default: return number_text(v);
  }
}

std::optional<std::string> ParamDecl::check(double v) const {
  // Integers, booleans and choices are held as doubles, so a whole-number check belongs here too:
  // a sweep or timeline value of 2.5 must not be truncated silently. Booleans and choices are
  // checked against their own domain, not min/max, which a hand-written declaration may omit.
  const bool whole = v == std::floor(v);  // false for NaN
  switch (type) {
    case ParamType::boolean:
      if (v == 0.0 || v == 1.0) return std::nullopt;
      return range_text();
    case ParamType::choice:
      if (whole && v >= 0.0 && v < double(choices.size())) return std::nullopt;
      return range_text();
    case ParamType::integer:
      if (whole && v >= min && v <= max) return std::nullopt;
      return "an integer in " + range_text();
    case ParamType::real:
      if (!std::isnan(v) && v >= min && v <= max) return std::nullopt;
      return "a number in " + range_text();
  }
  return std::string("?");
}

std::variant<double, std::string> ParamDecl::parse(std::string_view text) const {
  switch (type) {
    case ParamType::boolean:
      if (text == "true") return 1.0;
      if (text == "false") return 0.0;
      return std::string("true or false");
    case ParamType::choice:
      for (std::size_t i = 0; i < choices.size(); ++i)
        if (choices[i] == text) return double(i);
      return range_text();
    case ParamType::integer: {
      long long x = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (ec != std::errc{} || p != text.data() + text.size() || text.empty())
        return "an integer in " + range_text();
      if (auto e = check(double(x))) return *e;
      return double(x);
    }
    case ParamType::real: {
      double x = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (ec != std::errc{} || p != text.data() + text.size() || text.empty() || !std::isfinite(x))
        return "a number in " + range_text();
      if (auto e = check(x)) return *e;
      return x;
    }
  }
  return std::string("?");
}

void ParamSchema::add(ParamDecl d) {
  if (find(d.name)) throw std::logic_error("parameter declared twice: " + d.name);
  if ((d.type == ParamType::real || d.type == ParamType::integer) && !(d.min <= d.max))
    throw std::logic_error("range of " + d.name + " is empty (min > max)");
  // Choices included: a default index past the last choice would name no choice at all.
  if (auto e = d.check(d.default_value))
    throw std::logic_error("default of " + d.name + " (" + number_text(d.default_value) +
                           ") is outside its range: expected " + *e);
  decls_.push_back(std::move(d));
}

const ParamDecl* ParamSchema::find(std::string_view name) const {
  for (const auto& d : decls_)
    if (d.name == name) return &d;
  return nullptr;
}

std::optional<std::size_t> ParamSchema::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < decls_.size(); ++i)
    if (decls_[i].name == name) return i;
  return std::nullopt;
}

std::vector<std::string> ParamSchema::suggestions(std::string_view name) const {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& d : decls_) {
    const std::size_t dist = edit_distance(name, d.name);
    if (dist <= std::max<std::size_t>(2, name.size() / 4)) scored.emplace_back(dist, d.name);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
  return out;
}

ParamValues::ParamValues(const ParamSchema& schema) : schema_(&schema) {
  values_.reserve(schema.decls().size());
  for (const auto& d : schema.decls()) values_.push_back(d.default_value);
}

double ParamValues::get(std::string_view name) const {
  auto i = schema_ ? schema_->index_of(name) : std::nullopt;
  if (!i) throw std::out_of_range("unknown parameter: " + std::string(name));
  return values_[*i];
}

void ParamValues::set(std::string_view name, double v) {
  auto i = schema_ ? schema_->index_of(name) : std::nullopt;
  if (!i) throw std::out_of_range("unknown parameter: " + std::string(name));
  values_[*i] = v;
}

std::vector<std::string> ParamValues::changed() const {
  std::vector<std::string> out;
  if (!schema_) return out;
  for (std::size_t i = 0; i < values_.size(); ++i)
    if (values_[i] != schema_->decls()[i].default_value) out.push_back(schema_->decls()[i].name);
  return out;
}

}  // namespace buurtlab
