// The write log: what a recording scratch device (scratch/recording_device.h)
// saw, in the order it saw it — every block write with its payload, every
// flush (a barrier), every discard and zero-range, and which case step was
// running. A file format of eofzero's own (version 1), little-endian:
//
//   header, 64 bytes:
//     0  magic "EOFZWLOG"          8  version (u32) = 1      12 header size (u32) = 64
//     16 image bytes (u64)         24 sector size (u32)      28 fs block size (u32)
//     32 base (u32): 0 = the image was all zeros when the log began (the
//        recorder starts before mkfs, so mkfs's own writes are in the log and
//        the log alone rebuilds every state; other values are reserved)
//     36 reserved, zero (24 bytes)  60 CRC-32 of bytes 0..59 (u32)
//   records, each a 32-byte head and a payload:
//     0  type (u8): 1 write, 2 barrier, 3 discard, 4 zero-range, 5 step, 6 end
//     1  flags (u8): write: 1 = the payload is all zeros and is not stored;
//                    barrier: 1 = fdatasync
//     2  reserved (u16)             4  stored payload bytes (u32)
//     8  offset (u64)               16 length (u64)
//     24 CRC-32 of the head (this field zero) and the stored payload (u32)
//     28 reserved (u32)
//   write: offset and length in image bytes, payload the bytes (or none, see
//   flags); discard and zero-range: the range reads as zeros after it; step:
//   offset is the step's sequence number, payload its text ("ext4-4096
//   truncate_up:12: truncate {eof}+1"); end: the recorder closed the log
//   cleanly (a log without one was cut short: what is there still counts).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "os/bytes.h"
#include "os/error.h"
#include "os/unique_fd.h"

namespace eofzero::scratch {

inline constexpr std::uint32_t kWriteLogVersion = 1;
inline constexpr std::size_t kWriteLogHeaderBytes = 64;
inline constexpr std::size_t kWriteLogRecordHeadBytes = 32;

struct WriteLogHeader {
  std::uint64_t image_bytes = 0;
  std::uint32_t sector_size = 512;
  std::uint32_t block_size = 4096;
  std::uint32_t base = 0;  // 0: all zeros
  bool operator==(const WriteLogHeader&) const = default;
};

enum class RecordType : std::uint8_t {
  kWrite = 1,
  kBarrier = 2,
  kDiscard = 3,
  kZeroRange = 4,
  kStep = 5,
  kEnd = 6,
};
// "write", "barrier", ...
const char* RecordTypeName(RecordType type);

inline constexpr std::uint8_t kWriteZeros = 1;   // flags of a write
inline constexpr std::uint8_t kBarrierData = 1;  // flags of a barrier (fdatasync)

struct LogRecord {
  RecordType type = RecordType::kWrite;
  std::uint8_t flags = 0;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  Bytes payload;  // a write's bytes (empty when kWriteZeros), a step's text
  // Whether the record changes the image's bytes (write, discard, zero-range).
  bool ChangesImage() const {
    return type == RecordType::kWrite || type == RecordType::kDiscard ||
           type == RecordType::kZeroRange;
  }
  bool operator==(const LogRecord&) const = default;
};

// Pure: the bytes of a header and of a record as the file holds them.
Bytes EncodeHeader(const WriteLogHeader& header);
Bytes EncodeRecord(const LogRecord& record);
// A write record for `data` at `offset` (payload left out when all zeros).
LogRecord WriteRecord(std::uint64_t offset, ByteView data);

// The most a record stores after its head: more than any record eofzero
// writes (a write is at most 1 MiB, a step's text at most 4000 bytes). A
// record that says it stores more is damage, so reading a log never needs
// more memory than this, whatever the file says.
inline constexpr std::uint32_t kMaxRecordPayloadBytes = 16u << 20;

// Pure: the header at the start of `bytes`, checked: the magic, the
// checksum, the version, the header size (64), the base (0), a sector size
// and a block size that are powers of two from 512 to 65536, and an image
// size that is a whole number of sectors. The error says what is wrong.
std::expected<WriteLogHeader, std::string> ParseHeader(ByteView bytes);

// Reads a log's records in log order, one at a time: it holds the record it
// returns and a read buffer, never the log, so its memory is bounded by the
// largest record (kMaxRecordPayloadBytes), not by the file.
class WriteLogReader {
 public:
  // The log at `path`: a regular file (os::OpenInputFile: never a FIFO or a
  // device, never blocking), its header read and checked. kInvalid when it
  // is not a write log this eofzero reads ("PATH: the header's checksum ...").
  static os::Result<WriteLogReader> Open(const std::string& path);
  // The log held in `bytes`, which must outlive the reader.
  static std::expected<WriteLogReader, std::string> FromBytes(ByteView bytes);

  const WriteLogHeader& header() const { return header_; }
  // The next record into `record`; false at the log's end: its end record
  // (ended()), the end of the bytes, or a damaged record (damage() says
  // where and why; nothing after it is read). Damage is a record that is cut
  // short, fails its checksum, has an unknown type, stores a payload that
  // does not fit its type and length, or changes bytes past the image's end.
  // An error only when the file cannot be read.
  os::Result<bool> Next(LogRecord& record);
  bool ended() const { return ended_; }
  const std::string& damage() const { return damage_; }
  // How many records Next has returned.
  std::uint64_t records() const { return records_; }

 private:
  WriteLogReader() = default;
  // Up to `n` bytes from byte `at` of the log (fewer only at its end); valid
  // until the next call.
  os::Result<ByteView> Peek(std::uint64_t at, std::size_t n);
  // Why the record at `at` with this head and payload is damage, or "".
  std::string Damage(ByteView head, ByteView payload) const;

  std::string path_;
  os::UniqueFd fd_;  // a file, or
  ByteView memory_;  // bytes in memory
  Bytes buffer_;     // the file's bytes [buffer_at_, + size)
  std::uint64_t buffer_at_ = 0;
  WriteLogHeader header_;
  std::uint64_t at_ = kWriteLogHeaderBytes;  // the next record's first byte
  std::uint64_t records_ = 0;
  bool ended_ = false;
  bool stopped_ = false;
  std::string damage_;
};

// A whole log in memory: what WriteLogReader reads, every record kept.
// Records after a damaged or cut record are not read: `damage` says where
// and why ("" when none).
struct ParsedLog {
  WriteLogHeader header;
  std::vector<LogRecord> records;
  bool ended = false;  // the end record was reached
  std::string damage;
};
// Pure: the log in `bytes`, parsed.
std::expected<ParsedLog, std::string> ParseWriteLog(ByteView bytes);
// The log at `path`, read whole (it holds every payload: for the run's own
// logs, whose crash states are served from them): kInvalid when it is not a
// write log.
os::Result<ParsedLog> ReadWriteLog(const std::string& path);

// Appends records to a log file through a buffer; Finish() writes the end
// record and everything buffered. Writes the header on Create.
class WriteLogWriter {
 public:
  static os::Result<WriteLogWriter> Create(const std::string& path, const WriteLogHeader& header);
  WriteLogWriter(WriteLogWriter&&) noexcept = default;
  WriteLogWriter& operator=(WriteLogWriter&&) noexcept = default;

  os::Status Append(const LogRecord& record);
  os::Status Flush();
  os::Status Finish();
  int fd() const { return fd_.get(); }
  std::uint64_t records() const { return records_; }

 private:
  WriteLogWriter(std::string path, os::UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
  std::string path_;
  os::UniqueFd fd_;
  std::uint64_t offset_ = 0;
  Bytes buffer_;
  std::uint64_t records_ = 0;
};

}  // namespace eofzero::scratch
