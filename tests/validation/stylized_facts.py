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
p < ALPHA (and, where stated, its size condition holds).

Facts or parts of facts that the model does not reproduce are listed in NOT_EMERGING with the
reason found in the mechanisms. Their checks still run: a check that fails as expected is
reported as "does not emerge: REASON" and does not fail the run; one that now holds is reported
as a failure, so that the list and docs/validation.md are brought up to date.

Usage:
  stylized_facts.py --buurtlab PATH [--probe PATH] [--quick] [--work DIR] [--only 1,3]
                    [--threads N] [--json FILE] [--keep] [--verbose]

--quick runs the reduced set (fewer replicates, shorter runs, at least one check per fact) that
the CI runs; the default is the full set (ctest label `slow`). Prints one line per check, then
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

# Checks that are expected not to hold, with the reason found in the mechanisms (docs/model.md).
NOT_EMERGING = {
    "1c": "initiatives' dissolution hazard does not rise with faster tendering: collective hours "
          "are worth 0.5 + 0.5 K, so the ~15% lower knowledge cuts them by ~6%, and the support each "
          "initiative gets is shared among fewer initiatives; fewer are founded (1d) but those that "
          "exist last as long",
    "3a": "the time split is a fixed parameter (professionals.collective_share): a higher caseload "
          "never takes hours from collective work (docs/model.md section 9)",
    "5c": "the cut reaches community strength through collective hours and open places, which fall "
          "alike in both wijken; the activation of founders is a rate per eligible resident, so the "
          "affluent wijk with more trusting potential leaders loses more foundings. The vulnerable "
          "wijk reacts more through its team's capacity instead (5b)",
    "6e": "adopting together is one good social experience per adopter, which the pull back to "
          "one's trust disposition (trust.anchor_rate, 1 a year) erases within about a year; energy "
          "cooperatives take the place of other initiative types rather than adding initiatives, "
          "so they add no meetings or ties",
    "7a": "votes are sums of many independent choices with bounded weights (own buurt x3, "
          "1/sqrt(cost) over a 40-fold cost range: at most x6.3; members x4 for their own project): "
          "nothing makes popular projects more popular (no campaigning, no social influence), so "
          "votes spread about as evenly as a Poisson count",
}
NOT_EMERGING["1c2"] = NOT_EMERGING["1c"]
NOT_EMERGING["5c2"] = NOT_EMERGING["5c"]
NOT_EMERGING["6e2"] = NOT_EMERGING["6e"]

MODES = {
    # replicates, and the run length (years) of each experiment
    "full": dict(reps=10, y_tender=10, y_f2=10, y_f3=10, y_f4=10, y_f5=10, y_f6=10, y_f6_long=40,
                 y_f7=6, probe_reps=10, y_caseload=5),
    "quick": dict(reps=6, y_tender=6, y_f2=6, reps_f2=8, y_f3=6, y_f4=6, y_f5=4, y_f6=6,
                  y_f6_long=None, y_f7=3, probe_reps=6, y_caseload=None),
}


class Check:
    def __init__(self, cid, claim, result, holds, metric, runs, note=""):
        self.cid, self.claim, self.result, self.holds = cid, claim, result, bool(holds)
        self.metric, self.runs, self.note = metric, runs, note
        self.fact = int(cid[0])

    @property
    def status(self):
        if self.cid in NOT_EMERGING:
            return "XPASS" if self.holds else "XFAIL"
        return "PASS" if self.holds else "FAIL"

    def line(self):
        r = self.result
        head = {"PASS": "holds", "FAIL": "FAILS", "XFAIL": "does not emerge", "XPASS": "NOW EMERGES"}[self.status]
        text = f"[{self.cid}] {head}: {self.claim}\n      {self.metric}: {r!r}"
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


def hazard(run, y0, y1):
    """Initiatives dissolved per initiative-year (city), per replicate."""
    dissolved = run.window_sum("initiatives_dissolved", y0, y1)
    stock = run.window_mean("initiatives", y0, y1) * (y1 - y0)
    return dissolved / stock


# ---------------------------------------------------------------------------------------------
# The facts. Each function returns a list of Checks; `R` runs scenarios, `m` is the mode's plan.


