// Public places as agents: community centres, libraries and other places (a church hall, a sports
// canteen, a school open after hours), each with a funder, open hours and room to host
// initiatives. Their open hours make encounters in the buurt (meeting.cpp) and let residents meet
// the buurt's community professional there; the initiatives they host meet and work there. A place
// closes through its funder: the municipality's welfare budget closes community centres it pays
// for (places.closure_elasticity), the housing association's withdrawal closes the centres it pays
// for, and a scenario can close places by kind and buurt. Closing costs the hosted initiatives
// their host (they look for another with room, else meet less) and its users their encounters.
// Workshop sentence: "A community centre is where initiatives meet and people run into each other
// and into the professional; close it and they have to find somewhere else, or stop."
#include <algorithm>
#include <cmath>
#include <numeric>

#include "../world.hpp"

namespace buurtlab::neighbourhood {

bool needs_place(std::uint8_t type) { return type != kGreen && type != kEnergyCoop; }

void initialise_places(World& w) {
  const Params& p = w.p;
  w.places.clear();
  for (std::uint32_t wj = 0; wj < w.wijken.size(); ++wj) {
    const Wijk& wk = w.wijken[wj];
    // The wijk's places, per buurt from its public_places per 1000 residents; kinds are dealt per
    // wijk (there is about one community centre per 10,000 residents, so most buurten have none)
    // in a keyed random order, unless a buurt sets its number of community centres.
    std::vector<Place> made;
    std::size_t fixed_centres = 0;
    for (std::uint32_t b : wk.buurten) {
      const Buurt& bu = w.buurten[b];
      const auto n = static_cast<std::size_t>(
          std::lround(bu.attr.public_places * static_cast<double>(bu.residents.size()) / 1000.0));
      const auto centres = bu.attr.community_centres >= 0 ? static_cast<std::size_t>(std::lround(bu.attr.community_centres)) : 0;
      for (std::size_t k = 0; k < std::max(n, centres); ++k) {
        Place pl;
        pl.buurt = b;
        pl.kind = k < centres ? kCommunityCentre : kOtherPlace;
        if (k < centres) ++fixed_centres;
        made.push_back(pl);
      }
    }
    for (std::size_t k = 0; k < made.size(); ++k)
      made[k].closing_order = w.rng(stream::nb_places, 0, (std::uint64_t{wj} << 32) + k).uniform();
    std::vector<std::size_t> order(made.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return made[a].closing_order < made[b].closing_order; });
    // Places of buurten that do not fix their centres get kinds from the shares.
    std::vector<std::size_t> free;
    for (std::size_t k : order)
      if (w.buurten[made[k].buurt].attr.community_centres < 0) free.push_back(k);
    // At least one community centre per wijk while the share is above 0 (assumption).
    auto n_centres = static_cast<std::size_t>(std::lround(p.centre_share * static_cast<double>(free.size())));
    if (p.centre_share > 0 && !free.empty() && n_centres == 0 && fixed_centres == 0) n_centres = 1;
    const auto n_libraries = static_cast<std::size_t>(std::lround(p.library_share * static_cast<double>(free.size())));
    for (std::size_t j = 0; j < free.size(); ++j)
      made[free[j]].kind = j < n_centres ? kCommunityCentre : j < n_centres + n_libraries ? kLibrary : kOtherPlace;
    for (std::size_t k = 0; k < made.size(); ++k) {
      Place& pl = made[k];
      Rng rng = w.rng(stream::nb_places, 1, (std::uint64_t{wj} << 32) + k);
      const double u = rng.uniform();
      switch (pl.kind) {
        case kCommunityCentre: {
          const bool social = w.buurten[pl.buurt].attr.social_rent_share > 0;
          pl.funder = social && u < p.centre_housing_share ? kFundedByHousing
                      : u < (social ? p.centre_housing_share : 0.0) + p.centre_residents_share ? kRunByResidents
                                                                                              : kFundedByMunicipality;
          pl.welfare_funded = pl.funder == kFundedByMunicipality;
          pl.base_hours = static_cast<float>(p.centre_hours);
          pl.capacity = static_cast<std::uint32_t>(p.centre_capacity);
          break;
        }
        case kLibrary:
          pl.funder = kFundedByMunicipality;  // from the culture budget, not the welfare budget
          pl.base_hours = static_cast<float>(p.library_hours);
          pl.capacity = static_cast<std::uint32_t>(p.library_capacity);
          break;
        default:
          pl.funder = kRunByResidents;
          pl.base_hours = static_cast<float>(p.other_place_hours);
          pl.capacity = static_cast<std::uint32_t>(p.other_place_capacity);
          break;
      }
      pl.hours = pl.base_hours;
    }
    // Grouped by buurt, in the buurt's order.
    std::stable_sort(made.begin(), made.end(), [](const Place& a, const Place& b) { return a.buurt < b.buurt; });
    w.places.insert(w.places.end(), made.begin(), made.end());
  }
  std::stable_sort(w.places.begin(), w.places.end(), [](const Place& a, const Place& b) { return a.buurt < b.buurt; });
  refresh_places(w, 0);
}

