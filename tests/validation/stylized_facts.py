#!/usr/bin/env python3
"""Tests the neighbourhood model against the source's directional stylized facts.

Each fact (docs/model.md section 1.2, docs/validation.md) is measured by running scenarios over
replicates and comparing indicators. Scenarios that share a seed share their replicate seeds, so
replicate r of two scenarios starts from the same world and draws the same random numbers until
their levers make them differ (common random numbers). Comparisons between two such scenarios,
or between two places of one run, are therefore paired by replicate:

  effect  mean over replicates of the paired difference (B - A);
  95% CI  t interval of that mean;
  p       one-sided exact sign-flip permutation test of the paired differences, in the predicted
          direction.

Comparisons of one scenario with a fixed value use a one-sample t-test. A check holds when
p < ALPHA and, where stated, its size condition holds. Every check on a mean trust level (0-1)
also needs an effect of at least TRUST_MIN_EFFECT: with common random numbers, ten replicates
detect trust differences of a few hundred-thousandths, which no one would call an effect.

Facts or parts of facts that the model does not reproduce are listed in NOT_EMERGING with the
reason found in the mechanisms. Their checks still run: a check that fails as expected is
reported as "does not emerge: REASON" and does not fail the run; one that now holds is reported
as a failure, so that the list and docs/validation.md are brought up to date.

Usage:
  stylized_facts.py --buurtlab PATH [--probe PATH] [--quick] [--work DIR] [--only 1,3]
                    [--threads N] [--json FILE] [--keep] [--verbose]

--quick runs the reduced set (fewer replicates, shorter runs, at least one check per fact) that
CI runs; the default is the full set (ctest label `slow`). Prints one line per check, then
"N passed, N failed" (and the number of checks that do not emerge, as expected); exits 1 if any
check failed.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vrun  # noqa: E402
import vstats  # noqa: E402

ALPHA = 0.05
# Smallest difference in a mean trust level (0-1 scale) that counts as an effect: 0.001, a tenth
# of a point on a 0-100 scale (a judgement; docs/validation.md).
TRUST_MIN_EFFECT = 0.001

# Checks that are expected not to hold, with the reason found in the mechanisms (docs/model.md).
NOT_EMERGING = {
    "1c": "the dissolution hazard does not rise at the default collective share (+0.001 "
          "[-0.029, +0.031] a year, n.s., full set of 0.2.0; at 30% collective work it does, 1c2). "
          "The reason found in 0.1.0 (its figures): tendering lowers the wijk's collective hours by about 6% (19.5 -> "
          "18.3 a week, mostly community workers, who work collectively only) and the "
          "initiatives' relationship with their professional by 0.05 of 0.39, which costs a few "
          "percent of their support (relations.support_weight 0.5; at 0 the hazard does not rise "
          "either); fewer initiatives are founded (-3%), but those that exist last as long",
    "2a": "departures are no longer equal: under turnover 0.62 posts stay vacant while they are "
          "refilled (0.72 FTE vacant against 0.24 under contract changes, full set, years 2-10), "
          "the team's workload rises to 1.76 (1.14), and workload-driven turnover "
          "(professionals.workload_turnover_factor) raises generalists' departures further: "
          "staff_turnover 0.88 against 0.62 a year, so K is equal (0.458 against 0.466); housing "
          "consultants, outside the contract, also leave at 0.62 against 0.12. With the workload "
          "factor at 0 in both arms the direction returns (K 0.519 under turnover against 0.466, "
          "-0.054 [-0.086, -0.022], p = 0.004, 10 replicates; figures of 0.1.0; in 0.2.0 the "
          "difference is -0.008 [-0.051, +0.035], n.s.)",
    "2b": "as 2a: the turnover arm's vacancies raise workload and with it turnover (0.88 against "
          "0.62 a year), so its mean tenure is shorter (1.40 against 2.05 years, full set; 1.71 "
          "against 1.96 with the workload factor at 0; figures of 0.1.0)",
    "3b": "the team works at or past its capacity, so collective work costs casework: the cut to "
          "2% gives the generalists' time back to casework, which outweighs the slow loss of "
          "initiatives: open cases are 6.7 lower after the cut (-6.7 [-13.0, -0.4], years 5-10, "
          "full set of 0.2.0; 1.4 lower in 0.1.0, when the workload went from 1.47 to 0.91); open_cases also "
          "counts the support clients (about 16 per 1,000 residents), whose number follows need, "
          "not the informal care around it",
    "5c2": "with the housing mechanisms the vulnerable wijk's collective efficacy falls somewhat "
           "more under the cut (-0.0020 against -0.0011, full set; -0.0046 against -0.0015 before "
           "escalation and eviction were calibrated): its team, past capacity, leaves complaints "
           "about nuisance unhandled, and nuisance lowers neighbours' trust; but the difference "
           "(-0.0009 [-0.0049, +0.0031], p = 0.31) is not significant, and community strength does "
           "not fall more (5c fails: the affluent wijk, with more initiatives, loses more of them)",
    "6e": "energy cooperatives take the place of other initiative types (a founder in favour picks "
          "one half of the time) rather than adding initiatives, so they add no meetings or ties",
    "6e2": "adopting together is one good social experience per adopter, a step of trust.learning "
           "(0.004) of the gap, which the pull back to one's disposition (trust.anchor_rate, 2.5 a "
           "year) erases within months: the effect is detectable but tiny (+0.00005 when the rate "
           "was 1 a year)",
    "7a": "votes are sums of many independent choices with bounded weights (own buurt x3, "
          "1/sqrt(cost) over a 40-fold cost range: at most x6.3; members x4 for their own "
          "project): nothing makes popular projects more popular (no campaigning, no social "
          "influence), so votes spread about as evenly as a Poisson count",
}
NOT_EMERGING["3c"] = ("3c is the lag of 3b's rise in formal care demand; where that rise does not "
                      "emerge (3b) there is no lag to find. " + NOT_EMERGING["3b"])

# Replicates and run lengths (years) of each experiment.
MODES = {
    "full": dict(reps=10, y_tender=10, y_f2=10, y_f3=10, y_f4=10, y_f5=10, y_f6=10,
                 y_f6_long=40, y_f6_base=30, y_f7=6, probe_reps=10, y_caseload=5),
    "quick": dict(reps=6, y_tender=6, y_f2=6, reps_f2=8, y_f3=8, y_f4=6, y_f5=10, reps_f5=10, y_f6=6,
                  y_f7=3, probe_reps=6),
}


class Check:
    def __init__(self, cid, claim, result, holds, metric, runs, note="", trust=False):
        if trust and abs(result.effect) < TRUST_MIN_EFFECT:
            holds = False
            note = (note + "; " if note else "") + \
                f"under the smallest trust effect of interest ({TRUST_MIN_EFFECT})"
        self.cid, self.claim, self.result, self.holds = cid, claim, result, bool(holds)
        self.metric, self.runs, self.note = metric, runs, note
        self.fact = int(cid[0])

    @property
    def status(self):
        if self.cid in NOT_EMERGING:
            return "XPASS" if self.holds else "XFAIL"
        return "PASS" if self.holds else "FAIL"

    def line(self):
        head = {"PASS": "holds", "FAIL": "FAILS", "XFAIL": "does not emerge",
                "XPASS": "NOW EMERGES"}[self.status]
        text = f"[{self.cid}] {head}: {self.claim}\n      {self.metric}: {self.result!r}"
        if self.note:
            text += f"\n      {self.note}"
        if self.status == "XFAIL":
            text += f"\n      does not emerge: {NOT_EMERGING[self.cid]}"
        if self.status == "XPASS":
            text += ("\n      listed as not emerging, but holds now: update NOT_EMERGING in "
                     "stylized_facts.py and docs/validation.md")
        return text

    def as_dict(self):
        d = {"id": self.cid, "fact": self.fact, "claim": self.claim, "status": self.status,
             "metric": self.metric, "runs": self.runs, "note": self.note}
        d.update(self.result.as_dict())
        if self.cid in NOT_EMERGING:
            d["reason"] = NOT_EMERGING[self.cid]
        return d


def sig(r):
    return r.p < ALPHA


def paired_check(cid, claim, a, b, alternative, metric, runs, note="", trust=False):
    """A Check that the paired difference b - a goes in the predicted direction."""
    r = vstats.paired(a, b, alternative)
    return Check(cid, claim, r, sig(r), metric, runs, note=note, trust=trust)


def hazard(run, y0, y1):
    """Initiatives dissolved per initiative-year (city), per replicate."""
    dissolved = run.window_sum("initiatives_dissolved", y0, y1)
    stock = run.window_mean("initiatives", y0, y1) * (y1 - y0)
    return dissolved / stock


def years(w):
    return f"years {w[0]:g}-{w[1]:g}"


# ---------------------------------------------------------------------------------------------
# The facts. Each function returns a list of Checks; `R` runs scenarios, `m` is the mode's plan.


def fact1(R, m, quick):
    """Faster re-tendering lowers local knowledge, institutional trust and initiative survival."""
    n, y = m["reps"], m["y_tender"]
    w = (2, y)  # from the first possible tender on
    none = R.run("builtin:no-tendering", n, y)
    two = R.run("builtin:tendering-every-2-years", n, y)
    cmd = [R.command("builtin:no-tendering", n, y),
           R.command("builtin:tendering-every-2-years", n, y)]
    K = "local_knowledge_mean"
    out = [paired_check("1a", "re-tendering every 2 years lowers professionals' local knowledge "
                        "(vs no tendering)", none.window_mean(K, *w), two.window_mean(K, *w),
                        "less", f"{K}, city, mean over {years(w)}", cmd)]
    if quick:
        return out
    four = R.run("builtin:tendering-every-4-years", n, y)
    eight = R.run("builtin:tendering-every-8-years", n, y)
    cmd_all = cmd + [R.command("builtin:tendering-every-4-years", n, y),
                     R.command("builtin:tendering-every-8-years", n, y)]
    k = {iv: run.window_mean(K, *w).mean() for iv, run in [(0, none), (8, eight), (4, four),
                                                           (2, two)]}
    r8 = vstats.paired(none.window_mean(K, *w), eight.window_mean(K, *w), "less")
    r4 = vstats.paired(none.window_mean(K, *w), four.window_mean(K, *w), "less")
    monotone = k[0] >= k[8] >= k[4] >= k[2]
    out.append(Check("1a2", "knowledge falls with every step to faster tendering (none >= 8 >= 4 "
                     ">= 2 years) and tendering every 4 years already lowers it", r4,
                     monotone and sig(r4), f"{K}, city, {years(w)}; every 4 years vs none",
                     cmd_all, note="means: " + ", ".join(f"{iv or 'none'}: {v:.3f}"
                                                         for iv, v in k.items()) +
                     f"; every 8 years vs none: {r8!r}"))
    I = "institutional_trust_mean"
    out.append(paired_check("1b", "re-tendering every 2 years lowers residents' institutional "
                            "trust", none.window_mean(I, *w), two.window_mean(I, *w), "less",
                            f"{I}, city, {years(w)}", cmd, trust=True))
    out.append(paired_check("1c", "re-tendering every 2 years lowers initiative survival (raises "
                            "the dissolution hazard)", hazard(none, *w), hazard(two, *w),
                            "greater", f"initiatives dissolved per initiative-year, {years(w)}",
                            cmd))
    out.append(paired_check("1d", "re-tendering every 2 years lowers the number of active "
                            "initiatives", none.window_mean("initiatives", *w),
                            two.window_mean("initiatives", *w), "less",
                            f"initiatives, city, {years(w)}", cmd))
    # The same comparison where teams do collective work (30%): does survival respond then?
    s = {"parameters.professionals.collective_share": 0.3}
    none30 = R.run("builtin:no-tendering", n, y, s)
    two30 = R.run("builtin:tendering-every-2-years", n, y, s)
    out.append(paired_check("1c2", "... also with 30% collective work, where initiatives get more "
                            "support", hazard(none30, *w), hazard(two30, *w), "greater",
                            f"dissolution hazard, {years(w)}, collective_share 0.3",
                            [R.command("builtin:no-tendering", n, y, s),
                             R.command("builtin:tendering-every-2-years", n, y, s)]))
    F = "professionals_fte"
    r = vstats.paired(none.window_mean(F, *w), two.window_mean(F, *w), "less")
    out.append(Check("1e", "context, not part of the fact: staff present stays about equal "
                     "(funded posts are equal; a tender leaves some posts vacant for a while)", r,
                     abs(r.effect) < 0.1 * r.mean_a,
                     f"{F}, {years(w)} (holds if the difference is under 10%)", cmd))
    return out


def fact2(R, m, quick):
    """Plain turnover costs less local knowledge than contract changes that replace whole teams."""
    n, y = m.get("reps_f2", m["reps"]), m["y_f2"]
    w = (2, y)  # whole contract cycles after the first change
    t = R.run("turnover-only", n, y)
    c = R.run("contract-change", n, y)
    cmd = [R.command("turnover-only", n, y), R.command("contract-change", n, y)]
    K, T = "local_knowledge_mean", "professional_tenure_mean"
    out = [paired_check("2a", "at equal departures per year, contract changes that replace the "
                        "whole team leave less local knowledge than plain turnover",
                        t.window_mean(K, *w), c.window_mean(K, *w), "less",
                        f"{K}, city, mean over {years(w)} (contract - turnover)", cmd)]
    if not quick:
        out.append(paired_check("2b", "... and shorter tenure in the wijk", t.window_mean(T, *w),
                                c.window_mean(T, *w), "less", f"{T}, {years(w)}", cmd))
    return out


def fact3(R, m, quick):
    """High caseloads crowd out collective work; cutting it raises formal care demand with a lag."""
    n, y = m["reps"], m["y_f3"]
    kept = R.run("collective-work-kept", n, y)
    cut = R.run("collective-work-cut", n, y)
    cmd = [R.command("collective-work-kept", n, y), R.command("collective-work-cut", n, y)]
    early, late = (2, 3), (y - 2 if quick else 5, y)  # the cut is at the start of year 2
    C = "open_cases"
    e_k, e_c = kept.window_mean(C, *early), cut.window_mean(C, *early)
    l_k, l_c = kept.window_mean(C, *late), cut.window_mean(C, *late)
    out = [paired_check("3b", "cutting collective work (30% -> 2%) raises formal care demand "
                        "years later", l_k, l_c, "greater",
                        f"{C} (cases at the team), {years(late)} ({late[0] - 2:g}-{late[1] - 2:g} "
                        "years after the cut)", cmd)]
    r_early = vstats.paired(e_k, e_c, "greater")
    out.append(paired_check("3c", "... with a lag: the rise years later is larger than in the "
                            "first year after the cut", e_c - e_k, l_c - l_k, "greater",
                            f"paired difference of the effects on {C} (late - first year)", cmd,
                            note=f"first year after the cut: {r_early!r}"))
    if quick:
        return out
    for name, ind in [("formal care share", "formal_care_share"),
                      ("unmet care", "unmet_care_hours")]:
        out.append(paired_check("3d", f"... also seen in the {name}", kept.window_mean(ind, *late),
                                cut.window_mean(ind, *late), "greater", f"{ind}, {years(late)}",
                                cmd))
    out.append(paired_check("3e", "the chain: fewer initiatives after the cut",
                            kept.window_mean("initiatives", *late),
                            cut.window_mean("initiatives", *late), "less",
                            f"initiatives, {years(late)}", cmd))
    # First half: a higher caseload at equal staff (more care need) does not shift time.
    yc = m["y_caseload"]
    s = {"places.attributes.vulnerability": 2.5}
    base = R.run("builtin:baseline", n, yc)
    high = R.run("builtin:baseline", n, yc, s)
    cmdc = [R.command("builtin:baseline", n, yc), R.command("builtin:baseline", n, yc, s)]

    def per_fte(run):
        return run.window_mean("collective_hours", 1, yc) / run.window_mean("professionals_fte",
                                                                            1, yc)

    cases = vstats.paired(base.window_mean(C, 1, yc), high.window_mean(C, 1, yc), "greater")
    out.append(paired_check("3a", "a higher caseload (care-need onset x2.5 at equal staff) crowds "
                            "out collective work", per_fte(base), per_fte(high), "less",
                            f"collective_hours per FTE, years 1-{yc}", cmdc,
                            note=f"the caseload does rise: {C} {cases!r}"))
    return out


def fact4(R, m, quick):
    """Initiatives are bottlenecked by leaders; without support they are fragile."""
    n, y = m["reps"], m["y_f4"]
    w = (y / 2, y)
    N = "initiatives"
    base = R.run("builtin:baseline", n, y)
    s_lead = {"parameters.initiatives.leader_threshold": 0.7}
    lead = R.run("builtin:baseline", n, y, s_lead)
    cmd = [R.command("builtin:baseline", n, y), R.command("builtin:baseline", n, y, s_lead)]
    r_lead = vstats.paired(base.window_mean(N, *w), lead.window_mean(N, *w), "greater")
    rel_lead = r_lead.effect / r_lead.mean_a
    out = [Check("4a", "more potential leaders (threshold 0.8 -> 0.7: 7.2% -> 11.2% of adults, "
                 "+55%) give proportionally more initiatives", r_lead,
                 sig(r_lead) and rel_lead > 0.25,
                 f"{N}, city, {years(w)} (holds if significant and over +25%)", cmd,
                 note=f"relative effect {rel_lead:+.0%}")]
    if quick:
        return out
    s_full = {"parameters.professionals.collective_share": 0.3,
              "parameters.initiatives.support_hours_needed": 0.1}
    s_none = dict(s_full, **{"parameters.initiatives.support_hours_needed": 40})
    full = R.run("builtin:baseline", n, y, s_full)
    none = R.run("builtin:baseline", n, y, s_none)
    cmd_s = [R.command("builtin:baseline", n, y, s_full),
             R.command("builtin:baseline", n, y, s_none)]
    r = vstats.paired(hazard(full, 1, y), hazard(none, 1, y), "greater")
    out.append(Check("4c", "without support initiatives are fragile: a higher dissolution hazard "
                     "(30% collective work; full support vs almost none, only the support share "
                     "differs)", r, sig(r), f"initiatives dissolved per initiative-year, years "
                     f"1-{y}", cmd_s, note=f"hazard with full support {r.mean_a:.3f}, without "
                                           f"{r.mean_b:.3f} a year"))
    out.append(paired_check("4d", "... and less viable",
                            full.window_mean("initiative_viability_mean", 1, y),
                            none.window_mean("initiative_viability_mean", 1, y), "less",
                            f"initiative_viability_mean, years 1-{y}", cmd_s))
    s_mem = {"parameters.initiatives.join_rate": 9.3}
    mem = R.run("builtin:baseline", n, y, s_mem)
    r_mem = vstats.paired(base.window_mean(N, *w), mem.window_mean(N, *w), "greater")
    # Bottleneck: initiatives respond to leaders, hardly to members (paired: leaders - members).
    out.append(paired_check("4b", "the bottleneck is leaders, not members: +55% leader potential "
                            "adds more initiatives than +55% joining rate (6 -> 9.3 a year)",
                            mem.window_mean(N, *w), lead.window_mean(N, *w), "greater",
                            f"{N}, {years(w)} (more leaders - more members)",
                            cmd + [R.command("builtin:baseline", n, y, s_mem)],
                            note=f"more members alone: {r_mem!r} "
                                 f"({r_mem.effect / r_mem.mean_a:+.0%})"))
    return out


def fact5(R, m, quick):
    """Poorer, more vulnerable buurten start lower and react more strongly to cuts."""
    n, y = m.get("reps_f5", m["reps"]), m["y_f5"]
    w = (2, y)  # the cut is at the start of year 1
    base = R.run("two-buurten", n, y)
    cut = R.run("two-buurten-cuts", n, y)
    cmd = [R.command("two-buurten", n, y), R.command("two-buurten-cuts", n, y)]
    cs = "community_strength"
    out = [paired_check("5a", "the vulnerable wijk starts lower in collective efficacy",
                        base.at("cs_efficacy", 0, "WG"), base.at("cs_efficacy", 0, "KW"), "less",
                        "cs_efficacy at the start (vulnerable - affluent)", cmd[:1],
                        note=f"{cs} at the start: vulnerable {base.at(cs, 0, 'KW').mean():.3f}, "
                             f"affluent {base.at(cs, 0, 'WG').mean():.3f}")]

    def did(cid, claim, ind, alternative, fmt=".1f", trust=False):
        # Difference in differences: the cut's effect in the vulnerable wijk (KW) against its
        # effect in the affluent wijk (WG), paired by replicate.
        dv = cut.window_mean(ind, *w, "KW") - base.window_mean(ind, *w, "KW")
        da = cut.window_mean(ind, *w, "WG") - base.window_mean(ind, *w, "WG")
        return paired_check(cid, claim, da, dv, alternative,
                            f"cut effect on {ind}, {years(w)} (vulnerable - affluent)", cmd,
                            note=f"cut effect vulnerable {dv.mean():+{fmt}}, affluent "
                                 f"{da.mean():+{fmt}}", trust=trust)

    out.append(did("5b", "the vulnerable wijk reacts more strongly to the cut: unmet care need "
                   "rises more", "unmet_care_hours", "greater"))
    if quick:
        return out
    out.append(did("5b2", "... and its institutional trust falls more",
                   "institutional_trust_mean", "less", ".4f", trust=True))
    out.append(did("5b3", "... through a waiting list at the team", "waiting_list", "greater"))
    out.append(did("5c", "the vulnerable wijk's community strength falls more under the cut "
                   "(collective efficacy as the channel)", cs, "less", ".4f"))
    out.append(did("5c2", "... nor its collective efficacy", "cs_efficacy", "less", ".4f"))
    return out


# Top-down plans: the project starts 2027-01-01 (year 1), consent is checked after 26 weeks and
# the plan runs energy.plan_years (4) years, so it should be complete at year 5.5. Its target is
# half the homes, and homes_retrofitted_share is the share of homes (docs/model.md section 7.8).
PLAN_END_YEARS = 5.5
PLANNED_SHARE = 0.5


def fact6(R, m, quick):
    """Top-down energy projects run behind plan and cost trust; community-led ones start slower
    and level off, but add ties and trust."""
    n, y = m["reps"], m["y_f6"]
    I, H = "institutional_trust_mean", "homes_retrofitted_share"
    base = R.run("builtin:baseline", n, y)
    td = R.run("builtin:energy-top-down", n, y)
    cmd = [R.command("builtin:baseline", n, y), R.command("builtin:energy-top-down", n, y)]
    out = [paired_check("6b", "a top-down project costs institutional trust",
                        base.window_mean(I, 1, y), td.window_mean(I, 1, y), "less",
                        f"{I}, years 1-{y} (top-down - baseline)", cmd, trust=True)]
    r = vstats.one_sample(td.at(H, PLAN_END_YEARS), PLANNED_SHARE, "less")
    out.append(Check("6a", "a top-down project runs behind plan (default consent threshold 0.7)",
                     r, sig(r), f"{H} when the plan should be complete (year {PLAN_END_YEARS}) "
                     f"vs the planned {PLANNED_SHARE:.3f}", cmd[1:],
                     note="consent (70% of adults in favour) is never reached at about 55% in "
                          "favour: the plan stalls, and each yearly retry is a broken promise "
                          "for its supporters"))
    if quick:
        return out
    s = {"timeline.0.args.consent_threshold": 0.5}
    td5 = R.run("builtin:energy-top-down", n, y, s)
    cmd5 = R.command("builtin:energy-top-down", n, y, s)
    r = vstats.one_sample(td5.at(H, PLAN_END_YEARS), PLANNED_SHARE, "less")
    out.append(Check("6a2", "... also when consent is reached (threshold 0.5): only households in "
                     "favour take part", r, sig(r),
                     f"{H} at year {PLAN_END_YEARS} vs the planned {PLANNED_SHARE:.3f}", [cmd5]))
    out.append(paired_check("6b2", "... and then still costs trust (households pushed against "
                            "their will)", base.window_mean(I, 1, y), td5.window_mean(I, 1, y),
                            "less", f"{I}, years 1-{y}", [cmd[0], cmd5], trust=True))
    yl = m["y_f6_long"]
    cl = R.run("builtin:energy-community-led", n, yl)
    cmdl = R.command("builtin:energy-community-led", n, yl)
    out.append(paired_check("6c", "a community-led project starts slower than a top-down one "
                            "that gets consent", td5.at(H, 3), cl.at(H, 3), "less",
                            f"{H} 2 years after the start (community-led - top-down, threshold "
                            "0.5)", [cmd5, cmdl]))
    g1 = cl.at(H, yl - 5) - cl.at(H, yl - 10)
    g2 = cl.at(H, yl) - cl.at(H, yl - 5)
    out.append(paired_check("6d", "... and levels off: adoption slows down after its take-off",
                            g1, g2, "less",
                            f"growth of {H} over years {yl - 5}-{yl} vs {yl - 10}-{yl - 5}",
                            [cmdl], note=f"share retrofitted after 10 years "
                                         f"{cl.at(H, 10).mean():.3f}, 20 years "
                                         f"{cl.at(H, 20).mean():.3f}, {yl} years "
                                         f"{cl.at(H, yl).mean():.3f}"))
    # Ties and trust: compared with the baseline over the years when most adoption happens.
    yb = m["y_f6_base"]
    base_l = R.run("builtin:baseline", n, yb)
    w = (yb - 10, yb)
    for cid, ind, label in [("6e", "ties_per_resident", "ties"),
                            ("6e2", "social_trust_mean", "social trust")]:
        out.append(paired_check(cid, f"a community-led project adds {label}",
                                base_l.window_mean(ind, *w), cl.window_mean(ind, *w), "greater",
                                f"{ind}, {years(w)} (community-led - baseline)",
                                [R.command("builtin:baseline", n, yb), cmdl],
                                trust=ind == "social_trust_mean"))
    return out


def fact7(R, m, quick, probe, workdir, threads):
    """Resident-decided wijkbudgetten: heavy-tailed votes, cheap visible projects win, voters gain
    a little trust."""
    n, y = m["probe_reps"], m["y_f7"]
    path = os.path.join(workdir, f"wijkbudget-probe-{n}-{y}.jsonl")
    cmd_probe = (f"wijkbudget_probe builtin:wijkbudget-residents-decide --replicates {n} "
                 f"--years {y} -o FILE")
    if not os.path.exists(path):
        args = [probe, "builtin:wijkbudget-residents-decide", "--replicates", str(n), "--years",
                str(y), "--threads", str(threads), "-o", path + ".tmp"]
        proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"wijkbudget_probe failed: {proc.stderr}")
        os.replace(path + ".tmp", path)
    rounds = [json.loads(line) for line in open(path)]
    for d in rounds:
        _check_vote_order(d)
    cv, top, logc_vote, logc_off, rho = {}, {}, {}, {}, {}
    for d in rounds:
        P = d["projects"]
        votes = np.array([p["votes"] for p in P], float)
        cost = np.array([p["cost"] for p in P], float)
        fv = np.array([p["funded_vote"] for p in P], bool)
        fo = np.array([p["funded_officials"] for p in P], bool)
        if len(P) < 5 or votes.sum() == 0:
            continue
        rep = d["replicate"]
        s = np.sort(votes)[::-1]
        cv.setdefault(rep, []).append(votes.std() / votes.mean())
        top.setdefault(rep, []).append(s[: max(1, len(s) // 5)].sum() / s.sum())
        if fv.any() and fo.any():
            logc_vote.setdefault(rep, []).append(np.log(cost[fv]).mean())
            logc_off.setdefault(rep, []).append(np.log(cost[fo]).mean())
        rho.setdefault(rep, []).append(_spearman(votes, cost))
    reps = sorted(cv)

    def per(dct):  # per replicate: the mean over its rounds
        return np.array([np.mean(dct[k]) for k in reps])

    r = vstats.one_sample(per(cv), 1.0, "greater")
    out = [Check("7a", "votes are heavy-tailed: more dispersed over projects than an exponential "
                 "distribution (coefficient of variation > 1)", r, sig(r),
                 "coefficient of variation of votes per project, mean over rounds per replicate, "
                 "vs 1", [cmd_probe],
                 note=f"top 20% of projects get {per(top).mean():.0%} of the votes; "
                      f"{len(rounds)} rounds, "
                      f"{np.mean([len(d['projects']) for d in rounds]):.0f} projects and "
                      f"{np.mean([d['voters'] for d in rounds]):.0f} voters per round")]
    r = vstats.paired(per(logc_off), per(logc_vote), "less")
    out.append(Check("7b", "cheap projects win: the projects residents fund are cheaper than "
                     "those officials would fund from the same proposals and budget", r, sig(r),
                     "mean log cost (EUR) of funded projects, residents vote - officials decide",
                     [cmd_probe],
                     note=f"geometric mean cost funded by residents EUR {math.exp(r.mean_b):,.0f}, "
                          f"by officials EUR {math.exp(r.mean_a):,.0f}; Spearman correlation of "
                          f"votes with cost {per(rho).mean():+.2f}"))
    if quick:
        return out
    n2, y2 = m["reps"], 10
    res = R.run("builtin:wijkbudget-residents-decide", n2, y2)
    off = R.run("builtin:wijkbudget-officials-decide", n2, y2)
    cmd = [R.command("builtin:wijkbudget-residents-decide", n2, y2),
           R.command("builtin:wijkbudget-officials-decide", n2, y2)]
    I = "institutional_trust_mean"
    r = vstats.paired(off.window_mean(I, 1, y2), res.window_mean(I, 1, y2), "greater")
    out.append(Check("7c", "voters gain a little trust: institutional trust is higher when "
                     "residents decide than when officials decide (a little: the 95% interval "
                     "stays under 0.05)", r, sig(r) and r.hi < 0.05,
                     f"{I}, years 1-{y2} (residents - officials)", cmd,
                     note=f"voting turnout {res.window_mean('voting_turnout', 1, y2).mean():.1%} "
                          "of residents 16+", trust=True))
    return out


def _check_vote_order(d):
    """The probe's votes and costs must reproduce the round's own funding: projects in order of
    votes (ties in proposal order), each funded if it has votes and still fits the budget."""
    left = d["amount"]
    P = d["projects"]
    for j in sorted(range(len(P)), key=lambda j: (-P[j]["votes"], j)):
        funded = P[j]["votes"] > 0 and P[j]["cost"] <= left + 0.5
        if funded:
            left -= P[j]["cost"]
        if funded != bool(P[j]["funded_vote"]):
            raise RuntimeError(f"wijkbudget_probe: replicate {d['replicate']} tick {d['tick']}: "
                               "the votes found do not reproduce the funding order")
    if sum(p["votes"] for p in P) != d["voters"]:
        raise RuntimeError("wijkbudget_probe: votes do not add up to the voters")


def _spearman(a, b):
    ra = np.argsort(np.argsort(a)).astype(float)
    rb = np.argsort(np.argsort(b)).astype(float)
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--buurtlab", required=True, help="the buurtlab program")
    ap.add_argument("--probe", help="the wijkbudget_probe program (fact 7; skipped without it)")
    ap.add_argument("--work", default="validation-work", help="folder for output files")
    ap.add_argument("--quick", action="store_true", help="the reduced set run by CI")
    ap.add_argument("--only", help="comma-separated fact numbers")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--keep", action="store_true", help="reuse output files already in --work")
    ap.add_argument("--verbose", action="store_true", help="print each buurtlab command")
    a = ap.parse_args()

    if not a.keep and os.path.isdir(a.work):
        shutil.rmtree(a.work)
    R = vrun.Runner(a.buurtlab, a.work, threads=a.threads, verbose=a.verbose)
    mode = "quick" if a.quick else "full"
    m = MODES[mode]
    only = {int(x) for x in a.only.split(",")} if a.only else set(range(1, 8))
    print(f"stylized facts, {mode} set; paired comparisons: sign-flip permutation test, "
          f"one-sided, alpha {ALPHA}", flush=True)
    checks = []
    t0 = time.time()
    facts = [fact1, fact2, fact3, fact4, fact5, fact6,
             lambda R, m, quick: fact7(R, m, quick, a.probe, a.work, a.threads)]
    docs = [f.__doc__ for f in facts[:6]] + [fact7.__doc__]
    for k, (fn, doc) in enumerate(zip(facts, docs), start=1):
        if k not in only:
            continue
        print(f"\nFact {k}: {' '.join(doc.split())}", flush=True)
        if k == 7 and not a.probe:
            print("  skipped: no --probe given", flush=True)
            continue
        t = time.time()
        for c in fn(R, m, a.quick):
            print("  " + c.line(), flush=True)
            checks.append(c)
        print(f"  ({time.time() - t:.0f} s)", flush=True)

    passed = sum(c.status == "PASS" for c in checks)
    failed = sum(c.status in ("FAIL", "XPASS") for c in checks)
    xfail = sum(c.status == "XFAIL" for c in checks)
    print(f"\n{passed} passed, {failed} failed ({xfail} checks do not emerge, as expected; "
          f"{time.time() - t0:.0f} s)")
    for c in checks:
        if c.status == "XFAIL":
            print(f"  does not emerge [{c.cid}]: {c.claim}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"mode": mode, "alpha": ALPHA, "trust_min_effect": TRUST_MIN_EFFECT,
                       "checks": [c.as_dict() for c in checks]}, f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
