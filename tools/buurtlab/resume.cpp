#include "resume.hpp"

#include <oneapi/tbb/info.h>

#include <algorithm>
#include <cstdio>
#include <boost/program_options.hpp>
#include <filesystem>
#include <ostream>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/output.hpp"
#include "buurtlab/output_reader.hpp"
#include "buurtlab/scenario_loader.hpp"
#include "buurtlab/simulation.hpp"
#include "buurtlab/version.hpp"
#include "checkpoints.hpp"
#include "options.hpp"
#include "stop_signals.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace buurtlab {

namespace {

const char* const kHelp =
    "usage: buurtlab resume OUTPUT.h5 [options]\n"
    "\n"
    "Continues a run that was stopped, killed or failed, from the checkpoints that\n"
    "'buurtlab run --checkpoint-every DURATION' wrote beside OUTPUT.h5 (in\n"
    "OUTPUT.h5.checkpoint/). Replicates that completed are kept, those with a\n"
    "checkpoint continue after it, the others start again. The file ends as an\n"
    "uninterrupted run would have left it, value for value, whatever the thread\n"
    "counts. Only the program version that wrote the file can continue it.\n\n";

std::string replicates_text(const std::vector<std::uint32_t>& v) {
  std::string s;
  for (std::size_t k = 0; k < v.size(); ++k) s += (k ? ", " : "") + std::to_string(v[k] + 1);
  return s;
}

}  // namespace

Tick checkpoint_interval(const std::string& duration, const Scenario& sc) {
  const auto p = Period::parse(duration);
  if (!p)
    throw InputError("--checkpoint-every: '" + duration +
                     "' is not a duration; expected e.g. '1 year', '26 weeks' or '6 months'");
  return std::max<Tick>(1, Clock::ticks_for(sc.start, sc.tick, *p));
}

std::optional<ResumePlan> plan_resume(const ModelRegistry& models, const fs::path& path) {
  // What the file holds, and the scenario it records.
  OutputFileInfo finfo;
  std::vector<std::vector<double>> values;  // per (indicator, place): R x (T + 1)
  Scenario sc;
  const Model* model = nullptr;
  {
    const auto reader = open_output(path);
    finfo = reader->info();
    if (finfo.complete()) return std::nullopt;
    if (finfo.buurtlab_version != version() || finfo.git_commit != git_commit())
      throw InputError(path.string() + ": written by buurtlab " + finfo.buurtlab_version +
                       " (commit " + finfo.git_commit + "), this is " + std::string(version()) +
                       " (commit " + std::string(git_commit()) +
                       "); only the program that wrote a run continues it, so that the result "
                       "is the one the run would have given");
    sc = load_scenario_text(finfo.scenario_yaml, finfo.scenario_file, models);
    sc.source_file = finfo.scenario_file;
    model = models.find(sc.model);
    if (!model) throw InputError(path.string() + ": model " + sc.model + " is not built into this program");
    if (!model->supports_checkpoints())
      throw InputError(path.string() + ": model " + sc.model + " cannot resume runs");
    if (sc.replicates != finfo.replicates || sc.ticks() != finfo.ticks)
      throw InputError(path.string() + ": its scenario does not give the file's shape");
    const std::size_t n_ind = model->indicators().size();
    if (finfo.indicators.size() != n_ind)
      throw InputError(path.string() + ": has " + std::to_string(finfo.indicators.size()) +
                       " indicators, the model " + std::to_string(n_ind));
    values.resize(n_ind * sc.places.size());
    for (std::size_t i = 0; i < n_ind; ++i)
      for (std::size_t p = 0; p < sc.places.size(); ++p)
        values[i * sc.places.size() + p] = reader->read_place(i, p);
  }  // the reader is closed before the file is opened for writing

  const std::uint32_t R = sc.replicates;
  const Tick T = sc.ticks();
  const CheckpointIdentity id = checkpoint_identity(sc);
  const auto saved = read_checkpoints(path, id, R);
  const auto frame_at = [&](std::uint32_t r, Tick t) {
    IndicatorFrame f(model->indicators().size(), sc.places.size());
    for (std::size_t i = 0; i < f.indicators(); ++i)
      for (std::size_t p = 0; p < f.places(); ++p)
        f.at(i, p) = values[i * sc.places.size() + p][std::size_t(r) * (T + 1) + t];
    return f;
  };
  ResumePlan plan;
  std::vector<ReplicateStart>& starts = plan.starts;
  std::vector<Tick>& kept = plan.kept;
  starts.resize(R);
  kept.assign(R, 0);
  auto& complete = plan.complete;
  auto& continued = plan.continued;
  auto& again = plan.again;
  Tick& every = plan.every;
  for (std::uint32_t r = 0; r < R; ++r) {
    const Tick written = r < finfo.ticks_written.size() ? std::max(0, finfo.ticks_written[r]) : 0;
    if (saved[r]) every = std::max(every, saved[r]->every);
    if (written == T + 1) {
      starts[r] = {ReplicateStart::From::complete, saved[r] ? saved[r]->state : "",
                   frame_at(r, 0), frame_at(r, T)};
      kept[r] = T + 1;
      complete.push_back(r);
    } else if (saved[r] && saved[r]->tick + 1 <= written) {
      starts[r] = {ReplicateStart::From::state, saved[r]->state, frame_at(r, 0),
                   frame_at(r, saved[r]->tick)};
      kept[r] = saved[r]->tick + 1;
      continued.push_back(r);
    } else {
      again.push_back(r);
    }
  }
  plan.sc = std::move(sc);
  plan.recorded_yaml = finfo.scenario_yaml;
  plan.model = model;
  return plan;
}

