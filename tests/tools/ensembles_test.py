"""Integration tests of `buurtlab compare` and `buurtlab sweep` (docs/ensembles.md).

Runs the CLI with the engine's test model (`buurtlab-testcli`) on the scenarios in tests/data/cli,
like cli_test.py, whose helpers it uses. The statistics are recomputed here from the output files
with h5py and numpy, with a Student t quantile of our own, so that the test does not share code
with the program:

    ensembles_test.py --cli path/to/buurtlab-testcli --data tests/data/cli [-k test_name]...
"""

import csv
import html
import io
import math
import os
import re
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test as base  # noqa: E402 -- the CLI helpers; base.CLI and base.DATA are set by main()
from cli_test import OK, RUN_FAILED, USAGE, attr, data, h5py, run, show  # noqa: E402


# ------------------------------------------------------------------------------------------------
# Statistics, written out from their definitions in docs/ensembles.md

def _betacf(a, b, x):
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        for aa in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                   -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-16:
            break
    return h


def _betai(a, b, x):
    """Regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) +
                     a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_quantile(df, level=0.95):
    """t with P(|T| <= t) = level for Student's t with df degrees of freedom (bisection)."""
    lo, hi = 0.0, 1e6
    for _ in range(200):
        mid = (lo + hi) / 2
        if _betai(df / 2.0, 0.5, df / (df + mid * mid)) > 1.0 - level:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def test_t_quantile_helper_matches_tables():
    # Published two-sided 95% values, so that the reference implementation is itself checked.
    for df, t in ((1, 12.7062047362), (2, 4.30265272975), (5, 2.57058183661),
                  (30, 2.04227245630), (2.5, 3.57465484201)):
        assert math.isclose(t_quantile(df), t, rel_tol=1e-9), (df, t_quantile(df))


def sample(values):
    """(n, mean, sd) of the values that are not NaN; sd with the n - 1 denominator."""
    xs = [float(v) for v in values if not math.isnan(v)]
    n = len(xs)
    mean = sum(xs) / n if n else math.nan
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1)) if n > 1 else math.nan
    return n, mean, sd


