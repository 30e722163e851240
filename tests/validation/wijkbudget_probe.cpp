// Observes the wijkbudget rounds of a neighbourhood run project by project, for stylized fact 7
// (heavy-tailed votes, cheap projects win). The output file holds only the amount spent and the
// turnout, so this program steps the model itself and, just before each yearly round, asks the
// model's own run_wijkbudget what it would do, restoring the state after every question:
//
//  - each project's cost: officials deciding with an unlimited budget fund every project, and
//    the funds each receives are its cost;
//  - each project's votes: projects are funded in order of votes until the money runs out, and
//    every voter whose project is funded counts one good institutional experience. With an
//    unlimited budget every project with a vote is funded and every voter is heard. With a
//    budget one euro short of the total cost of the projects not yet placed, exactly the last of
//    them in the vote order is left out; the voters not heard, less those of already placed
//    projects that go unfunded, are its votes. Peeling projects off from the bottom gives every
//    project's votes. The one euro works as long as every cost is well above it (the cost range
//    starts at EUR 2,500 by default; the probe stops on costs under EUR 10);
//  - which projects the actual budget funds when residents vote, and which it would fund if
//    officials decided instead (same projects, same costs, same moment).
//
// Nothing here changes the model: each question calls the model's own round function and then
// puts back every column it writes, and the run continues exactly as `buurtlab run` would (same
// replicate seeds, same phase order as models/neighbourhood/model.cpp). Timeline events are not
// applied, so the scenario must not have any.
//
// Usage: wijkbudget_probe SCENARIO --replicates N --years Y [--set KEY=VALUE ...] [--threads T]
//        -o FILE.jsonl
// Writes one JSON object per wijk and round.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "buurtlab/executor.hpp"
#include "buurtlab/rng.hpp"
#include "buurtlab/scenario_loader.hpp"
#include "neighbourhood/world.hpp"
#include "registry.hpp"

namespace bl = buurtlab;
namespace nb = buurtlab::neighbourhood;

