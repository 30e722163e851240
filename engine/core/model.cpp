#include "buurtlab/model.hpp"

#include <algorithm>
#include <stdexcept>

#include "buurtlab/memory.hpp"

namespace buurtlab {

const ParamSchema& Model::place_attributes() const {
  static const ParamSchema none;
  return none;
}

const std::vector<HookDecl>& Model::hooks() const {
  static const std::vector<HookDecl> none;
  return none;
}

std::vector<std::string> Model::summary_indicators() const {
  std::vector<std::string> out;
  for (const auto& d : indicators()) {
    if (out.size() == 8) break;
    out.push_back(d.name);
  }
  return out;
}

std::uint64_t Model::estimate_bytes(const Scenario& sc) const {
  const std::int64_t residents = sc.places.empty() ? 0 : sc.places[0].population;
  return static_cast<std::uint64_t>(std::max<std::int64_t>(residents, 0)) *
         kDefaultBytesPerResident;
}

const HookDecl* Model::find_hook(std::string_view name) const {
  for (const auto& h : hooks())
    if (h.name == name) return &h;
  return nullptr;
}

std::optional<std::size_t> Model::indicator_index(std::string_view name) const {
  const auto& ind = indicators();
  for (std::size_t i = 0; i < ind.size(); ++i)
    if (ind[i].name == name) return i;
  return std::nullopt;
}

void ModelRegistry::add(std::shared_ptr<const Model> m) {
  if (find(m->name())) throw std::logic_error("model registered twice: " + std::string(m->name()));
  models_.push_back(std::move(m));
}

const Model* ModelRegistry::find(std::string_view name) const {
  for (const auto& m : models_)
    if (m->name() == name) return m.get();
  return nullptr;
}

std::vector<std::string> ModelRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& m : models_) out.emplace_back(m->name());
  return out;
}

}  // namespace buurtlab
