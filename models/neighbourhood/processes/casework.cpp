// Casework: residents ask the neighbourhood team for help when their need is still largely unmet
// after the informal rungs (an acute case), and residents with substantial need are its support
// clients even when family and friends carry the care (Wmo support at home, case coordination).
// A key figure who knows a professional signals need early: the case opens at a lower unmet
// share. The team serves cases, oldest first, as far as its casework hours (direct contact plus
// administration, and an indication for each new case) and its caseload ceiling allow; the rest
// wait. A served case gets a professional based in the resident's buurt where there is one;
// the relationship grows with contact and fades after the case closes. An acute case is resolved
// (need one step down) at a rate that rises with the professional's local knowledge and the
// relationship; a support case may be handed back to informal support around a key figure.
// Waiting too long is a bad experience of the institutions; help in time a good one. Workshop
// sentence: "The team helps best where it knows the neighbourhood and the person; when it is
// full, people wait."
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

namespace {

// Strongest signal a resident's ties can give: a key figure's familiarity with a professional,
// times the wijk's referral network.
double key_figure_signal(const World& w, Slot s, double network) {
  if (network <= 0) return 0.0;
  double best = 0;
  for (Slot o : w.res.ties.neighbours(s))
    if (w.res.contact[o] != kNoSlot && w.res.familiarity[o] > best && w.key_figure(o)) best = w.res.familiarity[o];
  return best * network;
}

// Whether a resident one level below care.case_need_level asks for support: one draw per
// resident for their whole life in the model (keyed without the tick).
bool takes_up(const World& w, Slot s) {
  return w.rng(stream::nb_casework, 0, (std::uint64_t{1} << 44) + w.res.pop.id(s)).uniform() < w.p.support_uptake;
}
}  // namespace

