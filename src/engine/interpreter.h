// The case interpreter's state and steps (used by scenario.cc; split in two
// files: interpreter.cc runs the xfs_io-style file operations, scenario.cc
// the project's own steps: plant, check gap, expect size, crash and remount).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "engine/case_spec.h"
#include "engine/observations.h"
#include "engine/scenario.h"
#include "os/file_ops.h"
#include "os/unique_fd.h"
#include "scratch/plant_target.h"
#include "scratch/scratch_fs.h"

namespace eofzero::engine {

class Interpreter {
 public:
  Interpreter(scratch::ScratchFs& fs, const CaseSpec& spec, const ScenarioOptions& opt,
              CaseRun& run);
  // Sets the variables ({bs}, {gap}, {eof}, ...) for this filesystem.
  os::Status Prepare();
  os::Status Run();

 private:
  os::Status Exec(const Step& s);
  // xfs_io-style file operations (interpreter.cc).
  os::Status Pwrite(const Step& s);
  os::Status Falloc(const Step& s, int mode);
  os::Status MapStep(const Step& s);
  os::Status Mwrite(const Step& s);
  os::Status CopyRange(const Step& s);
  os::Status Reflink(const Step& s);
  os::Status SyncRange(const Step& s);
  // The project's own steps (scenario.cc).
  os::Status Plant();
  os::Status PlantAt(const scratch::BlockLocation& where);
  os::Status CheckGap();
  os::Status CheckGapBeforeCrash();
  os::Status CheckGapAfterCrash();
  os::Status ExpectSize(const Step& s);
  os::Status Shutdown(const Step& s);
  os::Status CycleMount();
  os::Status Replant();
  os::Result<std::optional<scratch::BlockLocation>> MapEofBlock(int fd);
  // With the filesystem unmounted after the crash (offline_checks.cc).
  os::Status ReadOffline(const std::optional<scratch::BlockLocation>& fiemap,
                         std::uint64_t inode, std::uint64_t kernel_size);
  void RunFsck();
  os::Status CorruptDirectory();  // the fsck positive control (fsck_control.cc)

  // Helpers.
  os::Result<std::uint64_t> Number(const Expr& e) const;
  os::Result<std::uint64_t> Arg(const Step& s, std::size_t i) const;
  os::Result<std::uint8_t> Pattern(const Step& s) const;
  // "" and "main" name the case's own file.
  static bool Main(const std::string& file) { return file.empty() || file == "main"; }
  std::string PathOf(const std::string& file) const;
  os::Result<int> Fd(const std::string& file, int extra_flags = 0);
  os::Result<std::uint64_t> SizeOf(const std::string& file);
  void CloseAll();  // descriptors and mappings, before an unmount
  // The part of `file`'s [offset, offset + length) inside the EOF block of the
  // case's main file once planted (file offsets; at most a block), or nullopt.
  std::optional<ByteRange> EofBlockPart(const std::string& file, std::uint64_t offset,
                                        std::uint64_t length) const;
  // Records what the case wrote into the EOF block: `data` at file offset
  // `offset` (a part EofBlockPart gave).
  void NoteWrite(std::uint64_t offset, Bytes data);
  // The bytes a copy or clone from `file` will put there: `length` (at most a
  // block) bytes at `offset`, zeros past the source's end.
  os::Result<Bytes> SourceBytes(const std::string& file, std::uint64_t offset,
                                std::uint64_t length);
  void NoteDurable(const std::string& file);  // the main file's size is durable now
  std::uint32_t DeviceAlign() const;
  std::uint32_t DirectAlign(int fd) const;

  scratch::ScratchFs& fs_;
  const CaseSpec& spec_;
  const ScenarioOptions& opt_;
  CaseRun& run_;
  const std::uint32_t bs_;
  Variables vars_;
  std::string current_ = "";  // "" is the case's main file
  std::map<std::pair<std::string, int>, os::UniqueFd> fds_;
  std::optional<os::SharedMapping> mapping_;
  std::string mapping_file_;
  bool planted_ = false;
  bool down_ = false;      // shut down, not yet remounted
  bool crashed_ = false;   // a shutdown happened (checks are "after the crash")
  bool stale_in_cache_done_ = false;
  std::uint64_t durable_size_ = 0;  // of the main file
  scratch::BlockLocation where_;
};

}  // namespace eofzero::engine
