#include "engine/scenario.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "engine/block_readers.h"
#include "engine/sentinel.h"
#include "os/block_device.h"
#include "os/file_io.h"
#include "os/interrupt.h"
#include "scratch/plant_target.h"
#include "scratch/raw_access.h"

namespace eofzero::engine {
namespace {

using os::ErrorKind;
using os::Fail;
using os::Status;

class Scenario {
 public:
  Scenario(scratch::ScratchFs& fs, const CaseSpec& spec, const ScenarioOptions& opt, CaseRun& run)
      : fs_(fs), spec_(spec), opt_(opt), run_(run), bs_(fs.block_size()) {
    path_ = (fs.mount_dir() / ("case_" + spec.name)).string();
    run_.block_size = bs_;
    run_.old_eof = bs_ - opt.gap_bytes;
    run_.expected_size = 2ull * bs_;
    run_.lost_extension_allowed = opt.shutdown_flag == os::ShutdownFlag::kNoLogFlush;
  }

  Status Run() {
    EOFZERO_RETURN_IF_ERROR(Step("prepare", [&] { return fs_.Recover(); }));
    EOFZERO_RETURN_IF_ERROR(Step("write and map the first block", [&] { return WriteAndMap(); }));
    EOFZERO_RETURN_IF_ERROR(Step("plant the sentinel", [&] { return Plant(); }));
    EOFZERO_RETURN_IF_ERROR(Step("extend and crash", [&] { return ExtendAndCrash(); }));
    if (opt_.faults.stale_after_crash)
      EOFZERO_RETURN_IF_ERROR(Step("re-plant after the crash", [&] { return Replant(); }));
    EOFZERO_RETURN_IF_ERROR(Step("observe after the crash", [&] { return ObserveAfterCrash(); }));
    return Step("read the raw block", [&] { return ReadRawBlock(); });
  }

 private:
  template <class F>
  Status Step(const char* name, F&& body) {
    if (os::InterruptRequested())
      return Fail(ErrorKind::kInterrupted, std::string("interrupted before: ") + name);
    spdlog::debug("{}: {}", spec_.name, name);
    return body();
  }

  BlockRequest Request(int fd, Phase phase) const {
    return {path_, fd, 0, bs_, ByteRange{run_.old_eof, bs_}, phase};
  }

  std::uint32_t DeviceAlign() const {
    auto g = os::ProbeGeometry(fs_.device());
    return g ? g->logical_block_size : 512;
  }

  Status WriteAndMap() {
    EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd,
                             os::OpenFile(path_, O_RDWR | O_CREAT | O_TRUNC, 0644));
    EOFZERO_RETURN_IF_ERROR(os::WriteAll(fd.get(), Bytes(bs_, 0x5a), 0, path_));
    EOFZERO_RETURN_IF_ERROR(os::Fsync(fd.get(), path_));
    // Mapped before the extension, after fsync: no FIEMAP_FLAG_SYNC needed.
    EOFZERO_ASSIGN_OR_RETURN(auto extents,
                             os::MapExtents(fd.get(), 0, bs_, os::FiemapSync::kNo, path_));
    EOFZERO_ASSIGN_OR_RETURN(bool realtime, os::IsRealtimeFile(fd.get(), path_));
    if (realtime)
      return Fail(ErrorKind::kUnsupported,
                  "file data lives on the realtime device: FIEMAP addresses are not offsets on " +
                      fs_.device());
    EOFZERO_ASSIGN_OR_RETURN(auto geometry, os::ProbeGeometry(fs_.device()));
    auto where = scratch::LocateBlockForPlant(extents, 0, bs_, geometry.size);
    if (!where) return Fail(ErrorKind::kUnsupported, where.error());
    where_ = *where;
    EOFZERO_RETURN_IF_ERROR(os::Truncate(fd.get(), run_.old_eof, path_));
    return os::Fsync(fd.get(), path_);
  }

