#include "resolve.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>

#include "buurtlab/limits.hpp"

namespace buurtlab::scenario {

namespace {

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string list_text(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

// The allowed keys nearest to a misspelt one (within ParamSchema::suggestions' distance), only
// the nearest: key names are short, so "cal" is as far from "at" as a typo can be and should
// suggest "call" alone.
std::vector<std::string> closest(std::string_view name, const std::vector<std::string>& options) {
  const std::size_t limit = std::max<std::size_t>(2, name.size() / 4);
  std::size_t best = limit + 1;
  std::vector<std::string> out;
  for (const auto& o : options) {
    const std::size_t dist = edit_distance(name, o);
    if (dist > limit) continue;
    if (dist < best) {
      best = dist;
      out.clear();
    }
    if (dist == best) out.push_back(o);
  }
  return out;
}

std::string did_you_mean(const std::vector<std::string>& s) {
  std::string out = "did you mean ";
  for (std::size_t i = 0; i < s.size(); ++i)
    out += (i == 0 ? "" : i + 1 == s.size() ? " or " : ", ") + ("'" + s[i] + "'");
  return out + "?";
}

// The shortest text that reads back as exactly `v`, so that defaults written into the resolved
// scenario reproduce the run bit for bit.
std::string exact_text(const ParamDecl& d, double v) {
  if (d.type != ParamType::real) return d.value_text(v);
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, p) : d.value_text(v);
}

using Keys = std::vector<std::string>;

// In the order the resolved scenario lists them.
const Keys kTopKeys = {"extends",  "name",     "description", "model",      "start",
                       "duration", "spin_up",  "tick",        "seed",       "replicates",
                       "places",   "parameters", "timeline",  "output"};
const Keys kPlacesKeys = {"city", "code", "attributes", "wijken"};
const Keys kWijkKeys = {"code", "name", "attributes", "buurten"};
const Keys kBuurtKeys = {"code", "name", "population", "attributes"};
const Keys kGeneratedKeys = {"count", "population", "attributes"};
const Keys kEventKeys = {"label", "at", "every", "until", "set", "call", "args"};
const Keys kOutputKeys = {"file", "flush_every"};

// Limits that keep a typo from asking for an absurd amount of memory or an invalid calendar.
constexpr std::int64_t kMaxGenerated = 100000;
constexpr int kLastYear = 9999;

class Checker {
 public:
  explicit Checker(Diagnostics& d) : d_(d) {}

  void error(const SourceLocation& where, const std::string& key, std::string got,
             std::string expected) {
    d_.add(where, key, std::move(got), std::move(expected));
  }
  void wrong(const Node& n, const std::string& key, const std::string& expected) {
    error(n.where, key, n.describe(), expected);
  }

  void unknown_keys(const Node& map, const std::string& path, const Keys& allowed) {
    for (const auto& e : map.entries) {
      if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
      if (path.empty() && e.key == "extends") continue;
      // Whole keys, as for parameters (values() below), so that a suggestion can be pasted.
      auto s = closest(e.key, allowed);
      for (auto& name : s) name = join(path, name);
      error(e.key_where, join(path, e.key), "",
            "unknown key (" + (s.empty() ? "allowed here: " + list_text(allowed) : did_you_mean(s)) +
                ")");
    }
  }

  // A required entry, or nullptr after reporting it missing (at the enclosing map).
  const Node* require(const Node& map, std::string_view key, const std::string& path,
                      const std::string& what) {
    if (const Entry* e = map.find(key)) return &e->value;
    error(map.where, join(path, key), "", "missing required key (" + what + ")");
    return nullptr;
  }

  // A map, or nullptr. Nothing (an empty value) reads as an empty map when `null_ok`.
  const Node* map(const Node& n, const std::string& key, const std::string& what, bool null_ok) {
    if (n.is_map()) return &n;
    if (n.is_null() && null_ok) return nullptr;
    wrong(n, key, what);
    return nullptr;
  }

