#include "guest/kernel_package.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "guest/host_tools.h"
#include "os/process.h"

namespace eofzero::guest {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKeyring = kDebianKeyring;

os::Result<os::ProcessResult> Run(const std::vector<std::string>& argv) {
  auto r = os::RunProcess(argv);
  if (!r) return r;
  if (!r->ok()) return os::Fail(os::ErrorKind::kChild, r->Describe());
  return r;
}

fs::path AptDir(const KernelCache& cache, const std::string& suite) {
  return cache.dir / "apt" / suite;
}

// Sets up the suite's private apt folders and refreshes its package lists
// (at most every 6 hours).
os::Status UpdateSuite(const KernelCache& cache, const std::string& suite) {
  const fs::path dir = AptDir(cache, suite);
  std::error_code ec;
  for (const char* sub : {"etc/parts", "state/lists/partial", "cache/archives/partial"})
    fs::create_directories(dir / sub, ec);
  if (ec) return os::FailErrno("create " + dir.string(), ec.value());
  std::ofstream(dir / "etc/sources.list") << SourcesList(suite, cache);
  if (!fs::exists(dir / "state/status")) std::ofstream(dir / "state/status");
  const fs::path stamp = dir / "state/updated";
  if (fs::exists(stamp, ec) &&
      fs::file_time_type::clock::now() - fs::last_write_time(stamp, ec) < std::chrono::hours(6))
    return {};
  auto argv = std::vector<std::string>{"apt-get", "-q"};
  for (auto& o : AptOptions(dir)) argv.push_back(o);
  argv.push_back("update");
  if (auto r = Run(argv); !r) return std::unexpected(r.error());
  std::ofstream(stamp) << "";
  return {};
}

// Downloads `package` from the suite into the cache's debs folder, unless a
// .deb of it is there already. Returns the .deb's path.
os::Result<fs::path> Download(const KernelCache& cache, const std::string& suite,
                              const std::string& package) {
  const fs::path debs = cache.dir / "debs";
  std::error_code ec;
  fs::create_directories(debs, ec);
  auto options = AptOptions(AptDir(cache, suite));
  std::vector<std::string> show = {"apt-cache"};
  show.insert(show.end(), options.begin(), options.end());
  show.insert(show.end(), {"show", "--no-all-versions", package});
  auto shown = Run(show);
  if (!shown) return std::unexpected(shown.error());
  std::string filename;
  std::istringstream lines(shown->out);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("Filename: ")) filename = fs::path(line.substr(10)).filename().string();
  if (filename.empty())
    return os::Fail(os::ErrorKind::kInvalid, "apt-cache show " + package + ": no Filename");
  const fs::path deb = debs / filename;
  if (fs::exists(deb, ec)) return deb;
  std::vector<std::string> download = {"apt-get", "-q"};
  download.insert(download.end(), options.begin(), options.end());
  download.insert(download.end(), {"download", package});
  // apt-get download writes into its working folder: run it there.
  std::vector<std::string> in_dir = {"env", "-C", debs.string()};
  in_dir.insert(in_dir.end(), download.begin(), download.end());
  if (auto r = Run(in_dir); !r) return std::unexpected(r.error());
  if (!fs::exists(deb, ec))
    return os::Fail(os::ErrorKind::kChild,
                    "apt-get download " + package + " made no " + deb.string());
  return deb;
}

// Extracts the .debs (once) into one folder, named after the first, and
// finds the image and the modules in it.
os::Result<BootableKernel> Extract(const KernelCache& cache, const std::vector<fs::path>& debs,
                                   const std::string& origin) {
  const fs::path root = cache.dir / "extracted" / debs.front().stem();
  std::error_code ec;
  if (!fs::exists(root / ".complete", ec)) {
    fs::remove_all(root, ec);
    fs::create_directories(root, ec);
    for (const auto& deb : debs)
      if (auto r = Run({"dpkg-deb", "-x", deb.string(), root.string()}); !r)
        return std::unexpected(r.error());
    std::ofstream(root / ".complete") << "";
  }
  BootableKernel kernel;
  kernel.origin = origin;
  for (const char* boot : {"boot", "usr/lib/linux"})
    for (const auto& e : fs::recursive_directory_iterator(root / boot, ec))
      if (e.path().filename().string().starts_with("vmlinuz")) kernel.image = e.path();
  for (const char* modules : {"lib/modules", "usr/lib/modules"})
    for (const auto& e : fs::directory_iterator(root / modules, ec))
      if (e.is_directory()) kernel.modules_dir = e.path();
  // Debian's packages from 7.x on keep the image beside the modules.
  if (kernel.image.empty() && fs::is_regular_file(kernel.modules_dir / "vmlinuz", ec))
    kernel.image = kernel.modules_dir / "vmlinuz";
  if (kernel.image.empty())
    return os::Fail(os::ErrorKind::kInvalid,
                    debs.front().string() + ": no vmlinuz-* in it (nor in its parts)");
  return kernel;
}

}  // namespace

