// Limits on scenario input, checked by the loader before anything runs or is written.
//
// A scenario is a small text file, often written by hand, sometimes received from someone else.
// Without limits a few hundred bytes can ask for unbounded work: YAML aliases that expand into a
// billion values, a cyclic alias that recurses until the stack overflows, a million years of daily
// ticks, four billion replicates. Each limit below is far above what a real Dutch city needs and
// is refused with the usual file:line:column message (exit code 2). docs/scenarios.md, "Limits",
// lists them; docs/reliability.md names the test that holds each.
#pragma once
#include <cstddef>
#include <cstdint>

namespace buurtlab {

// Bytes in one scenario file (each file of an `extends` chain, and text given in memory). The
// largest built-in scenario has 2 KiB; every buurt of the Netherlands (about 14,000) listed with a
// name, a population and a few attributes takes under 1 MiB.
inline constexpr std::size_t kMaxScenarioBytes = std::size_t{1} << 20;

// Maps and lists nested in one another. The deepest key a scenario has
// (places.wijken.N.buurten.N.attributes.NAME) is seven levels down.
inline constexpr int kMaxNestingDepth = 32;

// Values (maps, lists and single values) in one file's tree, counted as the tree is built, so that
// a value reached through an alias counts every time it is reached: this is what stops an
// alias-expansion ("billion laughs") file. 200,000 holds the 14,000 buurten above.
inline constexpr std::size_t kMaxNodes = 200'000;

// Characters of text in one file's tree, aliases expanded: each alias to a long value would
// otherwise copy it again.
inline constexpr std::size_t kMaxTreeText = std::size_t{8} << 20;

// Characters in one value or key (a description of several pages fits).
inline constexpr std::size_t kMaxTextLength = 10'000;

// Files in an `extends` chain, the scenario itself included.
inline constexpr std::size_t kMaxExtendsChain = 16;

// Places (the city, its wijken and buurten, generated ones included).
inline constexpr std::size_t kMaxPlaces = 100'000;

// Residents of the whole city (the sum of all buurten).
inline constexpr std::int64_t kMaxResidents = 100'000'000;

// Years of `duration`, and of `spin_up`.
inline constexpr int kMaxYears = 1000;

// Replicates of one scenario.
inline constexpr std::uint32_t kMaxReplicates = 100'000;

// Timeline occurrences over a run: every repetition of every event counts (an event `every: 1 day`
// over 1,000 years is 365,242); each is scheduled in memory before the first tick.
inline constexpr std::size_t kMaxEventOccurrences = 1'000'000;

}  // namespace buurtlab