  std::optional<std::string> text(const Node& n, const std::string& key,
                                  const std::string& expected, bool allow_empty = false) {
    if (!n.is_scalar() || (!allow_empty && n.text.empty())) {
      wrong(n, key, expected);
      return std::nullopt;
    }
    return n.text;
  }

  std::optional<Date> date(const Node& n, const std::string& key) {
    if (n.is_scalar())
      if (auto d = Date::parse(n.text)) return d;
    wrong(n, key, "a date YYYY-MM-DD");
    return std::nullopt;
  }

  std::optional<Period> period(const Node& n, const std::string& key) {
    if (n.is_scalar())
      if (auto p = Period::parse(n.text)) return p;
    wrong(n, key, "a period such as '1 week', '3 months' or '10 years'");
    return std::nullopt;
  }

  // A period, or none: `0`, or a count of 0 with a unit (`0 years`).
  std::optional<Period> period_or_none(const Node& n, const std::string& key) {
    if (n.is_scalar()) {
      if (auto p = Period::parse(n.text)) return p;
      std::string_view t = n.text;
      while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
      const auto digits = t.find_first_not_of('0');
      const bool zeros = digits > 0 && digits != std::string_view::npos;
      if (zeros && (t[digits] == ' ' || t[digits] == '\t')) {
        if (auto p = Period::parse("1" + std::string(t.substr(digits)))) return Period{0, p->unit};
      } else if (digits == std::string_view::npos && !t.empty()) {
        return Period{0, TimeUnit::year};
      }
    }
    wrong(n, key, "a period such as '5 years' or '26 weeks', or 0 for none");
    return std::nullopt;
  }

  std::optional<std::int64_t> integer(const Node& n, const std::string& key, std::int64_t lo,
                                      std::int64_t hi, const std::string& expected) {
    if (n.is_scalar()) {
      std::int64_t x = 0;
      const char* b = n.text.data();
      const char* e = b + n.text.size();
      auto [p, ec] = std::from_chars(b, e, x);
      if (ec == std::errc{} && p == e && b != e && x >= lo && x <= hi) return x;
    }
    wrong(n, key, expected);
    return std::nullopt;
  }

  std::optional<std::uint64_t> unsigned64(const Node& n, const std::string& key,
                                          const std::string& expected) {
    if (n.is_scalar()) {
      std::uint64_t x = 0;
      const char* b = n.text.data();
      const char* e = b + n.text.size();
      auto [p, ec] = std::from_chars(b, e, x);
      if (ec == std::errc{} && p == e && b != e) return x;
    }
    wrong(n, key, expected);
    return std::nullopt;
  }

  // Values for a flat map of names declared in `schema` (parameters, attributes, hook args).
  // `what` names the kind of name in messages ("parameter of model 'x'").
  std::vector<std::pair<std::size_t, double>> values(const Node& n, const std::string& path,
                                                     const ParamSchema& schema,
                                                     const std::string& what,
                                                     const std::string& describe_hint) {
    std::vector<std::pair<std::size_t, double>> out;
    const Node* m = map(n, path, "a map of names to values", true);
    if (!m) return out;
    for (const auto& e : m->entries) {
      const std::string key = join(path, e.key);
      const auto index = schema.index_of(e.key);
      if (!index) {
        // Suggestions are whole keys, like the one in the message, so that they can be pasted as
        // a --set key or followed in the file.
        auto s = schema.suggestions(e.key);
        for (auto& name : s) name = join(path, name);
        std::string hint;
        if (!s.empty()) {
          hint = did_you_mean(s);
        } else if (schema.empty()) {
          hint = "there are none";
        } else if (schema.decls().size() <= 12 || describe_hint.empty()) {
          Keys names;
          for (const auto& d : schema.decls()) names.push_back(d.name);
          hint = "known: " + list_text(names);
        } else {
          hint = describe_hint;
        }
        error(e.key_where, key, "", "unknown " + what + " (" + hint + ")");
        continue;
      }
      const ParamDecl& decl = schema.decls()[*index];
      if (!e.value.is_scalar()) {
        wrong(e.value, key, decl.range_text());
        continue;
      }
      auto parsed = decl.parse(e.value.text);
      if (auto* v = std::get_if<double>(&parsed)) out.emplace_back(*index, *v);
      else error(e.value.where, key, e.value.describe(), std::get<std::string>(parsed));
    }
    return out;
  }

