#include "scratch/scratch_fs.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>

#include "os/blkid_probe.h"
#include "os/block_device.h"
#include "os/file_io.h"
#include "os/unique_fd.h"
#include "scratch/mkfs_command.h"
#include "scratch/scratch_target.h"

namespace eofzero::scratch {

using os::ErrorKind;
using os::Fail;

os::Result<std::unique_ptr<ScratchFs>> ScratchFs::Create(const ScratchSpec& spec,
                                                         const std::filesystem::path& dir,
                                                         const std::string& name, RunLease* lease) {
  std::unique_ptr<ScratchFs> fs(new ScratchFs());
  fs->spec_ = spec;
  fs->lease_ = lease;
  fs->image_path_ = dir / (name + ".img");
  EOFZERO_ASSIGN_OR_RETURN(fs->image_fd_,
                           os::OpenFile(fs->image_path_, O_RDWR | O_CREAT | O_EXCL, 0600));
  fs->image_created_ = true;
  if (lease) EOFZERO_RETURN_IF_ERROR(lease->NoteImage(fs->image_path_));
  EOFZERO_RETURN_IF_ERROR(fs->ReserveImage(dir));
  fs->mount_dir_ = dir / (name + ".mnt");
  std::error_code ec;
  if (!std::filesystem::create_directory(fs->mount_dir_, ec))
    return Fail(ErrorKind::kSystem, "mkdir " + fs->mount_dir_.string() + ": " + ec.message());
  fs->mount_dir_created_ = true;

  fs->backing_ = fs->image_path_.string();
  if (!spec.record_log.empty()) EOFZERO_RETURN_IF_ERROR(fs->StartRecording(dir, name));

  EOFZERO_ASSIGN_OR_RETURN(os::LoopDevice loop,
                           os::LoopDevice::Attach(fs->backing_, spec.sector_size));
  fs->loop_.emplace(std::move(loop));
  fs->device_ = fs->loop_->path();
  if (fs->recording_)  // as over the image itself: the filesystem sees the same device
    EOFZERO_RETURN_IF_ERROR(
        fs->loop_->SetRotational(os::FileOnRotationalDevice(fs->image_path_.string())));
  EOFZERO_RETURN_IF_ERROR(fs->NoteDevice());
  spdlog::debug("{}: attached {} to {}", name, fs->backing_, fs->device());
  fs->NoteStep(name + " mkfs");
  if (auto made = fs->FormatAndMount(name); !made) {
    // mkfs or mount saw an I/O error: say what it came from.
    if (auto lost = fs->RecordingFailure()) return std::unexpected(*lost);
    return std::unexpected(made.error());
  }
  return fs;
}

os::Result<std::unique_ptr<ScratchFs>> ScratchFs::CreateOnDevice(const ScratchSpec& spec,
                                                                 const ScratchTarget& target,
                                                                 RunLease* lease) {
  // Checked again just before mkfs: the device may have found a user since
  // the run started (the command line's check was before the first config).
  EOFZERO_RETURN_IF_ERROR(CheckScratchTarget(target));
  std::unique_ptr<ScratchFs> fs(new ScratchFs());
  fs->spec_ = spec;
  fs->lease_ = lease;
  fs->device_ = target.device;
  fs->mount_dir_ = target.mount_dir;
  EOFZERO_RETURN_IF_ERROR(fs->NoteDevice());  // before mkfs: it is this run's from now on
  EOFZERO_RETURN_IF_ERROR(fs->FormatAndMount(target.device));
  return fs;
}

os::Result<std::unique_ptr<ScratchFs>> ScratchFs::ServeState(
    const ScratchSpec& spec, const std::filesystem::path& dir, const std::string& name,
    std::unique_ptr<os::FileBacking> state, const std::string& uuid, std::uint32_t block_size,
    RunLease* lease) {
  static os::NoFileEvents no_events;  // what recovery writes is the state's overlay's
  std::unique_ptr<ScratchFs> fs(new ScratchFs());
  fs->spec_ = spec;
  fs->lease_ = lease;
  fs->uuid_ = uuid;
  fs->block_size_ = block_size;
  fs->state_ = std::move(state);
  fs->mount_dir_ = dir / (name + ".mnt");
  std::error_code ec;
  if (!std::filesystem::create_directory(fs->mount_dir_, ec))
    return Fail(ErrorKind::kSystem, "mkdir " + fs->mount_dir_.string() + ": " + ec.message());
  fs->mount_dir_created_ = true;
  EOFZERO_RETURN_IF_ERROR(fs->MakeFuseDir(dir, name));
  EOFZERO_ASSIGN_OR_RETURN(os::FuseFileServer server,
                           os::FuseFileServer::Start(fs->fuse_dir_.string(), "image", *fs->state_,
                                                     no_events, {}, spec.server_timeout));
  fs->state_server_.emplace(std::move(server));
  fs->backing_ = fs->state_server_->file_path();
  fs->image_path_ = fs->backing_;  // the disk's view: the state itself, under the loop's cache
  EOFZERO_ASSIGN_OR_RETURN(os::LoopDevice loop,
                           os::LoopDevice::Attach(fs->backing_, spec.sector_size));
  fs->loop_.emplace(std::move(loop));
  fs->device_ = fs->loop_->path();
  EOFZERO_RETURN_IF_ERROR(fs->loop_->SetRotational(os::FileOnRotationalDevice(dir.string())));
  EOFZERO_RETURN_IF_ERROR(fs->NoteDevice());
  return fs;
}

os::Status ScratchFs::SelectState(std::uint64_t which) {
  if (!state_server_) return Fail(ErrorKind::kInvalid, "not a crash state's filesystem");
  if (mounted_) return Fail(ErrorKind::kInvalid, "select a crash state with " + device_ + " mounted");
  EOFZERO_RETURN_IF_ERROR(os::SelectServed(backing_, which));
  return os::DropBufferCache(device_);
}

os::Status ScratchFs::StateServed() const {
  if (!state_server_) return Fail(ErrorKind::kInvalid, "not a crash state's filesystem");
  EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd, os::OpenFile(backing_, O_RDONLY));
  EOFZERO_ASSIGN_OR_RETURN(Bytes first, os::ReadUpTo(fd.get(), 0, 512, backing_));
  return {};
}

