// Replicates in flight (simulation.hpp): running several replicates at once must give bit for bit
// the frames of running them one after another, for any thread count; no more replicates may be in
// memory than chosen; the writer and the progress callback are never called concurrently; and a
// run stopped while replicates are in flight, finished out of order, leaves a file whose status
// and ticks_written say exactly what it holds.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

#include "buurtlab/output_reader.hpp"
#include "buurtlab/simulation.hpp"
#include "hand_scenario.hpp"
#include "test_model.hpp"

namespace buurtlab {
namespace {

namespace fs = std::filesystem;

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// The engine's test model, with a count of the instances alive at once, and two hooks that make
// the order in which replicates run observable and controllable from a test.
class Watched final : public Model {
 public:
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    int alive = 0;
    int max_alive = 0;
    std::vector<bool> finished;  // per replicate: its instance was destroyed
    // The first `rendezvous` instances wait (up to a timeout) until that many are alive.
    int rendezvous = 0;
    int max_wanted = 0;
    // Replicate `hold` waits at the start of tick `hold_tick` until replicate `until` finished.
    std::int64_t hold = -1, until = -1;
    Tick hold_tick = 0;
  };

  class Instance final : public ModelInstance {
   public:
    Instance(std::unique_ptr<ModelInstance> inner, Shared& s, std::uint32_t replicate)
        : inner_(std::move(inner)), s_(s), r_(replicate) {
      phases_.push_back({"hold", [this](const TickContext& c) {
                           if (std::int64_t(r_) == s_.hold && c.tick == s_.hold_tick)
                             wait_for(s_.until);
                         }});
      for (const Phase& p : inner_->phases()) phases_.push_back(p);
      std::unique_lock<std::mutex> lock(s_.mu);
      ++s_.alive;
      s_.max_alive = std::max(s_.max_alive, s_.alive);
      s_.cv.notify_all();
      if (s_.rendezvous > 0) {
        --s_.rendezvous;
        s_.cv.wait_for(lock, std::chrono::seconds(10), [&] { return s_.alive >= s_.max_wanted; });
      }
    }
    ~Instance() override {
      const std::lock_guard<std::mutex> lock(s_.mu);
      --s_.alive;
      if (r_ < s_.finished.size()) s_.finished[r_] = true;
      s_.cv.notify_all();
    }
    const std::vector<Phase>& phases() const override { return phases_; }
    void measure(const TickContext& c, IndicatorFrame& out) override { inner_->measure(c, out); }
    void set_parameters(const ParamValues& v) override { inner_->set_parameters(v); }
    void call_hook(std::string_view h, const ParamValues& a, const TickContext& c) override {
      inner_->call_hook(h, a, c);
    }
    std::vector<Population*> populations() override { return inner_->populations(); }
    std::size_t memory_bytes() const override { return inner_->memory_bytes(); }

   private:
    // A sequential run would wait for ever: the timeout lets it go on, and the test then fails on
    // what the run holds.
    void wait_for(std::int64_t other) {
      std::unique_lock<std::mutex> lock(s_.mu);
      s_.cv.wait_for(lock, std::chrono::seconds(10),
                     [&] { return other >= 0 && s_.finished.at(std::size_t(other)); });
    }
    std::unique_ptr<ModelInstance> inner_;
    Shared& s_;
    std::uint32_t r_;
    std::vector<Phase> phases_;
  };

  Watched() : inner_(testing::make_test_model()) {}
  std::string_view name() const override { return inner_->name(); }
  std::string_view description() const override { return inner_->description(); }
  const ParamSchema& parameters() const override { return inner_->parameters(); }
  const ParamSchema& place_attributes() const override { return inner_->place_attributes(); }
  const std::vector<HookDecl>& hooks() const override { return inner_->hooks(); }
  const std::vector<IndicatorDecl>& indicators() const override { return inner_->indicators(); }
  std::unique_ptr<ModelInstance> instantiate(const RunContext& rc) const override {
    return std::make_unique<Instance>(inner_->instantiate(rc), shared, rc.replicate);
  }

  // Resets the counts for a run of `replicates`.
  void reset(std::uint32_t replicates) {
    shared.alive = shared.max_alive = 0;
    shared.finished.assign(replicates, false);
    shared.rendezvous = 0;
    shared.max_wanted = 0;
    shared.hold = shared.until = -1;
  }

  mutable Shared shared;

 private:
  std::shared_ptr<const Model> inner_;
};

// Keeps every frame; fails the test if two calls overlap or a replicate's ticks come out of order.
class MemoryWriter final : public TrajectoryWriter {
 public:
  void write(std::uint32_t r, Tick tick, const IndicatorFrame& frame) override {
    Entered e(busy);
    auto& rep = frames[r];
    EXPECT_EQ(rep.size(), tick) << "replicate " << r << ": frames arrive in tick order";
    rep.push_back(frame.values());
  }
  void flush() override { Entered e(busy); }
  void finish(RunStatus s) override {
    Entered e(busy);
    status = s;
  }
  const fs::path& path() const override { return path_; }

