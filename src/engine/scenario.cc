#include "engine/scenario.h"

#include <fcntl.h>

#include <chrono>
#include <exception>

#include "engine/block_readers.h"
#include "engine/case_text.h"
#include "engine/faults.h"
#include "engine/interpreter.h"
#include "engine/sentinel.h"
#include "scratch/raw_access.h"

namespace eofzero::engine {

using os::ErrorKind;
using os::Fail;
using os::Status;

// The plant: FIEMAP the block that holds the old EOF, unmount, write the
// sentinel over the physical block (inside the mapped extent, after the UUID
// check), read it back, mount, and look through the file with O_DIRECT.
Status Interpreter::Plant() {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t size, SizeOf(""));
  if (size != run_.old_eof)
    return Fail(ErrorKind::kInvalid, "the file is " + std::to_string(size) +
                                         " bytes at the plant; the case's eof is " +
                                         std::to_string(run_.old_eof));
  CloseAll();
  const std::string path = PathOf("");
  {
    EOFZERO_ASSIGN_OR_RETURN(os::SystemFd fd, os::OpenOwned(sys(), path, O_RDONLY));
    EOFZERO_ASSIGN_OR_RETURN(bool realtime, sys().IsRealtimeFile(fd.get(), path));
    if (realtime)
      return Fail(ErrorKind::kUnsupported,
                  "file data lives on the realtime device: FIEMAP addresses are not offsets on " +
                      fs_.device());
    // After an fsync nothing is dirty: no FIEMAP_FLAG_SYNC needed.
    EOFZERO_ASSIGN_OR_RETURN(
        auto extents, sys().MapExtents(fd.get(), run_.eof_block, bs_, os::FiemapSync::kNo, path));
    EOFZERO_ASSIGN_OR_RETURN(extents, DeviceExtents(std::move(extents)));
    EOFZERO_ASSIGN_OR_RETURN(auto geometry, sys().Geometry(fs_.device()));
    auto where = scratch::LocateBlockForPlant(extents, run_.eof_block, bs_, geometry.size);
    if (!where) return Fail(ErrorKind::kUnsupported, where.error());
    where_ = *where;
  }
  EOFZERO_RETURN_IF_ERROR(PlantAt(where_));
  run_.plant = PlantRecord{where_.extent, where_.device_offset, bs_, true, std::nullopt};
  // The sentinel block covers the file's own bytes below EOF too: those are
  // file data now, written to the disk while it was unmounted.
  Bytes below_eof = SentinelBlock(bs_);
  below_eof.resize(run_.old_eof - run_.eof_block);
  const std::uint64_t below = below_eof.size();
  RecordWrite("", {run_.eof_block, below, 0, std::move(below_eof)}, "the plant");
  RecordPromise("", Promise::kFile, "the plant");
  planted_ = true;
  plant_step_ = static_cast<std::size_t>(step_ - spec_.steps.data());
  // Nothing is cached or dirty yet, so this O_DIRECT read perturbs nothing; it
  // shows whether the file's read path exposes the plant.
  EOFZERO_ASSIGN_OR_RETURN(os::SystemFd fd, os::OpenOwned(sys(), path, O_RDONLY));
  BlockRequest req{path,
                   fd.get(),
                   run_.eof_block,
                   bs_,
                   ByteRange{run_.old_eof - run_.eof_block, bs_},
                   Phase::kBeforeCrash};
  EOFZERO_ASSIGN_OR_RETURN(BlockView probe, ReadDirect(sys(), req, DeviceAlign()));
  bool seen = probe.bytes.size() == bs_;
  for (std::uint64_t i = req.gap.begin; seen && i < bs_; ++i)
    seen = IsSentinelByte(i, probe.bytes[i]);
  run_.plant->seen_through_file = seen;
  if (!seen)
    run_.notes.push_back(
        "before the extension, an O_DIRECT read of the EOF block did not show the planted "
        "sentinel past EOF");
  return {};
}

Status Interpreter::PlantAt(const scratch::BlockLocation& where) {
  const Bytes sentinel = SentinelBlock(bs_);
  const std::uint64_t offset = where.device_offset;
  CloseAll();
  EOFZERO_RETURN_IF_ERROR(fs_.Unmount());
  EOFZERO_RETURN_IF_ERROR(scratch::WriteInsideExtent(fs_, where, offset, sentinel));
  EOFZERO_ASSIGN_OR_RETURN(Bytes back, scratch::ReadDeviceRange(fs_, offset, bs_));
  if (back != sentinel)
    return Fail(ErrorKind::kVerification, "plant not verified: the block at device offset " +
                                              std::to_string(offset) + " on " + fs_.device() +
                                              " does not hold the sentinel after the write");
  return fs_.Mount();
}

