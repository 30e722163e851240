// Indicators of the neighbourhood model, written every tick for every buurt, wijk and the city.
//
// Resident-level quantities are summed per buurt (exactly, in a fixed order) and rolled up to wijk
// and city, so an aggregate is the same ratio of sums at every level. Professional-level
// quantities exist per wijk and city only (NaN for buurten). Community strength is a composite of
// five components, each written too, so that it can be recomputed with other weights.
#pragma once
#include <vector>

#include "buurtlab/model.hpp"

namespace buurtlab::neighbourhood {

struct World;

const std::vector<IndicatorDecl>& indicator_decls();
std::vector<std::string> summary_indicator_names();
void measure(const World& w, const TickContext& c, IndicatorFrame& out);

}  // namespace buurtlab::neighbourhood
