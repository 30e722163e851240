"""`buurtlab report`: one self-contained HTML page comparing scenarios.

The first file is the reference. Files are labelled as `buurtlab compare` labels them (labels.py).
The page holds, for each scenario, its question (the scenario's description) and what it changes
against the reference (the `parameters` and `timeline` sections of the resolved scenario stored in
each file; parameters named as --set names them, values as written, as in the labels); charts
of the key indicators; a table of end-of-run and time-averaged means with 95% intervals and each
scenario's difference from the reference (definitions in stats.py); and small multiples of the
city's wijken showing each wijk's change in community strength. Images are embedded as base64
PNG and the style sheet is inline, so the page can be mailed or opened offline: it loads nothing
from anywhere.
"""

import argparse
import base64
import datetime
import html
import math
import os

import matplotlib.pyplot as plt
import numpy as np

from . import charts, stats
from .cli import Parser, check_output_path
from .labels import IGNORED, scenario_values
from .results import ToolError, open_outputs, unique_labels, warn

INDICATORS = ("community_strength", "social_trust_mean", "institutional_trust_mean",
              "unmet_care_hours", "initiatives", "local_knowledge_mean", "open_cases")
WIJK_INDICATOR = "community_strength"
FORMATS = (".html", ".htm")

DESCRIPTION = """\
Writes one self-contained HTML page comparing scenarios. The first file is the reference: the
page lists what each other scenario changes against it (parameters and timeline), draws the
key indicators, tabulates end-of-run and time-averaged means over replicates with 95% Student-t
intervals and each scenario's difference from the reference with a 95% interval (paired where
the replicates share seeds, else Welch), and shows each wijk's change in community strength. Images are embedded: the page needs no other
file and no network.

Numbers follow one rule throughout the page: a value, its interval and the other values of its
column share one number of decimals (four significant digits of the largest, no exponent
notation); differences and their interval bounds carry a sign; counts and values from 1,000 on
are whole numbers with thousands separators ('buurtlab compare --csv' gives full precision).

example:
  buurtlab report baseline.h5 collective-work-shift.h5 cuts-2015.h5 -o report.html

Exit codes: 0 success, 1 failure, 2 usage error or a file that cannot be used."""


def make_parser():
    p = Parser("report", description=DESCRIPTION,
               formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", metavar="FILE.h5",
                   help="output files of 'buurtlab run'; the first is the reference")
    p.add_argument("--output", "-o", required=True, metavar="FILE", help="page to write (.html)")
    p.add_argument("--place", "-p", metavar="CODE",
                   help="report on this place instead of the city (charts and table)")
    p.add_argument("--title", metavar="TEXT", help="title of the page")
    return p


# ------------------------------------------------------------------------------------------------
# What a scenario changes

