// Initiatives: a resident with leadership potential, enough ties, trust and an open public place
// in the buurt starts an initiative (more often with community-worker support or after a future-
// agenda round); it recruits through ties; an initiative that meets in a place gets a host with
// room (places.cpp); its viability grows with member hours, professional support and funds (all
// counting less without the place it needs) and decays otherwise; its leader burns out without support; without a leader,
// or with its viability exhausted, it dissolves. Workshop sentence: "Initiatives need a leader
// and people around them; without support their leaders burn out and the initiative fades."
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

namespace {
constexpr double kViabilityGraceWeeks = 13;
}  // namespace

void initiatives(World& w, const TickContext& c) {
  auto& r = w.res;
  auto& in = w.ini;
  const Params& p = w.p;
  const double p_leave = rate_to_probability(p.member_leave_rate, c.dt_years);
  w.foundings.reset(r.pop.slots());
  // Ties' memberships as they were before anyone joined or left this tick.
  w.initiative_before = r.initiative.values();
  // 1. Residents join, leave and found (own state only; foundings are proposals).
  c.exec->for_blocks(r.pop.slots(), [&](const Block& blk) {
    auto& out = w.foundings.of(blk);
    for (Slot s = Slot(blk.begin); s < blk.end; ++s) {
      if (!r.pop.alive(s) || r.age[s] < 15) continue;
      Rng rng = w.rng(stream::nb_initiative_life, c.tick, r.pop.id(s));
      const Slot mine = r.initiative[s];
      if (mine != kNoSlot && in.displaced[mine] && r.age[s] >= 18) {
        // The host closed: a decision of its funder (a place run by residents closes by itself).
        const std::uint8_t funder = in.displaced[mine] - 1;
        if (funder == kFundedByMunicipality) r.bad_experience(s, kMunicipality);
        else if (funder == kFundedByHousing) r.bad_experience(s, kHousing);
      }
      if (mine != kNoSlot) {
        if (in.dissolving[mine]) {
          r.initiative[s] = kNoSlot;
          r.role[s] = kNoRole;
        } else if (r.role[s] == kMember && rng.bernoulli(p_leave)) {
          r.initiative[s] = kNoSlot;
          r.role[s] = kNoRole;
        }
        continue;
      }
      // Recruitment through ties: a tie met this week who is a member may draw one in, less so
      // as the initiative fills up.
      const auto nb = r.ties.neighbours(s);
      const auto wt = r.ties.weights(s);
      if (!nb.empty() && r.spare_hours[s] > 0) {
        const std::uint32_t k = rng.below(static_cast<std::uint32_t>(nb.size()));
        const Slot i = w.initiative_before[nb[k]];
        if (i != kNoSlot && !in.dissolving[i]) {
          const double room = std::max(0.0, 1.0 - in.members[i] / p.max_members);
          if (rng.bernoulli(rate_to_probability(p.join_rate * wt[k] * room * (0.5 + r.trust[s]), c.dt_years))) {
            r.initiative[s] = i;
            r.role[s] = kMember;
            continue;
          }
        }
      }
      // Founding: leaders are the bottleneck.
      const Buurt& bu = w.buurten[r.buurt[s]];
      if (r.potential[s] < p.leader_potential_threshold || r.burnout[s] > 0.5 || r.trust[s] < 0.5 ||
          r.ties.degree(s) < p.min_ties_to_found || bu.places_open <= 0)
        continue;
      const Wijk& wk = w.wijken[bu.wijk];
      double rate = p.founding_rate * (r.founder_boost_until[s] >= static_cast<std::int32_t>(c.tick) ? p.agenda_founding_boost : 1.0);
      rate += p.activation_per_hour * wk.collective_hours * 0.5 * 1000.0 / std::max(1.0, wk.residents);
      Rng frng = w.rng(stream::nb_initiative_birth, c.tick, r.pop.id(s));
      if (!frng.bernoulli(rate_to_probability(rate, c.dt_years))) continue;
      std::uint8_t type;
      if (wk.energy.active && wk.energy.mode == static_cast<int>(EnergyMode::community_led) && r.attitude[s] > 0.5 &&
          frng.bernoulli(0.5))
        type = kEnergyCoop;
      else {
        static constexpr std::uint8_t kTypes[] = {kMeetingPlace, kNeighbourHelp, kGreen, kOtherInitiative};
        type = kTypes[frng.below(4)];
      }
      out.push_back({s, type});
    }
  });
  // Initiatives marked dissolving last tick are now empty: free their slots.
  for (Slot i = 0; i < in.pop.slots(); ++i)
    if (in.pop.alive(i) && in.dissolving[i]) in.pop.remove(i);
  // 2. New initiatives (a founder may have joined one meanwhile: then the founding lapses).
  w.initiatives_founded_tick = 0;
  w.foundings.for_each([&](const Founding& f) {
    if (r.initiative[f.founder] != kNoSlot) return;
    const Slot i = in.pop.add();
    in.buurt[i] = r.buurt[f.founder];
    in.type[i] = f.type;
    in.leader[i] = f.founder;
    in.viability[i] = 0.3f;
    in.founded[i] = static_cast<std::int32_t>(c.tick);
    r.initiative[f.founder] = i;
    r.role[f.founder] = kLeader;
    w.initiatives_founded_tick += 1;
  });
  // 3. Members and bridging share; a host for initiatives that need a place and have none.
  w.count_initiative_members();
  for (Slot i = 0; i < in.pop.slots(); ++i)
    if (in.pop.alive(i)) in.displaced[i] = 0;
  assign_hosts(w);
  const Slot ni = in.pop.slots();
  // 4. Viability, leader burnout, succession, dissolution.
  const double gain = p.viability_gain * c.dt_years, decay = p.viability_decay * c.dt_years;
  w.initiatives_dissolved_tick = 0;
  for (Slot i = 0; i < ni; ++i) {
    if (!in.pop.alive(i)) continue;
    const double n = in.members[i];
    const double member_input = std::min(1.0, n * p.member_hours / 10.0);
    const double funds_input = std::min(1.0, in.funds[i] / 2000.0);
    in.funds[i] = static_cast<float>(std::max(0.0, in.funds[i] - in.funds[i] * c.dt_years));
    // Without the place it needs, an initiative runs its activities at places.unhosted_factor:
    // members, support and funds count for that much less.
    const double hosted = in.host[i] == kNoPlace && needs_place(in.type[i]) ? p.unhosted_factor : 1.0;
    const double input = hosted * (0.5 * member_input + 0.3 * in.support[i] + 0.2 * funds_input);
    double v = in.viability[i];
    v += gain * input * (1.0 - v) - decay * v * (1.0 - input);
    in.viability[i] = static_cast<float>(std::clamp(v, 0.0, 1.0));

    Rng rng = w.rng(stream::nb_initiative_life, c.tick, (std::uint64_t{1} << 44) + in.pop.id(i));
    Slot leader = in.leader[i];
    if (leader != kNoSlot) {
      // Burnout grows with the load a leader carries alone: support and members share it.
      const double load = (1.0 - 0.7 * in.support[i]) * (1.0 - 0.5 * std::min(1.0, n / 10.0));
      r.burnout[leader] += static_cast<float>(p.burnout_rate * c.dt_years * load);
      if (r.burnout[leader] >= 1.0f) {
        r.role[leader] = kMember;
        in.leader[i] = leader = kNoSlot;
      }
    }
    if (leader == kNoSlot) {
      if (in.leaderless_since[i] < 0) in.leaderless_since[i] = static_cast<std::int32_t>(c.tick);
      // Succession: the member with the most potential (above the threshold) may take over.
      Slot best = kNoSlot;
      if (!w.members_offset.empty() && i + 1 < w.members_offset.size())
        for (std::uint32_t m = w.members_offset[i]; m < w.members_offset[i + 1]; ++m) {
          const Slot s = w.members_flat[m];
          if (!r.pop.alive(s) || r.initiative[s] != i || r.burnout[s] > 0.5) continue;
          if (r.potential[s] >= p.leader_potential_threshold && (best == kNoSlot || r.potential[s] > r.potential[best]))
            best = s;
        }
      const double rate = p.succession_prob * (1.0 + in.support[i]);
      if (best != kNoSlot && rng.bernoulli(rate_to_probability(rate, c.dt_years))) {
        in.leader[i] = best;
        r.role[best] = kLeader;
        in.leaderless_since[i] = -1;
      }
    }
    const double leaderless_weeks =
        in.leaderless_since[i] < 0 ? 0.0 : (c.tick - in.leaderless_since[i]) * c.dt_years * 365.25 / 7.0;
    // A new initiative has 13 weeks to build up viability before it can fade away (counted in
    // weeks, not ticks, so that monthly ticks mean the same).
    const double age_weeks = (static_cast<double>(c.tick) - in.founded[i]) * c.dt_years * 365.25 / 7.0;
    if (n == 0 || leaderless_weeks > p.leaderless_weeks ||
        (in.viability[i] < p.dissolve_viability && age_weeks > kViabilityGraceWeeks + 1e-9)) {
      in.dissolving[i] = 1;  // members leave next tick; the slot is freed then
      if (in.leader[i] != kNoSlot) r.role[in.leader[i]] = kMember;
      in.leader[i] = kNoSlot;
      w.initiatives_dissolved_tick += 1;
    }
  }
  // Former leaders recover.
  const double rec = p.burnout_recovery * c.dt_years;
  c.exec->for_each(r.pop.slots(), [&](std::size_t k) {
    const Slot s = Slot(k);
    if (r.pop.alive(s) && r.role[s] != kLeader && r.burnout[s] > 0)
      r.burnout[s] = static_cast<float>(std::max(0.0, r.burnout[s] - rec));
  });
}

}  // namespace buurtlab::neighbourhood