def fact1(R, m, quick):
    """Faster re-tendering lowers local knowledge, institutional trust and initiative survival."""
    n, y = m["reps"], m["y_tender"]
    w = (2, y)  # from the first possible tender on
    none = R.run("builtin:no-tendering", n, y)
    two = R.run("builtin:tendering-every-2-years", n, y)
    cmd = [R.command("builtin:no-tendering", n, y), R.command("builtin:tendering-every-2-years", n, y)]
    out = []
    r = vstats.paired(none.window_mean("local_knowledge_mean", *w), two.window_mean("local_knowledge_mean", *w), "less")
    out.append(Check("1a", "re-tendering every 2 years lowers professionals' local knowledge (vs no tendering)",
                     r, sig(r), f"local_knowledge_mean, city, mean over years {w[0]}-{w[1]}", cmd))
    if quick:
        return out
    four = R.run("builtin:tendering-every-4-years", n, y)
    eight = R.run("builtin:tendering-every-8-years", n, y)
    cmd_all = cmd + [R.command("builtin:tendering-every-4-years", n, y), R.command("builtin:tendering-every-8-years", n, y)]
    k = {iv: run.window_mean("local_knowledge_mean", *w).mean() for iv, run in [(0, none), (8, eight), (4, four), (2, two)]}
    r8 = vstats.paired(none.window_mean("local_knowledge_mean", *w), eight.window_mean("local_knowledge_mean", *w), "less")
    r4 = vstats.paired(none.window_mean("local_knowledge_mean", *w), four.window_mean("local_knowledge_mean", *w), "less")
    monotone = k[0] >= k[8] >= k[4] >= k[2]
    out.append(Check("1a2", "knowledge falls with every step to faster tendering (none >= 8 >= 4 >= 2 years) and "
                     "tendering every 4 years already lowers it", r4, monotone and sig(r4),
                     f"local_knowledge_mean, city, years {w[0]}-{w[1]}; 4 years vs none",
                     cmd_all, note="means: " + ", ".join(f"{iv or 'none'}: {v:.3f}" for iv, v in k.items()) +
                     f"; every 8 years vs none: {r8!r}"))
    r = vstats.paired(none.window_mean("institutional_trust_mean", *w), two.window_mean("institutional_trust_mean", *w), "less")
    out.append(Check("1b", "re-tendering every 2 years lowers residents' institutional trust", r, sig(r),
                     f"institutional_trust_mean, city, years {w[0]}-{w[1]}", cmd,
                     note="significant but very small: few residents have a relationship with a "
                          "professional, and the team has no waiting list at baseline staffing"))
    r = vstats.paired(hazard(none, *w), hazard(two, *w), "greater")
    out.append(Check("1c", "re-tendering every 2 years lowers initiative survival (raises the dissolution hazard)",
                     r, sig(r), f"initiatives dissolved per initiative-year, years {w[0]}-{w[1]}", cmd))
    r = vstats.paired(none.window_mean("initiatives", *w), two.window_mean("initiatives", *w), "less")
    out.append(Check("1d", "re-tendering every 2 years lowers the number of active initiatives", r, sig(r),
                     f"initiatives, city, years {w[0]}-{w[1]}", cmd))
    # The same comparison where teams do collective work (30%): does survival respond then?
    s = {"parameters.professionals.collective_share": 0.3}
    none30 = R.run("builtin:no-tendering", n, y, s)
    two30 = R.run("builtin:tendering-every-2-years", n, y, s)
    r = vstats.paired(hazard(none30, *w), hazard(two30, *w), "greater")
    out.append(Check("1c2", "... also with 30% collective work, where initiatives get real support", r, sig(r),
                     f"dissolution hazard, years {w[0]}-{w[1]}, collective_share 0.3",
                     [R.command("builtin:no-tendering", n, y, s), R.command("builtin:tendering-every-2-years", n, y, s)]))
    r = vstats.paired(none.window_mean("professionals_fte", *w), two.window_mean("professionals_fte", *w), "less")
    out.append(Check("1e", "context, not part of the fact: staff present is about equal (funded posts are equal; "
                     "a tender leaves some posts vacant for a while)", r, abs(r.effect) < 0.1 * r.mean_a,
                     f"professionals_fte, years {w[0]}-{w[1]} (holds if the difference is under 10%)", cmd))
    return out


