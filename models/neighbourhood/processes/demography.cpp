// Demography: the life course in a fixed stock of homes. Residents age; they die at an
// age-dependent rate, and a death makes the household smaller (the survivor of a couple now lives
// alone). Couples aged 25-44 have children. Young adults leave the parental home: some look for a
// home in the same wijk and keep their kin ties to the family they left, the others move away.
// Households move out at a rate set by their tenure. A home is let again only when nobody is left
// in it: first to a young adult of the wijk looking for one, else to a newcomer household drawn
// from the buurt's composition, some of whom have kin in the wijk already. The composition of the
// buurt is never imposed; it stays near the declared one because these flows balance.
// Workshop sentence: "People are born, grow up, leave home, move and die; a home that falls empty
// goes to a young local or to newcomers who start with few ties, so a neighbourhood with much
// turnover has to keep rebuilding its networks."
//
// Cost: one draw per resident and one per home each month, in parallel blocks; the few events
// (deaths, births, departures, lettings) are applied serially in block order, and the buurt and
// wijk resident lists are updated entry by entry.
#include <algorithm>
#include <array>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

namespace {

constexpr int kMaxAge = 120;
constexpr double kDrawInterval = 1.0 / 12;  // years between a resident's event draws (at most)
constexpr float kBirthAgeMin = 25, kBirthAgeMax = 45;      // childbearing ages of a couple
constexpr float kLeaveHomeMin = 18, kLeaveHomeMax = 35;    // ages at which one leaves home
constexpr float kCoupleAgeMin = 20, kCoupleAgeMax = 45;    // ages at which singles move in together
constexpr float kGeneration = 15;  // age gap that separates a parent from a partner or sibling

using Event = LifeEvent::Kind;

// True if s lives with someone at least a generation older (a parent).
bool lives_with_parent(const World& w, Slot s, const std::vector<Slot>& family) {
  for (Slot o : family)
    if (w.res.age[o] >= w.res.age[s] + kGeneration) return true;
  return false;
}

// True if s lives with a partner: another adult less than a generation older or younger.
bool lives_with_partner(const World& w, Slot s, const std::vector<Slot>& family) {
  for (Slot o : family)
    if (w.res.age[o] >= 20 && std::fabs(w.res.age[o] - w.res.age[s]) < kGeneration) return true;
  return false;
}

// A resident of the wijk to be kin of a newcomer: with probability 0.8 anyone in the wijk, else
// someone in the newcomer's buurt (as for the kin ties at the start).
Slot random_kin(const World& w, Rng& rng, std::uint32_t b) {
  const auto& list = rng.bernoulli(0.8) ? w.wijk_residents[w.buurten[b].wijk] : w.buurten[b].residents;
  if (list.empty()) return kNoSlot;
  return list[rng.below(static_cast<std::uint32_t>(list.size()))];
}

// Life stages change what one can give: at 15 some spare time, at 20 adult spare time,
// leadership potential and (for those who grew up here) education, which also shifts the energy
// attitude, social trust, its disposition and institutional trust as it does for an adult who
// arrives; at 65 the spare time of the retired. Kept out of the loop over residents, which
// reaches it rarely.
[[gnu::noinline]] void life_stage(World& w, const TickContext& c, Slot s, float before, float age) {
  auto& r = w.res;
  Rng life = w.rng(stream::nb_demography, c.tick, (std::uint64_t{1} << 45) + r.pop.id(s));
  r.spare_hours[s] = spare_hours_for(w.p, age, r.need[s], life);
  if (before < 20 && age >= 20) {
    r.potential[s] = static_cast<float>(std::pow(life.uniform(), 3.0));
    const PlaceAttributes& a = w.buurten[r.buurt[s]].attr;
    r.high_education[s] = life.bernoulli(std::clamp(a.high_education_share * (r.low_income[s] ? 0.4 : 1.1), 0.0, 1.0));
    // The attitude was drawn without education (children have none); it gets the education's
    // shift now, as an adult's does when drawn.
    r.attitude[s] = static_cast<float>(std::clamp(r.attitude[s] + energy_attitude_education_shift(r.high_education[s]), 0.0, 1.0));
    r.attitude_next[s] = r.attitude[s];
    // So do social trust, its disposition (what trust returns to) and institutional trust.
    const double shift_t = social_trust_education_shift(r.high_education[s]);
    const auto shifted = [](float x, double by) { return static_cast<float>(std::clamp(x + by, 0.0, 1.0)); };
    r.trust[s] = shifted(r.trust[s], shift_t);
    r.trust_base[s] = shifted(r.trust_base[s], shift_t);
    for (auto& t : r.inst) t.level[s] = shifted(t.level[s], 0.5 * shift_t);
  }
}

// The share of each buurt's residents with moderate or higher care need and their mean social
// trust; the city's as resident-weighted means. Each buurt sums its own list (in parallel); the
// city sums the buurten in order.
}  // namespace

