// ScratchFs: one scratch filesystem this run made and owns —
// sparse image file -> loop device -> mkfs -> mount — torn down in reverse
// order by the destructor (unmount, detach, remove the image unless kept).
// Or, on a scratch device the user gave: mkfs -> mount on the user's
// directory, torn down by unmounting only (the device, the directory and the
// filesystem on it stay). Nothing here touches a device or mount the run did
// not create or was not given.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "os/error.h"
#include "os/loop_device.h"
#include "os/mount.h"
#include "os/process.h"
#include "os/shutdown.h"
#include "os/system.h"
#include "os/unique_fd.h"
#include "fsdriver/registry.h"
#include "scratch/fs_limits.h"
#include "scratch/recording_device.h"
#include "scratch/run_registry.h"
#include "scratch/scratch_target.h"

namespace eofzero::scratch {

struct ScratchSpec {
  fsdriver::FsType fs = fsdriver::kInitialFsType;
  std::uint32_t block_size = 4096;
  std::string mkfs_options;       // appended to the tool's own mkfs arguments
  std::string mount_options;      // passed to mount(2) through libmount
  std::uint64_t image_bytes = 0;  // 0: the driver's DefaultImageBytes()
  std::uint32_t sector_size = 0;  // loop logical block size; 0: kernel default (512)
  // Record every block write into this write log (scratch/recording_device.h):
  // the loop device is then attached to the image served by eofzero's FUSE
  // server. Empty: the loop device is attached to the image itself.
  std::string record_log;
  // How long a FUSE server under the loop device (the recording's, a crash
  // state's) may leave a request unanswered before the run aborts its
  // connection: what the filesystem then reads or writes fails, and the
  // case is an ERROR naming the server (os/fuse_watchdog.h).
  std::chrono::milliseconds server_timeout = os::kDefaultAnswerDeadline;
};

class ScratchFs {
 public:
  // Builds the filesystem inside `dir` (which the caller owns) and mounts it.
  // `name` makes the image and mount point names unique within `dir`. The
  // image and every mount are recorded in `lease` (when given: tests may
  // leave it out) so that they are released even if this process is killed.
  static os::Result<std::unique_ptr<ScratchFs>> Create(const ScratchSpec& spec,
                                                       const std::filesystem::path& dir,
                                                       const std::string& name,
                                                       RunLease* lease = nullptr);
  // Makes the filesystem on the user's scratch device and mounts it on the
  // user's directory. Refuses (kInvalid/kSafety, nothing touched) unless
  // CheckScratchTarget passes.
  // spec.image_bytes and spec.sector_size do not apply.
  static os::Result<std::unique_ptr<ScratchFs>> CreateOnDevice(const ScratchSpec& spec,
                                                               const ScratchTarget& target,
                                                               RunLease* lease = nullptr);
  // A crash state of a recorded filesystem (scratch/state_image.h): `state`,
  // served by a FUSE server of its own in `dir` (as `name`.fuse/image), with
  // a loop device attached to it. Not mounted: Mount() replays the journal,
  // and what recovery writes stays in the state's overlay. The filesystem
  // is `spec.fs` with UUID `uuid` and blocks of `block_size`, as recorded;
  // image_path() is the served file (the disk's view).
  static os::Result<std::unique_ptr<ScratchFs>> ServeState(const ScratchSpec& spec,
                                                           const std::filesystem::path& dir,
                                                           const std::string& name,
                                                           std::unique_ptr<os::FileBacking> state,
                                                           const std::string& uuid,
                                                           std::uint32_t block_size,
                                                           RunLease* lease = nullptr);
  // Of a ServeState filesystem, unmounted: makes its served state the
  // `which`-th of its series (scratch::StateSeries) and drops the loop
  // device's cache of the one before.
  os::Status SelectState(std::uint64_t which);
  // Of a ServeState filesystem: whether its server still answers (a read of
  // the served file): an EIO from it is then the filesystem's, not ours.
  os::Status StateServed() const;
  // A filesystem that already exists on `device` (UUID `uuid`, blocks of
  // `block_size`) and is mounted on `mount_dir` by `system`: the machine of
  // a test (tests/unit/fake_system.h). Teardown only unmounts it.
  static std::unique_ptr<ScratchFs> Adopt(os::System& system, const ScratchSpec& spec,
                                          const std::string& device, std::uint64_t devno,
                                          const std::string& uuid,
                                          const std::filesystem::path& mount_dir,
                                          std::uint32_t block_size);
  ~ScratchFs();
  ScratchFs(const ScratchFs&) = delete;
  ScratchFs& operator=(const ScratchFs&) = delete;

