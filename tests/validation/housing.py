#!/usr/bin/env python3
"""Vulnerable residents in housing-association stock and public places: what emerges.

Measurements for docs/validation.md ("Housing and places"); each says whether its answer follows
from a rule by construction (verification) or from the interplay of mechanisms (emergent).

  concentration  allocation.urgent_share at 0, 0.2 (default), 0.4 and 0.6 from the initial state
                 (no spin-up), 30 years: the share of adults with a condition, of residents with
                 moderate or higher need, and neighbour nuisance in the buurt with most social rent
                 (Buurt 1, 45%) and the one with least (Buurt 4, 15%), at the start and in the
                 last five years, and the gap between them
  places         closing Buurt 1's community centre (which hosts its initiatives) against closing
                 a place there with the same hours that hosts none, each against no closure
                 (tests/validation/scenarios/centre-closure*.yaml); and the difference between
                 the two closures at other values of places.unhosted_factor
  sensitivity    the urgent-allocation effect (0.4 against 0.2, 20 years from the start state) with
                 one assumed parameter of the housing mechanisms at the ends of its plausible range

Every run keeps the baseline's seed, so replicate r of each run starts from the same world (common
random numbers) and comparisons are paired by replicate: effect = mean of the per-replicate
differences, with a 95% t interval and a two-sided sign-flip p.

Usage:
  housing.py concentration --buurtlab PATH [--reps 8] [--years 30] [--work DIR]
  housing.py places --buurtlab PATH [--reps 10] [--years 10] [--work DIR]
  housing.py sensitivity --buurtlab PATH [--reps 8] [--years 20] [--work DIR] [--only KEY,...]
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vrun  # noqa: E402
import vstats  # noqa: E402

B_SOCIAL, B_OWNER = "W01-B1", "W01-B4"
URGENT = [0.0, 0.2, 0.4, 0.6]
CONC_INDICATORS = ["condition_share", "care_need_share", "nuisance_often_share",
                   "social_trust_mean", "cs_efficacy", "move_out_rate_owner"]
PLACE_INDICATORS = ["initiatives", "hosted_initiatives_share", "initiative_viability_mean",
                    "dissolution_hazard", "place_hours_per_1000", "knows_professional_share",
                    "trust_municipality_mean", "cs_bridging", "lonely_share", "community_strength"]
SENSITIVITY = [("condition.onset_factor", [1.5, 4]),
               ("nuisance.condition_rate", [4, 26]),
               ("nuisance.complaint_prob", [0.01, 0.1]),
               ("moves.nuisance_push", [0, 3]),
               ("moves.need_push", [0, 2]),
               ("moves.ability_low_income", [0, 1]),
               ("allocation.newcomer_need_factor", [0, 0.5])]
SENS_INDICATORS = [("condition_share", B_SOCIAL), ("care_need_share", B_SOCIAL),
                   ("nuisance_often_share", B_SOCIAL), ("team_workload", None)]






def cell(r):
    return vstats.effect_text(r)




def concentration(args, R):
    runs = {}
    for u in URGENT:
        sets = {"spin_up": "0 years", "parameters.allocation.urgent_share": u}
        t = time.time()
        runs[u] = R.run("builtin:baseline", args.reps, args.years, sets)
        print(f"# {vrun.Runner.command('builtin:baseline', args.reps, args.years, sets)}"
              f"  ({time.time() - t:.0f} s)", flush=True)
    y0, y1 = args.years - 5, args.years
    print(f"\nLevels (mean over replicates) at the start and in years {y0}-{y1}; "
          f"{args.reps} replicates, from the initial state\n")
    print("| indicator | urgent share | Buurt 1 (45% social) start | Buurt 1 end | "
          "Buurt 4 (15% social) start | Buurt 4 end | gap B1 - B4 end |")
    print("|---|---|---|---|---|---|---|")
    for name in CONC_INDICATORS:
        for u in URGENT:
            r = runs[u]
            s1, s4 = r.at(name, 0, B_SOCIAL), r.at(name, 0, B_OWNER)
            e1, e4 = r.window_mean(name, y0, y1, B_SOCIAL), r.window_mean(name, y0, y1, B_OWNER)
            print(f"| {name} | {u:g} | {np.nanmean(s1):.4f} | {np.nanmean(e1):.4f} | "
                  f"{np.nanmean(s4):.4f} | {np.nanmean(e4):.4f} | {np.nanmean(e1 - e4):+.4f} |",
                  flush=True)
    print(f"\nDose response: paired effect of each urgent share against 0.2 on the years "
          f"{y0}-{y1} mean in Buurt 1, and on the gap Buurt 1 - Buurt 4\n")
    print("| indicator | place | " + " | ".join(f"{u:g} vs 0.2" for u in URGENT if u != 0.2) + " |")
    print("|---|---|" + "---|" * (len(URGENT) - 1))
    for name in CONC_INDICATORS:
        for label, f in [("Buurt 1", lambda r: r.window_mean(name, y0, y1, B_SOCIAL)),
                         ("gap B1 - B4", lambda r: r.window_mean(name, y0, y1, B_SOCIAL)
                          - r.window_mean(name, y0, y1, B_OWNER))]:
            a = f(runs[0.2])
            cells = [cell(vstats.paired_two_sided(a, f(runs[u]))) for u in URGENT if u != 0.2]
            print(f"| {name} | {label} | " + " | ".join(cells) + " |", flush=True)


def places(args, R):
    runs = {}
    for s in ["centre-closure", "centre-closure-hosting", "centre-closure-other"]:
        t = time.time()
        runs[s] = R.run(s, args.reps, args.years)
        print(f"# {vrun.Runner.command(s, args.reps, args.years)}  ({time.time() - t:.0f} s)",
              flush=True)
    y0, y1 = 1, args.years
    base = runs["centre-closure"]
    print(f"\nBuurt 1, years {y0}-{y1} (the closure is at the start of year 1), {args.reps} "
          "replicates: level without a closure, paired effect of each closure, and the difference "
          "hosting - other\n")
    print("| indicator | no closure | centre (hosting) closes | other place closes | "
          "hosting - other |")
    print("|---|---|---|---|---|")
    for name in PLACE_INDICATORS:
        place = None if name == "dissolution_hazard" else B_SOCIAL
        a = base.window_value(name, y0, y1, place)
        h = runs["centre-closure-hosting"].window_value(name, y0, y1, place)
        o = runs["centre-closure-other"].window_value(name, y0, y1, place)
        label = name + (" (wijk)" if place is None else "")
        print(f"| {label} | {np.nanmean(a):.4f} | {cell(vstats.paired_two_sided(a, h))} | {cell(vstats.paired_two_sided(a, o))} | "
              f"{cell(vstats.paired_two_sided(o, h))} |", flush=True)
    # How much of the difference rests on the assumed places.unhosted_factor (0.5).
    print("\nThe difference hosting - other at other values of places.unhosted_factor (all three runs "
          "get the value)\n")
    names = ["initiatives", "initiative_viability_mean", "community_strength"]
    print("| places.unhosted_factor | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for u in [0.25, 0.5, 0.75, 1.0]:
        sets = {} if u == 0.5 else {"parameters.places.unhosted_factor": u}
        rh = runs["centre-closure-hosting"] if u == 0.5 else R.run("centre-closure-hosting", args.reps,
                                                                    args.years, sets)
        ro = runs["centre-closure-other"] if u == 0.5 else R.run("centre-closure-other", args.reps,
                                                                  args.years, sets)
        cells = [cell(vstats.paired_two_sided(ro.window_value(n, y0, y1, B_SOCIAL),
                                              rh.window_value(n, y0, y1, B_SOCIAL)))
                 for n in names]
        print(f"| {u:g}{' (default)' if u == 0.5 else ''} | " + " | ".join(cells) + " |", flush=True)


def sensitivity(args, R):
    only = set(args.only.split(",")) if args.only else None
    print(f"Urgent allocation 0.4 against 0.2, from the initial state, years "
          f"{args.years - 5}-{args.years}, {args.reps} replicates: paired effect [95% CI] "
          "(level at 0.2)\n")
    print("| parameter | value | " + " | ".join(f"{n} ({p or 'city'})" for n, p in SENS_INDICATORS)
          + " |")
    print("|---|---|" + "---|" * len(SENS_INDICATORS), flush=True)
    y0, y1 = args.years - 5, args.years
    for key, values in [(None, [None])] + SENSITIVITY:
        if key and only and key not in only:
            continue
        for v in values:
            sets = {"spin_up": "0 years"}
            if key:
                sets[f"parameters.{key}"] = v
            a_run = R.run("builtin:baseline", args.reps, args.years,
                          {**sets, "parameters.allocation.urgent_share": 0.2})
            b_run = R.run("builtin:baseline", args.reps, args.years,
                          {**sets, "parameters.allocation.urgent_share": 0.4})
            cells = []
            for name, place in SENS_INDICATORS:
                a = a_run.window_mean(name, y0, y1, place)
                b = b_run.window_mean(name, y0, y1, place)
                cells.append(f"{cell(vstats.paired_two_sided(a, b))} ({np.nanmean(a):.3f})")
            print(f"| {key or '(defaults)'} | {'' if v is None else v} | " + " | ".join(cells)
                  + " |", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["concentration", "places", "sensitivity"])
    ap.add_argument("--buurtlab", required=True)
    ap.add_argument("--reps", type=int, default=None)
    ap.add_argument("--years", type=int, default=None)
    ap.add_argument("--work", default="housing-work")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", help="sensitivity: comma-separated parameter keys")
    a = ap.parse_args()
    defaults = {"concentration": (8, 30), "places": (10, 10), "sensitivity": (8, 20)}[a.what]
    a.reps = a.reps or defaults[0]
    a.years = a.years or defaults[1]
    R = vrun.Runner(a.buurtlab, a.work, threads=a.threads)
    {"concentration": concentration, "places": places, "sensitivity": sensitivity}[a.what](a, R)
    return 0


if __name__ == "__main__":
    sys.exit(main())
