// `buurtlab sweep`. docs/ensembles.md describes the command; the design choices that matter:
//  - A point is a list of override values computed from its number when needed
//    (sweep_design.hpp), and its scenario is loaded only to check it and to run it, so neither
//    the points nor their scenarios are ever all held in memory.
//  - Every point's scenario is loaded and checked before anything runs or is written, so that a
//    typo in the tenth value does not surface after nine finished runs.
//  - DIR/sweep.yaml records the command. Re-running the same command resumes: a point whose file
//    is complete and was made from the same scenario is kept; any other file is run again.
//  - Points run one after the other, each with all threads, and each file is finished before the
//    next point starts: a sweep killed at any moment loses at most the point it was running.
#include "sweep.hpp"

#include "checkpoints.hpp"
#include "resume.hpp"
#include "stop_signals.hpp"

#include <fcntl.h>
#include <oneapi/tbb/info.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/program_options.hpp>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/output.hpp"
#include "buurtlab/output_reader.hpp"
#include "buurtlab/rng.hpp"
#include "buurtlab/scenario_loader.hpp"
#include "buurtlab/simulation.hpp"
#include "buurtlab/version.hpp"
#include "memory_check.hpp"
#include "options.hpp"
#include "sweep_design.hpp"
#include "text.hpp"

namespace buurtlab {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

// Points named in one validation message before "and N more".
constexpr std::size_t kMaxSweepPointsNamed = 8;

const SourceLocation kCommandLine{"<command line>", 0, 0};


// ---------------------------------------------------------------------------------------------
// --vary values

std::optional<double> parse_number(const std::string& s) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
  return v;
}

// "lo:hi" with two numbers, else nullopt.
std::optional<std::pair<double, double>> parse_range(const std::string& s) {
  const auto colon = s.find(':');
  if (colon == std::string::npos || s.find(':', colon + 1) != std::string::npos)
    return std::nullopt;
  const auto lo = parse_number(s.substr(0, colon)), hi = parse_number(s.substr(colon + 1));
  if (!lo || !hi) return std::nullopt;
  return std::pair{*lo, *hi};
}

