// The post-EOF gap scenario of generic/790, run for one case on one scratch
// filesystem:
//   write a block of 0x5a, fsync; FIEMAP it; truncate to bs - gap, fsync;
//   unmount; plant the sentinel over the physical block (verified); mount;
//   extend; look at the gap (buffered, mmap); [append: sync_file_range];
//   FS_IOC_SHUTDOWN; unmount; mount; check the size and look at the gap
//   (O_DIRECT, mmap, buffered); FIEMAP again; unmount; read the raw block.
// Nothing maps the file between the extension and the crash: FIEMAP_FLAG_SYNC,
// O_DIRECT reads and fadvise would all write back the zeroed page and hide the
// bug being hunted.
#pragma once

#include <cstdint>

#include "engine/case_spec.h"
#include "engine/observations.h"
#include "os/shutdown.h"
#include "scratch/scratch_fs.h"

namespace eofzero::engine {

// Deliberate faults, for the tool's own tests: each must turn a run into an
// error or a failure, never a pass.
struct FaultInjection {
  bool plant_outside_extent = false;  // aim the plant one block past its extent (refused)
  bool plant_lost_write = false;      // skip the plant's write but still verify it
  bool stale_after_crash = false;     // re-plant the sentinel after the crash (positive control)
  bool stale_in_cache = false;        // after the extension, write the sentinel into the gap
                                      // through the file, as a filesystem that did not zero it
                                      // in memory would leave it (positive control)
};

struct ScenarioOptions {
  std::uint32_t gap_bytes = 16;
  // Also read the gap with O_DIRECT before the crash. Off by default: the
  // O_DIRECT read writes back the dirty EOF page first and so changes what
  // reaches the disk.
  bool direct_read_before_crash = false;
  os::ShutdownFlag shutdown_flag = os::ShutdownFlag::kLogFlush;
  FaultInjection faults;
};

// Runs one case in its own file. Never throws; every outcome is in the
// CaseRun. On return the filesystem is mounted and alive again if that was
// possible (otherwise the next case's Recover() reports it).
CaseRun RunCase(scratch::ScratchFs& fs, const CaseSpec& spec, const ScenarioOptions& options);

}  // namespace eofzero::engine
