#include "runs.hpp"

#include <algorithm>
#include <cmath>
#include <system_error>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/output.hpp"
#include "buurtlab/simulation.hpp"
#include "buurtlab/version.hpp"
#include "stats.hpp"
#include "text.hpp"

namespace fs = std::filesystem;

namespace buurtlab::lab {

namespace {

using text::json_string;

std::string json_number(double x) { return std::isfinite(x) ? text::exact(x) : "null"; }

// Debian's HDF5 library is not built thread-safe, so two runs in progress at once (max_runs > 1)
// must not call it at the same time: every call into a file goes through this lock.
std::mutex& hdf5_lock() {
  static std::mutex m;
  return m;
}

class LockedWriter : public TrajectoryWriter {
 public:
  LockedWriter(const fs::path& path, const OutputInfo& info) {
    std::lock_guard lock(hdf5_lock());
    w_ = create_hdf5_writer(path, info, /*overwrite=*/false);
  }
  ~LockedWriter() override {
    std::lock_guard lock(hdf5_lock());
    w_.reset();
  }
  void write(std::uint32_t r, Tick t, const IndicatorFrame& f) override {
    std::lock_guard lock(hdf5_lock());
    w_->write(r, t, f);
  }
  void spin_up_checked(std::uint32_t r, const SpinUpCheck& c) override {
    std::lock_guard lock(hdf5_lock());
    w_->spin_up_checked(r, c);
  }
  void flush() override {
    std::lock_guard lock(hdf5_lock());
    w_->flush();
  }
  void finish(RunStatus s) override {
    std::lock_guard lock(hdf5_lock());
    w_->finish(s);
  }
  const fs::path& path() const override { return w_->path(); }

