#include "os/kernel_filesystems.h"

#include <sys/utsname.h>

#include <fstream>
#include <sstream>

namespace eofzero::os {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool ListsFilesystem(std::string_view proc_filesystems, std::string_view type) {
  std::istringstream lines{std::string(proc_filesystems)};
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.rfind('\t');
    if ((tab == std::string::npos ? line : line.substr(tab + 1)) == type) return true;
  }
  return false;
}

bool ListsModule(std::string_view modules_dep, std::string_view module) {
  const std::string name = "/" + std::string(module) + ".ko";
  std::istringstream lines{std::string(modules_dep)};
  for (std::string line; std::getline(lines, line);) {
    const std::string file = line.substr(0, line.find(':'));
    const auto at = file.rfind(name);
    if (at == std::string::npos) continue;
    const std::string rest = file.substr(at + name.size());
    if (rest.empty() || rest == ".xz" || rest == ".zst" || rest == ".gz") return true;
  }
  return false;
}

std::string KernelLacksFilesystem(const std::string& type) {
  if (ListsFilesystem(ReadAll("/proc/filesystems"), type)) return {};
  struct utsname u {};
  const std::string release = ::uname(&u) == 0 ? u.release : "";
  const std::string modules = "/lib/modules/" + release;
  if (ListsModule(ReadAll(modules + "/modules.dep"), type)) return {};
  return "this kernel (" + release + ") has no " + type + ": /proc/filesystems does not list it and " +
         modules + "/modules.dep has no " + type + " module (`eofzero kernels --fs " + type +
         "` runs it in a guest of a kernel that has)";
}

}  // namespace eofzero::os
