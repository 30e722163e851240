// SIGINT and SIGTERM as a request to stop: while a StopSignals lives, the first signal sets a flag
// that a run checks after every tick (so its output file is finished and marked interrupted); a
// second signal kills the process the usual way. The previous handlers come back on destruction.
#pragma once
#include <atomic>
#include <csignal>

namespace buurtlab {

class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  const std::atomic<bool>* flag() const;
  bool requested() const { return flag()->load(); }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace buurtlab
