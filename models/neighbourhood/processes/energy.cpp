// The energy-transition project (e.g. a wijk going off natural gas), started by a policy hook.
// Top-down: the municipality consults, then checks consent; below the consent threshold the plan
// stalls (a broken promise for those who supported it) and is retried a year later; above it,
// homes are scheduled over the plan years, but a home is done only if its household is in favour,
// and households pushed against their will lose institutional trust. A retrofit belongs to the
// home: it stays when the household leaves, and a retrofitted home is not done again. Community-led: nothing
// happens without an energy initiative (which needs a leader); its members adopt first and adoption
// spreads through ties by a threshold rule, with attitudes pulled towards one's ties. Workshop
// sentence: "A plan from above goes as fast as people consent; a plan from below goes as fast as
// trust spreads through the neighbourhood."
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

void energy(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  bool any = false;
  for (auto& wk : w.wijken) any = any || wk.energy.active;
  if (!any) return;
  // Top-down consent checks (per wijk, serial and cheap).
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj) {
    EnergyProject& e = w.wijken[wj].energy;
    if (!e.active || e.mode != static_cast<int>(EnergyMode::top_down) || e.executing || c.tick < e.consent_check)
      continue;
    double n = 0, favour = 0;
    for (Slot s : w.wijk_residents[wj])
      if (r.age[s] >= 18) {
        n += 1;
        favour += r.attitude[s] > 0.5f;
      }
    if (n > 0 && favour / n >= e.consent_threshold) {
      e.executing = true;
      e.plan_start = c.tick;
    } else {
      // The plan stalls: supporters see a promise broken; retry after a year.
      for (Slot s : w.wijk_residents[wj])
        if (r.attitude[s] > 0.5f) r.inst[kMunicipality].bad_weight[s] += static_cast<float>(p.energy_broken_promise / std::max(1e-9, p.institutional_learning * p.negativity_weight));
      e.consent_check = c.tick + static_cast<Tick>(std::lround(1.0 / c.dt_years));
    }
  }
  // Energy initiatives active per wijk (community-led needs one).
  std::vector<std::uint8_t> has_coop(w.wijken.size(), 0);
  for (Slot i = 0; i < w.ini.pop.slots(); ++i)
    if (w.ini.pop.alive(i) && w.ini.type[i] == kEnergyCoop && w.ini.leader[i] != kNoSlot)
      has_coop[w.buurten[w.ini.buurt[i]].wijk] = 1;
  const double pull = rate_to_probability(p.energy_attitude_pull, c.dt_years);
  const double adopt = rate_to_probability(p.energy_adoption_rate, c.dt_years);
  // Homes whose turn has come, with an adult in favour, are done four times faster than the
  // threshold rule's adopters (the work is scheduled for them).
  const double adopt_scheduled = rate_to_probability(4.0 * p.energy_adoption_rate, c.dt_years);
  // Residents decide; the homes they decide for are marked after the loop, so a tie's home counts
  // as retrofitted as it was before anyone adopted this tick, and two residents of one home who
  // both decide mark it once whichever block runs first.
  w.retrofits.reset(r.pop.slots());
  c.exec->for_blocks(r.pop.slots(), [&](const Block& blk) {
    auto& out = w.retrofits.of(blk);
    for (Slot s = Slot(blk.begin); s < blk.end; ++s) {
      if (!r.pop.alive(s)) continue;
      const std::uint32_t wj = w.wijk_of(s);
      const EnergyProject& e = w.wijken[wj].energy;
      r.attitude_next[s] = r.attitude[s];
      if (!e.active || r.age[s] < 18) continue;
      const auto nb = r.ties.neighbours(s);
      const auto wt = r.ties.weights(s);
      double ws = 0, as = 0, adopted = 0;
      for (std::size_t k = 0; k < nb.size(); ++k) {
        ws += wt[k];
        as += wt[k] * r.attitude[nb[k]];
        adopted += wt[k] * w.homes[r.home[nb[k]]].retrofitted;
      }
      float att = r.attitude[s];
      if (ws > 0) att += static_cast<float>(pull * (as / ws - att));
      r.attitude_next[s] = att;
      const std::uint32_t home = r.home[s];
      if (w.homes[home].retrofitted) continue;
      Rng rng = w.rng(stream::nb_energy, c.tick, r.pop.id(s));
      // Whether the home is retrofitted this tick is one draw per home, shared by every adult
      // living there who would have it done: a home goes at the adoption rate however many of
      // its adults are willing (the decision is the household's), not once per willing adult.
      const auto home_adopts = [&](double prob) {
        return Rng(w.seed, stream::nb_energy, c.tick, (std::uint64_t{1} << 46) + home).bernoulli(prob);
      };
      if (e.mode == static_cast<int>(EnergyMode::top_down)) {
        if (!e.executing) continue;
        // The plan schedules homes evenly over the plan years up to the target share; a home whose
        // turn has come is done only with the consent of someone living there. The turn belongs
        // to the home, so a household moving in keeps its place in the plan.
        const double plan_t = (c.tick - e.plan_start) * c.dt_years;
        const double due_share = std::min(e.target_share, e.target_share * plan_t / p.energy_plan_years);
        const double my_turn = Rng(w.seed, stream::nb_energy, 0, (std::uint64_t{1} << 45) + home).uniform();
        if (my_turn >= due_share) continue;
        if (att > 0.5f) {
          if (home_adopts(adopt_scheduled)) out.push_back(home);
        } else if (rng.bernoulli(adopt)) {
          r.bad_experience(s, kMunicipality);  // pushed to comply against one's will
        }
      } else {
        if (!has_coop[wj]) continue;
        const Slot ini = r.initiative[s];
        const bool coop_member = ini != kNoSlot && w.ini.type[ini] == kEnergyCoop;
        // Threshold rule (Granovetter 1978): adopt once the weighted share of one's ties living in
        // retrofitted homes reaches a personal threshold that falls as the attitude rises.
        const double threshold = std::clamp(1.0 - att, 0.05, 0.95) * 0.5;
        const bool convinced = coop_member || (ws > 0 && adopted / ws >= threshold);
        if (att > 0.5f && convinced && home_adopts(adopt)) {
          out.push_back(home);
          ++r.good_social[s];  // done together with neighbours
        }
      }
    }
  });
  // Marking is idempotent, so the order of the proposals does not matter.
  w.retrofits.for_each([&](std::uint32_t h) { w.homes[h].retrofitted = 1; });
  std::swap(r.attitude.values(), r.attitude_next.values());
}

}  // namespace buurtlab::neighbourhood