 private:
  Diagnostics& d_;
};

void assign(ParamValues& v, const std::vector<std::pair<std::size_t, double>>& assigned) {
  for (const auto& [i, x] : assigned) v.set_at(i, x);
}

struct PlaceChecker {
  Checker& c;
  const Model* model;
  std::vector<PlaceSpec>& places;
  std::map<std::string, SourceLocation> codes;  // code -> where it was first given
  std::int64_t residents = 0;  // of the buurten so far
  bool too_many_places = false;     // reported once: every later place would repeat it
  bool too_many_residents = false;  // likewise

  // Whether `n` more places fit within kMaxPlaces; reported (once) where they were asked for.
  // Checked before generated buurten are made, so that a large count costs nothing.
  bool room_for(std::int64_t n, const SourceLocation& where, const std::string& key,
                const std::string& got) {
    if (too_many_places) return false;
    if (static_cast<std::int64_t>(places.size()) + n <= static_cast<std::int64_t>(kMaxPlaces))
      return true;
    too_many_places = true;
    c.error(where, key, got,
            "at most " + std::to_string(kMaxPlaces) + " places in a scenario, city, wijken and "
            "buurten together (" + std::to_string(places.size()) + " before this)");
    return false;
  }

  // Adds a buurt's residents to the city's; reported (once) where the total passes kMaxResidents.
  void count_residents(std::int64_t n, const Node& where, const std::string& key) {
    residents += n;
    if (residents <= kMaxResidents || too_many_residents) return;
    too_many_residents = true;
    c.error(where.where, key, where.describe(),
            "at most " + std::to_string(kMaxResidents) + " residents in the whole city (" +
                std::to_string(residents - n) + " before this)");
  }

  std::string attribute_kind() const {
    return "place attribute of model '" + std::string(model->name()) + "'";
  }

  ParamValues attributes(const ParamValues& inherited, const Node& holder,
                         const std::string& path) {
    ParamValues v = inherited;
    if (const Entry* e = holder.find("attributes")) {
      if (model) {
        assign(v, c.values(e->value, join(path, "attributes"), model->place_attributes(),
                          attribute_kind(), ""));
      } else {
        c.map(e->value, join(path, "attributes"), "a map of names to values", true);
      }
    }
    return v;
  }

  void claim_code(const std::string& code, const SourceLocation& where, const std::string& key) {
    auto [it, fresh] = codes.emplace(code, where);
    if (!fresh)
      c.error(where, key, shown(code), "a place code not used before (also given at " +
                                    it->second.text() + ")");
  }

  void buurt_list(const Node& list, const std::string& path, PlaceIndex wijk,
                  const ParamValues& inherited) {
    if (list.items.empty()) c.wrong(list, path, "at least one buurt");
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      const Node& b = list.items[i];
      const std::string bp = join(path, std::to_string(i));
      if (!room_for(1, b.where, bp, "buurt " + std::to_string(i + 1) + " of this wijk")) return;
      if (!b.is_map()) {
        c.wrong(b, bp, "a buurt (a map with code, name, population, attributes)");
        continue;
      }
      c.unknown_keys(b, bp, kBuurtKeys);
      PlaceSpec p;
      p.level = PlaceLevel::buurt;
      p.parent = wijk;
      if (const Node* n = c.require(b, "code", bp, "the buurt's code, e.g. BU02680101")) {
        if (auto s = c.text(*n, join(bp, "code"), "a code (text)")) {
          p.code = *s;
          claim_code(p.code, n->where, join(bp, "code"));
        }
      }
      p.name = p.code;
      if (const Entry* e = b.find("name"))
        if (auto s = c.text(e->value, join(bp, "name"), "a name (text)")) p.name = *s;
      if (const Node* n = c.require(b, "population", bp, "the number of residents"))
        if (auto x = c.integer(*n, join(bp, "population"), 0,
                               std::numeric_limits<std::int32_t>::max(),
                               "a number of residents >= 0")) {
          p.population = *x;
          count_residents(*x, *n, join(bp, "population"));
        }
      p.attributes = attributes(inherited, b, bp);
      places.push_back(std::move(p));
    }
  }

