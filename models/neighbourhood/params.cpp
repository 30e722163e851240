#include "params.hpp"

namespace buurtlab::neighbourhood {

namespace {
constexpr const char* kAssumption = "assumption";
}

const ParamTable<Params>& param_table() {
  static const ParamTable<Params> t = [] {
    using P = Params;
    ParamTable<P> p;
    // --- Meeting and ties -------------------------------------------------------------------
    p.real("meeting.rate", &P::meeting_rate, "per year", 30, 0, 365,
           "Chance encounters with other residents (street, shop, school gate), per resident.",
           kAssumption)
        .real("meeting.tie_upkeep_rate", &P::tie_upkeep_rate, "per year", 26, 0, 365,
              "Contacts per resident with one of their existing ties (chosen at random), which keep "
              "ties from fading.",
              kAssumption)
        .real("meeting.member_rate", &P::member_meeting_rate, "per year", 26, 0, 365,
              "Encounters of an initiative member with a fellow member (a mixed setting).",
              kAssumption)
        .real("meeting.cross_buurt_share", &P::cross_buurt_share, "share (0-1)", 0.2, 0, 1,
              "Share of encounters with residents of another buurt of the same wijk.", kAssumption)
        .real("meeting.place_boost", &P::place_meeting_boost, "1 per open place per 1000 residents",
              0.25, 0, 5,
              "Extra encounters per open public place per 1000 residents, relative to the base "
              "rate; meetings in public places count as mixed settings.",
              kAssumption)
        .real("ties.homophily", &P::homophily, "factor (0-1)", 0.35, 0, 1,
              "Tie-formation chance across origin groups relative to within (1 = no homophily).",
              "assumption; cf. McPherson, Smith-Lovin & Cook 2001")
        .real("ties.bridging_factor", &P::bridging_factor, "factor (0-1)", 0.8, 0, 1,
              "Cross-group tie-formation factor in a mixed initiative, public place or a meeting "
              "brokered by a community worker (replaces ties.homophily there).",
              kAssumption)
        .real("ties.formation_prob", &P::tie_formation_prob, "probability", 0.15, 0, 1,
              "Chance that a good encounter between strangers leaves a weak tie.", kAssumption)
        .real("ties.gain", &P::tie_gain, "weight (0-1)", 0.15, 0, 1,
              "Tie weight added by a good encounter (a bad one removes twice as much).",
              kAssumption)
        .real("ties.strong_threshold", &P::strong_threshold, "weight (0-1)", 0.6, 0, 1,
              "A weak tie whose weight passes this becomes a strong (friend) tie.", kAssumption)
        .real("ties.weak_decay", &P::weak_tie_decay, "per year", 2.0, 0, 52,
              "Exponential decay rate of weak-tie weight without contact.", kAssumption)
        .real("ties.strong_decay", &P::strong_tie_decay, "per year", 0.25, 0, 52,
              "Decay rate of friend ties (kin ties do not decay).", kAssumption)
        .real("ties.prune_below", &P::tie_prune, "weight (0-1)", 0.05, 0, 1,
              "A tie whose weight falls below this is dropped.", kAssumption)
        .real("meeting.good_prob", &P::good_encounter_prob, "probability", 0.8, 0, 1,
              "Chance that an encounter is experienced as good when the other resident has social "
              "trust 0.5; it rises by 0.3 per unit of the other's trust above that (trusting people "
              "are better company: trust breeds trust).",
              "assumption; cf. Hipp 2016 feedback")
        // --- Trust ----------------------------------------------------------------------------
        .real("trust.learning", &P::trust_learning, "share per experience", 0.004, 0, 1,
              "Step of social trust towards 1 after a good encounter (fraction of the gap).",
              kAssumption)
        .real("trust.negativity_weight", &P::negativity_weight, "factor", 3, 1, 10,
              "How much more a bad experience moves trust than a good one.",
              "Slovic 1993, trust asymmetry")
        .real("trust.pull", &P::trust_pull, "per year", 0.1, 0, 52,
              "Rate at which trust moves towards the tie-weighted mean of one's ties' trust.",
              "assumption; cf. Klein & Marx, Dynamics of trust")
        .real("trust.anchor_rate", &P::trust_anchor, "per year", 2.5, 0, 52,
              "Rate at which social trust returns to the resident's own disposition (set by "
              "education and income at arrival); experiences push it away.",
              "assumption, dispositional trust, cf. Uslaner 2002; calibrated against trust in "
              "other people, CBS (docs/calibration.md)")
        .real("trust.institutional_learning", &P::institutional_learning, "share per experience",
              0.05, 0, 1, "Step of institutional trust after an experience with an institution.",
              kAssumption)
        .real("care.help_trust_threshold", &P::help_trust_threshold, "trust (0-1)", 0.45, 0, 1,
              "A weak tie helps only if the helper's social trust is above this.", kAssumption)
        // --- Care -----------------------------------------------------------------------------
        .real("care.onset_rate", &P::need_onset_rate, "per year", 0.034, 0, 2,
              "Rate of a step up the care-need ladder for a resident under 50.",
              "assumption, ladder after Gostoli & Silverman 2020; calibrated against informal "
              "carers and hours per carer (docs/calibration.md)")
        .real("care.onset_age_factor", &P::need_onset_age_factor, "factor per decade over 50",
              1.6, 1, 5, "Multiplier on the onset rate per decade of age over 50.", kAssumption)
        .real("care.recovery_rate", &P::need_recovery_rate, "per year", 0.19, 0, 10,
              "Rate of a step down the ladder when need is met.",
              "assumption; calibrated against informal carers and hours per carer "
              "(docs/calibration.md)")
        .real("care.escalation_rate", &P::escalation_rate, "per year", 0.6, 0, 10,
              "Extra step-up rate at full unmet need (scaled by the unmet share).", kAssumption)
        .real("care.initial_need_factor", &P::initial_need_factor, "factor", 0.5, 0, 2,
              "Care need at the start is drawn as the ladder's stationary level for one's age "
              "(onset against recovery) with the onset rate times this factor. The ladder alone "
              "ignores that deaths and moves take people with need away and newcomers arrive "
              "healthier, so a factor of 1 starts with about twice the need the model settles at; "
              "0.5 starts near it and shortens the settling (an initial condition, not a result: "
              "the spin-up's settle check verifies it).",
              "numerical choice; docs/calibration.md")
        .real("care.need_hours_low", &P::need_hours_low, "hours per week", 12, 0, 168,
              "Care a week needed at the ladder's first level (low need).",
              "after Gostoli & Silverman 2020 (ladder of 8/16/32/80 hours a week); calibrated "
              "against hours per informal carer, vzinfo.nl mantelzorg (docs/calibration.md)")
        .real("care.need_hours_moderate", &P::need_hours_moderate, "hours per week", 16, 0, 168,
              "Care a week needed at the second level (moderate need).",
              "Gostoli & Silverman 2020")
        .real("care.need_hours_substantial", &P::need_hours_substantial, "hours per week", 32, 0,
              168, "Care a week needed at the third level (substantial need).",
              "Gostoli & Silverman 2020")
        .real("care.need_hours_critical", &P::need_hours_critical, "hours per week", 80, 0, 168,
              "Care a week needed at the top level (critical need).", "Gostoli & Silverman 2020")
        .real("care.household_hours", &P::household_care_hours, "hours per week", 34, 0, 80,
              "Most care a household member gives a resident who does not live alone.",
              "assumption; calibrated against hours per informal carer (vzinfo.nl mantelzorg: "
              "13 h/week on average; docs/calibration.md)")
        .real("care.spare_hours_worker", &P::spare_hours_worker, "hours per week", 6, 0, 40,
              "Spare hours for others of a resident of working age.",
              "assumption; calibrated against hours per informal carer (docs/calibration.md)")
        .real("care.spare_hours_retired", &P::spare_hours_retired, "hours per week", 13, 0, 40,
              "Spare hours for others of a resident aged 65 or over.",
              "assumption; calibrated against hours per informal carer (docs/calibration.md)")
        .real("care.max_help_share", &P::max_help_share, "share (0-1)", 0.9, 0, 1,
              "Largest share of a helper's spare hours one person may ask for.",
              "assumption; calibrated against hours per informal carer (docs/calibration.md)")
        .real("care.case_threshold", &P::case_threshold, "share (0-1)", 0.25, 0, 1,
              "Unmet share of need at which a resident asks the neighbourhood team for help.",
              kAssumption)
        .real("care.wait_threshold_weeks", &P::wait_threshold_weeks, "weeks", 6, 0, 104,
              "Waiting longer than this for the neighbourhood team is a bad experience.",
              kAssumption)
        .real("care.formal_hours_per_case", &P::formal_hours_per_case, "hours per week", 6, 0, 80,
              "Formal care hours an open, served case provides each week.", kAssumption)
        // --- Professionals -------------------------------------------------------------------
        .real("professionals.residents_per_fte", &P::residents_per_professional,
              "residents per FTE", 1500, 50, 100000,
              "Funded wijkteam generalists: one FTE per this many residents (social work as a "
              "whole: about 1 per 330, of which neighbourhood teams are a part).",
              "sociaalwerk-werkt.nl (54,000 jobs for 17.9 million residents); the share is an "
              "assumption, calibrated against caseload per FTE (BZK/LPBL: 30-40 households for "
              "the vulnerable; docs/calibration.md)")
        .real("professionals.hours", &P::professional_hours, "hours per week", 32, 1, 60,
              "Working hours of one FTE.", kAssumption)
        .real("professionals.collective_share", &P::collective_share, "share (0-1)", 0.02, 0, 1,
              "Generalists' collective work: under the time_share reading the share of every "
              "generalist's time planned for it; under team_mandate the share of teams (wijken, "
              "by a keyed draw per wijk) that have a collective mandate.",
              "seed: only 2% of neighbourhood teams consciously use collective work (Movisie); "
              "origin of the figure not found")
        .choice("professionals.collective_reading", &P::collective_reading,
                {"time_share", "team_mandate"}, 0,
                "How professionals.collective_share is read: as a share of time (every team "
                "works 2% collectively) or as a share of teams with a collective mandate (2% of "
                "teams work collectively, the rest not at all). The built-in scenarios use "
                "time_share: their single wijk would otherwise be a 2% lottery.",
                "seed section 4; docs/model.md 7.2")
        .real("professionals.mandate_collective_share", &P::mandate_collective_share,
              "share (0-1)", 0.25, 0, 1,
              "Under team_mandate: share of a mandated team's generalist time planned for "
              "collective work.",
              kAssumption)
        .real("professionals.crowding_out", &P::crowding_out, "share (0-1)", 1.0, 0, 1,
              "Priority of casework over planned collective time: the share of the casework "
              "demand that does not fit in the casework hours (the last casework phase's open "
              "cases at their weekly hours, over the team's casework time) taken from the "
              "generalists' planned collective hours. "
              "0 protects collective time; 1 = cases first (the legal duty to respond).",
              "assumption; seed section 4 (teams default to one-to-one casework); Movisie "
              "peilingen 2015-2019: too little time for collective work")
        .real("professionals.community_residents_per_fte", &P::community_residents_per_fte,
              "residents per FTE", 10000, 1000, 1e6,
              "Community workers (opbouwwerkers) funded by the welfare contract: one FTE per this "
              "many residents; they do collective work only (initiatives, key figures, places).",
              "assumption (no national figure found; community workers per 10,000 residents is "
              "open in CBS AZW); sensitivity in docs/validation.md")
        .real("housing.consultant_collective_share", &P::consultant_collective_share,
              "share (0-1)", 0.5, 0, 1,
              "Share of a housing consultant's time spent in the neighbourhood (key figures, "
              "initiatives, places); the rest goes to tenants' cases.",
              kAssumption)
        .real("professionals.admin_share", &P::admin_share, "share (0-1)", 0.37, 0, 0.9,
              "Share of casework time spent on administration and rules: an hour of direct "
              "contact costs 1 / (1 - this) hours.",
              "Movisie 2023 (social workers, n~200: 37% of time on administration)")
        .real("professionals.max_caseload", &P::max_caseload, "households per FTE", 35, 1, 200,
              "Caseload ceiling: cases a generalist FTE carries at most; more cases wait.",
              "BZK/LPBL cost-benefit instrument: 30-40 households per worker for the vulnerable "
              "~15% (5-7 for the heaviest 5%, ~100 for the rest)")
        .real("professionals.indication_hours", &P::indication_hours, "hours per case", 6, 0, 80,
              "Hours of intake, indication and support plan for a new case (spent in the week it "
              "is first served, including administration).",
              kAssumption)
        .real("professionals.sick_leave", &P::sick_leave, "share of hours", 0.064, 0, 0.5,
              "Sick leave at a normal workload.",
              "CBS AZW via Sociaal Werk werkt!: 6.4% in social work (2020)")
        .real("professionals.workload_sick_factor", &P::workload_sick_factor, "factor", 1.0, 0,
              10,
              "Sick leave rises by this factor times the excess workload (casework demand over "
              "capacity, minus 1, at most 1).",
              "assumption; Movisie 2023: ~30% consider leaving over workload and rules")
        .real("professionals.workload_turnover_factor", &P::workload_turnover_factor, "factor",
              1.0, 0, 10,
              "Turnover rises by this factor times the excess workload (as for sick leave).",
              "assumption; Movisie 2021: workload and tender cycles named as exit reasons")
        // --- Relationships --------------------------------------------------------------------
        .real("relations.build_hours", &P::relation_build_hours, "contact hours", 40, 1, 1000,
              "Contact hours in which a relationship between a professional and an initiative, "
              "a key figure or a resident closes 63% of the gap to full strength (a relationship "
              "takes about a year of an hour a week to build).",
              "assumption; cf. Van Hulst & Matelski on best persons; Small 2009")
        .real("relations.decay", &P::relation_decay, "per year", 0.5, 0, 52,
              "Decay of a relationship without contact (a case relationship after the case "
              "closes, familiarity without meetings).",
              kAssumption)
        .real("relations.end_below", &P::relation_end_below, "strength (0-1)", 0.05, 0, 1,
              "A relationship that has faded below this ends (and is no longer counted as one).",
              kAssumption)
        .real("relations.support_weight", &P::support_weight, "share (0-1)", 0.5, 0, 1,
              "Share of an initiative's professional support whose value depends on the "
              "relationship with the supporting professional: support = hours share x (1 - w + "
              "w x relationship). 0 = support depends on hours and local knowledge only.",
              "assumption; Denters et al. 2013, Burgers maken hun buurt; Van Hulst & Matelski")
        .real("relations.loss_weight", &P::loss_weight, "experiences per unit", 1.0, 0, 5,
              "Bad institutional experience when one's familiar or case professional leaves, "
              "per unit of relationship strength lost (1 = a relationship of 1 weighs as one "
              "bad experience).",
              "assumption; Van Hulst & Matelski (changing contact persons)")
        .integer("key_figures.min_ties", &P::key_figure_min_ties, "ties", 22, 1, 200,
              "Ties that make an adult a key figure (sleutelpersoon); initiative leaders are key "
              "figures too. At 22, about 3% of residents are key figures.",
              "assumption (no Dutch count of key figures per buurt exists)")
        .real("key_figures.hours_share", &P::key_figure_hours_share, "share (0-1)", 0.5, 0, 1,
              "Share of a community professional's buurt hours (those not spent on initiatives) "
              "spent with the buurt's key figures.",
              kAssumption)
        .real("key_figures.signal_weight", &P::signal_weight, "factor (0-1)", 0.5, 0, 1,
              "How much earlier a key figure's signal opens a case: the unmet share at which a "
              "case opens is multiplied by 1 - this x signal (signal = the key figure's "
              "familiarity with a professional x the referral network).",
              "assumption; Rijksoverheid handreiking sleutelpersonen 2024 (qualitative)")
        .real("key_figures.handback_rate", &P::handback_rate, "per year", 1.0, 0, 52,
              "Rate at full signal at which a served support case is handed back to informal "
              "support around a key figure (afschalen); it stays closed until the need rises.",
              kAssumption)
        .real("relations.network_years", &P::network_years, "years", 2, 0.1, 30,
              "Time constant in which the contract holder's referral network (team, initiatives, "
              "key figures) moves towards its coverage by community professionals' hours.",
              kAssumption)
        .real("relations.network_hours_per_1000", &P::network_hours_per_1000,
              "hours per week per 1000 residents", 3, 0.1, 100,
              "Community professionals' hours that give the referral network full coverage.",
              kAssumption)
        .integer("care.case_need_level", &P::case_need_level, "level", 3, 0, 4,
                 "Need level (1 low .. 4 critical) from which a resident is a support client of "
                 "the neighbourhood team even when informal care meets the need (Wmo support at "
                 "home, case coordination); 0 = only unmet need opens cases.",
                 "assumption; with care.support_uptake calibrated against Wmo support at home per "
                 "1,000 residents (docs/calibration.md)")
        .real("care.support_uptake", &P::support_uptake, "share (0-1)", 0.35, 0, 1,
              "Share of residents one level below care.case_need_level who are support clients "
              "too (a fixed draw per resident: not everyone who could ask for support does).",
              "assumption; calibrated against Wmo support at home, about 18 per 1,000 residents "
              "(CBS 2020/19: 27% of 1,164,800 Wmo clients, rough)")
        .real("professionals.per_case_collective_factor", &P::per_case_collective_factor,
              "factor (0-1)", 0.25, 0, 1,
              "Under per-case financing only this fraction of the collective share is realised "
              "(collective work is not billable).",
              kAssumption)
        .real("professionals.case_hours", &P::caseload_hours, "hours per week per case", 0.57,
              0.05, 40,
              "Direct contact a week for one served case (administration comes on top, "
              "professionals.admin_share).",
              "derived: 32 h x (1 - 0.37) / 35 households, the BZK/LPBL caseload tier")
        .real("professionals.resolution_rate", &P::case_resolution_rate, "per year", 3, 0, 52,
              "Case resolution rate of a professional with full local knowledge and relationship "
              "(half that with none).",
              kAssumption)
        .real("professionals.knowledge_learning", &P::knowledge_learning, "per year", 0.5, 0, 10,
              "Rate at which local knowledge K approaches 1 with tenure in the wijk.",
              "assumption; cf. March 1991")
        .real("professionals.knowledge_start", &P::knowledge_start, "K (0-1)", 0.1, 0, 1,
              "Local knowledge of a professional new to the wijk.", kAssumption)
        .real("professionals.relationship_learning", &P::relationship_learning,
              "per year of contact", 1.5, 0, 52,
              "Rate at which a resident's relationship with their professional grows during "
              "contact.",
              kAssumption)
        .real("professionals.turnover_rate", &P::turnover_rate, "per year", 0.2, 0, 2,
              "Voluntary staff turnover: the rate at which a professional leaves the post in "
              "this wijk at a normal workload (tenders and cuts come on top).",
              "CBS via Sociale Vraagstukken 2021: 31% of social workers change job in a year, 17% "
              "leave care and welfare, 12% move within it")
        .real("professionals.vacancy_fill_rate", &P::vacancy_fill_rate, "per year", 4, 0, 52,
              "Rate at which a vacancy is filled (about 3 months); lower under staff shortage.",
              kAssumption)
        .real("professionals.brokering_per_hour", &P::brokering_per_hour,
              "meetings per collective hour", 1.5, 0, 20,
              "Bridging encounters a community worker brokers per hour of collective work.",
              kAssumption)
        .real("professionals.activation_per_hour", &P::activation_per_hour,
              "per collective hour per week per 1000 residents", 0.02, 0, 10,
              "Founding rate added to every eligible resident with leadership potential, per weekly "
              "collective hour (not spent on initiatives) per 1000 residents of the wijk.",
              "assumption; calibrated against neighbourhood volunteering, CBS 85541NED (about 7%; "
              "docs/calibration.md)")
        .real("professionals.hourly_cost", &P::hourly_cost, "EUR per hour", 75, 0, 500,
              "Cost of one hour of professional time (welfare spending).", kAssumption)
        .real("care.formal_hourly_cost", &P::formal_care_hourly_cost, "EUR per hour", 60, 0, 500,
              "Cost of one hour of formal care (care spending).", kAssumption)
        .choice("financing.model", &P::financing, {"population", "per_case"}, 0,
                "Population-based financing or payment per case.", "seed section 4")
        .real("financing.per_case_threshold_factor", &P::per_case_threshold_factor, "factor",
              0.8, 0.1, 1,
              "Under per-case financing the unmet share at which a case is opened is multiplied "
              "by this (a provider paid per case opens cases sooner).",
              kAssumption)
        // --- Procurement ----------------------------------------------------------------------
        .real("procurement.tender_interval", &P::tender_interval, "years", 0, 0, 30,
              "Years between re-tenders of the welfare contract; 0 = no tendering (long-term "
              "partnership).",
              "seed section 7")
        .real("procurement.change_prob", &P::contract_change_prob, "probability", 0.5, 0, 1,
              "Chance that a tender moves the contract to another provider.", kAssumption)
        .real("procurement.staff_transfer_share", &P::staff_transfer_share, "share (0-1)", 0.3, 0,
              1, "Share of professionals who move to the new provider when the contract changes.",
              kAssumption)
        .real("procurement.transition_weeks", &P::transition_weeks, "weeks", 13, 0, 104,
              "Length of the transition period after a contract change.", kAssumption)
        .real("procurement.transition_capacity_loss", &P::transition_capacity_loss,
              "share (0-1)", 0.3, 0, 1, "Capacity lost during the transition period.", kAssumption)
        .real("procurement.network_transfer", &P::network_transfer, "share (0-1)", 0, 0, 1,
              "Share of the referral network (team, initiatives, key figures) that survives a "
              "contract change: it belongs to the organisation, so 0 resets it; staff who "
              "transfer keep their own relationships.",
              "assumption; Movisie on re-tendering welfare work")
        .real("procurement.new_provider_staffing", &P::new_provider_staffing, "share (0-1)", 0.8,
              0, 1, "Share of the posts left open by departing staff that the new provider fills "
              "at once (the rest become vacancies).",
              kAssumption)
        // --- Initiatives ----------------------------------------------------------------------
        .real("initiatives.founding_rate", &P::founding_rate, "per year", 0.03, 0, 10,
              "Rate at which an eligible resident (leadership potential, ties, trust, an open "
              "place) starts an initiative.",
              "assumption; leaders as bottleneck: Ghorbani et al. 2020")
        .real("initiatives.leader_threshold", &P::leader_potential_threshold, "potential (0-1)",
              0.8, 0, 1, "Leadership potential needed to found or lead an initiative.", kAssumption)
        .real("initiatives.min_ties", &P::min_ties_to_found, "ties", 4, 0, 50,
              "Ties a founder needs.", kAssumption)
        .real("initiatives.join_rate", &P::join_rate, "per year", 6, 0, 52,
              "Rate at which a resident joins the initiative of a tie met this week (times the tie weight "
              "and the room left in the initiative).",
              kAssumption)
        .real("initiatives.max_members", &P::max_members, "members", 15, 1, 1000,
              "Size at which an initiative stops recruiting (recruitment falls linearly to zero).",
              kAssumption)
        .real("initiatives.leave_rate", &P::member_leave_rate, "per year", 0.25, 0, 52,
              "Rate at which a member leaves.", "assumption; Movisie 'Niet meer zomaar te stoppen'")
        .real("initiatives.member_hours", &P::member_hours, "hours per week", 2, 0, 40,
              "Hours a member gives to the initiative.", kAssumption)
        .real("initiatives.viability_decay", &P::viability_decay, "per year", 0.8, 0, 52,
              "Decay of viability without input.", kAssumption)
        .real("initiatives.viability_gain", &P::viability_gain, "per year", 1.2, 0, 52,
              "Viability growth rate at full input (members, support, funds).", kAssumption)
        .real("initiatives.support_hours_needed", &P::support_hours_needed, "hours per week", 2,
              0.1, 40, "Community-worker hours that count as full support of one initiative.",
              kAssumption)
        .real("initiatives.burnout_rate", &P::burnout_rate, "per year", 0.5, 0, 52,
              "Growth of a leader's burnout when unsupported (support and co-members lower it).",
              kAssumption)
        .real("initiatives.burnout_recovery", &P::burnout_recovery, "per year", 0.5, 0, 52,
              "Recovery of burnout when not leading.", kAssumption)
        .real("initiatives.succession_rate", &P::succession_prob, "per year", 1, 0, 52,
              "Rate at which a member with leadership potential takes over a leaderless "
              "initiative (doubled with community-worker support).",
              kAssumption)
        .real("initiatives.leaderless_weeks", &P::leaderless_weeks, "weeks", 26, 0, 520,
              "An initiative without a leader for this long dissolves.", kAssumption)
        .real("initiatives.dissolve_viability", &P::dissolve_viability, "viability (0-1)", 0.05,
              0, 1, "An initiative whose viability falls below this dissolves.", kAssumption)
        .real("volunteering.start_rate", &P::volunteer_start_rate, "per year", 0.27, 0, 52,
              "Rate at which a resident with spare time and trust starts volunteering anywhere "
              "(sports club, school, church, ...), scaled by trust and ties.",
              "assumption; calibrated against volunteering, CBS 85541NED (docs/calibration.md)")
        .real("volunteering.stop_rate", &P::volunteer_stop_rate, "per year", 0.2, 0, 52,
              "Rate at which a volunteer stops.", kAssumption)
        // --- Demography -----------------------------------------------------------------------
        .real("demography.move_rate_social", &P::move_rate_social, "per year", 0.06, 0, 1,
              "Moving-out rate of housing-association tenants before the pushes of selective "
              "moves (moves.*), which raise the realised rate (move_out_rate_social).",
              "calibrated: association turnover about 7% a year including deaths (CBS 2023: 161,000 "
              "of 2.38 million homes vacated, rough), docs/calibration.md")
        .real("demography.move_rate_private", &P::move_rate_private, "per year", 0.15, 0, 1,
              "Moving-out rate of private tenants before the pushes.", kAssumption)
        .real("demography.move_rate_owner", &P::move_rate_owner, "per year", 0.04, 0, 1,
              "Moving-out rate of owner-occupiers before the pushes.",
              "calibrated: about 4.3% of owner households move a year (WoON 2018: 380,000 moves "
              "from owner-occupied homes in two years, rough), docs/calibration.md")
        .real("demography.mortality_at_80", &P::mortality_at_80, "per year", 0.06, 0, 1,
              "Mortality at age 80, doubling every 8 years of age (by completed year of age, as in "
              "a life table). A death makes the household smaller; its home is let again only "
              "when nobody is left.",
              "assumption; Gompertz shape, cf. CBS life tables (about 5-6% at 80)")
        .real("demography.birth_rate", &P::birth_rate, "per year", 0.05, 0, 1,
              "Births per year per resident aged 25-44 who lives with a partner (another adult "
              "less than 15 years older or younger); the child joins the household.",
              "CBS: 1.43 children per woman (2023); with about 70% of 25-44-year-olds living "
              "with a partner (assumption), 1.43 / (20 years x 0.7 x 2 partners) = 0.05")
        .real("demography.leave_home_rate", &P::leave_home_rate, "per year", 0.18, 0, 10,
              "Rate at which a resident aged 18-34 who lives with a parent (a household member "
              "at least 15 years older) leaves the parental home.",
              "CBS: young people leave home at about 23.5 on average; 18 + 1/0.18 = 23.6")
        .real("demography.couple_rate", &P::couple_rate, "per year", 0.15, 0, 10,
              "Rate at which a resident aged 20-44 who lives alone moves in with a partner; the "
              "couple sets up home outside the wijk (a departure; the home is let again).",
              "assumption; cf. CBS: first cohabitation at about 27, some 5 years after leaving home")
        .real("demography.leave_home_stay_share", &P::leave_home_stay_share, "share (0-1)", 0.3,
              0, 1,
              "Share of those leaving the parental home who look for a home in the same wijk; they "
              "take a home that fell vacant there this week (else they move away) and keep their "
              "kin ties to the household they left. The others leave the wijk.",
              kAssumption)
        .real("demography.newcomer_kin_share", &P::newcomer_kin_share, "share (0-1)", 0.45, 0, 1,
              "Share of newcomer households with kin already in the wijk: their adults get kin "
              "ties with the adults of one household there (parents, grown children or siblings).",
              kAssumption)
        .real("demography.newcomer_old_factor", &P::newcomer_old_factor, "factor", 0.5, 0, 5,
              "Chance that the head of a newcomer household is 65 or over, relative to the buurt's "
              "share of 65+ among adults (the rest of the household is drawn from the buurt's "
              "composition as at the start): people move less often as they grow older.",
              "assumption; cf. CBS moves by age (people over 65 move a third to half as often as "
              "adults on average)")
        // --- Loneliness -----------------------------------------------------------------------
        .real("loneliness.threshold", &P::lonely_threshold, "score (0-1)", 0.5, 0, 1,
              "Loneliness score at or above which a resident counts as lonely.", kAssumption)
        .real("loneliness.strong_threshold", &P::strongly_lonely_threshold, "score (0-1)", 0.64,
              0, 1,
              "Score at or above which a resident counts as strongly lonely: maps the model's "
              "score to the survey's scale (a measurement parameter; nothing reads it but the "
              "indicator).",
              "assumption; calibrated against strong loneliness, GGD/RIVM 2022 "
              "(docs/calibration.md)")
        .real("loneliness.connectedness_scale", &P::connectedness_scale, "tie weight", 10.5, 0.1,
              50, "Tie weight (strong ties count double) that halves the loneliness score.",
              kAssumption)
        // --- Wijkbudget -----------------------------------------------------------------------
        .real("wijkbudget.amount", &P::wijkbudget_amount, "EUR per wijk per year", 0, 0, 1e8,
              "Neighbourhood budget per wijk per year; 0 = none.",
              "Amsterdam buurtbudget 2022: EUR 163,000")
        .choice("wijkbudget.process", &P::wijkbudget_process,
                {"none", "residents_vote", "officials_decide"}, 1,
                "Who decides which projects are funded.", "seed section 9")
        .real("wijkbudget.cost_min", &P::project_cost_min, "EUR", 2500, 0, 1e7,
              "Smallest project cost.", "Amsterdam buurtbudget 2022: EUR 2,500-100,000")
        .real("wijkbudget.cost_max", &P::project_cost_max, "EUR", 100000, 0, 1e8,
              "Largest project cost.", "Amsterdam buurtbudget 2022: EUR 2,500-100,000")
        .real("wijkbudget.vote_propensity", &P::vote_propensity, "share (0-1)", 0.1, 0, 1,
              "Base chance that a resident votes (raised by membership and trust).",
              "Amsterdam 2022: 3,190 voters; Oost Begroot 2020: 4,984")
        .real("wijkbudget.funds_viability", &P::funds_viability_boost, "viability per EUR 10,000",
              0.2, 0, 1, "Viability a funded initiative gains per EUR 10,000 received.",
              kAssumption)
        // --- Future agenda --------------------------------------------------------------------
        .boolean("agenda.enabled", &P::future_agenda, false,
                 "Neighbourhood future agenda (wijktoekomstagenda) with resident deliberation.",
                 "seed section 9")
        .real("agenda.participation", &P::agenda_participation, "share (0-1)", 0.03, 0, 1,
              "Share of residents taking part in a deliberation round.", kAssumption)
        .real("agenda.rounds", &P::agenda_rounds, "per year", 2, 0, 52,
              "Deliberation rounds per year.", kAssumption)
        .real("agenda.founding_boost", &P::agenda_founding_boost, "factor", 2, 1, 20,
              "Multiplier on initiative founding for participants in the following year.",
              kAssumption)
        // --- Housing association --------------------------------------------------------------
        .boolean("housing.welfare_role", &P::ha_welfare_role, true,
                 "Housing association plays a welfare role (social managers, liveability "
                 "spending); false = the 2014 withdrawal.",
                 "seed section 2")
        .real("housing.homes_per_social_manager", &P::ha_social_manager_per_homes,
              "social-rent homes per FTE", 1500, 10, 1e6,
              "Social managers the housing association employs.", kAssumption)
        .real("housing.liveability_per_home", &P::ha_liveability_per_home,
              "EUR per social-rent home per year", 50, 0, 10000,
              "Liveability spending; it funds initiatives in buurten with social housing.",
              kAssumption)
        // --- Allocation of social-rent vacancies -----------------------------------------------
        .real("allocation.urgent_share", &P::urgent_share, "share (0-1)", 0.2, 0, 1,
              "Share of social-rent lettings that go to urgent applicants (people leaving "
              "sheltered housing, clinical care or a shelter; status holders; medical or social "
              "urgency). The rest go to regular applicants under the income limits (passend "
              "toewijzen), drawn like the buurt's social tenants. Owner-occupied and private-rent "
              "homes are let through the market, drawn from the buurt's composition.",
              "no national figure (BZK's Voorrang bij toewijzing 2021 not read); Pre Wonen (Haarlem) "
              "2023, 578 lettings: 7.1% medical or social urgency, 4.7% shelter and sheltered-housing "
              "outflow, 11.9% status holders; CBS 2022-2023: status holders 7-8% of lettings "
              "nationally; 0.07 + 0.05 + 0.075 = 0.2, rough (range 0.1-0.45: Utrecht 30% to "
              "special groups, Pre Wonen 43% to all priority groups)")
        .real("allocation.care_outflow_part", &P::care_outflow_part, "share (0-1)", 0.25, 0, 1,
              "Share of urgent lettings to people leaving sheltered housing (beschermd wonen), "
              "clinical mental-health care or a shelter (maatschappelijke opvang): single adults "
              "with a condition and at least allocation.care_outflow_min_need.",
              "Pre Wonen 2023: 4.7% of lettings (Pact van Uitstroom); Aedes pledge of 10,000 people "
              "in four years, about 1.5% of lettings nationally; 0.05 / 0.2 = 0.25, rough")
        .real("allocation.status_holder_part", &P::status_holder_part, "share (0-1)", 0.375, 0, 1,
              "Share of urgent lettings to status holders: households of origin group 2 with "
              "low income who speak little Dutch at arrival.",
              "CBS 2022-2023: status holders got 7-8% of vacated association homes; 0.075 / "
              "allocation.urgent_share (0.2) = 0.375")
        .real("allocation.newcomer_need_factor", &P::newcomer_need_factor, "factor", 0.1, 0, 2,
              "Care need of market and regular newcomers: drawn as for residents of their age at "
              "the start, with the onset rate times this factor (people who move house are "
              "healthier than those who stay).",
              kAssumption)
        .real("allocation.urgent_need_factor", &P::urgent_need_factor, "factor", 2, 0, 10,
              "The same factor for households let a home on medical or social urgency.",
              kAssumption)
        .integer("allocation.care_outflow_min_need", &P::care_outflow_min_need, "level", 2, 0, 4,
                 "Lowest care-need level of someone leaving sheltered housing, clinical care or a "
                 "shelter (2 = moderate: ambulant support continues after the move).",
                 kAssumption)
        .real("allocation.care_outflow_trust_offset", &P::care_outflow_trust_offset,
              "trust (-1..1)", -0.1, -1, 1,
              "Shift of the social trust (and its disposition) of someone leaving sheltered "
              "housing, clinical care or a shelter, relative to the buurt's residents.",
              kAssumption)
        .real("allocation.language_tie_factor", &P::language_tie_factor, "factor (0-1)", 0.5, 0,
              1,
              "Tie-formation chance with residents of another origin group for a resident who "
              "speaks little Dutch, relative to others.",
              kAssumption)
        .real("allocation.language_learning_rate", &P::language_learning_rate, "per year", 0.33,
              0, 52,
              "Rate at which a status holder's limited Dutch ends (civic integration takes about "
              "three years).",
              "assumption; Wet inburgering 2021: integration term of three years")
        // --- Conditions ---------------------------------------------------------------------
        .real("condition.share_social_rent", &P::condition_share_social, "share (0-1)", 0.03, 0,
              1,
              "Share of housing-association tenants with a long-term psychiatric, addiction or "
              "intellectual-disability condition at the start. After the start the share follows "
              "from allocation, moves, evictions and deaths.",
              "Delespaul et al. 2013 (Tijdschrift voor Psychiatrie 55:427): severe mental illness (EPA) "
              "1.7% of adults; RIGO/Aedes Veerkracht 2020: psychiatric problems about 3x as common in "
              "wijken with two thirds or more social rent; 0.29 x 0.03 + 0.71 x 0.01 = 1.6% overall, "
              "rough")
        .real("condition.share_other", &P::condition_share_other, "share (0-1)", 0.01, 0, 1,
              "The same share among other residents at the start, and among market and regular "
              "newcomers.",
              "as condition.share_social_rent")
        .real("condition.onset_factor", &P::condition_onset_factor, "factor", 2.5, 1, 20,
              "Care-need onset of a resident with a condition relative to others of the same age.",
              kAssumption)
        // --- Nuisance (overlast) ------------------------------------------------------------
        .real("nuisance.base_rate", &P::nuisance_base_rate, "events per household per year", 0.9,
              0, 52,
              "Nuisance events (noise, quarrels, mess) any household causes its neighbours; each is "
              "felt by the households within nuisance.reach homes on either side in the buurt, and "
              "is a bad encounter for their residents aged 12+.",
              "calibrated: households feeling neighbour nuisance often, 5-7% (CBS Veiligheidsmonitor; "
              "5% in 2016), docs/calibration.md")
        .real("nuisance.condition_rate", &P::nuisance_condition_rate, "events per year", 12, 0,
              365,
              "Extra nuisance events a year caused by an adult with a condition and a care need "
              "whose care is not in place (no served case at the neighbourhood team).",
              kAssumption)
        .real("nuisance.support_reduction", &P::nuisance_support_reduction, "share (0-1)", 0.7, 0,
              1, "Share of that extra nuisance that a served case prevents.", kAssumption)
        .real("nuisance.mediation_reduction", &P::nuisance_mediation_reduction, "share (0-1)",
              0.5, 0, 1,
              "Share of a household's nuisance that a handled complaint (a talk, mediation, "
              "agreements) prevents for nuisance.mediation_weeks.",
              kAssumption)
        .real("nuisance.mediation_weeks", &P::nuisance_mediation_weeks, "weeks", 26, 0, 520,
              "How long a handled complaint damps the nuisance.", kAssumption)
        .integer("nuisance.reach", &P::nuisance_reach, "homes", 2, 0, 20,
                 "Homes on either side (in the buurt's order of homes: the same building or "
                 "street) whose households feel a household's nuisance.",
                 kAssumption)
        .real("nuisance.complaint_prob", &P::complaint_prob, "probability", 0.03, 0, 1,
              "Chance that a household that feels a nuisance event complains. A complaint about a "
              "social tenant goes to the housing association, which handles it if it has a welfare "
              "role and a housing consultant in the wijk; otherwise, and for other tenures, the "
              "neighbourhood team handles it if it is not full. Handled: a good experience of that "
              "institution and mediation; not handled: a bad one (of the housing association for "
              "its tenants, else of the municipality).",
              kAssumption)
        .real("nuisance.escalation_complaints", &P::escalation_complaints, "complaints per year",
              2, 0, 1000,
              "Complaints in a year about a household at which a resident with a condition there "
              "and without a case gets one at the neighbourhood team (escalation to formal care).",
              "assumption (with nuisance.eviction_complaints calibrated against evictions)")
        .real("nuisance.eviction_complaints", &P::eviction_complaints, "complaints per year", 3,
              0, 1000,
              "Complaints in a year about a social-rent household with nobody in a served case at "
              "which the housing association evicts it (the last step; the home is let again).",
              "calibrated: evictions by housing associations 0.07-0.13% of their homes a year, about "
              "7% of them for nuisance (Aedes, 2012-2020, rough): 0.1-0.2 a year in a wijk of "
              "2,200 homes; 0.15 in the baseline (docs/calibration.md)")
        .real("nuisance.often_per_year", &P::nuisance_often, "events per year", 6, 0, 365,
              "Nuisance events felt in a year at or above which a household counts as "
              "experiencing neighbour nuisance often (a measurement parameter for the indicator "
              "and the moving push).",
              kAssumption)
        // --- Selective moves ----------------------------------------------------------------
        .real("moves.nuisance_push", &P::move_nuisance_push, "factor", 1.0, 0, 20,
              "Relative rise of a household's moving-out rate while it feels nuisance from "
              "neighbours often (at least nuisance.often_per_year events in about a year).",
              kAssumption)
        .real("moves.need_push", &P::move_need_push, "factor", 0.5, 0, 20,
              "Relative rise of the moving-out rate per unit by which the buurt's share of "
              "residents with moderate or higher care need exceeds the city's (0.5 = a buurt with "
              "twice the city's share raises it by half).",
              kAssumption)
        .real("moves.trust_push", &P::move_trust_push, "factor per 0.1 trust", 0.5, 0, 20,
              "Relative rise of the moving-out rate per 0.1 by which the buurt's mean social trust "
              "falls below the city's.",
              kAssumption)
        .real("moves.ability_low_income", &P::move_ability_low_income, "factor (0-1)", 0.3, 0, 1,
              "How strongly low-income social tenants act on these pushes, relative to owners, "
              "private tenants and higher-income tenants (who can find another home).",
              "assumption; Veerkracht 2020 (RIGO for Aedes): tenants with higher incomes leave")
        // --- Public places ------------------------------------------------------------------
        .real("places.closure_elasticity", &P::place_closure_elasticity, "share per share", 1.0,
              0, 5,
              "Share of the community centres the municipality funds from the welfare budget that "
              "close per share of budget cut (libraries and other places are funded otherwise).",
              kAssumption)
        .real("places.centre_share", &P::centre_share, "share (0-1)", 0.08, 0, 1,
              "Share of a wijk's public places that are community centres (at least one per wijk "
              "while the share is above 0: an assumption).",
              "about 0.8 community centres per 10,000 residents in large cities after the closures "
              "of 2011-2013 (Den Haag 38 of 60 left, rough) over public_places (1 per 1,000)")
        .real("places.library_share", &P::library_share, "share (0-1)", 0.05, 0, 1,
              "Share that are libraries; the rest are other places (a church hall, a sports "
              "canteen, a school open after hours).",
              "KB 2021: 906 library branches and service points, about 0.5 per 10,000 residents, "
              "over public_places (1 per 1,000), rough")
        .real("places.centre_hours", &P::centre_hours, "hours per week", 40, 0, 168,
              "Open hours of a community centre.", kAssumption)
        .real("places.library_hours", &P::library_hours, "hours per week", 30, 0, 168,
              "Open hours of a library.", kAssumption)
        .real("places.other_hours", &P::other_place_hours, "hours per week", 12, 0, 168,
              "Open hours of another place.", kAssumption)
        .integer("places.centre_capacity", &P::centre_capacity, "initiatives", 15, 0, 1000,
                 "Initiatives a community centre can host.", kAssumption)
        .integer("places.library_capacity", &P::library_capacity, "initiatives", 3, 0, 1000,
                 "Initiatives a library can host.", kAssumption)
        .integer("places.other_capacity", &P::other_place_capacity, "initiatives", 2, 0, 1000,
                 "Initiatives another place can host.", kAssumption)
        .real("places.centre_housing_share", &P::centre_housing_share, "share (0-1)", 0.2, 0, 1,
              "Share of community centres in buurten with social rent that the housing "
              "association funds (it closes them when it withdraws from welfare).",
              kAssumption)
        .real("places.centre_residents_share", &P::centre_residents_share, "share (0-1)", 0.15, 0,
              1,
              "Share of community centres run by residents (bewonersbedrijf); neither a cut nor "
              "the housing association closes them.",
              kAssumption)
        .real("places.reference_hours", &P::place_reference_hours, "hours per week", 15, 1, 168,
              "Open hours that count as one place in meeting.place_boost: the mean of the kinds' "
              "hours at their default shares, so the encounters in places stay as they were "
              "before places had hours.",
              "0.08 x 40 + 0.05 x 30 + 0.87 x 12 = 15.1")
        .real("places.unhosted_factor", &P::unhosted_factor, "factor (0-1)", 0.5, 0, 1,
              "Member meetings, and what members, support and funds add to viability, of an "
              "initiative that needs a place (meeting place, neighbour help, other) but has no "
              "host, relative to a hosted one.",
              kAssumption)
        .real("places.presence_share", &P::presence_share, "share (0-1)", 0.25, 0, 1,
              "Share of a community professional's hours in a buurt spent present in its open "
              "places; visitors who meet there get to know the professional.",
              kAssumption)
        // --- Trust by institution -----------------------------------------------------------
        .real("trust.offset_municipality", &P::trust_offset_municipality, "trust (-1..1)", 0, -1,
              1,
              "Initial trust in the municipality relative to the place's initial institutional "
              "trust (the three offsets sum to 0, so the mean stays as calibrated).",
              "Citisens 2024: 58% trust their municipality (Kieskompas 2021: about 40% distrust); "
              "taken as the mean, rough")
        .real("trust.offset_welfare", &P::trust_offset_welfare, "trust (-1..1)", 0.05, -1, 1,
              "Initial trust in welfare professionals relative to it.",
              "wijkteams' help rated 6.6 out of 10, a quarter insufficient (2016, reported via "
              "Binnenlands Bestuur), higher than the housing association's: rough")
        .real("trust.offset_housing", &P::trust_offset_housing, "trust (-1..1)", -0.05, -1, 1,
              "Initial trust in the housing association relative to it.",
              "Aedes 2023: tenants rate the association's effort for their buurt 6.0 out of 10 "
              "(39% no opinion): rough")
        // --- Energy transition ----------------------------------------------------------------
        .real("energy.adoption_rate", &P::energy_adoption_rate, "per year", 0.5, 0, 52,
              "Rate at which a willing household retrofits once its threshold is met.",
              kAssumption)
        .real("energy.attitude_pull", &P::energy_attitude_pull, "per year", 0.5, 0, 52,
              "Rate at which attitudes to the project move towards one's ties' attitudes.",
              "assumption; threshold models: Granovetter 1978")
        .real("energy.consultation_weeks", &P::energy_consultation_weeks, "weeks", 26, 0, 520,
              "Consultation before a top-down plan checks consent.", kAssumption)
        .real("energy.plan_years", &P::energy_plan_years, "years", 4, 0.1, 30,
              "Years a top-down plan schedules for reaching its target.",
              "Programma Aardgasvrije Wijken")
        .real("energy.broken_promise", &P::energy_broken_promise, "share per experience", 0.15,
              0, 1, "Institutional trust step lost by residents when a plan stalls or is forced.",
              kAssumption);
    return p;
  }();
  return t;
}

const ParamTable<PlaceAttributes>& place_table() {
  static const ParamTable<PlaceAttributes> t = [] {
    using A = PlaceAttributes;
    ParamTable<A> p;
    p.real("social_rent_share", &A::social_rent_share, "share (0-1)", 0.29, 0, 1,
           "Homes rented from a housing association.", "CBS, Dutch average (about 29%)")
        .real("private_rent_share", &A::private_rent_share, "share (0-1)", 0.13, 0, 1,
              "Homes rented privately.", "CBS, Dutch average")
        .real("low_income_share", &A::low_income_share, "share (0-1)", 0.1, 0, 1,
              "Residents in low-income households.", "assumption; CBS order of magnitude")
        .real("group1_share", &A::group1_share, "share (0-1)", 0.1, 0, 1,
              "Residents of origin group 1 (e.g. western migration background).",
              "CBS order of magnitude")
        .real("group2_share", &A::group2_share, "share (0-1)", 0.15, 0, 1,
              "Residents of origin group 2 (e.g. non-western migration background).",
              "CBS order of magnitude")
        .real("age_0_19_share", &A::age_0_19_share, "share (0-1)", 0.21, 0, 1,
              "Residents aged 0-19.", "CBS; Nijmegen 2023: 34,980 of 187,078")
        .real("age_65_plus_share", &A::age_65_plus_share, "share (0-1)", 0.20, 0, 1,
              "Residents aged 65 or over.", "CBS; Nijmegen 2023: 31,155 of 187,078")
        .real("living_alone_share", &A::living_alone_share, "share (0-1)", 0.39, 0, 1,
              "Share of households with one person.", "CBS: about 39% of Dutch households")
        .real("high_education_share", &A::high_education_share, "share (0-1)", 0.35, 0, 1,
              "Adults with higher education.", "CBS order of magnitude")
        .real("vulnerability", &A::vulnerability, "factor", 1.0, 0.1, 5,
              "Multiplier on care-need onset (health disadvantage).", kAssumption)
        .real("public_places", &A::public_places, "per 1000 residents", 1.0, 0, 20,
              "Public places (community centres, libraries, other places such as a church hall or a "
              "sports canteen) open at the start.",
              kAssumption)
        .real("community_centres", &A::community_centres, "centres", -1, -1, 100,
              "Community centres in the buurt (they count among its public places); -1 = dealt "
              "over the wijk's places from places.centre_share.",
              "scenario input")
        .real("initial_social_trust", &A::initial_social_trust, "trust (0-1)", 0.52, 0, 1,
              "Mean initial social trust disposition (education and income shift it; spread sd "
              "0.2). Chosen so that the share above 0.5 is near the CBS figure.",
              "CBS, Statistische trends 2022: 58-67% trust most people")
        .real("initial_institutional_trust", &A::initial_institutional_trust, "trust (0-1)",
              0.55, 0, 1, "Mean initial institutional trust.", kAssumption);
    return p;
  }();
  return t;
}

}  // namespace buurtlab::neighbourhood
