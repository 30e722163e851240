"""Tests of `buurtlab plot`, `buurtlab report`, the reading examples of docs/output.md and the
workshop figures, used as a person would: the real `buurtlab` program writes small outputs, the
commands run on them, and the report is opened in headless Chromium to see that every chart shows.

    tools_test.py --buurtlab BUILD/tools/buurtlab --work DIR --source ROOT --setup
    tools_test.py --buurtlab ... --work DIR --source ROOT [-k test_name]...

--setup runs the scenarios of tests/data/python into DIR (the other tests need them); the tests
leave what they draw in DIR too (plots, report.html, report-screenshot.png) for a person to look
at. Prints one line per test and 'N passed, N failed'; exits 1 if a test failed, 77 if every
selected test was skipped (a missing optional program, such as R).
"""

import argparse
import base64
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

BUURTLAB = None  # the buurtlab program
WORK = None      # outputs and artifacts
SOURCE = None    # the source tree

OK, FAILED, USAGE = 0, 1, 2
SKIPPED = 77

REF = "small-city.h5"
MANY = "many-buurten.h5"
LEVER = "small-city-cut.h5"
REPORT_INDICATORS = ("community_strength", "social_trust_mean", "institutional_trust_mean",
                     "unmet_care_hours", "initiatives", "local_knowledge_mean", "open_cases")


class Skip(Exception):
    pass


# ------------------------------------------------------------------------------------------------
# Helpers

def buurtlab(*args, env=None, timeout=300):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([BUURTLAB, *args], capture_output=True, text=True, timeout=timeout,
                          env=e)


def show(p):
    return f"exit {p.returncode}\n--- stdout\n{p.stdout}\n--- stderr\n{p.stderr}"


def work(*parts):
    return os.path.join(WORK, *parts)


def source(*parts):
    return os.path.join(SOURCE, *parts)


def expect_ok(p):
    assert p.returncode == OK, show(p)
    return p


def expect_error(p, code, *needles):
    assert p.returncode == code, show(p)
    assert "buurtlab: error: " in p.stderr, show(p)
    assert "Traceback" not in p.stderr, "a Python traceback instead of a message\n" + show(p)
    for n in needles:
        assert n in p.stderr, f"{n!r} not in the message\n" + show(p)
    return p


def read_png(path):
    import matplotlib.image as mpimg

    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    return mpimg.imread(path)


def colour_pixels(img, rgb, tol=0.06):
    """Number of pixels within `tol` of colour `rgb` (0-1 floats)."""
    import numpy as np

    diff = np.abs(img[:, :, :3] - np.asarray(rgb)[None, None, :])
    return int(np.sum(np.all(diff < tol, axis=2)))


TAB10 = [(0.122, 0.467, 0.706), (1.0, 0.498, 0.055), (0.173, 0.627, 0.173)]


def h5_values(path, indicator, place=0):
    import h5py
    import numpy as np

    with h5py.File(path, "r") as f:
        return np.asarray(f[indicator][:, :, place], dtype=float)


# ------------------------------------------------------------------------------------------------
# Setup: the outputs every test uses

def setup():
    # Start clean: the tests reuse what they find here (report.html), which must be this build's.
    if os.path.isdir(WORK):
        shutil.rmtree(WORK)
    os.makedirs(WORK)
    for name in (REF, LEVER, MANY):
        scenario = source("tests", "data", "python", name.replace(".h5", ".yaml"))
        p = buurtlab("run", scenario, "-o", work(name), "--overwrite", "--quiet")
        assert p.returncode == OK, show(p)
    # The default scenario, shortened, for the examples in docs/output.md (they read
    # out/default.h5 relative to the folder they run in).
    p = buurtlab("run", "builtin:default.yaml", "--set", "duration=1 year", "--quiet",
                 "-o", work("docs", "out", "default.h5"), "--overwrite")
    assert p.returncode == OK, show(p)


# ------------------------------------------------------------------------------------------------
# plot

def test_plot_compares_two_scenarios():
    out = work("plot-city.png")
    p = expect_ok(buurtlab("plot", work(REF), work(LEVER), "-o", out))
    assert "wrote" in p.stdout and out in p.stdout, show(p)
    assert p.stderr == "", show(p)
    img = read_png(out)
    # Two scenarios: the first two colours of the palette both appear (lines and legend).
    for rgb in TAB10[:2]:
        assert colour_pixels(img, rgb) > 200, f"colour {rgb} hardly present in {out}"
    assert colour_pixels(img, TAB10[2]) < 50, "a third line where two were expected"


def test_plot_indicators_places_and_levels():
    one = work("plot-one.png")
    expect_ok(buurtlab("plot", work(REF), "-o", one))
    three = work("plot-three.png")
    p = expect_ok(buurtlab("plot", work(REF), "--indicator", "community_strength",
                           "social_trust_mean", "-i", "open_cases", "--level", "wijk",
                           "-o", three))
    assert "3 panels" in p.stdout and "2 lines" in p.stdout, show(p)
    # Files named after --indicator are files, not indicator names.
    p = expect_ok(buurtlab("plot", "-i", "initiatives", "open_cases", work(REF),
                           "-o", work("plot-after.png")))
    assert "2 panels, 1 line from 1 file" in p.stdout, show(p)
    h1, h3 = read_png(one).shape[0], read_png(three).shape[0]
    assert h3 > 2.2 * h1, f"3 panels ({h3} px) not taller than 1 panel ({h1} px)"
    # By code: a buurt and a wijk of both files, as SVG, whose text stays text.
    svg = work("plot-places.svg")
    p = expect_ok(buurtlab("plot", work(REF), work(LEVER), "--place", "BU99990101", "WK999902",
                           "-o", svg))
    assert "4 lines from 2 files" in p.stdout, show(p)
    text = open(svg, encoding="utf-8").read()
    for needle in ("small-city-cut: Haven (BU99990101)", "small-city: Zuid (WK999902)",
                   "community_strength"):
        assert needle in text, f"{needle!r} not in {svg}"


