// buurtlab-testcli: the buurtlab command line with the engine's test model registered next to the
// built-in models, so that the CLI tests do not depend on any real model.
#include <iostream>

#include "cli.hpp"
#include "registry.hpp"
#include "test_model.hpp"

int main(int argc, char** argv) {
  buurtlab::ModelRegistry models = buurtlab::builtin_models();
  models.add(buurtlab::testing::make_test_model());
  return buurtlab::run_cli(argc, argv, models, std::cout, std::cerr);
}
