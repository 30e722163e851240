#include "cli.hpp"

#include <oneapi/tbb/info.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/program_options.hpp>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/resource.h>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/output.hpp"
#include "buurtlab/rng.hpp"
#include "buurtlab/scenario_loader.hpp"
#include "buurtlab/simulation.hpp"
#include "buurtlab/version.hpp"
#include "checkpoints.hpp"
#include "compare.hpp"
#include "lab/lab.hpp"
#include "memory_check.hpp"
#include "options.hpp"
#include "python_tools.hpp"
#include "resume.hpp"
#include "stop_signals.hpp"
#include "sweep.hpp"
#include "text.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace buurtlab {

namespace {

constexpr std::string_view kDefaultScenario = "builtin:default.yaml";
constexpr Tick kDefaultProgressEvery = 52;

// A usage error found by our own checks (program_options throws its own po::error).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------
// Formatting helpers

std::string format(const char* fmt, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, x);
  return buf;
}

// Indicator values range from shares (0.4123) to counts (120000): four significant digits for
// small values, one decimal for large ones, never exponent notation for counts.
std::string format_value(double x) {
  if (std::isnan(x)) return "n/a";
  if (std::fabs(x) >= 100) return format("%.1f", x);
  return format("%.4g", x);
}

std::string format_change(double x) {
  if (std::isnan(x)) return "n/a";
  std::string s = format_value(x);
  return x > 0 ? "+" + s : s;
}