Status Interpreter::CheckGap() {
  if (!planted_) return Fail(ErrorKind::kInvalid, "check gap before the plant");
  return crashed_ ? CheckGapAfterCrash() : CheckGapBeforeCrash();
}

Status Interpreter::CheckGapBeforeCrash() {
  EOFZERO_ASSIGN_OR_RETURN(int fd, Fd(""));
  BlockRequest req{
      PathOf(""),         fd, run_.eof_block, bs_, ByteRange{run_.old_eof - run_.eof_block, bs_},
      Phase::kBeforeCrash};
  const std::size_t first = run_.views.size();
  EOFZERO_ASSIGN_OR_RETURN(BlockView buffered, ReadBuffered(sys(), req));
  run_.views.push_back(std::move(buffered));
  EOFZERO_ASSIGN_OR_RETURN(BlockView mapped, ReadMmapped(sys(), req));
  run_.views.push_back(std::move(mapped));
  if (opt_.direct_read_before_crash) {
    EOFZERO_ASSIGN_OR_RETURN(BlockView direct, ReadDirect(sys(), req, DeviceAlign()));
    run_.views.push_back(std::move(direct));
  }
  // The size the reads saw (nothing changes the file between them).
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t size, SizeOf(""));
  for (std::size_t i = first; i < run_.views.size(); ++i) {
    run_.views[i].written = run_.written;
    run_.views[i].file_size = size;
    run_.views[i].events = run_.history.events.size();
  }
  return {};
}

// After the crash: O_DIRECT, mmap and buffered reads of the EOF block (the
// clean cache dropped before each cached read), then FIEMAP again (the block
// may have moved), unmount, read the file offline (no kernel filesystem code)
// and run fsck on both views of the disk (disk_views.cc), and read the
// physical block from the device.
Status Interpreter::CheckGapAfterCrash() {
  CloseAll();
  const std::string path = PathOf("");
  std::optional<scratch::BlockLocation> block;
  os::FileStat st;
  {
    EOFZERO_ASSIGN_OR_RETURN(os::SystemFd fd, os::OpenOwned(sys(), path, O_RDONLY));
    EOFZERO_ASSIGN_OR_RETURN(st, sys().Stat(fd.get(), path));
    BlockRequest req{path,
                     fd.get(),
                     run_.eof_block,
                     bs_,
                     ByteRange{run_.old_eof - run_.eof_block, bs_},
                     Phase::kAfterCrash};
    const std::size_t first = run_.views.size();
    EOFZERO_ASSIGN_OR_RETURN(BlockView direct, ReadDirect(sys(), req, DeviceAlign()));
    run_.views.push_back(std::move(direct));
    EOFZERO_RETURN_IF_ERROR(sys().DropCachedPages(fd.get(), path));
    if (auto mapped = ReadMmapped(sys(), req); mapped) {
      run_.views.push_back(std::move(*mapped));
    } else if (mapped.error().kind == ErrorKind::kInvalid) {
      run_.notes.push_back("mmap oracle not applicable after the crash: " +
                           mapped.error().Message());
    } else {
      return std::unexpected(mapped.error());
    }
    EOFZERO_RETURN_IF_ERROR(sys().DropCachedPages(fd.get(), path));
    EOFZERO_ASSIGN_OR_RETURN(BlockView buffered, ReadBuffered(sys(), req));
    run_.views.push_back(std::move(buffered));
    for (std::size_t i = first; i < run_.views.size(); ++i) {
      run_.views[i].written = run_.written;
      run_.views[i].file_size = st.size;
      run_.views[i].events = run_.history.events.size();
    }
    if (run_.file_views.empty()) {  // the crash model judges the first crash
      EOFZERO_RETURN_IF_ERROR(ReadFileViews(fd.get(), st.size));
    }
    EOFZERO_ASSIGN_OR_RETURN(block, MapEofBlock(fd.get()));
  }
  EOFZERO_RETURN_IF_ERROR(fs_.Unmount());
  EOFZERO_RETURN_IF_ERROR(CheckDiskViews(block, st.inode, st.size));
  if (!block) return fs_.Mount();
  BlockView raw;
  raw.oracle = Oracle::kRawDevice;
  raw.phase = Phase::kAfterCrash;
  raw.base_offset = block->device_offset;
  raw.gap = ByteRange{run_.old_eof - run_.eof_block, bs_};
  raw.written = run_.written;
  raw.file_size = st.size;
  raw.events = run_.history.events.size();
  EOFZERO_ASSIGN_OR_RETURN(raw.bytes, scratch::ReadDeviceRange(fs_, block->device_offset, bs_));
  if (block->device_offset != where_.device_offset)
    raw.note = "the block moved from device offset " + std::to_string(where_.device_offset);
  run_.views.push_back(std::move(raw));
  return fs_.Mount();
}

