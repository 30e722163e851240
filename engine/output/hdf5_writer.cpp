// The HDF5 trajectory writer. The file layout is documented in docs/output.md; keep both in step.
//
// Durability design. A run may be killed at any moment (an out-of-memory kill, a batch system's
// time limit, kill -9), and whatever was flushed before must still open and read back.
// Three choices make that hold without SWMR (whose files plain readers refuse after a crash):
//  - write() only buffers; the file is touched by flush(), finish() and the destructor alone, so
//    between flushes the file on disk is exactly what the last H5Fflush left.
//  - every time chunk of every dataset is written exactly once, when it is complete, so a flush
//    never rewrites (and relocates) data that an earlier flush already made durable.
//  - metadata-cache evictions are off, so HDF5 writes metadata only inside H5Fflush and not at
//    random moments in between; the on-disk metadata always describes a flushed state.
// The default superblock (no libver "latest") is used on purpose: newer superblocks record "open
// for writing" and a killed writer would leave a file that readers refuse without h5clear.
#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>
#include <optional>
#include <stdexcept>
#include <system_error>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/output.hpp"
#include "buurtlab/version.hpp"
#include "hdf5_util.hpp"

namespace buurtlab {

const char* to_string(RunStatus s) {
  switch (s) {
    case RunStatus::running: return "running";
    case RunStatus::complete: return "complete";
    case RunStatus::interrupted: return "interrupted";
    case RunStatus::failed: return "failed";
  }
  return "?";
}

namespace {

namespace fs = std::filesystem;
using h5::Id;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kDeflateLevel = 4;

// Names the writer uses itself; an indicator with one of these names would collide.
constexpr const char* kReservedNames[] = {
    "replicate", "time", "place", "place_code", "place_name", "place_level", "place_parent",
    "place_population", "replicate_seed", "ticks_written"};

std::string utc_now_iso() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Refuses to clobber, replaces on request, and creates missing folders.
void prepare_path(const fs::path& path, bool overwrite) {
  std::error_code ec;
  const auto st = fs::symlink_status(path, ec);
  if (fs::exists(st)) {
    if (fs::is_directory(st))
      throw InputError(path.string() + " is a directory; use -o to choose an output file");
    if (!overwrite)
      throw InputError(path.string() +
                       " exists; use --overwrite to replace it or -o to choose another file");
    if (!fs::remove(path, ec) || ec)
      throw RunError("cannot replace " + path.string() + ": " + ec.message());
  }
  const fs::path dir = path.parent_path();
  if (!dir.empty()) {
    fs::create_directories(dir, ec);
    if (ec) throw RunError("cannot create folder " + dir.string() + ": " + ec.message());
  }
}

class Hdf5Writer final : public TrajectoryWriter {
 public:
  // Creates the file; with `kept`, opens the existing file of the same run to continue it
  // (reopen_hdf5_writer).
  Hdf5Writer(const fs::path& path, const OutputInfo& info, bool overwrite,
             const std::vector<Tick>* kept = nullptr);
  ~Hdf5Writer() override;

  void write(std::uint32_t replicate, Tick tick, const IndicatorFrame& frame) override;
  void spin_up_checked(std::uint32_t replicate, const SpinUpCheck& check) override;
  void flush() override;
  void finish(RunStatus status) override;
  const fs::path& path() const override { return path_; }

 private:
  // One time chunk of one replicate: indicator x time-in-chunk x place, NaN where no frame came.
  struct Chunk {
    std::uint32_t index = 0;
    std::vector<double> values;
  };
  struct Replicate {
    std::int64_t last_tick = -1;  // last tick received
    std::optional<Chunk> open;    // chunk still receiving frames
    std::vector<Chunk> ready;     // complete chunks not yet on disk
    std::int32_t on_disk = 0;     // time points 0..on_disk-1 are final in the file
  };

  hsize_t chunk_begin(std::uint32_t c) const { return hsize_t{c} * chunk_len_; }
  hsize_t chunk_end(std::uint32_t c) const {
    return std::min<hsize_t>(times_, chunk_begin(c) + chunk_len_);
  }

