"""Figures and numbers for the workshop kit (docs/workshop/), from real runs of the shipped scenarios.

Runs each scenario the four scenario cards need with the `buurtlab` program, then writes
  card-<id>.png     one figure per card: its indicators, reference against lever(s)
  overview.png      community strength of every scenario run, on one chart
  numbers.json      every number the cards quote: end-of-run and time-averaged means over
                    replicates with 95% intervals, and differences from the card's reference
  numbers.md        the same as Markdown tables, for the facilitator's guide
Nothing is drawn by hand: rerun this script after a model change and update the guide's text
from numbers.md.

    /usr/bin/python3 tools/python/workshop_figures.py --buurtlab build/release/tools/buurtlab

writes to docs/workshop/figures with the scenarios' own settings (10 years, 10 replicates: a few
minutes on a laptop). --duration, --replicates and --population-scale make a quick, smaller run
(the test suite uses them); the numbers then differ from the guide's.
"""

import argparse
import datetime
import json
import math
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True

# The cards. Each compares scenarios (built-in names) with the first, its reference, on four
# indicators (drawn) at the city level, or at the card's `place` (a place code): what the lever
# moves first, then what the card's question is about; `extra` indicators are only tabulated, for
# the guide's text.
CARDS = [
    {
        "id": "tendering",
        "title": "Re-tendering the welfare contract",
        "scenarios": ["no-tendering", "baseline", "tendering-every-2-years"],
        "names": {"baseline": "every 4 years (baseline)", "no-tendering": "no tendering",
                  "tendering-every-2-years": "every 2 years"},
        "indicators": ["local_knowledge_mean", "professional_changed_share",
                       "collective_hours", "institutional_trust_mean"],
        "extra": ["institutional_trust_vulnerable", "initiatives", "open_cases"],
    },
    {
        "id": "collective-work",
        "title": "Collective work from 2% to 30%",
        "scenarios": ["baseline", "collective-work-shift"],
        "names": {"baseline": "2% (baseline)", "collective-work-shift": "30% from 2027"},
        "indicators": ["initiatives", "neighbourhood_volunteers_share", "community_strength",
                       "open_cases"],
        "extra": ["leaders", "lonely_share", "formal_care_share", "unmet_care_hours"],
    },
    {
        "id": "budget-cut",
        "title": "A 25% budget cut",
        "scenarios": ["baseline", "cuts-2015"],
        "names": {"baseline": "baseline", "cuts-2015": "25% cut in 2027"},
        "indicators": ["professionals_fte", "public_places_open", "collective_hours",
                       "community_strength"],
        "extra": ["ties_per_resident", "unmet_care_hours", "waiting_list", "initiatives",
                  "institutional_trust_mean"],
    },
    {
        "id": "energy",
        "title": "Going off gas: top-down or community-led",
        "scenarios": ["baseline", "energy-top-down", "energy-community-led"],
        "names": {"baseline": "no project (baseline)", "energy-top-down": "top-down",
                  "energy-community-led": "community-led"},
        "indicators": ["homes_retrofitted_share", "energy_in_favour_share",
                       "institutional_trust_mean", "community_strength"],
        "extra": ["institutional_trust_p10", "social_trust_mean", "initiatives"],
    },
    {
        "id": "allocation",
        "title": "Who gets the empty homes, and who handles the nuisance",
        "place": "W01-B1",
        "place_name": "Buurt 1 (45% social rent)",
        "scenarios": ["baseline", "urgent-allocation-40", "housing-association-withdraws"],
        "names": {"baseline": "20% urgent, association present (baseline)",
                  "urgent-allocation-40": "40% urgent from 2027",
                  "housing-association-withdraws": "association withdraws in 2027"},
        "indicators": ["condition_share", "nuisance_often_share", "complaints_handled_share",
                       "trust_housing_mean"],
        "extra": ["care_need_share", "urgent_lettings_share", "social_trust_mean",
                  "move_out_rate_owner", "cs_efficacy", "evictions", "initiatives"],
    },
]


def place_index(card, o):
    """Index of the card's place in an output (the city, 0, by default)."""
    return o.place_of(card["place"]) if card.get("place") else 0


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--buurtlab", default=None,
                    help="the buurtlab program (default: build/release/tools/buurtlab, else PATH)")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "workshop", "figures"),
                    help="folder for figures and numbers (default docs/workshop/figures)")
    ap.add_argument("--runs", default=os.path.join(ROOT, "out", "workshop"),
                    help="folder for the runs' output files (default out/workshop)")
    ap.add_argument("--duration", help="run length instead of the scenarios' (e.g. '2 years')")
    ap.add_argument("--replicates", type=int, help="replicates instead of the scenarios' 10")
    ap.add_argument("--population-scale", type=float, default=1.0,
                    help="multiply every buurt's population (e.g. 0.1 for a quick run)")
    ap.add_argument("--threads", type=int, help="worker threads per run (default: all)")
    ap.add_argument("--reuse", action="store_true",
                    help="use existing complete output files in --runs instead of running again")
    return ap.parse_args()


