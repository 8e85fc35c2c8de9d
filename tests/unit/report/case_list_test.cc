#include "report/case_list.h"

#include <gtest/gtest.h>

#include "report/cleanup_report.h"

namespace eofzero::report {
namespace {

TEST(RenderCaseList, ALinePerCaseWithWhatItNeedsThenTheCountAndTheFolders) {
  engine::CaseSpec suite_case, one_k;
  suite_case.name = "truncate_up";
  suite_case.purpose = "truncate up past the old EOF";
  suite_case.in_default_suite = true;
  one_k.name = "reflink_extend_1k";
  one_k.purpose = "reflink at 1k";
  one_k.filesystems = {fsdriver::FsType::kXfs};
  one_k.block_size = 1024;
  EXPECT_EQ(RenderCaseList({suite_case, one_k}, "/usr/share/eofzero/cases", {"/mine"}),
            "* truncate_up                   truncate up past the old EOF\n"
            "  reflink_extend_1k             [xfs bs=1024] reflink at 1k\n"
            "(* the default suite; 2 cases)\n"
            "(catalog: /usr/share/eofzero/cases; --cases-dir /mine)\n");
}

TEST(RenderCleanup, NothingToReclaimNamesTheRegistry) {
  scratch::RunEntry live;
  live.owner.pid = 4242;
  EXPECT_EQ(RenderCleanup({}, {live}, "/var/lib/eofzero/runs"),
            "left alone: run 4242 is still running\n"
            "nothing to reclaim (registry: /var/lib/eofzero/runs)\n");
}

}  // namespace
}  // namespace eofzero::report
