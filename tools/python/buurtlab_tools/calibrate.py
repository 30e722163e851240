"""`buurtlab calibrate`: searches parameter ranges for the values that bring a scenario closest to
its calibration targets (docs/calibration.md, "Search").

The search is built on `buurtlab sweep`, which this command runs as a child process (the same
program that started it, $BUURTLAB_PROGRAM), one sweep folder per stage:

- DIR/round-1: a Latin hypercube of --samples points over the --vary ranges;
- DIR/round-K: the same over ranges shrunk around the best points so far (shrink_range);
- DIR/final-J: the J-th best point of all rounds, run again with --final-replicates.

Each point is scored from its output file: per target, the city-level value averaged over the
target's window in each replicate, then over the replicates; the loss is targets.loss. Because
every stage is a sweep folder, running the same command again reuses every finished point (the
sweep resumes), and the later rounds' ranges, which follow from the earlier points, come out the
same. DIR/calibrate.yaml records the command so that a different one is refused.
"""

import argparse
import csv
import datetime
import math
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import yaml

from . import stats
from . import targets as targets_mod
from .cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Parser, UsageError
from .results import Output, ToolError

COMMAND = "calibrate"
U64 = 2 ** 64

HELP = """\
Searches the --vary ranges for the parameter values that fit the calibration targets best:
round 1 is a Latin hypercube of N points (a `buurtlab sweep`), each later round samples ranges
shrunk around the best points so far, and the best M points are finally run again with more
replicates. Prints, for the best point, each target's value with a 95% interval and whether it
lies in the target range, and the chosen values as --set options and as a YAML parameters block.
The loss of a point is the sum over the targets of d^2, with d the distance of the value outside
the target range divided by the range's width (0 inside). Every stage is a sweep folder under
DIR: running the same command again reuses the finished points.
"""


# ------------------------------------------------------------------------------------------------
# Chosen values at the end of a range

def edge_notes(keys, values, ranges, tolerance=0.01):
    """Notes for the chosen values that lie at an end of their searched range (within `tolerance`
    of its width): the best value may then lie beyond the range, which the search cannot see."""
    notes = []
    for key, value, (lo, hi) in zip(keys, values, ranges):
        v, margin = float(value), tolerance * (hi - lo)
        if v <= lo + margin or v >= hi - margin:
            end = "lower" if v <= lo + margin else "upper"
            notes.append(f"{key} = {value} is at the {end} end of its range {lo:g}:{hi:g}; the best "
                         f"value may lie beyond it: widen the range (within the parameter's "
                         f"declared range) and search again")
    return notes


# ------------------------------------------------------------------------------------------------
# Shrinking the ranges between rounds

def shrink_range(original, previous, best_values, samples, factor, integer=False):
    """The range of the next round for one key.

    original: the --vary range (the search never leaves it); previous: this round's range;
    best_values: the key's values at the best points so far; samples: points per round.
    The new range spans the best values plus one stratum of this round (its width / samples) on
    each side, so a best point at the edge of its stratum keeps its neighbourhood; it is at least
    `factor` times and at most once the previous width, centred on that span, and shifted (not
    cut) to lie inside the original range. Integer keys get whole-number ends, at least one apart.
    """
    l0, h0 = original
    lo, hi = previous
    width = hi - lo
    a = min(best_values) - width / samples
    b = max(best_values) + width / samples
    new_width = min(max(b - a, factor * width), width)
    centre = 0.5 * (a + b)
    lo, hi = centre - new_width / 2, centre + new_width / 2
    if lo < l0:
        lo, hi = l0, l0 + new_width
    if hi > h0:
        lo, hi = h0 - new_width, h0
    lo, hi = max(lo, l0), min(hi, h0)
    if integer:
        lo, hi = math.floor(lo + 1e-9), math.ceil(hi - 1e-9)
        if hi <= lo:
            if hi < h0:
                hi = lo + 1
            else:
                lo = hi - 1
    return lo, hi


