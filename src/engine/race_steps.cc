#include "engine/race_steps.h"

#include <fcntl.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <exception>
#include <functional>
#include <latch>
#include <thread>
#include <vector>

#include "engine/interpreter.h"
#include "os/bytes.h"
#include "os/file_ops.h"

namespace eofzero::engine {
namespace {

using os::ErrorKind;
using os::Fail;
using os::Status;

constexpr std::uint64_t kMaxRepeats = 1000;
constexpr std::uint64_t kMaxBlock = 64 * 1024;  // no filesystem here has larger blocks
// The patterns the threads write. A byte past EOF stored through the mapping
// before the append (kPastEof) is never file data: it must never show up.
constexpr std::uint8_t kWriterA = 0xa1, kWriterB = 0xb2;
constexpr std::uint8_t kPastEof = 0xe7, kBelowEof = 0x6c;
// How often the mapping is stored to and the EOF page written back before
// the append (each round is cheap: one page).
constexpr int kWritebackRounds = 16;

// Runs each function on a thread of its own, all released at once by a
// latch, and waits for them all. A function reports through what it
// captures; an exception out of one is kept as its error.
Status RunTogether(const std::vector<std::function<Status()>>& work) {
  std::latch start(static_cast<std::ptrdiff_t>(work.size()));
  std::vector<Status> results(work.size());
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < work.size(); ++i)
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          results[i] = work[i]();
        } catch (const std::exception& e) {
          results[i] = Fail(ErrorKind::kSystem, std::string("a race thread threw: ") + e.what());
        }
      });
  }  // joined
  for (auto& r : results)
    if (!r) return r;
  return {};
}


const char* PhaseText(const Interpreter& in) {
  return in.crashed() ? "after the crash" : "before the crash";
}

os::Result<Bytes> ReadBuffered(Interpreter& in, std::uint64_t offset, std::uint64_t length) {
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(""));
  return in.sys().Read(fd, offset, length, in.PathOf(""));
}

// An O_DIRECT read of the blocks that cover [offset, offset + length), cut to
// that range and to what read(2) returned.
os::Result<Bytes> ReadDirectRange(Interpreter& in, std::uint64_t offset, std::uint64_t length) {
  const std::uint64_t bs = in.block_size();
  const std::uint64_t begin = offset / bs * bs, end = RoundUp(offset + length, bs);
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(""));
  EOFZERO_ASSIGN_OR_RETURN(
      os::DirectReadResult r,
      in.sys().ReadDirect(in.PathOf(""), begin, end - begin, in.DirectAlign(fd)));
  const std::uint64_t from = offset - begin;
  const std::uint64_t to = std::min<std::uint64_t>({r.count, from + length, r.buffer.size()});
  if (to <= from) return Bytes{};
  return Bytes(r.buffer.begin() + from, r.buffer.begin() + to);
}

// Reads `exp`'s range back (buffered; O_DIRECT when `direct`) and records a
// finding for every byte it does not allow. After a crash with no promise
// since the step, zero is allowed (the writes may be lost, never replaced).
Status Judge(Interpreter& in, const RaceExpectation& exp, bool direct) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t size, in.SizeOf(""));
  const bool zero_allowed = in.crashed() && !PromisedSince(in.history(), exp.history_mark);
  const std::string phase = PhaseText(in);
  auto record = [&](const Bytes& got, const std::string& oracle) {
    for (auto& f : CheckRaceRange(exp, got, size, zero_allowed, oracle + ", " + phase))
      in.RecordRaceFinding(std::move(f));
  };
  if (in.crashed()) {  // what reached the disk, not what the cache kept
    EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(""));
    EOFZERO_RETURN_IF_ERROR(in.sys().DropCachedPages(fd, in.PathOf("")));
  }
  EOFZERO_ASSIGN_OR_RETURN(Bytes buffered, ReadBuffered(in, exp.offset, exp.expected.size()));
  record(buffered, "buffered read");
  if (direct) {
    EOFZERO_ASSIGN_OR_RETURN(Bytes got, ReadDirectRange(in, exp.offset, exp.expected.size()));
    record(got, "O_DIRECT read");
  }
  return {};
}

