// Reads a scenario file and its `extends` chain, merges them, applies overrides, and hands the
// merged tree to resolve() for checking. See docs/scenarios.md for the format.
#include "buurtlab/scenario_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <variant>

#include "buurtlab/embedded.hpp"
#include "buurtlab/limits.hpp"
#include "resolve.hpp"
#include "tree.hpp"

namespace buurtlab {

namespace {

namespace fs = std::filesystem;
using scenario::Entry;
using scenario::Node;

constexpr std::string_view kBuiltinPrefix = "builtin:";
const char* const kCommandLine = "<command line>";

bool is_builtin(std::string_view name) { return name.starts_with(kBuiltinPrefix); }

// Finds a built-in scenario by its path under scenarios/, with or without ".yaml".
const EmbeddedFile* find_builtin(std::string_view name) {
  for (const auto& f : embedded_scenarios())
    if (f.name == name || (f.name.ends_with(".yaml") &&
                           f.name.substr(0, f.name.size() - 5) == name))
      return &f;
  return nullptr;
}

std::string builtin_list() {
  std::string s;
  for (const auto& n : builtin_scenarios()) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "there are none" : "built in: " + s;
}

// One file of an extends chain.
struct Source {
  std::string display;   // the name used in messages and as Scenario::source_file
  std::string identity;  // equal for two names of the same file, for cycle detection
  std::string text;
};

std::string file_identity(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::path(path), ec);
  return ec ? fs::path(path).lexically_normal().string() : p.string();
}

std::string bytes_text(std::uintmax_t n) { return std::to_string(n) + " bytes"; }

// What a scenario file may hold, as the end of an "expected" message.
std::string size_limit_text() {
  return "a scenario file of at most " + bytes_text(kMaxScenarioBytes) + " (1 MiB)";
}

// A file too large to be a scenario; reported with its size where it was named.
struct TooLarge {
  std::uintmax_t bytes;
};

// Loads a file, or a built-in scenario if `name` starts with "builtin:". On failure returns the
// reason, to be reported where the name was given. The size is checked before anything is read,
// so that a file named by mistake (a data file, a disk image) costs nothing.
std::variant<Source, std::string, TooLarge> open_source(const std::string& name) {
  if (is_builtin(name)) {
    const EmbeddedFile* f = find_builtin(name.substr(kBuiltinPrefix.size()));
    if (!f) return "no such built-in scenario (" + builtin_list() + ")";
    const std::string canonical = std::string(kBuiltinPrefix) + std::string(f->name);
    return Source{canonical, canonical, std::string(f->text)};
  }
  std::error_code ec;
  if (!fs::exists(name, ec)) return std::string("no such file");
  if (!fs::is_regular_file(name, ec)) return std::string("not a regular file");
  const std::uintmax_t size = fs::file_size(name, ec);
  if (!ec && size > kMaxScenarioBytes) return TooLarge{size};
  std::ifstream in(name, std::ios::binary);
  // Read one byte past the limit, never more: the file may have grown since its size was taken.
  std::string text(kMaxScenarioBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad() || (!in && !in.eof())) return std::string("the file cannot be read");
  text.resize(static_cast<std::size_t>(in.gcount()));
  text.shrink_to_fit();
  if (text.size() > kMaxScenarioBytes) return TooLarge{text.size()};
  return Source{name, file_identity(name), std::move(text)};
}

// The name of the file an `extends: value` in `from` refers to: relative to the folder of
// `from`, which for a built-in scenario is a folder of built-in scenarios.
std::string base_name(const std::string& from, const std::string& value) {
  if (is_builtin(value)) return value;
  if (is_builtin(from)) {
    const fs::path dir = fs::path(from.substr(kBuiltinPrefix.size())).parent_path();
    return std::string(kBuiltinPrefix) + (dir / value).lexically_normal().generic_string();
  }
  const fs::path v(value);
  if (v.is_absolute()) return value;
  return (fs::path(from).parent_path() / v).lexically_normal().string();
}

class ChainLoader {
 public:
  explicit ChainLoader(Diagnostics& diags) : diags_(diags) {}

  // The tree of `src` merged onto the trees of its bases, or nullopt when the chain is broken
  // (unreadable or malformed file, missing base, cycle). Problems inside a file that do not stop
  // it from being read (duplicate keys) are recorded and loading goes on.
  std::optional<Node> load(const Source& src) {
    chain_.push_back(src);
    auto out = load_one(src);
    chain_.pop_back();
    return out;
  }