os::Status ScratchFs::MakeFuseDir(const std::filesystem::path& dir, const std::string& name) {
  fuse_dir_ = dir / (name + ".fuse");
  std::error_code ec;
  if (!std::filesystem::create_directory(fuse_dir_, ec))
    return Fail(ErrorKind::kSystem, "mkdir " + fuse_dir_.string() + ": " + ec.message());
  fuse_dir_created_ = true;
  return lease_ ? lease_->NoteServedMount(fuse_dir_) : os::Status{};
}

os::Status ScratchFs::StartRecording(const std::filesystem::path& dir, const std::string& name) {
  EOFZERO_RETURN_IF_ERROR(MakeFuseDir(dir, name));
  EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, os::StatFile(image_fd_.get(), image_path_));
  WriteLogHeader header;
  header.image_bytes = st.size;
  header.sector_size = spec_.sector_size ? spec_.sector_size : 512;
  header.block_size = spec_.block_size;
  EOFZERO_ASSIGN_OR_RETURN(recording_, RecordingDevice::Start(fuse_dir_, image_fd_.get(), header,
                                                              spec_.record_log,
                                                              spec_.server_timeout));
  backing_ = recording_->file_path();
  spdlog::debug("{}: recording into {} through {}", name, spec_.record_log, backing_);
  return {};
}

std::optional<os::Error> ScratchFs::RecordingFailure() const {
  if (!recording_) return std::nullopt;
  const std::string failed = recording_->Failure();
  if (failed.empty()) return std::nullopt;
  return os::Error{ErrorKind::kSystem, 0,
                   "the write log could not be written (" + failed +
                       "): the recording is incomplete, so nothing this filesystem showed since "
                       "can be trusted"};
}

os::Status ScratchFs::NoteDevice() {
  EOFZERO_ASSIGN_OR_RETURN(devno_, os::DeviceNumber(device_));
  return lease_ ? lease_->NoteDevice(devno_) : os::Status{};
}

