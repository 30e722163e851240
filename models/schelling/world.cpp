#include "world.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "buurtlab/proposals.hpp"
#include "buurtlab/rng.hpp"

namespace buurtlab::schelling {

namespace {
constexpr std::uint32_t kNotEmpty = 0xFFFFFFFFu;

void check(const Params& p) {
  if (p.size < 1) throw std::invalid_argument("grid size must be at least 1");
  const long long cells = static_cast<long long>(p.size) * p.size;
  if (p.agents < 1 || p.agents >= cells)
    throw std::invalid_argument("agents: got " + std::to_string(p.agents) +
                                ", expected at least 1 and fewer than the " +
                                std::to_string(cells) + " cells (at least one must stay empty)");
  if (p.radius < 0) throw std::invalid_argument("radius must be >= 0");
}

// In-place Fisher-Yates shuffle drawing from one keyed generator.
template <class T>
void shuffle(std::vector<T>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = rng.below(static_cast<std::uint32_t>(i));
    std::swap(v[i - 1], v[j]);
  }
}
}  // namespace

World::World(const Params& p, std::uint64_t seed)
    : cell(pop.add_column<std::uint32_t>("cell", 0)),
      group(pop.add_column<std::uint8_t>("group", 0)),
      p_(p) {
  check(p);
  const auto n_cells = static_cast<std::uint32_t>(p.size) * static_cast<std::uint32_t>(p.size);
  occupant_.assign(n_cells, kNoSlot);
  cell_group_.assign(n_cells, kEmpty);
  empty_pos_.assign(n_cells, kNotEmpty);
  std::vector<std::uint32_t> cells(n_cells);
  for (std::uint32_t c = 0; c < n_cells; ++c) cells[c] = c;
  Rng rng(seed, stream::schelling, 0, kOrderKey);
  shuffle(cells, rng);
  pop.reserve(static_cast<std::size_t>(p.agents));
  for (int i = 0; i < p.agents; ++i) {
    const Slot s = pop.add();
    group[s] = static_cast<std::uint8_t>(pop.id(s) % 2);
    place(s, cells[static_cast<std::size_t>(i)]);
  }
  empty_.assign(cells.begin() + p.agents, cells.end());
  for (std::uint32_t k = 0; k < empty_.size(); ++k) empty_pos_[empty_[k]] = k;
}

World::World(const Params& p, std::span<const Placement> placements)
    : cell(pop.add_column<std::uint32_t>("cell", 0)),
      group(pop.add_column<std::uint8_t>("group", 0)),
      p_(p) {
  p_.agents = static_cast<int>(placements.size());
  check(p_);
  const auto n_cells = static_cast<std::uint32_t>(p.size) * static_cast<std::uint32_t>(p.size);
  occupant_.assign(n_cells, kNoSlot);
  cell_group_.assign(n_cells, kEmpty);
  empty_pos_.assign(n_cells, kNotEmpty);
  for (const Placement& pl : placements) {
    if (pl.x < 0 || pl.y < 0 || pl.x >= p.size || pl.y >= p.size || pl.group > 1)
      throw std::invalid_argument("placement outside the grid or with a group other than 0 or 1");
    const std::uint32_t c = cell_of(pl.x, pl.y);
    if (occupant_[c] != kNoSlot) throw std::invalid_argument("two agents placed in one cell");
    const Slot s = pop.add();
    group[s] = pl.group;
    place(s, c);
  }
  for (std::uint32_t c = 0; c < n_cells; ++c)
    if (occupant_[c] == kNoSlot) {
      empty_pos_[c] = static_cast<std::uint32_t>(empty_.size());
      empty_.push_back(c);
    }
}

void World::place(Slot s, std::uint32_t c) {
  cell[s] = c;
  occupant_[c] = s;
  cell_group_[c] = static_cast<std::uint8_t>(1 + group[s]);
}

int World::same_group_neighbours(Slot s) const {
  const int x = static_cast<int>(cell[s] % static_cast<std::uint32_t>(p_.size));
  const int y = static_cast<int>(cell[s] / static_cast<std::uint32_t>(p_.size));
  const int x0 = std::max(0, x - p_.radius), x1 = std::min(p_.size - 1, x + p_.radius);
  const int y0 = std::max(0, y - p_.radius), y1 = std::min(p_.size - 1, y + p_.radius);
  const std::uint8_t mine = static_cast<std::uint8_t>(1 + group[s]);
  int n = 0;
  for (int yy = y0; yy <= y1; ++yy) {
    const std::uint8_t* row = cell_group_.data() + static_cast<std::size_t>(yy) * p_.size;
    for (int xx = x0; xx <= x1; ++xx) n += row[xx] == mine;
  }
  return n - 1;  // the agent's own cell matched too
}

std::uint32_t World::count_unhappy(const Executor& exec) const {
  BlockPartials<std::uint32_t> parts;
  parts.reset(pop.slots(), 0);
  exec.for_blocks(pop.slots(), [&](const Block& b) {
    std::uint32_t n = 0;
    for (Slot s = static_cast<Slot>(b.begin); s < b.end; ++s)
      if (pop.alive(s) && !happy(s)) ++n;
    parts.of(b) = n;
  });
  return parts.combine([](std::uint32_t& acc, std::uint32_t x) { acc += x; });
}

void World::move(Slot s, std::uint32_t k) {
  const std::uint32_t from = cell[s];
  const std::uint32_t to = empty_[k];
  occupant_[from] = kNoSlot;
  cell_group_[from] = kEmpty;
  empty_[k] = from;
  empty_pos_[from] = k;
  empty_pos_[to] = kNotEmpty;
  place(s, to);
}

std::uint32_t World::step(std::uint64_t seed, Tick t) {
  order_.clear();
  for (Slot s = 0; s < pop.slots(); ++s)
    if (pop.alive(s)) order_.push_back(s);
  Rng order_rng(seed, stream::schelling, t, kOrderKey);
  shuffle(order_, order_rng);
  std::uint32_t moved = 0;
  for (const Slot s : order_) {
    if (happy(s)) continue;
    Rng rng(seed, stream::schelling, t, pop.id(s));
    move(s, rng.below(static_cast<std::uint32_t>(empty_.size())));
    ++moved;
  }
  return moved;
}

bool World::consistent() const {
  std::size_t occupied = 0;
  for (std::uint32_t c = 0; c < cells(); ++c) {
    const Slot s = occupant_[c];
    if (s == kNoSlot) {
      if (cell_group_[c] != kEmpty || empty_pos_[c] == kNotEmpty) return false;
      if (empty_pos_[c] >= empty_.size() || empty_[empty_pos_[c]] != c) return false;
      continue;
    }
    ++occupied;
    if (!pop.alive(s) || cell[s] != c || cell_group_[c] != 1 + group[s]) return false;
    if (empty_pos_[c] != kNotEmpty) return false;
  }
  return occupied == pop.size() && empty_.size() == cells() - occupied;
}

}  // namespace buurtlab::schelling
