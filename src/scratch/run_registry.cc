#include "scratch/run_registry.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "os/file_io.h"
#include "scratch/reclaim.h"

namespace eofzero::scratch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A registry entry is a few lines; anything much larger is not one.
constexpr std::uint64_t kMaxEntryBytes = 1 << 20;

// A file as the registry keeps it: by its canonical path and device:inode.
os::Result<RunEntry::File> Recorded(const fs::path& path) {
  std::error_code ec;
  const fs::path canonical = fs::canonical(path, ec);
  const fs::path at = ec ? path : canonical;
  struct stat st {};
  if (::lstat(at.c_str(), &st) < 0) return os::FailErrno("stat " + path.string());
  return RunEntry::File{at.string(), st.st_dev, st.st_ino};
}

json FileJson(const RunEntry::File& f) {
  return {{"path", f.path}, {"dev", f.dev}, {"ino", f.ino}};
}

}  // namespace

fs::path RegistryDir() {
  const char* env = std::getenv("EOFZERO_STATE_DIR");
  // Absolute: a guardian works from / and must find the same folder.
  return fs::absolute(fs::path(env && *env ? env : "/var/lib/eofzero") / "runs");
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
      } else if (j.contains("device")) {
        entry.devices.push_back(j.at("device").at("devno").get<std::uint64_t>());
      } else if (j.contains("mount")) {
        const json& m = j.at("mount");
        entry.mounts.push_back({m.at("target").get<std::string>(),
                                m.at("devno").get<std::uint64_t>(), m.value("uuid", "")});
      } else if (j.contains("released")) {
        const auto devno = j.at("released").at("devno").get<std::uint64_t>();
        std::erase(entry.devices, devno);
        std::erase_if(entry.mounts,
                      [&](const RunEntry::MountRecord& m) { return m.devno == devno; });
      } else if (j.contains("served_mount")) {
        entry.served_mounts.push_back(j.at("served_mount").at("target").get<std::string>());
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
std::string DeviceLine(std::uint64_t devno) {
  return json{{"device", {{"devno", devno}}}}.dump() + "\n";
}
std::string MountLine(const RunEntry::MountRecord& mount) {
  return json{{"mount", {{"target", mount.target}, {"devno", mount.devno}, {"uuid", mount.uuid}}}}
             .dump() +
         "\n";
}

std::string ServedMountLine(const std::string& target) {
  return json{{"served_mount", {{"target", target}}}}.dump() + "\n";
}

std::string ReleasedLine(std::uint64_t devno) {
  return json{{"released", {{"devno", devno}}}}.dump() + "\n";
}

std::optional<RunEntry> ReadRunEntry(const fs::path& file) {
  auto text = os::ReadRegularFile(file, kMaxEntryBytes);
  if (!text) return std::nullopt;
  auto entry = ParseRunEntry(*text);
  if (!entry) return std::nullopt;
  return *entry;
}

std::vector<RegisteredRun> ReadRegistry(const fs::path& registry) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(registry, ec))
    if (e.path().extension() == ".run" && e.is_regular_file(ec) && !e.is_symlink(ec))
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<RegisteredRun> out;
  for (auto& f : files)
    if (auto entry = ReadRunEntry(f)) out.push_back({std::move(f), std::move(*entry)});
  return out;
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
  if (keep_) return;
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

os::Status RunLease::NoteDevice(std::uint64_t devno) { return Append(DeviceLine(devno)); }

os::Status RunLease::NoteReleased(std::uint64_t devno) { return Append(ReleasedLine(devno)); }

os::Status RunLease::NoteMount(const std::string& target, std::uint64_t devno,
                               const std::string& uuid) {
  std::error_code ec;
  const auto canonical = fs::canonical(target, ec);
  return Append(MountLine({ec ? target : canonical.string(), devno, uuid}));
}

os::Status RunLease::NoteServedMount(const fs::path& target) {
  std::error_code ec;
  const auto canonical = fs::canonical(target, ec);
  return Append(ServedMountLine(ec ? target.string() : canonical.string()));
}

}  // namespace eofzero::scratch
