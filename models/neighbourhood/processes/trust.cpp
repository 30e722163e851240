// Trust from experience. Social trust moves towards 1 after good encounters and towards 0 after
// bad ones (a neighbour's nuisance among them), a bad one weighing trust.negativity_weight times
// more (Slovic 1993). Trust in each institution (municipality, welfare, housing association) moves
// with the experiences that belong to it: help in time or not, keeping or losing one's
// professional, being heard, promises kept or broken, a complaint handled or not, a place closed.
// All are pulled a little towards the trust of one's ties. Workshop sentence: "Trust is built slowly by good experiences and lost quickly by
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
    // This tick's experiences: encounters (meeting), care and casework, civic rounds, and the
    // nuisance the household felt and the fate of its complaints (nuisance, per home).
    std::uint32_t bad_social = r.bad_social[s];
    std::uint32_t good[kInstitutions], bad[kInstitutions];
    for (int k = 0; k < kInstitutions; ++k) {
      good[k] = r.inst[k].good[s];
      bad[k] = r.inst[k].bad[s];
    }
    if (!w.home_tick.empty()) {
      const World::HomeTick& h = w.home_tick[r.home[s]];
      if (r.age[s] >= 12) bad_social += h.felt;
      if (r.age[s] >= 18) {
        good[kHousing] += h.handled_housing;
        good[kWelfare] += h.handled_welfare;
        bad[kHousing] += h.unhandled_housing;
        bad[kMunicipality] += h.unhandled_municipality;
      }
    }
    auto cap = [](std::uint32_t n) { return static_cast<std::uint8_t>(std::min<std::uint32_t>(n, 255)); };
    float t = update_trust(r.trust[s], r.good_social[s], cap(bad_social), social_up, social_down, social_down_step, 0.0);
    float it[kInstitutions];
    for (int k = 0; k < kInstitutions; ++k) {
      InstitutionTrust& in = r.inst[k];
      it[k] = update_trust(in.level[s], cap(good[k]), cap(bad[k]), inst_up, inst_down, inst_down_step, in.bad_weight[s]);
    }
    // Pull towards the tie-weighted mean trust of one's ties (their values before this tick).
    const auto nb = r.ties.neighbours(s);
    const auto wt = r.ties.weights(s);
    double ws = 0, ts = 0, is[kInstitutions] = {0, 0, 0};
    for (std::size_t k = 0; k < nb.size(); ++k) {
      ws += wt[k];
      ts += wt[k] * r.trust[nb[k]];
      for (int m = 0; m < kInstitutions; ++m) is[m] += wt[k] * r.inst[m].level[nb[k]];
    }
    t += static_cast<float>(anchor * (r.trust_base[s] - t));
    if (ws > 0) {
      t += static_cast<float>(pull * (ts / ws - t));
      for (int m = 0; m < kInstitutions; ++m) it[m] += static_cast<float>(0.5 * pull * (is[m] / ws - it[m]));
    }
    r.trust_next[s] = t;
    r.good_social[s] = r.bad_social[s] = 0;
    for (int m = 0; m < kInstitutions; ++m) {
      InstitutionTrust& in = r.inst[m];
      in.next[s] = it[m];
      in.good[s] = in.bad[s] = 0;
      in.bad_weight[s] = 0;
    }
  });
  std::swap(r.trust.values(), r.trust_next.values());
  for (auto& in : r.inst) std::swap(in.level.values(), in.next.values());
}

}  // namespace buurtlab::neighbourhood
