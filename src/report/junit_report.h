// JUnit XML (pugixml) as GitHub Actions, Jenkins and GitLab render it: one
// <testsuite> per configuration, one <testcase> per case; a FAIL is a
// <failure> with the evidence, an ERROR an <error>, a SKIP <skipped> with its
// reason. A declared expected failure that failed is a passing testcase that
// carries the evidence in <system-out>; one that passed is a <failure>
// ("unexpected pass"), so the CI turns red on fixed bugs too. An interrupted
// run says so in an "interrupted" property of every <testsuite>, and each
// case it did not run is an <error type="NOT_RUN">.
#pragma once

#include <string>

#include "report/record.h"

namespace eofzero::report {

std::string RenderJunit(const RunRecord& record);

}  // namespace eofzero::report
