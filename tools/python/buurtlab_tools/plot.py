"""`buurtlab plot`: indicator time series from one or more output files.

One panel per indicator; in each, one line per file and place: the median over replicates with a
shaded 5-95% band. Several files on one chart compare scenarios (the legend names each by its
scenario, and files of one scenario, such as sweep points, by the values that differ, as
`buurtlab compare` labels them: labels.py). Places are chosen by code (--place) or by level
(--level: every place of that level).
"""

import argparse
import csv
import math
import os
import re
import subprocess
import sys
import textwrap
import warnings

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np

from . import charts, labels, stats
from .cli import Parser, UsageError, check_output_path
from .results import LEVELS, Output, ToolError, open_outputs, unique_labels

FORMATS = (".png", ".svg", ".pdf")
DEFAULT_INDICATOR = "community_strength"

DESCRIPTION = """\
Draws indicator time series from Buurtlab output files: the median over replicates with a
5-95% band, one panel per indicator. Several files on one chart compare scenarios; the legend
names each by its scenario, and files that share a scenario name (the points of a sweep) by the
values that differ between them, as 'buurtlab compare' labels them. Without --place or --level
the city is shown.

examples:
  buurtlab plot baseline.h5 -o baseline.png
  buurtlab plot baseline.h5 cuts-2015.h5 --indicator community_strength unmet_care_hours -o cuts.png
  buurtlab plot nijmegen.h5 --level wijk --indicator social_trust_mean -o wijken.png
  buurtlab plot nijmegen.h5 --places buurt --top 12 -i social_trust_mean -o buurten.png
  buurtlab plot --sweep out/tenders -i local_knowledge_mean --x tender_interval -o sweep.png

--places LEVEL draws one small panel per wijk or buurt (every one, or with --top N the N that
differ most from the city: the largest mean over the run of the absolute difference between the
place's and the city's means over replicates). --sweep DIR draws a sweep's outcome: for each
point, the mean over replicates of the indicator's value at the end of the run (or its mean over
the run, --statistic mean) with a 95% t interval, against the values of one varied key (--x),
one line per combination of the other keys' values.

An unfinished run (stopped or killed) is drawn as far as it got, with a warning.
Exit codes: 0 success, 1 failure, 2 usage error or a file that cannot be used."""


def make_parser():
    p = Parser("plot", description=DESCRIPTION,
               formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="*", metavar="FILE.h5", help="output files of 'buurtlab run'")
    p.add_argument("--indicator", "-i", action="extend", nargs="+", metavar="NAME", default=[],
                   help=f"indicator to draw (repeatable; default {DEFAULT_INDICATOR})")
    p.add_argument("--place", "-p", action="extend", nargs="+", metavar="CODE", default=[],
                   help="place code, e.g. W01-B1 or WK026801 (repeatable)")
    p.add_argument("--level", "-l", choices=LEVELS,
                   help="every place of this level")
    p.add_argument("--output", "-o", required=True, metavar="FILE",
                   help="image to write: .png, .svg or .pdf")
    p.add_argument("--title", metavar="TEXT", help="title above the chart")
    p.add_argument("--label", action="append", default=[], metavar="TEXT",
                   help="legend label of a file, in the order of the files (repeatable)")
    p.add_argument("--ylim", action="append", default=[], metavar="[NAME=]LOW:HIGH",
                   help="fixed vertical axis, for every panel or for indicator NAME (repeatable); "
                        "an empty end stays free, e.g. 0: or NAME=:1")
    p.add_argument("--from-zero", action="store_true",
                   help="start every vertical axis at 0 (or end it there, for negative values), "
                        "so that small changes are not drawn as steep trends")
    p.add_argument("--events", action="store_true",
                   help="mark the timeline events of the files' scenarios (where a lever starts) "
                        "with a dashed line and their labels")
    g = p.add_argument_group("one panel per place")
    g.add_argument("--places", choices=("wijk", "buurt"), metavar="LEVEL",
                   help="small multiples: one small panel per place of LEVEL (wijk or buurt) in a "
                        "grid with shared axes, the city's median as a thin grey line in each; "
                        "one indicator")
    g.add_argument("--top", type=int, metavar="N",
                   help="with --places: only the N places that differ most from the city, most "
                        "different first: the largest " + TOP_RULE + " (in the first file)")
    g = p.add_argument_group("a sweep: an outcome against a swept value")
    g.add_argument("--sweep", metavar="DIR",
                   help="the folder of 'buurtlab sweep' instead of files: the indicator's mean over "
                        "replicates with its 95%% interval against a varied key's values, one line "
                        "per combination of the other keys' values (in a grid)")
    g.add_argument("--x", metavar="KEY",
                   help="with --sweep: the varied key on the horizontal axis, in full or by its "
                        "last part (default: the first --vary key)")
    g.add_argument("--statistic", choices=tuple(STATISTICS), default="end",
                   help="with --sweep: each replicate's value at the end of the run (default) or "
                        "its mean over the run (ticks 1 to the end)")
    return p


