#include "explore/export_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "engine/case_text.h"

namespace eofzero::explore {
namespace {

using engine::Step;

constexpr std::uint64_t kUnknown = ~0ull;  // a size or length the plan cannot know

// Notes for the commands that are not word for word what the step says
// (xfs_io 6.1, xfsprogs of this machine: see docs/export.md).
constexpr const char* kNoteDsync =
    "O_DSYNC: xfs_io's open has no O_DSYNC flag; written with RWF_DSYNC (pwrite -V 1 -D), the "
    "same promise for this write";
constexpr const char* kNoteRwfAppend =
    "RWF_APPEND: xfs_io's pwrite has no such flag; written through an O_APPEND descriptor "
    "(IOCB_APPEND either way)";
constexpr const char* kNoteRwfSync =
    "RWF_SYNC: xfs_io's pwrite has no such flag; written through an O_SYNC descriptor (the same "
    "promise for this write)";
constexpr const char* kNoteRwfFlags =
    "xfs_io applies pwrite's -D and -N only with -V (pwritev2)";
constexpr const char* kNoteSyncRange =
    "xfs_io's sync_range keeps only its last flag: one command per flag, in the order "
    "sync_file_range applies them";
constexpr const char* kNoteNoSyncRange =
    "sync_file_range with no flags does nothing (xfs_io's would imply -w): left out";
constexpr const char* kNoteFreeze =
    "the freezing shutdown (DEFAULT): xfs_io's shutdown has none; syncfs, then a log-flushing "
    "shutdown";
constexpr const char* kNoteMmap =
    "eofzero maps the pages that hold the range; xfs_io maps what it is given: page aligned "
    "here";
constexpr const char* kNoteGapRead =
    "check gap (before the crash): a buffered read of the gap, dumped and checked after the crash";
constexpr const char* kNoteStat = "expect size (before the crash): stat, checked after the crash";

// The case's files and the script's xfs_io processes: which descriptors an
// xfs_io process has open (it numbers them in the order they were opened),
// and the model of the main file's size and gap.
class Planner {
 public:
  explicit Planner(const engine::Variables& vars) : vars_(vars) {
    plan_.block_size = static_cast<std::uint32_t>(vars.at("bs"));
    plan_.eof = static_cast<std::uint64_t>(vars.at("eof"));
    plan_.eof_block = static_cast<std::uint64_t>(vars.at("eof_block"));
    plan_.eob = static_cast<std::uint64_t>(vars.at("eob"));
    plan_.files = {"main"};
    gap_.begin = plan_.eof;
    gap_.end = plan_.eob;
    gap_.allowed.assign(plan_.eob - plan_.eof, std::bitset<256>().set(0));
  }

  std::expected<ExportPlan, std::string> Plan(const engine::CaseSpec& spec);

  // --- for the step table ---
  std::expected<std::uint64_t, std::string> Num(std::size_t i) const {
    return Value(step_->numbers[i]);
  }
  std::expected<std::uint64_t, std::string> Flag(char f, std::uint64_t otherwise) const {
    auto it = step_->flags.find(f);
    if (it == step_->flags.end() || !it->second) return otherwise;
    return Value(*it->second);
  }
  const Step& step() const { return *step_; }
  const std::string& current() const { return current_; }
  void SetCurrent(const std::string& file) {
    current_ = file;
    if (std::find(plan_.files.begin(), plan_.files.end(), file) == plan_.files.end())
      plan_.files.push_back(file);
  }
  int OpenFlagsOf(const std::string& file) const {
    auto it = open_flags_.find(file);
    return it == open_flags_.end() ? 0 : it->second;
  }
  void SetOpenFlags(const std::string& file, int flags) { open_flags_[file] = flags; }
  // Makes the descriptor of `file` opened with `flags` xfs_io's current one
  // (opening it, or going back to it), as the interpreter keeps one per file
  // and mode. Returns its number.
  std::size_t Select(const std::string& file, int flags);
  void Emit(std::string text, std::string note = {}) {
    Process().commands.push_back({std::move(text), engine::StepLine(*step_), step_->line,
                                  std::move(note)});
  }
  void Note(std::string note) { Emit("", std::move(note)); }
  void Need(std::string command, std::string flag = {}) {
    plan_.needs.insert({std::move(command), std::move(flag)});
  }
  void NeedReflink() { plan_.reflink = true; }
  std::uint64_t page_size() const { return static_cast<std::uint64_t>(vars_.at("ps")); }
  const std::string& mapping_file() const { return mapping_file_; }
  void SetMappingFile(const std::string& file) { mapping_file_ = file; }

