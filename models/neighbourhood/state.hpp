// Run state of the neighbourhood model: residents, professionals and initiatives as
// structure-of-arrays populations, the tie network between residents, and the per-buurt,
// per-wijk and city-level institution state that policy levers act on.
//
// Per-wijk state (staff, contract, wijkbudget, energy project) is kept apart from city-level state
// (budget, housing-association role) so that a city can later be partitioned by wijk over
// processes. Every piece of run state lives here, so a run can be checkpointed by serialising it.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "buurtlab/model.hpp"
#include "buurtlab/network.hpp"
#include "buurtlab/population.hpp"
#include "buurtlab/proposals.hpp"
#include "params.hpp"

namespace buurtlab::neighbourhood {

inline constexpr int kGroups = 3;  // origin groups: 0 majority, 1 and 2 minorities
inline constexpr int kNeedLevels = 5;
// Care need ladder: none / low / moderate / substantial / critical; the hours a week each level
// needs are parameters (Params::need_hours, care.need_hours_*).

// Who counts as an informal carer (mantelzorger), as the Dutch health monitor defines it (GGD/RIVM
// Gezondheidsmonitor; vzinfo.nl mantelzorg): someone who gives care for at least three months or
// for at least eight hours a week. The carers' share and hours are compared with that survey, so
// the model counts the same way. A week with under one hour given ends a spell of care.
inline constexpr float kCareGivingMinHours = 1.0f;    // hours per week
inline constexpr float kCarerIntensiveHours = 8.0f;   // hours per week
inline constexpr float kCarerLongSpellWeeks = 13.0f;  // three months

enum Tenure : std::uint8_t { kSocialRent = 0, kPrivateRent = 1, kOwner = 2 };
enum Role : std::uint8_t { kNoRole = 0, kMember = 1, kLeader = 2 };
// Tie kinds; the network keeps the larger kind when a tie is reinforced.
enum TieKinds : TieKind { kWeak = 0, kFriend = 1, kKin = 2 };
enum InitiativeType : std::uint8_t {
  kMeetingPlace = 0,
  kNeighbourHelp = 1,
  kGreen = 2,
  kEnergyCoop = 3,
  kOtherInitiative = 4
};
// Why a resident has a case at the neighbourhood team (Residents::case_kind; docs/model.md 7.5).
enum CaseKind : std::uint8_t { kNoCase = 0, kAcute = 1, kSupport = 2 };
// Professional roles (docs/model.md 2.3). The generalist works in the neighbourhood team
// (wijkteam: casework and indications, a share of collective work); the community worker
// (opbouwwerker) does collective work only: initiatives, places, key figures; the housing
// consultant (social manager of the housing association) splits time between tenants' problems
// and the neighbourhood. The first two are employed by the holder of the wijk's welfare contract,
// the third by the housing association.
enum ProfessionalRole : std::uint8_t { kGeneralist = 0, kCommunityWorker = 1, kHousingConsultant = 2 };
inline constexpr int kRoles = 3;
inline constexpr std::uint8_t kHousingAssociation = 255;  // employer id of housing consultants

// The institutions residents trust or distrust, each moved by its own experiences (docs/model.md
// 7.9): the municipality (wijkbudget, agenda, energy plans, places it funds), welfare (the
// neighbourhood team and community workers: help in time, a professional kept or lost) and the
// housing association (its consultants, nuisance complaints about its tenants, places it funds).
enum Institution : std::uint8_t { kMunicipality = 0, kWelfare = 1, kHousing = 2 };
inline constexpr int kInstitutions = 3;

// How a household came to live where it lives (docs/model.md 7.14). Social-rent vacancies are let
// through an allocation stream; owner-occupied and private-rent homes through the market.
enum Arrival : std::uint8_t {
  kInitial = 0,       // lived here at the start, or born here
  kMarket = 1,        // bought or rented privately
  kRegular = 2,       // social rent, regular applicant under the income limits (passend toewijzen)
  kCareOutflow = 3,   // social rent, urgent: leaving sheltered housing, clinical care or a shelter
  kStatusHolder = 4,  // social rent, urgent: a refugee granted a residence permit
  kOtherUrgent = 5,   // social rent, urgent on medical or social grounds
  kLocalYoung = 6     // a young adult of the wijk who left the parental home
};
inline constexpr int kArrivals = 7;

// A resident's trust in one institution: its level, the next tick's level (written by the trust
// phase), and the experiences of the current tick, which the trust phase consumes.
struct InstitutionTrust {
  Column<float>& level;
  Column<float>& next;
  Column<std::uint8_t>& good;
  Column<std::uint8_t>& bad;
  Column<float>& bad_weight;  // weighted bad experience (a relationship lost, a promise broken)
};

// Public place kinds and who pays for them (docs/model.md 7.15).
enum PlaceKind : std::uint8_t { kCommunityCentre = 0, kLibrary = 1, kOtherPlace = 2 };
inline constexpr int kPlaceKinds = 3;
enum PlaceFunder : std::uint8_t { kFundedByMunicipality = 0, kFundedByHousing = 1, kRunByResidents = 2 };

struct Residents {
  Population pop{"residents"};
  Column<std::uint32_t>& buurt = pop.add_column<std::uint32_t>("buurt", 0);  // local buurt index
  Column<std::uint64_t>& household = pop.add_column<std::uint64_t>("household", 0);
  // Index of the home (World::homes) the resident's household lives in.
  Column<std::uint32_t>& home = pop.add_column<std::uint32_t>("home", 0);
  Column<float>& age = pop.add_column<float>("age", 0);
  Column<std::uint8_t>& tenure = pop.add_column<std::uint8_t>("tenure", kOwner);
  Column<std::uint8_t>& group = pop.add_column<std::uint8_t>("origin_group", 0);
  Column<std::uint8_t>& low_income = pop.add_column<std::uint8_t>("low_income", 0);
  Column<std::uint8_t>& high_education = pop.add_column<std::uint8_t>("high_education", 0);
  Column<std::uint8_t>& alone = pop.add_column<std::uint8_t>("lives_alone", 0);
  Column<std::uint8_t>& need = pop.add_column<std::uint8_t>("care_need_level", 0);
  Column<float>& spare_hours = pop.add_column<float>("spare_hours", 0);
  Column<float>& trust = pop.add_column<float>("social_trust", 0.5f);
  Column<float>& trust_base = pop.add_column<float>("social_trust_disposition", 0.5f);
  Column<float>& trust_next = pop.add_column<float>("social_trust_next", 0.5f);
  // A long-term psychiatric, addiction or intellectual-disability condition that raises care need
  // and, while unsupported, produces nuisance (docs/model.md 7.14).
  Column<std::uint8_t>& condition = pop.add_column<std::uint8_t>("condition", 0);
  Column<std::uint8_t>& arrival = pop.add_column<std::uint8_t>("arrival", kInitial);  // Arrival
  // 1 while the resident speaks little Dutch (status holders at arrival): fewer ties across groups.
  Column<std::uint8_t>& language = pop.add_column<std::uint8_t>("limited_dutch", 0);
  Column<float>& potential = pop.add_column<float>("leadership_potential", 0);
  Column<float>& burnout = pop.add_column<float>("burnout", 0);
  Column<Slot>& initiative = pop.add_column<Slot>("initiative", kNoSlot);
  Column<std::uint8_t>& role = pop.add_column<std::uint8_t>("role", kNoRole);
  Column<std::uint8_t>& volunteer = pop.add_column<std::uint8_t>("volunteer", 0);
  Column<float>& loneliness = pop.add_column<float>("loneliness", 0);
  Column<float>& attitude = pop.add_column<float>("energy_attitude", 0.5f);
  Column<float>& attitude_next = pop.add_column<float>("energy_attitude_next", 0.5f);
  // The resident's case professional (a generalist or housing consultant) and the strength of
  // that relationship (0-1). It grows while a case is served, fades after the case closes and
  // ends (below relations.end_below) or goes with the professional.
  Column<Slot>& professional = pop.add_column<Slot>("professional", kNoSlot);
  Column<float>& relationship = pop.add_column<float>("relationship", 0);
  // The community professional the resident knows by face (public familiarity, Blokland 2017):
  // met in an initiative, in a place or as a key figure; and how well (0-1).
  Column<Slot>& contact = pop.add_column<Slot>("familiar_professional", kNoSlot);
  Column<float>& familiarity = pop.add_column<float>("familiarity", 0);
  Column<std::int32_t>& professional_lost = pop.add_column<std::int32_t>("professional_lost_tick", -1000000);
  Column<std::int32_t>& case_since = pop.add_column<std::int32_t>("case_since", -1);  // -1: no case
  Column<std::uint8_t>& case_served = pop.add_column<std::uint8_t>("case_served", 0);
  // 0 no case, 1 acute (opened for unmet need), 2 support (need at or above care.case_need_level).
  Column<std::uint8_t>& case_kind = pop.add_column<std::uint8_t>("case_kind", 0);
  // Need level at which a support case was handed back to informal support (0: none); no support
  // case opens again until the need rises above it.
  Column<std::uint8_t>& handed_back = pop.add_column<std::uint8_t>("handed_back_level", 0);
  Column<float>& need_hours = pop.add_column<float>("need_hours", 0);
  Column<float>& unmet = pop.add_column<float>("unmet_hours", 0);
  Column<float>& informal_got = pop.add_column<float>("informal_hours_received", 0);
  Column<float>& formal_got = pop.add_column<float>("formal_hours_received", 0);
  Column<float>& given = pop.add_column<float>("hours_given", 0);
  Column<float>& given_kin = pop.add_column<float>("care_hours_given_to_kin", 0);
  // Weeks the resident has given care to household members or kin without a break.
  Column<float>& care_spell_weeks = pop.add_column<float>("care_spell_weeks", 0);
  Column<float>& budget_left = pop.add_column<float>("helper_hours_left", 0);
  Column<std::int32_t>& founder_boost_until = pop.add_column<std::int32_t>("founder_boost_until", -1);
  // Experiences of the current tick, consumed by the trust phase.
  Column<std::uint8_t>& good_social = pop.add_column<std::uint8_t>("good_encounters", 0);
  Column<std::uint8_t>& bad_social = pop.add_column<std::uint8_t>("bad_encounters", 0);
  // Trust in each institution (indexed by Institution) and its experiences this tick.
  std::array<InstitutionTrust, kInstitutions> inst{institution("municipality"), institution("welfare"),
                                                   institution("housing_association")};
  TieNetwork ties{24};

