// SIGINT and SIGTERM as a request to stop: while a StopSignals lives, the first signal sets a flag
// that a run checks after every tick (so its output file is finished and marked interrupted), and
// a notice on standard error says so. Repeats of that signal are ignored until a second after the
// notice: `timeout`, a terminal's Ctrl-C and `kill -INT -PGID` signal the whole process group, so
// one request often arrives twice, and it must not turn into "quit at once". A signal after that
// second is an explicit request to quit: the previous (default) action runs, and the file is left
// unfinished (marked running, readable up to its last flush). The previous handlers come back on
// destruction.
#pragma once
#include <atomic>
#include <csignal>
#include <iosfwd>
#include <string>
#include <thread>

namespace buurtlab {

// Repeats within this time after the notice are taken as part of the first request.
inline constexpr int kStopGraceMilliseconds = 1000;

class StopSignals {
 public:
  // `notice` receives `what` (one line) when the first signal arrives; it must outlive this.
  StopSignals(std::ostream& notice, std::string what);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  const std::atomic<bool>* flag() const;
  bool requested() const { return flag()->load(); }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  std::atomic<bool> done_{false};
  std::thread watcher_;  // prints the notice: a signal handler may not write to a stream
};

}  // namespace buurtlab
