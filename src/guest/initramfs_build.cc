#include "guest/initramfs_build.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "fsdriver/registry.h"
#include "guest/cpio.h"
#include "guest/elf_modinfo.h"
#include "guest/host_tools.h"
#include "guest/module_order.h"
#include "os/process.h"

namespace eofzero::guest {
namespace {

namespace fs = std::filesystem;

os::Result<std::string> Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return os::FailErrno("open " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

os::Result<fs::path> FindProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::error_code ec;
    if (fs::is_regular_file(fs::path(dir) / name, ec)) return fs::canonical(fs::path(dir) / name);
  }
  return os::Fail(os::ErrorKind::kUnsupported, name + " is not installed on the host");
}

// The shared libraries (and loader) of every binary, each once.
os::Result<std::vector<fs::path>> Libraries(const std::vector<fs::path>& binaries) {
  std::vector<fs::path> libs;
  std::set<fs::path> seen;
  for (const auto& binary : binaries) {
    EOFZERO_ASSIGN_OR_RETURN(auto ldd, os::RunProcess({"ldd", binary.string()}));
    if (!ldd.ok()) continue;  // a static binary: "not a dynamic executable"
    for (auto& lib : ParseLdd(ldd.out))
      if (seen.insert(lib).second) libs.push_back(lib);
  }
  return libs;
}

// Modules of the kernel, uncompressed into `work`, in load order.
os::Result<std::vector<GuestModule>> Modules(const fs::path& modules_dir, const fs::path& work) {
  if (modules_dir.empty()) return std::vector<GuestModule>{};
  ModuleIndex index;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(modules_dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec))
    if (auto name = ModuleName(it->path().string()); !name.empty()) index[name] = it->path();
  std::set<std::string> builtin;
  if (auto text = Slurp(modules_dir / "modules.builtin")) builtin = ParseBuiltin(*text);
  std::map<std::string, fs::path> plain;
  fs::create_directories(work, ec);
  auto uncompressed = [&](const std::string& name) -> std::expected<fs::path, std::string> {
    if (auto it = plain.find(name); it != plain.end()) return it->second;
    const fs::path& file = index.at(name);
    const std::string ext = file.extension().string();
    fs::path out = file;
    if (ext != ".ko") {
      const HostTool tool = ModuleDecompressor(file.string());
      if (!os::ProgramExists(tool.program))
        return std::unexpected(file.filename().string() + ": " + tool.Missing());
      out = work / (name + ".ko");
      auto r = os::RunProcess({tool.program, "-dc", file.string()});
      if (!r || !r->ok())
        return std::unexpected(fmt::format("{} -dc {} failed{}", tool.program, file.string(),
                                           r ? ": " + r->Describe() : ""));
      std::ofstream(out, std::ios::binary) << r->out;
    }
    plain[name] = out;
    return out;
  };
  auto depends_of =
      [&](const std::string& name) -> std::expected<std::vector<std::string>, std::string> {
    auto file = uncompressed(name);
    if (!file) return std::unexpected(file.error());
    auto bytes = Slurp(*file);
    if (!bytes) return std::unexpected(bytes.error().Message());
    auto modinfo = ModinfoSection(*bytes);
    if (!modinfo) return std::unexpected(file->string() + ": " + modinfo.error());
    return ModinfoDepends(*modinfo);
  };
  auto order = LoadOrder(WantedModules(index, builtin), index, builtin, depends_of);
  if (!order) return os::Fail(os::ErrorKind::kInvalid, order.error());
  std::vector<GuestModule> modules;
  for (const auto& name : *order) modules.push_back({name, plain.at(name)});
  return modules;
}

// A digest of everything that goes into the archive: each host file's path,
// size and modification time, and the inline contents.
std::string Digest(const std::vector<InitramfsEntry>& entries) {
  std::string text;
  for (const auto& e : entries) {
    text += e.path + '\0' + e.data + '\0';
    if (!e.source.empty()) {
      std::error_code ec;
      text += e.source.string() + '\0' + std::to_string(fs::file_size(e.source, ec)) + '\0' +
              std::to_string(fs::last_write_time(e.source, ec).time_since_epoch().count());
    }
  }
  return fmt::format("{:016x}", std::hash<std::string>{}(text));
}

