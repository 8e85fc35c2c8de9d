// The crash model's invariants, each where it holds and where it breaks.
#include "oracles/invariants.h"

#include <gtest/gtest.h>

#include "engine/sentinel.h"

namespace eofzero::oracles {
namespace {

using engine::Event;
using engine::History;
using engine::Oracle;
using engine::Phase;
using engine::Promise;

// A history built as the interpreter records one.
class Script {
 public:
  Script& Write(std::uint64_t off, std::uint64_t len, std::uint8_t fill, const char* what = "pwrite") {
    Event e{.kind = Event::Kind::kWrite, .line = Line(), .what = what,
            .content = {off, len, fill, {}}};
    e.size_before = h_.size();
    e.size_after = std::max(h_.size(), off + len);
    h_.events.push_back(e);
    return *this;
  }
  Script& Truncate(std::uint64_t size) {
    Event e{.kind = Event::Kind::kResize, .line = Line(), .what = "truncate"};
    e.size_before = h_.size();
    e.size_after = size;
    h_.events.push_back(e);
    return *this;
  }
  Script& Punch(std::uint64_t begin, std::uint64_t end) {
    Event e{.kind = Event::Kind::kZero, .line = Line(), .what = "fpunch", .begin = begin, .end = end};
    e.size_before = e.size_after = h_.size();
    h_.events.push_back(e);
    return *this;
  }
  Script& Fsync() { return PromiseIt(Promise::kFile, "fsync", 0, 0); }
  Script& DsyncRange(std::uint64_t begin, std::uint64_t end) {
    return PromiseIt(Promise::kRange, "RWF_DSYNC write", begin, end);
  }
  Script& Crash() {
    Event e{.kind = Event::Kind::kCrash, .line = Line(), .what = "nologflush"};
    e.size_before = e.size_after = h_.size();
    h_.events.push_back(e);
    return *this;
  }
  const History& history() const { return h_; }

 private:
  Script& PromiseIt(Promise p, const char* what, std::uint64_t b, std::uint64_t e) {
    Event ev{.kind = Event::Kind::kPromise, .line = Line(), .what = what, .begin = b, .end = e,
             .promise = p};
    ev.size_before = ev.size_after = h_.size();
    if (p == Promise::kFile) ev.end = h_.size();
    h_.events.push_back(ev);
    return *this;
  }
  int Line() { return ++line_; }
  History h_;
  int line_ = 0;
};

engine::FileView Read(std::uint64_t off, Bytes bytes, std::uint64_t size,
                      Phase phase = Phase::kAfterCrash, std::size_t events = 0) {
  return {Oracle::kBufferedRead, phase, off, std::move(bytes), size, events};
}

Bytes Fill(std::size_t n, std::uint8_t v) { return Bytes(n, v); }
Bytes Concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// generic/790's append: 4080 bytes made durable (the plant), a block written
// at 4096, crash. The gap [4080, 4096) may only read as zero.
Script AppendCase() {
  Script s;
  s.Write(0, 4096, 0x5a).Fsync().Truncate(4080).Fsync().Write(4096, 4096, 0x42).Crash();
  return s;
}

TEST(NoStaleBytes, HoldsWhenTheGapIsZeroAndTheDataIsThere) {
  Script s = AppendCase();
  CrashModel m(s.history());
  Bytes file = Concat(Concat(Fill(4080, 0x5a), Fill(16, 0)), Fill(4096, 0x42));
  EXPECT_TRUE(m.CheckAfterCrash(Read(0, file, 8192)).empty());
}

TEST(NoStaleBytes, HoldsWhenTheUnpromisedWriteIsLostAsZeros) {
  Script s = AppendCase();
  CrashModel m(s.history());
  Bytes file = Concat(Fill(4080, 0x5a), Fill(4112, 0));
  EXPECT_TRUE(m.CheckAfterCrash(Read(0, file, 8192)).empty());
}

TEST(NoStaleBytes, BreaksOnTheSentinelInTheGapAndSaysSo) {
  Script s = AppendCase();
  CrashModel m(s.history());
  Bytes file = Concat(Fill(4080, 0x5a), Fill(16, 0));
  for (std::size_t i = 4080; i < 4096; ++i) file[i] = engine::SentinelBlock(4096)[i];
  file = Concat(file, Fill(4096, 0x42));
  auto found = m.CheckAfterCrash(Read(0, file, 8192));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].invariant, Invariant::kNoStaleBytes);
  EXPECT_EQ(found[0].offset, 4080u);
  EXPECT_EQ(found[0].count, 16u);
  EXPECT_NE(found[0].evidence.find("the sentinel"), std::string::npos) << found[0].evidence;
}

