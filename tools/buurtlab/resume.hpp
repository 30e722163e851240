// `buurtlab resume OUTPUT.h5`: continues an interrupted run from its checkpoints
// (docs/reliability.md, "Checkpoint and resume"), and the checkpoint option of `buurtlab run`.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "buurtlab/model.hpp"

namespace buurtlab {

// Runs the subcommand on the arguments after "resume". Returns the exit code (0 complete, 1
// interrupted or failed); throws InputError (exit 2) for a file it cannot continue.
int cmd_resume(const ModelRegistry& models, const std::vector<std::string>& args,
               std::ostream& out, std::ostream& err);

// The ticks of `duration` (e.g. "1 year", "13 weeks") for `--checkpoint-every`: at least one.
// Throws InputError naming the option and the text if it is not a duration.
Tick checkpoint_interval(const std::string& duration, const Scenario& sc);

}  // namespace buurtlab