  // Unmounts, writes the sentinel over the physical block, reads it back.
  Status PlantAt(const scratch::BlockLocation& where) {
    const Bytes sentinel = SentinelBlock(bs_);
    std::uint64_t offset = where.device_offset;
    if (opt_.faults.plant_outside_extent) offset = where.extent.physical + where.extent.length;
    EOFZERO_RETURN_IF_ERROR(fs_.Unmount());
    if (!opt_.faults.plant_lost_write)
      EOFZERO_RETURN_IF_ERROR(scratch::WriteInsideExtent(fs_, where, offset, sentinel));
    EOFZERO_ASSIGN_OR_RETURN(Bytes back, scratch::ReadDeviceRange(fs_, offset, bs_));
    if (back != sentinel)
      return Fail(ErrorKind::kVerification, "plant not verified: the block at device offset " +
                                                std::to_string(offset) + " on " + fs_.device() +
                                                " does not hold the sentinel after the write");
    return fs_.Mount();
  }

  Status Plant() {
    EOFZERO_RETURN_IF_ERROR(PlantAt(where_));
    run_.plant = PlantRecord{where_.extent, where_.device_offset, bs_, true, std::nullopt};
    // Before the extension nothing is cached or dirty, so this O_DIRECT read
    // perturbs nothing; it shows whether the file's read path exposes the plant.
    EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd, os::OpenFile(path_, O_RDONLY));
    EOFZERO_ASSIGN_OR_RETURN(BlockView probe,
                             ReadDirect(Request(fd.get(), Phase::kBeforeCrash), DeviceAlign()));
    bool seen = probe.bytes.size() == bs_;
    for (std::uint64_t i = run_.old_eof; seen && i < bs_; ++i)
      seen = IsSentinelByte(i, probe.bytes[i]);
    run_.plant->seen_through_file = seen;
    if (!seen)
      run_.notes.push_back(
          "before the extension, an O_DIRECT read of the EOF block did not show "
          "the planted sentinel past EOF");
    return {};
  }

  Status Extend(int fd) {
    switch (spec_.extension) {
      case Extension::kAppendWrite:
        return os::WriteAll(fd, Bytes(bs_, 0x42), bs_, path_);
      case Extension::kTruncateUp:
        return os::Truncate(fd, 2ull * bs_, path_);
      case Extension::kFallocate:
        return os::Fallocate(fd, 0, bs_, bs_, path_);
    }
    return Fail(ErrorKind::kInvalid, "unknown extension");
  }

