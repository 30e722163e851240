// Initial population: households per buurt from the place description, ties (kin, friends,
// neighbours) with homophily, professionals per wijk, public places and a first set of
// initiatives around residents with leadership potential.
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

namespace {
// Picks a random resident of buurt b (or, with probability `wijk_share`, of its wijk).
Slot random_neighbour(const World& w, Rng& rng, std::uint32_t b, double wijk_share) {
  const auto& list = rng.bernoulli(wijk_share) ? w.wijk_residents[w.buurten[b].wijk]
                                               : w.buurten[b].residents;
  if (list.empty()) return kNoSlot;
  return list[rng.below(static_cast<std::uint32_t>(list.size()))];
}

void initial_ties(World& w) {
  auto& r = w.res;
  for (Slot s = 0; s < r.pop.slots(); ++s) {
    if (!r.pop.alive(s) || r.age[s] < 12) continue;
    Rng rng = w.rng(stream::nb_init_ties, 0, r.pop.id(s));
    const std::uint32_t b = r.buurt[s];
    const bool adult = r.age[s] >= 20;
    // Kin elsewhere in the wijk (grown children, parents, siblings).
    if (adult && rng.bernoulli(0.5)) {
      const Slot o = random_neighbour(w, rng, b, 0.8);
      if (o != kNoSlot && o != s && r.household[o] != r.household[s] && r.age[o] >= 20)
        r.ties.strengthen(s, o, 0.8f, kKin);
    }
    // Friends and weak ties, chosen with homophily: a candidate of another origin group is
    // accepted with probability ties.homophily.
    auto add = [&](int n, float weight, TieKind kind, double wijk_share) {
      for (int k = 0, tries = 0; k < n && tries < 4 * n; ++tries) {
        const Slot o = random_neighbour(w, rng, b, wijk_share);
        if (o == kNoSlot || o == s || r.age[o] < 12) continue;
        if (r.group[o] != r.group[s] && !rng.bernoulli(w.p.homophily)) continue;
        r.ties.strengthen(s, o, weight, kind);
        ++k;
      }
    };
    add(adult ? 2 : 1, 0.7f, kFriend, 0.4);
    add(3, 0.3f, kWeak, w.p.cross_buurt_share);
  }
}

void initial_initiatives(World& w) {
  auto& r = w.res;
  for (Slot s = 0; s < r.pop.slots(); ++s) {
    if (!r.pop.alive(s) || r.potential[s] < w.p.leader_potential_threshold) continue;
    Rng rng = w.rng(stream::nb_init_initiatives, 0, r.pop.id(s));
    if (!rng.bernoulli(0.1)) continue;
    const Slot i = w.ini.pop.add();
    w.ini.buurt[i] = r.buurt[s];
    static constexpr std::uint8_t kTypes[] = {kMeetingPlace, kNeighbourHelp, kGreen, kOtherInitiative};
    w.ini.type[i] = kTypes[rng.below(4)];
    w.ini.leader[i] = s;
    w.ini.viability[i] = static_cast<float>(rng.uniform(0.3, 0.7));
    w.ini.founded[i] = 0;
    r.initiative[s] = i;
    r.role[s] = kLeader;
    for (Slot o : r.ties.neighbours(s))
      if (r.initiative[o] == kNoSlot && r.age[o] >= 15 && rng.bernoulli(0.3)) {
        r.initiative[o] = i;
        r.role[o] = kMember;
      }
    // The initial leaders have each led for a different time. Burnout rises while one leads and
    // ends the leadership at 1, so it is drawn evenly over [0, 1) (assumption): starting all at 0
    // would make every initial leader burn out in the same year, some years into every run.
    r.burnout[s] = static_cast<float>(rng.uniform(0.0, 1.0));
  }
}
}  // namespace

