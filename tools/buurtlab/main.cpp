// The buurtlab program: the command line with the built-in models.
#include <iostream>

#include "cli.hpp"
#include "registry.hpp"

int main(int argc, char** argv) {
  const buurtlab::ModelRegistry models = buurtlab::builtin_models();
  return buurtlab::run_cli(argc, argv, models, std::cout, std::cerr);
}
