#include "run_labels.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/scenario_loader.hpp"

namespace buurtlab {

namespace {

// Sections that differ between runs without changing what is simulated.
bool ignored(std::string_view key) {
  for (std::string_view s : {"name", "description", "output"})
    if (key == s || (key.starts_with(s) && key.size() > s.size() && key[s.size()] == '.'))
      return true;
  return false;
}

// key -> value of one run's scenario, and the keys in the order written.
struct Values {
  std::map<std::string, std::string> by_key;
  std::vector<std::string> order;
};

Values values_of(const LabelSource& run) {
  Values v;
  try {
    for (Override& o : scenario_values(run.scenario_yaml, run.file)) {
      if (ignored(o.key)) continue;
      v.order.push_back(o.key);
      v.by_key.emplace(std::move(o.key), std::move(o.value));
    }
  } catch (const InputError&) {
    // A file whose scenario cannot be read has no values: against readable peers every key of
    // theirs differs ("(none)" for it); against another unreadable file, the file name below
    // tells them apart.
  }
  return v;
}

const std::string* find(const Values& v, const std::string& key) {
  const auto it = v.by_key.find(key);
  return it == v.by_key.end() ? nullptr : &it->second;
}

bool is_index(std::string_view part) {
  return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The dotted endings of a key that may name it, shortest first, the whole key last. An ending
// never starts at or right after a list index, so that it still says what it is: "timeline.1.at"
// has no shorter name.
std::vector<std::string> endings(const std::string& key) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  std::vector<std::string> out;
  for (std::size_t first = parts.size(); first-- > 0;) {
    if (first > 0 && (is_index(parts[first]) || is_index(parts[first - 1]))) continue;
    std::string e;
    for (std::size_t k = first; k < parts.size(); ++k) e += (k > first ? "." : "") + parts[k];
    out.push_back(std::move(e));
  }
  return out;
}

// Each key by its shortest ending that no other key has among its endings, so that a label shows
// "tender_interval=2" for parameters.procurement.tender_interval, as sweep's progress lines do,
// but "a.rate" and "b.rate" where two keys end alike. The full keys are in sweep.csv and in the
// file's scenario.
std::vector<std::string> short_names(const std::vector<std::string>& keys) {
  std::vector<std::vector<std::string>> all;
  for (const std::string& key : keys) all.push_back(endings(key));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    std::string name = keys[i];
    for (const std::string& e : all[i]) {
      bool shared = false;
      for (std::size_t j = 0; j < keys.size() && !shared; ++j)
        shared = j != i && std::find(all[j].begin(), all[j].end(), e) != all[j].end();
      if (!shared) {
        name = e;
        break;
      }
    }
    out.push_back(std::move(name));
  }
  return out;
}

}  // namespace

std::vector<std::string> run_labels(const std::vector<LabelSource>& runs) {
  std::vector<std::string> labels;
  std::map<std::string, std::vector<std::size_t>> groups;  // scenario name -> runs
  for (std::size_t i = 0; i < runs.size(); ++i) {
    labels.push_back(runs[i].scenario_name);
    groups[runs[i].scenario_name].push_back(i);
  }
  for (const auto& [name, group] : groups) {
    if (group.size() < 2) continue;
    std::vector<Values> values;
    for (std::size_t i : group) values.push_back(values_of(runs[i]));
    // The keys whose value is not the same in every run of the group, in the order first written.
    std::vector<std::string> differing;
    std::set<std::string> seen;
    for (const Values& v : values)
      for (const std::string& key : v.order) {
        if (!seen.insert(key).second) continue;
        const std::string* first = find(values[0], key);
        for (const Values& w : values) {
          const std::string* x = find(w, key);
          if ((x == nullptr) != (first == nullptr) || (x && *x != *first)) {
            differing.push_back(key);
            break;
          }
        }
      }
    if (differing.empty()) continue;
    const std::vector<std::string> names = short_names(differing);
    for (std::size_t g = 0; g < group.size(); ++g) {
      std::string shown;
      for (std::size_t k = 0; k < differing.size() && k < kMaxLabelValues; ++k) {
        const std::string* v = find(values[g], differing[k]);
        shown += (k ? ", " : "") + names[k] + "=" + (v ? *v : "(none)");
      }
      if (differing.size() > kMaxLabelValues)
        shown += ", +" + std::to_string(differing.size() - kMaxLabelValues) + " more";
      labels[group[g]] += " [" + shown + "]";
    }
  }
  // Alike runs (the same scenario twice, or values past the ones shown): the file tells them apart.
  const std::vector<std::string> before = labels;
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (std::count(before.begin(), before.end(), before[i]) > 1)
      labels[i] += " (" + runs[i].file + ")";
  return labels;
}

}  // namespace buurtlab
