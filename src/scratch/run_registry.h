// The run registry: what every eofzero process that makes scratch
// filesystems has made, so that what a killed one left behind can be
// released — and only that. Each such process holds a RunLease: one file in
// the registry folder naming its owner (pid, start time, boot) and, as they
// are made, its run folder and images (by path and device:inode) and its
// mounts (by target and device number). A guardian process forked with the
// lease releases them the moment the owner dies, however it dies; what a
// guardian could not release (both killed, a reboot) a later run, or
// `eofzero cleanup`, reclaims. Nothing is reclaimed while its owner runs,
// and nothing that does not still match what was recorded is touched.
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

// $EOFZERO_STATE_DIR, else /var/lib/eofzero: the registry is its runs/
// folder (it lives on disk, as the images it names outlive a reboot).
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
  };
  os::ProcessIdentity owner;
  pid_t guardian = 0;
  std::optional<File> run_dir;
  std::vector<File> images;
  std::vector<MountRecord> mounts;
};
// Pure: one JSON object per line, the owner's first.
std::expected<RunEntry, std::string> ParseRunEntry(const std::string& text);
std::string OwnerLine(const os::ProcessIdentity& owner, pid_t guardian);
std::string RunDirLine(const RunEntry::File& dir);
std::string ImageLine(const RunEntry::File& image);
std::string MountLine(const RunEntry::MountRecord& mount);

class RunLease {
 public:
  // Registers this process in `registry` and starts its guardian. Call it
  // before making anything (see os::Guardian).
  static os::Result<std::unique_ptr<RunLease>> Create(const std::filesystem::path& registry);
  RunLease(const RunLease&) = delete;
  RunLease& operator=(const RunLease&) = delete;
  // The owner released everything itself (or kept it on purpose): the entry
  // goes, and the guardian, finding none, exits.
  ~RunLease();

  // Each is recorded before the owner relies on it being released: a folder
  // or image right after it is made, a mount right before mount(2).
  os::Status NoteRunDir(const std::filesystem::path& dir);
  os::Status NoteImage(const std::filesystem::path& image);
  os::Status NoteMount(const std::string& target, std::uint64_t devno);

  const std::filesystem::path& file() const { return file_; }

 private:
  RunLease() = default;
  os::Status Append(const std::string& line);
  std::filesystem::path file_;
  os::UniqueFd fd_;
  std::optional<os::Guardian> guardian_;
};

// What reclaiming one entry did.
struct Reclaimed {
  RunEntry entry;
  std::vector<std::string>
      released;  // "unmounted /x", "detached /dev/loop3", "removed /d (12 MiB)"
  std::vector<std::string> problems;  // what could not be released, and why
};
// Pure: one line for a person.
std::string Describe(const Reclaimed& r);

// Reclaims every entry of `registry` whose owner is gone, and returns what
// each released. Entries whose owner runs, that another process is already
// reclaiming, or whose folder holds a running owner's folder are skipped.
std::vector<Reclaimed> ReclaimLeftovers(const std::filesystem::path& registry);

// The guardian's task: once the owner of `entry_file` is gone, reclaims it,
// waiting (up to `nested_wait`) for owners running inside its run folder
// (a matrix's workers) to end first. Nothing when the entry is gone.
std::optional<Reclaimed> ReclaimWhenOwnerIsGone(const std::filesystem::path& entry_file,
                                                std::chrono::seconds nested_wait);

// Waits (up to `wait`) for the runs registered inside `dir` to end, and
// reclaims those that died: a matrix calls it before removing its folder, so
// that a worker killed a moment ago is released before its folder goes.
void SettleRunsInside(const std::filesystem::path& dir, std::chrono::seconds wait);

// The entries of `registry` whose owner still runs, for `eofzero cleanup`.
std::vector<RunEntry> LiveRuns(const std::filesystem::path& registry);

}  // namespace eofzero::scratch