def mean_ci(n, mean, sd):
    if n < 2:
        return math.nan, math.nan
    half = t_quantile(n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


def welch(a, b):
    """(difference, low, high, df) of b - a."""
    (na, ma, sa), (nb, mb, sb) = a, b
    d = mb - ma
    if na < 2 or nb < 2:
        return d, math.nan, math.nan, math.nan
    va, vb = sa * sa / na, sb * sb / nb
    if va + vb == 0:
        return d, d, d, math.nan
    df = (va + vb) ** 2 / (va * va / (na - 1) + vb * vb / (nb - 1))
    half = t_quantile(df) * math.sqrt(va + vb)
    return d, d - half, d + half, df


def by_hand(path, indicator, place=0, horizon=None, replicates=None):
    """End-of-run and time-mean samples of one file, from the raw data."""
    import numpy as np
    with h5py().File(path, "r") as f:
        x = f[indicator][:, :, place]
    if replicates is not None:
        x = x[replicates, :]
    horizon = x.shape[1] - 1 if horizon is None else horizon
    end = x[:, horizon]
    with np.errstate(all="ignore"):
        tmean = np.nanmean(x[:, 1:horizon + 1], axis=1)
    return {"end": sample(end), "time_mean": sample(tmean)}


def close(got, want, what):
    """CSV text against a float (NaN: an empty field)."""
    if isinstance(want, float) and math.isnan(want):
        assert got == "", f"{what}: got {got!r}, expected empty (n/a)"
        return
    assert got != "", f"{what}: empty, expected {want}"
    assert math.isclose(float(got), want, rel_tol=1e-9, abs_tol=1e-12), \
        f"{what}: got {got}, expected {want!r}"


def read_csv(path_or_text, text=False):
    f = io.StringIO(path_or_text) if text else open(path_or_text, newline="", encoding="utf-8")
    with f:
        return list(csv.DictReader(f))


def make_run(tmp, name, *args):
    out = os.path.join(tmp, name)
    p = run("run", data("valid.yaml"), "-o", out, "--quiet", "--threads", "2", *args)
    assert p.returncode == OK, show(p)
    return out


def set_attrs(path, **attrs):
    with h5py().File(path, "r+") as f:
        for k, v in attrs.items():
            f.attrs[k] = v


# ------------------------------------------------------------------------------------------------
# compare

def test_compare_intervals_and_differences():
    with tempfile.TemporaryDirectory() as tmp:
        # Another seed: the replicates are independent samples, so the Welch interval applies.
        a = make_run(tmp, "a.h5", "--replicates", "3")
        b = make_run(tmp, "b.h5", "--replicates", "4", "--set", "parameters.meet_rate=52",
                     "--seed", "5")
        table = os.path.join(tmp, "out.csv")
        p = run("compare", a, b, "--indicator", "mean_value,ties", "--csv", table)
        assert p.returncode == OK, show(p)
        for text in ("end of run (tick 104", "time mean (ticks 1-104)", "95% CI", "difference",
                     "mean_value", "ties", a, b):
            assert text in p.stdout, f"{text!r} missing\n" + show(p)
        assert "population" not in p.stdout, "an indicator that was not asked for\n" + show(p)

        rows = read_csv(table)
        assert len(rows) == 2 * 2 * 2, rows  # indicators x statistics x files
        for indicator in ("mean_value", "ties"):
            ha, hb = by_hand(a, indicator), by_hand(b, indicator)
            for stat in ("end", "time_mean"):
                ra = next(r for r in rows if r["file"] == a and r["indicator"] == indicator
                          and r["statistic"] == stat)
                rb = next(r for r in rows if r["file"] == b and r["indicator"] == indicator
                          and r["statistic"] == stat)
                what = f"{indicator} {stat}"
                assert ra["place"] == "Teststad" and ra["scenario"] == "cli-valid", ra
                assert (ra["from_tick"], ra["to_tick"]) == (("104", "104") if stat == "end"
                                                            else ("1", "104")), ra
                for row, h in ((ra, ha[stat]), (rb, hb[stat])):
                    n, mean, sd = h
                    assert int(row["replicates"]) == n, (what, row)
                    close(row["mean"], mean, what + " mean")
                    close(row["sd"], sd, what + " sd")
                    lo, hi = mean_ci(n, mean, sd)
                    close(row["ci_low"], lo, what + " ci_low")
                    close(row["ci_high"], hi, what + " ci_high")
                assert ra["difference"] == "" and ra["welch_df"] == "", ra
                d, lo, hi, df = welch(ha[stat], hb[stat])
                close(rb["difference"], d, what + " difference")
                close(rb["difference_ci_low"], lo, what + " difference_ci_low")
                close(rb["difference_ci_high"], hi, what + " difference_ci_high")
                close(rb["welch_df"], df, what + " welch_df")
                assert df != int(df), "pick runs whose Welch df is not a whole number"
                assert rb["difference_method"] == "welch" and rb["pairs"] == "", rb
        assert "Welch" in p.stdout and "paired (" not in p.stdout, show(p)

        # The table shows the same numbers, rounded: the end-of-run mean of a.h5 for mean_value.
        n, mean, sd = by_hand(a, "mean_value")["end"]
        lo, hi = mean_ci(n, mean, sd)
        end_block = p.stdout.split("end of run")[1].split("time mean")[0]
        row = next(l for l in end_block.splitlines() if "mean_value" in l)
        assert f"{mean:.4g}" in row and f"[{lo:.4g}, {hi:.4g}]" in row, row


def test_compare_pairs_replicates_that_share_seeds():
    import numpy as np
    with tempfile.TemporaryDirectory() as tmp:
        # The same seed: replicate r of both runs starts from the same world (common random
        # numbers); the three replicates of a.h5 pair with the first three of b.h5.
        a = make_run(tmp, "a.h5", "--replicates", "3")
        b = make_run(tmp, "b.h5", "--replicates", "4", "--set", "parameters.meet_rate=52")
        table = os.path.join(tmp, "out.csv")
        p = run("compare", a, b, "--indicator", "mean_value", "--csv", table)
        assert p.returncode == OK, show(p)
        assert "paired (3)" in p.stdout, show(p)
        with h5py().File(a, "r") as fa, h5py().File(b, "r") as fb:
            xa, xb = fa["mean_value"][:, :, 0], fb["mean_value"][:3, :, 0]
        rows = read_csv(table)
        for stat in ("end", "time_mean"):
            va = xa[:, -1] if stat == "end" else np.nanmean(xa[:, 1:], axis=1)
            vb = xb[:, -1] if stat == "end" else np.nanmean(xb[:, 1:], axis=1)
            d = vb - va
            n, mean, sd = len(d), float(np.mean(d)), float(np.std(d, ddof=1))
            lo, hi = mean_ci(n, mean, sd)
            rb = next(r for r in rows if r["file"] == b and r["statistic"] == stat)
            assert rb["difference_method"] == "paired" and rb["pairs"] == "3", rb
            assert rb["welch_df"] == "", rb
            close(rb["difference"], mean, stat + " difference")
            close(rb["difference_ci_low"], lo, stat + " difference_ci_low")
            close(rb["difference_ci_high"], hi, stat + " difference_ci_high")
            # Narrower than Welch would be: both runs share the spread between replicates.
            _, wlo, whi, _ = welch(sample(va), sample(vb))
            assert hi - lo < whi - wlo, (stat, (lo, hi), (wlo, whi))


def test_compare_one_replicate_has_no_interval():
    with tempfile.TemporaryDirectory() as tmp:
        a = make_run(tmp, "a.h5")
        b = make_run(tmp, "b.h5", "--seed", "8")
        table = os.path.join(tmp, "out.csv")
        p = run("compare", a, b, "--indicator", "mean_value", "--csv", table)
        assert p.returncode == OK, show(p)
        # The statistics rows, labelled by the seed that tells the two runs apart.
        rows = [l for l in p.stdout.splitlines() if "cli-valid [seed=" in l and tmp not in l]
        assert len(rows) == 4 and all("n/a" in l for l in rows), show(p)
        for r in read_csv(table):
            assert r["replicates"] == "1" and r["mean"] != "", r
            assert r["sd"] == r["ci_low"] == r["ci_high"] == "", r
            if r["file"] == b:
                assert r["difference"] != "" and r["difference_ci_low"] == "", r
        # The value itself is printed: replicate 0's end value.
        n, mean, _ = by_hand(a, "mean_value")["end"]
        assert n == 1 and f"{mean:.4g}" in p.stdout, show(p)


def test_compare_place_and_all_indicators():
    with tempfile.TemporaryDirectory() as tmp:
        a = make_run(tmp, "a.h5", "--replicates", "2")
        table = os.path.join(tmp, "out.csv")
        p = run("compare", a, "--place", "W0B1", "--all-indicators", "--csv", table)
        assert p.returncode == OK, show(p)
        rows = read_csv(table)
        assert {r["indicator"] for r in rows} == {"population", "mean_value", "ties", "leavers"}
        with h5py().File(a, "r") as f:
            place = list(f["place_code"].asstr()[:]).index("W0B1")
        r = next(r for r in rows if r["indicator"] == "mean_value" and r["statistic"] == "end")
        assert r["place"] == "W0B1", r
        close(r["mean"], by_hand(a, "mean_value", place)["end"][1], "W0B1 mean_value")
        # leavers is defined for the city only: no value anywhere else.
        r = next(r for r in rows if r["indicator"] == "leavers" and r["statistic"] == "time_mean")
        assert r["replicates"] == "0" and r["mean"] == "", r
        assert "n/a" in p.stdout, show(p)


def test_compare_refuses_files_that_are_not_buurtlab_output():
    with tempfile.TemporaryDirectory() as tmp:
        a = make_run(tmp, "a.h5")
        other = os.path.join(tmp, "other.h5")
        with h5py().File(other, "w") as f:
            f["x"] = [1.0, 2.0]
        notes = os.path.join(tmp, "notes.h5")
        with open(notes, "w") as f:
            f.write("not HDF5\n")
        p = run("compare", a, other, notes, os.path.join(tmp, "missing.h5"))
        assert p.returncode == USAGE, show(p)
        assert f"{other}: not a Buurtlab output file (no buurtlab_version attribute)" in p.stderr, \
            show(p)
        assert f"{notes}: not a Buurtlab output file (not an HDF5 file)" in p.stderr, show(p)
        assert "missing.h5: no such file" in p.stderr, show(p)
        assert "3 error(s)" in p.stderr, show(p)
        assert p.stdout == "", show(p)


def test_compare_refuses_damaged_files():
    """Truncated at several points, random bytes, damaged inside, or claiming sizes no run writes:
    exit 2 and a message naming the file (docs/reliability.md, "Hostile input")."""
    import random
    with tempfile.TemporaryDirectory() as tmp:
        a = make_run(tmp, "a.h5", "--replicates", "2")
        data_bytes = open(a, "rb").read()
        n = len(data_bytes)
        bad = os.path.join(tmp, "bad.h5")
        for cut in (1024, n // 4, n // 2, 3 * n // 4, n - 1):
            with open(bad, "wb") as f:
                f.write(data_bytes[:cut])
            p = run("compare", a, bad)
            assert p.returncode == USAGE, f"cut at {cut}\n" + show(p)
            assert f"{bad}: truncated: the file has {cut} bytes of the {n} its header records" \
                in p.stderr, show(p)
            assert p.stdout == "", show(p)
        rng = random.Random(7)
        with open(bad, "wb") as f:
            f.write(bytes(rng.randrange(256) for _ in range(4096)))
        p = run("compare", a, bad)
        assert p.returncode == USAGE and f"{bad}: not a Buurtlab output file (not an HDF5 file)" \
            in p.stderr, show(p)
        # Random bytes inside: refused naming the file, or read as what the bytes now say.
        for k in range(8):
            damaged = bytearray(data_bytes)
            at = rng.randrange(n // 2, n - 64)
            damaged[at:at + 64] = bytes(rng.randrange(256) for _ in range(64))
            with open(bad, "wb") as f:
                f.write(damaged)
            p = run("compare", a, bad)
            assert p.returncode in (OK, USAGE), f"64 random bytes at {at}\n" + show(p)
            if p.returncode == USAGE:
                assert bad in p.stderr, show(p)
        # A file that claims two billion replicates (unwritten HDF5 chunks take no space).
        shutil.copy(a, bad)
        with h5py().File(bad, "r+") as f:
            f.attrs["replicates"] = 2_000_000_000
        p = run("compare", a, bad)
        assert p.returncode == USAGE, show(p)
        assert f"{bad}: not a Buurtlab output file: it claims 104 ticks and 2000000000 " \
               "replicates, more than a run can write" in p.stderr, show(p)


def test_compare_incomplete_files():
    import numpy as np
    with tempfile.TemporaryDirectory() as tmp:
        a = make_run(tmp, "a.h5", "--replicates", "3")
        # An interrupted run: replicate 0 complete, replicate 1 stopped at tick 40, 2 not begun.
        part = os.path.join(tmp, "part.h5")
        shutil.copy(a, part)
        with h5py().File(part, "r+") as f:
            f["ticks_written"][:] = [105, 41, 0]
            for name in ("population", "mean_value", "ties", "leavers"):
                ds = f[name]
                ds[1, 41:, :] = np.nan
                ds[2, :, :] = np.nan
            f.attrs["status"] = "interrupted"
            f.attrs["complete"] = np.int32(0)
        p = run("compare", a, part, "--indicator", "mean_value")
        assert p.returncode == USAGE, show(p)
        assert part in p.stderr and "status interrupted" in p.stderr, show(p)
        assert "--allow-incomplete" in p.stderr, show(p)

        table = os.path.join(tmp, "out.csv")
        p = run("compare", a, part, "--indicator", "mean_value", "--allow-incomplete",
                "--csv", table)
        assert p.returncode == OK, show(p)
        assert "using the 1 complete replicate(s) of 3" in p.stdout, show(p)
        r = next(r for r in read_csv(table) if r["file"] == part and r["statistic"] == "end")
        assert r["replicates"] == "1" and r["to_tick"] == "104", r
        close(r["mean"], by_hand(part, "mean_value", replicates=[0])["end"][1], "replicate 0")

        # No replicate complete: the one that got furthest is used up to its last tick, and every
        # file is summarised up to that tick.
        with h5py().File(part, "r+") as f:
            f["ticks_written"][:] = [0, 41, 0]
            f.attrs["status"] = "running"
            for name in ("population", "mean_value", "ties", "leavers"):
                f[name][0, :, :] = np.nan
        p = run("compare", a, part, "--indicator", "mean_value", "--allow-incomplete",
                "--csv", table)
        assert p.returncode == OK, show(p)
        assert "statistics up to tick 40" in p.stdout and "end of run (tick 40" in p.stdout, show(p)
        rows = read_csv(table)
        for r in rows:
            assert r["to_tick"] == "40", r
        for path, reps in ((a, None), (part, [1])):
            h = by_hand(path, "mean_value", horizon=40, replicates=reps)
            for stat in ("end", "time_mean"):
                r = next(r for r in rows if r["file"] == path and r["statistic"] == stat)
                assert int(r["replicates"]) == h[stat][0], r
                close(r["mean"], h[stat][1], f"{path} {stat} up to tick 40")


def test_compare_refuses_different_models_and_time_axes():
    with tempfile.TemporaryDirectory() as tmp:
        a = make_run(tmp, "a.h5")
        short = make_run(tmp, "short.h5", "--set", "duration=52 weeks")
        other = os.path.join(tmp, "other_model.h5")
        shutil.copy(a, other)
        set_attrs(other, model="othermodel")
        p = run("compare", a, short, other)
        assert p.returncode == USAGE, show(p)
        assert re.search(re.escape(short) + r": time axis 52 ticks of 1 week from 2026-01-01, but "
                         + re.escape(a) + r" has 104 ticks", p.stderr), show(p)
        assert f"{other}: model othermodel, but {a} has model testmodel" in p.stderr, show(p)


def test_compare_unknown_indicator_and_place_list_the_known_ones():
    with tempfile.TemporaryDirectory() as tmp:
        a = make_run(tmp, "a.h5")
        p = run("compare", a, "--indicator", "mean_value,trust", "--place", "W9B9")
        assert p.returncode == USAGE, show(p)
        assert re.search(r"--indicator: got trust, expected an indicator of .*a\.h5: "
                         r"population, mean_value, ties, leavers", p.stderr), show(p)
        assert re.search(r"--place: got W9B9, expected a place code of .*a\.h5: "
                         r"Teststad, W0, W0B0, W0B1, W1, W1B0, W1B1", p.stderr), show(p)
        assert "2 error(s)" in p.stderr, show(p)
        # A typo gets the nearest name first.
        p = run("compare", a, "--indicator", "mean_valeu")
        assert p.returncode == USAGE, show(p)
        assert "(did you mean mean_value?)" in p.stderr, show(p)


def test_compare_usage_errors():
    p = run("compare")
    assert p.returncode == USAGE and "at least one output file" in p.stderr, show(p)
    assert "try 'buurtlab compare --help'" in p.stderr, show(p)
    p = run("compare", "--help")
    assert p.returncode == OK and "usage: buurtlab compare" in p.stdout, show(p)
    for opt in ("--indicator", "--place", "--csv", "--allow-incomplete", "--all-indicators"):
        assert opt in p.stdout, opt


# ------------------------------------------------------------------------------------------------
# sweep

def sweep(*args, timeout=120):
    return run("sweep", *args, timeout=timeout)


def test_sweep_grid():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "grid")
        p = sweep(data("sweep.yaml"), "--vary", "parameters.meet_rate=10,20,30",
                  "--vary", "parameters.noise=0.01,0.02", "--replicates", "2", "-o", out,
                  "--threads", "2")
        assert p.returncode == OK, show(p)
        rows = read_csv(os.path.join(out, "sweep.csv"))
        grid = [(m, n) for m in ("10", "20", "30") for n in ("0.01", "0.02")]
        assert [(r["parameters.meet_rate"], r["parameters.noise"]) for r in rows] == grid, rows
        assert [r["point"] for r in rows] == [str(i) for i in range(6)], rows
        assert all(r["status"] == "complete" for r in rows), rows
        files = sorted(f for f in os.listdir(out) if f.endswith(".h5"))
        assert files == [f"point-{i:04d}.h5" for i in range(6)], files
        assert [r["file"] for r in rows] == files, rows
        for r in rows:
            with h5py().File(os.path.join(out, r["file"]), "r") as f:
                assert attr(f, "status") == "complete" and attr(f, "replicates") == 2
                yaml = attr(f, "scenario_yaml")
            # The point's values are the ones its file was run with.
            assert re.search(rf"meet_rate: {r['parameters.meet_rate']}\b", yaml), yaml
            assert re.search(rf"noise: {r['parameters.noise']}\b", yaml), yaml
        with open(os.path.join(out, "sweep.yaml"), encoding="utf-8") as f:
            recorded = f.read()
        for text in ("design: grid", '"parameters.meet_rate"', '["10", "20", "30"]', "points: 6",
                     "seed: 7", "replicates: 2"):
            assert text in recorded, f"{text!r} not in sweep.yaml:\n{recorded}"
        assert "6 complete: 6 run now, 0 kept" in p.stdout, show(p)
        # The files compare.
        c = run("compare", *[os.path.join(out, f) for f in files[:2]], "--indicator", "ties")
        assert c.returncode == OK, show(c)


def test_sweep_over_the_spin_up_warns_for_the_point_that_has_not_settled():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "spin")
        p = sweep(data("sweep.yaml"), "--vary", "spin_up=26 weeks,4 years", "-o", out, "--quiet")
        assert p.returncode == OK, show(p)
        warnings = [l for l in p.stderr.splitlines() if "warning" in l]
        assert warnings == ["[1/2] point-0000.h5: warning: the spin-up has not settled (ties); "
                            "consider a spin_up longer than 26 weeks"], show(p)
        for i, (ticks, check) in enumerate([(26, "drifting"), (209, "settled")]):
            with h5py().File(os.path.join(out, f"point-{i:04d}.h5"), "r") as f:
                assert attr(f, "spin_up_ticks") == ticks and attr(f, "spin_up_check") == check


def two_point_sweep(tmp):
    """A sweep of two points (meet_rate 10 and 30, 2 replicates) in tmp/sweep; their files."""
    out = os.path.join(tmp, "sweep")
    p = sweep(data("sweep.yaml"), "--vary", "parameters.meet_rate=10,30", "--replicates", "2",
              "-o", out, "--threads", "2")
    assert p.returncode == OK, show(p)
    return [os.path.join(out, f"point-{i:04d}.h5") for i in range(2)]


def test_compare_labels_sweep_points_by_their_values():
    # The points of a sweep share a scenario name; compare must still tell their rows apart, by
    # the value each point was run with.
    with tempfile.TemporaryDirectory() as tmp:
        files = two_point_sweep(tmp)
        table = os.path.join(tmp, "out.csv")
        c = run("compare", *files, "--indicator", "ties", "--csv", table)
        assert c.returncode == OK, show(c)
        want = {files[0]: "cli-sweep [meet_rate=10]",
                files[1]: "cli-sweep [meet_rate=30]"}
        rows = read_csv(table)
        assert len(rows) == 2 * 2, rows  # statistics x files
        for r in rows:
            assert r["scenario"] == "cli-sweep" and r["label"] == want[r["file"]], r
        # In the table: each file with its label, and every statistics row labelled.
        for f, label in want.items():
            assert re.search(rf"^{re.escape(f)}\s+{re.escape(label)}\s", c.stdout, re.M), show(c)
        for block in c.stdout.split("end of run")[1].split("time mean"):
            for label in want.values():
                assert label in block, f"{label!r} missing from\n{block}"



# Scenarios for the label test below, as stored in files' scenario_yaml: each group shares a name.
# "crafted": values compared as written (0.30 is not 0.3), quoted "~" alike null, an empty list
# unlike an empty map, list items named by index and missing in one file, name, description and
# output ignored (c is a but for those), more than four differences counted.
CRAFTED_A = """name: crafted
description: first
seed: 7
output:
  file: a.h5
parameters:
  meet_rate: 0.30
  note: "café"
  empty: []
  gone: ~
timeline:
  - at: 2026-06-01
    set: {noise: 0.02}
"""
CRAFTED_B = """name: crafted-b
description: |
  second,
  on two lines
seed: 7
output:
  file: b.h5
parameters:
  meet_rate: 0.3
  note: cafe
  empty: {}
  gone: "~"
timeline:
  - at: 2026-06-01
    set: {noise: 0.02}
  - at: 2027-01-01
    call: cut
"""
CRAFTED_C = CRAFTED_A.replace("first", "again").replace("a.h5", "c.h5")
# "nulls": which texts the engine reads as null, and which as text (a tag or quotes make text).
NULLS_A = 'a: ~\nb: ""\nc: null\nd: !!str null\ne:\nf: NULL\ng: ""\n'
NULLS_B = 'a: "~"\nb:\nc: "null"\nd: null\ne: \'\'\nf: Null\ng: !!null ""\n'
# "broken": YAML the engine cannot read, and a duplicate key, which it refuses: both have no
# values, so only their files tell them apart.
BROKEN = ("not: [yaml", "seed: 7\nseed: 8\n", "seed: 7\n")


def test_plot_and_report_label_runs_as_compare_does():
    # plot and report (Python, buurtlab_tools/labels.py) label runs by compare's rule (C++,
    # run_labels.cpp); on the same files they must give the same labels, so that the two
    # implementations cannot drift apart. The files: the points of a sweep, copies of a point in
    # two folders, and copies whose stored scenario is rewritten to the cases above.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                    "tools", "python"))
    from buurtlab_tools import labels, results

    with tempfile.TemporaryDirectory() as tmp:
        points = two_point_sweep(tmp)
        files = list(points)

        def copy(name, scenario_name=None, yaml=None):
            path = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            shutil.copy(points[0], path)
            if scenario_name is not None:
                set_attrs(path, scenario_name=scenario_name, scenario_yaml=yaml)
            files.append(path)
            return path

        one, two = copy("one/p.h5"), copy("two/p.h5")
        solo = copy("solo.h5", "solo", CRAFTED_A)
        crafted = [copy(f"crafted-{k}.h5", "crafted", y)
                   for k, y in (("a", CRAFTED_A), ("b", CRAFTED_B), ("c", CRAFTED_C))]
        nulls = [copy(f"nulls-{k}.h5", "nulls", y) for k, y in (("a", NULLS_A), ("b", NULLS_B))]
        broken = [copy(f"broken-{k}.h5", "broken", y) for k, y in enumerate(BROKEN)]

        table = os.path.join(tmp, "labels.csv")
        c = run("compare", *files, "--indicator", "ties", "--csv", table)
        assert c.returncode == OK, show(c)
        by_compare = {r["file"]: r["label"] for r in read_csv(table)}
        outs = results.open_outputs(files)
        try:
            by_python = dict(zip(files, results.unique_labels(outs)))
        finally:
            for o in outs:
                o.close()
        for f in files:
            assert by_python[f] == by_compare[f], \
                f"{f}:\n  python  {by_python[f]}\n  compare {by_compare[f]}"

        # What the rule gives here, spelled out.
        meet = "cli-sweep [meet_rate=10]"
        assert by_python[points[0]] == f"{meet} ({points[0]})", by_python
        assert by_python[points[1]] == "cli-sweep [meet_rate=30]", by_python
        assert by_python[one] == f"{meet} ({one})" and by_python[two] == f"{meet} ({two})"
        assert by_python[solo] == "solo", by_python
        # Values are named by the shortest ending of their key that no other key shares; an
        # ending never starts at or right after a list index (the case of run_labels_test.cpp's
        # ValuesAreNamedByTheShortestEndingOfTheirKeyThatNoOtherKeyShares, and a list item).
        assert labels.short_names(["parameters.a.rate", "parameters.a.x.y.z", "parameters.b.rate",
                                   "parameters.z", "timeline.1.at", "timeline.1.args.change"]) == \
            ["a.rate", "y.z", "b.rate", "parameters.z", "timeline.1.at", "change"]
        shown = "meet_rate={}, note={}, empty={}, timeline.1.at={}, +1 more"
        a = "crafted [" + shown.format("0.30", "café", "[]", "(none)") + "]"
        assert by_python[crafted[0]] == f"{a} ({crafted[0]})", by_python
        assert by_python[crafted[1]] == \
            "crafted [" + shown.format("0.3", "cafe", "{}", "2027-01-01") + "]", by_python
        assert by_python[crafted[2]] == f"{a} ({crafted[2]})", by_python
        assert by_python[nulls[0]] == "nulls [b=, c=~, d=null, e=~]", by_python
        assert by_python[nulls[1]] == "nulls [b=~, c=null, d=~, e=]", by_python
        assert [by_python[f] for f in broken] == \
            [f"broken [seed=(none)] ({broken[0]})", f"broken [seed=(none)] ({broken[1]})",
             "broken [seed=7]"], by_python

        # plot names its lines by these labels (a long one may be wrapped onto lines of its own).
        svg = os.path.join(tmp, "points.svg")
        p = run("plot", *points, one, "-i", "ties", "-o", svg)
        assert p.returncode == OK, show(p)
        with open(svg, encoding="utf-8") as f:
            text = "".join(re.findall(r"<text[^>]*>([^<]*)</text>", f.read()))
        for f in (points[1], one):
            assert re.sub(r"\s", "", by_python[f]) in re.sub(r"\s", "", html.unescape(text)), \
                f"{by_python[f]!r} not in the legend of {svg}"

def test_plot_sweep_draws_an_outcome_against_the_swept_value():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "grid")
        p = sweep(data("sweep.yaml"), "--vary", "parameters.meet_rate=10,20,40",
                  "--vary", "parameters.noise=0.01,0.05", "--replicates", "3", "-o", out,
                  "--quiet")
        assert p.returncode == OK, show(p)
        svg = os.path.join(tmp, "ties.svg")
        p = run("plot", "--sweep", out, "-i", "ties", "-o", svg)
        assert p.returncode == OK, show(p)
        assert f"ties at 6 points of {out}, 2 lines" in p.stdout, show(p)
        text = html.unescape(open(svg, encoding="utf-8").read())
        # The parameter's name and unit on x (from `describe`), the indicator's unit on y, the
        # other key's values as the lines.
        for needle in ("parameters.meet_rate (per year)", "ties (count)", "at the end of the run",
                       ">noise<", ">0.01<", ">0.05<", "95% t interval"):
            assert needle in text, f"{needle!r} not in {svg}"
        # The points are the means over replicates of each point's end value, at the swept
        # values, one line per noise value (the chart's data, read back from the figure).
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                        "tools", "python"))
        from buurtlab_tools import plot

        fig, _, _, _ = plot.draw_sweep(out, "ties")
        lines = [l for l in fig.axes[0].get_lines() if l.get_marker() == "o"]
        assert len(lines) == 2, lines
        for k, line in enumerate(lines):
            want = [by_hand(os.path.join(out, f"point-{2 * m + k:04d}.h5"), "ties")["end"]
                    for m in range(3)]
            got = list(line.get_ydata())
            for g, (n, mean, _) in zip(got, want):
                assert n == 3 and math.isclose(g, mean, rel_tol=1e-12), (got, want)
            xs = list(line.get_xdata())
            assert all(abs(x - v) < 1.0 for x, v in zip(xs, (10, 20, 40))), xs
        # --x by the key's last part, and the time mean.
        p = run("plot", "--sweep", out, "-i", "mean_value", "--x", "noise", "--statistic", "mean",
                "-o", os.path.join(tmp, "b.svg"))
        assert p.returncode == OK and "3 lines" in p.stdout, show(p)
        text = html.unescape(open(os.path.join(tmp, "b.svg"), encoding="utf-8").read())
        assert "parameters.noise" in text and "averaged over the run" in text
        # A point not yet complete is left out, with a warning.
        rows = read_csv(os.path.join(out, "sweep.csv"))
        with open(os.path.join(out, "sweep.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            for r in rows:
                w.writerow({**r, "status": "pending" if r["point"] == "5" else r["status"]})
        p = run("plot", "--sweep", out, "-i", "ties", "-o", svg)
        assert p.returncode == OK and "at 5 points" in p.stdout, show(p)
        assert "left out, not complete: point 5 (pending)" in p.stderr, show(p)
        # Mistakes say what was expected.
        for args, needle in ((["--x", "nope"], "--x nope: not a varied key of this sweep; "
                                               "expected one of parameters.meet_rate, "
                                               "parameters.noise"),
                             (["-i", "ties", "-i", "mean_value"], "--sweep draws one indicator"),
                             ([os.path.join(out, "point-0000.h5")], "give no FILE.h5 with it"),
                             (["-i", "tie"], "no indicator 'tie'")):
            p = run("plot", "--sweep", out, *args, "-o", svg)
            assert p.returncode == USAGE and needle in p.stderr, f"{args}\n" + show(p)
        p = run("plot", "--sweep", os.path.join(tmp, "none"), "-o", svg)
        assert p.returncode == USAGE and "no such folder" in p.stderr, show(p)
        p = run("plot", os.path.join(out, "point-0000.h5"), "--x", "noise", "-o", svg)
        assert p.returncode == USAGE and "--x goes with --sweep DIR" in p.stderr, show(p)


def lhs_points(*args):
    p = sweep(data("sweep.yaml"), "--dry-run", *args)
    assert p.returncode == OK, show(p)
    return read_csv(p.stdout, text=True)


def test_sweep_latin_hypercube_is_reproducible_and_covers_every_stratum():
    ranges = {"parameters.meet_rate": (10.0, 50.0), "parameters.noise": (0.0, 0.1)}
    args = ["--samples", "10"] + [a for k, (lo, hi) in ranges.items()
                                  for a in ("--vary", f"{k}={lo:g}:{hi:g}")]
    rows = lhs_points(*args)
    assert len(rows) == 10, rows
    assert all(r["status"] == "pending" for r in rows), rows
    for key, (lo, hi) in ranges.items():
        values = [float(r[key]) for r in rows]
        assert all(lo <= v <= hi for v in values), values
        strata = sorted(min(int((v - lo) / (hi - lo) * 10), 9) for v in values)
        assert strata == list(range(10)), f"{key}: strata {strata}"
    assert lhs_points(*args) == rows, "the same command gave other points"
    assert lhs_points(*args, "--seed", "8") != rows, "another seed gave the same points"
    # More samples are another design, not an extension of this one; still a Latin hypercube.
    assert len(lhs_points(*args[2:], "--samples", "7")) == 7
    # The points are run with exactly the values written in sweep.csv.
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "lhs")
        p = sweep(data("sweep.yaml"), *args[:2], "--vary", "parameters.noise=0:0.1", "-o", out,
                  "--threads", "2", "--quiet")
        assert p.returncode == OK, show(p)
        rows = read_csv(os.path.join(out, "sweep.csv"))
        with h5py().File(os.path.join(out, rows[3]["file"]), "r") as f:
            yaml = attr(f, "scenario_yaml")
        assert re.search(rf"noise: {re.escape(rows[3]['parameters.noise'])}\n", yaml), yaml
        assert "design: latin-hypercube" in open(os.path.join(out, "sweep.yaml")).read()


def test_sweep_design_seed_draws_other_points_with_the_same_run_seed():
    args = ["--samples", "6", "--vary", "parameters.meet_rate=10:50"]
    rows = lhs_points(*args)
    other = lhs_points(*args, "--design-seed", "99")
    assert other != rows and len(other) == 6, (rows, other)
    assert lhs_points(*args, "--design-seed", "99") == other, "not reproducible"
    values = [float(r["parameters.meet_rate"]) for r in other]
    assert sorted(min(int((v - 10) / 40 * 6), 5) for v in values) == list(range(6)), values
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "lhs")
        p = sweep(data("sweep.yaml"), *args, "--design-seed", "99", "-o", out, "--quiet",
                  "--replicates", "2")
        assert p.returncode == OK, show(p)
        y = open(os.path.join(out, "sweep.yaml")).read()
        assert "design_seed: 99\n" in y and "seed: 7\n" in y, y
        with h5py().File(os.path.join(out, "point-0000.h5"), "r") as f:
            seeds = list(f["replicate_seed"][:])
        with h5py().File(os.path.join(out, "point-0001.h5"), "r") as f:
            assert list(f["replicate_seed"][:]) == seeds
        # A sweep without it is another command; a grid draws nothing.
        p = sweep(data("sweep.yaml"), *args, "-o", out, "--quiet", "--replicates", "2")
        assert p.returncode == USAGE and "--design-seed: was 99, now not given" in p.stderr, show(p)
    p = run("sweep", data("sweep.yaml"), "--vary", "parameters.noise=0.1,0.2",
            "--design-seed", "3", "--dry-run")
    assert p.returncode == USAGE and "--design-seed needs --samples" in p.stderr, show(p)