def fact2(R, m, quick):
    """Plain turnover costs less local knowledge than contract changes that replace whole teams."""
    n, y = m.get("reps_f2", m["reps"]), m["y_f2"]
    w = (2, y)  # whole contract cycles after the first change
    t = R.run("turnover-only", n, y)
    c = R.run("contract-change", n, y)
    cmd = [R.command("turnover-only", n, y), R.command("contract-change", n, y)]
    r = vstats.paired(t.window_mean("local_knowledge_mean", *w), c.window_mean("local_knowledge_mean", *w), "less")
    out = [Check("2a", "at equal departures per year, contract changes that replace the whole team leave less "
                 "local knowledge than plain turnover", r, sig(r),
                 f"local_knowledge_mean, city, mean over years {w[0]}-{w[1]} (contract - turnover)", cmd)]
    if not quick:
        r = vstats.paired(t.window_mean("professional_tenure_mean", *w), c.window_mean("professional_tenure_mean", *w), "less")
        out.append(Check("2b", "... and shorter tenure in the wijk", r, sig(r),
                         f"professional_tenure_mean, years {w[0]}-{w[1]}", cmd))
    return out


def fact3(R, m, quick):
    """High caseloads crowd out collective work; cutting it raises formal care demand with a lag."""
    n, y = m["reps"], m["y_f3"]
    kept = R.run("collective-work-kept", n, y)
    cut = R.run("collective-work-cut", n, y)
    cmd = [R.command("collective-work-kept", n, y), R.command("collective-work-cut", n, y)]
    early, late = (2, 3), (y - 2 if quick else 5, y)  # the cut is at the start of year 2
    e_k, e_c = kept.window_mean("open_cases", *early), cut.window_mean("open_cases", *early)
    l_k, l_c = kept.window_mean("open_cases", *late), cut.window_mean("open_cases", *late)
    out = []
    r_late = vstats.paired(l_k, l_c, "greater")
    out.append(Check("3b", "cutting collective work (30% -> 2%) raises formal care demand years later",
                     r_late, sig(r_late), f"open_cases (cases at the team), years {late[0]}-{late[1]} "
                     f"({late[0] - 2}-{late[1] - 2} years after the cut)",
                     cmd))
    r_lag = vstats.paired(e_c - e_k, l_c - l_k, "greater")
    r_early = vstats.paired(e_k, e_c, "greater")
    out.append(Check("3c", "... with a lag: the rise years later is larger than in the first year after the cut",
                     r_lag, sig(r_lag), "paired difference of the effects on open_cases (late - first year)", cmd,
                     note=f"first year after the cut: {r_early!r}"))
    if not quick:
        for name, ind in [("formal care share", "formal_care_share"), ("unmet care", "unmet_care_hours")]:
            r = vstats.paired(kept.window_mean(ind, *late), cut.window_mean(ind, *late), "greater")
            out.append(Check("3d", f"... also seen in the {name}", r, sig(r), f"{ind}, years {late[0]}-{late[1]}", cmd))
        r = vstats.paired(kept.window_mean("initiatives", *late), cut.window_mean("initiatives", *late), "less")
        out.append(Check("3e", "the chain: fewer initiatives after the cut", r, sig(r), f"initiatives, years {late[0]}-{late[1]}", cmd))
        # First half: a higher caseload at equal staff (more care need) does not shift time.
        yc = m["y_caseload"]
        s = {"places.attributes.vulnerability": 2.5}
        base = R.run("builtin:baseline", n, yc)
        high = R.run("builtin:baseline", n, yc, s)
        cmdc = [R.command("builtin:baseline", n, yc), R.command("builtin:baseline", n, yc, s)]
        per_fte = lambda run: run.window_mean("collective_hours", 1, yc) / run.window_mean("professionals_fte", 1, yc)
        r = vstats.paired(per_fte(base), per_fte(high), "less")
        cases = vstats.paired(base.window_mean("open_cases", 1, yc), high.window_mean("open_cases", 1, yc), "greater")
        out.append(Check("3a", "a higher caseload (care-need onset x2.5 at equal staff) crowds out collective work",
                         r, sig(r), f"collective_hours per FTE, years 1-{yc}", cmdc,
                         note=f"the caseload does rise: open_cases {cases!r}"))
    return out


