#include "buurtlab/network.hpp"

#include <algorithm>
#include <stdexcept>

namespace buurtlab {

TieNetwork::TieNetwork(std::uint16_t capacity) : capacity_(capacity) {
  if (capacity == 0) throw std::invalid_argument("TieNetwork capacity must be positive");
}

void TieNetwork::resize(Slot n) {
  if (n <= slots()) return;
  degree_.resize(n, 0);
  const std::size_t total = static_cast<std::size_t>(n) * capacity_;
  other_.resize(total, kNoSlot);
  weight_.resize(total, 0.0f);
  kind_.resize(total, 0);
}

int TieNetwork::find(Slot a, Slot b) const {
  const Slot* row = other_.data() + offset(a);
  for (int i = 0; i < degree_[a]; ++i)
    if (row[i] == b) return i;
  return -1;
}

float TieNetwork::weight(Slot a, Slot b) const {
  const int i = find(a, b);
  return i < 0 ? 0.0f : weight_[offset(a) + i];
}

int TieNetwork::weakest(Slot a) const {
  int best = -1;
  float w = 0;
  for (int i = 0; i < degree_[a]; ++i) {
    const float x = weight_[offset(a) + i];
    if (best < 0 || x < w) {
      best = i;
      w = x;
    }
  }
  return best;
}

void TieNetwork::erase_at(Slot a, int i) {
  // Swap with the row's last entry: order within a row carries no meaning.
  const std::size_t base = offset(a);
  const int last = degree_[a] - 1;
  other_[base + i] = other_[base + last];
  weight_[base + i] = weight_[base + last];
  kind_[base + i] = kind_[base + last];
  --degree_[a];
}

void TieNetwork::append(Slot a, Slot b, float w, TieKind k) {
  const std::size_t at = offset(a) + degree_[a];
  other_[at] = b;
  weight_[at] = w;
  kind_[at] = k;
  ++degree_[a];
}

bool TieNetwork::strengthen(Slot a, Slot b, float delta, TieKind kind, float max_weight) {
  if (a == b) return false;
  const int ia = find(a, b);
  if (ia >= 0) {
    const int ib = find(b, a);
    float w = std::clamp(weight_[offset(a) + ia] + delta, 0.0f, max_weight);
    const TieKind k = std::max(kind_[offset(a) + ia], kind);
    weight_[offset(a) + ia] = weight_[offset(b) + ib] = w;
    kind_[offset(a) + ia] = kind_[offset(b) + ib] = k;
    return true;
  }
  const float w = std::clamp(delta, 0.0f, max_weight);
  if (w <= 0.0f) return false;
  // Make room at both ends, or give up (EvictWeakest).
  for (Slot s : {a, b}) {
    if (degree_[s] < capacity_) continue;
    const int i = weakest(s);
    if (weight_[offset(s) + i] >= w) return false;
  }
  for (Slot s : {a, b}) {
    if (degree_[s] < capacity_) continue;
    const int i = weakest(s);
    remove(s, other_[offset(s) + i]);
  }
  append(a, b, w, kind);
  append(b, a, w, kind);
  return true;
}

bool TieNetwork::contact(Slot a, Slot b, float delta, TieKind kind, bool form, float promote_at,
                         TieKind promote_kind, float max_weight) {
  if (a == b) return false;
  const int ia = find(a, b);
  if (ia < 0) {
    if (!form || !strengthen(a, b, delta, kind, max_weight)) return false;
    // A new tie was appended at the end of both rows.
    const std::size_t ea = offset(a) + degree_[a] - 1, eb = offset(b) + degree_[b] - 1;
    if (weight_[ea] >= promote_at) kind_[ea] = kind_[eb] = std::max(kind_[ea], promote_kind);
    return true;
  }
  const int ib = find(b, a);
  const float w = std::clamp(weight_[offset(a) + ia] + delta, 0.0f, max_weight);
  TieKind k = std::max(kind_[offset(a) + ia], kind);
  if (w >= promote_at) k = std::max(k, promote_kind);
  weight_[offset(a) + ia] = weight_[offset(b) + ib] = w;
  kind_[offset(a) + ia] = kind_[offset(b) + ib] = k;
  return true;
}

void TieNetwork::set_kind(Slot a, Slot b, TieKind kind) {
  const int ia = find(a, b), ib = find(b, a);
  if (ia < 0 || ib < 0) return;
  kind_[offset(a) + ia] = kind_[offset(b) + ib] = kind;
}

void TieNetwork::remove(Slot a, Slot b) {
  const int ia = find(a, b);
  if (ia >= 0) erase_at(a, ia);
  const int ib = find(b, a);
  if (ib >= 0) erase_at(b, ib);
}

void TieNetwork::clear(Slot s) {
  while (degree_[s] > 0) remove(s, other_[offset(s)]);
}

void TieNetwork::decay_row(Slot s, std::span<const float> factor_by_kind, float prune_below) {
  const std::size_t base = offset(s);
  int i = 0;
  while (i < degree_[s]) {
    const TieKind k = kind_[base + i];
    const float f = k < factor_by_kind.size() ? factor_by_kind[k] : 1.0f;
    const float w = weight_[base + i] * f;
    if (w < prune_below) {
      erase_at(s, i);  // the entry moved into i is examined next
    } else {
      weight_[base + i] = w;
      ++i;
    }
  }
}

std::size_t TieNetwork::total_ties() const {
  std::size_t n = 0;
  for (auto d : degree_) n += d;
  return n / 2;
}

bool TieNetwork::symmetric() const {
  for (Slot a = 0; a < slots(); ++a)
    for (int i = 0; i < degree_[a]; ++i) {
      const Slot b = other_[offset(a) + i];
      if (b >= slots()) return false;
      const int j = find(b, a);
      if (j < 0) return false;
      if (weight_[offset(b) + j] != weight_[offset(a) + i]) return false;
      if (kind_[offset(b) + j] != kind_[offset(a) + i]) return false;
    }
  return true;
}

std::size_t TieNetwork::bytes() const {
  return degree_.size() * sizeof(std::uint16_t) + other_.size() * sizeof(Slot) +
         weight_.size() * sizeof(float) + kind_.size() * sizeof(TieKind);
}

void TieNetwork::save(StateWriter& w) const {
  w.section("ties");
  w.put(capacity_);
  w.put_vector(degree_);
  w.put_vector(other_);
  w.put_vector(weight_);
  w.put_vector(kind_);
}

void TieNetwork::load(StateReader& r) {
  r.section("ties");
  if (r.get<std::uint16_t>() != capacity_) r.fail("ties of another capacity per agent");
  r.get_vector(degree_);
  r.get_vector(other_);
  r.get_vector(weight_);
  r.get_vector(kind_);
  const std::size_t total = degree_.size() * capacity_;
  if (other_.size() != total || weight_.size() != total || kind_.size() != total)
    r.fail("tie rows of the wrong size");
}

}  // namespace buurtlab
