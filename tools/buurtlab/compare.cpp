// `buurtlab compare`. The statistics are defined in docs/ensembles.md (and computed in stats.cpp);
// this file reads the files, checks that they can be compared, and lays out the results.
#include "compare.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "buurtlab/calendar.hpp"
#include "buurtlab/diagnostics.hpp"
#include "buurtlab/output_reader.hpp"
#include "options.hpp"
#include "run_labels.hpp"
#include "stats.hpp"
#include "text.hpp"

namespace buurtlab {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

const SourceLocation kCommandLine{"<command line>", 0, 0};

// Place codes listed in an "unknown place" message; a city of hundreds of buurten would bury it.
constexpr std::size_t kMaxListed = 40;

// One file given on the command line and the part of it the statistics use.
struct Input {
  std::string arg;    // as given
  std::string label;  // tells the file apart in the tables (run_labels.hpp)
  std::unique_ptr<OutputReader> reader;
  std::vector<std::uint32_t> replicates;  // replicates used
  Tick horizon = 0;                       // last tick whose value is usable in every one of them
  std::size_t place = 0;
  std::string note;  // why not all of the file is used
  const OutputFileInfo& info() const { return reader->info(); }
};

// The statistics of one (file, indicator), and the per-replicate values behind them with each
// replicate's seed (for pairing).
struct Result {
  stats::Sample sample[2];  // end of run, time mean
  std::vector<double> values[2];
  std::vector<std::uint64_t> seeds;  // empty if the file records none
};

// How a difference from the first file was computed (docs/ensembles.md, "Paired or Welch").
struct Compared {
  stats::Difference d;
  bool paired = false;
  std::size_t pairs = 0;
};

// Replicates of two files that share a seed start from the same world and draw the same random
// numbers until the runs' settings make them differ (common random numbers): their difference is
// paired, which removes the replicate-to-replicate spread both runs share. The files are paired
// when every used replicate of the one with fewer has a partner with its seed in the other (and
// there are at least two); otherwise the replicates are independent samples and the Welch interval
// applies.
Compared compare_to(const Result& a, const Result& b, int s) {
  Compared c;
  if (!a.seeds.empty() && !b.seeds.empty()) {
    std::map<std::uint64_t, std::size_t> in_a;
    for (std::size_t i = 0; i < a.seeds.size(); ++i) in_a.emplace(a.seeds[i], i);
    std::vector<double> va, vb;
    for (std::size_t j = 0; j < b.seeds.size(); ++j) {
      const auto it = in_a.find(b.seeds[j]);
      if (it == in_a.end()) continue;
      va.push_back(a.values[s][it->second]);
      vb.push_back(b.values[s][j]);
    }
    if (in_a.size() == a.seeds.size() && va.size() >= 2 && va.size() == std::min(a.seeds.size(), b.seeds.size())) {
      c.d = stats::paired(va, vb);
      c.paired = true;
      c.pairs = va.size();
      return c;
    }
  }
  c.d = stats::welch(a.sample[s], b.sample[s]);
  return c;
}

enum Stat { kEnd = 0, kTimeMean = 1 };
constexpr const char* kStatName[2] = {"end", "time_mean"};

std::string time_axis_text(const OutputFileInfo& f) {
  return std::to_string(f.ticks) + " ticks of " + f.tick_length + " from " + f.start_date;
}

// The date a tick ends on, from the file's own description; "" if the file lacks it.
std::string date_of(const OutputFileInfo& f, Tick t) {
  const auto start = Date::parse(f.start_date);
  const auto tick = Period::parse(f.tick_length);
  if (!start || !tick) return "";
  return tick->advance(*start, t).iso();
}

// Strips "PATH: " from a reader's message, because the diagnostic names the file itself.
std::string without_prefix(const std::string& msg, const std::string& path) {
  const std::string prefix = path + ": ";
  return msg.rfind(prefix, 0) == 0 ? msg.substr(prefix.size()) : msg;
}

std::vector<std::string> split_names(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& a : args) {
    std::size_t from = 0;
    while (from <= a.size()) {
      const std::size_t comma = std::min(a.find(',', from), a.size());
      if (comma > from) out.push_back(a.substr(from, comma - from));
      from = comma + 1;
    }
  }
  return out;
}