def fact4(R, m, quick):
    """Initiatives are bottlenecked by leaders; without support they are fragile."""
    n, y = m["reps"], m["y_f4"]
    w = (y / 2, y)
    base = R.run("builtin:baseline", n, y)
    s_lead = {"parameters.initiatives.leader_threshold": 0.7}
    lead = R.run("builtin:baseline", n, y, s_lead)
    cmd = [R.command("builtin:baseline", n, y), R.command("builtin:baseline", n, y, s_lead)]
    out = []
    r_lead = vstats.paired(base.window_mean("initiatives", *w), lead.window_mean("initiatives", *w), "greater")
    rel_lead = r_lead.effect / r_lead.mean_a
    out.append(Check("4a", "more potential leaders (threshold 0.8 -> 0.7: 7.2% -> 11.2% of adults, +55%) give "
                     "proportionally more initiatives", r_lead, sig(r_lead) and rel_lead > 0.25,
                     f"initiatives, city, years {w[0]:g}-{w[1]} (holds if significant and over +25%)", cmd,
                     note=f"relative effect {rel_lead:+.0%}"))
    if quick:
        return out
    s_sup = {"parameters.professionals.collective_share": 0.3}
    full = R.run("builtin:baseline", n, y, dict(s_sup, **{"parameters.initiatives.support_hours_needed": 0.1}))
    none = R.run("builtin:baseline", n, y, dict(s_sup, **{"parameters.initiatives.support_hours_needed": 40}))
    cmd_s = [R.command("builtin:baseline", n, y, dict(s_sup, **{"parameters.initiatives.support_hours_needed": 0.1})),
             R.command("builtin:baseline", n, y, dict(s_sup, **{"parameters.initiatives.support_hours_needed": 40}))]
    r = vstats.paired(hazard(full, 1, y), hazard(none, 1, y), "greater")
    out.append(Check("4c", "without support initiatives are fragile: a higher dissolution hazard (30% collective "
                     "work; full support vs almost none, only the support share differs)", r, sig(r),
                     f"initiatives dissolved per initiative-year, years 1-{y}", cmd_s,
                     note=f"hazard with full support {r.mean_a:.3f}, without {r.mean_b:.3f} a year"))
    s_mem = {"parameters.initiatives.join_rate": 9.3}
    mem = R.run("builtin:baseline", n, y, s_mem)
    r_mem = vstats.paired(base.window_mean("initiatives", *w), mem.window_mean("initiatives", *w), "greater")
    # Bottleneck: initiatives respond to leaders, hardly to members. Paired: leader effect > member effect.
    r = vstats.paired(mem.window_mean("initiatives", *w), lead.window_mean("initiatives", *w), "greater")
    out.append(Check("4b", "the bottleneck is leaders, not members: +55% leader potential adds more initiatives "
                     "than +55% joining rate (6 -> 9.3 a year)", r, sig(r),
                     f"initiatives, years {w[0]:g}-{w[1]} (more leaders - more members)",
                     cmd + [R.command("builtin:baseline", n, y, s_mem)],
                     note=f"more members alone: {r_mem!r} ({r_mem.effect / r_mem.mean_a:+.0%})"))
    r = vstats.paired(full.window_mean("initiative_viability_mean", 1, y), none.window_mean("initiative_viability_mean", 1, y), "less")
    out.append(Check("4d", "... and less viable", r, sig(r), f"initiative_viability_mean, years 1-{y}", cmd_s))
    return out