def parse_ylims(specs, indicators):
    """{indicator or None (all): (low or None, high or None)} from --ylim values."""
    out = {}
    for spec in specs:
        name, _, rng = spec.rpartition("=")
        if name and name not in indicators:
            raise ToolError(f"--ylim {spec}: {name} is not an indicator drawn here "
                            f"({', '.join(indicators)})", 2)
        low, sep, high = rng.partition(":")
        try:
            if not sep:
                raise ValueError
            lo = float(low) if low.strip() else None
            hi = float(high) if high.strip() else None
        except ValueError:
            raise ToolError(f"--ylim {spec}: expected [NAME=]LOW:HIGH with numbers, e.g. 0:1", 2) \
                from None
        if lo is not None and hi is not None and not lo < hi:
            raise ToolError(f"--ylim {spec}: LOW must be below HIGH", 2)
        out[name or None] = (lo, hi)
    return out


def timeline_events(out):
    """(date, label) of each timeline event of the file's scenario, in order."""
    import numpy as np

    events = []
    for e in out.scenario().get("timeline") or []:
        if not isinstance(e, dict) or "at" not in e:
            continue
        try:
            at = np.datetime64(str(e["at"])[:10], "s")
        except ValueError:
            continue
        label = str(e.get("label") or e.get("call") or "event")
        events.append((at, label))
    return events


def place_label(out, i):
    code, name = out.codes[i], out.names[i]
    return code if not name or name == code else f"{name} ({code})"


def select_places(outs, codes, level):
    """For each file, the place indices to draw. Problems in all files are reported together."""
    problems, chosen = [], []
    for out in outs:
        idx = []
        for code in codes:
            try:
                idx.append(out.place_of(code))
            except ToolError as e:
                problems.append(str(e))
        if level:
            at = out.places_at(level)
            if not at:
                problems.append(f"{out.path}: no places at level '{level}' (levels in this file: "
                                + ", ".join(sorted(set(out.levels))) + ")")
            idx += [i for i in at if i not in idx]
        if not codes and not level:
            idx = out.places_at("city")[:1] or [0]
        chosen.append(idx)
    if problems:
        raise ToolError("\n".join(problems))
    return chosen


def check_indicators(outs, names):
    problems = []
    for out in outs:
        for name in names:
            try:
                out.require_indicator(name)
            except ToolError as e:
                problems.append(str(e))
    if problems:
        raise ToolError("\n".join(problems))