def test_sweep_checks_every_point_before_running_any():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "bad")
        p = sweep(data("sweep.yaml"), "--vary", "parameters.meet_rate=10,-5,20,1000",
                  "--vary", "parameters.nose=0.01,0.02", "-o", out)
        assert p.returncode == USAGE, show(p)
        err = p.stderr
        assert "parameters.meet_rate: got -5, expected a number in [0, 365] " \
               "(in sweep points 2, 3)" in err, show(p)
        assert "got 1000" in err and "(in sweep points 6, 7)" in err, show(p)
        assert "parameters.nose: unknown parameter" in err and "(in every sweep point)" in err, \
            show(p)
        assert "3 error(s)" in err, show(p)
        assert not os.path.exists(out), "a sweep with errors wrote something"


def test_sweep_usage_errors():
    cases = [
        (["--vary", "parameters.noise=0:0.1"], "needs --samples"),
        (["--samples", "4", "--vary", "parameters.noise=0.1,0.2"], "expected a range LO:HI"),
        (["--samples", "4", "--vary", "parameters.noise=0.2:0.1"], "LO < HI"),
        (["--samples", "4", "--vary", "parameters.noise=0:2"], "within the parameter's range"),
        (["--vary", "parameters.noise=0.1,,0.2"], "without empty values"),
        (["--vary", "parameters.noise"], "KEY=V1,V2"),
        (["--vary", "parameters.noise=0.1", "--vary", "parameters.noise=0.2"], "varied twice"),
        (["--vary", "seed=1,2", "--seed", "3"], "also fixed by --seed"),
        (["--samples", "0", "--vary", "parameters.noise=0:0.1"], "--samples expects"),
    ]
    for args, needle in cases:
        p = sweep(data("sweep.yaml"), *args, "--dry-run")
        assert p.returncode == USAGE, f"{args}\n" + show(p)
        assert needle in p.stderr, f"{args}: {needle!r} not said\n" + show(p)
    p = sweep(data("sweep.yaml"), "--vary", "parameters.noise=0.1")
    assert p.returncode == USAGE and "-o DIR" in p.stderr, show(p)
    p = sweep("--help")
    assert p.returncode == OK and "usage: buurtlab sweep" in p.stdout, show(p)