// Maps the EOF block after the crash (nothing is dirty: FIEMAP is safe now).
// FIEMAP's extents with device offsets (the driver's mapping: the same
// numbers on ext4 and xfs).
os::Result<std::vector<os::Extent>> Interpreter::DeviceExtents(std::vector<os::Extent> extents) {
  return fsdriver::Driver(fs_.spec().fs).DeviceExtents(sys(), fs_.device(), std::move(extents));
}

os::Result<std::optional<scratch::BlockLocation>> Interpreter::MapEofBlock(int fd) {
  const std::string path = PathOf("");
  EOFZERO_ASSIGN_OR_RETURN(auto extents,
                           sys().MapExtents(fd, run_.eof_block, bs_, os::FiemapSync::kNo, path));
  for (const auto& e : extents)
    if (e.logical <= run_.eof_block && run_.eof_block < e.logical + e.length)
      run_.extent_after_crash = e;
  auto on_device = DeviceExtents(std::move(extents));
  if (!on_device) {
    if (on_device.error().kind != ErrorKind::kUnsupported) return std::unexpected(on_device.error());
    run_.notes.push_back("raw-device oracle not applicable after the crash: " +
                         on_device.error().Message());
    return std::optional<scratch::BlockLocation>();
  }
  extents = std::move(*on_device);
  EOFZERO_ASSIGN_OR_RETURN(auto geometry, sys().Geometry(fs_.device()));
  auto where = scratch::LocateBlockForPlant(extents, run_.eof_block, bs_, geometry.size);
  if (!where) {
    run_.notes.push_back("raw-device oracle not applicable after the crash: " + where.error());
    return std::optional<scratch::BlockLocation>();
  }
  return std::optional(*where);
}

Status Interpreter::ExpectSize(const Step& s) {
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t expected, Arg(s, 0));
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t observed, SizeOf(""));
  run_.sizes.push_back(
      {crashed_ ? Phase::kAfterCrash : Phase::kBeforeCrash, s.line, expected, observed});
  return {};
}

Status Interpreter::Shutdown(const Step& s) {
  const os::ShutdownFlag flag = opt_.shutdown_flag.value_or(
      s.Has('s')   ? os::ShutdownFlag::kDefault
      : s.Has('f') ? os::ShutdownFlag::kLogFlush
                   : os::ShutdownFlag::kNoLogFlush);
  // Descriptors stay open through the shutdown, as a crashing process's would.
  if (auto down = fs_.Shutdown(flag); !down) {
    const fsdriver::FsDriver& driver = fsdriver::Driver(fs_.spec().fs);
    if (down.error().kind != ErrorKind::kUnsupported || driver.HasShutdown())
      return std::unexpected(down.error());
    if (opt_.clean_cycle_without_shutdown) {
      RecordPromise("", Promise::kFile, "the clean unmount standing in for the crash");
      Record("", Event{.kind = Event::Kind::kCrash, .what = "clean unmount (no shutdown ioctl)"});
      if (!crashed_ && planted_)
        run_.crash_point = CrashPoint{plant_step_, static_cast<std::size_t>(step_ - spec_.steps.data()),
                                      run_.written, run_.history.events.size(), race_expectations_};
      down_ = crashed_ = true;
      return {};
    }
    // No FS_IOC_SHUTDOWN here: the crash is a power cut at this point, a
    // crash state of the write log (run --record DIR --crash-states); the
    // filesystem itself is not crashed, so the live run stops here.
    Record("", Event{.kind = Event::Kind::kCrash, .what = "power cut"});
    if (!crashed_ && planted_) {
      run_.durable_size_at_crash = DurableSize();
      run_.crash_point = CrashPoint{plant_step_, static_cast<std::size_t>(step_ - spec_.steps.data()),
                                    run_.written, run_.history.events.size(), race_expectations_};
      run_.crash_states_only = true;
    }
    return Fail(ErrorKind::kUnsupported,
                std::string(driver.Name()) + " has no FS_IOC_SHUTDOWN on this kernel (" +
                    down.error().Message() +
                    "): its crash is judged on crash states only (run --record DIR --crash-states)");
  }
  // A shutdown that freezes first writes everything back, as sync would.
  if (flag == os::ShutdownFlag::kDefault) RecordPromise("", Promise::kFile, "the freeze before the shutdown");
  Record("", Event{.kind = Event::Kind::kCrash, .what = os::ShutdownFlagName(flag)});
  if (!crashed_ && planted_)
    run_.crash_point = CrashPoint{plant_step_, static_cast<std::size_t>(step_ - spec_.steps.data()),
                                  run_.written, run_.history.events.size(), race_expectations_};
  down_ = crashed_ = true;
  if (flag == os::ShutdownFlag::kNoLogFlush) run_.durable_size_at_crash = DurableSize();
  return {};
}

