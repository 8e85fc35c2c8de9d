// `eofzero log show LOG`: a write log (scratch/write_log.h) for a person, one
// line per record, grouped by flush epoch and case step, written as the log
// is read (a log of any size costs a record's memory). A change (write,
// discard, zero-range) is numbered within its epoch, as `log replay --state
// K:SUBSET` counts them. What the log itself says (a step's text) is
// escaped: a log cannot put a control character or a line of its own on
// the terminal.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "os/bytes.h"
#include "scratch/write_log.h"

namespace eofzero::report {

// Pure: `bytes` with every byte but printable ASCII written as \xNN (and
// the backslash as \\).
std::string EscapedText(ByteView bytes);

class LogListing {
 public:
  // `name` is the log's path as the user gave it.
  LogListing(std::ostream& out, std::string name) : out_(out), name_(std::move(name)) {}
  // The first line: what the header says.
  void Header(const scratch::WriteLogHeader& header);
  void Record(const scratch::LogRecord& r);
  // The last line: the totals, and how the log ended.
  void End(bool ended, const std::string& damage);

 private:
  std::ostream& out_;
  std::string name_;
  std::uint64_t records_ = 0, barriers_ = 0, written_ = 0, change_ = 0;
};

// Pure: the whole listing of a log in memory.
std::string RenderLogListing(const std::string& name, const scratch::ParsedLog& log);

}  // namespace eofzero::report
