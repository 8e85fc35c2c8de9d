#include "engine/interpreter.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <new>

#include "engine/case_check.h"
#include "os/block_device.h"
#include "os/file_io.h"
#include "os/interrupt.h"

namespace eofzero::engine {

using os::ErrorKind;
using os::Fail;
using os::Status;

namespace {

// Errors a filesystem gives for an operation or mode it does not offer: the
// case is skipped, never passed or failed.
Status FeatureStep(Status st, const Step& s) {
  if (st || st.error().kind == ErrorKind::kInterrupted) return st;
  const int e = st.error().errnum;
  if (e == EOPNOTSUPP || e == ENOTTY || e == EINVAL || e == EXDEV || e == ENOSYS)
    return Fail(ErrorKind::kUnsupported, "'" + s.text + "' is not supported here: " +
                                             st.error().Message());
  return st;
}

}  // namespace

Interpreter::Interpreter(scratch::ScratchFs& fs, const CaseSpec& spec, const ScenarioOptions& opt,
                         CaseRun& run)
    : fs_(fs), spec_(spec), opt_(opt), run_(run), bs_(fs.block_size()) {}

Status Interpreter::Prepare() {
  auto vars = VariablesFor(spec_, bs_, os::PageSize(), opt_.gap_bytes);
  if (!vars) return Fail(ErrorKind::kInvalid, vars.error());
  vars_ = std::move(*vars);
  run_.block_size = bs_;
  run_.old_eof = static_cast<std::uint64_t>(vars_["eof"]);
  run_.eof_block = static_cast<std::uint64_t>(vars_["eof_block"]);
  return {};
}

Status Interpreter::Run() {
  for (const Step& s : spec_.steps) {
    if (os::InterruptRequested())
      return Fail(ErrorKind::kInterrupted, "interrupted before line " + std::to_string(s.line));
    spdlog::debug("{}:{}: {}", spec_.name, s.line, s.text);
    if (opt_.faults.throw_after_plant && planted_) throw std::bad_alloc();
    if (auto st = Exec(s); !st) {
      os::Error e = st.error();
      e.context = "line " + std::to_string(s.line) + " '" + s.text + "': " + e.context;
      return std::unexpected(e);
    }
  }
  return {};
}

Status Interpreter::Exec(const Step& s) {
  const auto modes = os::FallocFlags();
  switch (s.kind) {
    case StepKind::kPwrite: return Pwrite(s);
    case StepKind::kPread: {
      EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, Arg(s, 0));
      EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, Arg(s, 1));
      EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(current_));
      return os::ReadAndDiscard(fd, offset, length, PathOf(current_));
    }
    case StepKind::kTruncate: {
      EOFZERO_ASSIGN_OR_RETURN(std::uint64_t size, Arg(s, 0));
      EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(current_));
      return os::Truncate(fd, size, PathOf(current_));
    }
    case StepKind::kFalloc: return Falloc(s, s.Has('k') ? modes.keep_size : 0);
    case StepKind::kFzero:
      return Falloc(s, modes.zero_range | (s.Has('k') ? modes.keep_size : 0));
    case StepKind::kFpunch: return Falloc(s, modes.punch_hole | modes.keep_size);
    case StepKind::kMmap: return MapStep(s);
    case StepKind::kMwrite: return Mwrite(s);
    case StepKind::kMsync:
      if (!mapping_) return Fail(ErrorKind::kInvalid, "msync without an mmap");
      return mapping_->Sync(s.Has('a'), s.Has('i'), s.Has('s'));
    case StepKind::kMunmap: mapping_.reset(); return {};
    case StepKind::kFsync: {
      EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(current_));
      EOFZERO_RETURN_IF_ERROR(os::Fsync(fd, PathOf(current_)));
      NoteDurable(current_);
      return {};
    }
    case StepKind::kFdatasync: {
      EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(current_));
      EOFZERO_RETURN_IF_ERROR(os::Fdatasync(fd, PathOf(current_)));
      NoteDurable(current_);
      return {};
    }
    case StepKind::kSyncRange: return SyncRange(s);
    case StepKind::kSyncfs: {
      EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(current_));
      EOFZERO_RETURN_IF_ERROR(os::Syncfs(fd, PathOf(current_)));
      NoteDurable("");
      return {};
    }
    case StepKind::kSync: os::SyncAll(); NoteDurable(""); return {};
    case StepKind::kCopyRange: return FeatureStep(CopyRange(s), s);
    case StepKind::kReflink: return FeatureStep(Reflink(s), s);
    case StepKind::kFile: current_ = Main(s.words[0]) ? "" : s.words[0]; return {};
    case StepKind::kShutdown: return Shutdown(s);
    case StepKind::kCycleMount: return CycleMount();
    case StepKind::kPlant: return Plant();
    case StepKind::kCheckGap: return CheckGap();
    case StepKind::kExpectSize: return ExpectSize(s);
  }
  return Fail(ErrorKind::kInvalid, "unknown step");
}

