// Wires the rumour world into the engine: its parameters, one phase per tick (the spread) and the
// informed count. The network has no geography of the scenario's places: the city (place 0) gets
// the values and every other place NaN ("not defined here").
#include "model.hpp"

#include <limits>
#include <string>

#include "buurtlab/diagnostics.hpp"
#include "world.hpp"

namespace buurtlab::rumour {

namespace {

const ParamTable<Params>& param_table() {
  static const ParamTable<Params> t = [] {
    constexpr const char* kSpec = "Repast HPC rumour model benchmark";
    ParamTable<Params> p;
    // Caps keep the edge count (about nodes * m) within 32-bit offsets.
    p.integer("network.nodes", &Params::nodes, "count", 200'000, 2, 20'000'000,
              "N: nodes of the network.", kSpec)
        .integer("network.m", &Params::m, "count", 10, 1, 100,
                 "Active nodes of the Klemm-Eguiluz growth: every node links to m nodes; must be "
                 "below network.nodes.",
                 "Klemm & Eguiluz 2002; benchmark value 10")
        .integer("rumour.initially_informed", &Params::initially_informed, "count", 10, 0,
                 20'000'000, "Distinct random nodes that know the rumour at the start.", kSpec)
        .real("rumour.spread_probability", &Params::spread_probability, "probability per tick",
              0.01, 0, 1,
              "Chance per tick that an informed node passes the rumour to an uninformed successor.",
              kSpec);
    return p;
  }();
  return t;
}

const std::vector<IndicatorDecl>& indicator_decls() {
  static const std::vector<IndicatorDecl> d = {
      {"informed", "count", "Nodes that know the rumour."},
      {"newly_informed", "count", "Nodes that learnt the rumour in this tick."},
      {"informed_share", "share (0-1)", "informed / network.nodes."},
  };
  return d;
}

class Instance final : public ModelInstance {
 public:
  explicit Instance(const RunContext& rc) : w_(checked(rc), rc.seed) {
    phases_.push_back({"spread",
                       [this](const TickContext& c) { newly_ = w_.step(c.seed, c.tick, *c.exec); },
                       false});
  }

  const std::vector<Phase>& phases() const override { return phases_; }

  void measure(const TickContext&, IndicatorFrame& out) override {
    out.fill(std::numeric_limits<double>::quiet_NaN());
    out.at(0, 0) = double(w_.informed_count());
    out.at(1, 0) = newly_;
    out.at(2, 0) = double(w_.informed_count()) / double(w_.params().nodes);
  }

  // The spread probability may change during a run; the network and the seeds may not.
  void set_parameters(const ParamValues& v) override {
    const Params p = param_table().bind(v);
    if (p.nodes != w_.params().nodes || p.m != w_.params().m ||
        p.initially_informed != w_.params().initially_informed)
      throw RunError("rumour: only rumour.spread_probability can change during a run");
    w_.set_spread_probability(p.spread_probability);
  }
  void call_hook(std::string_view, const ParamValues&, const TickContext&) override {}

  std::vector<Population*> populations() override { return {&w_.pop}; }
  std::size_t memory_bytes() const override { return w_.memory_bytes(); }

 private:
  // The checks that span two parameters (each range is checked by the scenario loader).
  static Params checked(const RunContext& rc) {
    const Params p = param_table().bind(rc.scenario.parameters);
    Diagnostics d;
    const SourceLocation where{rc.scenario.source_file, 0, 0};
    if (p.m >= p.nodes)
      d.add(where, "parameters.network.m", std::to_string(p.m),
            "fewer than network.nodes = " + std::to_string(p.nodes));
    if (p.initially_informed > p.nodes)
      d.add(where, "parameters.rumour.initially_informed", std::to_string(p.initially_informed),
            "at most network.nodes = " + std::to_string(p.nodes));
    if (!d.empty()) throw InputError(std::move(d));
    return p;
  }

  World w_;
  std::vector<Phase> phases_;
  std::uint32_t newly_ = 0;
};

class RumourModel final : public Model {
 public:
  std::string_view name() const override { return "rumour"; }
  std::string_view description() const override {
    return "Rumour spreading on a directed Klemm-Eguiluz scale-free network (benchmark reference "
           "model): informed nodes tell each uninformed successor with a fixed chance per tick.";
  }
  const ParamSchema& parameters() const override { return param_table().schema(); }
  const std::vector<IndicatorDecl>& indicators() const override { return indicator_decls(); }
  std::unique_ptr<ModelInstance> instantiate(const RunContext& rc) const override {
    return std::make_unique<Instance>(rc);
  }
};

}  // namespace

std::shared_ptr<const Model> make_model() { return std::make_shared<RumourModel>(); }

}  // namespace buurtlab::rumour