std::string format_seconds(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  if (s < 1) return format("%.1f ms", s * 1000);  // short phases would all read "0.00 s"
  if (s < 10) return format("%.2f s", s);
  if (s < 60) return format("%.1f s", s);
  const long total = std::lround(s);
  char buf[32];
  if (total < 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld", total / 60, total % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
  return buf;
}

// Time left: seconds are precise enough.
std::string format_eta(double s) {
  if (std::isfinite(s) && s >= 0 && s < 60) return format("%.0f s", s);
  return format_seconds(s);
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

using text::Table;  // aligned columns, as in compare and sweep

std::string markdown_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}


// ---------------------------------------------------------------------------------------------
// Progress on stderr: a redrawn one-line bar on a terminal, otherwise a plain line every N ticks
// (logs and pipes get no carriage returns).

class ProgressReporter {
 public:
  ProgressReporter(std::ostream& err, bool bar, Tick every, const Clock& clock)
      : err_(err), bar_(bar), every_(every), clock_(clock) {}

  void operator()(const Progress& p) {
    // Work is counted in ticks over all replicates, spin-ups included, so the share and the rate
    // stay meaningful with several replicates in flight (each reports its own ticks, in turn).
    const double total = double(p.replicates) * (double(p.spin_up_ticks) + double(p.ticks));
    const double done = double(p.ticks_done);
    const double rate = p.elapsed_seconds > 0 ? done / p.elapsed_seconds : 0;
    const double eta = rate > 0 ? (total - done) / rate : NAN;
    const double pct = total > 0 ? 100.0 * done / total : 100.0;
    const bool last = p.replicates_done == p.replicates;

    if (bar_) {
      // Redrawing costs a write per tick; ten times a second is plenty for the eye.
      if (!last && drawn_ && p.elapsed_seconds - last_draw_ < 0.1) return;
      last_draw_ = p.elapsed_seconds;
      drawn_ = true;
      constexpr int kWidth = 24;
      const int filled = std::clamp(int(pct / 100.0 * kWidth), 0, kWidth);
      err_ << '\r' << format("%5.1f%%", pct) << " [" << std::string(filled, '#')
           << std::string(kWidth - filled, '.') << "] ";
      if (p.replicates > 1)
        err_ << "replicates " << p.replicates_done << '/' << p.replicates << " done, "
             << p.running << " running  ";
      else if (p.spin_up)
        err_ << "spin-up " << p.tick << '/' << p.spin_up_ticks << "  " << date_after(p).iso()
             << "  ";
      else
        err_ << "tick " << p.tick << '/' << p.ticks << "  " << clock_.date_of(p.tick).iso() << "  ";
      err_ << format("%.0f", rate) << " ticks/s  ETA " << format_eta(eta) << "\x1b[K";
      err_.flush();
    } else if (p.tick % every_ == 0 || p.tick == (p.spin_up ? p.spin_up_ticks : p.ticks)) {
      err_ << "progress: replicate " << p.replicate + 1 << '/' << p.replicates
           << (p.spin_up ? " spin-up tick " : " tick ") << p.tick << '/'
           << (p.spin_up ? p.spin_up_ticks : p.ticks) << " (" << date_after(p).iso() << ") "
           << format("%.1f%%", pct) << ", " << format("%.0f", rate) << " ticks/s, ETA "
           << format_eta(eta) << '\n';
      err_.flush();
    }
  }

  // The date at the end of the tick reported: spin-up tick k of S ends S - k ticks before the
  // start.
  Date date_after(const Progress& p) const {
    if (!p.spin_up) return clock_.date_of(p.tick);
    return clock_.tick_length().advance(clock_.start(),
                                        -static_cast<std::int64_t>(p.spin_up_ticks - p.tick));
  }

  // Ends the bar's line so that what follows starts on a fresh one.
  void finish() {
    if (bar_ && drawn_) {
      err_ << '\n';
      err_.flush();
      drawn_ = false;
    }
  }

 private:
  std::ostream& err_;
  bool bar_;
  Tick every_;
  Clock clock_;
  bool drawn_ = false;
  double last_draw_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The spin-up's settle check (include/buurtlab/spin_up.hpp): a warning on stderr when the last
// replicate has completed its spin-up and an indicator is still drifting, and a line in the run
// summary.

// How the check's window reads: "year" when it is a year of ticks, else "26 ticks".
std::string window_text(Tick window, const Period& tick) {
  if (double(window) == std::round(1.0 / tick.years())) return "year";
  return plural(window, "tick", "ticks");
}

std::string percent(double share) { return format_change(100.0 * share) + "%"; }

void warn_unsettled(std::ostream& err, const Scenario& sc, const SpinUpCheck& c) {
  if (!c.checked()) return;
  const std::string w = window_text(c.window, sc.tick);
  for (const IndicatorSettling& i : c.indicators) {
    if (!i.checked || i.settled) continue;
    err << "buurtlab: warning: the spin-up has not settled: " << i.name << " averaged "
        << format_value(i.previous) << " in the second-last " << w << " of the spin-up and "
        << format_value(i.last) << " in the last" << (w == "year" ? "" : " " + w) << " ("
        << percent(i.change)
        << (c.replicates > 1 ? ", means of " + std::to_string(c.replicates) + " replicates" : "")
        << "; tolerance " << format("%g", 100.0 * c.rule.tolerance)
        << "%); consider a spin_up longer than " << sc.spin_up.text() << '\n';
  }
  err.flush();
}

// "5 years (261 ticks) before the start, not written; settle check: settled (...)" and the like,
// for the run summary.
std::string spin_up_summary(const Scenario& sc, const RunResult& res) {
  std::string s = sc.spin_up.text() + " (" + plural(res.spin_up_ticks, "tick", "ticks") +
                  ") before the start, not written; settle check: ";
  const Tick window = settle_window(res.spin_up_ticks, sc.tick.years());
  if (window == 0) return s + "not done (it needs a spin-up of at least 4 ticks)";
  const SpinUpCheck& c = res.settle;
  if (!c.done) return s + "not reached (stopped during the spin-up)";
  const std::string w = window_text(window, sc.tick);
  std::string over = w == "year" ? "last two years" : "last two windows of " + w;
  if (sc.replicates > 1)
    over += ", " + (c.replicates < sc.replicates ? std::to_string(c.replicates) + " of " : "") +
            plural(sc.replicates, "replicate", "replicates");
  over += ", tolerance " + format("%g", 100.0 * c.rule.tolerance) + "%";
  if (c.settled()) return s + "settled (" + over + ")";
  std::string drifting;
  for (const IndicatorSettling& i : c.indicators)
    if (i.checked && !i.settled)
      drifting += (drifting.empty() ? "" : ", ") + i.name + " " + percent(i.change);
  return s + "drifting (" + over + "): " + drifting + "; consider a longer spin_up";
}

// ---------------------------------------------------------------------------------------------
// Option parsing

// --set KEY=VALUE, kept verbatim: the loader knows what KEY means and checks VALUE.
std::vector<Override> parse_sets(const po::variables_map& vm) {
  std::vector<Override> out;
  if (!vm.count("set")) return out;
  for (const std::string& s : vm["set"].as<std::vector<std::string>>()) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError("--set expects KEY=VALUE, got '" + s + "'");
    out.push_back({s.substr(0, eq), s.substr(eq + 1)});
  }
  return out;
}

void require_digits(std::string_view option, const std::string& v, bool positive) {
  const bool digits = !v.empty() && v.size() <= 20 &&
                      v.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || (positive && v.find_first_not_of('0') == std::string::npos))
    throw UsageError("--" + std::string(option) + " expects a " +
                     (positive ? "positive" : "non-negative") + " integer, got '" + v + "'");
}

void add_set_option(po::options_description& d) {
  d.add_options()("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
                  "override a scenario value, e.g. --set parameters.meeting.rate=12 (repeatable)");
}

// ---------------------------------------------------------------------------------------------
// Subcommands

struct Context {
  const ModelRegistry& models;
  std::ostream& out;
  std::ostream& err;
};

