// Professional work and the institutions around it: funded posts per role (in FTE), staff
// turnover and vacancies, procurement (re-tendering the welfare contract), each professional's
// time split between casework and collective work, local knowledge growing with tenure, the
// contract holder's referral network, and the support initiatives get from the professional who
// knows them. Workshop sentence: "Professionals who stay get to know the neighbourhood and its
// people; a new contract sends many of them away, and what they knew and who knew them goes
// with them."
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

namespace {
constexpr double kMinPost = 0.01;  // FTE: smaller remainders of a post are not filled

std::vector<Slot> staff_of(const World& w, std::uint32_t wj, std::uint8_t role) {
  std::vector<Slot> out;
  for (Slot s = 0; s < w.pro.pop.slots(); ++s)
    if (w.pro.pop.alive(s) && w.pro.wijk[s] == wj && w.pro.role[s] == role) out.push_back(s);
  return out;
}

double fte_of(const World& w, const std::vector<Slot>& staff) {
  double f = 0;
  for (Slot s : staff) f += w.pro.fte[s];
  return f;
}

// Excess workload of a wijk's team: casework demand over capacity minus 1, between 0 and 1.
double excess_workload(const Wijk& wk) { return std::clamp(wk.workload - 1.0, 0.0, 1.0); }

// Fills the open FTE of one role in a wijk: each open post (whole, the last one the remainder) is
// filled with probability p_fill by a newcomer; one keyed draw per wijk, role and post.
void fill_posts(World& w, std::uint32_t wj, std::uint8_t role, Tick tick, double p_fill) {
  const Wijk& wk = w.wijken[wj];
  double open = wk.funded_role_fte[role] - fte_of(w, staff_of(w, wj, role));
  for (std::uint64_t k = 0; open > kMinPost; ++k) {
    const double size = std::min(1.0, open);
    open -= size;
    if (p_fill < 1.0) {
      Rng rng = w.rng(stream::nb_professional_turnover, tick,
                      (std::uint64_t{1} << 40) + (std::uint64_t{wj} << 16) + (std::uint64_t{role} << 13) + k);
      if (!rng.bernoulli(p_fill)) continue;
    }
    w.hire_professional(wj, role, tick, size);
  }
}
}  // namespace

namespace {
// Length of the scenario's spin-up in years: the start date, in years since initialisation.
double spin_up_years(const World& w) { return static_cast<double>(w.sc.spin_up_ticks()) * w.sc.tick.years(); }
}  // namespace

// Regular tenders fall at whole intervals after the scenario's start date, and during a spin-up
// at whole intervals before it; not at the start itself: the contract in force at the start was
// awarded then (as without a spin-up). Dates in years since initialisation.
double first_tender_years(const World& w) {
  const double interval = w.p.tender_interval;
  if (interval <= 0) return 0.0;
  const double start = spin_up_years(w);
  const double before = std::floor((start - 1e-9) / interval);  // tenders that fit in the spin-up
  return before >= 1 ? start - before * interval : start + interval;
}

namespace {
double next_tender_after(const World& w, double last) {
  double next = last + w.p.tender_interval;
  if (std::abs(next - spin_up_years(w)) < 1e-6) next += w.p.tender_interval;
  return next;
}
}  // namespace

void update_funded_posts(World& w) {
  for (auto& wk : w.wijken) {
    const double budget = std::max(0.0, w.city.budget_factor);
    wk.funded_role_fte[kGeneralist] = wk.residents / w.p.residents_per_professional * budget;
    wk.funded_role_fte[kCommunityWorker] = wk.residents / w.p.community_residents_per_fte * budget;
    wk.funded_role_fte[kHousingConsultant] =
        w.city.ha_welfare_role ? wk.social_rent_homes / w.p.ha_social_manager_per_homes : 0.0;
    wk.funded_fte = 0;
    for (double f : wk.funded_role_fte) wk.funded_fte += f;
  }
}

void staff_initial_posts(World& w, Tick tick) {
  update_funded_posts(w);
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj)
    for (std::uint8_t role = 0; role < kRoles; ++role) fill_posts(w, wj, role, tick, 1.0);
}

