// Nuisance (overlast). Every household now and then bothers its neighbours (noise, quarrels, mess);
// an adult with a psychiatric, addiction or intellectual-disability condition and a care need
// whose care is not in place does so far more often. A nuisance event is felt by the households within nuisance.reach
// homes on either side in the buurt (the same building or street): a bad encounter for each of
// their residents aged 12+, and a reason to move (demography). Some of them complain. A complaint
// about a housing-association tenant goes to the association, which handles it while it has a
// welfare role and a housing consultant in the wijk; otherwise, and for other tenures, the
// neighbourhood team handles it if it is not full. A handled complaint is a good experience of the
// institution that handled it and damps the nuisance for a while (mediation); an unhandled one is
// a bad experience of the housing association (for its tenants) or of the municipality. When the
// complaints about a household pile up, a resident with a condition there who has no case gets one
// (escalation to formal care); when they pile up further and nobody there is in a served case,
// the association evicts a social-rent household (its home is let again through allocation).
// Workshop sentence: "When a neighbour's problems go without help they become everyone's problem;
// someone who picks up the complaints can stop it, nobody can make it worse."
//
// Cost: a pass over the homes (decay; ordinary nuisance drawn once a month per household) and one
// over the residents that draws only for residents with a condition; the few events are applied
// serially in block order.
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

namespace {
struct NuisanceEvent {
  std::uint32_t home;  // the home whose household caused it
  std::uint32_t count;
};
constexpr double kDrawInterval = 1.0 / 12;  // years between a household's draws of ordinary nuisance
}  // namespace

