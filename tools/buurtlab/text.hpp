// Text output shared by the compare and sweep commands: aligned tables, numbers for people and
// numbers for files, CSV fields.
#pragma once
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace buurtlab::text {

// Indicator values range from shares (0.4123) to counts (120000): four significant digits for
// small values, one decimal for large ones, never exponent notation for counts. Same rule as the
// end-of-run summary of `buurtlab run`, so the numbers read alike.
inline std::string number(double x) {
  if (std::isnan(x)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, std::fabs(x) >= 100 ? "%.1f" : "%.4g", x);
  return buf;
}

// A difference: signed, so that "+0.012" and "-0.012" stand out in a column.
inline std::string signed_number(double x) {
  if (std::isnan(x)) return "n/a";
  std::string s = number(x);
  if (s == "-0" || s == "-0.0") s.erase(0, 1);
  return x > 0 && s.find_first_not_of("0.") != std::string::npos ? "+" + s : s;
}

// `s` as a JSON string literal, quotes included (UTF-8 passes through unchanged).
inline std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(ch));
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

// The shortest text that reads back as exactly `x`: for files that other programs read, and for
// values handed to the scenario loader, which must be the values recorded. NaN is empty.
inline std::string exact(double x) {
  if (std::isnan(x)) return "";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
inline std::string csv(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// A plain-text table: columns padded to their widest cell; right-aligned columns for numbers.
class Table {
 public:
  explicit Table(std::vector<std::string> header, std::vector<bool> right = {})
      : right_(std::move(right)) {
    rows_.push_back(std::move(header));
    right_.resize(rows_[0].size(), false);
  }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::size_t rows() const { return rows_.size() - 1; }
  void print(std::ostream& os, std::string_view indent = "  ") const {
    std::vector<std::size_t> w(rows_[0].size(), 0);
    for (const auto& r : rows_)
      for (std::size_t c = 0; c < r.size() && c < w.size(); ++c) w[c] = std::max(w[c], r[c].size());
    for (const auto& r : rows_) {
      std::string line(indent);
      for (std::size_t c = 0; c < w.size(); ++c) {
        const std::string& cell = c < r.size() ? r[c] : std::string();
        const std::string pad(w[c] - cell.size(), ' ');
        if (c > 0) line += "  ";
        line += right_[c] ? pad + cell : cell + pad;
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      os << line << '\n';
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> right_;
};

inline std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

}  // namespace buurtlab::text
