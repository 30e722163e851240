// Tests of calendar time (calendar.hpp): parsing dates and periods, advancing with month-end
// clamping, and the mapping between ticks and dates.
#include "buurtlab/calendar.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace buurtlab {
namespace {

Date D(const char* iso) {
  const auto d = Date::parse(iso);
  EXPECT_TRUE(d.has_value()) << iso;
  return d.value_or(Date{});
}

Period P(const char* text) {
  const auto p = Period::parse(text);
  EXPECT_TRUE(p.has_value()) << text;
  return p.value_or(Period{});
}

TEST(CalendarTest, DateParseAndIso) {
  for (const char* iso : {"2026-01-01", "2024-02-29", "2000-02-29", "1999-12-31", "0001-01-01"}) {
    const auto d = Date::parse(iso);
    ASSERT_TRUE(d.has_value()) << iso;
    EXPECT_EQ(d->iso(), iso);
  }
  EXPECT_EQ(D(" 2026-03-04\t").iso(), "2026-03-04") << "surrounding blanks are ignored";
}

TEST(CalendarTest, DateParseRejectsInvalidDates) {
  for (const char* bad :
       {"2026-02-30", "2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01",  "2026-00-10",
        "2026-01-00", "2026-1-1",   "26-01-01",   "2026/01/01", "2026-01-01x", "2026-01-1 ",
        "",           "today",      "abcd-ef-gh", "-026-01-01", "2026--1-01",  "2026-01--1",
        "+026-01-01", "2026-+1-01", "2026 01 01"})
    EXPECT_FALSE(Date::parse(bad).has_value()) << "'" << bad << "'";
}

TEST(CalendarTest, DateArithmeticAndOrder) {
  EXPECT_EQ(D("1970-01-01").days_since_epoch(), 0);
  EXPECT_EQ(D("2000-01-01").days_since_epoch(), 10957);
  EXPECT_EQ(D("1969-12-31").days_since_epoch(), -1);
  EXPECT_LT(D("2026-01-01"), D("2026-01-02"));
  EXPECT_GT(D("2027-01-01"), D("2026-12-31"));
  EXPECT_EQ(D("2026-05-05"), D("2026-05-05"));
  EXPECT_EQ(Date{}.iso(), "2000-01-01");
}

TEST(CalendarTest, PeriodParse) {
  struct Case {
    const char* text;
    int count;
    TimeUnit unit;
  };
  for (const Case& c : {Case{"1 week", 1, TimeUnit::week}, Case{"2 years", 2, TimeUnit::year},
                        Case{"months", 1, TimeUnit::month}, Case{"month", 1, TimeUnit::month},
                        Case{"3 days", 3, TimeUnit::day}, Case{"day", 1, TimeUnit::day},
                        Case{"  6 months ", 6, TimeUnit::month}, Case{"1 weeks", 1, TimeUnit::week},
                        Case{"10  year", 10, TimeUnit::year}}) {
    const auto p = Period::parse(c.text);
    ASSERT_TRUE(p.has_value()) << c.text;
    EXPECT_EQ(p->count, c.count) << c.text;
    EXPECT_EQ(p->unit, c.unit) << c.text;
  }
}

TEST(CalendarTest, PeriodParseRejectsBadText) {
  for (const char* bad :
       {"", "   ", "0 weeks", "-1 weeks", "+2 weeks", "1.5 years", "two weeks", "2 fortnights",
        "2years", "weekly", "2 Weeks", "2 weeks ago", "2 ", " weeks 2", "9999999999 days"})
    EXPECT_FALSE(Period::parse(bad).has_value()) << "'" << bad << "'";
}

TEST(CalendarTest, PeriodTextAndYears) {
  EXPECT_EQ(P("1 week").text(), "1 week");
  EXPECT_EQ(P("2 years").text(), "2 years");
  EXPECT_EQ(P("months").text(), "1 month");
  EXPECT_EQ(P(P("3 days").text().c_str()).count, 3) << "text() parses back";
  EXPECT_DOUBLE_EQ(P("1 week").years(), 7.0 / 365.25);
  EXPECT_DOUBLE_EQ(P("3 days").years(), 3.0 / 365.25);
  EXPECT_DOUBLE_EQ(P("6 months").years(), 0.5);
  EXPECT_DOUBLE_EQ(P("2 years").years(), 2.0);
}

TEST(CalendarTest, AdvanceByDaysAndWeeks) {
  EXPECT_EQ(P("1 week").advance(D("2026-01-01"), 2).iso(), "2026-01-15");
  EXPECT_EQ(P("1 week").advance(D("2026-12-25"), 1).iso(), "2027-01-01");
  EXPECT_EQ(P("3 days").advance(D("2024-02-27"), 1).iso(), "2024-03-01");
  EXPECT_EQ(P("1 day").advance(D("2026-03-01"), -1).iso(), "2026-02-28");
  EXPECT_EQ(P("1 week").advance(D("2026-01-01"), 0).iso(), "2026-01-01");
}

TEST(CalendarTest, AdvanceByMonthsClampsToTheMonthEnd) {
  const Period month = P("1 month");
  EXPECT_EQ(month.advance(D("2026-01-31"), 1).iso(), "2026-02-28");
  EXPECT_EQ(month.advance(D("2024-01-31"), 1).iso(), "2024-02-29");
  EXPECT_EQ(month.advance(D("2026-01-31"), 2).iso(), "2026-03-31")
      << "every step counts from the start, so the clamp does not carry over";
  EXPECT_EQ(month.advance(D("2026-01-31"), 3).iso(), "2026-04-30");
  EXPECT_EQ(month.advance(D("2026-03-31"), -1).iso(), "2026-02-28");
  EXPECT_EQ(month.advance(D("2026-11-15"), 3).iso(), "2027-02-15");
  EXPECT_EQ(P("6 months").advance(D("2026-08-31"), 1).iso(), "2027-02-28");
  EXPECT_EQ(P("1 year").advance(D("2024-02-29"), 1).iso(), "2025-02-28");
  EXPECT_EQ(P("1 year").advance(D("2024-02-29"), 4).iso(), "2028-02-29");
  EXPECT_EQ(P("2 years").advance(D("2026-01-01"), 5).iso(), "2036-01-01");
}

TEST(CalendarTest, TicksFor) {
  // 2026-01-01 .. 2036-01-01 is 3652 days (leap days in 2028 and 2032): 3652 / 7 = 521.7, so
  // 522 weekly ticks cover it (the last one ends on 2036-01-06).
  EXPECT_EQ(Clock::ticks_for(D("2026-01-01"), P("1 week"), P("10 years")), 522u);
  // 2024-01-01 .. 2034-01-01 is 3653 days: still 522.
  EXPECT_EQ(Clock::ticks_for(D("2024-01-01"), P("1 week"), P("10 years")), 522u);
  // 2 years from 2026: 730 days = 104 weeks + 2 days: 105 ticks.
  EXPECT_EQ(Clock::ticks_for(D("2026-01-01"), P("1 week"), P("2 years")), 105u);
  // 28 days are exactly 4 weeks: no partial tick.
  EXPECT_EQ(Clock::ticks_for(D("2026-02-01"), P("1 week"), P("1 month")), 4u);
  EXPECT_EQ(Clock::ticks_for(D("2026-01-01"), P("1 week"), P("1 month")), 5u);
  EXPECT_EQ(Clock::ticks_for(D("2026-01-01"), P("1 month"), P("10 years")), 120u);
  EXPECT_EQ(Clock::ticks_for(D("2026-01-31"), P("1 month"), P("1 year")), 12u);
  EXPECT_EQ(Clock::ticks_for(D("2026-01-01"), P("1 day"), P("1 year")), 365u);
  EXPECT_EQ(Clock::ticks_for(D("2024-01-01"), P("1 day"), P("1 year")), 366u);
  EXPECT_EQ(Clock::ticks_for(D("2026-01-01"), P("3 months"), P("1 year")), 4u);
  EXPECT_EQ(Clock::ticks_for(D("2026-01-01"), P("1 year"), P("6 months")), 1u);
  EXPECT_EQ(Clock::ticks_for(D("2026-01-01"), P("2 weeks"), P("1 year")), 27u);
}

TEST(CalendarTest, TicksBeforeCountBackFromTheStart) {
  // 2021-01-01 .. 2026-01-01 is 1826 days: 260 weeks and 6 days, so 261 weeks reach back over it.
  EXPECT_EQ(Clock::ticks_before(D("2026-01-01"), P("1 week"), P("5 years")), 261u);
  EXPECT_EQ(Clock::ticks_before(D("2026-01-01"), P("1 week"), P("2 weeks")), 2u);
  EXPECT_EQ(Clock::ticks_before(D("2026-01-01"), P("1 month"), P("2 years")), 24u);
  // From 31 March back one month is 28 February (clamped): one monthly tick covers it.
  EXPECT_EQ(Clock::ticks_before(D("2026-03-31"), P("1 month"), P("1 month")), 1u);
  EXPECT_EQ(Clock::ticks_before(D("2026-03-31"), P("1 month"), P("32 days")), 2u);
  // A span of 0 is none.
  EXPECT_EQ(Clock::ticks_before(D("2026-01-01"), P("1 week"), Period{0, TimeUnit::year}), 0u);
  // The first tick reaches at least as far back as the span, and not a whole tick further.
  const Date start = D("2026-01-01");
  const Tick n = Clock::ticks_before(start, P("1 week"), P("5 years"));
  EXPECT_LE(P("1 week").advance(start, -std::int64_t{n}), D("2021-01-01"));
  EXPECT_GT(P("1 week").advance(start, -std::int64_t{n - 1}), D("2021-01-01"));
}

TEST(CalendarTest, WeeklyClock) {
  const Clock clock(D("2026-01-01"), P("1 week"), 105);
  EXPECT_EQ(clock.ticks(), 105u);
  EXPECT_EQ(clock.start().iso(), "2026-01-01");
  EXPECT_EQ(clock.date_of(0).iso(), "2026-01-01");
  EXPECT_EQ(clock.date_of(1).iso(), "2026-01-08");
  EXPECT_EQ(clock.date_of(52).iso(), "2026-12-31");
  EXPECT_DOUBLE_EQ(clock.days_since_start(3), 21.0);
  EXPECT_DOUBLE_EQ(clock.dt_years(), 7.0 / 365.25);

  EXPECT_EQ(clock.first_tick_on_or_after(D("2025-06-01")), 0u);
  EXPECT_EQ(clock.first_tick_on_or_after(D("2026-01-01")), 0u);
  EXPECT_EQ(clock.first_tick_on_or_after(D("2026-01-02")), 1u);
  EXPECT_EQ(clock.first_tick_on_or_after(D("2026-01-08")), 1u);
  EXPECT_EQ(clock.first_tick_on_or_after(D("2026-01-09")), 2u);
  EXPECT_EQ(clock.first_tick_on_or_after(D("2027-01-01")), 53u);  // 365 days = 52 weeks + 1 day
}

TEST(CalendarTest, MonthlyClock) {
  const Clock clock(D("2026-01-31"), P("1 month"), 24);
  EXPECT_EQ(clock.date_of(1).iso(), "2026-02-28");
  EXPECT_EQ(clock.date_of(2).iso(), "2026-03-31");
  EXPECT_EQ(clock.date_of(13).iso(), "2027-02-28");
  EXPECT_DOUBLE_EQ(clock.days_since_start(1), 28.0);
  EXPECT_DOUBLE_EQ(clock.days_since_start(2), 59.0);
  EXPECT_DOUBLE_EQ(clock.dt_years(), 1.0 / 12.0);
  EXPECT_EQ(clock.first_tick_on_or_after(D("2026-02-28")), 1u);
  EXPECT_EQ(clock.first_tick_on_or_after(D("2026-03-01")), 2u);
  EXPECT_EQ(clock.first_tick_on_or_after(D("2026-03-31")), 2u);
  EXPECT_EQ(clock.first_tick_on_or_after(D("2026-04-01")), 3u);
}

// first_tick_on_or_after estimates and corrects; check it against a plain linear search for
// every day over several years and several tick lengths.
TEST(CalendarTest, FirstTickOnOrAfterMatchesLinearSearch) {
  for (const char* tick : {"1 day", "1 week", "2 weeks", "1 month", "3 months", "1 year"}) {
    for (const char* start : {"2026-01-01", "2024-02-29", "2026-01-31"}) {
      const Clock clock(D(start), P(tick), 1000);
      Tick expected = 0;
      for (std::int64_t day = -10; day < 4 * 366; ++day) {
        const Date d = P("1 day").advance(D(start), day);
        while (clock.date_of(expected) < d) ++expected;
        ASSERT_EQ(clock.first_tick_on_or_after(d), expected)
            << "tick " << tick << ", start " << start << ", date " << d.iso();
      }
    }
  }
}

}  // namespace
}  // namespace buurtlab
