// The case interpreter: runs a case's steps on one scratch filesystem, every
// call through the filesystem's os::System. Its public part is the context a
// step's handler (engine/steps.cc) works with: the case's numbers, its open
// files, what it wrote into the EOF block, what it made durable. The
// project's own steps (plant, check gap, expect size, shutdown, cycle_mount)
// are in scenario.cc; the after-crash offline checks in offline_checks.cc.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/case_spec.h"
#include "engine/history.h"
#include "engine/observations.h"
#include "engine/race_check.h"
#include "engine/scenario.h"
#include "fsdriver/registry.h"
#include "os/system.h"
#include "scratch/plant_target.h"
#include "scratch/scratch_fs.h"

namespace eofzero::engine {

class Interpreter {
 public:
  Interpreter(scratch::ScratchFs& fs, const CaseSpec& spec, const ScenarioOptions& opt,
              CaseRun& run);
  ~Interpreter();
  // Sets the variables ({bs}, {gap}, {eof}, ...) for this filesystem.
  os::Status Prepare();
  os::Status Run();
  // The steps after `crash` on a crash state of the case's write log: the
  // filesystem holds the state, unmounted; the CaseRun is the case's as of
  // its crash (suite/crash_states.h). `expect size` steps are left to the
  // crash model, which knows the sizes each state allows.
  os::Status RunAfterCrash(const CrashPoint& crash);

  // --- The step context (engine/steps.cc) ---
  os::System& sys() const { return fs_.system(); }
  std::uint32_t block_size() const { return bs_; }
  os::Result<std::uint64_t> Number(const Expr& e) const;
  os::Result<std::uint64_t> Arg(const Step& s, std::size_t i) const;
  // The value of flag `f`, or `otherwise` when the step does not give it.
  os::Result<std::uint64_t> FlagValue(const Step& s, char f, std::uint64_t otherwise) const;
  os::Result<std::uint8_t> Pattern(const Step& s) const;  // -S, else xfs_io's 0xcd
  // The file later steps act on: "" is the case's own (`file main`).
  const std::string& current() const { return current_; }
  void SetCurrent(const std::string& file) { current_ = Main(file) ? "" : file; }
  std::string PathOf(const std::string& file) const;
  // One descriptor per file and open mode, kept open from step to step.
  os::Result<int> Fd(const std::string& file, int extra_flags = 0);
  // The descriptor writes to `file` go through: opened with the flags of the
  // last `open` step for it (O_DIRECT, O_SYNC, ...) and `extra_flags`.
  os::Result<int> DataFd(const std::string& file, int extra_flags = 0);
  int OpenFlagsOf(const std::string& file) const;
  void SetOpenFlags(const std::string& file, int flags);
  os::Result<std::uint64_t> SizeOf(const std::string& file);
  // The memory alignment an O_DIRECT write on `fd` needs.
  std::uint32_t DirectAlign(int fd);
  // The bytes a copy or clone from `file` puts there.
  os::Result<Bytes> SourceBytes(const std::string& file, std::uint64_t offset,
                                std::uint64_t length);
  // --- The crash model's record of the main file (engine/history.h). Each
  // takes the file the step acted on; only the main file is modelled. ---
  // `content` is file data now; the size grows to its end if it was smaller.
  void RecordWrite(const std::string& file, Content content, std::string what);
  // [begin, end) reads as zero now; the size becomes `new_size`.
  void RecordZero(const std::string& file, std::uint64_t begin, std::uint64_t end,
                  std::uint64_t new_size, std::string what);
  void RecordResize(const std::string& file, std::uint64_t new_size, std::string what);
  // fcollapse (`collapse`) or finsert of [offset, offset + length): the
  // bytes from there on move down or up by `length` (a hole opens with
  // finsert); recorded as what they are then, piece by piece.
  void RecordShift(const std::string& file, std::uint64_t offset, std::uint64_t length,
                   bool collapse, const std::string& what);
  // A durability primitive completed: kFile covers the whole file, kRange
  // [begin, end) and the size.
  void RecordPromise(const std::string& file, Promise promise, std::string what,
                     std::uint64_t begin = 0, std::uint64_t end = 0);
  // A step the model cannot follow changed the main file: no invariant is
  // judged for this case (the reason is in its notes).
  void RecordUnknown(const std::string& file, std::string why);
  const History& history() const { return run_.history; }
  // The case's one shared mapping (mmap/mwrite/msync/munmap).
  os::Status MapFile(const std::string& file, std::uint64_t offset, std::uint64_t length);
  std::optional<int> mapping() const { return mapping_; }
  const std::string& mapping_file() const { return mapping_file_; }
  ByteRange mapped() const { return mapped_; }  // the file range mmap asked for
  void Unmap();
  // --- The race steps' record (engine/race_steps.cc) ---
  bool crashed() const { return crashed_; }
  const Step* step() const { return step_; }  // the step running, or the last that ran  // a shutdown happened: checks are after the crash
  // What each race step's ranges must hold, for `check races`.
  std::vector<RaceExpectation>& race_expectations() { return race_expectations_; }
  // A race check found a byte no step allowed there: a FAIL.
  void RecordRaceFinding(std::string finding) { run_.race_findings.push_back(std::move(finding)); }
  // Two reads of the same bytes disagree (never a pass; see CaseRun).
  void RecordDisagreement(std::string what) { run_.disagreements.push_back(std::move(what)); }
  void AddNote(std::string note) { run_.notes.push_back(std::move(note)); }
  // The project's own steps (scenario.cc).
  os::Status Plant();
  os::Status CheckGap();
  os::Status ExpectSize(const Step& s);
  os::Status Shutdown(const Step& s);
  os::Result<std::vector<os::Extent>> DeviceExtents(std::vector<os::Extent> extents);
  os::Status CycleMount();

