#include "oracles/crash_states.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace eofzero::oracles {

engine::History HistoryOfState(const engine::History& history, std::size_t events_to_crash,
                               const std::vector<std::uint64_t>& promise_barriers,
                               std::uint64_t barrier, std::vector<std::size_t>* kept) {
  engine::History out;
  out.complete = history.complete;
  out.incomplete_reason = history.incomplete_reason;
  const std::size_t n = std::min(events_to_crash, history.events.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto& e = history.events[i];
    if (kept) kept->push_back(out.events.size());
    const bool promise = e.kind == engine::Event::Kind::kPromise;
    if (promise && i < promise_barriers.size() && promise_barriers[i] > barrier) continue;
    out.events.push_back(e);
  }
  if (kept) kept->push_back(out.events.size());  // the end maps to the end
  return out;
}

void JudgeState(CheckedState& state, const engine::CaseRun& run, int mount_errno) {
  if (mount_errno == EUCLEAN || mount_errno == EIO || mount_errno == EBADMSG) {
    state.outcome = Outcome::kFail;
    state.summary = "the filesystem did not mount this crash state (" +
                    std::string(strerrordesc_np(mount_errno)) + "): " + run.reason;
    return;
  }
  Verdict v = Judge(run);
  state.outcome = v.outcome;
  state.summary = v.summary;
  if (v.outcome == Outcome::kFail || v.outcome == Outcome::kError) {
    state.run = run;
    state.verdict = std::move(v);
  }
}

void JudgeCrashStates(CrashStates& s) {
  std::size_t counts[4] = {};
  const CheckedState* first_fail = nullptr;
  const CheckedState* first_error = nullptr;
  for (const auto& st : s.states) {
    ++counts[static_cast<int>(st.outcome)];
    if (st.outcome == Outcome::kFail && !first_fail) first_fail = &st;
    if (st.outcome == Outcome::kError && !first_error) first_error = &st;
  }
  const std::size_t pass = counts[static_cast<int>(Outcome::kPass)];
  const std::size_t fail = counts[static_cast<int>(Outcome::kFail)];
  const std::size_t skip = counts[static_cast<int>(Outcome::kSkip)];
  const std::size_t error = counts[static_cast<int>(Outcome::kError)];
  if (!s.error.empty()) {
    s.outcome = Outcome::kError;
    s.summary = "no crash state checked: " + s.error;
    return;
  }
  if (!s.not_run.empty()) {
    s.outcome = Outcome::kError;
    s.summary = "not run: " + s.not_run;
    return;
  }
  if (s.states.empty()) {
    s.outcome = s.not_checked.empty() ? Outcome::kError : Outcome::kSkip;
    s.summary = "no crash state checked: " +
                (!s.interrupted.empty()   ? s.interrupted
                 : s.not_checked.empty() ? std::string("none planned")
                                         : s.not_checked);
    return;
  }
  std::string counted = std::to_string(s.states.size()) + " crash states after barriers " +
                        std::to_string(s.first_barrier) + " to " +
                        std::to_string(s.last_barrier) + " (" +
                        std::to_string(s.window_changes) + " writes; " +
                        std::to_string(s.identical) + " more states were identical images; " +
                        std::to_string(static_cast<long>(MedianSeconds(s) * 1000 + 0.5)) +
                        " ms each, median)";
  std::string tally = std::to_string(pass) + " held every invariant";
  if (skip)
    tally += ", " + std::to_string(skip) +
             " held them before the extension reached the disk (the gap still past EOF)";
  if (fail) tally += ", " + std::to_string(fail) + " broke";
  if (error) tally += ", " + std::to_string(error) + " could not be checked";
  if (!s.interrupted.empty()) tally += "; " + s.interrupted;
  if (fail) {
    s.outcome = Outcome::kFail;
    s.summary = counted + ": " + tally + "; first: state " + first_fail->address + ": " +
                first_fail->summary;
  } else if (!s.interrupted.empty()) {
    s.outcome = Outcome::kError;
    s.summary = counted + ": " + tally;
  } else if (error) {
    s.outcome = Outcome::kError;
    s.summary = counted + ": " + tally + "; first: state " + first_error->address + ": " +
                first_error->summary;
  } else if (pass == 0) {  // no state held the extension: the gap was never inside the file
    s.outcome = Outcome::kSkip;
    s.summary = counted + ": " + tally + "; in none did the extension reach the disk";
  } else {
    s.outcome = Outcome::kPass;
    s.summary = counted + ": " + tally;
  }
}

namespace {

// `word` as one shell word: as it is when it has nothing the shell reads,
// else in single quotes.
std::string ShellWord(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || (c != 0 && std::strchr("/._-+:,@=", c));
  });
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string ReplayCommand(const std::string& log, const std::string& address) {
  return "eofzero log replay " + ShellWord(log) + " --state " + ShellWord(address) +
         " --image state.img";
}

double MedianSeconds(const CrashStates& states) {
  std::vector<double> t;
  for (const auto& s : states.states) t.push_back(s.seconds);
  if (t.empty()) return 0;
  std::nth_element(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(t.size() / 2), t.end());
  return t[t.size() / 2];
}

}  // namespace eofzero::oracles
