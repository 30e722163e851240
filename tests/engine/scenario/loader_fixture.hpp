// Shared by the scenario loader tests: a model that is only ever described, never run, with the
// dotted parameter names, place attributes, choices and hooks the loader has to understand; and
// helpers to reach the test data and to collect an InputError's text.
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "buurtlab/scenario_loader.hpp"
#include "test_model.hpp"

namespace buurtlab::testing {

class LoaderModel final : public Model {
 public:
  LoaderModel() {
    params_.add({"trust.negativity_weight", ParamType::real, "1", 2, 0, 10, {}, "", "assumption"});
    params_.add({"trust.decay", ParamType::real, "per year", 0.1, 0, 1, {}, "", "assumption"});
    params_.add({"procurement.tender_interval", ParamType::integer, "years", 4, 1, 20, {}, "",
                 "assumption"});
    params_.add({"procurement.transfer_share", ParamType::real, "share (0-1)", 0.2, 0, 1, {}, "",
                 "assumption"});
    params_.add({"volunteering.enabled", ParamType::boolean, "true/false", 1, 0, 1, {}, "",
                 "assumption"});
    params_.add({"housing.policy", ParamType::choice, "choice", 0, 0, 2,
                 {"market", "social", "mixed"}, "", "assumption"});
    attrs_.add({"social_housing_share", ParamType::real, "share (0-1)", 0.3, 0, 1, {}, "",
                "assumption"});
    attrs_.add({"income.median", ParamType::real, "euro per year", 30000, 0, 1e6, {}, "",
                "assumption"});
    attrs_.add({"income.gini", ParamType::real, "1", 0.3, 0, 1, {}, "", "assumption"});
    HookDecl round{"procurement_round", "re-tenders the care contracts", {}};
    round.args.add({"change_probability", ParamType::real, "probability", 0.5, 0, 1, {}, "",
                    "assumption"});
    round.args.add({"budget", ParamType::real, "euro", 0, 0, 1e9, {}, "", "assumption"});
    hooks_.push_back(std::move(round));
    hooks_.push_back({"close_library", "closes the library", {}});
  }
  std::string_view name() const override { return "loadermodel"; }
  std::string_view description() const override { return "scenario loader test model"; }
  const ParamSchema& parameters() const override { return params_; }
  const ParamSchema& place_attributes() const override { return attrs_; }
  const std::vector<HookDecl>& hooks() const override { return hooks_; }
  const std::vector<IndicatorDecl>& indicators() const override { return indicators_; }
  std::unique_ptr<ModelInstance> instantiate(const RunContext&) const override { return nullptr; }

 private:
  ParamSchema params_, attrs_;
  std::vector<HookDecl> hooks_;
  std::vector<IndicatorDecl> indicators_;
};

inline const ModelRegistry& loader_models() {
  static const ModelRegistry r = [] {
    ModelRegistry m;
    m.add(std::make_shared<LoaderModel>());
    m.add(make_test_model());
    return m;
  }();
  return r;
}

inline std::string scenario_data(const std::string& name) {
  return std::string(BUURTLAB_SOURCE_DIR) + "/tests/data/scenarios/" + name;
}

// The text of the InputError that `load` throws; a test failure if it does not throw one.
inline std::string input_error(const std::function<void()>& load) {
  try {
    load();
  } catch (const InputError& e) {
    EXPECT_EQ(e.diagnostics().text(), e.what());
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return {};
}

inline std::string text_error(const std::string& yaml, const std::vector<Override>& ov = {}) {
  return input_error([&] { load_scenario_text(yaml, "inline.yaml", loader_models(), ov); });
}

// Whether `text` contains `part`, showing the whole text when it does not.
inline ::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" not found in:\n" << text;
}

inline std::size_t error_count(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace buurtlab::testing
