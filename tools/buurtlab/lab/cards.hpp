// The lab's presets: one card per workshop card of docs/workshop/, each a built-in scenario with
// the levers a facilitator may move and the indicators it charts. Levers set scenario keys (the
// keys of --set); the page can move nothing else, so every run the lab makes is a run `buurtlab
// run SCENARIO --set ...` can repeat.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "buurtlab/model.hpp"
#include "buurtlab/scenario_loader.hpp"

namespace buurtlab::lab {

struct Lever {
  enum class Kind { number, choice, boolean, year };
  std::string id;   // names the lever in the language files (levers.ID)
  std::string key;  // the scenario key it sets, as --set names it
  Kind kind = Kind::number;
  double min = 0, max = 1, step = 0.1;  // number and year
  std::vector<std::string> choices;     // choice
  // The value when the card's scenario does not set `key` (the model's default), as text.
  std::string fallback;
};

struct Card {
  std::string id;        // names the card in the language files (cards.ID)
  std::string scenario;  // builtin:NAME
  std::string baseline;  // what the lever is compared with, run with the same seeds
  std::vector<std::string> watch;  // indicators charted, in order
  std::string place;     // code of the place shown first; empty: the city
  std::vector<Lever> levers;
};

const std::vector<Card>& cards();
const Card* find_card(const std::string& id);

// A lever's value as the page sends it, checked and turned into the scenario override. Returns
// the override, or an error message naming the lever, the value and what was expected.
struct LeverValue {
  std::optional<Override> set;
  std::string error;
};
LeverValue lever_override(const Lever& lever, const std::string& value);

// The lever's value in a loaded scenario (its resolved YAML), as the page shows it: the year of a
// date, "true"/"false", the number or choice as written; the fallback when the scenario does not
// set it.
std::string lever_default(const Lever& lever, const std::vector<Override>& scenario_values);

const char* to_string(Lever::Kind k);

}  // namespace buurtlab::lab