  void create_layout(const OutputInfo& info);
  void reopen(const OutputInfo& info, const std::vector<Tick>& kept, hid_t fapl);
  // The spin-up's attributes from the checks received so far (see docs/output.md).
  void write_spin_up_attributes();
  void write_chunk(std::uint32_t replicate, const Chunk& chunk);
  // Writes every complete chunk; with `all`, also the unfinished ones (used when closing).
  void write_pending(bool all);
  void close_handles() noexcept;

  fs::path path_;
  h5::Context cx_;
  std::uint32_t replicates_;
  std::size_t indicators_;
  hsize_t places_;
  hsize_t times_;      // ticks + 1
  hsize_t chunk_len_;  // time points per chunk
  std::vector<Replicate> reps_;
  Id file_;
  std::vector<Id> datasets_;  // one per indicator
  Id ticks_written_;
  bool closed_ = false;
  // The file's identity once created or opened: a flush that finds another file (or none) at the
  // path stops the run rather than go on writing to a file nobody can open again.
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  void remember_identity();
  void check_identity() const;
  void abandon() noexcept;
  // Throws RunError, before anything is written, when the disk (or the process's file-size
  // limit) has less room than `bytes` plus a margin for the metadata: a write that fails halfway
  // through an HDF5 flush can leave a file that no longer opens, so the run stops while the file
  // can still be closed properly.
  void check_room(std::uint64_t bytes);
  bool out_of_room_ = false;

  // The spin-up and its settle check: the indicators checked (by index into datasets_) and each
  // replicate's check once it arrived; written at the next flush.
  Tick spin_up_ticks_ = 0;
  Tick settle_window_ = 0;
  SettleRule settle_rule_;
  std::vector<std::string> settle_names_;
  std::vector<std::size_t> settle_datasets_;
  std::vector<std::optional<SpinUpCheck>> checks_;
  bool checks_changed_ = false;
};

Hdf5Writer::Hdf5Writer(const fs::path& path, const OutputInfo& info, bool overwrite,
                       const std::vector<Tick>* kept)
    : path_(path), cx_{path.string()} {
  if (!info.scenario || !info.indicators)
    throw std::invalid_argument("OutputInfo needs a scenario and an indicator list");
  const Scenario& sc = *info.scenario;
  if (sc.places.empty()) throw std::invalid_argument("OutputInfo: the scenario has no places");
  if (info.replicates == 0) throw std::invalid_argument("OutputInfo: replicates must be >= 1");
  if (!info.replicate_seeds.empty() && info.replicate_seeds.size() != info.replicates)
    throw std::invalid_argument("OutputInfo: one seed per replicate expected");
  for (const IndicatorDecl& d : *info.indicators) {
    for (const char* r : kReservedNames)
      if (d.name == r)
        throw RunError("indicator name '" + d.name +
                       "' clashes with a coordinate of the output file");
    if (d.name.empty() || d.name == "." || d.name.find('/') != std::string::npos)
      throw RunError("indicator name '" + d.name + "' cannot name an HDF5 dataset");
  }

  replicates_ = info.replicates;
  indicators_ = info.indicators->size();
  places_ = sc.places.size();
  times_ = hsize_t{info.ticks} + 1;
  chunk_len_ = std::clamp<hsize_t>(info.flush_every, 1, times_);
  reps_.resize(replicates_);
  spin_up_ticks_ = info.spin_up_ticks;
  settle_window_ = spin_up_ticks_ > 0 ? info.settle_window : 0;
  settle_rule_ = info.settle_rule;
  checks_.resize(replicates_);
  for (const std::string& name : info.settle_indicators)
    for (std::size_t i = 0; i < info.indicators->size(); ++i)
      if ((*info.indicators)[i].name == name) {
        settle_names_.push_back(name);
        settle_datasets_.push_back(i);
        break;
      }

  if (!kept) prepare_path(path, overwrite);
  h5::silence_automatic_errors();

  // Links in creation order, so xarray (h5netcdf) lists dimensions, coordinates and indicators in
  // the order they are written rather than alphabetically (netCDF-4 files do the same).
  Id fcpl(cx_.check(H5Pcreate(H5P_FILE_CREATE), "file properties"), H5Pclose);
  cx_.check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
            "file properties");
  Id fapl(cx_.check(H5Pcreate(H5P_FILE_ACCESS), "file properties"), H5Pclose);
  {
    // Keep dirty metadata in memory until H5Fflush (see the top of this file). Evictions may
    // only be turned off together with automatic cache resizing. The cache then holds all of the
    // file's metadata, which is small: chiefly the chunk indexes, tens of bytes per chunk.
    H5AC_cache_config_t mdc{};
    mdc.version = H5AC__CURR_CACHE_CONFIG_VERSION;
    cx_.check(H5Pget_mdc_config(fapl.get(), &mdc), "metadata cache configuration");
    mdc.evictions_enabled = false;
    mdc.incr_mode = H5C_incr__off;
    mdc.flash_incr_mode = H5C_flash_incr__off;
    mdc.decr_mode = H5C_decr__off;
    cx_.check(H5Pset_mdc_config(fapl.get(), &mdc), "metadata cache configuration");
  }

