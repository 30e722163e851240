// The statistics of `buurtlab compare`: replicate means with Student t intervals and differences
// between scenarios with paired intervals (replicates that share a seed) or Welch intervals. docs/ensembles.md defines them precisely; the report
// tool computes the same numbers, so keep the two in step.
#pragma once
#include <cstddef>
#include <limits>
#include <vector>

namespace buurtlab::stats {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kLevel = 0.95;  // confidence level of every interval

// A sample of replicate values. NaN values (undefined in that replicate) are left out: n counts
// the values used. sd has the n - 1 denominator and is NaN when n < 2; mean is NaN when n == 0.
struct Sample {
  std::size_t n = 0;
  double mean = kNaN;
  double sd = kNaN;
};
Sample describe(const std::vector<double>& values);

struct Interval {
  double low = kNaN;
  double high = kNaN;
};

// Two-sided quantile of Student's t for the confidence level: t such that P(|T| <= t) = level,
// for any real df > 0.
double t_quantile(double df, double level = kLevel);

// mean +- t(n - 1) * sd / sqrt(n); NaN bounds when n < 2.
Interval mean_interval(const Sample& s, double level = kLevel);

// The difference b.mean - a.mean with Welch's interval: se = sqrt(sa^2/na + sb^2/nb), df by
// Welch-Satterthwaite. Needs na, nb >= 2, else the interval and df are NaN. When both variances
// are 0 the interval is the difference itself and df is NaN.
struct Difference {
  double value = kNaN;
  Interval ci;
  double df = kNaN;
};
Difference welch(const Sample& a, const Sample& b, double level = kLevel);

// The mean of paired differences b_i - a_i with a t interval on n - 1 degrees of freedom (pairs
// where either value is NaN are left out); used when the two runs' replicates share seeds
// (common random numbers), so each pair differs only by the runs' settings. Needs n >= 2 pairs
// for an interval; when all differences are equal the interval is the difference itself.
Difference paired(const std::vector<double>& a, const std::vector<double>& b, double level = kLevel);

// Mean of the values that are not NaN; NaN if there are none.
double nan_mean(const double* first, const double* last);

}  // namespace buurtlab::stats
