// Demography: residents age; households move out at a rate set by their tenure and are replaced
// by a newcomer household of the same size (its tenure, group and income drawn from the buurt's
// composition), without ties in the neighbourhood; residents
// die at an age-dependent rate and a newcomer living alone takes their place. The population
// of each buurt stays about constant. Workshop sentence: "People move in and out; newcomers start
// without ties, so a neighbourhood with much turnover has to keep rebuilding its networks."
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

void demography(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  const double move_rate[3] = {p.move_rate_social, p.move_rate_private, p.move_rate_owner};
  struct Leaving {
    Slot s;
    bool household_moves;
  };
  std::vector<Leaving> leaving;
  for (Slot s = 0; s < r.pop.slots(); ++s) {
    if (!r.pop.alive(s)) continue;
    const float before = r.age[s];
    r.age[s] += static_cast<float>(c.dt_years);
    // Life stages change what one can give: at 15 some spare time, at 20 adult spare time and
    // leadership potential, at 65 the spare time of the retired.
    for (const float stage : {15.0f, 20.0f, 65.0f}) {
      if (before < stage && r.age[s] >= stage) {
        Rng life = w.rng(stream::nb_demography, c.tick, (std::uint64_t{1} << 45) + r.pop.id(s));
        r.spare_hours[s] = spare_hours_for(p, r.age[s], r.need[s], life);
        if (stage == 20.0f) r.potential[s] = static_cast<float>(std::pow(life.uniform(), 3.0));
      }
    }
    // Household-level draw keyed by the household id: all members get the same answer.
    Rng hh = w.rng(stream::nb_demography, c.tick, (std::uint64_t{1} << 46) + r.household[s]);
    if (hh.bernoulli(rate_to_probability(move_rate[r.tenure[s]], c.dt_years))) {
      leaving.push_back({s, true});
      continue;
    }
    Rng me = w.rng(stream::nb_demography, c.tick, r.pop.id(s));
    const double mortality = p.mortality_at_80 * std::exp2((r.age[s] - 80.0) / 8.0);
    if (me.bernoulli(rate_to_probability(mortality, c.dt_years))) leaving.push_back({s, false});
  }
  if (leaving.empty()) return;
  // Newcomers: one household per household that moved, one single resident per death, in the
  // buurt they leave (the home stays occupied).
  // A household that moves out is replaced by one of the same size in the same home.
  struct Arrival {
    std::uint64_t household;
    std::uint32_t buurt;
    int size;
  };
  std::vector<Arrival> arrivals;
  std::vector<std::uint32_t> single_arrivals;
  for (const auto& l : leaving) {
    if (l.household_moves) arrivals.push_back({r.household[l.s], r.buurt[l.s], 1});
    else single_arrivals.push_back(r.buurt[l.s]);
  }
  std::sort(arrivals.begin(), arrivals.end(), [](const Arrival& a, const Arrival& b) { return a.household < b.household; });
  std::vector<Arrival> merged;
  for (const auto& a : arrivals) {
    if (!merged.empty() && merged.back().household == a.household) ++merged.back().size;
    else merged.push_back(a);
  }
  for (const auto& l : leaving) w.remove_resident(l.s);
  for (const auto& a : merged) w.add_household(a.buurt, c.tick, false, a.size);
  for (std::uint32_t b : single_arrivals) w.add_household(b, c.tick, false, 1);
  w.rebuild_place_lists();
}

}  // namespace buurtlab::neighbourhood
