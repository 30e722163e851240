// Meeting: residents run into each other in the street, in public places and in their
// initiatives, and community workers broker encounters across groups. A good encounter between
// strangers may leave a weak tie, less often across origin groups (homophily) unless the setting is
// mixed; repeated contact strengthens ties and strong ties grow from weak ones; ties fade without
// contact. Workshop sentence: "People who meet, and meet again, get to know each other; open
// places and shared activities let them meet people unlike themselves."
#include <algorithm>
#include <cmath>
#include <limits>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

namespace {
// Members of each initiative in slot order (CSR), so members can meet each other.
void build_member_lists(World& w) {
  const Slot ni = w.ini.pop.slots();
  w.members_offset.assign(static_cast<std::size_t>(ni) + 1, 0);
  for (Slot s = 0; s < w.res.pop.slots(); ++s)
    if (w.res.pop.alive(s) && w.res.initiative[s] != kNoSlot) ++w.members_offset[w.res.initiative[s] + 1];
  for (Slot i = 0; i < ni; ++i) w.members_offset[i + 1] += w.members_offset[i];
  w.members_flat.assign(w.members_offset[ni], kNoSlot);
  std::vector<std::uint32_t> fill(w.members_offset.begin(), w.members_offset.end() - 1);
  for (Slot s = 0; s < w.res.pop.slots(); ++s)
    if (w.res.pop.alive(s) && w.res.initiative[s] != kNoSlot) w.members_flat[fill[w.res.initiative[s]]++] = s;
}
}  // namespace

