"""Tests of the Python module buurtlab (tools/pybuurtlab, docs/python.md).

The module is checked against the command line it mirrors: the same run gives the same values, bit
for bit, and the same attributes as the file `buurtlab run` writes; errors carry the CLI's
messages; describe lists what `buurtlab describe --markdown` lists. Plain functions and asserts,
no pytest:

    PYTHONPATH=build/release/python pybuurtlab_test.py --cli build/release/tools/buurtlab \\
        --docs docs/python.md [-k test_name]...

Prints one line per test and 'N passed, N failed'; exits non-zero if any test failed.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

import h5py
import numpy as np
import xarray as xr

import buurtlab

CLI = None   # path of the real buurtlab program, set by main()
DOCS = None  # docs/python.md, set by main()

# A run of a few seconds that still has everything: several replicates, a spin-up with its settle
# check, a float and a boolean override.
SCENARIO = "builtin:default.yaml"
SETS = {"duration": "1 year", "spin_up": "1 year", "parameters.meeting.rate": 24.5,
        "parameters.agenda.enabled": True}
CLI_SETS = ["--set", "duration=1 year", "--set", "spin_up=1 year",
            "--set", "parameters.meeting.rate=24.5", "--set", "parameters.agenda.enabled=true"]
REPLICATES, SEED = 3, 7

# Attributes that say how or when a run was made rather than what it holds.
VOLATILE = {"created", "threads"}


def cli(*args, timeout=120):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def cli_errors(stderr):
    """The problems the CLI reports, one per line, without its prefix and the count line."""
    return [line[len("buurtlab: error: "):] for line in stderr.splitlines()
            if line.startswith("buurtlab: error: ")]


def same_value(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (np.asarray(a).dtype == np.asarray(b).dtype
                and np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return type(a) is type(b)
    return type(a) is type(b) and a == b


def assert_same_attrs(got, want, what, skip=()):
    keys = set(got) | set(want)
    missing = sorted(k for k in keys - set(skip) if k not in got or k not in want)
    assert not missing, f"{what}: attributes only on one side: {missing}"
    for k in sorted(keys - set(skip)):
        assert same_value(got[k], want[k]), \
            f"{what}: attribute {k}: got {got[k]!r} ({type(got[k]).__name__}), " \
            f"file has {want[k]!r} ({type(want[k]).__name__})"


def assert_same_dataset(got, want, skip_attrs=VOLATILE):
    """Every variable and coordinate equal bit for bit (NaN where NaN), same dims, dtypes and
    attributes, same root attributes but those in skip_attrs."""
    assert list(got.data_vars) == list(want.data_vars), (list(got.data_vars), list(want.data_vars))
    assert sorted(got.coords) == sorted(want.coords), (sorted(got.coords), sorted(want.coords))
    assert dict(got.sizes) == dict(want.sizes), (dict(got.sizes), dict(want.sizes))
    for name in list(want.data_vars) + list(want.coords):
        g, w = got[name], want[name]
        assert g.dims == w.dims, (name, g.dims, w.dims)
        assert g.dtype == w.dtype, (name, g.dtype, w.dtype)
        float_values = g.dtype.kind == "f"
        if not np.array_equal(g.values, w.values, equal_nan=float_values):
            same = g.values == w.values
            if float_values:
                same |= np.isnan(g.values) & np.isnan(w.values)
            raise AssertionError(f"{name}: values differ at (replicate, time, place) "
                                 f"{np.argwhere(~same)[:5].tolist()}")
        assert_same_attrs(dict(g.attrs), dict(w.attrs), name)
    assert_same_attrs(dict(got.attrs), dict(want.attrs), "root", skip=skip_attrs)


def small_run(**kw):
    args = dict(set=SETS, replicates=REPLICATES, seed=SEED, threads=2)
    args.update(kw)
    return buurtlab.run(SCENARIO, **args)


# ------------------------------------------------------------------------------------------------
# Runs

def test_unit_run_equals_cli():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cli.h5")
        p = cli("run", SCENARIO, *CLI_SETS, "--replicates", str(REPLICATES), "--seed", str(SEED),
                "--threads", "2", "-q", "-o", path)
        assert p.returncode == 0, p.stderr
        with xr.open_dataset(path, engine="h5netcdf") as f:
            want = f.load()
    got = small_run()
    assert_same_dataset(got, want)
    # The comparison means something only if the run made numbers that differ between replicates.
    cs = got["community_strength"].values
    ticks = buurtlab.validate(SCENARIO, set=SETS)["ticks"]
    assert got.sizes["replicate"] == REPLICATES and got.sizes["time"] == ticks + 1 > 50, \
        (dict(got.sizes), ticks)
    assert np.isfinite(cs).all(), "community_strength has NaN"
    assert not np.array_equal(cs[0], cs[1]), "replicates 0 and 1 are identical"
    assert got.attrs["status"] == "complete" and got.attrs["complete"] == 1
    assert got.attrs["seed"] == SEED and got.attrs["scenario_name"] == "default"
    assert "rate: 24.5" in got.attrs["scenario_yaml"], got.attrs["scenario_yaml"]
    assert got.attrs["spin_up_check"] in ("settled", "drifting"), got.attrs["spin_up_check"]
    assert str(got.time.values[0])[:10] == "2026-01-01", got.time.values[:2]
    assert got.attrs["threads"] == 2


def test_unit_threads_do_not_change_results():
    one, two, serial = small_run(threads=1), small_run(threads=2), small_run(threads=0)
    assert_same_dataset(one, two)
    assert_same_dataset(serial, two)
    assert (one.attrs["threads"], two.attrs["threads"], serial.attrs["threads"]) == (1, 2, 0)
    # Another seed gives other numbers, so the equality above is not an accident of the setup.
    other = small_run(seed=SEED + 1)
    assert not np.array_equal(other["community_strength"].values,
                              two["community_strength"].values)


def test_unit_set_values_as_yaml():
    # Floats go through repr, so they come back as the same double; booleans as true/false.
    ds = buurtlab.run(SCENARIO, set={"duration": "2 weeks", "spin_up": 0,
                                     "parameters.meeting.rate": 0.1 + 0.2,
                                     "parameters.agenda.enabled": np.bool_(True)}, threads=1)
    yaml = ds.attrs["scenario_yaml"]
    assert "rate: 0.30000000000000004" in yaml, yaml
    assert re.search(r"enabled: true\b", yaml), yaml
    assert ds.sizes["time"] == 3, dict(ds.sizes)
    try:
        buurtlab.run(SCENARIO, set={"parameters.meeting.rate": object()})
    except TypeError as e:
        assert "parameters.meeting.rate" in str(e), e
    else:
        raise AssertionError("an object as a set value was accepted")
    for bad in ({"replicates": 0}, {"seed": -1}, {"threads": -1}):
        try:
            buurtlab.run(SCENARIO, **bad)
        except ValueError as e:
            assert list(bad)[0] in str(e), e
        else:
            raise AssertionError(f"{bad} was accepted")


def test_unit_output_written_and_not_clobbered():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sub", "run.h5")  # the folder is created, as by the CLI
        ds = small_run(output=path, replicates=2)
        with xr.open_dataset(path, engine="h5netcdf") as f:
            assert_same_dataset(ds, f.load(), skip_attrs={"created"})
        with h5py.File(path, "r") as f:
            assert f.attrs["status"] == "complete" and f.attrs["complete"] == 1
        before = open(path, "rb").read()
        try:
            small_run(output=path, replicates=2)
        except FileExistsError as e:
            assert path in str(e) and "overwrite=True" in str(e), e
        else:
            raise AssertionError("an existing output file was replaced without overwrite=True")
        assert open(path, "rb").read() == before, "the refused run changed the file"
        again = small_run(output=path, replicates=1, overwrite=True)
        with h5py.File(path, "r") as f:
            assert f.attrs["replicates"] == 1 and f.attrs["status"] == "complete"
        assert again.sizes["replicate"] == 1
        # A folder that cannot be made is a run failure, not a scenario error.
        blocker = os.path.join(tmp, "plain-file")
        open(blocker, "w").close()
        try:
            small_run(output=os.path.join(blocker, "run.h5"))
        except buurtlab.RunError as e:
            assert isinstance(e, RuntimeError) and "cannot create" in str(e), e
        else:
            raise AssertionError("an output under a plain file did not fail")


def test_unit_sigint_stops_run():
    """Ctrl-C (SIGINT) stops a run after the current tick, raises KeyboardInterrupt and leaves the
    output file marked interrupted, as `buurtlab run` does."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "long.h5")
        child = textwrap.dedent(f"""
            import sys, time, h5py, buurtlab
            print("started", flush=True)
            t0 = time.monotonic()
            try:
                buurtlab.run("builtin:default.yaml", replicates=4, threads=2,
                             set={{"duration": "30 years", "spin_up": 0}}, output={path!r})
            except KeyboardInterrupt:
                with h5py.File({path!r}, "r") as f:
                    print("interrupted", f.attrs["status"], list(f["ticks_written"][:]))
                sys.exit(0)
            print("finished after", time.monotonic() - t0)
            sys.exit(1)
        """)
        proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "started"
        deadline = time.monotonic() + 30
        while not os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # into the run's ticks
        proc.send_signal(signal.SIGINT)
        t0 = time.monotonic()
        out, err = proc.communicate(timeout=60)
        took = time.monotonic() - t0
        assert proc.returncode == 0, (proc.returncode, out, err)
        m = re.match(r"interrupted interrupted \[(.*)\]", out.strip())
        assert m, (out, err)
        written = [int(x) for x in m.group(1).split(",")]
        full = 30 * 52 + 2
        assert any(0 < n < full for n in written), written
        assert took < 10, f"the run took {took:.1f} s to stop"


