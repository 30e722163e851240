// Professional work and the institutions around it: the neighbourhood team's time split between
// casework and collective work, local knowledge growing with tenure, staff turnover and vacancies,
// procurement (re-tendering the welfare contract) and the budget that funds posts.
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

namespace {
// Posts the municipality funds in a wijk at the current budget; as at the start (initialise),
// every wijk keeps at least one, so that a small wijk's only post is refilled when its holder leaves.
double funded_posts(const World& w, const Wijk& wk) {
  if (w.city.budget_factor <= 0) return 0.0;
  return std::max(1.0, std::round(wk.residents / w.p.residents_per_professional * w.city.budget_factor));
}
double manager_posts(const World& w, const Wijk& wk) {
  return w.city.ha_welfare_role ? std::round(wk.social_rent_homes / w.p.ha_social_manager_per_homes) : 0;
}

std::vector<Slot> staff_of(const World& w, std::uint32_t wj, std::uint8_t role) {
  std::vector<Slot> out;
  for (Slot s = 0; s < w.pro.pop.slots(); ++s)
    if (w.pro.pop.alive(s) && w.pro.wijk[s] == wj && w.pro.role[s] == role) out.push_back(s);
  return out;
}
}  // namespace

void tender(World& w, std::uint32_t wj, const TickContext& c, double change_prob) {
  Wijk& wk = w.wijken[wj];
  // The wijk's draw is keyed apart from the professionals' ids (which start at 0): keyed by the
  // bare wijk index it would repeat the transfer draw of the professional whose id equals it.
  Rng rng = w.rng(stream::nb_procurement, c.tick, (std::uint64_t{1} << 40) + wj);
  if (!rng.bernoulli(change_prob)) return;  // the incumbent keeps the contract
  // The contract moves: a new provider, a transfer share of staff moves with it (keeping its
  // knowledge), the rest leaves; the new provider fills part of the open posts at once.
  wk.provider = static_cast<std::uint8_t>((wk.provider + 1 + rng.below(3)) % 4);
  int left = 0;
  for (Slot s : staff_of(w, wj, kTeamMember)) {
    Rng r = w.rng(stream::nb_procurement, c.tick, w.pro.pop.id(s));
    if (r.bernoulli(w.p.staff_transfer_share)) {
      w.pro.employer[s] = wk.provider;
    } else {
      w.professional_leaves(s, c.tick);
      ++left;
    }
  }
  const int refill = static_cast<int>(std::round(left * w.p.new_provider_staffing));
  for (int k = 0; k < refill; ++k) w.hire_professional(wj, kTeamMember, c.tick);
  wk.transition_until = c.tick + static_cast<Tick>(std::ceil(w.p.transition_weeks * 7.0 / 365.25 / c.dt_years));
}

void resize_staff(World& w, const TickContext& c) {
  // Budget cuts and the housing association's withdrawal end posts: the most recently hired go
  // first (last in, first out, a common rule in Dutch labour law).
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj) {
    Wijk& wk = w.wijken[wj];
    wk.funded_fte = funded_posts(w, wk);
    for (std::uint8_t role : {kTeamMember, kSocialManager}) {
      const double posts = role == kTeamMember ? wk.funded_fte : manager_posts(w, wk);
      auto staff = staff_of(w, wj, role);
      std::stable_sort(staff.begin(), staff.end(), [&](Slot a, Slot b) {
        return w.pro.tenure_years[a] < w.pro.tenure_years[b];
      });
      for (std::size_t k = 0; staff.size() - k > posts && k < staff.size(); ++k)
        w.professional_leaves(staff[k], c.tick);
    }
  }
}

void institutions(World& w, const TickContext& c) {
  const double t_years = c.tick * c.dt_years;
  // Procurement: each wijk's contract is re-tendered every tender interval (0 = partnership).
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj) {
    Wijk& wk = w.wijken[wj];
    if (w.p.tender_interval <= 0) continue;
    if (wk.next_tender_years <= 0) wk.next_tender_years = w.p.tender_interval;
    if (t_years + 1e-9 >= wk.next_tender_years) {
      tender(w, wj, c, w.p.contract_change_prob);
      wk.next_tender_years += w.p.tender_interval;
    }
  }
  // Turnover: professionals leave at the turnover rate; knowledge and relationships go with them.
  const double p_leave = rate_to_probability(w.p.turnover_rate, c.dt_years);
  std::vector<Slot> leaving;
  for (Slot s = 0; s < w.pro.pop.slots(); ++s) {
    if (!w.pro.pop.alive(s)) continue;
    if (w.rng(stream::nb_professional_turnover, c.tick, w.pro.pop.id(s)).bernoulli(p_leave))
      leaving.push_back(s);
  }
  for (Slot s : leaving) w.professional_leaves(s, c.tick);
  // Vacancies are filled at the vacancy fill rate (low under a staff shortage).
  const double p_fill = rate_to_probability(w.p.vacancy_fill_rate, c.dt_years);
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj) {
    Wijk& wk = w.wijken[wj];
    wk.funded_fte = funded_posts(w, wk);
    for (std::uint8_t role : {kTeamMember, kSocialManager}) {
      const double posts = role == kTeamMember ? wk.funded_fte : manager_posts(w, wk);
      const double present = static_cast<double>(staff_of(w, wj, role).size());
      for (int k = 0; k < posts - present; ++k) {
        Rng rng = w.rng(stream::nb_professional_turnover, c.tick,
                        (std::uint64_t{1} << 40) + (std::uint64_t{wj} << 16) + (std::uint64_t{role} << 15) + static_cast<std::uint64_t>(k));
        if (rng.bernoulli(p_fill)) w.hire_professional(wj, role, c.tick);
      }
    }
  }
  // Yearly cycles.
  const Tick year_ticks = std::max<Tick>(1, static_cast<Tick>(std::lround(1.0 / c.dt_years)));
  if (c.tick >= w.city.next_wijkbudget) {
    // The housing association's liveability budget goes to the initiatives of buurten with its
    // homes, in proportion to those homes, shared equally among a buurt's initiatives.
    if (w.city.ha_welfare_role && w.p.ha_liveability_per_home > 0) {
      std::vector<double> count(w.buurten.size(), 0.0);
      for (Slot i = 0; i < w.ini.pop.slots(); ++i)
        if (w.ini.pop.alive(i) && !w.ini.dissolving[i]) count[w.ini.buurt[i]] += 1;
      for (Slot i = 0; i < w.ini.pop.slots(); ++i) {
        if (!w.ini.pop.alive(i) || w.ini.dissolving[i]) continue;
        const Buurt& bu = w.buurten[w.ini.buurt[i]];
        const double homes = static_cast<double>(bu.residents.size()) / 2.3 * bu.attr.social_rent_share;
        w.ini.funds[i] += static_cast<float>(w.p.ha_liveability_per_home * homes / count[w.ini.buurt[i]]);
      }
    }
    if (w.p.wijkbudget_amount > 0 && w.p.wijkbudget_process != 0) run_wijkbudget(w, c);
    w.city.next_wijkbudget = c.tick + year_ticks;
  }
  if (w.p.future_agenda && w.p.agenda_rounds > 0 && c.tick >= w.city.next_agenda) {
    run_agenda_round(w, c);
    w.city.next_agenda =
        c.tick + std::max<Tick>(1, static_cast<Tick>(std::lround(1.0 / (w.p.agenda_rounds * c.dt_years))));
  }
}