def test_plot_labels_axis_limits_and_event_markers():
    svg = work("plot-options.svg")
    p = expect_ok(buurtlab("plot", work(REF), work(LEVER), "-i", "community_strength",
                           "unmet_care_hours", "--label", "no cut", "--label", "30% cut",
                           "--ylim", "community_strength=0:1", "--from-zero", "--events",
                           "-o", svg))
    assert "2 panels" in p.stdout, show(p)
    text = open(svg, encoding="utf-8").read()
    # The given labels replace the files' labels; the lever's start is marked with its label.
    for needle in ("no cut", "30% cut", "budget cut"):
        assert needle in text, f"{needle!r} not in {svg}"
    # Without --events no marker.
    plain = work("plot-plain.svg")
    expect_ok(buurtlab("plot", work(REF), work(LEVER), "-o", plain))
    assert "budget cut" not in open(plain, encoding="utf-8").read()
    # Mistakes are usage errors that say what was expected.
    png = work("plot-bad.png")
    expect_error(buurtlab("plot", work(REF), work(LEVER), "--label", "one", "-o", png), USAGE,
                 "--label given 1 time(s) for 2 file(s)")
    expect_error(buurtlab("plot", work(REF), "--ylim", "1:0", "-o", png), USAGE,
                 "LOW must be below HIGH")
    expect_error(buurtlab("plot", work(REF), "--ylim", "open_cases=0:9", "-o", png), USAGE,
                 "open_cases is not an indicator drawn here")
    expect_error(buurtlab("plot", work(REF), "--ylim", "zero", "-o", png), USAGE,
                 "expected [NAME=]LOW:HIGH")


def test_plot_same_scenario_twice_is_told_apart():
    os.makedirs(work("copy"), exist_ok=True)
    copy = work("copy", "again.h5")
    shutil.copy(work(REF), copy)
    svg = work("plot-same.svg")
    expect_ok(buurtlab("plot", work(REF), copy, "-o", svg))
    # Alike runs are told apart by their files, as given, as `buurtlab compare` labels them; a
    # long label is wrapped onto lines of their own.
    text = "".join(re.findall(r"<text[^>]*>([^<]*)</text>", open(svg, encoding="utf-8").read()))
    for label in (f"small-city ({work(REF)})", f"small-city ({copy})"):
        assert re.sub(r"\s", "", label) in re.sub(r"\s", "", html.unescape(text)), \
            f"{label!r} not in the legend of {svg}"


def test_plot_and_report_fit_long_labels():
    # Runs told apart by a long path: the legend wraps the label rather than widen the picture
    # or squeeze the panels, and the title names the scenario once.
    deep = work("copy", *(["a-folder-with-a-long-name"] * 6))
    os.makedirs(deep, exist_ok=True)
    copy = os.path.join(deep, "again.h5")
    shutil.copy(work(REF), copy)
    alone, both = work("plot-alone.png"), work("plot-long-labels.png")
    expect_ok(buurtlab("plot", work(REF), "-o", alone))
    expect_ok(buurtlab("plot", work(REF), copy, "-o", both))
    w1, w2 = read_png(alone).shape[1], read_png(both).shape[1]
    assert w2 <= 1.05 * w1, f"{both} is {w2} px wide, one file's plot {w1} px"
    out = work("report-long-labels.html")
    p = expect_ok(buurtlab("report", work(REF), copy, "-o", out))
    assert "constrained_layout not applied" not in p.stderr, show(p)
    text = open(out, encoding="utf-8").read()
    assert "<h1>Scenario comparison: 2 runs of small-city</h1>" in text, text[:2000]
    # A PNG's width: the first field of its IHDR chunk, big-endian, at bytes 16-19.
    widths = [int.from_bytes(base64.b64decode(m)[16:20], "big")
              for m in re.findall(r'src="data:image/png;base64,([^"]+)"', text)]
    assert max(widths) <= 1100, f"a chart {max(widths)} px wide: {widths}"


