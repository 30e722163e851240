// `buurtlab compare`: indicator statistics of several output files side by side, with 95%
// intervals across replicates and differences from the first file (docs/ensembles.md).
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "buurtlab/model.hpp"

namespace buurtlab {

// Runs the subcommand on the arguments after "compare". Returns the exit code; throws InputError
// (exit 2) on bad input and program_options errors on bad options, like the other subcommands.
int cmd_compare(const ModelRegistry& models, const std::vector<std::string>& args,
                std::ostream& out, std::ostream& err);

}  // namespace buurtlab