namespace {

struct Saved {
  std::vector<float> funds, viability;
  std::vector<std::uint8_t> good_inst;
  std::vector<double> spent, voters;
  double amount;
  int process;
};

Saved save(const nb::World& w) {
  Saved s;
  s.funds = w.ini.funds.values();
  s.viability = w.ini.viability.values();
  s.good_inst = w.res.inst[nb::kMunicipality].good.values();
  for (const auto& wk : w.wijken) {
    s.spent.push_back(wk.wijkbudget_spent_year);
    s.voters.push_back(wk.voters_year);
  }
  s.amount = w.p.wijkbudget_amount;
  s.process = w.p.wijkbudget_process;
  return s;
}

void restore(nb::World& w, const Saved& s) {
  w.ini.funds.values() = s.funds;
  w.ini.viability.values() = s.viability;
  w.res.inst[nb::kMunicipality].good.values() = s.good_inst;
  for (std::size_t k = 0; k < w.wijken.size(); ++k) {
    w.wijken[k].wijkbudget_spent_year = s.spent[k];
    w.wijken[k].voters_year = s.voters[k];
  }
  w.p.wijkbudget_amount = s.amount;
  w.p.wijkbudget_process = s.process;
}

struct Outcome {
  std::vector<double> got;  // funds received, per initiative slot
  double heard = 0;         // voters of wijk wj whose project was funded
  double voters = 0;
};

// One call of the model's round from the saved state, with zeroed funds and experience counters
// so that what it hands out can be read off directly; the state is restored afterwards.
Outcome ask(nb::World& w, const Saved& s, const bl::TickContext& c, std::uint32_t wj, double amount,
            nb::BudgetProcess process) {
  restore(w, s);
  std::fill(w.ini.funds.values().begin(), w.ini.funds.values().end(), 0.0f);
  std::fill(w.res.inst[nb::kMunicipality].good.values().begin(), w.res.inst[nb::kMunicipality].good.values().end(), std::uint8_t{0});
  w.p.wijkbudget_amount = amount;
  w.p.wijkbudget_process = static_cast<int>(process);
  nb::run_wijkbudget(w, c);
  Outcome o;
  o.got.assign(w.ini.funds.values().begin(), w.ini.funds.values().end());
  for (bl::Slot r : w.wijk_residents[wj]) o.heard += w.res.inst[nb::kMunicipality].good[r] > 0;
  o.voters = w.wijken[wj].voters_year;
  restore(w, s);
  return o;
}

void probe_round(nb::World& w, const bl::TickContext& c, std::uint32_t replicate,
                 std::ostream& out) {
  const Saved s = save(w);
  constexpr double kUnlimited = 1e15;
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj) {
    std::vector<bl::Slot> proj;  // the initiatives that propose a project, in slot order
    for (bl::Slot i = 0; i < w.ini.pop.slots(); ++i)
      if (w.ini.pop.alive(i) && !w.ini.dissolving[i] && w.buurten[w.ini.buurt[i]].wijk == wj)
        proj.push_back(i);
    if (proj.empty()) continue;
    const std::size_t n = proj.size();
    // Members now (the initiative's own member count is refreshed only in its phase).
    std::vector<int> members(w.ini.pop.slots(), 0);
    for (bl::Slot r : w.wijk_residents[wj])
      if (w.res.initiative[r] != bl::kNoSlot) ++members[w.res.initiative[r]];
    std::vector<double> cost(n), votes(n, 0.0);
    std::vector<int> known(n, 0), f_vote(n, 0), f_off(n, 0);
    // Costs of every project (officials fund everything they can pay for).
    const Outcome all = ask(w, s, c, wj, kUnlimited, nb::BudgetProcess::officials_decide);
    for (std::size_t j = 0; j < n; ++j) {
      cost[j] = all.got[proj[j]];
      if (cost[j] < 10) {
        std::cerr << "wijkbudget_probe: a project costs " << cost[j]
                  << "; the vote peeling needs costs of EUR 10 or more\n";
        std::exit(2);
      }
    }
    // Votes: unlimited budget, every project with a vote is funded.
    const Outcome full = ask(w, s, c, wj, kUnlimited, nb::BudgetProcess::residents_vote);
    const double total_voters = full.voters;
    if (std::abs(full.heard - total_voters) > 0.5) {
      std::cerr << "wijkbudget_probe: with an unlimited budget " << full.heard << " of "
                << total_voters << " voters were heard; the round no longer works as this "
                << "probe assumes\n";
      std::exit(2);
    }
    std::vector<std::size_t> open;  // projects with votes, order in the vote ranking unknown
    for (std::size_t j = 0; j < n; ++j) {
      if (full.got[proj[j]] > 0) open.push_back(j);
      else known[j] = 1;  // no votes
    }
    while (!open.empty()) {
      double sum = 0;
      for (std::size_t j : open) sum += cost[j];
      const Outcome o = ask(w, s, c, wj, sum - 1.0, nb::BudgetProcess::residents_vote);
      std::vector<std::size_t> left_out;
      for (std::size_t j : open)
        if (o.got[proj[j]] <= 0) left_out.push_back(j);
      if (left_out.size() != 1) {
        std::cerr << "wijkbudget_probe: " << left_out.size()
                  << " projects left out where exactly one was expected\n";
        std::exit(2);
      }
      // Voters not heard: those of the left-out project and of identified projects not funded.
      double unheard = total_voters - o.heard;
      for (std::size_t j = 0; j < n; ++j)
        if (known[j] && o.got[proj[j]] <= 0) unheard -= votes[j];
      votes[left_out[0]] = unheard;
      known[left_out[0]] = 1;
      open.erase(std::find(open.begin(), open.end(), left_out[0]));
    }
    const Outcome actual = ask(w, s, c, wj, s.amount, nb::BudgetProcess::residents_vote);
    const Outcome officials = ask(w, s, c, wj, s.amount, nb::BudgetProcess::officials_decide);
    for (std::size_t j = 0; j < n; ++j) {
      f_vote[j] = actual.got[proj[j]] > 0;
      f_off[j] = officials.got[proj[j]] > 0;
    }
    out << "{\"replicate\": " << replicate << ", \"tick\": " << c.tick << ", \"wijk\": " << wj
        << ", \"amount\": " << s.amount << ", \"voters\": " << total_voters << ", \"projects\": [";
    for (std::size_t j = 0; j < n; ++j) {
      out << (j ? ", " : "") << "{\"cost\": " << cost[j] << ", \"votes\": " << votes[j]
          << ", \"members\": " << members[proj[j]] << ", \"buurt\": " << w.ini.buurt[proj[j]]
          << ", \"viability\": " << w.ini.viability[proj[j]] << ", \"funded_vote\": " << f_vote[j]
          << ", \"funded_officials\": " << f_off[j] << "}";
    }
    out << "]}\n";
  }
}

