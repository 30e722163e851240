// The HDF5 trajectory writer: layout, values, run status, no clobbering, and files that survive a
// writer that is destroyed or killed before it finishes. Files are read back with the HDF5 C API
// so the test does not share code with the writer.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "buurtlab/output.hpp"
#include "buurtlab/rng.hpp"
#include "output_fixture.hpp"
#include "buurtlab/simulation.hpp"
#include "buurtlab/version.hpp"
#include "test_model.hpp"

namespace buurtlab {
namespace {

namespace fs = std::filesystem;

// ---- reading back -------------------------------------------------------------------------------

struct File {
  hid_t id;
  explicit File(const fs::path& p) : id(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {}
  ~File() {
    if (id >= 0) H5Fclose(id);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
};

struct Dataset {
  hid_t id;
  Dataset(hid_t file, const char* name) : id(H5Dopen2(file, name, H5P_DEFAULT)) {}
  ~Dataset() {
    if (id >= 0) H5Dclose(id);
  }
  Dataset(const Dataset&) = delete;
  Dataset& operator=(const Dataset&) = delete;
};

hid_t vlen_utf8() {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

std::string attr_string(hid_t obj, const char* name) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return "<missing " + std::string(name) + ">";
  hid_t t = vlen_utf8();
  char* p = nullptr;
  std::string out = H5Aread(a, t, &p) >= 0 && p ? p : "<unreadable>";
  H5free_memory(p);
  H5Tclose(t);
  H5Aclose(a);
  return out;
}

std::int64_t attr_int(hid_t obj, const char* name) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  std::int64_t v = -999;
  if (a >= 0) {
    H5Aread(a, H5T_NATIVE_INT64, &v);
    H5Aclose(a);
  }
  return v;
}

double attr_double(hid_t obj, const char* name) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  double v = -999;
  if (a >= 0) {
    H5Aread(a, H5T_NATIVE_DOUBLE, &v);
    H5Aclose(a);
  }
  return v;
}

// A one-dimensional attribute of doubles (an empty vector when it is missing).
std::vector<double> attr_doubles(hid_t obj, const char* name) {
  std::vector<double> v;
  if (H5Aexists(obj, name) <= 0) return v;
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  hid_t s = H5Aget_space(a);
  v.resize(static_cast<std::size_t>(H5Sget_simple_extent_npoints(s)));
  H5Aread(a, H5T_NATIVE_DOUBLE, v.data());
  H5Sclose(s);
  H5Aclose(a);
  return v;
}

std::vector<hsize_t> shape(hid_t dset) {
  hid_t s = H5Dget_space(dset);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(s)));
  H5Sget_simple_extent_dims(s, dims.data(), nullptr);
  H5Sclose(s);
  return dims;
}

std::size_t elements(hid_t dset) {
  std::size_t n = 1;
  for (hsize_t d : shape(dset)) n *= d;
  return n;
}

std::vector<double> read_doubles(hid_t file, const char* name) {
  Dataset d(file, name);
  std::vector<double> v(elements(d.id));
  EXPECT_GE(H5Dread(d.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), 0) << name;
  return v;
}

std::vector<std::int64_t> read_ints(hid_t file, const char* name) {
  Dataset d(file, name);
  std::vector<std::int64_t> v(elements(d.id));
  EXPECT_GE(H5Dread(d.id, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), 0) << name;
  return v;
}

std::vector<std::string> read_strings(hid_t file, const char* name) {
  Dataset d(file, name);
  std::vector<char*> p(elements(d.id), nullptr);
  hid_t t = vlen_utf8();
  EXPECT_GE(H5Dread(d.id, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), 0) << name;
  std::vector<std::string> out(p.begin(), p.end());
  hid_t s = H5Dget_space(d.id);
  H5Dvlen_reclaim(t, s, H5P_DEFAULT, p.data());
  H5Sclose(s);
  H5Tclose(t);
  return out;
}

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// ---- a small run --------------------------------------------------------------------------------