  // `buurten: {count: N, population: P}`: N buurten sharing P residents as evenly as possible
  // (the first P mod N get one more), coded WIJKCODE-B1 .. WIJKCODE-BN.
  void buurt_generated(const Node& gen, const std::string& path, PlaceIndex wijk,
                       const std::string& wijk_code, const ParamValues& inherited) {
    c.unknown_keys(gen, path, kGeneratedKeys);
    std::optional<std::int64_t> count, population;
    if (const Node* n = c.require(gen, "count", path, "how many buurten to generate"))
      count = c.integer(*n, join(path, "count"), 1, kMaxGenerated,
                        "a number of buurten in [1, " + std::to_string(kMaxGenerated) + "]");
    if (const Node* n = c.require(gen, "population", path, "the residents of all these buurten"))
      population = c.integer(*n, join(path, "population"), 0,
                             std::numeric_limits<std::int32_t>::max(),
                             "a number of residents >= 0");
    const ParamValues attrs = attributes(inherited, gen, path);
    if (!count || !population) return;
    if (!room_for(*count, gen.find("count")->value.where, join(path, "count"),
                  std::to_string(*count)))
      return;
    count_residents(*population, gen.find("population")->value, join(path, "population"));
    for (std::int64_t k = 0; k < *count; ++k) {
      PlaceSpec p;
      p.level = PlaceLevel::buurt;
      p.parent = wijk;
      p.code = wijk_code + "-B" + std::to_string(k + 1);
      p.name = p.code;
      p.population = *population / *count + (k < *population % *count ? 1 : 0);
      p.attributes = attrs;
      claim_code(p.code, gen.where, join(path, "count"));
      places.push_back(std::move(p));
    }
  }

  void wijk(const Node& w, const std::string& path, const ParamValues& inherited) {
    if (!room_for(1, w.where, path, "another wijk")) return;
    if (!w.is_map()) {
      c.wrong(w, path, "a wijk (a map with code, name, attributes, buurten)");
      return;
    }
    c.unknown_keys(w, path, kWijkKeys);
    PlaceSpec p;
    p.level = PlaceLevel::wijk;
    p.parent = 0;
    if (const Node* n = c.require(w, "code", path, "the wijk's code, e.g. WK026801")) {
      if (auto s = c.text(*n, join(path, "code"), "a code (text)")) {
        p.code = *s;
        claim_code(p.code, n->where, join(path, "code"));
      }
    }
    p.name = p.code;
    if (const Entry* e = w.find("name"))
      if (auto s = c.text(e->value, join(path, "name"), "a name (text)")) p.name = *s;
    p.attributes = attributes(inherited, w, path);
    const auto index = static_cast<PlaceIndex>(places.size());
    places.push_back(p);
    const std::string bp = join(path, "buurten");
    if (const Node* b = c.require(w, "buurten", path, "a list of buurten, or {count, population}")) {
      if (b->is_sequence()) buurt_list(*b, bp, index, p.attributes);
      else if (b->is_map()) buurt_generated(*b, bp, index, p.code, p.attributes);
      else c.wrong(*b, bp, "a list of buurten, or {count: N, population: P}");
    }
  }