int cmd_resume(const ModelRegistry& models, const std::vector<std::string>& args,
               std::ostream& out, std::ostream& err) {
  po::options_description desc("options");
  // clang-format off
  desc.add_options()
      ("help,h", "show this help")
      ("threads", po::value<int>()->value_name("N"),
       "worker threads (default: all hardware threads); results do not depend on it")
      ("serial", "use the serial reference executor")
      ("checkpoint-every", po::value<std::string>()->value_name("DURATION"),
       "keep taking checkpoints at this interval (default: the interval the run used)")
      ("quiet,q", "no progress lines");
  // clang-format on
  const auto vm = parse_command_line(args, desc, "file");
  if (vm.count("help")) {
    out << kHelp << desc;
    return 0;
  }
  if (!vm.count("file")) throw po::error("resume needs the output file of the run to continue");
  const auto& files = vm["file"].as<std::vector<std::string>>();
  if (files.size() != 1) throw po::error("resume takes one output file");
  const fs::path path = files[0];
  int threads = static_cast<int>(oneapi::tbb::info::default_concurrency());
  if (vm.count("threads")) {
    if (vm.count("serial")) throw po::error("--serial and --threads exclude each other");
    threads = vm["threads"].as<int>();
    if (threads < 1) throw po::error("--threads expects a positive integer");
  }
  if (vm.count("serial")) threads = 0;
  const bool quiet = vm.count("quiet") > 0;

  std::optional<ResumePlan> plan = plan_resume(models, path);
  if (!plan) {
    out << path.string() << " is complete; there is nothing to resume\n";
    return 0;
  }
  const Scenario& sc = plan->sc;
  const Model* model = plan->model;
  const std::uint32_t R = sc.replicates;
  const CheckpointIdentity id = checkpoint_identity(sc);
  std::vector<ReplicateStart>& starts = plan->starts;
  const std::vector<Tick>& kept = plan->kept;
  const auto& complete = plan->complete;
  const auto& continued = plan->continued;
  const auto& again = plan->again;
  Tick every = plan->every;
  if (vm.count("checkpoint-every")) every = checkpoint_interval(vm["checkpoint-every"].as<std::string>(), sc);

  out << "resuming  " << path.string() << " (scenario " << sc.name << ", " << R
      << (R == 1 ? " replicate" : " replicates") << ")\n";
  if (!complete.empty()) out << "  complete:                  " << replicates_text(complete) << '\n';
  for (std::uint32_t r : continued)
    out << "  replicate " << r + 1 << " continues after tick " << kept[r] - 1 << '\n';
  if (!again.empty()) out << "  starting again (no checkpoint): " << replicates_text(again) << '\n';
  out.flush();

  const OutputInfo info = make_output_info(*model, sc, threads);
  StopSignals signals(err, "buurtlab: stopping after the current tick; " + path.string() +
                               " keeps its checkpoints and 'buurtlab resume' continues it again");
  auto writer = reopen_hdf5_writer(path, info, kept);
  std::optional<CheckpointStore> store;
  if (every > 0) store.emplace(path, id, every, /*fresh=*/false);

  RunOptions opt;
  opt.threads = threads;
  opt.stop = signals.flag();
  opt.resume = &starts;
  if (store) {
    opt.checkpoint_every = every;
    opt.checkpoint = [&](const ReplicateCheckpoint& c) { store->write(c); };
  }
  if (!quiet)
    opt.progress = [&](const Progress& p) {
      if (!p.spin_up && p.tick % 52 == 0)
        err << "progress: replicate " << p.replicate + 1 << '/' << p.replicates << " tick "
            << p.tick << '/' << p.ticks << '\n';
    };
  const RunResult res = run_simulation(*model, sc, opt, writer.get());
  writer.reset();
  if (res.status == RunStatus::complete) {
    std::error_code ec;
    fs::remove_all(checkpoint_dir(path), ec);  // complete: nothing left to resume
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", res.seconds);
    out << "complete  " << path.string() << " (" << res.replicates_done
        << (res.replicates_done == 1 ? " replicate" : " replicates") << "), " << secs
        << " s; 'buurtlab compare' or 'plot' read it\n";
    return 0;
  }
  err << "buurtlab: interrupted; " << path.string()
      << " is marked interrupted; 'buurtlab resume " << path.string() << "' continues it\n";
  return 1;
}

}  // namespace buurtlab
