// Calendar time: dates, tick lengths and the mapping between ticks and dates.
//
// Scenarios speak in calendar dates ("2026-01-01", "every 2 years"); the engine steps in ticks.
// A tick is a whole number of days, weeks or months (default: one week). Rates in the models are
// per year and are converted with dt_years(), so weekly and monthly ticks mean the same thing.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "buurtlab/types.hpp"

namespace buurtlab {

struct Date {
  std::chrono::year_month_day ymd{std::chrono::year{2000}, std::chrono::month{1},
                                  std::chrono::day{1}};

  static std::optional<Date> parse(std::string_view iso);  // "YYYY-MM-DD", a valid date
  std::string iso() const;
  std::int64_t days_since_epoch() const;  // days since 1970-01-01
  auto operator<=>(const Date& o) const { return days_since_epoch() <=> o.days_since_epoch(); }
  bool operator==(const Date& o) const { return days_since_epoch() == o.days_since_epoch(); }
};

enum class TimeUnit : std::uint8_t { day, week, month, year };

// A length of calendar time such as "1 week", "3 months" or "2 years".
struct Period {
  int count = 1;
  TimeUnit unit = TimeUnit::week;

  // Parses "N unit" or "unit" with unit in day(s), week(s), month(s), year(s).
  static std::optional<Period> parse(std::string_view text);
  std::string text() const;
  // Nominal length in years (days/365.25, weeks 7/365.25, months 1/12, years 1).
  double years() const;
  // d + n * this period; months and years keep the day of month, clamped to the month's end.
  Date advance(const Date& d, std::int64_t n) const;
};

// Maps ticks to dates: tick t starts at start + t * tick_length.
class Clock {
 public:
  Clock(Date start, Period tick, Tick ticks) : start_(start), tick_(tick), ticks_(ticks) {}
  // Number of ticks needed to cover [start, start + duration).
  static Tick ticks_for(Date start, Period tick, Period duration);
  // Number of ticks needed to cover [start - span, start), counting back from start; 0 for a span
  // of count 0 (the spin-up before a scenario's start date).
  static Tick ticks_before(Date start, Period tick, Period span);

  const Date& start() const { return start_; }
  const Period& tick_length() const { return tick_; }
  Tick ticks() const { return ticks_; }
  Date date_of(Tick t) const { return tick_.advance(start_, t); }
  double dt_years() const { return tick_.years(); }
  // Days since start at the beginning of tick t (the HDF5 time coordinate).
  double days_since_start(Tick t) const {
    return static_cast<double>(date_of(t).days_since_epoch() - start_.days_since_epoch());
  }
  // First tick whose start is on or after d.
  Tick first_tick_on_or_after(const Date& d) const;

 private:
  Date start_;
  Period tick_;
  Tick ticks_;
};

}  // namespace buurtlab
