// Command-line parsing shared by the subcommands (run, validate, describe, scenarios, compare,
// sweep): each has visible options and any number of positional arguments.
#pragma once
#include <boost/program_options.hpp>

#include <string>
#include <vector>

namespace buurtlab {

// Parses `args` with the options in `desc`, collecting positional arguments under the hidden,
// repeatable option `positional` (read them as vm[positional].as<std::vector<std::string>>()).
// Errors are boost::program_options errors, which the caller reports with a pointer to --help.
inline boost::program_options::variables_map parse_command_line(
    const std::vector<std::string>& args, const boost::program_options::options_description& desc,
    const char* positional) {
  namespace po = boost::program_options;
  po::options_description all;
  all.add(desc).add_options()(positional, po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add(positional, -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  return vm;
}

}  // namespace buurtlab
