// Every random stream id of the engine and of every model, in one place.
//
// A draw is keyed by (stream, tick, agent id, run seed). Giving each process its own stream means
// that adding draws to one process never shifts the numbers another process sees, and results do
// not depend on which thread handles which agent. Ids must be unique; the static_assert below
// checks it. Stream ids fit in 16 bits.
#pragma once
#include <array>
#include <cstdint>

namespace buurtlab {

using StreamId = std::uint16_t;

namespace stream {
// Engine
inline constexpr StreamId replicate_seed = 1;  // derives per-replicate seeds from the run seed
inline constexpr StreamId test_model = 2;      // the engine's test model (tests/support)
inline constexpr StreamId sweep_sample = 3;    // Latin hypercube samples of `buurtlab sweep`

// Neighbourhood model (models/neighbourhood)
inline constexpr StreamId nb_init_residents = 100;
inline constexpr StreamId nb_init_ties = 101;
inline constexpr StreamId nb_init_professionals = 102;
inline constexpr StreamId nb_init_initiatives = 103;
inline constexpr StreamId nb_households = 104;  // household-level draws of World::add_household
inline constexpr StreamId nb_meeting = 110;
inline constexpr StreamId nb_ties = 111;
inline constexpr StreamId nb_trust = 112;
inline constexpr StreamId nb_care_need = 113;
inline constexpr StreamId nb_care_ladder = 114;
inline constexpr StreamId nb_casework = 115;
inline constexpr StreamId nb_collective_work = 116;
inline constexpr StreamId nb_professional_turnover = 117;
inline constexpr StreamId nb_procurement = 118;
inline constexpr StreamId nb_initiative_birth = 119;
inline constexpr StreamId nb_initiative_life = 120;
inline constexpr StreamId nb_wijkbudget = 121;
inline constexpr StreamId nb_energy = 122;
inline constexpr StreamId nb_demography = 123;
inline constexpr StreamId nb_engagement = 124;
inline constexpr StreamId nb_agenda = 125;
inline constexpr StreamId nb_moves = 126;          // a household moving out, keyed by household id
inline constexpr StreamId nb_leaving_home = 127;   // where a young adult leaving home goes
inline constexpr StreamId nb_newcomer_kin = 128;   // newcomers' kin in the wijk, by household id
inline constexpr StreamId nb_nuisance = 129;       // nuisance events and complaints
inline constexpr StreamId nb_allocation = 130;     // the allocation stream of a social-rent vacancy
inline constexpr StreamId nb_places = 131;         // kinds, funders and closing order of places

// Reference models for cross-framework benchmarks
inline constexpr StreamId schelling = 200;
inline constexpr StreamId rumour_network = 210;
inline constexpr StreamId rumour_spread = 211;

inline constexpr std::array all = {
    replicate_seed, test_model, sweep_sample,
    nb_init_residents, nb_init_ties, nb_init_professionals, nb_init_initiatives, nb_households,
    nb_meeting,
    nb_ties, nb_trust, nb_care_need, nb_care_ladder, nb_casework, nb_collective_work,
    nb_professional_turnover, nb_procurement, nb_initiative_birth, nb_initiative_life,
    nb_wijkbudget, nb_energy, nb_demography, nb_engagement, nb_agenda, nb_moves,
    nb_leaving_home, nb_newcomer_kin, nb_nuisance, nb_allocation, nb_places,
    schelling, rumour_network, rumour_spread};

consteval bool all_unique() {
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = i + 1; j < all.size(); ++j)
      if (all[i] == all[j]) return false;
  return true;
}
static_assert(all_unique(), "two random streams share an id");
}  // namespace stream

}  // namespace buurtlab
