"""`buurtlab plot`: indicator time series from one or more output files.

One panel per indicator; in each, one line per file and place: the median over replicates with a
shaded 5-95% band. Several files on one chart compare scenarios (the legend names each by its
scenario, and files of one scenario, such as sweep points, by the values that differ, as
`buurtlab compare` labels them: labels.py). Places are chosen by code (--place) or by level
(--level: every place of that level).
"""

import argparse
import os
import sys

import matplotlib.pyplot as plt

from . import charts
from .cli import Parser, check_output_path
from .results import LEVELS, ToolError, open_outputs, unique_labels

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


def main(argv):
    parser = make_parser()
    args = parser.parse_args(argv)
    # `--indicator a b run.h5` reads run.h5 as an indicator: names of existing .h5 files given
    # after --indicator or --place are taken as the files they are.
    for option in ("indicator", "place"):
        values = getattr(args, option)
        moved = [v for v in values if v.endswith(".h5") and os.path.isfile(v)]
        setattr(args, option, [v for v in values if v not in moved])
        args.files += moved
    if not args.files:
        parser.error("no output file given (FILE.h5)")
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
        fig, notes = draw(outs, indicators, chosen, args.title, args.label, ylims,
                          args.from_zero, events)
        for n in notes:
            print(f"buurtlab: warning: {n}", file=sys.stderr)
        try:
            fig.savefig(args.output, dpi=120, bbox_inches="tight")
        except OSError as e:
            raise ToolError(f"cannot write {args.output}: {e.strerror or e}", 1) from None
        finally:
            plt.close(fig)
    finally:
        for o in outs:
            o.close()
    lines = sum(len(p) for p in chosen)
    print(f"wrote {args.output}: {len(indicators)} panel{'s' if len(indicators) > 1 else ''}, "
          f"{lines} line{'s' if lines > 1 else ''} from {len(outs)} file{'s' if len(outs) > 1 else ''}")
    return 0