// Keeps `exp` for `check races`, after judging it now.
Status Expect(Interpreter& in, RaceExpectation exp) {
  exp.history_mark = in.history().events.size();
  EOFZERO_RETURN_IF_ERROR(Judge(in, exp, exp.direct_before_crash));
  in.race_expectations().push_back(std::move(exp));
  return {};
}

// The smallest offset and length an O_DIRECT write to the file may have.
std::uint64_t DirectUnit(Interpreter& in, int fd) {
  auto st = in.sys().Stat(fd, in.PathOf(""));
  return st && st->dio_offset_align ? st->dio_offset_align : 512;
}

// A mapping of the System's, unmapped on destruction.
class MappingGuard {
 public:
  MappingGuard(os::System& sys, int id) : sys_(sys), id_(id) {}
  ~MappingGuard() { sys_.Unmap(id_); }
  MappingGuard(const MappingGuard&) = delete;
  MappingGuard& operator=(const MappingGuard&) = delete;

 private:
  os::System& sys_;
  int id_;
};

// The stores below EOF may cover an earlier iteration's gap, inside the file
// since (blocks smaller than a page): there the stored byte is the case's own
// now, or zero if the crash lost it.
void StoredOverEarlierGaps(Interpreter& in, int line, ByteRange stored) {
  for (RaceExpectation& exp : in.race_expectations()) {
    if (exp.line != line) continue;
    const std::uint64_t begin = std::max(exp.offset, stored.begin);
    const std::uint64_t end = std::min(exp.end(), stored.end);
    if (begin >= end) continue;
    std::fill(exp.expected.begin() + static_cast<std::ptrdiff_t>(begin - exp.offset),
              exp.expected.begin() + static_cast<std::ptrdiff_t>(end - exp.offset), kBelowEof);
    exp.maybe.push_back({begin, end});
  }
}

// One iteration of race_mmap_append with EOF at `eof`: the file grows by a
// block, its new EOF as far into its block as `eof` was.
Status MmapAppendOnce(Interpreter& in, const Step& s, std::uint64_t eof, std::uint8_t pattern,
                      std::uint64_t iteration) {
  const std::uint64_t bs = in.block_size(), ps = os::PageSize();
  const std::uint64_t page = eof / ps * ps, page_end = page + ps, eob = RoundUp(eof, bs);
  const std::uint64_t length = eof % bs;  // new EOF at eob + length
  const std::string path = in.PathOf("");
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(""));
  os::System& sys = in.sys();
  EOFZERO_ASSIGN_OR_RETURN(int map, sys.MapShared(fd, page, ps, path));
  MappingGuard unmap(sys, map);
  // Before the append: stores past EOF (never file data) and below it,
  // against writeback of the EOF page, which zeroes the page's tail past EOF
  // and may send it to disk while a store lands.
  auto store = [&]() -> Status {
    for (int k = 0; k < kWritebackRounds; ++k) {
      EOFZERO_RETURN_IF_ERROR(sys.FillMapping(map, eof, page_end - eof, kPastEof));
      EOFZERO_RETURN_IF_ERROR(sys.FillMapping(map, page, eof - page, kBelowEof));
    }
    return Status{};
  };
  auto write_back = [&]() -> Status {
    for (int k = 0; k < kWritebackRounds; ++k)
      EOFZERO_RETURN_IF_ERROR(sys.SyncRange(fd, page, ps, false, true, false, path));
    return Status{};
  };
  EOFZERO_RETURN_IF_ERROR(RunTogether({store, write_back}));
  // The append past the EOF block and the writeback of only its own range
  // (generic/790's sync_range), against stores below EOF that dirty the page
  // the append must zero past EOF.
  std::atomic<bool> appended{false};
  auto append = [&]() -> Status {
    Status st = sys.Write(fd, Bytes(length, pattern), eob, os::WriteHow{}, path);
    if (st) st = sys.SyncRange(fd, eob, length, true, true, true, path);
    appended = true;
    return st;
  };
  auto store_below = [&]() -> Status {
    do {
      EOFZERO_RETURN_IF_ERROR(sys.FillMapping(map, page, eof - page, kBelowEof));
    } while (!appended);
    return Status{};
  };
  EOFZERO_RETURN_IF_ERROR(RunTogether({append, store_below}));
  in.RecordWrite("", {page, eof - page, kBelowEof, {}}, "race_mmap_append mwrite below EOF");
  in.RecordWrite("", {eob, length, pattern, {}}, "race_mmap_append pwrite");
  StoredOverEarlierGaps(in, s.line, {page, eof});
  // Only the gap is this iteration's to judge: the next one's stores below
  // its EOF may overwrite the appended bytes (the history has both).
  RaceExpectation exp;
  exp.line = s.line;
  exp.what = fmt::format("race_mmap_append iteration {}: the gap [{}, {})", iteration, eof, eob);
  exp.offset = eof;
  exp.expected = Bytes(eob - eof, 0);
  return Expect(in, std::move(exp));
}