def find_buurtlab(given):
    if given:
        return given
    built = os.path.join(ROOT, "build", "release", "tools", "buurtlab")
    if os.path.exists(built):
        return built
    found = shutil.which("buurtlab")
    if not found:
        sys.exit("workshop_figures.py: no buurtlab program found; give --buurtlab")
    return found


def population_overrides(scale):
    """--set overrides that scale each buurt of baseline.yaml, which every card's scenario
    extends (so they all share its places)."""
    if scale == 1.0:
        return []
    import yaml

    with open(os.path.join(ROOT, "scenarios", "baseline.yaml"), encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    sets = []
    for w, wijk in enumerate(doc["places"]["wijken"]):
        for b, buurt in enumerate(wijk["buurten"]):
            n = max(50, int(round(buurt["population"] * scale)))
            sets += ["--set", f"places.wijken.{w}.buurten.{b}.population={n}"]
    return sets


def run_scenarios(args, program, names):
    os.makedirs(args.runs, exist_ok=True)
    from buurtlab_tools.results import Output

    common = population_overrides(args.population_scale)
    if args.duration:
        common += ["--set", f"duration={args.duration}"]
    if args.replicates:
        common += ["--replicates", str(args.replicates)]
    if args.threads:
        common += ["--threads", str(args.threads)]
    paths = {}
    for name in names:
        path = os.path.join(args.runs, f"{name}.h5")
        paths[name] = path
        if args.reuse and os.path.exists(path):
            with Output(path) as o:
                if o.complete:
                    print(f"reusing {path}")
                    continue
        t0 = time.monotonic()
        cmd = [program, "run", f"builtin:{name}.yaml", "-o", path, "--overwrite", "--quiet",
               *common]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"workshop_figures.py: {' '.join(cmd)} failed:\n{p.stderr}")
        print(f"ran {name} in {time.monotonic() - t0:.0f} s -> {path}")
    return paths


def card_numbers(card, outs):
    """For each indicator of the card: reference and scenario statistics at its place."""
    import numpy as np

    from buurtlab_tools import stats

    rows = []
    for name in card["indicators"] + card.get("extra", []):
        units, long_name = outs[0].indicator_info(name)
        summ = []
        for o in outs:
            pi = place_index(card, o)
            values = o.read(name, [pi])[:, :, 0][o.complete_replicates]
            summ.append(stats.summaries(values))
        first = outs[0].read(name, [place_index(card, outs[0])])[:, 0, 0]
        # Some indicators are undefined at the start (no initiatives yet, nobody's professional
        # left yet): NaN, shown as n/a.
        start = float(np.nanmean(first)) if np.any(~np.isnan(first)) else math.nan
        row = {"indicator": name, "units": units, "description": long_name,
               "reference": card["scenarios"][0], "reference_start": start}
        m, lo, hi, n = stats.mean_interval(summ[0][0])
        row.update(reference_end=m, reference_end_ci=[lo, hi], replicates=n)
        m, lo, hi, _ = stats.mean_interval(summ[0][1])
        row.update(reference_mean=m, reference_mean_ci=[lo, hi])
        row["scenarios"] = []
        for scen, s in zip(card["scenarios"][1:], summ[1:]):
            end = stats.mean_interval(s[0])
            mean = stats.mean_interval(s[1])
            d_end = stats.welch_interval(summ[0][0], s[0])
            d_mean = stats.welch_interval(summ[0][1], s[1])
            row["scenarios"].append({
                "scenario": scen, "end": end[0], "end_ci": list(end[1:3]),
                "mean": mean[0], "mean_ci": list(mean[1:3]),
                "end_difference": d_end[0], "end_difference_ci": list(d_end[1:]),
                "mean_difference": d_mean[0], "mean_difference_ci": list(d_mean[1:])})
        rows.append(row)
    return rows