  void city(const Node& n) {
    c.unknown_keys(n, "places", kPlacesKeys);
    PlaceSpec p;
    p.level = PlaceLevel::city;
    p.name = "city";
    if (const Entry* e = n.find("city"))
      if (auto s = c.text(e->value, "places.city", "the city's name (text)")) p.name = *s;
    p.code = p.name;
    const Entry* code = n.find("code");
    if (code)
      if (auto s = c.text(code->value, "places.code", "a code (text)")) p.code = *s;
    claim_code(p.code, code ? code->value.where : n.where, code ? "places.code" : "places.city");
    p.attributes = attributes(model ? ParamValues(model->place_attributes()) : ParamValues(), n,
                              "places");
    places.push_back(p);
    if (const Node* ws = c.require(n, "wijken", "places", "a list of wijken")) {
      if (!ws->is_sequence() || ws->items.empty()) {
        c.wrong(*ws, "places.wijken", "a list of at least one wijk");
      } else {
        for (std::size_t i = 0; i < ws->items.size(); ++i)
          wijk(ws->items[i], "places.wijken." + std::to_string(i), p.attributes);
      }
    }
    // Wijk and city populations are the sums of their children; places are listed parents
    // first, so one backwards pass adds every buurt into its wijk before the wijk into the city.
    for (std::size_t i = places.size(); i-- > 1;)
      places[*places[i].parent].population += places[i].population;
  }
};

void timeline(Checker& c, const Node& n, const Model* model, Scenario& sc) {
  if (n.is_null()) return;
  if (!n.is_sequence()) {
    c.wrong(n, "timeline", "a list of events");
    return;
  }
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    const Node& item = n.items[i];
    const std::string path = "timeline." + std::to_string(i);
    if (!item.is_map()) {
      c.wrong(item, path, "an event (a map with at, and set or call)");
      continue;
    }
    c.unknown_keys(item, path, kEventKeys);
    TimelineEvent ev;
    ev.where = item.where;
    if (const Entry* e = item.find("label"))
      if (auto s = c.text(e->value, join(path, "label"), "a label (text)", true)) ev.label = *s;
    if (const Node* at = c.require(item, "at", path, "the event's date, YYYY-MM-DD"))
      if (auto d = c.date(*at, join(path, "at"))) ev.at = *d;
    const Entry* every = item.find("every");
    if (every) ev.every = c.period(every->value, join(path, "every"));
    if (const Entry* until = item.find("until")) {
      const std::string key = join(path, "until");
      if (!every) {
        c.error(until->key_where, key, "", "`until` needs `every` (it ends a repetition)");
      } else if (auto d = c.date(until->value, key)) {
        if (*d < ev.at) c.error(until->value.where, key, d->iso(), "a date on or after `at`");
        ev.until = d;
      }
    }
    const Entry* set = item.find("set");
    const Entry* call = item.find("call");
    const Entry* args = item.find("args");
    if (!set && !call)
      c.error(item.where, path, "", "an event needs `set` or `call` (or both)");
    if (set) {
      if (model)
        ev.set = c.values(set->value, join(path, "set"), model->parameters(),
                          "parameter of model '" + std::string(model->name()) + "'",
                          "`buurtlab describe " + std::string(model->name()) + "` lists them");
      else
        c.map(set->value, join(path, "set"), "a map of parameter names to values", true);
    }
    const HookDecl* hook = nullptr;
    if (call) {
      const std::string key = join(path, "call");
      if (auto s = c.text(call->value, key, "a hook name")) {
        ev.hook = *s;
        if (model) {
          hook = model->find_hook(*s);
          if (!hook) {
            Keys names;
            for (const auto& h : model->hooks()) names.push_back(h.name);
            c.wrong(call->value, key,
                    names.empty() ? "no hook: model '" + std::string(model->name()) +
                                        "' has none"
                                  : "a hook of model '" + std::string(model->name()) +
                                        "', one of: " + list_text(names));
          }
        }
      }
    }
    if (hook) ev.hook_args = ParamValues(hook->args);
    if (args) {
      const std::string key = join(path, "args");
      if (!call)
        c.error(args->key_where, key, "", "`args` needs `call` (they are the hook's arguments)");
      else if (hook)
        assign(ev.hook_args, c.values(args->value, key, hook->args,
                                     "argument of hook '" + hook->name + "'", ""));
      else
        c.map(args->value, key, "a map of argument names to values", true);
    }
    sc.timeline.push_back(std::move(ev));
  }
}

