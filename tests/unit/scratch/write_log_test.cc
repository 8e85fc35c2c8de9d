#include "scratch/write_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "temp_dir.h"

namespace eofzero::scratch {
namespace {

std::vector<LogRecord> SampleRecords() {
  Bytes data(4096, 0x5a);
  data[100] = 0;
  return {
      {RecordType::kStep, 0, 1, 0, Bytes{'m', 'k', 'f', 's'}},
      WriteRecord(8192, data),
      WriteRecord(0, Bytes(1024, 0)),
      {RecordType::kBarrier, kBarrierData, 0, 0, {}},
      {RecordType::kDiscard, 0, 1 << 20, 65536, {}},
      {RecordType::kZeroRange, 0, 4096, 512, {}},
      {RecordType::kBarrier, 0, 0, 0, {}},
  };
}

Bytes Encode(const WriteLogHeader& header, const std::vector<LogRecord>& records, bool end) {
  Bytes out = EncodeHeader(header);
  for (const auto& r : records) {
    Bytes b = EncodeRecord(r);
    out.insert(out.end(), b.begin(), b.end());
  }
  if (end) {
    Bytes b = EncodeRecord({RecordType::kEnd, 0, 0, 0, {}});
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

TEST(WriteLog, RoundTripsHeaderAndRecords) {
  const WriteLogHeader header{256 << 20, 4096, 1024, 0};
  auto parsed = ParseWriteLog(Encode(header, SampleRecords(), true));
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->header, header);
  EXPECT_EQ(parsed->records, SampleRecords());
  EXPECT_TRUE(parsed->ended);
  EXPECT_EQ(parsed->damage, "");
}

TEST(WriteLog, AnAllZeroWriteStoresNoPayload) {
  LogRecord r = WriteRecord(0, Bytes(4096, 0));
  EXPECT_EQ(r.flags, kWriteZeros);
  EXPECT_TRUE(r.payload.empty());
  EXPECT_EQ(r.length, 4096u);
  EXPECT_EQ(EncodeRecord(r).size(), kWriteLogRecordHeadBytes);
}

TEST(WriteLog, AFlippedByteIsDamageAndNothingAfterItIsRead) {
  Bytes bytes = Encode({1 << 20, 512, 4096, 0}, SampleRecords(), true);
  // The payload of the second record (the 4096-byte write).
  const std::size_t second = kWriteLogHeaderBytes + kWriteLogRecordHeadBytes + 4;
  bytes[second + kWriteLogRecordHeadBytes + 7] ^= 1;
  auto parsed = ParseWriteLog(bytes);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->records.size(), 1u);
  EXPECT_FALSE(parsed->ended);
  EXPECT_EQ(parsed->damage, "record 1 at byte " + std::to_string(second) + ": checksum mismatch");
}

TEST(WriteLog, ALogCutShortKeepsWhatCameBefore) {
  Bytes bytes = Encode({1 << 20, 512, 4096, 0}, SampleRecords(), false);
  bytes.resize(bytes.size() - 10);
  auto parsed = ParseWriteLog(bytes);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->records.size(), SampleRecords().size() - 1);
  EXPECT_FALSE(parsed->ended);
  EXPECT_NE(parsed->damage.find("cut short"), std::string::npos) << parsed->damage;
}

TEST(WriteLog, RefusesWhatIsNotALogOrAnotherVersion) {
  EXPECT_FALSE(ParseWriteLog(Bytes(100, 'x')));
  Bytes header = EncodeHeader({1 << 20, 512, 4096, 0});
  header[20] ^= 1;  // the image size, under the header's checksum
  EXPECT_EQ(ParseWriteLog(header).error(), "the header's checksum does not match");
}

TEST(WriteLog, TheWriterWritesWhatTheParserReads) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "w.ezlog").string();
  {
    auto w = WriteLogWriter::Create(path, {1 << 20, 512, 4096, 0});
    ASSERT_TRUE(w) << w.error().Message();
    for (const auto& r : SampleRecords()) ASSERT_TRUE(w->Append(r));
    ASSERT_TRUE(w->Finish());
  }
  auto read = ReadWriteLog(path);
  ASSERT_TRUE(read) << read.error().Message();
  EXPECT_EQ(read->records, SampleRecords());
  EXPECT_TRUE(read->ended);
}

}  // namespace
}  // namespace eofzero::scratch

namespace eofzero::scratch {
namespace {

// A log is never written through a symbolic link (a root run must not
// clobber what one points at), and one log takes one recording at a time.
TEST(WriteLogWriter, NeverWritesThroughALinkNorIntoALogInUse) {
  testing::TempDir dir;
  const auto victim = dir.path() / "victim";
  { std::ofstream(victim) << "precious"; }
  std::filesystem::create_symlink(victim, dir.path() / "link.ezlog");
  EXPECT_FALSE(WriteLogWriter::Create((dir.path() / "link.ezlog").string(), {}));
  std::ifstream in(victim);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "precious");

  const std::string log = (dir.path() / "ext4-4096.ezlog").string();
  auto first = WriteLogWriter::Create(log, {});
  ASSERT_TRUE(first) << first.error().Message();
  auto second = WriteLogWriter::Create(log, {});
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().Message().find("another run"), std::string::npos);
  ASSERT_TRUE(first->Finish());
  auto read = ReadWriteLog(log);
  ASSERT_TRUE(read) << read.error().Message();
  EXPECT_TRUE(read->ended) << "the refused writer truncated the first one's log";
}

// A log is never written into a file with another name: the victim of a
// hard link planted as DIR/ext4-4096.ezlog used to be overwritten.
TEST(WriteLogWriter, NeverWritesIntoAFileWithAnotherName) {
  testing::TempDir dir;
  const auto victim = dir.path() / "victim";
  { std::ofstream(victim) << "precious"; }
  std::filesystem::create_hard_link(victim, dir.path() / "ext4-4096.ezlog");
  auto w = WriteLogWriter::Create((dir.path() / "ext4-4096.ezlog").string(), {1 << 20, 512, 4096, 0});
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().Message().find("has 2 names"), std::string::npos) << w.error().Message();
  std::ifstream in(victim);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "precious");
}

}  // namespace
}  // namespace eofzero::scratch
