// A fully resolved scenario: everything one run needs, checked and typed.
//
// Scenarios are written in YAML (see docs/scenarios.md); engine/scenario turns a file, its chain of
// `extends` bases and any command-line overrides into this struct or into a list of diagnostics.
// Model code receives a Scenario and never touches YAML.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "buurtlab/calendar.hpp"
#include "buurtlab/diagnostics.hpp"
#include "buurtlab/params.hpp"
#include "buurtlab/types.hpp"

namespace buurtlab {

enum class PlaceLevel : std::uint8_t { city, wijk, buurt };
const char* to_string(PlaceLevel l);

// A place of the city > wijk > buurt hierarchy. Places are listed city first, then each wijk
// followed by its buurten; `parent` is the index of the enclosing place (none for the city).
struct PlaceSpec {
  std::string code;  // e.g. "WK026801", or generated ("W1B3")
  std::string name;
  PlaceLevel level = PlaceLevel::buurt;
  std::optional<PlaceIndex> parent;
  std::int64_t population = 0;  // residents (buurt); sum of children for wijk and city
  ParamValues attributes;       // model-declared place attributes, inherited city > wijk > buurt
};

// A change at a date, from a date on, or periodically.
struct TimelineEvent {
  std::string label;
  Date at;
  std::optional<Period> every;  // repeat with this period from `at` on
  std::optional<Date> until;    // last date a repetition may fall on
  std::vector<std::pair<std::size_t, double>> set;  // parameter index -> new value
  std::string hook;                                 // model policy hook to call, or empty
  ParamValues hook_args;
  SourceLocation where;
};

struct OutputSpec {
  std::string file;        // default output path if -o is not given
  Tick flush_every = 52;   // ticks between flushes to disk (also the time chunk size)
};

struct Scenario {
  std::string name;
  std::string description;  // the question it asks and what to watch
  std::string model;
  Date start;
  Period duration{10, TimeUnit::year};
  // Run before `start` with the scenario's parameters and no timeline events, and not written, so
  // that the written run starts from a settled state rather than the initial one. Count 0: none.
  Period spin_up{0, TimeUnit::year};
  Period tick{1, TimeUnit::week};
  std::uint64_t seed = 1;
  std::uint32_t replicates = 1;
  std::vector<PlaceSpec> places;
  ParamValues parameters;
  std::vector<TimelineEvent> timeline;
  OutputSpec output;
  std::string source_file;    // where it was loaded from ("builtin:default.yaml" for built-ins)
  std::string resolved_yaml;  // the merged scenario as YAML, stored in every output file

  Tick ticks() const { return Clock::ticks_for(start, tick, duration); }
  // Ticks of the spin-up: the whole ticks that cover [start - spin_up, start).
  Tick spin_up_ticks() const { return Clock::ticks_before(start, tick, spin_up); }
  Clock clock() const { return Clock(start, tick, ticks()); }
  std::vector<PlaceIndex> places_at(PlaceLevel level) const;
  std::vector<PlaceIndex> children(PlaceIndex parent) const;
};

}  // namespace buurtlab
