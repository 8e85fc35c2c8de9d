#include "fsdriver/xfs_db.h"

namespace eofzero::fsdriver {

std::vector<std::string> XfsDbArgv(const std::string& device,
                                   const std::vector<std::string>& commands) {
  std::vector<std::string> argv = {"xfs_db", "-r"};
  for (const auto& c : commands) {
    argv.push_back("-c");
    argv.push_back(c);
  }
  argv.push_back(device);
  return argv;
}

os::Result<os::ProcessResult> RunXfsDbReadOnly(os::System& system, const std::string& device,
                                       const std::vector<std::string>& commands) {
  auto run = system.Run(XfsDbArgv(device, commands));
  if (!run && run.error().kind == os::ErrorKind::kUnsupported)
    return os::Fail(os::ErrorKind::kUnsupported,
                "xfs_db not found in PATH (install xfsprogs): cannot read " + device + " offline");
  if (!run) return run;
  if (!run->ok()) return os::Fail(os::ErrorKind::kChild, run->Describe());
  return run;
}

}  // namespace eofzero::fsdriver