  const ScratchSpec& spec() const { return spec_; }
  const std::string& device() const { return device_; }
  std::uint64_t devno() const { return devno_; }  // the device's number (st_rdev)
  const std::string& uuid() const { return uuid_; }
  const std::filesystem::path& mount_dir() const { return mount_dir_; }
  const std::filesystem::path& image_path() const { return image_path_; }
  const os::ProcessResult& mkfs_result() const { return mkfs_; }
  // The block size the mounted filesystem reports (statvfs).
  std::uint32_t block_size() const { return block_size_; }
  bool mounted() const { return mounted_; }
  // Why a crash test means nothing here (e.g. ext4 without a journal, which
  // promises no crash consistency), or empty when the filesystem journals
  // its metadata.
  const std::string& no_crash_promise() const { return no_crash_promise_; }
  bool shut_down() const { return shut_down_; }
  // Why no mount of it can be trusted any more (empty while it can): a mount
  // was refused because something else still held the device.
  const std::string& unusable() const { return unusable_; }

  // Mounts it — only while nothing else holds the device. A mount of it that
  // lives on elsewhere (in a mount namespace made while ours was mounted: a
  // service's private /tmp, an `unshare`) keeps its superblock alive, and
  // mount(2) would hand back that same instance — still shut down, its
  // caches as they were — so no crash would be recovered and no read after
  // the remount would come from the disk. Refused then (kSafety), saying who
  // holds it, and unusable() says so from then on.
  os::Status Mount();
  os::Status Unmount();
  // While mounted and alive: an error (kSafety) when what the mount point
  // shows now is not on our device — something was mounted over it since —
  // so that no step acts on someone else's filesystem by our path. Decided
  // by the device the folder is on, never by the path.
  os::Status CheckMountIsOurs() const;
  // The device numbers of the mount at `where` when it is this filesystem —
  // its driver finds it on this run's device alone, with this run's UUID
  // when the mount says it (fsdriver/mount_identity.h) — and kSafety
  // otherwise. An adopted filesystem (a test's machine) is taken as is.
  struct MountIdentity {
    std::uint64_t table_dev = 0;  // the mount table's device number for it
    std::uint64_t root_dev = 0;   // the device its root reports (st_dev)
  };
  os::Result<MountIdentity> IdentifyMount(const std::filesystem::path& where) const;
  // Forces the filesystem down (FS_IOC_SHUTDOWN); it stays mounted but dead
  // until Unmount()+Mount().
  os::Status Shutdown(os::ShutdownFlag flag);
  // Brings the filesystem back to "mounted and alive" from any state.
  os::Status Recover();
  // An error when the storage under the image failed a write since the
  // image was made, the write log of a recording could not be written, or
  // the FUSE server under the loop device stopped answering (each then stays
  // failed; the error names the log and the errno, e.g. ENOSPC, or the
  // server): nothing the filesystem on it showed can be trusted. Always fine
  // on a user's scratch device.
  os::Status CheckBackingStore();
  // An error when the FUSE server under the loop device (a recording's, a
  // crash state's) stopped answering and its connection was aborted.
  os::Status ServerAnswers() const;
  // Ends a recording (nothing without one): unmounts the filesystem,
  // detaches the loop device and stops the recording server, which writes
  // the log's last records. An error when the log could not be written
  // whole (the recording then is not to be trusted); afterwards the
  // filesystem is gone, only the destructor is left to call.
  os::Status FinishRecording();
  // Every call on this filesystem, and on its files and device, goes through
  // this System: the kernel's, unless a test or a fault wrapper put another
  // in place (UseSystem returns the one it replaces).
  os::System& system() const { return *system_; }
  os::System& UseSystem(os::System& system) { return *std::exchange(system_, &system); }
  // Leave the image file on disk at teardown (for post-mortem); nothing to
  // do on a user's scratch device, which keeps its filesystem anyway.
  void KeepImage() { keep_image_ = true; }
  // What the run does from now on ("ext4-4096 truncate_up:12: truncate 5000"),
  // for the write log's step records: the number those records carry, or
  // nothing when not recording.
  std::optional<std::uint64_t> NoteStep(const std::string& text) {
    if (!recording_) return std::nullopt;
    return recording_->NoteStep(text);
  }
  bool recording() const { return recording_ != nullptr; }