def number_text(x, integer=False):
    """A range end as `sweep` reads it: whole numbers without a point, others in full."""
    x = float(x)
    return str(int(x)) if integer or (x.is_integer() and abs(x) < 1e15) else repr(x)


# ------------------------------------------------------------------------------------------------
# The command line

def parse_args(argv):
    p = Parser(COMMAND, description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario file or builtin:NAME")
    p.add_argument("--vary", action="append", default=[], metavar="KEY=LO:HI",
                   help="a key and its range, as for `sweep --samples` (repeatable)")
    p.add_argument("--samples", type=int, required=True, metavar="N",
                   help="Latin hypercube points per round")
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="folder of the search (one sweep folder per stage)")
    p.add_argument("--replicates", type=int, metavar="N",
                   help="replicates per point in the rounds (default: the scenario's)")
    p.add_argument("--rounds", type=int, default=2, metavar="K",
                   help="rounds of sampling (default 2)")
    p.add_argument("--keep-best", type=int, default=3, metavar="M",
                   help="points the ranges shrink around, and points run again at the end "
                        "(default 3)")
    p.add_argument("--final-replicates", type=int, metavar="N",
                   help="replicates of the final runs (default: twice --replicates, at least 10)")
    p.add_argument("--shrink", type=float, default=0.5, metavar="F",
                   help="a later round's range is at least F times the previous one (default 0.5)")
    p.add_argument("--targets", metavar="FILE",
                   help="targets file (default: the Dutch targets, calibration_targets.yaml)")
    p.add_argument("--target", action="append", default=[], metavar="INDICATOR",
                   help="fit only these targets (repeatable or comma-separated; default: all)")
    p.add_argument("--window", action="append", default=[], metavar="[INDICATOR=]FROM:TO",
                   help="years since the start to average over: for every target, or for one "
                        "(repeatable; default: a target's own window, else the run's second half)")
    p.add_argument("--seed", metavar="N", help="run seed (same as --set seed=N)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value at every point (repeatable)")
    p.add_argument("--threads", type=int, metavar="N", help="worker threads per run")
    p.add_argument("--serial", action="store_true", help="the serial reference executor")
    p.add_argument("--csv", metavar="FILE", help="also write the final fit, per target, as CSV")
    p.add_argument("--overwrite", action="store_true",
                   help="start afresh in a folder that holds another search")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress lines")
    a = p.parse_args(argv)

    def positive(name, v):
        if v is not None and v < 1:
            raise UsageError(f"--{name} expects a positive integer, got {v}", COMMAND)

    for name in ("samples", "replicates", "rounds", "keep_best", "final_replicates", "threads"):
        positive(name.replace("_", "-"), getattr(a, name))
    if a.samples < 2:
        raise UsageError(f"--samples expects at least 2 points per round, got {a.samples}",
                         COMMAND)
    if not 0 < a.shrink <= 1:
        raise UsageError(f"--shrink expects a number in (0, 1], got {a.shrink:g}", COMMAND)
    if a.keep_best > a.samples:
        raise UsageError(f"--keep-best {a.keep_best} exceeds --samples {a.samples}", COMMAND)
    if a.serial and a.threads:
        raise UsageError("--serial and --threads exclude each other", COMMAND)
    if not a.vary:
        raise UsageError("calibrate needs at least one --vary KEY=LO:HI", COMMAND)
    a.ranges = []
    for spec in a.vary:
        m = re.fullmatch(r"([^=]+)=([^:]+):([^:]+)", spec)
        lo = hi = None
        if m:
            try:
                lo, hi = float(m.group(2)), float(m.group(3))
            except ValueError:
                pass
        if lo is None or not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise UsageError(f"--vary: got '{spec}', expected KEY=LO:HI with numbers LO < HI",
                             COMMAND)
        if any(k == m.group(1) for k, _, _ in a.ranges):
            raise UsageError(f"--vary {m.group(1)}: the key is varied twice", COMMAND)
        a.ranges.append((m.group(1), lo, hi))
    for s in a.set:
        if "=" not in s or s.startswith("="):
            raise UsageError(f"--set expects KEY=VALUE, got '{s}'", COMMAND)
    if a.seed is not None and not re.fullmatch(r"[0-9]{1,20}", a.seed):
        raise UsageError(f"--seed expects a non-negative integer, got '{a.seed}'", COMMAND)
    return a


