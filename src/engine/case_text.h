// A parsed case written back as a case file (pure): the inverse of the
// parser (engine/case_file.h), in case language 2. The JSON report keeps
// each case as it ran this way — a sweep's variant or an explorer's
// workload has no file of its own — and `eofzero export` reads it back.
//
// Each step is written from its registry entry (engine/step.h): its name,
// its flags in the entry's order with their expressions as written, its
// arguments; comments are not kept. A language-1 pwrite's own O_DIRECT or
// O_APPEND becomes an `open` around it, as language 2 says it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/case_spec.h"
#include "os/shutdown.h"

namespace eofzero::engine {

// One step as a line of language 2 (without a language-1 pwrite's open
// flags: StepLines adds the `open` steps those need).
std::string StepLine(const Step& step);

// The steps as lines of language 2. `shutdown`, when set, is the flag every
// shutdown step ran with (run --shutdown overrides the case's own).
std::vector<std::string> StepLines(const std::vector<Step>& steps,
                                   std::optional<os::ShutdownFlag> shutdown = std::nullopt);

// The whole case file: name, purpose, `language = 2`, the fs, block_size,
// gap and eof the case sets (never `default`), and its steps. ParseCaseText
// reads it back as the same case (a test keeps it so for the catalog).
std::string CaseFileText(const CaseSpec& spec,
                         std::optional<os::ShutdownFlag> shutdown = std::nullopt);

// `text` as a TOML basic string, quotes included ("a \"b\"").
std::string TomlString(const std::string& text);

}  // namespace eofzero::engine