def flatten(value, prefix=""):
    """Nested maps as {'a.b.c': leaf}."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}{k}."))
        return out
    return {prefix[:-1]: value}


def show_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "(none)"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {show_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(show_value(x) for x in v) + "]"
    return str(v)


def show_event(e):
    if not isinstance(e, dict):
        return show_value(e)
    e = dict(e)
    when = show_value(e.pop("at", "?"))
    label = e.pop("label", None)
    head = f"{when}" + (f" '{label}'" if label else "")
    rest = []
    if "set" in e:
        rest.append("set " + ", ".join(f"{k} = {show_value(v)}"
                                       for k, v in flatten(e.pop("set")).items()))
    if "call" in e:
        call = show_value(e.pop("call"))
        args = e.pop("args", None) or {}
        rest.append(f"{call}(" + ", ".join(f"{k}: {show_value(v)}" for k, v in args.items()) + ")")
    rest += [f"{k}: {show_value(v)}" for k, v in e.items()]
    return head + ": " + "; ".join(rest)


def scenario_differences(ref, other):
    """Human-readable lines: parameters and timeline of `other` that differ from `ref`, and a note
    on any other section that differs (places, dates), which would make the comparison unequal."""
    lines = []
    # Parameters named and shown as in the labels of `buurtlab compare` (labels.py): by their
    # --set names, with the values as written, in the order written.
    pa, pb = ({k: v for k, v in scenario_values(doc) if k.startswith("parameters.")}
              for doc in (ref, other))
    for key in list(pa) + [k for k in pb if k not in pa]:
        if pa.get(key) != pb.get(key):
            lines.append(("parameter", f"{key}: {show_value(pa.get(key))} → {show_value(pb.get(key))}"))
    ta = [show_event(e) for e in (ref.get("timeline") or [])]
    tb = [show_event(e) for e in (other.get("timeline") or [])]
    for e in tb:
        if e not in ta:
            lines.append(("timeline", "adds " + e))
    for e in ta:
        if e not in tb:
            lines.append(("timeline", "drops " + e))
    skip = {"parameters", "timeline", *IGNORED}
    others = [k for k in sorted(set(ref) | set(other))
              if k not in skip and ref.get(k) != other.get(k)]
    for k in others:
        a, b = ref.get(k), other.get(k)
        if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
            lines.append(("other", f"{k}: differs"))
        else:
            lines.append(("other", f"{k}: {show_value(a)} → {show_value(b)}"))
    return lines


# ------------------------------------------------------------------------------------------------
# Numbers

# One rule for every number on the page, so that a column reads alike and a value and its
# interval can be compared digit by digit:
# - a value with its interval, and the values of one column of one indicator, share one number of
#   decimals: enough for SIGNIFICANT digits of the largest of them (0 from 1,000 on), never
#   exponent notation, trailing zeros kept;
# - differences and the bounds of their intervals carry a sign (a value that shows as zero has
#   none);
# - counts (replicates, ticks) are whole numbers with thousands separators, as are values from
#   1,000 on;
# - a value that does not exist is "n/a", an interval that does not exist is left out.
SIGNIFICANT = 4


def decimals_for(values):
    """The decimals that give the largest finite value of `values` SIGNIFICANT digits."""
    finite = [abs(float(v)) for v in values if v is not None and math.isfinite(float(v))]
    largest = max(finite, default=0.0)
    if largest == 0:
        return 0
    # Rounding can carry into another digit (99.996 -> 100.0): decide on the rounded magnitude.
    digits = math.floor(math.log10(float(f"{largest:.{SIGNIFICANT - 1}e}")))
    return max(0, SIGNIFICANT - 1 - digits)


def fmt_number(x, decimals, signed=False):
    """One number by the page's rule, with `decimals` decimals (decimals_for)."""
    if x is None or not math.isfinite(float(x)):
        return "n/a"
    text = f"{float(x):,.{decimals}f}"
    if text.lstrip("-").strip("0.,") == "":
        return text.lstrip("-")  # rounds to zero: no sign, not even "-"
    return "+" + text if signed and x > 0 else text


def fmt(x, decimals=None):
    return fmt_number(x, decimals_for([x]) if decimals is None else decimals)


def fmt_signed(x, decimals=None):
    return fmt_number(x, decimals_for([x]) if decimals is None else decimals, signed=True)


def fmt_count(n):
    """A count: a whole number with thousands separators."""
    return f"{int(n):,d}"


def interval(lo, hi, decimals=None, signed=False):
    """[lo, hi] formatted like the value it belongs to (same decimals, signed for differences);
    empty where there is no interval."""
    if lo is None or hi is None or math.isnan(lo) or math.isnan(hi):
        return ""
    d = decimals_for([lo, hi]) if decimals is None else decimals
    return f"[{fmt_number(lo, d, signed)}, {fmt_number(hi, d, signed)}]"


def statistics_window(outs):
    """The replicates of each file and the last tick E that the statistics use, as `buurtlab
    compare` chooses them (docs/ensembles.md): every file is summarised up to the smallest E of
    any, so that differences compare the same ticks. Files on different time axes are refused."""
    problems, used = [], []
    ref = outs[0]
    for o in outs[1:]:
        if o.time_axis() != ref.time_axis() or not np.array_equal(o.days, ref.days):
            problems.append(f"{o.path}: runs over {o.time_axis_text()}, {ref.path} over "
                            f"{ref.time_axis_text()}; a report compares runs over the same ticks")
    last = []
    for o in outs:
        reps, e = o.usable()
        if not reps:
            problems.append(f"{o.path}: holds no tick beyond the initial state; nothing to report")
        used.append(reps)
        last.append(e)
    if problems:
        raise ToolError("\n".join(problems))
    return used, min(last)


def replicate_summaries(out, name, place, reps, last):
    """(end, time_mean) per used replicate of indicator `name` at place index `place`."""
    values = out.read(name, [place])[:, :, 0]
    return stats.summaries(values[reps, : last + 1])


