#include "scratch/write_log.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "os/file_io.h"
#include "os/user_files.h"

namespace eofzero::scratch {
namespace {

constexpr char kMagic[8] = {'E', 'O', 'F', 'Z', 'W', 'L', 'O', 'G'};
constexpr std::size_t kBufferBytes = 4 << 20;

void Put(Bytes& out, std::size_t at, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

std::uint64_t Get(ByteView in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<std::uint64_t>(in[at + i]) << (8 * i);
  return v;
}

std::uint32_t Crc(ByteView a, ByteView b = {}) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, a.data(), static_cast<uInt>(a.size()));
  if (!b.empty()) crc = crc32(crc, b.data(), static_cast<uInt>(b.size()));
  return static_cast<std::uint32_t>(crc);
}

bool AllZero(ByteView data) {
  return std::all_of(data.begin(), data.end(), [](std::uint8_t b) { return b == 0; });
}

bool KnownType(std::uint8_t t) { return t >= 1 && t <= 6; }

}  // namespace

const char* RecordTypeName(RecordType type) {
  switch (type) {
    case RecordType::kWrite: return "write";
    case RecordType::kBarrier: return "barrier";
    case RecordType::kDiscard: return "discard";
    case RecordType::kZeroRange: return "zero-range";
    case RecordType::kStep: return "step";
    case RecordType::kEnd: return "end";
  }
  return "?";
}

Bytes EncodeHeader(const WriteLogHeader& header) {
  Bytes out(kWriteLogHeaderBytes, 0);
  std::memcpy(out.data(), kMagic, sizeof kMagic);
  Put(out, 8, kWriteLogVersion, 4);
  Put(out, 12, kWriteLogHeaderBytes, 4);
  Put(out, 16, header.image_bytes, 8);
  Put(out, 24, header.sector_size, 4);
  Put(out, 28, header.block_size, 4);
  Put(out, 32, header.base, 4);
  Put(out, 60, Crc(ByteView(out).first(60)), 4);
  return out;
}

Bytes EncodeRecord(const LogRecord& record) {
  Bytes out(kWriteLogRecordHeadBytes + record.payload.size(), 0);
  out[0] = static_cast<std::uint8_t>(record.type);
  out[1] = record.flags;
  Put(out, 4, record.payload.size(), 4);
  Put(out, 8, record.offset, 8);
  Put(out, 16, record.length, 8);
  std::copy(record.payload.begin(), record.payload.end(), out.begin() + kWriteLogRecordHeadBytes);
  Put(out, 24, Crc(out), 4);  // over the head with the field zero, and the payload
  return out;
}

LogRecord WriteRecord(std::uint64_t offset, ByteView data) {
  LogRecord r{RecordType::kWrite, 0, offset, data.size(), {}};
  if (AllZero(data))
    r.flags = kWriteZeros;
  else
    r.payload.assign(data.begin(), data.end());
  return r;
}

namespace {

bool PowerOfTwoIn(std::uint64_t v, std::uint64_t low, std::uint64_t high) {
  return v >= low && v <= high && (v & (v - 1)) == 0;
}

}  // namespace

std::expected<WriteLogHeader, std::string> ParseHeader(ByteView bytes) {
  if (bytes.size() < kWriteLogHeaderBytes || std::memcmp(bytes.data(), kMagic, 8) != 0)
    return std::unexpected("not an eofzero write log (no EOFZWLOG header)");
  if (Get(bytes, 60, 4) != Crc(bytes.first(60)))
    return std::unexpected("the header's checksum does not match");
  if (Get(bytes, 8, 4) != kWriteLogVersion)
    return std::unexpected("write log version " + std::to_string(Get(bytes, 8, 4)) +
                           "; this eofzero reads version " + std::to_string(kWriteLogVersion));
  if (Get(bytes, 12, 4) != kWriteLogHeaderBytes)
    return std::unexpected("header size " + std::to_string(Get(bytes, 12, 4)) + "; version " +
                           std::to_string(kWriteLogVersion) + "'s is " +
                           std::to_string(kWriteLogHeaderBytes));
  const WriteLogHeader header{Get(bytes, 16, 8), static_cast<std::uint32_t>(Get(bytes, 24, 4)),
                              static_cast<std::uint32_t>(Get(bytes, 28, 4)),
                              static_cast<std::uint32_t>(Get(bytes, 32, 4))};
  if (header.base != 0)
    return std::unexpected("base " + std::to_string(header.base) + " is not known");
  if (!PowerOfTwoIn(header.sector_size, 512, 65536))
    return std::unexpected("sector size " + std::to_string(header.sector_size) +
                           " is not a power of two from 512 to 65536");
  if (!PowerOfTwoIn(header.block_size, 512, 65536))
    return std::unexpected("block size " + std::to_string(header.block_size) +
                           " is not a power of two from 512 to 65536");
  if (header.image_bytes == 0 || header.image_bytes % header.sector_size != 0)
    return std::unexpected("image size " + std::to_string(header.image_bytes) +
                           " is not a whole number of sectors");
  return header;
}

