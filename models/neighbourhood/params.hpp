// Parameters of the neighbourhood model and the place attributes a scenario can set per city,
// wijk or buurt. Declared once in params.cpp with unit, default, range, doc and source; the
// `buurtlab describe neighbourhood` listing and docs/parameters.md come from there.
#pragma once
#include "buurtlab/params.hpp"

namespace buurtlab::neighbourhood {

enum class Financing : int { population = 0, per_case = 1 };
enum class BudgetProcess : int { none = 0, residents_vote = 1, officials_decide = 2 };
enum class EnergyMode : int { top_down = 0, community_led = 1 };
// How the source document's "2% of neighbourhood teams work collectively" is read: as 2% of every
// generalist's time, or as 2% of teams (wijken) having a collective mandate, whose generalists then
// spend professionals.mandate_collective_share of their time on it.
enum class CollectiveReading : int { time_share = 0, team_mandate = 1 };

struct Params {
  // Meeting and ties
  double meeting_rate;            // per year
  double tie_upkeep_rate;         // per year
  double member_meeting_rate;     // per year
  double cross_buurt_share;       // share
  double place_meeting_boost;     // 1 per open place per 1000 residents
  double homophily;               // factor for cross-group tie formation
  double bridging_factor;         // factor in mixed settings
  double tie_formation_prob;      // probability per meeting
  double tie_gain;                // weight per meeting
  double strong_threshold;        // weight
  double weak_tie_decay;          // per year
  double strong_tie_decay;        // per year
  double tie_prune;               // weight
  double good_encounter_prob;     // share
  // Trust
  double trust_learning;          // per experience
  double negativity_weight;       // factor
  double trust_pull;              // per year
  double trust_anchor;            // per year
  double institutional_learning;  // per experience
  double help_trust_threshold;    // T
  // Care
  double need_onset_rate;         // per year
  double need_onset_age_factor;   // per decade over 50
  double need_recovery_rate;      // per year
  double escalation_rate;         // per year at full unmet need
  double initial_need_factor;     // factor on onset for the care need drawn at the start
  // Hours a week of care the ladder's levels 1-4 need (level 0 needs none).
  double need_hours_low, need_hours_moderate, need_hours_substantial, need_hours_critical;
  float need_hours(int level) const {
    const double h[] = {0.0, need_hours_low, need_hours_moderate, need_hours_substantial, need_hours_critical};
    return static_cast<float>(h[level]);
  }
  double household_care_hours;    // h/wk
  double spare_hours_worker;      // h/wk
  double spare_hours_retired;     // h/wk
  double max_help_share;          // share of spare hours per helpee
  double case_threshold;          // share of need unmet
  double wait_threshold_weeks;    // weeks
  double formal_hours_per_case;   // h/wk
  // Professionals
  double residents_per_professional;  // residents per FTE
  double professional_hours;      // h/wk per FTE
  double collective_share;        // share
  int collective_reading;         // CollectiveReading
  double mandate_collective_share;  // share of a mandated team's time
  double crowding_out;            // share
  double per_case_collective_factor;  // factor
  double caseload_hours;          // h/wk per case (direct contact)
  double admin_share;             // share of casework time on administration
  // Hours a week a served case takes: its direct contact plus the administration that comes with it.
  double hours_per_case() const { return caseload_hours / (1.0 - admin_share); }
  double max_caseload;            // households per FTE
  double indication_hours;        // h per new case
  double sick_leave;              // share of hours
  double workload_sick_factor;    // factor per unit of excess workload
  double workload_turnover_factor;  // factor per unit of excess workload
  double community_residents_per_fte;  // residents per community-worker FTE
  double consultant_collective_share;  // share of a housing consultant's time
  // Relationships (the relational channel)
  double relation_build_hours;    // contact hours
  double relation_decay;          // per year without contact
  double relation_end_below;      // strength
  double support_weight;          // share of support that depends on the relationship
  double loss_weight;             // bad institutional weight per unit of relationship lost
  int key_figure_min_ties;        // ties
  double key_figure_hours_share;  // share of buurt hours spent with key figures
  double signal_weight;           // factor
  double handback_rate;           // per year at full signal
  double network_years;           // years
  double network_hours_per_1000;  // h/wk per 1000 residents
  int case_need_level;            // need level at which a resident is a support client
  double support_uptake;          // share one level below who are clients too
  double case_resolution_rate;    // per year
  double knowledge_learning;      // per year
  double knowledge_start;         // K of a newcomer
  double relationship_learning;   // per year of contact
  double turnover_rate;           // per year
  double vacancy_fill_rate;       // per year
  double brokering_per_hour;      // meetings per collective hour
  double activation_per_hour;     // per collective hour per 1000 residents
  double hourly_cost;             // EUR
  double formal_care_hourly_cost; // EUR
  int financing;
  double per_case_threshold_factor;  // factor
  // Procurement
  double tender_interval;         // years, 0 = no tendering
  double contract_change_prob;    // probability
  double staff_transfer_share;    // share
  double transition_weeks;        // weeks
  double transition_capacity_loss;// share
  double new_provider_staffing;   // share of open posts filled at contract start
  double network_transfer;        // share of the referral network kept at a contract change
  // Initiatives
  double founding_rate;           // per year per potential leader
  double leader_potential_threshold;  // potential
  double min_ties_to_found;       // ties
  double join_rate;               // per year
  double max_members;             // members
  double member_leave_rate;       // per year
  double member_hours;            // h/wk
  double viability_decay;         // per year
  double viability_gain;          // per year at full input
  double support_hours_needed;    // h/wk per initiative
  double burnout_rate;            // per year unsupported
  double burnout_recovery;        // per year
  double succession_prob;         // per year
  double leaderless_weeks;        // weeks
  double dissolve_viability;      // V
  // Volunteering (any)
  double volunteer_start_rate;    // per year
  double volunteer_stop_rate;     // per year
  // Demography
  double move_rate_social;        // per year
  double move_rate_private;       // per year
  double move_rate_owner;         // per year
  double mortality_at_80;         // per year
  double birth_rate;              // per year per resident aged 25-44 living with a partner
  double leave_home_rate;         // per year per resident aged 18-34 living with a parent
  double couple_rate;             // per year per resident aged 20-44 living alone
  double leave_home_stay_share;   // share of those leaving home who look for a home in the wijk
  double newcomer_kin_share;      // share of newcomer households with kin in the wijk
  double newcomer_old_factor;     // factor on the 65+ share of newcomer household heads
  // Loneliness
  double lonely_threshold;        // score
  double strongly_lonely_threshold;  // score
  double connectedness_scale;     // tie weight
  // Wijkbudget
  double wijkbudget_amount;       // EUR per wijk per year
  int wijkbudget_process;
  double project_cost_min;        // EUR
  double project_cost_max;        // EUR
  double vote_propensity;         // share
  double funds_viability_boost;   // V per 10k EUR
  // Future agenda
  bool future_agenda;
  double agenda_participation;    // share per round
  double agenda_rounds;           // per year
  double agenda_founding_boost;   // factor
  // Housing association
  bool ha_welfare_role;
  double ha_social_manager_per_homes; // homes per social manager
  double ha_liveability_per_home;     // EUR per social-rent home per year
  // Allocation of social-rent vacancies (docs/model.md 7.14)
  double urgent_share;            // share of social-rent lettings
  double care_outflow_part;       // share of urgent lettings
  double status_holder_part;      // share of urgent lettings
  double newcomer_need_factor;    // factor on onset for the need of market and regular newcomers
  double urgent_need_factor;      // factor on onset for the need of other urgent newcomers
  int care_outflow_min_need;      // need level
  double care_outflow_trust_offset;  // social trust
  double language_tie_factor;     // factor
  double language_learning_rate;  // per year
  // Conditions
  double condition_share_social;  // share of social tenants at the start
  double condition_share_other;   // share of other residents at the start and of regular newcomers
  double condition_onset_factor;  // factor on care-need onset
  // Nuisance
  double nuisance_base_rate;      // events per household per year
  double nuisance_condition_rate; // events per year per resident with a condition, unsupported
  double nuisance_support_reduction;  // share
  double nuisance_mediation_reduction;  // share
  double nuisance_mediation_weeks;  // weeks
  int nuisance_reach;             // homes on each side
  double complaint_prob;          // per household per event felt
  double escalation_complaints;   // complaints per year
  double eviction_complaints;     // complaints per year
  double nuisance_often;          // events felt per year
  // Selective moves
  double move_nuisance_push;      // factor at nuisance felt 'often'
  double move_need_push;          // factor per unit of relative excess need
  double move_trust_push;         // factor per 0.1 of trust below the city mean
  double move_ability_low_income; // factor for low-income social tenants
  // Public places
  double place_closure_elasticity;    // share closed per share cut
  double centre_share;            // share of places
  double library_share;           // share of places
  double centre_hours, library_hours, other_place_hours;  // h/wk
  int centre_capacity, library_capacity, other_place_capacity;  // initiatives
  double centre_housing_share;    // share of community centres funded by the housing association
  double centre_residents_share;  // share of community centres run by residents
  double place_reference_hours;   // h/wk
  double unhosted_factor;         // factor
  double presence_share;          // share of a community professional's buurt hours
  // Trust by institution
  double trust_offset_municipality, trust_offset_welfare, trust_offset_housing;  // trust
  // Energy
  double energy_adoption_rate;    // per year
  double energy_attitude_pull;    // per year
  double energy_consultation_weeks;   // weeks
  double energy_plan_years;       // years
  double energy_broken_promise;   // I loss
};

struct PlaceAttributes {
  double social_rent_share;
  double private_rent_share;
  double low_income_share;
  double group1_share;  // origin group 1 (e.g. western migration background)
  double group2_share;  // origin group 2 (e.g. non-western migration background)
  double age_0_19_share;
  double age_65_plus_share;
  double living_alone_share;
  double high_education_share;
  double vulnerability;   // multiplier on care-need onset
  double public_places;   // places per 1000 residents
  double community_centres;  // community centres in the buurt; negative: dealt from places.centre_share
  double initial_social_trust;
  double initial_institutional_trust;
};

const ParamTable<Params>& param_table();
const ParamTable<PlaceAttributes>& place_table();

}  // namespace buurtlab::neighbourhood
