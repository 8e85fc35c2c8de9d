#include "scratch/write_log.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
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
  Bytes bytes = Encode({2 << 20, 512, 4096, 0}, SampleRecords(), true);
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
  Bytes bytes = Encode({2 << 20, 512, 4096, 0}, SampleRecords(), false);
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
    auto w = WriteLogWriter::Create(path, {2 << 20, 512, 4096, 0});
    ASSERT_TRUE(w) << w.error().Message();
    for (const auto& r : SampleRecords()) ASSERT_TRUE(w->Append(r));
    ASSERT_TRUE(w->Finish());
  }
  auto read = ReadWriteLog(path);
  ASSERT_TRUE(read) << read.error().Message();
  EXPECT_EQ(read->records, SampleRecords());
  EXPECT_TRUE(read->ended);
}

// A log's bytes with `head` (a record head's bytes before its checksum) and
// `payload` appended as one record with a valid checksum.
Bytes WithRecord(Bytes log, Bytes head, const Bytes& payload) {
  head.resize(kWriteLogRecordHeadBytes, 0);
  head[4] = static_cast<std::uint8_t>(payload.size());
  head[5] = static_cast<std::uint8_t>(payload.size() >> 8);
  Bytes crc_over = head;
  crc_over.insert(crc_over.end(), payload.begin(), payload.end());
  const std::uint32_t crc = static_cast<std::uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), crc_over.data(), static_cast<uInt>(crc_over.size())));
  for (int i = 0; i < 4; ++i) head[24 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  log.insert(log.end(), head.begin(), head.end());
  log.insert(log.end(), payload.begin(), payload.end());
  return log;
}

// A record with a valid checksum and a type no eofzero writes used to be
// called a "checksum mismatch".
TEST(WriteLog, AnUnknownRecordTypeIsNamed) {
  const Bytes log = WithRecord(EncodeHeader({1 << 20, 512, 4096, 0}), {9}, {});
  auto parsed = ParseWriteLog(log);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->damage,
            "record 0 at byte 64: unknown record type 9 (this eofzero reads 1 to 6)");
}

// Records whose stored bytes do not fit what they are, or that change bytes
// past the image, are damage where they are, not surprises later.
TEST(WriteLog, ARecordThatDoesNotFitItsTypeOrTheImageIsDamage) {
  const Bytes header = EncodeHeader({1 << 20, 512, 4096, 0});
  auto damage = [&](Bytes head, const Bytes& payload) {
    auto parsed = ParseWriteLog(WithRecord(header, std::move(head), payload));
    return parsed ? parsed->damage : parsed.error();
  };
  // A write of 4096 bytes (length at byte 16) that stores 3.
  EXPECT_EQ(damage({1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}, {1, 2, 3}),
            "record 0 at byte 64: a write of 4096 bytes stores 3");
  EXPECT_EQ(damage({2}, {1}), "record 0 at byte 64: a barrier stores 1 bytes");
  // A discard of 4096 bytes at 1 MiB - 512 (offset at byte 8).
  EXPECT_EQ(damage({3, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0x0f, 0, 0, 0, 0, 0, 0, 0x10}, {}),
            "record 0 at byte 64: a discard of bytes [1048064, +4096) lies past the image's end "
            "(1048576 bytes)");
}

// A record that says it stores 4 GiB is damage, not an allocation of 4 GiB;
// a 3 GB file of zeros after a valid header used to be read whole first.
TEST(WriteLog, ARecordClaimingMoreThanAnyRecordHoldsIsDamage) {
  Bytes log = EncodeHeader({1 << 20, 512, 4096, 0});
  Bytes head(kWriteLogRecordHeadBytes, 0);
  head[0] = 1;
  for (int i = 4; i < 8; ++i) head[i] = 0xff;
  log.insert(log.end(), head.begin(), head.end());
  auto parsed = ParseWriteLog(log);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->damage,
            "record 0 at byte 64: stores 4294967295 bytes (a record stores at most " +
                std::to_string(kMaxRecordPayloadBytes) + ")");
}

// The header is checked whole: a header size of 0xffffffff used to give
// "0 records, cut short" and exit 0.
TEST(WriteLog, TheHeaderIsCheckedWhole) {
  auto with = [](std::size_t at, std::uint32_t value, int bytes = 4) {
    Bytes h = EncodeHeader({1 << 20, 512, 4096, 0});
    for (int i = 0; i < bytes; ++i) h[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
    const std::uint32_t crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), h.data(), 60));
    for (int i = 0; i < 4; ++i) h[60 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    auto parsed = ParseHeader(h);
    return parsed ? std::string("fine") : parsed.error();
  };
  EXPECT_EQ(with(36, 0), "fine");  // the helper's checksum is right
  EXPECT_EQ(with(12, 0xffffffff), "header size 4294967295; version 1's is 64");
  EXPECT_EQ(with(12, 128), "header size 128; version 1's is 64");
  EXPECT_EQ(with(24, 0), "sector size 0 is not a power of two from 512 to 65536");
  EXPECT_EQ(with(24, 768), "sector size 768 is not a power of two from 512 to 65536");
  EXPECT_EQ(with(28, 1 << 20), "block size 1048576 is not a power of two from 512 to 65536");
  EXPECT_EQ(with(16, 0, 8), "image size 0 is not a whole number of sectors");
  EXPECT_EQ(with(16, 1000), "image size 1000 is not a whole number of sectors");
  EXPECT_EQ(with(32, 1), "base 1 is not known");
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
  const WriteLogHeader header{1 << 20, 512, 4096, 0};
  EXPECT_FALSE(WriteLogWriter::Create((dir.path() / "link.ezlog").string(), header));
  std::ifstream in(victim);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "precious");

  const std::string log = (dir.path() / "ext4-4096.ezlog").string();
  auto first = WriteLogWriter::Create(log, header);
  ASSERT_TRUE(first) << first.error().Message();
  auto second = WriteLogWriter::Create(log, header);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().Message().find("another run"), std::string::npos);
  ASSERT_TRUE(first->Finish());
  auto read = ReadWriteLog(log);
  ASSERT_TRUE(read) << read.error().Message();
  EXPECT_TRUE(read->ended) << "the refused writer truncated the first one's log";
}

// `log show X` while X flipped between a file and a FIFO used to hang now
// and then: the type was checked, then X opened blocking. The reader opens
// without blocking and looks at what it opened (in a child an alarm ends).
TEST(WriteLogReader, AFifoIsRefusedWithoutBlocking) {
  testing::TempDir dir;
  const auto fifo = dir.path() / "x.ezlog";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EXIT(
      {
        ::alarm(10);
        auto reader = WriteLogReader::Open(fifo.string());
        std::exit(!reader && reader.error().Message() ==
                                 fifo.string() + " is a FIFO, not a regular file"
                      ? 0
                      : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

// A log is never written into a file with another name: the victim of a
// hard link planted as DIR/ext4-4096.ezlog used to be overwritten.
TEST(WriteLogWriter, NeverWritesIntoAFileWithAnotherName) {
  testing::TempDir dir;
  const auto victim = dir.path() / "victim";
  { std::ofstream(victim) << "precious"; }
  std::filesystem::create_hard_link(victim, dir.path() / "ext4-4096.ezlog");
  auto w =
      WriteLogWriter::Create((dir.path() / "ext4-4096.ezlog").string(), {1 << 20, 512, 4096, 0});
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().Message().find("has 2 names"), std::string::npos) << w.error().Message();
  std::ifstream in(victim);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "precious");
}

}  // namespace
}  // namespace eofzero::scratch
