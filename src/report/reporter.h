// Results go through a Reporter; diagnostics go to spdlog (stderr).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/observations.h"
#include "oracles/crash_states.h"
#include "oracles/verdict.h"

namespace eofzero::report {

class CaseResult;  // report/record.h: a finished case, its record made once

// One filesystem configuration the cases run on.
struct ConfigInfo {
  std::string fs;  // "ext4"
  std::uint32_t block_size = 0;
  std::string mkfs_command;   // the full mkfs command line that made it
  std::string mount_options;  // "" means the kernel's defaults
  std::string device;         // the loop device
  // The configuration's name in a matrix ("ext4-bigalloc"); empty for `run`.
  std::string name = {};
  std::string Label() const;  // the name, or "ext4 bs=4096"
  std::string Short() const;  // the name, or "ext4/4k" (table columns, case lines)
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  // How many case results the run will report (for progress); may not come.
  virtual void Planned(std::size_t /*cases*/) {}
  virtual void RunStarted(const std::string& kernel) = 0;
  virtual void ConfigReady(const ConfigInfo& config) = 0;
  // The configuration could not be set up; its cases are reported as errors.
  virtual void ConfigFailed(const ConfigInfo& config, const std::string& error) = 0;
  virtual void CaseStarted(const ConfigInfo& /*config*/, const std::string& /*case_name*/) {}
  // A case finished: its run, its verdict and its record (made once, for
  // every reporter).
  virtual void CaseDone(const ConfigInfo& config, const CaseResult& result) = 0;
  // A case's crash states were checked (run --crash-states): after the
  // configuration's cases.
  virtual void CrashStatesDone(const ConfigInfo& /*config*/,
                               const oracles::CrashStates& /*states*/) {}
  // A signal stopped the run early (its cases that did not run were reported
  // as ERRORs with CaseRun::interrupted); comes just before Finish.
  virtual void Interrupted(int /*signo*/) {}
  virtual void Finish(double seconds) = 0;
};

}  // namespace eofzero::report
