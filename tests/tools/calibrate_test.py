"""Tests of `buurtlab calibrate` (docs/calibration.md, "Search").

Two kinds, plain functions and asserts like cli_test.py, whose helpers they use:
- test_unit_*: the loss, the range shrinking and the targets file, calling the Python tool's
  functions directly (tools/python/buurtlab_tools);
- test_*: the command, run through `buurtlab-testcli` on the engine's test model with the targets
  in tests/data/cli/calibration_targets.yaml. The fit it prints is recomputed here from the output
  files with h5py and numpy.

    calibrate_test.py --cli path/to/buurtlab-testcli --data tests/data/cli [-k test_name]...
"""

import csv
import math
import os
import random
import re
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "python"))
import cli_test as base  # noqa: E402 -- base.CLI and base.DATA are set by main()
from cli_test import OK, USAGE, data, h5py, run, show  # noqa: E402
from buurtlab_tools import targets as targets_mod  # noqa: E402
from buurtlab_tools.calibrate import edge_notes, shrink_range  # noqa: E402


# ------------------------------------------------------------------------------------------------
# The loss

def test_unit_loss_is_zero_inside_a_range_and_grows_outside():
    t = targets_mod.Target("x", "x", 0.4, 0.5)
    for v in (0.4, 0.45, 0.5):
        assert t.distance(v) == 0, v
    assert math.isclose(t.distance(0.35), 0.5)   # half a range's width below
    assert math.isclose(t.distance(0.6), 1.0)    # a whole width above
    assert t.distance(0.39) < t.distance(0.3) < t.distance(0.2)
    assert t.distance(float("nan")) == math.inf
    # Normalised by the width: the same relative miss costs the same in hours as in shares.
    hours = targets_mod.Target("h", "h", 11.0, 15.0)
    assert math.isclose(hours.distance(17.0), t.distance(0.55))
    # The loss is the sum of squares.
    assert targets_mod.loss([0.45, 13.0], [t, hours]) == 0
    assert math.isclose(targets_mod.loss([0.35, 17.0], [t, hours]), 0.5 ** 2 + 0.5 ** 2)
    # Ties in loss go to the point nearer the middle of its ranges.
    assert targets_mod.centre_offset([0.45, 13.0], [t, hours]) < \
        targets_mod.centre_offset([0.41, 14.5], [t, hours])


def test_unit_dutch_targets_loss_zero_inside_positive_outside():
    model, targets = targets_mod.load()
    assert model == "neighbourhood"
    assert len(targets) == 10, [t.indicator for t in targets]
    for t in targets:
        width = t.hi - t.lo
        for v in (t.lo, 0.5 * (t.lo + t.hi), t.hi):
            assert targets_mod.loss([v], [t]) == 0, (t.indicator, v)
        for v in (t.lo - 0.01 * width, t.hi + 0.01 * width):
            assert targets_mod.loss([v], [t]) > 0, (t.indicator, v)
        assert t.band and t.band[0] <= t.lo < t.hi <= t.band[1], t.indicator


# ------------------------------------------------------------------------------------------------
# Shrinking

def test_unit_edge_notes_name_values_at_an_end_of_their_range():
    keys = ["parameters.a", "parameters.b", "parameters.c"]
    ranges = [(0.02, 0.10), (0.4, 1.0), (1.0, 5.0)]
    notes = edge_notes(keys, ["0.020000562", "0.7", "4.99"], ranges)
    assert len(notes) == 2, notes
    assert notes[0].startswith("parameters.a = 0.020000562 is at the lower end of its range "
                               "0.02:0.1"), notes
    assert notes[1].startswith("parameters.c = 4.99 is at the upper end of its range 1:5"), notes
    assert edge_notes(keys, ["0.05", "0.41", "4.9"], ranges) == []


