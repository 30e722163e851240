// A dynamic, weighted, undirected network of ties between the agents of one population.
//
// Storage is a compact adjacency array with a fixed capacity per agent (a cap on how many ties
// one person can keep up, cf. Dunbar): slot s owns entries [s*capacity, s*capacity + degree(s)).
// Each tie is stored at both ends with the same weight and kind; the symmetric-update methods keep
// the two copies equal. Reading is lock-free from any thread. Adding, strengthening and removing
// ties change two agents' rows and so happen in a serial apply step (see proposals.hpp). Decay is
// a per-row operation that every row applies with the same arithmetic, so it can run in parallel
// and both copies of a tie stay identical.
//
// When a row is full, a new tie evicts the weakest existing tie of that row if the newcomer is
// stronger (policy EvictWeakest); otherwise the new tie is not formed.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "buurtlab/state_archive.hpp"
#include "buurtlab/types.hpp"

namespace buurtlab {

// Tie kinds are model-defined small integers (the neighbourhood model uses kin/friend/weak).
using TieKind = std::uint8_t;

class TieNetwork {
 public:
  explicit TieNetwork(std::uint16_t capacity_per_agent = 24);

  std::uint16_t capacity() const { return capacity_; }
  // Grows the rows to hold n slots (new rows are empty). Never shrinks.
  void resize(Slot n);
  Slot slots() const { return static_cast<Slot>(degree_.size()); }

  std::uint16_t degree(Slot s) const { return degree_[s]; }
  std::span<const Slot> neighbours(Slot s) const {
    return {other_.data() + offset(s), degree_[s]};
  }
  std::span<const float> weights(Slot s) const { return {weight_.data() + offset(s), degree_[s]}; }
  std::span<const TieKind> kinds(Slot s) const { return {kind_.data() + offset(s), degree_[s]}; }

  // Weight of the tie a-b, or 0 if there is none.
  float weight(Slot a, Slot b) const;
  bool has_tie(Slot a, Slot b) const { return find(a, b) >= 0; }

  // Serial, symmetric updates --------------------------------------------------------------
  // Adds `delta` to the weight of tie a-b (clamped to [0, max_weight]); creates it with weight
  // `delta` and kind `kind` if absent (EvictWeakest when a row is full). A kind, once set, is kept
  // unless `upgrade_kind` is larger (a weak tie can become strong, not the reverse).
  // Returns true if the tie exists afterwards.
  bool strengthen(Slot a, Slot b, float delta, TieKind kind, float max_weight = 1.0f);
  // One contact between a and b in a single pass over the two rows: if the tie exists, or is
  // absent and `form` is set, strengthen(a, b, delta, kind); then, if the tie's weight has reached
  // `promote_at`, its kind is raised to at least `promote_kind`. Returns true if the tie exists
  // afterwards. Equal to has_tie + strengthen + weight + strengthen(a, b, 0, promote_kind), the
  // sequence a meeting applies per encounter, with two row scans instead of up to six.
  bool contact(Slot a, Slot b, float delta, TieKind kind, bool form, float promote_at,
               TieKind promote_kind, float max_weight = 1.0f);
  void set_kind(Slot a, Slot b, TieKind kind);
  void remove(Slot a, Slot b);
  // Removes every tie of s (when the agent leaves).
  void clear(Slot s);

  // Per-row, parallel-safe: multiplies each tie weight of row s by factor_by_kind[kind] and drops
  // ties whose weight falls below prune_below (the other end does the same to its copy).
  void decay_row(Slot s, std::span<const float> factor_by_kind, float prune_below);

  std::size_t total_ties() const;  // each undirected tie counted once
  // True if every tie is stored at both ends with equal weight and kind (a test invariant).
  bool symmetric() const;
  std::size_t bytes() const;

  // Every row, for checkpoints; load() needs a network of the same capacity.
  void save(StateWriter& w) const;
  void load(StateReader& r);

 private:
  std::size_t offset(Slot s) const { return static_cast<std::size_t>(s) * capacity_; }
  int find(Slot a, Slot b) const;
  int weakest(Slot a) const;
  void erase_at(Slot a, int i);
  void append(Slot a, Slot b, float w, TieKind k);

  std::uint16_t capacity_;
  std::vector<std::uint16_t> degree_;
  std::vector<Slot> other_;
  std::vector<float> weight_;
  std::vector<TieKind> kind_;
};

}  // namespace buurtlab