// One iteration of race_dio on the block at `block`.
Status DioOnce(Interpreter& in, const Step& s, std::uint64_t block, std::uint64_t unit,
               std::uint64_t iteration, int& eagain) {
  const std::uint64_t bs = in.block_size();
  const std::string path = in.PathOf("");
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd("", O_DIRECT));
  if (s.Has('u')) {
    EOFZERO_ASSIGN_OR_RETURN(int plain, in.Fd(""));
    EOFZERO_RETURN_IF_ERROR(
        in.sys().Fallocate(plain, os::FallocFlags().keep_size, block, bs, path));
  }
  // Two different sectors of the block, moving from iteration to iteration.
  const std::uint64_t sectors = bs / unit, a = iteration % sectors, b = (a + sectors / 2) % sectors;
  struct Writer {
    std::uint64_t at;
    std::uint8_t byte;
    Status result;
  };
  Writer writers[] = {{block + a * unit, kWriterA, {}}, {block + b * unit, kWriterB, {}}};
  const os::WriteHow how{false, s.Has('N') ? os::RwfFlag(os::Rwf::kNowait) : 0, 0,
                         in.DirectAlign(fd)};
  std::vector<std::function<Status()>> work;
  for (Writer& w : writers)
    work.push_back([&in, &w, &how, fd, unit, &path] {
      w.result = in.sys().Write(fd, Bytes(unit, w.byte), w.at, how, path);
      return Status{};
    });
  EOFZERO_RETURN_IF_ERROR(RunTogether(work));
  RaceExpectation exp;
  exp.line = s.line;
  exp.what =
      fmt::format("race_dio iteration {}: two O_DIRECT writers into {}{}", iteration,
                  s.Has('u') ? "an unwritten extent" : "a hole", s.Has('N') ? " (RWF_NOWAIT)" : "");
  exp.offset = block;
  exp.expected = Bytes(bs, 0);
  exp.direct_before_crash = true;
  for (const Writer& w : writers) {
    std::fill_n(exp.expected.begin() + (w.at - block), unit, w.byte);
    if (w.result) {
      in.RecordWrite("", {w.at, unit, w.byte, {}}, "race_dio O_DIRECT write");
      continue;
    }
    // RWF_NOWAIT: EAGAIN says the write would block. A one-sector O_DIRECT
    // write is refused whole, so the crash model gets no write (a promise
    // after it must not ask for these bytes); this check still lets them be
    // the writer's own or zero, never anything else.
    if (!s.Has('N') || w.result.error().errnum != EAGAIN) return w.result;
    ++eagain;
    exp.maybe.push_back({w.at, w.at + unit});
  }
  return Expect(in, std::move(exp));
}