def test_unit_shrink_range_around_the_best_points():
    # Best points together in the middle: half the width (the minimum), centred on them.
    assert shrink_range((0, 10), (0, 10), [4, 5], 10, 0.5) == (2, 7)
    # A best point at the edge: the range is shifted back inside the original, not cut.
    assert shrink_range((0, 10), (0, 10), [0.2], 10, 0.5) == (0, 5)
    assert shrink_range((0, 10), (0, 10), [9.9], 10, 0.5) == (5, 10)
    # Best points far apart: the loss does not tell them apart, so the range stays.
    assert shrink_range((0, 10), (0, 10), [0.5, 9.5], 10, 0.5) == (0, 10)
    # Spread wider than the minimum: their span plus one stratum (width / samples) each side.
    lo, hi = shrink_range((0, 10), (0, 10), [3, 6], 10, 0.25)
    assert math.isclose(lo, 2) and math.isclose(hi, 7)
    # A later round shrinks the previous range, not the original one.
    lo, hi = shrink_range((0, 10), (2, 7), [4.5], 10, 0.5)
    assert math.isclose(hi - lo, 2.5) and math.isclose(0.5 * (lo + hi), 4.5)
    # Whole numbers for integer keys, at least one apart.
    assert shrink_range((1, 10), (1, 10), [3], 4, 0.5, integer=True) == (1, 6)
    assert shrink_range((2, 3), (2, 3), [3], 10, 0.5, integer=True) == (2, 3)


def test_unit_shrink_range_stays_inside_and_keeps_the_best():
    rnd = random.Random(5)
    for _ in range(2000):
        l0, h0 = sorted(rnd.uniform(-5, 5) for _ in range(2))
        lo, hi = sorted(rnd.uniform(l0, h0) for _ in range(2))
        best = [rnd.uniform(lo, hi) for _ in range(rnd.randint(1, 4))]
        factor, samples = rnd.uniform(0.1, 1), rnd.randint(2, 50)
        a, b = shrink_range((l0, h0), (lo, hi), best, samples, factor)
        eps = 1e-9 * (h0 - l0 + 1)
        assert l0 - eps <= a < b <= h0 + eps, (a, b)
        assert b - a <= hi - lo + eps, "a round never widens the range"
        assert b - a >= factor * (hi - lo) - eps, "nor shrinks it faster than the factor"
        assert all(a - eps <= x <= b + eps for x in best), "the best points stay inside"


# ------------------------------------------------------------------------------------------------
# The targets file

def test_unit_targets_file_errors_name_line_and_key():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "t.yaml")
        with open(path, "w") as f:
            f.write("targets:\n"
                    "  - indicator: a\n"
                    "    label: A\n"
                    "    range: [0.5, 0.4]\n"
                    "  - indicator: b\n"
                    "    label: B\n"
                    "    range: [1, 2]\n"
                    "    drift_band: [1.5, 3]\n"
                    "    windwo: [1, 2]\n")
        try:
            targets_mod.load(path)
        except targets_mod.TargetError as e:
            msg = str(e)
        else:
            raise AssertionError("a bad targets file was accepted")
        assert f"{path}:4:12: targets[0](a).range: got [0.5, 0.4]" in msg, msg
        assert f"{path}:8:17: targets[1](b).drift_band" in msg and "contains the range" in msg, msg
        assert f"{path}:9:5: targets[1].windwo: unknown key (did you mean 'window'?)" in msg, msg


# ------------------------------------------------------------------------------------------------
# The command

TARGETS = None  # tests/data/cli/calibration_targets.yaml, set by main()


def calibrate(out_dir, *extra):
    return run("calibrate", data("sweep.yaml"), "-o", out_dir, "--targets", TARGETS,
               "--vary", "parameters.meet_rate=1:60", "--vary", "parameters.noise=0:0.1",
               "--samples", "6", "--rounds", "2", "--keep-best", "2", "--replicates", "2",
               "--final-replicates", "3", "--threads", "1", *extra, timeout=300)


def window_means(path, indicator, y0, y1):
    """Per-replicate mean of the city's indicator over y0 < t <= y1 (years), from the file."""
    import numpy as np
    with h5py().File(path, "r") as f:
        years = f["time"][:] / 365.25
        x = f[indicator][:, :, 0]
    sel = (years > y0 + 1e-9) & (years <= y1 + 1e-9)
    return x[:, sel].mean(axis=1)


