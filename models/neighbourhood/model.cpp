// Wires the neighbourhood model into the engine: its declarations (parameters, place
// attributes, policy hooks, indicators), the order of its processes in a tick, and the policy
// hooks the scenario timeline can call.
#include "model.hpp"

#include <algorithm>
#include <cmath>

#include "indicators.hpp"
#include "world.hpp"

namespace buurtlab::neighbourhood {

namespace {

std::vector<HookDecl> make_hooks() {
  std::vector<HookDecl> hooks;
  {
    HookDecl h{"budget_change",
               "Changes the welfare budget by a share: funded posts follow (last in, first out) and "
               "welfare-funded public places close or reopen in proportion (places.closure_elasticity).",
               {}};
    h.args.add({"change", ParamType::real, "share", -0.1, -0.95, 2.0, {},
                "Relative change, e.g. -0.2 for a 20% cut.", "scenario input"});
    hooks.push_back(std::move(h));
  }
  {
    HookDecl h{"tender_now", "Re-tenders the welfare contract of every wijk now (outside the regular interval).", {}};
    h.args.add({"change_prob", ParamType::real, "probability", 0.5, 0, 1, {},
                "Chance the contract moves to another provider.", "scenario input"});
    hooks.push_back(std::move(h));
  }
  {
    HookDecl h{"energy_project", "Starts an energy-transition project (e.g. off natural gas).", {}};
    h.args.add({"mode", ParamType::choice, "choice", 0, 0, 1, {"top_down", "community_led"},
                "Top-down plan with a consent check, or led by residents' energy initiatives.",
                "MODEL_BRIEF section 3.8"});
    h.args.add({"consent_threshold", ParamType::real, "share (0-1)", 0.7, 0, 1, {},
                "Top-down: share of adults in favour needed to proceed.",
                "Nava Guerrero et al. 2019 (a willing share is needed)"});
    h.args.add({"target_share", ParamType::real, "share (0-1)", 0.5, 0, 1, {},
                "Top-down: share of homes the plan targets.", "scenario input"});
    h.args.add({"wijk", ParamType::integer, "index", 0, 0, 1000, {},
                "Wijk number in the scenario's order (1 = first); 0 = every wijk.", "scenario input"});
    hooks.push_back(std::move(h));
  }
  {
    HookDecl h{"places",
               "Closes or reopens public places (community centres, libraries, other places): a share "
               "of the places that match the wijk, buurt and kind, in a fixed (keyed) order. Their "
               "hosted initiatives lose their host; their members experience it as a decision of "
               "the place's funder.",
               {}};
    h.args.add({"change", ParamType::real, "share", -0.5, -1, 1, {},
                "Share of the matching places to close (negative) or of the closed ones to reopen "
                "(positive), rounded to whole places.",
                "scenario input"});
    h.args.add({"wijk", ParamType::integer, "index", 0, 0, 1000, {},
                "Wijk number (1 = first); 0 = every wijk.", "scenario input"});
    h.args.add({"buurt", ParamType::integer, "index", 0, 0, 100000, {},
                "Buurt number in the scenario's order over all wijken (1 = first); 0 = every buurt.",
                "scenario input"});
    h.args.add({"kind", ParamType::choice, "choice", 0, 0, 3, {"any", "community_centre", "library", "other"},
                "Kind of place.", "scenario input"});
    hooks.push_back(std::move(h));
  }
  return hooks;
}

class Instance final : public ModelInstance {
 public:
  explicit Instance(const RunContext& rc) : w_(rc.scenario, rc.seed) {
    initialise(w_, rc.exec);
    auto add = [this](const char* name, void (*fn)(World&, const TickContext&), bool structural) {
      phases_.push_back({name, [this, fn](const TickContext& c) {
                           now_years_ = c.tick * c.dt_years;
                           fn(w_, c);
                         },
                         structural});
    };
    add("institutions", institutions, true);
    add("professional_work", professional_work, false);
    add("meeting", meeting, false);
    add("care", care, false);
    add("casework", casework, false);
    add("initiatives", initiatives, true);
    add("engagement", engagement, false);
    add("energy", energy, false);
    add("nuisance", nuisance, false);
    add("trust", trust, false);
    add("demography", demography, true);
  }

  const std::vector<Phase>& phases() const override { return phases_; }
  void measure(const TickContext& c, IndicatorFrame& out) override { neighbourhood::measure(w_, c, out); }

