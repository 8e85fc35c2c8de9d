#include "scratch/reclaim.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <set>
#include <thread>
#include <utility>

#include "fsdriver/mount_identity.h"
#include "os/blkid_probe.h"
#include "os/device_users.h"
#include "os/file_io.h"
#include "os/fuse_file_server.h"
#include "os/mount.h"

namespace eofzero::scratch {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool SameFile(const RunEntry::File& recorded) {
  struct stat st {};
  return ::lstat(recorded.path.c_str(), &st) == 0 && st.st_dev == recorded.dev &&
         st.st_ino == recorded.ino;
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

bool Inside(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/';
}

std::string RoundedMiB(std::uint64_t bytes) { return std::to_string((bytes + (1 << 19)) >> 20) + " MiB"; }

// What the live runs' entries name: none of it is ever released.
struct Held {
  std::set<std::pair<std::uint64_t, std::uint64_t>> files;  // folders and images (dev, ino)
  std::set<std::uint64_t> devices;                          // devices and mounted devices
  bool Has(const RunEntry::File& f) const { return files.contains({f.dev, f.ino}); }
};

Held HeldByLiveRuns(const fs::path& registry) {
  Held held;
  for (const auto& run : ReadRegistry(registry)) {
    if (!os::IsRunning(run.entry.owner)) continue;
    const RunEntry& e = run.entry;
    if (e.run_dir) held.files.insert({e.run_dir->dev, e.run_dir->ino});
    for (const auto& i : e.images) held.files.insert({i.dev, i.ino});
    held.devices.insert(e.devices.begin(), e.devices.end());
    for (const auto& m : e.mounts) held.devices.insert(m.devno);
  }
  return held;
}

// sysfs shows a loop device's backing file by the path it was opened by,
// with " (deleted)" once it is unlinked.
bool BackedByPath(const os::LoopBacking& loop, const std::string& path) {
  const std::string deleted = " (deleted)";
  std::string name = loop.file_name;
  if (name.ends_with(deleted)) name.resize(name.size() - deleted.size());
  return name == path;
}

// Whether `device` holds a filesystem the run made (a UUID it recorded).
bool HoldsTheRunsFilesystem(const RunEntry& e, const std::string& device) {
  auto id = os::ProbeFilesystem(device);
  return id && !id->uuid.empty() &&
         std::any_of(e.mounts.begin(), e.mounts.end(),
                     [&](const RunEntry::MountRecord& m) { return m.uuid == id->uuid; });
}

// Unmounts `target` only when what a lookup finds there is the filesystem
// with UUID `uuid` on device `devno` alone (a filesystem eofzero made), by
// the device numbers its driver reads (fsdriver/mount_identity.h) and the
// UUID blkid reads from that device: kUnmounted; kNotMounted when nothing is
// mounted there; kNotOurs when something else is (left alone).
enum class UnmountOutcome { kUnmounted, kNotMounted, kNotOurs };
os::Result<UnmountOutcome> UnmountIfOurs(const std::string& target, std::uint64_t devno,
                                         const std::string& uuid) {
  EOFZERO_ASSIGN_OR_RETURN(auto top, os::TopMountAt(target));
  if (!top) return UnmountOutcome::kNotMounted;
  auto on = fsdriver::DevicesOfMount(*top, target);
  struct stat st {};
  if (!on || !fsdriver::IsOurs(*on, devno, uuid) || uuid.empty() ||
      ::stat(top->source.c_str(), &st) < 0 || !S_ISBLK(st.st_mode) || st.st_rdev != devno)
    return UnmountOutcome::kNotOurs;
  auto id = os::ProbeFilesystem(top->source);
  if (!id || id->uuid != uuid) return UnmountOutcome::kNotOurs;
  EOFZERO_RETURN_IF_ERROR(os::UnmountFilesystem(target, true));
  return UnmountOutcome::kUnmounted;
}

void ReleaseMounts(const RunEntry& e, const Held& live, Reclaimed& r) {
  for (const auto& m : e.mounts) {
    if (e.run_dir && !Inside(m.target, e.run_dir->path)) {
      r.left.push_back(m.target + ": not inside the run's folder");
      continue;
    }
    if (live.devices.contains(m.devno)) {
      r.left.push_back(m.target + ": its device is a live run's");
      continue;
    }
    auto done = UnmountIfOurs(m.target, m.devno, m.uuid);
    if (!done)
      r.problems.push_back(done.error().Message());
    else if (*done == UnmountOutcome::kUnmounted)
      r.released.push_back("unmounted " + m.target);
    else if (*done == UnmountOutcome::kNotOurs)
      r.left.push_back(m.target + ": what is mounted there is not the filesystem the run made");
  }
}

void ReleaseLoops(const RunEntry& e, const Held& live, Reclaimed& r) {
  if (e.images.empty()) return;
  auto loops = os::ListLoopBackings();
  if (!loops) {
    r.problems.push_back(loops.error().Message());
    return;
  }
  for (const auto& loop : *loops) {
    for (const auto& image : e.images) {
      if (loop.file_dev != image.dev || loop.file_ino != image.ino ||
          !BackedByPath(loop, image.path))
        continue;
      if (live.Has(image) || (e.run_dir && !Inside(image.path, e.run_dir->path)) ||
          !HoldsTheRunsFilesystem(e, "/dev/" + loop.name)) {
        r.left.push_back("/dev/" + loop.name + ": not the run's own image and filesystem");
        continue;
      }
      auto done = os::DetachLoopIfStillBacking(loop);
      if (!done) r.problems.push_back(done.error().Message());
      if (done && *done) r.released.push_back("detached /dev/" + loop.name);
    }
  }
}

// After the loop devices: a served image's loop device holds its file (and
// keeps the mount busy) until it is gone.
void ReleaseServedMounts(const RunEntry& e, Reclaimed& r) {
  for (const auto& target : e.served_mounts) {
    if (!e.run_dir || !Inside(target, e.run_dir->path)) {
      r.left.push_back(target + ": not inside the run's folder");
      continue;
    }
    auto done = os::UnmountFuseServerMount(target, 5000);
    if (!done)
      r.problems.push_back(done.error().Message());
    else if (*done)
      r.released.push_back("unmounted " + target);
  }
}

void ReleaseFolder(const RunEntry& e, const Held& live, Reclaimed& r) {
  if (!e.run_dir || !Exists(e.run_dir->path)) return;
  const std::string& dir = e.run_dir->path;
  if (!IsRunFolderName(dir) || !SameFile(*e.run_dir) || live.Has(*e.run_dir)) {
    r.left.push_back(dir + ": not the folder the run made");
    return;
  }
  auto removed = os::RemoveTreeOnItsFilesystem(dir);
  if (!removed)
    r.problems.push_back(removed.error().Message());
  else if (Exists(dir))
    r.problems.push_back("could not remove all of " + dir + " (a mount below it?)");
  else
    r.released.push_back("removed " + dir + " (" + RoundedMiB(*removed) + ")");
}

void Log(const fs::path& registry, const Reclaimed& r) {
  std::ofstream log(registry.parent_path() / "reclaimed.log", std::ios::app);
  const std::time_t now = std::time(nullptr);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  log << when << " pid " << ::getpid() << ": " << Describe(r) << "\n";
}

std::optional<Reclaimed> ReclaimFile(const fs::path& file, std::chrono::seconds nested_wait);

// Reclaims the dead runs registered inside `dir` (but `self`), waiting up to
// `wait` for the running ones to end; false if some still run. What was
// released is added to `released`.
bool SettleInside(const fs::path& registry, const std::string& dir, const fs::path& self,
                  std::chrono::seconds wait, std::vector<std::string>& released) {
  const auto deadline = Clock::now() + wait;
  while (true) {
    bool live_inside = false;
    for (const auto& run : ReadRegistry(registry)) {
      if (run.file == self || !run.entry.run_dir || !Inside(run.entry.run_dir->path, dir)) continue;
      if (os::IsRunning(run.entry.owner))
        live_inside = true;
      else if (auto inner = ReclaimFile(run.file, std::chrono::seconds(0)))
        released.push_back("(" + Describe(*inner) + ")");
      else if (Exists(run.file))
        live_inside = true;  // its guardian is releasing it right now
    }
    if (!live_inside) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Reclaims the entry in `file` if its owner is gone and nobody else is at
// it, after the runs inside its folder (waiting up to `nested_wait` for
// their owners to end; skipping the entry if they do not).
std::optional<Reclaimed> ReclaimFile(const fs::path& file, std::chrono::seconds nested_wait) {
  auto fd = os::OpenFile(file, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
  if (!fd || ::flock(fd->get(), LOCK_EX | LOCK_NB) < 0) return std::nullopt;
  auto entry = ReadRunEntry(file);
  if (!entry || os::IsRunning(entry->owner)) return std::nullopt;
  Reclaimed r;
  r.entry = *entry;
  if (entry->run_dir &&
      !SettleInside(file.parent_path(), entry->run_dir->path, file, nested_wait, r.released))
    return std::nullopt;
  const Held live = HeldByLiveRuns(file.parent_path());
  ReleaseMounts(*entry, live, r);
  ReleaseLoops(*entry, live, r);
  ReleaseServedMounts(*entry, r);
  ReleaseFolder(*entry, live, r);
  Log(file.parent_path(), r);
  // Last: while the entry is there, the reclaim is not over; it stays when
  // something of the run's could not be released, for a later try.
  if (r.problems.empty()) ::unlink(file.c_str());
  return r;
}

}  // namespace

bool IsRunFolderName(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.size() == 14 && name.starts_with("eofzero.") &&
         std::all_of(name.begin() + 8, name.end(), [](char c) { return std::isalnum(c) != 0; });
}

std::string Describe(const Reclaimed& r) {
  std::string s = "run " + std::to_string(r.entry.owner.pid) + " ended without releasing: ";
  if (r.released.empty()) s += "nothing was left";
  for (std::size_t i = 0; i < r.released.size(); ++i) s += (i ? ", " : "") + r.released[i];
  for (const auto& l : r.left) s += "; left alone: " + l;
  for (const auto& p : r.problems) s += "; could not release (will try again): " + p;
  return s;
}

std::vector<Reclaimed> ReclaimLeftovers(const fs::path& registry) {
  std::vector<Reclaimed> out;
  for (const auto& run : ReadRegistry(registry))
    if (auto r = ReclaimFile(run.file, std::chrono::seconds(0))) out.push_back(std::move(*r));
  return out;
}

std::optional<Reclaimed> ReclaimWhenOwnerIsGone(const fs::path& entry_file,
                                                std::chrono::seconds nested_wait) {
  // The owner's descriptors close a moment before it is a zombie.
  for (int i = 0; i < 500; ++i) {
    auto entry = ReadRunEntry(entry_file);
    if (!entry) return std::nullopt;  // released by the owner itself
    if (!os::IsRunning(entry->owner)) return ReclaimFile(entry_file, nested_wait);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

void SettleRunsInside(const fs::path& dir, std::chrono::seconds wait) {
  std::error_code ec;
  const auto canonical = fs::canonical(dir, ec);
  std::vector<std::string> released;
  SettleInside(RegistryDir(), ec ? dir.string() : canonical.string(), {}, wait, released);
}

std::vector<RunEntry> LiveRuns(const fs::path& registry) {
  std::vector<RunEntry> out;
  for (auto& run : ReadRegistry(registry))
    if (os::IsRunning(run.entry.owner)) out.push_back(std::move(run.entry));
  return out;
}

}  // namespace eofzero::scratch
