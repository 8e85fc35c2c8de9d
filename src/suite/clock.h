// Time as the matrix's scheduler sees it: the real clock is steady_clock and
// a real sleep; a test's fake clock moves only when the scheduler sleeps, so
// a minute's grace period passes at once.
#pragma once

#include <chrono>

namespace eofzero::suite {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() = 0;
  virtual void SleepFor(std::chrono::milliseconds duration) = 0;
};

// std::chrono::steady_clock and std::this_thread::sleep_for.
Clock& SteadyClock();

inline double SecondsBetween(Clock::TimePoint from, Clock::TimePoint to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace eofzero::suite
