#include "buurtlab/spin_up.hpp"

#include <algorithm>
#include <cmath>

namespace buurtlab {

Tick settle_window(Tick spin_up_ticks, double dt_years) {
  const double per_year = dt_years > 0 ? std::round(1.0 / dt_years) : 0.0;
  const Tick year = per_year >= 1 ? static_cast<Tick>(per_year) : Tick{1};
  const Tick w = std::min(year, spin_up_ticks / 2);
  return w >= 2 ? w : 0;
}

namespace {

// Batches per window for the noise estimate: quarters, or single ticks in short windows.
constexpr std::size_t kBatches = 4;
constexpr std::size_t kBatchedFrom = 8;

struct Moments {
  double mean = 0;
  double var = 0;  // sample variance
};

// Two passes, in order: the same values give the same bits.
Moments moments(const std::vector<double>& v) {
  Moments m;
  for (double x : v) m.mean += x;
  m.mean /= static_cast<double>(v.size());
  for (double x : v) m.var += (x - m.mean) * (x - m.mean);
  m.var /= static_cast<double>(v.size() - 1);
  return m;
}

// The residual variance of y about the least-squares line through (x, y), with n - 2 degrees of
// freedom (n >= 3).
double line_scatter(const std::vector<double>& x, const std::vector<double>& y) {
  const Moments mx = moments(x), my = moments(y);
  double sxy = 0;
  for (std::size_t k = 0; k < x.size(); ++k) sxy += (x[k] - mx.mean) * (y[k] - my.mean);
  const double slope = mx.var > 0 ? sxy / (mx.var * static_cast<double>(x.size() - 1)) : 0.0;
  double rss = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double r = y[k] - my.mean - slope * (x[k] - mx.mean);
    rss += r * r;
  }
  return rss / static_cast<double>(x.size() - 2);
}

// The two windows' means and the standard error of their difference. The noise is the scatter of
// the windows' batch means (batch k of a window holds its ticks [k n / b, (k + 1) n / b)) about
// the straight line through all of them: the line takes out a steady trend, which is what the
// check looks for, and batches take in the slower wobbles that single ticks would hide.
struct WindowPair {
  double previous = 0, last = 0, noise = 0;
};
WindowPair window_pair(const double* v, std::size_t n) {
  const std::size_t b = n >= kBatchedFrom ? kBatches : n;
  std::vector<double> x, y;  // batch centre (in ticks) and mean, both windows
  double sums[2] = {0, 0};
  for (std::size_t w = 0; w < 2; ++w)
    for (std::size_t k = 0; k < b; ++k) {
      const std::size_t lo = w * n + k * n / b, hi = w * n + (k + 1) * n / b;
      double s = 0;
      for (std::size_t j = lo; j < hi; ++j) s += v[j];
      sums[w] += s;
      x.push_back(0.5 * static_cast<double>(lo + hi - 1));
      y.push_back(s / static_cast<double>(hi - lo));
    }
  WindowPair out;
  const double sigma2 = line_scatter(x, y);
  out.previous = sums[0] / static_cast<double>(n);
  out.last = sums[1] / static_cast<double>(n);
  out.noise = std::sqrt(2.0 * sigma2 / static_cast<double>(b));
  return out;
}

// The standard error of the difference of two window means from the scatter of all `windows`
// window means about the straight line through them: the wobble from one window (year) to the next
// that quarters within two windows cannot show. 0 with fewer than 3 windows (no scatter to speak
// of).
double window_mean_noise(const double* v, std::size_t n, std::size_t windows) {
  if (windows < 3) return 0.0;
  std::vector<double> x, y;
  for (std::size_t w = 0; w < windows; ++w) {
    double s = 0;
    for (std::size_t j = w * n; j < (w + 1) * n; ++j) s += v[j];
    x.push_back(static_cast<double>(w));
    y.push_back(s / static_cast<double>(n));
  }
  return std::sqrt(2.0 * line_scatter(x, y));
}

// Fills in change and settled from previous, last and noise.
void judge(IndicatorSettling& s, const SettleRule& rule) {
  const double step = s.last - s.previous;
  const double scale = s.previous != 0 ? std::fabs(s.previous) : std::fabs(s.last);
  s.change = scale > 0 ? step / scale : 0.0;
  s.settled = !(std::fabs(s.change) > rule.tolerance && std::fabs(step) > rule.noise_sd * s.noise);
}

}  // namespace

Tick settle_history(Tick spin_up_ticks, Tick window) {
  return window > 0 ? std::min(kSettleHistoryWindows, spin_up_ticks / window) : 0;
}

SpinUpCheck check_settled(const std::vector<std::string>& names,
                          const std::vector<std::vector<double>>& series, Tick window,
                          const SettleRule& rule) {
  SpinUpCheck out;
  out.done = true;
  out.window = window >= 2 ? window : 0;
  out.replicates = 1;
  out.rule = rule;
  for (std::size_t i = 0; i < names.size(); ++i) {
    IndicatorSettling s;
    s.name = names[i];
    const std::vector<double>* v = i < series.size() ? &series[i] : nullptr;
    const std::size_t n = out.window;
    const std::size_t windows = n > 0 && v ? v->size() / n : 0;
    if (windows < 2 || windows > kSettleHistoryWindows || v->size() != windows * n ||
        std::any_of(v->begin(), v->end(), [](double x) { return std::isnan(x); })) {
      out.indicators.push_back(std::move(s));
      continue;
    }
    const WindowPair pair = window_pair(v->data() + (windows - 2) * n, n);
    s.checked = true;
    s.previous = pair.previous;
    s.last = pair.last;
    s.noise = std::max(pair.noise, window_mean_noise(v->data(), n, windows));
    judge(s, rule);
    out.indicators.push_back(std::move(s));
  }
  return out;
}

SpinUpCheck pool_checks(const std::vector<SpinUpCheck>& replicates, const SettleRule& rule) {
  SpinUpCheck out;
  out.rule = rule;
  std::vector<const SpinUpCheck*> used;
  for (const SpinUpCheck& c : replicates)
    if (c.checked()) used.push_back(&c);
  if (used.empty()) return out;
  out.done = true;
  out.window = used.front()->window;
  out.replicates = static_cast<std::uint32_t>(used.size());
  for (std::size_t i = 0; i < used.front()->indicators.size(); ++i) {
    IndicatorSettling s;
    s.name = used.front()->indicators[i].name;
    std::vector<double> previous, last, change;
    double own_noise2 = 0;
    for (const SpinUpCheck* c : used) {
      if (i >= c->indicators.size()) continue;
      const IndicatorSettling& r = c->indicators[i];
      if (!r.checked || r.name != s.name) continue;
      previous.push_back(r.previous);
      last.push_back(r.last);
      change.push_back(r.last - r.previous);
      own_noise2 += r.noise * r.noise;
    }
    const std::size_t n = previous.size();
    if (n > 0) {
      double p = 0, l = 0;
      for (std::size_t k = 0; k < n; ++k) {
        p += previous[k];
        l += last[k];
      }
      s.checked = true;
      s.previous = p / static_cast<double>(n);
      s.last = l / static_cast<double>(n);
      s.noise = n >= kSettleReplicatesForSpread
                    ? std::sqrt(moments(change).var / static_cast<double>(n))
                    : std::sqrt(own_noise2) / static_cast<double>(n);
      judge(s, rule);
    }
    out.indicators.push_back(std::move(s));
  }
  return out;
}

}  // namespace buurtlab
