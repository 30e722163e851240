"""Small statistics for the validation scripts: Welch's t-test and its confidence interval.

Only numpy is needed (it comes with python3-h5py), so the validation runs on a machine without
scipy. The Student t distribution is computed from the regularised incomplete beta function
(continued fraction, as in Numerical Recipes section 6.4); it agrees with scipy.stats to about
1e-10, which is far more than a test at the 5% level needs.
"""
import math

import numpy as np


def _betacf(a, b, x):
    # Lentz's continued fraction for the incomplete beta function.
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def betainc(a, b, x):
    """Regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    lbeta = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    front = math.exp(lbeta + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_sf(t, df):
    """P(T > t) for Student's t with df degrees of freedom."""
    if math.isinf(df):
        return 0.5 * math.erfc(t / math.sqrt(2.0))
    x = df / (df + t * t)
    tail = 0.5 * betainc(df / 2.0, 0.5, x)
    return tail if t > 0 else 1.0 - tail


def t_ppf(p, df):
    """Quantile of Student's t (bisection on t_sf; p in (0, 1))."""
    lo, hi = -1e3, 1e3
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if 1.0 - t_sf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


class Result:
    """Effect of B over A (mean(b) - mean(a)) with a 95% interval and a one-sided p-value."""

    def __init__(self, effect, lo, hi, p, df, n_a, n_b, mean_a, mean_b, alternative):
        self.effect, self.lo, self.hi, self.p, self.df = effect, lo, hi, p, df
        self.n_a, self.n_b, self.mean_a, self.mean_b = n_a, n_b, mean_a, mean_b
        self.alternative = alternative
        self.test = "Welch t-test"

    def __repr__(self):
        return (f"effect {self.effect:+.4g} [95% CI {self.lo:+.4g}, {self.hi:+.4g}], "
                f"one-sided p={self.p:.2g} ({self.alternative}; {self.test})")

    def as_dict(self):
        return {k: getattr(self, k) for k in
                ("effect", "lo", "hi", "p", "df", "n_a", "n_b", "mean_a", "mean_b", "alternative",
                 "test")}


def welch(a, b, alternative):
    """Welch's unequal-variance t-test of mean(b) - mean(a).

    alternative: "greater" (H1: mean(b) > mean(a)) or "less". The interval is the two-sided 95%
    Welch interval of the difference.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.size < 2 or b.size < 2:
        raise ValueError("welch: need at least two values per group")
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    diff = b.mean() - a.mean()
    se = math.sqrt(va + vb)
    if se == 0:
        df = float("inf")
        t = math.copysign(float("inf"), diff) if diff != 0 else 0.0
    else:
        df = (va + vb) ** 2 / (va ** 2 / (a.size - 1) + vb ** 2 / (b.size - 1))
        t = diff / se
    if alternative == "greater":
        p = t_sf(t, df) if math.isfinite(t) else (0.0 if t > 0 else 1.0)
    elif alternative == "less":
        p = t_sf(-t, df) if math.isfinite(t) else (0.0 if t < 0 else 1.0)
    else:
        raise ValueError(alternative)
    q = t_ppf(0.975, df) if math.isfinite(df) else 1.959963984540054
    return Result(diff, diff - q * se, diff + q * se, p, df, a.size, b.size, a.mean(), b.mean(),
                  alternative)


def one_sample(x, mu, alternative):
    """One-sample t-test of mean(x) against mu (effect = mean(x) - mu)."""
    x = np.asarray(x, dtype=float)
    n = x.size
    if n < 2:
        raise ValueError("one_sample: need at least two values")
    se = x.std(ddof=1) / math.sqrt(n)
    diff = x.mean() - mu
    df = n - 1
    t = diff / se if se > 0 else math.copysign(float("inf"), diff) if diff else 0.0
    if alternative == "greater":
        p = t_sf(t, df) if math.isfinite(t) else (0.0 if t > 0 else 1.0)
    else:
        p = t_sf(-t, df) if math.isfinite(t) else (0.0 if t < 0 else 1.0)
    q = t_ppf(0.975, df)
    r = Result(diff, diff - q * se, diff + q * se, p, df, 0, n, mu, x.mean(), alternative)
    r.test = "one-sample t-test"
    return r


def mean_ci(x):
    """Mean of x with a 95% t interval (over replicates)."""
    x = np.asarray(x, dtype=float)
    m = x.mean()
    if x.size < 2:
        return m, float("nan"), float("nan")
    h = t_ppf(0.975, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size)
    return m, m - h, m + h


def paired(a, b, alternative, exact_limit=16, draws=100000, seed=12345):
    """Paired comparison of b with a (same replicate seeds): effect = mean(b - a).

    p: one-sided sign-flip permutation test of the paired differences (exact for up to
    `exact_limit` pairs, otherwise `draws` random sign flips with a fixed seed). Under the null the
    two scenarios are exchangeable within a replicate, so each difference is equally likely to have
    either sign. Interval: the 95% t interval of the mean difference.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape or a.size < 2:
        raise ValueError("paired: need two equal-length arrays of at least two values")
    d = b - a
    n = d.size
    obs = d.mean()
    if n <= exact_limit:
        signs = ((np.arange(2 ** n)[:, None] >> np.arange(n)) & 1) * 2 - 1
    else:
        rng = np.random.default_rng(seed)
        signs = rng.choice([-1, 1], size=(draws, n))
    null = (signs * np.abs(d)).mean(axis=1)
    tol = 1e-12 * max(1.0, np.abs(d).max())
    if alternative == "greater":
        p = float(np.mean(null >= obs - tol))
    elif alternative == "less":
        p = float(np.mean(null <= obs + tol))
    else:
        raise ValueError(alternative)
    se = d.std(ddof=1) / math.sqrt(n)
    q = t_ppf(0.975, n - 1)
    r = Result(obs, obs - q * se, obs + q * se, p, n - 1, n, n, a.mean(), b.mean(), alternative)
    r.test = "paired sign-flip permutation"
    return r


def paired_two_sided(a, b):
    """paired(a, b) with, besides the one-sided p of "less", p_two: the two-sided sign-flip p
    (twice the smaller one-sided p, capped at 1)."""
    lo = paired(a, b, "less")
    hi = paired(a, b, "greater")
    lo.p_two = min(1.0, 2 * min(lo.p, hi.p))
    return lo


def fmt_effect(x):
    """A signed effect with the digits its size needs."""
    if not np.isfinite(x):
        return "nan"
    ax = abs(x)
    if ax == 0:
        return "0"
    if ax >= 100:
        return f"{x:+.1f}"
    if ax >= 1:
        return f"{x:+.2f}"
    if ax >= 0.01:
        return f"{x:+.3f}"
    if ax >= 0.0001:
        return f"{x:+.5f}"
    return f"{x:+.2e}"


def effect_text(r, p_digits=2):
    """'effect [low, high] p=P' of a paired_two_sided result."""
    return (f"{fmt_effect(r.effect)} [{fmt_effect(r.lo)}, {fmt_effect(r.hi)}] "
            f"p={r.p_two:.{p_digits}g}")
