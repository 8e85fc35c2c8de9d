#include "engine/interpreter.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/case_check.h"
#include "os/interrupt.h"

namespace eofzero::engine {

using os::ErrorKind;
using os::Fail;
using os::Status;

Interpreter::Interpreter(scratch::ScratchFs& fs, const CaseSpec& spec, const ScenarioOptions& opt,
                         CaseRun& run)
    : fs_(fs), spec_(spec), opt_(opt), run_(run), bs_(fs.block_size()) {}

Interpreter::~Interpreter() { CloseAll(); }

Status Interpreter::Prepare() {
  auto vars = VariablesFor(spec_, bs_, os::PageSize(), opt_.gap_bytes);
  if (!vars) return Fail(ErrorKind::kInvalid, vars.error());
  vars_ = std::move(*vars);
  run_.variables = vars_;
  run_.block_size = bs_;
  run_.old_eof = static_cast<std::uint64_t>(vars_["eof"]);
  run_.eof_block = static_cast<std::uint64_t>(vars_["eof_block"]);
  return {};
}

Status Interpreter::Run() {
  for (const Step& s : spec_.steps)
    EOFZERO_RETURN_IF_ERROR(RunStep(s));
  return {};
}

Status Interpreter::RunAfterCrash(const CrashPoint& crash) {
  if (!run_.plant || crash.crash_step >= spec_.steps.size())
    return Fail(ErrorKind::kInvalid, "no planted crash to resume from");
  planted_ = crashed_ = down_ = true;
  where_.extent = run_.plant->extent;
  where_.device_offset = run_.plant->device_offset;
  race_expectations_ = crash.race_expectations;
  for (std::size_t i = crash.crash_step + 1; i < spec_.steps.size(); ++i) {
    const Step& s = spec_.steps[i];
    if (s.def->role == StepRole::kExpectSize) continue;  // the crash model judges the size
    auto st = RunStep(s);
    if (!st && s.def->role == StepRole::kAction && st.error().kind == ErrorKind::kInvalid) {
      // A step made for the size the case reached (a read of the extension)
      // does not apply to a state that holds less: a note, not an error.
      const std::uint64_t crash_size =
          crash.events ? run_.history.events[std::min(crash.events, run_.history.events.size()) - 1]
                             .size_after
                       : 0;
      if (auto size = SizeOf(""); size && *size < crash_size) {
        AddNote("line " + std::to_string(s.line) + " not run on this state: the file is " +
                std::to_string(*size) + " bytes, not " + std::to_string(crash_size) + " (" +
                st.error().Message() + ")");
        continue;
      }
    }
    if (!st) return st;
  }
  return {};
}

Status Interpreter::RunStep(const Step& s) {
  if (os::InterruptRequested())
    return Fail(ErrorKind::kInterrupted, "interrupted before line " + std::to_string(s.line));
  spdlog::debug("{}:{}: {}", spec_.name, s.line, s.text);
  step_ = &s;
  EOFZERO_RETURN_IF_ERROR(fs_.CheckMountIsOurs());  // never by our path on someone else's mount
  const std::size_t index = static_cast<std::size_t>(&s - spec_.steps.data());
  // for --record
  if (auto sequence = fs_.NoteStep(spec_.name + ":" + std::to_string(s.line) + ": " + s.text))
    run_.logged_steps.push_back({index, s.line, *sequence});
  auto st = s.def->run(*this, s);
  if (st) st = CompareModelSize(s);
  if (!st) {
    os::Error e = st.error();
    e.context = "line " + std::to_string(s.line) + " '" + s.text + "': " + e.context;
    return std::unexpected(e);
  }
  return {};
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

os::Result<std::uint64_t> Interpreter::FlagValue(const Step& s, char f,
                                                 std::uint64_t otherwise) const {
  if (!s.Has(f)) return otherwise;
  return Number(*s.flags.at(f));
}

os::Result<std::uint8_t> Interpreter::Pattern(const Step& s) const {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t v, FlagValue(s, 'S', 0xcd));  // xfs_io's default fill
  if (v > 0xff) return Fail(ErrorKind::kInvalid, "-S pattern must be one byte (0 to 0xff)");
  return static_cast<std::uint8_t>(v);
}

std::string Interpreter::PathOf(const std::string& file) const {
  const std::string base = CaseFileBase(spec_.name);
  return (fs_.mount_dir() / (Main(file) ? base : base + "." + file)).string();
}

os::Result<int> Interpreter::Fd(const std::string& file, int extra_flags) {
  auto& fd = fds_[{Main(file) ? "" : file, extra_flags}];
  if (!fd.valid()) {
    EOFZERO_ASSIGN_OR_RETURN(fd,
                             os::OpenOwned(sys(), PathOf(file), O_RDWR | O_CREAT | extra_flags));
  }
  return fd.get();
}

os::Result<int> Interpreter::DataFd(const std::string& file, int extra_flags) {
  return Fd(file, OpenFlagsOf(file) | extra_flags);
}

int Interpreter::OpenFlagsOf(const std::string& file) const {
  auto it = open_flags_.find(Main(file) ? "" : file);
  return it == open_flags_.end() ? 0 : it->second;
}

void Interpreter::SetOpenFlags(const std::string& file, int flags) {
  open_flags_[Main(file) ? "" : file] = flags;
}

os::Result<std::uint64_t> Interpreter::SizeOf(const std::string& file) {
  EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(file));
  EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, sys().Stat(fd, PathOf(file)));
  return st.size;
}

