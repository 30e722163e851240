// `buurtlab plot`, `report` and `calibrate`: commands written in Python (tools/python/), started by the
// `buurtlab` program as a child process, so that people have one program to remember.
//
// The child is `PYTHON buurtlab_tool.py COMMAND ARGS...`; it inherits standard output and error and
// its exit code becomes the program's (0 ok, 1 failed, 2 usage or input error, as for `run`).
//
// PYTHON is $BUURTLAB_PYTHON if set, else the interpreter the build was configured with
// (BUURTLAB_PYTHON, Debian's /usr/bin/python3 by default), else `python3` on the PATH.
// buurtlab_tool.py is looked up, in order, in $BUURTLAB_PYTHON_TOOLS, in `python/` next to the
// program (the build tree), in `../share/buurtlab/python` next to it (an installed program), and
// in the source tree the program was built from.
//
// The child finds this program in $BUURTLAB_PROGRAM (set here to /proc/self/exe), so that a
// command that runs scenarios (`calibrate` runs `sweep`) uses the same program and models.
#pragma once
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace buurtlab {

// True for the commands that run_python_command handles.
bool is_python_command(std::string_view command);

// Runs a Python command to completion and returns its exit code. `out` and `err` are flushed
// before the child starts; the child writes to the process's own standard output and error.
// SIGINT and SIGTERM received meanwhile are passed on to the child, which finishes cleanly.
// Failing to find or start Python is reported on `err` and returns 1.
int run_python_command(const std::string& command, const std::vector<std::string>& args,
                       std::ostream& out, std::ostream& err);

}  // namespace buurtlab
