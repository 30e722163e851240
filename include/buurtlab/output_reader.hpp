// Reading trajectory files back: what the tools that summarise, compare and resume runs need.
//
// The files are the ones create_hdf5_writer makes (layout in docs/output.md). Opening a file reads
// its description (root attributes, the coordinates along replicate, time and place, the list of
// indicators) and keeps the file open; indicator values are read on demand, one place at a time,
// so that comparing a few indicators of a large run never loads the whole file. engine/output is
// the only place that touches HDF5.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "buurtlab/types.hpp"

namespace buurtlab {

struct OutputPlace {
  std::string code;
  std::string name;
  std::string level;         // "city", "wijk" or "buurt"
  std::int32_t parent = -1;  // index of the enclosing place, -1 for the city
  std::int64_t population = 0;
};

struct OutputIndicator {
  std::string name;
  std::string units;
  std::string description;  // the dataset's long_name
};

// A file's description. Strings are empty and numbers 0 where an optional attribute is missing;
// the attributes every reader relies on (buurtlab_version, model, status, ticks, replicates) and
// the replicate/time/place datasets are checked when the file is opened.
struct OutputFileInfo {
  std::filesystem::path path;
  std::string buurtlab_version;
  std::string git_commit;
  std::string model;
  std::string scenario_name;
  std::string scenario_file;
  std::string scenario_yaml;  // the resolved scenario the run used
  std::string status;         // "running", "complete", "interrupted" or "failed"
  std::uint64_t seed = 0;
  std::uint32_t replicates = 0;
  Tick ticks = 0;                           // the time axis has ticks + 1 points
  std::string tick_length;                  // e.g. "1 week"
  std::string start_date;                   // YYYY-MM-DD
  // The spin-up before time 0 (not in the file's data): its length as the scenario gave it ("none"
  // without one), its ticks, the settle check's verdict ("none", "not checked", "pending",
  // "settled" or "drifting") and the indicators that drifted. Empty and 0 in files written before
  // spin-ups existed.
  std::string spin_up;
  Tick spin_up_ticks = 0;
  std::string spin_up_check;
  std::string spin_up_drifting;
  std::vector<double> time;                 // days since start_date, ticks + 1 values
  std::vector<std::int32_t> ticks_written;  // per replicate: time points that hold data
  std::vector<std::uint64_t> replicate_seeds;
  std::vector<OutputPlace> places;
  std::vector<OutputIndicator> indicators;  // in the order the model declares them

  bool complete() const { return status == "complete"; }
  std::optional<std::size_t> indicator_index(std::string_view name) const;
  std::optional<std::size_t> place_index(std::string_view code) const;
};

class OutputReader {
 public:
  virtual ~OutputReader() = default;
  virtual const OutputFileInfo& info() const = 0;
  // One indicator at one place for every replicate and time point: value of replicate r at time
  // point t is at [r * (ticks + 1) + t]. NaN where nothing was written or the model left the
  // indicator undefined. Throws InputError naming the file if the data cannot be read (the file
  // is damaged).
  virtual std::vector<double> read_place(std::size_t indicator, std::size_t place) const = 0;
};

// Opens `path` read-only. Throws InputError when it does not exist, is not an HDF5 file, is
// truncated, is not a Buurtlab output file (no `buurtlab_version` attribute), lacks part of the
// layout or claims sizes no run within limits.hpp writes, or when it cannot be opened (for
// instance because a run is still writing it); the message names the file.
std::unique_ptr<OutputReader> open_output(const std::filesystem::path& path);

}  // namespace buurtlab