// Where two reads of the same range first differ, or "" when they agree.
std::string Differ(const Bytes& x, const Bytes& y, std::uint64_t offset) {
  if (x == y) return "";
  const auto [px, py] = std::mismatch(x.begin(), x.end(), y.begin(), y.end());
  if (px == x.end() || py == y.end())
    return fmt::format("returned {} and {} bytes", x.size(), y.size());
  const std::uint64_t at = offset + static_cast<std::uint64_t>(px - x.begin());
  return fmt::format("differ first at offset {}: {:#04x} and {:#04x}", at, *px, *py);
}

StepDemand RepeatDemand(const StepFlagValues& flag) {
  StepDemand d;
  if (flag.contains('n') && (flag.at('n') == 0 || flag.at('n') > kMaxRepeats))
    d.invalid = fmt::format("-n {} is not a repeat count from 1 to {}", flag.at('n'), kMaxRepeats);
  return d;
}

std::uint64_t Repeats(const StepFlagValues& flag) {
  return flag.contains('n') ? std::min(flag.at('n'), kMaxRepeats) : 1;
}

}  // namespace

Status RaceMmapAppend(Interpreter& in, const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t repeats, in.FlagValue(s, 'n', 1));
  EOFZERO_ASSIGN_OR_RETURN(std::uint8_t pattern, in.Pattern(s));
  for (std::uint64_t i = 0; i < repeats; ++i) {
    EOFZERO_ASSIGN_OR_RETURN(std::uint64_t eof, in.SizeOf(""));
    if (eof % in.block_size() == 0)
      return Fail(
          ErrorKind::kInvalid,
          fmt::format("race_mmap_append needs an EOF inside a block; the file is {} bytes", eof));
    EOFZERO_RETURN_IF_ERROR(MmapAppendOnce(in, s, eof, pattern, i));
  }
  return {};
}

Status RaceDio(Interpreter& in, const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t first, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t repeats, in.FlagValue(s, 'n', 1));
  const std::uint64_t bs = in.block_size();
  if (first % bs)
    return Fail(
        ErrorKind::kInvalid,
        fmt::format("race_dio's offset {} is not a multiple of the block size {}", first, bs));
  // Every other block, so each race starts on a hole of its own.
  const std::uint64_t end = first + 2 * repeats * bs;
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t size, in.SizeOf(""));
  if (end > size)
    return Fail(ErrorKind::kInvalid,
                fmt::format("race_dio's blocks [{}, {}) must lie inside the file ({} bytes): "
                            "truncate it up first",
                            first, end, size));
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd("", O_DIRECT));
  const std::uint64_t unit = DirectUnit(in, fd);
  if (2 * unit > bs)
    return Fail(ErrorKind::kUnsupported,
                fmt::format("O_DIRECT writes here must be aligned to {} bytes: no two writers fit "
                            "in one {}-byte block",
                            unit, bs));
  int eagain = 0;
  for (std::uint64_t i = 0; i < repeats; ++i)
    EOFZERO_RETURN_IF_ERROR(DioOnce(in, s, first + 2 * i * bs, unit, i, eagain));
  if (s.Has('N'))
    in.AddNote(fmt::format("line {}: {} of {} RWF_NOWAIT O_DIRECT writes returned EAGAIN {}",
                           s.line, eagain, 2 * repeats, PhaseText(in)));
  return {};
}