  Status ExtendAndCrash() {
    EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd, os::OpenFile(path_, O_RDWR));
    EOFZERO_RETURN_IF_ERROR(Extend(fd.get()));
    if (opt_.faults.stale_in_cache) {
      const Bytes sentinel = SentinelBlock(bs_);
      ByteView tail(sentinel.data() + run_.old_eof, bs_ - run_.old_eof);
      EOFZERO_RETURN_IF_ERROR(os::WriteAll(fd.get(), tail, run_.old_eof, path_));
    }
    BlockRequest req = Request(fd.get(), Phase::kBeforeCrash);
    EOFZERO_ASSIGN_OR_RETURN(BlockView buffered, ReadBuffered(req));
    run_.views.push_back(std::move(buffered));
    EOFZERO_ASSIGN_OR_RETURN(BlockView mapped, ReadMmapped(req));
    run_.views.push_back(std::move(mapped));
    if (opt_.direct_read_before_crash) {
      EOFZERO_ASSIGN_OR_RETURN(BlockView direct, ReadDirect(req, DeviceAlign()));
      run_.views.push_back(std::move(direct));
    }
    if (spec_.extension == Extension::kAppendWrite)
      EOFZERO_RETURN_IF_ERROR(os::SyncRangeAndWait(fd.get(), bs_, bs_, path_));
    // The descriptor stays open through the shutdown, as a crashing process's
    // would: closing first could trigger close-time flushes.
    EOFZERO_RETURN_IF_ERROR(fs_.Shutdown(opt_.shutdown_flag));
    fd = os::UniqueFd();
    EOFZERO_RETURN_IF_ERROR(fs_.Unmount());
    return fs_.Mount();
  }

  // Maps the EOF block after the crash (nothing is dirty: FIEMAP is safe now).
  os::Result<std::optional<scratch::BlockLocation>> MapAfterCrash(int fd) {
    EOFZERO_ASSIGN_OR_RETURN(auto extents, os::MapExtents(fd, 0, bs_, os::FiemapSync::kNo, path_));
    for (const auto& e : extents)
      if (e.logical == 0) run_.extent_after_crash = e;
    EOFZERO_ASSIGN_OR_RETURN(auto geometry, os::ProbeGeometry(fs_.device()));
    auto where = scratch::LocateBlockForPlant(extents, 0, bs_, geometry.size);
    if (!where) {
      run_.notes.push_back("raw-device oracle not applicable after the crash: " + where.error());
      return std::optional<scratch::BlockLocation>();
    }
    return std::optional(*where);
  }

  Status Replant() {
    EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd, os::OpenFile(path_, O_RDONLY));
    EOFZERO_ASSIGN_OR_RETURN(auto where, MapAfterCrash(fd.get()));
    if (!where) return Fail(ErrorKind::kVerification, "cannot re-plant: block 0 is not mapped");
    fd = os::UniqueFd();
    return PlantAt(*where);
  }

  Status ObserveAfterCrash() {
    EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd, os::OpenFile(path_, O_RDONLY));
    EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, os::StatFile(fd.get(), path_));
    run_.size_after_crash = st.size;
    BlockRequest req = Request(fd.get(), Phase::kAfterCrash);
    EOFZERO_ASSIGN_OR_RETURN(BlockView direct, ReadDirect(req, DeviceAlign()));
    run_.views.push_back(std::move(direct));
    // Drop the (clean) cache before each cached read so each reads the disk.
    EOFZERO_RETURN_IF_ERROR(os::DropCachedPages(fd.get(), path_));
    if (auto mapped = ReadMmapped(req); mapped) {
      run_.views.push_back(std::move(*mapped));
    } else if (mapped.error().kind == ErrorKind::kInvalid) {
      run_.notes.push_back("mmap oracle not applicable after the crash: " +
                           mapped.error().Message());
    } else {
      return std::unexpected(mapped.error());
    }
    EOFZERO_RETURN_IF_ERROR(os::DropCachedPages(fd.get(), path_));
    EOFZERO_ASSIGN_OR_RETURN(BlockView buffered, ReadBuffered(req));
    run_.views.push_back(std::move(buffered));
    EOFZERO_ASSIGN_OR_RETURN(after_crash_, MapAfterCrash(fd.get()));
    return {};
  }

  Status ReadRawBlock() {
    if (!after_crash_) return {};
    EOFZERO_RETURN_IF_ERROR(fs_.Unmount());
    BlockView raw;
    raw.oracle = Oracle::kRawDevice;
    raw.phase = Phase::kAfterCrash;
    raw.base_offset = after_crash_->device_offset;
    raw.gap = ByteRange{run_.old_eof, bs_};
    EOFZERO_ASSIGN_OR_RETURN(raw.bytes,
                             scratch::ReadDeviceRange(fs_, after_crash_->device_offset, bs_));
    if (after_crash_->device_offset != where_.device_offset)
      raw.note = "the block moved from device offset " + std::to_string(where_.device_offset);
    run_.views.push_back(std::move(raw));
    return fs_.Mount();
  }

  scratch::ScratchFs& fs_;
  const CaseSpec& spec_;
  const ScenarioOptions& opt_;
  CaseRun& run_;
  const std::uint32_t bs_;
  std::string path_;
  scratch::BlockLocation where_;
  std::optional<scratch::BlockLocation> after_crash_;
};

}  // namespace

CaseRun RunCase(scratch::ScratchFs& fs, const CaseSpec& spec, const ScenarioOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  CaseRun run;
  run.case_name = spec.name;
  if (options.gap_bytes == 0 || options.gap_bytes >= fs.block_size()) {
    run.status = RunStatus::kError;
    run.reason = "gap of " + std::to_string(options.gap_bytes) +
                 " bytes does not fit in a block of " + std::to_string(fs.block_size());
    return run;
  }
  if (!fs.no_crash_promise().empty()) {
    run.status = RunStatus::kSkipped;
    run.reason = fs.no_crash_promise();
    return run;
  }
  Scenario scenario(fs, spec, options, run);
  if (auto st = scenario.Run(); st) {
    run.status = RunStatus::kCompleted;
  } else {
    run.status =
        st.error().kind == ErrorKind::kUnsupported ? RunStatus::kSkipped : RunStatus::kError;
    run.reason = st.error().Message();
    if (auto rec = fs.Recover(); !rec)
      run.notes.push_back("could not bring the filesystem back: " + rec.error().Message());
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

}  // namespace eofzero::engine