std::string point_label(const Design& d, const std::vector<std::string>& values) {
  std::string s;
  for (std::size_t k = 0; k < values.size(); ++k) {
    const std::string& key = d.vary()[k].key;
    // The last part of the key is enough to tell the values apart in a progress line.
    const auto dot = key.rfind('.');
    s += (s.empty() ? "" : " ") + (dot == std::string::npos ? key : key.substr(dot + 1)) + "=" +
         values[k];
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// The folder: sweep.yaml, sweep.csv, point files, the lock.

enum class PointState : std::uint8_t {
  pending,
  kept,
  redo,
  running,
  complete,
  interrupted,
  failed
};

const char* state_text(PointState s) {
  switch (s) {
    case PointState::pending:
      return "pending";
    case PointState::redo:
      return "pending";
    case PointState::kept:
      return "complete";
    case PointState::running:
      return "running";
    case PointState::complete:
      return "complete";
    case PointState::interrupted:
      return "interrupted";
    case PointState::failed:
      return "failed";
  }
  return "?";
}

std::string point_file(std::size_t i, std::size_t points) {
  const std::size_t width = std::max<std::size_t>(4, std::to_string(points - 1).size());
  std::string n = std::to_string(i);
  return "point-" + std::string(width - std::min(width, n.size()), '0') + n + ".h5";
}

bool is_point_file(const std::string& name) {
  if (name.size() < 10 || name.rfind("point-", 0) != 0 || !name.ends_with(".h5")) return false;
  const std::string digits = name.substr(6, name.size() - 9);
  return digits.find_first_not_of("0123456789") == std::string::npos;
}

// A double-quoted YAML scalar: any text reads back as itself.
std::string yaml_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + '"';
}

// FNV-1a: enough to notice that a scenario changed between two runs of a sweep (not a guard
// against anyone forging one).
std::string digest(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string("fnv1a64:") + buf;
}

struct Command {
  std::string scenario;  // as given
  const Scenario* base = nullptr;
  std::vector<Override> sets;  // --set, --seed and --replicates, in that order
  std::optional<std::uint64_t> design_seed;  // --design-seed; else the run seed keys the design
};

// sweep.yaml: the command in a form the comparison (line by line, comments aside) and people can
// read. Everything that changes the results is in it; --threads is not (results do not depend on
// it).
std::string sweep_yaml(const Command& cmd, const Design& design) {
  std::ostringstream y;
  y << "# buurtlab sweep: the command whose points this folder holds. Running the same command\n"
       "# again resumes the sweep (complete point files are kept); a different one is refused\n"
       "# unless --overwrite. Written by buurtlab "
    << version() << ".\n";
  y << "scenario: " << yaml_quote(cmd.scenario) << '\n'
    << "scenario_digest: " << yaml_quote(digest(cmd.base->resolved_yaml)) << '\n'
    << "model: " << yaml_quote(cmd.base->model) << '\n'
    << "seed: " << cmd.base->seed << '\n'
    << "replicates: " << cmd.base->replicates << '\n';
  if (cmd.sets.empty())
    y << "set: []\n";
  else {
    y << "set:\n";
    for (const Override& o : cmd.sets)
      y << "  - {key: " << yaml_quote(o.key) << ", value: " << yaml_quote(o.value) << "}\n";
  }
  y << "design: " << (design.latin_hypercube() ? "latin-hypercube" : "grid") << '\n';
  if (design.latin_hypercube()) y << "samples: " << design.size() << '\n';
  // Written only when given, so that the sweep.yaml of a sweep without it stays as it was and
  // such a sweep still resumes.
  if (cmd.design_seed) y << "design_seed: " << *cmd.design_seed << '\n';
  y << "vary:\n";
  for (const Vary& v : design.vary()) {
    y << "  - key: " << yaml_quote(v.key) << '\n';
    if (design.latin_hypercube()) {
      y << "    range: [" << v.lo_text << ", " << v.hi_text << "]\n"
        << "    type: " << (v.integer ? "integer" : "real") << '\n';
    } else {
      y << "    values: [";
      for (std::size_t k = 0; k < v.values.size(); ++k)
        y << (k ? ", " : "") << yaml_quote(v.values[k]);
      y << "]\n";
    }
  }
  y << "points: " << design.size() << '\n';
  return y.str();
}

std::vector<std::string> content_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') out.push_back(line);
  return out;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw RunError("cannot read " + p.string() + ": " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes via a temporary file and a rename, so that a sweep killed while writing never leaves a
// half-written sweep.csv or sweep.yaml behind.
template <class Fill>
void write_atomically(const fs::path& path, Fill fill) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw RunError("cannot write " + tmp.string() + ": " + std::strerror(errno));
    fill(out);
    out.close();
    if (!out) throw RunError("cannot write " + tmp.string() + ": " + std::strerror(errno));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw RunError("cannot write " + path.string() + ": " + ec.message());
}

void write_csv_rows(std::ostream& out, const Design& d, const std::vector<PointState>& states) {
  out << "point";
  for (const Vary& v : d.vary()) out << ',' << text::csv(v.key);
  out << ",file,status\n";
  for (std::size_t i = 0; i < d.size(); ++i) {
    out << i;
    for (const std::string& v : d.values(i)) out << ',' << text::csv(v);
    out << ',' << point_file(i, d.size()) << ',' << state_text(states[i]) << '\n';
  }
}

// An exclusive lock on the folder for as long as the sweep runs: two sweeps writing the same
// folder would overwrite each other's points. flock() on the folder itself leaves no lock file
// behind, and the kernel drops the lock when the process dies, however it dies.
class FolderLock {
 public:
  explicit FolderLock(const fs::path& dir) {
    fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) throw RunError("cannot open folder " + dir.string() + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int e = errno;
      ::close(fd_);
      if (e == EWOULDBLOCK) throw InputError("another sweep is running in " + dir.string());
      throw RunError("cannot lock folder " + dir.string() + ": " + std::strerror(e));
    }
  }
  ~FolderLock() { ::close(fd_); }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

// Why an existing point file has to be run again, or "" if it can be kept.
std::string reason_to_redo(const fs::path& file, const Scenario& sc) {
  try {
    const auto reader = open_output(file);
    const OutputFileInfo& f = reader->info();
    if (!f.complete()) {
      std::string held;
      std::uint32_t done = 0;
      for (std::int32_t n : f.ticks_written) done += n == std::int32_t(f.ticks) + 1;
      held = std::to_string(done) + " of " + std::to_string(f.replicates) + " replicates complete";
      return "is incomplete (status " + f.status + ", " + held + ")";
    }
    if (f.scenario_yaml != sc.resolved_yaml || f.model != sc.model ||
        f.replicates != sc.replicates || f.ticks != sc.ticks())
      return "was made from a different scenario";
    return "";
  } catch (const InputError& e) {
    return std::string("cannot be used: ") + e.what();
  } catch (const RunError& e) {
    return std::string("cannot be used: ") + e.what();
  }
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.2f s" : "%.1f s", s);
  return buf;
}

// The --vary options, checked against each other, the fixed overrides and, for ranges, the model's
// parameter declarations. Throws InputError listing every problem.
std::vector<Vary> parse_vary(const std::vector<std::string>& specs, bool lhs, const Model& model,
                             const std::vector<Override>& sets) {
  Diagnostics problems;
  std::vector<Vary> vary;
  for (const std::string& spec : specs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) {
      problems.add(kCommandLine, "--vary", spec, "KEY=V1,V2,... or, with --samples, KEY=LO:HI");
      continue;
    }
    Vary v;
    v.key = spec.substr(0, eq);
    const std::string rest = spec.substr(eq + 1);
    const std::string where = "--vary " + v.key;
    bool bad = false;
    if (v.key == "model") {
      problems.add(kCommandLine, where, "", "the model cannot be varied: a sweep runs one model");
      bad = true;
    }
    for (const Vary& other : vary)
      if (other.key == v.key) {
        problems.add(kCommandLine, where, "",
                     "the key is varied twice; give all its values in one --vary");
        bad = true;
      }
    for (const Override& s : sets)
      if (s.key == v.key) {
        problems.add(
            kCommandLine, where, "",
            "the key is also fixed by " +
                std::string(s.key == "seed" || s.key == "replicates" ? "--" + s.key : "--set") +
                "; vary it or fix it, not both");
        bad = true;
      }
    if (lhs) {
      const auto range = parse_range(rest);
      if (!range || !(range->first < range->second)) {
        problems.add(kCommandLine, where, rest,
                     "a range LO:HI with LO < HI (a Latin hypercube samples ranges)");
        continue;
      }
      v.lo = range->first;
      v.hi = range->second;
      const auto colon = rest.find(':');
      v.lo_text = rest.substr(0, colon);
      v.hi_text = rest.substr(colon + 1);
      // Model parameters say what they take; any other key is sampled as a real number and the
      // loader says if it wanted something else.
      const ParamDecl* decl = nullptr;
      if (v.key.rfind("parameters.", 0) == 0) decl = model.parameters().find(v.key.substr(11));
      if (decl) {
        if (decl->type == ParamType::boolean || decl->type == ParamType::choice) {
          problems.add(kCommandLine, where, rest,
                       "a list of values: " + v.key + " is a " + decl->type_name() +
                           " parameter, which a range cannot sample");
          continue;
        }
        v.integer = decl->type == ParamType::integer;
        if (v.integer && (v.lo != std::floor(v.lo) || v.hi != std::floor(v.hi))) {
          problems.add(kCommandLine, where, rest,
                       "whole numbers: " + v.key + " is an integer parameter");
          continue;
        }
        if (decl->check(v.lo) || decl->check(v.hi)) {
          problems.add(kCommandLine, where, rest,
                       "a range within the parameter's range " + decl->range_text());
          continue;
        }
      }
    } else {
      if (parse_range(rest)) {
        problems.add(kCommandLine, where, rest,
                     "a list of values V1,V2,...: a range LO:HI needs --samples N");
        continue;
      }
      std::size_t from = 0;
      while (from <= rest.size()) {
        const std::size_t comma = std::min(rest.find(',', from), rest.size());
        v.values.push_back(rest.substr(from, comma - from));
        from = comma + 1;
      }
      for (const std::string& x : v.values)
        if (x.empty()) {
          problems.add(kCommandLine, where, rest, "a comma-separated list without empty values");
          bad = true;
          break;
        }
    }
    if (!bad) vary.push_back(std::move(v));
  }
  if (!problems.empty()) throw InputError(problems);
  return vary;
}

