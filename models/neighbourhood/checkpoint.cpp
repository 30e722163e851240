// The neighbourhood model's state for checkpoints (docs/reliability.md, "Checkpoint and
// resume"): everything that carries from one tick to the next. What a phase rebuilds before it
// reads it (the Proposals buffers) is left out. The size checks below fail to compile when a field
// is added to a struct saved field by field: add it here, then update the size.
#include <type_traits>

#include "world.hpp"

namespace buurtlab::neighbourhood {

namespace {

template <class T>
constexpr bool kBytes = std::is_trivially_copyable_v<T>;
static_assert(kBytes<Params> && kBytes<PlaceAttributes> && kBytes<Home> && kBytes<Place> &&
              kBytes<HousingCounts> && kBytes<EnergyProject> && kBytes<City> &&
              kBytes<World::HomeTick>,
              "saved as bytes: must stay trivially copyable");
// Saved field by field (they hold vectors). GCC on x86-64, the project's platform.
static_assert(sizeof(Buurt) == 432, "a field was added to Buurt: save it, then update this size");
static_assert(sizeof(Wijk) == 304, "a field was added to Wijk: save it, then update this size");

void save_buurt(const Buurt& b, StateWriter& w) {
  w.put(b.place);
  w.put(b.wijk);
  w.put(b.attr);
  w.put(b.places_open);
  w.put(b.place_hours);
  w.put(b.need_share);
  w.put(b.trust_mean);
  w.put(b.housing_now);
  w.put(b.housing_year);
  w.put_vector(b.housing_ring);
  w.put_vector(b.residents);
  w.put(b.face);
}

void load_buurt(Buurt& b, StateReader& r) {
  r.get(b.place);
  r.get(b.wijk);
  r.get(b.attr);
  r.get(b.places_open);
  r.get(b.place_hours);
  r.get(b.need_share);
  r.get(b.trust_mean);
  r.get(b.housing_now);
  r.get(b.housing_year);
  r.get_vector(b.housing_ring);
  r.get_vector(b.residents);
  r.get(b.face);
}

void save_wijk(const Wijk& k, StateWriter& w) {
  w.put(k.place);
  w.put_vector(k.buurten);
  w.put(k.residents);
  w.put(k.social_rent_homes);
  w.put(k.provider);
  w.put(k.next_tender_years);
  w.put(k.transition_until);
  w.put(k.funded_fte);
  w.put(k.funded_role_fte);
  w.put(k.vacancies);
  w.put(k.collective_hours);
  w.put(k.generalist_collective_hours);
  w.put(k.casework_hours);
  w.put(k.casework_fte);
  w.put(k.waiting);
  w.put(k.open_cases);
  w.put(k.demand_hours);
  w.put(k.served_cases);
  w.put(k.workload);
  w.put(k.network);
  w.put(k.collective_mandate);
  w.put_vector(k.leavers_ring);
  w.put(k.leavers_now);
  w.put(k.wijkbudget_spent_year);
  w.put(k.voters_year);
  w.put(k.energy);
}

void load_wijk(Wijk& k, StateReader& r) {
  r.get(k.place);
  r.get_vector(k.buurten);
  r.get(k.residents);
  r.get(k.social_rent_homes);
  r.get(k.provider);
  r.get(k.next_tender_years);
  r.get(k.transition_until);
  r.get(k.funded_fte);
  r.get(k.funded_role_fte);
  r.get(k.vacancies);
  r.get(k.collective_hours);
  r.get(k.generalist_collective_hours);
  r.get(k.casework_hours);
  r.get(k.casework_fte);
  r.get(k.waiting);
  r.get(k.open_cases);
  r.get(k.demand_hours);
  r.get(k.served_cases);
  r.get(k.workload);
  r.get(k.network);
  r.get(k.collective_mandate);
  r.get_vector(k.leavers_ring);
  r.get(k.leavers_now);
  r.get(k.wijkbudget_spent_year);
  r.get(k.voters_year);
  r.get(k.energy);
}

}  // namespace

void save_world(const World& w, StateWriter& out) {
  out.section("neighbourhood world");
  out.put(w.p);
  w.res.pop.save(out);
  w.res.ties.save(out);
  w.pro.pop.save(out);
  w.ini.pop.save(out);
  out.section("homes and places");
  out.put_vector(w.homes);
  out.put_vector(w.places);
  out.section("buurten");
  out.put<std::uint64_t>(w.buurten.size());
  for (const Buurt& b : w.buurten) save_buurt(b, out);
  out.section("wijken");
  out.put<std::uint64_t>(w.wijken.size());
  for (const Wijk& k : w.wijken) save_wijk(k, out);
  out.section("city");
  out.put(w.city);
  // Kept between ticks although filled within one: the trust phase reads last tick's nuisance
  // (home_tick), the lists and positions are maintained incrementally, and the copies are read
  // before they are refreshed in some phases.
  out.section("between ticks");
  out.put_vector(w.home_moves);
  out.put_vector(w.home_tick);
  out.put<std::uint64_t>(w.wijk_residents.size());
  for (const auto& v : w.wijk_residents) out.put_vector(v);
  out.put_vector(w.buurt_pos);
  out.put_vector(w.wijk_pos);
  out.put_vector(w.members_offset);
  out.put_vector(w.members_flat);
  out.put_vector(w.initiative_before);
  out.put_vector(w.flag_before);
  out.put(w.initiatives_founded_tick);
  out.put(w.initiatives_dissolved_tick);
  out.section("end");
}

void load_world(World& w, StateReader& in) {
  in.section("neighbourhood world");
  in.get(w.p);
  w.res.pop.load(in);
  w.res.ties.load(in);
  w.pro.pop.load(in);
  w.ini.pop.load(in);
  in.section("homes and places");
  in.get_vector(w.homes);
  in.get_vector(w.places);
  in.section("buurten");
  if (in.get<std::uint64_t>() != w.buurten.size()) in.fail("another number of buurten");
  for (Buurt& b : w.buurten) load_buurt(b, in);
  in.section("wijken");
  if (in.get<std::uint64_t>() != w.wijken.size()) in.fail("another number of wijken");
  for (Wijk& k : w.wijken) load_wijk(k, in);
  in.section("city");
  in.get(w.city);
  in.section("between ticks");
  in.get_vector(w.home_moves);
  in.get_vector(w.home_tick);
  w.wijk_residents.resize(in.get<std::uint64_t>());
  for (auto& v : w.wijk_residents) in.get_vector(v);
  in.get_vector(w.buurt_pos);
  in.get_vector(w.wijk_pos);
  in.get_vector(w.members_offset);
  in.get_vector(w.members_flat);
  in.get_vector(w.initiative_before);
  in.get_vector(w.flag_before);
  in.get(w.initiatives_founded_tick);
  in.get(w.initiatives_dissolved_tick);
  in.section("end");
}

}  // namespace buurtlab::neighbourhood