// The image's space is taken up front: a loop device whose backing file
// runs out of space drops the writes it cannot place (the kernel only logs
// "loopN: writeback error"), and the filesystem on it can still look fine.
// The free space is measured first: a failed fallocate keeps what it got.
os::Status ScratchFs::ReserveImage(const std::filesystem::path& dir) {
  const std::uint64_t bytes = spec_.image_bytes ? spec_.image_bytes : fsdriver::Driver(spec_.fs).DefaultImageBytes();
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t free, os::FreeBytes(dir));
  const auto no_room = [&] {
    return Fail(ErrorKind::kSystem,
                "no room for the " + std::to_string(bytes >> 20) + " MiB image in " + dir.string() +
                    ": " + std::to_string(free >> 20) +
                    " MiB free (--workdir elsewhere, or a smaller --image-size)");
  };
  if (free < bytes) return no_room();
  EOFZERO_RETURN_IF_ERROR(os::Truncate(image_fd_.get(), bytes, image_path_));
  auto reserved = os::Fallocate(image_fd_.get(), 0, 0, bytes, image_path_);
  if (reserved || reserved.error().kind == ErrorKind::kUnsupported) return {};
  if (reserved.error().errnum != ENOSPC) return reserved;
  (void)os::Truncate(image_fd_.get(), 0, image_path_);  // give back what it got; no room anyway
  return no_room();
}

os::Status ScratchFs::ServerAnswers() const {
  if (recording_) {
    if (auto why = recording_->Unanswered(); !why.empty())
      return Fail(ErrorKind::kSystem, "the recording stopped: " + why);
  } else if (state_server_) {
    if (auto why = state_server_->Unanswered(); !why.empty())
      return Fail(ErrorKind::kSystem, "the crash state is no longer served: " + why);
  }
  return {};
}

os::Status ScratchFs::CheckBackingStore() {
  if (!backing_failure_.empty()) return Fail(ErrorKind::kSystem, backing_failure_);
  if (auto lost = RecordingFailure()) {
    backing_failure_ = lost->context;
    return std::unexpected(*lost);
  }
  if (auto answers = ServerAnswers(); !answers) {
    backing_failure_ = answers.error().Message() + "; nothing on the image can be trusted";
    return Fail(ErrorKind::kSystem, backing_failure_);
  }
  if (!image_fd_.valid()) return {};
  // fsync reports any writeback error of the loop device's writes into the
  // image since this descriptor was opened (before the loop device was).
  if (auto synced = os::Fsync(image_fd_.get(), image_path_); !synced) {
    backing_failure_ = "the disk under the image failed, so nothing on it can be trusted: " +
                       synced.error().Message();
    return Fail(ErrorKind::kSystem, backing_failure_);
  }
  return {};
}

os::Status ScratchFs::FormatAndMount(const std::string& name) {
  const std::string fsname(fsdriver::FsTypeName(spec_.fs));
  if (!os::ProgramExists("mkfs." + fsname))
    return Fail(ErrorKind::kUnsupported, "mkfs." + fsname + " is not installed");
  uuid_ = os::NewUuid();
  auto argv = MkfsArgv(spec_.fs, device(), spec_.block_size, uuid_, spec_.mkfs_options);
  EOFZERO_ASSIGN_OR_RETURN(mkfs_, os::RunProcess(argv));
  spdlog::debug("{}: {}\n{}{}", name, mkfs_.CommandLine(), mkfs_.out, mkfs_.err);
  if (!mkfs_.ok()) return Fail(ErrorKind::kChild, mkfs_.Describe());

  EOFZERO_ASSIGN_OR_RETURN(os::FsIdentity id, system_->Probe(device()));
  if (id.type != fsname)
    return Fail(ErrorKind::kVerification,
                device() + " holds '" + id.type + "' after mkfs, not " + fsname +
                    " (do the mkfs options make another filesystem type?)");
  if (id.uuid != uuid_)
    return Fail(ErrorKind::kVerification, device() + " holds UUID '" + id.uuid +
                                              "' after mkfs, not " + uuid_ +
                                              " (do the mkfs options override the UUID?)");

  EOFZERO_RETURN_IF_ERROR(CheckJournaling());
  EOFZERO_RETURN_IF_ERROR(Mount());
  EOFZERO_ASSIGN_OR_RETURN(block_size_, os::FilesystemBlockSize(mount_dir_));
  return {};
}

