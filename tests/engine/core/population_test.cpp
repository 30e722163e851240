// Tests of the structure-of-arrays population (population.hpp): stable ids, the ReuseLowestSlot
// removal policy, column initial values, and the locking that guards parallel phases.
#include "buurtlab/population.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <vector>

namespace buurtlab {
namespace {

TEST(PopulationTest, AddHandsOutDenseIdsAndSlots) {
  Population pop("people");
  EXPECT_EQ(pop.name(), "people");
  for (Slot i = 0; i < 5; ++i) {
    const Slot s = pop.add();
    EXPECT_EQ(s, i);
    EXPECT_EQ(pop.id(s), AgentId{i});
    EXPECT_TRUE(pop.alive(s));
  }
  EXPECT_EQ(pop.slots(), 5u);
  EXPECT_EQ(pop.size(), 5u);
  EXPECT_EQ(pop.next_id(), 5u);
}

TEST(PopulationTest, FirstIdSetsTheIdRange) {
  Population pop("p");
  pop.set_first_id(1'000'000);
  EXPECT_EQ(pop.id(pop.add()), 1'000'000u);
  EXPECT_EQ(pop.id(pop.add()), 1'000'001u);
  EXPECT_EQ(pop.slot_of(1'000'001), 1u);
}

TEST(PopulationTest, RemovalLeavesAHoleAndKeepsOtherSlots) {
  Population pop("p");
  for (int i = 0; i < 6; ++i) pop.add();
  pop.remove(2);
  EXPECT_FALSE(pop.alive(2));
  EXPECT_EQ(pop.slots(), 6u) << "no compaction";
  EXPECT_EQ(pop.size(), 5u);
  for (Slot s : {0u, 1u, 3u, 4u, 5u}) {
    EXPECT_TRUE(pop.alive(s));
    EXPECT_EQ(pop.id(s), AgentId{s}) << "every other agent keeps its slot";
    EXPECT_EQ(pop.slot_of(s), s);
  }
  EXPECT_EQ(pop.slot_of(2), kNoSlot);
  EXPECT_EQ(pop.alive_flags(), (std::vector<std::uint8_t>{1, 1, 0, 1, 1, 1}));
}

TEST(PopulationTest, AddReusesTheLowestFreeSlotWithAFreshId) {
  Population pop("p");
  for (int i = 0; i < 8; ++i) pop.add();
  // Remove in an order that is not sorted, so a FIFO or LIFO free list would give other slots.
  pop.remove(5);
  pop.remove(1);
  pop.remove(6);
  pop.remove(3);
  EXPECT_EQ(pop.size(), 4u);

  std::set<AgentId> ids_seen;
  for (Slot s = 0; s < pop.slots(); ++s)
    if (pop.alive(s)) ids_seen.insert(pop.id(s));

  const Slot expected[] = {1, 3, 5, 6, 8};
  for (Slot want : expected) {
    const Slot s = pop.add();
    EXPECT_EQ(s, want);
    EXPECT_TRUE(pop.alive(s));
    EXPECT_TRUE(ids_seen.insert(pop.id(s)).second) << "id reused";
    EXPECT_GE(pop.id(s), 8u) << "ids are never reused, even for a reused slot";
    EXPECT_EQ(pop.slot_of(pop.id(s)), s);
  }
  EXPECT_EQ(pop.slots(), 9u);
  EXPECT_EQ(pop.size(), 9u);
  // The ids of removed agents stay unknown.
  for (AgentId gone : {1u, 3u, 5u, 6u}) EXPECT_EQ(pop.slot_of(gone), kNoSlot);
}

TEST(PopulationTest, ColumnsStartAtTheirInitialValueAndResetOnReuse) {
  Population pop("p");
  auto& age = pop.add_column<double>("age", 30.0);
  auto& flag = pop.add_column<std::uint8_t>("flag", 7);
  auto& home = pop.add_column<int>("home");  // default T{}
  for (int i = 0; i < 4; ++i) {
    const Slot s = pop.add();
    EXPECT_EQ(age[s], 30.0);
    EXPECT_EQ(flag[s], 7);
    EXPECT_EQ(home[s], 0);
  }
  EXPECT_EQ(age.size(), 4u);
  for (Slot s = 0; s < 4; ++s) {
    age[s] = 40.0 + s;
    flag[s] = 1;
    home[s] = 100 + int(s);
  }
  pop.remove(2);
  const Slot s = pop.add();
  ASSERT_EQ(s, 2u);
  EXPECT_EQ(age[s], 30.0) << "a newcomer must not inherit the previous occupant's values";
  EXPECT_EQ(flag[s], 7);
  EXPECT_EQ(home[s], 0);
  EXPECT_EQ(age[3], 43.0) << "other agents keep theirs";
  EXPECT_EQ(home[1], 101);
}

TEST(PopulationTest, ColumnsGrowWithNewSlots) {
  Population pop("p");
  auto& x = pop.add_column<float>("x", 1.5f);
  pop.reserve(1000);
  pop.add();
  const float* before = x.data();
  for (int i = 1; i < 1000; ++i) pop.add();
  EXPECT_EQ(x.size(), 1000u);
  EXPECT_EQ(x.data(), before) << "reserve() reserves the columns too";
  EXPECT_EQ(x.values().back(), 1.5f);
}

TEST(PopulationTest, AddColumnAfterAgentsThrows) {
  Population pop("p");
  pop.add_column<double>("a");
  pop.add();
  EXPECT_THROW(pop.add_column<double>("b"), std::logic_error);
  EXPECT_EQ(pop.columns().size(), 1u);
}

TEST(PopulationTest, AddAndRemoveThrowWhileLocked) {
  Population pop("p");
  pop.add();
  pop.add();
  pop.set_locked(true);
  EXPECT_THROW(pop.add(), std::logic_error);
  EXPECT_THROW(pop.remove(0), std::logic_error);
  EXPECT_EQ(pop.size(), 2u) << "a refused change changes nothing";
  EXPECT_TRUE(pop.alive(0));
  pop.set_locked(false);
  EXPECT_NO_THROW(pop.remove(0));
  EXPECT_NO_THROW(pop.add());
}

TEST(PopulationTest, RemovingADeadOrMissingSlotThrows) {
  Population pop("p");
  pop.add();
  pop.remove(0);
  EXPECT_THROW(pop.remove(0), std::logic_error);
  EXPECT_THROW(pop.remove(5), std::logic_error);
  EXPECT_EQ(pop.size(), 0u);
}

TEST(PopulationTest, BytesPerAgentCountsEveryColumn) {
  Population pop("p");
  const std::size_t bare = pop.bytes_per_agent();
  pop.add_column<double>("d");
  pop.add_column<std::uint16_t>("u");
  EXPECT_EQ(pop.bytes_per_agent(), bare + sizeof(double) + sizeof(std::uint16_t));
  ASSERT_EQ(pop.columns().size(), 2u);
  EXPECT_EQ(pop.columns()[1]->name(), "u");
}

TEST(PopulationTest, ChurnKeepsBookkeepingConsistent) {
  // Many removals and additions: alive flags, size, slot_of and ids agree at every step.
  Population pop("p");
  auto& tag = pop.add_column<AgentId>("tag", ~AgentId{0});
  for (int i = 0; i < 200; ++i) {
    const Slot s = pop.add();
    tag[s] = pop.id(s);
  }
  std::uint64_t x = 12345;
  for (int step = 0; step < 2000; ++step) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const Slot s = static_cast<Slot>((x >> 33) % pop.slots());
    if (pop.alive(s) && (x & 1)) {
      pop.remove(s);
    } else {
      const Slot n = pop.add();
      EXPECT_EQ(tag[n], ~AgentId{0});
      tag[n] = pop.id(n);
    }
  }
  std::size_t alive = 0;
  std::set<AgentId> ids;
  for (Slot s = 0; s < pop.slots(); ++s) {
    if (!pop.alive(s)) continue;
    ++alive;
    EXPECT_EQ(pop.slot_of(pop.id(s)), s);
    EXPECT_EQ(tag[s], pop.id(s));
    EXPECT_TRUE(ids.insert(pop.id(s)).second);
  }
  EXPECT_EQ(alive, pop.size());
}

}  // namespace
}  // namespace buurtlab