def test_sweep_choice_parameters_take_lists():
    p = sweep("builtin:baseline.yaml", "--dry-run", "--samples", "4",
              "--vary", "parameters.financing.model=0:1")
    assert p.returncode == USAGE and "is a choice parameter" in p.stderr, show(p)
    p = sweep("builtin:baseline.yaml", "--dry-run",
              "--vary", "parameters.financing.model=population,per_case")
    assert p.returncode == OK, show(p)
    assert len(read_csv(p.stdout, text=True)) == 2, show(p)


def test_sweep_rerun_keeps_points_and_refuses_another_command():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "s")
        args = [data("sweep.yaml"), "--vary", "parameters.meet_rate=10,20", "-o", out,
                "--threads", "2"]
        p = sweep(*args)
        assert p.returncode == OK, show(p)
        files = [os.path.join(out, f"point-{i:04d}.h5") for i in range(2)]
        mtimes = [os.stat(f).st_mtime_ns for f in files]

        p = sweep(*args)
        assert p.returncode == OK, show(p)
        assert "0 run now, 2 kept" in p.stdout and "point-0000.h5 complete, kept" in p.stderr, \
            show(p)
        assert [os.stat(f).st_mtime_ns for f in files] == mtimes, "a complete point was redone"

        other = args[:2] + ["parameters.meet_rate=10,30"] + args[3:]
        p = sweep(*other)
        assert p.returncode == USAGE, show(p)
        assert "holds a different sweep" in p.stderr, show(p)
        assert "--vary parameters.meet_rate: was 10,20, now 10,30" in p.stderr, show(p)
        assert "--overwrite" in p.stderr, show(p)
        assert [os.stat(f).st_mtime_ns for f in files] == mtimes, "a refused sweep wrote"

        p = sweep(*other, "--overwrite")
        assert p.returncode == OK, show(p)
        rows = read_csv(os.path.join(out, "sweep.csv"))
        assert [r["parameters.meet_rate"] for r in rows] == ["10", "30"], rows
        with h5py().File(files[1], "r") as f:
            assert "meet_rate: 30" in attr(f, "scenario_yaml")


