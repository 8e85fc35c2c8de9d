// The step registry: one entry per step of the case language, with its
// handler and what it asks of the filesystem. To add a step, add its handler
// and its entry here (and, only if it needs a system call the os/ layer does
// not have yet, an os::System method).
#include <fcntl.h>

#include <algorithm>

#include "engine/interpreter.h"
#include "engine/race_steps.h"
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
// xfs_io's buffer size (-b) and iovec count (-V, at most IOV_MAX).
StepDemand PwriteDemand(const StepNumbers& n, const StepFlagValues& flag) {
  StepDemand d = Writes(n, flag);
  if (flag.contains('b') && (flag.at('b') == 0 || flag.at('b') > (1u << 26)))
    d.invalid = "-b " + std::to_string(flag.at('b')) + " is not a buffer size from 1 to 64 MiB";
  if (flag.contains('V') && flag.at('V') > 1024)
    d.invalid = "-V " + std::to_string(flag.at('V')) + " is more than IOV_MAX (1024) vectors";
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

int OpenFlags(int step_flags) {
  return (step_flags & kOpenAppend ? O_APPEND : 0) | (step_flags & kOpenDirect ? O_DIRECT : 0) |
         (step_flags & kOpenSync ? O_SYNC : 0) | (step_flags & kOpenDsync ? O_DSYNC : 0);
}

// What a write promises once it returns, by its open and RWF_ flags.
const char* WritePromise(int open, int rwf) {
  if (rwf & os::RwfFlag(os::Rwf::kSync)) return "RWF_SYNC write";
  if (rwf & os::RwfFlag(os::Rwf::kDsync)) return "RWF_DSYNC write";
  if (open & kOpenSync) return "O_SYNC write";
  if (open & kOpenDsync) return "O_DSYNC write";
  return nullptr;
}

// As xfs_io's pwrite: `len` bytes in calls of `-b` bytes (default 4096), each
// from one buffer (with -V, pwritev2 with that many iovecs).
Status Pwrite(Interpreter& in, const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, in.Arg(s, 1));
  EOFZERO_ASSIGN_OR_RETURN(std::uint8_t pattern, in.Pattern(s));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t chunk_size, in.FlagValue(s, 'b', 4096));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t vectors, in.FlagValue(s, 'V', 0));
  const std::string& file = in.current();
  const int open = in.OpenFlagsOf(file) | s.open_flags;
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(file, OpenFlags(open)));
  const int rwf = (s.Has('D') ? os::RwfFlag(os::Rwf::kDsync) : 0) |
                  (s.Has('N') ? os::RwfFlag(os::Rwf::kNowait) : 0) |
                  (s.Has('P') ? os::RwfFlag(os::Rwf::kAppend) : 0) |
                  (s.Has('Y') ? os::RwfFlag(os::Rwf::kSync) : 0);
  const bool appends = (open & kOpenAppend) || s.Has('P');
  if (appends) {  // the kernel picks the offset: the current size
    EOFZERO_ASSIGN_OR_RETURN(offset, in.SizeOf(file));
  }
  const os::WriteHow how{(open & kOpenAppend) != 0, rwf, static_cast<std::uint32_t>(vectors),
                         open & kOpenDirect ? in.DirectAlign(fd) : 0};
  const Bytes chunk(std::min(length, chunk_size), pattern);
  for (std::uint64_t done = 0; done < length; done += chunk_size) {
    const ByteView data(chunk.data(), std::min(length - done, chunk_size));
    EOFZERO_RETURN_IF_ERROR(in.sys().Write(fd, data, offset + done, how, in.PathOf(file)));
    in.RecordWrite(file, {offset + done, data.size(), pattern, {}}, "pwrite");
    if (const char* promise = WritePromise(open, rwf))
      in.RecordPromise(file, Promise::kRange, promise, offset + done, offset + done + data.size());
  }
  if (s.Has('w') || s.Has('W')) {
    const auto call = s.Has('W') ? os::FlushCall::kFsync : os::FlushCall::kFdatasync;
    EOFZERO_RETURN_IF_ERROR(in.sys().Flush(fd, call, in.PathOf(file)));
    in.RecordPromise(file, Promise::kFile, s.Has('W') ? "fsync" : "fdatasync");
  }
  return {};
}

// Later steps act on `file`, their writes through a descriptor opened with
// exactly these flags (as xfs_io's open makes the file current).
Status Open(Interpreter& in, const Step& s) {
  in.SetCurrent(s.words[0]);
  in.SetOpenFlags(s.words[0], (s.Has('a') ? kOpenAppend : 0) | (s.Has('d') ? kOpenDirect : 0) |
                                  (s.Has('s') ? kOpenSync : 0) | (s.Has('y') ? kOpenDsync : 0));
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
  EOFZERO_RETURN_IF_ERROR(in.sys().Truncate(fd, size, in.PathOf(in.current())));
  in.RecordResize(in.current(), size, "truncate");
  return {};
}