// The scalar of a line `name: VALUE` or list item, with the quoting of yaml_quote undone.
std::string unquote(std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  for (std::size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] != '\\' || i + 2 >= v.size()) {
      out += v[i];
      continue;
    }
    const char c = v[++i];
    if (c == 'n') out += '\n';
    else if (c == 't') out += '\t';
    else if (c == 'r') out += '\r';
    else if (c == 'x' && i + 3 < v.size()) {
      out += static_cast<char>(std::strtol(std::string(v.substr(i + 1, 2)).c_str(), nullptr, 16));
      i += 2;
    } else out += c;
  }
  return out;
}

// The quoted items of `["a", "b"]` (values cannot hold a comma, see parse_vary), or of
// `{key: "k", value: "v"}` in order.
std::vector<std::string> quoted_items(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while ((i = line.find('"', i)) != std::string_view::npos) {
    std::size_t j = i + 1;
    while (j < line.size() && line[j] != '"') j += line[j] == '\\' ? 2 : 1;
    if (j >= line.size()) break;
    out.push_back(unquote(line.substr(i, j - i + 1)));
    i = j + 1;
  }
  return out;
}

// sweep.yaml read back as the options that made it, in the order written: (option as a person
// gives it, its value as text). A person who changed one option wants to hear which one, not
// which line of a file they never wrote differs. The file's own layout (sweep_yaml) is all this
// reads; a line it does not know is kept under its own name, so that nothing is missed.
std::vector<std::pair<std::string, std::string>> sweep_options(const std::string& yaml) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string vary_key;
  for (const std::string& line : content_lines(yaml)) {
    const auto colon = line.find(':');
    const std::string name = line.substr(0, colon);
    const std::string value = colon == std::string::npos ? "" : unquote(line.substr(colon + 1));
    if (line.rfind("  - {key: ", 0) == 0) {
      // A --set value; --seed and --replicates are recorded as sets of those keys.
      const auto kv = quoted_items(line);
      if (kv.size() != 2) {
        out.emplace_back(line, "");
        continue;
      }
      const bool shorthand = kv[0] == "seed" || kv[0] == "replicates";
      out.emplace_back((shorthand ? "--" : "--set ") + kv[0], kv[1]);
    } else if (line.rfind("  - key: ", 0) == 0) {
      vary_key = unquote(line.substr(9));
      out.emplace_back("--vary " + vary_key, "");
    } else if (line.rfind("    values: ", 0) == 0 || line.rfind("    range: ", 0) == 0) {
      std::string joined;
      if (line[4] == 'v') {
        for (const std::string& v : quoted_items(line)) joined += (joined.empty() ? "" : ",") + v;
      } else {
        // `range: [LO, HI]`, unquoted, as written on the command line.
        const auto a = line.find('['), comma = line.find(", "), b = line.rfind(']');
        if (a != std::string::npos && comma != std::string::npos && b != std::string::npos)
          joined = line.substr(a + 1, comma - a - 1) + ":" + line.substr(comma + 2, b - comma - 2);
      }
      if (!out.empty() && out.back().first == "--vary " + vary_key) out.back().second = joined;
    } else if (line.rfind("    type: ", 0) == 0) {
      // Follows from the parameter's declaration, not from an option.
      continue;
    } else if (name == "set" || name == "vary") {
      continue;
    } else if (name == "samples" || name == "design-seed" || name == "design_seed") {
      out.emplace_back(name == "samples" ? "--samples" : "--design-seed", value);
    } else {
      out.emplace_back(name, value);
    }
  }
  return out;
}

