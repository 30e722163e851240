// The whole run state of one replicate, and the processes that step it.
//
// Each process (one of the model brief's nine, plus bookkeeping) is a free function in
// processes/<name>.cpp that takes the World and the tick context. The order in which they run is
// fixed in model.cpp. A process reads what earlier processes left, writes only the state of the
// agents it loops over, and routes interactions between agents through proposal buffers that are
// applied in a fixed order (see include/buurtlab/proposals.hpp).
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "buurtlab/model.hpp"
#include "buurtlab/rng.hpp"
#include "state.hpp"

namespace buurtlab::neighbourhood {

struct Encounter {
  Slot a, b;
  bool good;
  bool mixed;      // in a public place, an initiative or brokered: bridging setting
  bool form;       // the tie-formation draw succeeded (used only if there is no tie yet)
};

struct HelpRequest {
  Slot from, to;
  bool kin;  // household member or kin: counts as informal care (mantelzorg)
};

struct Founding {
  Slot founder;
  std::uint8_t type;
};

// What happens to a resident this tick in the demography phase (at most one thing).
struct LifeEvent {
  enum class Kind : std::uint8_t { moves, dies, birth, leaves_home, leaves_for_wijk };
  Slot s;
  AgentId id;
  Kind what;
};

// A dwelling. Homes are made at the start (one per initial household) and never added or removed,
// so each buurt keeps its number of homes; a home falls vacant when its last resident leaves and
// is let again in the same tick. Tenure and a retrofit belong to the home, not to who lives in it:
// a household that moves out or dies leaves its retrofit behind for whoever moves in.
struct Home {
  std::uint32_t buurt = 0;
  std::uint8_t tenure = kOwner;
  std::uint8_t retrofitted = 0;  // off gas / retrofitted (energy)
  std::uint32_t size = 0;       // residents living in it
  std::uint64_t household = 0;  // id of the household living in it
  // Nuisance (docs/model.md 7.14). Felt: nuisance events from neighbouring homes its household
  // experienced, an exponentially weighted count with a one-year time constant (about the events
  // of the last year). Complaints: complaints about its household, weighted the same way.
  float nuisance_felt = 0;
  float complaints = 0;
  std::int32_t mediated_until = -1;  // a handled complaint damps its nuisance until this tick
  std::int32_t care_tick = -1;       // last tick a resident of the home had a served case
  std::uint8_t evict = 0;            // the housing association evicts the household this tick
  std::uint8_t low_income = 0;       // the household has a low income
};
inline constexpr std::uint32_t kNoHome = 0xFFFFFFFFu;

struct World {
  World(const Scenario& scenario, std::uint64_t run_seed)
      : sc(scenario), seed(run_seed), p(param_table().bind(scenario.parameters)) {}
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const Scenario& sc;
  std::uint64_t seed;
  Params p;

  Residents res;
  Professionals pro;
  Initiatives ini;
  std::vector<Home> homes;
  std::vector<Place> places;  // public places, grouped by buurt
  std::vector<Buurt> buurten;
  std::vector<Wijk> wijken;
  City city;

  // Scratch buffers reused between ticks (not model state).
  Proposals<Encounter> encounters;
  std::array<Proposals<HelpRequest>, 3> help;  // one per rung of the care ladder outside formal care
  Proposals<Founding> foundings;
  Proposals<LifeEvent> life_events;
  Proposals<std::uint32_t> retrofits;    // homes whose residents decided to retrofit this tick
  std::vector<std::uint8_t> home_moves;  // per home: its household moves out this tick
  // Per home, this tick: nuisance events felt, and complaints its household made that were handled
  // or not, by institution (read by the trust phase for the residents of the home).
  struct HomeTick {
    std::uint8_t felt = 0;
    std::uint8_t handled_housing = 0, handled_welfare = 0, unhandled_housing = 0, unhandled_municipality = 0;
  };
  std::vector<HomeTick> home_tick;
  std::vector<std::vector<Slot>> wijk_residents;  // kept up to date like Buurt::residents
  // Position of each resident in its buurt's and its wijk's list, so a departure is removed from
  // both lists in constant time.
  std::vector<std::uint32_t> buurt_pos, wijk_pos;
  std::vector<std::uint32_t> members_offset;      // CSR of initiative members, per tick
  std::vector<Slot> members_flat;
  // Start-of-loop copies of a column that a parallel loop both writes (for each agent) and reads
  // (for the agent's ties): reading the copy makes the result independent of which blocks have
  // already run, i.e. of the thread count.
  std::vector<Slot> initiative_before;
  std::vector<std::uint8_t> flag_before;
  double initiatives_founded_tick = 0;
  double initiatives_dissolved_tick = 0;