def fact5(R, m, quick):
    """Poorer, more vulnerable buurten start lower and react more strongly to cuts."""
    n, y = m["reps"], m["y_f5"]
    w = (2, y)  # the cut is at the start of year 1
    base = R.run("two-buurten", n, y)
    cut = R.run("two-buurten-cuts", n, y)
    cmd = [R.command("two-buurten", n, y), R.command("two-buurten-cuts", n, y)]
    out = []
    r = vstats.paired(base.at("cs_efficacy", 0, "WG"), base.at("cs_efficacy", 0, "KW"), "less")
    out.append(Check("5a", "the vulnerable wijk starts lower in collective efficacy", r, sig(r),
                     "cs_efficacy at the start (vulnerable - affluent)", cmd[:1],
                     note="community_strength at the start: vulnerable "
                          f"{base.at('community_strength', 0, 'KW').mean():.3f}, affluent "
                          f"{base.at('community_strength', 0, 'WG').mean():.3f}"))

    def did(ind):
        dv = cut.window_mean(ind, *w, "KW") - base.window_mean(ind, *w, "KW")
        da = cut.window_mean(ind, *w, "WG") - base.window_mean(ind, *w, "WG")
        return da, dv

    da, dv = did("unmet_care_hours")
    r = vstats.paired(da, dv, "greater")
    out.append(Check("5b", "the vulnerable wijk reacts more strongly to the cut: unmet care need rises more",
                     r, sig(r), f"cut effect on unmet_care_hours, years {w[0]}-{w[1]} (vulnerable - affluent)", cmd,
                     note=f"cut effect vulnerable {dv.mean():+.1f}, affluent {da.mean():+.1f} hours a week"))
    if quick:
        return out
    da, dv = did("institutional_trust_mean")
    r = vstats.paired(da, dv, "less")
    out.append(Check("5b2", "... and its institutional trust falls more", r, sig(r),
                     f"cut effect on institutional_trust_mean, years {w[0]}-{w[1]} (vulnerable - affluent)", cmd,
                     note=f"cut effect vulnerable {dv.mean():+.4f}, affluent {da.mean():+.4f}"))
    da, dv = did("waiting_list")
    r = vstats.paired(da, dv, "greater")
    out.append(Check("5b3", "... through a waiting list at the team", r, sig(r),
                     f"cut effect on waiting_list, years {w[0]}-{w[1]} (vulnerable - affluent)", cmd,
                     note=f"cut effect vulnerable {dv.mean():+.1f}, affluent {da.mean():+.1f} cases"))
    da, dv = did("community_strength")
    r = vstats.paired(da, dv, "less")
    out.append(Check("5c", "the vulnerable wijk's community strength falls more under the cut (collective "
                     "efficacy as the channel)", r, sig(r),
                     f"cut effect on community_strength, years {w[0]}-{w[1]} (vulnerable - affluent)", cmd,
                     note=f"cut effect vulnerable {dv.mean():+.4f}, affluent {da.mean():+.4f}"))
    da, dv = did("cs_efficacy")
    r = vstats.paired(da, dv, "less")
    out.append(Check("5c2", "... nor its collective efficacy", r, sig(r),
                     f"cut effect on cs_efficacy, years {w[0]}-{w[1]} (vulnerable - affluent)", cmd,
                     note=f"cut effect vulnerable {dv.mean():+.4f}, affluent {da.mean():+.4f}"))
    return out


# Top-down plans: the project starts 2027-01-01 (year 1), consent is checked after 26 weeks and the
# plan runs energy.plan_years (4) years, so it should be complete at year 5.5. Its target is half
# the homes; retrofits are counted per resident and children are never counted (docs/model.md
# section 9), so the planned share of residents is 0.5 x the share of residents aged 18+ (about
# 0.81 at the default age_0_19_share of 0.21: children are spread evenly over ages 0-20).
PLAN_END_YEARS = 5.5
PLANNED_SHARE = 0.5 * (1 - 0.21 * 18 / 20)