// What differs between the sweep recorded in a folder and this command, as
// "OPTION: was X, now Y" phrases; empty if the options read back alike.
std::vector<std::string> changed_options(const std::string& had_yaml, const std::string& now_yaml) {
  const auto had = sweep_options(had_yaml), now = sweep_options(now_yaml);
  auto find = [](const auto& opts, const std::string& name) -> const std::string* {
    for (const auto& [n, v] : opts)
      if (n == name) return &v;
    return nullptr;
  };
  std::vector<std::string> names;
  for (const auto* opts : {&had, &now})
    for (const auto& [n, v] : *opts)
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  auto differs = [&](const std::string& n) {
    const std::string *a = find(had, n), *b = find(now, n);
    return !a || !b || *a != *b;
  };
  // Options that change the resolved scenario explain a changed digest; without them the
  // scenario's file (or one it extends) has changed since the sweep was started.
  bool explained = differs("scenario");
  for (const std::string& n : names)
    if (n.rfind("--set ", 0) == 0 || n == "--seed" || n == "--replicates")
      explained = explained || differs(n);
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (!differs(n)) continue;
    const std::string *a = find(had, n), *b = find(now, n);
    const bool vary = n.rfind("--vary ", 0) == 0;
    const std::string absent = vary ? "not varied" : "not given";
    auto show = [&](const std::string* v) {
      return v ? (v->empty() ? std::string("''") : *v) : absent;
    };
    if (n == "scenario_digest") {
      if (!explained)
        out.push_back("the scenario " + show(find(now, "scenario")) + " has changed since the sweep was started (its resolved content differs)");
    } else if ((n == "seed" && differs("--seed")) || (n == "replicates" && differs("--replicates")) ||
               (n == "model" && explained) || (n == "design" && differs("--samples")) ||
               n == "points") {
      // Said already by the option that set it, or follows from the --vary lists.
      continue;
    } else if (n == "scenario") {
      out.push_back("SCENARIO: was " + show(a) + ", now " + show(b));
    } else if (n == "seed" || n == "replicates") {
      out.push_back(n + " (from the scenario): was " + show(a) + ", now " + show(b));
    } else {
      out.push_back(n + ": was " + show(a) + ", now " + show(b));
    }
  }
  return out;
}