// The shortest a period can be, in days (a month at least 28, a year at least 365).
std::int64_t min_days(const Period& p) {
  switch (p.unit) {
    case TimeUnit::day: return p.count;
    case TimeUnit::week: return 7 * std::int64_t{p.count};
    case TimeUnit::month: return 28 * std::int64_t{p.count};
    case TimeUnit::year: return 365 * std::int64_t{p.count};
  }
  return 1;
}

// Refuses a timeline whose repetitions over the run exceed kMaxEventOccurrences: the run schedules
// every one before its first tick. Counted from the dates without stepping through them (an upper
// bound for months and years), and reported at the event that passes the limit.
void count_occurrences(Checker& c, const Node& list, const Scenario& sc) {
  const std::int64_t end = sc.duration.advance(sc.start, 1).days_since_epoch();
  std::int64_t total = 0;
  for (std::size_t i = 0; i < sc.timeline.size(); ++i) {
    const TimelineEvent& ev = sc.timeline[i];
    std::int64_t last = end - 1;
    if (ev.until) last = std::min(last, ev.until->days_since_epoch());
    const std::int64_t span = last - ev.at.days_since_epoch();
    if (span < 0) continue;
    const std::int64_t n = ev.every && ev.every->count > 0 ? span / min_days(*ev.every) + 1 : 1;
    total += n;
    if (total > static_cast<std::int64_t>(kMaxEventOccurrences)) {
      const Entry* every = list.items[i].is_map() ? list.items[i].find("every") : nullptr;
      c.error(every ? every->value.where : list.items[i].where,
              "timeline." + std::to_string(i) + (every ? ".every" : ""),
              every ? every->value.describe() : "",
              "at most " + std::to_string(kMaxEventOccurrences) +
                  " occurrences of timeline events over the run (this event adds up to " +
                  std::to_string(n) + ", the events before it " + std::to_string(total - n) + ")");
      return;
    }
  }
}

// An entry the loader adds itself; it has no place in any file.
Entry generated(std::string key, Node value) {
  Entry e;
  e.key = std::move(key);
  e.value = std::move(value);
  return e;
}

// Replaces `map`'s flat sub-map `key` by every name of `schema` in declaration order: the given
// values as written, the rest at their defaults.
void complete_values(Node& map, const std::string& key, const ParamSchema& schema) {
  Node full = Node::map_node({});
  const Entry* given = map.find(key);
  for (const auto& d : schema.decls()) {
    const Entry* e = given && given->value.is_map() ? given->value.find(d.name) : nullptr;
    full.entries.push_back(
        e ? *e : generated(d.name, Node::scalar_node(exact_text(d, d.default_value), {})));
  }
  if (Entry* e = map.find(key)) e->value = std::move(full);
  else map.entries.push_back(generated(key, std::move(full)));
}

void set_default(Node& map, const std::string& key, const std::string& text) {
  if (!map.find(key)) map.entries.push_back(generated(key, Node::scalar_node(text, {})));
}

// Writes the defaults that were applied into the tree, so the emitted scenario says everything
// a run used: all parameters and city attributes included, so an output file still documents its
// run after a model's defaults change.
void complete(Node& root, const Scenario& sc, const Model& model) {
  set_default(root, "name", sc.name);
  set_default(root, "spin_up", "0");
  set_default(root, "tick", sc.tick.text());
  set_default(root, "seed", std::to_string(sc.seed));
  set_default(root, "replicates", std::to_string(sc.replicates));
  Node& places = root.find("places")->value;
  set_default(places, "city", sc.places[0].name);
  complete_values(places, "attributes", model.place_attributes());
  complete_values(root, "parameters", model.parameters());
  if (!root.find("output") || !root.find("output")->value.is_map()) {
    root.erase("output");
    root.entries.push_back(generated("output", Node::map_node({})));
  }
  Node& output = root.find("output")->value;
  set_default(output, "file", sc.output.file);
  set_default(output, "flush_every", std::to_string(sc.output.flush_every));
  std::vector<Entry> ordered;
  for (const auto& k : kTopKeys)
    if (const Entry* e = root.find(k)) ordered.push_back(*e);
  root.entries = std::move(ordered);
}