def draw(outs, indicators, places, title=None, file_labels=None, ylims=None, from_zero=False,
         events=None):
    """The figure: one panel per indicator, one line (and band) per file and place."""
    labels = list(file_labels) if file_labels else unique_labels(outs)
    n_places = max(len(p) for p in places)
    many_files = len(outs) > 1
    # One legend entry per line: the file's label (and the place, if several), or the place.
    legend_texts = [labels[f] + (f": {place_label(out, i)}" if n_places > 1 else "")
                    if many_files else place_label(out, i)
                    for f, out in enumerate(outs) for i in places[f]]
    legend_cols, legend_texts, legend_lines = charts.fit_legend(legend_texts, 9.5, 9, 3)
    legend_h = 0.2 * legend_lines + 0.15
    panel_h = 2.8
    fig = plt.figure(layout="constrained",
                     figsize=(10, 0.9 + legend_h + panel_h * len(indicators)))
    # The legend gets a row of its own above the panels, so that it never covers a line.
    grid = fig.add_gridspec(len(indicators) + 1, 1,
                            height_ratios=[legend_h] + [panel_h] * len(indicators))
    legend_ax = fig.add_subplot(grid[0])
    legend_ax.axis("off")
    axes = [fig.add_subplot(grid[1])]
    axes += [fig.add_subplot(grid[k + 1], sharex=axes[0]) for k in range(1, len(indicators))]
    notes = []
    for row, name in enumerate(indicators):
        ax = axes[row]
        units, long_name = outs[0].indicator_info(name)
        line = 0
        for f, out in enumerate(outs):
            values = out.read(name, places[f])
            for k, i in enumerate(places[f]):
                if many_files:
                    colour = charts.COLOURS[f % len(charts.COLOURS)]
                    style = charts.STYLES[k % len(charts.STYLES)]
                else:
                    colour = charts.COLOURS[k % len(charts.COLOURS)]
                    style = charts.STYLES[(k // len(charts.COLOURS)) % len(charts.STYLES)]
                drawn = charts.draw_band(ax, out.dates, values[:, :, k], colour,
                                         legend_texts[line] if row == 0 else None, style)
                line += 1
                if not drawn:
                    notes.append(f"{out.path}: {name} has no values for {place_label(out, i)}")
        charts.panel_title(ax, name, units, long_name)
        charts.format_time_axis(ax)
        low, high = ax.get_ylim()
        if from_zero:
            low, high = (0.0, high) if high > 0 else (low, 0.0)
        lim = (ylims or {}).get(name, (ylims or {}).get(None))
        if lim:
            low = lim[0] if lim[0] is not None else low
            high = lim[1] if lim[1] is not None else high
        ax.set_ylim(low, high)
        for at, text in events or []:
            ax.axvline(at, color="#555555", linestyle="--", linewidth=1)
            if row == 0:
                ax.annotate(text, (at, 1), xycoords=("data", "axes fraction"), xytext=(3, -3),
                            textcoords="offset points", va="top", fontsize=8, color="#333333")
        if row < len(indicators) - 1:
            ax.tick_params(labelbottom=False)
    if title is None:
        if many_files:
            # The scenarios by name; the legend tells the runs of one scenario apart.
            names = list(dict.fromkeys(o.scenario_name for o in outs))
            title = ("Scenarios compared: " + ", ".join(names) if len(names) > 1
                     else f"{names[0]}: {len(outs)} runs compared")
        else:
            title = f"{labels[0]} ({outs[0].path})"
    fig.suptitle(title, fontsize=12)
    handles, texts = axes[0].get_legend_handles_labels()
    if handles:
        legend_ax.legend(handles, texts, loc="center", ncol=legend_cols, frameon=False,
                         fontsize=9)
    reps = sorted({o.replicates for o in outs})
    caption = ("line: median over replicates; band: 5-95% of replicates "
               f"({'/'.join(map(str, reps))} replicate{'s' if reps != [1] else ''})")
    for out in outs:
        note = out.incomplete_note()
        if note:
            caption += f"\n{os.path.basename(out.path)}: {note}"
    fig.supxlabel(caption, fontsize=8, color="#444444", x=0.01, ha="left")
    return fig, notes


# ------------------------------------------------------------------------------------------------
# Small multiples: one panel per place

TOP_RULE = ("mean over the run (ticks 1 to the end) of the absolute difference between the "
            "place and the city, each the mean over replicates")


def place_differences(out, name, places, city):
    """For each place index, how much it differs from the city (TOP_RULE): the mean over ticks
    1..T of |mean over replicates of the place - that of the city|. Ticks no replicate reached
    are left out."""
    import numpy as np

    values = out.read(name, [city] + list(places))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a tick no replicate reached
        means = np.nanmean(values, axis=0)  # (time, 1 + places)
        gaps = np.abs(means[1:, 1:] - means[1:, :1])
        return np.nanmean(gaps, axis=0)


def draw_places(outs, name, level, top=None, title=None, file_labels=None, ylims=None,
                from_zero=False, events=None):
    """One small panel per place of `level` (the first file's places), in a grid with shared
    axes; each file's median line with its 5-95% band, and its city's median as a thin grey
    reference. With `top`, only the `top` places that differ most from the city in the first
    file (TOP_RULE), most different first."""
    import numpy as np

    ref = outs[0]
    labels = list(file_labels) if file_labels else unique_labels(outs)
    places = ref.places_at(level)
    city = (ref.places_at("city") or [0])[0]
    diffs = place_differences(ref, name, places, city)
    shown = list(range(len(places)))
    if top is not None:
        order = sorted(shown, key=lambda k: (-(diffs[k] if np.isfinite(diffs[k]) else -1), k))
        shown = order[:top]
    n = len(shown)
    cols = max(1, min(10, math.ceil(math.sqrt(n * 1.6))))
    rows = math.ceil(n / cols)
    panel_w, panel_h = 1.75, 1.25
    many_files = len(outs) > 1
    legend_h = 0.35 if many_files else 0.01
    fig = plt.figure(layout="constrained",
                     figsize=(max(6.5, panel_w * cols + 0.8), panel_h * rows + 1.2 + legend_h))
    grid = fig.add_gridspec(rows + 1, cols, height_ratios=[legend_h] + [panel_h] * rows)
    legend_ax = fig.add_subplot(grid[0, :])
    legend_ax.axis("off")
    units, long_name = ref.indicator_info(name)
    # Read each file once: every place shown and the city.
    data = []
    for out in outs:
        idx = [out.index.get(ref.codes[places[k]]) for k in shown]
        ocity = (out.places_at("city") or [0])[0]
        wanted = [ocity] + [i for i in idx if i is not None]
        values = out.read(name, wanted)
        pos = {p: j for j, p in enumerate(wanted)}
        data.append((out, idx, values, pos, ocity))
    axes, first = [], None
    for j, k in enumerate(shown):
        r, c = divmod(j, cols)
        ax = fig.add_subplot(grid[r + 1, c], sharex=first, sharey=first)
        first = first or ax
        axes.append(ax)
        for f, (out, idx, values, pos, ocity) in enumerate(data):
            colour = charts.COLOURS[f % len(charts.COLOURS)]
            city_med, _, _, has = charts.median_band(values[:, :, pos[ocity]])
            ax.plot(out.dates[has], city_med[has], color="#555555", linewidth=0.7,
                    linestyle=charts.STYLES[f % len(charts.STYLES)],
                    label=("city" + (f": {labels[f]}" if many_files else "")) if j == 0 else None)
            if idx[j] is not None:
                charts.draw_band(ax, out.dates, values[:, :, pos[idx[j]]], colour,
                                 labels[f] if j == 0 and many_files else None)
        code, pname = ref.codes[places[k]], ref.names[places[k]]
        head = code if not pname or pname == code else f"{pname} ({code})"
        if len(head) > 24:
            head = head[:23] + "…"
        if top is not None:
            head = f"{j + 1}. {head}"
        ax.set_title(head, fontsize=7, loc="left", pad=2)
        if top is not None and np.isfinite(diffs[k]):
            ax.text(0.98, 0.04, f"{diffs[k]:.3g}", transform=ax.transAxes, ha="right",
                    va="bottom", fontsize=6, color="#333333")
        locator = mdates.AutoDateLocator(minticks=2, maxticks=4)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.grid(True, color="#e4e4e4", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=6, length=2, pad=1)
        for at, _ in events or []:
            ax.axvline(at, color="#555555", linestyle="--", linewidth=0.6)
        # Shared axes: tick labels on the left column and the lowest panel of each column only.
        if c:
            ax.tick_params(labelleft=False)
        if j + cols < n:
            ax.tick_params(labelbottom=False)
    if axes:
        low, high = axes[0].get_ylim()
        if from_zero:
            low, high = (0.0, high) if high > 0 else (low, 0.0)
        lim = (ylims or {}).get(name, (ylims or {}).get(None))
        if lim:
            low = lim[0] if lim[0] is not None else low
            high = lim[1] if lim[1] is not None else high
        axes[0].set_ylim(low, high)
    fig.supylabel(f"{name}" + (f" ({units})" if units else ""), fontsize=9)
    if title is None:
        which = (f"the {n} of {len(places)} {level}en that differ most from the city"
                 if top is not None else f"every {level} ({len(places)})")
        title = f"{name}: {which}" + ("" if many_files else f", {labels[0]}")
    fig.suptitle(title, fontsize=11)
    handles, texts = axes[0].get_legend_handles_labels() if axes else ([], [])
    if handles and many_files:
        ncol, texts, _ = charts.fit_legend(texts, panel_w * cols, 8, 4)
        legend_ax.legend(handles, texts, loc="center", ncol=ncol, frameon=False, fontsize=8)
    reps = sorted({o.replicates for o in outs})
    caption = ("colour: median over replicates with a 5-95% band; thin grey: the city's median "
               f"({'/'.join(map(str, reps))} replicate{'s' if reps != [1] else ''})")
    if top is not None:
        caption += (f".\nShown: the {n} {level}en of {len(places)} of "
                    f"{os.path.basename(ref.path)} with the largest {TOP_RULE} (the number at "
                    "the lower right of each panel), most different first")
    for out in outs:
        note = out.incomplete_note()
        if note:
            caption += f"\n{os.path.basename(out.path)}: {note}"
    width = int((panel_w * cols + 0.8) * 14)
    fig.supxlabel("\n".join(textwrap.fill(line, width, break_on_hyphens=False)
                            for line in caption.split("\n")), fontsize=7,
                  color="#444444", x=0.01, ha="left")
    return fig, n


# ------------------------------------------------------------------------------------------------
# A sweep: an outcome against a swept value

STATISTICS = {"end": "at the end of the run", "mean": "averaged over the run"}


def read_sweep(folder):
    """(keys, rows, design) of a sweep folder: the varied keys in --vary order, sweep.csv's rows
    as dicts, and the design ('grid' or 'latin-hypercube') from sweep.yaml."""
    path = os.path.join(folder, "sweep.csv")
    if not os.path.isdir(folder):
        raise ToolError(f"--sweep {folder}: no such folder (give the -o DIR of 'buurtlab sweep')")
    if not os.path.isfile(path):
        raise ToolError(f"--sweep {folder}: no sweep.csv in it; expected the folder of "
                        "'buurtlab sweep' (point files, sweep.csv, sweep.yaml)")
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        rows = list(reader)
    if len(header) < 4 or header[0] != "point" or header[-2:] != ["file", "status"]:
        raise ToolError(f"{path}: expected the columns point, KEY..., file, status; "
                        f"got {', '.join(header) or 'nothing'}")
    design = "grid"
    try:
        with open(os.path.join(folder, "sweep.yaml"), encoding="utf-8") as f:
            m = re.search(r"^design: (\S+)", f.read(), re.M)
            design = m.group(1) if m else design
    except OSError:
        pass
    return header[1:-2], rows, design


def choose_key(keys, wanted):
    """--x KEY: a varied key, in full or by an ending after a dot (tender_interval)."""
    if wanted is None:
        return keys[0]
    match = [k for k in keys if k == wanted] or [k for k in keys if k.endswith("." + wanted)]
    if len(match) != 1:
        raise ToolError(f"--x {wanted}: " + ("matches " + ", ".join(match) if match else
                        "not a varied key of this sweep") + "; expected one of " + ", ".join(keys), 2)
    return match[0]


def parameter_units(model):
    """{parameter or place attribute: unit} from `buurtlab describe MODEL --markdown` run with
    the program that started this tool; {} where that is not possible."""
    program = os.environ.get("BUURTLAB_PROGRAM")
    if not program:
        return {}
    try:
        p = subprocess.run([program, "describe", model, "--markdown"], capture_output=True,
                           text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {}
    text = p.stdout.split("## Indicators", 1)[0] if p.returncode == 0 else ""
    units = {}
    for m in re.finditer(r"^\| `([^`]+)` \| [^|]* \| ([^|]*) \|", text, re.M):
        units.setdefault(m.group(1), m.group(2).strip())
    return units


def key_unit(key, units):
    for prefix in ("parameters.", "places.attributes."):
        if key.startswith(prefix):
            return units.get(key[len(prefix):], "")
    return ""


def as_numbers(texts):
    try:
        return [float(t) for t in texts]
    except ValueError:
        return None


def draw_sweep(folder, name, x_key=None, place=None, statistic="end", title=None, ylims=None,
               from_zero=False):
    """The outcome `name` (mean over replicates with a 95% t interval of its value at the end,
    or averaged over the run) against the swept values of `x_key`; points that share the values
    of the other keys are joined by a line, one line per combination (in a grid)."""
    keys, rows, design = read_sweep(folder)
    x_key = choose_key(keys, x_key)
    others = [k for k in keys if k != x_key]
    points, skipped, model, scenario, last_tick = [], [], None, None, None
    for row in rows:
        path = os.path.join(folder, row["file"])
        if row["status"] != "complete" or not os.path.isfile(path):
            skipped.append(f"point {row['point']} ({row['status']})")
            continue
        with Output(path) as out:
            out.require_indicator(name)
            model, scenario = out.model, out.scenario_name
            idx = out.place_of(place) if place else (out.places_at("city") or [0])[0]
            reps, last = out.usable()
            values = out.read(name, [idx])[:, :, 0]
            end, mean = stats.summaries(values[reps, : last + 1])
            m, lo, hi, n = stats.mean_interval(end if statistic == "end" else mean)
            units, _ = out.indicator_info(name)
            where = out.names[idx] or out.codes[idx]
            last_tick = (last, str(out.dates[last])[:10])
        points.append((row[x_key], tuple(row[k] for k in others), m, lo, hi, n))
    if not points:
        raise ToolError(f"--sweep {folder}: no complete point yet (" + ", ".join(skipped) +
                        "); run or resume the sweep first", 1)
    xs_text = list(dict.fromkeys(p[0] for p in points))
    numeric = as_numbers(xs_text) is not None
    position = ({t: float(t) for t in xs_text} if numeric
                else {t: float(k) for k, t in enumerate(xs_text)})
    # A Latin hypercube has no two points alike in the other keys: no lines, no series.
    series = (list(dict.fromkeys(p[1] for p in points)) if design == "grid" and others
              else [()])
    unit = key_unit(x_key, parameter_units(model))
    fig, ax = plt.subplots(figsize=(7.5, 4.6), layout="constrained")
    span = (max(position.values()) - min(position.values())) or 1.0
    for s, combo in enumerate(series):
        mine = [p for p in points if p[1] == combo or series == [()]]
        mine.sort(key=lambda p: position[p[0]])
        # Series side by side, so that their intervals do not hide each other.
        shift = (s - (len(series) - 1) / 2) * 0.012 * span if len(series) > 1 else 0.0
        x = np.array([position[p[0]] + shift for p in mine])
        y = np.array([p[2] for p in mine])
        lo = np.array([p[3] for p in mine])
        hi = np.array([p[4] for p in mine])
        err = np.vstack([y - lo, hi - y])
        colour = charts.COLOURS[s % len(charts.COLOURS)]
        label = ", ".join(combo) if combo else None  # the legend's title names the keys
        ax.errorbar(x, y, yerr=np.where(np.isnan(err), 0, err), fmt="o",
                    linestyle="-" if design == "grid" else "none", color=colour,
                    markersize=4, capsize=3, linewidth=1.4, label=label)
    if not numeric:
        ax.set_xticks([position[t] for t in xs_text], xs_text)
    ax.set_xlabel(x_key + (f" ({unit})" if unit else ""), fontsize=10)
    ax.set_ylabel(f"{name}" + (f" ({units})" if units else "") + f"\n{STATISTICS[statistic]}",
                  fontsize=10)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    low, high = ax.get_ylim()
    if from_zero:
        low, high = (0.0, high) if high > 0 else (low, 0.0)
    lim = (ylims or {}).get(name, (ylims or {}).get(None))
    if lim:
        low = lim[0] if lim[0] is not None else low
        high = lim[1] if lim[1] is not None else high
    ax.set_ylim(low, high)
    if len(series) > 1:
        ax.legend(fontsize=8, frameon=False, title=", ".join(labels.short_names(others)),
                  title_fontsize=8)
    short_x = labels.short_names(keys)[keys.index(x_key)]
    fig.suptitle(title or f"{name} against {short_x}: sweep of {scenario} ({where})", fontsize=11)
    ns = sorted({p[5] for p in points})
    when = (f"the value at the end of the run (tick {last_tick[0]}, {last_tick[1]})"
            if statistic == "end" else f"the mean over ticks 1-{last_tick[0]}")
    caption = (f"points: mean over replicates ({'/'.join(map(str, ns))}) of {when} at {where}; "
               "bars: 95% t interval of the mean")
    if design == "grid" and others:
        caption += "; lines join points with the same values of the other keys"
    elif others:
        caption += f"; {', '.join(others)} vary too (a Latin hypercube)"
    if skipped:
        caption += "\nleft out, not complete: " + ", ".join(skipped)
    fig.supxlabel("\n".join(textwrap.fill(line, 130, break_on_hyphens=False)
                            for line in caption.split("\n")), fontsize=7, color="#444444", x=0.01, ha="left")
    return fig, len(points), len(series), skipped


def main_sweep(parser, args):
    if args.files:
        parser.error("--sweep DIR draws the points of a sweep: give no FILE.h5 with it")
    for option, given in (("--level", args.level), ("--places", args.places),
                          ("--label", args.label), ("--events", args.events)):
        if given:
            parser.error(f"{option} does not apply to --sweep")
    if len(args.place) > 1:
        parser.error(f"--sweep draws one place; got --place {' '.join(args.place)}")
    check_output_path(args.output, FORMATS, "plot")
    indicators = list(dict.fromkeys(args.indicator or [DEFAULT_INDICATOR]))
    if len(indicators) > 1:
        parser.error(f"--sweep draws one indicator; got {', '.join(indicators)}")
    ylims = parse_ylims(args.ylim, indicators)
    fig, n, lines, skipped = draw_sweep(args.sweep, indicators[0], args.x,
                                        args.place[0] if args.place else None, args.statistic,
                                        args.title, ylims, args.from_zero)
    if skipped:
        print("buurtlab: warning: " + args.sweep + ": left out, not complete: " +
              ", ".join(skipped), file=sys.stderr)
    save(fig, args.output)
    print(f"wrote {args.output}: {indicators[0]} at {n} point{'s' if n > 1 else ''} of "
          f"{args.sweep}, {lines} line{'s' if lines > 1 else ''}")
    return 0


def save(fig, path):
    try:
        fig.savefig(path, dpi=120, bbox_inches="tight")
    except OSError as e:
        raise ToolError(f"cannot write {path}: {e.strerror or e}", 1) from None
    finally:
        plt.close(fig)


def main(argv):
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.sweep is not None:
        return main_sweep(parser, args)
    for option, given in (("--x", args.x), ("--statistic", args.statistic != "end")):
        if given:
            parser.error(f"{option} goes with --sweep DIR")
    if args.top is not None and not args.places:
        parser.error("--top N goes with --places LEVEL")
    if args.top is not None and args.top < 1:
        parser.error(f"--top expects a whole number of at least 1, got {args.top}")
    if args.places and (args.place or args.level):
        parser.error("--places LEVEL draws every place of LEVEL: give no --place or --level "
                     "with it")
    # `--indicator a b run.h5` reads run.h5 as an indicator: names of existing .h5 files given
    # after --indicator or --place are taken as the files they are.
    for option in ("indicator", "place"):
        values = getattr(args, option)
        moved = [v for v in values if v.endswith(".h5") and os.path.isfile(v)]
        setattr(args, option, [v for v in values if v not in moved])
        args.files += moved
    if not args.files:
        parser.error("no output file given (FILE.h5, or --sweep DIR)")
    check_output_path(args.output, FORMATS, "plot")
    indicators = list(dict.fromkeys(args.indicator or [DEFAULT_INDICATOR]))
    places = list(dict.fromkeys(args.place))
    outs = open_outputs(args.files)
    try:
        check_indicators(outs, indicators)
        chosen = select_places(outs, places, args.level)
        if args.label and len(args.label) != len(outs):
            raise ToolError(f"--label given {len(args.label)} time(s) for {len(outs)} file(s): "
                            "give one per file, in their order", 2)
        ylims = parse_ylims(args.ylim, indicators)
        events = None
        if args.events:
            # Every file's timeline events, each date and label once.
            events = list(dict.fromkeys(e for o in outs for e in timeline_events(o)))
        if args.places:
            if len(indicators) > 1:
                raise UsageError(f"--places draws one indicator; got {', '.join(indicators)}",
                                 "plot")
            missing = [o.path for o in outs if not o.places_at(args.places)]
            if missing:
                raise ToolError(", ".join(missing) + f": no places at level '{args.places}'")
            fig, panels = draw_places(outs, indicators[0], args.places, args.top, args.title,
                                      args.label, ylims, args.from_zero, events)
            save(fig, args.output)
            print(f"wrote {args.output}: {panels} panel{'s' if panels > 1 else ''} of "
                  f"{args.places}en ({indicators[0]}) from {len(outs)} "
                  f"file{'s' if len(outs) > 1 else ''}")
            return 0
        fig, notes = draw(outs, indicators, chosen, args.title, args.label, ylims,
                          args.from_zero, events)
        for n in notes:
            print(f"buurtlab: warning: {n}", file=sys.stderr)
        save(fig, args.output)
    finally:
        for o in outs:
            o.close()
    lines = sum(len(p) for p in chosen)
    print(f"wrote {args.output}: {len(indicators)} panel{'s' if len(indicators) > 1 else ''}, "
          f"{lines} line{'s' if lines > 1 else ''} from {len(outs)} file{'s' if len(outs) > 1 else ''}")
    return 0