void refresh_places(World& w, Tick /*tick*/) {
  const Params& p = w.p;
  // The welfare budget keeps open the share 1 + elasticity x (budget - 1) of the community centres
  // it pays for, in closing order: those beyond it close, the one on the edge shortens its hours.
  std::vector<std::size_t> welfare;
  for (std::size_t k = 0; k < w.places.size(); ++k)
    if (w.places[k].welfare_funded) welfare.push_back(k);
  std::stable_sort(welfare.begin(), welfare.end(), [&](std::size_t a, std::size_t b) {
    return w.places[a].closing_order > w.places[b].closing_order;  // the last to close first
  });
  const double keep = std::clamp(1.0 + p.place_closure_elasticity * (w.city.budget_factor - 1.0), 0.0, 1.0) *
                      static_cast<double>(welfare.size());
  std::vector<double> funded(w.places.size(), 1.0);
  for (std::size_t j = 0; j < welfare.size(); ++j)
    funded[welfare[j]] = std::clamp(keep - static_cast<double>(j), 0.0, 1.0);
  for (auto& b : w.buurten) {
    b.places_open = 0;
    b.place_hours = 0;
  }
  for (std::size_t k = 0; k < w.places.size(); ++k) {
    Place& pl = w.places[k];
    const bool was_open = pl.open;
    const bool withdrawn = pl.funder == kFundedByHousing && !w.city.ha_welfare_role;
    pl.open = !pl.closed_by_hook && !withdrawn && funded[k] > 1e-9;
    pl.hours = pl.open ? static_cast<float>(pl.base_hours * funded[k]) : 0.0f;
    if (pl.open) {
      Buurt& b = w.buurten[pl.buurt];
      b.places_open += 1;
      b.place_hours += pl.hours;
    }
    if (was_open && !pl.open) {
      // Its initiatives lose their host.
      for (Slot i = 0; i < w.ini.pop.slots(); ++i)
        if (w.ini.pop.alive(i) && w.ini.host[i] == k) {
          w.ini.host[i] = kNoPlace;
          w.ini.displaced[i] = static_cast<std::uint8_t>(1 + pl.funder);
        }
      pl.hosted = 0;
    }
  }
}

void change_places(World& w, double share, int wijk, int buurt, int kind, Tick tick) {
  std::vector<std::size_t> match;
  for (std::size_t k = 0; k < w.places.size(); ++k) {
    const Place& pl = w.places[k];
    const Buurt& b = w.buurten[pl.buurt];
    if (wijk > 0 && b.wijk + 1 != static_cast<std::uint32_t>(wijk)) continue;
    if (buurt > 0 && pl.buurt + 1 != static_cast<std::uint32_t>(buurt)) continue;
    if (kind >= 0 && pl.kind != kind) continue;
    match.push_back(k);
  }
  std::stable_sort(match.begin(), match.end(), [&](std::size_t a, std::size_t b) {
    return w.places[a].closing_order < w.places[b].closing_order;
  });
  auto n = static_cast<std::size_t>(std::lround(std::fabs(share) * static_cast<double>(match.size())));
  if (share < 0) {
    for (std::size_t k : match)
      if (n > 0 && !w.places[k].closed_by_hook) {
        w.places[k].closed_by_hook = true;
        --n;
      }
  } else {
    for (auto it = match.rbegin(); it != match.rend(); ++it)
      if (n > 0 && w.places[*it].closed_by_hook) {
        w.places[*it].closed_by_hook = false;
        --n;
      }
  }
  refresh_places(w, tick);
}

void assign_hosts(World& w) {
  auto& in = w.ini;
  for (auto& pl : w.places) pl.hosted = 0;
  for (Slot i = 0; i < in.pop.slots(); ++i)
    if (in.pop.alive(i) && in.host[i] != kNoPlace) ++w.places[in.host[i]].hosted;
  // The first place with room in the buurt, else in the wijk (places are grouped by buurt).
  for (Slot i = 0; i < in.pop.slots(); ++i) {
    if (!in.pop.alive(i) || in.dissolving[i] || in.host[i] != kNoPlace || !needs_place(in.type[i])) continue;
    const std::uint32_t b = in.buurt[i];
    std::uint32_t best = kNoPlace;
    for (int pass = 0; pass < 2 && best == kNoPlace; ++pass)
      for (std::uint32_t k = 0; k < w.places.size(); ++k) {
        const Place& pl = w.places[k];
        if (!pl.open || pl.hosted >= pl.capacity) continue;
        if (pass == 0 ? pl.buurt != b : w.buurten[pl.buurt].wijk != w.buurten[b].wijk) continue;
        best = k;
        break;
      }
    if (best == kNoPlace) continue;
    in.host[i] = best;
    ++w.places[best].hosted;
  }
}

}  // namespace buurtlab::neighbourhood