def test_calibrate_finds_the_range_and_rerun_reuses_points():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cal")
        p = calibrate(out)
        assert p.returncode == OK, show(p)
        # Every stage is a sweep folder: 2 rounds of 5 points, the best 2 again.
        for stage, n in (("round-1", 6), ("round-2", 6), ("final-1", 1), ("final-2", 1)):
            with open(os.path.join(out, stage, "sweep.csv")) as f:
                rows = list(csv.DictReader(f))
            assert len(rows) == n and all(r["status"] == "complete" for r in rows), (stage, rows)
        # Round 2 samples a range shrunk around the best points, inside the original one.
        with open(os.path.join(out, "round-2", "sweep.yaml")) as f:
            y = f.read()
        m = re.search(r'key: "parameters.meet_rate"\n    range: \[([^,]+), ([^\]]+)\]', y)
        lo, hi = float(m.group(1)), float(m.group(2))
        assert 1 <= lo < hi <= 60 and hi - lo <= 0.5 * 59 + 2 * 59 / 6 + 1e-9 and hi - lo < 59, y
        assert "design_seed:" in y, y

        # The fit of the chosen point, recomputed from its file: 3 replicates, each target's
        # window (ties: the default, the run's second half; mean_value: its own, 0.1-0.2 years).
        chosen = re.search(r"^fit\s+(final-\d+):", p.stdout, re.M).group(1)
        path = os.path.join(out, chosen, "point-0000.h5")
        import numpy as np
        with h5py().File(path, "r") as f:
            duration = f["time"][-1] / 365.25
            assert f["ticks_written"].shape[0] == 3
        ties = window_means(path, "ties", duration / 2, duration)
        value = window_means(path, "mean_value", 0.1, 0.2)
        line = next(l for l in p.stdout.splitlines() if l.strip().startswith("ties in the city"))
        assert f"{ties.mean():.3g}" in line or f"{ties.mean():.1f}" in line, (line, ties)
        ties_in = 800 <= ties.mean() <= 1600
        assert ("in range" in line) == ties_in, line
        line = next(l for l in p.stdout.splitlines() if l.strip().startswith("mean value"))
        assert f"{100 * value.mean():.1f}%" in line, (line, value)
        # The search found meet_rate values that put ties in range (a small fraction of the
        # original 1-60 does), and says so.
        assert ties_in, p.stdout
        assert "2 of 2 targets in range" in p.stdout, p.stdout

        # The chosen values, as --set options and as a parameters block, are the chosen point's.
        with open(os.path.join(out, chosen, "sweep.csv")) as f:
            row = next(csv.DictReader(f))
        rate, noise = row["parameters.meet_rate"], row["parameters.noise"]
        assert f"--set parameters.meet_rate={rate} --set parameters.noise={noise}" in p.stdout
        assert f"parameters:\n  meet_rate: {rate}\n  noise: {noise}\n" in p.stdout, p.stdout

        # calibration.csv: every point of every stage with its loss.
        with open(os.path.join(out, "calibration.csv")) as f:
            rows = list(csv.DictReader(f))
        assert len(rows) == 14 and [r["stage"] for r in rows].count("round-2") == 6, rows
        for r in rows:
            d = targets_mod.distance(float(r["ties"]), 800, 1600)
            assert math.isclose(float(r["ties_distance"]), d, rel_tol=1e-12, abs_tol=1e-15), r

        # The same command again reuses every point and reports the same fit.
        q = calibrate(out)
        assert q.returncode == OK, show(q)
        assert q.stderr.count("complete, kept") == 14, q.stderr
        assert " complete in " not in q.stderr, q.stderr
        fit = lambda s: s[s.index("\nfinal "):s.index("\nwall time")]  # noqa: E731
        assert fit(q.stdout) == fit(p.stdout), (p.stdout, q.stdout)

        # Another command on that folder is refused, and says what differs.
        r = calibrate(out, "--shrink", "0.7")
        assert r.returncode == USAGE, show(r)
        assert "holds a different search" in r.stderr and "shrink" in r.stderr, r.stderr