Status Fallocate(Interpreter& in, const Step& s, int mode, const char* what) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, in.Arg(s, 1));
  const std::string& file = in.current();
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(file));
  const auto modes = os::FallocFlags();
  if (s.Has('k')) mode |= modes.keep_size;
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t size, in.SizeOf(file));
  EOFZERO_RETURN_IF_ERROR(in.sys().Fallocate(fd, mode, offset, length, in.PathOf(file)));
  const std::uint64_t new_size = mode & modes.keep_size ? size : std::max(size, offset + length);
  if (mode & (modes.zero_range | modes.punch_hole))
    in.RecordZero(file, offset, offset + length, new_size, what);
  else
    in.RecordResize(file, new_size, what);
  return {};
}
Status Falloc(Interpreter& in, const Step& s) { return Fallocate(in, s, 0, "falloc"); }
Status Fzero(Interpreter& in, const Step& s) {
  return Fallocate(in, s, os::FallocFlags().zero_range, "fzero");
}
Status Fpunch(Interpreter& in, const Step& s) {
  const auto modes = os::FallocFlags();
  return Fallocate(in, s, modes.punch_hole | modes.keep_size, "fpunch");
}

// COLLAPSE_RANGE and INSERT_RANGE move the file's bytes: the model moves its
// record of them (Interpreter::RecordShift).
Status Shift(Interpreter& in, const Step& s, int mode, bool collapse, const char* what) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t offset, in.Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t length, in.Arg(s, 1));
  const std::string& file = in.current();
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(file));
  EOFZERO_RETURN_IF_ERROR(in.sys().Fallocate(fd, mode, offset, length, in.PathOf(file)));
  in.RecordShift(file, offset, length, collapse, what);
  return {};
}
Status Fcollapse(Interpreter& in, const Step& s) {
  return Shift(in, s, os::FallocFlags().collapse_range, true, "fcollapse");
}
Status Finsert(Interpreter& in, const Step& s) {
  return Shift(in, s, os::FallocFlags().insert_range, false, "finsert");
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
    in.RecordWrite(in.mapping_file(), {offset, std::min(length, size - offset), pattern, {}},
                   "mwrite");
  return {};
}

Status Msync(Interpreter& in, const Step& s) {
  if (!in.mapping()) return Fail(ErrorKind::kInvalid, "msync without an mmap");
  EOFZERO_RETURN_IF_ERROR(in.sys().SyncMapping(*in.mapping(), s.Has('a'), s.Has('i'), s.Has('s')));
  // MS_SYNC (the default) writes the mapped range back and waits, as
  // fdatasync of that range does; MS_ASYNC promises nothing.
  if (!s.Has('a'))
    in.RecordPromise(in.mapping_file(), Promise::kRange, "msync(MS_SYNC)", in.mapped().begin,
                     in.mapped().end);
  return {};
}

Status Munmap(Interpreter& in, const Step&) {
  in.Unmap();
  return {};
}

Status Flush(Interpreter& in, os::FlushCall call, const char* what) {
  EOFZERO_ASSIGN_OR_RETURN(int fd, in.Fd(in.current()));
  EOFZERO_RETURN_IF_ERROR(in.sys().Flush(fd, call, in.PathOf(in.current())));
  // syncfs makes every file durable, fsync and fdatasync the current one.
  in.RecordPromise(call == os::FlushCall::kSyncfs ? "" : in.current(), Promise::kFile, what);
  return {};
}
Status Fsync(Interpreter& in, const Step&) { return Flush(in, os::FlushCall::kFsync, "fsync"); }
Status Fdatasync(Interpreter& in, const Step&) {
  return Flush(in, os::FlushCall::kFdatasync, "fdatasync");
}
Status Syncfs(Interpreter& in, const Step&) { return Flush(in, os::FlushCall::kSyncfs, "syncfs"); }
Status Sync(Interpreter& in, const Step&) {
  in.sys().SyncAll();
  in.RecordPromise("", Promise::kFile, "sync");
  return {};
}

