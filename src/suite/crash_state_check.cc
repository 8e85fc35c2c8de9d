#include "suite/crash_state_check.h"

#include <spdlog/spdlog.h>
#include <zlib.h>

#include <chrono>
#include <functional>
#include <algorithm>
#include <set>
#include <tuple>
#include <string_view>

#include "engine/sentinel.h"
#include "scratch/state_image.h"

namespace eofzero::suite {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Two states are the same image when they read alike over every range the
// window touched (elsewhere all are state K0): a digest of those bytes.
std::pair<std::uint64_t, std::uint32_t> Digest(scratch::StateImage& image,
                                               const std::vector<ByteRange>& touched) {
  std::uint64_t h = 0;
  uLong crc = crc32(0L, Z_NULL, 0);
  Bytes buf;
  for (const auto& r : touched) {
    buf.resize(r.size());
    image.Read(r.begin, buf);
    const std::string_view view(reinterpret_cast<const char*>(buf.data()), buf.size());
    h = h * 1099511628211ull ^ std::hash<std::string_view>{}(view);
    crc = crc32(crc, buf.data(), static_cast<uInt>(buf.size()));
  }
  return {h, static_cast<std::uint32_t>(crc)};
}

// For each history event, the barriers the log holds by the end of its
// step (promises only; 0 for the rest).
std::vector<std::uint64_t> PromiseBarriers(const scratch::ParsedLog& log,
                                           const engine::CaseRun& run) {
  std::vector<std::uint64_t> out(run.history.events.size(), 0);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto& e = run.history.events[i];
    if (e.kind != engine::Event::Kind::kPromise) continue;
    for (const auto& step : run.logged_steps)
      if (step.index == e.step) out[i] = scratch::BarriersBy(log, step.sequence);
  }
  return out;
}

std::optional<std::uint64_t> SequenceOf(const engine::CaseRun& run, std::size_t step) {
  for (const auto& s : run.logged_steps)
    if (s.index == step) return s.sequence;
  return std::nullopt;
}

class StateChecker {
 public:
  StateChecker(const StateSource& source, const engine::CaseSpec& spec,
               const engine::ScenarioOptions& scenario, const engine::CaseRun& run,
               const CrashStatesOptions& options, const InterruptPoll& interrupt)
      : source_(source),
        spec_(spec),
        run_(run),
        options_(options),
        interrupt_(interrupt) {
    scenario_ = scenario;
    scenario_.faults.clear();  // the self-test's faults are the case's, not its states'
    state_spec_ = source.spec;
    state_spec_.record_log.clear();
  }

  oracles::CrashStates Check() {
    const auto start = Clock::now();
    oracles::CrashStates out;
    out.case_name = run_.case_name;
    out.case_file = run_.case_file;
    out.log = source_.log_path;
    Check(out);
    out.seconds = Since(start);
    oracles::JudgeCrashStates(out);
    return out;
  }

 private:
  void Check(oracles::CrashStates& out) {
    if (run_.status != engine::RunStatus::kCompleted) {
      out.not_checked = "the case did not run to its end";
      return;
    }
    if (!run_.crash_point || !run_.plant) {
      out.not_checked = "the case has no planted crash";
      return;
    }
    const auto plant = SequenceOf(run_, run_.crash_point->plant_step);
    const auto crash = SequenceOf(run_, run_.crash_point->crash_step);
    if (!plant || !crash) {
      out.not_checked = "the case's steps are not in the write log";
      return;
    }
    const scratch::ParsedLog* log = source_.log;
    scratch::ParsedLog planted;
    if (options_.bad_logged_write) {
      planted = *log;
      const std::uint64_t gap = run_.old_eof - run_.eof_block;
      const ByteRange range{run_.plant->device_offset + gap,
                            run_.plant->device_offset + run_.block_size};
      Bytes sentinel = engine::SentinelBlock(run_.block_size);
      sentinel.erase(sentinel.begin(), sentinel.begin() + static_cast<std::ptrdiff_t>(gap));
      auto which = scratch::PlantInLoggedWrite(planted, *plant, *crash, range, sentinel);
      out.planted_bad_write =
          which ? *which : "no write of the window covers the gap: nothing to change";
      log = &planted;
    }
    auto plan = scratch::PlanCrashStates(*log, *plant, *crash, options_.plan);
    if (!plan) {
      out.not_checked = plan.error();
      return;
    }
    out.first_barrier = plan->first_barrier;
    out.last_barrier = plan->last_barrier;
    out.window_changes = plan->window_changes;
    out.planned = plan->states.size();
    const auto barriers = PromiseBarriers(*log, run_);
    // The same image is the same state only under the same promises: a state
    // past a promise's flush is judged by it, one before is not.
    std::set<std::tuple<std::uint64_t, std::uint32_t, std::size_t>> seen;
    for (const auto& address : plan->states) {
      if (int signo = interrupt_()) {
        out.interrupted = "interrupted by signal " + std::to_string(signo) + " after " +
                          std::to_string(out.states.size() + out.identical) + " of " +
                          std::to_string(out.planned) + " states";
        return;
      }
      const auto t0 = Clock::now();
      spdlog::debug("{}: checking crash state {} ({} of {})", run_.case_name,
                    scratch::StateAddressText(address), out.states.size() + out.identical + 1,
                    out.planned);
      auto image = scratch::StateImage::Create(*log, address, -1);
      if (!image) {
        out.states.push_back(Error(address, "could not lay out the state: " +
                                                image.error().Message()));
        continue;
      }
      const auto digest = Digest(**image, plan->touched);
      const auto promises = static_cast<std::size_t>(std::count_if(
          barriers.begin(), barriers.end(),
          [&](std::uint64_t b) { return b != 0 && b <= address.barrier; }));
      if (!seen.insert({digest.first, digest.second, promises}).second) {
        ++out.identical;
        continue;
      }
      auto state = CheckOne(*log, address, std::move(*image), barriers, t0);
      if (state.run && state.run->interrupted) {  // not checked to its end: not a verdict
        out.interrupted = "interrupted by signal " + std::to_string(interrupt_()) + " after " +
                          std::to_string(out.states.size() + out.identical) + " of " +
                          std::to_string(out.planned) + " states";
        return;
      }
      out.states.push_back(std::move(state));
    }
  }

