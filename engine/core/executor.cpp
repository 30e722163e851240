#include "buurtlab/executor.hpp"

#include <stdexcept>

namespace buurtlab {

Executor::Executor(int threads) : threads_(threads) {
  if (threads < 0) throw std::invalid_argument("thread count must be >= 0");
  if (threads > 0) arena_ = std::make_shared<oneapi::tbb::task_arena>(threads);
}

std::string Executor::describe() const {
  return is_serial() ? std::string("serial reference executor")
                     : "oneTBB, " + std::to_string(threads_) + " thread(s)";
}

}  // namespace buurtlab
