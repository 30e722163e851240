#include "buurtlab/population.hpp"

#include <algorithm>
#include <functional>

namespace buurtlab {

Slot Population::add() {
  if (locked_) throw std::logic_error("Population " + name_ + ": add() inside a parallel phase");
  Slot s;
  if (!free_heap_.empty()) {
    std::pop_heap(free_heap_.begin(), free_heap_.end(), std::greater<>{});
    s = free_heap_.back();
    free_heap_.pop_back();
    --free_count_;
    for (auto& c : columns_) c->reset(s);
  } else {
    s = static_cast<Slot>(ids_.size());
    ids_.push_back(0);
    alive_.push_back(0);
    for (auto& c : columns_) c->resize(ids_.size());
  }
  ids_[s] = next_id_++;
  alive_[s] = 1;
  slot_of_.emplace(ids_[s], s);
  return s;
}

void Population::remove(Slot s) {
  if (locked_) throw std::logic_error("Population " + name_ + ": remove() inside a parallel phase");
  if (s >= ids_.size() || !alive_[s])
    throw std::logic_error("Population " + name_ + ": remove() of a slot that is not alive");
  alive_[s] = 0;
  slot_of_.erase(ids_[s]);
  free_heap_.push_back(s);
  std::push_heap(free_heap_.begin(), free_heap_.end(), std::greater<>{});
  ++free_count_;
}

void Population::reserve(std::size_t n) {
  ids_.reserve(n);
  alive_.reserve(n);
  slot_of_.reserve(n);
  for (auto& c : columns_) c->reserve(n);
}

std::size_t Population::bytes_per_agent() const {
  std::size_t b = sizeof(AgentId) + 1;
  for (const auto& c : columns_) b += c->bytes_per_agent();
  return b;
}

void Population::save(StateWriter& w) const {
  w.section("population " + name_);
  w.put_vector(ids_);
  w.put_vector(alive_);
  w.put_vector(free_heap_);
  w.put<std::uint64_t>(free_count_);
  w.put(next_id_);
  w.put<std::uint64_t>(columns_.size());
  for (const auto& c : columns_) c->save(w);
}

void Population::load(StateReader& r) {
  r.section("population " + name_);
  r.get_vector(ids_);
  r.get_vector(alive_);
  r.get_vector(free_heap_);
  free_count_ = r.get<std::uint64_t>();
  r.get(next_id_);
  if (r.get<std::uint64_t>() != columns_.size())
    r.fail("population " + name_ + " has another number of columns");
  for (auto& c : columns_) {
    c->load(r);
    // The column must cover every slot, as after add().
    c->resize(ids_.size());
  }
  if (alive_.size() != ids_.size()) r.fail("population " + name_ + ": slots and flags differ");
  slot_of_.clear();
  slot_of_.reserve(ids_.size());
  for (Slot s = 0; s < ids_.size(); ++s)
    if (alive_[s]) slot_of_.emplace(ids_[s], s);
}

}  // namespace buurtlab
