"""Replicate statistics for comparing scenarios.

Replicates of a scenario are independent runs (each has its own random streams), so a summary of
one replicate's trajectory is one independent draw, and the usual small-sample intervals apply:

- end of run: the value at the last time point of each replicate;
- time average: the mean over the time points after the initial state (t = 1 .. T) of each
  replicate, so that every simulated tick weighs the same and the shared starting state does not
  dilute differences;
- mean of n replicates with a 95% Student-t interval: mean +- t(0.975, n-1) * s / sqrt(n);
- difference of two scenarios' means: paired (a t interval of the per-replicate differences) when
  the replicates share seeds (common random numbers), else with a 95% Welch interval: the
  variances are not assumed equal, the degrees of freedom are Welch-Satterthwaite's.

Only replicates that reached the end of the run count. With fewer than two replicates there is no
interval (NaN).
"""

import math

import numpy as np


def summaries(values):
    """values: (replicate, time) of one indicator at one place, complete replicates only.
    Returns (end, time_mean), each an array with one number per replicate."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] == 0:
        return np.array([]), np.array([])
    end = values[:, -1]
    after_start = values[:, 1:] if values.shape[1] > 1 else values
    with np.errstate(all="ignore"):
        # An indicator a model leaves undefined at some ticks is averaged over the rest.
        counts = np.sum(~np.isnan(after_start), axis=1)
        sums = np.nansum(after_start, axis=1)
        mean = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return end, mean


def t_quantile(df, p=0.975):
    if math.isnan(df) or df <= 0:
        return math.nan
    from scipy.stats import t

    return float(t.ppf(p, df))


def mean_interval(x):
    """(mean, low, high, n) with a 95% Student-t interval; NaN where undefined."""
    x = np.asarray(x, dtype=np.float64)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    m = float(np.mean(x))
    if n < 2:
        return m, math.nan, math.nan, n
    half = t_quantile(n - 1) * float(np.std(x, ddof=1)) / math.sqrt(n)
    return m, m - half, m + half, n


def welch_interval(a, b):
    """Difference mean(b) - mean(a) with a 95% Welch interval: (diff, low, high)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    na, nb = len(a), len(b)
    if na == 0 or nb == 0:
        return math.nan, math.nan, math.nan
    d = float(np.mean(b) - np.mean(a))
    if na < 2 or nb < 2:
        return d, math.nan, math.nan
    va, vb = float(np.var(a, ddof=1)) / na, float(np.var(b, ddof=1)) / nb
    se2 = va + vb
    if se2 == 0:
        # Both scenarios gave the same value in every replicate: no spread, no uncertainty.
        return d, d, d
    df = se2 * se2 / (va * va / (na - 1) + vb * vb / (nb - 1))
    half = t_quantile(df) * math.sqrt(se2)
    return d, d - half, d + half


def paired_interval(a, b):
    """Mean of the paired differences b_i - a_i with a 95% t interval: (diff, low, high).
    Pairs with a NaN on either side are left out."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    keep = ~np.isnan(a) & ~np.isnan(b)
    d = b[keep] - a[keep]
    n = len(d)
    if n == 0:
        return math.nan, math.nan, math.nan
    m = float(np.mean(d))
    if n < 2:
        return m, math.nan, math.nan
    sd = float(np.std(d, ddof=1))
    if sd == 0:
        return m, m, m
    half = t_quantile(n - 1) * sd / math.sqrt(n)
    return m, m - half, m + half


def difference(a, a_seeds, b, b_seeds):
    """The difference mean(b) - mean(a) as `buurtlab compare` gives it: paired when every
    replicate of the file with fewer has a partner with its seed in the other (and there are at
    least two), else Welch. Returns (diff, low, high, method, pairs)."""
    if a_seeds and b_seeds and len(set(a_seeds)) == len(a_seeds):
        where = {s: i for i, s in enumerate(a_seeds)}
        pa, pb = [], []
        for j, s in enumerate(b_seeds):
            if s in where:
                pa.append(a[where[s]])
                pb.append(b[j])
        if len(pa) >= 2 and len(pa) == min(len(a_seeds), len(b_seeds)):
            d, lo, hi = paired_interval(pa, pb)
            return d, lo, hi, "paired", len(pa)
    d, lo, hi = welch_interval(a, b)
    return d, lo, hi, "welch", 0
