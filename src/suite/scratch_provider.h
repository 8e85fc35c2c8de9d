// Where a suite's cases run, as the runners (RunSuite, RunSelftest) see it:
// the run's space, a scratch filesystem per configuration made in it, and
// cases run on that filesystem. The real provider makes scratch::ScratchFs
// filesystems (images and loop devices under --workdir, or the user's scratch
// device) and runs engine::RunCase on them, which needs root; a unit test's
// fake hands out canned case runs instead, so the runners' bookkeeping (what
// runs where, what is skipped, what an interrupt leaves not run) is tested
// without root.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "engine/case_spec.h"
#include "engine/observations.h"
#include "engine/scenario.h"
#include "os/error.h"
#include "scratch/scratch_fs.h"
#include "scratch/scratch_target.h"

namespace eofzero::suite {

// One configuration's filesystem, made and mounted; released (unmounted, its
// loop device detached, its image removed unless kept) when destroyed.
class ScratchSession {
 public:
  virtual ~ScratchSession() = default;
  virtual std::string MkfsCommand() const = 0;  // the whole command line that made it
  virtual std::string Device() const = 0;       // the loop device or the user's device
  virtual std::uint32_t BlockSize() const = 0;  // as the mounted filesystem reports it
  // Runs one case to its end (every outcome, errors too, is in the CaseRun).
  virtual engine::CaseRun RunCase(const engine::CaseSpec& spec,
                                  const engine::ScenarioOptions& options) = 0;
  // Removes a judged case's files (engine::RemoveCaseFiles); a failure is
  // a warning: the next cases may then find the filesystem full.
  virtual void Forget(const engine::CaseSpec&) {}
  // Leaves its image and the run's folder behind, for a post-mortem (--keep).
  virtual void Keep() = 0;
  // Why it can run no more cases (scratch::ScratchFs::unusable: its device is
  // held by a mount that outlived ours), or empty.
  virtual std::string Unusable() const { return ""; }
  // The filesystem's UUID (what its crash states hold too).
  virtual std::string Uuid() const { return ""; }
  // After the last case: ends a recording (scratch::ScratchFs::
  // FinishRecording); an error when its write log could not be written
  // whole. Nothing without a recording.
  virtual os::Status Finish() { return {}; }
};

class ScratchProvider {
 public:
  virtual ~ScratchProvider() = default;
  // Takes the run's space (its lease in the registry and, on images, its
  // private folder); called once, before Make. An error is the whole run's
  // setup error.
  virtual os::Status Open() = 0;
  // Makes and mounts a configuration's filesystem: on an image that `name`
  // makes unique in the run's folder, or on the user's scratch device.
  virtual os::Result<std::unique_ptr<ScratchSession>> Make(const scratch::ScratchSpec& spec,
                                                           const std::string& name) = 0;
  // Where crash states are served (the run's folder) and the lease that
  // releases them, or nullopt where there are none (a test's fake).
  struct StatePlace {
    std::filesystem::path dir;
    scratch::RunLease* lease = nullptr;
  };
  virtual std::optional<StatePlace> StatesPlace() { return std::nullopt; }
  // Why this kernel cannot mount `fstype` at all (os/kernel_filesystems.h),
  // or empty: its configurations are then a SKIP with that reason, before
  // any mkfs.
  virtual std::string KernelLacks(const std::string& fstype) const {
    (void)fstype;
    return {};
  }
};

// The real provider: images under `workdir`, or `target` (the user's scratch
// device, mkfs'd for each configuration in turn) when given. Needs root.
std::unique_ptr<ScratchProvider> MakeScratchProvider(
    const std::filesystem::path& workdir, const std::optional<scratch::ScratchTarget>& target);

}  // namespace eofzero::suite
