#include "indicators.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "world.hpp"

namespace buurtlab::neighbourhood {

namespace {
constexpr int kBins = 50;  // trust histograms for quantiles: resolution 0.02

// Every indicator, in output order. The enum and the table below must stay in the same order.
enum class I : std::size_t {
  population, community_strength, cs_tie_density, cs_bridging, cs_participation, cs_initiatives,
  cs_efficacy, ties_per_resident, bridging_tie_share, social_trust_mean, social_trust_p10,
  social_trust_p50, social_trust_p90, trusting_share, institutional_trust_mean,
  institutional_trust_p10, institutional_trust_p50, institutional_trust_p90,
  social_trust_vulnerable, institutional_trust_vulnerable, social_trust_social_renters,
  institutional_trust_social_renters, social_trust_group0, social_trust_group1,
  social_trust_group2, institutional_trust_group0, institutional_trust_group1,
  institutional_trust_group2, volunteers_share, neighbourhood_volunteers_share, leaders,
  initiatives, initiative_viability_mean, initiative_bridging_mean, initiatives_founded,
  initiatives_dissolved, care_need_hours, unmet_care_hours, informal_care_share,
  formal_care_share, open_cases, waiting_list, informal_carers_share, informal_care_hours_per_carer,
  lonely_share, strongly_lonely_share, professionals_fte, vacancies, professional_tenure_mean,
  local_knowledge_mean, professional_changed_share, collective_hours, homes_retrofitted_share,
  energy_in_favour_share, wijkbudget_spent, voting_turnout, welfare_spending, care_spending,
  public_places_open, clients_per_1000, caseload_per_fte, team_workload, staff_turnover,
  referral_network, familiarity_mean, knows_professional_share, key_figures,
  initiative_relationship_mean, acute_cases, generalist_collective_hours, trust_municipality_mean,
  trust_welfare_mean, trust_housing_mean, care_need_share, condition_share, urgent_lettings_share,
  social_lettings, nuisance_often_share, complaints_per_1000, complaints_handled_share, evictions,
  move_out_rate_social, move_out_rate_private, move_out_rate_owner, place_hours_per_1000,
  hosted_initiatives_share, kCount
};

const std::vector<IndicatorDecl>& table() {
  static const std::vector<IndicatorDecl> t = {
      {"population", "residents", "Residents present."},
      {"community_strength", "index (0-1)", "Community strength (gemeenschapskracht): mean of the five cs_ components."},
      {"cs_tie_density", "index (0-1)", "Component: non-kin ties per resident / 12, capped at 1."},
      {"cs_bridging", "index (0-1)", "Component: bridging-tie share / 0.3, capped at 1."},
      {"cs_participation", "share (0-1)", "Component: residents 15+ who volunteer or are initiative members."},
      {"cs_initiatives", "index (0-1)", "Component: summed initiative viability per 1000 residents / 5, capped at 1."},
      {"cs_efficacy", "share (0-1)", "Component (collective-efficacy proxy): residents 15+ with social trust > 0.5 and at least 3 non-kin ties."},
      {"ties_per_resident", "ties", "Mean number of ties (all kinds) per resident."},
      {"bridging_tie_share", "share (0-1)", "Share of non-kin ties that connect different origin groups."},
      {"social_trust_mean", "trust (0-1)", "Mean social trust (in other people)."},
      {"social_trust_p10", "trust (0-1)", "10th percentile of social trust."},
      {"social_trust_p50", "trust (0-1)", "Median social trust."},
      {"social_trust_p90", "trust (0-1)", "90th percentile of social trust."},
      {"trusting_share", "share (0-1)", "Residents 15+ with social trust > 0.5 (comparable to 'most people can be trusted', CBS)."},
      {"institutional_trust_mean", "trust (0-1)", "Mean institutional trust (municipality, professionals, housing association)."},
      {"institutional_trust_p10", "trust (0-1)", "10th percentile of institutional trust."},
      {"institutional_trust_p50", "trust (0-1)", "Median institutional trust."},
      {"institutional_trust_p90", "trust (0-1)", "90th percentile of institutional trust."},
      {"social_trust_vulnerable", "trust (0-1)", "Mean social trust of residents with moderate or higher care need."},
      {"institutional_trust_vulnerable", "trust (0-1)", "Mean institutional trust of residents with moderate or higher care need."},
      {"social_trust_social_renters", "trust (0-1)", "Mean social trust of housing-association tenants."},
      {"institutional_trust_social_renters", "trust (0-1)", "Mean institutional trust of housing-association tenants."},
      {"social_trust_group0", "trust (0-1)", "Mean social trust, origin group 0 (majority)."},
      {"social_trust_group1", "trust (0-1)", "Mean social trust, origin group 1."},
      {"social_trust_group2", "trust (0-1)", "Mean social trust, origin group 2."},
      {"institutional_trust_group0", "trust (0-1)", "Mean institutional trust, origin group 0."},
      {"institutional_trust_group1", "trust (0-1)", "Mean institutional trust, origin group 1."},
      {"institutional_trust_group2", "trust (0-1)", "Mean institutional trust, origin group 2."},
      {"volunteers_share", "share (0-1)", "Residents 15+ who volunteer anywhere or are initiative members (CBS 85541NED: 41-49%)."},
      {"neighbourhood_volunteers_share", "share (0-1)", "Residents 15+ active in a neighbourhood initiative (CBS 85541NED: about 7%)."},
      {"leaders", "residents", "Initiative leaders."},
      {"initiatives", "initiatives", "Active initiatives."},
      {"initiative_viability_mean", "viability (0-1)", "Mean viability of active initiatives."},
      {"initiative_bridging_mean", "share (0-1)", "Mean bridging share (diversity of members) of active initiatives."},
      {"initiatives_founded", "initiatives per tick", "Initiatives founded this tick; city only."},
      {"initiatives_dissolved", "initiatives per tick", "Initiatives dissolved this tick; city only."},
      {"care_need_hours", "hours per week", "Total care need."},
      {"unmet_care_hours", "hours per week", "Care need not met by anyone."},
      {"informal_care_share", "share (0-1)", "Share of care need met informally (household, ties, initiatives)."},
      {"formal_care_share", "share (0-1)", "Share of care need met by formal care (neighbourhood team cases)."},
      {"open_cases", "cases", "Open cases at the neighbourhood team (served or waiting)."},
      {"waiting_list", "cases", "Cases waiting for the neighbourhood team."},
      {"informal_carers_share", "share (0-1)", "Residents 16+ giving care to a household member or kin for three months or more, or for eight hours a week or more (the health monitor's definition of mantelzorg; vzinfo: 13%). Help to friends and neighbours is not counted here."},
      {"informal_care_hours_per_carer", "hours per week", "Mean care hours a week given to household members or kin per informal carer, as defined for informal_carers_share (vzinfo: 13 h/week)."},
      {"lonely_share", "share (0-1)", "Residents 18+ with loneliness score at or above loneliness.threshold (GGD 2022: 48.6%)."},
      {"strongly_lonely_share", "share (0-1)", "Residents 18+ at or above loneliness.strong_threshold (GGD 2022: 14.2%)."},
      {"professionals_fte", "FTE", "Professionals present, in FTE (generalists, community workers and housing consultants); wijk and city only."},
      {"vacancies", "FTE", "Funded posts not filled; wijk and city only."},
      {"professional_tenure_mean", "years", "Mean tenure of professionals in their wijk; wijk and city only."},
      {"local_knowledge_mean", "K (0-1)", "Mean local knowledge of professionals; wijk and city only."},
      {"professional_changed_share", "share (0-1)", "Of residents who had a professional in the last year, the share whose professional left in that year."},
      {"collective_hours", "hours per week", "Professional hours spent on collective work; wijk and city only."},
      {"homes_retrofitted_share", "share (0-1)", "Occupied homes that are retrofitted (off gas)."},
      {"energy_in_favour_share", "share (0-1)", "Adults in favour of the energy project (attitude > 0.5)."},
      {"wijkbudget_spent", "EUR per year", "Wijkbudget awarded in the last round; wijk and city only."},
      {"voting_turnout", "share (0-1)", "Residents 16+ who voted in the last wijkbudget round; wijk and city only."},
      {"welfare_spending", "EUR per week", "Cost of professional time; wijk and city only."},
      {"care_spending", "EUR per week", "Cost of formal care hours."},
      {"public_places_open", "places", "Public places open."},
      {"clients_per_1000", "cases per 1000 residents", "Open cases at the neighbourhood team (acute and support, served or waiting) per 1,000 residents (compare: Wmo support at home about 18 per 1,000, CBS 2019, rough)."},
      {"caseload_per_fte", "cases per FTE", "Cases served per FTE doing casework (generalists' casework time and housing consultants' case time); wijk and city only (BZK/LPBL tier for the vulnerable: 30-40)."},
      {"team_workload", "ratio", "Casework demand (hours the open cases and new indications ask for) over the casework hours available; above 1 cases wait; wijk and city only."},
      {"staff_turnover", "per year", "FTE of professionals who left the wijk in the last 12 months (turnover, tenders, cuts) per FTE present; wijk and city only (CBS via Sociale Vraagstukken 2021: 31% of social workers change job in a year, 17% leave the sector)."},
      {"referral_network", "index (0-1)", "The contract holder's referral network between team, initiatives and key figures (1 = full coverage by community professionals' hours, built over years; a contract change resets it); wijk, and the residents-weighted mean for the city."},
      {"familiarity_mean", "familiarity (0-1)", "Mean familiarity of residents 15+ with their buurt's community professional, 0 for those who know none (most residents: see knows_professional_share), so the mean is small."},
      {"knows_professional_share", "share (0-1)", "Residents 15+ who know a community professional by face: a familiarity of at least relations.end_below (a passing visit to a place where the professional was is not enough)."},
      {"key_figures", "residents", "Key figures (sleutelpersonen): adult initiative leaders and adults with at least key_figures.min_ties ties."},
      {"initiative_relationship_mean", "strength (0-1)", "Mean strength of active initiatives' relationship with the professional who supports them."},
      {"acute_cases", "cases", "Open cases opened (or turned) acute because informal care left too much need unmet; open_cases minus the support clients."},
      {"generalist_collective_hours", "hours per week", "The wijkteam generalists' part of collective_hours (what crowding out takes); wijk and city only."},
      {"trust_municipality_mean", "trust (0-1)", "Mean trust in the municipality (moved by being heard, energy plans, places it closes, complaints about owners and private tenants left unhandled)."},
      {"trust_welfare_mean", "trust (0-1)", "Mean trust in welfare professionals (help in time, a professional kept or lost, complaints the team handles)."},
      {"trust_housing_mean", "trust (0-1)", "Mean trust in the housing association (its consultants' help and departures, complaints about its tenants handled or not, places it closes)."},
      {"care_need_share", "share (0-1)", "Residents with moderate or higher care need (the concentration of need)."},
      {"condition_share", "share (0-1)", "Residents 18+ with a long-term psychiatric, addiction or intellectual-disability condition (compare: EPA about 1.7% of adults, Delespaul 2013; about 3x as common in wijken with two thirds or more social rent, RIGO/Aedes 2020)."},
      {"urgent_lettings_share", "share (0-1)", "Of the social-rent lettings in the last year, the share to urgent applicants (leaving care or a shelter, status holders, medical or social urgency)."},
      {"social_lettings", "homes per year", "Social-rent homes let in the last year (to urgent and regular applicants and to young adults of the wijk)."},
      {"nuisance_often_share", "share (0-1)", "Residents 18+ in households that felt nuisance from neighbours at least nuisance.often_per_year times in about the last year (compare: 5-7% 'often', Veiligheidsmonitor)."},
      {"complaints_per_1000", "complaints per year per 1000 residents", "Nuisance complaints in the last year per 1,000 residents."},
      {"complaints_handled_share", "share (0-1)", "Share of the last year's nuisance complaints that the housing association or the neighbourhood team handled."},
      {"evictions", "households per year", "Households evicted for nuisance in the last year."},
      {"move_out_rate_social", "per year", "Social-rent households that moved out in the last year per occupied social-rent home (evictions and deaths not counted; compare: association turnover about 7% a year, CBS 2023, rough)."},
      {"move_out_rate_private", "per year", "The same for private-rent homes."},
      {"move_out_rate_owner", "per year", "The same for owner-occupied homes (compare: about 4.3% a year, WoON 2018, rough)."},
      {"place_hours_per_1000", "hours per week per 1000 residents", "Open hours of public places a week per 1,000 residents."},
      {"hosted_initiatives_share", "share (0-1)", "Of the active initiatives that meet in a place, the share that a public place hosts."},
  };
  return t;
}

struct Acc {
  double n = 0, n15 = 0, n16 = 0, n18 = 0, deg = 0, nonkin = 0, bridging = 0, participants = 0,
         members = 0, leaders = 0, efficacy = 0, t = 0, it = 0, trusting = 0;
  std::array<double, kBins> ht{}, hi{};
  double vul_n = 0, vul_t = 0, vul_i = 0, soc_n = 0, soc_t = 0, soc_i = 0;
  std::array<double, kGroups> g_n{}, g_t{}, g_i{};
  double need = 0, unmet = 0, informal = 0, formal = 0, cases = 0, waiting = 0, carers = 0,
         carer_hours = 0, lonely = 0, strongly = 0, had_prof = 0, changed = 0, homes = 0,
         retro = 0, favour = 0;
  double inits = 0, viability = 0, ini_bridging = 0, places = 0;
  // Wijk-level (professionals, budgets)
  double fte = 0, vac = 0, tenure = 0, knowledge = 0, collective = 0, spent = 0, voters = 0,
         welfare = 0, care_cost = 0;
  double people = 0, casework_fte = 0, served = 0, demand = 0, case_hours = 0, leavers = 0,
         network_w = 0, network_n = 0, familiarity = 0, knows = 0, key_figures = 0, ini_rel = 0,
         acute = 0, gen_collective = 0;
  std::array<double, kInstitutions> trust_in{};
  double need2 = 0, conditions = 0, lettings = 0, urgent_lettings = 0, nuisance_often = 0,
         complaints = 0, handled = 0, evicted = 0, place_hours = 0, needs_place = 0, hosted = 0;
  std::array<double, 3> moved{}, tenure_homes{};