// The step's bytes go out through one buffer of at most kWriteChunk bytes, as
// xfs_io writes through its buffer: never one the size of the step's length.
Status Interpreter::Pwrite(const Step& s) {
  constexpr std::uint64_t kWriteChunk = 1 << 20;  // a multiple of any O_DIRECT alignment
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(std::uint8_t pattern, Pattern(s));
  const Bytes chunk(std::min(length, kWriteChunk), pattern);
  const std::string path = PathOf(current_);
  int flags = (s.Has('D') ? O_DIRECT : 0) | (s.Has('a') ? O_APPEND : 0);
  EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(current_, flags));
  if (s.Has('a') || s.Has('A')) {  // the kernel picks the offset: the current size
    EOFZERO_ASSIGN_OR_RETURN(offset, SizeOf(current_));
  }
  Status st;
  for (std::uint64_t done = 0; st && done < length; done += kWriteChunk) {
    const ByteView data(chunk.data(), std::min(length - done, kWriteChunk));
    if (s.Has('D'))
      st = os::WriteDirect(fd, data, offset + done, DirectAlign(fd), path);
    else if (s.Has('a'))
      st = os::AppendAll(fd, data, path);
    else if (s.Has('A'))
      st = os::PwriteV2(fd, data, offset + done, os::RwfAppend(), path);
    else
      st = os::WriteAll(fd, data, offset + done, path);
  }
  if (s.Has('D') || s.Has('A')) st = FeatureStep(std::move(st), s);
  EOFZERO_RETURN_IF_ERROR(st);
  if (auto part = EofBlockPart(current_, offset, length))
    NoteWrite(part->begin, Bytes(part->size(), pattern));
  return {};
}

Status Interpreter::Falloc(const Step& s, int mode) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(current_));
  return FeatureStep(os::Fallocate(fd, mode, offset, length, PathOf(current_)), s);
}

Status Interpreter::MapStep(const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, Arg(s, 1));
  const std::uint64_t ps = os::PageSize();
  const std::uint64_t start = offset / ps * ps;
  EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(current_));
  mapping_.reset();
  EOFZERO_ASSIGN_OR_RETURN(auto m, os::SharedMapping::Map(fd, start, offset + length - start,
                                                          PathOf(current_)));
  mapping_ = std::move(m);
  mapping_file_ = current_;
  return {};
}

Status Interpreter::Mwrite(const Step& s) {
  if (!mapping_) return Fail(ErrorKind::kInvalid, "mwrite without an mmap");
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(std::uint8_t pattern, Pattern(s));
  // Touching a page wholly past EOF raises SIGBUS: refuse instead.
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t size, SizeOf(mapping_file_));
  const std::uint64_t ps = os::PageSize();
  if (offset + length > (size + ps - 1) / ps * ps)
    return Fail(ErrorKind::kInvalid, "mwrite past the page that holds EOF (" +
                                         std::to_string(size) + ") would raise SIGBUS");
  EOFZERO_RETURN_IF_ERROR(mapping_->Fill(offset, length, pattern));
  // Bytes stored past EOF through a mapping are not file data: they must
  // never show up, so only the part below EOF is the case's own.
  if (offset < size)
    if (auto part = EofBlockPart(mapping_file_, offset, std::min(length, size - offset)))
      NoteWrite(part->begin, Bytes(part->size(), pattern));
  return {};
}

Status Interpreter::CopyRange(const Step& s) {
  std::uint64_t src_off = 0, dst_off = 0;
  if (s.Has('s')) {
    EOFZERO_ASSIGN_OR_RETURN(src_off, Number(*s.flags.at('s')));
  }
  if (s.Has('d')) {
    EOFZERO_ASSIGN_OR_RETURN(dst_off, Number(*s.flags.at('d')));
  }
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t src_size, SizeOf(s.words[0]));
  std::uint64_t length = src_size > src_off ? src_size - src_off : 0;
  if (s.Has('l')) {
    EOFZERO_ASSIGN_OR_RETURN(length, Number(*s.flags.at('l')));
  }
  const auto part = EofBlockPart(current_, dst_off, length);
  Bytes data;
  if (part) {
    EOFZERO_ASSIGN_OR_RETURN(data, SourceBytes(s.words[0], src_off + (part->begin - dst_off),
                                               part->size()));
  }
  EOFZERO_ASSIGN_OR_RETURN(int in, Fd(s.words[0]));
  EOFZERO_ASSIGN_OR_RETURN(int out, Fd(current_));
  EOFZERO_RETURN_IF_ERROR(os::CopyRange(in, src_off, out, dst_off, length, PathOf(current_)));
  if (part) NoteWrite(part->begin, std::move(data));
  return {};
}