  oracles::CheckedState Error(const scratch::StateAddress& address, std::string why) const {
    oracles::CheckedState s;
    s.address = scratch::StateAddressText(address);
    s.outcome = oracles::Outcome::kError;
    s.summary = std::move(why);
    return s;
  }

  oracles::CheckedState CheckOne(const scratch::ParsedLog& log,
                                 const scratch::StateAddress& address,
                                 std::unique_ptr<scratch::StateImage> image,
                                 const std::vector<std::uint64_t>& barriers,
                                 Clock::time_point start) {
    oracles::CheckedState state;
    state.address = scratch::StateAddressText(address);
    state.steps = scratch::StepsOfState(log, address);
    engine::CaseRun as_of_crash = run_;
    std::vector<std::size_t> kept;
    as_of_crash.history = oracles::HistoryOfState(run_.history, run_.crash_point->events,
                                                  barriers, address.barrier, &kept);
    for (auto& race : as_of_crash.crash_point->race_expectations)  // marks into the new history
      race.history_mark = kept[std::min(race.history_mark, kept.size() - 1)];
    as_of_crash.written = run_.crash_point->written;
    as_of_crash.durable_size_at_crash.reset();
    const std::string name = std::filesystem::path(source_.log_path).stem().string() + "-state";
    {
      auto fs = scratch::ScratchFs::ServeState(state_spec_, source_.dir, name, std::move(image),
                                               source_.uuid, source_.block_size, source_.lease);
      state.serve_seconds = Since(start);
      if (!fs) {
        state.outcome = oracles::Outcome::kError;
        state.summary = "could not serve the state: " + fs.error().Message();
        state.seconds = Since(start);
        return state;
      }
      const auto checks = Clock::now();
      auto checked = engine::RunCrashState(**fs, spec_, scenario_, std::move(as_of_crash));
      state.check_seconds = Since(checks);
      oracles::JudgeState(state, checked.run, checked.mount_errno);
      const auto release = Clock::now();
      fs->reset();
      state.release_seconds = Since(release);
    }
    state.seconds = Since(start);
    spdlog::debug("{} state {}: {} in {:.3f}s (serve {:.3f}, checks {:.3f}, release {:.3f})",
                  run_.case_name, state.address, oracles::OutcomeName(state.outcome),
                  state.seconds, state.serve_seconds, state.check_seconds, state.release_seconds);
    return state;
  }

  const StateSource& source_;
  const engine::CaseSpec& spec_;
  const engine::CaseRun& run_;
  const CrashStatesOptions& options_;
  const InterruptPoll& interrupt_;
  engine::ScenarioOptions scenario_;
  scratch::ScratchSpec state_spec_;
};

}  // namespace

oracles::CrashStates CheckCrashStates(const StateSource& source, const engine::CaseSpec& spec,
                                      const engine::ScenarioOptions& scenario,
                                      const engine::CaseRun& run,
                                      const CrashStatesOptions& options,
                                      const InterruptPoll& interrupt) {
  return StateChecker(source, spec, scenario, run, options, interrupt).Check();
}

}  // namespace eofzero::suite
