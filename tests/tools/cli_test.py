"""Integration tests of the buurtlab command line.

Runs the CLI (built with the engine's test model, `buurtlab-testcli`) as a subprocess on the
scenarios in tests/data/cli and checks exit codes, messages and output files. Plain functions and
asserts, no pytest:

    cli_test.py --cli path/to/buurtlab-testcli --data tests/data/cli [-k test_name]...

Prints one line per test and 'N passed, N failed'; exits non-zero if any test failed.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback

CLI = None   # path of buurtlab-testcli, set by main()
DATA = None  # tests/data/cli, set by main()

# Exit codes of the CLI (tools/buurtlab/cli.hpp).
OK, RUN_FAILED, USAGE = 0, 1, 2


# ------------------------------------------------------------------------------------------------
# Helpers

def run(*args, timeout=120):
    """Runs the CLI to completion; returns the CompletedProcess (text stdout and stderr)."""
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def data(name):
    return os.path.join(DATA, name)


def line_of(path, marker):
    """1-based number of the first line of `path` containing `marker`."""
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if marker in line:
                return i
    raise AssertionError(f"{marker!r} not in {path}")


def show(p):
    return f"exit {p.returncode}\n--- stdout\n{p.stdout}\n--- stderr\n{p.stderr}"


def h5py():
    import h5py as module  # imported lazily so that tests without HDF5 files run without it
    return module


def attr(f, name):
    """A root attribute as a plain Python value (strings decoded)."""
    v = f.attrs[name]
    if isinstance(v, bytes):
        return v.decode()
    if hasattr(v, "shape") and v.shape == ():
        v = v[()]
    if hasattr(v, "item"):
        v = v.item()
    return v.decode() if isinstance(v, bytes) else v


def datasets(f):
    """Every dataset in the file, by path."""
    out = {}
    f.visititems(lambda name, obj: out.__setitem__(name, obj) if hasattr(obj, "dtype") else None)
    return out


def ticks_held(f, replicate=0):
    """Number of time points of a replicate the file holds (docs/output.md: `ticks_written`), after
    checking that they really hold data and that the points after them are still empty."""
    import numpy as np
    n = int(f["ticks_written"][replicate])
    city = f["population"][replicate, :, 0]  # the test model's population indicator, city level
    assert not np.isnan(city[:n]).any(), \
        f"replicate {replicate}: a time point counted as written holds no data"
    assert np.isnan(city[n:]).all(), \
        f"replicate {replicate}: time points after ticks_written hold data"
    return n


def holdings(message):
    """Time points per replicate (from 1) that an interruption message says the file holds:
    'replicates 1-2, 4 complete; ticks 0-57 of replicate 3; ...; replicate 5 not started (of 5
    replicates of 104 ticks)'."""
    m = re.search(r"holds (.*) \(of (\d+) replicates? of (\d+) ticks?\)", message)
    assert m, message
    parts, reps, ticks = m.group(1).split("; "), int(m.group(2)), int(m.group(3))

    def numbers(text):
        out = []
        for item in text.split(", "):
            a, _, b = item.partition("-")
            out += range(int(a), int(b or a) + 1)
        return out

    held = {}
    for part in parts:
        if (c := re.fullmatch(r"replicates? ([\d, -]+) complete", part)):
            held.update({r: ticks + 1 for r in numbers(c.group(1))})
        elif (c := re.fullmatch(r"ticks 0-(\d+) of replicate (\d+)", part)):
            held[int(c.group(2))] = int(c.group(1)) + 1
        elif (c := re.fullmatch(r"replicates? ([\d, -]+) not started", part)):
            held.update({r: 0 for r in numbers(c.group(1))})
        else:
            raise AssertionError(f"unexpected part {part!r} in {message!r}")
    assert sorted(held) == list(range(1, reps + 1)), message
    return held


