// Trust from experience. Social trust moves towards 1 after good encounters and towards 0 after
// bad ones, a bad one weighing trust.negativity_weight times more (Slovic 1993). Institutional
// trust moves with experiences of institutions: help in time or not, keeping or losing one's
// professional, being heard, promises kept or broken. Both are pulled a little towards the trust
// of one's ties. Workshop sentence: "Trust is built slowly by good experiences and lost quickly by
// bad ones, and people take on some of the trust of the people around them."
#include <algorithm>
#include <array>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

// Powers (1 - step)^n for every count n an experience counter can hold (uint8). Computed once per
// tick with std::pow, so a lookup gives exactly the value std::pow would give per resident.
struct StepPowers {
  std::array<double, 256> v;
  explicit StepPowers(double step) {
    for (int n = 0; n < 256; ++n) v[n] = std::pow(step, n);
  }
};

// Trust after g good and b bad experiences, each step a fraction of the remaining distance.
// Good experiences are applied before bad ones within a tick. `up` holds powers of (1 - step),
// `down` of (1 - min(1, step * negativity)).
inline float update_trust(float t, std::uint8_t good, std::uint8_t bad, const StepPowers& up,
                          const StepPowers& down, double down_step, double bad_weight) {
  double x = t;
  if (good > 0) x = 1.0 - (1.0 - x) * up.v[good];
  if (bad > 0) x *= down.v[bad];
  if (bad_weight > 0) x *= std::max(0.0, 1.0 - down_step * bad_weight);
  return static_cast<float>(std::clamp(x, 0.0, 1.0));
}

void trust(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  const double pull = rate_to_probability(p.trust_pull, c.dt_years);
  const double anchor = rate_to_probability(p.trust_anchor, c.dt_years);
  const double social_down_step = std::min(1.0, p.trust_learning * p.negativity_weight);
  const double inst_down_step = std::min(1.0, p.institutional_learning * p.negativity_weight);
  const StepPowers social_up(1.0 - p.trust_learning), social_down(1.0 - social_down_step);
  const StepPowers inst_up(1.0 - p.institutional_learning), inst_down(1.0 - inst_down_step);
  c.exec->for_each(r.pop.slots(), [&](std::size_t i) {
    const Slot s = Slot(i);
    if (!r.pop.alive(s)) return;
    float t = update_trust(r.trust[s], r.good_social[s], r.bad_social[s], social_up, social_down,
                           social_down_step, 0.0);
    float it = update_trust(r.inst_trust[s], r.good_inst[s], r.bad_inst[s], inst_up, inst_down,
                            inst_down_step, r.bad_inst_weight[s]);
    // Pull towards the tie-weighted mean trust of one's ties (their values before this tick).
    const auto nb = r.ties.neighbours(s);
    const auto wt = r.ties.weights(s);
    double ws = 0, ts = 0, is = 0;
    for (std::size_t k = 0; k < nb.size(); ++k) {
      ws += wt[k];
      ts += wt[k] * r.trust[nb[k]];
      is += wt[k] * r.inst_trust[nb[k]];
    }
    t += static_cast<float>(anchor * (r.trust_base[s] - t));
    if (ws > 0) {
      t += static_cast<float>(pull * (ts / ws - t));
      it += static_cast<float>(0.5 * pull * (is / ws - it));
    }
    r.trust_next[s] = t;
    r.inst_next[s] = it;
    r.good_social[s] = r.bad_social[s] = r.good_inst[s] = r.bad_inst[s] = 0;
    r.bad_inst_weight[s] = 0;
  });
  std::swap(r.trust.values(), r.trust_next.values());
  std::swap(r.inst_trust.values(), r.inst_next.values());
}

}  // namespace buurtlab::neighbourhood
