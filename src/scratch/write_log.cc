#include "scratch/write_log.h"

#include <fcntl.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "os/file_io.h"
#include "os/user_files.h"

namespace eofzero::scratch {
namespace {

constexpr char kMagic[8] = {'E', 'O', 'F', 'Z', 'W', 'L', 'O', 'G'};
constexpr std::size_t kBufferBytes = 4 << 20;
constexpr std::uint64_t kMaxLogBytes = 64ull << 30;

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

std::expected<ParsedLog, std::string> ParseWriteLog(ByteView bytes) {
  if (bytes.size() < kWriteLogHeaderBytes || std::memcmp(bytes.data(), kMagic, 8) != 0)
    return std::unexpected("not an eofzero write log (no EOFZWLOG header)");
  if (Get(bytes, 60, 4) != Crc(bytes.first(60)))
    return std::unexpected("the header's checksum does not match");
  if (Get(bytes, 8, 4) != kWriteLogVersion)
    return std::unexpected("write log version " + std::to_string(Get(bytes, 8, 4)) +
                           "; this eofzero reads version " + std::to_string(kWriteLogVersion));
  ParsedLog log;
  log.header = {Get(bytes, 16, 8), static_cast<std::uint32_t>(Get(bytes, 24, 4)),
                static_cast<std::uint32_t>(Get(bytes, 28, 4)),
                static_cast<std::uint32_t>(Get(bytes, 32, 4))};
  if (log.header.base != 0)
    return std::unexpected("base " + std::to_string(log.header.base) + " is not known");
  std::size_t at = Get(bytes, 12, 4);
  while (at < bytes.size()) {
    const std::string where = "record " + std::to_string(log.records.size()) + " at byte " +
                              std::to_string(at);
    if (bytes.size() - at < kWriteLogRecordHeadBytes) {
      log.damage = where + ": cut short";
      break;
    }
    const std::uint64_t stored = Get(bytes, at + 4, 4);
    if (bytes.size() - at - kWriteLogRecordHeadBytes < stored) {
      log.damage = where + ": cut short";
      break;
    }
    Bytes head(bytes.begin() + at, bytes.begin() + at + kWriteLogRecordHeadBytes);
    Put(head, 24, 0, 4);
    ByteView payload = bytes.subspan(at + kWriteLogRecordHeadBytes, stored);
    if (Get(bytes, at + 24, 4) != Crc(head, payload) || !KnownType(bytes[at])) {
      log.damage = where + ": checksum mismatch";
      break;
    }
    LogRecord r{static_cast<RecordType>(bytes[at]), bytes[at + 1], Get(bytes, at + 8, 8),
                Get(bytes, at + 16, 8), Bytes(payload.begin(), payload.end())};
    at += kWriteLogRecordHeadBytes + stored;
    if (r.type == RecordType::kEnd) {
      log.ended = true;
      break;
    }
    log.records.push_back(std::move(r));
  }
  return log;
}

os::Result<ParsedLog> ReadWriteLog(const std::string& path) {
  EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd, os::OpenFile(path, O_RDONLY));
  EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, os::StatFile(fd.get(), path));
  if (st.size > kMaxLogBytes)
    return os::Fail(os::ErrorKind::kInvalid, path + ": larger than any write log eofzero reads");
  EOFZERO_ASSIGN_OR_RETURN(Bytes bytes, os::ReadUpTo(fd.get(), 0, st.size, path));
  auto log = ParseWriteLog(bytes);
  if (!log) return os::Fail(os::ErrorKind::kInvalid, path + ": " + log.error());
  return std::move(*log);
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
