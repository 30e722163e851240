// The `buurtlab` command line: run, validate, describe and list scenarios.
//
// The whole program lives behind run_cli() so that it can be linked into more than one executable:
// `buurtlab` passes the built-in models, the CLI tests' `buurtlab-testcli` adds the engine's test
// model. run_cli() never calls exit(); it returns the process exit code:
//   0  success
//   1  the run failed or was interrupted
//   2  usage error (unknown subcommand or option, bad option value) or invalid scenario
#pragma once
#include <iosfwd>

#include "buurtlab/model.hpp"

namespace buurtlab {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRunFailed = 1;
inline constexpr int kExitUsage = 2;

// Parses argv (argv[0] is the program name) and runs the subcommand. Results go to `out`, progress,
// notices and errors to `err`. A terminal progress bar is drawn only when `err` is std::cerr and
// standard error is a terminal.
int run_cli(int argc, char** argv, const ModelRegistry& models, std::ostream& out,
            std::ostream& err);

}  // namespace buurtlab
