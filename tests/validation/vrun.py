"""Running buurtlab scenarios for the validation scripts and reading their indicators back.

A Runner runs `buurtlab run` into a work folder and returns a Run, which gives indicator arrays
(replicates x time points) for one place and summaries over time windows. Output files are named
after the scenario and a hash of the command line, and a complete file of that name is reused, so
that facts sharing a run do not run it twice. The scripts empty the work folder first (unless
--keep), so a rebuilt program never meets output of an older one.
"""
import hashlib
import os
import subprocess

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "scenarios")


def scenario_path(name):
    """A validation scenario under tests/validation/scenarios/, or a builtin:NAME as is."""
    if name.startswith("builtin:"):
        return name
    return os.path.join(SCENARIOS, name if name.endswith(".yaml") else name + ".yaml")


class Run:
    """The indicators of one output file."""

    def __init__(self, path):
        self.path = path
        with h5py.File(path, "r") as f:
            if f.attrs["status"] != "complete":
                raise RuntimeError(f"{path}: run not complete ({f.attrs['status']})")
            self.codes = list(f["place_code"].asstr()[:])
            self.levels = list(f["place_level"].asstr()[:])
            self.days = f["time"][:]
            self.years = self.days / 365.25
            self.replicates = int(f.attrs["replicates"])
            self._data = {k: f[k][:] for k in f.keys() if f[k].ndim == 3}

    def place(self, code=None):
        """Index of a place by code; the city (index 0) by default."""
        return 0 if code is None else self.codes.index(code)

    def series(self, name, place=None):
        """(replicates, time points) array of one indicator at one place (code or index)."""
        p = place if isinstance(place, int) else self.place(place)
        return self._data[name][:, :, p]

    def tick_at(self, year):
        """Index of the time point closest to `year` years after the start."""
        return int(np.argmin(np.abs(self.years - year)))

    def at(self, name, year, place=None):
        """Per-replicate value at a time (years since the start)."""
        return self.series(name, place)[:, self.tick_at(year)]

    def window_mean(self, name, y0, y1, place=None):
        """Per-replicate mean over the time points with y0 < t <= y1 (years since the start)."""
        sel = (self.years > y0 + 1e-9) & (self.years <= y1 + 1e-9)
        return np.nanmean(self.series(name, place)[:, sel], axis=1)

    def window_value(self, name, y0, y1, place=None):
        """window_mean, except dissolution_hazard: initiatives dissolved per initiative-year in
        the window (the wijk's or city's, from initiatives_dissolved and initiatives)."""
        if name == "dissolution_hazard":
            dissolved = self.window_sum("initiatives_dissolved", y0, y1)
            return dissolved / (self.window_mean("initiatives", y0, y1) * (y1 - y0))
        return self.window_mean(name, y0, y1, place)

    def window_sum(self, name, y0, y1, place=None):
        """Per-replicate sum over the time points with y0 < t <= y1 (for per-tick counts)."""
        sel = (self.years > y0 + 1e-9) & (self.years <= y1 + 1e-9)
        return np.nansum(self.series(name, place)[:, sel], axis=1)


class Runner:
    def __init__(self, binary, workdir, threads=2, verbose=False):
        self.binary = binary
        self.workdir = workdir
        self.threads = threads
        self.verbose = verbose
        os.makedirs(workdir, exist_ok=True)

    def run(self, scenario, replicates, years, sets=None, seed=None):
        """Runs `scenario` (a validation scenario name or builtin:NAME) and returns its Run.

        sets: {key: value} overrides as for `buurtlab run --set`.
        """
        sets = dict(sets or {})
        sets["duration"] = f"{years} years"
        args = [scenario_path(scenario), "--replicates", str(replicates)]
        if seed is not None:
            args += ["--seed", str(seed)]
        for k in sorted(sets):
            args += ["--set", f"{k}={sets[k]}"]
        tag = hashlib.sha1("\0".join(args).encode()).hexdigest()[:10]
        base = os.path.basename(scenario).replace("builtin:", "").replace(".yaml", "")
        out = os.path.join(self.workdir, f"{base}-{tag}.h5")
        if os.path.exists(out):
            try:
                return Run(out)
            except Exception:
                os.remove(out)
        cmd = [self.binary, "run"] + args + ["-o", out, "--quiet", "--threads", str(self.threads)]
        if self.verbose:
            print("  $", " ".join(_quote(a) for a in cmd[1:]), flush=True)
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"buurtlab failed ({proc.returncode}): {' '.join(cmd)}\n"
                               f"{proc.stderr}")
        return Run(out)

    @staticmethod
    def command(scenario, replicates, years, sets=None):
        """The command line (for documentation) that run() uses."""
        sets = dict(sets or {})
        sets["duration"] = f"{years} years"
        path = scenario_path(scenario).replace(HERE + os.sep, "tests/validation/")
        parts = ["buurtlab run", _quote(path), f"--replicates {replicates}"]
        parts += [f"--set {_quote(f'{k}={v}')}" for k, v in sorted(sets.items())]
        return " ".join(parts)


def _quote(s):
    return f"'{s}'" if any(c in s for c in " \"") else s