void tender(World& w, std::uint32_t wj, const TickContext& c, double change_prob) {
  Wijk& wk = w.wijken[wj];
  // The wijk's draw is keyed apart from the professionals' ids (which start at 0): keyed by the
  // bare wijk index it would repeat the transfer draw of the professional whose id equals it.
  Rng rng = w.rng(stream::nb_procurement, c.tick, (std::uint64_t{1} << 40) + wj);
  if (!rng.bernoulli(change_prob)) return;  // the incumbent keeps the contract
  // The contract moves: a new provider; each of the contract's professionals (generalists and
  // community workers) moves with it with the transfer share, keeping knowledge and
  // relationships; the rest leaves. The new provider fills part of the open FTE at once. The
  // referral network is the organisation's: only its transfer share survives.
  wk.provider = static_cast<std::uint8_t>((wk.provider + 1 + rng.below(3)) % 4);
  wk.network *= w.p.network_transfer;
  for (std::uint8_t role : {kGeneralist, kCommunityWorker}) {
    double left = 0;
    for (Slot s : staff_of(w, wj, role)) {
      Rng r = w.rng(stream::nb_procurement, c.tick, w.pro.pop.id(s));
      if (r.bernoulli(w.p.staff_transfer_share)) {
        w.pro.employer[s] = wk.provider;
      } else {
        left += w.pro.fte[s];
        w.professional_leaves(s, c.tick);
      }
    }
    for (double refill = left * w.p.new_provider_staffing; refill > kMinPost; refill -= 1.0) {
      const Slot s = w.hire_professional(wj, role, c.tick, std::min(1.0, refill));
      w.pro.joined_at_tender[s] = static_cast<std::int32_t>(c.tick);
    }
  }
  wk.transition_until = c.tick + static_cast<Tick>(std::ceil(w.p.transition_weeks * 7.0 / 365.25 / c.dt_years));
}

void resize_staff(World& w, const TickContext& c) {
  // Budget cuts and the housing association's withdrawal end posts: the most recently hired go
  // first (last in, first out, a common rule in Dutch labour law); a part of a post is cut by
  // shortening the newest contract, so a 10% cut removes 10% of the FTE.
  update_funded_posts(w);
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj) {
    for (std::uint8_t role = 0; role < kRoles; ++role) {
      auto staff = staff_of(w, wj, role);
      double excess = fte_of(w, staff) - w.wijken[wj].funded_role_fte[role];
      std::stable_sort(staff.begin(), staff.end(), [&](Slot a, Slot b) {
        return w.pro.tenure_years[a] < w.pro.tenure_years[b];
      });
      for (Slot s : staff) {
        if (excess <= 1e-9) break;
        if (w.pro.fte[s] <= excess + 1e-6) {
          excess -= w.pro.fte[s];
          w.professional_leaves(s, c.tick);
        } else {
          w.pro.fte[s] = static_cast<float>(w.pro.fte[s] - excess);
          excess = 0;
        }
      }
    }
  }
}