def draw_card(card, outs, path):
    import matplotlib.pyplot as plt

    from buurtlab_tools import charts

    fig = plt.figure(layout="constrained", figsize=(11, 7.4))
    grid = fig.add_gridspec(3, 2, height_ratios=[0.35, 3, 3])
    legend_ax = fig.add_subplot(grid[0, :])
    legend_ax.axis("off")
    axes = []
    for k, name in enumerate(card["indicators"]):
        ax = fig.add_subplot(grid[1 + k // 2, k % 2], sharex=axes[0] if axes else None)
        axes.append(ax)
        units, _ = outs[0].indicator_info(name)
        for f, (scen, o) in enumerate(zip(card["scenarios"], outs)):
            charts.draw_band(ax, o.dates, o.read(name, [place_index(card, o)])[:, :, 0],
                             charts.COLOURS[f], card["names"].get(scen, scen) if k == 0 else None)
        charts.panel_title(ax, name, units, None, size=11)
        charts.format_time_axis(ax)
    handles, texts = axes[0].get_legend_handles_labels()
    legend_ax.legend(handles, texts, loc="center", ncol=len(handles), frameon=False, fontsize=10)
    reps = outs[0].replicates
    fig.suptitle(card["title"], fontsize=14, fontweight="bold")
    where = card.get("place_name", "City level")
    fig.supxlabel(f"{where}; line: median of {reps} replicates, band: 5-95%. "
                  "Figure made by tools/python/workshop_figures.py from real runs.",
                  fontsize=8, color="#555555")
    fig.savefig(path, dpi=100)
    plt.close(fig)


def draw_overview(paths, outs_by_name, path):
    import matplotlib.pyplot as plt

    from buurtlab_tools import charts

    fig, ax = plt.subplots(layout="constrained", figsize=(11, 5))
    for f, name in enumerate(paths):
        o = outs_by_name[name]
        charts.draw_band(ax, o.dates, o.read("community_strength", [0])[:, :, 0],
                         charts.COLOURS[f % len(charts.COLOURS)], name, band=False)
    units, _ = next(iter(outs_by_name.values())).indicator_info("community_strength")
    charts.panel_title(ax, "community_strength", units, None, size=11)
    charts.format_time_axis(ax)
    # Beside the axes, not on them: the lines fill the whole plot area.
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.suptitle("Community strength in every workshop scenario (median of replicates)",
                 fontsize=13)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def fmt(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def signed(x):
    s = fmt(x)
    return ("+" + s) if isinstance(x, float) and not math.isnan(x) and x > 0 else s


def ci(pair):
    lo, hi = pair
    return "" if math.isnan(lo) else f" [{fmt(lo)}, {fmt(hi)}]"


def write_markdown(numbers, path):
    s = numbers["settings"]
    lines = ["# Workshop numbers", "",
             f"Generated by `tools/python/workshop_figures.py` on {numbers['generated']} "
             f"(buurtlab {numbers['buurtlab_version']}): city level unless a card names its "
             "place, "
             f"{s['replicates']} replicates, {s['duration']}, population x{s['population_scale']}. "
             "End = value at the end of the run, mean = average over the run; both are means "
             "over replicates with 95% intervals; differences are against the card's first "
             "scenario, with 95% Welch intervals.", ""]
    for card in numbers["cards"]:
        where = f" ({card['place_name']})" if card.get("place_name") else ""
        lines += [f"## {card['title']}{where}", "",
                  "| indicator | scenario | start | end | difference at end | mean over run | "
                  "difference in mean |", "|---|---|---|---|---|---|---|"]
        for row in card["indicators"]:
            ref = card["names"].get(row["reference"], row["reference"])
            lines.append(f"| `{row['indicator']}` | {ref} | {fmt(row['reference_start'])} | "
                         f"{fmt(row['reference_end'])}{ci(row['reference_end_ci'])} | | "
                         f"{fmt(row['reference_mean'])}{ci(row['reference_mean_ci'])} | |")
            for sc in row["scenarios"]:
                name = card["names"].get(sc["scenario"], sc["scenario"])
                lines.append(f"| | {name} | | {fmt(sc['end'])}{ci(sc['end_ci'])} | "
                             f"{signed(sc['end_difference'])}{ci(sc['end_difference_ci'])} | "
                             f"{fmt(sc['mean'])}{ci(sc['mean_ci'])} | "
                             f"{signed(sc['mean_difference'])}{ci(sc['mean_difference_ci'])} |")
        lines.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def main():
    args = parse_args()
    program = find_buurtlab(args.buurtlab)
    from buurtlab_tools.results import Output

    names = list(dict.fromkeys(s for c in CARDS for s in c["scenarios"]))
    paths = run_scenarios(args, program, names)
    os.makedirs(args.out, exist_ok=True)
    outs = {n: Output(p) for n, p in paths.items()}
    try:
        first = outs[names[0]]
        numbers = {
            "generated": datetime.date.today().isoformat(),
            "buurtlab_version": first.attrs.get("buurtlab_version", "?"),
            "settings": {"duration": args.duration or "scenario's own (10 years)",
                         "replicates": first.replicates,
                         "population_scale": args.population_scale,
                         "start": str(first.dates[0])[:10], "end": str(first.dates[-1])[:10]},
            "cards": [],
        }
        for card in CARDS:
            card_outs = [outs[s] for s in card["scenarios"]]
            draw_card(card, card_outs, os.path.join(args.out, f"card-{card['id']}.png"))
            numbers["cards"].append({"id": card["id"], "title": card["title"],
                                     "names": card["names"],
                                     "place": card.get("place"),
                                     "place_name": card.get("place_name"),
                                     "indicators": card_numbers(card, card_outs)})
        draw_overview(paths, outs, os.path.join(args.out, "overview.png"))
    finally:
        for o in outs.values():
            o.close()
    with open(os.path.join(args.out, "numbers.json"), "w", encoding="utf-8") as f:
        json.dump(numbers, f, indent=1, allow_nan=True)
    write_markdown(numbers, os.path.join(args.out, "numbers.md"))
    print(f"wrote {len(CARDS)} cards, overview.png, numbers.json and numbers.md to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
