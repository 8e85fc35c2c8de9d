// The step registry: one entry per step of the case language, with its
// handler and what it asks of the filesystem. To add a step, add its handler
// and its entry here (and, only if it needs a system call the os/ layer does
// not have yet, an os::System method).
#include <fcntl.h>

#include <algorithm>

#include "engine/interpreter.h"
#include "engine/step.h"
#include "os/file_ops.h"

namespace eofzero::engine {
namespace {

using os::ErrorKind;
using os::Fail;
using os::Status;

// --- What steps ask of the filesystem (offsets and lengths are each < 2^63,
// so their sums fit in 64 unsigned bits) ---

StepDemand Range(std::uint64_t off, std::uint64_t len) {
  return {{{"offset + length", off + len}}, 0, 0};
}
StepDemand Writes(const StepNumbers& n, const StepFlagValues&) {
  StepDemand d = Range(n[0], n[1]);
  d.allocates = n[1];
  return d;
}
StepDemand Reads(const StepNumbers& n, const StepFlagValues&) {
  StepDemand d = Range(n[0], n[1]);
  d.reads = n[1];
  return d;
}
StepDemand Spans(const StepNumbers& n, const StepFlagValues&) { return Range(n[0], n[1]); }
StepDemand Sizes(const StepNumbers& n, const StepFlagValues&) { return {{{"size", n[0]}}, 0, 0}; }
StepDemand Copies(const StepNumbers&, const StepFlagValues& flag) {
  auto value = [&](char f) { return flag.contains(f) ? flag.at(f) : 0; };
  const std::uint64_t len = value('l');
  // Without -l: the source's size, allocated by earlier steps.
  return {{{"-s + -l", value('s') + len}, {"-d + -l", value('d') + len}}, len, 0};
}
StepDemand Clones(const StepNumbers& n, const StepFlagValues&) {
  return {{{"src_off + len", n[0] + n[2]}, {"dst_off + len", n[1] + n[2]}}, n[2], 0};
}

// --- xfs_io's commands ---

// The step's bytes go out through one buffer of at most kWriteChunk bytes, as
// xfs_io writes through its buffer: never one the size of the step's length.
Status Pwrite(Interpreter& in, const Step& s) {
  constexpr std::uint64_t kWriteChunk = 1 << 20;  // a multiple of any O_DIRECT alignment
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, in.Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(std::uint8_t pattern, in.Pattern(s));
  const Bytes chunk(std::min(length, kWriteChunk), pattern);
  const std::string& file = in.current();
  EOFZERO_ASSIGN_OR_RETURN(int fd,
                           in.Fd(file, (s.Has('D') ? O_DIRECT : 0) | (s.Has('a') ? O_APPEND : 0)));
  if (s.Has('a') || s.Has('A')) {  // the kernel picks the offset: the current size
    EOFZERO_ASSIGN_OR_RETURN(offset, in.SizeOf(file));
  }
  os::WriteHow how;
  const int rwf = (s.Has('A') ? os::RwfFlag(os::Rwf::kAppend) : 0) |
                  (s.Has('N') ? os::RwfFlag(os::Rwf::kNowait) : 0);
  if (s.Has('D'))
    how = {os::WriteHow::Call::kDirect, 0, in.DirectAlign(fd)};
  else if (s.Has('a'))
    how = {os::WriteHow::Call::kAppend, 0, 0};
  else if (rwf)
    how = {os::WriteHow::Call::kPwritev2, rwf, 0};
  for (std::uint64_t done = 0; done < length; done += kWriteChunk) {
    const ByteView data(chunk.data(), std::min(length - done, kWriteChunk));
    EOFZERO_RETURN_IF_ERROR(in.sys().Write(fd, data, offset + done, how, in.PathOf(file)));
  }
  if (auto part = in.EofBlockPart(file, offset, length))
    in.NoteWrite(part->begin, Bytes(part->size(), pattern));
  return {};
}

// Reads [offset, offset + length) in small pieces, to fill the page cache.
Status Pread(Interpreter& in, const Step& s) {
  constexpr std::uint64_t kPiece = 1 << 20;
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, in.Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(in.current()));
  for (std::uint64_t done = 0; done < length; done += kPiece) {
    EOFZERO_ASSIGN_OR_RETURN(
        Bytes got,
        in.sys().Read(fd, offset + done, std::min(kPiece, length - done), in.PathOf(in.current())));
    if (got.size() < std::min(kPiece, length - done)) break;  // EOF
  }
  return {};
}

Status Truncate(Interpreter& in, const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t size, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(in.current()));
  return in.sys().Truncate(fd, size, in.PathOf(in.current()));
}