// A city, one wijk and two buurten; three indicators; monthly ticks from the end of January, so
// the time axis has uneven steps and must come from the calendar, not from tick * 30.
struct Fixture : testing::OutputRun {
  explicit Fixture(Tick ticks = 10, Tick flush_every = 4, std::uint32_t replicates = 3)
      : OutputRun("unit",
                  {
                      {"trust", "share (0-1)", "Share of residents who trust their neighbours"},
                      {"volunteer_hours", "hours per week", "Volunteering hours per resident"},
                      {"ties", "count", "Ties per resident"},
                  },
                  ticks, replicates, 99, 1000, flush_every, 2) {}
  // Writes ticks first..last of replicate r.
  void write(TrajectoryWriter& w, std::uint32_t r, Tick first, Tick last) const {
    for (Tick t = first; t <= last; ++t) w.write(r, t, frame(r, t));
  }
  // Checks indicator values: ticks < written[r] hold data, later ones NaN.
  void expect_values(hid_t file, const std::vector<Tick>& written) const {
    const std::size_t T = info.ticks + 1, P = sc.places.size();
    for (std::size_t i = 0; i < indicators.size(); ++i) {
      const auto v = read_doubles(file, indicators[i].name.c_str());
      ASSERT_EQ(v.size(), info.replicates * T * P);
      for (std::uint32_t r = 0; r < info.replicates; ++r)
        for (Tick t = 0; t < T; ++t)
          for (std::size_t p = 0; p < P; ++p) {
            const double got = v[(r * T + t) * P + p];
            if (t < written[r])
              ASSERT_EQ(got, value(i, r, t, p)) << indicators[i].name << " r" << r << " t" << t;
            else
              ASSERT_TRUE(std::isnan(got)) << indicators[i].name << " r" << r << " t" << t;
          }
    }
    const auto tw = read_ints(file, "ticks_written");
    ASSERT_EQ(tw.size(), info.replicates);
    for (std::uint32_t r = 0; r < info.replicates; ++r) EXPECT_EQ(tw[r], written[r]) << "r" << r;
  }
};

