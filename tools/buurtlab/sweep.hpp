// `buurtlab sweep`: one scenario run over a grid or a Latin hypercube of values, one output file
// per point, resumable after an interruption (docs/ensembles.md).
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "buurtlab/model.hpp"

namespace buurtlab {

// Runs the subcommand on the arguments after "sweep". Returns the exit code; throws InputError
// (exit 2) on bad input and program_options errors on bad options, like the other subcommands.
int cmd_sweep(const ModelRegistry& models, const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err);

}  // namespace buurtlab