  // Helpers -------------------------------------------------------------------------------
  Rng rng(StreamId stream, Tick tick, AgentId id) const { return Rng(seed, stream, tick, id); }
  std::uint32_t wijk_of(Slot resident) const { return buurten[res.buurt[resident]].wijk; }
  // Adds resident s to the lists of its buurt and wijk, or takes it out of them (swapping the
  // last entry into its place).
  void place_add(Slot s);
  void place_remove(Slot s);
  // Adds a household drawn from buurt b's composition (size, ages, group, income), with kin ties
  // between its members; returns their slots. It moves into `home` (and takes its tenure), or,
  // with kNoHome, into a new home whose tenure is drawn from the composition (at the start).
  // `arrival` says how the household came (allocation stream or market); it shapes who they are.
  std::vector<Slot> add_household(std::uint32_t b, Tick tick, bool initial, std::uint32_t home = kNoHome,
                                  Arrival arrival = kInitial);
  // Adds a newborn to the household of `parent`, with kin ties to every member; returns its slot.
  Slot add_child(Slot parent, Tick tick);
  // The other members of s's household, in a deterministic order.
  std::vector<Slot> household_members(Slot s) const;
  // Removes a resident: ties, initiative membership and professional relationship go with them,
  // and their home has one resident fewer.
  void remove_resident(Slot s);
  // Makes professional `s` leave: case clients and residents who knew them by face lose the
  // relationship (a bad institutional experience in proportion to its strength), initiatives lose
  // their supporter, and the post becomes a vacancy.
  void professional_leaves(Slot s, Tick tick);
  // Hires a professional of `role` for `fte` of a post in wijk `wijk`, based in the buurt whose
  // share of the role's funded FTE is least covered.
  Slot hire_professional(std::uint32_t wijk, std::uint8_t role, Tick tick, double fte = 1.0);
  // A key figure (sleutelpersoon): an adult initiative leader or an adult with at least
  // key_figures.min_ties ties.
  bool key_figure(Slot s) const;
  // Sets every initiative's member count and bridging share (Gini-Simpson diversity of its
  // members' origin groups, scaled so that equal shares of all groups give 1).
  void count_initiative_members();
};

// Spare hours a week for others at a given age and care need (0 for children and for residents
// with moderate or higher need).
float spare_hours_for(const Params& p, float age, std::uint8_t need, Rng& rng);

// Shift of the energy attitude for higher education (assumption). Applied once, when education is
// drawn: when a resident is created, and at 20 for those who grew up in the model.
double energy_attitude_education_shift(bool high_education);
// Shift of social trust (and its disposition) for higher education; institutional trust gets half
// of it (CBS 2022: 43% with primary education trust others, 84% with a university degree).
// Applied once, when education is drawn, as the energy attitude's.
double social_trust_education_shift(bool high_education);

// Loneliness score (0-1) from the summed weight of one's ties (strong ties counted double),
// whether one lives alone, and the unmet share of one's care need.
float loneliness_score(float tie_weight_sum, bool lives_alone, float unmet_share, double scale);

// Checkpoints (checkpoint.cpp): the state that carries from one tick to the next. load_world()
// needs a World initialised from the same scenario and seed.
void save_world(const World& w, StateWriter& out);
void load_world(World& w, StateReader& in);

// Processes, in the order model.cpp runs them.
void initialise(World& w, const Executor& exec);
void institutions(World& w, const TickContext& c);       // procurement, staff, yearly cycles
void professional_work(World& w, const TickContext& c);  // time split, knowledge
void meeting(World& w, const TickContext& c);            // encounters, ties
void care(World& w, const TickContext& c);               // need and the care ladder
void casework(World& w, const TickContext& c);           // neighbourhood team cases
void initiatives(World& w, const TickContext& c);        // join, found, viability, dissolve
void engagement(World& w, const TickContext& c);         // volunteering, loneliness
void energy(World& w, const TickContext& c);             // energy-transition project
void trust(World& w, const TickContext& c);              // trust from experience
void nuisance(World& w, const TickContext& c);           // nuisance, complaints, escalation
void demography(World& w, const TickContext& c);         // life course, moves, allocation
// The two steps of demography, apart for tests: every resident ages and draws their event of the
// tick into w.life_events; the events are applied in block order.
void draw_life_events(World& w, const TickContext& c);
void apply_life_events(World& w, const TickContext& c);
// Moves this tick's housing events (lettings, nuisance, complaints, evictions, moves) into each
// buurt's sum over the last year.
void roll_housing_counts(World& w, const TickContext& c);
// Each buurt's share of residents with moderate or higher care need and mean social trust, and the
// city's (what residents weigh when they consider moving); once a month and at the start.
void update_buurt_outlook(World& w, const Executor& exec);

// Public places (processes/places.cpp). Makes the places of every buurt at the start.
void initialise_places(World& w);
// Sets which places are open and their hours from their funders' decisions (the welfare budget,
// the housing association's role, the scenario's closures); initiatives hosted by a place that
// closed lose their host, and their members experience it as a decision of the place's funder.
void refresh_places(World& w, Tick tick);
// Closes (share < 0) or reopens (share > 0) that share of the places matching a wijk (0 = all),
// a buurt (0 = all; numbered in the scenario's order) and a kind (-1 = any), in closing order.
void change_places(World& w, double share, int wijk, int buurt, int kind, Tick tick);
// Gives every initiative that needs a place and has none a host with room: in its buurt, else in
// its wijk.
void assign_hosts(World& w);
// Whether an initiative of this type meets in a place (a meeting place, neighbour help, other).
bool needs_place(std::uint8_t initiative_type);

// Yearly and event-driven pieces, also callable from policy hooks.
void run_wijkbudget(World& w, const TickContext& c);
void run_agenda_round(World& w, const TickContext& c);
void tender(World& w, std::uint32_t wijk, const TickContext& c, double change_prob);
void resize_staff(World& w, const TickContext& c);
// Funded FTE per wijk and role from the budget, the residents and the social-rent homes.
void update_funded_posts(World& w);
// Years since initialisation of the first regular tender (whole intervals after the start date;
// during a spin-up, whole intervals before it; never at the start itself).
double first_tender_years(const World& w);
// Fills every funded post at the start (initialise).
void staff_initial_posts(World& w, Tick tick);

}  // namespace buurtlab::neighbourhood
