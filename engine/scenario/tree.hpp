// A small YAML document tree whose every node remembers where it was written.
//
// A scenario is assembled from several files (its `extends` chain) and from command-line
// overrides. yaml-cpp's own nodes carry marks but not file names, and merging them would lose
// track of which file a value came from; so each file is converted into this tree once, and all
// merging, overriding, checking and emitting works on it. Private to engine/scenario.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "buurtlab/diagnostics.hpp"

namespace buurtlab::scenario {

struct Entry;

// A value as quoted in a one-line message: line breaks and tabs escaped, long text shortened.
std::string shown(std::string_view text);

struct Node {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string text;     // scalar text as written (without quotes)
  bool quoted = false;  // written quoted or as a block scalar: always a string, never null
  std::vector<Node> items;     // sequence
  std::vector<Entry> entries;  // map, in the order written
  SourceLocation where;        // where the value starts

  bool is_map() const { return kind == Kind::map; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_null() const { return kind == Kind::null; }
  const Entry* find(std::string_view key) const;
  Entry* find(std::string_view key);
  // Removes the entry `key` if present.
  void erase(std::string_view key);
  // How the value reads in a message: the scalar as written, or "a map", "a list", "nothing".
  std::string describe() const;

  static Node scalar_node(std::string text, SourceLocation where);
  static Node map_node(SourceLocation where);
};

struct Entry {
  std::string key;
  SourceLocation key_where;
  Node value;
};

// Parses YAML text; `file` names it in locations. Malformed YAML (yaml-cpp's ParserException)
// and duplicate keys are added to `diags`; returns nullopt when the text could not be parsed at
// all. An empty document reads as an empty map. The limits of buurtlab/limits.hpp on nesting,
// values and text (aliases expanded) hold here: a text or key that is too long is reported and
// parsing goes on; too deep, too many values or too much text, or an alias inside the value it
// names, is reported and returns nullopt at once.
std::optional<Node> parse_yaml(const std::string& text, const std::string& file, Diagnostics& diags);

// One value given outside a file (a command-line override): read as a YAML scalar, so quotes
// may be used, and taken literally when it is not one ("a: b" is the text "a: b"). Empty or "~"
// is nothing.
Node parse_value(const std::string& text, const SourceLocation& where);

// Merges `over` onto `base`: maps merge key by key, recursively; anything else replaces.
void merge_into(Node& base, const Node& over);

// The tree as YAML text (block style; strings quoted where a plain scalar would read back
// differently).
std::string emit_yaml(const Node& root);

}  // namespace buurtlab::scenario