 private:
  std::unique_ptr<TrajectoryWriter> w_;
};

std::int64_t residents(const Scenario& sc) {
  std::int64_t n = 0;
  for (const PlaceSpec& p : sc.places)
    if (p.level == PlaceLevel::buurt) n += p.population;
  return n;
}

std::string command_line(const std::string& scenario, const std::vector<Override>& overrides,
                         const fs::path& file) {
  std::string s = "buurtlab run " + scenario;
  for (const Override& o : overrides) {
    if (o.key == "replicates") s += " --replicates " + o.value;
    else if (o.key == "seed") s += " --seed " + o.value;
    else s += " --set " + o.key + "=" + o.value;
  }
  return s + " -o " + file.filename().string();
}

// Ticks per frames event: a quarter of a year of weekly ticks keeps the page's chart growing
// smoothly without an event per tick.
constexpr Tick kTicksPerEvent = 13;

// Replicates of a run unless the page asks otherwise: the workshop guide's five, enough for the
// bands and short enough to run in front of a group.
constexpr std::uint32_t kDefaultReplicates = 5;

// Runs the lab remembers (their streams and values); older ones are forgotten once finished.
constexpr std::size_t kRunsKept = 20;

}  // namespace

// ---------------------------------------------------------------------------------------------

LabRun::LabRun(std::string id, const Card& card, std::vector<Series> series)
    : id_(std::move(id)), card_(card), series_(std::move(series)) {}

LabRun::~LabRun() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void LabRun::emit(const std::string& event, const std::string& data) {
  {
    std::lock_guard lock(m_);
    events_.push_back("event: " + event + "\ndata: " + data + "\n\n");
  }
  cv_.notify_all();
}

bool LabRun::events(std::size_t next, std::vector<std::string>& out,
                    std::chrono::milliseconds wait) {
  std::unique_lock lock(m_);
  cv_.wait_for(lock, wait, [&] { return events_.size() > next || finished_; });
  for (std::size_t i = next; i < events_.size(); ++i) out.push_back(events_[i]);
  return finished_;
}

bool LabRun::finished() {
  std::lock_guard lock(m_);
  return finished_;
}

fs::path LabRun::file(const std::string& series) {
  std::lock_guard lock(m_);
  for (const Series& s : series_)
    if (s.id == series && s.status != RunStatus::running) return s.file;
  return {};
}

std::string LabRun::meta_json() const {
  const Series& s = series_.back();
  const Scenario& sc = s.scenario;
  std::string j = "{\"id\":" + json_string(id_) + ",\"card\":" + json_string(card_.id);
  j += ",\"replicates\":" + std::to_string(sc.replicates) + ",\"seed\":" + std::to_string(sc.seed);
  j += ",\"place\":" + json_string(card_.place.empty() ? sc.places.front().code : card_.place);
  j += ",\"series\":[";
  for (std::size_t k = 0; k < series_.size(); ++k)
    j += std::string(k ? "," : "") + "{\"id\":" + json_string(series_[k].id) +
         ",\"scenario\":" + json_string(series_[k].scenario.name) +
         ",\"command\":" + json_string(series_[k].command) +
         ",\"cached\":" + (series_[k].cached ? "true" : "false") + "}";
  j += "],\"indicators\":[";
  for (std::size_t k = 0; k < card_.watch.size(); ++k) j += (k ? "," : "") + json_string(card_.watch[k]);
  j += "],\"places\":[";
  for (std::size_t p = 0; p < sc.places.size(); ++p)
    j += std::string(p ? "," : "") + "{\"code\":" + json_string(sc.places[p].code) +
         ",\"name\":" + json_string(sc.places[p].name) +
         ",\"level\":" + json_string(to_string(sc.places[p].level)) + "}";
  j += "],\"dates\":[";
  const Clock clock = sc.clock();
  for (Tick t = 0; t <= sc.ticks(); ++t) j += (t ? ",\"" : "\"") + clock.date_of(t).iso() + "\"";
  // Where the levers start: the scenario's timeline events inside the run.
  j += "],\"events\":[";
  bool first = true;
  for (const TimelineEvent& e : sc.timeline) {
    if (e.at < sc.start || clock.date_of(sc.ticks()) < e.at) continue;
    j += std::string(first ? "" : ",") + "{\"label\":" + json_string(e.label) +
         ",\"date\":\"" + e.at.iso() + "\"}";
    first = false;
  }
  return j + "]}";
}

// Per watched indicator and place: each series' end value (mean over replicates of the last time
// point) and mean over the run (mean over replicates of each replicate's mean over all time
// points), and the scenario minus the baseline for both, paired by replicate (the two series
// share their seeds) with a 95% interval, as `buurtlab compare` computes it.
std::string LabRun::summary_json() const {
  const Series& base = series_.front();
  const Series& scen = series_.back();
  const std::size_t R = scen.scenario.replicates;
  const std::size_t T = scen.values->time_points();
  const auto per_replicate = [&](const Series& s, std::size_t ind, std::size_t p, bool end) {
    std::vector<double> v(R);
    std::vector<double> series(T);
    for (std::uint32_t r = 0; r < R; ++r) {
      if (end) {
        v[r] = s.values->at(r, T - 1, ind, p);
      } else {
        for (std::size_t t = 0; t < T; ++t) series[t] = s.values->at(r, t, ind, p);
        v[r] = stats::nan_mean(series.data(), series.data() + T);
      }
    }
    return v;
  };
  const auto mean = [](const std::vector<double>& v) { return stats::describe(v).mean; };
  std::string j = "{";
  for (std::size_t k = 0; k < watch_.size(); ++k) {
    j += (k ? "," : "") + json_string(card_.watch[k]) + ":{";
    for (std::size_t p = 0; p < scen.scenario.places.size(); ++p) {
      j += (p ? "," : "") + json_string(scen.scenario.places[p].code) + ":{";
      bool first = true;
      for (const bool end : {true, false}) {
        const auto a = per_replicate(base, watch_[k], p, end);
        const auto b = per_replicate(scen, watch_[k], p, end);
        const stats::Difference d = stats::paired(a, b);
        j += std::string(first ? "" : ",") + (end ? "\"end\"" : "\"run\"") +
             ":{\"baseline\":" + json_number(mean(a)) + ",\"scenario\":" + json_number(mean(b)) +
             ",\"difference\":" + json_number(d.value) + ",\"low\":" + json_number(d.ci.low) +
             ",\"high\":" + json_number(d.ci.high) + "}";
        first = false;
      }
      j += "}";
    }
    j += "}";
  }
  return j + "}";
}

std::string LabRun::status_json() {
  std::lock_guard lock(m_);
  std::string j = "{\"id\":" + json_string(id_) + ",\"card\":" + json_string(card_.id) +
                  ",\"state\":" + json_string(state_) + ",\"message\":" + json_string(message_) +
                  ",\"series\":[";
  for (std::size_t k = 0; k < series_.size(); ++k)
    j += std::string(k ? "," : "") + "{\"id\":" + json_string(series_[k].id) +
         ",\"status\":" + json_string(to_string(series_[k].status)) +
         ",\"file\":" + json_string(series_[k].file.filename().string()) +
         ",\"command\":" + json_string(series_[k].command) + "}";
  return j + "]}";
}

// ---------------------------------------------------------------------------------------------

Lab::Lab(const ModelRegistry& models, LabOptions options)
    : models_(models), model_(models.find("neighbourhood")), options_(std::move(options)) {
  if (!model_) throw RunError("the lab needs the neighbourhood model, which is not built in");
  std::error_code ec;
  fs::create_directories(options_.output_dir, ec);
  if (ec || !fs::is_directory(options_.output_dir))
    throw InputError("--output-dir " + options_.output_dir.string() +
                     ": cannot create the folder: " + ec.message());
  // Continue the numbering of an earlier session's files, so none is ever replaced.
  for (const auto& entry : fs::directory_iterator(options_.output_dir, ec)) {
    const std::string name = entry.path().filename().string();
    std::uint64_t n = 0;
    std::size_t i = 0;
    while (i < name.size() && i < 9 && std::isdigit(static_cast<unsigned char>(name[i])))
      n = n * 10 + std::uint64_t(name[i++] - '0');
    if (i > 0 && i < name.size() && name[i] == '-') counter_ = std::max(counter_, n);
  }
  // The cards must fit the model: a lever key the scenario loader does not know, or an indicator
  // the model does not measure, is a defect of this build, found here rather than in a workshop.
  for (const Card& c : cards()) {
    for (const std::string& w : c.watch)
      if (!model_->indicator_index(w))
        throw RunError("lab card " + c.id + ": no indicator " + w);
    std::vector<Override> o;
    for (const Lever& l : c.levers) {
      const LeverValue v = lever_override(l, l.fallback);
      if (!v.set) throw RunError("lab card " + c.id + ": " + v.error);
      o.push_back(*v.set);
    }
    load_scenario(c.scenario, models_, o);  // throws InputError naming the key
  }
}

Lab::~Lab() {
  stop_all();
  std::map<std::string, std::shared_ptr<LabRun>> runs;
  {
    std::lock_guard lock(m_);
    runs.swap(runs_);
  }
  runs.clear();  // joins each run's thread
}

void Lab::stop_all() {
  std::lock_guard lock(m_);
  for (auto& [id, r] : runs_) r->request_stop();
}

std::shared_ptr<LabRun> Lab::find(const std::string& id) {
  std::lock_guard lock(m_);
  const auto it = runs_.find(id);
  return it == runs_.end() ? nullptr : it->second;
}

std::string Lab::next_id() {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04llu", static_cast<unsigned long long>(++counter_));
  return buf;
}

std::string Lab::info_json() const {
  std::string j = "{\"version\":" + json_string(version()) +
                  ",\"limits\":{\"max_replicates\":" + std::to_string(options_.max_replicates) +
                  ",\"max_residents\":" + std::to_string(options_.max_residents) +
                  ",\"max_runs\":" + std::to_string(options_.max_runs) +
                  "},\"output_dir\":" + json_string(options_.output_dir.string()) + ",\"cards\":[";
  bool first_card = true;
  for (const Card& c : cards()) {
    const Scenario sc = load_scenario(c.scenario, models_);
    const std::vector<Override> values = scenario_values(sc.resolved_yaml, c.scenario);
    j += std::string(first_card ? "" : ",") + "{\"id\":" + json_string(c.id) +
         ",\"scenario\":" + json_string(c.scenario) + ",\"baseline\":" + json_string(c.baseline) +
         ",\"replicates\":" + std::to_string(std::min(kDefaultReplicates, options_.max_replicates)) +
         ",\"seed\":" + std::to_string(sc.seed) +
         ",\"place\":" + json_string(c.place.empty() ? sc.places.front().code : c.place) +
         ",\"watch\":[";
    first_card = false;
    for (std::size_t k = 0; k < c.watch.size(); ++k) j += (k ? "," : "") + json_string(c.watch[k]);
    j += "],\"levers\":[";
    for (std::size_t k = 0; k < c.levers.size(); ++k) {
      const Lever& l = c.levers[k];
      j += std::string(k ? "," : "") + "{\"id\":" + json_string(l.id) + ",\"key\":" +
           json_string(l.key) + ",\"kind\":" + json_string(to_string(l.kind)) +
           ",\"min\":" + json_number(l.min) + ",\"max\":" + json_number(l.max) +
           ",\"step\":" + json_number(l.step) + ",\"choices\":[";
      for (std::size_t i = 0; i < l.choices.size(); ++i)
        j += (i ? "," : "") + json_string(l.choices[i]);
      j += "],\"value\":" + json_string(lever_default(l, values)) + "}";
    }
    j += "]}";
  }
  // Indicators: units and the model's own description, for axes and tooltips.
  j += "],\"indicators\":{";
  const auto& decls = model_->indicators();
  for (std::size_t k = 0; k < decls.size(); ++k)
    j += (k ? "," : "") + json_string(decls[k].name) + ":{\"unit\":" + json_string(decls[k].unit) +
         ",\"description\":" + json_string(decls[k].description) + "}";
  return j + "}}";
}

Lab::Reply Lab::start(const std::multimap<std::string, std::string>& fields) {
  std::vector<std::string> errors;
  std::map<std::string, std::string> f;
  for (const auto& [k, v] : fields) {
    if (f.count(k)) errors.push_back(k + ": given more than once");
    f[k] = v;
  }
  const auto reply_errors = [&](int status) {
    std::string j = "{\"errors\":[";
    for (std::size_t k = 0; k < errors.size(); ++k) j += (k ? "," : "") + json_string(errors[k]);
    return Reply{status, j + "]}"};
  };
  const Card* card = f.count("card") ? find_card(f["card"]) : nullptr;
  if (!card) {
    std::string list;
    for (const Card& c : cards()) list += (list.empty() ? "" : ", ") + c.id;
    errors.push_back("card: '" + (f.count("card") ? f["card"] : std::string()) +
                     "' is not a card; expected one of " + list);
    return reply_errors(400);
  }
  std::vector<Override> overrides;
  for (const auto& [k, v] : f) {
    if (k == "card" || k == "replicates" || k == "seed") continue;
    const Lever* lever = nullptr;
    for (const Lever& l : card->levers)
      if (k == "lever." + l.id) lever = &l;
    if (!lever) {
      errors.push_back(k + ": not a lever of card " + card->id);
      continue;
    }
    const LeverValue lv = lever_override(*lever, v);
    if (lv.set) overrides.push_back(*lv.set);
    else errors.push_back(lv.error);
  }
  std::vector<Override> common;
  const auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (f.count("replicates")) {
    const std::string& v = f["replicates"];
    if (!digits(v) || std::stoull(v) < 1 || std::stoull(v) > options_.max_replicates)
      errors.push_back("replicates: '" + v + "' is not a whole number from 1 to " +
                       std::to_string(options_.max_replicates));
    else common.push_back({"replicates", v});
  } else {
    common.push_back(
        {"replicates", std::to_string(std::min(kDefaultReplicates, options_.max_replicates))});
  }
  if (f.count("seed")) {
    if (!digits(f["seed"])) errors.push_back("seed: '" + f["seed"] + "' is not a whole number");
    else common.push_back({"seed", f["seed"]});
  }
  if (!errors.empty()) return reply_errors(400);

  std::vector<Override> scen_over = overrides;
  scen_over.insert(scen_over.end(), common.begin(), common.end());
  Series base, scen;
  base.id = "baseline";
  scen.id = "scenario";
  try {
    scen.scenario = load_scenario(card->scenario, models_, scen_over);
    base.scenario = load_scenario(card->baseline, models_, common);
  } catch (const InputError& e) {
    std::string msg = e.what();
    std::size_t start = 0;
    while (start < msg.size()) {  // one message per line, as the command line prints them
      const std::size_t end = msg.find('\n', start);
      const std::string line = msg.substr(start, end - start);
      if (!line.empty()) errors.push_back(line);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return reply_errors(400);
  }
  for (const Series* s : {&base, &scen})
    if (residents(s->scenario) > std::int64_t(options_.max_residents))
      errors.push_back(s->scenario.name + ": " + std::to_string(residents(s->scenario)) +
                       " residents, more than the lab's limit of " +
                       std::to_string(options_.max_residents) + " (--max-residents)");
  if (!errors.empty()) return reply_errors(413);
  base.overrides = common;
  scen.overrides = scen_over;

  std::lock_guard lock(m_);
  std::uint32_t busy = 0;
  for (const auto& [id, r] : runs_)
    if (!r->finished()) ++busy;
  if (busy >= options_.max_runs) {
    errors.push_back("a run is in progress (the lab runs at most " +
                     std::to_string(options_.max_runs) +
                     " at a time, --max-runs): stop it or wait until it is done");
    return reply_errors(429);
  }
  // A workshop makes dozens of runs; the page needs only the latest. Older finished runs are
  // forgotten (their files stay in the output folder), so memory does not grow all day.
  while (runs_.size() >= kRunsKept) {
    const auto oldest = std::find_if(runs_.begin(), runs_.end(),
                                     [](const auto& kv) { return kv.second->finished(); });
    if (oldest == runs_.end()) break;
    runs_.erase(oldest);
  }
  const std::string id = next_id();
  scen.file = options_.output_dir / (id + "-" + card->id + ".h5");
  const std::string key = card->baseline + "|" + std::to_string(base.scenario.replicates) + "|" +
                          std::to_string(base.scenario.seed);
  if (const auto it = baselines_.find(key); it != baselines_.end()) {
    base = it->second;
    base.cached = true;
  } else {
    base.file = options_.output_dir / (id + "-" + card->id + "-baseline.h5");
  }
  base.command = command_line(card->baseline, base.overrides, base.file);
  scen.command = command_line(card->scenario, scen.overrides, scen.file);
  std::vector<Series> series;
  series.push_back(std::move(base));
  series.push_back(std::move(scen));
  auto run = std::make_shared<LabRun>(id, *card, std::move(series));
  for (const std::string& w : card->watch) run->watch_.push_back(*model_->indicator_index(w));
  runs_[id] = run;
  run->thread_ = std::thread([this, r = run.get()] { execute(*r); });
  return {202, "{\"id\":" + json_string(id) + "}"};
}

void Lab::run_series(LabRun& run, Series& s) {
  const Scenario& sc = s.scenario;
  const std::size_t places = sc.places.size();
  const Tick T = sc.ticks();
  // Frames arrive per replicate in tick order (replicates may interleave); each replicate's
  // watched values are gathered and sent every kTicksPerEvent ticks.
  struct Pending {
    Tick from = 0;
    std::string rows;
    Tick count = 0;
  };
  std::vector<Pending> pending(sc.replicates);
  const auto send = [&](std::uint32_t r) {
    Pending& p = pending[r];
    if (p.count == 0) return;
    run.emit("frames", "{\"series\":" + text::json_string(s.id) + ",\"replicate\":" +
                           std::to_string(r) + ",\"from\":" + std::to_string(p.from) +
                           ",\"rows\":[" + p.rows + "]}");
    p = Pending{};
  };
  const auto add = [&](std::uint32_t r, Tick t, const auto& value_at) {
    Pending& p = pending[r];
    if (p.count == 0) p.from = t;
    std::string row = "[";
    for (std::size_t k = 0; k < run.watch_.size(); ++k)
      for (std::size_t q = 0; q < places; ++q)
        row += (k + q ? "," : "") + json_number(value_at(run.watch_[k], q));
    p.rows += (p.count ? "," : "") + row + "]";
    ++p.count;
    if (p.count == kTicksPerEvent || t == T) send(r);
  };

  if (s.cached) {
    for (std::uint32_t r = 0; r < sc.replicates; ++r)
      for (Tick t = 0; t <= T; ++t)
        add(r, t, [&](std::size_t i, std::size_t q) { return s.values->at(r, t, i, q); });
    return;
  }

  const OutputInfo info = make_output_info(*model_, sc, options_.threads);
  RunResult res;
  {
  LockedWriter file(s.file, info);
  s.values = std::make_shared<MemoryTrajectories>(
      info, places, &file, [&](std::uint32_t r, Tick t, const IndicatorFrame& f) {
        add(r, t, [&](std::size_t i, std::size_t q) { return f.at(i, q); });
      });
  RunOptions opt;
  opt.threads = options_.threads;
  opt.stop = &run.stop_;
  // Progress a few times a second: the spin-up writes no frames, and the page should show that
  // something is happening.
  auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  opt.progress = [&](const Progress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last < std::chrono::milliseconds(250)) return;
    last = now;
    const double total = double(p.replicates) * double(p.spin_up_ticks + p.ticks);
    run.emit("progress", "{\"series\":" + text::json_string(s.id) + ",\"done\":" +
                             json_number(total > 0 ? double(p.ticks_done) / total : 1.0) +
                             ",\"spin_up\":" + (p.spin_up ? "true" : "false") + "}");
  };
  res = run_simulation(*model_, sc, opt, s.values.get());
  for (std::uint32_t r = 0; r < sc.replicates; ++r) send(r);
  }  // the file is closed before the page may download it
  std::lock_guard lock(run.m_);
  s.status = res.status;
}

void Lab::execute(LabRun& run) {
  std::string state = "complete", message;
  try {
    run.emit("meta", run.meta_json());
    for (Series& s : run.series_) {
      if (run.stop_) break;
      run_series(run, s);
      if (s.status != RunStatus::complete) break;
      if (s.id == "baseline" && !s.cached) {
        std::lock_guard lock(m_);
        const std::string key = run.card_.baseline + "|" +
                                std::to_string(s.scenario.replicates) + "|" +
                                std::to_string(s.scenario.seed);
        baselines_.emplace(key, s);
      }
    }
    const Series& scen = run.series_.back();
    if (scen.status == RunStatus::complete && run.series_.front().status == RunStatus::complete)
      run.emit("summary", run.summary_json());
    else {
      state = run.stop_ ? "interrupted" : "failed";
      message = run.stop_ ? "" : "the run did not complete";
    }
  } catch (const std::exception& e) {
    state = "failed";
    message = e.what();
  }
  {
    std::lock_guard lock(run.m_);
    for (Series& s : run.series_)
      if (s.status == RunStatus::running) s.status = state == "failed" ? RunStatus::failed
                                                                        : RunStatus::interrupted;
    run.state_ = state;
    run.message_ = message;
  }
  run.emit("end", run.status_json());
  {
    std::lock_guard lock(run.m_);
    run.finished_ = true;
  }
  run.cv_.notify_all();
}

}  // namespace buurtlab::lab
