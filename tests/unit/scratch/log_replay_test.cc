#include "scratch/log_replay.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <iterator>

#include "os/interrupt.h"
#include "temp_dir.h"

namespace eofzero::scratch {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

LogRecord W(std::uint64_t offset, std::uint8_t byte) {
  return WriteRecord(offset, Bytes(512, byte));
}
LogRecord Barrier() { return {RecordType::kBarrier, 0, 0, 0, {}}; }
LogRecord Step(const std::string& text) {
  return {RecordType::kStep, 0, 0, 0, Bytes(text.begin(), text.end())};
}

// Records: 0 step, 1 W, 2 W, 3 barrier 1, 4 W, 5 discard, 6 W, 7 barrier 2, 8 W.
ParsedLog Sample() {
  ParsedLog log;
  log.header = {8192, 512, 4096, 0};
  log.records = {Step("a"), W(0, 1),     W(512, 2), Barrier(),
                 W(1024, 3), {RecordType::kDiscard, 0, 0, 512, {}},
                 W(1536, 4), Barrier(), W(2048, 5)};
  log.ended = true;
  return log;
}

TEST(StateAddress, ParsesBarriersSubsetsAndFinal) {
  EXPECT_EQ(ParseStateAddress("final").value(), (StateAddress{true, 0, std::nullopt}));
  EXPECT_EQ(ParseStateAddress("3").value(), (StateAddress{false, 3, std::nullopt}));
  // An empty subset is refused ("1:" used to be accepted), and printed as K.
  EXPECT_EQ(ParseStateAddress("3:").error(),
            "state '3:': the subset after ':' is empty (state 3 itself is '3')");
  EXPECT_EQ(StateAddressText({false, 3, std::vector<SubsetItem>{}}), "3");
  EXPECT_EQ(ParseStateAddress("2:5,0,2-3,3").value(),
            (StateAddress{false, 2, std::vector<SubsetItem>{{0, {}}, {2, {}}, {3, {}}, {5, {}}}}));
  EXPECT_EQ(StateAddressText(ParseStateAddress("2:5,0,2-3").value()), "2:0,2-3,5");
  // The last number a u64 holds, as a change and as a sector: no loop wraps.
  EXPECT_EQ(ParseStateAddress("1:18446744073709551615").value(),
            (StateAddress{false, 1, std::vector<SubsetItem>{{18446744073709551615u, {}}}}));
  EXPECT_EQ(ParseStateAddress("1:0@18446744073709551614-18446744073709551615").value(),
            (StateAddress{false, 1,
                          std::vector<SubsetItem>{
                              {0, {18446744073709551614u, 18446744073709551615u}}}}));
  for (const char* bad : {"", "x", "-1", "1:", "final:", "1:a", "1:3-2", "1:1,", "1:,1", "1x",
                          "1:0-99999999", "1:1@", "1:1-2@0", "1:1@3-2", "1:@1"})
    EXPECT_FALSE(ParseStateAddress(bad)) << bad;
}

TEST(StateAddress, ATornWriteNamesTheSectorsThatPersisted) {
  EXPECT_EQ(ParseStateAddress("4:1@0-2,1@5,0").value(),
            (StateAddress{false, 4, std::vector<SubsetItem>{{0, {}}, {1, {0, 1, 2, 5}}}}));
  EXPECT_EQ(ParseStateAddress("4:1@0,1").value(),  // the whole write wins over a part of it
            (StateAddress{false, 4, std::vector<SubsetItem>{{1, {}}}}));
  EXPECT_EQ(StateAddressText(ParseStateAddress("4:1@0-2,1@5,0").value()), "4:0,1@0-2,1@5");
  EXPECT_EQ(StateAddressText(ParseStateAddress("4:1@5").value()), "4:1@5");
}

std::vector<std::size_t> Changes(const std::string& state) {
  auto changes = ChangesOfState(Sample(), ParseStateAddress(state).value());
  EXPECT_TRUE(changes) << state << ": " << changes.error();
  std::vector<std::size_t> records;
  for (const auto& c : changes.value_or(std::vector<AppliedChange>{})) records.push_back(c.record);
  return records;
}

TEST(StateAddress, AStateIsEveryChangeBeforeItsBarrierPlusTheChosenOnesAfter) {
  EXPECT_EQ(BarrierCount(Sample()), 2u);
  EXPECT_EQ(Changes("0"), (std::vector<std::size_t>{}));
  EXPECT_EQ(Changes("1"), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(Changes("2"), (std::vector<std::size_t>{1, 2, 4, 5, 6}));
  EXPECT_EQ(Changes("final"), (std::vector<std::size_t>{1, 2, 4, 5, 6, 8}));
  EXPECT_EQ(Changes("1:0,2"), (std::vector<std::size_t>{1, 2, 4, 6}));
  EXPECT_EQ(Changes("0:1"), (std::vector<std::size_t>{2}));
  EXPECT_EQ(Changes("2:0"), (std::vector<std::size_t>{1, 2, 4, 5, 6, 8}));
  EXPECT_EQ(ChangesOfState(Sample(), {false, 3, std::nullopt}).error(),
            "barrier 3 is past the log's last (2)");
  EXPECT_EQ(ChangesOfState(Sample(), ParseStateAddress("1:3").value()).error(),
            "epoch 1 has 3 changes; no change 3");
}

TEST(StateAddress, ReplayWritesTheStateAsASparseImage) {
  testing::TempDir dir;
  const std::string out = (dir.path() / "s.img").string();
  ASSERT_TRUE(ReplayState(Sample(), ParseStateAddress("1:1,2").value(), out));
  std::string bytes = ReadAll(out);
  ASSERT_EQ(bytes.size(), 8192u);
  EXPECT_EQ(bytes.substr(0, 512), std::string(512, '\0'));  // written, then discarded
  EXPECT_EQ(bytes.substr(512, 512), std::string(512, '\2'));
  EXPECT_EQ(bytes.substr(1024, 512), std::string(512, '\0'));  // change 0 of epoch 1: not chosen
  EXPECT_EQ(bytes.substr(1536, 512), std::string(512, '\4'));
  EXPECT_FALSE(ReplayState(Sample(), ParseStateAddress("1").value(), out)) << "overwrote";
}

TEST(StateAddress, ATornWriteAppliesOnlyItsSectors) {
  ParsedLog log = Sample();
  log.records.push_back(Barrier());  // barrier 3, then a 4-sector write in epoch 3
  Bytes data(2048);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(1 + i / 512);
  log.records.push_back(WriteRecord(4096, data));
  testing::TempDir dir;
  const std::string out = (dir.path() / "t.img").string();
  ASSERT_TRUE(ReplayState(log, ParseStateAddress("3:0@1,0@3").value(), out));
  const std::string bytes = ReadAll(out);
  EXPECT_TRUE(bytes.substr(4096, 512) == std::string(512, '\0'));
  EXPECT_TRUE(bytes.substr(4608, 512) == std::string(512, '\2'));
  EXPECT_TRUE(bytes.substr(5120, 512) == std::string(512, '\0'));
  EXPECT_TRUE(bytes.substr(5632, 512) == std::string(512, '\4'));
  EXPECT_EQ(ChangesOfState(log, ParseStateAddress("3:0@4").value()).error(),
            "change 0 of epoch 3 has 4 sectors; no sector 4");
  EXPECT_EQ(ChangesOfState(log, ParseStateAddress("1:1@0").value()).error(),
            "change 1 of epoch 1 is a discard, not a write to tear");
  // Sector numbers whose byte offset passes 2^64 are past the end too: the
  // check used to multiply, wrap, and let sector 2^55 write sector 0 (and
  // 2^55-1 copy heap memory into the image).
  EXPECT_EQ(ChangesOfState(log, ParseStateAddress("3:0@36028797018963968").value()).error(),
            "change 0 of epoch 3 has 4 sectors; no sector 36028797018963968");
  EXPECT_EQ(
      ChangesOfState(log, ParseStateAddress("3:0@36028797018963967-36028797018963968").value())
          .error(),
      "change 0 of epoch 3 has 4 sectors; no sector 36028797018963967");
}

// A replay that fails half way (here: a write whose payload does not match
// its length, after one that was applied) leaves no partial image under the
// name asked for, nor anything else: a retry used to say "exists".
TEST(StateAddress, AReplayThatFailsLeavesNothing) {
  ParsedLog log = Sample();
  LogRecord bad = W(4096, 7);
  bad.length = 1024;
  log.records.push_back(bad);
  testing::TempDir dir;
  const std::string out = (dir.path() / "s.img").string();
  auto replayed = ReplayState(log, ParseStateAddress("final").value(), out);
  ASSERT_FALSE(replayed);
  EXPECT_EQ(replayed.error().Message(), "record 9: payload and length differ");
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "a partial image was left";
  ASSERT_TRUE(ReplayState(Sample(), ParseStateAddress("final").value(), out)) << "the retry";
}

// SIGINT, SIGTERM or SIGHUP during a replay unwind it and leave nothing
// (in a child: the signal handlers are the whole process's).
TEST(StateAddress, AnInterruptedReplayLeavesNothing) {
  testing::TempDir dir;
  const std::string out = (dir.path() / "s.img").string();
  EXPECT_EXIT(
      {
        os::InstallInterruptHandlers();
        ::raise(SIGTERM);
        auto replayed = ReplayState(Sample(), ParseStateAddress("final").value(), out);
        const bool ok = !replayed && replayed.error().kind == os::ErrorKind::kInterrupted &&
                        std::filesystem::is_empty(dir.path());
        std::exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

// The replay of a log as it streams from a reader is the replay of the
// whole log in memory.
TEST(StateAddress, AReplayFromAStreamIsTheReplayOfTheWholeLog) {
  const ParsedLog log = Sample();
  Bytes bytes = EncodeHeader(log.header);
  for (const auto& r : log.records) {
    const Bytes b = EncodeRecord(r);
    bytes.insert(bytes.end(), b.begin(), b.end());
  }
  testing::TempDir dir;
  for (const char* state : {"0", "1", "1:0,2", "2", "final", "2:0"}) {
    const std::string whole = (dir.path() / (std::string(state) + ".whole")).string();
    const std::string streamed = (dir.path() / (std::string(state) + ".streamed")).string();
    ASSERT_TRUE(ReplayState(log, ParseStateAddress(state).value(), whole)) << state;
    auto reader = WriteLogReader::FromBytes(bytes);
    ASSERT_TRUE(reader) << reader.error();
    ASSERT_TRUE(ReplayState(*reader, ParseStateAddress(state).value(), streamed)) << state;
    EXPECT_TRUE(ReadAll(whole) == ReadAll(streamed)) << state;
  }
  auto reader = WriteLogReader::FromBytes(bytes);
  auto past = ReplayState(*reader, ParseStateAddress("3").value(), (dir.path() / "past").string());
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().Message(), "barrier 3 is past the log's last (2)");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "past"));
}

// A log whose one change is a 4 KiB write at 8192 (8 sectors of 512), after barrier 1.
ParsedLog OneWrite() {
  ParsedLog log;
  log.header = {16384, 512, 4096, 0};
  log.records = {Barrier(), WriteRecord(8192, Bytes(4096, 0xab))};
  log.ended = true;
  return log;
}

// 2^55 sectors of 512 bytes are 2^64 bytes: a product of the two wraps to 0.
TEST(StateAddress, EverySectorOfATornWriteIsCheckedWithoutOverflow) {
  const ParsedLog log = OneWrite();
  for (const auto& [state, bad] : std::vector<std::pair<std::string, std::string>>{
           {"1:0@36028797018963967-36028797018963968", "36028797018963967"},
           {"1:0@36028797018963968", "36028797018963968"},
           {"1:0@18446744073709551615", "18446744073709551615"},
           {"1:0@7-8", "8"}}) {
    SCOPED_TRACE(state);
    auto changes = ChangesOfState(log, ParseStateAddress(state).value());
    ASSERT_FALSE(changes);
    EXPECT_EQ(changes.error(), "change 0 of epoch 1 has 8 sectors; no sector " + bad);
    testing::TempDir dir;
    const auto out = dir.path() / "o.img";
    EXPECT_FALSE(ReplayState(log, ParseStateAddress(state).value(), out.string()));
    EXPECT_FALSE(std::filesystem::exists(out)) << "an image was written";
  }
  EXPECT_TRUE(ChangesOfState(log, ParseStateAddress("1:0@0-7").value()));
}

TEST(StateAddress, SectorBytesNeverWraps) {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(SectorCount(4096, 512), 8u);
  EXPECT_EQ(SectorCount(4100, 512), 9u);
  EXPECT_EQ(SectorCount(max, 512), max / 512 + 1);
  EXPECT_EQ(SectorBytes(7, 4096, 512), (ByteRange{3584, 4096}));
  EXPECT_EQ(SectorBytes(8, 4100, 512), (ByteRange{4096, 4100}));
  EXPECT_EQ(SectorBytes(8, 4096, 512), std::nullopt);
  EXPECT_EQ(SectorBytes(std::uint64_t{1} << 55, 4096, 512), std::nullopt);
  EXPECT_EQ(SectorBytes(max, 4096, 512), std::nullopt);
  EXPECT_EQ(SectorBytes(max / 512, max, 512), (ByteRange{max / 512 * 512, max}));
  EXPECT_EQ(SectorBytes(max / 512 + 1, max, 512), std::nullopt);
  EXPECT_EQ(LogSectorSize({16384, 0, 4096, 0}), 512u);
  EXPECT_EQ(LogSectorSize({16384, 4096, 4096, 0}), 4096u);
}

}  // namespace
}  // namespace eofzero::scratch
