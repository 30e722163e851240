#include "test_model.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "buurtlab/network.hpp"
#include "buurtlab/proposals.hpp"
#include "buurtlab/rng.hpp"

namespace buurtlab::testing {

namespace {

struct Params {
  double meet_rate = 26;      // per year
  double tie_gain = 0.2;      // weight added per meeting
  double tie_decay = 1.0;     // per year
  double influence = 0.5;     // per year
  double noise = 0.02;        // sd per tick
  double leave_rate = 0.1;    // per year
};

const ParamTable<Params>& table() {
  static const ParamTable<Params> t = [] {
    ParamTable<Params> p;
    p.real("meet_rate", &Params::meet_rate, "per year", 26, 0, 365, "meetings", "assumption")
        .real("tie_gain", &Params::tie_gain, "1", 0.2, 0, 1, "tie weight per meeting", "assumption")
        .real("tie_decay", &Params::tie_decay, "per year", 1.0, 0, 52, "tie decay", "assumption")
        .real("influence", &Params::influence, "per year", 0.5, 0, 52, "pull to ties", "assumption")
        .real("noise", &Params::noise, "1", 0.02, 0, 1, "noise sd per tick", "assumption")
        .real("leave_rate", &Params::leave_rate, "per year", 0.1, 0, 10, "moving out",
              "assumption");
    return p;
  }();
  return t;
}

struct PlaceAttr {
  double initial_value = 0.5;
};
const ParamTable<PlaceAttr>& place_table() {
  static const ParamTable<PlaceAttr> t = [] {
    ParamTable<PlaceAttr> p;
    p.real("initial_value", &PlaceAttr::initial_value, "1", 0.5, 0, 1, "mean initial value",
           "assumption");
    return p;
  }();
  return t;
}

enum Ind : std::size_t { kPopulation, kMeanValue, kTies, kLeavers, kIndicators };

class TestInstance final : public ModelInstance {
 public:
  TestInstance(const RunContext& rc)
      : sc_(rc.scenario), seed_(rc.seed), pop_("agents"),
        value_(pop_.add_column<double>("value", 0.0)),
        next_(pop_.add_column<double>("next_value", 0.0)),
        place_(pop_.add_column<PlaceIndex>("buurt", 0)), net_(16) {
    params_ = table().bind(sc_.parameters);
    for (PlaceIndex b : sc_.places_at(PlaceLevel::buurt)) {
      const PlaceAttr a = place_table().bind(sc_.places[b].attributes);
      for (std::int64_t i = 0; i < sc_.places[b].population; ++i) {
        const Slot s = pop_.add();
        Rng rng(seed_, stream::test_model, 0, pop_.id(s));
        value_[s] = std::clamp(a.initial_value + rng.normal(0, 0.1), 0.0, 1.0);
        place_[s] = b;
      }
    }
    net_.resize(pop_.slots());
    rebuild_members();
    phases_ = {
        {"meet", [this](const TickContext& c) { meet(c); }},
        {"apply_ties", [this](const TickContext&) { apply_ties(); }},
        {"decay", [this](const TickContext& c) { decay(c); }},
        {"influence", [this](const TickContext& c) { influence(c); }},
        {"demography", [this](const TickContext& c) { demography(c); }, true},
    };
  }

  const std::vector<Phase>& phases() const override { return phases_; }

  void set_parameters(const ParamValues& v) override { params_ = table().bind(v); }

  void call_hook(std::string_view hook, const ParamValues& args, const TickContext&) override {
    if (hook == "shock") {
      const double size = args.get("size");
      for (Slot s = 0; s < pop_.slots(); ++s)
        if (pop_.alive(s)) value_[s] = std::clamp(value_[s] + size, 0.0, 1.0);
    }
  }

  std::vector<Population*> populations() override { return {&pop_}; }
  std::size_t memory_bytes() const override {
    return pop_.slots() * pop_.bytes_per_agent() + net_.bytes();
  }

