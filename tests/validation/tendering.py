#!/usr/bin/env python3
"""What re-tendering does, and how much that depends on the relational channel's parameters.

Two measurements for docs/validation.md ("What tendering does now"):

  effects      the built-in tendering scenarios (every 8, 4 and 2 years) against no tendering:
               paired effects over a window of years on the indicators of the relational channel
  sensitivity  tendering every 2 years against none, with one parameter set to each value of
               its plausible range (both runs get the same value)
  channels     tendering every 2 years against none with one channel of the relational model
               switched off at a time (both runs), to see which channel carries the effect

Every run keeps the baseline's seed, so replicate r of each scenario starts from the same world
(common random numbers) and the comparison is paired by replicate: effect = mean of the
per-replicate differences of the window mean, with a 95% t interval, and a two-sided p from the
exact sign-flip permutation test (twice the smaller one-sided p, capped at 1).

Usage:
  tendering.py effects --buurtlab PATH [--reps 10] [--years 10] [--work DIR]
  tendering.py sensitivity --buurtlab PATH [--reps 10] [--years 10] [--work DIR]
               [--only relations.decay,...]
  tendering.py channels --buurtlab PATH [--reps 10] [--years 10] [--work DIR]

The built-in scenarios run a 10-year spin-up with their tenders in it (at whole intervals before
the start date), so a run starts in its tendering regime; the window is the whole run by default
(--y0 0).
"""
import argparse
import os
import sys
import time


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vrun  # noqa: E402
import vstats  # noqa: E402

SCENARIOS = [("none", "builtin:no-tendering.yaml"),
             ("8 years", "builtin:tendering-every-8-years.yaml"),
             ("4 years", "builtin:tendering-every-4-years.yaml"),
             ("2 years", "builtin:tendering-every-2-years.yaml")]

EFFECT_INDICATORS = ["institutional_trust_mean", "initiatives", "initiative_viability_mean",
                     "dissolution_hazard", "community_strength", "local_knowledge_mean",
                     "initiative_relationship_mean", "referral_network", "familiarity_mean",
                     "knows_professional_share", "staff_turnover", "clients_per_1000",
                     "waiting_list", "team_workload", "collective_hours", "professionals_fte",
                     "vacancies", "open_cases", "unmet_care_hours", "cs_initiatives",
                     "cs_participation", "key_figures", "institutional_trust_vulnerable",
                     "professional_changed_share", "professional_tenure_mean",
                     "initiatives_founded", "leaders"]

# A parameter's default value uses the unmodified scenarios' runs (DEFAULTS).
SENSITIVITY = [("relations.loss_weight", [0, 1, 3]),
               ("professionals.workload_turnover_factor", [0, 1, 3]),
               ("professionals.workload_sick_factor", [0, 1, 3]),
               ("relations.support_weight", [0, 0.5, 1]),
               ("professionals.community_residents_per_fte", [5000, 10000, 40000]),
               ("relations.build_hours", [10, 40, 160]),
               ("key_figures.signal_weight", [0, 0.5, 1]),
               ("procurement.network_transfer", [0, 0.5, 1]),
               ("relations.decay", [0.2, 0.5, 1])]
DEFAULTS = {"relations.support_weight": 0.5, "relations.build_hours": 40,
            "relations.loss_weight": 1, "professionals.community_residents_per_fte": 10000,
            "key_figures.signal_weight": 0.5, "procurement.network_transfer": 0,
            "relations.decay": 0.5, "professionals.workload_turnover_factor": 1,
            "professionals.workload_sick_factor": 1}
SENSITIVITY_INDICATORS = ["institutional_trust_mean", "initiatives", "community_strength"]

# Channels of the relational model, each switched off on both runs (docs/validation.md, "Which
# channel carries it"): (label, {parameter: value}).
CHANNELS = [
    ("all channels (defaults)", {}),
    ("no trust cost of lost relationships (relations.loss_weight 0)",
     {"relations.loss_weight": 0}),
    ("support independent of relationships (relations.support_weight 0)",
     {"relations.support_weight": 0}),
    ("no workload spiral (workload_turnover_factor 0, workload_sick_factor 0)",
     {"professionals.workload_turnover_factor": 0, "professionals.workload_sick_factor": 0}),
    ("no referral network or key figures' signals (signal_weight 0, network_transfer 1)",
     {"key_figures.signal_weight": 0, "procurement.network_transfer": 1}),
    ("all four off", {"relations.loss_weight": 0, "relations.support_weight": 0,
                      "professionals.workload_turnover_factor": 0,
                      "professionals.workload_sick_factor": 0, "key_figures.signal_weight": 0,
                      "procurement.network_transfer": 1}),
]
CHANNEL_INDICATORS = ["institutional_trust_mean", "initiatives", "dissolution_hazard",
                      "community_strength", "local_knowledge_mean", "collective_hours",
                      "staff_turnover", "team_workload", "waiting_list", "unmet_care_hours"]