int usage() {
  std::cerr << "usage: wijkbudget_probe SCENARIO --replicates N --years Y [--set KEY=VALUE ...] "
               "[--threads T] -o FILE\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string file, out_path;
  std::vector<bl::Override> overrides;
  int replicates = 1, threads = 0;
  double years = 5;
  for (int k = 1; k < argc; ++k) {
    const std::string a = argv[k];
    auto next = [&]() -> std::string {
      if (k + 1 >= argc) std::exit(usage());
      return argv[++k];
    };
    if (a == "--replicates") replicates = std::atoi(next().c_str());
    else if (a == "--years") years = std::atof(next().c_str());
    else if (a == "--threads") threads = std::atoi(next().c_str());
    else if (a == "-o") out_path = next();
    else if (a == "--set") {
      const std::string kv = next();
      const auto eq = kv.find('=');
      if (eq == std::string::npos) return usage();
      overrides.push_back({kv.substr(0, eq), kv.substr(eq + 1)});
    } else if (!a.empty() && a[0] == '-') return usage();
    else file = a;
  }
  if (file.empty() || out_path.empty() || replicates < 1 || years <= 0) return usage();
  try {
    const bl::ModelRegistry models = bl::builtin_models();
    const bl::Scenario sc = bl::load_scenario(file, models, overrides);
    if (sc.model != "neighbourhood" || !sc.timeline.empty()) {
      std::cerr << "wijkbudget_probe: needs a neighbourhood scenario without timeline events\n";
      return 2;
    }
    const double dt = sc.tick.years();
    const auto ticks = static_cast<bl::Tick>(std::lround(years / dt));
    const bl::Executor exec(threads);
    std::ofstream out(out_path);
    out.precision(12);  // costs to the cent, so that the funding order can be checked from them
    if (!out) {
      std::cerr << "wijkbudget_probe: cannot write " << out_path << "\n";
      return 2;
    }
    using Phase = void (*)(nb::World&, const bl::TickContext&);
    // The phase order of models/neighbourhood/model.cpp.
    const Phase phases[] = {nb::institutions, nb::professional_work, nb::meeting,    nb::care,
                            nb::casework,     nb::initiatives,       nb::engagement, nb::energy,
                            nb::trust,        nb::demography};
    for (int r = 0; r < replicates; ++r) {
      const std::uint64_t seed = bl::replicate_seed(sc.seed, static_cast<std::uint32_t>(r));
      nb::World w(sc, seed);
      nb::initialise(w, exec);
      const bl::Clock clock = sc.clock();
      for (bl::Tick t = 1; t <= ticks; ++t) {
        const bl::TickContext c{t, clock.date_of(t - 1), dt, seed, &exec};
        // The institutions phase holds this tick's round (after turnover, which does not touch
        // what the round reads: memberships, trust, ages and initiatives).
        if (t >= w.city.next_wijkbudget && w.p.wijkbudget_amount > 0 &&
            w.p.wijkbudget_process == static_cast<int>(nb::BudgetProcess::residents_vote))
          probe_round(w, c, static_cast<std::uint32_t>(r), out);
        for (Phase ph : phases) ph(w, c);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "wijkbudget_probe: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