Status Fallocate(Interpreter& in, const Step& s, int mode) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, in.Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(in.current()));
  if (s.Has('k')) mode |= os::FallocFlags().keep_size;
  return in.sys().Fallocate(fd, mode, offset, length, in.PathOf(in.current()));
}
Status Falloc(Interpreter& in, const Step& s) { return Fallocate(in, s, 0); }
Status Fzero(Interpreter& in, const Step& s) {
  return Fallocate(in, s, os::FallocFlags().zero_range);
}
Status Fpunch(Interpreter& in, const Step& s) {
  const auto modes = os::FallocFlags();
  return Fallocate(in, s, modes.punch_hole | modes.keep_size);
}

Status Mmap(Interpreter& in, const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, in.Arg(s, 1));
  return in.MapFile(in.current(), offset, length);
}

Status Mwrite(Interpreter& in, const Step& s) {
  if (!in.mapping()) return Fail(ErrorKind::kInvalid, "mwrite without an mmap");
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, in.Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(std::uint8_t pattern, in.Pattern(s));
  // Touching a page wholly past EOF raises SIGBUS: refuse instead.
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t size, in.SizeOf(in.mapping_file()));
  const std::uint64_t ps = os::PageSize();
  if (offset + length > (size + ps - 1) / ps * ps)
    return Fail(ErrorKind::kInvalid, "mwrite past the page that holds EOF (" +
                                         std::to_string(size) + ") would raise SIGBUS");
  EOFZERO_RETURN_IF_ERROR(in.sys().FillMapping(*in.mapping(), offset, length, pattern));
  // Bytes stored past EOF through a mapping are not file data: they must
  // never show up, so only the part below EOF is the case's own.
  if (offset < size)
    if (auto part = in.EofBlockPart(in.mapping_file(), offset, std::min(length, size - offset)))
      in.NoteWrite(part->begin, Bytes(part->size(), pattern));
  return {};
}

Status Msync(Interpreter& in, const Step& s) {
  if (!in.mapping()) return Fail(ErrorKind::kInvalid, "msync without an mmap");
  return in.sys().SyncMapping(*in.mapping(), s.Has('a'), s.Has('i'), s.Has('s'));
}

Status Munmap(Interpreter& in, const Step&) {
  in.Unmap();
  return {};
}

Status Flush(Interpreter& in, os::FlushCall call) {
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(in.current()));
  EOFZERO_RETURN_IF_ERROR(in.sys().Flush(fd, call, in.PathOf(in.current())));
  // syncfs makes every file durable, fsync and fdatasync the current one.
  return in.NoteDurable(call == os::FlushCall::kSyncfs ? "" : in.current());
}
Status Fsync(Interpreter& in, const Step&) { return Flush(in, os::FlushCall::kFsync); }
Status Fdatasync(Interpreter& in, const Step&) { return Flush(in, os::FlushCall::kFdatasync); }
Status Syncfs(Interpreter& in, const Step&) { return Flush(in, os::FlushCall::kSyncfs); }
Status Sync(Interpreter& in, const Step&) {
  in.sys().SyncAll();
  return in.NoteDurable("");
}

Status SyncRange(Interpreter& in, const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, in.Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(in.current()));
  return in.sys().SyncRange(fd, offset, length, s.Has('b'), s.Has('w'), s.Has('a'),
                            in.PathOf(in.current()));
}

