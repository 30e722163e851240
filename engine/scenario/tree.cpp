#include "tree.hpp"

#include <yaml-cpp/yaml.h>

#include <unordered_map>

#include "buurtlab/limits.hpp"

namespace buurtlab::scenario {

const Entry* Node::find(std::string_view key) const {
  for (const auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

Entry* Node::find(std::string_view key) {
  for (auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

void Node::erase(std::string_view key) {
  std::erase_if(entries, [&](const Entry& e) { return e.key == key; });
}

std::string shown(std::string_view text) {
  constexpr std::size_t kMax = 60;
  std::string s;
  for (char c : text) {
    if (s.size() >= kMax) return s + "...";
    if (c == '\n') s += "\\n";
    else if (c == '\t') s += "\\t";
    else s += c;
  }
  return s;
}

std::string Node::describe() const {
  switch (kind) {
    case Kind::null: return "nothing";
    case Kind::scalar: return quoted && text.empty() ? "\"\"" : shown(text);
    case Kind::sequence: return "a list";
    case Kind::map: return "a map";
  }
  return "?";
}

Node Node::scalar_node(std::string text, SourceLocation where) {
  Node n;
  n.kind = Kind::scalar;
  n.text = std::move(text);
  n.where = std::move(where);
  return n;
}

Node Node::map_node(SourceLocation where) {
  Node n;
  n.kind = Kind::map;
  n.where = std::move(where);
  return n;
}

namespace {

SourceLocation location(const std::string& file, const YAML::Mark& m) {
  // yaml-cpp counts from 0; people and editors count from 1. A node without a mark has -1.
  if (m.line < 0) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

// Thrown once a limit on the tree's size is reported: nothing more of the file is worth reading.
struct TreeTooLarge {};

// What converting one file has used so far, against the limits in buurtlab/limits.hpp. yaml-cpp
// shares an aliased node wherever the alias appears, so its tree stays small; converting copies
// the node at every appearance, and this is where an alias bomb would explode.
struct Budget {
  std::size_t nodes = 0;
  std::size_t text = 0;
  std::vector<YAML::Node> open;  // the maps and lists being converted, outermost first
};

std::string size_text(std::size_t n, std::string_view unit) {
  return std::to_string(n) + " " + std::string(unit);
}

// A scalar or key: refused beyond kMaxTextLength (reported, conversion goes on), and counted
// against kMaxTreeText (conversion stops).
void take_text(const std::string& text, const SourceLocation& where, const std::string& key,
               Budget& budget, Diagnostics& diags) {
  if (text.size() > kMaxTextLength)
    diags.add(where, key, "a text of " + size_text(text.size(), "characters"),
              "at most " + size_text(kMaxTextLength, "characters"));
  budget.text += text.size();
  if (budget.text > kMaxTreeText) {
    diags.add(where, key, "more than " + size_text(kMaxTreeText, "characters") + " of text",
              "at most " + size_text(kMaxTreeText, "characters") +
                  " in one file, counting a value reached through an alias each time it is "
                  "reached");
    throw TreeTooLarge{};
  }
}

Node convert(const YAML::Node& y, const std::string& file, const std::string& path,
             Diagnostics& diags, Budget& budget) {
  Node n;
  n.where = location(file, y.Mark());
  if (++budget.nodes > kMaxNodes) {
    diags.add(n.where, path, "more than " + size_text(kMaxNodes, "values"),
              "at most " + size_text(kMaxNodes, "values") +
                  " (maps, lists and single values) in one file, counting a value reached "
                  "through an alias each time it is reached (aliases nested in aliases multiply)");
    throw TreeTooLarge{};
  }
  if (y.IsMap() || y.IsSequence()) {
    // An alias may name a map or list that contains it; following it would never end.
    for (const YAML::Node& outer : budget.open)
      if (outer.is(y)) {
        diags.add(n.where, path, "an alias inside the value it names",
                  "a value that does not contain itself");
        throw TreeTooLarge{};
      }
    if (budget.open.size() >= std::size_t(kMaxNestingDepth)) {
      diags.add(n.where, path, "maps and lists nested " +
                                   std::to_string(budget.open.size() + 1) + " deep",
                "at most " + std::to_string(kMaxNestingDepth) + " levels of nesting");
      throw TreeTooLarge{};
    }
    budget.open.push_back(y);
  }
  switch (y.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: n.kind = Node::Kind::null; break;
    case YAML::NodeType::Scalar:
      n.kind = Node::Kind::scalar;
      n.text = y.Scalar();
      // yaml-cpp tags every quoted or block scalar "!" and every plain one "?".
      n.quoted = y.Tag() == "!";
      take_text(n.text, n.where, path, budget, diags);
      break;
    case YAML::NodeType::Sequence: {
      n.kind = Node::Kind::sequence;
      std::size_t i = 0;
      for (const auto& item : y) {
        n.items.push_back(convert(item, file, path + (path.empty() ? "" : ".") +
                                                 std::to_string(i), diags, budget));
        ++i;
      }
      break;
    }
    case YAML::NodeType::Map: {
      n.kind = Node::Kind::map;
      // Key -> entry, so that a map of many keys is not searched once per key.
      std::unordered_map<std::string, std::size_t> seen;
      for (const auto& kv : y) {
        const SourceLocation kw = location(file, kv.first.Mark());
        if (!kv.first.IsScalar()) {
          diags.add(kw, path, "a complex key", "plain keys (names) only");
          continue;
        }
        const std::string key = kv.first.Scalar();
        const std::string full = path.empty() ? key : path + "." + key;
        take_text(key, kw, full, budget, diags);
        if (const auto prev = seen.find(key); prev != seen.end()) {
          diags.add(kw, full, "", "duplicate key (first given at " +
                                      n.entries[prev->second].key_where.text() + ")");
          continue;
        }
        seen.emplace(key, n.entries.size());
        Node value = convert(kv.second, file, full, diags, budget);
        // An empty value ("key:" followed by a newline) is marked at the next line; the key's own
        // position is what a reader looks for.
        if (value.is_null()) value.where = kw;
        n.entries.push_back({key, kw, std::move(value)});
      }
      break;
    }
  }
  if (y.IsMap() || y.IsSequence()) budget.open.pop_back();
  return n;
}

void emit(YAML::Emitter& out, const Node& n) {
  switch (n.kind) {
    case Node::Kind::null: out << YAML::Null; break;
    case Node::Kind::scalar: {
      const std::string& s = n.text;
      const bool null_like = s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
      // A multi-line text that ends in exactly one newline (a description) reads best and round
      // trips exactly as a literal block; anything else is left to the emitter, which quotes and
      // escapes as needed.
      const bool literal = s.find('\n') != std::string::npos && s.back() == '\n' &&
                           (s.size() < 2 || s[s.size() - 2] != '\n') && s.front() != ' ' &&
                           s.front() != '\n' && s.find_first_of("\r\t") == std::string::npos &&
                           s.find(" \n") == std::string::npos;
      if (n.quoted && null_like) out << YAML::DoubleQuoted << s;
      // The emitter ends a literal block with a line break of its own, which reads back as the
      // text's one final newline.
      else if (literal) out << YAML::Literal << s.substr(0, s.size() - 1);
      else out << s;
      break;
    }
    case Node::Kind::sequence:
      out << YAML::BeginSeq;
      for (const auto& i : n.items) emit(out, i);
      out << YAML::EndSeq;
      break;
    case Node::Kind::map:
      out << YAML::BeginMap;
      for (const auto& e : n.entries) {
        out << YAML::Key << e.key << YAML::Value;
        emit(out, e.value);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

std::optional<Node> parse_yaml(const std::string& text, const std::string& file,
                               Diagnostics& diags) {
  YAML::Node y;
  try {
    y = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    diags.add(location(file, e.mark), "", "", "invalid YAML: " + e.msg);
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    diags.add(location(file, e.mark), "", "", std::string("invalid YAML: ") + e.what());
    return std::nullopt;
  }
  Budget budget;
  Node n;
  try {
    n = convert(y, file, "", diags, budget);
  } catch (const TreeTooLarge&) {
    return std::nullopt;
  }
  if (n.is_null()) {
    n.kind = Node::Kind::map;
    n.where = {file, 1, 1};
  }
  return n;
}

Node parse_value(const std::string& text, const SourceLocation& where) {
  Node n = Node::scalar_node(text, where);
  try {
    const YAML::Node y = YAML::Load(text);
    if (y.IsNull()) {
      n.kind = Node::Kind::null;
      n.text.clear();
    } else if (y.IsScalar()) {
      n.text = y.Scalar();
      n.quoted = y.Tag() == "!";
    }
  } catch (const YAML::Exception&) {
    // Not YAML at all: the literal text is the value.
  }
  return n;
}

void merge_into(Node& base, const Node& over) {
  if (!base.is_map() || !over.is_map()) {
    base = over;
    return;
  }
  base.where = over.where;
  for (const auto& e : over.entries) {
    if (Entry* b = base.find(e.key)) {
      merge_into(b->value, e.value);
      b->key_where = e.key_where;
    } else {
      base.entries.push_back(e);
    }
  }
}

std::string emit_yaml(const Node& root) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, root);
  std::string s = out.c_str();
  if (!s.empty() && s.back() != '\n') s += '\n';
  return s;
}

}  // namespace buurtlab::scenario
