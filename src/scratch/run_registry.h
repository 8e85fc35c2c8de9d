// The run registry: what every eofzero process that makes scratch
// filesystems has made, so that what a killed one left behind can be
// released — and only that. Each such process holds a RunLease: one file in
// the registry folder naming its owner (pid, start time, boot) and, as they
// are made, its run folder and images (by path and device:inode), the
// devices it uses and its mounts (by target, device number and the UUID of
// the filesystem it made). A guardian process forked with the lease releases
// them the moment the owner dies, however it dies (scratch/reclaim.h); what a
// guardian could not release (both killed, a reboot) a later run, or
// `eofzero cleanup`, reclaims.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "os/error.h"
#include "os/guardian.h"
#include "os/process_identity.h"
#include "os/unique_fd.h"

namespace eofzero::scratch {

// $EOFZERO_STATE_DIR (made absolute), else /var/lib/eofzero: the registry is
// its runs/ folder (on disk, as the images it names outlive a reboot).
std::filesystem::path RegistryDir();

// What one registry file says.
struct RunEntry {
  struct File {
    std::string path;
    std::uint64_t dev = 0, ino = 0;
  };
  struct MountRecord {
    std::string target;
    std::uint64_t devno = 0;
    std::string uuid;  // of the filesystem the run made there
  };
  os::ProcessIdentity owner;
  pid_t guardian = 0;
  std::optional<File> run_dir;
  std::vector<File> images;
  std::vector<std::uint64_t> devices;  // loop or scratch devices it uses (st_rdev)
  std::vector<MountRecord> mounts;
  // Mount points of the run's FUSE servers (a recording's served image,
  // scratch/recording_device.h): unmounted once the loop devices over them are
  // gone, which ends their servers.
  std::vector<std::string> served_mounts;
};
// Pure: one JSON object per line, the owner's first.
std::expected<RunEntry, std::string> ParseRunEntry(const std::string& text);
std::string OwnerLine(const os::ProcessIdentity& owner, pid_t guardian);
std::string RunDirLine(const RunEntry::File& dir);
std::string ImageLine(const RunEntry::File& image);
std::string DeviceLine(std::uint64_t devno);
std::string MountLine(const RunEntry::MountRecord& mount);
std::string ServedMountLine(const std::string& target);
// The run no longer uses the device (unmounted, and detached when it was a
// loop device of its own): what an earlier line named with this device
// number — the device and its mounts — is no longer the run's. A later
// device line with the same number makes it the run's again.
std::string ReleasedLine(std::uint64_t devno);

// The entries of `registry`, with their files (regular files only: anything
// else named *.run is not read).
struct RegisteredRun {
  std::filesystem::path file;
  RunEntry entry;
};
std::vector<RegisteredRun> ReadRegistry(const std::filesystem::path& registry);
std::optional<RunEntry> ReadRunEntry(const std::filesystem::path& file);

class RunLease {
 public:
  // Registers this process in `registry` and starts its guardian. Call it
  // before making anything (see os::Guardian).
  static os::Result<std::unique_ptr<RunLease>> Create(const std::filesystem::path& registry);
  RunLease(const RunLease&) = delete;
  RunLease& operator=(const RunLease&) = delete;
  // The owner released everything itself (or kept it on purpose): the entry
  // goes, and the guardian, finding none, exits — unless KeepForReclaim().
  ~RunLease();
  // Something could not be released (someone mounted over our mount point):
  // the entry stays, for the guardian, a later run or `eofzero cleanup`.
  void KeepForReclaim() { keep_ = true; }

  // Each is recorded before the owner relies on it being released: a folder
  // or image right after it is made, a mount right before mount(2).
  os::Status NoteRunDir(const std::filesystem::path& dir);
  os::Status NoteImage(const std::filesystem::path& image);
  os::Status NoteDevice(std::uint64_t devno);  // before the device is used (mkfs)
  os::Status NoteMount(const std::string& target, std::uint64_t devno, const std::string& uuid);
  os::Status NoteServedMount(const std::filesystem::path& target);  // before the FUSE mount
  // After the device is unmounted and detached: from then on another run may
  // use the number (the kernel hands a free loop device's number out again).
  os::Status NoteReleased(std::uint64_t devno);

  const std::filesystem::path& file() const { return file_; }

 private:
  RunLease() = default;
  os::Status Append(const std::string& line);
  std::filesystem::path file_;
  os::UniqueFd fd_;
  std::optional<os::Guardian> guardian_;
  bool keep_ = false;
};

}  // namespace eofzero::scratch
