#include "scratch/run_registry.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "os/device_users.h"
#include "os/file_io.h"
#include "os/mount.h"

namespace eofzero::scratch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::optional<RunEntry::File> FileAt(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) < 0) return std::nullopt;
  return RunEntry::File{path.string(), st.st_dev, st.st_ino};
}

// A file as the registry keeps it: by its canonical path and device:inode.
os::Result<RunEntry::File> Recorded(const fs::path& path) {
  std::error_code ec;
  auto canonical = fs::canonical(path, ec);
  auto f = FileAt(ec ? path : canonical);
  if (!f) return os::FailErrno("stat " + path.string());
  return *f;
}

bool SameFile(const RunEntry::File& recorded) {
  auto now = FileAt(recorded.path);
  return now && now->dev == recorded.dev && now->ino == recorded.ino;
}

bool Inside(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/';
}

std::string MiB(std::uint64_t bytes) { return std::to_string((bytes + (1 << 19)) >> 20) + " MiB"; }

std::vector<fs::path> EntryFiles(const fs::path& registry) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(registry, ec))
    if (e.path().extension() == ".run") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

json FileJson(const RunEntry::File& f) {
  return {{"path", f.path}, {"dev", f.dev}, {"ino", f.ino}};
}

std::optional<RunEntry> ReadEntry(const fs::path& file) {
  auto text = os::ReadTextFile(file);
  if (!text) return std::nullopt;
  auto entry = ParseRunEntry(*text);
  if (!entry) return std::nullopt;
  return *entry;
}