void institutions(World& w, const TickContext& c) {
  const double t_years = c.tick * c.dt_years;
  const auto year_ticks = static_cast<std::size_t>(std::max<Tick>(1, static_cast<Tick>(std::lround(1.0 / c.dt_years))));
  // Procurement: each wijk's contract is re-tendered every tender interval (0 = partnership).
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj) {
    Wijk& wk = w.wijken[wj];
    if (w.p.tender_interval <= 0) continue;
    if (wk.next_tender_years <= 0) wk.next_tender_years = first_tender_years(w);
    if (t_years + 1e-9 >= wk.next_tender_years) {
      tender(w, wj, c, w.p.contract_change_prob);
      wk.next_tender_years = next_tender_after(w, wk.next_tender_years);
    }
  }
  // Turnover: professionals leave at the turnover rate, generalists more often when their team's
  // casework demand exceeds its capacity; knowledge and relationships go with them.
  std::vector<Slot> leaving;
  for (Slot s = 0; s < w.pro.pop.slots(); ++s) {
    if (!w.pro.pop.alive(s)) continue;
    const double pressure =
        w.pro.role[s] == kGeneralist ? w.p.workload_turnover_factor * excess_workload(w.wijken[w.pro.wijk[s]]) : 0.0;
    const double p_leave = rate_to_probability(w.p.turnover_rate * (1.0 + pressure), c.dt_years);
    if (w.rng(stream::nb_professional_turnover, c.tick, w.pro.pop.id(s)).bernoulli(p_leave))
      leaving.push_back(s);
  }
  for (Slot s : leaving) w.professional_leaves(s, c.tick);
  // The FTE that left this tick (at a tender, by turnover, or by a cut before this tick's
  // processes) joins the last year's count for the turnover indicator.
  for (auto& wk : w.wijken) {
    if (wk.leavers_ring.size() != year_ticks) wk.leavers_ring.assign(year_ticks, 0.0);
    wk.leavers_ring[c.tick % year_ticks] = wk.leavers_now;
    wk.leavers_now = 0;
  }
  // Vacancies are filled at the vacancy fill rate (low under a staff shortage).
  update_funded_posts(w);
  const double p_fill = rate_to_probability(w.p.vacancy_fill_rate, c.dt_years);
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj)
    for (std::uint8_t role = 0; role < kRoles; ++role) fill_posts(w, wj, role, c.tick, p_fill);
  // Yearly cycles.
  const Tick year = static_cast<Tick>(year_ticks);
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
    w.city.next_wijkbudget = c.tick + year;
  }
  if (w.p.future_agenda && w.p.agenda_rounds > 0 && c.tick >= w.city.next_agenda) {
    run_agenda_round(w, c);
    w.city.next_agenda =
        c.tick + std::max<Tick>(1, static_cast<Tick>(std::lround(1.0 / (w.p.agenda_rounds * c.dt_years))));
  }
}

namespace {
// The professional who supports initiative i: the one it has (while present), else the face of
// its buurt (every buurt has one where the wijk has any community professional, step 3), else none.
Slot supporting_professional(const World& w, Slot i) {
  const Slot cur = w.ini.worker[i];
  if (cur != kNoSlot && w.pro.pop.alive(cur)) return cur;
  return w.buurten[w.ini.buurt[i]].face;
}
}  // namespace

