#include "cards.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "text.hpp"

namespace buurtlab::lab {

namespace {

using K = Lever::Kind;

// Shared levers. Ranges are what a workshop would plausibly try, inside the parameters' declared
// ranges (docs/parameters.md); the scenario loader checks the value again.
Lever lever_year(const std::string& key) {
  return {"lever_year", key, K::year, 2026, 2035, 1, {}, "2027"};
}

}  // namespace

const std::vector<Card>& cards() {
  static const std::vector<Card> all = {
      {"tendering",
       "builtin:tendering-every-2-years.yaml",
       "builtin:baseline.yaml",
       {"local_knowledge_mean", "professional_changed_share", "institutional_trust_mean",
        "trust_welfare_mean", "institutional_trust_vulnerable"},
       "",
       {{"tender_interval", "parameters.procurement.tender_interval", K::number, 0, 8, 1, {}, "0"},
        {"staff_transfer", "parameters.procurement.staff_transfer_share", K::number, 0, 1, 0.1, {},
         "0.3"},
        {"network_transfer", "parameters.procurement.network_transfer", K::number, 0, 1, 0.1, {},
         "0"}}},
      {"collective",
       "builtin:collective-work-shift.yaml",
       "builtin:baseline.yaml",
       {"initiatives", "neighbourhood_volunteers_share", "community_strength", "open_cases"},
       "",
       {{"collective_share", "timeline.0.set.professionals.collective_share", K::number, 0, 0.5,
         0.02, {}, "0.3"},
        lever_year("timeline.0.at")}},
      {"budget",
       "builtin:cuts-2015.yaml",
       "builtin:baseline.yaml",
       {"professionals_fte", "collective_hours", "waiting_list", "community_strength",
        "institutional_trust_mean"},
       "",
       {{"budget_change", "timeline.0.args.change", K::number, -0.5, 0.25, 0.05, {}, "-0.25"},
        lever_year("timeline.0.at")}},
      {"energy",
       "builtin:energy-community-led.yaml",
       "builtin:baseline.yaml",
       {"homes_retrofitted_share", "energy_in_favour_share", "institutional_trust_mean",
        "trust_municipality_mean", "community_strength"},
       "",
       {{"energy_mode", "timeline.0.args.mode", K::choice, 0, 0, 0, {"top_down", "community_led"},
         "top_down"},
        lever_year("timeline.0.at")}},
      {"housing",
       "builtin:urgent-allocation-40.yaml",
       "builtin:baseline.yaml",
       {"condition_share", "nuisance_often_share", "complaints_handled_share",
        "trust_housing_mean"},
       "W01-B1",
       {{"urgent_share", "timeline.0.set.allocation.urgent_share", K::number, 0, 0.6, 0.05, {},
         "0.2"},
        {"welfare_role", "timeline.0.set.housing.welfare_role", K::boolean, 0, 0, 0, {}, "true"},
        lever_year("timeline.0.at")}},
      {"wijkbudget",
       "builtin:wijkbudget-residents-decide.yaml",
       "builtin:baseline.yaml",
       {"wijkbudget_spent", "voting_turnout", "initiatives", "institutional_trust_mean"},
       "",
       {{"wijkbudget_amount", "parameters.wijkbudget.amount", K::number, 0, 200000, 10000, {},
         "0"},
        {"wijkbudget_process", "parameters.wijkbudget.process", K::choice, 0, 0, 0,
         {"residents_vote", "officials_decide"}, "residents_vote"}}},
  };
  return all;
}

const Card* find_card(const std::string& id) {
  for (const Card& c : cards())
    if (c.id == id) return &c;
  return nullptr;
}

const char* to_string(Lever::Kind k) {
  switch (k) {
    case K::number: return "number";
    case K::choice: return "choice";
    case K::boolean: return "boolean";
    case K::year: return "year";
  }
  return "?";
}

namespace {

std::optional<double> parse_number(const std::string& s) {
  double x = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), x);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(x))
    return std::nullopt;
  return x;
}

std::string range_text(const Lever& l) {
  return "a number from " + text::exact(l.min) + " to " + text::exact(l.max);
}

}  // namespace

LeverValue lever_override(const Lever& l, const std::string& value) {
  const std::string bad = "lever " + l.id + ": '" + value + "' is not ";
  switch (l.kind) {
    case K::number: {
      const auto x = parse_number(value);
      if (!x || *x < l.min || *x > l.max) return {std::nullopt, bad + range_text(l)};
      return {Override{l.key, text::exact(*x)}, ""};
    }
    case K::year: {
      const auto x = parse_number(value);
      if (!x || *x != std::floor(*x) || *x < l.min || *x > l.max)
        return {std::nullopt, bad + "a year from " + text::exact(l.min) + " to " +
                                  text::exact(l.max)};
      return {Override{l.key, text::exact(*x) + "-01-01"}, ""};
    }
    case K::boolean:
      if (value != "true" && value != "false") return {std::nullopt, bad + "true or false"};
      return {Override{l.key, value}, ""};
    case K::choice:
      for (const std::string& c : l.choices)
        if (c == value) return {Override{l.key, value}, ""};
      std::string list;
      for (const std::string& c : l.choices) list += (list.empty() ? "" : ", ") + c;
      return {std::nullopt, bad + "one of " + list};
  }
  return {std::nullopt, bad + "understood"};
}

std::string lever_default(const Lever& l, const std::vector<Override>& values) {
  for (const Override& v : values) {
    if (v.key != l.key) continue;
    if (l.kind == K::year) return v.value.substr(0, 4);  // YYYY-MM-DD
    return v.value;
  }
  return l.fallback;
}

}  // namespace buurtlab::lab