  // The model of the main file after the plant.
  bool planted() const { return planted_; }
  std::uint64_t size() const { return size_; }
  void SetSize(std::uint64_t size) { size_ = size; }
  void Grow(std::uint64_t end) {
    if (size_ != kUnknown) size_ = end == kUnknown ? kUnknown : std::max(size_, end);
  }
  // Bytes [begin, end) of the main file may now read as `value` (kUnknown
  // end: to the end of the gap).
  void Allow(std::uint64_t begin, std::uint64_t end, std::uint8_t value);
  // ... as any byte the case writes (a copy, a clone, a shift).
  void AllowAny(std::uint64_t begin, std::uint64_t end);
  void AllowAnyEverywhere() { AllowAny(gap_.begin, gap_.end); }

  // The project's own steps.
  void Plant();
  void Shutdown();
  void CycleMount();
  void CheckGap();
  void ExpectSize(std::uint64_t size);

 private:
  std::expected<std::uint64_t, std::string> Value(const engine::Expr& e) const {
    auto v = e.Eval(vars_);
    if (!v) return std::unexpected(v.error());
    if (*v < 0) return std::unexpected(e.text() + " is negative");
    return static_cast<std::uint64_t>(*v);
  }
  ScriptStep& Process();  // the xfs_io process now running, started if none is
  void EndProcess() { running_ = false; }
  GapBytes GapNow() const;

