// The memory a run will need, estimated before it starts, and the memory the machine has free.
//
// A scenario within every limit of limits.hpp can still ask for more memory than the machine has
// (100 million residents, or 100,000 replicates of 100,000 places); the run would then be killed
// hours in, or push the machine into swap. Front ends compare the estimate with
// available_memory_bytes() and refuse such a run up front (`buurtlab run`, `sweep`, `validate`;
// --ignore-memory-limit overrides). The figures behind the estimate are in docs/performance.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "buurtlab/model.hpp"
#include "buurtlab/scenario.hpp"

namespace buurtlab {

// Model::estimate_bytes' default, for models that do not say: per resident of the city, about
// twice what the neighbourhood model measures, since a model that does not know its own size
// should err towards refusing.
inline constexpr std::size_t kDefaultBytesPerResident = 1024;

// The program itself: code, libraries, thread stacks, the scenario. Measured as the peak resident
// set of `buurtlab run` on a scenario of ten residents (docs/performance.md, "Memory").
inline constexpr std::size_t kProgramBytes = std::size_t{32} << 20;

struct MemoryEstimate {
  std::uint32_t replicates_in_flight = 1;  // instances held at the same time
  std::uint64_t per_replicate = 0;         // the model's estimate for one instance
  // Per replicate in flight, the HDF5 writer's open time chunk (indicators x flush_every x
  // places values); it may hold one complete chunk besides until it is written.
  std::uint64_t output_per_replicate = 0;
  // The initial and last frames the run keeps for every replicate (RunResult::first, last).
  std::uint64_t results = 0;
  std::uint64_t total = 0;  // all of the above times their counts, plus kProgramBytes
};

// The estimate for running `scenario` with `model` on `threads` worker threads (0: the serial
// executor), with `in_flight` replicates at a time (0: replicates_in_flight() chooses, as in
// RunOptions). Saturates rather than overflows.
MemoryEstimate estimate_memory(const Model& model, const Scenario& scenario, int threads,
                               std::uint32_t in_flight = 0);

// Memory available to this process: /proc/meminfo's MemAvailable, lowered to the room left under
// the cgroup's memory limit (cgroup v2 memory.max minus memory.current, or v1
// memory.limit_in_bytes minus memory.usage_in_bytes) where one is set. nullopt where neither
// can be read (not Linux): the check is then skipped.
std::optional<std::uint64_t> available_memory_bytes();

// The parts of available_memory_bytes(), on the files' text, for tests. MemAvailable in bytes
// (the file gives kB); the room under a cgroup limit ("max", or a limit too large to be real,
// gives nullopt).
std::optional<std::uint64_t> meminfo_available(std::string_view meminfo);
std::optional<std::uint64_t> cgroup_room(std::string_view limit, std::string_view usage);

// "1.5 GiB", "320 MiB", "12 KiB": for messages.
std::string bytes_text(std::uint64_t bytes);

}  // namespace buurtlab