def level(x):
    ax = abs(x)
    return f"{x:.1f}" if ax >= 100 else f"{x:.2f}" if ax >= 1 else f"{x:.4f}"


def effects(args, runner):
    runs = {}
    for label, scen in SCENARIOS:
        t = time.time()
        runs[label] = runner.run(scen, args.reps, args.years)
        print(f"# {vrun.Runner.command(scen, args.reps, args.years)}  ({time.time() - t:.0f} s)",
              flush=True)
    base = runs["none"]
    print(f"\nPaired effects vs no tendering, years {args.y0:g}-{args.years}, {args.reps} replicates"
          " (effect [95% CI], two-sided sign-flip p)\n")
    print("| indicator | none | " + " | ".join(f"every {l}" for l, _ in SCENARIOS[1:]) + " |")
    print("|---|---|" + "---|" * (len(SCENARIOS) - 1))
    for name in EFFECT_INDICATORS:
        try:
            a = base.window_value(name, args.y0, args.years)
        except KeyError:
            continue
        cells = []
        for label, _ in SCENARIOS[1:]:
            b = runs[label].window_value(name, args.y0, args.years)
            r = vstats.paired_two_sided(a, b)
            cells.append(vstats.effect_text(r, 3))
        print(f"| {name} | {level(a.mean())} | " + " | ".join(cells) + " |", flush=True)


def sensitivity(args, runner):
    only = set(args.only.split(",")) if args.only else None
    print(f"Tendering every 2 years vs none, years {args.y0:g}-{args.years}, {args.reps} replicates"
          " (effect [95% CI], two-sided sign-flip p; level without tendering)\n")
    print("| parameter | value | " + " | ".join(SENSITIVITY_INDICATORS) + " |")
    print("|---|---|" + "---|" * len(SENSITIVITY_INDICATORS), flush=True)
    for key, values in SENSITIVITY:
        if only and key not in only:
            continue
        for v in values:
            sets = {} if v == DEFAULTS[key] else {f"parameters.{key}": v}
            a_run = runner.run(SCENARIOS[0][1], args.reps, args.years, sets)
            b_run = runner.run(SCENARIOS[3][1], args.reps, args.years, sets)
            cells = []
            for name in SENSITIVITY_INDICATORS:
                a = a_run.window_value(name, args.y0, args.years)
                b = b_run.window_value(name, args.y0, args.years)
                r = vstats.paired_two_sided(a, b)
                cells.append(f"{vstats.effect_text(r)} ({level(a.mean())})")
            shown = f"{v} (default)" if v == DEFAULTS[key] else f"{v}"
            print(f"| {key} | {shown} | " + " | ".join(cells) + " |", flush=True)


def channels(args, runner):
    print(f"Tendering every 2 years vs none, years {args.y0:g}-{args.years}, {args.reps} replicates,"
          " one channel off at a time on both runs (effect [95% CI]; level without tendering)\n")
    for label, params in CHANNELS:
        sets = {f"parameters.{k}": v for k, v in params.items()}
        a_run = runner.run(SCENARIOS[0][1], args.reps, args.years, sets)
        b_run = runner.run(SCENARIOS[3][1], args.reps, args.years, sets)
        print(f"## {label}")
        for name in CHANNEL_INDICATORS:
            try:
                a = a_run.window_value(name, args.y0, args.years)
                b = b_run.window_value(name, args.y0, args.years)
            except KeyError:
                continue
            r = vstats.paired_two_sided(a, b)
            print(f"  {name:28s} {vstats.effect_text(r)} ({level(a.mean())})", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["effects", "sensitivity", "channels"])
    ap.add_argument("--buurtlab", required=True)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--y0", type=float, default=0.0,
                    help="window start (years); default 0, the whole run (the spin-up holds "
                         "the earlier tenders)")
    ap.add_argument("--work", default="tendering-work")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", help="sensitivity: comma-separated parameter keys")
    args = ap.parse_args()
    runner = vrun.Runner(args.buurtlab, args.work, threads=args.threads)
    {"effects": effects, "sensitivity": sensitivity, "channels": channels}[args.what](args, runner)


if __name__ == "__main__":
    main()
