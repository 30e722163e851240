// Structural operations on the world: households arriving and leaving, staff coming and going.
// They run only in serial, tick-boundary steps.
#include <algorithm>
#include <cmath>

#include "world.hpp"

namespace buurtlab::neighbourhood {

namespace {
// Age of a resident drawn from the buurt's age structure, given whether they are an adult;
// `old_factor` scales the chance that an adult is 65 or over (movers are younger than residents).
float draw_age(Rng& rng, const PlaceAttributes& a, bool adult, double old_factor = 1.0) {
  if (!adult) return static_cast<float>(rng.uniform(0.0, 20.0));
  const double p65 = old_factor * a.age_65_plus_share / std::max(1e-9, 1.0 - a.age_0_19_share);
  return static_cast<float>(rng.bernoulli(p65) ? rng.uniform(65.0, 95.0) : rng.uniform(20.0, 65.0));
}

}  // namespace

double energy_attitude_education_shift(bool high_education) { return high_education ? 0.1 : 0.0; }
double social_trust_education_shift(bool high_education) { return high_education ? 0.12 : 0.0; }

float spare_hours_for(const Params& p, float age, std::uint8_t need, Rng& rng) {
  if (need >= 2 || age < 15) return 0.0f;
  const double base = age < 20 ? 1.0 : (age < 65 ? p.spare_hours_worker : p.spare_hours_retired);
  return static_cast<float>(base * rng.uniform(0.5, 1.5));
}

void World::place_add(Slot s) {
  if (wijk_residents.size() < wijken.size()) wijk_residents.resize(wijken.size());
  if (buurt_pos.size() < res.pop.slots()) {
    buurt_pos.resize(res.pop.slots());
    wijk_pos.resize(res.pop.slots());
  }
  auto& bl = buurten[res.buurt[s]].residents;
  auto& wl = wijk_residents[wijk_of(s)];
  buurt_pos[s] = static_cast<std::uint32_t>(bl.size());
  wijk_pos[s] = static_cast<std::uint32_t>(wl.size());
  bl.push_back(s);
  wl.push_back(s);
}

void World::place_remove(Slot s) {
  auto take_out = [](std::vector<Slot>& list, std::vector<std::uint32_t>& pos, Slot x) {
    const Slot last = list.back();
    list[pos[x]] = last;
    pos[last] = pos[x];
    list.pop_back();
  };
  take_out(buurten[res.buurt[s]].residents, buurt_pos, s);
  take_out(wijk_residents[wijk_of(s)], wijk_pos, s);
}

namespace {
// The stationary care-need level for an age: the ladder climbed with the chance onset / (onset +
// recovery) per step, as for residents at the start.
std::uint8_t draw_need(const Params& p, double onset, Rng& r) {
  const double q = onset / (onset + p.need_recovery_rate);
  std::uint8_t need = 0;
  while (need < kNeedLevels - 1 && r.bernoulli(q)) ++need;
  return need;
}

// Everything about a new resident that does not depend on the household: education, condition,
// care need, spare time, trust, leadership potential and energy attitude, drawn from the buurt's
// composition and how the household arrived (docs/model.md 7.14).
void init_resident(World& w, Slot s, const PlaceAttributes& a, Arrival arrival, bool newborn, Tick tick) {
  Residents& res = w.res;
  const Params& p = w.p;
  Rng r = w.rng(stream::nb_init_residents, tick, res.pop.id(s));
  const bool low = res.low_income[s];
  const bool adult = res.age[s] >= 20;
  res.high_education[s] = adult && r.bernoulli(std::clamp(a.high_education_share * (low ? 0.4 : 1.1), 0.0, 1.0));
  // A condition: by tenure at the start (concentrated in social rent); for newcomers by stream.
  // Children of the household do not have one (the condition is an adult's, as counted).
  const double u_condition = r.uniform();
  bool condition = false;
  if (res.age[s] >= 18 && !newborn) {
    if (arrival == kCareOutflow) condition = true;
    else if (arrival == kInitial) condition = u_condition < (res.tenure[s] == kSocialRent ? p.condition_share_social : p.condition_share_other);
    else if (arrival != kStatusHolder) condition = u_condition < p.condition_share_other;
  }
  res.condition[s] = condition;
  res.arrival[s] = arrival;
  // Care need: the stationary share of the ladder for this age at the start; newcomers who move
  // on the market or as regular applicants are healthier than those who stay, urgent ones less
  // so; people leaving care have at least the continuing support level; newborns none.
  std::uint8_t need = 0;
  if (!newborn) {
    const double decades = std::max(0.0, (res.age[s] - 50.0) / 10.0);
    double onset = p.need_onset_rate * a.vulnerability * std::pow(p.need_onset_age_factor, decades) *
                   (condition ? p.condition_onset_factor : 1.0);
    if (arrival == kInitial) onset *= p.initial_need_factor;
    else if (arrival == kMarket || arrival == kRegular || arrival == kLocalYoung) onset *= p.newcomer_need_factor;
    else if (arrival == kOtherUrgent) onset *= p.urgent_need_factor;
    need = draw_need(p, onset, r);
    if (arrival == kCareOutflow) need = std::max<std::uint8_t>(need, static_cast<std::uint8_t>(p.care_outflow_min_need));
  }
  res.need[s] = need;
  res.need_hours[s] = p.need_hours(need);
  res.spare_hours[s] = spare_hours_for(p, res.age[s], need, r);
  // Trust: education and income shift it (CBS 2022: 43% primary vs 84% university trust others).
  const double shift_t = social_trust_education_shift(res.high_education[s]) - (low ? 0.1 : 0.0) +
                         (arrival == kCareOutflow ? p.care_outflow_trust_offset : 0.0);
  res.trust[s] = static_cast<float>(std::clamp(a.initial_social_trust + shift_t + r.normal(0, 0.2), 0.0, 1.0));
  // One draw of institutional trust, shifted per institution.
  const double inst = a.initial_institutional_trust + 0.5 * shift_t + r.normal(0, 0.15);
  const double offsets[kInstitutions] = {p.trust_offset_municipality, p.trust_offset_welfare, p.trust_offset_housing};
  for (int k = 0; k < kInstitutions; ++k) {
    res.inst[k].level[s] = static_cast<float>(std::clamp(inst + offsets[k], 0.0, 1.0));
    res.inst[k].next[s] = res.inst[k].level[s];
  }
  res.trust_base[s] = res.trust[s];
  res.trust_next[s] = res.trust[s];
  res.language[s] = arrival == kStatusHolder && res.age[s] >= 12;
  // Leadership potential is scarce: P(potential > 0.8) is about 7%.
  res.potential[s] = adult ? static_cast<float>(std::pow(r.uniform(), 3.0)) : 0.0f;
  res.attitude[s] = static_cast<float>(std::clamp(
      0.45 + energy_attitude_education_shift(res.high_education[s]) + (res.tenure[s] == kOwner ? 0.05 : 0.0) + r.normal(0, 0.2), 0.0, 1.0));
  res.attitude_next[s] = res.attitude[s];
}
}  // namespace

std::vector<Slot> World::add_household(std::uint32_t b, Tick tick, bool initial, std::uint32_t home, Arrival arrival) {
  const PlaceAttributes& a = buurten[b].attr;
  const std::uint64_t hh = city.next_household++;
  // Household-level draws are keyed by the household id, on their own stream so that household h
  // and resident h do not draw the same numbers.
  Rng rng = this->rng(stream::nb_households, tick, hh);
  // People leaving sheltered housing, clinical care or a shelter move in alone.
  const bool single = rng.bernoulli(a.living_alone_share) || arrival == kCareOutflow;
  // Mean children per multi-person household chosen so the 0-19 share matches on average:
  // m = s (p1 + 2 (1 - p1)) / ((1 - p1)(1 - s)), with p1 the single-person share.
  const double s0 = a.age_0_19_share, p1 = a.living_alone_share;
  const double kids_mean = (1 - p1) > 1e-9 ? s0 * (p1 + 2 * (1 - p1)) / ((1 - p1) * (1 - s0)) : 0;
  const int adults = single ? 1 : 2;
  const int drawn_kids = static_cast<int>(std::min<std::uint32_t>(rng.poisson(kids_mean), 4));
  const int kids = single ? 0 : drawn_kids;
  const double u = rng.uniform();
  if (home == kNoHome) {
    home = static_cast<std::uint32_t>(homes.size());
    Home h;
    h.buurt = b;
    h.tenure = u < a.social_rent_share ? kSocialRent
               : u < a.social_rent_share + a.private_rent_share ? kPrivateRent
                                                                : kOwner;
    homes.push_back(h);
  }
  Home& h = homes[home];
  const std::uint8_t tenure = h.tenure;
  h.household = hh;
  h.size = static_cast<std::uint32_t>(adults + kids);
  h.nuisance_felt = 0;
  h.complaints = 0;
  h.mediated_until = -1;
  h.care_tick = -1;
  h.evict = 0;
  const double low_p = std::clamp(a.low_income_share * (tenure == kSocialRent ? 2.5 : 0.5), 0.0, 1.0);
  const bool urgent = arrival == kCareOutflow || arrival == kStatusHolder || arrival == kOtherUrgent;
  const bool low = rng.bernoulli(low_p) || urgent;  // urgent applicants have low incomes
  h.low_income = low;
  const double g = rng.uniform();
  const std::uint8_t group = arrival == kStatusHolder ? 2 : g < a.group2_share ? 2 : g < a.group2_share + a.group1_share ? 1 : 0;
  float head_age = draw_age(rng, a, true, initial ? 1.0 : p.newcomer_old_factor);
  if (arrival == kCareOutflow) head_age = std::min(head_age, 64.0f);  // working-age adults

  std::vector<Slot> slots;
  for (int i = 0; i < adults + kids; ++i) {
    const Slot s = res.pop.add();
    slots.push_back(s);
    // The age draws use the resident's own key on the household stream, apart from what
    // init_resident draws on the residents' stream.
    Rng r = this->rng(stream::nb_households, tick, (std::uint64_t{1} << 47) + res.pop.id(s));
    res.buurt[s] = b;
    res.household[s] = hh;
    res.home[s] = home;
    res.age[s] = i == 0 ? head_age
                 : i == 1 ? std::clamp(head_age + static_cast<float>(r.normal(0, 4)), 20.0f, 99.0f)
                          : draw_age(r, a, false);
    res.tenure[s] = tenure;
    res.group[s] = group;
    res.low_income[s] = low;
    res.alone[s] = single;
    init_resident(*this, s, a, arrival, false, tick);
    place_add(s);
  }
  res.ties.resize(res.pop.slots());
  for (std::size_t i = 0; i < slots.size(); ++i)
    for (std::size_t j = i + 1; j < slots.size(); ++j)
      res.ties.strengthen(slots[i], slots[j], 1.0f, kKin);
  return slots;
}

Slot World::add_child(Slot parent, Tick tick) {
  const std::vector<Slot> family = household_members(parent);
  const Slot s = res.pop.add();
  res.buurt[s] = res.buurt[parent];
  res.household[s] = res.household[parent];
  res.home[s] = res.home[parent];
  res.age[s] = 0;
  res.tenure[s] = res.tenure[parent];
  res.group[s] = res.group[parent];
  res.low_income[s] = res.low_income[parent];
  res.alone[s] = 0;
  init_resident(*this, s, buurten[res.buurt[s]].attr, kInitial, true, tick);
  place_add(s);
  ++homes[res.home[s]].size;
  res.ties.resize(res.pop.slots());
  res.ties.strengthen(s, parent, 1.0f, kKin);
  for (Slot o : family) res.ties.strengthen(s, o, 1.0f, kKin);
  return s;
}

std::vector<Slot> World::household_members(Slot s) const {
  // Household members are tied to each other (kin ties of full weight, made when they join), so
  // they are found among s's ties; the buurt list is searched only when a tie has gone missing.
  std::vector<Slot> out;
  const std::uint64_t hh = res.household[s];
  for (Slot o : res.ties.neighbours(s))
    if (res.household[o] == hh) out.push_back(o);
  if (out.size() + 1 < homes[res.home[s]].size) {
    out.clear();
    for (Slot o : buurten[res.buurt[s]].residents)
      if (o != s && res.household[o] == hh) out.push_back(o);
  }
  return out;
}

void World::remove_resident(Slot s) {
  res.ties.clear(s);
  const Slot i = res.initiative[s];
  if (i != kNoSlot && ini.pop.alive(i) && ini.leader[i] == s) ini.leader[i] = kNoSlot;
  place_remove(s);
  --homes[res.home[s]].size;
  res.pop.remove(s);
}

void World::professional_leaves(Slot prof, Tick tick) {
  // Everyone who knew this professional loses the relationship: case clients and residents who
  // knew them by face experience the loss as an institutional one, weighted by how strong the
  // relationship was (relations.loss_weight); initiatives lose their supporter.
  const std::uint32_t wj = pro.wijk[prof];
  const auto w_loss = static_cast<float>(p.loss_weight);
  // The loss counts against the professional's employer: the housing association for a housing
  // consultant, welfare for the others.
  auto& lost = res.inst[pro.role[prof] == kHousingConsultant ? kHousing : kWelfare].bad_weight;
  for (Slot r : wijk_residents[wj]) {
    if (res.professional[r] == prof) {
      lost[r] += w_loss * res.relationship[r];
      res.professional[r] = kNoSlot;
      res.relationship[r] = 0;
      res.professional_lost[r] = static_cast<std::int32_t>(tick);
    }
    if (res.contact[r] == prof) {
      lost[r] += w_loss * res.familiarity[r];
      res.contact[r] = kNoSlot;
      res.familiarity[r] = 0;
    }
  }
  for (Slot i = 0; i < ini.pop.slots(); ++i)
    if (ini.pop.alive(i) && ini.worker[i] == prof) {
      ini.worker[i] = kNoSlot;
      ini.worker_rel[i] = 0;
    }
  for (auto& b : buurten)
    if (b.face == prof) b.face = kNoSlot;
  Wijk& wk = wijken[wj];
  wk.leavers_now += pro.fte[prof];
  pro.pop.remove(prof);
}

Slot World::hire_professional(std::uint32_t wj, std::uint8_t role, Tick /*tick*/, double fte) {
  // Home buurt: where the role's FTE falls furthest short of the buurt's share of the wijk's
  // residents (of its social-rent homes, for housing consultants), so every buurt gets its own
  // familiar face before any buurt gets a second.
  const Wijk& wk = wijken[wj];
  std::vector<double> present(wk.buurten.size(), 0.0);
  for (Slot s = 0; s < pro.pop.slots(); ++s)
    if (pro.pop.alive(s) && pro.wijk[s] == wj && pro.role[s] == role)
      for (std::size_t k = 0; k < wk.buurten.size(); ++k)
        if (wk.buurten[k] == pro.buurt[s]) present[k] += pro.fte[s];
  double total = 0;
  std::vector<double> weight(wk.buurten.size(), 0.0);
  for (std::size_t k = 0; k < wk.buurten.size(); ++k) {
    const Buurt& bu = buurten[wk.buurten[k]];
    weight[k] = static_cast<double>(bu.residents.size()) * (role == kHousingConsultant ? bu.attr.social_rent_share : 1.0);
    total += weight[k];
  }
  std::uint32_t home = wk.buurten.empty() ? 0 : wk.buurten[0];
  double best = -1e300;
  for (std::size_t k = 0; k < wk.buurten.size(); ++k) {
    const double shortfall = (total > 0 ? weight[k] / total : 0.0) * std::max(1.0, wk.funded_role_fte[role]) - present[k];
    if (shortfall > best + 1e-12) {
      best = shortfall;
      home = wk.buurten[k];
    }
  }
  const Slot s = pro.pop.add();
  pro.wijk[s] = wj;
  pro.buurt[s] = home;
  pro.role[s] = role;
  pro.employer[s] = role == kHousingConsultant ? kHousingAssociation : wijken[wj].provider;
  pro.fte[s] = static_cast<float>(fte);
  pro.knowledge[s] = static_cast<float>(p.knowledge_start);
  pro.tenure_years[s] = 0;
  pro.caseload[s] = 0;
  pro.collective_hours[s] = 0;
  pro.joined_at_tender[s] = -1;
  return s;
}

bool World::key_figure(Slot s) const {
  return res.age[s] >= 18 && (res.role[s] == kLeader || res.ties.degree(s) >= p.key_figure_min_ties);
}

void World::count_initiative_members() {
  const Slot ni = ini.pop.slots();
  std::vector<std::array<std::uint32_t, kGroups>> by_group(ni, {0, 0, 0});
  for (Slot s = 0; s < res.pop.slots(); ++s)
    if (res.pop.alive(s) && res.initiative[s] != kNoSlot) ++by_group[res.initiative[s]][res.group[s]];
  for (Slot i = 0; i < ni; ++i) {
    if (!ini.pop.alive(i)) continue;
    double n = 0, sq = 0;
    for (auto g : by_group[i]) n += g;
    for (auto g : by_group[i]) sq += n > 0 ? (g / n) * (g / n) : 0;
    ini.members[i] = static_cast<std::uint32_t>(n);
    ini.bridging[i] = static_cast<float>(n > 0 ? (1.0 - sq) / (1.0 - 1.0 / kGroups) : 0.0);
  }
}

}  // namespace buurtlab::neighbourhood
