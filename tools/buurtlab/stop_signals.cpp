#include "stop_signals.hpp"

#include <time.h>

#include <chrono>
#include <cstdint>
#include <ostream>

namespace buurtlab {

namespace {

std::atomic<bool> g_stop{false};
// When the notice was shown (monotonic nanoseconds); 0 until then.
std::atomic<std::int64_t> g_notice_ns{0};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");
static_assert(std::atomic<std::int64_t>::is_always_lock_free,
              "the signal handler needs a lock-free clock value");

// clock_gettime is async-signal-safe; std::chrono is not promised to be.
std::int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

extern "C" void on_stop_signal(int sig) {
  const std::int64_t now = monotonic_ns();
  if (!g_stop.exchange(true)) return;  // the request: the run stops after its tick
  const std::int64_t shown = g_notice_ns.load();
  if (shown == 0 || now - shown < std::int64_t(kStopGraceMilliseconds) * 1000000) return;
  // Asked again, after the notice and the grace: quit now, as without a handler.
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

StopSignals::StopSignals(std::ostream& notice, std::string what) {
  g_stop.store(false);
  g_notice_ns.store(0);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
  watcher_ = std::thread([this, &notice, what = std::move(what)] {
    while (!done_.load()) {
      if (g_stop.load()) {
        notice << what << std::endl;
        g_notice_ns.store(monotonic_ns());
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
}

StopSignals::~StopSignals() {
  done_.store(true);
  watcher_.join();
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

const std::atomic<bool>* StopSignals::flag() const { return &g_stop; }

}  // namespace buurtlab