class Hdf5Writer : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* t = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("buurtlab_hdf5_" + std::to_string(::getpid()) + "_" + t->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// ---- tests --------------------------------------------------------------------------------------

TEST_F(Hdf5Writer, WritesLayoutValuesAndAttributes) {
  Fixture fx;  // 10 ticks, chunks of 4 time points, 3 replicates
  const fs::path path = dir_ / "run.h5";
  {
    auto w = create_hdf5_writer(path, fx.info, false);
    EXPECT_EQ(w->path(), path);
    fx.write(*w, 0, 0, 10);  // complete
    w->flush();
    fx.write(*w, 1, 0, 5);  // interrupted mid-chunk; replicate 2 never starts
    w->finish(RunStatus::interrupted);
  }
  File f(path);
  ASSERT_GE(f.id, 0);
  fx.expect_values(f.id, {11, 6, 0});

  // Dimension scales and their values.
  EXPECT_EQ(read_ints(f.id, "replicate"), (std::vector<std::int64_t>{0, 1, 2}));
  EXPECT_EQ(read_ints(f.id, "place"), (std::vector<std::int64_t>{0, 1, 2, 3}));
  const auto time = read_doubles(f.id, "time");
  ASSERT_EQ(time.size(), 11u);
  const Clock clock = fx.sc.clock();
  for (Tick t = 0; t <= 10; ++t) EXPECT_EQ(time[t], clock.days_since_start(t)) << t;
  EXPECT_EQ(time[1], 28.0);  // 2026-01-31 + 1 month = 2026-02-28
  {
    Dataset d(f.id, "time");
    EXPECT_EQ(attr_string(d.id, "units"), "days since 2026-01-31");
    EXPECT_EQ(attr_string(d.id, "calendar"), "proleptic_gregorian");
    EXPECT_GT(H5DSis_scale(d.id), 0);
  }

  // Place coordinates, attached to the place dimension.
  EXPECT_EQ(read_strings(f.id, "place_code"),
            (std::vector<std::string>{"GM0363", "WK036301", "BU03630101", "BU03630102"}));
  EXPECT_EQ(read_strings(f.id, "place_name")[3], "Grachtengordel – Zuid");
  EXPECT_EQ(read_strings(f.id, "place_level"),
            (std::vector<std::string>{"city", "wijk", "buurt", "buurt"}));
  EXPECT_EQ(read_ints(f.id, "place_parent"), (std::vector<std::int64_t>{-1, 0, 1, 1}));
  EXPECT_EQ(read_ints(f.id, "place_population"), (std::vector<std::int64_t>{30, 30, 10, 20}));
  EXPECT_EQ(read_ints(f.id, "replicate_seed"), (std::vector<std::int64_t>{1000, 1001, 1002}));
  {
    Dataset place(f.id, "place");
    for (const char* name : {"place_code", "place_name", "place_level", "place_parent",
                             "place_population"}) {
      Dataset d(f.id, name);
      EXPECT_GT(H5DSis_attached(d.id, place.id, 0), 0) << name;
    }
    Dataset replicate(f.id, "replicate");
    Dataset seeds(f.id, "replicate_seed");
    EXPECT_GT(H5DSis_attached(seeds.id, replicate.id, 0), 0);
  }

  // Indicator datasets: shape, dimensions, attributes, chunking, filters, fill value.
  {
    Dataset d(f.id, "volunteer_hours");
    EXPECT_EQ(shape(d.id), (std::vector<hsize_t>{3, 11, 4}));
    int i = 0;
    for (const char* scale : {"replicate", "time", "place"}) {
      Dataset s(f.id, scale);
      EXPECT_GT(H5DSis_attached(d.id, s.id, static_cast<unsigned>(i++)), 0) << scale;
    }
    EXPECT_EQ(attr_string(d.id, "units"), "hours per week");
    EXPECT_EQ(attr_string(d.id, "long_name"), "Volunteering hours per resident");
    EXPECT_TRUE(std::isnan(attr_double(d.id, "_FillValue")));
    EXPECT_NE(attr_string(d.id, "coordinates").find("place_code"), std::string::npos);
    hid_t dcpl = H5Dget_create_plist(d.id);
    hsize_t chunk[3] = {};
    ASSERT_EQ(H5Pget_chunk(dcpl, 3, chunk), 3);
    EXPECT_EQ(chunk[0], 1u);
    EXPECT_EQ(chunk[1], 4u);
    EXPECT_EQ(chunk[2], 4u);
    ASSERT_EQ(H5Pget_nfilters(dcpl), 2);
    unsigned flags = 0, level = 0;
    size_t nelem = 1;
    EXPECT_EQ(H5Pget_filter2(dcpl, 0, &flags, &nelem, &level, 0, nullptr, nullptr),
              H5Z_FILTER_SHUFFLE);
    nelem = 1;
    EXPECT_EQ(H5Pget_filter2(dcpl, 1, &flags, &nelem, &level, 0, nullptr, nullptr),
              H5Z_FILTER_DEFLATE);
    EXPECT_EQ(level, 4u);
    double fill = 0;
    EXPECT_GE(H5Pget_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill), 0);
    EXPECT_TRUE(std::isnan(fill));
    H5Pclose(dcpl);
  }

  // Run description.
  EXPECT_EQ(attr_string(f.id, "status"), "interrupted");
  EXPECT_EQ(attr_int(f.id, "complete"), 0);
  EXPECT_EQ(attr_string(f.id, "buurtlab_version"), std::string(version()));
  EXPECT_EQ(attr_string(f.id, "git_commit"), std::string(git_commit()));
  EXPECT_EQ(attr_string(f.id, "model"), "test_model");
  EXPECT_EQ(attr_string(f.id, "scenario_name"), "unit");
  EXPECT_EQ(attr_string(f.id, "scenario_file"), "unit.yaml");
  EXPECT_EQ(attr_string(f.id, "scenario_yaml"), "name: unit\nmodel: test_model\n");
  EXPECT_EQ(attr_int(f.id, "seed"), 99);
  EXPECT_EQ(attr_int(f.id, "replicates"), 3);
  EXPECT_EQ(attr_string(f.id, "tick_length"), "1 month");
  EXPECT_EQ(attr_string(f.id, "start_date"), "2026-01-31");
  EXPECT_EQ(attr_int(f.id, "threads"), 2);
  EXPECT_NE(attr_string(f.id, "title").find("unit"), std::string::npos);
  const std::string created = attr_string(f.id, "created");
  EXPECT_EQ(created.size(), 20u) << created;  // YYYY-MM-DDTHH:MM:SSZ
  EXPECT_EQ(created.back(), 'Z') << created;
}