os::Status ScratchFs::CheckJournaling() {
  const fsdriver::FsDriver& driver = fsdriver::Driver(spec_.fs);
  const auto argv = driver.JournalCheckArgv(device());
  if (argv.empty()) return {};  // it always journals its metadata
  EOFZERO_ASSIGN_OR_RETURN(os::ProcessResult run, os::RunProcess(argv));
  auto reason = driver.NoCrashPromise(run);
  if (!reason) return Fail(ErrorKind::kChild, reason.error());
  if (!reason->empty()) no_crash_promise_ = *reason;
  return {};
}

os::Status ScratchFs::Mount() {
  if (mounted_) return {};
  if (lease_ && !mount_recorded_) {  // the same device on the same folder every time
    EOFZERO_RETURN_IF_ERROR(lease_->NoteMount(mount_dir_, devno_, uuid_));
    mount_recorded_ = true;
  }
  if (auto free = system_->CheckNotClaimed(device()); !free) {
    if (free.error().errnum != EBUSY) return free;
    const std::string who = BusyBecause(device());
    unusable_ = device() + " is held by something else (" +
                (who.empty() ? "an exclusive open is refused, and no mount or user of it shows"
                             : who) +
                "): a mount now would reuse that filesystem instance, shut down or with its "
                "caches, not read it from the disk";
    return Fail(ErrorKind::kSafety, "mount " + device() + ": " + unusable_);
  }
  // The driver's own options first: the user's come after and may override.
  std::string options(fsdriver::Driver(spec_.fs).OwnMountOptions());
  if (!spec_.mount_options.empty())
    options += (options.empty() ? "" : ",") + spec_.mount_options;
  EOFZERO_RETURN_IF_ERROR(
      system_->Mount(device(), mount_dir_, std::string(fsdriver::FsTypeName(spec_.fs)), options));
  spdlog::debug("mounted {} on {}", device(), mount_dir_.string());
  mounted_ = true;
  shut_down_ = false;
  mount_id_ = {};  // until proven ours, nothing acts on it (nor unmounts it)
  EOFZERO_ASSIGN_OR_RETURN(mount_id_, IdentifyMount(mount_dir_));
  return {};
}

os::Status ScratchFs::Unmount() {
  if (!mounted_) return {};
  EOFZERO_RETURN_IF_ERROR(system_->Unmount(mount_dir_, mount_id_.table_dev, false));
  spdlog::debug("unmounted {} from {}", device(), mount_dir_.string());
  mounted_ = false;
  shut_down_ = false;
  return {};
}

os::Status ScratchFs::CheckMountIsOurs() const {
  // A shut-down filesystem answers stat with EIO (xfs): nothing acts on it
  // by path before the remount, whose unmount checks the device itself.
  if (adopted_ || !mounted_ || shut_down_) return {};
  EOFZERO_ASSIGN_OR_RETURN(std::uint64_t device, os::DeviceOfPath(mount_dir_.string()));
  if (device == mount_id_.root_dev) return {};
  return Fail(ErrorKind::kSafety, "something else is mounted on " + mount_dir_.string() +
                                      " now (device " + os::DeviceText(device) +
                                      "), not this run's filesystem: no step acts on it");
}

