// The output reader: it reads back what the writer wrote (description, coordinates, indicators in
// declaration order, values per place), reports incomplete files as such, and refuses files that
// are not Buurtlab output with a message naming the file and the reason.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/output.hpp"
#include "buurtlab/output_reader.hpp"
#include "buurtlab/version.hpp"
#include "output_fixture.hpp"

namespace buurtlab {
namespace {

namespace fs = std::filesystem;

// A city, a wijk and two buurten; indicators declared out of alphabetical order, so that reading
// them back in declaration order is a real check; monthly ticks from 31 January, so the time axis
// has uneven steps.
struct SmallRun : testing::OutputRun {
  explicit SmallRun(std::uint32_t replicates = 2, Tick ticks = 6)
      : OutputRun("reader",
                  {
                      {"zeta", "count", "last letter"},
                      {"alpha", "share (0-1)", "first letter"},
                      {"mid", "hours per week", "in between"},
                  },
                  ticks, replicates, 42, 500, 4, 3) {}

  void write(TrajectoryWriter& w, std::uint32_t r, Tick last) const {
    for (Tick t = 0; t <= last; ++t) w.write(r, t, frame(r, t));
  }
};

class Hdf5Reader : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* t = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("buurtlab_reader_" + std::to_string(::getpid()) + "_" + t->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Expects open_output(path) to throw InputError whose message names the file and says `why`.
  static void expect_refused(const fs::path& path, const std::string& why) {
    try {
      open_output(path);
      ADD_FAILURE() << path << " was opened";
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
      EXPECT_NE(msg.find(why), std::string::npos) << msg;
    }
  }

  fs::path dir_;
};

TEST_F(Hdf5Reader, ReadsWhatTheWriterWrote) {
  const SmallRun run;
  const fs::path path = dir_ / "run.h5";
  {
    auto w = create_hdf5_writer(path, run.info, false);
    run.write(*w, 0, 6);
    run.write(*w, 1, 6);
    w->finish(RunStatus::complete);
  }
  const auto reader = open_output(path);
  const OutputFileInfo& f = reader->info();
  EXPECT_EQ(f.path, path);
  EXPECT_EQ(f.buurtlab_version, version());
  EXPECT_EQ(f.model, "test_model");
  EXPECT_EQ(f.scenario_name, "reader");
  EXPECT_EQ(f.scenario_file, "reader.yaml");
  EXPECT_EQ(f.scenario_yaml, run.sc.resolved_yaml);
  EXPECT_EQ(f.status, "complete");
  EXPECT_TRUE(f.complete());
  EXPECT_EQ(f.seed, 42u);
  EXPECT_EQ(f.replicates, 2u);
  EXPECT_EQ(f.ticks, 6u);
  EXPECT_EQ(f.tick_length, "1 month");
  EXPECT_EQ(f.start_date, "2026-01-31");
  EXPECT_EQ(f.time, (std::vector<double>{0, 28, 59, 89, 120, 150, 181}));
  EXPECT_EQ(f.ticks_written, (std::vector<std::int32_t>{7, 7}));
  EXPECT_EQ(f.replicate_seeds, (std::vector<std::uint64_t>{500, 501}));
  EXPECT_EQ(f.spin_up, "none");
  EXPECT_EQ(f.spin_up_ticks, 0u);
  EXPECT_EQ(f.spin_up_check, "none");

  ASSERT_EQ(f.places.size(), 4u);
  EXPECT_EQ(f.places[0].code, "GM0363");
  EXPECT_EQ(f.places[0].level, "city");
  EXPECT_EQ(f.places[0].parent, -1);
  EXPECT_EQ(f.places[3].name, "Grachtengordel – Zuid");
  EXPECT_EQ(f.places[3].level, "buurt");
  EXPECT_EQ(f.places[3].parent, 1);
  EXPECT_EQ(f.places[3].population, 20);
  EXPECT_EQ(f.place_index("BU03630101"), 2u);
  EXPECT_FALSE(f.place_index("nowhere"));

  // Coordinates such as place_code and ticks_written are not indicators.
  ASSERT_EQ(f.indicators.size(), 3u);
  EXPECT_EQ(f.indicators[0].name, "zeta");
  EXPECT_EQ(f.indicators[1].name, "alpha");
  EXPECT_EQ(f.indicators[2].name, "mid");
  EXPECT_EQ(f.indicators[1].units, "share (0-1)");
  EXPECT_EQ(f.indicators[2].description, "in between");
  EXPECT_EQ(f.indicator_index("mid"), 2u);
  EXPECT_FALSE(f.indicator_index("place_code"));

  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t p = 0; p < 4; ++p) {
      const auto v = reader->read_place(i, p);
      ASSERT_EQ(v.size(), 2u * 7u);
      for (std::uint32_t r = 0; r < 2; ++r)
        for (Tick t = 0; t <= 6; ++t)
          ASSERT_EQ(v[r * 7 + t], SmallRun::value(i, r, t, p))
              << i << " " << p << " " << r << " " << t;
    }
  EXPECT_THROW(reader->read_place(3, 0), std::out_of_range);
  EXPECT_THROW(reader->read_place(0, 4), std::out_of_range);
}

TEST_F(Hdf5Reader, ReadsTheSpinUp) {
  SmallRun run(2, 6);
  run.sc.spin_up = Period{1, TimeUnit::year};
  run.info.spin_up_ticks = 12;
  run.info.settle_window = 6;
  run.info.settle_indicators = {"alpha", "mid"};
  const fs::path path = dir_ / "spun.h5";
  {
    auto w = create_hdf5_writer(path, run.info, false);
    SpinUpCheck c;
    c.done = true;
    c.window = 6;
    c.indicators = {{"alpha", 0.2, 0.3, 0.5, 0.01, true, false}, {"mid", 4, 4, 0, 0, true, true}};
    w->spin_up_checked(1, c);
    run.write(*w, 1, 6);
    w->finish(RunStatus::interrupted);
  }
  const auto reader = open_output(path);
  const OutputFileInfo& f = reader->info();
  EXPECT_EQ(f.spin_up, "1 year");
  EXPECT_EQ(f.spin_up_ticks, 12u);
  EXPECT_EQ(f.spin_up_check, "drifting");
  EXPECT_EQ(f.spin_up_drifting, "alpha");
  EXPECT_EQ(f.ticks, 6u) << "the spin-up is not on the time axis";
}

TEST_F(Hdf5Reader, ReadsAnIncompleteFile) {
  const SmallRun run(3);
  const fs::path path = dir_ / "killed.h5";
  {
    // Destroyed without finish(): what a crashed run leaves (the status stays "running").
    auto w = create_hdf5_writer(path, run.info, false);
    run.write(*w, 0, 6);
    run.write(*w, 1, 2);
  }
  const auto reader = open_output(path);
  const OutputFileInfo& f = reader->info();
  EXPECT_EQ(f.status, "running");
  EXPECT_FALSE(f.complete());
  EXPECT_EQ(f.ticks_written, (std::vector<std::int32_t>{7, 3, 0}));
  const auto v = reader->read_place(1, 2);
  EXPECT_EQ(v[0 * 7 + 6], SmallRun::value(1, 0, 6, 2));
  EXPECT_EQ(v[1 * 7 + 2], SmallRun::value(1, 1, 2, 2));
  EXPECT_TRUE(std::isnan(v[1 * 7 + 3]));
  EXPECT_TRUE(std::isnan(v[2 * 7 + 0]));
}

TEST_F(Hdf5Reader, RefusesWhatIsNotBuurtlabOutput) {
  expect_refused(dir_ / "missing.h5", "no such file");
  expect_refused(dir_, "is a folder");

  const fs::path text = dir_ / "notes.h5";
  std::ofstream(text) << "not an HDF5 file\n";
  expect_refused(text, "not an HDF5 file");

  // An HDF5 file from elsewhere: no buurtlab_version attribute.
  const fs::path other = dir_ / "other.h5";
  {
    const hid_t f = H5Fcreate(other.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    const hsize_t n = 3;
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t d =
        H5Dcreate2(f, "data", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(d);
    H5Sclose(space);
    H5Fclose(f);
  }
  expect_refused(other, "no buurtlab_version attribute");

  // Claims to be Buurtlab output but lacks the rest of the layout.
  const fs::path partial = dir_ / "partial.h5";
  {
    const hid_t f = H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    const hid_t space = H5Screate(H5S_SCALAR);
    const char* value = "0.1.0";
    const hid_t a = H5Acreate2(f, "buurtlab_version", type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, type, &value);
    H5Aclose(a);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(f);
  }
  expect_refused(partial, "not a complete Buurtlab output file");
}

// A damaged copy of a real output file: refused when opened, or when read, always as an
// InputError naming the file; never a crash, a hang or another exception.
TEST_F(Hdf5Reader, RefusesTruncatedFilesAtEveryLength) {
  const SmallRun run;
  const fs::path path = dir_ / "run.h5";
  {
    auto w = create_hdf5_writer(path, run.info, false);
    run.write(*w, 0, 6);
    run.write(*w, 1, 6);
    w->finish(RunStatus::complete);
  }
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::size_t n = bytes.size();
  ASSERT_GT(n, 4096u);
  // The header alone, the first KiB, every sixteenth of the file, and the last byte removed.
  std::vector<std::size_t> cuts = {0, 1, 8, 100, 512, 1024, 2048, n - 512, n - 64, n - 1};
  for (std::size_t k = 1; k < 16; ++k) cuts.push_back(n * k / 16);
  const fs::path cut = dir_ / "cut.h5";
  for (std::size_t c : cuts) {
    SCOPED_TRACE("cut at " + std::to_string(c) + " of " + std::to_string(n) + " bytes");
    std::ofstream(cut, std::ios::binary | std::ios::trunc).write(bytes.data(), std::streamsize(c));
    // Cut inside the superblock (96 bytes), HDF5 cannot tell how long the file should be; from
    // there on it can, and the message says so.
    if (c < 8) expect_refused(cut, "not an HDF5 file");
    else if (c < 96) expect_refused(cut, "cannot open it");
    else expect_refused(cut, "truncated: the file has " + std::to_string(c) + " bytes of the " +
                                 std::to_string(n) + " its header records");
  }
}

TEST_F(Hdf5Reader, RefusesRandomBytesAndDamagedData) {
  const fs::path noise = dir_ / "noise.h5";
  {
    std::ofstream out(noise, std::ios::binary);
    std::uint64_t x = 88172645463325252ull;  // xorshift: the same bytes every time
    for (int i = 0; i < 64 * 1024; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      out.put(static_cast<char>(x & 0xff));
    }
  }
  expect_refused(noise, "not an HDF5 file");

  // Random bytes over the second half of a real file (indicator chunks, their indexes): opening
  // or reading fails with an InputError, or the values read are what the bytes now say. Either is
  // fine; what must not happen is a crash or a different exception.
  const SmallRun run(3, 60);
  const fs::path path = dir_ / "run.h5";
  {
    auto w = create_hdf5_writer(path, run.info, false);
    for (std::uint32_t r = 0; r < 3; ++r) run.write(*w, r, 60);
    w->finish(RunStatus::complete);
  }
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::uint64_t x = 2463534242ull;
  for (int k = 0; k < 24; ++k) {
    std::string damaged = bytes;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    const std::size_t at = bytes.size() / 2 + x % (bytes.size() / 2);
    for (std::size_t i = at; i < std::min(bytes.size(), at + 64); ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      damaged[i] = static_cast<char>(x & 0xff);
    }
    const fs::path bad = dir_ / "damaged.h5";
    std::ofstream(bad, std::ios::binary | std::ios::trunc) << damaged;
    SCOPED_TRACE("64 random bytes at " + std::to_string(at));
    try {
      const auto reader = open_output(bad);
      for (std::size_t i = 0; i < reader->info().indicators.size(); ++i)
        for (std::size_t p = 0; p < reader->info().places.size(); ++p) reader->read_place(i, p);
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(bad.string()), std::string::npos) << e.what();
    }
  }
}

// Found by fuzzing (tools/fuzz.sh): a real output file whose global heap is damaged so that
// reading place_name fails after some of its strings were read. The reader refuses it, and frees
// the strings it had (they leaked, which the sanitizer build reports as a failure). Opened three
// times: HDF5 keeps the conversion buffer that points at leaked strings for reuse, so a leak of
// the first open becomes visible to the leak checker only once a later read overwrites it.
TEST_F(Hdf5Reader, RefusesADamagedStringHeapWithoutLeaking) {
  const fs::path path = fs::path(BUURTLAB_SOURCE_DIR) / "tests/data/output/damaged_string_heap.h5";
  ASSERT_TRUE(fs::exists(path));
  for (int i = 0; i < 3; ++i) {
    std::string message;
    try {
      open_output(path);
      ADD_FAILURE() << path << " was opened";
    } catch (const InputError& e) {
      message = e.what();
    } catch (const RunError& e) {
      message = e.what();
    }
    EXPECT_NE(message.find("damaged_string_heap.h5"), std::string::npos) << message;
    EXPECT_NE(message.find("place_name"), std::string::npos) << message;
  }
}

TEST_F(Hdf5Reader, RefusesFilesThatClaimMoreThanARunWrites) {
  // Datasets may be declared larger than the file (unwritten chunks take no space): a file of a
  // few KiB could otherwise ask for terabytes when read.
  const SmallRun run;
  const fs::path path = dir_ / "huge.h5";
  {
    auto w = create_hdf5_writer(path, run.info, false);
    run.write(*w, 0, 6);
    w->finish(RunStatus::complete);
  }
  {
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    const hid_t a = H5Aopen(f, "replicates", H5P_DEFAULT);
    const std::int64_t huge = 2'000'000'000;
    ASSERT_GE(H5Awrite(a, H5T_NATIVE_INT64, &huge), 0);
    H5Aclose(a);
    H5Fclose(f);
  }
  expect_refused(path, "claims 6 ticks and 2000000000 replicates, more than a run can write");
}

}  // namespace
}  // namespace buurtlab