const char* const kProgramHelp =
    "Buurtlab: agent-based simulation of neighbourhood social ecosystems.\n"
    "\n"
    "usage: buurtlab <command> [options]\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO]     run a scenario (default: the built-in default scenario)\n"
    "  resume FILE        continue an interrupted run from its checkpoints\n"
    "  validate SCENARIO  check a scenario file and summarise it\n"
    "  describe [MODEL]   list the models, or a model's parameters, hooks and indicators\n"
    "  scenarios          list the built-in scenarios\n"
    "  sweep SCENARIO     run a scenario over a grid or Latin hypercube of values\n"
    "  compare FILE...    compare runs: means, 95% intervals and differences\n"
    "  calibrate SCENARIO\n"
    "                     search parameter ranges for the best fit to calibration targets\n"
    "  plot FILE...       draw indicators over time from output files (PNG, SVG, PDF)\n"
    "  report FILE...     write an HTML page comparing scenarios' output files\n"
    "  lab                a web page on this computer for workshops: cards, sliders,\n"
    "                     live charts (docs/lab.md)\n"
    "\n"
    "options:\n"
    "  -h [ --help ]      show this help\n"
    "  --version          show the version and the git commit it was built from\n"
    "\n"
    "'buurtlab <command> --help' describes a command. SCENARIO is a YAML file, or\n"
    "builtin:NAME for a scenario compiled into the program (see 'buurtlab scenarios').\n"
    "Exit codes: 0 success, 1 run failed or interrupted, 2 usage or scenario error.\n";

// "1-3, 5" for replicates {0, 1, 2, 4}: numbers from 1, as in the messages.
std::string replicate_ranges(const std::vector<std::uint32_t>& reps) {
  std::string s;
  for (std::size_t i = 0; i < reps.size();) {
    std::size_t j = i;
    while (j + 1 < reps.size() && reps[j + 1] == reps[j] + 1) ++j;
    if (!s.empty()) s += ", ";
    s += std::to_string(reps[i] + 1);
    if (j > i) s += "-" + std::to_string(reps[j] + 1);
    i = j + 1;
  }
  return s;
}

// What an interrupted run's file holds, from the time points each replicate handed to the writer
// (the file's ticks_written): "replicates 1-2, 4 complete; ticks 0-57 of replicate 3; ticks 0-12
// of replicate 5; replicates 6-8 not started (of 8 replicates of 520 ticks)". Several replicates
// in flight stop together, so any mix can occur.
std::string describe_holdings(const std::vector<Tick>& time_points, Tick ticks) {
  std::vector<std::uint32_t> complete, empty;
  std::vector<std::string> parts;
  for (std::uint32_t r = 0; r < time_points.size(); ++r) {
    if (time_points[r] == ticks + 1) complete.push_back(r);
    else if (time_points[r] == 0) empty.push_back(r);
  }
  auto reps = [](const std::vector<std::uint32_t>& v) {
    return (v.size() == 1 ? "replicate " : "replicates ") + replicate_ranges(v);
  };
  if (!complete.empty()) parts.push_back(reps(complete) + " complete");
  for (std::uint32_t r = 0; r < time_points.size(); ++r)
    if (time_points[r] > 0 && time_points[r] < ticks + 1)
      parts.push_back("ticks 0-" + std::to_string(time_points[r] - 1) + " of replicate " +
                      std::to_string(r + 1));
  if (!empty.empty()) parts.push_back(reps(empty) + " not started");
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : "; ") + p;
  return s + " (of " + plural(time_points.size(), "replicate", "replicates") + " of " +
         plural(ticks, "tick", "ticks") + ")";
}