  void measure(const TickContext& ctx, IndicatorFrame& out) override {
    struct Acc {
      std::vector<double> n, sum, ties;
    };
    const std::size_t np = sc_.places.size();
    BlockPartials<Acc> parts;
    parts.reset(pop_.slots(), Acc{std::vector<double>(np), std::vector<double>(np),
                                  std::vector<double>(np)});
    ctx.exec->for_blocks(pop_.slots(), [&](const Block& b) {
      Acc& a = parts.of(b);
      for (Slot s = Slot(b.begin); s < b.end; ++s) {
        if (!pop_.alive(s)) continue;
        a.n[place_[s]] += 1;
        a.sum[place_[s]] += value_[s];
        a.ties[place_[s]] += net_.degree(s) * 0.5;
      }
    });
    Acc tot = parts.combine([&](Acc& acc, const Acc& p) {
      for (std::size_t i = 0; i < np; ++i) {
        acc.n[i] += p.n[i];
        acc.sum[i] += p.sum[i];
        acc.ties[i] += p.ties[i];
      }
    });
    // Roll buurt sums up to wijk and city (places are listed parents first).
    for (std::size_t i = np; i-- > 0;) {
      if (auto parent = sc_.places[i].parent) {
        tot.n[*parent] += tot.n[i];
        tot.sum[*parent] += tot.sum[i];
        tot.ties[*parent] += tot.ties[i];
      }
    }
    for (std::size_t i = 0; i < np; ++i) {
      out.at(kPopulation, i) = tot.n[i];
      out.at(kMeanValue, i) = tot.n[i] > 0 ? tot.sum[i] / tot.n[i] : std::nan("");
      out.at(kTies, i) = tot.ties[i];
      out.at(kLeavers, i) = i == 0 ? leavers_ : std::nan("");
    }
  }

 private:
  struct TieProposal {
    Slot a, b;
  };

  void rebuild_members() {
    members_.assign(sc_.places.size(), {});
    for (Slot s = 0; s < pop_.slots(); ++s)
      if (pop_.alive(s)) members_[place_[s]].push_back(s);
  }

  void meet(const TickContext& c) {
    const double p = rate_to_probability(params_.meet_rate, c.dt_years);
    proposals_.reset(pop_.slots());
    c.exec->for_blocks(pop_.slots(), [&](const Block& b) {
      auto& out = proposals_.of(b);
      for (Slot s = Slot(b.begin); s < b.end; ++s) {
        if (!pop_.alive(s)) continue;
        Rng rng(c.seed, stream::test_model, c.tick, pop_.id(s));
        if (!rng.bernoulli(p)) continue;
        const auto& m = members_[place_[s]];
        const Slot other = m[rng.below(static_cast<std::uint32_t>(m.size()))];
        if (other != s) out.push_back({s, other});
      }
    });
  }

  void apply_ties() {
    proposals_.for_each([&](const TieProposal& t) {
      net_.strengthen(t.a, t.b, static_cast<float>(params_.tie_gain), 0);
    });
  }

  void decay(const TickContext& c) {
    const float f[] = {static_cast<float>(std::exp(-params_.tie_decay * c.dt_years))};
    c.exec->for_each(pop_.slots(), [&](std::size_t s) {
      if (pop_.alive(Slot(s))) net_.decay_row(Slot(s), f, 0.01f);
    });
  }

  void influence(const TickContext& c) {
    const double k = rate_to_probability(params_.influence, c.dt_years);
    c.exec->for_each(pop_.slots(), [&](std::size_t i) {
      const Slot s = Slot(i);
      if (!pop_.alive(s)) return;
      double wsum = 0, vsum = 0;
      const auto nb = net_.neighbours(s);
      const auto w = net_.weights(s);
      for (std::size_t j = 0; j < nb.size(); ++j) {
        wsum += w[j];
        vsum += w[j] * value_[nb[j]];
      }
      Rng rng(c.seed, stream::test_model, c.tick, pop_.id(s));
      rng.uniform();  // the first draws belong to `meet`; skip to keep the streams apart
      rng.uniform();
      double v = value_[s];
      if (wsum > 0) v += k * (vsum / wsum - v);
      next_[s] = std::clamp(v + rng.normal(0, params_.noise), 0.0, 1.0);
    });
    std::swap(value_.values(), next_.values());
  }