TEST_F(Hdf5Writer, CompleteRunIsMarkedComplete) {
  Fixture fx(6, 52, 2);  // the flush interval exceeds the run: one chunk covers all time
  const fs::path path = dir_ / "done.h5";
  {
    auto w = create_hdf5_writer(path, fx.info, false);
    fx.write(*w, 0, 0, 6);
    fx.write(*w, 1, 0, 6);
    w->finish(RunStatus::complete);
    w->finish(RunStatus::failed);  // a second finish is ignored
    w->flush();                    // and so is a flush after finish
    EXPECT_THROW(w->write(0, 6, fx.frame(0, 6)), std::logic_error);
  }
  File f(path);
  ASSERT_GE(f.id, 0);
  EXPECT_EQ(attr_string(f.id, "status"), "complete");
  EXPECT_EQ(attr_int(f.id, "complete"), 1);
  fx.expect_values(f.id, {7, 7});
}

TEST_F(Hdf5Writer, FailedRunIsMarkedFailed) {
  Fixture fx;
  const fs::path path = dir_ / "failed.h5";
  {
    auto w = create_hdf5_writer(path, fx.info, false);
    fx.write(*w, 0, 0, 2);
    w->finish(RunStatus::failed);
  }
  File f(path);
  EXPECT_EQ(attr_string(f.id, "status"), "failed");
  EXPECT_EQ(attr_int(f.id, "complete"), 0);
  fx.expect_values(f.id, {3, 0, 0});
}

TEST_F(Hdf5Writer, SkippedTicksReadAsNaN) {
  Fixture fx(10, 4, 1);
  const fs::path path = dir_ / "gaps.h5";
  {
    auto w = create_hdf5_writer(path, fx.info, false);
    fx.write(*w, 0, 0, 1);
    fx.write(*w, 0, 9, 10);  // ticks 2..8 never come; chunks 0 and 2 are written, 1 is not
    EXPECT_THROW(w->write(0, 10, fx.frame(0, 10)), std::logic_error);  // not increasing
    EXPECT_THROW(w->write(0, 11, fx.frame(0, 11)), std::out_of_range);
    EXPECT_THROW(w->write(1, 0, fx.frame(1, 0)), std::out_of_range);
    w->finish(RunStatus::complete);
  }
  File f(path);
  const auto v = read_doubles(f.id, "trust");
  for (Tick t = 0; t <= 10; ++t) {
    const bool written = t <= 1 || t >= 9;
    EXPECT_EQ(std::isnan(v[t * 4]), !written) << t;
    if (written) {
      EXPECT_EQ(v[t * 4], Fixture::value(0, 0, t, 0)) << t;
    }
  }
  EXPECT_EQ(read_ints(f.id, "ticks_written"), (std::vector<std::int64_t>{11}));
}

TEST_F(Hdf5Writer, RejectsFramesOfTheWrongShape) {
  Fixture fx;
  auto w = create_hdf5_writer(dir_ / "shape.h5", fx.info, false);
  EXPECT_THROW(w->write(0, 0, IndicatorFrame(2, 4)), std::invalid_argument);
  EXPECT_THROW(w->write(0, 0, IndicatorFrame(3, 5)), std::invalid_argument);
}

TEST_F(Hdf5Writer, DoesNotOverwriteWithoutTheFlag) {
  Fixture fx;
  const fs::path path = dir_ / "precious.h5";
  {
    std::ofstream(path, std::ios::binary) << "results of last week's long run";
  }
  try {
    create_hdf5_writer(path, fx.info, false);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path.string() +
                                         " exists; use --overwrite to replace it or -o to choose "
                                         "another file");
  }
  EXPECT_EQ(file_bytes(path), "results of last week's long run");
}

TEST_F(Hdf5Writer, OverwritesWithTheFlag) {
  Fixture fx;
  const fs::path path = dir_ / "old.h5";
  {
    std::ofstream(path, std::ios::binary) << "old";
  }
  {
    auto w = create_hdf5_writer(path, fx.info, true);
    fx.write(*w, 0, 0, 10);
    w->finish(RunStatus::interrupted);
  }
  EXPECT_GT(H5Fis_hdf5(path.c_str()), 0);
  File f(path);
  ASSERT_GE(f.id, 0);
  fx.expect_values(f.id, {11, 0, 0});
}

