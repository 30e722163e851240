// buurtlab._core: the engine's public API for Python (docs/python.md). It stays close to the
// engine's types and returns plain Python values and numpy arrays; the package around it
// (buurtlab/__init__.py) turns them into xarray and pandas objects and documents the API.
//
// A run's attributes mirror those the HDF5 writer stores (engine/output/hdf5_writer.cpp,
// create_layout and write_spin_up_attributes), so that the Dataset of a run equals the file of the
// same run opened with xarray; tests/tools/pybuurtlab_test.py compares the two.
#include <oneapi/tbb/info.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <ctime>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/memory_output.hpp"
#include "buurtlab/output.hpp"
#include "buurtlab/rng.hpp"
#include "buurtlab/scenario_loader.hpp"
#include "buurtlab/simulation.hpp"
#include "buurtlab/spin_up.hpp"
#include "buurtlab/version.hpp"
#include "registry.hpp"

namespace py = pybind11;
namespace fs = std::filesystem;

namespace buurtlab {
namespace {

const ModelRegistry& models() {
  static const ModelRegistry registry = builtin_models();
  return registry;
}

// The exception types, created at import and kept for the translator. Plain handles that own a
// reference never given back: a py::object would be released by a static destructor after the
// interpreter has already gone at exit.
py::handle scenario_error_type;
py::handle run_error_type;

std::vector<Override> to_overrides(const std::vector<std::pair<std::string, std::string>>& sets) {
  std::vector<Override> out;
  out.reserve(sets.size());
  for (const auto& [k, v] : sets) out.push_back({k, v});
  return out;
}

const Model& model_of(const Scenario& sc) {
  const Model* m = models().find(sc.model);
  // The loader checks the model, so this is the CLI's belt and braces, with its message.
  if (!m) throw InputError(sc.source_file + ": model: unknown model '" + sc.model + "'");
  return *m;
}

std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// numpy scalars of the types h5netcdf gives for the file's attributes, so that attributes compare
// equal, type included.
py::object np_int32(long long v) { return py::module_::import("numpy").attr("int32")(v); }
py::object np_uint64(std::uint64_t v) { return py::module_::import("numpy").attr("uint64")(v); }
py::object np_float64(double v) { return py::module_::import("numpy").attr("float64")(v); }

py::dict param_dict(const ParamDecl& d) {
  py::dict o;
  o["name"] = d.name;
  o["type"] = d.type_name();
  o["unit"] = d.unit;
  switch (d.type) {
    case ParamType::real: o["default"] = d.default_value; break;
    case ParamType::integer: o["default"] = static_cast<long long>(d.default_value); break;
    case ParamType::boolean: o["default"] = d.default_value != 0; break;
    case ParamType::choice: o["default"] = d.value_text(d.default_value); break;
  }
  o["default_text"] = d.value_text(d.default_value);
  o["range"] = d.range_text();
  const bool numeric = d.type == ParamType::real || d.type == ParamType::integer;
  o["min"] = numeric ? d.min : std::nan("");
  o["max"] = numeric ? d.max : std::nan("");
  o["choices"] = d.choices;
  o["description"] = d.doc;
  o["source"] = d.source;
  return o;
}

py::list params_list(const ParamSchema& s) {
  py::list out;
  for (const ParamDecl& d : s.decls()) out.append(param_dict(d));
  return out;
}

py::dict describe_model(const std::string& name) {
  const Model* m = models().find(name);
  if (!m) {
    std::string known;
    for (const auto& n : models().names()) known += (known.empty() ? "" : ", ") + n;
    throw py::value_error("unknown model '" + name + "'; known models: " +
                          (known.empty() ? std::string("none") : known));
  }
  py::dict o;
  o["name"] = std::string(m->name());
  o["description"] = std::string(m->description());
  o["parameters"] = params_list(m->parameters());
  o["place_attributes"] = params_list(m->place_attributes());
  py::list hooks;
  for (const HookDecl& h : m->hooks()) {
    py::dict d;
    d["name"] = h.name;
    d["description"] = h.doc;
    d["arguments"] = params_list(h.args);
    hooks.append(d);
  }
  o["hooks"] = hooks;
  py::list indicators;
  for (const IndicatorDecl& d : m->indicators()) {
    py::dict i;
    i["name"] = d.name;
    i["unit"] = d.unit;
    i["description"] = d.description;
    indicators.append(i);
  }
  o["indicators"] = indicators;
  o["summary_indicators"] = m->summary_indicators();
  return o;
}

py::dict list_models() {
  py::dict o;
  for (const std::string& n : models().names())
    o[py::str(n)] = std::string(models().find(n)->description());
  return o;
}

py::list list_scenarios() {
  py::list out;
  for (const std::string& n : builtin_scenarios()) out.append("builtin:" + n);
  return out;
}

py::dict validate(const std::string& file,
                  const std::vector<std::pair<std::string, std::string>>& sets) {
  Scenario sc;
  {
    py::gil_scoped_release release;
    sc = load_scenario(file, models(), to_overrides(sets));
  }
  model_of(sc);
  const Clock clock = sc.clock();
  std::size_t n[3] = {0, 0, 0};
  for (const auto& p : sc.places) ++n[static_cast<int>(p.level)];
  py::dict o;
  o["name"] = sc.name;
  o["description"] = sc.description;
  o["model"] = sc.model;
  o["source_file"] = sc.source_file;
  o["start"] = sc.start.iso();
  o["end"] = clock.date_of(clock.ticks()).iso();
  o["duration"] = sc.duration.text();
  o["tick"] = sc.tick.text();
  o["ticks"] = clock.ticks();
  o["spin_up"] = sc.spin_up_ticks() > 0 ? sc.spin_up.text() : std::string("none");
  o["spin_up_ticks"] = sc.spin_up_ticks();
  o["replicates"] = sc.replicates;
  o["seed"] = sc.seed;
  o["places"] = sc.places.size();
  o["wijken"] = n[static_cast<int>(PlaceLevel::wijk)];
  o["buurten"] = n[static_cast<int>(PlaceLevel::buurt)];
  o["residents"] = sc.places.empty() ? std::int64_t{0} : sc.places[0].population;
  o["events"] = sc.timeline.size();
  o["changed_parameters"] =
      sc.parameters.size() ? sc.parameters.changed() : std::vector<std::string>{};
  o["output_file"] = sc.output.file;
  o["scenario_yaml"] = sc.resolved_yaml;
  return o;
}

// Root and per-indicator attributes of the spin-up check, as write_spin_up_attributes stores them.
void spin_up_attributes(const OutputInfo& info, const std::vector<SpinUpCheck>& each,
                        py::dict& root, py::dict& per_indicator) {
  const SpinUpCheck pooled = pool_checks(each, info.settle_rule);
  std::string drifting;
  for (const IndicatorSettling& s : pooled.indicators)
    if (s.checked && !s.settled) drifting += (drifting.empty() ? "" : ", ") + s.name;
  std::string verdict;
  if (info.spin_up_ticks == 0) verdict = "none";
  else if (info.settle_window == 0) verdict = "not checked";
  else if (!pooled.done) verdict = "pending";
  else verdict = drifting.empty() ? "settled" : "drifting";
  root["spin_up_check"] = verdict;
  root["spin_up_checked"] = np_int32(pooled.replicates);
  root["spin_up_drifting"] = drifting;
  if (info.spin_up_ticks == 0 || info.settle_window == 0) return;
  const std::size_t R = each.size();
  for (const std::string& name : info.settle_indicators) {
    py::array_t<double> previous(static_cast<py::ssize_t>(R)), last(static_cast<py::ssize_t>(R));
    auto p = previous.mutable_unchecked<1>();
    auto l = last.mutable_unchecked<1>();
    for (std::size_t r = 0; r < R; ++r) {
      p(r) = l(r) = std::nan("");
      if (!each[r].checked()) continue;
      for (const IndicatorSettling& s : each[r].indicators)
        if (s.name == name && s.checked) {
          p(r) = s.previous;
          l(r) = s.last;
        }
    }
    double change = std::nan("");
    int settled = -1;
    for (const IndicatorSettling& s : pooled.indicators)
      if (s.name == name && s.checked) {
        change = s.change;
        settled = s.settled ? 1 : 0;
      }
    py::dict a;
    a["spin_up_previous"] = previous;
    a["spin_up_last"] = last;
    a["spin_up_change"] = np_float64(change);
    a["spin_up_settled"] = np_int32(settled);
    per_indicator[py::str(name)] = a;
  }
}

template <class T>
py::array_t<T> to_array(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

// Runs the simulation on a thread of its own while this thread, the caller's, waits with the GIL
// released and takes it back a few times a second to let Python handle signals: Python runs its
// signal handlers only on the main thread, so Ctrl-C can only be noticed here. A handler that
// raises (KeyboardInterrupt) stops the run after the current tick, as SIGINT does in the CLI, and
// the exception is raised once the run has ended and the file, if any, is closed.
RunResult run_interruptibly(const Model& model, const Scenario& sc, RunOptions opt,
                            TrajectoryWriter* writer) {
  std::atomic<bool> stop{false};
  opt.stop = &stop;
  RunResult result;
  std::exception_ptr failure;
  std::optional<py::error_already_set> raised;
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        result = run_simulation(model, sc, opt, writer);
      } catch (...) {
        failure = std::current_exception();
      }
      {
        const std::lock_guard<std::mutex> lock(m);
        done = true;
      }
      cv.notify_all();
    });
    std::unique_lock<std::mutex> lock(m);
    while (!cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return done; })) {
      if (raised) continue;  // stopping: wait for the current ticks to end
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        if (PyErr_CheckSignals() != 0) {
          raised.emplace();  // takes the pending Python exception
          stop = true;
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (raised) throw std::move(*raised);
  if (failure) {
    // As in the CLI, whatever else stops a run is a run failure (exit code 1 there).
    try {
      std::rethrow_exception(failure);
    } catch (const InputError&) {
      throw;
    } catch (const RunError&) {
      throw;
    } catch (const std::exception& e) {
      throw RunError(e.what());
    }
  }
  return result;
}

py::dict run(const std::string& file, const std::vector<std::pair<std::string, std::string>>& sets,
             std::optional<int> threads_arg, std::optional<std::string> output, bool overwrite) {
  int threads = static_cast<int>(oneapi::tbb::info::default_concurrency());
  if (threads_arg) {
    if (*threads_arg < 0)
      throw py::value_error("threads: got " + std::to_string(*threads_arg) +
                            ", expected a positive number, 0 for the serial reference "
                            "executor, or None for all hardware threads");
    threads = *threads_arg;
  }

  // Everything about the input is checked before anything is written, as `buurtlab run` does.
  Scenario sc;
  {
    py::gil_scoped_release release;
    sc = load_scenario(file, models(), to_overrides(sets));
  }
  const Model& model = model_of(sc);
  std::unique_ptr<TrajectoryWriter> file_writer;
  const OutputInfo info = make_output_info(model, sc, threads);
  if (output) {
    const fs::path path(*output);
    std::error_code ec;
    const bool exists = fs::exists(path, ec);
    if (exists && !overwrite) {
      PyErr_SetString(PyExc_FileExistsError,
                      (*output + " exists; pass overwrite=True to replace it or choose another "
                                 "output file").c_str());
      throw py::error_already_set();
    }
    if (exists && fs::is_directory(path, ec)) {
      PyErr_SetString(PyExc_IsADirectoryError, (*output + " is a directory").c_str());
      throw py::error_already_set();
    }
    if (path.has_parent_path() && !fs::exists(path.parent_path(), ec)) {
      fs::create_directories(path.parent_path(), ec);
      if (ec) throw RunError("cannot create " + path.parent_path().string() + ": " + ec.message());
    }
    file_writer = create_hdf5_writer(path, info, overwrite);
  }
  const std::string created = utc_now_iso();
  MemoryTrajectories memory(info, sc.places.size(), file_writer.get());

  RunOptions opt;
  opt.threads = threads;
  const RunResult res = run_interruptibly(model, sc, opt, &memory);
  file_writer.reset();  // closes the file before the caller reads it

  // Values as (indicator, replicate, time, place), so that each indicator is one contiguous block.
  const std::size_t R = memory.replicates(), T = memory.time_points(),
                    I = memory.indicators(), P = memory.places();
  py::array_t<double> values({static_cast<py::ssize_t>(I), static_cast<py::ssize_t>(R),
                              static_cast<py::ssize_t>(T), static_cast<py::ssize_t>(P)});
  {
    double* out = values.mutable_data();
    const std::vector<double>& v = memory.values();
    for (std::size_t i = 0; i < I; ++i)
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t t = 0; t < T; ++t)
          for (std::size_t p = 0; p < P; ++p)
            *out++ = v[((r * T + t) * I + i) * P + p];
  }

  const Clock clock(sc.start, sc.tick, info.ticks);
  std::vector<double> days(T);
  for (std::size_t t = 0; t < T; ++t) days[t] = clock.days_since_start(static_cast<Tick>(t));
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
  std::vector<std::int32_t> ticks_written(R, 0);
  for (std::size_t r = 0; r < R && r < res.time_points.size(); ++r)
    ticks_written[r] = static_cast<std::int32_t>(res.time_points[r]);

  py::dict attrs;
  attrs["title"] = "buurtlab trajectories: scenario " + sc.name + ", model " + info.model;
  attrs["buurtlab_version"] = std::string(version());
  attrs["git_commit"] = std::string(git_commit());
  attrs["model"] = info.model;
  attrs["scenario_name"] = sc.name;
  attrs["scenario_description"] = sc.description;
  attrs["scenario_file"] = sc.source_file;
  attrs["scenario_yaml"] = sc.resolved_yaml;
  attrs["seed"] = np_uint64(sc.seed);
  attrs["replicates"] = np_int32(R);
  attrs["ticks"] = np_int32(info.ticks);
  attrs["tick_length"] = sc.tick.text();
  attrs["start_date"] = sc.start.iso();
  attrs["flush_every"] = np_int32(info.flush_every);
  attrs["threads"] = np_int32(threads);
  attrs["status"] = std::string(to_string(res.status));
  attrs["complete"] = np_int32(res.status == RunStatus::complete ? 1 : 0);
  attrs["created"] = created;
  attrs["spin_up"] = info.spin_up_ticks > 0 ? sc.spin_up.text() : std::string("none");
  attrs["spin_up_ticks"] = np_int32(info.spin_up_ticks);
  attrs["spin_up_window"] = np_int32(info.spin_up_ticks > 0 ? info.settle_window : 0);
  attrs["spin_up_tolerance"] = np_float64(info.settle_rule.tolerance);
  attrs["spin_up_noise_sd"] = np_float64(info.settle_rule.noise_sd);
  py::dict settle;
  spin_up_attributes(info, memory.spin_up(), attrs, settle);

  py::list indicators;
  for (const IndicatorDecl& d : *info.indicators) {
    py::dict a;
    a["units"] = d.unit;
    a["long_name"] = d.description;
    if (settle.contains(d.name))
      for (auto item : settle[py::str(d.name)].cast<py::dict>()) a[item.first] = item.second;
    indicators.append(py::make_tuple(d.name, a));
  }

  py::dict o;
  o["values"] = values;
  o["indicators"] = indicators;
  o["time_days"] = to_array(days);
  o["time_units"] = "days since " + sc.start.iso();
  o["place_code"] = codes;
  o["place_name"] = names;
  o["place_level"] = levels;
  o["place_parent"] = to_array(parents);
  o["place_population"] = to_array(populations);
  o["replicate_seed"] = to_array(info.replicate_seeds);
  o["ticks_written"] = to_array(ticks_written);
  o["attrs"] = attrs;
  o["output"] = output ? py::object(py::str(*output)) : py::object(py::none());
  return o;
}

}  // namespace
}  // namespace buurtlab