int cmd_run(const Context& c, const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()
      ("help,h", "show this help")
      ("output,o", po::value<std::string>()->value_name("FILE"),
       "output file (default: the scenario's output.file)")
      ("seed", po::value<std::string>()->value_name("N"), "run seed (same as --set seed=N)")
      ("replicates", po::value<std::string>()->value_name("N"),
       "number of replicates (same as --set replicates=N)")
      ("threads", po::value<int>()->value_name("N"),
       "worker threads (default: all hardware threads); results do not depend on it")
      ("serial", "use the serial reference executor instead of worker threads; replicates run one "
                 "after another")
      ("parallel-replicates", po::value<std::string>()->value_name("N"),
       "replicates run at the same time (default: chosen from the threads and the population, "
       "see docs/ensembles.md); results do not depend on it")
      ("overwrite", "replace the output file if it exists")
      ("checkpoint-every", po::value<std::string>()->value_name("DURATION"),
       "save every replicate's state at this interval (e.g. '1 year') beside the output file, so "
       "that 'buurtlab resume FILE' can continue the run after a stop or a crash "
       "(docs/reliability.md)")
      ("ignore-memory-limit", "run even if the memory the run is estimated to need exceeds the "
                              "memory available")
      ("progress-every", po::value<std::string>()->value_name("N"),
       "when standard error is not a terminal, report progress every N ticks (default 52)")
      ("summary-json", po::value<std::string>()->value_name("FILE"),
       "also write the run's summary as JSON: wall time, ticks per second, time per phase, peak "
       "memory (for benchmarks); refused if FILE exists, unless --overwrite")
      ("quiet,q", "no progress display");
  add_set_option(desc);
  const auto vm = parse_command_line(args, desc, "scenario");
  if (vm.count("help")) {
    c.out << "usage: buurtlab run [SCENARIO] [options]\n\n"
             "Runs SCENARIO (a YAML file or builtin:NAME; default "
          << kDefaultScenario
          << ")\nand writes its trajectories to an HDF5 file.\n"
             "Ctrl-C stops after the current tick and leaves a file marked \"interrupted\".\n\n"
          << desc;
    return kExitOk;
  }

  std::string file(kDefaultScenario);
  if (vm.count("scenario")) {
    const auto& s = vm["scenario"].as<std::vector<std::string>>();
    if (s.size() > 1) throw UsageError("run takes one scenario, got " + std::to_string(s.size()));
    file = s[0];
  }
  std::vector<Override> overrides = parse_sets(vm);
  // The dedicated options come after --set so that they win over a --set of the same key.
  if (vm.count("seed")) {
    const auto& v = vm["seed"].as<std::string>();
    require_digits("seed", v, false);
    overrides.push_back({"seed", v});
  }
  if (vm.count("replicates")) {
    const auto& v = vm["replicates"].as<std::string>();
    require_digits("replicates", v, true);
    overrides.push_back({"replicates", v});
  }
  const bool serial = vm.count("serial") > 0;
  int threads = static_cast<int>(oneapi::tbb::info::default_concurrency());
  if (vm.count("threads")) {
    if (serial) throw UsageError("--serial and --threads exclude each other");
    threads = vm["threads"].as<int>();
    if (threads < 1)
      throw UsageError("--threads expects a positive integer, got " + std::to_string(threads));
  }
  if (serial) threads = 0;
  std::uint32_t parallel_replicates = 0;  // 0: run_simulation chooses
  if (vm.count("parallel-replicates")) {
    if (serial) throw UsageError("--serial and --parallel-replicates exclude each other");
    const auto& v = vm["parallel-replicates"].as<std::string>();
    require_digits("parallel-replicates", v, true);
    parallel_replicates = v.size() > 9 ? 1000000000u : static_cast<std::uint32_t>(std::stoul(v));
  }
  Tick every = kDefaultProgressEvery;
  if (vm.count("progress-every")) {
    const auto& v = vm["progress-every"].as<std::string>();
    require_digits("progress-every", v, true);
    // More ticks than any run has simply means "no progress lines"; avoid overflowing.
    every = v.size() > 9 ? Tick{1} << 30 : static_cast<Tick>(std::stoul(v));
  }
  const bool quiet = vm.count("quiet") > 0;
  const bool overwrite = vm.count("overwrite") > 0;

  // Everything about the input is checked before anything is written.
  const Scenario sc = load_scenario(file, c.models, overrides);
  const Model* model = c.models.find(sc.model);
  if (!model) throw InputError(sc.source_file + ": model: unknown model '" + sc.model + "'");
  check_memory(estimate_memory(*model, sc, threads, parallel_replicates), sc,
               vm.count(kIgnoreMemoryOption) > 0);
  Tick checkpoint_every = 0;
  if (vm.count("checkpoint-every")) {
    checkpoint_every = checkpoint_interval(vm["checkpoint-every"].as<std::string>(), sc);
    if (!model->supports_checkpoints())
      throw UsageError("--checkpoint-every: model " + sc.model + " does not support checkpoints");
  }
  const std::string out_path =
      vm.count("output") ? vm["output"].as<std::string>() : sc.output.file;
  if (out_path.empty())
    throw UsageError("no output file: give -o FILE or set output.file in the scenario");
  const fs::path path(out_path);
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (exists && !overwrite)
    throw InputError(out_path + " exists; use --overwrite to replace it or -o to choose another file");
  if (exists && fs::is_directory(path, ec)) throw InputError(out_path + " is a directory");
  const std::string summary_path = vm.count("summary-json") ? vm["summary-json"].as<std::string>() : "";
  if (!summary_path.empty()) {
    if (fs::exists(summary_path, ec) && !overwrite)
      throw InputError(summary_path + " exists; use --overwrite to replace it");
    if (fs::absolute(summary_path, ec) == fs::absolute(path, ec))
      throw UsageError("--summary-json and the output file are the same file");
  }
  if (path.has_parent_path() && !fs::exists(path.parent_path(), ec)) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) throw RunError("cannot create " + path.parent_path().string() + ": " + ec.message());
  }

  const OutputInfo info = make_output_info(*model, sc, threads);

  // From here on a signal must not kill the process: the file would be left unfinished.
  StopSignals signals(c.err, "buurtlab: stopping after the current tick; " + out_path +
                                 " will be marked interrupted (Ctrl-C again, a second from now, "
                                 "quits at once and leaves it unfinished)");
  if (exists && !quiet) c.err << "overwriting " << out_path << '\n';
  auto writer = create_hdf5_writer(path, info, overwrite);
  std::optional<CheckpointStore> checkpoints;
  if (checkpoint_every > 0)
    checkpoints.emplace(path, checkpoint_identity(sc), checkpoint_every, /*fresh=*/true);

  const Clock clock = sc.clock();
  const bool bar = &c.err == &std::cerr && ::isatty(STDERR_FILENO) == 1;
  ProgressReporter progress(c.err, bar, every, clock);
  RunOptions opt;
  opt.threads = threads;
  opt.replicates_in_flight = parallel_replicates;
  opt.stop = signals.flag();
  if (checkpoints) {
    opt.checkpoint_every = checkpoint_every;
    opt.checkpoint = [&](const ReplicateCheckpoint& cp) { checkpoints->write(cp); };
  }
  if (!quiet) opt.progress = [&](const Progress& p) { progress(p); };
  opt.spin_up_checked = [&](const SpinUpCheck& check) {
    if (!check.settled()) progress.finish();  // the warning starts on a line of its own
    warn_unsettled(c.err, sc, check);
  };

  RunResult res;
  try {
    res = run_simulation(*model, sc, opt, writer.get());
  } catch (...) {
    progress.finish();
    throw;
  }
  progress.finish();
  writer.reset();  // closes the file before we report on it

  const Tick T = sc.ticks();
  const bool interrupted = res.status == RunStatus::interrupted;
  const double ticks_done = double(res.ticks_done() + res.spin_up_ticks_done);

  // The summary: city-level indicators (place 0) over completed replicates, which need not be the
  // first ones when several ran at once.
  std::vector<std::uint32_t> complete;
  for (std::uint32_t r = 0; r < res.first.size(); ++r)
    if (res.complete(r)) complete.push_back(r);
  std::ostream& o = c.out;
  o << "scenario   " << sc.name << " (" << sc.source_file << "), model " << sc.model << '\n'
    << "simulated  " << sc.start.iso() << " to " << clock.date_of(T).iso() << ", "
    << plural(T, "tick", "ticks") << " of " << sc.tick.text() << ", "
    << plural(res.replicates_done, "replicate", "replicates") << " complete\n";
  if (res.spin_up_ticks > 0) o << "spin-up    " << spin_up_summary(sc, res) << '\n';
  if (!complete.empty()) {
    Table t({"indicator (city)", "unit", "start", "end", "change"},
            {false, false, true, true, true});
    for (const std::string& name : model->summary_indicators()) {
      const auto i = model->indicator_index(name);
      if (!i) continue;
      double s0 = 0, s1 = 0;
      std::size_t n = 0;
      for (std::uint32_t r : complete) {
        const double a = res.first[r].at(*i, 0), b = res.last[r].at(*i, 0);
        if (std::isnan(a) || std::isnan(b)) continue;
        s0 += a;
        s1 += b;
        ++n;
      }
      const double m0 = n ? s0 / n : NAN, m1 = n ? s1 / n : NAN;
      t.add({name, model->indicators()[*i].unit, format_value(m0), format_value(m1),
             format_change(m1 - m0)});
    }
    if (complete.size() > 1) o << "mean over " << complete.size() << " replicates:\n";
    t.print(o);
  }
  o << "wall time  " << format_seconds(res.seconds) << ", "
    << format("%.0f", res.seconds > 0 ? ticks_done / res.seconds : 0.0) << " ticks/s, "
    << (threads == 0 ? std::string("serial reference executor") : plural(threads, "thread", "threads"))
    << (res.replicates_in_flight > 1
            ? ", " + std::to_string(res.replicates_in_flight) + " replicates at a time"
            : std::string())
    << '\n'
    << "output     " << out_path << (interrupted ? " (interrupted)" : "") << '\n';
  if (!res.phases.empty()) {
    double total = 0;
    for (const auto& p : res.phases) total += p.seconds;
    Table t({"phase", "time", "share"}, {false, true, true});
    for (const auto& p : res.phases)
      t.add({p.name, format_seconds(p.seconds),
             format("%.1f%%", total > 0 ? 100.0 * p.seconds / total : 0.0)});
    o << "time per phase:\n";
    t.print(o);
  }
  o.flush();

  if (!summary_path.empty()) {
    // Written to a temporary name and renamed, so a reader never sees half a file.
    std::int64_t residents = 0;
    for (const auto& p : sc.places)
      if (!p.parent) residents += p.population;
    struct rusage ru {};
    ::getrusage(RUSAGE_SELF, &ru);
    std::ostringstream j;
    j << "{\n  \"buurtlab_version\": " << text::json_string(version()) << ",\n"
      << "  \"scenario\": " << text::json_string(sc.name) << ",\n"
      << "  \"model\": " << text::json_string(sc.model) << ",\n"
      << "  \"output\": " << text::json_string(out_path) << ",\n"
      << "  \"status\": \"" << (interrupted ? "interrupted" : "complete") << "\",\n"
      << "  \"residents\": " << residents << ",\n"
      << "  \"ticks\": " << T << ",\n"
      << "  \"spin_up_ticks\": " << res.spin_up_ticks << ",\n"
      << "  \"replicates_complete\": " << res.replicates_done << ",\n"
      << "  \"threads\": " << threads << ",\n"
      << "  \"replicates_at_a_time\": " << res.replicates_in_flight << ",\n"
      << "  \"wall_seconds\": " << format("%.6f", res.seconds) << ",\n"
      << "  \"ticks_done\": " << format("%.0f", ticks_done) << ",\n"
      << "  \"ticks_per_second\": " << format("%.3f", res.seconds > 0 ? ticks_done / res.seconds : 0.0) << ",\n"
      << "  \"peak_memory_bytes\": " << static_cast<std::int64_t>(ru.ru_maxrss) * 1024 << ",\n"
      << "  \"peak_model_bytes\": " << res.peak_model_bytes << ",\n"
      << "  \"estimated_memory_bytes\": "
      << estimate_memory(*model, sc, threads, parallel_replicates).total << ",\n"
      << "  \"phases\": [";
    for (std::size_t k = 0; k < res.phases.size(); ++k)
      j << (k ? ",\n" : "\n") << "    {\"name\": " << text::json_string(res.phases[k].name)
        << ", \"seconds\": " << format("%.6f", res.phases[k].seconds) << "}";
    j << (res.phases.empty() ? "]\n}\n" : "\n  ]\n}\n");
    const std::string tmp = summary_path + ".part";
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f << j.str();
      if (!f) throw RunError("cannot write " + tmp);
    }
    fs::rename(tmp, summary_path, ec);
    if (ec) throw RunError("cannot write " + summary_path + ": " + ec.message());
  }

  if (interrupted) {
    c.err << "buurtlab: interrupted; " << out_path << " is marked interrupted and holds "
          << describe_holdings(res.time_points, T) << '\n';
    if (checkpoints) {
      // Say what a resume would do: the spin-up takes no checkpoints.
      std::error_code dir_ec;
      const bool any = fs::exists(checkpoints->dir(), dir_ec) &&
                       !fs::is_empty(checkpoints->dir(), dir_ec);
      if (any)
        c.err << "buurtlab: 'buurtlab resume " << out_path << "' continues it from its checkpoints\n";
      else
        c.err << "buurtlab: no checkpoint was taken yet (the spin-up takes none); 'buurtlab resume "
              << out_path << "' would start it again\n";
    }
    return kExitRunFailed;
  }
  if (checkpoints) checkpoints->remove();  // complete: nothing left to resume
  return kExitOk;
}

