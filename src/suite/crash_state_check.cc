#include "suite/crash_state_check.h"

#include <spdlog/spdlog.h>
#include <zlib.h>

#include <cerrno>
#include <chrono>
#include <functional>
#include <algorithm>
#include <set>
#include <tuple>
#include <string_view>

#include "engine/sentinel.h"
#include "os/process.h"
#include "scratch/state_image.h"

namespace eofzero::suite {
namespace {

using StateClock = std::chrono::steady_clock;

double Since(StateClock::time_point t) {
  return std::chrono::duration<double>(StateClock::now() - t).count();
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
    const auto start = StateClock::now();
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
    // A case that did not reach its end left no crash to resume from: its
    // states are not a finding either way. Skipped, they are skipped too;
    // stopped by a signal or an error, they did not run (an ERROR).
    if (run_.status == engine::RunStatus::kSkipped && !run_.crash_states_only) {
      out.not_checked = "the case was skipped: " + run_.reason;
      return;
    }
    // A case stopped at its crash for want of a shutdown ioctl (a SKIP that
    // set its crash point) is judged here, on its states.
    if (run_.status != engine::RunStatus::kCompleted && !run_.crash_states_only) {
      if (int signo = interrupt_())
        out.not_run = "interrupted by " + os::DescribeSignal(signo);
      else
        out.not_run = "the case did not run to its end (ERROR: " + run_.reason + ")";
      return;
    }
    if (!run_.crash_point || !run_.plant) {
      out.not_checked = "the case has no planted crash";
      return;
    }
    const auto plant = SequenceOf(run_, run_.crash_point->plant_step);
    const auto crash = SequenceOf(run_, run_.crash_point->crash_step);
    if (!plant || !crash) {
      out.error = "the case's steps are not in the write log";
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
      out.error = plan.error();
      return;
    }
    out.first_barrier = plan->first_barrier;
    out.last_barrier = plan->last_barrier;
    out.window_changes = plan->window_changes;
    out.planned = plan->states.size();
    const auto barriers = PromiseBarriers(*log, run_);
    if (options_.only) {
      if (std::find(plan->states.begin(), plan->states.end(), *options_.only) == plan->states.end()) {
        out.error = "state " + scratch::StateAddressText(*options_.only) + " is not in the plan";
        return;
      }
      out.planned = 1;
      std::unique_ptr<scratch::ScratchFs> fs;
      out.states.push_back(CheckOne(*log, {*options_.only}, 0, fs, barriers));
      return;
    }
    // The same image is the same state only under the same promises: a state
    // past a promise's flush is judged by it, one before is not.
    std::set<std::tuple<std::uint64_t, std::uint32_t, std::size_t>> seen;
    std::vector<scratch::StateAddress> distinct;
    for (const auto& address : plan->states) {
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
      if (seen.insert({digest.first, digest.second, promises}).second)
        distinct.push_back(address);
      else
        ++out.identical;
    }
    // One server and loop device for all of them: each state is a switch.
    std::unique_ptr<scratch::ScratchFs> fs;
    for (std::size_t i = 0; i < distinct.size(); ++i) {
      if (int signo = interrupt_()) {
        out.interrupted = Interrupted(signo, out);
        return;
      }
      spdlog::debug("{}: checking crash state {} ({} of {})", run_.case_name,
                    scratch::StateAddressText(distinct[i]), i + 1, distinct.size());
      auto state = CheckOne(*log, distinct, i, fs, barriers);
      if (state.run && state.run->interrupted) {  // not checked to its end: not a verdict
        out.interrupted = Interrupted(interrupt_(), out);
        return;
      }
      out.states.push_back(std::move(state));
    }
  }

  std::string Interrupted(int signo, const oracles::CrashStates& out) const {
    return "interrupted by signal " + std::to_string(signo) + " after " +
           std::to_string(out.states.size()) + " of " +
           std::to_string(out.planned - out.identical) + " distinct states";
  }

  oracles::CheckedState Error(const scratch::StateAddress& address, std::string why) const {
    oracles::CheckedState s;
    s.address = scratch::StateAddressText(address);
    s.outcome = oracles::Outcome::kError;
    s.summary = std::move(why);
    return s;
  }

  // State `i` of `states`, served by `fs` (made on first use, and again
  // after a state it could not be released from).
  oracles::CheckedState CheckOne(const scratch::ParsedLog& log,
                                 const std::vector<scratch::StateAddress>& states, std::size_t i,
                                 std::unique_ptr<scratch::ScratchFs>& fs,
                                 const std::vector<std::uint64_t>& barriers) {
    const auto start = StateClock::now();
    const scratch::StateAddress& address = states[i];
    oracles::CheckedState state;
    state.address = scratch::StateAddressText(address);
    state.steps = scratch::StepsOfState(log, address);
    engine::ResumeState from = *engine::ResumeFrom(run_);  // Check: planted and crashed
    std::vector<std::size_t> kept;
    from.history = oracles::HistoryOfState(run_.history, run_.crash_point->events, barriers,
                                           address.barrier, &kept);
    for (auto& race : from.crash.race_expectations)  // marks into the new history
      race.history_mark = kept[std::min(race.history_mark, kept.size() - 1)];
    auto served = Serve(log, states, i, fs);
    state.serve_seconds = Since(start);
    if (!served) {
      fs.reset();
      state.outcome = oracles::Outcome::kError;
      state.summary = "could not serve the state: " + served.error().Message();
      state.seconds = Since(start);
      return state;
    }
    const auto checks = StateClock::now();
    auto checked = engine::RunCrashState(*fs, spec_, scenario_, from);
    state.check_seconds = Since(checks);
    if (auto answers = fs->ServerAnswers(); !answers) {  // nothing it showed counts
      checked.mount_errno = 0;
      checked.run.status = engine::RunStatus::kError;
      checked.run.reason = answers.error().Message();
    }
    if (checked.mount_errno == EIO) {  // the filesystem's, unless the server under it is gone
      if (auto served = fs->StateServed(); !served) {
        checked.mount_errno = 0;
        checked.run.reason += " (the state's FUSE server does not answer: " +
                              served.error().Message() + ")";
      }
    }
    oracles::JudgeState(state, checked.run, checked.mount_errno);
    const auto release = StateClock::now();
    if (auto down = fs->Unmount(); !down) {  // the next state gets a new server
      spdlog::warn("crash state {}: {}", state.address, down.error().Message());
      fs.reset();
    }
    state.release_seconds = Since(release);
    state.seconds = Since(start);
    spdlog::debug("{} state {}: {} in {:.3f}s (serve {:.3f}, checks {:.3f}, release {:.3f})",
                  run_.case_name, state.address, oracles::OutcomeName(state.outcome),
                  state.seconds, state.serve_seconds, state.check_seconds, state.release_seconds);
    return state;
  }

  // Makes `fs` serve state `i`: a new server and loop device for the series
  // when there is none, else a switch.
  os::Status Serve(const scratch::ParsedLog& log, const std::vector<scratch::StateAddress>& states,
                   std::size_t i, std::unique_ptr<scratch::ScratchFs>& fs) {
    if (!fs) {
      EOFZERO_ASSIGN_OR_RETURN(auto series, scratch::StateSeries::Create(log, states));
      const std::string name = std::filesystem::path(source_.log_path).stem().string() + "-state";
      EOFZERO_ASSIGN_OR_RETURN(fs, scratch::ScratchFs::ServeState(
                                       state_spec_, source_.dir, name, std::move(series),
                                       source_.uuid, source_.block_size, source_.lease));
    }
    return fs->SelectState(i);
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