void update_buurt_outlook(World& w, const Executor& exec) {
  const auto& r = w.res;
  exec.for_tasks(w.buurten.size(), [&](std::size_t b) {
    Buurt& bu = w.buurten[b];
    double need = 0, trust = 0;
    for (Slot s : bu.residents) {
      need += r.need[s] >= 2;
      trust += r.trust[s];
    }
    const auto n = static_cast<double>(bu.residents.size());
    bu.need_share = n > 0 ? need / n : 0.0;
    bu.trust_mean = n > 0 ? trust / n : 0.5;
  });
  double n = 0, need = 0, trust = 0;
  for (const Buurt& bu : w.buurten) {
    const auto m = static_cast<double>(bu.residents.size());
    n += m;
    need += bu.need_share * m;
    trust += bu.trust_mean * m;
  }
  w.city.need_share = n > 0 ? need / n : 0.0;
  w.city.trust_mean = n > 0 ? trust / n : 0.5;
}

namespace {
bool urgent(Arrival a) { return a == kCareOutflow || a == kStatusHolder || a == kOtherUrgent; }

// The allocation stream of a social-rent vacancy: one keyed draw per home and tick, so the same
// home gets the same answer however often it is asked (settlers must not take a home reserved
// for an urgent applicant).
Arrival allocation_stream(const World& w, std::uint32_t home, Tick tick) {
  if (w.homes[home].tenure != kSocialRent) return kMarket;
  Rng rng = w.rng(stream::nb_allocation, tick, home);
  const Params& p = w.p;
  if (!rng.bernoulli(p.urgent_share)) return kRegular;
  const double u = rng.uniform();
  return u < p.care_outflow_part ? kCareOutflow : u < p.care_outflow_part + p.status_holder_part ? kStatusHolder : kOtherUrgent;
}
}  // namespace