def program():
    """The buurtlab program to run sweeps with: the one that started us, else `buurtlab`."""
    return os.environ.get("BUURTLAB_PROGRAM") or "buurtlab"


def fixed_options(a):
    """--set and --seed as `sweep` and `validate` take them."""
    out = []
    for s in a.set:
        out += ["--set", s]
    if a.seed is not None:
        out += ["--set", f"seed={a.seed}"]
    return out


# ------------------------------------------------------------------------------------------------
# Running the program

class Child:
    """Runs the program and waits for it. The child gets its own process group, so a Ctrl-C at
    the terminal reaches it once, through us: we pass on the first SIGINT or SIGTERM (the sweep
    then stops after the current tick and keeps what it finished) and ignore repeats, which
    arrive twice when `buurtlab` forwards the terminal's signal to us."""

    stopped = False

    @classmethod
    def run(cls, args, capture_stderr=False):
        # What we printed so far comes before what the child prints, also into a file.
        sys.stdout.flush()
        sys.stderr.flush()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE if capture_stderr else None, text=True,
                                process_group=0)

        def forward(sig, _frame):
            if not cls.stopped:
                cls.stopped = True
                proc.send_signal(sig)

        old = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            out, err = proc.communicate()
        finally:
            for s, h in old.items():
                signal.signal(s, h)
        return proc.returncode, out or "", err or ""


def preflight(a):
    """What the scenario is, from `buurtlab validate` (which also checks it and the --set values):
    (model, duration in years, replicates, seed); and the model's indicators, from `describe`."""
    rc, out, err = Child.run([program(), "validate", a.scenario] + fixed_options(a),
                             capture_stderr=True)
    if rc != 0:
        sys.stderr.write(err)
        raise ToolError("", rc) if rc == EXIT_USAGE else ToolError("validate failed", rc)
    rows = {}
    for line in out.splitlines()[1:]:
        m = re.match(r"(\w+)\s+(.*)", line.strip())
        if m:
            rows.setdefault(m.group(1), m.group(2))
    try:
        model = rows["model"].strip()
        d = re.match(r"(\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)", rows["dates"])
        days = (datetime.date.fromisoformat(d.group(2)) -
                datetime.date.fromisoformat(d.group(1))).days
        r = re.match(r"(\d+) \(seed (\d+)\)", rows["replicates"])
        replicates, seed = int(r.group(1)), int(r.group(2))
    except (KeyError, AttributeError, ValueError):
        raise ToolError(f"cannot read the summary of `buurtlab validate {a.scenario}`:\n{out}",
                        EXIT_FAILED) from None
    rc, out, err = Child.run([program(), "describe", model, "--markdown"], capture_stderr=True)
    if rc != 0:
        raise ToolError(f"`buurtlab describe {model}` failed: {err.strip()}", EXIT_FAILED)
    section = out.split("## Indicators", 1)[-1]
    indicators = re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)
    return model, days / 365.25, replicates, seed, indicators