  // Institutional trust as one number: the mean over the three institutions.
  float institutional_trust(Slot s) const {
    return (inst[kMunicipality].level[s] + inst[kWelfare].level[s] + inst[kHousing].level[s]) / 3.0f;
  }
  // Counts one good or bad experience with institution `k` (saturating).
  void good_experience(Slot s, Institution k) {
    auto& n = inst[k].good[s];
    if (n < 250) ++n;
  }
  void bad_experience(Slot s, Institution k) {
    auto& n = inst[k].bad[s];
    if (n < 250) ++n;
  }

 private:
  InstitutionTrust institution(const std::string& name) {
    return {pop.add_column<float>("trust_" + name, 0.5f), pop.add_column<float>("trust_" + name + "_next", 0.5f),
            pop.add_column<std::uint8_t>("good_experiences_" + name, 0),
            pop.add_column<std::uint8_t>("bad_experiences_" + name, 0),
            pop.add_column<float>("bad_weight_" + name, 0)};
  }
};

struct Professionals {
  Population pop{"professionals"};
  Column<std::uint32_t>& wijk = pop.add_column<std::uint32_t>("wijk", 0);  // local wijk index
  // Home buurt (local buurt index): where this professional is the familiar face.
  Column<std::uint32_t>& buurt = pop.add_column<std::uint32_t>("buurt", 0);
  Column<std::uint8_t>& role = pop.add_column<std::uint8_t>("role", kGeneralist);
  // Contract holder (0-3) or kHousingAssociation.
  Column<std::uint8_t>& employer = pop.add_column<std::uint8_t>("employer", 0);
  // Size of the post, in FTE (0-1]: funded posts are not rounded to whole people.
  Column<float>& fte = pop.add_column<float>("fte", 1.0f);
  Column<float>& knowledge = pop.add_column<float>("local_knowledge", 0);
  Column<float>& tenure_years = pop.add_column<float>("tenure_years", 0);
  Column<std::uint32_t>& caseload = pop.add_column<std::uint32_t>("caseload", 0);
  // Hours a week this tick spent with initiatives (support), key figures and in places.
  Column<float>& collective_hours = pop.add_column<float>("collective_hours", 0);
  // Buurten whose familiar face this professional is this tick (its home buurt and any buurt of
  // the wijk where no community professional is based).
  Column<std::uint32_t>& buurten_faced = pop.add_column<std::uint32_t>("buurten_faced", 0);
  // Tick the professional joined the wijk's current contract holder at a tender (-1: hired
  // otherwise): such newcomers work at reduced capacity during the transition.
  Column<std::int32_t>& joined_at_tender = pop.add_column<std::int32_t>("joined_at_tender", -1);
};

struct Initiatives {
  Population pop{"initiatives"};
  Column<std::uint32_t>& buurt = pop.add_column<std::uint32_t>("buurt", 0);
  Column<std::uint8_t>& type = pop.add_column<std::uint8_t>("type", kOtherInitiative);
  Column<Slot>& leader = pop.add_column<Slot>("leader", kNoSlot);
  Column<float>& viability = pop.add_column<float>("viability", 0);
  Column<float>& funds = pop.add_column<float>("funds", 0);  // EUR
  Column<std::uint32_t>& members = pop.add_column<std::uint32_t>("members", 0);
  Column<float>& bridging = pop.add_column<float>("bridging_share", 0);
  // Effective professional support this tick (0-1): hours received relative to the need, times
  // the value of the relationship with the supporting professional (relations.support_weight).
  Column<float>& support = pop.add_column<float>("support_share", 0);
  // The professional supporting the initiative (community worker or housing consultant of its
  // buurt, else of its wijk) and the strength of that relationship (0-1).
  Column<Slot>& worker = pop.add_column<Slot>("worker", kNoSlot);
  Column<float>& worker_rel = pop.add_column<float>("worker_relationship", 0);
  Column<float>& worker_hours = pop.add_column<float>("worker_hours", 0);  // h/wk from the worker this tick
  Column<std::int32_t>& leaderless_since = pop.add_column<std::int32_t>("leaderless_since", -1);
  Column<std::int32_t>& founded = pop.add_column<std::int32_t>("founded_tick", 0);
  Column<std::uint8_t>& dissolving = pop.add_column<std::uint8_t>("dissolving", 0);
  // The public place that hosts the initiative (index into World::places), or kNoPlace.
  Column<std::uint32_t>& host = pop.add_column<std::uint32_t>("host_place", 0xFFFFFFFFu);
  // Set when the host closed this tick: 1 + the closed place's PlaceFunder. Its members experience
  // the closure as a decision of that funder in the next initiatives phase.
  Column<std::uint8_t>& displaced = pop.add_column<std::uint8_t>("displaced", 0);
};
inline constexpr std::uint32_t kNoPlace = 0xFFFFFFFFu;

// A public place: a community centre, library or other place where residents meet, funded by
// the municipality, the housing association or run by residents (docs/model.md 7.15). It hosts
// initiatives up to its capacity; its open hours make encounters and professionals' presence
// possible. Whether it is open follows from its funder's decisions (refresh_places).
struct Place {
  std::uint32_t buurt = 0;
  std::uint8_t kind = kCommunityCentre;         // PlaceKind
  std::uint8_t funder = kFundedByMunicipality;  // PlaceFunder
  bool welfare_funded = false;  // a municipal community centre paid from the welfare budget
  bool closed_by_hook = false;  // closed by the scenario (`places` hook)
  bool open = true;
  float base_hours = 0;         // open hours a week when fully funded
  float hours = 0;              // open hours a week now (0 when closed)
  std::uint32_t capacity = 0;   // initiatives it can host
  std::uint32_t hosted = 0;     // initiatives it hosts now
  double closing_order = 0;     // keyed draw: places close in this order, lowest first
};

// Lettings of social-rent homes by allocation stream and other housing events, summed over the
// last year in a ring indexed by tick (for the allocation and nuisance indicators).
struct HousingCounts {
  std::array<double, kArrivals> lettings{};
  double nuisance_events = 0;
  double complaints = 0;
  double complaints_handled = 0;
  double evictions = 0;
  std::array<double, 3> moves_out{};  // households moving out, by tenure
  void add(const HousingCounts& o, double sign) {
    for (int k = 0; k < kArrivals; ++k) lettings[k] += sign * o.lettings[k];
    nuisance_events += sign * o.nuisance_events;
    complaints += sign * o.complaints;
    complaints_handled += sign * o.complaints_handled;
    evictions += sign * o.evictions;
    for (int k = 0; k < 3; ++k) moves_out[k] += sign * o.moves_out[k];
  }
};

struct Buurt {
  PlaceIndex place = 0;
  std::uint32_t wijk = 0;  // local wijk index
  PlaceAttributes attr{};
  double places_open = 0;   // public places open (kept by the places process)
  double place_hours = 0;   // their open hours a week
  // Monthly snapshot (demography, at the first tick of each month) of what residents see of their
  // buurt when they consider moving: the share with moderate or higher care need and mean social
  // trust (docs/model.md 7.14).
  double need_share = 0;
  double trust_mean = 0.5;
  // Housing events: this tick's, the sum over the last year, and a ring of the last year's ticks.
  HousingCounts housing_now, housing_year;
  std::vector<HousingCounts> housing_ring;
  // Alive residents, kept up to date as residents arrive and leave (World::place_add and
  // place_remove); the order is deterministic but not slot order.
  std::vector<Slot> residents;
  // The buurt's familiar community professional this tick (community worker based here, else a
  // housing consultant based here, else kNoSlot); set by professional_work.
  Slot face = kNoSlot;
};

struct EnergyProject {
  bool active = false;
  int mode = 0;  // EnergyMode
  double consent_threshold = 0.7;
  double target_share = 0.5;
  Tick started = 0;
  Tick consent_check = 0;  // top-down: tick at which consent is checked
  bool executing = false;  // top-down: consent reached, work under way
  double planned_share = 0;  // top-down: share the plan says should be done by now
  Tick plan_start = 0;
};

struct Wijk {
  PlaceIndex place = 0;
  std::vector<std::uint32_t> buurten;
  double residents = 0;
  double social_rent_homes = 0;
  std::uint8_t provider = 0;     // organisation holding the welfare contract
  double next_tender_years = 0;  // years since initialisation at which the next tender falls
  Tick transition_until = 0;
  double funded_fte = 0;          // all roles
  std::array<double, kRoles> funded_role_fte{};  // per role
  double vacancies = 0;
  double collective_hours = 0;   // this tick, per week: generalists' and community professionals'
  double generalist_collective_hours = 0;  // of which by generalists (spread over the wijk)
  double casework_hours = 0;     // hours for casework this tick (after sick leave)
  double casework_fte = 0;       // FTE doing casework (for the caseload ceiling)
  double waiting = 0;            // cases left waiting at the end of the last casework phase
  double open_cases = 0;         // cases open at the end of the last casework phase
  double demand_hours = 0;       // casework hours the open cases asked for, last casework phase
  double served_cases = 0;       // cases served in the last casework phase
  double workload = 0;           // casework demand over capacity, last casework phase (1 = full)
  // The contract holder's referral network (team <-> initiatives <-> key figures, 0-1):
  // organisational, so a contract change resets it unless it transfers.
  double network = 0;
  bool collective_mandate = true;  // professionals.collective_reading = team_mandate: drawn once
  // FTE of professionals who left this wijk (any reason) in each of the last year's ticks, a
  // ring indexed by tick, for the staff turnover indicator.
  std::vector<double> leavers_ring;
  double leavers_now = 0;  // FTE left this tick
  double wijkbudget_spent_year = 0;
  double voters_year = 0;
  EnergyProject energy;
};

struct City {
  double budget_factor = 1.0;  // welfare budget relative to the start
  bool ha_welfare_role = true;
  double welfare_spending_week = 0;  // EUR this tick
  double care_spending_week = 0;     // EUR this tick
  Tick next_wijkbudget = 0;
  Tick next_agenda = 0;
  std::uint64_t next_household = 1;
  // Monthly outlook (update_buurt_outlook): city-wide share of residents with moderate or higher
  // care need and mean social trust.
  double need_share = 0;
  double trust_mean = 0.5;
};

}  // namespace buurtlab::neighbourhood