void draw_life_events(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  // Life events are drawn once a month rather than every tick: a draw (one Philox block) costs
  // far more than ageing, and a month is fine-grained enough for births, deaths and moves. With
  // ticks shorter than a month, each resident and household draws on every `every`-th tick (a
  // power of two, so the test is a mask), staggered by id so every tick carries its share, with
  // the probability of the whole interval; the yearly rates keep their meaning.
  Tick every = 1;
  while (2.0 * every * c.dt_years <= kDrawInterval + 1e-12) every *= 2;
  const std::uint64_t due_mask = every - 1;
  const double span = every * c.dt_years;
  // Mortality by completed year of age (a life table); the other rates are constant within their
  // age band.
  std::array<double, kMaxAge + 1> p_death{};
  for (int a = 0; a <= kMaxAge; ++a)
    p_death[a] = rate_to_probability(p.mortality_at_80 * std::exp2((a - 80.0) / 8.0), span);
  const double p_birth = rate_to_probability(p.birth_rate, span);
  const double p_leave = rate_to_probability(p.leave_home_rate, span);
  const double p_couple = rate_to_probability(p.couple_rate, span);
  const double p_move[3] = {rate_to_probability(p.move_rate_social, span),
                            rate_to_probability(p.move_rate_private, span),
                            rate_to_probability(p.move_rate_owner, span)};

  // 0. Once a month, what residents see of their buurt when they consider moving: its share with
  // moderate or higher care need and its mean social trust, and the city's.
  if ((static_cast<std::uint64_t>(c.tick) & due_mask) == 0) update_buurt_outlook(w, *c.exec);

  // 1. Which households move out: one draw per occupied home, keyed by the household's id. The
  // rate by tenure rises with the nuisance the household feels, the buurt's concentration of need
  // and its trust below the city's (selective moves, docs/model.md 7.14), for low-income social
  // tenants less (they can rarely find another home). An evicted household leaves.
  const std::size_t n_homes = w.homes.size();
  w.home_moves.assign(n_homes, 0);
  const double city_need = w.city.need_share, city_trust = w.city.trust_mean;
  c.exec->for_blocks(n_homes, [&](const Block& blk) {
    for (std::size_t h = blk.begin; h < blk.end; ++h) {
      const Home& home = w.homes[h];
      if (home.size == 0) continue;
      if (home.evict) {
        w.home_moves[h] = 1;
        continue;
      }
      if (((home.household + c.tick) & due_mask) != 0) continue;
      const Buurt& bu = w.buurten[home.buurt];
      const double push = (home.nuisance_felt >= p.nuisance_often ? p.move_nuisance_push : 0.0) +
                          p.move_need_push * (city_need > 0 ? std::max(0.0, bu.need_share / city_need - 1.0) : 0.0) +
                          p.move_trust_push * std::max(0.0, city_trust - bu.trust_mean) * 10.0;
      const double ability = home.tenure == kSocialRent && home.low_income ? p.move_ability_low_income : 1.0;
      Rng rng = w.rng(stream::nb_moves, c.tick, home.household);
      w.home_moves[h] = rng.bernoulli(std::min(1.0, p_move[home.tenure] * (1.0 + ability * push)));
    }
  });

  // 2. Every resident ages and draws at most one event of their own. The loop reads the columns
  // through plain pointers taken once, so the rare calls inside (a life stage, an event) do not
  // make the compiler fetch them again for every resident.
  w.life_events.reset(r.pop.slots());
  const std::uint8_t* alive = r.pop.alive_flags().data();
  float* ages = r.age.data();
  const std::uint32_t* home_of = r.home.data();
  const std::uint8_t* alone = r.alone.data();
  const std::uint8_t* moving = w.home_moves.data();
  std::uint8_t* language = r.language.data();
  const double p_language = rate_to_probability(p.language_learning_rate, span);
  const auto dt = static_cast<float>(c.dt_years);
  const Tick tick = c.tick;
  c.exec->for_blocks(r.pop.slots(), [&](const Block& blk) {
    auto& out = w.life_events.of(blk);
    for (Slot s = Slot(blk.begin); s < blk.end; ++s) {
      if (!alive[s]) continue;
      const float before = ages[s];
      const float age = before + dt;
      ages[s] = age;
      // (Bitwise, not short-circuit: the three tests are cheap, a mispredicted branch is not.)
      const bool stage = ((before < 15) & (age >= 15)) | ((before < 20) & (age >= 20)) | ((before < 65) & (age >= 65));
      if (stage) [[unlikely]] life_stage(w, c, s, before, age);
      const AgentId id = r.pop.id(s);
      if (moving[home_of[s]]) [[unlikely]] {
        out.push_back({s, id, Event::moves});
        continue;
      }
      // One uniform decides between dying, a birth, leaving home and moving in with a partner;
      // whether the household has a partner or a parent for a birth or leaving home is checked
      // when the event is applied.
      if (((id + tick) & due_mask) != 0) continue;
      if (language[s]) [[unlikely]] {
        Rng lrng = w.rng(stream::nb_demography, tick, (std::uint64_t{1} << 46) + id);
        if (lrng.bernoulli(p_language)) language[s] = 0;
      }
      const bool shares_home = !alone[s];
      const double pd = p_death[std::min(static_cast<int>(age), kMaxAge)];
      const double pb = shares_home && age >= kBirthAgeMin && age < kBirthAgeMax ? p_birth : 0.0;
      const double pl = shares_home && age >= kLeaveHomeMin && age < kLeaveHomeMax ? p_leave : 0.0;
      const double pc = !shares_home && age >= kCoupleAgeMin && age < kCoupleAgeMax ? p_couple : 0.0;
      Rng rng = w.rng(stream::nb_demography, tick, id);
      const double u = rng.uniform();
      if (u >= pd + pb + pl + pc) [[likely]] continue;
      const Event e = u < pd ? Event::dies
                      : u < pd + pb ? Event::birth
                      : u < pd + pb + pl ? (rng.bernoulli(p.leave_home_stay_share) ? Event::leaves_for_wijk
                                                                                   : Event::leaves_home)
                                         : Event::moves;
      out.push_back({s, id, e});
    }
  });
}