def choose_targets(a, model, duration, indicators):
    """The targets to fit, each with its window (years since the start)."""
    try:
        file_model, targets = targets_mod.load(a.targets)
    except targets_mod.TargetError as e:
        raise ToolError(str(e)) from None
    where = a.targets or targets_mod.DEFAULT_FILE
    if file_model and file_model != model:
        raise ToolError(f"{where}: the targets are for model '{file_model}', the scenario "
                        f"runs model '{model}'; give --targets FILE for this model")
    if a.target:
        wanted = [t for s in a.target for t in s.split(",") if t]
        known = [t.indicator for t in targets]
        bad = [w for w in wanted if w not in known]
        if bad:
            raise UsageError(f"--target: no target {', '.join(bad)} in {where}; its targets: "
                             + ", ".join(known), COMMAND)
        targets = [t for t in targets if t.indicator in wanted]
    missing = [t.indicator for t in targets if t.indicator not in indicators]
    if missing:
        raise ToolError(f"{where}: model '{model}' has no indicator " + ", ".join(missing) +
                        "; its indicators: " + ", ".join(indicators))
    default, per = (duration / 2, duration), {}
    for spec in a.window:
        ind, _, rng = spec.rpartition("=")
        m = re.fullmatch(r"([0-9.eE+-]+):([0-9.eE+-]+)", rng)
        try:
            w = (float(m.group(1)), float(m.group(2))) if m else None
        except ValueError:
            w = None
        if not w or not (0 <= w[0] < w[1]):
            raise UsageError(f"--window: got '{spec}', expected [INDICATOR=]FROM:TO, years since "
                             "the start with FROM < TO", COMMAND)
        if ind and ind not in [t.indicator for t in targets]:
            raise UsageError(f"--window {spec}: '{ind}' is not one of the targets: " +
                             ", ".join(t.indicator for t in targets), COMMAND)
        if ind:
            per[ind] = w
        else:
            default = w
    # A window may end after the run (it then averages to the end: "years 3-6" of a six-year
    # run, whose last time point is day 2191, 5.999 years of 365.25 days), but it must start
    # before the run ends, or it holds no time point.
    problems = []
    for t in targets:
        if t.indicator in per:
            origin = f"--window {t.indicator}"
        elif t.window:
            origin = f"{where}: {t.indicator}.window"
        else:
            origin = "--window"
        t.window = per.get(t.indicator) or t.window or default
        if t.window[0] >= duration and not any(p.startswith(origin + ":") for p in problems):
            problems.append(f"{origin}: got {t.window[0]:g}-{t.window[1]:g} years"
                            + (f" for {t.indicator}" if origin != "--window" else "") +
                            f", expected a window that starts within the run "
                            f"(0-{duration:.4g} years)")
    if problems:
        raise ToolError("\n".join(problems))
    return targets


# ------------------------------------------------------------------------------------------------
# Scoring points

class Point:
    def __init__(self, stage, index, values, path):
        self.stage, self.index, self.values, self.path = stage, index, values, path
        self.replicate_values = []  # per target: one value per replicate
        self.means = []
        self.loss = math.inf
        self.offset = math.inf

    def key(self):
        return (self.loss, self.offset)

    def label(self):
        return f"{self.stage}/point {self.index}"


def score(point, targets, model):
    with Output(point.path) as out:
        if not out.complete:
            raise ToolError(f"{point.path}: the run is not complete ({out.status})", EXIT_FAILED)
        if out.model != model:
            raise ToolError(f"{point.path}: a run of model '{out.model}', not '{model}'")
        years = out.days / 365.25
        for t in targets:
            sel = (years > t.window[0] + 1e-9) & (years <= t.window[1] + 1e-9)
            if not sel.any():
                raise ToolError(f"window {t.window[0]:g}-{t.window[1]:g} of {t.indicator} holds "
                                f"no time point of {point.path}")
            x = out.read(t.indicator, [0])[:, sel, 0]
            with np.errstate(all="ignore"):
                counts = np.sum(~np.isnan(x), axis=1)
                per_rep = np.where(counts > 0, np.nansum(x, axis=1) / np.maximum(counts, 1),
                                   np.nan)
            point.replicate_values.append(per_rep)
            point.means.append(float(np.mean(per_rep)))
    point.loss = targets_mod.loss(point.means, targets)
    point.offset = targets_mod.centre_offset(point.means, targets)