int cmd_validate(const Context& c, const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")(
      "ignore-memory-limit",
      "accept a scenario whose memory estimate exceeds the memory available");
  add_set_option(desc);
  const auto vm = parse_command_line(args, desc, "scenario");
  if (vm.count("help")) {
    c.out << "usage: buurtlab validate SCENARIO [--set KEY=VALUE]...\n\n"
             "Loads and checks SCENARIO (with its extends chain and overrides), lists every\n"
             "problem found, or summarises the scenario with the memory a run is estimated to\n"
             "need. Writes nothing.\n\n"
          << desc;
    return kExitOk;
  }
  if (!vm.count("scenario")) throw UsageError("validate needs a SCENARIO");
  const auto& files = vm["scenario"].as<std::vector<std::string>>();
  if (files.size() > 1) throw UsageError("validate takes one scenario");

  const Scenario sc = load_scenario(files[0], c.models, parse_sets(vm));
  // As `run` would run it: all hardware threads, replicates at a time as the rule chooses.
  const int threads = static_cast<int>(oneapi::tbb::info::default_concurrency());
  std::optional<MemoryEstimate> memory;
  if (const Model* model = c.models.find(sc.model)) {
    memory = estimate_memory(*model, sc, threads);
    check_memory(*memory, sc, vm.count(kIgnoreMemoryOption) > 0);
  }
  const Clock clock = sc.clock();
  std::size_t n[3] = {0, 0, 0};
  for (const auto& p : sc.places) ++n[static_cast<int>(p.level)];
  const std::int64_t residents = sc.places.empty() ? 0 : sc.places[0].population;

  std::ostream& o = c.out;
  o << sc.source_file << ": OK\n";
  Table t({"", ""});
  t.add({"name", sc.name});
  if (!sc.description.empty()) {
    const auto nl = sc.description.find('\n');
    t.add({"description", sc.description.substr(0, nl)});
  }
  t.add({"model", sc.model});
  t.add({"dates", sc.start.iso() + " to " + clock.date_of(clock.ticks()).iso() + " (" +
                      sc.duration.text() + ")"});
  t.add({"ticks", plural(clock.ticks(), "tick", "ticks") + " of " + sc.tick.text()});
  if (const Tick spin = sc.spin_up_ticks(); spin > 0)
    t.add({"spin-up", sc.spin_up.text() + " (" + plural(spin, "tick", "ticks") + ") from " +
                          sc.tick.advance(sc.start, -std::int64_t{spin}).iso() +
                          ", not written"});
  t.add({"places", plural(n[0], "city", "cities") + ", " + plural(n[1], "wijk", "wijken") + ", " +
                       plural(n[2], "buurt", "buurten") + "; " + std::to_string(residents) +
                       " residents"});
  t.add({"replicates", std::to_string(sc.replicates) + " (seed " + std::to_string(sc.seed) + ")"});
  t.add({"events", std::to_string(sc.timeline.size())});
  const auto changed = sc.parameters.size() ? sc.parameters.changed() : std::vector<std::string>{};
  std::string ch;
  for (const auto& s : changed) ch += (ch.empty() ? "" : ", ") + s;
  t.add({"parameters", changed.empty() ? std::string("all defaults")
                                       : "changed from the defaults: " + ch});
  if (!sc.output.file.empty()) t.add({"output", sc.output.file});
  if (memory) {
    const auto available = available_memory_bytes();
    t.add({"memory", "estimated " + memory_estimate_text(*memory, sc) + " with " +
                         plural(threads, "thread", "threads") +
                         (available ? "; " + bytes_text(*available) + " available" : "")});
  }
  // The first row is the (empty) header: skip it by printing rows ourselves.
  std::ostringstream tmp;
  t.print(tmp);
  const std::string s = tmp.str();
  o << s.substr(s.find('\n') + 1);
  return kExitOk;
}

