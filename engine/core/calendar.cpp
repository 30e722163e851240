#include "buurtlab/calendar.hpp"

#include <charconv>
#include <cstdio>

namespace buurtlab {

namespace {
using namespace std::chrono;

// Unsigned decimal digits only: from_chars alone would read "-026" in "-026-01-01" as year -26.
bool parse_int(std::string_view s, int& out) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::optional<Date> Date::parse(std::string_view iso) {
  iso = trim(iso);
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  int y, m, d;
  if (!parse_int(iso.substr(0, 4), y) || !parse_int(iso.substr(5, 2), m) ||
      !parse_int(iso.substr(8, 2), d))
    return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date{ymd};
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

std::int64_t Date::days_since_epoch() const {
  return sys_days{ymd}.time_since_epoch().count();
}

std::optional<Period> Period::parse(std::string_view text) {
  text = trim(text);
  Period p;
  const auto space = text.find(' ');
  std::string_view unit = text;
  if (space != std::string_view::npos) {
    if (!parse_int(trim(text.substr(0, space)), p.count) || p.count <= 0) return std::nullopt;
    unit = trim(text.substr(space + 1));
  }
  if (unit == "day" || unit == "days") p.unit = TimeUnit::day;
  else if (unit == "week" || unit == "weeks") p.unit = TimeUnit::week;
  else if (unit == "month" || unit == "months") p.unit = TimeUnit::month;
  else if (unit == "year" || unit == "years") p.unit = TimeUnit::year;
  else return std::nullopt;
  return p;
}

std::string Period::text() const {
  static const char* names[] = {"day", "week", "month", "year"};
  std::string s = std::to_string(count) + " " + names[static_cast<int>(unit)];
  if (count != 1) s += "s";
  return s;
}

double Period::years() const {
  switch (unit) {
    case TimeUnit::day: return count / 365.25;
    case TimeUnit::week: return count * 7.0 / 365.25;
    case TimeUnit::month: return count / 12.0;
    case TimeUnit::year: return count;
  }
  return 0;
}

Date Period::advance(const Date& d, std::int64_t n) const {
  switch (unit) {
    case TimeUnit::day:
    case TimeUnit::week: {
      const std::int64_t days = n * count * (unit == TimeUnit::week ? 7 : 1);
      return Date{year_month_day{sys_days{d.ymd} + std::chrono::days{days}}};
    }
    case TimeUnit::month:
    case TimeUnit::year: {
      const std::int64_t months = n * count * (unit == TimeUnit::year ? 12 : 1);
      year_month_day ymd = d.ymd + std::chrono::months{months};
      if (!ymd.ok()) ymd = year_month_day{ymd.year() / ymd.month() / last};  // 31 Jan + 1 month
      return Date{ymd};
    }
  }
  return d;
}

Tick Clock::ticks_for(Date start, Period tick, Period duration) {
  const Date end = duration.advance(start, 1);
  Tick t = 0;
  while (tick.advance(start, t) < end) ++t;
  return t;
}

Tick Clock::ticks_before(Date start, Period tick, Period span) {
  if (span.count <= 0) return 0;
  const Date begin = span.advance(start, -1);
  Tick t = 0;
  while (tick.advance(start, -static_cast<std::int64_t>(t)) > begin) ++t;
  return t;
}

Tick Clock::first_tick_on_or_after(const Date& d) const {
  if (d <= start_) return 0;
  // Estimate by nominal length, then correct (months have unequal lengths).
  const double days = double(d.days_since_epoch() - start_.days_since_epoch());
  const double per_tick = tick_.years() * 365.25;
  auto t = static_cast<std::int64_t>(days / per_tick);
  if (t < 0) t = 0;
  while (t > 0 && date_of(static_cast<Tick>(t - 1)) >= d) --t;
  while (date_of(static_cast<Tick>(t)) < d) ++t;
  return static_cast<Tick>(t);
}

}  // namespace buurtlab