def test_sweep_refusal_names_the_option_that_changed():
    # A refused resume says which option changed and from what to what, as the person typed it,
    # not which line of sweep.yaml differs or that a digest changed.
    with tempfile.TemporaryDirectory() as tmp:
        scenario = os.path.join(tmp, "scenario.yaml")
        with open(scenario, "w", encoding="utf-8") as f:
            f.write(f"extends: {data('valid.yaml')}\nname: cli-sweep\n")
        out = os.path.join(tmp, "s")
        args = [scenario, "-o", out, "--quiet", "--vary", "parameters.meet_rate=10,20",
                "--replicates", "2", "--set", "duration=4 weeks"]
        p = sweep(*args)
        assert p.returncode == OK, show(p)
        with open(os.path.join(out, "sweep.yaml"), encoding="utf-8") as f:
            recorded = f.read()

        def refused(*changed_args, says=(), not_said=()):
            p = sweep(*changed_args)
            assert p.returncode == USAGE, f"{changed_args}\n" + show(p)
            assert f"{out} holds a different sweep: " in p.stderr, show(p)
            for needle in says:
                assert needle in p.stderr, f"{needle!r} not said\n" + show(p)
            for needle in not_said:
                assert needle not in p.stderr, f"{needle!r} said\n" + show(p)
            assert "--overwrite" in p.stderr, show(p)
            return p

        vary_at = args.index("parameters.meet_rate=10,20")
        other_values = args[:vary_at] + ["parameters.meet_rate=10,20,40"] + args[vary_at + 1:]
        refused(*other_values, says=["--vary parameters.meet_rate: was 10,20, now 10,20,40"],
                not_said=["points", "digest", "sweep.yaml has"])
        refused(*args[:-4], "--replicates", "3", "--set", "duration=4 weeks",
                says=["--replicates: was 2, now 3"],
                not_said=["replicates (from the scenario)", "digest", "has changed"])
        # Several changes at once are all named; an option given on one side only says so.
        p = refused(*args, "--vary", "parameters.noise=0.01,0.02", "--seed", "9",
                    says=["--vary parameters.noise: was not varied, now 0.01,0.02",
                          "--seed: was not given, now 9"],
                    not_said=["seed (from the scenario)"])
        refused(*args[:-2], says=["--set duration: was 4 weeks, now not given"])
        refused(scenario, "-o", out, "--quiet", "--replicates", "2", "--set", "duration=4 weeks",
                "--samples", "3", "--vary", "parameters.meet_rate=10:20",
                says=["--samples: was not given, now 3",
                      "--vary parameters.meet_rate: was 10,20, now 10:20"],
                not_said=["design:"])
        refused(data("sweep.yaml"), *args[1:], says=[f"SCENARIO: was {scenario}, now "
                                                     f"{data('sweep.yaml')}"])
        # The scenario file itself changed: no option did, so the message says that.
        with open(scenario, "a", encoding="utf-8") as f:
            f.write("parameters: {noise: 0.05}\n")
        refused(*args, says=[f"the scenario {scenario} has changed since the sweep was started"],
                not_said=["fnv1a64"])
        # Nothing was written by a refused sweep.
        with open(os.path.join(out, "sweep.yaml"), encoding="utf-8") as f:
            assert f.read() == recorded


