// `buurtlab lab`: a local web app for workshops and exploration (docs/lab.md). A small HTTP server
// on 127.0.0.1 serves one page, compiled into the program, with the workshop cards as presets and
// their levers as sliders and switches; runs happen in this process and stream to the page.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "buurtlab/model.hpp"

namespace buurtlab::lab {

// Runs the subcommand on the arguments after "lab" until Ctrl-C (or SIGTERM). Returns the exit
// code; throws program_options errors on bad options, like the other subcommands.
int cmd_lab(const ModelRegistry& models, const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err);

}  // namespace buurtlab::lab