// copy_range and reflink: what lands in the EOF block is read from the source
// first (only that part), so the oracles know the case's own bytes there.
Status CopyInto(Interpreter& in, const std::string& source, std::uint64_t src_off,
                std::uint64_t dst_off, std::uint64_t length, bool clone) {
  const std::string& file = in.current();
  const auto part = in.EofBlockPart(file, dst_off, length);
  Bytes data;
  if (part) {
    EOFZERO_ASSIGN_OR_RETURN(
        data, in.SourceBytes(source, src_off + (part->begin - dst_off), part->size()));
  }
  EOFZERO_ASSIGN_OR_RETURN(int src, in.Fd(source));
  EOFZERO_ASSIGN_OR_RETURN(int dst, in.Fd(file));
  if (clone) {
    EOFZERO_RETURN_IF_ERROR(
        in.sys().CloneRange(src, src_off, dst, dst_off, length, in.PathOf(file)));
  } else {
    EOFZERO_RETURN_IF_ERROR(
        in.sys().CopyRange(src, src_off, dst, dst_off, length, in.PathOf(file)));
  }
  if (part) in.NoteWrite(part->begin, std::move(data));
  return {};
}

Status CopyRange(Interpreter& in, const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t src_off, in.FlagValue(s, 's', 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t dst_off, in.FlagValue(s, 'd', 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t src_size, in.SizeOf(s.words[0]));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length,
                           in.FlagValue(s, 'l', src_size > src_off ? src_size - src_off : 0));
  return CopyInto(in, s.words[0], src_off, dst_off, length, false);
}

Status Reflink(Interpreter& in, const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t src_off, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t dst_off, in.Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, in.Arg(s, 2));
  return CopyInto(in, s.words[0], src_off, dst_off, length, true);
}

Status File(Interpreter& in, const Step& s) {
  in.SetCurrent(s.words[0]);
  return {};
}

// --- The project's own steps (engine/scenario.cc) ---

Status Shutdown(Interpreter& in, const Step& s) { return in.Shutdown(s); }
Status CycleMount(Interpreter& in, const Step&) { return in.CycleMount(); }
Status Plant(Interpreter& in, const Step&) { return in.Plant(); }
Status CheckGap(Interpreter& in, const Step&) { return in.CheckGap(); }
Status ExpectSize(Interpreter& in, const Step& s) { return in.ExpectSize(s); }

constexpr StepRole kAct = StepRole::kAction;