os::Result<WriteLogReader> WriteLogReader::Open(const std::string& path) {
  WriteLogReader reader;
  reader.path_ = path;
  EOFZERO_ASSIGN_OR_RETURN(reader.fd_, os::OpenInputFile(path));
  EOFZERO_ASSIGN_OR_RETURN(ByteView head, reader.Peek(0, kWriteLogHeaderBytes));
  auto header = ParseHeader(head);
  if (!header) return os::Fail(os::ErrorKind::kInvalid, path + ": " + header.error());
  reader.header_ = *header;
  return reader;
}

std::expected<WriteLogReader, std::string> WriteLogReader::FromBytes(ByteView bytes) {
  auto header = ParseHeader(bytes);
  if (!header) return std::unexpected(header.error());
  WriteLogReader reader;
  reader.memory_ = bytes;
  reader.header_ = *header;
  return reader;
}

os::Result<ByteView> WriteLogReader::Peek(std::uint64_t at, std::size_t n) {
  if (!fd_.valid()) {
    if (at >= memory_.size()) return ByteView();
    return memory_.subspan(at, std::min<std::uint64_t>(n, memory_.size() - at));
  }
  if (at >= buffer_at_ && at - buffer_at_ + n <= buffer_.size())
    return ByteView(buffer_).subspan(at - buffer_at_, n);
  // Refill from `at`: at least a chunk, so that small records cost no call each.
  buffer_.resize(std::max<std::size_t>(n, kBufferBytes / 4));
  buffer_at_ = at;
  std::size_t got = 0;
  while (got < buffer_.size()) {
    const ssize_t r = ::pread(fd_.get(), buffer_.data() + got, buffer_.size() - got,
                              static_cast<off_t>(at + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      buffer_.clear();
      return os::FailErrno("read " + os::RangeContext(path_, at, n));
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  buffer_.resize(got);
  return ByteView(buffer_).first(std::min(n, got));
}

std::string WriteLogReader::Damage(ByteView head, ByteView payload) const {
  Bytes zeroed(head.begin(), head.end());
  Put(zeroed, 24, 0, 4);
  if (Get(head, 24, 4) != Crc(zeroed, payload)) return "checksum mismatch";
  const std::uint8_t type = head[0];
  if (!KnownType(type))
    return "unknown record type " + std::to_string(type) + " (this eofzero reads 1 to 6)";
  const LogRecord r{static_cast<RecordType>(type), head[1], Get(head, 8, 8), Get(head, 16, 8), {}};
  const std::string what = std::string("a ") + RecordTypeName(r.type);
  if (r.type == RecordType::kWrite) {
    const std::uint64_t expected = (r.flags & kWriteZeros) ? 0 : r.length;
    if (payload.size() != expected)
      return what + " of " + std::to_string(r.length) + " bytes" +
             ((r.flags & kWriteZeros) ? " of zeros" : "") + " stores " +
             std::to_string(payload.size());
  } else if (r.type != RecordType::kStep && !payload.empty()) {
    return what + " stores " + std::to_string(payload.size()) + " bytes";
  }
  if (r.ChangesImage() &&
      (r.offset > header_.image_bytes || r.length > header_.image_bytes - r.offset))
    return what + " of " + os::RangeContext("bytes", r.offset, r.length) +
           " lies past the image's end (" + std::to_string(header_.image_bytes) + " bytes)";
  return "";
}

os::Result<bool> WriteLogReader::Next(LogRecord& record) {
  if (stopped_) return false;
  const std::string where =
      "record " + std::to_string(records_) + " at byte " + std::to_string(at_);
  auto stop = [&](const std::string& why) {
    stopped_ = true;
    if (!why.empty()) damage_ = where + ": " + why;
    return false;
  };
  EOFZERO_ASSIGN_OR_RETURN(ByteView head_view, Peek(at_, kWriteLogRecordHeadBytes));
  if (head_view.empty()) return stop("");  // the end of the bytes, between records
  if (head_view.size() < kWriteLogRecordHeadBytes) return stop("cut short");
  const Bytes head(head_view.begin(), head_view.end());  // Peek again may move the buffer
  const std::uint64_t stored = Get(head, 4, 4);
  if (stored > kMaxRecordPayloadBytes)
    return stop("stores " + std::to_string(stored) + " bytes (a record stores at most " +
                std::to_string(kMaxRecordPayloadBytes) + ")");
  EOFZERO_ASSIGN_OR_RETURN(ByteView payload, Peek(at_ + kWriteLogRecordHeadBytes, stored));
  if (payload.size() < stored) return stop("cut short");
  if (auto why = Damage(head, payload); !why.empty()) return stop(why);
  record.type = static_cast<RecordType>(head[0]);
  record.flags = head[1];
  record.offset = Get(head, 8, 8);
  record.length = Get(head, 16, 8);
  record.payload.assign(payload.begin(), payload.end());
  at_ += kWriteLogRecordHeadBytes + stored;
  if (record.type == RecordType::kEnd) {
    ended_ = true;
    return stop("");
  }
  ++records_;
  return true;
}

namespace {

os::Result<ParsedLog> CollectRecords(WriteLogReader& reader) {
  ParsedLog log;
  log.header = reader.header();
  for (LogRecord r;;) {
    EOFZERO_ASSIGN_OR_RETURN(bool more, reader.Next(r));
    if (!more) break;
    log.records.push_back(std::move(r));
    r = LogRecord();
  }
  log.ended = reader.ended();
  log.damage = reader.damage();
  return log;
}

}  // namespace

std::expected<ParsedLog, std::string> ParseWriteLog(ByteView bytes) {
  auto reader = WriteLogReader::FromBytes(bytes);
  if (!reader) return std::unexpected(reader.error());
  auto log = CollectRecords(*reader);
  if (!log) return std::unexpected(log.error().Message());  // never: bytes in memory
  return std::move(*log);
}

os::Result<ParsedLog> ReadWriteLog(const std::string& path) {
  EOFZERO_ASSIGN_OR_RETURN(WriteLogReader reader, WriteLogReader::Open(path));
  return CollectRecords(reader);
}

os::Result<WriteLogWriter> WriteLogWriter::Create(const std::string& path,
                                                  const WriteLogHeader& header) {
  // Only a regular file with one name, never through a symbolic link and
  // never blocking (os::OpenOutputFile: a run as root must not clobber what
  // a link points at, nor the other name of a hard link, nor hang on a FIFO
  // planted in a shared folder), and never while another run records into
  // the same log: it is locked for as long as any process holds it open
  // (the server does). Truncated only once it is ours.
  EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd, os::OpenOutputFile(path, 0644));
  if (auto locked = os::LockExclusive(fd.get(), path); !locked) {
    if (locked.error().kind != os::ErrorKind::kInvalid) return std::unexpected(locked.error());
    return os::Fail(os::ErrorKind::kInvalid,
                    path + " is the write log another run is recording into now");
  }
  EOFZERO_RETURN_IF_ERROR(os::Truncate(fd.get(), 0, path));
  WriteLogWriter w(path, std::move(fd));
  w.buffer_ = EncodeHeader(header);
  w.buffer_.reserve(kBufferBytes);
  EOFZERO_RETURN_IF_ERROR(w.Flush());
  return w;
}

os::Status WriteLogWriter::Append(const LogRecord& record) {
  if (record.payload.size() > kMaxRecordPayloadBytes)
    return os::Fail(os::ErrorKind::kInvalid, path_ + ": a record of " +
                                                 std::to_string(record.payload.size()) +
                                                 " bytes is more than a log holds");
  const Bytes bytes = EncodeRecord(record);
  if (buffer_.size() + bytes.size() > kBufferBytes) EOFZERO_RETURN_IF_ERROR(Flush());
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  ++records_;
  return {};
}

os::Status WriteLogWriter::Flush() {
  if (buffer_.empty()) return {};
  EOFZERO_RETURN_IF_ERROR(os::WriteAll(fd_.get(), buffer_, offset_, path_));
  offset_ += buffer_.size();
  buffer_.clear();
  return {};
}

os::Status WriteLogWriter::Finish() {
  EOFZERO_RETURN_IF_ERROR(Append({RecordType::kEnd, 0, 0, 0, {}}));
  return Flush();
}

}  // namespace eofzero::scratch
