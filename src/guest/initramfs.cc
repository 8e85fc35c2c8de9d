#include "guest/initramfs.h"

#include <fmt/format.h>

#include <set>

namespace eofzero::guest {
namespace {

class Manifest {
 public:
  void Dir(const std::string& path) {
    if (path.empty() || dirs_.contains(path)) return;
    if (const auto slash = path.rfind('/'); slash != std::string::npos) Dir(path.substr(0, slash));
    dirs_.insert(path);
    entries_.push_back({InitramfsEntry::Kind::kDirectory, path, {}, {}, 0755});
  }
  void Add(InitramfsEntry entry) {
    if (const auto slash = entry.path.rfind('/'); slash != std::string::npos)
      Dir(entry.path.substr(0, slash));
    if (files_.insert(entry.path).second) entries_.push_back(std::move(entry));
  }
  void HostFile(const std::string& path, const std::filesystem::path& source, unsigned mode) {
    Add({InitramfsEntry::Kind::kFile, path, source, {}, mode});
  }
  std::vector<InitramfsEntry> entries() && { return std::move(entries_); }

 private:
  std::set<std::string> dirs_, files_;
  std::vector<InitramfsEntry> entries_;
};

std::string Relative(const std::filesystem::path& absolute) {
  return absolute.relative_path().string();
}

}  // namespace

std::string ShellQuote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<InitramfsEntry> InitramfsManifest(const InitramfsInputs& in) {
  Manifest m;
  for (const char* dir :
       {"dev", "proc", "sys", "tmp", "var/tmp", "run", "mnt/scratch", "sbin", "bin"})
    m.Dir(dir);
  // The kernel opens /dev/console for init before devtmpfs is mounted.
  m.Add({InitramfsEntry::Kind::kCharDevice, "dev/console", {}, {}, 0600, 5, 1});
  m.HostFile("bin/busybox", in.busybox, 0755);
  m.Add({InitramfsEntry::Kind::kSymlink, "bin/sh", {}, "busybox", 0777});
  m.HostFile("bin/eofzero", in.eofzero, 0755);
  for (const auto& [name, source] : in.tools) m.HostFile("sbin/" + name, source, 0755);
  for (const auto& lib : in.libraries) m.HostFile(Relative(lib), lib, 0755);
  for (const auto& file : in.etc_files) m.HostFile(Relative(file), file, 0644);
  for (const auto& file : in.case_files)
    m.HostFile("cases/" + file.filename().string(), file, 0644);
  for (std::size_t k = 0; k < in.extra_case_dirs.size(); ++k) {
    const std::string dir = Relative(GuestCasesDir(k));
    m.Dir(dir);  // an empty folder is one `run --cases-dir` accepts
    for (const auto& file : in.extra_case_dirs[k])
      m.HostFile(dir + "/" + file.filename().string(), file, 0644);
  }
  for (const auto& module : in.modules)
    m.HostFile("lib/modules/eofzero/" + module.name + ".ko", module.file, 0644);
  m.Add({InitramfsEntry::Kind::kFile, "init", {}, InitScript(in), 0755});
  return std::move(m).entries();
}

std::string GuestCasesDir(std::size_t index) {
  return fmt::format("/cases-dir/{}", index + 1);
}

std::string RunsWord(const std::vector<std::size_t>& runs) {
  return fmt::format("eofzero.runs={}", fmt::join(runs, ","));
}

std::string InitScript(const InitramfsInputs& in) {
  std::string s = R"SH(#!/bin/sh
# eofzero's guest init: load the modules, find the disks, run, report, power off.
/bin/busybox --install -s /bin
export PATH=/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
)SH";
  std::string all;
  for (std::size_t k = 1; k <= in.runs.size(); ++k) all += (k > 1 ? " " : "") + std::to_string(k);
  s += fmt::format(R"SH(runs="{}"
for word in $(cat /proc/cmdline); do
  case "$word" in
    {}) echo "{}$(uname -r)"; echo "{}"; reboot -f ;;
    eofzero.runs=*) runs=$(echo "${{word#eofzero.runs=}}" | tr , ' ') ;;
  esac