void flatten_into(const Node& n, const std::string& prefix, Node& out, const std::string& path,
                  Diagnostics& diags) {
  for (const auto& e : n.entries) {
    const std::string name = prefix.empty() ? e.key : prefix + "." + e.key;
    if (e.value.is_map()) {
      flatten_into(e.value, name, out, path, diags);
    } else if (const Entry* prev = out.find(name)) {
      diags.add(e.key_where, join(path, name), "",
                "given twice (first at " + prev->key_where.text() + ")");
    } else {
      out.entries.push_back({name, e.key_where, e.value});
    }
  }
}

void flatten_walk(Node& n, std::vector<std::string>& path, Diagnostics& diags) {
  if (n.is_map() && is_flat_path(path)) {
    Node flat = Node::map_node(n.where);
    std::string p;
    for (const auto& s : path) p = join(p, s);
    flatten_into(n, "", flat, p, diags);
    n = std::move(flat);
    return;
  }
  if (n.is_map()) {
    for (auto& e : n.entries) {
      path.push_back(e.key);
      flatten_walk(e.value, path, diags);
      path.pop_back();
    }
  } else if (n.is_sequence()) {
    for (std::size_t i = 0; i < n.items.size(); ++i) {
      path.push_back(std::to_string(i));
      flatten_walk(n.items[i], path, diags);
      path.pop_back();
    }
  }
}

bool is_index(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

}  // namespace

bool is_flat_path(const std::vector<std::string>& p) {
  const auto wijk = [&] { return p[0] == "places" && p[1] == "wijken" && is_index(p[2]); };
  switch (p.size()) {
    case 1: return p[0] == "parameters";
    case 2: return p[0] == "places" && p[1] == "attributes";
    case 3: return p[0] == "timeline" && is_index(p[1]) && (p[2] == "set" || p[2] == "args");
    case 4: return wijk() && p[3] == "attributes";
    case 5: return wijk() && p[3] == "buurten" && p[4] == "attributes";  // generated buurten
    case 6: return wijk() && p[3] == "buurten" && is_index(p[4]) && p[5] == "attributes";
    default: return false;
  }
}

void flatten_tree(Node& root, Diagnostics& diags) {
  std::vector<std::string> path;
  flatten_walk(root, path, diags);
}