  if (kept) {
    reopen(info, *kept, fapl.get());
    return;
  }
  // H5F_ACC_EXCL: even if another process created the file since prepare_path, never clobber.
  file_ = Id(H5Fcreate(path.c_str(), H5F_ACC_EXCL, fcpl.get(), fapl.get()), H5Fclose);
  if (!file_.valid())
    throw RunError("cannot create " + path.string() + ": " + h5::error_text());
  try {
    create_layout(info);
    cx_.check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flush");
    remember_identity();
  } catch (...) {
    // A half-built file is of no use to anyone; do not leave it behind.
    close_handles();
    closed_ = true;
    std::error_code ec;
    fs::remove(path, ec);
    throw;
  }
}

void Hdf5Writer::reopen(const OutputInfo& info, const std::vector<Tick>& kept, hid_t fapl) {
  const auto refuse = [&](const std::string& why) {
    close_handles();
    closed_ = true;  // nothing to finish: the file stays as it was
    throw InputError(path_.string() + ": cannot continue this file: " + why);
  };
  if (kept.size() != replicates_) throw std::invalid_argument("reopen: one count per replicate");
  file_ = Id(H5Fopen(path_.c_str(), H5F_ACC_RDWR, fapl), H5Fclose);
  if (!file_.valid()) refuse("cannot open it for writing: " + h5::error_text());
  const hid_t f = file_.get();
  // The same run: its layout must be the one this run writes, dataset for dataset.
  Id dapl(cx_.check(H5Pcreate(H5P_DATASET_ACCESS), "indicator properties"), H5Pclose);
  cx_.check(H5Pset_chunk_cache(dapl.get(), H5D_CHUNK_CACHE_NSLOTS_DEFAULT, 0,
                               H5D_CHUNK_CACHE_W0_DEFAULT),
            "indicator chunk cache");
  for (const IndicatorDecl& d : *info.indicators) {
    Id ds(H5Dopen2(f, d.name.c_str(), dapl.get()), H5Dclose);
    if (!ds.valid()) refuse("it has no indicator " + d.name);
    Id space(cx_.check(H5Dget_space(ds.get()), "dataspace"), H5Sclose);
    hsize_t dims[3] = {0, 0, 0};
    if (H5Sget_simple_extent_ndims(space.get()) != 3 ||
        H5Sget_simple_extent_dims(space.get(), dims, nullptr) != 3 || dims[0] != replicates_ ||
        dims[1] != times_ || dims[2] != places_)
      refuse("indicator " + d.name + " is not " + std::to_string(replicates_) + " x " +
             std::to_string(times_) + " x " + std::to_string(places_));
    datasets_.push_back(std::move(ds));
  }
  ticks_written_ = Id(H5Dopen2(f, "ticks_written", H5P_DEFAULT), H5Dclose);
  if (!ticks_written_.valid()) refuse("it has no ticks_written");
  for (std::uint32_t r = 0; r < replicates_; ++r) {
    if (kept[r] > times_) throw std::invalid_argument("reopen: more time points than the run has");
    Replicate& rep = reps_[r];
    rep.last_tick = std::int64_t(kept[r]) - 1;
    rep.on_disk = static_cast<std::int32_t>(kept[r]);
    // A run stopped mid-chunk (a stop writes the unfinished chunk too) continues that chunk: its
    // rows so far are read back, so that writing the chunk whole again keeps them.
    const hsize_t n = kept[r];
    if (n == 0 || n == times_ || n % chunk_len_ == 0) continue;
    const auto c = static_cast<std::uint32_t>(n / chunk_len_);
    rep.open = Chunk{c, std::vector<double>(indicators_ * chunk_len_ * places_, kNaN)};
    const hsize_t rows = n - chunk_begin(c);
    Id mem = h5::simple_space(cx_, {rows * places_});
    for (std::size_t i = 0; i < indicators_; ++i) {
      Id fspace(cx_.check(H5Dget_space(datasets_[i].get()), "dataspace"), H5Sclose);
      const hsize_t start[3] = {r, chunk_begin(c), 0};
      const hsize_t count[3] = {1, rows, places_};
      cx_.check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
                "selection");
      cx_.check(H5Dread(datasets_[i].get(), H5T_NATIVE_DOUBLE, mem.get(), fspace.get(),
                        H5P_DEFAULT, &rep.open->values[i * chunk_len_ * places_]),
                "reading the unfinished chunk");
    }
  }
  h5::attr_string(cx_, f, "status", to_string(RunStatus::running));
  h5::attr_int32(cx_, f, "complete", 0);
  h5::attr_string(cx_, f, "resumed", utc_now_iso());
  cx_.check(H5Fflush(f, H5F_SCOPE_GLOBAL), "flush");
  remember_identity();
}

