// What a case run saw: plain data handed to the (pure) oracles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/expr.h"
#include "engine/history.h"
#include "engine/race_check.h"
#include "os/bytes.h"
#include "os/fiemap.h"
#include "fsdriver/registry.h"
#include "os/process.h"

namespace eofzero::engine {

enum class Oracle {
  kBufferedRead,  // pread through the page cache
  kMmap,          // a read-only mapping of the EOF page
  kDirectRead,    // the tool's aligned O_DIRECT read of the EOF block (whole user buffer)
  kRawDevice,     // the physical block read from the unmounted device
  kOffline,       // the block as the on-disk metadata maps it, read without the kernel's
                  // filesystem code (libext2fs for ext4, xfs_db for xfs)
};
enum class Phase { kBeforeCrash, kAfterCrash };

const char* OracleName(Oracle o);
const char* PhaseName(Phase p);

// Bytes the case itself wrote into the EOF block after the plant
// (block-relative): there the gap may hold this data or zeros (data lost in a
// crash), never anything else.
struct WrittenRange {
  ByteRange range;
  Bytes data;  // range.size() bytes
};

// One oracle's view of the block that holds the old EOF.
struct BlockView {
  Oracle oracle = Oracle::kBufferedRead;
  Phase phase = Phase::kBeforeCrash;
  std::uint64_t base_offset = 0;  // file offset of the block (device offset for kRawDevice)
  Bytes bytes;                    // what the oracle returned; may be short (buffered read at EOF)
  ByteRange gap;                  // the gap, relative to the block start
  std::vector<WrittenRange> written;  // what the case had written when the view was taken
  // The file's size when the view was taken (after the crash: only bytes
  // below it are judged).
  std::optional<std::uint64_t> file_size;
  std::string note;               // e.g. "O_DIRECT read returned 4080 of 4096 bytes"
  std::size_t events = 0;         // how many history events had happened when it was taken
};

// Part of the main file as one oracle read it: the crash model's input
// (oracles/invariants.h).
struct FileView {
  Oracle oracle = Oracle::kBufferedRead;
  Phase phase = Phase::kBeforeCrash;
  std::uint64_t file_offset = 0;  // of bytes[0]
  Bytes bytes;
  std::uint64_t file_size = 0;  // stat's size when it was read: bytes past it are not judged
  std::size_t events = 0;       // how many history events had happened when it was read
};

struct PlantRecord {
  os::Extent extent;  // FIEMAP extent the block was found in
  std::uint64_t device_offset = 0;
  std::uint64_t length = 0;
  bool verified = false;  // read back from the device and compared
  // Whether an O_DIRECT read through the file, before the extension, showed
  // the sentinel past EOF: proof that the plant reached what the file reads.
  std::optional<bool> seen_through_file;
};

enum class RunStatus { kCompleted, kSkipped, kError };

// A no-modify fsck after the post-crash remount and unmount (judged by
// oracles/fsck_result.h).
struct FsckObservation {
  fsdriver::FsType fs = fsdriver::kInitialFsType;  // whose fsck ran (its driver judges it)
  std::optional<os::ProcessResult> run;  // what it printed and its exit code
  std::optional<os::Error> not_run;      // why it could not run
};

// An `expect size` step: what stat said against what the case expected.
struct SizeCheck {
  Phase phase = Phase::kBeforeCrash;
  int line = 0;  // of the step in the case file
  std::uint64_t expected = 0;
  std::uint64_t observed = 0;
};

// What the offline reader (libext2fs / xfs_db) said about the EOF block in
// one view of the disk, or why it could not say.
struct OfflineFacts {
  std::string reader;                   // "libext2fs" / "xfs_db"
  std::uint64_t size = 0;               // the inode's on-disk size
  std::optional<std::uint64_t> offset;  // device byte offset; nullopt: hole or inline
  std::string how;                      // "hole", "unwritten", "inline data" or ""
  Bytes bytes;                          // the block
  std::string error;                    // non-empty: the reader failed (the rest is empty)
};

// One view of the unmounted disk after the crash, as the checkers read it:
// the kernel's (the block device read through its page cache, which the next
// mount uses) or the disk's (what reached the backing store: the image file
// read directly, or the device after its cache is dropped).
struct DiskView {
  std::string source;  // what the tools were given: /dev/loop0, /…/ext4.img
  std::string how;     // "the block device through its page cache", ...
  FsckObservation fsck;
  std::optional<OfflineFacts> offline;        // nullopt: no offline reader for this view
  std::optional<os::ProcessResult> metadata;  // debugfs stats / xfs_db counters
  std::string metadata_error;                 // why there is no `metadata`
};

// Both views (engine/disk_views.cc), compared by oracles/disk_views.h.
struct DiskViews {
  DiskView kernel;
  std::optional<DiskView> disk;  // nullopt: not available, `unavailable` says why
  std::string unavailable;
  // What reading a second view cost: the disk view's checks and both
  // metadata dumps (the kernel view's fsck and offline reader ran before).
  double extra_seconds = 0;
};

// With --record (scratch/recording_device.h): a step as the write log
// names it. The log's step records carry `sequence`; the records after one
// were issued while that step ran.
struct LoggedStep {
  std::size_t index = 0;  // into the case's steps
  int line = 0;
  std::uint64_t sequence = 0;
};

// The case's first crash, as the checks of its crash states (suite/
// crash_states.h) resume the case from it: which steps planted and crashed,
// and what the case had written into the EOF block by then.
struct CrashPoint {
  std::size_t plant_step = 0;  // indices into the case's steps
  std::size_t crash_step = 0;
  std::vector<WrittenRange> written;
  std::size_t events = 0;  // history events up to and including the crash's
  std::vector<RaceExpectation> race_expectations;  // what `check races` holds the file to
};

struct CaseRun;

// Where the checks of a crash state resume a case (suite/crash_state_check.h):
// what a fresh run of the steps after its crash needs from the run that
// recorded it. Made from that run (ResumeFrom), its history then cut to what
// the state kept.
struct ResumeState {
  // The case as it ran, for the state's report.
  std::string case_name, case_file, case_text;
  std::vector<std::string> altered_by;
  PlantRecord plant;
  // Which steps planted and crashed, what the case had written into the EOF
  // block by then, and what its race checks hold the file to (marks into
  // `history`).
  CrashPoint crash;
  History history;  // the main file's up to the crash, as the state is held to it
};
// The run's resume state: nullopt unless it planted and crashed.
std::optional<ResumeState> ResumeFrom(const CaseRun& run);

struct CaseRun {
  std::string case_name;
  std::string case_file;  // the case file it came from
  // The case as it ran, as a case file of language 2 (engine/case_text.h):
  // a sweep's variant or a generated case has no file of its own, and a
  // run's --shutdown is in it. `eofzero export` reads it back.
  std::string case_text;
  // Its variables ({bs}, {ps}, {gap}, {eof}, {eof_block}, {eob}) as it ran.
  Variables variables;
  // The run's options that changed what the case did besides its steps
  // ("--inject-fault stale-after-crash", "--direct-read-before-crash"):
  // its verdict is not the case's alone.
  std::vector<std::string> altered_by;
  RunStatus status = RunStatus::kError;
  std::string reason;  // why it was skipped, or what went wrong
  // Skipped at its crash because the filesystem has no shutdown ioctl
  // (fsdriver: HasShutdown): the crash point is set, and the case is judged
  // on its crash states only (suite/crash_state_check.h).
  bool crash_states_only = false;
  // A signal stopped the run before the case began or while it ran (kError).
  bool interrupted = false;
  std::uint32_t block_size = 0;
  std::uint64_t old_eof = 0;
  std::uint64_t eof_block = 0;  // file offset of the block that holds the old EOF
  // A crash without a log flush may lose what was not made durable: then the
  // size last made durable (by fsync, fdatasync, syncfs, sync or a clean
  // unmount) is an allowed outcome too.
  std::optional<std::uint64_t> durable_size_at_crash;
  std::vector<SizeCheck> sizes;
  std::vector<WrittenRange> written;  // so far
  History history;                    // the main file's, for the crash model
  std::vector<FileView> file_views;   // the main file read back after the crash
  std::optional<PlantRecord> plant;
  std::optional<os::Extent> extent_after_crash;
  std::vector<BlockView> views;
  std::vector<FsckObservation> fsck;
  // The after-crash checks on both views of the unmounted disk; fsck above
  // is the kernel view's.
  std::optional<DiskViews> disk_views;
  // Two independent views of the same fact that do not agree (FIEMAP against
  // the offline reader's block map, the kernel's size against the on-disk
  // inode): never a pass, and a human has to say whose bug it is.
  std::vector<std::string> disagreements;
  // What a race step's check (engine/race_steps.cc) found: a byte that is
  // neither what the step's threads wrote there nor an allowed zero (a
  // concurrent writer's bytes lost, a stale byte), one line each: a FAIL.
  std::vector<std::string> race_findings;
  std::vector<std::string> notes;  // things worth knowing that are not findings
  double seconds = 0;
  // With --record: every step that ran, as the log names it; the first crash
  // (what a crash state resumes from: ResumeFrom).
  std::vector<LoggedStep> logged_steps;
  std::optional<CrashPoint> crash_point;
};

}  // namespace eofzero::engine
