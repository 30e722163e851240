// `buurtlab resume OUTPUT.h5`: continues an interrupted run from its checkpoints
// (docs/reliability.md, "Checkpoint and resume"), and the checkpoint option of `buurtlab run`.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include <filesystem>
#include <optional>

#include "buurtlab/model.hpp"
#include "buurtlab/scenario.hpp"
#include "buurtlab/simulation.hpp"

namespace buurtlab {

// How a run's output file and its checkpoints continue: the scenario the file records, and per
// replicate where it starts (complete, after its checkpoint, or from the beginning) and the time
// points the file keeps for it.
struct ResumePlan {
  Scenario sc;
  std::string recorded_yaml;  // the resolved scenario as the file records it
  const Model* model = nullptr;
  std::vector<ReplicateStart> starts;
  std::vector<Tick> kept;
  std::vector<std::uint32_t> complete, continued, again;  // replicates, from 0
  Tick every = 0;  // the checkpoint interval the run used (0: no checkpoint found)
};
// Reads `output` and its checkpoints. nullopt when the file is complete; throws InputError when
// it cannot be continued (not output, another program version, model or scenario).
std::optional<ResumePlan> plan_resume(const ModelRegistry& models,
                                      const std::filesystem::path& output);

// Runs the subcommand on the arguments after "resume". Returns the exit code (0 complete, 1
// interrupted or failed); throws InputError (exit 2) for a file it cannot continue.
int cmd_resume(const ModelRegistry& models, const std::vector<std::string>& args,
               std::ostream& out, std::ostream& err);

// The ticks of `duration` (e.g. "1 year", "13 weeks") for `--checkpoint-every`: at least one.
// Throws InputError naming the option and the text if it is not a duration.
Tick checkpoint_interval(const std::string& duration, const Scenario& sc);

}  // namespace buurtlab