void resolve(Node& root, const std::string& default_name, const ModelRegistry& models,
             Scenario& sc, Diagnostics& diags) {
  const std::size_t errors_before = diags.size();
  Checker c(diags);
  c.unknown_keys(root, "", kTopKeys);
  if (const Entry* e = root.find("extends"))
    c.error(e->key_where, "extends", e->value.describe(),
            "`extends` in a scenario file (it cannot be overridden)");

  sc.name = default_name;
  if (const Entry* e = root.find("name"))
    if (auto s = c.text(e->value, "name", "a name (text)")) sc.name = *s;
  if (const Entry* e = root.find("description"))
    if (!e->value.is_null())
      if (auto s = c.text(e->value, "description", "a description (text)", true))
        sc.description = *s;

  const Model* model = nullptr;
  if (const Node* n = c.require(root, "model", "", "the model to run")) {
    if (auto s = c.text(*n, "model", "a model name")) {
      sc.model = *s;
      model = models.find(*s);
      if (!model) {
        const auto names = models.names();
        c.wrong(*n, "model", names.empty() ? "a registered model (none are registered)"
                                           : "one of the models: " + list_text(names));
      }
    }
  }

  bool calendar_ok = true;
  if (const Node* n = c.require(root, "start", "", "the first day, YYYY-MM-DD")) {
    if (auto d = c.date(*n, "start")) sc.start = *d;
    else calendar_ok = false;
  } else {
    calendar_ok = false;
  }
  const Node* duration = c.require(root, "duration", "", "how long to run, e.g. '10 years'");
  if (duration) {
    if (auto p = c.period(*duration, "duration")) sc.duration = *p;
    else calendar_ok = false;
  }
  const Entry* spin_up = root.find("spin_up");
  if (spin_up)
    if (auto p = c.period_or_none(spin_up->value, "spin_up")) sc.spin_up = *p;
  if (const Entry* e = root.find("tick"))
    if (auto p = c.period(e->value, "tick")) sc.tick = *p;
  if (duration && calendar_ok && sc.duration.years() > kMaxYears) {
    c.wrong(*duration, "duration", "a period of at most " + std::to_string(kMaxYears) + " years");
    calendar_ok = false;
  }
  if (duration && calendar_ok) {
    const Date end = sc.duration.advance(sc.start, 1);
    if (!end.ymd.ok() || int(end.ymd.year()) > kLastYear || int(end.ymd.year()) < 1)
      c.wrong(*duration, "duration", "a run that ends by " + std::to_string(kLastYear) + "-12-31");
  }
  if (spin_up && sc.spin_up.years() > kMaxYears) {
    c.wrong(spin_up->value, "spin_up",
            "a period of at most " + std::to_string(kMaxYears) + " years, or 0 for none");
  } else if (spin_up && calendar_ok && sc.spin_up.count > 0) {
    // The spin-up's ticks count back from the start in whole ticks, so its first tick may begin
    // up to a tick before start - spin_up. Checked in that order, so that counting the ticks never
    // meets a date the calendar cannot hold.
    auto begins_in_range = [](const Date& d) { return d.ymd.ok() && int(d.ymd.year()) >= 1; };
    if (!begins_in_range(sc.spin_up.advance(sc.start, -1)) ||
        !begins_in_range(sc.tick.advance(sc.start, -std::int64_t{sc.spin_up_ticks()})))
      c.wrong(spin_up->value, "spin_up",
              "a spin-up that begins on or after 0001-01-01 (the start is " + sc.start.iso() + ")");
  }
  if (const Entry* e = root.find("seed"))
    if (auto x = c.unsigned64(e->value, "seed", "an integer in [0, 18446744073709551615]"))
      sc.seed = *x;
  if (const Entry* e = root.find("replicates"))
    if (auto x = c.integer(e->value, "replicates", 1, kMaxReplicates,
                           "an integer in [1, " + std::to_string(kMaxReplicates) + "]"))
      sc.replicates = static_cast<std::uint32_t>(*x);

  if (const Node* n = c.require(root, "places", "", "the city, its wijken and buurten")) {
    if (n->is_map()) {
      PlaceChecker pc{c, model, sc.places, {}};
      pc.city(*n);
    } else {
      c.wrong(*n, "places", "a map with city, wijken, ...");
    }
  }

  if (model) sc.parameters = ParamValues(model->parameters());
  if (const Entry* e = root.find("parameters")) {
    if (model)
      assign(sc.parameters,
            c.values(e->value, "parameters", model->parameters(),
                     "parameter of model '" + std::string(model->name()) + "'",
                     "`buurtlab describe " + std::string(model->name()) + "` lists them"));
    else
      c.map(e->value, "parameters", "a map of parameter names to values", true);
  }

  if (const Entry* e = root.find("timeline")) {
    timeline(c, e->value, model, sc);
    // Counted only when every event was read, so that event i is item i of the list.
    if (duration && calendar_ok && e->value.is_sequence() &&
        sc.timeline.size() == e->value.items.size())
      count_occurrences(c, e->value, sc);
  }

  sc.output.file = sc.name + ".h5";
  if (const Entry* e = root.find("output")) {
    if (const Node* o = c.map(e->value, "output", "a map with file, flush_every", true)) {
      c.unknown_keys(*o, "output", kOutputKeys);
      if (const Entry* f = o->find("file"))
        if (auto s = c.text(f->value, "output.file", "a file name")) sc.output.file = *s;
      if (const Entry* f = o->find("flush_every"))
        if (auto x = c.integer(f->value, "output.flush_every", 1,
                               std::numeric_limits<Tick>::max(), "a number of ticks >= 1"))
          sc.output.flush_every = static_cast<Tick>(*x);
    }
  }

  if (diags.size() == errors_before && model) complete(root, sc, *model);
}

}  // namespace buurtlab::scenario
