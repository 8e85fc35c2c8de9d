// What the race steps (engine/race_steps.cc) expect a range of the main file
// to hold once their threads are done, and the pure check of bytes read back
// against it, before or after a crash.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/history.h"
#include "os/bytes.h"

namespace eofzero::engine {

struct RaceExpectation {
  int line = 0;      // the race step's, for the finding
  std::string what;  // "race_dio iteration 3, two O_DIRECT writers into a hole"
  std::uint64_t offset = 0;
  Bytes expected;  // exactly what [offset, offset + expected.size()) must hold
  // Ranges (file offsets) where zero is allowed too: a write whose outcome
  // the step cannot know (RWF_NOWAIT's EAGAIN after a short write).
  std::vector<ByteRange> maybe;
  // The history's length once the step recorded its writes: a whole-file
  // promise after it makes `expected` exact after a crash too.
  std::size_t history_mark = 0;
  // Whether an O_DIRECT read may look before the crash (it writes dirty
  // pages back first, which would change what a crash finds).
  bool direct_before_crash = false;

  std::uint64_t end() const { return offset + expected.size(); }
};

// What `got` (read at exp.offset through `oracle`) holds that `exp` does not
// allow, one line per run of wrong bytes where one byte was due ("line 9
// race_dio ...: [8704, 9216) read 0x00 where the case wrote 0xa1 (O_DIRECT
// read, after the crash)"; bytes that differ are shown, the first 16 in
// hex). Only bytes below `file_size` are judged. With `zero_allowed`
// (after a crash that no promise covered), zero is allowed everywhere.
std::vector<std::string> CheckRaceRange(const RaceExpectation& exp, ByteView got,
                                        std::uint64_t file_size, bool zero_allowed,
                                        const std::string& oracle);

// Whether a promise for the whole file completed after event `mark` of the
// history and before the first crash after it.
bool PromisedSince(const History& history, std::size_t mark);

}  // namespace eofzero::engine
