// The contract between the engine and a model: describe, then run.
//
// A Model is a description: its parameters, place attributes, policy hooks and indicators, all
// declared in code. For each replicate the engine asks it for a ModelInstance holding the run
// state, steps it through the scenario's spin-up if there is one (phases only), then through the
// scenario's ticks: before each tick it fires the timeline events that fall due, then runs the
// instance's phases in order, then asks it to measure its indicators. Model code never includes
// yaml-cpp or HDF5.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "buurtlab/calendar.hpp"
#include "buurtlab/executor.hpp"
#include "buurtlab/params.hpp"
#include "buurtlab/state_archive.hpp"
#include "buurtlab/population.hpp"
#include "buurtlab/scenario.hpp"

namespace buurtlab {

struct IndicatorDecl {
  std::string name;  // dataset name, e.g. "community_strength"
  std::string unit;  // "share (0-1)", "hours per week", "count", ...
  std::string description;
};

// One tick's indicator values: indicator x place, row-major. NaN means "not defined here".
class IndicatorFrame {
 public:
  IndicatorFrame() = default;
  IndicatorFrame(std::size_t indicators, std::size_t places)
      : n_ind_(indicators), n_places_(places), v_(indicators * places, 0.0) {}
  double& at(std::size_t indicator, std::size_t place) { return v_[indicator * n_places_ + place]; }
  double at(std::size_t indicator, std::size_t place) const {
    return v_[indicator * n_places_ + place];
  }
  std::size_t indicators() const { return n_ind_; }
  std::size_t places() const { return n_places_; }
  const std::vector<double>& values() const { return v_; }
  void fill(double x) { std::fill(v_.begin(), v_.end(), x); }

 private:
  std::size_t n_ind_ = 0, n_places_ = 0;
  std::vector<double> v_;
};

// A policy lever the scenario timeline can pull, with its own declared arguments.
struct HookDecl {
  std::string name;
  std::string doc;
  ParamSchema args;
};

// What every phase and hook gets to know about the current tick.
struct TickContext {
  // The tick being computed, counted from the model's initialisation (0): the spin-up's ticks are
  // 1..S and the scenario's tick t is S + t (S = Scenario::spin_up_ticks(), often 0). Schedules a
  // model keeps in ticks therefore count from the start of the spin-up.
  Tick tick = 0;
  // Calendar date at the start of the tick (before the scenario's start date during the spin-up).
  Date date;
  double dt_years = 0;   // tick length in years
  std::uint64_t seed = 0;  // this replicate's seed
  const Executor* exec = nullptr;
};

// One step of a tick. A structural phase runs serially at a tick boundary and may add and remove
// agents; every other phase runs with the populations locked against structural change.
struct Phase {
  std::string name;
  std::function<void(const TickContext&)> run;
  bool structural = false;
};

struct RunContext {
  const Scenario& scenario;
  std::uint64_t seed;         // this replicate's seed
  std::uint32_t replicate;
  const Executor& exec;
};

class ModelInstance {
 public:
  virtual ~ModelInstance() = default;
  // The phases of one tick, in order. Phases may use ctx.exec for parallel loops.
  virtual const std::vector<Phase>& phases() const = 0;
  // Writes every declared indicator for every place.
  virtual void measure(const TickContext& ctx, IndicatorFrame& out) = 0;
  // Called after a timeline event changed parameter values.
  virtual void set_parameters(const ParamValues& values) = 0;
  // Calls a declared policy hook.
  virtual void call_hook(std::string_view hook, const ParamValues& args,
                         const TickContext& ctx) = 0;
  // Checkpoints (docs/reliability.md): the complete state between two ticks, written so that
  // load_state() on a fresh instance of the same scenario and replicate continues exactly as this
  // instance would have, bit for bit. Scratch buffers rebuilt every tick may be left out. A model
  // without checkpoints keeps the defaults, and a run that asks for them is refused.
  virtual bool can_checkpoint() const { return false; }
  virtual void save_state(StateWriter& /*w*/) const {
    throw std::logic_error("this model does not support checkpoints");
  }
  virtual void load_state(StateReader& /*r*/) {
    throw std::logic_error("this model does not support checkpoints");
  }
  // Populations, so the engine can lock them during phases and report memory use.
  virtual std::vector<Population*> populations() { return {}; }
  virtual std::size_t memory_bytes() const { return 0; }
};

class Model {
 public:
  virtual ~Model() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;
  virtual const ParamSchema& parameters() const = 0;
  // Models without place attributes or policy hooks keep these defaults (none).
  virtual const ParamSchema& place_attributes() const;
  virtual const std::vector<HookDecl>& hooks() const;
  virtual const std::vector<IndicatorDecl>& indicators() const = 0;
  // Indicators shown in the end-of-run summary table (default: the first eight).
  virtual std::vector<std::string> summary_indicators() const;
  virtual std::unique_ptr<ModelInstance> instantiate(const RunContext& ctx) const = 0;
  // Whether its instances save and load their state (ModelInstance::can_checkpoint), so that a
  // run with checkpoints is refused before it starts rather than at its first instance.
  virtual bool supports_checkpoints() const { return false; }
  // Bytes one instance will hold at its largest for `scenario`, estimated before it is built, so
  // that a run that cannot fit in memory is refused up front (memory.hpp). The default is
  // kDefaultBytesPerResident per resident of the city; a model that knows its state overrides it.
  virtual std::uint64_t estimate_bytes(const Scenario& scenario) const;

  const HookDecl* find_hook(std::string_view name) const;
  std::optional<std::size_t> indicator_index(std::string_view name) const;
};

class ModelRegistry {
 public:
  void add(std::shared_ptr<const Model> m);
  const Model* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::shared_ptr<const Model>> models_;
};

}  // namespace buurtlab