void Hdf5Writer::create_layout(const OutputInfo& info) {
  const Scenario& sc = *info.scenario;
  const hid_t f = file_.get();
  const Clock clock(sc.start, sc.tick, info.ticks);

  // Dimension scales. NAME is the dimension's own name, which netCDF-4 readers take to mean
  // "this dataset is the coordinate variable of the dimension".
  std::vector<std::int32_t> rep_index(replicates_);
  for (std::uint32_t r = 0; r < replicates_; ++r) rep_index[r] = static_cast<std::int32_t>(r);
  Id replicate = h5::dataset_int32(cx_, f, "replicate", rep_index);
  cx_.check(H5DSset_scale(replicate.get(), "replicate"), "dimension scale replicate");
  h5::attr_string(cx_, replicate.get(), "long_name", "replicate number");

  std::vector<double> days(times_);
  for (Tick t = 0; t < times_; ++t) days[t] = clock.days_since_start(t);
  Id time = h5::dataset_double(cx_, f, "time", days);
  cx_.check(H5DSset_scale(time.get(), "time"), "dimension scale time");
  h5::attr_string(cx_, time.get(), "units", "days since " + sc.start.iso());
  h5::attr_string(cx_, time.get(), "calendar", "proleptic_gregorian");
  h5::attr_string(cx_, time.get(), "long_name",
                  "date of the state after each tick (the first point is the initial state)");

  std::vector<std::int32_t> place_index(places_);
  for (hsize_t p = 0; p < places_; ++p) place_index[p] = static_cast<std::int32_t>(p);
  Id place = h5::dataset_int32(cx_, f, "place", place_index);
  cx_.check(H5DSset_scale(place.get(), "place"), "dimension scale place");
  h5::attr_string(cx_, place.get(), "long_name",
                  "place index: the city, then each wijk followed by its buurten");

  auto attach = [&](hid_t dset, hid_t scale, unsigned axis, const char* what) {
    cx_.check(H5DSattach_scale(dset, scale, axis), std::string("attaching a dimension to ") + what);
  };

  // Coordinates along `place` and `replicate`.
  std::vector<std::string> codes, names, levels;
  std::vector<std::int32_t> parents;
  std::vector<std::int64_t> populations;
  for (const PlaceSpec& p : sc.places) {
    codes.push_back(p.code);
    names.push_back(p.name);
    levels.push_back(to_string(p.level));
    parents.push_back(p.parent ? static_cast<std::int32_t>(*p.parent) : -1);
    populations.push_back(p.population);
  }
  struct Coord {
    Id id;
    const char* name;
    const char* long_name;
  };
  std::vector<Coord> coords;
  coords.push_back({h5::dataset_strings(cx_, f, "place_code", codes), "place_code",
                    "place code (CBS code or generated)"});
  coords.push_back({h5::dataset_strings(cx_, f, "place_name", names), "place_name", "place name"});
  coords.push_back({h5::dataset_strings(cx_, f, "place_level", levels), "place_level",
                    "level in the hierarchy: city, wijk or buurt"});
  coords.push_back({h5::dataset_int32(cx_, f, "place_parent", parents), "place_parent",
                    "index of the enclosing place (-1 for the city)"});
  coords.push_back({h5::dataset_int64(cx_, f, "place_population", populations),
                    "place_population", "residents at the start (sum of children above buurt)"});
  for (Coord& c : coords) {
    attach(c.id.get(), place.get(), 0, c.name);
    h5::attr_string(cx_, c.id.get(), "long_name", c.long_name);
  }

  std::vector<std::uint64_t> seeds = info.replicate_seeds;
  seeds.resize(replicates_, 0);
  Id seed_ds = h5::dataset_uint64(cx_, f, "replicate_seed", seeds);
  attach(seed_ds.get(), replicate.get(), 0, "replicate_seed");
  h5::attr_string(cx_, seed_ds.get(), "long_name", "seed of the replicate's random streams");

  // Allocated up front so each flush rewrites it in place rather than allocating.
  ticks_written_ = h5::dataset_int32(cx_, f, "ticks_written",
                                     std::vector<std::int32_t>(replicates_, 0), true);
  attach(ticks_written_.get(), replicate.get(), 0, "ticks_written");
  h5::attr_string(cx_, ticks_written_.get(), "long_name",
                  "time points written per replicate (time[0:n] holds data; later points are NaN)");

  // Indicators: (replicate, time, place), chunked by (1, flush interval, all places) so a flush
  // completes whole chunks. Unwritten chunks are never allocated and read as the fill value NaN.
  Id space = h5::simple_space(cx_, {replicates_, times_, places_});
  Id dcpl(cx_.check(H5Pcreate(H5P_DATASET_CREATE), "indicator properties"), H5Pclose);
  const hsize_t chunk[3] = {1, chunk_len_, places_};
  cx_.check(H5Pset_chunk(dcpl.get(), 3, chunk), "indicator chunking");
  cx_.check(H5Pset_shuffle(dcpl.get()), "indicator shuffle filter");
  cx_.check(H5Pset_deflate(dcpl.get(), kDeflateLevel), "indicator deflate filter");
  const double fill = kNaN;
  cx_.check(H5Pset_fill_value(dcpl.get(), H5T_NATIVE_DOUBLE, &fill), "indicator fill value");
  // No chunk cache: every chunk is written whole, once, so caching only delays the write.
  Id dapl(cx_.check(H5Pcreate(H5P_DATASET_ACCESS), "indicator properties"), H5Pclose);
  cx_.check(H5Pset_chunk_cache(dapl.get(), H5D_CHUNK_CACHE_NSLOTS_DEFAULT, 0,
                               H5D_CHUNK_CACHE_W0_DEFAULT),
            "indicator chunk cache");
  const std::string coordinates =
      "place_code place_name place_level place_parent place_population replicate_seed";
  for (const IndicatorDecl& d : *info.indicators) {
    const std::string what = "indicator " + d.name;
    Id ds(cx_.check(H5Dcreate2(f, d.name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT,
                               dcpl.get(), dapl.get()),
                    what),
          H5Dclose);
    attach(ds.get(), replicate.get(), 0, d.name.c_str());
    attach(ds.get(), time.get(), 1, d.name.c_str());
    attach(ds.get(), place.get(), 2, d.name.c_str());
    h5::attr_string(cx_, ds.get(), "units", d.unit);
    h5::attr_string(cx_, ds.get(), "long_name", d.description);
    h5::attr_double(cx_, ds.get(), "_FillValue", kNaN);
    // CF convention: xarray makes these variables coordinates of every indicator.
    h5::attr_string(cx_, ds.get(), "coordinates", coordinates);
    datasets_.push_back(std::move(ds));
  }

  // Run description on the root group.
  h5::attr_string(cx_, f, "title", "buurtlab trajectories: scenario " + sc.name + ", model " +
                                       info.model);
  h5::attr_string(cx_, f, "buurtlab_version", version());
  h5::attr_string(cx_, f, "git_commit", git_commit());
  h5::attr_string(cx_, f, "model", info.model);
  h5::attr_string(cx_, f, "scenario_name", sc.name);
  h5::attr_string(cx_, f, "scenario_description", sc.description);
  h5::attr_string(cx_, f, "scenario_file", sc.source_file);
  h5::attr_string(cx_, f, "scenario_yaml", sc.resolved_yaml);
  h5::attr_uint64(cx_, f, "seed", sc.seed);
  h5::attr_int32(cx_, f, "replicates", static_cast<std::int32_t>(replicates_));
  h5::attr_int32(cx_, f, "ticks", static_cast<std::int32_t>(info.ticks));
  h5::attr_string(cx_, f, "tick_length", sc.tick.text());
  h5::attr_string(cx_, f, "start_date", sc.start.iso());
  h5::attr_int32(cx_, f, "flush_every", static_cast<std::int32_t>(chunk_len_));
  h5::attr_int32(cx_, f, "threads", info.threads);
  h5::attr_string(cx_, f, "status", to_string(RunStatus::running));
  h5::attr_int32(cx_, f, "complete", 0);
  h5::attr_string(cx_, f, "created", utc_now_iso());
  h5::attr_string(cx_, f, "spin_up", spin_up_ticks_ > 0 ? sc.spin_up.text() : "none");
  h5::attr_int32(cx_, f, "spin_up_ticks", static_cast<std::int32_t>(spin_up_ticks_));
  h5::attr_int32(cx_, f, "spin_up_window", static_cast<std::int32_t>(settle_window_));
  h5::attr_double(cx_, f, "spin_up_tolerance", info.settle_rule.tolerance);
  h5::attr_double(cx_, f, "spin_up_noise_sd", info.settle_rule.noise_sd);
  write_spin_up_attributes();
}

