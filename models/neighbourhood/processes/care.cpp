// The care ladder. A resident's care need (hours per week, on a ladder of five levels) is met in
// order by their household, their strong ties (kin and friends), willing weak ties (helpers whose
// social trust is above a threshold and who have spare hours left), neighbour-help initiatives in
// their buurt, and only then the neighbourhood team (a case, see casework.cpp). Unmet need raises
// loneliness and makes the need escalate. Workshop sentence: "Who helps you first is who lives
// with you, then family and friends, then neighbours you trust, then the neighbourhood's own
// initiatives, and only then the professional."
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

namespace {
enum Rung { kHousehold, kStrong, kWeakTies, kRungs };

// Requests for every rung are collected in one parallel pass (each resident in need asks the ties
// of each rung, in the order the ties are stored). Which ties a resident asks does not depend on
// what earlier rungs granted, so one pass serves all three; a request whose asker has been fully
// helped by an earlier rung is skipped when it is granted.
void collect_requests(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  for (auto& rung : w.help) rung.reset(r.pop.slots());
  c.exec->for_blocks(r.pop.slots(), [&](const Block& blk) {
    auto& household = w.help[kHousehold].of(blk);
    auto& strong = w.help[kStrong].of(blk);
    auto& weak = w.help[kWeakTies].of(blk);
    for (Slot s = Slot(blk.begin); s < blk.end; ++s) {
      if (!r.pop.alive(s) || r.unmet[s] <= 0) continue;
      const auto nb = r.ties.neighbours(s);
      const auto kd = r.ties.kinds(s);
      for (std::size_t k = 0; k < nb.size(); ++k) {
        const Slot o = nb[k];
        const bool same_home = r.household[o] == r.household[s];
        if (same_home) {
          if (r.age[o] >= 16) household.push_back({s, o, true});
        } else if (kd[k] != kWeak) {
          strong.push_back({s, o, kd[k] == kKin});
        }
        if (kd[k] == kWeak && r.trust[o] > p.help_trust_threshold)
          weak.push_back({s, o, same_home || kd[k] == kKin});
      }
    }
  });
}

// Grants one rung's requests in a fixed order from each helper's remaining hours. Helpers are
// household members or ties, so from the asker's wijk: the wijken grant in parallel.
void grant(World& w, const TickContext& c, Rung rung) {
  auto& r = w.res;
  const auto cap_share = static_cast<float>(w.p.max_help_share);
  const auto wijk_of_request = [&](const HelpRequest& h) {
    const std::uint32_t wj = w.wijk_of(h.from);
    return wj == w.wijk_of(h.to) ? std::size_t{wj} : Proposals<HelpRequest>::kAnyGroup;
  };
  w.help[rung].for_each_grouped(*c.exec, w.wijken.size(), wijk_of_request, [&](const HelpRequest& h) {
    if (r.unmet[h.from] <= 0) return;
    float avail = r.budget_left[h.to];
    if (rung != kHousehold) avail = std::min(avail, cap_share * r.spare_hours[h.to]);
    const float grant = std::min(r.unmet[h.from], avail);
    if (grant <= 0) return;
    r.unmet[h.from] -= grant;
    r.informal_got[h.from] += grant;
    r.budget_left[h.to] -= grant;
    r.given[h.to] += grant;
    if (h.kin) r.given_kin[h.to] += grant;
  });
}
}  // namespace

void care(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  const double p_recover = rate_to_probability(p.need_recovery_rate, c.dt_years);
  // 1. Need changes: onset rises with age and vulnerability; unmet need makes it escalate; met
  //    need lets it recover (not at tick 0, when the ladder runs once on the initial state so the
  //    first output already shows who is helped by whom). Then everyone's hours are set.
  c.exec->for_each(r.pop.slots(), [&](std::size_t i) {
    const Slot s = Slot(i);
    if (!r.pop.alive(s)) return;
    Rng rng = w.rng(stream::nb_care_need, c.tick, r.pop.id(s));
    const Buurt& bu = w.buurten[r.buurt[s]];
    const double unmet_share = r.need_hours[s] > 0 ? r.unmet[s] / r.need_hours[s] : 0.0;
    const double decades = std::max(0.0, (r.age[s] - 50.0) / 10.0);
    const double onset = p.need_onset_rate * bu.attr.vulnerability * std::pow(p.need_onset_age_factor, decades) +
                         p.escalation_rate * unmet_share;
    std::uint8_t need = r.need[s];
    if (c.tick == 0) {
      // initial state: need as drawn at initialisation
    } else if (need < kNeedLevels - 1 && rng.bernoulli(rate_to_probability(onset, c.dt_years))) {
      ++need;
    } else if (need > 0 && unmet_share < 0.1 && rng.bernoulli(p_recover)) {
      --need;
    }
    r.need[s] = need;
    r.need_hours[s] = w.p.need_hours(need);
    r.unmet[s] = w.p.need_hours(need);
    r.informal_got[s] = 0;
    r.formal_got[s] = 0;
    r.given[s] = 0;
    r.given_kin[s] = 0;
    // Helpers' hours this week: household members can give household hours, others spare hours.
    r.budget_left[s] = need >= 2 ? 0.0f : std::max(r.spare_hours[s], static_cast<float>(r.alone[s] ? 0.0 : p.household_care_hours));
  });
  // 2-4. Household, strong ties, willing weak ties.
  collect_requests(w, c);
  grant(w, c, kHousehold);
  // Outside the household only spare hours count.
  c.exec->for_each(r.pop.slots(), [&](std::size_t i) {
    const Slot s = Slot(i);
    if (r.pop.alive(s)) r.budget_left[s] = std::max(0.0f, std::min(r.budget_left[s], r.spare_hours[s] - r.given[s]));
  });
  grant(w, c, kStrong);
  grant(w, c, kWeakTies);
  // 5. Neighbour-help initiatives: their members' hours form a pool per buurt, shared out in
  //    proportion to the need still unmet (no one is served first).
  std::vector<double> pool(w.buurten.size(), 0.0);
  for (Slot i = 0; i < w.ini.pop.slots(); ++i)
    if (w.ini.pop.alive(i) && w.ini.type[i] == kNeighbourHelp)
      pool[w.ini.buurt[i]] += w.ini.members[i] * p.member_hours * w.ini.viability[i];
  c.exec->for_tasks(w.buurten.size(), [&](std::size_t b) {
    if (pool[b] <= 0) return;
    double total = 0;
    for (Slot s : w.buurten[b].residents) total += r.unmet[s];
    if (total <= 0) return;
    const double frac = std::min(1.0, pool[b] / total);
    for (Slot s : w.buurten[b].residents) {
      const auto got = static_cast<float>(r.unmet[s] * frac);
      r.unmet[s] -= got;
      r.informal_got[s] += got;
    }
  });
  // 6. How long each helper has been giving care to household or kin: the survey's definition of
  //    an informal carer counts care that has lasted three months (indicators.cpp). The care
  //    given in the initial state is taken to be long-standing, as the initial needs are drawn
  //    as the ladder's long-run shares (world.cpp).
  const auto weeks = static_cast<float>(c.dt_years * 365.25 / 7.0);
  c.exec->for_each(r.pop.slots(), [&](std::size_t i) {
    const Slot s = Slot(i);
    if (!r.pop.alive(s)) return;
    if (r.given_kin[s] < kCareGivingMinHours)
      r.care_spell_weeks[s] = 0;
    else
      r.care_spell_weeks[s] = c.tick == 0 ? kCarerLongSpellWeeks : r.care_spell_weeks[s] + weeks;
  });
}

}  // namespace buurtlab::neighbourhood