void Interpreter::CloseAll() {
  Unmap();
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

void Interpreter::NoteWrite(const Content& content) {
  const auto part = EofBlockPart("", content.offset, content.length);
  if (!part) return;
  Bytes data(part->size());
  for (std::uint64_t i = 0; i < data.size(); ++i) data[i] = content.At(part->begin + i);
  const std::uint64_t begin = part->begin - run_.eof_block;
  run_.written.push_back({{begin, begin + data.size()}, std::move(data)});
}

os::Result<Bytes> Interpreter::SourceBytes(const std::string& file, std::uint64_t offset,
                                           std::uint64_t length) {
  EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(file));
  return sys().Read(fd, offset, length, PathOf(file));  // short at the source's EOF
}

void Interpreter::Record(const std::string& file, Event e) {
  if (!Main(file) || down_) return;
  if (step_) {
    e.line = step_->line;
    e.step = static_cast<std::size_t>(step_ - spec_.steps.data());
  }
  e.size_before = run_.history.size();
  if (e.kind == Event::Kind::kPromise && e.promise == Promise::kFile) e.end = e.size_before;
  if (e.kind == Event::Kind::kPromise || e.kind == Event::Kind::kCrash)
    e.size_after = e.size_before;
  run_.history.events.push_back(std::move(e));
}

void Interpreter::RecordWrite(const std::string& file, Content content, std::string what) {
  if (content.length == 0) return;
  if (Main(file)) NoteWrite(content);
  Event e{.kind = Event::Kind::kWrite, .what = std::move(what), .content = std::move(content)};
  e.size_after = std::max(run_.history.size(), e.content.end());
  Record(file, std::move(e));
}

void Interpreter::RecordZero(const std::string& file, std::uint64_t begin, std::uint64_t end,
                             std::uint64_t new_size, std::string what) {
  Event e{.kind = Event::Kind::kZero, .what = std::move(what), .begin = begin, .end = end};
  e.size_after = new_size;
  Record(file, std::move(e));
}

void Interpreter::RecordResize(const std::string& file, std::uint64_t new_size, std::string what) {
  Event e{.kind = Event::Kind::kResize, .what = std::move(what)};
  e.size_after = new_size;
  Record(file, std::move(e));
}

void Interpreter::RecordShift(const std::string& file, std::uint64_t offset,
                              std::uint64_t length, bool collapse, const std::string& what) {
  if (!Main(file) || down_) return;
  const std::uint64_t size = run_.history.size();
  const std::uint64_t from = collapse ? offset + length : offset;
  const std::vector<Piece> pieces = CurrentPieces(run_.history);
  for (const Piece& p : pieces) {
    const std::uint64_t begin = std::max(p.begin, from);
    if (begin >= p.end) continue;
    const std::uint64_t to = collapse ? begin - length : begin + length;
    if (p.source < 0) {
      RecordZero(file, to, to + (p.end - begin), run_.history.size(), what);
      continue;
    }
    const Content& was = run_.history.events[static_cast<std::size_t>(p.source)].content;
    Content moved{.offset = to, .length = p.end - begin, .fill = was.fill};
    if (!was.bytes.empty())
      moved.bytes.assign(was.bytes.begin() + static_cast<long>(begin - was.offset),
                         was.bytes.begin() + static_cast<long>(p.end - was.offset));
    RecordWrite(file, std::move(moved), what);
  }
  if (collapse)
    RecordResize(file, size - length, what);
  else  // the hole the insert opens
    RecordZero(file, offset, offset + length, size + length, what);
}

void Interpreter::RecordPromise(const std::string& file, Promise promise, std::string what,
                                std::uint64_t begin, std::uint64_t end) {
  Record(file, Event{.kind = Event::Kind::kPromise,
                     .what = std::move(what),
                     .begin = begin,
                     .end = end,
                     .promise = promise});
}

void Interpreter::RecordUnknown(const std::string& file, std::string why) {
  if (!Main(file) || !run_.history.complete) return;
  run_.history.complete = false;
  run_.history.incomplete_reason =
      (step_ ? "line " + std::to_string(step_->line) + ": " : std::string()) + std::move(why);
}

std::uint64_t Interpreter::DurableSize() const {
  const auto& events = run_.history.events;
  for (auto e = events.rbegin(); e != events.rend(); ++e)
    if (e->kind == Event::Kind::kPromise) return e->size_after;
  return 0;
}

Status Interpreter::CompareModelSize(const Step& s) {
  if (crashed_ || !run_.history.complete || !fds_.contains({"", 0})) return {};
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t size, SizeOf(""));
  if (size != run_.history.size()) {
    run_.disagreements.push_back("after line " + std::to_string(s.line) + " '" + s.text +
                                 "' the file is " + std::to_string(size) +
                                 " bytes; the crash model says " +
                                 std::to_string(run_.history.size()));
    RecordUnknown("", "the model's size and the kernel's differ");
  }
  return {};
}

Status Interpreter::MapFile(const std::string& file, std::uint64_t offset, std::uint64_t length) {
  const std::uint64_t ps = os::PageSize();
  const std::uint64_t start = offset / ps * ps;
  EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(file));
  Unmap();
  EOFZERO_ASSIGN_OR_RETURN(int id,
                           sys().MapShared(fd, start, offset + length - start, PathOf(file)));
  mapping_ = id;
  mapping_file_ = file;
  mapped_ = {offset, offset + length};
  return {};
}

void Interpreter::Unmap() {
  if (mapping_) sys().Unmap(*mapping_);
  mapping_.reset();
}

std::uint32_t Interpreter::DeviceAlign() {
  auto g = sys().Geometry(fs_.device());
  return g ? g->logical_block_size : 512;
}

std::uint32_t Interpreter::DirectAlign(int fd) {
  auto st = sys().Stat(fd, "");
  return st && st->dio_mem_align ? st->dio_mem_align : DeviceAlign();
}

}  // namespace eofzero::engine
