#include "engine/case_text.h"

#include <cstdio>
#include <map>

namespace eofzero::engine {
namespace {

// The `open` step that gives `file` these open(2) flags.
std::string OpenLine(int flags, const std::string& file) {
  std::string line = "open";
  if (flags & kOpenAppend) line += " -a";
  if (flags & kOpenDirect) line += " -d";
  if (flags & kOpenSync) line += " -s";
  if (flags & kOpenDsync) line += " -y";
  return line + " " + file;
}

std::string ShutdownLine(os::ShutdownFlag flag) {
  switch (flag) {
    case os::ShutdownFlag::kDefault:
      return "shutdown -s";
    case os::ShutdownFlag::kLogFlush:
      return "shutdown -f";
    case os::ShutdownFlag::kNoLogFlush:
      return "shutdown";
  }
  return "shutdown";
}

}  // namespace

std::string StepLine(const Step& step) {
  const StepDef& def = *step.def;
  std::string line = def.name;
  for (const char* f = def.flags; *f; ++f) {
    if (*f == ':') continue;
    auto it = step.flags.find(*f);
    if (it == step.flags.end()) continue;
    line += std::string(" -") + *f;
    if (it->second) line += " " + it->second->text();
  }
  std::size_t number = 0, word = 0;
  for (const char* p = def.positionals; *p; ++p) {
    if (*p == 'w' && word < step.words.size())
      line += " " + step.words[word++];
    else if (*p == 'n' && number < step.numbers.size())
      line += " " + step.numbers[number++].text();
  }
  return line;
}

std::vector<std::string> StepLines(const std::vector<Step>& steps,
                                   std::optional<os::ShutdownFlag> shutdown) {
  std::vector<std::string> out;
  std::string current = "main";
  std::map<std::string, int> open_flags;  // by file, as `open` steps leave them
  for (const Step& s : steps) {
    const std::string_view name = s.def->name;
    if (name == "open") {
      open_flags[s.words[0]] = (s.Has('a') ? kOpenAppend : 0) | (s.Has('d') ? kOpenDirect : 0) |
                               (s.Has('s') ? kOpenSync : 0) | (s.Has('y') ? kOpenDsync : 0);
    }
    if (name == "open" || name == "file") current = s.words[0];
    if (s.def->role == StepRole::kShutdown && shutdown) {
      out.push_back(ShutdownLine(*shutdown));
      continue;
    }
    if (s.open_flags == 0) {
      out.push_back(StepLine(s));
      continue;
    }
    // Language 1: O_DIRECT or O_APPEND for this write alone.
    const int before = open_flags[current];
    out.push_back(OpenLine(before | s.open_flags, current));
    out.push_back(StepLine(s));
    out.push_back(OpenLine(before, current));
  }
  return out;
}

std::string TomlString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string CaseFileText(const CaseSpec& spec, std::optional<os::ShutdownFlag> shutdown) {
  std::string text = "name = " + TomlString(spec.name) + "\n";
  text += "purpose = " + TomlString(spec.purpose) + "\n";
  text += "language = 2\n";
  if (!spec.filesystems.empty()) {
    text += "fs = [";
    for (std::size_t i = 0; i < spec.filesystems.size(); ++i)
      text += (i ? ", " : "") + TomlString(std::string(fsdriver::FsTypeName(spec.filesystems[i])));
    text += "]\n";
  }
  if (spec.block_size) text += "block_size = " + std::to_string(*spec.block_size) + "\n";
  if (spec.gap) text += "gap = " + TomlString(spec.gap->text()) + "\n";
  if (spec.eof_line) text += "eof = " + TomlString(spec.eof.text()) + "\n";
  text += "steps = '''\n";
  for (const std::string& line : StepLines(spec.steps, shutdown)) text += line + "\n";
  return text + "'''\n";
}

}  // namespace eofzero::engine