def test_sweep_resumes_after_sigkill():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "s")
        # Points long enough that the second one is still running when the first one is done.
        args = ["sweep", data("valid.yaml"), "--set", "duration=40 years",
                "--vary", "parameters.meet_rate=10,20,30", "-o", out, "--threads", "2"]
        bg = base.Background(*args)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                line = bg.p.stderr.readline()
                if not line:
                    raise AssertionError("the sweep ended early:\n" + "".join(bg.err_lines))
                bg.err_lines.append(line)
                if "point-0000.h5 complete" in line:
                    break
            bg.p.send_signal(signal.SIGKILL)
            bg.p.wait(timeout=60)
        finally:
            bg.kill()
        # The kill lands wherever the sweep has got to: point 0 is done, and on a busy machine
        # point 1 may have finished and point 2 started too. Every row of sweep.csv must agree
        # with its file, and the resume must keep exactly the complete files.
        rows = read_csv(os.path.join(out, "sweep.csv"))
        assert rows[0]["status"] == "complete", rows
        kept, unfinished, unreadable, mtimes = [], [], [], {}
        for r in rows:
            path = os.path.join(out, r["file"])
            if r["status"] == "pending":
                assert not os.path.exists(path), (r, "a pending point has a file")
                continue
            assert r["status"] in ("complete", "running"), rows
            if not os.path.exists(path):
                assert r["status"] == "running", (r, "a complete point has no file")
                continue
            try:
                with h5py().File(path, "r") as f:
                    status = attr(f, "status")
            except OSError:  # killed while the file was being created
                assert r["status"] == "running", (r, "a complete point's file is unreadable")
                unreadable.append(r["file"])
                continue
            # A point whose file was finished just before the kill may still read "running" in
            # sweep.csv; the file decides.
            assert status in ("complete", "running"), (r, status)
            assert r["status"] == "running" or status == "complete", (r, status)
            if status == "complete":
                kept.append(r["file"])
                mtimes[path] = os.stat(path).st_mtime_ns
            else:
                unfinished.append(r["file"])
        assert "point-0000.h5" in kept

        p = run(*args, timeout=300)
        assert p.returncode == OK, show(p)
        for name in kept:
            assert f"{name} complete, kept" in p.stderr, show(p)
        for name in unfinished:
            assert f"{name} is incomplete (status running" in p.stderr and \
                   "running it again" in p.stderr, show(p)
        for name in unreadable:
            assert f"{name} " in p.stderr and "running it again" in p.stderr, show(p)
        for path, mtime in mtimes.items():
            assert os.stat(path).st_mtime_ns == mtime, f"the finished point {path} was run again"
        assert f"3 complete: {3 - len(kept)} run now, {len(kept)} kept" in p.stdout, show(p)
        rows = read_csv(os.path.join(out, "sweep.csv"))
        assert all(r["status"] == "complete" for r in rows), rows
        for r in rows:
            with h5py().File(os.path.join(out, r["file"]), "r") as f:
                assert attr(f, "status") == "complete"