// sync_file_range promises nothing (its manual: it neither writes metadata
// nor flushes the disk cache), so the model records no promise for it.
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
  // What lands in the file is read from the source first (only what exists).
  EOFZERO_ASSIGN_OR_RETURN(Bytes data, in.SourceBytes(source, src_off, length));
  EOFZERO_ASSIGN_OR_RETURN(int src, in.Fd(source));
  EOFZERO_ASSIGN_OR_RETURN(int dst, in.Fd(file));
  if (clone) {
    EOFZERO_RETURN_IF_ERROR(
        in.sys().CloneRange(src, src_off, dst, dst_off, length, in.PathOf(file)));
  } else {
    EOFZERO_RETURN_IF_ERROR(
        in.sys().CopyRange(src, src_off, dst, dst_off, length, in.PathOf(file)));
  }
  const std::uint64_t copied = data.size();
  in.RecordWrite(file, {dst_off, copied, 0, std::move(data)}, clone ? "reflink" : "copy_range");
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
    {"pwrite", "S:b:V:DNwWPY", "nn",
     "pwrite [-S pat] [-b size] [-V n] [-D] [-N] [-w] [-W] [-P] [-Y] off len",
     "write `len` bytes of `pat` (default `0xcd`) in calls of `-b` bytes (default 4096), as "
     "xfs_io does: `-V n` `pwritev2` with n vectors, `-D` `RWF_DSYNC`, `-N` `RWF_NOWAIT`, `-w` "
     "`fdatasync` after, `-W` `fsync` after; eofzero's own: `-P` `RWF_APPEND` and `-Y` "
     "`RWF_SYNC` (the kernel picks the offset with `-P` or on an `open -a` file)",
     "pwrite -S 0x42 -b 8192 -V 2 -D -N -w -W -P -Y {eob} {bs}", true, kAct, Pwrite, PwriteDemand,
     "PY"},
    {"open", "adsy", "w", "open [-a] [-d] [-s] [-y] file",
     "later steps act on the case's file `file` (`main` is the case's own), and pwrite writes it "
     "through a descriptor opened with `O_APPEND` / `O_DIRECT` (aligned buffers) / `O_SYNC`, "
     "and eofzero's own `-y` `O_DSYNC`; no flag: a plain descriptor",
     "open -a -d -s -y main", true, kAct, Open, nullptr, "y"},
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
    {"fcollapse", "", "nn", "fcollapse off len",
     "`fallocate` `COLLAPSE_RANGE`: removes `[off, off + len)` and moves what follows down by "
     "`len` (block-aligned, ending before EOF)",
     "fcollapse {bs} {bs}", true, kAct, Fcollapse, Spans},
    {"finsert", "", "nn", "finsert off len",
     "`fallocate` `INSERT_RANGE`: moves what follows `off` up by `len`, leaving a hole there "
     "(block-aligned, before EOF)",
     "finsert 0 {bs}", true, kAct, Finsert, Spans},
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
    {"shutdown", "fs", "", "shutdown [-f] [-s]",
     "`FS_IOC_SHUTDOWN`, `-f` LOGFLUSH, else NOLOGFLUSH; eofzero's own `-s`: DEFAULT (freeze: "
     "everything written back first); files stay open as a crashing process's would",
     "shutdown -f -s", true, StepRole::kShutdown, Shutdown, nullptr, "s"},
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
    // The race steps (engine/race_steps.cc): threads at once, `-n` times.
    {"race_mmap_append", "n:S:", "", "race_mmap_append [-n N] [-S pat]",
     "threads: stores through a mapping of the EOF page (past EOF: never file data) against "
     "that page's writeback, then stores below EOF against a `pwrite` of `pat` from the next "
     "block boundary and its `sync_file_range`; the file grows by a block each time and each gap "
     "must read zero (checked at once, and by `check races`)",
     "race_mmap_append -n 50 -S 0x42", false, kAct, RaceMmapAppend, RaceAppendDemand},
    {"race_dio", "n:uN", "n", "race_dio [-n N] [-u] [-N] off",
     "threads: two `O_DIRECT` writers of one sector each into the same block (every other block "
     "from `off`, inside the file): a hole, `-u` an unwritten extent, `-N` with `RWF_NOWAIT` "
     "(`EAGAIN` allowed); each writer's bytes intact and the rest of the block zero (checked at "
     "once, and by `check races`)",
     "race_dio -n 50 -u -N {eob + bs}", false, kAct, RaceDio, RaceDioDemand},
    {"race_dio_read", "n:", "nn", "race_dio_read [-n N] off len",
     "threads: `O_DIRECT` reads of each block and of each sector, one `O_DIRECT` read of the "
     "whole range and a buffered read of `[off, off + len)` (whole blocks inside the file), at "
     "once: all must agree (a disagreement is never a pass)",
     "race_dio_read -n 50 0 {eob}", false, kAct, RaceDioRead, RaceReadDemand},
    {"check races", "", "", "check races",
     "reads every range a race step wrote again (buffered; `O_DIRECT` after the crash): each "
     "byte what the step's threads wrote there or zero where that was due (after a crash no "
     "promise covered: zero anywhere)",
     "check races", false, kAct, CheckRaces, nullptr},
};

}  // namespace

std::span<const StepDef> StepDefs() { return kSteps; }

const StepDef* FindStep(std::string_view name) {
  for (const auto& def : kSteps)
    if (name == def.name) return &def;
  return nullptr;
}

}  // namespace eofzero::engine
