// The small run both HDF5 tests write: a city, a wijk and two buurten (one name with a non-ASCII
// dash), monthly ticks from 31 January (so the time axis has uneven steps), and a value for
// every (indicator, replicate, tick, place) that tells where it was written.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "buurtlab/calendar.hpp"
#include "buurtlab/output.hpp"
#include "buurtlab/scenario.hpp"

namespace buurtlab::testing {

struct OutputRun {
  Scenario sc;
  std::vector<IndicatorDecl> indicators;
  OutputInfo info;

  // Replicate r's seed is recorded as first_seed + r (distinct from the run seed `seed`, so a
  // test can tell them apart).
  OutputRun(const std::string& name, std::vector<IndicatorDecl> decls, Tick ticks,
            std::uint32_t replicates, std::uint64_t seed, std::uint64_t first_seed,
            Tick flush_every, int threads)
      : indicators(std::move(decls)) {
    sc.name = name;
    sc.description = name + " test";
    sc.model = "test_model";
    sc.start = *Date::parse("2026-01-31");
    sc.tick = Period{1, TimeUnit::month};
    sc.duration = Period{static_cast<int>(ticks), TimeUnit::month};
    sc.seed = seed;
    sc.replicates = replicates;
    sc.places = {
        {"GM0363", "Stad", PlaceLevel::city, std::nullopt, 30, {}},
        {"WK036301", "Centrum", PlaceLevel::wijk, 0, 30, {}},
        {"BU03630101", "Burgwallen", PlaceLevel::buurt, 1, 10, {}},
        {"BU03630102", "Grachtengordel – Zuid", PlaceLevel::buurt, 1, 20, {}},
    };
    sc.source_file = name + ".yaml";
    sc.resolved_yaml = "name: " + name + "\nmodel: test_model\n";
    info.scenario = &sc;
    info.indicators = &indicators;
    info.model = "test_model";
    info.replicates = replicates;
    for (std::uint32_t r = 0; r < replicates; ++r) info.replicate_seeds.push_back(first_seed + r);
    info.ticks = ticks;
    info.flush_every = flush_every;
    info.threads = threads;
  }
  OutputRun(const OutputRun&) = delete;  // info points into this object
  OutputRun& operator=(const OutputRun&) = delete;

  static double value(std::size_t i, std::uint32_t r, Tick t, std::size_t p) {
    return 1000.0 * static_cast<double>(i) + 100.0 * r + t + static_cast<double>(p) / 8;
  }
  IndicatorFrame frame(std::uint32_t r, Tick t) const {
    IndicatorFrame f(indicators.size(), sc.places.size());
    for (std::size_t i = 0; i < indicators.size(); ++i)
      for (std::size_t p = 0; p < sc.places.size(); ++p) f.at(i, p) = value(i, r, t, p);
    return f;
  }
};

}  // namespace buurtlab::testing
