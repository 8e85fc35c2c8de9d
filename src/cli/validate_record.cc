#include <filesystem>

#include "cli/options.h"
#include "cli/validate.h"
#include "scratch/log_replay.h"

namespace eofzero::cli {

// --crash-states and its knobs (after --record).
std::expected<void, std::string> ValidateCrashStates(const RawOptions& raw, suite::RunOptions& o) {
  if (!raw.crash_states) {
    if (raw.torn || raw.subset_limit != "8" || raw.subset_samples != "32" || raw.states_seed != "0")
      return std::unexpected(
          "--torn, --subset-limit, --subset-samples and --states-seed need --crash-states");
    return {};
  }
  if (raw.record.empty())
    return std::unexpected("--crash-states: needs --record DIR (the states come from its logs)");
  auto& plan = o.crash_states.plan;
  if (auto v = ParseU32("--subset-limit", raw.subset_limit); v)
    plan.subset_limit = *v;
  else
    return std::unexpected(v.error());
  if (plan.subset_limit > 12)
    return std::unexpected("--subset-limit: " + raw.subset_limit +
                           " is more than 12 (4096 states per epoch)");
  if (auto v = ParseU32("--subset-samples", raw.subset_samples); v)
    plan.samples = *v;
  else
    return std::unexpected(v.error());
  if (plan.samples > 100000)
    return std::unexpected("--subset-samples: " + raw.subset_samples + " is more than 100000");
  if (auto v = ParseU32("--states-seed", raw.states_seed); v)
    plan.seed = *v;
  else
    return std::unexpected(v.error());
  plan.torn = raw.torn;
  o.crash_states.enabled = true;
  return {};
}

std::expected<void, std::string> ValidateRecord(const RawOptions& raw, suite::RunOptions& o) {
  if (auto states = ValidateCrashStates(raw, o); !states) return states;
  if (raw.record.empty() && raw.server_timeout != "30")
    return std::unexpected("--server-timeout: needs --record DIR (it is the recording's server)");
  if (raw.record.empty()) return {};
  auto timeout = ParseU32("--server-timeout", raw.server_timeout);
  if (!timeout) return std::unexpected(timeout.error());
  if (*timeout < 1 || *timeout > 3600)
    return std::unexpected("--server-timeout: " + raw.server_timeout +
                           " is not a number of seconds from 1 to 3600");
  o.server_timeout = std::chrono::seconds(*timeout);
  std::error_code ec;
  // A folder, or one to make (as --output makes its file): its own folder
  // must be there. It is made once the run starts (cli::PrepareSuite).
  const std::filesystem::path dir = std::filesystem::absolute(raw.record, ec);
  if (std::filesystem::exists(std::filesystem::symlink_status(dir, ec)) &&
      !std::filesystem::is_directory(dir, ec))
    return std::unexpected("--record: " + raw.record + " is not a directory");
  if (!std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir.parent_path(), ec))
    return std::unexpected("--record: " + raw.record + " does not exist, and " +
                           dir.parent_path().string() +
                           " (where it would be made) is not a directory");
  if (!raw.scratch_dev.empty())
    return std::unexpected("--record: records images only, not " + raw.scratch_dev_from);
  o.record_dir = dir;
  return {};
}

std::expected<LogOptions, std::string> ValidateLogOptions(const RawOptions& raw) {
  LogOptions log{raw.log_action, raw.log_file, raw.log_state, raw.log_image};
  std::error_code ec;
  if (log.action != "show" && log.action != "replay")
    return std::unexpected("log: '" + log.action + "' is not show or replay");
  if (!std::filesystem::is_regular_file(log.log, ec))
    return std::unexpected("log: " + raw.log_file + " is not a file");
  if (log.action == "show") {
    if (!log.state.empty() || !log.image.empty())
      return std::unexpected("log show: --state and --image are for replay");
    return log;
  }
  if (log.state.empty()) return std::unexpected("log replay: --state is required");
  if (auto state = scratch::ParseStateAddress(log.state); !state)
    return std::unexpected("--state: " + state.error());
  if (log.image.empty()) return std::unexpected("log replay: --image is required");
  if (std::filesystem::exists(std::filesystem::symlink_status(log.image, ec)))
    return std::unexpected("--image: " + raw.log_image + " exists (never overwritten)");
  const auto folder = std::filesystem::absolute(log.image, ec).parent_path();
  if (!std::filesystem::is_directory(folder, ec))
    return std::unexpected("--image: " + folder.string() + " is not a directory");
  return log;
}

}  // namespace eofzero::cli
