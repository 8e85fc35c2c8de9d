#include "explore/workload.h"

#include <fmt/format.h>

namespace eofzero::explore {
namespace {

constexpr const char* kCrashNames[] = {"freeze", "logflush", "nologflush"};
constexpr std::uint8_t kSourcePattern = 0x77;  // the second file's bytes
constexpr std::uint8_t kPrelude = 0x5a;         // the planted file's first bytes

// The steps of one operation and its persistence.
void Lines(const Concrete& c, std::size_t index, std::vector<std::string>& out) {
  const Action& a = c.action;
  const std::string pat = fmt::format("-S 0x{:02x}", PatternOf(index));
  const bool o_dsync = a.persist == Persist::kODsync;
  const std::string dsync = a.persist == Persist::kRwfDsync ? " -D" : "";
  const std::string span = fmt::format("{} {}", c.offset, c.length);
  auto through = [&](const char* flags, const std::string& write) {
    std::string open = "open";
    if (*flags) open += std::string(" ") + flags;
    if (o_dsync) open += " -y";
    out.push_back(open + " main");
    out.push_back(write);
    out.push_back("open main");
  };
  switch (a.op) {
    case Op::kPwrite:
      if (o_dsync)
        through("", fmt::format("pwrite {}{} {}", pat, dsync, span));
      else
        out.push_back(fmt::format("pwrite {}{} {}", pat, dsync, span));
      break;
    case Op::kPwriteDirect:
      through("-d", fmt::format("pwrite {}{} {}", pat, dsync, span));
      break;
    case Op::kPwriteAppend:
      through("-a", fmt::format("pwrite {}{} {}", pat, dsync, span));
      break;
    case Op::kPwriteRwfAppend:
      if (o_dsync)
        through("", fmt::format("pwrite -P {}{} {}", pat, dsync, span));
      else
        out.push_back(fmt::format("pwrite -P {}{} {}", pat, dsync, span));
      break;
    case Op::kMwrite:
      out.push_back("mmap " + span);
      out.push_back(fmt::format("mwrite {} {}", pat, span));
      out.push_back("msync");
      out.push_back("munmap");
      break;
    case Op::kTruncate:
      out.push_back(fmt::format("truncate {}", c.offset));
      break;
    case Op::kFalloc:
      out.push_back("falloc " + span);
      break;
    case Op::kFallocKeep:
      out.push_back("falloc -k " + span);
      break;
    case Op::kFzero:
      out.push_back("fzero " + span);
      break;
    case Op::kFzeroKeep:
      out.push_back("fzero -k " + span);
      break;
    case Op::kFpunch:
      out.push_back("fpunch " + span);
      break;
    case Op::kFcollapse:
      out.push_back("fcollapse " + span);
      break;
    case Op::kFinsert:
      out.push_back("finsert " + span);
      break;
    case Op::kCopyRange:
      out.push_back(fmt::format("copy_range -s 0 -d {} -l {} src", c.offset, c.length));
      break;
    case Op::kReflink:
      out.push_back(fmt::format("reflink src 0 {}", span));
      break;
  }
  switch (a.persist) {
    case Persist::kFsync:
      out.push_back("fsync");
      break;
    case Persist::kFdatasync:
      out.push_back("fdatasync");
      break;
    case Persist::kSyncfs:
      out.push_back("syncfs");
      break;
    case Persist::kSyncRange:
      out.push_back(fmt::format("sync_range -b -w -a {} {}", c.range_begin,
                                c.range_end - c.range_begin));
      break;
    case Persist::kNone:
    case Persist::kODsync:
    case Persist::kRwfDsync:
      break;
  }
}

std::uint64_t Fnv1a(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string StepsText(const Run& run, const Geometry& g) {
  std::string s = fmt::format(
      "file src\npwrite -S 0x{:02x} 0 {}\nfsync\nfile main\n"
      "pwrite -S 0x{:02x} 0 {{eob}}\nfsync\ntruncate {{eof}}\nfsync\nplant\n",
      kSourcePattern, g.source_size, kPrelude);
  for (const std::string& line : OperationLines(run.workload)) s += line + "\n";
  s += fmt::format("check gap\n{}\ncycle_mount\ncheck gap\n", ShutdownStep(run.crash));
  return s;
}

}  // namespace

const char* ShutdownStep(CrashMode m) {
  switch (m) {
    case CrashMode::kFreeze:
      return "shutdown -s";
    case CrashMode::kLogflush:
      return "shutdown -f";
    case CrashMode::kNologflush:
      return "shutdown";
  }
  return "shutdown";
}

std::span<const char* const> CrashModeNames() { return kCrashNames; }
const char* NameOf(CrashMode m) { return kCrashNames[static_cast<std::size_t>(m)]; }

std::uint8_t PatternOf(std::size_t index) { return static_cast<std::uint8_t>('a' + index % 26); }

std::vector<std::string> OperationLines(const std::vector<Concrete>& workload) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < workload.size(); ++i) Lines(workload[i], i, out);
  return out;
}

std::string CaseText(const Run& run, const std::string& name, const Geometry& g,
                     const std::string& purpose) {
  return fmt::format(
      "# Made by eofzero explore: {}; crash: {}\n"
      "name = \"{}\"\npurpose = \"{}\"\nlanguage = 2\nblock_size = {}\ngap = {}\n"
      "steps = '''\n{}'''\n",
      Describe(run.workload), NameOf(run.crash), name, purpose, g.block_size,
      g.block_size - g.old_eof % g.block_size, StepsText(run, g));
}

std::string RunName(const Run& run, const Geometry& g) {
  return fmt::format("x{:016x}", Fnv1a(fmt::format("{} {}\n", g.block_size, g.old_eof) +
                                       StepsText(run, g)));
}

}  // namespace eofzero::explore