// Releases what `entry` recorded, checking each thing is still what was
// recorded: mounts by target and device number, loop devices by the
// device:inode of the image behind them, the folder by its device:inode.
void Release(const RunEntry& entry, Reclaimed& r) {
  for (const auto& m : entry.mounts) {
    auto done = os::UnmountIfDevice(m.target, m.devno);
    if (!done) r.problems.push_back(done.error().Message());
    if (done && *done) r.released.push_back("unmounted " + m.target);
  }
  if (!entry.images.empty()) {
    auto loops = os::ListLoopBackings();
    if (!loops) r.problems.push_back(loops.error().Message());
    for (const auto& loop : loops.value_or(std::vector<os::LoopBacking>{})) {
      for (const auto& image : entry.images) {
        if (loop.file_dev != image.dev || loop.file_ino != image.ino) continue;
        auto done = os::DetachLoopIfStillBacking(loop);
        if (!done) r.problems.push_back(done.error().Message());
        if (done && *done) r.released.push_back("detached /dev/" + loop.name);
      }
    }
  }
  std::uint64_t bytes = 0;
  for (const auto& image : entry.images) {
    if (entry.run_dir && Inside(image.path, entry.run_dir->path)) continue;  // goes with it
    if (SameFile(image) && ::unlink(image.path.c_str()) == 0)
      r.released.push_back("removed " + image.path);
  }
  if (entry.run_dir && FileAt(entry.run_dir->path)) {
    if (!SameFile(*entry.run_dir)) {
      r.problems.push_back("left " + entry.run_dir->path + ": not the folder the run made");
    } else if (auto removed = os::RemoveTreeOnItsFilesystem(entry.run_dir->path); !removed) {
      r.problems.push_back(removed.error().Message());
    } else {
      bytes += *removed;
      if (FileAt(entry.run_dir->path))
        r.problems.push_back("could not remove all of " + entry.run_dir->path);
      else
        r.released.push_back("removed " + entry.run_dir->path + " (" + MiB(bytes) + ")");
    }
  }
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
bool SettleRunsInside(const fs::path& registry, const std::string& dir, const fs::path& self,
                      std::chrono::seconds wait, std::vector<std::string>& released) {
  const auto deadline = Clock::now() + wait;
  while (true) {
    bool live_inside = false;
    for (const auto& file : EntryFiles(registry)) {
      if (file == self) continue;
      auto other = ReadEntry(file);
      if (!other || !other->run_dir || !Inside(other->run_dir->path, dir)) continue;
      std::error_code ec;
      if (os::IsRunning(other->owner))
        live_inside = true;
      else if (auto inner = ReclaimFile(file, std::chrono::seconds(0)))
        released.push_back("(" + Describe(*inner) + ")");
      else if (fs::exists(file, ec))
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
  auto fd = os::OpenFile(file, O_RDWR);
  if (!fd || ::flock(fd->get(), LOCK_EX | LOCK_NB) < 0) return std::nullopt;
  auto entry = ReadEntry(file);
  if (!entry || os::IsRunning(entry->owner)) return std::nullopt;
  Reclaimed r;
  r.entry = *entry;
  if (entry->run_dir &&
      !SettleRunsInside(file.parent_path(), entry->run_dir->path, file, nested_wait, r.released))
    return std::nullopt;
  Release(*entry, r);
  Log(file.parent_path(), r);
  ::unlink(file.c_str());  // last: while the entry is there, the reclaim is not over
  return r;
}

}  // namespace

fs::path RegistryDir() {
  const char* env = std::getenv("EOFZERO_STATE_DIR");
  return fs::path(env && *env ? env : "/var/lib/eofzero") / "runs";
}

std::expected<RunEntry, std::string> ParseRunEntry(const std::string& text) {
  RunEntry entry;
  bool has_owner = false;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;  // a line cut short by a kill
    try {
      auto file = [](const json& f) {
        return RunEntry::File{f.at("path").get<std::string>(), f.at("dev").get<std::uint64_t>(),
                              f.at("ino").get<std::uint64_t>()};
      };
      if (j.contains("owner")) {
        const json& o = j.at("owner");
        entry.owner = {o.at("pid").get<pid_t>(), o.at("start").get<std::uint64_t>(),
                       o.at("boot").get<std::string>()};
        entry.guardian = j.value("guardian", 0);
        has_owner = true;
      } else if (j.contains("run_dir")) {
        entry.run_dir = file(j.at("run_dir"));
      } else if (j.contains("image")) {
        entry.images.push_back(file(j.at("image")));
      } else if (j.contains("mount")) {
        entry.mounts.push_back({j.at("mount").at("target").get<std::string>(),
                                j.at("mount").at("devno").get<std::uint64_t>()});
      }
    } catch (const json::exception& e) {
      return std::unexpected(std::string("bad registry line: ") + e.what());
    }
  }
  if (!has_owner) return std::unexpected("no owner");
  return entry;
}

std::string OwnerLine(const os::ProcessIdentity& owner, pid_t guardian) {
  return json{
             {"owner", {{"pid", owner.pid}, {"start", owner.start_ticks}, {"boot", owner.boot_id}}},
             {"guardian", guardian}}
             .dump() +
         "\n";
}

std::string RunDirLine(const RunEntry::File& dir) {
  return json{{"run_dir", FileJson(dir)}}.dump() + "\n";
}
std::string ImageLine(const RunEntry::File& image) {
  return json{{"image", FileJson(image)}}.dump() + "\n";
}
std::string MountLine(const RunEntry::MountRecord& mount) {
  return json{{"mount", {{"target", mount.target}, {"devno", mount.devno}}}}.dump() + "\n";
}

os::Result<std::unique_ptr<RunLease>> RunLease::Create(const fs::path& registry) {
  std::error_code ec;
  fs::create_directories(registry, ec);
  if (ec)
    return os::Fail(os::ErrorKind::kSystem, "mkdir " + registry.string() + ": " + ec.message());
  EOFZERO_ASSIGN_OR_RETURN(os::ProcessIdentity self, os::IdentityOf(::getpid()));
  std::unique_ptr<RunLease> lease(new RunLease());
  lease->file_ =
      registry / (std::to_string(self.pid) + "-" + std::to_string(self.start_ticks) + ".run");
  const fs::path file = lease->file_;
  EOFZERO_ASSIGN_OR_RETURN(auto guardian, os::Guardian::Start("eofzero-guard", [file] {
                             ReclaimWhenOwnerIsGone(file, std::chrono::seconds(120));
                           }));
  lease->guardian_.emplace(std::move(guardian));
  // Complete before it is seen: written aside, then renamed into place.
  const fs::path fresh = file.string() + ".new";
  if (!(std::ofstream(fresh) << OwnerLine(self, lease->guardian_->pid())))
    return os::Fail(os::ErrorKind::kSystem, "write " + fresh.string());
  fs::rename(fresh, file, ec);
  if (ec) return os::Fail(os::ErrorKind::kSystem, "rename " + fresh.string() + ": " + ec.message());
  EOFZERO_ASSIGN_OR_RETURN(lease->fd_, os::OpenFile(file, O_WRONLY | O_APPEND));
  return lease;
}

RunLease::~RunLease() {
  std::error_code ec;
  fs::remove(file_, ec);
}

os::Status RunLease::Append(const std::string& line) {
  if (::write(fd_.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    return os::FailErrno("append to " + file_.string());
  return {};
}

os::Status RunLease::NoteRunDir(const fs::path& dir) {
  EOFZERO_ASSIGN_OR_RETURN(auto f, Recorded(dir));
  return Append(RunDirLine(f));
}

os::Status RunLease::NoteImage(const fs::path& image) {
  EOFZERO_ASSIGN_OR_RETURN(auto f, Recorded(image));
  return Append(ImageLine(f));
}

os::Status RunLease::NoteMount(const std::string& target, std::uint64_t devno) {
  std::error_code ec;
  auto canonical = fs::canonical(target, ec);
  return Append(MountLine({ec ? target : canonical.string(), devno}));
}

std::string Describe(const Reclaimed& r) {
  std::string s = "run " + std::to_string(r.entry.owner.pid) + " ended without releasing: ";
  if (r.released.empty()) s += "nothing was left";
  for (std::size_t i = 0; i < r.released.size(); ++i) s += (i ? ", " : "") + r.released[i];
  for (const auto& p : r.problems) s += "; could not release: " + p;
  return s;
}

std::vector<Reclaimed> ReclaimLeftovers(const fs::path& registry) {
  std::vector<Reclaimed> out;
  for (const auto& file : EntryFiles(registry))
    if (auto r = ReclaimFile(file, std::chrono::seconds(0))) out.push_back(std::move(*r));
  return out;
}

std::optional<Reclaimed> ReclaimWhenOwnerIsGone(const fs::path& entry_file,
                                                std::chrono::seconds nested_wait) {
  // The owner's descriptors close a moment before it is a zombie.
  for (int i = 0; i < 500; ++i) {
    auto entry = ReadEntry(entry_file);
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
  SettleRunsInside(RegistryDir(), ec ? dir.string() : canonical.string(), {}, wait, released);
}

std::vector<RunEntry> LiveRuns(const fs::path& registry) {
  std::vector<RunEntry> out;
  for (const auto& file : EntryFiles(registry))
    if (auto entry = ReadEntry(file); entry && os::IsRunning(entry->owner)) out.push_back(*entry);
  return out;
}

}  // namespace eofzero::scratch