  void add(const Acc& o) {
    const double* src = reinterpret_cast<const double*>(&o);
    double* dst = reinterpret_cast<double*>(this);
    for (std::size_t k = 0; k < sizeof(Acc) / sizeof(double); ++k) dst[k] += src[k];
  }
};
static_assert(sizeof(Acc) % sizeof(double) == 0, "Acc must hold only doubles");

int bin(float x) { return std::clamp(static_cast<int>(x * kBins), 0, kBins - 1); }

double quantile(const std::array<double, kBins>& h, double n, double q) {
  if (n <= 0) return std::numeric_limits<double>::quiet_NaN();
  const double target = q * n;
  double cum = 0;
  for (int b = 0; b < kBins; ++b) {
    if (cum + h[b] >= target && h[b] > 0) return (b + (target - cum) / h[b]) / kBins;
    cum += h[b];
  }
  return 1.0;
}

double ratio(double a, double b) { return b > 0 ? a / b : std::numeric_limits<double>::quiet_NaN(); }
}  // namespace

const std::vector<IndicatorDecl>& indicator_decls() {
  static_assert(static_cast<std::size_t>(I::kCount) == 86, "update the table with the enum");
  return table();
}

std::vector<std::string> summary_indicator_names() {
  return {"community_strength", "social_trust_mean", "institutional_trust_mean", "volunteers_share",
          "initiatives", "lonely_share", "unmet_care_hours", "local_knowledge_mean",
          "initiative_relationship_mean", "clients_per_1000", "waiting_list"};
}

void measure(const World& w, const TickContext& c, IndicatorFrame& out) {
  static_assert(static_cast<std::size_t>(I::kCount) > 0);
  const auto& r = w.res;
  const Scenario& sc = w.sc;
  const std::int32_t year_ago = static_cast<std::int32_t>(c.tick) - static_cast<std::int32_t>(std::lround(1.0 / c.dt_years));
  std::vector<Acc> acc(sc.places.size());
  // Residents: per buurt, each buurt summed in slot order (independent of threads).
  c.exec->for_tasks(w.buurten.size(), [&](std::size_t b) {
    Acc& a = acc[w.buurten[b].place];
    for (Slot s : w.buurten[b].residents) {
      a.n += 1;
      const bool n15 = r.age[s] >= 15;
      const auto nb = r.ties.neighbours(s);
      const auto kd = r.ties.kinds(s);
      int nonkin = 0;
      for (std::size_t k = 0; k < nb.size(); ++k) {
        if (kd[k] == kKin) continue;
        ++nonkin;
        a.bridging += r.group[nb[k]] != r.group[s];
      }
      a.deg += nb.size();
      a.nonkin += nonkin;
      const float t = r.trust[s], it = r.institutional_trust(s);
      for (int k = 0; k < kInstitutions; ++k) a.trust_in[k] += r.inst[k].level[s];
      a.need2 += r.need[s] >= 2;
      a.t += t;
      a.it += it;
      a.ht[bin(t)] += 1;
      a.hi[bin(it)] += 1;
      if (n15) {
        a.n15 += 1;
        a.participants += r.volunteer[s] || r.initiative[s] != kNoSlot;
        a.members += r.initiative[s] != kNoSlot;
        a.efficacy += t > 0.5f && nonkin >= 3;
        a.trusting += t > 0.5f;
      }
      a.leaders += r.role[s] == kLeader;
      if (n15) {
        a.familiarity += r.familiarity[s];
        // Knowing a professional by face: a familiarity that counts as a relationship (at least
        // relations.end_below), not a single passing visit.
        a.knows += r.contact[s] != kNoSlot && r.familiarity[s] >= w.p.relation_end_below;
      }
      a.key_figures += w.key_figure(s);
      if (r.need[s] >= 2) {
        a.vul_n += 1;
        a.vul_t += t;
        a.vul_i += it;
      }
      if (r.tenure[s] == kSocialRent) {
        a.soc_n += 1;
        a.soc_t += t;
        a.soc_i += it;
      }
      a.g_n[r.group[s]] += 1;
      a.g_t[r.group[s]] += t;
      a.g_i[r.group[s]] += it;
      a.need += r.need_hours[s];
      a.unmet += r.unmet[s];
      a.informal += r.informal_got[s];
      a.formal += r.formal_got[s];
      a.cases += r.case_since[s] >= 0;
      a.acute += r.case_since[s] >= 0 && r.case_kind[s] == kAcute;
      a.waiting += r.case_since[s] >= 0 && !r.case_served[s];
      if (r.age[s] >= 16) {
        a.n16 += 1;
        // The health monitor's carer: care for three months or more, or eight hours a week. The
        // spell is a float sum of tick lengths in weeks, which can land just under 13 after 13
        // weekly ticks: hence the tolerance.
        if (r.given_kin[s] >= kCareGivingMinHours &&
            (r.given_kin[s] >= kCarerIntensiveHours || r.care_spell_weeks[s] >= kCarerLongSpellWeeks - 1e-3f)) {
          a.carers += 1;
          a.carer_hours += r.given_kin[s];
        }
      }
      if (r.age[s] >= 18) {
        a.n18 += 1;
        a.conditions += r.condition[s];
        a.nuisance_often += w.homes[r.home[s]].nuisance_felt >= w.p.nuisance_often;
        a.lonely += r.loneliness[s] >= w.p.lonely_threshold;
        a.strongly += r.loneliness[s] >= w.p.strongly_lonely_threshold;
        a.favour += r.attitude[s] > 0.5f;
      }
      const bool lost = r.professional_lost[s] > year_ago;
      a.had_prof += r.professional[s] != kNoSlot || lost;
      a.changed += lost;
    }
    const Buurt& bu = w.buurten[b];
    a.places = bu.places_open;
    a.place_hours = bu.place_hours;
    const HousingCounts& hc = bu.housing_year;
    for (int k = 0; k < kArrivals; ++k) a.lettings += hc.lettings[k];
    a.urgent_lettings = hc.lettings[kCareOutflow] + hc.lettings[kStatusHolder] + hc.lettings[kOtherUrgent];
    a.complaints = hc.complaints;
    a.handled = hc.complaints_handled;
    a.evicted = hc.evictions;
    for (int k = 0; k < 3; ++k) a.moved[k] = hc.moves_out[k];
    a.care_cost = a.formal * w.p.formal_care_hourly_cost;
  });
  // Homes: a retrofit belongs to the home, so the energy project's progress is counted in homes
  // (as its target is), not in residents.
  for (const Home& h : w.homes) {
    if (h.size == 0) continue;
    Acc& a = acc[w.buurten[h.buurt].place];
    a.homes += 1;
    a.retro += h.retrofitted;
    a.tenure_homes[h.tenure] += 1;
  }
  for (Slot i = 0; i < w.ini.pop.slots(); ++i) {
    if (!w.ini.pop.alive(i) || w.ini.dissolving[i]) continue;
    Acc& a = acc[w.buurten[w.ini.buurt[i]].place];
    a.inits += 1;
    a.viability += w.ini.viability[i];
    a.ini_bridging += w.ini.bridging[i];
    a.ini_rel += w.ini.worker_rel[i];
    if (needs_place(w.ini.type[i])) {
      a.needs_place += 1;
      a.hosted += w.ini.host[i] != kNoPlace;
    }
  }
  // Professionals and budgets: per wijk.
  for (Slot s = 0; s < w.pro.pop.slots(); ++s) {
    if (!w.pro.pop.alive(s)) continue;
    Acc& a = acc[w.wijken[w.pro.wijk[s]].place];
    a.fte += w.pro.fte[s];
    a.people += 1;
    a.tenure += w.pro.tenure_years[s];
    a.knowledge += w.pro.knowledge[s];
  }
  for (const auto& wk : w.wijken) {
    Acc& a = acc[wk.place];
    a.vac = wk.vacancies;
    a.collective = wk.collective_hours;
    a.gen_collective = wk.generalist_collective_hours;
    a.spent = wk.wijkbudget_spent_year;
    a.voters = wk.voters_year;
    a.welfare = a.fte * w.p.professional_hours * w.p.hourly_cost;
    a.casework_fte = wk.casework_fte;
    a.served = wk.served_cases;
    a.demand = wk.demand_hours;
    a.case_hours = wk.casework_hours;
    for (double l : wk.leavers_ring) a.leavers += l;
    a.network_w = wk.network * wk.residents;
    a.network_n = wk.residents;
  }
  // Roll up: places are listed parents first, so children come after their parent.
  std::vector<Acc> total = acc;
  for (std::size_t i = sc.places.size(); i-- > 0;)
    if (sc.places[i].parent) total[*sc.places[i].parent].add(total[i]);

  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t pi = 0; pi < sc.places.size(); ++pi) {
    const Acc& a = total[pi];
    const bool buurt = sc.places[pi].level == PlaceLevel::buurt;
    auto set = [&](I k, double v) { out.at(static_cast<std::size_t>(k), pi) = v; };
    auto wijk_only = [&](I k, double v) { out.at(static_cast<std::size_t>(k), pi) = buurt ? nan : v; };
    const double c1 = std::min(1.0, ratio(a.nonkin, a.n) / 12.0);
    const double c2 = std::min(1.0, ratio(a.bridging, a.nonkin) / 0.3);
    const double c3 = ratio(a.participants, a.n15);
    const double c4 = std::min(1.0, ratio(a.viability * 1000.0, a.n) / 5.0);
    const double c5 = ratio(a.efficacy, a.n15);
    set(I::population, a.n);
    set(I::community_strength, (c1 + (std::isnan(c2) ? 0.0 : c2) + c3 + c4 + c5) / 5.0);
    set(I::cs_tie_density, c1);
    set(I::cs_bridging, c2);
    set(I::cs_participation, c3);
    set(I::cs_initiatives, c4);
    set(I::cs_efficacy, c5);
    set(I::ties_per_resident, ratio(a.deg, a.n));
    set(I::bridging_tie_share, ratio(a.bridging, a.nonkin));
    set(I::social_trust_mean, ratio(a.t, a.n));
    set(I::social_trust_p10, quantile(a.ht, a.n, 0.1));
    set(I::social_trust_p50, quantile(a.ht, a.n, 0.5));
    set(I::social_trust_p90, quantile(a.ht, a.n, 0.9));
    set(I::trusting_share, ratio(a.trusting, a.n15));
    set(I::institutional_trust_mean, ratio(a.it, a.n));
    set(I::institutional_trust_p10, quantile(a.hi, a.n, 0.1));
    set(I::institutional_trust_p50, quantile(a.hi, a.n, 0.5));
    set(I::institutional_trust_p90, quantile(a.hi, a.n, 0.9));
    set(I::social_trust_vulnerable, ratio(a.vul_t, a.vul_n));
    set(I::institutional_trust_vulnerable, ratio(a.vul_i, a.vul_n));
    set(I::social_trust_social_renters, ratio(a.soc_t, a.soc_n));
    set(I::institutional_trust_social_renters, ratio(a.soc_i, a.soc_n));
    set(I::social_trust_group0, ratio(a.g_t[0], a.g_n[0]));
    set(I::social_trust_group1, ratio(a.g_t[1], a.g_n[1]));
    set(I::social_trust_group2, ratio(a.g_t[2], a.g_n[2]));
    set(I::institutional_trust_group0, ratio(a.g_i[0], a.g_n[0]));
    set(I::institutional_trust_group1, ratio(a.g_i[1], a.g_n[1]));
    set(I::institutional_trust_group2, ratio(a.g_i[2], a.g_n[2]));
    set(I::volunteers_share, ratio(a.participants, a.n15));
    set(I::neighbourhood_volunteers_share, ratio(a.members, a.n15));
    set(I::leaders, a.leaders);
    set(I::initiatives, a.inits);
    set(I::initiative_viability_mean, ratio(a.viability, a.inits));
    set(I::initiative_bridging_mean, ratio(a.ini_bridging, a.inits));
    set(I::initiatives_founded, pi == 0 ? w.initiatives_founded_tick : nan);
    set(I::initiatives_dissolved, pi == 0 ? w.initiatives_dissolved_tick : nan);
    set(I::care_need_hours, a.need);
    set(I::unmet_care_hours, a.unmet);
    set(I::informal_care_share, ratio(a.informal, a.need));
    set(I::formal_care_share, ratio(a.formal, a.need));
    set(I::open_cases, a.cases);
    set(I::waiting_list, a.waiting);
    set(I::informal_carers_share, ratio(a.carers, a.n16));
    set(I::informal_care_hours_per_carer, ratio(a.carer_hours, a.carers));
    set(I::lonely_share, ratio(a.lonely, a.n18));
    set(I::strongly_lonely_share, ratio(a.strongly, a.n18));
    wijk_only(I::professionals_fte, a.fte);
    wijk_only(I::vacancies, a.vac);
    wijk_only(I::professional_tenure_mean, ratio(a.tenure, a.people));
    wijk_only(I::local_knowledge_mean, ratio(a.knowledge, a.people));
    set(I::professional_changed_share, ratio(a.changed, a.had_prof));
    wijk_only(I::collective_hours, a.collective);
    set(I::homes_retrofitted_share, ratio(a.retro, a.homes));
    set(I::energy_in_favour_share, ratio(a.favour, a.n18));
    wijk_only(I::wijkbudget_spent, a.spent);
    wijk_only(I::voting_turnout, ratio(a.voters, a.n16));
    wijk_only(I::welfare_spending, a.welfare);
    set(I::care_spending, a.care_cost);
    set(I::public_places_open, a.places);
    set(I::clients_per_1000, ratio(a.cases * 1000.0, a.n));
    wijk_only(I::caseload_per_fte, ratio(a.served, a.casework_fte));
    wijk_only(I::team_workload, ratio(a.demand, a.case_hours));
    wijk_only(I::staff_turnover, ratio(a.leavers, a.fte));
    wijk_only(I::referral_network, ratio(a.network_w, a.network_n));
    set(I::familiarity_mean, ratio(a.familiarity, a.n15));
    set(I::knows_professional_share, ratio(a.knows, a.n15));
    set(I::key_figures, a.key_figures);
    set(I::initiative_relationship_mean, ratio(a.ini_rel, a.inits));
    set(I::acute_cases, a.acute);
    wijk_only(I::generalist_collective_hours, a.gen_collective);
    set(I::trust_municipality_mean, ratio(a.trust_in[kMunicipality], a.n));
    set(I::trust_welfare_mean, ratio(a.trust_in[kWelfare], a.n));
    set(I::trust_housing_mean, ratio(a.trust_in[kHousing], a.n));
    set(I::care_need_share, ratio(a.need2, a.n));
    set(I::condition_share, ratio(a.conditions, a.n18));
    set(I::urgent_lettings_share, ratio(a.urgent_lettings, a.lettings));
    set(I::social_lettings, a.lettings);
    set(I::nuisance_often_share, ratio(a.nuisance_often, a.n18));
    set(I::complaints_per_1000, ratio(a.complaints * 1000.0, a.n));
    set(I::complaints_handled_share, ratio(a.handled, a.complaints));
    set(I::evictions, a.evicted);
    set(I::move_out_rate_social, ratio(a.moved[kSocialRent], a.tenure_homes[kSocialRent]));
    set(I::move_out_rate_private, ratio(a.moved[kPrivateRent], a.tenure_homes[kPrivateRent]));
    set(I::move_out_rate_owner, ratio(a.moved[kOwner], a.tenure_homes[kOwner]));
    set(I::place_hours_per_1000, ratio(a.place_hours * 1000.0, a.n));
    set(I::hosted_initiatives_share, ratio(a.hosted, a.needs_place));
  }
}

}  // namespace buurtlab::neighbourhood