void professional_work(World& w, const TickContext& c) {
  // Per wijk: hours of casework and collective work this week, and knowledge growth.
  const double learn = rate_to_probability(w.p.knowledge_learning, c.dt_years);
  const double collective_share =
      w.p.collective_share * (w.p.financing == static_cast<int>(Financing::per_case)
                                  ? w.p.per_case_collective_factor
                                  : 1.0);
  for (auto& wk : w.wijken) {
    wk.collective_hours = 0;
    wk.casework_cases = 0;
  }
  std::vector<double> k_sum(w.wijken.size(), 0.0), n(w.wijken.size(), 0.0);
  for (Slot s = 0; s < w.pro.pop.slots(); ++s) {
    if (!w.pro.pop.alive(s)) continue;
    Wijk& wk = w.wijken[w.pro.wijk[s]];
    w.pro.tenure_years[s] += static_cast<float>(c.dt_years);
    w.pro.knowledge[s] += static_cast<float>(learn * (1.0 - w.pro.knowledge[s]));
    const double capacity = c.tick < wk.transition_until ? 1.0 - w.p.transition_capacity_loss : 1.0;
    // Social managers split their time evenly; team members by the collective share.
    const double share = w.pro.role[s] == kSocialManager ? 0.5 : collective_share;
    const double hours = w.p.professional_hours * capacity;
    wk.collective_hours += hours * share * (0.5 + 0.5 * w.pro.knowledge[s]);
    wk.casework_cases += hours * (1.0 - share) / w.p.caseload_hours;
    k_sum[w.pro.wijk[s]] += w.pro.knowledge[s];
    n[w.pro.wijk[s]] += 1;
    w.pro.caseload[s] = 0;
  }
  // Crowding out: while cases wait, the team moves collective hours to casework, up to the hours
  // the waiting cases need (professionals.crowding_out of them).
  for (auto& wk : w.wijken) {
    if (wk.collective_hours <= 0 || wk.waiting <= 0) continue;
    const double diverted = std::min(wk.collective_hours, wk.waiting * w.p.caseload_hours) * w.p.crowding_out;
    wk.collective_hours -= diverted;
    wk.casework_cases += diverted / w.p.caseload_hours;
  }
  double welfare_hours = 0;
  for (std::size_t i = 0; i < w.wijken.size(); ++i) {
    w.wijken[i].mean_knowledge = n[i] > 0 ? k_sum[i] / n[i] : 0.0;
    welfare_hours += n[i] * w.p.professional_hours;
    w.wijken[i].vacancies = std::max(0.0, w.wijken[i].funded_fte + (w.city.ha_welfare_role ? std::round(w.wijken[i].social_rent_homes / w.p.ha_social_manager_per_homes) : 0) - n[i]);
  }
  w.city.welfare_spending_week = welfare_hours * w.p.hourly_cost;
  // Collective work supports initiatives first (up to the hours each needs), the rest brokers
  // encounters and activates residents (used by the meeting and initiative processes).
  std::vector<double> inits(w.wijken.size(), 0.0);
  for (Slot i = 0; i < w.ini.pop.slots(); ++i)
    if (w.ini.pop.alive(i)) inits[w.buurten[w.ini.buurt[i]].wijk] += 1;
  for (Slot i = 0; i < w.ini.pop.slots(); ++i) {
    if (!w.ini.pop.alive(i)) continue;
    const Wijk& wk = w.wijken[w.buurten[w.ini.buurt[i]].wijk];
    const double per = wk.collective_hours * 0.5 / std::max(1.0, inits[w.buurten[w.ini.buurt[i]].wijk]);
    w.ini.support[i] = static_cast<float>(std::min(1.0, per / w.p.support_hours_needed));
  }
}

}  // namespace buurtlab::neighbourhood