 private:
  ScratchFs() = default;
  // Unmounts (lazily as a last resort) and detaches the loop device.
  void ReleaseDevice();
  // The recording's failure to write its log, as an error naming the log
  // and why; nullopt when not recording or all is well.
  std::optional<os::Error> RecordingFailure() const;
  // devno_ from device_, recorded in the lease.
  os::Status NoteDevice();
  // Sizes the image and allocates its space, or says how much is missing.
  os::Status ReserveImage(const std::filesystem::path& dir);
  // mkfs on device_ with a fresh UUID, verify it, mount on mount_dir_.
  os::Status FormatAndMount(const std::string& name);
  os::Status CheckJournaling();
  // Makes `dir`/`name`.fuse and notes it in the lease (before the FUSE mount).
  os::Status MakeFuseDir(const std::filesystem::path& dir, const std::string& name);
  // Serves the image through a RecordingDevice in `dir`: what the loop
  // device attaches to instead (backing_).
  os::Status StartRecording(const std::filesystem::path& dir, const std::string& name);

  ScratchSpec spec_;
  RunLease* lease_ = nullptr;
  bool mount_recorded_ = false;
  std::filesystem::path image_path_;
  os::UniqueFd image_fd_;  // open before the loop device: sees its writeback errors
  std::string backing_failure_;
  std::filesystem::path mount_dir_;
  bool image_created_ = false;
  bool mount_dir_created_ = false;
  bool keep_image_ = false;
  std::filesystem::path fuse_dir_;  // a recording's FUSE mount point
  bool fuse_dir_created_ = false;
  std::unique_ptr<RecordingDevice> recording_;
  std::unique_ptr<os::FileBacking> state_;  // a crash state's layers (ServeState)
  std::optional<os::FuseFileServer> state_server_;
  std::string backing_;  // what the loop device is attached to
  std::optional<os::LoopDevice> loop_;
  std::string device_;  // the loop device, or the user's scratch device
  std::uint64_t devno_ = 0;
  bool kept_ = false;      // its mount or loop device could not be let go
  bool released_ = false;  // the lease says the device is no longer ours
  os::System* system_ = &os::RealSystem();
  bool mounted_ = false;
  // Our mount's device numbers, from IdentifyMount after every mount: what
  // the unmount, the shutdown and CheckMountIsOurs compare (0: not ours).
  MountIdentity mount_id_;
  std::string uuid_;
  os::ProcessResult mkfs_;
  std::uint32_t block_size_ = 0;
  std::string no_crash_promise_;
  bool shut_down_ = false;
  std::string unusable_;
  bool adopted_ = false;  // Adopt: the mount is a test's machine's, not the kernel's
};

}  // namespace eofzero::scratch
