// The lab's runs: a request from the page (a card, its lever values, replicates and seed) becomes
// two runs, the card's baseline and the card's scenario with the levers set, on the same seeds.
// Each run goes through the engine as `buurtlab run` does, writes the same HDF5 file into the
// lab's output folder and keeps its values in memory; the page follows it as a stream of
// server-sent events. No HTTP here: server.cpp maps requests onto this class, and the tests can
// drive it directly.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "buurtlab/memory_output.hpp"
#include "buurtlab/model.hpp"
#include "buurtlab/scenario.hpp"
#include "buurtlab/scenario_loader.hpp"
#include "cards.hpp"

namespace buurtlab::lab {

struct LabOptions {
  std::filesystem::path output_dir;
  std::uint32_t max_replicates = 10;
  std::uint64_t max_residents = 20000;  // a run's residents (a scenario's places), at most
  std::uint32_t max_runs = 1;           // runs in progress at once
  int threads = 0;                      // worker threads per run; 0: the serial executor
};

// One of a run's two halves: the baseline or the scenario with the levers.
struct Series {
  std::string id;  // "baseline" or "scenario"
  Scenario scenario;
  std::vector<Override> overrides;  // what `buurtlab run` needs to repeat it
  std::string command;              // that command line
  std::filesystem::path file;
  std::shared_ptr<MemoryTrajectories> values;  // set once the run starts (or from the cache)
  RunStatus status = RunStatus::running;
  bool cached = false;  // the values came from an earlier, identical baseline run
};

class LabRun {
 public:
  LabRun(std::string id, const Card& card, std::vector<Series> series);
  ~LabRun();
  LabRun(const LabRun&) = delete;
  LabRun& operator=(const LabRun&) = delete;

  const std::string& id() const { return id_; }
  const Card& card() const { return card_; }

  // The events of the stream from number `next` on, waiting up to `wait` when there are none yet.
  // Returns true when the stream is over: nothing more will come after what `out` now holds.
  bool events(std::size_t next, std::vector<std::string>& out, std::chrono::milliseconds wait);
  // The run's state as JSON: state, message, files, the summary once both series are complete.
  std::string status_json();
  void request_stop() { stop_ = true; }
  bool finished();
  // The file of series "baseline" or "scenario" once it is closed; empty otherwise.
  std::filesystem::path file(const std::string& series);

 private:
  friend class Lab;
  void emit(const std::string& event, const std::string& data);
  std::string meta_json() const;
  std::string summary_json() const;

  std::string id_;
  const Card& card_;
  std::vector<Series> series_;
  std::vector<std::size_t> watch_;  // model indicator indices of card.watch
  std::atomic<bool> stop_{false};
  std::mutex m_;
  std::condition_variable cv_;
  std::vector<std::string> events_;
  bool finished_ = false;
  std::string state_ = "running", message_;
  std::thread thread_;
};

class Lab {
 public:
  Lab(const ModelRegistry& models, LabOptions options);
  ~Lab();  // stops every run and waits for it

  // Everything the page needs to draw its controls: cards with levers and their default values,
  // the limits, the version.
  std::string info_json() const;

  // Starts a run from the page's form fields: card, replicates, seed, lever.ID for each lever.
  // Returns the HTTP status and a JSON body: 202 {"id"}, 400 {"errors": [...]} for bad input
  // (every problem, each naming the field, the value and what was expected), 429 when the limit
  // of runs in progress is reached.
  struct Reply {
    int status;
    std::string body;
  };
  Reply start(const std::multimap<std::string, std::string>& fields);

  std::shared_ptr<LabRun> find(const std::string& id);
  void stop_all();
  const LabOptions& options() const { return options_; }

 private:
  void execute(LabRun& run);
  void run_series(LabRun& run, Series& s);
  std::string next_id();

  const ModelRegistry& models_;
  const Model* model_;
  LabOptions options_;
  std::mutex m_;
  std::map<std::string, std::shared_ptr<LabRun>> runs_;
  // Complete baseline runs by (scenario, replicates, seed): a workshop moves one lever many
  // times against the same baseline, which then runs once.
  std::map<std::string, Series> baselines_;
  std::uint64_t counter_ = 0;
};

}  // namespace buurtlab::lab