void describe_params_text(std::ostream& o, const ParamSchema& schema, std::string_view indent) {
  for (const ParamDecl& d : schema.decls()) {
    o << indent << d.name << " (" << d.type_name();
    if (!d.unit.empty() && d.type != ParamType::boolean && d.type != ParamType::choice)
      o << ", " << d.unit;
    o << ") default " << d.value_text(d.default_value) << ", " << d.range_text() << '\n';
    if (!d.doc.empty()) o << indent << "    " << d.doc << '\n';
    if (!d.source.empty()) o << indent << "    source: " << d.source << '\n';
  }
}

void describe_params_markdown(std::ostream& o, const ParamSchema& schema, std::string_view first) {
  o << "| " << first << " | Type | Unit | Default | Range | Description | Source |\n"
    << "|---|---|---|---|---|---|---|\n";
  for (const ParamDecl& d : schema.decls())
    o << "| `" << d.name << "` | " << d.type_name() << " | " << markdown_cell(d.unit) << " | "
      << markdown_cell(d.value_text(d.default_value)) << " | " << markdown_cell(d.range_text())
      << " | " << markdown_cell(d.doc) << " | " << markdown_cell(d.source) << " |\n";
}

void describe_model_text(std::ostream& o, const Model& m) {
  o << "model " << m.name() << ": " << m.description() << "\n\n";
  o << "parameters (" << m.parameters().decls().size() << "):\n";
  describe_params_text(o, m.parameters(), "  ");
  o << "\nplace attributes (" << m.place_attributes().decls().size() << "):\n";
  describe_params_text(o, m.place_attributes(), "  ");
  o << "\npolicy hooks (" << m.hooks().size() << "):\n";
  for (const HookDecl& h : m.hooks()) {
    std::string args;
    for (const auto& a : h.args.decls()) args += (args.empty() ? "" : ", ") + a.name;
    o << "  " << h.name << "(" << args << ")\n";
    if (!h.doc.empty()) o << "      " << h.doc << '\n';
    describe_params_text(o, h.args, "      ");
  }
  o << "\nindicators (" << m.indicators().size() << "):\n";
  for (const IndicatorDecl& d : m.indicators())
    o << "  " << d.name << " [" << d.unit << "]: " << d.description << '\n';
}