class Background:
    """A CLI run in the background whose stderr lines are collected as they arrive."""

    def __init__(self, *args):
        self.p = subprocess.Popen([CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, bufsize=1)
        self.err_lines = []

    def wait_for_progress(self, min_tick, timeout=120):
        """Reads stderr until a progress line reports a tick >= min_tick; returns that tick."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.p.stderr.readline()
            if not line:
                raise AssertionError("the run ended before reporting progress:\n" +
                                     "".join(self.err_lines) + self.p.stdout.read())
            self.err_lines.append(line)
            m = re.search(r"tick (\d+)/(\d+)", line)
            if m and int(m.group(1)) >= min_tick:
                return int(m.group(1))
        raise AssertionError("no progress line in time:\n" + "".join(self.err_lines))

    def finish(self, timeout=120):
        out, err = self.p.communicate(timeout=timeout)
        return self.p.returncode, out, "".join(self.err_lines) + err

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.communicate()


# ------------------------------------------------------------------------------------------------
# Usage

def test_help_exits_0():
    for args in (["--help"], ["-h"], ["help"]):
        p = run(*args)
        assert p.returncode == OK, show(p)
        assert "usage: buurtlab" in p.stdout, show(p)
        for cmd in ("run", "validate", "describe", "scenarios"):
            assert cmd in p.stdout, show(p)


def test_subcommand_help_exits_0():
    for cmd in ("run", "validate", "describe", "scenarios"):
        for args in ([cmd, "--help"], [cmd, "-h"], ["help", cmd]):
            p = run(*args)
            assert p.returncode == OK, show(p)
            assert f"usage: buurtlab {cmd}" in p.stdout, show(p)
    p = run("run", "--help")
    for opt in ("--output", "--seed", "--threads", "--replicates", "--set", "--overwrite",
                "--serial", "--progress-every", "--quiet"):
        assert opt in p.stdout, f"run --help does not mention {opt}\n" + show(p)


def test_version():
    p = run("--version")
    assert p.returncode == OK, show(p)
    assert re.match(r"buurtlab \d+\.\d+\.\d+ \(git \S+\)", p.stdout), show(p)


def test_no_arguments_is_usage_error():
    p = run()
    assert p.returncode == USAGE, show(p)
    assert "usage: buurtlab" in p.stderr, show(p)


def test_unknown_subcommand_exits_2():
    p = run("frobnicate")
    assert p.returncode == USAGE, show(p)
    assert p.stderr.startswith("buurtlab: error: "), show(p)
    assert "frobnicate" in p.stderr, show(p)


def test_unknown_option_exits_2():
    cases = [(["--frobnicate"], "--frobnicate"), (["run", "--frobnicate"], "--frobnicate"),
             (["validate", data("valid.yaml"), "--colour"], "--colour"),
             (["describe", "--colour"], "--colour"), (["scenarios", "extra"], "extra")]
    for args, needle in cases:
        p = run(*args)
        assert p.returncode == USAGE, f"{args}\n" + show(p)
        assert p.stderr.startswith("buurtlab: error: "), show(p)
        assert needle in p.stderr, f"{args}: {needle} not named\n" + show(p)


def test_bad_option_values_exit_2_and_write_nothing():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.h5")
        cases = [
            ["--threads", "0"],
            ["--threads", "many"],
            ["--threads", "2", "--serial"],
            ["--seed", "-1"],
            ["--seed", "seven"],
            ["--replicates", "0"],
            ["--progress-every", "0"],
            ["--progress-every", "-1"],
            ["--set", "parameters.meet_rate"],
            ["--set", "=3"],
        ]
        for extra in cases:
            p = run("run", data("valid.yaml"), "-o", out, *extra)
            assert p.returncode == USAGE, f"{extra}\n" + show(p)
            assert "buurtlab: error: " in p.stderr, show(p)
            assert not os.path.exists(out), f"{extra} created the output file"
        p = run("run", data("valid.yaml"), data("valid.yaml"), "-o", out)
        assert p.returncode == USAGE, show(p)


# ------------------------------------------------------------------------------------------------
# Bad scenarios: exit 2, a message that names the file and line, and no output file

def check_bad_scenario(name, marker_file, marker, also=()):
    """Runs and validates `name`; the error must point at the line of `marker_file` containing
    `marker` (or just name the file when marker is None)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.h5")
        for args in (["run", data(name), "-o", out], ["validate", data(name)]):
            p = run(*args)
            assert p.returncode == USAGE, f"{args}\n" + show(p)
            assert "buurtlab: error: " in p.stderr, show(p)
            if marker is None:
                assert marker_file in p.stderr, f"{marker_file} not named\n" + show(p)
            else:
                where = f"{marker_file}:{line_of(data(marker_file), marker)}:"
                assert where in p.stderr, f"expected '{where}' in the message\n" + show(p)
            for text in also:
                assert text in p.stderr, f"expected {text!r}\n" + show(p)
            assert re.search(r"^\d+ error\(s\)$", p.stderr, re.M) or "error" in p.stderr, show(p)
            assert not os.path.exists(out), f"{args} created the output file"
            assert os.listdir(tmp) == [], f"{args} wrote {os.listdir(tmp)}"


def test_unknown_key():
    check_bad_scenario("unknown_key.yaml", "unknown_key.yaml", "meet_rat:", also=["meet_rat"])


def test_wrong_type():
    check_bad_scenario("wrong_type.yaml", "wrong_type.yaml", "meet_rate:", also=["often"])


def test_out_of_range():
    check_bad_scenario("out_of_range.yaml", "out_of_range.yaml", "meet_rate:", also=["1000"])


def test_malformed_yaml():
    check_bad_scenario("malformed.yaml", "malformed.yaml", "meet_rate:")


def test_missing_file():
    check_bad_scenario("no_such_scenario.yaml", "no_such_scenario.yaml", None)


def test_missing_base():
    check_bad_scenario("missing_base.yaml", "missing_base.yaml", "extends:",
                       also=["no_such_base.yaml"])


def test_cyclic_extends():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.h5")
        p = run("run", data("cycle_a.yaml"), "-o", out)
        assert p.returncode == USAGE, show(p)
        # The cycle is reported at an `extends:` line of one of the two files.
        lines = [f"cycle_a.yaml:{line_of(data('cycle_a.yaml'), 'extends:')}:",
                 f"cycle_b.yaml:{line_of(data('cycle_b.yaml'), 'extends:')}:"]
        assert any(l in p.stderr for l in lines), show(p)
        assert not os.path.exists(out)


def test_all_errors_reported_at_once():
    p = run("validate", data("two_errors.yaml"))
    assert p.returncode == USAGE, show(p)
    assert f"two_errors.yaml:{line_of(data('two_errors.yaml'), 'noise:')}:" in p.stderr, show(p)
    assert f"two_errors.yaml:{line_of(data('two_errors.yaml'), 'tie_gain:')}:" in p.stderr, show(p)
    assert re.search(r"^2 error\(s\)$", p.stderr, re.M), show(p)


def test_bad_override_exits_2():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.h5")
        for args in (["--set", "parameters.meet_rate=1000"], ["--set", "parameters.no_such=1"]):
            p = run("run", data("valid.yaml"), "-o", out, *args)
            assert p.returncode == USAGE, f"{args}\n" + show(p)
            assert "meet_rate" in p.stderr or "no_such" in p.stderr, show(p)
            assert not os.path.exists(out)


# ------------------------------------------------------------------------------------------------
# Hostile input: the limits of docs/scenarios.md ("Limits") and the memory estimate. Each is
# refused by run, validate and sweep with exit 2 and a message naming where and what, in well under
# a second, and nothing is written.

def check_refused(text, *needles, extra=(), name="hostile.yaml", max_seconds=5.0):
    """Writes `text` as a scenario and runs, validates and sweeps it: each must exit 2 with every
    needle in the message (the scenario's path replaces {file}), quickly, and write nothing."""
    with tempfile.TemporaryDirectory() as src, tempfile.TemporaryDirectory() as tmp:
        scenario = os.path.join(src, name)
        with open(scenario, "w", encoding="utf-8") as f:
            f.write(text)
        out = os.path.join(tmp, "out.h5")
        for args in (["run", scenario, "-o", out, *extra], ["validate", scenario, *extra],
                     ["sweep", scenario, "-o", os.path.join(tmp, "sweep"), "--vary",
                      "seed=1,2", *extra]):
            t0 = time.monotonic()
            p = run(*args)
            seconds = time.monotonic() - t0
            assert p.returncode == USAGE, f"{args}\n" + show(p)
            for needle in needles:
                needle = needle.replace("{file}", scenario)
                assert needle in p.stderr, f"{args}: {needle!r} not in the message\n" + show(p)
            assert "Traceback" not in p.stderr and "terminate" not in p.stderr, show(p)
            assert seconds < max_seconds, f"{args} took {seconds:.1f} s"
            assert os.listdir(tmp) == [], f"{args} wrote {os.listdir(tmp)}"


def valid_based(*lines):
    """A scenario that extends valid.yaml with `lines` (YAML text)."""
    return f"extends: {data('valid.yaml')}\n" + "".join(l + "\n" for l in lines)


def test_limits_refuse_an_alias_bomb_at_once():
    # Nine levels of ten aliases: a billion values once expanded, in 500 bytes.
    lines = ["description: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]", "parameters:"]
    for level in range(1, 9):
        lines.append(f"  k{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    text = valid_based(*lines)
    assert len(text) < 1000
    check_refused(text, "{file}:2:", "got more than 200000 values, expected at most 200000 "
                  "values", "counting a value reached through an alias each time", "1 error(s)",
                  max_seconds=2.0)


def test_limits_refuse_a_cyclic_alias():
    check_refused(valid_based("parameters: &p {meet_rate: *p}"),
                  "{file}:2:13: parameters.meet_rate: got an alias inside the value it names, "
                  "expected a value that does not contain itself")


def test_limits_refuse_deep_nesting_long_text_and_large_files():
    deep = "[" * 40 + "]" * 40
    check_refused(valid_based(f"description: {deep}"),
                  "got maps and lists nested 33 deep, expected at most 32 levels of nesting")
    check_refused(valid_based("description: " + "x" * 10_001),
                  "{file}:2:14: description: got a text of 10001 characters, expected at most "
                  "10000 characters")
    check_refused(valid_based("#" + "-" * (1 << 20)),
                  "{file}: got a file of 1048", "expected a scenario file of at most 1048576 "
                  "bytes (1 MiB)")


def test_limits_refuse_too_many_places_residents_replicates_and_years():
    check_refused(valid_based("places:", "  wijken:",
                              "    - {code: W9, buurten: {count: 100000, population: 5}}"),
                  "{file}:4:35: places.wijken.0.buurten.count: got 100000, expected at most "
                  "100000 places in a scenario, city, wijken and buurten together (2 before "
                  "this)")
    check_refused(valid_based("places:", "  wijken:",
                              "    - {code: W9, buurten: {count: 2, population: 200000000}}"),
                  "{file}:4:50: places.wijken.0.buurten.population: got 200000000, expected at "
                  "most 100000000 residents in the whole city (0 before this)")
    check_refused(valid_based("replicates: 100001"),
                  "{file}:2:13: replicates: got 100001, expected an integer in [1, 100000]")
    check_refused(valid_based("tick: 1 year", "duration: 1001 years", "spin_up: 1001 years"),
                  "{file}:3:11: duration: got 1001 years, expected a period of at most 1000 years",
                  "{file}:4:10: spin_up: got 1001 years, expected a period of at most 1000 years, "
                  "or 0 for none")
    # From the command line too: the same limits, reported at <command line>.
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.h5")
        p = run("run", data("valid.yaml"), "-o", out, "--replicates", "100001")
        assert p.returncode == USAGE, show(p)
        assert "<command line>: replicates: got 100001, expected an integer in [1, 100000]" \
            in p.stderr, show(p)
        assert not os.path.exists(out)


def test_limits_refuse_a_long_extends_chain():
    with tempfile.TemporaryDirectory() as src, tempfile.TemporaryDirectory() as tmp:
        # f1 -> f2 -> ... -> f16 -> valid.yaml: 17 files, one more than the limit.
        for i in range(1, 17):
            base = f"f{i + 1}.yaml" if i < 16 else data("valid.yaml")
            with open(os.path.join(src, f"f{i}.yaml"), "w", encoding="utf-8") as f:
                f.write(f"extends: {base}\n")
        out = os.path.join(tmp, "out.h5")
        p = run("run", os.path.join(src, "f1.yaml"), "-o", out)
        assert p.returncode == USAGE, show(p)
        assert f"{os.path.join(src, 'f16.yaml')}:1:10: extends: got {data('valid.yaml')}, " \
               "expected a chain of at most 16 files (this base would be file 17" in p.stderr, \
            show(p)
        assert os.listdir(tmp) == []
        # Sixteen files are fine.
        p = run("validate", os.path.join(src, "f2.yaml"))
        assert p.returncode == OK, show(p)


def test_memory_estimate_shown_and_too_large_refused():
    p = run("validate", data("valid.yaml"))
    assert p.returncode == OK, show(p)
    m = re.search(r"^  memory +estimated ([0-9.]+ [KMG]iB) \((\d+) replicates? at a time.*"
                  r"with \d+ threads?; ([0-9.]+ [KMGT]iB) available$", p.stdout, re.M)
    assert m, show(p)
    # 100,000 replicates of 100,000 places keep 2 frames each of every indicator at every place:
    # hundreds of GiB, more than any machine these tests run on.
    huge = valid_based("replicates: 100000", "places:", "  wijken:",
                       "    - {code: W9, buurten: {count: 99998, population: 99998}}")
    check_refused(huge, "{file}: got an estimated ", " of memory, expected", "for the results of 100000 "
                  "replicates)", "expected at most the ", " this machine has available",
                  "add --ignore-memory-limit to run anyway")
    with tempfile.TemporaryDirectory() as src:
        scenario = os.path.join(src, "huge.yaml")
        with open(scenario, "w", encoding="utf-8") as f:
            f.write(huge)
        # The override: validate accepts it and shows the estimate; a dry-run sweep checks it.
        p = run("validate", scenario, "--ignore-memory-limit")
        assert p.returncode == OK, show(p)
        assert re.search(r"memory +estimated [0-9.]+ (GiB|TiB)", p.stdout), show(p)
        p = run("sweep", scenario, "--vary", "seed=1,2", "--dry-run", "--ignore-memory-limit")
        assert p.returncode == OK, show(p)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.h5")
        p = run("run", data("valid.yaml"), "-o", out, "--quiet", "--ignore-memory-limit")
        assert p.returncode == OK and os.path.exists(out), show(p)


# ------------------------------------------------------------------------------------------------
# validate, describe, scenarios

def test_validate_summarises():
    p = run("validate", data("valid.yaml"))
    assert p.returncode == OK, show(p)
    for text in ("testmodel", "2026-01-01", "2027-12-30", "104 ticks", "2 wijken", "4 buurten",
                 "600 residents", "events"):
        assert text in p.stdout, f"{text!r} missing\n" + show(p)
    p = run("validate", data("valid.yaml"), "--set", "parameters.meet_rate=12")
    assert p.returncode == OK, show(p)
    assert "meet_rate" in p.stdout, show(p)


def test_validate_shows_the_spin_up():
    p = run("validate", data("valid.yaml"), "--set", "spin_up=1 year")
    assert p.returncode == OK, show(p)
    assert re.search(r"spin-up +1 year \(53 ticks\) from 2024-12-26, not written", p.stdout), \
        show(p)
    p = run("validate", data("valid.yaml"))
    assert "spin-up" not in p.stdout, show(p)
    p = run("validate", data("valid.yaml"), "--set", "spin_up=long")
    assert p.returncode == USAGE, show(p)
    assert "<command line>: spin_up: got long, expected a period such as '5 years' or " \
           "'26 weeks', or 0 for none" in p.stderr, show(p)


def test_validate_needs_a_scenario():
    p = run("validate")
    assert p.returncode == USAGE, show(p)


def test_describe_lists_models():
    p = run("describe")
    assert p.returncode == OK, show(p)
    assert "testmodel" in p.stdout, show(p)


def test_describe_testmodel():
    p = run("describe", "testmodel")
    assert p.returncode == OK, show(p)
    params = {"meet_rate": "per year", "tie_gain": None, "tie_decay": "per year",
              "influence": "per year", "noise": None, "leave_rate": "per year"}
    for name, unit in params.items():
        line = next((l for l in p.stdout.splitlines() if l.strip().startswith(name + " ")), None)
        assert line is not None, f"parameter {name} missing\n" + show(p)
        if unit:
            assert unit in line, f"{name} without its unit {unit!r}: {line}"
    for text in ("[0, 365]", "default 26", "source: assumption", "initial_value", "shock(size)",
                 "population", "mean_value", "leavers"):
        assert text in p.stdout, f"{text!r} missing\n" + show(p)


def test_describe_markdown():
    p = run("describe", "testmodel", "--markdown")
    assert p.returncode == OK, show(p)
    assert "| `meet_rate` | number | per year | 26 | [0, 365] |" in p.stdout, show(p)
    assert "## Indicators" in p.stdout and "| `mean_value` |" in p.stdout, show(p)


def test_describe_unknown_model_exits_2():
    p = run("describe", "no_such_model")
    assert p.returncode == USAGE, show(p)
    assert "no_such_model" in p.stderr and "testmodel" in p.stderr, show(p)


def test_scenarios_lists_builtins():
    p = run("scenarios")
    assert p.returncode == OK, show(p)
    assert "builtin:default.yaml" in p.stdout, show(p)
    # Every built-in that names a model is a complete scenario that validates.
    for line in p.stdout.splitlines()[1:]:
        cells = line.split()
        if len(cells) >= 2 and cells[0].startswith("builtin:") and cells[1] != "(base":
            v = run("validate", cells[0])
            assert v.returncode == OK, show(v)


# ------------------------------------------------------------------------------------------------
# Runs

def test_valid_run_writes_file_and_summary():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "sub", "run.h5")  # the directory is created on demand
        p = run("run", data("valid.yaml"), "-o", out, "--threads", "2")
        assert p.returncode == OK, show(p)
        assert os.path.exists(out), show(p)
        for text in ("mean_value", "population", "wall time", "ticks/s", "2 threads", out,
                     "time per phase", "meet", "measure"):
            assert text in p.stdout, f"{text!r} missing from the summary\n" + show(p)
        # The city population stays at 600: start and end are both shown.
        row = next(l for l in p.stdout.splitlines() if l.strip().startswith("population"))
        assert row.split()[-3:] == ["600.0", "600.0", "0"], row
        with h5py().File(out, "r") as f:
            assert attr(f, "complete") == 1


def test_serial_run_and_replicates():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.h5")
        p = run("run", data("valid.yaml"), "-o", out, "--serial", "--replicates", "2", "--quiet")
        assert p.returncode == OK, show(p)
        assert "serial" in p.stdout and "mean over 2 replicates" in p.stdout, show(p)
        assert "progress" not in p.stderr, "--quiet still printed progress\n" + show(p)


def test_progress_lines_every_n_ticks():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.h5")
        p = run("run", data("valid.yaml"), "-o", out, "--progress-every", "26")
        assert p.returncode == OK, show(p)
        lines = [l for l in p.stderr.splitlines() if l.startswith("progress:")]
        ticks = [int(re.search(r"tick (\d+)/104", l).group(1)) for l in lines]
        assert ticks == [26, 52, 78, 104], show(p)  # valid.yaml has 104 weekly ticks
        assert "\r" not in p.stderr, "a progress bar was drawn into a pipe"


def test_spin_up_that_has_not_settled_warns():
    """Half a year of spin-up is far too short for the test model's ties (they take years to build
    up): the run warns, says so in the summary and the file, and still writes the scenario's ticks
    only."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.h5")
        p = run("run", data("valid.yaml"), "-o", out, "--set", "spin_up=26 weeks",
                "--progress-every", "13")
        assert p.returncode == OK, show(p)
        warnings = [l for l in p.stderr.splitlines() if "warning" in l]
        assert len(warnings) == 1, show(p)
        assert re.fullmatch(r"buurtlab: warning: the spin-up has not settled: ties averaged "
                            r"[\d.]+ in the second-last 13 ticks of the spin-up and [\d.]+ in the "
                            r"last 13 ticks \(\+[\d.]+%; tolerance 5%\); consider a spin_up longer "
                            r"than 26 weeks", warnings[0]), warnings[0]
        spin = [l for l in p.stderr.splitlines() if "spin-up tick" in l]
        assert [re.search(r"spin-up tick (\d+)/26 \((\S+)\)", l).groups() for l in spin] == \
            [("13", "2025-10-02"), ("26", "2026-01-01")], show(p)
        assert re.search(r"spin-up    26 weeks \(26 ticks\) before the start, not written; settle "
                         r"check: drifting \(last two windows of 13 ticks, tolerance 5%\): "
                         r"ties \+[\d.]+%; consider a longer spin_up", p.stdout), show(p)
        with h5py().File(out, "r") as f:
            assert attr(f, "spin_up") == "26 weeks"
            assert attr(f, "spin_up_ticks") == 26
            assert attr(f, "spin_up_check") == "drifting"
            assert attr(f, "spin_up_drifting") == "ties"
            assert f["ties"].attrs["spin_up_settled"] == 0
            assert f["ties"].attrs["spin_up_change"] > 0.05
            assert f["population"].attrs["spin_up_settled"] == 1
            assert "spin_up: 26 weeks" in attr(f, "scenario_yaml")
            assert f["time"].shape == (105,), "the spin-up is not written"
            assert ticks_held(f) == 105
            assert f["ties"][0, 0, 0] > 1000, "the written run starts after the spin-up"


def test_spin_up_that_has_settled_is_quiet():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.h5")
        p = run("run", data("valid.yaml"), "-o", out, "--set", "spin_up=4 years",
                "--replicates", "3", "--quiet")
        assert p.returncode == OK, show(p)
        assert "warning" not in p.stderr, show(p)
        assert "spin-up    4 years (209 ticks) before the start, not written; settle check: " \
               "settled (last two years, 3 replicates, tolerance 5%)" in p.stdout, show(p)
        with h5py().File(out, "r") as f:
            assert attr(f, "spin_up_check") == "settled"
            assert attr(f, "spin_up_checked") == 3
            assert f["ties"].attrs["spin_up_settled"] == 1
            assert len(f["ties"].attrs["spin_up_last"]) == 3


def test_threads_and_seed():
    """--threads does not change the results; --seed does."""
    import numpy as np
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for key, args in {"t1": ["--threads", "1"], "t3": ["--threads", "3"],
                          "serial": ["--serial"], "seed": ["--threads", "2", "--seed", "8"]}.items():
            files[key] = os.path.join(tmp, key + ".h5")
            p = run("run", data("valid.yaml"), "-o", files[key], "--quiet", *args)
            assert p.returncode == OK, show(p)

        def values(path):
            with h5py().File(path, "r") as f:
                return {k: ds[()] for k, ds in datasets(f).items()
                        if np.issubdtype(ds.dtype, np.floating) and ds.ndim >= 2}

        base = values(files["t1"])
        assert base, "no floating-point datasets in the output"
        for key in ("t3", "serial"):
            other = values(files[key])
            for k, v in base.items():
                assert np.array_equal(v, other[k], equal_nan=True), f"{k} differs in {key}"
        seeded = values(files["seed"])
        assert any(not np.array_equal(v, seeded[k], equal_nan=True) for k, v in base.items()), \
            "--seed 8 gave the same results as seed 7"


def test_replicates_in_parallel_match_sequential():
    """--replicates 4 gives the same file content sequentially and with replicates in flight, for
    any thread count; only the attributes that record how the run was made may differ."""
    import numpy as np
    with tempfile.TemporaryDirectory() as tmp:
        runs = {"serial": ["--serial"], "t1": ["--threads", "1"], "t2": ["--threads", "2"],
                "t3": ["--threads", "3"], "t2-one-at-a-time": ["--threads", "2",
                                                              "--parallel-replicates", "1"],
                "t1-four-at-a-time": ["--threads", "1", "--parallel-replicates", "4"]}
        files, summaries = {}, {}
        for key, args in runs.items():
            files[key] = os.path.join(tmp, key + ".h5")
            p = run("run", data("valid.yaml"), "-o", files[key], "--quiet", "--replicates", "4",
                    *args)
            assert p.returncode == OK, show(p)
            summaries[key] = p.stdout
        assert "2 replicates at a time" in summaries["t2"], summaries["t2"]
        assert "at a time" not in summaries["serial"], summaries["serial"]
        assert "at a time" not in summaries["t2-one-at-a-time"], summaries["t2-one-at-a-time"]

        def content(path):
            with h5py().File(path, "r") as f:
                values = {k: ds[()] for k, ds in datasets(f).items()}
                attrs = {k: attr(f, k) for k in f.attrs if k not in ("created", "threads")}
                return values, attrs

        base_values, base_attrs = content(files["serial"])
        assert base_values["population"].shape[0] == 4
        assert list(base_values["ticks_written"]) == [105] * 4
        # The replicates differ, so a mix-up between them would show.
        mean = base_values["mean_value"]
        assert not np.array_equal(mean[0], mean[1], equal_nan=True)
        for key in runs:
            values, attrs = content(files[key])
            assert attrs == base_attrs, f"{key}: {attrs} != {base_attrs}"
            assert values.keys() == base_values.keys(), key
            for k, v in base_values.items():
                assert np.array_equal(v, values[k], equal_nan=v.dtype.kind == "f"), \
                    f"{k} differs in {key}"
            # The summary's table is a mean over the same replicates.
            table = lambda s: s[s.index("indicator (city)"):s.index("wall time")]
            assert table(summaries[key]) == table(summaries["serial"]), key


def test_unwritable_output_exits_1():
    with tempfile.TemporaryDirectory() as tmp:
        blocker = os.path.join(tmp, "file")
        with open(blocker, "w") as f:
            f.write("a file where a folder is needed\n")
        p = run("run", data("valid.yaml"), "-o", os.path.join(blocker, "run.h5"), "--quiet")
        assert p.returncode == RUN_FAILED, show(p)
        assert p.stderr.startswith("buurtlab: error: ") and blocker in p.stderr, show(p)


def test_existing_output_kept_without_overwrite():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.h5")
        original = b"not an HDF5 file, and it must survive\n"
        with open(out, "wb") as f:
            f.write(original)
        p = run("run", data("valid.yaml"), "-o", out)
        assert p.returncode == USAGE, show(p)
        assert "--overwrite" in p.stderr, show(p)
        with open(out, "rb") as f:
            assert f.read() == original, "the existing file was changed"

        p = run("run", data("valid.yaml"), "-o", out, "--overwrite")
        assert p.returncode == OK, show(p)
        assert f"overwriting {out}" in p.stderr + p.stdout, show(p)
        with open(out, "rb") as f:
            assert f.read(8) == b"\x89HDF\r\n\x1a\n", "not replaced by an HDF5 file"


def test_killed_run_leaves_readable_incomplete_file():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "killed.h5")
        bg = Background("run", data("long.yaml"), "-o", out, "--threads", "2",
                        "--progress-every", "52")
        try:
            # The run flushes every 52 ticks before it reports progress, and the writer stores
            # whole chunks of 52 time points (docs/output.md): once tick 104 is reported, time
            # points 0-103 are on disk whatever happens next.
            tick = bg.wait_for_progress(104)
            bg.p.send_signal(signal.SIGKILL)
            bg.p.wait(timeout=60)
        finally:
            bg.kill()
        assert bg.p.returncode == -signal.SIGKILL
        with h5py().File(out, "r") as f:
            assert attr(f, "complete") == 0
            held = ticks_held(f)
            assert held >= tick, f"file holds {held} time points, expected >= {tick}"


def test_killed_run_with_replicates_in_flight_says_what_each_holds():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "killed.h5")
        bg = Background("run", data("long.yaml"), "-o", out, "--threads", "2", "--replicates", "3",
                        "--parallel-replicates", "3", "--progress-every", "52")
        reported = {}  # replicate (from 0) -> last tick reported
        try:
            # Each replicate flushes its own ticks before it reports them (see above). Kill once
            # two replicates have reported, one of them tick 104 or later.
            while len(reported) < 2 or max(reported.values()) < 104:
                bg.wait_for_progress(0)
                m = re.search(r"replicate (\d+)/3 tick (\d+)/", bg.err_lines[-1])
                if m:
                    reported[int(m.group(1)) - 1] = int(m.group(2))
            bg.p.send_signal(signal.SIGKILL)
            bg.p.wait(timeout=60)
        finally:
            bg.kill()
        with h5py().File(out, "r") as f:
            assert attr(f, "complete") == 0 and attr(f, "status") == "running"
            for r in range(3):
                held = ticks_held(f, r)  # checks ticks_written against the data
                assert held >= reported.get(r, 0), f"replicate {r}: {held} < {reported.get(r)}"


def test_run_summary_json_for_benchmarks():
    import json
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.h5")
        summary = os.path.join(tmp, "summary.json")
        p = run("run", data("valid.yaml"), "-o", out, "--quiet", "--threads", "2",
                "--replicates", "2", "--summary-json", summary)
        assert p.returncode == OK, show(p)
        d = json.load(open(summary, encoding="utf-8"))
        assert d["status"] == "complete" and d["replicates_complete"] == 2, d
        assert d["threads"] == 2 and d["ticks"] == 104 and d["output"] == out, d
        assert d["wall_seconds"] > 0 and d["peak_memory_bytes"] > 1 << 20, d
        assert abs(d["ticks_per_second"] - d["ticks_done"] / d["wall_seconds"]) < 0.01 * d["ticks_per_second"], d
        names = [ph["name"] for ph in d["phases"]]
        assert names and all(ph["seconds"] >= 0 for ph in d["phases"]), d
        # The summary names the same phases as the printed table.
        for name in names:
            assert name in p.stdout, (name, show(p))
        assert not os.path.exists(summary + ".part")
        # An existing summary is not replaced without --overwrite, and nothing is run.
        other = os.path.join(tmp, "other.h5")
        p = run("run", data("valid.yaml"), "-o", other, "--quiet", "--summary-json", summary)
        assert p.returncode == USAGE and "exists" in p.stderr, show(p)
        assert not os.path.exists(other), "nothing is written when the summary is refused"


def test_sigint_finishes_interrupted_file():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "interrupted.h5")
        bg = Background("run", data("long.yaml"), "-o", out, "--threads", "2",
                        "--progress-every", "52")
        try:
            tick = bg.wait_for_progress(52)
            bg.p.send_signal(signal.SIGINT)
            rc, stdout, stderr = bg.finish(timeout=60)
        finally:
            bg.kill()
        assert rc == RUN_FAILED, f"exit {rc}\n{stdout}\n{stderr}"
        assert "is marked interrupted" in stderr, stderr
        held = holdings(stderr)
        assert list(held) == [1], stderr
        last = held[1] - 1
        assert last >= tick, stderr
        assert re.search(rf"holds ticks 0-{last} of replicate 1 \(of 1 replicate of \d+ ticks\)",
                         stderr), stderr
        assert "wall time" in stdout, stdout
        with h5py().File(out, "r") as f:
            assert attr(f, "complete") == 0
            statuses = [attr(f, k) for k in f.attrs]
            assert "interrupted" in statuses, f"no attribute says 'interrupted': {dict(f.attrs)}"
            assert ticks_held(f) == last + 1, "the interrupted file lacks ticks it reported"


def _stopped_file(out):
    """The status attribute of an output file."""
    with h5py().File(out, "r") as f:
        return attr(f, "status")


def test_signals_to_the_group_twice_stop_gracefully_every_time():
    """`timeout`, a terminal and `kill -INT -PGID` signal the whole process group, so one request
    can arrive twice within milliseconds. Ten times over, in a process group of its own: SIGINT
    or SIGTERM to the group, twice, at once; the run must finish its tick, say so, and leave its
    file marked interrupted, never be killed by the repeat."""
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(10):
            out = os.path.join(tmp, f"g{k}.h5")
            p = subprocess.Popen([CLI, "run", data("long.yaml"), "-o", out, "--threads", "2",
                                  "--progress-every", "26"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, start_new_session=True)
            try:
                line = p.stderr.readline()  # the first progress line: the file exists
                assert "progress" in line, line
                sig = signal.SIGINT if k % 2 == 0 else signal.SIGTERM
                os.killpg(p.pid, sig)
                if k % 3 != 2:  # and most times again, as timeout(1) does
                    os.killpg(p.pid, sig)
                out_text, err_text = p.communicate(timeout=60)
            finally:
                if p.poll() is None:
                    p.kill()
                    p.communicate()
            assert p.returncode == RUN_FAILED, f"try {k}: exit {p.returncode}\n{err_text}"
            assert "is marked interrupted" in err_text, err_text
            assert _stopped_file(out) == "interrupted", f"try {k}"


def test_timeout_command_stops_gracefully():
    """`timeout -s INT 1 buurtlab run ...`, five times: the file is marked interrupted each time
    (timeout itself exits 124 when it had to signal)."""
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(5):
            out = os.path.join(tmp, f"t{k}.h5")
            p = subprocess.run(["timeout", "-s", "INT", "1.5", CLI, "run", data("long.yaml"),
                                "-o", out, "--threads", "2", "-q"], capture_output=True,
                               text=True, timeout=120)
            assert p.returncode == 124, show(p)
            assert "is marked interrupted" in p.stderr, show(p)
            assert _stopped_file(out) == "interrupted", f"try {k}: {show(p)}"


# A short neighbourhood run (the model that supports checkpoints), long enough to be killed midway.
CHECKPOINT_RUN = ["run", "builtin:baseline.yaml", "--set", "duration=6 years", "--set",
                  "spin_up=1 year", "--set", "output.flush_every=13", "--replicates", "3", "-q"]


def _same_run(a_path, b_path):
    """Every dataset and attribute of two output files equal, except when and how they were
    made (created, resumed, threads)."""
    import numpy as np
    with h5py().File(a_path, "r") as a, h5py().File(b_path, "r") as b:
        assert sorted(a.keys()) == sorted(b.keys())
        for k in a.keys():
            x, y = a[k][()], b[k][()]
            same = np.array_equal(x, y, equal_nan=True) if x.dtype.kind == "f" else np.array_equal(x, y)
            assert same, f"dataset {k} differs"
            for n in a[k].attrs:
                if n not in ("DIMENSION_LIST", "REFERENCE_LIST"):
                    assert str(a[k].attrs[n]) == str(b[k].attrs.get(n)), f"{k}.{n} differs"
        for n in a.attrs:
            if n not in ("created", "threads"):
                assert str(a.attrs[n]) == str(b.attrs.get(n)), f"attribute {n} differs"


def test_killed_and_resumed_runs_equal_an_uninterrupted_one():
    """SIGKILL at seeded random moments (before the first checkpoint too), then `buurtlab resume`
    on another thread count: the file ends as the uninterrupted run's, value for value, and the
    checkpoints are removed once the run is complete."""
    import random
    rng = random.Random(20261208)
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, "full.h5")
        t0 = time.monotonic()
        p = run(*CHECKPOINT_RUN, "-o", full, "--threads", "2", timeout=300)
        assert p.returncode == OK, show(p)
        duration = time.monotonic() - t0
        for k, threads in enumerate(["1", "2", "serial", "2"]):
            out = os.path.join(tmp, f"killed{k}.h5")
            bg = subprocess.Popen([CLI, *CHECKPOINT_RUN, "-o", out, "--threads", "2",
                                   "--checkpoint-every", "13 weeks"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 0.9) * duration if k else 0.05 * duration)
            bg.kill()
            bg.wait()
            if not os.path.exists(out):
                continue  # killed before the file existed: nothing to resume
            extra = ["--serial"] if threads == "serial" else ["--threads", threads]
            r = run("resume", out, *extra, "-q", timeout=300)
            assert r.returncode == OK, show(r)
            if "is complete" not in r.stdout:
                assert "complete" in r.stdout, show(r)
            _same_run(full, out)
            assert not os.path.exists(out + ".checkpoint"), "checkpoints left after completion"


def test_sigint_then_resume_and_refusals():
    """Ctrl-C takes a checkpoint where the run stands and says how to continue; resume continues
    from there; a checkpoint written by another program version is refused naming both; a
    complete file has nothing to resume."""
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, "full.h5")
        assert run(*CHECKPOINT_RUN, "-o", full, timeout=300).returncode == OK
        out = os.path.join(tmp, "stopped.h5")
        bg = Background(*CHECKPOINT_RUN[:-1], "-o", out, "--checkpoint-every", "13 weeks",
                        "--progress-every", "26", "--threads", "2")
        try:
            bg.wait_for_progress(60)
            bg.p.send_signal(signal.SIGINT)
            rc, stdout, stderr = bg.finish(timeout=120)
        finally:
            bg.kill()
        assert rc == RUN_FAILED, stderr
        assert f"'buurtlab resume {out}' continues it" in stderr, stderr
        ckdir = out + ".checkpoint"
        states = sorted(os.listdir(ckdir))
        assert states and all(s.startswith("replicate-") and s.endswith(".state") for s in states), states
        # A checkpoint from another build: refused, nothing changed.
        victim = os.path.join(ckdir, states[0])
        with open(victim, "rb") as f:
            original = f.read()
        head, rest = original.split(b"\n", 2)[:2], original.split(b"\n", 2)[2]
        with open(victim, "wb") as f:
            f.write(b"\n".join([head[0], b"version 0.0.1", rest]))
        r = run("resume", out, "-q")
        assert r.returncode == USAGE, show(r)
        assert "written by buurtlab 0.0.1" in r.stderr and "only by the program that wrote it" in r.stderr, show(r)
        with open(victim, "wb") as f:
            f.write(original)
        r = run("resume", out, "-q", "--threads", "1")
        assert r.returncode == OK, show(r)
        # The stop took a checkpoint where each replicate stood, mid-chunk (chunks of 13 ticks
        # here), and the file kept the ticks of the unfinished chunk: nothing is run twice.
        stops = [int(t) for t in re.findall(r"continues after tick (\d+)", r.stdout)]
        assert stops and any((t + 1) % 13 != 0 for t in stops), show(r)
        _same_run(full, out)
        r = run("resume", out)
        assert r.returncode == OK and "nothing to resume" in r.stdout, show(r)
        # Not an output file at all.
        bad = os.path.join(tmp, "bad.h5")
        with open(bad, "w") as f:
            f.write("no")
        r = run("resume", bad)
        assert r.returncode == USAGE and bad in r.stderr, show(r)


class _Tmpfs:
    """A small tmpfs (root only; None where it cannot be mounted), unmounted on exit."""

    def __init__(self, size):
        self.dir = tempfile.mkdtemp(prefix="buurtlab_fault_")
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", self.dir],
                           capture_output=True, text=True)
        self.ok = p.returncode == 0

    def __enter__(self):
        return self

    def remount_read_only(self):
        return subprocess.run(["mount", "-o", "remount,ro", self.dir],
                              capture_output=True).returncode == 0

    def __exit__(self, *exc):
        if self.ok:
            subprocess.run(["umount", self.dir], capture_output=True)
        os.rmdir(self.dir)


def test_fault_full_disk_stops_with_the_reason_and_keeps_what_was_flushed():
    """Output on a full disk: the run stops with exit 1 and the system's reason, naming the file;
    the file still opens and holds what was flushed; a file beside it is untouched. On a 2 MiB
    tmpfs where the test may mount one, and also under a file-size limit (no root needed)."""
    import resource

    def check(out, p, neighbour, before):
        assert p.returncode == RUN_FAILED, show(p)
        # Seen coming (the usual case): stopped before writing, the file closed and marked
        # failed. Otherwise the system's reason, and the file as its last flush left it.
        seen = "the disk is full" in p.stderr or "file-size limit" in p.stderr
        assert out in p.stderr and (seen or "No space left" in p.stderr
                                    or "File too large" in p.stderr), show(p)
        with h5py().File(out, "r") as f:  # readable, and consistent up to its last flush
            assert ticks_held(f) > 0
            if seen:
                assert attr(f, "status") == "failed", attr(f, "status")
        with open(neighbour, "rb") as f:
            assert f.read() == before

    with _Tmpfs("2m") as fs:
        if fs.ok:
            out, neighbour = os.path.join(fs.dir, "full.h5"), os.path.join(fs.dir, "keep.txt")
            with open(neighbour, "wb") as f:
                f.write(b"mine")
            p = run("run", data("long.yaml"), "-o", out, "-q", "--replicates", "4", timeout=300)
            check(out, p, neighbour, b"mine")
        else:
            print("    (no tmpfs: mount not permitted here; the file-size limit below still runs)")
    with tempfile.TemporaryDirectory() as tmp:
        out, neighbour = os.path.join(tmp, "limited.h5"), os.path.join(tmp, "keep.txt")
        with open(neighbour, "wb") as f:
            f.write(b"mine")

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
            resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))

        p = subprocess.run([CLI, "run", data("long.yaml"), "-o", out, "-q", "--replicates", "4"],
                           capture_output=True, text=True, timeout=300, preexec_fn=limit)
        check(out, p, neighbour, b"mine")


def test_fault_read_only_folder_and_deleted_output():
    """A read-only output folder: refused before the run with the reason, exit 1, nothing written.
    The output file deleted while the run writes it: the run stops at its next flush saying so
    (it would otherwise write on into a file nobody can open)."""
    with _Tmpfs("4m") as fs:
        if fs.ok and fs.remount_read_only():
            out = os.path.join(fs.dir, "ro.h5")
            p = run("run", data("valid.yaml"), "-o", out, "-q")
            assert p.returncode == RUN_FAILED, show(p)
            assert out in p.stderr and "Read-only file system" in p.stderr, show(p)
            assert os.listdir(fs.dir) == []
        else:
            print("    (no read-only tmpfs here: root can write anywhere else, so that part is left out)")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "deleted.h5")
        bg = Background("run", data("long.yaml"), "-o", out, "--progress-every", "52",
                        "--threads", "1")
        try:
            bg.wait_for_progress(104)
            os.remove(out)
            rc, stdout, stderr = bg.finish(timeout=120)
        finally:
            bg.kill()
        assert rc == RUN_FAILED, f"exit {rc}\n{stderr}"
        assert "was deleted or replaced while the run was writing it" in stderr, stderr
        assert not os.path.exists(out), "a new file appeared at the deleted path"


def test_sigint_with_replicates_in_flight():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "interrupted.h5")
        bg = Background("run", data("long.yaml"), "-o", out, "--threads", "2", "--replicates", "4",
                        "--parallel-replicates", "2", "--progress-every", "52")
        reported = set()
        try:
            while len(reported) < 2:  # both replicates in flight have reported a tick
                bg.wait_for_progress(52)
                reported.add(re.search(r"replicate (\d+)/4", bg.err_lines[-1]).group(1))
            bg.p.send_signal(signal.SIGINT)
            rc, stdout, stderr = bg.finish(timeout=60)
        finally:
            bg.kill()
        assert rc == RUN_FAILED, f"exit {rc}\n{stdout}\n{stderr}"
        held = holdings(stderr)
        assert held[3] == 0 and held[4] == 0, stderr  # two in flight: the last two never started
        assert held[1] > 1 and held[2] > 1, stderr
        with h5py().File(out, "r") as f:
            assert attr(f, "status") == "interrupted" and attr(f, "complete") == 0
            assert [ticks_held(f, r) for r in range(4)] == [held[r + 1] for r in range(4)], \
                f"the message says {held}, the file holds {list(f['ticks_written'][:])}"
        assert "0 replicates complete" in stdout, stdout


# ------------------------------------------------------------------------------------------------

def run_tests(namespace, description, prepare=None):
    """The runner of every CLI test file: parses --cli, --data and -k, sets this module's CLI and
    DATA (which the other files read as base.CLI and base.DATA), calls prepare() if given, then
    runs the test_* functions of `namespace` (those named with -k, or all), reporting each and
    going on after a failure."""
    global CLI, DATA
    ap = argparse.ArgumentParser(description=description.splitlines()[0])
    ap.add_argument("--cli", required=True, help="path of buurtlab-testcli")
    ap.add_argument("--data", required=True, help="folder of the CLI test scenarios")
    ap.add_argument("-k", action="append", default=[], help="run only this test (repeatable)")
    args = ap.parse_args()
    CLI, DATA = os.path.abspath(args.cli), os.path.abspath(args.data)
    if prepare:
        prepare()

    return run_selected(namespace, args.k)


def run_selected(namespace, names):
    """Runs the test_* functions of `namespace` (those in `names`, or all), reporting each and
    going on after a failure; returns the exit code. Shared by every Python test file here."""
    tests = [(n, f) for n, f in namespace.items() if n.startswith("test_") and callable(f)]
    if names:
        unknown = set(names) - {n for n, _ in tests}
        if unknown:
            print("unknown tests:", ", ".join(sorted(unknown)))
            return 2
        tests = [(n, f) for n, f in tests if n in names]

    passed = failed = 0
    for name, fn in tests:
        t0 = time.monotonic()
        try:
            fn()
        except Exception:  # noqa: BLE001 -- report any failure and go on with the next test
            failed += 1
            print(f"FAIL {name} ({time.monotonic() - t0:.1f} s)")
            traceback.print_exc()
        else:
            passed += 1
            print(f"ok   {name} ({time.monotonic() - t0:.1f} s)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not tests else 0


def main():
    return run_tests(globals(), __doc__)


if __name__ == "__main__":
    sys.exit(main())