void casework(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  const double per_case_factor =
      p.financing == static_cast<int>(Financing::per_case) ? p.per_case_threshold_factor : 1.0;
  const double threshold = p.case_threshold * per_case_factor;  // per-case financing lowers the bar
  const double wait_ticks = p.wait_threshold_weeks * 7.0 / 365.25 / c.dt_years;
  const double rel_step = rate_to_probability(p.relationship_learning, c.dt_years);
  const double fade = std::exp(-p.relation_decay * c.dt_years);
  const double case_cost = p.hours_per_case();
  const auto need_level = static_cast<std::uint8_t>(p.case_need_level);
  std::vector<double> formal_hours(w.wijken.size(), 0.0);
  // Case professionals of each wijk: generalists and housing consultants, in slot order.
  std::vector<std::vector<Slot>> staff(w.wijken.size());
  for (Slot s = 0; s < w.pro.pop.slots(); ++s)
    if (w.pro.pop.alive(s) && w.pro.role[s] != kCommunityWorker) staff[w.pro.wijk[s]].push_back(s);

  c.exec->for_tasks(w.wijken.size(), [&](std::size_t wj) {
    Wijk& wk = w.wijken[wj];
    std::vector<Slot> cases;
    for (Slot s : w.wijk_residents[wj]) {
      if (r.need[s] + 1 < need_level) r.handed_back[s] = 0;
      if (r.case_since[s] < 0 && r.need_hours[s] > 0) {
        const double unmet_share = r.unmet[s] / r.need_hours[s];
        const bool support = need_level > 0 && r.need[s] > r.handed_back[s] &&
                             (r.need[s] >= need_level || (r.need[s] + 1 == need_level && takes_up(w, s)));
        bool acute = unmet_share >= threshold;
        if (!acute && !support && unmet_share > 0 && p.signal_weight > 0)
          acute = unmet_share >= threshold * (1.0 - p.signal_weight * key_figure_signal(w, s, wk.network));
        if (acute || support) {
          r.case_since[s] = static_cast<std::int32_t>(c.tick);
          r.case_kind[s] = acute ? kAcute : kSupport;
        }
      } else if (r.case_since[s] >= 0 && r.case_kind[s] == kSupport && r.need_hours[s] > 0 &&
                 r.unmet[s] / r.need_hours[s] >= threshold) {
        r.case_kind[s] = kAcute;  // informal care no longer carries it
      }
      if (r.case_since[s] >= 0) cases.push_back(s);
    }
    std::stable_sort(cases.begin(), cases.end(), [&](Slot a, Slot b) { return r.case_since[a] < r.case_since[b]; });
    // Capacity: the casework hours (a served case costs its direct hours plus administration, a
    // new one its indication on top) and the caseload ceiling per casework FTE.
    double hours_left = wk.casework_hours;
    const auto ceiling = static_cast<std::size_t>(std::floor(p.max_caseload * wk.casework_fte + 1e-9));
    std::size_t served = 0;
    double demand = 0;
    auto& team = staff[wj];
    for (std::size_t k = 0; k < cases.size(); ++k) {
      const Slot s = cases[k];
      const double cost = case_cost + (r.case_served[s] ? 0.0 : p.indication_hours);
      demand += cost;
      const double waited = static_cast<double>(c.tick) - r.case_since[s];
      if (team.empty() || served >= ceiling || hours_left <= 0) {
        // Waiting. Crossing the threshold is one bad experience.
        if (waited <= wait_ticks && waited + 1 > wait_ticks) r.bad_experience(s, kWelfare);
        continue;
      }
      hours_left -= cost;
      ++served;
      const bool first_served = !r.case_served[s];
      r.case_served[s] = 1;
      Slot& prof = r.professional[s];
      if (prof == kNoSlot || !w.pro.pop.alive(prof)) {
        // A professional based in the resident's buurt (housing consultants take their tenants'
        // cases), the least loaded this tick; else the least loaded of the wijk.
        Slot best = kNoSlot;
        for (int pass = 0; pass < 2 && best == kNoSlot; ++pass)
          for (Slot o : team) {
            if (w.pro.role[o] == kHousingConsultant && r.tenure[s] != kSocialRent) continue;
            if (pass == 0 && w.pro.buurt[o] != r.buurt[s]) continue;
            if (best == kNoSlot || w.pro.caseload[o] < w.pro.caseload[best]) best = o;
          }
        if (best == kNoSlot) best = team.front();
        prof = best;
        r.relationship[s] = 0;
      }
      // Help in time is a good experience of whoever gives it: the housing association for its
      // consultant's tenants, welfare otherwise.
      const Institution giver = w.pro.role[prof] == kHousingConsultant ? kHousing : kWelfare;
      if (first_served && waited <= wait_ticks) r.good_experience(s, giver);
      w.homes[r.home[s]].care_tick = static_cast<std::int32_t>(c.tick);  // care is in place
      ++w.pro.caseload[prof];
      r.relationship[s] += static_cast<float>(rel_step * (1.0 - r.relationship[s]));
      const auto formal = std::min(r.unmet[s], static_cast<float>(p.formal_hours_per_case));
      r.unmet[s] -= formal;
      r.formal_got[s] += formal;
      formal_hours[wj] += formal;
      Rng rng = w.rng(stream::nb_casework, c.tick, r.pop.id(s));
      if (r.case_kind[s] == kAcute) {
        const double quality = 0.5 + 0.25 * w.pro.knowledge[prof] + 0.25 * r.relationship[s];
        if (rng.bernoulli(rate_to_probability(p.case_resolution_rate * quality, c.dt_years))) {
          if (r.need[s] > 0) --r.need[s];
          r.case_since[s] = -1;
          r.case_served[s] = 0;
          r.case_kind[s] = kNoCase;
          r.good_experience(s, giver);
        }
      } else if (p.handback_rate > 0) {
        // Handing a support case back to informal support around a key figure (afschalen).
        const double signal = key_figure_signal(w, s, wk.network);
        if (signal > 0 && rng.bernoulli(rate_to_probability(p.handback_rate * signal, c.dt_years))) {
          r.case_since[s] = -1;
          r.case_served[s] = 0;
          r.case_kind[s] = kNoCase;
          r.handed_back[s] = r.need[s];
        }
      }
    }
    wk.open_cases = static_cast<double>(cases.size());
    wk.demand_hours = demand;
    wk.served_cases = static_cast<double>(served);
    wk.waiting = static_cast<double>(cases.size() - served);
    wk.workload = std::max(wk.casework_hours > 0 ? demand / wk.casework_hours : (cases.empty() ? 0.0 : 2.0),
                           ceiling > 0 ? static_cast<double>(cases.size()) / static_cast<double>(ceiling) : 0.0);
    // Cases whose need has gone (or fallen below the support level without unmet need) close.
    for (Slot s : cases) {
      if (r.case_since[s] < 0) continue;
      const bool gone = r.need[s] == 0 || (r.case_kind[s] == kSupport && r.need[s] + 1 < need_level) ||
                        (r.case_kind[s] == kSupport && r.need[s] + 1 == need_level && !takes_up(w, s));
      if (gone) {
        r.case_since[s] = -1;
        r.case_served[s] = 0;
        r.case_kind[s] = kNoCase;
      }
    }
    // A relationship without a case being served fades, and ends when it has faded away.
    for (Slot s : w.wijk_residents[wj]) {
      if (r.professional[s] == kNoSlot || (r.case_since[s] >= 0 && r.case_served[s])) continue;
      r.relationship[s] = static_cast<float>(r.relationship[s] * fade);
      if (r.relationship[s] < p.relation_end_below) {
        r.professional[s] = kNoSlot;
        r.relationship[s] = 0;
      }
    }
  });
  double total = 0;
  for (double h : formal_hours) total += h;
  w.city.care_spending_week = total * p.formal_care_hourly_cost;
}

}  // namespace buurtlab::neighbourhood
