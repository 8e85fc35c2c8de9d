// Time for the scheduler tests: it passes only when the code under test
// sleeps, and each sleep lets the test move its fake workers on.
#pragma once

#include <chrono>
#include <functional>

#include "suite/clock.h"

namespace eofzero::suite::test {

class FakeClock : public Clock {
 public:
  TimePoint now{};
  std::function<void()> on_sleep;
  TimePoint Now() override { return now; }
  void SleepFor(std::chrono::milliseconds d) override {
    now += d;
    if (on_sleep) on_sleep();
  }
};

}  // namespace eofzero::suite::test
