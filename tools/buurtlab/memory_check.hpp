// The memory check of `run`, `sweep` and `validate`: a scenario whose estimated memory
// (buurtlab/memory.hpp) exceeds what the machine has available is refused before anything is
// written, unless --ignore-memory-limit.
#pragma once
#include <string>

#include "buurtlab/diagnostics.hpp"
#include "buurtlab/memory.hpp"

namespace buurtlab {

inline const char* const kIgnoreMemoryOption = "ignore-memory-limit";

// "1.2 GiB (2 replicates at a time x 600 MiB for the model and 3.0 MiB of output buffers, and
// 1.0 MiB for the results of 10 replicates)"
inline std::string memory_estimate_text(const MemoryEstimate& m, const Scenario& sc) {
  const std::string at_a_time = m.replicates_in_flight == 1
                                    ? std::string("1 replicate at a time: ")
                                    : std::to_string(m.replicates_in_flight) +
                                          " replicates at a time x ";
  return bytes_text(m.total) + " (" + at_a_time + bytes_text(m.per_replicate) +
         " for the model and " + bytes_text(m.output_per_replicate) + " of output buffers; " +
         bytes_text(m.results) + " for the results of " + std::to_string(sc.replicates) +
         (sc.replicates == 1 ? " replicate" : " replicates") + ")";
}

// Throws InputError naming the scenario, the estimate and the memory available when the estimate
// exceeds it; does nothing when `ignore` or when the available memory cannot be read.
inline void check_memory(const MemoryEstimate& m, const Scenario& sc, bool ignore) {
  if (ignore) return;
  const auto available = available_memory_bytes();
  if (!available || m.total <= *available) return;
  Diagnostics d;
  d.add({sc.source_file, 0, 0}, "", "an estimated " + memory_estimate_text(m, sc) + " of memory",
        "at most the " + bytes_text(*available) +
            " this machine has available (MemAvailable, or the room under the cgroup's memory "
            "limit); run fewer residents or fewer replicates at a time (--parallel-replicates 1 "
            "or --threads 1), or add --" + kIgnoreMemoryOption + " to run anyway");
  throw InputError(d);
}

}  // namespace buurtlab