def test_unit_run_releases_gil():
    """Other Python threads go on while a run computes."""
    import threading

    result = {}

    def work():
        # Runs until at least 0.6 s have passed, so that the check below means something on a
        # fast machine too (one small run can take 0.2 s).
        start = time.monotonic()
        while time.monotonic() - start < 0.6:
            result["ds"] = small_run(replicates=2)

    worker = threading.Thread(target=work)
    t0 = time.monotonic()
    worker.start()
    beats = 0
    while worker.is_alive():
        time.sleep(0.01)
        beats += 1
    took = time.monotonic() - t0
    assert "ds" in result, "the run in the thread failed"
    # With the GIL held for the whole run this thread would wake once, after it.
    assert took > 0.3 and beats > took / 0.01 / 4, (beats, took)


# ------------------------------------------------------------------------------------------------
# Errors

BAD_SCENARIO = """\
extends: builtin:default.yaml
name: broken
duration: 3 lightyears
parameters:
  meeting:
    rate: 9999
  procurement:
    tender_intervall: 2
"""


def test_unit_bad_scenario_raises_cli_messages():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "broken.yaml")
        with open(path, "w") as f:
            f.write(BAD_SCENARIO)
        p = cli("validate", path)
        assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
        want = cli_errors(p.stderr)
        assert len(want) >= 3, p.stderr
        for call in (lambda: buurtlab.validate(path), lambda: buurtlab.run(path)):
            try:
                call()
            except buurtlab.ScenarioError as e:
                assert isinstance(e, ValueError)
                assert e.errors == want, (e.errors, want)
                assert str(e) == "\n".join(want), (str(e), want)
                assert re.match(re.escape(path) + r":3:\d+: duration: ", e.errors[0]), e.errors
            else:
                raise AssertionError("a broken scenario was accepted")


