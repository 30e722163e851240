#include "stats.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace buurtlab::stats {

Sample describe(const std::vector<double>& values) {
  Sample s;
  double sum = 0;
  for (double x : values)
    if (!std::isnan(x)) {
      sum += x;
      ++s.n;
    }
  if (s.n == 0) return s;
  s.mean = sum / double(s.n);
  if (s.n < 2) return s;
  // Two passes: the sum of squares around the mean does not lose digits the way
  // sum(x^2) - n mean^2 does for values far from zero (populations in the tens of thousands).
  double ss = 0;
  for (double x : values)
    if (!std::isnan(x)) ss += (x - s.mean) * (x - s.mean);
  s.sd = std::sqrt(ss / double(s.n - 1));
  return s;
}

double t_quantile(double df, double level) {
  if (!(df > 0)) return kNaN;
  const boost::math::students_t dist(df);
  return boost::math::quantile(dist, 0.5 + level / 2);
}

Interval mean_interval(const Sample& s, double level) {
  if (s.n < 2) return {};
  const double half = t_quantile(double(s.n - 1), level) * s.sd / std::sqrt(double(s.n));
  return {s.mean - half, s.mean + half};
}

Difference welch(const Sample& a, const Sample& b, double level) {
  Difference d;
  d.value = b.mean - a.mean;
  if (a.n < 2 || b.n < 2) return d;
  const double va = a.sd * a.sd / double(a.n), vb = b.sd * b.sd / double(b.n);
  const double var = va + vb;
  if (var == 0) {
    d.ci = {d.value, d.value};
    return d;
  }
  d.df = var * var / (va * va / double(a.n - 1) + vb * vb / double(b.n - 1));
  const double half = t_quantile(d.df, level) * std::sqrt(var);
  d.ci = {d.value - half, d.value + half};
  return d;
}

Difference paired(const std::vector<double>& a, const std::vector<double>& b, double level) {
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (!std::isnan(a[i]) && !std::isnan(b[i])) d.push_back(b[i] - a[i]);
  const Sample s = describe(d);
  Difference out;
  out.value = s.mean;
  if (s.n < 2) return out;
  out.df = double(s.n - 1);
  if (s.sd == 0) {
    out.ci = {s.mean, s.mean};
    return out;
  }
  out.ci = mean_interval(s, level);
  return out;
}

double nan_mean(const double* first, const double* last) {
  double sum = 0;
  std::size_t n = 0;
  for (; first != last; ++first)
    if (!std::isnan(*first)) {
      sum += *first;
      ++n;
    }
  return n ? sum / double(n) : kNaN;
}

}  // namespace buurtlab::stats