void Hdf5Writer::write_spin_up_attributes() {
  const hid_t f = file_.get();
  // The check over the replicates checked so far, pooled in replicate order as the run pools it.
  std::vector<SpinUpCheck> each(replicates_);
  for (std::uint32_t r = 0; r < replicates_; ++r)
    if (checks_[r]) each[r] = *checks_[r];
  const SpinUpCheck pooled = pool_checks(each, settle_rule_);
  std::string drifting;
  for (const IndicatorSettling& s : pooled.indicators)
    if (s.checked && !s.settled) drifting += (drifting.empty() ? "" : ", ") + s.name;
  std::string verdict;
  if (spin_up_ticks_ == 0) verdict = "none";
  else if (settle_window_ == 0) verdict = "not checked";
  else if (!pooled.done) verdict = "pending";
  else verdict = drifting.empty() ? "settled" : "drifting";
  h5::attr_string(cx_, f, "spin_up_check", verdict);
  h5::attr_int32(cx_, f, "spin_up_checked", static_cast<std::int32_t>(pooled.replicates));
  h5::attr_string(cx_, f, "spin_up_drifting", drifting);
  if (settle_window_ == 0) return;
  // Per indicator: each replicate's two window means (along `replicate`), and the pooled change
  // and verdict: 1 settled, 0 drifting, -1 not checked (not yet, or undefined at city level).
  for (std::size_t k = 0; k < settle_names_.size(); ++k) {
    std::vector<double> previous(replicates_, kNaN), last(replicates_, kNaN);
    for (std::uint32_t r = 0; r < replicates_; ++r) {
      if (!each[r].checked()) continue;
      for (const IndicatorSettling& s : each[r].indicators)
        if (s.name == settle_names_[k] && s.checked) {
          previous[r] = s.previous;
          last[r] = s.last;
        }
    }
    double change = kNaN;
    std::int32_t settled = -1;
    for (const IndicatorSettling& s : pooled.indicators)
      if (s.name == settle_names_[k] && s.checked) {
        change = s.change;
        settled = s.settled ? 1 : 0;
      }
    const hid_t ds = datasets_[settle_datasets_[k]].get();
    h5::attr_doubles(cx_, ds, "spin_up_previous", previous);
    h5::attr_doubles(cx_, ds, "spin_up_last", last);
    h5::attr_double(cx_, ds, "spin_up_change", change);
    h5::attr_int32(cx_, ds, "spin_up_settled", settled);
  }
}