TEST_F(Hdf5Writer, CreatesMissingFolders) {
  Fixture fx;
  const fs::path path = dir_ / "a" / "b" / "run.h5";
  create_hdf5_writer(path, fx.info, false)->finish(RunStatus::complete);
  File f(path);
  EXPECT_GE(f.id, 0);
}

TEST_F(Hdf5Writer, ReportsPathsItCannotCreate) {
  Fixture fx;
  {
    std::ofstream(dir_ / "plain_file") << "x";
  }
  const fs::path path = dir_ / "plain_file" / "run.h5";
  try {
    create_hdf5_writer(path, fx.info, false);
    FAIL() << "expected RunError";
  } catch (const RunError& e) {
    EXPECT_NE(std::string(e.what()).find((dir_ / "plain_file").string()), std::string::npos)
        << e.what();
  }
  // A directory is not a file to replace, flag or not.
  EXPECT_THROW(create_hdf5_writer(dir_, fx.info, true), InputError);
  EXPECT_TRUE(fs::is_directory(dir_));
}

TEST_F(Hdf5Writer, HdfErrorsAreReportedWithTheirTextAndLeaveNoFile) {
  Fixture fx;
  fx.indicators.push_back(fx.indicators[0]);  // two datasets named "trust"
  const fs::path path = dir_ / "dup.h5";
  try {
    create_hdf5_writer(path, fx.info, false);
    FAIL() << "expected RunError";
  } catch (const RunError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("indicator trust"), std::string::npos) << msg;
    EXPECT_NE(msg.find("already exists"), std::string::npos) << msg;  // HDF5's own words
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(Hdf5Writer, RejectsIndicatorNamesThatClash) {
  Fixture fx;
  fx.indicators[1].name = "place_code";
  EXPECT_THROW(create_hdf5_writer(dir_ / "clash.h5", fx.info, false), RunError);
  fx.indicators[1].name = "a/b";
  EXPECT_THROW(create_hdf5_writer(dir_ / "clash.h5", fx.info, false), RunError);
  EXPECT_FALSE(fs::exists(dir_ / "clash.h5"));
}

TEST_F(Hdf5Writer, DestroyedWithoutFinishLeavesAnIncompleteReadableFile) {
  Fixture fx;
  const fs::path path = dir_ / "abandoned.h5";
  {
    auto w = create_hdf5_writer(path, fx.info, false);
    fx.write(*w, 0, 0, 10);
    w->flush();
    fx.write(*w, 1, 0, 2);
    // destroyed here, as when an exception unwinds past the run loop
  }
  File f(path);
  ASSERT_GE(f.id, 0);
  EXPECT_EQ(attr_string(f.id, "status"), "running");
  EXPECT_EQ(attr_int(f.id, "complete"), 0);
  // Everything written reaches the file, flushed or not.
  fx.expect_values(f.id, {11, 3, 0});
}

TEST_F(Hdf5Writer, WithoutASpinUpTheFileSaysSo) {
  Fixture fx;
  const fs::path path = dir_ / "plain.h5";
  {
    auto w = create_hdf5_writer(path, fx.info, false);
    fx.write(*w, 0, 0, 10);
    w->finish(RunStatus::interrupted);
  }
  File f(path);
  EXPECT_EQ(attr_string(f.id, "spin_up"), "none");
  EXPECT_EQ(attr_int(f.id, "spin_up_ticks"), 0);
  EXPECT_EQ(attr_string(f.id, "spin_up_check"), "none");
  Dataset trust(f.id, "trust");
  EXPECT_EQ(H5Aexists(trust.id, "spin_up_settled"), 0);
}

// A spin-up of two years of monthly ticks, checked on trust and ties: the root attributes say how
// long it was and what the check found over the replicates, the checked indicators carry each
// replicate's window means and the check's change and verdict.
struct SpinUpFixture : Fixture {
  SpinUpFixture() {
    sc.spin_up = Period{2, TimeUnit::year};
    info.spin_up_ticks = 24;
    info.settle_window = 12;
    info.settle_indicators = {"trust", "ties", "not_an_indicator"};
  }
  static SpinUpCheck check(double trust_last, double ties_last, bool ties_settled) {
    SpinUpCheck c;
    c.done = true;
    c.window = 12;
    c.indicators = {{"trust", 0.5, trust_last, 0, 0, true, true},
                    {"ties", 2.0, ties_last, 0, 0, true, ties_settled}};
    return c;
  }
};

TEST_F(Hdf5Writer, RecordsTheSpinUpAndItsSettleCheck) {
  SpinUpFixture fx;
  const fs::path pending = dir_ / "pending.h5";
  {
    auto w = create_hdf5_writer(pending, fx.info, false);
    w->finish(RunStatus::interrupted);
  }
  {
    File f(pending);
    EXPECT_EQ(attr_string(f.id, "spin_up"), "2 years");
    EXPECT_EQ(attr_int(f.id, "spin_up_ticks"), 24);
    EXPECT_EQ(attr_int(f.id, "spin_up_window"), 12);
    EXPECT_EQ(attr_double(f.id, "spin_up_tolerance"), 0.05);
    EXPECT_EQ(attr_double(f.id, "spin_up_noise_sd"), 3.0);
    EXPECT_EQ(attr_string(f.id, "spin_up_check"), "pending");
    EXPECT_EQ(attr_int(f.id, "spin_up_checked"), 0);
    Dataset trust(f.id, "trust");
    EXPECT_EQ(attr_int(trust.id, "spin_up_settled"), -1);
    EXPECT_TRUE(std::isnan(attr_double(trust.id, "spin_up_change")));
    const auto last = attr_doubles(trust.id, "spin_up_last");
    ASSERT_EQ(last.size(), 3u);
    EXPECT_TRUE(std::isnan(last[0]) && std::isnan(last[1]) && std::isnan(last[2]));
  }

  const fs::path path = dir_ / "checked.h5";
  {
    auto w = create_hdf5_writer(path, fx.info, false);
    w->spin_up_checked(0, SpinUpFixture::check(0.51, 2.01, true));
    fx.write(*w, 0, 0, 10);
    w->spin_up_checked(2, SpinUpFixture::check(0.49, 3.0, false));
    fx.write(*w, 2, 0, 3);
    EXPECT_THROW(w->spin_up_checked(3, SpinUpFixture::check(0, 0, true)), std::out_of_range);
    w->finish(RunStatus::interrupted);
    EXPECT_THROW(w->spin_up_checked(1, SpinUpFixture::check(0, 0, true)), std::logic_error);
  }
  // Over replicates 0 and 2 (whose own verdicts do not count): trust moved from 0.5 to 0.5, ties
  // from 2 to 2.505, a rise of 25% that their noise (0) does not explain.
  File f(path);
  EXPECT_EQ(attr_string(f.id, "spin_up_check"), "drifting");
  EXPECT_EQ(attr_int(f.id, "spin_up_checked"), 2);
  EXPECT_EQ(attr_string(f.id, "spin_up_drifting"), "ties");
  Dataset trust(f.id, "trust"), ties(f.id, "ties"), hours(f.id, "volunteer_hours");
  EXPECT_EQ(attr_int(trust.id, "spin_up_settled"), 1);
  EXPECT_EQ(attr_int(ties.id, "spin_up_settled"), 0);
  EXPECT_DOUBLE_EQ(attr_double(ties.id, "spin_up_change"), 0.2525);
  const auto trust_last = attr_doubles(trust.id, "spin_up_last");
  ASSERT_EQ(trust_last.size(), 3u);
  EXPECT_EQ(trust_last[0], 0.51);
  EXPECT_TRUE(std::isnan(trust_last[1])) << "replicate 1 was not checked";
  EXPECT_EQ(trust_last[2], 0.49);
  EXPECT_EQ(attr_doubles(trust.id, "spin_up_previous")[0], 0.5);
  const auto ties_last = attr_doubles(ties.id, "spin_up_last");
  ASSERT_EQ(ties_last.size(), 3u);
  EXPECT_EQ(ties_last[0], 2.01);
  EXPECT_EQ(ties_last[2], 3.0);
  EXPECT_EQ(H5Aexists(hours.id, "spin_up_settled"), 0) << "not a checked indicator";
}

// Runs `work` (writing) in a forked child that then kills itself with SIGKILL while the writer
// `work` returns is still open, as a crash or an out-of-memory kill would, and checks in the
// parent that the child died that way (not by an exception, exit status 3).
void write_then_sigkill(const std::function<std::unique_ptr<TrajectoryWriter>()>& work) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Child: no gtest assertions here; the exit status tells the parent what happened.
    try {
      const auto open_writer = work();
      raise(SIGKILL);
    } catch (...) {
      _exit(3);
    }
    _exit(4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exit status " << WEXITSTATUS(status);
  ASSERT_EQ(WTERMSIG(status), SIGKILL);
}

TEST_F(Hdf5Writer, KilledWriterLeavesTheFlushedTicks) {
  Fixture fx(30, 4, 2);
  const fs::path path = dir_ / "killed.h5";
  ASSERT_NO_FATAL_FAILURE(write_then_sigkill([&] {
    auto w = create_hdf5_writer(path, fx.info, false);
    fx.write(*w, 0, 0, 30);
    w->flush();             // replicate 0 is complete on disk
    fx.write(*w, 1, 0, 9);  // chunks 0-3 and 4-7 are complete, 8-9 is not
    w->flush();
    fx.write(*w, 1, 10, 17);  // two more complete chunks, never flushed
    return w;
  }));

  File f(path);
  ASSERT_GE(f.id, 0) << "a killed writer's file must open";
  EXPECT_EQ(attr_string(f.id, "status"), "running");
  EXPECT_EQ(attr_int(f.id, "complete"), 0);
  fx.expect_values(f.id, {31, 8});
}

// Replicates run in parallel interleave their frames and finish out of order; a killed writer's
// ticks_written must still say, per replicate, exactly what the file holds.
TEST_F(Hdf5Writer, KilledWriterWithReplicatesInterleavedLeavesEachOnesFlushedTicks) {
  Fixture fx(30, 4, 4);
  const fs::path path = dir_ / "interleaved.h5";
  ASSERT_NO_FATAL_FAILURE(write_then_sigkill([&] {
    auto w = create_hdf5_writer(path, fx.info, false);
    // Replicates 0 and 2 in flight, tick by tick; 2 completes first, then 3 starts.
    for (Tick t = 0; t <= 30; ++t) {
      if (t <= 13) fx.write(*w, 0, t, t);
      fx.write(*w, 2, t, t);
      if (t % 4 == 3) w->flush();
    }
    w->flush();             // replicate 2 complete; replicate 0 has chunks 0-11 on disk
    fx.write(*w, 3, 0, 5);  // chunk 0-3 complete, 4-5 not
    w->flush();
    fx.write(*w, 0, 14, 19);  // complete chunks of replicate 0, never flushed
    return w;
  }));

  File f(path);
  ASSERT_GE(f.id, 0);
  EXPECT_EQ(attr_string(f.id, "status"), "running");
  EXPECT_EQ(attr_int(f.id, "complete"), 0);
  fx.expect_values(f.id, {12, 0, 31, 4});
}

TEST_F(Hdf5Writer, TheSettleCheckIsDurableAtTheNextFlush) {
  SpinUpFixture fx;
  const fs::path path = dir_ / "killed_spin_up.h5";
  ASSERT_NO_FATAL_FAILURE(write_then_sigkill([&] {
    auto w = create_hdf5_writer(path, fx.info, false);
    w->spin_up_checked(1, SpinUpFixture::check(0.5, 2.0, true));
    fx.write(*w, 1, 0, 5);
    w->flush();
    w->spin_up_checked(0, SpinUpFixture::check(0.5, 9.0, false));  // never flushed
    return w;
  }));
  File f(path);
  ASSERT_GE(f.id, 0);
  EXPECT_EQ(attr_string(f.id, "spin_up_check"), "settled");
  EXPECT_EQ(attr_int(f.id, "spin_up_checked"), 1);
  Dataset ties(f.id, "ties");
  EXPECT_EQ(attr_int(ties.id, "spin_up_settled"), 1);
  const auto last = attr_doubles(ties.id, "spin_up_last");
  ASSERT_EQ(last.size(), 3u);
  EXPECT_TRUE(std::isnan(last[0])) << "replicate 0's check came after the last flush";
  EXPECT_EQ(last[1], 2.0);
}

TEST_F(Hdf5Writer, WriteErrorsNameTheFileAndTheCause) {
  // A file size limit makes the disk "full" after the file is created; flush must report it as a
  // RunError naming the limit (or quoting the system's reason), and the writer must still be
  // destroyed cleanly.
  Fixture fx(30, 4, 2);
  const fs::path path = dir_ / "full.h5";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int code = 0;
    try {
      signal(SIGXFSZ, SIG_IGN);  // get EFBIG from write() instead of a signal
      auto w = create_hdf5_writer(path, fx.info, false);
      const rlimit lim{static_cast<rlim_t>(fs::file_size(path)) + 64,
                       static_cast<rlim_t>(fs::file_size(path)) + 64};
      setrlimit(RLIMIT_FSIZE, &lim);
      fx.write(*w, 0, 0, 30);
      try {
        w->flush();
        code = 10;  // no error reported
      } catch (const RunError& e) {
        const std::string msg = e.what();
        if (msg.find(path.string()) == std::string::npos) code = 11;
        // Seen coming before anything is written (the usual case), or the system's reason.
        else if (msg.find("file-size limit") == std::string::npos &&
                 msg.find("File too large") == std::string::npos)
          code = 12;
      }
      try {
        w->finish(RunStatus::failed);  // may fail too, but must not crash
      } catch (const RunError&) {
      }
    } catch (...) {
      code = 13;
    }
    _exit(code);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "child killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: no error, 11: no path, 12: no cause, 13: other";
}

// The writer driven by the real run loop (which flushes on its own cadence, not aligned with the
// time chunks): the file must hold exactly the frames the run reports.
TEST_F(Hdf5Writer, HoldsWhatTheSimulationProduced) {
  const auto model = testing::make_test_model();
  Scenario sc;
  sc.name = "loop";
  sc.model = std::string(model->name());
  sc.start = *Date::parse("2026-01-01");
  sc.duration = Period{1, TimeUnit::year};
  sc.tick = Period{1, TimeUnit::week};
  sc.seed = 5;
  sc.replicates = 2;
  sc.parameters = ParamValues(model->parameters());
  sc.output.flush_every = 10;
  const ParamValues attrs(model->place_attributes());
  sc.places = {{"C", "City", PlaceLevel::city, std::nullopt, 100, attrs},
               {"W1", "Wijk", PlaceLevel::wijk, 0, 100, attrs},
               {"B1", "Buurt 1", PlaceLevel::buurt, 1, 40, attrs},
               {"B2", "Buurt 2", PlaceLevel::buurt, 1, 60, attrs}};
  const OutputInfo info = make_output_info(*model, sc, 0);

  const fs::path path = dir_ / "loop.h5";
  RunResult res;
  {
    auto w = create_hdf5_writer(path, info, false);
    res = run_simulation(*model, sc, RunOptions{}, w.get());
  }
  ASSERT_EQ(res.status, RunStatus::complete);
  File f(path);
  ASSERT_GE(f.id, 0);
  EXPECT_EQ(attr_string(f.id, "status"), "complete");
  EXPECT_EQ(attr_int(f.id, "complete"), 1);
  const std::size_t T = info.ticks + 1, P = sc.places.size();
  EXPECT_EQ(read_ints(f.id, "ticks_written"), (std::vector<std::int64_t>(2, std::int64_t(T))));
  for (std::size_t i = 0; i < info.indicators->size(); ++i) {
    const auto v = read_doubles(f.id, (*info.indicators)[i].name.c_str());
    for (std::uint32_t r = 0; r < 2; ++r)
      for (std::size_t p = 0; p < P; ++p) {
        const double first = v[(r * T + 0) * P + p], last = v[(r * T + T - 1) * P + p];
        const double want_first = res.first[r].at(i, p), want_last = res.last[r].at(i, p);
        // NaN where the model leaves an indicator undefined; equal bits otherwise.
        EXPECT_TRUE(first == want_first || (std::isnan(first) && std::isnan(want_first)));
        EXPECT_TRUE(last == want_last || (std::isnan(last) && std::isnan(want_last)));
      }
    for (std::size_t k = 0; k < v.size(); ++k)
      if (std::isnan(v[k])) {
        // Only model-undefined values may be NaN: the same place at every tick.
        const std::size_t p = k % P, r = k / (T * P);
        EXPECT_TRUE(std::isnan(res.first[r].at(i, p))) << (*info.indicators)[i].name;
      }
  }
}

}  // namespace
}  // namespace buurtlab