void apply_life_events(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  // Events in block order: departures first (no resident is added until all have left, so the
  // slots named by the events stay valid), then young adults settling in the wijk, the homes that
  // lost residents, births, and newcomers in the homes still vacant.
  std::vector<std::uint32_t> vacant;  // homes, in the order they fell vacant
  struct Touched {
    std::uint32_t home;
    std::vector<Slot> others;  // who lived there besides the one who left
  };
  std::vector<Touched> touched;  // homes that lost a resident
  std::vector<LifeEvent> births;
  std::vector<Slot> settlers;
  auto depart = [&](Slot s) {
    const std::uint32_t h = r.home[s];
    std::vector<Slot> others = w.household_members(s);
    w.remove_resident(s);
    if (w.homes[h].size == 0) vacant.push_back(h);
    else touched.push_back({h, std::move(others)});
  };
  w.life_events.for_each([&](const LifeEvent& e) {
    switch (e.what) {
      case Event::moves: {
        // A household moving out (counted once, by tenure; an eviction is counted as such).
        const std::uint32_t h = r.home[e.s];
        if (h < w.home_moves.size() && w.home_moves[h] == 1 && !w.homes[h].evict) {
          w.buurten[w.homes[h].buurt].housing_now.moves_out[w.homes[h].tenure] += 1;
          w.home_moves[h] = 2;
        }
        depart(e.s);
        break;
      }
      case Event::dies: depart(e.s); break;
      case Event::birth: births.push_back(e); break;
      case Event::leaves_home:
      case Event::leaves_for_wijk: {
        if (!lives_with_parent(w, e.s, w.household_members(e.s))) break;
        if (e.what == Event::leaves_for_wijk) settlers.push_back(e.s);
        else depart(e.s);
        break;
      }
    }
  });
  // A young adult looking for a home in the wijk takes one that fell vacant there this tick
  // (chosen at random), or moves away if there is none. They keep their ties, kin included.
  for (Slot s : settlers) {
    std::vector<std::size_t> options;
    for (std::size_t k = 0; k < vacant.size(); ++k)
      if (w.buurten[w.homes[vacant[k]].buurt].wijk == w.wijk_of(s) && !urgent(allocation_stream(w, vacant[k], c.tick)))
        options.push_back(k);
    if (options.empty()) {
      depart(s);
      continue;
    }
    Rng rng = w.rng(stream::nb_leaving_home, c.tick, r.pop.id(s));
    const std::size_t k = options[rng.below(static_cast<std::uint32_t>(options.size()))];
    const std::uint32_t to = vacant[k];
    vacant.erase(vacant.begin() + static_cast<std::ptrdiff_t>(k));
    const std::uint32_t from = r.home[s];
    touched.push_back({from, w.household_members(s)});
    --w.homes[from].size;
    w.place_remove(s);
    Home& home = w.homes[to];
    if (home.tenure == kSocialRent) w.buurten[home.buurt].housing_now.lettings[kLocalYoung] += 1;
    home.household = w.city.next_household++;
    home.size = 1;
    home.nuisance_felt = home.complaints = 0;
    home.mediated_until = home.care_tick = -1;
    home.low_income = r.low_income[s];
    r.buurt[s] = home.buurt;
    r.home[s] = to;
    r.household[s] = home.household;
    r.tenure[s] = home.tenure;
    r.alone[s] = 1;
    w.place_add(s);
  }
  // Homes that lost residents: who remains alone now lives alone; children left without an adult
  // go to family elsewhere, and the home falls vacant.
  for (const Touched& t : touched) {
    const std::uint32_t h = t.home;
    if (w.homes[h].size == 0) continue;  // emptied and handled already
    Slot any = kNoSlot;
    for (Slot o : t.others)
      if (r.pop.alive(o) && r.home[o] == h) {
        any = o;
        break;
      }
    if (any == kNoSlot) continue;  // everyone who was there has left; the last one made it vacant
    std::vector<Slot> family = w.household_members(any);
    family.push_back(any);
    bool adult = false;
    for (Slot o : family) adult = adult || r.age[o] >= 18;
    if (!adult) {
      // (Removed here rather than through depart, which would add to `touched` while it is
      // being read.)
      std::sort(family.begin(), family.end());
      for (Slot o : family) w.remove_resident(o);
      vacant.push_back(h);
    } else if (family.size() == 1) {
      r.alone[any] = 1;
    }
  }
  for (const LifeEvent& e : births)
    if (r.pop.alive(e.s) && r.pop.id(e.s) == e.id && lives_with_partner(w, e.s, w.household_members(e.s)))
      w.add_child(e.s, c.tick);
  // Newcomers: each home still vacant is let, a social-rent home through its allocation stream,
  // another through the market; the household is drawn from the buurt's composition and the
  // stream (docs/model.md 7.14). Some market and regular newcomers have kin in the wijk already;
  // people leaving care or a shelter and status holders do not.
  for (std::uint32_t h : vacant) {
    const Arrival arrival = allocation_stream(w, h, c.tick);
    if (w.homes[h].tenure == kSocialRent) w.buurten[w.homes[h].buurt].housing_now.lettings[arrival] += 1;
    const std::vector<Slot> members = w.add_household(w.homes[h].buurt, c.tick, false, h, arrival);
    if (arrival == kCareOutflow || arrival == kStatusHolder) continue;
    Rng rng = w.rng(stream::nb_newcomer_kin, c.tick, w.homes[h].household);
    if (!rng.bernoulli(p.newcomer_kin_share)) continue;
    // The kin: the adults of one household in the wijk (parents, grown children or siblings).
    const Slot o = random_kin(w, rng, w.homes[h].buurt);
    if (o == kNoSlot || r.household[o] == w.homes[h].household) continue;
    std::vector<Slot> kin = w.household_members(o);
    kin.push_back(o);
    for (Slot s : members)
      for (Slot k : kin)
        if (r.age[s] >= 20 && r.age[k] >= 20) r.ties.strengthen(s, k, 0.8f, kKin);
  }
}

void demography(World& w, const TickContext& c) {
  draw_life_events(w, c);
  apply_life_events(w, c);
  roll_housing_counts(w, c);
}

void roll_housing_counts(World& w, const TickContext& c) {
  // The last year's housing events per buurt: this tick's enter the sum, the tick a year ago
  // leaves it.
  const auto len = static_cast<std::size_t>(std::max<long>(1, std::lround(1.0 / c.dt_years)));
  for (Buurt& b : w.buurten) {
    if (b.housing_ring.size() != len) {
      b.housing_ring.assign(len, HousingCounts{});
      b.housing_year = HousingCounts{};
    }
    HousingCounts& slot = b.housing_ring[static_cast<std::size_t>(c.tick) % len];
    b.housing_year.add(slot, -1.0);
    b.housing_year.add(b.housing_now, 1.0);
    slot = b.housing_now;
    b.housing_now = HousingCounts{};
  }
}

}  // namespace buurtlab::neighbourhood
