// Names of enum values for help and errors, taken from the tables that
// print them (os::kShutdownFlags, report::ReportFormats()), and parsed back
// by the same tables: a name that is printed is a name that parses.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "os/shutdown.h"
#include "report/format.h"

namespace eofzero::cli {

// "a, b, c", or with last_separator " or ": "a, b or c".
std::string ListNames(const std::vector<std::string>& names,
                      std::string_view last_separator = ", ");

// --shutdown: os::ShutdownFlagName's inverse over os::kShutdownFlags.
std::optional<os::ShutdownFlag> ParseShutdownFlag(std::string_view name);
std::vector<std::string> ShutdownFlagNames();  // "logflush", "nologflush", "default"

// --format: every report format's name ("human", ..., "fstests").
std::vector<std::string> ReportFormatNames();
// For --format's help: "human, json, junit, markdown, or (run only) fstests".
std::string ReportFormatHelp();

}  // namespace eofzero::cli
