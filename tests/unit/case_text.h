// Cases for unit tests: a case file's text around a block of steps, parsed
// as `eofzero` parses one, and generic/790's append and truncate steps.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "engine/case_file.h"

namespace eofzero::test {

inline engine::CaseSpec CaseFromSteps(const std::string& name, const std::string& steps) {
  auto spec = engine::ParseCaseText(
      "name = \"" + name + "\"\npurpose = \"a test\"\nsteps = '''\n" + steps + "'''\n",
      "/cases/" + name + ".toml");
  EXPECT_TRUE(spec) << spec.error();
  return spec ? *spec : engine::CaseSpec{};
}

inline const std::string kTruncateUpSteps = R"(pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
truncate {eob + bs}
check gap
shutdown -f
cycle_mount
expect size {eob + bs}
check gap
)";

inline const std::string kAppendWriteSteps = R"(pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
pwrite -S 0x42 {eob} {bs}
check gap
sync_range -b -w -a {eob} {bs}
shutdown -f
cycle_mount
expect size {eob + bs}
check gap
)";

}  // namespace eofzero::test