Status RaceDioRead(Interpreter& in, const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, in.Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t repeats, in.FlagValue(s, 'n', 1));
  const std::uint64_t bs = in.block_size();
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t size, in.SizeOf(""));
  if (offset % bs || length % bs || length == 0 || offset + length > size)
    return Fail(ErrorKind::kInvalid,
                fmt::format("race_dio_read's range [{}, {}) must be whole blocks inside the file "
                            "({} bytes)",
                            offset, offset + length, size));
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(""));
  const std::uint64_t unit = DirectUnit(in, fd);
  const std::string path = in.PathOf("");
  const std::uint32_t align = in.DirectAlign(fd);
  os::System& sys = in.sys();
  int reported = 0;
  for (std::uint64_t i = 0; i < repeats; ++i) {
    Bytes by_block, by_sector, whole, buffered;
    // Reads no larger than a block, appended in order; a short one stops.
    auto small = [&](std::uint64_t piece, Bytes& out) -> Status {
      for (std::uint64_t at = offset; at < offset + length; at += piece) {
        EOFZERO_ASSIGN_OR_RETURN(os::DirectReadResult r, sys.ReadDirect(path, at, piece, align));
        const std::uint64_t got = std::min({r.count, piece, std::uint64_t{r.buffer.size()}});
        out.insert(out.end(), r.buffer.begin(),
                   r.buffer.begin() + static_cast<std::ptrdiff_t>(got));
        if (got < piece) break;
      }
      return Status{};
    };
    auto large = [&]() -> Status {
      EOFZERO_ASSIGN_OR_RETURN(os::DirectReadResult r, sys.ReadDirect(path, offset, length, align));
      const std::uint64_t got = std::min({r.count, length, std::uint64_t{r.buffer.size()}});
      whole.assign(r.buffer.begin(), r.buffer.begin() + static_cast<std::ptrdiff_t>(got));
      return Status{};
    };
    auto cached = [&]() -> Status {
      EOFZERO_ASSIGN_OR_RETURN(buffered, sys.Read(fd, offset, length, path));
      return Status{};
    };
    EOFZERO_RETURN_IF_ERROR(RunTogether({[&] { return small(bs, by_block); },
                                         [&] { return small(unit, by_sector); }, large, cached}));
    const std::pair<const char*, const Bytes*> others[] = {
        {"O_DIRECT reads of one sector", &by_sector},
        {"one O_DIRECT read of the range", &whole},
        {"a buffered read", &buffered}};
    for (const auto& [name, bytes] : others) {
      const std::string diff = Differ(by_block, *bytes, offset);
      if (diff.empty()) continue;
      if (++reported <= 3)
        in.RecordDisagreement(fmt::format(
            "line {} race_dio_read iteration {} ({}): O_DIRECT reads of one block and {} of "
            "[{}, {}) {}",
            s.line, i, PhaseText(in), name, offset, offset + length, diff));
    }
  }
  if (reported > 3)
    in.RecordDisagreement(
        fmt::format("line {} race_dio_read: {} more disagreements", s.line, reported - 3));
  return {};
}

Status CheckRaces(Interpreter& in, const Step&) {
  if (in.race_expectations().empty())
    return Fail(ErrorKind::kInvalid, "check races before any race step wrote");
  for (const RaceExpectation& exp : in.race_expectations())
    EOFZERO_RETURN_IF_ERROR(Judge(in, exp, in.crashed() || exp.direct_before_crash));
  return {};
}

StepDemand RaceAppendDemand(const StepNumbers&, const StepFlagValues& flag) {
  StepDemand d = RepeatDemand(flag);
  d.allocates = Repeats(flag) * kMaxBlock;
  return d;
}

StepDemand RaceDioDemand(const StepNumbers& n, const StepFlagValues& flag) {
  StepDemand d = RepeatDemand(flag);
  d.ends.push_back({"off + 2 × n blocks", n[0] + 2 * Repeats(flag) * kMaxBlock});
  d.allocates = Repeats(flag) * kMaxBlock;
  return d;
}

StepDemand RaceReadDemand(const StepNumbers& n, const StepFlagValues& flag) {
  StepDemand d = RepeatDemand(flag);
  d.ends.push_back({"offset + length", n[0] + n[1]});
  d.reads = Repeats(flag) * n[1];
  return d;
}

}  // namespace eofzero::engine