void Hdf5Writer::spin_up_checked(std::uint32_t r, const SpinUpCheck& check) {
  if (closed_) throw std::logic_error("TrajectoryWriter::spin_up_checked after finish");
  if (r >= replicates_)
    throw std::out_of_range("TrajectoryWriter::spin_up_checked: replicate out of range");
  checks_[r] = check;
  checks_changed_ = true;
}

Hdf5Writer::~Hdf5Writer() {
  if (closed_) return;
  // Not finished: keep what was computed, but leave the file marked "running"/incomplete.
  try {
    if (!out_of_room_) write_pending(true);
  } catch (...) {
    abandon();
    return;
  }
  close_handles();
}

void Hdf5Writer::write(std::uint32_t r, Tick tick, const IndicatorFrame& frame) {
  if (closed_) throw std::logic_error("TrajectoryWriter::write after finish");
  if (r >= replicates_) throw std::out_of_range("TrajectoryWriter::write: replicate out of range");
  if (tick >= times_) throw std::out_of_range("TrajectoryWriter::write: tick out of range");
  if (frame.indicators() != indicators_ || frame.places() != places_)
    throw std::invalid_argument("TrajectoryWriter::write: frame shape does not match the file");
  Replicate& rep = reps_[r];
  if (static_cast<std::int64_t>(tick) <= rep.last_tick)
    throw std::logic_error("TrajectoryWriter::write: ticks must increase per replicate");

  const auto c = static_cast<std::uint32_t>(tick / chunk_len_);
  if (rep.open && rep.open->index != c) {
    // A later chunk started, so the open one gets no more frames (skipped ticks stay NaN).
    rep.ready.push_back(std::move(*rep.open));
    rep.open.reset();
  }
  if (!rep.open) rep.open = Chunk{c, std::vector<double>(indicators_ * chunk_len_ * places_, kNaN)};
  const hsize_t row = tick - chunk_begin(c);
  const double* src = frame.values().data();
  for (std::size_t i = 0; i < indicators_; ++i)
    std::memcpy(&rep.open->values[(i * chunk_len_ + row) * places_], src + i * places_,
                places_ * sizeof(double));
  rep.last_tick = tick;
  if (tick + 1 == chunk_end(c)) {
    rep.ready.push_back(std::move(*rep.open));
    rep.open.reset();
  }
}