void initialise(World& w, const Executor& exec) {
  const Scenario& sc = w.sc;
  // Local indices of wijken and buurten.
  std::vector<std::uint32_t> wijk_of_place(sc.places.size(), 0);
  for (PlaceIndex i = 0; i < sc.places.size(); ++i) {
    const PlaceSpec& ps = sc.places[i];
    if (ps.level == PlaceLevel::wijk) {
      wijk_of_place[i] = static_cast<std::uint32_t>(w.wijken.size());
      Wijk wk;
      wk.place = i;
      w.wijken.push_back(wk);
    } else if (ps.level == PlaceLevel::buurt) {
      Buurt b;
      b.place = i;
      b.wijk = wijk_of_place[*ps.parent];
      b.attr = place_table().bind(ps.attributes);
      w.wijken[b.wijk].buurten.push_back(static_cast<std::uint32_t>(w.buurten.size()));
      w.buurten.push_back(std::move(b));
    }
  }
  std::int64_t total = 0;
  for (const auto& b : w.buurten) total += sc.places[b.place].population;
  // Room for the population to grow by births (about 5% in 30 years of the baseline) without
  // moving every column and the whole tie network to new memory in the middle of a run; rows of
  // the tie network beyond the population's slots stay empty.
  const auto room = static_cast<std::size_t>(total + total / 10);
  w.res.pop.reserve(room);
  w.res.ties.resize(static_cast<Slot>(room));

  for (std::uint32_t b = 0; b < w.buurten.size(); ++b) {
    const std::int64_t target = sc.places[w.buurten[b].place].population;
    std::int64_t n = 0;
    while (n < target) n += static_cast<std::int64_t>(w.add_household(b, 0, true).size());
    Buurt& bu = w.buurten[b];
    Wijk& wk = w.wijken[bu.wijk];
    wk.residents += static_cast<double>(n);
    wk.social_rent_homes += static_cast<double>(n) / 2.3 * bu.attr.social_rent_share;
  }
  w.res.ties.resize(w.res.pop.slots());
  w.city.ha_welfare_role = w.p.ha_welfare_role;  // which places are open depends on it
  initialise_places(w);
  initial_ties(w);
  initial_initiatives(w);
  assign_hosts(w);
  // Member counts and bridging shares of the initial initiatives, so that tick 1 (recruitment
  // room, neighbour-help pools) and the first output see them.
  w.count_initiative_members();

  // Professionals: all funded posts filled, with tenure spread over the past years. The referral
  // network starts at its coverage, as after years of the same contract holder; relationships
  // with initiatives and residents start at none and build up during the spin-up.
  w.city.ha_welfare_role = w.p.ha_welfare_role;
  for (auto& wk : w.wijken) {
    wk.provider = 0;
    wk.next_tender_years = first_tender_years(w);
  }
  staff_initial_posts(w, 0);
  for (Slot s = 0; s < w.pro.pop.slots(); ++s) {
    if (!w.pro.pop.alive(s)) continue;
    Rng rng = w.rng(stream::nb_init_professionals, 0, w.pro.pop.id(s));
    const double tenure = rng.uniform(0.0, 8.0);
    w.pro.tenure_years[s] = static_cast<float>(tenure);
    w.pro.knowledge[s] = static_cast<float>(
        1.0 - (1.0 - w.p.knowledge_start) * std::exp(-w.p.knowledge_learning * tenure));
  }
  for (auto& wk : w.wijken) wk.network = 1.0;
  // Volunteering and loneliness start at their values for the initial ties and trust: volunteers
  // with the stationary probability of the start/stop rates, loneliness from the ties just made.
  auto& r = w.res;
  for (Slot s = 0; s < r.pop.slots(); ++s) {
    if (!r.pop.alive(s)) continue;
    const auto nb = r.ties.neighbours(s);
    const auto wt = r.ties.weights(s);
    const auto kd = r.ties.kinds(s);
    double ws = 0;
    for (std::size_t k = 0; k < nb.size(); ++k) ws += wt[k] * (kd[k] == kWeak ? 1.0 : 2.0);
    r.loneliness[s] = loneliness_score(static_cast<float>(ws), r.alone[s], 0.0f, w.p.connectedness_scale);
    if (r.age[s] < 15 || r.spare_hours[s] <= 0) continue;
    const double start = w.p.volunteer_start_rate * r.trust[s];
    Rng rng = w.rng(stream::nb_init_residents, 0, (std::uint64_t{1} << 45) + r.pop.id(s));
    if (start > 0 && rng.bernoulli(start / (start + w.p.volunteer_stop_rate))) r.volunteer[s] = 1;
  }
  // The care ladder once on the initial state (no need changes at tick 0), so the flows of care
  // are defined in the first output.
  care(w, TickContext{0, w.sc.start, w.sc.tick.years(), w.seed, &exec});
  update_buurt_outlook(w, exec);
  w.city.next_wijkbudget = 1;
  w.city.next_agenda = 1;
}

}  // namespace buurtlab::neighbourhood