  std::map<std::uint32_t, std::vector<std::vector<double>>> frames;
  RunStatus status = RunStatus::running;
  std::atomic<bool> busy{false};

 private:
  struct Entered {
    explicit Entered(std::atomic<bool>& b) : b_(b) {
      EXPECT_FALSE(b_.exchange(true)) << "two calls into the writer at once";
    }
    ~Entered() { b_ = false; }
    std::atomic<bool>& b_;
  };
  fs::path path_ = "memory";
};

// Four replicates of a small population (2,100 agents: three blocks, so each replicate's own loops
// run in parallel too), with births and deaths, ties, a hook and a parameter change.
Scenario small_scenario(const Model& m, std::uint32_t replicates = 4) {
  testing::HandScenario h;
  h.wijken = 1;
  h.buurten = 3;
  h.residents = 700;
  h.duration = {1, TimeUnit::year};
  h.replicates = replicates;
  Scenario sc = testing::hand_scenario(m, h);
  sc.output.flush_every = 8;
  return sc;
}

struct Run {
  RunResult result;
  MemoryWriter writer;
  int max_alive = 0;
};

std::unique_ptr<Run> run(Watched& m, const Scenario& sc, int threads, std::uint32_t in_flight) {
  m.reset(sc.replicates);
  auto out = std::make_unique<Run>();
  RunOptions opt;
  opt.threads = threads;
  opt.replicates_in_flight = in_flight;
  std::atomic<bool> in_progress{false};
  opt.progress = [&](const Progress&) {
    EXPECT_FALSE(in_progress.exchange(true)) << "two progress calls at once";
    in_progress = false;
  };
  out->result = run_simulation(m, sc, opt, &out->writer);
  out->max_alive = m.shared.max_alive;
  return out;
}

TEST(ReplicatesInFlight, GiveTheFramesOfTheSequentialRunForAnyThreadCount) {
  Watched m;
  const Scenario sc = small_scenario(m);
  const auto ref = run(m, sc, 0, 0);
  ASSERT_EQ(ref->result.status, RunStatus::complete);
  ASSERT_EQ(ref->result.replicates_in_flight, 1u) << "the serial executor runs one at a time";
  EXPECT_EQ(ref->max_alive, 1);
  ASSERT_EQ(ref->writer.frames.size(), 4u);
  // The replicates differ from one another, so mixing them up would show.
  EXPECT_FALSE(same_bits(ref->writer.frames[0].back(), ref->writer.frames[1].back()));

  struct Case {
    int threads;
    std::uint32_t in_flight;
  };
  for (const Case c : {Case{1, 0}, Case{2, 0}, Case{3, 0}, Case{2, 4}, Case{3, 2}, Case{1, 3}}) {
    SCOPED_TRACE("threads " + std::to_string(c.threads) + ", in flight " +
                 std::to_string(c.in_flight));
    const auto got = run(m, sc, c.threads, c.in_flight);
    ASSERT_EQ(got->result.status, RunStatus::complete);
    const std::uint32_t want = c.in_flight ? c.in_flight : std::uint32_t(std::min(c.threads, 4));
    EXPECT_EQ(got->result.replicates_in_flight, want);
    EXPECT_LE(got->max_alive, int(want)) << "more instances alive than replicates in flight";
    EXPECT_EQ(got->result.replicates_done, 4u);
    EXPECT_EQ(got->result.time_points, ref->result.time_points);
    ASSERT_EQ(got->writer.frames.size(), 4u);
    for (std::uint32_t r = 0; r < 4; ++r) {
      const auto& a = ref->writer.frames[r];
      const auto& b = got->writer.frames[r];
      ASSERT_EQ(a.size(), b.size()) << "replicate " << r;
      for (std::size_t t = 0; t < a.size(); ++t)
        ASSERT_TRUE(same_bits(a[t], b[t])) << "replicate " << r << " differs from tick " << t;
      EXPECT_TRUE(same_bits(got->result.first[r].values(), a.front()));
      EXPECT_TRUE(same_bits(got->result.last[r].values(), a.back()));
    }
    // Phase timings are merged in replicate order: the same names in the same order.
    ASSERT_EQ(got->result.phases.size(), ref->result.phases.size());
    for (std::size_t i = 0; i < ref->result.phases.size(); ++i)
      EXPECT_EQ(got->result.phases[i].name, ref->result.phases[i].name);
  }
}

TEST(ReplicatesInFlight, RunAtTheSameTimeButNoMoreThanChosen) {
  Watched m;
  const Scenario sc = small_scenario(m, 5);
  m.reset(sc.replicates);
  m.shared.rendezvous = 2;  // the first two instances wait until two are alive
  m.shared.max_wanted = 2;
  RunOptions opt;
  opt.threads = 2;
  opt.replicates_in_flight = 2;
  const RunResult r = run_simulation(m, sc, opt, nullptr);
  EXPECT_EQ(r.status, RunStatus::complete);
  EXPECT_EQ(m.shared.max_alive, 2) << "two replicates were never alive at the same time";

  const auto one = run(m, sc, 2, 1);
  EXPECT_EQ(one->max_alive, 1) << "in flight 1 means one after another";
}

TEST(ReplicatesInFlight, RuleFollowsThreadsAndPopulation) {
  Watched m;
  Scenario sc = small_scenario(m, 8);  // 2,100 residents: 3 blocks, too few to share out
  EXPECT_EQ(replicates_in_flight(sc, 0), 1u) << "serial";
  EXPECT_EQ(replicates_in_flight(sc, 1), 1u);
  EXPECT_EQ(replicates_in_flight(sc, 2), 2u);
  EXPECT_EQ(replicates_in_flight(sc, 16), 8u) << "never more than the replicates";
  sc.places[0].population = 100'000;  // 98 blocks keep many threads busy on their own
  EXPECT_EQ(replicates_in_flight(sc, 2), 1u);
  EXPECT_EQ(replicates_in_flight(sc, 16), 1u);
  EXPECT_EQ(replicates_in_flight(sc, 64), 3u);  // 24 threads each
  sc.places[0].population = 20'000;  // 20 blocks: about 5 threads each
  EXPECT_EQ(replicates_in_flight(sc, 16), 4u);
  sc.replicates = 1;
  EXPECT_EQ(replicates_in_flight(sc, 16), 1u);
}

// Replicate 1 completes while replicate 0 is held in tick 10; the run is stopped when replicate 1
// completes, so replicate 0 ends after tick 10 and replicates 2 and 3 never start. The file must
// say exactly that, and hold the sequential run's values for what it holds.
TEST(ReplicatesInFlight, AStoppedRunSaysExactlyWhatItsFileHolds) {
  Watched m;
  const Scenario sc = small_scenario(m);
  const Tick T = sc.ticks();
  const auto ref = run(m, sc, 0, 0);

  const fs::path dir =
      fs::temp_directory_path() / ("buurtlab_replicates_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / "stopped.h5";
  RunResult res;
  {
    const OutputInfo info = make_output_info(m, sc, 2);
    auto writer = create_hdf5_writer(path, info, true);
    m.reset(sc.replicates);
    m.shared.hold = 0;
    m.shared.hold_tick = 10;  // replicate 0 waits in tick 10, then completes it and stops
    m.shared.until = 1;
    std::atomic<bool> stop{false};
    RunOptions opt;
    opt.threads = 2;
    opt.replicates_in_flight = 2;
    opt.stop = &stop;
    opt.progress = [&](const Progress& p) {
      if (p.replicate == 1 && p.tick == p.ticks) stop = true;
    };
    res = run_simulation(m, sc, opt, writer.get());
  }
  EXPECT_EQ(res.status, RunStatus::interrupted);
  EXPECT_EQ(res.time_points, (std::vector<Tick>{11, T + 1, 0, 0}));
  EXPECT_EQ(res.replicates_done, 1u);
  EXPECT_FALSE(res.complete(0));
  EXPECT_TRUE(res.complete(1));
  EXPECT_EQ(res.first.size(), 2u) << "replicates 0 and 1 started";
  EXPECT_EQ(res.ticks_done(), 10u + T);

  const auto reader = open_output(path);
  const OutputFileInfo& f = reader->info();
  EXPECT_EQ(f.status, "interrupted");
  EXPECT_FALSE(f.complete());
  ASSERT_EQ(f.ticks_written.size(), 4u);
  for (std::uint32_t r = 0; r < 4; ++r)
    EXPECT_EQ(Tick(f.ticks_written[r]), res.time_points[r]) << "replicate " << r;
  // Every indicator at every place: the sequential run's value where written, NaN after.
  const std::size_t P = sc.places.size(), T1 = T + 1;
  for (std::size_t i = 0; i < f.indicators.size(); ++i)
    for (std::size_t p = 0; p < P; ++p) {
      const std::vector<double> v = reader->read_place(i, p);
      for (std::uint32_t r = 0; r < 4; ++r)
        for (std::size_t t = 0; t < T1; ++t) {
          const double got = v[r * T1 + t];
          if (t < res.time_points[r]) {
            const double want = ref->writer.frames[r][t][i * P + p];
            ASSERT_EQ(std::memcmp(&got, &want, sizeof got), 0)
                << "indicator " << i << " place " << p << " replicate " << r << " tick " << t;
          } else {
            ASSERT_TRUE(std::isnan(got)) << "replicate " << r << " tick " << t << " not written";
          }
        }
    }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace buurtlab