 private:
  std::optional<Node> load_one(const Source& src) {
    std::optional<Node> tree = scenario::parse_yaml(src.text, src.display, diags_);
    if (!tree) return std::nullopt;
    if (!tree->is_map()) {
      diags_.add(tree->where, "", tree->describe(), "a map of scenario keys");
      return std::nullopt;
    }
    scenario::flatten_tree(*tree, diags_);
    const Entry* ext = tree->find("extends");
    if (!ext) return tree;
    const Node value = ext->value;
    tree->erase("extends");
    if (!value.is_scalar() || value.text.empty()) {
      diags_.add(value.where, "extends", value.describe(),
                 "the base scenario: a file name or builtin:NAME");
      return std::nullopt;
    }
    const std::string name = base_name(src.display, value.text);
    if (chain_.size() >= kMaxExtendsChain) {
      diags_.add(value.where, "extends", value.describe(),
                 "a chain of at most " + std::to_string(kMaxExtendsChain) +
                     " files (this base would be file " + std::to_string(chain_.size() + 1) +
                     ", after " + chain_.front().display + " -> ... -> " + src.display + ")");
      return std::nullopt;
    }
    auto opened = open_source(name);
    if (auto* why = std::get_if<std::string>(&opened)) {
      diags_.add(value.where, "extends", value.describe(),
                 "an existing scenario (" + name + ": " + *why + ")");
      return std::nullopt;
    }
    if (auto* big = std::get_if<TooLarge>(&opened)) {
      diags_.add(value.where, "extends", value.describe(),
                 size_limit_text() + " (" + name + " has " + bytes_text(big->bytes) + ")");
      return std::nullopt;
    }
    const Source& base = std::get<Source>(opened);
    const auto again = std::find_if(chain_.begin(), chain_.end(), [&](const Source& s) {
      return s.identity == base.identity;
    });
    if (again != chain_.end()) {
      std::string cycle;
      for (auto it = again; it != chain_.end(); ++it) cycle += it->display + " -> ";
      diags_.add(value.where, "extends", "", "cyclic extends: " + cycle + base.display);
      return std::nullopt;
    }
    std::optional<Node> merged = load(base);
    if (!merged) return std::nullopt;
    scenario::merge_into(*merged, *tree);
    return merged;
  }