def test_unit_unknown_set_key_raises():
    key = "parameters.meeting.rat"
    p = cli("validate", SCENARIO, "--set", f"{key}=12")
    assert p.returncode == 2, p.stderr
    want = cli_errors(p.stderr)
    for call in (lambda: buurtlab.validate(SCENARIO, set={key: 12}),
                 lambda: buurtlab.run(SCENARIO, set={key: 12})):
        try:
            call()
        except buurtlab.ScenarioError as e:
            assert e.errors == want, (e.errors, want)
            assert "meeting.rate" in str(e), str(e)  # the "did you mean"
        else:
            raise AssertionError(f"--set {key} was accepted")
    try:
        buurtlab.run("no-such-file.yaml")
    except buurtlab.ScenarioError as e:
        assert "no-such-file.yaml" in str(e), e
    else:
        raise AssertionError("a missing scenario file was accepted")


def test_unit_validate_summarises():
    info = buurtlab.validate(SCENARIO, set={"duration": "2 years", "replicates": 5})
    info.pop("scenario_yaml")
    p = cli("validate", SCENARIO, "--set", "duration=2 years", "--set", "replicates=5")
    assert p.returncode == 0, p.stderr
    ticks = int(re.search(r"^\s*ticks\s+(\d+) ticks of 1 week", p.stdout, re.M).group(1))
    assert ticks > 100 and info["ticks"] == ticks, (info, p.stdout)
    assert info["name"] == "default" and info["model"] == "neighbourhood", info
    assert (info["replicates"], info["seed"]) == (5, 2026), info
    assert f"{info['start']} to {info['end']} (2 years)" in p.stdout, (info, p.stdout)
    assert info["spin_up"] == "10 years" and info["spin_up_ticks"] > 500, info
    assert (info["places"], info["wijken"], info["buurten"]) == (6, 1, 4), info
    assert f"{info['residents']} residents" in p.stdout and info["residents"] == 3600, info


# ------------------------------------------------------------------------------------------------
# Declarations

def markdown_rows(text, header):
    """Rows of the Markdown table that follows `header` in `buurtlab describe --markdown`."""
    lines = text[text.index(header):].splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("|---"))
    rows = []
    for line in lines[start + 1:]:
        if not line.startswith("|"):
            break
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        rows.append([c.strip().replace("\\|", "|") for c in cells])
    return rows