  const engine::Variables& vars_;
  ExportPlan plan_;
  const Step* step_ = nullptr;
  std::string current_ = "main";
  std::map<std::string, int> open_flags_;
  std::string mapping_file_;
  bool running_ = false;
  std::vector<std::pair<std::string, int>> table_;  // the process's descriptors
  std::size_t active_ = 0;
  bool planted_ = false, crashed_ = false, down_ = false;
  std::uint64_t size_ = 0;
  GapBytes gap_;
  std::vector<bool> any_;  // offsets that may hold any byte the case writes
  std::bitset<256> patterns_;  // every byte the case writes
};

ScriptStep& Planner::Process() {
  if (!running_) {
    plan_.steps.push_back({});
    plan_.steps.back().kind = ScriptStep::Kind::kXfsIo;
    table_ = {{"main", 0}};  // xfs_io -f main: its first descriptor
    active_ = 0;
    running_ = true;
  }
  return plan_.steps.back();
}

std::size_t Planner::Select(const std::string& file, int flags) {
  flags &= ~engine::kOpenDsync;  // never an open flag here: RWF_DSYNC per write
  Process();
  for (std::size_t i = 0; i < table_.size(); ++i) {
    if (table_[i] != std::pair{file, flags}) continue;
    if (i != active_) Emit(fmt::format("file {}", i));
    active_ = i;
    return i;
  }
  std::string open = "open -f";
  if (flags & engine::kOpenAppend) open += " -a";
  if (flags & engine::kOpenDirect) open += " -d";
  if (flags & engine::kOpenSync) open += " -s";
  Emit(open + " " + file);
  table_.push_back({file, flags});
  active_ = table_.size() - 1;
  return active_;
}

void Planner::Allow(std::uint64_t begin, std::uint64_t end, std::uint8_t value) {
  if (!planted_) return;
  const std::uint64_t from = std::max(begin, gap_.begin), to = std::min(end, gap_.end);
  for (std::uint64_t at = from; at < to; ++at) gap_.allowed[at - gap_.begin].set(value);
}

void Planner::AllowAny(std::uint64_t begin, std::uint64_t end) {
  if (!planted_) return;
  if (any_.empty()) any_.assign(gap_.end - gap_.begin, false);
  const std::uint64_t from = std::max(begin, gap_.begin), to = std::min(end, gap_.end);
  for (std::uint64_t at = from; at < to; ++at) any_[at - gap_.begin] = true;
}

GapBytes Planner::GapNow() const {
  GapBytes g = gap_;
  for (std::size_t i = 0; i < any_.size(); ++i)
    if (any_[i]) g.allowed[i] |= patterns_;
  return g;
}

void Planner::Plant() {
  EndProcess();
  plan_.steps.push_back({ScriptStep::Kind::kPlant});
  plan_.steps.back().step = "plant";
  plan_.steps.back().line = step_->line;
  planted_ = true;
  size_ = plan_.eof;  // the plant checks it
  Need("fiemap");
}

void Planner::Shutdown() {
  const bool first = !crashed_;
  if (step_->Has('s')) {
    Emit("syncfs", kNoteFreeze);
    Emit("shutdown -f");
  } else {
    Emit(step_->Has('f') ? "shutdown -f" : "shutdown");
  }
  if (first)
    plan_.crash_mode = step_->Has('s') ? "freeze" : step_->Has('f') ? "logflush" : "nologflush";
  plan_.steps.back().crash = true;
  EndProcess();
  crashed_ = down_ = true;
  size_ = kUnknown;  // what the crash left
}

void Planner::CycleMount() {
  EndProcess();
  ScriptStep s{ScriptStep::Kind::kCycleMount};
  s.crash = down_;
  s.first_crash = down_ && std::none_of(plan_.steps.begin(), plan_.steps.end(), [](auto& p) {
                    return p.kind == ScriptStep::Kind::kCycleMount && p.crash;
                  });
  s.step = engine::StepLine(*step_);
  s.line = step_->line;
  plan_.steps.push_back(std::move(s));
  down_ = false;
}

void Planner::CheckGap() {
  if (!crashed_) {
    Select("main", 0);
    Emit(fmt::format("pread -q -v {} {}", gap_.begin, gap_.end - gap_.begin), kNoteGapRead);
    ScriptStep& p = plan_.steps.back();
    ++p.gap_reads;
    // The union of what the reads may show, as of the last of them.
    p.gap = GapNow();
    return;
  }
  EndProcess();
  ScriptStep s{ScriptStep::Kind::kCheckGap};
  s.first_crash = std::none_of(plan_.steps.begin(), plan_.steps.end(),
                               [](auto& p) { return p.kind == ScriptStep::Kind::kCheckGap; });
  s.step = engine::StepLine(*step_);
  s.line = step_->line;
  s.gap = GapNow();
  plan_.steps.push_back(std::move(s));
}

void Planner::ExpectSize(std::uint64_t size) {
  if (!crashed_) {
    Select("main", 0);
    Emit("stat", kNoteStat);
    plan_.steps.back().sizes.push_back({size, step_->line});
    return;
  }
  EndProcess();
  ScriptStep s{ScriptStep::Kind::kCheckSize};
  s.size = size;
  s.step = engine::StepLine(*step_);
  s.line = step_->line;
  plan_.steps.push_back(std::move(s));
}

// --- The table: how each step of the case language is written for xfs_io ---

using Planned = std::expected<void, std::string>;

std::string Pattern(std::uint64_t p) { return fmt::format("-S 0x{:02x}", p); }

Planned Pwrite(Planner& p) {
  const Step& s = p.step();
  auto off = p.Num(0), len = p.Num(1), pat = p.Flag('S', 0xcd);
  if (!off || !len || !pat) return std::unexpected(!off ? off.error() : !len ? len.error() : pat.error());
  int flags = p.OpenFlagsOf(p.current()) | s.open_flags;
  std::vector<std::string> notes;
  const bool dsync = s.Has('D') || (flags & engine::kOpenDsync);
  if (flags & engine::kOpenDsync) notes.push_back(kNoteDsync);
  if (s.Has('P')) {
    flags |= engine::kOpenAppend;
    notes.push_back(kNoteRwfAppend);
  }
  if (s.Has('Y')) {
    flags |= engine::kOpenSync;
    notes.push_back(kNoteRwfSync);
  }
  p.Select(p.current(), flags);
  std::string text = "pwrite -q " + Pattern(*pat);
  if (s.Has('b')) text += fmt::format(" -b {}", *p.Flag('b', 4096));
  const bool rwf = dsync || s.Has('N');
  if (s.Has('V'))
    text += fmt::format(" -V {}", *p.Flag('V', 1));
  else if (rwf)
    text += " -V 1";
  if (rwf && !s.Has('V')) notes.push_back(kNoteRwfFlags);
  if (dsync) text += " -D";
  if (s.Has('N')) text += " -N";
  if (s.Has('w')) text += " -w";
  if (s.Has('W')) text += " -W";
  text += fmt::format(" {} {}", *off, *len);
  std::string note;
  for (const auto& n : notes) note += (note.empty() ? "" : "; ") + n;
  p.Emit(text, note);
  p.Need("pwrite");
  if (dsync) p.Need("pwrite", "-D");
  if (s.Has('N')) p.Need("pwrite", "-N");
  if (p.current() != "main") return {};
  if (flags & engine::kOpenAppend) {  // the kernel picks the offset: the size
    const std::uint64_t at = p.size();
    if (at == kUnknown) {
      p.AllowAnyEverywhere();
    } else {
      p.Allow(at, at + *len, static_cast<std::uint8_t>(*pat));
      p.SetSize(at + *len);
    }
    return {};
  }
  p.Allow(*off, *off + *len, static_cast<std::uint8_t>(*pat));
  p.Grow(*off + *len);
  return {};
}

Planned Open(Planner& p) {
  const Step& s = p.step();
  p.SetCurrent(s.words[0]);
  p.SetOpenFlags(s.words[0], (s.Has('a') ? engine::kOpenAppend : 0) |
                                 (s.Has('d') ? engine::kOpenDirect : 0) |
                                 (s.Has('s') ? engine::kOpenSync : 0) |
                                 (s.Has('y') ? engine::kOpenDsync : 0));
  return {};
}

Planned File(Planner& p) {
  p.SetCurrent(p.step().words[0]);
  return {};
}

// A command of the form NAME [flags] off len on the current file's plain
// descriptor.
Planned Ranged(Planner& p, const std::string& name, const std::string& flags) {
  auto off = p.Num(0), len = p.Num(1);
  if (!off || !len) return std::unexpected(!off ? off.error() : len.error());
  p.Select(p.current(), 0);
  p.Emit(fmt::format("{}{} {} {}", name, flags, *off, *len));
  p.Need(name, flags.empty() ? "" : flags.substr(1));
  return {};
}

Planned Pread(Planner& p) {
  auto off = p.Num(0), len = p.Num(1);
  if (!off || !len) return std::unexpected(!off ? off.error() : len.error());
  p.Select(p.current(), 0);
  p.Emit(fmt::format("pread -q {} {}", *off, *len));
  return {};
}

Planned Truncate(Planner& p) {
  auto size = p.Num(0);
  if (!size) return std::unexpected(size.error());
  p.Select(p.current(), 0);
  p.Emit(fmt::format("truncate {}", *size));
  p.Need("truncate");
  if (p.current() == "main") p.SetSize(*size);
  return {};
}

Planned Allocate(Planner& p, const char* name) {
  const bool keep = p.step().Has('k');
  if (auto ok = Ranged(p, name, keep ? " -k" : ""); !ok) return ok;
  if (p.current() == "main" && !keep) p.Grow(*p.Num(0) + *p.Num(1));
  return {};
}
Planned Falloc(Planner& p) { return Allocate(p, "falloc"); }
Planned Fzero(Planner& p) { return Allocate(p, "fzero"); }
Planned Fpunch(Planner& p) { return Ranged(p, "fpunch", ""); }

// COLLAPSE_RANGE and INSERT_RANGE move the bytes: what lands in the gap is
// whatever was at another offset.
Planned Shift(Planner& p, const char* name, bool collapse) {
  if (auto ok = Ranged(p, name, ""); !ok) return ok;
  if (p.current() != "main") return {};
  p.AllowAnyEverywhere();
  const std::uint64_t len = *p.Num(1);
  if (p.size() != kUnknown) p.SetSize(collapse ? p.size() - std::min(p.size(), len) : p.size() + len);
  return {};
}
Planned Fcollapse(Planner& p) { return Shift(p, "fcollapse", true); }
Planned Finsert(Planner& p) { return Shift(p, "finsert", false); }

Planned Mmap(Planner& p) {
  auto off = p.Num(0), len = p.Num(1);
  if (!off || !len) return std::unexpected(!off ? off.error() : len.error());
  const std::uint64_t ps = p.page_size();
  const std::uint64_t begin = *off / ps * ps, end = (*off + *len + ps - 1) / ps * ps;
  p.Select(p.current(), 0);
  p.SetMappingFile(p.current());
  p.Emit(fmt::format("mmap -rw {} {}", begin, end - begin),
         begin != *off || end - begin != *len ? kNoteMmap : "");
  p.Need("mmap");
  return {};
}

Planned Mwrite(Planner& p) {
  auto off = p.Num(0), len = p.Num(1), pat = p.Flag('S', 0xcd);
  if (!off || !len || !pat) return std::unexpected(!off ? off.error() : !len ? len.error() : pat.error());
  p.Emit(fmt::format("mwrite {} {} {}", Pattern(*pat), *off, *len));
  if (p.mapping_file() != "main") return {};
  // Stores past EOF are not file data: only the part below the size counts.
  if (p.size() == kUnknown)
    p.AllowAnyEverywhere();
  else
    p.Allow(*off, std::min(*off + *len, p.size()), static_cast<std::uint8_t>(*pat));
  return {};
}

Planned Msync(Planner& p) {
  const Step& s = p.step();
  std::string text = "msync";
  if (s.Has('a')) text += " -a";
  if (s.Has('i')) text += " -i";
  if (s.Has('s') || !s.Has('a')) text += " -s";  // eofzero's default is MS_SYNC; xfs_io's is none
  p.Emit(text);
  return {};
}

Planned Munmap(Planner& p) {
  p.Emit("munmap");
  return {};
}

Planned Plain(Planner& p) {
  p.Select(p.current(), 0);
  p.Emit(p.step().def->name);
  if (std::string_view(p.step().def->name) == "syncfs") p.Need("syncfs");
  return {};
}

Planned SyncRange(Planner& p) {
  const Step& s = p.step();
  auto off = p.Num(0), len = p.Num(1);
  if (!off || !len) return std::unexpected(!off ? off.error() : len.error());
  p.Select(p.current(), 0);
  std::vector<char> given;
  for (char f : {'b', 'w', 'a'})
    if (s.Has(f)) given.push_back(f);
  if (given.empty()) {
    p.Note(kNoteNoSyncRange);
    return {};
  }
  if (given.size() > 1) p.Note(kNoteSyncRange);
  for (char f : given) p.Emit(fmt::format("sync_range -{} {} {}", f, *off, *len));
  p.Need("sync_range");
  return {};
}

Planned CopyRange(Planner& p) {
  const Step& s = p.step();
  auto src_off = p.Flag('s', 0), dst_off = p.Flag('d', 0), len = p.Flag('l', kUnknown);
  if (!src_off || !dst_off || !len)
    return std::unexpected(!src_off ? src_off.error() : !dst_off ? dst_off.error() : len.error());
  const std::string dest = p.current();
  p.Select(dest, 0);
  std::string text = fmt::format("copy_range -s {} -d {}", *src_off, *dst_off);
  if (*len != kUnknown) text += fmt::format(" -l {}", *len);
  // Not `-f N`: xfs_io 6.1's copy_range closes the descriptor it copied
  // from, and the process's later commands fail with EBADF.
  p.Emit(fmt::format("{} {}", text, s.words[0]),
         "xfs_io's copy_range opens the source by its name, and closes it after");
  p.Need("copy_range");
  if (dest != "main") return {};
  const std::uint64_t end = *len == kUnknown ? kUnknown : *dst_off + *len;
  p.AllowAny(*dst_off, end);
  p.Grow(end);
  return {};
}

Planned Reflink(Planner& p) {
  const Step& s = p.step();
  auto src = p.Num(0), dst = p.Num(1), len = p.Num(2);
  if (!src || !dst || !len) return std::unexpected(!src ? src.error() : !dst ? dst.error() : len.error());
  p.Select(p.current(), 0);
  p.Emit(fmt::format("reflink -q {} {} {} {}", s.words[0], *src, *dst, *len),
         "xfs_io's reflink opens the source by its name, and closes it after");
  p.Need("reflink");
  p.NeedReflink();
  if (p.current() != "main") return {};
  p.AllowAny(*dst, *dst + *len);
  p.Grow(*dst + *len);
  return {};
}

Planned Shutdown(Planner& p) {
  p.Shutdown();
  return {};
}
Planned CycleMount(Planner& p) {
  p.CycleMount();
  return {};
}
Planned Plant(Planner& p) {
  p.Plant();
  return {};
}
Planned CheckGap(Planner& p) {
  p.CheckGap();
  return {};
}
Planned ExpectSize(Planner& p) {
  auto size = p.Num(0);
  if (!size) return std::unexpected(size.error());
  p.ExpectSize(*size);
  return {};
}

struct StepExport {
  const char* name;
  Planned (*plan)(Planner& p);  // nullptr: cannot be exported
  const char* why_not = "";
};

constexpr const char* kRace =
    "runs threads at once, and xfs_io runs one command at a time: a race cannot be exported";

// Every step of the case language (engine/steps.cc): a test keeps the two
// tables equal.
constexpr StepExport kStepExports[] = {
    {"pwrite", Pwrite},
    {"open", Open},
    {"pread", Pread},
    {"truncate", Truncate},
    {"falloc", Falloc},
    {"fzero", Fzero},
    {"fpunch", Fpunch},
    {"fcollapse", Fcollapse},
    {"finsert", Finsert},
    {"mmap", Mmap},
    {"mwrite", Mwrite},
    {"msync", Msync},
    {"munmap", Munmap},
    {"fsync", Plain},
    {"fdatasync", Plain},
    {"sync_range", SyncRange},
    {"syncfs", Plain},
    {"sync", Plain},
    {"copy_range", CopyRange},
    {"reflink", Reflink},
    {"shutdown", Shutdown},
    {"file", File},
    {"cycle_mount", CycleMount},
    {"plant", Plant},
    {"check gap", CheckGap},
    {"expect size", ExpectSize},
    {"race_mmap_append", nullptr, kRace},
    {"race_dio", nullptr, kRace},
    {"race_dio_read", nullptr, kRace},
    {"check races", nullptr, "checks what race steps wrote: a race cannot be exported"},
};

const StepExport* FindExport(std::string_view name) {
  for (const auto& e : kStepExports)
    if (name == e.name) return &e;
  return nullptr;
}

// Every byte a step of the case writes, to any file.
std::bitset<256> Patterns(const engine::CaseSpec& spec, const engine::Variables& vars) {
  std::bitset<256> out;
  for (const Step& s : spec.steps) {
    const std::string_view name = s.def->name;
    if (name != "pwrite" && name != "mwrite") continue;
    std::int64_t v = 0xcd;
    if (auto it = s.flags.find('S'); it != s.flags.end() && it->second)
      if (auto e = it->second->Eval(vars); e && *e >= 0 && *e <= 0xff) v = *e;
    out.set(static_cast<std::size_t>(v));
  }
  return out;
}

std::expected<ExportPlan, std::string> Planner::Plan(const engine::CaseSpec& spec) {
  patterns_ = Patterns(spec, vars_);
  for (std::uint8_t candidate : {0x53, 0x73, 0x45, 0x65, 0x3f, 0xee, 0x11})
    if (!patterns_.test(candidate)) {
      plan_.sentinel = candidate;
      break;
    }
  for (const Step& s : spec.steps) {
    step_ = &s;
    const StepExport* e = FindExport(s.def->name);
    if (!e) return std::unexpected(fmt::format("line {}: '{}' has no xfs_io form", s.line, s.text));
    if (!e->plan)
      return std::unexpected(fmt::format("line {}: '{}' {}", s.line, s.text, e->why_not));
    if (auto ok = e->plan(*this); !ok)
      return std::unexpected(fmt::format("line {}: '{}': {}", s.line, s.text, ok.error()));
  }
  return std::move(plan_);
}

}  // namespace

bool GapBytes::OnlyZero() const {
  return std::all_of(allowed.begin(), allowed.end(), [](const std::bitset<256>& b) {
    return b.count() == 1 && b.test(0);
  });
}

std::expected<ExportPlan, std::string> PlanExport(const engine::CaseSpec& spec,
                                                  const engine::Variables& vars) {
  for (const char* name : {"bs", "ps", "gap", "eof", "eof_block", "eob"})
    if (!vars.contains(name)) return std::unexpected(std::string("no {") + name + "} given");
  Planner planner(vars);
  return planner.Plan(spec);
}

std::optional<std::string> WhyNotExported(std::string_view name) {
  const StepExport* e = FindExport(name);
  if (!e) return std::nullopt;
  return e->plan ? std::string() : std::string(e->why_not);
}

std::vector<std::string> ExportTableNames() {
  std::vector<std::string> out;
  for (const auto& e : kStepExports) out.push_back(e.name);
  return out;
}

std::vector<std::string> WorkloadCommands(const ExportPlan& plan) {
  std::vector<std::string> out;
  bool planted = false;
  for (const ScriptStep& s : plan.steps) {
    planted |= s.kind == ScriptStep::Kind::kPlant;
    if (!planted || s.kind != ScriptStep::Kind::kXfsIo) continue;
    for (const XfsIoCommand& c : s.commands)
      if (!c.text.empty()) out.push_back(c.text);
  }
  return out;
}

}  // namespace eofzero::explore