  void set_parameters(const ParamValues& v) override {
    const Params old = w_.p;
    w_.p = param_table().bind(v);
    if (w_.p.tender_interval != old.tender_interval)
      for (auto& wk : w_.wijken) wk.next_tender_years = w_.p.tender_interval > 0 ? now_years_ + w_.p.tender_interval : 0;
    if (w_.p.ha_welfare_role != old.ha_welfare_role) w_.city.ha_welfare_role = w_.p.ha_welfare_role;
    // Posts follow the new parameters at once (the vacancies fill at the fill rate), and so do
    // the places their funders keep open.
    TickContext c;
    c.tick = static_cast<Tick>(std::lround(now_years_ / w_.sc.tick.years()));
    c.dt_years = w_.sc.tick.years();
    resize_staff(w_, c);
    refresh_places(w_, c.tick);
  }

  void call_hook(std::string_view hook, const ParamValues& args, const TickContext& c) override {
    if (hook == "budget_change") {
      const double change = args.get("change");
      w_.city.budget_factor = std::max(0.0, w_.city.budget_factor * (1.0 + change));
      resize_staff(w_, c);
      refresh_places(w_, c.tick);
    } else if (hook == "tender_now") {
      for (std::uint32_t wj = 0; wj < w_.wijken.size(); ++wj) tender(w_, wj, c, args.get("change_prob"));
    } else if (hook == "energy_project") {
      const int wijk = static_cast<int>(args.get("wijk"));
      for (std::uint32_t wj = 0; wj < w_.wijken.size(); ++wj) {
        if (wijk > 0 && wj + 1 != static_cast<std::uint32_t>(wijk)) continue;
        EnergyProject& e = w_.wijken[wj].energy;
        e = EnergyProject{};
        e.active = true;
        e.mode = static_cast<int>(args.get("mode"));
        e.consent_threshold = args.get("consent_threshold");
        e.target_share = args.get("target_share");
        e.started = c.tick;
        e.consent_check = c.tick + static_cast<Tick>(std::lround(w_.p.energy_consultation_weeks * 7.0 / 365.25 / c.dt_years));
      }
    } else if (hook == "places") {
      change_places(w_, args.get("change"), static_cast<int>(args.get("wijk")), static_cast<int>(args.get("buurt")),
                    static_cast<int>(args.get("kind")) - 1, c.tick);
    }
  }

  bool can_checkpoint() const override { return true; }
  void save_state(StateWriter& out) const override {
    save_world(w_, out);
    out.put(now_years_);
  }
  void load_state(StateReader& in) override {
    load_world(w_, in);
    in.get(now_years_);
  }

  std::vector<Population*> populations() override { return {&w_.res.pop, &w_.pro.pop, &w_.ini.pop}; }

  std::size_t memory_bytes() const override {
    return w_.res.pop.slots() * w_.res.pop.bytes_per_agent() + w_.res.ties.bytes() +
           w_.pro.pop.slots() * w_.pro.pop.bytes_per_agent() +
           w_.ini.pop.slots() * w_.ini.pop.bytes_per_agent();
  }

  const World& world() const { return w_; }

 private:
  World w_;
  std::vector<Phase> phases_;
  double now_years_ = 0;
};

class NeighbourhoodModel final : public Model {
 public:
  NeighbourhoodModel() : hooks_(make_hooks()) {}
  std::string_view name() const override { return "neighbourhood"; }
  std::string_view description() const override {
    return "Neighbourhood social ecosystem: residents, professionals and initiatives; community "
           "strength, trust, care and participation under welfare policy.";
  }
  const ParamSchema& parameters() const override { return param_table().schema(); }
  const ParamSchema& place_attributes() const override { return place_table().schema(); }
  const std::vector<HookDecl>& hooks() const override { return hooks_; }
  const std::vector<IndicatorDecl>& indicators() const override { return indicator_decls(); }
  std::vector<std::string> summary_indicators() const override { return summary_indicator_names(); }
  std::unique_ptr<ModelInstance> instantiate(const RunContext& rc) const override {
    return std::make_unique<Instance>(rc);
  }
  bool supports_checkpoints() const override { return true; }
  // Measured (docs/performance.md, "Memory"): over ten simulated years the peak resident set
  // grows by 650 bytes per resident between 20,000 and 200,000 residents, of which 436 are the
  // model's own count (memory_bytes: agents' columns and ties, which grow as ties form); the rest
  // is per-tick buffers and place lists. Rounded up: an estimate that refuses runs must not be low.
  std::uint64_t estimate_bytes(const Scenario& sc) const override {
    constexpr std::uint64_t kBytesPerResident = 700;
    const std::int64_t residents = sc.places.empty() ? 0 : sc.places[0].population;
    return static_cast<std::uint64_t>(std::max<std::int64_t>(residents, 0)) * kBytesPerResident;
  }

 private:
  std::vector<HookDecl> hooks_;
};

}  // namespace

std::shared_ptr<const Model> make_model() { return std::make_shared<NeighbourhoodModel>(); }

}  // namespace buurtlab::neighbourhood
