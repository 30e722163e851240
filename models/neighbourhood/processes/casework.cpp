// Casework: residents whose need is still largely unmet after the informal rungs ask the
// neighbourhood team for help and join the wijk's case list. The team serves as many cases as its
// casework hours allow, oldest first; the rest wait. A served case gets a professional, whose
// relationship with the resident grows with contact, and is resolved (need one step down) at a rate
// that rises with the professional's local knowledge and the relationship. Waiting too long is a
// bad experience of the institutions; help in time a good one. Workshop sentence: "The team helps
// best where it knows the neighbourhood and the person; when it is full, people wait."
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

void casework(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  const double per_case_factor =
      p.financing == static_cast<int>(Financing::per_case) ? p.per_case_threshold_factor : 1.0;
  const double threshold = p.case_threshold * per_case_factor;  // per-case financing lowers the bar
  const double wait_ticks = p.wait_threshold_weeks * 7.0 / 365.25 / c.dt_years;
  const double rel_step = rate_to_probability(p.relationship_learning, c.dt_years);
  std::vector<double> formal_hours(w.wijken.size(), 0.0);
  // Professionals of each wijk, for assigning cases (least caseload first, then slot order).
  std::vector<std::vector<Slot>> staff(w.wijken.size());
  for (Slot s = 0; s < w.pro.pop.slots(); ++s)
    if (w.pro.pop.alive(s)) staff[w.pro.wijk[s]].push_back(s);

  c.exec->for_tasks(w.wijken.size(), [&](std::size_t wj) {
    Wijk& wk = w.wijken[wj];
    std::vector<Slot> cases;
    for (Slot s : w.wijk_residents[wj]) {
      if (r.case_since[s] < 0 && r.need_hours[s] > 0 && r.unmet[s] / r.need_hours[s] >= threshold)
        r.case_since[s] = static_cast<std::int32_t>(c.tick);
      if (r.case_since[s] >= 0) cases.push_back(s);
    }
    std::stable_sort(cases.begin(), cases.end(), [&](Slot a, Slot b) { return r.case_since[a] < r.case_since[b]; });
    const auto capacity = static_cast<std::size_t>(std::floor(wk.casework_cases));
    wk.waiting = cases.size() > capacity ? static_cast<double>(cases.size() - capacity) : 0.0;
    auto& team = staff[wj];
    for (std::size_t k = 0; k < cases.size(); ++k) {
      const Slot s = cases[k];
      const double waited = static_cast<double>(c.tick) - r.case_since[s];
      if (k >= capacity || team.empty()) {
        // Waiting. Crossing the threshold is one bad experience.
        if (waited <= wait_ticks && waited + 1 > wait_ticks) ++r.bad_inst[s];
        continue;
      }
      if (!r.case_served[s]) {
        r.case_served[s] = 1;
        if (waited <= wait_ticks) ++r.good_inst[s];
      }
      Slot& prof = r.professional[s];
      if (prof == kNoSlot || !w.pro.pop.alive(prof)) {
        prof = *std::min_element(team.begin(), team.end(), [&](Slot a, Slot b) {
          return w.pro.caseload[a] < w.pro.caseload[b];
        });
        r.relationship[s] = 0;
      }
      ++w.pro.caseload[prof];
      r.relationship[s] += static_cast<float>(rel_step * (1.0 - r.relationship[s]));
      const auto formal = std::min(r.unmet[s], static_cast<float>(p.formal_hours_per_case));
      r.unmet[s] -= formal;
      r.formal_got[s] += formal;
      formal_hours[wj] += formal;
      const double quality = 0.5 + 0.25 * w.pro.knowledge[prof] + 0.25 * r.relationship[s];
      Rng rng = w.rng(stream::nb_casework, c.tick, r.pop.id(s));
      if (rng.bernoulli(rate_to_probability(p.case_resolution_rate * quality, c.dt_years))) {
        if (r.need[s] > 0) --r.need[s];
        r.case_since[s] = -1;
        r.case_served[s] = 0;
        ++r.good_inst[s];
      }
    }
    // Cases whose need has gone close; the relationship stays until the professional leaves.
    for (Slot s : cases)
      if (r.need[s] == 0 && r.case_since[s] >= 0) {
        r.case_since[s] = -1;
        r.case_served[s] = 0;
      }
  });
  double total = 0;
  for (double h : formal_hours) total += h;
  w.city.care_spending_week = total * p.formal_care_hourly_cost;
}

}  // namespace buurtlab::neighbourhood
