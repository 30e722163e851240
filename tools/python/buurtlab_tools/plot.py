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
    return p


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


def draw(outs, indicators, places, title=None):
    """The figure: one panel per indicator, one line (and band) per file and place."""
    labels = unique_labels(outs)
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
        fig, notes = draw(outs, indicators, chosen, args.title)
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