os::Status WriteArchive(const std::vector<InitramfsEntry>& entries, const fs::path& path) {
  const fs::path partial = path.string() + ".partial";
  std::ofstream out(partial, std::ios::binary);
  if (!out) return os::FailErrno("create " + partial.string());
  CpioWriter cpio(out);
  for (const auto& e : entries) {
    switch (e.kind) {
      case InitramfsEntry::Kind::kDirectory:
        cpio.Directory(e.path, e.mode);
        break;
      case InitramfsEntry::Kind::kSymlink:
        cpio.Symlink(e.path, e.data);
        break;
      case InitramfsEntry::Kind::kCharDevice:
        cpio.CharDevice(e.path, e.major, e.minor, e.mode);
        break;
      case InitramfsEntry::Kind::kFile: {
        if (e.source.empty()) {
          cpio.File(e.path, e.data, e.mode);
          break;
        }
        EOFZERO_ASSIGN_OR_RETURN(std::string data, Slurp(e.source));
        cpio.File(e.path, data, e.mode);
      }
    }
  }
  cpio.Finish();
  out.close();
  if (!out) return os::FailErrno("write " + partial.string());
  std::error_code ec;
  fs::rename(partial, path, ec);
  if (ec) return os::FailErrno("rename " + partial.string(), ec.value());
  return {};
}

}  // namespace

const std::vector<std::string>& GuestTools() {
  static const std::vector<std::string> tools = [] {
    std::vector<std::string> all;
    for (fsdriver::FsType type : fsdriver::kFsTypes)
      if (fsdriver::Driver(type).InGuest())
        for (auto& t : fsdriver::Driver(type).GuestTools()) all.push_back(std::move(t));
    return all;
  }();
  return tools;
}

std::vector<fs::path> ParseLdd(const std::string& text) {
  std::vector<fs::path> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    auto arrow = line.find("=> ");
    std::string rest = arrow == std::string::npos ? line : line.substr(arrow + 3);
    const auto start = rest.find('/');
    if (start == std::string::npos) continue;
    rest = rest.substr(start);
    out.emplace_back(rest.substr(0, rest.find(' ')));
  }
  return out;
}

os::Result<fs::path> BuildInitramfs(const InitramfsRequest& request) {
  InitramfsInputs in;
  EOFZERO_ASSIGN_OR_RETURN(in.busybox, FindProgram("busybox"));
  in.eofzero = request.eofzero;
  std::vector<fs::path> binaries = {request.eofzero};
  // A tool this host lacks is left out: `kernels` checks the tools of the
  // filesystems it runs before anything is fetched (guest/host_tools.h), so
  // a missing one only ever belongs to a filesystem the guests do not use.
  for (const auto& tool : GuestTools()) {
    auto path = FindProgram(tool);
    if (!path) continue;
    in.tools.emplace_back(tool, *path);
    binaries.push_back(*path);
  }
  EOFZERO_ASSIGN_OR_RETURN(in.libraries, Libraries(binaries));
  std::error_code ec;
  for (fsdriver::FsType type : fsdriver::kFsTypes)
    for (const auto& file : fsdriver::Driver(type).GuestEtcFiles())
      if (fs::exists(file, ec)) in.etc_files.push_back(file);
  // The case files as engine::LoadCaseDirs finds them: *.toml, in order.
  auto toml_files = [](const fs::path& dir) -> os::Result<std::vector<fs::path>> {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".toml") files.push_back(e.path());
    if (ec) return os::FailErrno("list " + dir.string(), ec.value());
    std::ranges::sort(files);
    return files;
  };
  EOFZERO_ASSIGN_OR_RETURN(in.case_files, toml_files(request.cases_dir));
  for (const auto& dir : request.extra_cases_dirs) {
    EOFZERO_ASSIGN_OR_RETURN(auto files, toml_files(dir));
    in.extra_case_dirs.push_back(std::move(files));
  }
  EOFZERO_ASSIGN_OR_RETURN(in.modules, Modules(request.modules_dir, request.work_dir));
  in.runs = request.runs;
  in.command = request.command;
  const auto entries = InitramfsManifest(in);
  // The modules' digest is their source's, not the uncompressed copy's.
  std::string key_text = request.modules_dir.string();
  auto keyed = entries;
  for (auto& e : keyed)
    if (e.path.starts_with("lib/modules/eofzero/")) e.source.clear();
  const fs::path archive =
      request.cache_dir /
      ("initramfs-" + Digest(keyed) + "-" +
       fmt::format("{:08x}", std::hash<std::string>{}(key_text)&0xffffffff) + ".cpio");
  if (fs::exists(archive, ec)) return archive;
  fs::create_directories(request.cache_dir, ec);
  // The binary without its debug sections: a tenth of the size, and the
  // guest unpacks every byte of the archive.
  auto written = entries;
  const fs::path stripped = request.work_dir / "eofzero";
  fs::create_directories(request.work_dir, ec);
  if (auto r =
          os::RunProcess({"objcopy", "--strip-debug", request.eofzero.string(), stripped.string()});
      r && r->ok())
    for (auto& e : written)
      if (e.path == "bin/eofzero") e.source = stripped;
  EOFZERO_RETURN_IF_ERROR(WriteArchive(written, archive));
  return archive;
}

}  // namespace eofzero::guest
