// Writes a small trajectory file through create_hdf5_writer for the Python reader tests.
//
// Usage: buurtlab_write_sample FILE   (FILE is replaced if it exists)
//
// The file has 2 replicates, 20 weekly ticks from 2026-01-01 (21 time points) and 4 places (a
// city, a wijk, two buurten). Replicate 0 runs to the end; replicate 1 stops after tick 12, so its
// later time points must read as NaN. Every value is
//   1000 * indicator + 100 * replicate + tick + place / 10
// so test_output_xarray.py can check any element without a second copy of the data.
#include <exception>
#include <iostream>

#include "buurtlab/output.hpp"

int main(int argc, char** argv) {
  using namespace buurtlab;
  if (argc != 2) {
    std::cerr << "usage: buurtlab_write_sample FILE\n";
    return 2;
  }
  try {
    Scenario sc;
    sc.name = "sample";
    sc.description = "A sample file for the reader tests";
    sc.model = "sample_model";
    sc.start = *Date::parse("2026-01-01");
    sc.tick = Period{1, TimeUnit::week};
    sc.duration = Period{20, TimeUnit::week};
    sc.seed = 42;
    sc.replicates = 2;
    sc.places = {
        {"GM0001", "Voorbeeldstad", PlaceLevel::city, std::nullopt, 300, {}},
        {"WK000101", "Centrum", PlaceLevel::wijk, 0, 300, {}},
        {"BU00010101", "Oude Haven", PlaceLevel::buurt, 1, 120, {}},
        {"BU00010102", "Zuidoever – Ĳsselkade", PlaceLevel::buurt, 1, 180, {}},
    };
    sc.source_file = "builtin:sample.yaml";
    sc.resolved_yaml = "name: sample\nmodel: sample_model\nstart: 2026-01-01\n";

    const std::vector<IndicatorDecl> indicators = {
        {"trust", "share (0-1)", "Share of residents who trust their neighbours"},
        {"volunteer_hours", "hours per week", "Volunteering hours per resident"},
    };
    OutputInfo info;
    info.scenario = &sc;
    info.indicators = &indicators;
    info.model = sc.model;
    info.replicates = 2;
    info.replicate_seeds = {1111, 2222};
    info.ticks = sc.ticks();
    info.flush_every = 8;
    info.threads = 1;

    auto writer = create_hdf5_writer(argv[1], info, /*overwrite=*/true);
    const Tick last[2] = {info.ticks, 12};
    for (std::uint32_t r = 0; r < 2; ++r) {
      for (Tick t = 0; t <= last[r]; ++t) {
        IndicatorFrame frame(indicators.size(), sc.places.size());
        for (std::size_t i = 0; i < indicators.size(); ++i)
          for (std::size_t p = 0; p < sc.places.size(); ++p)
            frame.at(i, p) = 1000.0 * i + 100.0 * r + t + p / 10.0;
        writer->write(r, t, frame);
        if (t % info.flush_every == 0) writer->flush();
      }
    }
    writer->finish(RunStatus::interrupted);
  } catch (const std::exception& e) {
    std::cerr << "buurtlab_write_sample: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