def read_sweep(folder, stage, keys, targets, model):
    with open(os.path.join(folder, "sweep.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    points = []
    for row in rows:
        p = Point(stage, int(row["point"]), [row[k] for k in keys],
                  os.path.join(folder, row["file"]))
        score(p, targets, model)
        points.append(p)
    return points


def best(points, m):
    """The m best points, distinct in their values; ties in loss go to the point further inside
    its ranges, then to the earlier point."""
    out, seen = [], set()
    for p in sorted(points, key=Point.key):
        if tuple(p.values) not in seen:
            seen.add(tuple(p.values))
            out.append(p)
        if len(out) == m:
            break
    return out


# ------------------------------------------------------------------------------------------------
# The folder

def command_record(a, targets, replicates, final_replicates):
    return {
        "scenario": a.scenario,
        "set": list(a.set) + ([f"seed={a.seed}"] if a.seed is not None else []),
        "vary": [{"key": k, "range": [lo, hi]} for k, lo, hi in a.ranges],
        "samples": a.samples, "rounds": a.rounds, "keep_best": a.keep_best,
        "shrink": a.shrink, "replicates": replicates, "final_replicates": final_replicates,
        "targets": [{"indicator": t.indicator, "range": [t.lo, t.hi],
                     "window": [float(t.window[0]), float(t.window[1])]} for t in targets],
    }


def check_folder(a, record):
    path = os.path.join(a.output, "calibrate.yaml")
    if os.path.exists(a.output) and not os.path.isdir(a.output):
        raise ToolError(f"{a.output} exists and is not a folder; -o names the search's folder")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            had = yaml.safe_load(f) or {}
        if had != record and not a.overwrite:
            diff = next((k for k in record if had.get(k) != record[k]), None) or \
                next(iter(set(had) - set(record)), "?")
            raise ToolError(f"{a.output} holds a different search: its calibrate.yaml has "
                            f"{diff}: {had.get(diff)!r} where this command gives "
                            f"{record.get(diff)!r}; use --overwrite to replace it or -o to "
                            "choose another folder")
    elif os.path.isdir(a.output) and not a.overwrite:
        stale = [n for n in os.listdir(a.output) if re.fullmatch(r"(round|final)-\d+", n)]
        if stale:
            raise ToolError(f"{a.output} holds search folders ({', '.join(sorted(stale))}) but "
                            "no calibrate.yaml; use --overwrite to replace them or -o to choose "
                            "another folder")
    os.makedirs(a.output, exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("# buurtlab calibrate: the command whose search this folder holds. Running the "
                "same command\n# again reuses its finished points; a different one is refused "
                "unless --overwrite.\n")
        yaml.safe_dump(record, f, sort_keys=False, default_flow_style=None)
    os.replace(path + ".tmp", path)


def run_sweep(a, folder, vary, replicates, extra, say):
    args = [program(), "sweep", a.scenario, "-o", folder, "--replicates", str(replicates)]
    for v in vary:
        args += ["--vary", v]
    args += fixed_options(a) + extra
    if a.threads:
        args += ["--threads", str(a.threads)]
    if a.serial:
        args.append("--serial")
    if a.overwrite:
        args.append("--overwrite")
    if a.quiet:
        args.append("--quiet")
    say("  $ buurtlab " + " ".join(_quote(x) for x in args[1:]))
    rc, out, err = Child.run(args)
    if rc == EXIT_USAGE:
        raise ToolError("", EXIT_USAGE)  # the sweep has said what is wrong
    if rc != EXIT_OK or Child.stopped:
        raise ToolError(f"stopped in {folder}; run the same command again to resume "
                        "(finished points are kept)", EXIT_FAILED)


def _quote(s):
    return f"'{s}'" if re.search(r"[\s\"'$;&|<>()*?]", s) else s


# ------------------------------------------------------------------------------------------------
# The report

def yaml_block(keys, values):
    """The values as a scenario's `parameters:` block (nested by the dots); other keys are given
    as comments, since they live elsewhere in a scenario."""
    tree, others = {}, []
    for k, v in zip(keys, values):
        if not k.startswith("parameters."):
            others.append(f"# {k}: {v}  (not under parameters: set it with --set)")
            continue
        node = tree
        parts = k.split(".")[1:]
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = v
    lines = ["parameters:"]

    def emit(node, depth):
        for name, sub in node.items():
            if isinstance(sub, dict):
                lines.append("  " * depth + f"{name}:")
                emit(sub, depth + 1)
            else:
                lines.append("  " * depth + f"{name}: {sub}")

    emit(tree, 1)
    return "\n".join(others + lines)


def table(rows, align):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  " + "  ".join(c.ljust(w) if al == "l" else c.rjust(w)
                                      for c, w, al in zip(r, widths, align)).rstrip()
                     for r in rows)


def fit_rows(point, targets):
    rows, csv_rows = [["target", "model [95% CI]", "range", "distance", "verdict"]], []
    for t, per_rep in zip(targets, point.replicate_values):
        m, lo, hi, n = stats.mean_interval(per_rep)
        d = t.distance(m)
        verdict = "in range" if d == 0 else ("LOW" if m < t.lo else "HIGH")
        ci = f"[{t.show(lo)}, {t.show(hi)}]" if not math.isnan(lo) else "[n/a]"
        rows.append([t.label or t.indicator, f"{t.show(m)} {ci}", t.show_range(), f"{d:.3g}",
                     verdict])
        csv_rows.append({"indicator": t.indicator, "label": t.label,
                         "window_from": t.window[0], "window_to": t.window[1], "replicates": n,
                         "mean": m, "ci_low": lo, "ci_high": hi, "range_low": t.lo,
                         "range_high": t.hi, "distance": d, "in_range": int(d == 0)})
    return rows, csv_rows


def write_points_csv(path, keys, targets, points):
    with open(path + ".tmp", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["stage", "point", *keys, "replicates", "loss",
                    *[t.indicator for t in targets], *[f"{t.indicator}_distance" for t in targets],
                    "file"])
        for p in points:
            w.writerow([p.stage, p.index, *p.values, len(p.replicate_values[0]), repr(p.loss),
                        *[repr(m) for m in p.means], *[repr(t.distance(m)) for t, m in
                                                        zip(targets, p.means)],
                        os.path.relpath(p.path, os.path.dirname(path))])
    os.replace(path + ".tmp", path)


# ------------------------------------------------------------------------------------------------

def main(argv):
    a = parse_args(argv)
    t0 = time.monotonic()
    out = sys.stdout

    def say(msg):
        if not a.quiet:
            print(msg, file=sys.stderr, flush=True)

    model, duration, scen_replicates, seed, indicators = preflight(a)
    targets = choose_targets(a, model, duration, indicators)
    replicates = a.replicates or scen_replicates
    final_replicates = a.final_replicates or max(10, 2 * replicates)
    check_folder(a, command_record(a, targets, replicates, final_replicates))
    keys = [k for k, _, _ in a.ranges]
    original = [(lo, hi) for _, lo, hi in a.ranges]

    print(f"calibrate  {a.scenario} (model {model}), {len(targets)} target(s) from "
          f"{a.targets or 'the Dutch targets (tools/python/calibration_targets.yaml)'}", file=out)
    print(f"search     {a.rounds} round(s) of {a.samples} Latin hypercube points, {replicates} "
          f"replicate(s) each; the best {a.keep_best} run again with {final_replicates}", file=out)
    print("loss       sum over the targets of d^2, d = distance outside the target range / the "
          "range's width", file=out)

    # ---- the rounds ----
    ranges, integer, everything = list(original), [False] * len(keys), []
    for k in range(1, a.rounds + 1):
        folder = os.path.join(a.output, f"round-{k}")
        vary = [f"{key}={number_text(lo, i)}:{number_text(hi, i)}"
                for key, (lo, hi), i in zip(keys, ranges, integer)]
        say(f"round {k}: {a.samples} points in {folder}")
        # Each round draws its own hypercube (another design seed); every round keeps the run
        # seed, so all points share their replicate seeds and differ only by their values.
        extra = ["--samples", str(a.samples)]
        if k > 1:
            extra += ["--design-seed", str((seed + k - 1) % U64)]
        run_sweep(a, folder, vary, replicates, extra, say)
        with open(os.path.join(folder, "sweep.yaml"), encoding="utf-8") as f:
            design = yaml.safe_load(f)
        integer = [v.get("type") == "integer" for v in design["vary"]]
        points = read_sweep(folder, f"round-{k}", keys, targets, model)
        everything += points
        top = best(everything, 1)[0]
        print(f"round {k}    " + ", ".join(f"{key} {lo:.4g}:{hi:.4g}"
                                         for key, (lo, hi) in zip(keys, ranges)) +
              f"; best loss so far {top.loss:.4g} ({top.label()})", file=out)
        if k < a.rounds:
            elite = best(everything, a.keep_best)
            ranges = [shrink_range(original[d], ranges[d],
                                   [float(p.values[d]) for p in elite], a.samples, a.shrink,
                                   integer[d]) for d in range(len(keys))]

    # ---- the best points, again with more replicates ----
    candidates = best(everything, a.keep_best)
    finals = []
    for j, c in enumerate(candidates, 1):
        folder = os.path.join(a.output, f"final-{j}")
        say(f"final {j}: {c.label()} with {final_replicates} replicates in {folder}")
        run_sweep(a, folder, [f"{key}={v}" for key, v in zip(keys, c.values)], final_replicates,
                  [], say)
        p = read_sweep(folder, f"final-{j}", keys, targets, model)[0]
        p.source = c
        finals.append(p)
    write_points_csv(os.path.join(a.output, "calibration.csv"), keys, targets,
                     everything + finals)
    ranked = sorted(finals, key=Point.key)
    chosen = ranked[0]

    print(f"\nfinal      the best {len(finals)} point(s), {final_replicates} replicates each:",
          file=out)
    rows = [["rank", "loss", *keys, "from", "folder"]]
    for r, p in enumerate(ranked, 1):
        rows.append([str(r), f"{p.loss:.4g}", *p.values, p.source.label(), p.stage])
    print(table(rows, ["r", "r"] + ["r"] * len(keys) + ["l", "l"]), file=out)

    windows = sorted({t.window for t in targets})
    wtext = ", ".join(f"{w[0]:.3g}-{w[1]:.3g}" for w in windows)
    print(f"\nfit        {chosen.stage}: city level, mean over years {wtext}, "
          f"{final_replicates} replicates, 95% t interval; loss {chosen.loss:.4g}", file=out)
    rows, csv_rows = fit_rows(chosen, targets)
    print(table(rows, ["l", "r", "r", "r", "l"]), file=out)
    inside = sum(r["in_range"] for r in csv_rows)
    print(f"  {inside} of {len(targets)} targets in range", file=out)
    for note in edge_notes(keys, chosen.values, original):
        print(f"note       {note}", file=out)

    print("\nchosen values, as options:", file=out)
    print("  " + " ".join(f"--set {_quote(f'{k}={v}')}" for k, v in zip(keys, chosen.values)),
          file=out)
    print("as a scenario block:", file=out)
    print(yaml_block(keys, chosen.values), file=out)

    if a.csv:
        with open(a.csv, "w", newline="", encoding="utf-8") as f:
            w = None
            for r, p in enumerate(ranked, 1):
                for row in fit_rows(p, targets)[1]:
                    row = {"candidate": p.stage, "rank": r, "loss": p.loss,
                           **dict(zip(keys, p.values)), **row}
                    if w is None:
                        w = csv.DictWriter(f, fieldnames=list(row))
                        w.writeheader()
                    w.writerow(row)
    print(f"\nwall time  {time.monotonic() - t0:.1f} s", file=out)
    print(f"output     {a.output} (calibration.csv lists every point with its loss)", file=out)
    return EXIT_OK
