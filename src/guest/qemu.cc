#include "guest/qemu.h"

#include <fcntl.h>
#include <unistd.h>

#include <deque>
#include <fstream>

#include "guest/initramfs.h"
#include "os/unique_fd.h"

namespace eofzero::guest {

const char* AccelName(Accel accel) { return accel == Accel::kKvm ? "kvm" : "tcg"; }

std::vector<std::string> QemuArgv(const GuestMachine& m) {
  auto drive = [](const std::filesystem::path& image, const char* id, const char* serial) {
    return std::vector<std::string>{
        "-drive", "file=" + image.string() + ",format=raw,if=none,cache=unsafe,id=" + id, "-device",
        std::string("virtio-blk-pci,drive=") + id + ",serial=" + serial};
  };
  std::string append = "console=ttyS0 panic=-1 rdinit=/init loglevel=4";
  if (!m.append.empty()) append += " " + m.append;
  std::vector<std::string> argv = {m.qemu,
                                   "-nodefaults",
                                   "-no-user-config",
                                   "-accel",
                                   AccelName(m.accel),
                                   "-cpu",
                                   m.accel == Accel::kKvm ? "host" : "max",
                                   "-smp",
                                   "1",
                                   "-m",
                                   std::to_string(m.memory_mib),
                                   "-display",
                                   "none",
                                   "-monitor",
                                   "none",
                                   "-serial",
                                   "file:" + m.console.string(),
                                   "-no-reboot",
                                   "-kernel",
                                   m.kernel.string(),
                                   "-initrd",
                                   m.initramfs.string(),
                                   "-append",
                                   append};
  for (auto& a : drive(m.scratch_image, "scratch", kScratchSerial)) argv.push_back(a);
  for (auto& a : drive(m.results_image, "results", kResultsSerial)) argv.push_back(a);
  return argv;
}

os::Status MakeGuestDisks(const GuestMachine& m) {
  for (auto [path, bytes] : {std::pair{m.scratch_image, kScratchDiskBytes},
                             std::pair{m.results_image, kResultsDiskBytes}}) {
    os::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd.valid()) return os::FailErrno("create " + path.string());
    if (::ftruncate(fd.get(), static_cast<off_t>(bytes)) != 0)
      return os::FailErrno("ftruncate " + path.string());
  }
  return {};
}

os::Result<std::vector<std::string>> ReadResults(const std::filesystem::path& results_image,
                                                 std::size_t count) {
  std::ifstream in(results_image, std::ios::binary);
  if (!in) return os::FailErrno("open " + results_image.string());
  std::vector<std::string> documents(1);
  char buf[65536];
  while (documents.size() <= count && (in.read(buf, sizeof buf) || in.gcount() > 0)) {
    std::string_view chunk(buf, static_cast<std::size_t>(in.gcount()));
    while (documents.size() <= count && !chunk.empty()) {
      const auto nul = chunk.find('\0');
      documents.back().append(chunk.substr(0, nul));
      if (nul == std::string_view::npos) break;
      documents.emplace_back();
      chunk.remove_prefix(nul + 1);
    }
  }
  documents.resize(count);
  return documents;
}

std::string ConsoleTail(const std::filesystem::path& console, std::size_t lines) {
  std::ifstream in(console, std::ios::binary);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    std::erase_if(line, [](char c) { return c == '\r' || (c > 0 && c < ' ' && c != '\t'); });
    if (line.empty()) continue;
    last.push_back(line);
    if (last.size() > lines) last.pop_front();
  }
  std::string text;
  for (const auto& l : last) text += l + "\n";
  return text;
}

}  // namespace eofzero::guest
