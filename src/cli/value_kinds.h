// What kind of value each option takes, by the option's name, in one table
// for every subcommand: the name --help and the man page show for it (`--fs
// FS`), and what the bash completion offers for it (the names of the
// filesystems, report formats, shutdown flags and sweep primitives from the
// tables that parse them; folders; files; the catalog's cases). A test
// keeps every option that takes a value in the table.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eofzero::cli {

// How the completion finds an option's values.
enum class ValueSource {
  kNone,   // free text: nothing to offer
  kWords,  // ValueKind::words
  kFiles,
  kDirs,
  kCases,  // the catalog's case names (`eofzero list --names`)
};

struct ValueKind {
  std::string_view name;  // what --help shows: "FS", "DIR"
  ValueSource source = ValueSource::kNone;
  std::vector<std::string> words;  // kWords
};

// The kind of the option called `option` ("--fs", "--jobs"), or nullopt.
std::optional<ValueKind> ValueKindOf(std::string_view option);

// Every option of `app` and its subcommands, recursively, that takes a value
// and has a kind gets the kind's name as its type name.
void NameValueKinds(CLI::App& app);

}  // namespace eofzero::cli