// Looks at the folder before anything is written: true if it holds this very sweep (resume),
// false if it is new or empty or --overwrite is given; throws InputError if it holds another
// sweep or sweep files without a sweep.yaml.
bool existing_sweep(const fs::path& dir, const std::string& yaml, bool overwrite) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw InputError(dir.string() + " exists and is not a folder; -o names the sweep's folder");
  const fs::path yaml_path = dir / "sweep.yaml";
  if (fs::exists(yaml_path, ec)) {
    const auto had = content_lines(read_text(yaml_path)), now = content_lines(yaml);
    if (had == now) {
      return !overwrite;
    } else if (!overwrite) {
      if (const auto changed = changed_options(read_text(yaml_path), yaml); !changed.empty()) {
        std::string list;
        for (const std::string& c : changed) list += (list.empty() ? "" : "; ") + c;
        throw InputError(dir.string() + " holds a different sweep: " + list +
                         "; use --overwrite to replace it or -o to choose another folder");
      }
      // The options read back alike (a sweep.yaml of another layout): the first line that differs, trimmed, with the --vary key it belongs to.
      std::size_t k = 0;
      std::string key;
      while (k < had.size() && k < now.size() && had[k] == now[k]) {
        if (had[k].rfind("  - key: ", 0) == 0) key = had[k].substr(9);
        ++k;
      }
      auto quote = [&](const std::vector<std::string>& lines) {
        if (k >= lines.size()) return std::string("nothing more");
        return "'" + lines[k].substr(lines[k].find_first_not_of(' ')) + "'";
      };
      const bool nested = k < had.size() && had[k].rfind("    ", 0) == 0 && !key.empty();
      const std::string was = quote(had) + (nested ? " for " + key : ""), is = quote(now);
      throw InputError(dir.string() + " holds a different sweep: its sweep.yaml has " + was +
                       " where this command gives " + is +
                       "; use --overwrite to replace it or -o to choose another folder");
    }
  } else if (fs::is_directory(dir, ec) && !overwrite) {
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().filename() == "sweep.csv" || is_point_file(e.path().filename().string()))
        throw InputError(dir.string() +
                         " holds sweep files but no sweep.yaml; use --overwrite to "
                         "replace them or -o to choose another folder");
  }
  return false;
}

// The scenario of a point: the fixed overrides, then the point's values.
Scenario load_point(const Command& cmd, const ModelRegistry& models, const Design& design,
                    const std::vector<std::string>& values) {
  std::vector<Override> ov = cmd.sets;
  for (std::size_t k = 0; k < values.size(); ++k) ov.push_back({design.vary()[k].key, values[k]});
  return load_scenario(cmd.scenario, models, ov);
}

// Loads and checks the scenario of every point; throws InputError listing every problem once,
// with the points it occurs in. When resuming (resume_dir not empty) also decides, from the
// files there, which points are kept and which are run again.
void check_points(const Command& cmd, const ModelRegistry& models, const Design& design,
                  const fs::path& resume_dir, std::vector<PointState>& states,
                  std::map<std::size_t, std::string>& redo,
                  const std::function<void(const Scenario&)>& check) {
  const std::size_t n = design.size();
  struct Problem {
    Diagnostic d;
    std::vector<std::size_t> points;
    std::size_t count = 0;
  };
  std::vector<Problem> found;
  std::map<std::string, std::size_t> found_index;
  for (std::size_t i = 0; i < n; ++i) {
    try {
      const Scenario sc = load_point(cmd, models, design, design.values(i));
      check(sc);
      if (!resume_dir.empty()) {
        const fs::path file = resume_dir / point_file(i, n);
        std::error_code ec;
        if (fs::exists(file, ec)) {
          std::string why = reason_to_redo(file, sc);
          if (why.empty())
            states[i] = PointState::kept;
          else {
            states[i] = PointState::redo;
            redo[i] = std::move(why);
          }
        }
      }
    } catch (const InputError& e) {
      Diagnostics ds = e.diagnostics();
      if (ds.empty()) ds.add(kCommandLine, "", "", e.what());
      for (const Diagnostic& d : ds.items()) {
        const std::string key = d.text();
        auto [it, fresh] = found_index.try_emplace(key, found.size());
        if (fresh) found.push_back({d, {}, 0});
        Problem& p = found[it->second];
        if (p.points.size() < kMaxSweepPointsNamed) p.points.push_back(i);
        ++p.count;
      }
    }
  }
  if (!found.empty()) {
    Diagnostics ds;
    for (const Problem& p : found) {
      std::string where = p.count == 1 ? " (in sweep point " : " (in sweep points ";
      for (std::size_t k = 0; k < p.points.size(); ++k)
        where += (k ? ", " : "") + std::to_string(p.points[k]);
      if (p.count > p.points.size())
        where += " and " + std::to_string(p.count - p.points.size()) + " more";
      where += ")";
      if (p.count == n && n > 1) where = " (in every sweep point)";
      ds.add(p.d.where, p.d.key, p.d.got, p.d.expected + where);
    }
    throw InputError(ds);
  }
}