// Which replicates and ticks of a file the statistics use (docs/ensembles.md, "Incomplete
// files"): a complete file all of it; an incomplete one its complete replicates if it has any,
// else the replicates that got past the initial state, up to the last tick all of them reached.
// Returns an error message, or "" when the file holds something usable.
std::string choose_part(Input& in) {
  const OutputFileInfo& f = in.info();
  const auto T = static_cast<std::int64_t>(f.ticks);
  in.horizon = f.ticks;
  if (f.complete()) {
    for (std::uint32_t r = 0; r < f.replicates; ++r) in.replicates.push_back(r);
    return "";
  }
  for (std::uint32_t r = 0; r < f.replicates; ++r)
    if (f.ticks_written[r] >= T + 1) in.replicates.push_back(r);
  if (!in.replicates.empty()) {
    if (in.replicates.size() < f.replicates)
      in.note = "status " + f.status + ": using the " + std::to_string(in.replicates.size()) +
                " complete replicate(s) of " + std::to_string(f.replicates);
    return "";
  }
  std::int64_t reached = T;
  for (std::uint32_t r = 0; r < f.replicates; ++r)
    if (f.ticks_written[r] >= 2) {
      in.replicates.push_back(r);
      reached = std::min<std::int64_t>(reached, f.ticks_written[r] - 1);
    }
  if (in.replicates.empty())
    return "holds no tick beyond the initial state (status " + f.status + ")";
  in.horizon = static_cast<Tick>(reached);
  in.note = "status " + f.status + ": no replicate is complete; using " +
            std::to_string(in.replicates.size()) + " replicate(s) up to tick " +
            std::to_string(in.horizon) + " of " + std::to_string(T);
  return "";
}

// The end-of-run and time-mean values of each used replicate, summarised across replicates.
Result compute(const Input& in, std::size_t indicator, Tick horizon) {
  const std::vector<double> v = in.reader->read_place(indicator, in.place);
  const std::size_t T1 = std::size_t(in.info().ticks) + 1;
  Result out;
  const auto& seeds = in.info().replicate_seeds;
  for (std::uint32_t r : in.replicates) {
    const double* row = v.data() + std::size_t(r) * T1;
    out.values[kEnd].push_back(row[horizon]);
    out.values[kTimeMean].push_back(stats::nan_mean(row + 1, row + horizon + 1));
    if (r < seeds.size()) out.seeds.push_back(seeds[r]);
  }
  if (out.seeds.size() != in.replicates.size()) out.seeds.clear();
  out.sample[kEnd] = stats::describe(out.values[kEnd]);
  out.sample[kTimeMean] = stats::describe(out.values[kTimeMean]);
  return out;
}

std::string interval_text(const stats::Interval& ci, bool signed_values) {
  if (std::isnan(ci.low)) return "n/a";
  auto f = signed_values ? text::signed_number : text::number;
  return "[" + f(ci.low) + ", " + f(ci.high) + "]";
}

const char* const kHelp =
    "usage: buurtlab compare FILE... [options]\n"
    "\n"
    "Compares runs: for each indicator, at one place, the end-of-run value and the\n"
    "time mean (over ticks 1..T) of each file, as the mean across its replicates with a\n"
    "95% Student t interval, and for every file after the first the difference from\n"
    "the first with a 95% interval: paired when the files' replicates share seeds (the\n"
    "default between scenarios: common random numbers), else Welch; the table says\n"
    "which. docs/ensembles.md defines the statistics.\n"
    "Each file is labelled by its scenario name; files that share one (the points of a\n"
    "sweep) also by the scenario values that differ between them.\n"
    "The files must be runs of the same model on the same time axis.\n"
    "\n";

}  // namespace