def test_plot_places_small_multiples_of_90_buurten():
    # Every buurt of a city of 90: one panel each, in a grid that stays a readable size.
    png = work("plot-places-buurten.png")
    p = expect_ok(buurtlab("plot", work(MANY), "--places", "buurt", "-o", png))
    assert "90 panels of buurten" in p.stdout, show(p)
    img = read_png(png)
    h, w = img.shape[:2]
    assert 1600 <= w <= 2600 and 1000 <= h <= 2200, f"{png} is {w} x {h} px"
    # --top N: the N buurten that differ most from the city, most different first, by the rule
    # the caption states (mean over ticks 1..T of |buurt mean - city mean|), recomputed here.
    import h5py
    import numpy as np

    with h5py.File(work(MANY), "r") as f:
        codes = list(f["place_code"].asstr()[:])
        levels = list(f["place_level"].asstr()[:])
        values = np.asarray(f["social_trust_mean"][:], dtype=float)
    means = values.mean(axis=0)
    buurten = [i for i, lvl in enumerate(levels) if lvl == "buurt"]
    gap = {codes[i]: np.mean(np.abs(means[1:, i] - means[1:, 0])) for i in buurten}
    expected = sorted(gap, key=lambda c: -gap[c])[:5]
    svg = work("plot-places-top.svg")
    p = expect_ok(buurtlab("plot", work(MANY), "--places", "buurt", "--top", "5",
                           "-i", "social_trust_mean", "-o", svg))
    assert "5 panels of buurten" in p.stdout, show(p)
    text = html.unescape("\n".join(re.findall(r"<text[^>]*>([^<]*)</text>",
                                              open(svg, encoding="utf-8").read())))
    found = re.findall(r"^([1-9])\. (W\d-B\d+)$", text, re.M)
    assert [c for _, c in found] == expected, (found, expected)
    assert "the 5 of 90 buurten that differ most from the city" in text, text[:500]
    assert "mean over the run" in re.sub(r"\s+", " ", text), "the caption does not say the rule"
    # Two files: each drawn in every panel, against its own city.
    two = work("plot-places-two.svg")
    p = expect_ok(buurtlab("plot", work(REF), work(LEVER), "--places", "wijk", "-o", two))
    assert "2 panels of wijken (community_strength) from 2 files" in p.stdout, show(p)
    text = html.unescape(open(two, encoding="utf-8").read())
    for needle in ("city: small-city", "city: small-city-cut", ">small-city-cut<",
                   "Noord (WK999901)", "Zuid (WK999902)"):
        assert needle in text, f"{needle!r} not in {two}"
    # Mistakes are usage errors.
    bad = work("plot-places-bad.png")
    expect_error(buurtlab("plot", work(MANY), "--top", "3", "-o", bad), USAGE,
                 "--top N goes with --places LEVEL")
    expect_error(buurtlab("plot", work(MANY), "--places", "buurt", "-i", "initiatives",
                          "-i", "open_cases", "-o", bad), USAGE, "--places draws one indicator")
    expect_error(buurtlab("plot", work(MANY), "--places", "buurt", "--top", "0", "-o", bad),
                 USAGE, "--top expects a whole number of at least 1, got 0")
    expect_error(buurtlab("plot", work(MANY), "--places", "buurt", "--level", "wijk", "-o", bad),
                 USAGE, "give no --place or --level")
    assert not os.path.exists(bad)