def test_unit_describe_matches_cli():
    p = cli("describe", "neighbourhood", "--markdown")
    assert p.returncode == 0, p.stderr
    params = buurtlab.describe("neighbourhood")
    want = markdown_rows(p.stdout, "## Parameters")
    assert len(params) == len(want) > 50, (len(params), len(want))
    for (_, row), cells in zip(params.iterrows(), want):
        name, _type, unit, default, rng, doc, source = cells
        assert f"`{row['name']}`" == name, (row["name"], name)
        assert (row["unit"], row["default_text"], row["range"], row["source"]) == \
            (unit, default, rng, source), (row.to_dict(), cells)
        assert row["description"].replace("\n", " ") == doc, (row["description"], doc)
    t = params.set_index("name").loc["procurement.tender_interval"]
    assert (t["unit"], t["default"], t["min"], t["max"]) == ("years", 0.0, 0.0, 30.0), t
    assert params["unit"].astype(bool).all(), params[~params["unit"].astype(bool)]
    assert params.set_index("name").loc["agenda.enabled", "default"] is False

    ind = buurtlab.indicators("neighbourhood")
    want = markdown_rows(p.stdout, "## Indicators")
    assert [f"`{n}`" for n in ind["name"]] == [r[0] for r in want]
    assert list(ind["unit"]) == [r[1] for r in want]
    assert ind["summary"].sum() > 0 and ind.set_index("name").loc["community_strength", "summary"]

    attrs = buurtlab.describe("neighbourhood", which="place_attributes")
    assert len(attrs) == len(markdown_rows(p.stdout, "## Place attributes")) > 0
    hooks = buurtlab.describe("neighbourhood", which="hooks")
    assert len(hooks) == p.stdout.count("\n### `") > 0, hooks
    for bad in (lambda: buurtlab.describe("no-such-model"),
                lambda: buurtlab.describe(which="nothing")):
        try:
            bad()
        except ValueError as e:
            assert "expected" in str(e) or "known models: " in str(e), e
        else:
            raise AssertionError("an unknown model or table was accepted")


def test_unit_models_scenarios_version():
    p = cli("describe")
    assert list(buurtlab.models()) == [l.split()[0] for l in p.stdout.splitlines() if l.strip()]
    assert "neighbourhood" in buurtlab.models()
    p = cli("scenarios")
    want = [l.split()[0] for l in p.stdout.splitlines() if l.startswith("builtin:")]
    assert buurtlab.scenarios() == want and "builtin:baseline.yaml" in want, (
        buurtlab.scenarios(), want)
    p = cli("--version")
    assert p.stdout.split()[1] == buurtlab.__version__, (p.stdout, buurtlab.__version__)
    assert re.fullmatch(r"\d+\.\d+\.\d+", buurtlab.__version__)


# ------------------------------------------------------------------------------------------------
# The documentation

def test_docs_example_runs():
    """The worked example of docs/python.md runs as printed and draws its chart."""
    text = open(DOCS, encoding="utf-8").read()
    section = text[text.index("## Worked example"):]
    m = re.search(r"```python\n(.*?)```", section, re.S)
    assert m, "no python block under '## Worked example'"
    code = m.group(1)
    pictures = re.findall(r"savefig\(\"([^\"]+)\"", code)
    assert pictures, "the example saves no figure"
    with tempfile.TemporaryDirectory() as tmp:
        # The package this test imports, wherever the example runs from.
        package_dir = os.path.dirname(os.path.dirname(os.path.abspath(buurtlab.__file__)))
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=package_dir)
        p = subprocess.run([sys.executable, "-c", code], cwd=tmp, env=env, capture_output=True,
                           text=True, timeout=300)
        assert p.returncode == 0, p.stdout + p.stderr
        for f in pictures:
            path = os.path.join(tmp, f)
            assert os.path.getsize(path) > 10000, f"{f} missing or nearly empty"
        assert "tender_interval" in p.stdout, p.stdout


# ------------------------------------------------------------------------------------------------

def main():
    global CLI, DOCS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", required=True, help="path of the buurtlab program")
    ap.add_argument("--docs", required=True, help="docs/python.md")
    ap.add_argument("-k", action="append", default=[], help="run only this test (repeatable)")
    args = ap.parse_args()
    CLI, DOCS = os.path.abspath(args.cli), os.path.abspath(args.docs)

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import cli_test  # the runner the other Python test files here use
    return cli_test.run_selected(globals(), args.k)


if __name__ == "__main__":
    sys.exit(main())
