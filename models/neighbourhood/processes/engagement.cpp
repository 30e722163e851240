// Engagement and loneliness. Residents with spare time, trust and ties start volunteering
// (anywhere: sports club, school, church, the neighbourhood) and stop again; initiative members are
// neighbourhood volunteers. Loneliness follows from the ties one has and from unmet care need.
// Workshop sentences: "People who trust others and are asked by people they know, volunteer."
// "Loneliness is having few ties, or ties that do not help when you need them."
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

float loneliness_score(float tie_weight_sum, bool lives_alone, float unmet_share, double scale) {
  // Connectedness c = weighted ties plus one for sharing a home; the score halves at c = scale.
  const double cw = tie_weight_sum + (lives_alone ? 0.0 : 1.0);
  const double base = scale / (scale + cw);
  return static_cast<float>(std::clamp(base + 0.3 * unmet_share * (1.0 - base), 0.0, 1.0));
}

void engagement(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  const double p_stop = rate_to_probability(p.volunteer_stop_rate, c.dt_years);
  const double p_stop_busy = rate_to_probability(3.0 * p.volunteer_stop_rate, c.dt_years);
  // Ties' volunteering as it was before anyone started or stopped this tick.
  w.flag_before = r.volunteer.values();
  c.exec->for_each(r.pop.slots(), [&](std::size_t i) {
    const Slot s = Slot(i);
    if (!r.pop.alive(s)) return;
    Rng rng = w.rng(stream::nb_engagement, c.tick, r.pop.id(s));
    const auto nb = r.ties.neighbours(s);
    const auto wt = r.ties.weights(s);
    const auto kd = r.ties.kinds(s);
    // One pass over the ties: connectedness for loneliness (strong ties count double) and, for
    // who may start volunteering, how many of them volunteer (being asked).
    const bool may_start = r.age[s] >= 15 && !r.volunteer[s] && r.spare_hours[s] > 0;
    double ws = 0, asked = 0;
    if (may_start) {
      for (std::size_t k = 0; k < nb.size(); ++k) {
        ws += wt[k] * (kd[k] == kWeak ? 1.0 : 2.0);
        asked += (w.flag_before[nb[k]] || r.initiative[nb[k]] != kNoSlot) ? wt[k] : 0;
      }
    } else {
      for (std::size_t k = 0; k < nb.size(); ++k) ws += wt[k] * (kd[k] == kWeak ? 1.0 : 2.0);
    }
    // Volunteering anywhere (the member of an initiative is a volunteer by definition).
    if (r.age[s] >= 15) {
      if (r.volunteer[s]) {
        if (rng.bernoulli(r.spare_hours[s] > 0 ? p_stop : p_stop_busy)) r.volunteer[s] = 0;
      } else if (may_start) {
        // Being asked: the share of one's ties who volunteer raises the rate.
        const double rate = p.volunteer_start_rate * r.trust[s] * (0.5 + std::min(1.5, asked));
        if (rng.bernoulli(rate_to_probability(rate, c.dt_years))) r.volunteer[s] = 1;
      }
    }
    // Loneliness from ties and unmet need.
    const float unmet_share = r.need_hours[s] > 0 ? r.unmet[s] / r.need_hours[s] : 0.0f;
    r.loneliness[s] = loneliness_score(static_cast<float>(ws), r.alone[s], unmet_share, p.connectedness_scale);
  });
}

}  // namespace buurtlab::neighbourhood
