// The spin-up and the check that it was long enough.
//
// A scenario's `spin_up` makes every replicate run that many ticks before the start date, with the
// scenario's parameters and without timeline events, and without writing them, so that the written
// run starts from the model's settled state rather than from its initial state (docs/scenarios.md).
// At the end of each replicate's spin-up the engine takes, for each of the model's summary
// indicators (Model::summary_indicators(), at city level), the mean over the last window of the
// spin-up and over the window before it. Once every replicate has done so, the check pools them: an
// indicator whose mean over the replicates still changes by more than the tolerance, and by more
// than its noise explains, is reported as drifting. The result is a warning, never an error.
#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "buurtlab/types.hpp"

namespace buurtlab {

// When an indicator counts as drifting: its mean over the last window differs from its mean over
// the window before by more than `tolerance` of the earlier mean (of the later one where the
// earlier is 0) AND by more than `noise_sd` standard errors of that difference. The second
// condition keeps an indicator that merely fluctuates (unmet care in a wijk of a few thousand
// residents swings by a third from one year to the next) from being reported for its noise.
struct SettleRule {
  double tolerance = 0.05;
  double noise_sd = 3.0;
};

// Replicates from which the noise is the spread of the replicates' own changes; with fewer it
// comes from the spread within the windows (see check_settled), which misses slow fluctuations.
inline constexpr std::uint32_t kSettleReplicatesForSpread = 3;

struct IndicatorSettling {
  std::string name;
  double previous = std::numeric_limits<double>::quiet_NaN();  // mean over the window before last
  double last = std::numeric_limits<double>::quiet_NaN();      // mean over the last window
  double change = std::numeric_limits<double>::quiet_NaN();    // (last - previous) / |previous|
  double noise = std::numeric_limits<double>::quiet_NaN();     // standard error of last - previous
  bool checked = false;  // false where a window holds NaN (the indicator is undefined in the city)
  bool settled = true;
};

struct SpinUpCheck {
  bool done = false;  // for one replicate: it completed its spin-up (a stop may end it sooner)
  Tick window = 0;    // ticks per window; 0 when the spin-up is too short to be checked
  std::uint32_t replicates = 0;  // replicates the values are means over (1 for one replicate's)
  SettleRule rule;
  std::vector<IndicatorSettling> indicators;  // the model's summary indicators, in its order

  bool checked() const { return done && window > 0; }
  // True unless some indicator drifts (also when nothing could be checked).
  bool settled() const {
    for (const auto& i : indicators)
      if (!i.settled) return false;
    return true;
  }
};

// Ticks per window: one year of ticks (round(1 / dt_years): 52 weekly, 12 monthly), or half the
// spin-up when that is shorter; 0 (no check) when a window would have fewer than 2 ticks.
Tick settle_window(Tick spin_up_ticks, double dt_years);

// Windows at the end of the spin-up that one replicate's check reads: the last two, compared, and
// up to three more before them for the noise; as many as fit (at least 2 when window > 0).
inline constexpr Tick kSettleHistoryWindows = 5;
Tick settle_history(Tick spin_up_ticks, Tick window);

// One replicate's check of indicators `names` from `series[i]`, the city values of indicator i
// after each of the last settle_history() * window ticks of the spin-up, oldest first. It compares
// the means of the last two windows. Its noise, the standard error of their difference, is the
// larger of two estimates, each from a scatter about a straight line (which takes out a steady
// trend, the thing looked for): of the eight quarter-window means of the last two windows (in
// windows under 8 ticks, of single ticks), and of the means of all the windows read (if there are
// at least 3), which shows the wobble from one year to the next. Deterministic: the same series
// give the same bits.
SpinUpCheck check_settled(const std::vector<std::string>& names,
                          const std::vector<std::vector<double>>& series, Tick window,
                          const SettleRule& rule = {});

// The check over replicates: per indicator, the means of the replicates' window means, and as
// noise the standard error of the mean change (the spread of the replicates' changes over
// sqrt(n)) when at least kSettleReplicatesForSpread replicates checked it, else the replicates'
// own noise combined. Uses the checks that are checked(), in the order given (replicate order, so
// the result does not depend on which replicate finished first); not done() if there are none.
SpinUpCheck pool_checks(const std::vector<SpinUpCheck>& replicates, const SettleRule& rule = {});

}  // namespace buurtlab