Status Interpreter::CycleMount() {
  CloseAll();
  EOFZERO_RETURN_IF_ERROR(fs_.Unmount());
  if (!crashed_) RecordPromise("", Promise::kFile, "a clean unmount");
  EOFZERO_RETURN_IF_ERROR(fs_.Mount());
  down_ = false;
  return {};
}

std::string CaseFileBase(const std::string& case_name) { return "case_" + case_name; }

Status RemoveCaseFiles(const scratch::ScratchFs& fs, const CaseSpec& spec) {
  if (!fs.mounted()) return Fail(ErrorKind::kInvalid, fs.device() + " is not mounted");
  return os::RemoveFileFamily(fs.mount_dir(), CaseFileBase(spec.name));
}

CaseRun RunCase(scratch::ScratchFs& fs, const CaseSpec& spec, const ScenarioOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  CaseRun run;
  run.case_name = spec.name;
  run.case_file = spec.source;
  run.case_text = CaseFileText(spec, options.shutdown_flag);
  for (Fault f : options.faults) run.altered_by.push_back(std::string("--inject-fault ") + FaultName(f));
  if (options.direct_read_before_crash) run.altered_by.push_back("--direct-read-before-crash");
  if (!fs.no_crash_promise().empty()) {
    run.status = RunStatus::kSkipped;
    run.reason = fs.no_crash_promise();
    return run;
  }
  // The faults wrap the filesystem's System for this case only.
  std::vector<std::unique_ptr<os::System>> wrappers;
  for (Fault f : options.faults)
    wrappers.push_back(WrapWithFault(f, wrappers.empty() ? fs.system() : *wrappers.back(), fs));
  os::System& unwrapped = wrappers.empty() ? fs.system() : fs.UseSystem(*wrappers.back());
  Status st;
  fs.NoteStep(spec.name + ": before its steps");
  try {
    Interpreter interpreter(fs, spec, options, run);
    st = interpreter.Prepare();
    if (st) st = fs.Recover();
    if (st) st = interpreter.Run();
  } catch (const std::exception& e) {  // unwound: the case's descriptors and mappings are closed
    st = Fail(ErrorKind::kSystem, std::string("unexpected exception: ") + e.what());
  }  // closes every descriptor and mapping of the case
  fs.UseSystem(unwrapped);
  fs.NoteStep(spec.name + ": after its steps");
  // On storage that dropped writes, no finding and no pass means anything.
  if (auto disk = fs.CheckBackingStore(); !disk) st = std::unexpected(disk.error());
  if (st) {
    run.status = RunStatus::kCompleted;
  } else {
    run.status =
        st.error().kind == ErrorKind::kUnsupported ? RunStatus::kSkipped : RunStatus::kError;
    run.reason = st.error().Message();
    run.interrupted = st.error().kind == ErrorKind::kInterrupted;
    if (auto rec = fs.Recover(); !rec)
      run.notes.push_back("could not bring the filesystem back: " + rec.error().Message());
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

StateRun RunCrashState(scratch::ScratchFs& fs, const CaseSpec& spec,
                       const ScenarioOptions& options, const ResumeState& from) {
  const auto start = std::chrono::steady_clock::now();
  StateRun out;
  CaseRun& run = out.run;
  run.case_name = from.case_name;
  run.case_file = from.case_file;
  run.case_text = from.case_text;
  run.altered_by = from.altered_by;
  run.plant = from.plant;
  run.history = from.history;
  run.written = from.crash.written;
  run.crash_point = from.crash;
  run.status = RunStatus::kError;
  Status st;
  try {
    Interpreter interpreter(fs, spec, options, run);
    st = interpreter.Prepare();
    if (st) st = interpreter.RunAfterCrash(*run.crash_point);
    if (!st && interpreter.step() && interpreter.step()->def->role == StepRole::kCycleMount)
      out.mount_errno = st.error().errnum;
  } catch (const std::exception& e) {
    st = Fail(ErrorKind::kSystem, std::string("unexpected exception: ") + e.what());
  }
  if (st) {
    run.status = RunStatus::kCompleted;
  } else {
    run.status = RunStatus::kError;
    run.reason = st.error().Message();
    run.interrupted = st.error().kind == ErrorKind::kInterrupted;
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace eofzero::engine
