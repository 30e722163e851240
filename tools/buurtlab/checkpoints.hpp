// Checkpoint files of `buurtlab run --checkpoint-every` and `buurtlab resume` (docs/reliability.md,
// "Checkpoint and resume"). Beside OUTPUT.h5 a folder OUTPUT.h5.checkpoint holds one file per
// replicate, replicate-N.state: a short text header that says which program, model, scenario and
// replicate wrote it and after which tick, then the engine's state bytes (ReplicateCheckpoint).
// Each file is written to a temporary name, synced and renamed, so a kill at any moment leaves
// the previous checkpoint or the new one, never half of one.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "buurtlab/scenario.hpp"
#include "buurtlab/simulation.hpp"

namespace buurtlab {

std::filesystem::path checkpoint_dir(const std::filesystem::path& output);

// What a checkpoint must match to be used: this program, the model and the resolved scenario.
struct CheckpointIdentity {
  std::string version;
  std::string commit;
  std::string model;
  std::string scenario_hash;  // FNV-1a of the resolved scenario YAML, hex
};
CheckpointIdentity checkpoint_identity(const Scenario& sc);

class CheckpointStore {
 public:
  // The folder for `output`'s checkpoints, taken every `every` ticks. A new run (`fresh`) empties
  // it: an earlier run's checkpoints do not belong to it; a resumed run keeps them until each is
  // replaced.
  CheckpointStore(const std::filesystem::path& output, CheckpointIdentity id, Tick every,
                  bool fresh);
  // Replaces replicate c.replicate's checkpoint atomically. Throws RunError on a write failure.
  void write(const ReplicateCheckpoint& c);
  // Removes the folder (the run completed: nothing to resume).
  void remove();
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  CheckpointIdentity id_;
  Tick every_;
};

struct LoadedCheckpoint {
  Tick tick = 0;
  Tick every = 0;  // the interval the run took them at
  std::string state;
};

// Each replicate's checkpoint in `output`'s folder (nullopt where there is none). Throws
// InputError, naming the file, for a checkpoint of another program version, model or scenario,
// or one that is damaged.
std::vector<std::optional<LoadedCheckpoint>> read_checkpoints(const std::filesystem::path& output,
                                                              const CheckpointIdentity& id,
                                                              std::uint32_t replicates);

}  // namespace buurtlab
