// Loads a recorded child-process output from fixtures/ (fixtures/fsck/README.md
// describes the format: "# exit N", "# argv: ...", "--- stdout", "--- stderr").
#pragma once

#include <gtest/gtest.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

#include "os/process.h"

namespace eofzero::testing {

// A file of this source tree, e.g. "docs/cases.md" (its examples are tested).
inline std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(EOFZERO_FIXTURES_DIR) + "/../" + relative);
  EXPECT_TRUE(in) << relative;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline os::ProcessResult LoadRecorded(const std::string& name) {
  std::ifstream in(std::string(EOFZERO_FIXTURES_DIR) + "/" + name);
  EXPECT_TRUE(in) << name;
  os::ProcessResult r;
  std::string line;
  std::string* sink = nullptr;
  while (std::getline(in, line)) {
    if (!sink && line.starts_with("# exit ")) {
      auto digits = std::string_view(line).substr(7);
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), r.exit_code);
      EXPECT_TRUE(ec == std::errc() && end == digits.data() + digits.size()) << line;
    } else if (!sink && line.starts_with("# argv: ")) {
      r.argv = {line.substr(8)};
    } else if (line == "--- stdout") {
      sink = &r.out;
    } else if (line == "--- stderr") {
      sink = &r.err;
    } else if (sink) {
      *sink += line + "\n";
    } else {
      ADD_FAILURE() << name << ": unexpected line before the streams: " << line;
    }
  }
  return r;
}

}  // namespace eofzero::testing