PYBIND11_MODULE(_core, m) {
  using namespace buurtlab;
  m.doc() = "The Buurtlab engine, compiled; use the package buurtlab rather than this module.";

  // ScenarioError is a ValueError and RunError a RuntimeError, so that handlers written for the
  // built-in exceptions catch them too.
  scenario_error_type = PyErr_NewExceptionWithDoc(
      "buurtlab.ScenarioError",
      "A scenario or an override is invalid; `errors` lists each problem as "
      "file:line:column: key: got VALUE, expected ...",
      PyExc_ValueError, nullptr);
  run_error_type = PyErr_NewExceptionWithDoc(
      "buurtlab.RunError", "A run failed for a reason other than its input.", PyExc_RuntimeError,
      nullptr);
  if (!scenario_error_type || !run_error_type) throw py::error_already_set();
  m.attr("ScenarioError") = scenario_error_type;
  m.attr("RunError") = run_error_type;

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      // The CLI prints one line per problem; the exception's text is those lines, and `errors`
      // holds them one by one.
      std::vector<std::string> lines;
      for (const Diagnostic& d : e.diagnostics().items()) lines.push_back(d.text());
      if (lines.empty()) {
        std::string msg = e.what();
        while (!msg.empty() && msg.back() == '\n') msg.pop_back();
        lines.push_back(msg);
      }
      std::string text;
      for (const auto& l : lines) text += (text.empty() ? "" : "\n") + l;
      py::object exc = scenario_error_type(text);
      exc.attr("errors") = lines;
      PyErr_SetObject(scenario_error_type.ptr(), exc.ptr());
    } catch (const RunError& e) {
      PyErr_SetString(run_error_type.ptr(), e.what());
    }
  });

  m.def("version", [] { return std::string(version()); });
  m.def("git_commit", [] { return std::string(git_commit()); });
  m.def("models", &list_models);
  m.def("scenarios", &list_scenarios);
  m.def("describe", &describe_model, py::arg("model"));
  m.def("validate", &validate, py::arg("scenario"), py::arg("sets"));
  m.def("run", &run, py::arg("scenario"), py::arg("sets"), py::arg("threads"), py::arg("output"),
        py::arg("overwrite"));
}
