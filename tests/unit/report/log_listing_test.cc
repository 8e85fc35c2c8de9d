#include "report/log_listing.h"

#include <gtest/gtest.h>

namespace eofzero::report {
namespace {

using scratch::LogRecord;
using scratch::RecordType;

LogRecord Step(const std::string& text) {
  return {RecordType::kStep, 0, 3, 0, Bytes(text.begin(), text.end())};
}

// A step's text comes from the log: a crafted one used to print escape
// sequences and newlines raw, painting the terminal and adding lines that
// looked like the listing's own.
TEST(LogListing, WhatTheLogSaysIsEscaped) {
  EXPECT_EQ(EscapedText(Bytes{'a', ' ', '~'}), "a ~");
  EXPECT_EQ(EscapedText(Bytes{0x1b, '[', '2', 'J', '\n', '\\', 0x7f, 0xc3, 0xa9, 0}),
            "\\x1b[2J\\x0a\\\\\\x7f\\xc3\\xa9\\x00");
  scratch::ParsedLog log;
  log.header = {1 << 20, 512, 4096, 0};
  log.records = {Step("ok\n  barrier 9 (fsync)\x1b[31m"), {RecordType::kBarrier, 0, 0, 0, {}}};
  log.ended = true;
  const std::string listing = RenderLogListing("x.ezlog", log);
  EXPECT_EQ(listing,
            "x.ezlog: image 1048576 bytes, sectors of 512, blocks of 4096, base all zeros\n"
            "epoch 0 (from the start to barrier 1)\n"
            "  step 3: ok\\x0a  barrier 9 (fsync)\\x1b[31m\n"
            "  barrier 1 (fsync)\n"
            "epoch 1 (from barrier 1)\n"
            "x.ezlog: 2 records, 1 barriers, 0 bytes written\n");
}

TEST(LogListing, TheLastLineSaysHowTheLogEnded) {
  scratch::ParsedLog log;
  log.header = {1 << 20, 512, 4096, 0};
  log.records = {scratch::WriteRecord(4096, Bytes(512, 0x5a))};
  log.damage = "record 1 at byte 608: checksum mismatch";
  EXPECT_TRUE(RenderLogListing("x", log).ends_with(
      "        0 write              4096 +512      5a5a5a5a5a5a5a5a...\n"
      "x: 1 records, 0 barriers, 512 bytes written; damaged: record 1 at byte 608: checksum "
      "mismatch (what follows it is not read)\n"))
      << RenderLogListing("x", log);
  log.damage.clear();
  EXPECT_TRUE(RenderLogListing("x", log).ends_with(
      "; cut short (no end record: the recorder did not close it)\n"));
}

}  // namespace
}  // namespace eofzero::report