// The 0x5a the case wrote before its truncate to 4080 was made durable as
// "past EOF" by the fsync after the truncate: it is stale in the gap now.
TEST(NoStaleBytes, BreaksOnBytesTheCaseWroteBeforeADurableTruncate) {
  Script s = AppendCase();
  CrashModel m(s.history());
  Bytes file = Concat(Fill(4096, 0x5a), Fill(4096, 0x42));
  auto found = m.CheckAfterCrash(Read(0, file, 8192));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].invariant, Invariant::kNoStaleBytes);
  EXPECT_EQ(found[0].offset, 4080u);
}

TEST(NoStaleBytes, BeforeTheCrashTheFileReadsExactlyAsWritten) {
  Script s = AppendCase();
  CrashModel m(s.history());
  const std::size_t before_crash = s.history().events.size() - 1;
  Bytes file = Concat(Concat(Fill(4080, 0x5a), Fill(16, 0)), Fill(4096, 0x42));
  EXPECT_TRUE(m.CheckBeforeCrash(Read(0, file, 8192, Phase::kBeforeCrash, before_crash)).empty());
  // Zeros where the extension's data belongs are not legal in memory.
  Bytes lost = Concat(Fill(4080, 0x5a), Fill(4112, 0));
  auto found = m.CheckBeforeCrash(Read(0, lost, 8192, Phase::kBeforeCrash, before_crash));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].offset, 4096u);
  // Read before the extension happened, the same bytes are right.
  EXPECT_TRUE(m.CheckBeforeCrash(Read(0, lost, 4080, Phase::kBeforeCrash, 4)).empty());
}

TEST(PromisedData, HoldsWhenTheFsyncedBytesAreThere) {
  Script s;
  s.Write(0, 4080, 0x5a).Fsync().Write(4080, 100, 0x42).Fsync().Crash();
  CrashModel m(s.history());
  Bytes file = Concat(Fill(4080, 0x5a), Fill(100, 0x42));
  EXPECT_TRUE(m.CheckAfterCrash(Read(0, file, 4180)).empty());
  EXPECT_TRUE(m.CheckSize(4180).empty());
}

TEST(PromisedData, BreaksWhenFsyncedBytesReadAsZero) {
  Script s;
  s.Write(0, 4080, 0x5a).Fsync().Write(4080, 100, 0x42).Fsync().Crash();
  CrashModel m(s.history());
  Bytes file = Concat(Fill(4080, 0x5a), Fill(100, 0));
  auto found = m.CheckAfterCrash(Read(0, file, 4180));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].invariant, Invariant::kPromisedData);
  EXPECT_EQ(found[0].offset, 4080u);
  EXPECT_NE(found[0].evidence.find("fsync (line 4) made 0x42 durable"), std::string::npos)
      << found[0].evidence;
}