std::string SourcesList(const std::string& suite, const KernelCache& cache) {
  std::string text =
      fmt::format("deb [arch=amd64 signed-by={}] {} {} main\n", kKeyring, cache.mirror, suite);
  if (suite == "bookworm" || suite == "trixie")
    text += fmt::format("deb [arch=amd64 signed-by={}] {} {}-security main\n", kKeyring,
                        cache.security_mirror, suite);
  return text;
}

std::vector<std::string> AptOptions(const fs::path& dir) {
  return {"-o", "Dir::Etc::sourcelist=" + (dir / "etc/sources.list").string(),
          "-o", "Dir::Etc::sourceparts=" + (dir / "etc/parts").string(),
          "-o", "Dir::State=" + (dir / "state").string(),
          "-o", "Dir::State::status=" + (dir / "state/status").string(),
          "-o", "Dir::Cache=" + (dir / "cache").string(),
          "-o", "APT::Architecture=amd64",
          "-o", "Debug::NoLocking=1",
          "-o", "APT::Sandbox::User=root"};
}

std::vector<std::string> KernelParts(const std::string& apt_cache_depends) {
  std::vector<std::string> parts;
  std::istringstream lines(apt_cache_depends);
  for (std::string line; std::getline(lines, line);)
    for (const char* prefix :
         {"Depends: linux-binary-", "Depends: linux-modules-", "Depends: linux-base-"})
      if (const auto at = line.find(prefix); at != std::string::npos) {
        std::string name = line.substr(at + 9);
        parts.push_back(name.substr(0, name.find(' ')));
      }
  return parts;
}

std::string DependedImage(const std::string& text) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.find("Depends: linux-image-");
    if (at != std::string::npos) return line.substr(at + 9);
  }
  return {};
}

os::Result<BootableKernel> ObtainKernel(const KernelSpec& spec, const KernelCache& cache) {
  using Kind = KernelSpec::Kind;
  if (spec.kind == Kind::kBuild) {
    std::error_code ec;
    if (!fs::is_regular_file(spec.file, ec))
      return os::Fail(os::ErrorKind::kInvalid, spec.file.string() + ": no such kernel image");
    return BootableKernel{spec.file, spec.modules_dir, spec.file.string()};
  }
  if (spec.kind == Kind::kDebFile) return Extract(cache, {spec.file}, spec.file.string());
  std::vector<std::string> suites =
      spec.suite.empty() ? KnownSuites() : std::vector<std::string>{spec.suite};
  std::string why;
  for (const auto& suite : suites) {
    EOFZERO_RETURN_IF_ERROR(UpdateSuite(cache, suite));
    std::string package = spec.package;
    if (spec.kind == Kind::kSuite) {
      std::vector<std::string> depends = {"apt-cache"};
      for (auto& o : AptOptions(AptDir(cache, suite))) depends.push_back(o);
      depends.insert(depends.end(), {"depends", "linux-image-amd64"});
      auto listed = Run(depends);
      if (!listed) return std::unexpected(listed.error());
      package = DependedImage(listed->out);
      if (package.empty())
        return os::Fail(os::ErrorKind::kInvalid, suite + ": linux-image-amd64 names no image");
    }
    auto deb = Download(cache, suite, package);
    if (!deb) {
      why = deb.error().Message();
      continue;
    }
    // Newer packages hold neither image nor modules: their linux-binary-*,
    // linux-modules-* and linux-base-* (modules.builtin) dependencies do.
    std::vector<fs::path> debs = {*deb};
    std::vector<std::string> depends = {"apt-cache"};
    for (auto& o : AptOptions(AptDir(cache, suite))) depends.push_back(o);
    depends.insert(depends.end(), {"depends", package});
    auto listed = Run(depends);
    if (!listed) return std::unexpected(listed.error());
    for (const auto& part : KernelParts(listed->out)) {
      auto part_deb = Download(cache, suite, part);
      if (!part_deb) return std::unexpected(part_deb.error());
      debs.push_back(*part_deb);
    }
    return Extract(cache, debs, package + " (" + suite + ")");
  }
  return os::Fail(os::ErrorKind::kInvalid, spec.package + ": not found in " +
                                               fmt::to_string(fmt::join(suites, ", ")) +
                                               (why.empty() ? "" : " (" + why + ")"));
}

}  // namespace eofzero::guest