const StepDef kSteps[] = {
    {"pwrite", "S:DaAN", "nn", "pwrite [-S pat] [-D] [-a] [-A] [-N] off len",
     "write `len` bytes of `pat` (default `0xcd`); `-D` O_DIRECT (aligned buffer; unlike "
     "xfs_io's `-D`, RWF_DSYNC), `-a` `write(2)` on an O_APPEND descriptor, `-A` "
     "`pwritev2(RWF_APPEND)`, `-N` `pwritev2(RWF_NOWAIT)` (with `-a`/`-A` the kernel picks the "
     "offset)",
     "pwrite -S 0x42 -D -a -A -N {eob} {bs}", true, kAct, Pwrite, Writes},
    {"pread", "", "nn", "pread off len",
     "buffered read, to fill the page cache (readahead, large folios)", "pread 0 {eob}", true, kAct,
     Pread, Reads},
    {"truncate", "", "n", "truncate size", "`ftruncate`", "truncate {eof}", true, kAct, Truncate,
     Sizes},
    {"falloc", "k", "nn", "falloc [-k] off len", "`fallocate` mode 0; `-k` adds `KEEP_SIZE`",
     "falloc -k {eob} {bs}", true, kAct, Falloc, Writes},
    {"fzero", "k", "nn", "fzero [-k] off len", "`fallocate` `ZERO_RANGE`; `-k` adds `KEEP_SIZE`",
     "fzero -k {eob} {bs}", true, kAct, Fzero, Writes},
    {"fpunch", "", "nn", "fpunch off len", "`fallocate` `PUNCH_HOLE|KEEP_SIZE`", "fpunch 0 {bs}",
     true, kAct, Fpunch, Spans},
    {"mmap", "", "nn", "mmap off len",
     "a shared read-write mapping of the pages that hold `[off, off + len)`", "mmap 0 {2 * bs}",
     true, kAct, Mmap, Spans},
    {"mwrite", "S:", "nn", "mwrite [-S pat] off len",
     "stores through the mapping (never past the page that holds EOF: that would be SIGBUS); "
     "bytes stored past EOF are not file data and must never show up",
     "mwrite -S 0x5a {eof} {gap}", true, kAct, Mwrite, Writes},
    {"msync", "ais", "", "msync [-a] [-i] [-s]",
     "`msync` with `MS_ASYNC` / `MS_INVALIDATE` / `MS_SYNC` (default `MS_SYNC`)", "msync -a -i -s",
     true, kAct, Msync, nullptr},
    {"munmap", "", "", "munmap", "drops the mapping", "munmap", true, kAct, Munmap, nullptr},
    {"fsync", "", "", "fsync", "`fsync`", "fsync", true, kAct, Fsync, nullptr},
    {"fdatasync", "", "", "fdatasync", "`fdatasync`", "fdatasync", true, kAct, Fdatasync, nullptr},
    {"sync_range", "abw", "nn", "sync_range [-b] [-w] [-a] off len",
     "`sync_file_range` with WAIT_BEFORE / WRITE / WAIT_AFTER, all that are given",
     "sync_range -a -b -w {eob} {bs}", true, kAct, SyncRange, Spans},
    {"syncfs", "", "", "syncfs", "`syncfs`", "syncfs", true, kAct, Syncfs, nullptr},
    {"sync", "", "", "sync", "`sync`", "sync", true, kAct, Sync, nullptr},
    {"copy_range", "s:d:l:", "w", "copy_range [-s off] [-d off] [-l len] file",
     "`copy_file_range` from another of the case's files",
     "copy_range -s 0 -d {eob} -l {bs} donor.bin", true, kAct, CopyRange, Copies},
    {"reflink", "", "wnnn", "reflink file src_off dst_off len",
     "`FICLONERANGE` from another of the case's files", "reflink donor_1 0 {eob} {bs}", true, kAct,
     Reflink, Clones},
    {"shutdown", "f", "", "shutdown [-f]",
     "`FS_IOC_SHUTDOWN`, `-f` LOGFLUSH, else NOLOGFLUSH; files stay open as a crashing "
     "process's would",
     "shutdown -f", true, StepRole::kShutdown, Shutdown, nullptr},
    {"file", "", "w", "file name",
     "later steps act on the case's file `name` (`file main` goes back to the case's own)",
     "file other-file.dat", false, kAct, File, nullptr},
    {"cycle_mount", "", "", "cycle_mount",
     "unmount and mount (after a shutdown: journal replay), as fstests' `_scratch_cycle_mount`",
     "cycle_mount", false, StepRole::kCycleMount, CycleMount, nullptr},
    {"plant", "", "", "plant",
     "FIEMAP the EOF block (the file must be `eof` bytes), unmount, write the sentinel over the "
     "physical block after the UUID check, read it back, mount",
     "plant", false, StepRole::kPlant, Plant, nullptr},
    {"check gap", "", "", "check gap",
     "read `[eof, eob)` through every oracle of the phase (before or after the crash)", "check gap",
     false, StepRole::kCheckGap, CheckGap, nullptr},
    {"expect size", "", "n", "expect size n", "the file's size must be `n`",
     "expect size {eob + bs}", false, StepRole::kExpectSize, ExpectSize, Sizes},
};

}  // namespace

std::span<const StepDef> StepDefs() { return kSteps; }

const StepDef* FindStep(std::string_view name) {
  for (const auto& def : kSteps)
    if (name == def.name) return &def;
  return nullptr;
}

}  // namespace eofzero::engine
