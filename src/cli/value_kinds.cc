#include "cli/value_kinds.h"

#include <algorithm>
#include <iterator>
#include <span>

#include "cli/names.h"
#include "guest/kernel_spec.h"
#include "fsdriver/registry.h"
#include "explore/space.h"
#include "suite/sweep_plan.h"

namespace eofzero::cli {
namespace {

template <std::size_t N>
std::vector<std::string> Words(const char* const (&names)[N]) {
  return {std::begin(names), std::end(names)};
}

std::vector<std::string> Words(std::span<const char* const> names) {
  return {names.begin(), names.end()};
}

// explore --ops: xfs_io's command names, each once.
std::vector<std::string> OpFamilies() {
  std::vector<std::string> names;
  for (const auto& op : explore::Ops())
    if (std::find(names.begin(), names.end(), op.family) == names.end()) names.push_back(op.family);
  return names;
}

std::vector<std::string> FsNames() {
  std::vector<std::string> names;
  for (auto fs : fsdriver::kFsTypes) names.emplace_back(fsdriver::FsTypeName(fs));
  return names;
}

}  // namespace

std::optional<ValueKind> ValueKindOf(std::string_view option) {
  using S = ValueSource;
  // Options first, then the positionals (by their names).
  if (option == "--fs") return ValueKind{"FS", S::kWords, FsNames()};
  if (option == "--case" || option == "--probe-case") return ValueKind{"CASE", S::kCases};
  if (option == "--format") return ValueKind{"FORMAT", S::kWords, ReportFormatNames()};
  if (option == "--shutdown") return ValueKind{"FLAG", S::kWords, ShutdownFlagNames()};
  if (option == "--sync") return ValueKind{"PRIMITIVE", S::kWords, Words(suite::kPrimitives)};
  if (option == "--crash") return ValueKind{"MODE", S::kWords, Words(suite::kCrashModes)};
  if (option == "--distance") return ValueKind{"DISTANCE", S::kWords, Words(suite::kDistances)};
  if (option == "--points") return ValueKind{"POINTS", S::kWords, {"all", "last"}};
  if (option == "--kernel") return ValueKind{"SPEC", S::kWords, guest::KnownSuites()};
  if (option == "--ops") return ValueKind{"OP", S::kWords, OpFamilies()};
  if (option == "--offsets") return ValueKind{"OFFSET", S::kWords, Words(explore::OffsetNames())};
  if (option == "--lengths") return ValueKind{"LENGTH", S::kWords, Words(explore::LengthNames())};
  if (option == "--persist") return ValueKind{"PRIMITIVE", S::kWords, Words(explore::PersistNames())};
  for (std::string_view dir : {"--cases-dir", "--workdir", "--scratch-mnt", "--record",
                               "--cache-dir", "--export", "--emit-cases", "--output-dir"})
    if (option == dir) return ValueKind{"DIR", S::kDirs};
  for (std::string_view file : {"--output", "--config", "--image", "--results"})
    if (option == file) return ValueKind{"FILE", S::kFiles};
  if (option == "--scratch-dev") return ValueKind{"DEV", S::kFiles};
  if (option == "--merge" || option == "json") return ValueKind{"JSON", S::kFiles};
  if (option == "log") return ValueKind{"LOG", S::kFiles};
  for (std::string_view bytes : {"--block-size", "--gap"})
    if (option == bytes) return ValueKind{"BYTES"};
  if (option == "--image-size") return ValueKind{"SIZE"};
  for (std::string_view n : {"--jobs", "--iterations", "--seed", "--subset-limit",
                             "--subset-samples", "--states-seed", "--depth", "--sample",
                             "--confirm"})
    if (option == n) return ValueKind{"N"};
  for (std::string_view text : {"--mkfs-options", "--mount-options", "--append"})
    if (option == text) return ValueKind{"OPTIONS"};
  if (option == "--shard") return ValueKind{"K/M"};
  for (std::string_view seconds : {"--timeout", "--server-timeout"})
    if (option == seconds) return ValueKind{"SECONDS"};
  if (option == "--state") return ValueKind{"STATE"};
  return std::nullopt;
}

void NameValueKinds(CLI::App& app) {
  for (CLI::Option* opt : app.get_options()) {
    if (opt->get_expected_max() == 0) continue;  // a flag
    if (auto kind = ValueKindOf(opt->get_name())) opt->type_name(std::string(kind->name));
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) NameValueKinds(*sub);
}

}  // namespace eofzero::cli