int cmd_compare(const ModelRegistry& models, const std::vector<std::string>& args,
                std::ostream& out, std::ostream& err) {
  po::options_description desc("options");
  // clang-format off
  desc.add_options()
      ("help,h", "show this help")
      ("indicator,i", po::value<std::vector<std::string>>()->composing()->value_name("NAME"),
       "indicator to compare (repeatable, or comma-separated); default: the model's summary "
       "indicators, or all if this program does not know the model")
      ("all-indicators", "compare every indicator in the files")
      ("place", po::value<std::string>()->value_name("CODE"),
       "place code (default: the first place, the city)")
      ("csv", po::value<std::string>()->value_name("FILE"),
       "also write the statistics as CSV, one row per file, indicator and statistic")
      ("allow-incomplete",
       "compare files of runs that did not complete, using the replicates and ticks they hold");
  // clang-format on
  const auto vm = parse_command_line(args, desc, "file");
  if (vm.count("help")) {
    out << kHelp << desc;
    return 0;
  }
  // Usage errors are thrown as program_options errors so that the caller reports them like the
  // ones program_options finds itself, with a pointer to --help.
  if (!vm.count("file")) throw po::error("compare needs at least one output file");
  if (vm.count("indicator") && vm.count("all-indicators"))
    throw po::error("--indicator and --all-indicators exclude each other");
  const bool allow_incomplete = vm.count("allow-incomplete") > 0;

  // Everything that can be wrong with the input is collected and reported at once.
  Diagnostics problems;
  std::vector<Input> inputs;
  for (const std::string& arg : vm["file"].as<std::vector<std::string>>()) {
    try {
      Input in;
      in.arg = arg;
      in.reader = open_output(arg);
      inputs.push_back(std::move(in));
    } catch (const InputError& e) {
      problems.add({arg, 0, 0}, "", "", without_prefix(e.what(), arg));
    }
  }
  if (inputs.empty()) throw InputError(problems);

  const Input& first = inputs[0];
  const OutputFileInfo& f0 = first.info();
  for (Input& in : inputs) {
    const OutputFileInfo& f = in.info();
    if (!f.complete() && !allow_incomplete)
      problems.add({in.arg, 0, 0}, "", "",
                   "the run did not complete (status " + f.status +
                       "); --allow-incomplete compares the replicates and ticks it holds");
    if (f.model != f0.model)
      problems.add({in.arg, 0, 0}, "", "",
                   "model " + f.model + ", but " + first.arg + " has model " + f0.model +
                       ": only runs of the same model can be compared");
    else if (f.ticks != f0.ticks || f.start_date != f0.start_date ||
             f.tick_length != f0.tick_length || f.time != f0.time)
      problems.add({in.arg, 0, 0}, "", "",
                   "time axis " + time_axis_text(f) + ", but " + first.arg + " has " +
                       time_axis_text(f0) + ": only runs on the same time axis can be compared");
    else if (const std::string why = choose_part(in); !why.empty())
      problems.add({in.arg, 0, 0}, "", "", why);
  }

  // Indicators, named as in the first file.
  std::vector<std::string> names;
  std::string chosen;  // says which indicators were picked when none were named
  std::vector<std::string> available;
  for (const auto& d : f0.indicators) available.push_back(d.name);
  if (vm.count("indicator")) {
    names = split_names(vm["indicator"].as<std::vector<std::string>>());
    if (names.empty()) throw po::error("--indicator needs a name");
  } else if (const Model* m = models.find(f0.model); m && !vm.count("all-indicators")) {
    for (const std::string& n : m->summary_indicators())
      if (f0.indicator_index(n)) names.push_back(n);
    chosen = "the summary indicators of model " + f0.model + " (--all-indicators for all " +
             std::to_string(available.size()) + ")";
  }
  if (names.empty() && !vm.count("indicator")) {
    names = available;
    chosen = "all indicators in the files";
  }
  std::vector<std::size_t> index0;  // index of each name in the first file
  for (const std::string& n : names) {
    const auto i = f0.indicator_index(n);
    if (!i) {
      // The nearest names first (a typo), then the whole list.
      std::vector<std::pair<std::size_t, std::string>> near;
      for (const std::string& a : available) {
        const std::size_t dist = edit_distance(n, a);
        if (dist <= std::max<std::size_t>(2, n.size() / 4)) near.emplace_back(dist, a);
      }
      std::sort(near.begin(), near.end());
      std::string hint;
      if (!near.empty()) hint = " (did you mean " + near.front().second + "?)";
      problems.add(kCommandLine, "--indicator", n,
                   "an indicator of " + first.arg + hint + ": " + text::join(available));
      continue;
    }
    index0.push_back(*i);
    for (const Input& in : inputs)
      if (!in.info().indicator_index(n))
        problems.add({in.arg, 0, 0}, "", "", "has no indicator " + n + " (" + first.arg + " has)");
  }

  // The place, by code, in every file (place indexes may differ between cities).
  const std::string code = vm.count("place") ? vm["place"].as<std::string>() : f0.places.at(0).code;
  if (!f0.place_index(code)) {
    std::vector<std::string> codes;
    for (std::size_t p = 0; p < f0.places.size() && p < kMaxListed; ++p)
      codes.push_back(f0.places[p].code);
    if (f0.places.size() > kMaxListed)
      codes.push_back("... (" + std::to_string(f0.places.size() - kMaxListed) + " more)");
    problems.add(kCommandLine, "--place", code,
                 "a place code of " + first.arg + ": " + text::join(codes));
  } else {
    for (Input& in : inputs) {
      if (const auto p = in.info().place_index(code))
        in.place = *p;
      else
        problems.add({in.arg, 0, 0}, "", "", "has no place " + code + " (" + first.arg + " has)");
    }
  }
  if (!problems.empty()) throw InputError(problems);

  // Labels: the points of a sweep share a scenario name; their rows must still be told apart.
  std::vector<LabelSource> sources;
  for (const Input& in : inputs)
    sources.push_back({in.arg, in.info().scenario_name, in.info().scenario_yaml});
  const std::vector<std::string> labels = run_labels(sources);
  for (std::size_t j = 0; j < inputs.size(); ++j) inputs[j].label = labels[j];

  // Every file is summarised over the same ticks, so that the differences compare like with like.
  Tick horizon = f0.ticks;
  for (const Input& in : inputs) horizon = std::min(horizon, in.horizon);

  // Statistics: results[indicator][file].
  std::vector<std::vector<Result>> results(names.size());
  for (std::size_t k = 0; k < names.size(); ++k)
    for (const Input& in : inputs)
      results[k].push_back(compute(in, *in.info().indicator_index(names[k]), horizon));

  // ---- the table ----
  const OutputPlace& place = f0.places[*f0.place_index(code)];
  out << "model      " << f0.model << '\n'
      << "place      " << place.code
      << (place.name.empty() || place.name == place.code ? "" : " " + place.name)
      << (place.level.empty() ? "" : " (" + place.level + ")") << '\n'
      << "time       " << time_axis_text(f0);
  if (horizon < f0.ticks) out << "; statistics up to tick " << horizon << " (see notes)";
  out << '\n';
  if (!chosen.empty()) out << "indicators " << chosen << '\n';
  out << "statistics mean over replicates with a 95% t interval; difference from " << first.arg
      << " with a 95% interval, paired where the replicates share seeds, else Welch (column"
         " \"interval\")\n\n";

  text::Table files({"file", "label", "replicates", "status"}, {false, false, true, false});
  for (const Input& in : inputs) {
    const OutputFileInfo& f = in.info();
    std::string reps = std::to_string(in.replicates.size());
    if (in.replicates.size() != f.replicates) reps += " of " + std::to_string(f.replicates);
    files.add({in.arg, in.label, reps, f.status});
  }
  files.print(out, "");
  bool noted = false;
  for (const Input& in : inputs)
    if (!in.note.empty()) {
      out << (noted ? "" : "\nnotes:\n") << "  " << in.arg << ": " << in.note << '\n';
      noted = true;
    }
  if (horizon < f0.ticks) {
    out << (noted ? "" : "\nnotes:\n") << "  every file is summarised up to tick " << horizon
        << ", the last tick all of them hold\n";
  }

  for (int s : {kEnd, kTimeMean}) {
    const std::string end_date = date_of(f0, horizon);
    if (s == kEnd)
      out << "\nend of run (tick " << horizon << (end_date.empty() ? "" : ", " + end_date)
          << "):\n";
    else
      out << "\ntime mean (ticks 1-" << horizon << "):\n";
    text::Table t({"indicator", "unit", "label", "mean", "95% CI", "difference", "95% CI", "interval"},
                  {false, false, false, true, false, true, false, false});
    for (std::size_t k = 0; k < names.size(); ++k) {
      for (std::size_t j = 0; j < inputs.size(); ++j) {
        const stats::Sample& b = results[k][j].sample[s];
        std::string diff, diff_ci, how;
        if (j > 0) {
          const Compared c = compare_to(results[k][0], results[k][j], s);
          diff = text::signed_number(c.d.value);
          diff_ci = interval_text(c.d.ci, true);
          how = c.paired ? "paired (" + std::to_string(c.pairs) + ")" : "Welch";
        }
        t.add({j == 0 ? names[k] : "", j == 0 ? f0.indicators[index0[k]].units : "",
               inputs[j].label,
               text::number(b.mean), interval_text(stats::mean_interval(b), false), diff, diff_ci,
               how});
      }
    }
    t.print(out);
  }

  // ---- the CSV ----
  if (vm.count("csv")) {
    const std::string path = vm["csv"].as<std::string>();
    std::ofstream csv(path, std::ios::binary | std::ios::trunc);
    if (!csv) throw RunError("cannot write " + path + ": " + std::strerror(errno));
    csv << "file,scenario,label,indicator,unit,place,statistic,from_tick,to_tick,replicates,mean,"
           "sd,ci_low,ci_high,difference,difference_ci_low,difference_ci_high,welch_df,"
           "difference_method,pairs\n";
    for (std::size_t k = 0; k < names.size(); ++k)
      for (int s : {kEnd, kTimeMean})
        for (std::size_t j = 0; j < inputs.size(); ++j) {
          const stats::Sample& b = results[k][j].sample[s];
          const stats::Interval ci = stats::mean_interval(b);
          csv << text::csv(inputs[j].arg) << ',' << text::csv(inputs[j].info().scenario_name) << ','
              << text::csv(inputs[j].label) << ','
              << text::csv(names[k]) << ',' << text::csv(f0.indicators[index0[k]].units) << ','
              << text::csv(code) << ',' << kStatName[s] << ',' << (s == kEnd ? horizon : 1) << ','
              << horizon << ',' << b.n << ',' << text::exact(b.mean) << ',' << text::exact(b.sd)
              << ',' << text::exact(ci.low) << ',' << text::exact(ci.high);
          if (j == 0) {
            csv << ",,,,,,\n";
          } else {
            const Compared c = compare_to(results[k][0], results[k][j], s);
            csv << ',' << text::exact(c.d.value) << ',' << text::exact(c.d.ci.low) << ','
                << text::exact(c.d.ci.high) << ',' << (c.paired ? "" : text::exact(c.d.df)) << ','
                << (c.paired ? "paired" : "welch") << ',' << (c.paired ? std::to_string(c.pairs) : "")
                << '\n';
          }
        }
    csv.close();
    if (!csv) throw RunError("cannot write " + path + ": " + std::strerror(errno));
    err << "wrote " << path << '\n';
  }
  return 0;
}

}  // namespace buurtlab