  void demography(const TickContext& c) {
    const double p = rate_to_probability(params_.leave_rate, c.dt_years);
    std::vector<Slot> leaving;
    for (Slot s = 0; s < pop_.slots(); ++s) {
      if (!pop_.alive(s)) continue;
      Rng rng(c.seed, stream::test_model, c.tick, pop_.id(s) ^ (AgentId{1} << 47));
      if (rng.bernoulli(p)) leaving.push_back(s);
    }
    for (Slot s : leaving) {
      const PlaceIndex b = place_[s];
      net_.clear(s);
      pop_.remove(s);
      const Slot n = pop_.add();  // a newcomer moves into the same buurt
      Rng rng(c.seed, stream::test_model, c.tick, pop_.id(n));
      value_[n] = rng.uniform();
      place_[n] = b;
    }
    net_.resize(pop_.slots());
    leavers_ = static_cast<double>(leaving.size());
    if (!leaving.empty()) rebuild_members();
  }

  const Scenario& sc_;
  std::uint64_t seed_;
  Params params_;
  Population pop_;
  Column<double>& value_;
  Column<double>& next_;
  Column<PlaceIndex>& place_;
  TieNetwork net_;
  Proposals<TieProposal> proposals_;
  std::vector<std::vector<Slot>> members_;
  std::vector<Phase> phases_;
  double leavers_ = 0;
};

class TestModel final : public Model {
 public:
  TestModel() {
    HookDecl shock{"shock", "adds `size` to every agent's value", {}};
    shock.args.add({"size", ParamType::real, "1", 0.1, -1, 1, {}, "shift", "assumption"});
    hooks_.push_back(std::move(shock));
    indicators_ = {{"population", "count", "agents present"},
                   {"mean_value", "1", "mean value"},
                   {"ties", "count", "ties with at least one end here"},
                   {"leavers", "count per tick", "agents who left this tick (city only)"}};
  }
  std::string_view name() const override { return "testmodel"; }
  std::string_view description() const override { return "engine test model"; }
  const ParamSchema& parameters() const override { return table().schema(); }
  const ParamSchema& place_attributes() const override { return place_table().schema(); }
  const std::vector<HookDecl>& hooks() const override { return hooks_; }
  const std::vector<IndicatorDecl>& indicators() const override { return indicators_; }
  std::unique_ptr<ModelInstance> instantiate(const RunContext& rc) const override {
    return std::make_unique<TestInstance>(rc);
  }

 private:
  std::vector<HookDecl> hooks_;
  std::vector<IndicatorDecl> indicators_;
};

}  // namespace

std::shared_ptr<const Model> make_test_model() { return std::make_shared<TestModel>(); }

std::string test_scenario_yaml(int wijken, int buurten, int residents, int years,
                               std::uint64_t seed) {
  std::ostringstream y;
  y << "name: test\nmodel: testmodel\nstart: 2026-01-01\nduration: " << years
    << " years\ntick: 1 week\nseed: " << seed << "\nplaces:\n  city: Teststad\n  wijken:\n";
  for (int w = 0; w < wijken; ++w) {
    y << "    - code: W" << w << "\n      buurten:\n";
    for (int b = 0; b < buurten; ++b)
      y << "        - {code: W" << w << "B" << b << ", population: " << residents
        << ", attributes: {initial_value: " << (0.3 + 0.1 * b) << "}}\n";
  }
  y << "parameters:\n  meet_rate: 26\ntimeline:\n  - {at: 2027-01-01, call: shock, args: {size: "
       "0.05}}\n  - {at: 2026-07-01, every: 6 months, set: {noise: 0.03}}\n";
  return y.str();
}

}  // namespace buurtlab::testing