  Diagnostics& diags_;
  std::vector<Source> chain_;
};

bool is_index(const std::string& s) {
  return !s.empty() && s.size() < 10 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Sets the value at a dotted key, creating maps along the way. Inside a map of parameter-like
// names (see is_flat_path) the rest of the key is one name; in a list a part is an index.
void apply_override(Node& root, const Override& ov, Diagnostics& diags) {
  const SourceLocation cl{kCommandLine, 0, 0};
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(ov.key);
  while (std::getline(in, part, '.')) parts.push_back(part);
  if (ov.key.empty() || ov.key.back() == '.' ||
      std::any_of(parts.begin(), parts.end(), [](const auto& p) { return p.empty(); })) {
    diags.add(cl, ov.key, ov.key.empty() ? "nothing" : ov.key,
              "a dotted key such as seed or parameters.NAME");
    return;
  }
  if (ov.value.size() > kMaxTextLength) {
    diags.add(cl, ov.key, "a value of " + std::to_string(ov.value.size()) + " characters",
              "at most " + std::to_string(kMaxTextLength) + " characters");
    return;
  }
  const Node value = scenario::parse_value(ov.value, cl);
  Node* n = &root;
  std::vector<std::string> path;
  std::string done;  // the key so far, for messages
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    if (n->is_null()) *n = Node::map_node(cl);
    if (n->is_map()) {
      std::string key = parts[i];
      if (scenario::is_flat_path(path)) {
        for (std::size_t j = i + 1; j < parts.size(); ++j) key += "." + parts[j];
        if (Entry* e = n->find(key)) *e = {key, cl, value};
        else n->entries.push_back({key, cl, value});
        return;
      }
      Entry* e = n->find(key);
      if (last) {
        if (e) *e = {key, cl, value};
        else n->entries.push_back({key, cl, value});
        return;
      }
      if (!e) {
        n->entries.push_back({key, cl, Node{}});
        e = &n->entries.back();
        e->value.where = cl;
      }
      n = &e->value;
    } else if (n->is_sequence()) {
      if (!is_index(parts[i]) || std::stoul(parts[i]) >= n->items.size()) {
        diags.add(cl, ov.key, parts[i],
                  n->items.empty() ? "no index: " + done + " is an empty list"
                                   : "an index into " + done + ", 0 to " +
                                         std::to_string(n->items.size() - 1));
        return;
      }
      Node& item = n->items[std::stoul(parts[i])];
      if (last) {
        item = value;
        return;
      }
      n = &item;
    } else {
      diags.add(cl, ov.key, "", done + " is a single value (" + n->describe() +
                                    "), so it has no key " + parts[i]);
      return;
    }
    path.push_back(parts[i]);
    done += (done.empty() ? "" : ".") + parts[i];
  }
}

// The diagnostics grouped by file (in the order files first appear) and sorted by position, so
// that they read top to bottom like the files. Checking walks the merged tree, whose order mixes
// files and does not follow line numbers.
Diagnostics in_reading_order(const Diagnostics& diags) {
  std::vector<std::string> files;
  struct Item {
    std::size_t file, line, column;
    const Diagnostic* d;
  };
  std::vector<Item> items;
  for (const auto& d : diags.items()) {
    auto f = std::find(files.begin(), files.end(), d.where.file);
    if (f == files.end()) f = files.insert(files.end(), d.where.file);
    items.push_back({std::size_t(f - files.begin()), std::size_t(d.where.line),
                     std::size_t(d.where.column), &d});
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
  Diagnostics out;
  for (const auto& i : items) out.add(i.d->where, i.d->key, i.d->got, i.d->expected);
  return out;
}

Scenario load_source(const Source& src, const ModelRegistry& models,
                     const std::vector<Override>& overrides) {
  Diagnostics diags;
  ChainLoader chain(diags);
  std::optional<Node> root = chain.load(src);
  // A broken chain leaves nothing sound to check: every later message would be a guess.
  if (!root) throw InputError(in_reading_order(diags));
  for (const auto& ov : overrides) apply_override(*root, ov, diags);
  Scenario sc;
  const std::string stem_of =
      is_builtin(src.display) ? src.display.substr(kBuiltinPrefix.size()) : src.display;
  scenario::resolve(*root, fs::path(stem_of).stem().string(), models, sc, diags);
  if (!diags.empty()) throw InputError(in_reading_order(diags));
  sc.source_file = src.display;
  sc.resolved_yaml = scenario::emit_yaml(*root);
  return sc;
}

}  // namespace

Scenario load_scenario(const std::string& file, const ModelRegistry& models,
                       const std::vector<Override>& overrides) {
  auto opened = open_source(file);
  if (auto* why = std::get_if<std::string>(&opened)) {
    Diagnostics d;
    d.add({file, 0, 0}, "", "", "cannot load scenario: " + *why);
    throw InputError(d);
  }
  if (auto* big = std::get_if<TooLarge>(&opened)) {
    Diagnostics d;
    d.add({file, 0, 0}, "", "a file of " + bytes_text(big->bytes), size_limit_text());
    throw InputError(d);
  }
  return load_source(std::get<Source>(opened), models, overrides);
}

Scenario load_scenario_text(const std::string& text, const std::string& name,
                            const ModelRegistry& models, const std::vector<Override>& overrides) {
  if (text.size() > kMaxScenarioBytes) {
    Diagnostics d;
    d.add({name, 0, 0}, "", "a text of " + bytes_text(text.size()), size_limit_text());
    throw InputError(d);
  }
  return load_source(Source{name, is_builtin(name) ? name : file_identity(name), text}, models,
                     overrides);
}

namespace {

void flatten(const Node& n, const std::string& key, std::vector<Override>& out) {
  const std::string prefix = key.empty() ? "" : key + ".";
  switch (n.kind) {
    case Node::Kind::null:
      out.push_back({key, "~"});
      break;
    case Node::Kind::scalar:
      out.push_back({key, n.text});
      break;
    case Node::Kind::sequence:
      if (n.items.empty()) out.push_back({key, "[]"});
      for (std::size_t i = 0; i < n.items.size(); ++i)
        flatten(n.items[i], prefix + std::to_string(i), out);
      break;
    case Node::Kind::map:
      if (n.entries.empty() && !key.empty()) out.push_back({key, "{}"});
      for (const Entry& e : n.entries) flatten(e.value, prefix + e.key, out);
      break;
  }
}

}  // namespace

std::vector<Override> scenario_values(const std::string& yaml, const std::string& name) {
  Diagnostics diags;
  const std::optional<Node> root = scenario::parse_yaml(yaml, name, diags);
  if (!root || !diags.empty()) throw InputError(diags);
  std::vector<Override> out;
  flatten(*root, "", out);
  return out;
}

std::vector<std::string> builtin_scenarios() {
  std::vector<std::string> out;
  for (const auto& f : embedded_scenarios()) out.emplace_back(f.name);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace buurtlab
