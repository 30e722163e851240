// Structure-of-arrays storage for one kind of agent, with stable ids.
//
// A Population owns the bookkeeping (which slots are alive, which id lives in which slot) and any
// number of typed columns, one contiguous array per agent variable. Models keep references to
// their columns and index them by slot in their loops.
//
// Structural changes happen only at tick boundaries, never inside a parallel phase (the scheduler
// locks the population while phases run). Removal policy, named ReuseLowestSlot: a removed agent's
// slot becomes a hole; it is not compacted, so every other agent keeps its slot (and ties that
// point to slots stay valid); the next agent added takes the lowest free slot, or a new slot at the
// end if there is none. Iteration order is slot order. Ids are never reused. Nothing may rely on
// slot order beyond this policy.
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "buurtlab/state_archive.hpp"
#include "buurtlab/types.hpp"

namespace buurtlab {

class ColumnBase {
 public:
  virtual ~ColumnBase() = default;
  virtual const std::string& name() const = 0;
  virtual void resize(std::size_t n) = 0;
  virtual void reserve(std::size_t n) = 0;
  virtual void reset(Slot s) = 0;
  virtual std::size_t bytes_per_agent() const = 0;
  // The column's values, for checkpoints.
  virtual void save(StateWriter& w) const = 0;
  virtual void load(StateReader& r) = 0;
};

template <class T>
class Column final : public ColumnBase {
 public:
  Column(std::string name, T initial) : name_(std::move(name)), initial_(initial) {}
  const std::string& name() const override { return name_; }
  void resize(std::size_t n) override { data_.resize(n, initial_); }
  void reserve(std::size_t n) override { data_.reserve(n); }
  void reset(Slot s) override { data_[s] = initial_; }
  std::size_t bytes_per_agent() const override { return sizeof(T); }
  void save(StateWriter& w) const override {
    w.section(name_);
    w.put_vector(data_);
  }
  void load(StateReader& r) override {
    r.section(name_);
    r.get_vector(data_);
  }

  T& operator[](Slot s) { return data_[s]; }
  const T& operator[](Slot s) const { return data_[s]; }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  std::size_t size() const { return data_.size(); }
  std::vector<T>& values() { return data_; }
  const std::vector<T>& values() const { return data_; }

 private:
  std::string name_;
  T initial_;
  std::vector<T> data_;
};

class Population {
 public:
  explicit Population(std::string name) : name_(std::move(name)) {}
  Population(const Population&) = delete;
  Population& operator=(const Population&) = delete;

  const std::string& name() const { return name_; }

  // Declares a column; all columns must be declared before the first agent is added.
  template <class T>
  Column<T>& add_column(std::string column_name, T initial = T{}) {
    if (slots() != 0) throw std::logic_error("Population " + name_ + ": column '" + column_name +
                                             "' declared after agents were added");
    auto col = std::make_unique<Column<T>>(std::move(column_name), initial);
    Column<T>& ref = *col;
    columns_.push_back(std::move(col));
    return ref;
  }

  // Number of slots (alive agents plus holes); loops run over [0, slots()) and skip !alive(s).
  Slot slots() const { return static_cast<Slot>(ids_.size()); }
  std::size_t size() const { return ids_.size() - free_count_; }
  bool alive(Slot s) const { return alive_[s] != 0; }
  AgentId id(Slot s) const { return ids_[s]; }
  const std::vector<std::uint8_t>& alive_flags() const { return alive_; }

  // Slot of a living agent, or kNoSlot.
  Slot slot_of(AgentId id) const {
    auto it = slot_of_.find(id);
    return it == slot_of_.end() ? kNoSlot : it->second;
  }

  // Adds an agent with a fresh id (tick boundary only). Its columns hold their initial values.
  Slot add();
  // Removes the agent in slot s (tick boundary only); its slot becomes free for reuse.
  void remove(Slot s);

  // Reserves room for n slots in every column (avoids reallocation while populating).
  void reserve(std::size_t n);

  // Set by the scheduler around parallel phases; add/remove throw while locked.
  void set_locked(bool locked) { locked_ = locked; }

  // Next id to hand out; ids are dense from `first_id`, so a partitioned run can give each process
  // its own id range.
  void set_first_id(AgentId first) { next_id_ = first; }
  AgentId next_id() const { return next_id_; }

  std::size_t bytes_per_agent() const;
  const std::vector<std::unique_ptr<ColumnBase>>& columns() const { return columns_; }

  // Every slot, id, free slot and column value, for checkpoints. load() needs a population with
  // the same columns declared (the same model); it replaces everything else.
  void save(StateWriter& w) const;
  void load(StateReader& r);

 private:
  std::string name_;
  std::vector<std::unique_ptr<ColumnBase>> columns_;
  std::vector<AgentId> ids_;
  std::vector<std::uint8_t> alive_;
  std::unordered_map<AgentId, Slot> slot_of_;
  // Free slots kept as a min-heap so the lowest is reused first (deterministic, fills holes).
  std::vector<Slot> free_heap_;
  std::size_t free_count_ = 0;
  AgentId next_id_ = 0;
  bool locked_ = false;
};

}  // namespace buurtlab