Status Interpreter::Reflink(const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t src_off, Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t dst_off, Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, Arg(s, 2));
  const auto part = EofBlockPart(current_, dst_off, length);
  Bytes data;
  if (part) {
    EOFZERO_ASSIGN_OR_RETURN(data, SourceBytes(s.words[0], src_off + (part->begin - dst_off),
                                               part->size()));
  }
  EOFZERO_ASSIGN_OR_RETURN(int src, Fd(s.words[0]));
  EOFZERO_ASSIGN_OR_RETURN(int dst, Fd(current_));
  EOFZERO_RETURN_IF_ERROR(os::CloneRange(src, src_off, dst, dst_off, length, PathOf(current_)));
  if (part) NoteWrite(part->begin, std::move(data));
  return {};
}

Status Interpreter::SyncRange(const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(current_));
  return os::SyncRange(fd, offset, length, s.Has('b'), s.Has('w'), s.Has('a'), PathOf(current_));
}

os::Result<std::uint64_t> Interpreter::Number(const Expr& e) const {
  auto v = e.Eval(vars_);
  if (!v) return Fail(ErrorKind::kInvalid, v.error());
  if (*v < 0) return Fail(ErrorKind::kInvalid, e.text() + " = " + std::to_string(*v) + " < 0");
  return static_cast<std::uint64_t>(*v);
}

os::Result<std::uint64_t> Interpreter::Arg(const Step& s, std::size_t i) const {
  return Number(s.numbers.at(i));
}

os::Result<std::uint8_t> Interpreter::Pattern(const Step& s) const {
  if (!s.Has('S')) return std::uint8_t{0xcd};  // xfs_io's default fill
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t v, Number(*s.flags.at('S')));
  if (v > 0xff) return Fail(ErrorKind::kInvalid, "-S pattern must be one byte (0 to 0xff)");
  return static_cast<std::uint8_t>(v);
}

std::string Interpreter::PathOf(const std::string& file) const {
  const std::string base = "case_" + spec_.name;
  return (fs_.mount_dir() / (Main(file) ? base : base + "." + file)).string();
}

os::Result<int> Interpreter::Fd(const std::string& file, int extra_flags) {
  auto& fd = fds_[{Main(file) ? "" : file, extra_flags}];
  if (!fd.valid()) {
    EOFZERO_ASSIGN_OR_RETURN(fd, os::OpenFile(PathOf(file), O_RDWR | O_CREAT | extra_flags));
  }
  return fd.get();
}

os::Result<std::uint64_t> Interpreter::SizeOf(const std::string& file) {
  EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(file));
  EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, os::StatFile(fd, PathOf(file)));
  return st.size;
}

void Interpreter::CloseAll() {
  mapping_.reset();
  fds_.clear();
}

std::optional<ByteRange> Interpreter::EofBlockPart(const std::string& file, std::uint64_t offset,
                                                   std::uint64_t length) const {
  if (!planted_ || !Main(file)) return std::nullopt;
  const std::uint64_t block = run_.eof_block;
  const std::uint64_t begin = std::max(offset, block);
  const std::uint64_t end = std::min(offset + length, block + bs_);
  if (begin >= end) return std::nullopt;
  return ByteRange{begin, end};
}

void Interpreter::NoteWrite(std::uint64_t offset, Bytes data) {
  const std::uint64_t begin = offset - run_.eof_block;
  run_.written.push_back({{begin, begin + data.size()}, std::move(data)});
}

os::Result<Bytes> Interpreter::SourceBytes(const std::string& file, std::uint64_t offset,
                                           std::uint64_t length) {
  EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(file));
  EOFZERO_ASSIGN_OR_RETURN(Bytes data, os::ReadUpTo(fd, offset, length, PathOf(file)));
  data.resize(length, 0);  // a short source copies fewer bytes: CopyRange reports it
  return data;
}

void Interpreter::NoteDurable(const std::string& file) {
  if (!Main(file)) return;
  if (auto size = SizeOf(""); size) durable_size_ = *size;
}

std::uint32_t Interpreter::DeviceAlign() const {
  auto g = os::ProbeGeometry(fs_.device());
  return g ? g->logical_block_size : 512;
}

std::uint32_t Interpreter::DirectAlign(int fd) const {
  auto st = os::StatFile(fd, "");
  return st && st->dio_mem_align ? st->dio_mem_align : DeviceAlign();
}

}  // namespace eofzero::engine