void Hdf5Writer::write_chunk(std::uint32_t r, const Chunk& chunk) {
  const hsize_t t0 = chunk_begin(chunk.index);
  const hsize_t nt = chunk_end(chunk.index) - t0;
  Id mem = h5::simple_space(cx_, {nt * places_});
  for (std::size_t i = 0; i < indicators_; ++i) {
    const hid_t ds = datasets_[i].get();
    Id fspace(cx_.check(H5Dget_space(ds), "dataspace"), H5Sclose);
    const hsize_t start[3] = {r, t0, 0};
    const hsize_t count[3] = {1, nt, places_};
    cx_.check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
              "selection");
    cx_.check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, mem.get(), fspace.get(), H5P_DEFAULT,
                       &chunk.values[i * chunk_len_ * places_]),
              "writing ticks");
  }
}

void Hdf5Writer::remember_identity() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0) {
    dev_ = st.st_dev;
    ino_ = st.st_ino;
  }
}

void Hdf5Writer::check_identity() const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0 || st.st_dev != dev_ || st.st_ino != ino_)
    throw RunError(path_.string() +
                   " was deleted or replaced while the run was writing it; the run stops "
                   "(what it computed is lost with the deleted file)");
}

// Room for HDF5's own writes in a flush and for closing: chunk indexes, attributes, the superblock.
constexpr std::uint64_t kMetadataMargin = 256 * 1024;

void Hdf5Writer::check_room(std::uint64_t bytes) {
  std::uint64_t disk = UINT64_MAX, limit = UINT64_MAX;
  struct statvfs vfs {};
  const fs::path dir = path_.has_parent_path() ? path_.parent_path() : fs::path(".");
  if (::statvfs(dir.c_str(), &vfs) == 0) disk = std::uint64_t(vfs.f_bavail) * vfs.f_frsize;
  struct rlimit lim {};
  struct stat st {};
  if (::getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
      ::stat(path_.c_str(), &st) == 0)
    limit = lim.rlim_cur > std::uint64_t(st.st_size) ? lim.rlim_cur - st.st_size : 0;
  const std::uint64_t room = std::min(disk, limit);
  if (room >= bytes + kMetadataMargin) return;
  out_of_room_ = true;
  throw RunError("cannot write " + path_.string() + ": " +
                 (limit < disk ? "the process's file-size limit (ulimit -f) leaves "
                               : "the disk is full: ") +
                 std::to_string(room / 1024) + " KiB, the next write needs up to " +
                 std::to_string((bytes + kMetadataMargin) / 1024) +
                 " KiB; the file keeps what was written before and is marked failed");
}