def test_plot_errors_name_the_file():
    with tempfile.TemporaryDirectory() as tmp:
        text = os.path.join(tmp, "notes.h5")
        with open(text, "w") as f:
            f.write("not an output\n")
        empty = os.path.join(tmp, "empty.h5")
        open(empty, "w").close()
        foreign = os.path.join(tmp, "foreign.h5")
        import h5py

        with h5py.File(foreign, "w") as f:
            f["x"] = [1, 2, 3]
        truncated = os.path.join(tmp, "truncated.h5")
        with open(work(REF), "rb") as src, open(truncated, "wb") as dst:
            data = src.read()
            dst.write(data[: len(data) // 2])
        png = os.path.join(tmp, "x.png")

        expect_error(buurtlab("plot", text, "-o", png), USAGE, text, "not a Buurtlab output",
                     "not an HDF5 file")
        expect_error(buurtlab("plot", empty, "-o", png), USAGE, empty, "empty file")
        expect_error(buurtlab("plot", foreign, "-o", png), USAGE, foreign,
                     "not a Buurtlab output", "ticks_written")
        expect_error(buurtlab("plot", truncated, "-o", png), USAGE, truncated, "truncated")
        missing = os.path.join(tmp, "missing.h5")
        expect_error(buurtlab("plot", work(REF), missing, "-o", png), USAGE, missing,
                     "no such file")
        # An unknown indicator or place: the message lists what the file has.
        expect_error(buurtlab("plot", work(REF), "-i", "communty_strength", "-o", png), USAGE,
                     work(REF), "no indicator 'communty_strength'", "community_strength",
                     "unmet_care_hours", "(did you mean 'community_strength'?)")
        expect_error(buurtlab("plot", work(REF), "--place", "WK999903", "-o", png), USAGE,
                     work(REF), "WK999903", "WK999901", "BU99990202")
        expect_error(buurtlab("plot", work(REF), "--place", "wk999901", "-o", png), USAGE,
                     "did you mean WK999901")
        # Usage mistakes.
        expect_error(buurtlab("plot", work(REF), "-o", os.path.join(tmp, "x.jpeg")), USAGE,
                     "unknown format", "try 'buurtlab plot --help'")
        expect_error(buurtlab("plot", work(REF)), USAGE, "--output")
        expect_error(buurtlab("plot", work(REF), "--level", "street", "-o", png), USAGE,
                     "street")
        assert not os.path.exists(png), "an image was written despite the errors"


def test_plot_and_report_refuse_damaged_files():
    """Truncated at several points, random bytes, another layout, a bad date, or sizes no run
    writes: exit 2 and a message naming the file, never a traceback (docs/reliability.md)."""
    import random
    import h5py

    with tempfile.TemporaryDirectory() as tmp:
        data = open(work(REF), "rb").read()
        n = len(data)
        bad = os.path.join(tmp, "bad.h5")
        png = os.path.join(tmp, "x.png")
        page = os.path.join(tmp, "x.html")

        def refused(*needles):
            expect_error(buurtlab("plot", bad, "-o", png), USAGE, bad, *needles)
            expect_error(buurtlab("report", work(REF), bad, "-o", page), USAGE, bad, *needles)

        for cut in (1024, n // 2, n - 1):
            with open(bad, "wb") as f:
                f.write(data[:cut])
            refused("truncated")
        with open(bad, "wb") as f:
            f.write(bytes(random.Random(3).randrange(256) for _ in range(4096)))
        refused("not an HDF5 file")
        with h5py.File(bad, "w") as f:
            f["trajectories"] = [[1.0, 2.0], [3.0, 4.0]]
            f.attrs["buurtlab_version"] = "0.1.0"
        refused("not a Buurtlab output")
        shutil.copy(work(REF), bad)
        with h5py.File(bad, "r+") as f:
            f.attrs["start_date"] = "yesterday"
        refused("damaged Buurtlab output, or another layout", "yesterday")
        shutil.copy(work(REF), bad)
        with h5py.File(bad, "r+") as f:
            del f["place_code"]
            f.create_dataset("place_code", shape=(200_000,), dtype=h5py.string_dtype())
        refused("it claims", "200000 places, more than a run can write")
        assert not os.path.exists(png) and not os.path.exists(page)


def time_points(path):
    import h5py

    with h5py.File(path, "r") as f:
        return len(f["time"])


def make_incomplete(path, written):
    """A copy of the reference output as a killed run leaves it (docs/output.md, 'Incomplete
    files'): status 'running', time points after `written` never flushed; None is all of them."""
    import h5py
    import numpy as np

    shutil.copy(work(REF), path)
    T = time_points(path)
    written = [T if n is None else n for n in written]
    with h5py.File(path, "r+") as f:
        f.attrs["status"] = "running"
        f.attrs["complete"] = np.int32(0)
        tw = f["ticks_written"]
        tw[...] = np.asarray(written, dtype=tw.dtype)
        for name, d in f.items():
            if getattr(d, "ndim", 0) == 3:
                for r, n in enumerate(written):
                    d[r, n:, :] = np.nan


def test_plot_incomplete_file_warns_and_draws():
    path = work("incomplete.h5")
    make_incomplete(path, [None, 20, 0])
    T = time_points(path)
    png = work("plot-incomplete.png")
    p = expect_ok(buurtlab("plot", path, "-o", png))
    assert "buurtlab: warning: " in p.stderr and path in p.stderr, show(p)
    assert "incomplete run" in p.stderr and "status 'running'" in p.stderr, show(p)
    assert f"1 of 3 replicates complete; replicate 2 has 20 of {T} time points" in p.stderr, \
        show(p)
    assert "1 replicate not started" in p.stderr, show(p)
    read_png(png)


def test_plot_of_a_killed_run():
    """A run killed mid-way (as by a batch system's time limit) leaves a file that holds the
    ticks up to its last flush; plot draws them and warns."""
    path = work("killed.h5")
    scenario = source("tests", "data", "python", "small-city.yaml")
    p = subprocess.Popen([BUURTLAB, "run", scenario, "-o", path, "--overwrite", "--threads", "1",
                          "--set", "duration=30 years", "--replicates", "1",
                          "--progress-every", "13"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        # Progress is reported after the flush of the same tick (flush_every is 13).
        deadline = time.monotonic() + 120
        for line in p.stderr:
            if re.search(r"tick (2[6-9]|[3-9][0-9]|[0-9]{3,})/", line):
                break
            assert time.monotonic() < deadline, "no progress from the run"
        p.kill()
        p.wait(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stderr.close()
    png = work("plot-killed.png")
    r = expect_ok(buurtlab("plot", path, "-i", "community_strength", "initiatives", "-o", png))
    assert path in r.stderr and "status 'running': still running, or killed" in r.stderr, show(r)
    m = re.search(r"replicate 1 has (\d+) of (\d+) time points", r.stderr)
    assert m and 26 <= int(m.group(1)) < int(m.group(2)), show(r)
    read_png(png)


def test_report_for_a_wijk():
    out = work("report-wijk.html")
    expect_ok(buurtlab("report", work(REF), work(LEVER), "--place", "WK999902", "-o", out))
    text = html.unescape(open(out, encoding="utf-8").read())
    assert "Zuid (wijk)" in text, "the report does not say which place it shows"


def test_report_for_a_buurt():
    # Indicators kept for wijken and the city only (local knowledge, staff) have no line at a
    # buurt: their charts get no legend rather than failing.
    out = work("report-buurt.html")
    expect_ok(buurtlab("report", work(REF), work(LEVER), "--place", "BU99990101", "-o", out))
    text = html.unescape(open(out, encoding="utf-8").read())
    assert "Haven (buurt)" in text, "the report does not say which place it shows"


def test_plot_and_report_help():
    for cmd in ("plot", "report"):
        for args in ([cmd, "--help"], ["help", cmd]):
            p = expect_ok(buurtlab(*args))
            assert f"usage: buurtlab {cmd}" in p.stdout, show(p)
    p = expect_ok(buurtlab("--help"))
    assert "plot" in p.stdout and "report" in p.stdout, show(p)


def test_missing_python_is_reported():
    p = buurtlab("plot", work(REF), "-o", work("x.png"),
                 env={"BUURTLAB_PYTHON": "/nonexistent/python3"})
    expect_error(p, FAILED, "cannot start Python", "/nonexistent/python3", "BUURTLAB_PYTHON")


# ------------------------------------------------------------------------------------------------
# report

class Page:
    """The parts of the report the tests look at, parsed with the standard library."""

    def __init__(self, text):
        from html.parser import HTMLParser

        self.text = text
        self.imgs, self.refs, self.tags, self.rows = [], [], set(), []
        page = self

        class P(HTMLParser):
            row = None
            cell = None

            def handle_starttag(self, tag, attrs):
                page.tags.add(tag)
                a = dict(attrs)
                if tag == "img":
                    page.imgs.append(a)
                for k in ("src", "href"):
                    if k in a:
                        page.refs.append(a[k])
                if tag == "tr":
                    self.row = []
                if tag in ("td", "th") and self.row is not None:
                    self.cell = []
                if tag == "br" and self.cell is not None:
                    self.cell.append(" ")

            def handle_endtag(self, tag):
                if tag in ("td", "th") and self.cell is not None:
                    self.row.append(" ".join("".join(self.cell).split()))
                    self.cell = None
                if tag == "tr" and self.row is not None:
                    page.rows.append(self.row)
                    self.row = None

            def handle_data(self, data):
                if self.cell is not None:
                    self.cell.append(data)

        P().feed(text)


def make_report():
    out = work("report.html")
    if not os.path.exists(out):
        p = expect_ok(buurtlab("report", work(REF), work(LEVER), "-o", out))
        assert "wrote" in p.stdout, show(p)
    return out


def test_report_is_self_contained_and_complete():
    path = make_report()
    text = open(path, encoding="utf-8").read()
    page = Page(text)
    # Self-contained: nothing is fetched, every image is inline.
    assert all(r.startswith("data:image/png;base64,") for r in page.refs), page.refs[:5]
    assert not ({"link", "script", "iframe", "object"} & page.tags), page.tags
    assert not re.search(r"(https?:)?//[a-z]", re.sub(r"data:[^\"']+", "", text)), \
        "a URL in the page"
    # Charts: one per indicator and the wijk small multiples.
    assert len(page.imgs) == len(REPORT_INDICATORS) + 1, [i.get("alt") for i in page.imgs]
    # Questions and what the lever scenario changes.
    for needle in ("Test city of two wijken", "Test city with more collective work",
                   "parameters.professionals.collective_share: 0.02 → 0.3",
                   "adds 2026-04-01 'budget cut': budget_change(change: -0.3)",
                   "Noord", "Zuid"):
        assert needle in html.unescape(text), f"{needle!r} not in the report"
    assert "procurement.tender_interval" not in text, "an unchanged parameter listed as changed"
    for name in REPORT_INDICATORS:
        assert any(r and r[0].startswith(name) for r in page.rows), f"no table row for {name}"


def shown_close(cell, shown, want):
    """`shown` (a number parsed from `cell`) is `want` rounded to the decimals the cell shows."""
    m = re.search(r"\.([0-9]+)", cell)
    places = len(m.group(1)) if m else 0
    return abs(shown - want) <= 0.5 * 10 ** -places * (1 + 1e-9) + 1e-15


def parse_number(cell):
    # The interval's bounds are separated by ", "; a bound may itself hold thousands separators
    # ("[-1,393.7, 1,754.8]").
    m = re.match(r"([+-]?[0-9][0-9,]*\.?[0-9]*(?:e[+-]?[0-9]+)?)\s*(?:\[(\S+), ([^\]]+)\])?",
                 cell)
    assert m, cell
    num = lambda s: float(s.replace(",", ""))  # noqa: E731
    return num(m.group(1)), (num(m.group(2)), num(m.group(3))) if m.group(2) else None


def test_report_numbers_match_the_files():
    """The comparison table, recomputed here from the HDF5 files with the textbook formulas."""
    from scipy import stats

    page = Page(open(make_report(), encoding="utf-8").read())
    for name in ("community_strength", "unmet_care_hours"):
        a, b = h5_values(work(REF), name), h5_values(work(LEVER), name)
        rows = [r for r in page.rows if any(c.startswith(name) for c in r[:1])]
        assert rows, name
        ref_row = rows[0]
        i = page.rows.index(ref_row)
        lever_row = page.rows[i + 1]
        # Cells: indicator, scenario, n, end, diff, mean, diff; the indicator cell spans the
        # scenarios' rows, so the second row starts with the scenario.
        end_ref, ci_ref = parse_number(ref_row[3])
        end_lever, _ = parse_number(lever_row[2])
        diff_end, ci_diff = parse_number(lever_row[3])
        mean_lever, _ = parse_number(lever_row[4])
        ea, eb = a[:, -1], b[:, -1]
        n = len(ea)
        half = stats.t.ppf(0.975, n - 1) * ea.std(ddof=1) / math.sqrt(n)
        # Within the rounding of the decimals each cell shows.
        assert shown_close(ref_row[3], end_ref, ea.mean()), (name, end_ref, ea.mean())
        assert shown_close(ref_row[3], ci_ref[0], ea.mean() - half) \
            and shown_close(ref_row[3], ci_ref[1], ea.mean() + half), ci_ref
        assert shown_close(lever_row[2], end_lever, eb.mean()), (name, end_lever, eb.mean())
        assert shown_close(lever_row[4], mean_lever, b[:, 1:].mean(axis=1).mean()), \
            (name, mean_lever)
        # The two runs share their seed, so replicate r of each is paired (common random
        # numbers): a t interval of the per-replicate differences.
        diffs = eb - ea
        w = stats.t.ppf(0.975, n - 1) * diffs.std(ddof=1) / math.sqrt(n)
        d = diffs.mean()
        assert shown_close(lever_row[3], diff_end, d), (name, diff_end, d)
        assert shown_close(lever_row[3], ci_diff[0], d - w) \
            and shown_close(lever_row[3], ci_diff[1], d + w), (name, ci_diff, d - w, d + w)
        va, vb = ea.var(ddof=1) / n, eb.var(ddof=1) / n
        assert w < stats.t.ppf(0.975, n - 1) * math.sqrt(va + vb), "paired is narrower here"
        assert f'title="paired interval ({n} pairs)"' in page.text, "the report says which interval"


def report_table(page, text=False):
    """{(indicator, scenario label): [n, end, end diff, mean, mean diff]} from the report's table,
    each value (number, interval or None); with `text`, the cells as shown."""
    table, indicator = {}, None
    for row in page.rows:
        if len(row) == 7:
            indicator = row[0].split()[0]
            row = row[1:]
        if len(row) != 6 or indicator is None or not row[1].isdigit():
            continue
        if text:
            table[(indicator, row[0])] = row[1:]
            continue
        cells = [parse_number(c) if c else None for c in row[2:]]
        table[(indicator, row[0])] = [int(row[1])] + cells
    return table


def check_against_compare(report_path, files, labels, extra=()):
    """The report's comparison table against `buurtlab compare --csv` on the same files: the
    two implement the same definitions (docs/ensembles.md), and label the files alike."""
    import csv

    page = Page(open(report_path, encoding="utf-8").read())
    table = report_table(page)
    texts = report_table(page, text=True)
    csv_path = report_path + ".compare.csv"
    p = expect_ok(buurtlab("compare", *files, "--indicator", ",".join(REPORT_INDICATORS),
                           "--csv", csv_path, *extra))
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows, show(p)
    checked = 0
    for r in rows:
        label = labels[files.index(r["file"])]
        assert r["label"] == label, (r["file"], r["label"], label)
        n, end, d_end, mean, d_mean = table[(r["indicator"], label)]
        # Each cell is rounded to the decimals the page shows (report.decimals_for).
        cells = texts[(r["indicator"], label)]
        close_end = lambda x, y: shown_close(cells[1 if r["statistic"] == "end" else 3], x, y)  # noqa: E731
        close_diff = lambda x, y: shown_close(cells[2 if r["statistic"] == "end" else 4], x, y)  # noqa: E731
        shown, diff = (end, d_end) if r["statistic"] == "end" else (mean, d_mean)
        where = f"{r['indicator']} {r['statistic']} {label}"
        assert n == int(r["replicates"]), (where, n, r["replicates"])
        assert close_end(shown[0], float(r["mean"])), (where, shown, r["mean"])
        if r["ci_low"]:
            assert shown[1] and close_end(shown[1][0], float(r["ci_low"])) \
                and close_end(shown[1][1], float(r["ci_high"])), (where, shown, r)
        if r["difference"]:
            assert close_diff(diff[0], float(r["difference"])), (where, diff, r["difference"])
            if r["difference_ci_low"]:
                assert diff[1] and close_diff(diff[1][0], float(r["difference_ci_low"])) \
                    and close_diff(diff[1][1], float(r["difference_ci_high"])), (where, diff, r)
        checked += 1
    assert checked == 2 * len(REPORT_INDICATORS) * len(files), checked


def test_report_agrees_with_compare():
    check_against_compare(make_report(), [work(REF), work(LEVER)], ["small-city", "small-city-cut"])
    # An unfinished run on top: both use the same replicates and ticks of it.
    path = work("incomplete-compare.h5")
    make_incomplete(path, [30, 40, 0])
    out = work("report-incomplete-compare.html")
    expect_ok(buurtlab("report", work(REF), path, "-o", out))
    text = html.unescape(open(out, encoding="utf-8").read())
    assert "statistics cover ticks 1-29" in text, "the report does not say it covers fewer ticks"
    check_against_compare(out, [work(REF), path],
                          [f"small-city ({work(REF)})", f"small-city ({path})"],
                          extra=["--allow-incomplete"])


def report_module():
    sys.path.insert(0, source("tools", "python"))
    from buurtlab_tools import report

    return report


def test_unit_report_number_format():
    r = report_module()
    # Four significant digits of the largest value of a group, no exponent, zeros kept.
    assert r.decimals_for([0.5280, 0.4379, 0.6182]) == 4
    assert r.decimals_for([-8.691e-05, -0.003386, 0.003212]) == 6
    assert r.decimals_for([48.69, -32.23, 129.6]) == 1
    assert r.decimals_for([1234.5, float("nan")]) == 0
    assert r.decimals_for([99.996]) == 1, "rounding up to 100.0 takes one digit more"
    assert r.decimals_for([0.0, float("nan")]) == 0
    assert r.fmt(0.528) == "0.5280" and r.fmt(-8.691e-05) == "-0.00008691"
    assert r.fmt(123456.7) == "123,457" and r.fmt(1234.5678) == "1,235"
    assert r.fmt(float("nan")) == "n/a" and r.fmt(None) == "n/a"
    # Differences are signed, and so are the bounds of their intervals; zero has no sign.
    assert r.fmt_signed(0.000191, 6) == "+0.000191" and r.fmt_signed(-0.0017, 6) == "-0.001700"
    assert r.fmt_signed(0.0, 4) == "0.0000" and r.fmt_signed(-0.00001, 2) == "0.00"
    assert r.interval(-0.001717, 0.002098, 6, signed=True) == "[-0.001717, +0.002098]"
    assert r.interval(0.4379, 0.6182, 4) == "[0.4379, 0.6182]"
    assert r.interval(float("nan"), 1.0) == ""
    assert r.fmt_count(12345) == "12,345" and r.fmt_count(3) == "3"


def test_report_formats_numbers_alike():
    """The comparison and wijk tables: no exponent notation anywhere; each indicator's column
    one number of decimals, shared by the values and their interval bounds; differences and
    their bounds signed."""
    page = Page(open(make_report(), encoding="utf-8").read())
    number = r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?"
    table = report_table(page, text=True)
    assert table, "no comparison table"
    columns = {}
    for (indicator, label), cells in table.items():
        assert re.fullmatch(r"[0-9][0-9,]*", cells[0]), cells
        for col, cell in enumerate(cells[1:], 1):
            if not cell:
                continue
            assert "e" not in cell.replace("n/a", ""), f"exponent notation: {cell!r}"
            nums = re.findall(number, cell)
            assert len(nums) in (1, 3), cell
            places = {len(x.split(".")[1]) if "." in x else 0 for x in nums}
            columns.setdefault((indicator, col), set()).update(places)
            if col in (2, 4):  # differences
                for x in nums:
                    assert x[0] in "+-" or float(x.replace(",", "")) == 0, \
                        f"an unsigned difference in {cell!r}"
            else:
                assert "+" not in cell, f"a signed mean in {cell!r}"
    for key, places in columns.items():
        assert len(places) == 1, f"{key}: cells with {sorted(places)} decimals"
    wijk_rows = [r for r in page.rows if r and re.search(r"\(WK\d+\)$", r[0])]
    assert len(wijk_rows) == 2, page.rows[-4:]
    places = {len(c.split(".")[1]) for r in wijk_rows for c in r[1:] if "." in c}
    assert len(places) == 1 and all(c[0] in "+-" for r in wijk_rows for c in r[1:]), wijk_rows


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise Skip("chromium is not installed (Debian package 'chromium')")


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--no-first-run", "--disable-extensions", "--hide-scrollbars"]

# Appended to a copy of the report: after the page has loaded, writes what the browser made of
# each image, and any resource it fetched, into the DOM for --dump-dom to show.
CHECK_SCRIPT = """
<script>
window.addEventListener("load", function () {
  var imgs = Array.prototype.map.call(document.images, function (i) {
    return {alt: i.alt, complete: i.complete, w: i.naturalWidth, h: i.naturalHeight,
            shown: i.getBoundingClientRect().width};
  });
  var fetched = performance.getEntriesByType("resource").map(function (r) { return r.name; });
  var pre = document.createElement("pre");
  pre.id = "render-check";
  pre.textContent = JSON.stringify({imgs: imgs, fetched: fetched});
  document.body.appendChild(pre);
});
</script>
"""


def test_report_renders_in_chromium():
    browser = chromium()
    path = make_report()
    checked = work("report-check.html")
    text = open(path, encoding="utf-8").read()
    with open(checked, "w", encoding="utf-8") as f:
        f.write(text.replace("</body>", CHECK_SCRIPT + "</body>"))
    with tempfile.TemporaryDirectory() as profile:
        flags = CHROMIUM_FLAGS + [f"--user-data-dir={profile}", "--window-size=1280,900"]
        p = subprocess.run([browser, *flags, "--virtual-time-budget=10000", "--dump-dom",
                            "file://" + checked], capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, show(p)
    m = re.search(r'<pre id="render-check">(.*?)</pre>', p.stdout, re.S)
    assert m, "the check script did not run\n" + p.stdout[-2000:] + p.stderr[-2000:]
    result = json.loads(html.unescape(m.group(1)))
    imgs = result["imgs"]
    assert len(imgs) == len(REPORT_INDICATORS) + 1, imgs
    for i in imgs:
        assert i["complete"] and i["w"] > 300 and i["h"] > 150 and i["shown"] > 100, \
            f"image not rendered: {i}"
    assert result["fetched"] == [], f"the page fetched {result['fetched']}"

    # A screenshot of the whole page, kept in the build tree for a person to look at.
    shot = work("report-screenshot.png")
    if os.path.exists(shot):
        os.remove(shot)
    with tempfile.TemporaryDirectory() as profile:
        flags = CHROMIUM_FLAGS + [f"--user-data-dir={profile}", "--window-size=1280,4200"]
        p = subprocess.run([browser, *flags, f"--screenshot={shot}", "file://" + path],
                           capture_output=True, text=True, timeout=180)
    assert p.returncode == 0 and os.path.exists(shot), show(p)
    import numpy as np

    img = read_png(shot)
    ink = np.mean(np.any(img[:, :, :3] < 0.9, axis=2))
    assert ink > 0.02, f"the screenshot is almost blank ({ink:.3f} of pixels not white)"
    print(f"     screenshot: {shot}")


def test_report_errors():
    with tempfile.TemporaryDirectory() as tmp:
        notes = os.path.join(tmp, "notes.txt")
        with open(notes, "w") as f:
            f.write("hello\n")
        expect_error(buurtlab("report", work(REF), notes, "-o", os.path.join(tmp, "r.html")),
                     USAGE, notes, "not a Buurtlab output")
        expect_error(buurtlab("report", work(REF), "-o", os.path.join(tmp, "r.pdf")), USAGE,
                     "unknown format", "try 'buurtlab report --help'")
        expect_error(buurtlab("report", work(REF), "--place", "XX", "-o",
                              os.path.join(tmp, "r.html")), USAGE, "no place with code 'XX'")
        assert not os.path.exists(os.path.join(tmp, "r.html"))


def test_report_of_incomplete_file_says_so():
    path = work("incomplete-report.h5")
    make_incomplete(path, [None, None, 30])
    out = work("report-incomplete.html")
    p = expect_ok(buurtlab("report", work(REF), path, "-o", out))
    assert "incomplete run" in p.stderr, show(p)
    text = open(out, encoding="utf-8").read()
    assert "incomplete run" in text and "2 of 3 replicates complete" in text
    page = Page(text)
    row = [r for r in page.rows if r and r[0].startswith(f"small-city ({path})")]
    assert row and row[0][1] == "2", f"n should count the 2 complete replicates: {row}"


# ------------------------------------------------------------------------------------------------
# docs/output.md examples

def doc_blocks(lang):
    text = open(source("docs", "output.md"), encoding="utf-8").read()
    return re.findall(r"```" + lang + r"\n(.*?)```", text, re.S)


def test_docs_python_examples():
    blocks = doc_blocks("python")
    assert len(blocks) >= 3, "docs/output.md lost its Python examples"
    for k, code in enumerate(blocks):
        p = subprocess.run([sys.executable, "-c", code], cwd=work("docs"), capture_output=True,
                           text=True, timeout=300)
        assert p.returncode == 0, f"example {k + 1} of docs/output.md failed:\n{code}\n" + show(p)
        assert "Warning" not in p.stderr, f"example {k + 1} warns:\n" + show(p)


def test_docs_r_example():
    rscript = shutil.which("Rscript")
    if not rscript:
        raise Skip("Rscript is not installed (Debian packages r-base-core, r-bioc-rhdf5)")
    probe = subprocess.run([rscript, "-e", "library(rhdf5)"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise Skip("R has no rhdf5 (Debian package r-bioc-rhdf5)")
    blocks = doc_blocks("r")
    assert len(blocks) == 1, "docs/output.md should have one R example"
    p = subprocess.run([rscript, "-e", blocks[0]], cwd=work("docs"), capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, show(p)
    assert "default" in p.stdout and "community_strength" in p.stdout, show(p)


# ------------------------------------------------------------------------------------------------
# Workshop figures

def test_workshop_figures_small():
    out = work("workshop")
    if os.path.exists(out):
        shutil.rmtree(out)
    script = source("tools", "python", "workshop_figures.py")
    p = subprocess.run([sys.executable, script, "--buurtlab", BUURTLAB, "--out", out,
                        "--runs", work("workshop-runs"), "--duration", "2 years",
                        "--replicates", "2", "--population-scale", "0.1"],
                       capture_output=True, text=True, timeout=1200)
    assert p.returncode == 0, show(p)
    made = sorted(os.listdir(out))
    pngs = [f for f in made if f.endswith(".png")]
    assert len(pngs) >= 4, made
    for f in pngs:
        read_png(os.path.join(out, f))
    numbers = json.load(open(os.path.join(out, "numbers.json"), encoding="utf-8"))
    assert len(numbers["cards"]) == 5, numbers.keys()
    # Shares of events in the last year (complaints handled, urgent lettings, owners moving out)
    # have no value in a buurt of 110 residents where none happened: those may be NaN.
    of_events = {"complaints_handled_share", "urgent_lettings_share", "move_out_rate_owner"}
    for card in numbers["cards"]:
        for row in card["indicators"]:
            if card.get("place") and row["indicator"] in of_events:
                continue
            assert math.isfinite(row["reference_end"]), (card["id"], row)
    assert [c["place"] for c in numbers["cards"]] == [None, None, None, None, "W01-B1"]
    assert numbers["settings"]["duration"] == "2 years"


# ------------------------------------------------------------------------------------------------

def main():
    global BUURTLAB, WORK, SOURCE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--buurtlab", required=True, help="the buurtlab program")
    ap.add_argument("--work", required=True, help="folder for outputs and artifacts")
    ap.add_argument("--source", required=True, help="the source tree")
    ap.add_argument("--setup", action="store_true", help="write the outputs the tests read")
    ap.add_argument("-k", action="append", default=[], help="run only this test (repeatable)")
    args = ap.parse_args()
    BUURTLAB, WORK, SOURCE = (os.path.abspath(args.buurtlab), os.path.abspath(args.work),
                              os.path.abspath(args.source))
    if args.setup:
        t0 = time.monotonic()
        setup()
        print(f"ok   setup ({time.monotonic() - t0:.1f} s)")
        print("1 passed, 0 failed")
        return 0

    tests = [(n, f) for n, f in globals().items() if n.startswith("test_") and callable(f)]
    if args.k:
        unknown = set(args.k) - {n for n, _ in tests}
        if unknown:
            print("unknown tests:", ", ".join(sorted(unknown)))
            return 2
        tests = [(n, f) for n, f in tests if n in args.k]

    passed = failed = skipped = 0
    for name, fn in tests:
        t0 = time.monotonic()
        try:
            fn()
        except Skip as e:
            skipped += 1
            print(f"skip {name}: {e}")
        except Exception:  # noqa: BLE001 -- report any failure and go on with the next test
            failed += 1
            print(f"FAIL {name} ({time.monotonic() - t0:.1f} s)")
            traceback.print_exc()
        else:
            passed += 1
            print(f"ok   {name} ({time.monotonic() - t0:.1f} s)")
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    if failed:
        return 1
    return SKIPPED if skipped and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