done
)SH",
                   all, kProbeWord, kBootedMark, kDoneMark);
  // The modules the initramfs holds, listed where a kernel's modules.dep is:
  // a module that failed to load is then a filesystem this kernel has and
  // could not mount (an ERROR), never one it lacks (a SKIP,
  // os/kernel_filesystems.h).
  s += "mkdir -p /lib/modules/$(uname -r)\n: > /lib/modules/$(uname -r)/modules.dep\n";
  for (const auto& module : in.modules)
    s += fmt::format(
        "echo 'eofzero/{0}.ko:' >> /lib/modules/$(uname -r)/modules.dep\n"
        "insmod /lib/modules/eofzero/{0}.ko || echo 'eofzero-guest: insmod {0} failed'\n",
        module.name);
  s += fmt::format(R"SH(scratch= results=
for d in /sys/block/vd*; do
  case "$(cat $d/serial 2>/dev/null)" in
    {}) scratch=/dev/${{d##*/}} ;;
    {}) results=/dev/${{d##*/}} ;;
  esac
done
echo "eofzero-guest: kernel uptime $(cut -d' ' -f1 /proc/uptime)s"
echo "{}$(uname -r)"
)SH",
                   kScratchSerial, kResultsSerial, kBootedMark);
  std::string cases;
  for (std::size_t k = 0; k < in.runs.size(); ++k) {
    std::string args;
    for (const auto& a : in.runs[k]) args += " " + ShellQuote(a);
    cases += fmt::format("      {}) set --{} ;;\n", k + 1, args);
  }
  std::string cases_dirs;
  for (std::size_t k = 0; k < in.extra_case_dirs.size(); ++k)
    cases_dirs += (k ? "," : "") + GuestCasesDir(k);
  if (!cases_dirs.empty()) cases_dirs = " --cases-dir " + ShellQuote(cases_dirs);
  const std::string eofzero =
      in.command == GuestCommand::kSelftest
          ? fmt::format(R"SH(EOFZERO_CASES_DIR=/cases EOFZERO_STATE_DIR=/run/eofzero /bin/eofzero selftest \
      --workdir {} --format json --output /tmp/report.json "$@")SH",
                        kGuestSelftestDir)
          : fmt::format(R"SH(EOFZERO_CASES_DIR=/cases EOFZERO_STATE_DIR=/run/eofzero /bin/eofzero run \
      --scratch-dev "$scratch" --scratch-mnt /mnt/scratch --format json --output /tmp/report.json{} "$@")SH",
                        cases_dirs);
  // The self-test's images: in a tmpfs of their own.
  const std::string setup =
      in.command == GuestCommand::kSelftest
          ? fmt::format("  mkdir -p {0} && mount -t tmpfs -o size={1} tmpfs {0}\n",
                        kGuestSelftestDir, kGuestSelftestTmpfsSize)
          : "";
  s += fmt::format(
      R"SH(if [ -n "$scratch" ] && [ -n "$results" ]; then
{}  : > /tmp/reports
  for run in $runs; do
    case "$run" in
{}      *) echo "eofzero-guest: no run $run"; printf '\000' >> /tmp/reports; continue ;;
    esac
    rm -f /tmp/report.json
    {}
    echo "eofzero-guest: run $run: eofzero exited $?"
    [ -s /tmp/report.json ] && cat /tmp/report.json >> /tmp/reports
    printf '\000' >> /tmp/reports
  done
  cat /tmp/reports > "$results"
  sync
else
  echo "eofzero-guest: no virtio disks with serials {} and {}"
fi
echo "{}"
reboot -f
)SH",
      setup, cases, eofzero, kScratchSerial, kResultsSerial, kDoneMark);
  return s;
}

}  // namespace eofzero::guest
