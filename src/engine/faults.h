// Deliberate faults, for the tool's own tests: the self-test's positive
// controls and the safety tests. Each is a wrapper around the os::System a
// case runs on (leveldb's fault-injection model): it changes what the machine
// does at one moment, never the engine's code, and must turn a run into a
// FAIL or an ERROR, never a PASS.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "os/system.h"
#include "scratch/scratch_fs.h"

namespace eofzero::engine {

enum class Fault {
  // The plant's device write is dropped; its read-back must notice (ERROR).
  kPlantLostWrite,
  // When the filesystem is mounted after the crash, the device holds the
  // sentinel again where it was planted (the after-crash oracles must see it).
  kStaleAfterCrash,
  // The first read of the planted block before the crash finds the sentinel
  // written past EOF through the file, as a filesystem that did not zero the
  // gap in memory would leave it (the before-crash oracles must see it).
  kStaleInCache,
  // After the remount, the planted file is one byte longer (size oracle).
  kWrongSizeAfterCrash,
  // After the remount, a directory is made next to the planted file, mapped,
  // and its first block overwritten with the sentinel through the same UUID
  // and extent gate as the plant (fsck must complain).
  kCorruptDirectoryAfterCrash,
  // When the filesystem is unmounted for the after-crash checks, one
  // metadata block is changed in the block device's page cache only: written
  // through the device (buffered) and flushed, then the image file under the
  // loop device gets its old bytes back, so the cache keeps a clean page the
  // disk does not have — as an aborted transaction's pages stay cached. The
  // block is ext4's first group descriptor block (group 0's free block count
  // one lower) or xfs's superblock (fdblocks one lower). The two-view check
  // must see it; the cache is dropped (BLKFLSBUF) before the next mount.
  // Images only (the run's own loop device); an ERROR on a scratch device.
  kCacheDisagreesWithDisk,
  // The first call that changes a file after the plant throws
  // std::bad_alloc, as an allocation that fails would (ERROR, all released).
  kThrowAfterPlant,
  // The second O_DIRECT write smaller than a block after the plant is
  // reported done and never made, as if another writer's partial-block
  // zeroing wiped it (the race steps' checks must see it).
  kLoseSectorWrite,
  // After the remount, the planted file's first 16 bytes (made durable
  // before the plant) read as zeros: written through the file, as a
  // filesystem that lost promised data would show them (the crash model's
  // "promised data" must see it).
  kLosePromisedDataAfterCrash,
  // As kStaleAfterCrash, but only in a case that called copy_file_range
  // after the plant: a bug of one operation, which `eofzero explore` must
  // find in the workloads with a copy_range and reduce to one copy_range of
  // the simplest classes (its positive control).
  kStaleAfterCrashAfterCopy,
  // After the remount, fstat of the planted file says it is one byte longer
  // than it is (nothing is written): the offline reader's on-disk size must
  // disagree with it (the `disagreement` finding's positive control).
  kStatLiesAfterCrash,
};

struct FaultInfo {
  Fault fault;
  const char* name;  // for --inject-fault
};
std::span<const FaultInfo> Faults();
std::optional<Fault> ParseFault(std::string_view name);
const char* FaultName(Fault fault);

// `inner` with `fault` around it, for cases on `fs` (whose device, type and
// block size the fault needs).
std::unique_ptr<os::System> WrapWithFault(Fault fault, os::System& inner,
                                          const scratch::ScratchFs& fs);

}  // namespace eofzero::engine
