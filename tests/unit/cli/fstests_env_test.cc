#include "cli/fstests_env.h"

#include <gtest/gtest.h>

#include <map>

#include "cli/env_stub.h"

namespace eofzero::cli {
namespace {

using stub::Env;
using stub::Vars;

const Vars kFstests = {{"FSTYP", "xfs"},
                       {"SCRATCH_DEV", "/dev/vdb"},
                       {"SCRATCH_MNT", "/mnt/scratch"},
                       {"MKFS_OPTIONS", "-m reflink=1"},
                       {"MOUNT_OPTIONS", "-o noatime,inode64"}};

TEST(ReadFstestsEnv, ReadsTheFiveVariables) {
  auto env = ReadFstestsEnv(Env(kFstests), {});
  ASSERT_TRUE(env) << env.error();
  EXPECT_EQ(env->fs, fsdriver::FsType::kXfs);
  EXPECT_EQ(env->scratch_dev, "/dev/vdb");
  EXPECT_EQ(env->scratch_mnt, "/mnt/scratch");
  EXPECT_EQ(env->mkfs_options, "-m reflink=1");
  EXPECT_EQ(env->mount_options, "noatime,inode64");
}

TEST(ReadFstestsEnv, OptionsMayBeUnset) {
  auto env = ReadFstestsEnv(
      Env({{"FSTYP", "ext4"}, {"SCRATCH_DEV", "/dev/vdb"}, {"SCRATCH_MNT", "/mnt/s"}}), {});
  ASSERT_TRUE(env) << env.error();
  EXPECT_EQ(env->fs, fsdriver::FsType::kExt4);
  EXPECT_EQ(env->mkfs_options, "");
  EXPECT_EQ(env->mount_options, "");
}

TEST(ReadFstestsEnv, GivenFlagsLeaveTheirVariablesUnread) {
  // Every variable is broken; the flags given cover all of them.
  Vars broken = {{"FSTYP", "zfs"}, {"MOUNT_OPTIONS", "--bind"}};
  auto env = ReadFstestsEnv(Env(broken), {true, true, true, true, true});
  ASSERT_TRUE(env) << env.error();
  EXPECT_FALSE(env->fs || env->scratch_dev || env->scratch_mnt || env->mkfs_options ||
               env->mount_options);
}

struct BadEnv {
  Vars change;  // applied over kFstests; "" erases
  std::string error;
};
void PrintTo(const BadEnv& b, std::ostream* os) { *os << b.error; }

class ReadFstestsEnvRejects : public testing::TestWithParam<BadEnv> {};

TEST_P(ReadFstestsEnvRejects, WithAOneLineErrorNamingTheVariable) {
  const Vars vars = stub::Changed(kFstests, GetParam().change);
  auto env = ReadFstestsEnv(Env(vars), {});
  ASSERT_FALSE(env);
  EXPECT_EQ(env.error().rfind(GetParam().error, 0), 0u) << env.error();
  EXPECT_EQ(env.error().find('\n'), std::string::npos) << env.error();
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReadFstestsEnvRejects,
    testing::Values(
        BadEnv{{{"FSTYP", ""}}, "FSTYP: not set (--fstests needs it, or give --fs)"},
        BadEnv{{{"FSTYP", "zfs"}}, "FSTYP: 'zfs' is not a filesystem eofzero tests"},
        BadEnv{{{"FSTYP", "ext3"}}, "FSTYP: 'ext3' is not a filesystem eofzero tests"},
        BadEnv{{{"SCRATCH_DEV", ""}},
               "SCRATCH_DEV: not set (--fstests needs it, or give --scratch-dev)"},
        BadEnv{{{"SCRATCH_MNT", ""}},
               "SCRATCH_MNT: not set (--fstests needs it, or give --scratch-mnt)"},
        BadEnv{{{"MOUNT_OPTIONS", "noatime"}}, "MOUNT_OPTIONS: cannot honour 'noatime'"},
        BadEnv{{{"MOUNT_OPTIONS", "-o"}}, "MOUNT_OPTIONS: '-o' without options"},
        BadEnv{{{"USE_EXTERNAL", "yes"}, {"SCRATCH_LOGDEV", "/dev/vdc"}},
               "SCRATCH_LOGDEV: external log and realtime devices are not supported"},
        BadEnv{{{"USE_EXTERNAL", "yes"}, {"SCRATCH_RTDEV", "/dev/vdd"}},
               "SCRATCH_RTDEV: external log and realtime devices are not supported"}));

TEST(ReadFstestsEnv, ExternalDevicesCountOnlyWithUseExternal) {
  Vars vars = kFstests;
  vars["SCRATCH_LOGDEV"] = "/dev/vdc";  // fstests ignores it without USE_EXTERNAL=yes
  EXPECT_TRUE(ReadFstestsEnv(Env(vars), {}));
}

TEST(MountOptionsFromFstests, JoinsDashOWordsForLibmount) {
  EXPECT_EQ(MountOptionsFromFstests(""), "");
  EXPECT_EQ(MountOptionsFromFstests("-o noatime,inode64"), "noatime,inode64");
  EXPECT_EQ(MountOptionsFromFstests("  -o noatime\t-odiscard -o data=journal "),
            "noatime,discard,data=journal");
}

TEST(MountOptionsFromFstests, RefusesWhatItCannotHonour) {
  EXPECT_EQ(MountOptionsFromFstests("-o").error(), "'-o' without options");
  EXPECT_EQ(MountOptionsFromFstests("-o noatime -t xfs").error(),
            "cannot honour '-t' (only -o OPTIONS words)");
  EXPECT_EQ(MountOptionsFromFstests("--bind").error(),
            "cannot honour '--bind' (only -o OPTIONS words)");
  EXPECT_FALSE(MountOptionsFromFstests("noatime"));
}

}  // namespace
}  // namespace eofzero::cli