def test_sweep_sigint_marks_the_point_interrupted():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "s")
        bg = base.Background("sweep", data("long.yaml"), "--vary", "parameters.meet_rate=10,20",
                             "-o", out, "--threads", "2")
        try:
            # Wait until the first point's file exists, then stop the sweep as Ctrl-C would.
            deadline = time.monotonic() + 60
            while not os.path.exists(os.path.join(out, "point-0000.h5")):
                assert time.monotonic() < deadline, "the first point never started"
                time.sleep(0.05)
            time.sleep(0.2)
            bg.p.send_signal(signal.SIGINT)
            rc, stdout, stderr = bg.finish(timeout=60)
        finally:
            bg.kill()
        assert rc == RUN_FAILED, f"exit {rc}\n{stdout}\n{stderr}"
        assert "Run the same command again to resume" in stderr, stderr
        assert "0 complete: 0 run now, 0 kept from before; 1 interrupted; 1 not started" \
            in stdout, stdout
        rows = read_csv(os.path.join(out, "sweep.csv"))
        assert [r["status"] for r in rows] == ["interrupted", "pending"], rows
        with h5py().File(os.path.join(out, "point-0000.h5"), "r") as f:
            assert attr(f, "status") == "interrupted"


def test_sweep_with_checkpoints_continues_an_interrupted_point_where_it_stood():
    """`sweep --checkpoint-every`: a point stopped by Ctrl-C continues from its checkpoints when
    the same command runs again, instead of running again from the start; the sweep's files then
    equal those of a sweep that was never interrupted."""
    args = ["sweep", "builtin:baseline.yaml", "--vary", "parameters.procurement.tender_interval=2,4",
            "--set", "duration=4 years", "--set", "spin_up=1 year", "--set", "output.flush_every=13",
            "--replicates", "2", "--threads", "2"]
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, "full")
        p = run(*args, "-o", full, "-q", timeout=300)
        assert p.returncode == OK, show(p)
        out = os.path.join(tmp, "s")
        bg = base.Background(*args, "-o", out, "--checkpoint-every", "13 weeks")
        try:
            # Stop once the first point has checkpoints past its spin-up.
            ck = os.path.join(out, "point-0000.h5.checkpoint")
            deadline = time.monotonic() + 120
            while not (os.path.isdir(ck) and len(os.listdir(ck)) >= 2):
                assert time.monotonic() < deadline, "no checkpoints appeared"
                time.sleep(0.05)
            time.sleep(0.3)
            bg.p.send_signal(signal.SIGINT)
            rc, stdout, stderr = bg.finish(timeout=120)
        finally:
            bg.kill()
        assert rc == RUN_FAILED, f"exit {rc}\n{stdout}\n{stderr}"
        p = run(*args, "-o", out, timeout=300)
        assert p.returncode == OK, show(p)
        assert "point-0000.h5 continues from its checkpoints" in p.stderr, show(p)
        for name in ("point-0000.h5", "point-0001.h5"):
            base._same_run(os.path.join(full, name), os.path.join(out, name))
            assert not os.path.exists(os.path.join(out, name + ".checkpoint")), name


def test_sweep_refuses_a_folder_another_sweep_is_writing():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "s")
        args = ["sweep", data("long.yaml"), "--vary", "parameters.meet_rate=10,20", "-o", out,
                "--threads", "1"]
        bg = base.Background(*args)
        try:
            deadline = time.monotonic() + 60
            while not os.path.exists(os.path.join(out, "point-0000.h5")):
                assert time.monotonic() < deadline, "the first point never started"
                time.sleep(0.05)
            p = run(*args)
            assert p.returncode == USAGE, show(p)
            assert f"another sweep is running in {out}" in p.stderr, show(p)
            assert bg.p.poll() is None, "the first sweep stopped"
        finally:
            bg.kill()


# ------------------------------------------------------------------------------------------------

def main():
    return base.run_tests(globals(), __doc__)


if __name__ == "__main__":
    sys.exit(main())