void describe_model_markdown(std::ostream& o, const Model& m) {
  o << "# Model `" << m.name() << "`\n\n" << m.description() << "\n\n";
  o << "## Parameters\n\n";
  describe_params_markdown(o, m.parameters(), "Parameter");
  o << "\n## Place attributes\n\n";
  if (m.place_attributes().empty()) o << "None.\n";
  else describe_params_markdown(o, m.place_attributes(), "Attribute");
  o << "\n## Policy hooks\n\n";
  if (m.hooks().empty()) o << "None.\n";
  for (const HookDecl& h : m.hooks()) {
    o << "### `" << h.name << "`\n\n" << h.doc << "\n\n";
    if (h.args.empty()) o << "No arguments.\n\n";
    else {
      describe_params_markdown(o, h.args, "Argument");
      o << '\n';
    }
  }
  o << "## Indicators\n\n| Indicator | Unit | Description |\n|---|---|---|\n";
  for (const IndicatorDecl& d : m.indicators())
    o << "| `" << d.name << "` | " << markdown_cell(d.unit) << " | "
      << markdown_cell(d.description) << " |\n";
}

int cmd_describe(const Context& c, const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")("markdown", "print Markdown tables");
  const auto vm = parse_command_line(args, desc, "model");
  if (vm.count("help")) {
    c.out << "usage: buurtlab describe [MODEL] [--markdown]\n\n"
             "Without MODEL, lists the models. With MODEL, lists its parameters (name, type,\n"
             "unit, default, range, description, source), place attributes, policy hooks with\n"
             "their arguments, and indicators.\n\n"
          << desc;
    return kExitOk;
  }
  const bool md = vm.count("markdown") > 0;
  if (!vm.count("model")) {
    for (const std::string& name : c.models.names()) {
      const Model* m = c.models.find(name);
      if (md) c.out << "- `" << name << "`: " << m->description() << '\n';
      else c.out << name << "  " << m->description() << '\n';
    }
    return kExitOk;
  }
  const auto& names = vm["model"].as<std::vector<std::string>>();
  if (names.size() > 1) throw UsageError("describe takes one model");
  const Model* m = c.models.find(names[0]);
  if (!m) {
    std::string known;
    for (const auto& n : c.models.names()) known += (known.empty() ? "" : ", ") + n;
    throw UsageError("unknown model '" + names[0] + "'; known models: " +
                     (known.empty() ? std::string("none") : known));
  }
  if (md) describe_model_markdown(c.out, *m);
  else describe_model_text(c.out, *m);
  return kExitOk;
}