void Hdf5Writer::write_pending(bool all) {
  h5::silence_automatic_errors();  // per thread in thread-safe HDF5 builds; flush may come from any
  if (ino_ != 0) check_identity();
  {
    // Chunks are compressed, so their raw size is an upper bound of what they take on disk.
    std::uint64_t bytes = 0;
    for (const Replicate& rep : reps_)
      bytes += (rep.ready.size() + (all && rep.open ? 1 : 0)) * indicators_ * chunk_len_ *
               places_ * sizeof(double);
    check_room(bytes);
  }
  bool changed = false;
  for (std::uint32_t r = 0; r < replicates_; ++r) {
    Replicate& rep = reps_[r];
    for (const Chunk& ch : rep.ready) {
      write_chunk(r, ch);
      rep.on_disk = static_cast<std::int32_t>(chunk_end(ch.index));
      changed = true;
    }
    rep.ready.clear();
    if (all && rep.open) {
      write_chunk(r, *rep.open);
      rep.on_disk = static_cast<std::int32_t>(rep.last_tick + 1);
      rep.open.reset();
      changed = true;
    }
  }
  if (checks_changed_) {
    write_spin_up_attributes();
    checks_changed_ = false;
  }
  if (changed) {
    std::vector<std::int32_t> counts(replicates_);
    for (std::uint32_t r = 0; r < replicates_; ++r) counts[r] = reps_[r].on_disk;
    cx_.check(H5Dwrite(ticks_written_.get(), H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                       counts.data()),
              "ticks_written");
  }
  cx_.check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flush");
}

void Hdf5Writer::flush() {
  if (closed_) return;  // finish() already wrote everything
  if (out_of_room_) return;  // reported once; finish() still marks the file
  try {
    write_pending(false);
  } catch (...) {
    if (!out_of_room_) abandon();  // out of room, nothing was written: it can still be closed
    throw;
  }
}

// After a failed write (a full disk, a vanished file) nothing more may reach the file: another
// flush or the close would write metadata that points at data the disk did not take, and the file
// would no longer open. Abandoned, it stays as its last successful flush left it.
void Hdf5Writer::abandon() noexcept {
  closed_ = true;
  for (Id& d : datasets_) d.abandon();
  datasets_.clear();
  ticks_written_.abandon();
  file_.abandon();
  H5Eclear2(H5E_DEFAULT);
}

void Hdf5Writer::finish(RunStatus status) {
  if (closed_) return;
  closed_ = true;  // whatever happens below, the destructor must not write again
  h5::silence_automatic_errors();
  try {
    // Out of room: what is pending stays unwritten; the status still fits in the margin.
    if (!out_of_room_) write_pending(true);
    h5::attr_string(cx_, file_.get(), "status", to_string(status));
    h5::attr_int32(cx_, file_.get(), "complete", status == RunStatus::complete ? 1 : 0);
  } catch (...) {
    abandon();
    throw;
  }
  datasets_.clear();
  bool ok = ticks_written_.close();
  ok = file_.close() && ok;
  if (!ok) throw RunError("cannot write " + path_.string() + ": closing: " + h5::error_text());
}

void Hdf5Writer::close_handles() noexcept {
  h5::silence_automatic_errors();
  datasets_.clear();
  ticks_written_.reset();
  file_.reset();
  H5Eclear2(H5E_DEFAULT);
}

}  // namespace

std::unique_ptr<TrajectoryWriter> create_hdf5_writer(const std::filesystem::path& path,
                                                     const OutputInfo& info, bool overwrite) {
  return std::make_unique<Hdf5Writer>(path, info, overwrite);
}

std::unique_ptr<TrajectoryWriter> reopen_hdf5_writer(const std::filesystem::path& path,
                                                     const OutputInfo& info,
                                                     const std::vector<Tick>& kept) {
  return std::make_unique<Hdf5Writer>(path, info, false, &kept);
}

}  // namespace buurtlab
