// Basic identifiers shared by every layer of the engine.
#pragma once
#include <cstdint>
#include <limits>

namespace buurtlab {

// Global, stable identity of an agent. Never reused within a run, so that randomness keyed by id
// and any later partitioning over processes (one wijk per MPI rank) see the same agent. Only the
// low 48 bits are used by the random streams (see rng.hpp).
using AgentId = std::uint64_t;

// Position of an agent in its population's arrays. A slot is stable while the agent lives and may
// be reused by a newcomer after it leaves (see population.hpp for the policy).
using Slot = std::uint32_t;
inline constexpr Slot kNoSlot = std::numeric_limits<Slot>::max();

// Tick number; tick 0 is the initial state, tick t the state after t steps.
using Tick = std::uint32_t;

// Index of a place (city, wijk or buurt) in the scenario's place list.
using PlaceIndex = std::uint32_t;

}  // namespace buurtlab
