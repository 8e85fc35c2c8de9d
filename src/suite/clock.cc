#include "suite/clock.h"

#include <thread>

namespace eofzero::suite {
namespace {

class RealClock : public Clock {
 public:
  TimePoint Now() override { return std::chrono::steady_clock::now(); }
  void SleepFor(std::chrono::milliseconds duration) override {
    std::this_thread::sleep_for(duration);
  }
};

}  // namespace

Clock& SteadyClock() {
  static RealClock clock;
  return clock;
}

}  // namespace eofzero::suite