def fact6(R, m, quick):
    """Top-down energy projects run behind plan and cost trust; community-led ones start slower and
    level off, but add ties and trust."""
    n, y = m["reps"], m["y_f6"]
    base = R.run("builtin:baseline", n, y)
    td = R.run("builtin:energy-top-down", n, y)
    cmd = [R.command("builtin:baseline", n, y), R.command("builtin:energy-top-down", n, y)]
    out = []
    r = vstats.paired(base.window_mean("institutional_trust_mean", 1, y), td.window_mean("institutional_trust_mean", 1, y), "less")
    out.append(Check("6b", "a top-down project costs institutional trust", r, sig(r),
                     f"institutional_trust_mean, years 1-{y} (top-down - baseline)", cmd))
    r = vstats.one_sample(td.at("homes_retrofitted_share", PLAN_END_YEARS), PLANNED_SHARE, "less")
    out.append(Check("6a", "a top-down project runs behind plan (default consent threshold 0.7)", r, sig(r),
                     f"homes_retrofitted_share when the plan should be complete (year {PLAN_END_YEARS}) vs the "
                     f"planned {PLANNED_SHARE:.3f}", cmd[1:],
                     note="consent (70% of adults in favour) is never reached at about 55% in favour: the plan "
                          "stalls, and each yearly retry is a broken promise for its supporters"))
    if quick:
        return out
    s = {"timeline.0.args.consent_threshold": 0.5}
    td5 = R.run("builtin:energy-top-down", n, y, s)
    cmd5 = R.command("builtin:energy-top-down", n, y, s)
    r = vstats.one_sample(td5.at("homes_retrofitted_share", PLAN_END_YEARS), PLANNED_SHARE, "less")
    out.append(Check("6a2", "... also when consent is reached (threshold 0.5): only households in favour take part",
                     r, sig(r), f"homes_retrofitted_share at year {PLAN_END_YEARS} vs the planned {PLANNED_SHARE:.3f}", [cmd5]))
    r = vstats.paired(base.window_mean("institutional_trust_mean", 1, y), td5.window_mean("institutional_trust_mean", 1, y), "less")
    out.append(Check("6b2", "... and then still costs trust (households pushed against their will)", r, sig(r),
                     f"institutional_trust_mean, years 1-{y}", [cmd[0], cmd5]))
    yl = m["y_f6_long"]
    cl = R.run("builtin:energy-community-led", n, yl)
    cmdl = R.command("builtin:energy-community-led", n, yl)
    r = vstats.paired(td5.at("homes_retrofitted_share", 3), cl.at("homes_retrofitted_share", 3), "less")
    out.append(Check("6c", "a community-led project starts slower than a top-down one that gets consent", r, sig(r),
                     "homes_retrofitted_share 2 years after the start (community-led - top-down, threshold 0.5)",
                     [cmd5, cmdl]))
    g1 = cl.at("homes_retrofitted_share", yl - 5) - cl.at("homes_retrofitted_share", yl - 10)
    g2 = cl.at("homes_retrofitted_share", yl) - cl.at("homes_retrofitted_share", yl - 5)
    r = vstats.paired(g1, g2, "less")
    out.append(Check("6d", "... and levels off: adoption slows down after its take-off", r, sig(r),
                     f"growth of homes_retrofitted_share over years {yl - 5}-{yl} vs {yl - 10}-{yl - 5}", [cmdl],
                     note=f"share retrofitted after 10 years {cl.at('homes_retrofitted_share', 10).mean():.3f}, "
                          f"20 years {cl.at('homes_retrofitted_share', 20).mean():.3f}, "
                          f"{yl} years {cl.at('homes_retrofitted_share', yl).mean():.3f}"))
    # Ties and trust: compared with the baseline over the years when most adoption happens.
    yb = 30
    base_l = R.run("builtin:baseline", n, yb)
    w = (20, 30)
    for ind, label in [("ties_per_resident", "ties"), ("social_trust_mean", "social trust")]:
        r = vstats.paired(base_l.window_mean(ind, *w), cl.window_mean(ind, *w), "greater")
        out.append(Check("6e" if ind == "ties_per_resident" else "6e2", f"a community-led project adds {label}", r, sig(r),
                         f"{ind}, years {w[0]}-{w[1]} (community-led - baseline)",
                         [R.command("builtin:baseline", n, yb), cmdl]))
    return out


