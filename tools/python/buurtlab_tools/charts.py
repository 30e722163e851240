"""Drawing shared by `plot`, `report` and the workshop figures.

A scenario's result is a bundle of replicate trajectories, not one line: each chart shows the
median over replicates at each time point and, shaded, the band between the 5th and 95th
percentiles, so that a difference between scenarios can be told from replicate noise by eye.
"""

import io
import math
import textwrap
import warnings

import matplotlib

matplotlib.use("Agg")  # files only, never a window; set before pyplot is imported
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

# SVG output keeps its text as text, so that labels can be searched and edited.
matplotlib.rcParams["svg.fonttype"] = "none"

COLOURS = plt.get_cmap("tab10").colors
STYLES = ("-", "--", ":", "-.")
BAND = (5, 95)


def fit_legend(texts, width, fontsize, max_cols):
    """Lays out legend entries across `width` inches: as many columns as fit the longest text (at
    most max_cols), and a text too long even for one column wrapped onto more lines. Labels of
    sweep points carry their values and can be long; unfitted, the legend squeezes the panels.
    Returns (columns, texts, height in text lines); no texts (a chart with no line) give
    (1, [], 0)."""
    if not texts:
        return 1, [], 0
    char = 0.6 * fontsize / 72  # inches: a generous average character width
    handle = 5  # characters' worth for the line sample and the gap to the next column
    room = max(20, int(width / char))
    longest = max(len(t) for t in texts)
    ncol = max(1, min(max_cols, len(texts), room // (longest + handle)))
    wrapped = [textwrap.fill(t, room // ncol - handle, break_on_hyphens=False) for t in texts]
    # Columns are filled first to last, each entry as many lines as its text.
    per_col = math.ceil(len(texts) / ncol)
    lines = max(sum(w.count("\n") + 1 for w in wrapped[c * per_col:(c + 1) * per_col])
                for c in range(ncol))
    return ncol, wrapped, lines


def median_band(values):
    """values: (replicate, time). Returns (median, low, high, has_data) per time point; a time
    point no replicate reached is NaN in all three."""
    values = np.asarray(values, dtype=np.float64)
    has = np.any(~np.isnan(values), axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: no replicate got there
        med = np.nanmedian(values, axis=0)
        lo, hi = np.nanpercentile(values, BAND, axis=0)
    return med, lo, hi, has


def draw_band(ax, dates, values, colour, label, style="-", band=True):
    """One scenario (or place) on `ax`: median line and, with several replicates, the band."""
    med, lo, hi, has = median_band(values)
    if not np.any(has):
        return False
    ax.plot(dates[has], med[has], color=colour, linestyle=style, linewidth=1.6, label=label)
    if band and values.shape[0] > 1:
        ax.fill_between(dates[has], lo[has], hi[has], color=colour, alpha=0.18, linewidth=0)
    return True


def format_time_axis(ax):
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def panel_title(ax, name, units, long_name, size=10):
    ax.set_title(name, loc="left", fontsize=size, fontweight="bold")
    if long_name:
        # Long descriptions would run over the panel; the first clause is enough to recognise it.
        short = long_name if len(long_name) <= 90 else long_name[:87].rstrip() + "..."
        ax.set_title(short, loc="right", fontsize=size - 2, color="#555555")
    if units:
        ax.set_ylabel(units, fontsize=size - 1)


def png_bytes(fig, dpi=110):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