// Removes what an earlier sweep left in the folder (point files, sweep.csv, sweep.yaml) and
// nothing else; returns how many files went.
std::size_t clear_folder(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> old;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name == "sweep.csv" || name == "sweep.yaml" || is_point_file(name)) old.push_back(e.path());
  }
  for (const fs::path& p : old)
    if (!fs::remove(p, ec) || ec)
      throw RunError("cannot remove " + p.string() + ": " + ec.message());
  return old.size();
}

const char* const kHelp =
    "usage: buurtlab sweep SCENARIO --vary KEY=V1,V2,... [--vary ...] -o DIR [options]\n"
    "       buurtlab sweep SCENARIO --samples N --vary KEY=LO:HI [--vary ...] -o DIR [options]\n"
    "\n"
    "Runs SCENARIO at every point of a grid (every combination of the --vary lists) or\n"
    "of a Latin hypercube of N points over the --vary ranges (drawn from the scenario's\n"
    "seed: the same command gives the same points). KEY is an override key as for --set,\n"
    "e.g. parameters.procurement.tender_interval. Every point runs with the scenario's\n"
    "replicates and is written to DIR/point-NNNN.h5 when it finishes; DIR/sweep.csv lists\n"
    "the points and their status, DIR/sweep.yaml the command. Every point is checked\n"
    "before any runs. Running the same command again resumes: complete points are kept,\n"
    "others run again; a different command is refused, naming the options that changed\n"
    "(--overwrite starts afresh). Ctrl-C stops after the current tick of the running point.\n"
    "\n";

}  // namespace

