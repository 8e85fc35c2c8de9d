#include "engine/step_parser.h"

#include <cctype>
#include <cstring>

namespace eofzero::engine {

namespace {

std::expected<std::vector<std::string>, std::string> Tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : text) {
    if (c == '{') ++depth;
    if (c == '}' && --depth < 0) return std::unexpected("unbalanced '}'");
    if (depth == 0 && std::isspace(static_cast<unsigned char>(c))) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (depth != 0) return std::unexpected("unbalanced '{'");
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

const StepDef* Lookup(std::vector<std::string>& tokens) {
  for (const char* two : {"check", "expect"}) {
    if (tokens[0] == two && tokens.size() > 1) {
      tokens[0] += " " + tokens[1];
      tokens.erase(tokens.begin() + 1);
    }
  }
  return FindStep(tokens[0]);
}

// Language 1's pwrite flags, taken out of `tokens` (flags come first).
std::expected<int, std::string> TakeLanguage1Flags(std::vector<std::string>& tokens, int language) {
  int open_flags = 0;
  bool chunked = false;
  for (std::size_t i = 1; i < tokens.size();) {
    const std::string& t = tokens[i];
    if (t.size() != 2 || t[0] != '-' || std::isdigit(static_cast<unsigned char>(t[1]))) break;
    if (t == "-D" || t == "-a" || t == "-A") {
      if (language == 0)
        return std::unexpected(
            "'pwrite " + t + "' means " +
            (t == "-D" ? std::string("RWF_DSYNC in case language 2 (as in xfs_io) and O_DIRECT in "
                                     "language 1")
                       : t == "-a" ? std::string("nothing in case language 2 (O_APPEND is 'open "
                                                 "-a') and O_APPEND in language 1")
                                   : std::string("nothing in case language 2 (RWF_APPEND is -P) "
                                                 "and RWF_APPEND in language 1")) +
            ": say which with 'language = 2' or 'language = 1' in the case file");
      if (language == 1) {
        if (t == "-A") {
          tokens[i] = "-P";
          ++i;
          continue;
        }
        open_flags |= t == "-D" ? kOpenDirect : kOpenAppend;
        tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
    }
    chunked |= t == "-b";
    if (t == "-S" || t == "-b" || t == "-V") ++i;  // the flag's value
    ++i;
  }
  if (language == 1 && !chunked) {  // language 1 wrote in 1 MiB calls
    tokens.insert(tokens.begin() + 1, {"-b", "1048576"});
  }
  return open_flags;
}

}  // namespace

bool PlainName(std::string_view name) {
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      return false;
  return !name.empty() && name.size() <= kMaxNameLength && name[0] != '.' && name[0] != '-';
}

std::expected<Step, std::string> ParseStep(std::string_view text, int line, int language) {
  if (text.size() > kMaxStepLength)
    return std::unexpected("a step of " + std::to_string(text.size()) + " characters ('" +
                           std::string(text.substr(0, 20)) + "...'); at most " +
                           std::to_string(kMaxStepLength) + " characters");
  auto tokens = Tokenize(text);
  if (!tokens) return std::unexpected(tokens.error());
  if (tokens->empty()) return std::unexpected("empty step");
  const StepDef* cmd = Lookup(*tokens);
  if (!cmd) return std::unexpected("unknown command '" + (*tokens)[0] + "'");
  const std::string usage = std::string(" (usage: ") + cmd->usage + ")";
  Step step;
  if (language != kCaseLanguage && std::string_view(cmd->name) == "pwrite") {
    auto legacy = TakeLanguage1Flags(*tokens, language);
    if (!legacy) return std::unexpected(legacy.error());
    step.open_flags = *legacy;
  }
  step.line = line;
  step.def = cmd;
  step.text = text;
  std::size_t i = 1;
  for (; i < tokens->size(); ++i) {
    const std::string& t = (*tokens)[i];
    if (t.size() < 2 || t[0] != '-' || std::isdigit(static_cast<unsigned char>(t[1]))) break;
    if (t.size() != 2) return std::unexpected("bad flag '" + t + "'" + usage);
    const char* spec = t[1] == ':' ? nullptr : std::strchr(cmd->flags, t[1]);
    if (!spec) return std::unexpected(cmd->name + std::string(": unknown flag '") + t + "'" + usage);
    if (step.flags.contains(t[1])) return std::unexpected("flag '" + t + "' given twice");
    if (spec[1] != ':') {
      step.flags[t[1]] = std::nullopt;
      continue;
    }
    if (++i == tokens->size()) return std::unexpected("flag '" + t + "' needs a value" + usage);
    auto value = Expr::Parse((*tokens)[i], CaseVariables());
    if (!value) return std::unexpected(value.error());
    step.flags[t[1]] = std::move(*value);
  }
  const std::size_t given = tokens->size() - i, wanted = std::strlen(cmd->positionals);
  if (given != wanted)
    return std::unexpected(std::string(cmd->name) + ": " + std::to_string(wanted) +
                           " argument(s) expected, " + std::to_string(given) + " given" + usage);
  for (std::size_t k = 0; k < wanted; ++k, ++i) {
    const std::string& t = (*tokens)[i];
    if (cmd->positionals[k] == 'w') {
      if (t.size() > kMaxNameLength)
        return std::unexpected("a file name of " + std::to_string(t.size()) +
                               " characters; at most " + std::to_string(kMaxNameLength) +
                               " characters");
      if (!PlainName(t)) return std::unexpected("'" + t + "' is not a plain file name");
      step.words.push_back(t);
      continue;
    }
    auto value = Expr::Parse(t, CaseVariables());
    if (!value) return std::unexpected(value.error());
    step.numbers.push_back(std::move(*value));
  }
  return step;
}

std::expected<void, SequenceError> ValidateSequence(const std::vector<Step>& steps,
                                                    int steps_line) {
  const Step* plant = nullptr;
  const Step* crash = nullptr;  // a shutdown not yet followed by cycle_mount
  bool crashed = false, checked_after = false;
  for (const auto& s : steps) {
    const StepRole role = s.def->role;
    if (crash && role != StepRole::kCycleMount)
      return std::unexpected(SequenceError{
          s.line, "'" + s.text + "' after a shutdown with no cycle_mount: the filesystem is down"});
    switch (role) {
      case StepRole::kPlant:
        if (plant)
          return std::unexpected(SequenceError{
              s.line, "a second plant (the first is on line " + std::to_string(plant->line) + ")"});
        if (crashed) return std::unexpected(SequenceError{s.line, "plant after a crash"});
        plant = &s;
        break;
      case StepRole::kCheckGap:
      case StepRole::kExpectSize:
        if (!plant)
          return std::unexpected(SequenceError{s.line, "'" + s.text + "' before the plant"});
        if (role == StepRole::kCheckGap) checked_after |= crashed;
        break;
      case StepRole::kShutdown:
        if (!plant)
          return std::unexpected(SequenceError{s.line, "shutdown before the plant"});
        crash = &s;
        crashed = true;
        checked_after = false;  // the check must follow the last crash
        break;
      case StepRole::kCycleMount:
        crash = nullptr;
        break;
      case StepRole::kAction:
        break;
    }
  }
  if (crash)
    return std::unexpected(SequenceError{crash->line, "shutdown with no cycle_mount after it"});
  if (!plant) return std::unexpected(SequenceError{steps_line, "the steps never plant"});
  if (!crashed)
    return std::unexpected(SequenceError{steps_line, "the steps never crash (shutdown)"});
  if (!checked_after)
    return std::unexpected(
        SequenceError{steps_line, "no 'check gap' after the last shutdown and cycle_mount"});
  return {};
}

}  // namespace eofzero::engine
