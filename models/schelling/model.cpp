// Wires the Schelling world into the engine: its parameters, one phase per tick (the serial step)
// and two indicators. The grid has no geography of the scenario's places: the city (place 0) gets
// the values and every other place NaN ("not defined here").
#include "model.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "buurtlab/diagnostics.hpp"

#include "world.hpp"

namespace buurtlab::schelling {

namespace {

const ParamTable<Params>& param_table() {
  static const ParamTable<Params> t = [] {
    constexpr const char* kSpec = "cross-framework ABM benchmark (Schelling)";
    ParamTable<Params> p;
    p.integer("grid.size", &Params::size, "cells", 40, 1, 30000,
              "X: the grid has X by X cells and does not wrap around.", kSpec)
        .integer("agents", &Params::agents, "count", 1000, 1, 100'000'000,
                 "K: agents in two groups of equal size, one per cell; must be fewer than X*X.",
                 kSpec)
        .integer("neighbourhood.radius", &Params::radius, "cells", 1, 0, 1000,
                 "r: an agent's neighbours are the agents within Chebyshev distance r.", kSpec)
        .integer("happy.threshold", &Params::threshold, "count", 3, 0, 1'000'000,
                 "Same-group neighbours an agent needs to be happy; an unhappy agent moves.",
                 kSpec);
    return p;
  }();
  return t;
}

const std::vector<IndicatorDecl>& indicator_decls() {
  static const std::vector<IndicatorDecl> d = {
      {"unhappy", "count",
       "Agents unhappy at their turn in this tick (each of them moved); at tick 0, agents unhappy "
       "in the initial placement."},
      {"happy_share", "share (0-1)", "1 - unhappy / agents."},
  };
  return d;
}

class Instance final : public ModelInstance {
 public:
  explicit Instance(const RunContext& rc) : w_(checked(rc), rc.seed) {
    unhappy_ = w_.count_unhappy(rc.exec);
    phases_.push_back({"step", [this](const TickContext& c) { unhappy_ = w_.step(c.seed, c.tick); },
                       false});
  }

  const std::vector<Phase>& phases() const override { return phases_; }

  void measure(const TickContext&, IndicatorFrame& out) override {
    out.fill(std::numeric_limits<double>::quiet_NaN());
    out.at(0, 0) = unhappy_;
    out.at(1, 0) = 1.0 - double(unhappy_) / double(w_.pop.size());
  }

  // The rule (radius, threshold) may change during a run; the grid and the agents may not.
  void set_parameters(const ParamValues& v) override {
    const Params p = param_table().bind(v);
    if (p.size != w_.params().size || p.agents != w_.params().agents)
      throw RunError("schelling: grid.size and agents cannot change during a run");
    w_.set_rule(p.radius, p.threshold);
  }
  void call_hook(std::string_view, const ParamValues&, const TickContext&) override {}

  std::vector<Population*> populations() override { return {&w_.pop}; }
  std::size_t memory_bytes() const override {
    return w_.pop.slots() * w_.pop.bytes_per_agent() +
           std::size_t{w_.cells()} * (sizeof(Slot) + 1 + 2 * sizeof(std::uint32_t));
  }

 private:
  // The one check that spans two parameters (each range is checked by the scenario loader).
  static Params checked(const RunContext& rc) {
    const Params p = param_table().bind(rc.scenario.parameters);
    const long long cells = static_cast<long long>(p.size) * p.size;
    if (p.agents >= cells) {
      Diagnostics d;
      d.add({rc.scenario.source_file, 0, 0}, "parameters.agents", std::to_string(p.agents),
            "fewer than grid.size^2 = " + std::to_string(cells) +
                " (at least one cell must stay empty)");
      throw InputError(std::move(d));
    }
    return p;
  }

  World w_;
  std::vector<Phase> phases_;
  std::uint32_t unhappy_ = 0;
};

class SchellingModel final : public Model {
 public:
  std::string_view name() const override { return "schelling"; }
  std::string_view description() const override {
    return "Schelling segregation on a grid (benchmark reference model): agents of two groups move "
           "to a random empty cell while too few neighbours share their group.";
  }
  const ParamSchema& parameters() const override { return param_table().schema(); }
  const std::vector<IndicatorDecl>& indicators() const override { return indicator_decls(); }
  std::unique_ptr<ModelInstance> instantiate(const RunContext& rc) const override {
    return std::make_unique<Instance>(rc);
  }
};

}  // namespace

std::shared_ptr<const Model> make_model() { return std::make_shared<SchellingModel>(); }

}  // namespace buurtlab::schelling