def test_calibrate_bad_input_is_reported():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cal")
        # An unknown parameter: the sweep's check names it and suggests the known one.
        p = run("calibrate", data("sweep.yaml"), "-o", out, "--targets", TARGETS,
                "--vary", "parameters.nose=0:0.1", "--samples", "3")
        assert p.returncode == USAGE, show(p)
        assert "parameters.nose" in p.stderr and "did you mean 'parameters.noise'" in p.stderr, p.stderr
        assert not os.path.exists(os.path.join(out, "round-1", "point-0000.h5"))
        # A range that is not one.
        p = run("calibrate", data("sweep.yaml"), "-o", out, "--targets", TARGETS,
                "--vary", "parameters.noise=0.2:0.1", "--samples", "3")
        assert p.returncode == USAGE and "expected KEY=LO:HI" in p.stderr, show(p)
        # A target that is not in the file, and one the model lacks.
        p = run("calibrate", data("sweep.yaml"), "-o", out, "--targets", TARGETS,
                "--vary", "parameters.noise=0:0.1", "--samples", "3", "--target", "tie")
        assert p.returncode == USAGE and "no target tie" in p.stderr, show(p)
        assert "ties, mean_value" in p.stderr, p.stderr
        p = run("calibrate", data("sweep.yaml"), "-o", out,
                "--vary", "parameters.noise=0:0.1", "--samples", "3")
        assert p.returncode == USAGE, show(p)
        assert "targets are for model 'neighbourhood'" in p.stderr, p.stderr
        bad = os.path.join(tmp, "bad.yaml")
        with open(TARGETS) as f, open(bad, "w") as g:
            g.write(f.read().replace("indicator: ties", "indicator: tie"))
        p = run("calibrate", data("sweep.yaml"), "-o", out, "--targets", bad,
                "--vary", "parameters.noise=0:0.1", "--samples", "3")
        assert p.returncode == USAGE, show(p)
        assert "no indicator tie;" in p.stderr and "population, mean_value, ties" in p.stderr, \
            p.stderr
        # A window after the end of the run (13 weeks).
        p = run("calibrate", data("sweep.yaml"), "-o", out, "--targets", TARGETS,
                "--vary", "parameters.noise=0:0.1", "--samples", "3", "--window", "1:2")
        assert p.returncode == USAGE and "expected a window that starts within the run" in p.stderr, show(p)
        # Nothing ran.
        assert not os.path.exists(os.path.join(out, "round-1")), os.listdir(out)


def test_calibrate_sigint_stops_and_the_same_command_resumes():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cal")
        args = ["calibrate", data("long.yaml"), "-o", out, "--targets", TARGETS,
                "--set", "duration=20 years", "--window", "mean_value=0.1:0.2",
                "--vary", "parameters.meet_rate=1:60", "--samples", "3", "--rounds", "1",
                "--keep-best", "1", "--replicates", "1", "--final-replicates", "1",
                "--threads", "1"]
        bg = subprocess.Popen([base.CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, bufsize=1)
        try:
            err = []
            for line in bg.stderr:
                err.append(line)
                if line.startswith("[1/3] point-0000.h5 complete"):
                    bg.send_signal(signal.SIGINT)
                    break
            o, e = bg.communicate(timeout=120)
        finally:
            if bg.poll() is None:
                bg.kill()
                bg.communicate()
        e = "".join(err) + e
        assert bg.returncode == 1, (bg.returncode, o, e)
        assert "run the same command again to resume" in e, e
        # The signal reaches the sweep while it runs point 1 or just before it starts it.
        status = [r["status"] for r in csv.DictReader(open(os.path.join(out, "round-1",
                                                                          "sweep.csv")))]
        assert status[0] == "complete" and status[2] == "pending", status
        assert status[1] in ("interrupted", "pending"), status
        assert not os.path.exists(os.path.join(out, "final-1")), os.listdir(out)
        q = run(*args)
        assert q.returncode == OK, show(q)
        assert "[1/3] point-0000.h5 complete, kept" in q.stderr, q.stderr
        assert q.stderr.count("complete, kept") == 1, q.stderr
        assert "[3/3] point-0002.h5 complete in" in q.stderr, q.stderr
        assert "1 of 2 targets in range" in q.stdout or "2 of 2 targets in range" in q.stdout


def test_dutch_targets_are_indicators_of_the_neighbourhood_model():
    p = run("describe", "neighbourhood", "--markdown")
    assert p.returncode == OK, show(p)
    section = p.stdout.split("## Indicators", 1)[1]
    indicators = set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.M))
    _, targets = targets_mod.load()
    missing = [t.indicator for t in targets if t.indicator not in indicators]
    assert not missing, (missing, sorted(indicators))


# ------------------------------------------------------------------------------------------------

def main():
    def prepare():
        global TARGETS
        TARGETS = os.path.join(base.DATA, "calibration_targets.yaml")
    return base.run_tests(globals(), __doc__ or "calibrate tests", prepare)


if __name__ == "__main__":
    sys.exit(main())