void nuisance(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  const auto tick = static_cast<std::int32_t>(c.tick);
  const std::size_t n_homes = w.homes.size();
  w.home_tick.assign(n_homes, World::HomeTick{});
  // Felt nuisance and complaints are counts over about the last year: they decay with a time
  // constant of one year.
  const auto decay = static_cast<float>(std::exp(-c.dt_years));
  Tick every = 1;
  while (2.0 * every * c.dt_years <= kDrawInterval + 1e-12) every *= 2;
  const std::uint64_t due_mask = every - 1;
  const double span = every * c.dt_years;
  auto damped = [&](const Home& h) { return h.mediated_until >= tick ? 1.0 - p.nuisance_mediation_reduction : 1.0; };

  // 1. Ordinary nuisance by every household, drawn once a month (staggered by household id).
  Proposals<NuisanceEvent> events;
  events.reset(n_homes);
  c.exec->for_blocks(n_homes, [&](const Block& blk) {
    auto& out = events.of(blk);
    for (std::size_t h = blk.begin; h < blk.end; ++h) {
      Home& home = w.homes[h];
      home.nuisance_felt *= decay;
      home.complaints *= decay;
      home.evict = 0;
      if (home.size == 0 || p.nuisance_base_rate <= 0 || ((home.household + c.tick) & due_mask) != 0) continue;
      Rng rng = w.rng(stream::nb_nuisance, c.tick, home.household);
      const std::uint32_t k = rng.poisson(p.nuisance_base_rate * span * damped(home));
      if (k > 0) out.push_back({static_cast<std::uint32_t>(h), k});
    }
  });
  // 2. Residents with a condition: nuisance while their care is not in place, and escalation to
  // formal care when the complaints about their household pile up.
  const double condition_mean = p.nuisance_condition_rate * c.dt_years;
  Proposals<NuisanceEvent> condition_events;
  condition_events.reset(r.pop.slots());
  const std::uint8_t* condition = r.condition.data();
  c.exec->for_blocks(r.pop.slots(), [&](const Block& blk) {
    auto& out = condition_events.of(blk);
    for (Slot s = Slot(blk.begin); s < blk.end; ++s) {
      // A condition without care need (stable, or well managed) causes no extra nuisance.
      if (!condition[s] || !r.pop.alive(s) || r.age[s] < 18 || r.need[s] == 0) continue;
      const Home& home = w.homes[r.home[s]];
      if (r.case_since[s] < 0 && home.complaints >= p.escalation_complaints && p.escalation_complaints > 0) {
        r.case_since[s] = tick;
        r.case_kind[s] = kAcute;
      }
      const bool supported = r.case_since[s] >= 0 && r.case_served[s];
      const double mean = condition_mean * (supported ? 1.0 - p.nuisance_support_reduction : 1.0) * damped(home);
      if (mean <= 0) continue;
      Rng rng = w.rng(stream::nb_nuisance, c.tick, (std::uint64_t{1} << 46) + r.pop.id(s));
      const std::uint32_t k = rng.poisson(mean);
      if (k > 0) out.push_back({r.home[s], k});
    }
  });
  // 3. Apply in a fixed order: neighbours feel it and may complain; complaints are handled or not.
  std::vector<double> consultants(w.wijken.size(), 0.0);
  for (Slot s = 0; s < w.pro.pop.slots(); ++s)
    if (w.pro.pop.alive(s) && w.pro.role[s] == kHousingConsultant) consultants[w.pro.wijk[s]] += w.pro.fte[s];
  const int reach = p.nuisance_reach;
  auto apply = [&](const NuisanceEvent& e) {
    Home& source = w.homes[e.home];
    Buurt& bu = w.buurten[source.buurt];
    const Wijk& wk = w.wijken[bu.wijk];
    bu.housing_now.nuisance_events += e.count;
    const bool social = source.tenure == kSocialRent;
    const bool by_housing = social && w.city.ha_welfare_role && consultants[bu.wijk] > 0;
    const bool by_team = !by_housing && wk.workload < 1.0 && wk.casework_hours > 0;
    Rng rng = w.rng(stream::nb_nuisance, c.tick, (std::uint64_t{1} << 45) + source.household);
    const std::int64_t lo = std::max<std::int64_t>(0, std::int64_t{e.home} - reach);
    const std::int64_t hi = std::min<std::int64_t>(static_cast<std::int64_t>(n_homes) - 1, std::int64_t{e.home} + reach);
    for (std::int64_t j = lo; j <= hi; ++j) {
      if (j == e.home) continue;
      Home& nb = w.homes[static_cast<std::size_t>(j)];
      if (nb.size == 0 || nb.buurt != source.buurt) continue;
      nb.nuisance_felt += static_cast<float>(e.count);
      World::HomeTick& t = w.home_tick[static_cast<std::size_t>(j)];
      t.felt = static_cast<std::uint8_t>(std::min<std::uint32_t>(250, t.felt + e.count));
      std::uint32_t complaints = 0;
      for (std::uint32_t k = 0; k < e.count; ++k) complaints += rng.bernoulli(p.complaint_prob);
      if (complaints == 0) continue;
      source.complaints += static_cast<float>(complaints);
      bu.housing_now.complaints += complaints;
      auto bump = [&](std::uint8_t& x) { x = static_cast<std::uint8_t>(std::min<std::uint32_t>(250, x + complaints)); };
      if (by_housing || by_team) {
        bu.housing_now.complaints_handled += complaints;
        bump(by_housing ? t.handled_housing : t.handled_welfare);
        source.mediated_until = tick + static_cast<std::int32_t>(std::lround(p.nuisance_mediation_weeks * 7.0 / 365.25 / c.dt_years));
      } else {
        bump(social ? t.unhandled_housing : t.unhandled_municipality);
      }
    }
    // Eviction: the last step, for a social-rent household about which complaints keep coming
    // while nobody there is in a served case.
    if (social && p.eviction_complaints > 0 && source.complaints >= p.eviction_complaints && source.care_tick < tick &&
        !source.evict) {
      source.evict = 1;
      bu.housing_now.evictions += 1;
    }
  };
  events.for_each(apply);
  condition_events.for_each(apply);
}

}  // namespace buurtlab::neighbourhood