TEST(PromisedData, ARangePromiseCoversItsRangeOnly) {
  Script s;
  s.Write(0, 4096, 0x5a).Fsync().Write(4096, 512, 0x42).DsyncRange(4096, 4608)
      .Write(0, 512, 0x11).Crash();
  CrashModel m(s.history());
  // The later, unpromised write at 0 may be lost (old 0x5a) or kept.
  Bytes kept_old = Concat(Fill(4096, 0x5a), Fill(512, 0x42));
  EXPECT_TRUE(m.CheckAfterCrash(Read(0, kept_old, 4608)).empty());
  // The O_DSYNC range must hold its bytes.
  Bytes lost = Concat(Fill(4096, 0x5a), Fill(512, 0));
  auto found = m.CheckAfterCrash(Read(0, lost, 4608));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].invariant, Invariant::kPromisedData);
}

TEST(PromisedData, ALaterPunchMayZeroPromisedBytes) {
  Script s;
  s.Write(0, 8192, 0x5a).Fsync().Punch(0, 4096).Crash();
  CrashModel m(s.history());
  EXPECT_TRUE(m.CheckAfterCrash(Read(0, Fill(8192, 0x5a), 8192)).empty());
  EXPECT_TRUE(m.CheckAfterCrash(Read(0, Concat(Fill(4096, 0), Fill(4096, 0x5a)), 8192)).empty());
  EXPECT_FALSE(m.CheckAfterCrash(Read(0, Fill(8192, 0), 8192)).empty());  // the unpunched half
}

TEST(LegalSize, AnySizeFromTheLastPromiseOn) {
  Script s = AppendCase();
  CrashModel m(s.history());
  EXPECT_TRUE(m.CheckSize(4080).empty());  // the extension lost
  EXPECT_TRUE(m.CheckSize(8192).empty());
  EXPECT_TRUE(m.CheckSize(6000).empty());  // a write grows the size folio by folio
  EXPECT_EQ(m.LegalSizes(), "4080 to 8192");
}

TEST(LegalSize, BreaksOnASizeOlderThanAPromise) {
  Script s;
  s.Write(0, 4096, 0x5a).Fsync().Write(4096, 4096, 0x42).Fsync().Crash();
  CrashModel m(s.history());
  auto found = m.CheckSize(4096);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].invariant, Invariant::kLegalSize);
  EXPECT_NE(found[0].evidence.find("fsync (line 4) made 8192 durable"), std::string::npos)
      << found[0].evidence;
  EXPECT_TRUE(m.CheckSize(8192).empty());
}

TEST(LegalSize, ATruncateIsOneStepNotARange) {
  Script s;
  s.Write(0, 4096, 0x5a).Fsync().Truncate(1 << 20).Crash();
  CrashModel m(s.history());
  EXPECT_TRUE(m.CheckSize(4096).empty());
  EXPECT_TRUE(m.CheckSize(1 << 20).empty());
  EXPECT_FALSE(m.CheckSize(8192).empty());
  EXPECT_EQ(m.LegalSizes(), "4096 or 1048576");
}

TEST(LegalSize, WithoutAnyPromiseTheFileMayBeEmpty) {
  Script s;
  s.Write(0, 100, 0x5a).Crash();
  CrashModel m(s.history());
  EXPECT_TRUE(m.CheckSize(0).empty());
  EXPECT_TRUE(m.CheckSize(100).empty());
  EXPECT_FALSE(m.CheckSize(101).empty());
}

TEST(RangesTouched, CoversWritesAndSizeEdgesAlignedAndCapped) {
  Script s;
  s.Write(0, 100, 0x5a).Truncate(256 << 20).Crash();
  auto r = engine::RangesTouched(s.history(), 4096, 1 << 20);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], (ByteRange{0, 8192}));
  EXPECT_EQ(r[1], (ByteRange{(256u << 20) - 4096, (256u << 20) + 4096}));
  auto capped = engine::RangesTouched(s.history(), 4096, 4096);
  ASSERT_EQ(capped.size(), 1u);
  EXPECT_EQ(capped[0], (ByteRange{0, 4096}));
}

TEST(Invariants, HaveNames) {
  for (Invariant i : kInvariants) EXPECT_STRNE(InvariantName(i), "?");
}

}  // namespace
}  // namespace eofzero::oracles