void meeting(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  build_member_lists(w);
  // Poisson means shared by many residents, with exp(-mean) computed once per tick: per resident
  // (street, members, upkeep), per buurt (places) and per wijk (brokering).
  const PoissonMean street(p.meeting_rate * c.dt_years);
  const PoissonMean members(p.member_meeting_rate * c.dt_years);
  const PoissonMean members_unhosted(p.member_meeting_rate * p.unhosted_factor * c.dt_years);
  const PoissonMean upkeep(p.tie_upkeep_rate * c.dt_years);
  // Encounters in public places grow with their open hours (places.reference_hours count as one
  // place); the buurt's community professional is present for a share of its hours there, so a
  // visitor meets them on that share of visits (presence, an hour each).
  std::vector<PoissonMean> at_places(w.buurten.size()), brokered(w.wijken.size());
  std::vector<double> presence(w.buurten.size(), 0.0);
  for (std::size_t b = 0; b < w.buurten.size(); ++b) {
    const Buurt& bu = w.buurten[b];
    const double residents = std::max<double>(1.0, static_cast<double>(bu.residents.size()));
    const double places_per_1000 = bu.place_hours / p.place_reference_hours * 1000.0 / residents;
    const double place_rate = p.meeting_rate * p.place_meeting_boost * places_per_1000;
    at_places[b] = PoissonMean(place_rate * c.dt_years);
    if (bu.face != kNoSlot && bu.place_hours > 0)
      presence[b] = std::min(1.0, w.pro.collective_hours[bu.face] * 0.5 * p.presence_share /
                                      std::max<std::uint32_t>(1, w.pro.buurten_faced[bu.face]) / bu.place_hours);
  }
  for (std::size_t k = 0; k < w.wijken.size(); ++k) {
    // Brokered encounters: the wijk's collective hours not spent on initiatives, shared out over
    // its residents.
    const Wijk& wk = w.wijken[k];
    const double brokered_rate = wk.collective_hours * 0.5 * p.brokering_per_hour * 52.0 / std::max(1.0, wk.residents);
    brokered[k] = PoissonMean(brokered_rate * c.dt_years);
  }
  // Public familiarity (Blokland): residents get to know their buurt's community professional by
  // the hours spent in their company: an encounter the professional brokers counts as an hour,
  // an initiative member gets a share of the hours the professional gives the initiative, and the
  // buurt's key figures share the hours the professional spends with key figures.
  std::vector<double> key_figure_hours(w.buurten.size(), 0.0);
  c.exec->for_tasks(w.buurten.size(), [&](std::size_t b) {
    const Buurt& bu = w.buurten[b];
    if (bu.face == kNoSlot) return;
    double n = 0;
    for (Slot s : bu.residents) n += w.key_figure(s);
    if (n > 0)
      key_figure_hours[b] = w.pro.collective_hours[bu.face] * 0.5 * p.key_figure_hours_share /
                            std::max<std::uint32_t>(1, w.pro.buurten_faced[bu.face]) / n;
  });
  const double fade = std::exp(-p.relation_decay * c.dt_years);
  const double weeks = c.dt_years * 365.25 / 7.0;
  w.encounters.reset(r.pop.slots());
  c.exec->for_blocks(r.pop.slots(), [&](const Block& blk) {
    auto& out = w.encounters.of(blk);
    for (Slot s = Slot(blk.begin); s < blk.end; ++s) {
      if (!r.pop.alive(s) || r.age[s] < 12) continue;
      Rng rng = w.rng(stream::nb_meeting, c.tick, r.pop.id(s));
      const Buurt& bu = w.buurten[r.buurt[s]];
      auto meet = [&](Slot o, bool mixed) {
        if (o == kNoSlot || o == s || r.age[o] < 12) return;
        const bool good = rng.bernoulli(p.good_encounter_prob + 0.3 * (r.trust[o] - 0.5));
        double cross = r.group[o] != r.group[s] ? (mixed ? p.bridging_factor : p.homophily) : 1.0;
        if (r.group[o] != r.group[s] && (r.language[s] | r.language[o])) cross *= p.language_tie_factor;
        const bool form = rng.bernoulli(p.tie_formation_prob * cross);
        out.push_back({s, o, good, mixed, form});
        // The initiator's own experience is counted here (own state); the partner's in apply.
        auto& mine = good ? r.good_social[s] : r.bad_social[s];
        if (mine < 250) ++mine;
      };
      auto random_local = [&]() -> Slot {
        const auto& list = rng.bernoulli(p.cross_buurt_share) ? w.wijk_residents[bu.wijk] : bu.residents;
        return list.empty() ? kNoSlot : list[rng.below(static_cast<std::uint32_t>(list.size()))];
      };
      // Street encounters: a random resident nearby.
      for (std::uint32_t k = rng.poisson(street); k > 0; --k) meet(random_local(), false);
      // Public places mix people.
      const std::uint32_t n_at_places = rng.poisson(at_places[r.buurt[s]]);
      for (std::uint32_t k = n_at_places; k > 0; --k) meet(random_local(), true);
      // Brokered by a community worker: a mixed setting, so the bridging factor applies.
      const std::uint32_t n_brokered = rng.poisson(brokered[bu.wijk]);
      for (std::uint32_t k = n_brokered; k > 0; --k) meet(random_local(), true);
      // Initiative members meet a fellow member every other week on average.
      const Slot ini = r.initiative[s];
      if (ini != kNoSlot) {
        const std::uint32_t b0 = w.members_offset[ini], b1 = w.members_offset[ini + 1];
        // An initiative that needs a place and has none meets less.
        const bool homeless = w.ini.host[ini] == kNoPlace && needs_place(w.ini.type[ini]);
        if (b1 - b0 > 1)
          for (std::uint32_t k = rng.poisson(homeless ? members_unhosted : members); k > 0; --k)
            meet(w.members_flat[b0 + rng.below(b1 - b0)], true);
      }
      // Familiarity with the buurt's community professional (own state).
      if (bu.face != kNoSlot || r.contact[s] != kNoSlot) {
        double hours = 0;
        if (bu.face != kNoSlot) {
          hours = n_brokered + n_at_places * presence[r.buurt[s]];
          if (w.key_figure(s)) hours += key_figure_hours[r.buurt[s]] * weeks;
          if (ini != kNoSlot && w.ini.worker[ini] == bu.face && w.ini.members[ini] > 0)
            hours += w.ini.worker_hours[ini] * weeks / w.ini.members[ini];
        }
        if (hours > 0) {
          if (r.contact[s] != bu.face) {
            r.contact[s] = bu.face;
            r.familiarity[s] = 0;
          }
          r.familiarity[s] += static_cast<float>((1.0 - std::exp(-hours / p.relation_build_hours)) * (1.0 - r.familiarity[s]));
        } else {
          r.familiarity[s] = static_cast<float>(r.familiarity[s] * fade);
          if (r.familiarity[s] < p.relation_end_below) {
            r.contact[s] = kNoSlot;
            r.familiarity[s] = 0;
          }
        }
      }
      // Ties are kept up: contact with an existing tie every other week on average.
      const auto nb = r.ties.neighbours(s);
      if (!nb.empty())
        for (std::uint32_t k = rng.poisson(upkeep); k > 0; --k)
          meet(nb[rng.below(static_cast<std::uint32_t>(nb.size()))], false);
    }
  });
  // Apply in a fixed order: ties between two residents change both rows (and an eviction a
  // third, a tie of one of them). Ties never cross wijk boundaries (residents meet, and are kin,
  // only within their wijk), so encounters grouped by wijk touch disjoint rows and the wijken
  // apply in parallel, each in the fixed order; an encounter across wijken would make the apply
  // serial.
  const float gain = static_cast<float>(p.tie_gain);
  const auto strong = static_cast<float>(p.strong_threshold);
  constexpr float kNever = std::numeric_limits<float>::infinity();
  w.encounters.for_each_grouped(
      *c.exec, w.wijken.size(),
      [&](const Encounter& e) {
        const std::uint32_t wj = w.wijk_of(e.a);
        return wj == w.wijk_of(e.b) ? std::size_t{wj} : Proposals<Encounter>::kAnyGroup;
      },
      [&](const Encounter& e) {
        auto& cnt = e.good ? r.good_social[e.b] : r.bad_social[e.b];
        if (cnt < 250) ++cnt;
        // A good encounter strengthens a tie or may form one; a strong enough tie becomes a
        // friendship. A bad one weakens an existing tie.
        if (e.good) r.ties.contact(e.a, e.b, gain, kWeak, e.form, strong, kFriend);
        else r.ties.contact(e.a, e.b, -2.0f * gain, kWeak, false, kNever, kWeak);
      });
  // Decay: every row applies the same factor, so both copies of a tie stay equal.
  const float f[3] = {static_cast<float>(std::exp(-p.weak_tie_decay * c.dt_years)),
                      static_cast<float>(std::exp(-p.strong_tie_decay * c.dt_years)), 1.0f};
  const auto prune = static_cast<float>(p.tie_prune);
  c.exec->for_each(r.pop.slots(), [&](std::size_t s) {
    if (r.pop.alive(Slot(s))) r.ties.decay_row(Slot(s), f, prune);
  });
}

}  // namespace buurtlab::neighbourhood