void professional_work(World& w, const TickContext& c) {
  const Params& p = w.p;
  const double learn = rate_to_probability(p.knowledge_learning, c.dt_years);
  const double per_case = p.financing == static_cast<int>(Financing::per_case) ? p.per_case_collective_factor : 1.0;
  const bool mandate_reading = p.collective_reading == static_cast<int>(CollectiveReading::team_mandate);
  const double case_cost = p.hours_per_case();
  const std::size_t nw = w.wijken.size();
  for (std::uint32_t wj = 0; wj < nw; ++wj) {
    Wijk& wk = w.wijken[wj];
    wk.collective_hours = 0;
    wk.generalist_collective_hours = 0;
    wk.casework_hours = 0;
    wk.casework_fte = 0;
    if (mandate_reading) {
      // Which teams have a collective mandate is drawn once per wijk (tick-independent key).
      wk.collective_mandate = w.rng(stream::nb_procurement, 0, (std::uint64_t{1} << 41) + wj).uniform() < p.collective_share;
    }
  }
  for (auto& b : w.buurten) b.face = kNoSlot;
  // 1. Each professional's hours this week and their split. Generalists plan collective time by
  //    the collective reading; community workers work collectively only; housing consultants
  //    split their time. Newcomers of a new contract work at reduced capacity during the
  //    transition; sick leave rises with the team's excess workload.
  std::vector<double> fte(nw, 0.0), gen_raw(nw, 0.0), gen_eff(nw, 0.0);
  std::vector<std::vector<Slot>> community(nw);
  for (Slot s = 0; s < w.pro.pop.slots(); ++s) {
    if (!w.pro.pop.alive(s)) continue;
    const std::uint32_t wj = w.pro.wijk[s];
    Wijk& wk = w.wijken[wj];
    w.pro.tenure_years[s] += static_cast<float>(c.dt_years);
    w.pro.knowledge[s] += static_cast<float>(learn * (1.0 - w.pro.knowledge[s]));
    w.pro.caseload[s] = 0;
    const std::uint8_t role = w.pro.role[s];
    const bool in_transition = w.pro.joined_at_tender[s] >= 0 && c.tick < wk.transition_until;
    const double capacity = in_transition ? 1.0 - p.transition_capacity_loss : 1.0;
    const double sick = std::min(1.0, p.sick_leave * (1.0 + (role == kGeneralist ? p.workload_sick_factor * excess_workload(wk) : 0.0)));
    const double hours = p.professional_hours * w.pro.fte[s] * capacity * (1.0 - sick);
    const double k_factor = 0.5 + 0.5 * w.pro.knowledge[s];  // a newcomer's hour is worth half
    double collective = 0;
    if (role == kGeneralist) {
      const double planned = mandate_reading ? (wk.collective_mandate ? p.mandate_collective_share : 0.0) : p.collective_share;
      collective = hours * planned * per_case;
      gen_raw[wj] += collective;
      gen_eff[wj] += collective * k_factor;
      wk.casework_hours += hours - collective;
      wk.casework_fte += w.pro.fte[s] * (1.0 - planned * per_case);
    } else {
      const double share = role == kCommunityWorker ? 1.0 : p.consultant_collective_share;
      collective = hours * share;
      wk.casework_hours += hours - collective;
      wk.casework_fte += w.pro.fte[s] * (1.0 - share);
      community[wj].push_back(s);
      wk.collective_hours += collective * k_factor;
    }
    w.pro.collective_hours[s] = static_cast<float>(collective);
    fte[wj] += w.pro.fte[s];
  }
  // 2. Crowding out: casework demand the casework hours cannot carry (the open cases of the last
  //    casework phase, each at its weekly hours) is taken from the generalists' planned collective
  //    time, as far as professionals.crowding_out gives cases priority.
  for (std::uint32_t wj = 0; wj < nw; ++wj) {
    Wijk& wk = w.wijken[wj];
    const double demand = wk.open_cases * case_cost;
    const double short_hours = std::max(0.0, demand - wk.casework_hours) * p.crowding_out;
    const double diverted = std::min(gen_raw[wj], short_hours);
    const double kept = gen_raw[wj] > 0 ? (gen_raw[wj] - diverted) / gen_raw[wj] : 0.0;
    wk.casework_hours += diverted;
    wk.generalist_collective_hours = gen_eff[wj] * kept;
    wk.collective_hours += wk.generalist_collective_hours;
    const double vac = std::max(0.0, wk.funded_fte - fte[wj]);
    wk.vacancies = vac < kMinPost ? 0.0 : vac;
  }
  for (Slot s = 0; s < w.pro.pop.slots(); ++s)
    if (w.pro.pop.alive(s) && w.pro.role[s] == kGeneralist && gen_raw[w.pro.wijk[s]] > 0)
      w.pro.collective_hours[s] = static_cast<float>(
          w.pro.collective_hours[s] * w.wijken[w.pro.wijk[s]].generalist_collective_hours / gen_eff[w.pro.wijk[s]]);
  double welfare_hours = 0;
  for (double f : fte) welfare_hours += f * p.professional_hours;
  w.city.welfare_spending_week = welfare_hours * p.hourly_cost;
  // 3. Each buurt's familiar face: the community worker based there (most FTE, then longest
  //    tenure), else a housing consultant based there. A buurt where none is based shares the
  //    face of another: the wijk's community professional with the fewest buurten per FTE so far
  //    (community workers first), so a part-time worker in a wijk of five buurten is the familiar
  //    face of all five, with their hours spread over them.
  for (Slot s = 0; s < w.pro.pop.slots(); ++s)
    if (w.pro.pop.alive(s)) w.pro.buurten_faced[s] = 0;
  const auto rank = [&](Slot x) {
    return std::make_tuple(w.pro.role[x] == kCommunityWorker, w.pro.fte[x], w.pro.tenure_years[x]);
  };
  for (std::uint32_t wj = 0; wj < nw; ++wj) {
    for (Slot s : community[wj]) {
      Buurt& bu = w.buurten[w.pro.buurt[s]];
      if (bu.face == kNoSlot || rank(s) > rank(bu.face)) bu.face = s;
    }
    for (std::uint32_t b : w.wijken[wj].buurten)
      if (w.buurten[b].face != kNoSlot) ++w.pro.buurten_faced[w.buurten[b].face];
    for (std::uint32_t b : w.wijken[wj].buurten) {
      Buurt& bu = w.buurten[b];
      if (bu.face != kNoSlot) continue;
      Slot best = kNoSlot;
      double best_load = 0;
      for (Slot s : community[wj]) {
        const double load = (w.pro.buurten_faced[s] + 1.0) / std::max(1e-6, static_cast<double>(w.pro.fte[s]));
        if (best == kNoSlot || load < best_load - 1e-12 ||
            (std::abs(load - best_load) <= 1e-12 && rank(s) > rank(best))) {
          best = s;
          best_load = load;
        }
      }
      if (best == kNoSlot) break;  // no community professional in the wijk
      bu.face = best;
      ++w.pro.buurten_faced[best];
    }
  }
  // 4. Initiatives. Half of every community professional's collective hours goes to the
  //    initiatives it supports (shared equally), half of the generalists' to every initiative of
  //    the wijk. The supporting professional's relationship with the initiative grows with its
  //    contact hours and fades without; support counts for more where the relationship is strong.
  std::vector<std::uint32_t> load(w.pro.pop.slots(), 0);
  std::vector<double> inits(nw, 0.0);
  for (Slot i = 0; i < w.ini.pop.slots(); ++i) {
    if (!w.ini.pop.alive(i)) continue;
    inits[w.buurten[w.ini.buurt[i]].wijk] += 1;
    const Slot wk_pro = supporting_professional(w, i);
    if (wk_pro != w.ini.worker[i]) w.ini.worker_rel[i] = 0;
    w.ini.worker[i] = wk_pro;
    if (wk_pro != kNoSlot) ++load[wk_pro];
  }
  const double weeks = c.dt_years * 365.25 / 7.0;
  const double fade = std::exp(-p.relation_decay * c.dt_years);
  for (Slot i = 0; i < w.ini.pop.slots(); ++i) {
    if (!w.ini.pop.alive(i)) continue;
    const Slot pro = w.ini.worker[i];
    const Wijk& wk = w.wijken[w.buurten[w.ini.buurt[i]].wijk];
    double contact = 0, effective = 0;
    if (pro != kNoSlot) {
      contact = w.pro.collective_hours[pro] * 0.5 / load[pro];
      effective = contact * (0.5 + 0.5 * w.pro.knowledge[pro]);
    }
    effective += wk.generalist_collective_hours * 0.5 / std::max(1.0, inits[w.buurten[w.ini.buurt[i]].wijk]);
    w.ini.worker_hours[i] = static_cast<float>(contact);
    float& rel = w.ini.worker_rel[i];
    if (contact > 0)
      rel += static_cast<float>((1.0 - std::exp(-contact * weeks / p.relation_build_hours)) * (1.0 - rel));
    else
      rel = static_cast<float>(rel * fade);
    const double hours_share = std::min(1.0, effective / p.support_hours_needed);
    w.ini.support[i] = static_cast<float>(hours_share * (1.0 - p.support_weight + p.support_weight * rel));
  }
  // 5. The referral network moves towards its coverage by community professionals' hours.
  const double net_step = 1.0 - std::exp(-c.dt_years / p.network_years);
  for (auto& wk : w.wijken) {
    const double community_hours = wk.collective_hours - wk.generalist_collective_hours;
    const double coverage = std::min(1.0, community_hours / (p.network_hours_per_1000 * std::max(1.0, wk.residents) / 1000.0));
    wk.network += net_step * (coverage - wk.network);
  }
}

}  // namespace buurtlab::neighbourhood
