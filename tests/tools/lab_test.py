"""Tests of `buurtlab lab`, the workshop web app, in a real browser.

Starts the lab on a free port on 127.0.0.1, drives its page in headless Chromium (Selenium with
Debian's chromium-driver) as a facilitator would: choose a card, move a slider, run, wait for the
chart; then checks that the numbers the page shows are those of `buurtlab run` for the same
scenario and seed, that the HDF5 file it offers holds the same bits, that the chart is drawn, and
that the server answers nobody but its own page. Uses cli_test.py's runner:

    lab_test.py --cli path/to/buurtlab-testcli --data tests/data/cli [-k test_name]...
"""

import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test as base  # noqa: E402 -- the runner and helpers; base.CLI is set by main()
from cli_test import OK, h5py, run, show  # noqa: E402

SCENARIO_RED = (0xC0, 0x39, 0x2B)  # the page's colour for "this run" (app.js COLOURS)
BASELINE_GREY = (0x5F, 0x6B, 0x75)


# ------------------------------------------------------------------------------------------------
# Helpers

class Lab:
    """A running `buurtlab lab` in its own output folder; stopped with SIGINT on exit."""

    def __init__(self, *extra, out_dir=None):
        self.out_dir = out_dir or os.path.join(tempfile.mkdtemp(prefix="buurtlab_lab_"), "runs")
        self.proc = subprocess.Popen([base.CLI, "lab", "--port", "0", "--output-dir", self.out_dir,
                                      *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.proc.kill()
            raise AssertionError(f"no address printed: {line!r} {self.proc.stderr.read()}")
        self.port = int(m.group(1))
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise AssertionError("the lab did not stop within 30 s of Ctrl-C")

    def request(self, path, data=None, headers=None):
        """(status, parsed JSON or bytes) of a request to the lab."""
        body = None if data is None else urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.url + path, data=body, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw, status, kind = r.read(), r.status, r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            raw, status, kind = e.read(), e.code, e.headers.get("Content-Type", "")
        return status, (json.loads(raw) if kind.startswith("application/json") else raw)


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1800",
              "--disable-dev-shm-usage"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def wait_for(driver, script, timeout=180, what="the page"):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        v = driver.execute_script(script)
        if v:
            return v
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def move_slider(driver, lever_id, steps):
    """Moves a range input by keyboard, as a user would: + steps to the right, - to the left."""
    from selenium.webdriver.common.keys import Keys

    el = driver.find_element("id", lever_id)
    el.click()
    # A click lands on the slider's middle and may move it: put it back to where it was first.
    key = Keys.ARROW_RIGHT if steps > 0 else Keys.ARROW_LEFT
    for _ in range(abs(steps)):
        el.send_keys(key)
    return el.get_attribute("value")


def city_means(path, indicator, place):
    """{'end', 'run'}: means over replicates of the last value and of each replicate's mean over
    all time points, at `place` (a code), from an output file, as the lab defines them."""
    with h5py().File(path, "r") as f:
        codes = [c.decode() if isinstance(c, bytes) else c for c in f["place_code"][:]]
        p = codes.index(place)
        v = f[indicator][:, :, p]  # replicate x time
    end = sum(float(x) for x in v[:, -1]) / v.shape[0]
    run_mean = sum(float(x.mean()) for x in v) / v.shape[0]
    return {"end": end, "run": run_mean}


def close(a, b, rel=1e-12):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def colour_pixels(png, rgb, tol=40):
    """Pixels of a PNG within `tol` of colour `rgb` (alpha-blended bands count when close)."""
    import io

    import matplotlib.image as mpimg
    img = mpimg.imread(io.BytesIO(png), format="png")[:, :, :3] * 255
    d = abs(img - rgb).max(axis=2)
    return int((d <= tol).sum())


# ------------------------------------------------------------------------------------------------
# Tests

def test_browser_card_run_matches_the_command_line():
    """A facilitator's path: card 3 (budget cut), slider moved to -30%, 2 replicates, Run. The
    chart grows and is drawn with a marker where the cut starts; the table's numbers equal those
    computed from `buurtlab run` with the same settings and seed; the offered HDF5 file holds the
    command line's bits; the SVG export is a drawing of the charts."""
    with Lab() as lab:
        d = browser()
        try:
            d.get(lab.url + "/")
            wait_for(d, "return document.body.dataset.ready === 'true'", 30, "the page to load")
            d.execute_script("document.getElementById('lang').value='en';"
                             "document.getElementById('lang').dispatchEvent(new Event('change'))")
            wait_for(d, "return document.getElementById('run').textContent === 'Run'", 10,
                     "English texts")
            d.find_element("id", "card-budget").click()
            wait_for(d, "return document.getElementById('lever-budget_change') !== null", 10,
                     "the budget card's levers")
            start = d.find_element("id", "lever-budget_change").get_attribute("value")
            assert start == "-0.25", start
            # One step of 0.05 to the left: -0.3. (Keyboard steps are exact; a drag is not.)
            from selenium.webdriver.common.keys import Keys
            slider = d.find_element("id", "lever-budget_change")
            slider.send_keys(Keys.ARROW_LEFT)
            assert slider.get_attribute("value") == "-0.3", slider.get_attribute("value")
            shown = d.find_element("id", "lever-budget_change-value").text
            assert shown == "-30%", shown
            reps = d.find_element("id", "replicates")
            for _ in range(3):
                reps.send_keys(Keys.ARROW_LEFT)  # 5 -> 2
            assert reps.get_attribute("value") == "2", reps.get_attribute("value")
            d.find_element("id", "run").click()
            # The chart grows while the model runs: some but not all time points drawn.
            wait_for(d, "return document.querySelectorAll('#charts svg polyline.line.scenario')"
                        ".length > 0", 180, "the scenario's line to appear")
            wait_for(d, "return document.querySelectorAll('#summary td[data-value]').length > 0",
                     240, "the table of numbers")
            assert d.find_element("id", "status").text == "Done.", d.find_element("id", "status").text
            # Where the cut starts: a dashed marker in every chart.
            markers = d.execute_script("return document.querySelectorAll('#charts line.marker').length")
            charts = d.execute_script("return document.querySelectorAll('#charts svg').length")
            assert charts == 5 and markers == charts, (charts, markers)
            cells = d.execute_script(
                "return Array.from(document.querySelectorAll('#summary td[data-value]')).map(c =>"
                " [c.dataset.indicator, c.dataset.place, c.dataset.stat, c.dataset.series,"
                "  c.dataset.value, c.textContent])")
            png = d.find_element("id", "chart-community_strength").screenshot_as_png
            href = d.find_element("id", "download-scenario").get_attribute("href")
            base_href = d.find_element("id", "download-baseline").get_attribute("href")
            commands = d.find_element("id", "commands").get_attribute("textContent")
            svg = d.execute_script("return figureSvg()")
        finally:
            d.quit()

        # The command line, same scenario, lever, replicates and seed.
        tmp = tempfile.mkdtemp(prefix="buurtlab_lab_cli_")
        cli_scen, cli_base = os.path.join(tmp, "cut.h5"), os.path.join(tmp, "baseline.h5")
        p = run("run", "builtin:cuts-2015.yaml", "--set", "timeline.0.args.change=-0.3",
                "--set", "timeline.0.at=2027-01-01", "--replicates", "2", "--seed", "1", "-q",
                "-o", cli_scen, timeout=300)
        assert p.returncode == OK, show(p)
        p = run("run", "builtin:baseline.yaml", "--replicates", "2", "--seed", "1", "-q",
                "-o", cli_base, timeout=300)
        assert p.returncode == OK, show(p)
        # The page names the same runs in its "repeat on the command line" box.
        assert "buurtlab run builtin:cuts-2015.yaml --set timeline.0.args.change=-0.3 " \
               "--set timeline.0.at=2027-01-01 --replicates 2 --seed 1" in commands, commands
        assert "buurtlab run builtin:baseline.yaml --replicates 2 --seed 1" in commands, commands

        checked = 0
        for ind, place, stat, series, value, text in cells:
            if series == "difference":
                continue
            want = city_means(cli_scen if series == "scenario" else cli_base, ind, place)[stat]
            got = json.loads(value)
            assert close(got, want), (ind, place, stat, series, got, want)
            # The text shown is that number, rounded as the page rounds (a share as a percentage
            # with one decimal, a 0-1 scale with three, else three significant digits).
            shown = float(text.replace("%", "").replace(",", ""))
            scale = 100 if text.endswith("%") else 1
            digits = len(text.split(".")[1].rstrip("%")) if "." in text else 0
            assert abs(shown - want * scale) <= 0.5 * 10 ** -digits * 1.0001 + 1e-9 * abs(want) \
                or (digits == 0 and abs(shown - want * scale) <= 0.5), (ind, text, want)
            checked += 1
        assert checked == 5 * 2 * 2, checked  # indicators x (end, run) x (baseline, scenario)

        # The HDF5 files the page offers are the command line's, value for value.
        import numpy as np
        for url, cli in ((href, cli_scen), (base_href, cli_base)):
            status, raw = lab.request(url[len(lab.url):])
            assert status == 200, status
            got = os.path.join(tmp, "page.h5")
            with open(got, "wb") as f:
                f.write(raw)
            with h5py().File(got, "r") as a, h5py().File(cli, "r") as b:
                assert a.attrs["status"] in (b"complete", "complete"), a.attrs["status"]
                for name in ("community_strength", "professionals_fte", "waiting_list",
                             "collective_hours", "institutional_trust_mean", "population"):
                    x, y = a[name][:], b[name][:]
                    assert x.shape == y.shape and np.array_equal(x, y, equal_nan=True), name

        # The chart is drawn: lines of both colours in the screenshot.
        red, grey = colour_pixels(png, SCENARIO_RED), colour_pixels(png, BASELINE_GREY)
        assert red > 300 and grey > 300, (red, grey)
        # The export holds every chart, with its title.
        assert svg.startswith("<svg") and svg.count("polyline") >= 10, svg[:200]
        assert "Community strength" in svg
        # ... and says what it shows: the card, the lever as set, the runs, what red is.
        assert "3 A budget cut" in svg and "-30%" in svg and "2 runs, seed 1" in svg, svg[:600]
        assert "Red: this run." in svg


def test_browser_language_and_stop():
    """The page speaks Dutch on request (card, lever and chart texts), Stop ends a run early with
    its file marked interrupted, and a lab that stops during a run is noticed by the page."""
    with Lab() as lab:
        d = browser()
        try:
            d.get(lab.url + "/#tendering")
            wait_for(d, "return document.body.dataset.ready === 'true'", 30, "the page to load")
            d.execute_script("document.getElementById('lang').value='nl';"
                             "document.getElementById('lang').dispatchEvent(new Event('change'))")
            wait_for(d, "return document.getElementById('run').textContent === 'Draaien'", 10,
                     "Dutch texts")
            title = d.find_element("id", "card-title").text
            assert title == "1 Het welzijnscontract opnieuw aanbesteden", title
            lever = d.find_element("id", "lever-tender_interval-value").text
            assert lever == "elke 2 jaar", lever
            d.find_element("id", "run").click()
            wait_for(d, "return !document.getElementById('stop').disabled", 20, "a running run")
            time.sleep(1.0)
            d.find_element("id", "stop").click()
            wait_for(d, "return document.getElementById('status').textContent"
                        ".startsWith('Gestopt.')", 120, "the run to stop")
            assert not d.find_element("id", "run").get_attribute("disabled")
            # The status follows a language switch too.
            d.execute_script("document.getElementById('lang').value='en';"
                             "document.getElementById('lang').dispatchEvent(new Event('change'))")
            wait_for(d, "return document.getElementById('status').textContent"
                        ".startsWith('Stopped.')", 10, "the status in English")
            # A run in progress when the lab itself stops: the page says the lab is gone and
            # gives the controls back, rather than wait for ever.
            d.find_element("id", "run").click()
            wait_for(d, "return !document.getElementById('stop').disabled", 20, "a second run")
            lab.proc.send_signal(signal.SIGINT)
            lab.proc.wait(timeout=60)
            # Either the run's last event arrived (stopped, files marked) or the stream broke.
            wait_for(d, "const t = document.getElementById('status').textContent;"
                        "return t === 'The connection to the lab was lost.' || t.startsWith('Stopped.')",
                     30, "the page to notice")
            assert not d.find_element("id", "run").get_attribute("disabled")
        finally:
            d.quit()
        files = sorted(os.listdir(lab.out_dir))
        assert files[0] == "0001-tendering-baseline.h5", files
        with h5py().File(os.path.join(lab.out_dir, files[0]), "r") as f:
            status = f.attrs["status"]
            assert status in (b"interrupted", "interrupted"), status


def test_server_answers_only_its_own_page():
    """Loopback only, its own Host name, POSTs only from its own origin, no file but its own."""
    with Lab() as lab:
        status, body = lab.request("/api/info")
        assert status == 200 and [c["id"] for c in body["cards"]][:5] == \
            ["tendering", "collective", "budget", "energy", "housing"], body
        # A DNS name pointed at 127.0.0.1 by another site (DNS rebinding) is refused.
        status, _ = lab.request("/api/info", headers={"Host": "evil.example:%d" % lab.port})
        assert status == 403, status
        # Another site open in the same browser cannot start runs.
        status, _ = lab.request("/api/runs", {"card": "budget"},
                                headers={"Origin": "http://evil.example"})
        assert status == 403, status
        # Only the page's own files; no path reaches the disk.
        for path in ("/assets/../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd",
                     "/etc/passwd", "/api/runs/0001/file/scenario", "/api/runs/1/file/../x"):
            status, _ = lab.request(path)
            assert status in (400, 404), (path, status)


def test_bad_requests_say_what_was_expected():
    """Every problem at once, naming the field, the value and what was expected; limits hold."""
    with Lab("--max-replicates", "3", "--max-residents", "1000") as lab:
        status, body = lab.request("/api/runs", {"card": "budget", "lever.budget_change": "9",
                                                 "replicates": "4", "seed": "x",
                                                 "lever.tender_interval": "2"})
        assert status == 400, (status, body)
        errs = body["errors"]
        assert "lever budget_change: '9' is not a number from -0.5 to 0.25" in errs, errs
        assert "replicates: '4' is not a whole number from 1 to 3" in errs, errs
        assert "seed: 'x' is not a whole number" in errs, errs
        assert "lever.tender_interval: not a lever of card budget" in errs, errs
        status, body = lab.request("/api/runs", {"card": "nope"})
        assert status == 400 and "expected one of tendering" in body["errors"][0], body
        # The baseline wijk has 5,000 residents: more than this lab's limit.
        status, body = lab.request("/api/runs", {"card": "budget"})
        assert status == 413, (status, body)
        assert "more than the lab's limit of 1000 (--max-residents)" in body["errors"][0], body
        assert os.listdir(lab.out_dir) == [], os.listdir(lab.out_dir)


def test_one_run_at_a_time_and_files_never_replaced():
    """A second run while one is in progress is refused (--max-runs 1); a new lab in the same
    folder numbers its files after the existing ones."""
    with Lab() as lab:
        status, body = lab.request("/api/runs", {"card": "tendering", "replicates": "1"})
        assert status == 202, (status, body)
        status, body = lab.request("/api/runs", {"card": "tendering", "replicates": "1"})
        assert status == 429 and "stop it or wait" in body["errors"][0], (status, body)
        status, _ = lab.request("/api/runs/0001/stop", {})
        assert status == 202, status
        out_dir = lab.out_dir
    with open(os.path.join(out_dir, "0007-mine.h5"), "w") as f:
        f.write("not the lab's")
    with Lab(out_dir=out_dir) as lab:
        status, body = lab.request("/api/runs", {"card": "tendering", "replicates": "1"})
        assert status == 202 and body["id"] == "0008", (status, body)
        lab.request("/api/runs/0008/stop", {})
    with open(os.path.join(out_dir, "0007-mine.h5")) as f:
        assert f.read() == "not the lab's"


def main():
    return base.run_tests(globals(), __doc__)


if __name__ == "__main__":
    sys.exit(main())