int cmd_scenarios(const Context& c, const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  const auto vm = parse_command_line(args, desc, "extra");
  if (vm.count("help")) {
    c.out << "usage: buurtlab scenarios\n\n"
             "Lists the scenarios compiled into the program; run one with\n"
             "'buurtlab run builtin:NAME'.\n\n"
          << desc;
    return kExitOk;
  }
  if (vm.count("extra"))
    throw UsageError("scenarios takes no arguments, got '" +
                     vm["extra"].as<std::vector<std::string>>()[0] + "'");
  const std::vector<std::string> names = builtin_scenarios();
  if (names.empty()) {
    c.out << "no built-in scenarios (this program was built without scenarios/)\n";
    return kExitOk;
  }
  Table t({"scenario", "model", "description"});
  for (const std::string& name : names) {
    // A built-in that does not load on its own (a base meant for `extends`) is still listed.
    std::string model, about;
    try {
      const Scenario sc = load_scenario("builtin:" + name, c.models);
      model = sc.model;
      about = sc.description.substr(0, sc.description.find('\n'));
    } catch (const std::exception&) {
      about = "(base for extends)";
    }
    t.add({"builtin:" + name, model, about});
  }
  t.print(c.out, "");
  return kExitOk;
}

void report_input_error(std::ostream& err, const InputError& e) {
  const auto& d = e.diagnostics();
  if (d.empty()) {
    std::string msg = e.what();
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    err << "buurtlab: error: " << msg << '\n';
    return;
  }
  for (const Diagnostic& item : d.items()) err << "buurtlab: error: " << item.text() << '\n';
  err << d.size() << " error(s)\n";
}

}  // namespace

int run_cli(int argc, char** argv, const ModelRegistry& models, std::ostream& out,
            std::ostream& err) {
  std::vector<std::string> args(argv + std::min(argc, 1), argv + std::max(argc, 1));
  if (args.empty()) {
    err << kProgramHelp;
    return kExitUsage;
  }
  // `buurtlab help CMD` is `buurtlab CMD --help`.
  if (args[0] == "help" && args.size() == 2) args = {args[1], "--help"};
  const std::string& cmd = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  const Context c{models, out, err};
  const bool known = cmd == "run" || cmd == "validate" || cmd == "describe" || cmd == "scenarios" ||
                     cmd == "sweep" || cmd == "compare" || cmd == "lab" || cmd == "resume";
  const std::string try_help = "try 'buurtlab " + (known ? cmd + " " : std::string()) + "--help'\n";
  try {
    if (cmd == "-h" || cmd == "--help" || (cmd == "help" && rest.empty())) {
      out << kProgramHelp;
      return kExitOk;
    }
    if (cmd == "--version") {
      out << "buurtlab " << version() << " (git " << git_commit() << ")\n";
      return kExitOk;
    }
    if (cmd == "run") return cmd_run(c, rest);
    if (cmd == "validate") return cmd_validate(c, rest);
    if (cmd == "describe") return cmd_describe(c, rest);
    if (cmd == "scenarios") return cmd_scenarios(c, rest);
    if (cmd == "sweep") return cmd_sweep(models, rest, out, err);
    if (cmd == "compare") return cmd_compare(models, rest, out, err);
    if (cmd == "lab") return lab::cmd_lab(models, rest, out, err);
    if (cmd == "resume") return cmd_resume(models, rest, out, err);
    if (is_python_command(cmd)) return run_python_command(cmd, rest, out, err);
    if (!cmd.empty() && cmd[0] == '-') throw UsageError("unknown option '" + cmd + "'");
    throw UsageError("unknown command '" + cmd + "'");
  } catch (const po::error& e) {
    err << "buurtlab: error: " << e.what() << '\n' << try_help;
    return kExitUsage;
  } catch (const UsageError& e) {
    err << "buurtlab: error: " << e.what() << '\n' << try_help;
    return kExitUsage;
  } catch (const InputError& e) {
    report_input_error(err, e);
    return kExitUsage;
  } catch (const std::exception& e) {
    err << "buurtlab: error: " << e.what() << '\n';
    return kExitRunFailed;
  }
}

}  // namespace buurtlab