int cmd_sweep(const ModelRegistry& models, const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err) {
  po::options_description desc("options");
  // clang-format off
  desc.add_options()
      ("help,h", "show this help")
      ("vary", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUES"),
       "a key and its values: V1,V2,... for a grid, LO:HI with --samples (repeatable)")
      ("samples", po::value<std::string>()->value_name("N"),
       "a Latin hypercube of N points over the --vary ranges instead of a grid")
      ("output,o", po::value<std::string>()->value_name("DIR"), "folder for the point files")
      ("replicates", po::value<std::string>()->value_name("N"),
       "replicates per point (same as --set replicates=N)")
      ("seed", po::value<std::string>()->value_name("N"),
       "run seed of every point, also the seed of the Latin hypercube (same as --set seed=N)")
      ("design-seed", po::value<std::string>()->value_name("N"),
       "seed of the Latin hypercube instead of the run seed (other points, same replicate seeds)")
      ("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
       "override a scenario value at every point (repeatable)")
      ("threads", po::value<int>()->value_name("N"),
       "worker threads per run (default: all hardware threads); results do not depend on it")
      ("serial", "use the serial reference executor instead of worker threads")
      ("overwrite", "start afresh in a folder that holds another sweep, replacing its files")
      ("ignore-memory-limit", "run points whose estimated memory exceeds the memory available")
      ("dry-run", "check every point and print the points as CSV; run and write nothing")
      ("checkpoint-every", po::value<std::string>()->value_name("DURATION"),
       "take checkpoints within each point at this interval (e.g. '1 year'), so that a resumed "
       "sweep continues an interrupted point where it stood instead of running it again")
      ("quiet,q", "no progress lines");
  // clang-format on
  const auto vm = parse_command_line(args, desc, "scenario");
  if (vm.count("help")) {
    out << kHelp << desc;
    return 0;
  }

  // ---- options (usage errors are program_options errors: the caller points to --help) ----
  if (!vm.count("scenario")) throw po::error("sweep needs a SCENARIO");
  const auto& scen = vm["scenario"].as<std::vector<std::string>>();
  if (scen.size() > 1)
    throw po::error("sweep takes one scenario, got " + std::to_string(scen.size()));
  if (!vm.count("vary")) throw po::error("sweep needs at least one --vary KEY=VALUES");
  const bool dry_run = vm.count("dry-run") > 0;
  if (!vm.count("output") && !dry_run) throw po::error("sweep needs -o DIR");
  auto positive = [](const char* opt, const std::string& v, std::uint64_t max) {
    const bool digits =
        !v.empty() && v.size() <= 19 && v.find_first_not_of("0123456789") == std::string::npos;
    const std::uint64_t n = digits ? std::stoull(v) : 0;
    if (n == 0 || n > max)
      throw po::error(std::string("--") + opt + " expects an integer from 1 to " +
                      std::to_string(max) + ", got '" + v + "'");
    return n;
  };
  std::optional<std::size_t> samples;
  if (vm.count("samples"))
    samples = positive("samples", vm["samples"].as<std::string>(), kMaxSweepPoints);

  Command cmd;
  cmd.scenario = scen[0];
  if (vm.count("set"))
    for (const std::string& s : vm["set"].as<std::vector<std::string>>()) {
      const auto eq = s.find('=');
      if (eq == std::string::npos || eq == 0)
        throw po::error("--set expects KEY=VALUE, got '" + s + "'");
      cmd.sets.push_back({s.substr(0, eq), s.substr(eq + 1)});
    }
  if (vm.count("seed")) {
    const std::string& v = vm["seed"].as<std::string>();
    if (v.empty() || v.size() > 20 || v.find_first_not_of("0123456789") != std::string::npos)
      throw po::error("--seed expects a non-negative integer, got '" + v + "'");
    cmd.sets.push_back({"seed", v});
  }
  if (vm.count("design-seed")) {
    const std::string& v = vm["design-seed"].as<std::string>();
    if (!samples) throw po::error("--design-seed needs --samples: a grid draws nothing");
    errno = 0;
    char* end = nullptr;
    const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || errno == ERANGE ||
        *end != '\0')
      throw po::error("--design-seed expects a non-negative integer below 2^64, got '" + v + "'");
    cmd.design_seed = n;
  }
  if (vm.count("replicates")) {
    const std::string& v = vm["replicates"].as<std::string>();
    positive("replicates", v, 1'000'000);
    cmd.sets.push_back({"replicates", v});
  }
  const bool serial = vm.count("serial") > 0;
  int threads = static_cast<int>(oneapi::tbb::info::default_concurrency());
  if (vm.count("threads")) {
    if (serial) throw po::error("--serial and --threads exclude each other");
    threads = vm["threads"].as<int>();
    if (threads < 1)
      throw po::error("--threads expects a positive integer, got " + std::to_string(threads));
  }
  if (serial) threads = 0;
  const bool quiet = vm.count("quiet") > 0;
  const bool overwrite = vm.count("overwrite") > 0;

  // ---- the base scenario: its model types the keys, its seed keys the Latin hypercube ----
  const Scenario base = load_scenario(cmd.scenario, models, cmd.sets);
  cmd.base = &base;
  const Model* model = models.find(base.model);
  Tick checkpoint_every = 0;
  if (model && vm.count("checkpoint-every")) {
    checkpoint_every = checkpoint_interval(vm["checkpoint-every"].as<std::string>(), base);
    if (!model->supports_checkpoints())
      throw po::error("--checkpoint-every: model " + base.model + " does not support checkpoints");
  }
  if (!model) throw InputError(base.source_file + ": model: unknown model '" + base.model + "'");

  std::vector<Vary> vary =
      parse_vary(vm["vary"].as<std::vector<std::string>>(), samples.has_value(), *model, cmd.sets);
  const Design design =
      samples ? Design(std::move(vary), *samples, cmd.design_seed.value_or(base.seed))
              : Design(std::move(vary));
  const std::size_t n = design.size();

  // ---- the folder, read-only so far: fresh, resumable, or holding another sweep ----
  const fs::path dir = vm.count("output") ? fs::path(vm["output"].as<std::string>()) : fs::path();
  const std::string yaml = sweep_yaml(cmd, design);
  const bool resume = !dir.empty() && existing_sweep(dir, yaml, overwrite);

  // ---- every point checked before anything runs ----
  std::vector<PointState> states(n, PointState::pending);
  std::map<std::size_t, std::string> redo;  // point -> why its file is run again
  // Points run one after another, so each must fit on its own.
  const bool ignore_memory = vm.count(kIgnoreMemoryOption) > 0;
  check_points(cmd, models, design, resume ? dir : fs::path(), states, redo,
               [&](const Scenario& sc) {
                 check_memory(estimate_memory(*model, sc, threads), sc, ignore_memory);
               });

  if (dry_run) {
    write_csv_rows(out, design, states);
    return 0;
  }

  // ---- the folder, for writing ----
  {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw RunError("cannot create folder " + dir.string() + ": " + ec.message());
  }
  FolderLock lock(dir);
  if (overwrite) {
    const std::size_t removed = clear_folder(dir);
    if (removed > 0 && !quiet)
      err << "overwrite: removed " << removed << " file(s) of the earlier sweep in " << dir.string()
          << '\n';
  }
  write_atomically(dir / "sweep.yaml", [&](std::ostream& o) { o << yaml; });
  auto write_csv = [&] {
    write_atomically(dir / "sweep.csv",
                     [&](std::ostream& o) { write_csv_rows(o, design, states); });
  };
  write_csv();

  // ---- the points ----
  StopSignals signals(err, "buurtlab: stopping the sweep after the current tick; the point in "
                           "progress will be marked interrupted and the same command resumes "
                           "(Ctrl-C again, a second from now, quits at once)");
  const auto t0 = std::chrono::steady_clock::now();
  std::size_t kept = 0;
  const std::string of = "/" + std::to_string(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = point_file(i, n);
    const auto values = design.values(i);
    if (states[i] == PointState::kept) {
      ++kept;
      if (!quiet) err << '[' << i + 1 << of << "] " << name << " complete, kept\n";
      continue;
    }
    if (signals.requested()) break;

    const Scenario sc = load_point(cmd, models, design, values);
    const OutputInfo info = make_output_info(*model, sc, threads);

    const bool left_unfinished = states[i] == PointState::redo;
    states[i] = PointState::running;
    write_csv();
    const auto p0 = std::chrono::steady_clock::now();
    RunResult res;
    try {
      // An interrupted point with checkpoints continues where it stood, if its file records this
      // point's scenario; otherwise a file left by an earlier sweep is replaced.
      std::optional<ResumePlan> plan;
      if (left_unfinished && fs::exists(checkpoint_dir(dir / name))) {
        try {
          plan = plan_resume(models, dir / name);
        } catch (const InputError& e) {
          if (!quiet) err << '[' << i + 1 << of << "] " << name << ": not continued (" << e.what() << ")\n";
        }
        if (plan && (plan->recorded_yaml != sc.resolved_yaml || plan->continued.empty()))
          plan.reset();
      }
      std::unique_ptr<TrajectoryWriter> writer;
      if (plan) {
        writer = reopen_hdf5_writer(dir / name, info, plan->kept);
        if (!quiet)
          err << '[' << i + 1 << of << "] " << name << " continues from its checkpoints\n";
      } else {
        if (!quiet && left_unfinished)
          err << '[' << i + 1 << of << "] " << name << ' ' << redo[i] << "; running it again\n";
        writer = create_hdf5_writer(dir / name, info, /*overwrite=*/true);
      }
      std::optional<CheckpointStore> store;
      if (checkpoint_every > 0)
        store.emplace(dir / name, checkpoint_identity(sc), checkpoint_every, /*fresh=*/!plan);
      RunOptions opt;
      opt.threads = threads;
      opt.stop = signals.flag();
      if (plan) opt.resume = &plan->starts;
      if (store) {
        opt.checkpoint_every = checkpoint_every;
        opt.checkpoint = [&](const ReplicateCheckpoint& cp) { store->write(cp); };
      }
      res = run_simulation(*model, sc, opt, writer.get());
      writer.reset();
      if (res.status == RunStatus::complete) {
        std::error_code ec;
        fs::remove_all(checkpoint_dir(dir / name), ec);  // complete: nothing left to continue
      }
    } catch (const std::exception& e) {
      states[i] = PointState::failed;
      write_csv();
      throw RunError("sweep point " + std::to_string(i) + " (" + name + ", " +
                     point_label(design, values) + "): " + e.what());
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - p0).count();
    states[i] = res.status == RunStatus::complete ? PointState::complete : PointState::interrupted;
    write_csv();
    if (!quiet)
      err << '[' << i + 1 << of << "] " << name << ' ' << state_text(states[i]) << " in "
          << seconds_text(secs) << " (" << point_label(design, values) << ")\n";
    // The settle check of the point's spin-up over its replicates (docs/scenarios.md), as `run`
    // warns of it.
    std::string drifting;
    for (const IndicatorSettling& s : res.settle.indicators)
      if (res.settle.checked() && s.checked && !s.settled)
        drifting += (drifting.empty() ? "" : ", ") + s.name;
    if (!drifting.empty())
      err << '[' << i + 1 << of << "] " << name << ": warning: the spin-up has not settled ("
          << drifting << "); consider a spin_up longer than " << sc.spin_up.text() << '\n';
    if (states[i] == PointState::interrupted) break;
  }

  std::size_t done = 0, run_now = 0, interrupted = 0;
  for (PointState s : states) {
    done += s == PointState::complete || s == PointState::kept;
    run_now += s == PointState::complete;
    interrupted += s == PointState::interrupted;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out << "sweep      " << n << " point(s), "
      << (design.latin_hypercube() ? "Latin hypercube" : "grid") << " over ";
  for (std::size_t k = 0; k < design.vary().size(); ++k)
    out << (k ? ", " : "") << design.vary()[k].key;
  out << "; " << base.replicates << " replicate(s) each\n"
      << "points     " << done << " complete: " << run_now << " run now, " << kept
      << " kept from before";
  if (interrupted > 0) out << "; " << interrupted << " interrupted";
  if (done + interrupted < n) out << "; " << n - done - interrupted << " not started";
  out << "\n"
      << "wall time  " << seconds_text(secs) << '\n'
      << "output     " << dir.string() << " (sweep.csv lists the points)\n";
  if (done < n) {
    err << "buurtlab: sweep interrupted; " << done << " of " << n
        << " points complete. Run the same command again to resume.\n";
    return 1;
  }
  return 0;
}

}  // namespace buurtlab
