// Stopping on SIGINT/SIGTERM (tools/buurtlab/stop_signals.cpp): the first signal sets the flag and
// a notice is shown; repeats before the notice and within the grace after it are ignored (one
// request often arrives twice, sent to the whole process group); a signal after the grace quits at
// once. Each case runs in a child process (a death test), since the handler is process-wide.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "stop_signals.hpp"

namespace buurtlab {
namespace {

using namespace std::chrono_literals;

// Waits until the notice has been written (the watcher polls every 20 ms).
void wait_for_notice(const std::ostringstream& notice) {
  for (int i = 0; i < 500 && notice.str().empty(); ++i) std::this_thread::sleep_for(10ms);
}

TEST(StopSignalsDeathTest, RepeatsWithinTheGraceAreOneRequest) {
  EXPECT_EXIT(
      {
        std::ostringstream notice;
        StopSignals s(notice, "stopping");
        std::raise(SIGINT);
        std::raise(SIGINT);  // before the notice
        wait_for_notice(notice);
        std::raise(SIGTERM);  // right after it
        const bool ok = s.requested() && notice.str() == "stopping\n";
        std::exit(ok ? 0 : 3);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(StopSignalsDeathTest, ASignalAfterTheGraceQuitsAtOnce) {
  EXPECT_EXIT(
      {
        std::ostringstream notice;
        StopSignals s(notice, "stopping");
        std::raise(SIGINT);
        wait_for_notice(notice);
        std::this_thread::sleep_for(std::chrono::milliseconds(kStopGraceMilliseconds) + 200ms);
        std::raise(SIGINT);
        std::exit(0);  // not reached
      },
      ::testing::KilledBySignal(SIGINT), "");
}

TEST(StopSignals, NoSignalNoRequestAndTheHandlersComeBack) {
  struct sigaction before {};
  sigaction(SIGINT, nullptr, &before);
  {
    std::ostringstream notice;
    StopSignals s(notice, "stopping");
    EXPECT_FALSE(s.requested());
    struct sigaction during {};
    sigaction(SIGINT, nullptr, &during);
    EXPECT_NE(during.sa_handler, before.sa_handler);
  }
  struct sigaction after {};
  sigaction(SIGINT, nullptr, &after);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
}

}  // namespace
}  // namespace buurtlab