# ------------------------------------------------------------------------------------------------
# Charts

def img_tag(png, alt, cls="chart"):
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="{cls}" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def indicator_chart(outs, labels, name, places):
    units, long_name = outs[0].indicator_info(name)
    fig, ax = plt.subplots(figsize=(6.4, 3.3))
    for f, out in enumerate(outs):
        values = out.read(name, [places[f]])[:, :, 0]
        charts.draw_band(ax, out.dates, values, charts.COLOURS[f % len(charts.COLOURS)], labels[f])
    charts.panel_title(ax, name, units, None, size=11)
    charts.format_time_axis(ax)
    if len(outs) > 1:
        # Within the axes: long labels (sweep points) wrapped at about two thirds of its width.
        handles, texts = ax.get_legend_handles_labels()
        if handles:  # an indicator not kept for this place draws no line
            _, texts, _ = charts.fit_legend(texts, 4.3, 7, 1)
            ax.legend(handles, texts, fontsize=7, frameon=False, loc="best")
    return charts.png_bytes(fig), units, long_name


def wijk_changes(out, name, wijk):
    """Change since the start of each replicate's trajectory at place index `wijk`: (R, T)."""
    values = out.read(name, [wijk])[:, :, 0]
    return values - values[:, :1]


def wijk_multiples(outs, labels, used, last):
    """Small multiples: one panel per wijk of the reference's city, every scenario in each.
    Returns (png or None, table rows: (code, name, [end change per scenario]))."""
    ref = outs[0]
    wijken = ref.places_at("wijk")
    if not wijken:
        return None, []
    n = len(wijken)
    cols = min(4, n)
    rows = (n + cols - 1) // cols
    width = 2.9 * cols + 0.6
    legend_cols, legend_texts, legend_lines = charts.fit_legend(labels, width - 0.2, 8, 4)
    legend_h = 0.17 * legend_lines + 0.1 if len(outs) > 1 else 0.01
    fig = plt.figure(layout="constrained", figsize=(width, 2.3 * rows + 0.5 + legend_h))
    # The legend gets a row of its own above the panels.
    grid = fig.add_gridspec(rows + 1, cols, height_ratios=[legend_h] + [2.3] * rows)
    legend_ax = fig.add_subplot(grid[0, :])
    legend_ax.axis("off")
    axes = [[None] * cols for _ in range(rows)]
    first = None
    for k in range(rows * cols):
        r, c = divmod(k, cols)
        axes[r][c] = fig.add_subplot(grid[r + 1, c], sharex=first, sharey=first)
        first = first or axes[r][c]
    table = []
    for k, w in enumerate(wijken):
        ax = axes[k // cols][k % cols]
        code, wname = ref.codes[w], ref.names[w]
        ends = []
        for f, out in enumerate(outs):
            idx = out.index.get(code)
            if idx is None or out.levels[idx] != "wijk":
                ends.append(math.nan)
                continue
            change = wijk_changes(out, WIJK_INDICATOR, idx)
            charts.draw_band(ax, out.dates, change, charts.COLOURS[f % len(charts.COLOURS)],
                             legend_texts[f] if k == 0 else None)
            end, _ = stats.summaries(change[used[f], : last + 1])
            ends.append(stats.mean_interval(end)[0])
        ax.axhline(0, color="#888888", linewidth=0.7)
        title = wname if wname and wname != code else code
        ax.set_title(title if len(title) <= 28 else title[:26] + "…", fontsize=9)
        charts.format_time_axis(ax)
        ax.tick_params(labelsize=7)
        # Shared axes: tick labels on the left column and on the lowest panel of each column.
        if k % cols:
            ax.tick_params(labelleft=False)
        if k + cols < n:
            ax.tick_params(labelbottom=False)
        table.append((code, wname, ends))
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    fig.supylabel(f"change in {WIJK_INDICATOR}", fontsize=9)
    handles, texts = axes[0][0].get_legend_handles_labels()
    if len(outs) > 1 and handles:
        legend_ax.legend(handles, texts, loc="center", ncol=legend_cols, frameon=False,
                         fontsize=8)
    return charts.png_bytes(fig, dpi=100), table


# ------------------------------------------------------------------------------------------------
# The page

STYLE = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1200px;
       padding: 0 1em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
.meta { color: #666; font-size: 0.9em; }
.scenario { border-left: 6px solid #999; padding: 0.4em 1em; margin: 1em 0; background: #fafafa; }
.scenario h3 { margin: 0.2em 0; }
.scenario .question { font-style: italic; }
.scenario ul { margin: 0.3em 0; }
.warning { color: #a04000; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 1em; }
figure { margin: 0; }
figcaption { font-size: 0.85em; color: #555; }
img.chart, img.wide { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.5em; text-align: right; vertical-align: top; }
th { background: #f0f0f0; }
td.name, th.name { text-align: left; }
td .ci { color: #666; font-size: 0.9em; white-space: nowrap; }
td.sig { font-weight: bold; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em;
          vertical-align: -0.1em; }
.notes { font-size: 0.85em; color: #444; }
"""


def hex_colour(f):
    r, g, b = charts.COLOURS[f % len(charts.COLOURS)][:3]
    return "#%02x%02x%02x" % (int(r * 255), int(g * 255), int(b * 255))


def swatch(f):
    return f'<span class="swatch" style="background:{hex_colour(f)}"></span>'


def replicate_list(reps):
    """[0, 1, 2, 5] as 'replicates 1-3, 6' (counted from 1, as people count)."""
    runs, start = [], None
    for k, r in enumerate(reps):
        if start is None:
            start = r
        if k + 1 == len(reps) or reps[k + 1] != r + 1:
            runs.append(f"{start + 1}" if start == r else f"{start + 1}-{r + 1}")
            start = None
    return ("replicate " if len(reps) == 1 else "replicates ") + ", ".join(runs)


def scenario_section(f, out, label, ref_doc, doc, used, last_tick):
    e = html.escape
    first, last = str(out.dates[0])[:10], str(out.dates[-1])[:10]
    done = len(out.complete_replicates)
    parts = [f'<div class="scenario" style="border-color:{hex_colour(f)}">',
             f"<h3>{swatch(f)}{e(label)}{' (reference)' if f == 0 else ''}</h3>",
             f'<p class="question">{e(out.description) or "(no description)"}</p>',
             f'<p class="meta">file {e(out.path)}; model {e(out.model)}; {first} to {last}, '
             f"{fmt_count(out.time_points - 1)} ticks of {e(str(out.attrs.get('tick_length', '?')))}; "
             f"{fmt_count(done)} of {fmt_count(out.replicates)} replicates complete; seed {e(str(out.attrs.get('seed', '?')))}</p>"]
    note = out.incomplete_note()
    if note:
        parts.append(f'<p class="warning">{e(note)}. The statistics use {replicate_list(used)} '
                     f"up to tick {fmt_count(last_tick)} ({str(out.dates[last_tick])[:10]}); the charts show "
                     "all that is there.</p>")
    if f > 0:
        diffs = scenario_differences(ref_doc, doc)
        if not doc or not ref_doc:
            parts.append('<p class="warning">The scenario stored in one of the files cannot be '
                         "read, so its changes cannot be listed.</p>")
        elif not diffs:
            parts.append("<p>Same parameters and timeline as the reference.</p>")
        else:
            parts.append("<p>Differs from the reference in:</p><ul>")
            for kind, text in diffs:
                cls = ' class="warning"' if kind == "other" else ""
                parts.append(f"<li{cls}>{e(text)}</li>")
            parts.append("</ul>")
            if any(kind == "other" for kind, _ in diffs):
                parts.append('<p class="warning">Sections other than parameters and timeline '
                             "differ too: the comparison is not of one lever alone.</p>")
    parts.append("</div>")
    return "\n".join(parts)


def comparison_table(outs, labels, names, places, used, last):
    e = html.escape
    rows = ['<table><thead><tr><th class="name">indicator</th><th class="name">scenario</th>'
            '<th>n</th><th>end of run<br>mean [95% CI]</th>'
            '<th>difference from reference<br>[95% CI]</th>'
            '<th>time average<br>mean [95% CI]</th>'
            '<th>difference from reference<br>[95% CI]</th></tr></thead><tbody>']
    for name in names:
        units, _ = outs[0].indicator_info(name)
        summ = [replicate_summaries(o, name, places[f], used[f], last) for f, o in enumerate(outs)]
        # Every statistic first, so that each column of this indicator gets one number of
        # decimals (the page's rule, decimals_for).
        means = [[stats.mean_interval(summ[f][which]) for which in (0, 1)]
                 for f in range(len(outs))]
        diffs = [[None, None]]
        for f in range(1, len(outs)):
            seeds = [[outs[g].seeds[r] for r in used[g]] if outs[g].seeds else [] for g in (0, f)]
            diffs.append([stats.difference(summ[0][which], seeds[0], summ[f][which], seeds[1])
                          for which in (0, 1)])
        mean_dec = [decimals_for([v for f in range(len(outs)) for v in means[f][which][:3]])
                    for which in (0, 1)]
        diff_dec = [decimals_for([v for f in range(1, len(outs)) for v in diffs[f][which][:3]])
                    for which in (0, 1)]
        for f, out in enumerate(outs):
            cells = []
            n = 0
            for which in (0, 1):
                m, lo, hi, n = means[f][which]
                dec = mean_dec[which]
                cells.append(f"{fmt(m, dec)} <span class=\"ci\">{interval(lo, hi, dec)}</span>")
                if f == 0:
                    cells.append("")
                else:
                    d, dlo, dhi, method, pairs = diffs[f][which]
                    dec = diff_dec[which]
                    sig = not math.isnan(dlo) and (dlo > 0 or dhi < 0)
                    how = f"paired interval ({pairs} pairs)" if method == "paired" else "Welch interval"
                    cells.append((f"{fmt_signed(d, dec)} "
                                  f"<span class=\"ci\">{interval(dlo, dhi, dec, signed=True)}</span>",
                                  sig, how))
            head = (f'<td class="name" rowspan="{len(outs)}"><b>{e(name)}</b><br>'
                    f'<span class="ci">{e(units)}</span></td>') if f == 0 else ""
            tds = []
            for c in cells:
                if isinstance(c, tuple):
                    cls = ' class="sig"' if c[1] else ""
                    tds.append(f'<td{cls} title="{e(c[2])}">{c[0]}</td>')
                else:
                    tds.append(f"<td>{c}</td>")
            rows.append(f'<tr>{head}<td class="name">{swatch(f)}{e(labels[f])}</td>'
                        f"<td>{fmt_count(n)}</td>{''.join(tds)}</tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def wijk_table(outs, labels, table):
    e = html.escape
    head = "".join(f'<th>{swatch(f)}{e(lb)}</th>' for f, lb in enumerate(labels))
    rows = [f'<table><thead><tr><th class="name">wijk</th>{head}</tr></thead><tbody>']
    # One number of decimals for the whole table, so that wijken compare digit by digit.
    dec = decimals_for([x for _, _, ends in table for x in ends])
    for code, name, ends in table:
        cells = "".join(f"<td>{fmt_signed(x, dec)}</td>" for x in ends)
        shown = f"{name} ({code})" if name and name != code else code
        rows.append(f'<tr><td class="name">{e(shown)}</td>{cells}</tr>')
    rows.append("</tbody></table>")
    return "\n".join(rows)


def build_page(outs, place_code=None, title=None):
    labels = unique_labels(outs)
    # As `buurtlab compare`: one place, by code in every file; by default the first file's first
    # place, the city.
    code = place_code or outs[0].codes[0]
    places, problems = [], []
    for o in outs:
        try:
            places.append(o.place_of(code))
        except ToolError as err:
            problems.append(str(err))
    if problems:
        raise ToolError("\n".join(problems))
    used, last = statistics_window(outs)
    missing = {n: [o.path for o in outs if n not in o.indicators] for n in INDICATORS}
    names = [n for n in INDICATORS if not missing[n]]
    for n, files in missing.items():
        if files:
            warn(f"{', '.join(files)}: no indicator '{n}'; left out of the report")
    if not names:
        raise ToolError("none of the report's indicators (" + ", ".join(INDICATORS) +
                        ") is in every file: " + ", ".join(o.path for o in outs))
    docs = [o.scenario() for o in outs]
    where = outs[0].names[places[0]] or outs[0].codes[places[0]]
    e = html.escape
    # The scenarios by name; the labels below tell the runs of one scenario apart.
    scenarios = list(dict.fromkeys(o.scenario_name for o in outs))
    title = title or ("Scenario comparison: " + ", ".join(scenarios) if len(scenarios) > 1
                      else f"Scenario comparison: {len(outs)} runs of {scenarios[0]}"
                      if len(outs) > 1 else f"Scenario report: {labels[0]}")

    body = [f"<h1>{e(title)}</h1>",
            f'<p class="meta">{e(where)} ({e(outs[0].levels[places[0]])}); reference: '
            f"{e(labels[0])}; {len(outs)} file{'s' if len(outs) > 1 else ''}; written "
            f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} by buurtlab report "
            f"(buurtlab {e(str(outs[0].attrs.get('buurtlab_version', '?')))})</p>"]

    body.append("<h2>Scenarios</h2>")
    for f, out in enumerate(outs):
        body.append(scenario_section(f, out, labels[f], docs[0], docs[f], used[f], last))

    body.append("<h2>Indicators over time</h2>")
    reps = sorted({o.replicates for o in outs})
    body.append(f'<p class="notes">Line: median over replicates; band: 5-95% of replicates '
                f"({'/'.join(map(fmt_count, reps))} per scenario). Values of {e(where)}.</p>")
    body.append('<div class="charts">')
    for name in names:
        png, units, long_name = indicator_chart(outs, labels, name, places)
        body.append(f"<figure>{img_tag(png, f'{name} over time')}"
                    f"<figcaption><b>{e(name)}</b> ({e(units)}): {e(long_name)}</figcaption></figure>")
    body.append("</div>")

    body.append("<h2>Comparison</h2>")
    T = outs[0].time_points - 1
    if last < T:
        body.append(f'<p class="warning">Not every file holds the whole run: the statistics cover '
                    f"ticks 1-{fmt_count(last)} (up to {str(outs[0].dates[last])[:10]}) of {fmt_count(T)}, the part "
                    "every file holds.</p>")
    body.append(comparison_table(outs, labels, names, places, used, last))
    body.append(
        '<p class="notes">Each replicate is an independent run; n counts the replicates used '
        "(those that completed the run; see each scenario above). <b>End of run</b>: the value "
        f"at the last tick (tick {fmt_count(last)}, {str(outs[0].dates[last])[:10]}). "
        "<b>Time average</b>: the mean over the ticks after the initial state. Means have "
        "95% Student-t intervals (mean ± t<sub>0.975, n−1</sub>·s/√n). Differences are the "
        "scenario's mean minus the reference's. Where the files' replicates share seeds (the "
        "default between scenarios), replicate r of each starts from the same world and draws the "
        "same random numbers until the scenarios differ, so the difference is paired: a "
        "t interval of the per-replicate differences. Otherwise it has a 95% Welch interval "
        "(unequal variances, Welch–Satterthwaite degrees of freedom). Bold where the interval "
        "excludes zero. With "
        "one replicate there is no interval. These are the definitions of <code>buurtlab compare</code> "
        "(docs/ensembles.md), which gives the same numbers in full precision with --csv. The "
        "baseline is calibrated to Dutch levels (docs/calibration.md), the effects of "
        "scenarios are not: read directions and sizes relative to each other, not as "
        "forecasts.</p>")

    wijk_png, table = wijk_multiples(outs, labels, used, last)
    body.append("<h2>Wijken: change in community strength</h2>")
    if wijk_png is None:
        body.append("<p>The reference file has no wijken.</p>")
    else:
        body.append(f'<p class="notes">For each wijk of {e(outs[0].names[0] or outs[0].codes[0])}: '
                    f"{WIJK_INDICATOR} minus its value at the start, median over replicates with "
                    "a 5-95% band. The table gives the mean end-of-run change.</p>")
        body.append(f"<figure>{img_tag(wijk_png, 'change in community strength per wijk', 'wide')}"
                    "</figure>")
        body.append(wijk_table(outs, labels, table))

    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def main(argv):
    args = make_parser().parse_args(argv)
    check_output_path(args.output, FORMATS, "report")
    outs = open_outputs(args.files)
    try:
        page = build_page(outs, args.place, args.title)
    finally:
        for o in outs:
            o.close()
    tmp = args.output + ".part"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(page)
        os.replace(tmp, args.output)
    except OSError as e:
        raise ToolError(f"cannot write {args.output}: {e.strerror or e}", 1) from None
    print(f"wrote {args.output}: {len(args.files)} scenario{'s' if len(args.files) > 1 else ''}, "
          f"{len(page) // 1024} KiB")
    return 0