def fact7(R, m, quick, probe, workdir, threads):
    """Resident-decided wijkbudgetten: heavy-tailed votes, cheap visible projects win, voters gain
    a little trust."""
    n, y = m["probe_reps"], m["y_f7"]
    path = os.path.join(workdir, f"wijkbudget-probe-{n}-{y}.jsonl")
    cmd_probe = (f"wijkbudget_probe builtin:wijkbudget-residents-decide --replicates {n} --years {y} -o FILE")
    if not os.path.exists(path):
        args = [probe, "builtin:wijkbudget-residents-decide", "--replicates", str(n), "--years", str(y),
                "--threads", str(threads), "-o", path + ".tmp"]
        proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"wijkbudget_probe failed: {proc.stderr}")
        os.replace(path + ".tmp", path)
    rounds = [json.loads(line) for line in open(path)]
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
    per = lambda dct: np.array([np.mean(dct[k]) for k in reps])
    out = []
    r = vstats.one_sample(per(cv), 1.0, "greater")
    out.append(Check("7a", "votes are heavy-tailed: more dispersed over projects than an exponential "
                     "distribution (coefficient of variation > 1)", r, sig(r),
                     "coefficient of variation of votes per project, mean over rounds per replicate, vs 1",
                     [cmd_probe], note=f"top 20% of projects get {per(top).mean():.0%} of the votes; "
                                       f"{len(rounds)} rounds, {np.mean([len(d['projects']) for d in rounds]):.0f} "
                                       f"projects and {np.mean([d['voters'] for d in rounds]):.0f} voters per round"))
    r = vstats.paired(per(logc_off), per(logc_vote), "less")
    out.append(Check("7b", "cheap projects win: the projects residents fund are cheaper than those officials "
                     "would fund from the same proposals and budget", r, sig(r),
                     "mean log cost (EUR) of funded projects, residents vote - officials decide", [cmd_probe],
                     note=f"geometric mean cost funded by residents EUR {math.exp(r.mean_b):,.0f}, by officials "
                          f"EUR {math.exp(r.mean_a):,.0f}; Spearman correlation of votes with cost "
                          f"{per(rho).mean():+.2f}"))
    if quick:
        return out
    n2, y2 = m["reps"], 10
    res = R.run("builtin:wijkbudget-residents-decide", n2, y2)
    off = R.run("builtin:wijkbudget-officials-decide", n2, y2)
    cmd = [R.command("builtin:wijkbudget-residents-decide", n2, y2), R.command("builtin:wijkbudget-officials-decide", n2, y2)]
    r = vstats.paired(off.window_mean("institutional_trust_mean", 1, y2), res.window_mean("institutional_trust_mean", 1, y2), "greater")
    out.append(Check("7c", "voters gain a little trust: institutional trust is higher when residents decide than "
                     "when officials decide (a little: the 95% interval stays under 0.05)", r,
                     sig(r) and r.hi < 0.05, f"institutional_trust_mean, years 1-{y2} (residents - officials)", cmd,
                     note=f"voting turnout {res.window_mean('voting_turnout', 1, y2).mean():.1%} of residents 16+"))
    return out


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
    print(f"stylized facts, {mode} set; paired comparisons: sign-flip permutation test, one-sided, "
          f"alpha {ALPHA}", flush=True)
    checks = []
    t0 = time.time()
    facts = [fact1, fact2, fact3, fact4, fact5, fact6]
    for k, fn in enumerate(facts, start=1):
        if k not in only:
            continue
        t = time.time()
        print(f"\nFact {k}: {fn.__doc__.split(chr(10))[0].strip()}", flush=True)
        for c in fn(R, m, a.quick):
            print("  " + c.line(), flush=True)
            checks.append(c)
        print(f"  ({time.time() - t:.0f} s)", flush=True)
    if 7 in only:
        print(f"\nFact 7: {fact7.__doc__.split(chr(10))[0].strip()} ...", flush=True)
        if not a.probe:
            print("  skipped: no --probe given", flush=True)
        else:
            t = time.time()
            for c in fact7(R, m, a.quick, a.probe, a.work, a.threads):
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
            json.dump({"mode": mode, "alpha": ALPHA, "checks": [c.as_dict() for c in checks]}, f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
