// A small neighbourhood World built in code, for tests that call one process at a time.
//
// The World is initialised from a built scenario (default parameters and place attributes unless
// the test changes them first), then the test sets parameters in w().p and state columns by hand
// and calls single processes with tick(t). Helpers pick residents and give them controlled ties.
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

#include "buurtlab/executor.hpp"
#include "neighbourhood/model.hpp"
#include "neighbourhood/world.hpp"
#include "scenario_builder.hpp"

namespace buurtlab::neighbourhood::testing {

inline constexpr double kWeek = 7.0 / 365.25;

class WorldFixture {
 public:
  // `setup` may change scenario parameters or place attributes before the World is built;
  // `before_init` may change w.p before initialise (e.g. staffing ratios).
  WorldFixture(int wijken, int buurten, int residents, std::uint64_t seed = 1,
               const std::function<void(Scenario&)>& setup = {},
               const std::function<void(World&)>& before_init = {}, int threads = 0)
      : model_(make_model()),
        sc_(buurtlab::testing::build_scenario(*model_, wijken, buurten, residents,
                                              Period{1, TimeUnit::year})),
        exec_(threads),
        seed_(seed) {
    if (setup) setup(sc_);
    w_ = std::make_unique<World>(sc_, seed);
    if (before_init) before_init(*w_);
    initialise(*w_, exec_);
  }

  WorldFixture(const WorldFixture&) = delete;  // the World refers to sc_
  WorldFixture& operator=(const WorldFixture&) = delete;

  World& w() { return *w_; }
  const Executor& exec() const { return exec_; }
  Scenario& scenario() { return sc_; }

  TickContext tick(Tick t, double dt_years = kWeek) const {
    return TickContext{t, sc_.start, dt_years, seed_, &exec_};
  }

  // Alive residents matching a predicate, in slot order.
  std::vector<Slot> residents(const std::function<bool(Slot)>& pred = {}) const {
    std::vector<Slot> out;
    for (Slot s = 0; s < w_->res.pop.slots(); ++s)
      if (w_->res.pop.alive(s) && (!pred || pred(s))) out.push_back(s);
    return out;
  }

  std::vector<Slot> adults() const {
    return residents([&](Slot s) { return w_->res.age[s] >= 25 && w_->res.age[s] < 60; });
  }

  // Removes every tie of the given residents (and so the other ends too).
  void isolate(std::initializer_list<Slot> slots) {
    for (Slot s : slots) w_->res.ties.clear(s);
  }
  void clear_all_ties() {
    for (Slot s = 0; s < w_->res.pop.slots(); ++s) w_->res.ties.clear(s);
  }
  // Takes every resident out of every initiative (so nobody meets in one).
  void clear_memberships() {
    for (Slot s = 0; s < w_->res.pop.slots(); ++s) {
      w_->res.initiative[s] = kNoSlot;
      w_->res.role[s] = kNoRole;
    }
    for (Slot i = 0; i < w_->ini.pop.slots(); ++i)
      if (w_->ini.pop.alive(i)) w_->ini.pop.remove(i);
  }

  // A living resident of wijk `wj` whose household has another member aged 16+, with that member.
  std::pair<Slot, Slot> resident_with_household_member(std::uint32_t wj = 0) const {
    const auto& r = w_->res;
    for (Slot s : w_->wijk_residents[wj]) {
      if (r.age[s] < 25 || r.age[s] >= 60) continue;
      for (Slot o : w_->wijk_residents[wj])
        if (o != s && r.household[o] == r.household[s] && r.age[o] >= 25 && r.age[o] < 60)
          return {s, o};
    }
    ADD_FAILURE() << "no two-adult household found";
    return {kNoSlot, kNoSlot};
  }

  // The living professionals of wijk `wj` with the given role, in slot order.
  std::vector<Slot> staff(std::uint32_t wj, std::uint8_t role) const {
    std::vector<Slot> out;
    for (Slot s = 0; s < w_->pro.pop.slots(); ++s)
      if (w_->pro.pop.alive(s) && w_->pro.wijk[s] == wj && w_->pro.role[s] == role) out.push_back(s);
    return out;
  }

 private:
  std::shared_ptr<const Model> model_;
  Scenario sc_;
  Executor exec_;
  std::uint64_t seed_;
  std::unique_ptr<World> w_;
};

// Adds an initiative in `buurt` with the given members (the leader, if any, among them).
inline Slot add_initiative(World& w, std::uint32_t buurt, Slot leader, const std::vector<Slot>& members,
                           float viability, Tick founded = 0) {
  const Slot i = w.ini.pop.add();
  w.ini.buurt[i] = buurt;
  w.ini.type[i] = kOtherInitiative;
  w.ini.leader[i] = leader;
  w.ini.viability[i] = viability;
  w.ini.founded[i] = static_cast<std::int32_t>(founded);
  w.ini.members[i] = static_cast<std::uint32_t>(members.size());
  for (Slot s : members) {
    w.res.initiative[s] = i;
    w.res.role[s] = s == leader ? kLeader : kMember;
  }
  return i;
}

}  // namespace buurtlab::neighbourhood::testing