 private:
  os::Status RunStep(const Step& s);
  os::Status PlantAt(const scratch::BlockLocation& where);
  os::Status CheckGapBeforeCrash();
  os::Status CheckGapAfterCrash();
  os::Result<std::optional<scratch::BlockLocation>> MapEofBlock(int fd);
  // The main file read back where its history touched it (file_views.cc).
  os::Status ReadFileViews(int fd, std::uint64_t size);
  // With the filesystem unmounted after the crash (offline_checks.cc).
  os::Status ReadOffline(const std::optional<scratch::BlockLocation>& fiemap, std::uint64_t inode,
                         std::uint64_t kernel_size);
  void RunFsck();
  void Record(const std::string& file, Event e);
  // The part of [offset, offset + length) in the EOF block of the main file,
  // after the plant (file offsets): the gap oracles' record of the case's
  // own bytes there.
  std::optional<ByteRange> EofBlockPart(const std::string& file, std::uint64_t offset,
                                        std::uint64_t length) const;
  void NoteWrite(const Content& content);
  std::uint64_t DurableSize() const;  // of the main file, from its history
  // Whether the model's size of the main file is the kernel's (before a
  // crash); a difference is a disagreement.
  os::Status CompareModelSize(const Step& s);
  os::Result<OfflineFacts> ReadOfflineBlock(const std::string& source, std::uint64_t inode);
  FsckObservation Fsck(const std::string& source, fsdriver::FsckSource kind);
  // Both views of the unmounted disk after the crash (disk_views.cc): the
  // offline reader and fsck on each, and their metadata counters.
  os::Status CheckDiskViews(const std::optional<scratch::BlockLocation>& fiemap,
                            std::uint64_t inode, std::uint64_t kernel_size);
  void DumpMetadata(DiskView& view);
  os::Status ReadDiskView(DiskViews& views, std::uint64_t inode);
  static bool Main(const std::string& file) { return file.empty() || file == "main"; }
  void CloseAll();  // descriptors and mappings, before an unmount
  std::uint32_t DeviceAlign();

  scratch::ScratchFs& fs_;
  const CaseSpec& spec_;
  const ScenarioOptions& opt_;
  CaseRun& run_;
  const std::uint32_t bs_;
  Variables vars_;
  std::string current_ = "";  // "" is the case's main file
  std::map<std::string, int> open_flags_;  // by file ("" main): from `open` steps
  const Step* step_ = nullptr;             // the step running
  std::map<std::pair<std::string, int>, os::SystemFd> fds_;
  std::optional<int> mapping_;
  std::string mapping_file_;
  ByteRange mapped_;
  bool planted_ = false;
  std::size_t plant_step_ = 0;  // the index of the plant step
  bool down_ = false;               // shut down, not yet remounted
  bool crashed_ = false;            // a shutdown happened (checks are "after the crash")
  scratch::BlockLocation where_;
  std::vector<RaceExpectation> race_expectations_;
};

}  // namespace eofzero::engine
