// Democratic arenas: the yearly wijkbudget and the neighbourhood future agenda.
//
// Wijkbudget: every active initiative proposes a costed project; residents vote (members for their
// own initiative's project, others for a project in their buurt, cheap ones more often) or
// officials rank projects by the initiatives' viability; projects are funded in order until the
// budget runs out; funded initiatives gain funds; voters whose project won feel heard. Workshop
// sentence: "When residents decide, the projects of initiatives with many members and small costs
// win, and people whose project won trust the municipality a little more."
//
// Future agenda: a deliberation round gathers a share of residents of every wijk, mixes them
// (bridging encounters), lets them be heard, and gives those with leadership potential a push to
// start something in the following year.
#include <algorithm>
#include <cmath>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

void run_wijkbudget(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  const bool residents_vote = p.wijkbudget_process == static_cast<int>(BudgetProcess::residents_vote);
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj) {
    Wijk& wk = w.wijken[wj];
    struct Project {
      Slot initiative;
      double cost;
      double votes;
    };
    std::vector<Project> projects;
    for (Slot i = 0; i < w.ini.pop.slots(); ++i) {
      if (!w.ini.pop.alive(i) || w.ini.dissolving[i] || w.buurten[w.ini.buurt[i]].wijk != wj) continue;
      Rng rng = w.rng(stream::nb_wijkbudget, c.tick, (std::uint64_t{1} << 44) + w.ini.pop.id(i));
      // Costs log-uniform over the range.
      const double lo = std::log(std::max(1.0, p.project_cost_min)), hi = std::log(std::max(p.project_cost_min, p.project_cost_max));
      projects.push_back({i, std::exp(rng.uniform(lo, hi)), 0.0});
    }
    if (projects.empty()) continue;
    std::vector<std::int32_t> vote_of;  // per wijk resident: index of project voted for, or -1
    if (residents_vote) {
      vote_of.assign(w.wijk_residents[wj].size(), -1);
      for (std::size_t k = 0; k < w.wijk_residents[wj].size(); ++k) {
        const Slot s = w.wijk_residents[wj][k];
        if (r.age[s] < 16) continue;
        Rng rng = w.rng(stream::nb_wijkbudget, c.tick, r.pop.id(s));
        const bool member = r.initiative[s] != kNoSlot;
        const double turnout = std::min(1.0, p.vote_propensity * (member ? 4.0 : 1.0) * (0.5 + r.inst[kMunicipality].level[s]));
        if (!rng.bernoulli(turnout)) continue;
        std::int32_t choice = -1;
        if (member)
          for (std::size_t j = 0; j < projects.size(); ++j)
            if (projects[j].initiative == r.initiative[s]) choice = static_cast<std::int32_t>(j);
        if (choice < 0) {
          // A project in one's own buurt if any, preferring cheap ones (weight 1/sqrt(cost)).
          double total = 0;
          for (const auto& pr : projects)
            total += (w.ini.buurt[pr.initiative] == r.buurt[s] ? 3.0 : 1.0) / std::sqrt(pr.cost);
          double u = rng.uniform() * total;
          for (std::size_t j = 0; j < projects.size() && choice < 0; ++j) {
            u -= (w.ini.buurt[projects[j].initiative] == r.buurt[s] ? 3.0 : 1.0) / std::sqrt(projects[j].cost);
            if (u <= 0) choice = static_cast<std::int32_t>(j);
          }
          if (choice < 0) choice = static_cast<std::int32_t>(projects.size() - 1);
        }
        vote_of[k] = choice;
        projects[choice].votes += 1;
      }
    } else {
      for (auto& pr : projects) pr.votes = w.ini.viability[pr.initiative];
    }
    // Fund in order of votes (ties broken by initiative slot) until the money runs out.
    std::vector<std::size_t> order(projects.size());
    for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return projects[a].votes > projects[b].votes; });
    double left = p.wijkbudget_amount;
    std::vector<std::uint8_t> funded(projects.size(), 0);
    for (std::size_t j : order) {
      if (projects[j].cost > left || (residents_vote && projects[j].votes <= 0)) continue;
      left -= projects[j].cost;
      funded[j] = 1;
      const Slot i = projects[j].initiative;
      w.ini.funds[i] += static_cast<float>(projects[j].cost);
      w.ini.viability[i] = std::min(1.0f, w.ini.viability[i] + static_cast<float>(p.funds_viability_boost * projects[j].cost / 10000.0));
    }
    wk.wijkbudget_spent_year = p.wijkbudget_amount - left;
    double voters = 0;
    for (std::size_t k = 0; k < vote_of.size(); ++k) {
      if (vote_of[k] < 0) continue;
      voters += 1;
      if (funded[vote_of[k]]) r.good_experience(w.wijk_residents[wj][k], kMunicipality);  // being heard
    }
    wk.voters_year = voters;
  }
}

void run_agenda_round(World& w, const TickContext& c) {
  auto& r = w.res;
  const Params& p = w.p;
  const auto boost_until = static_cast<std::int32_t>(c.tick + std::lround(1.0 / c.dt_years));
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj) {
    std::vector<Slot> table;
    for (Slot s : w.wijk_residents[wj]) {
      if (r.age[s] < 16) continue;
      Rng rng = w.rng(stream::nb_agenda, c.tick, r.pop.id(s));
      if (!rng.bernoulli(std::min(1.0, p.agenda_participation * (0.5 + r.inst[kMunicipality].level[s])))) continue;
      table.push_back(s);
      r.good_experience(s, kMunicipality);  // heard
      r.founder_boost_until[s] = boost_until;
    }
    // Participants talk with a few others at their table: mixed encounters that may leave ties.
    for (std::size_t k = 0; k < table.size(); ++k) {
      Rng rng = w.rng(stream::nb_agenda, c.tick, (std::uint64_t{1} << 44) + r.pop.id(table[k]));
      for (int m = 0; m < 3 && table.size() > 1; ++m) {
        const Slot o = table[rng.below(static_cast<std::uint32_t>(table.size()))];
        if (o == table[k]) continue;
        const double cross = r.group[o] != r.group[table[k]] ? p.bridging_factor : 1.0;
        if (r.ties.has_tie(table[k], o) || rng.bernoulli(p.tie_formation_prob * cross))
          r.ties.strengthen(table[k], o, static_cast<float>(p.tie_gain), kWeak);
      }
    }
  }
}

}  // namespace buurtlab::neighbourhood