os::Result<ScratchFs::MountIdentity> ScratchFs::IdentifyMount(
    const std::filesystem::path& where) const {
  if (adopted_) return MountIdentity{devno_, devno_};
  EOFZERO_ASSIGN_OR_RETURN(auto top, os::TopMountAt(where.string()));
  if (!top)
    return Fail(ErrorKind::kSafety, "nothing is mounted on " + where.string() + " after mounting " +
                                        device() + " there");
  EOFZERO_ASSIGN_OR_RETURN(auto on, fsdriver::DevicesOfMount(*top, where.string()));
  if (!fsdriver::IsOurs(on, devno_, uuid_))
    return Fail(ErrorKind::kSafety,
                "what is mounted on " + where.string() + " (" + top->source + ", " + top->fstype +
                    ", on " + fsdriver::DevicesText(on) +
                    (on.uuid.empty() ? "" : ", UUID " + on.uuid) + ") is not this run's " +
                    std::string(fsdriver::FsTypeName(spec_.fs)) + " on " + os::DeviceText(devno_) +
                    " (UUID " + uuid_ + "): no step acts on it");
  return MountIdentity{top->devno, on.root_dev};
}

os::Status ScratchFs::Shutdown(os::ShutdownFlag flag) {
  if (!mounted_) return Fail(ErrorKind::kInvalid, "shutdown: " + device() + " is not mounted");
  EOFZERO_RETURN_IF_ERROR(system_->Shutdown(mount_dir_, mount_id_.root_dev, flag));
  shut_down_ = true;
  return {};
}

os::Status ScratchFs::Recover() {
  if (mounted_ && !shut_down_) return {};
  EOFZERO_RETURN_IF_ERROR(Unmount());
  return Mount();
}

std::unique_ptr<ScratchFs> ScratchFs::Adopt(os::System& system, const ScratchSpec& spec,
                                            const std::string& device, std::uint64_t devno,
                                            const std::string& uuid,
                                            const std::filesystem::path& mount_dir,
                                            std::uint32_t block_size) {
  std::unique_ptr<ScratchFs> fs(new ScratchFs());
  fs->system_ = &system;
  fs->spec_ = spec;
  fs->device_ = device;
  fs->devno_ = devno;
  fs->uuid_ = uuid;
  fs->mount_dir_ = mount_dir;
  fs->block_size_ = block_size;
  fs->mounted_ = true;
  fs->adopted_ = true;
  return fs;
}

os::Status ScratchFs::FinishRecording() {
  if (!recording_) return {};
  ReleaseDevice();
  auto stopped = recording_->Stop();
  recording_.reset();
  return stopped;
}

void ScratchFs::ReleaseDevice() {
  NoteStep("teardown");
  if (mounted_) {  // lazily as a last resort: a run never leaves its mount behind
    if (auto st = system_->Unmount(mount_dir_, mount_id_.table_dev, true); !st) {
      spdlog::warn("teardown: {}; left for `eofzero cleanup`", st.error().Message());
      if (lease_) lease_->KeepForReclaim();
      kept_ = true;
    }
    mounted_ = false;
  }
  if (loop_) {
    if (auto st = loop_->Detach(); !st) {
      spdlog::warn("teardown: {}", st.error().Message());
      kept_ = true;
    }
    loop_.reset();
  }
  // Only once it is truly let go: until then the registry keeps naming it, so
  // no other run takes it as a scratch device and no guardian touches it.
  if (kept_ || released_ || !lease_ || devno_ == 0) return;
  if (auto st = lease_->NoteReleased(devno_); !st)
    spdlog::warn("teardown: {}", st.error().Message());
  released_ = true;
  spdlog::debug("released {}", device());
}

ScratchFs::~ScratchFs() {
  ReleaseDevice();
  if (recording_) {
    if (auto st = recording_->Stop(); !st) spdlog::warn("teardown: {}", st.error().Message());
    recording_.reset();
  }
  if (state_server_) {
    if (auto st = state_server_->Stop(); !st) spdlog::warn("teardown: {}", st.error().Message());
    state_server_.reset();
  }
  std::error_code ec;
  if (fuse_dir_created_) std::filesystem::remove(fuse_dir_, ec);
  if (mount_dir_created_) std::filesystem::remove(mount_dir_, ec);
  if (image_created_) {
    if (keep_image_) {
      spdlog::warn("kept image {} for post-mortem", image_path_.string());
    } else {
      std::filesystem::remove(image_path_, ec);
    }
  }
}

}  // namespace eofzero::scratch
